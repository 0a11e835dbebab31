//! The embedded backend: one SQLite file in WAL mode with `synchronous=FULL`, so a committed save
//! survives a crash or power loss. Work runs on the blocking pool, one statement at a time
//! through one connection (SQLite has one writer anyway).

use crate::{
    MAX_LIST, MIGRATIONS, NewScenario, Saved, Scenario, ScenarioKind, Store, StoreError, Summary,
    candidate_ids, check_new, now, same_content,
};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub struct SqliteStore {
    conn: Arc<Mutex<Option<Connection>>>,
    path: PathBuf,
}

fn backend(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(e.to_string())
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
    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Backend(format!("cannot create {}: {e}", dir.display()))
            })?;
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
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
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
        .map_err(backend)?
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
}
