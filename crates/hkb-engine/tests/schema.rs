//! The wire format is a promise: the JSON Schema of every request and response is kept in
//! `tests/schema.snapshot.json` with the schema version. A change to any field fails this test
//! until `SCHEMA_VERSION` is bumped (if the change is not backward compatible) and the snapshot is
//! regenerated with `UPDATE_SCHEMA=1 cargo test -p hkb-engine --test schema`.

use hkb_engine::calc::{
    CalcResult, DateCalc, ProfitsOutcome, PropertyTaxOutcome, RatesCalc, RatesOutcome,
    StampDutyOutcome, StockDutyOutcome, YearCalc,
};
use hkb_engine::costing::{CostRequest, CostingResult};
use hkb_engine::package::{CompareRequest, Comparison, PackageRequest, PackageResult};
use hkb_engine::project::{ProjectRequest, Projection};
use hkb_engine::proposals::{ProposalDetail, ProposalList, ScorecardResult};
use hkb_engine::society::{CheckResult, SocietyRequest, SocietyResult};
use hkb_engine::{EngineError, Response, SCHEMA_VERSION};
use hkb_rules::input::{Business, Deal, LetProperty, Situation, StockDeal};
use hkb_rules::salaries::HouseholdResult;
use schemars::schema_for;
use serde_json::{Value, json};

fn schemas() -> Value {
    json!({
        "schema_version": SCHEMA_VERSION,
        "requests": {
            "salaries": schema_for!(YearCalc<Situation>),
            "profits": schema_for!(YearCalc<Business>),
            "property_tax": schema_for!(YearCalc<LetProperty>),
            "stamp_duty": schema_for!(DateCalc<Deal>),
            "stock_duty": schema_for!(DateCalc<StockDeal>),
            "rates": schema_for!(RatesCalc),
            "society": schema_for!(SocietyRequest),
            "cost": schema_for!(CostRequest),
            "package": schema_for!(PackageRequest),
            "compare": schema_for!(CompareRequest),
            "project": schema_for!(ProjectRequest),
        },
        "responses": {
            "salaries": schema_for!(Response<CalcResult<HouseholdResult>>),
            "profits": schema_for!(Response<CalcResult<ProfitsOutcome>>),
            "property_tax": schema_for!(Response<CalcResult<PropertyTaxOutcome>>),
            "stamp_duty": schema_for!(Response<CalcResult<StampDutyOutcome>>),
            "stock_duty": schema_for!(Response<CalcResult<StockDutyOutcome>>),
            "rates": schema_for!(Response<CalcResult<RatesOutcome>>),
            "society": schema_for!(Response<SocietyResult>),
            "check": schema_for!(Response<CheckResult>),
            "cost": schema_for!(Response<CostingResult>),
            "package": schema_for!(Response<PackageResult>),
            "compare": schema_for!(Response<Comparison>),
            "project": schema_for!(Response<Projection>),
            "proposals": schema_for!(Response<ProposalList>),
            "proposal": schema_for!(Response<ProposalDetail>),
            "scorecard": schema_for!(Response<ScorecardResult>),
            "error": schema_for!(EngineError),
        }
    })
}

#[test]
fn the_wire_format_matches_its_snapshot() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/schema.snapshot.json");
    let now = schemas();
    let text = serde_json::to_string_pretty(&now).unwrap_or_default() + "\n";
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(path, &text).unwrap_or_else(|e| panic!("{e}"));
        return;
    }
    let saved: Value = std::fs::read_to_string(path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(Value::Null);
    assert_eq!(
        saved["schema_version"], SCHEMA_VERSION,
        "SCHEMA_VERSION changed: regenerate the snapshot (UPDATE_SCHEMA=1)"
    );
    assert!(
        saved == now,
        "a request or response field changed: bump SCHEMA_VERSION in crates/hkb-engine/src/provenance.rs if clients must change, then regenerate tests/schema.snapshot.json with UPDATE_SCHEMA=1 cargo test -p hkb-engine --test schema"
    );
}
