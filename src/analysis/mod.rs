//! The pure analysis core: `&str` in, plain data with byte ranges out. No LSP types, no I/O, no
//! async; every function is total (best-effort output, never a panic on any input).

pub mod duplicates;
pub mod finding;
pub mod fix;
pub mod heading;
pub mod numeral;
pub mod outline;
pub mod report_year;
pub mod rules;
pub mod targets;
pub mod text;

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use outline::Outline;
use targets::{ScanMemo, Synonyms, Target};
use text::Line;

/// Everything derived from one document text, computed once per snapshot and shared by the
/// features (outline, folding, rules, targets).
#[derive(Debug, Clone)]
pub struct Analysis<'t> {
    /// Borrowed for a one-off analysis; owned ([`Analysis::owned`]) when a server keeps it
    /// between requests.
    pub text: Cow<'t, str>,
    pub lines: Vec<Line>,
    pub outline: Outline,
    synonyms: Arc<Synonyms>,
    targets: OnceLock<Vec<Target>>,
    /// Figures of paragraphs scanned by earlier analyses (of earlier versions of the text).
    scan_memo: Option<Arc<ScanMemo>>,
}

impl Analysis<'static> {
    /// Owning its text: an analysis that can be kept and shared (the server's cache of open
    /// documents, `lsp/analysis_cache.rs`).
    pub fn owned(text: String, synonyms: Arc<Synonyms>) -> Analysis<'static> {
        Analysis::build(Cow::Owned(text), synonyms)
    }
}

impl<'t> Analysis<'t> {
    /// With the built-in indicator synonyms.
    pub fn new(text: &'t str) -> Analysis<'t> {
        static BUILTIN: OnceLock<Arc<Synonyms>> = OnceLock::new();
        let synonyms = BUILTIN.get_or_init(|| Arc::new(Synonyms::builtin()));
        Analysis::with_synonyms(text, synonyms.clone())
    }

    /// With the synonym table in force (built-in + the `targets.synonyms` setting).
    pub fn with_synonyms(text: &'t str, synonyms: Arc<Synonyms>) -> Analysis<'t> {
        Analysis::build(Cow::Borrowed(text), synonyms)
    }

    fn build(text: Cow<'t, str>, synonyms: Arc<Synonyms>) -> Analysis<'t> {
        let lines = text::split_lines(&text);
        let outline = outline::build(&text, &lines);
        Analysis {
            text,
            lines,
            outline,
            synonyms,
            targets: OnceLock::new(),
            scan_memo: None,
        }
    }

    /// Takes the figures of unchanged paragraphs from `memo` (shared by the analyses of
    /// successive versions of documents) and adds the new ones to it.
    pub fn with_scan_memo(mut self, memo: Arc<ScanMemo>) -> Analysis<'t> {
        self.scan_memo = Some(memo);
        self
    }

    /// Every target, result and plan figure, in document order; computed on first use, once
    /// per snapshot.
    pub fn targets(&self) -> &[Target] {
        self.targets.get_or_init(|| {
            targets::extract_with(
                &self.text,
                &self.lines,
                &self.outline,
                &self.synonyms,
                self.scan_memo.as_deref(),
            )
        })
    }

    pub fn synonyms(&self) -> &Arc<Synonyms> {
        &self.synonyms
    }
}

/// A folding range over whole lines (0-based, inclusive), one per section spanning two or more
/// lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fold {
    pub start_line: usize,
    pub end_line: usize,
    pub collapsed_text: String,
}

pub fn folding_ranges(analysis: &Analysis<'_>) -> Vec<Fold> {
    analysis
        .outline
        .sections
        .iter()
        .filter(|s| s.last_line > s.first_line)
        .map(|s| Fold {
            start_line: s.first_line,
            end_line: s.last_line,
            collapsed_text: s.name.clone(),
        })
        .collect()
}
