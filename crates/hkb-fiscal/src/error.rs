//! Errors of the fiscal model.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum FiscalError {
    #[error("fiscal data: {0}")]
    Data(String),
    #[error("{0}")]
    Input(String),
}
