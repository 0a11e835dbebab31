//! # hkb-server — the HTTP API
//!
//! Every operation of the engine as a JSON endpoint under `/api/v1`, the engine's own request and
//! response types on the wire (the command line and the API give the same numbers because they
//! call the same functions), the scenario store (`hkb-store`), an OpenAPI 3.1 document generated
//! from those types and a reference page built from it.
//!
//! What must stay true:
//! - no arithmetic here: handlers parse, call the engine, and write what it returns;
//! - nothing a client sends produces a 5xx (errors are the engine's, with a 4xx status);
//! - society-wide work runs on the blocking pool behind a semaphore of `heavy_workers` permits,
//!   with a bounded queue (`queue` requests, each waiting at most `queue_wait`); past it the
//!   answer is 429 with `Retry-After`, never an unbounded queue;
//! - the population is loaded once and kept in the [`Lab`]; no request reads a file path;
//! - writes to the store need the bearer token when one is configured.
//!
//! The binary binds the socket, prints the address and handles signals; this crate builds the
//! [`Router`] and prints nothing.

mod api;
mod body;
pub mod error;
mod export;
mod openapi;
mod scenarios;
mod security;
mod web;

pub use error::{ApiError, ApiErrorCode};
pub use openapi::document as openapi_document;
pub use web::BUILT as WEB_LAB_BUILT;

use axum::Router;
use hkb_engine::{EngineError, Lab};
use hkb_microsim::model::BuildSpec;
use hkb_store::Store;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// How the server behaves.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Required as `Authorization: Bearer` on every write to the store when set.
    pub token: Option<String>,
    /// The one origin allowed cross-origin requests (none: CORS off).
    pub cors: Option<String>,
    /// Society-wide computations at once (populations, packages, Monte Carlo).
    pub heavy_workers: usize,
    /// The longest a computation may take before the client gets 503.
    pub timeout: Duration,
    /// Requests that may wait for a busy worker (a bounded queue; past it, 429 at once), and
    /// how long each may wait before 429.
    pub queue: usize,
    pub queue_wait: Duration,
    /// The population society-wide requests use unless they name another.
    pub population: BuildSpec,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            token: None,
            cors: None,
            heavy_workers: std::thread::available_parallelism().map_or(2, |n| n.get()),
            timeout: Duration::from_secs(60),
            queue: 16,
            queue_wait: Duration::from_secs(10),
            population: BuildSpec::default(),
        }
    }
}

/// What every handler shares.
pub struct AppState {
    pub lab: Arc<Lab>,
    pub store: Arc<dyn Store>,
    pub config: ServerConfig,
    heavy: Arc<Semaphore>,
    /// Requests waiting for a worker now.
    waiting: std::sync::atomic::AtomicUsize,
    /// The validation table of the default population (computed once, on first request).
    validation: tokio::sync::OnceCell<serde_json::Value>,
    /// The population build in progress, if any (`GET /progress`).
    pub(crate) building: Arc<std::sync::Mutex<Option<api::BuildProgress>>>,
}

impl AppState {
    pub fn new(lab: Arc<Lab>, store: Arc<dyn Store>, config: ServerConfig) -> Arc<AppState> {
        Arc::new(AppState {
            // Zero workers refuses every society-wide request (the command line requires one or more).
            heavy: Arc::new(Semaphore::new(config.heavy_workers)),
            lab,
            store,
            config,
            validation: tokio::sync::OnceCell::new(),
            building: Arc::default(),
            waiting: std::sync::atomic::AtomicUsize::new(0),
        })
    }

    /// Runs society-wide work on the blocking pool, if a worker is free (else 429), within the
    /// timeout (else 503; the work finishes and frees its worker).
    pub(crate) async fn heavy<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Lab, hkb_engine::Progress<'_>) -> Result<T, EngineError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let permit = match self.heavy.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                // A short, bounded wait: a burst (one page asking for two runs) is served in
                // turn; past the queue or the wait, 429 with Retry-After.
                use std::sync::atomic::Ordering;
                if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.config.queue {
                    self.waiting.fetch_sub(1, Ordering::SeqCst);
                    return Err(ApiError::busy());
                }
                let got = tokio::time::timeout(
                    self.config.queue_wait,
                    self.heavy.clone().acquire_owned(),
                )
                .await;
                self.waiting.fetch_sub(1, Ordering::SeqCst);
                match got {
                    Ok(Ok(p)) => p,
                    _ => return Err(ApiError::busy()),
                }
            }
        };
        let lab = self.lab.clone();
        let building = self.building.clone();
        let task = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            // A population being built reports its steps, for a progress bar in the lab.
            let progress = |e: hkb_engine::ProgressEvent<'_>| {
                if let Ok(mut b) = building.lock() {
                    *b = match e {
                        hkb_engine::ProgressEvent::Step { step, done, of } => {
                            Some(api::BuildProgress {
                                step: step.to_string(),
                                label: api::step_label(step),
                                done,
                                of,
                            })
                        }
                        _ => None,
                    };
                }
            };
            let r = f(&lab, &progress);
            if let Ok(mut b) = building.lock() {
                *b = None;
            }
            r
        });
        match tokio::time::timeout(self.config.timeout, task).await {
            Err(_) => Err(ApiError::new(
                ApiErrorCode::Timeout,
                "",
                format!(
                    "the computation took longer than {} s; try a smaller population or fewer paths",
                    self.config.timeout.as_secs()
                ),
                format!(
                    "計算超過 {} 秒；請減少人口或路徑數目",
                    self.config.timeout.as_secs()
                ),
            )),
            Ok(Err(e)) => Err(ApiError::new(
                ApiErrorCode::Internal,
                "",
                format!("the computation failed: {e}"),
                "計算失敗",
            )),
            Ok(Ok(r)) => r.map_err(ApiError::from),
        }
    }
}

/// The whole application: `/api/v1/…`, the reference page, security headers, CORS, logs.
pub fn router(state: Arc<AppState>) -> Router {
    let api = api::routes()
        .merge(scenarios::routes())
        .merge(export::routes())
        .merge(openapi::routes())
        .fallback(security::not_found);
    let app = Router::new()
        .nest("/api/v1", api)
        .fallback(web::serve)
        .with_state(state.clone());
    security::layers(app, &state.config)
}
