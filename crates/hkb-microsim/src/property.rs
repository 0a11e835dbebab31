//! Residential property deals for a financial year: the Land Registry's count of agreements in
//! that financial year, lognormal prices fitted to the published mean and share at or below
//! HK$4m, buyer kinds and resales within the SSD period in that year's mix, spread evenly over
//! the year's months; duty from the exact stamp-duty rules in force on each deal's date.
//!
//! The buyer mix matters because the cooling duties suppressed the very buyers they taxed:
//! while BSD and the 15% new residential stamp duty were in force (to 27 February 2024), IRD's
//! monthly stamp-duty statistics count a few per cent of deals paying them, against the 22%
//! non-resident and 35% second-home buyers of 2024 after they were abolished. Each financial
//! year to 2023-24 takes its shares from those counts (`cooling_mix`); later years take the
//! 2024 shares.

use crate::error::SimError;
use crate::sources::{Sourced, YearValue};
use chrono::NaiveDate;
use hkb_law::{Law, Money, Reform, StampDutyParams};
use hkb_rules::input::{Amount, Buyer, BuyerKind, Deal, InstrumentTime, PropertyKind};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PropertySources {
    /// Residential agreements by financial year (the year it starts in).
    pub transactions: Vec<YearValue>,
    /// The mean residential price, standing in for a financial year not in `mean_price_by_year`.
    pub mean_price: Sourced,
    /// The mean residential price by financial year (Land Registry consideration / agreements).
    #[serde(default)]
    pub mean_price_by_year: Vec<YearValue>,
    pub share_at_or_below_4m: Sourced,
    /// The buyer mix once the cooling duties were gone (from FY2024-25).
    pub non_hkpr_share: Sourced,
    pub hkpr_owning_other_share: Sourced,
    pub company_share: Sourced,
    pub resale_within_36_months_share: Sourced,
    /// The buyer mix of each financial year while the cooling duties were in force.
    #[serde(default)]
    pub cooling_mix: Vec<CoolingMix>,
    /// Cooling-duty revenue (SSD + BSD + AVD at Part 1 of Scale 1) in months IRD published it,
    /// beside the Land Registry's agreements in the same months: an out-of-sample check of the
    /// duty per deal (the mix is fitted to case counts, not amounts).
    #[serde(default)]
    pub cooling_revenue: Vec<CoolingRevenue>,
    /// IRD's stamp duty on all instruments by financial year: an upper bound for the model's
    /// residential plus stock duty.
    #[serde(default)]
    pub total_stamp_duty: Vec<YearValue>,
    pub non_stock_stamp_duty: Vec<YearValue>,
    /// Non-residential deals (shops, offices, industrial units, car parks).
    #[serde(default)]
    pub non_residential: Option<NonResidentialSources>,
}

/// Non-residential deals: counts from the Land Registry, a price level fitted to the duty the
/// abolition of the doubled duty saved, and an out-of-sample check of the duty per case.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NonResidentialSources {
    pub agreements: Vec<AgreementWindow>,
    pub dsd_abolition: DsdAbolition,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dsd_check: Option<DsdCheck>,
}

/// Non-residential agreements over `months` months from `start` (`YYYY-MM`).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AgreementWindow {
    pub start: String,
    pub months: u32,
    pub count: f64,
    #[serde(default = "crate::sources::published")]
    pub status: hkb_law::Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub source: hkb_law::Source,
}

/// The abolition of the doubled ad valorem duty on non-residential property: the deals from
/// `date` to the end of the window the Government counted, and the duty they saved.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DsdAbolition {
    /// The first day without the doubled duty (`YYYY-MM-DD`).
    pub date: String,
    pub transactions: f64,
    pub duty_saved: f64,
    pub source: hkb_law::Source,
}

/// Doubled duty collected on non-residential property in some months, and its case count.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DsdCheck {
    /// The financial year the months fall in.
    pub year: i32,
    pub months: String,
    pub duty: f64,
    pub cases: f64,
    #[serde(default = "crate::sources::published")]
    pub status: hkb_law::Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub source: hkb_law::Source,
}

impl DsdAbolition {
    /// The first day without the doubled duty.
    pub fn first_day(&self) -> Result<NaiveDate, SimError> {
        NaiveDate::parse_from_str(&self.date, "%Y-%m-%d").map_err(|_| {
            SimError::Data(format!(
                "property.non_residential.dsd_abolition.date: `{}` is not YYYY-MM-DD",
                self.date
            ))
        })
    }
}

impl AgreementWindow {
    /// (the window's middle in fractional years, agreements a year).
    fn annualised(&self) -> Result<(f64, f64), SimError> {
        let bad = || {
            SimError::Data(format!(
                "non_residential.agreements: start `{}` must be YYYY-MM and months from 1 to 60",
                self.start
            ))
        };
        let (y, m) = self.start.split_once('-').ok_or_else(bad)?;
        let (y, m): (i32, u32) = (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        if !(1..=12).contains(&m) || !(1..=60).contains(&self.months) {
            return Err(bad());
        }
        let start = f64::from(y) + f64::from(m - 1) / 12.0;
        let middle = start + f64::from(self.months) / 24.0;
        Ok((middle, self.count * 12.0 / f64::from(self.months)))
    }
}

impl NonResidentialSources {
    /// Non-residential agreements in the financial year starting 1 April `fy`: the straight line
    /// between the annualised windows around the year's middle (1 October), or the nearest
    /// window beyond the first or last.
    pub fn agreements_in(&self, fy: i32) -> Result<f64, SimError> {
        let mut points = self
            .agreements
            .iter()
            .map(AgreementWindow::annualised)
            .collect::<Result<Vec<_>, _>>()?;
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (Some(first), Some(last)) = (points.first(), points.last()) else {
            return Err(SimError::Data("non_residential.agreements is empty".into()));
        };
        let t = f64::from(fy) + 0.75;
        if t <= first.0 {
            return Ok(first.1);
        }
        if t >= last.0 {
            return Ok(last.1);
        }
        let after = points
            .iter()
            .position(|p| p.0 >= t)
            .unwrap_or(points.len() - 1);
        let (a, b) = (points[after - 1], points[after]);
        Ok(a.1 + (b.1 - a.1) * (t - a.0) / (b.0 - a.0))
    }
}

/// Shares of all residential deals in a financial year, from IRD's case counts divided by the
/// Land Registry's agreements in the same months.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CoolingMix {
    /// The financial year starting 1 April of this year.
    pub year: i32,
    /// Deals paying BSD: buyers who are not permanent residents, and companies.
    pub bsd_share: f64,
    /// Deals paying the new residential stamp duty (AVD Part 1 of Scale 1): the BSD payers and
    /// permanent residents who own another home.
    pub part1_share: f64,
    /// Deals paying SSD (a resale within the holding period).
    pub ssd_share: f64,
    #[serde(default = "crate::sources::published")]
    pub status: hkb_law::Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub source: hkb_law::Source,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CoolingRevenue {
    /// The financial year the months fall in.
    pub year: i32,
    /// The months, for the label (`2021-04, 2021-05, 2022-03`).
    pub months: String,
    /// SSD + BSD + Part 1 AVD collected in those months (HK$).
    pub revenue: f64,
    /// Land Registry residential agreements in those months.
    pub agreements: f64,
    #[serde(default = "crate::sources::published")]
    pub status: hkb_law::Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub source: hkb_law::Source,
}

/// The shares a financial year's deals are drawn with: (company, non-HKPR, HKPR owning another
/// home as a share of HKPR buyers, seller within the SSD period).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mix {
    pub company: f64,
    pub non_hkpr: f64,
    pub hkpr_owning_other: f64,
    pub resale: f64,
}

impl PropertySources {
    /// The mean residential price of the financial year starting in `fy`.
    pub fn mean_price_in(&self, fy: i32) -> f64 {
        self.mean_price_by_year
            .iter()
            .find(|m| m.year == fy)
            .map_or(self.mean_price.value, |m| m.value)
    }

    /// The buyer mix of the financial year starting in `fy`: the cooling-era row of that year,
    /// or, for a year after the last row, the post-abolition shares. A year before the first row
    /// takes the first row. Companies are split from the BSD payers in the 2024 proportion
    /// (an assumption: IRD counts them together).
    pub fn mix(&self, fy: i32) -> Mix {
        let after = Mix {
            company: self.company_share.value,
            non_hkpr: self.non_hkpr_share.value,
            hkpr_owning_other: self.hkpr_owning_other_share.value,
            resale: self.resale_within_36_months_share.value,
        };
        let last = self.cooling_mix.iter().map(|m| m.year).max();
        let row = match last {
            Some(l) if fy <= l => self
                .cooling_mix
                .iter()
                .filter(|m| m.year <= fy)
                .max_by_key(|m| m.year)
                .or_else(|| self.cooling_mix.iter().min_by_key(|m| m.year)),
            _ => None,
        };
        let Some(m) = row else { return after };
        let bsd_payers = after.company + after.non_hkpr;
        let company_part = if bsd_payers > 0.0 {
            after.company / bsd_payers
        } else {
            0.0
        };
        let other_home = (m.part1_share - m.bsd_share).max(0.0);
        Mix {
            company: m.bsd_share * company_part,
            non_hkpr: m.bsd_share * (1.0 - company_part),
            hkpr_owning_other: if m.bsd_share < 1.0 {
                other_home / (1.0 - m.bsd_share)
            } else {
                0.0
            },
            resale: m.ssd_share,
        }
    }
}

/// Lognormal (mu, sigma) with the given mean and P(X <= 4m): solved by bisection on sigma.
pub fn fit_lognormal(mean: f64, share_4m: f64) -> (f64, f64) {
    // z such that Phi(z) = share (inverse normal by bisection on erf).
    let phi = |x: f64| 0.5 * (1.0 + erf(x / std::f64::consts::SQRT_2));
    let (mut lo, mut hi) = (-8.0, 8.0);
    for _ in 0..200 {
        let m = (lo + hi) / 2.0;
        if phi(m) < share_4m { lo = m } else { hi = m }
    }
    let z = (lo + hi) / 2.0;
    // ln 4m = mu + z sigma, ln mean = mu + sigma^2 / 2  =>  sigma^2/2 - z sigma - (ln mean - ln 4m) = 0
    let c = mean.ln() - 4.0e6f64.ln();
    let sigma = z + (z * z + 2.0 * c).sqrt();
    (mean.ln() - sigma * sigma / 2.0, sigma)
}

fn erf(x: f64) -> f64 {
    // Abramowitz & Stegun 7.1.26 (max error 1.5e-7).
    let t = 1.0 / (1.0 + 0.327_591_1 * x.abs());
    let y = 1.0
        - (((((1.061_405_429 * t - 1.453_152_027) * t) + 1.421_413_741) * t - 0.284_496_736) * t
            + 0.254_829_592)
            * t
            * (-x * x).exp();
    if x >= 0.0 { y } else { -y }
}

#[derive(Clone, Debug)]
pub struct Deals {
    pub deals: Vec<Deal>,
    /// Transactions each deal stands for.
    pub weight: f64,
}

/// Generates `n` deal records for the financial year starting 1 April `fy`.
pub fn generate(src: &PropertySources, fy: i32, n: usize, seed: u64) -> Result<Deals, SimError> {
    let volume = src
        .transactions
        .iter()
        .find(|t| t.year == fy)
        .map(|t| t.value)
        .ok_or_else(|| SimError::Data(format!("no residential transaction count for {fy}")))?;
    let (mu, sigma) = fit_lognormal(src.mean_price_in(fy), src.share_at_or_below_4m.value);
    let mix = src.mix(fy);
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xDEA1);
    let mut deals = Vec::with_capacity(n);
    let start = NaiveDate::from_ymd_opt(fy, 4, 15)
        .ok_or_else(|| SimError::Data(format!("no date for the financial year starting {fy}")))?;
    for i in 0..n {
        let month = (i * 12 / n) as u32;
        let date = start
            .checked_add_months(chrono::Months::new(month))
            .unwrap_or(start);
        let z: f64 = StandardNormal.sample(&mut rng);
        let price = (mu + sigma * z).exp();
        let u: f64 = rng.random();
        let (kind, other) = if u < mix.company {
            (BuyerKind::Company, false)
        } else if u < mix.company + mix.non_hkpr {
            (BuyerKind::NonHkpr, false)
        } else {
            (BuyerKind::Hkpr, rng.random::<f64>() < mix.hkpr_owning_other)
        };
        let seller_acquired = if rng.random::<f64>() < mix.resale {
            date.checked_sub_days(chrono::Days::new(rng.random_range(30..1095)))
        } else {
            None
        };
        deals.push(Deal {
            instrument_date: InstrumentTime {
                at: date.and_hms_opt(12, 0, 0).unwrap_or_default(),
                time_given: true,
            },
            consideration: Amount(Money::from_f64(price).unwrap_or_default()),
            value: None,
            property: PropertyKind::Residential,
            buyers: vec![Buyer {
                kind,
                owns_other_residential: other,
                acting_on_own_behalf: true,
            }],
            buyers_are_close_relatives: false,
            seller_acquired,
            units: 1,
        });
    }
    Ok(Deals {
        deals,
        weight: volume / n as f64,
    })
}

/// A non-residential deal at `price` on `date` (the buyer does not change the duty).
fn non_residential_deal(date: NaiveDate, price: f64) -> Deal {
    Deal {
        instrument_date: InstrumentTime {
            at: date.and_hms_opt(12, 0, 0).unwrap_or_default(),
            time_given: true,
        },
        consideration: Amount(Money::from_f64(price).unwrap_or_default()),
        value: None,
        property: PropertyKind::NonResidential,
        buyers: vec![Buyer {
            kind: BuyerKind::Hkpr,
            owns_other_residential: false,
            acting_on_own_behalf: true,
        }],
        buyers_are_close_relatives: false,
        seller_acquired: None,
        units: 1,
    }
}

/// Draws of the standard normal for the non-residential price fit (fixed, so the fit is the
/// same in every run).
const FIT_DRAWS: usize = 2_000;

/// The doubled duty abolished on `dsd_abolition.date`, less the duty after it, per deal, for
/// prices lognormal with a given mu and a fixed dispersion: the quantity the price level is
/// fitted to. Uses a fixed set of normal draws, so the fit is the same in every run.
struct AbolitionSaving {
    before: (NaiveDate, StampDutyParams),
    after: (NaiveDate, StampDutyParams),
    shape: Vec<f64>,
}

impl AbolitionSaving {
    fn new(law: &Law, a: &DsdAbolition, sigma: f64) -> Result<Self, SimError> {
        let after = a.first_day()?;
        let before = after.pred_opt().ok_or_else(|| {
            SimError::Data(format!(
                "property.non_residential.dsd_abolition.date: no day before {after}"
            ))
        })?;
        let params = |d: NaiveDate| -> Result<StampDutyParams, SimError> {
            let set = law.resolve_at(
                d.and_hms_opt(12, 0, 0).unwrap_or_default(),
                &d.to_string(),
                None,
            )?;
            Ok(StampDutyParams::from_set(&set)?)
        };
        let mut rng = ChaCha8Rng::seed_from_u64(0x0A11_D5D0);
        let shape = (0..FIT_DRAWS)
            .map(|_| {
                let z: f64 = StandardNormal.sample(&mut rng);
                (sigma * z).exp()
            })
            .collect();
        Ok(AbolitionSaving {
            before: (before, params(before)?),
            after: (after, params(after)?),
            shape,
        })
    }

    fn per_deal(&self, mu: f64) -> f64 {
        let duty = |(date, p): &(NaiveDate, StampDutyParams), price: f64| {
            hkb_rules::stamp::property_stamp_duty(
                &non_residential_deal(*date, price),
                p,
                None,
                &mut hkb_rules::Trace::off(),
            )
            .total_duty
            .cents() as f64
                / 100.0
        };
        let scale = mu.exp();
        self.shape
            .iter()
            .map(|f| duty(&self.before, scale * f) - duty(&self.after, scale * f))
            .sum::<f64>()
            / self.shape.len() as f64
    }
}

/// The lognormal (mu, sigma) of non-residential prices: sigma is the residential dispersion at
/// `mean_price` (an assumption: no distribution of non-residential prices was found) and mu is
/// fitted so that the doubled duty abolished on `dsd_abolition.date`, less the duty after it,
/// averages `duty_saved / transactions` a deal, under `law`.
pub fn fit_non_residential(
    law: &Law,
    src: &PropertySources,
    nr: &NonResidentialSources,
) -> Result<(f64, f64), SimError> {
    let (_, sigma) = fit_lognormal(src.mean_price.value, src.share_at_or_below_4m.value);
    let a = &nr.dsd_abolition;
    let field = "property.non_residential.dsd_abolition";
    if !(a.transactions > 0.0 && a.duty_saved > 0.0) {
        return Err(SimError::Data(format!(
            "{field}: transactions and duty_saved must be positive"
        )));
    }
    let target = a.duty_saved / a.transactions;
    let saving = AbolitionSaving::new(law, a, sigma)?;
    // The saving rises with the price level; bisect ln(median price) between HK$10,000 and HK$1bn.
    let (mut lo, mut hi) = (1.0e4f64.ln(), 1.0e9f64.ln());
    if saving.per_deal(hi) < target || saving.per_deal(lo) > target {
        return Err(SimError::Data(format!(
            "{field}: no price level gives HK${target:.0} saved a deal under this law (is the doubled duty on non-residential property, stamp_duty.avd.non_residential_scale1, in force the day before {}?)",
            a.date
        )));
    }
    for _ in 0..48 {
        let mid = (lo + hi) / 2.0;
        if saving.per_deal(mid) < target {
            lo = mid
        } else {
            hi = mid
        }
    }
    Ok(((lo + hi) / 2.0, sigma))
}

/// The saving per deal from the abolition of the doubled duty at prices lognormal `(mu, sigma)`
/// under `law`: what `fit_non_residential` matched to the published saving.
pub fn non_residential_saving(
    law: &Law,
    a: &DsdAbolition,
    (mu, sigma): (f64, f64),
) -> Result<f64, SimError> {
    Ok(AbolitionSaving::new(law, a, sigma)?.per_deal(mu))
}

/// Generates `n` non-residential deal records for the financial year starting 1 April `fy`,
/// with prices lognormal (`mu`, `sigma`).
pub fn generate_non_residential(
    nr: &NonResidentialSources,
    fy: i32,
    n: usize,
    seed: u64,
    (mu, sigma): (f64, f64),
) -> Result<Deals, SimError> {
    let volume = nr.agreements_in(fy)?;
    let start = NaiveDate::from_ymd_opt(fy, 4, 15)
        .ok_or_else(|| SimError::Data(format!("no date for the financial year starting {fy}")))?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x0A11_0DEA);
    let deals = (0..n)
        .map(|i| {
            let date = start
                .checked_add_months(chrono::Months::new((i * 12 / n) as u32))
                .unwrap_or(start);
            let z: f64 = StandardNormal.sample(&mut rng);
            non_residential_deal(date, (mu + sigma * z).exp())
        })
        .collect();
    Ok(Deals {
        deals,
        weight: volume / n.max(1) as f64,
    })
}

/// An SSD schedule: (months held or less, rate).
type Schedule = Vec<(u32, hkb_law::Rate)>;

#[derive(Clone, Debug, Default, Serialize)]
pub struct PropertyOutcome {
    pub transactions: f64,
    /// The residential part of `transactions` (the base of the cooling duties).
    pub residential_transactions: f64,
    pub baseline: f64,
    pub reform: f64,
    pub change: f64,
    pub change_with_behaviour: f64,
    pub affected: f64,
    /// Deals and duty by price band (HK$m upper limits) and by buyer kind: (name, weighted
    /// deals, baseline duty, reform duty).
    pub by_price_band: Vec<(String, f64, f64, f64)>,
    pub by_buyer: Vec<(String, f64, f64, f64)>,
    /// The cooling duties at baseline (SSD + BSD + AVD at Part 1 of Scale 1), the base of IRD's
    /// monthly cooling-duty statistics.
    pub cooling_baseline: f64,
    /// Duty by type, in the order of [`DUTY_TYPES`]: (weighted deals paying it at baseline,
    /// weighted deals whose duty of this type changes, baseline duty, reform duty).
    pub by_type: [(f64, f64, f64, f64); 4],
}

impl PropertyOutcome {
    /// Adds the non-residential deals' outcome: totals, price bands and duty types add up; the
    /// non-residential deals are one more row of `by_buyer` (`non_residential`).
    pub fn absorb_non_residential(&mut self, nr: PropertyOutcome) {
        self.transactions += nr.transactions;
        self.residential_transactions += nr.residential_transactions;
        self.baseline += nr.baseline;
        self.reform += nr.reform;
        self.change += nr.change;
        self.change_with_behaviour += nr.change_with_behaviour;
        self.affected += nr.affected;
        self.cooling_baseline += nr.cooling_baseline;
        for (row, add) in self.by_price_band.iter_mut().zip(&nr.by_price_band) {
            row.1 += add.1;
            row.2 += add.2;
            row.3 += add.3;
        }
        for (row, add) in self.by_type.iter_mut().zip(nr.by_type) {
            row.0 += add.0;
            row.1 += add.1;
            row.2 += add.2;
            row.3 += add.3;
        }
        self.by_buyer.push((
            NON_RESIDENTIAL_ROW.into(),
            nr.transactions,
            nr.baseline,
            nr.reform,
        ));
    }
}

/// The key of the non-residential deals' row in `PropertyOutcome::by_buyer`.
pub const NON_RESIDENTIAL_ROW: &str = "non_residential";

/// The types of stamp duty on a residential deal, as `PropertyOutcome::by_type` orders them:
/// ad valorem duty at Scale 2 or Scale 1 Part 2, ad valorem duty at the flat rate of Scale 1
/// Part 1 (NRSD, which replaced the doubled AVD), buyer's stamp duty and special stamp duty.
pub const DUTY_TYPES: [&str; 4] = ["avd", "nrsd", "bsd", "ssd"];

fn by_type(r: &hkb_rules::stamp::PropertyDutyResult) -> [f64; 4] {
    [r.avd, r.nrsd, r.bsd, r.ssd].map(|m| m.cents() as f64 / 100.0)
}

/// Duty on every deal under the law (and the reform), with the volume response.
pub fn run(
    law: &Law,
    deals: &Deals,
    reform: Option<&Reform>,
    semi_elasticity: Option<f64>,
) -> Result<PropertyOutcome, SimError> {
    let mut cache: HashMap<(NaiveDate, bool), StampDutyParams> = HashMap::new();
    let mut sched: HashMap<(NaiveDate, bool), Option<Schedule>> = HashMap::new();
    let mut params = |d: NaiveDate, r: bool| -> Result<StampDutyParams, SimError> {
        if let Some(p) = cache.get(&(d, r)) {
            return Ok(p.clone());
        }
        let set = law.resolve_at(
            d.and_hms_opt(12, 0, 0).unwrap_or_default(),
            &d.to_string(),
            if r { reform } else { None },
        )?;
        let p = StampDutyParams::from_set(&set)?;
        cache.insert((d, r), p.clone());
        Ok(p)
    };
    let bands = [
        ("<=4m", 4e6),
        ("4-10m", 10e6),
        ("10-20m", 20e6),
        ("20-100m", 100e6),
        (">100m", f64::INFINITY),
    ];
    let mut out = PropertyOutcome {
        by_price_band: bands
            .iter()
            .map(|(n, _)| ((*n).into(), 0.0, 0.0, 0.0))
            .collect(),
        ..Default::default()
    };
    let kinds = ["hkpr", "non_hkpr", "company"];
    out.by_buyer = kinds.iter().map(|k| ((*k).into(), 0.0, 0.0, 0.0)).collect();
    let (mut duty_rate_base, mut duty_rate_reform, mut value) = (0.0, 0.0, 0.0);
    for d in &deals.deals {
        let date = d.instrument_date.at.date();
        let mut duty = [0.0; 2];
        let mut types = [[0.0; 4]; 2];
        for (k, r) in [false, true].into_iter().enumerate() {
            if r && reform.is_none() {
                duty[1] = duty[0];
                types[1] = types[0];
                continue;
            }
            let p = params(date, r)?;
            let s = match d.seller_acquired {
                Some(a) => {
                    if let Some(s) = sched.get(&(a, r)) {
                        s.clone()
                    } else {
                        let set = law.resolve_at(
                            a.and_hms_opt(0, 0, 0).unwrap_or_default(),
                            &a.to_string(),
                            if r { reform } else { None },
                        )?;
                        let s = set.opt_holding_schedule(hkb_law::transaction_paths::SSD_RATES)?;
                        sched.insert((a, r), s.clone());
                        s
                    }
                }
                None => None,
            };
            let res = hkb_rules::stamp::property_stamp_duty(
                d,
                &p,
                s.as_deref(),
                &mut hkb_rules::Trace::off(),
            );
            duty[k] = res.total_duty.cents() as f64 / 100.0;
            types[k] = by_type(&res);
            if k == 0 {
                out.cooling_baseline +=
                    deals.weight * (res.nrsd + res.bsd + res.ssd).cents() as f64 / 100.0;
            }
        }
        let w = deals.weight;
        let price = d.consideration.0.cents() as f64 / 100.0;
        for (t, row) in out.by_type.iter_mut().enumerate() {
            let (b, r) = (types[0][t], types[1][t]);
            if b > 0.0 {
                row.0 += w;
            }
            if b != r {
                row.1 += w;
            }
            row.2 += w * b;
            row.3 += w * r;
        }
        out.baseline += w * duty[0];
        out.reform += w * duty[1];
        if duty[0] != duty[1] {
            out.affected += w;
        }
        let b = bands
            .iter()
            .position(|(_, hi)| price <= *hi)
            .unwrap_or(bands.len() - 1);
        out.by_price_band[b].1 += w;
        out.by_price_band[b].2 += w * duty[0];
        out.by_price_band[b].3 += w * duty[1];
        let k = match d.buyers[0].kind {
            BuyerKind::Hkpr => 0,
            BuyerKind::NonHkpr => 1,
            BuyerKind::Company => 2,
        };
        if d.property == PropertyKind::Residential {
            out.residential_transactions += w;
        }
        out.by_buyer[k].1 += w;
        out.by_buyer[k].2 += w * duty[0];
        out.by_buyer[k].3 += w * duty[1];
        duty_rate_base += w * duty[0];
        duty_rate_reform += w * duty[1];
        value += w * price;
    }
    out.transactions = deals.weight * deals.deals.len() as f64;
    out.change = out.reform - out.baseline;
    // Volume responds to the change in the average duty rate (percentage points of price).
    out.change_with_behaviour = match semi_elasticity {
        Some(e) if value > 0.0 => {
            let dpp = 100.0 * (duty_rate_reform - duty_rate_base) / value;
            let volume_factor = (1.0 + e * dpp / 100.0).max(0.0);
            out.reform * volume_factor - out.baseline
        }
        _ => out.change,
    };
    Ok(out)
}
