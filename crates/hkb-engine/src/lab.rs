//! The `Lab`: the loaded world, held once — the law, the Chamber's catalogue and costings, the
//! public-finance data with its Monte Carlo drivers and baselines, and the populations (built or
//! read from the cache folder once, then kept in memory).

use crate::error::EngineError;
use crate::provenance::{PopulationProvenance, Provenance};
use hkb_fiscal::data::Data;
use hkb_fiscal::montecarlo::Drivers;
use hkb_fiscal::vintage::Baseline;
use hkb_law::Law;
use hkb_microsim::Model;
use hkb_microsim::model::BuildSpec;
use hkb_microsim::store::{Obtained, PopulationCache};
use hkb_proposals::{Catalogue, Costing};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// The engine's limits, enforced by every operation so every front end enforces the same.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Limits {
    pub min_persons: usize,
    pub max_persons: usize,
    pub min_businesses: usize,
    pub max_businesses: usize,
    /// Monte Carlo paths (each holds years × 4 numbers).
    pub max_paths: usize,
    /// Packages: proposals, lines, custom costings and reforms, each.
    pub max_package_items: usize,
    /// Populations kept in memory at once (one per size and seed); past it the least recently
    /// used is dropped (and read again from the cache folder when next asked for).
    pub max_populations_in_memory: usize,
}

impl Default for Limits {
    /// The command line's limits: one user, one machine.
    fn default() -> Self {
        Limits {
            min_persons: 1_000,
            max_persons: 20_000_000,
            min_businesses: 1_000,
            max_businesses: 5_000_000,
            max_paths: 2_000_000,
            max_package_items: 200,
            max_populations_in_memory: 8,
        }
    }
}

impl Limits {
    /// A shared server's limits: many users, bounded memory per request.
    pub fn server() -> Limits {
        Limits {
            max_persons: 2_000_000,
            max_businesses: 500_000,
            max_paths: 100_000,
            max_populations_in_memory: 2,
            ..Limits::default()
        }
    }
}

/// How a lab is set up.
#[derive(Clone, Debug, Default)]
pub struct LabOptions {
    /// The law to use (default: the tree embedded in the binary).
    pub law: Option<Law>,
    /// Where population files are cached (none: build in memory on first use).
    pub cache_dir: Option<PathBuf>,
    pub limits: Limits,
}

/// What happens while a population is obtained.
#[derive(Clone, Debug)]
pub enum ProgressEvent<'a> {
    /// A step of a build: its name, and how far along (done of `of`).
    Step { step: &'a str, done: u64, of: u64 },
    /// Read from its file.
    Loaded { path: &'a Path, ms: f64 },
    /// Built (and saved, when there is a cache folder); `reason` says why a file was not used.
    Built {
        path: Option<&'a Path>,
        reason: Option<&'a str>,
        ms: f64,
        spec: BuildSpec,
    },
}

/// A progress callback (no library prints: the caller decides what to show).
pub type Progress<'a> = &'a (dyn Fn(ProgressEvent<'_>) + Sync);

/// A callback that ignores progress.
pub fn quiet(_: ProgressEvent<'_>) {}

pub struct Lab {
    law: Law,
    law_fingerprint: String,
    catalogue: Catalogue,
    costings: Vec<Costing>,
    data: Data,
    drivers: Drivers,
    baselines: Vec<Baseline>,
    cache: Option<PopulationCache>,
    /// Loaded populations with the tick of their last use.
    populations: Mutex<HashMap<BuildSpec, (Arc<Model>, u64)>>,
    tick: std::sync::atomic::AtomicU64,
    limits: Limits,
}

impl Lab {
    /// Loads everything but the populations (those load on first use).
    pub fn new(options: LabOptions) -> Result<Lab, EngineError> {
        let law = match options.law {
            Some(l) => l,
            None => Law::embedded()?,
        };
        let law_fingerprint = law.fingerprint();
        let catalogue = Catalogue::embedded()?;
        let costings = Costing::all()?;
        let data = Data::embedded()?;
        let drivers = Drivers::from_history(&data)?;
        let baselines = hkb_fiscal::vintage::vintages()?
            .iter()
            .map(|v| hkb_fiscal::vintage::baseline(&data, v))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Lab {
            law,
            law_fingerprint,
            catalogue,
            costings,
            data,
            drivers,
            baselines,
            cache: options.cache_dir.map(PopulationCache::new),
            populations: Mutex::new(HashMap::new()),
            tick: std::sync::atomic::AtomicU64::new(0),
            limits: options.limits,
        })
    }

    pub fn law(&self) -> &Law {
        &self.law
    }
    pub fn law_fingerprint(&self) -> &str {
        &self.law_fingerprint
    }
    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }
    pub fn costings(&self) -> &[Costing] {
        &self.costings
    }
    pub fn data(&self) -> &Data {
        &self.data
    }
    pub fn drivers(&self) -> &Drivers {
        &self.drivers
    }
    pub fn limits(&self) -> &Limits {
        &self.limits
    }
    pub fn cache_dir(&self) -> Option<&Path> {
        self.cache.as_ref().map(PopulationCache::dir)
    }

    /// The vintages (Medium Range Forecasts) available, oldest first.
    pub fn vintages(&self) -> Vec<String> {
        self.baselines.iter().map(|b| b.vintage.clone()).collect()
    }
    /// The default vintage of every operation: the newest.
    pub fn default_vintage(&self) -> &str {
        self.baselines.last().map_or("", |b| b.vintage.as_str())
    }
    /// The baseline of a vintage (the newest if none is named).
    pub fn baseline(&self, vintage: Option<&str>) -> Result<&Baseline, EngineError> {
        let v = vintage.unwrap_or(self.default_vintage());
        self.baselines
            .iter()
            .find(|b| b.vintage == v)
            .ok_or_else(|| {
                let all = self.vintages().join(", ");
                EngineError::not_found(
                    "/vintage",
                    format!("unknown vintage '{v}'; available: {all}"),
                    format!("沒有「{v}」年度預測；可用：{all}"),
                )
                .with_allowed(all)
            })
    }

    /// The costing of a proposal, or a clear error if it is a heading, not quantifiable or has
    /// none.
    pub fn costing_for(&self, id: &str) -> Result<&Costing, EngineError> {
        let p = self.catalogue.get(id)?;
        if !p.is_leaf() {
            return Err(EngineError::invalid(
                "",
                format!(
                    "{id} is a heading; cost its proposals instead ({})",
                    p.children.join(", ")
                ),
                format!(
                    "{id} 是標題；請改為計算其下的建議（{}）",
                    p.children.join("、")
                ),
            )
            .with_allowed(p.children.join(", ")));
        }
        if p.quantifiable == hkb_proposals::Quantifiable::No {
            return Err(EngineError::invalid(
                "",
                format!("{id} is not quantifiable: it has no costing"),
                format!("{id} 不可量化：沒有估算"),
            ));
        }
        self.costings.iter().find(|c| c.id == id).ok_or_else(|| {
            EngineError::internal(format!("{id} is quantifiable but has no costing"))
        })
    }

    /// A catalogue costing against a baseline: as if adopted in the baseline's first year (its
    /// lines move from 2024-25, the year the Chamber's costings are written for, by as many years
    /// as the baseline starts later), and the number of years moved.
    pub fn catalogue_costing(
        &self,
        id: &str,
        base: &Baseline,
    ) -> Result<(Costing, i32), EngineError> {
        let c = self.costing_for(id)?;
        let shift = base
            .accounts
            .years
            .first()
            .map_or(0, |y| {
                y.years_since(hkb_proposals::CATALOGUE_REFERENCE_YEAR)
            })
            .max(0);
        Ok((
            if shift == 0 {
                c.clone()
            } else {
                c.shifted(shift)
            },
            shift,
        ))
    }

    /// Checks a population's sizes against the limits.
    pub fn check_spec(&self, spec: &BuildSpec) -> Result<(), EngineError> {
        let l = &self.limits;
        if !(l.min_persons..=l.max_persons).contains(&spec.persons) {
            return Err(EngineError::too_large(
                "/population/persons",
                format!(
                    "{} is outside {} to {}",
                    spec.persons, l.min_persons, l.max_persons
                ),
                format!(
                    "{} 不在 {} 至 {} 之間",
                    spec.persons, l.min_persons, l.max_persons
                ),
            )
            .with_allowed(format!("{} to {}", l.min_persons, l.max_persons)));
        }
        if !(l.min_businesses..=l.max_businesses).contains(&spec.businesses) {
            return Err(EngineError::too_large(
                "/population/businesses",
                format!(
                    "{} is outside {} to {}",
                    spec.businesses, l.min_businesses, l.max_businesses
                ),
                format!(
                    "{} 不在 {} 至 {} 之間",
                    spec.businesses, l.min_businesses, l.max_businesses
                ),
            )
            .with_allowed(format!("{} to {}", l.min_businesses, l.max_businesses)));
        }
        Ok(())
    }

    /// The population for `spec`: in memory if loaded before, else from the cache folder (built
    /// and saved when missing, stale or corrupt). `force` rebuilds it.
    pub fn population(
        &self,
        spec: BuildSpec,
        force: bool,
        progress: Progress<'_>,
    ) -> Result<Arc<Model>, EngineError> {
        self.check_spec(&spec)?;
        let mut loaded = self
            .populations
            .lock()
            .map_err(|_| EngineError::internal("the population store is poisoned"))?;
        let tick = self.tick.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if !force && let Some((m, used)) = loaded.get_mut(&spec) {
            *used = tick;
            return Ok(m.clone());
        }
        let t = Instant::now();
        let step =
            |s: &str, done: u64, of: u64| progress(ProgressEvent::Step { step: s, done, of });
        let model = match &self.cache {
            Some(cache) => {
                let (model, how) = cache.load_or_build(&self.law, spec, force, &step)?;
                let ms = t.elapsed().as_secs_f64() * 1000.0;
                match &how {
                    Obtained::Loaded { path } => progress(ProgressEvent::Loaded { path, ms }),
                    Obtained::Built { path, reason } => progress(ProgressEvent::Built {
                        path: Some(path),
                        reason: reason.as_deref(),
                        ms,
                        spec,
                    }),
                }
                model
            }
            None => {
                let model = Model::build(&self.law, spec, &step)?;
                progress(ProgressEvent::Built {
                    path: None,
                    reason: None,
                    ms: t.elapsed().as_secs_f64() * 1000.0,
                    spec,
                });
                model
            }
        };
        let model = Arc::new(model);
        while loaded.len() >= self.limits.max_populations_in_memory.max(1) {
            let Some(oldest) = loaded
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(k, _)| *k)
            else {
                break;
            };
            loaded.remove(&oldest);
        }
        loaded.insert(spec, (model.clone(), tick));
        Ok(model)
    }

    /// The population specs held in memory now.
    pub fn loaded_populations(&self) -> Vec<BuildSpec> {
        self.populations
            .lock()
            .map(|m| m.keys().copied().collect())
            .unwrap_or_default()
    }

    /// The provenance of a result: this engine, this law, and what else it rests on.
    pub fn provenance(&self, population: Option<&BuildSpec>, vintage: Option<&str>) -> Provenance {
        Provenance {
            engine: format!("hkbudget {}", env!("CARGO_PKG_VERSION")),
            law_fingerprint: self.law_fingerprint.clone(),
            population: population.map(|s| PopulationProvenance {
                persons: s.persons,
                businesses: s.businesses,
                seed: s.seed,
                inputs_fingerprint: hkb_microsim::store::fingerprint(&self.law_fingerprint),
            }),
            vintage: vintage.map(str::to_string),
        }
    }
}
