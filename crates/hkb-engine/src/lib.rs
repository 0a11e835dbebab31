//! # hkb-engine — the product's API
//!
//! Everything hkbudget does, as typed requests and responses over one [`Lab`] that holds the
//! loaded world once: the law, the Chamber's catalogue and costings, the public-finance data with
//! its baselines and Monte Carlo drivers, and the populations. The command line, the HTTP server
//! and the Python binding call exactly these functions and contain no costing arithmetic.
//!
//! - `calc`: household, business and property calculators, explained, with comparisons;
//! - `params`: the law as data; `proposals`: the catalogue and scorecard;
//! - `society`: populations, their checks, baseline and reform runs;
//! - `costing`: a proposal's costing, and the one reform → fiscal-lines rule;
//! - `package`: packages evaluated and compared; `project`: the projection with risk;
//! - `bench`: timings of the hot paths.
//!
//! Invariants: every response carries [`SCHEMA_VERSION`] and a [`Provenance`]; every text a user
//! reads is [`hkb_law::Bilingual`]; every error is one [`EngineError`] naming the field (a JSON
//! pointer into the request); limits live in [`Limits`]; nothing here prints or reads the
//! environment (the cache folder and a progress callback are passed in).

pub mod bench;
pub mod calc;
pub mod costing;
pub mod error;
pub mod explain;
pub mod input;
pub mod lab;
pub mod package;
pub mod params;
pub mod project;
pub mod proposals;
pub mod provenance;
pub mod shipped;
pub mod society;

pub use error::{EngineError, ErrorCode};
pub use lab::{Lab, LabOptions, Limits, Progress, ProgressEvent, quiet};
pub use provenance::{Provenance, Response, SCHEMA_VERSION};

/// The crates the engine is built on, for callers that need their types.
pub use hkb_fiscal as fiscal;
pub use hkb_law as law;
pub use hkb_microsim as microsim;
pub use hkb_proposals as catalogue;
pub use hkb_rules as rules;
