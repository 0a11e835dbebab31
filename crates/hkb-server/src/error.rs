//! Every error the API returns has one JSON shape, the engine's — `{code, field, message: {en,
//! zh}, allowed}` — with an HTTP status from its code. What the engine cannot say (the server is
//! busy, a token is missing, a version is stale) has codes of its own here.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hkb_engine::{EngineError, ErrorCode};
use hkb_law::Bilingual;
use hkb_store::StoreError;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What kind of problem it is; the HTTP status follows from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApiErrorCode {
    /// 400: not well formed (syntax, a wrong type, an unknown or missing field).
    Malformed,
    /// 422: well formed, but a value is not allowed.
    Invalid,
    /// 404: a year, vintage, parameter, proposal, scenario or route that does not exist.
    NotFound,
    /// 413: past a limit (body size, persons, paths, expression length).
    TooLarge,
    /// 500: a bug in hkbudget, never the caller's fault.
    Internal,
    /// 429: every worker is busy; retry after the `Retry-After` seconds.
    Busy,
    /// 401: this server needs `Authorization: Bearer <token>` for writes.
    Unauthorized,
    /// 412: the version named in `If-Match` is not the current one.
    Stale,
    /// 428: an update must name the version it replaces in `If-Match`.
    PreconditionRequired,
    /// 503: the computation took longer than the server allows.
    Timeout,
    /// 405: the route exists, the method does not.
    MethodNotAllowed,
    /// 503: the scenario store failed; nothing was saved.
    StoreUnavailable,
    /// 507: the disk holding the scenario store is full; nothing was saved, saved scenarios
    /// still read.
    StoreFull,
    /// 503: the scenario store is read-only on this server; saved scenarios read, saves are
    /// refused.
    StoreReadOnly,
}

/// An error as the API returns it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ApiError {
    pub code: ApiErrorCode,
    /// A JSON pointer into the request body (`/taxpayer/employment_income`), `query/NAME` for a
    /// query parameter, `header/NAME` for a header; empty for the request as a whole.
    pub field: String,
    pub message: Bilingual,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed: Option<String>,
}

impl ApiError {
    pub fn new(
        code: ApiErrorCode,
        field: impl Into<String>,
        en: impl Into<String>,
        zh: impl Into<String>,
    ) -> ApiError {
        ApiError {
            code,
            field: field.into(),
            message: Bilingual::new(en.into(), zh.into()),
            allowed: None,
        }
    }

    pub fn status(&self) -> StatusCode {
        match self.code {
            ApiErrorCode::Malformed => StatusCode::BAD_REQUEST,
            ApiErrorCode::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
            ApiErrorCode::NotFound => StatusCode::NOT_FOUND,
            ApiErrorCode::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            ApiErrorCode::Busy => StatusCode::TOO_MANY_REQUESTS,
            ApiErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiErrorCode::Stale => StatusCode::PRECONDITION_FAILED,
            ApiErrorCode::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ApiErrorCode::Timeout
            | ApiErrorCode::StoreUnavailable
            | ApiErrorCode::StoreReadOnly => StatusCode::SERVICE_UNAVAILABLE,
            ApiErrorCode::StoreFull => StatusCode::INSUFFICIENT_STORAGE,
            ApiErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        }
    }

    /// The same error with its field under a prefix (`/body`).
    pub fn under(mut self, prefix: &str) -> ApiError {
        self.field = format!("{prefix}{}", self.field);
        self
    }

    pub fn busy() -> ApiError {
        ApiError::new(
            ApiErrorCode::Busy,
            "",
            "every worker is busy with a society-wide computation; retry in a moment",
            "所有運算資源正忙於全港性計算，請稍後再試",
        )
    }

    pub fn not_found_route(path: &str) -> ApiError {
        ApiError::new(
            ApiErrorCode::NotFound,
            "",
            format!("no such endpoint: {path} (see /api/v1/openapi.json)"),
            format!("沒有此端點：{path}（見 /api/v1/openapi.json）"),
        )
    }
}

impl From<EngineError> for ApiError {
    fn from(e: EngineError) -> ApiError {
        let code = match e.code {
            ErrorCode::Malformed => ApiErrorCode::Malformed,
            ErrorCode::Invalid => ApiErrorCode::Invalid,
            ErrorCode::NotFound => ApiErrorCode::NotFound,
            ErrorCode::TooLarge => ApiErrorCode::TooLarge,
            ErrorCode::Internal => ApiErrorCode::Internal,
        };
        ApiError {
            code,
            field: e.field,
            message: e.message,
            allowed: e.allowed,
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::NotFound(id) => ApiError::new(
                ApiErrorCode::NotFound,
                "",
                format!("no scenario with id '{id}'"),
                format!("沒有編號為「{id}」的情景"),
            ),
            StoreError::Stale {
                id,
                expected,
                current,
            } => ApiError::new(
                ApiErrorCode::Stale,
                "header/if-match",
                format!(
                    "scenario '{id}' is at version {current}, not {expected}: read it again and reapply your change"
                ),
                format!("情景「{id}」現為第 {current} 版而非第 {expected} 版：請重新讀取後再修改"),
            ),
            StoreError::Invalid(m) => {
                let field = m.split(':').next().unwrap_or("").trim().to_string();
                ApiError::new(
                    ApiErrorCode::Invalid,
                    format!("/{field}"),
                    m.clone(),
                    format!("內容不正確：{m}"),
                )
            }
            StoreError::Full(m) => ApiError::new(
                ApiErrorCode::StoreFull,
                "",
                format!(
                    "the scenario store's disk is full: nothing was saved; saved scenarios are intact and still read ({m})"
                ),
                "情景資料庫所在的磁碟已滿：沒有儲存任何內容；已儲存的情景完好，仍可讀取",
            ),
            StoreError::ReadOnly(m) => ApiError::new(
                ApiErrorCode::StoreReadOnly,
                "",
                format!(
                    "this server's scenario store is read-only: saved scenarios read, nothing can be saved ({m})"
                ),
                "此伺服器的情景資料庫為唯讀：可讀取已儲存的情景，但不能儲存",
            ),
            StoreError::Backend(m) => ApiError::new(
                ApiErrorCode::StoreUnavailable,
                "",
                format!("the scenario store failed; nothing was saved ({m})"),
                "情景資料庫出現故障，沒有儲存任何內容",
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let busy = self.code == ApiErrorCode::Busy;
        let body = serde_json::to_vec(&self).unwrap_or_else(|_| b"{}".to_vec());
        let mut r = (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response();
        if busy {
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        r
    }
}
