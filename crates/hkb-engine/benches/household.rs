//! Criterion benches of the engine's household operation as its front ends call it: the typed
//! call (`Lab::salaries`, the explained result with trace, parameters and the bill), the same
//! from a JSON request, and with the response written as JSON (what the CLI and the API do).
//! The Python binding's overhead is measured against the first (docs/PERFORMANCE.md).

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use hkb_engine::calc::YearCalc;
use hkb_engine::{Lab, LabOptions, Limits};
use hkb_rules::input::Situation;

// PwC's 2024/25 worked example (the README household).
const PWC: &str = r#"{"year": "2024/25", "married": true, "children": 2, "taxpayer": {"employment_income": 700000, "mpf_mandatory": 18000, "charitable_donations": 3000}}"#;

fn bench(c: &mut Criterion) {
    let lab = Lab::new(LabOptions {
        law: None,
        cache_dir: None,
        limits: Limits::default(),
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let value: serde_json::Value = serde_json::from_str(PWC).unwrap_or_else(|e| panic!("{e}"));
    let req: YearCalc<Situation> =
        hkb_engine::input::from_value(value.clone()).unwrap_or_else(|e| panic!("{e}"));
    c.bench_function("engine/salaries_pwc_typed", |b| {
        b.iter(|| lab.salaries(black_box(&req)))
    });
    c.bench_function("engine/salaries_pwc_from_json_value", |b| {
        b.iter(|| {
            let r: YearCalc<Situation> = hkb_engine::input::from_value(black_box(value.clone()))
                .unwrap_or_else(|e| panic!("{e}"));
            lab.salaries(&r)
        })
    });
    c.bench_function("engine/salaries_pwc_json_in_json_out", |b| {
        b.iter(|| {
            let r: YearCalc<Situation> = hkb_engine::input::from_value(black_box(value.clone()))
                .unwrap_or_else(|e| panic!("{e}"));
            let out = lab.salaries(&r).unwrap_or_else(|e| panic!("{e}"));
            serde_json::to_vec(&out).unwrap_or_else(|e| panic!("{e}"))
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
