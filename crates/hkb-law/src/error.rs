//! Errors of the law crate; each names the file or field at fault and what is allowed.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum LawError {
    #[error("{file}: {message}")]
    Io { file: String, message: String },
    #[error("{file}, line {line}: {message}")]
    Invalid {
        file: String,
        line: usize,
        message: String,
    },
    #[error("reform {origin}: {message}")]
    Reform {
        origin: String,
        /// The change (parameter path as written in the reform) at fault, if one is.
        path: Option<String>,
        message: String,
    },
    #[error("parameter '{path}' has no value in force for {when}{hint}")]
    NoValue {
        path: String,
        when: String,
        hint: String,
    },
    #[error("parameter '{path}' has unit {found} where the rules expect {expected}")]
    WrongKind {
        path: String,
        expected: &'static str,
        found: String,
    },
    #[error("unsupported year of assessment {year}: supported years are {supported}")]
    UnsupportedYear { year: String, supported: String },
}
