//! Package files (proposals with overrides, custom costings with their expressions, reforms,
//! fiscal lines): parsed and, when they need no population, run against the forecast.
#![no_main]
use hkb_engine::package::{PackageRequest, PackageSpec};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = hkb_fuzz::text(data) else {
        return;
    };
    let lab = hkb_fuzz::lab();
    let package = match hkb_engine::input::from_yaml::<PackageSpec>(text) {
        Ok(p) => p,
        Err(e) => return hkb_fuzz::check_error(&e),
    };
    // A reform, or a catalogue proposal costed through the microsimulation, would build a
    // population of a million earners: parse those, run the rest.
    if !package.reforms.is_empty() || !package.proposals.is_empty() {
        return;
    }
    let req = PackageRequest {
        package,
        vintage: None,
        monte_carlo: None,
        population: Default::default(),
    };
    if let Err(e) = lab.run_package(&req, &hkb_engine::quiet) {
        hkb_fuzz::check_error(&e);
    }
});
