//! The model: generated populations, their per-year calibrated weights, and the checks of every
//! target beside the model's value.

use crate::business::{self, Businesses, business_tax};
use crate::calibrate::{Constraint, calibrate};
use crate::error::SimError;
use crate::persons::{self, Earners};
use crate::sources::{Sourced, Sources};
use hkb_law::{Bilingual, Source, Status};
use hkb_law::{Law, YearOfAssessment, YearParams};
use hkb_rules::batch::earner_tax;
use rayon::prelude::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Sizes and seed of a build.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
pub struct BuildSpec {
    pub persons: usize,
    pub businesses: usize,
    pub seed: u64,
}

impl Default for BuildSpec {
    fn default() -> Self {
        BuildSpec {
            persons: 1_000_000,
            businesses: 200_000,
            seed: 20240228,
        }
    }
}

/// Calibrated weights of one year.
#[derive(Clone, Debug, Default)]
pub struct YearWeights {
    pub earners: Vec<f64>,
    pub businesses: Vec<f64>,
    /// Multiplies base-level business profits for this year.
    pub profit_scale: f64,
    /// Income decile boundaries and the top 1% start under these weights.
    pub decile_index: ([usize; 10], usize),
}

/// How far a year's calibration moved the weights: the largest and smallest ratio of a record's
/// weight to its design weight (earners) or to the year's mean weight (businesses, whose design
/// weights are uniform within a year).
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct WeightSpread {
    pub year: YearOfAssessment,
    pub earners_largest: f64,
    pub earners_smallest: f64,
    pub businesses_largest: f64,
    pub businesses_smallest: f64,
}

#[derive(Clone, Debug)]
pub struct Model {
    pub spec: BuildSpec,
    pub sources: Sources,
    pub earners: Earners,
    pub businesses: Businesses,
    /// Indexed by year of assessment from 2017/18.
    pub years: Vec<YearWeights>,
    /// Rateable tenements, fitted under the law the model was built or loaded with (None only
    /// for a model read by `store::load` alone; a run then fits them itself).
    pub tenements: Option<crate::rates::Tenements>,
    /// Each year's assessed and provisional tax under the baseline law, indexed like `years`,
    /// filled on first use (`collections_of`).
    pub assessed: Vec<std::sync::OnceLock<crate::collections::Assessed>>,
    /// The earners grouped into households, built on first use (`households`).
    pub households: std::sync::OnceLock<crate::households::Households>,
    /// Each year's household deciles (codes, couples, households and income by decile),
    /// indexed like `years`, filled on first use (`household_year`).
    pub household_years: Vec<std::sync::OnceLock<crate::households::HouseholdYear>>,
    /// Reused by the salaries pass's deciles by household.
    pub household_scratch: crate::salaries::ChangeScratch,
    /// The lognormal (mu, sigma) of non-residential prices, fitted on first use under the law
    /// of that first run (`non_residential_price`).
    pub non_residential_price: std::sync::OnceLock<(f64, f64)>,
}

/// Which synthetic population a target belongs to.
#[derive(
    Clone, Copy, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord,
)]
#[serde(rename_all = "snake_case")]
pub enum PopulationKind {
    Earners,
    Businesses,
    Property,
    Stock,
    Tenements,
}

impl PopulationKind {
    pub fn label(self) -> Bilingual {
        match self {
            PopulationKind::Earners => Bilingual::fixed("earners", "受僱人士"),
            PopulationKind::Businesses => Bilingual::fixed("businesses", "企業"),
            PopulationKind::Property => Bilingual::fixed("property deals", "物業交易"),
            PopulationKind::Stock => Bilingual::fixed("stock turnover", "股票成交"),
            PopulationKind::Tenements => Bilingual::fixed("tenements", "差餉物業"),
        }
    }
}

/// What a published figure is to the model.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TargetRole {
    /// A constraint of the weights: the model reproduces it by construction.
    Calibrated,
    /// Not used to fit: the model's error against it is a real test.
    Validation,
}

impl TargetRole {
    pub fn label(self) -> Bilingual {
        match self {
            TargetRole::Calibrated => Bilingual::fixed("calibrated", "校準目標"),
            TargetRole::Validation => Bilingual::fixed("validation", "驗證"),
        }
    }
}

/// One target beside the model's value.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct CheckRow {
    pub population: PopulationKind,
    pub target: Bilingual,
    pub published: f64,
    pub model: f64,
    pub error_pct: f64,
    pub role: TargetRole,
    pub status: Status,
    pub source: Source,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A published figure the model is checked against, not fitted to.
fn out_of_sample(value: f64, status: Status, note: &Option<String>, source: &Source) -> Sourced {
    Sourced {
        value,
        status,
        note: note.clone(),
        source: source.clone(),
        calibrate: false,
    }
}

fn row(population: PopulationKind, target: Bilingual, s: &Sourced, model: f64) -> CheckRow {
    CheckRow {
        population,
        target,
        published: s.value,
        model,
        error_pct: if s.value != 0.0 {
            100.0 * (model - s.value) / s.value
        } else {
            0.0
        },
        role: if s.calibrate {
            TargetRole::Calibrated
        } else {
            TargetRole::Validation
        },
        status: s.status,
        source: s.source.clone(),
        note: s.note.clone(),
    }
}

/// IRD's profits tax collections of a target's financial year: corporations and unincorporated
/// businesses together, or the published total.
pub fn profits_collections(t: &crate::business::BusinessTargets) -> Option<Sourced> {
    if let (Some(c), Some(u)) = (&t.corporations_tax, &t.unincorporated_tax) {
        return Some(Sourced {
            value: c.value + u.value,
            status: if c.status == u.status {
                c.status
            } else {
                Status::Derived
            },
            note: Some(format!(
                "IRD profits tax collections: corporations {:.1}m ({}) and unincorporated businesses {:.1}m ({})",
                c.value / 1e6,
                c.status.as_str(),
                u.value / 1e6,
                u.status.as_str()
            )),
            source: c.source.clone(),
            calibrate: c.calibrate && u.calibrate,
        });
    }
    t.total_tax.clone()
}

/// The last year of assessment the populations cover: the society-wide model needs each year's
/// wage index, employment, deal volumes and turnover, and the sources hold them to 2025/26. (The
/// calculators cover every year of the law.)
pub const LAST_POPULATION_YA: u16 = 2025;

/// The years of assessment the populations cover, oldest first.
pub fn population_years() -> impl Iterator<Item = YearOfAssessment> {
    (hkb_law::period::FIRST_SUPPORTED_YA..=LAST_POPULATION_YA).map(YearOfAssessment)
}

/// The years the populations cover, for messages.
pub fn population_years_list() -> String {
    population_years()
        .map(|y| y.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn year_index(y: YearOfAssessment) -> Result<usize, SimError> {
    if !population_years().any(|x| x == y) {
        return Err(SimError::Input {
            field: "/year".into(),
            en: format!(
                "the society-wide model covers the years of assessment {} (a later year needs its wage index, deal volumes and stock turnover, not yet in the sources)",
                population_years_list()
            ),
            zh: format!(
                "全港模型涵蓋的課稅年度為 {}（較後年度需要當年的工資指數、物業成交量及股票成交額，資料尚未齊備）",
                population_years_list()
            ),
        });
    }
    Ok(usize::from(y.0 - hkb_law::period::FIRST_SUPPORTED_YA))
}

impl Model {
    /// Fits the rateable tenements under `law` (a few tens of milliseconds; not kept in the
    /// population file, since they depend on the law and not on the earners or businesses).
    pub fn fit_tenements(&mut self, law: &Law) -> Result<(), SimError> {
        self.tenements = match &self.sources.rates {
            Some(src) => Some(crate::rates::Tenements::fit(src, law)?),
            None => None,
        };
        Ok(())
    }

    /// The tenements fitted under `law`: those kept in the model, or fitted now.
    pub fn tenements_or_fit(
        &self,
        law: &Law,
    ) -> Result<std::borrow::Cow<'_, crate::rates::Tenements>, SimError> {
        match (&self.tenements, &self.sources.rates) {
            (Some(t), _) => Ok(std::borrow::Cow::Borrowed(t)),
            (None, Some(src)) => Ok(std::borrow::Cow::Owned(crate::rates::Tenements::fit(
                src, law,
            )?)),
            (None, None) => Err(SimError::Data("no rates section".into())),
        }
    }

    /// The earners grouped into households (built once, on first use).
    pub fn households(&self) -> &crate::households::Households {
        self.households
            .get_or_init(|| crate::households::Households::build(&self.sources, &self.earners))
    }

    /// The non-residential price distribution (`property::fit_non_residential`), fitted once;
    /// None where the sources have no non-residential deals.
    pub fn non_residential_price(&self, law: &Law) -> Result<Option<(f64, f64)>, SimError> {
        let Some(ps) = &self.sources.property else {
            return Ok(None);
        };
        let Some(nr) = &ps.non_residential else {
            return Ok(None);
        };
        if let Some(p) = self.non_residential_price.get() {
            return Ok(Some(*p));
        }
        let p = crate::property::fit_non_residential(law, ps, nr)?;
        Ok(Some(*self.non_residential_price.get_or_init(|| p)))
    }

    /// What year `idx`'s deciles by household need (see `Households::year`), cached.
    pub fn household_year(
        &self,
        idx: usize,
    ) -> Result<&crate::households::HouseholdYear, SimError> {
        let (Some(cell), Some(w), Some(y)) = (
            self.household_years.get(idx),
            self.years.get(idx),
            population_years().nth(idx),
        ) else {
            return Err(SimError::Data(format!("no year {idx} in this population")));
        };
        if let Some(h) = cell.get() {
            return Ok(h);
        }
        let factor = self.factor(y)?;
        Ok(cell.get_or_init(|| self.households().year(&self.earners, factor, &w.earners)))
    }

    /// Wage-level factor from the base year to a year of assessment (the median wage of the
    /// calendar year in which the year of assessment starts).
    /// In parts per million, so that uprating is exact integer arithmetic.
    pub fn factor(&self, y: YearOfAssessment) -> Result<i64, SimError> {
        let f = self.sources.median_wage(i32::from(y.0))?
            / self.sources.median_wage(self.earners.base_year)?;
        Ok((f * 1e6).round() as i64)
    }

    /// Generates the populations and calibrates every supported year. `progress(step, done, of)`.
    pub fn build(
        law: &Law,
        spec: BuildSpec,
        progress: &(dyn Fn(&str, u64, u64) + Sync),
    ) -> Result<Model, SimError> {
        let sources = Sources::embedded()?;
        let bsrc = sources
            .businesses
            .clone()
            .ok_or_else(|| SimError::Data("no businesses section".into()))?;
        progress("generating earners", 0, 1);
        let earners = persons::generate(&sources, spec.persons, spec.seed)?;
        progress("generating businesses", 0, 1);
        let businesses = business::generate(&bsrc, spec.businesses, spec.seed)?;
        let mut model = Model {
            spec,
            sources,
            earners,
            businesses,
            years: Vec::new(),
            tenements: None,
            assessed: Vec::new(),
            households: Default::default(),
            household_years: Vec::new(),
            household_scratch: Default::default(),
            non_residential_price: Default::default(),
        };
        let years: Vec<YearOfAssessment> = population_years().collect();
        for (i, y) in years.iter().enumerate() {
            progress(&format!("calibrating {y}"), i as u64, years.len() as u64);
            let w = model.calibrate_year(law, *y, model.years.last())?;
            model.years.push(w);
        }
        progress("fitting rateable tenements", 0, 1);
        model.fit_tenements(law)?;
        model.assessed = model.years.iter().map(|_| Default::default()).collect();
        model.household_years = model.years.iter().map(|_| Default::default()).collect();
        progress("done", years.len() as u64, years.len() as u64);
        Ok(model)
    }

    fn earner_columns(&self, prm: &YearParams, factor: i64) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let n = self.earners.len();
        let rows: Vec<(f64, f64, f64)> = (0..n)
            .into_par_iter()
            .map(|i| {
                let (before, after, _) = earner_tax(&self.earners.earner(i, factor), &prm.salaries);
                (
                    f64::from(u8::from(before.cents() > 0)),
                    after.cents() as f64 / 100.0,
                    (before - after).cents() as f64 / 100.0,
                )
            })
            .collect();
        let mut payer = Vec::with_capacity(n);
        let mut tax = Vec::with_capacity(n);
        let mut red = Vec::with_capacity(n);
        for (a, b, c) in rows {
            payer.push(a);
            tax.push(b);
            red.push(c);
        }
        (payer, tax, red)
    }

    /// Each earner's tax before the one-off reduction at the incomes of `factor` under `prm`
    /// (provisional tax, which no reduction touches).
    fn earner_provisional(&self, prm: &YearParams, factor: i64) -> Vec<f64> {
        (0..self.earners.len())
            .into_par_iter()
            .map(|i| {
                let (before, _, _) = earner_tax(&self.earners.earner(i, factor), &prm.salaries);
                before.cents() as f64 / 100.0
            })
            .collect()
    }

    /// The calibration column and target that make year `y`'s weights reproduce the salaries
    /// tax collected in the next financial year, or None where that year has no published
    /// collections or no law.
    fn collections_column(
        &self,
        law: &Law,
        y: YearOfAssessment,
        prm: &YearParams,
        assessed: &[f64],
        previous: Option<&YearWeights>,
    ) -> Result<Option<(Vec<f64>, f64)>, SimError> {
        let next = YearOfAssessment(y.0 + 1);
        let Some(collected) = self
            .sources
            .targets(&next.to_string())
            .and_then(|t| t.collections.as_ref())
            .filter(|s| s.calibrate)
        else {
            return Ok(None);
        };
        if !next.is_supported() {
            return Ok(None);
        }
        let share = self.sources.first_instalment_share();
        let factor = self.factor(y)?;
        let next_prm = YearParams::resolve(law, next, None)?;
        let provisional_next = self.earner_provisional(&next_prm, factor);
        let last_factor = self.factor(YearOfAssessment(y.0 - 1))?;
        let provisional_this = self.earner_provisional(prm, last_factor);
        Ok(Some(match previous {
            Some(p) => {
                let paid: f64 = p
                    .earners
                    .iter()
                    .zip(&provisional_this)
                    .map(|(w, t)| w * t)
                    .sum();
                (
                    assessed
                        .iter()
                        .zip(&provisional_next)
                        .map(|(a, n)| a + share * n)
                        .collect(),
                    collected.value + share * paid,
                )
            }
            // The first year has no earlier weights: its own stand in for last year's
            // population (at last year's wage level).
            None => (
                assessed
                    .iter()
                    .zip(&provisional_next)
                    .zip(&provisional_this)
                    .map(|((a, n), t)| a + share * (n - t))
                    .collect(),
                collected.value,
            ),
        }))
    }

    /// Calibrates one year's weights to its targets; a year without targets keeps the previous
    /// year's weights (uprated incomes only).
    fn calibrate_year(
        &self,
        law: &Law,
        y: YearOfAssessment,
        previous: Option<&YearWeights>,
    ) -> Result<YearWeights, SimError> {
        let prm = YearParams::resolve(law, y, None)?;
        let factor = self.factor(y)?;
        let ya = y.to_string();
        let employment = self
            .sources
            .employment
            .iter()
            .max_by_key(|e| e.year)
            .map_or(3.7e6, |e| e.value);
        let (payer, tax, red) = self.earner_columns(&prm, factor);
        let ones = vec![1.0; self.earners.len()];
        // The next financial year's collections pin this year's assessed tax through the
        // provisional-tax mapping (see `collections.rs`):
        //   C(FY t+1) = A(t) + s·(P(t+1) − P(t)),
        // where P(t+1) is this year's population taxed under next year's law before any
        // reduction and P(t) is last year's population taxed under this year's law. Moving the
        // terms that depend on this year's weights to the left gives a linear constraint.
        let collected = self.collections_column(law, y, &prm, &tax, previous)?;
        let mut cons = vec![Constraint {
            name: "employment".into(),
            column: &ones,
            target: employment,
        }];
        if let Some((column, target)) = &collected {
            cons.push(Constraint {
                name: "collections_next_fy".into(),
                column,
                target: *target,
            });
        }
        let t = self.sources.targets(&ya);
        if let Some(t) = t {
            if let Some(s) = t.taxpayers_with_tax.as_ref().filter(|s| s.calibrate) {
                cons.push(Constraint {
                    name: "taxpayers_with_tax".into(),
                    column: &payer,
                    target: s.value,
                });
            }
            if let Some(s) = t.reduction_cost.as_ref().filter(|s| s.calibrate) {
                cons.push(Constraint {
                    name: "reduction_cost".into(),
                    column: &red,
                    target: s.value,
                });
            }
        }
        let earners = if cons.len() > 1 || previous.is_none() {
            self.calibrate_weights(&self.earners.design_weight, &cons, &format!("earners {ya}"))?
        } else {
            previous.map(|p| p.earners.clone()).unwrap_or_default()
        };
        let (businesses, profit_scale) = self.calibrate_businesses(law, y, &prm, previous)?;
        let decile_index = crate::salaries::decile_index(&earners);
        Ok(YearWeights {
            earners,
            businesses,
            profit_scale,
            decile_index,
        })
    }

    fn business_columns(&self, prm: &YearParams, scale: f64) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let rows: Vec<(f64, f64, f64)> = (0..self.businesses.profits.len())
            .into_par_iter()
            .map(|i| {
                let p = (self.businesses.profits[i] as f64 * scale).round() as i64;
                let (before, after) =
                    business_tax(p, self.businesses.unincorporated[i], &prm.profits);
                let a = after.cents() as f64 / 100.0;
                let r = (before - after).cents() as f64 / 100.0;
                if self.businesses.unincorporated[i] {
                    (0.0, a, r)
                } else {
                    (a, 0.0, r)
                }
            })
            .collect();
        let mut corp = Vec::with_capacity(rows.len());
        let mut uninc = Vec::with_capacity(rows.len());
        let mut red = Vec::with_capacity(rows.len());
        for (a, b, c) in rows {
            corp.push(a);
            uninc.push(b);
            red.push(c);
        }
        (corp, uninc, red)
    }

    /// Each business's profits tax under `prm` at `scale`: (corporations after the reduction,
    /// unincorporated after it, corporations before it, unincorporated before it); each
    /// record is non-zero in one class only.
    fn business_before_after(&self, prm: &YearParams, scale: f64) -> [Vec<f64>; 4] {
        let (corp, uninc, red) = self.business_columns(prm, scale);
        let before = |after: &[f64], own: bool| -> Vec<f64> {
            after
                .iter()
                .zip(&red)
                .zip(&self.businesses.unincorporated)
                .map(|((a, r), u)| if *u != own { a + r } else { *a })
                .collect()
        };
        let (corp_before, uninc_before) = (before(&corp, true), before(&uninc, false));
        [corp, uninc, corp_before, uninc_before]
    }

    /// Calibrates one year's businesses: a profit scale and weights such that the payers
    /// count holds and the year's assessments, mapped to the next financial year's collections
    /// (see `collections`), reproduce IRD's: C(FY t+1) = A(t) + s·(P(t+1) − P(t)).
    fn calibrate_businesses(
        &self,
        law: &Law,
        y: YearOfAssessment,
        prm: &YearParams,
        previous: Option<&YearWeights>,
    ) -> Result<(Vec<f64>, f64), SimError> {
        let bsrc = self
            .sources
            .businesses
            .as_ref()
            .ok_or_else(|| SimError::Data("no businesses section".into()))?;
        let ya = y.to_string();
        let next = YearOfAssessment(y.0 + 1);
        let find = |ya: &str| bsrc.targets.iter().find(|t| t.year == ya);
        let t = find(&ya);
        // Payers: this year's count, else the nearest year's (assumption, shown in checks).
        let payers = t
            .and_then(|t| t.payers.as_ref())
            .map(|p| p.value)
            .or_else(|| {
                let yr = i32::from(y.0);
                bsrc.targets
                    .iter()
                    .filter_map(|t| {
                        t.payers
                            .as_ref()
                            .map(|p| (t.year[..4].parse::<i32>().unwrap_or(0), p.value))
                    })
                    .min_by_key(|(ty, _)| (ty - yr).abs())
                    .map(|(_, v)| v)
            });
        let collected = find(&next.to_string()).filter(|_| next.is_supported());
        let by_class = collected.and_then(|c| {
            Some((
                c.corporations_tax.as_ref().filter(|s| s.calibrate)?.value,
                c.unincorporated_tax.as_ref().filter(|s| s.calibrate)?.value,
            ))
        });
        let total = collected
            .and_then(|c| c.total_tax.as_ref().filter(|s| s.calibrate))
            .map(|s| s.value);
        let keep = || {
            previous.map_or((self.businesses.design_weight.clone(), 1.0), |p| {
                (p.businesses.clone(), p.profit_scale)
            })
        };
        let Some(payers) = payers else {
            return Ok(keep());
        };
        if by_class.is_none() && total.is_none() {
            return Ok(keep());
        }
        let share = self.sources.first_instalment_share();
        let next_prm = YearParams::resolve(law, next, None)?;
        let n = self.businesses.profits.len();
        let design: Vec<f64> = vec![payers / n as f64; n];
        // Provisional tax for this year, paid on last year's businesses under this year's law
        // (corporations, unincorporated); the first year has only its own businesses, at its
        // own scale, so that term joins the columns instead.
        let paid = match previous {
            Some(p) => {
                let [_, _, cb, ub] = self.business_before_after(prm, p.profit_scale);
                let dot = |a: &[f64]| a.iter().zip(&p.businesses).map(|(x, w)| x * w).sum::<f64>();
                Some((dot(&cb), dot(&ub)))
            }
            None => None,
        };
        // The mapped columns at a scale: this year's assessed tax plus the first instalment of
        // next year's provisional tax (less this year's, in the first year).
        let columns = |scale: f64| -> (Vec<f64>, Vec<f64>) {
            let this = self.business_before_after(prm, scale);
            let [_, _, corp_next, uninc_next] = self.business_before_after(&next_prm, scale);
            let first_year = paid.is_none();
            let mapped = |a: usize, next: &[f64], own: usize| -> Vec<f64> {
                (0..next.len())
                    .map(|i| {
                        let own = if first_year { this[own][i] } else { 0.0 };
                        this[a][i] + share * (next[i] - own)
                    })
                    .collect()
            };
            (mapped(0, &corp_next, 2), mapped(1, &uninc_next, 3))
        };
        let (paid_corp, paid_uninc) = paid.unwrap_or((0.0, 0.0));
        // The scale is fitted to corporations where the classes are published apart, else to
        // the total, with design weights (secant steps); the weights then take up the rest.
        let scale_target = match by_class {
            Some((c, _)) => c + share * paid_corp,
            None => total.unwrap_or(0.0) + share * (paid_corp + paid_uninc),
        };
        let mapped_total = |s: f64| -> f64 {
            let (c, u) = columns(s);
            let c: f64 = c.iter().zip(&design).map(|(t, w)| t * w).sum();
            match by_class {
                Some(_) => c,
                None => c + u.iter().zip(&design).map(|(t, w)| t * w).sum::<f64>(),
            }
        };
        let (mut s0, mut s1) = (1.0, 1.5);
        let (mut f0, mut f1) = (
            mapped_total(s0) - scale_target,
            mapped_total(s1) - scale_target,
        );
        for _ in 0..30 {
            if (f1 - f0).abs() < 1e-9 || (f1 / scale_target).abs() < 1e-6 {
                break;
            }
            let s2 = (s1 - f1 * (s1 - s0) / (f1 - f0)).clamp(0.01, 1000.0);
            s0 = s1;
            f0 = f1;
            s1 = s2;
            f1 = mapped_total(s1) - scale_target;
        }
        let (corp, uninc) = columns(s1);
        let both: Vec<f64> = corp.iter().zip(&uninc).map(|(c, u)| c + u).collect();
        let ones = vec![1.0; n];
        let mut cons = vec![Constraint {
            name: "payers".into(),
            column: &ones,
            target: payers,
        }];
        match by_class {
            Some((c, u)) => {
                cons.push(Constraint {
                    name: "corporations_collections_next_fy".into(),
                    column: &corp,
                    target: c + share * paid_corp,
                });
                cons.push(Constraint {
                    name: "unincorporated_collections_next_fy".into(),
                    column: &uninc,
                    target: u + share * paid_uninc,
                });
            }
            None => cons.push(Constraint {
                name: "profits_collections_next_fy".into(),
                column: &both,
                target: scale_target,
            }),
        }
        Ok((
            self.calibrate_weights(&design, &cons, &format!("businesses {ya}"))?,
            s1,
        ))
    }

    /// The spread of every year's weights (see `WeightSpread`).
    pub fn weight_spread(&self) -> Vec<WeightSpread> {
        let extremes = |ratios: &mut dyn Iterator<Item = f64>| {
            ratios.fold((0.0f64, f64::INFINITY), |(hi, lo), r| {
                (hi.max(r), lo.min(r))
            })
        };
        population_years()
            .zip(&self.years)
            .map(|(year, w)| {
                let (earners_largest, earners_smallest) = extremes(
                    &mut w
                        .earners
                        .iter()
                        .zip(&self.earners.design_weight)
                        .filter(|(_, d)| **d > 0.0)
                        .map(|(w, d)| w / d),
                );
                let mean = w.businesses.iter().sum::<f64>() / w.businesses.len().max(1) as f64;
                let (businesses_largest, businesses_smallest) = if mean > 0.0 {
                    extremes(&mut w.businesses.iter().map(|b| b / mean))
                } else {
                    (0.0, 0.0)
                };
                WeightSpread {
                    year,
                    earners_largest,
                    earners_smallest,
                    businesses_largest,
                    businesses_smallest,
                }
            })
            .collect()
    }

    /// Calibrated weights, within the sources' weight bounds where they set them. A population
    /// too small to meet its targets within them (a few thousand records has too few in the
    /// top tail) widens them step by step, and is left unbounded only where no step has a
    /// solution; `weight_spread` reports how far the weights moved in the end.
    fn calibrate_weights(
        &self,
        design: &[f64],
        cons: &[Constraint<'_>],
        what: &str,
    ) -> Result<Vec<f64>, SimError> {
        let Some(b) = &self.sources.weight_bounds else {
            return calibrate(design, cons, what);
        };
        for widen in [1.0, 2.5, 5.0, 10.0, 25.0] {
            let bounds = crate::calibrate::Bounds {
                lower: b.lower / widen,
                upper: b.upper * widen,
            };
            match crate::calibrate::calibrate_within(design, cons, what, bounds) {
                Ok(w) => return Ok(w),
                Err(SimError::Calibration { .. }) => continue,
                Err(e) => return Err(e),
            }
        }
        calibrate(design, cons, what)
    }

    /// Every target of a year beside the model's value.
    pub fn check(&self, law: &Law, y: YearOfAssessment) -> Result<Vec<CheckRow>, SimError> {
        let idx = year_index(y)?;
        let w = self
            .years
            .get(idx)
            .ok_or_else(|| SimError::Data(format!("year {y} is not in this population")))?;
        let prm = YearParams::resolve(law, y, None)?;
        let ya = y.to_string();
        let fy = i32::from(y.0);
        let factor = self.factor(y)?;
        let (payer, _, red) = self.earner_columns(&prm, factor);
        let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
        let collected = self.collections_of(law, y)?;
        let mut rows = Vec::new();
        if let Some(t) = self.sources.targets(&ya) {
            if let Some(s) = &t.taxpayers_with_tax {
                rows.push(row(
                    PopulationKind::Earners,
                    Bilingual::fixed(
                        "salaries taxpayers with tax > 0 (one-off reduction beneficiaries)",
                        "須繳薪俸稅人數（一次性寬減受惠人數）",
                    ),
                    s,
                    dot(&w.earners, &payer),
                ));
            }
            if let Some(s) = &t.collections
                && let Some(model) = collected.salaries
            {
                rows.push(row(
                    PopulationKind::Earners,
                    Bilingual::fixed(
                        "salaries tax collected in the financial year (last year's final tax after its reduction, and provisional tax)",
                        "財政年度的薪俸稅收入（上一課稅年度寬減後的最終稅款及暫繳稅）",
                    ),
                    s,
                    model,
                ));
            }
            if let Some(s) = &t.reduction_cost {
                rows.push(row(
                    PopulationKind::Earners,
                    Bilingual::fixed(
                        "cost of the one-off reduction (salaries tax)",
                        "一次性寬減的成本（薪俸稅）",
                    ),
                    s,
                    dot(&w.earners, &red),
                ));
            }
            if t.above_5m_net_income.is_some() || t.second_tier_revenue.is_some() {
                let (count, extra) = self.second_tier(&prm, factor, &w.earners);
                if let Some(s) = &t.above_5m_net_income {
                    rows.push(row(
                        PopulationKind::Earners,
                        Bilingual::fixed(
                            "taxpayers on the standard rate with net income above HK$5m",
                            "按標準稅率繳稅而入息淨額超過500萬元的納稅人",
                        ),
                        s,
                        count,
                    ));
                }
                if let Some(s) = &t.second_tier_revenue {
                    rows.push(row(
                        PopulationKind::Earners,
                        Bilingual::fixed(
                            "revenue from the 16% second tier",
                            "16%第二級標準稅率的收入",
                        ),
                        s,
                        extra,
                    ));
                }
            }
        }
        for c in self
            .sources
            .salaries_costings
            .iter()
            .filter(|c| c.year == ya)
        {
            rows.extend(self.costing_rows(law, y, &prm, factor, &w.earners, c)?);
        }
        let validation = |v: &crate::sources::YearValue| Sourced {
            value: v.value,
            status: v.status,
            note: v.note.clone(),
            source: v.source.clone(),
            calibrate: false,
        };
        // Households with an earner against all domestic households (an upper bound: households
        // without an earner are not in the population).
        if let Some(d) = self
            .sources
            .households
            .domestic_households
            .iter()
            .find(|d| d.year == fy)
        {
            let h = self.households();
            let count: f64 = h.order.iter().map(|&f| h.weight(f, &w.earners)).sum();
            rows.push(row(
                PopulationKind::Earners,
                Bilingual::fixed(
                    "households with an earner vs all domestic households (an upper bound: households without an earner are not modelled)",
                    "有受僱人士的住戶對比全部家庭住戶（上限：未有模擬沒有受僱人士的住戶）",
                ),
                &validation(d),
                count,
            ));
        }
        if let Some(b) = self
            .sources
            .businesses
            .as_ref()
            .and_then(|b| b.targets.iter().find(|t| t.year == ya))
        {
            let (_, _, bred) = self.business_columns(&prm, w.profit_scale);
            if let Some(s) = &b.payers {
                rows.push(row(
                    PopulationKind::Businesses,
                    Bilingual::fixed("profits-tax payers with tax > 0", "須繳利得稅的納稅人數"),
                    s,
                    w.businesses.iter().sum(),
                ));
            }
            if let Some(model) = collected.profits
                && let Some(s) = profits_collections(b)
            {
                rows.push(row(
                    PopulationKind::Businesses,
                    Bilingual::fixed(
                        "profits tax collected in the financial year (last year's final tax after its reduction, and provisional tax)",
                        "財政年度的利得稅收入（上一課稅年度寬減後的最終稅款及暫繳稅）",
                    ),
                    &s,
                    model,
                ));
            }
            if let Some(s) = &b.reduction_cost {
                rows.push(row(
                    PopulationKind::Businesses,
                    Bilingual::fixed(
                        "cost of the one-off reduction (profits tax)",
                        "一次性寬減的成本（利得稅）",
                    ),
                    s,
                    dot(&w.businesses, &bred),
                ));
            }
        }
        // Stock duty of the financial year (both sides) at the rate averaged over its months.
        let mut stock_duty = None;
        if let Some(st) = &self.sources.stock
            && let Some(turnover) = st.dutiable_turnover(fy)
        {
            let duty = 2.0 * crate::stock::fy_rate(law, fy, None)? * turnover;
            stock_duty = Some(duty);
            if let Some(rev) = st.duty_revenue.iter().find(|r| r.year == fy) {
                let s = Sourced {
                    calibrate: fy == st.exempt_share_fitted_on,
                    ..validation(rev)
                };
                rows.push(row(
                    PopulationKind::Stock,
                    Bilingual::fixed("stamp duty on stock (both sides)", "股票印花稅（買賣雙方）"),
                    &s,
                    duty,
                ));
            }
        }
        if let Some(ps) = &self.sources.property
            && ps.transactions.iter().any(|t| t.year == fy)
        {
            let out = crate::society::property_outcome(law, self, fy, None, None)?;
            if let Some(res) = ps.non_stock_stamp_duty.iter().find(|r| r.year == fy) {
                rows.push(row(
                    PopulationKind::Property,
                    Bilingual::fixed(
                        "stamp duty on property deals (residential and non-residential) vs all non-stock stamp duty (leases and other instruments are not modelled)",
                        "物業交易印花稅（住宅及非住宅，對比所有非股票印花稅；未有模擬租約及其他文書）",
                    ),
                    &validation(res),
                    out.baseline,
                ));
            }
            if let Some(nr) = &ps.non_residential {
                self.non_residential_checks(law, nr, fy, &out, &mut rows)?;
            }
            if let Some(c) = ps.cooling_revenue.iter().find(|c| c.year == fy)
                && out.residential_transactions > 0.0
            {
                let s = out_of_sample(c.revenue, c.status, &c.note, &c.source);
                rows.push(row(
                    PopulationKind::Property,
                    Bilingual::new(
                        format!(
                            "cooling duties (SSD, BSD, AVD at Part 1 of Scale 1) in {}",
                            c.months
                        ),
                        format!("辣招稅（額外、買家及第1標準第1部從價印花稅），{}", c.months),
                    ),
                    &s,
                    out.cooling_baseline / out.residential_transactions * c.agreements,
                ));
            }
            if let (Some(total), Some(stock)) = (
                ps.total_stamp_duty.iter().find(|t| t.year == fy),
                stock_duty,
            ) {
                rows.push(row(
                    PopulationKind::Property,
                    Bilingual::fixed(
                        "property and stock stamp duty vs all stamp duty (leases and other instruments are not modelled)",
                        "物業及股票印花稅對比全部印花稅（未有模擬租約及其他文書）",
                    ),
                    &validation(total),
                    out.baseline + stock,
                ));
            }
        }
        if let Some(rs) = &self.sources.rates {
            self.rates_checks(law, rs, fy, &mut rows)?;
        }
        Ok(rows)
    }

    /// The rows of a measure the Budget costed (see [`crate::sources::SalariesCosting`]): the
    /// earners whose tax before the one-off reduction is lower under the year's law (`prm`) than
    /// under the law the measure replaced, and the tax they save.
    fn costing_rows(
        &self,
        law: &Law,
        y: YearOfAssessment,
        prm: &YearParams,
        factor: i64,
        weights: &[f64],
        c: &crate::sources::SalariesCosting,
    ) -> Result<Vec<CheckRow>, SimError> {
        let before = hkb_law::Reform::from_spec(
            law,
            "data/population/sources.yaml: salaries_costings",
            c.before.clone(),
        )?;
        let old = YearParams::resolve(law, y, Some(&before))?;
        let (taxpayers, saved) = (0..self.earners.len())
            .into_par_iter()
            .map(|i| {
                let e = self.earners.earner(i, factor);
                let (now, _, _) = earner_tax(&e, &prm.salaries);
                let (then, _, _) = earner_tax(&e, &old.salaries);
                let w = weights.get(i).copied().unwrap_or(0.0);
                let gain = (then - now).cents() as f64 / 100.0;
                (if gain > 0.0 { w } else { 0.0 }, w * gain)
            })
            .reduce(|| (0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
        let figures = [
            (
                &c.taxpayers,
                "taxpayers benefiting",
                "受惠納稅人",
                taxpayers,
            ),
            (
                &c.revenue_forgone,
                "revenue forgone in a year",
                "每年少收的稅款",
                saved,
            ),
        ];
        Ok(figures
            .into_iter()
            .filter_map(|(published, en, zh, model)| {
                let s = published.as_ref()?;
                let target = Bilingual::new(
                    format!("Budget costing, {}: {en}", c.measure.en),
                    format!("財政預算案估算，{}：{zh}", c.measure.zh),
                );
                let s = out_of_sample(s.value, s.status, &s.note, &s.source);
                Some(row(PopulationKind::Earners, target, &s, model))
            })
            .collect())
    }

    /// The non-residential rows of financial year `fy`, from the year's property outcome `out`:
    /// the saving from the abolition of the doubled duty (the price level is fitted to it) and
    /// the doubled duty per case in the months IRD's figures were reported.
    fn non_residential_checks(
        &self,
        law: &Law,
        nr: &crate::property::NonResidentialSources,
        fy: i32,
        out: &crate::property::PropertyOutcome,
        rows: &mut Vec<CheckRow>,
    ) -> Result<(), SimError> {
        let Some(price) = self.non_residential_price(law)? else {
            return Ok(());
        };
        // (deals, baseline duty) of the non-residential row the outcome carries.
        let deals = out
            .by_buyer
            .iter()
            .find(|b| b.0 == crate::property::NON_RESIDENTIAL_ROW)
            .map(|b| (b.1, b.2));
        let a = &nr.dsd_abolition;
        let first_day = a.first_day()?;
        // The financial year the abolition fell in (April to March).
        use chrono::Datelike;
        let abolition_fy = first_day.year() - i32::from(first_day.month() < 4);
        if abolition_fy == fy {
            // The doubled duty the deals after the abolition would have paid, per deal, against
            // the Government's saving per deal.
            let (mu, sigma) = price;
            let mean_price = (mu + sigma * sigma / 2.0).exp();
            let s = Sourced {
                value: a.duty_saved / a.transactions,
                status: hkb_law::Status::Derived,
                note: Some(format!(
                    "DERIVED: HK${:.0}m saved over about {:.0} deals; the level of non-residential prices is fitted to it (mean price HK${:.1}m), with the residential dispersion (assumption)",
                    a.duty_saved / 1e6,
                    a.transactions,
                    mean_price / 1e6
                )),
                source: a.source.clone(),
                calibrate: true,
            };
            let saved = crate::property::non_residential_saving(law, a, price)?;
            rows.push(row(
                PopulationKind::Property,
                Bilingual::new(
                    format!(
                        "non-residential deals: doubled duty saved per deal by its abolition ({first_day})"
                    ),
                    format!("非住宅交易：取消雙倍從價印花稅後每宗交易節省的稅款（{first_day}）"),
                ),
                &s,
                saved,
            ));
        }
        if let Some(c) = nr.dsd_check.as_ref().filter(|c| c.year == fy)
            && let Some((count, duty)) = deals.filter(|d| d.0 > 0.0)
            && c.cases > 0.0
        {
            let s = out_of_sample(c.duty / c.cases, c.status, &c.note, &c.source);
            rows.push(row(
                PopulationKind::Property,
                Bilingual::new(
                    format!(
                        "non-residential deals: doubled ad valorem duty per case, {} (the year's average deal)",
                        c.months
                    ),
                    format!("非住宅交易：每宗雙倍從價印花稅，{}（該年平均交易）", c.months),
                ),
                &s,
                duty / count,
            ));
        }
        Ok(())
    }

    /// The rates rows of financial year `fy`: concession costs and counts (fitted or checked),
    /// the progressive scale, and rates revenue.
    fn rates_checks(
        &self,
        law: &Law,
        rs: &crate::rates::RatesSources,
        fy: i32,
        rows: &mut Vec<CheckRow>,
    ) -> Result<(), SimError> {
        use crate::rates::{self, RatesClass};
        if !rs.tenements.iter().any(|t| t.year == fy) {
            return Ok(());
        }
        let tenements = self.tenements_or_fit(law)?;
        let class_text = |c: RatesClass| match c {
            RatesClass::Domestic => ("domestic", "住宅"),
            RatesClass::NonDomestic => ("non-domestic", "非住宅"),
            RatesClass::All => ("all", "全部"),
        };
        let caps_text = |caps: &[f64; 4]| {
            if caps.iter().all(|c| *c == caps[0]) {
                format!("{:.0} x4", caps[0])
            } else {
                caps.iter()
                    .map(|c| format!("{c:.0}"))
                    .collect::<Vec<_>>()
                    .join("/")
            }
        };
        let caps_zh = |caps: &[f64; 4]| {
            if caps.iter().all(|c| *c == caps[0]) {
                format!("每季上限 {:.0} 元，共四季", caps[0])
            } else {
                format!("各季上限 {} 元", caps_text(caps))
            }
        };
        for c in rs.concession_costs.iter().filter(|c| c.year == fy) {
            let (en, zh) = class_text(c.class);
            let over = if c.less.iter().any(|x| *x > 0.0) {
                format!(" over {}", caps_text(&c.less))
            } else {
                String::new()
            };
            let over_zh = if c.less.iter().any(|x| *x > 0.0) {
                format!("，相對 {} 元", caps_text(&c.less))
            } else {
                String::new()
            };
            let s = Sourced {
                value: c.value,
                status: c.status,
                note: c.note.clone(),
                source: c.source.clone(),
                calibrate: c.calibrate,
            };
            rows.push(row(
                PopulationKind::Tenements,
                Bilingual::new(
                    format!(
                        "concession cost, {en} tenements (HK${} a quarter{over})",
                        caps_text(&c.caps)
                    ),
                    format!("差餉寬減成本，{zh}物業（{}{over_zh}）", caps_zh(&c.caps)),
                ),
                &s,
                rates::modelled_concession(&tenements, rs, c)?,
            ));
        }
        for a in rs.above_counts.iter().filter(|a| a.year == fy) {
            let (en, zh) = class_text(a.class);
            let s = Sourced {
                value: a.value,
                status: a.status,
                note: a.note.clone(),
                source: a.source.clone(),
                calibrate: a.calibrate,
            };
            rows.push(row(
                PopulationKind::Tenements,
                Bilingual::new(
                    format!(
                        "{en} tenements with a quarter's rates above HK${:.0}",
                        a.quarterly_rates_above
                    ),
                    format!("每季差餉超過 {:.0} 元的{zh}物業", a.quarterly_rates_above),
                ),
                &s,
                rates::modelled_above(
                    &tenements,
                    rs,
                    fy,
                    a.class,
                    a.quarterly_rates_above * 4.0 / 0.05,
                )?,
            ));
        }
        let lp = &rs.let_property;
        let collected = lp.collections.iter().find(|r| r.year == fy);
        if collected.is_some() || lp.returns.year == fy {
            let share = rates::let_share(law, rs, &tenements, fy)?;
            let ya = YearOfAssessment(
                u16::try_from(fy).map_err(|_| SimError::Data(format!("year {fy} out of range")))?,
            );
            let prm = YearParams::resolve(law, ya, None)?.property;
            let out = rates::property_tax_run(rs, &tenements, fy, share, &prm, None)?;
            let sourced = |v: &crate::sources::YearValue, calibrate: bool| Sourced {
                value: v.value,
                status: v.status,
                note: v.note.clone(),
                source: v.source.clone(),
                calibrate,
            };
            if let Some(c) = collected {
                rows.push(row(
                    PopulationKind::Tenements,
                    Bilingual::fixed(
                        "property tax (the share of tenements let is solved from it)",
                        "物業稅（出租物業比例按此推算）",
                    ),
                    &sourced(c, true),
                    out.baseline,
                ));
            }
            if lp.returns.year == fy {
                rows.push(row(
                    PopulationKind::Tenements,
                    Bilingual::fixed(
                        "tenements let by owners liable to property tax vs property tax returns issued",
                        "由須繳物業稅業主出租的物業對比發出的物業稅報稅表",
                    ),
                    &sourced(&lp.returns, false),
                    out.payers,
                ));
            }
        }
        let top = &rs.domestic_top;
        if top.count_year == fy {
            rows.push(row(
                PopulationKind::Tenements,
                Bilingual::new(
                    format!(
                        "domestic tenements with rateable value above HK${:.0}",
                        top.threshold
                    ),
                    format!("應課差餉租值超過 {:.0} 元的住宅物業", top.threshold),
                ),
                &top.count,
                rates::modelled_above(&tenements, rs, fy, RatesClass::Domestic, top.threshold)?,
            ));
        }
        let need_run = top.extra_revenue_year == fy
            || rs.revenue.iter().any(|r| r.year == fy)
            || rs.revenue_share.year == fy;
        if !need_run {
            return Ok(());
        }
        let out = rates::run(law, rs, &tenements, fy, None)?;
        let revenue = out[0].baseline + out[1].baseline;
        if top.extra_revenue_year == fy {
            rows.push(row(
                PopulationKind::Tenements,
                Bilingual::fixed(
                    "extra domestic rates from the progressive scale in a full year",
                    "累進差餉全年帶來的額外住宅差餉",
                ),
                &top.extra_revenue,
                rates::progressive_extra(law, rs, &tenements, fy)?,
            ));
        }
        if let Some(r) = rs.revenue.iter().find(|r| r.year == fy) {
            let s = Sourced {
                value: r.value,
                status: r.status,
                note: r.note.clone(),
                source: r.source.clone(),
                calibrate: fy == rs.revenue_fitted_on,
            };
            rows.push(row(
                PopulationKind::Tenements,
                Bilingual::fixed("rates revenue (after concessions)", "差餉收入（寬減後）"),
                &s,
                revenue,
            ));
        }
        let share = &rs.revenue_share;
        if share.year == fy {
            let s = Sourced {
                value: (share.low + share.high) / 2.0 * share.total_revenue,
                status: share.status,
                note: share.note.clone(),
                source: share.source.clone(),
                calibrate: false,
            };
            rows.push(row(
                PopulationKind::Tenements,
                Bilingual::new(
                    format!(
                        "rates revenue vs {:.0}% to {:.0}% of total government revenue (midpoint)",
                        share.low * 100.0,
                        share.high * 100.0
                    ),
                    format!(
                        "差餉收入對比政府總收入的 {:.0}% 至 {:.0}%（中位）",
                        share.low * 100.0,
                        share.high * 100.0
                    ),
                ),
                &s,
                revenue,
            ));
        }
        Ok(())
    }

    /// Weighted count of earners on the standard rate with net income above the first tier,
    /// and the revenue from the tiers above the first.
    fn second_tier(&self, prm: &YearParams, factor: i64, w: &[f64]) -> (f64, f64) {
        let Some(limit) = prm.salaries.standard.first().and_then(|t| t.upto) else {
            return (0.0, 0.0);
        };
        let first_rate = prm.salaries.standard[0].rate;
        (0..self.earners.len())
            .into_par_iter()
            .map(|i| {
                let e = self.earners.earner(i, factor);
                let (before, _, mtr) = earner_tax(&e, &prm.salaries);
                let ni = hkb_law::Money(
                    e.employment_income - e.mpf_mandatory.min(prm.salaries.mpf.cents()),
                );
                if ni > limit && mtr > first_rate && before.cents() > 0 {
                    let extra = (ni - limit)
                        .times(hkb_law::Rate(mtr.0 - first_rate.0))
                        .to_f64();
                    (w[i], w[i] * extra)
                } else {
                    (0.0, 0.0)
                }
            })
            .collect::<Vec<(f64, f64)>>()
            .into_iter()
            .fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1))
    }
}
