//! Criterion benches: one salaries-tax computation with its full trace (what the CLI and API do
//! per request), the same without a trace (what microsimulation does per person), and a married
//! household with dependants whose allocation between spouses is searched.

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use hkb_law::{Law, YearOfAssessment, YearParams};
use hkb_rules::input::Situation;

const PWC: &str = "{year: \"2024/25\", married: true, children: 2, taxpayer: {employment_income: 700000, mpf_mandatory: 18000, charitable_donations: 3000}, spouse: {employment_income: 0}}";
const FAMILY: &str = "{year: \"2024/25\", married: true, children: [{born_in_year: true}, {}, {}], dependent_parents: [{age: 70, resides_with: true}, {age: 58}], taxpayer: {employment_income: 900000, mpf_mandatory: 18000, home_loan_interest: 80000, rental_income: 240000}, spouse: {employment_income: 500000, mpf_mandatory: 18000, business_profit: 300000}}";

fn bench(c: &mut Criterion) {
    let law = Law::embedded().unwrap_or_else(|e| panic!("{e}"));
    let y =
        YearParams::resolve(&law, YearOfAssessment(2024), None).unwrap_or_else(|e| panic!("{e}"));
    let pwc: Situation = serde_yaml_ng::from_str(PWC).unwrap_or_else(|e| panic!("{e}"));
    let family: Situation = serde_yaml_ng::from_str(FAMILY).unwrap_or_else(|e| panic!("{e}"));
    c.bench_function("salaries_tax/pwc_household_with_trace", |b| {
        b.iter(|| hkb_rules::assess_household(black_box(&pwc), black_box(&y), true))
    });
    c.bench_function("salaries_tax/pwc_household_no_trace", |b| {
        b.iter(|| hkb_rules::assess_household(black_box(&pwc), black_box(&y), false))
    });
    c.bench_function("salaries_tax/family_all_options_with_trace", |b| {
        b.iter(|| hkb_rules::assess_household(black_box(&family), black_box(&y), true))
    });
    c.bench_function("law/resolve_year_2024_25", |b| {
        b.iter(|| YearParams::resolve(black_box(&law), YearOfAssessment(2024), None))
    });
    c.bench_function("law/load_and_validate_embedded_tree", |b| {
        b.iter(Law::embedded)
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
