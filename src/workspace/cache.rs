//! Per-file derived data, computed lazily and cached by content hash: a feature keeps one
//! `DerivedCache<T>` and asks it for the `T` of a [`FileVersion`]; the value is recomputed only
//! when the file's content changed.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use super::{ChangeKind, FileVersion, Workspace};

/// Path → (content hash, value).
type Entries<T> = HashMap<Arc<Path>, (u64, Arc<T>)>;

pub struct DerivedCache<T> {
    map: Mutex<Entries<T>>,
}

impl<T> Default for DerivedCache<T> {
    fn default() -> Self {
        DerivedCache {
            map: Mutex::new(HashMap::new()),
        }
    }
}

impl<T> DerivedCache<T> {
    pub fn new() -> Self {
        Self::default()
    }

    /// A cache that drops the entry of every file leaving `ws` (deleted, excluded, closed
    /// without a file on disk), so that a long session keeps no data of files that are gone.
    pub fn following(ws: &Workspace) -> Arc<Self>
    where
        T: Send + Sync + 'static,
    {
        let cache = Arc::new(Self::default());
        let weak = Arc::downgrade(&cache);
        ws.subscribe(move |changes| {
            let Some(cache) = weak.upgrade() else {
                return;
            };
            for c in changes.iter().filter(|c| c.kind == ChangeKind::Removed) {
                cache.remove(&c.path);
            }
        });
        cache
    }

    /// The cached value for this content of this file, or `compute(file)` stored for next time.
    /// `compute` runs outside the lock (two threads may compute the same value; one wins).
    pub fn get_or_compute(
        &self,
        file: &FileVersion,
        compute: impl FnOnce(&FileVersion) -> T,
    ) -> Arc<T> {
        if let Some((hash, v)) = self.lock().get(&file.path) {
            if *hash == file.hash {
                return v.clone();
            }
        }
        let v = Arc::new(compute(file));
        self.lock()
            .insert(file.path.clone(), (file.hash, v.clone()));
        v
    }

    /// The cached value if it is for this content.
    pub fn get(&self, file: &FileVersion) -> Option<Arc<T>> {
        self.lock()
            .get(&file.path)
            .filter(|(h, _)| *h == file.hash)
            .map(|(_, v)| v.clone())
    }

    /// Drops the entry of a removed file.
    pub fn remove(&self, path: &Path) {
        self.lock().remove(path);
    }

    /// Keeps only the entries whose path satisfies `keep`.
    pub fn retain(&self, mut keep: impl FnMut(&Path) -> bool) {
        self.lock().retain(|p, _| keep(p));
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries<T>> {
        self.map.lock().unwrap_or_else(|e| e.into_inner())
    }
}
