//! Checks of the shipped parameter tree and reforms.

use hkb_law::{Law, PeriodKind, Reform, Status, YearOfAssessment};
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn embedded_tree_equals_the_tree_on_disk() {
    let embedded = Law::embedded().unwrap_or_else(|e| panic!("{e}"));
    let disk = Law::from_dir(&root().join("params")).unwrap_or_else(|e| panic!("{e}"));
    let a: Vec<&str> = embedded.paths().collect();
    let b: Vec<&str> = disk.paths().collect();
    assert_eq!(a, b);
}

#[test]
fn every_year_of_assessment_node_covers_every_supported_year() {
    let law = Law::embedded().unwrap_or_else(|e| panic!("{e}"));
    for n in law
        .nodes()
        .filter(|n| n.period == PeriodKind::YearOfAssessment)
    {
        for y in YearOfAssessment::supported() {
            assert!(
                n.value_at(y.start_instant()).is_some(),
                "{} has no value (not even `null`) for {y}",
                n.path
            );
        }
    }
}

#[test]
fn every_value_has_a_source_and_every_node_both_languages() {
    let law = Law::embedded().unwrap_or_else(|e| panic!("{e}"));
    assert!(law.nodes().count() >= 40);
    for n in law.nodes() {
        assert!(
            !n.label.zh.is_empty() && !n.label.en.is_empty(),
            "{}",
            n.path
        );
        assert!(!n.references.is_empty(), "{}", n.path);
        for v in &n.values {
            assert!(
                v.source.url.starts_with("http") || v.status != Status::Enacted,
                "{} {}: enacted value without a URL",
                n.path,
                v.from
            );
        }
    }
}

#[test]
fn every_shipped_reform_loads_and_applies_to_every_year() {
    let law = Law::embedded().unwrap_or_else(|e| panic!("{e}"));
    let mut n = 0;
    for entry in std::fs::read_dir(root().join("reforms"))
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
    {
        let p = entry.path();
        if p.extension().is_none_or(|e| e != "yaml" && e != "json") {
            continue;
        }
        let r = Reform::from_file(&law, &p).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            r.name.is_some(),
            "{}: give the reform a bilingual name",
            p.display()
        );
        for y in YearOfAssessment::supported() {
            law.resolve_year(y, Some(&r))
                .unwrap_or_else(|e| panic!("{} in {y}: {e}", p.display()));
        }
        n += 1;
    }
    assert!(n >= 3, "expected the example reforms in reforms/");
}

#[test]
fn a_reform_overrides_only_its_periods() {
    let law = Law::embedded().unwrap_or_else(|e| panic!("{e}"));
    let r = Reform::parse(
        &law,
        "t",
        "changes:\n  salaries_tax.standard_rate.tiers[1].rate:\n    2025/26: 0.17\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let before = law
        .resolve_year(YearOfAssessment(2024), Some(&r))
        .unwrap_or_else(|e| panic!("{e}"));
    let after = law
        .resolve_year(YearOfAssessment(2025), Some(&r))
        .unwrap_or_else(|e| panic!("{e}"));
    let rate = |s: &hkb_law::ParamSet| {
        s.tiers("salaries_tax.standard_rate")
            .map(|t| t[1].rate.to_f64())
            .unwrap_or_default()
    };
    assert_eq!(rate(&before), 0.16);
    assert_eq!(rate(&after), 0.17);
    assert_eq!(
        after.get("salaries_tax.standard_rate").map(|r| r.status),
        Some(Status::Reform)
    );
    // A row that does not exist in a year is an error naming the year.
    let e = law.resolve_year(
        YearOfAssessment(2023),
        Some(
            &Reform::parse(
                &law,
                "t",
                "changes:\n  salaries_tax.standard_rate.tiers[1].rate:\n    2023/24: 0.17\n",
            )
            .unwrap_or_else(|e| panic!("{e}")),
        ),
    );
    let msg = e.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(msg.contains("row 1 does not exist in 2023/24"), "{msg}");
}
