//! The Chamber's proposals: list with filters, one in full with its costing, the scorecard.

use crate::error::EngineError;
use crate::lab::Lab;
use crate::provenance::Response;
use hkb_law::Bilingual;
use hkb_proposals::{
    Costing, Filter, Kind, Level, Method, Proposal, Quantifiable, ResponseStatus, Scorecard,
    WeightBand,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One line of the proposals list.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct ProposalSummary {
    pub id: String,
    pub level: Level,
    /// False for headings (which never add into totals).
    pub leaf: bool,
    pub section: String,
    pub kind: Kind,
    pub quantifiable: Quantifiable,
    /// The response as first catalogued (the 2024-25 Budget and the year after it).
    pub status: ResponseStatus,
    /// The status each Budget gave it, oldest first (2024-25, 2025-26, 2026-27).
    pub history: Vec<BudgetStatus>,
    /// The latest Budget's status (the last of `history`, or `status` without a history).
    pub latest_status: ResponseStatus,
    pub title: Bilingual,
    pub summary: Bilingual,
    pub fiscal_weight: WeightBand,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub costing_method: Option<Method>,
}

/// One Budget's status for a proposal.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct BudgetStatus {
    pub budget: hkb_law::FinancialYear,
    pub status: ResponseStatus,
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct ProposalList {
    pub filter: Filter,
    pub proposals: Vec<ProposalSummary>,
}

/// One proposal in full, with its costing model.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct ProposalDetail {
    #[serde(flatten)]
    pub proposal: Proposal,
    pub title: Bilingual,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub costing: Option<Costing>,
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct ScorecardResult {
    #[serde(flatten)]
    pub scorecard: Scorecard,
    /// Section titles by section id.
    pub sections: std::collections::BTreeMap<String, Bilingual>,
    /// Each leaf's short title by id.
    pub titles: std::collections::BTreeMap<String, Bilingual>,
}

impl Lab {
    fn summary(&self, p: &Proposal) -> ProposalSummary {
        ProposalSummary {
            id: p.id.clone(),
            level: p.level,
            leaf: p.is_leaf(),
            section: p.section_id.clone(),
            kind: p.kind,
            quantifiable: p.quantifiable,
            status: p.government_response.status,
            history: p
                .responses
                .iter()
                .map(|r| BudgetStatus {
                    budget: r.budget,
                    status: r.status,
                })
                .collect(),
            latest_status: p
                .latest_response()
                .map_or(p.government_response.status, |r| r.status),
            title: p.title(),
            summary: p.summary(),
            fiscal_weight: p.fiscal_weight.band,
            costing_method: self
                .costings()
                .iter()
                .find(|c| c.id == p.id)
                .map(|c| c.method),
        }
    }

    pub fn proposals(&self, filter: &Filter) -> Result<Response<ProposalList>, EngineError> {
        let rows = self.catalogue().select(filter)?;
        Ok(Response::new(
            self.provenance(None, None),
            ProposalList {
                filter: filter.clone(),
                proposals: rows.into_iter().map(|p| self.summary(p)).collect(),
            },
        ))
    }

    pub fn proposal(&self, id: &str) -> Result<Response<ProposalDetail>, EngineError> {
        let p = self
            .catalogue()
            .get(id)
            .map_err(|e| EngineError::from(e).under("/id"))?;
        Ok(Response::new(
            self.provenance(None, None),
            ProposalDetail {
                proposal: p.clone(),
                title: p.title(),
                costing: self.costings().iter().find(|c| c.id == p.id).cloned(),
            },
        ))
    }

    pub fn scorecard(&self) -> Response<ScorecardResult> {
        Response::new(
            self.provenance(None, None),
            ScorecardResult {
                scorecard: self.catalogue().scorecard(),
                sections: self
                    .catalogue()
                    .sections
                    .iter()
                    .map(|s| (s.id.clone(), s.title()))
                    .collect(),
                titles: self
                    .catalogue()
                    .leaves()
                    .map(|p| (p.id.clone(), p.title()))
                    .collect(),
            },
        )
    }
}
