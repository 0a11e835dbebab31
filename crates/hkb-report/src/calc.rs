//! A calculator's answer laid out the way IRD lays out an assessment: the computation with its
//! details, the total, the parameters used with their citations, notes and warnings, and — when
//! a comparison was asked for — both computations and the difference line by line.

use crate::text::{pad_left, pad_right, shorten, width, wrap};
use hkb_engine::Response;
use hkb_engine::calc::{CalcResult, Difference, Outcome};
use hkb_engine::explain::{CitedParam, Explained};
use hkb_law::{Bilingual, Lang, Money};
use hkb_rules::salaries::HouseholdResult;
use hkb_rules::trace::{Step, StepKind};
use std::collections::BTreeMap;
use std::io::{self, Write};

const LABEL_WIDTH: usize = 64;
const AMOUNT_WIDTH: usize = 14;

fn pick(t: &Bilingual, lang: Lang) -> &str {
    t.pick(lang)
}

fn line(label: &str, amount: Option<Money>, indent: usize) -> String {
    let left = shorten(&format!("{}{label}", "  ".repeat(indent)), LABEL_WIDTH);
    match amount {
        Some(m) => format!(
            "{}{}",
            pad_right(&left, LABEL_WIDTH),
            pad_left(&m.to_string(), AMOUNT_WIDTH)
        ),
        None => left,
    }
}

/// A trace as IRD lays out a computation: label and amount on one line, with details inline
/// when they fit and on indented lines below when they do not.
pub fn trace(steps: &[Step], lang: Lang) -> String {
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
        let detail = s.detail.as_ref().map(|d| pick(d, lang).to_string());
        let (open, close) = if lang.is_zh() {
            ("（", "）")
        } else {
            (" (", ")")
        };
        let inline = detail.as_ref().map(|d| format!("{base}{open}{d}{close}"));
        let fits = inline
            .as_ref()
            .is_some_and(|l| width(l) + 2 * indent <= LABEL_WIDTH);
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
        if let (false, Some(d)) = (fits, &detail) {
            for l in wrap(d, LABEL_WIDTH + AMOUNT_WIDTH - 6) {
                out.push_str(&format!("{}    {l}\n", "  ".repeat(indent)));
            }
        }
    }
    out
}

/// The parameters used, with citations.
pub fn parameters(params: &BTreeMap<String, CitedParam>, lang: Lang) -> String {
    let mut out = String::from(if lang.is_zh() {
        "\n所用參數：\n"
    } else {
        "\nParameters used:\n"
    });
    for (path, p) in params {
        let flag = match p.status {
            Some(s) if !s.is_firm() => format!(" [{}]", s.label().pick(lang)),
            _ => String::new(),
        };
        out.push_str(&format!(
            "  {path} = {}{flag}\n    {}{} {}\n",
            p.value_text.as_deref().unwrap_or("—"),
            pick(&p.label, lang),
            if lang.is_zh() { "；" } else { ";" },
            pick(&p.reference, lang)
        ));
    }
    out
}

fn warnings(w: &mut dyn Write, list: &[Bilingual], lang: Lang) -> io::Result<()> {
    for x in list {
        writeln!(
            w,
            "{}{}",
            if lang.is_zh() {
                "警告："
            } else {
                "Warning: "
            },
            pick(x, lang)
        )?;
    }
    Ok(())
}

/// Prints one explained computation: title, trace, total, parameters, warnings.
fn one<T: Outcome>(w: &mut dyn Write, e: &Explained<T>, lang: Lang) -> io::Result<()> {
    writeln!(w, "{}\n", pick(&e.result.title(), lang))?;
    write!(w, "{}", trace(e.result.steps(), lang))?;
    writeln!(
        w,
        "\n{}{}{}",
        pick(&e.result.total_label(), lang),
        if lang.is_zh() { "：" } else { ": " },
        e.result.total()
    )?;
    write!(w, "{}", parameters(&e.parameters, lang))?;
    warnings(w, &e.warnings, lang)
}

/// The difference between two computations, line by line.
pub fn difference(w: &mut dyn Write, d: &Difference, lang: Lang) -> io::Result<()> {
    let zh = lang.is_zh();
    writeln!(
        w,
        "\n{}{}\n",
        if zh { "對比：" } else { "Compared with " },
        pick(&d.before_is, lang)
    )?;
    // As wide as the longest label (up to a limit), so labels are not cut needlessly.
    let lw = d
        .lines
        .iter()
        .map(|l| crate::text::width(pick(&l.label, lang)) + 2)
        .max()
        .unwrap_or(40)
        .clamp(24, 64);
    let head = if zh {
        ["之前", "之後", "變動"]
    } else {
        ["before", "after", "change"]
    };
    writeln!(
        w,
        "{}{}{}{}",
        pad_right("", lw),
        pad_left(head[0], AMOUNT_WIDTH),
        pad_left(head[1], AMOUNT_WIDTH),
        pad_left(head[2], AMOUNT_WIDTH)
    )?;
    let cell = |m: Option<Money>| m.map_or("—".to_string(), |m| m.to_string());
    for l in &d.lines {
        writeln!(
            w,
            "{}{}{}{}",
            pad_right(&shorten(pick(&l.label, lang), lw - 1), lw),
            pad_left(&cell(l.before), AMOUNT_WIDTH),
            pad_left(&cell(l.after), AMOUNT_WIDTH),
            pad_left(&l.change.to_string(), AMOUNT_WIDTH)
        )?;
    }
    writeln!(w, "{}", "-".repeat(lw + 3 * AMOUNT_WIDTH))?;
    writeln!(
        w,
        "{}{}{}{}",
        pad_right(if zh { "應繳總額" } else { "Total" }, lw),
        pad_left(&d.total_before.to_string(), AMOUNT_WIDTH),
        pad_left(&d.total_after.to_string(), AMOUNT_WIDTH),
        pad_left(&d.total_change.to_string(), AMOUNT_WIDTH)
    )
}

/// Any calculator's answer (profits, property tax, stamp duty, stock duty, rates).
pub fn computation<T: Outcome>(
    w: &mut dyn Write,
    r: &Response<CalcResult<T>>,
    lang: Lang,
) -> io::Result<()> {
    let b = &r.body;
    if let Some(before) = &b.before {
        writeln!(
            w,
            "{}",
            if lang.is_zh() {
                "== 之前 =="
            } else {
                "== Before =="
            }
        )?;
        one(w, before, lang)?;
        writeln!(
            w,
            "\n{}",
            if lang.is_zh() {
                "== 之後 =="
            } else {
                "== After =="
            }
        )?;
    }
    one(w, &b.after, lang)?;
    if let Some(d) = &b.difference {
        difference(w, d, lang)?;
    }
    Ok(())
}

fn household(
    w: &mut dyn Write,
    e: &Explained<HouseholdResult>,
    lang: Lang,
    all: bool,
) -> io::Result<()> {
    let r = &e.result;
    let zh = lang.is_zh();
    writeln!(w, "{}\n", pick(&r.title(), lang))?;
    let heads = if zh {
        ("選項", "寬減前稅款", "寬減", "應繳稅款")
    } else {
        ("Option", "before red.", "reduction", "tax payable")
    };
    let lw = LABEL_WIDTH - 2;
    writeln!(
        w,
        "{}{}{}{}",
        pad_right(heads.0, lw),
        pad_left(heads.1, AMOUNT_WIDTH),
        pad_left(heads.2, AMOUNT_WIDTH),
        pad_left(heads.3, AMOUNT_WIDTH)
    )?;
    for o in &r.options {
        let mark = if o.method == r.recommended {
            if zh {
                "  ← 建議"
            } else {
                "  <- recommended"
            }
        } else {
            ""
        };
        writeln!(
            w,
            "{}{}{}{}{mark}",
            pad_right(&shorten(pick(&o.label, lang), lw - 1), lw),
            pad_left(&o.tax_before_reduction.to_string(), AMOUNT_WIDTH),
            pad_left(&o.reduction.to_string(), AMOUNT_WIDTH),
            pad_left(&o.tax_payable.to_string(), AMOUNT_WIDTH)
        )?;
    }
    let chosen = r.options.iter().find(|o| o.method == r.method);
    writeln!(
        w,
        "\n{}{}",
        if zh { "計算：" } else { "Computation: " },
        chosen.map_or("", |o| pick(&o.label, lang))
    )?;
    if all {
        for o in &r.options {
            writeln!(w, "\n=== {} ===", pick(&o.label, lang))?;
            write!(w, "{}", trace(&o.trace, lang))?;
        }
    } else {
        write!(w, "{}", trace(&r.trace, lang))?;
    }
    writeln!(
        w,
        "\n{}{} ({})",
        if zh {
            "應繳稅款："
        } else {
            "Tax payable: "
        },
        r.tax_payable,
        chosen.map_or("", |o| pick(&o.label, lang))
    )?;
    write!(w, "{}", parameters(&e.parameters, lang))?;
    for n in &r.notes {
        writeln!(
            w,
            "\n{}{}",
            if zh { "註：" } else { "Note: " },
            pick(n, lang)
        )?;
    }
    warnings(w, &e.warnings, lang)
}

/// Salaries tax and personal assessment: every option, the recommended one, its computation
/// (`all`: every option's), and the comparison when asked.
pub fn salaries(
    w: &mut dyn Write,
    r: &Response<CalcResult<HouseholdResult>>,
    lang: Lang,
    all: bool,
) -> io::Result<()> {
    let b = &r.body;
    if let Some(before) = &b.before {
        writeln!(
            w,
            "{}",
            if lang.is_zh() {
                "== 之前 =="
            } else {
                "== Before =="
            }
        )?;
        household(w, before, lang, all)?;
        writeln!(
            w,
            "\n{}",
            if lang.is_zh() {
                "== 之後 =="
            } else {
                "== After =="
            }
        )?;
    }
    household(w, &b.after, lang, all)?;
    if let Some(d) = &b.difference {
        difference(w, d, lang)?;
    }
    if let Some(bill) = &b.bill {
        tax_bill(w, bill, lang)?;
    }
    Ok(())
}

/// The tax bill: final tax, provisional tax for the next year, the instalments.
pub fn tax_bill(w: &mut dyn Write, b: &hkb_engine::calc::TaxBill, lang: Lang) -> io::Result<()> {
    let zh = lang.is_zh();
    writeln!(w, "\n{}", if zh { "稅單" } else { "The tax bill" })?;
    let lw = 56;
    let line = |w: &mut dyn Write, label: String, m: hkb_law::Money| -> io::Result<()> {
        writeln!(
            w,
            "{}{}",
            pad_right(&shorten(&label, lw - 1), lw),
            pad_left(&m.to_string(), AMOUNT_WIDTH)
        )
    };
    line(
        w,
        if zh {
            format!("{} 課稅年度最終稅款", b.year)
        } else {
            format!("Final tax for {}", b.year)
        },
        b.final_tax,
    )?;
    if let Some(p) = b.provisional_tax {
        line(
            w,
            if zh {
                format!("{} 課稅年度暫繳稅", b.provisional_year)
            } else {
                format!("Provisional tax for {}", b.provisional_year)
            },
            p,
        )?;
    }
    for i in &b.instalments {
        writeln!(
            w,
            "  {}{}  {}",
            pad_right(&shorten(pick(&i.label, lang), lw - 3), lw - 2),
            pad_left(&i.amount.to_string(), AMOUNT_WIDTH),
            pick(&i.due, lang)
        )?;
    }
    for n in &b.notes {
        writeln!(
            w,
            "{}{}",
            if zh { "附註：" } else { "Note: " },
            pick(n, lang)
        )?;
    }
    Ok(())
}
