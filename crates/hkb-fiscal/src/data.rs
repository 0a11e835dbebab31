//! The public-finance series (`data/fiscal/public_finance.csv`, copied from shared/data with its
//! sources): long format, one row per series, year and status.

use crate::error::FiscalError;
use hkb_law::Status;
use serde::Serialize;

pub(crate) const CSV: &str = include_str!("../../../data/fiscal/public_finance.csv");

#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub series: String,
    pub year: String,
    pub value: Option<f64>,
    /// The value as written (ranges such as `95-135` stay here).
    pub value_text: String,
    pub unit: String,
    pub status: Status,
    pub source_url: String,
    pub note: String,
}

#[derive(Clone, Debug)]
pub struct Data {
    pub rows: Vec<Row>,
}

impl Data {
    pub fn embedded() -> Result<Data, FiscalError> {
        let mut rdr = csv::Reader::from_reader(CSV.as_bytes());
        let mut rows = Vec::new();
        for (i, rec) in rdr.records().enumerate() {
            let r = rec.map_err(|e| {
                FiscalError::Data(format!("data/fiscal/public_finance.csv row {}: {e}", i + 2))
            })?;
            let get = |k: usize| r.get(k).unwrap_or("").to_string();
            let status: Status = get(4).parse().map_err(|e| {
                FiscalError::Data(format!("data/fiscal/public_finance.csv row {}: {e}", i + 2))
            })?;
            rows.push(Row {
                series: get(0),
                year: get(1),
                value: get(2).trim().parse().ok(),
                value_text: get(2),
                unit: get(3),
                status,
                source_url: get(5),
                note: get(6),
            });
        }
        Ok(Data { rows })
    }

    /// The first complete row of a series, year and status (rows marked partial are skipped).
    pub fn get(&self, series: &str, year: &str, status: Status) -> Option<&Row> {
        self.rows.iter().find(|r| {
            r.series == series
                && r.year == year
                && r.status == status
                && r.value.is_some()
                && !r.note.to_lowercase().starts_with("partial")
        })
    }

    /// The best available figure: actual, else revised, else estimate.
    pub fn best(&self, series: &str, year: &str) -> Option<&Row> {
        [Status::Actual, Status::Revised, Status::Estimate]
            .into_iter()
            .find_map(|s| self.get(series, year, s))
    }

    pub fn value(&self, series: &str, year: &str, status: Status) -> Result<f64, FiscalError> {
        self.get(series, year, status)
            .and_then(|r| r.value)
            .ok_or_else(|| {
                FiscalError::Data(format!(
                    "no {status} value of {series} for {year} in data/fiscal/public_finance.csv"
                ))
            })
    }
}
