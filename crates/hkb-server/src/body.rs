//! Reading requests and writing responses: bodies through the engine's reader (so a bad field is
//! named the same way as on the command line), query strings with unknown keys refused, and JSON
//! responses with an `ETag` that honours `If-None-Match`.

use crate::error::{ApiError, ApiErrorCode};
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The largest request body accepted (bytes).
pub const MAX_BODY_BYTES: usize = hkb_engine::input::MAX_INPUT_BYTES;

/// A request body read as JSON (or YAML, when the content type says so) into `T`, with the
/// engine's limits and field paths. An empty body reads as `{}`.
pub struct Body<T>(pub T);

fn too_large() -> ApiError {
    ApiError::new(
        ApiErrorCode::TooLarge,
        "",
        format!("the request body is larger than {MAX_BODY_BYTES} bytes (1 MiB), or was cut off"),
        format!("請求內容超過 {MAX_BODY_BYTES} 位元組（1 MiB），或未完整送達"),
    )
}

/// The body's text, within the size limit, as UTF-8, and whether it is YAML.
pub async fn body_text(req: Request) -> Result<(String, bool), ApiError> {
    let yaml = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.contains("yaml"));
    // A body announced past the limit is refused before any of it is read.
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if announced.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return Err(too_large());
    }
    let bytes = axum::body::to_bytes(req.into_body(), MAX_BODY_BYTES)
        .await
        .map_err(|_| too_large())?;
    let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
        ApiError::new(
            ApiErrorCode::Malformed,
            "",
            "the request body is not UTF-8 text",
            "請求內容並非 UTF-8 文字",
        )
    })?;
    Ok((text, yaml))
}

/// Parses a body's text as `T` (JSON, or YAML when `yaml`).
pub fn parse<T: DeserializeOwned>(text: &str, yaml: bool) -> Result<T, ApiError> {
    let text = if text.trim().is_empty() { "{}" } else { text };
    let parsed = if yaml {
        hkb_engine::input::from_yaml(text)
    } else {
        hkb_engine::input::from_json(text)
    };
    parsed.map_err(ApiError::from)
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _: &S) -> Result<Self, Self::Rejection> {
        let (text, yaml) = body_text(req).await?;
        parse(&text, yaml).map(Body)
    }
}

/// A query string as a map, with every key checked against `allowed`.
pub fn query(uri: &Uri, allowed: &[&str]) -> Result<BTreeMap<String, String>, ApiError> {
    let q = axum::extract::Query::<BTreeMap<String, String>>::try_from_uri(uri)
        .map_err(|e| {
            ApiError::new(
                ApiErrorCode::Malformed,
                "query",
                format!("the query string is not well formed: {e}"),
                "查詢字串格式不正確",
            )
        })?
        .0;
    if let Some(k) = q.keys().find(|k| !allowed.contains(&k.as_str())) {
        let list = allowed.join(", ");
        let mut e = ApiError::new(
            ApiErrorCode::Malformed,
            format!("query/{k}"),
            format!("unknown query parameter '{k}'; allowed: {list}"),
            format!("不明的查詢參數「{k}」；可用：{list}"),
        );
        e.allowed = Some(list);
        return Err(e);
    }
    Ok(q)
}

/// A boolean query value: `true`/`false`/`1`/`0`.
pub fn query_bool(q: &BTreeMap<String, String>, name: &str) -> Result<Option<bool>, ApiError> {
    match q.get(name).map(String::as_str) {
        None => Ok(None),
        Some("true" | "1") => Ok(Some(true)),
        Some("false" | "0") => Ok(Some(false)),
        Some(other) => Err(ApiError::new(
            ApiErrorCode::Malformed,
            format!("query/{name}"),
            format!("'{other}' is not true or false"),
            format!("「{other}」不是 true 或 false"),
        )),
    }
}

/// An unsigned integer query value within `max`.
pub fn query_u32(
    q: &BTreeMap<String, String>,
    name: &str,
    max: u32,
) -> Result<Option<u32>, ApiError> {
    match q.get(name) {
        None => Ok(None),
        Some(v) => match v.parse::<u32>() {
            Ok(n) if n <= max => Ok(Some(n)),
            _ => Err(ApiError::new(
                ApiErrorCode::Invalid,
                format!("query/{name}"),
                format!("'{v}' is not a whole number from 0 to {max}"),
                format!("「{v}」不是 0 至 {max} 的整數"),
            )),
        },
    }
}

/// The strong validator of a response body.
pub fn etag_of(body: &[u8]) -> String {
    let d = Sha256::digest(body);
    let hex: String = d[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// Whether `If-None-Match` names `tag` (or is `*`).
pub fn not_modified(headers: &HeaderMap, tag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .map(|t| t.trim().trim_start_matches("W/"))
                .any(|t| t == "*" || t == tag)
        })
}

/// A JSON response of a pure function of its request: with an `ETag`, and `304 Not Modified`
/// when the client already holds it.
pub fn pure_json<T: Serialize>(headers: &HeaderMap, value: &T) -> Response {
    let body = match serde_json::to_vec(value) {
        Ok(b) => b,
        Err(e) => {
            return ApiError::new(
                ApiErrorCode::Internal,
                "",
                format!("the response could not be written: {e}"),
                "無法輸出回應",
            )
            .into_response();
        }
    };
    let tag = etag_of(&body);
    let tag_value = HeaderValue::from_str(&tag).unwrap_or(HeaderValue::from_static("\"\""));
    if not_modified(headers, &tag) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, tag_value)]).into_response();
    }
    (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::ETAG, tag_value),
        ],
        body,
    )
        .into_response()
}

/// A JSON response that is not cacheable (store reads and writes) with a status.
pub fn json_status<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response(),
        Err(e) => ApiError::new(
            ApiErrorCode::Internal,
            "",
            format!("the response could not be written: {e}"),
            "無法輸出回應",
        )
        .into_response(),
    }
}
