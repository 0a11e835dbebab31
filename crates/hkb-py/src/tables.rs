//! The society-wide result's tables as Arrow IPC streams, built column by column from the
//! engine's typed result: pandas reads them through pyarrow without a row-by-row copy. Values
//! are the engine's own (HK$ a year, weighted counts, shares); nothing is computed here.

use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray, UInt8Array};
use arrow_ipc::writer::StreamWriter;
use arrow_schema::{ArrowError, Field, Schema};
use hkb_microsim::society::RunResult;
use std::sync::Arc;

fn stream(columns: Vec<(&str, ArrayRef)>) -> Result<Vec<u8>, ArrowError> {
    let schema = Arc::new(Schema::new(
        columns
            .iter()
            .map(|(name, a)| Field::new(*name, a.data_type().clone(), true))
            .collect::<Vec<_>>(),
    ));
    let batch = RecordBatch::try_new(
        schema.clone(),
        columns.into_iter().map(|(_, a)| a).collect(),
    )?;
    let mut out = Vec::new();
    {
        let mut w = StreamWriter::try_new(&mut out, &schema)?;
        w.write(&batch)?;
        w.finish()?;
    }
    Ok(out)
}

fn f64s(v: impl Iterator<Item = f64>) -> ArrayRef {
    Arc::new(Float64Array::from_iter_values(v))
}

/// Revenue by tax: one row per tax head the model runs.
pub fn revenue(run: &RunResult) -> Result<Vec<u8>, ArrowError> {
    let kinds: Vec<String> = run
        .taxes
        .keys()
        .map(|k| {
            serde_json::to_value(k)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        })
        .collect();
    let rows: Vec<_> = run.taxes.values().collect();
    stream(vec![
        ("tax", Arc::new(StringArray::from(kinds)) as ArrayRef),
        ("baseline", f64s(rows.iter().map(|r| r.baseline))),
        ("reform", f64s(rows.iter().map(|r| r.reform))),
        ("change", f64s(rows.iter().map(|r| r.change))),
        (
            "change_with_behaviour",
            f64s(rows.iter().map(|r| r.change_with_behaviour)),
        ),
        ("affected", f64s(rows.iter().map(|r| r.affected))),
        (
            "payers",
            Arc::new(Float64Array::from(
                rows.iter().map(|r| r.payers).collect::<Vec<_>>(),
            )) as ArrayRef,
        ),
    ])
}

/// Salaries tax by decile of employment income; the last row (decile null) is the top 1%.
pub fn deciles(run: &RunResult) -> Result<Vec<u8>, ArrowError> {
    let rows: Vec<_> = run
        .deciles
        .iter()
        .chain(std::iter::once(&run.top1))
        .collect();
    let label: Vec<String> = rows
        .iter()
        .map(|r| match r.decile {
            Some(d) => format!("D{d}"),
            None => "top 1%".to_string(),
        })
        .collect();
    stream(vec![
        ("group", Arc::new(StringArray::from(label)) as ArrayRef),
        (
            "decile",
            Arc::new(UInt8Array::from(
                rows.iter().map(|r| r.decile).collect::<Vec<_>>(),
            )) as ArrayRef,
        ),
        ("persons", f64s(rows.iter().map(|r| r.persons))),
        ("mean_income", f64s(rows.iter().map(|r| r.mean_income))),
        ("baseline_tax", f64s(rows.iter().map(|r| r.baseline_tax))),
        ("reform_tax", f64s(rows.iter().map(|r| r.reform_tax))),
        ("avg_change", f64s(rows.iter().map(|r| r.avg_change))),
        (
            "change_pct_of_income",
            f64s(rows.iter().map(|r| r.change_pct_of_income)),
        ),
        ("winners_share", f64s(rows.iter().map(|r| r.winners_share))),
        ("losers_share", f64s(rows.iter().map(|r| r.losers_share))),
    ])
}

/// Winners and losers by decile (shares of the decile's earners whose salaries tax falls or rises).
pub fn winners_losers(run: &RunResult) -> Result<Vec<u8>, ArrowError> {
    let rows: Vec<_> = run
        .deciles
        .iter()
        .chain(std::iter::once(&run.top1))
        .collect();
    stream(vec![
        (
            "decile",
            Arc::new(UInt8Array::from(
                rows.iter().map(|r| r.decile).collect::<Vec<_>>(),
            )) as ArrayRef,
        ),
        ("persons", f64s(rows.iter().map(|r| r.persons))),
        ("winners_share", f64s(rows.iter().map(|r| r.winners_share))),
        ("losers_share", f64s(rows.iter().map(|r| r.losers_share))),
    ])
}
