//! Exact money and rate arithmetic.
//!
//! Money is held in integer cents and rates in integer parts per million, so that every tax
//! computation is exact and rounding happens only where the law (or IRD practice) rounds.
//! `f64` appears only at the edges (parsing user input, display).

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

/// An amount of Hong Kong dollars, in integer cents. May be negative (a business loss).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(pub i64);

/// A rate (share), in integer parts per million: 0.165 is `Rate(165_000)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rate(pub i64);

/// Exact product of money and a rate, in units of 1e-8 dollars (cents × ppm).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Precise(pub i128);

const PRECISE_PER_DOLLAR: i128 = 100 * 1_000_000;

impl Money {
    pub const ZERO: Money = Money(0);

    #[inline]
    pub const fn from_dollars(d: i64) -> Money {
        Money(d * 100)
    }
    #[inline]
    pub fn cents(self) -> i64 {
        self.0
    }
    /// Whole dollars, rounded towards negative infinity.
    #[inline]
    pub fn floor_dollars(self) -> i64 {
        self.0.div_euclid(100)
    }
    /// The largest amount accepted from outside (HK$90 trillion, far above any real figure):
    /// every input amount is at most this, so sums of any number of them that a household,
    /// business or deal can hold stay far inside `i64` cents and never wrap round.
    pub const MAX_INPUT_DOLLARS: i64 = 90_000_000_000_000;

    /// A whole number of dollars from outside, if within [`Money::MAX_INPUT_DOLLARS`].
    pub fn from_input_dollars(d: i128) -> Option<Money> {
        (d.abs() <= i128::from(Self::MAX_INPUT_DOLLARS)).then(|| Money(d as i64 * 100))
    }

    /// Converts a decimal number of dollars; rejects NaN, infinities and amounts beyond
    /// [`Money::MAX_INPUT_DOLLARS`] (rounded to the nearest cent).
    #[inline]
    pub fn from_f64(d: f64) -> Option<Money> {
        if !d.is_finite() || d.abs() > Self::MAX_INPUT_DOLLARS as f64 {
            return None;
        }
        Some(Money((d * 100.0).round() as i64))
    }
    #[inline]
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }
    #[inline]
    pub fn max(self, o: Money) -> Money {
        if self >= o { self } else { o }
    }
    #[inline]
    pub fn min(self, o: Money) -> Money {
        if self <= o { self } else { o }
    }
    #[inline]
    pub fn clamp_non_negative(self) -> Money {
        self.max(Money::ZERO)
    }
    #[inline]
    pub fn is_zero(self) -> bool {
        self.0 == 0
    }
    /// Exact product with a rate.
    #[inline]
    pub fn times(self, r: Rate) -> Precise {
        Precise(self.0 as i128 * r.0 as i128)
    }
    /// Product with a rate, floored to the cent.
    #[inline]
    pub fn times_floor_cent(self, r: Rate) -> Money {
        match self.0.checked_mul(r.0) {
            Some(p) => Money(p.div_euclid(1_000_000)),
            None => Money((self.0 as i128 * r.0 as i128).div_euclid(1_000_000) as i64),
        }
    }
    /// Multiply by a ratio of integers, floored to the cent (e.g. grossing up 12/months).
    #[inline]
    pub fn times_ratio_floor(self, num: i64, den: i64) -> Money {
        Money((self.0 as i128 * num as i128).div_euclid(den as i128) as i64)
    }
    #[inline]
    pub fn times_count(self, n: u32) -> Money {
        Money(self.0 * n as i64)
    }
}

impl Precise {
    pub const ZERO: Precise = Precise(0);
    /// Whole dollars, rounded down (IRD truncates tax to the dollar).
    #[inline]
    pub fn floor_dollars(self) -> Money {
        // i64 division by a constant compiles to a multiply; i128 division is a library call.
        match i64::try_from(self.0) {
            Ok(v) => Money(v.div_euclid(PRECISE_PER_DOLLAR as i64) * 100),
            Err(_) => Money((self.0.div_euclid(PRECISE_PER_DOLLAR) * 100) as i64),
        }
    }
    /// Whole dollars, rounded up (stamp duty is rounded up to the dollar).
    #[inline]
    pub fn ceil_dollars(self) -> Money {
        let q = self.0.div_euclid(PRECISE_PER_DOLLAR);
        let r = self.0.rem_euclid(PRECISE_PER_DOLLAR);
        Money(((q + i128::from(r != 0)) * 100) as i64)
    }
    /// Value in cents, floored (for display of unrounded intermediate figures).
    #[inline]
    pub fn floor_cents(self) -> Money {
        Money(self.0.div_euclid(1_000_000) as i64)
    }
    #[inline]
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / PRECISE_PER_DOLLAR as f64
    }
}

impl From<Money> for Precise {
    #[inline]
    fn from(m: Money) -> Precise {
        Precise(m.0 as i128 * 1_000_000)
    }
}

impl Rate {
    pub const ZERO: Rate = Rate(0);
    pub const ONE: Rate = Rate(1_000_000);
    #[inline]
    pub fn ppm(self) -> i64 {
        self.0
    }
    /// Converts a decimal fraction (0.165) to an exact rate; `None` when the value is not finite or
    /// needs more than six decimal places.
    #[inline]
    pub fn from_f64(x: f64) -> Option<Rate> {
        if !x.is_finite() || x.abs() > 1.0e6 {
            return None;
        }
        let scaled = x * 1_000_000.0;
        let rounded = scaled.round();
        if (scaled - rounded).abs() > 1e-6 {
            return None;
        }
        Some(Rate(rounded as i64))
    }
    #[inline]
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / 1_000_000.0
    }
    #[inline]
    pub fn complement(self) -> Rate {
        Rate(1_000_000 - self.0)
    }
}

impl Add for Money {
    type Output = Money;
    #[inline]
    fn add(self, o: Money) -> Money {
        Money(self.0 + o.0)
    }
}
impl Sub for Money {
    type Output = Money;
    #[inline]
    fn sub(self, o: Money) -> Money {
        Money(self.0 - o.0)
    }
}
impl Neg for Money {
    type Output = Money;
    #[inline]
    fn neg(self) -> Money {
        Money(-self.0)
    }
}
impl AddAssign for Money {
    #[inline]
    fn add_assign(&mut self, o: Money) {
        self.0 += o.0
    }
}
impl SubAssign for Money {
    #[inline]
    fn sub_assign(&mut self, o: Money) {
        self.0 -= o.0
    }
}
impl std::iter::Sum for Money {
    #[inline]
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}
impl Add for Precise {
    type Output = Precise;
    #[inline]
    fn add(self, o: Precise) -> Precise {
        Precise(self.0 + o.0)
    }
}
impl AddAssign for Precise {
    #[inline]
    fn add_assign(&mut self, o: Precise) {
        self.0 += o.0
    }
}

/// Groups digits in thousands: 1234567.5 -> "1,234,567.50"; whole dollars print without cents.
pub fn group_thousands(cents: i64) -> String {
    let neg = cents < 0;
    let abs = cents.unsigned_abs();
    let dollars = abs / 100;
    let c = abs % 100;
    let digits = dollars.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 4);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if c != 0 {
        out.push_str(&format!(".{c:02}"));
    }
    if neg { format!("-{out}") } else { out }
}

impl fmt::Display for Money {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&group_thousands(self.0))
    }
}

impl fmt::Display for Rate {
    /// Prints as a percentage with no trailing zeros: 0.0825 -> "8.25%".
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pct_e4 = self.0; // percent × 10,000
        let whole = pct_e4 / 10_000;
        let frac = (pct_e4 % 10_000).abs();
        let s = if frac == 0 {
            format!("{whole}%")
        } else {
            let fs = format!("{frac:04}");
            format!("{whole}.{}%", fs.trim_end_matches('0'))
        };
        f.pad(&s)
    }
}

/// Money serialises as a JSON number of dollars (with cents as decimals when present).
impl Serialize for Money {
    #[inline]
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0 % 100 == 0 {
            s.serialize_i64(self.0 / 100)
        } else {
            s.serialize_f64(self.to_f64())
        }
    }
}

/// Reads a number of dollars (integer or decimal, rounded to the cent), within
/// [`Money::MAX_INPUT_DOLLARS`] either way; negative amounts are allowed here (callers that need
/// a non-negative amount check it).
impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Money;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an amount in HK$ (a number)")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Money, E> {
                Money::from_input_dollars(i128::from(v))
                    .ok_or_else(|| E::custom(too_large(&v.to_string())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Money, E> {
                Money::from_input_dollars(i128::from(v))
                    .ok_or_else(|| E::custom(too_large(&v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Money, E> {
                Money::from_f64(v).ok_or_else(|| {
                    if v.is_finite() {
                        E::custom(too_large(&v.to_string()))
                    } else {
                        E::custom(format!("{v} is not a usable amount"))
                    }
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// The message for an amount above [`Money::MAX_INPUT_DOLLARS`].
pub fn too_large(v: &str) -> String {
    format!(
        "{v} is too large (amounts are at most {} dollars)",
        group_thousands(Money::MAX_INPUT_DOLLARS * 100)
    )
}

/// Reads a rate as a fraction (0.15 for 15%), exact to a millionth.
impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let x = f64::deserialize(d)?;
        Rate::from_f64(x).ok_or_else(|| {
            de::Error::custom(format!(
                "{x} is not a rate: write a fraction with at most six decimals (0.15 for 15%)"
            ))
        })
    }
}

impl schemars::JsonSchema for Money {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Money".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "number",
            "description": "HK$, exact to the cent: an integer when the amount is whole dollars, otherwise a number with two decimals"
        })
    }
}

impl schemars::JsonSchema for Rate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Rate".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "number",
            "description": "A rate as a fraction (0.15 for 15%), exact to a millionth"
        })
    }
}

impl Serialize for Rate {
    #[inline]
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.to_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[inline]
    fn rate_from_decimal_is_exact() {
        assert_eq!(Rate::from_f64(0.165), Some(Rate(165_000)));
        assert_eq!(Rate::from_f64(0.0825), Some(Rate(82_500)));
        assert_eq!(Rate::from_f64(0.0013), Some(Rate(1_300)));
        assert_eq!(Rate::from_f64(0.12345678), None);
        assert_eq!(Rate::from_f64(f64::NAN), None);
    }

    #[test]
    #[inline]
    fn precise_rounding() {
        // 450008 - 18000 - 132000 = 300008; 16,000 + 100,008 x 17% = 33,001.36 -> 33,001
        let p = Precise::from(Money::from_dollars(16_000))
            + Money::from_dollars(100_008).times(Rate(170_000));
        assert_eq!(p.floor_dollars(), Money::from_dollars(33_001));
        assert_eq!(p.ceil_dollars(), Money::from_dollars(33_002));
        let exact = Money::from_dollars(1_000).times(Rate(100_000));
        assert_eq!(exact.ceil_dollars(), Money::from_dollars(100));
    }

    #[test]
    #[inline]
    fn display() {
        assert_eq!(Money::from_dollars(1_234_567).to_string(), "1,234,567");
        assert_eq!(Money(-150).to_string(), "-1.50");
        assert_eq!(Rate(82_500).to_string(), "8.25%");
        assert_eq!(Rate(150_000).to_string(), "15%");
        assert_eq!(Rate(1_300).to_string(), "0.13%");
    }
}
