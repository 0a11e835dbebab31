//! The consolidated accounts: history from the published figures (status kept) and projections
//! by Medium Range Forecast vintage, with the identity
//! reserves(end) = reserves(start) + revenue − expenditure + bond proceeds − bond repayment.

use crate::data::Data;
use crate::error::FiscalError;
use hkb_law::{Bilingual, FinancialYear, Status};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Revenue heads carried in projections (the Medium Range Forecast's own split).
#[derive(
    Clone, Copy, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
#[serde(rename_all = "snake_case")]
pub enum RevenueHead {
    EarningsAndProfitsTax,
    StampDuties,
    LandPremium,
    /// Everything else: investment income, rates, fees, duties, transfers from funds.
    OtherRevenue,
}

impl RevenueHead {
    pub const ALL: [RevenueHead; 4] = [
        RevenueHead::EarningsAndProfitsTax,
        RevenueHead::StampDuties,
        RevenueHead::LandPremium,
        RevenueHead::OtherRevenue,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            RevenueHead::EarningsAndProfitsTax => "earnings_and_profits_tax",
            RevenueHead::StampDuties => "stamp_duties",
            RevenueHead::LandPremium => "land_premium",
            RevenueHead::OtherRevenue => "other_revenue",
        }
    }
    pub fn label(self) -> Bilingual {
        match self {
            RevenueHead::EarningsAndProfitsTax => {
                Bilingual::fixed("Earnings and profits tax", "入息及利得稅")
            }
            RevenueHead::StampDuties => Bilingual::fixed("Stamp duties", "印花稅"),
            RevenueHead::LandPremium => Bilingual::fixed("Land premium", "地價收入"),
            RevenueHead::OtherRevenue => Bilingual::fixed("Other revenue", "其他收入"),
        }
    }
    /// The position in [`RevenueHead::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl std::str::FromStr for RevenueHead {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        RevenueHead::ALL
            .into_iter()
            .find(|h| h.as_str() == s.trim())
            .ok_or_else(|| {
                format!(
                    "'{s}' is not a revenue head ({})",
                    RevenueHead::ALL.map(RevenueHead::as_str).join(", ")
                )
            })
    }
}

/// A line's values by year (HK$bn) with the status of each value.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Line {
    /// `null` where the sources have no figure (its status is then `missing`).
    #[serde(deserialize_with = "crate::nullable::vec")]
    #[schemars(with = "Vec<Option<f64>>")]
    pub values: Vec<f64>,
    pub status: Vec<Status>,
}

impl Line {
    fn push(&mut self, v: f64, s: Status) {
        self.values.push(v);
        self.status.push(s);
    }
}

/// One path of the accounts (HK$bn).
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Accounts {
    pub years: Vec<FinancialYear>,
    pub revenue: Line,
    pub expenditure: Line,
    pub bond_proceeds: Line,
    pub bond_repayment: Line,
    pub balance_before_bonds: Line,
    /// Consolidated balance after bond flows.
    pub balance: Line,
    /// Fiscal reserves at 31 March at the end of the year.
    pub reserves: Line,
    pub reserves_months_of_expenditure: Line,
    /// Government bonds outstanding at the end of the year.
    pub debt: Line,
    /// Revenue by head (the heads add up to `revenue`).
    pub heads: BTreeMap<RevenueHead, Line>,
    /// History only: change in reserves minus the published balance (rounding and restatements).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discrepancy: Option<Line>,
}

impl Accounts {
    /// The position of a financial year in `years`.
    pub fn year_index(&self, y: FinancialYear) -> Option<usize> {
        self.years.iter().position(|x| *x == y)
    }
}

/// History 2018-19 to the last year with an outturn: published revenue, expenditure, balance and
/// reserves (actual where available, else the revised estimate), with the discrepancy against
/// the identity shown rather than hidden.
pub fn history(data: &Data, first: u16, last: u16) -> Result<Accounts, FiscalError> {
    let mut a = Accounts::default();
    let mut disc = Line::default();
    let mut prev_reserves = data
        .best("fiscal_reserves_end_march", &format!("{first}-03-31"))
        .and_then(|r| r.value);
    for y in first..=last {
        let fy = FinancialYear(y);
        let f = fy.to_string();
        a.years.push(fy);
        let take = |series: &str| {
            data.best(series, &f)
                .and_then(|r| r.value.map(|v| (v, r.status)))
        };
        let (rev, rs) = take("revenue_total").unwrap_or((f64::NAN, Status::Missing));
        let (exp, es) = take("expenditure_total").unwrap_or((f64::NAN, Status::Missing));
        let (bal, bs) = take("consolidated_balance").unwrap_or((rev - exp, Status::Derived));
        let (res, ress) = data
            .best("fiscal_reserves_end_march", &format!("{}-03-31", y + 1))
            .and_then(|r| r.value.map(|v| (v, r.status)))
            .unwrap_or((f64::NAN, Status::Missing));
        let before = take("consolidated_balance_before_bonds");
        a.revenue.push(rev, rs);
        a.expenditure.push(exp, es);
        a.balance.push(bal, bs);
        a.reserves.push(res, ress);
        match before {
            Some((b, s)) => {
                a.balance_before_bonds.push(b, s);
                let net = bal - b;
                a.bond_proceeds.push(net.max(0.0), Status::Derived);
                a.bond_repayment.push((-net).max(0.0), Status::Derived);
            }
            None => {
                a.balance_before_bonds.push(f64::NAN, Status::Missing);
                a.bond_proceeds.push(f64::NAN, Status::Missing);
                a.bond_repayment.push(f64::NAN, Status::Missing);
            }
        }
        a.reserves_months_of_expenditure
            .push(res / (exp / 12.0), Status::Derived);
        a.debt.push(f64::NAN, Status::Missing);
        disc.push(
            prev_reserves.map_or(f64::NAN, |p| res - p - bal),
            Status::Derived,
        );
        prev_reserves = Some(res);
    }
    for h in RevenueHead::ALL {
        a.heads.insert(h, Line::default());
    }
    a.discrepancy = Some(disc);
    Ok(a)
}

/// Builds a projection path from its lines, enforcing the identities exactly.
#[allow(clippy::too_many_arguments)]
pub fn project(
    years: &[FinancialYear],
    start_reserves: f64,
    start_debt: f64,
    heads: &[(RevenueHead, Vec<f64>)],
    expenditure: &[f64],
    proceeds: &[f64],
    repayment: &[f64],
    statuses: &[Status],
) -> Accounts {
    let n = years.len();
    let mut a = Accounts {
        years: years.to_vec(),
        ..Accounts::default()
    };
    let mut reserves = start_reserves;
    let mut debt = start_debt;
    for t in 0..n {
        let rev: f64 = heads.iter().map(|(_, v)| v[t]).sum();
        let before = rev - expenditure[t];
        let bal = before + proceeds[t] - repayment[t];
        reserves += bal;
        debt += proceeds[t] - repayment[t];
        let s = statuses[t];
        a.revenue.push(rev, s);
        a.expenditure.push(expenditure[t], s);
        a.bond_proceeds.push(proceeds[t], s);
        a.bond_repayment.push(repayment[t], s);
        a.balance_before_bonds.push(before, s);
        a.balance.push(bal, s);
        a.reserves.push(reserves, s);
        a.reserves_months_of_expenditure
            .push(reserves / (expenditure[t] / 12.0), Status::Derived);
        a.debt.push(debt, s);
    }
    a.heads = heads
        .iter()
        .map(|(h, v)| {
            (
                *h,
                Line {
                    values: v.clone(),
                    status: statuses.to_vec(),
                },
            )
        })
        .collect();
    a
}
