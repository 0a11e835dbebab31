//! Fiscal lines — explicit revenue, spending and financing lines, and lines already costed
//! elsewhere (by the microsimulation or a proposal's costing model) — applied to a baseline as
//! additions to its accounts.

use crate::accounts::{Accounts, Line, RevenueHead};
use crate::error::FiscalError;
use crate::vintage::Baseline;
use hkb_law::{Bilingual, FinancialYear, Status};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Deserialize, Serialize, JsonSchema, PartialEq, Eq, Hash)]
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
    pub fn label(self) -> Bilingual {
        match self {
            LineKind::Revenue => Bilingual::fixed("revenue", "收入"),
            LineKind::Expenditure => Bilingual::fixed("expenditure", "開支"),
            LineKind::BondIssuance => Bilingual::fixed("bond issuance", "發行債券"),
            LineKind::BondRepayment => Bilingual::fixed("bond repayment", "償還債券"),
        }
    }
}

/// An explicit fiscal line of a package.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PackageLine {
    /// `{en, zh}`, or one text for both.
    #[serde(deserialize_with = "hkb_law::bilingual_or_text")]
    pub name: Bilingual,
    pub kind: LineKind,
    /// HK$bn in the first year.
    pub amount: f64,
    /// First and last financial years (e.g. 2025-26).
    pub start: FinancialYear,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<FinancialYear>,
    /// Annual growth after the first year (0.03 = 3%).
    #[serde(default)]
    pub growth: f64,
    /// Revenue head the line belongs to (revenue lines; default other revenue).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<RevenueHead>,
    /// Already in the baseline (with the reason): shown, not added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_baseline: Option<String>,
    /// What the amount is: `estimate` (an official costing), `published`, `derived` (with the
    /// method in `note`) or `assumption`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// Where the amount comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<hkb_law::Source>,
    /// How it was derived, or what it assumes.
    #[serde(
        default,
        deserialize_with = "hkb_law::opt_bilingual_or_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub note: Option<Bilingual>,
}

/// The largest amount a line may have in a year (HK$bn): several times the whole budget.
pub const MAX_LINE_BN: f64 = 100_000.0;

/// A line's amounts over the baseline's years, with its period checked. `field` is the line's
/// JSON pointer for errors (e.g. `/lines/0`).
pub fn line_values(
    base: &Baseline,
    amount: f64,
    start: FinancialYear,
    end: Option<FinancialYear>,
    growth: f64,
    field: &str,
) -> Result<Vec<f64>, FiscalError> {
    if let Some(e) = end
        && e < start
    {
        return Err(FiscalError::input(
            format!("{field}/end"),
            format!("end {e} is before start {start}"),
            format!("結束年度 {e} 早於開始年度 {start}"),
        ));
    }
    let years = &base.accounts.years;
    let (Some(&first), Some(&last)) = (years.first(), years.last()) else {
        return Err(FiscalError::Data("the baseline has no years".into()));
    };
    if start > last || end.is_some_and(|e| e < first) {
        let span = match end {
            Some(e) => format!("{start} to {e}"),
            None => start.to_string(),
        };
        return Err(FiscalError::input(
            format!("{field}/start"),
            format!(
                "{span} lies outside the baseline's years {first} to {last}, so it would add nothing"
            ),
            format!("{span} 不在基線年度 {first} 至 {last} 之內，不會產生任何影響"),
        ));
    }
    if !amount.is_finite() || amount.abs() > MAX_LINE_BN {
        return Err(FiscalError::input(
            format!("{field}/amount"),
            format!("{amount} is not an amount of HK$bn between -{MAX_LINE_BN} and {MAX_LINE_BN}"),
            format!("{amount} 並非介乎 -{MAX_LINE_BN} 至 {MAX_LINE_BN} 的金額（十億港元）"),
        ));
    }
    if !growth.is_finite() || growth <= -1.0 || growth > 1.0 {
        return Err(FiscalError::input(
            format!("{field}/growth"),
            format!("{growth} is not a growth rate above -1 and at most 1 (0.03 for 3%)"),
            format!("{growth} 並非大於 -1 且不超過 1 的增長率（3% 寫作 0.03）"),
        ));
    }
    Ok(years
        .iter()
        .map(|&y| {
            if y < start || end.is_some_and(|e| y > e) {
                0.0
            } else {
                amount * (1.0 + growth).powi(y.years_since(start))
            }
        })
        .collect())
}

/// A line whose amounts by year are already costed (by the microsimulation or a proposal's
/// costing model); amounts have the sign of their kind, as in [`PackageLine`], and one value per
/// year of the baseline.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct CostedLine {
    pub kind: LineKind,
    /// Revenue head (revenue lines; default other revenue).
    pub head: Option<RevenueHead>,
    pub values: Vec<f64>,
}

impl CostedLine {
    pub fn revenue(head: RevenueHead, values: Vec<f64>) -> CostedLine {
        CostedLine {
            kind: LineKind::Revenue,
            head: Some(head),
            values,
        }
    }
}

/// Explicit lines (those not already in the baseline) and costed lines as additions to the
/// baseline's lines. A costed line must have one value per baseline year.
pub fn additions(
    base: &Baseline,
    lines: &[PackageLine],
    costed: &[CostedLine],
) -> Result<Accounts, FiscalError> {
    let n = base.accounts.years.len();
    let zero = || Line {
        values: vec![0.0; n],
        status: vec![Status::Scenario; n],
    };
    let mut a = Accounts {
        years: base.accounts.years.clone(),
        expenditure: zero(),
        bond_proceeds: zero(),
        bond_repayment: zero(),
        ..Accounts::default()
    };
    a.heads = RevenueHead::ALL.iter().map(|h| (*h, zero())).collect();
    let mut add = |kind: LineKind, head: Option<RevenueHead>, v: &[f64]| {
        let target = match kind {
            LineKind::Revenue => {
                match a.heads.get_mut(&head.unwrap_or(RevenueHead::OtherRevenue)) {
                    Some(l) => &mut l.values,
                    None => return,
                }
            }
            LineKind::Expenditure => &mut a.expenditure.values,
            LineKind::BondIssuance => &mut a.bond_proceeds.values,
            LineKind::BondRepayment => &mut a.bond_repayment.values,
        };
        for (t, x) in v.iter().enumerate() {
            target[t] += x;
        }
    };
    for (i, l) in lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.in_baseline.is_none())
    {
        let v = line_values(
            base,
            l.amount,
            l.start,
            l.end,
            l.growth,
            &format!("/lines/{i}"),
        )?;
        add(l.kind, l.head, &v);
    }
    for (i, l) in costed.iter().enumerate() {
        if l.values.len() != n {
            return Err(FiscalError::Data(format!(
                "costed line {i} has {} values for {n} years",
                l.values.len()
            )));
        }
        add(l.kind, l.head, &l.values);
    }
    Ok(a)
}
