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
    pub mean_price: Sourced,
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
    let (mu, sigma) = fit_lognormal(src.mean_price.value, src.share_at_or_below_4m.value);
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

/// An SSD schedule: (months held or less, rate).
type Schedule = Vec<(u32, hkb_law::Rate)>;

#[derive(Clone, Debug, Default, Serialize)]
pub struct PropertyOutcome {
    pub transactions: f64,
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
