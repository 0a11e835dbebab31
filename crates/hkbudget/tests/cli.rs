//! End-to-end tests of the `hkbudget` binary: acceptance figures, output shape and bad input.

use serde_json::Value;
use std::process::{Command, Output};

fn hkbudget(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hkbudget"))
        .args(args)
        .env_remove("HKBUDGET_PARAMS")
        .output()
        .unwrap_or_else(|e| panic!("could not run hkbudget: {e}"))
}

fn json(args: &[&str]) -> Value {
    let out = hkbudget(args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: not JSON: {e}"))
}

fn fails_with(args: &[&str], needles: &[&str]) {
    let out = hkbudget(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{args:?} should exit 2; stderr: {err}"
    );
    for n in needles {
        assert!(err.contains(n), "{args:?}: stderr lacks '{n}': {err}");
    }
    assert!(!err.contains("panicked"), "{args:?} panicked: {err}");
}

fn temp_file(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("hkbudget-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
    p.display().to_string()
}

#[test]
fn acceptance_pwc_household_2024_25() {
    // PwC's published sample: 9,700 before, 8,200 after the 2024/25 reduction (100%, cap 1,500).
    let v = json(&[
        "calc",
        "salaries",
        "--year",
        "2024/25",
        "--income",
        "700000",
        "--mpf",
        "18000",
        "--donations",
        "3000",
        "--married",
        "--children",
        "2",
        "--format",
        "json",
    ]);
    assert_eq!(v["tax_payable"], 8200);
    assert_eq!(v["tax_before_reduction"], 9700);
    assert_eq!(v["year"], "2024/25");
    // A sole earner is offered separate assessment (with the married person's allowance); joint
    // assessment is for couples who both have income chargeable to salaries tax.
    let methods: Vec<&str> = v["options"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o["method"].as_str())
        .collect();
    assert_eq!(methods, ["separate"]);
    assert_eq!(v["recommended"], "separate");
    // The bill: final tax 8,200, provisional tax for 2025/26 under 2025/26's rules (the same
    // allowances and bands; no one-off reduction) = 9,700, in two instalments.
    assert_eq!(v["bill"]["final_tax"], 8200);
    assert_eq!(v["bill"]["provisional_tax"], 9700);
    assert_eq!(v["bill"]["instalments"][0]["amount"], 8200 + 7275);
    assert_eq!(v["bill"]["instalments"][1]["amount"], 2425);
    // Without --mpf the contribution is worked out from income: 5% of 12 × 30,000 = 18,000.
    let auto = json(&[
        "calc",
        "salaries",
        "--year",
        "2024/25",
        "--income",
        "700000",
        "--married",
        "--children",
        "2",
        "--format",
        "json",
    ]);
    let trace = auto["trace"].as_array().cloned().unwrap_or_default();
    let mpf = trace
        .iter()
        .find(|s| s["key"] == "deduction.mpf")
        .cloned()
        .unwrap_or_default();
    assert_eq!(mpf["amount"], 18000);
    assert!(
        trace
            .iter()
            .any(|s| s["key"] == "deduction.mpf_from_income")
    );
    // A disabled spouse with no income: the disabled dependant allowance, separately assessed.
    let disabled = temp_file(
        "disabled-spouse.yaml",
        "year: 2024/25\nmarried: true\ntaxpayer: {employment_income: 700000, mpf_mandatory: 18000}\nspouse: {disabled: true}\n",
    );
    let d = json(&["calc", "salaries", "--input", &disabled, "--format", "json"]);
    assert_eq!(d["method"], "separate");
    let steps = d["trace"].as_array().cloned().unwrap_or_default();
    assert!(
        steps
            .iter()
            .any(|s| s["key"] == "allowance.disabled_dependant" && s["amount"] == 75000),
        "{d}"
    );
    for o in v["options"].as_array().into_iter().flatten() {
        assert!(o["method"].is_string() && o["tax_payable"].is_i64(), "{o}");
    }
    assert!(v["recommended"].is_string());
    let trace = v["trace"].as_array().cloned().unwrap_or_default();
    assert!(
        trace
            .iter()
            .any(|s| s["key"] == "net_chargeable_income" && s["amount"] == 155000)
    );
    // Every parameter used in the trace is cited with its legal reference in both languages.
    let with_params: Vec<&Value> = trace.iter().filter(|s| s.get("params").is_some()).collect();
    assert!(!with_params.is_empty());
    for s in with_params {
        for p in s["params"].as_array().into_iter().flatten() {
            let path = p["path"].as_str().unwrap_or_default();
            let cited = &v["parameters"][path];
            assert!(
                cited["reference"]["en"]
                    .as_str()
                    .is_some_and(|r| r.contains("Cap. 112"))
                    && cited["reference"]["zh"]
                        .as_str()
                        .is_some_and(|r| r.contains("第112章")),
                "{path}: {cited}"
            );
        }
    }
    assert_eq!(v["schema_version"], 1);
    assert!(
        v["provenance"]["law_fingerprint"]
            .as_str()
            .is_some_and(|f| f.len() == 64)
    );
}

#[test]
fn situation_file_gives_the_same_answer_as_flags() {
    let f = temp_file(
        "pwc.yaml",
        "year: 2024/25\nmarried: true\nchildren: 2\ntaxpayer:\n  employment_income: 700000\n  mpf_mandatory: 18000\n  charitable_donations: 3000\nspouse:\n  employment_income: 0\n",
    );
    assert_eq!(
        json(&["calc", "salaries", "--input", &f, "--format", "json"])["tax_payable"],
        8200
    );
    let j = temp_file(
        "pwc.json",
        r#"{"year": "2024/25", "married": true, "children": 2, "taxpayer": {"employment_income": 700000, "mpf_mandatory": 18000, "charitable_donations": 3000}}"#,
    );
    assert_eq!(
        json(&["calc", "salaries", "--input", &j, "--format", "json"])["tax_payable"],
        8200
    );
}

#[test]
fn profits_and_property_tax_json() {
    // IRD two-tier Example 1: 1,500,000 x 8.25% = 123,750 (before the 2018/19 reduction: 75%, cap 20,000).
    let v = json(&[
        "calc",
        "profits",
        "--year",
        "2018/19",
        "--profits",
        "1500000",
        "--format",
        "json",
    ]);
    assert_eq!(v["tax_before_reduction"], 123750);
    assert_eq!(v["tax_payable"], 123750 - 20000);
    // GovHK property tax Example 1: rent 120,000, NAV 96,000, tax 14,400.
    let v = json(&[
        "calc",
        "property-tax",
        "--year",
        "2023/24",
        "--rent",
        "120000",
        "--format",
        "json",
    ]);
    assert_eq!(v["tax_payable"], 14400);
    assert_eq!(v["net_assessable_value"], 96000);
}

#[test]
fn table_output_lays_out_the_computation() {
    let out = hkbudget(&[
        "calc",
        "salaries",
        "--year",
        "2024/25",
        "--income",
        "700000",
        "--mpf",
        "18000",
        "--donations",
        "3000",
        "--married",
        "--children",
        "2",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "Net income",
        "679,000",
        "Net chargeable income",
        "155,000",
        "9,700",
        "8,200",
        "Inland Revenue Ordinance (Cap. 112)",
    ] {
        assert!(text.contains(needle), "table lacks {needle}:\n{text}");
    }
    let zh = hkbudget(&[
        "calc", "salaries", "--year", "2024/25", "--income", "700000", "--lang", "zh",
    ]);
    assert!(String::from_utf8_lossy(&zh.stdout).contains("應課稅入息實額"));
}

#[test]
fn reform_changes_the_answer() {
    let r = temp_file(
        "basic.yaml",
        "name: {en: Higher basic allowance, zh: 提高基本免稅額}\nchanges:\n  salaries_tax.allowances.basic:\n    2024/25: 150000\n",
    );
    let base = json(&[
        "calc", "salaries", "--year", "2024/25", "--income", "400000", "--format", "json",
    ]);
    let reformed = json(&[
        "calc", "salaries", "--year", "2024/25", "--income", "400000", "--reform", &r, "--format",
        "json",
    ]);
    // NCI falls by 18,000 in the top (17%) band: 3,060 less tax before the reduction.
    let before = |v: &Value| v["tax_before_reduction"].as_i64().unwrap_or_default();
    assert_eq!(before(&base) - before(&reformed), 3060);
    assert!(reformed["warnings"].as_array().is_some_and(|w| {
        w.iter()
            .any(|x| x["en"].as_str().is_some_and(|s| s.contains("reform")))
    }));
    // The law without the reform is shown beside it, and the difference line by line.
    assert_eq!(
        reformed["before"]["tax_before_reduction"],
        base["tax_before_reduction"]
    );
    assert_eq!(
        reformed["difference"]["total_change"].as_i64(),
        Some(
            reformed["tax_payable"].as_i64().unwrap_or(0)
                - base["tax_payable"].as_i64().unwrap_or(0)
        )
    );
}

#[test]
fn bad_input_is_a_clear_error_with_exit_code_2() {
    fails_with(
        &["calc", "salaries", "--year", "2016/17", "--income", "1"],
        &["--year", "2017/18", "2025/26"],
    );
    fails_with(
        &["calc", "salaries", "--year", "2024/25", "--income", "-5"],
        &["--income", "negative"],
    );
    fails_with(
        &["calc", "salaries", "--year", "2024/25", "--income", "abc"],
        &["--income", "not a number"],
    );
    fails_with(
        &["calc", "salaries", "--income", "5"],
        &["--year is required"],
    );
    let neg = temp_file(
        "neg.yaml",
        "year: 2024/25\ntaxpayer:\n  employment_income: -5\n",
    );
    fails_with(
        &["calc", "salaries", "--input", &neg],
        &["taxpayer.employment_income", "negative", "line 3"],
    );
    let unknown = temp_file("unknown.yaml", "year: 2024/25\ntaxpayer:\n  salary: 5\n");
    fails_with(
        &["calc", "salaries", "--input", &unknown],
        &["unknown field `salary`", "employment_income"],
    );
    let text = temp_file(
        "text.yaml",
        "year: 2024/25\ntaxpayer:\n  employment_income: lots\n",
    );
    fails_with(
        &["calc", "salaries", "--input", &text],
        &["taxpayer.employment_income", "invalid type"],
    );
    let malformed = temp_file(
        "malformed.yaml",
        "year: 2024/25\ntaxpayer: {employment_income: 5\n  married: [\n",
    );
    fails_with(
        &["calc", "salaries", "--input", &malformed],
        &["line", "column"],
    );
    let year = temp_file("year.yaml", "year: 2031/32\n");
    fails_with(
        &["calc", "salaries", "--input", &year],
        &["year:", "2025/26"],
    );
    let spouse = temp_file(
        "spouse.yaml",
        "year: 2024/25\nspouse: {employment_income: 5}\n",
    );
    fails_with(&["calc", "salaries", "--input", &spouse], &["married"]);
    let reform = temp_file(
        "typo.yaml",
        "changes:\n  salaries_tax.allowance.basic:\n    2024/25: 1\n",
    );
    fails_with(
        &[
            "calc", "salaries", "--year", "2024/25", "--income", "5", "--reform", &reform,
        ],
        &["unknown parameter path", "salaries_tax.allowances.basic"],
    );
    let unit = temp_file(
        "unit.yaml",
        "changes:\n  salaries_tax.standard_rate.tiers[1].rate:\n    2025/26: 17\n",
    );
    fails_with(
        &[
            "calc", "salaries", "--year", "2025/26", "--income", "5", "--reform", &unit,
        ],
        &["between 0 and 1"],
    );
    fails_with(
        &["calc", "salaries", "--input", "/nonexistent/situation.yaml"],
        &["situation file"],
    );
    fails_with(
        &[
            "calc",
            "profits",
            "--year",
            "2024/25",
            "--profits",
            "1",
            "--entity",
            "trust",
        ],
        &["--entity", "corporation"],
    );
    fails_with(
        &[
            "calc",
            "property-tax",
            "--year",
            "2024/25",
            "--rent",
            "1",
            "--months-let",
            "13",
        ],
        &["--months-let"],
    );
    fails_with(
        &["params", "show", "salaries_tax.allowances.basik"],
        &["did you mean", "salaries_tax.allowances.basic"],
    );
}

#[test]
fn params_list_and_show() {
    let v = json(&["params", "list", "--format", "json"]);
    assert!(v["parameters"].as_array().is_some_and(|a| a.len() >= 40));
    let found = json(&["params", "list", "--search", "child", "--format", "json"]);
    assert!(found["parameters"].as_array().is_some_and(|a| !a.is_empty()
        && a.iter().all(|p| {
            p["path"].as_str().is_some_and(|x| x.contains("child"))
                || p["label"]["en"]
                    .as_str()
                    .is_some_and(|x| x.to_lowercase().contains("child"))
        })));
    let out = hkbudget(&["params", "show", "salaries_tax.allowances.child"]);
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "子女免稅額",
        "Child allowance",
        "2017/18",
        "100,000",
        "130,000",
        "source:",
        "Cap. 112",
    ] {
        assert!(text.contains(needle), "params show lacks {needle}:\n{text}");
    }
    let out = hkbudget(&["params", "check"]);
    assert!(out.status.success());
}

#[test]
fn a_broken_parameter_tree_is_refused_with_file_and_line() {
    let dir = std::env::temp_dir().join(format!("hkbudget-badtree-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("x")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("x/y.yaml"), "label: {en: a, zh: b}\ndescription: {en: a, zh: b}\nunit: hkd\nperiod: year_of_assessment\nreferences: [{ordinance: o, section: s, url: u}]\nvalues:\n  - from: 2017/18\n    value: 1\n    source: {document: d, url: u}\n  - from: 2018/19\n    value: 2\n    source: {document: d, url: u}\nreviewed: {through: 2026/27, note: n, source: {document: d, url: \"https://x\"}}\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let d = dir.display().to_string();
    fails_with(
        &["params", "check", &d],
        &["x/y.yaml", "line 10", "overlaps"],
    );
}

#[test]
fn acceptance_stamp_duty() {
    // IRD AVD Examples 2 and 1 (PASP 1 Dec 2016): Part 1 of Scale 1 at 15%; Scale 2 at 3%.
    let v = json(&[
        "calc",
        "stamp-duty",
        "--date",
        "2016-12-01",
        "--price",
        "6000000",
        "--property",
        "residential",
        "--buyer",
        "hkpr-other",
        "--format",
        "json",
    ]);
    assert_eq!(v["total_duty"], 900000);
    for k in ["avd", "bsd", "ssd", "nrsd"] {
        assert!(v[k].is_i64(), "{k} missing");
    }
    let v = json(&[
        "calc",
        "stamp-duty",
        "--date",
        "2016-12-01",
        "--price",
        "6000000",
        "--property",
        "residential",
        "--buyer",
        "hkpr-first",
        "--format",
        "json",
    ]);
    assert_eq!(v["total_duty"], 180000);
    // From 26 Feb 2025 consideration up to HK$4M pays HK$100, whoever buys.
    let v = json(&[
        "calc",
        "stamp-duty",
        "--date",
        "2025-03-01",
        "--price",
        "4000000",
        "--property",
        "residential",
        "--buyer",
        "non-hkpr",
        "--format",
        "json",
    ]);
    assert_eq!(v["total_duty"], 100);
    assert!(v["trace"].as_array().is_some_and(|t| !t.is_empty()));
}

#[test]
fn deal_file_with_ssd_and_bsd() {
    let f = temp_file(
        "deal.yaml",
        "instrument_date: 2023-06-01\nconsideration: 8000000\nproperty: residential\nbuyers:\n  - {kind: company}\nseller_acquired: 2022-01-15\n",
    );
    let v = json(&["calc", "stamp-duty", "--input", &f, "--format", "json"]);
    // Part 1 15% + BSD 15% + SSD 10% (held 16 months; 2012 regime: within 36 months).
    assert_eq!(v["nrsd"], 1_200_000);
    assert_eq!(v["bsd"], 1_200_000);
    assert_eq!(v["ssd"], 800_000);
    assert_eq!(v["total_duty"], 3_200_000);
}

#[test]
fn stock_duty_and_rates() {
    let v = json(&[
        "calc",
        "stock-duty",
        "--date",
        "2021-08-01",
        "--consideration",
        "1000000",
        "--format",
        "json",
    ]);
    assert_eq!(v["duty_per_side"], 1300);
    let v = json(&[
        "calc",
        "rates",
        "--year",
        "2025-26",
        "--rateable-value",
        "1000000",
        "--domestic",
        "--format",
        "json",
    ]);
    assert_eq!(v["rates_before_concession"], 71500);
    assert_eq!(v["quarters"].as_array().map(Vec::len), Some(4));
}

#[test]
fn bad_transaction_input_is_a_clear_error() {
    fails_with(
        &[
            "calc",
            "stamp-duty",
            "--date",
            "2009-01-01",
            "--price",
            "1000000",
        ],
        &["instrument_date", "2010-11-20"],
    );
    fails_with(
        &[
            "calc",
            "stamp-duty",
            "--date",
            "2024-01-01",
            "--price",
            "-5",
        ],
        &["--price", "negative"],
    );
    fails_with(
        &[
            "calc",
            "stamp-duty",
            "--date",
            "2024-01-01",
            "--price",
            "5000000",
            "--acquired",
            "2024-06-01",
        ],
        &["seller_acquired", "after"],
    );
    fails_with(
        &[
            "calc",
            "stamp-duty",
            "--date",
            "2024-01-01",
            "--price",
            "5000000",
            "--buyer",
            "alien",
        ],
        &["--buyer", "hkpr-first"],
    );
    fails_with(
        &[
            "calc",
            "stamp-duty",
            "--date",
            "01/01/2024",
            "--price",
            "5000000",
        ],
        &["--date", "2024-02-28"],
    );
    let unknown = temp_file(
        "buyer.yaml",
        "instrument_date: 2024-01-01\nconsideration: 1\nproperty: residential\nbuyers: [{kind: trust}]\n",
    );
    fails_with(
        &["calc", "stamp-duty", "--input", &unknown],
        &["buyers[0].kind", "unknown variant `trust`", "line 4"],
    );
    let neg = temp_file(
        "negdeal.yaml",
        "instrument_date: 2024-01-01\nconsideration: -1\nproperty: residential\nbuyers: [{kind: hkpr}]\n",
    );
    fails_with(
        &["calc", "stamp-duty", "--input", &neg],
        &["consideration", "negative"],
    );
    fails_with(
        &[
            "calc",
            "stock-duty",
            "--date",
            "2030-01-01",
            "--consideration",
            "1",
        ],
        &["date", "2027-03-31"],
    );
    fails_with(
        &[
            "calc",
            "rates",
            "--year",
            "2030-31",
            "--rateable-value",
            "1",
        ],
        &["year", "2017-18"],
    );
    fails_with(
        &[
            "calc",
            "rates",
            "--year",
            "2025-26",
            "--rateable-value",
            "abc",
        ],
        &["--rateable-value"],
    );
}

fn sim(args: &[&str], cache: &std::path::Path) -> Output {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--persons", "20000", "--businesses", "2000"]);
    Command::new(env!("CARGO_BIN_EXE_hkbudget"))
        .args(&all)
        .env("HKBUDGET_CACHE", cache)
        .env_remove("HKBUDGET_PARAMS")
        .output()
        .unwrap_or_else(|e| panic!("could not run hkbudget: {e}"))
}

#[test]
fn society_wide_runs() {
    let cache = std::env::temp_dir().join(format!("hkbudget-sim-{}", std::process::id()));
    let out = sim(
        &[
            "population",
            "check",
            "--year",
            "2023/24",
            "--format",
            "json",
        ],
        &cache,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    // Calibrated targets hold by construction (a check the solver converged); every row names
    // its role, status and source.
    let checks = v["checks"].as_array().cloned().unwrap_or_default();
    assert!(!checks.is_empty());
    for c in &checks {
        assert!(
            c["target"]["zh"].is_string() && c["source"]["document"].is_string(),
            "{c}"
        );
        if c["role"] == "calibrated" {
            assert!(
                c["error_pct"].as_f64().is_some_and(|e| e.abs() < 0.01),
                "{c}"
            );
        }
    }

    let reform = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../reforms/no-one-off-reductions.yaml"
    );
    let out = sim(
        &["reform", reform, "--year", "2023/24", "--format", "json"],
        &cache,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["year"], "2023/24");
    for tax in [
        "salaries_tax",
        "profits_tax",
        "stamp_duty_property",
        "stamp_duty_stock",
    ] {
        for k in [
            "baseline",
            "reform",
            "change",
            "change_with_behaviour",
            "affected",
        ] {
            assert!(v["taxes"][tax][k].is_number(), "taxes.{tax}.{k} missing");
        }
    }
    assert!(v["total_change"].is_number());
    assert_eq!(v["deciles"].as_array().map(Vec::len), Some(10));
    let change = v["taxes"]["salaries_tax"]["change"]
        .as_f64()
        .unwrap_or_default();
    let affected = v["taxes"]["salaries_tax"]["affected"]
        .as_f64()
        .unwrap_or_default();
    // The 2023/24 reduction's calibration targets (HK$5.1bn, 2.06m payers), reproduced by the
    // run kernel.
    assert!((change / 5.1e9 - 1.0).abs() < 0.01, "{change}");
    assert!((affected / 2.06e6 - 1.0).abs() < 0.01, "{affected}");
    assert!(v["top1"]["decile"].is_null());
    let counted: f64 = v["property_by_buyer"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| b["count"].as_f64())
        .sum();
    assert!(counted > 0.0, "deals are counted by buyer");

    let out = sim(
        &["baseline", "--year", "2024/25", "--format", "csv"],
        &cache,
    );
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(text.contains("tax,salaries_tax,"), "{text}");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().filter_map(Result::ok).collect();
    assert!(rows.iter().all(|x| x.len() == 13), "one table, one width");
    let table = sim(&["baseline", "--year", "2024/25"], &cache);
    let t = String::from_utf8_lossy(&table.stdout);
    assert!(
        !t.contains("BehaviourSettings") && t.contains("Behaviour: "),
        "{t}"
    );
    let zh = sim(&["baseline", "--year", "2024/25", "--lang", "zh"], &cache);
    let z = String::from_utf8_lossy(&zh.stdout);
    assert!(
        z.contains("薪俸稅") && z.contains("行為反應") && !z.contains("Note:"),
        "{z}"
    );

    // Bad input.
    let out = sim(&["baseline", "--year", "2031/32"], &cache);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2025/26"));
    let typo = temp_file(
        "typo-sim.yaml",
        "changes:\n  salaries_tax.allowances.basik:\n    2024/25: 1\n",
    );
    let out = sim(&["reform", &typo, "--year", "2024/25"], &cache);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("salaries_tax.allowances.basic"));
    // A corrupt population file is refused and rebuilt, saying why; never a panic.
    let file = std::fs::read_dir(&cache)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "arrow"));
    let file = file.unwrap_or_else(|| panic!("no population file in {}", cache.display()));
    std::fs::write(&file, b"garbage").unwrap_or_else(|e| panic!("{e}"));
    let out = sim(&["baseline", "--year", "2024/25"], &cache);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("corrupt") && !err.contains("panicked"),
        "{err}"
    );
    let out = sim(&["population", "build", "--force"], &cache);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn bench_prints_timings() {
    let out = hkbudget(&[
        "bench",
        "--persons",
        "5000",
        "--repeat",
        "1",
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["persons"], 5000);
    assert!(v["reform_ms"].as_f64().is_some_and(|x| x > 0.0));
}

#[test]
fn fiscal_projection() {
    // Published: reserves of 579.1bn at 31 March 2030 (2025-26 MRF) and 832.2bn at 31 March 2029
    // (2024-25 MRF), each reproduced within HK$0.5bn.
    for (vintage, end) in [("2025-26", 579.1), ("2024-25", 832.2)] {
        let v = json(&[
            "project",
            "--vintage",
            vintage,
            "--format",
            "json",
            "--paths",
            "2000",
        ]);
        let reserves = v["baseline"]["reserves"]["values"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let last = reserves.last().and_then(Value::as_f64).unwrap_or(f64::NAN);
        assert!((last - end).abs() <= 0.5, "{vintage}: {last}");
        for p in v["published"].as_array().into_iter().flatten() {
            let (a, b) = (
                p["published"].as_f64().unwrap_or(f64::NAN),
                p["model"].as_f64().unwrap_or(f64::NAN),
            );
            assert!((a - b).abs() <= 0.5, "{vintage}: {p}");
        }
        for k in ["revenue", "expenditure", "balance", "reserves"] {
            assert!(
                v["scenario"][k]["values"].is_array() && v["baseline"][k]["status"].is_array(),
                "{k}"
            );
        }
        assert!(
            v["monte_carlo"]["reserves"]["p5"].is_array()
                && v["monte_carlo"]["probabilities"]["consolidated_surplus"].is_array()
        );
    }
    let v = json(&[
        "project",
        "--vintage",
        "2025-26",
        "--format",
        "json",
        "--paths",
        "0",
    ]);
    assert!(v["monte_carlo"].is_null());
    // One default vintage, the newest, for every command.
    let d = json(&["project", "--format", "json", "--paths", "0"]);
    let p = json(&["proposals", "cost", "2.1(4)", "--format", "json"]);
    assert_eq!(d["vintage"], p["vintage"]);
}

#[test]
fn fiscal_package_and_chart() {
    let pkg = temp_file(
        "package.yaml",
        "lines:\n  - {name: {en: SME rent subsidy, zh: 中小企租金資助}, kind: expenditure, amount: 3.0, start: 2025-26, end: 2027-28}\n  - {name: bonds, kind: bond_issuance, amount: 10, start: 2026-27}\n",
    );
    let v = json(&[
        "project",
        "--vintage",
        "2025-26",
        "--package",
        &pkg,
        "--paths",
        "500",
        "--format",
        "json",
    ]);
    let diff: Vec<f64> = v["difference"]["balance"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_f64)
        .collect();
    let want = [-3.0, 7.0, 7.0, 10.0, 10.0];
    for (d, w) in diff.iter().zip(want) {
        assert!((d - w).abs() < 1e-9, "{diff:?}");
    }
    let svg = std::env::temp_dir().join(format!("hkb-fan-{}.svg", std::process::id()));
    let out = hkbudget(&[
        "project",
        "--vintage",
        "2024-25",
        "--paths",
        "300",
        "--chart",
        "reserves",
        "--out",
        &svg.display().to_string(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&svg).unwrap_or_default();
    assert!(text.starts_with("<svg") && text.contains("polygon") && text.contains("2028-29"));
    let png = std::env::temp_dir().join(format!("hkb-fan-{}.png", std::process::id()));
    let out = hkbudget(&[
        "project",
        "--vintage",
        "2025-26",
        "--paths",
        "300",
        "--chart",
        "balance",
        "--out",
        &png.display().to_string(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&png).unwrap_or_default();
    assert!(
        bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000,
        "not a PNG chart ({} bytes)",
        bytes.len()
    );
}

#[test]
fn fiscal_bad_input() {
    fails_with(
        &["project", "--vintage", "2023-24"],
        &["vintage", "2023-24", "2025-26"],
    );
    fails_with(&["project", "--paths", "-5"], &["--paths"]);
    let bad = temp_file(
        "bad-package.yaml",
        "lines:\n  - {name: x, kind: expenditure, amount: 1, start: 2027-28, end: 2025-26}\n",
    );
    fails_with(&["project", "--package", &bad], &["end", "before start"]);
    let unknown = temp_file(
        "unknown-package.yaml",
        "lines:\n  - {name: x, kind: gift, amount: 1, start: 2025-26}\n",
    );
    fails_with(
        &["project", "--package", &unknown],
        &["kind", "unknown variant `gift`"],
    );
    fails_with(
        &[
            "project",
            "--chart",
            "reserves",
            "--out",
            "/tmp/x.pdf",
            "--paths",
            "10",
        ],
        &["--out", ".png"],
    );
    fails_with(
        &[
            "project",
            "--chart",
            "pies",
            "--out",
            "/tmp/x.svg",
            "--paths",
            "10",
        ],
        &["--chart", "reserves"],
    );
}

#[test]
fn proposals_catalogue() {
    let v = json(&["proposals", "list", "--format", "json"]);
    let all = v["proposals"].as_array().cloned().unwrap_or_default();
    assert_eq!(all.len(), 96);
    assert_eq!(all.iter().filter(|p| p["leaf"] == true).count(), 76);
    for p in &all {
        for k in ["id", "level", "kind", "quantifiable", "status"] {
            assert!(p[k].is_string(), "{k} missing in {p}");
        }
        if p["leaf"] == true {
            assert!(
                p["title"]["zh"].as_str().is_some_and(|s| !s.is_empty())
                    && p["title"]["en"].as_str().is_some_and(|s| !s.is_empty()),
                "{p}"
            );
        }
    }
    let v = json(&[
        "proposals",
        "list",
        "--section",
        "2",
        "--kind",
        "revenue-measure",
        "--format",
        "json",
    ]);
    let ids: Vec<&str> = v["proposals"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["id"].as_str())
        .collect();
    assert_eq!(ids, ["2.1(1)", "2.1(3)"]);
    // Every quantifiable leaf names its costing method; the CSV quotes titles with commas.
    let all_json = json(&["proposals", "list", "--format", "json"]);
    let methods = all_json["proposals"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["costing_method"].is_string())
        .count();
    assert_eq!(methods, 49);
    let out = hkbudget(&["proposals", "list", "--format", "csv"]);
    let mut r = csv::Reader::from_reader(&out.stdout[..]);
    let rows: Vec<csv::StringRecord> = r.records().filter_map(Result::ok).collect();
    assert_eq!(rows.len(), 96);
    assert!(rows.iter().all(|x| x.len() == 9));
    let v = json(&["proposals", "scorecard", "--format", "json"]);
    assert_eq!(v["leaves"], 76);
    let out = hkbudget(&["proposals", "show", "2.1(1)"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("implemented")
            && text.contains("source: Inland Revenue Department")
            && text.contains("https://ird.gov.hk/eng/faq/dsmm.htm"),
        "{text}"
    );
    for budget in [
        "2024-25 Budget  2024-02-28",
        "2025-26 Budget  2025-02-26",
        "2026-27 Budget  2026-02-25",
    ] {
        assert!(text.contains(budget), "{budget}: {text}");
    }
    // The scorecard gives every leaf the response of each of the three Budgets, dated, with a
    // source (or says that the finding rests on finding no measure).
    let out = hkbudget(&["proposals", "scorecard"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let history = text
        .split("Response history")
        .nth(1)
        .unwrap_or_else(|| panic!("no response history: {text}"));
    let budget_lines: Vec<&str> = history
        .lines()
        .filter(|l| l.starts_with("    20"))
        .collect();
    assert_eq!(budget_lines.len(), 76 * 3, "{history}");
    for l in &budget_lines {
        let date_ok = l
            .get(13..23)
            .is_some_and(|d| d.len() == 10 && d.as_bytes()[4] == b'-');
        assert!(date_ok, "no date: {l}");
        assert!(
            l.contains("http") || l.contains("(no source:"),
            "no source: {l}"
        );
    }
    fails_with(
        &["proposals", "show", "2.1(9)"],
        &["unknown proposal id", "did you mean"],
    );
    fails_with(
        &["proposals", "list", "--kind", "tax"],
        &["--kind", "revenue-measure"],
    );
    fails_with(
        &["proposals", "cost", "2.1(2)", "--set", "rate=0.1"],
        &["no parameter 'rate'", "stock_rate_per_side"],
    );
    fails_with(
        &[
            "proposals",
            "cost",
            "2.1(2)",
            "--set",
            "stock_rate_per_side=0.5",
        ],
        &["outside the allowed range"],
    );
}

#[test]
fn proposals_costing_stock_duty() {
    let cache = std::env::temp_dir().join(format!("hkbudget-prop-{}", std::process::id()));
    let out = sim(&["proposals", "cost", "2.1(2)", "--format", "json"], &cache);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    let first = |k: &str| v["settings"]["central"][k][0].as_f64().unwrap_or(f64::NAN);
    // A cut from 0.1% to 0.08% per side loses a fifth of stock duty statically; the turnover
    // response (elasticity -0.5) recovers part of it.
    assert!(first("static_bn") < first("effect_bn") && first("effect_bn") < 0.0);
    assert_eq!(v["years"].as_array().map(Vec::len), Some(5));
    assert!(
        v["parameters"]["stock_turnover_elasticity"]["source"]["document"]
            .as_str()
            .is_some_and(|s| s.contains("Baltagi"))
    );
}

#[test]
fn packages_add_up_and_bad_packages_are_refused() {
    let cache = std::env::temp_dir().join(format!("hkbudget-pkg-{}", std::process::id()));
    let cgcc = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../packages/cgcc-2024-25.yaml"
    );
    let out = sim(&["package", "run", cgcc, "--format", "json"], &cache);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    let contributions = v["contributions"].as_array().cloned().unwrap_or_default();
    // Every leaf marked quantifiable (yes or partly) is in the Chamber's package.
    assert_eq!(contributions.len(), 49);
    assert_eq!(
        v["quantifiable_not_in_package"].as_array().map(Vec::len),
        Some(0)
    );
    let years = v["years"].as_array().map(Vec::len).unwrap_or(0);
    for t in 0..years {
        let sum: f64 = contributions
            .iter()
            .filter_map(|c| c["effect_bn"][t].as_f64())
            .sum();
        let total = v["totals"]["change_in_balance"][t]
            .as_f64()
            .unwrap_or(f64::NAN);
        let change = total;
        let scen = v["scenario"]["balance"]["values"][t]
            .as_f64()
            .unwrap_or(f64::NAN)
            - v["baseline"]["balance"]["values"][t]
                .as_f64()
                .unwrap_or(f64::NAN);
        assert!(
            (sum - total).abs() < 1e-9
                && (total - change).abs() < 1e-9
                && (change - scen).abs() < 1e-9,
            "year {t}: {sum} {total} {change} {scen}"
        );
    }
    // 2.1(1) was adopted in the 2024-25 Budget: costed, but it adds nothing against that baseline.
    let abolition = contributions
        .iter()
        .find(|c| c["id"] == "2.1(1)")
        .cloned()
        .unwrap_or_default();
    assert!(abolition["in_baseline"].is_string());
    assert!(
        abolition["effect_bn"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|x| x.as_f64() == Some(0.0))
    );
    let bad = |text: &str, needles: &[&str]| {
        let f = temp_file("bad-pkg.yaml", text);
        let out = sim(&["package", "run", &f], &cache);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        for n in needles {
            assert!(err.contains(n), "{err} lacks {n}");
        }
    };
    bad("proposals:\n  - {id: \"2.1\"}\n", &["heading"]);
    bad(
        "proposals:\n  - {id: \"9.9(9)\"}\n",
        &["unknown proposal id"],
    );
    bad(
        "proposals:\n  - {id: \"2.1(2)\", set: {rate: 1}}\n",
        &["no parameter 'rate'"],
    );
    bad(
        "proposals:\n  - {id: \"2.1(2)\", colour: red}\n",
        &["unknown field `colour`"],
    );
    bad("proposals:\n  - {id: \"1.1(2)\"}\n", &["not quantifiable"]);
    bad(
        "proposals:\n  - {id: \"2.1(4)\", set: {take_up: 1.5}}\n",
        &["take_up", "outside the allowed range"],
    );
    bad(
        "proposals:\n  - {id: \"2.1(4)\", set: {takeup: 0.5}}\n",
        &["no parameter 'takeup'", "did you mean take_up"],
    );
    bad(
        "proposals:\n  - {id: \"3.2(2)\", in_baseline: yes}\n",
        &["was not adopted"],
    );
    bad(
        "lines:\n  - {name: x, kind: revenue, amount: 1, start: 2040-41}\n",
        &["lines[0]", "2040-41", "outside the baseline's years"],
    );
    bad("vintage: 2019-20\n", &["vintage", "2019-20", "2024-25"]);
    // A fan chart of a package's scenario, and its checks before anything is costed.
    let svg = std::env::temp_dir().join(format!("hkbudget-pkg-{}.svg", std::process::id()));
    let svg_path = svg.display().to_string();
    let out = sim(
        &[
            "package", "run", cgcc, "--paths", "500", "--chart", "balance", "--out", &svg_path,
        ],
        &cache,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&svg).unwrap_or_default();
    assert!(text.starts_with("<svg") && text.contains("Consolidated balance"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("P(consolidated surplus)"), "{text}");
    let out = sim(
        &[
            "package", "run", cgcc, "--chart", "balance", "--out", &svg_path, "--paths", "0",
        ],
        &cache,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--paths"));
    // Asking for P(reserves below HK$600bn) runs paths (10,000 unless --paths says).
    let out = sim(&["package", "run", cgcc, "--below", "600"], &cache);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("P(reserves < HK$600bn)"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Side by side: the government's package is the 2024-25 Budget itself, so it equals the
    // baseline; the Chamber's differs from it by exactly its contributions.
    let gov = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../packages/government-2024-25.yaml"
    );
    let out = sim(
        &["package", "compare", cgcc, gov, "--format", "json"],
        &cache,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let c: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    for t in 0..years {
        let base = c["baseline"]["balance"]["values"][t]
            .as_f64()
            .unwrap_or(f64::NAN);
        let chamber = c["packages"][0]["scenario"]["balance"]["values"][t]
            .as_f64()
            .unwrap_or(f64::NAN);
        let government = c["packages"][1]["scenario"]["balance"]["values"][t]
            .as_f64()
            .unwrap_or(f64::NAN);
        let total = v["totals"]["change_in_balance"][t]
            .as_f64()
            .unwrap_or(f64::NAN);
        assert!((government - base).abs() < 1e-9, "{government} {base}");
        assert!(
            (chamber - base - total).abs() < 1e-9,
            "{chamber} {base} {total}"
        );
    }
}

#[test]
fn line_costings_run_without_the_population() {
    let v = json(&[
        "proposals",
        "cost",
        "2.1(4)",
        "--vintage",
        "2024-25",
        "--format",
        "json",
    ]);
    assert_eq!(v["method"], "lines");
    assert_eq!(v["years"][0], "2024-25");
    // Low, central and high by year, each the sum of its lines.
    for key in ["low", "central", "high"] {
        let s = &v["settings"][key];
        for t in 0..5 {
            let sum: f64 = s["lines"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|l| l["effect_bn"][t].as_f64())
                .sum();
            assert!((sum - s["effect_bn"][t].as_f64().unwrap_or(f64::NAN)).abs() < 1e-9);
        }
    }
    // Central: 358,177 SMEs × 60% renting × 70% take-up × min(10,000, 30% × 30,000) × 6 months
    // plus 25% of HK$3.7bn government rent plus 16.5% of HK$1bn landlord relief, in 2024-25 only.
    let expected = -(358_177.0 * 0.6 * 0.7 * 9_000.0 * 6.0 / 1e9 + 0.925 + 0.165);
    let first = v["settings"]["central"]["effect_bn"][0]
        .as_f64()
        .unwrap_or(f64::NAN);
    assert!((first - expected).abs() < 1e-9, "{first} vs {expected}");
    assert_eq!(v["settings"]["central"]["effect_bn"][1].as_f64(), Some(0.0));
    let v = json(&[
        "proposals",
        "cost",
        "2.1(4)",
        "--set",
        "government_rent_cut=0.75",
        "--format",
        "json",
    ]);
    assert_eq!(
        v["settings"]["central"]["values"]["government_rent_cut"].as_f64(),
        Some(0.75)
    );
    // The table shows the value used after --set.
    let out = hkbudget(&["proposals", "cost", "2.1(4)", "--set", "take_up=0.5"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("take_up = 0.5 (set)") && text.contains("default 0.7"),
        "{text}"
    );
    fails_with(&["proposals", "cost", "1.1(2)"], &["not quantifiable"]);
    fails_with(&["proposals", "cost", "2.1"], &["heading", "2.1(1)"]);
    fails_with(
        &["proposals", "cost", "8.4", "--set", "frontline_trainees=-5"],
        &["outside the allowed range"],
    );
}

/// The special-skills tax break is costed at the salaries tax of the median Top Talent Pass
/// earner (HK$50,000 a month); that figure must be what the calculator gives.
#[test]
fn talent_tax_break_uses_the_calculators_tax() {
    let calc = json(&[
        "calc", "salaries", "--year", "2024/25", "--income", "600000", "--mpf", "0", "--format",
        "json",
    ]);
    let cost = json(&["proposals", "cost", "3.3(2)", "--format", "json"]);
    assert_eq!(
        cost["parameters"]["tax_at_median_income"]["value"].as_f64(),
        calc["tax_before_reduction"].as_f64()
    );
}

/// A user's own proposal in a package is costed like the catalogue's and checked the same way.
#[test]
fn custom_proposals_in_packages() {
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/custom-package.yaml"
    );
    let v = json(&["package", "run", example, "--format", "json"]);
    let custom = v["contributions"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["kind"] == "custom")
        .cloned()
        .unwrap_or_default();
    // 2.9m accounts × HK$1,000, in 2025-26 only.
    assert_eq!(custom["effect_bn"][1].as_f64(), Some(-2.9));
    assert_eq!(custom["effect_bn"][0].as_f64(), Some(0.0));
    assert_eq!(custom["assumptions"].as_array().map(Vec::len), Some(2));
    let text = std::fs::read_to_string(example).unwrap_or_default();
    for (from, to, needles) in [
        (
            "amount: \"accounts * subsidy / 1000000000\"",
            "amount: \"acounts * subsidy / 1000000000\"",
            &["custom[0]", "'acounts'", "not a parameter"][..],
        ),
        (
            "id: \"my-electricity-subsidy\"",
            "id: \"2.1(4)\"",
            &["custom[0]", "is taken"][..],
        ),
        (
            "status: assumption,\n         source: {document: \"my proposal\"}",
            "status: published,\n         source: {document: \"my proposal\"}",
            &["custom[0].parameters.subsidy.source", "needs a document"][..],
        ),
    ] {
        assert!(text.contains(from), "example lacks {from}");
        let f = temp_file("custom-pkg.yaml", &text.replacen(from, to, 1));
        fails_with(&["package", "run", &f], needles);
    }
    // CSV export: a row per contribution and per total, a column per year, quoted properly.
    let out = hkbudget(&["package", "run", example, "--format", "csv"]);
    assert!(out.status.success());
    let mut r = csv::Reader::from_reader(&out.stdout[..]);
    let rows: Vec<csv::StringRecord> = r.records().filter_map(Result::ok).collect();
    assert_eq!(rows.len(), 3 + 8);
    let total = rows
        .iter()
        .find(|x| &x[1] == "total")
        .map(|x| x[6].parse::<f64>().unwrap_or(f64::NAN))
        .unwrap_or(f64::NAN);
    assert!((total - v["totals"]["change_in_balance"][1].as_f64().unwrap_or(0.0)).abs() < 1e-4);
    assert!(rows.iter().any(|x| &x[3] == "每個住宅電費戶口補貼1,000元"));
    // Workbook export: an .xlsx (a zip) is written; any other extension is refused.
    let book = std::env::temp_dir().join(format!("hkbudget-{}.xlsx", std::process::id()));
    let book_path = book.display().to_string();
    let out = hkbudget(&["package", "run", example, "--xlsx", &book_path]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&book).unwrap_or_default();
    assert!(bytes.starts_with(b"PK\x03\x04") && bytes.len() > 5_000);
    fails_with(
        &["package", "run", example, "--xlsx", "out.csv"],
        &["--xlsx", ".xlsx"],
    );
    // A custom reform of the law is checked against the law before the population loads.
    let f = temp_file(
        "custom-reform.yaml",
        "custom:\n  - id: mine\n    method: reform\n    population_year: 2024/25\n    description: {en: a, zh: b}\n    parameters:\n      basic: {value: 142000, low: 136000, high: 150000, allowed: [0, 500000], unit: HK$, status: assumption, source: {document: mine}}\n    reform: |\n      changes:\n        salaries_tax.allowances.basik: {\"2024/25..\": {basic}}\n",
    );
    fails_with(
        &["package", "run", &f],
        &[
            "custom[0]",
            "unknown parameter path",
            "salaries_tax.allowances.basic",
        ],
    );
}

/// Issue 10's acceptance: hostile text in a package's formula and an absurd amount exit 2 naming
/// the field; no Rust Debug text in what a user reads.
#[test]
fn hostile_input_names_the_field_and_nothing_prints_debug_text() {
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/custom-package.yaml"
    );
    let text = std::fs::read_to_string(example).unwrap_or_default();
    let from = "amount: \"accounts * subsidy / 1000000000\"";
    assert!(text.contains(from));
    let wide = temp_file(
        "wide-space.yaml",
        &text.replacen(from, "amount: \"1 +\u{3000} 2\"", 1),
    );
    fails_with(
        &["package", "run", &wide],
        &["custom[0].lines[0].amount", "U+3000", "ordinary spaces"],
    );
    let deep = temp_file(
        "deep.yaml",
        &text.replacen(
            from,
            &format!("amount: \"{}1{}\"", "(".repeat(10_000), ")".repeat(10_000)),
            1,
        ),
    );
    fails_with(
        &["package", "run", &deep],
        &["custom[0].lines[0].amount", "longer than 1000 characters"],
    );
    let big = temp_file(
        "big.yaml",
        "year: 2024/25\ntaxpayer:\n  employment_income: 90000000000000000\n",
    );
    fails_with(
        &["calc", "salaries", "--input", &big],
        &["taxpayer.employment_income", "too large"],
    );
    let zh = hkbudget(&["calc", "salaries", "--input", &big, "--lang", "zh"]);
    let err = String::from_utf8_lossy(&zh.stderr);
    assert!(err.contains("錯誤") && err.contains("太大"), "{err}");
    let out = hkbudget(&["params", "show", "salaries_tax.allowances.basic"]);
    let t = String::from_utf8_lossy(&out.stdout);
    assert!(
        t.contains("Unit: HK$") && t.contains("Period: year of assessment") && !t.contains("Hkd"),
        "{t}"
    );
    let out = hkbudget(&["params", "show", "stamp_duty.avd.scale2", "--lang", "zh"]);
    let t = String::from_utf8_lossy(&out.stdout);
    assert!(t.contains("單位：") && t.contains("《印花稅條例》"), "{t}");
}

/// `project --package` and `package run` cost a package the same way (one costing rule, one
/// package format): the same balance path for the same vintage.
#[test]
fn project_and_package_run_give_one_balance_path() {
    let cache = std::env::temp_dir().join(format!("hkbudget-same-{}", std::process::id()));
    let cgcc = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../packages/cgcc-2024-25.yaml"
    );
    let run = sim(&["package", "run", cgcc, "--format", "json"], &cache);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let run: Value = serde_json::from_slice(&run.stdout).unwrap_or_default();
    let proj = sim(
        &[
            "project",
            "--package",
            cgcc,
            "--paths",
            "0",
            "--format",
            "json",
        ],
        &cache,
    );
    assert!(
        proj.status.success(),
        "{}",
        String::from_utf8_lossy(&proj.stderr)
    );
    let proj: Value = serde_json::from_slice(&proj.stdout).unwrap_or_default();
    assert_eq!(run["vintage"], proj["vintage"]);
    let a = run["scenario"]["balance"]["values"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let b = proj["scenario"]["balance"]["values"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!a.is_empty());
    assert_eq!(a, b);
    // Revenue heads agree too: a reform's change is booked to the same heads by both.
    assert_eq!(run["scenario"]["heads"], proj["scenario"]["heads"]);
}

/// The 2026-27 Budget's own measures against their counterfactual: the scenario is the
/// published forecast (2026-27 consolidated surplus 22.1bn, reserves 679.3bn at 31 March 2027,
/// budget54.html), the counterfactual takes each measure out, and the published costings appear
/// as given (the extra social security month, about 6.5bn, budget55.html).
#[test]
fn the_government_2026_27_package_is_the_forecast_against_its_counterfactual() {
    let cache = std::env::temp_dir().join(format!("hkbudget-gov26-{}", std::process::id()));
    let gov = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../packages/government-2026-27.yaml"
    );
    let out = sim(&["package", "run", gov, "--format", "json"], &cache);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["vintage"], "2026-27");
    assert!(v["counterfactual"]["en"].is_string() && v["counterfactual"]["zh"].is_string());
    let at = |a: &Value, line: &str, t: usize| a[line]["values"][t].as_f64().unwrap_or(f64::NAN);
    assert!((at(&v["scenario"], "balance", 0) - 22.1).abs() < 1e-9);
    assert!((at(&v["scenario"], "reserves", 0) - 679.3).abs() < 0.05);
    let contributions = v["contributions"].as_array().cloned().unwrap_or_default();
    for t in 0..5 {
        let sum: f64 = contributions
            .iter()
            .filter_map(|c| c["effect_bn"][t].as_f64())
            .sum();
        let gap = at(&v["scenario"], "balance", t) - at(&v["baseline"], "balance", t);
        assert!((sum - gap).abs() < 1e-9, "year {t}: {sum} against {gap}");
    }
    let social = contributions
        .iter()
        .find(|c| c["title"]["en"] == "Extra month of social security payments")
        .cloned()
        .unwrap_or_default();
    assert_eq!(social["effect_bn"][0].as_f64(), Some(-6.5));
    assert_eq!(social["status"], "estimate");
    // Every explicit line says what it is and where it comes from.
    for c in contributions.iter().filter(|c| c["kind"] == "line") {
        assert!(c["status"].is_string(), "{}", c["id"]);
        assert!(
            c["source"]["url"]
                .as_str()
                .is_some_and(|u| u.starts_with("https://")),
            "{}",
            c["id"]
        );
        assert!(
            c["note"]["en"].is_string() && c["note"]["zh"].is_string(),
            "{}",
            c["id"]
        );
    }
    // The YA 2025/26 reductions are costs, and only in 2026-27.
    let reduction = &contributions[0];
    assert!(reduction["effect_bn"][0].as_f64().unwrap_or(0.0) < 0.0);
    assert_eq!(reduction["effect_bn"][1].as_f64(), Some(0.0));

    // Invariant of `against`: costing current law against a reform is the reverse of costing the
    // reform against current law.
    let one = "reforms:\n  - {year: 2025/26, reform: {changes: {profits_tax.one_off_reduction.rate: {\"2025/26\": 0}}}}\n";
    let other = "reforms:\n  - {year: 2025/26, against: {changes: {profits_tax.one_off_reduction.rate: {\"2025/26\": 0}}}}\n";
    let run = |text: &str, name: &str| -> Value {
        let f = temp_file(name, text);
        let out = sim(&["package", "run", &f, "--format", "json"], &cache);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"))
    };
    let a = run(one, "against-a.yaml");
    let b = run(other, "against-b.yaml");
    let e = |v: &Value| -> Vec<f64> {
        v["contributions"][0]["effect_bn"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_f64)
            .collect()
    };
    assert!(e(&a)[0] > 0.0);
    assert_eq!(e(&a).iter().map(|x| -x).collect::<Vec<_>>(), e(&b));

    // What cannot be combined is refused, naming the field.
    let bad = temp_file(
        "cf-in-baseline.yaml",
        "counterfactual: x\nlines:\n  - {name: a, kind: revenue, amount: 1, start: 2026-27, in_baseline: y}\n",
    );
    let out = sim(&["package", "run", &bad], &cache);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("lines[0].in_baseline"));
    let out = sim(&["package", "compare", gov, gov], &cache);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("counterfactual"));
    let _ = std::fs::remove_dir_all(&cache);
}

/// `packages/cgcc-not-adopted-2026-27.yaml` holds exactly the quantifiable, costed proposals that
/// no Budget adopted or already had in place (a data consistency check against the catalogue).
#[test]
fn the_not_adopted_package_matches_the_response_history() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../packages/cgcc-not-adopted-2026-27.yaml"
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let in_package: std::collections::BTreeSet<String> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- id: "))
        .map(|id| id.trim_matches('"').to_string())
        .collect();
    let out = hkbudget(&["proposals", "list", "--format", "json"]);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    let adopted = ["implemented", "partly_implemented", "pre_existing"];
    let expected: std::collections::BTreeSet<String> = v["proposals"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| {
            p["leaf"] == true && p["quantifiable"] != "no" && p["costing_method"].is_string()
        })
        .filter(|p| {
            let history = p["history"].as_array().cloned().unwrap_or_default();
            assert_eq!(
                history.len(),
                3,
                "{}: a response for each of three Budgets",
                p["id"]
            );
            !history
                .iter()
                .map(|h| &h["status"])
                .chain(std::iter::once(&p["status"]))
                .any(|s| adopted.iter().any(|a| s == a))
        })
        .filter_map(|p| p["id"].as_str().map(str::to_string))
        .collect();
    assert_eq!(in_package, expected);
}

/// The shipped packages and reforms work by name, from any folder (outside the repository).
#[test]
fn shipped_packages_and_reforms_by_name() {
    let cache = std::env::temp_dir().join(format!("hkbudget-shipped-{}", std::process::id()));
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_hkbudget"))
            .args(args)
            .current_dir(std::env::temp_dir())
            .env("HKBUDGET_CACHE", &cache)
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let out = run(&[
        "calc",
        "salaries",
        "--year",
        "2025/26",
        "--income",
        "500000",
        "--mpf",
        "0",
        "--reform",
        "basic-allowance-145k",
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    // A basic allowance of 145,000 instead of 132,000 lowers the tax of a single earner.
    assert!(
        v["difference"]["total_change"].as_i64().unwrap_or(0) < 0,
        "{v}"
    );
    let out = run(&[
        "package",
        "run",
        "cgcc-not-adopted-2026-27",
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&["package", "run", "no-such-package"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("shipped: government-2026-27"));
    let _ = std::fs::remove_dir_all(&cache);
}

/// `--newborns` counts among `--children`: two children of whom one was born this year are two
/// child allowances plus one additional (newborn) allowance; more newborns than children is an
/// error naming both flags.
#[test]
fn newborns_count_among_the_children() {
    let v = json(&[
        "calc",
        "salaries",
        "--year",
        "2024/25",
        "--income",
        "900000",
        "--mpf",
        "18000",
        "--married",
        "--children",
        "2",
        "--newborns",
        "1",
        "--format",
        "json",
    ]);
    let steps = v["trace"].as_array().cloned().unwrap_or_default();
    let child = steps
        .iter()
        .find(|s| s["key"] == "allowance.child")
        .cloned()
        .unwrap_or_default();
    // 2024/25: child allowance 130,000 each, and 130,000 more in the year of birth (IRD table).
    assert_eq!(child["amount"], 2 * 130_000 + 130_000, "{child}");
    let help = hkbudget(&["calc", "salaries", "--help"]);
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(
        text.contains("(including newborns)") && text.contains("Of the children"),
        "{text}"
    );
    fails_with(
        &[
            "calc",
            "salaries",
            "--year",
            "2024/25",
            "--income",
            "1",
            "--children",
            "1",
            "--newborns",
            "2",
        ],
        &["--newborns", "--children"],
    );
}
