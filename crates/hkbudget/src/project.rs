//! `hkbudget project`: the fiscal projection, scenarios and Monte Carlo risk.

use crate::cli::{ProjectArgs, RunFormat};
use crate::{UserError, user};
use hkb_fiscal::accounts::{Accounts, history};
use hkb_fiscal::data::Data;
use hkb_fiscal::montecarlo::{Drivers, run as monte_carlo};
use hkb_fiscal::package::{Package, additions, line_values};
use hkb_fiscal::vintage::baseline;
use hkb_law::{Law, Reform, YearOfAssessment};
use serde_json::{Value, json};
use std::time::Instant;

fn lines(a: &Accounts) -> Value {
    json!({
        "revenue": a.revenue.values, "expenditure": a.expenditure.values,
        "bond_proceeds": a.bond_proceeds.values, "bond_repayment": a.bond_repayment.values,
        "balance_before_bonds": a.balance_before_bonds.values, "balance": a.balance.values,
        "reserves": a.reserves.values, "reserves_months_of_expenditure": a.reserves_months_of_expenditure.values,
        "debt": a.debt.values,
        "heads": a.heads.iter().map(|(h, l)| (h.clone(), json!(l.values))).collect::<serde_json::Map<_, _>>(),
        "status": a.balance.status,
    })
}

pub fn run(law: &Law, a: ProjectArgs) -> anyhow::Result<()> {
    let paths: usize = match a.paths.trim().parse::<i64>() {
        Ok(n) if (0..=2_000_000).contains(&n) => n as usize,
        _ => {
            return user(format!(
                "--paths: '{}' must be a whole number from 0 to 2,000,000",
                a.paths
            ));
        }
    };
    if !a.shock_scale.is_finite() || !(0.0..=5.0).contains(&a.shock_scale) {
        return user(format!(
            "--shock-scale: {} must be between 0 and 5",
            a.shock_scale
        ));
    }
    if !a.months.is_finite() || a.months <= 0.0 {
        return user("--months: must be a positive number of months");
    }
    let data = Data::embedded()?;
    let base = baseline(&data, &a.vintage)?;
    let hist = history(&data, 2018, 2024)?;
    let package: Option<Package> = match &a.package {
        Some(p) => Some(crate::calc::read_input(p, "package")?),
        None => None,
    };
    // Reforms in the package are costed by the microsimulation and enter as revenue lines that
    // grow with nominal GDP.
    let mut revenue_lines = Vec::new();
    let mut costings = Vec::new();
    if let Some(p) = &package {
        for (i, r) in p.reforms.iter().enumerate() {
            let y: YearOfAssessment = r
                .year
                .parse()
                .map_err(|e: String| UserError(format!("reforms[{i}].year: {e}")))?;
            let path = a
                .package
                .as_ref()
                .and_then(|f| f.parent())
                .map_or_else(|| r.file.clone().into(), |d| d.join(&r.file));
            let path = if path.exists() {
                path
            } else {
                std::path::PathBuf::from(&r.file)
            };
            let reform = Reform::from_file(law, &path)?;
            let spec = hkb_microsim::model::BuildSpec {
                persons: a.persons,
                businesses: a.businesses,
                ..Default::default()
            };
            let model = crate::sim::load_or_build(law, spec, false, true)?;
            let res = hkb_microsim::society::run(law, &model, y, Some(&reform))?;
            let first_bn = res.total_change_with_behaviour / 1e9;
            let mut v = line_values(
                &base,
                first_bn,
                &r.start,
                r.end.as_deref(),
                0.0,
                &format!("reforms[{i}]"),
            )
            .map_err(|e| UserError(e.to_string()))?;
            if r.grow_with_gdp {
                let s = base
                    .accounts
                    .years
                    .iter()
                    .position(|yy| *yy == r.start)
                    .unwrap_or(0);
                for (t, x) in v.iter_mut().enumerate() {
                    *x *= base.nominal_gdp[t] / base.nominal_gdp[s];
                }
            }
            costings.push(json!({"file": r.file, "year": r.year, "change_bn": res.total_change / 1e9, "change_with_behaviour_bn": first_bn, "by_tax": res.taxes}));
            revenue_lines.push(hkb_fiscal::package::CostedLine::revenue("other_revenue", v));
        }
    }
    let empty = Package {
        name: None,
        lines: vec![],
        reforms: vec![],
    };
    let extra = additions(&base, package.as_ref().unwrap_or(&empty), &revenue_lines)
        .map_err(|e| UserError(e.to_string()))?;
    let drivers = Drivers::from_history(&data)?;
    let scenario = hkb_fiscal::montecarlo::path(
        &base,
        &extra,
        &drivers,
        &vec![0; base.accounts.years.len()],
        0.0,
    );
    let t = Instant::now();
    let mc = (paths > 0).then(|| {
        monte_carlo(
            &base,
            &extra,
            &drivers,
            paths,
            a.seed,
            a.shock_scale,
            a.months,
        )
        .0
    });
    let mc_ms = t.elapsed().as_secs_f64() * 1000.0;

    if let Some(which) = &a.chart {
        write_fan_chart(
            which,
            a.out.as_deref(),
            a.lang,
            &a.vintage,
            &base.accounts.years,
            mc.as_ref(),
            &base.accounts,
        )?;
    }

    let diff: Vec<f64> = scenario
        .balance
        .values
        .iter()
        .zip(&base.accounts.balance.values)
        .map(|(s, b)| s - b)
        .collect();
    match a.format {
        RunFormat::Json => {
            let v = json!({
                "vintage": a.vintage,
                "years": base.accounts.years,
                "baseline": lines(&base.accounts),
                "scenario": lines(&scenario),
                "difference": {"balance": diff, "reserves": scenario.reserves.values.iter().zip(&base.accounts.reserves.values).map(|(s, b)| s - b).collect::<Vec<_>>()},
                "fan": mc.as_ref().map(|m| json!({"balance": m.balance, "reserves": m.reserves, "debt": m.debt})),
                "probabilities": mc.as_ref().map(|m| &m.probabilities),
                "monte_carlo": mc.as_ref().map(|m| json!({"paths": m.paths, "seed": m.seed, "shock_scale": m.shock_scale, "method": m.method, "elapsed_ms": mc_ms})),
                "published": base.published,
                "derivations": base.derivations,
                "history": {"years": hist.years, "lines": lines(&hist), "status": hist.reserves.status, "discrepancy": hist.discrepancy.as_ref().map(|d| &d.values)},
                "package_costings": costings,
                "units": "HK$bn",
            });
            println!("{}", serde_json::to_string_pretty(&v)?);
        }
        RunFormat::Csv => {
            println!("line,{}", base.accounts.years.join(","));
            let row = |name: &str, v: &[f64]| {
                println!(
                    "{name},{}",
                    v.iter()
                        .map(|x| format!("{x:.2}"))
                        .collect::<Vec<_>>()
                        .join(",")
                )
            };
            for (name, acc) in [("baseline", &base.accounts), ("scenario", &scenario)] {
                row(&format!("{name}.revenue"), &acc.revenue.values);
                row(&format!("{name}.expenditure"), &acc.expenditure.values);
                row(&format!("{name}.balance"), &acc.balance.values);
                row(&format!("{name}.reserves"), &acc.reserves.values);
                row(&format!("{name}.debt"), &acc.debt.values);
            }
            if let Some(m) = &mc {
                row("reserves.p5", &m.reserves.p5);
                row("reserves.p50", &m.reserves.p50);
                row("reserves.p95", &m.reserves.p95);
                row(
                    "p.reserves_below_months",
                    &m.probabilities.reserves_below_months,
                );
                row(
                    "p.consolidated_surplus",
                    &m.probabilities.consolidated_surplus,
                );
            }
        }
        RunFormat::Table => {
            let yrs = &base.accounts.years;
            println!(
                "Fiscal projection, {} Medium Range Forecast vintage (HK$bn)\n",
                a.vintage
            );
            print!("{:<34}", "");
            for y in yrs {
                print!("{y:>10}");
            }
            println!();
            let row = |name: &str, v: &[f64]| {
                print!("{name:<34}");
                for x in v {
                    print!("{x:>10.1}");
                }
                println!();
            };
            for (name, acc) in [("Baseline", &base.accounts), ("Scenario", &scenario)] {
                println!("{name}");
                row("  revenue", &acc.revenue.values);
                row("  expenditure", &acc.expenditure.values);
                row(
                    "  bond proceeds − repayment",
                    &acc.bond_proceeds
                        .values
                        .iter()
                        .zip(&acc.bond_repayment.values)
                        .map(|(p, r)| p - r)
                        .collect::<Vec<_>>(),
                );
                row("  consolidated balance", &acc.balance.values);
                row("  reserves at 31 March", &acc.reserves.values);
                row(
                    "  reserves, months of spending",
                    &acc.reserves_months_of_expenditure.values,
                );
                row("  bonds outstanding", &acc.debt.values);
            }
            row("Difference in balance", &diff);
            if let Some(m) = &mc {
                println!(
                    "\nRisk: {} paths (seed {}, bootstrap of historical years)",
                    m.paths, m.seed
                );
                for (label, values) in risk_rows(m) {
                    row(&label, values);
                }
            }
            println!("\nPublished figures of the forecast against the model:");
            for p in &base.published {
                println!(
                    "  {:<36} {:<12} published {:>8.1}  model {:>8.1}",
                    p.what, p.year, p.published, p.model
                );
            }
            println!(
                "\nDerived lines (the Medium Range Forecast tables are a gap in the sources):"
            );
            for d in &base.derivations {
                println!("  {}: {}", d.line, d.method);
            }
        }
    }
    Ok(())
}

/// The risk table of a Monte Carlo run: reserves percentiles and the probabilities, by year.
pub fn risk_rows(m: &hkb_fiscal::montecarlo::MonteCarlo) -> Vec<(String, &[f64])> {
    let p = &m.probabilities;
    vec![
        ("  reserves p5".into(), &m.reserves.p5[..]),
        ("  reserves p50".into(), &m.reserves.p50[..]),
        ("  reserves p95".into(), &m.reserves.p95[..]),
        (
            format!("  P(reserves < {} months)", p.months_threshold),
            &p.reserves_below_months[..],
        ),
        (
            "  P(consolidated surplus)".into(),
            &p.consolidated_surplus[..],
        ),
        ("  P(bonds above ceiling)".into(), &p.debt_above_ceiling[..]),
    ]
}

/// Writes a fan chart (reserves, balance or debt) of a Monte Carlo run, with the baseline's
/// path dashed for reference, as SVG or PNG by the file's extension.
pub fn write_fan_chart(
    which: &str,
    out: Option<&std::path::Path>,
    lang: crate::cli::Lang,
    vintage: &str,
    years: &[String],
    mc: Option<&hkb_fiscal::montecarlo::MonteCarlo>,
    baseline: &hkb_fiscal::accounts::Accounts,
) -> anyhow::Result<()> {
    let Some(out) = out else {
        return user("--chart needs --out FILE.svg or FILE.png");
    };
    let png = match out.extension().and_then(|e| e.to_str()) {
        Some("svg") => false,
        Some("png") => true,
        _ => {
            return user(format!(
                "--out: {} — write the chart to a .svg or .png file",
                out.display()
            ));
        }
    };
    let Some(mc) = mc else {
        return user("--chart needs --paths above 0");
    };
    let zh = lang == crate::cli::Lang::Zh;
    let (fan, base_line, en, zh_title) = match which {
        "reserves" => (
            &mc.reserves,
            &baseline.reserves.values,
            "Fiscal reserves at 31 March",
            "財政儲備（3月31日）",
        ),
        "balance" => (
            &mc.balance,
            &baseline.balance.values,
            "Consolidated balance after bonds",
            "綜合帳目盈虧（計及債券）",
        ),
        "debt" => (
            &mc.debt,
            &baseline.debt.values,
            "Government bonds outstanding",
            "政府債券餘額",
        ),
        other => {
            return user(format!(
                "--chart: '{other}' is not one of reserves, balance, debt"
            ));
        }
    };
    let title = if zh {
        format!("{zh_title} — {vintage} 年度預測")
    } else {
        format!("{en} — {vintage} vintage")
    };
    let svg = hkb_fiscal::chart::fan_svg(&title, years, fan, base_line, zh);
    let bytes = if png {
        svg_to_png(&svg)?
    } else {
        svg.into_bytes()
    };
    std::fs::write(out, bytes).map_err(|e| UserError(format!("--out {}: {e}", out.display())))?;
    eprintln!("wrote {}", out.display());
    Ok(())
}

/// Renders the chart's SVG to PNG (resvg, system fonts; glyphs missing from the installed fonts,
/// such as Chinese without a CJK font, are left out).
fn svg_to_png(svg: &str) -> anyhow::Result<Vec<u8>> {
    let mut opt = resvg::usvg::Options::default();
    opt.fontdb_mut().load_system_fonts();
    // usvg maps the generic `sans-serif` to Arial, which Linux machines rarely have.
    let family = opt
        .fontdb
        .faces()
        .find_map(|f| f.families.first().map(|(name, _)| name.clone()))
        .filter(|_| opt.fontdb.faces().count() > 0);
    if let Some(name) = ["DejaVu Sans", "Noto Sans", "Liberation Sans"]
        .iter()
        .find(|n| {
            opt.fontdb
                .faces()
                .any(|f| f.families.iter().any(|(x, _)| x == *n))
        })
    {
        opt.fontdb_mut().set_sans_serif_family(*name);
    } else if let Some(name) = family {
        opt.fontdb_mut().set_sans_serif_family(name);
    }
    let tree = resvg::usvg::Tree::from_str(svg, &opt)?;
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width() * 2, size.height() * 2)
        .ok_or_else(|| anyhow::anyhow!("chart size is zero"))?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(2.0, 2.0),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap.encode_png()?)
}
