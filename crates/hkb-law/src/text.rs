//! The shared vocabulary of every crate: text in both languages, where a figure was published,
//! and how firm it is.
//!
//! One `Source` type and one `Status` vocabulary serve the law, the microsimulation's inputs,
//! the proposals' costing parameters and the fiscal data, so every figure a user sees can carry
//! the same provenance badge.

use schemars::JsonSchema;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// A language a user reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Traditional Chinese (繁體中文).
    Zh,
}

impl Lang {
    pub fn is_zh(self) -> bool {
        self == Lang::Zh
    }
    /// Picks the text for this language.
    pub fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

/// Text in both languages a user may read. Labels compiled into the rules are borrowed
/// (no allocation when a million records are computed without a trace); text from files is owned.
#[derive(Clone, Debug, Serialize, PartialEq, Eq, Hash, JsonSchema)]
pub struct Bilingual {
    pub en: Cow<'static, str>,
    pub zh: Cow<'static, str>,
}

impl Bilingual {
    /// Text fixed at compile time.
    pub const fn fixed(en: &'static str, zh: &'static str) -> Bilingual {
        Bilingual {
            en: Cow::Borrowed(en),
            zh: Cow::Borrowed(zh),
        }
    }
    pub fn new(en: impl Into<Cow<'static, str>>, zh: impl Into<Cow<'static, str>>) -> Bilingual {
        Bilingual {
            en: en.into(),
            zh: zh.into(),
        }
    }
    /// Language-neutral text (figures such as "2 × 130,000"), the same in both languages.
    pub fn neutral(s: impl Into<String>) -> Bilingual {
        let s: String = s.into();
        Bilingual {
            en: Cow::Owned(s.clone()),
            zh: Cow::Owned(s),
        }
    }
    pub fn pick(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
    pub fn is_complete(&self) -> bool {
        !self.en.trim().is_empty() && !self.zh.trim().is_empty()
    }
}

impl fmt::Display for Bilingual {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {}", self.en, self.zh)
    }
}

/// Strict: both `en` and `zh`, nothing else.
impl<'de> Deserialize<'de> for Bilingual {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Named for the message a wrong type gets ("expected struct EnAndZh").
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct EnAndZh {
            en: String,
            zh: String,
        }
        let r = EnAndZh::deserialize(d)?;
        Ok(Bilingual::new(r.en, r.zh))
    }
}

/// A name a user wrote: `{en: …, zh: …}`, or one text used for both languages.
pub fn bilingual_or_text<'de, D: Deserializer<'de>>(d: D) -> Result<Bilingual, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Bilingual;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a text, or a mapping {en: …, zh: …}")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Bilingual, E> {
            Ok(Bilingual::neutral(v))
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Bilingual, A::Error> {
            Bilingual::deserialize(de::value::MapAccessDeserializer::new(map))
        }
    }
    d.deserialize_any(V)
}

/// The optional form of [`bilingual_or_text`].
pub fn opt_bilingual_or_text<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Bilingual>, D::Error> {
    #[derive(Deserialize)]
    struct Wrap(#[serde(deserialize_with = "bilingual_or_text")] Bilingual);
    Ok(Option::<Wrap>::deserialize(d)?.map(|w| w.0))
}

/// Where a figure was published.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub document: String,
    /// Empty only for an explicit assumption that has no source.
    #[serde(default)]
    pub url: String,
    /// Publication date of the source where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

impl Source {
    pub fn has_url(&self) -> bool {
        self.url.starts_with("https://") || self.url.starts_with("http://")
    }
}

/// `document (date) url`, leaving out what is missing.
impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.document)?;
        if let Some(d) = &self.date {
            write!(f, " ({d})")?;
        }
        if !self.url.is_empty() {
            write!(f, " {}", self.url)?;
        }
        Ok(())
    }
}

/// How firm a figure is: one vocabulary for the law, the populations' inputs, the costings and
/// the public finances. Each loader accepts the subset that makes sense for it.
#[derive(
    Clone,
    Copy,
    Debug,
    Deserialize,
    Serialize,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Law: enacted or in force according to an official source.
    #[default]
    Enacted,
    /// Law: announced in a Budget; enactment not confirmed in the sources held.
    Proposed,
    /// Only a non-official source was found.
    Secondary,
    /// No source exists; an explicit modelling assumption.
    Assumption,
    /// Set by a reform, not the law.
    Reform,
    /// An official statistic or figure, as published.
    Published,
    /// Computed from published figures by a stated method.
    Derived,
    /// Public finances: an outturn.
    Actual,
    /// Public finances: a revised estimate.
    Revised,
    /// Public finances: a Budget estimate.
    Estimate,
    /// Public finances: an official forecast or projection.
    Projection,
    /// A value of the user's scenario.
    Scenario,
    /// No figure: the source has a gap here.
    Missing,
}

impl Status {
    /// Firm law, or a figure exactly as an official source published it.
    pub fn is_firm(self) -> bool {
        matches!(
            self,
            Status::Enacted
                | Status::Published
                | Status::Actual
                | Status::Revised
                | Status::Estimate
                | Status::Projection
        )
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Enacted => "enacted",
            Status::Proposed => "proposed",
            Status::Secondary => "secondary",
            Status::Assumption => "assumption",
            Status::Reform => "reform",
            Status::Published => "published",
            Status::Derived => "derived",
            Status::Actual => "actual",
            Status::Revised => "revised",
            Status::Estimate => "estimate",
            Status::Projection => "projection",
            Status::Scenario => "scenario",
            Status::Missing => "missing",
        }
    }
    /// The badge a reader sees, in both languages.
    pub fn label(self) -> Bilingual {
        let (en, zh) = match self {
            Status::Enacted => ("enacted", "已立法"),
            Status::Proposed => ("proposed", "建議中"),
            Status::Secondary => ("secondary source", "次級來源"),
            Status::Assumption => ("assumption", "假設"),
            Status::Reform => ("reform", "改革方案"),
            Status::Published => ("published", "已公布"),
            Status::Derived => ("derived", "推算"),
            Status::Actual => ("actual", "實際"),
            Status::Revised => ("revised estimate", "修訂預算"),
            Status::Estimate => ("estimate", "預算"),
            Status::Projection => ("projection", "預測"),
            Status::Scenario => ("scenario", "情景"),
            Status::Missing => ("missing", "缺漏"),
        };
        Bilingual::fixed(en, zh)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Status, String> {
        serde_json::from_value(serde_json::Value::String(s.trim().to_string())).map_err(|_| {
            format!(
                "'{s}' is not a status (enacted, proposed, secondary, assumption, published, derived, actual, revised, estimate, projection)"
            )
        })
    }
}

/// "Did you mean" candidates: the known names closest to a misspelt one, best first.
pub fn closest<'a>(wrong: &str, known: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut scored: Vec<(f64, &str)> = known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(wrong, k), k))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored
        .into_iter()
        .take(3)
        .filter(|(s, _)| *s > 0.7)
        .map(|(_, k)| k.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bilingual_is_strict_and_names_are_lenient() {
        let b: Result<Bilingual, _> = serde_json::from_str(r#"{"en":"a","zh":"甲"}"#);
        assert!(b.is_ok());
        let b: Result<Bilingual, _> = serde_json::from_str(r#"{"en":"a"}"#);
        assert!(b.is_err());
        #[derive(Deserialize)]
        struct N {
            #[serde(deserialize_with = "bilingual_or_text")]
            name: Bilingual,
        }
        let n: Result<N, _> = serde_json::from_str(r#"{"name":"plain"}"#);
        assert_eq!(n.map(|n| n.name.zh.into_owned()).ok(), Some("plain".into()));
    }

    #[test]
    fn status_parses_its_own_names() {
        for s in [Status::Enacted, Status::Derived, Status::Projection] {
            assert_eq!(s.as_str().parse::<Status>(), Ok(s));
        }
        assert!("enactd".parse::<Status>().is_err());
    }
}
