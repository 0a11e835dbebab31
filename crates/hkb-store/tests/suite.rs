//! One suite, every backend: SQLite always; PostgreSQL when `HKBUDGET_TEST_POSTGRES` names a
//! server (`.ci/run` starts one on loopback and sets it, so CI runs both).

use hkb_store::{NewScenario, PgStore, Saved, ScenarioKind, SqliteStore, Store, StoreError};

fn new(name: &str, body: &str) -> NewScenario {
    NewScenario {
        name: name.into(),
        kind: ScenarioKind::Reform,
        body: body.into(),
        law_fingerprint: "f".repeat(64),
        engine_version: "hkbudget test".into(),
    }
}

async fn suite(store: &dyn Store) {
    let before = store.count().await.unwrap_or_else(|e| panic!("{e}"));
    // A save reads back byte for byte, spacing and key order included.
    let body = "{\"name\": {\"en\": \"x\"},  \"changes\": {\"b\": 1, \"a\": [1, 2]}}";
    let saved = store
        .create(new("first", body))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let Saved::Created(s) = &saved else {
        panic!("expected a new scenario, got {saved:?}")
    };
    assert_eq!(s.version, 1);
    assert_eq!(s.created_at, s.updated_at);
    let back = store.get(&s.id).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.as_ref().map(|b| b.body.as_str()), Some(body));
    // The same content (up to spacing and key order) is the same scenario: same id, no write.
    let again = store
        .create(new(
            "first",
            "{\"changes\":{\"a\":[1,2],\"b\":1},\"name\":{\"en\":\"x\"}}",
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(&again, Saved::Existing(x) if x.id == s.id && x.body == body));
    // A different name is a different scenario.
    let other = store
        .create(new("second", body))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(other.scenario().id, s.id);
    // Updates name the version; a stale one is refused and changes nothing.
    let up = store
        .update(&s.id, 1, new("first, edited", "{\"changes\":{}}"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(up.version, 2);
    assert_eq!(up.id, s.id);
    assert_eq!(up.created_at, s.created_at);
    match store.update(&s.id, 1, new("lost", "{}")).await {
        Err(StoreError::Stale {
            expected: 1,
            current: 2,
            ..
        }) => {}
        other => panic!("expected stale, got {other:?}"),
    }
    let now = store.get(&s.id).await.ok().flatten().map(|x| x.name);
    assert_eq!(now.as_deref(), Some("first, edited"));
    // The original content's id is taken by the edited scenario: saving it again gets a new id.
    let re = store
        .create(new("first", body))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(&re, Saved::Created(x) if x.id == format!("{}-2", s.id)),
        "{re:?}"
    );
    // Lists: newest first, bounded.
    let list = store.list(2, 0).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(list.len(), 2);
    assert!(list[0].updated_at >= list[1].updated_at);
    assert_eq!(store.count().await.ok(), Some(before + 3));
    // Bad input is refused before the database.
    assert!(matches!(
        store.create(new("x", "{")).await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store.create(new("  ", "{}")).await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store.create(new(&"n".repeat(201), "{}")).await,
        Err(StoreError::Invalid(_))
    ));
    // Unknown ids, stale deletes, deletes.
    assert!(store.get("nope").await.ok().flatten().is_none());
    assert!(matches!(
        store.update("nope", 1, new("x", "{}")).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.delete(&s.id, Some(1)).await,
        Err(StoreError::Stale { .. })
    ));
    store
        .delete(&s.id, Some(2))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(store.get(&s.id).await.ok().flatten().is_none());
    assert!(matches!(
        store.delete(&s.id, None).await,
        Err(StoreError::NotFound(_))
    ));
    // Concurrent saves of distinct content all land.
    let mut tasks = Vec::new();
    for i in 0..20 {
        tasks.push(store.create(new(&format!("concurrent {i}"), "{}")));
    }
    for t in tasks {
        assert!(matches!(t.await, Ok(Saved::Created(_))));
    }
    assert_eq!(store.count().await.ok(), Some(before + 22));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_store() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("nested").join("store.sqlite");
    let store = SqliteStore::open(&path).unwrap_or_else(|e| panic!("{e}"));
    suite(&store).await;
    store.close().await;
    // Reopening migrates nothing twice and keeps every save.
    let store = SqliteStore::open(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(store.count().await.ok(), Some(22));
    store.close().await;
    assert!(matches!(store.count().await, Err(StoreError::Backend(_))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_store_when_a_server_is_given() {
    let Ok(url) = std::env::var("HKBUDGET_TEST_POSTGRES") else {
        eprintln!("HKBUDGET_TEST_POSTGRES is not set: the PostgreSQL suite did not run");
        return;
    };
    let store = PgStore::connect(&url, 4)
        .await
        .unwrap_or_else(|e| panic!("{url}: {e}"));
    // A clean table for a repeatable run.
    for s in store.list(500, 0).await.unwrap_or_default() {
        let _ = store.delete(&s.id, None).await;
    }
    suite(&store).await;
    // A second connection migrates nothing twice.
    let again = PgStore::connect(&url, 1)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.count().await.ok(), Some(22));
    again.close().await;
    store.close().await;
}
