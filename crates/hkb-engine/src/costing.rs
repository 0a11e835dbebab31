//! Costing: a proposal's (or a user's own) costing at its low, central and high settings, and
//! the one function that turns a society-wide reform run into fiscal lines — used by
//! `proposals cost`, `package run` and `project --package` alike.

use crate::error::EngineError;
use crate::lab::{Lab, Progress};
use crate::provenance::Response;
use hkb_fiscal::accounts::RevenueHead;
use hkb_fiscal::package::CostedLine;
use hkb_fiscal::vintage::Baseline;
use hkb_law::{Bilingual, FinancialYear, Reform, YearOfAssessment};
use hkb_microsim::Model;
use hkb_microsim::behaviour::BehaviourSettings;
use hkb_microsim::model::BuildSpec;
use hkb_microsim::society::{self, BandRow, RunResult, TaxKind};
use hkb_microsim::stock::StockOutcome;
use hkb_proposals::{CostParameter, Costing, EvaluatedLine, Method, Setting};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The revenue head a tax is booked to in the fiscal projection.
pub fn revenue_head(tax: TaxKind) -> RevenueHead {
    match tax {
        TaxKind::SalariesTax | TaxKind::ProfitsTax | TaxKind::PropertyTax => {
            RevenueHead::EarningsAndProfitsTax
        }
        TaxKind::StampDutyProperty | TaxKind::StampDutyStock => RevenueHead::StampDuties,
        // Rates are part of "other revenue" in the projection's four heads.
        TaxKind::RatesDomestic | TaxKind::RatesNonDomestic => RevenueHead::OtherRevenue,
    }
}

/// A reform run turned into fiscal lines over a baseline's years.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct ReformLines {
    /// Effect on the balance by year without behavioural responses (HK$bn).
    pub static_bn: Vec<f64>,
    /// Effect on the balance by year with behavioural responses (HK$bn).
    pub effect_bn: Vec<f64>,
    /// Revenue lines by head (HK$bn by year, with behaviour).
    pub lines: Vec<CostedLine>,
}

/// The one rule for turning a reform's society-wide result into fiscal lines: each tax's change
/// (times `sign`) is booked to its revenue head (stamp duties, earnings and profits tax, or other
/// revenue for rates); the
/// first year's effect is the run's, from `start` (default: the baseline's first year) to `end`,
/// growing with the baseline's nominal GDP path from `start`, and zero outside.
pub fn reform_lines(
    base: &Baseline,
    run: &RunResult,
    sign: f64,
    start: Option<FinancialYear>,
    end: Option<FinancialYear>,
) -> ReformLines {
    let years = &base.accounts.years;
    let s = start
        .and_then(|y| years.iter().position(|x| *x >= y))
        .unwrap_or(0);
    let path = |first_hkd: f64| -> Vec<f64> {
        years
            .iter()
            .enumerate()
            .map(|(t, y)| {
                if t < s || end.is_some_and(|e| *y > e) {
                    0.0
                } else {
                    sign * first_hkd / 1e9 * base.nominal_gdp[t] / base.nominal_gdp[s]
                }
            })
            .collect()
    };
    let mut by_head: BTreeMap<RevenueHead, f64> = BTreeMap::new();
    for (k, t) in &run.taxes {
        *by_head.entry(revenue_head(*k)).or_default() += t.change_with_behaviour;
    }
    ReformLines {
        static_bn: path(run.total_change),
        effect_bn: path(run.total_change_with_behaviour),
        lines: by_head
            .into_iter()
            .map(|(h, x)| CostedLine::revenue(h, path(x)))
            .collect(),
    }
}

/// Cost a proposal of the catalogue.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CostRequest {
    pub id: String,
    /// Parameter overrides (name → value): each must be within the parameter's allowed range,
    /// and holds in every setting.
    #[serde(default)]
    pub set: BTreeMap<String, f64>,
    /// The Medium Range Forecast whose years and GDP path the costing uses (default: newest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vintage: Option<String>,
    #[serde(default)]
    pub population: BuildSpec,
}

/// One tax's part of a reform costing's central setting.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct TaxEffect {
    /// First-year effect on the balance (HK$bn), without and with behaviour.
    pub static_bn: f64,
    pub with_behaviour_bn: f64,
    /// Weighted count of payers, businesses or deals affected.
    pub affected: f64,
}

/// What a reform costing's central setting did, by tax.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct ReformDetail {
    pub population_year: YearOfAssessment,
    pub by_tax: BTreeMap<TaxKind, TaxEffect>,
    pub stock_turnover: StockOutcome,
    pub property_by_buyer: Vec<BandRow>,
    pub behaviour: BehaviourSettings,
}

/// A costing at one setting.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct SettingResult {
    /// The parameter values used (overrides included).
    pub values: BTreeMap<String, f64>,
    /// Effect on the consolidated balance by year (HK$bn; negative = cost or revenue forgone);
    /// with behaviour for reforms.
    pub effect_bn: Vec<f64>,
    /// Reforms: the effect without behavioural responses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub static_bn: Option<Vec<f64>>,
    /// Lines costings: each line's amount and effect.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<EvaluatedLine>,
}

/// A costing run at every setting.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct Costed {
    pub method: Method,
    pub settings: BTreeMap<Setting, SettingResult>,
    /// The central setting as fiscal lines for the projection.
    pub central_lines: Vec<CostedLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub central_detail: Option<ReformDetail>,
}

impl Costed {
    pub fn effect(&self, s: Setting) -> &[f64] {
        self.settings
            .get(&s)
            .map_or(&[], |r| r.effect_bn.as_slice())
    }
}

/// `proposals cost`: one proposal's costing, explained.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct CostingResult {
    pub id: String,
    pub title: Bilingual,
    pub description: Bilingual,
    pub population_year: Option<YearOfAssessment>,
    pub vintage: String,
    pub years: Vec<FinancialYear>,
    /// The parameters as defined (value, range, unit, status, source).
    pub parameters: BTreeMap<String, CostParameter>,
    /// The overrides applied.
    pub overrides: BTreeMap<String, f64>,
    #[serde(flatten)]
    pub costed: Costed,
    pub notes: Vec<Bilingual>,
}

impl Lab {
    /// Runs a costing at every setting over a baseline's years. `model` is needed for a
    /// `reform` costing.
    pub fn run_costing(
        &self,
        costing: &Costing,
        overrides: &BTreeMap<String, f64>,
        base: &Baseline,
        model: Option<&Model>,
    ) -> Result<Costed, EngineError> {
        let mut settings = BTreeMap::new();
        let mut central_lines = Vec::new();
        let mut central_detail = None;
        for setting in Setting::ALL {
            let values = costing
                .values(setting, overrides)
                .map_err(|e| EngineError::from(e).under("/set"))?;
            match costing.method {
                Method::Lines => {
                    let lines = costing.evaluate_lines(&values, &base.accounts.years)?;
                    let effect: Vec<f64> = (0..base.accounts.years.len())
                        .map(|t| lines.iter().map(|l| l.effect_bn[t]).sum::<f64>())
                        .collect();
                    if setting == Setting::Central {
                        central_lines = lines
                            .iter()
                            .map(|l| CostedLine {
                                kind: l.kind,
                                head: l.head,
                                values: l.amount_bn.clone(),
                            })
                            .collect();
                    }
                    settings.insert(
                        setting,
                        SettingResult {
                            values,
                            effect_bn: effect,
                            static_bn: None,
                            lines,
                        },
                    );
                }
                Method::Reform => {
                    let Some(model) = model else {
                        return Err(EngineError::internal(format!(
                            "{} needs the population",
                            costing.id
                        )));
                    };
                    let year = costing.population_year.ok_or_else(|| {
                        EngineError::invalid(
                            "/population_year",
                            "a reform costing needs a population_year",
                            "法例改變的估算須有 population_year",
                        )
                    })?;
                    let year = self.population_year(year, "/population_year")?;
                    let reform = Reform::parse(
                        self.law(),
                        &format!("{} costing", costing.id),
                        &costing.reform_text(&values),
                    )?;
                    let run = society::run(self.law(), model, year, Some(&reform))?;
                    let sign = costing.sign.factor();
                    let lines = reform_lines(base, &run, sign, None, None);
                    if setting == Setting::Central {
                        central_lines = lines.lines.clone();
                        central_detail = Some(ReformDetail {
                            population_year: year,
                            by_tax: run
                                .taxes
                                .iter()
                                .filter(|(_, t)| t.change != 0.0 || t.change_with_behaviour != 0.0)
                                .map(|(k, t)| {
                                    (
                                        *k,
                                        TaxEffect {
                                            static_bn: sign * t.change / 1e9,
                                            with_behaviour_bn: sign * t.change_with_behaviour / 1e9,
                                            affected: t.affected,
                                        },
                                    )
                                })
                                .collect(),
                            stock_turnover: run.stock_turnover.clone(),
                            property_by_buyer: run.property_by_buyer.clone(),
                            behaviour: run.behaviour,
                        });
                    }
                    settings.insert(
                        setting,
                        SettingResult {
                            values,
                            effect_bn: lines.effect_bn,
                            static_bn: Some(lines.static_bn),
                            lines: Vec::new(),
                        },
                    );
                }
            }
        }
        Ok(Costed {
            method: costing.method,
            settings,
            central_lines,
            central_detail,
        })
    }

    /// Checks a costing's settings and overrides without the population (so errors come before
    /// a slow load): every setting's values, and for a reform costing that its reform parses
    /// against the law.
    pub fn check_costing(
        &self,
        costing: &Costing,
        overrides: &BTreeMap<String, f64>,
        base: &Baseline,
    ) -> Result<(), EngineError> {
        for setting in Setting::ALL {
            let values = costing
                .values(setting, overrides)
                .map_err(|e| EngineError::from(e).under("/set"))?;
            match costing.method {
                Method::Reform => {
                    if let Some(y) = costing.population_year {
                        self.population_year(y, "/population_year")?;
                    }
                    Reform::parse(self.law(), &costing.id, &costing.reform_text(&values))?;
                }
                Method::Lines => {
                    costing.evaluate_lines(&values, &base.accounts.years)?;
                }
            }
        }
        Ok(())
    }

    /// A proposal's costing at its low, central and high settings over the vintage's years.
    pub fn cost(
        &self,
        req: &CostRequest,
        progress: Progress<'_>,
    ) -> Result<Response<CostingResult>, EngineError> {
        let p = self
            .catalogue()
            .get(&req.id)
            .map_err(|e| EngineError::from(e).under("/id"))?;
        let base = self.baseline(req.vintage.as_deref())?;
        let (costing, shift) = self
            .catalogue_costing(&req.id, base)
            .map_err(|e| e.under("/id"))?;
        let costing = &costing;
        self.check_costing(costing, &req.set, base)?;
        let model = match costing.method {
            Method::Reform => Some(self.population(req.population, false, progress)?),
            Method::Lines => None,
        };
        let costed = self.run_costing(costing, &req.set, base, model.as_deref())?;
        let mut notes = vec![Bilingual::fixed(
            "low and high set every parameter to its low or high value (not always the cheaper or the dearer case)",
            "「低」及「高」把每個參數設於其範圍的低端或高端（不一定是較便宜或較昂貴的情況）",
        )];
        if !req.set.is_empty() {
            notes.push(Bilingual::fixed(
                "parameters you set take that value in every setting",
                "你設定的參數在各個設定中均採用該數值",
            ));
        }
        if shift > 0 && costing.method == Method::Lines {
            notes.push(Bilingual::new(
                format!(
                    "costed as if adopted in {}: the lines written for the 2024-25 Budget move forward {shift} year(s) (amounts as costed, not uprated)",
                    base.vintage
                ),
                format!(
                    "假設於 {} 年度採納：原按2024-25年度預算案擬定的項目順延 {shift} 年（金額按原估算，未作調整）",
                    base.vintage
                ),
            ));
        }
        if costing.method == Method::Reform {
            notes.push(Bilingual::new(
                format!(
                    "the first year is the population year's effect; later years grow with the {} vintage's nominal GDP path (derived)",
                    base.vintage
                ),
                format!(
                    "首年為人口模型年度的影響；其後各年按 {} 年度預測的名義本地生產總值路徑增長（推算）",
                    base.vintage
                ),
            ));
        }
        let spec = (costing.method == Method::Reform).then_some(&req.population);
        Ok(Response::new(
            self.provenance(spec, Some(&base.vintage)),
            CostingResult {
                id: p.id.clone(),
                title: p.title(),
                description: costing.description.clone(),
                population_year: costing.population_year,
                vintage: base.vintage.clone(),
                years: base.accounts.years.clone(),
                parameters: costing.parameters.clone(),
                overrides: req.set.clone(),
                costed,
                notes,
            },
        ))
    }
}
