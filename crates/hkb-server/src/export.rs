//! Downloads: the tables behind the lab's pages as CSV (with a byte order mark, so spreadsheet
//! programs read the Chinese) and XLSX, written by `hkb-report` — the same files the command
//! line writes.

use crate::AppState;
use crate::api::with_population;
use crate::body::Body;
use crate::error::{ApiError, ApiErrorCode};
use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use hkb_engine::calc::YearCalc;
use hkb_engine::package::PackageRequest;
use hkb_engine::project::ProjectRequest;
use hkb_engine::society::SocietyRequest;
use hkb_report::sheet::{BOM, csv_to_xlsx, steps_csv};
use hkb_rules::input::Situation;
use std::sync::Arc;

type St = State<Arc<AppState>>;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/export/salaries/{format}", post(salaries))
        .route("/export/society/{format}", post(society))
        .route("/export/package/{format}", post(package))
        .route("/export/project/{format}", post(project))
}

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Csv,
    Xlsx,
}

fn format(f: &str) -> Result<Format, ApiError> {
    match f {
        "csv" => Ok(Format::Csv),
        "xlsx" => Ok(Format::Xlsx),
        other => Err(ApiError {
            allowed: Some("csv, xlsx".into()),
            ..ApiError::new(
                ApiErrorCode::NotFound,
                "path/format",
                format!("'{other}' is not an export format; allowed: csv, xlsx"),
                format!("「{other}」不是匯出格式；可用：csv、xlsx"),
            )
        }),
    }
}

fn failed(e: impl std::fmt::Display) -> ApiError {
    ApiError::from(hkb_engine::EngineError::internal(format!("export: {e}")))
}

fn file(what: &str, f: Format, bytes: Vec<u8>) -> Response {
    let (ct, ext) = match f {
        Format::Csv => ("text/csv; charset=utf-8", "csv"),
        Format::Xlsx => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    };
    let disposition = format!("attachment; filename=\"hkbudget-{what}.{ext}\"");
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(ct)),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// CSV bytes with a BOM, or the same rows as a workbook.
fn csv_or_xlsx(
    what: &str,
    f: Format,
    sheet: &str,
    write: impl FnOnce(&mut Vec<u8>) -> Result<(), csv::Error>,
) -> Result<Response, ApiError> {
    let mut buf = BOM.to_vec();
    write(&mut buf).map_err(failed)?;
    match f {
        Format::Csv => Ok(file(what, f, buf)),
        Format::Xlsx => Ok(file(what, f, csv_to_xlsx(&buf, sheet).map_err(failed)?)),
    }
}

async fn salaries(
    State(s): St,
    Path(f): Path<String>,
    Body(req): Body<YearCalc<Situation>>,
) -> Result<Response, ApiError> {
    let f = format(&f)?;
    let r = s.lab.salaries(&req)?;
    csv_or_xlsx("salaries", f, "salaries", |w| {
        steps_csv(w, &r.body.after.result.trace)
    })
}

async fn society(State(s): St, Path(f): Path<String>, req: Request) -> Result<Response, ApiError> {
    let f = format(&f)?;
    let req: SocietyRequest = with_population(&s, req).await?;
    let r = s.heavy(move |lab, p| lab.society(&req, p)).await?;
    csv_or_xlsx("society", f, "society", |w| {
        hkb_report::society::run_csv(w, &r)
    })
}

async fn package(State(s): St, Path(f): Path<String>, req: Request) -> Result<Response, ApiError> {
    let f = format(&f)?;
    let req: PackageRequest = with_population(&s, req).await?;
    let r = s.heavy(move |lab, p| lab.run_package(&req, p)).await?;
    match f {
        // The package workbook has every costing parameter with its source, beyond the CSV.
        Format::Xlsx => Ok(file(
            "package",
            f,
            hkb_report::package::workbook(&r).map_err(failed)?,
        )),
        Format::Csv => csv_or_xlsx("package", f, "package", |w| {
            hkb_report::package::run_csv(w, &r)
        }),
    }
}

async fn project(State(s): St, Path(f): Path<String>, req: Request) -> Result<Response, ApiError> {
    let f = format(&f)?;
    let req: ProjectRequest = with_population(&s, req).await?;
    let r = s.heavy(move |lab, p| lab.project(&req, p)).await?;
    csv_or_xlsx("projection", f, "projection", |w| {
        hkb_report::fiscal::projection_csv(w, &r)
    })
}
