//! Stock turnover: dutiable turnover per year = ADT × trading days × (1 − exempt share); duty =
//! rate × 2 sides × turnover, with the turnover response to the rate.

use crate::sources::{Sourced, YearValue};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StockSources {
    pub trading_days: Sourced,
    pub exempt_share: Sourced,
    pub adt: Vec<YearValue>,
    pub duty_revenue: Vec<YearValue>,
}

impl StockSources {
    /// Dutiable turnover (HK$, one side) of a calendar year.
    pub fn dutiable_turnover(&self, year: i32) -> Option<f64> {
        self.adt
            .iter()
            .find(|a| a.year == year)
            .map(|a| a.value * self.trading_days.value * (1.0 - self.exempt_share.value))
    }
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
