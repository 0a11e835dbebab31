//! The engine's calculators in process, with typed results: published examples, comparisons,
//! and bad input named by field.

use hkb_engine::calc::{DateCalc, RatesCalc, YearCalc};
use hkb_engine::input::{from_json, from_yaml};
use hkb_engine::{ErrorCode, Lab, LabOptions};
use hkb_law::Money;
use hkb_rules::Situation;
use std::sync::OnceLock;

fn lab() -> &'static Lab {
    static L: OnceLock<Lab> = OnceLock::new();
    L.get_or_init(|| Lab::new(LabOptions::default()).unwrap_or_else(|e| panic!("{e}")))
}

const README_HOUSEHOLD: &str = r#"{"year": "2024/25", "married": true, "children": 2,
  "taxpayer": {"employment_income": 700000, "mpf_mandatory": 18000, "charitable_donations": 3000}}"#;

#[test]
fn the_readme_household_pays_8200_as_pwc_publishes() {
    // PwC's published sample: 9,700 before, 8,200 after the 2024/25 reduction (100%, cap 1,500).
    let req: YearCalc<Situation> = from_json(README_HOUSEHOLD).unwrap_or_else(|e| panic!("{e}"));
    let r = lab().salaries(&req).unwrap_or_else(|e| panic!("{e}"));
    let h = &r.body.after.result;
    assert_eq!(h.tax_payable, Money::from_dollars(8_200));
    assert_eq!(h.tax_before_reduction, Money::from_dollars(9_700));
    assert!(r.body.before.is_none() && r.body.difference.is_none());
    // Every parameter the trace used is cited with a reference in both languages.
    assert!(!r.body.after.parameters.is_empty());
    for (path, p) in &r.body.after.parameters {
        assert!(p.reference.is_complete(), "{path}");
        assert!(p.label.is_complete(), "{path}");
    }
    // The JSON keeps the result's fields at the top level.
    let v = serde_json::to_value(&r).unwrap_or_default();
    assert_eq!(v["tax_payable"], 8200);
    assert_eq!(v["schema_version"], hkb_engine::SCHEMA_VERSION);
    assert_eq!(v["provenance"]["law_fingerprint"], lab().law_fingerprint());
}

#[test]
fn a_request_takes_a_reform_and_a_year_to_compare_and_refuses_unknown_fields() {
    let with = README_HOUSEHOLD.replacen('{', r#"{"vs_year": "2023/24", "#, 1);
    let req: YearCalc<Situation> = from_json(&with).unwrap_or_else(|e| panic!("{e}"));
    let r = lab().salaries(&req).unwrap_or_else(|e| panic!("{e}"));
    let d = r
        .body
        .difference
        .as_ref()
        .unwrap_or_else(|| panic!("no difference"));
    assert_eq!(d.total_after, Money::from_dollars(8_200));
    assert_eq!(d.total_change, d.total_after - d.total_before);
    assert!(d.lines.iter().any(|l| l.key == "net_chargeable_income"));
    let bad = README_HOUSEHOLD.replacen('{', r#"{"colour": "red", "#, 1);
    let e = from_json::<YearCalc<Situation>>(&bad)
        .err()
        .unwrap_or_else(|| panic!("accepted"));
    assert_eq!(e.field, "/colour", "{e:?}");
    let reform = README_HOUSEHOLD.replacen(
        '{',
        r#"{"reform": {"changes": {"salaries_tax.allowances.married": {"2024/25": 300000}}}, "#,
        1,
    );
    let req: YearCalc<Situation> = from_json(&reform).unwrap_or_else(|e| panic!("{e}"));
    let r = lab().salaries(&req).unwrap_or_else(|e| panic!("{e}"));
    let d = r.body.difference.unwrap_or_else(|| panic!("no difference"));
    assert!(
        d.total_change < Money::ZERO,
        "a higher married person's allowance lowers this couple's tax"
    );
    let typo = README_HOUSEHOLD.replacen(
        '{',
        r#"{"reform": {"changes": {"salaries_tax.allowances.basik": {"2024/25": 150000}}}, "#,
        1,
    );
    let req: YearCalc<Situation> = from_json(&typo).unwrap_or_else(|e| panic!("{e}"));
    let e = lab()
        .salaries(&req)
        .err()
        .unwrap_or_else(|| panic!("accepted"));
    assert_eq!(e.field, "/reform/changes/salaries_tax.allowances.basik");
    assert_eq!(e.code, ErrorCode::NotFound);
    assert!(e.message.en.contains("did you mean"));
}

#[test]
fn inconsistent_situations_name_the_field() {
    let req: YearCalc<Situation> =
        from_yaml("year: 2024/25\nsingle_parent: true\ntaxpayer: {employment_income: 1}\n")
            .unwrap_or_else(|e| panic!("{e}"));
    let e = lab()
        .salaries(&req)
        .err()
        .unwrap_or_else(|| panic!("accepted"));
    assert_eq!(e.field, "/single_parent");
    assert!(!e.message.zh.is_empty());
    let e = from_yaml::<YearCalc<Situation>>("year: 2031/32\n")
        .err()
        .unwrap_or_else(|| panic!("accepted"));
    assert_eq!(e.field, "/year", "{e:?}");
}

#[test]
fn transaction_taxes_and_comparisons() {
    // A company buying an HK$8m flat in June 2023, resold within 16 months: AVD 15% (1.2m),
    // BSD 15% (1.2m), SSD 10% (0.8m) = 3.2m (derived from the rates in force; IRD's schedules).
    let req: DateCalc<hkb_rules::input::Deal> = from_yaml(
        "instrument_date: 2023-06-01\nconsideration: 8000000\nproperty: residential\nbuyers: [{kind: company}]\nseller_acquired: 2022-01-15\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let r = lab().stamp_duty(&req).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        r.body.after.result.result.total_duty,
        Money::from_dollars(3_200_000)
    );
    let cmp: DateCalc<hkb_rules::input::Deal> = from_yaml(
        "instrument_date: 2024-03-01\nconsideration: 8000000\nproperty: residential\nbuyers: [{kind: company}]\nseller_acquired: 2022-01-15\nvs_date: 2023-06-01\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let r = lab().stamp_duty(&cmp).unwrap_or_else(|e| panic!("{e}"));
    let d = r.body.difference.unwrap_or_else(|| panic!("no difference"));
    assert_eq!(d.total_before, Money::from_dollars(3_200_000));
    assert!(
        d.total_after < d.total_before,
        "the 2024 abolition of the extra duties"
    );
    let rates: RatesCalc = from_yaml("year: 2025-26\nrateable_value: 1000000\ndomestic: true\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let r = lab().rates(&rates).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        r.body.after.result.result.rates_payable,
        Money::from_dollars(71_000)
    );
}
