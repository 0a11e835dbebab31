//! Monte Carlo risk: a bootstrap of historical years. Each path draws, for each projection year,
//! one historical year and applies that year's deviations of the drivers from their means, so that
//! the joint movements of GDP, property, stock turnover and land premium keep their historical
//! correlation without assuming normality (the history is too short, 2018-2023, to estimate a
//! covariance matrix reliably). Revenue heads respond to the drivers with the elasticities below;
//! expenditure and bond flows follow the baseline (policy lines).

use crate::accounts::Accounts;
use crate::data::Data;
use crate::error::FiscalError;
use crate::vintage::Baseline;
use hkb_law::Bilingual;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;

/// A historical year as found: (year, nominal GDP growth, price, volume, turnover, land ratio),
/// with drivers the sources lack as None.
type RawYear = (i32, f64, Option<f64>, Option<f64>, Option<f64>, Option<f64>);

/// One historical year's driver deviations from their means (fractions).
#[derive(Clone, Copy, Debug, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct DriverYear {
    pub year: i32,
    pub nominal_gdp: f64,
    pub property_price: f64,
    pub property_volume: f64,
    pub stock_turnover: f64,
    /// Land premium in % of GDP minus its mean.
    pub land_premium_ratio: f64,
}

#[derive(Clone, Debug, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Drivers {
    pub years: Vec<DriverYear>,
    /// Elasticity of earnings and profits tax to nominal GDP, estimated from IRD collections.
    pub ep_elasticity: f64,
    /// Share of stamp duty from stock (FY2024-25: 52.17 / 63.88).
    pub stock_share: f64,
    pub method: Vec<Bilingual>,
}

fn series_by_year(data: &Data, series: &str) -> Vec<(i32, f64)> {
    let mut v: Vec<(i32, f64)> = data
        .rows
        .iter()
        .filter(|r| r.series == series && r.status == hkb_law::Status::Actual && r.value.is_some())
        .filter_map(|r| {
            r.year[..4]
                .parse::<i32>()
                .ok()
                .filter(|_| r.year.len() == 4 || r.year.len() == 7)
                .map(|y| (y, r.value.unwrap_or_default()))
        })
        .collect();
    v.sort_by_key(|(y, _)| *y);
    v.dedup_by_key(|(y, _)| *y);
    v
}

impl Drivers {
    pub fn from_history(data: &Data) -> Result<Drivers, FiscalError> {
        let gdp = series_by_year(data, "nominal_gdp");
        let price = series_by_year(data, "residential_price_change");
        let volume = series_by_year(data, "residential_transactions");
        let adt = series_by_year(data, "hkex_average_daily_turnover");
        let land = series_by_year(data, "land_premium");
        let get = |v: &[(i32, f64)], y: i32| v.iter().find(|(x, _)| *x == y).map(|(_, v)| *v);
        let mut rows: Vec<RawYear> = Vec::new();
        for y in 2018..=2023 {
            let (Some(g1), Some(g0)) = (get(&gdp, y), get(&gdp, y - 1)) else {
                continue;
            };
            let p = get(&price, y).map(|x| x / 100.0);
            let vol = match (get(&volume, y), get(&volume, y - 1)) {
                (Some(a), Some(b)) => Some(a / b - 1.0),
                _ => None,
            };
            let a = match (get(&adt, y), get(&adt, y - 1)) {
                (Some(a), Some(b)) => Some(a / b - 1.0),
                _ => None,
            };
            let lr = get(&land, y).map(|l| 100.0 * l / g1);
            rows.push((y, g1 / g0 - 1.0, p, vol, a, lr));
        }
        // A driver missing in a year takes its mean (zero deviation), so that every year with
        // GDP data stays in the bootstrap; the missing cells are listed in the method.
        let mut missing = Vec::new();
        let mean_of = |f: &dyn Fn(&RawYear) -> Option<f64>| {
            let v: Vec<f64> = rows.iter().filter_map(f).collect();
            if v.is_empty() {
                0.0
            } else {
                v.iter().sum::<f64>() / v.len() as f64
            }
        };
        let (mp, mv, ma, ml) = (
            mean_of(&|r| r.2),
            mean_of(&|r| r.3),
            mean_of(&|r| r.4),
            mean_of(&|r| r.5),
        );
        let mut filled = Vec::new();
        for r in &rows {
            let mut take = |v: Option<f64>, m: f64, name: &str| {
                v.unwrap_or_else(|| {
                    missing.push(format!("{name} {}", r.0));
                    m
                })
            };
            filled.push(DriverYear {
                year: r.0,
                nominal_gdp: r.1,
                property_price: take(r.2, mp, "property price"),
                property_volume: take(r.3, mv, "property volume"),
                stock_turnover: take(r.4, ma, "stock turnover"),
                land_premium_ratio: take(r.5, ml, "land premium"),
            });
        }
        let mut rows = filled;
        if rows.len() < 3 {
            return Err(FiscalError::Data(format!(
                "only {} historical years have every driver; need 3",
                rows.len()
            )));
        }
        let n = rows.len() as f64;
        let mean = |f: fn(&DriverYear) -> f64| rows.iter().map(f).sum::<f64>() / n;
        let (mg, mp, mv, ma, ml) = (
            mean(|d| d.nominal_gdp),
            mean(|d| d.property_price),
            mean(|d| d.property_volume),
            mean(|d| d.stock_turnover),
            mean(|d| d.land_premium_ratio),
        );
        for d in rows.iter_mut() {
            d.nominal_gdp -= mg;
            d.property_price -= mp;
            d.property_volume -= mv;
            d.stock_turnover -= ma;
            d.land_premium_ratio -= ml;
        }
        // Elasticity of IRD earnings and profits tax (FY y) to nominal GDP growth (calendar y),
        // least squares on deviations from means.
        let ep = series_by_year(data, "ird_earnings_profits_tax_total");
        let pairs: Vec<(f64, f64)> = ep
            .windows(2)
            .filter_map(|w| {
                let (y, v) = w[1];
                let g = match (get(&gdp, y), get(&gdp, y - 1)) {
                    (Some(a), Some(b)) => a / b - 1.0,
                    _ => return None,
                };
                Some((g, v / w[0].1 - 1.0))
            })
            .collect();
        let (mx, my) = (
            pairs.iter().map(|p| p.0).sum::<f64>() / pairs.len().max(1) as f64,
            pairs.iter().map(|p| p.1).sum::<f64>() / pairs.len().max(1) as f64,
        );
        let cov: f64 = pairs.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
        let var: f64 = pairs.iter().map(|(x, _)| (x - mx).powi(2)).sum();
        let ep_elasticity = if var > 0.0 {
            (cov / var).clamp(0.0, 3.0)
        } else {
            1.0
        };
        let stock = data
            .value(
                "stamp_duty_stock_transactions",
                "2024-25",
                hkb_law::Status::Actual,
            )
            .ok();
        let stamp = data
            .value("ird_stamp_duty", "2024-25", hkb_law::Status::Actual)
            .ok()
            .map(|v| v / 1000.0);
        let stock_share = match (stock, stamp) {
            (Some(s), Some(t)) if t > 0.0 => (s / t).clamp(0.0, 1.0),
            _ => 0.82,
        };
        let years: Vec<i32> = rows.iter().map(|r| r.year).collect();
        let years = years
            .iter()
            .map(|y| y.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let (missing_en, missing_zh) = if missing.is_empty() {
            ("none".to_string(), "沒有".to_string())
        } else {
            (missing.join(", "), missing.join("、"))
        };
        let share = stock_share * 100.0;
        let method = vec![
            Bilingual::new(
                format!(
                    "bootstrap of the historical years {years}: each projection year of each path draws one of them with its joint driver deviations"
                ),
                format!(
                    "以歷史年度（{years}）重抽樣：每條路徑的每個預測年度抽取其中一年，連同該年各驅動因素的偏離"
                ),
            ),
            Bilingual::new(
                format!(
                    "drivers missing in the sources, set to their mean (no deviation): {missing_en}"
                ),
                format!("資料來源缺漏的驅動因素以平均值代替（不作偏離）：{missing_zh}"),
            ),
            Bilingual::new(
                format!(
                    "earnings and profits tax: elasticity {ep_elasticity:.2} to nominal GDP, estimated by least squares from IRD collections FY2018-19..FY2023-24 against nominal GDP growth ({} pairs)",
                    pairs.len()
                ),
                format!(
                    "薪俸稅及利得稅：對名義本地生產總值的彈性為 {ep_elasticity:.2}，以最小二乘法按稅務局 2018-19 至 2023-24 財政年度稅收與名義本地生產總值增長估算（{} 對數據）",
                    pairs.len()
                ),
            ),
            Bilingual::new(
                format!(
                    "stamp duties: {share:.0}% stock (turnover shocks), the rest property (price × volume shocks); share from FY2024-25 stock duty / IRD stamp duty"
                ),
                format!(
                    "印花稅：{share:.0}% 來自股票（成交額衝擊），其餘來自物業（價格 × 成交量衝擊）；比例按 2024-25 財政年度股票印花稅佔稅務局印花稅總額計算"
                ),
            ),
            Bilingual::fixed(
                "land premium: the drawn year's land premium ratio to GDP minus its mean, times GDP (never below zero)",
                "地價收入：所抽年度地價收入佔本地生產總值比率減去其平均值，乘以本地生產總值（不低於零）",
            ),
            Bilingual::fixed(
                "other revenue: elasticity 1 to nominal GDP (assumption); expenditure and bond flows follow the baseline",
                "其他收入：對名義本地生產總值的彈性為 1（假設）；開支及債券流量跟隨基線",
            ),
            Bilingual::fixed(
                "shocks persist: each year's multiplier builds on the previous year's (level effects)",
                "衝擊具持續性：每年的乘數建基於上一年（水平效應）",
            ),
        ];
        Ok(Drivers {
            years: rows,
            ep_elasticity,
            stock_share,
            method,
        })
    }
}

#[derive(Clone, Debug, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Fan {
    pub p5: Vec<f64>,
    pub p25: Vec<f64>,
    pub p50: Vec<f64>,
    pub p75: Vec<f64>,
    pub p95: Vec<f64>,
}

#[derive(Clone, Debug, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Probabilities {
    /// P(reserves at year end below `months_threshold` months of expenditure).
    pub reserves_below_months: Vec<f64>,
    pub months_threshold: f64,
    /// P(reserves at year end below `reserves_threshold_bn`), when a threshold in HK$bn was set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserves_below_bn: Option<Vec<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserves_threshold_bn: Option<f64>,
    /// P(consolidated surplus after bonds).
    pub consolidated_surplus: Vec<f64>,
    /// P(government bonds outstanding above the borrowing ceiling).
    pub debt_above_ceiling: Vec<f64>,
}

#[derive(Clone, Debug, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct MonteCarlo {
    pub paths: usize,
    pub seed: u64,
    pub shock_scale: f64,
    pub balance: Fan,
    pub reserves: Fan,
    pub debt: Fan,
    pub probabilities: Probabilities,
    pub method: Vec<Bilingual>,
}

/// The settings of a Monte Carlo run, checked on construction against the caller's limit on
/// paths (each path holds years × 4 numbers: a server sets a lower limit than the command line).
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct McOptions {
    /// Number of paths (default 10,000).
    #[serde(default = "default_paths")]
    pub paths: usize,
    /// The same seed gives the same paths on any machine (default 20240228).
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Scale of the historical shocks (0 switches them off, 1 is history as it was; default 1).
    #[serde(default = "default_scale")]
    pub shock_scale: f64,
    /// Threshold for P(reserves below so many months of expenditure; default 12).
    #[serde(default = "default_months")]
    pub months_threshold: f64,
    /// Threshold for P(reserves below so many HK$bn), if wanted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserves_threshold_bn: Option<f64>,
}

fn default_paths() -> usize {
    10_000
}
fn default_seed() -> u64 {
    McOptions::DEFAULT_SEED
}
fn default_scale() -> f64 {
    1.0
}
fn default_months() -> f64 {
    12.0
}

impl McOptions {
    /// The default seed (the 2024-25 Budget's date).
    pub const DEFAULT_SEED: u64 = 20240228;

    pub fn new(
        paths: usize,
        seed: u64,
        shock_scale: f64,
        months_threshold: f64,
        reserves_threshold_bn: Option<f64>,
        max_paths: usize,
    ) -> Result<McOptions, FiscalError> {
        if paths > max_paths {
            return Err(FiscalError::input(
                "/paths",
                format!("{paths} paths is more than the limit of {max_paths}"),
                format!("{paths} 條路徑超過上限 {max_paths}"),
            ));
        }
        if !shock_scale.is_finite() || !(0.0..=5.0).contains(&shock_scale) {
            return Err(FiscalError::input(
                "/shock_scale",
                format!("{shock_scale} must be between 0 and 5"),
                format!("{shock_scale} 須介乎0至5"),
            ));
        }
        if !months_threshold.is_finite() || months_threshold <= 0.0 || months_threshold > 120.0 {
            return Err(FiscalError::input(
                "/months",
                format!("{months_threshold} must be a number of months above 0 and at most 120"),
                format!("{months_threshold} 須為大於0而不超過120的月數"),
            ));
        }
        if let Some(b) = reserves_threshold_bn
            && (!b.is_finite() || !(0.0..=100_000.0).contains(&b))
        {
            return Err(FiscalError::input(
                "/below",
                format!("{b} must be an amount of HK$bn from 0 to 100,000"),
                format!("{b} 須為0至100,000的金額（十億港元）"),
            ));
        }
        Ok(McOptions {
            paths,
            seed,
            shock_scale,
            months_threshold,
            reserves_threshold_bn,
        })
    }
}

/// The scenario's deterministic path: the baseline's heads plus the additions, no shocks
/// (equal to [`path`] with a shock scale of 0; the tests check it).
pub fn scenario(base: &Baseline, extra: &Accounts) -> Accounts {
    let n = base.accounts.years.len();
    let at = |l: Option<&crate::accounts::Line>, t: usize| {
        l.and_then(|l| l.values.get(t).copied()).unwrap_or(0.0)
    };
    let heads: Vec<(crate::accounts::RevenueHead, Vec<f64>)> = base
        .head_values
        .iter()
        .map(|(h, v)| {
            (
                *h,
                (0..n).map(|t| v[t] + at(extra.heads.get(h), t)).collect(),
            )
        })
        .collect();
    let add = |b: &[f64], e: &crate::accounts::Line| -> Vec<f64> {
        (0..n).map(|t| b[t] + at(Some(e), t)).collect()
    };
    crate::accounts::project(
        &base.accounts.years,
        base.start_reserves,
        base.start_debt,
        &heads,
        &add(&base.accounts.expenditure.values, &extra.expenditure),
        &add(&base.accounts.bond_proceeds.values, &extra.bond_proceeds),
        &add(&base.accounts.bond_repayment.values, &extra.bond_repayment),
        &base.statuses,
    )
}

/// Cumulative multipliers of the revenue heads after a year's draw.
#[derive(Clone, Copy)]
struct Multipliers {
    ep: f64,
    other: f64,
    stock: f64,
    property: f64,
}

impl Multipliers {
    fn new() -> Multipliers {
        Multipliers {
            ep: 1.0,
            other: 1.0,
            stock: 1.0,
            property: 1.0,
        }
    }
    fn step(&mut self, d: &Drivers, k: &DriverYear, scale: f64) {
        self.ep *= 1.0 + scale * d.ep_elasticity * k.nominal_gdp;
        self.other *= 1.0 + scale * k.nominal_gdp;
        self.stock *= 1.0 + scale * k.stock_turnover;
        self.property *= (1.0 + scale * k.property_price) * (1.0 + scale * k.property_volume);
    }
    /// A head's shocked value from its baseline value `b` in a year with nominal GDP `gdp`.
    #[inline]
    fn head(&self, head: usize, b: f64, d: &Drivers, k: &DriverYear, scale: f64, gdp: f64) -> f64 {
        match head {
            0 => b * self.ep,
            1 => b * (d.stock_share * self.stock + (1.0 - d.stock_share) * self.property),
            2 => (b + scale * k.land_premium_ratio / 100.0 * gdp * self.other).max(0.0),
            _ => b * self.other,
        }
    }
}

/// One shocked path as full accounts (the identities hold on it by construction:
/// `accounts::project`). `draws[t]` is the historical year drawn for projection year t.
pub fn path(
    base: &Baseline,
    scenario_extra: &Accounts,
    d: &Drivers,
    draws: &[usize],
    scale: f64,
) -> Accounts {
    let n = base.accounts.years.len();
    let mut m = Multipliers::new();
    let mut heads: Vec<(crate::accounts::RevenueHead, Vec<f64>)> = base
        .head_values
        .iter()
        .map(|(h, _)| (*h, Vec::with_capacity(n)))
        .collect();
    for t in 0..n {
        let k = &d.years[draws[t] % d.years.len()];
        m.step(d, k, scale);
        for (i, (h, v)) in base.head_values.iter().enumerate() {
            let extra = scenario_extra
                .heads
                .get(h)
                .map_or(0.0, |l| l.values.get(t).copied().unwrap_or(0.0));
            heads[i]
                .1
                .push(m.head(h.index(), v[t], d, k, scale, base.nominal_gdp[t]) + extra);
        }
    }
    let add = |b: &[f64], e: &crate::accounts::Line| -> Vec<f64> {
        (0..n)
            .map(|t| b[t] + e.values.get(t).copied().unwrap_or(0.0))
            .collect()
    };
    let exp = add(
        &base.accounts.expenditure.values,
        &scenario_extra.expenditure,
    );
    let pro = add(
        &base.accounts.bond_proceeds.values,
        &scenario_extra.bond_proceeds,
    );
    let rep = add(
        &base.accounts.bond_repayment.values,
        &scenario_extra.bond_repayment,
    );
    crate::accounts::project(
        &base.accounts.years,
        base.start_reserves,
        base.start_debt,
        &heads,
        &exp,
        &pro,
        &rep,
        &base.statuses,
    )
}

/// Many paths' balance, reserves and debt, year-major within each path (`[path * years + t]`).
#[derive(Clone, Debug, Default)]
pub struct PathSet {
    pub years: usize,
    pub balance: Vec<f64>,
    pub reserves: Vec<f64>,
    pub debt: Vec<f64>,
    pub months: Vec<f64>,
}

/// The same arithmetic as `path`, writing only what the summaries need (no allocation per path).
fn lean_path(
    base: &Baseline,
    flows: &[(f64, f64, f64)],
    extra_heads: &[Vec<f64>],
    d: &Drivers,
    draws: &mut impl FnMut() -> usize,
    scale: f64,
    out: &mut [f64],
) {
    let n = base.accounts.years.len();
    let mut m = Multipliers::new();
    let (mut reserves, mut debt) = (base.start_reserves, base.start_debt);
    for t in 0..n {
        let k = &d.years[draws() % d.years.len()];
        m.step(d, k, scale);
        let mut rev = 0.0;
        for (i, (h, v)) in base.head_values.iter().enumerate() {
            rev += m.head(h.index(), v[t], d, k, scale, base.nominal_gdp[t]) + extra_heads[i][t];
        }
        let (exp, pro, rep) = flows[t];
        let bal = rev - exp + pro - rep;
        reserves += bal;
        debt += pro - rep;
        out[t * 4] = bal;
        out[t * 4 + 1] = reserves;
        out[t * 4 + 2] = debt;
        out[t * 4 + 3] = reserves / (exp / 12.0);
    }
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

fn fan_of(v: &[f64], paths: usize, n: usize) -> Fan {
    let mut out = Fan {
        p5: vec![],
        p25: vec![],
        p50: vec![],
        p75: vec![],
        p95: vec![],
    };
    let mut col = vec![0.0; paths];
    for t in 0..n {
        for (p, c) in col.iter_mut().enumerate() {
            *c = v[p * n + t];
        }
        col.sort_by(f64::total_cmp);
        out.p5.push(quantile(&col, 0.05));
        out.p25.push(quantile(&col, 0.25));
        out.p50.push(quantile(&col, 0.50));
        out.p75.push(quantile(&col, 0.75));
        out.p95.push(quantile(&col, 0.95));
    }
    out
}

/// The draws of path `i`: a seeded stream, so any path can be recomputed alone.
pub fn draws_for(seed: u64, i: usize, years: usize, historical: usize) -> Vec<usize> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    (0..years)
        .map(|_| rng.random_range(0..historical))
        .collect()
}

/// Runs `n_paths` paths (seeded, reproducible, in parallel) and summarises them.
pub fn run(
    base: &Baseline,
    scenario_extra: &Accounts,
    d: &Drivers,
    options: &McOptions,
) -> (MonteCarlo, PathSet) {
    let (n_paths, seed, scale, months) = (
        options.paths,
        options.seed,
        options.shock_scale,
        options.months_threshold,
    );
    let n = base.accounts.years.len();
    let at = |l: &crate::accounts::Line, t: usize| l.values.get(t).copied().unwrap_or(0.0);
    let flows: Vec<(f64, f64, f64)> = (0..n)
        .map(|t| {
            (
                base.accounts.expenditure.values[t] + at(&scenario_extra.expenditure, t),
                base.accounts.bond_proceeds.values[t] + at(&scenario_extra.bond_proceeds, t),
                base.accounts.bond_repayment.values[t] + at(&scenario_extra.bond_repayment, t),
            )
        })
        .collect();
    let extra_heads: Vec<Vec<f64>> = base
        .head_values
        .iter()
        .map(|(h, _)| {
            (0..n)
                .map(|t| scenario_extra.heads.get(h).map_or(0.0, |l| at(l, t)))
                .collect()
        })
        .collect();
    let mut buf = vec![0.0; n_paths * n * 4];
    buf.par_chunks_mut(n * 4).enumerate().for_each(|(i, out)| {
        let mut rng =
            ChaCha8Rng::seed_from_u64(seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let h = d.years.len();
        lean_path(
            base,
            &flows,
            &extra_heads,
            d,
            &mut || rng.random_range(0..h),
            scale,
            out,
        );
    });
    let pick = |k: usize| -> Vec<f64> { buf.chunks(4).map(|c| c[k]).collect() };
    let set = PathSet {
        years: n,
        balance: pick(0),
        reserves: pick(1),
        debt: pick(2),
        months: pick(3),
    };
    let share = |v: &[f64], pred: &dyn Fn(f64, usize) -> bool| -> Vec<f64> {
        (0..n)
            .map(|t| {
                (0..n_paths).filter(|p| pred(v[p * n + t], t)).count() as f64
                    / n_paths.max(1) as f64
            })
            .collect()
    };
    let probabilities = Probabilities {
        reserves_below_months: share(&set.months, &|x, _| x < months),
        months_threshold: months,
        reserves_below_bn: options
            .reserves_threshold_bn
            .map(|b| share(&set.reserves, &|x, _| x < b)),
        reserves_threshold_bn: options.reserves_threshold_bn,
        consolidated_surplus: share(&set.balance, &|x, _| x > 0.0),
        debt_above_ceiling: share(&set.debt, &|x, t| x > base.borrowing_ceiling[t]),
    };
    let mc = MonteCarlo {
        paths: n_paths,
        seed,
        shock_scale: scale,
        balance: fan_of(&set.balance, n_paths, n),
        reserves: fan_of(&set.reserves, n_paths, n),
        debt: fan_of(&set.debt, n_paths, n),
        probabilities,
        method: d.method.clone(),
    };
    (mc, set)
}
