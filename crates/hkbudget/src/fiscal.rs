//! `hkbudget project` and `hkbudget package …`: the fiscal projection, packages, risk, charts
//! and exports.

use crate::cli::{Format, PackageCommand, ProjectArgs, RiskArgs, RunFormat};
use crate::io::{Progress, print, print_csv, print_json, read_text, write_file};
use crate::{Ctx, UserError, user};
use hkb_engine::package::{CompareRequest, PackageRequest, PackageSpec};
use hkb_engine::project::ProjectRequest;
use hkb_fiscal::montecarlo::{McOptions, MonteCarlo};
use std::path::Path;

/// Reads a package file. A reform given by `file:` (a path relative to the package) is read and
/// placed inline: the engine takes only inline reforms.
pub fn read_package(path: &Path) -> anyhow::Result<PackageSpec> {
    let text = read_text(path, "package")?;
    let ctx = || format!("package file {}", path.display());
    let value: serde_yaml_ng::Value = match serde_yaml_ng::from_str(&text) {
        Ok(v) => v,
        // Let the engine's reader report the syntax error with its field and line.
        Err(_) => {
            return hkb_engine::input::from_yaml::<PackageSpec>(&text)
                .map_err(|e| anyhow::Error::from(e).context(ctx()));
        }
    };
    let has_files = value
        .get("reforms")
        .and_then(|r| r.as_sequence())
        .is_some_and(|s| s.iter().any(|r| r.get("file").is_some()));
    if !has_files {
        return hkb_engine::input::from_yaml::<PackageSpec>(&text)
            .map_err(|e| anyhow::Error::from(e).context(ctx()));
    }
    let mut json: serde_json::Value =
        serde_json::to_value(&value).map_err(|e| UserError(format!("{}: {e}", ctx())))?;
    if let Some(list) = json.get_mut("reforms").and_then(|r| r.as_array_mut()) {
        for (i, r) in list.iter_mut().enumerate() {
            let Some(obj) = r.as_object_mut() else {
                continue;
            };
            let Some(file) = obj.remove("file") else {
                continue;
            };
            let Some(file) = file.as_str() else {
                return user(format!("{}: reforms[{i}].file: give a path", ctx()));
            };
            let near = path.parent().map_or_else(|| file.into(), |d| d.join(file));
            let at = if near.exists() { near } else { file.into() };
            let spec = crate::calc::reform_spec(&at)
                .map_err(|e| e.context(format!("{}: reforms[{i}].file", ctx())))?;
            obj.insert("reform".into(), serde_json::to_value(spec)?);
        }
    }
    hkb_engine::input::from_value::<PackageSpec>(json)
        .map_err(|e| anyhow::Error::from(e).context(ctx()))
}

fn paths_flag(v: &Option<String>, default: usize) -> anyhow::Result<usize> {
    match v {
        None => Ok(default),
        Some(s) => match s.trim().parse::<i64>() {
            Ok(n) if n >= 0 => Ok(n as usize),
            _ => user(format!(
                "--paths: '{s}' must be a whole number of paths, 0 or more"
            )),
        },
    }
}

/// Monte Carlo options from flags (checked by the engine against its limits).
fn mc_options(ctx: &Ctx, r: &RiskArgs, default_paths: usize) -> anyhow::Result<Option<McOptions>> {
    // Asking for a probability or a fan chart asks for paths: 10,000 unless --paths says.
    let default_paths = if r.below.is_some() || r.chart.is_some() {
        default_paths.max(10_000)
    } else {
        default_paths
    };
    let paths = paths_flag(&r.paths, default_paths)?;
    if r.chart.is_some() {
        if paths == 0 {
            return user("--chart needs --paths above 0");
        }
        match r
            .out
            .as_ref()
            .and_then(|o| o.extension())
            .and_then(|e| e.to_str())
        {
            Some("svg" | "png") => {}
            _ => return user("--chart needs --out FILE.svg or FILE.png"),
        }
    }
    if paths == 0 && r.below.is_some() {
        return user("--below needs --paths above 0 (it is a probability over the paths)");
    }
    let mc = McOptions {
        paths,
        seed: r.mc_seed,
        shock_scale: r.shock_scale,
        months_threshold: r.months,
        reserves_threshold_bn: r.below,
    };
    // Flag names for the engine's fields.
    ctx.lab.check_mc(&mc).map_err(|e| {
        let flag = match e.field.as_str() {
            "/monte_carlo/paths" => "--paths",
            "/monte_carlo/shock_scale" => "--shock-scale",
            "/monte_carlo/months" => "--months",
            "/monte_carlo/below" => "--below",
            _ => "",
        };
        if flag.is_empty() {
            e.into()
        } else {
            anyhow::Error::from(hkb_engine::EngineError {
                field: flag.into(),
                ..e
            })
        }
    })?;
    Ok((paths > 0).then_some(mc))
}

fn write_chart(
    ctx: &Ctx,
    r: &RiskArgs,
    mc: Option<&MonteCarlo>,
    baseline: &hkb_fiscal::accounts::Accounts,
    vintage: &str,
    package: Option<&hkb_law::Bilingual>,
) -> anyhow::Result<()> {
    let (Some(line), Some(out), Some(mc)) = (r.chart, r.out.as_ref(), mc) else {
        return Ok(());
    };
    let lang = ctx.lang.law();
    let line = line.report();
    let (fan, base) = hkb_report::chart::select(line, mc, baseline);
    let svg = hkb_report::chart::fan_svg(
        &hkb_report::chart::title(line, vintage, package, lang),
        &baseline.years,
        fan,
        base,
        lang,
    );
    let bytes = if out.extension().is_some_and(|e| e == "png") {
        hkb_report::chart::svg_to_png(&svg)?
    } else {
        svg.into_bytes()
    };
    write_file(out, "--out", &bytes, lang.is_zh())
}

pub fn project(ctx: &Ctx, a: ProjectArgs) -> anyhow::Result<()> {
    let mc = mc_options(ctx, &a.risk, 10_000)?;
    let package = a.package.as_deref().map(read_package).transpose()?;
    let req = ProjectRequest {
        vintage: a.vintage.clone(),
        package,
        monte_carlo: mc,
        population: a.pop.spec(),
    };
    let progress = Progress::new(ctx, a.format != RunFormat::Table);
    let r = ctx.lab.project(&req, &|e| progress.event(e)).map_err(|e| {
        match (&a.package, e.field.starts_with("/package")) {
            (Some(p), true) => anyhow::Error::from(hkb_engine::EngineError {
                field: e.field.trim_start_matches("/package").to_string(),
                ..e
            })
            .context(format!("package file {}", p.display())),
            _ => e.into(),
        }
    })?;
    write_chart(
        ctx,
        &a.risk,
        r.body.monte_carlo.as_ref(),
        &r.body.baseline,
        &r.body.vintage,
        r.body.package.as_ref().and_then(|p| p.name.as_ref()),
    )?;
    match a.format {
        RunFormat::Json => print_json(&r),
        RunFormat::Csv => print_csv(|w| hkb_report::fiscal::projection_csv(w, &r)),
        RunFormat::Table => print(|w| hkb_report::fiscal::projection(w, &r, ctx.lang.law())),
    }
}

pub fn package(ctx: &Ctx, p: PackageCommand) -> anyhow::Result<()> {
    let lang = ctx.lang.law();
    match p {
        PackageCommand::Run {
            file,
            vintage,
            risk,
            format,
            xlsx,
            pop,
        } => {
            if let Some(x) = &xlsx
                && x.extension().is_none_or(|e| e != "xlsx")
            {
                return user(format!(
                    "--xlsx: {} — give a file ending in .xlsx",
                    x.display()
                ));
            }
            let mc = mc_options(ctx, &risk, 0)?;
            let spec = read_package(&file)?;
            let req = PackageRequest {
                package: spec,
                vintage,
                monte_carlo: mc,
                population: pop.spec(),
            };
            let progress = Progress::new(ctx, format != RunFormat::Table);
            let r = ctx
                .lab
                .run_package(&req, &|e| progress.event(e))
                .map_err(|e| {
                    if e.field.starts_with("/package") {
                        anyhow::Error::from(hkb_engine::EngineError {
                            field: e.field.trim_start_matches("/package").to_string(),
                            ..e
                        })
                        .context(format!("package file {}", file.display()))
                    } else {
                        e.into()
                    }
                })?;
            write_chart(
                ctx,
                &risk,
                r.body.monte_carlo.as_ref(),
                &r.body.baseline,
                &r.body.vintage,
                r.body.name.as_ref(),
            )?;
            match format {
                RunFormat::Json => print_json(&r)?,
                RunFormat::Csv => print_csv(|w| hkb_report::package::run_csv(w, &r))?,
                RunFormat::Table => print(|w| hkb_report::package::run(w, &r, lang))?,
            }
            if let Some(x) = &xlsx {
                let bytes = hkb_report::package::workbook(&r)?;
                write_file(x, "--xlsx", &bytes, lang.is_zh())?;
            }
            Ok(())
        }
        PackageCommand::Compare {
            files,
            vintage,
            format,
            pop,
        } => {
            let packages = files
                .iter()
                .map(|f| read_package(f))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let req = CompareRequest {
                packages,
                vintage,
                population: pop.spec(),
            };
            let progress = Progress::new(ctx, format == Format::Json);
            let r = ctx
                .lab
                .compare_packages(&req, &|e| progress.event(e))
                .map_err(|e| {
                    let i = e
                        .field
                        .strip_prefix("/packages/")
                        .and_then(|rest| rest.split('/').next())
                        .and_then(|n| n.parse::<usize>().ok());
                    match i.and_then(|i| files.get(i).map(|f| (i, f))) {
                        Some((i, f)) => {
                            let field = e
                                .field
                                .trim_start_matches(&format!("/packages/{i}"))
                                .to_string();
                            anyhow::Error::from(hkb_engine::EngineError { field, ..e })
                                .context(format!("package file {}", f.display()))
                        }
                        None => e.into(),
                    }
                })?;
            match format {
                Format::Json => print_json(&r),
                Format::Table => print(|w| hkb_report::package::compare(w, &r, lang)),
            }
        }
    }
}
