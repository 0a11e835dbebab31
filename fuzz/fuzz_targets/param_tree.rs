//! The parameter tree (`--params DIR`): the embedded tree with one node file replaced (or one
//! added) by the input; loaded and validated, and when accepted, resolved for every year.
#![no_main]
use hkb_law::{Law, YearOfAssessment, YearParams};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn files() -> &'static Vec<(String, String)> {
    static FILES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    FILES.get_or_init(Law::embedded_files)
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Some(text) = hkb_fuzz::text(rest) else {
        return;
    };
    let mut files = files().clone();
    if which % 2 == 0 && !files.is_empty() {
        let i = usize::from(which / 2) % files.len();
        files[i].1 = text.to_string();
    } else {
        files.push(("fuzz/node.yaml".to_string(), text.to_string()));
    }
    if let Ok(law) = Law::from_files(files) {
        for y in 2017..=2026 {
            let _ = YearParams::resolve(&law, YearOfAssessment(y), None);
        }
    }
});
