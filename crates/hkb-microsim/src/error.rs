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
    #[error("{0}")]
    Input(String),
}
