//! # hkb-rules — exact Hong Kong tax calculators
//!
//! Salaries tax and personal assessment (every lawful option for a household, the cheapest
//! recommended), profits tax, property tax, stamp duties on property and stock, and rates, computed in exact integer arithmetic from the
//! typed parameters of `hkb-law`, each result with an IRD-style step-by-step trace.
//! Rounding rules are documented where they are applied, with their sources.

pub mod batch;
pub mod input;
pub mod profits;
pub mod property;
pub mod rates;
pub mod salaries;
pub mod schedule;
pub mod stamp;
pub mod trace;

pub use input::{Assessment, Business, Entity, LetProperty, Person, Situation};
pub use profits::{ProfitsResult, one_off_reduction, profits_tax};
pub use property::{PropertyResult, property_tax};
pub use salaries::{
    HouseholdResult, OptionResult, RulesError, assess_household, progressive_tax, standard_tax,
};
pub use trace::{Step, Trace};
