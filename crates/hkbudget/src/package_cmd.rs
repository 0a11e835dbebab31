//! `hkbudget package run FILE`: a package of proposals (costed by the microsimulation) and
//! explicit fiscal lines, applied to a Medium Range Forecast baseline, with each item's
//! contribution to the balance by year. Contributions add up to the change in the balance.

use crate::cli::{Format, PackageCommand, PopulationArgs, RunFormat};
use crate::proposals_cmd::{cost_with, costing_for};
use crate::{UserError, user};
use hkb_fiscal::package::{CostedLine, Package, PackageLine, additions, line_values};
use hkb_law::Law;
use hkb_proposals::{Catalogue, Costing};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackageProposal {
    id: String,
    #[serde(default)]
    set: BTreeMap<String, f64>,
    /// Already in the baseline (with the reason): costed for reference, not added.
    #[serde(default)]
    in_baseline: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProposalPackage {
    #[serde(default)]
    name: Option<serde_yaml_ng::Value>,
    #[serde(default)]
    vintage: Option<String>,
    #[serde(default)]
    proposals: Vec<PackageProposal>,
    #[serde(default)]
    lines: Vec<PackageLine>,
    /// The user's own proposals, costed like the catalogue's (parameters with sources or
    /// labelled assumptions; `method: lines` or `reform`), applied at their central setting.
    #[serde(default)]
    custom: Vec<Costing>,
}

struct Contribution {
    kind: &'static str,
    id: String,
    title_en: String,
    title_zh: String,
    in_baseline: Option<String>,
    by_year: Vec<f64>,
    detail: Value,
}

/// A package costed and applied to its baseline.
struct Evaluated {
    name: Option<serde_yaml_ng::Value>,
    vintage: String,
    base: hkb_fiscal::vintage::Baseline,
    extra: hkb_fiscal::accounts::Accounts,
    scenario: hkb_fiscal::accounts::Accounts,
    contributions: Vec<Contribution>,
    total: Vec<f64>,
    change: Vec<f64>,
    not_costed: Vec<String>,
    /// The costing behind each proposal and custom contribution, in order.
    costings_used: Vec<Costing>,
}

pub fn run(law: &Law, p: PackageCommand) -> anyhow::Result<()> {
    match p {
        PackageCommand::Run {
            file,
            vintage,
            paths,
            mc_seed,
            chart,
            out,
            lang,
            format,
            xlsx,
            pop,
        } => {
            let chart = chart.map(|c| (c, out, lang));
            if let Some(x) = &xlsx
                && x.extension().is_none_or(|e| e != "xlsx")
            {
                return user(format!(
                    "--xlsx: {} — give a file ending in .xlsx",
                    x.display()
                ));
            }
            let options = RunOptions {
                paths,
                seed: mc_seed,
                chart,
                xlsx,
                format,
            };
            run_one(law, &file, vintage, options, &pop)
        }
        PackageCommand::Compare {
            files,
            vintage,
            format,
            pop,
        } => compare(law, &files, vintage, format, &pop),
    }
}

/// A fan chart to draw: which line, where, in which language.
type ChartRequest = (String, Option<std::path::PathBuf>, crate::cli::Lang);

/// What `package run` shows and writes besides the costing itself.
struct RunOptions {
    paths: String,
    seed: u64,
    chart: Option<ChartRequest>,
    xlsx: Option<std::path::PathBuf>,
    format: RunFormat,
}

fn run_one(
    law: &Law,
    file: &std::path::Path,
    vintage: Option<String>,
    options: RunOptions,
    pop: &PopulationArgs,
) -> anyhow::Result<()> {
    let RunOptions {
        paths,
        seed,
        chart,
        xlsx,
        format,
    } = options;
    let paths: usize = match paths.trim().parse::<i64>() {
        Ok(n) if (0..=2_000_000).contains(&n) => n as usize,
        _ => {
            return user(format!(
                "--paths: '{paths}' must be a whole number from 0 to 2,000,000"
            ));
        }
    };
    if let Some((which, out, _)) = &chart {
        // Check the chart request before any costing runs.
        if paths == 0 {
            return user("--chart needs --paths above 0");
        }
        if !["reserves", "balance", "debt"].contains(&which.as_str()) {
            return user(format!(
                "--chart: '{which}' is not one of reserves, balance, debt"
            ));
        }
        if !out
            .as_ref()
            .and_then(|o| o.extension())
            .is_some_and(|e| e == "svg" || e == "png")
        {
            return user("--chart needs --out FILE.svg or FILE.png");
        }
    }
    let quiet = format != RunFormat::Table;
    let ev = evaluate(law, file, vintage, pop, quiet, &mut None)?;
    print_one(&ev, paths, seed, chart.as_ref(), format)?;
    if let Some(x) = &xlsx {
        write_workbook(&ev, x)?;
    }
    Ok(())
}

fn evaluate(
    law: &Law,
    file: &std::path::Path,
    vintage: Option<String>,
    pop: &PopulationArgs,
    quiet: bool,
    model_cache: &mut Option<hkb_microsim::Model>,
) -> anyhow::Result<Evaluated> {
    let pkg: ProposalPackage = crate::calc::read_input(file, "package")?;
    let from_file = vintage.is_none() && pkg.vintage.is_some();
    let vintage = vintage
        .or(pkg.vintage.clone())
        .unwrap_or_else(|| "2024-25".into());
    let cat = Catalogue::embedded()?;
    let costings = Costing::all()?;
    // Check everything before the population is loaded.
    for (i, pp) in pkg.proposals.iter().enumerate() {
        let prop = cat
            .get(&pp.id)
            .map_err(|e| UserError(format!("proposals[{i}].id: {e}")))?;
        if !prop.is_leaf() {
            return user(format!(
                "proposals[{i}].id: {} is a heading; list its proposals instead ({})",
                pp.id,
                prop.children.join(", ")
            ));
        }
        let c = costing_for(&cat, &costings, &pp.id)
            .map_err(|e| UserError(format!("proposals[{i}].id: {e}")))?;
        let overrides: Vec<(String, f64)> = pp.set.iter().map(|(k, v)| (k.clone(), *v)).collect();
        c.values(hkb_proposals::Setting::Central, &overrides)
            .map_err(|e| UserError(format!("proposals[{i}].set: {e}")))?;
        if pp.in_baseline.is_some()
            && !matches!(
                prop.government_response.status.as_str(),
                "implemented" | "partly_implemented"
            )
        {
            return user(format!(
                "proposals[{i}].in_baseline: {} was not adopted (status {}), so it cannot be in the baseline",
                pp.id, prop.government_response.status
            ));
        }
    }
    for (i, c) in pkg.custom.iter().enumerate() {
        let at = |m: String| UserError(format!("{}: custom[{i}]: {m}", file.display()));
        c.validate().map_err(|e| at(e.to_string()))?;
        if cat.proposals.iter().any(|p| p.id == c.id)
            || pkg.custom[..i].iter().any(|o| o.id == c.id)
        {
            return Err(at(format!(
                "id '{}' is taken (by the catalogue or another custom entry); choose another",
                c.id
            ))
            .into());
        }
    }
    let data = hkb_fiscal::data::Data::embedded()?;
    let base = hkb_fiscal::vintage::baseline(&data, &vintage).map_err(|e| {
        if from_file {
            UserError(format!(
                "{}: vintage: {}",
                file.display(),
                e.to_string().trim_start_matches("--vintage: ")
            ))
            .into()
        } else {
            anyhow::Error::from(e)
        }
    })?;
    // The user's costings run for every setting (a reform must parse against the law, lines
    // must give finite amounts), before the population is loaded.
    for (i, c) in pkg.custom.iter().enumerate() {
        let at = |m: String| UserError(format!("{}: custom[{i}]: {m}", file.display()));
        for setting in hkb_proposals::Setting::ALL {
            let values = c.values(setting, &[]).map_err(|e| at(e.to_string()))?;
            if c.method == "reform" {
                let year = c.population_year.as_deref().unwrap_or_default();
                year.parse::<hkb_law::YearOfAssessment>()
                    .map_err(|e| at(format!("population_year: {e}")))?;
                hkb_law::Reform::parse(law, &c.id, &c.reform_text(&values))
                    .map_err(|e| at(e.to_string()))?;
            } else {
                c.evaluate_lines(&values, &base.accounts.years)
                    .map_err(|e| at(e.to_string()))?;
            }
        }
    }
    let n = base.accounts.years.len();
    // Each line's amounts by year, checked before the population is loaded.
    let line_amounts = pkg
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            line_values(
                &base,
                l.amount,
                &l.start,
                l.end.as_deref(),
                l.growth,
                &format!("lines[{i}]"),
            )
            .map_err(|e| UserError(e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut contributions = Vec::new();
    let mut costed_lines: Vec<CostedLine> = Vec::new();
    let needs_population = pkg.custom.iter().any(|c| c.method == "reform")
        || pkg.proposals.iter().any(|pp| {
            costings
                .iter()
                .any(|c| c.id == pp.id && c.method == "reform")
        });
    if needs_population && model_cache.is_none() {
        let spec = hkb_microsim::model::BuildSpec {
            persons: pop.persons,
            businesses: pop.businesses,
            seed: pop.seed,
        };
        *model_cache = Some(crate::sim::load_or_build(law, spec, false, quiet)?);
    }
    let model = model_cache.as_ref();
    let mut costings_used = Vec::new();
    for pp in &pkg.proposals {
        let prop = cat.get(&pp.id)?;
        let costing = costing_for(&cat, &costings, &pp.id)?;
        costings_used.push(costing.clone());
        let overrides: Vec<(String, f64)> = pp.set.iter().map(|(k, v)| (k.clone(), *v)).collect();
        let r = cost_with(law, model, &base, &costing, &overrides)?;
        if pp.in_baseline.is_none() {
            costed_lines.extend(r.central_lines.iter().cloned());
        }
        contributions.push(Contribution {
            kind: "proposal",
            id: pp.id.clone(),
            title_en: prop.title(false),
            title_zh: prop.title(true),
            in_baseline: pp.in_baseline.clone(),
            by_year: if pp.in_baseline.is_some() {
                vec![0.0; n]
            } else {
                r.central.clone()
            },
            detail: json!({
                "method": costing.method,
                "costed_effect_bn": r.central,
                "settings": r.settings,
                // Parameters resting on an assumption, so a reader sees how much of the figure
                // is sourced.
                "assumptions": costing.parameters.iter().filter(|(_, p)| p.status == "assumption").map(|(k, _)| k.clone()).collect::<Vec<_>>(),
                "parameters": costing.parameters.len(),
            }),
        });
    }
    for c in &pkg.custom {
        costings_used.push(c.clone());
        let r = cost_with(law, model, &base, c, &[])?;
        costed_lines.extend(r.central_lines.iter().cloned());
        contributions.push(Contribution {
            kind: "custom",
            id: c.id.clone(),
            title_en: c.description.en.clone(),
            title_zh: c.description.zh.clone(),
            in_baseline: None,
            by_year: r.central.clone(),
            detail: json!({
                "method": c.method,
                "costed_effect_bn": r.central,
                "settings": r.settings,
                "assumptions": c.parameters.iter().filter(|(_, p)| p.status == "assumption").map(|(k, _)| k.clone()).collect::<Vec<_>>(),
                "parameters": c.parameters.len(),
            }),
        });
    }
    for (i, (l, v)) in pkg.lines.iter().zip(&line_amounts).enumerate() {
        let sign = l.kind.balance_sign();
        // `+ 0.0` turns -0.0 into 0.0 for display.
        let effect: Vec<f64> = v.iter().map(|x| sign * x + 0.0).collect();
        let title = |k: &str| {
            l.name
                .get(k)
                .and_then(|x| x.as_str())
                .map(str::to_string)
                .or_else(|| l.name.as_str().map(str::to_string))
                .unwrap_or_default()
        };
        contributions.push(Contribution {
            kind: "line",
            id: format!("lines[{i}]"),
            title_en: title("en"),
            title_zh: title("zh"),
            in_baseline: l.in_baseline.clone(),
            by_year: if l.in_baseline.is_some() {
                vec![0.0; n]
            } else {
                effect.clone()
            },
            detail: json!({"kind": l.kind, "amount_bn": v, "effect_on_balance_bn": effect}),
        });
    }
    let fpkg = Package {
        name: None,
        lines: pkg.lines.clone(),
        reforms: vec![],
    };
    let extra = additions(&base, &fpkg, &costed_lines).map_err(|e| UserError(e.to_string()))?;
    let drivers = hkb_fiscal::montecarlo::Drivers::from_history(&data)?;
    let scenario = hkb_fiscal::montecarlo::path(&base, &extra, &drivers, &vec![0; n], 0.0);
    let total: Vec<f64> = (0..n)
        .map(|t| contributions.iter().map(|c| c.by_year[t]).sum())
        .collect();
    let change: Vec<f64> = (0..n)
        .map(|t| scenario.balance.values[t] - base.accounts.balance.values[t])
        .collect();
    if let Some(t) = (0..n).find(|&t| (total[t] - change[t]).abs() > 1e-6) {
        anyhow::bail!(
            "internal: contributions {} differ from the change in the balance {} in {}",
            total[t],
            change[t],
            base.accounts.years[t]
        );
    }
    let included: Vec<&str> = pkg.proposals.iter().map(|p| p.id.as_str()).collect();
    let not_costed: Vec<String> = cat
        .leaves()
        .filter(|p| p.quantifiable != "no" && !included.contains(&p.id.as_str()))
        .map(|p| p.id.clone())
        .collect();
    Ok(Evaluated {
        name: pkg.name,
        vintage,
        base,
        extra,
        scenario,
        contributions,
        total,
        change,
        not_costed,
        costings_used,
    })
}

/// The text columns of the CSV and workbook exports, before one column per year.
const EXPORT_COLUMNS: [&str; 5] = ["kind", "id", "title_en", "title_zh", "in_baseline"];

impl Evaluated {
    /// The package with every proposal at its low or at its high setting (lines and in-baseline
    /// items unchanged): the range the costings' parameter ranges give.
    fn setting_total(&self, key: &str) -> Vec<f64> {
        (0..self.total.len())
            .map(|t| {
                self.contributions
                    .iter()
                    .map(|c| {
                        if c.kind != "line" && c.in_baseline.is_none() {
                            c.detail["settings"][key]["effect_bn"][t]
                                .as_f64()
                                .unwrap_or(0.0)
                        } else {
                            c.by_year[t]
                        }
                    })
                    .sum::<f64>()
                    + 0.0
            })
            .collect()
    }

    /// Bond proceeds count as receipts in the consolidated balance; the change without them is
    /// shown too, so borrowing is not read as a saving.
    fn before_bonds(&self) -> Vec<f64> {
        (0..self.total.len())
            .map(|t| {
                self.total[t] - self.extra.bond_proceeds.values[t]
                    + self.extra.bond_repayment.values[t]
                    + 0.0
            })
            .collect()
    }

    /// The rows of the CSV and workbook exports: each contribution, then the summary rows, as
    /// the cells of `EXPORT_COLUMNS` and the values by year.
    fn export_rows(&self) -> Vec<([String; 5], Vec<f64>)> {
        let mut rows: Vec<([String; 5], Vec<f64>)> = self
            .contributions
            .iter()
            .map(|c| {
                (
                    [
                        c.kind.to_string(),
                        c.id.clone(),
                        c.title_en.clone(),
                        c.title_zh.clone(),
                        c.in_baseline.clone().unwrap_or_default(),
                    ],
                    c.by_year.clone(),
                )
            })
            .collect();
        rows.extend(self.summary_rows().into_iter().map(|(id, en, zh, v)| {
            (
                [
                    "summary".into(),
                    id.into(),
                    en.into(),
                    zh.into(),
                    String::new(),
                ],
                v,
            )
        }));
        rows
    }

    /// The totals and the two balances and reserves, as (id, English, Chinese, values by year).
    fn summary_rows(&self) -> Vec<(&'static str, &'static str, &'static str, Vec<f64>)> {
        let a = &self.base.accounts;
        vec![
            (
                "total",
                "Package total (change in balance)",
                "組合合計（收支變動）",
                self.total.clone(),
            ),
            (
                "total_all_low",
                "Every proposal at its low setting",
                "所有建議取低設定",
                self.setting_total("low"),
            ),
            (
                "total_all_high",
                "Every proposal at its high setting",
                "所有建議取高設定",
                self.setting_total("high"),
            ),
            (
                "total_excluding_bonds",
                "Package total excluding net bond proceeds",
                "組合合計（不計債券淨收入）",
                self.before_bonds(),
            ),
            (
                "baseline_balance",
                "Baseline consolidated balance",
                "基線綜合帳目盈虧",
                a.balance.values.clone(),
            ),
            (
                "scenario_balance",
                "Scenario consolidated balance",
                "情景綜合帳目盈虧",
                self.scenario.balance.values.clone(),
            ),
            (
                "baseline_reserves",
                "Baseline fiscal reserves",
                "基線財政儲備",
                a.reserves.values.clone(),
            ),
            (
                "scenario_reserves",
                "Scenario fiscal reserves",
                "情景財政儲備",
                self.scenario.reserves.values.clone(),
            ),
        ]
    }
}

fn print_one(
    ev: &Evaluated,
    paths: usize,
    seed: u64,
    chart: Option<&ChartRequest>,
    format: RunFormat,
) -> anyhow::Result<()> {
    let Evaluated {
        name,
        vintage,
        base,
        extra,
        scenario,
        contributions,
        total,
        change,
        not_costed,
        costings_used: _,
    } = ev;
    let (total_low, total_high) = (ev.setting_total("low"), ev.setting_total("high"));
    let before_bonds = ev.before_bonds();
    let data = hkb_fiscal::data::Data::embedded()?;
    let drivers = hkb_fiscal::montecarlo::Drivers::from_history(&data)?;
    let mc = (paths > 0)
        .then(|| hkb_fiscal::montecarlo::run(base, extra, &drivers, paths, seed, 1.0, 12.0).0);
    if let Some((which, out, lang)) = chart {
        crate::project::write_fan_chart(
            which,
            out.as_deref(),
            *lang,
            vintage,
            &base.accounts.years,
            mc.as_ref(),
            &base.accounts,
        )?;
    }
    match format {
        RunFormat::Csv => {
            let mut w = csv::Writer::from_writer(std::io::stdout().lock());
            let mut header: Vec<String> = EXPORT_COLUMNS.iter().map(|c| c.to_string()).collect();
            header.extend(base.accounts.years.iter().cloned());
            w.write_record(&header)?;
            for (cells, v) in ev.export_rows() {
                let mut r = cells.to_vec();
                r.extend(v.iter().map(|x| format!("{x:.4}")));
                w.write_record(&r)?;
            }
            w.flush()?;
        }
        RunFormat::Json => {
            let v = json!({
                "name": name,
                "vintage": vintage,
                "years": base.accounts.years,
                "baseline": {"revenue": base.accounts.revenue.values, "expenditure": base.accounts.expenditure.values, "balance": base.accounts.balance.values, "reserves": base.accounts.reserves.values},
                "scenario": {"revenue": scenario.revenue.values, "expenditure": scenario.expenditure.values, "balance": scenario.balance.values, "reserves": scenario.reserves.values},
                "contributions": contributions.iter().map(|c| json!({"kind": c.kind, "id": c.id, "title_en": c.title_en, "title_zh": c.title_zh, "in_baseline": c.in_baseline, "by_year": c.by_year, "detail": c.detail})).collect::<Vec<_>>(),
                "total_by_year": total,
                "total_all_low_by_year": total_low,
                "total_all_high_by_year": total_high,
                "balance_change_by_year": change,
                "balance_change_before_bonds_by_year": before_bonds,
                "fan": mc.as_ref().map(|m| json!({"balance": m.balance, "reserves": m.reserves})),
                "probabilities": mc.as_ref().map(|m| &m.probabilities),
                "quantifiable_not_in_package": not_costed,
                "units": "HK$bn; contributions are effects on the consolidated balance",
            });
            println!("{}", serde_json::to_string_pretty(&v)?);
        }
        RunFormat::Table => {
            let yrs = &base.accounts.years;
            println!(
                "Package against the {vintage} baseline (HK$bn, effect on the consolidated balance)\n"
            );
            print!("{:<48}", "");
            for y in yrs {
                print!("{y:>10}");
            }
            println!();
            let row = |label: &str, v: &[f64]| {
                print!("{label:<48}");
                for x in v {
                    print!("{x:>10.2}");
                }
                println!();
            };
            row("Baseline balance", &base.accounts.balance.values);
            for c in contributions {
                let mut label = format!("{} {}", c.id, c.title_en);
                if c.in_baseline.is_some() {
                    label = format!("[in baseline] {label}");
                }
                let label: String = label.chars().take(46).collect();
                row(&format!("  + {label}"), &c.by_year);
            }
            row("Package total (change in balance)", total);
            row("  every proposal at its low setting", &total_low);
            row("  every proposal at its high setting", &total_high);
            row("Package total excluding net bond proceeds", &before_bonds);
            row("Scenario balance", &scenario.balance.values);
            row("Scenario reserves", &scenario.reserves.values);
            row("Baseline reserves", &base.accounts.reserves.values);
            if let Some(m) = &mc {
                println!(
                    "\nRisk of the scenario: {} paths (seed {}, bootstrap of historical years)",
                    m.paths, m.seed
                );
                for (label, values) in crate::project::risk_rows(m) {
                    row(&label, values);
                }
            }
            for c in contributions.iter().filter(|c| c.in_baseline.is_some()) {
                println!(
                    "\n{} is already in the baseline: {}",
                    c.id,
                    c.in_baseline.as_deref().unwrap_or("")
                );
                if let Some(v) = c
                    .detail
                    .get("costed_effect_bn")
                    .or_else(|| c.detail.get("effect_on_balance_bn"))
                    .and_then(Value::as_array)
                {
                    row(
                        "  costed effect for reference",
                        &v.iter().filter_map(Value::as_f64).collect::<Vec<_>>(),
                    );
                }
            }
            println!(
                "\nQuantifiable CGCC proposals not in this package ({}): {}",
                not_costed.len(),
                not_costed.join(" ")
            );
        }
    }
    Ok(())
}

fn compare(
    law: &Law,
    files: &[std::path::PathBuf],
    vintage: Option<String>,
    format: Format,
    pop: &PopulationArgs,
) -> anyhow::Result<()> {
    let mut all: Vec<Evaluated> = Vec::new();
    let mut model = None;
    for f in files {
        let ev = evaluate(
            law,
            f,
            vintage.clone(),
            pop,
            format == Format::Json,
            &mut model,
        )
        .map_err(|e| match e.downcast::<UserError>() {
            Ok(u) if u.0.contains(&f.display().to_string()) => u.into(),
            Ok(u) => UserError(format!("{}: {}", f.display(), u.0)).into(),
            Err(e) => e,
        })?;
        if let Some(first) = all.first()
            && first.vintage != ev.vintage
        {
            return user(format!(
                "{}: vintage {} differs from {} ({}); pass --vintage to compare on one baseline",
                f.display(),
                ev.vintage,
                files[0].display(),
                first.vintage
            ));
        }
        all.push(ev);
    }
    let Some(first) = all.first() else {
        return user("give at least one package file".to_string());
    };
    let base = &first.base;
    let title = |ev: &Evaluated, lang: &str| -> String {
        ev.name
            .as_ref()
            .and_then(|n| n.get(lang).and_then(|x| x.as_str()).or_else(|| n.as_str()))
            .map(str::to_string)
            .unwrap_or_default()
    };
    let series = |a: &hkb_fiscal::accounts::Accounts| json!({"revenue": a.revenue.values, "expenditure": a.expenditure.values, "balance": a.balance.values, "reserves": a.reserves.values});
    match format {
        Format::Json => {
            let v = json!({
                "vintage": first.vintage,
                "years": base.accounts.years,
                "units": "HK$bn",
                "baseline": series(&base.accounts),
                "packages": all.iter().zip(files).map(|(ev, f)| json!({
                    "file": f.display().to_string(),
                    "name_en": title(ev, "en"), "name_zh": title(ev, "zh"),
                    "scenario": series(&ev.scenario),
                    "change_in_balance": ev.change,
                    "contributions": ev.contributions.iter().map(|c| json!({"id": c.id, "title_en": c.title_en, "title_zh": c.title_zh, "in_baseline": c.in_baseline, "by_year": c.by_year})).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            });
            println!("{}", serde_json::to_string_pretty(&v)?);
        }
        Format::Table => {
            println!("Packages against the {} baseline (HK$bn)\n", first.vintage);
            let row = |label: &str, v: &[f64]| {
                print!("{label:<44}");
                for x in v {
                    print!("{x:>10.1}");
                }
                println!();
            };
            for (i, ev) in all.iter().enumerate() {
                println!("[{}] {} — {}", i + 1, files[i].display(), title(ev, "en"));
            }
            println!();
            for (label, pick) in [
                ("Revenue", 0usize),
                ("Expenditure", 1),
                ("Consolidated balance", 2),
                ("Fiscal reserves (31 March)", 3),
            ] {
                let get = |a: &hkb_fiscal::accounts::Accounts| -> Vec<f64> {
                    match pick {
                        0 => a.revenue.values.clone(),
                        1 => a.expenditure.values.clone(),
                        2 => a.balance.values.clone(),
                        _ => a.reserves.values.clone(),
                    }
                };
                print!("{label:<44}");
                for y in &base.accounts.years {
                    print!("{y:>10}");
                }
                println!();
                row("  baseline", &get(&base.accounts));
                for (i, ev) in all.iter().enumerate() {
                    row(&format!("  [{}]", i + 1), &get(&ev.scenario));
                }
                println!();
            }
        }
    }
    Ok(())
}

/// Writes a package's result as a workbook: contributions by year, totals, and every costing
/// parameter with its setting values, status and source (so a reader can audit each figure).
fn write_workbook(ev: &Evaluated, path: &std::path::Path) -> anyhow::Result<()> {
    use rust_xlsxwriter::{Format as Cell, Workbook};
    let bold = Cell::new().set_bold();
    let money = Cell::new().set_num_format("0.00");
    let years = &ev.base.accounts.years;
    let mut wb = Workbook::new();

    let ws = wb.add_worksheet().set_name("Contributions")?;
    let columns = EXPORT_COLUMNS
        .iter()
        .copied()
        .chain(years.iter().map(String::as_str));
    for (c, h) in columns.enumerate() {
        ws.write_string_with_format(0, c as u16, h, &bold)?;
    }
    for (r, (cells, v)) in ev.export_rows().iter().enumerate() {
        let row = r as u32 + 1;
        for (c, text) in cells.iter().enumerate() {
            ws.write_string(row, c as u16, text)?;
        }
        for (t, x) in v.iter().enumerate() {
            ws.write_number_with_format(row, (EXPORT_COLUMNS.len() + t) as u16, *x, &money)?;
        }
    }
    ws.autofit();

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
    for k in &ev.costings_used {
        for (name, p) in &k.parameters {
            let field = |f: &str| {
                p.source
                    .get(f)
                    .and_then(|x| x.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            ws.write_string(row, 0, &k.id)?;
            ws.write_string(row, 1, name)?;
            for (c, x) in [p.value, p.low, p.high, p.allowed[0], p.allowed[1]]
                .iter()
                .enumerate()
            {
                ws.write_number(row, (2 + c) as u16, *x)?;
            }
            ws.write_string(row, 7, &p.unit)?;
            ws.write_string(row, 8, &p.status)?;
            ws.write_string(row, 9, p.note.as_deref().unwrap_or(""))?;
            ws.write_string(row, 10, field("document"))?;
            ws.write_string(row, 11, field("url"))?;
            row += 1;
        }
    }

    let ws = wb.add_worksheet().set_name("About")?;
    let title = |lang: &str| {
        ev.name
            .as_ref()
            .and_then(|n| n.get(lang).and_then(|x| x.as_str()).or_else(|| n.as_str()))
            .unwrap_or("")
            .to_string()
    };
    for (r, (k, v)) in [
        ("package (en)", title("en")),
        ("package (zh)", title("zh")),
        ("vintage", ev.vintage.clone()),
        (
            "units",
            "HK$bn; contributions are effects on the consolidated balance (negative = cost)"
                .to_string(),
        ),
        (
            "settings",
            "proposals at their central setting; Parameters lists low and high".to_string(),
        ),
        ("made by", format!("hkbudget {}", env!("CARGO_PKG_VERSION"))),
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(r as u32, 0, *k, &bold)?;
        ws.write_string(r as u32, 1, v)?;
    }
    wb.save(path)
        .map_err(|e| UserError(format!("--xlsx {}: {e}", path.display())))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}
