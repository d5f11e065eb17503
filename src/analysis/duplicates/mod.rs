//! Duplicated passages, exact and near, within a document and across a set of documents.
//!
//! Pipeline: paragraphs (and the sentences inside them) are normalised on a copy with a byte map
//! back (`passage.rs`); each paragraph gets an exact hash and winnowed character 5-gram
//! fingerprints (`fingerprint.rs`) kept in an inverted index (`index.rs`); candidates sharing
//! fingerprints are verified by longest-common-subsequence similarity (`similarity.rs`);
//! consecutive matching paragraphs are merged into runs, one finding per repeated block
//! (`report.rs`). Pure: texts in, findings with byte ranges out.

pub mod fingerprint;
pub mod index;
pub mod passage;
mod report;
mod reuse;
pub mod similarity;

use std::collections::{BTreeSet, HashMap};

pub use index::Index;
pub use report::{
    clusters, document_findings, document_findings_cached, Cluster, DupFinding, MatchCache, Member,
};

use super::finding::Severity;
use super::rules::RuleMeta;

/// Paragraphs shorter than this (normalised characters: without list number and blanks) are
/// not indexed at all; `minChars` below it acts as this.
pub const MIN_INDEXED_CHARS: usize = 10;
/// Below this many files there is no "most reports" to speak of: nothing is boilerplate.
pub const MIN_FILES_FOR_BOILERPLATE: usize = 6;

pub const DEFAULT_MIN_CHARS: usize = 20;
pub const DEFAULT_THRESHOLD_PERMILLE: u16 = 800;
pub const DEFAULT_BOILERPLATE_PERMILLE: u16 = 500;

/// Settings of the duplicate detection (`duplicates.*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DupSettings {
    /// Passages shorter than this many characters are never flagged, counted as the drafter
    /// sees them: the list number included, blanks left out.
    pub min_chars: usize,
    /// Similarity (‰) at or above which two passages are near duplicates.
    pub threshold_permille: u16,
    /// A passage whose fingerprints mostly occur in at least this share (‰) of the workspace's
    /// files is boilerplate and not flagged; 0 switches the recognition off.
    pub boilerplate_permille: u16,
    /// Passage fingerprints marked as intended repeats.
    pub ignore: BTreeSet<u64>,
}

impl Default for DupSettings {
    fn default() -> DupSettings {
        DupSettings {
            min_chars: DEFAULT_MIN_CHARS,
            threshold_permille: DEFAULT_THRESHOLD_PERMILLE,
            boilerplate_permille: DEFAULT_BOILERPLATE_PERMILLE,
            ignore: BTreeSet::new(),
        }
    }
}

impl DupSettings {
    pub fn threshold(&self) -> f64 {
        f64::from(self.threshold_permille) / 1000.0
    }

    pub fn boilerplate_ratio(&self) -> f64 {
        f64::from(self.boilerplate_permille) / 1000.0
    }
}

/// The text form of a fingerprint in `duplicates.ignore`.
pub fn fingerprint_string(fp: u64) -> String {
    format!("{fp:016x}")
}

pub fn parse_fingerprint(s: &str) -> Option<u64> {
    let s = s.trim();
    if s.len() != 16 {
        return None;
    }
    u64::from_str_radix(s, 16).ok()
}

/// Multiply-rotate hashing for small integer keys (the std SipHash is several times slower
/// on the candidate counts, the hottest loop of a query).
#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

pub type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FastHasher>>;

pub type FastSet<K> = std::collections::HashSet<K, std::hash::BuildHasherDefault<FastHasher>>;

/// Hash of a whole text (to skip re-indexing an unchanged document).
pub fn text_hash(text: &str) -> u64 {
    bytes_hash(text.as_bytes())
}

/// [`text_hash`] of any bytes.
pub fn bytes_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ bytes.len() as u64;
    for chunk in bytes.chunks(8) {
        let mut w = [0u8; 8];
        w[..chunk.len()].copy_from_slice(chunk);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    h
}

pub static DUPLICATE_PASSAGE: RuleMeta = RuleMeta {
    code: "duplicate-passage",
    default_severity: Severity::Warning,
    summary_en: "A passage (paragraph, block of paragraphs or long sentence) repeated verbatim inside this report (warning), or copied unchanged from another report of the workspace (information).",
    summary_zh: "段落、连续段落或长句在本报告内重复出现（警告），或原样照搬工作区中另一份报告（提示）。",
    why: "Drafts are assembled from last year's report and other departments' texts; the same passage often ends up twice. Inside one report every repeat is an accident, whatever it says (a thanks formula pasted twice included). Across reports only real reuse is reported, on the later report of the pair, as information: not glossary entries and other definitions, the opening, credit, thanks and closing formulas, passages under 50 characters, nor shared language learnt from the workspace (a passage found in most years of one government or in three other governments, or made mostly of fingerprints found in one document in twenty). Spacing, full/half-width forms, punctuation variants and list numbers are ignored when comparing. Tuned by `duplicates.minChars`, `duplicates.boilerplateRatio` and `duplicates.ignore` (see configuration.md and duplicates.md).",
    example: "第77–151行与第1–75行重复，共75段   ← lines 77–151 paste lines 1–75 of the same report a second time",
};

pub static NEAR_DUPLICATE_PASSAGE: RuleMeta = RuleMeta {
    code: "near-duplicate-passage",
    default_severity: Severity::Info,
    summary_en: "A passage nearly the same as another one (similarity at or above duplicates.threshold): a repeat inside this report changed by a character or two, or a near copy of another report.",
    summary_zh: "段落与另一处内容高度相似（相似度不低于 duplicates.threshold）：本报告内改了一两个字的重复，或对另一份报告的近似照搬。",
    why: "A paragraph copied with a few words changed is easy to miss when reading; the similarity is the longest common subsequence over the longer passage. Template reuse is not a copy: two passages whose figures differ (each year's goals paragraph, the same sentence with this year's numbers) are never near duplicates. Inside one report a near repeat needs 95% and the same figures (the work plan echoing a sentence of the review is no accident); between years of one government only a passage left unchanged but for a word or two (95%) counts, since redrafting last year's text is how reports are written; from another government 80% (`duplicates.threshold`). Findings across reports follow the rules of `duplicate-passage` and are information.",
    example: "本段与city-b-2021.txt 第39行相似（相似度89%）   ← a paragraph of another city's report with two items changed",
};

/// The rule documentation of the duplicate findings (they need the workspace, so they are not
/// in the per-document rule registry).
pub fn metas() -> [&'static RuleMeta; 2] {
    [&DUPLICATE_PASSAGE, &NEAR_DUPLICATE_PASSAGE]
}

#[cfg(test)]
mod tests;
