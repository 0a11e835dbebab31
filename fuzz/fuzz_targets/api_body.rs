//! The API's request bodies (JSON), one per endpoint the first byte picks: parsed as the
//! server parses them and, for the operations that need no population, run.
#![no_main]
use hkb_engine::calc::{SweepRequest, YearCalc};
use hkb_engine::costing::CostRequest;
use hkb_engine::input::from_json;
use hkb_engine::package::{CompareRequest, PackageRequest};
use hkb_engine::project::ProjectRequest;
use hkb_engine::society::SocietyRequest;
use hkb_rules::input::Situation;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Some(text) = hkb_fuzz::text(rest) else {
        return;
    };
    let lab = hkb_fuzz::lab();
    let outcome = match which % 7 {
        0 => from_json::<YearCalc<Situation>>(text).and_then(|r| lab.salaries(&r).map(drop)),
        1 => from_json::<SweepRequest>(text).and_then(|r| lab.salaries_sweep(&r).map(drop)),
        // Society-wide runs and costings build populations: parsed only.
        2 => from_json::<SocietyRequest>(text).map(drop),
        3 => from_json::<CostRequest>(text).map(drop),
        4 => from_json::<PackageRequest>(text).map(drop),
        5 => from_json::<CompareRequest>(text).map(drop),
        _ => from_json::<ProjectRequest>(text).and_then(|r| {
            // The projection alone (a package may need a population; Monte Carlo is capped).
            if r.package.is_some() || r.monte_carlo.as_ref().is_some_and(|m| m.paths > 2000) {
                return Ok(());
            }
            lab.project(&r, &hkb_engine::quiet).map(drop)
        }),
    };
    if let Err(e) = outcome {
        hkb_fuzz::check_error(&e);
    }
});
