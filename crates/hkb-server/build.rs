//! Builds the web lab (`web/`, TypeScript with Vite) into the server's embedded assets.
//!
//! When `web/dist` is missing or older than the sources, runs `npm ci` (if `node_modules` is
//! missing) and `npm run build`, then copies `web/dist` to `$OUT_DIR/web`, which `src/web.rs`
//! embeds. Without Node.js (or with `HKBUDGET_SKIP_WEB=1`) the server is built with a page that
//! says how to build the lab; the API is unaffected.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

const SOURCES: &[&str] = &[
    "src",
    "index.html",
    "package.json",
    "package-lock.json",
    "vite.config.ts",
    "tsconfig.json",
    "openapi.json",
];

fn newest(p: &Path) -> Option<SystemTime> {
    let meta = std::fs::metadata(p).ok()?;
    if meta.is_dir() {
        std::fs::read_dir(p)
            .ok()?
            .flatten()
            .filter_map(|e| newest(&e.path()))
            .max()
    } else {
        meta.modified().ok()
    }
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let target = to.join(e.file_name());
        if e.file_type()?.is_dir() {
            copy_dir(&e.path(), &target)?;
        } else {
            std::fs::copy(e.path(), target)?;
        }
    }
    Ok(())
}

fn npm(web: &Path, args: &[&str]) -> bool {
    match Command::new("npm").args(args).current_dir(web).status() {
        Ok(s) if s.success() => true,
        Ok(s) => {
            println!(
                "cargo:warning=web lab: `npm {}` failed ({s})",
                args.join(" ")
            );
            false
        }
        Err(e) => {
            println!("cargo:warning=web lab: npm not found ({e}); install Node.js 20+ to build it");
            false
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let web = manifest.join("../../web");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("web");
    println!("cargo:rerun-if-env-changed=HKBUDGET_SKIP_WEB");
    for s in SOURCES {
        println!("cargo:rerun-if-changed={}", web.join(s).display());
    }
    let dist = web.join("dist");
    let _ = std::fs::remove_dir_all(&out);
    let skip = std::env::var("HKBUDGET_SKIP_WEB").is_ok_and(|v| v == "1");
    let mut built = false;
    if !skip && web.join("package.json").exists() {
        let sources = SOURCES.iter().filter_map(|s| newest(&web.join(s))).max();
        let output = newest(&dist.join("index.html"));
        let fresh = matches!((sources, output), (Some(s), Some(o)) if o >= s);
        built = fresh
            || ((web.join("node_modules").exists()
                || npm(&web, &["ci", "--no-audit", "--no-fund"]))
                && npm(&web, &["run", "build"]));
    }
    if built && dist.join("index.html").exists() && copy_dir(&dist, &out).is_ok() {
        println!("cargo:rustc-env=HKBUDGET_WEB=built");
        return;
    }
    // The fallback page: the API works; the lab needs Node.js to build.
    let _ = std::fs::create_dir_all(&out);
    let _ = std::fs::write(
        out.join("index.html"),
        "<!doctype html><html lang=\"zh-Hant\"><head><meta charset=\"utf-8\"><title>hkbudget</title><link rel=\"stylesheet\" href=\"/api/v1/docs.css\"></head><body><main><h1>hkbudget</h1><p>網上實驗室未有建置：請安裝 Node.js 20 或以上版本，然後重新建置（cargo build）。<br>The web lab was not built: install Node.js 20 or later and build again (cargo build).</p><p><a href=\"/api/v1/docs\">API 參考 · API reference</a></p></main></body></html>",
    );
    println!("cargo:rustc-env=HKBUDGET_WEB=missing");
}
