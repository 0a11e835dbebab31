//! Typed parameter values and their units.

use crate::money::{Money, Rate};
use serde::{Deserialize, Serialize};
use serde_yaml_ng::Value as Yaml;
use std::fmt;

/// The unit of a parameter node: decides the shape of its values and how they are checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Hong Kong dollars (non-negative).
    Hkd,
    /// A fraction between 0 and 1 (0.15 = 15%).
    Rate,
    /// A whole number of things (children, a multiple).
    Count,
    /// A whole number of years of assessment.
    Years,
    /// Yes or no.
    Bool,
    /// Progressive bands: `bands: [{width, rate}]`, the last width `null` (the remainder).
    Bands,
    /// Tiers by upper limit: `tiers: [{upto, rate}]`, the last `upto` `null` (no limit).
    Tiers,
    /// A stamp-duty table selected by consideration: `bands: [{upto, fixed | rate | base + marginal_rate}]`.
    DutyBands,
    /// Rates by holding period: `schedule: [{months, rate}]` (held `months` or less).
    HoldingSchedule,
    /// One amount per quarter of a financial year: `{q1, q2, q3, q4}` in HK$.
    Quarterly,
    /// Yes or no, per date.
    Date,
}

impl Unit {
    /// The unit's name as written in parameter files (`hkd`, `duty_bands`).
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Hkd => "hkd",
            Unit::Rate => "rate",
            Unit::Count => "count",
            Unit::Years => "years",
            Unit::Bool => "bool",
            Unit::Bands => "bands",
            Unit::Tiers => "tiers",
            Unit::DutyBands => "duty_bands",
            Unit::HoldingSchedule => "holding_schedule",
            Unit::Quarterly => "quarterly",
            Unit::Date => "date",
        }
    }
    /// What a reader sees for the unit.
    pub fn label(self) -> crate::text::Bilingual {
        use crate::text::Bilingual as B;
        match self {
            Unit::Hkd => B::fixed("HK$", "港元"),
            Unit::Rate => B::fixed("rate (fraction)", "比率"),
            Unit::Count => B::fixed("count", "數目"),
            Unit::Years => B::fixed("years of assessment", "課稅年度數目"),
            Unit::Bool => B::fixed("yes/no", "是／否"),
            Unit::Bands => B::fixed("progressive bands", "累進稅階"),
            Unit::Tiers => B::fixed("tiers", "分級"),
            Unit::DutyBands => B::fixed("duty table by consideration", "按代價劃分的稅率表"),
            Unit::HoldingSchedule => B::fixed("rates by holding period", "按持有期劃分的稅率"),
            Unit::Quarterly => B::fixed("HK$ per quarter", "每季港元"),
            Unit::Date => B::fixed("date", "日期"),
        }
    }
    pub fn describe(self) -> &'static str {
        match self {
            Unit::Hkd => {
                "an amount in HK$ (a non-negative number, or null where the provision is not in force)"
            }
            Unit::Rate => {
                "a rate written as a fraction between 0 and 1 (0.15 for 15%), or null where not in force"
            }
            Unit::Count => "a whole number (0 or more)",
            Unit::Years => "a whole number of years of assessment, or null where not in force",
            Unit::Bool => "true or false",
            Unit::Bands => {
                "a list `bands: [{width: HK$, rate: fraction}]` whose last width is null"
            }
            Unit::Tiers => {
                "a list `tiers: [{upto: HK$, rate: fraction}]` with rising limits, the last null"
            }
            Unit::DutyBands => {
                "a list `bands: [{upto: HK$, fixed: HK$ | rate: fraction | base: HK$, marginal_rate: fraction}]` with rising limits, the last null"
            }
            Unit::HoldingSchedule => {
                "a list `schedule: [{months: N, rate: fraction}]` with rising months, or null where not in force"
            }
            Unit::Quarterly => {
                "a mapping `{q1: HK$, q2: HK$, q3: HK$, q4: HK$}`, or null where not in force"
            }
            Unit::Date => "a date like 2023-10-25",
        }
    }
}

/// One progressive band: its width (None = the remainder) and rate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Band {
    pub width: Option<Money>,
    pub rate: Rate,
}

/// One tier: applies up to `upto` (None = no limit).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Tier {
    pub upto: Option<Money>,
    pub rate: Rate,
}

/// How a stamp-duty band charges the consideration C.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Charge {
    /// A fixed duty (HK$100).
    Fixed(Money),
    /// A rate on the whole of C.
    Flat(Rate),
    /// Marginal relief: `base` plus `rate` × (C − the band's lower limit).
    Marginal { base: Money, rate: Rate },
}

/// One band of a duty table: applies to C in (previous upto, upto].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DutyBand {
    pub upto: Option<Money>,
    pub charge: Charge,
}

/// A parameter's value in force at some instant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum ParamValue {
    /// The provision exists in the tree but is not in force at this instant (`null` in the file).
    NotInForce,
    Amount(Money),
    Rate(Rate),
    Count(u32),
    Bool(bool),
    Bands(Vec<Band>),
    Tiers(Vec<Tier>),
    DutyBands(Vec<DutyBand>),
    /// (months held or less, rate), rising months.
    HoldingSchedule(Vec<(u32, Rate)>),
    Quarterly([Money; 4]),
    Date(chrono::NaiveDate),
}

fn as_number(v: &Yaml) -> Option<f64> {
    match v {
        Yaml::Number(n) => n.as_f64(),
        _ => None,
    }
}

fn parse_amount(v: &Yaml, what: &str) -> Result<Money, String> {
    let x = as_number(v)
        .ok_or_else(|| format!("{what}: expected an amount in HK$, found {}", show(v)))?;
    if x < 0.0 {
        return Err(format!("{what}: must not be negative (found {x})"));
    }
    Money::from_f64(x).ok_or_else(|| format!("{what}: {x} is not a usable amount"))
}

fn parse_rate(v: &Yaml, what: &str) -> Result<Rate, String> {
    let x = as_number(v).ok_or_else(|| {
        format!(
            "{what}: expected a rate as a fraction (0.15 for 15%), found {}",
            show(v)
        )
    })?;
    if !(0.0..=1.0).contains(&x) {
        return Err(format!(
            "{what}: a rate must be a fraction between 0 and 1 (write 0.15 for 15%), found {x}"
        ));
    }
    Rate::from_f64(x).ok_or_else(|| format!("{what}: {x} has more than six decimal places"))
}

fn parse_whole(v: &Yaml, what: &str) -> Result<u32, String> {
    match v {
        Yaml::Number(n) => n
            .as_u64()
            .and_then(|u| u32::try_from(u).ok())
            .ok_or_else(|| format!("{what}: expected a whole number 0 or more, found {n}")),
        _ => Err(format!(
            "{what}: expected a whole number, found {}",
            show(v)
        )),
    }
}

pub(crate) fn show(v: &Yaml) -> String {
    match v {
        Yaml::String(s) => format!("the text '{s}'"),
        Yaml::Null => "null".into(),
        other => serde_yaml_ng::to_string(other)
            .map(|s| s.trim().to_string())
            .unwrap_or_default(),
    }
}

fn map_get<'a>(v: &'a Yaml, key: &str) -> Option<&'a Yaml> {
    v.as_mapping().and_then(|m| m.get(key))
}

fn check_keys(v: &Yaml, allowed: &[&str], what: &str) -> Result<(), String> {
    let m = v
        .as_mapping()
        .ok_or_else(|| format!("{what}: expected a mapping, found {}", show(v)))?;
    for k in m.keys() {
        let key = k.as_str().unwrap_or("?");
        if !allowed.contains(&key) {
            return Err(format!(
                "{what}: unknown key '{key}' (allowed: {})",
                allowed.join(", ")
            ));
        }
    }
    Ok(())
}

impl ParamValue {
    /// What kind of value this is, for messages.
    pub fn kind_name(&self) -> &'static str {
        match self {
            ParamValue::NotInForce => "not in force",
            ParamValue::Amount(_) => "an amount",
            ParamValue::Rate(_) => "a rate",
            ParamValue::Count(_) => "a count",
            ParamValue::Bool(_) => "yes/no",
            ParamValue::Bands(_) => "bands",
            ParamValue::Tiers(_) => "tiers",
            ParamValue::DutyBands(_) => "a duty table",
            ParamValue::HoldingSchedule(_) => "a holding schedule",
            ParamValue::Quarterly(_) => "quarterly amounts",
            ParamValue::Date(_) => "a date",
        }
    }

    /// Reads a value of the given unit from YAML, checking its type and range.
    pub fn from_yaml(unit: Unit, v: &Yaml, what: &str) -> Result<ParamValue, String> {
        // A list unit given as the bare list its JSON shows (`[{width, rate}, …]`, a holding
        // schedule as `[[months, rate], …]`): read as the file's `{bands: […]}` form, so what
        // the API prints can be sent back as a reform.
        if let Yaml::Sequence(items) = v {
            let key = match unit {
                Unit::Bands | Unit::DutyBands => Some("bands"),
                Unit::Tiers => Some("tiers"),
                Unit::HoldingSchedule => Some("schedule"),
                _ => None,
            };
            if let Some(key) = key {
                let rows: Vec<Yaml> = items
                    .iter()
                    .map(|row| match (unit, row) {
                        (Unit::HoldingSchedule, Yaml::Sequence(pair)) if pair.len() == 2 => {
                            let mut m = serde_yaml_ng::Mapping::new();
                            m.insert(Yaml::String("months".into()), pair[0].clone());
                            m.insert(Yaml::String("rate".into()), pair[1].clone());
                            Yaml::Mapping(m)
                        }
                        _ => row.clone(),
                    })
                    .collect();
                let mut m = serde_yaml_ng::Mapping::new();
                m.insert(Yaml::String(key.into()), Yaml::Sequence(rows));
                return ParamValue::from_yaml(unit, &Yaml::Mapping(m), what);
            }
        }
        if v.is_null()
            && matches!(
                unit,
                Unit::Hkd
                    | Unit::Rate
                    | Unit::Years
                    | Unit::Count
                    | Unit::HoldingSchedule
                    | Unit::Quarterly
                    | Unit::DutyBands
            )
        {
            return Ok(ParamValue::NotInForce);
        }
        match unit {
            Unit::Hkd => parse_amount(v, what).map(ParamValue::Amount),
            Unit::Rate => parse_rate(v, what).map(ParamValue::Rate),
            Unit::Count | Unit::Years => parse_whole(v, what).map(ParamValue::Count),
            Unit::Bool => match v {
                Yaml::Bool(b) => Ok(ParamValue::Bool(*b)),
                _ => Err(format!("{what}: expected true or false, found {}", show(v))),
            },
            Unit::Bands => {
                check_keys(v, &["bands"], what)?;
                let list = map_get(v, "bands")
                    .and_then(Yaml::as_sequence)
                    .ok_or_else(|| format!("{what}: expected `bands:` followed by a list"))?;
                let bands = list
                    .iter()
                    .enumerate()
                    .map(|(i, row)| Band::from_yaml(row, &format!("{what}.bands[{i}]")))
                    .collect::<Result<Vec<_>, _>>()?;
                check_bands(&bands, what)?;
                Ok(ParamValue::Bands(bands))
            }
            Unit::Tiers => {
                check_keys(v, &["tiers"], what)?;
                let list = map_get(v, "tiers")
                    .and_then(Yaml::as_sequence)
                    .ok_or_else(|| format!("{what}: expected `tiers:` followed by a list"))?;
                let tiers = list
                    .iter()
                    .enumerate()
                    .map(|(i, row)| Tier::from_yaml(row, &format!("{what}.tiers[{i}]")))
                    .collect::<Result<Vec<_>, _>>()?;
                check_tiers(&tiers, what)?;
                Ok(ParamValue::Tiers(tiers))
            }
            Unit::DutyBands => {
                check_keys(v, &["bands"], what)?;
                let list = map_get(v, "bands")
                    .and_then(Yaml::as_sequence)
                    .ok_or_else(|| format!("{what}: expected `bands:` followed by a list"))?;
                let bands = list
                    .iter()
                    .enumerate()
                    .map(|(i, row)| DutyBand::from_yaml(row, &format!("{what}.bands[{i}]")))
                    .collect::<Result<Vec<_>, _>>()?;
                check_duty_bands(&bands, what)?;
                Ok(ParamValue::DutyBands(bands))
            }
            Unit::HoldingSchedule => {
                check_keys(v, &["schedule"], what)?;
                let list = map_get(v, "schedule")
                    .and_then(Yaml::as_sequence)
                    .ok_or_else(|| format!("{what}: expected `schedule:` followed by a list"))?;
                let mut rows = Vec::new();
                for (i, row) in list.iter().enumerate() {
                    let w = format!("{what}.schedule[{i}]");
                    check_keys(row, &["months", "rate"], &w)?;
                    let months = parse_whole(
                        map_get(row, "months").unwrap_or(&Yaml::Null),
                        &format!("{w}.months"),
                    )?;
                    let rate = parse_rate(
                        map_get(row, "rate").unwrap_or(&Yaml::Null),
                        &format!("{w}.rate"),
                    )?;
                    if rows.last().is_some_and(|(m, _)| *m >= months) {
                        return Err(format!("{w}.months: must rise from row to row"));
                    }
                    rows.push((months, rate));
                }
                if rows.is_empty() {
                    return Err(format!("{what}: needs at least one row"));
                }
                Ok(ParamValue::HoldingSchedule(rows))
            }
            // Also the list of four that the JSON of a node shows, so what the API prints can
            // be sent back as a reform.
            Unit::Quarterly if let Yaml::Sequence(items) = v => {
                if items.len() != 4 {
                    return Err(format!(
                        "{what}: give four quarters, {{q1, q2, q3, q4}} or a list of four; found {}",
                        items.len()
                    ));
                }
                let mut q = [Money::ZERO; 4];
                for (i, (slot, x)) in q.iter_mut().zip(items).enumerate() {
                    *slot = parse_amount(x, &format!("{what}.q{}", i + 1))?;
                }
                Ok(ParamValue::Quarterly(q))
            }
            Unit::Quarterly => {
                check_keys(v, &["q1", "q2", "q3", "q4"], what)?;
                let mut q = [Money::ZERO; 4];
                for (i, slot) in q.iter_mut().enumerate() {
                    let key = format!("q{}", i + 1);
                    *slot = match map_get(v, &key) {
                        None | Some(Yaml::Null) => Money::ZERO,
                        Some(x) => parse_amount(x, &format!("{what}.{key}"))?,
                    };
                }
                Ok(ParamValue::Quarterly(q))
            }
            Unit::Date => match v {
                Yaml::String(s) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map(ParamValue::Date)
                    .map_err(|_| format!("{what}: '{s}' is not a date like 2023-10-25")),
                _ => Err(format!(
                    "{what}: expected a date like 2023-10-25, found {}",
                    show(v)
                )),
            },
        }
    }
}

impl Band {
    fn from_yaml(v: &Yaml, what: &str) -> Result<Band, String> {
        check_keys(v, &["width", "rate"], what)?;
        let width = match map_get(v, "width") {
            None | Some(Yaml::Null) => None,
            Some(w) => Some(parse_amount(w, &format!("{what}.width"))?),
        };
        let rate = parse_rate(
            map_get(v, "rate").unwrap_or(&Yaml::Null),
            &format!("{what}.rate"),
        )?;
        Ok(Band { width, rate })
    }
}

impl Tier {
    fn from_yaml(v: &Yaml, what: &str) -> Result<Tier, String> {
        check_keys(v, &["upto", "rate"], what)?;
        let upto = match map_get(v, "upto") {
            None | Some(Yaml::Null) => None,
            Some(w) => Some(parse_amount(w, &format!("{what}.upto"))?),
        };
        let rate = parse_rate(
            map_get(v, "rate").unwrap_or(&Yaml::Null),
            &format!("{what}.rate"),
        )?;
        Ok(Tier { upto, rate })
    }
}

impl DutyBand {
    fn from_yaml(v: &Yaml, what: &str) -> Result<DutyBand, String> {
        // The JSON form of a band (`{upto, charge: {fixed | flat | marginal: {base, rate}}}`),
        // read as the file's form.
        if let Some(charge) = map_get(v, "charge") {
            check_keys(v, &["upto", "charge"], what)?;
            let mut m = serde_yaml_ng::Mapping::new();
            m.insert(
                Yaml::String("upto".into()),
                map_get(v, "upto").cloned().unwrap_or(Yaml::Null),
            );
            let put = |m: &mut serde_yaml_ng::Mapping, k: &str, x: Option<&Yaml>| {
                m.insert(Yaml::String(k.into()), x.cloned().unwrap_or(Yaml::Null));
            };
            let w = format!("{what}.charge");
            check_keys(charge, &["fixed", "flat", "marginal"], &w)?;
            match (
                map_get(charge, "fixed"),
                map_get(charge, "flat"),
                map_get(charge, "marginal"),
            ) {
                (Some(x), None, None) => put(&mut m, "fixed", Some(x)),
                (None, Some(x), None) => put(&mut m, "rate", Some(x)),
                (None, None, Some(x)) => {
                    check_keys(x, &["base", "rate"], &format!("{w}.marginal"))?;
                    put(&mut m, "base", map_get(x, "base"));
                    put(&mut m, "marginal_rate", map_get(x, "rate"));
                }
                _ => {
                    return Err(format!(
                        "{w}: give exactly one of `fixed`, `flat` or `marginal`"
                    ));
                }
            }
            return DutyBand::from_yaml(&Yaml::Mapping(m), what);
        }
        check_keys(v, &["upto", "fixed", "rate", "base", "marginal_rate"], what)?;
        let upto = match map_get(v, "upto") {
            None | Some(Yaml::Null) => None,
            Some(w) => Some(parse_amount(w, &format!("{what}.upto"))?),
        };
        let has = |k: &str| map_get(v, k).is_some();
        let charge = match (has("fixed"), has("rate"), has("base"), has("marginal_rate")) {
            (true, false, false, false) => Charge::Fixed(parse_amount(
                map_get(v, "fixed").unwrap_or(&Yaml::Null),
                &format!("{what}.fixed"),
            )?),
            (false, true, false, false) => Charge::Flat(parse_rate(
                map_get(v, "rate").unwrap_or(&Yaml::Null),
                &format!("{what}.rate"),
            )?),
            (false, false, true, true) => Charge::Marginal {
                base: parse_amount(
                    map_get(v, "base").unwrap_or(&Yaml::Null),
                    &format!("{what}.base"),
                )?,
                rate: parse_rate(
                    map_get(v, "marginal_rate").unwrap_or(&Yaml::Null),
                    &format!("{what}.marginal_rate"),
                )?,
            },
            _ => {
                return Err(format!(
                    "{what}: give exactly one of `fixed`, `rate`, or `base` with `marginal_rate`"
                ));
            }
        };
        Ok(DutyBand { upto, charge })
    }
}

pub(crate) fn check_duty_bands(bands: &[DutyBand], what: &str) -> Result<(), String> {
    let Some((last, rest)) = bands.split_last() else {
        return Err(format!("{what}: needs at least one band"));
    };
    if last.upto.is_some() {
        return Err(format!(
            "{what}: the last band must have `upto: null` (no limit)"
        ));
    }
    let mut prev = Money::ZERO;
    for (i, b) in rest.iter().enumerate() {
        match b.upto {
            Some(u) if u > prev => prev = u,
            _ => {
                return Err(format!(
                    "{what}.bands[{i}]: limits must rise and only the last may be null"
                ));
            }
        }
    }
    Ok(())
}

pub(crate) fn check_bands(bands: &[Band], what: &str) -> Result<(), String> {
    let Some((last, rest)) = bands.split_last() else {
        return Err(format!("{what}: needs at least one band"));
    };
    if last.width.is_some() {
        return Err(format!(
            "{what}: the last band must have `width: null` (it covers the remainder)"
        ));
    }
    if let Some(i) = rest
        .iter()
        .position(|b| b.width.is_none_or(|w| w.is_zero()))
    {
        return Err(format!(
            "{what}.bands[{i}]: only the last band may be open-ended; widths must be positive"
        ));
    }
    Ok(())
}

pub(crate) fn check_tiers(tiers: &[Tier], what: &str) -> Result<(), String> {
    let Some((last, rest)) = tiers.split_last() else {
        return Err(format!("{what}: needs at least one tier"));
    };
    if last.upto.is_some() {
        return Err(format!(
            "{what}: the last tier must have `upto: null` (no limit)"
        ));
    }
    let mut prev = Money::ZERO;
    for (i, t) in rest.iter().enumerate() {
        match t.upto {
            Some(u) if u > prev => prev = u,
            _ => {
                return Err(format!(
                    "{what}.tiers[{i}]: limits must rise and only the last may be null"
                ));
            }
        }
    }
    Ok(())
}

impl fmt::Display for ParamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamValue::NotInForce => f.write_str("not in force"),
            ParamValue::Amount(m) => write!(f, "HK${m}"),
            ParamValue::Rate(r) => write!(f, "{r}"),
            ParamValue::Count(n) => write!(f, "{n}"),
            ParamValue::Bool(b) => f.write_str(if *b { "yes" } else { "no" }),
            ParamValue::Bands(bands) => {
                let parts: Vec<String> = bands
                    .iter()
                    .map(|b| match b.width {
                        Some(w) => format!("{w} @ {}", b.rate),
                        None => format!("remainder @ {}", b.rate),
                    })
                    .collect();
                f.write_str(&parts.join("; "))
            }
            ParamValue::Tiers(tiers) => {
                let parts: Vec<String> = tiers
                    .iter()
                    .map(|t| match t.upto {
                        Some(u) => format!("up to {u} @ {}", t.rate),
                        None => format!("above @ {}", t.rate),
                    })
                    .collect();
                f.write_str(&parts.join("; "))
            }
            ParamValue::DutyBands(bands) => {
                let mut lower = Money::ZERO;
                let parts: Vec<String> = bands
                    .iter()
                    .map(|b| {
                        let range = match b.upto {
                            Some(u) => format!("{lower}–{u}"),
                            None => format!("over {lower}"),
                        };
                        let charge = match b.charge {
                            Charge::Fixed(m) => format!("{m}"),
                            Charge::Flat(r) => format!("{r}"),
                            Charge::Marginal { base, rate } => {
                                format!("{base} + {rate} of excess over {lower}")
                            }
                        };
                        if let Some(u) = b.upto {
                            lower = u;
                        }
                        format!("{range}: {charge}")
                    })
                    .collect();
                f.write_str(&parts.join("; "))
            }
            ParamValue::HoldingSchedule(rows) => {
                let parts: Vec<String> = rows
                    .iter()
                    .map(|(m, r)| format!("≤{m} months @ {r}"))
                    .collect();
                f.write_str(&parts.join("; "))
            }
            ParamValue::Quarterly(q) => {
                write!(f, "Q1 {} / Q2 {} / Q3 {} / Q4 {}", q[0], q[1], q[2], q[3])
            }
            ParamValue::Date(d) => write!(f, "{d}"),
        }
    }
}
