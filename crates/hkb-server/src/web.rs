//! The web lab's files, embedded at build time (see `build.rs`): every path that is not under
//! `/api/` is a file of the build, or the lab's page itself (it reads its state from the URL).
//! Hashed assets are cached for a year; the page itself is revalidated.

use crate::error::ApiError;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use include_dir::{Dir, include_dir};

static WEB: Dir<'static> = include_dir!("$OUT_DIR/web");

/// Whether the lab was built into this binary (false: the page says how to build it).
pub const BUILT: bool = matches!(env!("HKBUDGET_WEB").as_bytes(), b"built");

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

pub async fn serve(method: Method, uri: Uri) -> Response {
    let path = uri.path();
    if path.starts_with("/api/") || path == "/api" {
        return ApiError::not_found_route(path).into_response();
    }
    if method != Method::GET && method != Method::HEAD {
        return crate::error::ApiError::new(
            crate::error::ApiErrorCode::MethodNotAllowed,
            "",
            format!("{method} is not allowed on {path}"),
            format!("{path} 不接受 {method}"),
        )
        .into_response();
    }
    let rel = path.trim_start_matches('/');
    let (file, immutable) = match WEB.get_file(rel) {
        Some(f) if !rel.is_empty() => (f, rel.starts_with("assets/")),
        // A page of the lab (/, /household, …): the lab itself, which reads the URL.
        _ if !rel.contains('.') => match WEB.get_file("index.html") {
            Some(f) => (f, false),
            None => return ApiError::not_found_route(path).into_response(),
        },
        _ => return ApiError::not_found_route(path).into_response(),
    };
    let name = file.path().to_string_lossy().to_string();
    let cache = if immutable {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mut r = (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(content_type(&name)),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        ],
        if method == Method::HEAD {
            Vec::new()
        } else {
            file.contents().to_vec()
        },
    )
        .into_response();
    if method == Method::HEAD {
        r.headers_mut().insert(
            header::CONTENT_LENGTH,
            HeaderValue::from(file.contents().len()),
        );
    }
    r
}
