//! Batch salaries tax over columns of persons, for microsimulation.
//!
//! This is not a second implementation of the tax: it calls the same functions as the household
//! calculator (`progressive_tax`, `standard_tax`, `one_off_reduction`, the same caps and
//! allowances), on one person assessed separately, without a trace and without allocation.
//! `tests/batch.rs` checks it against `assess_household` on random persons.

use crate::profits::one_off_reduction;
use crate::salaries::{progressive_tax, standard_tax};
use hkb_law::{Money, Rate, SalariesTaxParams};

/// A rate schedule as exact lines `rate × x − intercept` (x in cents, result in cents × ppm).
/// For a convex schedule (rates that never fall, as Hong Kong's progressive bands and
/// standard-rate tiers) the tax equals the largest line for every x ≥ 0, which needs no branches.
/// The lines sit in a fixed array of `N` (unused ones are the zero line, which never wins over
/// the zero start) so the loop unrolls; a schedule with more than `N` rows takes the exact path.
#[derive(Clone, Debug)]
struct Lines<const N: usize> {
    lines: [(i64, i64); N],
    fast: bool,
}

impl<const N: usize> Lines<N> {
    fn from_rows(rows: impl Iterator<Item = (i64, Option<i64>)>) -> Lines<N> {
        let mut lines = [(0i64, 0i64); N];
        let (mut lower, mut cum, mut prev_rate, mut fast) = (0i64, 0i64, i64::MIN, true);
        for (k, (rate, upto)) in rows.enumerate() {
            if k == N {
                fast = false;
                break;
            }
            // Line through (lower, cum) with slope rate: rate × x − (rate × lower − cum).
            lines[k] = (rate, rate * lower - cum);
            fast &= rate >= prev_rate;
            prev_rate = rate;
            match upto {
                Some(u) => {
                    cum += (u - lower) * rate;
                    lower = u;
                }
                None => break,
            }
        }
        Lines { lines, fast }
    }

    fn from_bands(bands: &[hkb_law::Band]) -> Lines<N> {
        let mut lower = 0i64;
        Lines::from_rows(bands.iter().map(move |b| {
            let upto = b.width.map(|w| {
                lower += w.0;
                lower
            });
            (b.rate.0, upto)
        }))
    }

    fn from_tiers(tiers: &[hkb_law::Tier]) -> Lines<N> {
        Lines::from_rows(tiers.iter().map(|t| (t.rate.0, t.upto.map(|u| u.0))))
    }

    /// Exact tax in cents × ppm, or None when the fast form does not apply.
    #[inline(always)]
    fn eval(&self, x: i64) -> Option<i64> {
        if !self.fast || !(0..1 << 40).contains(&x) {
            return None;
        }
        let mut best = 0i64;
        for &(r, c) in &self.lines {
            best = best.max(r * x - c);
        }
        Some(best)
    }
}

/// Salaries-tax parameters prepared once per run for the batch kernel.
#[derive(Clone, Debug)]
pub struct Prepared<'a> {
    pub params: &'a SalariesTaxParams,
    progressive: Lines<6>,
    standard: Lines<3>,
    /// Every standard-rate tier's rate is ≥ 0, so nil net chargeable income means nil tax (the
    /// progressive tax of nil is nil and the lesser of the two is taken).
    nil_below_allowances: bool,
}

impl<'a> Prepared<'a> {
    pub fn new(params: &'a SalariesTaxParams) -> Prepared<'a> {
        Prepared {
            params,
            progressive: Lines::from_bands(&params.progressive),
            standard: Lines::from_tiers(&params.standard),
            nil_below_allowances: params.standard.iter().all(|t| t.rate >= Rate::ZERO),
        }
    }
}

/// Floors cents × ppm to whole dollars, in cents.
#[inline(always)]
fn floor_dollars(units: i64) -> Money {
    Money(units.div_euclid(100_000_000) * 100)
}

/// Net income (employment income less MPF and donations, each capped as the law caps them) and
/// total allowances of one earner assessed separately.
#[inline(always)]
fn net_income_and_allowances(e: &Earner, p: &SalariesTaxParams) -> (Money, Money) {
    (net_income(e, p), allowances(e, p))
}

// `Shared::between` must compare every parameter that `net_income` and `allowances` read.
#[inline(always)]
fn net_income(e: &Earner, p: &SalariesTaxParams) -> Money {
    let income = Money(e.employment_income);
    let mpf = Money(e.mpf_mandatory).min(p.mpf);
    let before_donations = (income - mpf).clamp_non_negative();
    let donations = if e.charitable_donations > 0
        && Money(e.charitable_donations) >= p.donations_min
    {
        Money(e.charitable_donations).min(before_donations.times_floor_cent(p.donations_cap_rate))
    } else {
        Money::ZERO
    };
    before_donations - donations
}

#[inline(always)]
fn allowances(e: &Earner, p: &SalariesTaxParams) -> Money {
    allowances_of(&e.facts, p)
}

/// The facts of an earner that the allowances depend on, and nothing else: earners with the
/// same facts get the same allowances, so a batch can compute them once per kind of household
/// (a few hundred) instead of once per earner.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct AllowanceFacts {
    /// Married, spouse without income chargeable to salaries tax: married person's allowance.
    pub married_allowance: bool,
    pub children: u8,
    pub children_born_in_year: u8,
    /// Of the children, those born in the year of assessment before (eligible for the
    /// additional child allowance where it lasts two years).
    pub children_born_last_year: u8,
    pub parents_60_residing: u8,
    pub parents_60_not_residing: u8,
}

/// Total allowances of an earner assessed separately with these facts: the same function the
/// batch kernel uses for each earner.
#[inline(always)]
pub fn allowances_of(e: &AllowanceFacts, p: &SalariesTaxParams) -> Money {
    let n_children = u32::from(e.children).min(p.child_max);
    // The additional child allowance: children born in the year, and (where the law gives the
    // allowance for two years) those born the year before.
    let eligible = u32::from(e.children_born_in_year)
        + if p.child_birth_year_max_years >= 2 {
            u32::from(e.children_born_last_year)
        } else {
            0
        };
    let born = eligible.min(n_children);
    let personal = if e.married_allowance {
        p.married
    } else {
        p.basic
    };
    personal
        + p.child.times_count(n_children)
        + p.child_birth_year.times_count(born)
        + (p.parent_60 + p.parent_60_residing).times_count(u32::from(e.parents_60_residing))
        + p.parent_60
            .times_count(u32::from(e.parents_60_not_residing))
}

/// Which parts of an earner's computation a reform leaves as in the baseline, found once per
/// run so the batch can reuse the baseline's net income and allowances.
#[derive(Clone, Copy, Debug)]
pub struct Shared {
    pub net_income: bool,
    pub allowances: bool,
}

impl Shared {
    pub fn between(a: &SalariesTaxParams, b: &SalariesTaxParams) -> Shared {
        Shared {
            net_income: a.mpf == b.mpf
                && a.donations_min == b.donations_min
                && a.donations_cap_rate == b.donations_cap_rate,
            allowances: a.basic == b.basic
                && a.married == b.married
                && a.child == b.child
                && a.child_max == b.child_max
                && a.child_birth_year == b.child_birth_year
                && a.parent_60 == b.parent_60
                && a.parent_60_residing == b.parent_60_residing,
        }
    }
}

#[inline(always)]
fn tax_of(net_income: Money, allowances: Money, prep: &Prepared<'_>) -> (Money, Money) {
    let p = prep.params;
    let nci = (net_income - allowances).clamp_non_negative();
    // About two earners in five have nothing left after allowances; earners are taken in order
    // of income, so this branch is well predicted and saves the rest of the kernel for them.
    if nci.is_zero() && prep.nil_below_allowances {
        return (Money::ZERO, Money::ZERO);
    }
    let progressive = match prep.progressive.eval(nci.0) {
        Some(u) => floor_dollars(u),
        None => progressive_tax(nci, &p.progressive).floor_dollars(),
    };
    let standard = match prep.standard.eval(net_income.0) {
        Some(u) => floor_dollars(u),
        None => standard_tax(net_income, &p.standard, 1).floor_dollars(),
    };
    let before = progressive.min(standard);
    (
        before,
        before - one_off_reduction(before, p.reduction_rate, p.reduction_cap),
    )
}

/// Baseline and reform tax of one earner, (before, after reduction) each, computing net income
/// and allowances once where `shared` says the reform leaves them unchanged. Equal to two calls
/// of `earner_tax_prepared` (tested).
#[inline(always)]
pub fn earner_tax_pair(
    e: &Earner,
    base: &Prepared<'_>,
    reform: &Prepared<'_>,
    shared: Shared,
) -> ((Money, Money), (Money, Money)) {
    let al = allowances(e, base.params);
    let al_r = if shared.allowances {
        al
    } else {
        allowances(e, reform.params)
    };
    earner_tax_pair_with_allowances(e, base, al, reform, al_r, shared)
}

/// [`earner_tax_pair`] with each side's allowances given (from [`allowances_of`] on the
/// earner's [`AllowanceFacts`], computed once per kind of household): the earner's own facts
/// are not read. Equal to `earner_tax_pair` when the allowances are the earner's (tested).
#[inline(always)]
pub fn earner_tax_pair_with_allowances(
    e: &Earner,
    base: &Prepared<'_>,
    base_allowances: Money,
    reform: &Prepared<'_>,
    reform_allowances: Money,
    shared: Shared,
) -> ((Money, Money), (Money, Money)) {
    let ni = net_income(e, base.params);
    let b = tax_of(ni, base_allowances, base);
    let ni_r = if shared.net_income {
        ni
    } else {
        net_income(e, reform.params)
    };
    (b, tax_of(ni_r, reform_allowances, reform))
}

/// [`earner_tax_prepared`] with the allowances given (see [`earner_tax_pair_with_allowances`]).
#[inline(always)]
pub fn earner_tax_with_allowances(
    e: &Earner,
    prep: &Prepared<'_>,
    allowances: Money,
) -> (Money, Money) {
    tax_of(net_income(e, prep.params), allowances, prep)
}

/// The batch kernel on prepared parameters: (before reduction, after reduction). Equal to
/// `earner_tax` (and so to the household calculator) for every earner; see `tests/batch.rs`.
#[inline(always)]
pub fn earner_tax_prepared(e: &Earner, prep: &Prepared<'_>) -> (Money, Money) {
    let (net_income, allowances) = net_income_and_allowances(e, prep.params);
    tax_of(net_income, allowances, prep)
}

/// One earner as the population holds it (all amounts in cents).
#[derive(Clone, Copy, Debug, Default)]
pub struct Earner {
    pub employment_income: i64,
    pub mpf_mandatory: i64,
    pub charitable_donations: i64,
    /// What the allowances depend on.
    pub facts: AllowanceFacts,
}

/// Salaries tax of one earner: (tax before reduction, tax after reduction, marginal rate).
///
/// The marginal rate is the rate on the next dollar of income: the standard-rate tier when the
/// standard rate applies, otherwise the band of net chargeable income (0 when that is nil).
#[inline]
pub fn earner_tax(e: &Earner, p: &SalariesTaxParams) -> (Money, Money, Rate) {
    earner_tax_impl(e, p, true)
}

#[inline(always)]
fn earner_tax_impl(e: &Earner, p: &SalariesTaxParams, want_marginal: bool) -> (Money, Money, Rate) {
    let (net_income, allowances) = net_income_and_allowances(e, p);
    let nci = (net_income - allowances).clamp_non_negative();
    let progressive = progressive_tax(nci, &p.progressive).floor_dollars();
    let standard = standard_tax(net_income, &p.standard, 1).floor_dollars();
    let before = progressive.min(standard);
    let after = before - one_off_reduction(before, p.reduction_rate, p.reduction_cap);
    let marginal = if !want_marginal || net_income.is_zero() {
        Rate::ZERO
    } else if standard <= progressive {
        tier_rate(net_income, p)
    } else if nci.is_zero() {
        Rate::ZERO
    } else {
        band_rate(nci, p)
    };
    (before, after, marginal)
}

#[inline]
fn band_rate(nci: Money, p: &SalariesTaxParams) -> Rate {
    let mut left = nci;
    for b in &p.progressive {
        match b.width {
            Some(w) if left > w => left -= w,
            _ => return b.rate,
        }
    }
    p.progressive.last().map_or(Rate::ZERO, |b| b.rate)
}

#[inline]
fn tier_rate(ni: Money, p: &SalariesTaxParams) -> Rate {
    for t in &p.standard {
        match t.upto {
            Some(u) if ni > u => continue,
            _ => return t.rate,
        }
    }
    p.standard.last().map_or(Rate::ZERO, |t| t.rate)
}
