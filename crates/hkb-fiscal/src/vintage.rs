//! Baselines by vintage: the 2024-25 and 2025-26 Budgets' Medium Range Forecasts. The published
//! figures are used as they are; where the forecast gives only ratios or growth assumptions the
//! lines are derived from them, and every derived value is labelled `derived`.

use crate::accounts::{Accounts, RevenueHead, project};
use crate::data::Data;
use crate::error::FiscalError;
use hkb_law::{FinancialYear, Status};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub const VINTAGES: [&str; 2] = ["2024-25", "2025-26"];

fn fy(start: i32) -> String {
    FinancialYear(u16::try_from(start).unwrap_or(0)).to_string()
}

/// A published figure of the forecast beside the model's value.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct Published {
    pub what: String,
    pub year: String,
    pub published: f64,
    pub model: f64,
    pub source: String,
    /// The baseline is built to reproduce this figure (it holds by construction); false where
    /// the model's value is computed from other figures and could disagree.
    pub by_construction: bool,
}

/// How each derived line was made, for the output and docs.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct Derivation {
    pub line: String,
    pub method: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Baseline {
    pub vintage: String,
    pub accounts: Accounts,
    pub start_reserves: f64,
    pub start_debt: f64,
    pub nominal_gdp: Vec<f64>,
    pub borrowing_ceiling: Vec<f64>,
    pub published: Vec<Published>,
    pub derivations: Vec<Derivation>,
    /// Head values by year (for shocks and scenarios).
    #[serde(skip)]
    pub head_values: Vec<(RevenueHead, Vec<f64>)>,
    #[serde(skip)]
    pub statuses: Vec<Status>,
}

fn range_mid(s: &str) -> Option<f64> {
    let (a, b) = s.split_once('-')?;
    Some((a.trim().parse::<f64>().ok()? + b.trim().parse::<f64>().ok()?) / 2.0)
}

fn raw<'a>(data: &'a Data, series: &str) -> Option<&'a crate::data::Row> {
    data.rows.iter().find(|r| r.series == series)
}

pub fn baseline(data: &Data, vintage: &str) -> Result<Baseline, FiscalError> {
    let b: i32 = match vintage {
        "2024-25" => 2024,
        "2025-26" => 2025,
        other => {
            return Err(FiscalError::input(
                "/vintage",
                format!(
                    "unknown vintage '{other}'; available: {}",
                    VINTAGES.join(", ")
                ),
                format!("沒有「{other}」年度預測；可用：{}", VINTAGES.join("、")),
            ));
        }
    };
    let last = b + 4;
    let years: Vec<FinancialYear> = (b..=last)
        .map(|y| FinancialYear(u16::try_from(y).unwrap_or(0)))
        .collect();
    let n = years.len();
    let first = fy(b);
    let mut der = Vec::new();
    let mut published = Vec::new();
    let start_reserves = data.value(
        "fiscal_reserves_end_march",
        &format!("{b}-03-31"),
        Status::Revised,
    )?;
    let rev0 = data.value("revenue_total", &first, Status::Estimate)?;
    let exp0 = data.value("expenditure_total", &first, Status::Estimate)?;
    let bal0 = data.value("consolidated_balance", &first, Status::Estimate)?;
    let proceeds0 = data
        .value("bond_proceeds", &first, Status::Estimate)
        .or_else(|_| data.value("bond_issuance_planned", &first, Status::Estimate))?;
    let repay0 = rev0 - exp0 + proceeds0 - bal0;
    der.push(Derivation { line: format!("bond repayment {first}"), method: format!("DERIVED: revenue − expenditure + proceeds − consolidated balance = {rev0} − {exp0} + {proceeds0} − ({bal0}) = {repay0:.1}") });
    let ep0 = data.value("earnings_and_profits_tax", &first, Status::Estimate)?;
    let sd0 = data.value("stamp_duties", &first, Status::Estimate)?;
    let lp0 = data.value("land_premium", &first, Status::Estimate)?;
    let other0 = rev0 - ep0 - sd0 - lp0;
    der.push(Derivation { line: format!("other revenue {first}"), method: format!("DERIVED: total revenue − earnings and profits tax − stamp duties − land premium = {other0:.1}") });

    // Ratios to GDP and nominal growth.
    let exp_ratio_series = format!("mrf_expenditure_to_gdp__budget{b}");
    let exp_r0 = data.value(&exp_ratio_series, &first, Status::Projection)?;
    let exp_r1 = data.value(&exp_ratio_series, &fy(last), Status::Projection)?;
    let rev_ratio_series = format!("mrf_revenue_to_gdp__budget{b}");
    let (rev_r0, rev_r1) = match (
        data.value(&rev_ratio_series, &first, Status::Projection),
        data.value(&rev_ratio_series, &fy(last), Status::Projection),
    ) {
        (Ok(a), Ok(z)) => (a, z),
        _ => {
            let r = data.value(
                &rev_ratio_series,
                &format!("{first}..{}", fy(last)),
                Status::Projection,
            )?;
            (r, r)
        }
    };
    let growth = raw(data, &format!("mrf_nominal_growth_proxy__budget{b}"))
        .and_then(|r| r.value)
        .ok_or_else(|| {
            FiscalError::Data(format!("no nominal growth proxy for the {vintage} vintage"))
        })?
        / 100.0;
    let gdp0 = exp0 / (exp_r0 / 100.0);
    der.push(Derivation { line: "nominal GDP".into(), method: format!("DERIVED: {first} expenditure {exp0} / published expenditure-to-GDP {exp_r0}% = {gdp0:.0}bn, then growing {:.2}% a year (the data's nominal growth proxy: MRF real growth × underlying inflation; the MRF's own deflator is a gap)", growth * 100.0) });
    der.push(Derivation { line: "revenue and expenditure after the first year".into(), method: format!("DERIVED: ratios to GDP interpolated linearly between the published {first} and {} ratios (revenue {rev_r0}% → {rev_r1}%, expenditure {exp_r0}% → {exp_r1}%)", fy(last)) });
    der.push(Derivation {
        line: "revenue heads after the first year".into(),
        method: format!("DERIVED: each head keeps its {first} share of total revenue"),
    });
    let issuance = raw(data, &format!("mrf_bond_issuance__budget{b}"))
        .and_then(|r| r.value.or_else(|| range_mid(&r.value_text)))
        .ok_or_else(|| {
            FiscalError::Data(format!("no bond issuance range for the {vintage} vintage"))
        })?;
    der.push(Derivation {
        line: "bond issuance after the first year".into(),
        method: format!("DERIVED: midpoint of the MRF's annual issuance range = {issuance:.1}bn"),
    });

    let mut gdp = Vec::with_capacity(n);
    let mut heads: Vec<(RevenueHead, Vec<f64>)> = RevenueHead::ALL
        .iter()
        .map(|h| (*h, Vec::with_capacity(n)))
        .collect();
    let mut exp = Vec::with_capacity(n);
    let mut proceeds = Vec::with_capacity(n);
    let mut statuses = Vec::with_capacity(n);
    for t in 0..n {
        let g = gdp0 * (1.0 + growth).powi(t as i32);
        gdp.push(g);
        let w = t as f64 / (n - 1) as f64;
        if t == 0 {
            for (h, v) in heads.iter_mut() {
                v.push(match h {
                    RevenueHead::EarningsAndProfitsTax => ep0,
                    RevenueHead::StampDuties => sd0,
                    RevenueHead::LandPremium => lp0,
                    RevenueHead::OtherRevenue => other0,
                });
            }
            exp.push(exp0);
            proceeds.push(proceeds0);
            statuses.push(Status::Estimate);
        } else {
            let rev = g * (rev_r0 + w * (rev_r1 - rev_r0)) / 100.0;
            for (h, v) in heads.iter_mut() {
                let share = match h {
                    RevenueHead::EarningsAndProfitsTax => ep0,
                    RevenueHead::StampDuties => sd0,
                    RevenueHead::LandPremium => lp0,
                    RevenueHead::OtherRevenue => other0,
                } / rev0;
                v.push(rev * share);
            }
            exp.push(g * (exp_r0 + w * (exp_r1 - exp_r0)) / 100.0);
            proceeds.push(issuance);
            statuses.push(Status::Derived);
        }
    }
    // Repayments (and other financing) after the first year: the balancing item that makes
    // reserves reach the published end-point.
    let end_date = format!("{}-03-31", last + 1);
    let end_series = format!("mrf_fiscal_reserves__budget{b}");
    let end_reserves = data.value(&end_series, &end_date, Status::Projection)?;
    let mut reserves_after_first = start_reserves + bal0;
    let mut gap = end_reserves - reserves_after_first;
    for t in 1..n {
        let rev: f64 = heads.iter().map(|(_, v)| v[t]).sum();
        gap -= rev - exp[t] + proceeds[t];
    }
    let repay_each = -gap / (n - 1) as f64;
    let mut repayment = vec![repay0];
    repayment.extend(std::iter::repeat_n(repay_each, n - 1));
    der.push(Derivation { line: "bond repayment and other financing after the first year".into(), method: format!("DERIVED (balancing item): {repay_each:.1}bn a year, so that reserves reach the published {end_reserves}bn at {end_date}; the MRF's year-by-year table is a gap in the sources") });

    let start_debt = match b {
        2024 => data.value("government_debt", "2024-05-31", Status::Actual)?,
        _ => data.value("government_debt", "2025-02-28", Status::Actual)?,
    };
    der.push(Derivation {
        line: "government bonds outstanding at the start".into(),
        method: format!(
            "the published month-end figure nearest to 31 March {b}: {start_debt:.1}bn"
        ),
    });
    let accounts = project(
        &years,
        start_reserves,
        start_debt,
        &heads,
        &exp,
        &proceeds,
        &repayment,
        &statuses,
    );
    reserves_after_first = accounts.reserves.values[0];

    let src = |series: &str, year: &str, status: Status| {
        data.get(series, year, status)
            .map(|r| r.source_url.clone())
            .unwrap_or_default()
    };
    published.push(Published {
        what: "revenue".into(),
        year: first.clone(),
        published: rev0,
        model: accounts.revenue.values[0],
        source: src("revenue_total", &first, Status::Estimate),
        by_construction: true,
    });
    published.push(Published {
        what: "expenditure".into(),
        year: first.clone(),
        published: exp0,
        model: accounts.expenditure.values[0],
        source: src("expenditure_total", &first, Status::Estimate),
        by_construction: true,
    });
    published.push(Published {
        what: "consolidated balance after bonds".into(),
        year: first.clone(),
        published: bal0,
        model: accounts.balance.values[0],
        source: src("consolidated_balance", &first, Status::Estimate),
        by_construction: true,
    });
    if let Ok(r1) = data.value(
        "fiscal_reserves_end_march",
        &format!("{}-03-31", b + 1),
        Status::Estimate,
    ) {
        published.push(Published {
            what: "fiscal reserves at 31 March".into(),
            year: format!("{}-03-31", b + 1),
            published: r1,
            model: reserves_after_first,
            source: src(
                "fiscal_reserves_end_march",
                &format!("{}-03-31", b + 1),
                Status::Estimate,
            ),
            by_construction: false,
        });
    }
    published.push(Published {
        what: "fiscal reserves at 31 March".into(),
        year: end_date.clone(),
        published: end_reserves,
        model: *accounts.reserves.values.last().unwrap_or(&f64::NAN),
        source: src(&end_series, &end_date, Status::Projection),
        by_construction: true,
    });
    let ceiling_2024 = data
        .value("bond_borrowing_ceiling", "2024-25", Status::Estimate)
        .unwrap_or(f64::NAN);
    let ceiling_2026 = data
        .value("bond_borrowing_ceiling", "2026-27", Status::Estimate)
        .unwrap_or(ceiling_2024);
    let borrowing_ceiling = (b..=last)
        .map(|y| {
            if y >= 2026 {
                ceiling_2026
            } else {
                ceiling_2024
            }
        })
        .collect();
    Ok(Baseline {
        vintage: vintage.into(),
        accounts,
        start_reserves,
        start_debt,
        nominal_gdp: gdp,
        borrowing_ceiling,
        published,
        derivations: der,
        head_values: heads,
        statuses,
    })
}
