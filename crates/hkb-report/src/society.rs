//! Society-wide results: a run by tax and decile, a year's checks, and docs/VALIDATION.md.

use crate::text::{num, pad_left, pad_right, shorten};
use hkb_engine::Response;
use hkb_engine::society::{CheckResult, SocietyResult, ValidationResult};
use hkb_law::Lang;
use hkb_microsim::behaviour::BehaviourSettings;
use hkb_microsim::model::TargetRole;
use hkb_microsim::salaries::DecileRow;
use hkb_microsim::society::DecileBy;
use std::io::{self, Write};

fn decile_label(d: &DecileRow, lang: Lang) -> String {
    match (d.decile, lang.is_zh()) {
        (Some(n), false) => n.to_string(),
        (Some(n), true) => format!("第{n}組"),
        (None, false) => "top 1%".into(),
        (None, true) => "最高1%".into(),
    }
}

/// The behaviour settings a run used, in words.
pub fn behaviour(b: &BehaviourSettings, lang: Lang) -> String {
    if lang.is_zh() {
        if !b.enabled {
            return "行為反應：已關閉".into();
        }
        format!(
            "行為反應：薪俸稅應課稅入息彈性 {}；利得稅應課稅利潤彈性 {}；股票成交額彈性 {}；物業成交量半彈性 {}",
            b.salaries_eti,
            b.profits_eti,
            b.stock_turnover_elasticity,
            b.property_volume_semi_elasticity
        )
    } else {
        if !b.enabled {
            return "Behaviour: switched off".into();
        }
        format!(
            "Behaviour: salaries taxable-income elasticity {}; profits taxable-income elasticity {}; stock turnover elasticity {}; property volume semi-elasticity {}",
            b.salaries_eti,
            b.profits_eti,
            b.stock_turnover_elasticity,
            b.property_volume_semi_elasticity
        )
    }
}

pub fn run(w: &mut dyn Write, r: &Response<SocietyResult>, lang: Lang) -> io::Result<()> {
    let x = &r.body.run;
    let zh = lang.is_zh();
    let title = match (r.body.baseline_only, zh) {
        (true, false) => format!("Baseline {}: revenue under the law of the year", x.year),
        (true, true) => format!("{} 課稅年度基線：按該年度法例的收入", x.year),
        (false, false) => format!(
            "Reform {} ({})",
            x.year,
            x.reform.as_deref().unwrap_or("reform")
        ),
        (false, true) => format!(
            "{} 課稅年度改革方案（{}）",
            x.year,
            x.reform.as_deref().unwrap_or("改革方案")
        ),
    };
    writeln!(w, "{title}\n")?;
    let heads: [&str; 6] = if zh {
        [
            "稅項（十億港元）",
            "基線",
            "改革後",
            "變動",
            "計及行為",
            "受影響",
        ]
    } else {
        [
            "tax (HK$bn)",
            "baseline",
            "reform",
            "change",
            "w/ behaviour",
            "affected",
        ]
    };
    let bn = |v: f64| pad_left(&num(v / 1e9, 2), 11);
    // The label column fits the longest tax label (rates' are the longest in English).
    let lw = x
        .taxes
        .keys()
        .map(|k| crate::text::width(k.label().pick(lang)) + 2)
        .chain([26])
        .max()
        .unwrap_or(26);
    writeln!(
        w,
        "{}{}{}{}{}{}",
        pad_right(heads[0], lw),
        pad_left(heads[1], 11),
        pad_left(heads[2], 11),
        pad_left(heads[3], 11),
        pad_left(heads[4], 13),
        pad_left(heads[5], 13)
    )?;
    for (k, t) in &x.taxes {
        writeln!(
            w,
            "{}{}{}{}{}{}",
            pad_right(k.label().pick(lang), lw),
            bn(t.baseline),
            bn(t.reform),
            bn(t.change),
            pad_left(&num(t.change_with_behaviour / 1e9, 2), 13),
            pad_left(&num(t.affected, 0), 13)
        )?;
        // The head's types of duty, indented under it (no behavioural response by type).
        for (key, d) in t.by_type.iter().flatten() {
            let short = match (key.as_str(), zh) {
                ("avd", true) => "從價印花稅".to_string(),
                ("nrsd", true) => "新住宅印花稅".to_string(),
                ("bsd", true) => "買家印花稅".to_string(),
                ("ssd", true) => "額外印花稅".to_string(),
                _ => key.to_uppercase(),
            };
            let name = format!("  {short}");
            writeln!(
                w,
                "{}{}{}{}{}{}",
                pad_right(&name, lw),
                bn(d.baseline),
                bn(d.reform),
                bn(d.change),
                pad_left("", 13),
                pad_left(&num(d.affected, 0), 13)
            )?;
        }
    }
    writeln!(
        w,
        "{}{}{}{}{}",
        pad_right(if zh { "合計" } else { "total" }, lw),
        pad_left("", 11),
        pad_left("", 11),
        bn(x.total_change),
        pad_left(&num(x.total_change_with_behaviour / 1e9, 2), 13)
    )?;
    // Collections in the financial year of the same label, beside the published figures.
    let fy = format!("{}-{:02}", x.year.0, (x.year.0 + 1) % 100);
    writeln!(
        w,
        "\n{}",
        if zh {
            format!("{fy} 財政年度的稅款收入（現行法例，十億港元）")
        } else {
            format!("Collections in the financial year {fy} under the law in force (HK$bn)")
        }
    )?;
    let ch: [&str; 3] = if zh {
        ["稅項", "模型", "公布數字"]
    } else {
        ["tax", "model", "published"]
    };
    writeln!(
        w,
        "{}{}{}",
        pad_right(ch[0], lw),
        pad_left(ch[1], 11),
        pad_left(ch[2], 11)
    )?;
    let maybe = |v: Option<f64>| v.map_or_else(|| pad_left("—", 11), bn);
    for (k, t) in &x.taxes {
        if let Some(c) = &t.collections {
            writeln!(
                w,
                "{}{}{}",
                pad_right(k.label().pick(lang), lw),
                maybe(c.model),
                maybe(c.published)
            )?;
        }
    }
    writeln!(
        w,
        "{}",
        if zh {
            "（各項的計算基礎及公布數字涵蓋範圍見 JSON 輸出的 collections.basis）"
        } else {
            "(how each is reached and what the published figure covers: collections.basis in the JSON output)"
        }
    )?;
    writeln!(
        w,
        "\n{}",
        match (x.deciles_by, zh) {
            (DecileBy::Earner, true) => "按受僱收入十等分組劃分的薪俸稅",
            (DecileBy::Earner, false) => "Salaries tax by decile of employment income (earners)",
            (DecileBy::Household, true) => "按住戶等值入息十等分組劃分的薪俸稅（住戶）",
            (DecileBy::Household, false) =>
                "Salaries tax by decile of equivalised household income (households)",
        }
    )?;
    let household = x.deciles_by == DecileBy::Household;
    let dh: [&str; 7] = if zh {
        [
            "組別",
            if household { "住戶" } else { "人數" },
            "平均收入",
            "平均變動",
            "佔收入%",
            "得益者",
            "受損者",
        ]
    } else {
        [
            "decile",
            if household { "households" } else { "persons" },
            "mean income",
            "avg change",
            "% income",
            "winners",
            "losers",
        ]
    };
    writeln!(
        w,
        "{}{}{}{}{}{}{}",
        pad_right(dh[0], 8),
        pad_left(dh[1], 12),
        pad_left(dh[2], 14),
        pad_left(dh[3], 12),
        pad_left(dh[4], 10),
        pad_left(dh[5], 10),
        pad_left(dh[6], 10)
    )?;
    for d in x.deciles.iter().chain(std::iter::once(&x.top1)) {
        writeln!(
            w,
            "{}{}{}{}{}{}{}",
            pad_right(&decile_label(d, lang), 8),
            pad_left(&num(d.persons, 0), 12),
            pad_left(&num(d.mean_income, 0), 14),
            pad_left(&num(d.avg_change, 0), 12),
            pad_left(&format!("{:.3}%", d.change_pct_of_income), 10),
            pad_left(&format!("{:.1}%", 100.0 * d.winners_share), 10),
            pad_left(&format!("{:.1}%", 100.0 * d.losers_share), 10)
        )?;
    }
    writeln!(w, "\n{}", behaviour(&x.behaviour, lang))?;
    for n in &x.notes {
        writeln!(w, "{}{}", if zh { "註：" } else { "Note: " }, n.pick(lang))?;
    }
    Ok(())
}

/// A run as one CSV table: a `section` column says whether a row is a tax, the total or a
/// decile.
pub fn run_csv(w: &mut dyn Write, r: &Response<SocietyResult>) -> Result<(), csv::Error> {
    let x = &r.body.run;
    let mut c = csv::Writer::from_writer(w);
    c.write_record([
        "section",
        "key",
        "baseline",
        "reform",
        "change",
        "change_with_behaviour",
        "affected",
        "persons",
        "mean_income",
        "avg_change",
        "change_pct_of_income",
        "winners_share",
        "losers_share",
    ])?;
    for (k, t) in &x.taxes {
        c.write_record([
            "tax".to_string(),
            k.as_str().into(),
            format!("{:.0}", t.baseline),
            format!("{:.0}", t.reform),
            format!("{:.0}", t.change),
            format!("{:.0}", t.change_with_behaviour),
            format!("{:.0}", t.affected),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ])?;
        for (key, d) in t.by_type.iter().flatten() {
            c.write_record([
                "tax_type".to_string(),
                format!("{}.{key}", k.as_str()),
                format!("{:.0}", d.baseline),
                format!("{:.0}", d.reform),
                format!("{:.0}", d.change),
                String::new(),
                format!("{:.0}", d.affected),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ])?;
        }
    }
    c.write_record([
        "total".to_string(),
        "all".into(),
        String::new(),
        String::new(),
        format!("{:.0}", x.total_change),
        format!("{:.0}", x.total_change_with_behaviour),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
    ])?;
    let section = match x.deciles_by {
        DecileBy::Earner => "decile",
        DecileBy::Household => "household_decile",
    };
    for d in x.deciles.iter().chain(std::iter::once(&x.top1)) {
        c.write_record([
            section.to_string(),
            d.decile.map_or("top1".into(), |n| n.to_string()),
            format!("{:.0}", d.baseline_tax),
            format!("{:.0}", d.reform_tax),
            format!("{:.0}", d.reform_tax - d.baseline_tax),
            String::new(),
            String::new(),
            format!("{:.0}", d.persons),
            format!("{:.0}", d.mean_income),
            format!("{:.2}", d.avg_change),
            format!("{:.4}", d.change_pct_of_income),
            format!("{:.4}", d.winners_share),
            format!("{:.4}", d.losers_share),
        ])?;
    }
    c.flush()?;
    Ok(())
}

pub fn checks(w: &mut dyn Write, r: &Response<CheckResult>, lang: Lang) -> io::Result<()> {
    let zh = lang.is_zh();
    let c = &r.body;
    if zh {
        writeln!(w, "{} 課稅年度的校準及驗證\n", c.year)?;
    } else {
        writeln!(
            w,
            "Calibration and validation, year of assessment {}\n",
            c.year
        )?;
    }
    let h: [&str; 6] = if zh {
        ["人口", "目標", "公布數字", "模型", "誤差", "用途"]
    } else {
        [
            "population",
            "target",
            "published",
            "model",
            "error",
            "role",
        ]
    };
    writeln!(
        w,
        "{} {} {} {} {}  {}",
        pad_right(h[0], 14),
        pad_right(h[1], 66),
        pad_left(h[2], 17),
        pad_left(h[3], 17),
        pad_left(h[4], 8),
        h[5]
    )?;
    for row in &c.checks {
        writeln!(
            w,
            "{} {} {} {} {}  {}",
            pad_right(row.population.label().pick(lang), 14),
            pad_right(&shorten(row.target.pick(lang), 66), 66),
            pad_left(&num(row.published, 0), 17),
            pad_left(&num(row.model, 0), 17),
            pad_left(&format!("{:.2}%", row.error_pct), 8),
            row.role.label().pick(lang)
        )?;
        writeln!(
            w,
            "{} {}{} ({}){}",
            pad_right("", 14),
            if zh { "來源：" } else { "source: " },
            row.source.document,
            row.status.label().pick(lang),
            row.note
                .as_ref()
                .map_or(String::new(), |n| format!("; {n}"))
        )?;
    }
    writeln!(
        w,
        "\n{}",
        if zh {
            "「校準目標」是權重的約束條件（按構造必然吻合）；「驗證」目標不用於擬合。"
        } else {
            "'calibrated' targets are constraints of the weights (they hold by construction); 'validation' targets are not used to fit."
        }
    )
}

/// docs/VALIDATION.md: calibrated targets (which hold by construction) apart from the
/// out-of-sample checks, every year.
pub fn validation_markdown(w: &mut dyn Write, r: &Response<ValidationResult>) -> io::Result<()> {
    let v = &r.body;
    writeln!(w, "# Validation: model against official figures\n")?;
    writeln!(
        w,
        "Regenerate with `hkbudget population validate` (population: {} earner records, {} business records, seed {}).\n",
        v.population.persons, v.population.businesses, v.population.seed
    )?;
    writeln!(
        w,
        "*Calibrated* targets are constraints of the calibrated weights and hold by construction: they show the solver converged, not that the model is right. *Validation* targets are not used to fit and measure the model's error; `crates/hkb-microsim/tests/model.rs` asserts a bound on each. The model computes the tax assessed for a year of assessment; the salaries and profits tax rows compare *collections* in the financial year of the row's label (2020/21 is FY2020-21), mapped from the model's assessments: last year's final tax after its one-off reduction plus the first instalment (75%, an assumption) of this year's provisional tax, less last year's (`crates/hkb-microsim/src/collections.rs`). Each year's weights are calibrated so that the next financial year's collections hold, so these rows hold by construction; FY2017-18 has no model figure (it collects YA 2016/17's tax, before the law tree). The salaries rows are salaries tax only (IRD's personal assessment line is not in the population); the FY2025-26 salaries and profits figures are the 2026-27 Budget's revised estimates (Government accounts basis). Tenement rows are for the financial year of the same label (2020/21 is FY2020-21); their calibrated rows are least-squares fits of two parameters per class to more concession costs, so they keep small residuals (docs/MICROSIM.md, \"Rates\").\n"
    )?;
    for (title, role) in [
        (
            "## Out-of-sample checks (validation)",
            TargetRole::Validation,
        ),
        (
            "## Calibrated targets (hold by construction)",
            TargetRole::Calibrated,
        ),
    ] {
        writeln!(w, "{title}\n")?;
        writeln!(
            w,
            "| Year | Population | Target | Published | Model | Error | Source |\n|---|---|---|---:|---:|---:|---|"
        )?;
        for y in &v.years {
            for row in y.checks.iter().filter(|c| c.role == role) {
                writeln!(
                    w,
                    "| {} | {} | {} | {} | {} | {:+.2}% | [{}]({}) |",
                    y.year,
                    row.population.label().en,
                    row.target.en,
                    num(row.published, 0),
                    num(row.model, 0),
                    row.error_pct,
                    row.source.document.replace('|', "/"),
                    row.source.url
                )?;
            }
        }
        writeln!(w)?;
    }
    writeln!(
        w,
        "## Collections by financial year and head\n\nWhat each head collected in the financial year of the label (2020/21 is FY2020-21) under the law then in force, the model's beside the published. *calibrated*: the model is fitted to the figure, so it holds by construction; *validation*: a test the model can fail; *—*: the model has no figure (FY2017-18 salaries and profits tax collect YA 2016/17's tax, before the law tree; personal assessment is not in the population) or nothing was published. Stamp duty on property is the model's residential and non-residential deals against all stamp duty other than on stock; leases and other instruments are not in the population, so the model should fall a little below it.\n"
    )?;
    writeln!(
        w,
        "| Financial year | Head | Published | Model | Error | Role | Source |\n|---|---|---:|---:|---:|---|---|"
    )?;
    for y in &v.collections {
        for h in &y.heads {
            let c = &h.collections;
            let fy = format!("{}-{:02}", y.year.0, (y.year.0 + 1) % 100);
            writeln!(
                w,
                "| {} | {} | {} | {} | {} | {} | {} |",
                fy,
                h.label.en,
                c.published.map_or("—".to_string(), |p| num(p, 0)),
                c.model.map_or("—".to_string(), |m| num(m, 0)),
                h.error_pct.map_or("—".to_string(), |e| format!("{e:+.2}%")),
                h.role.map_or("—".to_string(), |r| r.label().en.to_string()),
                c.source.as_ref().map_or("—".to_string(), |s| format!(
                    "[{}]({})",
                    s.document.replace('|', "/"),
                    s.url
                ))
            )?;
        }
    }
    writeln!(w)?;
    writeln!(
        w,
        "## How far calibration moved the weights\n\nThe largest and smallest ratio of a record's calibrated weight to its design weight (earners) or to the year's mean weight (businesses, whose design weights are uniform). {}\n",
        match v.weight_bounds {
            Some((lo, hi)) => format!(
                "Calibration keeps every ratio between {} and {} (Deville and Särndal's logit distance; the bounds are an assumption in `data/population/sources.yaml`, `weight_bounds`); a population too small to meet its targets within them widens them step by step (x2.5, x5, x10, x25), as the table shows.",
                num(lo, 2),
                num(hi, 0)
            ),
            None => "No bounds are set: the entropy distance lets a weight move without limit."
                .to_string(),
        }
    )?;
    writeln!(
        w,
        "| Year | Earners: largest | Earners: smallest | Businesses: largest | Businesses: smallest |\n|---|---:|---:|---:|---:|"
    )?;
    for s in &v.weights {
        writeln!(
            w,
            "| {} | {:.2} | {:.3} | {:.2} | {:.3} |",
            s.year,
            s.earners_largest,
            s.earners_smallest,
            s.businesses_largest,
            s.businesses_smallest
        )?;
    }
    writeln!(w)?;
    Ok(())
}
