//! Timings of the engine's hot paths on this machine: a population build, the salaries pass
//! (baseline alone, and baseline + reform + deciles in one pass) and a Monte Carlo.

use crate::error::EngineError;
use crate::lab::Lab;
use hkb_fiscal::montecarlo::{self, McOptions};
use hkb_law::{Reform, YearOfAssessment, YearParams};
use hkb_microsim::Model;
use hkb_microsim::model::{BuildSpec, year_index};
use hkb_microsim::salaries::YearView;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::time::Instant;

/// The reference reform of `shared/reference/bench` (the side-by-side benchmark against
/// openfisca-core and numpy): basic allowance 132,000 → 142,000 and top rate 17% → 19%, 2024/25.
pub const BENCH_REFORM: &str = include_str!("../../../reforms/bench-reference.yaml");

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct BenchResult {
    pub persons: usize,
    pub threads: usize,
    pub build_ms: f64,
    pub baseline_ms: f64,
    pub reform_ms: f64,
    pub reform_ms_min: f64,
    pub reform_includes: String,
    /// The same pass also summing by household decile, then the pass over couples (the
    /// households and their year are built before timing): median and best, ms.
    pub reform_with_household_deciles_ms: f64,
    pub reform_with_household_deciles_ms_min: f64,
    pub baseline_revenue_hkd_bn: f64,
    pub reform_revenue_hkd_bn: f64,
    pub decile_rows: usize,
    pub year: YearOfAssessment,
    pub reform: String,
    /// The whole society-wide reform run of `hkbudget reform` and `POST /society` (every tax
    /// head, deciles, bands, behaviour), on the population already in memory: median, ms.
    pub society_reform_ms: f64,
    pub monte_carlo_10000_paths_ms: f64,
    pub monte_carlo_years: usize,
    pub repeat: usize,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

impl Lab {
    /// Builds a population of `persons` earners (always fresh: the build is timed) and times the
    /// hot paths, each repeated `repeat` times (medians reported). `threads` is the pool the
    /// caller runs it in.
    pub fn bench(
        &self,
        persons: usize,
        repeat: usize,
        threads: usize,
    ) -> Result<BenchResult, EngineError> {
        if repeat == 0 || repeat > 1000 {
            return Err(EngineError::invalid(
                "/repeat",
                "give 1 to 1,000 repetitions",
                "重複次數須為1至1,000",
            ));
        }
        let spec = BuildSpec {
            persons,
            businesses: 1000,
            seed: BuildSpec::default().seed,
        };
        self.check_spec(&spec)?;
        let t = Instant::now();
        let model = Model::build(self.law(), spec, &|_, _, _| {})?;
        let build_ms = t.elapsed().as_secs_f64() * 1000.0;
        let reform = Reform::parse(self.law(), "reforms/bench-reference.yaml", BENCH_REFORM)?;
        let y = YearOfAssessment(2024);
        let base = YearParams::resolve(self.law(), y, None)?;
        let reformed = YearParams::resolve(self.law(), y, Some(&reform))?;
        let yw = &model.years[year_index(y)?];
        let factor = model.factor(y)?;
        let (mut base_ms, mut reform_ms, mut household_ms) = (Vec::new(), Vec::new(), Vec::new());
        let households = model.households();
        let household_year = model.household_year(year_index(y)?)?;
        let mut out = (0.0, 0.0, 0);
        for _ in 0..repeat {
            let t = Instant::now();
            let view = YearView::with_index(&model.earners, factor, &yw.earners, yw.decile_index);
            let b = hkb_microsim::salaries::run(&view, &base.salaries, None, None);
            base_ms.push(t.elapsed().as_secs_f64() * 1000.0);
            let t = Instant::now();
            let view = YearView::with_index(&model.earners, factor, &yw.earners, yw.decile_index);
            let r =
                hkb_microsim::salaries::run(&view, &base.salaries, Some(&reformed.salaries), None);
            reform_ms.push(t.elapsed().as_secs_f64() * 1000.0);
            out = (b.baseline, r.reform, r.deciles.len());
            let t = Instant::now();
            let view = YearView::with_index(&model.earners, factor, &yw.earners, yw.decile_index);
            let _ = hkb_microsim::salaries::run_with_households(
                &view,
                &base.salaries,
                Some(&reformed.salaries),
                None,
                Some(hkb_microsim::salaries::ByHousehold {
                    households,
                    year: household_year,
                    scratch: &model.household_scratch,
                }),
            );
            household_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        // The society-wide reform run as `hkbudget reform` makes it, on this population once it
        // is loaded (the first call loads or builds it and is not timed).
        let society = crate::society::SocietyRequest {
            year: y,
            reform: Some(serde_yaml_ng::from_str(BENCH_REFORM).map_err(|e| {
                EngineError::internal(format!("reforms/bench-reference.yaml: {e}"))
            })?),
            population: spec,
            deciles_by: Default::default(),
        };
        self.society(&society, &crate::quiet)?;
        let mut society_ms = Vec::new();
        for _ in 0..repeat {
            let t = Instant::now();
            self.society(&society, &crate::quiet)?;
            society_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        let fb = self.baseline(Some("2025-26"))?;
        let none = hkb_fiscal::package::additions(fb, &[], &[])?;
        let mc = McOptions::new(10_000, 1, 1.0, 12.0, None, usize::MAX)?;
        let mut mc_ms = Vec::new();
        for _ in 0..repeat {
            let t = Instant::now();
            let _ = montecarlo::run(fb, &none, self.drivers(), &mc);
            mc_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        Ok(BenchResult {
            persons,
            threads,
            build_ms,
            baseline_ms: median(base_ms),
            reform_ms_min: reform_ms.iter().copied().fold(f64::INFINITY, f64::min),
            reform_ms: median(reform_ms),
            reform_with_household_deciles_ms_min: household_ms
                .iter()
                .copied()
                .fold(f64::INFINITY, f64::min),
            reform_with_household_deciles_ms: median(household_ms),
            reform_includes: "baseline and reform tax for every earner, totals, affected count, 10 income deciles and the top 1%, in one pass".into(),
            baseline_revenue_hkd_bn: out.0 / 1e9,
            reform_revenue_hkd_bn: out.1 / 1e9,
            decile_rows: out.2,
            year: y,
            reform: "basic allowance 142,000; top progressive rate 19% (the reference reform of shared/reference/bench)".into(),
            society_reform_ms: median(society_ms),
            monte_carlo_10000_paths_ms: median(mc_ms),
            monte_carlo_years: fb.accounts.years.len(),
            repeat,
        })
    }
}
