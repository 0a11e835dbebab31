//! `hkbudget population | baseline | reform | bench`: the society-wide model.

use crate::cli::{
    BaselineArgs, BenchArgs, Format, PopulationArgs, PopulationCommand, ReformArgs, RunFormat,
};
use crate::{UserError, user};
use hkb_law::{Law, Reform, YearOfAssessment};
use hkb_microsim::model::{BuildSpec, CheckRow, Model};
use hkb_microsim::society::{self, RunResult};
use hkb_microsim::store::{self, Loaded};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use std::time::Instant;

fn year(s: &str) -> anyhow::Result<YearOfAssessment> {
    let y: YearOfAssessment = s
        .parse()
        .map_err(|e: String| UserError(format!("--year: {e}")))?;
    if !y.is_supported() {
        return user(format!(
            "--year: unsupported year of assessment {y}: supported years are {}",
            YearOfAssessment::supported_list()
        ));
    }
    Ok(y)
}

fn spec(p: &PopulationArgs) -> anyhow::Result<BuildSpec> {
    if p.persons < 1000 || p.persons > 20_000_000 {
        return user(format!(
            "--persons: {} is outside 1,000 to 20,000,000",
            p.persons
        ));
    }
    if p.businesses < 1000 || p.businesses > 5_000_000 {
        return user(format!(
            "--businesses: {} is outside 1,000 to 5,000,000",
            p.businesses
        ));
    }
    Ok(BuildSpec {
        persons: p.persons,
        businesses: p.businesses,
        seed: p.seed,
    })
}

/// A digest of the law, so that a population calibrated under another law is rebuilt.
fn law_digest(law: &Law) -> String {
    law.nodes()
        .map(|n| {
            format!(
                "{}={:?};",
                n.path,
                n.values
                    .iter()
                    .map(|v| (&v.from, &v.to, &v.value))
                    .collect::<Vec<_>>()
            )
        })
        .collect()
}

pub fn build(law: &Law, spec: BuildSpec, quiet: bool) -> anyhow::Result<Model> {
    let bar = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(9)
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg:<28} [{bar:30}] {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let t = Instant::now();
    let model = Model::build(law, spec, &|step, done, of| {
        bar.set_length(of.max(1));
        bar.set_position(done);
        bar.set_message(step.to_string());
    })?;
    bar.finish_and_clear();
    if !quiet {
        eprintln!(
            "built {} earners and {} businesses, calibrated 9 years in {:.1} s",
            spec.persons,
            spec.businesses,
            t.elapsed().as_secs_f64()
        );
    }
    Ok(model)
}

/// Loads the population file for `spec`, building (and saving) it when missing or stale.
pub fn load_or_build(
    law: &Law,
    spec: BuildSpec,
    force: bool,
    quiet: bool,
) -> anyhow::Result<Model> {
    let path = store::cache_dir().join(store::file_name(&spec));
    let fp = store::fingerprint(&law_digest(law));
    if path.exists() && !force {
        let t = Instant::now();
        match store::load(&path, &fp)? {
            Loaded::Ready(m) => {
                if !quiet {
                    eprintln!(
                        "loaded {} in {:.0} ms",
                        path.display(),
                        t.elapsed().as_secs_f64() * 1000.0
                    );
                }
                return Ok(*m);
            }
            Loaded::Stale(why) => eprintln!("rebuilding {}: {why}", path.display()),
        }
    }
    let model = build(law, spec, quiet)?;
    store::save(&model, &path, &fp)?;
    if !quiet {
        eprintln!("saved {}", path.display());
    }
    Ok(model)
}

fn print_checks(rows: &[CheckRow], y: YearOfAssessment, format: Format) -> anyhow::Result<()> {
    match format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&json!({"year": y, "checks": rows}))?
        ),
        Format::Table => {
            println!("Calibration and validation, year of assessment {y}\n");
            println!(
                "{:<11} {:<66} {:>17} {:>17} {:>8}  role",
                "population", "target", "published", "model", "error"
            );
            for r in rows {
                println!(
                    "{:<11} {:<66} {:>17} {:>17} {:>7.2}%  {}",
                    r.population,
                    r.target,
                    fmt_num(r.published),
                    fmt_num(r.model),
                    r.error_pct,
                    r.role
                );
                println!(
                    "{:<11} source: {} ({}){}",
                    "",
                    r.source,
                    r.status,
                    r.note.as_ref().map_or(String::new(), |n| format!("; {n}"))
                );
            }
            println!(
                "\n'calibrated' targets are constraints of the weights (they hold by construction); 'validation' targets are not used to fit."
            );
        }
    }
    Ok(())
}

fn fmt_num(x: f64) -> String {
    hkb_law::money::group_thousands((x * 100.0).round() as i64)
        .split('.')
        .next()
        .unwrap_or("")
        .to_string()
}

pub fn population(law: &Law, p: PopulationCommand) -> anyhow::Result<()> {
    match p {
        PopulationCommand::Build {
            year: y,
            force,
            pop,
        } => {
            let y = y.as_deref().map(year).transpose()?;
            let model = load_or_build(law, spec(&pop)?, force, false)?;
            if let Some(y) = y {
                print_checks(&model.check(law, y)?, y, Format::Table)?;
            }
            Ok(())
        }
        PopulationCommand::Validate { out, pop } => {
            let spec = spec(&pop)?;
            let model = load_or_build(law, spec, false, false)?;
            let mut md = String::from("# Validation: model against official figures\n\n");
            md.push_str(&format!(
                "Regenerate with `hkbudget population validate` (population: {} earner records, {} business records, seed {}).\n\n\
                 *Calibrated* targets are constraints of the entropy weights and hold by construction; *validation* targets are not used to fit and measure the model's error. \
                 Collections in the financial year with the same label stand in for each year of assessment (IRD publishes no assessed totals by year).\n\n",
                spec.persons, spec.businesses, spec.seed
            ));
            md.push_str("| Year | Population | Target | Published | Model | Error | Role | Source |\n|---|---|---|---:|---:|---:|---|---|\n");
            for y in YearOfAssessment::supported() {
                for r in model.check(law, y)? {
                    md.push_str(&format!(
                        "| {y} | {} | {} | {} | {} | {:+.2}% | {} | [{}]({}) |\n",
                        r.population,
                        r.target,
                        fmt_num(r.published),
                        fmt_num(r.model),
                        r.error_pct,
                        r.role,
                        r.source.replace('|', "/"),
                        r.url
                    ));
                }
            }
            std::fs::write(&out, md)
                .map_err(|e| UserError(format!("--out {}: {e}", out.display())))?;
            eprintln!("wrote {}", out.display());
            Ok(())
        }
        PopulationCommand::Check {
            year: y,
            format,
            pop,
        } => {
            let y = year(&y)?;
            let model = load_or_build(law, spec(&pop)?, false, format == Format::Json)?;
            print_checks(&model.check(law, y)?, y, format)
        }
    }
}

fn print_run(r: &RunResult, format: RunFormat, reform: bool) -> anyhow::Result<()> {
    match format {
        RunFormat::Json => println!("{}", serde_json::to_string_pretty(r)?),
        RunFormat::Csv => {
            println!("section,key,baseline,reform,change,change_with_behaviour,affected");
            for (k, t) in &r.taxes {
                println!(
                    "tax,{k},{:.0},{:.0},{:.0},{:.0},{:.0}",
                    t.baseline, t.reform, t.change, t.change_with_behaviour, t.affected
                );
            }
            println!(
                "total,all,,,{:.0},{:.0},",
                r.total_change, r.total_change_with_behaviour
            );
            println!(
                "\ndecile,persons,mean_income,avg_change,change_pct_of_income,winners_share,losers_share"
            );
            for d in r.deciles.iter().chain(std::iter::once(&r.top1)) {
                println!(
                    "{},{:.0},{:.0},{:.2},{:.4},{:.4},{:.4}",
                    if d.decile == 100 {
                        "top1".into()
                    } else {
                        d.decile.to_string()
                    },
                    d.persons,
                    d.mean_income,
                    d.avg_change,
                    d.change_pct_of_income,
                    d.winners_share,
                    d.losers_share
                );
            }
        }
        RunFormat::Table => {
            let bn = |x: f64| format!("{:>10.2}", x / 1e9);
            println!(
                "{} {}\n",
                if reform { "Reform" } else { "Baseline" },
                r.year
            );
            println!(
                "{:<22} {:>10} {:>10} {:>10} {:>12} {:>12}",
                "tax (HK$bn)", "baseline", "reform", "change", "w/ behaviour", "affected"
            );
            for (k, t) in &r.taxes {
                println!(
                    "{:<22} {} {} {} {:>12.2} {:>12.0}",
                    k,
                    bn(t.baseline),
                    bn(t.reform),
                    bn(t.change),
                    t.change_with_behaviour / 1e9,
                    t.affected
                );
            }
            println!(
                "{:<22} {:>10} {:>10} {} {:>12.2}",
                "total",
                "",
                "",
                bn(r.total_change),
                r.total_change_with_behaviour / 1e9
            );
            println!("\nSalaries tax by decile of employment income");
            println!(
                "{:<7} {:>12} {:>14} {:>12} {:>10} {:>9} {:>9}",
                "decile", "persons", "mean income", "avg change", "% income", "winners", "losers"
            );
            for d in r.deciles.iter().chain(std::iter::once(&r.top1)) {
                println!(
                    "{:<7} {:>12.0} {:>14.0} {:>12.0} {:>9.3}% {:>8.1}% {:>8.1}%",
                    if d.decile == 100 {
                        "top 1%".into()
                    } else {
                        d.decile.to_string()
                    },
                    d.persons,
                    d.mean_income,
                    d.avg_change,
                    d.change_pct_of_income,
                    100.0 * d.winners_share,
                    100.0 * d.losers_share
                );
            }
            println!("\nBehaviour: {:?}", r.behaviour);
            for n in &r.notes {
                println!("Note: {n}");
            }
        }
    }
    Ok(())
}

fn hwm(tag: &str) {
    if std::env::var_os("HKBUDGET_DEBUG_MEM").is_some() {
        let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        eprintln!(
            "{tag}: {}",
            s.lines()
                .filter(|l| l.starts_with("VmHWM") || l.starts_with("VmRSS"))
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
}

pub fn baseline(law: &Law, a: BaselineArgs) -> anyhow::Result<()> {
    let y = year(&a.year)?;
    hwm("start");
    let model = load_or_build(law, spec(&a.pop)?, false, a.format != RunFormat::Table)?;
    hwm("loaded");
    let r = society::run(law, &model, y, None)?;
    hwm("ran");
    print_run(&r, a.format, false)
}

pub fn reform(law: &Law, a: ReformArgs) -> anyhow::Result<()> {
    let y = year(&a.year)?;
    let reform = Reform::from_file(law, &a.file)?;
    // Resolve now so that a reform row missing in this year is reported before the model loads.
    hkb_law::YearParams::resolve(law, y, Some(&reform))?;
    let model = load_or_build(law, spec(&a.pop)?, false, a.format != RunFormat::Table)?;
    let r = society::run(law, &model, y, Some(&reform))?;
    print_run(&r, a.format, true)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

pub fn bench(law: &Law, a: BenchArgs) -> anyhow::Result<()> {
    let spec = spec(&PopulationArgs {
        persons: a.persons,
        businesses: 1000,
        seed: 20240228,
    })?;
    if a.repeat == 0 || a.repeat > 1000 {
        return user("--repeat: give 1 to 1,000 repetitions");
    }
    let t = Instant::now();
    let model = build(law, spec, true)?;
    let build_ms = t.elapsed().as_secs_f64() * 1000.0;
    // The reference reform of shared/reference/bench: basic allowance 132,000 -> 142,000 and
    // top rate 17% -> 19% in 2024/25.
    let reform = Reform::parse(
        law,
        "bench",
        "changes:\n  salaries_tax.allowances.basic:\n    2024/25: 142000\n  salaries_tax.progressive.bands[4].rate:\n    2024/25: 0.19\n",
    )?;
    let y = YearOfAssessment(2024);
    let base = hkb_law::YearParams::resolve(law, y, None)?;
    let reformed = hkb_law::YearParams::resolve(law, y, Some(&reform))?;
    let yw = &model.years[hkb_microsim::model::year_index(y)?];
    let w = &yw.earners;
    let factor = model.factor(y)?;
    let mut base_ms = vec![];
    let mut reform_ms = vec![];
    let mut out = None;
    for _ in 0..a.repeat {
        let t = Instant::now();
        let view = hkb_microsim::salaries::YearView::with_index(
            &model.earners,
            factor,
            w,
            yw.decile_index,
        );
        let b = hkb_microsim::salaries::run(&view, &base.salaries, None, None);
        base_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        let view = hkb_microsim::salaries::YearView::with_index(
            &model.earners,
            factor,
            w,
            yw.decile_index,
        );
        let r = hkb_microsim::salaries::run(&view, &base.salaries, Some(&reformed.salaries), None);
        reform_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        out = Some((b.baseline, r.reform, r.deciles.len()));
    }
    let (bl, rf, deciles) = out.unwrap_or_default();
    // Fiscal Monte Carlo: 10,000 paths over the 2025-26 vintage's years.
    let data = hkb_fiscal::data::Data::embedded()?;
    let fb = hkb_fiscal::vintage::baseline(&data, "2025-26")?;
    let drivers = hkb_fiscal::montecarlo::Drivers::from_history(&data)?;
    let none = hkb_fiscal::package::additions(
        &fb,
        &hkb_fiscal::package::Package {
            name: None,
            lines: vec![],
            reforms: vec![],
        },
        &[],
    )?;
    let mut mc_ms = vec![];
    for _ in 0..a.repeat {
        let t = Instant::now();
        let _ = hkb_fiscal::montecarlo::run(&fb, &none, &drivers, 10_000, 1, 1.0, 12.0);
        mc_ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let v = json!({
        "persons": a.persons,
        "threads": rayon::current_num_threads(),
        "build_ms": build_ms,
        "baseline_ms": median(base_ms),
        "reform_ms": median(reform_ms.clone()),
        "reform_ms_min": reform_ms.iter().copied().fold(f64::INFINITY, f64::min),
        "reform_includes": "baseline and reform tax for every earner, totals, affected count, 10 income deciles and the top 1%, in one pass",
        "baseline_revenue_hkd_bn": bl / 1e9,
        "reform_revenue_hkd_bn": rf / 1e9,
        "decile_rows": deciles,
        "year": "2024/25",
        "reform": "basic allowance 142,000; top progressive rate 19% (the reference reform of shared/reference/bench)",
        "monte_carlo_10000_paths_ms": median(mc_ms),
        "monte_carlo_years": fb.accounts.years.len(),
    });
    match a.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&v)?),
        Format::Table => {
            println!(
                "hkbudget bench: {} earners, {} threads",
                a.persons,
                rayon::current_num_threads()
            );
            println!("  build + calibrate 9 years   {:>9.1} ms", build_ms);
            println!(
                "  baseline (+ deciles)        {:>9.2} ms (median of {})",
                v["baseline_ms"].as_f64().unwrap_or_default(),
                a.repeat
            );
            println!(
                "  baseline + reform + deciles {:>9.2} ms (median of {})",
                v["reform_ms"].as_f64().unwrap_or_default(),
                a.repeat
            );
        }
    }
    Ok(())
}
