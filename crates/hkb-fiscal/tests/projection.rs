//! The fiscal projection against the published forecasts, its identities and its randomness.

use hkb_fiscal::accounts::{Accounts, history};
use hkb_fiscal::data::Data;
use hkb_fiscal::montecarlo::{Drivers, McOptions, draws_for, path, run, scenario};
use hkb_fiscal::package::{PackageLine, additions};
use hkb_fiscal::vintage::baseline;
use hkb_law::Status;

fn mc(paths: usize, seed: u64, scale: f64) -> McOptions {
    McOptions::new(paths, seed, scale, 12.0, Some(600.0), 1_000_000)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn lines(yaml: &str) -> Vec<PackageLine> {
    serde_yaml_ng::from_str(yaml).unwrap_or_else(|e| panic!("{e}"))
}

fn data() -> Data {
    Data::embedded().unwrap_or_else(|e| panic!("{e}"))
}

fn identity_holds(a: &Accounts, start: f64) {
    let mut r = start;
    for t in 0..a.years.len() {
        let rev: f64 = a.heads.values().map(|l| l.values[t]).sum();
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

/// The baseline is anchored to its published figures: the first year's revenue, expenditure and
/// balance are set from them and the end-point reserves are reached by a balancing repayment, so
/// those rows hold by construction; only the first year's end reserves (revised start + estimated
/// balance against the published estimate) can disagree. What this test can catch is a bug in
/// the projection's arithmetic or rounding.
#[test]
fn the_baseline_is_anchored_to_its_published_figures() {
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
                .all(|s| *s == Status::Derived)
        );
    }
}

/// The 2026-27 Budget (25 February 2026, budget54.html paras 275-278): revenue 765.2bn,
/// expenditure 843.4bn, consolidated surplus after bonds 22.1bn, reserves 679.3bn at 31 March 2027;
/// the forecast's government debt reaches 19.9% of GDP in 2030-31 (HK01, budget day) and reserves
/// stay above HK$700bn (a floor, not a point). The first three and the debt ratio are inputs and
/// hold by construction; the reserves at 31 March 2027 are computed from the revised 31 March 2026
/// figure (657.2bn) plus the balance, so they test the data; the floor is a real test of the path.
#[test]
fn the_2026_27_vintage_reproduces_the_budget() {
    let d = data();
    let b = baseline(&d, "2026-27").unwrap_or_else(|e| panic!("{e}"));
    let a = &b.accounts;
    assert_eq!(a.years[0], hkb_law::FinancialYear(2026));
    assert_eq!(a.years.len(), 5, "2026-27 to 2030-31");
    assert!((a.revenue.values[0] - 765.2).abs() < 1e-9);
    assert!((a.expenditure.values[0] - 843.4).abs() < 1e-9);
    assert!((a.balance.values[0] - 22.1).abs() < 1e-9);
    assert!(
        (a.reserves.values[0] - 679.3).abs() <= 0.05,
        "reserves at 31 March 2027: {}",
        a.reserves.values[0]
    );
    identity_holds(a, b.start_reserves);
    let last = a.years.len() - 1;
    let debt_ratio = 100.0 * a.debt.values[last] / b.nominal_gdp[last];
    assert!((debt_ratio - 19.9).abs() < 1e-6, "debt/GDP {debt_ratio}");
    // The floor is a check the model could fail, and it is not marked as by construction.
    let floor = b
        .published
        .iter()
        .find(|p| p.floor)
        .unwrap_or_else(|| panic!("no floor check"));
    assert!(!floor.by_construction);
    assert_eq!(floor.published, 700.0);
    assert!(
        floor.model > floor.published,
        "reserves {} below the floor",
        floor.model
    );
    // BEPS 2.0 adds 15bn a year from 2027-28 to earnings and profits tax, on top of its share.
    let profits = &a.heads[&hkb_fiscal::accounts::RevenueHead::EarningsAndProfitsTax];
    let share0 = profits.values[0] / a.revenue.values[0];
    let without = share0 * (a.revenue.values[1] - 15.0);
    assert!((profits.values[1] - 15.0 - without).abs() < 1e-6);
    // The 2026-27 vintage is the default.
    let ids = hkb_fiscal::vintage::vintages().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ids.last().map(String::as_str), Some("2026-27"));
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
    let i = h.year_index(hkb_law::FinancialYear(2023)).unwrap_or(0);
    assert!((h.reserves.values[i] - 734.5854).abs() < 1e-9);
    assert_eq!(h.reserves.status[i], Status::Actual);
}

#[test]
fn zero_shocks_give_the_deterministic_path_and_seeds_reproduce() {
    let d = data();
    let b = baseline(&d, "2025-26").unwrap_or_else(|e| panic!("{e}"));
    let drivers = Drivers::from_history(&d).unwrap_or_else(|e| panic!("{e}"));
    let none = additions(&b, &[], &[]).unwrap_or_else(|e| panic!("{e}"));
    let (mc0, paths) = run(&b, &none, &drivers, &mc(500, 1, 0.0));
    for t in 0..b.accounts.years.len() {
        assert!((mc0.reserves.p50[t] - b.accounts.reserves.values[t]).abs() < 1e-9);
        assert!((mc0.balance.p50[t] - b.accounts.balance.values[t]).abs() < 1e-9);
    }
    let (a, pa) = run(&b, &none, &drivers, &mc(2000, 42, 1.0));
    let (c, _) = run(&b, &none, &drivers, &mc(2000, 42, 1.0));
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
    // P(reserves below HK$600bn) is the share of paths below it, year by year.
    let below = a
        .probabilities
        .reserves_below_bn
        .clone()
        .unwrap_or_else(|| panic!("no threshold probabilities"));
    let n = b.accounts.years.len();
    for (t, p) in below.iter().enumerate() {
        let count = (0..2000)
            .filter(|&i| pa.reserves[i * n + t] < 600.0)
            .count();
        assert!((p - count as f64 / 2000.0).abs() < 1e-12);
    }
    // Every path, recomputed as full accounts from its draws, obeys the identities and equals
    // the summary arithmetic.
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
    let p = lines(
        "- {name: rent subsidy, kind: expenditure, amount: 2.0, start: 2025-26, end: 2026-27, growth: 0.1}\n",
    );
    let a = additions(&b, &p, &[]).unwrap_or_else(|e| panic!("{e}"));
    let want = [0.0, 2.0, 2.2, 0.0, 0.0];
    for (got, want) in a.expenditure.values.iter().zip(want) {
        assert!((got - want).abs() < 1e-9, "{:?}", a.expenditure.values);
    }
    let bad = lines("- {name: x, kind: expenditure, amount: 1, start: 2027-28, end: 2025-26}\n");
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

#[test]
fn the_scenario_path_is_the_path_without_shocks() {
    let d = data();
    let b = baseline(&d, "2024-25").unwrap_or_else(|e| panic!("{e}"));
    let drivers = Drivers::from_history(&d).unwrap_or_else(|e| panic!("{e}"));
    let p = lines(
        "- {name: a, kind: expenditure, amount: 3, start: 2025-26, end: 2027-28}\n- {name: b, kind: revenue, head: stamp_duties, amount: -2, start: 2024-25}\n- {name: c, kind: bond_issuance, amount: 10, start: 2026-27, growth: 0.05}\n",
    );
    let extra = additions(&b, &p, &[]).unwrap_or_else(|e| panic!("{e}"));
    let s = scenario(&b, &extra);
    let zero = path(&b, &extra, &drivers, &vec![0; b.accounts.years.len()], 0.0);
    assert_eq!(s, zero);
    identity_holds(&s, b.start_reserves);
}

#[test]
fn monte_carlo_limits_are_enforced() {
    assert!(McOptions::new(2_000_001, 1, 1.0, 12.0, None, 2_000_000).is_err());
    assert!(McOptions::new(10, 1, 6.0, 12.0, None, 100).is_err());
    assert!(McOptions::new(10, 1, 1.0, 0.0, None, 100).is_err());
    assert!(McOptions::new(10, 1, 1.0, 12.0, Some(f64::NAN), 100).is_err());
    assert!(McOptions::new(10, 1, 1.0, 12.0, Some(600.0), 100).is_ok());
}
