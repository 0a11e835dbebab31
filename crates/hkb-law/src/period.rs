//! Periods of the law: years of assessment, financial years and instrument dates.
//!
//! Every dated value is held internally as a half-open interval of instants
//! `[from, until)`, so income taxes (keyed by year of assessment), rates (financial year) and
//! stamp duty (instrument date, sometimes with a time of day) share one resolution mechanism.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use schemars::JsonSchema;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// First and last years of assessment the income-tax calculators support.
pub const FIRST_SUPPORTED_YA: u16 = 2017;
pub const LAST_SUPPORTED_YA: u16 = 2026;

/// A year of assessment, 1 April `start` to 31 March `start + 1`; written `2024/25`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearOfAssessment(pub u16);

impl YearOfAssessment {
    pub fn start_year(self) -> u16 {
        self.0
    }
    pub fn first_day(self) -> NaiveDate {
        ymd(i32::from(self.0), 4, 1)
    }
    pub fn last_day(self) -> NaiveDate {
        ymd(i32::from(self.0) + 1, 3, 31)
    }
    pub fn start_instant(self) -> NaiveDateTime {
        self.first_day().and_time(NaiveTime::MIN)
    }
    pub fn next(self) -> YearOfAssessment {
        YearOfAssessment(self.0 + 1)
    }
    /// All years the income-tax calculators support, oldest first.
    pub fn supported() -> impl Iterator<Item = YearOfAssessment> {
        (FIRST_SUPPORTED_YA..=LAST_SUPPORTED_YA).map(YearOfAssessment)
    }
    pub fn is_supported(self) -> bool {
        (FIRST_SUPPORTED_YA..=LAST_SUPPORTED_YA).contains(&self.0)
    }
    pub fn supported_list() -> String {
        Self::supported()
            .map(|y| y.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    // Only called with valid calendar dates (1 April, 31 March).
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

impl fmt::Display for YearOfAssessment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&format!("{}/{:02}", self.0, (self.0 + 1) % 100))
    }
}

impl Serialize for YearOfAssessment {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearOfAssessment {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(de::Error::custom)
    }
}

impl JsonSchema for YearOfAssessment {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "YearOfAssessment".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[0-9]{4}/[0-9]{2}$",
            "description": "A year of assessment, 1 April to 31 March, written like 2024/25",
            "examples": ["2024/25"]
        })
    }
}

/// Parses `2024/25` (also accepted: `2024-25`, `2024/2025`).
impl FromStr for YearOfAssessment {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim();
        let (a, b) = t
            .split_once('/')
            .or_else(|| t.split_once('-'))
            .ok_or_else(|| format!("'{s}' is not a year of assessment; write it like 2024/25"))?;
        let start: u16 = a
            .parse()
            .map_err(|_| format!("'{s}' is not a year of assessment; write it like 2024/25"))?;
        let end: u16 = b
            .parse()
            .map_err(|_| format!("'{s}' is not a year of assessment; write it like 2024/25"))?;
        let ok = (b.len() == 2 && end == (start + 1) % 100) || (b.len() == 4 && end == start + 1);
        if !ok || !(1900..=2200).contains(&start) {
            return Err(format!(
                "'{s}' is not a year of assessment; write it like 2024/25 (the second year follows the first)"
            ));
        }
        Ok(YearOfAssessment(start))
    }
}

/// A financial year of the government's accounts (and of rates), 1 April `start` to 31 March
/// `start + 1`; written `2025-26`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FinancialYear(pub u16);

impl FinancialYear {
    pub fn start_year(self) -> u16 {
        self.0
    }
    pub fn first_day(self) -> NaiveDate {
        ymd(i32::from(self.0), 4, 1)
    }
    pub fn last_day(self) -> NaiveDate {
        ymd(i32::from(self.0) + 1, 3, 31)
    }
    pub fn start_instant(self) -> NaiveDateTime {
        self.first_day().and_time(NaiveTime::MIN)
    }
    pub fn next(self) -> FinancialYear {
        FinancialYear(self.0 + 1)
    }
    /// Whole years from `earlier` to this year (negative if this year is earlier).
    pub fn years_since(self, earlier: FinancialYear) -> i32 {
        i32::from(self.0) - i32::from(earlier.0)
    }
    /// The financial year with the same label as a year of assessment (2024/25 → 2024-25).
    pub fn of_assessment(y: YearOfAssessment) -> FinancialYear {
        FinancialYear(y.0)
    }
}

impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&format!("{}-{:02}", self.0, (self.0 + 1) % 100))
    }
}

/// Parses `2025-26` (also accepted: `2025/26`, `2025-2026`).
impl FromStr for FinancialYear {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        s.parse::<YearOfAssessment>()
            .map(|y| FinancialYear(y.0))
            .map_err(|_| format!("'{s}' is not a financial year; write it like 2025-26"))
    }
}

impl Serialize for FinancialYear {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for FinancialYear {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(de::Error::custom)
    }
}

impl JsonSchema for FinancialYear {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "FinancialYear".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}$",
            "description": "A financial year, 1 April to 31 March, written like 2025-26",
            "examples": ["2025-26"]
        })
    }
}

/// How the values of a parameter are keyed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    /// Income taxes: `2024/25`.
    YearOfAssessment,
    /// Rates and government accounts: `2025-26` (1 April to 31 March).
    FinancialYear,
    /// Stamp duty: the date (and, where the law says so, time) the instrument is executed.
    Date,
}

impl PeriodKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodKind::YearOfAssessment => "year_of_assessment",
            PeriodKind::FinancialYear => "financial_year",
            PeriodKind::Date => "date",
        }
    }
    pub fn label(self) -> crate::text::Bilingual {
        match self {
            PeriodKind::YearOfAssessment => {
                crate::text::Bilingual::fixed("year of assessment", "課稅年度")
            }
            PeriodKind::FinancialYear => {
                crate::text::Bilingual::fixed("financial year", "財政年度")
            }
            // Stamp duty keys on the instrument's date, rates on the date a rate takes effect.
            PeriodKind::Date => crate::text::Bilingual::fixed("date", "日期"),
        }
    }
}

/// One end of a dated value as written in a file: `2024/25`, `2025-26`, `2024-02-28` or
/// `2023-02-22T11:00`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodBound {
    Year(YearOfAssessment),
    FinancialYear(u16),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
}

impl PeriodBound {
    pub fn parse(s: &str, kind: PeriodKind) -> Result<PeriodBound, String> {
        let t = s.trim();
        match kind {
            PeriodKind::YearOfAssessment => t.parse::<YearOfAssessment>().map(PeriodBound::Year),
            PeriodKind::FinancialYear => {
                let y: YearOfAssessment = t
                    .parse()
                    .map_err(|_| format!("'{s}' is not a financial year; write it like 2025-26"))?;
                Ok(PeriodBound::FinancialYear(y.0))
            }
            PeriodKind::Date => {
                if let Ok(dt) = NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M") {
                    return Ok(PeriodBound::DateTime(dt));
                }
                NaiveDate::parse_from_str(t, "%Y-%m-%d")
                    .map(PeriodBound::Date)
                    .map_err(|_| {
                        format!(
                            "'{s}' is not a date; write it like 2024-02-28 (or 2023-02-22T11:00)"
                        )
                    })
            }
        }
    }

    /// The first instant covered when this bound opens a period.
    pub fn start(self) -> NaiveDateTime {
        match self {
            PeriodBound::Year(y) => y.start_instant(),
            PeriodBound::FinancialYear(y) => YearOfAssessment(y).start_instant(),
            PeriodBound::Date(d) => d.and_time(NaiveTime::MIN),
            PeriodBound::DateTime(dt) => dt,
        }
    }

    /// The first instant no longer covered when this bound closes a period (ends are inclusive
    /// in files: `to: 2023/24` covers all of 2023/24; `to: 2023-02-22T11:00` stops just before 11am).
    pub fn end_exclusive(self) -> NaiveDateTime {
        match self {
            PeriodBound::Year(y) => y.next().start_instant(),
            PeriodBound::FinancialYear(y) => YearOfAssessment(y + 1).start_instant(),
            PeriodBound::Date(d) => d.succ_opt().unwrap_or(d).and_time(NaiveTime::MIN),
            PeriodBound::DateTime(dt) => dt,
        }
    }
}

/// A half-open interval of instants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interval {
    pub from: NaiveDateTime,
    pub until: Option<NaiveDateTime>,
}

impl Interval {
    pub fn contains(&self, t: NaiveDateTime) -> bool {
        t >= self.from && self.until.is_none_or(|u| t < u)
    }
    pub fn overlaps(&self, o: &Interval) -> bool {
        let a_before_b = self.until.is_some_and(|u| u <= o.from);
        let b_before_a = o.until.is_some_and(|u| u <= self.from);
        !(a_before_b || b_before_a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_years() {
        assert_eq!(
            "2024/25".parse::<YearOfAssessment>(),
            Ok(YearOfAssessment(2024))
        );
        assert_eq!(
            "2024-25".parse::<YearOfAssessment>(),
            Ok(YearOfAssessment(2024))
        );
        assert_eq!(
            "1999/00".parse::<YearOfAssessment>(),
            Ok(YearOfAssessment(1999))
        );
        assert!("2024/26".parse::<YearOfAssessment>().is_err());
        assert!("2024".parse::<YearOfAssessment>().is_err());
        assert_eq!(YearOfAssessment(2024).to_string(), "2024/25");
    }

    #[test]
    fn inclusive_ends() {
        let y = PeriodBound::parse("2023/24", PeriodKind::YearOfAssessment)
            .unwrap_or(PeriodBound::Year(YearOfAssessment(0)));
        let iv = Interval {
            from: y.start(),
            until: Some(y.end_exclusive()),
        };
        assert!(iv.contains(YearOfAssessment(2023).start_instant()));
        assert!(!iv.contains(YearOfAssessment(2024).start_instant()));
        let t = PeriodBound::parse("2023-02-22T11:00", PeriodKind::Date);
        assert!(matches!(t, Ok(PeriodBound::DateTime(_))));
    }
}
