//! `hkbudget proposals …`: the Chamber's proposals as data, and their costings.

use crate::cli::{Format, ProposalsCommand, RunFormat};
use crate::io::{Progress, print, print_csv, print_json};
use crate::{Ctx, UserError};
use hkb_engine::costing::CostRequest;
use hkb_proposals::Filter;
use std::collections::BTreeMap;

/// Parses `--set NAME=VALUE` arguments.
pub fn parse_overrides(set: &[String]) -> Result<BTreeMap<String, f64>, UserError> {
    set.iter()
        .map(|s| {
            let (k, v) = s
                .split_once('=')
                .ok_or_else(|| UserError(format!("--set '{s}': write NAME=VALUE")))?;
            let x: f64 = v
                .trim()
                .parse()
                .map_err(|_| UserError(format!("--set {k}: '{v}' is not a number")))?;
            Ok((k.trim().to_string(), x))
        })
        .collect()
}

pub fn run(ctx: &Ctx, p: ProposalsCommand) -> anyhow::Result<()> {
    let lang = ctx.lang.law();
    match p {
        ProposalsCommand::List {
            section,
            kind,
            status,
            format,
        } => {
            let filter = Filter {
                section,
                kind: kind.map(|k| k.engine()),
                status: status.map(|s| s.engine()),
                ..Filter::default()
            };
            let r = ctx.lab.proposals(&filter).map_err(|e| {
                if e.field == "/section" {
                    hkb_engine::EngineError {
                        field: "--section".into(),
                        ..e
                    }
                } else {
                    e
                }
            })?;
            match format {
                RunFormat::Json => print_json(&r),
                RunFormat::Table => print(|w| hkb_report::proposals::list(w, &r, lang)),
                RunFormat::Csv => print_csv(|w| {
                    let mut c = csv::Writer::from_writer(w);
                    c.write_record([
                        "id",
                        "level",
                        "section",
                        "kind",
                        "quantifiable",
                        "status",
                        "costing_method",
                        "title_en",
                        "title_zh",
                    ])?;
                    for p in &r.body.proposals {
                        c.write_record([
                            p.id.as_str(),
                            p.level.as_str(),
                            &p.section,
                            p.kind.as_str(),
                            p.quantifiable.as_str(),
                            p.status.as_str(),
                            p.costing_method.map_or("", |m| m.as_str()),
                            &p.title.en,
                            &p.title.zh,
                        ])?;
                    }
                    c.flush()?;
                    Ok(())
                }),
            }
        }
        ProposalsCommand::Show { id, format } => {
            let r = ctx.lab.proposal(&id)?;
            match format {
                Format::Json => print_json(&r),
                Format::Table => print(|w| hkb_report::proposals::show(w, &r, lang)),
            }
        }
        ProposalsCommand::Scorecard { format } => {
            let r = ctx.lab.scorecard();
            match format {
                Format::Json => print_json(&r),
                Format::Table => print(|w| hkb_report::proposals::scorecard(w, &r, lang)),
            }
        }
        ProposalsCommand::Cost {
            id,
            set,
            vintage,
            format,
            pop,
        } => {
            let req = CostRequest {
                id,
                set: parse_overrides(&set)?,
                vintage,
                population: pop.spec(),
            };
            let progress = Progress::new(ctx, format == Format::Json);
            let r = ctx.lab.cost(&req, &|e| progress.event(e)).map_err(|e| {
                // Overrides come from --set.
                match e.field.strip_prefix("/set/") {
                    Some(name) => hkb_engine::EngineError {
                        field: format!("--set {name}"),
                        ..e
                    },
                    None => e,
                }
            })?;
            match format {
                Format::Json => print_json(&r),
                Format::Table => print(|w| hkb_report::proposals::costing(w, &r, lang)),
            }
        }
    }
}
