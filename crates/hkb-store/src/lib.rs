//! # hkb-store — saved scenarios
//!
//! A scenario is something a user saved to come back to or to share: a household, a reform or a
//! package, as the JSON body they sent (kept byte for byte), with the law fingerprint and engine
//! version at save time, created and updated times, and a version number that every update must
//! name (optimistic concurrency). Ids are derived from the content — the same name, kind and body
//! give the same id, so the same scenario gets the same link.
//!
//! Two backends behind one trait, [`Store`]: embedded SQLite ([`SqliteStore`], WAL with
//! `synchronous=FULL`: a save is acknowledged only once it is on disk) and PostgreSQL
//! ([`PgStore`], a connection pool) for a shared server. Both migrate their schema on open from
//! the versioned migrations in this crate. The store validates nothing about the body beyond
//! its being JSON: the server checks it against the engine before saving.

mod canonical;
mod postgres;
mod sqlite;

pub use canonical::{canonical_json, content_id};
pub use postgres::PgStore;
pub use sqlite::SqliteStore;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What a scenario holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScenarioKind {
    /// A household for the salaries tax calculator (the `calc/salaries` request).
    Household,
    /// A reform of the law (path → period → value).
    Reform,
    /// A package of proposals, reforms and fiscal lines.
    Package,
}

impl ScenarioKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ScenarioKind::Household => "household",
            ScenarioKind::Reform => "reform",
            ScenarioKind::Package => "package",
        }
    }
    pub fn parse(s: &str) -> Option<ScenarioKind> {
        match s {
            "household" => Some(ScenarioKind::Household),
            "reform" => Some(ScenarioKind::Reform),
            "package" => Some(ScenarioKind::Package),
            _ => None,
        }
    }
}

/// A scenario to save: the body is JSON text, stored exactly as given.
#[derive(Clone, Debug, PartialEq)]
pub struct NewScenario {
    pub name: String,
    pub kind: ScenarioKind,
    pub body: String,
    pub law_fingerprint: String,
    pub engine_version: String,
}

/// A saved scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub id: String,
    pub name: String,
    pub kind: ScenarioKind,
    /// The JSON text as saved, byte for byte.
    pub body: String,
    pub law_fingerprint: String,
    pub engine_version: String,
    /// RFC 3339, UTC, milliseconds.
    pub created_at: String,
    pub updated_at: String,
    /// 1 when created; each update adds one.
    pub version: i64,
}

/// A saved scenario without its body, for lists.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    pub id: String,
    pub name: String,
    pub kind: ScenarioKind,
    pub law_fingerprint: String,
    pub engine_version: String,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

impl From<&Scenario> for Summary {
    fn from(s: &Scenario) -> Summary {
        Summary {
            id: s.id.clone(),
            name: s.name.clone(),
            kind: s.kind,
            law_fingerprint: s.law_fingerprint.clone(),
            engine_version: s.engine_version.clone(),
            created_at: s.created_at.clone(),
            updated_at: s.updated_at.clone(),
            version: s.version,
        }
    }
}

/// The outcome of a save: new, or the same content saved before (same id, nothing written).
#[derive(Clone, Debug, PartialEq)]
pub enum Saved {
    Created(Scenario),
    Existing(Scenario),
}

impl Saved {
    pub fn scenario(&self) -> &Scenario {
        match self {
            Saved::Created(s) | Saved::Existing(s) => s,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no scenario with id '{0}'")]
    NotFound(String),
    /// The version named is not the current one (someone else saved first).
    #[error("scenario '{id}' is at version {current}, not {expected}")]
    Stale {
        id: String,
        expected: i64,
        current: i64,
    },
    /// The body is not JSON, or a field is out of bounds (name length, body size).
    #[error("{0}")]
    Invalid(String),
    /// The disk holding the store is full: the save did not happen, what was saved is intact.
    #[error("the scenario store's disk is full: {0}")]
    Full(String),
    /// The store was opened read-only (its folder or file cannot be written): reads work,
    /// saves are refused.
    #[error("the scenario store is read-only: {0}")]
    ReadOnly(String),
    /// The database failed (disk, connection, a constraint): the save did not happen.
    #[error("the scenario store failed: {0}")]
    Backend(String),
}

/// The largest body a scenario may hold (bytes): the engine's own input limit.
pub const MAX_BODY_BYTES: usize = 1 << 20;
/// The longest name (characters).
pub const MAX_NAME_CHARS: usize = 200;
/// The most scenarios one list returns.
pub const MAX_LIST: u32 = 500;

/// The scenario store. Every method is a complete unit of work: when `create` or `update`
/// returns `Ok`, the scenario is durable.
#[async_trait::async_trait]
pub trait Store: Send + Sync {
    /// Saves a new scenario, or returns the one saved before with the same content.
    async fn create(&self, s: NewScenario) -> Result<Saved, StoreError>;
    async fn get(&self, id: &str) -> Result<Option<Scenario>, StoreError>;
    /// Newest first (by update time), `limit` at most [`MAX_LIST`].
    async fn list(&self, limit: u32, offset: u32) -> Result<Vec<Summary>, StoreError>;
    /// Replaces name, kind and body when `expected_version` is the current version.
    async fn update(
        &self,
        id: &str,
        expected_version: i64,
        s: NewScenario,
    ) -> Result<Scenario, StoreError>;
    /// Deletes when `expected_version` is the current version (or none is given).
    async fn delete(&self, id: &str, expected_version: Option<i64>) -> Result<(), StoreError>;
    /// Counts saved scenarios.
    async fn count(&self) -> Result<u64, StoreError>;
    /// Finishes pending work and closes connections.
    async fn close(&self);
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// False when the store was opened read-only and refuses every save.
    fn writable(&self) -> bool {
        true
    }
}

/// Checks what every backend must refuse, before touching the database.
pub(crate) fn check_new(s: &NewScenario) -> Result<(), StoreError> {
    if s.name.trim().is_empty() || s.name.chars().count() > MAX_NAME_CHARS {
        return Err(StoreError::Invalid(format!(
            "name: give 1 to {MAX_NAME_CHARS} characters"
        )));
    }
    if s.body.len() > MAX_BODY_BYTES {
        return Err(StoreError::Invalid(format!(
            "body: {} bytes; at most {MAX_BODY_BYTES}",
            s.body.len()
        )));
    }
    serde_json::from_str::<serde_json::Value>(&s.body)
        .map_err(|e| StoreError::Invalid(format!("body: not JSON ({e})")))?;
    Ok(())
}

/// Now, as stored: RFC 3339 in UTC with milliseconds.
pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The schema, as versioned migrations (applied in order, each once). SQL common to both
/// backends; a backend may add its own statements per version.
pub(crate) const MIGRATIONS: &[(i64, &str)] = &[(
    1,
    "CREATE TABLE scenarios (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        law_fingerprint TEXT NOT NULL,
        engine_version TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        version BIGINT NOT NULL
    );
    CREATE INDEX scenarios_by_update ON scenarios (updated_at DESC, id);",
)];

/// The id for new content: its content id, or when that id is taken by a scenario whose
/// content has since changed, the content id with a counter (`-2`, `-3`, …).
pub(crate) fn candidate_ids(s: &NewScenario) -> Result<impl Iterator<Item = String>, StoreError> {
    let base = content_id(s.kind, &s.name, &s.body)?;
    Ok(std::iter::once(base.clone()).chain((2..).map(move |n| format!("{base}-{n}"))))
}

/// Same content: same kind, name and canonical body.
pub(crate) fn same_content(a: &Scenario, s: &NewScenario) -> bool {
    a.kind == s.kind
        && a.name == s.name
        && canonical_json(&a.body).ok() == canonical_json(&s.body).ok()
}
