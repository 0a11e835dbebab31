//! The fiscal projection against the published forecasts, its identities and its randomness.

use hkb_fiscal::accounts::{Accounts, history};
use hkb_fiscal::data::Data;
use hkb_fiscal::montecarlo::{Drivers, draws_for, path, run};
use hkb_fiscal::package::{Package, additions};
use hkb_fiscal::vintage::baseline;

fn data() -> Data {
    Data::embedded().unwrap_or_else(|e| panic!("{e}"))
}

fn identity_holds(a: &Accounts, start: f64) {
    let mut r = start;
    for t in 0..a.years.len() {
        let rev: f64 = a.heads.iter().map(|(_, l)| l.values[t]).sum();
        assert!((rev - a.revenue.values[t]).abs() < 1e-9);
        let bal = a.revenue.values[t] - a.expenditure.values[t] + a.bond_proceeds.values[t]
            - a.bond_repayment.values[t];
        assert!(
            (bal - a.balance.values[t]).abs() < 1e-9,
            "{}: balance",
            a.years[t]
        );
        r += bal;
        assert!(
            (r - a.reserves.values[t]).abs() < 1e-6,
            "{}: reserves",
            a.years[t]
        );
    }
}

#[test]
fn each_vintage_reproduces_its_published_figures_within_half_a_billion() {
    let d = data();
    for (v, end, value) in [
        ("2025-26", "2030-03-31", 579.1),
        ("2024-25", "2029-03-31", 832.2),
    ] {
        let b = baseline(&d, v).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            b.published.len() >= 4,
            "{v}: too few published figures checked"
        );
        for p in &b.published {
            assert!(
                (p.model - p.published).abs() <= 0.5,
                "{v} {} {}: published {} model {}",
                p.what,
                p.year,
                p.published,
                p.model
            );
        }
        let last = b
            .published
            .iter()
            .find(|p| p.year == end)
            .unwrap_or_else(|| panic!("{v}: no {end} figure"));
        assert_eq!(last.published, value);
        identity_holds(&b.accounts, b.start_reserves);
        // Every value after the first year is derived and says so.
        assert!(
            b.accounts.balance.status[1..]
                .iter()
                .all(|s| s == "derived")
        );
    }
}

#[test]
fn history_matches_the_identity_within_rounding() {
    let h = history(&data(), 2018, 2024).unwrap_or_else(|e| panic!("{e}"));
    let disc = h
        .discrepancy
        .as_ref()
        .unwrap_or_else(|| panic!("no discrepancy line"));
    for (y, x) in h.years.iter().zip(&disc.values).skip(1) {
        assert!(
            x.is_nan() || x.abs() < 2.0,
            "{y}: reserves change and published balance differ by {x}"
        );
    }
    // Published 2023-24 outturn: reserves 734.6bn at 31 March 2024.
    let i = h.years.iter().position(|y| y == "2023-24").unwrap_or(0);
    assert!((h.reserves.values[i] - 734.5854).abs() < 1e-9);
    assert_eq!(h.reserves.status[i], "actual");
}

#[test]
fn zero_shocks_give_the_deterministic_path_and_seeds_reproduce() {
    let d = data();
    let b = baseline(&d, "2025-26").unwrap_or_else(|e| panic!("{e}"));
    let drivers = Drivers::from_history(&d).unwrap_or_else(|e| panic!("{e}"));
    let none = additions(
        &b,
        &Package {
            name: None,
            lines: vec![],
            reforms: vec![],
        },
        &[],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (mc, paths) = run(&b, &none, &drivers, 500, 1, 0.0, 12.0);
    for t in 0..b.accounts.years.len() {
        assert!((mc.reserves.p50[t] - b.accounts.reserves.values[t]).abs() < 1e-9);
        assert!((mc.balance.p50[t] - b.accounts.balance.values[t]).abs() < 1e-9);
    }
    let (a, pa) = run(&b, &none, &drivers, 2000, 42, 1.0, 12.0);
    let (c, _) = run(&b, &none, &drivers, 2000, 42, 1.0, 12.0);
    assert_eq!(a.reserves.p5, c.reserves.p5);
    assert_eq!(
        a.probabilities.consolidated_surplus,
        c.probabilities.consolidated_surplus
    );
    assert!(
        a.reserves.p5.last() < a.reserves.p95.last(),
        "shocks must spread the paths"
    );
    let _ = paths;
    // Every path, recomputed as full accounts from its draws, obeys the identities and equals
    // the summary arithmetic.
    let n = b.accounts.years.len();
    for i in 0..2000 {
        let draws = draws_for(42, i, n, drivers.years.len());
        let full = path(&b, &none, &drivers, &draws, 1.0);
        identity_holds(&full, b.start_reserves);
        for t in 0..n {
            assert!(
                (full.reserves.values[t] - pa.reserves[i * n + t]).abs() < 1e-6,
                "path {i} year {t}"
            );
            assert!((full.balance.values[t] - pa.balance[i * n + t]).abs() < 1e-6);
        }
    }
}

#[test]
fn packages_change_the_lines_and_bad_lines_are_refused() {
    let d = data();
    let b = baseline(&d, "2024-25").unwrap_or_else(|e| panic!("{e}"));
    let p: Package = serde_yaml_ng::from_str("lines:\n  - {name: rent subsidy, kind: expenditure, amount: 2.0, start: 2025-26, end: 2026-27, growth: 0.1}\n").unwrap_or_else(|e| panic!("{e}"));
    let a = additions(&b, &p, &[]).unwrap_or_else(|e| panic!("{e}"));
    let want = [0.0, 2.0, 2.2, 0.0, 0.0];
    for (got, want) in a.expenditure.values.iter().zip(want) {
        assert!((got - want).abs() < 1e-9, "{:?}", a.expenditure.values);
    }
    let bad: Package = serde_yaml_ng::from_str(
        "lines:\n  - {name: x, kind: expenditure, amount: 1, start: 2027-28, end: 2025-26}\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let e = additions(&b, &bad, &[])
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("end") && e.contains("before start"), "{e}");
    let e = baseline(&d, "2023-24")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        e.contains("unknown vintage") && e.contains("2025-26"),
        "{e}"
    );
}
