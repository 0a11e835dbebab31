//! Property tests of stamp duty across its whole history.

use chrono::{Days, NaiveDate};
use hkb_law::{Law, Money, ParamValue, transaction_paths as P};
use hkb_rules::input::Deal;
use hkb_rules::schedule::duty_amount;
use hkb_rules::stamp::{Scale, assess_deal, period_last_day};
use proptest::prelude::*;
use std::sync::OnceLock;

fn law() -> &'static Law {
    static L: OnceLock<Law> = OnceLock::new();
    L.get_or_init(|| Law::embedded().unwrap_or_else(|e| panic!("{e}")))
}

fn deal(
    date: NaiveDate,
    price: i64,
    residential: bool,
    buyer: &str,
    acquired: Option<NaiveDate>,
) -> Deal {
    let acq = acquired.map_or(String::new(), |a| format!(", seller_acquired: \"{a}\""));
    let text = format!(
        "{{instrument_date: \"{date}\", consideration: {price}, property: {}, buyers: [{buyer}]{acq}}}",
        if residential {
            "residential"
        } else {
            "non_residential"
        }
    );
    serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn date_in(first: NaiveDate, days: u64) -> NaiveDate {
    first.checked_add_days(Days::new(days)).unwrap_or(first)
}

const BUYERS: [&str; 4] = [
    "{kind: hkpr}",
    "{kind: hkpr, owns_other_residential: true}",
    "{kind: non_hkpr}",
    "{kind: company}",
];

fn first_day() -> NaiveDate {
    hkb_law::transaction_history().0
}

fn span_days() -> u64 {
    let (a, b) = hkb_law::transaction_history();
    (b - a).num_days() as u64
}

/// Every duty table in the tree (all versions).
fn all_tables() -> Vec<(String, String, Vec<hkb_law::DutyBand>)> {
    let mut v = vec![];
    for path in [P::AVD_SCALE2, P::AVD_SCALE2_RESIDENTIAL, P::AVD_PART2] {
        for dv in law()
            .node(path)
            .map(|n| n.values.clone())
            .unwrap_or_default()
        {
            if let ParamValue::DutyBands(b) = dv.value {
                v.push((path.to_string(), dv.from.clone(), b));
            }
        }
    }
    v
}

/// Points where a published threshold lies above the exact crossover of its two formulas, so that
/// duty falls by HK$1 as the price rises past it. Only the Scale 1 Part 2 table (jet-win's
/// transcription) has them: 3,290,330 (exact crossover 3,290,322.58) and 4,428,580 (4,428,571.43).
const KNOWN_DIPS: [i64; 2] = [3_290_330, 4_428_580];

#[test]
fn at_every_threshold_duty_is_continuous_within_one_dollar() {
    let mut dips = vec![];
    for (path, from, bands) in all_tables() {
        for b in &bands {
            let Some(u) = b.upto else { continue };
            let at = duty_amount(u, &bands).ceil_dollars();
            let after = duty_amount(u + Money::from_dollars(1), &bands).ceil_dollars();
            let jump = (after - at).cents() / 100;
            assert!(
                (-1..=1).contains(&jump),
                "{path} from {from}: jump of {jump} at {u}"
            );
            if jump < 0 {
                dips.push((path.clone(), u.cents() / 100));
            }
        }
    }
    let found: Vec<i64> = dips.iter().map(|(_, u)| *u).collect();
    assert!(dips.iter().all(|(p, _)| p == P::AVD_PART2), "{dips:?}");
    assert_eq!(
        found,
        KNOWN_DIPS.to_vec(),
        "the published thresholds that make duty fall by $1 changed"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn avd_never_decreases_as_the_price_rises(days in 0..span_days(), a in 1i64..150_000_000, step in 1i64..20_000_000, residential in any::<bool>(), b in 0usize..4) {
        let date = date_in(first_day(), days);
        let lo = assess_deal(law(), &deal(date, a, residential, BUYERS[b], None), None, false).unwrap_or_else(|e| panic!("{e}")).result;
        let hi = assess_deal(law(), &deal(date, a + step, residential, BUYERS[b], None), None, false).unwrap_or_else(|e| panic!("{e}")).result;
        let (lo_avd, hi_avd) = (lo.avd + lo.nrsd, hi.avd + hi.nrsd);
        let crosses_dip = lo.scale == Scale::Scale1Part2 && KNOWN_DIPS.iter().any(|d| a <= *d && *d < a + step && a + step - d <= 1);
        let slack = if crosses_dip { Money::from_dollars(1) } else { Money::ZERO };
        prop_assert!(hi_avd + slack >= lo_avd, "{date}: {a} pays {lo_avd}, {} pays {hi_avd}", a + step);
    }

    #[test]
    fn ssd_is_zero_after_the_holding_period(days in 0..span_days(), extra in 1u64..2000, price in 1_000_000i64..50_000_000, b in 0usize..4) {
        let acquired = date_in(first_day(), days);
        // 36 months is the longest holding period any regime charged.
        let disposed = period_last_day(acquired, 36).checked_add_days(Days::new(extra)).unwrap_or(acquired);
        prop_assume!(disposed <= hkb_law::transaction_history().1);
        let r = assess_deal(law(), &deal(disposed, price, true, BUYERS[b], Some(acquired)), None, false).unwrap_or_else(|e| panic!("{e}")).result;
        prop_assert_eq!(r.ssd, Money::ZERO);
    }

    #[test]
    fn bsd_is_zero_for_a_hkpr_acting_alone(days in 0..span_days(), price in 1i64..100_000_000, other in any::<bool>()) {
        let buyer = if other { "{kind: hkpr, owns_other_residential: true}" } else { "{kind: hkpr}" };
        let r = assess_deal(law(), &deal(date_in(first_day(), days), price, true, buyer, None), None, false).unwrap_or_else(|e| panic!("{e}")).result;
        prop_assert_eq!(r.bsd, Money::ZERO);
    }

    #[test]
    fn from_28_feb_2024_only_scale_2_avd_is_charged(days in 0u64..1128, price in 1i64..150_000_000, residential in any::<bool>(), b in 0usize..4, held in 1u64..1000) {
        let abolished = NaiveDate::from_ymd_opt(2024, 2, 28).unwrap_or_default();
        let date = date_in(abolished, days);
        let acquired = date.checked_sub_days(Days::new(held));
        let r = assess_deal(law(), &deal(date, price, residential, BUYERS[b], if residential { acquired } else { None }), None, false).unwrap_or_else(|e| panic!("{e}")).result;
        prop_assert_eq!(r.bsd, Money::ZERO);
        prop_assert_eq!(r.ssd, Money::ZERO);
        prop_assert_eq!(r.nrsd, Money::ZERO);
        prop_assert!(matches!(r.scale, Scale::Scale2 | Scale::Scale2Residential), "{:?}", r.scale);
        prop_assert_eq!(r.total_duty, r.avd);
    }
}

#[test]
fn holding_periods_are_counted_in_calendar_months() {
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
    // From a day to the day before the corresponding day of the later month.
    assert_eq!(period_last_day(d(2022, 1, 15), 6), d(2022, 7, 14));
    // No corresponding day: the period ends on the last day of that month.
    assert_eq!(period_last_day(d(2022, 8, 31), 6), d(2023, 2, 28));
    assert_eq!(period_last_day(d(2023, 8, 31), 6), d(2024, 2, 29));
    let r = |disposed| {
        assess_deal(
            law(),
            &deal(
                disposed,
                10_000_000,
                true,
                "{kind: hkpr}",
                Some(d(2022, 1, 15)),
            ),
            None,
            false,
        )
        .unwrap_or_else(|e| panic!("{e}"))
        .result
        .ssd
    };
    // 2012 regime: 20% within 6 months, 15% within 12, 10% within 36.
    assert_eq!(r(d(2022, 7, 14)), Money::from_dollars(2_000_000));
    assert_eq!(r(d(2022, 7, 15)), Money::from_dollars(1_500_000));
    assert_eq!(r(d(2023, 1, 14)), Money::from_dollars(1_500_000));
    assert_eq!(r(d(2023, 1, 15)), Money::from_dollars(1_000_000));
    // Disposals from 25 Oct 2023 are charged only within 24 months.
    assert_eq!(r(d(2024, 1, 14)), Money::from_dollars(1_000_000));
    assert_eq!(r(d(2024, 1, 15)), Money::ZERO);
    // Abolished for instruments from 28 Feb 2024.
    let early = |disposed| {
        assess_deal(
            law(),
            &deal(
                disposed,
                10_000_000,
                true,
                "{kind: hkpr}",
                Some(d(2024, 1, 2)),
            ),
            None,
            false,
        )
        .unwrap_or_else(|e| panic!("{e}"))
        .result
        .ssd
    };
    assert_eq!(early(d(2024, 2, 27)), Money::from_dollars(2_000_000));
    assert_eq!(early(d(2024, 2, 28)), Money::ZERO);
}

#[test]
fn joint_buyers_and_multiple_units() {
    let d = NaiveDate::from_ymd_opt(2018, 6, 1).unwrap_or_default();
    let with = |buyers: &str, relatives: bool, units: u32| {
        let text = format!(
            "{{instrument_date: \"{d}\", consideration: 10000000, property: residential, buyers: {buyers}, buyers_are_close_relatives: {relatives}, units: {units}}}"
        );
        let deal: Deal = serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        assess_deal(law(), &deal, None, false)
            .unwrap_or_else(|e| panic!("{e}"))
            .result
    };
    // HKPR with a non-HKPR close relative, neither owning other residential property: Scale 2, no BSD.
    let r = with("[{kind: hkpr}, {kind: non_hkpr}]", true, 1);
    assert_eq!((r.scale, r.bsd), (Scale::Scale2, Money::ZERO));
    // Not close relatives: Part 1 at 15% and BSD at 15% on the full consideration (IRD bsdexample).
    let r = with("[{kind: hkpr}, {kind: non_hkpr}]", false, 1);
    assert_eq!(
        (r.scale, r.nrsd, r.bsd),
        (
            Scale::Scale1Part1,
            Money::from_dollars(1_500_000),
            Money::from_dollars(1_500_000)
        )
    );
    // Two units under one instrument from 12 Apr 2017: Part 1 even for an HKPR first-time buyer.
    let r = with("[{kind: hkpr}]", false, 2);
    assert_eq!(r.scale, Scale::Scale1Part1);
}
