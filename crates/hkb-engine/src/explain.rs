//! Explained results: a result with every parameter its trace used — label, value, unit, legal
//! reference, source and status — and warnings, in both languages, for values that are not firm
//! law.

use hkb_law::{Bilingual, Law, ParamSet, Source, Status, Unit};
use hkb_rules::Step;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A parameter of the law as used in a computation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CitedParam {
    pub label: Bilingual,
    pub unit: Unit,
    /// The value in force (typed), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The value in force, in the shape its `unit` gives (a number, a list of bands…).
    pub value: Option<serde_json::Value>,
    /// The value as a reader sees it ("132,000", "15%", a table on one line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// The period key the value came from (`2024/25`, a reform's period).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// Short legal citation.
    pub reference: Bilingual,
    pub reference_urls: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

/// A result with its parameters and warnings.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct Explained<T> {
    #[serde(flatten)]
    pub result: T,
    /// Every parameter the computation used, by path.
    pub parameters: BTreeMap<String, CitedParam>,
    /// Values used that are not firm law (proposed, secondary, assumptions, a reform), and
    /// anything else the reader should know.
    pub warnings: Vec<Bilingual>,
}

/// Every distinct parameter a set of traces used.
pub fn params_used<'a>(steps: impl Iterator<Item = &'a Step>) -> BTreeSet<String> {
    steps
        .flat_map(|s| s.params.iter().map(|p| p.path.to_string()))
        .collect()
}

/// The parameters used, with their labels, values, legal references and sources.
pub fn cite(law: &Law, set: &ParamSet, used: &BTreeSet<String>) -> BTreeMap<String, CitedParam> {
    used.iter()
        .filter_map(|path| {
            let node = law.node(path)?;
            let r = set.get(path);
            Some((
                path.clone(),
                CitedParam {
                    label: node.label.clone(),
                    unit: node.unit,
                    value: r.and_then(|r| serde_json::to_value(&r.value).ok()),
                    value_text: r.map(|r| r.value.to_string()),
                    status: r.map(|r| r.status),
                    period: r.map(|r| r.period.clone()),
                    reference: node.citation_bilingual(),
                    reference_urls: node.references.iter().map(|x| x.url.clone()).collect(),
                    source: r.map(|r| Source {
                        document: r.source_document.clone(),
                        url: r.source_url.clone(),
                        date: None,
                    }),
                },
            ))
        })
        .collect()
}

/// Warnings for values used that are not firm law.
pub fn soft_warnings(set: &ParamSet, used: &BTreeSet<String>) -> Vec<Bilingual> {
    used.iter()
        .filter_map(|p| set.get(p).map(|r| (p, r)))
        .filter(|(_, r)| !r.status.is_firm())
        .map(|(p, r)| {
            let label = r.status.label();
            Bilingual::new(
                format!("{p} = {} is {} ({})", r.value, label.en, r.source_document),
                format!("{p} = {} 屬{}（{}）", r.value, label.zh, r.source_document),
            )
        })
        .collect()
}

/// Explains a result from the parameters its traces used (see [`params_used`]) and the law.
pub fn explain<T>(
    law: &Law,
    set: &ParamSet,
    result: T,
    used: BTreeSet<String>,
    mut warnings: Vec<Bilingual>,
) -> Explained<T> {
    warnings.extend(soft_warnings(set, &used));
    Explained {
        result,
        parameters: cite(law, set, &used),
        warnings,
    }
}
