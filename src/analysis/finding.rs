//! Findings are data: a rule code, a severity, a byte range, a message in both languages,
//! related locations and fixes. Rendering for a client or a terminal happens at the edge.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// Ordered from least to most severe, so `>=` compares thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Accepts the names used by LSP clients and linters alike.
    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s.to_ascii_lowercase().as_str() {
            "hint" => Severity::Hint,
            "info" | "information" => Severity::Info,
            "warning" | "warn" => Severity::Warning,
            "error" => Severity::Error,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Zh,
    En,
}

/// A user-visible text in Chinese (the default) and English.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Text {
    // Fixed texts (most related-location labels) are borrowed, not allocated per finding.
    pub zh: Cow<'static, str>,
    pub en: Cow<'static, str>,
}

impl Text {
    pub fn new(zh: impl Into<Cow<'static, str>>, en: impl Into<Cow<'static, str>>) -> Text {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Language) -> &str {
        match lang {
            Language::Zh => &self.zh,
            Language::En => &self.en,
        }
    }
}

/// Another place a finding refers to. `file` is `None` for the analysed document itself, or an
/// opaque document key (a URI) for another document of the workspace.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Related {
    /// Shared: a passage found in many reports names each of them in many findings.
    pub file: Option<Arc<str>>,
    pub range: Range<usize>,
    pub message: Text,
}

/// Replace `range` of the analysed document with `new_text`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Edit {
    pub range: Range<usize>,
    pub new_text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fix {
    pub title: Text,
    /// Non-overlapping edits, in document order.
    pub edits: Vec<Edit>,
    /// Safe fixes are applied by "fix all" without review.
    pub safe: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Finding {
    /// Stable kebab-case rule id: the diagnostic code, the config key and the docs anchor.
    pub code: &'static str,
    pub severity: Severity,
    pub range: Range<usize>,
    pub message: Text,
    pub related: Vec<Related>,
    pub fixes: Vec<Fix>,
}
