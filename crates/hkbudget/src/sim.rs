//! `hkbudget population | baseline | reform | bench`: the society-wide model.

use crate::cli::{BaselineArgs, BenchArgs, Format, PopulationCommand, ReformArgs, RunFormat};
use crate::io::{Progress, print, print_csv, print_json, write_file};
use crate::{Ctx, UserError};
use hkb_engine::society::SocietyRequest;
use hkb_law::YearOfAssessment;

fn year(s: &str) -> anyhow::Result<YearOfAssessment> {
    let y: YearOfAssessment = s
        .parse()
        .map_err(|e: String| UserError(format!("--year: {e}")))?;
    if !y.is_supported() {
        return crate::user(format!(
            "--year: unsupported year of assessment {y}: supported years are {}",
            YearOfAssessment::supported_list()
        ));
    }
    Ok(y)
}

/// Population sizes are flags here: name them as flags.
fn flag_field(e: hkb_engine::EngineError) -> hkb_engine::EngineError {
    match e.field.as_str() {
        "/population/persons" => hkb_engine::EngineError {
            field: "--persons".into(),
            ..e
        },
        "/population/businesses" => hkb_engine::EngineError {
            field: "--businesses".into(),
            ..e
        },
        _ => e,
    }
}

pub fn population(ctx: &Ctx, p: PopulationCommand) -> anyhow::Result<()> {
    let lang = ctx.lang.law();
    match p {
        PopulationCommand::Build {
            year: y,
            force,
            pop,
        } => {
            let y = y.as_deref().map(year).transpose()?;
            let progress = Progress::new(ctx, false);
            ctx.lab
                .population(pop.spec(), force, &|e| progress.event(e))
                .map_err(flag_field)?;
            if let Some(y) = y {
                let r = ctx
                    .lab
                    .population_check(y, pop.spec(), &|e| progress.event(e))?;
                print(|w| hkb_report::society::checks(w, &r, lang))?;
            }
            Ok(())
        }
        PopulationCommand::Validate { out, pop } => {
            let out = out.unwrap_or_else(|| {
                let docs = std::path::Path::new("docs");
                if docs.join("VALIDATION.md").exists() {
                    docs.join("VALIDATION.md")
                } else {
                    "VALIDATION.md".into()
                }
            });
            let progress = Progress::new(ctx, false);
            let r = ctx
                .lab
                .validation(pop.spec(), &|e| progress.event(e))
                .map_err(flag_field)?;
            let mut md = Vec::new();
            hkb_report::society::validation_markdown(&mut md, &r)?;
            write_file(&out, "--out", &md, lang.is_zh())
        }
        PopulationCommand::Check {
            year: y,
            format,
            pop,
        } => {
            let y = year(&y)?;
            let progress = Progress::new(ctx, format == Format::Json);
            let r = ctx
                .lab
                .population_check(y, pop.spec(), &|e| progress.event(e))
                .map_err(flag_field)?;
            match format {
                Format::Json => print_json(&r),
                Format::Table => print(|w| hkb_report::society::checks(w, &r, lang)),
            }
        }
    }
}

fn society(ctx: &Ctx, req: SocietyRequest, format: RunFormat) -> anyhow::Result<()> {
    let progress = Progress::new(ctx, format != RunFormat::Table);
    let r = ctx
        .lab
        .society(&req, &|e| progress.event(e))
        .map_err(flag_field)?;
    match format {
        RunFormat::Json => print_json(&r),
        RunFormat::Csv => print_csv(|w| hkb_report::society::run_csv(w, &r)),
        RunFormat::Table => print(|w| hkb_report::society::run(w, &r, ctx.lang.law())),
    }
}

pub fn baseline(ctx: &Ctx, a: BaselineArgs) -> anyhow::Result<()> {
    let req = SocietyRequest {
        year: year(&a.year)?,
        reform: None,
        population: a.pop.spec(),
        deciles_by: a.by.into(),
    };
    society(ctx, req, a.format)
}

pub fn reform(ctx: &Ctx, a: ReformArgs) -> anyhow::Result<()> {
    let mut spec = crate::calc::reform_spec(&a.file)?;
    if spec.name.is_none() {
        spec.name = Some(hkb_law::Bilingual::neutral(a.file.display().to_string()));
    }
    let req = SocietyRequest {
        year: year(&a.year)?,
        reform: Some(spec),
        population: a.pop.spec(),
        deciles_by: a.by.into(),
    };
    society(ctx, req, a.format).map_err(|e| e.context(format!("reform file {}", a.file.display())))
}

pub fn bench(ctx: &Ctx, a: BenchArgs) -> anyhow::Result<()> {
    if ctx.lang.law().is_zh() {
        eprintln!(
            "正在建立 {} 名受僱人士的人口（計時，不使用快取）……",
            a.persons
        );
    } else {
        eprintln!(
            "building a population of {} earners (timed: the cache is not used)…",
            a.persons
        );
    }
    let r = ctx
        .lab
        .bench(a.persons, a.repeat, rayon::current_num_threads())
        .map_err(|e| match e.field.as_str() {
            "/population/persons" => hkb_engine::EngineError {
                field: "--persons".into(),
                ..e
            },
            "/repeat" => hkb_engine::EngineError {
                field: "--repeat".into(),
                ..e
            },
            _ => e,
        })?;
    match a.format {
        Format::Json => print_json(&r),
        Format::Table => print(|w| hkb_report::bench::table(w, &r, ctx.lang.law())),
    }
}
