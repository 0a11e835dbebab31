//! Calibration (Deville & Särndal 1992): weights w_i = d_i · F(λ · x_i) that reproduce the
//! published totals Σ w_i x_i = T exactly, staying close to the design weights d_i. `calibrate`
//! uses exponential tilting (F = exp, the Kullback-Leibler distance: weights may move without
//! limit); `calibrate_within` uses Deville and Särndal's logit distance, whose F keeps every ratio
//! w_i / d_i inside given bounds (L, U), so that no record is multiplied a hundredfold to meet a
//! target. Solved by damped Newton steps on λ.

use crate::error::SimError;
use rayon::prelude::*;

const CHUNK: usize = 8192;

/// One constraint: a column of the population and its target total.
pub struct Constraint<'a> {
    pub name: String,
    pub column: &'a [f64],
    pub target: f64,
}

/// How far a calibrated weight may move from its design weight: `lower < w / d < upper`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounds {
    pub lower: f64,
    pub upper: f64,
}

/// The calibration function F and its derivative F' at u = λ · x.
#[derive(Clone, Copy)]
enum Distance {
    Exponential,
    /// Deville and Särndal's logit distance with bounds (L, U) and A = (U − L) / ((1 − L)(U − 1)).
    Logit {
        lower: f64,
        upper: f64,
        a: f64,
    },
}

impl Distance {
    #[inline]
    fn f_and_slope(self, u: f64) -> (f64, f64) {
        match self {
            Distance::Exponential => {
                let f = u.clamp(-50.0, 50.0).exp();
                (f, f)
            }
            Distance::Logit { lower, upper, a } => {
                let e = (a * u).clamp(-50.0, 50.0).exp();
                let f = (lower * (upper - 1.0) + upper * (1.0 - lower) * e)
                    / ((upper - 1.0) + (1.0 - lower) * e);
                (f, a * (f - lower) * (upper - f) / (upper - lower))
            }
        }
    }
}

/// Returns calibrated weights, or an error naming the constraint that could not be met.
pub fn calibrate(
    design: &[f64],
    constraints: &[Constraint<'_>],
    what: &str,
) -> Result<Vec<f64>, SimError> {
    solve_weights(design, constraints, what, Distance::Exponential)
}

/// As `calibrate`, with every ratio of calibrated to design weight kept inside `bounds`
/// (0 ≤ lower < 1 < upper); an error where no such weights meet the targets.
pub fn calibrate_within(
    design: &[f64],
    constraints: &[Constraint<'_>],
    what: &str,
    bounds: Bounds,
) -> Result<Vec<f64>, SimError> {
    let Bounds { lower, upper } = bounds;
    if !((0.0..1.0).contains(&lower) && upper > 1.0 && upper.is_finite()) {
        return Err(SimError::Calibration {
            what: what.into(),
            message: format!(
                "weight bounds ({lower}, {upper}) must satisfy 0 <= lower < 1 < upper"
            ),
        });
    }
    let a = (upper - lower) / ((1.0 - lower) * (upper - 1.0));
    solve_weights(
        design,
        constraints,
        what,
        Distance::Logit { lower, upper, a },
    )
    .map_err(|e| match e {
        SimError::Calibration { what, message } => SimError::Calibration {
            what,
            message: format!(
                "{message} with every weight between {lower} and {upper} times its design weight"
            ),
        },
        other => other,
    })
}

fn solve_weights(
    design: &[f64],
    constraints: &[Constraint<'_>],
    what: &str,
    distance: Distance,
) -> Result<Vec<f64>, SimError> {
    let k = constraints.len();
    let n = design.len();
    if k == 0 {
        return Ok(design.to_vec());
    }
    // Scale each column so that the Newton system is well conditioned.
    let scale: Vec<f64> = constraints
        .iter()
        .map(|c| c.target.abs().max(1.0) / design.iter().sum::<f64>().max(1.0))
        .collect();
    let x = |j: usize, i: usize| constraints[j].column[i] / scale[j];
    let t: Vec<f64> = constraints
        .iter()
        .enumerate()
        .map(|(j, c)| c.target / scale[j])
        .collect();
    let mut lambda = vec![0.0f64; k];
    for _iter in 0..200 {
        // Weighted totals and the Jacobian (Σ w x x'), summed in fixed chunks and then in order
        // so that the result does not depend on thread scheduling.
        let partials: Vec<(Vec<f64>, Vec<f64>)> = (0..n.div_ceil(CHUNK))
            .into_par_iter()
            .map(|c| {
                let mut tot = vec![0.0; k];
                let mut jac = vec![0.0; k * k];
                let lo = c * CHUNK;
                for (i, d) in design
                    .iter()
                    .enumerate()
                    .take(((c + 1) * CHUNK).min(n))
                    .skip(lo)
                {
                    let eta: f64 = lambda.iter().enumerate().map(|(j, l)| l * x(j, i)).sum();
                    let (f, slope) = distance.f_and_slope(eta);
                    let (w, dw) = (d * f, d * slope);
                    for a in 0..k {
                        let xa = x(a, i);
                        tot[a] += w * xa;
                        for b in 0..k {
                            jac[a * k + b] += dw * xa * x(b, i);
                        }
                    }
                }
                (tot, jac)
            })
            .collect();
        let mut tot = vec![0.0; k];
        let mut jac = vec![0.0; k * k];
        for (t, j) in partials {
            for (x, y) in tot.iter_mut().zip(t) {
                *x += y;
            }
            for (x, y) in jac.iter_mut().zip(j) {
                *x += y;
            }
        }
        let resid: Vec<f64> = (0..k).map(|j| t[j] - tot[j]).collect();
        let worst = (0..k)
            .map(|j| (resid[j] / t[j].abs().max(1e-12)).abs())
            .fold(0.0, f64::max);
        if worst < 1e-9 {
            return Ok((0..n)
                .map(|i| {
                    let eta: f64 = (0..k).map(|j| lambda[j] * x(j, i)).sum();
                    design[i] * distance.f_and_slope(eta).0
                })
                .collect());
        }
        let step = solve(&jac, &resid, k).ok_or_else(|| SimError::Calibration {
            what: what.into(),
            message: "singular system: two targets are not independent".into(),
        })?;
        let damp = 1.0 / (1.0 + step.iter().map(|s| s.abs()).fold(0.0, f64::max) / 5.0);
        for j in 0..k {
            lambda[j] += damp * step[j];
        }
    }
    let names: Vec<&str> = constraints.iter().map(|c| c.name.as_str()).collect();
    Err(SimError::Calibration {
        what: what.into(),
        message: format!("no weights reproduce all of {} together", names.join(", ")),
    })
}

/// Solves a small dense system by Gaussian elimination with partial pivoting.
fn solve(a: &[f64], b: &[f64], k: usize) -> Option<Vec<f64>> {
    let mut m: Vec<Vec<f64>> = (0..k)
        .map(|r| {
            let mut row = a[r * k..(r + 1) * k].to_vec();
            row.push(b[r]);
            row
        })
        .collect();
    for c in 0..k {
        let p = (c..k).max_by(|&x, &y| m[x][c].abs().total_cmp(&m[y][c].abs()))?;
        if m[p][c].abs() < 1e-300 {
            return None;
        }
        m.swap(c, p);
        for r in 0..k {
            if r != c {
                let f = m[r][c] / m[c][c];
                let pivot = m[c].clone();
                for (dst, src) in m[r].iter_mut().zip(&pivot).skip(c) {
                    *dst -= f * src;
                }
            }
        }
    }
    Some((0..k).map(|r| m[r][k] / m[r][r]).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reproduces_targets() {
        let design = vec![1.0; 1000];
        let col: Vec<f64> = (0..1000).map(|i| f64::from(i % 10)).collect();
        let ones = vec![1.0; 1000];
        let w = calibrate(
            &design,
            &[
                Constraint {
                    name: "n".into(),
                    column: &ones,
                    target: 1200.0,
                },
                Constraint {
                    name: "x".into(),
                    column: &col,
                    target: 6000.0,
                },
            ],
            "test",
        )
        .unwrap_or_default();
        let n: f64 = w.iter().sum();
        let x: f64 = w.iter().zip(&col).map(|(w, x)| w * x).sum();
        assert!(
            (n - 1200.0).abs() < 1e-3 && (x - 6000.0).abs() < 1e-3,
            "{n} {x}"
        );
    }

    /// The logit distance keeps every ratio inside its bounds while meeting the targets, and a
    /// target that needs a larger ratio is an error rather than a silent miss.
    #[test]
    fn bounded_weights_stay_within_their_bounds() {
        let design = vec![1.0; 1000];
        // Reaching a high mean of 0..9 with the exponential distance multiplies the records at
        // 9 by 3.14 and those at 0 by 0.117; the bounds (0.2, 3) still admit a solution (the most
        // they allow is 7,340).
        let col: Vec<f64> = (0..1000).map(|i| f64::from(i % 10)).collect();
        let ones = vec![1.0; 1000];
        let cons = |target: f64| {
            vec![
                Constraint {
                    name: "n".into(),
                    column: &ones,
                    target: 1000.0,
                },
                Constraint {
                    name: "x".into(),
                    column: &col,
                    target,
                },
            ]
        };
        let free = calibrate(&design, &cons(7000.0), "test").unwrap_or_default();
        let free_max = free.iter().cloned().fold(0.0, f64::max);
        assert!(
            free_max > 3.0,
            "the unbounded solution needs ratios above 3 ({free_max})"
        );
        let bounds = Bounds {
            lower: 0.2,
            upper: 3.0,
        };
        let w = calibrate_within(&design, &cons(7000.0), "test", bounds).unwrap_or_default();
        assert_eq!(w.len(), 1000);
        let n: f64 = w.iter().sum();
        let x: f64 = w.iter().zip(&col).map(|(w, x)| w * x).sum();
        assert!(
            (n - 1000.0).abs() < 1e-3 && (x - 7000.0).abs() < 1e-3,
            "{n} {x}"
        );
        let max = w.iter().cloned().fold(0.0, f64::max);
        let min = w.iter().cloned().fold(f64::MAX, f64::min);
        assert!(max < 3.0 && min > 0.2, "ratios {min}..{max}");
        let too_far = calibrate_within(&design, &cons(8000.0), "test", bounds);
        assert!(too_far.is_err());
    }

    #[test]
    fn impossible_targets_are_an_error() {
        let design = vec![1.0; 100];
        let col = vec![1.0; 100];
        let ones = vec![1.0; 100];
        let r = calibrate(
            &design,
            &[
                Constraint {
                    name: "n".into(),
                    column: &ones,
                    target: 100.0,
                },
                Constraint {
                    name: "x".into(),
                    column: &col,
                    target: 200.0,
                },
            ],
            "test",
        );
        assert!(r.is_err());
    }
}
