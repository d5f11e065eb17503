//! Walking workspace folders (include/exclude globs, `.gitignore`, symlinks followed with loop
//! detection) and reading files in parallel with a size cap. Every problem becomes a [`Problem`]
//! value; nothing here stops early.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use globset::{Glob, GlobSet, GlobSetBuilder};

use super::WorkspaceSettings;
use crate::decode;

/// Include/exclude globs (matched against the path relative to its workspace folder) and the
/// size cap.
#[derive(Debug, Clone)]
pub struct Filter {
    include: GlobSet,
    exclude: GlobSet,
    max_file_size: u64,
}

impl Filter {
    /// Builds the filter; an invalid glob becomes a warning and is left out.
    pub fn new(settings: &WorkspaceSettings) -> (Filter, Vec<String>) {
        let mut warnings = Vec::new();
        let mut build = |globs: &[String], what: &str| {
            let mut b = GlobSetBuilder::new();
            for g in globs {
                match Glob::new(g) {
                    Ok(glob) => {
                        b.add(glob);
                    }
                    Err(e) => warnings.push(format!("workspace.{what}: {g:?}: {e}")),
                }
            }
            b.build().unwrap_or_else(|_| GlobSet::empty())
        };
        let include = build(&settings.include, "include");
        let exclude = build(&settings.exclude, "exclude");
        (
            Filter {
                include,
                exclude,
                max_file_size: settings.max_file_size,
            },
            warnings,
        )
    }

    pub fn matches(&self, relative: &Path) -> bool {
        self.include.is_match(relative) && !self.exclude.is_match(relative)
    }

    pub fn max_file_size(&self) -> u64 {
        self.max_file_size
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// Larger than `workspace.maxFileSize`: skipped.
    TooLarge,
    /// Binary or in an unknown encoding.
    NotText,
    /// Listed, then gone before it could be read.
    Vanished,
    /// Permission denied or another I/O error.
    Unreadable,
    /// A directory that could not be walked (a symlink loop, no permission).
    Walk,
    /// Text, but not a Chinese report (see [`looks_like_report`]): left out.
    NotAReport,
}

/// A file or folder that could not be indexed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Problem {
    pub path: PathBuf,
    pub kind: ProblemKind,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

/// What a scan found.
#[derive(Debug, Clone, Default)]
pub struct ScanSummary {
    /// Files indexed from disk after the scan.
    pub files: usize,
    pub bytes: u64,
    pub problems: Vec<Problem>,
}

/// Folders the walk never enters, wherever a link or a workspace folder of `/` leads: their
/// trees are endless or change as they are read, and hold no reports.
const SPECIAL_FOLDERS: [&str; 3] = ["/proc", "/sys", "/dev"];
/// The deepest folder walked (real report archives are a few levels deep).
pub const MAX_DEPTH: usize = 40;
/// The most files listed per scan; the rest of the walk is given up with a problem.
pub const MAX_FILES: usize = 200_000;
/// The most entries (files and folders, included or not) visited per scan: a workspace folder
/// of `/` ends too.
pub const MAX_ENTRIES: usize = 2_000_000;

/// Lists the included files under `roots`. Symlinked folders are followed (a shared archive of
/// reports), but never into `/proc`, `/sys` or `/dev`, never deeper than [`MAX_DEPTH`], and
/// never past [`MAX_FILES`] files; each real file is listed once, under its first path that is
/// not a link (a file linked to another of the workspace is not its own duplicate).
pub fn list(roots: &[PathBuf], filter: &Filter) -> (Vec<PathBuf>, Vec<Problem>) {
    // (path, the real file's id, reached through a link)
    let mut files: Vec<(PathBuf, Option<FileId>, bool)> = Vec::new();
    let mut problems = Vec::new();
    let mut visited = 0usize;
    'roots: for root in roots {
        let special = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let walk = ignore::WalkBuilder::new(root)
            .follow_links(true)
            // .gitignore is honoured even in a folder that is not (yet) a git repository.
            .require_git(false)
            .max_depth(Some(MAX_DEPTH))
            .filter_entry({
                let special = special.clone();
                move |e| {
                    if !e.file_type().is_some_and(|t| t.is_dir()) {
                        return true;
                    }
                    let real = e.path().canonicalize();
                    let real = real.as_deref().unwrap_or(e.path());
                    let excluded = SPECIAL_FOLDERS.iter().any(|d| real.starts_with(d));
                    if excluded {
                        special
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push(e.path().to_path_buf());
                    }
                    !excluded
                }
            })
            .build();
        for entry in walk {
            match entry {
                Ok(e) => {
                    visited += 1;
                    if visited > MAX_ENTRIES {
                        problems.push(Problem {
                            path: root.clone(),
                            kind: ProblemKind::Walk,
                            message: format!(
                                "walk stopped after {MAX_ENTRIES} entries; the rest is not indexed"
                            ),
                        });
                        break 'roots;
                    }
                    let Some(t) = e.file_type() else { continue };
                    // Folders are walked; pipes, sockets and devices are never opened.
                    if t.is_dir() {
                        continue;
                    }
                    let path = e.path();
                    let rel = path.strip_prefix(root).unwrap_or(path);
                    if !filter.matches(rel) {
                        continue;
                    }
                    if t.is_file() {
                        if files.len() >= MAX_FILES {
                            problems.push(Problem {
                                path: root.clone(),
                                kind: ProblemKind::Walk,
                                message: format!(
                                    "listing stopped after {MAX_FILES} files; the rest is not indexed"
                                ),
                            });
                            break 'roots;
                        }
                        files.push((path.to_path_buf(), file_id(path), e.path_is_symlink()));
                    } else {
                        problems.push(Problem {
                            path: path.to_path_buf(),
                            kind: ProblemKind::Unreadable,
                            message: "not indexed: not a regular file (a pipe, socket or device)"
                                .to_string(),
                        });
                    }
                }
                Err(e) => problems.push(Problem {
                    path: walk_error_path(&e).unwrap_or_else(|| root.clone()),
                    kind: ProblemKind::Walk,
                    message: format!("not indexed: {e}"),
                }),
            }
        }
        let special = std::mem::take(&mut *special.lock().unwrap_or_else(|e| e.into_inner()));
        for path in special {
            problems.push(Problem {
                path,
                kind: ProblemKind::Walk,
                message: "not walked: a system folder (/proc, /sys or /dev)".to_string(),
            });
        }
    }
    // One path per real file: paths that are not links first, then in path order.
    files.sort_by(|a, b| (a.2, &a.0).cmp(&(b.2, &b.0)));
    let mut seen = std::collections::HashSet::new();
    files.retain(|(_, id, _)| id.is_none_or(|id| seen.insert(id)));
    (files.into_iter().map(|(p, _, _)| p).collect(), problems)
}

/// (device, inode): one real file.
type FileId = (u64, u64);

/// The id of the file a path leads to.
fn file_id(path: &Path) -> Option<FileId> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

fn walk_error_path(e: &ignore::Error) -> Option<PathBuf> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

/// Reads one file: its text, or `None` and a problem. A file that does not exist is a
/// [`ProblemKind::Vanished`] problem (the caller knows whether that is news). Only regular files
/// are read: opening a FIFO waits for a writer forever and a device may never end, so anything
/// else (a folder named `x.txt`, a pipe, a socket) is an [`ProblemKind::Unreadable`] problem.
pub fn read_one(path: &Path, max_size: u64) -> (Option<String>, Option<Problem>) {
    let problem = |kind, message: String| {
        (
            None,
            Some(Problem {
                path: path.to_path_buf(),
                kind,
                message,
            }),
        )
    };
    let too_large = |len: u64| {
        problem(
            ProblemKind::TooLarge,
            format!("not indexed: {len} bytes is more than workspace.maxFileSize ({max_size})"),
        )
    };
    let io_problem = |e: std::io::Error, vanished: &str| match e.kind() {
        std::io::ErrorKind::NotFound => problem(
            ProblemKind::Vanished,
            format!("not indexed: deleted {vanished}"),
        ),
        _ => problem(ProblemKind::Unreadable, format!("not indexed: {e}")),
    };
    // The path's own type first (a symlink is followed), so that a FIFO is never opened.
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => return not_regular(path, &m),
        Ok(m) if m.len() > max_size => return too_large(m.len()),
        Ok(_) => {}
        Err(e) => return io_problem(e, "before it could be read"),
    }
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => return io_problem(e, "before it could be read"),
    };
    // Replaced between the two looks: judge what was opened.
    match file.metadata() {
        Ok(m) if !m.is_file() => return not_regular(path, &m),
        Ok(m) if m.len() > max_size => return too_large(m.len()),
        Ok(_) => {}
        Err(e) => return io_problem(e, "while it was being read"),
    }
    let mut bytes = Vec::new();
    // A file growing while it is read stops at the cap.
    if let Err(e) = std::io::Read::read_to_end(
        &mut std::io::Read::take(&mut file, max_size.saturating_add(1)),
        &mut bytes,
    ) {
        return io_problem(e, "while it was being read");
    }
    if bytes.len() as u64 > max_size {
        return too_large(bytes.len() as u64);
    }
    match decode::decode(&bytes) {
        Ok(d) if looks_like_report(&d.text) => (Some(d.text), None),
        Ok(_) => problem(
            ProblemKind::NotAReport,
            "not indexed: little or no Chinese text, not a report".to_string(),
        ),
        Err(e) => problem(ProblemKind::NotText, format!("not indexed: {e}")),
    }
}

/// Whether a text file can be a report: at least half of its letters are Chinese characters.
/// A workspace rooted at a repository (`.git` is a root marker) holds READMEs, licences, lists
/// of requirements and logs as `.txt` besides the reports; they stay out of the index (their
/// passages would be compared, their figures listed). An empty file is kept: a new draft.
pub fn looks_like_report(text: &str) -> bool {
    let (mut cjk, mut letters) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        if crate::analysis::text::is_cjk(c) {
            cjk += 1;
        }
    }
    cjk * 2 >= letters
}

fn not_regular(path: &Path, m: &std::fs::Metadata) -> (Option<String>, Option<Problem>) {
    let what = if m.is_dir() {
        "a folder"
    } else {
        "not a regular file (a pipe, socket or device)"
    };
    (
        None,
        Some(Problem {
            path: path.to_path_buf(),
            kind: ProblemKind::Unreadable,
            message: format!("not indexed: {what}"),
        }),
    )
}

/// Reads `paths` on up to `threads` threads; `progress(done, total)` runs on the caller's thread.
pub fn read_all(
    paths: &[PathBuf],
    max_size: u64,
    threads: usize,
    progress: &mut dyn FnMut(usize, usize),
) -> (Vec<(PathBuf, String)>, Vec<Problem>) {
    let total = paths.len();
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, Option<String>, Option<Problem>)>();
    let threads = threads.clamp(1, 16).min(total.max(1));
    let mut texts = Vec::with_capacity(total);
    let mut problems = Vec::new();
    std::thread::scope(|s| {
        for _ in 0..threads {
            let tx = tx.clone();
            let next = &next;
            s.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = paths.get(i) else { break };
                let (text, problem) = read_one(path, max_size);
                if tx.send((i, text, problem)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let mut done = 0;
        progress(0, total);
        for (i, text, problem) in rx {
            done += 1;
            if let Some(t) = text {
                texts.push((paths[i].clone(), t));
            }
            if let Some(p) = problem {
                problems.push(p);
            }
            if done % 64 == 0 || done == total {
                progress(done, total);
            }
        }
    });
    texts.sort_by(|a, b| a.0.cmp(&b.0));
    (texts, problems)
}
