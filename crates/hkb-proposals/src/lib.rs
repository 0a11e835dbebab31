//! # hkb-proposals — the Chamber's proposals as data
//!
//! Loads `proposals/proposals.yaml` (every entry of the Chinese General Chamber of Commerce's
//! submission for the 2024-25 Budget, with bilingual summaries, kind, quantifiability, fiscal
//! weight, the government's response and its sources) and validates it on load: unknown fields,
//! a missing language, a broken source URL, duplicate ids and dangling children are errors.
//! Headings (`level: subsection`) overlap their children and never add into totals.

pub mod expr;

use expr::Expr;
use hkb_fiscal::accounts::HEADS;
pub use hkb_fiscal::package::LineKind;
pub use hkb_law::Bilingual;
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
    /// A costing definition that does not hold together (where it came from is in the text).
    #[error("{0}")]
    Costing(String),
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
            responses: self
                .leaves()
                .map(|p| (p.id.clone(), p.government_response.clone()))
                .collect(),
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
    /// Each leaf's government response: status, timing, summary and sources.
    pub responses: BTreeMap<String, Response>,
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

/// One fiscal line of a `method: lines` costing: an amount in HK$bn a year, written as an
/// arithmetic expression of the costing's parameters and `t` (whole years since `start`).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CostLine {
    pub name: Bilingual,
    /// revenue, expenditure, bond_issuance or bond_repayment (a positive expenditure is a cost).
    pub kind: LineKind,
    /// Revenue head (revenue lines only; default other revenue).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<String>,
    pub amount: String,
    pub start: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Costing {
    pub id: String,
    /// `reform` (a change in the law run through the microsimulation) or `lines` (explicit
    /// revenue, spending and financing lines).
    pub method: String,
    #[serde(default)]
    pub sign: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population_year: Option<String>,
    pub description: Bilingual,
    pub parameters: BTreeMap<String, CostParameter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reform: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<CostLine>,
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

impl Setting {
    pub const ALL: [Setting; 3] = [Setting::Low, Setting::Central, Setting::High];
    pub fn key(self) -> &'static str {
        match self {
            Setting::Low => "low",
            Setting::Central => "central",
            Setting::High => "high",
        }
    }
}

/// A line of a costing evaluated over a run of financial years.
#[derive(Clone, Debug, Serialize)]
pub struct EvaluatedLine {
    pub name: Bilingual,
    pub kind: LineKind,
    pub head: Option<String>,
    /// The line's amount by year (HK$bn; a cost is a positive expenditure).
    pub amount_bn: Vec<f64>,
    /// Its effect on the consolidated balance by year (HK$bn; negative = cost).
    pub effect_bn: Vec<f64>,
}

/// The financial year's first calendar year ("2025-26" → 2025), if well formed.
fn fy_start(s: &str) -> Option<i32> {
    let t = s.trim();
    let y: i32 = t.get(..4)?.parse().ok()?;
    (t.len() == 7 && t.as_bytes()[4] == b'-' && t[5..] == format!("{:02}", (y + 1) % 100))
        .then_some(y)
}

fn invalid(id: &str, m: String) -> ProposalError {
    ProposalError::Costing(format!("{id}: {m}"))
}

impl CostLine {
    fn parse(&self) -> Result<Expr, String> {
        Expr::parse(&self.amount)
            .map_err(|e| format!("line '{}': amount '{}': {e}", self.name.en, self.amount))
    }
}

impl Costing {
    pub fn all() -> Result<Vec<Costing>, ProposalError> {
        Costing::parse(COSTINGS)
    }

    /// Parses and validates costings: every parameter in range, sourced or flagged, and used;
    /// every line expression parses and names only parameters (and `t`).
    pub fn parse(text: &str) -> Result<Vec<Costing>, ProposalError> {
        let file = |m: String| ProposalError::Costing(format!("proposals/costings.yaml: {m}"));
        let raw: RawCostings = serde_yaml_ng::from_str(text).map_err(|e| file(e.to_string()))?;
        let mut ids = std::collections::BTreeSet::new();
        for c in &raw.costings {
            if !ids.insert(c.id.clone()) {
                return Err(file(format!("{}: duplicate costing", c.id)));
            }
            c.validate().map_err(|e| file(e.to_string()))?;
        }
        Ok(raw.costings)
    }

    /// Checks one costing (the same rules as the shipped ones: a user's own costing in a package
    /// must also source each parameter or call it an assumption).
    pub fn validate(&self) -> Result<(), ProposalError> {
        let id = &self.id;
        if self.description.en.trim().is_empty() || self.description.zh.trim().is_empty() {
            return Err(invalid(id, "description needs en and zh".into()));
        }
        let mut used = std::collections::BTreeSet::new();
        match self.method.as_str() {
            "reform" => {
                let (Some(reform), Some(_)) = (&self.reform, &self.population_year) else {
                    return Err(invalid(
                        id,
                        "method reform needs `reform` and `population_year`".into(),
                    ));
                };
                if !self.lines.is_empty() {
                    return Err(invalid(id, "method reform takes no `lines`".into()));
                }
                for name in self.parameters.keys() {
                    if reform.contains(&format!("{{{name}}}")) {
                        used.insert(name.clone());
                    }
                }
            }
            "lines" => {
                if self.lines.is_empty() || self.reform.is_some() {
                    return Err(invalid(
                        id,
                        "method lines needs `lines` and takes no `reform`".into(),
                    ));
                }
                for l in &self.lines {
                    let e = l.parse().map_err(|m| invalid(id, m))?;
                    for v in e.variables() {
                        if v != "t" && !self.parameters.contains_key(&v) {
                            return Err(invalid(
                                id,
                                format!(
                                    "line '{}' uses '{v}', which is not a parameter (parameters: {})",
                                    l.name.en,
                                    self.parameters
                                        .keys()
                                        .cloned()
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                ),
                            ));
                        }
                        used.insert(v);
                    }
                    let start = fy_start(&l.start).ok_or_else(|| {
                        invalid(
                            id,
                            format!(
                                "line '{}': start '{}' is not a financial year like 2025-26",
                                l.name.en, l.start
                            ),
                        )
                    })?;
                    if let Some(end) = &l.end {
                        let e = fy_start(end).ok_or_else(|| {
                            invalid(
                                id,
                                format!(
                                    "line '{}': end '{end}' is not a financial year like 2025-26",
                                    l.name.en
                                ),
                            )
                        })?;
                        if e < start {
                            return Err(invalid(
                                id,
                                format!(
                                    "line '{}': end {end} is before start {}",
                                    l.name.en, l.start
                                ),
                            ));
                        }
                    }
                    if let Some(h) = &l.head
                        && (l.kind != LineKind::Revenue || !HEADS.contains(&h.as_str()))
                    {
                        return Err(invalid(
                            id,
                            format!(
                                "line '{}': head '{h}' needs kind revenue and one of {}",
                                l.name.en,
                                HEADS.join(", ")
                            ),
                        ));
                    }
                    if l.name.en.trim().is_empty() || l.name.zh.trim().is_empty() {
                        return Err(invalid(id, "every line needs an en and a zh name".into()));
                    }
                }
            }
            m => {
                return Err(invalid(id, format!("method '{m}' is not reform or lines")));
            }
        }
        for (name, p) in &self.parameters {
            let [lo, hi] = p.allowed;
            for (what, v) in [("value", p.value), ("low", p.low), ("high", p.high)] {
                if !(lo..=hi).contains(&v) {
                    return Err(invalid(
                        id,
                        format!("{name}.{what} {v} is outside allowed [{lo}, {hi}]"),
                    ));
                }
            }
            if !["assumption", "published", "derived"].contains(&p.status.as_str()) {
                return Err(invalid(
                    id,
                    format!("{name}: status must be published, derived or assumption"),
                ));
            }
            // A figure that is not an assumption must say where it comes from.
            let has_url = p
                .source
                .get("url")
                .and_then(|u| u.as_str())
                .is_some_and(|u| u.starts_with("http://") || u.starts_with("https://"));
            let has_document = p
                .source
                .get("document")
                .and_then(|u| u.as_str())
                .is_some_and(|d| !d.trim().is_empty());
            if !has_document || (p.status != "assumption" && !has_url) {
                return Err(invalid(
                    id,
                    format!(
                        "{name}: source needs a document (and a URL unless it is an assumption)"
                    ),
                ));
            }
            if !used.contains(name) {
                return Err(invalid(
                    id,
                    format!("parameter {name} is not used by the costing"),
                ));
            }
        }
        Ok(())
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
                let mut near: Vec<(f64, &String)> = self
                    .parameters
                    .keys()
                    .map(|k| (strsim::jaro_winkler(name, k), k))
                    .collect();
                near.sort_by(|a, b| b.0.total_cmp(&a.0));
                ProposalError::Input(format!(
                    "--set {name}: {} has no parameter '{name}'{}; its parameters are {}",
                    self.id,
                    near.first()
                        .filter(|(s, _)| *s > 0.8)
                        .map(|(_, k)| format!(" (did you mean {k}?)"))
                        .unwrap_or_default(),
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

    /// The reform text with the parameter values filled in (`method: reform`).
    pub fn reform_text(&self, values: &BTreeMap<String, f64>) -> String {
        let mut t = self.reform.clone().unwrap_or_default();
        for (k, v) in values {
            t = t.replace(&format!("{{{k}}}"), &format!("{v}"));
        }
        t
    }

    /// Evaluates the lines (`method: lines`) over financial years like "2024-25": zero outside
    /// each line's start..end.
    pub fn evaluate_lines(
        &self,
        values: &BTreeMap<String, f64>,
        years: &[String],
    ) -> Result<Vec<EvaluatedLine>, ProposalError> {
        self.lines
            .iter()
            .map(|l| {
                let e = l.parse().map_err(|m| invalid(&self.id, m))?;
                let start = fy_start(&l.start).unwrap_or(i32::MAX);
                let end = l.end.as_deref().and_then(fy_start).unwrap_or(i32::MAX);
                let sign = l.kind.balance_sign();
                let mut amount_bn = Vec::with_capacity(years.len());
                for y in years {
                    let yy = fy_start(y).ok_or_else(|| {
                        ProposalError::Input(format!("'{y}' is not a financial year like 2025-26"))
                    })?;
                    if yy < start || yy > end {
                        amount_bn.push(0.0);
                        continue;
                    }
                    let t = f64::from(yy - start);
                    let x = e
                        .eval(&|v| {
                            if v == "t" {
                                Some(t)
                            } else {
                                values.get(v).copied()
                            }
                        })
                        .ok()
                        .filter(|x| x.is_finite())
                        .ok_or_else(|| {
                            ProposalError::Input(format!(
                                "{}: line '{}' is not a finite number in {y} with these parameters",
                                self.id, l.name.en
                            ))
                        })?;
                    amount_bn.push(x);
                }
                // `+ 0.0` turns -0.0 into 0.0 for display.
                let effect_bn = amount_bn.iter().map(|x| sign * x + 0.0).collect();
                Ok(EvaluatedLine {
                    name: l.name.clone(),
                    kind: l.kind,
                    head: l.head.clone(),
                    amount_bn,
                    effect_bn,
                })
            })
            .collect()
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

    fn years() -> Vec<String> {
        (2024..2029)
            .map(|y| format!("{y}-{:02}", (y + 1) % 100))
            .collect()
    }

    fn get(all: &[Costing], id: &str) -> Costing {
        all.iter()
            .find(|c| c.id == id)
            .cloned()
            .unwrap_or_else(|| panic!("no costing for {id}"))
    }

    fn central_effect(c: &Costing, overrides: &[(String, f64)]) -> Vec<f64> {
        effect(c, Setting::Central, overrides)
    }

    fn effect(c: &Costing, setting: Setting, overrides: &[(String, f64)]) -> Vec<f64> {
        let v = c
            .values(setting, overrides)
            .unwrap_or_else(|e| panic!("{e}"));
        let lines = c
            .evaluate_lines(&v, &years())
            .unwrap_or_else(|e| panic!("{e}"));
        (0..5)
            .map(|t| lines.iter().map(|l| l.effect_bn[t]).sum())
            .collect()
    }

    #[test]
    fn every_quantifiable_leaf_has_a_costing_and_every_setting_runs() {
        let all = Costing::all().unwrap_or_else(|e| panic!("{e}"));
        let cat = Catalogue::embedded().unwrap_or_else(|e| panic!("{e}"));
        for p in cat.leaves().filter(|p| p.quantifiable != "no") {
            let c = get(&all, &p.id);
            if c.method != "lines" {
                continue;
            }
            for setting in Setting::ALL {
                let v = c.values(setting, &[]).unwrap_or_else(|e| panic!("{e}"));
                let lines = c
                    .evaluate_lines(&v, &years())
                    .unwrap_or_else(|e| panic!("{e}"));
                for l in &lines {
                    assert_eq!(l.effect_bn.len(), 5, "{}", p.id);
                    assert!(l.effect_bn.iter().all(|x| x.is_finite()), "{}", p.id);
                }
            }
            // A costing that is zero in every year at its central setting costs nothing;
            // 5.1(1) is the one exception by design (no expected excess return).
            if p.id != "5.1(1)" {
                assert!(
                    central_effect(&c, &[]).iter().any(|x| x.abs() > 1e-9),
                    "{} is zero at its central setting",
                    p.id
                );
            }
        }
        assert_eq!(all.len(), 49);
    }

    /// Each parameter of every `lines` costing changes the result for some value it may take
    /// (with the others at their central or their low setting): nothing is declared and then
    /// left unused, or wired to a line that can never be non-zero.
    #[test]
    fn every_lines_parameter_is_wired() {
        let all = Costing::all().unwrap_or_else(|e| panic!("{e}"));
        for c in all.iter().filter(|c| c.method == "lines") {
            for (name, p) in &c.parameters {
                let [lo, hi] = p.allowed;
                let changed = [Setting::Central, Setting::Low].iter().any(|s| {
                    let base = effect(c, *s, &[]);
                    [lo, hi, (lo + hi) / 2.0, p.low, p.high, p.value]
                        .iter()
                        .any(|x| {
                            effect(c, *s, &[(name.clone(), *x)])
                                .iter()
                                .zip(&base)
                                .any(|(a, b)| (a - b).abs() > 1e-12)
                        })
                });
                assert!(changed, "{} parameter {name} changes nothing", c.id);
            }
        }
    }

    #[test]
    fn published_anchors_hold() {
        let all = Costing::all().unwrap_or_else(|e| panic!("{e}"));
        // 2025-26 Budget para 231: the 1% cut saved about HK$3.9bn in 2024-25, and the 2% cuts
        // that followed (3% and 5% cumulative) HK$11.7bn and HK$19.5bn.
        let pep = get(&all, "1.5(1)");
        assert!((central_effect(&pep, &[])[0] - 3.9).abs() < 0.05);
        let three = central_effect(&pep, &[("cut_percent_per_year".into(), 1.5)])[1];
        assert!((three - 11.7).abs() < 0.05, "{three}");
        // The REIT proceeds are net operating income sold × the capitalisation multiple,
        // about 12× at the 8.3% HK REIT yield (costing_inputs.csv cap_multiple_per_hkd1bn_noi).
        let reit = get(&all, "1.3(1)");
        let v = reit
            .values(Setting::Central, &[("issuance_cost_share".into(), 0.0)])
            .unwrap_or_else(|e| panic!("{e}"));
        let lines = reit
            .evaluate_lines(&v, &years())
            .unwrap_or_else(|e| panic!("{e}"));
        let multiple = lines[0].amount_bn[1] / -lines[1].amount_bn[1];
        assert!((multiple - 12.0).abs() < 0.1, "{multiple}");
        // Stock duty: one side of a share m of trades waived loses m/2 of the duty; with no
        // induced turnover a 20% share (the HFT share) costs 10% of HK$52.17bn.
        let mm = get(&all, "5.1(2)");
        let e = central_effect(
            &mm,
            &[
                ("market_maker_share".into(), 0.2),
                ("induced_turnover".into(), 0.0),
            ],
        );
        assert!((e[1] + 5.217).abs() < 1e-9, "{e:?}");
        assert_eq!(e[0], 0.0, "the regime starts in 2025-26");
    }

    #[test]
    fn bad_costings_are_refused_on_load() {
        let good = COSTINGS.to_string();
        for (from, to, says) in [
            (
                "amount: \"events_per_year * subsidy_per_event_bn\"",
                "amount: \"events_per_year * subsidy_per_event\"",
                "not a parameter",
            ),
            (
                "amount: \"event_cost_bn * hong_kong_share\"",
                "amount: \"event_cost_bn * (hong_kong_share\"",
                "expected ')'",
            ),
            (
                "amount: \"event_cost_bn * hong_kong_share\"",
                "amount: \"event_cost_bn\"",
                "parameter hong_kong_share is not used",
            ),
            (
                "start: 2025-26\n",
                "start: 2025-27\n",
                "not a financial year",
            ),
            ("kind: expenditure\n", "kind: spending\n", "unknown variant"),
        ] {
            assert!(good.contains(from), "fixture text missing: {from}");
            let e = Costing::parse(&good.replacen(from, to, 1))
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(e.contains(says), "{from} -> {e}");
        }
    }
}

/// The catalogue against the submission itself (`proposals/seed-cgcc-2024-25.txt`, a copy of
/// `shared/seed/000_2613a049f0c29920.txt`): every section and subsection title appears in it,
/// and each subsection has as many items as the submission numbers (1), (2), … under it.
#[cfg(test)]
mod seed_tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    const SEED: &str = include_str!("../../../proposals/seed-cgcc-2024-25.txt");

    fn squeeze(t: &str) -> String {
        t.chars().filter(|c| !c.is_whitespace()).collect()
    }

    #[test]
    fn titles_and_item_counts_match_the_submission() {
        let seed = squeeze(SEED);
        let c = Catalogue::embedded().unwrap_or_else(|e| panic!("{e}"));
        for s in &c.sections {
            assert!(seed.contains(&squeeze(&s.title_zh)), "section {}", s.id);
        }
        // Where each subsection's title sits in the submission.
        let mut starts: Vec<(usize, String)> = Vec::new();
        let mut items: BTreeMap<String, usize> = BTreeMap::new();
        for p in &c.proposals {
            if !starts.iter().any(|(_, id)| *id == p.subsection_id) {
                let at = seed
                    .find(&squeeze(&p.subsection_title_zh))
                    .unwrap_or_else(|| {
                        panic!("subsection {} title not in the seed", p.subsection_id)
                    });
                starts.push((at, p.subsection_id.clone()));
            }
            if p.level == "item" {
                *items.entry(p.subsection_id.clone()).or_default() += 1;
            }
        }
        starts.sort();
        for (k, (at, id)) in starts.iter().enumerate() {
            let end = starts.get(k + 1).map_or(seed.len(), |(e, _)| *e);
            let block = &seed[*at..end];
            // Distinct "(n)" markers in the block.
            let markers: BTreeSet<u32> = block
                .match_indices('(')
                .filter_map(|(i, _)| {
                    let rest = &block[i + 1..];
                    let close = rest.find(')')?;
                    rest[..close].parse().ok()
                })
                .collect();
            assert_eq!(
                markers.len(),
                items.get(id).copied().unwrap_or(0),
                "subsection {id}: the submission numbers {markers:?}"
            );
        }
    }
}
