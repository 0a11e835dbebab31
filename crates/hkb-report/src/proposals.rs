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
        ["編號", "類別", "可量化", "政府回應", "標題"]
    } else {
        ["id", "kind", "quantifiable", "response", "title"]
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
            pad_right(&shorten(p.status.label().pick(lang), 20), 20),
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
    if resp.sources.is_empty() {
        writeln!(
            w,
            "  {}",
            if zh {
                "（沒有來源：此結論基於未見相關措施）"
            } else {
                "(no source: the status rests on the absence of a measure)"
            }
        )?;
    }
    for s in &resp.sources {
        writeln!(w, "  {}{s}", if zh { "來源：" } else { "source: " })?;
    }
    Ok(())
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
            "按政府回應"
        } else {
            "By government response"
        }
    )?;
    for (k, ids) in &s.by_status {
        row(w, k.label().pick(lang), ids)?;
    }
    writeln!(
        w,
        "\n{}",
        if zh {
            "各項政府回應的來源"
        } else {
            "Sources of each government response"
        }
    )?;
    for (status, ids) in &s.by_status {
        writeln!(w, "  {}", status.label().pick(lang))?;
        for id in ids {
            if let Some(r) = s.responses.get(id) {
                let sources = if r.sources.is_empty() {
                    if zh {
                        "（沒有：此結論基於未見相關措施）".to_string()
                    } else {
                        "(none: the finding rests on the absence of a measure)".to_string()
                    }
                } else {
                    r.sources.join("  ")
                };
                writeln!(w, "    {} {}  {sources}", pad_right(id, 8), r.timing)?;
            }
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
