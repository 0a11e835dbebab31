//! The Chamber's proposals: the list, one proposal, the scorecard, a costing.

use crate::text::{Table, pad_right, shorten, wrap};
use hkb_engine::Response;
use hkb_engine::costing::CostingResult;
use hkb_engine::proposals::{ProposalDetail, ProposalList, ScorecardResult};
use hkb_law::Lang;
use hkb_proposals::{Method, Setting};
use std::io::{self, Write};

pub fn list(w: &mut dyn Write, r: &Response<ProposalList>, lang: Lang) -> io::Result<()> {
    let zh = lang.is_zh();
    let head = if zh {
        ["編號", "類別", "可量化", "最新政府回應", "標題"]
    } else {
        ["id", "kind", "quantifiable", "latest response", "title"]
    };
    writeln!(
        w,
        "{} {} {} {} {}",
        pad_right(head[0], 8),
        pad_right(head[1], 28),
        pad_right(head[2], 20),
        pad_right(head[3], 20),
        head[4]
    )?;
    for p in &r.body.proposals {
        let mark = match (p.leaf, p.costing_method, zh) {
            (false, _, false) => " [heading]".to_string(),
            (false, _, true) => " [標題]".to_string(),
            (true, Some(m), false) => format!(" [costed: {}]", m.as_str()),
            (true, Some(_), true) => " [已估算]".to_string(),
            _ => String::new(),
        };
        let title = p.title.pick(lang);
        writeln!(
            w,
            "{} {} {} {} {}{mark}",
            pad_right(&p.id, 8),
            pad_right(&shorten(p.kind.label().pick(lang), 28), 28),
            pad_right(p.quantifiable.label().pick(lang), 20),
            pad_right(&shorten(p.latest_status.label().pick(lang), 20), 20),
            shorten(title, 90)
        )?;
    }
    Ok(())
}

pub fn show(w: &mut dyn Write, r: &Response<ProposalDetail>, lang: Lang) -> io::Result<()> {
    let d = &r.body;
    let p = &d.proposal;
    let zh = lang.is_zh();
    writeln!(w, "{} — {} / {}", p.id, d.title.en, d.title.zh)?;
    writeln!(
        w,
        "{} {}: {} / {}",
        if zh { "章節" } else { "Section" },
        p.section_id,
        p.section_title_en,
        p.section_title_zh
    )?;
    writeln!(w, "\n{}\n{}\n", p.summary_en, p.summary_zh)?;
    if zh {
        writeln!(
            w,
            "類別：{}   可量化：{}   財政影響：{}（{}）",
            p.kind.label().zh,
            p.quantifiable.label().zh,
            p.fiscal_weight.band.label().zh,
            p.fiscal_weight.rationale
        )?;
    } else {
        writeln!(
            w,
            "Kind: {}   Quantifiable: {}   Fiscal weight: {} ({})",
            p.kind.label().en,
            p.quantifiable.label().en,
            p.fiscal_weight.band.label().en,
            p.fiscal_weight.rationale
        )?;
    }
    if !p.children.is_empty() {
        writeln!(
            w,
            "{}{}",
            if zh {
                "標題，涵蓋："
            } else {
                "Heading over: "
            },
            p.children.join(", ")
        )?;
    }
    if let Some(m) = &p.model {
        writeln!(
            w,
            "\n{}{}",
            if zh {
                "估算構想："
            } else {
                "Costing sketch: "
            },
            m.costing_method
        )?;
        for x in &m.parameters {
            writeln!(w, "  {}{x}", if zh { "參數：" } else { "parameter: " })?;
        }
    }
    if let Some(c) = &d.costing {
        let assumptions = c.assumptions().len();
        if zh {
            writeln!(
                w,
                "\n估算模型（{}）：{}\n  {} 個參數，其中 {} 個為假設；執行：hkbudget proposals cost \"{}\"",
                c.method.label().zh,
                c.description.zh,
                c.parameters.len(),
                assumptions,
                p.id
            )?;
        } else {
            writeln!(
                w,
                "\nCosting model ({}): {}\n  {} parameters, {} of them assumptions; run: hkbudget proposals cost \"{}\"",
                c.method.label().en,
                c.description.en,
                c.parameters.len(),
                assumptions,
                p.id
            )?;
        }
    }
    if p.responses.is_empty() {
        let resp = &p.government_response;
        writeln!(
            w,
            "\n{}{} ({})\n  {}",
            if zh {
                "政府回應："
            } else {
                "Government response: "
            },
            resp.status.label().pick(lang),
            resp.timing,
            resp.summary
        )?;
        for s in &resp.sources {
            writeln!(w, "  {}{s}", if zh { "來源：" } else { "source: " })?;
        }
    } else {
        writeln!(
            w,
            "\n{}",
            if zh {
                "政府回應（逐份預算案）"
            } else {
                "Government response, Budget by Budget"
            }
        )?;
    }
    for r in &p.responses {
        writeln!(
            w,
            "  {} {}  {}  {}",
            r.budget,
            if zh { "年度預算案" } else { "Budget" },
            r.date,
            r.status.label().pick(lang)
        )?;
        for line in wrap(r.summary.pick(lang), 96) {
            writeln!(w, "      {line}")?;
        }
        if r.sources.is_empty() {
            writeln!(w, "      {}", no_source(zh))?;
        }
        for s in &r.sources {
            writeln!(
                w,
                "      {}{} {}",
                if zh { "來源：" } else { "source: " },
                s.document,
                s.url
            )?;
        }
    }
    Ok(())
}

fn no_source(zh: bool) -> &'static str {
    if zh {
        "（沒有來源：此結論基於在共享資料中未見相關措施）"
    } else {
        "(no source: the finding rests on finding no such measure in the sources)"
    }
}

pub fn scorecard(w: &mut dyn Write, r: &Response<ScorecardResult>, lang: Lang) -> io::Result<()> {
    let s = &r.body.scorecard;
    let zh = lang.is_zh();
    if zh {
        writeln!(w, "{} 項建議（不計 {} 個標題）\n", s.leaves, s.headings)?;
    } else {
        writeln!(
            w,
            "{} leaf proposals ({} headings not counted)\n",
            s.leaves, s.headings
        )?;
    }
    let row = |w: &mut dyn Write, label: &str, ids: &[String]| -> io::Result<()> {
        let text = ids.join(" ");
        let mut lines = wrap(&text, 70).into_iter();
        writeln!(
            w,
            "  {} {:>3}  {}",
            pad_right(&shorten(label, 34), 34),
            ids.len(),
            lines.next().unwrap_or_default()
        )?;
        for l in lines {
            writeln!(w, "  {}       {l}", pad_right("", 34))?;
        }
        Ok(())
    };
    writeln!(w, "{}", if zh { "按章節" } else { "By section" })?;
    for (k, ids) in &s.by_section {
        let title = r
            .body
            .sections
            .get(k)
            .map_or(String::new(), |t| format!(" {}", t.pick(lang)));
        row(w, &format!("{k}{title}"), ids)?;
    }
    writeln!(w, "\n{}", if zh { "按類別" } else { "By kind" })?;
    for (k, ids) in &s.by_kind {
        row(w, k.label().pick(lang), ids)?;
    }
    writeln!(
        w,
        "\n{}",
        if zh {
            "按可否量化"
        } else {
            "By quantifiability"
        }
    )?;
    for (k, ids) in &s.by_quantifiable {
        row(w, k.label().pick(lang), ids)?;
    }
    writeln!(
        w,
        "\n{}",
        if zh {
            "按最新政府回應"
        } else {
            "By latest government response"
        }
    )?;
    let mut latest: std::collections::BTreeMap<_, Vec<String>> = Default::default();
    for (id, hist) in &s.history {
        let status = hist
            .last()
            .map(|r| r.status)
            .or_else(|| s.responses.get(id).map(|r| r.status));
        if let Some(st) = status {
            latest.entry(st).or_default().push(id.clone());
        }
    }
    for (k, ids) in &latest {
        row(w, k.label().pick(lang), ids)?;
    }
    // Counts by status, one column per Budget.
    let budgets: Vec<&String> = s.by_status_per_budget.keys().collect();
    if !budgets.is_empty() {
        writeln!(
            w,
            "\n{}",
            if zh {
                "各份預算案的回應（項數）"
            } else {
                "Responses by Budget (number of proposals)"
            }
        )?;
        writeln!(
            w,
            "{}",
            if zh {
                "（每份預算案一欄：該預算案及其後一年所做的；早前已採納的措施記作「早已實行」）"
            } else {
                "(one column per Budget: what that Budget and the year after it did; a measure adopted earlier counts as already in place)"
            }
        )?;
        let mut t = Table::new(24, 10);
        t.header(
            if zh { "回應" } else { "response" },
            budgets.iter().map(|b| b.to_string()),
        );
        let statuses: std::collections::BTreeSet<_> = s
            .by_status_per_budget
            .values()
            .flat_map(|m| m.keys().copied())
            .collect();
        for st in statuses {
            t.row(
                st.label().pick(lang),
                budgets.iter().map(|b| {
                    s.by_status_per_budget[*b]
                        .get(&st)
                        .copied()
                        .unwrap_or(0)
                        .to_string()
                }),
            );
        }
        t.write(w)?;
    }
    writeln!(
        w,
        "\n{}",
        if zh {
            "逐項回應紀錄：每份預算案的回應、日期及首個來源（全部來源見 hkbudget proposals show 編號）"
        } else {
            "Response history: each Budget's response, its date and its first source (all sources: hkbudget proposals show ID)"
        }
    )?;
    for (id, hist) in &s.history {
        let title = r
            .body
            .titles
            .get(id)
            .map_or(String::new(), |t| shorten(t.pick(lang), 80));
        writeln!(w, "  {} {title}", pad_right(id, 8))?;
        for resp in hist {
            let source = resp.sources.first().map_or_else(
                || no_source(zh).to_string(),
                |src| format!("{} {}", shorten(&src.document, 60), src.url),
            );
            writeln!(
                w,
                "    {}  {}  {}  {source}",
                resp.budget,
                resp.date,
                pad_right(&shorten(resp.status.label().pick(lang), 22), 22)
            )?;
        }
    }
    Ok(())
}

/// A proposal's costing: every setting by year, the lines of the central setting, and every
/// parameter with the values actually used.
pub fn costing(w: &mut dyn Write, r: &Response<CostingResult>, lang: Lang) -> io::Result<()> {
    let c = &r.body;
    let zh = lang.is_zh();
    writeln!(
        w,
        "{} — {}\n{}\n",
        c.id,
        c.title.pick(lang),
        c.description.pick(lang)
    )?;
    let mut t = Table::new(40, 10);
    t.header(
        if zh {
            "十億港元（對收支的影響）"
        } else {
            "HK$bn (effect on balance)"
        },
        c.years.iter().map(|y| y.to_string()),
    );
    for (s, res) in &c.costed.settings {
        let name = s.label().pick(lang).to_string();
        if c.costed.method == Method::Reform {
            if let Some(st) = &res.static_bn {
                t.values(
                    &format!("{name}{}", if zh { "，靜態" } else { ", static" }),
                    st,
                    2,
                );
            }
            t.values(
                &format!(
                    "{name}{}",
                    if zh {
                        "，計及行為反應"
                    } else {
                        ", with behaviour"
                    }
                ),
                &res.effect_bn,
                2,
            );
        } else {
            t.values(&name, &res.effect_bn, 2);
        }
    }
    if c.costed.method == Method::Lines
        && let Some(central) = c.costed.settings.get(&Setting::Central)
    {
        t.blank().text(if zh {
            "中設定各項目（對收支的影響）："
        } else {
            "Central setting by line (effect on balance):"
        });
        for l in &central.lines {
            t.values(&format!("  {}", l.name.pick(lang)), &l.effect_bn, 2);
        }
    }
    t.write(w)?;
    for n in &c.notes {
        writeln!(w, "\n{}", n.pick(lang))?;
    }
    writeln!(w, "\n{}", if zh { "參數：" } else { "Parameters:" })?;
    for (k, p) in &c.parameters {
        let used = |s: Setting| {
            c.costed
                .settings
                .get(&s)
                .and_then(|r| r.values.get(k))
                .copied()
                .unwrap_or(f64::NAN)
        };
        let set = if c.overrides.contains_key(k) {
            if zh { "（已設定）" } else { " (set)" }
        } else {
            ""
        };
        if zh {
            writeln!(
                w,
                "  {k} = {}{set}（低 {}，高 {}；{}）[{}]",
                used(Setting::Central),
                used(Setting::Low),
                used(Setting::High),
                p.unit,
                p.status.label().zh
            )?;
        } else {
            writeln!(
                w,
                "  {k} = {}{set} (low {}, high {}; {}) [{}]",
                used(Setting::Central),
                used(Setting::Low),
                used(Setting::High),
                p.unit,
                p.status.label().en
            )?;
        }
        if c.overrides.contains_key(k) {
            if zh {
                writeln!(w, "    預設值 {}（低 {}，高 {}）", p.value, p.low, p.high)?;
            } else {
                writeln!(
                    w,
                    "    default {} (low {}, high {})",
                    p.value, p.low, p.high
                )?;
            }
        }
        if let Some(note) = p.note.as_deref().filter(|n| !n.is_empty()) {
            writeln!(w, "    {note}")?;
        }
        writeln!(
            w,
            "    {}{}{}",
            if zh { "來源：" } else { "source: " },
            p.source.document,
            if p.source.url.is_empty() {
                String::new()
            } else {
                format!(" <{}>", p.source.url)
            }
        )?;
    }
    Ok(())
}
