//! Related locations in other files, converted once and kept across analyses.
//!
//! An edit of the open document republishes hundreds of findings whose related locations point
//! into files that did not change (the 363 KB corpus file has ~4,000 of them in ~900 files of a
//! 100 MB workspace). Each file's URI and line index, and each range already converted there,
//! are kept until the workspace reports a change of that file.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};

use tower_lsp::lsp_types::{self as lsp, Location, Url};

use super::convert;
use crate::analysis::duplicates::FastMap;
use crate::position::{Encoding, LineIndex};
use crate::workspace::Workspace;

/// One file as related locations need it.
struct LocatedFile {
    key: Arc<str>,
    uri: Url,
    text: Arc<str>,
    lines: LineIndex,
    ranges: Mutex<FastMap<(u32, u32, Encoding), lsp::Range>>,
}

impl LocatedFile {
    fn location(&self, r: &Range<usize>, enc: Encoding) -> Location {
        let key = (
            u32::try_from(r.start).unwrap_or(u32::MAX),
            u32::try_from(r.end).unwrap_or(u32::MAX),
            enc,
        );
        let mut ranges = self.ranges.lock().unwrap_or_else(|e| e.into_inner());
        let range = *ranges.entry(key).or_insert_with(|| {
            convert::location_in(&self.uri, &self.text, &self.lines, r, enc).range
        });
        Location::new(self.uri.clone(), range)
    }
}

/// The files named in related information, by index key (a path, or the URI of a document
/// without one).
#[derive(Default)]
pub struct Locations {
    files: Mutex<HashMap<Arc<str>, Arc<LocatedFile>>>,
    /// Bumped on every change of the workspace: an entry read before a change is not stored.
    changes: AtomicU64,
}

impl Locations {
    /// A cache that drops a file's entry whenever the workspace reports a change of it.
    pub fn following(ws: &Workspace) -> Arc<Locations> {
        let this = Arc::new(Locations::default());
        let weak: Weak<Locations> = Arc::downgrade(&this);
        ws.subscribe(move |changes| {
            let Some(this) = weak.upgrade() else {
                return;
            };
            this.changes.fetch_add(1, Ordering::SeqCst);
            let mut files = this.files.lock().unwrap_or_else(|e| e.into_inner());
            for c in changes {
                files.remove(c.path.to_string_lossy().as_ref());
            }
        });
        this
    }

    fn get(&self, ws: &Workspace, key: &str) -> Option<Arc<LocatedFile>> {
        if let Some(f) = self.lock().get(key) {
            return Some(f.clone());
        }
        let before = self.changes.load(Ordering::SeqCst);
        let version = ws.get(Path::new(key))?;
        let file = Arc::new(LocatedFile {
            key: Arc::from(key),
            uri: Url::parse(&version.uri).ok()?,
            lines: LineIndex::new(&version.text),
            text: version.text,
            ranges: Mutex::new(FastMap::default()),
        });
        // A change since the read may have removed the entry already: store only what is
        // known to be current (this analysis uses it either way).
        let mut files = self.lock();
        if self.changes.load(Ordering::SeqCst) == before {
            files.insert(file.key.clone(), file.clone());
        }
        Some(file)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Arc<str>, Arc<LocatedFile>>> {
        self.files.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Resolves the related locations of one analysis. Keys are looked up by the address of the
/// caller's string first (the findings of one analysis name each file through one shared
/// `Arc<str>`), checked by value, then in the shared cache.
pub struct Locator<'a> {
    ws: &'a Workspace,
    locations: &'a Locations,
    seen: FastMap<(usize, usize), Arc<LocatedFile>>,
}

impl<'a> Locator<'a> {
    pub fn new(ws: &'a Workspace, locations: &'a Locations) -> Locator<'a> {
        Locator {
            ws,
            locations,
            seen: FastMap::default(),
        }
    }

    /// The location of byte range `r` of the file `key`, or `None` when the file is not in the
    /// workspace.
    pub fn location(&mut self, key: &str, r: &Range<usize>, enc: Encoding) -> Option<Location> {
        let at = (key.as_ptr() as usize, key.len());
        let file = match self.seen.get(&at) {
            Some(f) if *f.key == *key => f.clone(),
            _ => {
                let f = self.locations.get(self.ws, key)?;
                self.seen.insert(at, f.clone());
                f
            }
        };
        Some(file.location(r, enc))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start_line(locator: &mut Locator<'_>, key: &str, r: Range<usize>) -> Option<u32> {
        locator
            .location(key, &r, Encoding::Utf16)
            .map(|l| l.range.start.line)
    }

    #[test]
    fn a_changed_file_is_converted_again_and_an_unknown_one_is_none() {
        let ws = Workspace::new();
        let locations = Locations::following(&ws);
        let path = "/ws/b.txt";
        ws.open(
            Path::new(path),
            "file:///ws/b.txt",
            Arc::from("甲乙\n丙丁\n"),
        );
        let at = "甲乙\n".len();
        let mut locator = Locator::new(&ws, &locations);
        assert_eq!(start_line(&mut locator, path, at..at + 3), Some(1));
        assert_eq!(locations.len(), 1);
        // The same range again comes from the cache, through another locator too.
        assert_eq!(start_line(&mut locator, path, at..at + 3), Some(1));
        assert_eq!(
            start_line(&mut Locator::new(&ws, &locations), path, at..at + 3),
            Some(1)
        );

        // Line breaks earlier in the file: the entry is dropped, and the same bytes
        // are now on line 2 (a stale cache would still say 1).
        ws.open(
            Path::new(path),
            "file:///ws/b.txt",
            Arc::from("甲\n\n\n丙丁\n"),
        );
        assert!(locations.is_empty());
        let mut locator = Locator::new(&ws, &locations);
        assert_eq!(start_line(&mut locator, path, at..at + 3), Some(3));
        assert_eq!(start_line(&mut locator, "/ws/missing.txt", 0..1), None);
    }

    #[test]
    fn keys_at_the_same_address_are_told_apart_by_value() {
        let ws = Workspace::new();
        let locations = Locations::following(&ws);
        ws.open(
            Path::new("/ws/a.txt"),
            "file:///ws/a.txt",
            Arc::from("甲\n"),
        );
        ws.open(
            Path::new("/ws/b.txt"),
            "file:///ws/b.txt",
            Arc::from("乙\n"),
        );
        let mut locator = Locator::new(&ws, &locations);
        // One buffer holding one key, then the other: same address, same length.
        let mut key = String::from("/ws/a.txt");
        let a = locator.location(&key, &(0..3), Encoding::Utf16).unwrap();
        key.replace_range(4..5, "b");
        let b = locator.location(&key, &(0..3), Encoding::Utf16).unwrap();
        assert!(a.uri.as_str().ends_with("a.txt"), "{a:?}");
        assert!(b.uri.as_str().ends_with("b.txt"), "{b:?}");
    }
}
