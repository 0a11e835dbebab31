//! Text layout measured by display width (a Chinese character takes two columns, so Chinese
//! tables align), shortening at a word with an ellipsis, wrapping, and the one table of "a label
//! then one column per year" every report uses.

use std::io::{self, Write};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

pub fn pad_right(s: &str, w: usize) -> String {
    let n = width(s);
    if n >= w {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(w - n))
    }
}

pub fn pad_left(s: &str, w: usize) -> String {
    let n = width(s);
    if n >= w {
        s.to_string()
    } else {
        format!("{}{s}", " ".repeat(w - n))
    }
}

fn is_wide(c: char) -> bool {
    UnicodeWidthChar::width(c).unwrap_or(0) > 1
}

/// Shortens text to at most `w` columns: at the last space that fits (never mid-word in Latin
/// text; Chinese may break between any two characters), with an ellipsis.
pub fn shorten(s: &str, w: usize) -> String {
    if width(s) <= w {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    let mut last_break: Option<usize> = None;
    for c in s.chars() {
        let cw = UnicodeWidthChar::width(c).unwrap_or(0);
        if used + cw + 1 > w {
            break;
        }
        if c == ' ' {
            last_break = Some(out.len());
        }
        out.push(c);
        if is_wide(c) {
            last_break = Some(out.len());
        }
        used += cw;
    }
    if let Some(b) = last_break
        && b > 0
    {
        out.truncate(b);
    }
    format!("{}…", out.trim_end())
}

/// Wraps text to lines of at most `w` columns, breaking at spaces (and anywhere in Chinese).
pub fn wrap(s: &str, w: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    let w = w.max(8);
    for word in s.split(' ') {
        let need = width(&cur) + width(word) + usize::from(!cur.is_empty());
        if !cur.is_empty() && need > w {
            lines.push(std::mem::take(&mut cur));
        }
        if width(word) > w {
            // A long run without spaces (Chinese): break between Chinese characters, but never
            // inside a run of Latin letters and digits ("7.5%", "2026/27"), and never before a
            // closing punctuation mark (it stays at the end of the line).
            if !cur.is_empty() {
                cur.push(' ');
            }
            for token in cjk_tokens(word) {
                let tw = width(token);
                let closing = token.chars().all(|c| "，。、；：）」』！？%".contains(c));
                if !cur.is_empty() && width(&cur) + tw > w && !closing {
                    lines.push(std::mem::take(&mut cur));
                }
                cur.push_str(token);
            }
            continue;
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Splits a run without spaces into wide characters, one each, and runs of narrow ones.
fn cjk_tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut narrow_run = false;
    for (i, c) in s.char_indices() {
        let wide = is_wide(c);
        if i > start && (wide || !narrow_run) {
            out.push(&s[start..i]);
            start = i;
        }
        narrow_run = !wide;
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// A number with thousands separators and a fixed number of decimals (rounded as Rust's `{:.N}`
/// rounds; a negative zero prints as 0).
pub fn num(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let s = format!("{x:.decimals$}");
    let (sign, digits) = match s.strip_prefix('-') {
        Some(d) if d.chars().any(|c| c.is_ascii_digit() && c != '0') => ("-", d),
        Some(d) => ("", d),
        None => ("", s.as_str()),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

/// A table: a label column, then right-aligned columns (one per year, say).
pub struct Table {
    pub label_width: usize,
    pub cell_width: usize,
    lines: Vec<Line>,
}

enum Line {
    Row(String, Vec<String>),
    Text(String),
}

impl Table {
    pub fn new(label_width: usize, cell_width: usize) -> Table {
        Table {
            label_width,
            cell_width,
            lines: Vec::new(),
        }
    }
    /// A header row (no label).
    pub fn header(&mut self, label: &str, cells: impl IntoIterator<Item = String>) -> &mut Self {
        self.lines
            .push(Line::Row(label.to_string(), cells.into_iter().collect()));
        self
    }
    pub fn row(&mut self, label: &str, cells: impl IntoIterator<Item = String>) -> &mut Self {
        self.lines
            .push(Line::Row(label.to_string(), cells.into_iter().collect()));
        self
    }
    /// A row of numbers with `decimals` decimals.
    pub fn values(&mut self, label: &str, v: &[f64], decimals: usize) -> &mut Self {
        self.row(label, v.iter().map(|x| num(*x, decimals)))
    }
    /// A line of text across the table.
    pub fn text(&mut self, s: &str) -> &mut Self {
        self.lines.push(Line::Text(s.to_string()));
        self
    }
    pub fn blank(&mut self) -> &mut Self {
        self.text("")
    }
    pub fn write(&self, w: &mut dyn Write) -> io::Result<()> {
        for l in &self.lines {
            match l {
                Line::Text(s) => writeln!(w, "{s}")?,
                Line::Row(label, cells) => {
                    let mut s = pad_right(&shorten(label, self.label_width), self.label_width);
                    for c in cells {
                        s.push(' ');
                        s.push_str(&pad_left(c, self.cell_width));
                    }
                    writeln!(w, "{}", s.trim_end())?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_wraps_between_characters_but_not_inside_numbers() {
        let lines = wrap("把買家印花稅減半至7.5%，並縮短適用期", 20);
        assert!(lines.iter().all(|l| width(l) <= 22), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("7.5%")), "{lines:?}");
        assert!(!lines.iter().any(|l| l.starts_with('，')), "{lines:?}");
        assert_eq!(lines.concat(), "把買家印花稅減半至7.5%，並縮短適用期");
    }

    #[test]
    fn chinese_aligns_by_display_width() {
        assert_eq!(width("薪俸稅"), 6);
        assert_eq!(width(&pad_right("薪俸稅", 10)), 10);
        assert_eq!(width(&pad_right("salaries", 10)), 10);
    }

    #[test]
    fn shortening_never_cuts_a_word() {
        let s = shorten("Build on the 2022 green roadmap for the city", 26);
        assert_eq!(s, "Build on the 2022 green…");
        assert!(width(&s) <= 26);
        let z = shorten("進一步推動綠色金融發展並擴大債券計劃", 12);
        assert!(width(&z) <= 12 && z.ends_with('…'), "{z}");
        assert_eq!(shorten("short", 10), "short");
    }

    #[test]
    fn wrapping_and_numbers() {
        let lines = wrap("one two three four five six", 10);
        assert!(lines.iter().all(|l| width(l) <= 10), "{lines:?}");
        assert_eq!(lines.join(" "), "one two three four five six");
        assert_eq!(num(1234567.891, 2), "1,234,567.89");
        assert_eq!(num(-0.004, 2), "0.00");
        assert_eq!(num(-15.63, 1), "-15.6");
        assert_eq!(num(371019.4, 0), "371,019");
    }
}
