//! Population files: Arrow IPC, one file per build (earners and businesses as two record
//! batches' worth of columns in one file each), with the schema version and a fingerprint of the
//! input data in the metadata so that stale files are rebuilt and corrupt ones are refused.

use crate::business::Businesses;
use crate::error::SimError;
use crate::model::{BuildSpec, Model, YearWeights};
use crate::persons::Earners;
use crate::sources::{SOURCES_YAML, Sources};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, UInt8Array,
};
use arrow_schema::{DataType, Field, Schema};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use std::sync::Arc;

/// Bump when the columns or their meaning change; older files are rebuilt.
pub const SCHEMA_VERSION: &str = "4";

const ROWS_PER_BATCH: usize = 65_536;

/// FNV-1a of the population inputs and the law's fingerprint ([`hkb_law::Law::fingerprint`]),
/// so a change in either rebuilds the file. (Cache invalidation only: saved scenarios use the
/// law's SHA-256 fingerprint itself.)
pub fn fingerprint(law_fingerprint: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in SOURCES_YAML.bytes().chain(law_fingerprint.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

pub fn file_name(spec: &BuildSpec) -> String {
    format!(
        "population-n{}-b{}-s{}.arrow",
        spec.persons, spec.businesses, spec.seed
    )
}

fn err(file: &Path, message: impl Into<String>) -> SimError {
    SimError::Store {
        file: file.display().to_string(),
        message: message.into(),
    }
}

fn years_count() -> usize {
    crate::model::population_years().count()
}

pub fn save(model: &Model, path: &Path, fp: &str) -> Result<(), SimError> {
    let n = model.earners.len();
    let nb = model.businesses.profits.len();
    // Businesses are stored in the same batch, padded: column `b_len` in the metadata says how
    // many rows are real (the batch length is the larger of the two).
    let len = n.max(nb);
    let pad_i64 = |v: &[i64]| -> ArrayRef {
        Arc::new(Int64Array::from_iter_values(
            v.iter()
                .copied()
                .chain(std::iter::repeat_n(0, len - v.len())),
        ))
    };
    let pad_f64 = |v: &[f64]| -> ArrayRef {
        Arc::new(Float64Array::from_iter_values(
            v.iter()
                .copied()
                .chain(std::iter::repeat_n(0.0, len - v.len())),
        ))
    };
    let pad_u8 = |v: &[u8]| -> ArrayRef {
        Arc::new(UInt8Array::from_iter_values(
            v.iter()
                .copied()
                .chain(std::iter::repeat_n(0, len - v.len())),
        ))
    };
    let pad_bool = |v: &[bool]| -> ArrayRef {
        Arc::new(BooleanArray::from(
            v.iter()
                .copied()
                .chain(std::iter::repeat_n(false, len - v.len()))
                .collect::<Vec<bool>>(),
        ))
    };
    let e = &model.earners;
    let mut fields = vec![];
    let mut cols: Vec<ArrayRef> = vec![];
    let mut push = |name: String, dt: DataType, a: ArrayRef| {
        fields.push(Field::new(name, dt, false));
        cols.push(a);
    };
    push("income".into(), DataType::Int64, pad_i64(&e.income));
    push("mpf".into(), DataType::Int64, pad_i64(&e.mpf));
    push("donations".into(), DataType::Int64, pad_i64(&e.donations));
    push(
        "married_allowance".into(),
        DataType::Boolean,
        pad_bool(&e.married_allowance),
    );
    push("children".into(), DataType::UInt8, pad_u8(&e.children));
    push("newborns".into(), DataType::UInt8, pad_u8(&e.newborns));
    push(
        "parents_residing".into(),
        DataType::UInt8,
        pad_u8(&e.parents_residing),
    );
    push(
        "parents_not_residing".into(),
        DataType::UInt8,
        pad_u8(&e.parents_not_residing),
    );
    push(
        "design_weight".into(),
        DataType::Float64,
        pad_f64(&e.design_weight),
    );
    push(
        "b_profits".into(),
        DataType::Int64,
        pad_i64(&model.businesses.profits),
    );
    push(
        "b_unincorporated".into(),
        DataType::Boolean,
        pad_bool(&model.businesses.unincorporated),
    );
    for (i, y) in model.years.iter().enumerate() {
        push(format!("w_{i}"), DataType::Float64, pad_f64(&y.earners));
        push(format!("bw_{i}"), DataType::Float64, pad_f64(&y.businesses));
    }
    let mut meta = HashMap::new();
    meta.insert(
        "hkbudget.schema_version".to_string(),
        SCHEMA_VERSION.to_string(),
    );
    meta.insert("hkbudget.fingerprint".to_string(), fp.to_string());
    meta.insert("hkbudget.persons".to_string(), n.to_string());
    meta.insert("hkbudget.businesses".to_string(), nb.to_string());
    meta.insert("hkbudget.seed".to_string(), model.spec.seed.to_string());
    meta.insert("hkbudget.base_year".to_string(), e.base_year.to_string());
    meta.insert(
        "hkbudget.profit_scales".to_string(),
        model
            .years
            .iter()
            .map(|y| y.profit_scale.to_string())
            .collect::<Vec<_>>()
            .join(","),
    );
    let schema = Arc::new(Schema::new_with_metadata(fields, meta));
    let batch = RecordBatch::try_new(schema.clone(), cols).map_err(|x| err(path, x.to_string()))?;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|x| err(path, format!("cannot create the folder: {x}")))?;
    // Write to a unique temporary file in the same folder and rename it into place, so an
    // interrupted build never leaves a half file and two writers never share a temporary file.
    let tmp = tempfile::Builder::new()
        .prefix(".population-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|x| err(path, format!("cannot create a temporary file: {x}")))?;
    let file = tmp.reopen().map_err(|x| err(tmp.path(), x.to_string()))?;
    let mut w = arrow_ipc::writer::FileWriter::try_new(file, &schema)
        .map_err(|x| err(tmp.path(), x.to_string()))?;
    // Row chunks, so that a reader holds one chunk at a time.
    let mut offset = 0;
    while offset < len {
        let rows = ROWS_PER_BATCH.min(len - offset);
        w.write(&batch.slice(offset, rows))
            .map_err(|x| err(tmp.path(), x.to_string()))?;
        offset += rows;
    }
    w.finish().map_err(|x| err(tmp.path(), x.to_string()))?;
    let file = w.into_inner().map_err(|x| err(tmp.path(), x.to_string()))?;
    file.sync_all()
        .map_err(|x| err(tmp.path(), x.to_string()))?;
    tmp.persist(path)
        .map_err(|x| err(path, x.error.to_string()))?;
    Ok(())
}

/// What loading found.
pub enum Loaded {
    Ready(Box<Model>),
    /// Built with another schema or other input data: rebuild (the reason says which).
    Stale(String),
}

pub fn load(path: &Path, fp: &str) -> Result<Loaded, SimError> {
    let corrupt = |m: String| {
        err(
            path,
            format!(
                "is corrupt or not a population file ({m}); delete it or run `hkbudget population build --force`"
            ),
        )
    };
    let file = std::fs::File::open(path).map_err(|x| err(path, x.to_string()))?;
    let reader =
        arrow_ipc::reader::FileReader::try_new(file, None).map_err(|x| corrupt(x.to_string()))?;
    let schema = reader.schema();
    let meta = schema.metadata();
    let version = meta
        .get("hkbudget.schema_version")
        .cloned()
        .unwrap_or_default();
    if version != SCHEMA_VERSION {
        return Ok(Loaded::Stale(format!(
            "it was built with population schema v{} and this hkbudget uses v{SCHEMA_VERSION}",
            if version.is_empty() { "?" } else { &version }
        )));
    }
    if meta.get("hkbudget.fingerprint").map(String::as_str) != Some(fp) {
        return Ok(Loaded::Stale(
            "the population inputs or the law changed since it was built".into(),
        ));
    }
    let get = |k: &str| -> Result<usize, SimError> {
        meta.get(k)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| corrupt(format!("missing {k}")))
    };
    let n = get("hkbudget.persons")?;
    let nb = get("hkbudget.businesses")?;
    let seed = get("hkbudget.seed")? as u64;
    let base_year = get("hkbudget.base_year")? as i32;
    let scales: Vec<f64> = meta
        .get("hkbudget.profit_scales")
        .map(|s| s.split(',').filter_map(|x| x.parse().ok()).collect())
        .unwrap_or_default();
    let nyears = years_count();
    let mut e = Earners {
        base_year,
        seed,
        ..Earners::default()
    };
    let mut b = Businesses::default();
    let mut w: Vec<Vec<f64>> = vec![Vec::with_capacity(n); nyears];
    let mut bw: Vec<Vec<f64>> = vec![Vec::with_capacity(nb); nyears];
    let mut offset = 0usize;
    for batch in reader {
        let batch = batch.map_err(|x| corrupt(x.to_string()))?;
        let rows = batch.num_rows();
        let take_e = n.saturating_sub(offset).min(rows);
        let take_b = nb.saturating_sub(offset).min(rows);
        let col = |name: &str| {
            batch
                .column_by_name(name)
                .cloned()
                .ok_or_else(|| corrupt(format!("missing column {name}")))
        };
        let i64s = |name: &str, k: usize, out: &mut Vec<i64>| -> Result<(), SimError> {
            let a = col(name)?;
            let a = a
                .as_any()
                .downcast_ref::<Int64Array>()
                .ok_or_else(|| corrupt(format!("column {name} has the wrong type")))?;
            out.extend(a.values().iter().take(k));
            Ok(())
        };
        let f64s = |name: &str, k: usize, out: &mut Vec<f64>| -> Result<(), SimError> {
            let a = col(name)?;
            let a = a
                .as_any()
                .downcast_ref::<Float64Array>()
                .ok_or_else(|| corrupt(format!("column {name} has the wrong type")))?;
            out.extend(a.values().iter().take(k));
            Ok(())
        };
        let u8s = |name: &str, k: usize, out: &mut Vec<u8>| -> Result<(), SimError> {
            let a = col(name)?;
            let a = a
                .as_any()
                .downcast_ref::<UInt8Array>()
                .ok_or_else(|| corrupt(format!("column {name} has the wrong type")))?;
            out.extend(a.values().iter().take(k));
            Ok(())
        };
        let bools = |name: &str, k: usize, out: &mut Vec<bool>| -> Result<(), SimError> {
            let a = col(name)?;
            let a = a
                .as_any()
                .downcast_ref::<BooleanArray>()
                .ok_or_else(|| corrupt(format!("column {name} has the wrong type")))?;
            out.extend((0..k.min(a.len())).map(|i| a.value(i)));
            Ok(())
        };
        i64s("income", take_e, &mut e.income)?;
        i64s("mpf", take_e, &mut e.mpf)?;
        i64s("donations", take_e, &mut e.donations)?;
        bools("married_allowance", take_e, &mut e.married_allowance)?;
        u8s("children", take_e, &mut e.children)?;
        u8s("newborns", take_e, &mut e.newborns)?;
        u8s("parents_residing", take_e, &mut e.parents_residing)?;
        u8s("parents_not_residing", take_e, &mut e.parents_not_residing)?;
        f64s("design_weight", take_e, &mut e.design_weight)?;
        i64s("b_profits", take_b, &mut b.profits)?;
        bools("b_unincorporated", take_b, &mut b.unincorporated)?;
        for (i, (wi, bwi)) in w.iter_mut().zip(bw.iter_mut()).enumerate() {
            f64s(&format!("w_{i}"), take_e, wi)?;
            f64s(&format!("bw_{i}"), take_b, bwi)?;
        }
        offset += rows;
    }
    if e.income.len() != n
        || e.children.len() != n
        || b.profits.len() != nb
        || w.iter().any(|x| x.len() != n)
    {
        return Err(corrupt("column lengths disagree with the metadata".into()));
    }
    b.design_weight = vec![1.0; nb];
    let earners = e;
    let businesses = b;
    let mut years = Vec::new();
    for (i, (ew, bwv)) in w.into_iter().zip(bw).enumerate() {
        let decile_index = crate::salaries::decile_index(&ew);
        years.push(YearWeights {
            earners: ew,
            businesses: bwv,
            profit_scale: scales.get(i).copied().unwrap_or(1.0),
            decile_index,
        });
    }
    let sources = Sources::embedded()?;
    Ok(Loaded::Ready(Box::new(Model {
        spec: BuildSpec {
            persons: n,
            businesses: nb,
            seed,
        },
        sources,
        earners,
        businesses,
        assessed: years.iter().map(|_| Default::default()).collect(),
        households: Default::default(),
        household_years: years.iter().map(|_| Default::default()).collect(),
        household_scratch: Default::default(),
        non_residential_price: Default::default(),
        years,
        tenements: None,
    })))
}

/// How a population was obtained.
#[derive(Clone, Debug, PartialEq)]
pub enum Obtained {
    /// Read from its file.
    Loaded { path: PathBuf },
    /// Built and saved; `reason` says why an existing file was not used.
    Built {
        path: PathBuf,
        reason: Option<String>,
    },
}

/// Population files in one folder (the caller chooses it: no library reads the environment).
/// Loading or building a population holds an exclusive lock on `<file>.lock`, so two processes
/// asking for the same population at once build it once and both end with one valid file.
#[derive(Clone, Debug)]
pub struct PopulationCache {
    dir: PathBuf,
}

impl PopulationCache {
    pub fn new(dir: impl Into<PathBuf>) -> PopulationCache {
        PopulationCache { dir: dir.into() }
    }
    pub fn dir(&self) -> &Path {
        &self.dir
    }
    pub fn path(&self, spec: &BuildSpec) -> PathBuf {
        self.dir.join(file_name(spec))
    }

    /// The population for `spec` under `law`: its file if present and current, else built (and
    /// saved). A stale, corrupt or truncated file is rebuilt; `force` always rebuilds.
    /// `progress(step, done, of)` reports the build.
    pub fn load_or_build(
        &self,
        law: &hkb_law::Law,
        spec: BuildSpec,
        force: bool,
        progress: &(dyn Fn(&str, u64, u64) + Sync),
    ) -> Result<(Model, Obtained), SimError> {
        let path = self.path(&spec);
        std::fs::create_dir_all(&self.dir)
            .map_err(|x| err(&self.dir, format!("cannot create the folder: {x}")))?;
        let lock_path = path.with_extension("arrow.lock");
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|x| err(&lock_path, x.to_string()))?;
        lock.lock().map_err(|x| err(&lock_path, x.to_string()))?;
        let fp = fingerprint(&law.fingerprint());
        let mut reason = None;
        if path.exists() && !force {
            match load(&path, &fp) {
                Ok(Loaded::Ready(mut m)) => {
                    m.fit_tenements(law)?;
                    return Ok((*m, Obtained::Loaded { path }));
                }
                Ok(Loaded::Stale(why)) => reason = Some(why),
                Err(e) => reason = Some(e.to_string()),
            }
        } else if force {
            reason = Some("rebuild asked for".into());
        }
        let model = Model::build(law, spec, progress)?;
        save(&model, &path, &fp)?;
        // The lock is released when `lock` is dropped.
        Ok((model, Obtained::Built { path, reason }))
    }
}
