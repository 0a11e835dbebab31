//! Packages: explicit revenue, spending and financing lines (and revenue changes costed by the
//! microsimulation, passed in by the caller) applied to a baseline.

use crate::accounts::{Accounts, HEADS, Line};
use crate::data::fy;
use crate::error::FiscalError;
use crate::vintage::Baseline;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// Extra revenue (negative for revenue forgone).
    Revenue,
    /// Extra spending (negative for savings).
    Expenditure,
    BondIssuance,
    BondRepayment,
}

impl LineKind {
    /// +1 if a positive amount raises the consolidated balance (revenue, bond proceeds), −1 if it
    /// lowers it (spending, bond repayment).
    pub fn balance_sign(self) -> f64 {
        match self {
            LineKind::Revenue | LineKind::BondIssuance => 1.0,
            LineKind::Expenditure | LineKind::BondRepayment => -1.0,
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PackageLine {
    pub name: serde_yaml_ng::Value,
    pub kind: LineKind,
    /// HK$bn in the first year.
    pub amount: f64,
    /// First and last financial years (e.g. 2025-26).
    pub start: String,
    #[serde(default)]
    pub end: Option<String>,
    /// Annual growth after the first year (0.03 = 3%).
    #[serde(default)]
    pub growth: f64,
    /// Revenue head the line belongs to (default: other revenue).
    #[serde(default)]
    pub head: Option<String>,
    /// Already in the baseline (with the reason): shown, not added.
    #[serde(default)]
    pub in_baseline: Option<String>,
}

/// A reform costed by the microsimulation, applied as a revenue line.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PackageReform {
    pub file: String,
    /// Year of assessment whose population costs the reform (e.g. 2024/25).
    pub year: String,
    pub start: String,
    #[serde(default)]
    pub end: Option<String>,
    /// Grow the costing with nominal GDP after the first year (default true).
    #[serde(default = "yes")]
    pub grow_with_gdp: bool,
}

fn yes() -> bool {
    true
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Package {
    #[serde(default)]
    pub name: Option<serde_yaml_ng::Value>,
    #[serde(default)]
    pub lines: Vec<PackageLine>,
    #[serde(default)]
    pub reforms: Vec<PackageReform>,
}

fn parse_fy(s: &str, what: &str) -> Result<i32, FiscalError> {
    let t = s.trim();
    let ok = t.len() == 7 && t.as_bytes()[4] == b'-';
    let y: i32 = t
        .get(..4)
        .and_then(|x| x.parse().ok())
        .filter(|_| ok)
        .ok_or_else(|| {
            FiscalError::Input(format!(
                "{what}: '{s}' is not a financial year like 2025-26"
            ))
        })?;
    if t != fy(y) {
        return Err(FiscalError::Input(format!(
            "{what}: '{s}' is not a financial year like 2025-26"
        )));
    }
    Ok(y)
}

/// A line's amounts over the baseline's years, with its period checked.
pub fn line_values(
    base: &Baseline,
    amount: f64,
    start: &str,
    end: Option<&str>,
    growth: f64,
    what: &str,
) -> Result<Vec<f64>, FiscalError> {
    let s = parse_fy(start, &format!("{what}.start"))?;
    let e = match end {
        Some(e) => parse_fy(e, &format!("{what}.end"))?,
        None => i32::MAX,
    };
    if e < s {
        return Err(FiscalError::Input(format!(
            "{what}: end {} is before start {start}",
            end.unwrap_or("")
        )));
    }
    let first_year = |y: Option<&String>| y.and_then(|y| y.get(..4)?.parse::<i32>().ok());
    let first = first_year(base.accounts.years.first()).unwrap_or(i32::MIN);
    let last = first_year(base.accounts.years.last()).unwrap_or(i32::MAX);
    if s > last || e < first {
        return Err(FiscalError::Input(format!(
            "{what}: {start}{} lies outside the baseline's years {} to {}, so it would add nothing",
            end.map(|e| format!(" to {e}")).unwrap_or_default(),
            base.accounts
                .years
                .first()
                .map(String::as_str)
                .unwrap_or(""),
            base.accounts.years.last().map(String::as_str).unwrap_or("")
        )));
    }
    if !amount.is_finite() || !growth.is_finite() || growth <= -1.0 {
        return Err(FiscalError::Input(format!(
            "{what}: amount and growth must be numbers (growth above -1)"
        )));
    }
    Ok(base
        .accounts
        .years
        .iter()
        .map(|y| {
            let yy: i32 = y[..4].parse().unwrap_or(0);
            if yy < s || yy > e {
                0.0
            } else {
                amount * (1.0 + growth).powi(yy - s)
            }
        })
        .collect())
}

/// A line whose amounts by year are already costed (by the microsimulation or a proposal's
/// costing model); amounts have the sign of their kind, as in [`PackageLine`].
#[derive(Clone, Debug, Serialize)]
pub struct CostedLine {
    pub kind: LineKind,
    /// Revenue head (revenue lines; default other revenue).
    pub head: Option<String>,
    pub values: Vec<f64>,
}

impl CostedLine {
    pub fn revenue(head: &str, values: Vec<f64>) -> CostedLine {
        CostedLine {
            kind: LineKind::Revenue,
            head: Some(head.to_string()),
            values,
        }
    }
}

/// The package as additions to the baseline's lines, plus lines already costed elsewhere.
pub fn additions(
    base: &Baseline,
    p: &Package,
    costed: &[CostedLine],
) -> Result<Accounts, FiscalError> {
    let n = base.accounts.years.len();
    let zero = || Line {
        values: vec![0.0; n],
        status: vec!["scenario".into(); n],
    };
    let mut a = Accounts {
        years: base.accounts.years.clone(),
        expenditure: zero(),
        bond_proceeds: zero(),
        bond_repayment: zero(),
        ..Accounts::default()
    };
    a.heads = HEADS.iter().map(|h| (h.to_string(), zero())).collect();
    let other = HEADS.len() - 1;
    for (i, l) in p
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.in_baseline.is_none())
    {
        let what = format!("lines[{i}]");
        let v = line_values(base, l.amount, &l.start, l.end.as_deref(), l.growth, &what)?;
        let target = match l.kind {
            LineKind::Revenue => {
                let h = match &l.head {
                    Some(h) => HEADS.iter().position(|x| x == h).ok_or_else(|| {
                        FiscalError::Input(format!(
                            "{what}.head: '{h}' is not one of {}",
                            HEADS.join(", ")
                        ))
                    })?,
                    None => other,
                };
                &mut a.heads[h].1.values
            }
            LineKind::Expenditure => &mut a.expenditure.values,
            LineKind::BondIssuance => &mut a.bond_proceeds.values,
            LineKind::BondRepayment => &mut a.bond_repayment.values,
        };
        for (t, x) in v.iter().enumerate() {
            target[t] += x;
        }
    }
    for l in costed {
        let target = match l.kind {
            LineKind::Revenue => {
                let h = l
                    .head
                    .as_deref()
                    .and_then(|head| HEADS.iter().position(|x| *x == head))
                    .unwrap_or(other);
                &mut a.heads[h].1.values
            }
            LineKind::Expenditure => &mut a.expenditure.values,
            LineKind::BondIssuance => &mut a.bond_proceeds.values,
            LineKind::BondRepayment => &mut a.bond_repayment.values,
        };
        for (t, x) in l.values.iter().enumerate().take(n) {
            target[t] += x;
        }
    }
    Ok(a)
}
