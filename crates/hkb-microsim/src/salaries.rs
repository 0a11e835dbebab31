//! Society-wide salaries tax: one fused pass over the earner columns computes baseline and reform
//! tax for every earner (the exact batch kernel of `hkb-rules`), totals, affected counts, income
//! deciles and the top 1%, in parallel.

use crate::persons::Earners;
use hkb_law::Money;
use hkb_law::SalariesTaxParams;
use hkb_rules::batch::{
    Prepared, Shared, allowances_of, earner_tax, earner_tax_pair, earner_tax_pair_with_allowances,
    earner_tax_prepared, earner_tax_with_allowances,
};
use rayon::prelude::*;
use serde::Serialize;
use std::hint::select_unpredictable;
use std::sync::atomic::{AtomicI64, Ordering};

/// Earners prepared for one year: uprating factor, calibrated weights and decile boundaries.
#[derive(Clone, Debug)]
pub struct YearView<'a> {
    pub earners: &'a Earners,
    /// Multiplies base-year amounts to this year's wage level (parts per million).
    pub factor: i64,
    pub weights: &'a [f64],
    /// Record index where each income decile starts (10 entries) and where the top 1% starts.
    pub decile_starts: [usize; 10],
    pub top1_start: usize,
}

impl<'a> YearView<'a> {
    /// A view with decile boundaries computed from the weights (one pass over them).
    pub fn new(earners: &'a Earners, factor: i64, weights: &'a [f64]) -> YearView<'a> {
        let (decile_starts, top1_start) = decile_index(weights);
        YearView {
            earners,
            factor,
            weights,
            decile_starts,
            top1_start,
        }
    }

    /// A view with boundaries computed earlier (they depend only on the weights).
    pub fn with_index(
        earners: &'a Earners,
        factor: i64,
        weights: &'a [f64],
        index: ([usize; 10], usize),
    ) -> YearView<'a> {
        YearView {
            earners,
            factor,
            weights,
            decile_starts: index.0,
            top1_start: index.1,
        }
    }

    fn decile_of(&self, i: usize) -> usize {
        self.decile_starts
            .iter()
            .rposition(|&s| s <= i)
            .unwrap_or(0)
    }
}

/// Where each income decile starts and where the top 1% starts. Records are sorted by income,
/// so deciles are ranges of cumulative weight; a record belongs where its weight's midpoint falls.
pub fn decile_index(weights: &[f64]) -> ([usize; 10], usize) {
    let total: f64 = weights.iter().sum();
    let mut starts = [0usize; 10];
    let mut top1 = weights.len();
    let mut cum = 0.0;
    let mut next = 1;
    let mut top_found = false;
    for (i, w) in weights.iter().enumerate() {
        let mid = cum + w / 2.0;
        while next < 10 && mid >= total * next as f64 / 10.0 {
            starts[next] = i;
            next += 1;
        }
        if !top_found && mid >= total * 0.99 {
            top1 = i;
            top_found = true;
        }
        cum += w;
    }
    for s in starts.iter_mut().skip(next) {
        *s = weights.len();
    }
    (starts, top1)
}

/// Elasticity of taxable income with respect to the net-of-tax rate.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Behaviour {
    pub eti: f64,
}

#[derive(Clone, Debug, Default, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct DecileRow {
    /// 1 to 10; none for the top 1%.
    pub decile: Option<u8>,
    /// Earners (deciles by earner) or households (deciles by household), weighted.
    pub persons: f64,
    /// Mean employment income of an earner, or of a household (all its earners), HK$.
    pub mean_income: f64,
    pub baseline_tax: f64,
    pub reform_tax: f64,
    /// Average change in tax per earner or per household (HK$; positive = pays more).
    pub avg_change: f64,
    /// Change in tax as a share of income (%).
    pub change_pct_of_income: f64,
    /// Shares of earners (or households) whose tax falls / rises.
    pub winners_share: f64,
    pub losers_share: f64,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct SalariesOutcome {
    pub baseline: f64,
    pub reform: f64,
    pub change: f64,
    pub change_with_behaviour: f64,
    /// Weighted count of earners whose tax changes.
    pub affected: f64,
    pub payers_baseline: f64,
    pub payers_reform: f64,
    pub reduction_baseline: f64,
    pub deciles: Vec<DecileRow>,
    pub top1: DecileRow,
}

#[derive(Clone, Copy, Default)]
struct Acc {
    persons: f64,
    income: f64,
    base: f64,
    reform: f64,
    winners: f64,
    losers: f64,
}

impl Acc {
    fn add(&mut self, o: &Acc) {
        self.persons += o.persons;
        self.income += o.income;
        self.base += o.base;
        self.reform += o.reform;
        self.winners += o.winners;
        self.losers += o.losers;
    }
    fn row(&self, decile: Option<u8>) -> DecileRow {
        let p = self.persons.max(1e-12);
        DecileRow {
            decile,
            persons: self.persons,
            mean_income: self.income / p,
            baseline_tax: self.base,
            reform_tax: self.reform,
            avg_change: (self.reform - self.base) / p,
            change_pct_of_income: if self.income > 0.0 {
                100.0 * (self.reform - self.base) / self.income
            } else {
                0.0
            },
            winners_share: self.winners / p,
            losers_share: self.losers / p,
        }
    }
}

#[derive(Clone, Copy, Default)]
struct Totals {
    deciles: [Acc; 10],
    top1: Acc,
    behaviour: f64,
    affected: f64,
    payers_base: f64,
    payers_reform: f64,
    reduction_base: f64,
}

impl Totals {
    fn merge(mut self, o: Totals) -> Totals {
        for d in 0..10 {
            self.deciles[d].add(&o.deciles[d]);
        }
        self.top1.add(&o.top1);
        self.behaviour += o.behaviour;
        self.affected += o.affected;
        self.payers_base += o.payers_base;
        self.payers_reform += o.payers_reform;
        self.reduction_base += o.reduction_base;
        self
    }
}

/// Each kind of earner's allowances under the baseline and the reform (the reform's equal to
/// the baseline's in a baseline run), and each earner's kind.
struct KindAllowances<'a> {
    code: &'a [u16],
    base: Vec<Money>,
    reform: Vec<Money>,
}

/// The household deciles summed in the salaries pass: each record adds its tax to its
/// household's decile; a single earner's household wins or loses with it, a couple's by both
/// changes together, which waits for the second pass (`couple_change` keeps each member's).
/// Households and income by decile do not depend on the reform and come from the year's
/// [`HouseholdYear`](crate::households::HouseholdYear).
struct HouseholdPass<'a> {
    codes: &'a [u8],
    couple_slot: &'a [u32],
    couple_change: &'a [AtomicI64],
    /// Where a single earner's change goes (nothing reads it).
    sink: AtomicI64,
    /// (baseline, reform, winners, losers) by decile (index 10: the top 1%), in four banks
    /// taken in turn by record so that neighbouring records in the same decile do not wait
    /// on each other's sums.
    banks: [[[f64; 4]; 16]; 4],
}

impl HouseholdPass<'_> {
    #[inline(always)]
    fn add(&mut self, i: usize, w: f64, bt: f64, rt: f64, change: i64) {
        use crate::households::{SINGLE, TOP1};
        let slot = self.couple_slot[i];
        let single = slot == SINGLE;
        // Singles and couples' members are interleaved at random, so a branch on which one a
        // record is would be mispredicted every other record: a single writes its change to
        // the pass's own sink instead. Each couple slot is written by its one record, in this
        // pass only.
        let idx = select_unpredictable(single, 0, slot as usize);
        let own = self.couple_change.get(idx).unwrap_or(&self.sink);
        select_unpredictable(single, &self.sink, own).store(change, Ordering::Relaxed);
        let sw = select_unpredictable(single, w, 0.0);
        let a = [
            w * bt,
            w * rt,
            sw * f64::from(u8::from(change < 0)),
            sw * f64::from(u8::from(change > 0)),
        ];
        let code = self.codes[i];
        let bank = &mut self.banks[i & 3];
        let d = &mut bank[usize::from(code & 0x0f)];
        for k in 0..4 {
            d[k] += a[k];
        }
        if code & TOP1 != 0 {
            for k in 0..4 {
                bank[10][k] += a[k];
            }
        }
    }

    /// The banks summed: (baseline, reform, winners, losers), index 10 the top 1%.
    fn sums(&self) -> [[f64; 4]; 11] {
        let mut out = [[0.0; 4]; 11];
        for bank in &self.banks {
            for (o, b) in out.iter_mut().zip(bank) {
                for k in 0..4 {
                    o[k] += b[k];
                }
            }
        }
        out
    }
}

/// One run of earners within a decile: the decile's sums (returned) and the counts (into `t`).
/// `BEHAVIOUR` selects the kernel with marginal rates; without it, the prepared kernel.
/// `HOUSEHOLDS` compiles the household sums in (`hh` is ignored without it), so the pass
/// without them carries none of their code.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn segment<const BEHAVIOUR: bool, const HOUSEHOLDS: bool>(
    view: &YearView<'_>,
    lo: usize,
    hi: usize,
    base: &SalariesTaxParams,
    base_prep: &Prepared<'_>,
    reform_prep: Option<&Prepared<'_>>,
    shared: Option<Shared>,
    reform_behaviour: Option<(&SalariesTaxParams, Behaviour)>,
    kinds: Option<&KindAllowances<'_>>,
    t: &mut Totals,
    mut hh: Option<&mut HouseholdPass<'_>>,
) -> Acc {
    let mut acc = Acc::default();
    let mut reduction_cents = 0.0;
    let behaviour = reform_behaviour.map(|(_, b)| b);
    let reform = reform_behaviour.map(|(p, _)| p);
    for i in lo..hi {
        // With the allowances looked up by kind, the kernel reads only the amounts.
        let e = if !BEHAVIOUR && kinds.is_some() {
            view.earners.earner_amounts(i, view.factor)
        } else {
            view.earners.earner(i, view.factor)
        };
        let w = view.weights[i];
        let (b_before, b_after, b_mtr, r_after, r_mtr) = if BEHAVIOUR {
            let (b_before, b_after, b_mtr) = earner_tax(&e, base);
            match reform {
                Some(p) => {
                    let (_, after, mtr) = earner_tax(&e, p);
                    (b_before, b_after, b_mtr, after, mtr)
                }
                None => (b_before, b_after, b_mtr, b_after, b_mtr),
            }
        } else {
            let zero = hkb_law::Rate::ZERO;
            match (reform_prep, shared, kinds) {
                (Some(rp), Some(sh), Some(k)) => {
                    let c = usize::from(k.code[i]);
                    let ((b, a), (_, r)) = earner_tax_pair_with_allowances(
                        &e,
                        base_prep,
                        k.base[c],
                        rp,
                        k.reform[c],
                        sh,
                    );
                    (b, a, zero, r, zero)
                }
                (Some(rp), Some(sh), None) => {
                    let ((b, a), (_, r)) = earner_tax_pair(&e, base_prep, rp, sh);
                    (b, a, zero, r, zero)
                }
                (_, _, Some(k)) => {
                    let (b, a) =
                        earner_tax_with_allowances(&e, base_prep, k.base[usize::from(k.code[i])]);
                    (b, a, zero, a, zero)
                }
                _ => {
                    let (b, a) = earner_tax_prepared(&e, base_prep);
                    (b, a, zero, a, zero)
                }
            }
        };
        // Sums in cents, turned into dollars once per run: a division per record would cost
        // more than the rest of the bookkeeping.
        let (bt, rt) = (b_after.cents() as f64, r_after.cents() as f64);
        let inc_cents = e.employment_income as f64;
        if HOUSEHOLDS && let Some(h) = hh.as_deref_mut() {
            h.add(i, w, bt, rt, r_after.cents() - b_after.cents());
        }
        acc.persons += w;
        acc.income += w * inc_cents;
        acc.base += w * bt;
        acc.reform += w * rt;
        if rt < bt {
            acc.winners += w;
        }
        if rt > bt {
            acc.losers += w;
        }
        if rt != bt {
            t.affected += w;
        }
        if b_before.cents() > 0 {
            t.payers_base += w;
            reduction_cents += w * (b_before - b_after).cents() as f64;
        }
        let no_reform = if BEHAVIOUR {
            reform.is_none()
        } else {
            reform_prep.is_none()
        };
        if r_after.cents() > 0 || (no_reform && b_before.cents() > 0) {
            t.payers_reform += w;
        }
        if BEHAVIOUR && let Some(beh) = behaviour.filter(|b| r_mtr != b_mtr && b.eti != 0.0) {
            // Taxable income responds to the net-of-tax rate; the extra income is taxed at the
            // reform's marginal rate.
            let ratio = (1.0 - r_mtr.to_f64()) / (1.0 - b_mtr.to_f64()).max(1e-6);
            let dz = inc_cents / 100.0 * (ratio.powf(beh.eti) - 1.0);
            t.behaviour += w * dz * r_mtr.to_f64();
        }
    }
    t.reduction_base += reduction_cents / 100.0;
    acc.income /= 100.0;
    acc.base /= 100.0;
    acc.reform /= 100.0;
    acc
}

/// Runs baseline and reform over every earner in one pass. With `reform == None` the reform
/// equals the baseline (a baseline run).
pub fn run(
    view: &YearView<'_>,
    base: &SalariesTaxParams,
    reform: Option<&SalariesTaxParams>,
    behaviour: Option<Behaviour>,
) -> SalariesOutcome {
    run_with_households(view, base, reform, behaviour, None).0
}

/// Deciles by household from [`run_with_households`]: the ten deciles and the top 1%.
pub type HouseholdDeciles = (Vec<DecileRow>, DecileRow);

/// Household sums of one chunk: (baseline, reform, winners, losers) by decile, the top 1% last.
type HouseholdSums = [[f64; 4]; 11];

/// A buffer of couples' changes in tax the household pass reuses from run to run (a fresh one
/// costs its page faults every run). Runs at the same time do not wait for it: all but one
/// take a fresh buffer. A clone is a new, empty buffer.
#[derive(Debug, Default)]
pub struct ChangeScratch(std::sync::Mutex<Vec<AtomicI64>>);

impl Clone for ChangeScratch {
    fn clone(&self) -> Self {
        ChangeScratch::default()
    }
}

/// What deciles by household need: the households, the year's
/// [`HouseholdYear`](crate::households::HouseholdYear) and a buffer to reuse.
#[derive(Clone, Copy)]
pub struct ByHousehold<'a> {
    pub households: &'a crate::households::Households,
    pub year: &'a crate::households::HouseholdYear,
    pub scratch: &'a ChangeScratch,
}

/// [`run`], also summing the salaries tax by decile of equivalised household income (and the
/// top 1% of households) when `households` is given. Households count with the mean
/// of their records' weights (each member adds half its weight, a single earner all of it); tax
/// and income keep each record's own weight, so the deciles add up to the earner totals. A
/// household wins or loses by the change in its members' tax together.
/// No household deciles (`None`) come back when `households` does not fit `view`: another
/// population, or a year scaled with another income factor.
pub fn run_with_households(
    view: &YearView<'_>,
    base: &SalariesTaxParams,
    reform: Option<&SalariesTaxParams>,
    behaviour: Option<Behaviour>,
    households: Option<ByHousehold<'_>>,
) -> (SalariesOutcome, Option<HouseholdDeciles>) {
    const CHUNK: usize = 16_384;
    let n = view.earners.len();
    let base_prep = Prepared::new(base);
    let reform_prep = reform.map(Prepared::new);
    let shared = reform.map(|r| Shared::between(base, r));
    // Allowances depend on a few facts of the household, so they are computed once per kind of
    // earner (a few hundred) rather than once per earner; the kernel is the same.
    let kinds = view.earners.allowance_kinds().map(|k| {
        let base_allowances: Vec<Money> = k.facts.iter().map(|f| allowances_of(f, base)).collect();
        KindAllowances {
            code: &k.code,
            reform: match reform {
                Some(r) => k.facts.iter().map(|f| allowances_of(f, r)).collect(),
                None => base_allowances.clone(),
            },
            base: base_allowances,
        }
    });
    let households = households.filter(|b| {
        b.households.couple_slot.len() == n
            && b.year.factor_ppm == view.factor
            && b.year.codes.len() == n
            && b.year.couple_code.len() == b.households.couples.len()
            && b.year.couple_weight.len() == b.households.couples.len()
    });
    // Each couple member's change in tax, for the second pass. Every slot is written in the
    // first pass before the second reads it, so the reused buffer needs no clearing.
    let mut guard = households.and_then(|b| b.scratch.0.try_lock().ok());
    let mut fresh = Vec::new();
    let couple_change: &mut Vec<AtomicI64> = match guard.as_deref_mut() {
        Some(reused) => reused,
        None => &mut fresh,
    };
    if let Some(b) = households {
        couple_change.resize_with(2 * b.households.couples.len(), AtomicI64::default);
    }
    let couple_change: &[AtomicI64] = couple_change;
    let chunk = |c: usize| {
        let mut t = Totals::default();
        let mut hh = households.map(|by| HouseholdPass {
            codes: &by.year.codes,
            couple_slot: &by.households.couple_slot,
            couple_change,
            sink: AtomicI64::default(),
            banks: [[[0.0; 4]; 16]; 4],
        });
        let hi = ((c + 1) * CHUNK).min(n);
        let mut lo = c * CHUNK;
        // Earners are sorted by income, so a decile (and the top 1%) is a contiguous run:
        // sum each run in local accumulators and add it to its decile once.
        while lo < hi {
            let d = view.decile_of(lo);
            let mut end = if d < 9 {
                view.decile_starts[d + 1].min(hi)
            } else {
                hi
            };
            if lo < view.top1_start {
                end = end.min(view.top1_start);
            }
            let end = end.max(lo + 1);
            // The prepared kernel, with or without the household sums compiled in.
            macro_rules! prepared {
                ($households:literal, $rp:expr) => {
                    segment::<false, $households>(
                        view,
                        lo,
                        end,
                        base,
                        &base_prep,
                        $rp.as_ref(),
                        shared,
                        None,
                        kinds.as_ref(),
                        &mut t,
                        hh.as_mut(),
                    )
                };
            }
            let seg = match (behaviour, reform, &reform_prep) {
                (None, _, rp) if hh.is_some() => prepared!(true, rp),
                (None, _, rp) => prepared!(false, rp),
                (Some(b), r, _) => segment::<true, true>(
                    view,
                    lo,
                    end,
                    base,
                    &base_prep,
                    None,
                    None,
                    r.map(|p| (p, b)),
                    None,
                    &mut t,
                    hh.as_mut(),
                ),
            };
            t.deciles[d].add(&seg);
            if lo >= view.top1_start {
                t.top1.add(&seg);
            }
            lo = end;
        }
        (t, hh.map(|h| h.sums()))
    };
    let per_chunk: Vec<(Totals, Option<HouseholdSums>)> =
        (0..n.div_ceil(CHUNK)).into_par_iter().map(chunk).collect();
    let mut by_household: Option<HouseholdSums> = None;
    let mut totals = Totals::default();
    for (t, h) in per_chunk {
        totals = totals.merge(t);
        if let Some(part) = h {
            let sums = by_household.get_or_insert([[0.0; 4]; 11]);
            for (x, y) in sums.iter_mut().zip(&part) {
                for k in 0..4 {
                    x[k] += y[k];
                }
            }
        }
    }
    let by_household = match (by_household, households) {
        (Some(sums), Some(by)) => Some(couples_and_rows(by.year, couple_change, sums)),
        _ => None,
    };
    let mut all = Acc::default();
    for d in &totals.deciles {
        all.add(d);
    }
    let outcome = SalariesOutcome {
        baseline: all.base,
        reform: all.reform,
        change: all.reform - all.base,
        change_with_behaviour: all.reform - all.base + totals.behaviour,
        affected: totals.affected,
        payers_baseline: totals.payers_base,
        payers_reform: totals.payers_reform,
        reduction_baseline: totals.reduction_base,
        deciles: rows(&totals.deciles),
        top1: totals.top1.row(None),
    };
    (outcome, by_household)
}

/// The second household pass: a couple wins or loses by both members' change together,
/// counted once with the mean of their weights; then the year's households and income join
/// the sums, and the sums (cents) become rows (dollars), as in [`run`].
fn couples_and_rows(
    year: &crate::households::HouseholdYear,
    couple_change: &[AtomicI64],
    mut sums: HouseholdSums,
) -> HouseholdDeciles {
    use crate::households::TOP1;
    const CHUNK: usize = 65_536;
    let couples = year.couple_code.len();
    let parts: Vec<[(f64, f64); 11]> = (0..couples.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            // (winners, losers) by decile, and the top 1% last.
            let mut out = [(0.0, 0.0); 11];
            for k in c * CHUNK..((c + 1) * CHUNK).min(couples) {
                let both = couple_change[2 * k].load(Ordering::Relaxed)
                    + couple_change[2 * k + 1].load(Ordering::Relaxed);
                if both == 0 {
                    continue;
                }
                let hw = year.couple_weight[k];
                let code = year.couple_code[k];
                let slots = [usize::from(code & 0x0f), 10];
                for &s in &slots[..if code & TOP1 != 0 { 2 } else { 1 }] {
                    if both < 0 {
                        out[s].0 += hw;
                    } else {
                        out[s].1 += hw;
                    }
                }
            }
            out
        })
        .collect();
    for part in parts {
        for (s, (w, l)) in sums.iter_mut().zip(part) {
            s[2] += w;
            s[3] += l;
        }
    }
    let mut accs = [Acc::default(); 11];
    for ((a, s), &(persons, income)) in accs.iter_mut().zip(&sums).zip(&year.persons_income) {
        *a = Acc {
            persons,
            income: income / 100.0,
            base: s[0] / 100.0,
            reform: s[1] / 100.0,
            winners: s[2],
            losers: s[3],
        };
    }
    let mut deciles = [Acc::default(); 10];
    deciles.copy_from_slice(&accs[..10]);
    (rows(&deciles), accs[10].row(None))
}

/// The ten decile rows, numbered 1 to 10.
fn rows(deciles: &[Acc; 10]) -> Vec<DecileRow> {
    deciles
        .iter()
        .enumerate()
        .map(|(d, a)| a.row(Some(d as u8 + 1)))
        .collect()
}
