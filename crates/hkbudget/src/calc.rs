//! `hkbudget calc …`: flags or a file become a calculator request; the engine answers; the
//! report prints it (or JSON).

use crate::cli::{
    self, BuyerFlag, CalcCommand, EntityFlag, Format, InstrumentFlag, Output, PropertyFlag,
};
use crate::io::{amount_flag, count_flag, from_flags, print, print_json, read_input, read_text};
use crate::{Ctx, UserError, user};
use hkb_engine::calc::{DateCalc, RatesCalc, YearCalc};
use hkb_law::{ReformSpec, YearOfAssessment};
use hkb_rules::input::{Business, Deal, LetProperty, Situation, StockDeal, Tenement};
use serde_json::{Value, json};

pub fn run(ctx: &Ctx, c: CalcCommand) -> anyhow::Result<()> {
    match c {
        CalcCommand::Salaries(a) => salaries(ctx, *a),
        CalcCommand::Profits(a) => profits(ctx, a),
        CalcCommand::PropertyTax(a) => property(ctx, a),
        CalcCommand::StampDuty(a) => stamp_duty(ctx, *a),
        CalcCommand::StockDuty(a) => stock_duty(ctx, a),
        CalcCommand::Rates(a) => rates(ctx, a),
    }
}

fn year_flag(y: &Option<String>, name: &str) -> anyhow::Result<YearOfAssessment> {
    let Some(s) = y else {
        return user(format!(
            "--{name} is required unless --input FILE is given (supported: {})",
            YearOfAssessment::supported_list()
        ));
    };
    let year: YearOfAssessment = s
        .parse()
        .map_err(|e: String| UserError(format!("--{name}: {e}")))?;
    if !year.is_supported() {
        return user(format!(
            "--{name}: unsupported year of assessment {year}: supported years are {}",
            YearOfAssessment::supported_list()
        ));
    }
    Ok(year)
}

/// A reform file as a spec (the engine validates it against the law).
pub fn reform_spec(path: &std::path::Path) -> anyhow::Result<ReformSpec> {
    let text = read_text(path, "reform")?;
    hkb_engine::input::from_yaml(&text)
        .map_err(|e| anyhow::Error::from(e).context(format!("reform file {}", path.display())))
}

/// The request's own keys from flags: the reform file and the comparison.
fn extras(
    out: &Output,
    vs: Option<(&str, Value)>,
) -> anyhow::Result<serde_json::Map<String, Value>> {
    let mut m = serde_json::Map::new();
    if let Some(p) = &out.reform {
        let mut spec = reform_spec(p)?;
        if spec.name.is_none() {
            spec.name = Some(hkb_law::Bilingual::neutral(p.display().to_string()));
        }
        m.insert("reform".into(), serde_json::to_value(spec)?);
    }
    if let Some((k, v)) = vs {
        m.insert(k.into(), v);
    }
    Ok(m)
}

/// The input from a file or flags, merged with the request's own keys.
fn request(input: Value, extra: serde_json::Map<String, Value>) -> Value {
    match input {
        Value::Object(mut m) => {
            m.extend(extra);
            Value::Object(m)
        }
        other => other,
    }
}

fn file_or_flags<T: serde::de::DeserializeOwned>(
    input: &Option<std::path::PathBuf>,
    what: &str,
    flags: impl FnOnce() -> anyhow::Result<Value>,
) -> anyhow::Result<Value> {
    match input {
        Some(p) => {
            // Read once for the errors (line and column, the field), once as plain data to
            // merge the flags' reform and comparison into.
            let _: T = read_input(p, what)?;
            let text = read_text(p, what)?;
            Ok(hkb_engine::input::from_yaml::<Value>(&text)?)
        }
        None => flags(),
    }
}

fn situation_from_flags(a: &cli::SalariesArgs) -> anyhow::Result<Value> {
    let year = year_flag(&a.year, "year")?;
    let married = a.married || a.spouse_income.is_some() || a.spouse_mpf.is_some();
    let children = count_flag("children", &a.children)?;
    let newborns = count_flag("newborns", &a.newborns)?;
    if newborns > children {
        return user(format!(
            "--newborns: {newborns} is more than --children {children}; newborns count among the children"
        ));
    }
    let mut kids: Vec<Value> = (0..children - newborns).map(|_| json!({})).collect();
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
    // Without --mpf the contribution is worked out from income (labelled as computed).
    let mut taxpayer = json!({
        "employment_income": amount_flag("income", &a.income, false)?,
        "charitable_donations": amount_flag("donations", &a.donations, false)?,
        "home_loan_interest": amount_flag("home-loan-interest", &a.home_loan_interest, false)?,
        "domestic_rent": amount_flag("rent", &a.rent, false)?,
        "self_education": amount_flag("self-education", &a.self_education, false)?,
        "rental_income": amount_flag("rental-income", &a.rental_income, false)?,
        "business_profit": amount_flag("business-profit", &a.business_profit, true)?,
    });
    match &a.mpf {
        Some(_) => taxpayer["mpf_mandatory"] = json!(amount_flag("mpf", &a.mpf, false)?),
        None => taxpayer["mpf_from_income"] = json!(true),
    }
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
        });
        match &a.spouse_mpf {
            Some(_) => {
                v["spouse"]["mpf_mandatory"] =
                    json!(amount_flag("spouse-mpf", &a.spouse_mpf, false)?)
            }
            None => v["spouse"]["mpf_from_income"] = json!(true),
        }
    }
    if let Some(m) = a.assessment {
        v["assessment"] = serde_json::to_value(m.engine())?;
    }
    Ok(v)
}

fn vs_year(v: &Option<String>) -> anyhow::Result<Option<(&'static str, Value)>> {
    Ok(match v {
        Some(_) => Some(("vs_year", json!(year_flag(v, "vs-year")?.to_string()))),
        None => None,
    })
}

fn salaries(ctx: &Ctx, a: cli::SalariesArgs) -> anyhow::Result<()> {
    let input = file_or_flags::<Situation>(&a.input, "situation", || situation_from_flags(&a))?;
    let req: YearCalc<Situation> =
        from_flags(request(input, extras(&a.out, vs_year(&a.vs_year)?)?))?;
    let r = ctx.lab.salaries(&req)?;
    match a.out.format {
        Format::Json => print_json(&r),
        Format::Table => print(|w| hkb_report::calc::salaries(w, &r, ctx.lang.law(), a.all)),
    }
}

fn profits(ctx: &Ctx, a: cli::ProfitsArgs) -> anyhow::Result<()> {
    let input = file_or_flags::<Business>(&a.input, "business", || {
        let year = year_flag(&a.year, "year")?;
        if a.profits.is_none() {
            return user("--profits is required unless --input FILE is given");
        }
        Ok(json!({
            "year": year.to_string(),
            "assessable_profits": amount_flag("profits", &a.profits, true)?,
            "entity": match a.entity { EntityFlag::Corporation => "corporation", EntityFlag::Unincorporated => "unincorporated" },
            "nominated": !a.not_nominated,
        }))
    })?;
    let req: YearCalc<Business> =
        from_flags(request(input, extras(&a.out, vs_year(&a.vs_year)?)?))?;
    let r = ctx.lab.profits(&req)?;
    match a.out.format {
        Format::Json => print_json(&r),
        Format::Table => print(|w| hkb_report::calc::computation(w, &r, ctx.lang.law())),
    }
}

fn property(ctx: &Ctx, a: cli::PropertyArgs) -> anyhow::Result<()> {
    let input = file_or_flags::<LetProperty>(&a.input, "property", || {
        let year = year_flag(&a.year, "year")?;
        if a.rent.is_none() {
            return user("--rent is required unless --input FILE is given");
        }
        Ok(json!({
            "year": year.to_string(),
            "rental_income": amount_flag("rent", &a.rent, false)?,
            "rates_paid_by_owner": amount_flag("rates", &a.rates, false)?,
            "irrecoverable_rent": amount_flag("irrecoverable", &a.irrecoverable, false)?,
            "months_let": a.months_let,
        }))
    })?;
    let req: YearCalc<LetProperty> =
        from_flags(request(input, extras(&a.out, vs_year(&a.vs_year)?)?))?;
    let r = ctx.lab.property_tax(&req).map_err(|e| {
        // Built from flags, the field at fault is a flag.
        if a.input.is_none() && e.field == "/months_let" {
            hkb_engine::EngineError {
                field: "--months-let".into(),
                ..e
            }
        } else {
            e
        }
    })?;
    match a.out.format {
        Format::Json => print_json(&r),
        Format::Table => print(|w| hkb_report::calc::computation(w, &r, ctx.lang.law())),
    }
}

fn date_flag(name: &str, v: &str) -> anyhow::Result<()> {
    hkb_rules::input::InstrumentTime::parse(v).map_err(|e| UserError(format!("--{name}: {e}")))?;
    Ok(())
}

fn stamp_duty(ctx: &Ctx, a: cli::StampArgs) -> anyhow::Result<()> {
    let input = file_or_flags::<Deal>(&a.input, "deal", || {
        let Some(date) = &a.date else {
            return user(
                "--date is required unless --input FILE is given (e.g. --date 2023-06-01)",
            );
        };
        date_flag("date", date)?;
        if a.price.is_none() {
            return user("--price is required unless --input FILE is given");
        }
        if let Some(acq) = &a.acquired {
            chrono::NaiveDate::parse_from_str(acq, "%Y-%m-%d").map_err(|_| {
                UserError(format!(
                    "--acquired: '{acq}' is not a date; write it like 2022-01-15"
                ))
            })?;
        }
        let buyer = match a.buyer {
            BuyerFlag::HkprFirst => json!({"kind": "hkpr", "owns_other_residential": false}),
            BuyerFlag::HkprOther => json!({"kind": "hkpr", "owns_other_residential": true}),
            BuyerFlag::NonHkpr => json!({"kind": "non_hkpr"}),
            BuyerFlag::Company => json!({"kind": "company"}),
        };
        let mut v = json!({
            "instrument_date": date,
            "consideration": amount_flag("price", &a.price, false)?,
            "property": match a.property { PropertyFlag::Residential => "residential", PropertyFlag::NonResidential => "non_residential" },
            "buyers": [buyer],
            "seller_acquired": a.acquired,
            "units": a.units,
        });
        if a.value.is_some() {
            v["value"] = json!(amount_flag("value", &a.value, false)?);
        }
        Ok(v)
    })?;
    let vs = match &a.vs_date {
        Some(d) => {
            date_flag("vs-date", d)?;
            Some(("vs_date", json!(d)))
        }
        None => None,
    };
    let req: DateCalc<Deal> = from_flags(request(input, extras(&a.out, vs)?))?;
    let r = ctx.lab.stamp_duty(&req)?;
    match a.out.format {
        Format::Json => print_json(&r),
        Format::Table => print(|w| hkb_report::calc::computation(w, &r, ctx.lang.law())),
    }
}

fn stock_duty(ctx: &Ctx, a: cli::StockArgs) -> anyhow::Result<()> {
    let input = file_or_flags::<StockDeal>(&a.input, "stock deal", || {
        let Some(date) = &a.date else {
            return user("--date is required unless --input FILE is given");
        };
        date_flag("date", date)?;
        if a.consideration.is_none() {
            return user("--consideration is required unless --input FILE is given");
        }
        let instrument = match a.instrument {
            InstrumentFlag::Shares => "shares",
            InstrumentFlag::ReitUnits => "reit_units",
            InstrumentFlag::MarketMakerHedging => "market_maker_hedging",
        };
        Ok(
            json!({"date": date, "consideration": amount_flag("consideration", &a.consideration, false)?, "instrument": instrument}),
        )
    })?;
    let vs = match &a.vs_date {
        Some(d) => {
            date_flag("vs-date", d)?;
            Some(("vs_date", json!(d)))
        }
        None => None,
    };
    let req: DateCalc<StockDeal> = from_flags(request(input, extras(&a.out, vs)?))?;
    let r = ctx.lab.stock_duty(&req)?;
    match a.out.format {
        Format::Json => print_json(&r),
        Format::Table => print(|w| hkb_report::calc::computation(w, &r, ctx.lang.law())),
    }
}

fn rates(ctx: &Ctx, a: cli::RatesArgs) -> anyhow::Result<()> {
    let from_file = a.input.is_some();
    let input = file_or_flags::<Tenement>(&a.input, "tenement", || {
        let Some(year) = &a.year else {
            return user("--year is required unless --input FILE is given (e.g. --year 2025-26)");
        };
        year.parse::<hkb_law::FinancialYear>()
            .map_err(|e| UserError(format!("--year: {e}")))?;
        if a.rateable_value.is_none() {
            return user("--rateable-value is required unless --input FILE is given");
        }
        Ok(json!({
            "year": year,
            "rateable_value": amount_flag("rateable-value", &a.rateable_value, false)?,
            "domestic": !a.non_domestic,
            "progressive_excluded": a.progressive_excluded,
        }))
    })?;
    let vs = match &a.vs_year {
        Some(y) => {
            y.parse::<hkb_law::FinancialYear>()
                .map_err(|e| UserError(format!("--vs-year: {e}")))?;
            Some(("vs_year", json!(y)))
        }
        None => None,
    };
    let req: RatesCalc = from_flags(request(input, extras(&a.out, vs)?))?;
    let r = ctx.lab.rates(&req).map_err(|e| {
        // For flags, name the flag rather than the request field.
        if !from_file && e.field == "/year" {
            hkb_engine::EngineError {
                field: "--year".into(),
                ..e
            }
        } else {
            e
        }
    })?;
    match a.out.format {
        Format::Json => print_json(&r),
        Format::Table => print(|w| hkb_report::calc::computation(w, &r, ctx.lang.law())),
    }
}
