//! The bad-input corpus (`tests/bad-input/`): every case, on the command line and against a
//! server on 127.0.0.1, must be refused cleanly — exit code 2 or a 4xx status, within 5 s, no
//! panic, and the field at fault named (in stderr, or as the API error's `field`). The corpus
//! says what each case expects; this runs them all and lists every case that does otherwise.

mod common;

use common::{agent, bin, root, start};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TIME_LIMIT: Duration = Duration::from_secs(5);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSpec {
    name: String,
    content: Option<String>,
    hex: Option<String>,
    generate: Option<BTreeMap<String, String>>,
}

/// One value of a case: the text put where `{v}` is, and what its error must name besides the
/// case's own names.
#[derive(Deserialize, Clone)]
#[serde(untagged)]
enum CaseValue {
    Plain(String),
    Named { v: String, names: Vec<String> },
}

impl CaseValue {
    fn text(&self) -> &str {
        match self {
            CaseValue::Plain(v) | CaseValue::Named { v, .. } => v,
        }
    }

    fn names(&self) -> &[String] {
        match self {
            CaseValue::Plain(_) => &[],
            CaseValue::Named { names, .. } => names,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CliCase {
    name: String,
    args: Vec<String>,
    #[serde(default)]
    values: Vec<CaseValue>,
    file: Option<FileSpec>,
    expect: CliExpect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CliExpect {
    #[serde(default = "exit_two")]
    exit: i32,
    names: Vec<String>,
}

fn exit_two() -> i32 {
    2
}

#[derive(Deserialize, Default, Clone, Copy, PartialEq)]
#[serde(rename_all = "snake_case")]
enum Match {
    /// The error's field is exactly the expected one.
    #[default]
    Exact,
    /// The error's field starts with the expected one (and is not empty).
    Prefix,
    /// The error names some field (not empty).
    Named,
    /// Any field, even none (a request with no field to blame, such as an unknown route).
    Any,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApiCase {
    name: String,
    post: Option<String>,
    get: Option<String>,
    method: Option<String>,
    path: Option<String>,
    body: Option<String>,
    hex: Option<String>,
    generate: Option<BTreeMap<String, String>>,
    #[serde(default)]
    values: Vec<String>,
    expect: ApiExpect,
    #[serde(default, rename = "match")]
    matching: Match,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApiExpect {
    status: Option<u16>,
    field: String,
}

fn subst(s: &str, v: &str, dir: &Path, file: &Path) -> String {
    s.replace("{v}", v)
        .replace("{file}", &file.display().to_string())
        .replace("{dir}", &dir.display().to_string())
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .map(|i| {
            u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap_or_else(|e| panic!("hex {s}: {e}"))
        })
        .collect()
}

/// Inputs too big or too odd to commit as files, made the same way each run.
fn generate(spec: &BTreeMap<String, String>, v: &str) -> Vec<u8> {
    let (kind, n) = spec
        .iter()
        .next()
        .unwrap_or_else(|| panic!("empty generate"));
    let n: usize = n
        .replace("{v}", v)
        .parse()
        .unwrap_or_else(|e| panic!("generate {kind}: {e}"));
    match kind.as_str() {
        // A value nested n arrays deep where an amount belongs.
        "nested_json" => format!(
            "{{\"year\": \"2024/25\", \"taxpayer\": {{\"employment_income\": {}1{}}}}}",
            "[".repeat(n),
            "]".repeat(n)
        )
        .into_bytes(),
        // The "billion laughs": n levels of ten aliases each.
        "alias_bomb" => {
            let mut s = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
            for i in 1..=n {
                let p = format!("*a{}", i - 1);
                s.push_str(&format!("a{i}: &a{i} [{}]\n", vec![p; 10].join(", ")));
            }
            s.push_str(&format!("year: 2024/25\ntaxpayer: {{employment_income: *a{n}}}\n"));
            s.into_bytes()
        }
        // n levels of ten aliases each inside a reform's value, which is read as JSON-like
        // data and so would expand them all.
        "alias_bomb_reform" => {
            let mut s = String::from("changes:\n  salaries_tax.allowances.basic:\n    2025/26: [&a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]");
            for i in 1..=n {
                let p = format!("*a{}", i - 1);
                s.push_str(&format!(", &a{i} [{}]", vec![p; 10].join(", ")));
            }
            s.push_str("]\n");
            s.into_bytes()
        }
        "huge_yaml" => {
            let mut s = String::from("year: 2024/25\ntaxpayer: {employment_income: 1}\n# ");
            s.push_str(&"x".repeat(n));
            s.into_bytes()
        }
        "huge_json" => format!(
            "{{\"year\": \"2024/25\", \"taxpayer\": {{\"employment_income\": 1}}, \"pad\": \"{}\"}}",
            "x".repeat(n)
        )
        .into_bytes(),
        // A package whose custom costing's amount is 1 inside n parentheses.
        "deep_expression" => format!(
            "custom:\n  - {{id: mine, method: lines, description: mine, parameters: {{}}, lines: [{{name: x, kind: expenditure, amount: '{}1{}', start: 2026-27}}]}}\n",
            "(".repeat(n),
            ")".repeat(n)
        )
        .into_bytes(),
        other => panic!("unknown generator {other}"),
    }
}

fn values(v: &[String]) -> Vec<String> {
    if v.is_empty() {
        vec![String::new()]
    } else {
        v.to_vec()
    }
}

fn panicked(text: &str) -> bool {
    text.contains("panicked") || text.contains("RUST_BACKTRACE") || text.contains("stack overflow")
}

#[test]
fn every_bad_command_line_is_refused_naming_the_field() {
    let text = std::fs::read_to_string(root().join("tests/bad-input/cli.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let cases: Vec<CliCase> =
        serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("cli.yaml: {e}"));
    let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (mut n, mut failures) = (0, Vec::new());
    for case in &cases {
        let plain = [CaseValue::Plain(String::new())];
        let vals: &[CaseValue] = if case.values.is_empty() {
            &plain
        } else {
            &case.values
        };
        for value in vals {
            let v = value.text().to_string();
            let names: Vec<&String> = case.expect.names.iter().chain(value.names()).collect();
            assert!(
                !names.is_empty(),
                "{} [{v}]: the corpus must say what the error names",
                case.name
            );
            n += 1;
            let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
            let file = dir
                .path()
                .join(case.file.as_ref().map_or("unused", |f| f.name.as_str()));
            if let Some(f) = &case.file {
                let bytes = match (&f.content, &f.hex, &f.generate) {
                    (Some(c), _, _) => c.replace("{v}", &v).into_bytes(),
                    (_, Some(h), _) => hex(&h.replace("{v}", &v)),
                    (_, _, Some(g)) => generate(g, &v),
                    _ => panic!("{}: a file needs content, hex or generate", case.name),
                };
                std::fs::write(&file, bytes).unwrap_or_else(|e| panic!("{e}"));
            }
            let args: Vec<String> = case
                .args
                .iter()
                .map(|a| subst(a, &v, dir.path(), &file))
                .collect();
            let label = format!("{} [{v}]: hkbudget {}", case.name, args.join(" "));
            let mut child = Command::new(bin())
                .args(&args)
                .current_dir(dir.path())
                .env("HKBUDGET_CACHE", cache.path())
                .env_remove("HKBUDGET_PARAMS")
                .env_remove("HKBUDGET_TOKEN")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap_or_else(|e| panic!("{label}: {e}"));
            let mut stderr = child.stderr.take().unwrap_or_else(|| panic!("no stderr"));
            let reader = std::thread::spawn(move || {
                let mut s = String::new();
                let _ = stderr.read_to_string(&mut s);
                s
            });
            let t = Instant::now();
            let status = loop {
                if let Some(s) = child.try_wait().unwrap_or_else(|e| panic!("{e}")) {
                    break Some(s);
                }
                if t.elapsed() > TIME_LIMIT {
                    let _ = child.kill();
                    let _ = child.wait();
                    break None;
                }
                std::thread::sleep(Duration::from_millis(5));
            };
            let err = reader.join().unwrap_or_default();
            let why = match status {
                None => Some(format!("no answer in {TIME_LIMIT:?}")),
                Some(_) if panicked(&err) => Some("panicked".to_string()),
                Some(s) if s.code() != Some(case.expect.exit) => Some(format!(
                    "exit {:?}, expected {}",
                    s.code(),
                    case.expect.exit
                )),
                Some(_) => names
                    .iter()
                    .map(|name| subst(name, &v, dir.path(), &file))
                    .find(|name| !err.contains(name.as_str()))
                    .map(|name| format!("does not name {name:?}")),
            };
            if std::env::var_os("BAD_INPUT_SHOW").is_some() {
                eprintln!(
                    "{label}\n    -> {}",
                    err.trim().lines().next().unwrap_or("")
                );
            }
            if let Some(why) = why {
                failures.push(format!(
                    "{label}\n    {why}\n    stderr: {}",
                    err.trim().replace('\n', "\n            ")
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {n} command-line cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(n >= 150, "only {n} command-line cases");
    eprintln!("bad input: {n} command-line cases, each refused with exit code 2 naming the field");
}

#[test]
fn every_bad_request_is_a_4xx_naming_the_field() {
    let text = std::fs::read_to_string(root().join("tests/bad-input/api.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let cases: Vec<ApiCase> =
        serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("api.yaml: {e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("s.sqlite").display().to_string();
    let server = start(&db, dir.path(), &[]);
    let api = format!("{}/api/v1", server.url);
    let (mut n, mut failures) = (0, Vec::new());
    for case in &cases {
        for v in values(&case.values) {
            n += 1;
            let (method, path) = match (&case.post, &case.get, &case.method, &case.path) {
                (Some(p), _, _, _) => ("POST".to_string(), p.replace("{v}", &v)),
                (_, Some(p), _, _) => ("GET".to_string(), p.replace("{v}", &v)),
                (_, _, Some(m), Some(p)) => (m.replace("{v}", &v), p.replace("{v}", &v)),
                _ => panic!("{}: give post, get, or method and path", case.name),
            };
            let body: Option<Vec<u8>> = match (&case.body, &case.hex, &case.generate) {
                (Some(b), _, _) => Some(b.replace("{v}", &v).into_bytes()),
                (_, Some(h), _) => Some(hex(&h.replace("{v}", &v))),
                (_, _, Some(g)) => Some(generate(g, &v)),
                _ => None,
            };
            let label = format!("{} [{v}]: {method} {path}", case.name);
            let url = format!("{api}{path}");
            // A connection of its own for each case: after refusing a body unread (413) the
            // server closes the connection, which a pooled client would try to reuse.
            let a = agent();
            let t = Instant::now();
            // A body past the server's limit is announced, not sent: the server answers from the
            // Content-Length alone (and a client still writing would meet a closed socket).
            if let Some(b) = body.as_ref().filter(|b| b.len() > 1 << 20) {
                let why = match announce(&server.url, &format!("/api/v1{path}"), b.len()) {
                    Ok((status, text)) => {
                        let json: serde_json::Value =
                            serde_json::from_str(&text).unwrap_or_default();
                        (case.expect.status.is_some_and(|s| s != status)
                            || !(400..500).contains(&status)
                            || json["code"].as_str().is_none())
                        .then(|| format!("status {status}: {text}"))
                    }
                    Err(e) => Some(format!("no response: {e}")),
                };
                if let Some(why) = why {
                    failures.push(format!("{label}\n    {why}"));
                }
                continue;
            }
            let sent = match (method.as_str(), body) {
                ("GET", _) => a.get(&url).call(),
                ("DELETE", _) => a.delete(&url).call(),
                (m, b) => {
                    let b = b.unwrap_or_default();
                    let req = match m {
                        "POST" => a.post(&url),
                        "PUT" => a.put(&url),
                        "PATCH" => a.patch(&url),
                        other => panic!("{label}: method {other}"),
                    };
                    req.header("content-type", "application/json").send(&b[..])
                }
            };
            let took = t.elapsed();
            let why = match sent {
                Err(e) => Some(format!("no response: {e}")),
                Ok(mut r) => {
                    let status = r.status().as_u16();
                    let text = r.body_mut().read_to_string().unwrap_or_default();
                    let json: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
                    let field = json["field"].as_str();
                    let want = case.expect.field.replace("{v}", &v);
                    if took > TIME_LIMIT {
                        Some(format!("took {took:?}"))
                    } else if !(400..500).contains(&status) {
                        Some(format!(
                            "status {status}: {}",
                            text.chars().take(300).collect::<String>()
                        ))
                    } else if case.expect.status.is_some_and(|s| s != status) {
                        Some(format!(
                            "status {status}, expected {:?}",
                            case.expect.status
                        ))
                    } else if json["code"].as_str().is_none_or(str::is_empty)
                        || json["message"]["en"].as_str().is_none_or(str::is_empty)
                        || json["message"]["zh"].as_str().is_none_or(str::is_empty)
                    {
                        Some(format!("not the error shape: {text}"))
                    } else {
                        let f = field.unwrap_or("<none>");
                        let ok = match case.matching {
                            Match::Exact => f == want,
                            Match::Prefix => !f.is_empty() && f.starts_with(want.as_str()),
                            Match::Named => !f.is_empty(),
                            Match::Any => true,
                        };
                        (!ok).then(|| {
                            format!(
                                "field {f:?}, expected {want:?} ({:?} match): {}",
                                match_name(case.matching),
                                text.chars().take(300).collect::<String>()
                            )
                        })
                    }
                }
            };
            if let Some(why) = why {
                failures.push(format!("{label}\n    {why}"));
            }
        }
    }
    // Memory stays bounded while the server refuses a stream of oversized requests: bodies
    // announced past the limit (refused unread) and bodies sent past it (read up to the limit).
    let rss = |pid: u32| -> u64 {
        std::fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmRSS:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            })
            .unwrap_or(0)
    };
    let pid = server.child.id();
    let before = rss(pid);
    let big = vec![b' '; (1 << 20) + 4096];
    for i in 0..400 {
        if i % 4 == 0 {
            let _ = agent()
                .post(format!("{api}/calc/salaries"))
                .header("content-type", "application/json")
                .send(&big[..]);
        } else {
            let (status, _) = announce(&server.url, "/api/v1/society", 50 << 20)
                .unwrap_or_else(|e| panic!("no answer to an oversized request: {e}"));
            assert_eq!(status, 413);
        }
    }
    let after = rss(pid);
    if before > 0 {
        assert!(
            after < before + 64 * 1024,
            "the server grew from {before} kB to {after} kB while refusing 400 oversized requests"
        );
        eprintln!(
            "bad input: 400 oversized requests refused; server memory {before} kB → {after} kB"
        );
    }
    // The server is still up and answering after all of it.
    let mut health = agent()
        .get(format!("{api}/health"))
        .call()
        .unwrap_or_else(|e| panic!("the server stopped answering: {e}"));
    assert_eq!(
        health.status().as_u16(),
        200,
        "{:?}",
        health.body_mut().read_to_string()
    );
    assert!(
        failures.is_empty(),
        "{} of {n} API cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(n >= 150, "only {n} API cases");
    eprintln!("bad input: {n} API cases, each a 4xx naming the field");
}

/// Sends a POST's headers announcing `len` bytes of JSON, no body, and reads the answer.
fn announce(base: &str, path: &str, len: usize) -> std::io::Result<(u16, String)> {
    use std::io::Write;
    let host = base.trim_start_matches("http://");
    let mut conn = std::net::TcpStream::connect(host)?;
    conn.set_read_timeout(Some(TIME_LIMIT))?;
    write!(
        conn,
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n"
    )?;
    let mut reply = Vec::new();
    let _ = conn.read_to_end(&mut reply);
    let reply = String::from_utf8_lossy(&reply).to_string();
    let status = reply
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = reply.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    Ok((status, body))
}

fn match_name(m: Match) -> &'static str {
    match m {
        Match::Exact => "exact",
        Match::Prefix => "prefix",
        Match::Named => "named",
        Match::Any => "any",
    }
}
