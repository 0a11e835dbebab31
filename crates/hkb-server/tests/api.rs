//! The API in process: every endpoint with good and bad input, each bad one a 4xx naming the
//! field; ETags; the scenario store's contract (201 once saved, the body as saved, If-Match, 412,
//! 428, the token); 429 when no worker is free. The law, figures and examples asserted are
//! published ones (PwC's 2024/25 sample: tax 8,200) or derived by hand in tests/cases.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use hkb_engine::{Lab, LabOptions, Limits};
use hkb_microsim::model::BuildSpec;
use hkb_server::{AppState, ServerConfig, router};
use hkb_store::SqliteStore;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::sync::{Arc, OnceLock};
use tower::ServiceExt;

const SMALL: BuildSpec = BuildSpec {
    persons: 20_000,
    businesses: 2_000,
    seed: 7,
};

fn lab() -> Arc<Lab> {
    static L: OnceLock<Arc<Lab>> = OnceLock::new();
    L.get_or_init(|| {
        Arc::new(
            Lab::new(LabOptions {
                limits: Limits {
                    max_persons: 200_000,
                    ..Limits::server()
                },
                ..LabOptions::default()
            })
            .unwrap_or_else(|e| panic!("{e}")),
        )
    })
    .clone()
}

struct App {
    router: Router,
    _dir: tempfile::TempDir,
}

fn app(config: ServerConfig) -> App {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let store = SqliteStore::open(&dir.path().join("s.sqlite")).unwrap_or_else(|e| panic!("{e}"));
    App {
        router: router(AppState::new(lab(), Arc::new(store), config)),
        _dir: dir,
    }
}

fn config() -> ServerConfig {
    ServerConfig {
        heavy_workers: 2,
        population: SMALL,
        ..ServerConfig::default()
    }
}

async fn call(
    app: &App,
    method: &str,
    uri: &str,
    body: Option<&str>,
    headers: &[(&str, &str)],
) -> (StatusCode, HeaderMap, Value) {
    let mut r = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    if body.is_some()
        && !headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
    {
        r = r.header("content-type", "application/json");
    }
    let req = r
        .body(Body::from(body.unwrap_or("").to_string()))
        .unwrap_or_else(|e| panic!("{e}"));
    let res = app
        .router
        .clone()
        .oneshot(req)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let v = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
    };
    (status, headers, v)
}

/// A 4xx JSON error naming `field` (a prefix is enough).
fn refused(got: &(StatusCode, HeaderMap, Value), status: u16, field: &str) {
    let (s, _, v) = got;
    assert_eq!(s.as_u16(), status, "{v}");
    assert!(
        v["field"].as_str().is_some_and(|f| f.starts_with(field)),
        "field {:?}, wanted {field}: {v}",
        v["field"]
    );
    assert!(
        v["message"]["en"].is_string() && v["message"]["zh"].is_string(),
        "{v}"
    );
    assert!(v["code"].is_string());
}

const PWC: &str = r#"{"year": "2024/25", "married": true, "children": 2,
  "taxpayer": {"employment_income": 700000, "mpf_mandatory": 18000, "charitable_donations": 3000}}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calculators_answer_and_refuse_bad_input_by_field() {
    let a = app(config());
    // PwC's published 2024/25 sample: 9,700 before the reduction, 8,200 after.
    let ok = call(&a, "POST", "/api/v1/calc/salaries", Some(PWC), &[]).await;
    assert_eq!(ok.0, StatusCode::OK);
    assert_eq!(ok.2["tax_payable"], 8200);
    assert_eq!(ok.2["tax_before_reduction"], 9700);
    // The same body as YAML.
    let yaml = "year: 2024/25\nmarried: true\nchildren: 2\ntaxpayer: {employment_income: 700000, mpf_mandatory: 18000, charitable_donations: 3000}\n";
    let y = call(
        &a,
        "POST",
        "/api/v1/calc/salaries",
        Some(yaml),
        &[("content-type", "application/yaml")],
    )
    .await;
    assert_eq!(y.2["tax_payable"], 8200);
    // ETag: the same request gets the same validator and a 304 when it is sent back.
    let tag =
        ok.1.get("etag")
            .and_then(|t| t.to_str().ok())
            .unwrap_or("")
            .to_string();
    assert!(tag.starts_with('"'));
    let again = call(
        &a,
        "POST",
        "/api/v1/calc/salaries",
        Some(PWC),
        &[("if-none-match", &tag)],
    )
    .await;
    assert_eq!(again.0, StatusCode::NOT_MODIFIED);
    // Bad input, each named.
    let s = "/api/v1/calc/salaries";
    refused(
        &call(
            &a,
            "POST",
            s,
            Some("{\"year\": \"2024/25\", \"taxpayer\": {"),
            &[],
        )
        .await,
        400,
        "/taxpayer",
    );
    refused(
        &call(
            &a,
            "POST",
            s,
            Some(r#"{"year": "2024/25", "colour": 1}"#),
            &[],
        )
        .await,
        400,
        "/colour",
    );
    refused(
        &call(
            &a,
            "POST",
            s,
            Some(r#"{"year": "2024/25", "taxpayer": {"employment_income": "lots"}}"#),
            &[],
        )
        .await,
        400,
        "/taxpayer/employment_income",
    );
    refused(
        &call(
            &a,
            "POST",
            s,
            Some(r#"{"year": "2024/25", "taxpayer": {"employment_income": -1}}"#),
            &[],
        )
        .await,
        422,
        "/taxpayer/employment_income",
    );
    refused(
        &call(
            &a,
            "POST",
            s,
            Some(r#"{"year": "2024/25", "taxpayer": {"employment_income": 90000000000000000}}"#),
            &[],
        )
        .await,
        422,
        "/taxpayer/employment_income",
    );
    refused(
        &call(
            &a,
            "POST",
            s,
            Some(r#"{"year": "2040/41", "taxpayer": {"employment_income": 1}}"#),
            &[],
        )
        .await,
        422,
        "/year",
    );
    refused(&call(&a, "POST", s, Some(r#"{"year": "2024/25", "taxpayer": {"employment_income": 1}, "reform": {"changes": {"salaries_tax.nope": {"2024/25": 1}}}}"#), &[]).await, 404, "/reform/changes/salaries_tax.nope");
    let body = format!(
        "{{\"year\": \"2024/25\", \"pad\": \"{}\"}}",
        "x".repeat(1 << 20)
    );
    refused(&call(&a, "POST", s, Some(&body), &[]).await, 413, "");
    // The other calculators, good and bad.
    let good = [
        (
            "/api/v1/calc/profits",
            r#"{"year": "2026/27", "assessable_profits": 3000000, "nominated": false}"#,
        ),
        (
            "/api/v1/calc/property-tax",
            r#"{"year": "2026/27", "rental_income": 160000, "rates_paid_by_owner": 4000, "months_let": 8}"#,
        ),
        (
            "/api/v1/calc/stamp-duty",
            r#"{"instrument_date": "2026-03-01", "consideration": 120000000, "property": "residential", "buyers": [{"kind": "hkpr", "owns_other_residential": true}]}"#,
        ),
        (
            "/api/v1/calc/stock-duty",
            r#"{"date": "2026-03-01", "consideration": 1000000}"#,
        ),
        (
            "/api/v1/calc/rates",
            r#"{"year": "2026-27", "rateable_value": 1000000, "domestic": true}"#,
        ),
    ];
    for (path, body) in good {
        let r = call(&a, "POST", path, Some(body), &[]).await;
        assert_eq!(r.0, StatusCode::OK, "{path}: {}", r.2);
    }
    // 6.5% of HK$120m from 26 February 2026 (the 2026-27 Budget, pf.html).
    let sd = call(&a, "POST", good[2].0, Some(good[2].1), &[]).await;
    assert_eq!(sd.2["total_duty"], 7_800_000);
    refused(
        &call(
            &a,
            "POST",
            "/api/v1/calc/profits",
            Some(r#"{"year": "2026/27", "assessable_profits": 1, "entity": "trust"}"#),
            &[],
        )
        .await,
        400,
        "/entity",
    );
    refused(
        &call(
            &a,
            "POST",
            "/api/v1/calc/stamp-duty",
            Some(r#"{"instrument_date": "yesterday", "consideration": 1, "buyers": []}"#),
            &[],
        )
        .await,
        400,
        "/instrument_date",
    );
    refused(
        &call(
            &a,
            "POST",
            "/api/v1/calc/rates",
            Some(r#"{"year": "1990-91", "rateable_value": 1, "domestic": true}"#),
            &[],
        )
        .await,
        422,
        "/year",
    );
    refused(
        &call(
            &a,
            "POST",
            "/api/v1/calc/stock-duty",
            Some(r#"{"date": "2026-03-01", "consideration": -3}"#),
            &[],
        )
        .await,
        422,
        "/consideration",
    );
    // A table the law always has cannot be removed by a reform (no law would be left to apply).
    refused(
        &call(
            &a,
            "POST",
            "/api/v1/calc/stamp-duty",
            Some(
                r#"{"instrument_date": "2026-03-01", "consideration": 1000000, "property": "residential", "buyers": [{"kind": "hkpr"}], "reform": {"changes": {"stamp_duty.avd.scale2": {"2026-01-01..": null}}}}"#,
            ),
            &[],
        )
        .await,
        422,
        "/reform/changes/stamp_duty.avd.scale2",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn law_proposals_and_meta() {
    let a = app(config());
    let v = call(&a, "GET", "/api/v1/version", None, &[]).await;
    assert_eq!(v.0, StatusCode::OK);
    assert_eq!(v.2["default_vintage"], "2026-27");
    assert_eq!(v.2["law_fingerprint"].as_str().map(str::len), Some(64));
    assert_eq!(
        call(&a, "GET", "/api/v1/health", None, &[]).await.2["status"],
        "ok"
    );
    let p = call(
        &a,
        "GET",
        "/api/v1/params/salaries_tax.allowances.basic",
        None,
        &[],
    )
    .await;
    assert_eq!(p.0, StatusCode::OK, "{}", p.2);
    assert!(p.2.to_string().contains("145000"));
    refused(
        &call(
            &a,
            "GET",
            "/api/v1/params/salaries_tax.allowances.basik",
            None,
            &[],
        )
        .await,
        404,
        "/path",
    );
    let l = call(
        &a,
        "GET",
        "/api/v1/params?year=2026/27&search=basic",
        None,
        &[],
    )
    .await;
    assert_eq!(l.0, StatusCode::OK, "{}", l.2);
    refused(
        &call(&a, "GET", "/api/v1/params?year=2026", None, &[]).await,
        400,
        "query/year",
    );
    refused(
        &call(&a, "GET", "/api/v1/params?colour=red", None, &[]).await,
        400,
        "query/colour",
    );
    let list = call(
        &a,
        "GET",
        "/api/v1/proposals?section=2&leaves_only=true",
        None,
        &[],
    )
    .await;
    assert_eq!(list.0, StatusCode::OK, "{}", list.2);
    assert!(
        list.2["proposals"]
            .as_array()
            .is_some_and(|x| !x.is_empty())
    );
    refused(
        &call(&a, "GET", "/api/v1/proposals?kind=magic", None, &[]).await,
        400,
        "query/kind",
    );
    refused(
        &call(&a, "GET", "/api/v1/proposals?leaves_only=maybe", None, &[]).await,
        400,
        "query/leaves_only",
    );
    let one = call(&a, "GET", "/api/v1/proposals/2.1(4)", None, &[]).await;
    assert_eq!(one.0, StatusCode::OK);
    assert_eq!(one.2["responses"].as_array().map(Vec::len), Some(3));
    refused(
        &call(&a, "GET", "/api/v1/proposals/9.9(9)", None, &[]).await,
        404,
        "/id",
    );
    assert_eq!(
        call(&a, "GET", "/api/v1/scorecard", None, &[]).await.2["leaves"],
        76
    );
    let nf = call(&a, "GET", "/api/v1/nothing", None, &[]).await;
    assert_eq!(nf.0, StatusCode::NOT_FOUND);
    assert_eq!(nf.2["code"], "not_found");
    let m = call(&a, "DELETE", "/api/v1/version", None, &[]).await;
    assert_eq!(m.0, StatusCode::METHOD_NOT_ALLOWED);
    // The document and the reference page; security headers everywhere.
    let doc = call(&a, "GET", "/api/v1/openapi.json", None, &[]).await;
    assert_eq!(doc.2["openapi"], "3.1.0");
    assert!(doc.1.get("content-security-policy").is_some());
    assert_eq!(
        doc.1
            .get("x-content-type-options")
            .and_then(|v| v.to_str().ok()),
        Some("nosniff")
    );
    let page = call(&a, "GET", "/api/v1/docs", None, &[]).await;
    assert!(
        page.2
            .as_str()
            .is_some_and(|h| h.contains("/calc/salaries") && !h.contains("<script"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn society_wide_work_runs_behind_the_worker_limit() {
    let a = app(config());
    let r = call(&a, "POST", "/api/v1/society", Some(r#"{"year": "2025/26", "reform": {"changes": {"salaries_tax.allowances.basic": {"2025/26": 145000}}}}"#), &[]).await;
    assert_eq!(r.0, StatusCode::OK, "{}", r.2);
    // A higher basic allowance costs revenue.
    assert!(
        r.2["total_change"].as_f64().is_some_and(|x| x < 0.0),
        "{}",
        r.2
    );
    assert_eq!(r.2["provenance"]["population"]["persons"], 20_000);
    refused(
        &call(
            &a,
            "POST",
            "/api/v1/society",
            Some(r#"{"year": "2026/27"}"#),
            &[],
        )
        .await,
        404,
        "/year",
    );
    refused(&call(&a, "POST", "/api/v1/society", Some(r#"{"year": "2025/26", "population": {"persons": 100000000, "businesses": 2000, "seed": 1}}"#), &[]).await, 413, "/population");
    refused(&call(&a, "POST", "/api/v1/society", Some(r#"{"year": "2025/26", "population": {"persons": 20000, "businesses": 2000, "seed": 1, "x": 1}}"#), &[]).await, 400, "/population/x");
    let pkg = r#"{"package": {"proposals": [{"id": "2.1(4)", "set": {"take_up": 0.5}}]}}"#;
    let p = call(&a, "POST", "/api/v1/packages/run", Some(pkg), &[]).await;
    assert_eq!(p.0, StatusCode::OK, "{}", p.2);
    assert_eq!(p.2["vintage"], "2026-27");
    refused(
        &call(
            &a,
            "POST",
            "/api/v1/packages/run",
            Some(r#"{"package": {"proposals": [{"id": "9.9(9)"}]}}"#),
            &[],
        )
        .await,
        404,
        "/package/proposals/0/id",
    );
    refused(
        &call(
            &a,
            "POST",
            "/api/v1/packages/run",
            Some(r#"{"package": {}, "vintage": "2019-20"}"#),
            &[],
        )
        .await,
        404,
        "/vintage",
    );
    refused(&call(&a, "POST", "/api/v1/packages/run", Some(r#"{"package": {"custom": [{"id": "x", "description": {"en": "x", "zh": "x"}, "method": "lines", "parameters": {}, "lines": [{"name": "x", "kind": "revenue", "amount": "1 +　2", "start": "2026-27"}]}]}}"#), &[]).await, 422, "/package/custom/0/lines/0/amount");
    let pr = call(
        &a,
        "POST",
        "/api/v1/project",
        Some(r#"{"monte_carlo": {"paths": 500, "seed": 1}}"#),
        &[],
    )
    .await;
    assert_eq!(pr.0, StatusCode::OK, "{}", pr.2);
    // 2026-27 revenue as the Budget published it (budget54.html).
    assert_eq!(pr.2["baseline"]["revenue"]["values"][0], 765.2);
    refused(
        &call(
            &a,
            "POST",
            "/api/v1/project",
            Some(r#"{"monte_carlo": {"paths": 100000000, "seed": 1}}"#),
            &[],
        )
        .await,
        413,
        "/monte_carlo",
    );
    let c = call(
        &a,
        "POST",
        "/api/v1/proposals/cost",
        Some(r#"{"id": "2.1(4)", "set": {"take_up": 2}}"#),
        &[],
    )
    .await;
    refused(&c, 422, "/set/take_up");
    // No worker free: 429 with Retry-After, at once (never an unbounded queue).
    let busy = app(ServerConfig {
        heavy_workers: 0,
        queue: 0,
        ..config()
    });
    let b = call(&busy, "POST", "/api/v1/project", Some("{}"), &[]).await;
    assert_eq!(b.0, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        b.1.get("retry-after").and_then(|v| v.to_str().ok()),
        Some("1")
    );
    assert_eq!(b.2["code"], "busy");
    // Light work does not need a worker.
    assert_eq!(
        call(&busy, "POST", "/api/v1/calc/salaries", Some(PWC), &[])
            .await
            .0,
        StatusCode::OK
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scenario_store_contract() {
    let a = app(config());
    let body = "{\"year\": \"2024/25\",  \"married\": true, \"children\": 2, \"taxpayer\": {\"employment_income\": 700000, \"mpf_mandatory\": 18000, \"charitable_donations\": 3000}}";
    let save = format!("{{\"name\": \"PwC sample\", \"kind\": \"household\", \"body\": {body}}}");
    let created = call(&a, "POST", "/api/v1/scenarios", Some(&save), &[]).await;
    assert_eq!(created.0, StatusCode::CREATED, "{}", created.2);
    let id = created.2["id"].as_str().unwrap_or("").to_string();
    assert_eq!(created.2["version"], 1);
    assert_eq!(
        created.1.get("etag").and_then(|v| v.to_str().ok()),
        Some("\"1\"")
    );
    // The same content again: the same scenario, 200.
    let again = call(&a, "POST", "/api/v1/scenarios", Some(&save), &[]).await;
    assert_eq!(again.0, StatusCode::OK);
    assert_eq!(again.2["id"], id.as_str());
    // Read back: the body exactly as sent (spacing included), through the raw response.
    let req = Request::builder()
        .uri(format!("/api/v1/scenarios/{id}"))
        .body(Body::empty())
        .unwrap_or_else(|e| panic!("{e}"));
    let res = a
        .router
        .clone()
        .oneshot(req)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let raw = res
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    assert!(String::from_utf8_lossy(&raw).contains(body));
    // Its result, recomputed now.
    let r = call(
        &a,
        "GET",
        &format!("/api/v1/scenarios/{id}/result"),
        None,
        &[],
    )
    .await;
    assert_eq!(r.2["result"]["tax_payable"], 8200);
    // Bad saves are refused before the store, naming the field.
    refused(&call(&a, "POST", "/api/v1/scenarios", Some(r#"{"name": "x", "kind": "household", "body": {"year": "2024/25", "taxpayer": {"employment_income": -1}}}"#), &[]).await, 422, "/body/taxpayer/employment_income");
    refused(
        &call(
            &a,
            "POST",
            "/api/v1/scenarios",
            Some(r#"{"name": "x", "kind": "budget", "body": {}}"#),
            &[],
        )
        .await,
        400,
        "/kind",
    );
    refused(
        &call(
            &a,
            "POST",
            "/api/v1/scenarios",
            Some(
                r#"{"name": "x", "kind": "reform", "body": {"changes": {"nope": {"2024/25": 1}}}}"#,
            ),
            &[],
        )
        .await,
        404,
        "/body/changes/nope",
    );
    refused(&call(&a, "POST", "/api/v1/scenarios", Some(r#"{"name": "", "kind": "reform", "body": {"changes": {"salaries_tax.allowances.basic": {"2024/25": 1}}}}"#), &[]).await, 422, "/name");
    // Updates need If-Match; a stale one is 412 and changes nothing.
    let upd = r#"{"name": "PwC sample, renamed", "kind": "household", "body": {"year": "2026/27", "taxpayer": {"employment_income": 400000}}}"#;
    let path = format!("/api/v1/scenarios/{id}");
    refused(
        &call(&a, "PUT", &path, Some(upd), &[]).await,
        428,
        "header/if-match",
    );
    let ok = call(&a, "PUT", &path, Some(upd), &[("if-match", "\"1\"")]).await;
    assert_eq!(ok.0, StatusCode::OK, "{}", ok.2);
    assert_eq!(ok.2["version"], 2);
    refused(
        &call(&a, "PUT", &path, Some(upd), &[("if-match", "\"1\"")]).await,
        412,
        "header/if-match",
    );
    refused(
        &call(&a, "DELETE", &path, None, &[("if-match", "\"1\"")]).await,
        412,
        "header/if-match",
    );
    let list = call(&a, "GET", "/api/v1/scenarios?limit=10", None, &[]).await;
    assert_eq!(list.2["total"], 1);
    refused(
        &call(&a, "GET", "/api/v1/scenarios?limit=100000", None, &[]).await,
        422,
        "query/limit",
    );
    assert_eq!(
        call(&a, "DELETE", &path, None, &[("if-match", "\"2\"")])
            .await
            .0,
        StatusCode::NO_CONTENT
    );
    refused(&call(&a, "GET", &path, None, &[]).await, 404, "path/id");
    refused(
        &call(&a, "GET", "/api/v1/scenarios/..%2F..%2Fetc", None, &[]).await,
        404,
        "path/id",
    );

    // With a token, every write needs it; reads do not.
    let locked = app(ServerConfig {
        token: Some("s3cret-token-for-tests".into()),
        ..config()
    });
    refused(
        &call(&locked, "POST", "/api/v1/scenarios", Some(&save), &[]).await,
        401,
        "header/authorization",
    );
    refused(
        &call(
            &locked,
            "POST",
            "/api/v1/scenarios",
            Some(&save),
            &[("authorization", "Bearer wrong")],
        )
        .await,
        401,
        "header/authorization",
    );
    let w = call(
        &locked,
        "POST",
        "/api/v1/scenarios",
        Some(&save),
        &[("authorization", "Bearer s3cret-token-for-tests")],
    )
    .await;
    assert_eq!(w.0, StatusCode::CREATED);
    assert_eq!(
        call(&locked, "GET", "/api/v1/scenarios", None, &[]).await.0,
        StatusCode::OK
    );
    let id = w.2["id"].as_str().unwrap_or("");
    refused(
        &call(
            &locked,
            "DELETE",
            &format!("/api/v1/scenarios/{id}"),
            None,
            &[],
        )
        .await,
        401,
        "header/authorization",
    );
    let _ = json!({});
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sweeps_exports_shipped_packages_and_the_lab_page() {
    let a = app(config());
    // The sweep is the calculator at each income: its points equal single calculations.
    let sweep = r#"{"request": {"year": "2026/27", "married": true, "children": 2, "taxpayer": {"employment_income": 1, "mpf_mandatory": 18000}}, "from": 0, "to": 2000000, "steps": 21}"#;
    let s = call(&a, "POST", "/api/v1/calc/salaries/sweep", Some(sweep), &[]).await;
    assert_eq!(s.0, StatusCode::OK, "{}", s.2);
    let points = s.2["points"].as_array().cloned().unwrap_or_default();
    assert_eq!(points.len(), 21);
    let one = call(&a, "POST", "/api/v1/calc/salaries", Some(r#"{"year": "2026/27", "married": true, "children": 2, "taxpayer": {"employment_income": 700000, "mpf_mandatory": 18000}}"#), &[]).await;
    let at_700k = points
        .iter()
        .find(|p| p["income"] == 700000)
        .cloned()
        .unwrap_or_default();
    assert_eq!(at_700k["tax"], one.2["tax_payable"]);
    // At HK$2m this household is on the top progressive band: 17% at the margin (IRD's rates).
    let last = points.last().cloned().unwrap_or_default();
    assert!(
        (last["marginal_rate"].as_f64().unwrap_or(0.0) - 0.17).abs() < 1e-9,
        "{last}"
    );
    refused(
        &call(
            &a,
            "POST",
            "/api/v1/calc/salaries/sweep",
            Some(r#"{"request": {"year": "2026/27"}, "to": 1000, "steps": 1000}"#),
            &[],
        )
        .await,
        422,
        "/steps",
    );
    refused(
        &call(
            &a,
            "POST",
            "/api/v1/calc/salaries/sweep",
            Some(r#"{"request": {"year": "2026/27"}, "from": 5000, "to": 1000, "steps": 3}"#),
            &[],
        )
        .await,
        422,
        "/to",
    );
    // The shipped packages, parsed.
    let p = call(&a, "GET", "/api/v1/packages", None, &[]).await;
    let ids: Vec<&str> = p.2["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x["id"].as_str())
        .collect();
    assert!(
        ids.contains(&"government-2026-27") && ids.contains(&"cgcc-not-adopted-2026-27"),
        "{ids:?}"
    );
    // Exports: CSV with a byte order mark, XLSX as a zip, both as attachments.
    let req = |uri: &str, body: &str| {
        Request::builder()
            .method("POST")
            .uri(uri)
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap_or_else(|e| panic!("{e}"))
    };
    for (uri, body, magic) in [
        (
            "/api/v1/export/salaries/csv",
            PWC,
            &b"\xEF\xBB\xBFkey,label_en"[..],
        ),
        ("/api/v1/export/salaries/xlsx", PWC, &b"PK"[..]),
        ("/api/v1/export/project/csv", "{}", &b"\xEF\xBB\xBF"[..]),
        (
            "/api/v1/export/package/xlsx",
            r#"{"package": {"proposals": [{"id": "2.1(4)"}]}}"#,
            &b"PK"[..],
        ),
    ] {
        let res = a
            .router
            .clone()
            .oneshot(req(uri, body))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::OK, "{uri}");
        let disposition = res
            .headers()
            .get("content-disposition")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        assert!(
            disposition.starts_with("attachment; filename=\"hkbudget-"),
            "{uri}: {disposition}"
        );
        let bytes = res
            .into_body()
            .collect()
            .await
            .map(|b| b.to_bytes())
            .unwrap_or_default();
        assert!(bytes.starts_with(magic), "{uri}");
    }
    refused(
        &call(&a, "POST", "/api/v1/export/salaries/pdf", Some(PWC), &[]).await,
        404,
        "path/format",
    );
    // The lab's page at / and at its paths; unknown files and API paths are 404s.
    for path in ["/", "/household", "/reform?lang=en"] {
        let r = call(&a, "GET", path, None, &[]).await;
        assert_eq!(r.0, StatusCode::OK, "{path}");
        assert!(
            r.2.as_str()
                .is_some_and(|h| h.starts_with("<!doctype html>")),
            "{path}"
        );
    }
    assert_eq!(
        call(&a, "GET", "/assets/missing.js", None, &[]).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        call(&a, "GET", "/api/v2/anything", None, &[]).await.2["code"],
        "not_found"
    );
    assert_eq!(
        call(&a, "POST", "/household", Some("{}"), &[]).await.0,
        StatusCode::METHOD_NOT_ALLOWED
    );
}
