//! Society-wide runs and the populations behind them: build and check the populations, run the
//! baseline or a reform for a year of assessment over every record.

use crate::error::EngineError;
use crate::lab::{Lab, Progress};
use crate::provenance::Response;
use hkb_law::{ReformSpec, YearOfAssessment, YearParams};
use hkb_microsim::model::{BuildSpec, CheckRow};
use hkb_microsim::society::{self, CollectionsCheck, DecileBy, RunResult};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

fn default_spec() -> BuildSpec {
    BuildSpec::default()
}

/// A society-wide run: the baseline law of a year, or a reform of it.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SocietyRequest {
    pub year: YearOfAssessment,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reform: Option<ReformSpec>,
    /// The population (records and seed); default 1,000,000 earners and 200,000 businesses.
    #[serde(default = "default_spec")]
    pub population: BuildSpec,
    /// What the deciles rank: `earner` (employment income, the default) or `household`
    /// (equivalised household income).
    #[serde(default)]
    pub deciles_by: DecileBy,
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct SocietyResult {
    /// `true` for a baseline run (no reform).
    pub baseline_only: bool,
    #[serde(flatten)]
    pub run: RunResult,
}

/// Every calibration and validation target of a year beside the model's value.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct CheckResult {
    pub year: YearOfAssessment,
    pub checks: Vec<CheckRow>,
}

/// Every year's checks (for docs/VALIDATION.md).
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct ValidationResult {
    pub population: BuildSpec,
    pub years: Vec<CheckResult>,
    /// Every financial year's collections, head by head, model beside published.
    pub collections: Vec<CollectionsYear>,
    /// How far calibration moved the weights in each year.
    #[serde(default)]
    pub weights: Vec<hkb_microsim::model::WeightSpread>,
    /// The bounds the calibration kept the weights within (multiples of the design weight),
    /// where the sources set them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_bounds: Option<(f64, f64)>,
}

/// One financial year's collections by head (the financial year with the label of `year`).
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct CollectionsYear {
    pub year: YearOfAssessment,
    pub heads: Vec<CollectionsCheck>,
}

impl Lab {
    pub(crate) fn supported_year(
        &self,
        y: YearOfAssessment,
        field: &str,
    ) -> Result<YearOfAssessment, EngineError> {
        if y.is_supported() {
            return Ok(y);
        }
        let all = YearOfAssessment::supported_list();
        Err(EngineError::not_found(
            field,
            format!("unsupported year of assessment {y}: supported years are {all}"),
            format!("不支援 {y} 課稅年度：可用年度為 {all}"),
        )
        .with_allowed(all))
    }

    /// A year the populations cover (the law may cover later years than the model).
    pub(crate) fn population_year(
        &self,
        y: YearOfAssessment,
        field: &str,
    ) -> Result<YearOfAssessment, EngineError> {
        let y = self.supported_year(y, field)?;
        if hkb_microsim::model::population_years().any(|x| x == y) {
            return Ok(y);
        }
        let all = hkb_microsim::model::population_years_list();
        Err(EngineError::not_found(
            field,
            format!(
                "the society-wide model covers the years of assessment {all}; {y} needs its wage index, deal volumes and stock turnover, not yet in the sources (the household calculators cover {y})"
            ),
            format!(
                "全港模型涵蓋的課稅年度為 {all}；{y} 需要當年的工資指數、物業成交量及股票成交額，資料尚未齊備（住戶計算器已涵蓋 {y}）"
            ),
        )
        .with_allowed(all))
    }

    /// The baseline or a reform over the whole population of a year: revenue by tax with
    /// behaviour, affected counts, deciles and the top 1%.
    pub fn society(
        &self,
        req: &SocietyRequest,
        progress: Progress<'_>,
    ) -> Result<Response<SocietyResult>, EngineError> {
        let y = self.population_year(req.year, "/year")?;
        let reform = self.reform(req.reform.as_ref())?;
        // Resolve first so that a reform row missing in this year is reported before the
        // population loads.
        YearParams::resolve(self.law(), y, reform.as_ref())?;
        let model = self.population(req.population, false, progress)?;
        let run = society::run_by(self.law(), &model, y, reform.as_ref(), req.deciles_by)?;
        Ok(Response::new(
            self.provenance(Some(&req.population), None),
            SocietyResult {
                baseline_only: reform.is_none(),
                run,
            },
        ))
    }

    /// Every target of a year beside the model's value.
    pub fn population_check(
        &self,
        year: YearOfAssessment,
        spec: BuildSpec,
        progress: Progress<'_>,
    ) -> Result<Response<CheckResult>, EngineError> {
        let y = self.population_year(year, "/year")?;
        let model = self.population(spec, false, progress)?;
        let checks = model.check(self.law(), y)?;
        Ok(Response::new(
            self.provenance(Some(&spec), None),
            CheckResult { year: y, checks },
        ))
    }

    /// Every target of every year beside the model's value.
    pub fn validation(
        &self,
        spec: BuildSpec,
        progress: Progress<'_>,
    ) -> Result<Response<ValidationResult>, EngineError> {
        let model = self.population(spec, false, progress)?;
        let years = hkb_microsim::model::population_years()
            .map(|y| {
                Ok(CheckResult {
                    year: y,
                    checks: model.check(self.law(), y)?,
                })
            })
            .collect::<Result<Vec<_>, EngineError>>()?;
        let collections = hkb_microsim::model::population_years()
            .map(|y| {
                Ok(CollectionsYear {
                    year: y,
                    heads: society::collections_checks(self.law(), &model, y)?,
                })
            })
            .collect::<Result<Vec<_>, EngineError>>()?;
        Ok(Response::new(
            self.provenance(Some(&spec), None),
            ValidationResult {
                population: spec,
                years,
                collections,
                weights: model.weight_spread(),
                weight_bounds: model
                    .sources
                    .weight_bounds
                    .as_ref()
                    .map(|b| (b.lower, b.upper)),
            },
        ))
    }
}
