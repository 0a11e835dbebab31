//! # hkb-py — the engine in Python
//!
//! `hkbudget._native`: one `Lab` (the engine's, loaded once) whose `call(op, request)` takes a
//! request as Python data, runs the engine's operation and returns its response as Python data.
//! Requests and responses are the engine's own types (the same as the command line's files and
//! the API's bodies), so Python, the CLI and the API give the same numbers. Society-wide work
//! releases the GIL. The pure-Python package `hkbudget` (python/hkbudget) gives it Python names,
//! pandas tables and sweeps. No arithmetic here.

use hkb_engine::{EngineError, Lab as EngineLab, LabOptions, Limits, quiet};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyAny;
use rayon::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_json::value::RawValue;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

mod tables;

create_exception!(_native, NativeError, PyException);

/// The engine's error as a Python exception: args (code, field, message_en, message_zh, allowed).
fn err(e: EngineError) -> PyErr {
    let code = serde_json::to_value(e.code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "internal".into());
    NativeError::new_err((
        code,
        e.field,
        e.message.en.to_string(),
        e.message.zh.to_string(),
        e.allowed,
    ))
}

fn request<T: DeserializeOwned>(req: &Bound<'_, PyAny>) -> PyResult<T> {
    let v: Value = pythonize::depythonize(req).map_err(|e| {
        err(EngineError::new(
            hkb_engine::ErrorCode::Malformed,
            "",
            format!("the request is not JSON-like data: {e}"),
            format!("請求並非 JSON 類資料：{e}"),
        ))
    })?;
    hkb_engine::input::from_value(v).map_err(err)
}

/// A response as a `Doc`: the engine's response written as JSON once (as the CLI and the API
/// write it), its top-level fields kept as raw JSON text and turned into Python objects only
/// when read. A household's explained result is ~21 KB of trace, parameters and notes; most
/// callers read a few numbers.
fn reply<T: Serialize>(py: Python<'_>, v: &T) -> PyResult<Py<PyAny>> {
    let internal = |e: serde_json::Error| err(EngineError::internal(format!("response: {e}")));
    let json = serde_json::to_string(v).map_err(internal)?;
    let fields: BTreeMap<String, Box<RawValue>> = serde_json::from_str(&json).map_err(internal)?;
    Ok(Py::new(py, Doc { json, fields })?.into_any())
}

/// An engine response (a JSON object): `raw(key)` is one field's JSON text, `json()` the whole.
#[pyclass(frozen, module = "hkbudget._native")]
struct Doc {
    json: String,
    fields: BTreeMap<String, Box<RawValue>>,
}

#[pymethods]
impl Doc {
    /// One top-level field's JSON text (KeyError when the response has no such field).
    fn raw(&self, key: &str) -> PyResult<&str> {
        match self.fields.get(key) {
            Some(v) => Ok(v.get()),
            None => Err(pyo3::exceptions::PyKeyError::new_err(key.to_string())),
        }
    }

    fn __contains__(&self, key: &str) -> bool {
        self.fields.contains_key(key)
    }

    fn __len__(&self) -> usize {
        self.fields.len()
    }

    fn keys(&self) -> Vec<String> {
        self.fields.keys().cloned().collect()
    }

    /// The whole response's JSON text.
    fn json(&self) -> &str {
        &self.json
    }
}

/// The loaded world: the law, the catalogue and costings, the fiscal data, the populations.
#[pyclass(frozen, module = "hkbudget._native")]
struct Lab {
    inner: Arc<EngineLab>,
}

#[pymethods]
impl Lab {
    #[new]
    #[pyo3(signature = (params_dir=None, cache_dir=None))]
    fn new(
        py: Python<'_>,
        params_dir: Option<PathBuf>,
        cache_dir: Option<PathBuf>,
    ) -> PyResult<Lab> {
        py.detach(|| {
            let law = match params_dir {
                Some(d) => Some(hkb_law::Law::from_dir(&d).map_err(EngineError::from)?),
                None => None,
            };
            let lab = EngineLab::new(LabOptions {
                law,
                cache_dir,
                limits: Limits::default(),
            })?;
            Ok::<_, EngineError>(Lab {
                inner: Arc::new(lab),
            })
        })
        .map_err(err)
    }

    /// SHA-256 of the parameter tree in use.
    fn law_fingerprint(&self) -> String {
        self.inner.law_fingerprint().to_string()
    }

    /// The Medium Range Forecast vintages, oldest first.
    fn vintages(&self) -> Vec<String> {
        self.inner.vintages().to_vec()
    }

    /// Runs an engine operation on a request (Python data shaped as the engine's request) and
    /// returns its response as Python data.
    fn call(&self, py: Python<'_>, op: &str, req: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let lab = self.inner.clone();
        macro_rules! light {
            ($t:ty, $f:ident) => {{
                let r: $t = request(req)?;
                let out = lab.$f(&r).map_err(err)?;
                reply(py, &out)
            }};
        }
        macro_rules! heavy {
            ($t:ty, $f:ident) => {{
                let r: $t = request(req)?;
                let out = py.detach(|| lab.$f(&r, &quiet)).map_err(err)?;
                reply(py, &out)
            }};
        }
        use hkb_engine::calc::{DateCalc, RatesCalc, SweepRequest, YearCalc};
        use hkb_rules::input::{Business, Deal, LetProperty, Situation, StockDeal};
        match op {
            "salaries" => light!(YearCalc<Situation>, salaries),
            "salaries_sweep" => light!(SweepRequest, salaries_sweep),
            "profits" => light!(YearCalc<Business>, profits),
            "property_tax" => light!(YearCalc<LetProperty>, property_tax),
            "stamp_duty" => light!(DateCalc<Deal>, stamp_duty),
            "stock_duty" => light!(DateCalc<StockDeal>, stock_duty),
            "rates" => light!(RatesCalc, rates),
            "society" => heavy!(hkb_engine::society::SocietyRequest, society),
            "cost" => heavy!(hkb_engine::costing::CostRequest, cost),
            "package" => heavy!(hkb_engine::package::PackageRequest, run_package),
            "compare" => heavy!(hkb_engine::package::CompareRequest, compare_packages),
            "project" => heavy!(hkb_engine::project::ProjectRequest, project),
            "reform" => {
                // Checks a reform against the law; returns it as given.
                let r: hkb_law::ReformSpec = request(req)?;
                lab.reform(Some(&r)).map_err(err)?;
                reply(py, &r)
            }
            "proposal" => {
                let id: String = req.extract()?;
                reply(py, &lab.proposal(&id).map_err(err)?)
            }
            "proposals" => {
                let f: hkb_proposals::Filter = request(req)?;
                reply(py, &lab.proposals(&f).map_err(err)?)
            }
            "param" => {
                let path: String = req.extract()?;
                reply(py, &lab.param(&path).map_err(err)?)
            }
            other => Err(err(EngineError::not_found(
                "/op",
                format!("unknown operation '{other}'"),
                format!("不明的運算「{other}」"),
            ))),
        }
    }

    /// A society-wide run with its tables: (the response, {"revenue", "deciles",
    /// "winners_losers": Arrow IPC stream bytes}).
    fn society(&self, py: Python<'_>, req: &Bound<'_, PyAny>) -> PyResult<(Py<PyAny>, Py<PyAny>)> {
        let r: hkb_engine::society::SocietyRequest = request(req)?;
        let lab = self.inner.clone();
        let out = py.detach(|| lab.society(&r, &quiet)).map_err(err)?;
        with_tables(py, &out)
    }

    /// Many society-wide requests at once, in parallel (rayon), the GIL released; the results
    /// (each as `society` gives it) in the order given.
    fn society_many(
        &self,
        py: Python<'_>,
        reqs: Vec<Bound<'_, PyAny>>,
    ) -> PyResult<Vec<(Py<PyAny>, Py<PyAny>)>> {
        let parsed: Vec<hkb_engine::society::SocietyRequest> =
            reqs.iter().map(|r| request(r)).collect::<PyResult<_>>()?;
        let lab = self.inner.clone();
        // Load each population once before the parallel runs (they share it).
        for r in &parsed {
            py.detach(|| lab.population(r.population, false, &quiet))
                .map_err(err)?;
        }
        let out = py.detach(|| {
            parsed
                .par_iter()
                .map(|r| lab.society(r, &quiet))
                .collect::<Result<Vec<_>, _>>()
        });
        out.map_err(err)?
            .iter()
            .map(|r| with_tables(py, r))
            .collect()
    }

    /// The file of a population in the cache folder (built and saved first when missing): what
    /// a Ray driver puts in the object store once for its workers.
    #[pyo3(signature = (persons=1_000_000, businesses=200_000, seed=20240228))]
    fn population_file(
        &self,
        py: Python<'_>,
        persons: usize,
        businesses: usize,
        seed: u64,
    ) -> PyResult<String> {
        let spec = hkb_microsim::model::BuildSpec {
            persons,
            businesses,
            seed,
        };
        let lab = self.inner.clone();
        py.detach(|| lab.population(spec, false, &quiet))
            .map_err(err)?;
        let dir = self.inner.cache_dir().ok_or_else(|| {
            err(EngineError::invalid(
                "/cache_dir",
                "this Lab has no cache folder: create it with Lab(cache_dir=...)",
                "此 Lab 沒有快取資料夾：請以 Lab(cache_dir=...) 建立",
            ))
        })?;
        Ok(dir
            .join(hkb_microsim::store::file_name(&spec))
            .display()
            .to_string())
    }

    /// The population file name for a spec (inside any cache folder).
    #[staticmethod]
    #[pyo3(signature = (persons=1_000_000, businesses=200_000, seed=20240228))]
    fn population_file_name(persons: usize, businesses: usize, seed: u64) -> String {
        hkb_microsim::store::file_name(&hkb_microsim::model::BuildSpec {
            persons,
            businesses,
            seed,
        })
    }
}

fn with_tables(
    py: Python<'_>,
    out: &hkb_engine::Response<hkb_engine::society::SocietyResult>,
) -> PyResult<(Py<PyAny>, Py<PyAny>)> {
    let dict = pyo3::types::PyDict::new(py);
    let arrow =
        |e: arrow_schema::ArrowError| err(EngineError::internal(format!("arrow table: {e}")));
    let run = &out.body.run;
    dict.set_item(
        "revenue",
        pyo3::types::PyBytes::new(py, &tables::revenue(run).map_err(arrow)?),
    )?;
    dict.set_item(
        "deciles",
        pyo3::types::PyBytes::new(py, &tables::deciles(run).map_err(arrow)?),
    )?;
    dict.set_item(
        "winners_losers",
        pyo3::types::PyBytes::new(py, &tables::winners_losers(run).map_err(arrow)?),
    )?;
    Ok((reply(py, out)?, dict.into_any().unbind()))
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Lab>()?;
    m.add_class::<Doc>()?;
    m.add("NativeError", m.py().get_type::<NativeError>())?;
    m.add("SCHEMA_VERSION", hkb_engine::SCHEMA_VERSION)?;
    m.add("VERSION", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
