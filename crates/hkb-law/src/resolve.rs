//! Resolution: the law (plus an optional reform) at one instant, as a snapshot of values, and
//! from it the typed parameter structs the calculators use. Strings are looked up here, once per
//! year and reform, never inside a calculation.

use crate::error::LawError;
use crate::money::{Money, Rate};
use crate::period::YearOfAssessment;
use crate::reform::Reform;
use crate::tree::{Law, Status};
use crate::value::{Band, DutyBand, ParamValue, Tier};
use chrono::NaiveDateTime;
use serde::Serialize;
use std::collections::BTreeMap;

/// A value as resolved, with its provenance.
#[derive(Clone, Debug, Serialize)]
pub struct Resolved {
    pub value: ParamValue,
    pub status: Status,
    /// The period key the value came from (`2018/19` or the reform's period).
    pub period: String,
    pub source_document: String,
    pub source_url: String,
}

/// Every parameter in force at one instant.
#[derive(Clone, Debug)]
pub struct ParamSet {
    pub at: NaiveDateTime,
    /// Human label of the instant (`2024/25`, `2024-02-28`).
    pub when: String,
    entries: BTreeMap<String, Resolved>,
}

impl Law {
    /// Resolves every node at an instant, applying the reform's changes that cover it.
    pub fn resolve_at(
        &self,
        at: NaiveDateTime,
        when: &str,
        reform: Option<&Reform>,
    ) -> Result<ParamSet, LawError> {
        let mut entries = BTreeMap::new();
        for node in self.nodes() {
            let mut resolved = node.value_at(at).map(|dv| Resolved {
                value: dv.value.clone(),
                status: dv.status,
                period: dv.from.clone(),
                source_document: dv.source.document.clone(),
                source_url: dv.source.url.clone(),
            });
            if let Some(reform) = reform {
                for change in reform.changes_for(&node.path) {
                    for dated in change.values.iter().filter(|d| d.interval.contains(at)) {
                        let current = resolved
                            .as_ref()
                            .map_or(ParamValue::NotInForce, |r| r.value.clone());
                        let value = change.apply(&current, dated, when).map_err(|message| {
                            LawError::Reform {
                                origin: reform.origin.clone(),
                                path: Some(change.path.clone()),
                                message,
                            }
                        })?;
                        resolved = Some(Resolved {
                            value,
                            status: Status::Reform,
                            period: dated.period.clone(),
                            source_document: format!("reform {}", reform.origin),
                            source_url: String::new(),
                        });
                    }
                }
            }
            if let Some(r) = resolved {
                entries.insert(node.path.clone(), r);
            }
        }
        Ok(ParamSet {
            at,
            when: when.to_string(),
            entries,
        })
    }

    /// Resolves a year of assessment (its first day), refusing years the rules do not cover.
    pub fn resolve_year(
        &self,
        year: YearOfAssessment,
        reform: Option<&Reform>,
    ) -> Result<ParamSet, LawError> {
        if !year.is_supported() {
            return Err(LawError::UnsupportedYear {
                year: year.to_string(),
                supported: YearOfAssessment::supported_list(),
            });
        }
        self.resolve_at(year.start_instant(), &year.to_string(), reform)
    }
}

impl ParamSet {
    pub fn get(&self, path: &str) -> Option<&Resolved> {
        self.entries.get(path)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Resolved)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    fn value(&self, path: &str) -> Result<&ParamValue, LawError> {
        self.entries
            .get(path)
            .map(|r| &r.value)
            .ok_or_else(|| LawError::NoValue {
                path: path.to_string(),
                when: self.when.clone(),
                hint: String::new(),
            })
    }

    fn wrong(path: &str, expected: &'static str, v: &ParamValue) -> LawError {
        LawError::WrongKind {
            path: path.to_string(),
            expected,
            found: v.kind_name().to_string(),
        }
    }

    /// An amount that must be in force.
    pub fn amount(&self, path: &str) -> Result<Money, LawError> {
        match self.value(path)? {
            ParamValue::Amount(m) => Ok(*m),
            ParamValue::NotInForce => Err(LawError::NoValue {
                path: path.into(),
                when: self.when.clone(),
                hint: " (the provision is not in force in this year)".into(),
            }),
            v => Err(Self::wrong(path, "an amount", v)),
        }
    }

    /// An amount that may be `not in force` in this year.
    pub fn opt_amount(&self, path: &str) -> Result<Option<Money>, LawError> {
        match self.entries.get(path).map(|r| &r.value) {
            None | Some(ParamValue::NotInForce) => Ok(None),
            Some(ParamValue::Amount(m)) => Ok(Some(*m)),
            Some(v) => Err(Self::wrong(path, "an amount", v)),
        }
    }

    pub fn rate(&self, path: &str) -> Result<Rate, LawError> {
        match self.value(path)? {
            ParamValue::Rate(r) => Ok(*r),
            v => Err(Self::wrong(path, "a rate", v)),
        }
    }

    pub fn opt_rate(&self, path: &str) -> Result<Option<Rate>, LawError> {
        match self.entries.get(path).map(|r| &r.value) {
            None | Some(ParamValue::NotInForce) => Ok(None),
            Some(ParamValue::Rate(r)) => Ok(Some(*r)),
            Some(v) => Err(Self::wrong(path, "a rate", v)),
        }
    }

    pub fn count(&self, path: &str) -> Result<u32, LawError> {
        match self.value(path)? {
            ParamValue::Count(n) => Ok(*n),
            v => Err(Self::wrong(path, "a count", v)),
        }
    }

    pub fn opt_count(&self, path: &str) -> Result<Option<u32>, LawError> {
        match self.entries.get(path).map(|r| &r.value) {
            None | Some(ParamValue::NotInForce) => Ok(None),
            Some(ParamValue::Count(n)) => Ok(Some(*n)),
            Some(v) => Err(Self::wrong(path, "a count", v)),
        }
    }

    pub fn flag(&self, path: &str) -> Result<bool, LawError> {
        match self.value(path)? {
            ParamValue::Bool(b) => Ok(*b),
            v => Err(Self::wrong(path, "true/false", v)),
        }
    }

    /// A flag that is false where the node has no value at this instant.
    pub fn opt_flag(&self, path: &str) -> Result<bool, LawError> {
        match self.entries.get(path).map(|r| &r.value) {
            None => Ok(false),
            Some(ParamValue::Bool(b)) => Ok(*b),
            Some(v) => Err(Self::wrong(path, "true/false", v)),
        }
    }

    pub fn bands(&self, path: &str) -> Result<Vec<Band>, LawError> {
        match self.value(path)? {
            ParamValue::Bands(b) => Ok(b.clone()),
            v => Err(Self::wrong(path, "progressive bands", v)),
        }
    }

    pub fn tiers(&self, path: &str) -> Result<Vec<Tier>, LawError> {
        match self.value(path)? {
            ParamValue::Tiers(t) => Ok(t.clone()),
            v => Err(Self::wrong(path, "tiers", v)),
        }
    }

    pub fn opt_duty_bands(&self, path: &str) -> Result<Option<Vec<DutyBand>>, LawError> {
        match self.entries.get(path).map(|r| &r.value) {
            None | Some(ParamValue::NotInForce) => Ok(None),
            Some(ParamValue::DutyBands(b)) => Ok(Some(b.clone())),
            Some(v) => Err(Self::wrong(path, "a duty table", v)),
        }
    }

    pub fn opt_holding_schedule(&self, path: &str) -> Result<Option<Vec<(u32, Rate)>>, LawError> {
        match self.entries.get(path).map(|r| &r.value) {
            None | Some(ParamValue::NotInForce) => Ok(None),
            Some(ParamValue::HoldingSchedule(s)) => Ok(Some(s.clone())),
            Some(v) => Err(Self::wrong(path, "a holding-period schedule", v)),
        }
    }

    pub fn opt_quarterly(&self, path: &str) -> Result<Option<[Money; 4]>, LawError> {
        match self.entries.get(path).map(|r| &r.value) {
            None | Some(ParamValue::NotInForce) => Ok(None),
            Some(ParamValue::Quarterly(q)) => Ok(Some(*q)),
            Some(v) => Err(Self::wrong(path, "quarterly amounts", v)),
        }
    }

    /// Replaces one entry (e.g. a value resolved at another instant, such as the special stamp
    /// duty schedule in force on the seller's acquisition date).
    pub fn insert(&mut self, path: &str, r: Resolved) {
        self.entries.insert(path.to_string(), r);
    }
}
