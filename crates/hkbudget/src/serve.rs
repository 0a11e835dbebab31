//! `hkbudget serve`: loads the lab once (law, catalogue, fiscal data, the population), opens the
//! scenario store, binds the address, prints the URL, and serves until SIGTERM or Ctrl-C, then
//! lets requests in flight finish and closes the store.

use crate::cli::{Lang, ServeArgs};
use crate::{UserError, cache_dir, user};
use hkb_engine::{Lab, LabOptions, Limits};
use hkb_server::{AppState, ServerConfig};
use hkb_store::{PgStore, SqliteStore, Store};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The default store: `$XDG_DATA_HOME/hkbudget/scenarios.sqlite`, else
/// `$HOME/.local/share/hkbudget/scenarios.sqlite`, else `./hkbudget-scenarios.sqlite`.
fn default_db() -> PathBuf {
    let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    if let Some(d) = var("XDG_DATA_HOME") {
        return PathBuf::from(d).join("hkbudget").join("scenarios.sqlite");
    }
    if let Some(h) = var("HOME") {
        return PathBuf::from(h)
            .join(".local")
            .join("share")
            .join("hkbudget")
            .join("scenarios.sqlite");
    }
    PathBuf::from("hkbudget-scenarios.sqlite")
}

pub fn serve(a: ServeArgs, law: Option<hkb_law::Law>, lang: Lang) -> anyhow::Result<()> {
    let zh = lang == Lang::Zh;
    let addr: SocketAddr = a.addr.parse().map_err(|e| {
        UserError(format!(
            "--addr {}: {e} (give IP:PORT, e.g. 127.0.0.1:8080)",
            a.addr
        ))
    })?;
    let token = a.token.clone().filter(|t| !t.is_empty());
    if !addr.ip().is_loopback() && token.is_none() {
        return user(format!(
            "refusing to listen on {addr} without a token: beyond this machine anyone could save or delete scenarios. Give --token (or HKBUDGET_TOKEN); every write will then need 'Authorization: Bearer <token>'. To stay on this machine use --addr 127.0.0.1:{}",
            addr.port()
        ));
    }
    if let Some(t) = &token
        && t.len() < 16
    {
        return user("--token: use at least 16 characters");
    }
    let filter = tracing_subscriber::EnvFilter::try_from_env("HKBUDGET_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();

    let started = Instant::now();
    let limits = Limits {
        max_persons: a.max_persons,
        max_paths: a.max_paths,
        ..Limits::server()
    };
    let lab = Arc::new(Lab::new(LabOptions {
        law,
        cache_dir: Some(cache_dir()),
        limits,
    })?);
    let population = a.pop.spec();
    lab.check_spec(&population)?;
    if !a.no_preload {
        let progress = crate::io::Progress::with_lang(zh, false);
        lab.population(population, false, &|e| progress.event(e))?;
    }
    let workers = a
        .workers
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    if workers == 0 {
        return user("--workers: give at least 1");
    }
    let config = ServerConfig {
        token,
        cors: a.cors.clone(),
        heavy_workers: workers,
        timeout: Duration::from_secs(a.timeout.max(1)),
        population,
        ..ServerConfig::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let db = a.db.clone().filter(|d| !d.trim().is_empty());
        let (store, where_): (Arc<dyn Store>, String) = match &db {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                let s = PgStore::connect(url, 8)
                    .await
                    .map_err(|e| UserError(format!("--db: {e}")))?;
                // Never print a password.
                let shown = url.split('@').next_back().unwrap_or("");
                (Arc::new(s), format!("postgres {shown}"))
            }
            other => {
                let path = other.as_ref().map_or_else(default_db, PathBuf::from);
                let s = SqliteStore::open(&path)
                    .map_err(|e| UserError(format!("--db {}: {e}", path.display())))?;
                let shown = if s.writable() {
                    format!("sqlite {}", path.display())
                } else if zh {
                    format!("sqlite {}（唯讀：可讀取已儲存的情景，不能儲存）", path.display())
                } else {
                    format!(
                        "sqlite {} (read-only: saved scenarios read, saves are refused)",
                        path.display()
                    )
                };
                (Arc::new(s), shown)
            }
        };
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| UserError(format!("--addr {addr}: {e}")))?;
        // The address actually bound (port 0 picks a free one).
        let addr = listener.local_addr().unwrap_or(addr);
        let state = AppState::new(lab, store.clone(), config);
        let app = hkb_server::router(state);
        let ms = started.elapsed().as_millis();
        if zh {
            eprintln!(
                "hkbudget 已在 http://{addr}/ 提供服務（API：/api/v1，參考：/api/v1/docs；情景庫：{where_}；{ms} 毫秒內就緒）"
            );
        } else {
            eprintln!(
                "hkbudget serving on http://{addr}/ (API: /api/v1, reference: /api/v1/docs; store: {where_}; ready in {ms} ms)"
            );
        }
        println!("http://{addr}/");
        axum_serve(listener, app).await?;
        store.close().await;
        eprintln!("{}", if zh { "已停止" } else { "stopped" });
        Ok::<(), anyhow::Error>(())
    })
}

async fn axum_serve(listener: tokio::net::TcpListener, app: axum::Router) -> anyhow::Result<()> {
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown())
        .await?;
    Ok(())
}

/// Ctrl-C or SIGTERM.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}
