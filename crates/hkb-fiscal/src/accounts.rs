//! The consolidated accounts: history from the published figures (status kept) and projections
//! by Medium Range Forecast vintage, with the identity
//! reserves(end) = reserves(start) + revenue − expenditure + bond proceeds − bond repayment.

use crate::data::{Data, fy};
use crate::error::FiscalError;
use serde::Serialize;

/// Revenue heads carried in projections.
pub const HEADS: [&str; 4] = [
    "earnings_and_profits_tax",
    "stamp_duties",
    "land_premium",
    "other_revenue",
];

/// A line's values by year with the status of each value.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Line {
    pub values: Vec<f64>,
    pub status: Vec<String>,
}

impl Line {
    fn push(&mut self, v: f64, s: &str) {
        self.values.push(v);
        self.status.push(s.to_string());
    }
}

/// One path of the accounts (HK$bn).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Accounts {
    pub years: Vec<String>,
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
    pub heads: Vec<(String, Line)>,
    /// History only: change in reserves minus the published balance (rounding and restatements).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discrepancy: Option<Line>,
}

/// History 2018-19 to the last year with an outturn: published revenue, expenditure, balance and
/// reserves (actual where available, else the revised estimate), with the discrepancy against
/// the identity shown rather than hidden.
pub fn history(data: &Data, first: i32, last: i32) -> Result<Accounts, FiscalError> {
    let mut a = Accounts::default();
    let mut disc = Line::default();
    let mut prev_reserves = data
        .best("fiscal_reserves_end_march", &format!("{first}-03-31"))
        .and_then(|r| r.value);
    for y in first..=last {
        let f = fy(y);
        a.years.push(f.clone());
        let take = |series: &str| {
            data.best(series, &f)
                .and_then(|r| r.value.map(|v| (v, r.status.clone())))
        };
        let (rev, rs) = take("revenue_total").unwrap_or((f64::NAN, "missing".into()));
        let (exp, es) = take("expenditure_total").unwrap_or((f64::NAN, "missing".into()));
        let (bal, bs) = take("consolidated_balance").unwrap_or((rev - exp, "derived".into()));
        let (res, ress) = data
            .best("fiscal_reserves_end_march", &format!("{}-03-31", y + 1))
            .and_then(|r| r.value.map(|v| (v, r.status.clone())))
            .unwrap_or((f64::NAN, "missing".into()));
        let before = take("consolidated_balance_before_bonds");
        a.revenue.push(rev, &rs);
        a.expenditure.push(exp, &es);
        a.balance.push(bal, &bs);
        a.reserves.push(res, &ress);
        match before {
            Some((b, s)) => {
                a.balance_before_bonds.push(b, &s);
                let net = bal - b;
                a.bond_proceeds.push(net.max(0.0), "derived");
                a.bond_repayment.push((-net).max(0.0), "derived");
            }
            None => {
                a.balance_before_bonds.push(f64::NAN, "missing");
                a.bond_proceeds.push(f64::NAN, "missing");
                a.bond_repayment.push(f64::NAN, "missing");
            }
        }
        a.reserves_months_of_expenditure
            .push(res / (exp / 12.0), "derived");
        a.debt.push(f64::NAN, "missing");
        disc.push(prev_reserves.map_or(f64::NAN, |p| res - p - bal), "derived");
        prev_reserves = Some(res);
    }
    for h in HEADS {
        a.heads.push((h.to_string(), Line::default()));
    }
    a.discrepancy = Some(disc);
    Ok(a)
}

/// Builds a projection path from its lines, enforcing the identities exactly.
#[allow(clippy::too_many_arguments)]
pub fn project(
    years: &[String],
    start_reserves: f64,
    start_debt: f64,
    heads: &[(String, Vec<f64>)],
    expenditure: &[f64],
    proceeds: &[f64],
    repayment: &[f64],
    statuses: &[String],
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
        let s = &statuses[t];
        a.revenue.push(rev, s);
        a.expenditure.push(expenditure[t], s);
        a.bond_proceeds.push(proceeds[t], s);
        a.bond_repayment.push(repayment[t], s);
        a.balance_before_bonds.push(before, s);
        a.balance.push(bal, s);
        a.reserves.push(reserves, s);
        a.reserves_months_of_expenditure
            .push(reserves / (expenditure[t] / 12.0), "derived");
        a.debt.push(debt, s);
    }
    a.heads = heads
        .iter()
        .map(|(h, v)| {
            (
                h.clone(),
                Line {
                    values: v.clone(),
                    status: statuses.to_vec(),
                },
            )
        })
        .collect();
    a
}
