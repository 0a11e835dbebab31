//! `hkbudget serve` as a user runs it: the command line and the API give identical answers for
//! every example file and every worked case; a save that was acknowledged survives `kill -9`
//! byte for byte; the server refuses to listen beyond loopback without a token.

use serde_json::Value;
use serde_json::value::RawValue;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;
use common::{agent, bin, root, start};

fn post(a: &ureq::Agent, url: &str, body: &str) -> Result<(u16, String), ureq::Error> {
    let mut r = a
        .post(url)
        .header("content-type", "application/json")
        .send(body)?;
    let status = r.status().as_u16();
    Ok((status, r.body_mut().read_to_string()?))
}

fn get(a: &ureq::Agent, url: &str) -> Result<(u16, String), ureq::Error> {
    let mut r = a.get(url).call()?;
    let status = r.status().as_u16();
    Ok((status, r.body_mut().read_to_string()?))
}

fn cli(args: &[&str], cache: &Path) -> Value {
    let out = Command::new(bin())
        .args(args)
        .env("HKBUDGET_CACHE", cache)
        .env_remove("HKBUDGET_PARAMS")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

/// `hkbudget calc SUB --input FILE --format json`.
fn calc_cli(sub: &str, file: &Path, cache: &Path) -> Value {
    cli(
        &[
            "calc",
            sub,
            "--input",
            &file.display().to_string(),
            "--format",
            "json",
        ],
        cache,
    )
}

fn yaml_file_as_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"));
    serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_command_line_and_the_api_agree() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let cache = dir.path().join("cache");
    let db = dir.path().join("s.sqlite");
    let server = start(&db.display().to_string(), &cache, &[]);
    let a = agent();
    let api = |path: &str, body: &Value| -> Value {
        let (status, text) = post(
            &a,
            &format!("{}/api/v1{path}", server.url),
            &body.to_string(),
        )
        .unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(status, 200, "{path}: {text}");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"))
    };
    // The acceptance example: examples/family.yaml through both.
    let ex = root().join("examples");
    let family = ex.join("family.yaml");
    let by_cli = cli(
        &[
            "calc",
            "salaries",
            "--input",
            &family.display().to_string(),
            "--format",
            "json",
        ],
        &cache,
    );
    let by_api = api("/calc/salaries", &yaml_file_as_json(&family));
    assert_eq!(by_cli["tax_payable"], by_api["tax_payable"]);
    assert_eq!(by_cli, by_api);
    // examples/family.json (for curl -d @) is the same household.
    let json_text = std::fs::read_to_string(ex.join("family.json")).unwrap_or_default();
    let as_json: Value = serde_json::from_str(&json_text).unwrap_or_default();
    assert_eq!(as_json, yaml_file_as_json(&family));
    // Every example file of a calculator, and the package examples.
    for (file, sub, path) in [
        ("newborn-2025.yaml", "salaries", "/calc/salaries"),
        ("deal.yaml", "stamp-duty", "/calc/stamp-duty"),
    ] {
        let f = ex.join(file);
        let c = calc_cli(sub, &f, &cache);
        assert_eq!(c, api(path, &yaml_file_as_json(&f)), "{file}");
    }
    for file in ["package.yaml", "custom-package.yaml"] {
        let f = ex.join(file);
        let c = cli(
            &[
                "package",
                "run",
                &f.display().to_string(),
                "--format",
                "json",
                "--persons",
                "20000",
                "--businesses",
                "2000",
            ],
            &cache,
        );
        let body = serde_json::json!({"package": yaml_file_as_json(&f)});
        assert_eq!(c, api("/packages/run", &body), "{file}");
    }
    // Every worked case of tests/cases, for every calculator.
    let mut n = 0;
    for entry in std::fs::read_dir(root().join("tests/cases"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let cases = yaml_file_as_json(&entry.path());
        for case in cases["cases"].as_array().into_iter().flatten() {
            let (sub, path) = match case["calc"].as_str().unwrap_or("") {
                "salaries" => ("salaries", "/calc/salaries"),
                "profits" => ("profits", "/calc/profits"),
                "property_tax" => ("property-tax", "/calc/property-tax"),
                "stamp_duty" => ("stamp-duty", "/calc/stamp-duty"),
                "stock_duty" => ("stock-duty", "/calc/stock-duty"),
                "rates" => ("rates", "/calc/rates"),
                _ => continue,
            };
            if case.get("error").is_some() {
                continue;
            }
            // A case with `years` repeats over those years (as the case runner does).
            let years: Vec<Option<String>> = match case["years"].as_array() {
                Some(ys) => ys.iter().map(|y| y.as_str().map(str::to_string)).collect(),
                None => vec![None],
            };
            for year in years {
                let mut input = case["input"].clone();
                if let (Some(y), Value::Object(m)) = (&year, &mut input) {
                    m.insert("year".into(), Value::String(y.clone()));
                }
                let f = dir.path().join(format!("case-{n}.json"));
                std::fs::write(&f, input.to_string()).unwrap_or_else(|e| panic!("{e}"));
                let c = calc_cli(sub, &f, &cache);
                assert_eq!(c, api(path, &input), "{} {year:?}", case["name"]);
                n += 1;
            }
        }
    }
    assert!(n >= 40, "only {n} cases compared");
}

#[test]
fn a_non_loopback_address_needs_a_token() {
    let out = Command::new(bin())
        .args(["serve", "--addr", "0.0.0.0:8080", "--no-preload"])
        .env_remove("HKBUDGET_TOKEN")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("refusing to listen on 0.0.0.0:8080 without a token"),
        "{err}"
    );
    assert!(
        err.contains("--token") && err.contains("HKBUDGET_TOKEN"),
        "{err}"
    );
}

#[derive(serde::Deserialize)]
struct Saved<'a> {
    id: String,
    #[serde(borrow)]
    body: &'a RawValue,
}

/// A client saves 1,000 scenarios; the server is killed with SIGKILL part-way; after a restart
/// every save that was acknowledged (201 or 200) reads back byte for byte.
fn crash_test(db: &str, cache: &Path) {
    let server = start(db, cache, &["--no-preload"]);
    let url = format!("{}/api/v1/scenarios", server.url);
    let acked: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let count = Arc::new(AtomicUsize::new(0));
    let run = format!("{}", std::process::id());
    let client = {
        let acked = acked.clone();
        let count = count.clone();
        std::thread::spawn(move || {
            let a = agent();
            for i in 0..1000 {
                // Spacing and key order are the client's own: the store must keep them.
                let body = format!(
                    "{{ \"name\": {{\"en\": \"crash {run} {i}\", \"zh\": \"測試 {i}\"}},\n  \"changes\": {{\"salaries_tax.allowances.basic\": {{\"2025/26\": {}}}}} }}",
                    132_000 + i
                );
                let req = format!(
                    "{{\"name\": \"crash {run} {i}\", \"kind\": \"reform\", \"body\": {body}}}"
                );
                match post(&a, &url, &req) {
                    Ok((201 | 200, text)) => {
                        let v: Saved<'_> =
                            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
                        assert_eq!(v.body.get(), body);
                        if let Ok(mut g) = acked.lock() {
                            g.push((v.id.clone(), body));
                        }
                        count.fetch_add(1, Ordering::SeqCst);
                    }
                    Ok((s, text)) => panic!("save {i}: {s} {text}"),
                    // The server was killed: stop.
                    Err(_) => break,
                }
            }
        })
    };
    let t = Instant::now();
    while count.load(Ordering::SeqCst) < 300 && t.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(2));
    }
    let mut server = server;
    // SIGKILL: no chance to flush or close anything.
    let _ = server.child.kill();
    let _ = server.child.wait();
    let _ = client.join();
    let acked = acked.lock().map(|g| g.clone()).unwrap_or_default();
    assert!(
        acked.len() >= 300,
        "only {} saves acknowledged",
        acked.len()
    );
    assert!(acked.len() < 1000, "the server was not killed part-way");
    let server = start(db, cache, &["--no-preload"]);
    let a = agent();
    for (id, body) in &acked {
        let (status, text) = get(&a, &format!("{}/api/v1/scenarios/{id}", server.url))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(status, 200, "acknowledged save {id} is lost: {text}");
        let v: Saved<'_> = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v.body.get(), body, "{id} changed");
    }
}

#[test]
fn acknowledged_saves_survive_kill_9_sqlite() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("crash.sqlite");
    crash_test(&db.display().to_string(), &dir.path().join("cache"));
}

#[test]
fn acknowledged_saves_survive_kill_9_postgres_when_a_server_is_given() {
    let Ok(url) = std::env::var("HKBUDGET_TEST_POSTGRES") else {
        eprintln!("HKBUDGET_TEST_POSTGRES is not set: the PostgreSQL crash test did not run");
        return;
    };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    crash_test(&url, &dir.path().join("cache"));
}
