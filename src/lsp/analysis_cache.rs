//! The analysis of each open document's current snapshot, kept between requests: hover,
//! definition, references, highlights and semantic tokens on an unchanged document reuse it
//! instead of re-analysing the text (lines + outline + targets of a 40 KB report cost ~1–2 ms,
//! a cached hover ~20 µs; BENCHMARKS.md, "Targets").
//!
//! An entry answers only the snapshot it was computed from: it is keyed by the document store's
//! generation (bumped on every edit and every settings change, unique across documents) and the
//! synonym table in force, so an answer is never stale. One entry per open document; closing
//! the document drops it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use tower_lsp::lsp_types::Url;

use super::documents::Snapshot;
use crate::analysis::targets::{ScanMemo, Synonyms};
use crate::analysis::Analysis;

#[derive(Default)]
pub struct AnalysisCache {
    entries: Mutex<HashMap<Url, Entry>>,
    /// Figures of paragraphs already scanned (shared with the diagnostics' analyses).
    scan_memo: Arc<ScanMemo>,
}

struct Entry {
    generation: u64,
    analysis: Arc<Analysis<'static>>,
}

impl AnalysisCache {
    pub fn new(scan_memo: Arc<ScanMemo>) -> AnalysisCache {
        AnalysisCache {
            entries: Mutex::default(),
            scan_memo,
        }
    }

    /// The analysis of `snap` with `synonyms`: the cached one when it was computed from this
    /// very snapshot and table, else a new one (which replaces an older entry).
    pub fn get(&self, snap: &Snapshot, synonyms: Arc<Synonyms>) -> Arc<Analysis<'static>> {
        if let Some(e) = self.lock().get(&snap.uri) {
            if e.generation == snap.generation && Arc::ptr_eq(e.analysis.synonyms(), &synonyms) {
                return e.analysis.clone();
            }
        }
        // Computed outside the lock: a request on another document does not wait for it.
        let analysis =
            Arc::new(Analysis::owned(snap.text(), synonyms).with_scan_memo(self.scan_memo.clone()));
        let mut entries = self.lock();
        // A request on an older snapshot (still in flight after an edit) must not evict the
        // entry of a newer one.
        let newer = entries
            .get(&snap.uri)
            .is_some_and(|e| e.generation > snap.generation);
        if !newer {
            entries.insert(
                snap.uri.clone(),
                Entry {
                    generation: snap.generation,
                    analysis: analysis.clone(),
                },
            );
        }
        analysis
    }

    /// Drops the entry of a closed document.
    pub fn remove(&self, uri: &Url) {
        self.lock().remove(uri);
    }

    /// The number of documents with a cached analysis.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A poisoned lock is still usable: every mutation leaves the map consistent.
    fn lock(&self) -> MutexGuard<'_, HashMap<Url, Entry>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::position::Encoding;
    use ropey::Rope;

    fn snap(text: &str, generation: u64) -> Snapshot {
        Snapshot {
            uri: Url::parse("file:///r.txt").expect("uri"),
            rope: Rope::from_str(text),
            version: generation as i32,
            generation,
            encoding: Encoding::Utf16,
        }
    }

    const V1: &str = "地区生产总值增长6.5%左右。\n";
    const V2: &str = "地区生产总值增长7%左右。\n";

    #[test]
    fn same_snapshot_reuses_the_analysis() {
        let cache = AnalysisCache::default();
        let syn = Arc::new(Synonyms::builtin());
        let a = cache.get(&snap(V1, 1), syn.clone());
        let b = cache.get(&snap(V1, 1), syn);
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(a.targets()[0].value, 6.5);
    }

    #[test]
    fn an_edit_is_never_answered_from_the_old_entry() {
        let cache = AnalysisCache::default();
        let syn = Arc::new(Synonyms::builtin());
        let a = cache.get(&snap(V1, 1), syn.clone());
        let b = cache.get(&snap(V2, 2), syn.clone());
        assert!(!Arc::ptr_eq(&a, &b));
        assert_eq!(b.targets()[0].value, 7.0);
        // A late request on the old snapshot gets its own analysis and leaves the newer entry.
        let old = cache.get(&snap(V1, 1), syn.clone());
        assert_eq!(old.targets()[0].value, 6.5);
        let again = cache.get(&snap(V2, 2), syn);
        assert!(Arc::ptr_eq(&b, &again));
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn new_synonyms_invalidate_and_close_drops() {
        let cache = AnalysisCache::default();
        let a = cache.get(&snap(V1, 1), Arc::new(Synonyms::builtin()));
        let b = cache.get(&snap(V1, 1), Arc::new(Synonyms::builtin()));
        assert!(!Arc::ptr_eq(&a, &b));
        cache.remove(&snap(V1, 1).uri);
        assert!(cache.is_empty());
    }
}
