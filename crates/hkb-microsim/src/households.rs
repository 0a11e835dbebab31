//! Households of earners, for distribution tables by equivalised household income.
//!
//! The earner population is a list of individual earners (each assessed separately). A household
//! here is one earner, or two earners married to each other, with the members who live with them
//! and have no income of their own in the model: a spouse without income (the married person's
//! allowance), children and dependent parents who live with them. Which earners are married to
//! another earner, and to whom, is not in the sources: a share of the earners without the married
//! person's allowance is drawn as married to an earning spouse (from `married_share` and
//! `spouse_without_income_share`), and those are paired at random, a labelled assumption
//! (`households.dual_earner_pairing` in `sources.yaml`; no source on spouses' incomes was found).
//! Children of a couple are the larger of the two records' counts (both records may claim the
//! same children); parents are each earner's own.
//!
//! Households are ranked by household employment income divided by household size raised to
//! `equivalence_exponent` (0.5, the square-root scale). Uprating scales every income by the same
//! factor, so the ranking is the same in every year; only the decile boundaries move with the
//! weights. A couple's records carry their own calibrated weights; the household counts as the
//! mean of its members' weights, while tax sums keep each record's own weight, so the deciles add
//! up to the earner totals exactly.

use crate::persons::Earners;
use crate::sources::Sources;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// No partner.
pub const SINGLE: u32 = u32::MAX;

/// The bit of a decile code that marks the top 1% of households.
pub const TOP1: u8 = 0x80;

/// Households over the earner records (computed from the earners and the seed; not stored).
#[derive(Clone, Debug, Default)]
pub struct Households {
    /// The record's earning spouse, or [`SINGLE`].
    pub partner: Vec<u32>,
    /// Households in ascending order of equivalised income: the index of the household's first
    /// record (its lower index), one entry per household.
    pub order: Vec<u32>,
    /// Equivalised household income at the base-year wage level, HK$, by record.
    pub equivalised: Vec<f64>,
    /// The record's place in a buffer of couples' changes in tax: `2c` for the lower record of
    /// couple `c`, `2c + 1` for the higher, [`SINGLE`] for a single earner.
    pub couple_slot: Vec<u32>,
    /// Each couple's lower record, couple `c` at `c`.
    pub couples: Vec<u32>,
}

/// What a year's deciles by household need besides the tax: the decile codes, each couple's
/// decile and weight, and the households and income of each decile (neither depends on a
/// reform). Computed once per year and cached by the model.
#[derive(Clone, Debug, Default)]
pub struct HouseholdYear {
    /// Each record's household decile (the low bits) and [`TOP1`].
    pub codes: Vec<u8>,
    /// Couple `c`'s decile code.
    pub couple_code: Vec<u8>,
    /// Couple `c`'s weight: the mean of its records' weights.
    pub couple_weight: Vec<f64>,
    /// Households (each record adds half its weight if in a couple, all of it if single) and
    /// weighted employment income in cents, by decile, the top 1% last.
    pub persons_income: [(f64, f64); 11],
    /// The income factor (parts per million) `persons_income` was scaled with: the salaries
    /// pass uses this year only with a view of the same factor.
    pub factor_ppm: i64,
}

impl Households {
    /// Builds the households of `earners` deterministically from their seed.
    pub fn build(src: &Sources, earners: &Earners) -> Households {
        let n = earners.len();
        let h = &src.households;
        let married = h.married_share.value;
        let without = h.spouse_without_income_share.value;
        // P(married to an earner | no married person's allowance).
        let dual = (married * (1.0 - without) / (1.0 - married * without)).clamp(0.0, 1.0);
        let mut rng = ChaCha8Rng::seed_from_u64(earners.seed ^ 0x486f_7573_6568_6f6c);
        let mut candidates: Vec<u32> = (0..n)
            .filter(|&i| !earners.married_allowance[i])
            .filter(|_| rng.random::<f64>() < dual)
            .map(|i| i as u32)
            .collect();
        candidates.shuffle(&mut rng);
        let mut partner = vec![SINGLE; n];
        for pair in candidates.chunks_exact(2) {
            partner[pair[0] as usize] = pair[1];
            partner[pair[1] as usize] = pair[0];
        }
        let exponent = h.equivalence_exponent.value;
        let mut equivalised = vec![0.0; n];
        let mut order = Vec::with_capacity(n);
        for (i, &p) in partner.iter().enumerate() {
            if p != SINGLE && (p as usize) < i {
                continue;
            }
            let members: &[usize] = if p == SINGLE { &[i] } else { &[i, p as usize] };
            let children = members
                .iter()
                .map(|&m| earners.children[m])
                .max()
                .unwrap_or(0);
            let others: u32 = members
                .iter()
                .map(|&m| {
                    u32::from(earners.married_allowance[m]) + u32::from(earners.parents_residing[m])
                })
                .sum();
            let persons = members.len() as u32 + others + u32::from(children);
            let income: f64 = members
                .iter()
                .map(|&m| earners.income[m] as f64 / 100.0)
                .sum();
            let eq = income / f64::from(persons).powf(exponent);
            for &m in members {
                equivalised[m] = eq;
            }
            order.push(i as u32);
        }
        order.sort_by(|&a, &b| {
            equivalised[a as usize]
                .total_cmp(&equivalised[b as usize])
                .then(a.cmp(&b))
        });
        let mut couple_slot = vec![SINGLE; n];
        let mut couples = Vec::new();
        for (i, &p) in partner.iter().enumerate() {
            if p != SINGLE && (p as usize) > i {
                let c = couples.len() as u32;
                couple_slot[i] = 2 * c;
                couple_slot[p as usize] = 2 * c + 1;
                couples.push(i as u32);
            }
        }
        Households {
            partner,
            order,
            equivalised,
            couple_slot,
            couples,
        }
    }

    /// A year's [`HouseholdYear`] under `weights`, incomes scaled by `factor_ppm` as the
    /// salaries pass scales them.
    pub fn year(&self, earners: &Earners, factor_ppm: i64, weights: &[f64]) -> HouseholdYear {
        let codes = self.decile_codes(weights);
        let mut persons_income = [(0.0, 0.0); 11];
        for (i, (&code, &w)) in codes.iter().zip(weights).enumerate() {
            let persons = if self.partner[i] == SINGLE {
                w
            } else {
                w / 2.0
            };
            let income = w * earners.earner_amounts(i, factor_ppm).employment_income as f64;
            let top = if code & TOP1 != 0 { Some(10) } else { None };
            for s in std::iter::once(usize::from(code & 0x0f)).chain(top) {
                persons_income[s].0 += persons;
                persons_income[s].1 += income;
            }
        }
        let couple_code = self.couples.iter().map(|&f| codes[f as usize]).collect();
        let couple_weight = self
            .couples
            .iter()
            .map(|&f| self.weight(f, weights))
            .collect();
        HouseholdYear {
            codes,
            couple_code,
            couple_weight,
            persons_income,
            factor_ppm,
        }
    }

    /// The records of the household that starts at record `first`.
    pub fn members(&self, first: u32) -> impl Iterator<Item = usize> {
        let p = self.partner[first as usize];
        std::iter::once(first as usize).chain((p != SINGLE).then_some(p as usize))
    }

    /// Each record's household decile under `weights` (0 to 9, the low bits) and whether its
    /// household is in the top 1% ([`TOP1`]): households in order of equivalised income, each
    /// where its weight's midpoint falls, as the earner deciles are. One pass; cached per year by
    /// the model.
    pub fn decile_codes(&self, weights: &[f64]) -> Vec<u8> {
        let total: f64 = self.order.iter().map(|&f| self.weight(f, weights)).sum();
        let mut codes = vec![0u8; self.partner.len()];
        let mut cum = 0.0;
        for &f in &self.order {
            let h = self.weight(f, weights);
            let mid = cum + h / 2.0;
            cum += h;
            let d = ((mid / total * 10.0) as u8).min(9);
            let code = d | if mid >= total * 0.99 { TOP1 } else { 0 };
            for m in self.members(f) {
                codes[m] = code;
            }
        }
        codes
    }

    /// The household's weight: the mean of its records' weights.
    pub fn weight(&self, first: u32, weights: &[f64]) -> f64 {
        let (sum, k) = self
            .members(first)
            .fold((0.0, 0.0), |(s, k), m| (s + weights[m], k + 1.0));
        sum / k
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_record_is_in_exactly_one_household() {
        let src = Sources::embedded().unwrap_or_else(|e| panic!("{e}"));
        let e = crate::persons::generate(&src, 5000, 11).unwrap_or_else(|e| panic!("{e}"));
        let h = Households::build(&src, &e);
        let mut seen = vec![0u8; e.len()];
        for &f in &h.order {
            for m in h.members(f) {
                seen[m] += 1;
            }
        }
        assert!(seen.iter().all(|&s| s == 1));
        // Partners point at each other, and couples are a plausible share of the earners.
        let coupled = (0..e.len()).filter(|&i| h.partner[i] != SINGLE).count();
        for i in 0..e.len() {
            if h.partner[i] != SINGLE {
                assert_eq!(h.partner[h.partner[i] as usize], i as u32);
            }
        }
        let share = coupled as f64 / e.len() as f64;
        assert!((0.3..0.5).contains(&share), "{share}");
        // Each couple has its two slots, each single none.
        for (c, &f) in h.couples.iter().enumerate() {
            let p = h.partner[f as usize] as usize;
            assert!(p > f as usize);
            assert_eq!(h.couple_slot[f as usize], 2 * c as u32);
            assert_eq!(h.couple_slot[p], 2 * c as u32 + 1);
        }
        assert_eq!(
            h.couple_slot.iter().filter(|&&s| s == SINGLE).count(),
            e.len() - coupled
        );
        // Ascending equivalised income.
        assert!(
            h.order
                .windows(2)
                .all(|w| h.equivalised[w[0] as usize] <= h.equivalised[w[1] as usize])
        );
    }
}
