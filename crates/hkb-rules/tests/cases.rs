//! Runs every data-driven case in `tests/cases/*.yaml` (repository root) against the calculators.
//! Each case names its source and status; expected values come from the sources, never from
//! this code's output.

use hkb_law::{Law, Money, YearOfAssessment, YearParams};
use hkb_rules::input::{Business, LetProperty, Situation};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Deserialize)]
struct File {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Case {
    name: String,
    calc: String,
    status: String,
    source: String,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    years: Option<Vec<String>>,
    input: serde_yaml_ng::Value,
    expect: BTreeMap<String, i64>,
}

fn cases_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/cases")
}

fn with_year(input: &serde_yaml_ng::Value, year: &str) -> serde_yaml_ng::Value {
    let mut v = input.clone();
    if let Some(m) = v.as_mapping_mut() {
        m.insert("year".into(), year.into());
    }
    v
}

fn actual(
    case: &Case,
    law: &Law,
    input: &serde_yaml_ng::Value,
) -> Result<BTreeMap<String, i64>, String> {
    let dollars = |m: Money| m.cents() / 100;
    let mut out = BTreeMap::new();
    match case.calc.as_str() {
        "salaries" => {
            let s: Situation =
                serde_yaml_ng::from_value(input.clone()).map_err(|e| e.to_string())?;
            hkb_rules::input::check_situation(&s).map_err(|e| e.to_string())?;
            let y = YearParams::resolve(law, s.year, None).map_err(|e| e.to_string())?;
            let r = hkb_rules::assess_household(&s, &y, false).map_err(|e| e.to_string())?;
            let o = r
                .options
                .iter()
                .find(|o| o.method == r.method)
                .ok_or("no chosen option")?;
            out.insert("tax_payable".into(), dollars(r.tax_payable));
            out.insert(
                "tax_before_reduction".into(),
                dollars(r.tax_before_reduction),
            );
            out.insert("reduction".into(), dollars(o.reduction));
            let sum = |f: fn(&hkb_rules::salaries::UnitResult) -> Money| {
                dollars(o.units.iter().map(f).sum())
            };
            out.insert("net_income".into(), sum(|u| u.net_income));
            out.insert(
                "net_chargeable_income".into(),
                sum(|u| u.net_chargeable_income),
            );
            out.insert("progressive_tax".into(), sum(|u| u.progressive_tax));
            out.insert("standard_rate_tax".into(), sum(|u| u.standard_rate_tax));
        }
        "profits" => {
            let b: Business =
                serde_yaml_ng::from_value(input.clone()).map_err(|e| e.to_string())?;
            let y = YearParams::resolve(law, b.year, None).map_err(|e| e.to_string())?;
            let r = hkb_rules::profits_tax(
                b.assessable_profits.0,
                b.entity,
                b.nominated,
                &y.profits,
                &mut hkb_rules::Trace::off(),
            );
            out.insert("tax_payable".into(), dollars(r.tax_payable));
            out.insert(
                "tax_before_reduction".into(),
                dollars(r.tax_before_reduction),
            );
            out.insert("reduction".into(), dollars(r.reduction));
        }
        "property_tax" => {
            let p: LetProperty =
                serde_yaml_ng::from_value(input.clone()).map_err(|e| e.to_string())?;
            let y = YearParams::resolve(law, p.year, None).map_err(|e| e.to_string())?;
            let r = hkb_rules::property_tax(
                p.rental_income.0,
                p.rates_paid_by_owner.0,
                p.irrecoverable_rent.0,
                p.months_let.unwrap_or(12),
                &y.property,
                &mut hkb_rules::Trace::off(),
            );
            out.insert("tax_payable".into(), dollars(r.tax_payable));
            out.insert(
                "net_assessable_value".into(),
                dollars(r.net_assessable_value),
            );
            out.insert("provisional_tax".into(), dollars(r.provisional_tax));
        }
        "stamp_duty" => {
            let d: hkb_rules::input::Deal =
                serde_yaml_ng::from_value(input.clone()).map_err(|e| e.to_string())?;
            hkb_rules::input::check_deal(&d).map_err(|e| e.to_string())?;
            let r = hkb_rules::stamp::assess_deal(law, &d, None, false)
                .map_err(|e| e.to_string())?
                .result;
            for (k, m) in [
                ("avd", r.avd),
                ("nrsd", r.nrsd),
                ("bsd", r.bsd),
                ("ssd", r.ssd),
                ("total_duty", r.total_duty),
            ] {
                out.insert(k.into(), dollars(m));
            }
        }
        "stock_duty" => {
            let d: hkb_rules::input::StockDeal =
                serde_yaml_ng::from_value(input.clone()).map_err(|e| e.to_string())?;
            let r = hkb_rules::stamp::assess_stock(law, &d, None, false)
                .map_err(|e| e.to_string())?
                .result;
            out.insert("duty_per_side".into(), dollars(r.duty_per_side));
            out.insert("total_duty".into(), dollars(r.total_duty));
        }
        "rates" => {
            let t: hkb_rules::input::Tenement =
                serde_yaml_ng::from_value(input.clone()).map_err(|e| e.to_string())?;
            let fy = hkb_rules::input::check_tenement(&t).map_err(|e| e.to_string())?;
            let r = hkb_rules::rates::assess_tenement(law, fy, &t, None, false)
                .map_err(|e| e.to_string())?
                .result;
            out.insert(
                "rates_before_concession".into(),
                dollars(r.rates_before_concession),
            );
            out.insert("concession".into(), dollars(r.concession));
            out.insert("rates_payable".into(), dollars(r.rates_payable));
        }
        other => return Err(format!("unknown calc '{other}'")),
    }
    Ok(out)
}

#[test]
fn every_case_passes_to_the_dollar() {
    let law = Law::embedded().unwrap_or_else(|e| panic!("law: {e}"));
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut files: Vec<_> = std::fs::read_dir(cases_dir())
        .unwrap_or_else(|e| panic!("tests/cases: {e}"))
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
    {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let file: File =
            serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for case in &file.cases {
            assert!(
                !case.source.trim().is_empty(),
                "{}: case '{}' has no source",
                path.display(),
                case.name
            );
            assert!(
                matches!(case.status.as_str(), "published" | "derived" | "secondary"),
                "{}: bad status",
                case.name
            );
            assert!(!case.expect.is_empty(), "{}: no expectations", case.name);
            // `years` repeats an income-tax case over several years; other cases run once as given.
            let years: Vec<Option<String>> = match &case.years {
                Some(ys) => ys.iter().cloned().map(Some).collect(),
                None => vec![None],
            };
            for year in years {
                if let Some(y) = &year {
                    assert!(
                        y.parse::<YearOfAssessment>().is_ok(),
                        "{}: bad year '{y}'",
                        case.name
                    );
                }
                let input = year
                    .as_deref()
                    .map_or_else(|| case.input.clone(), |y| with_year(&case.input, y));
                let year = year.unwrap_or_else(|| "as given".into());
                match actual(case, &law, &input) {
                    Ok(got) => {
                        for (k, want) in &case.expect {
                            let have = got.get(k).copied();
                            if have != Some(*want) {
                                failures.push(format!(
                                    "{} [{year}] {k}: expected {want}, got {have:?}",
                                    case.name
                                ));
                            }
                        }
                    }
                    Err(e) => failures.push(format!("{} [{year}]: {e}", case.name)),
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 50, "only {checked} case-years ran");
    assert!(
        failures.is_empty(),
        "{} of {checked} case-years failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{checked} case-years passed");
}
