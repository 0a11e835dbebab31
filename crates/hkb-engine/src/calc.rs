//! Household, business and property calculators: the exact rules of `hkb-rules` under the law
//! (and an optional reform), explained, and compared with another year, date or the law without
//! the reform ("what does this Budget mean for my family").

use crate::error::EngineError;
use crate::explain::{Explained, explain, params_used};
use crate::lab::Lab;
use crate::provenance::Response;
use hkb_law::{Bilingual, FinancialYear, Money, Reform, ReformSpec, YearOfAssessment, YearParams};
use hkb_rules::input::{
    self, Amount, Business, Buyer, Deal, Entity, InstrumentTime, LetProperty, PropertyKind,
    Situation, StockDeal, StockInstrument, Tenement,
};
use hkb_rules::profits::ProfitsResult;
use hkb_rules::property::PropertyResult;
use hkb_rules::rates::RatesResult;
use hkb_rules::salaries::HouseholdResult;
use hkb_rules::stamp::{PropertyDutyResult, StockDutyResult};
use hkb_rules::{Step, Trace};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Splits a request's own keys (`reform`, `vs_year`, `vs_date`) from the input's fields, then
/// reads the input with its own rules (unknown fields refused) and the field at fault kept:
/// serde's `flatten` would silently drop unknown fields and lose the path.
fn split_request<'de, D, T, V>(
    d: D,
    vs_key: &str,
) -> Result<(T, Option<ReformSpec>, Option<V>), D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
    V: serde::de::DeserializeOwned,
{
    use serde::de::Error;
    let mut map = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
    fn take<X: serde::de::DeserializeOwned, E: Error>(
        map: &mut serde_json::Map<String, serde_json::Value>,
        key: &str,
    ) -> Result<Option<X>, E> {
        match map.remove(key) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(v) => serde_path_to_error::deserialize(v)
                .map(Some)
                .map_err(|e| E::custom(crate::input::with_pointer(&format!("/{key}"), &e))),
        }
    }
    let reform = take::<ReformSpec, D::Error>(&mut map, "reform")?;
    let vs = take::<V, D::Error>(&mut map, vs_key)?;
    let input = serde_path_to_error::deserialize(serde_json::Value::Object(map))
        .map_err(|e| D::Error::custom(crate::input::with_pointer("", &e)))?;
    Ok((input, reform, vs))
}

/// A calculation keyed by year of assessment: the input's own fields, an optional reform, and
/// an optional year to compare with.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct YearCalc<T> {
    #[serde(flatten)]
    pub input: T,
    /// A reform applied on top of the law (then the law without it is shown as `before`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reform: Option<ReformSpec>,
    /// Compare with the same input in this year of assessment under its law (`before`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vs_year: Option<YearOfAssessment>,
}

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for YearCalc<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (input, reform, vs_year) = split_request(d, "vs_year")?;
        Ok(YearCalc {
            input,
            reform,
            vs_year,
        })
    }
}

/// Rates: keyed by financial year.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct RatesCalc {
    #[serde(flatten)]
    pub input: Tenement,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reform: Option<ReformSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vs_year: Option<FinancialYear>,
}

impl<'de> Deserialize<'de> for RatesCalc {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (input, reform, vs_year) = split_request(d, "vs_year")?;
        Ok(RatesCalc {
            input,
            reform,
            vs_year,
        })
    }
}

/// Stamp duties: keyed by the instrument's date.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct DateCalc<T> {
    #[serde(flatten)]
    pub input: T,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reform: Option<ReformSpec>,
    /// Compare with the same deal on this date under the law then (`before`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vs_date: Option<InstrumentTime>,
}

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for DateCalc<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (input, reform, vs_date) = split_request(d, "vs_date")?;
        Ok(DateCalc {
            input,
            reform,
            vs_date,
        })
    }
}

/// One line of a comparison: a step of the computation before and after.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DiffLine {
    pub key: String,
    pub label: Bilingual,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Money>,
    /// after − before (a missing side counts as 0).
    pub change: Money,
}

/// Before against after, line by line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Difference {
    /// What `before` is: the other year, the other date, or the law without the reform.
    pub before_is: Bilingual,
    pub total_before: Money,
    pub total_after: Money,
    pub total_change: Money,
    pub lines: Vec<DiffLine>,
}

/// A calculator's answer: the result (its fields at the top level), and when a comparison was
/// asked for, `before` and the `difference`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct CalcResult<T> {
    #[serde(flatten)]
    pub after: Explained<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reform: Option<ReformSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Box<Explained<T>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub difference: Option<Difference>,
    /// Salaries tax: the bill IRD sends — final tax for the year and provisional tax for the
    /// next, in instalments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bill: Option<TaxBill>,
}

/// One payment of a tax bill.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Instalment {
    pub label: Bilingual,
    pub amount: Money,
    /// When it falls due (the notice of assessment gives the date).
    pub due: Bilingual,
}

/// The salaries tax bill: the final tax of the year of assessment, the provisional tax of the
/// next (its rules applied to this year's income, without any one-off reduction), and the
/// instalments.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct TaxBill {
    pub year: YearOfAssessment,
    pub final_tax: Money,
    pub provisional_year: YearOfAssessment,
    /// None when the next year's law is not yet known (after the newest Budget).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisional_tax: Option<Money>,
    pub instalments: Vec<Instalment>,
    pub notes: Vec<Bilingual>,
}

/// What every calculator's result offers for comparisons and printing.
pub trait Outcome {
    /// The figure a user asks for: tax payable, total duty, rates payable.
    fn total(&self) -> Money;
    fn steps(&self) -> &[Step];
    /// The title of the computation.
    fn title(&self) -> Bilingual;
    /// The label of the total.
    fn total_label(&self) -> Bilingual;
}

impl Outcome for HouseholdResult {
    fn total(&self) -> Money {
        self.tax_payable
    }
    fn steps(&self) -> &[Step] {
        &self.trace
    }
    fn title(&self) -> Bilingual {
        Bilingual::new(
            format!(
                "Salaries tax and personal assessment, year of assessment {}",
                self.year
            ),
            format!("{} 課稅年度 薪俸稅及個人入息課稅", self.year),
        )
    }
    fn total_label(&self) -> Bilingual {
        Bilingual::fixed("Tax payable", "應繳稅款")
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct ProfitsOutcome {
    pub year: YearOfAssessment,
    pub entity: Entity,
    pub nominated: bool,
    #[serde(flatten)]
    pub result: ProfitsResult,
    pub trace: Vec<Step>,
}

impl Outcome for ProfitsOutcome {
    fn total(&self) -> Money {
        self.result.tax_payable
    }
    fn steps(&self) -> &[Step] {
        &self.trace
    }
    fn title(&self) -> Bilingual {
        Bilingual::new(
            format!("Profits tax, year of assessment {}", self.year),
            format!("{} 課稅年度 利得稅", self.year),
        )
    }
    fn total_label(&self) -> Bilingual {
        Bilingual::fixed("Tax payable", "應繳稅款")
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct PropertyTaxOutcome {
    pub year: YearOfAssessment,
    #[serde(flatten)]
    pub result: PropertyResult,
    pub trace: Vec<Step>,
}

impl Outcome for PropertyTaxOutcome {
    fn total(&self) -> Money {
        self.result.tax_payable
    }
    fn steps(&self) -> &[Step] {
        &self.trace
    }
    fn title(&self) -> Bilingual {
        Bilingual::new(
            format!("Property tax, year of assessment {}", self.year),
            format!("{} 課稅年度 物業稅", self.year),
        )
    }
    fn total_label(&self) -> Bilingual {
        Bilingual::fixed("Tax payable", "應繳稅款")
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct StampDutyOutcome {
    pub instrument_date: InstrumentTime,
    pub property: PropertyKind,
    pub buyers: Vec<Buyer>,
    pub units: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seller_acquired: Option<chrono::NaiveDate>,
    #[serde(flatten)]
    pub result: PropertyDutyResult,
    pub trace: Vec<Step>,
}

impl Outcome for StampDutyOutcome {
    fn total(&self) -> Money {
        self.result.total_duty
    }
    fn steps(&self) -> &[Step] {
        &self.trace
    }
    fn title(&self) -> Bilingual {
        let d = self.instrument_date.at.format("%Y-%m-%d");
        Bilingual::new(
            format!("Stamp duty on a property instrument executed {d}"),
            format!("{d} 簽立的物業文書印花稅"),
        )
    }
    fn total_label(&self) -> Bilingual {
        Bilingual::fixed("Total duty", "印花稅總額")
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct StockDutyOutcome {
    /// The transaction's date.
    pub date: String,
    pub instrument: StockInstrument,
    #[serde(flatten)]
    pub result: StockDutyResult,
    pub trace: Vec<Step>,
}

impl Outcome for StockDutyOutcome {
    fn total(&self) -> Money {
        self.result.total_duty
    }
    fn steps(&self) -> &[Step] {
        &self.trace
    }
    fn title(&self) -> Bilingual {
        Bilingual::new(
            format!("Stamp duty on a stock transaction on {}", self.date),
            format!("{} 股票交易印花稅", self.date),
        )
    }
    fn total_label(&self) -> Bilingual {
        Bilingual::fixed("Total duty (both sides)", "印花稅總額（買賣雙方）")
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct RatesOutcome {
    pub year: FinancialYear,
    #[serde(flatten)]
    pub result: RatesResult,
    pub trace: Vec<Step>,
}

impl Outcome for RatesOutcome {
    fn total(&self) -> Money {
        self.result.rates_payable
    }
    fn steps(&self) -> &[Step] {
        &self.trace
    }
    fn title(&self) -> Bilingual {
        Bilingual::new(
            format!("Rates for financial year {}", self.year),
            format!("{} 財政年度 差餉", self.year),
        )
    }
    fn total_label(&self) -> Bilingual {
        Bilingual::fixed("Rates payable", "應繳差餉")
    }
}

/// Before against after, step by step: steps are matched by key and occurrence (a key can
/// appear once per person, or once per band). A step only before (a reduction that ended) is
/// placed after the last step it followed that both sides have, so the lines keep the
/// computation's order.
pub fn difference<T: Outcome>(before: &T, after: &T, before_is: Bilingual) -> Difference {
    let keyed = |steps: &[Step]| -> Vec<((String, usize), Step)> {
        let mut seen: std::collections::HashMap<String, usize> = Default::default();
        steps
            .iter()
            .filter(|s| s.amount.is_some())
            .map(|s| {
                let n = seen.entry(s.key.to_string()).or_default();
                *n += 1;
                ((s.key.to_string(), *n), s.clone())
            })
            .collect()
    };
    let b = keyed(before.steps());
    let a = keyed(after.steps());
    let line =
        |k: &(String, usize), s: &Step, before: Option<Money>, after: Option<Money>| DiffLine {
            key: k.0.clone(),
            label: diff_label(s),
            before,
            after,
            change: after.unwrap_or_default() - before.unwrap_or_default(),
        };
    let mut lines: Vec<DiffLine> = Vec::new();
    // Steps only before, keyed by the step both sides have that precedes them (None: the start).
    type Key = (String, usize);
    let mut only_before: Vec<(Option<&Key>, &Key, &Step)> = Vec::new();
    let mut anchor: Option<&Key> = None;
    for (k, s) in &b {
        if a.iter().any(|(ak, _)| ak == k) {
            anchor = Some(k);
        } else {
            only_before.push((anchor, k, s));
        }
    }
    let push_only_before = |lines: &mut Vec<DiffLine>, after_key: Option<&Key>| {
        for (_, k, s) in only_before.iter().filter(|(an, _, _)| *an == after_key) {
            lines.push(line(k, s, s.amount, None));
        }
    };
    push_only_before(&mut lines, None);
    for (k, s) in &a {
        let before = b.iter().find(|(bk, _)| bk == k).and_then(|(_, s)| s.amount);
        lines.push(line(k, s, before, s.amount));
        if before.is_some() {
            push_only_before(&mut lines, Some(k));
        }
    }
    Difference {
        before_is,
        total_before: before.total(),
        total_after: after.total(),
        total_change: after.total() - before.total(),
        lines,
    }
}

/// A step's label in a comparison. A band's label ("On the next") says nothing without its
/// detail, and its detail differs between the two sides, so a band is named by its rate.
fn diff_label(s: &Step) -> Bilingual {
    if s.key == "progressive.band"
        && let Some(rate) = s
            .detail
            .as_ref()
            .and_then(|d| d.en.rsplit_once(" @ ").map(|(_, r)| r.to_string()))
    {
        return Bilingual::new(
            format!("Band taxed at {rate}"),
            format!("按 {rate} 計稅的稅階"),
        );
    }
    s.label.clone()
}

fn supported_year(y: YearOfAssessment, field: &str) -> Result<YearOfAssessment, EngineError> {
    if y.is_supported() {
        return Ok(y);
    }
    let all = YearOfAssessment::supported_list();
    Err(EngineError::not_found(
        field,
        format!("unsupported year of assessment {y}: supported years are {all}"),
        format!("不支援 {y} 課稅年度：可用年度為 {all}"),
    )
    .with_allowed(all))
}

impl Lab {
    /// Validates a reform given as data against the law.
    pub fn reform(&self, spec: Option<&ReformSpec>) -> Result<Option<Reform>, EngineError> {
        spec.map(|s| {
            let origin = s
                .name
                .as_ref()
                .map_or_else(|| "reform".to_string(), |n| n.en.to_string());
            Reform::from_spec(self.law(), &origin, s.clone())
        })
        .transpose()
        .map_err(Into::into)
    }

    fn reform_warning(reform: Option<&Reform>) -> Vec<Bilingual> {
        reform
            .map(|r| {
                vec![Bilingual::new(
                    format!(
                        "computed with the reform '{}' applied on top of the law",
                        r.origin
                    ),
                    format!("已在現行法例之上套用改革方案「{}」", r.origin),
                )]
            })
            .unwrap_or_default()
    }

    fn household(
        &self,
        s: &Situation,
        reform: Option<&Reform>,
    ) -> Result<Explained<HouseholdResult>, EngineError> {
        let y = YearParams::resolve(self.law(), s.year, reform)?;
        let r = hkb_rules::assess_household(s, &y, true).map_err(|e| match e {
            hkb_rules::RulesError::Unavailable(option, en, zh) => EngineError::invalid(
                "/assessment",
                format!("'{option}' is not available for this household ({en})"),
                format!("此住戶不可選「{option}」（{zh}）"),
            ),
        })?;
        let used = params_used(r.options.iter().flat_map(|o| o.trace.iter()));
        Ok(explain(
            self.law(),
            &y.set,
            r,
            used,
            Self::reform_warning(reform),
        ))
    }

    /// Salaries tax and personal assessment for a household: every lawful option, the cheapest
    /// recommended, explained.
    pub fn salaries(
        &self,
        req: &YearCalc<Situation>,
    ) -> Result<Response<CalcResult<HouseholdResult>>, EngineError> {
        input::check_situation(&req.input)?;
        let vs = match req.vs_year {
            Some(vy) => {
                let vy = supported_year(vy, "/vs_year")?;
                let mut other = req.input.clone();
                other.year = vy;
                Some((other, year_label(vy), "/vs_year"))
            }
            None => None,
        };
        let mut r = self.compared(&req.input, req.reform.as_ref(), vs, |s, r| {
            self.household(s, r)
        })?;
        let reform = self.reform(req.reform.as_ref())?;
        r.body.bill = Some(self.bill(&req.input, reform.as_ref(), &r.body.after.result)?);
        Ok(r)
    }

    /// The tax bill for a household whose final tax is `final_`: provisional tax for the next
    /// year of assessment is that year's rules applied to this year's income and circumstances
    /// (a child born this year is in its second year; claims count one more year), without the
    /// one-off reduction, which never applies to provisional tax (shared/data/tax/RULES_NOTES.md).
    fn bill(
        &self,
        s: &Situation,
        reform: Option<&Reform>,
        final_: &HouseholdResult,
    ) -> Result<TaxBill, EngineError> {
        let next = YearOfAssessment(s.year.0 + 1);
        let final_tax = final_.tax_payable;
        let mut notes = Vec::new();
        let due_first = Bilingual::fixed(
            "by the date on the notice of assessment",
            "按評稅通知書所列日期",
        );
        if !next.is_supported() {
            notes.push(Bilingual::new(
                format!("Provisional tax for {next} is not computed: {next}'s rules are set by a Budget not yet in hkbudget's law."),
                format!("未計算 {next} 課稅年度的暫繳稅：該年度的稅制須待尚未收錄的財政預算案訂定。"),
            ));
            return Ok(TaxBill {
                year: s.year,
                final_tax,
                provisional_year: next,
                provisional_tax: None,
                instalments: vec![Instalment {
                    label: Bilingual::new(
                        format!("Final tax for {}", s.year),
                        format!("{} 課稅年度最終稅款", s.year),
                    ),
                    amount: final_tax,
                    due: due_first,
                }],
                notes,
            });
        }
        let mut t = s.clone();
        t.year = next;
        for c in &mut t.children.0 {
            if c.born_in_year {
                c.born_in_year = false;
                // Some day of this year of assessment: next year is the child's second.
                c.born_on = chrono::NaiveDate::from_ymd_opt(i32::from(s.year.0), 10, 1);
            }
        }
        for p in std::iter::once(&mut t.taxpayer).chain(t.spouse.as_mut()) {
            if p.home_loan_interest.0 > Money::ZERO {
                p.home_loan_interest_years_claimed += 1;
            }
            if p.lives_with_newborn {
                p.newborn_top_up_years_claimed += 1;
            }
        }
        let y = YearParams::resolve(self.law(), next, reform)?;
        let r = hkb_rules::assess_household(&t, &y, false).or_else(|_| {
            t.assessment = input::Assessment::Auto;
            hkb_rules::assess_household(&t, &y, false)
        });
        let r = r.map_err(|e| EngineError::internal(format!("provisional tax: {e}")))?;
        let provisional = r
            .options
            .iter()
            .map(|o| o.tax_before_reduction)
            .min()
            .unwrap_or(Money::ZERO);
        let [first, second] =
            hkb_rules::salaries::provisional_instalments(provisional, &y.salaries);
        let share = y.salaries.provisional_first_share;
        notes.push(Bilingual::new(
            format!("Provisional tax for {next}: {next}'s rules on {}'s income and circumstances, with no one-off reduction (it never applies to provisional tax).", s.year),
            format!("{next} 課稅年度暫繳稅：以 {} 課稅年度的入息及情況按 {next} 年度稅制計算，不設一次性寬減（寬減從不適用於暫繳稅）。", s.year),
        ));
        notes.push(Bilingual::new(
            format!("Instalments: {share} with the final tax, the rest three months later — an ASSUMPTION (IRD practice; the notice gives the dates)."),
            format!("分期：{share} 與最終稅款一併繳付，餘額三個月後繳付——屬假設（稅務局慣常做法；實際日期以通知書為準）。"),
        ));
        notes.push(Bilingual::fixed(
            "If next year's income will be clearly lower, IRD may hold over provisional tax on application before the first instalment falls due; the grounds and threshold are on the notice and IRD's website (not computed here).",
            "如預計下一年度入息明顯下降，可在第一期暫繳稅到期前向稅務局申請緩繳；理由及門檻見通知書及稅務局網站（此處不作計算）。",
        ));
        let instalments = vec![
            Instalment {
                label: Bilingual::new(
                    format!(
                        "Final tax for {} and the first instalment of provisional tax for {next}",
                        s.year
                    ),
                    format!("{} 課稅年度最終稅款及 {next} 課稅年度第一期暫繳稅", s.year),
                ),
                amount: final_tax + first,
                due: due_first,
            },
            Instalment {
                label: Bilingual::new(
                    format!("Second instalment of provisional tax for {next}"),
                    format!("{next} 課稅年度第二期暫繳稅"),
                ),
                amount: second,
                due: Bilingual::fixed(
                    "three months after the first (the notice gives the date)",
                    "第一期後三個月（日期以通知書為準）",
                ),
            },
        ];
        Ok(TaxBill {
            year: s.year,
            final_tax,
            provisional_year: next,
            provisional_tax: Some(provisional),
            instalments,
            notes,
        })
    }

    /// Computes `input` (with the reform) and, when asked, `before`: `vs` (the same input in
    /// another year or on another date, under its law), or else the input without the reform.
    fn compared<I, T: Outcome>(
        &self,
        input: &I,
        reform_spec: Option<&ReformSpec>,
        vs: Option<(I, Bilingual, &str)>,
        one: impl Fn(&I, Option<&Reform>) -> Result<Explained<T>, EngineError>,
    ) -> Result<Response<CalcResult<T>>, EngineError> {
        let reform = self.reform(reform_spec)?;
        let after = one(input, reform.as_ref())?;
        let before = match vs {
            Some((other, is, field)) => Some((
                one(&other, None).map_err(|e| match e.field.as_str() {
                    "/year" | "/instrument_date" | "/date" => EngineError {
                        field: field.into(),
                        ..e
                    },
                    _ => e,
                })?,
                is,
            )),
            None if reform.is_some() => Some((one(input, None)?, no_reform())),
            None => None,
        };
        let (before, difference) = match before {
            Some((b, is)) => {
                let d = difference(&b.result, &after.result, is);
                (Some(Box::new(b)), Some(d))
            }
            None => (None, None),
        };
        Ok(Response::new(
            self.provenance(None, None),
            CalcResult {
                after,
                reform: reform_spec.cloned(),
                before,
                difference,
                bill: None,
            },
        ))
    }

    fn profits_one(
        &self,
        b: &Business,
        reform: Option<&Reform>,
    ) -> Result<Explained<ProfitsOutcome>, EngineError> {
        let y = YearParams::resolve(self.law(), b.year, reform)?;
        let mut tr = Trace::on();
        let r = hkb_rules::profits_tax(
            b.assessable_profits.0,
            b.entity,
            b.nominated,
            &y.profits,
            &mut tr,
        );
        let trace = tr.into_steps();
        let used = params_used(trace.iter());
        let out = ProfitsOutcome {
            year: b.year,
            entity: b.entity,
            nominated: b.nominated,
            result: r,
            trace,
        };
        Ok(explain(
            self.law(),
            &y.set,
            out,
            used,
            Self::reform_warning(reform),
        ))
    }

    /// Profits tax for one business.
    /// Profits tax for one business.
    pub fn profits(
        &self,
        req: &YearCalc<Business>,
    ) -> Result<Response<CalcResult<ProfitsOutcome>>, EngineError> {
        let vs = match req.vs_year {
            Some(vy) => {
                let vy = supported_year(vy, "/vs_year")?;
                let mut other = req.input.clone();
                other.year = vy;
                Some((other, year_label(vy), "/vs_year"))
            }
            None => None,
        };
        self.compared(&req.input, req.reform.as_ref(), vs, |b, r| {
            self.profits_one(b, r)
        })
    }
    fn property_one(
        &self,
        p: &LetProperty,
        reform: Option<&Reform>,
    ) -> Result<Explained<PropertyTaxOutcome>, EngineError> {
        let y = YearParams::resolve(self.law(), p.year, reform)?;
        let mut tr = Trace::on();
        let r = hkb_rules::property_tax(
            p.rental_income.0,
            p.rates_paid_by_owner.0,
            p.irrecoverable_rent.0,
            p.months_let.unwrap_or(12),
            &y.property,
            &mut tr,
        );
        let trace = tr.into_steps();
        let used = params_used(trace.iter());
        let out = PropertyTaxOutcome {
            year: p.year,
            result: r,
            trace,
        };
        Ok(explain(
            self.law(),
            &y.set,
            out,
            used,
            Self::reform_warning(reform),
        ))
    }

    /// Property tax (and provisional tax) for one let property.
    /// Property tax (and provisional tax) for one let property.
    pub fn property_tax(
        &self,
        req: &YearCalc<LetProperty>,
    ) -> Result<Response<CalcResult<PropertyTaxOutcome>>, EngineError> {
        input::check_property(&req.input)?;
        let vs = match req.vs_year {
            Some(vy) => {
                let vy = supported_year(vy, "/vs_year")?;
                let mut other = req.input.clone();
                other.year = vy;
                Some((other, year_label(vy), "/vs_year"))
            }
            None => None,
        };
        self.compared(&req.input, req.reform.as_ref(), vs, |p, r| {
            self.property_one(p, r)
        })
    }
    fn deal_one(
        &self,
        d: &Deal,
        reform: Option<&Reform>,
    ) -> Result<Explained<StampDutyOutcome>, EngineError> {
        input::check_deal(d)?;
        let done = hkb_rules::stamp::assess_deal(self.law(), d, reform, true)?;
        let used = params_used(done.trace.iter());
        let mut warnings = done.warnings.clone();
        warnings.extend(Self::reform_warning(reform));
        let out = StampDutyOutcome {
            instrument_date: d.instrument_date,
            property: d.property,
            buyers: d.buyers.clone(),
            units: d.units,
            seller_acquired: d.seller_acquired,
            result: done.result,
            trace: done.trace,
        };
        Ok(explain(self.law(), &done.set, out, used, warnings))
    }

    /// Stamp duty on a property instrument: AVD, NRSD, BSD and SSD at the instrument's date.
    /// Stamp duty on a property instrument: AVD, NRSD, BSD and SSD at the instrument's date.
    pub fn stamp_duty(
        &self,
        req: &DateCalc<Deal>,
    ) -> Result<Response<CalcResult<StampDutyOutcome>>, EngineError> {
        let vs = req.vs_date.map(|t| {
            let mut other = req.input.clone();
            other.instrument_date = t;
            (other, date_label(&t), "/vs_date")
        });
        self.compared(&req.input, req.reform.as_ref(), vs, |d, r| {
            self.deal_one(d, r)
        })
    }
    fn stock_one(
        &self,
        d: &StockDeal,
        reform: Option<&Reform>,
    ) -> Result<Explained<StockDutyOutcome>, EngineError> {
        input::check_stock(d)?;
        let done = hkb_rules::stamp::assess_stock(self.law(), d, reform, true)?;
        let used = params_used(done.trace.iter());
        let mut warnings = done.warnings.clone();
        warnings.extend(Self::reform_warning(reform));
        let out = StockDutyOutcome {
            date: d.date.at.format("%Y-%m-%d").to_string(),
            instrument: d.instrument,
            result: done.result,
            trace: done.trace,
        };
        Ok(explain(self.law(), &done.set, out, used, warnings))
    }

    /// Stamp duty on a stock transaction (each contract note, each side).
    /// Stamp duty on a stock transaction (each contract note, each side).
    pub fn stock_duty(
        &self,
        req: &DateCalc<StockDeal>,
    ) -> Result<Response<CalcResult<StockDutyOutcome>>, EngineError> {
        let vs = req.vs_date.map(|t| {
            let mut other = req.input.clone();
            other.date = t;
            (other, date_label(&t), "/vs_date")
        });
        self.compared(&req.input, req.reform.as_ref(), vs, |d, r| {
            self.stock_one(d, r)
        })
    }
    fn rates_one(
        &self,
        t: &Tenement,
        reform: Option<&Reform>,
    ) -> Result<Explained<RatesOutcome>, EngineError> {
        let fy = input::check_tenement(t)?;
        let done = hkb_rules::rates::assess_tenement(self.law(), fy, t, reform, true)?;
        let used = params_used(done.trace.iter());
        let mut warnings = done.warnings.clone();
        warnings.extend(Self::reform_warning(reform));
        let out = RatesOutcome {
            year: fy,
            result: done.result,
            trace: done.trace,
        };
        Ok(explain(self.law(), &done.set, out, used, warnings))
    }

    /// Rates on a tenement for a financial year, by quarter, with the year's concession.
    /// Rates on a tenement for a financial year, by quarter, with the year's concession.
    pub fn rates(
        &self,
        req: &RatesCalc,
    ) -> Result<Response<CalcResult<RatesOutcome>>, EngineError> {
        let vs = req.vs_year.map(|vy| {
            let mut other = req.input.clone();
            other.year = vy;
            (
                other,
                Bilingual::new(
                    format!("financial year {vy} under its law"),
                    format!("{vy} 財政年度（按該年度法例）"),
                ),
                "/vs_year",
            )
        });
        self.compared(&req.input, req.reform.as_ref(), vs, |t, r| {
            self.rates_one(t, r)
        })
    }
}

fn year_label(vy: YearOfAssessment) -> Bilingual {
    Bilingual::new(
        format!("year of assessment {vy} under its law"),
        format!("{vy} 課稅年度（按該年度法例）"),
    )
}

fn date_label(t: &InstrumentTime) -> Bilingual {
    let d = t.at.format("%Y-%m-%d");
    Bilingual::new(format!("the law on {d}"), format!("{d} 的法例"))
}

fn no_reform() -> Bilingual {
    Bilingual::fixed("the law without the reform", "未套用改革方案的現行法例")
}

/// Tax as the taxpayer's employment income varies, everything else as given.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SweepRequest {
    /// The household (a `calc/salaries` request; its `reform` applies, `vs_year` is ignored).
    pub request: YearCalc<Situation>,
    /// Lowest and highest employment income of the taxpayer (HK$).
    #[serde(default)]
    pub from: Amount,
    pub to: Amount,
    /// Number of incomes between them, both ends included (2 to 201).
    pub steps: usize,
}

/// One income of a sweep.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
pub struct SweepPoint {
    pub income: Money,
    /// The household's tax payable, on the recommended option.
    pub tax: Money,
    /// Tax over the taxpayer's employment income (0 at no income).
    pub average_rate: f64,
    /// The change in tax to the next income over the change in income (the last point repeats
    /// the one before).
    pub marginal_rate: f64,
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct Sweep {
    pub year: YearOfAssessment,
    /// What varies: a JSON pointer into the household.
    pub varies: String,
    pub points: Vec<SweepPoint>,
}

impl Lab {
    /// The household's tax at `steps` employment incomes from `from` to `to`.
    pub fn salaries_sweep(&self, req: &SweepRequest) -> Result<Response<Sweep>, EngineError> {
        if !(2..=201).contains(&req.steps) {
            return Err(EngineError::invalid(
                "/steps",
                format!("{} steps: give 2 to 201", req.steps),
                format!("{} 個點：請給 2 至 201", req.steps),
            )
            .with_allowed("2 to 201"));
        }
        let (from, to) = (req.from.0, req.to.0);
        if to <= from {
            return Err(EngineError::invalid(
                "/to",
                format!("to ({to}) must be above from ({from})"),
                format!("上限（{to}）須高於下限（{from}）"),
            ));
        }
        let span = (to - from).to_f64();
        let mut incomes: Vec<Money> = (0..req.steps)
            .filter_map(|i| {
                let x = from.to_f64() + span * i as f64 / (req.steps - 1) as f64;
                Money::from_f64(x.round())
            })
            .collect();
        incomes.dedup();
        let mut points = Vec::with_capacity(incomes.len());
        for income in incomes {
            let mut one = req.request.clone();
            one.input.taxpayer.employment_income = Amount(income);
            one.vs_year = None;
            let r = self.salaries(&one).map_err(|e| EngineError {
                field: format!("/request{}", e.field),
                ..e
            })?;
            let tax = r.body.after.result.tax_payable;
            let x = income.to_f64();
            points.push(SweepPoint {
                income,
                tax,
                average_rate: if x > 0.0 { tax.to_f64() / x } else { 0.0 },
                marginal_rate: 0.0,
            });
        }
        for i in 0..points.len() {
            let (a, b) = if i + 1 < points.len() {
                (i, i + 1)
            } else {
                (i.saturating_sub(1), i)
            };
            let dx = (points[b].income - points[a].income).to_f64();
            points[i].marginal_rate = if dx > 0.0 {
                (points[b].tax - points[a].tax).to_f64() / dx
            } else {
                0.0
            };
        }
        Ok(Response::new(
            self.provenance(None, None),
            Sweep {
                year: req.request.input.year,
                varies: "/taxpayer/employment_income".into(),
                points,
            },
        ))
    }
}
