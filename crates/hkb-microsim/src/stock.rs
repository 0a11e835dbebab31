//! Stock turnover of a financial year: dutiable turnover = ADT × trading days × (1 − exempt
//! share), with the ADT of the financial year April–March the mean of its twelve months — the
//! month's own ADT where HKEX's monthly figure is in the sources, else the share of its calendar
//! year's average left by the known months; duty = the rate averaged over the year's months ×
//! 2 sides × turnover, with the turnover response to the rate.

use crate::error::SimError;
use crate::sources::{Sourced, YearValue};
use hkb_law::{Law, Reform, StampDutyParams};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StockSources {
    pub trading_days: Sourced,
    pub exempt_share: Sourced,
    /// The financial year whose duty the exempt share is solved from: its check holds by
    /// construction and is reported as calibrated.
    pub exempt_share_fitted_on: i32,
    pub adt: Vec<YearValue>,
    #[serde(default)]
    pub adt_monthly: Vec<MonthValue>,
    pub duty_revenue: Vec<YearValue>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MonthValue {
    /// `YYYY-MM`.
    pub month: String,
    pub value: f64,
    pub source: hkb_law::Source,
}

impl StockSources {
    /// Securities ADT of a calendar month: HKEX's monthly figure, else what the year's average
    /// leaves for the months without one. `None` when the calendar year is not in the sources.
    pub fn month_adt(&self, year: i32, month: u32) -> Option<f64> {
        let key = |m: u32| format!("{year}-{m:02}");
        let known = |m: u32| {
            let k = key(m);
            self.adt_monthly
                .iter()
                .find(|x| x.month == k)
                .map(|x| x.value)
        };
        if let Some(v) = known(month) {
            return Some(v);
        }
        let annual = self.adt.iter().find(|a| a.year == year)?.value;
        let (n, sum) = (1..=12u32)
            .filter_map(known)
            .fold((0u32, 0.0), |(n, s), v| (n + 1, s + v));
        // The known months cannot leave less than nothing for the rest.
        Some(((12.0 * annual - sum) / f64::from(12 - n)).max(0.0))
    }

    /// Securities ADT of the financial year starting 1 April `fy`: the mean of its months. A
    /// month of a calendar year not yet in the sources (January–March of the last year) takes
    /// the same month of `fy` (an assumption, named in `sources.yaml`).
    pub fn fy_adt(&self, fy: i32) -> Option<f64> {
        let mut sum = 0.0;
        for (y, month) in fy_months(fy) {
            sum += self
                .month_adt(y, month)
                .or_else(|| self.month_adt(fy, month))?;
        }
        Some(sum / 12.0)
    }

    /// Dutiable turnover (HK$, one side) of the financial year starting 1 April `fy`.
    pub fn dutiable_turnover(&self, fy: i32) -> Option<f64> {
        self.fy_adt(fy)
            .map(|adt| adt * self.trading_days.value * (1.0 - self.exempt_share.value))
    }
}

/// The twelve (calendar year, month) of the financial year starting 1 April `fy`.
fn fy_months(fy: i32) -> impl Iterator<Item = (i32, u32)> {
    (4..=12u32)
        .map(move |m| (fy, m))
        .chain((1..=3u32).map(move |m| (fy + 1, m)))
}

/// The stock duty rate per side averaged over the twelve months of the financial year starting
/// 1 April `fy` (the rate on the 15th of each month): FY2021-22 had 0.1% to July and 0.13%
/// from 1 August 2021, FY2023-24 0.13% to 16 November 2023 and 0.1% after.
pub fn fy_rate(law: &Law, fy: i32, reform: Option<&Reform>) -> Result<f64, SimError> {
    let mut sum = 0.0;
    for (y, month) in fy_months(fy) {
        let at = chrono::NaiveDate::from_ymd_opt(y, month, 15)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .ok_or_else(|| SimError::Data(format!("no date in {y}-{month}")))?;
        sum += StampDutyParams::from_set(&law.resolve_at(at, &at.date().to_string(), reform)?)?
            .stock_rate
            .to_f64();
    }
    Ok(sum / 12.0)
}

#[derive(Clone, Debug, Default, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct StockOutcome {
    pub turnover: f64,
    pub baseline: f64,
    pub reform: f64,
    pub change: f64,
    pub turnover_with_behaviour: f64,
    pub change_with_behaviour: f64,
}

/// Duty at the baseline and reform rates (per side); the response scales turnover by
/// (reform rate / baseline rate) ^ elasticity.
pub fn run(
    turnover: f64,
    base_rate: f64,
    reform_rate: f64,
    elasticity: Option<f64>,
) -> StockOutcome {
    let baseline = 2.0 * base_rate * turnover;
    let reform = 2.0 * reform_rate * turnover;
    let t2 = match elasticity {
        Some(e) if base_rate > 0.0 && reform_rate > 0.0 => {
            turnover * (reform_rate / base_rate).powf(e)
        }
        _ => turnover,
    };
    StockOutcome {
        turnover,
        baseline,
        reform,
        change: reform - baseline,
        turnover_with_behaviour: t2,
        change_with_behaviour: 2.0 * reform_rate * t2 - baseline,
    }
}
