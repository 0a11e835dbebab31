//! Rateable tenements: domestic and non-domestic tenements with rateable values, fitted to what
//! the Government published about the Valuation List, and their rates for a financial year under
//! any law.
//!
//! The Rating and Valuation Department's distribution of rateable values was not found. What was
//! published are the costs of past rates concessions — each a sum over the Valuation List of
//! min(quarter's rates, cap), so each is a point on the distribution below its cap — the count of
//! domestic tenements above the progressive threshold and what the progressive scale adds, and
//! the rates revenue of one year. Each class is a lognormal below a threshold spliced to a Pareto
//! tail above it:
//!
//! * the lognormal (μ, σ) of each class is fitted by least squares to the concession costs marked
//!   `calibrate` (non-domestic first, then domestic, since the all-property figure needs both);
//! * the domestic tail holds the published count above HK$550,000 and its index is solved from
//!   the progressive scale's extra revenue;
//! * the non-domestic tail starts where the concessions stop informing (a HK$5,000 cap a quarter,
//!   HK$400,000 a year) with the lognormal's own mass, and its index is solved from the rates
//!   revenue of `revenue_fitted_on`.
//!
//! Records sit at fixed quantiles (not random draws), so the same inputs give the same tenements.

use crate::error::SimError;
use crate::sources::{Sourced, YearValue, published};
use hkb_law::{FinancialYear, Law, Money, Reform, Source, Status};
use hkb_law::{PropertyTaxParams, RatesParams};
use hkb_rules::rates::{RatesYear, quarter_rates};
use serde::{Deserialize, Serialize};

/// Records per class below and above the splice.
const BODY_RECORDS: usize = 16_000;
const TAIL_RECORDS: usize = 4_000;

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RatesClass {
    Domestic,
    NonDomestic,
    /// Both classes together (the concessions before 2020-21 were announced for all properties).
    All,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TenementCount {
    pub year: i32,
    pub domestic: f64,
    pub non_domestic: f64,
    #[serde(default = "published")]
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub source: Source,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Revaluation {
    pub year: i32,
    pub domestic: f64,
    pub non_domestic: f64,
    #[serde(default = "published")]
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub source: Source,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ConcessionCost {
    pub year: i32,
    pub class: RatesClass,
    /// The cap per tenement for each quarter (HK$).
    pub caps: [f64; 4],
    /// A concession the figure is measured over (an enhancement's cost), HK$ per quarter.
    #[serde(default)]
    pub less: [f64; 4],
    pub value: f64,
    #[serde(default = "published")]
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub source: Source,
    #[serde(default = "yes")]
    pub calibrate: bool,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AboveCount {
    pub year: i32,
    pub class: RatesClass,
    pub quarterly_rates_above: f64,
    pub value: f64,
    #[serde(default = "published")]
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub source: Source,
    #[serde(default = "yes")]
    pub calibrate: bool,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DomesticTop {
    /// Rateable value where the progressive scale starts (HK$).
    pub threshold: f64,
    pub count_year: i32,
    pub count: Sourced,
    pub extra_revenue_year: i32,
    pub extra_revenue: Sourced,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RevenueShare {
    pub year: i32,
    pub low: f64,
    pub high: f64,
    pub total_revenue: f64,
    #[serde(default = "published")]
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub source: Source,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RatesSources {
    pub tenements: Vec<TenementCount>,
    pub revaluation_base_year: i32,
    pub revaluation: Vec<Revaluation>,
    pub concession_costs: Vec<ConcessionCost>,
    pub above_counts: Vec<AboveCount>,
    pub domestic_top: DomesticTop,
    pub non_domestic_top_threshold: Sourced,
    pub revenue_fitted_on: i32,
    pub revenue: Vec<YearValue>,
    pub revenue_share: RevenueShare,
    pub let_property: LetProperty,
}

/// Tenements let by owners liable to property tax: IRD's collections by financial year (each
/// year's share of tenements let is solved from them) and the returns issued, a check.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LetProperty {
    pub collections: Vec<YearValue>,
    pub returns: YearValue,
}

fn yes() -> bool {
    true
}

impl RatesSources {
    /// Tenements of a class in the financial year starting in `fy`.
    pub fn count(&self, domestic: bool, fy: i32) -> Result<f64, SimError> {
        self.tenements
            .iter()
            .find(|t| t.year == fy)
            .map(|t| if domestic { t.domestic } else { t.non_domestic })
            .ok_or_else(|| SimError::Data(format!("no count of rateable tenements for {fy}")))
    }

    /// Rateable values of FY `fy` relative to the base year's, from the general revaluations
    /// between them (a year without a figure keeps the values of the year before).
    pub fn level(&self, domestic: bool, fy: i32) -> f64 {
        let change = |y: i32| {
            self.revaluation
                .iter()
                .find(|r| r.year == y)
                .map_or(0.0, |r| if domestic { r.domestic } else { r.non_domestic })
        };
        let base = self.revaluation_base_year;
        if fy >= base {
            ((base + 1)..=fy).map(|y| 1.0 + change(y)).product()
        } else {
            1.0 / ((fy + 1)..=base).map(|y| 1.0 + change(y)).product::<f64>()
        }
    }
}

/// The standard normal distribution function.
fn phi(x: f64) -> f64 {
    0.5 * libm::erfc(-x / std::f64::consts::SQRT_2)
}

/// Its inverse (Acklam's rational approximation, relative error below 1.2e-9), for 0 < p < 1.
fn inverse_phi(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let low = 0.024_25;
    if p < low {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - low {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -inverse_phi(1.0 - p)
    }
}

/// One class's distribution of rateable values at the base year's level: a lognormal (μ, σ)
/// below `threshold`, holding 1 − `tail_share` of the tenements, and a Pareto tail with index
/// `alpha` above it.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq)]
pub struct Shape {
    pub mu: f64,
    pub sigma: f64,
    pub threshold: f64,
    pub tail_share: f64,
    pub alpha: f64,
}

impl Shape {
    fn lognormal_cdf(&self, x: f64) -> f64 {
        if x <= 0.0 {
            0.0
        } else {
            phi((x.ln() - self.mu) / self.sigma)
        }
    }
    /// ∫₀ˣ t f(t) dt for the (untruncated) lognormal.
    fn lognormal_partial_mean(&self, x: f64) -> f64 {
        if x <= 0.0 {
            return 0.0;
        }
        (self.mu + self.sigma * self.sigma / 2.0).exp()
            * phi((x.ln() - self.mu - self.sigma * self.sigma) / self.sigma)
    }
    /// Scale of the lognormal density below the threshold.
    fn body_scale(&self) -> f64 {
        let f = self.lognormal_cdf(self.threshold);
        if f > 0.0 {
            (1.0 - self.tail_share) / f
        } else {
            0.0
        }
    }
    /// E[min(X, a)] for a rateable value X of this shape.
    pub fn mean_min(&self, a: f64) -> f64 {
        if a <= 0.0 {
            return 0.0;
        }
        let s = self.body_scale();
        let t = self.threshold;
        if a <= t {
            s * (self.lognormal_partial_mean(a)
                + a * (self.lognormal_cdf(t) - self.lognormal_cdf(a)))
                + self.tail_share * a
        } else {
            // Pareto part: E[min(X, a) | X > t] = t + ∫ₜᵃ (t/x)^α dx.
            let al = self.alpha;
            let pareto = if (al - 1.0).abs() < 1e-9 {
                t + t * (a / t).ln()
            } else {
                t + t.powf(al) * (a.powf(1.0 - al) - t.powf(1.0 - al)) / (1.0 - al)
            };
            s * self.lognormal_partial_mean(t) + self.tail_share * pareto
        }
    }
    /// P(X > a).
    pub fn above(&self, a: f64) -> f64 {
        if a < self.threshold {
            self.body_scale() * (self.lognormal_cdf(self.threshold) - self.lognormal_cdf(a))
                + self.tail_share
        } else {
            self.tail_share * (self.threshold / a).powf(self.alpha)
        }
    }
    /// Rateable values at fixed quantiles, with each record's share of the class.
    fn records(&self) -> (Vec<f64>, Vec<f64>) {
        let (mut values, mut shares) = self.body_records();
        let (tv, ts) = self.tail_records();
        values.extend(tv);
        shares.extend(ts);
        (values, shares)
    }
    /// The lognormal part's records (they do not depend on the tail index).
    fn body_records(&self) -> (Vec<f64>, Vec<f64>) {
        let f = self.lognormal_cdf(self.threshold);
        let share = (1.0 - self.tail_share) / BODY_RECORDS as f64;
        (0..BODY_RECORDS)
            .map(|i| {
                let u = (i as f64 + 0.5) / BODY_RECORDS as f64 * f;
                ((self.mu + self.sigma * inverse_phi(u)).exp(), share)
            })
            .unzip()
    }
    fn tail_records(&self) -> (Vec<f64>, Vec<f64>) {
        let share = self.tail_share / TAIL_RECORDS as f64;
        (0..TAIL_RECORDS)
            .map(|j| {
                let v = (j as f64 + 0.5) / TAIL_RECORDS as f64;
                (self.threshold * (1.0 - v).powf(-1.0 / self.alpha), share)
            })
            .unzip()
    }
}

/// The fitted distributions and their records at the base year's level.
#[derive(Clone, Debug)]
pub struct Tenements {
    pub domestic_shape: Shape,
    pub non_domestic_shape: Shape,
    /// Rateable value at the base year's level (HK$).
    pub base_value: Vec<f64>,
    pub domestic: Vec<bool>,
    /// The record's share of its class (each class's shares sum to 1).
    pub share: Vec<f64>,
}

/// One year's tenements: rateable values at that year's level and weights at that year's count.
#[derive(Clone, Debug)]
pub struct YearTenements {
    pub rateable_value: Vec<Money>,
    pub domestic: Vec<bool>,
    pub weight: Vec<f64>,
}

/// Quarter's rates at 5% per HK$ of rateable value: the percentage charge below the progressive
/// scale, which every concession cost before 2025 was measured under.
const FLAT_RATE: f64 = 0.05;

/// The modelled cost of a concession of `caps` (over `less`) for a class at year `fy`.
fn concession_cost(
    src: &RatesSources,
    dom: &Shape,
    nd: &Shape,
    c: &ConcessionCost,
) -> Result<f64, SimError> {
    let class_cost = |domestic: bool, shape: &Shape| -> Result<f64, SimError> {
        // min(q, cap) with q = RV × level × 5% / 4  ⇒  k · min(RV, cap / k), k = level × 5% / 4.
        let k = src.level(domestic, c.year) * FLAT_RATE / 4.0;
        let per_tenement: f64 = (0..4)
            .map(|q| k * (shape.mean_min(c.caps[q] / k) - shape.mean_min(c.less[q] / k)))
            .sum();
        Ok(per_tenement * src.count(domestic, c.year)?)
    };
    Ok(match c.class {
        RatesClass::Domestic => class_cost(true, dom)?,
        RatesClass::NonDomestic => class_cost(false, nd)?,
        RatesClass::All => class_cost(true, dom)? + class_cost(false, nd)?,
    })
}

/// Least squares in (μ, σ) on a grid refined three times: robust, deterministic and fast enough
/// (the objective is a few closed-form terms).
fn fit_lognormal(objective: impl Fn(f64, f64) -> f64) -> (f64, f64) {
    let (mut mu_lo, mut mu_hi, mut s_lo, mut s_hi) = (8.0, 16.0, 0.1, 3.0);
    let mut best = (f64::INFINITY, 12.0, 1.0);
    for _ in 0..5 {
        let steps = 40;
        for i in 0..=steps {
            let mu = mu_lo + (mu_hi - mu_lo) * i as f64 / steps as f64;
            for j in 0..=steps {
                let s = s_lo + (s_hi - s_lo) * j as f64 / steps as f64;
                let e = objective(mu, s);
                if e.is_finite() && e < best.0 {
                    best = (e, mu, s);
                }
            }
        }
        let (dm, ds) = ((mu_hi - mu_lo) / 10.0, (s_hi - s_lo) / 10.0);
        (mu_lo, mu_hi) = (best.1 - dm, best.1 + dm);
        (s_lo, s_hi) = ((best.2 - ds).max(0.01), best.2 + ds);
    }
    (best.1, best.2)
}

/// Bisection for a tail index in [1.05, 20] making `f(α)` (decreasing in α) equal `target`.
fn solve_alpha(target: f64, f: impl Fn(f64) -> Result<f64, SimError>) -> Result<f64, SimError> {
    let (mut lo, mut hi) = (1.05f64, 20.0f64);
    if f(lo)? < target {
        return Ok(lo);
    }
    for _ in 0..60 {
        let mid = (lo + hi) / 2.0;
        if f(mid)? > target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok((lo + hi) / 2.0)
}

impl Tenements {
    /// Fits both classes to the sources under `law` (the progressive scale and the concessions
    /// of the revenue year come from the law) and lays out their records.
    pub fn fit(src: &RatesSources, law: &Law) -> Result<Tenements, SimError> {
        let calibrated: Vec<&ConcessionCost> = src
            .concession_costs
            .iter()
            .filter(|c| c.calibrate)
            .collect();
        let rel = |model: f64, c: &ConcessionCost| (model - c.value) / c.value;

        // Non-domestic: the lognormal on its own rows (the tail, fitted later, lies above every
        // cap and keeps the lognormal's mass, so it does not move these costs).
        let nd_threshold = src.non_domestic_top_threshold.value;
        let nd_shape = |mu: f64, sigma: f64, alpha: f64| {
            let mut s = Shape {
                mu,
                sigma,
                threshold: nd_threshold,
                tail_share: 0.0,
                alpha,
            };
            s.tail_share = 1.0 - s.lognormal_cdf(nd_threshold);
            s
        };
        let placeholder = Shape {
            mu: 12.0,
            sigma: 1.0,
            threshold: src.domestic_top.threshold,
            tail_share: 0.0,
            alpha: 3.0,
        };
        let (nd_mu, nd_sigma) = fit_lognormal(|mu, sigma| {
            let nd = nd_shape(mu, sigma, 3.0);
            calibrated
                .iter()
                .filter(|c| c.class == RatesClass::NonDomestic)
                .map(|c| {
                    concession_cost(src, &placeholder, &nd, c).map_or(f64::INFINITY, |m| rel(m, c))
                })
                .map(|e| e * e)
                .sum()
        });

        // Domestic: the tail holds the published count above the threshold (in the count's
        // year); the lognormal fits the domestic and all-property rows.
        let top = &src.domestic_top;
        let dom_threshold = top.threshold / src.level(true, top.count_year);
        let dom_tail_share = top.count.value / src.count(true, top.count_year)?;
        let dom_shape = |mu: f64, sigma: f64, alpha: f64| Shape {
            mu,
            sigma,
            threshold: dom_threshold,
            tail_share: dom_tail_share,
            alpha,
        };
        let nd_fixed = nd_shape(nd_mu, nd_sigma, 3.0);
        let (dom_mu, dom_sigma) = fit_lognormal(|mu, sigma| {
            let dom = dom_shape(mu, sigma, 3.0);
            calibrated
                .iter()
                .filter(|c| c.class != RatesClass::NonDomestic)
                .map(|c| {
                    concession_cost(src, &dom, &nd_fixed, c).map_or(f64::INFINITY, |m| rel(m, c))
                })
                .map(|e| e * e)
                .sum()
        });

        // The domestic tail index: the progressive scale's extra revenue in a full year.
        let extra_fy = top.extra_revenue_year;
        let extra_law = RatesYear::resolve(law, fy_of(extra_fy)?, None)?;
        let last_scale = &extra_law.quarters[3].1;
        let dom_count = src.count(true, extra_fy)?;
        let dom_level = src.level(true, extra_fy);
        let extra_of = |(values, shares): (Vec<f64>, Vec<f64>)| {
            full_year_extra(
                values
                    .iter()
                    .zip(&shares)
                    .map(|(v, w)| (money(v * dom_level), w * dom_count)),
                last_scale,
            )
        };
        // The body's part does not depend on the index: computed once, outside the bisection.
        let body_extra = extra_of(dom_shape(dom_mu, dom_sigma, 3.0).body_records());
        let dom_alpha = solve_alpha(top.extra_revenue.value - body_extra, |alpha| {
            Ok(extra_of(dom_shape(dom_mu, dom_sigma, alpha).tail_records()))
        })?;
        let domestic_shape = dom_shape(dom_mu, dom_sigma, dom_alpha);

        // The non-domestic tail index: the rates revenue of the fitted year under the law.
        let rev_fy = src.revenue_fitted_on;
        let revenue = src
            .revenue
            .iter()
            .find(|r| r.year == rev_fy)
            .ok_or_else(|| SimError::Data(format!("no rates revenue for {rev_fy}")))?;
        let rev_law = RatesYear::resolve(law, fy_of(rev_fy)?, None)?;
        let revenue_of =
            |(values, shares): (Vec<f64>, Vec<f64>), domestic: bool| -> Result<f64, SimError> {
                let (level, count) = (src.level(domestic, rev_fy), src.count(domestic, rev_fy)?);
                Ok(values
                    .iter()
                    .zip(&shares)
                    .map(|(v, w)| {
                        let (before, conc) = rev_law.payable(money(v * level), domestic, false);
                        (before - conc).to_f64() * w * count
                    })
                    .sum())
            };
        let dom_part = revenue_of(domestic_shape.records(), true)?;
        let nd_body = revenue_of(nd_shape(nd_mu, nd_sigma, 3.0).body_records(), false)?;
        let nd_alpha = solve_alpha(revenue.value - dom_part - nd_body, |alpha| {
            revenue_of(nd_shape(nd_mu, nd_sigma, alpha).tail_records(), false)
        })?;
        Ok(Tenements::lay_out(
            domestic_shape,
            nd_shape(nd_mu, nd_sigma, nd_alpha),
        ))
    }

    fn lay_out(domestic_shape: Shape, non_domestic_shape: Shape) -> Tenements {
        let (dv, ds) = domestic_shape.records();
        let (nv, ns) = non_domestic_shape.records();
        let mut domestic = vec![true; dv.len()];
        domestic.extend(std::iter::repeat_n(false, nv.len()));
        Tenements {
            domestic_shape,
            non_domestic_shape,
            base_value: dv.into_iter().chain(nv).collect(),
            domestic,
            share: ds.into_iter().chain(ns).collect(),
        }
    }

    /// The tenements of the financial year starting in `fy`.
    pub fn year(&self, src: &RatesSources, fy: i32) -> Result<YearTenements, SimError> {
        let (level_d, level_n) = (src.level(true, fy), src.level(false, fy));
        let (count_d, count_n) = (src.count(true, fy)?, src.count(false, fy)?);
        let mut rateable_value = Vec::with_capacity(self.base_value.len());
        let mut weight = Vec::with_capacity(self.base_value.len());
        for ((v, d), s) in self.base_value.iter().zip(&self.domestic).zip(&self.share) {
            let (level, count) = if *d {
                (level_d, count_d)
            } else {
                (level_n, count_n)
            };
            rateable_value.push(money(v * level));
            weight.push(s * count);
        }
        Ok(YearTenements {
            rateable_value,
            domestic: self.domestic.clone(),
            weight,
        })
    }
}

/// A modelled rateable value in cents (the Pareto tail's top record stays far below
/// `Money::MAX_INPUT_DOLLARS`; `as` saturates rather than wraps in any case).
fn money(hkd: f64) -> Money {
    Money((hkd * 100.0).round() as i64)
}

fn fy_of(fy: i32) -> Result<FinancialYear, SimError> {
    u16::try_from(fy)
        .map(FinancialYear)
        .map_err(|_| SimError::Data(format!("financial year {fy} out of range")))
}

/// Rates payable after concession, summed over the tenements of one class (`Some(true)`:
/// domestic) or both (`None`).
pub fn net_rates(y: &YearTenements, law: &RatesYear, class: Option<bool>) -> f64 {
    let mut total = 0.0;
    for i in 0..y.weight.len() {
        if class.is_some_and(|d| d != y.domestic[i]) {
            continue;
        }
        let (before, conc) = law.payable(y.rateable_value[i], y.domestic[i], false);
        total += y.weight[i] * (before - conc).to_f64();
    }
    total
}

/// What the domestic scale in force at the end of the financial year `fy` adds over the flat first
/// rate, for a full year of the year's domestic tenements (the progressive scale's revenue).
pub fn progressive_extra(
    law: &Law,
    src: &RatesSources,
    tenements: &Tenements,
    fy: i32,
) -> Result<f64, SimError> {
    let y = tenements.year(src, fy)?;
    let scale = RatesYear::resolve(law, fy_of(fy)?, None)?.quarters[3]
        .1
        .clone();
    Ok(full_year_extra(
        y.rateable_value
            .iter()
            .zip(&y.weight)
            .zip(&y.domestic)
            .filter(|(_, d)| **d)
            .map(|((v, w), _)| (*v, *w)),
        &scale,
    ))
}

fn full_year_extra(tenements: impl Iterator<Item = (Money, f64)>, scale: &RatesParams) -> f64 {
    tenements
        .map(|(rv, w)| {
            let extra =
                quarter_rates(rv, true, false, scale) - quarter_rates(rv, true, true, scale);
            4.0 * extra.to_f64() * w
        })
        .sum()
}

/// Property tax on a tenement let for the whole year at its rateable value, no rates paid by the
/// owner and no irrecoverable rent: the exact rule of `hkb_rules::property` (NAV after the
/// statutory allowance, tax truncated to the dollar).
fn let_tax(rv: Money, prm: &PropertyTaxParams) -> Money {
    let (_, _, nav) = hkb_rules::property::net_assessable_value(rv, Money::ZERO, Money::ZERO, prm);
    nav.times(prm.rate).floor_dollars()
}

/// Property tax if every tenement of FY `fy` were let (the sum the share of let tenements scales).
fn all_let_tax(y: &YearTenements, prm: &PropertyTaxParams) -> f64 {
    y.rateable_value
        .iter()
        .zip(&y.weight)
        .map(|(rv, w)| w * let_tax(*rv, prm).to_f64())
        .sum()
}

fn ya_of(fy: i32) -> Result<hkb_law::YearOfAssessment, SimError> {
    u16::try_from(fy)
        .map(hkb_law::YearOfAssessment)
        .map_err(|_| SimError::Data(format!("year {fy} out of range")))
}

/// The share of tenements let by owners liable to property tax in FY `fy`: solved from IRD's
/// collections of that year (or of the latest year before it with collections; the earliest year's
/// share before the first), under the law of the same year.
pub fn let_share(
    law: &Law,
    src: &RatesSources,
    tenements: &Tenements,
    fy: i32,
) -> Result<f64, SimError> {
    let rows = &src.let_property.collections;
    let row = rows
        .iter()
        .filter(|r| r.year <= fy)
        .max_by_key(|r| r.year)
        .or_else(|| rows.iter().min_by_key(|r| r.year))
        .ok_or_else(|| SimError::Data("no property tax collections".into()))?;
    let prm = hkb_law::YearParams::resolve(law, ya_of(row.year)?, None)?.property;
    let all = all_let_tax(&tenements.year(src, row.year)?, &prm);
    if all <= 0.0 {
        return Err(SimError::Data(format!(
            "no property tax on the tenements of {}",
            row.year
        )));
    }
    Ok(row.value / all)
}

/// Property tax on the let tenements of FY `fy` under the baseline and a reform's parameters.
pub fn property_tax_run(
    src: &RatesSources,
    tenements: &Tenements,
    fy: i32,
    share: f64,
    base: &PropertyTaxParams,
    reform: Option<&PropertyTaxParams>,
) -> Result<RatesOutcome, SimError> {
    let y = tenements.year(src, fy)?;
    let mut out = RatesOutcome::default();
    for (rv, w) in y.rateable_value.iter().zip(&y.weight) {
        let w = w * share;
        let b = let_tax(*rv, base).to_f64();
        let r = reform.map_or(b, |p| let_tax(*rv, p).to_f64());
        out.baseline += w * b;
        out.reform += w * r;
        if r != b {
            out.affected += w;
        }
        if b > 0.0 {
            out.payers += w;
        }
    }
    Ok(out)
}

/// Rates under the baseline law and a reform for one class in one year.
#[derive(Clone, Debug, Default)]
pub struct RatesOutcome {
    pub baseline: f64,
    pub reform: f64,
    /// Weighted tenements whose rates change.
    pub affected: f64,
    /// Weighted tenements paying rates under the baseline.
    pub payers: f64,
}

/// Runs both classes for the financial year starting in `fy`: `[domestic, non-domestic]`.
pub fn run(
    law: &Law,
    src: &RatesSources,
    tenements: &Tenements,
    fy: i32,
    reform: Option<&Reform>,
) -> Result<[RatesOutcome; 2], SimError> {
    let y = tenements.year(src, fy)?;
    let base = RatesYear::resolve(law, fy_of(fy)?, None)?;
    let reformed = match reform {
        Some(r) => Some(RatesYear::resolve(law, fy_of(fy)?, Some(r))?),
        None => None,
    };
    let mut out = [RatesOutcome::default(), RatesOutcome::default()];
    for i in 0..y.weight.len() {
        let (d, rv, w) = (y.domestic[i], y.rateable_value[i], y.weight[i]);
        let (b0, c0) = base.payable(rv, d, false);
        let b = (b0 - c0).to_f64();
        let r = match &reformed {
            Some(law) => {
                let (b1, c1) = law.payable(rv, d, false);
                (b1 - c1).to_f64()
            }
            None => b,
        };
        let o = &mut out[usize::from(!d)];
        o.baseline += w * b;
        o.reform += w * r;
        if r != b {
            o.affected += w;
        }
        if b > 0.0 {
            o.payers += w;
        }
    }
    Ok(out)
}

/// The modelled value of a concession cost row, from the records.
pub fn modelled_concession(
    tenements: &Tenements,
    src: &RatesSources,
    c: &ConcessionCost,
) -> Result<f64, SimError> {
    let y = tenements.year(src, c.year)?;
    let mut total = 0.0;
    for i in 0..y.weight.len() {
        let d = y.domestic[i];
        match c.class {
            RatesClass::Domestic if !d => continue,
            RatesClass::NonDomestic if d => continue,
            _ => {}
        }
        let q = y.rateable_value[i].to_f64() * FLAT_RATE / 4.0;
        let per: f64 = (0..4).map(|k| q.min(c.caps[k]) - q.min(c.less[k])).sum();
        total += y.weight[i] * per;
    }
    Ok(total)
}

/// The modelled count of tenements of a class whose quarter's rates (at 5%) exceed `above`.
pub fn modelled_above(
    tenements: &Tenements,
    src: &RatesSources,
    fy: i32,
    class: RatesClass,
    above_rv: f64,
) -> Result<f64, SimError> {
    let y = tenements.year(src, fy)?;
    Ok((0..y.weight.len())
        .filter(|&i| match class {
            RatesClass::Domestic => y.domestic[i],
            RatesClass::NonDomestic => !y.domestic[i],
            RatesClass::All => true,
        })
        .filter(|&i| y.rateable_value[i].to_f64() > above_rv)
        .map(|i| y.weight[i])
        .sum())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_phi_inverts_phi() {
        for p in [1e-6, 0.01, 0.2, 0.5, 0.9, 0.999] {
            assert!((phi(inverse_phi(p)) - p).abs() < 1e-8 * p.max(1e-3), "{p}");
        }
    }

    #[test]
    fn closed_forms_agree_with_the_records() {
        let s = Shape {
            mu: 11.5,
            sigma: 0.7,
            threshold: 550_000.0,
            tail_share: 0.014,
            alpha: 2.5,
        };
        let (v, w) = s.records();
        for a in [50_000.0, 120_000.0, 400_000.0, 1_000_000.0] {
            let from_records: f64 = v.iter().zip(&w).map(|(x, w)| x.min(a) * w).sum();
            let closed = s.mean_min(a);
            assert!(
                (from_records / closed - 1.0).abs() < 2e-3,
                "{a}: {from_records} vs {closed}"
            );
            let above: f64 = v
                .iter()
                .zip(&w)
                .filter(|(x, _)| **x > a)
                .map(|(_, w)| w)
                .sum();
            assert!(
                (above - s.above(a)).abs() < 1e-3,
                "{a}: {above} vs {}",
                s.above(a)
            );
        }
        let total: f64 = w.iter().sum();
        assert!((total - 1.0).abs() < 1e-9);
    }
}
