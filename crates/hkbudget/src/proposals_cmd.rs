//! `hkbudget proposals …`: the Chamber's proposals as data.

use crate::cli::{Format, PopulationArgs, ProposalsCommand, RunFormat};
use crate::{UserError, user};
use hkb_fiscal::package::CostedLine;
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
    let costings = Costing::all()?;
    let method = |id: &str| -> &str {
        costings
            .iter()
            .find(|c| c.id == id)
            .map_or("", |c| c.method.as_str())
    };
    match format {
        RunFormat::Json => {
            let v: Vec<Value> = rows
                .iter()
                .map(|p| {
                    json!({"id": p.id, "level": p.level, "leaf": p.is_leaf(), "section": p.section_id, "kind": p.kind, "quantifiable": p.quantifiable,
                           "status": p.government_response.status, "title_zh": p.title(true), "title_en": p.title(false),
                           "summary_zh": p.summary_zh, "summary_en": p.summary_en, "fiscal_weight": p.fiscal_weight.band,
                           "costing_method": (!method(&p.id).is_empty()).then(|| method(&p.id))})
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&v)?);
        }
        RunFormat::Csv => {
            let mut w = csv::Writer::from_writer(std::io::stdout().lock());
            w.write_record([
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
            for p in rows {
                w.write_record([
                    p.id.as_str(),
                    &p.level,
                    &p.section_id,
                    &p.kind,
                    &p.quantifiable,
                    &p.government_response.status,
                    method(&p.id),
                    &p.title(false),
                    &p.title(true),
                ])?;
            }
            w.flush()?;
        }
        RunFormat::Table => {
            for p in rows {
                let mark = match (p.is_leaf(), method(&p.id)) {
                    (false, _) => " [heading]".to_string(),
                    (true, "") => String::new(),
                    (true, m) => format!(" [costed: {m}]"),
                };
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
    let costing = Costing::all()?.into_iter().find(|c| c.id == p.id);
    match format {
        Format::Json => {
            let mut v = serde_json::to_value(p)?;
            if let Some(obj) = v.as_object_mut() {
                obj.insert("costing".into(), serde_json::to_value(&costing)?);
            }
            println!("{}", serde_json::to_string_pretty(&v)?);
        }
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
            if let Some(c) = &costing {
                let assumptions = c
                    .parameters
                    .values()
                    .filter(|x| x.status == "assumption")
                    .count();
                println!(
                    "\nCosting model ({}): {}\n  {} parameters, {} of them assumptions; run: hkbudget proposals cost \"{}\"",
                    c.method,
                    c.description.en,
                    c.parameters.len(),
                    assumptions,
                    p.id
                );
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
            println!("Sources of each government response");
            for (status, ids) in &s.by_status {
                println!("  {status}");
                for id in ids {
                    if let Some(r) = s.responses.get(id) {
                        let sources = if r.sources.is_empty() {
                            "(none: the finding rests on the absence of a measure)".to_string()
                        } else {
                            r.sources.join("  ")
                        };
                        println!("    {id:<8} {}  {sources}", r.timing);
                    }
                }
            }
        }
    }
    Ok(())
}

/// Parses `--set NAME=VALUE` arguments.
pub fn parse_overrides(set: &[String]) -> Result<Vec<(String, f64)>, UserError> {
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

/// The costing of a proposal, or a clear error if it is a heading, not quantifiable or has none.
pub fn costing_for(cat: &Catalogue, costings: &[Costing], id: &str) -> anyhow::Result<Costing> {
    let p = cat.get(id)?;
    if !p.is_leaf() {
        return user(format!(
            "{id} is a heading; cost its proposals instead ({})",
            p.children.join(", ")
        ));
    }
    if p.quantifiable == "no" {
        return user(format!(
            "{id} is not quantifiable (quantifiable: no): it has no costing"
        ));
    }
    match costings.iter().find(|c| c.id == id) {
        Some(c) => Ok(c.clone()),
        None => anyhow::bail!("internal: {id} is quantifiable but has no costing model"),
    }
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
    let costing = costing_for(cat, &Costing::all()?, id)?;
    let overrides = parse_overrides(set)?;
    // Check every override before the population is loaded.
    for setting in Setting::ALL {
        costing.values(setting, &overrides)?;
    }
    let model = if costing.method == "reform" {
        let spec = hkb_microsim::model::BuildSpec {
            persons: pop.persons,
            businesses: pop.businesses,
            seed: pop.seed,
        };
        Some(crate::sim::load_or_build(
            law,
            spec,
            false,
            format == Format::Json,
        )?)
    } else {
        None
    };
    let data = hkb_fiscal::data::Data::embedded()?;
    let fb = hkb_fiscal::vintage::baseline(&data, "2024-25")?;
    let result = cost_with(law, model.as_ref(), &fb, &costing, &overrides)?;
    let mut notes = vec!["low and high set every parameter to its low or high value"];
    if costing.method == "reform" {
        notes.push("later years grow with the 2024-25 vintage's nominal GDP path (derived)");
    }
    let v = json!({
        "id": id,
        "title_en": p.title(false), "title_zh": p.title(true),
        "description": costing.description,
        "method": costing.method,
        "population_year": costing.population_year,
        "years": fb.accounts.years,
        "units": "HK$bn; the effect on the government's consolidated balance (negative = cost or revenue forgone)",
        "parameters": costing.parameters,
        "lines": costing.lines,
        "settings": result.settings,
        "central_detail": result.central_detail,
        "notes": notes,
    });
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&v)?),
        Format::Table => print_costing(p, &costing, &fb.accounts.years, &v),
    }
    Ok(())
}

fn print_costing(p: &hkb_proposals::Proposal, costing: &Costing, years: &[String], v: &Value) {
    println!(
        "{} — {}\n{}\n",
        p.id,
        p.title(false),
        costing.description.en
    );
    print!("{:<34}", "HK$bn (effect on balance)");
    for y in years {
        print!("{y:>10}");
    }
    println!();
    let row = |label: &str, xs: Option<&Value>| {
        print!("{label:<34}");
        for x in xs.and_then(Value::as_array).into_iter().flatten() {
            print!("{:>10.2}", x.as_f64().unwrap_or_default());
        }
        println!();
    };
    for setting in Setting::ALL {
        let key = setting.key();
        let s = &v["settings"][key];
        if costing.method == "reform" {
            row(&format!("{key}, static"), s.get("static_bn"));
            row(&format!("{key}, with behaviour"), s.get("effect_bn"));
        } else {
            row(key, s.get("effect_bn"));
        }
    }
    if costing.method == "lines" {
        println!("\nCentral setting by line (effect on balance):");
        for l in v["settings"]["central"]["lines"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let name: String = l["name"]["en"]
                .as_str()
                .unwrap_or("")
                .chars()
                .take(32)
                .collect();
            row(&format!("  {name}"), l.get("effect_bn"));
        }
    }
    println!(
        "\nlow / high: every parameter at the low / high end of its range (not always the cheaper / dearer case)."
    );
    println!("\nParameters:");
    for (k, prm) in &costing.parameters {
        println!(
            "  {k} = {} (low {}, high {}; {}) [{}]",
            prm.value, prm.low, prm.high, prm.unit, prm.status
        );
        if let Some(note) = prm.note.as_deref().filter(|n| !n.is_empty()) {
            println!("    {note}");
        }
        let field = |f: &str| prm.source.get(f).and_then(|x| x.as_str()).unwrap_or("");
        let url = field("url");
        println!(
            "    source: {}{}",
            field("document"),
            if url.is_empty() {
                String::new()
            } else {
                format!(" <{url}>")
            }
        );
    }
}

/// A proposal's costing: every setting's effect on the balance by year, and the central
/// setting's lines for the fiscal projection.
pub struct CostResult {
    pub settings: serde_json::Map<String, Value>,
    pub central_detail: Value,
    /// Central setting (with behaviour for reforms), by year: HK$bn effect on the balance.
    pub central: Vec<f64>,
    /// Central setting as fiscal lines (amounts with the sign of their kind).
    pub central_lines: Vec<CostedLine>,
}

/// Costs a proposal for each setting over the baseline's years: a `reform` through the
/// microsimulation (`model` required), extended with nominal GDP; `lines` by evaluating them.
pub fn cost_with(
    law: &Law,
    model: Option<&hkb_microsim::Model>,
    fb: &hkb_fiscal::vintage::Baseline,
    costing: &Costing,
    overrides: &[(String, f64)],
) -> anyhow::Result<CostResult> {
    if costing.method == "lines" {
        return cost_lines(fb, costing, overrides);
    }
    let Some(model) = model else {
        anyhow::bail!("internal: {} needs the population", costing.id);
    };
    let year: YearOfAssessment = costing
        .population_year
        .as_deref()
        .unwrap_or_default()
        .parse()
        .map_err(UserError)?;
    let sign = if costing.sign.as_deref() == Some("reverse") {
        -1.0
    } else {
        1.0
    };
    let path = |x: f64| -> Vec<f64> {
        fb.nominal_gdp
            .iter()
            .map(|g| x * g / fb.nominal_gdp[0])
            .collect()
    };
    let mut settings = serde_json::Map::new();
    let mut central_detail = Value::Null;
    let mut central = Vec::new();
    let mut central_lines: Vec<CostedLine> = Vec::new();
    for setting in Setting::ALL {
        let values = costing.values(setting, overrides)?;
        let reform = Reform::parse(
            law,
            &format!("{} costing", costing.id),
            &costing.reform_text(&values),
        )?;
        let r = hkb_microsim::society::run(law, model, year, Some(&reform))?;
        settings.insert(
            setting.key().into(),
            json!({"parameters": values, "static_bn": path(sign * r.total_change / 1e9), "with_behaviour_bn": path(sign * r.total_change_with_behaviour / 1e9), "effect_bn": path(sign * r.total_change_with_behaviour / 1e9)}),
        );
        if setting == Setting::Central {
            central = path(sign * r.total_change_with_behaviour / 1e9);
            let mut by_head: Vec<(&str, f64)> = Vec::new();
            for (k, t) in &r.taxes {
                let head = if k.starts_with("stamp_duty") {
                    "stamp_duties"
                } else {
                    "earnings_and_profits_tax"
                };
                let v = sign * t.change_with_behaviour / 1e9;
                match by_head.iter_mut().find(|(h, _)| *h == head) {
                    Some((_, x)) => *x += v,
                    None => by_head.push((head, v)),
                }
            }
            central_lines = by_head
                .into_iter()
                .map(|(h, first)| CostedLine::revenue(h, path(first)))
                .collect();
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
        central_lines,
    })
}

fn cost_lines(
    fb: &hkb_fiscal::vintage::Baseline,
    costing: &Costing,
    overrides: &[(String, f64)],
) -> anyhow::Result<CostResult> {
    let years = &fb.accounts.years;
    let mut settings = serde_json::Map::new();
    let mut central = vec![0.0; years.len()];
    let mut central_lines = Vec::new();
    for setting in Setting::ALL {
        let values = costing.values(setting, overrides)?;
        let lines = costing.evaluate_lines(&values, years)?;
        let effect: Vec<f64> = (0..years.len())
            .map(|t| lines.iter().map(|l| l.effect_bn[t]).sum::<f64>() + 0.0)
            .collect();
        if setting == Setting::Central {
            central.clone_from(&effect);
            central_lines = lines
                .iter()
                .map(|l| CostedLine {
                    kind: l.kind,
                    head: l.head.clone(),
                    values: l.amount_bn.clone(),
                })
                .collect();
        }
        settings.insert(
            setting.key().into(),
            json!({"parameters": values, "effect_bn": effect, "lines": lines}),
        );
    }
    Ok(CostResult {
        settings,
        central_detail: Value::Null,
        central,
        central_lines,
    })
}
