//! The batch kernel equals the household calculator for one earner assessed separately.

use hkb_law::{Law, Money, YearOfAssessment, YearParams};
use hkb_rules::batch::{
    AllowanceFacts, Earner, Prepared, Shared, allowances_of, earner_tax, earner_tax_pair,
    earner_tax_pair_with_allowances, earner_tax_prepared, earner_tax_with_allowances,
};
use hkb_rules::input::{Amount, Child, Children, Parent, Person, Situation};
use proptest::prelude::*;
use std::sync::OnceLock;

fn years() -> &'static Vec<YearParams> {
    static Y: OnceLock<Vec<YearParams>> = OnceLock::new();
    Y.get_or_init(|| {
        let law = Law::embedded().unwrap_or_else(|e| panic!("{e}"));
        YearOfAssessment::supported()
            .map(|y| YearParams::resolve(&law, y, None).unwrap_or_else(|e| panic!("{e}")))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn batch_equals_household_calculator(y in 0usize..10, income in 0i64..30_000_000, mpf in 0i64..30_000, donations in 0i64..400_000, married in any::<bool>(), kids in 0u8..4, born in 0u8..2, last in 0u8..2, res in 0u8..2, nonres in 0u8..2) {
        let years = years();
        let prm = &years[y % years.len()];
        let born = born.min(kids);
        let last = last.min(kids - born);
        let e = Earner {
            employment_income: income * 100, mpf_mandatory: mpf * 100, charitable_donations: donations * 100,
            facts: AllowanceFacts {
                married_allowance: married, children: kids, children_born_in_year: born, children_born_last_year: last,
                parents_60_residing: res, parents_60_not_residing: nonres,
            },
        };
        // A child born in the previous year of assessment: 1 June of the year before.
        let last_year = chrono::NaiveDate::from_ymd_opt(i32::from(prm.salaries.year.0) - 1, 6, 1);
        let mut children: Vec<Child> = (0..kids - born - last).map(|_| Child::default()).collect();
        children.extend((0..born).map(|_| Child { born_in_year: true, ..Child::default() }));
        children.extend((0..last).map(|_| Child { born_on: last_year, ..Child::default() }));
        let mut parents: Vec<Parent> = (0..res).map(|_| Parent { age: 70, resides_with: true, disabled: false }).collect();
        parents.extend((0..nonres).map(|_| Parent { age: 70, resides_with: false, disabled: false }));
        let s = Situation {
            year: prm.salaries.year, assessment: Default::default(), married, single_parent: false,
            children: Children(children), dependent_parents: parents, dependent_siblings: vec![],
            taxpayer: Person { employment_income: Amount(Money::from_dollars(income)), mpf_mandatory: Amount(Money::from_dollars(mpf)), charitable_donations: Amount(Money::from_dollars(donations)), ..Person::default() },
            spouse: if married { Some(Person::default()) } else { None },
        };
        let r = hkb_rules::assess_household(&s, prm, false).unwrap_or_else(|e| panic!("{e}"));
        let sep = r.options.iter().find(|o| o.method == "separate").unwrap_or_else(|| panic!("no separate option"));
        let (before, after, _) = earner_tax(&e, &prm.salaries);
        prop_assert_eq!(before, sep.tax_before_reduction);
        prop_assert_eq!(after, sep.tax_payable);
        let prep = Prepared::new(&prm.salaries);
        prop_assert_eq!(earner_tax_prepared(&e, &prep), (before, after));
    }
}

#[test]
fn prepared_kernel_handles_reformed_schedules() {
    // A non-convex reform (a lower top rate) takes the exact fallback path.
    let law = Law::embedded().unwrap_or_else(|e| panic!("{e}"));
    for text in [
        "changes:\n  salaries_tax.progressive.bands[4].rate:\n    2024/25: 0.12\n",
        "changes:\n  salaries_tax.progressive.bands[4].rate:\n    2024/25: 0.19\n",
        "changes:\n  salaries_tax.standard_rate.tiers[1].rate:\n    2024/25: 0.14\n",
    ] {
        let r = hkb_law::Reform::parse(&law, "t", text).unwrap_or_else(|e| panic!("{e}"));
        let y = YearParams::resolve(&law, YearOfAssessment(2024), Some(&r))
            .unwrap_or_else(|e| panic!("{e}"));
        let prep = Prepared::new(&y.salaries);
        for income in (0..200).map(|i| i64::from(i) * 7_300_000 + 12_345) {
            let e = Earner {
                employment_income: income,
                mpf_mandatory: 1_800_000,
                ..Earner::default()
            };
            let (b, a, _) = earner_tax(&e, &y.salaries);
            assert_eq!(earner_tax_prepared(&e, &prep), (b, a), "{text} at {income}");
        }
    }
}

/// The paired kernel (baseline and reform, sharing net income or allowances when the reform
/// leaves them alone) equals two separate calls, whatever the reform touches.
#[test]
fn paired_kernel_equals_two_calls() {
    let law = Law::embedded().unwrap_or_else(|e| panic!("{e}"));
    let base =
        YearParams::resolve(&law, YearOfAssessment(2024), None).unwrap_or_else(|e| panic!("{e}"));
    let base_prep = Prepared::new(&base.salaries);
    for text in [
        "changes:\n  salaries_tax.progressive.bands[4].rate:\n    2024/25: 0.19\n",
        "changes:\n  salaries_tax.allowances.basic:\n    2024/25: 142000\n",
        "changes:\n  salaries_tax.deductions.mpf_mandatory:\n    2024/25: 36000\n",
        "changes:\n  salaries_tax.allowances.child:\n    2024/25: 150000\n  salaries_tax.deductions.mpf_mandatory:\n    2024/25: 9000\n",
    ] {
        let r = hkb_law::Reform::parse(&law, "t", text).unwrap_or_else(|e| panic!("{e}"));
        let y = YearParams::resolve(&law, YearOfAssessment(2024), Some(&r))
            .unwrap_or_else(|e| panic!("{e}"));
        let prep = Prepared::new(&y.salaries);
        let shared = Shared::between(&base.salaries, &y.salaries);
        for i in 0..400i64 {
            let e = Earner {
                employment_income: i * 3_700_000 + 99,
                mpf_mandatory: (i % 7) * 500_000,
                charitable_donations: (i % 5) * 1_000_000,
                facts: AllowanceFacts {
                    married_allowance: i % 3 == 0,
                    children: (i % 4) as u8,
                    children_born_in_year: (i % 2) as u8,
                    children_born_last_year: ((i / 2) % 2) as u8,
                    parents_60_residing: (i % 3) as u8,
                    parents_60_not_residing: (i % 2) as u8,
                },
            };
            assert_eq!(
                earner_tax_pair(&e, &base_prep, &prep, shared),
                (
                    earner_tax_prepared(&e, &base_prep),
                    earner_tax_prepared(&e, &prep)
                ),
                "{text} earner {i}"
            );
            // Allowances looked up by the earner's facts (as the microsimulation does, once
            // per kind of household) give the same taxes as computing them per earner.
            let facts = e.facts;
            let (al_base, al_reform) = (
                allowances_of(&facts, &base.salaries),
                allowances_of(&facts, &y.salaries),
            );
            assert_eq!(
                earner_tax_pair_with_allowances(&e, &base_prep, al_base, &prep, al_reform, shared),
                earner_tax_pair(&e, &base_prep, &prep, shared),
                "{text} earner {i}, allowances looked up"
            );
            assert_eq!(
                earner_tax_with_allowances(&e, &prep, al_reform),
                earner_tax_prepared(&e, &prep),
                "{text} earner {i}, one side"
            );
        }
    }
}
