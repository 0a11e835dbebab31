//! The law as data: every parameter in force at an instant, one node with its full history, and
//! search.

use crate::error::EngineError;
use crate::lab::Lab;
use crate::provenance::Response;
use hkb_law::{Bilingual, Node, PeriodKind, Status, Unit, YearOfAssessment};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One parameter as in force at an instant.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct ParamSummary {
    pub path: String,
    pub label: Bilingual,
    pub unit: Unit,
    pub period: PeriodKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The value in force, in the shape its `unit` gives (a number, a list of bands…).
    pub value: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    pub reference: Bilingual,
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct ParamList {
    /// The year of assessment whose first day the values are in force on.
    pub year: YearOfAssessment,
    pub at: String,
    pub parameters: Vec<ParamSummary>,
}

/// One node of the law with its full dated history.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct ParamDetail {
    #[serde(flatten)]
    pub node: Node,
    pub unit_label: Bilingual,
    pub period_label: Bilingual,
    pub reference: Bilingual,
}

impl Lab {
    /// Every parameter in force on the first day of a year of assessment (default: the latest
    /// supported), optionally only those whose path or label contains `search`.
    pub fn params(
        &self,
        year: Option<YearOfAssessment>,
        search: Option<&str>,
    ) -> Result<Response<ParamList>, EngineError> {
        let year = match year {
            Some(y) => self.supported_year(y, "/year")?,
            None => YearOfAssessment(hkb_law::period::LAST_SUPPORTED_YA),
        };
        let at = year.start_instant();
        let q = search
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty());
        let parameters = self
            .law()
            .nodes()
            .filter(|n| {
                q.as_ref().is_none_or(|q| {
                    n.path.to_lowercase().contains(q)
                        || n.label.en.to_lowercase().contains(q)
                        || n.label.zh.contains(q.as_str())
                })
            })
            .map(|n| {
                let cur = n.value_at(at);
                ParamSummary {
                    path: n.path.clone(),
                    label: n.label.clone(),
                    unit: n.unit,
                    period: n.period,
                    value: cur.and_then(|d| serde_json::to_value(&d.value).ok()),
                    value_text: cur.map(|d| d.value.to_string()),
                    status: cur.map(|d| d.status),
                    reference: n.citation_bilingual(),
                }
            })
            .collect();
        Ok(Response::new(
            self.provenance(None, None),
            ParamList {
                year,
                at: at.date().to_string(),
                parameters,
            },
        ))
    }

    /// One parameter: labels, description, references and its full dated history.
    pub fn param(&self, path: &str) -> Result<Response<ParamDetail>, EngineError> {
        let Some(n) = self.law().node(path) else {
            let hints = self.law().suggest(path);
            return Err(if hints.is_empty() {
                EngineError::not_found(
                    "/path",
                    format!("unknown parameter '{path}'"),
                    format!("沒有參數「{path}」"),
                )
            } else {
                EngineError::not_found(
                    "/path",
                    format!(
                        "unknown parameter '{path}'; did you mean {}?",
                        hints.join(" or ")
                    ),
                    format!("沒有參數「{path}」；是否指 {}？", hints.join("或")),
                )
                .with_allowed(hints.join(", "))
            });
        };
        Ok(Response::new(
            self.provenance(None, None),
            ParamDetail {
                node: n.clone(),
                unit_label: n.unit.label(),
                period_label: n.period.label(),
                reference: n.citation_bilingual(),
            },
        ))
    }
}
