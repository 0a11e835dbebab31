//! Every parameter is wired: changing any rate, band, allowance, cap or switch through a reform
//! changes the result of at least one designed case. A parameter that changes nothing is either
//! dead data or a rule that ignores the law.

use hkb_law::{Law, ParamValue, Reform, YearOfAssessment, YearParams, paths};
use hkb_rules::input::{Business, Entity, LetProperty, Situation};

const YEAR: &str = "2024/25";

const HOUSEHOLDS: &[&str] = &[
    // A: a married couple exercising every deduction, allowance, rental and business income.
    r#"{year: "2024/25", married: true,
        children: [{born_in_year: true}, {disabled: true}, {}, {}, {}, {}, {}, {}, {}, {}],
        dependent_parents: [{age: 70, resides_with: true}, {age: 57, resides_with: true}, {age: 56}, {age: 66}, {age: 50, disabled: true}],
        dependent_siblings: [{disabled: true}],
        taxpayer: {employment_income: 1200000, outgoings_expenses: 5000, self_education: 150000, mpf_mandatory: 30000,
                   charitable_donations: 1000000, home_loan_interest: 150000, home_loan_interest_years_claimed: 19,
                   lives_with_newborn: true, newborn_top_up_years_claimed: 18, elderly_residential_care: [120000],
                   vhis_premiums: [10000, 3000], tvc_qdap: 70000, assisted_reproductive_services: 120000,
                   rental_income: 300000, rates_paid_by_owner: 10000, disabled: true},
        spouse: {employment_income: 800000, domestic_rent: 150000, lives_with_newborn: true, business_profit: 3000000}}"#,
    // B: a single parent with a small donation and a small income (the one-off reduction binds below its cap).
    r#"{year: "2024/25", single_parent: true, children: 1, taxpayer: {employment_income: 440000, charitable_donations: 5000}}"#,
    // C: a high earner on the two-tier standard rate.
    r#"{year: "2024/25", taxpayer: {employment_income: 8000000}}"#,
    // D: a couple whose joint net income exceeds the first standard-rate tier.
    r#"{year: "2024/25", married: true, taxpayer: {employment_income: 4000000}, spouse: {employment_income: 4000000}}"#,
    // E: a middle earner whose NCI reaches the top band.
    r#"{year: "2024/25", taxpayer: {employment_income: 600000}}"#,
];

fn fingerprint(law: &Law, reform: Option<&Reform>) -> Vec<String> {
    let y = YearParams::resolve(
        law,
        YEAR.parse::<YearOfAssessment>()
            .unwrap_or(YearOfAssessment(2024)),
        reform,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    for h in HOUSEHOLDS {
        let s: Situation = serde_yaml_ng::from_str(h).unwrap_or_else(|e| panic!("{e}"));
        let r = hkb_rules::assess_household(&s, &y, false).unwrap_or_else(|e| panic!("{e}"));
        for o in &r.options {
            out.push(format!(
                "{}:{}:{}:{}",
                o.method,
                o.tax_payable.cents(),
                o.tax_before_reduction.cents(),
                o.units
                    .iter()
                    .map(|u| u.net_chargeable_income.cents())
                    .sum::<i64>()
            ));
        }
    }
    for (profits, entity, nominated) in [
        (5_000_000, "corporation", true),
        (5_000_000, "unincorporated", true),
        (10_000, "corporation", true),
    ] {
        let b: Business = serde_yaml_ng::from_str(&format!("{{year: \"{YEAR}\", assessable_profits: {profits}, entity: {entity}, nominated: {nominated}}}")).unwrap_or_else(|e| panic!("{e}"));
        let entity = if entity == "corporation" {
            Entity::Corporation
        } else {
            Entity::Unincorporated
        };
        let r = hkb_rules::profits_tax(
            b.assessable_profits.0,
            entity,
            b.nominated,
            &y.profits,
            &mut hkb_rules::Trace::off(),
        );
        out.push(format!("{r:?}"));
    }
    let p: LetProperty = serde_yaml_ng::from_str(&format!(
        "{{year: \"{YEAR}\", rental_income: 300000, rates_paid_by_owner: 10000}}"
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    out.push(format!(
        "{:?}",
        hkb_rules::property_tax(
            p.rental_income.0,
            p.rates_paid_by_owner.0,
            p.irrecoverable_rent.0,
            12,
            &y.property,
            &mut hkb_rules::Trace::off()
        )
    ));
    out
}

fn rate_text(r: hkb_law::Rate) -> String {
    let x = r.to_f64();
    let y = if x >= 0.5 { x - 0.05 } else { x + 0.01 };
    format!("{y:.6}")
}

/// Reform texts that each change one thing about a parameter.
fn mutations(path: &str, v: &ParamValue) -> Vec<String> {
    let one = |p: &str, val: String| format!("changes:\n  {p}:\n    {YEAR}: {val}\n");
    match v {
        ParamValue::Amount(m) => vec![one(path, format!("{}", m.cents() / 100 + 10_000))],
        ParamValue::NotInForce => vec![one(path, "10000".into())],
        ParamValue::Rate(r) => vec![one(path, rate_text(*r))],
        ParamValue::Count(n) => vec![one(path, format!("{}", if *n > 1 { n - 1 } else { n + 1 }))],
        ParamValue::Bool(b) => vec![one(path, format!("{}", !b))],
        ParamValue::Bands(bands) => bands
            .iter()
            .enumerate()
            .flat_map(|(i, b)| {
                let mut v = vec![one(&format!("{path}.bands[{i}].rate"), rate_text(b.rate))];
                if let Some(w) = b.width {
                    v.push(one(
                        &format!("{path}.bands[{i}].width"),
                        format!("{}", w.cents() / 100 + 10_000),
                    ));
                }
                v
            })
            .collect(),
        ParamValue::Tiers(tiers) => tiers
            .iter()
            .enumerate()
            .flat_map(|(i, t)| {
                let mut v = vec![one(&format!("{path}.tiers[{i}].rate"), rate_text(t.rate))];
                if let Some(u) = t.upto {
                    v.push(one(
                        &format!("{path}.tiers[{i}].upto"),
                        format!("{}", u.cents() / 100 + 100_000),
                    ));
                }
                v
            })
            .collect(),
    }
}

#[test]
fn every_income_tax_parameter_changes_some_result() {
    let law = Law::embedded().unwrap_or_else(|e| panic!("{e}"));
    let base = fingerprint(&law, None);
    let set = law
        .resolve_year(YEAR.parse().unwrap_or(YearOfAssessment(2024)), None)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut dead = Vec::new();
    let mut tried = 0;
    for path in paths::ALL_INCOME_TAX {
        let v = &set
            .get(path)
            .unwrap_or_else(|| panic!("{path} has no value in {YEAR}"))
            .value;
        for text in mutations(path, v) {
            let reform =
                Reform::parse(&law, "wired-test", &text).unwrap_or_else(|e| panic!("{text}: {e}"));
            tried += 1;
            if fingerprint(&law, Some(&reform)) == base {
                dead.push(text.replace('\n', " "));
            }
        }
    }
    assert!(tried > paths::ALL_INCOME_TAX.len());
    assert!(
        dead.is_empty(),
        "these changes altered no result:\n{}",
        dead.join("\n")
    );
}

#[test]
fn every_path_the_rules_use_exists_in_the_tree() {
    let law = Law::embedded().unwrap_or_else(|e| panic!("{e}"));
    for p in paths::ALL_INCOME_TAX {
        assert!(law.node(p).is_some(), "{p} missing from params/");
    }
}

#[test]
fn every_year_resolves_every_parameter() {
    let law = Law::embedded().unwrap_or_else(|e| panic!("{e}"));
    for y in YearOfAssessment::supported() {
        YearParams::resolve(&law, y, None).unwrap_or_else(|e| panic!("{y}: {e}"));
    }
}
