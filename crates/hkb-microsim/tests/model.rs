//! The microsimulation on a small fixture population: calibration holds, runs are deterministic,
//! files round-trip, stale and corrupt files are handled, and the reduction costing is right.

use hkb_law::{Law, Reform, YearOfAssessment};
use hkb_microsim::model::{BuildSpec, Model, PopulationKind, TargetRole};
use hkb_microsim::society::TaxKind;
use hkb_microsim::store::{self, Loaded, Obtained, PopulationCache};
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

/// Holds by construction: the entropy weights are solved to these targets, so this checks the
/// solver converged (and that `check` reports what the weights were fitted to), not the model.
#[test]
fn calibration_targets_are_reproduced_in_every_year() {
    for y in hkb_microsim::model::population_years() {
        let rows = model().check(law(), y).unwrap_or_else(|e| panic!("{e}"));
        for r in rows.iter().filter(|r| r.role == TargetRole::Calibrated) {
            // The rateable-value lognormals are least squares over more concession costs than
            // parameters (three domestic rows for two), so those rows keep a small residual.
            let tolerance = if r.population == PopulationKind::Tenements {
                2.0
            } else {
                0.01
            };
            assert!(
                r.error_pct.abs() < tolerance,
                "{y}: {} off by {}%",
                r.target.en,
                r.error_pct
            );
        }
    }
}

/// The run kernel (`society::run`, the fused salaries pass) reproduces the 2023/24 calibration
/// targets that the weights were fitted to with the calibration columns: 2.06m payers and a
/// HK$5.1bn reduction (2024-25 Budget para. 11). A cross-check of two code paths, not a
/// validation: both figures are calibration targets.
#[test]
fn the_run_kernel_reproduces_the_2023_24_calibration_targets() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../reforms/no-one-off-reductions.yaml"
    ))
    .unwrap_or_default();
    let reform =
        Reform::parse(law(), "no-one-off-reductions.yaml", &text).unwrap_or_else(|e| panic!("{e}"));
    let r = society::run(law(), model(), YearOfAssessment(2023), Some(&reform))
        .unwrap_or_else(|e| panic!("{e}"));
    let s = &r.taxes[&TaxKind::SalariesTax];
    assert!(
        (s.change / 5.1e9 - 1.0).abs() < 0.005,
        "change {}",
        s.change
    );
    assert!(
        (s.affected / 2.06e6 - 1.0).abs() < 0.005,
        "affected {}",
        s.affected
    );
    assert_eq!(r.deciles.len(), 10);
    // Deciles hold a tenth of the earners each (up to one record's weight).
    let total: f64 = r.deciles.iter().map(|d| d.persons).sum();
    for d in &r.deciles {
        assert!(
            (d.persons / total - 0.1).abs() < 0.01,
            "decile {:?} holds {}",
            d.decile,
            d.persons / total
        );
        assert!(
            d.winners_share == 0.0,
            "nobody gains from losing the reduction"
        );
    }
    // A profits tax reduction was removed too.
    assert!(r.taxes[&TaxKind::ProfitsTax].change > 0.0);
}

#[test]
fn a_baseline_run_changes_nothing() {
    let r = society::run(law(), model(), YearOfAssessment(2024), None)
        .unwrap_or_else(|e| panic!("{e}"));
    for (k, t) in &r.taxes {
        assert_eq!(t.change, 0.0, "{k:?}");
        assert_eq!(t.affected, 0.0, "{k:?}");
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
    let s = &r.taxes[&TaxKind::SalariesTax];
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
    let s = &r.taxes[&TaxKind::StampDutyStock];
    // Halving the rate halves static revenue; with elasticity -0.5 turnover rises by 2^0.5.
    assert!((s.change / s.baseline + 0.5).abs() < 1e-9);
    assert!(s.change_with_behaviour > s.change);
    assert!(
        (r.stock_turnover.turnover_with_behaviour / r.stock_turnover.turnover - 2f64.sqrt()).abs()
            < 1e-9
    );
}

#[test]
fn two_builds_of_one_population_at_once_leave_one_valid_file() {
    let dir = std::env::temp_dir().join(format!("hkb-race-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let cache = PopulationCache::new(&dir);
    let small = BuildSpec {
        persons: 5_000,
        businesses: 2_000,
        seed: 11,
    };
    let results: Vec<Obtained> = std::thread::scope(|s| {
        let a = s.spawn(|| cache.load_or_build(law(), small, false, &|_, _, _| {}));
        let b = s.spawn(|| cache.load_or_build(law(), small, false, &|_, _, _| {}));
        [a, b]
            .into_iter()
            .map(|h| match h.join() {
                Ok(Ok((_, how))) => how,
                Ok(Err(e)) => panic!("{e}"),
                Err(_) => panic!("a build panicked"),
            })
            .collect()
    });
    // The lock makes one of them build and the other load the finished file.
    let built = results
        .iter()
        .filter(|o| matches!(o, Obtained::Built { .. }))
        .count();
    assert_eq!(built, 1, "{results:?}");
    let fp = store::fingerprint(&law().fingerprint());
    assert!(matches!(
        store::load(&cache.path(&small), &fp),
        Ok(Loaded::Ready(_))
    ));
    // No temporary file is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_truncated_population_file_is_rebuilt() {
    let dir = std::env::temp_dir().join(format!("hkb-trunc-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let cache = PopulationCache::new(&dir);
    let small = BuildSpec {
        persons: 5_000,
        businesses: 2_000,
        seed: 12,
    };
    cache
        .load_or_build(law(), small, false, &|_, _, _| {})
        .unwrap_or_else(|e| panic!("{e}"));
    let path = cache.path(&small);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap_or_else(|e| panic!("{e}"));
    let (_, how) = cache
        .load_or_build(law(), small, false, &|_, _, _| {})
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(&how, Obtained::Built { reason: Some(r), .. } if r.contains("corrupt")),
        "{how:?}"
    );
}

/// Out-of-sample checks: published figures the weights were not fitted to. Each must stay within
/// the bound recorded here (the model's known error on this fixture population, with margin);
/// a change that makes the model worse fails. docs/VALIDATION.md lists the same rows for the
/// full population.
#[test]
fn validation_targets_stay_within_their_recorded_bounds() {
    // (year, start of the target's English name, largest allowed |error| in %)
    let bounds: &[(u16, &str, f64)] = &[
        (2017, "cost of the one-off reduction (salaries tax)", 12.0),
        (2017, "cost of the one-off reduction (profits tax)", 45.0),
        (2019, "cost of the one-off reduction (profits tax)", 40.0),
        (2019, "stamp duty on stock", 10.0),
        (2020, "cost of the one-off reduction (salaries tax)", 8.0),
        (2020, "cost of the one-off reduction (profits tax)", 30.0),
        (2021, "cost of the one-off reduction (profits tax)", 30.0),
        (2021, "cooling duties", 50.0),
        (2022, "cooling duties", 40.0),
        (2022, "cost of the one-off reduction (profits tax)", 20.0),
        (2023, "cost of the one-off reduction (profits tax)", 20.0),
        (2023, "stamp duty on stock", 5.0),
        (2024, "taxpayers on the standard rate", 60.0),
        // Since assessments are mapped to collections, YA 2024/25's salaries tax is pinned by
        // FY2025-26's collections (HK$97bn, a revised estimate) rather than standing in for
        // FY2024-25's HK$88.9bn, so the top tier carries more: +23% on the full population,
        // +40% on this fixture (the tail is too light in count and too heavy in revenue).
        (2024, "revenue from the 16% second tier", 45.0),
        // Property deals (residential and non-residential) against the derived non-stock duty
        // (IRD's total less a stock figure from another source; leases and other instruments
        // are not modelled).
        (2024, "stamp duty on property deals", 55.0),
        (2019, "stamp duty on property deals", 5.0),
        (2023, "stamp duty on property deals", 15.0),
        // The doubled duty per non-residential case in May 2017, out of sample (the price
        // level is fitted to the 2020 abolition's saving).
        (
            2017,
            "non-residential deals: doubled ad valorem duty per case",
            32.0,
        ),
        // Property and stock duty against IRD's stamp duty on every instrument (leases and
        // other instruments are not modelled): the misses of FY2017-18 and FY2018-19 are the
        // years before the fit of non-residential prices, when commercial prices peaked.
        (
            2017,
            "property and stock stamp duty vs all stamp duty",
            33.0,
        ),
        (
            2018,
            "property and stock stamp duty vs all stamp duty",
            16.0,
        ),
        (2019, "property and stock stamp duty vs all stamp duty", 5.0),
        (2020, "property and stock stamp duty vs all stamp duty", 5.0),
        (2021, "property and stock stamp duty vs all stamp duty", 9.0),
        (2022, "property and stock stamp duty vs all stamp duty", 5.0),
        (2023, "property and stock stamp duty vs all stamp duty", 7.0),
        (
            2024,
            "property and stock stamp duty vs all stamp duty",
            12.0,
        ),
        (2025, "property and stock stamp duty vs all stamp duty", 5.0),
        // Measures as the Budget costed them when it announced them (taxpayers benefiting and
        // revenue forgone; the published figures include personal assessment). Known misses:
        // too few claimants, and too poor (children and parents are drawn independently of
        // income, age and marriage; shared/design/FIDELITY_AUDIT.md point 4).
        // The band widening of 2018/19 is close in revenue and over in count.
        (
            2018,
            "Budget costing, progressive bands 45,000 at 2/7/12/17% -> 50,000 at 2/6/10/14/17%: taxpayers",
            15.0,
        ),
        (
            2018,
            "Budget costing, progressive bands 45,000 at 2/7/12/17% -> 50,000 at 2/6/10/14/17%: revenue",
            5.0,
        ),
        (
            2018,
            "Budget costing, child allowance 100,000 -> 120,000 (also in the year of birth): taxpayers",
            33.0,
        ),
        (
            2018,
            "Budget costing, child allowance 100,000 -> 120,000 (also in the year of birth): revenue",
            55.0,
        ),
        (
            2018,
            "Budget costing, dependent parent allowances 46,000 -> 50,000 (aged 55 to 59: 23,000 -> 25,000): taxpayers",
            38.0,
        ),
        (
            2018,
            "Budget costing, dependent parent allowances 46,000 -> 50,000 (aged 55 to 59: 23,000 -> 25,000): revenue",
            47.0,
        ),
        (
            2023,
            "Budget costing, child allowance 120,000 -> 130,000 (also in the year of birth): taxpayers",
            27.0,
        ),
        (
            2023,
            "Budget costing, child allowance 120,000 -> 130,000 (also in the year of birth): revenue",
            41.0,
        ),
        // Rates: concession costs the distributions were not fitted to (other caps, other years).
        (2017, "concession cost, all tenements", 5.0),
        (2019, "concession cost, all tenements", 5.0),
        (
            2020,
            "non-domestic tenements with a quarter's rates above",
            5.0,
        ),
        (2021, "concession cost, non-domestic tenements", 5.0),
        (2022, "concession cost, domestic tenements", 5.0),
        (2022, "concession cost, non-domestic tenements", 5.0),
        (2024, "concession cost, domestic tenements", 5.0),
        (2024, "concession cost, non-domestic tenements", 5.0),
        // A known miss: "about three to four per cent of total government revenue" against
        // FY2021-22's unusually high revenue; the model's rates after that year's concession
        // are below the range (docs/VALIDATION.md).
        (2021, "rates revenue vs", 30.0),
        // Property tax returns of an April bulk issue against the let tenements (approximate).
        (2017, "tenements let by owners liable to property tax", 25.0),
    ];
    let mut seen = 0;
    let mut seen_households = 0;
    const HOUSEHOLDS_ABOVE: f64 = 20.0;
    for y in hkb_microsim::model::population_years() {
        for r in model().check(law(), y).unwrap_or_else(|e| panic!("{e}")) {
            if r.role != TargetRole::Validation {
                continue;
            }
            if r.target.en.starts_with("households with an earner") {
                // A known miss, recorded: households with an earner exceed all domestic
                // households, because working adult children and other relatives are not yet
                // grouped with the households they live in (only couples are).
                eprintln!(
                    "{y} households: {:+.2}% (at most {HOUSEHOLDS_ABOVE}%)",
                    r.error_pct
                );
                assert!(
                    r.error_pct <= HOUSEHOLDS_ABOVE,
                    "{y}: households with an earner exceed all domestic households by {:+.2}%",
                    r.error_pct
                );
                seen_households += 1;
                continue;
            }
            let bound = bounds
                .iter()
                .find(|(by, name, _)| *by == y.0 && r.target.en.starts_with(name))
                .map(|b| b.2)
                .unwrap_or_else(|| panic!("{y}: no recorded bound for '{}'", r.target.en));
            eprintln!("{y} {}: {:+.2}% (bound {bound}%)", r.target.en, r.error_pct);
            assert!(
                r.error_pct.abs() <= bound,
                "{y}: '{}' is off by {:+.2}%, beyond its bound of {bound}%",
                r.target.en,
                r.error_pct
            );
            seen += 1;
        }
    }
    assert_eq!(seen, bounds.len(), "every recorded bound is checked");
    assert_eq!(seen_households, 9, "a household row in every year");
}

/// The months of a calendar year average to its published ADT (HKEX's annual figure is the mean
/// of its months, taken here with equal weights): the months without a monthly figure share what
/// the known ones leave, so this holds for every year in the sources — an identity of the
/// method, checked so that a change to it cannot silently break it.
#[test]
fn monthly_adt_averages_to_the_calendar_year() {
    let sources = hkb_microsim::sources::Sources::embedded().unwrap_or_else(|e| panic!("{e}"));
    let stock = sources.stock.unwrap_or_else(|| panic!("no stock section"));
    for year in &stock.adt {
        let mean = (1..=12)
            .map(|m| {
                stock
                    .month_adt(year.year, m)
                    .unwrap_or_else(|| panic!("{} month {m}", year.year))
            })
            .sum::<f64>()
            / 12.0;
        assert!(
            (mean / year.value - 1.0).abs() < 1e-9,
            "{}: months average {mean}, the year {}",
            year.year,
            year.value
        );
    }
    // A published month is used as published (October 2024: HK$255.0bn a day).
    assert_eq!(stock.month_adt(2024, 10), Some(255.0e9));
}

/// The cooling-era mix reproduces the shares it was derived from: the deals drawn for FY2022-23
/// pay BSD in 0.84% of cases and the Part 1 duty in 4.31% (IRD's August–September 2022 counts
/// over the Land Registry's agreements), within sampling error of 20,000 records; after
/// abolition (FY2024-25) no deal pays either.
#[test]
fn deals_pay_the_cooling_duties_in_the_published_shares() {
    let sources = hkb_microsim::sources::Sources::embedded().unwrap_or_else(|e| panic!("{e}"));
    let ps = sources
        .property
        .unwrap_or_else(|| panic!("no property section"));
    let share = |fy: i32| {
        let deals =
            hkb_microsim::property::generate(&ps, fy, 20_000, 7).unwrap_or_else(|e| panic!("{e}"));
        let (mut bsd, mut part1) = (0usize, 0usize);
        for d in &deals.deals {
            let at = d.instrument_date.at;
            let set = law()
                .resolve_at(at, &at.date().to_string(), None)
                .unwrap_or_else(|e| panic!("{e}"));
            let p = hkb_law::StampDutyParams::from_set(&set).unwrap_or_else(|e| panic!("{e}"));
            let r =
                hkb_rules::stamp::property_stamp_duty(d, &p, None, &mut hkb_rules::Trace::off());
            bsd += usize::from(r.bsd.cents() > 0);
            part1 += usize::from(r.nrsd.cents() > 0);
        }
        let n = deals.deals.len() as f64;
        (bsd as f64 / n, part1 as f64 / n)
    };
    let (bsd, part1) = share(2022);
    // Two standard errors of a share p over 20,000 draws: 2·sqrt(p(1-p)/n).
    let se = |p: f64| 2.0 * (p * (1.0 - p) / 20_000.0f64).sqrt();
    assert!((bsd - 0.0084).abs() <= se(0.0084), "BSD share {bsd}");
    assert!((part1 - 0.0431).abs() <= se(0.0431), "Part 1 share {part1}");
    assert_eq!(share(2024), (0.0, 0.0), "cooling duties after 28 Feb 2024");
}

/// Out of sample: taking away FY2022-23's concession (HK$1,500 a quarter for the first two
/// quarters and HK$1,000 for the last two) through a reform raises rates by what the 2022-23
/// Budget said the concession cost — HK$11.7bn domestic and HK$3.4bn non-domestic (paras. 6-7),
/// figures the tenement distributions were not fitted to.
#[test]
fn removing_the_2022_23_rates_concession_raises_what_the_budget_said_it_cost() {
    let spec: hkb_law::ReformSpec = serde_yaml_ng::from_str(
        "changes:\n  rates.concession.domestic:\n    2022-23: {q1: 0, q2: 0, q3: 0, q4: 0}\n  rates.concession.non_domestic:\n    2022-23: {q1: 0, q2: 0, q3: 0, q4: 0}\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let reform =
        Reform::from_spec(law(), "no concession 2022-23", spec).unwrap_or_else(|e| panic!("{e}"));
    let r = society::run(law(), model(), YearOfAssessment(2022), Some(&reform))
        .unwrap_or_else(|e| panic!("{e}"));
    for (kind, published) in [
        (TaxKind::RatesDomestic, 11.7e9),
        (TaxKind::RatesNonDomestic, 3.4e9),
    ] {
        let t = &r.taxes[&kind];
        let err = (t.change / published - 1.0) * 100.0;
        eprintln!(
            "{kind:?}: +{:.2}bn vs {:.1}bn ({err:+.1}%)",
            t.change / 1e9,
            published / 1e9
        );
        assert!(err.abs() < 5.0, "{kind:?}: {err:+.1}%");
        assert!(
            t.affected > 0.9 * t.payers.unwrap_or(0.0),
            "{kind:?}: nearly every tenement gains"
        );
    }
    // Nothing else moves.
    for kind in [
        TaxKind::SalariesTax,
        TaxKind::ProfitsTax,
        TaxKind::StampDutyProperty,
        TaxKind::StampDutyStock,
    ] {
        assert_eq!(r.taxes[&kind].change, 0.0, "{kind:?}");
    }
}

/// The progressive scale (5% / 8% / 12% from 1 January 2025) is what makes domestic rates of a
/// full year of it exceed the flat 5%: removing it for 2025-26 by a reform lowers domestic rates
/// by the extra revenue the domestic tail was fitted to (HK$820m a year, at 2024-25 values),
/// within the year's 0% revaluation and 1.3% more tenements. A check that the reform path and the
/// fit use the same scale, not an independent validation.
#[test]
fn removing_the_progressive_scale_costs_its_fitted_revenue() {
    let spec: hkb_law::ReformSpec = serde_yaml_ng::from_str(
        "changes:\n  rates.domestic:\n    2025-04-01..: {tiers: [{upto: null, rate: 0.05}]}\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let reform = Reform::from_spec(law(), "flat 5%", spec).unwrap_or_else(|e| panic!("{e}"));
    let r = society::run(law(), model(), YearOfAssessment(2025), Some(&reform))
        .unwrap_or_else(|e| panic!("{e}"));
    let t = &r.taxes[&TaxKind::RatesDomestic];
    eprintln!(
        "flat 5%: {:.3}bn, affected {:.0}",
        t.change / 1e9,
        t.affected
    );
    assert!(t.change < -0.80e9 && t.change > -0.86e9, "{}", t.change);
    assert!(
        t.affected > 30_000.0 && t.affected < 60_000.0,
        "{}",
        t.affected
    );
    assert_eq!(r.taxes[&TaxKind::RatesNonDomestic].change, 0.0);
}

/// The property tax path is wired to the law: a standard rate of 16% instead of 15% raises property
/// tax by a fifteenth (to the dollar truncation), the statutory allowance of 0% instead of 20% by a
/// quarter, and nothing else moves. Linear by construction — a check of the wiring, not a validation.
#[test]
fn property_tax_follows_its_rate_and_allowance() {
    let run = |yaml: &str| {
        let spec: hkb_law::ReformSpec =
            serde_yaml_ng::from_str(yaml).unwrap_or_else(|e| panic!("{e}"));
        let reform =
            Reform::from_spec(law(), "property tax", spec).unwrap_or_else(|e| panic!("{e}"));
        society::run(law(), model(), YearOfAssessment(2024), Some(&reform))
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let r = run("changes:\n  property_tax.standard_rate:\n    2024/25: 0.16\n");
    let t = &r.taxes[&TaxKind::PropertyTax];
    assert!(
        (t.reform / t.baseline - 16.0 / 15.0).abs() < 1e-4,
        "{} {}",
        t.reform,
        t.baseline
    );
    assert!(
        (t.baseline - 3983.6e6).abs() < 1e3,
        "calibrated to FY2024-25 collections: {}",
        t.baseline
    );
    for (k, x) in &r.taxes {
        if *k != TaxKind::PropertyTax {
            assert_eq!(x.change, 0.0, "{k:?}");
        }
    }
    let r = run("changes:\n  property_tax.statutory_allowance:\n    2024/25: 0\n");
    let t = &r.taxes[&TaxKind::PropertyTax];
    assert!(
        (t.reform / t.baseline - 1.25).abs() < 1e-4,
        "{} {}",
        t.reform,
        t.baseline
    );
}

/// `taxes.<head>.collections` of a run: the salaries and profits rows are calibrated through the
/// provisional-tax mapping, so the model's figure equals IRD's published collections (holds by
/// construction: a check that the run and the calibration use the same mapping). FY2017-18 needs
/// the assessment of YA 2016/17, which the law tree does not cover, so the model gives none.
#[test]
fn collections_of_a_run_use_the_calibrated_mapping() {
    let r = society::run(law(), model(), YearOfAssessment(2023), None)
        .unwrap_or_else(|e| panic!("{e}"));
    for (kind, published) in [
        (TaxKind::SalariesTax, 79_869.8e6),
        (TaxKind::ProfitsTax, 162_198.6e6 + 8_299.1e6),
    ] {
        let c = r.taxes[&kind]
            .collections
            .as_ref()
            .unwrap_or_else(|| panic!("{kind:?}: no collections"));
        assert_eq!(c.published, Some(published), "{kind:?}");
        let model = c
            .model
            .unwrap_or_else(|| panic!("{kind:?}: no model figure"));
        assert!(
            (model / published - 1.0).abs() < 1e-6,
            "{kind:?}: {model} against {published}"
        );
    }
    // Assessed and collected differ: YA 2023/24's assessment is not FY2023-24's collections.
    let s = &r.taxes[&TaxKind::SalariesTax];
    assert!(
        (s.baseline / 79_869.8e6 - 1.0).abs() > 1e-3,
        "{}",
        s.baseline
    );
    let first = society::run(law(), model(), YearOfAssessment(2017), None)
        .unwrap_or_else(|e| panic!("{e}"));
    let c = first.taxes[&TaxKind::SalariesTax]
        .collections
        .as_ref()
        .unwrap_or_else(|| panic!("no collections"));
    assert_eq!(c.model, None);
    assert_eq!(c.published, Some(60_838.8e6));
}

/// The year-by-head collections table of docs/VALIDATION.md: every financial year lists every
/// head; calibrated rows hold (by construction: this checks the solvers converged); validation
/// rows stay within the bounds recorded here (the model's known error on this fixture, with
/// margin: a change that makes the model worse fails); personal assessment is listed with IRD's
/// figure and no model figure, never a made-up one.
#[test]
fn collections_by_year_and_head_are_listed_and_bounded() {
    // (financial year, head, largest allowed |error| in %), for the validation rows.
    let bounds: &[(u16, &str, f64)] = &[
        // Property (residential and non-residential) and stock duty against duty on every
        // instrument (leases and other instruments are not modelled); known misses in FY2017-18,
        // FY2018-19 and FY2024-25 (docs/MICROSIM.md, known weaknesses).
        (2017, "stamp_duty_total", 33.0),
        (2018, "stamp_duty_total", 16.0),
        (2019, "stamp_duty_total", 5.0),
        (2019, "stamp_duty_property", 5.0),
        (2019, "stamp_duty_stock", 10.0),
        (2020, "stamp_duty_total", 5.0),
        (2021, "stamp_duty_total", 9.0),
        (2022, "stamp_duty_total", 5.0),
        (2023, "stamp_duty_total", 7.0),
        (2023, "stamp_duty_property", 15.0),
        (2023, "stamp_duty_stock", 5.0),
        (2024, "stamp_duty_total", 12.0),
        (2024, "stamp_duty_property", 55.0),
        (2025, "stamp_duty_total", 5.0),
    ];
    let heads = [
        "salaries_tax",
        "personal_assessment",
        "profits_tax",
        "property_tax",
        "stamp_duty_property",
        "stamp_duty_stock",
        "stamp_duty_total",
        "rates",
    ];
    let mut seen = 0;
    for y in hkb_microsim::model::population_years() {
        let rows = society::collections_checks(law(), model(), y).unwrap_or_else(|e| panic!("{e}"));
        let keys: Vec<&str> = rows.iter().map(|r| r.head.as_str()).collect();
        assert_eq!(keys, heads, "{y}");
        for r in &rows {
            let c = &r.collections;
            if r.head == "personal_assessment" {
                assert_eq!(c.model, None, "{y}: personal assessment is not modelled");
                assert_eq!(c.published.is_some(), y.0 <= 2024, "{y}");
            }
            match r.role {
                Some(TargetRole::Calibrated) => {
                    let e = r.error_pct.unwrap_or_else(|| panic!("{y} {}", r.head));
                    assert!(e.abs() < 0.01, "{y} {}: calibrated row off by {e}%", r.head);
                }
                Some(TargetRole::Validation) => {
                    let e = r.error_pct.unwrap_or_else(|| panic!("{y} {}", r.head));
                    let bound = bounds
                        .iter()
                        .find(|(by, h, _)| *by == y.0 && *h == r.head)
                        .map(|b| b.2)
                        .unwrap_or_else(|| panic!("{y} {}: no recorded bound ({e:+.2}%)", r.head));
                    eprintln!("{y} {}: {e:+.2}% (bound {bound}%)", r.head);
                    assert!(
                        e.abs() <= bound,
                        "{y} {}: off by {e:+.2}%, beyond {bound}%",
                        r.head
                    );
                    seen += 1;
                }
                None => assert!(
                    c.model.is_none() || c.published.is_none(),
                    "{y} {}: both figures but no role",
                    r.head
                ),
            }
        }
    }
    assert_eq!(seen, bounds.len(), "every recorded bound is checked");
}

/// Stamp duty on property by type adds up to the head (an identity of the bookkeeping: it holds
/// by construction, checked so that a change to the bookkeeping cannot break it silently).
#[test]
fn property_duty_by_type_adds_up() {
    for y in [2017, 2021, 2024] {
        let r = society::run(law(), model(), YearOfAssessment(y), None)
            .unwrap_or_else(|e| panic!("{e}"));
        let t = &r.taxes[&TaxKind::StampDutyProperty];
        let types = t.by_type.as_ref().unwrap_or_else(|| panic!("no by_type"));
        let keys: Vec<&str> = types.keys().map(String::as_str).collect();
        assert_eq!(keys, ["avd", "bsd", "nrsd", "ssd"]);
        let sum: f64 = types.values().map(|d| d.baseline).sum();
        assert!(
            (sum - t.baseline).abs() <= 1e-6 * t.baseline.max(1.0),
            "{y}: types sum to {sum}, the head is {}",
            t.baseline
        );
        if y == 2021 {
            // BSD was in force in FY2021-22 (15% on non-permanent-resident and company buyers).
            assert!(types["bsd"].baseline > 0.0 && types["bsd"].payers > 0.0);
        }
    }
}

/// Non-residential deals: each financial year's count lies between the Land Registry windows
/// around it (an invariant of the interpolation); the price level reproduces the saving it is
/// fitted to (by construction: this checks the bisection converged); the deals are in the
/// property head as their own buyer row, paying the doubled duty before 26 November 2020 and
/// Scale 2 after (the law, not the fit); and stamp duty on property is the residential deals
/// plus the non-residential ones.
#[test]
fn non_residential_deals_follow_the_land_registry_and_the_fit() {
    let ps = model()
        .sources
        .property
        .as_ref()
        .unwrap_or_else(|| panic!("no property"));
    let nr = ps
        .non_residential
        .as_ref()
        .unwrap_or_else(|| panic!("no non-residential"));
    // Annualised windows: CY2019 (15,007) and the first half of 2020 (5,472 x 2) lie either
    // side of FY2019-20's middle.
    let fy2019 = nr.agreements_in(2019).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        (10_944.0..=15_007.0).contains(&fy2019),
        "FY2019-20: {fy2019} agreements"
    );
    let price = model()
        .non_residential_price(law())
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no fit"));
    let saved = hkb_microsim::property::non_residential_saving(law(), &nr.dsd_abolition, price)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        (saved - 174_000.0).abs() < 1.0,
        "HK$870m / 5,000 deals = HK$174,000 a deal; the fit gives {saved}"
    );
    for (y, before_abolition) in [(2019, true), (2021, false)] {
        let r = society::run(law(), model(), YearOfAssessment(y), None)
            .unwrap_or_else(|e| panic!("{e}"));
        let row = r
            .property_by_buyer
            .iter()
            .find(|b| b.band == "non_residential")
            .unwrap_or_else(|| panic!("{y}: no non-residential row"));
        let expected = nr
            .agreements_in(i32::from(y))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            (row.count - expected).abs() < 1e-6 * expected,
            "{y}: {}",
            row.count
        );
        let per_deal = row.baseline / row.count;
        // Scale 2 tops out at 4.25%; the doubled Scale 1 rises to 8.5%. A lognormal with the
        // fitted level pays, on average, more than HK$100 and less than 8.5% of the mean price.
        let mean_price = (price.0 + price.1 * price.1 / 2.0).exp();
        let top = if before_abolition { 0.085 } else { 0.0425 };
        assert!(
            per_deal > 100.0 && per_deal < top * mean_price,
            "{y}: HK${per_deal:.0} a deal at a mean price of HK${mean_price:.0}"
        );
        let all: f64 = r.property_by_buyer.iter().map(|b| b.baseline).sum();
        let head = r.taxes[&TaxKind::StampDutyProperty].baseline;
        assert!(
            (all - head).abs() <= 1e-6 * head,
            "{y}: buyers {all} vs head {head}"
        );
    }
}

/// How far calibration moved the weights: a row for every year, every ratio positive and
/// finite, and the earners' largest inside the widest step of the bounds ladder (20 x 25; holds
/// by construction of the logit distance, so a year that fell back to unbounded weights fails
/// here). The full population keeps the unwidened bounds (docs/VALIDATION.md).
#[test]
fn weight_spread_covers_every_year_within_the_bounds_ladder() {
    let spread = model().weight_spread();
    assert_eq!(
        spread.len(),
        hkb_microsim::model::population_years().count()
    );
    let b = model()
        .sources
        .weight_bounds
        .as_ref()
        .unwrap_or_else(|| panic!("no weight bounds"));
    for s in &spread {
        for r in [
            s.earners_largest,
            s.earners_smallest,
            s.businesses_largest,
            s.businesses_smallest,
        ] {
            assert!(r.is_finite() && r > 0.0, "{}: ratio {r}", s.year);
        }
        assert!(
            s.earners_largest < b.upper * 25.0 && s.earners_smallest > b.lower / 25.0,
            "{}: earners {}..{}",
            s.year,
            s.earners_smallest,
            s.earners_largest
        );
    }
}

/// Deciles by household add up to the same totals as deciles by earner (the households hold
/// every earner once: an identity of the bookkeeping), cover every household, and rank by
/// equivalised household income; a basic-allowance rise leaves no household paying more.
#[test]
fn household_deciles_add_up_to_the_earner_totals() {
    use hkb_microsim::society::DecileBy;
    let reform = Reform::parse(
        law(),
        "allowance.yaml",
        "changes:\n  salaries_tax.allowances.basic:\n    2024/25..: 145000\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let y = YearOfAssessment(2024);
    let by_earner = society::run_by(law(), model(), y, Some(&reform), DecileBy::Earner)
        .unwrap_or_else(|e| panic!("{e}"));
    let by_household = society::run_by(law(), model(), y, Some(&reform), DecileBy::Household)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(by_household.deciles_by, DecileBy::Household);
    assert_eq!(by_household.deciles.len(), 10);
    let sum = |r: &society::RunResult, f: fn(&hkb_microsim::salaries::DecileRow) -> f64| {
        r.deciles.iter().map(f).sum::<f64>()
    };
    type Field = fn(&hkb_microsim::salaries::DecileRow) -> f64;
    let fields: [(&str, Field); 2] = [
        ("baseline tax", |d| d.baseline_tax),
        ("reform tax", |d| d.reform_tax),
    ];
    for (name, f) in fields {
        let (e, h) = (sum(&by_earner, f), sum(&by_household, f));
        assert!(
            (e - h).abs() <= 1e-6 * e.abs().max(1.0),
            "{name}: {e} by earner, {h} by household"
        );
    }
    // Fewer households than earners (couples), more than half as many.
    let (earners, households) = (
        sum(&by_earner, |d| d.persons),
        sum(&by_household, |d| d.persons),
    );
    assert!(
        households < earners && households > 0.5 * earners,
        "{households} of {earners}"
    );
    // Each decile holds about a tenth of the households.
    for d in &by_household.deciles {
        assert!(
            (d.persons / households - 0.1).abs() < 0.02,
            "{:?}: {}",
            d.decile,
            d.persons
        );
        assert_eq!(d.losers_share, 0.0, "{:?}", d.decile);
    }
    // The top decile's households have more income than the bottom's.
    assert!(by_household.deciles[9].mean_income > by_household.deciles[0].mean_income);
}

/// The fused salaries pass (allowances looked up by kind of household, nil tax taken early,
/// baseline and reform together) gives every total and decile that the batch kernel gives
/// earner by earner with its own allowances — the kernel `tests/batch.rs` proves equal to the
/// household calculator.
#[test]
fn the_fused_salaries_pass_equals_the_kernel_earner_by_earner() {
    use hkb_law::YearParams;
    use hkb_microsim::salaries::{self, YearView};
    use hkb_rules::batch::earner_tax;
    let m = model();
    let y = YearOfAssessment(2024);
    let reform = Reform::parse(
        law(),
        "t.yaml",
        "changes:\n  salaries_tax.allowances.basic:\n    2024/25: 142000\n  salaries_tax.progressive.bands[4].rate:\n    2024/25: 0.19\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let base = YearParams::resolve(law(), y, None).unwrap_or_else(|e| panic!("{e}"));
    let reformed = YearParams::resolve(law(), y, Some(&reform)).unwrap_or_else(|e| panic!("{e}"));
    let weights =
        &m.years[hkb_microsim::model::year_index(y).unwrap_or_else(|e| panic!("{e}"))].earners;
    let factor = m.factor(y).unwrap_or_else(|e| panic!("{e}"));
    let view = YearView::new(&m.earners, factor, weights);
    let out = salaries::run(&view, &base.salaries, Some(&reformed.salaries), None);
    let (mut b_total, mut r_total, mut affected) = (0.0, 0.0, 0.0);
    let mut by_decile = [(0.0f64, 0.0f64); 10];
    let mut taxes = Vec::with_capacity(weights.len());
    for (i, &w) in weights.iter().enumerate() {
        let e = m.earners.earner(i, factor);
        let (_, b, _) = earner_tax(&e, &base.salaries);
        let (_, r, _) = earner_tax(&e, &reformed.salaries);
        taxes.push((b.to_f64(), r.to_f64()));
        b_total += w * b.to_f64();
        r_total += w * r.to_f64();
        if b != r {
            affected += w;
        }
        let d = view
            .decile_starts
            .iter()
            .rposition(|&s| s <= i)
            .unwrap_or(0);
        by_decile[d].0 += w * b.to_f64();
        by_decile[d].1 += w * r.to_f64();
    }
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
    assert!(
        close(out.baseline, b_total),
        "{} vs {b_total}",
        out.baseline
    );
    assert!(close(out.reform, r_total), "{} vs {r_total}", out.reform);
    assert!(
        close(out.affected, affected),
        "{} vs {affected}",
        out.affected
    );
    for (row, (b, r)) in out.deciles.iter().zip(by_decile) {
        assert!(
            close(row.baseline_tax, b),
            "{:?}: {} vs {b}",
            row.decile,
            row.baseline_tax
        );
        assert!(
            close(row.reform_tax, r),
            "{:?}: {} vs {r}",
            row.decile,
            row.reform_tax
        );
    }
    assert!(
        m.earners.allowance_kinds().is_some(),
        "the lookup path was taken"
    );

    // By household: each member's tax in its household's decile, a household (one earner, or a
    // couple counted once) winning or losing by its members' change together.
    use hkb_microsim::households::{SINGLE, TOP1};
    let idx = hkb_microsim::model::year_index(y).unwrap_or_else(|e| panic!("{e}"));
    let (h, year) = (
        m.households(),
        m.household_year(idx).unwrap_or_else(|e| panic!("{e}")),
    );
    let codes = &year.codes;
    let by_household_of = |view: &YearView<'_>| {
        salaries::run_with_households(
            view,
            &base.salaries,
            Some(&reformed.salaries),
            None,
            Some(salaries::ByHousehold {
                households: h,
                year,
                scratch: &m.household_scratch,
            }),
        )
    };
    let (same, by_household) = by_household_of(&view);
    assert!(close(same.reform, out.reform));
    let (rows, top1) = by_household.unwrap_or_else(|| panic!("household deciles asked for"));
    // (households, baseline, reform, winning households, losing households, income); the top
    // 1% last.
    let mut expected = [(0.0f64, 0.0f64, 0.0f64, 0.0f64, 0.0f64, 0.0f64); 11];
    for (i, &w) in weights.iter().enumerate() {
        let p = h.partner[i];
        let (b, r) = taxes[i];
        let household = if p == SINGLE {
            Some((r - b, w))
        } else if p as usize > i {
            let (pb, pr) = taxes[p as usize];
            Some((r - b + pr - pb, (w + weights[p as usize]) / 2.0))
        } else {
            None
        };
        let code = codes[i];
        let mut slots = vec![usize::from(code & 0x0f)];
        if code & TOP1 != 0 {
            slots.push(10);
        }
        for s in slots {
            let x = &mut expected[s];
            x.0 += if p == SINGLE { w } else { w / 2.0 };
            x.1 += w * b;
            x.2 += w * r;
            x.5 += w * m.earners.earner(i, factor).employment_income as f64 / 100.0;
            if let Some((change, hw)) = household {
                if change < -1e-9 {
                    x.3 += hw;
                }
                if change > 1e-9 {
                    x.4 += hw;
                }
            }
        }
    }
    for (row, x) in rows.iter().chain(std::iter::once(&top1)).zip(expected) {
        let what = format!("{:?}", row.decile);
        assert!(
            close(row.persons, x.0),
            "{what}: {} vs {}",
            row.persons,
            x.0
        );
        assert!(
            close(row.baseline_tax, x.1),
            "{what}: {} vs {}",
            row.baseline_tax,
            x.1
        );
        assert!(
            close(row.reform_tax, x.2),
            "{what}: {} vs {}",
            row.reform_tax,
            x.2
        );
        let income = row.mean_income * row.persons;
        assert!(close(income, x.5), "{what}: income {income} vs {}", x.5);
        let winners = row.winners_share * row.persons;
        let losers = row.losers_share * row.persons;
        assert!(close(winners, x.3), "{what}: winners {winners} vs {}", x.3);
        assert!(close(losers, x.4), "{what}: losers {losers} vs {}", x.4);
    }
    assert!(
        rows.iter().any(|r| r.winners_share > 0.0) && rows.iter().any(|r| r.losers_share > 0.0),
        "the reform both lowers and raises some households' tax"
    );
    // The year's households and income were scaled with the year's factor: a view of another
    // factor gets no household deciles rather than another year's income.
    let other = YearView::new(&m.earners, factor + 1, weights);
    assert!(by_household_of(&other).1.is_none());
}
