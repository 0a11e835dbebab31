//! `hkbudget params …`: browse and check the law as data.

use crate::cli::{Format, ParamsCommand};
use crate::io::{print, print_json};
use crate::{Ctx, UserError};
use hkb_engine::EngineError;
use hkb_law::{Law, YearOfAssessment};

pub fn run(ctx: &Ctx, p: ParamsCommand) -> anyhow::Result<()> {
    let lang = ctx.lang.law();
    match p {
        ParamsCommand::List {
            format,
            year,
            search,
        } => {
            let year = year
                .map(|y| {
                    y.parse::<YearOfAssessment>()
                        .map_err(|e| UserError(format!("--year: {e}")))
                })
                .transpose()?;
            let r = ctx.lab.params(year, search.as_deref())?;
            match format {
                Format::Json => print_json(&r),
                Format::Table => print(|w| hkb_report::params::list(w, &r, lang)),
            }
        }
        ParamsCommand::Show { path, format } => {
            let r = ctx.lab.param(&path)?;
            match format {
                Format::Json => print_json(&r),
                Format::Table => print(|w| hkb_report::params::show(w, &r, lang)),
            }
        }
        ParamsCommand::Check { dir } => {
            let checked = match dir {
                Some(d) => Law::from_dir(&d).map_err(EngineError::from)?,
                None => ctx.lab.law().clone(),
            };
            let nodes = checked.nodes().count();
            let values: usize = checked.nodes().map(|n| n.values.len()).sum();
            print(|w| {
                if lang.is_zh() {
                    writeln!(
                        w,
                        "正常：{nodes} 個參數節點，{values} 個附日期的數值，全部有效"
                    )
                } else {
                    writeln!(
                        w,
                        "ok: {nodes} parameter nodes, {values} dated values, all valid"
                    )
                }
            })
        }
    }
}
