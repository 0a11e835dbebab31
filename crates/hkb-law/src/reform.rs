//! Reforms as plain data: a file mapping parameter paths to dated values, applied on top of the
//! law for any year.
//!
//! ```yaml
//! name: {en: Two-tier standard rate at 17%, zh: 兩級標準稅率第二級17%}
//! changes:
//!   salaries_tax.standard_rate.tiers[1].rate:
//!     2025/26: 0.17
//!   salaries_tax.allowances.basic:
//!     2024/25..: 150000        # from 2024/25 onward
//! ```
//! A path names a node (`salaries_tax.allowances.basic`), a whole list inside it
//! (`salaries_tax.progressive.bands`) or one field of one row (`...bands[1].rate`). A period key is
//! one period (`2025/26`, `2025-26`, `2024-02-28`), a range `A..B` (inclusive) or open `A..`.

use crate::error::LawError;
use crate::money::Money;
use crate::period::{Interval, PeriodBound};
use crate::tree::{Bilingual, Law};
use crate::value::{Charge, ParamValue, Unit, check_bands, check_duty_bands, check_tiers, show};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_yaml_ng::Value as Yaml;
use std::collections::BTreeMap;

/// Which part of a node a change replaces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// The whole value.
    Whole,
    /// One field of one row of a `bands` or `tiers` list.
    Row { index: usize, field: RowField },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowField {
    Width,
    Upto,
    Rate,
    /// A duty band's fixed duty.
    Fixed,
    /// A marginal-relief band's base duty.
    Base,
}

#[derive(Clone, Debug)]
pub enum ChangeValue {
    Whole(ParamValue),
    Amount(Option<Money>),
    Rate(crate::money::Rate),
}

#[derive(Clone, Debug)]
pub struct DatedChange {
    pub period: String,
    pub interval: Interval,
    pub value: ChangeValue,
}

#[derive(Clone, Debug)]
pub struct Change {
    /// The path as written in the reform.
    pub path: String,
    /// The node it falls in.
    pub node: String,
    pub target: Target,
    pub values: Vec<DatedChange>,
}

/// A reform's `behaviour:` block: overrides of the microsimulation's behavioural responses
/// (the microsimulation checks each value against its allowed range).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BehaviourOverrides {
    /// Switch behavioural responses on or off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Elasticity of taxable income for salaries tax (0 to 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salaries_eti: Option<f64>,
    /// Elasticity of taxable profits (0 to 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profits_eti: Option<f64>,
    /// Elasticity of stock turnover to the duty rate (−3 to 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock_turnover_elasticity: Option<f64>,
    /// Semi-elasticity of property deal volume to the duty rate (−30 to 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub property_volume_semi_elasticity: Option<f64>,
}

/// A reform as plain data, as a user writes it (YAML, JSON or a request body): parameter path →
/// period → value. Validated against the law by [`Reform::from_spec`].
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReformSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Bilingual>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Bilingual>,
    /// Parameter path (a node, a list inside it, or one field of one row:
    /// `salaries_tax.progressive.bands[4].rate`) → period (`2025/26`, `2024/25..`,
    /// `2024/25..2026/27`, `2025-26`, `2024-02-28`) → value in the node's unit.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, BTreeMap<String, serde_json::Value>>")]
    pub changes: BTreeMap<String, serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub behaviour: Option<BehaviourOverrides>,
}

/// A validated reform.
#[derive(Clone, Debug, Default)]
pub struct Reform {
    pub origin: String,
    pub name: Option<Bilingual>,
    pub description: Option<Bilingual>,
    pub changes: Vec<Change>,
    pub behaviour: Option<BehaviourOverrides>,
    /// The reform as given, so it can be saved, shared and shown again.
    pub spec: ReformSpec,
}

impl Reform {
    /// Parses and validates a reform (YAML or JSON text) against the law. `origin` names the file
    /// in error messages.
    pub fn parse(law: &Law, origin: &str, text: &str) -> Result<Reform, LawError> {
        let spec: ReformSpec = serde_yaml_ng::from_str(text).map_err(|e| {
            let loc = e
                .location()
                .map(|l| format!("line {}, column {}: ", l.line(), l.column()))
                .unwrap_or_default();
            LawError::Reform {
                origin: origin.to_string(),
                path: None,
                message: format!("{loc}{e}"),
            }
        })?;
        Reform::from_spec(law, origin, spec)
    }

    /// Validates a reform given as data against the law.
    pub fn from_spec(law: &Law, origin: &str, spec: ReformSpec) -> Result<Reform, LawError> {
        let err = |path: Option<&str>, message: String| LawError::Reform {
            origin: origin.to_string(),
            path: path.map(str::to_string),
            message,
        };
        let mut changes = Vec::new();
        for (path, v) in &spec.changes {
            let yaml = serde_yaml_ng::to_value(v).map_err(|e| err(Some(path), e.to_string()))?;
            changes.push(parse_change(law, path, &yaml).map_err(|m| err(Some(path), m))?);
        }
        if changes.is_empty() && spec.behaviour.is_none() {
            return Err(err(
                None,
                "`changes` is empty: list at least one parameter path".into(),
            ));
        }
        Ok(Reform {
            origin: origin.to_string(),
            name: spec.name.clone(),
            description: spec.description.clone(),
            changes,
            behaviour: spec.behaviour.clone(),
            spec,
        })
    }

    /// Loads a reform file from disk.
    pub fn from_file(law: &Law, path: &std::path::Path) -> Result<Reform, LawError> {
        let text = std::fs::read_to_string(path).map_err(|e| LawError::Io {
            file: path.display().to_string(),
            message: e.to_string(),
        })?;
        Reform::parse(law, &path.display().to_string(), &text)
    }

    /// Changes that touch a node.
    pub fn changes_for<'a>(&'a self, node: &'a str) -> impl Iterator<Item = &'a Change> + 'a {
        self.changes.iter().filter(move |c| c.node == node)
    }
}

/// Splits `a.b.tiers[1].rate` into the node path and the part inside the node.
fn split_path<'a>(law: &Law, path: &'a str) -> Option<(String, &'a str)> {
    let mut best: Option<(String, &str)> = None;
    for (i, _) in path
        .char_indices()
        .filter(|(_, c)| *c == '.')
        .chain(std::iter::once((path.len(), '.')))
    {
        let head = &path[..i];
        if law.node(head).is_some() {
            let rest = path.get(i + 1..).unwrap_or("");
            best = Some((head.to_string(), rest));
        }
    }
    best
}

fn parse_target(unit: Unit, rest: &str, path: &str) -> Result<Target, String> {
    if rest.is_empty() {
        return Ok(Target::Whole);
    }
    let list = match unit {
        Unit::Bands | Unit::DutyBands => "bands",
        Unit::Tiers => "tiers",
        _ => {
            return Err(format!(
                "'{path}': this parameter is a single value ({}); nothing can follow its path",
                unit.as_str()
            ));
        }
    };
    if rest == list {
        return Ok(Target::Whole);
    }
    let fields: &[&str] = match unit {
        Unit::Bands => &["width", "rate"],
        Unit::DutyBands => &["upto", "rate", "fixed", "base"],
        _ => &["upto", "rate"],
    };
    let bad = || {
        format!(
            "'{path}': after the parameter write `{list}` or `{list}[N].{}`",
            fields.join("|")
        )
    };
    let inner = rest.strip_prefix(list).ok_or_else(bad)?;
    let inner = inner.strip_prefix('[').ok_or_else(bad)?;
    let (idx, field) = inner.split_once("].").ok_or_else(bad)?;
    let index: usize = idx.parse().map_err(|_| bad())?;
    let field = match (field, unit) {
        ("rate", _) => RowField::Rate,
        ("width", Unit::Bands) => RowField::Width,
        ("upto", Unit::Tiers | Unit::DutyBands) => RowField::Upto,
        ("fixed", Unit::DutyBands) => RowField::Fixed,
        ("base", Unit::DutyBands) => RowField::Base,
        _ => return Err(bad()),
    };
    Ok(Target::Row { index, field })
}

fn parse_period(key: &str, kind: crate::period::PeriodKind) -> Result<Interval, String> {
    let (a, b) = match key.split_once("..") {
        Some((a, b)) => (a, Some(b)),
        None => (key, None),
    };
    let from = PeriodBound::parse(a, kind)?;
    let until = match b {
        None => Some(from.end_exclusive()),
        Some(b) if b.trim().is_empty() => None,
        Some(b) => Some(PeriodBound::parse(b, kind)?.end_exclusive()),
    };
    let iv = Interval {
        from: from.start(),
        until,
    };
    if b.is_none() && iv.until == Some(iv.from) {
        return Err(format!(
            "period '{key}' is an instant, not a period: write '{key}..' (from then on) or '{key}..END'"
        ));
    }
    if iv.until.is_some_and(|u| u <= iv.from) {
        return Err(format!("period '{key}' ends before it starts"));
    }
    Ok(iv)
}

fn parse_change(law: &Law, path: &str, v: &Yaml) -> Result<Change, String> {
    let (node_path, rest) = split_path(law, path).ok_or_else(|| {
        let hints = law.suggest(path.split('[').next().unwrap_or(path));
        if hints.is_empty() {
            format!("unknown parameter path '{path}' (see `hkbudget params list`)")
        } else {
            format!(
                "unknown parameter path '{path}'; did you mean {}?",
                hints.join(" or ")
            )
        }
    })?;
    let node = law
        .node(&node_path)
        .ok_or_else(|| format!("unknown parameter path '{path}'"))?;
    let target = parse_target(node.unit, rest, path)?;
    let map = v.as_mapping().ok_or_else(|| {
        format!("'{path}': expected a mapping of periods to values, e.g. {{2025/26: ...}}")
    })?;
    let mut values = Vec::new();
    for (pk, pv) in map {
        let key = match pk {
            Yaml::String(s) => s.clone(),
            Yaml::Number(n) => n.to_string(),
            other => {
                return Err(format!(
                    "'{path}': period keys must be text like 2025/26, found {}",
                    show(other)
                ));
            }
        };
        let interval = parse_period(&key, node.period).map_err(|m| format!("'{path}': {m}"))?;
        let what = format!("'{path}' for {key}");
        let value = match &target {
            Target::Whole => {
                let v = ParamValue::from_yaml(node.unit, pv, &what)?;
                // Only a provision the law itself sometimes lacks may be taken away; the rest
                // (a rate table, an allowance) must have a value in every year it is asked for.
                if v == ParamValue::NotInForce
                    && !node
                        .values
                        .iter()
                        .any(|d| d.value == ParamValue::NotInForce)
                {
                    return Err(format!(
                        "{what}: this parameter is in force in every period and cannot be removed (null); give a value"
                    ));
                }
                ChangeValue::Whole(v)
            }
            Target::Row {
                field: RowField::Rate,
                ..
            } => match ParamValue::from_yaml(Unit::Rate, pv, &what)? {
                ParamValue::Rate(r) => ChangeValue::Rate(r),
                _ => return Err(format!("{what}: a row's rate cannot be null")),
            },
            Target::Row { .. } => match ParamValue::from_yaml(Unit::Hkd, pv, &what)? {
                ParamValue::Amount(m) => ChangeValue::Amount(Some(m)),
                _ => ChangeValue::Amount(None),
            },
        };
        if values
            .iter()
            .any(|d: &DatedChange| d.interval.overlaps(&interval))
        {
            return Err(format!(
                "'{path}': period {key} overlaps another period of the same change"
            ));
        }
        values.push(DatedChange {
            period: key,
            interval,
            value,
        });
    }
    if values.is_empty() {
        return Err(format!("'{path}': give at least one period and value"));
    }
    Ok(Change {
        path: path.to_string(),
        node: node_path,
        target,
        values,
    })
}

impl Change {
    /// Applies this change to a node's value at an instant covered by `dated`.
    pub fn apply(
        &self,
        current: &ParamValue,
        dated: &DatedChange,
        when: &str,
    ) -> Result<ParamValue, String> {
        match (&self.target, &dated.value) {
            (Target::Whole, ChangeValue::Whole(v)) => Ok(v.clone()),
            (Target::Row { index, field }, cv) => {
                let oob = |len: usize| {
                    format!(
                        "'{}': row {index} does not exist in {when} (the list has {len} rows)",
                        self.path
                    )
                };
                let mut out = current.clone();
                match &mut out {
                    ParamValue::Bands(rows) => {
                        let len = rows.len();
                        let row = rows.get_mut(*index).ok_or_else(|| oob(len))?;
                        match (field, cv) {
                            (RowField::Rate, ChangeValue::Rate(r)) => row.rate = *r,
                            (RowField::Width, ChangeValue::Amount(m)) => row.width = *m,
                            _ => {
                                return Err(format!(
                                    "'{}': value does not fit the field",
                                    self.path
                                ));
                            }
                        }
                        check_bands(rows, &self.path)?;
                    }
                    ParamValue::Tiers(rows) => {
                        let len = rows.len();
                        let row = rows.get_mut(*index).ok_or_else(|| oob(len))?;
                        match (field, cv) {
                            (RowField::Rate, ChangeValue::Rate(r)) => row.rate = *r,
                            (RowField::Upto, ChangeValue::Amount(m)) => row.upto = *m,
                            _ => {
                                return Err(format!(
                                    "'{}': value does not fit the field",
                                    self.path
                                ));
                            }
                        }
                        check_tiers(rows, &self.path)?;
                    }
                    ParamValue::DutyBands(rows) => {
                        let len = rows.len();
                        let row = rows.get_mut(*index).ok_or_else(|| oob(len))?;
                        let misfit = format!(
                            "'{}': row {index} has no such field (it charges {})",
                            self.path,
                            match row.charge {
                                Charge::Fixed(_) => "a fixed duty: change `fixed`",
                                Charge::Flat(_) =>
                                    "a rate on the whole consideration: change `rate`",
                                Charge::Marginal { .. } =>
                                    "a base plus a marginal rate: change `base` or `rate`",
                            }
                        );
                        match (field, cv, &mut row.charge) {
                            (RowField::Upto, ChangeValue::Amount(m), _) => row.upto = *m,
                            (RowField::Rate, ChangeValue::Rate(r), Charge::Flat(x)) => *x = *r,
                            (
                                RowField::Rate,
                                ChangeValue::Rate(r),
                                Charge::Marginal { rate, .. },
                            ) => *rate = *r,
                            (RowField::Fixed, ChangeValue::Amount(Some(m)), Charge::Fixed(x)) => {
                                *x = *m
                            }
                            (
                                RowField::Base,
                                ChangeValue::Amount(Some(m)),
                                Charge::Marginal { base, .. },
                            ) => *base = *m,
                            _ => return Err(misfit),
                        }
                        check_duty_bands(rows, &self.path)?;
                    }
                    ParamValue::NotInForce => {
                        return Err(format!(
                            "'{}': the parameter is not in force in {when}; replace the whole list instead",
                            self.path
                        ));
                    }
                    _ => return Err(format!("'{}': not a list parameter", self.path)),
                }
                Ok(out)
            }
            _ => Err(format!("'{}': value does not fit the target", self.path)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn law() -> Law {
        Law::embedded().unwrap_or_default()
    }

    #[test]
    fn unknown_path_suggests_real_ones() {
        let l = law();
        let e = Reform::parse(
            &l,
            "t",
            "changes:\n  salaries_tax.allowances.basik:\n    2024/25: 1\n",
        )
        .err();
        let msg = e.map(|e| e.to_string()).unwrap_or_default();
        assert!(
            msg.contains("did you mean") && msg.contains("salaries_tax.allowances.basic"),
            "{msg}"
        );
    }

    #[test]
    fn rate_out_of_range_is_an_error() {
        let l = law();
        let e = Reform::parse(
            &l,
            "t",
            "changes:\n  salaries_tax.standard_rate.tiers[1].rate:\n    2025/26: 17\n",
        )
        .err();
        let msg = e.map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.contains("between 0 and 1"), "{msg}");
    }

    #[test]
    fn wrong_field_is_an_error() {
        let l = law();
        let e = Reform::parse(
            &l,
            "t",
            "changes:\n  salaries_tax.standard_rate.tiers[1].width:\n    2025/26: 17\n",
        )
        .err();
        let msg = e.map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.contains("upto|rate"), "{msg}");
    }

    #[test]
    fn parses_ranges() {
        let l = law();
        let r = Reform::parse(
            &l,
            "t",
            "changes:\n  salaries_tax.allowances.basic:\n    2024/25..: 150000\n    2020/21..2021/22: 140000\n",
        );
        assert!(r.is_ok(), "{r:?}");
    }
}
