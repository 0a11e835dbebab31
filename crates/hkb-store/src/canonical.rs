//! Content ids: the same scenario (kind, name, and body up to whitespace and key order) gets the
//! same id, whatever the order of its keys or its spacing.

use crate::{ScenarioKind, StoreError};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// JSON text with object keys sorted and no whitespace (numbers and strings as serde_json
/// writes them).
pub fn canonical_json(text: &str) -> Result<String, StoreError> {
    let v: Value = serde_json::from_str(text)
        .map_err(|e| StoreError::Invalid(format!("body: not JSON ({e})")))?;
    let mut out = String::with_capacity(text.len());
    write(&v, &mut out);
    Ok(out)
}

fn write(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                if let Some(x) = m.get(k) {
                    write(x, out);
                }
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(x, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// The content id: 20 hex digits (80 bits) of SHA-256 over the kind, the name and the canonical
/// body.
pub fn content_id(kind: ScenarioKind, name: &str, body: &str) -> Result<String, StoreError> {
    let mut h = Sha256::new();
    h.update(kind.as_str().as_bytes());
    h.update([0]);
    h.update(name.as_bytes());
    h.update([0]);
    h.update(canonical_json(body)?.as_bytes());
    let digest = h.finalize();
    Ok(digest[..10].iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_order_and_spacing_do_not_change_the_id() {
        let a = content_id(
            ScenarioKind::Reform,
            "x",
            r#"{"b": 1, "a": [1, {"d": 2, "c": 3}]}"#,
        );
        let b = content_id(
            ScenarioKind::Reform,
            "x",
            r#"{"a":[1,{"c":3,"d":2}],"b":1}"#,
        );
        assert_eq!(a.ok(), b.ok());
        let c = content_id(
            ScenarioKind::Package,
            "x",
            r#"{"a":[1,{"c":3,"d":2}],"b":1}"#,
        );
        assert_ne!(
            c.ok(),
            content_id(ScenarioKind::Reform, "x", r#"{"b":1}"#).ok()
        );
        assert!(content_id(ScenarioKind::Reform, "x", "{").is_err());
    }
}
