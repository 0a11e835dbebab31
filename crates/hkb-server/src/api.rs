//! The engine's operations as endpoints. Each handler reads its request through the engine's
//! reader, calls the engine (society-wide work on the blocking pool), and writes the engine's
//! response as it is.

use crate::AppState;
use crate::body::{Body, body_text, parse, pure_json, query, query_bool};
use crate::error::{ApiError, ApiErrorCode};
use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use hkb_engine::SCHEMA_VERSION;
use hkb_engine::calc::{DateCalc, RatesCalc, YearCalc};
use hkb_engine::costing::CostRequest;
use hkb_engine::package::{CompareRequest, PackageRequest};
use hkb_engine::project::ProjectRequest;
use hkb_engine::society::SocietyRequest;
use hkb_law::YearOfAssessment;
use hkb_microsim::model::BuildSpec;
use hkb_rules::input::{Business, Deal, LetProperty, Situation, StockDeal};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::sync::Arc;

type St = State<Arc<AppState>>;
type Answer = Result<Response, ApiError>;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/health", get(health))
        .route("/version", get(version))
        .route("/params", get(params))
        .route("/params/{path}", get(param))
        .route("/calc/salaries", post(salaries))
        .route("/calc/salaries/sweep", post(salaries_sweep))
        .route("/packages", get(shipped_packages))
        .route("/validation", get(validation))
        .route("/progress", get(progress))
        .route("/calc/profits", post(profits))
        .route("/calc/property-tax", post(property_tax))
        .route("/calc/stamp-duty", post(stamp_duty))
        .route("/calc/stock-duty", post(stock_duty))
        .route("/calc/rates", post(rates))
        .route("/society", post(society))
        .route("/proposals", get(proposals))
        .route("/proposals/{id}", get(proposal))
        .route("/scorecard", get(scorecard))
        .route("/proposals/cost", post(cost))
        .route("/packages/run", post(package_run))
        .route("/packages/compare", post(package_compare))
        .route("/project", post(project))
}

/// `GET /health`.
#[derive(Serialize, Deserialize, JsonSchema)]
pub struct Health {
    /// Always `ok` when the server answers.
    pub status: String,
}

async fn health() -> Response {
    crate::body::json_status(
        axum::http::StatusCode::OK,
        &Health {
            status: "ok".into(),
        },
    )
}

/// A population build under way: its current step.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct BuildProgress {
    pub step: String,
    /// The step in both languages.
    pub label: hkb_law::Bilingual,
    pub done: u64,
    pub of: u64,
}

/// The build's steps (`generating earners`, `calibrating 2024/25`, …) in both languages.
pub(crate) fn step_label(step: &str) -> hkb_law::Bilingual {
    let zh = match step {
        "generating earners" => "產生受僱人士樣本".to_string(),
        "generating businesses" => "產生企業樣本".to_string(),
        "done" => "完成".to_string(),
        other => match other.strip_prefix("calibrating ") {
            Some(y) => format!("校準 {y} 課稅年度"),
            None => other.to_string(),
        },
    };
    hkb_law::Bilingual::new(step.to_string(), zh)
}

/// `GET /progress`: whether a population is being built, and how far along.
#[derive(Serialize, Deserialize, JsonSchema)]
pub struct ProgressInfo {
    pub building: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<BuildProgress>,
}

async fn progress(State(s): St) -> Response {
    let now = s.building.lock().ok().and_then(|b| b.clone());
    crate::body::json_status(
        axum::http::StatusCode::OK,
        &ProgressInfo {
            building: now.is_some(),
            progress: now,
        },
    )
}

/// `GET /version`: what this server computes with.
#[derive(Serialize, Deserialize, JsonSchema)]
pub struct VersionInfo {
    pub engine: String,
    pub schema_version: u32,
    /// SHA-256 of the parameter tree in use.
    pub law_fingerprint: String,
    /// Medium Range Forecast vintages, oldest first; the last is the default.
    pub vintages: Vec<String>,
    pub default_vintage: String,
    /// The population society-wide requests use unless they name one.
    pub default_population: BuildSpec,
    /// Populations held in memory now.
    pub populations_loaded: Vec<BuildSpec>,
    /// Years of assessment the calculators accept.
    pub years_of_assessment: String,
    /// `sqlite` or `postgres`.
    pub store: String,
    /// False when the store was opened read-only (its file or folder cannot be written): saved
    /// scenarios read, saves answer 503 `store_read_only`.
    pub store_writable: bool,
    pub limits: hkb_engine::Limits,
}

async fn version(State(s): St, headers: HeaderMap) -> Response {
    let lab = &s.lab;
    let info = VersionInfo {
        engine: format!("hkbudget {}", env!("CARGO_PKG_VERSION")),
        schema_version: SCHEMA_VERSION,
        law_fingerprint: lab.law_fingerprint().to_string(),
        vintages: lab.vintages().to_vec(),
        default_vintage: lab.default_vintage().to_string(),
        default_population: s.config.population,
        populations_loaded: lab.loaded_populations(),
        years_of_assessment: YearOfAssessment::supported_list(),
        store: s.store.backend().to_string(),
        store_writable: s.store.writable(),
        limits: lab.limits().clone(),
    };
    pure_json(&headers, &info)
}

fn query_error(e: ApiError) -> ApiError {
    if e.field.starts_with('/') {
        ApiError {
            field: format!("query{}", e.field),
            ..e
        }
    } else {
        e
    }
}

async fn params(State(s): St, headers: HeaderMap, uri: Uri) -> Answer {
    let q = query(&uri, &["year", "search"])?;
    let year = q
        .get("year")
        .map(|y| {
            y.parse::<YearOfAssessment>().map_err(|e| {
                ApiError::new(
                    ApiErrorCode::Malformed,
                    "query/year",
                    format!("'{y}': {e}"),
                    format!("「{y}」不是課稅年度（例如 2026/27）"),
                )
            })
        })
        .transpose()?;
    let r = s
        .lab
        .params(year, q.get("search").map(String::as_str))
        .map_err(|e| query_error(e.into()))?;
    Ok(pure_json(&headers, &r))
}

async fn param(State(s): St, headers: HeaderMap, Path(path): Path<String>) -> Answer {
    let r = s.lab.param(&path)?;
    Ok(pure_json(&headers, &r))
}

async fn salaries(
    State(s): St,
    headers: HeaderMap,
    Body(req): Body<YearCalc<Situation>>,
) -> Answer {
    Ok(pure_json(&headers, &s.lab.salaries(&req)?))
}

async fn salaries_sweep(
    State(s): St,
    headers: HeaderMap,
    Body(req): Body<hkb_engine::calc::SweepRequest>,
) -> Answer {
    Ok(pure_json(&headers, &s.lab.salaries_sweep(&req)?))
}

async fn shipped_packages(State(s): St, headers: HeaderMap) -> Answer {
    Ok(pure_json(&headers, &s.lab.shipped_packages()?))
}

/// The model against published figures, every year and head, for the server's population
/// (computed once).
async fn validation(State(s): St, headers: HeaderMap) -> Answer {
    let spec = s.config.population;
    let state = s.clone();
    let v = s
        .validation
        .get_or_try_init(|| async move {
            let r = state.heavy(move |lab, p| lab.validation(spec, p)).await?;
            serde_json::to_value(r).map_err(|e| {
                ApiError::from(hkb_engine::EngineError::internal(format!(
                    "validation: {e}"
                )))
            })
        })
        .await?;
    Ok(pure_json(&headers, v))
}

async fn profits(State(s): St, headers: HeaderMap, Body(req): Body<YearCalc<Business>>) -> Answer {
    Ok(pure_json(&headers, &s.lab.profits(&req)?))
}

async fn property_tax(
    State(s): St,
    headers: HeaderMap,
    Body(req): Body<YearCalc<LetProperty>>,
) -> Answer {
    Ok(pure_json(&headers, &s.lab.property_tax(&req)?))
}

async fn stamp_duty(State(s): St, headers: HeaderMap, Body(req): Body<DateCalc<Deal>>) -> Answer {
    Ok(pure_json(&headers, &s.lab.stamp_duty(&req)?))
}

async fn stock_duty(
    State(s): St,
    headers: HeaderMap,
    Body(req): Body<DateCalc<StockDeal>>,
) -> Answer {
    Ok(pure_json(&headers, &s.lab.stock_duty(&req)?))
}

async fn rates(State(s): St, headers: HeaderMap, Body(req): Body<RatesCalc>) -> Answer {
    Ok(pure_json(&headers, &s.lab.rates(&req)?))
}

/// Reads a society-wide request, giving it the server's population when it names none.
pub(crate) async fn with_population<T: serde::de::DeserializeOwned>(
    s: &AppState,
    req: Request,
) -> Result<T, ApiError> {
    let (text, yaml) = body_text(req).await?;
    let mut v: Value = parse(&text, yaml)?;
    if let Value::Object(m) = &mut v
        && !m.contains_key("population")
    {
        m.insert(
            "population".into(),
            serde_json::to_value(s.config.population).unwrap_or(Value::Null),
        );
    }
    hkb_engine::input::from_value(v).map_err(ApiError::from)
}

async fn society(State(s): St, headers: HeaderMap, req: Request) -> Answer {
    let req: SocietyRequest = with_population(&s, req).await?;
    let r = s.heavy(move |lab, p| lab.society(&req, p)).await?;
    Ok(pure_json(&headers, &r))
}

async fn proposals(State(s): St, headers: HeaderMap, uri: Uri) -> Answer {
    let q = query(
        &uri,
        &["section", "kind", "status", "quantifiable", "leaves_only"],
    )?;
    let mut m = serde_json::Map::new();
    for k in ["section", "kind", "status", "quantifiable"] {
        if let Some(v) = q.get(k) {
            m.insert(k.into(), Value::String(v.clone()));
        }
    }
    if let Some(b) = query_bool(&q, "leaves_only")? {
        m.insert("leaves_only".into(), Value::Bool(b));
    }
    let filter: hkb_proposals::Filter =
        hkb_engine::input::from_value(Value::Object(m)).map_err(|e| query_error(e.into()))?;
    let r = s
        .lab
        .proposals(&filter)
        .map_err(|e| query_error(e.into()))?;
    Ok(pure_json(&headers, &r))
}

async fn proposal(State(s): St, headers: HeaderMap, Path(id): Path<String>) -> Answer {
    Ok(pure_json(&headers, &s.lab.proposal(&id)?))
}

async fn scorecard(State(s): St, headers: HeaderMap) -> Answer {
    Ok(pure_json(&headers, &s.lab.scorecard()))
}

async fn cost(State(s): St, headers: HeaderMap, req: Request) -> Answer {
    let req: CostRequest = with_population(&s, req).await?;
    let r = s.heavy(move |lab, p| lab.cost(&req, p)).await?;
    Ok(pure_json(&headers, &r))
}

async fn package_run(State(s): St, headers: HeaderMap, req: Request) -> Answer {
    let req: PackageRequest = with_population(&s, req).await?;
    let r = s.heavy(move |lab, p| lab.run_package(&req, p)).await?;
    Ok(pure_json(&headers, &r))
}

async fn package_compare(State(s): St, headers: HeaderMap, req: Request) -> Answer {
    let req: CompareRequest = with_population(&s, req).await?;
    let r = s.heavy(move |lab, p| lab.compare_packages(&req, p)).await?;
    Ok(pure_json(&headers, &r))
}

async fn project(State(s): St, headers: HeaderMap, req: Request) -> Answer {
    let req: ProjectRequest = with_population(&s, req).await?;
    let r = s.heavy(move |lab, p| lab.project(&req, p)).await?;
    Ok(pure_json(&headers, &r))
}
