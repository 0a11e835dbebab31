//! Rendering: IRD-style computation tables and JSON enriched with the law's references.

use crate::cli::Lang;
use hkb_law::{Law, Money, ParamSet};
use hkb_rules::trace::{Step, StepKind, Text};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use unicode_width::UnicodeWidthStr;

const LABEL_WIDTH: usize = 64;
const AMOUNT_WIDTH: usize = 14;

pub fn pick(t: &Text, lang: Lang) -> &'static str {
    match lang {
        Lang::En => t.en,
        Lang::Zh => t.zh,
    }
}

fn pad_right(s: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(s);
    if w >= width {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(width - w))
    }
}

fn truncate(s: &str, width: usize) -> String {
    if UnicodeWidthStr::width(s) <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for ch in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
        if w + cw + 1 > width {
            break;
        }
        out.push(ch);
        w += cw;
    }
    out.push('…');
    out
}

/// One line: label (with detail) on the left, amount right-aligned.
pub fn line(label: &str, amount: Option<Money>, indent: usize) -> String {
    let left = truncate(&format!("{}{label}", "  ".repeat(indent)), LABEL_WIDTH);
    match amount {
        Some(m) => format!(
            "{}{:>AMOUNT_WIDTH$}",
            pad_right(&left, LABEL_WIDTH),
            m.to_string()
        ),
        None => left,
    }
}

/// A table row: a label column then right-aligned cells.
pub fn row(label: &str, cells: &[&str]) -> String {
    let mut s = pad_right(&truncate(label, LABEL_WIDTH - 2), LABEL_WIDTH - 2);
    for c in cells {
        let w = UnicodeWidthStr::width(*c);
        s.push_str(&" ".repeat(AMOUNT_WIDTH.saturating_sub(w)));
        s.push_str(c);
    }
    s.push('\n');
    s
}

/// Wraps text to `width` display columns, breaking at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split(' ') {
        let w = UnicodeWidthStr::width(cur.as_str()) + UnicodeWidthStr::width(word) + 1;
        if !cur.is_empty() && w > width {
            lines.push(std::mem::take(&mut cur));
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

/// Renders a trace the way IRD lays out a computation: label and amount on one line, with
/// details inline when they fit and on indented lines below when they do not.
pub fn trace_table(steps: &[Step], lang: Lang) -> String {
    let mut out = String::new();
    for s in steps {
        let indent = match s.kind {
            StepKind::Item | StepKind::Note => 1,
            _ => 0,
        };
        let base = match s.kind {
            StepKind::Note => format!("* {}", pick(&s.label, lang)),
            _ => pick(&s.label, lang).to_string(),
        };
        let inline = s.detail.as_ref().map(|d| format!("{base} ({d})"));
        let fits = inline
            .as_ref()
            .is_some_and(|l| UnicodeWidthStr::width(l.as_str()) + 2 * indent <= LABEL_WIDTH);
        let label = if fits {
            inline.clone().unwrap_or_default()
        } else {
            base.clone()
        };
        match s.kind {
            StepKind::Heading if !out.is_empty() && !out.ends_with("\n\n") => out.push('\n'),
            StepKind::Total => {
                out.push_str(&format!("{}\n", "-".repeat(LABEL_WIDTH + AMOUNT_WIDTH)))
            }
            _ => {}
        }
        if s.kind == StepKind::Note {
            let full = inline.unwrap_or(base);
            for (i, l) in wrap(&full, LABEL_WIDTH + AMOUNT_WIDTH - 4)
                .into_iter()
                .enumerate()
            {
                out.push_str(&format!("  {}{l}\n", if i == 0 { "" } else { "  " }));
            }
            continue;
        }
        let amount = match s.kind {
            StepKind::Heading => None,
            _ => s.amount,
        };
        out.push_str(&line(&label, amount, indent));
        out.push('\n');
        if let (false, Some(d)) = (fits, &s.detail) {
            for l in wrap(d, LABEL_WIDTH + AMOUNT_WIDTH - 6) {
                out.push_str(&format!("{}    {l}\n", "  ".repeat(indent)));
            }
        }
    }
    out
}

/// Every distinct parameter a set of traces used.
pub fn params_used<'a>(steps: impl Iterator<Item = &'a Step>) -> BTreeSet<&'static str> {
    steps
        .flat_map(|s| s.params.iter().map(|p| p.path))
        .collect()
}

/// The parameters used, with their labels, values, legal references and sources (JSON).
pub fn params_json(law: &Law, set: &ParamSet, used: &BTreeSet<&'static str>) -> Value {
    let mut m = serde_json::Map::new();
    for path in used {
        let node = law.node(path);
        let r = set.get(path);
        m.insert(
            (*path).to_string(),
            json!({
                "label": node.map(|n| json!({"en": n.label.en, "zh": n.label.zh})),
                "value": r.map(|r| r.value.to_string()),
                "status": r.map(|r| r.status.as_str()),
                "period": r.map(|r| r.period.clone()),
                "reference": node.map(|n| n.citation()),
                "reference_urls": node.map(|n| n.references.iter().map(|x| x.url.clone()).collect::<Vec<_>>()),
                "source": r.map(|r| json!({"document": r.source_document, "url": r.source_url})),
            }),
        );
    }
    Value::Object(m)
}

/// Adds `reference` (legal citation) and `status` to each parameter inside trace steps.
pub fn enrich_trace(law: &Law, set: &ParamSet, v: &mut Value) {
    match v {
        Value::Object(map) => {
            if let (Some(Value::String(path)), true) =
                (map.get("path").cloned(), map.contains_key("value"))
            {
                if let Some(node) = law.node(&path) {
                    map.insert("reference".into(), Value::String(node.citation()));
                    map.insert(
                        "label".into(),
                        json!({"en": node.label.en, "zh": node.label.zh}),
                    );
                }
                if let Some(r) = set.get(&path) {
                    map.insert("status".into(), Value::String(r.status.as_str().into()));
                }
            }
            for (_, child) in map.iter_mut() {
                enrich_trace(law, set, child);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|c| enrich_trace(law, set, c)),
        _ => {}
    }
}

/// Warnings for values used that are not firm law.
pub fn soft_warnings(set: &ParamSet, used: &BTreeSet<&'static str>) -> Vec<String> {
    used.iter()
        .filter_map(|p| set.get(p).map(|r| (p, r)))
        .filter(|(_, r)| !r.status.is_firm())
        .map(|(p, r)| {
            format!(
                "{p} = {} is {} ({})",
                r.value,
                r.status.as_str(),
                r.source_document
            )
        })
        .collect()
}

/// Footer listing the parameters used, with citations, for tables.
pub fn params_footer(
    law: &Law,
    set: &ParamSet,
    used: &BTreeSet<&'static str>,
    lang: Lang,
) -> String {
    let mut out = String::from(match lang {
        Lang::En => "\nParameters used:\n",
        Lang::Zh => "\n所用參數：\n",
    });
    for p in used {
        let (Some(node), Some(r)) = (law.node(p), set.get(p)) else {
            continue;
        };
        let label = match lang {
            Lang::En => &node.label.en,
            Lang::Zh => &node.label.zh,
        };
        let flag = if r.status.is_firm() {
            String::new()
        } else {
            format!(" [{}]", r.status.as_str())
        };
        out.push_str(&format!(
            "  {p} = {}{flag}\n    {label}; {}\n",
            r.value,
            node.citation()
        ));
    }
    out
}
