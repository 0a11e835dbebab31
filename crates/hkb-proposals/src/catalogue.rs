//! The catalogue: every entry of the Chamber's submission with its kind, quantifiability, fiscal
//! weight and the government's response, validated on load.

use crate::error::ProposalError;
use hkb_law::Bilingual;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub(crate) const CATALOGUE: &str = include_str!("../../../proposals/proposals.yaml");
pub(crate) const RESPONSES: &str = include_str!("../../../proposals/responses.yaml");

/// The Budgets whose responses the catalogue tracks, in order, with the speech's date.
pub const BUDGETS: [(&str, &str); 3] = [
    ("2024-25", "2024-02-28"),
    ("2025-26", "2025-02-26"),
    ("2026-27", "2026-02-25"),
];

macro_rules! vocabulary {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal, $en:literal, $zh:literal;)* }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant,)* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }
            pub fn label(self) -> Bilingual {
                match self { $($name::$variant => Bilingual::fixed($en, $zh),)* }
            }
            /// Every allowed value, for messages.
            pub fn allowed() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s.trim())
                    .ok_or_else(|| format!("'{s}' is not one of {}", Self::allowed()))
            }
        }
    };
}

vocabulary! {
    /// Where an entry sits in the submission.
    Level {
        Item = "item", "item", "項目";
        SubsectionLeaf = "subsection_leaf", "subsection without items", "無細項的分節";
        Subsection = "subsection", "heading", "標題";
    }
}

vocabulary! {
    /// What a proposal does to the public finances.
    Kind {
        RevenueMeasure = "revenue_measure", "revenue measure", "收入措施";
        SpendingMeasure = "spending_measure", "spending measure", "開支措施";
        Financing = "financing", "financing", "融資";
        ExpenditureControl = "expenditure_control", "expenditure control", "控制開支";
        RegulatoryOrInstitutional = "regulatory_or_institutional", "regulatory or institutional", "規管或制度";
        Mixed = "mixed", "mixed", "混合";
    }
}

vocabulary! {
    /// Whether a proposal can be costed.
    Quantifiable {
        Yes = "yes", "quantifiable", "可量化";
        Partly = "partly", "partly quantifiable", "部分可量化";
        No = "no", "not quantifiable", "不可量化";
    }
}

vocabulary! {
    /// How the government responded.
    ResponseStatus {
        Implemented = "implemented", "implemented", "已落實";
        PartlyImplemented = "partly_implemented", "partly implemented", "部分落實";
        RelatedAction = "related_action", "related action", "相關措施";
        PreExisting = "pre_existing", "already in place", "早已實行";
        NotAdopted = "not_adopted", "not adopted", "未採納";
        Rejected = "rejected", "rejected", "已拒絕";
        NoEvidenceFound = "no_evidence_found", "no evidence found", "未見相關資料";
    }
}

vocabulary! {
    /// How much a proposal weighs on the budget.
    WeightBand {
        None = "none", "none", "無";
        Low = "low", "low", "低";
        Medium = "medium", "medium", "中";
        High = "high", "high", "高";
        VeryHigh = "very_high", "very high", "極高";
    }
}

impl ResponseStatus {
    /// A status that asserts something happened needs a source; `not_adopted` and
    /// `no_evidence_found` rest on the absence of a measure.
    pub fn needs_source(self) -> bool {
        !matches!(
            self,
            ResponseStatus::NotAdopted | ResponseStatus::NoEvidenceFound
        )
    }
    /// Adopted at least in part, so it may already be in a baseline.
    pub fn adopted(self) -> bool {
        matches!(
            self,
            ResponseStatus::Implemented | ResponseStatus::PartlyImplemented
        )
    }
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FiscalWeight {
    pub band: WeightBand,
    /// The direction of the effect (revenue_loss, spending_increase, financing_inflow …).
    pub direction: String,
    pub rationale: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top10_rank: Option<u32>,
}

/// The government's response as first recorded (the 2024-25 Budget and its follow-up).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Response {
    pub status: ResponseStatus,
    pub timing: String,
    pub summary: String,
    /// URLs of the sources.
    pub sources: Vec<String>,
}

/// How one Budget (and the year up to the next) responded to a proposal.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BudgetResponse {
    /// The Budget's financial year (`2024-25`).
    pub budget: hkb_law::FinancialYear,
    /// The date of the speech, or of the later act that is the evidence.
    pub date: String,
    pub status: ResponseStatus,
    pub summary: Bilingual,
    #[serde(default)]
    pub sources: Vec<hkb_law::Source>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawResponses {
    responses: BTreeMap<String, Vec<BudgetResponse>>,
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
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

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Component {
    pub part: String,
    pub kind: Kind,
    pub quantifiable: Quantifiable,
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Proposal {
    pub id: String,
    pub level: Level,
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
    pub kind: Kind,
    pub quantifiable: Quantifiable,
    pub fiscal_weight: FiscalWeight,
    pub government_response: Response,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<ModelSketch>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<Component>,
    /// The response of each Budget (2024-25, 2025-26, 2026-27), from `proposals/responses.yaml`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub responses: Vec<BudgetResponse>,
}

impl Proposal {
    /// Adopted (in full or in part) by any of the Budgets tracked.
    pub fn adopted_by_any_budget(&self) -> bool {
        self.responses.iter().any(|r| r.status.adopted())
            || self.government_response.status.adopted()
    }
    /// Adopted (in full or in part) by a Budget no later than `budget`: what a baseline of that
    /// vintage can already contain.
    pub fn adopted_by(&self, budget: hkb_law::FinancialYear) -> bool {
        self.government_response.status.adopted()
            || self
                .responses
                .iter()
                .any(|r| r.budget <= budget && r.status.adopted())
    }
    /// The latest Budget's response, if any.
    pub fn latest_response(&self) -> Option<&BudgetResponse> {
        self.responses.last()
    }
    /// A heading overlaps its children: never added into totals.
    pub fn is_leaf(&self) -> bool {
        self.level != Level::Subsection
    }
    /// A short title: the subsection's title for headings and leaf subsections, otherwise the
    /// summary up to its first colon or full stop (never cut mid-word: presentation shortens).
    pub fn title_in(&self, zh: bool) -> String {
        if self.level != Level::Item {
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
        s[..cut].trim().to_string()
    }
    pub fn title(&self) -> Bilingual {
        Bilingual::new(self.title_in(false), self.title_in(true))
    }
    pub fn summary(&self) -> Bilingual {
        Bilingual::new(self.summary_en.clone(), self.summary_zh.clone())
    }
    pub fn section_title(&self) -> Bilingual {
        Bilingual::new(self.section_title_en.clone(), self.section_title_zh.clone())
    }
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct Section {
    pub id: String,
    pub title_zh: String,
    pub title_en: String,
    #[serde(default)]
    pub preamble_summary_zh: Option<String>,
    #[serde(default)]
    pub preamble_summary_en: Option<String>,
    /// The section's subsections as listed in the catalogue file.
    #[serde(default)]
    #[schemars(with = "serde_json::Value")]
    pub subsections: serde_yaml_ng::Value,
}

impl Section {
    pub fn title(&self) -> Bilingual {
        Bilingual::new(self.title_en.clone(), self.title_zh.clone())
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[allow(dead_code)]
    meta: serde_yaml_ng::Value,
    sections: Vec<Section>,
    proposals: Vec<Proposal>,
}

#[derive(Clone, Debug)]
pub struct Catalogue {
    pub sections: Vec<Section>,
    pub proposals: Vec<Proposal>,
}

/// Which proposals to list. Every field narrows the list; unknown sections are refused.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ResponseStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantifiable: Option<Quantifiable>,
    /// Leaves only (headings never add into totals).
    #[serde(default)]
    pub leaves_only: bool,
}

impl Catalogue {
    pub fn embedded() -> Result<Catalogue, ProposalError> {
        let mut c = Catalogue::parse(CATALOGUE)?;
        c.attach_responses(RESPONSES)?;
        Ok(c)
    }

    /// Attaches the response history: every leaf must have one entry per tracked Budget, in
    /// order; a status asserting that something happened needs a source with a URL; the first
    /// Budget's status must agree with the catalogue's `government_response`.
    pub fn attach_responses(&mut self, text: &str) -> Result<(), ProposalError> {
        let bad = |id: &str, m: String| {
            ProposalError::Invalid(format!("proposals/responses.yaml: {id}: {m}"))
        };
        let raw: RawResponses = serde_yaml_ng::from_str(text)
            .map_err(|e| ProposalError::Invalid(format!("proposals/responses.yaml: {e}")))?;
        for id in raw.responses.keys() {
            if !self.proposals.iter().any(|p| &p.id == id && p.is_leaf()) {
                return Err(bad(id, "not a leaf proposal of the catalogue".into()));
            }
        }
        for p in self
            .proposals
            .iter_mut()
            .filter(|p| p.level != Level::Subsection)
        {
            let list = raw
                .responses
                .get(&p.id)
                .ok_or_else(|| bad(&p.id, "no response history".into()))?;
            let budgets: Vec<String> = list.iter().map(|r| r.budget.to_string()).collect();
            let want: Vec<String> = BUDGETS.iter().map(|(b, _)| b.to_string()).collect();
            if budgets != want {
                return Err(bad(
                    &p.id,
                    format!("budgets {budgets:?}, expected {want:?}"),
                ));
            }
            for r in list {
                if !r.summary.is_complete() {
                    return Err(bad(&p.id, format!("{}: summary needs en and zh", r.budget)));
                }
                if r.status.needs_source()
                    && (r.sources.is_empty()
                        || r.sources
                            .iter()
                            .any(|s| !s.has_url() || s.document.trim().is_empty()))
                {
                    return Err(bad(
                        &p.id,
                        format!(
                            "{}: status {} needs sources with a document and URL",
                            r.budget, r.status
                        ),
                    ));
                }
            }
            if list[0].status != p.government_response.status {
                return Err(bad(
                    &p.id,
                    format!(
                        "2024-25 status {} differs from the catalogue's {}",
                        list[0].status, p.government_response.status
                    ),
                ));
            }
            p.responses = list.clone();
        }
        Ok(())
    }

    pub fn parse(text: &str) -> Result<Catalogue, ProposalError> {
        let raw: Raw =
            serde_yaml_ng::from_str(text).map_err(|e| ProposalError::Invalid(e.to_string()))?;
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
            if p.government_response.sources.is_empty()
                && p.government_response.status.needs_source()
            {
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
            if p.level == Level::Subsection && p.children.is_empty() {
                return bad(&p.id, "a heading must list its children".into());
            }
            if p.quantifiable != Quantifiable::No && p.model.is_none() && p.is_leaf() {
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

    /// One proposal by id, or an error suggesting the nearest ids.
    pub fn get(&self, id: &str) -> Result<&Proposal, ProposalError> {
        self.proposals.iter().find(|p| p.id == id).ok_or_else(|| {
            let hints = hkb_law::closest(id, self.proposals.iter().map(|p| p.id.as_str()));
            ProposalError::input(
                "",
                format!(
                    "unknown proposal id '{id}'{}",
                    if hints.is_empty() {
                        String::new()
                    } else {
                        format!("; did you mean {}?", hints.join(", "))
                    }
                ),
                format!(
                    "沒有編號為「{id}」的建議{}",
                    if hints.is_empty() {
                        String::new()
                    } else {
                        format!("；是否指 {}？", hints.join("、"))
                    }
                ),
            )
        })
    }

    pub fn leaves(&self) -> impl Iterator<Item = &Proposal> {
        self.proposals.iter().filter(|p| p.is_leaf())
    }

    /// The proposals a filter selects, in catalogue order.
    pub fn select(&self, f: &Filter) -> Result<Vec<&Proposal>, ProposalError> {
        if let Some(s) = &f.section
            && !self.sections.iter().any(|x| &x.id == s)
        {
            return Err(ProposalError::input(
                "/section",
                format!("'{s}' is not a section (1 to {})", self.sections.len()),
                format!("「{s}」並非章節（1至{}）", self.sections.len()),
            ));
        }
        Ok(self
            .proposals
            .iter()
            .filter(|p| !f.leaves_only || p.is_leaf())
            .filter(|p| f.section.as_ref().is_none_or(|s| &p.section_id == s))
            .filter(|p| f.kind.is_none_or(|k| p.kind == k))
            .filter(|p| f.quantifiable.is_none_or(|q| p.quantifiable == q))
            .filter(|p| f.status.is_none_or(|s| p.government_response.status == s))
            .collect())
    }

    /// Counts and ids of leaf proposals by section, kind and government response.
    pub fn scorecard(&self) -> Scorecard {
        let mut s = Scorecard {
            leaves: self.leaves().count(),
            headings: self.proposals.len() - self.leaves().count(),
            ..Scorecard::default()
        };
        for p in self.leaves() {
            s.by_section
                .entry(p.section_id.clone())
                .or_default()
                .push(p.id.clone());
            s.by_kind.entry(p.kind).or_default().push(p.id.clone());
            s.by_status
                .entry(p.government_response.status)
                .or_default()
                .push(p.id.clone());
            s.by_quantifiable
                .entry(p.quantifiable)
                .or_default()
                .push(p.id.clone());
            s.responses
                .insert(p.id.clone(), p.government_response.clone());
            s.history.insert(p.id.clone(), p.responses.clone());
            for r in &p.responses {
                *s.by_status_per_budget
                    .entry(r.budget.to_string())
                    .or_default()
                    .entry(r.status)
                    .or_default() += 1;
            }
        }
        s
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct Scorecard {
    pub leaves: usize,
    pub headings: usize,
    pub by_section: BTreeMap<String, Vec<String>>,
    pub by_kind: BTreeMap<Kind, Vec<String>>,
    pub by_status: BTreeMap<ResponseStatus, Vec<String>>,
    pub by_quantifiable: BTreeMap<Quantifiable, Vec<String>>,
    /// Each leaf's government response as first recorded: status, timing, summary and sources.
    pub responses: BTreeMap<String, Response>,
    /// Each leaf's response Budget by Budget (2024-25, 2025-26, 2026-27), dated, with sources.
    pub history: BTreeMap<String, Vec<BudgetResponse>>,
    /// Counts of leaves by status, for each Budget.
    pub by_status_per_budget: BTreeMap<String, BTreeMap<ResponseStatus, usize>>,
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
        assert_eq!(
            s.by_quantifiable.get(&Quantifiable::Yes).map(Vec::len),
            Some(17)
        );
        assert_eq!(
            s.by_quantifiable.get(&Quantifiable::Partly).map(Vec::len),
            Some(32)
        );
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
        let bad_kind = good.replacen("  kind: financing\n", "  kind: loans\n", 1);
        assert!(
            Catalogue::parse(&bad_kind)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
                .contains("unknown variant `loans`")
        );
        let no_zh = good.replacen(
            "  summary_zh: 大型工程",
            "  summary_zh: ''\n  x_summary_zh: 大型工程",
            1,
        );
        assert!(Catalogue::parse(&no_zh).is_err());
        let c = Catalogue::embedded().unwrap_or_else(|e| panic!("{e}"));
        let e = c
            .get("2.1(9)")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("did you mean") && e.contains("2.1("), "{e}");
    }

    #[test]
    fn every_leaf_has_a_response_for_each_of_three_budgets() {
        let c = Catalogue::embedded().unwrap_or_else(|e| panic!("{e}"));
        for p in c.leaves() {
            assert_eq!(p.responses.len(), 3, "{}", p.id);
        }
        let s = c.scorecard();
        for (b, _) in BUDGETS {
            let n: usize = s
                .by_status_per_budget
                .get(b)
                .map_or(0, |m| m.values().sum());
            assert_eq!(n, 76, "{b}");
        }
        let mut broken = CATALOGUE.to_string();
        broken.push('\n');
        let mut cat = Catalogue::parse(&broken).unwrap_or_else(|e| panic!("{e}"));
        let bad = RESPONSES.replacen("budget: \"2026-27\"", "budget: \"2027-28\"", 1);
        assert!(cat.attach_responses(&bad).is_err());
    }

    #[test]
    fn every_leaf_has_both_languages_and_titles() {
        let c = Catalogue::embedded().unwrap_or_else(|e| panic!("{e}"));
        for p in c.leaves() {
            assert!(p.title().is_complete(), "{}", p.id);
        }
    }

    #[test]
    fn filters_select_and_unknown_sections_are_refused() {
        let c = Catalogue::embedded().unwrap_or_else(|e| panic!("{e}"));
        let f = Filter {
            section: Some("2".into()),
            leaves_only: true,
            ..Filter::default()
        };
        let two = c.select(&f).unwrap_or_else(|e| panic!("{e}"));
        assert!(!two.is_empty() && two.iter().all(|p| p.section_id == "2" && p.is_leaf()));
        let f = Filter {
            kind: Some(Kind::RevenueMeasure),
            leaves_only: true,
            ..Filter::default()
        };
        let rev = c.select(&f).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            Some(rev.len()),
            c.scorecard()
                .by_kind
                .get(&Kind::RevenueMeasure)
                .map(Vec::len)
        );
        let bad = Filter {
            section: Some("9".into()),
            ..Filter::default()
        };
        assert!(c.select(&bad).is_err());
    }
}
