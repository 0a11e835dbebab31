//! The fiscal projection: baseline and scenario by year, the risk table, published figures,
//! derivations; and its CSV.

use crate::text::Table;
use hkb_engine::Response;
use hkb_engine::project::Projection;
use hkb_fiscal::accounts::Accounts;
use hkb_fiscal::montecarlo::MonteCarlo;
use hkb_law::Lang;
use std::io::{self, Write};

/// The rows of a Monte Carlo's risk table: reserves percentiles and the probabilities.
pub fn risk_rows(m: &MonteCarlo, lang: Lang) -> Vec<(String, Vec<f64>, usize)> {
    let p = &m.probabilities;
    let zh = lang.is_zh();
    let mut rows = vec![
        (
            if zh {
                "  儲備第5百分位"
            } else {
                "  reserves p5"
            }
            .to_string(),
            m.reserves.p5.clone(),
            1,
        ),
        (
            if zh {
                "  儲備中位數"
            } else {
                "  reserves p50"
            }
            .to_string(),
            m.reserves.p50.clone(),
            1,
        ),
        (
            if zh {
                "  儲備第95百分位"
            } else {
                "  reserves p95"
            }
            .to_string(),
            m.reserves.p95.clone(),
            1,
        ),
        (
            if zh {
                format!("  儲備少於 {} 個月開支的概率", p.months_threshold)
            } else {
                format!("  P(reserves < {} months of spending)", p.months_threshold)
            },
            p.reserves_below_months.clone(),
            2,
        ),
    ];
    if let (Some(v), Some(b)) = (&p.reserves_below_bn, p.reserves_threshold_bn) {
        rows.push((
            if zh {
                format!("  儲備少於 {b} 十億元的概率")
            } else {
                format!("  P(reserves < HK${b}bn)")
            },
            v.clone(),
            2,
        ));
    }
    rows.push((
        if zh {
            "  錄得綜合盈餘的概率".to_string()
        } else {
            "  P(consolidated surplus)".to_string()
        },
        p.consolidated_surplus.clone(),
        2,
    ));
    rows.push((
        if zh {
            "  債券餘額超過借款上限的概率".to_string()
        } else {
            "  P(bonds above the borrowing ceiling)".to_string()
        },
        p.debt_above_ceiling.clone(),
        2,
    ));
    rows
}

/// Adds a Monte Carlo's risk rows to a table.
pub fn risk_table(t: &mut Table, m: &MonteCarlo, lang: Lang, what: &str) {
    t.blank().text(&if lang.is_zh() {
        format!(
            "{what}的風險：{} 條路徑（種子 {}，重抽歷史年度）",
            m.paths, m.seed
        )
    } else {
        format!(
            "Risk of the {what}: {} paths (seed {}, bootstrap of historical years)",
            m.paths, m.seed
        )
    });
    for (label, v, d) in risk_rows(m, lang) {
        t.values(&label, &v, d);
    }
}

fn accounts_rows(t: &mut Table, a: &Accounts, lang: Lang) {
    let zh = lang.is_zh();
    let net: Vec<f64> = a
        .bond_proceeds
        .values
        .iter()
        .zip(&a.bond_repayment.values)
        .map(|(p, r)| p - r)
        .collect();
    t.values(
        if zh { "  收入" } else { "  revenue" },
        &a.revenue.values,
        1,
    );
    t.values(
        if zh { "  開支" } else { "  expenditure" },
        &a.expenditure.values,
        1,
    );
    t.values(
        if zh {
            "  發行債券減償還"
        } else {
            "  bond proceeds − repayment"
        },
        &net,
        1,
    );
    t.values(
        if zh {
            "  綜合帳目盈虧"
        } else {
            "  consolidated balance"
        },
        &a.balance.values,
        1,
    );
    t.values(
        if zh {
            "  財政儲備（3月31日）"
        } else {
            "  reserves at 31 March"
        },
        &a.reserves.values,
        1,
    );
    t.values(
        if zh {
            "  儲備相當於開支月數"
        } else {
            "  reserves, months of spending"
        },
        &a.reserves_months_of_expenditure.values,
        1,
    );
    t.values(
        if zh {
            "  未償還債券"
        } else {
            "  bonds outstanding"
        },
        &a.debt.values,
        1,
    );
}

pub fn projection(w: &mut dyn Write, r: &Response<Projection>, lang: Lang) -> io::Result<()> {
    let p = &r.body;
    let zh = lang.is_zh();
    if zh {
        writeln!(w, "財政預測：{} 年度中期預測（十億港元）\n", p.vintage)?;
    } else {
        writeln!(
            w,
            "Fiscal projection, {} Medium Range Forecast vintage (HK$bn)\n",
            p.vintage
        )?;
    }
    let mut t = Table::new(36, 10);
    t.header("", p.years.iter().map(|y| y.to_string()));
    t.text(if zh { "基線" } else { "Baseline" });
    accounts_rows(&mut t, &p.baseline, lang);
    if let Some(pkg) = &p.package {
        let name = pkg
            .name
            .as_ref()
            .map_or(String::new(), |n| n.pick(lang).to_string());
        t.text(&if zh {
            format!("情景（組合：{name}）")
        } else {
            format!("Scenario (package: {name})")
        });
        accounts_rows(&mut t, &p.scenario, lang);
        t.values(
            if zh {
                "收支差額的變動"
            } else {
                "Difference in balance"
            },
            &p.difference.balance,
            1,
        );
    }
    if let Some(m) = &p.monte_carlo {
        risk_table(
            &mut t,
            m,
            lang,
            if p.package.is_some() {
                if zh { "情景" } else { "scenario" }
            } else if zh {
                "基線"
            } else {
                "baseline"
            },
        );
    }
    t.write(w)?;
    writeln!(
        w,
        "\n{}",
        if zh {
            "已公布的預測數字與模型（「按構造」者由模型設定為吻合）："
        } else {
            "Published figures of the forecast beside the model (those 'by construction' are set to match):"
        }
    )?;
    for x in &p.published {
        let how = match (x.by_construction, x.floor, zh) {
            (_, true, false) => "  (a floor: the model should be above it)",
            (_, true, true) => "（下限：模型應高於此數）",
            (true, _, false) => "  (by construction)",
            (true, _, true) => "（按構造）",
            (false, _, false) => "  (computed)",
            (false, _, true) => "（計算所得）",
        };
        writeln!(
            w,
            "  {} {} {} {:>8.1}  {} {:>8.1}{how}",
            crate::text::pad_right(&crate::text::shorten(x.what.pick(lang), 36), 36),
            crate::text::pad_right(&x.year, 12),
            if zh { "公布" } else { "published" },
            x.published,
            if zh { "模型" } else { "model" },
            x.model
        )?;
    }
    writeln!(
        w,
        "\n{}",
        if zh {
            "推算項目（中期預測沒有公布逐年數字）："
        } else {
            "Derived lines (the Medium Range Forecast's year-by-year tables are a gap in the sources):"
        }
    )?;
    for d in &p.derivations {
        writeln!(
            w,
            "  {}{}{}",
            d.line.pick(lang),
            if zh { "：" } else { ": " },
            d.method.pick(lang)
        )?;
    }
    Ok(())
}

/// The projection as one CSV table: a row per line and a column per year.
pub fn projection_csv(w: &mut dyn Write, r: &Response<Projection>) -> Result<(), csv::Error> {
    let p = &r.body;
    let mut c = csv::Writer::from_writer(w);
    let mut head = vec!["line".to_string()];
    head.extend(p.years.iter().map(|y| y.to_string()));
    c.write_record(&head)?;
    let mut row = |name: &str, v: &[f64]| -> Result<(), csv::Error> {
        let mut r = vec![name.to_string()];
        r.extend(v.iter().map(|x| format!("{x:.2}")));
        c.write_record(&r)
    };
    for (name, acc) in [("baseline", &p.baseline), ("scenario", &p.scenario)] {
        row(&format!("{name}.revenue"), &acc.revenue.values)?;
        row(&format!("{name}.expenditure"), &acc.expenditure.values)?;
        row(&format!("{name}.balance"), &acc.balance.values)?;
        row(&format!("{name}.reserves"), &acc.reserves.values)?;
        row(&format!("{name}.debt"), &acc.debt.values)?;
    }
    if let Some(m) = &p.monte_carlo {
        row("reserves.p5", &m.reserves.p5)?;
        row("reserves.p50", &m.reserves.p50)?;
        row("reserves.p95", &m.reserves.p95)?;
        row(
            "p.reserves_below_months",
            &m.probabilities.reserves_below_months,
        )?;
        if let Some(v) = &m.probabilities.reserves_below_bn {
            row("p.reserves_below_bn", v)?;
        }
        row(
            "p.consolidated_surplus",
            &m.probabilities.consolidated_surplus,
        )?;
        row("p.debt_above_ceiling", &m.probabilities.debt_above_ceiling)?;
    }
    c.flush()?;
    Ok(())
}
