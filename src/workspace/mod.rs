//! The workspace index: the report files of every workspace folder, read once with the decoding
//! rules of `decode.rs`, kept current by file-watch notifications, with open documents shadowing
//! their files on disk. Shared by the features that look across files (duplicate passages,
//! targets).
//!
//! This is the I/O side: it walks folders and reads files, but knows no LSP type and never
//! blocks on anything but the file system. Features read it through a small API:
//!
//! - [`Workspace::files`] / [`Workspace::get`]: the *effective* version of each file (the open
//!   document if there is one, else the file on disk) as a [`FileVersion`]: path, URI, decoded
//!   text as `Arc<str>`, a content hash and a generation;
//! - [`Workspace::generation`]: bumped on every change, so a consumer can tell cheaply whether it
//!   must resynchronise;
//! - [`Workspace::subscribe`]: a callback run after every change with the list of [`Change`]s;
//! - [`DerivedCache`]: per-file derived data computed lazily and cached by content hash, so each
//!   feature extracts what it needs from a file once per content.
//!
//! Problems (unreadable, binary, too large, vanished files, symlink loops) are returned as
//! [`Problem`]s for the shell to log once each; they never stop a scan.

mod cache;
mod scan;

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

pub use cache::DerivedCache;
pub use scan::{list, Filter, Problem, ProblemKind, ScanSummary};

/// Default include glob: plain-text reports.
pub const DEFAULT_INCLUDE: &str = "**/*.txt";
/// Default per-file size cap: ten times the largest real plan outline; larger files are skipped
/// with a notice.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// Which files of the workspace folders are indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceSettings {
    /// Globs relative to a workspace folder (`**/*.txt`).
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    /// Files larger than this many bytes are skipped with a logged notice.
    pub max_file_size: u64,
}

impl Default for WorkspaceSettings {
    fn default() -> WorkspaceSettings {
        WorkspaceSettings {
            include: vec![DEFAULT_INCLUDE.to_string()],
            exclude: Vec::new(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// One version of one file: what a feature reads. Cheap to clone.
#[derive(Debug, Clone)]
pub struct FileVersion {
    pub path: Arc<Path>,
    /// `file://` URI: the client's own URI for an open document, else one built from the path.
    pub uri: Arc<str>,
    pub text: Arc<str>,
    /// Hash of `text` (not cryptographic): equal texts have equal hashes.
    pub hash: u64,
    /// The workspace generation at which this version was stored.
    pub generation: u64,
    /// True for an open document shadowing (or standing in for) its file on disk.
    pub open: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Changed,
    Removed,
}

/// One change of the effective set of files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub path: Arc<Path>,
    pub kind: ChangeKind,
}

type Listener = Box<dyn Fn(&[Change]) + Send + Sync>;

#[derive(Default)]
struct Slot {
    disk: Option<FileVersion>,
    open: Option<FileVersion>,
}

impl Slot {
    fn effective(&self) -> Option<&FileVersion> {
        self.open.as_ref().or(self.disk.as_ref())
    }
}

#[derive(Default)]
struct State {
    roots: Vec<PathBuf>,
    /// The roots with symlinks resolved, for containment checks.
    real_roots: Vec<PathBuf>,
    filter: Option<Arc<Filter>>,
    settings: WorkspaceSettings,
    files: HashMap<Arc<Path>, Slot>,
    generation: u64,
}

/// The workspace index. All methods take `&self`; locks are never held while reading files or
/// running listeners.
#[derive(Default)]
pub struct Workspace {
    state: RwLock<State>,
    listeners: Mutex<Vec<Listener>>,
}

impl Workspace {
    pub fn new() -> Workspace {
        Workspace::default()
    }

    /// Sets the workspace folders and the settings. Takes effect at the next [`Workspace::scan`].
    /// Invalid globs are returned as warnings and left out.
    pub fn configure(&self, roots: Vec<PathBuf>, settings: WorkspaceSettings) -> Vec<String> {
        let (filter, warnings) = Filter::new(&settings);
        let real_roots = roots
            .iter()
            .map(|r| r.canonicalize().unwrap_or_else(|_| r.clone()))
            .collect();
        let mut st = self.write();
        st.roots = roots;
        st.real_roots = real_roots;
        st.filter = Some(Arc::new(filter));
        st.settings = settings;
        warnings
    }

    pub fn roots(&self) -> Vec<PathBuf> {
        self.read().roots.clone()
    }

    pub fn settings(&self) -> WorkspaceSettings {
        self.read().settings.clone()
    }

    /// Walks every workspace folder and (re)reads every included file, in parallel on up to
    /// `threads` threads. `progress(done, total)` is called from the calling thread now and then.
    /// Files that disappeared since the last scan are removed. Open documents keep shadowing.
    pub fn scan(&self, threads: usize, progress: &mut dyn FnMut(usize, usize)) -> ScanSummary {
        let (roots, filter) = {
            let st = self.read();
            (st.roots.clone(), st.filter.clone())
        };
        let filter =
            filter.unwrap_or_else(|| Arc::new(Filter::new(&WorkspaceSettings::default()).0));
        let (mut listed, mut problems) = scan::list(&roots, &filter);
        listed.sort();
        listed.dedup();
        let (read, read_problems) =
            scan::read_all(&listed, filter.max_file_size(), threads, progress);
        problems.extend(read_problems);
        let mut changes = Vec::new();
        {
            let mut st = self.write();
            let mut seen: std::collections::HashSet<Arc<Path>> = std::collections::HashSet::new();
            for (path, text) in read {
                let path: Arc<Path> = Arc::from(path);
                seen.insert(path.clone());
                if let Some(c) = st.store_disk(path, Some(text)) {
                    changes.push(c);
                }
            }
            let gone: Vec<Arc<Path>> = st
                .files
                .iter()
                .filter(|(p, s)| s.disk.is_some() && !seen.contains(*p))
                .map(|(p, _)| p.clone())
                .collect();
            for p in gone {
                if let Some(c) = st.store_disk(p, None) {
                    changes.push(c);
                }
            }
        }
        let summary = ScanSummary {
            files: self
                .read()
                .files
                .values()
                .filter(|s| s.disk.is_some())
                .count(),
            bytes: self
                .read()
                .files
                .values()
                .filter_map(|s| s.disk.as_ref())
                .map(|f| f.text.len() as u64)
                .sum(),
            problems,
        };
        self.notify(&changes);
        summary
    }

    /// Re-reads one file after a watcher notification (created, changed or deleted: the file
    /// system says which). Returns the change of the effective set, if any, or a problem.
    pub fn refresh(&self, path: &Path) -> (Option<Change>, Option<Problem>) {
        let filter = self.read().filter.clone();
        let Some(filter) = filter else {
            return (None, None);
        };
        let included = self.is_included_with(&filter, path);
        let (text, problem) = if included {
            scan::read_one(path, filter.max_file_size())
        } else {
            (None, None)
        };
        // A deleted file is what the watcher reported, not a problem.
        let problem = problem.filter(|p| p.kind != ProblemKind::Vanished);
        let change = {
            let mut st = self.write();
            st.store_disk(Arc::from(path), text)
        };
        if let Some(c) = &change {
            self.notify(std::slice::from_ref(c));
        }
        (change, problem)
    }

    /// Stores the text of an open document; it shadows the file on disk until [`Workspace::close`].
    /// A document outside the workspace folders is stored too: it is compared with the workspace.
    pub fn open(&self, path: &Path, uri: &str, text: Arc<str>) -> Option<Change> {
        let change = {
            let mut st = self.write();
            st.generation += 1;
            let generation = st.generation;
            let hash = content_hash(&text);
            let path: Arc<Path> = Arc::from(path);
            let slot = st.files.entry(path.clone()).or_default();
            let before = slot.effective().map(|f| f.hash);
            if slot.open.as_ref().is_some_and(|f| f.hash == hash) {
                None
            } else {
                slot.open = Some(FileVersion {
                    path: path.clone(),
                    uri: Arc::from(uri),
                    text,
                    hash,
                    generation,
                    open: true,
                });
                match before {
                    None => Some(Change {
                        path,
                        kind: ChangeKind::Added,
                    }),
                    Some(h) if h != hash => Some(Change {
                        path,
                        kind: ChangeKind::Changed,
                    }),
                    Some(_) => None,
                }
            }
        };
        if let Some(c) = &change {
            self.notify(std::slice::from_ref(c));
        }
        change
    }

    /// The document is closed: the file on disk (if any and included) is effective again.
    pub fn close(&self, path: &Path) -> Option<Change> {
        let change = {
            let mut st = self.write();
            st.generation += 1;
            let key: Arc<Path> = Arc::from(path);
            let slot = st.files.get_mut(&key)?;
            let open = slot.open.take()?;
            let change = match &slot.disk {
                None => Some(ChangeKind::Removed),
                Some(d) if d.hash != open.hash => Some(ChangeKind::Changed),
                Some(_) => None,
            };
            if slot.disk.is_none() {
                st.files.remove(&key);
            }
            change.map(|kind| Change { path: key, kind })
        };
        if let Some(c) = &change {
            self.notify(std::slice::from_ref(c));
        }
        change
    }

    /// The effective version of one file.
    pub fn get(&self, path: &Path) -> Option<FileVersion> {
        self.read()
            .files
            .get(path)
            .and_then(|s| s.effective().cloned())
    }

    /// The effective version of every file, sorted by path.
    pub fn files(&self) -> Vec<FileVersion> {
        let mut v: Vec<FileVersion> = self
            .read()
            .files
            .values()
            .filter_map(|s| s.effective().cloned())
            .collect();
        v.sort_by(|a, b| a.path.cmp(&b.path));
        v
    }

    pub fn len(&self) -> usize {
        self.read().files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bumped by every change of any file (disk or open).
    pub fn generation(&self) -> u64 {
        self.read().generation
    }

    /// Whether `path` is under a workspace folder and matches the include/exclude globs.
    pub fn is_included(&self, path: &Path) -> bool {
        let filter = self.read().filter.clone();
        filter.is_some_and(|f| self.is_included_with(&f, path))
    }

    /// Containment is decided on the normalised path (a `..` left after URI decoding, as in
    /// `..%2F`, is refused outright) and on the symlink-resolved one: a path whose real file lies
    /// outside every (resolved) workspace folder is only accepted when the scan listed it, i.e.
    /// it was reached through a symlinked folder the walk follows on purpose.
    fn is_included_with(&self, filter: &Filter, path: &Path) -> bool {
        if !is_normal(path) {
            return false;
        }
        let (roots, real_roots, known) = {
            let st = self.read();
            let known = st.files.get(path).is_some_and(|s| s.disk.is_some());
            (st.roots.clone(), st.real_roots.clone(), known)
        };
        let lexical = roots
            .iter()
            .any(|r| path.strip_prefix(r).is_ok_and(|rel| filter.matches(rel)));
        if !lexical {
            return false;
        }
        match real_path(path) {
            Some(real) => known || real_roots.iter().any(|r| real.starts_with(r)),
            // Nothing there to read (a deletion): the entry, if any, is dropped.
            None => true,
        }
    }

    /// Runs `f` after every change, on the thread that made it, outside every lock.
    pub fn subscribe(&self, f: impl Fn(&[Change]) + Send + Sync + 'static) {
        self.listeners
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Box::new(f));
    }

    fn notify(&self, changes: &[Change]) {
        if changes.is_empty() {
            return;
        }
        for l in self
            .listeners
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
        {
            l(changes);
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(|e| e.into_inner())
    }
}

impl State {
    /// Stores (or with `None` removes) the disk version of `path`; returns the change of the
    /// effective version, if any.
    fn store_disk(&mut self, path: Arc<Path>, text: Option<String>) -> Option<Change> {
        self.generation += 1;
        let generation = self.generation;
        let slot = self.files.entry(path.clone()).or_default();
        let before = slot.effective().map(|f| f.hash);
        match text {
            Some(text) => {
                let hash = content_hash(&text);
                if slot.disk.as_ref().is_some_and(|d| d.hash == hash) {
                    return None;
                }
                slot.disk = Some(FileVersion {
                    uri: Arc::from(file_uri(&path).as_str()),
                    path: path.clone(),
                    text: Arc::from(text),
                    hash,
                    generation,
                    open: false,
                });
            }
            None => {
                slot.disk = None;
            }
        }
        let after = slot.effective().map(|f| f.hash);
        if slot.disk.is_none() && slot.open.is_none() {
            self.files.remove(&path);
        }
        let kind = match (before, after) {
            (None, Some(_)) => ChangeKind::Added,
            (Some(_), None) => ChangeKind::Removed,
            (Some(a), Some(b)) if a != b => ChangeKind::Changed,
            _ => return None,
        };
        Some(Change { path, kind })
    }
}

/// A `file://` URI for a path (percent-encoded as LSP clients expect).
pub fn file_uri(path: &Path) -> String {
    match url::Url::from_file_path(path) {
        Ok(u) => u.to_string(),
        Err(()) => format!("file://{}", path.display()),
    }
}

/// The path of a `file://` URI; `None` for other schemes (untitled documents) and for a path
/// that is not normalised after decoding (`sub/..%2F..%2Fx` decodes to `sub/../../x`: URL
/// parsing resolves literal `..` segments, so only a disguised one gets here).
pub fn uri_path(uri: &str) -> Option<PathBuf> {
    let u = url::Url::parse(uri).ok()?;
    if u.scheme() != "file" {
        return None;
    }
    u.to_file_path().ok().filter(|p| is_normal(p))
}

/// An absolute path without `.` or `..` components.
pub fn is_normal(path: &Path) -> bool {
    path.is_absolute()
        && path
            .components()
            .all(|c| !matches!(c, Component::ParentDir | Component::CurDir))
}

/// The path with every symlink resolved; for a path that does not exist, its resolved parent
/// joined with its name; `None` when neither exists.
pub fn real_path(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = path.canonicalize() {
        return Some(p);
    }
    let parent = path.parent()?.canonicalize().ok()?;
    Some(parent.join(path.file_name()?))
}

/// A fast 64-bit content hash (FxHash-style over 8-byte words). Not for adversarial input: it
/// tells versions apart and keys caches.
pub fn content_hash(text: &str) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let bytes = text.as_bytes();
    let mut h: u64 = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    for &b in chunks.remainder() {
        h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
    }
    // Final avalanche (splitmix64) so that low bits are usable as bucket indices.
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

#[cfg(test)]
mod tests;

/// Hands memory freed by a bulk build back to the system. glibc keeps freed small blocks in
/// its arenas, so after building the duplicate index (hundreds of MB of short-lived
/// per-paragraph vectors) the process would otherwise keep its peak size for good.
pub fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            fn malloc_trim(pad: usize) -> i32;
        }
        // SAFETY: malloc_trim only walks glibc's own heap; it takes no pointers from us.
        unsafe {
            malloc_trim(0);
        }
    }
}
