//! `hkbudget calc stamp-duty | stock-duty | rates`: the transaction taxes, resolved by date.

use crate::calc::{Report, finish, from_flags, load_reform, read_input};
use crate::cli::{RatesArgs, StampArgs, StockArgs, amount_flag};
use crate::{UserError, user};
use chrono::NaiveDate;
use hkb_law::Law;
use hkb_rules::input::{self, Deal, InstrumentTime, StockDeal, Tenement};
use serde_json::json;

fn buyer_flag(b: &str) -> anyhow::Result<serde_json::Value> {
    Ok(match b {
        "hkpr-first" => json!({"kind": "hkpr", "owns_other_residential": false}),
        "hkpr-other" => json!({"kind": "hkpr", "owns_other_residential": true}),
        "non-hkpr" => json!({"kind": "non_hkpr"}),
        "company" => json!({"kind": "company"}),
        other => {
            return user(format!(
                "--buyer: '{other}' is not allowed; use hkpr-first, hkpr-other, non-hkpr or company"
            ));
        }
    })
}

pub fn stamp_duty(law: &Law, a: StampArgs) -> anyhow::Result<()> {
    let d: Deal = match &a.input {
        Some(p) => read_input(p, "deal")?,
        None => {
            let Some(date) = &a.date else {
                return user(
                    "--date is required unless --input FILE is given (e.g. --date 2023-06-01)",
                );
            };
            InstrumentTime::parse(date).map_err(|e| UserError(format!("--date: {e}")))?;
            if a.price.is_none() {
                return user("--price is required unless --input FILE is given");
            }
            let property = match a.property.as_str() {
                "residential" => "residential",
                "non-residential" | "non_residential" => "non_residential",
                other => {
                    return user(format!(
                        "--property: '{other}' is not allowed; use residential or non-residential"
                    ));
                }
            };
            if let Some(acq) = &a.acquired {
                NaiveDate::parse_from_str(acq, "%Y-%m-%d").map_err(|_| {
                    UserError(format!(
                        "--acquired: '{acq}' is not a date; write it like 2022-01-15"
                    ))
                })?;
            }
            let mut v = json!({
                "instrument_date": date,
                "consideration": amount_flag("price", &a.price, false)?,
                "property": property,
                "buyers": [buyer_flag(&a.buyer)?],
                "seller_acquired": a.acquired,
                "units": a.units,
            });
            if a.value.is_some() {
                v["value"] = json!(amount_flag("value", &a.value, false)?);
            }
            from_flags(v)?
        }
    };
    input::check_deal(&d).map_err(UserError)?;
    let reform = load_reform(law, &a.out)?;
    let done = hkb_rules::stamp::assess_deal(law, &d, reform.as_ref(), true)?;
    let r = &done.result;
    let steps = &done.trace;
    let date = d.instrument_date.at.format("%Y-%m-%d").to_string();
    finish(Report {
        law,
        set: &done.set,
        out: &a.out,
        head: json!({"instrument_date": d.instrument_date, "property": d.property, "buyers": d.buyers, "units": d.units, "seller_acquired": d.seller_acquired}),
        result: serde_json::to_value(r)?,
        steps,
        total: r.total_duty,
        title: (
            format!("Stamp duty on a property instrument executed {date}"),
            format!("{date} 簽立的物業文書印花稅"),
        ),
        total_label: ("Total duty", "印花稅總額"),
        extra_warnings: done.warnings.clone(),
    })
}

pub fn stock_duty(law: &Law, a: StockArgs) -> anyhow::Result<()> {
    let d: StockDeal = match &a.input {
        Some(p) => read_input(p, "stock deal")?,
        None => {
            let Some(date) = &a.date else {
                return user("--date is required unless --input FILE is given");
            };
            InstrumentTime::parse(date).map_err(|e| UserError(format!("--date: {e}")))?;
            if a.consideration.is_none() {
                return user("--consideration is required unless --input FILE is given");
            }
            let instrument = match a.instrument.as_str() {
                "shares" => "shares",
                "reit-units" | "reit_units" => "reit_units",
                "market-maker-hedging" | "market_maker_hedging" => "market_maker_hedging",
                other => {
                    return user(format!(
                        "--instrument: '{other}' is not allowed; use shares, reit-units or market-maker-hedging"
                    ));
                }
            };
            from_flags(
                json!({"date": date, "consideration": amount_flag("consideration", &a.consideration, false)?, "instrument": instrument}),
            )?
        }
    };
    input::check_stock(&d).map_err(UserError)?;
    let reform = load_reform(law, &a.out)?;
    let done = hkb_rules::stamp::assess_stock(law, &d, reform.as_ref(), true)?;
    let (r, steps) = (&done.result, &done.trace);
    let date = d.date.at.format("%Y-%m-%d").to_string();
    finish(Report {
        law,
        set: &done.set,
        out: &a.out,
        head: json!({"date": date, "instrument": d.instrument}),
        result: serde_json::to_value(r)?,
        steps,
        total: r.total_duty,
        title: (
            format!("Stamp duty on a stock transaction on {date}"),
            format!("{date} 股票交易印花稅"),
        ),
        total_label: ("Total duty (both sides)", "印花稅總額（買賣雙方）"),
        extra_warnings: Vec::new(),
    })
}

pub fn rates(law: &Law, a: RatesArgs) -> anyhow::Result<()> {
    let t: Tenement = match &a.input {
        Some(p) => read_input(p, "tenement")?,
        None => {
            let Some(year) = &a.year else {
                return user(
                    "--year is required unless --input FILE is given (e.g. --year 2025-26)",
                );
            };
            if a.rateable_value.is_none() {
                return user("--rateable-value is required unless --input FILE is given");
            }
            from_flags(json!({
                "year": year,
                "rateable_value": amount_flag("rateable-value", &a.rateable_value, false)?,
                "domestic": !a.non_domestic,
                "progressive_excluded": a.progressive_excluded,
            }))?
        }
    };
    let fy = input::check_tenement(&t).map_err(|e| {
        UserError(if a.input.is_none() {
            format!("--{e}")
        } else {
            e
        })
    })?;
    let reform = load_reform(law, &a.out)?;
    let done = hkb_rules::rates::assess_tenement(law, fy, &t, reform.as_ref(), true)?;
    let (r, steps) = (&done.result, &done.trace);
    let fy_label = format!("{}-{:02}", fy.0, (fy.0 + 1) % 100);
    finish(Report {
        law,
        set: &done.set,
        out: &a.out,
        head: json!({"year": fy_label}),
        result: serde_json::to_value(r)?,
        steps,
        total: r.rates_payable,
        title: (
            format!("Rates for financial year {fy_label}"),
            format!("{fy_label} 財政年度 差餉"),
        ),
        total_label: ("Rates payable", "應繳差餉"),
        extra_warnings: Vec::new(),
    })
}
