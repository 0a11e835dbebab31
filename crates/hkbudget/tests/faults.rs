//! The scenario store under the faults a server meets in service, on a real filesystem: the disk
//! fills up while the server runs, and the data folder is read-only when it starts (a read-only
//! mount, a volume mounted `ro`, a folder the server's user cannot write). In every case a save
//! that fails says why, nothing saved is lost or corrupted, and the server keeps serving reads.
//!
//! The faults are real: the store lives on a small tmpfs mounted for the test, filled to the
//! last byte or remounted read-only. Mounting needs root with CAP_SYS_ADMIN (CI has it); where
//! `mount` is refused the tests print that they did not run, and pass — they cannot fake a
//! full disk.

use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

mod common;
use common::{Server, agent, bin, root, start};

/// A tmpfs mounted on a folder for the length of a test.
struct Mount(PathBuf);

impl Mount {
    fn tmpfs(dir: &Path, options: &str) -> Option<Mount> {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{e}"));
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "tmpfs"])
            .arg(dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!(
                "cannot mount a tmpfs on {} (needs root with CAP_SYS_ADMIN): this fault test did not run",
                dir.display()
            );
            return None;
        }
        Some(Mount(dir.to_path_buf()))
    }

    fn remount(&self, options: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(&self.0)
            .status()
            .unwrap_or_else(|e| panic!("mount: {e}"));
        assert!(status.success(), "remount {options} failed");
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let ok = Command::new("umount")
            .arg(&self.0)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        }
    }
}

fn send(a: &ureq::Agent, method: &str, url: &str, body: Option<&str>) -> (u16, Value) {
    let r = match (method, body) {
        ("POST", Some(b)) => a
            .post(url)
            .header("content-type", "application/json")
            .send(b),
        ("PUT", Some(b)) => a
            .put(url)
            .header("content-type", "application/json")
            .header("if-match", "1")
            .send(b),
        ("DELETE", _) => a.delete(url).call(),
        _ => a.get(url).call(),
    };
    let mut r = r.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let status = r.status().as_u16();
    let text = r
        .body_mut()
        .read_to_string()
        .unwrap_or_else(|e| panic!("{e}"));
    let v = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, v)
}

/// A scenario of about `pad` bytes: a reform with a long description.
fn scenario(tag: &str, i: usize, pad: usize) -> String {
    let body = serde_json::json!({
        "name": {"en": format!("{tag} {i}"), "zh": format!("測試 {i}")},
        "description": {"en": "x".repeat(pad), "zh": "政".repeat(pad / 3)},
        "changes": {"salaries_tax.allowances.basic": {"2025/26": 132_000 + i}}
    });
    serde_json::json!({"name": format!("{tag} {i}"), "kind": "reform", "body": body}).to_string()
}

/// Saves one scenario; returns its id and body when the server acknowledged it.
fn save(a: &ureq::Agent, server: &Server, req: &str) -> Result<(String, Value), (u16, Value)> {
    let (status, v) = send(
        a,
        "POST",
        &format!("{}/api/v1/scenarios", server.url),
        Some(req),
    );
    match status {
        200 | 201 => Ok((
            v["id"].as_str().unwrap_or_default().to_string(),
            v["body"].clone(),
        )),
        _ => Err((status, v)),
    }
}

/// Every acknowledged save reads back unchanged, and the server still computes.
fn reads_still_work(a: &ureq::Agent, server: &Server, acked: &[(String, Value)]) {
    for (id, body) in acked {
        let (status, v) = send(
            a,
            "GET",
            &format!("{}/api/v1/scenarios/{id}", server.url),
            None,
        );
        assert_eq!(status, 200, "saved scenario {id} does not read: {v}");
        assert_eq!(&v["body"], body, "saved scenario {id} changed");
    }
    let (status, v) = send(
        a,
        "GET",
        &format!("{}/api/v1/scenarios?limit=5", server.url),
        None,
    );
    assert_eq!(status, 200, "the list does not read: {v}");
    let family = std::fs::read_to_string(root().join("examples/family.json"))
        .unwrap_or_else(|e| panic!("{e}"));
    let (status, v) = send(
        a,
        "POST",
        &format!("{}/api/v1/calc/salaries", server.url),
        Some(&family),
    );
    assert_eq!(status, 200, "the calculator stopped: {v}");
    assert!(v["tax_payable"].is_number(), "{v}");
}

/// `PRAGMA integrity_check` on the store file, opened read-only.
fn integrity(db: &Path) -> String {
    let c = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap_or_else(|e| panic!("{}: {e}", db.display()));
    c.query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Every file in `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap_or_else(|err| panic!("{err}")),
            )
        })
        .collect()
}

/// Asks the server to stop as a service manager would (SIGTERM) and waits for it.
fn stop(mut server: Server) {
    let pid = server.child.id().to_string();
    let _ = Command::new("kill").args(["-TERM", &pid]).status();
    for _ in 0..200 {
        if let Ok(Some(_)) = server.child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the server did not stop on SIGTERM");
}

#[test]
fn a_full_disk_refuses_saves_clearly_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().join("data");
    let Some(_mount) = Mount::tmpfs(&data, "size=4m") else {
        return;
    };
    let db = data.join("store.sqlite");
    let server = start(
        &db.display().to_string(),
        &dir.path().join("cache"),
        &["--no-preload"],
    );
    let a = agent();
    let mut acked = Vec::new();
    for i in 0..10 {
        acked.push(
            save(&a, &server, &scenario("before", i, 2_000))
                .unwrap_or_else(|(s, v)| panic!("save {i} before the disk filled: {s} {v}")),
        );
    }

    // Fill the disk to the last byte.
    let mut filler = std::fs::File::create(data.join("filler")).unwrap_or_else(|e| panic!("{e}"));
    let chunk = vec![0u8; 4096];
    while filler.write_all(&chunk).is_ok() {}
    let _ = filler.sync_all();

    // Saves go on until SQLite needs a page it cannot have (the WAL may have room left).
    let mut refused = None;
    for i in 0..200 {
        match save(&a, &server, &scenario("full", i, 60_000)) {
            Ok(saved) => acked.push(saved),
            Err(e) => {
                refused = Some(e);
                break;
            }
        }
    }
    let (status, v) = refused.unwrap_or_else(|| panic!("200 saves of 60 KB fitted a full disk"));
    assert_eq!(status, 507, "a save on a full disk: {v}");
    assert_eq!(v["code"], "store_full", "{v}");
    let en = v["message"]["en"].as_str().unwrap_or_default();
    assert!(
        en.contains("disk is full") && en.contains("nothing was saved"),
        "{en}"
    );
    assert!(
        v["message"]["zh"]
            .as_str()
            .unwrap_or_default()
            .contains("磁碟已滿"),
        "{v}"
    );
    // A second attempt fails the same way (the store did not wedge into another state).
    let (status, v) = save(&a, &server, &scenario("full again", 0, 60_000))
        .err()
        .unwrap_or_else(|| panic!("a save fitted after the disk was full"));
    assert_eq!(
        (status, v["code"].as_str()),
        (507, Some("store_full")),
        "{v}"
    );
    reads_still_work(&a, &server, &acked);

    // Space comes back: saves work again without a restart.
    drop(filler);
    std::fs::remove_file(data.join("filler")).unwrap_or_else(|e| panic!("{e}"));
    acked.push(
        save(&a, &server, &scenario("after", 0, 60_000))
            .unwrap_or_else(|(s, v)| panic!("a save after space was freed: {s} {v}")),
    );

    // Killed without warning; the file is sound and every acknowledged save is in it.
    drop(server);
    assert_eq!(integrity(&db), "ok");
    let server = start(
        &db.display().to_string(),
        &dir.path().join("cache"),
        &["--no-preload"],
    );
    reads_still_work(&a, &server, &acked);
    let (_, v) = send(&a, "GET", &format!("{}/api/v1/version", server.url), None);
    assert_eq!(v["store_writable"], true, "{v}");
}

#[test]
fn a_read_only_data_folder_serves_reads_and_refuses_saves() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().join("data");
    let Some(mount) = Mount::tmpfs(&data, "size=16m") else {
        return;
    };
    let db = data.join("store.sqlite");
    let db_arg = db.display().to_string();
    let cache = dir.path().join("cache");
    let a = agent();

    // Saved, then the server stopped cleanly (one file at rest), then the folder made read-only.
    let server = start(&db_arg, &cache, &["--no-preload"]);
    let mut acked: Vec<(String, Value)> = (0..5)
        .map(|i| {
            save(&a, &server, &scenario("clean", i, 500))
                .unwrap_or_else(|(s, v)| panic!("save {i}: {s} {v}"))
        })
        .collect();
    stop(server);
    // Then more saves and `kill -9`: the WAL and its index are left beside the file.
    let server = start(&db_arg, &cache, &["--no-preload"]);
    for i in 0..5 {
        acked.push(
            save(&a, &server, &scenario("killed", i, 500))
                .unwrap_or_else(|(s, v)| panic!("save {i}: {s} {v}")),
        );
    }
    drop(server);
    mount.remount("ro");
    let before = snapshot(&data);
    assert!(
        before.keys().any(|k| k.ends_with("-wal")),
        "the killed server left no WAL: {:?}",
        before.keys()
    );

    let server = start(&db_arg, &cache, &["--no-preload"]);
    let (_, v) = send(&a, "GET", &format!("{}/api/v1/version", server.url), None);
    assert_eq!(v["store_writable"], false, "{v}");
    reads_still_work(&a, &server, &acked);
    let scenarios = format!("{}/api/v1/scenarios", server.url);
    let one = format!("{scenarios}/{}", acked[0].0);
    let attempts = [
        ("POST", scenarios.as_str(), Some(scenario("ro", 0, 10))),
        ("PUT", one.as_str(), Some(scenario("ro", 1, 10))),
        ("DELETE", one.as_str(), None),
    ];
    for (method, url, body) in attempts {
        let (status, v) = send(&a, method, url, body.as_deref());
        assert_eq!(status, 503, "{method} on a read-only store: {v}");
        assert_eq!(v["code"], "store_read_only", "{v}");
        let en = v["message"]["en"].as_str().unwrap_or_default();
        assert!(en.contains("read-only"), "{en}");
    }
    reads_still_work(&a, &server, &acked);
    stop(server);
    assert_eq!(snapshot(&data), before, "a read-only store's files changed");

    // Made writable again, the same store takes saves and still holds everything.
    mount.remount("rw");
    let server = start(&db_arg, &cache, &["--no-preload"]);
    acked.push(
        save(&a, &server, &scenario("rw again", 0, 500))
            .unwrap_or_else(|(s, v)| panic!("a save after the folder became writable: {s} {v}")),
    );
    reads_still_work(&a, &server, &acked);
    stop(server);
    assert_eq!(integrity(&db), "ok");
}

#[test]
fn a_read_only_folder_without_a_store_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().join("data");
    let Some(_mount) = Mount::tmpfs(&data, "size=1m,ro") else {
        return;
    };
    let out = Command::new(bin())
        .args(["serve", "--addr", "127.0.0.1:0", "--no-preload", "--db"])
        .arg(data.join("store.sqlite"))
        .env("HKBUDGET_CACHE", dir.path().join("cache"))
        .env_remove("HKBUDGET_TOKEN")
        .env_remove("HKBUDGET_DB")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--db") && err.contains("read-only") && err.contains("store.sqlite"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}
