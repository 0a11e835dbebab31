//! Fan charts of a Monte Carlo run as SVG, and as PNG rendered with the font embedded in this
//! crate (a subset of Noto Sans CJK TC, SIL OFL 1.1, `assets/fonts/`), so Chinese labels show on
//! a machine with no CJK font installed.

use hkb_fiscal::accounts::Accounts;
use hkb_fiscal::montecarlo::{Fan, MonteCarlo};
use hkb_law::{Bilingual, FinancialYear, Lang};

/// The embedded font (see `assets/fonts/README.md` for its source and character set).
pub const FONT: &[u8] = include_bytes!("../assets/fonts/NotoSansTC-hkbudget-subset.otf");
/// Every character the embedded font was built to cover.
pub const FONT_CHARS: &str = include_str!("../assets/fonts/chars.txt");
/// The embedded font's family name.
pub const FONT_FAMILY: &str = "Noto Sans CJK TC";

/// Which line of the accounts a fan chart shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartLine {
    Reserves,
    Balance,
    Debt,
}

impl ChartLine {
    pub const ALL: [ChartLine; 3] = [ChartLine::Reserves, ChartLine::Balance, ChartLine::Debt];
    pub fn title(self) -> Bilingual {
        match self {
            ChartLine::Reserves => {
                Bilingual::fixed("Fiscal reserves at 31 March", "財政儲備（3月31日）")
            }
            ChartLine::Balance => Bilingual::fixed(
                "Consolidated balance after bonds",
                "綜合帳目盈虧（計及債券）",
            ),
            ChartLine::Debt => Bilingual::fixed("Government bonds outstanding", "政府債券餘額"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("chart: {0}")]
    Render(String),
}

/// The footer and legend, in both languages.
pub fn footer(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => {
            "港幣十億元 · 陰影：5–95%及25–75%路徑 · 實線：中位數 · 虛線：基線 · 年份為財政年度（3月31日止）"
        }
        Lang::En => {
            "HK$bn · bands: 5–95% and 25–75% of paths · solid: median · dashed: baseline · years end on 31 March"
        }
    }
}

/// A chart title: the line, the vintage and, for a package, its name.
pub fn title(line: ChartLine, vintage: &str, package: Option<&Bilingual>, lang: Lang) -> String {
    let t = line.title();
    let base = match lang {
        Lang::Zh => format!("{} — {vintage} 年度預測", t.zh),
        Lang::En => format!("{} — {vintage} vintage", t.en),
    };
    match package {
        Some(p) => format!("{base} · {}", p.pick(lang)),
        None => base,
    }
}

/// The fan of a line and the baseline's path for it.
pub fn select<'a>(
    line: ChartLine,
    mc: &'a MonteCarlo,
    baseline: &'a Accounts,
) -> (&'a Fan, &'a [f64]) {
    match line {
        ChartLine::Reserves => (&mc.reserves, &baseline.reserves.values),
        ChartLine::Balance => (&mc.balance, &baseline.balance.values),
        ChartLine::Debt => (&mc.debt, &baseline.debt.values),
    }
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A fan chart: the p5–p95 and p25–p75 bands, the median and the baseline (dashed).
pub fn fan_svg(
    title: &str,
    years: &[FinancialYear],
    fan: &Fan,
    baseline: &[f64],
    lang: Lang,
) -> String {
    let (w, h, ml, mr, mt, mb) = (860.0, 480.0, 80.0, 50.0, 56.0, 66.0);
    let n = years.len().max(2);
    let all: Vec<f64> = fan
        .p5
        .iter()
        .chain(&fan.p95)
        .chain(baseline)
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    let (mut lo, mut hi) = (
        all.iter().copied().fold(f64::INFINITY, f64::min),
        all.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    );
    if !lo.is_finite() || !hi.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    let pad = (hi - lo).max(1.0) * 0.08;
    let (lo, hi) = (lo.min(0.0) - pad, hi + pad);
    let x = |i: usize| ml + (w - ml - mr) * i as f64 / (n - 1) as f64;
    let y = |v: f64| mt + (h - mt - mb) * (1.0 - (v - lo) / (hi - lo));
    let pts = |v: &[f64]| -> Vec<String> {
        v.iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
            .collect()
    };
    let band = |a: &[f64], b: &[f64], fill: &str| {
        let mut p = pts(a);
        p.extend(pts(b).into_iter().rev());
        format!(
            "<polygon points=\"{}\" fill=\"{fill}\" stroke=\"none\"/>\n",
            p.join(" ")
        )
    };
    let line = |v: &[f64], stroke: &str, dash: &str| {
        format!(
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"2.5\" stroke-dasharray=\"{dash}\"/>\n",
            pts(v).join(" ")
        )
    };
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{FONT_FAMILY}, Noto Sans TC, DejaVu Sans, sans-serif\" font-size=\"13\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    );
    s.push_str(&format!(
        "<text x=\"{ml}\" y=\"30\" font-size=\"17\" font-weight=\"bold\">{}</text>\n",
        xml(title)
    ));
    // Ticks at a round step (1, 2 or 5 times a power of ten).
    let raw = (hi - lo) / 6.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(raw);
    let first = (lo / step).ceil() as i64;
    for k in first..=((hi / step).floor() as i64) {
        let v = k as f64 * step;
        s.push_str(&format!(
            "<line x1=\"{ml}\" x2=\"{}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#ddd\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{v:.0}</text>\n",
            w - mr,
            y(v),
            y(v),
            ml - 8.0,
            y(v) + 4.0
        ));
    }
    s.push_str(&format!(
        "<text x=\"18\" y=\"{:.1}\" transform=\"rotate(-90 18 {:.1})\" text-anchor=\"middle\">{}</text>\n",
        (mt + h - mb) / 2.0,
        (mt + h - mb) / 2.0,
        match lang {
            Lang::Zh => "港幣十億元",
            Lang::En => "HK$bn",
        }
    ));
    for (i, yr) in years.iter().enumerate() {
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
            x(i),
            h - mb + 22.0,
            xml(&yr.to_string())
        ));
    }
    s.push_str(&band(&fan.p5, &fan.p95, "#c6dbef"));
    s.push_str(&band(&fan.p25, &fan.p75, "#6baed6"));
    if lo < 0.0 && hi > 0.0 {
        s.push_str(&format!(
            "<line x1=\"{ml}\" x2=\"{}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#666\"/>\n",
            w - mr,
            y(0.0),
            y(0.0)
        ));
    }
    s.push_str(&line(&fan.p50, "#08519c", ""));
    s.push_str(&line(baseline, "#d94801", "6 4"));
    s.push_str(&format!(
        "<text x=\"{ml}\" y=\"{}\" font-size=\"12\">{}</text>\n",
        h - 14.0,
        xml(footer(lang))
    ));
    s.push_str("</svg>\n");
    s
}

/// Renders SVG to PNG (2× scale) with the embedded font only, so the picture is the same on
/// every machine.
pub fn svg_to_png(svg: &str) -> Result<Vec<u8>, ChartError> {
    let mut opt = resvg::usvg::Options::default();
    let db = opt.fontdb_mut();
    db.load_font_data(FONT.to_vec());
    db.set_sans_serif_family(FONT_FAMILY);
    db.set_serif_family(FONT_FAMILY);
    let tree =
        resvg::usvg::Tree::from_str(svg, &opt).map_err(|e| ChartError::Render(e.to_string()))?;
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width() * 2, size.height() * 2)
        .ok_or_else(|| ChartError::Render("the chart has no size".into()))?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(2.0, 2.0),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| ChartError::Render(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character of every fixed chart label (titles, axis, footer, digits and years) is in
    /// the embedded font's character set, in both languages.
    #[test]
    fn the_embedded_font_covers_every_chart_label() {
        let covered: std::collections::BTreeSet<char> = FONT_CHARS.chars().collect();
        let mut labels = Vec::new();
        for lang in [Lang::En, Lang::Zh] {
            for l in ChartLine::ALL {
                labels.push(title(l, "2026-27", None, lang));
            }
            labels.push(footer(lang).to_string());
        }
        labels.push("港幣十億元 HK$bn 0123456789-.,%·—–".into());
        for l in &labels {
            for c in l.chars() {
                assert!(
                    covered.contains(&c),
                    "'{c}' (U+{:04X}) of '{l}' is not in the font",
                    c as u32
                );
            }
        }
    }

    #[test]
    fn a_chinese_chart_renders_with_glyphs() {
        let fan = Fan {
            p5: vec![1.0, 2.0, 3.0],
            p25: vec![2.0, 3.0, 4.0],
            p50: vec![3.0, 4.0, 5.0],
            p75: vec![4.0, 5.0, 6.0],
            p95: vec![5.0, 6.0, 7.0],
        };
        let years = [
            FinancialYear(2026),
            FinancialYear(2027),
            FinancialYear(2028),
        ];
        let svg = fan_svg(
            &title(ChartLine::Reserves, "2026-27", None, Lang::Zh),
            &years,
            &fan,
            &[3.0, 4.0, 5.0],
            Lang::Zh,
        );
        let png = svg_to_png(&svg).unwrap_or_default();
        assert!(png.starts_with(b"\x89PNG"), "not a PNG");
        // The text is drawn from the embedded font: the tree has text nodes with glyphs.
        let mut opt = resvg::usvg::Options::default();
        opt.fontdb_mut().load_font_data(FONT.to_vec());
        opt.fontdb_mut().set_sans_serif_family(FONT_FAMILY);
        let tree = resvg::usvg::Tree::from_str(&svg, &opt).unwrap_or_else(|e| panic!("{e}"));
        let mut glyphs = 0;
        fn count(g: &resvg::usvg::Group, glyphs: &mut usize) {
            for n in g.children() {
                match n {
                    resvg::usvg::Node::Group(g) => count(g, glyphs),
                    resvg::usvg::Node::Text(t) => {
                        for s in t.layouted() {
                            // Glyph 0 is the "missing glyph" box: count real glyphs of Chinese text.
                            *glyphs += s
                                .positioned_glyphs
                                .iter()
                                .filter(|g| g.id.0 != 0 && g.text.chars().any(|c| c > '\u{2E80}'))
                                .count();
                        }
                    }
                    _ => {}
                }
            }
        }
        count(tree.root(), &mut glyphs);
        assert!(glyphs > 20, "only {glyphs} Chinese glyphs laid out");
    }
}
