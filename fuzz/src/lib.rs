//! What the fuzz targets share: one `Lab` per process (the embedded law, catalogue and fiscal
//! data; populations built in memory only if a target asks for one), and the bytes as text the
//! way the command line and the server take them (UTF-8 or refused).

use hkb_engine::{Lab, LabOptions, Limits};
use std::sync::OnceLock;

pub fn lab() -> &'static Lab {
    static LAB: OnceLock<Lab> = OnceLock::new();
    LAB.get_or_init(|| {
        Lab::new(LabOptions {
            law: None,
            cache_dir: None,
            limits: Limits::default(),
        })
        .unwrap_or_else(|e| panic!("the embedded world does not load: {e}"))
    })
}

/// The input as text, as the readers take it (they refuse what is not UTF-8 before parsing).
pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// Every error the engine returns for user input must name what it is about or be about the
/// whole input, and carry a message in both languages.
pub fn check_error(e: &hkb_engine::EngineError) {
    assert!(
        !e.message.en.is_empty() && !e.message.zh.is_empty(),
        "{e:?}"
    );
    assert!(
        !matches!(e.code, hkb_engine::ErrorCode::Internal),
        "an internal error on user input: {e:?}"
    );
}
