//! Provenance and the response envelope: every response says which engine, which law (by
//! fingerprint), which population and which forecast it came from, and which schema it follows.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The version of every response's shape. A change to a response field is a schema change:
/// bump this, and update the snapshot in `tests/schema.rs` (which fails until you do).
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PopulationProvenance {
    pub persons: usize,
    pub businesses: usize,
    pub seed: u64,
    /// A fingerprint of the population inputs and the law the weights were calibrated under.
    pub inputs_fingerprint: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Provenance {
    /// The engine and its version (`hkbudget 0.1.0`).
    pub engine: String,
    /// SHA-256 over a canonical text of every parameter value in force in the tree used.
    pub law_fingerprint: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population: Option<PopulationProvenance>,
    /// The Medium Range Forecast vintage a fiscal result is built on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vintage: Option<String>,
}

/// Every response: the schema version and provenance beside the body's own fields.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct Response<T> {
    pub schema_version: u32,
    pub provenance: Provenance,
    #[serde(flatten)]
    pub body: T,
}

impl<T> Response<T> {
    pub fn new(provenance: Provenance, body: T) -> Response<T> {
        Response {
            schema_version: SCHEMA_VERSION,
            provenance,
            body,
        }
    }
}
