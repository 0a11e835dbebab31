//! Packages: each item's contribution by year, the totals, the risk; the comparison of several
//! packages; and the exports (one CSV table, a workbook with every costing parameter and its
//! source).

use crate::text::{Table, shorten};
use hkb_engine::Response;
use hkb_engine::package::{Comparison, ContributionKind, PackageResult};
use hkb_law::{Bilingual, Lang};
use std::io::{self, Write};

fn kind_key(k: ContributionKind) -> &'static str {
    match k {
        ContributionKind::Proposal => "proposal",
        ContributionKind::Custom => "custom",
        ContributionKind::Reform => "reform",
        ContributionKind::Line => "line",
    }
}

/// The rows every export shares: (kind, id, title en, title zh, in baseline) and the values by
/// year — contributions, then the totals and the accounts.
pub fn export_rows(r: &PackageResult) -> Vec<([String; 5], Vec<f64>)> {
    let mut rows: Vec<([String; 5], Vec<f64>)> = r
        .contributions
        .iter()
        .map(|c| {
            (
                [
                    kind_key(c.kind).to_string(),
                    c.id.clone(),
                    c.title.en.to_string(),
                    c.title.zh.to_string(),
                    c.in_baseline.clone().unwrap_or_default(),
                ],
                if c.in_baseline.is_some() {
                    c.costed_effect_bn.clone()
                } else {
                    c.effect_bn.clone()
                },
            )
        })
        .collect();
    for (id, label, values) in summary_rows(r) {
        rows.push((
            [
                "total".into(),
                id.into(),
                label.en.to_string(),
                label.zh.to_string(),
                String::new(),
            ],
            values,
        ));
    }
    rows
}

/// The totals and accounts below the contributions.
pub fn summary_rows(r: &PackageResult) -> Vec<(&'static str, Bilingual, Vec<f64>)> {
    let t = &r.totals;
    let names = path_names(r);
    vec![
        (
            "total",
            Bilingual::fixed("Package total (change in balance)", "組合合計（收支變動）"),
            t.change_in_balance.clone(),
        ),
        (
            "total_all_low",
            Bilingual::fixed("  every proposal at its low setting", "  所有建議取低設定"),
            t.all_low.clone(),
        ),
        (
            "total_all_high",
            Bilingual::fixed("  every proposal at its high setting", "  所有建議取高設定"),
            t.all_high.clone(),
        ),
        (
            "total_excluding_bonds",
            Bilingual::fixed(
                "Package total excluding net bond proceeds",
                "組合合計（不計債券淨收入）",
            ),
            t.excluding_net_bond_proceeds.clone(),
        ),
        (
            "baseline_balance",
            names.baseline_balance,
            r.baseline.balance.values.clone(),
        ),
        (
            "scenario_balance",
            names.scenario_balance,
            r.scenario.balance.values.clone(),
        ),
        (
            "baseline_reserves",
            names.baseline_reserves,
            r.baseline.reserves.values.clone(),
        ),
        (
            "scenario_reserves",
            names.scenario_reserves,
            r.scenario.reserves.values.clone(),
        ),
    ]
}

/// What the two paths are called: baseline and scenario, or (for a Budget's own measures) the
/// counterfactual and the published forecast.
struct PathNames {
    baseline_balance: Bilingual,
    scenario_balance: Bilingual,
    baseline_reserves: Bilingual,
    scenario_reserves: Bilingual,
}

fn path_names(r: &PackageResult) -> PathNames {
    if r.counterfactual.is_some() {
        PathNames {
            baseline_balance: Bilingual::fixed(
                "Counterfactual consolidated balance (without the measures)",
                "反事實綜合帳目盈虧（不計各項措施）",
            ),
            scenario_balance: Bilingual::fixed(
                "Published forecast consolidated balance",
                "已公布預測的綜合帳目盈虧",
            ),
            baseline_reserves: Bilingual::fixed("Counterfactual fiscal reserves", "反事實財政儲備"),
            scenario_reserves: Bilingual::fixed(
                "Published forecast fiscal reserves",
                "已公布預測的財政儲備",
            ),
        }
    } else {
        PathNames {
            baseline_balance: Bilingual::fixed("Baseline consolidated balance", "基線綜合帳目盈虧"),
            scenario_balance: Bilingual::fixed("Scenario consolidated balance", "情景綜合帳目盈虧"),
            baseline_reserves: Bilingual::fixed("Baseline fiscal reserves", "基線財政儲備"),
            scenario_reserves: Bilingual::fixed("Scenario fiscal reserves", "情景財政儲備"),
        }
    }
}

pub fn run(w: &mut dyn Write, r: &Response<PackageResult>, lang: Lang) -> io::Result<()> {
    let p = &r.body;
    let zh = lang.is_zh();
    let name = p
        .name
        .as_ref()
        .map_or(String::new(), |n| n.pick(lang).to_string());
    match (&p.counterfactual, zh) {
        (Some(cf), true) => writeln!(
            w,
            "組合「{name}」：{} 年度預測相對其反事實情況（十億港元，對綜合帳目盈虧的影響）\n反事實：{}\n",
            p.vintage, cf.zh
        )?,
        (Some(cf), false) => writeln!(
            w,
            "Package '{name}': the {} forecast against its counterfactual (HK$bn, effect on the consolidated balance)\nCounterfactual: {}\n",
            p.vintage, cf.en
        )?,
        (None, true) => writeln!(
            w,
            "組合「{name}」對 {} 年度基線的影響（十億港元，對綜合帳目盈虧的影響）\n",
            p.vintage
        )?,
        (None, false) => writeln!(
            w,
            "Package '{name}' against the {} baseline (HK$bn, effect on the consolidated balance)\n",
            p.vintage
        )?,
    }
    let mut t = Table::new(54, 10);
    t.header("", p.years.iter().map(|y| y.to_string()));
    t.values(
        match (p.counterfactual.is_some(), zh) {
            (true, true) => "反事實收支（不計各項措施）",
            (true, false) => "Counterfactual balance (without the measures)",
            (false, true) => "基線收支",
            (false, false) => "Baseline balance",
        },
        &p.baseline.balance.values,
        2,
    );
    for c in &p.contributions {
        let mark = if c.in_baseline.is_some() {
            if zh {
                "［已計入基線］"
            } else {
                "[in baseline] "
            }
        } else {
            ""
        };
        let label = format!("  + {mark}{} {}", c.id, c.title.pick(lang));
        t.values(&shorten(&label, 54), &c.effect_bn, 2);
    }
    for (id, label, v) in summary_rows(p) {
        if id.starts_with("baseline_balance") {
            continue;
        }
        t.values(label.pick(lang), &v, 2);
    }
    if let Some(m) = &p.monte_carlo {
        crate::fiscal::risk_table(&mut t, m, lang, if zh { "情景" } else { "scenario" });
    }
    t.write(w)?;
    for c in p.contributions.iter().filter(|c| c.in_baseline.is_some()) {
        if zh {
            writeln!(
                w,
                "\n{} 已計入基線：{}",
                c.id,
                c.in_baseline.as_deref().unwrap_or("")
            )?;
        } else {
            writeln!(
                w,
                "\n{} is already in the baseline: {}",
                c.id,
                c.in_baseline.as_deref().unwrap_or("")
            )?;
        }
        let mut t = Table::new(54, 10);
        t.values(
            if zh {
                "  估算影響（僅供參考）"
            } else {
                "  costed effect for reference"
            },
            &c.costed_effect_bn,
            2,
        );
        t.write(w)?;
    }
    let sourced: Vec<_> = p
        .contributions
        .iter()
        .filter(|c| c.status.is_some() || c.source.is_some() || c.note.is_some())
        .collect();
    if !sourced.is_empty() {
        writeln!(
            w,
            "\n{}",
            if zh {
                "各項金額的依據"
            } else {
                "Where each amount comes from"
            }
        )?;
        for c in sourced {
            let status = c
                .status
                .map_or(String::new(), |s| format!(" [{}]", s.label().pick(lang)));
            writeln!(w, "  {} {}{status}", c.id, c.title.pick(lang))?;
            if let Some(n) = &c.note {
                for line in crate::text::wrap(n.pick(lang), 96) {
                    writeln!(w, "      {line}")?;
                }
            }
            if let Some(src) = &c.source {
                writeln!(w, "      {}{src}", if zh { "來源：" } else { "source: " })?;
            }
        }
    }
    if p.counterfactual.is_some() {
        return Ok(());
    }
    let n = p.quantifiable_not_in_package.len();
    if n == 0 {
        writeln!(
            w,
            "\n{}",
            if zh {
                "商會所有可量化建議均已包括在此組合內。"
            } else {
                "Every quantifiable CGCC proposal is in this package."
            }
        )
    } else if zh {
        writeln!(
            w,
            "\n未包括在此組合內的商會可量化建議（{n} 項）：{}",
            p.quantifiable_not_in_package.join(" ")
        )
    } else {
        writeln!(
            w,
            "\nQuantifiable CGCC proposals not in this package ({n}): {}",
            p.quantifiable_not_in_package.join(" ")
        )
    }
}

/// One CSV table: a row per contribution and per total, a column per year.
pub fn run_csv(w: &mut dyn Write, r: &Response<PackageResult>) -> Result<(), csv::Error> {
    let p = &r.body;
    let mut c = csv::Writer::from_writer(w);
    let mut head: Vec<String> = ["kind", "id", "title_en", "title_zh", "in_baseline"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    head.extend(p.years.iter().map(|y| y.to_string()));
    c.write_record(&head)?;
    for (cells, v) in export_rows(p) {
        let mut row = cells.to_vec();
        row.extend(v.iter().map(|x| format!("{x:.4}")));
        c.write_record(&row)?;
    }
    c.flush()?;
    Ok(())
}

pub fn compare(w: &mut dyn Write, r: &Response<Comparison>, lang: Lang) -> io::Result<()> {
    let c = &r.body;
    let zh = lang.is_zh();
    if zh {
        writeln!(w, "各組合對 {} 年度基線的比較（十億港元）\n", c.vintage)?;
    } else {
        writeln!(w, "Packages against the {} baseline (HK$bn)\n", c.vintage)?;
    }
    for (i, p) in c.packages.iter().enumerate() {
        writeln!(
            w,
            "[{}] {}",
            i + 1,
            p.name.as_ref().map_or("", |n| n.pick(lang))
        )?;
    }
    writeln!(w)?;
    let mut t = Table::new(44, 10);
    type Pick = fn(&hkb_fiscal::accounts::Accounts) -> &[f64];
    let sections: [(&str, &str, Pick); 4] = [
        ("Revenue", "收入", |a| &a.revenue.values),
        ("Expenditure", "開支", |a| &a.expenditure.values),
        ("Consolidated balance", "綜合帳目盈虧", |a| {
            &a.balance.values
        }),
        (
            "Fiscal reserves (31 March)",
            "財政儲備（3月31日）",
            |a| &a.reserves.values,
        ),
    ];
    for (en, zh_label, get) in sections {
        t.header(
            if zh { zh_label } else { en },
            c.years.iter().map(|y| y.to_string()),
        );
        t.values(
            if zh { "  基線" } else { "  baseline" },
            get(&c.baseline),
            1,
        );
        for (i, p) in c.packages.iter().enumerate() {
            t.values(&format!("  [{}]", i + 1), get(&p.scenario), 1);
        }
        t.blank();
    }
    t.header(
        if zh {
            "收支變動（相對基線）"
        } else {
            "Change in balance against the baseline"
        },
        c.years.iter().map(|y| y.to_string()),
    );
    for (i, p) in c.packages.iter().enumerate() {
        t.values(&format!("  [{}]", i + 1), &p.change_in_balance, 2);
    }
    if c.packages.len() == 2 {
        let d: Vec<f64> = c.packages[1]
            .change_in_balance
            .iter()
            .zip(&c.packages[0].change_in_balance)
            .map(|(b, a)| b - a)
            .collect();
        t.values(
            if zh {
                "  [2] 減 [1]"
            } else {
                "  [2] minus [1]"
            },
            &d,
            2,
        );
    }
    t.write(w)
}

/// A package's workbook: contributions by year with the totals, every costing parameter with
/// its settings, range, status and source (so a reader can audit each figure), and an About
/// sheet. Titles are never cut.
pub fn workbook(r: &Response<PackageResult>) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let p = &r.body;
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("0.00");
    let wrap = Format::new().set_text_wrap();
    let mut wb = Workbook::new();

    let ws = wb.add_worksheet().set_name("Contributions")?;
    let cols = ["kind", "id", "title_en", "title_zh", "in_baseline"];
    for (c, h) in cols
        .iter()
        .map(|s| s.to_string())
        .chain(p.years.iter().map(|y| y.to_string()))
        .enumerate()
    {
        ws.write_string_with_format(0, c as u16, &h, &bold)?;
    }
    for (i, (cells, v)) in export_rows(p).iter().enumerate() {
        let row = i as u32 + 1;
        for (c, text) in cells.iter().enumerate() {
            if c == 2 || c == 3 || c == 4 {
                ws.write_string_with_format(row, c as u16, text, &wrap)?;
            } else {
                ws.write_string(row, c as u16, text)?;
            }
        }
        for (t, x) in v.iter().enumerate() {
            ws.write_number_with_format(row, (cols.len() + t) as u16, *x, &money)?;
        }
    }
    ws.set_column_width(0, 10)?;
    ws.set_column_width(1, 16)?;
    ws.set_column_width(2, 60)?;
    ws.set_column_width(3, 40)?;
    ws.set_column_width(4, 40)?;

    let ws = wb.add_worksheet().set_name("Parameters")?;
    let head = [
        "id",
        "parameter",
        "central",
        "low",
        "high",
        "allowed_min",
        "allowed_max",
        "unit",
        "status",
        "note",
        "source_document",
        "source_url",
    ];
    for (c, h) in head.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    let mut row = 1u32;
    for (k, c) in p.costings_used.iter().enumerate() {
        let contribution = p.contributions.get(k);
        for (name, prm) in &c.parameters {
            // The values actually used (overrides included), where the costing ran.
            let used = |s: hkb_proposals::Setting, default: f64| {
                contribution
                    .and_then(|x| x.costing.as_ref())
                    .and_then(|x| x.settings.get(&s))
                    .and_then(|x| x.values.get(name))
                    .copied()
                    .unwrap_or(default)
            };
            ws.write_string(row, 0, &c.id)?;
            ws.write_string(row, 1, name)?;
            for (col, x) in [
                used(hkb_proposals::Setting::Central, prm.value),
                used(hkb_proposals::Setting::Low, prm.low),
                used(hkb_proposals::Setting::High, prm.high),
                prm.allowed[0],
                prm.allowed[1],
            ]
            .iter()
            .enumerate()
            {
                ws.write_number(row, (2 + col) as u16, *x)?;
            }
            ws.write_string(row, 7, &prm.unit)?;
            ws.write_string(row, 8, prm.status.as_str())?;
            ws.write_string_with_format(row, 9, prm.note.as_deref().unwrap_or(""), &wrap)?;
            ws.write_string_with_format(row, 10, &prm.source.document, &wrap)?;
            ws.write_string(row, 11, &prm.source.url)?;
            row += 1;
        }
    }
    ws.set_column_width(1, 28)?;
    ws.set_column_width(7, 30)?;
    ws.set_column_width(9, 50)?;
    ws.set_column_width(10, 50)?;

    let ws = wb.add_worksheet().set_name("About")?;
    let name = p.name.clone().unwrap_or_else(|| Bilingual::fixed("", ""));
    for (i, (k, v)) in [
        ("package (en)", name.en.to_string()),
        ("package (zh)", name.zh.to_string()),
        ("vintage", p.vintage.clone()),
        ("units", p.units.en.to_string()),
        ("單位", p.units.zh.to_string()),
        (
            "settings",
            "proposals at their central setting; Parameters lists the values used at each setting"
                .to_string(),
        ),
        ("made by", r.provenance.engine.clone()),
        ("law fingerprint", r.provenance.law_fingerprint.clone()),
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(i as u32, 0, *k, &bold)?;
        ws.write_string(i as u32, 1, v)?;
    }
    ws.set_column_width(0, 18)?;
    ws.set_column_width(1, 100)?;
    wb.save_to_buffer()
}
