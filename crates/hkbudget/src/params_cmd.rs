//! `hkbudget params …`: browse and check the law as data.

use crate::cli::{Format, ParamsCommand};
use crate::user;
use hkb_law::{Law, YearOfAssessment};
use serde_json::json;

pub fn run(law: &Law, p: ParamsCommand) -> anyhow::Result<()> {
    match p {
        ParamsCommand::List { format, year } => list(law, format, year),
        ParamsCommand::Show { path, format } => show(law, &path, format),
        ParamsCommand::Check { dir } => {
            let checked = match dir {
                Some(d) => Law::from_dir(&d)?,
                None => law.clone(),
            };
            let nodes = checked.nodes().count();
            let values: usize = checked.nodes().map(|n| n.values.len()).sum();
            println!("ok: {nodes} parameter nodes, {values} dated values, all valid");
            Ok(())
        }
    }
}

fn list(law: &Law, format: Format, year: Option<String>) -> anyhow::Result<()> {
    let year = match year {
        Some(y) => y
            .parse::<YearOfAssessment>()
            .map_err(|e| crate::UserError(format!("--year: {e}")))?,
        None => YearOfAssessment(hkb_law::period::LAST_SUPPORTED_YA),
    };
    let at = year.start_instant();
    match format {
        Format::Json => {
            let v: Vec<_> = law
                .nodes()
                .map(|n| {
                    let cur = n.value_at(at);
                    json!({
                        "path": n.path, "label": n.label, "unit": n.unit, "period": n.period,
                        "value": cur.map(|d| d.value.to_string()), "status": cur.map(|d| d.status.as_str()),
                        "reference": n.citation(),
                    })
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&v)?);
        }
        Format::Table => {
            println!(
                "Parameters in force on {} (year of assessment {year}); `hkbudget params show PATH` for history\n",
                at.date()
            );
            for n in law.nodes() {
                let cur = n.value_at(at);
                let v = cur.map_or("—".to_string(), |d| d.value.to_string());
                let flag = cur
                    .filter(|d| !d.status.is_firm())
                    .map_or(String::new(), |d| format!(" [{}]", d.status.as_str()));
                println!(
                    "{:<62} {v}{flag}\n    {} / {}",
                    n.path, n.label.en, n.label.zh
                );
            }
        }
    }
    Ok(())
}

fn show(law: &Law, path: &str, format: Format) -> anyhow::Result<()> {
    let Some(n) = law.node(path) else {
        let hints = law.suggest(path);
        return if hints.is_empty() {
            user(format!(
                "unknown parameter '{path}' (see `hkbudget params list`)"
            ))
        } else {
            user(format!(
                "unknown parameter '{path}'; did you mean {}?",
                hints.join(" or ")
            ))
        };
    };
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(n)?),
        Format::Table => {
            println!("{}\n  {}\n  {}\n", n.path, n.label.en, n.label.zh);
            println!("{}\n{}\n", n.description.en, n.description.zh);
            println!(
                "Unit: {:?}    Period: {:?}    File: params/{}",
                n.unit, n.period, n.file
            );
            println!("Legal references:");
            for r in &n.references {
                println!(
                    "  {} {}{}  {}",
                    r.ordinance,
                    r.section,
                    if r.verified {
                        ""
                    } else {
                        " [section unverified]"
                    },
                    r.url
                );
            }
            println!("\nHistory:");
            for v in &n.values {
                let period = match &v.to {
                    Some(t) if *t == v.from => v.from.clone(),
                    Some(t) => format!("{} – {}", v.from, t),
                    None => format!("{} onward", v.from),
                };
                let status = if v.status.is_firm() {
                    String::new()
                } else {
                    format!(" [{}]", v.status.as_str())
                };
                println!("  {period:<24} {}{status}", v.value);
                println!(
                    "      source: {} {}{}",
                    v.source.document,
                    v.source.url,
                    v.source
                        .date
                        .as_ref()
                        .map_or(String::new(), |d| format!(" ({d})"))
                );
                if let Some(note) = &v.note {
                    println!("      note: {note}");
                }
            }
            if let Some(notes) = &n.notes {
                println!("\nNotes: {notes}");
            }
        }
    }
    Ok(())
}
