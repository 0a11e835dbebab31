//! The web lab's typed client is generated from `web/openapi.json`; this keeps that file equal
//! to the document the server serves, so the page and the server cannot drift apart. After a
//! change to the API: `UPDATE_OPENAPI=1 cargo test -p hkb-server --test openapi_file`, then
//! `npm run build` in `web/` regenerates the types (a field the page uses that changed breaks it).

#[test]
fn the_web_labs_copy_of_the_openapi_document_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../web/openapi.json");
    let mut now = serde_json::to_string_pretty(hkb_server::openapi_document()).unwrap_or_default();
    now.push('\n');
    if std::env::var("UPDATE_OPENAPI").is_ok() {
        std::fs::write(path, &now).unwrap_or_else(|e| panic!("{e}"));
        return;
    }
    let saved = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        saved == now,
        "web/openapi.json differs from the server's document: run UPDATE_OPENAPI=1 cargo test -p hkb-server --test openapi_file"
    );
}
