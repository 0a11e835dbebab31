//! The one error every engine operation returns: a code, the field at fault (a JSON pointer into
//! the request), a message in both languages and, where there is a list, what is allowed.
//! No front-end vocabulary: a command line maps fields to its flags, a server to a status code.

use hkb_law::{Bilingual, LawError};
use hkb_microsim::SimError;
use hkb_proposals::ProposalError;
use hkb_rules::input::InputError;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What kind of problem it is (a server maps it to an HTTP status).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Not well formed: a syntax error, a wrong type, an unknown or missing field.
    Malformed,
    /// Well formed, but a value is not allowed (negative, out of range, inconsistent).
    Invalid,
    /// Something named does not exist: a year, vintage, parameter, proposal or scenario.
    NotFound,
    /// Larger than the engine's limits (persons, paths, expression size, file size).
    TooLarge,
    /// The engine's own data or a computation failed: a bug, never the caller's fault.
    Internal,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema, thiserror::Error)]
#[error("{}", self.render(hkb_law::Lang::En))]
pub struct EngineError {
    pub code: ErrorCode,
    /// A JSON pointer into the request (`/taxpayer/employment_income`); empty for the request as
    /// a whole.
    pub field: String,
    pub message: Bilingual,
    /// The allowed values or range, where there is a short list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed: Option<String>,
}

impl EngineError {
    pub fn new(
        code: ErrorCode,
        field: impl Into<String>,
        en: impl Into<String>,
        zh: impl Into<String>,
    ) -> EngineError {
        EngineError {
            code,
            field: field.into(),
            message: Bilingual::new(en.into(), zh.into()),
            allowed: None,
        }
    }
    pub fn invalid(field: impl Into<String>, en: impl Into<String>, zh: impl Into<String>) -> Self {
        Self::new(ErrorCode::Invalid, field, en, zh)
    }
    pub fn not_found(
        field: impl Into<String>,
        en: impl Into<String>,
        zh: impl Into<String>,
    ) -> Self {
        Self::new(ErrorCode::NotFound, field, en, zh)
    }
    pub fn too_large(
        field: impl Into<String>,
        en: impl Into<String>,
        zh: impl Into<String>,
    ) -> Self {
        Self::new(ErrorCode::TooLarge, field, en, zh)
    }
    pub fn internal(en: impl Into<String>) -> Self {
        let en = en.into();
        Self::new(
            ErrorCode::Internal,
            "",
            en.clone(),
            format!("內部錯誤：{en}"),
        )
    }
    pub fn with_allowed(mut self, allowed: impl Into<String>) -> Self {
        self.allowed = Some(allowed.into());
        self
    }
    /// The same error with its field placed under `prefix` (a JSON pointer).
    pub fn under(mut self, prefix: &str) -> Self {
        self.field = format!("{prefix}{}", self.field);
        self
    }
    /// The field as a reader writes it: `buyers[0].kind` for `/buyers/0/kind`.
    pub fn field_path(&self) -> String {
        if !self.field.starts_with('/') {
            return self.field.clone();
        }
        let mut out = String::new();
        for seg in self.field.split('/').skip(1) {
            let seg = seg.replace("~1", "/").replace("~0", "~");
            if !seg.is_empty() && seg.chars().all(|c| c.is_ascii_digit()) {
                out.push_str(&format!("[{seg}]"));
            } else {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(&seg);
            }
        }
        out
    }

    /// "field: message" in one language, with the allowed values.
    pub fn render(&self, lang: hkb_law::Lang) -> String {
        let field = self.field_path();
        let mut s = if field.is_empty() {
            self.message.pick(lang).to_string()
        } else {
            format!("{field}: {}", self.message.pick(lang))
        };
        if let Some(a) = &self.allowed
            && !s.contains(a.as_str())
        {
            s.push_str(if lang.is_zh() {
                "（可用："
            } else {
                " (allowed: "
            });
            s.push_str(a);
            s.push_str(if lang.is_zh() { "）" } else { ")" });
        }
        s
    }
    pub fn is_internal(&self) -> bool {
        self.code == ErrorCode::Internal
    }
}

impl From<InputError> for EngineError {
    fn from(e: InputError) -> Self {
        EngineError::invalid(e.field, e.en, e.zh)
    }
}

impl From<ProposalError> for EngineError {
    fn from(e: ProposalError) -> Self {
        match e {
            ProposalError::Input {
                field,
                en,
                zh,
                allowed,
            } => {
                let code = if en.starts_with("unknown proposal") {
                    ErrorCode::NotFound
                } else {
                    ErrorCode::Invalid
                };
                EngineError {
                    code,
                    field,
                    message: Bilingual::new(en, zh),
                    allowed,
                }
            }
            ProposalError::Invalid(m) => EngineError::internal(m),
        }
    }
}

impl From<hkb_fiscal::FiscalError> for EngineError {
    fn from(e: hkb_fiscal::FiscalError) -> Self {
        match e {
            hkb_fiscal::FiscalError::Input { field, en, zh } => {
                let code = if en.starts_with("unknown vintage") {
                    ErrorCode::NotFound
                } else if en.contains("more than the limit") {
                    ErrorCode::TooLarge
                } else {
                    ErrorCode::Invalid
                };
                EngineError::new(code, field, en, zh)
            }
            hkb_fiscal::FiscalError::Data(m) => EngineError::internal(m),
        }
    }
}

impl From<SimError> for EngineError {
    fn from(e: SimError) -> Self {
        match e {
            SimError::Input { field, en, zh } => EngineError::invalid(field, en, zh),
            SimError::Law(l) => l.into(),
            other => EngineError::internal(other.to_string()),
        }
    }
}

/// Law errors from a reform name the change at fault (`/reform/changes/<path>`); errors of the
/// tree itself (a broken `--params` folder) are the caller's too, naming the file.
impl From<LawError> for EngineError {
    fn from(e: LawError) -> Self {
        match e {
            LawError::Reform {
                origin: _,
                path,
                message,
            } => {
                let field = match &path {
                    Some(p) => format!("/reform/changes/{}", pointer_escape(p)),
                    None => "/reform".to_string(),
                };
                let code = if message.starts_with("unknown parameter path") {
                    ErrorCode::NotFound
                } else {
                    ErrorCode::Invalid
                };
                let zh = crate::input::zh_of_reform_message(&message);
                EngineError::new(code, field, message, zh)
            }
            LawError::UnsupportedYear { year, supported } => EngineError::not_found(
                "/year",
                format!("unsupported year of assessment {year}: supported years are {supported}"),
                format!("不支援 {year} 課稅年度：可用年度為 {supported}"),
            )
            .with_allowed(supported),
            LawError::Io { file, message } => EngineError::invalid(
                "",
                format!("{file}: {message}"),
                format!("{file}：{message}"),
            ),
            LawError::Invalid {
                file,
                line,
                message,
            } => EngineError::invalid(
                "",
                format!("{file}, line {line}: {message}"),
                format!("{file} 第 {line} 行：{message}"),
            ),
            other => EngineError::internal(other.to_string()),
        }
    }
}

/// Escapes a JSON-pointer segment (RFC 6901).
pub fn pointer_escape(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}
