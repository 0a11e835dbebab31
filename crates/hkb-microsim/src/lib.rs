//! # hkb-microsim — society-wide microsimulation
//!
//! Synthetic, weighted populations of earners, businesses, residential and non-residential
//! property deals and stock turnover, generated deterministically from a seed and from the
//! published figures in `data/population/sources.yaml` (each with its source), calibrated with
//! bounded weights to the published totals of each year of assessment, stored as Arrow IPC and
//! held in memory as columns. Reform runs apply the exact rules of `hkb-rules` to every record (never a second
//! implementation of a tax), in parallel, and report revenue, affected counts, income deciles,
//! the top 1% and behavioural responses whose sources are cited.

pub mod behaviour;
pub mod business;
pub mod calibrate;
pub mod collections;
pub mod error;
pub mod households;
pub mod model;
pub mod persons;
pub mod property;
pub mod rates;
pub mod salaries;
pub mod society;
pub mod sources;
pub mod stock;
pub mod store;

pub use error::SimError;
pub use model::{BuildSpec, CheckRow, Model};
