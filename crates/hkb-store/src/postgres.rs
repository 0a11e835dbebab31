//! The shared backend: PostgreSQL through a connection pool (deadpool over tokio-postgres). A
//! save is acknowledged after its transaction commits (PostgreSQL's default synchronous commit).

use crate::{
    MAX_LIST, MIGRATIONS, NewScenario, Saved, Scenario, ScenarioKind, Store, StoreError, Summary,
    candidate_ids, check_new, now, same_content,
};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::{NoTls, Row};

pub struct PgStore {
    pool: Pool,
}

fn backend(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(e.to_string())
}

const COLUMNS: &str =
    "id, name, kind, body, law_fingerprint, engine_version, created_at, updated_at, version";

fn row(r: &Row) -> Result<Scenario, StoreError> {
    let kind: String = r.try_get(2).map_err(backend)?;
    Ok(Scenario {
        id: r.try_get(0).map_err(backend)?,
        name: r.try_get(1).map_err(backend)?,
        kind: ScenarioKind::parse(&kind)
            .ok_or_else(|| StoreError::Backend(format!("unknown kind '{kind}'")))?,
        body: r.try_get(3).map_err(backend)?,
        law_fingerprint: r.try_get(4).map_err(backend)?,
        engine_version: r.try_get(5).map_err(backend)?,
        created_at: r.try_get(6).map_err(backend)?,
        updated_at: r.try_get(7).map_err(backend)?,
        version: r.try_get(8).map_err(backend)?,
    })
}

/// A lock key of our own, so two servers starting at once do not migrate twice.
const MIGRATION_LOCK: i64 = 0x686b_6275_6467;

impl PgStore {
    /// Connects to `url` (`postgres://user:password@host:port/db`), with a pool of `size`
    /// connections, and brings the schema up to date.
    pub async fn connect(url: &str, size: usize) -> Result<PgStore, StoreError> {
        let config: tokio_postgres::Config = url
            .parse()
            .map_err(|e| StoreError::Invalid(format!("database URL: {e}")))?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(size.max(1))
            .build()
            .map_err(backend)?;
        let store = PgStore { pool };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let mut c = self.pool.get().await.map_err(backend)?;
        let tx = c.transaction().await.map_err(backend)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await
            .map_err(backend)?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)",
        )
        .await
        .map_err(backend)?;
        for (version, sql) in MIGRATIONS {
            let done = tx
                .query_opt(
                    "SELECT version FROM schema_migrations WHERE version = $1",
                    &[version],
                )
                .await
                .map_err(backend)?;
            if done.is_none() {
                tx.batch_execute(sql).await.map_err(backend)?;
                tx.execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
                    &[version, &now()],
                )
                .await
                .map_err(backend)?;
            }
        }
        tx.commit().await.map_err(backend)
    }
}

async fn get_in(
    c: &impl deadpool_postgres::GenericClient,
    id: &str,
) -> Result<Option<Scenario>, StoreError> {
    c.query_opt(
        &format!("SELECT {COLUMNS} FROM scenarios WHERE id = $1"),
        &[&id],
    )
    .await
    .map_err(backend)?
    .map(|r| row(&r))
    .transpose()
}

#[async_trait::async_trait]
impl Store for PgStore {
    async fn create(&self, s: NewScenario) -> Result<Saved, StoreError> {
        check_new(&s)?;
        let mut c = self.pool.get().await.map_err(backend)?;
        let tx = c.transaction().await.map_err(backend)?;
        for id in candidate_ids(&s)? {
            let t = now();
            let inserted = tx
                .query_opt(
                    &format!(
                        "INSERT INTO scenarios ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 1)
                         ON CONFLICT (id) DO NOTHING RETURNING {COLUMNS}"
                    ),
                    &[
                        &id,
                        &s.name,
                        &s.kind.as_str(),
                        &s.body,
                        &s.law_fingerprint,
                        &s.engine_version,
                        &t,
                    ],
                )
                .await
                .map_err(backend)?;
            if let Some(r) = inserted {
                let saved = row(&r)?;
                tx.commit().await.map_err(backend)?;
                return Ok(Saved::Created(saved));
            }
            if let Some(existing) = get_in(&tx, &id).await?
                && same_content(&existing, &s)
            {
                tx.commit().await.map_err(backend)?;
                return Ok(Saved::Existing(existing));
            }
        }
        Err(StoreError::Backend("no free id".into()))
    }

    async fn get(&self, id: &str) -> Result<Option<Scenario>, StoreError> {
        let c = self.pool.get().await.map_err(backend)?;
        get_in(&c, id).await
    }

    async fn list(&self, limit: u32, offset: u32) -> Result<Vec<Summary>, StoreError> {
        let c = self.pool.get().await.map_err(backend)?;
        let rows = c
            .query(
                &format!(
                    "SELECT {COLUMNS} FROM scenarios ORDER BY updated_at DESC, id LIMIT $1 OFFSET $2"
                ),
                &[&i64::from(limit.min(MAX_LIST)), &i64::from(offset)],
            )
            .await
            .map_err(backend)?;
        rows.iter()
            .map(|r| row(r).map(|s| Summary::from(&s)))
            .collect()
    }

    async fn update(
        &self,
        id: &str,
        expected_version: i64,
        s: NewScenario,
    ) -> Result<Scenario, StoreError> {
        check_new(&s)?;
        let mut c = self.pool.get().await.map_err(backend)?;
        let tx = c.transaction().await.map_err(backend)?;
        let updated = tx
            .query_opt(
                &format!(
                    "UPDATE scenarios SET name = $2, kind = $3, body = $4, law_fingerprint = $5,
                     engine_version = $6, updated_at = $7, version = version + 1
                     WHERE id = $1 AND version = $8 RETURNING {COLUMNS}"
                ),
                &[
                    &id,
                    &s.name,
                    &s.kind.as_str(),
                    &s.body,
                    &s.law_fingerprint,
                    &s.engine_version,
                    &now(),
                    &expected_version,
                ],
            )
            .await
            .map_err(backend)?;
        match updated {
            Some(r) => {
                let saved = row(&r)?;
                tx.commit().await.map_err(backend)?;
                Ok(saved)
            }
            None => match get_in(&tx, id).await? {
                Some(current) => Err(StoreError::Stale {
                    id: id.to_string(),
                    expected: expected_version,
                    current: current.version,
                }),
                None => Err(StoreError::NotFound(id.to_string())),
            },
        }
    }

    async fn delete(&self, id: &str, expected_version: Option<i64>) -> Result<(), StoreError> {
        let mut c = self.pool.get().await.map_err(backend)?;
        let tx = c.transaction().await.map_err(backend)?;
        let current = get_in(&tx, id)
            .await?
            .ok_or_else(|| StoreError::NotFound(id.to_string()))?;
        if let Some(v) = expected_version
            && v != current.version
        {
            return Err(StoreError::Stale {
                id: id.to_string(),
                expected: v,
                current: current.version,
            });
        }
        tx.execute("DELETE FROM scenarios WHERE id = $1", &[&id])
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    async fn count(&self) -> Result<u64, StoreError> {
        let c = self.pool.get().await.map_err(backend)?;
        let r = c
            .query_one("SELECT COUNT(*) FROM scenarios", &[])
            .await
            .map_err(backend)?;
        let n: i64 = r.try_get(0).map_err(backend)?;
        Ok(n.max(0) as u64)
    }

    async fn close(&self) {
        self.pool.close();
    }

    fn backend(&self) -> &'static str {
        "postgres"
    }
}
