//! # hkb-report — presentation only
//!
//! Turns the engine's typed responses into what people read and download: text tables measured
//! by display width (Chinese aligns), the IRD computation layout, CSV through the `csv` crate
//! (one table per output, a `section` column where rows differ), XLSX workbooks, SVG fan charts
//! and PNG rendered with an embedded CJK font, and docs/VALIDATION.md. Everything writes to an
//! `impl Write` (or returns bytes), in Traditional Chinese or English; nothing here computes a
//! tax, reads the environment or prints on its own.

pub mod bench;
pub mod calc;
pub mod chart;
pub mod fiscal;
pub mod package;
pub mod params;
pub mod proposals;
pub mod sheet;
pub mod society;
pub mod text;
