//! The scenario store over HTTP: save a household, a reform or a package (checked by the engine
//! first), read it back exactly as saved, list, update with `If-Match`, delete; and its result,
//! recomputed under the law in use now.

use crate::AppState;
use crate::body::{body_text, json_status, pure_json, query, query_u32};
use crate::error::{ApiError, ApiErrorCode};
use crate::security::authorize;
use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hkb_engine::calc::YearCalc;
use hkb_engine::package::{PackageRequest, PackageSpec};
use hkb_engine::society::SocietyRequest;
use hkb_law::{ReformSpec, YearOfAssessment};
use hkb_rules::input::Situation;
use hkb_store::{MAX_LIST, NewScenario, Saved, Scenario, ScenarioKind, Summary};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;
use std::sync::Arc;

type St = State<Arc<AppState>>;
type Answer = Result<Response, ApiError>;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/scenarios", get(list).post(create))
        .route("/scenarios/{id}", get(read).put(update).delete(remove))
        .route("/scenarios/{id}/result", get(result))
}

/// A scenario to save.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveScenario {
    /// 1 to 200 characters.
    pub name: String,
    pub kind: ScenarioKind,
    /// For `household`, a `calc/salaries` request; for `reform`, a reform; for `package`, a
    /// package. Saved byte for byte as sent.
    // Read here for its shape (and the field paths of errors); the exact text is taken
    // separately, so the value itself is not used.
    #[allow(dead_code)]
    pub body: Value,
}

/// A saved scenario as the API returns it.
#[derive(Serialize, JsonSchema)]
pub struct ScenarioView {
    /// Derived from the content: the same name, kind and body give the same id (and link).
    pub id: String,
    pub name: String,
    pub kind: ScenarioKind,
    /// 1 when created; each update adds one. Name it in `If-Match` to update or delete.
    pub version: i64,
    /// The body exactly as saved.
    #[schemars(with = "Value")]
    pub body: Box<RawValue>,
    /// The law and engine when it was saved, and the law in use now: results are recomputed
    /// under the law in use now.
    pub law_fingerprint: String,
    pub engine_version: String,
    pub current_law_fingerprint: String,
    pub law_changed: bool,
    pub created_at: String,
    pub updated_at: String,
    /// The link to share.
    pub url: String,
}

/// A page of saved scenarios, newest first.
#[derive(Serialize, Deserialize, JsonSchema)]
pub struct ScenarioList {
    pub scenarios: Vec<Summary>,
    pub total: u64,
    pub limit: u32,
    pub offset: u32,
}

/// A scenario's result, computed now.
#[derive(Serialize, JsonSchema)]
pub struct ScenarioResult {
    pub id: String,
    pub kind: ScenarioKind,
    /// `household`: a `calc/salaries` response; `reform`: a `society` response for the newest
    /// population year (or `?year=`); `package`: a `packages/run` response.
    pub result: Value,
}

fn view(s: &AppState, sc: Scenario) -> Result<ScenarioView, ApiError> {
    let body = RawValue::from_string(sc.body).map_err(|e| {
        ApiError::new(
            ApiErrorCode::Internal,
            "",
            format!("a saved body is not JSON: {e}"),
            "已儲存的內容並非 JSON",
        )
    })?;
    let current = s.lab.law_fingerprint().to_string();
    Ok(ScenarioView {
        url: format!("/api/v1/scenarios/{}", sc.id),
        law_changed: sc.law_fingerprint != current,
        id: sc.id,
        name: sc.name,
        kind: sc.kind,
        version: sc.version,
        body,
        law_fingerprint: sc.law_fingerprint,
        engine_version: sc.engine_version,
        current_law_fingerprint: current,
        created_at: sc.created_at,
        updated_at: sc.updated_at,
    })
}

fn with_version(status: StatusCode, v: &ScenarioView) -> Response {
    let mut r = json_status(status, v);
    if let Ok(tag) = HeaderValue::from_str(&format!("\"{}\"", v.version)) {
        r.headers_mut().insert(header::ETAG, tag);
    }
    if status == StatusCode::CREATED
        && let Ok(loc) = HeaderValue::from_str(&v.url)
    {
        r.headers_mut().insert(header::LOCATION, loc);
    }
    r
}

/// Reads a save request: its fields (named on error), then the body's exact text.
async fn read_save(s: &AppState, req: Request) -> Result<NewScenario, ApiError> {
    let (text, _) = body_text(req).await?;
    let checked: SaveScenario = crate::body::parse(&text, false)?;
    #[derive(Deserialize)]
    struct Raw<'a> {
        #[serde(borrow)]
        body: &'a RawValue,
    }
    let raw: Raw<'_> = serde_json::from_str(&text).map_err(|e| {
        ApiError::new(
            ApiErrorCode::Malformed,
            "/body",
            format!("the body could not be read: {e}"),
            "無法讀取 body",
        )
    })?;
    let body = raw.body.get().to_string();
    check_body(s, checked.kind, &body).map_err(|e| e.under("/body"))?;
    Ok(NewScenario {
        name: checked.name,
        kind: checked.kind,
        body,
        law_fingerprint: s.lab.law_fingerprint().to_string(),
        engine_version: format!("hkbudget {}", env!("CARGO_PKG_VERSION")),
    })
}

/// The engine's checks for a scenario's body: it must be a request the engine would accept.
fn check_body(s: &AppState, kind: ScenarioKind, body: &str) -> Result<(), ApiError> {
    match kind {
        ScenarioKind::Household => {
            let req: YearCalc<Situation> = hkb_engine::input::from_json(body)?;
            s.lab.salaries(&req)?;
        }
        ScenarioKind::Reform => {
            let spec: ReformSpec = hkb_engine::input::from_json(body)?;
            // The engine names a reform's fields under `/reform`; here the body is the reform.
            s.lab
                .reform(Some(&spec))
                .map_err(|e| hkb_engine::EngineError {
                    field: e
                        .field
                        .strip_prefix("/reform")
                        .unwrap_or(&e.field)
                        .to_string(),
                    ..e
                })?;
        }
        ScenarioKind::Package => {
            let pkg: PackageSpec = hkb_engine::input::from_json(body)?;
            s.lab.validate_package(&pkg)?;
        }
    }
    Ok(())
}

async fn create(State(s): St, headers: HeaderMap, req: Request) -> Answer {
    authorize(&s, &headers)?;
    let new = read_save(&s, req).await?;
    let saved = s.store.create(new).await?;
    let status = match &saved {
        Saved::Created(_) => StatusCode::CREATED,
        Saved::Existing(_) => StatusCode::OK,
    };
    let sc = match saved {
        Saved::Created(x) | Saved::Existing(x) => x,
    };
    Ok(with_version(status, &view(&s, sc)?))
}

fn check_id(id: &str) -> Result<(), ApiError> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(ApiError::new(
            ApiErrorCode::NotFound,
            "path/id",
            format!("'{id}' is not a scenario id (hex digits, as returned when saving)"),
            format!("「{id}」不是情景編號"),
        ))
    }
}

async fn fetch(s: &AppState, id: &str) -> Result<Scenario, ApiError> {
    check_id(id)?;
    s.store.get(id).await?.ok_or_else(|| {
        ApiError::new(
            ApiErrorCode::NotFound,
            "path/id",
            format!("no scenario with id '{id}'"),
            format!("沒有編號為「{id}」的情景"),
        )
    })
}

async fn read(State(s): St, Path(id): Path<String>) -> Answer {
    let sc = fetch(&s, &id).await?;
    Ok(with_version(StatusCode::OK, &view(&s, sc)?))
}

async fn list(State(s): St, uri: Uri) -> Answer {
    let q = query(&uri, &["limit", "offset"])?;
    let limit = query_u32(&q, "limit", MAX_LIST)?.unwrap_or(50);
    let offset = query_u32(&q, "offset", u32::MAX)?.unwrap_or(0);
    let scenarios = s.store.list(limit, offset).await?;
    let total = s.store.count().await?;
    Ok(json_status(
        StatusCode::OK,
        &ScenarioList {
            scenarios,
            total,
            limit,
            offset,
        },
    ))
}

/// The version named by `If-Match` (`"3"`, `3` or `W/"3"`).
fn if_match(headers: &HeaderMap, required: bool) -> Result<Option<i64>, ApiError> {
    let Some(v) = headers.get(header::IF_MATCH) else {
        return if required {
            Err(ApiError::new(
                ApiErrorCode::PreconditionRequired,
                "header/if-match",
                "an update must name the version it replaces: send If-Match with the ETag you read",
                "更新時須以 If-Match 標明所取代的版本（即讀取時的 ETag）",
            ))
        } else {
            Ok(None)
        };
    };
    let text = v.to_str().unwrap_or("");
    text.trim()
        .trim_start_matches("W/")
        .trim_matches('"')
        .parse::<i64>()
        .map(Some)
        .map_err(|_| {
            ApiError::new(
                ApiErrorCode::Malformed,
                "header/if-match",
                format!("'{text}' is not a version (send the ETag you read, e.g. \"2\")"),
                format!("「{text}」不是版本號（請送回讀取時的 ETag，例如 \"2\"）"),
            )
        })
}

async fn update(State(s): St, Path(id): Path<String>, headers: HeaderMap, req: Request) -> Answer {
    authorize(&s, &headers)?;
    check_id(&id)?;
    let expected = if_match(&headers, true)?.unwrap_or(0);
    let new = read_save(&s, req).await?;
    let sc = s.store.update(&id, expected, new).await?;
    Ok(with_version(StatusCode::OK, &view(&s, sc)?))
}

async fn remove(State(s): St, Path(id): Path<String>, headers: HeaderMap) -> Answer {
    authorize(&s, &headers)?;
    check_id(&id)?;
    let expected = if_match(&headers, false)?;
    s.store.delete(&id, expected).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn result(State(s): St, Path(id): Path<String>, headers: HeaderMap, uri: Uri) -> Answer {
    let q = query(&uri, &["year"])?;
    let sc = fetch(&s, &id).await?;
    let population = s.config.population;
    let to_value = |v: Result<Value, serde_json::Error>| {
        v.map_err(|e| hkb_engine::EngineError::internal(format!("result: {e}")))
    };
    let result = match sc.kind {
        ScenarioKind::Household => {
            let req: YearCalc<Situation> = hkb_engine::input::from_json(&sc.body)
                .map_err(|e| ApiError::from(e).under("/body"))?;
            serde_json::to_value(s.lab.salaries(&req)?).map_err(|e| {
                ApiError::from(hkb_engine::EngineError::internal(format!("result: {e}")))
            })?
        }
        ScenarioKind::Reform => {
            let reform: ReformSpec = hkb_engine::input::from_json(&sc.body)
                .map_err(|e| ApiError::from(e).under("/body"))?;
            let year = match q.get("year") {
                Some(y) => y.parse::<YearOfAssessment>().map_err(|e| {
                    ApiError::new(
                        ApiErrorCode::Malformed,
                        "query/year",
                        format!("'{y}': {e}"),
                        format!("「{y}」不是課稅年度"),
                    )
                })?,
                None => YearOfAssessment(hkb_microsim::model::LAST_POPULATION_YA),
            };
            let req = SocietyRequest {
                year,
                reform: Some(reform),
                population,
                deciles_by: Default::default(),
            };
            s.heavy(move |lab, p| to_value(serde_json::to_value(lab.society(&req, p)?)))
                .await?
        }
        ScenarioKind::Package => {
            let package: PackageSpec = hkb_engine::input::from_json(&sc.body)
                .map_err(|e| ApiError::from(e).under("/body"))?;
            let req = PackageRequest {
                package,
                vintage: None,
                monte_carlo: None,
                population,
            };
            s.heavy(move |lab, p| to_value(serde_json::to_value(lab.run_package(&req, p)?)))
                .await?
        }
    };
    Ok(pure_json(
        &headers,
        &ScenarioResult {
            id: sc.id,
            kind: sc.kind,
            result,
        },
    ))
}
