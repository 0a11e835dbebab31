//! Shared schedule arithmetic: progressive bands (by width), tiers (by upper limit) and
//! stamp-duty tables (by consideration, with marginal relief).

use hkb_law::{Band, Charge, DutyBand, Money, Precise, Tier};

/// Below this many cents (HK$11bn) cents × ppm sums fit in i64, so the exact arithmetic can run in
/// 64 bits; above it the i128 path is used. Both are exact.
const I64_SAFE_CENTS: i64 = 1 << 40;

/// Tax on `amount` through progressive bands, exact.
#[inline]
pub fn bands_amount(amount: Money, bands: &[Band]) -> Precise {
    if amount.0 < I64_SAFE_CENTS {
        let mut left = amount.0.max(0);
        let mut tax: i64 = 0;
        for b in bands {
            let slice = match b.width {
                Some(w) => left.min(w.0),
                None => left,
            };
            tax += slice * b.rate.0;
            left -= slice;
            if left == 0 {
                break;
            }
        }
        return Precise(i128::from(tax));
    }
    let mut left = amount.clamp_non_negative();
    let mut tax = Precise::ZERO;
    for b in bands {
        let slice = match b.width {
            Some(w) => left.min(w),
            None => left,
        };
        tax += slice.times(b.rate);
        left -= slice;
        if left.is_zero() {
            break;
        }
    }
    tax
}

/// Charge on `amount` through tiers by upper limit, exact; `multiple` scales the limits.
#[inline]
pub fn tiers_amount(amount: Money, tiers: &[Tier], multiple: u32) -> Precise {
    if amount.0 < I64_SAFE_CENTS && multiple == 1 {
        let a = amount.0.max(0);
        let mut tax: i64 = 0;
        let mut lower: i64 = 0;
        for t in tiers {
            let upper = t.upto.map_or(i64::MAX, |u| u.0);
            tax += (a.min(upper) - lower.min(a)).max(0) * t.rate.0;
            if upper >= a {
                break;
            }
            lower = upper;
        }
        return Precise(i128::from(tax));
    }
    let a = amount.clamp_non_negative();
    let mut tax = Precise::ZERO;
    let mut lower = Money::ZERO;
    for t in tiers {
        let upper = t.upto.map(|u| u.times_count(multiple));
        let slice = match upper {
            Some(u) => a.min(u) - lower.min(a),
            None => a - lower.min(a),
        };
        tax += slice.clamp_non_negative().times(t.rate);
        match upper {
            Some(u) => lower = u,
            None => break,
        }
    }
    tax
}

/// The band of a duty table that applies to consideration `c`: bands are (lower, upto], chosen
/// by `c` itself, never by taking the minimum of two formulas (published thresholds are rounded
/// constants, so the formulas do not meet exactly). Returns (index, lower limit).
pub fn duty_band(c: Money, bands: &[DutyBand]) -> (usize, Money) {
    let mut lower = Money::ZERO;
    for (i, b) in bands.iter().enumerate() {
        match b.upto {
            Some(u) if c > u => lower = u,
            _ => return (i, lower),
        }
    }
    (bands.len().saturating_sub(1), lower)
}

/// Duty on `c` by a duty table, exact (before rounding).
pub fn duty_amount(c: Money, bands: &[DutyBand]) -> Precise {
    let (i, lower) = duty_band(c, bands);
    match bands.get(i).map(|b| b.charge) {
        Some(Charge::Fixed(m)) => Precise::from(m),
        Some(Charge::Flat(r)) => c.times(r),
        Some(Charge::Marginal { base, rate }) => Precise::from(base) + (c - lower).times(rate),
        None => Precise::ZERO,
    }
}
