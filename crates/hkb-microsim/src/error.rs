//! Errors of the microsimulation; each says what is wrong and what to do.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum SimError {
    #[error("population data: {0}")]
    Data(String),
    #[error(transparent)]
    Law(#[from] hkb_law::LawError),
    #[error("population file {file}: {message}")]
    Store { file: String, message: String },
    #[error("calibration did not converge for {what}: {message}")]
    Calibration { what: String, message: String },
    /// A value the caller gave is not allowed: the field (a JSON pointer into the request) and
    /// why, in English and Chinese.
    #[error("{}: {en}", field.trim_start_matches('/').replace('/', "."))]
    Input {
        field: String,
        en: String,
        zh: String,
    },
}
