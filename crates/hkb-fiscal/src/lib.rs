//! # hkb-fiscal — fiscal projection and risk
//!
//! The consolidated accounts (revenue by head, expenditure, bond flows, the balance before and
//! after bonds, fiscal reserves and reserves in months of expenditure) from the published history,
//! the 2024-25 and 2025-26 Budgets' Medium Range Forecasts as baselines (published figures as they
//! are, derived lines labelled), scenarios from packages, and Monte Carlo risk by a bootstrap of
//! historical driver years, with fan charts and probability statements. The identity
//! reserves(end) = reserves(start) + balance after bonds holds exactly on every projected path.

pub mod accounts;
pub mod data;
pub mod error;
pub mod montecarlo;
pub mod package;
pub mod vintage;

pub use error::FiscalError;

/// Numbers that may be missing: a missing figure is NaN in memory and `null` in JSON (which is
/// how serde_json writes a NaN); these read `null` back as NaN.
pub(crate) mod nullable {
    use serde::{Deserialize, Deserializer};

    pub fn vec<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        let v: Vec<Option<f64>> = Vec::deserialize(d)?;
        Ok(v.into_iter().map(|x| x.unwrap_or(f64::NAN)).collect())
    }

    pub fn one<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
    }
}
