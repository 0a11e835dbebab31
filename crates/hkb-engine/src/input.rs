//! Reading requests and files: YAML or JSON text into typed values, with the field at fault as a
//! JSON pointer and the message in both languages. Every front end reads through here, so a
//! situation file, an API body and a Python dict fail the same way.

use crate::error::{EngineError, ErrorCode, pointer_escape};
use serde::de::DeserializeOwned;

/// The largest input text accepted (a request body or a file), in bytes.
pub const MAX_INPUT_BYTES: usize = 1 << 20;

/// Parses YAML (of which JSON is a subset) into `T`.
pub fn from_yaml<T: DeserializeOwned>(text: &str) -> Result<T, EngineError> {
    check_size(text)?;
    if text.trim().is_empty() {
        return Err(EngineError::new(
            ErrorCode::Malformed,
            "",
            "the input is empty",
            "輸入內容為空",
        ));
    }
    check_nesting(text)?;
    let de = serde_yaml_ng::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let field = pointer(e.path());
        let inner = e.into_inner();
        let location = inner.location().map(|l| (l.line(), l.column()));
        serde_error(field, &inner.to_string(), location)
    })
}

/// Parses JSON into `T`.
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, EngineError> {
    check_size(text)?;
    let mut de = serde_json::Deserializer::from_str(text);
    let v = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let field = pointer(e.path());
        let inner = e.into_inner();
        let location = (inner.line() > 0).then(|| (inner.line(), inner.column()));
        serde_error(field, &inner.to_string(), location)
    })?;
    de.end()
        .map_err(|e| serde_error(String::new(), &e.to_string(), Some((e.line(), e.column()))))?;
    Ok(v)
}

/// Converts a JSON value (a request built in code, a Python dict) into `T`.
pub fn from_value<T: DeserializeOwned>(v: serde_json::Value) -> Result<T, EngineError> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let field = pointer(e.path());
        serde_error(field, &e.into_inner().to_string(), None)
    })
}

/// Marks a nested error with the JSON pointer where it happened, so the outer reader (which sees
/// only a message) can still name the field: `@@/taxpayer/salary@@ unknown field …`.
pub(crate) fn with_pointer<E: std::fmt::Display>(
    prefix: &str,
    e: &serde_path_to_error::Error<E>,
) -> String {
    let inner = e.inner().to_string();
    // A nested marker already carries the full pointer below this level.
    if let Some(rest) = inner.strip_prefix("@@") {
        return format!("@@{prefix}{}{rest}", pointer(e.path()));
    }
    format!("@@{prefix}{}@@ {inner}", pointer(e.path()))
}

/// The deepest nesting of `[` and `{` accepted in YAML, as serde_json's own limit for JSON.
pub const MAX_NESTING: usize = 128;

/// Refuses flow collections nested deeper than [`MAX_NESTING`] before the YAML parser sees them
/// (its scanner slows down with the depth: 100,000 levels took longer than any request may).
/// Brackets inside quotes and comments do not count.
fn check_nesting(text: &str) -> Result<(), EngineError> {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut quote: Option<char> = None;
    let (mut comment, mut escaped) = (false, false);
    let mut previous = '\n';
    for c in text.chars() {
        match (quote, c) {
            _ if comment => comment = c != '\n',
            (Some('"'), _) if escaped => escaped = false,
            (Some('"'), '\\') => escaped = true,
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            // A quote opens a quoted scalar only where one may start (not in `don't`).
            (None, '"' | '\'')
                if matches!(previous, ' ' | '\t' | '\n' | ':' | ',' | '[' | '{' | '-') =>
            {
                quote = Some(c)
            }
            (None, '#') if previous.is_whitespace() => comment = true,
            (None, '[' | '{') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        previous = c;
    }
    if deepest > MAX_NESTING {
        return Err(EngineError::too_large(
            "",
            format!(
                "the input nests lists or mappings {deepest} levels deep; at most {MAX_NESTING} are accepted"
            ),
            format!("輸入的列表或對應表嵌套 {deepest} 層；上限為 {MAX_NESTING} 層"),
        ));
    }
    Ok(())
}

fn check_size(text: &str) -> Result<(), EngineError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(EngineError::too_large(
            "",
            format!(
                "the input is {} bytes; at most {MAX_INPUT_BYTES} bytes (1 MiB) are accepted",
                text.len()
            ),
            format!(
                "輸入有 {} 位元組；上限為 {MAX_INPUT_BYTES} 位元組（1 MiB）",
                text.len()
            ),
        ));
    }
    Ok(())
}

fn pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => out.push_str(&format!("/{}", pointer_escape(key))),
            Segment::Enum { variant } => out.push_str(&format!("/{}", pointer_escape(variant))),
            Segment::Unknown => {}
        }
    }
    out
}

/// Text between the first pair of backticks after `marker`.
fn ticked<'a>(msg: &'a str, marker: &str) -> Option<&'a str> {
    let rest = &msg[msg.find(marker)? + marker.len()..];
    let start = rest.find('`')? + 1;
    let end = rest[start..].find('`')? + start;
    Some(&rest[start..end])
}

/// A serde message as an engine error: the field (completed with the unknown or missing key),
/// and a Chinese rendering of the common messages.
fn serde_error(mut field: String, msg: &str, location: Option<(usize, usize)>) -> EngineError {
    // A field marked by a nested reader (see `with_pointer`) is the full path of the problem.
    let mut msg = msg.to_string();
    if let Some(rest) = msg.strip_prefix("@@")
        && let Some((pointer, rest)) = rest.split_once("@@ ")
    {
        field = format!("{field}{pointer}");
        msg = rest.to_string();
    }
    // Drop serde_yaml's own path prefix ("taxpayer.salary: …") and location suffix: the field
    // pointer says where, and the location is added once below.
    let mut en = msg.clone();
    if let Some(i) = en.find(" at line ") {
        en.truncate(i);
    }
    if let Some((head, rest)) = en.split_once(": ")
        && !head.contains(' ')
        && !head.is_empty()
        && (head.contains('.') || head.contains('[') || field.ends_with(head))
    {
        en = rest.to_string();
    }
    let mut allowed = None;
    let name_field = |field: &mut String, name: &str| {
        let seg = format!("/{}", pointer_escape(name));
        if !field.ends_with(&seg) {
            field.push_str(&seg);
        }
    };
    let zh = if let Some(name) = ticked(&en, "unknown field") {
        name_field(&mut field, name);
        let expected = en
            .split_once("expected one of ")
            .map(|(_, e)| e.replace('`', ""))
            .or_else(|| en.split_once("expected ").map(|(_, e)| e.replace('`', "")));
        allowed = expected.clone();
        match expected {
            Some(e) => format!("未知欄位「{name}」；可用欄位：{e}"),
            None => format!("未知欄位「{name}」（此處不接受任何欄位）"),
        }
    } else if let Some(name) = ticked(&en, "missing field") {
        name_field(&mut field, name);
        format!("缺少欄位「{name}」")
    } else if let Some(name) = ticked(&en, "unknown variant") {
        let expected = en
            .split_once("expected one of ")
            .or_else(|| en.split_once("expected "))
            .map(|(_, e)| e.replace('`', ""));
        allowed = expected.clone();
        format!(
            "未知選項「{name}」{}",
            expected.map(|e| format!("；可用：{e}")).unwrap_or_default()
        )
    } else if let Some(rest) = en.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        format!(
            "類型錯誤：收到{}，應為{}",
            zh_kind(found),
            zh_expected(expected)
        )
    } else if let Some(rest) = en.strip_prefix("invalid value: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        format!(
            "數值無效：收到{}，應為{}",
            zh_kind(found),
            zh_expected(expected)
        )
    } else if let Some(rest) = en.strip_prefix("invalid length ") {
        format!("長度無效：{rest}")
    } else {
        zh_custom(&en)
    };
    let (en, zh) = match location {
        Some((line, col)) if line > 0 => (
            format!("{en} (line {line}, column {col})"),
            format!("{zh}（第 {line} 行第 {col} 列）"),
        ),
        _ => (en, zh),
    };
    let code = if zh.starts_with("數值無效")
        || en.contains("must not be negative")
        || en.contains("is too large")
        || en.contains("not plausible")
        || en.contains("is not a usable")
        || en.contains("unsupported year")
    {
        ErrorCode::Invalid
    } else {
        ErrorCode::Malformed
    };
    EngineError {
        code,
        field,
        message: hkb_law::Bilingual::new(en, zh),
        allowed,
    }
}

/// What serde says it found, in Chinese.
fn zh_kind(found: &str) -> String {
    let f = found.trim();
    for (en, zh) in [
        ("string ", "文字 "),
        ("integer ", "整數 "),
        ("floating point ", "數字 "),
        ("boolean ", "是非值 "),
        ("character ", "字元 "),
    ] {
        if let Some(v) = f.strip_prefix(en) {
            return format!("{zh}{v}");
        }
    }
    match f {
        "map" => "對應表（mapping）".into(),
        "sequence" => "列表".into(),
        "null" | "unit value" => "空值（null）".into(),
        "unit" => "空值".into(),
        other => format!("「{other}」"),
    }
}

/// What serde says it expected, in Chinese (the engine's own visitors first).
fn zh_expected(expected: &str) -> String {
    let e = expected.trim();
    let known: &[(&str, &str)] = &[
        (
            "an amount in HK$ (a number, 0 or more)",
            "港元金額（0或以上的數字）",
        ),
        (
            "an amount in HK$ (a number; negative for a loss)",
            "港元金額（數字；虧損為負數）",
        ),
        ("an amount in HK$ (a number)", "港元金額（數字）"),
        (
            "an amount in HK$ or a list of amounts (one per person)",
            "港元金額或金額列表（每人一項）",
        ),
        (
            "a number of children, or a list like [{born_in_year: true}, {disabled: false}]",
            "子女數目，或子女列表",
        ),
        (
            "a text, or a mapping {en: …, zh: …}",
            "文字，或 {en: …, zh: …} 對應表",
        ),
        ("a string", "文字"),
        ("a boolean", "是非值（true 或 false）"),
        ("a sequence", "列表"),
        ("a map", "對應表（mapping）"),
        ("f64", "數字"),
        ("u32", "非負整數"),
        ("u64", "非負整數"),
        ("u16", "非負整數"),
        ("u8", "非負整數"),
        ("usize", "非負整數"),
        ("i64", "整數"),
    ];
    for (en, zh) in known {
        if e == *en {
            return (*zh).to_string();
        }
    }
    if e == "struct EnAndZh" {
        return "{en: …, zh: …} 對應表（英文及中文）".into();
    }
    if let Some(name) = e.strip_prefix("struct ") {
        return format!("對應表（{name}）");
    }
    if e.starts_with("a ") || e.starts_with("an ") {
        return format!("「{e}」");
    }
    format!("「{e}」")
}

/// The engine's own custom messages (amount visitors, dates, years), in Chinese.
fn zh_custom(en: &str) -> String {
    if let Some(rest) = en.strip_prefix("must not be negative (found ") {
        let v = rest.split(')').next().unwrap_or("");
        return format!("不可為負數（現為 {v}）；金額須為0或以上");
    }
    if let Some(i) = en.find(" is too large") {
        return format!(
            "{} 太大（金額上限為 {} 元）",
            &en[..i],
            hkb_law::money::group_thousands(hkb_law::Money::MAX_INPUT_DOLLARS * 100)
                .trim_end_matches(".00")
        );
    }
    if let Some(i) = en.find(" is not a usable amount") {
        return format!("{} 並非可用的金額", &en[..i]);
    }
    if en.contains("is not a year of assessment") {
        return "並非課稅年度；請寫成 2024/25 的格式".into();
    }
    if en.contains("is not a financial year") {
        return "並非財政年度；請寫成 2025-26 的格式".into();
    }
    if en.contains("is not a date") {
        return "並非日期；請寫成 2024-02-28 的格式".into();
    }
    if let Some(rest) = en
        .strip_prefix("year: unsupported year of assessment ")
        .or_else(|| en.strip_prefix("unsupported year of assessment "))
    {
        return format!("不支援的課稅年度 {rest}").replace(": supported years are", "：可用年度為");
    }
    if en.contains("is not plausible") {
        return format!("數值不合理（{en}）");
    }
    if en.contains("is not a rate") {
        return "並非比率：請以小數寫成，最多六位小數（15% 寫作 0.15）".into();
    }
    if en.contains("EOF while parsing") || en.contains("end of") {
        return "內容不完整（檔案或請求在中途結束）".into();
    }
    if en.contains("expected value")
        || en.contains("expected `")
        || en.contains("did not find expected")
        || en.contains("mapping values are not allowed")
        || en.contains("found character")
        || en.contains("trailing characters")
        || en.contains("key must be a string")
    {
        return format!("格式錯誤（{en}）");
    }
    format!("輸入無效（{en}）")
}

/// A Chinese rendering of the law crate's reform messages (the common shapes).
pub(crate) fn zh_of_reform_message(en: &str) -> String {
    if en.starts_with("unknown parameter path") {
        let path = ticked_quote(en).unwrap_or_default();
        let hint = en
            .split_once("did you mean ")
            .map(|(_, h)| {
                format!(
                    "；是否指 {}？",
                    h.trim_end_matches('?').replace(" or ", "、")
                )
            })
            .unwrap_or_default();
        return format!("未知參數路徑「{path}」{hint}");
    }
    if en.contains("`changes` is empty") {
        return "`changes` 為空：請最少列出一個參數路徑".into();
    }
    if en.contains("between 0 and 1") {
        return format!("比率須介乎0至1（{en}）");
    }
    if en.contains("overlaps") {
        return format!("期間重疊（{en}）");
    }
    if en.contains("is not a year of assessment")
        || en.contains("is not a financial year")
        || en.contains("is not a date")
    {
        return format!("期間格式錯誤（{en}）");
    }
    if en.contains("expected a mapping of periods") {
        return "應為「期間 → 數值」的對應表，例如 {2025/26: ...}".into();
    }
    format!("改革方案無效（{en}）")
}

fn ticked_quote(s: &str) -> Option<String> {
    let start = s.find('\'')? + 1;
    let end = s[start..].find('\'')? + start;
    Some(s[start..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hkb_rules::Situation;

    #[test]
    fn unknown_and_missing_fields_are_named() {
        let e = from_yaml::<Situation>("year: 2024/25\ntaxpayer: {salary: 1}\n")
            .err()
            .unwrap_or_else(|| panic!("accepted"));
        assert_eq!(e.field, "/taxpayer/salary");
        assert!(e.message.zh.contains("未知欄位"), "{e:?}");
        assert_eq!(e.code, ErrorCode::Malformed);
        let e = from_yaml::<Situation>("taxpayer: {}\n")
            .err()
            .unwrap_or_else(|| panic!("accepted"));
        assert_eq!(e.field, "/year");
    }

    #[test]
    fn bad_amounts_name_the_field_in_both_languages() {
        let e = from_yaml::<Situation>(
            "year: 2024/25\ntaxpayer: {employment_income: 90000000000000000}\n",
        )
        .err()
        .unwrap_or_else(|| panic!("accepted"));
        assert_eq!(e.field, "/taxpayer/employment_income");
        assert!(e.message.en.contains("too large"), "{e:?}");
        assert!(e.message.zh.contains("太大"), "{e:?}");
        let e = from_json::<Situation>(r#"{"year":"2024/25","taxpayer":{"employment_income":-5}}"#)
            .err()
            .unwrap_or_else(|| panic!("accepted"));
        assert_eq!(e.field, "/taxpayer/employment_income");
        assert!(e.message.zh.contains("負數"), "{e:?}");
        let e =
            from_json::<Situation>(r#"{"year":"2024/25","taxpayer":{"employment_income":"abc"}}"#)
                .err()
                .unwrap_or_else(|| panic!("accepted"));
        assert!(e.message.zh.contains("類型錯誤"), "{e:?}");
    }

    #[test]
    fn malformed_and_oversized_text_is_refused() {
        assert!(from_json::<Situation>("{").is_err());
        assert!(from_yaml::<Situation>("").is_err());
        assert!(from_json::<Situation>(r#"{"year":"2024/25"} trailing"#).is_err());
        let big = " ".repeat(MAX_INPUT_BYTES + 1);
        assert_eq!(
            from_yaml::<Situation>(&big).err().map(|e| e.code),
            Some(ErrorCode::TooLarge)
        );
    }
}
