//! The fiscal projection: a Medium Range Forecast vintage as the baseline, a package applied to
//! it (costed exactly as `package run` costs it), the history, and Monte Carlo risk.

use crate::error::EngineError;
use crate::lab::{Lab, Progress};
use crate::package::{Contribution, PackageSpec, Totals};
use crate::provenance::Response;
use hkb_fiscal::accounts::{Accounts, history};
use hkb_fiscal::montecarlo::{self, McOptions, MonteCarlo};
use hkb_fiscal::vintage::{Derivation, Published};
use hkb_law::{Bilingual, FinancialYear};
use hkb_microsim::model::BuildSpec;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

fn default_spec() -> BuildSpec {
    BuildSpec::default()
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectRequest {
    /// The Medium Range Forecast vintage (default: the package's, else the newest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vintage: Option<String>,
    /// A package applied to the baseline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<PackageSpec>,
    /// Monte Carlo risk (none: deterministic only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monte_carlo: Option<McOptions>,
    #[serde(default = "default_spec")]
    pub population: BuildSpec,
}

/// Scenario minus baseline (HK$bn).
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct AccountsDifference {
    pub balance: Vec<f64>,
    pub reserves: Vec<f64>,
}

/// The package behind a scenario, in brief.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct PackageSummary {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Bilingual>,
    pub contributions: Vec<Contribution>,
    pub totals: Totals,
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct Projection {
    pub vintage: String,
    pub years: Vec<FinancialYear>,
    pub baseline: Accounts,
    /// The baseline with the package (the baseline itself without one).
    pub scenario: Accounts,
    pub difference: AccountsDifference,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<PackageSummary>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monte_carlo: Option<MonteCarlo>,
    /// Published figures of the forecast beside the model (most hold by construction).
    pub published: Vec<Published>,
    /// How every line the forecast did not publish was derived.
    pub derivations: Vec<Derivation>,
    /// The published accounts before the forecast's first year.
    pub history: Accounts,
    /// The ceiling on government bonds outstanding by year (HK$bn; the latest resolution in
    /// force), behind P(bonds above the borrowing ceiling).
    #[schemars(with = "Vec<Option<f64>>")]
    pub borrowing_ceiling: Vec<f64>,
    pub units: Bilingual,
}

impl Lab {
    /// The projection of a vintage, with a package and risk.
    pub fn project(
        &self,
        req: &ProjectRequest,
        progress: Progress<'_>,
    ) -> Result<Response<Projection>, EngineError> {
        let mc = req
            .monte_carlo
            .as_ref()
            .map(|m| self.check_mc(m))
            .transpose()?;
        let (scenario, extra, package, population, vintage) = match &req.package {
            Some(p) => {
                let e = self
                    .evaluate_package(p, req.vintage.as_deref(), req.population, None, progress)
                    .map_err(|e| {
                        if e.is_internal() || e.field.starts_with("/vintage") {
                            e
                        } else {
                            e.under("/package")
                        }
                    })?;
                let summary = PackageSummary {
                    name: e.result.name.clone(),
                    contributions: e.result.contributions.clone(),
                    totals: e.result.totals.clone(),
                };
                (
                    e.result.scenario,
                    e.extra,
                    Some(summary),
                    e.model.is_some().then_some(req.population),
                    e.result.vintage,
                )
            }
            None => {
                let base = self.baseline(req.vintage.as_deref())?;
                let extra = hkb_fiscal::package::additions(base, &[], &[])?;
                (
                    montecarlo::scenario(base, &extra),
                    extra,
                    None,
                    None,
                    base.vintage.clone(),
                )
            }
        };
        let base = self.baseline(Some(&vintage))?;
        let monte_carlo = match &mc {
            Some(m) if m.paths > 0 => Some(montecarlo::run(base, &extra, self.drivers(), m).0),
            _ => None,
        };
        // The published accounts from 2018-19 to the year before the forecast starts (at least
        // to 2024-25, the last year with an outturn in the data).
        let first = base.accounts.years.first().map_or(2025, |y| y.0);
        let hist = history(self.data(), 2018, first.saturating_sub(1).max(2024))?;
        let n = base.accounts.years.len();
        let difference = AccountsDifference {
            balance: (0..n)
                .map(|t| scenario.balance.values[t] - base.accounts.balance.values[t])
                .collect(),
            reserves: (0..n)
                .map(|t| scenario.reserves.values[t] - base.accounts.reserves.values[t])
                .collect(),
        };
        Ok(Response::new(
            self.provenance(population.as_ref(), Some(&vintage)),
            Projection {
                vintage: vintage.clone(),
                years: base.accounts.years.clone(),
                baseline: base.accounts.clone(),
                borrowing_ceiling: base.borrowing_ceiling.clone(),
                scenario,
                difference,
                package,
                monte_carlo,
                published: base.published.clone(),
                derivations: base.derivations.clone(),
                history: hist,
                units: Bilingual::fixed("HK$bn", "港幣十億元"),
            },
        ))
    }
}
