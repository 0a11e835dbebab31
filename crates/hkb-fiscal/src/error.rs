//! Errors of the fiscal model.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum FiscalError {
    #[error("fiscal data: {0}")]
    Data(String),
    /// A value the caller gave is not allowed: the field (a JSON pointer into the request) and
    /// why, in English and Chinese.
    #[error("{}: {en}", field.trim_start_matches('/').replace('/', "."))]
    Input {
        field: String,
        en: String,
        zh: String,
    },
}

impl FiscalError {
    pub fn input(field: impl Into<String>, en: impl Into<String>, zh: impl Into<String>) -> Self {
        FiscalError::Input {
            field: field.into(),
            en: en.into(),
            zh: zh.into(),
        }
    }
}
