//! Step-by-step explanation of a computation, laid out the way IRD lays out an assessment.
//!
//! Calculators take a `&mut Trace`; a disabled trace (`Trace::off()`) builds nothing, so the same
//! code serves one household with a full explanation and a million households with none.

use hkb_law::Money;
pub use hkb_law::{Bilingual, Bilingual as Text};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// A label in both languages, fixed at compile time.
pub const fn text(en: &'static str, zh: &'static str) -> Text {
    Bilingual::fixed(en, zh)
}

/// What a step is, for layout.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// A section title ("Less: Deductions").
    Heading,
    /// One line inside a section.
    Item,
    /// A running figure after a section ("Net income").
    Subtotal,
    /// The final figure of a computation.
    Total,
    /// An explanation with no amount (a claim not allowed, an assumption).
    Note,
}

/// A parameter a step used, with the value as shown. The engine adds its label, citation,
/// source and status from the law.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, JsonSchema)]
pub struct ParamUse {
    pub path: Cow<'static, str>,
    pub value: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Step {
    /// Stable machine key (`net_income`, `allowance.child`).
    pub key: Cow<'static, str>,
    pub label: Text,
    /// Detail in both languages; figures ("2 × 130,000", "50,000 @ 2%") are the same in both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    pub kind: StepKind,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<ParamUse>,
}

impl Step {
    pub fn new(kind: StepKind, key: &'static str, label: Text) -> Step {
        Step {
            key: Cow::Borrowed(key),
            label,
            detail: None,
            amount: None,
            kind,
            params: Vec::new(),
        }
    }
    pub fn amount(mut self, m: Money) -> Step {
        self.amount = Some(m);
        self
    }
    /// A language-neutral detail (figures and formulas).
    pub fn detail(mut self, d: impl Into<String>) -> Step {
        self.detail = Some(Bilingual::neutral(d));
        self
    }
    /// A detail with words, in both languages.
    pub fn detail_text(mut self, en: impl Into<String>, zh: impl Into<String>) -> Step {
        self.detail = Some(Bilingual::new(en.into(), zh.into()));
        self
    }
    pub fn param(mut self, path: &'static str, value: impl ToString) -> Step {
        self.params.push(ParamUse {
            path: Cow::Borrowed(path),
            value: value.to_string(),
        });
        self
    }
}

/// An ordered list of steps, or nothing when disabled.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(transparent)]
pub struct Trace {
    #[serde(skip)]
    enabled: bool,
    steps: Vec<Step>,
}

impl Trace {
    pub fn on() -> Trace {
        Trace {
            enabled: true,
            steps: Vec::new(),
        }
    }
    pub fn off() -> Trace {
        Trace {
            enabled: false,
            steps: Vec::new(),
        }
    }
    pub fn enabled(&self) -> bool {
        self.enabled
    }
    /// Records a step; the closure runs only when the trace is on.
    #[inline]
    pub fn push(&mut self, make: impl FnOnce() -> Step) {
        if self.enabled {
            self.steps.push(make());
        }
    }
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }
    pub fn into_steps(self) -> Vec<Step> {
        self.steps
    }
    /// Appends another trace's steps (e.g. one spouse's computation inside a household's).
    pub fn extend(&mut self, other: Trace) {
        if self.enabled {
            self.steps.extend(other.steps);
        }
    }
    /// A fresh trace with the same on/off setting.
    pub fn sibling(&self) -> Trace {
        Trace {
            enabled: self.enabled,
            steps: Vec::new(),
        }
    }
}
