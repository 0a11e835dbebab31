//! `hkbudget calc …`: one household, business or property.

use crate::cli::{self, CalcCommand, Format, Lang, Output, amount_flag, count_flag};
use crate::render;
use crate::{UserError, user};
use hkb_law::{Law, Reform, YearOfAssessment, YearParams};
use hkb_rules::input::{self, Business, LetProperty, Situation};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::path::Path;

pub fn run(law: &Law, c: CalcCommand) -> anyhow::Result<()> {
    match c {
        CalcCommand::Salaries(a) => salaries(law, *a),
        CalcCommand::Profits(a) => profits(law, a),
        CalcCommand::PropertyTax(a) => property(law, a),
        CalcCommand::StampDuty(a) => crate::transactions::stamp_duty(law, *a),
        CalcCommand::StockDuty(a) => crate::transactions::stock_duty(law, a),
        CalcCommand::Rates(a) => crate::transactions::rates(law, a),
    }
}

/// Reads a YAML or JSON input file into `T`; errors name the file, the field, line and column.
pub fn read_input<T: DeserializeOwned>(path: &Path, what: &str) -> anyhow::Result<T> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| UserError(format!("{what} file {}: {e}", path.display())))?;
    serde_yaml_ng::from_str(&text)
        .map_err(|e| UserError(format!("{what} file {}: {e}", path.display())).into())
}

pub fn from_flags<T: DeserializeOwned>(v: Value) -> anyhow::Result<T> {
    serde_json::from_value(v).map_err(|e| UserError(format!("{e}")).into())
}

fn year_flag(y: &Option<String>) -> anyhow::Result<YearOfAssessment> {
    let Some(s) = y else {
        return user(format!(
            "--year is required unless --input FILE is given (supported: {})",
            YearOfAssessment::supported_list()
        ));
    };
    let year: YearOfAssessment = s
        .parse()
        .map_err(|e: String| UserError(format!("--year: {e}")))?;
    if !year.is_supported() {
        return user(format!(
            "--year: unsupported year of assessment {year}: supported years are {}",
            YearOfAssessment::supported_list()
        ));
    }
    Ok(year)
}

pub fn load_reform(law: &Law, out: &Output) -> anyhow::Result<Option<Reform>> {
    out.reform
        .as_deref()
        .map(|p| Reform::from_file(law, p))
        .transpose()
        .map_err(Into::into)
}

fn resolve(
    law: &Law,
    year: YearOfAssessment,
    reform: Option<&Reform>,
) -> anyhow::Result<YearParams> {
    Ok(YearParams::resolve(law, year, reform)?)
}

fn situation_from_flags(a: &cli::SalariesArgs) -> anyhow::Result<Situation> {
    let year = year_flag(&a.year)?;
    let married = a.married || a.spouse_income.is_some() || a.spouse_mpf.is_some();
    let children = count_flag("children", &a.children)?;
    let newborns = count_flag("newborns", &a.newborns)?;
    let mut kids: Vec<Value> = (0..children).map(|_| json!({})).collect();
    kids.extend((0..newborns).map(|_| json!({"born_in_year": true})));
    let mut parents = Vec::new();
    for p in &a.parents {
        let (age, flag) = p.split_once(':').unwrap_or((p, ""));
        let age: u32 = age.trim().parse().map_err(|_| {
            UserError(format!(
                "--parent: '{p}' should be AGE or AGE:residing, e.g. 72:residing"
            ))
        })?;
        if !matches!(flag, "" | "residing") {
            return user(format!(
                "--parent: '{p}': after the age only ':residing' is allowed"
            ));
        }
        parents.push(json!({"age": age, "resides_with": flag == "residing"}));
    }
    let taxpayer = json!({
        "employment_income": amount_flag("income", &a.income, false)?,
        "mpf_mandatory": amount_flag("mpf", &a.mpf, false)?,
        "charitable_donations": amount_flag("donations", &a.donations, false)?,
        "home_loan_interest": amount_flag("home-loan-interest", &a.home_loan_interest, false)?,
        "domestic_rent": amount_flag("rent", &a.rent, false)?,
        "self_education": amount_flag("self-education", &a.self_education, false)?,
        "rental_income": amount_flag("rental-income", &a.rental_income, false)?,
        "business_profit": amount_flag("business-profit", &a.business_profit, true)?,
    });
    let mut v = json!({
        "year": year.to_string(),
        "married": married,
        "single_parent": a.single_parent,
        "children": kids,
        "dependent_parents": parents,
        "taxpayer": taxpayer,
    });
    if married {
        v["spouse"] = json!({
            "employment_income": amount_flag("spouse-income", &a.spouse_income, false)?,
            "mpf_mandatory": amount_flag("spouse-mpf", &a.spouse_mpf, false)?,
        });
    }
    if let Some(m) = &a.assessment {
        v["assessment"] = json!(m);
    }
    from_flags(v).map_err(|e| UserError(format!("--assessment: {e}")).into())
}

pub fn print_json(v: &Value) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

fn salaries(law: &Law, a: cli::SalariesArgs) -> anyhow::Result<()> {
    let s: Situation = match &a.input {
        Some(p) => read_input(p, "situation")?,
        None => situation_from_flags(&a)?,
    };
    input::check_situation(&s).map_err(UserError)?;
    let reform = load_reform(law, &a.out)?;
    let y = resolve(law, s.year, reform.as_ref())?;
    let r = hkb_rules::assess_household(&s, &y, true).map_err(|e| UserError(e.to_string()))?;
    let used = render::params_used(r.options.iter().flat_map(|o| o.trace.iter()));
    let warnings = render::soft_warnings(&y.set, &used);
    match a.out.format {
        Format::Json => {
            let mut v = serde_json::to_value(&r)?;
            render::enrich_trace(law, &y.set, &mut v);
            v["parameters"] = render::params_json(law, &y.set, &used);
            v["warnings"] = json!(warnings);
            if let Some(rf) = &reform {
                v["reform"] = json!(rf.origin);
            }
            print_json(&v)
        }
        Format::Table => {
            let lang = a.out.lang;
            let mut out = String::new();
            let title = match lang {
                Lang::En => format!(
                    "Salaries tax and personal assessment, year of assessment {}\n\n",
                    r.year
                ),
                Lang::Zh => format!("{} 課稅年度 薪俸稅及個人入息課稅\n\n", r.year),
            };
            out.push_str(&title);
            let (h_opt, h_before, h_red, h_tax) = match lang {
                Lang::En => ("Option", "before red.", "reduction", "tax payable"),
                Lang::Zh => ("選項", "寬減前稅款", "寬減", "應繳稅款"),
            };
            out.push_str(&render::row(h_opt, &[h_before, h_red, h_tax]));
            for o in &r.options {
                let mark = if o.method == r.recommended {
                    "  <- recommended / 建議"
                } else {
                    ""
                };
                let label = format!("{:<18} {}", o.method, render::pick(&o.label, lang));
                let cells = [
                    o.tax_before_reduction.to_string(),
                    o.reduction.to_string(),
                    o.tax_payable.to_string(),
                ];
                let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
                out.push_str(&format!(
                    "{}{mark}\n",
                    render::row(&label, &cells).trim_end()
                ));
            }
            let chosen = r.options.iter().find(|o| o.method == r.method);
            let heading = match lang {
                Lang::En => format!("\nComputation: {}\n", chosen.map_or("", |o| o.label.en)),
                Lang::Zh => format!("\n計算：{}\n", chosen.map_or("", |o| o.label.zh)),
            };
            out.push_str(&heading);
            if a.all {
                for o in &r.options {
                    out.push_str(&format!("\n=== {} ===\n", render::pick(&o.label, lang)));
                    out.push_str(&render::trace_table(&o.trace, lang));
                }
            } else {
                out.push_str(&render::trace_table(&r.trace, lang));
            }
            out.push_str(&format!(
                "\n{}: {} ({})\n",
                if lang == Lang::En {
                    "Tax payable"
                } else {
                    "應繳稅款"
                },
                r.tax_payable,
                r.method
            ));
            out.push_str(&render::params_footer(law, &y.set, &used, lang));
            for n in &r.notes {
                out.push_str(&format!("\nNote: {}\n", render::pick(n, lang)));
            }
            for w in &warnings {
                out.push_str(&format!("Warning: {w}\n"));
            }
            print!("{out}");
            Ok(())
        }
    }
}

fn profits(law: &Law, a: cli::ProfitsArgs) -> anyhow::Result<()> {
    let b: Business = match &a.input {
        Some(p) => read_input(p, "business")?,
        None => {
            let year = year_flag(&a.year)?;
            if a.profits.is_none() {
                return user("--profits is required unless --input FILE is given");
            }
            let entity = match a.entity.as_str() {
                "corporation" | "unincorporated" => a.entity.clone(),
                other => {
                    return user(format!(
                        "--entity: '{other}' is not allowed; use corporation or unincorporated"
                    ));
                }
            };
            from_flags(json!({
                "year": year.to_string(),
                "assessable_profits": amount_flag("profits", &a.profits, true)?,
                "entity": entity,
                "nominated": !a.not_nominated,
            }))?
        }
    };
    let reform = load_reform(law, &a.out)?;
    let y = resolve(law, b.year, reform.as_ref())?;
    let mut tr = hkb_rules::Trace::on();
    let r = hkb_rules::profits_tax(
        b.assessable_profits.0,
        b.entity,
        b.nominated,
        &y.profits,
        &mut tr,
    );
    let steps = tr.into_steps();
    finish(Report {
        law,
        set: &y.set,
        out: &a.out,
        head: json!({"year": b.year, "entity": b.entity, "nominated": b.nominated}),
        result: serde_json::to_value(r)?,
        steps: &steps,
        total: r.tax_payable,
        title: (
            format!("Profits tax, year of assessment {}", b.year),
            format!("{} 課稅年度 利得稅", b.year),
        ),
        total_label: ("Tax payable", "應繳稅款"),
        extra_warnings: Vec::new(),
    })
}

fn property(law: &Law, a: cli::PropertyArgs) -> anyhow::Result<()> {
    let p: LetProperty = match &a.input {
        Some(f) => read_input(f, "property")?,
        None => {
            let year = year_flag(&a.year)?;
            if a.rent.is_none() {
                return user("--rent is required unless --input FILE is given");
            }
            from_flags(json!({
                "year": year.to_string(),
                "rental_income": amount_flag("rent", &a.rent, false)?,
                "rates_paid_by_owner": amount_flag("rates", &a.rates, false)?,
                "irrecoverable_rent": amount_flag("irrecoverable", &a.irrecoverable, false)?,
                "months_let": a.months_let,
            }))?
        }
    };
    input::check_property(&p).map_err(UserError)?;
    let reform = load_reform(law, &a.out)?;
    let y = resolve(law, p.year, reform.as_ref())?;
    let mut tr = hkb_rules::Trace::on();
    let r = hkb_rules::property_tax(
        p.rental_income.0,
        p.rates_paid_by_owner.0,
        p.irrecoverable_rent.0,
        p.months_let.unwrap_or(12),
        &y.property,
        &mut tr,
    );
    let steps = tr.into_steps();
    finish(Report {
        law,
        set: &y.set,
        out: &a.out,
        head: json!({"year": p.year}),
        result: serde_json::to_value(r)?,
        steps: &steps,
        total: r.tax_payable,
        title: (
            format!("Property tax, year of assessment {}", p.year),
            format!("{} 課稅年度 物業稅", p.year),
        ),
        total_label: ("Tax payable", "應繳稅款"),
        extra_warnings: Vec::new(),
    })
}

/// A single computation ready to print: its result, trace and the law it used.
pub struct Report<'a> {
    pub law: &'a Law,
    pub set: &'a hkb_law::ParamSet,
    pub out: &'a Output,
    /// Leading JSON fields (inputs echoed back).
    pub head: Value,
    pub result: Value,
    pub steps: &'a [hkb_rules::Step],
    pub total: hkb_law::Money,
    /// Title in (English, Chinese).
    pub title: (String, String),
    /// Label of the total in (English, Chinese).
    pub total_label: (&'static str, &'static str),
    pub extra_warnings: Vec<String>,
}

pub fn finish(r: Report<'_>) -> anyhow::Result<()> {
    let used = render::params_used(r.steps.iter());
    let mut warnings = r.extra_warnings;
    warnings.extend(render::soft_warnings(r.set, &used));
    match r.out.format {
        Format::Json => {
            let mut v = r.head;
            if let (Value::Object(m), Value::Object(res)) = (&mut v, r.result) {
                m.extend(res);
            }
            v["trace"] = serde_json::to_value(r.steps)?;
            render::enrich_trace(r.law, r.set, &mut v);
            v["parameters"] = render::params_json(r.law, r.set, &used);
            v["warnings"] = json!(warnings);
            print_json(&v)
        }
        Format::Table => {
            let lang = r.out.lang;
            let mut s = format!(
                "{}\n\n",
                if lang == Lang::En {
                    &r.title.0
                } else {
                    &r.title.1
                }
            );
            s.push_str(&render::trace_table(r.steps, lang));
            s.push_str(&format!(
                "\n{}: {}\n",
                if lang == Lang::En {
                    r.total_label.0
                } else {
                    r.total_label.1
                },
                r.total
            ));
            s.push_str(&render::params_footer(r.law, r.set, &used, lang));
            for w in &warnings {
                s.push_str(&format!("Warning: {w}\n"));
            }
            print!("{s}");
            Ok(())
        }
    }
}
