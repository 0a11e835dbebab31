//! `hkbudget proposals …`: the Chamber's proposals as data.

use crate::cli::{Format, PopulationArgs, ProposalsCommand, RunFormat};
use crate::{UserError, user};
use hkb_law::{Law, Reform, YearOfAssessment};
use hkb_proposals::{Catalogue, Costing, Setting};
use serde_json::{Value, json};

pub fn run(law: &Law, p: ProposalsCommand) -> anyhow::Result<()> {
    let cat = Catalogue::embedded()?;
    match p {
        ProposalsCommand::List {
            section,
            kind,
            status,
            format,
        } => list(&cat, section, kind, status, format),
        ProposalsCommand::Show { id, format } => show(&cat, &id, format),
        ProposalsCommand::Scorecard { format } => scorecard(&cat, format),
        ProposalsCommand::Cost {
            id,
            set,
            format,
            pop,
        } => cost(law, &cat, &id, &set, format, &pop),
    }
}

fn list(
    cat: &Catalogue,
    section: Option<String>,
    kind: Option<String>,
    status: Option<String>,
    format: RunFormat,
) -> anyhow::Result<()> {
    if let Some(k) = &kind
        && !hkb_proposals::KINDS.contains(&k.as_str())
    {
        return user(format!(
            "--kind: '{k}' is not one of {}",
            hkb_proposals::KINDS.join(", ")
        ));
    }
    if let Some(s) = &status
        && !hkb_proposals::STATUSES.contains(&s.as_str())
    {
        return user(format!(
            "--status: '{s}' is not one of {}",
            hkb_proposals::STATUSES.join(", ")
        ));
    }
    if let Some(s) = &section
        && !cat.sections.iter().any(|x| &x.id == s)
    {
        return user(format!(
            "--section: '{s}' is not a section (1 to {})",
            cat.sections.len()
        ));
    }
    let rows: Vec<&hkb_proposals::Proposal> = cat
        .proposals
        .iter()
        .filter(|p| section.as_ref().is_none_or(|s| &p.section_id == s))
        .filter(|p| kind.as_ref().is_none_or(|k| &p.kind == k))
        .filter(|p| {
            status
                .as_ref()
                .is_none_or(|s| &p.government_response.status == s)
        })
        .collect();
    match format {
        RunFormat::Json => {
            let v: Vec<Value> = rows
                .iter()
                .map(|p| {
                    json!({"id": p.id, "level": p.level, "leaf": p.is_leaf(), "section": p.section_id, "kind": p.kind, "quantifiable": p.quantifiable,
                           "status": p.government_response.status, "title_zh": p.title(true), "title_en": p.title(false),
                           "summary_zh": p.summary_zh, "summary_en": p.summary_en, "fiscal_weight": p.fiscal_weight.band})
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&v)?);
        }
        RunFormat::Csv => {
            println!("id,level,section,kind,quantifiable,status,title_en");
            for p in rows {
                println!(
                    "{},{},{},{},{},{},\"{}\"",
                    p.id,
                    p.level,
                    p.section_id,
                    p.kind,
                    p.quantifiable,
                    p.government_response.status,
                    p.title(false).replace('"', "'")
                );
            }
        }
        RunFormat::Table => {
            for p in rows {
                let mark = if p.is_leaf() { "" } else { " [heading]" };
                println!(
                    "{:<8} {:<28} {:<7} {:<20} {}{mark}\n         {}",
                    p.id,
                    p.kind,
                    p.quantifiable,
                    p.government_response.status,
                    p.title(false),
                    p.title(true)
                );
            }
        }
    }
    Ok(())
}

fn show(cat: &Catalogue, id: &str, format: Format) -> anyhow::Result<()> {
    let p = cat.get(id)?;
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(p)?),
        Format::Table => {
            println!("{} — {} / {}", p.id, p.title(false), p.title(true));
            println!(
                "Section {}: {} / {}",
                p.section_id, p.section_title_en, p.section_title_zh
            );
            println!("\n{}\n{}\n", p.summary_en, p.summary_zh);
            println!(
                "Kind: {}   Quantifiable: {}   Fiscal weight: {} ({})",
                p.kind, p.quantifiable, p.fiscal_weight.band, p.fiscal_weight.rationale
            );
            if !p.children.is_empty() {
                println!(
                    "Heading over: {} (never added into totals)",
                    p.children.join(", ")
                );
            }
            if let Some(m) = &p.model {
                println!("\nCosting sketch: {}", m.costing_method);
                for x in &m.parameters {
                    println!("  parameter: {x}");
                }
            }
            let r = &p.government_response;
            println!(
                "\nGovernment response: {} ({})\n  {}",
                r.status, r.timing, r.summary
            );
            if r.sources.is_empty() {
                println!("  (no source: the status rests on the absence of a measure)");
            }
            for s in &r.sources {
                println!("  source: {s}");
            }
        }
    }
    Ok(())
}

fn scorecard(cat: &Catalogue, format: Format) -> anyhow::Result<()> {
    let s = cat.scorecard();
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&s)?),
        Format::Table => {
            println!(
                "{} leaf proposals ({} headings not counted)\n",
                s.leaves, s.headings
            );
            for (title, m) in [
                ("By section", &s.by_section),
                ("By kind", &s.by_kind),
                ("By quantifiability", &s.by_quantifiable),
                ("By government response", &s.by_status),
            ] {
                println!("{title}");
                for (k, ids) in m {
                    println!("  {k:<28} {:>3}  {}", ids.len(), ids.join(" "));
                }
                println!();
            }
        }
    }
    Ok(())
}

fn cost(
    law: &Law,
    cat: &Catalogue,
    id: &str,
    set: &[String],
    format: Format,
    pop: &PopulationArgs,
) -> anyhow::Result<()> {
    let p = cat.get(id)?;
    if p.quantifiable == "no" {
        return user(format!(
            "{id} is not quantifiable (quantifiable: no): it has no costing"
        ));
    }
    let costing = Costing::all()?.into_iter().find(|c| c.id == id);
    let Some(costing) = costing else {
        return user(format!(
            "{id} is quantifiable ({}) but its costing model has not been written yet; costed so far: {}",
            p.quantifiable,
            Costing::all()?
                .iter()
                .map(|c| c.id.clone())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    };
    let mut overrides = Vec::new();
    for s in set {
        let (k, v) = s
            .split_once('=')
            .ok_or_else(|| UserError(format!("--set '{s}': write NAME=VALUE")))?;
        let x: f64 = v
            .trim()
            .parse()
            .map_err(|_| UserError(format!("--set {k}: '{v}' is not a number")))?;
        overrides.push((k.trim().to_string(), x));
    }
    // Check every override before the population is loaded.
    for setting in [Setting::Low, Setting::Central, Setting::High] {
        costing.values(setting, &overrides)?;
    }
    let spec = hkb_microsim::model::BuildSpec {
        persons: pop.persons,
        businesses: pop.businesses,
        seed: pop.seed,
    };
    let model = crate::sim::load_or_build(law, spec, false, format == Format::Json)?;
    let data = hkb_fiscal::data::Data::embedded()?;
    let fb = hkb_fiscal::vintage::baseline(&data, "2024-25")?;
    let result = cost_with(law, &model, &fb, &costing, &overrides)?;
    let (settings, central_detail) = (result.settings, result.central_detail);
    let v = json!({
        "id": id,
        "title_en": p.title(false), "title_zh": p.title(true),
        "description": costing.description,
        "method": costing.method,
        "population_year": costing.population_year,
        "years": fb.accounts.years,
        "units": "HK$bn; the effect on the government's balance (negative = cost or revenue forgone)",
        "parameters": costing.parameters,
        "settings": settings,
        "central_detail": central_detail,
        "notes": ["later years grow with the 2024-25 vintage's nominal GDP path (derived)", "low and high set every parameter to its low or high value"],
    });
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&v)?),
        Format::Table => {
            println!(
                "{id} — {}\n{}\n",
                p.title(false),
                costing
                    .description
                    .get("en")
                    .and_then(|x| x.as_str())
                    .unwrap_or("")
            );
            print!("{:<28}", "HK$bn (effect on balance)");
            for y in &fb.accounts.years {
                print!("{y:>10}");
            }
            println!();
            for key in ["low", "central", "high"] {
                for (label, field) in [
                    ("static", "static_bn"),
                    ("with behaviour", "with_behaviour_bn"),
                ] {
                    print!("{:<28}", format!("{key}, {label}"));
                    for x in v["settings"][key][field].as_array().into_iter().flatten() {
                        print!("{:>10.2}", x.as_f64().unwrap_or_default());
                    }
                    println!();
                }
            }
            println!("\nParameters:");
            for (k, prm) in &costing.parameters {
                println!(
                    "  {k} = {} (low {}, high {}; {}) [{}]\n    {}",
                    prm.value,
                    prm.low,
                    prm.high,
                    prm.unit,
                    prm.status,
                    prm.note.clone().unwrap_or_default()
                );
            }
        }
    }
    Ok(())
}

/// A proposal's costing: every setting's effect on the balance by year, and the central
/// setting's first-year effect by tax.
pub struct CostResult {
    pub settings: serde_json::Map<String, Value>,
    pub central_detail: Value,
    /// Central setting, with behaviour, by year (HK$bn effect on the balance).
    pub central: Vec<f64>,
    /// Central setting, with behaviour, first year, by fiscal head.
    pub central_by_head: Vec<(String, f64)>,
}

/// Runs a costing through the microsimulation for each setting and extends it over the
/// baseline's years with nominal GDP.
pub fn cost_with(
    law: &Law,
    model: &hkb_microsim::Model,
    fb: &hkb_fiscal::vintage::Baseline,
    costing: &Costing,
    overrides: &[(String, f64)],
) -> anyhow::Result<CostResult> {
    let year: YearOfAssessment = costing.population_year.parse().map_err(UserError)?;
    let sign = if costing.sign.as_deref() == Some("reverse") {
        -1.0
    } else {
        1.0
    };
    let mut settings = serde_json::Map::new();
    let mut central_detail = Value::Null;
    let mut central = Vec::new();
    let mut central_by_head = Vec::new();
    for setting in [Setting::Low, Setting::Central, Setting::High] {
        let values = costing.values(setting, overrides)?;
        let reform = Reform::parse(
            law,
            &format!("{} costing", costing.id),
            &costing.reform_text(&values),
        )?;
        let r = hkb_microsim::society::run(law, model, year, Some(&reform))?;
        let path = |x: f64| -> Vec<f64> {
            fb.nominal_gdp
                .iter()
                .map(|g| x * g / fb.nominal_gdp[0])
                .collect()
        };
        let key = match setting {
            Setting::Low => "low",
            Setting::Central => "central",
            Setting::High => "high",
        };
        settings.insert(key.into(), json!({"parameters": values, "static_bn": path(sign * r.total_change / 1e9), "with_behaviour_bn": path(sign * r.total_change_with_behaviour / 1e9)}));
        if setting == Setting::Central {
            central = path(sign * r.total_change_with_behaviour / 1e9);
            for (k, t) in &r.taxes {
                let head = if k.starts_with("stamp_duty") {
                    "stamp_duties"
                } else {
                    "earnings_and_profits_tax"
                };
                let v = sign * t.change_with_behaviour / 1e9;
                match central_by_head
                    .iter_mut()
                    .find(|(h, _): &&mut (String, f64)| h == head)
                {
                    Some((_, x)) => *x += v,
                    None => central_by_head.push((head.to_string(), v)),
                }
            }
            let taxes: serde_json::Map<String, Value> = r
                .taxes
                .iter()
                .filter(|(_, t)| t.change != 0.0 || t.change_with_behaviour != 0.0)
                .map(|(k, t)| (k.clone(), json!({"static_bn": sign * t.change / 1e9, "with_behaviour_bn": sign * t.change_with_behaviour / 1e9, "affected": t.affected})))
                .collect();
            central_detail = json!({"by_tax": taxes, "stock_turnover": r.stock_turnover, "property_by_buyer": r.property_by_buyer, "behaviour": r.behaviour});
        }
    }
    Ok(CostResult {
        settings,
        central_detail,
        central,
        central_by_head,
    })
}
