//! Behavioural response defaults, each with its source (or labelled an assumption) and range,
//! overridable in a reform file's `behaviour:` block.

use crate::error::SimError;
use crate::sources::Sourced;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BehaviourSources {
    pub salaries_eti: Sourced,
    pub profits_eti: Sourced,
    pub stock_turnover_elasticity: Sourced,
    pub property_volume_semi_elasticity: Sourced,
}

/// The settings in force for a run.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, schemars::JsonSchema, PartialEq)]
pub struct BehaviourSettings {
    pub enabled: bool,
    pub salaries_eti: f64,
    pub profits_eti: f64,
    pub stock_turnover_elasticity: f64,
    pub property_volume_semi_elasticity: f64,
}

pub use hkb_law::BehaviourOverrides;

impl BehaviourSettings {
    pub fn defaults(src: &BehaviourSources) -> BehaviourSettings {
        BehaviourSettings {
            enabled: true,
            salaries_eti: src.salaries_eti.value,
            profits_eti: src.profits_eti.value,
            stock_turnover_elasticity: src.stock_turnover_elasticity.value,
            property_volume_semi_elasticity: src.property_volume_semi_elasticity.value,
        }
    }

    /// Applies overrides, checking each against its allowed range.
    pub fn with(mut self, o: &BehaviourOverrides) -> Result<BehaviourSettings, SimError> {
        let check = |name: &str, v: f64, lo: f64, hi: f64| -> Result<f64, SimError> {
            if v.is_finite() && (lo..=hi).contains(&v) {
                Ok(v)
            } else {
                Err(SimError::Input {
                    field: format!("/behaviour/{name}"),
                    en: format!("{v} is outside the allowed range {lo} to {hi}"),
                    zh: format!("{v} 超出容許範圍 {lo} 至 {hi}"),
                })
            }
        };
        if let Some(e) = o.enabled {
            self.enabled = e;
        }
        if let Some(v) = o.salaries_eti {
            self.salaries_eti = check("salaries_eti", v, 0.0, 2.0)?;
        }
        if let Some(v) = o.profits_eti {
            self.profits_eti = check("profits_eti", v, 0.0, 2.0)?;
        }
        if let Some(v) = o.stock_turnover_elasticity {
            self.stock_turnover_elasticity = check("stock_turnover_elasticity", v, -3.0, 0.0)?;
        }
        if let Some(v) = o.property_volume_semi_elasticity {
            self.property_volume_semi_elasticity =
                check("property_volume_semi_elasticity", v, -30.0, 0.0)?;
        }
        Ok(self)
    }
}
