//! Inputs: the situation of a household, a business or a let property, as read from YAML/JSON
//! files or CLI flags. Every amount is checked on the way in (non-negative unless it is a
//! profit that may be a loss), unknown fields are rejected, and errors name the field.

use hkb_law::{Money, YearOfAssessment};
use schemars::JsonSchema;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A non-negative amount of HK$.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Amount(pub Money);

/// An amount of HK$ that may be negative (a business loss).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct SignedAmount(pub Money);

struct AmountVisitor {
    allow_negative: bool,
}

impl<'de> Visitor<'de> for AmountVisitor {
    type Value = Money;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.allow_negative {
            f.write_str("an amount in HK$ (a number; negative for a loss)")
        } else {
            f.write_str("an amount in HK$ (a number, 0 or more)")
        }
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Money, E> {
        Money::from_input_dollars(i128::from(v))
            .ok_or_else(|| E::custom(hkb_law::money::too_large(&v.to_string())))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Money, E> {
        if v < 0 && !self.allow_negative {
            return Err(E::custom(format!(
                "must not be negative (found {v}); amounts are 0 or more"
            )));
        }
        Money::from_input_dollars(i128::from(v))
            .ok_or_else(|| E::custom(hkb_law::money::too_large(&v.to_string())))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Money, E> {
        if v < 0.0 && !self.allow_negative {
            return Err(E::custom(format!(
                "must not be negative (found {v}); amounts are 0 or more"
            )));
        }
        Money::from_f64(v).ok_or_else(|| {
            if v.is_finite() {
                E::custom(hkb_law::money::too_large(&v.to_string()))
            } else {
                E::custom(format!("{v} is not a usable amount"))
            }
        })
    }
}

fn number_schema(description: &str, minimum: Option<f64>) -> schemars::Schema {
    let mut s = schemars::json_schema!({
        "type": "number",
        "description": description,
        "maximum": hkb_law::Money::MAX_INPUT_DOLLARS as f64,
    });
    match minimum {
        Some(m) => s.insert("minimum".into(), m.into()),
        None => s.insert(
            "minimum".into(),
            (-(hkb_law::Money::MAX_INPUT_DOLLARS as f64)).into(),
        ),
    };
    s
}

impl JsonSchema for Amount {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Amount".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        number_schema(
            "An amount in HK$, 0 or more (rounded to the cent)",
            Some(0.0),
        )
    }
}

impl JsonSchema for SignedAmount {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "SignedAmount".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        number_schema("An amount in HK$; negative for a loss", None)
    }
}

impl JsonSchema for AmountList {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "AmountList".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let one = g.subschema_for::<Amount>();
        schemars::json_schema!({
            "description": "One amount in HK$, or a list of amounts (one per person)",
            "anyOf": [one.clone(), {"type": "array", "items": one, "maxItems": MAX_LIST}]
        })
    }
}

impl JsonSchema for Children {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Children".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let child = g.subschema_for::<Child>();
        schemars::json_schema!({
            "description": "A number of children (0-50), or a list of children with details",
            "anyOf": [
                {"type": "integer", "minimum": 0, "maximum": 50},
                {"type": "array", "items": child, "maxItems": 50}
            ]
        })
    }
}

impl JsonSchema for InstrumentTime {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "InstrumentTime".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "The date an instrument was executed, like 2024-02-28, or with the time where the law changed during the day, like 2023-02-22T10:30",
            "examples": ["2024-02-28"]
        })
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(AmountVisitor {
            allow_negative: false,
        })
        .map(Amount)
    }
}
impl<'de> Deserialize<'de> for SignedAmount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(AmountVisitor {
            allow_negative: true,
        })
        .map(SignedAmount)
    }
}

/// The longest list of amounts, parents or siblings a situation may hold.
pub const MAX_LIST: usize = 64;

/// One amount, or a list of amounts (one per parent in care, one per insured person).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct AmountList(pub Vec<Money>);

impl<'de> Deserialize<'de> for AmountList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = AmountList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an amount in HK$ or a list of amounts (one per person)")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<AmountList, E> {
                AmountVisitor {
                    allow_negative: false,
                }
                .visit_u64(v)
                .map(|m| AmountList(vec![m]))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<AmountList, E> {
                AmountVisitor {
                    allow_negative: false,
                }
                .visit_i64(v)
                .map(|m| AmountList(vec![m]))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<AmountList, E> {
                AmountVisitor {
                    allow_negative: false,
                }
                .visit_f64(v)
                .map(|m| AmountList(vec![m]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AmountList, A::Error> {
                let mut out = Vec::new();
                while let Some(a) = seq.next_element::<Amount>()? {
                    if out.len() == MAX_LIST {
                        return Err(de::Error::custom(format!(
                            "more than {MAX_LIST} amounts (one per person) is not plausible"
                        )));
                    }
                    out.push(a.0);
                }
                Ok(AmountList(out))
            }
        }
        d.deserialize_any(V)
    }
}

impl AmountList {
    pub fn total(&self) -> Money {
        self.0.iter().copied().sum()
    }
}

fn de_year<'de, D: Deserializer<'de>>(d: D) -> Result<YearOfAssessment, D::Error> {
    let s = String::deserialize(d)?;
    let y: YearOfAssessment = s
        .parse()
        .map_err(|e| de::Error::custom(format!("year: {e}")))?;
    if !y.is_supported() {
        return Err(de::Error::custom(format!(
            "year: unsupported year of assessment {y}: supported years are {}",
            YearOfAssessment::supported_list()
        )));
    }
    Ok(y)
}

/// Which assessment the household wants; `auto` computes every lawful option and takes the lowest.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Assessment {
    #[default]
    Auto,
    Separate,
    Joint,
    /// The cheaper of the personal-assessment options.
    Personal,
    PersonalSeparate,
    PersonalJoint,
}

/// A child for whom child allowance is claimed.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Child {
    /// Born during the year of assessment (adds the additional child allowance).
    #[serde(default)]
    pub born_in_year: bool,
    /// The date of birth, where known: the additional child allowance is given in the year of
    /// assessment of birth and, from 2026/27, the one after.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de_date"
    )]
    pub born_on: Option<chrono::NaiveDate>,
    /// Eligible under the Government Disability Allowance Scheme.
    #[serde(default)]
    pub disabled: bool,
}

/// Children: a count, or a list with details.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Children(pub Vec<Child>);

impl<'de> Deserialize<'de> for Children {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Children;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number of children, or a list like [{born_in_year: true}, {disabled: false}]")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Children, E> {
                if v > 50 {
                    return Err(E::custom(format!(
                        "{v} children is not plausible (at most 50)"
                    )));
                }
                Ok(Children(vec![Child::default(); v as usize]))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Children, E> {
                if v < 0 {
                    return Err(E::custom(format!("must not be negative (found {v})")));
                }
                self.visit_u64(v as u64)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Children, A::Error> {
                let mut out = Vec::new();
                while let Some(c) = seq.next_element::<Child>()? {
                    if out.len() == 50 {
                        return Err(de::Error::custom(
                            "more than 50 children is not plausible (at most 50)",
                        ));
                    }
                    out.push(c);
                }
                Ok(Children(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// A dependent parent or grandparent (of the taxpayer or spouse).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Parent {
    pub age: u32,
    /// Lived with the taxpayer continuously throughout the year (adds the additional allowance).
    #[serde(default)]
    pub resides_with: bool,
    /// Eligible under the Government Disability Allowance Scheme.
    #[serde(default)]
    pub disabled: bool,
}

/// A dependent brother or sister (no child allowance claimed for them).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sibling {
    #[serde(default)]
    pub disabled: bool,
}

/// One person's income and claims for a year of assessment.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Person {
    /// Income from employment (salary, bonus, allowances, benefits) chargeable to salaries tax.
    pub employment_income: Amount,
    pub outgoings_expenses: Amount,
    pub self_education: Amount,
    /// Employee's mandatory MPF contributions for the year.
    pub mpf_mandatory: Amount,
    /// Work the mandatory MPF contribution out from employment income (an employee in an MPF
    /// scheme, income spread evenly over the year) instead of `mpf_mandatory`: an assumption the
    /// result labels; give the actual contribution when known. The self-employed contribute on
    /// their own relevant income and exempt persons (under 18, 65 or over, and others exempted)
    /// contribute nothing: give `mpf_mandatory` for them.
    pub mpf_from_income: bool,
    /// Contributions to a recognised occupational retirement scheme (shares the MPF ceiling).
    pub recognised_retirement_scheme: Amount,
    pub charitable_donations: Amount,
    pub home_loan_interest: Amount,
    /// This person's share of the dwelling (0 to 1) when it is owned jointly or in common: then
    /// `home_loan_interest` is the interest on the whole loan, and both it and the ceiling are
    /// apportioned by the share. Absent: the person's own interest, the full ceiling.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub home_ownership_share: Option<hkb_law::Rate>,
    /// Years of assessment in which home loan interest was already deducted.
    pub home_loan_interest_years_claimed: u32,
    pub domestic_rent: Amount,
    /// Lived with a child born on or after 25 Oct 2023 for at least 6 months of the year.
    pub lives_with_newborn: bool,
    /// Years in which the newborn top-up was already claimed.
    pub newborn_top_up_years_claimed: u32,
    /// Residential care expenses, one amount per parent/grandparent.
    pub elderly_residential_care: AmountList,
    /// Qualifying VHIS premiums, one amount per insured person.
    pub vhis_premiums: AmountList,
    /// Qualifying deferred annuity premiums plus MPF tax-deductible voluntary contributions.
    pub tvc_qdap: Amount,
    pub assisted_reproductive_services: Amount,
    /// Rent received from letting property in Hong Kong (property tax / personal assessment).
    pub rental_income: Amount,
    pub rates_paid_by_owner: Amount,
    pub irrecoverable_rent: Amount,
    /// Interest on money borrowed to buy the let property (deductible only under personal assessment).
    pub rental_loan_interest: Amount,
    /// Assessable profits of a sole proprietorship; negative for a loss.
    pub business_profit: SignedAmount,
    /// Eligible under the Government Disability Allowance Scheme (personal disability allowance).
    pub disabled: bool,
}

impl Person {
    pub fn has_salaries_income(&self) -> bool {
        self.employment_income.0 > Money::ZERO
    }
    pub fn has_other_income(&self) -> bool {
        self.rental_income.0 > Money::ZERO || !self.business_profit.0.is_zero()
    }
    pub fn has_any_income(&self) -> bool {
        self.has_salaries_income() || self.has_other_income()
    }
}

/// A household's situation for salaries tax and personal assessment.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Situation {
    #[serde(deserialize_with = "de_year")]
    pub year: YearOfAssessment,
    #[serde(default)]
    pub assessment: Assessment,
    #[serde(default)]
    pub married: bool,
    /// Unmarried (or widowed, divorced, separated) with sole or predominant care of a child.
    #[serde(default)]
    pub single_parent: bool,
    #[serde(default)]
    pub children: Children,
    #[serde(default)]
    pub dependent_parents: Vec<Parent>,
    #[serde(default)]
    pub dependent_siblings: Vec<Sibling>,
    #[serde(default)]
    pub taxpayer: Person,
    #[serde(default)]
    pub spouse: Option<Person>,
}

/// A business for profits tax.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Business {
    #[serde(deserialize_with = "de_year")]
    pub year: YearOfAssessment,
    /// Assessable profits after deductions; negative for a loss.
    pub assessable_profits: SignedAmount,
    #[serde(default)]
    pub entity: Entity,
    /// Whether this entity takes the lower tier among its connected entities (only one may).
    #[serde(default = "yes")]
    pub nominated: bool,
}

fn yes() -> bool {
    true
}

#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    #[default]
    Corporation,
    Unincorporated,
}

/// A let property for property tax.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LetProperty {
    #[serde(deserialize_with = "de_year")]
    pub year: YearOfAssessment,
    /// Rent (consideration) receivable for the year.
    pub rental_income: Amount,
    #[serde(default)]
    pub rates_paid_by_owner: Amount,
    #[serde(default)]
    pub irrecoverable_rent: Amount,
    /// Months let in the year (1-12), used to gross up provisional tax; default 12.
    #[serde(default)]
    pub months_let: Option<u32>,
}

/// A problem with an input the schema cannot express, naming the field (a JSON pointer into
/// the input, e.g. `/dependent_parents/0/age`) and saying what is allowed, in both languages.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}: {en}", field.trim_start_matches('/').replace('/', "."))]
pub struct InputError {
    pub field: String,
    pub en: String,
    pub zh: String,
}

impl InputError {
    pub fn new(field: impl Into<String>, en: impl Into<String>, zh: impl Into<String>) -> Self {
        InputError {
            field: field.into(),
            en: en.into(),
            zh: zh.into(),
        }
    }
}

/// Problems the schema cannot express (e.g. a spouse without `married: true`).
pub fn check_situation(s: &Situation) -> Result<(), InputError> {
    let people = std::iter::once(("/taxpayer", &s.taxpayer))
        .chain(s.spouse.as_ref().map(|p| ("/spouse", p)));
    for (at, p) in people {
        if let Some(sh) = p.home_ownership_share
            && (sh <= hkb_law::Rate(0) || sh > hkb_law::Rate(1_000_000))
        {
            return Err(InputError::new(
                format!("{at}/home_ownership_share"),
                format!(
                    "{} is not a share of ownership: give more than 0 and at most 1 (0.5 for half)",
                    sh.to_f64()
                ),
                format!(
                    "{} 並非業權份額：請填大於0而不超過1的數值（一半即 0.5）",
                    sh.to_f64()
                ),
            ));
        }
        if p.mpf_from_income && p.mpf_mandatory.0 > Money::ZERO {
            return Err(InputError::new(
                format!("{at}/mpf_from_income"),
                "give the mandatory MPF contribution (mpf_mandatory) or ask for it to be worked out from income (mpf_from_income), not both",
                "請提供強積金強制性供款（mpf_mandatory）或要求按入息推算（mpf_from_income），不可兩者並用",
            ));
        }
    }
    if s.spouse.is_some() && !s.married {
        return Err(InputError::new(
            "/spouse",
            "given, but married is false; set `married: true` or remove the spouse",
            "已填寫配偶資料，但 married 為 false；請設定 `married: true` 或刪除配偶資料",
        ));
    }
    if s.single_parent && s.married {
        return Err(InputError::new(
            "/single_parent",
            "a married person cannot claim the single parent allowance",
            "已婚人士不可申索單親免稅額",
        ));
    }
    if s.single_parent && s.children.0.is_empty() {
        return Err(InputError::new(
            "/single_parent",
            "needs at least one child in `children`",
            "須在 `children` 填寫最少一名子女",
        ));
    }
    if !s.married && matches!(s.assessment, Assessment::Joint | Assessment::PersonalJoint) {
        return Err(InputError::new(
            "/assessment",
            "joint assessment needs `married: true`",
            "合併評稅須為已婚人士（`married: true`）",
        ));
    }
    if !s.married && s.assessment == Assessment::PersonalSeparate {
        return Err(InputError::new(
            "/assessment",
            "use `personal` for a single person (`personal_separate` is for spouses)",
            "單身人士請用 `personal`（`personal_separate` 只適用於夫婦）",
        ));
    }
    for (i, c) in s.children.0.iter().enumerate() {
        if let Some(d) = c.born_on {
            if d > s.year.last_day() {
                return Err(InputError::new(
                    format!("/children/{i}/born_on"),
                    format!("{d} is after the year of assessment {} ends", s.year),
                    format!("{d} 在 {} 課稅年度結束之後", s.year),
                ));
            }
            if c.born_in_year && d < s.year.first_day() {
                return Err(InputError::new(
                    format!("/children/{i}/born_in_year"),
                    format!(
                        "born_in_year is true but born_on {d} is before {} began; give one or the other",
                        s.year
                    ),
                    format!(
                        "born_in_year 為 true，但出生日期 {d} 早於 {} 課稅年度；請只填其中一項",
                        s.year
                    ),
                ));
            }
        }
    }
    for (i, p) in s.dependent_parents.iter().enumerate() {
        if p.age > 130 {
            return Err(InputError::new(
                format!("/dependent_parents/{i}/age"),
                format!("{} is not a plausible age (0-130)", p.age),
                format!("{} 並非合理年齡（0至130）", p.age),
            ));
        }
    }
    if s.dependent_parents.len() > MAX_LIST || s.dependent_siblings.len() > MAX_LIST {
        return Err(InputError::new(
            "/dependent_parents",
            format!("more than {MAX_LIST} dependants is not plausible"),
            format!("受養人多於 {MAX_LIST} 名並不合理"),
        ));
    }
    for (who, p) in
        std::iter::once(("taxpayer", &s.taxpayer)).chain(s.spouse.as_ref().map(|p| ("spouse", p)))
    {
        for (field, years) in [
            (
                "home_loan_interest_years_claimed",
                p.home_loan_interest_years_claimed,
            ),
            (
                "newborn_top_up_years_claimed",
                p.newborn_top_up_years_claimed,
            ),
        ] {
            if years > 100 {
                return Err(InputError::new(
                    format!("/{who}/{field}"),
                    format!("{years} years is not plausible (0-100)"),
                    format!("{years} 年並不合理（0至100）"),
                ));
            }
        }
    }
    Ok(())
}

pub fn check_property(p: &LetProperty) -> Result<(), InputError> {
    if let Some(m) = p.months_let
        && !(1..=12).contains(&m)
    {
        return Err(InputError::new(
            "/months_let",
            format!("must be between 1 and 12 (found {m})"),
            format!("須介乎1至12（現為 {m}）"),
        ));
    }
    Ok(())
}

/// The date (and, where the law changed at a time of day, the time) an instrument was executed:
/// `2023-02-22` or `2023-02-22T10:30`. Written back the way it was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InstrumentTime {
    pub at: chrono::NaiveDateTime,
    /// False when only a date was given (the start of that day is used).
    pub time_given: bool,
}

impl Serialize for InstrumentTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.time_given {
            s.collect_str(&self.at.format("%Y-%m-%dT%H:%M"))
        } else {
            s.collect_str(&self.at.format("%Y-%m-%d"))
        }
    }
}

impl InstrumentTime {
    pub fn parse(s: &str) -> Result<InstrumentTime, String> {
        let t = s.trim();
        if let Ok(at) = chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M") {
            return Ok(InstrumentTime {
                at,
                time_given: true,
            });
        }
        chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map(|d| InstrumentTime {
                at: d.and_time(chrono::NaiveTime::MIN),
                time_given: false,
            })
            .map_err(|_| {
                format!("'{s}' is not a date; write it like 2024-02-28 (or 2023-02-22T10:30)")
            })
    }
}

impl<'de> Deserialize<'de> for InstrumentTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        InstrumentTime::parse(&s).map_err(de::Error::custom)
    }
}

fn de_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<chrono::NaiveDate>, D::Error> {
    let s: Option<String> = Option::deserialize(d)?;
    s.map(|s| {
        chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
            de::Error::custom(format!("'{s}' is not a date; write it like 2022-01-15"))
        })
    })
    .transpose()
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PropertyKind {
    Residential,
    NonResidential,
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BuyerKind {
    /// Hong Kong permanent resident.
    Hkpr,
    NonHkpr,
    Company,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Buyer {
    pub kind: BuyerKind,
    /// Owns (beneficially) any other residential property in Hong Kong at the time of acquisition.
    #[serde(default)]
    pub owns_other_residential: bool,
    /// Acting on own behalf (not as a nominee or trustee).
    #[serde(default = "yes")]
    pub acting_on_own_behalf: bool,
}

/// A property transaction for stamp duty.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deal {
    pub instrument_date: InstrumentTime,
    pub consideration: Amount,
    /// Market value where it may exceed the consideration (duty is charged on the higher).
    #[serde(default)]
    pub value: Option<Amount>,
    pub property: PropertyKind,
    pub buyers: Vec<Buyer>,
    /// All joint buyers are close relatives (spouse, parents, children, brothers, sisters).
    #[serde(default)]
    pub buyers_are_close_relatives: bool,
    /// When the seller acquired the property (for special stamp duty).
    #[serde(default, deserialize_with = "de_date")]
    pub seller_acquired: Option<chrono::NaiveDate>,
    /// Residential units acquired under this one instrument.
    #[serde(default = "one")]
    pub units: u32,
}

fn one() -> u32 {
    1
}

#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StockInstrument {
    #[default]
    Shares,
    /// Units of a real estate investment trust.
    ReitUnits,
    /// An option market-maker's hedging (jobbing) business.
    MarketMakerHedging,
}

/// A stock transaction for stamp duty.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StockDeal {
    pub date: InstrumentTime,
    pub consideration: Amount,
    #[serde(default)]
    pub instrument: StockInstrument,
}

/// A tenement for rates over a financial year.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tenement {
    /// Financial year, e.g. 2025-26.
    pub year: hkb_law::FinancialYear,
    pub rateable_value: Amount,
    /// Domestic (residential) tenement; false for non-domestic.
    pub domestic: bool,
    /// Public rental housing and other tenements excluded from the progressive domestic scale.
    #[serde(default)]
    pub progressive_excluded: bool,
}

/// Checks a deal against the law's history and common sense; errors name the field.
pub fn check_deal(d: &Deal) -> Result<(), InputError> {
    let (first, last) = hkb_law::transaction_history();
    let date = d.instrument_date.at.date();
    if date < first || date > last {
        return Err(InputError::new(
            "/instrument_date",
            format!("{date} is outside the law's recorded history ({first} to {last})"),
            format!("{date} 不在法例紀錄範圍內（{first} 至 {last}）"),
        ));
    }
    if d.consideration.0.is_zero() && d.value.is_none_or(|v| v.0.is_zero()) {
        return Err(InputError::new(
            "/consideration",
            "must be more than 0 (or give a `value`)",
            "須大於0（或填寫 `value`）",
        ));
    }
    if d.buyers.is_empty() {
        return Err(InputError::new(
            "/buyers",
            "give at least one buyer, e.g. [{kind: hkpr}]",
            "須最少有一名買家，例如 [{kind: hkpr}]",
        ));
    }
    if d.buyers.len() > MAX_LIST {
        return Err(InputError::new(
            "/buyers",
            format!("more than {MAX_LIST} buyers is not plausible"),
            format!("買家多於 {MAX_LIST} 名並不合理"),
        ));
    }
    if d.units == 0 || d.units > 10_000 {
        return Err(InputError::new(
            "/units",
            format!("must be from 1 to 10,000 (found {})", d.units),
            format!("須介乎1至10,000（現為 {}）", d.units),
        ));
    }
    if let Some(a) = d.seller_acquired {
        if a > date {
            return Err(InputError::new(
                "/seller_acquired",
                format!(
                    "{a} is after the instrument date {date}; the seller must acquire before disposing"
                ),
                format!("{a} 在文書日期 {date} 之後；賣方須先取得物業才可出售"),
            ));
        }
        if d.property == PropertyKind::NonResidential {
            return Err(InputError::new(
                "/seller_acquired",
                "special stamp duty applies only to residential property; remove it or set property: residential",
                "額外印花稅只適用於住宅物業；請刪除此項或設定 property: residential",
            ));
        }
    }
    Ok(())
}

pub fn check_stock(d: &StockDeal) -> Result<(), InputError> {
    let (first, last) = hkb_law::transaction_history();
    let date = d.date.at.date();
    if date < first || date > last {
        return Err(InputError::new(
            "/date",
            format!("{date} is outside the law's recorded history ({first} to {last})"),
            format!("{date} 不在法例紀錄範圍內（{first} 至 {last}）"),
        ));
    }
    Ok(())
}

/// The financial years the rates law covers: from 2017-18 to the financial year holding the last
/// day of the law's recorded history.
pub fn rates_years() -> (hkb_law::FinancialYear, hkb_law::FinancialYear) {
    use chrono::Datelike;
    let (_, last) = hkb_law::transaction_history();
    let last_fy = if last.month() <= 3 {
        last.year() - 1
    } else {
        last.year()
    };
    (
        hkb_law::FinancialYear(hkb_law::period::FIRST_SUPPORTED_YA),
        hkb_law::FinancialYear(
            u16::try_from(last_fy).unwrap_or(hkb_law::period::LAST_SUPPORTED_YA),
        ),
    )
}

/// Checks a tenement's financial year is within the recorded history.
pub fn check_tenement(t: &Tenement) -> Result<hkb_law::FinancialYear, InputError> {
    let (first, last) = rates_years();
    if t.year < first || t.year > last {
        return Err(InputError::new(
            "/year",
            format!(
                "financial year {} is outside the recorded history ({first} to {last})",
                t.year
            ),
            format!("財政年度 {} 不在紀錄範圍內（{first} 至 {last}）", t.year),
        ));
    }
    Ok(t.year)
}
