//! The microsimulation on a small fixture population: calibration holds, runs are deterministic,
//! files round-trip, stale and corrupt files are handled, and the reduction costing is right.

use hkb_law::{Law, Reform, YearOfAssessment};
use hkb_microsim::model::{BuildSpec, Model};
use hkb_microsim::store::{self, Loaded};
use hkb_microsim::{SimError, society};
use std::sync::OnceLock;

const SPEC: BuildSpec = BuildSpec {
    persons: 20_000,
    businesses: 5_000,
    seed: 7,
};

fn law() -> &'static Law {
    static L: OnceLock<Law> = OnceLock::new();
    L.get_or_init(|| Law::embedded().unwrap_or_else(|e| panic!("{e}")))
}

fn model() -> &'static Model {
    static M: OnceLock<Model> = OnceLock::new();
    M.get_or_init(|| Model::build(law(), SPEC, &|_, _, _| {}).unwrap_or_else(|e| panic!("{e}")))
}

#[test]
fn calibrated_targets_hold_for_2023_24() {
    let rows = model()
        .check(law(), YearOfAssessment(2023))
        .unwrap_or_else(|e| panic!("{e}"));
    let find = |t: &str| {
        rows.iter()
            .find(|r| r.target.starts_with(t))
            .unwrap_or_else(|| panic!("no row {t}"))
    };
    // Published: 2.06m taxpayers, HK$5.1bn reduction cost (2024-25 Budget para. 11); HK$79.87bn collected.
    assert!(find("salaries taxpayers with tax").error_pct.abs() < 2.0);
    assert!(find("salaries tax after").error_pct.abs() < 2.0);
    assert!(
        find("cost of the one-off reduction (salaries tax)")
            .error_pct
            .abs()
            < 5.0
    );
    for r in rows.iter().filter(|r| r.role == "calibrated") {
        assert!(
            r.error_pct.abs() < 0.01,
            "{} off by {}%",
            r.target,
            r.error_pct
        );
    }
}

#[test]
fn removing_the_2023_24_reduction_costs_5_1bn_for_2_06m_taxpayers() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../reforms/no-one-off-reductions.yaml"
    ))
    .unwrap_or_default();
    let reform =
        Reform::parse(law(), "no-one-off-reductions.yaml", &text).unwrap_or_else(|e| panic!("{e}"));
    let r = society::run(law(), model(), YearOfAssessment(2023), Some(&reform))
        .unwrap_or_else(|e| panic!("{e}"));
    let s = &r.taxes["salaries_tax"];
    assert!((s.change / 5.1e9 - 1.0).abs() < 0.05, "change {}", s.change);
    assert!(
        (s.affected / 2.06e6 - 1.0).abs() < 0.02,
        "affected {}",
        s.affected
    );
    assert_eq!(r.deciles.len(), 10);
    // Deciles hold a tenth of the earners each (up to one record's weight).
    let total: f64 = r.deciles.iter().map(|d| d.persons).sum();
    for d in &r.deciles {
        assert!(
            (d.persons / total - 0.1).abs() < 0.01,
            "decile {} holds {}",
            d.decile,
            d.persons / total
        );
        assert!(
            d.winners_share == 0.0,
            "nobody gains from losing the reduction"
        );
    }
    // A profits tax reduction was removed too.
    assert!(r.taxes["profits_tax"].change > 0.0);
}

#[test]
fn a_baseline_run_changes_nothing() {
    let r = society::run(law(), model(), YearOfAssessment(2024), None)
        .unwrap_or_else(|e| panic!("{e}"));
    for (k, t) in &r.taxes {
        assert_eq!(t.change, 0.0, "{k}");
        assert_eq!(t.affected, 0.0, "{k}");
    }
}

#[test]
fn the_same_seed_gives_the_same_population() {
    let again = Model::build(law(), SPEC, &|_, _, _| {}).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.earners.income, model().earners.income);
    assert_eq!(again.years[6].earners, model().years[6].earners);
    let other = Model::build(law(), BuildSpec { seed: 8, ..SPEC }, &|_, _, _| {})
        .unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(other.earners.income, model().earners.income);
}

#[test]
fn files_round_trip_and_stale_or_corrupt_files_are_caught() {
    let dir = std::env::temp_dir().join(format!("hkb-store-{}", std::process::id()));
    let path = dir.join(store::file_name(&SPEC));
    store::save(model(), &path, "fp-a").unwrap_or_else(|e| panic!("{e}"));
    match store::load(&path, "fp-a").unwrap_or_else(|e| panic!("{e}")) {
        Loaded::Ready(m) => {
            assert!(m.earners.income == model().earners.income);
            assert!(m.years[6].earners == model().years[6].earners);
            assert!(m.businesses.profits == model().businesses.profits);
        }
        Loaded::Stale(why) => panic!("fresh file reported stale: {why}"),
    }
    assert!(
        matches!(store::load(&path, "fp-b"), Ok(Loaded::Stale(_))),
        "a changed fingerprint must rebuild"
    );
    std::fs::write(&path, b"not an arrow file").unwrap_or_else(|e| panic!("{e}"));
    match store::load(&path, "fp-a") {
        Err(SimError::Store { message, .. }) => assert!(message.contains("corrupt"), "{message}"),
        other => panic!("corrupt file not refused: {}", other.is_ok()),
    }
}

#[test]
fn behaviour_overrides_are_checked() {
    let reform = Reform::parse(law(), "t", "changes:\n  salaries_tax.allowances.basic:\n    2024/25: 150000\nbehaviour:\n  salaries_eti: 5\n").unwrap_or_else(|e| panic!("{e}"));
    let e = society::run(law(), model(), YearOfAssessment(2024), Some(&reform))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("salaries_eti") && e.contains("range"), "{e}");
    let reform = Reform::parse(law(), "t", "changes:\n  salaries_tax.allowances.basic:\n    2024/25: 150000\nbehaviour:\n  enabled: false\n").unwrap_or_else(|e| panic!("{e}"));
    let r = society::run(law(), model(), YearOfAssessment(2024), Some(&reform))
        .unwrap_or_else(|e| panic!("{e}"));
    let s = &r.taxes["salaries_tax"];
    assert!(s.change < 0.0);
    assert_eq!(s.change, s.change_with_behaviour);
}

#[test]
fn a_stock_duty_cut_loses_less_after_the_turnover_response() {
    let reform = Reform::parse(
        law(),
        "t",
        "changes:\n  stamp_duty.stock.rate:\n    2024-04-01..: 0.0005\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let r = society::run(law(), model(), YearOfAssessment(2024), Some(&reform))
        .unwrap_or_else(|e| panic!("{e}"));
    let s = &r.taxes["stamp_duty_stock"];
    // Halving the rate halves static revenue; with elasticity -0.5 turnover rises by 2^0.5.
    assert!((s.change / s.baseline + 0.5).abs() < 1e-9);
    assert!(s.change_with_behaviour > s.change);
    assert!(
        (r.stock_turnover.turnover_with_behaviour / r.stock_turnover.turnover - 2f64.sqrt()).abs()
            < 1e-9
    );
}
