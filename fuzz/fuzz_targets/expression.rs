//! Costing expressions (`amount: "accounts * subsidy / 1e9"`): parsed, then evaluated with
//! every name bound.
#![no_main]
use hkb_proposals::expr::Expr;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = hkb_fuzz::text(data) else {
        return;
    };
    if let Ok(e) = Expr::parse(text) {
        let _ = e.eval(&|name: &str| Some(name.len() as f64 + 0.5));
    }
});
