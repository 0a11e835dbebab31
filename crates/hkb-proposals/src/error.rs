//! Errors of the proposals crate.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum ProposalError {
    /// The shipped catalogue or costings do not hold together (a bug in the data files).
    #[error("proposals data: {0}")]
    Invalid(String),
    /// What the caller gave is not allowed: the field (a JSON pointer relative to what was
    /// checked — a costing, an override list — that callers prefix with where it sits in their
    /// request), why in English and Chinese, and the allowed values where there is a list.
    #[error("{}{en}", if field.is_empty() { String::new() } else { format!("{}: ", field.trim_start_matches('/').replace('/', ".")) })]
    Input {
        field: String,
        en: String,
        zh: String,
        allowed: Option<String>,
    },
}

impl ProposalError {
    pub fn input(field: impl Into<String>, en: impl Into<String>, zh: impl Into<String>) -> Self {
        ProposalError::Input {
            field: field.into(),
            en: en.into(),
            zh: zh.into(),
            allowed: None,
        }
    }
    /// The same error with its field placed under `prefix` (a JSON pointer).
    pub fn under(self, prefix: &str) -> Self {
        match self {
            ProposalError::Input {
                field,
                en,
                zh,
                allowed,
            } => ProposalError::Input {
                field: format!("{prefix}{field}"),
                en,
                zh,
                allowed,
            },
            other => other,
        }
    }
}
