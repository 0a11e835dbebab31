//! The OpenAPI 3.1 document, generated from the types on the wire: one table of operations
//! ([`OPERATIONS`]) names each route's request and response types, and schemars turns those types
//! into JSON Schema (2020-12, as OpenAPI 3.1 uses). A test checks that every route the router
//! serves is in the table. The reference page is rendered from the same document, on the server
//! (no scripts, no CDN).

use crate::AppState;
use crate::api::{Health, ProgressInfo, VersionInfo};
use crate::error::ApiError;
use crate::scenarios::{SaveScenario, ScenarioList, ScenarioResult, ScenarioView};
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use hkb_engine::Response as R;
use hkb_engine::calc::{
    CalcResult, DateCalc, ProfitsOutcome, PropertyTaxOutcome, RatesCalc, RatesOutcome,
    StampDutyOutcome, StockDutyOutcome, YearCalc,
};
use hkb_engine::costing::{CostRequest, CostingResult};
use hkb_engine::package::{CompareRequest, Comparison, PackageRequest, PackageResult};
use hkb_engine::params::{ParamDetail, ParamList};
use hkb_engine::project::{ProjectRequest, Projection};
use hkb_engine::proposals::{ProposalDetail, ProposalList, ScorecardResult};
use hkb_engine::society::{SocietyRequest, SocietyResult};
use hkb_rules::input::{Business, Deal, LetProperty, Situation, StockDeal};
use hkb_rules::salaries::HouseholdResult;
use schemars::generate::{Contract, SchemaSettings};
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};

type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

fn s<T: JsonSchema>(g: &mut SchemaGenerator) -> Schema {
    g.subschema_for::<T>()
}

/// A query, path or header parameter.
pub struct Param {
    pub name: &'static str,
    pub location: &'static str,
    pub required: bool,
    pub schema: fn() -> Value,
    pub description: &'static str,
}

/// One operation of the API.
pub struct Operation {
    pub method: &'static str,
    pub path: &'static str,
    pub id: &'static str,
    pub tag: &'static str,
    pub summary: &'static str,
    pub request: Option<SchemaFn>,
    pub response: Option<SchemaFn>,
    /// The success status.
    pub ok: u16,
    pub params: &'static [Param],
    /// A request example (JSON text).
    pub example: Option<&'static str>,
    /// Runs on the blocking pool: may answer 429 (busy) and 503 (timeout).
    pub heavy: bool,
    /// Writes to the store: may need the bearer token.
    pub write: bool,
    /// A pure function of its request: `ETag`, and 304 on `If-None-Match`.
    pub etag: bool,
    /// A download: these media types instead of JSON (chosen by the `format` path segment).
    pub files: bool,
}

const fn op(method: &'static str, path: &'static str, id: &'static str) -> Operation {
    Operation {
        method,
        path,
        id,
        tag: "",
        summary: "",
        request: None,
        response: None,
        ok: 200,
        params: &[],
        example: None,
        heavy: false,
        write: false,
        etag: true,
        files: false,
    }
}

fn string() -> Value {
    json!({"type": "string"})
}
fn boolean() -> Value {
    json!({"type": "boolean"})
}
fn uint() -> Value {
    json!({"type": "integer", "minimum": 0})
}
fn year() -> Value {
    json!({"type": "string", "pattern": "^[0-9]{4}/[0-9]{2}$", "examples": ["2026/27"]})
}
fn kind() -> Value {
    json!({"type": "string", "enum": hkb_proposals::Kind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>()})
}
fn status() -> Value {
    json!({"type": "string", "enum": hkb_proposals::ResponseStatus::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>()})
}
fn quantifiable() -> Value {
    json!({"type": "string", "enum": hkb_proposals::Quantifiable::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>()})
}

const HOUSEHOLD: &str = r#"{"year": "2026/27", "married": true, "children": 2, "taxpayer": {"employment_income": 700000, "mpf_mandatory": 18000, "charitable_donations": 3000}, "vs_year": "2025/26"}"#;

fn export_format() -> Value {
    json!({"type": "string", "enum": ["csv", "xlsx"]})
}

const FORMAT: Param = Param {
    name: "format",
    location: "path",
    required: true,
    schema: export_format,
    description: "csv (UTF-8 with a byte order mark) or xlsx.",
};

const ID: Param = Param {
    name: "id",
    location: "path",
    required: true,
    schema: string,
    description: "The scenario's id, as returned when it was saved.",
};

/// Every operation, in the order of the reference page.
pub static OPERATIONS: &[Operation] = &[
    Operation {
        tag: "meta",
        summary: "Is the server up",
        response: Some(s::<Health>),
        etag: false,
        ..op("get", "/health", "health")
    },
    Operation {
        tag: "meta",
        summary: "Engine version, law fingerprint, vintages, populations, limits",
        response: Some(s::<VersionInfo>),
        ..op("get", "/version", "version")
    },
    Operation {
        tag: "law",
        summary: "Every parameter of the law, with its value in a year; filter by a search term",
        response: Some(s::<R<ParamList>>),
        params: &[
            Param {
                name: "year",
                location: "query",
                required: false,
                schema: year,
                description: "Year of assessment for the values (default: the newest).",
            },
            Param {
                name: "search",
                location: "query",
                required: false,
                schema: string,
                description: "Words to find in paths and labels (English or Chinese).",
            },
        ],
        ..op("get", "/params", "list_params")
    },
    Operation {
        tag: "law",
        summary: "One parameter with its full history, labels, references and sources",
        response: Some(s::<R<ParamDetail>>),
        params: &[Param {
            name: "path",
            location: "path",
            required: true,
            schema: string,
            description: "Its path, e.g. salaries_tax.allowances.basic.",
        }],
        ..op("get", "/params/{path}", "get_param")
    },
    Operation {
        tag: "calculators",
        summary: "Salaries tax and personal assessment: every lawful option, explained; with `reform` or `vs_year` the before, after and difference",
        request: Some(s::<YearCalc<Situation>>),
        response: Some(s::<R<CalcResult<HouseholdResult>>>),
        example: Some(HOUSEHOLD),
        ..op("post", "/calc/salaries", "calc_salaries")
    },
    Operation {
        tag: "calculators",
        summary: "Profits tax of a business",
        request: Some(s::<YearCalc<Business>>),
        response: Some(s::<R<CalcResult<ProfitsOutcome>>>),
        example: Some(
            r#"{"year": "2026/27", "assessable_profits": 3000000, "entity": "corporation", "nominated": false}"#,
        ),
        ..op("post", "/calc/profits", "calc_profits")
    },
    Operation {
        tag: "calculators",
        summary: "Property tax of a let property, with provisional tax",
        request: Some(s::<YearCalc<LetProperty>>),
        response: Some(s::<R<CalcResult<PropertyTaxOutcome>>>),
        example: Some(
            r#"{"year": "2026/27", "rental_income": 160000, "rates_paid_by_owner": 4000, "months_let": 8}"#,
        ),
        ..op("post", "/calc/property-tax", "calc_property_tax")
    },
    Operation {
        tag: "calculators",
        summary: "Stamp duty on a property instrument (ad valorem, buyer's, special); with `vs_date` against another date",
        request: Some(s::<DateCalc<Deal>>),
        response: Some(s::<R<CalcResult<StampDutyOutcome>>>),
        example: Some(
            r#"{"instrument_date": "2026-03-01", "consideration": 120000000, "property": "residential", "buyers": [{"kind": "hkpr", "owns_other_residential": true}]}"#,
        ),
        ..op("post", "/calc/stamp-duty", "calc_stamp_duty")
    },
    Operation {
        tag: "calculators",
        summary: "Stamp duty on a stock transaction",
        request: Some(s::<DateCalc<StockDeal>>),
        response: Some(s::<R<CalcResult<StockDutyOutcome>>>),
        example: Some(r#"{"date": "2026-03-01", "consideration": 1000000}"#),
        ..op("post", "/calc/stock-duty", "calc_stock_duty")
    },
    Operation {
        tag: "calculators",
        summary: "Rates for a financial year, with the year's concession",
        request: Some(s::<RatesCalc>),
        response: Some(s::<R<CalcResult<RatesOutcome>>>),
        example: Some(r#"{"year": "2026-27", "rateable_value": 1000000, "domestic": true}"#),
        ..op("post", "/calc/rates", "calc_rates")
    },
    Operation {
        tag: "society",
        summary: "Society-wide: revenue by tax under the law of a year, or a reform's effect with behaviour, deciles, winners and losers",
        request: Some(s::<SocietyRequest>),
        response: Some(s::<R<SocietyResult>>),
        heavy: true,
        example: Some(
            r#"{"year": "2025/26", "reform": {"changes": {"salaries_tax.allowances.basic": {"2025/26": 145000}}}}"#,
        ),
        ..op("post", "/society", "society")
    },
    Operation {
        tag: "proposals",
        summary: "The Chamber's proposals, filtered",
        response: Some(s::<R<ProposalList>>),
        params: &[
            Param {
                name: "section",
                location: "query",
                required: false,
                schema: string,
                description: "Section number, 1 to 8.",
            },
            Param {
                name: "kind",
                location: "query",
                required: false,
                schema: kind,
                description: "Kind of proposal.",
            },
            Param {
                name: "status",
                location: "query",
                required: false,
                schema: status,
                description: "Government response (as first catalogued).",
            },
            Param {
                name: "quantifiable",
                location: "query",
                required: false,
                schema: quantifiable,
                description: "Whether it can be costed.",
            },
            Param {
                name: "leaves_only",
                location: "query",
                required: false,
                schema: boolean,
                description: "Leave out headings.",
            },
        ],
        ..op("get", "/proposals", "list_proposals")
    },
    Operation {
        tag: "proposals",
        summary: "One proposal with its response Budget by Budget and its costing model",
        response: Some(s::<R<ProposalDetail>>),
        params: &[Param {
            name: "id",
            location: "path",
            required: true,
            schema: string,
            description: "Its id, e.g. 2.1(4).",
        }],
        ..op("get", "/proposals/{id}", "get_proposal")
    },
    Operation {
        tag: "proposals",
        summary: "Counts by section, kind, quantifiability and response, and every response's history",
        response: Some(s::<R<ScorecardResult>>),
        ..op("get", "/scorecard", "scorecard")
    },
    Operation {
        tag: "proposals",
        summary: "Cost one proposal at every setting, with parameter overrides",
        request: Some(s::<CostRequest>),
        response: Some(s::<R<CostingResult>>),
        heavy: true,
        example: Some(r#"{"id": "2.1(4)", "set": {"take_up": 0.5}}"#),
        ..op("post", "/proposals/cost", "cost_proposal")
    },
    Operation {
        tag: "packages",
        summary: "Run a package: each item's contribution to the balance by year, the totals, the accounts, optionally the risk",
        request: Some(s::<PackageRequest>),
        response: Some(s::<R<PackageResult>>),
        heavy: true,
        example: Some(
            r#"{"package": {"proposals": [{"id": "2.1(4)"}], "lines": [{"name": "SME rent subsidy", "kind": "expenditure", "amount": 3, "start": "2026-27", "end": "2028-29"}]}}"#,
        ),
        ..op("post", "/packages/run", "run_package")
    },
    Operation {
        tag: "packages",
        summary: "Packages side by side on one baseline",
        request: Some(s::<CompareRequest>),
        response: Some(s::<R<Comparison>>),
        heavy: true,
        example: Some(
            r#"{"packages": [{"proposals": [{"id": "2.1(4)"}]}, {"proposals": [{"id": "3.2(1)"}]}]}"#,
        ),
        ..op("post", "/packages/compare", "compare_packages")
    },
    Operation {
        tag: "fiscal",
        summary: "The fiscal projection of a vintage, with a package and Monte Carlo risk",
        request: Some(s::<ProjectRequest>),
        response: Some(s::<R<Projection>>),
        heavy: true,
        example: Some(r#"{"monte_carlo": {"paths": 1000, "seed": 20240228}}"#),
        ..op("post", "/project", "project")
    },
    Operation {
        tag: "scenarios",
        summary: "Saved scenarios, newest first",
        response: Some(s::<ScenarioList>),
        etag: false,
        params: &[
            Param {
                name: "limit",
                location: "query",
                required: false,
                schema: uint,
                description: "At most this many (default 50, at most 500).",
            },
            Param {
                name: "offset",
                location: "query",
                required: false,
                schema: uint,
                description: "Skip this many.",
            },
        ],
        ..op("get", "/scenarios", "list_scenarios")
    },
    Operation {
        tag: "scenarios",
        summary: "Save a household, reform or package (checked by the engine first); 201 when new, 200 when the same content was saved before",
        request: Some(s::<SaveScenario>),
        response: Some(s::<ScenarioView>),
        ok: 201,
        write: true,
        etag: false,
        example: Some(
            r#"{"name": "Our family in 2026/27", "kind": "household", "body": {"year": "2026/27", "married": true, "children": 2, "taxpayer": {"employment_income": 700000, "mpf_mandatory": 18000}}}"#,
        ),
        ..op("post", "/scenarios", "save_scenario")
    },
    Operation {
        tag: "scenarios",
        summary: "A saved scenario, its body exactly as saved; the ETag is its version",
        response: Some(s::<ScenarioView>),
        params: &[ID],
        etag: false,
        ..op("get", "/scenarios/{id}", "get_scenario")
    },
    Operation {
        tag: "scenarios",
        summary: "Replace a scenario; If-Match must name its current version",
        request: Some(s::<SaveScenario>),
        response: Some(s::<ScenarioView>),
        write: true,
        etag: false,
        params: &[
            ID,
            Param {
                name: "If-Match",
                location: "header",
                required: true,
                schema: string,
                description: "The version being replaced, as its ETag (\"2\").",
            },
        ],
        ..op("put", "/scenarios/{id}", "update_scenario")
    },
    Operation {
        tag: "scenarios",
        summary: "Delete a scenario (If-Match optional)",
        response: None,
        ok: 204,
        write: true,
        etag: false,
        params: &[
            ID,
            Param {
                name: "If-Match",
                location: "header",
                required: false,
                schema: string,
                description: "Delete only if still at this version.",
            },
        ],
        ..op("delete", "/scenarios/{id}", "delete_scenario")
    },
    Operation {
        tag: "scenarios",
        summary: "A scenario's result, recomputed under the law in use now",
        response: Some(s::<ScenarioResult>),
        heavy: true,
        params: &[
            ID,
            Param {
                name: "year",
                location: "query",
                required: false,
                schema: year,
                description: "For a reform: the population year (default: the newest).",
            },
        ],
        ..op("get", "/scenarios/{id}/result", "scenario_result")
    },
    Operation {
        tag: "calculators",
        summary: "Salaries tax as the taxpayer's employment income varies: tax, average and marginal rate at each income",
        request: Some(s::<hkb_engine::calc::SweepRequest>),
        response: Some(s::<R<hkb_engine::calc::Sweep>>),
        example: Some(
            r#"{"request": {"year": "2026/27", "married": true, "children": 2, "taxpayer": {"employment_income": 700000, "mpf_mandatory": 18000}}, "from": 0, "to": 1500000, "steps": 31}"#,
        ),
        ..op("post", "/calc/salaries/sweep", "calc_salaries_sweep")
    },
    Operation {
        tag: "packages",
        summary: "The packages that ship with hkbudget (the 2026-27 Budget's measures, the Chamber's proposals)",
        response: Some(s::<R<hkb_engine::package::ShippedPackages>>),
        ..op("get", "/packages", "shipped_packages")
    },
    Operation {
        tag: "society",
        summary: "The society-wide model against published figures, every year and target (how far to trust each number)",
        response: Some(s::<R<hkb_engine::society::ValidationResult>>),
        heavy: true,
        ..op("get", "/validation", "validation")
    },
    Operation {
        tag: "exports",
        summary: "A household's computation as CSV or XLSX",
        request: Some(s::<YearCalc<Situation>>),
        files: true,
        etag: false,
        params: &[FORMAT],
        example: Some(HOUSEHOLD),
        ..op("post", "/export/salaries/{format}", "export_salaries")
    },
    Operation {
        tag: "exports",
        summary: "A society-wide run as CSV or XLSX",
        request: Some(s::<SocietyRequest>),
        files: true,
        etag: false,
        heavy: true,
        params: &[FORMAT],
        ..op("post", "/export/society/{format}", "export_society")
    },
    Operation {
        tag: "exports",
        summary: "A package's contributions as CSV, or a workbook with every costing parameter and its source",
        request: Some(s::<PackageRequest>),
        files: true,
        etag: false,
        heavy: true,
        params: &[FORMAT],
        ..op("post", "/export/package/{format}", "export_package")
    },
    Operation {
        tag: "exports",
        summary: "A projection as CSV or XLSX",
        request: Some(s::<ProjectRequest>),
        files: true,
        etag: false,
        heavy: true,
        params: &[FORMAT],
        ..op("post", "/export/project/{format}", "export_project")
    },
    Operation {
        tag: "meta",
        summary: "Whether a population is being built, and its current step (for a progress bar)",
        response: Some(s::<ProgressInfo>),
        etag: false,
        ..op("get", "/progress", "progress")
    },
];

fn rewrite_refs(v: &mut Value, rename: &BTreeMap<String, String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get_mut("$ref")
                && let Some(name) = r.strip_prefix("#/components/schemas/")
                && let Some(new) = rename.get(name)
            {
                *r = format!("#/components/schemas/{new}");
            }
            for x in m.values_mut() {
                rewrite_refs(x, rename);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| rewrite_refs(x, rename)),
        _ => {}
    }
}

fn refs_in(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref")
                && let Some(name) = r.strip_prefix("#/components/schemas/")
            {
                out.insert(name.to_string());
            }
            m.values().for_each(|x| refs_in(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| refs_in(x, out)),
        _ => {}
    }
}

fn generator(contract: Contract) -> SchemaGenerator {
    SchemaSettings::draft2020_12()
        .with(|s| {
            s.definitions_path = "/components/schemas".into();
            s.contract = contract;
            s.meta_schema = None;
        })
        .into_generator()
}

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}
    })
}

fn build() -> Value {
    // Requests are read (the deserialize contract), responses written (the serialize
    // contract); a type whose two schemas differ gets a second component, `NameOut`.
    let mut input = generator(Contract::Deserialize);
    let mut output = generator(Contract::Serialize);
    let mut requests = BTreeMap::new();
    let mut responses = BTreeMap::new();
    for o in OPERATIONS {
        if let Some(f) = o.request {
            requests.insert(o.id, f(&mut input).to_value());
        }
        if let Some(f) = o.response {
            responses.insert(o.id, f(&mut output).to_value());
        }
    }
    let error = output.subschema_for::<ApiError>().to_value();
    let defs_in = input.take_definitions(true);
    let mut defs_out = output.take_definitions(true);
    // Shared: identical in both and referring only to shared definitions (a fixpoint).
    let mut shared: BTreeSet<String> = defs_out
        .iter()
        .filter(|(k, v)| defs_in.get(*k) == Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    loop {
        let before = shared.len();
        let drop: Vec<String> = shared
            .iter()
            .filter(|k| {
                let mut r = BTreeSet::new();
                if let Some(v) = defs_out.get(*k) {
                    refs_in(v, &mut r);
                }
                r.iter()
                    .any(|x| !shared.contains(x) && defs_out.contains_key(x))
            })
            .cloned()
            .collect();
        for k in drop {
            shared.remove(&k);
        }
        if shared.len() == before {
            break;
        }
    }
    let rename: BTreeMap<String, String> = defs_out
        .keys()
        .filter(|k| !shared.contains(*k) && defs_in.contains_key(*k))
        .map(|k| (k.clone(), format!("{k}Out")))
        .collect();
    let mut components = Map::new();
    for (k, v) in defs_in {
        components.insert(k, v);
    }
    for (k, mut v) in std::mem::take(&mut defs_out) {
        rewrite_refs(&mut v, &rename);
        let name = rename.get(&k).cloned().unwrap_or(k);
        components.insert(name, v);
    }
    let mut paths: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    for o in OPERATIONS {
        let mut operation = Map::new();
        operation.insert("operationId".into(), json!(o.id));
        operation.insert("tags".into(), json!([o.tag]));
        operation.insert("summary".into(), json!(o.summary));
        let params: Vec<Value> = o
            .params
            .iter()
            .map(|p| {
                json!({"name": p.name, "in": p.location, "required": p.required,
                       "description": p.description, "schema": (p.schema)()})
            })
            .collect();
        if !params.is_empty() {
            operation.insert("parameters".into(), Value::Array(params));
        }
        if let Some(schema) = requests.get(o.id) {
            let mut media = json!({"schema": schema});
            if let Some(ex) = o.example
                && let Ok(v) = serde_json::from_str::<Value>(ex)
            {
                media["example"] = v;
            }
            operation.insert(
                "requestBody".into(),
                json!({"required": true, "content": {"application/json": media}}),
            );
        }
        let mut rs = Map::new();
        let ok_desc = match o.ok {
            201 => "Saved (durable when this is returned)",
            204 => "Deleted",
            _ => "OK",
        };
        let mut ok = json!({"description": ok_desc});
        if let Some(schema) = responses.get(o.id) {
            let mut r = schema.clone();
            rewrite_refs(&mut r, &rename);
            ok["content"] = json!({"application/json": {"schema": r}});
        }
        if o.files {
            ok["content"] = json!({
                "text/csv": {"schema": {"type": "string"}},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "contentMediaType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}}
            });
        }
        if o.etag {
            ok["headers"] = json!({"ETag": {"description": "The response's validator; send it back in If-None-Match", "schema": {"type": "string"}}});
        }
        rs.insert(o.ok.to_string(), ok.clone());
        if o.id == "save_scenario" {
            let mut same = ok.clone();
            same["description"] = json!("The same content was saved before: that scenario");
            rs.insert("200".into(), same);
        }
        if o.etag {
            rs.insert(
                "304".into(),
                json!({"description": "Not modified: the If-None-Match validator is current"}),
            );
        }
        rs.insert(
            "400".into(),
            error_response("Malformed request (syntax, type, unknown or missing field)"),
        );
        rs.insert(
            "404".into(),
            error_response(
                "A year, vintage, parameter, proposal, scenario or route that does not exist",
            ),
        );
        rs.insert("405".into(), error_response("Method not allowed"));
        if o.request.is_some() {
            rs.insert(
                "413".into(),
                error_response("Too large (body over 1 MiB, or past an engine limit)"),
            );
        }
        rs.insert("422".into(), error_response("A value that is not allowed"));
        if o.heavy {
            rs.insert(
                "429".into(),
                error_response("Every worker is busy; retry after Retry-After seconds"),
            );
            rs.insert(
                "503".into(),
                error_response("Took longer than the server allows"),
            );
            rs.insert(
                "413".into(),
                error_response("Past an engine limit (persons, paths, items)"),
            );
        }
        if o.write {
            rs.insert(
                "401".into(),
                error_response("This server needs Authorization: Bearer <token> for writes"),
            );
            rs.insert(
                "503".into(),
                error_response(
                    "The scenario store failed or is read-only on this server; nothing was saved",
                ),
            );
            rs.insert(
                "507".into(),
                error_response("The scenario store's disk is full; nothing was saved"),
            );
        }
        if o.method == "put" {
            rs.insert(
                "412".into(),
                error_response("The If-Match version is not the current one"),
            );
            rs.insert("428".into(), error_response("If-Match is required"));
        }
        if o.method == "delete" {
            rs.insert(
                "412".into(),
                error_response("The If-Match version is not the current one"),
            );
        }
        operation.insert("responses".into(), Value::Object(rs));
        if o.write {
            operation.insert("security".into(), json!([{}, {"bearer": []}]));
        }
        paths
            .entry(o.path.to_string())
            .or_default()
            .insert(o.method.to_string(), Value::Object(operation));
    }
    // The error schema: schemars stores it as a component named ApiError (or ApiErrorOut when
    // the two contracts differ); error responses refer to `ApiError`.
    let error_name = error
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
        .map(|n| rename.get(n).cloned().unwrap_or_else(|| n.to_string()));
    match error_name {
        Some(n) if n == "ApiError" => {}
        Some(n) => {
            components.insert(
                "ApiError".into(),
                json!({"$ref": format!("#/components/schemas/{n}")}),
            );
        }
        None => {
            components.insert("ApiError".into(), error);
        }
    }
    json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "hkbudget API · 香港財政政策實驗室 API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Hong Kong's tax law as data with exact calculators, the society-wide microsimulation, the fiscal projection with Monte Carlo risk, the Chamber's proposals costed, and saved scenarios. Every label comes in English (en) and Traditional Chinese (zh). Errors are {code, field, message: {en, zh}, allowed}; `field` is a JSON pointer into the request.",
            "license": {"name": "MIT OR Apache-2.0", "identifier": "MIT OR Apache-2.0"}
        },
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "Needed for writes when the server was started with a token"}}
        }
    })
}

/// The document (built once).
pub fn document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(build)
}

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/openapi.json", get(openapi_json))
        .route("/docs", get(docs))
        .route("/docs.css", get(docs_css))
}

async fn openapi_json(headers: axum::http::HeaderMap) -> Response {
    crate::body::pure_json(&headers, document())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const CSS: &str = include_str!("docs.css");

async fn docs_css() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/css; charset=utf-8"),
        )],
        CSS,
    )
        .into_response()
}

/// The API reference, rendered from the document.
async fn docs() -> Html<String> {
    static PAGE: OnceLock<String> = OnceLock::new();
    Html(
        PAGE.get_or_init(|| {
            let mut h = String::from(
                "<!doctype html><html lang=\"zh-Hant\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>hkbudget API 參考 · API reference</title><link rel=\"stylesheet\" href=\"/api/v1/docs.css\"></head><body><main>",
            );
            h.push_str("<h1>hkbudget API <span>參考 · reference</span></h1><p>所有端點均在 <code>/api/v1</code> 之下，以 JSON 傳送；錯誤一律為 <code>{code, field, message: {en, zh}, allowed}</code>。<br>Every endpoint is under <code>/api/v1</code>, JSON in and out; every error is <code>{code, field, message: {en, zh}, allowed}</code>. The machine-readable document: <a href=\"/api/v1/openapi.json\">openapi.json</a> (OpenAPI 3.1).</p>");
            let mut tags: Vec<&str> = Vec::new();
            for o in OPERATIONS {
                if !tags.contains(&o.tag) {
                    tags.push(o.tag);
                }
            }
            let grouped = tags
                .iter()
                .flat_map(|t| OPERATIONS.iter().filter(move |o| o.tag == *t));
            let mut tag = "";
            for o in grouped {
                if o.tag != tag {
                    tag = o.tag;
                    h.push_str(&format!("<h2>{}</h2>", escape(tag)));
                }
                h.push_str(&format!(
                    "<section id=\"{}\"><h3><span class=\"m {}\">{}</span> <code>/api/v1{}</code></h3><p>{}</p>",
                    o.id,
                    o.method,
                    o.method.to_uppercase(),
                    escape(o.path),
                    escape(o.summary)
                ));
                if !o.params.is_empty() {
                    h.push_str("<ul>");
                    for p in o.params {
                        h.push_str(&format!(
                            "<li><code>{}</code> ({}{}) {}</li>",
                            escape(p.name),
                            p.location,
                            if p.required { ", required" } else { "" },
                            escape(p.description)
                        ));
                    }
                    h.push_str("</ul>");
                }
                if let Some(ex) = o.example {
                    let pretty = serde_json::from_str::<Value>(ex)
                        .ok()
                        .and_then(|v| serde_json::to_string_pretty(&v).ok())
                        .unwrap_or_else(|| ex.to_string());
                    h.push_str(&format!(
                        "<pre>curl -s -X {} http://127.0.0.1:8080/api/v1{} \\\n  -H 'content-type: application/json' -d '{}'</pre>",
                        o.method.to_uppercase(),
                        escape(o.path),
                        escape(&pretty)
                    ));
                }
                let mut notes = Vec::new();
                if o.heavy {
                    notes.push("society-wide: 429 with Retry-After when every worker is busy");
                }
                if o.etag {
                    notes.push("ETag; 304 on If-None-Match");
                }
                if o.write {
                    notes.push("a write: Authorization: Bearer when the server has a token");
                }
                if !notes.is_empty() {
                    h.push_str(&format!("<p class=\"n\">{}</p>", escape(&notes.join(" · "))));
                }
                h.push_str("</section>");
            }
            h.push_str("</main></body></html>");
            h
        })
        .clone(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_is_documented_with_its_schemas() {
        let d = document();
        for o in OPERATIONS {
            let x = &d["paths"][o.path][o.method];
            assert_eq!(x["operationId"], o.id, "{} {}", o.method, o.path);
            if o.request.is_some() {
                assert!(x["requestBody"]["content"]["application/json"]["schema"].is_object());
            }
        }
        // Every reference resolves.
        let mut r = BTreeSet::new();
        refs_in(d, &mut r);
        let schemas = d["components"]["schemas"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        for name in r {
            assert!(schemas.contains_key(&name), "dangling $ref {name}");
        }
        // No component is only a reference to itself.
        for (name, schema) in &schemas {
            assert_ne!(
                schema.get("$ref").and_then(Value::as_str),
                Some(format!("#/components/schemas/{name}").as_str()),
                "{name} refers to itself"
            );
        }
        // Examples parse as the request type they illustrate.
        for o in OPERATIONS {
            if let Some(ex) = o.example {
                assert!(serde_json::from_str::<Value>(ex).is_ok(), "{}", o.id);
            }
        }
    }
}
