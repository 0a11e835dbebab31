//! A society-wide run: every modelled tax under the baseline law and a reform for one year of
//! assessment, with behavioural responses, affected counts and distribution tables.

use crate::behaviour::BehaviourSettings;
use crate::business::business_tax;
use crate::error::SimError;
use crate::model::{Model, year_index};
use crate::salaries::{self, Behaviour, DecileRow, YearView};
use crate::sources::YearValue;
use crate::{property, stock};
use hkb_law::{Bilingual, Source, Status};
use hkb_law::{Law, Reform, YearOfAssessment, YearParams};
use rayon::prelude::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A tax the society-wide model computes.
#[derive(
    Clone, Copy, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
#[serde(rename_all = "snake_case")]
pub enum TaxKind {
    SalariesTax,
    ProfitsTax,
    StampDutyProperty,
    StampDutyStock,
    PropertyTax,
    RatesDomestic,
    RatesNonDomestic,
}

impl TaxKind {
    pub const ALL: [TaxKind; 7] = [
        TaxKind::SalariesTax,
        TaxKind::ProfitsTax,
        TaxKind::StampDutyProperty,
        TaxKind::StampDutyStock,
        TaxKind::PropertyTax,
        TaxKind::RatesDomestic,
        TaxKind::RatesNonDomestic,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            TaxKind::SalariesTax => "salaries_tax",
            TaxKind::ProfitsTax => "profits_tax",
            TaxKind::StampDutyProperty => "stamp_duty_property",
            TaxKind::StampDutyStock => "stamp_duty_stock",
            TaxKind::PropertyTax => "property_tax",
            TaxKind::RatesDomestic => "rates_domestic",
            TaxKind::RatesNonDomestic => "rates_non_domestic",
        }
    }
    pub fn label(self) -> Bilingual {
        match self {
            TaxKind::SalariesTax => Bilingual::fixed("Salaries tax", "薪俸稅"),
            TaxKind::ProfitsTax => Bilingual::fixed("Profits tax", "利得稅"),
            TaxKind::StampDutyProperty => Bilingual::fixed("Stamp duty on property", "物業印花稅"),
            TaxKind::StampDutyStock => Bilingual::fixed("Stamp duty on stock", "股票印花稅"),
            TaxKind::PropertyTax => Bilingual::fixed("Property tax", "物業稅"),
            TaxKind::RatesDomestic => {
                Bilingual::fixed("Rates on domestic tenements", "住宅物業差餉")
            }
            TaxKind::RatesNonDomestic => {
                Bilingual::fixed("Rates on non-domestic tenements", "非住宅物業差餉")
            }
        }
    }
    /// Whether the tax is rates (a financial year's charge on tenements, not an IRD tax).
    pub fn is_rates(self) -> bool {
        matches!(self, TaxKind::RatesDomestic | TaxKind::RatesNonDomestic)
    }
    /// Whether the tax is a stamp duty (for the revenue head it is booked to).
    pub fn is_stamp_duty(self) -> bool {
        matches!(self, TaxKind::StampDutyProperty | TaxKind::StampDutyStock)
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct TaxRow {
    pub baseline: f64,
    pub reform: f64,
    pub change: f64,
    pub change_with_behaviour: f64,
    /// Weighted count of taxpayers, businesses or deals whose tax changes.
    pub affected: f64,
    /// Payers (tax > 0) under the baseline, where meaningful.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payers: Option<f64>,
    /// What the head collects in the financial year with the label of the run's year under the
    /// baseline law, beside the published figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collections: Option<Collections>,
    /// The head by type of duty, where it has types (stamp duty on property: `avd`, `nrsd`,
    /// `bsd`, `ssd`); no behavioural response by type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_type: Option<BTreeMap<String, TypeRow>>,
}

/// One type of duty within a head, under the baseline and the reform.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct TypeRow {
    pub label: Bilingual,
    pub baseline: f64,
    pub reform: f64,
    pub change: f64,
    /// Weighted count of deals whose duty of this type changes.
    pub affected: f64,
    /// Weighted count of deals paying this type under the baseline.
    pub payers: f64,
}

fn duty_type_label(t: &str) -> Bilingual {
    match t {
        "avd" => Bilingual::fixed(
            "Ad valorem stamp duty (Scale 2, or Scale 1 Part 2)",
            "從價印花稅（第2標準或第1標準第2部）",
        ),
        "nrsd" => Bilingual::fixed(
            "New residential stamp duty (Scale 1 Part 1)",
            "新住宅印花稅（第1標準第1部）",
        ),
        "bsd" => Bilingual::fixed("Buyer's stamp duty", "買家印花稅"),
        "ssd" => Bilingual::fixed("Special stamp duty", "額外印花稅"),
        _ => Bilingual::new(t.to_string(), t.to_string()),
    }
}

/// A head's collections in one financial year: the model's and the published.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct Collections {
    /// The model's collections under the baseline law, HK$ (None where the model cannot map
    /// them; `basis` says why).
    pub model: Option<f64>,
    /// The published collections of the financial year, HK$, where found.
    pub published: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// How the model's figure is reached and what the published one covers.
    pub basis: Bilingual,
}

impl Collections {
    fn new(model: Option<f64>, published: Option<&YearValue>, basis: Bilingual) -> Self {
        Collections {
            model,
            published: published.map(|p| p.value),
            status: published.map(|p| p.status),
            source: published.map(|p| p.source.clone()),
            basis,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct BandRow {
    pub band: String,
    /// Weighted count of businesses or deals in the band.
    pub count: f64,
    pub baseline: f64,
    pub reform: f64,
    pub change: f64,
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct RunResult {
    pub year: YearOfAssessment,
    /// The reform's origin (its file or name), if one was run.
    pub reform: Option<String>,
    /// HK$ a year by tax.
    pub taxes: BTreeMap<TaxKind, TaxRow>,
    pub total_change: f64,
    pub total_change_with_behaviour: f64,
    /// What `deciles` and `top1` rank: earners by income, or households by equivalised income.
    #[serde(default)]
    pub deciles_by: DecileBy,
    /// Salaries tax by decile (of earners or of households, as `deciles_by` says).
    pub deciles: Vec<DecileRow>,
    pub top1: DecileRow,
    pub profits_by_band: Vec<BandRow>,
    pub property_by_price_band: Vec<BandRow>,
    pub property_by_buyer: Vec<BandRow>,
    pub stock_turnover: stock::StockOutcome,
    pub behaviour: BehaviourSettings,
    pub notes: Vec<Bilingual>,
}

/// A tax row without a behavioural response (rates and property tax).
fn static_row(o: &crate::rates::RatesOutcome) -> TaxRow {
    TaxRow {
        baseline: o.baseline,
        reform: o.reform,
        change: o.reform - o.baseline,
        change_with_behaviour: o.reform - o.baseline,
        affected: o.affected,
        payers: Some(o.payers),
        by_type: None,
        collections: None,
    }
}

fn year_value(s: &crate::sources::Sourced, year: i32) -> YearValue {
    YearValue {
        year,
        value: s.value,
        status: s.status,
        note: s.note.clone(),
        source: s.source.clone(),
    }
}

/// IRD's profits tax collections of the financial year `fy`.
fn profits_collected(model: &Model, year: YearOfAssessment, fy: i32) -> Option<YearValue> {
    let t = model
        .sources
        .businesses
        .as_ref()?
        .targets
        .iter()
        .find(|t| t.year == year.to_string())?;
    crate::model::profits_collections(t).map(|s| year_value(&s, fy))
}

/// What the distribution tables rank.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum DecileBy {
    /// Earners by their own employment income.
    #[default]
    Earner,
    /// Households (one earner or an earning couple, with the members without income who live
    /// with them) by equivalised household income.
    Household,
}

/// Records of property deals simulated per year (each stands for volume / records deals).
pub const DEAL_RECORDS: usize = 20_000;

/// Non-residential deal records a run draws for a financial year.
pub const NON_RESIDENTIAL_RECORDS: usize = 5_000;

/// Stamp duty on the property deals of financial year `fy`: the residential deals and, where the
/// sources have them, the non-residential deals (their price level fitted once, under `law`).
pub fn property_outcome(
    law: &Law,
    model: &Model,
    fy: i32,
    reform: Option<&Reform>,
    semi_elasticity: Option<f64>,
) -> Result<property::PropertyOutcome, SimError> {
    let psrc = model
        .sources
        .property
        .as_ref()
        .ok_or_else(|| SimError::Data("no property section".into()))?;
    let deals = property::generate(psrc, fy, DEAL_RECORDS, model.spec.seed)?;
    let mut out = property::run(law, &deals, reform, semi_elasticity)?;
    if let (Some(nr), Some(price)) = (&psrc.non_residential, model.non_residential_price(law)?) {
        let deals = property::generate_non_residential(
            nr,
            fy,
            NON_RESIDENTIAL_RECORDS,
            model.spec.seed,
            price,
        )?;
        out.absorb_non_residential(property::run(law, &deals, reform, semi_elasticity)?);
    }
    Ok(out)
}

/// Runs the baseline (no reform) or a reform for a year, with deciles of earners.
pub fn run(
    law: &Law,
    model: &Model,
    year: YearOfAssessment,
    reform: Option<&Reform>,
) -> Result<RunResult, SimError> {
    run_by(law, model, year, reform, DecileBy::Earner)
}

/// Runs the baseline (no reform) or a reform for a year, with deciles by `by`.
pub fn run_by(
    law: &Law,
    model: &Model,
    year: YearOfAssessment,
    reform: Option<&Reform>,
    by: DecileBy,
) -> Result<RunResult, SimError> {
    let idx = year_index(year)?;
    let w = model
        .years
        .get(idx)
        .ok_or_else(|| SimError::Data(format!("year {year} is not in this population")))?;
    let bsrc = model
        .sources
        .behaviour
        .as_ref()
        .ok_or_else(|| SimError::Data("no behaviour section".into()))?;
    let mut beh = BehaviourSettings::defaults(bsrc);
    if let Some(o) = reform.and_then(|r| r.behaviour.as_ref()) {
        beh = beh.with(o)?;
    }
    let base = YearParams::resolve(law, year, None)?;
    let reformed = match reform {
        Some(r) => Some(YearParams::resolve(law, year, Some(r))?),
        None => None,
    };
    let mut taxes = BTreeMap::new();
    let mut notes = vec![
        Bilingual::fixed(
            "Salaries tax: each earner assessed separately (married person's allowance where the spouse has no income); joint assessment and personal assessment are not in the population",
            "薪俸稅：每名受僱人士分開評稅（配偶無入息者享已婚人士免稅額）；人口模型未包括合併評稅及個人入息課稅",
        ),
        Bilingual::fixed(
            "Salaries and profits tax are the tax assessed for the year of assessment; `collections` maps them to the financial year of the same label (last year's final tax after its reduction plus provisional tax). Both are calibrated on IRD's collections through that mapping (IRD publishes no assessed totals by year)",
            "薪俸稅及利得稅為課稅年度的評定稅款；「財政年度收入」（collections）把它們換算為同名財政年度的收入（上一課稅年度寬減後的最終稅款加暫繳稅）。兩者均按此換算以稅務局的稅款收入校準（稅務局沒有按課稅年度公布評稅總額）",
        ),
    ];

    let fy = i32::from(year.0);
    let collected = model.collections_of(law, year)?;

    // Salaries tax.
    let factor = model.factor(year)?;
    let view = YearView::with_index(&model.earners, factor, &w.earners, w.decile_index);
    let households = match by {
        DecileBy::Household => Some(salaries::ByHousehold {
            households: model.households(),
            year: model.household_year(idx)?,
            scratch: &model.household_scratch,
        }),
        DecileBy::Earner => None,
    };
    let (sal, by_household) = salaries::run_with_households(
        &view,
        &base.salaries,
        reformed.as_ref().map(|r| &r.salaries),
        beh.enabled.then_some(Behaviour {
            eti: beh.salaries_eti,
        }),
        households,
    );
    let (deciles, top1) = match (by, by_household) {
        (DecileBy::Earner, _) => (sal.deciles.clone(), sal.top1.clone()),
        // The households are built from these earners, so this does not happen; if it did,
        // earner deciles must not be shown as household deciles.
        (DecileBy::Household, None) => {
            return Err(SimError::Data(
                "deciles_by: the households do not match the earner records; rebuild the population"
                    .into(),
            ));
        }
        (DecileBy::Household, Some(rows)) => {
            notes.push(Bilingual::fixed(
                "Deciles by household: one earner, or two earners married to each other, with the spouse without income, children and dependent parents living with them, ranked by household employment income over the square root of household size. Which earners are married to each other is an assumption (a share drawn from the married and spouse-without-income shares, paired at random); households are not calibrated to the Census's household tables, and households without an earner are not in the population",
                "按住戶劃分的十等分：住戶為一名受僱人士或一對已婚受僱人士，連同同住的無入息配偶、子女及受養父母，按住戶就業收入除以住戶人數的平方根排列。哪些受僱人士互為配偶屬假設（按已婚及配偶無入息比例抽取，隨機配對）；住戶未按人口普查的住戶統計校準，亦未包括沒有受僱人士的住戶",
            ));
            rows
        }
    };
    taxes.insert(
        TaxKind::SalariesTax,
        TaxRow {
            baseline: sal.baseline,
            reform: sal.reform,
            change: sal.change,
            change_with_behaviour: sal.change_with_behaviour,
            affected: sal.affected,
            payers: Some(sal.payers_baseline),
            by_type: None,
            collections: Some(Collections::new(
                collected.salaries,
                model
                    .sources
                    .targets(&year.to_string())
                    .and_then(|t| t.collections.as_ref())
                    .map(|s| year_value(s, fy))
                    .as_ref(),
                if collected.salaries.is_some() {
                    Bilingual::fixed(
                        "Published salaries tax collections (IRD's; FY2025-26: the 2026-27 Budget's revised estimate); the model's are last year's final tax after its one-off reduction plus the first instalment of this year's provisional tax, less last year's, and the earners' weights are calibrated so that they match (they hold by construction)",
                        "公布的薪俸稅收入（稅務局數字；2025-26年度為2026-27年度預算的修訂預算）；模型的數字為上一課稅年度寬減後的最終稅款，加本年度暫繳稅第一期減上年度的暫繳稅，受僱人士的權重按此校準（數字必然相符）",
                    )
                } else {
                    Bilingual::fixed(
                        "IRD's salaries tax collections; the model cannot map FY2017-18, which collects the tax of YA 2016/17, before the law tree starts",
                        "稅務局的薪俸稅收入；模型未能推算2017-18年度的收入，因其收取的是2016/17課稅年度的稅款，早於法例數據的起始年度",
                    )
                },
            )),
        },
    );

    // Profits tax.
    let bands = [
        ("<=2m", 2e6),
        ("2m-10m", 10e6),
        ("10m-100m", 100e6),
        (">100m", f64::INFINITY),
    ];
    let rp = reformed.as_ref().map_or(&base.profits, |r| &r.profits);
    // Fixed chunks summed in order: the same inputs give the same totals on any thread count.
    const CHUNK: usize = 8192;
    let nb = model.businesses.profits.len();
    let partials: Vec<([f64; 5], Vec<[f64; 3]>)> = (0..nb.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            let mut t = [0.0f64; 5];
            let mut bb = vec![[0.0f64; 3]; bands.len()];
            for i in c * CHUNK..((c + 1) * CHUNK).min(nb) {
                let p = (model.businesses.profits[i] as f64 * w.profit_scale).round() as i64;
                let u = model.businesses.unincorporated[i];
                let wt = w.businesses[i];
                let (_, b) = business_tax(p, u, &base.profits);
                let (_, r) = business_tax(p, u, rp);
                let (b, r) = (b.cents() as f64 / 100.0, r.cents() as f64 / 100.0);
                t[0] += wt * b;
                t[1] += wt * r;
                if b != r {
                    t[2] += wt;
                }
                if beh.enabled && beh.profits_eti != 0.0 && b > 0.0 && p > 0 {
                    // Average rates stand in for marginal rates of the two-tier schedule.
                    let profit = p as f64 / 100.0;
                    let (t0, t1) = (b / profit, r / profit);
                    let dz =
                        profit * (((1.0 - t1) / (1.0 - t0).max(1e-6)).powf(beh.profits_eti) - 1.0);
                    t[3] += wt * dz * t1;
                }
                t[4] += wt;
                let k = bands
                    .iter()
                    .position(|(_, hi)| (p as f64 / 100.0) <= *hi)
                    .unwrap_or(bands.len() - 1);
                bb[k][0] += wt;
                bb[k][1] += wt * b;
                bb[k][2] += wt * r;
            }
            (t, bb)
        })
        .collect();
    let mut prof = [0.0f64; 5];
    let mut by_band = vec![[0.0f64; 3]; bands.len()];
    for (t, bb) in partials {
        for (x, y) in prof.iter_mut().zip(t) {
            *x += y;
        }
        for (x, y) in by_band.iter_mut().zip(bb) {
            for (a, b) in x.iter_mut().zip(y) {
                *a += b;
            }
        }
    }
    taxes.insert(
        TaxKind::ProfitsTax,
        TaxRow {
            baseline: prof[0],
            reform: prof[1],
            change: prof[1] - prof[0],
            change_with_behaviour: prof[1] - prof[0] + prof[3],
            affected: prof[2],
            payers: Some(prof[4]),
            by_type: None,
            collections: Some(Collections::new(
                collected.profits,
                profits_collected(model, year, fy).as_ref(),
                Bilingual::fixed(
                    "Published profits tax collections (IRD's, corporations and unincorporated businesses; FY2025-26: the 2026-27 Budget's revised estimate); the model's are last year's final tax after its one-off reduction plus the first instalment of this year's provisional tax, less last year's, and the businesses' weights and profit level are calibrated so that they match (they hold by construction)",
                    "公布的利得稅收入（稅務局數字，法團及非法團業務；2025-26年度為2026-27年度預算的修訂預算）；模型的數字為上一課稅年度寬減後的最終稅款，加本年度暫繳稅第一期減上年度的暫繳稅，業務的權重及利潤水平按此校準（數字必然相符）",
                ),
            )),
        },
    );
    let profits_by_band = bands
        .iter()
        .zip(by_band)
        .map(|((n, _), v)| BandRow {
            band: (*n).into(),
            count: v[0],
            baseline: v[1],
            reform: v[2],
            change: v[2] - v[1],
        })
        .collect();

    // Residential property stamp duty: deals across the financial year with the same label.
    let psrc = model
        .sources
        .property
        .as_ref()
        .ok_or_else(|| SimError::Data("no property section".into()))?;
    let prop = property_outcome(
        law,
        model,
        fy,
        reform,
        beh.enabled.then_some(beh.property_volume_semi_elasticity),
    )?;
    taxes.insert(
        TaxKind::StampDutyProperty,
        TaxRow {
            baseline: prop.baseline,
            reform: prop.reform,
            change: prop.change,
            change_with_behaviour: prop.change_with_behaviour,
            affected: prop.affected,
            payers: None,
            by_type: Some(
                property::DUTY_TYPES
                    .iter()
                    .zip(prop.by_type)
                    .map(|(t, (payers, affected, b, r))| {
                        (
                            (*t).to_string(),
                            TypeRow {
                                label: duty_type_label(t),
                                baseline: b,
                                reform: r,
                                change: r - b,
                                affected,
                                payers,
                            },
                        )
                    })
                    .collect(),
            ),
            collections: Some(Collections::new(
                Some(prop.baseline),
                psrc.non_stock_stamp_duty.iter().find(|r| r.year == fy),
                Bilingual::fixed(
                    "IRD's stamp duty other than on stock (residential and non-residential property, leases and other instruments); the model's is duty on the residential and non-residential deals of the financial year (leases and other instruments are not modelled)",
                    "稅務局的非股票印花稅（住宅及非住宅物業、租約及其他文書）；模型計該財政年度住宅及非住宅交易的印花稅（未有模擬租約及其他文書）",
                ),
            )),
        },
    );
    let to_rows = |v: &[(String, f64, f64, f64)]| {
        v.iter()
            .map(|(n, count, b, r)| BandRow {
                band: n.clone(),
                count: *count,
                baseline: *b,
                reform: *r,
                change: r - b,
            })
            .collect::<Vec<_>>()
    };

    // Stock stamp duty: the financial year's turnover at the rate averaged over its months.
    let ssrc = model
        .sources
        .stock
        .as_ref()
        .ok_or_else(|| SimError::Data("no stock section".into()))?;
    let turnover = ssrc
        .dutiable_turnover(fy)
        .ok_or_else(|| SimError::Data(format!("no HKEX turnover for {fy}")))?;
    let rate_at = |r: Option<&Reform>| stock::fy_rate(law, fy, r);
    let stock_out = stock::run(
        turnover,
        rate_at(None)?,
        rate_at(reform)?,
        beh.enabled.then_some(beh.stock_turnover_elasticity),
    );
    taxes.insert(
        TaxKind::StampDutyStock,
        TaxRow {
            baseline: stock_out.baseline,
            reform: stock_out.reform,
            change: stock_out.change,
            change_with_behaviour: stock_out.change_with_behaviour,
            affected: 0.0,
            payers: None,
            by_type: None,
            collections: Some(Collections::new(
                Some(stock_out.baseline),
                ssrc.duty_revenue.iter().find(|r| r.year == fy),
                Bilingual::fixed(
                    "Stamp duty on stock in the financial year (both sides); the model's is the financial year's turnover at the rate in force month by month",
                    "財政年度的股票印花稅（買賣雙方）；模型按該財政年度的成交額及每月適用的稅率計算",
                ),
            )),
        },
    );
    // Rates: the financial year's tenements at its rateable values, quarter by quarter.
    let rsrc = model
        .sources
        .rates
        .as_ref()
        .ok_or_else(|| SimError::Data("no rates section".into()))?;
    let tenements = model.tenements_or_fit(law)?;
    let rates_out = crate::rates::run(law, rsrc, &tenements, fy, reform)?;
    let total_rates = rsrc.revenue.iter().find(|r| r.year == fy);
    for (kind, o) in [TaxKind::RatesDomestic, TaxKind::RatesNonDomestic]
        .into_iter()
        .zip(rates_out)
    {
        let basis = match total_rates {
            Some(t) => Bilingual::new(
                format!(
                    "Rates charged in the financial year; no figure by class was found (rates on both classes together: HK${:.1}bn)",
                    t.value / 1e9
                ),
                format!(
                    "財政年度的差餉；未有按物業類別的數字（兩類物業合計：{:.1}億港元）",
                    t.value / 1e8
                ),
            ),
            None => Bilingual::fixed(
                "Rates charged in the financial year; no figure by class, nor a total for this year, was found",
                "財政年度的差餉；未有按物業類別的數字，亦未有本年度的總額",
            ),
        };
        let mut row = static_row(&o);
        row.collections = Some(Collections::new(Some(o.baseline), None, basis));
        taxes.insert(kind, row);
    }
    // Property tax: the share of tenements let by owners liable to it, at their rateable values.
    let share = crate::rates::let_share(law, rsrc, &tenements, fy)?;
    let pt = crate::rates::property_tax_run(
        rsrc,
        &tenements,
        fy,
        share,
        &base.property,
        reformed.as_ref().map(|r| &r.property),
    )?;
    let mut pt_row = static_row(&pt);
    pt_row.collections = Some(Collections::new(
        Some(pt.baseline),
        rsrc.let_property.collections.iter().find(|r| r.year == fy),
        Bilingual::fixed(
            "IRD's property tax collections; the model's share of tenements let is solved from them each year (they hold by construction)",
            "稅務局的物業稅收入；模型每年按此推算出租物業的比例（數字必然相符）",
        ),
    ));
    taxes.insert(TaxKind::PropertyTax, pt_row);
    notes.push(Bilingual::fixed(
        "Property tax: the share of tenements let by owners liable to it is solved each year from IRD's collections, with rent taken as the rateable value and rates paid by tenants; property income under personal assessment is not modelled; no behavioural response",
        "物業稅：每年按稅務局的物業稅收入推算由須繳物業稅的業主出租的物業比例，租金以應課差餉租值計算、差餉由租客繳付；未有模擬個人入息課稅下的物業收入；不計行為反應",
    ));
    notes.push(Bilingual::fixed(
        "Rates: tenements fitted to the published costs of past rates concessions, the progressive scale's count and revenue, and FY2024-25 rates revenue (no distribution of rateable values was found); no behavioural response",
        "差餉：物業按過往差餉寬減的公布成本、累進差餉的物業數目及收入，以及2024-25年度差餉收入擬合（未有應課差餉租值分布資料）；不計行為反應",
    ));
    notes.push(Bilingual::fixed(
        "Stamp duty on property: residential deals (the Land Registry's agreements and mean price of the year, the buyer mix of IRD's counts) and non-residential deals (the Land Registry's all-unit agreements less residential ones; prices with the residential dispersion, an assumption, at a level fitted to the saving from the 2020 abolition of the doubled duty); leases and other instruments are not in the population",
        "物業印花稅：住宅交易（按土地註冊處該年的合約數目及平均售價、稅務局個案數目推算的買家組合）及非住宅交易（土地註冊處全部樓宇合約減住宅合約；售價分布沿用住宅的離散程度（假設），水平按2020年取消雙倍從價印花稅所節省的稅款擬合）；人口模型未包括租約及其他文書",
    ));
    if !beh.enabled {
        notes.push(Bilingual::fixed(
            "Behavioural responses switched off: change_with_behaviour equals the static change",
            "已關閉行為反應：計及行為反應的變動等於靜態變動",
        ));
    }
    let total_change = taxes.values().map(|t| t.change).sum();
    let total_change_with_behaviour = taxes.values().map(|t| t.change_with_behaviour).sum();
    Ok(RunResult {
        year,
        reform: reform.map(|r| r.origin.clone()),
        taxes,
        total_change,
        total_change_with_behaviour,
        deciles_by: by,
        deciles,
        top1,
        profits_by_band,
        property_by_price_band: to_rows(&prop.by_price_band),
        property_by_buyer: to_rows(&prop.by_buyer),
        stock_turnover: stock_out,
        behaviour: beh,
        notes,
    })
}

/// One head's collections in one financial year beside the published figure: a row of the
/// year-by-head table in docs/VALIDATION.md.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct CollectionsCheck {
    /// `salaries_tax`, `personal_assessment`, `profits_tax`, `property_tax`,
    /// `stamp_duty_property`, `stamp_duty_stock`, `stamp_duty_total` or `rates`.
    pub head: String,
    pub label: Bilingual,
    pub collections: Collections,
    /// (model / published − 1) in per cent, where both exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_pct: Option<f64>,
    /// Whether the published figure is a constraint of the model (it holds by construction) or
    /// a test of it; absent where the model or the published figure is missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<crate::model::TargetRole>,
}

/// The collections of the financial year with `year`'s label, head by head, under the baseline
/// law, beside the published figures: what IRD and the Budget publish, and whether each figure
/// was fitted (calibrated) or is a test (validation).
pub fn collections_checks(
    law: &Law,
    model: &Model,
    year: YearOfAssessment,
) -> Result<Vec<CollectionsCheck>, SimError> {
    use crate::model::TargetRole::{Calibrated, Validation};
    let fy = i32::from(year.0);
    let r = run(law, model, year, None)?;
    let collections = |k: TaxKind| {
        r.taxes
            .get(&k)
            .and_then(|t| t.collections.clone())
            .ok_or_else(|| SimError::Data(format!("no collections for {}", k.as_str())))
    };
    let check = |head: &str, label: Bilingual, c: Collections, fitted: bool| {
        let error_pct = match (c.model, c.published) {
            (Some(m), Some(p)) if p != 0.0 => Some((m / p - 1.0) * 100.0),
            _ => None,
        };
        CollectionsCheck {
            head: head.to_string(),
            label,
            role: error_pct.map(|_| if fitted { Calibrated } else { Validation }),
            error_pct,
            collections: c,
        }
    };
    let property = collections(TaxKind::StampDutyProperty)?;
    let stock = collections(TaxKind::StampDutyStock)?;
    let stock_fitted = model
        .sources
        .stock
        .as_ref()
        .is_some_and(|s| s.exempt_share_fitted_on == fy);
    let total_published = model
        .sources
        .property
        .as_ref()
        .and_then(|p| p.total_stamp_duty.iter().find(|t| t.year == fy));
    let total = Collections::new(
        property.model.zip(stock.model).map(|(p, s)| p + s),
        total_published,
        Bilingual::fixed(
            "Stamp duty on all instruments (IRD's; FY2025-26: the 2026-27 Budget's revised estimate); the model's is property (residential and non-residential) and stock, since leases and other instruments are not in the population",
            "所有文書的印花稅（稅務局數字；2025-26年度為2026-27年度預算的修訂預算）；模型計物業（住宅及非住宅）及股票，人口模型未包括租約及其他文書",
        ),
    );
    let rsrc = model.sources.rates.as_ref();
    let rates_model = collections(TaxKind::RatesDomestic)?
        .model
        .zip(collections(TaxKind::RatesNonDomestic)?.model)
        .map(|(d, n)| d + n);
    Ok(vec![
        check(
            "salaries_tax",
            TaxKind::SalariesTax.label(),
            collections(TaxKind::SalariesTax)?,
            true,
        ),
        check(
            "personal_assessment",
            Bilingual::fixed("Personal assessment", "個人入息課稅"),
            Collections::new(
                None,
                model
                    .sources
                    .personal_assessment_collections
                    .iter()
                    .find(|v| v.year == fy),
                Bilingual::fixed(
                    "IRD's collections of tax under personal assessment; not in the population (it needs persons linked to their property and business income), so the model has no figure",
                    "稅務局的個人入息課稅收入；人口模型未包括（須把個人與其物業及業務收入相連），故沒有模型數字",
                ),
            ),
            false,
        ),
        check(
            "profits_tax",
            TaxKind::ProfitsTax.label(),
            collections(TaxKind::ProfitsTax)?,
            true,
        ),
        check(
            "property_tax",
            TaxKind::PropertyTax.label(),
            collections(TaxKind::PropertyTax)?,
            true,
        ),
        check(
            "stamp_duty_property",
            TaxKind::StampDutyProperty.label(),
            property,
            false,
        ),
        check(
            "stamp_duty_stock",
            TaxKind::StampDutyStock.label(),
            stock,
            stock_fitted,
        ),
        check(
            "stamp_duty_total",
            Bilingual::fixed("Stamp duty, all instruments", "印花稅（所有文書）"),
            total,
            false,
        ),
        check(
            "rates",
            Bilingual::fixed("Rates (domestic and non-domestic)", "差餉（住宅及非住宅）"),
            Collections::new(
                rates_model,
                rsrc.and_then(|s| s.revenue.iter().find(|v| v.year == fy)),
                Bilingual::fixed(
                    "Rates revenue after concessions, both classes (no published figure by class); the model's tenements are fitted to it in FY2024-25 only, the one year a total was found",
                    "差餉收入（扣除寬減後，兩類物業合計；未有按類別的公布數字）；模型的物業只按2024-25年度（唯一找到總額的年度）擬合",
                ),
            ),
            rsrc.is_some_and(|s| s.revenue_fitted_on == fy),
        ),
    ])
}
