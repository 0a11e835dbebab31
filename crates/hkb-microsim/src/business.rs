//! Businesses paying profits tax: a lognormal body with a Pareto tail of assessable profits,
//! corporations and unincorporated businesses, each the nominated entity of its group.

use crate::error::SimError;
use crate::sources::Sourced;
use hkb_law::{Money, ProfitsTaxParams};
use hkb_rules::input::Entity;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BusinessTargets {
    pub year: String,
    #[serde(default)]
    pub payers: Option<Sourced>,
    #[serde(default)]
    pub corporations_tax: Option<Sourced>,
    #[serde(default)]
    pub unincorporated_tax: Option<Sourced>,
    /// Profits tax of corporations and unincorporated businesses together, for a financial
    /// year published only as a total.
    #[serde(default)]
    pub total_tax: Option<Sourced>,
    #[serde(default)]
    pub reduction_cost: Option<Sourced>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BusinessSources {
    pub unincorporated_share: Sourced,
    pub profit_median: Sourced,
    pub profit_sigma: Sourced,
    pub tail_alpha: Sourced,
    pub targets: Vec<BusinessTargets>,
}

/// Businesses as columns; profits in cents at the base level (scaled per year by calibration).
#[derive(Clone, Debug, Default)]
pub struct Businesses {
    pub profits: Vec<i64>,
    pub unincorporated: Vec<bool>,
    pub design_weight: Vec<f64>,
}

pub fn generate(src: &BusinessSources, n: usize, seed: u64) -> Result<Businesses, SimError> {
    if n < 1000 {
        return Err(SimError::Input {
            field: "/businesses".into(),
            en: format!("at least 1,000 records are needed (asked for {n})"),
            zh: format!("最少需要1,000個紀錄（現為 {n}）"),
        });
    }
    let median = src.profit_median.value;
    let sigma = src.profit_sigma.value;
    let alpha = src.tail_alpha.value;
    // Pareto above the body's 95th percentile.
    let p95 = median * (1.6449 * sigma).exp();
    let rows: Vec<(i64, bool)> = (0..n)
        .into_par_iter()
        .map(|i| {
            let mut rng = ChaCha8Rng::seed_from_u64(
                seed ^ 0xB5 ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15),
            );
            let profit = if rng.random::<f64>() < 0.95 {
                let z: f64 = StandardNormal.sample(&mut rng);
                (median * (sigma * z).exp()).min(p95)
            } else {
                p95 * (1.0 - rng.random::<f64>()).max(1e-12).powf(-1.0 / alpha)
            };
            (
                (profit * 100.0).round() as i64,
                rng.random::<f64>() < src.unincorporated_share.value,
            )
        })
        .collect();
    let mut b = Businesses::default();
    for (p, u) in rows {
        b.profits.push(p);
        b.unincorporated.push(u);
        b.design_weight.push(1.0);
    }
    Ok(b)
}

/// Profits tax of one business: (before reduction, after reduction), via the exact rules.
#[inline]
pub fn business_tax(profits: i64, unincorporated: bool, p: &ProfitsTaxParams) -> (Money, Money) {
    let entity = if unincorporated {
        Entity::Unincorporated
    } else {
        Entity::Corporation
    };
    let r = hkb_rules::profits_tax(
        Money(profits),
        entity,
        true,
        p,
        &mut hkb_rules::Trace::off(),
    );
    (r.tax_before_reduction, r.tax_payable)
}
