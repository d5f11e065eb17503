//! Open documents as ropes, edited strictly in arrival order (see `ordered.rs`), with versions
//! and a generation counter that tells a pending analysis whether it is stale.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use ropey::Rope;
use tower_lsp::lsp_types::{TextDocumentContentChangeEvent, Url};

use crate::position::{to_offset, Encoding, LineCol};

#[derive(Debug, Clone)]
pub struct Document {
    pub rope: Rope,
    pub version: i32,
    /// Bumped on every change (and on settings changes), globally unique.
    pub generation: u64,
    /// False after a change that could not be read: the text may differ from the editor's, so
    /// incremental changes are refused until a full-text change (or a reopen) resynchronises.
    pub in_sync: bool,
}

/// An immutable view of one document: O(1) rope clone plus its version.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub uri: Url,
    pub rope: Rope,
    pub version: i32,
    pub generation: u64,
    pub encoding: Encoding,
}

impl Snapshot {
    pub fn text(&self) -> String {
        self.rope.to_string()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeOutcome {
    Applied {
        generation: u64,
    },
    /// Applied, but the version did not increase (a client bug worth logging).
    AppliedOutOfOrderVersion {
        generation: u64,
        previous: i32,
    },
    UnknownDocument,
    /// Not applied: the document is out of sync and the change is incremental.
    OutOfSync,
}

#[derive(Default)]
struct Inner {
    docs: HashMap<Url, Document>,
    encoding: Encoding,
    next_generation: u64,
}

impl Inner {
    fn bump(&mut self) -> u64 {
        self.next_generation += 1;
        self.next_generation
    }
}

#[derive(Default)]
pub struct DocumentStore {
    inner: Mutex<Inner>,
}

impl DocumentStore {
    /// The lock is never held across an `.await`; a poisoned lock is still usable because every
    /// mutation leaves the map consistent.
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn set_encoding(&self, encoding: Encoding) {
        self.lock().encoding = encoding;
    }

    pub fn encoding(&self) -> Encoding {
        self.lock().encoding
    }

    pub fn open(&self, uri: Url, text: &str, version: i32) -> u64 {
        let mut inner = self.lock();
        let generation = inner.bump();
        inner.docs.insert(
            uri,
            Document {
                rope: Rope::from_str(text),
                version,
                generation,
                in_sync: true,
            },
        );
        generation
    }

    pub fn change(
        &self,
        uri: &Url,
        version: i32,
        changes: &[TextDocumentContentChangeEvent],
    ) -> ChangeOutcome {
        let mut inner = self.lock();
        let generation = inner.bump();
        let encoding = inner.encoding;
        let Some(doc) = inner.docs.get_mut(uri) else {
            return ChangeOutcome::UnknownDocument;
        };
        let from = if doc.in_sync {
            0
        } else {
            // Only a full text (a change without a range) makes the document known again.
            match changes.iter().rposition(|c| c.range.is_none()) {
                Some(k) => k,
                None => return ChangeOutcome::OutOfSync,
            }
        };
        doc.in_sync = true;
        for change in &changes[from..] {
            apply_change(&mut doc.rope, change, encoding);
        }
        let previous = doc.version;
        doc.version = version;
        doc.generation = generation;
        if version <= previous {
            ChangeOutcome::AppliedOutOfOrderVersion {
                generation,
                previous,
            }
        } else {
            ChangeOutcome::Applied { generation }
        }
    }

    /// A change of `uri` could not be read: its text is no longer known to match the editor's.
    /// Returns false for a document that is not open.
    pub fn mark_out_of_sync(&self, uri: &Url) -> bool {
        let mut inner = self.lock();
        let generation = inner.bump();
        match inner.docs.get_mut(uri) {
            Some(doc) => {
                doc.in_sync = false;
                doc.generation = generation;
                true
            }
            None => false,
        }
    }

    /// False after an unreadable change until a full text arrived (see [`Document::in_sync`]).
    pub fn in_sync(&self, uri: &Url) -> bool {
        self.lock().docs.get(uri).is_some_and(|d| d.in_sync)
    }

    pub fn close(&self, uri: &Url) -> bool {
        self.lock().docs.remove(uri).is_some()
    }

    pub fn snapshot(&self, uri: &Url) -> Option<Snapshot> {
        let inner = self.lock();
        let doc = inner.docs.get(uri)?;
        Some(Snapshot {
            uri: uri.clone(),
            rope: doc.rope.clone(),
            version: doc.version,
            generation: doc.generation,
            encoding: inner.encoding,
        })
    }

    pub fn generation(&self, uri: &Url) -> Option<u64> {
        self.lock().docs.get(uri).map(|d| d.generation)
    }

    pub fn uris(&self) -> Vec<Url> {
        self.lock().docs.keys().cloned().collect()
    }

    /// Marks every document changed (settings changed): pending analyses become stale.
    pub fn touch_all(&self) -> Vec<Url> {
        let mut inner = self.lock();
        let uris: Vec<Url> = inner.docs.keys().cloned().collect();
        for uri in &uris {
            let g = inner.bump();
            if let Some(d) = inner.docs.get_mut(uri) {
                d.generation = g;
            }
        }
        uris
    }
}

/// Applies one content change. Positions are clamped (never a panic); a reversed range is
/// taken in order.
pub fn apply_change(rope: &mut Rope, change: &TextDocumentContentChangeEvent, encoding: Encoding) {
    let Some(range) = change.range else {
        *rope = Rope::from_str(&change.text);
        return;
    };
    let start = to_offset(
        rope,
        LineCol {
            line: range.start.line,
            col: range.start.character,
        },
        encoding,
    );
    let end = to_offset(
        rope,
        LineCol {
            line: range.end.line,
            col: range.end.character,
        },
        encoding,
    );
    let (start, end) = (start.min(end), start.max(end));
    let start_char = rope.byte_to_char(start);
    let end_char = rope.byte_to_char(end);
    if end_char > start_char {
        rope.remove(start_char..end_char);
    }
    if !change.text.is_empty() {
        rope.insert(start_char, &change.text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp::lsp_types::{Position, Range};

    fn change(sl: u32, sc: u32, el: u32, ec: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(sl, sc), Position::new(el, ec))),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn incremental_edits_in_utf16() {
        let mut rope = Rope::from_str("一、𠮷甲\r\n正文。\n");
        // Replace 甲 (after the surrogate pair: column 4 in UTF-16).
        apply_change(&mut rope, &change(0, 4, 0, 5, "乙"), Encoding::Utf16);
        assert_eq!(rope.to_string(), "一、𠮷乙\r\n正文。\n");
        // Insert at the end of a CRLF line, far past its end: before \r\n, not between.
        apply_change(&mut rope, &change(0, 99, 0, 99, "丙"), Encoding::Utf16);
        assert_eq!(rope.to_string(), "一、𠮷乙丙\r\n正文。\n");
        // Join two lines by deleting the CRLF.
        apply_change(&mut rope, &change(0, 6, 1, 0, ""), Encoding::Utf16);
        assert_eq!(rope.to_string(), "一、𠮷乙丙正文。\n");
        // Out of range lines: appended at the end.
        apply_change(&mut rope, &change(40, 0, 50, 3, "尾"), Encoding::Utf16);
        assert_eq!(rope.to_string(), "一、𠮷乙丙正文。\n尾");
        // Reversed range.
        apply_change(&mut rope, &change(0, 2, 0, 0, ""), Encoding::Utf16);
        assert_eq!(rope.to_string(), "𠮷乙丙正文。\n尾");
    }

    #[test]
    fn store_tracks_versions_and_unknown_documents() {
        let store = DocumentStore::default();
        let uri = Url::parse("file:///r.txt").unwrap();
        let g0 = store.open(uri.clone(), "甲", 1);
        let out = store.change(&uri, 2, &[change(0, 1, 0, 1, "乙")]);
        assert!(matches!(out, ChangeOutcome::Applied { generation } if generation > g0));
        assert!(matches!(
            store.change(&uri, 2, &[]),
            ChangeOutcome::AppliedOutOfOrderVersion { previous: 2, .. }
        ));
        let other = Url::parse("file:///nope.txt").unwrap();
        assert_eq!(store.change(&other, 1, &[]), ChangeOutcome::UnknownDocument);
        assert_eq!(store.snapshot(&uri).unwrap().text(), "甲乙");
        assert!(store.close(&uri));
        assert!(store.snapshot(&uri).is_none());
    }
}
