//! The population inputs (`data/population/sources.yaml`), each value with its source and status.

use crate::error::SimError;
use serde::{Deserialize, Serialize};

pub(crate) const SOURCES_YAML: &str = include_str!("../../../data/population/sources.yaml");

pub use hkb_law::{Source, Status};

/// A number with its provenance.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Sourced {
    pub value: f64,
    #[serde(default = "published")]
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub source: Source,
    /// Used as a calibration constraint (default) or only reported beside the model's value.
    #[serde(default = "yes")]
    pub calibrate: bool,
}

pub(crate) fn published() -> Status {
    Status::Published
}
fn yes() -> bool {
    true
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Percentiles {
    pub year: i32,
    pub p10: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p90: f64,
    pub source: Source,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct YearValue {
    pub year: i32,
    pub value: f64,
    #[serde(default = "published")]
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub source: Source,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Wages {
    pub percentiles: Vec<Percentiles>,
    pub medians: Vec<YearValue>,
    pub annual_factor: Sourced,
    pub pareto_alpha: Sourced,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Households {
    pub married_share: Sourced,
    pub spouse_without_income_share: Sourced,
    pub children_share: Sourced,
    pub children_mean_when_any: Sourced,
    pub newborn_share_of_children: Sourced,
    pub dependent_parent_share: Sourced,
    pub parent_residing_share: Sourced,
    pub donor_share: Sourced,
    /// Household income is divided by household size to this power to rank households.
    pub equivalence_exponent: Sourced,
    /// Domestic households by calendar year (General Household Survey), to check the households.
    #[serde(default)]
    pub domestic_households: Vec<YearValue>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Mpf {
    pub rate: Sourced,
    pub min_relevant_income_monthly: Sourced,
    pub max_relevant_income_monthly: Sourced,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SalariesTargets {
    pub year: String,
    #[serde(default)]
    pub taxpayers_with_tax: Option<Sourced>,
    /// Salaries tax collected in the financial year with the same label (YA 2017/18 -> FY2017-18).
    #[serde(default)]
    pub collections: Option<Sourced>,
    #[serde(default)]
    pub reduction_cost: Option<Sourced>,
    #[serde(default)]
    pub above_5m_net_income: Option<Sourced>,
    #[serde(default)]
    pub second_tier_revenue: Option<Sourced>,
}

/// A measure the Budget costed when it was announced: the taxpayers it benefits and the revenue
/// it forgoes in a year, against which the model is checked (out of sample). `before` is the
/// law the measure replaced, as a reform of the year's law; the model's figures are the
/// earners whose tax before the one-off reduction is lower under the year's law than under
/// `before`, and the tax they save.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SalariesCosting {
    /// The year of assessment the measure took effect (`2018/19`).
    pub year: String,
    pub measure: hkb_law::Bilingual,
    pub before: hkb_law::reform::ReformSpec,
    #[serde(default)]
    pub taxpayers: Option<Sourced>,
    #[serde(default)]
    pub revenue_forgone: Option<Sourced>,
}

/// How the tax assessed for a year of assessment is collected across financial years.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CollectionsTiming {
    /// The share of a year's provisional tax paid in its first instalment, in the financial year
    /// in which the year of assessment ends; the rest is paid in the next financial year.
    pub first_instalment_share: Sourced,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Sources {
    pub wages: Wages,
    pub employment: Vec<YearValue>,
    pub households: Households,
    pub mpf: Mpf,
    pub salaries_targets: Vec<SalariesTargets>,
    /// Salaries tax measures costed by the Budget that announced them (validation only).
    #[serde(default)]
    pub salaries_costings: Vec<SalariesCosting>,
    pub collections_timing: CollectionsTiming,
    /// IRD's collections of tax under personal assessment by financial year (not modelled:
    /// the validation report shows them beside the heads that are).
    #[serde(default)]
    pub personal_assessment_collections: Vec<YearValue>,
    #[serde(default)]
    pub businesses: Option<crate::business::BusinessSources>,
    #[serde(default)]
    pub stock: Option<crate::stock::StockSources>,
    #[serde(default)]
    pub property: Option<crate::property::PropertySources>,
    #[serde(default)]
    pub rates: Option<crate::rates::RatesSources>,
    #[serde(default)]
    pub behaviour: Option<crate::behaviour::BehaviourSources>,
    /// Bounds on calibrated weights as multiples of the design weights (none: unbounded).
    #[serde(default)]
    pub weight_bounds: Option<WeightBounds>,
}

/// How far calibration may move a record's weight from its design weight.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WeightBounds {
    pub lower: f64,
    pub upper: f64,
    #[serde(default = "published")]
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub source: Source,
}

impl WeightBounds {
    pub fn bounds(&self) -> crate::calibrate::Bounds {
        crate::calibrate::Bounds {
            lower: self.lower,
            upper: self.upper,
        }
    }
}

impl Sources {
    pub fn embedded() -> Result<Sources, SimError> {
        serde_yaml_ng::from_str(SOURCES_YAML)
            .map_err(|e| SimError::Data(format!("data/population/sources.yaml: {e}")))
    }

    /// The embedded inputs' text, for fingerprints of population files.
    pub fn text() -> &'static str {
        SOURCES_YAML
    }

    /// The wage index (median monthly wage) of a calendar year.
    pub fn median_wage(&self, year: i32) -> Result<f64, SimError> {
        self.wages
            .medians
            .iter()
            .find(|m| m.year == year)
            .map(|m| m.value)
            .ok_or_else(|| {
                SimError::Data(format!(
                    "no median wage for {year} in data/population/sources.yaml"
                ))
            })
    }

    /// The share of provisional tax paid in the first instalment.
    pub fn first_instalment_share(&self) -> f64 {
        self.collections_timing.first_instalment_share.value
    }

    pub fn targets(&self, ya: &str) -> Option<&SalariesTargets> {
        self.salaries_targets.iter().find(|t| t.year == ya)
    }
}
