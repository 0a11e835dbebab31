//! Situation, business, property, deal, stock-deal and tenement files (YAML or JSON, as
//! `--input` and the API take them): parsed, and when accepted, calculated. The first byte picks
//! the calculator.
#![no_main]
use hkb_engine::calc::{DateCalc, RatesCalc, YearCalc};
use hkb_engine::input::from_yaml;
use hkb_rules::input::{Business, Deal, LetProperty, Situation, StockDeal};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Some(text) = hkb_fuzz::text(rest) else {
        return;
    };
    let lab = hkb_fuzz::lab();
    let outcome = match which % 6 {
        0 => from_yaml::<YearCalc<Situation>>(text).and_then(|r| lab.salaries(&r).map(drop)),
        1 => from_yaml::<YearCalc<Business>>(text).and_then(|r| lab.profits(&r).map(drop)),
        2 => from_yaml::<YearCalc<LetProperty>>(text).and_then(|r| lab.property_tax(&r).map(drop)),
        3 => from_yaml::<DateCalc<Deal>>(text).and_then(|r| lab.stamp_duty(&r).map(drop)),
        4 => from_yaml::<DateCalc<StockDeal>>(text).and_then(|r| lab.stock_duty(&r).map(drop)),
        _ => from_yaml::<RatesCalc>(text).and_then(|r| lab.rates(&r).map(drop)),
    };
    if let Err(e) = outcome {
        hkb_fuzz::check_error(&e);
    }
});
