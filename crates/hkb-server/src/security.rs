//! Safe by default: the bearer token on writes, security headers on every response, CORS only
//! for the one origin configured, a body limit, JSON for unknown routes and methods, panics as a
//! JSON 500 (a bug, logged), and request logs without bodies, query strings or headers.

use crate::error::{ApiError, ApiErrorCode};
use crate::{AppState, ServerConfig};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderMap, HeaderValue, Method, Uri, header};
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::CorsLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

/// Content-Security-Policy: nothing inline, nothing from elsewhere.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// Refuses a write without the configured token (constant-time comparison).
pub fn authorize(s: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = &s.config.token else {
        return Ok(());
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    let same = given.len() == token.len()
        && given
            .bytes()
            .zip(token.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if same {
        Ok(())
    } else {
        Err(ApiError::new(
            ApiErrorCode::Unauthorized,
            "header/authorization",
            "this server needs Authorization: Bearer <token> to save, change or delete scenarios",
            "此伺服器須以 Authorization: Bearer <權杖> 方可儲存、修改或刪除情景",
        ))
    }
}

pub async fn not_found(uri: Uri) -> Response {
    ApiError::not_found_route(uri.path()).into_response()
}

async fn method_not_allowed(method: Method, uri: Uri) -> Response {
    ApiError::new(
        ApiErrorCode::MethodNotAllowed,
        "",
        format!(
            "{method} is not allowed on {} (see /api/v1/openapi.json)",
            uri.path()
        ),
        format!("{} 不接受 {method}（見 /api/v1/openapi.json）", uri.path()),
    )
    .into_response()
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a handler panicked: this is a bug in hkbudget");
    ApiError::new(
        ApiErrorCode::Internal,
        "",
        "hkbudget failed on this request (a bug; it has been logged)",
        "hkbudget 處理此請求時出錯（程式錯誤，已記錄）",
    )
    .into_response()
}

pub fn layers(app: Router, config: &ServerConfig) -> Router {
    let mut app = app
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(crate::body::MAX_BODY_BYTES))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ));
    if let Some(origin) = &config.cors
        && let Ok(o) = HeaderValue::from_str(origin)
    {
        app = app.layer(
            CorsLayer::new()
                .allow_origin(o)
                .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
                .allow_headers([
                    header::CONTENT_TYPE,
                    header::AUTHORIZATION,
                    header::IF_MATCH,
                    header::IF_NONE_MATCH,
                ])
                .expose_headers([header::ETAG, header::LOCATION, header::RETRY_AFTER]),
        );
    }
    app.layer(
        TraceLayer::new_for_http()
            .make_span_with(|req: &axum::http::Request<_>| {
                tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
            })
            .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
    )
}
