//! # hkb-proposals — the Chamber's proposals as data
//!
//! Loads `proposals/proposals.yaml` (every entry of the Chinese General Chamber of Commerce's
//! submission for the 2024-25 Budget, with bilingual summaries, kind, quantifiability, fiscal
//! weight, the government's response and its sources) and validates it on load: unknown fields,
//! a missing language, a broken source URL, duplicate ids and dangling children are errors.
//! Headings (`level: subsection`) overlap their children and never add into totals.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use thiserror::Error;

const CATALOGUE: &str = include_str!("../../../proposals/proposals.yaml");

#[derive(Debug, Error)]
pub enum ProposalError {
    #[error("proposals/proposals.yaml: {0}")]
    Invalid(String),
    #[error("{0}")]
    Input(String),
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FiscalWeight {
    pub band: String,
    pub direction: String,
    pub rationale: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top10_rank: Option<u32>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    pub status: String,
    pub timing: String,
    pub summary: String,
    pub sources: Vec<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSketch {
    pub parameters: Vec<String>,
    pub fiscal_lines: Vec<String>,
    pub costing_method: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub base_data: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    pub part: String,
    pub kind: String,
    pub quantifiable: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Proposal {
    pub id: String,
    /// `item`, `subsection_leaf` or `subsection` (a heading).
    pub level: String,
    pub section_id: String,
    pub section_title_zh: String,
    pub section_title_en: String,
    pub subsection_id: String,
    pub subsection_title_zh: String,
    pub subsection_title_en: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<String>,
    pub summary_zh: String,
    pub summary_en: String,
    pub kind: String,
    pub quantifiable: String,
    pub fiscal_weight: FiscalWeight,
    pub government_response: Response,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<ModelSketch>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<Component>,
}

impl Proposal {
    /// A heading overlaps its children: never added into totals.
    pub fn is_leaf(&self) -> bool {
        self.level != "subsection"
    }
    /// A short title: the subsection's title for headings and leaf subsections, otherwise the
    /// summary up to its first colon or full stop.
    pub fn title(&self, zh: bool) -> String {
        if self.level != "item" {
            return if zh {
                self.subsection_title_zh.clone()
            } else {
                self.subsection_title_en.clone()
            };
        }
        let s = if zh {
            &self.summary_zh
        } else {
            &self.summary_en
        };
        let cut = s.find(['：', '。', ':']).unwrap_or(s.len());
        let t = s[..cut].trim();
        if t.chars().count() > 90 {
            format!("{}…", t.chars().take(88).collect::<String>())
        } else {
            t.to_string()
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Section {
    pub id: String,
    pub title_zh: String,
    pub title_en: String,
    #[serde(default)]
    pub preamble_summary_zh: Option<String>,
    #[serde(default)]
    pub preamble_summary_en: Option<String>,
    #[serde(default)]
    pub subsections: serde_yaml_ng::Value,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    meta: serde_yaml_ng::Value,
    sections: Vec<Section>,
    proposals: Vec<Proposal>,
}

#[derive(Clone, Debug)]
pub struct Catalogue {
    pub sections: Vec<Section>,
    pub proposals: Vec<Proposal>,
}

pub const KINDS: [&str; 6] = [
    "revenue_measure",
    "spending_measure",
    "financing",
    "expenditure_control",
    "regulatory_or_institutional",
    "mixed",
];
pub const STATUSES: [&str; 7] = [
    "implemented",
    "partly_implemented",
    "related_action",
    "pre_existing",
    "not_adopted",
    "rejected",
    "no_evidence_found",
];

impl Catalogue {
    pub fn embedded() -> Result<Catalogue, ProposalError> {
        Catalogue::parse(CATALOGUE)
    }

    pub fn parse(text: &str) -> Result<Catalogue, ProposalError> {
        let raw: Raw =
            serde_yaml_ng::from_str(text).map_err(|e| ProposalError::Invalid(e.to_string()))?;
        let _ = raw.meta;
        let c = Catalogue {
            sections: raw.sections,
            proposals: raw.proposals,
        };
        c.validate()?;
        Ok(c)
    }

    fn validate(&self) -> Result<(), ProposalError> {
        let bad = |id: &str, m: String| Err(ProposalError::Invalid(format!("{id}: {m}")));
        let mut seen = BTreeMap::new();
        for p in &self.proposals {
            if seen.insert(p.id.clone(), ()).is_some() {
                return bad(&p.id, "duplicate id".into());
            }
            for (field, text) in [
                ("summary_zh", &p.summary_zh),
                ("summary_en", &p.summary_en),
                ("subsection_title_zh", &p.subsection_title_zh),
                ("subsection_title_en", &p.subsection_title_en),
            ] {
                if text.trim().is_empty() {
                    return bad(
                        &p.id,
                        format!("{field} is empty: every entry needs Chinese and English text"),
                    );
                }
            }
            if !KINDS.contains(&p.kind.as_str()) {
                return bad(
                    &p.id,
                    format!("kind '{}' is not one of {}", p.kind, KINDS.join(", ")),
                );
            }
            if !["yes", "partly", "no"].contains(&p.quantifiable.as_str()) {
                return bad(
                    &p.id,
                    format!("quantifiable '{}' is not yes, partly or no", p.quantifiable),
                );
            }
            if !STATUSES.contains(&p.government_response.status.as_str()) {
                return bad(
                    &p.id,
                    format!(
                        "government_response.status '{}' is not one of {}",
                        p.government_response.status,
                        STATUSES.join(", ")
                    ),
                );
            }
            // A finding that something happened needs a source; "not adopted" and "no evidence
            // found" rest on the absence of a measure and may have none.
            let absence = matches!(
                p.government_response.status.as_str(),
                "not_adopted" | "no_evidence_found"
            );
            if p.government_response.sources.is_empty() && !absence {
                return bad(
                    &p.id,
                    format!(
                        "government_response.sources is empty for status '{}'",
                        p.government_response.status
                    ),
                );
            }
            if let Some(u) = p
                .government_response
                .sources
                .iter()
                .find(|u| !(u.starts_with("http://") || u.starts_with("https://")))
            {
                return bad(&p.id, format!("source '{u}' is not a URL"));
            }
            if !["item", "subsection_leaf", "subsection"].contains(&p.level.as_str()) {
                return bad(
                    &p.id,
                    format!(
                        "level '{}' is not item, subsection_leaf or subsection",
                        p.level
                    ),
                );
            }
            if p.level == "subsection" && p.children.is_empty() {
                return bad(&p.id, "a heading must list its children".into());
            }
            if p.quantifiable != "no" && p.model.is_none() && p.is_leaf() {
                return bad(&p.id, "a quantifiable entry needs a model sketch".into());
            }
        }
        for p in &self.proposals {
            if let Some(c) = p.children.iter().find(|c| !seen.contains_key(*c)) {
                return bad(&p.id, format!("child '{c}' does not exist"));
            }
        }
        Ok(())
    }

    pub fn get(&self, id: &str) -> Result<&Proposal, ProposalError> {
        self.proposals.iter().find(|p| p.id == id).ok_or_else(|| {
            let mut near: Vec<(f64, &str)> = self
                .proposals
                .iter()
                .map(|p| (strsim::jaro_winkler(id, &p.id), p.id.as_str()))
                .collect();
            near.sort_by(|a, b| b.0.total_cmp(&a.0));
            let hints: Vec<&str> = near.iter().take(3).map(|(_, s)| *s).collect();
            ProposalError::Input(format!(
                "unknown proposal id '{id}'; did you mean {}?",
                hints.join(", ")
            ))
        })
    }

    pub fn leaves(&self) -> impl Iterator<Item = &Proposal> {
        self.proposals.iter().filter(|p| p.is_leaf())
    }

    /// Counts and ids of leaf proposals by section, kind and government response.
    pub fn scorecard(&self) -> Scorecard {
        let by = |f: &dyn Fn(&Proposal) -> String| -> BTreeMap<String, Vec<String>> {
            let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for p in self.leaves() {
                m.entry(f(p)).or_default().push(p.id.clone());
            }
            m
        };
        Scorecard {
            leaves: self.leaves().count(),
            headings: self.proposals.len() - self.leaves().count(),
            by_section: by(&|p| p.section_id.clone()),
            by_kind: by(&|p| p.kind.clone()),
            by_status: by(&|p| p.government_response.status.clone()),
            by_quantifiable: by(&|p| p.quantifiable.clone()),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Scorecard {
    pub leaves: usize,
    pub headings: usize,
    pub by_section: BTreeMap<String, Vec<String>>,
    pub by_kind: BTreeMap<String, Vec<String>>,
    pub by_status: BTreeMap<String, Vec<String>>,
    pub by_quantifiable: BTreeMap<String, Vec<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_has_96_entries_and_76_leaves() {
        let c = Catalogue::embedded().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.proposals.len(), 96);
        assert_eq!(c.leaves().count(), 76);
        let s = c.scorecard();
        assert_eq!(s.by_quantifiable.get("yes").map(Vec::len), Some(17));
        assert_eq!(s.by_quantifiable.get("partly").map(Vec::len), Some(32));
        assert_eq!(s.by_section.values().map(Vec::len).sum::<usize>(), 76);
    }

    #[test]
    fn validation_catches_bad_entries() {
        let good = CATALOGUE.to_string();
        let unknown = good.replacen(
            "  kind: financing\n",
            "  kind: financing\n  colour: red\n",
            1,
        );
        assert!(
            Catalogue::parse(&unknown)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
                .contains("unknown field `colour`")
        );
        let no_zh = good.replacen(
            "  summary_zh: 大型工程",
            "  summary_zh: ''\n  x_summary_zh: 大型工程",
            1,
        );
        assert!(Catalogue::parse(&no_zh).is_err());
        let broken = good.replacen(
            "    - https://news.gov.hk/eng/2024/11/20241129/20241129_153217_167.html",
            "    - news.gov.hk/broken",
            1,
        );
        assert!(
            Catalogue::parse(&broken)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
                .contains("not a URL")
        );
        let c = Catalogue::embedded().unwrap_or_else(|e| panic!("{e}"));
        let e = c
            .get("2.1(9)")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("did you mean") && e.contains("2.1("), "{e}");
    }

    #[test]
    fn every_leaf_has_both_languages_and_titles() {
        let c = Catalogue::embedded().unwrap_or_else(|e| panic!("{e}"));
        for p in c.leaves() {
            assert!(
                !p.title(true).is_empty() && !p.title(false).is_empty(),
                "{}",
                p.id
            );
        }
    }
}

const COSTINGS: &str = include_str!("../../../proposals/costings.yaml");

/// A costing parameter: value, range, the values a user may set, unit and provenance.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CostParameter {
    pub value: f64,
    pub low: f64,
    pub high: f64,
    pub allowed: [f64; 2],
    pub unit: String,
    pub status: String,
    #[serde(default)]
    pub note: Option<String>,
    pub source: serde_yaml_ng::Value,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Costing {
    pub id: String,
    pub method: String,
    #[serde(default)]
    pub sign: Option<String>,
    pub population_year: String,
    pub description: serde_yaml_ng::Value,
    pub parameters: BTreeMap<String, CostParameter>,
    pub reform: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCostings {
    costings: Vec<Costing>,
}

/// Which setting of the parameters to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    Low,
    Central,
    High,
}

impl Costing {
    pub fn all() -> Result<Vec<Costing>, ProposalError> {
        let raw: RawCostings = serde_yaml_ng::from_str(COSTINGS)
            .map_err(|e| ProposalError::Invalid(format!("proposals/costings.yaml: {e}")))?;
        for c in &raw.costings {
            for (name, p) in &c.parameters {
                let [lo, hi] = p.allowed;
                for (what, v) in [("value", p.value), ("low", p.low), ("high", p.high)] {
                    if !(lo..=hi).contains(&v) {
                        return Err(ProposalError::Invalid(format!(
                            "proposals/costings.yaml: {} {name}.{what} {v} is outside allowed [{lo}, {hi}]",
                            c.id
                        )));
                    }
                }
                if p.status != "assumption" && p.status != "published" && p.status != "derived" {
                    return Err(ProposalError::Invalid(format!(
                        "proposals/costings.yaml: {} {name}: status must be published, derived or assumption",
                        c.id
                    )));
                }
                if !c.reform.contains(&format!("{{{name}}}")) {
                    return Err(ProposalError::Invalid(format!(
                        "proposals/costings.yaml: {} parameter {name} is not used by the reform",
                        c.id
                    )));
                }
            }
        }
        Ok(raw.costings)
    }

    /// The parameter values of a setting, with `--set name=value` overrides checked.
    pub fn values(
        &self,
        setting: Setting,
        overrides: &[(String, f64)],
    ) -> Result<BTreeMap<String, f64>, ProposalError> {
        let mut v: BTreeMap<String, f64> = self
            .parameters
            .iter()
            .map(|(k, p)| {
                (
                    k.clone(),
                    match setting {
                        Setting::Low => p.low,
                        Setting::Central => p.value,
                        Setting::High => p.high,
                    },
                )
            })
            .collect();
        for (name, x) in overrides {
            let p = self.parameters.get(name).ok_or_else(|| {
                ProposalError::Input(format!(
                    "--set {name}: {} has no parameter '{name}'; its parameters are {}",
                    self.id,
                    self.parameters
                        .keys()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
            let [lo, hi] = p.allowed;
            if !x.is_finite() || !(lo..=hi).contains(x) {
                return Err(ProposalError::Input(format!(
                    "--set {name}={x}: outside the allowed range {lo} to {hi} ({})",
                    p.unit
                )));
            }
            v.insert(name.clone(), *x);
        }
        Ok(v)
    }

    /// The reform text with the parameter values filled in.
    pub fn reform_text(&self, values: &BTreeMap<String, f64>) -> String {
        let mut t = self.reform.clone();
        for (k, v) in values {
            t = t.replace(&format!("{{{k}}}"), &format!("{v}"));
        }
        t
    }
}

#[cfg(test)]
mod costing_tests {
    use super::*;

    #[test]
    fn costings_load_and_overrides_are_checked() {
        let all = Costing::all().unwrap_or_else(|e| panic!("{e}"));
        let c = Catalogue::embedded().unwrap_or_else(|e| panic!("{e}"));
        for k in &all {
            let p = c.get(&k.id).unwrap_or_else(|e| panic!("{e}"));
            assert!(
                p.quantifiable != "no" && p.is_leaf(),
                "{} is not a quantifiable leaf",
                k.id
            );
        }
        let s = all
            .iter()
            .find(|c| c.id == "2.1(2)")
            .unwrap_or_else(|| panic!("no 2.1(2)"));
        let e = s
            .values(Setting::Central, &[("rate".into(), 0.001)])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            e.contains("no parameter 'rate'") && e.contains("stock_rate_per_side"),
            "{e}"
        );
        let e = s
            .values(Setting::Central, &[("stock_rate_per_side".into(), 0.5)])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("outside the allowed range"), "{e}");
        let v = s
            .values(Setting::Central, &[("stock_rate_per_side".into(), 0.0007)])
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(s.reform_text(&v).contains("0.0007"));
    }
}
