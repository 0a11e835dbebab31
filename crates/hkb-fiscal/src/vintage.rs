//! Baselines by vintage: each Budget's Medium Range Forecast, built from the published series
//! named in `data/fiscal/vintages.yaml`. Published figures are used as they are; where the
//! forecast gives only ratios, ranges or end-points, the lines are derived, every derived value is
//! labelled `derived` and every derivation is written out in both languages.

use crate::accounts::{Accounts, RevenueHead, project};
use crate::data::{Data, Row};
use crate::error::FiscalError;
use hkb_law::{Bilingual, FinancialYear, Source, Status};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

const VINTAGES_YAML: &str = include_str!("../../../data/fiscal/vintages.yaml");

/// A published figure of the forecast beside the model's value.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct Published {
    pub what: Bilingual,
    pub year: String,
    /// `null` when the published figure is missing from the sources.
    #[serde(deserialize_with = "crate::nullable::one")]
    #[schemars(with = "Option<f64>")]
    pub published: f64,
    #[serde(deserialize_with = "crate::nullable::one")]
    #[schemars(with = "Option<f64>")]
    pub model: f64,
    pub source: String,
    /// The baseline is built to reproduce this figure (it holds by construction); false where
    /// the model's value is computed from other figures and could disagree.
    pub by_construction: bool,
    /// A bound rather than a point (the model should be at or above it).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub floor: bool,
}

/// How a derived line was made.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct Derivation {
    pub line: Bilingual,
    pub method: Bilingual,
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct Baseline {
    pub vintage: String,
    /// The Budget that published the forecast.
    pub budget: Source,
    pub accounts: Accounts,
    pub start_reserves: f64,
    pub start_debt: f64,
    pub nominal_gdp: Vec<f64>,
    pub borrowing_ceiling: Vec<f64>,
    pub published: Vec<Published>,
    pub derivations: Vec<Derivation>,
    /// Head values by year (for shocks and scenarios).
    #[serde(skip)]
    pub head_values: Vec<(RevenueHead, Vec<f64>)>,
    #[serde(skip)]
    pub statuses: Vec<Status>,
}

impl Baseline {
    /// The vintage's first projected year (the Budget's own year).
    pub fn first_year(&self) -> FinancialYear {
        // A baseline is built with at least one year (checked when built); the fallback is never used.
        self.accounts
            .years
            .first()
            .copied()
            .unwrap_or(FinancialYear(2024))
    }
}

/// A point of a series: its row's year and status.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeriesAt {
    series: String,
    at: String,
    status: Status,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeriesAtYear {
    series: String,
    #[serde(alias = "at")]
    year: String,
}

/// The balancing item after the first year: exactly one of the two.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RepaymentSpec {
    /// Repayments make reserves reach the published end-point.
    #[serde(default)]
    reserves: Option<SeriesAtYear>,
    /// Repayments make debt reach the published debt-to-GDP ratio.
    #[serde(default)]
    debt_to_gdp: Option<SeriesAtYear>,
}

enum Repayment {
    Reserves(SeriesAtYear),
    DebtToGdp(SeriesAtYear),
}

impl RepaymentSpec {
    fn method(&self, id: &str) -> Result<Repayment, FiscalError> {
        match (&self.reserves, &self.debt_to_gdp) {
            (Some(r), None) => Ok(Repayment::Reserves(r.clone())),
            (None, Some(d)) => Ok(Repayment::DebtToGdp(d.clone())),
            _ => Err(FiscalError::Data(format!(
                "data/fiscal/vintages.yaml: {id}: repayment needs exactly one of reserves, debt_to_gdp"
            ))),
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Addition {
    series: String,
    head: RevenueHead,
    name: Bilingual,
}

/// A published figure the model is compared with but not built from.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Check {
    series: String,
    at: String,
    what: Bilingual,
    /// The model's line to compare: `reserves` (at the end) or `balance_before_bonds` (that year).
    line: String,
    /// A bound (the model should be at or above it) rather than a point.
    #[serde(default)]
    floor: bool,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VintageSpec {
    id: String,
    budget: Source,
    first_year: FinancialYear,
    last_year: FinancialYear,
    start_reserves: SeriesAt,
    start_debt: SeriesAt,
    #[serde(default)]
    first_year_reserves: Option<SeriesAt>,
    expenditure_to_gdp: String,
    /// Where the forecast publishes no last-year expenditure ratio but a last-year balance
    /// before bonds: the ratio that gives it (revenue − expenditure = that balance).
    #[serde(default)]
    expenditure_end_from_balance_before_bonds: Option<SeriesAtYear>,
    #[serde(default)]
    revenue_to_gdp: Option<String>,
    nominal_growth: String,
    bond_issuance: String,
    #[serde(default)]
    revenue_additions: Vec<Addition>,
    repayment: RepaymentSpec,
    #[serde(default)]
    checks: Vec<Check>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VintagesFile {
    vintages: Vec<VintageSpec>,
}

fn specs() -> Result<Vec<VintageSpec>, FiscalError> {
    let f: VintagesFile = serde_yaml_ng::from_str(VINTAGES_YAML)
        .map_err(|e| FiscalError::Data(format!("data/fiscal/vintages.yaml: {e}")))?;
    Ok(f.vintages)
}

/// The vintages in `data/fiscal/vintages.yaml`, oldest first.
pub fn vintages() -> Result<Vec<String>, FiscalError> {
    Ok(specs()?.into_iter().map(|s| s.id).collect())
}

fn range_mid(s: &str) -> Option<f64> {
    let (a, b) = s.split_once('-')?;
    Some((a.trim().parse::<f64>().ok()? + b.trim().parse::<f64>().ok()?) / 2.0)
}

fn raw<'a>(data: &'a Data, series: &str) -> Option<&'a Row> {
    data.rows.iter().find(|r| r.series == series)
}

/// A ratio-to-GDP path over the years: interpolated between a first and a last point, held at
/// one point or a range value for the period, or `None` when the series has no rows.
fn ratio_path(
    data: &Data,
    series: &str,
    first: FinancialYear,
    last: FinancialYear,
) -> Option<(f64, f64, &'static str)> {
    let get = |y: &str| {
        data.get(series, y, Status::Projection)
            .and_then(|r| r.value)
    };
    match (get(&first.to_string()), get(&last.to_string())) {
        (Some(a), Some(z)) => Some((a, z, "interpolated")),
        (Some(a), None) => Some((a, a, "held")),
        _ => data
            .rows
            .iter()
            .find(|r| r.series == series && r.value.is_some())
            .and_then(|r| r.value)
            .map(|v| (v, v, "held")),
    }
}

fn at<'a>(data: &'a Data, p: &SeriesAt) -> Result<&'a Row, FiscalError> {
    data.get(&p.series, &p.at, p.status).ok_or_else(|| {
        FiscalError::Data(format!(
            "no {} value of {} at {} in data/fiscal/public_finance.csv",
            p.status, p.series, p.at
        ))
    })
}

pub fn baseline(data: &Data, vintage: &str) -> Result<Baseline, FiscalError> {
    let all = specs()?;
    let Some(spec) = all.iter().find(|s| s.id == vintage) else {
        let ids: Vec<String> = all.iter().map(|s| s.id.clone()).collect();
        return Err(FiscalError::input(
            "/vintage",
            format!("unknown vintage '{vintage}'; available: {}", ids.join(", ")),
            format!("沒有「{vintage}」年度預測；可用：{}", ids.join("、")),
        ));
    };
    build(data, spec)
}

fn build(data: &Data, spec: &VintageSpec) -> Result<Baseline, FiscalError> {
    let (b, last) = (spec.first_year, spec.last_year);
    if last < b {
        return Err(FiscalError::Data(format!(
            "{}: last year before first",
            spec.id
        )));
    }
    let years: Vec<FinancialYear> = (b.0..=last.0).map(FinancialYear).collect();
    let n = years.len();
    let first = b.to_string();
    let mut der: Vec<Derivation> = Vec::new();
    let d = |line_en: String, line_zh: String, en: String, zh: String| Derivation {
        line: Bilingual::new(line_en, line_zh),
        method: Bilingual::new(en, zh),
    };
    let start_row = at(data, &spec.start_reserves)?;
    let start_reserves = start_row.value.unwrap_or(f64::NAN);
    let est = |series: &str| data.value(series, &first, Status::Estimate);
    let rev0 = est("revenue_total")?;
    let exp0 = est("expenditure_total")?;
    let bal0 = est("consolidated_balance")?;
    let proceeds0 = est("bond_proceeds").or_else(|_| est("bond_issuance_planned"))?;
    let repay0 = rev0 - exp0 + proceeds0 - bal0;
    der.push(d(
        format!("bond repayment {first}"),
        format!("{first} 償還債券"),
        format!("DERIVED: revenue − expenditure + proceeds − consolidated balance = {rev0} − {exp0} + {proceeds0} − ({bal0}) = {repay0:.1}"),
        format!("推算：收入 − 開支 + 發債所得 − 綜合帳目盈虧 = {rev0} − {exp0} + {proceeds0} − ({bal0}) = {repay0:.1}"),
    ));
    let ep0 = est("earnings_and_profits_tax")?;
    let sd0 = est("stamp_duties")?;
    let lp0 = est("land_premium")?;
    let other0 = rev0 - ep0 - sd0 - lp0;
    der.push(d(
        format!("other revenue {first}"),
        format!("{first} 其他收入"),
        format!("DERIVED: total revenue − earnings and profits tax − stamp duties − land premium = {other0:.1}"),
        format!("推算：總收入 − 入息及利得稅 − 印花稅 − 地價收入 = {other0:.1}"),
    ));

    // Ratios to GDP and nominal growth.
    let (exp_r0, exp_r1, exp_how) = ratio_path(data, &spec.expenditure_to_gdp, b, last)
        .ok_or_else(|| FiscalError::Data(format!("{}: no {}", spec.id, spec.expenditure_to_gdp)))?;
    let growth = raw(data, &spec.nominal_growth)
        .and_then(|r| r.value)
        .ok_or_else(|| FiscalError::Data(format!("{}: no {}", spec.id, spec.nominal_growth)))?
        / 100.0;
    let gdp0 = exp0 / (exp_r0 / 100.0);
    der.push(d(
        "nominal GDP".into(),
        "名義本地生產總值".into(),
        format!("DERIVED: {first} expenditure {exp0} / published expenditure-to-GDP {exp_r0}% = {gdp0:.0}bn, then growing {:.2}% a year (the data's nominal growth proxy: MRF real growth × underlying inflation; the MRF's own deflator is a gap)", growth * 100.0),
        format!("推算：{first} 年度開支 {exp0} ÷ 公布的開支佔本地生產總值比率 {exp_r0}% = {gdp0:.0} 十億元，其後每年增長 {:.2}%（以中期預測的實質增長 × 基本通脹推算；中期預測本身的平減物價指數未有公布）", growth * 100.0),
    ));
    let (rev_r0, rev_r1, rev_how) = match &spec.revenue_to_gdp {
        Some(series) => ratio_path(data, series, b, last)
            .ok_or_else(|| FiscalError::Data(format!("{}: no {series}", spec.id)))?,
        None => {
            let r = 100.0 * rev0 / gdp0;
            (r, r, "own")
        }
    };
    let ratio_text = |how: &str,
                      a: f64,
                      z: f64,
                      what_en: &str,
                      what_zh: &str|
     -> (String, String) {
        match how {
            "interpolated" => (
                format!(
                    "{what_en} {a}% → {z}% (published points for {first} and {last}, interpolated linearly)"
                ),
                format!("{what_zh} {a}% → {z}%（公布 {first} 及 {last} 年度的數字，其間線性插值）"),
            ),
            "held" => (
                format!("{what_en} held at the published {a}%"),
                format!("{what_zh}維持於公布的 {a}%"),
            ),
            _ => (
                format!(
                    "{what_en} held at the first year's own {a:.1}% (ASSUMPTION: the forecast publishes no ratio)"
                ),
                format!("{what_zh}維持於首年的 {a:.1}%（假設：預測未有公布此比率）"),
            ),
        }
    };
    let (re, rz) = ratio_text(rev_how, rev_r0, rev_r1, "revenue", "收入比率");
    let (mut ee, mut ez) = ratio_text(exp_how, exp_r0, exp_r1, "expenditure", "開支比率");
    let (mut exp_r1, mut exp_r0) = (exp_r1, exp_r0);
    if let Some(end) = &spec.expenditure_end_from_balance_before_bonds {
        // Revenue in the last year (GDP-share path plus additions) less the published balance.
        let t = n - 1;
        let g = gdp0 * (1.0 + growth).powi(t as i32);
        let additions: f64 = spec
            .revenue_additions
            .iter()
            .map(|a| addition_in(data, &a.series, last))
            .sum();
        let rev_end = g * rev_r1 / 100.0 + additions;
        let bal = data.value(&end.series, &end.year, Status::Projection)?;
        let r1 = 100.0 * (rev_end - bal) / g;
        exp_r0 = exp_r0.max(0.0);
        exp_r1 = r1;
        ee = format!(
            "expenditure {exp_r0}% → {r1:.2}% (the first year's published ratio, interpolated linearly to the ratio that gives the published balance before bonds of {bal}bn in {})",
            end.year
        );
        ez = format!(
            "開支比率 {exp_r0}% → {r1:.2}%（由首年公布的比率線性插值至 {} 年度公布的未計債券收支 {bal} 十億元所對應的比率）",
            end.year
        );
    }
    der.push(d(
        "revenue and expenditure after the first year".into(),
        "首年後的收入及開支".into(),
        format!("DERIVED: ratios to GDP — {re}; {ee}"),
        format!("推算：佔本地生產總值比率——{rz}；{ez}"),
    ));
    der.push(d(
        "revenue heads after the first year".into(),
        "首年後各收入項目".into(),
        format!("DERIVED: each head keeps its {first} share of total revenue"),
        format!("推算：各收入項目維持其 {first} 年度佔總收入的比例"),
    ));
    let issuance_row = raw(data, &spec.bond_issuance)
        .ok_or_else(|| FiscalError::Data(format!("{}: no {}", spec.id, spec.bond_issuance)))?;
    let issuance = issuance_row
        .value
        .or_else(|| range_mid(&issuance_row.value_text))
        .ok_or_else(|| FiscalError::Data(format!("{}: no bond issuance value", spec.id)))?;
    der.push(d(
        "bond issuance after the first year".into(),
        "首年後的發債額".into(),
        format!(
            "DERIVED: midpoint of the MRF's annual issuance range {} = {issuance:.1}bn",
            issuance_row.value_text
        ),
        format!(
            "推算：中期預測每年發債額範圍 {} 的中位數 = {issuance:.1} 十億元",
            issuance_row.value_text
        ),
    ));

    let mut gdp = Vec::with_capacity(n);
    let mut heads: Vec<(RevenueHead, Vec<f64>)> = RevenueHead::ALL
        .iter()
        .map(|h| (*h, Vec::with_capacity(n)))
        .collect();
    let share = |h: RevenueHead| match h {
        RevenueHead::EarningsAndProfitsTax => ep0,
        RevenueHead::StampDuties => sd0,
        RevenueHead::LandPremium => lp0,
        RevenueHead::OtherRevenue => other0,
    };
    let mut exp = Vec::with_capacity(n);
    let mut proceeds = Vec::with_capacity(n);
    let mut statuses = Vec::with_capacity(n);
    for (t, y) in years.iter().enumerate() {
        let g = gdp0 * (1.0 + growth).powi(t as i32);
        gdp.push(g);
        let w = t as f64 / (n - 1).max(1) as f64;
        if t == 0 {
            for (h, v) in heads.iter_mut() {
                v.push(share(*h));
            }
            exp.push(exp0);
            proceeds.push(proceeds0);
            statuses.push(Status::Estimate);
        } else {
            let rev = g * (rev_r0 + w * (rev_r1 - rev_r0)) / 100.0;
            for (h, v) in heads.iter_mut() {
                let mut x = rev * share(*h) / rev0;
                for a in spec.revenue_additions.iter().filter(|a| a.head == *h) {
                    x += addition_in(data, &a.series, *y);
                }
                v.push(x);
            }
            exp.push(g * (exp_r0 + w * (exp_r1 - exp_r0)) / 100.0);
            proceeds.push(issuance);
            statuses.push(Status::Derived);
        }
    }
    for a in &spec.revenue_additions {
        let r = raw(data, &a.series);
        der.push(d(
            format!("{} (added to {})", a.name.en, a.head.as_str()),
            format!("{}（計入{}）", a.name.zh, a.head.label().zh),
            format!(
                "PUBLISHED: {} HK$bn a year over {}, added to the head after its GDP-share path",
                r.map_or(String::new(), |r| r.value_text.clone()),
                r.map_or(String::new(), |r| r.year.clone())
            ),
            format!(
                "已公布：{} 年度每年 {} 十億元，加於該收入項目按比例推算的數字之上",
                r.map_or(String::new(), |r| r.year.clone()),
                r.map_or(String::new(), |r| r.value_text.clone())
            ),
        ));
    }

    let start_debt_row = at(data, &spec.start_debt)?;
    let start_debt = start_debt_row.value.unwrap_or(f64::NAN);
    der.push(d(
        "government bonds outstanding at the start".into(),
        "期初未償還政府債券".into(),
        format!(
            "{} ({}): {start_debt:.1}bn{}",
            spec.start_debt.at,
            spec.start_debt.status.label().en,
            if start_debt_row.note.is_empty() {
                String::new()
            } else {
                format!(" — {}", start_debt_row.note)
            }
        ),
        format!(
            "{}（{}）：{start_debt:.1} 十億元",
            spec.start_debt.at,
            spec.start_debt.status.label().zh
        ),
    ));

    // Repayments (and other financing) after the first year: the balancing item.
    let flows_after_first = |t: usize| -> f64 {
        let rev: f64 = heads.iter().map(|(_, v)| v[t]).sum();
        rev - exp[t] + proceeds[t]
    };
    let mut published = Vec::new();
    let src = |row: Option<&Row>| row.map(|r| r.source_url.clone()).unwrap_or_default();
    let repayment_method = spec.repayment.method(&spec.id)?;
    let repay_each = match &repayment_method {
        Repayment::Reserves(end) => {
            let end_reserves = data.value(&end.series, &end.year, Status::Projection)?;
            let mut gap = end_reserves - (start_reserves + bal0);
            for t in 1..n {
                gap -= flows_after_first(t);
            }
            let r = -gap / (n - 1).max(1) as f64;
            der.push(d(
                "bond repayment and other financing after the first year".into(),
                "首年後償還債券及其他融資".into(),
                format!("DERIVED (balancing item): {r:.1}bn a year, so that reserves reach the published {end_reserves}bn at {}; the MRF's year-by-year table is a gap in the sources", end.year),
                format!("推算（平衡項目）：每年 {r:.1} 十億元，使財政儲備於 {} 達到公布的 {end_reserves} 十億元；中期預測的逐年數字未見於資料來源", end.year),
            ));
            r
        }
        Repayment::DebtToGdp(end) => {
            let ratio = data.value(&end.series, &end.year, Status::Projection)?;
            let target_debt = ratio / 100.0 * gdp[n - 1];
            let net_first = proceeds0 - repay0;
            let net_after = (target_debt - start_debt - net_first) / (n - 1).max(1) as f64;
            let r = issuance - net_after;
            der.push(d(
                "bond repayment after the first year".into(),
                "首年後償還債券".into(),
                format!("DERIVED (balancing item): {r:.1}bn a year, so that bonds outstanding reach the published {ratio}% of GDP in {} ({target_debt:.0}bn); the MRF's year-by-year table is a gap in the sources", end.year),
                format!("推算（平衡項目）：每年 {r:.1} 十億元，使未償還債券於 {} 達到公布的本地生產總值 {ratio}%（{target_debt:.0} 十億元）；中期預測的逐年數字未見於資料來源", end.year),
            ));
            r
        }
    };
    let mut repayment = vec![repay0];
    repayment.extend(std::iter::repeat_n(repay_each, n - 1));
    let accounts = project(
        &years,
        start_reserves,
        start_debt,
        &heads,
        &exp,
        &proceeds,
        &repayment,
        &statuses,
    );

    published.push(Published {
        what: Bilingual::fixed("revenue", "收入"),
        year: first.clone(),
        published: rev0,
        model: accounts.revenue.values[0],
        source: src(data.get("revenue_total", &first, Status::Estimate)),
        by_construction: true,
        floor: false,
    });
    published.push(Published {
        what: Bilingual::fixed("expenditure", "開支"),
        year: first.clone(),
        published: exp0,
        model: accounts.expenditure.values[0],
        source: src(data.get("expenditure_total", &first, Status::Estimate)),
        by_construction: true,
        floor: false,
    });
    published.push(Published {
        what: Bilingual::fixed(
            "consolidated balance after bonds",
            "綜合帳目盈虧（計及債券）",
        ),
        year: first.clone(),
        published: bal0,
        model: accounts.balance.values[0],
        source: src(data.get("consolidated_balance", &first, Status::Estimate)),
        by_construction: true,
        floor: false,
    });
    if let Some(p) = &spec.first_year_reserves
        && let Ok(row) = at(data, p)
    {
        published.push(Published {
            what: Bilingual::fixed("fiscal reserves at 31 March", "財政儲備（3月31日）"),
            year: p.at.clone(),
            published: row.value.unwrap_or(f64::NAN),
            model: accounts.reserves.values[0],
            source: row.source_url.clone(),
            by_construction: false,
            floor: false,
        });
    }
    match &repayment_method {
        Repayment::Reserves(end) => published.push(Published {
            what: Bilingual::fixed("fiscal reserves at 31 March", "財政儲備（3月31日）"),
            year: end.year.clone(),
            published: data.value(&end.series, &end.year, Status::Projection)?,
            model: *accounts.reserves.values.last().unwrap_or(&f64::NAN),
            source: src(data.get(&end.series, &end.year, Status::Projection)),
            by_construction: true,
            floor: false,
        }),
        Repayment::DebtToGdp(end) => published.push(Published {
            what: Bilingual::fixed("government debt, % of GDP", "政府債務佔本地生產總值%"),
            year: end.year.clone(),
            published: data.value(&end.series, &end.year, Status::Projection)?,
            model: 100.0 * accounts.debt.values.last().unwrap_or(&f64::NAN) / gdp[n - 1],
            source: src(data.get(&end.series, &end.year, Status::Projection)),
            by_construction: true,
            floor: false,
        }),
    }
    for c in &spec.checks {
        let row = data.get(&c.series, &c.at, Status::Projection);
        let model = match c.line.as_str() {
            "reserves" => *accounts.reserves.values.last().unwrap_or(&f64::NAN),
            "balance_before_bonds" => {
                c.at.parse::<FinancialYear>()
                    .ok()
                    .and_then(|y| accounts.year_index(y))
                    .map_or(f64::NAN, |t| accounts.balance_before_bonds.values[t])
            }
            other => {
                return Err(FiscalError::Data(format!(
                    "data/fiscal/vintages.yaml: {}: check line '{other}' is not reserves or balance_before_bonds",
                    spec.id
                )));
            }
        };
        published.push(Published {
            what: c.what.clone(),
            year: c.at.clone(),
            published: row.and_then(|r| r.value).unwrap_or(f64::NAN),
            model,
            source: src(row),
            // The balance that set the expenditure path is met by construction, not a test.
            by_construction: c.line == "balance_before_bonds"
                && spec
                    .expenditure_end_from_balance_before_bonds
                    .as_ref()
                    .is_some_and(|e| e.series == c.series && e.year == c.at),
            floor: c.floor,
        });
    }
    let ceiling = |y: FinancialYear| -> f64 {
        // The latest ceiling published for a year at or before y.
        let mut best: Option<(u16, f64)> = None;
        for r in data
            .rows
            .iter()
            .filter(|r| r.series == "bond_borrowing_ceiling")
        {
            if let (Ok(ry), Some(v)) = (r.year.parse::<FinancialYear>(), r.value)
                && ry <= y
                && best.is_none_or(|(by, _)| ry.0 > by)
            {
                best = Some((ry.0, v));
            }
        }
        best.map_or(f64::NAN, |(_, v)| v)
    };
    let borrowing_ceiling = years.iter().map(|y| ceiling(*y)).collect();
    Ok(Baseline {
        vintage: spec.id.clone(),
        budget: spec.budget.clone(),
        accounts,
        start_reserves,
        start_debt,
        nominal_gdp: gdp,
        borrowing_ceiling,
        published,
        derivations: der,
        head_values: heads,
        statuses,
    })
}

/// A published per-year addition (`value` over `first..last`) in year `y`, 0 outside.
fn addition_in(data: &Data, series: &str, y: FinancialYear) -> f64 {
    data.rows
        .iter()
        .filter(|r| r.series == series)
        .filter_map(|r| {
            let (a, b) = r.year.split_once("..").unwrap_or((&r.year, &r.year));
            let (a, b) = (
                a.parse::<FinancialYear>().ok()?,
                b.parse::<FinancialYear>().ok()?,
            );
            (a <= y && y <= b).then_some(r.value.unwrap_or(0.0))
        })
        .sum()
}
