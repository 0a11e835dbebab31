//! The embedded backend: one SQLite file in WAL mode with `synchronous=FULL`, so a committed save
//! survives a crash or power loss. Work runs on the blocking pool, one statement at a time
//! through one connection (SQLite has one writer anyway).
//!
//! Faults: a full disk fails the save with [`StoreError::Full`] and leaves the file as it was
//! (SQLite rolls the transaction back); a store whose folder or file cannot be written is
//! opened read-only — saved scenarios still read, saves fail with [`StoreError::ReadOnly`].

use crate::{
    MAX_LIST, MIGRATIONS, NewScenario, Saved, Scenario, ScenarioKind, Store, StoreError, Summary,
    candidate_ids, check_new, now, same_content,
};
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior, params};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub struct SqliteStore {
    conn: Arc<Mutex<Option<Connection>>>,
    path: PathBuf,
    read_only: bool,
}

/// A database error as the store reports it: a full disk and a read-only file are told apart,
/// because the caller can do something about them.
fn backend(e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => StoreError::Full(e.to_string()),
        Some(ErrorCode::ReadOnly) => StoreError::ReadOnly(e.to_string()),
        _ => StoreError::Backend(e.to_string()),
    }
}

/// Whether SQLite could write the store at `path`: the file itself if it exists, and its folder
/// (WAL mode creates `-wal` and `-shm` files beside it). Probed by creating and removing a file,
/// because permission bits say nothing to root and nothing about a read-only mount.
fn writable(path: &Path) -> std::io::Result<()> {
    if path.exists() {
        std::fs::OpenOptions::new().append(true).open(path)?;
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "store".to_string(), |n| n.to_string_lossy().into_owned());
    let probe = dir.join(format!(".{name}.probe-{}", std::process::id()));
    std::fs::File::create(&probe)?;
    std::fs::remove_file(&probe)
}

/// `path` as an SQLite URI (`file:` with `%`, `?` and `#` escaped) with `query`.
fn uri(path: &Path, query: &str) -> String {
    let mut out = String::from("file:");
    for c in path.to_string_lossy().chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            c => out.push(c),
        }
    }
    format!("{out}?{query}")
}

const COLUMNS: &str =
    "id, name, kind, body, law_fingerprint, engine_version, created_at, updated_at, version";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Scenario> {
    let kind: String = r.get(2)?;
    Ok(Scenario {
        id: r.get(0)?,
        name: r.get(1)?,
        // A kind the code does not know can only come from a newer schema: read as household
        // would be wrong, so fail the row.
        kind: ScenarioKind::parse(&kind).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                2,
                rusqlite::types::Type::Text,
                format!("unknown kind '{kind}'").into(),
            )
        })?,
        body: r.get(3)?,
        law_fingerprint: r.get(4)?,
        engine_version: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
        version: r.get(8)?,
    })
}

fn get_in(c: &Connection, id: &str) -> Result<Option<Scenario>, StoreError> {
    c.query_row(
        &format!("SELECT {COLUMNS} FROM scenarios WHERE id = ?1"),
        params![id],
        row,
    )
    .optional()
    .map_err(backend)
}

impl SqliteStore {
    /// Opens (creating if needed) the store at `path` and brings its schema up to date. A store
    /// that exists but cannot be written (a read-only folder, file or mount) is opened
    /// read-only; one that does not exist in a folder that cannot be written is an error.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Backend(format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        if let Err(e) = writable(path) {
            if path.is_file() {
                return SqliteStore::open_read_only(path, &e);
            }
            return Err(StoreError::ReadOnly(format!(
                "{} cannot be created ({e}), so there is nothing to read either",
                path.display()
            )));
        }
        let mut conn = Connection::open(path)
            .map_err(|e| StoreError::Backend(format!("{}: {e}", path.display())))?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             PRAGMA busy_timeout = 5000;",
        )
        .map_err(backend)?;
        migrate(&mut conn)?;
        Ok(SqliteStore {
            conn: Arc::new(Mutex::new(Some(conn))),
            path: path.to_path_buf(),
            read_only: false,
        })
    }

    /// Opens an existing store for reading only. `mode=ro` reads the WAL if its `-wal` and
    /// `-shm` files are there (a store that was not closed cleanly); a cleanly closed store on
    /// read-only media has neither and cannot create them, so it is opened `immutable`.
    fn open_read_only(path: &Path, why: &std::io::Error) -> Result<SqliteStore, StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let readable = |c: &Connection| {
            c.query_row("SELECT COUNT(*) FROM scenarios", [], |r| r.get::<_, i64>(0))
                .is_ok()
        };
        let mut last = String::new();
        for query in ["mode=ro", "immutable=1"] {
            match Connection::open_with_flags(uri(path, query), flags) {
                Ok(c) if readable(&c) => {
                    return Ok(SqliteStore {
                        conn: Arc::new(Mutex::new(Some(c))),
                        path: path.to_path_buf(),
                        read_only: true,
                    });
                }
                Ok(_) => last = "its scenarios table cannot be read".to_string(),
                Err(e) => last = e.to_string(),
            }
        }
        Err(StoreError::ReadOnly(format!(
            "{} cannot be written ({why}) and cannot be read either ({last})",
            path.display()
        )))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn refuse_writes(&self) -> Result<(), StoreError> {
        if self.read_only {
            return Err(StoreError::ReadOnly(format!(
                "{} was opened read-only because it cannot be written; nothing was saved",
                self.path.display()
            )));
        }
        Ok(())
    }

    async fn with<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = conn
                .lock()
                .map_err(|_| StoreError::Backend("the store's lock is poisoned".into()))?;
            match guard.as_mut() {
                Some(c) => f(c),
                None => Err(StoreError::Backend("the store is closed".into())),
            }
        })
        .await
        .map_err(|e| StoreError::Backend(e.to_string()))?
    }
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
    )
    .map_err(backend)?;
    for (version, sql) in MIGRATIONS {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        let done: Option<i64> = tx
            .query_row(
                "SELECT version FROM schema_migrations WHERE version = ?1",
                params![version],
                |r| r.get(0),
            )
            .optional()
            .map_err(backend)?;
        if done.is_none() {
            tx.execute_batch(sql).map_err(backend)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
                params![version, now()],
            )
            .map_err(backend)?;
        }
        tx.commit().map_err(backend)?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl Store for SqliteStore {
    async fn create(&self, s: NewScenario) -> Result<Saved, StoreError> {
        check_new(&s)?;
        self.refuse_writes()?;
        self.with(move |c| {
            let tx = c
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            for id in candidate_ids(&s)? {
                match get_in(&tx, &id)? {
                    Some(existing) if same_content(&existing, &s) => {
                        tx.commit().map_err(backend)?;
                        return Ok(Saved::Existing(existing));
                    }
                    Some(_) => continue,
                    None => {
                        let t = now();
                        tx.execute(
                            &format!("INSERT INTO scenarios ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, 1)"),
                            params![id, s.name, s.kind.as_str(), s.body, s.law_fingerprint, s.engine_version, t],
                        )
                        .map_err(backend)?;
                        let saved = get_in(&tx, &id)?
                            .ok_or_else(|| StoreError::Backend("the row vanished".into()))?;
                        tx.commit().map_err(backend)?;
                        return Ok(Saved::Created(saved));
                    }
                }
            }
            Err(StoreError::Backend("no free id".into()))
        })
        .await
    }

    async fn get(&self, id: &str) -> Result<Option<Scenario>, StoreError> {
        let id = id.to_string();
        self.with(move |c| get_in(c, &id)).await
    }

    async fn list(&self, limit: u32, offset: u32) -> Result<Vec<Summary>, StoreError> {
        let limit = limit.min(MAX_LIST);
        self.with(move |c| {
            let mut st = c
                .prepare(&format!(
                    "SELECT {COLUMNS} FROM scenarios ORDER BY updated_at DESC, id LIMIT ?1 OFFSET ?2"
                ))
                .map_err(backend)?;
            let rows = st
                .query_map(params![limit, offset], row)
                .map_err(backend)?;
            rows.map(|r| r.map(|s| Summary::from(&s)).map_err(backend))
                .collect()
        })
        .await
    }

    async fn update(
        &self,
        id: &str,
        expected_version: i64,
        s: NewScenario,
    ) -> Result<Scenario, StoreError> {
        check_new(&s)?;
        self.refuse_writes()?;
        let id = id.to_string();
        self.with(move |c| {
            let tx = c
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            let current = get_in(&tx, &id)?.ok_or_else(|| StoreError::NotFound(id.clone()))?;
            if current.version != expected_version {
                return Err(StoreError::Stale {
                    id,
                    expected: expected_version,
                    current: current.version,
                });
            }
            tx.execute(
                "UPDATE scenarios SET name = ?2, kind = ?3, body = ?4, law_fingerprint = ?5,
                 engine_version = ?6, updated_at = ?7, version = version + 1 WHERE id = ?1",
                params![
                    id,
                    s.name,
                    s.kind.as_str(),
                    s.body,
                    s.law_fingerprint,
                    s.engine_version,
                    now()
                ],
            )
            .map_err(backend)?;
            let saved =
                get_in(&tx, &id)?.ok_or_else(|| StoreError::Backend("the row vanished".into()))?;
            tx.commit().map_err(backend)?;
            Ok(saved)
        })
        .await
    }

    async fn delete(&self, id: &str, expected_version: Option<i64>) -> Result<(), StoreError> {
        self.refuse_writes()?;
        let id = id.to_string();
        self.with(move |c| {
            let tx = c
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            let current = get_in(&tx, &id)?.ok_or_else(|| StoreError::NotFound(id.clone()))?;
            if let Some(v) = expected_version
                && v != current.version
            {
                return Err(StoreError::Stale {
                    id,
                    expected: v,
                    current: current.version,
                });
            }
            tx.execute("DELETE FROM scenarios WHERE id = ?1", params![id])
                .map_err(backend)?;
            tx.commit().map_err(backend)
        })
        .await
    }

    async fn count(&self) -> Result<u64, StoreError> {
        self.with(|c| {
            c.query_row("SELECT COUNT(*) FROM scenarios", [], |r| r.get::<_, i64>(0))
                .map(|n| n.max(0) as u64)
                .map_err(backend)
        })
        .await
    }

    async fn close(&self) {
        let conn = self.conn.clone();
        let _ = tokio::task::spawn_blocking(move || {
            if let Ok(mut g) = conn.lock()
                && let Some(c) = g.take()
            {
                // Checkpoint the WAL into the main file so the folder holds one file at rest.
                let _ = c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);");
                let _ = c.close();
            }
        })
        .await;
    }

    fn backend(&self) -> &'static str {
        "sqlite"
    }

    fn writable(&self) -> bool {
        !self.read_only
    }
}
