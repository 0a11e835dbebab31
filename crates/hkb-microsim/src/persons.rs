//! The earner population: columns of employment income and the household facts that drive
//! deductions and allowances, generated deterministically from a seed and the published wage
//! percentiles, sorted by income (so income deciles are contiguous ranges).

use crate::error::SimError;
use crate::sources::Sources;
use hkb_rules::batch::{AllowanceFacts, Earner};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Earners as columns (struct of arrays). Amounts are cents at the *base* wage level
/// (`base_year`); `uprate` scales them to another year.
#[derive(Clone, Debug, Default)]
pub struct Earners {
    pub base_year: i32,
    pub seed: u64,
    pub income: Vec<i64>,
    pub mpf: Vec<i64>,
    pub donations: Vec<i64>,
    pub married_allowance: Vec<bool>,
    pub children: Vec<u8>,
    pub newborns: Vec<u8>,
    pub parents_residing: Vec<u8>,
    pub parents_not_residing: Vec<u8>,
    /// Design weight before calibration (employment / records).
    pub design_weight: Vec<f64>,
    /// The earners grouped by what their allowances depend on, found on first use (see
    /// [`Earners::allowance_kinds`]); not stored in the population file.
    pub allowance_kinds: OnceLock<Option<AllowanceKinds>>,
}

/// Earners grouped by the facts their allowances depend on (married, children, births,
/// parents): a code per earner and the facts of each code. A run computes each kind's
/// allowances once (a few hundred) and looks them up per earner.
#[derive(Clone, Debug, Default)]
pub struct AllowanceKinds {
    pub code: Vec<u16>,
    pub facts: Vec<AllowanceFacts>,
}

impl AllowanceKinds {
    /// None when there are more kinds than a `u16` code holds (the batch then computes the
    /// allowances of each earner).
    fn of(e: &Earners) -> Option<AllowanceKinds> {
        let mut index: HashMap<AllowanceFacts, u16> = HashMap::new();
        let mut kinds = AllowanceKinds {
            code: Vec::with_capacity(e.len()),
            facts: Vec::new(),
        };
        for i in 0..e.len() {
            let f = e.allowance_facts(i);
            let code = match index.get(&f) {
                Some(&c) => c,
                None => {
                    let c = u16::try_from(kinds.facts.len()).ok()?;
                    index.insert(f, c);
                    kinds.facts.push(f);
                    c
                }
            };
            kinds.code.push(code);
        }
        Some(kinds)
    }
}

impl Earners {
    pub fn len(&self) -> usize {
        self.income.len()
    }
    pub fn is_empty(&self) -> bool {
        self.income.is_empty()
    }

    /// An amount in cents at the base wage level scaled by `factor_ppm` (parts per million;
    /// exact integer arithmetic, floored to the cent).
    #[inline(always)]
    pub fn scale(v: i64, factor_ppm: i64) -> i64 {
        if factor_ppm == 1_000_000 {
            v
        } else {
            v * factor_ppm / 1_000_000
        }
    }

    /// The earners grouped by the facts their allowances depend on, computed once (the columns
    /// must be complete: the result is kept). None if the kinds do not fit a `u16` code, or if
    /// the columns changed length since they were grouped.
    pub fn allowance_kinds(&self) -> Option<&AllowanceKinds> {
        self.allowance_kinds
            .get_or_init(|| AllowanceKinds::of(self))
            .as_ref()
            .filter(|k| k.code.len() == self.len())
    }

    /// One earner as the tax kernel takes it, with amounts scaled by `factor_ppm`.
    #[inline(always)]
    pub fn earner(&self, i: usize, factor_ppm: i64) -> Earner {
        Earner {
            facts: self.allowance_facts(i),
            ..self.earner_amounts(i, factor_ppm)
        }
    }

    /// Earner `i`'s amounts scaled by `factor_ppm`, without the facts the allowances depend on
    /// (left at their defaults): for a kernel given the allowances, which does not read them.
    #[inline(always)]
    pub fn earner_amounts(&self, i: usize, factor_ppm: i64) -> Earner {
        let scale = |v: i64| Self::scale(v, factor_ppm);
        Earner {
            employment_income: scale(self.income[i]),
            mpf_mandatory: scale(self.mpf[i]),
            charitable_donations: scale(self.donations[i]),
            facts: AllowanceFacts::default(),
        }
    }

    /// What earner `i`'s allowances depend on.
    #[inline(always)]
    pub fn allowance_facts(&self, i: usize) -> AllowanceFacts {
        AllowanceFacts {
            married_allowance: self.married_allowance[i],
            children: self.children[i],
            children_born_in_year: self.newborns[i],
            // Assumption (no birth counts by earner in the sources): as many children born the
            // year before as in the year, i.e. births steady over two years.
            children_born_last_year: self.newborns[i],
            parents_60_residing: self.parents_residing[i],
            parents_60_not_residing: self.parents_not_residing[i],
        }
    }
}

/// Monthly wage at quantile `u` of the base-year distribution: log-linear between the published
/// percentiles, log-linear extrapolation of the P10-P25 slope below P10, Pareto above P90.
pub fn wage_at(u: f64, p: &[(f64, f64)], alpha: f64) -> f64 {
    let (u90, w90) = p[p.len() - 1];
    if u >= u90 {
        return w90 * ((1.0 - u90) / (1.0 - u).max(1e-9)).powf(1.0 / alpha);
    }
    let (mut a, mut b) = (p[0], p[1]);
    for w in p.windows(2) {
        if u >= w[0].0 && u <= w[1].0 {
            a = w[0];
            b = w[1];
            break;
        }
    }
    let t = (u - a.0) / (b.0 - a.0);
    (a.1.ln() + t * (b.1.ln() - a.1.ln())).exp()
}

/// Generates `n` earners for `base_year` (the wage level of the latest published percentiles).
pub fn generate(src: &Sources, n: usize, seed: u64) -> Result<Earners, SimError> {
    if n < 1000 {
        return Err(SimError::Input {
            field: "/persons".into(),
            en: format!("at least 1,000 records are needed (asked for {n})"),
            zh: format!("最少需要1,000個紀錄（現為 {n}）"),
        });
    }
    let pct = src
        .wages
        .percentiles
        .iter()
        .max_by_key(|p| p.year)
        .ok_or_else(|| SimError::Data("no wage percentiles".into()))?;
    let points = [
        (0.10, pct.p10),
        (0.25, pct.p25),
        (0.50, pct.p50),
        (0.75, pct.p75),
        (0.90, pct.p90),
    ];
    let alpha = src.wages.pareto_alpha.value;
    let annual = src.wages.annual_factor.value;
    let h = &src.households;
    let m = &src.mpf;
    let employment = src
        .employment
        .iter()
        .max_by_key(|e| e.year)
        .map_or(3.7e6, |e| e.value);
    let design = employment / n as f64;

    // Each record draws from its own RNG stream so generation is parallel and reproducible.
    let rows: Vec<_> = (0..n)
        .into_par_iter()
        .map(|i| {
            let mut rng =
                ChaCha8Rng::seed_from_u64(seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
            // Stratified quantile: one record per 1/n slice keeps the sample sorted by income.
            let u = (i as f64 + rng.random::<f64>()) / n as f64;
            let u = u.clamp(0.01 / n as f64, 1.0 - 0.01 / n as f64);
            let monthly = wage_at(u, &points, alpha);
            let income = (monthly * annual * 100.0).round() as i64;
            let relevant = monthly.clamp(0.0, m.max_relevant_income_monthly.value);
            let mpf = if monthly < m.min_relevant_income_monthly.value {
                0.0
            } else {
                relevant * m.rate.value * 12.0
            };
            let married = rng.random::<f64>() < h.married_share.value;
            let married_allowance =
                married && rng.random::<f64>() < h.spouse_without_income_share.value;
            let mut children = 0u8;
            let mut newborns = 0u8;
            if rng.random::<f64>() < h.children_share.value {
                // 1 or 2 children with the published mean (1.4), occasionally 3.
                let extra = h.children_mean_when_any.value - 1.0;
                children = 1
                    + u8::from(rng.random::<f64>() < extra)
                    + u8::from(rng.random::<f64>() < extra * 0.1);
                for _ in 0..children {
                    newborns += u8::from(rng.random::<f64>() < h.newborn_share_of_children.value);
                }
            }
            let (mut res, mut nonres) = (0u8, 0u8);
            if rng.random::<f64>() < h.dependent_parent_share.value {
                let parents = 1 + u8::from(rng.random::<f64>() < 0.5);
                for _ in 0..parents {
                    if rng.random::<f64>() < h.parent_residing_share.value {
                        res += 1
                    } else {
                        nonres += 1
                    }
                }
            }
            let donations = if rng.random::<f64>() < h.donor_share.value {
                income / 100
            } else {
                0
            };
            (
                income,
                (mpf * 100.0).round() as i64,
                donations,
                married_allowance,
                children,
                newborns,
                res,
                nonres,
            )
        })
        .collect();
    let mut e = Earners {
        base_year: pct.year,
        seed,
        ..Earners::default()
    };
    for (income, mpf, donations, ma, ch, nb, res, nonres) in rows {
        e.income.push(income);
        e.mpf.push(mpf);
        e.donations.push(donations);
        e.married_allowance.push(ma);
        e.children.push(ch);
        e.newborns.push(nb);
        e.parents_residing.push(res);
        e.parents_not_residing.push(nonres);
        e.design_weight.push(design);
    }
    Ok(e)
}
