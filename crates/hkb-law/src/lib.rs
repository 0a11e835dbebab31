//! # hkb-law — Hong Kong tax law as dated, cited data
//!
//! The law lives in `params/` at the repository root: one YAML file per parameter node, each with
//! bilingual labels, a unit, legal references and dated values, every value with its source and
//! status. This crate loads that tree (embedded in the binary, or from a directory), validates it
//! (unknown keys, missing labels, overlapping periods and wrong units are errors naming file and
//! line), applies reforms (plain data mapping parameter paths to dated values) and resolves any
//! instant into typed structs so that no calculation touches a string.
//!
//! It also owns the exact money and rate types used by every calculator.

pub mod error;
pub mod money;
pub mod period;
pub mod reform;
pub mod resolve;
pub mod text;
pub mod tree;
pub mod typed;
pub mod value;

pub use error::LawError;
pub use money::{Money, Precise, Rate};
pub use period::{FinancialYear, PeriodKind, YearOfAssessment};
pub use reform::{BehaviourOverrides, Reform, ReformSpec};
pub use resolve::{ParamSet, Resolved};
pub use text::{
    Bilingual, Lang, Source, Status, bilingual_or_text, closest, opt_bilingual_or_text,
};
pub use tree::{Law, Node, Reviewed};
pub use typed::{
    ProfitsTaxParams, PropertyTaxParams, RatesParams, SalariesTaxParams, StampDutyParams,
    YearParams, paths, transaction_history, transaction_paths,
};
pub use value::{Band, Charge, DutyBand, ParamValue, Tier, Unit};

/// The parameter tree compiled into the binary (`params/` at the repository root).
pub(crate) static EMBEDDED_PARAMS: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/../../params");
