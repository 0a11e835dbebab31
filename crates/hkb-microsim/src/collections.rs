//! Collections in a financial year from the tax assessed for years of assessment.
//!
//! The model computes the tax assessed for a year of assessment; IRD and the Budget publish what
//! is collected in a financial year. Salaries and profits tax reach the Treasury a year late and
//! in instalments: the financial year t+1 (April t+1 to March t+2) collects year of assessment
//! t's final tax after its one-off reduction, less the provisional tax already paid for t, plus
//! the first instalment of provisional tax for t+1 (a share `s` of it; the rest falls in FY
//! t+2). Provisional tax for a year is the tax, before any reduction, on the previous year's
//! income under the year's own law. So
//!
//! ```text
//! C(FY t+1) = A(t) + s·(P(t+1) − P(t))
//! ```
//!
//! with A the tax assessed after the reduction and P provisional tax. Earner weights, business
//! weights and the profit scale are calibrated through this identity (`Model::build`), so the
//! collections rows hold by construction.

use crate::business::business_tax;
use crate::error::SimError;
use crate::model::{Model, year_index};
use hkb_law::{Law, YearOfAssessment, YearParams};
use hkb_rules::batch::earner_tax;
use rayon::prelude::*;

/// Tax collected in one financial year under the baseline law, as the model maps it from
/// assessments. None where the year before is outside the population (FY2017-18 needs the
/// assessment of YA 2016/17, before the law tree starts).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FyCollections {
    pub salaries: Option<f64>,
    pub profits: Option<f64>,
}

/// What one year of assessment contributes to collections under the baseline law.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Assessed {
    /// Salaries tax assessed after the one-off reduction.
    pub salaries: f64,
    /// Provisional salaries tax for the year: last year's earners under this year's law.
    pub salaries_provisional: f64,
    /// Profits tax assessed after the one-off reduction (corporations and unincorporated).
    pub profits: f64,
    /// Provisional profits tax for the year: last year's businesses under this year's law.
    pub profits_provisional: f64,
}

impl Model {
    /// Assessed and provisional tax of the year at `idx` (from 2017/18). The first year has no
    /// earlier weights: its own weights, at the previous year's wage level (earners) or at its
    /// own profit scale (businesses), stand in for last year's population.
    pub fn assessed(&self, law: &Law, idx: usize) -> Result<Assessed, SimError> {
        let y = YearOfAssessment(hkb_law::period::FIRST_SUPPORTED_YA + idx as u16);
        let w = self
            .years
            .get(idx)
            .ok_or_else(|| SimError::Data(format!("year {y} is not in this population")))?;
        let last = if idx == 0 { w } else { &self.years[idx - 1] };
        let prm = YearParams::resolve(law, y, None)?;
        let factor = self.factor(y)?;
        let last_factor = self.factor(YearOfAssessment(y.0 - 1))?;
        let (salaries, salaries_provisional) = (0..self.earners.len())
            .into_par_iter()
            .map(|i| {
                let (_, after, _) = earner_tax(&self.earners.earner(i, factor), &prm.salaries);
                let (before, _, _) =
                    earner_tax(&self.earners.earner(i, last_factor), &prm.salaries);
                (
                    w.earners[i] * after.cents() as f64 / 100.0,
                    last.earners[i] * before.cents() as f64 / 100.0,
                )
            })
            .reduce(|| (0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
        let (profits, profits_provisional) = (0..self.businesses.profits.len())
            .into_par_iter()
            .map(|i| {
                let base = self.businesses.profits[i] as f64;
                let unincorporated = self.businesses.unincorporated[i];
                let (_, after) = business_tax(
                    (base * w.profit_scale).round() as i64,
                    unincorporated,
                    &prm.profits,
                );
                let (before, _) = business_tax(
                    (base * last.profit_scale).round() as i64,
                    unincorporated,
                    &prm.profits,
                );
                (
                    w.businesses[i] * after.cents() as f64 / 100.0,
                    last.businesses[i] * before.cents() as f64 / 100.0,
                )
            })
            .reduce(|| (0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
        Ok(Assessed {
            salaries,
            salaries_provisional,
            profits,
            profits_provisional,
        })
    }

    /// The year's assessed and provisional tax, kept after the first call (they depend on the
    /// law, so they are not in the population file; a model is used with the law it was built
    /// or loaded with, as for the tenements).
    fn assessed_kept(&self, law: &Law, idx: usize) -> Result<Assessed, SimError> {
        if let Some(a) = self.assessed.get(idx).and_then(|c| c.get()) {
            return Ok(*a);
        }
        let a = self.assessed(law, idx)?;
        if let Some(cell) = self.assessed.get(idx) {
            // Another thread may have set it first, with the same value.
            let _ = cell.set(a);
        }
        Ok(a)
    }

    /// The collections of the financial year with the label of `y` under the baseline law
    /// (four passes over the earners the first time a year or its neighbour is asked for).
    pub fn collections_of(
        &self,
        law: &Law,
        y: YearOfAssessment,
    ) -> Result<FyCollections, SimError> {
        let idx = year_index(y)?;
        if idx == 0 {
            return Ok(FyCollections::default());
        }
        let assessed = [
            self.assessed_kept(law, idx - 1)?,
            self.assessed_kept(law, idx)?,
        ];
        Ok(map_collections(&assessed, self.sources.first_instalment_share())[1])
    }
}

/// `C(FY t) = A(t−1) + s·(P(t) − P(t−1))` for consecutive years of assessment; the first
/// financial year has no year before it.
pub fn map_collections(assessed: &[Assessed], share: f64) -> Vec<FyCollections> {
    if assessed.is_empty() {
        return Vec::new();
    }
    let mut out = vec![FyCollections::default()];
    for pair in assessed.windows(2) {
        let (last, this) = (pair[0], pair[1]);
        out.push(FyCollections {
            salaries: Some(
                last.salaries + share * (this.salaries_provisional - last.salaries_provisional),
            ),
            profits: Some(
                last.profits + share * (this.profits_provisional - last.profits_provisional),
            ),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A steady state (no growth, no reduction) collects what it assesses.
    #[test]
    fn a_steady_state_collects_what_it_assesses() {
        let a = Assessed {
            salaries: 100.0,
            salaries_provisional: 100.0,
            profits: 50.0,
            profits_provisional: 50.0,
        };
        let c = map_collections(&[a, a, a], 0.75);
        assert_eq!(c.len(), 3);
        assert_eq!(c[0], FyCollections::default());
        assert_eq!(c[1].salaries, Some(100.0));
        assert_eq!(c[2].profits, Some(50.0));
    }

    /// A one-off reduction granted for YA t is collected (as lower final tax) in FY t+1 in full,
    /// whatever the instalment share.
    #[test]
    fn a_reduction_lands_in_the_next_financial_year() {
        let before = Assessed {
            salaries: 100.0,
            salaries_provisional: 100.0,
            ..Default::default()
        };
        let reduced = Assessed {
            salaries: 80.0,
            ..before
        };
        for share in [0.0, 0.5, 0.75, 1.0] {
            let c = map_collections(&[before, reduced, before], share);
            assert_eq!(c[1].salaries, Some(100.0));
            assert_eq!(c[2].salaries, Some(80.0));
        }
    }

    /// Growth in provisional tax brings the first instalment's share of it forward.
    #[test]
    fn provisional_growth_is_collected_at_the_first_instalment_share() {
        let y0 = Assessed {
            salaries: 100.0,
            salaries_provisional: 90.0,
            ..Default::default()
        };
        let y1 = Assessed {
            salaries: 110.0,
            salaries_provisional: 100.0,
            ..Default::default()
        };
        let c = map_collections(&[y0, y1], 0.75);
        assert_eq!(c[1].salaries, Some(100.0 + 0.75 * 10.0));
    }
}
