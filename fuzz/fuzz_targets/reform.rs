//! Reform files and `ReformSpec` bodies: parsed, checked against the law, and applied to every
//! supported year of assessment.
#![no_main]
use hkb_law::{ReformSpec, YearOfAssessment, YearParams};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = hkb_fuzz::text(data) else {
        return;
    };
    let lab = hkb_fuzz::lab();
    let spec = match hkb_engine::input::from_yaml::<ReformSpec>(text) {
        Ok(s) => s,
        Err(e) => return hkb_fuzz::check_error(&e),
    };
    match lab.reform(Some(&spec)) {
        Ok(Some(reform)) => {
            for y in 2017..=2026 {
                // A reform the tree accepted resolves or is refused, never panics.
                let _ = YearParams::resolve(lab.law(), YearOfAssessment(y), Some(&reform));
            }
        }
        Ok(None) => {}
        Err(e) => hkb_fuzz::check_error(&e),
    }
});
