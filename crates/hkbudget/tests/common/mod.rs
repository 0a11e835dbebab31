//! What the integration tests share: the binary, the repository root, and a server started on
//! a free loopback port.

#![allow(dead_code)] // each test file uses its own part

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_hkbudget")
}

pub fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

pub struct Server {
    pub child: Child,
    pub url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the server on a free loopback port (20,000 earners, 2,000 businesses) and waits for
/// its URL.
pub fn start(db: &str, cache: &Path, extra: &[&str]) -> Server {
    let mut child = Command::new(bin())
        .args(["serve", "--addr", "127.0.0.1:0", "--db", db])
        .args(["--persons", "20000", "--businesses", "2000"])
        .args(extra)
        .env("HKBUDGET_CACHE", cache)
        .env("HKBUDGET_LOG", "warn")
        .env_remove("HKBUDGET_TOKEN")
        .env_remove("HKBUDGET_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("could not start hkbudget serve: {e}"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let mut line = String::new();
    let _ = BufReader::new(stdout).read_line(&mut line);
    let url = line.trim().trim_end_matches('/').to_string();
    assert!(
        url.starts_with("http://127.0.0.1:"),
        "no URL printed: {line:?}"
    );
    Server { child, url }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into()
}
