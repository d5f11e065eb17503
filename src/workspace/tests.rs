//! Tests of the workspace index: scanning, filters, problems, shadowing, notifications, cache.

use std::fs;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::*;

struct Tmp(PathBuf);

impl Tmp {
    fn new(tag: &str) -> Tmp {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::SeqCst);
        let dir =
            std::env::temp_dir().join(format!("report-lsp-ws-{tag}-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Tmp(dir.canonicalize().unwrap())
    }
    fn write(&self, rel: &str, bytes: &[u8]) -> PathBuf {
        let p = self.0.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, bytes).unwrap();
        p
    }
}

impl Drop for Tmp {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn workspace(tmp: &Tmp, settings: WorkspaceSettings) -> Workspace {
    let ws = Workspace::new();
    assert!(ws.configure(vec![tmp.0.clone()], settings).is_empty());
    ws
}

fn names(ws: &Workspace, tmp: &Tmp) -> Vec<String> {
    ws.files()
        .iter()
        .map(|f| f.path.strip_prefix(&tmp.0).unwrap().display().to_string())
        .collect()
}

#[test]
fn scan_honours_globs_gitignore_size_cap_and_decoding() {
    let tmp = Tmp::new("scan");
    tmp.write("a.txt", "各位代表：\n".as_bytes());
    tmp.write("sub/b.txt", "一、总体要求\n".as_bytes());
    tmp.write("notes.md", b"# not a report\n");
    tmp.write("drafts/c.txt", "草稿\n".as_bytes());
    tmp.write("ignored/d.txt", "忽略\n".as_bytes());
    tmp.write(".gitignore", b"ignored/\n");
    tmp.write("bin.txt", b"\x00\x01\x02binary");
    tmp.write("big.txt", &vec![b'x'; 4096]);
    // GB18030 text is decoded like any other report.
    let (gbk, _, _) = encoding_rs::GB18030.encode("政府工作报告\n");
    tmp.write("gbk.txt", &gbk);
    let ws = workspace(
        &tmp,
        WorkspaceSettings {
            exclude: vec!["drafts/**".into()],
            max_file_size: 1024,
            ..WorkspaceSettings::default()
        },
    );
    let mut calls = Vec::new();
    let summary = ws.scan(2, &mut |d, t| calls.push((d, t)));
    assert_eq!(names(&ws, &tmp), vec!["a.txt", "gbk.txt", "sub/b.txt"]);
    assert_eq!(calls.last(), Some(&(5, 5)), "{calls:?}");
    let mut kinds: Vec<(String, ProblemKind)> = summary
        .problems
        .iter()
        .map(|p| {
            (
                p.path.file_name().unwrap().to_string_lossy().to_string(),
                p.kind,
            )
        })
        .collect();
    kinds.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        kinds,
        vec![
            ("big.txt".to_string(), ProblemKind::TooLarge),
            ("bin.txt".to_string(), ProblemKind::NotText)
        ]
    );
    assert_eq!(summary.files, 3);
    let gbk = ws.get(&tmp.0.join("gbk.txt")).unwrap();
    assert_eq!(&*gbk.text, "政府工作报告\n");
    assert!(gbk.uri.starts_with("file:///"), "{}", gbk.uri);
    assert!(ws.is_included(&tmp.0.join("x/y.txt")));
    assert!(!ws.is_included(&tmp.0.join("drafts/y.txt")));
    assert!(!ws.is_included(Path::new("/elsewhere/y.txt")));
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_a_problem_not_a_hang() {
    let tmp = Tmp::new("loop");
    tmp.write("d/a.txt", "甲\n".as_bytes());
    std::os::unix::fs::symlink(&tmp.0, tmp.0.join("d/loop")).unwrap();
    let ws = workspace(&tmp, WorkspaceSettings::default());
    let summary = ws.scan(1, &mut |_, _| {});
    assert_eq!(names(&ws, &tmp), vec!["d/a.txt"]);
    assert!(
        summary.problems.iter().any(|p| p.kind == ProblemKind::Walk),
        "{:?}",
        summary.problems
    );
}

#[test]
fn refresh_tracks_create_change_delete_and_notifies() {
    let tmp = Tmp::new("refresh");
    let a = tmp.write("a.txt", "甲\n".as_bytes());
    let ws = workspace(&tmp, WorkspaceSettings::default());
    let seen: Arc<Mutex<Vec<(String, ChangeKind)>>> = Arc::default();
    {
        let seen = seen.clone();
        ws.subscribe(move |changes| {
            for c in changes {
                let name = c.path.file_name().unwrap().to_string_lossy().to_string();
                seen.lock().unwrap().push((name, c.kind));
            }
        });
    }
    ws.scan(1, &mut |_, _| {});
    let g0 = ws.generation();
    let b = tmp.write("b.txt", "乙\n".as_bytes());
    assert_eq!(ws.refresh(&b).0.map(|c| c.kind), Some(ChangeKind::Added));
    // Same content again: no change.
    assert_eq!(ws.refresh(&b).0, None);
    fs::write(&a, "甲改\n").unwrap();
    assert_eq!(ws.refresh(&a).0.map(|c| c.kind), Some(ChangeKind::Changed));
    assert_eq!(&*ws.get(&a).unwrap().text, "甲改\n");
    fs::remove_file(&b).unwrap();
    let (change, problem) = ws.refresh(&b);
    assert_eq!(change.map(|c| c.kind), Some(ChangeKind::Removed));
    assert!(problem.is_none(), "a deletion is not a problem");
    // A file outside the globs is never indexed.
    let md = tmp.write("c.md", b"x");
    assert_eq!(ws.refresh(&md).0, None);
    assert!(ws.generation() > g0);
    assert_eq!(
        *seen.lock().unwrap(),
        vec![
            ("a.txt".to_string(), ChangeKind::Added),
            ("b.txt".to_string(), ChangeKind::Added),
            ("a.txt".to_string(), ChangeKind::Changed),
            ("b.txt".to_string(), ChangeKind::Removed),
        ]
    );
}

#[test]
fn open_documents_shadow_their_files() {
    let tmp = Tmp::new("open");
    let a = tmp.write("a.txt", "磁盘\n".as_bytes());
    let ws = workspace(&tmp, WorkspaceSettings::default());
    ws.scan(1, &mut |_, _| {});
    let disk = ws.get(&a).unwrap();
    assert!(!disk.open);
    let c = ws.open(&a, "file:///client/a.txt", Arc::from("编辑中\n"));
    assert_eq!(c.map(|c| c.kind), Some(ChangeKind::Changed));
    let open = ws.get(&a).unwrap();
    assert!(open.open);
    assert_eq!(&*open.text, "编辑中\n");
    assert_eq!(&*open.uri, "file:///client/a.txt");
    // The file changes on disk while open: the open text still wins.
    fs::write(&a, "磁盘新\n").unwrap();
    assert_eq!(ws.refresh(&a).0, None);
    assert_eq!(&*ws.get(&a).unwrap().text, "编辑中\n");
    // Closing brings the disk version back.
    assert_eq!(ws.close(&a).map(|c| c.kind), Some(ChangeKind::Changed));
    assert_eq!(&*ws.get(&a).unwrap().text, "磁盘新\n");
    // A document without a file is added on open and removed on close.
    let scratch = tmp.0.join("scratch.txt");
    assert_eq!(
        ws.open(&scratch, "file:///s", Arc::from("x"))
            .map(|c| c.kind),
        Some(ChangeKind::Added)
    );
    assert_eq!(
        ws.close(&scratch).map(|c| c.kind),
        Some(ChangeKind::Removed)
    );
    assert!(ws.get(&scratch).is_none());
}

#[test]
fn files_vanishing_during_a_scan_are_dropped_and_reported() {
    let tmp = Tmp::new("vanish");
    let paths: Vec<PathBuf> = (0..50)
        .map(|i| tmp.write(&format!("f{i:03}.txt"), "甲\n".as_bytes()))
        .collect();
    for p in paths.iter().step_by(2) {
        fs::remove_file(p).unwrap();
    }
    let (texts, problems) = scan::read_all(&paths, 1 << 20, 2, &mut |_, _| {});
    assert_eq!(texts.len(), 25);
    assert_eq!(problems.len(), 25);
    assert!(problems.iter().all(|p| p.kind == ProblemKind::Vanished));
}

#[test]
fn a_rescan_removes_deleted_files() {
    let tmp = Tmp::new("rescan");
    let a = tmp.write("a.txt", "甲\n".as_bytes());
    tmp.write("b.txt", "乙\n".as_bytes());
    let ws = workspace(&tmp, WorkspaceSettings::default());
    ws.scan(1, &mut |_, _| {});
    fs::remove_file(&a).unwrap();
    ws.scan(1, &mut |_, _| {});
    assert_eq!(names(&ws, &tmp), vec!["b.txt"]);
}

#[test]
fn invalid_globs_are_warnings() {
    let ws = Workspace::new();
    let w = ws.configure(
        vec![],
        WorkspaceSettings {
            include: vec!["**/*.txt".into(), "a[".into()],
            ..WorkspaceSettings::default()
        },
    );
    assert_eq!(w.len(), 1, "{w:?}");
}

#[test]
fn derived_cache_recomputes_only_on_content_change() {
    let tmp = Tmp::new("cache");
    let a = tmp.write("a.txt", "甲\n".as_bytes());
    let ws = workspace(&tmp, WorkspaceSettings::default());
    ws.scan(1, &mut |_, _| {});
    let cache: DerivedCache<usize> = DerivedCache::new();
    let runs = AtomicUsize::new(0);
    let len = |f: &FileVersion| {
        runs.fetch_add(1, Ordering::SeqCst);
        f.text.chars().count()
    };
    assert_eq!(*cache.get_or_compute(&ws.get(&a).unwrap(), len), 2);
    assert_eq!(*cache.get_or_compute(&ws.get(&a).unwrap(), len), 2);
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    ws.open(&a, "file:///a", Arc::from("甲乙丙\n"));
    assert!(cache.get(&ws.get(&a).unwrap()).is_none());
    assert_eq!(*cache.get_or_compute(&ws.get(&a).unwrap(), len), 4);
    assert_eq!(runs.load(Ordering::SeqCst), 2);
    cache.remove(&a);
    assert!(cache.is_empty());
}

#[test]
fn a_following_cache_forgets_deleted_files() {
    let tmp = Tmp::new("cache-follow");
    let a = tmp.write("a.txt", "甲\n".as_bytes());
    let b = tmp.write("b.txt", "乙\n".as_bytes());
    let ws = workspace(&tmp, WorkspaceSettings::default());
    ws.scan(1, &mut |_, _| {});
    let cache: Arc<DerivedCache<usize>> = DerivedCache::following(&ws);
    for p in [&a, &b] {
        cache.get_or_compute(&ws.get(p).unwrap(), |f| f.text.len());
    }
    assert_eq!(cache.len(), 2);
    std::fs::remove_file(&a).unwrap();
    ws.refresh(&a);
    assert_eq!(cache.len(), 1);
    assert!(cache.get(&ws.get(&b).unwrap()).is_some());
}

#[test]
fn uris_round_trip_through_paths() {
    let p = Path::new("/tmp/报告 2023.txt");
    let uri = file_uri(p);
    assert_eq!(uri, "file:///tmp/%E6%8A%A5%E5%91%8A%202023.txt");
    assert_eq!(uri_path(&uri).as_deref(), Some(p));
    assert_eq!(uri_path("untitled:Untitled-1"), None);
    assert_ne!(content_hash("甲"), content_hash("乙"));
    assert_eq!(content_hash("甲乙丙丁戊"), content_hash("甲乙丙丁戊"));
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    extern "C" {
        fn mkfifo(path: *const std::ffi::c_char, mode: u32) -> i32;
    }
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo only creates a file system entry.
    assert_eq!(unsafe { mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo {path:?}");
}

/// Runs `f` on another thread and fails if it does not finish in time (a FIFO opened for
/// reading would block forever).
fn within<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(std::time::Duration::from_secs(30))
        .unwrap_or_else(|_| panic!("{what} blocked"))
}

/// Real read failures even as root (where chmod 000 stops nothing): a folder named like a
/// report, a FIFO (never opened: that would block), a link to a file whose read fails with EIO.
/// Each is one problem, the good files are indexed, nothing blocks.
#[cfg(target_os = "linux")]
#[test]
fn unreadable_entries_are_problems_once_and_never_block() {
    let tmp = Tmp::new("unreadable");
    tmp.write("a.txt", "甲\n".as_bytes());
    tmp.write("x.txt/inner.txt", "乙\n".as_bytes());
    mkfifo(&tmp.0.join("pipe.txt"));
    std::os::unix::fs::symlink("/proc/self/mem", tmp.0.join("mem.txt")).unwrap();
    let ws = Arc::new(workspace(&tmp, WorkspaceSettings::default()));
    let summary = {
        let ws = ws.clone();
        within("scan", move || ws.scan(2, &mut |_, _| {}))
    };
    assert_eq!(names(&ws, &tmp), vec!["a.txt", "x.txt/inner.txt"]);
    let mut problems: Vec<(String, ProblemKind)> = summary
        .problems
        .iter()
        .map(|p| (p.path.file_name().unwrap().to_string_lossy().into(), p.kind))
        .collect();
    problems.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        problems,
        vec![
            ("mem.txt".to_string(), ProblemKind::Unreadable),
            ("pipe.txt".to_string(), ProblemKind::Unreadable),
        ],
        "{:?}",
        summary.problems
    );
    let mem = summary
        .problems
        .iter()
        .find(|p| p.path.ends_with("mem.txt"));
    assert!(
        mem.is_some_and(|p| p.message.contains("os error 5")),
        "{mem:?}"
    );
    // The watcher path reads one file: the same problems, no blocking, nothing indexed.
    for (name, expected) in [("pipe.txt", "not a regular file"), ("x.txt", "a folder")] {
        let path = tmp.0.join(name);
        let (change, problem) = {
            let ws = ws.clone();
            within(name, move || ws.refresh(&path))
        };
        assert_eq!(change, None, "{name}");
        let problem = problem.unwrap_or_else(|| panic!("{name}: no problem"));
        assert_eq!(problem.kind, ProblemKind::Unreadable, "{name}");
        assert!(problem.message.contains(expected), "{name}: {problem}");
    }
    // A link leading out of the workspace that the scan did not index is not even opened.
    let path = tmp.0.join("mem.txt");
    let refreshed = {
        let ws = ws.clone();
        within("mem.txt", move || ws.refresh(&path))
    };
    assert_eq!(refreshed, (None, None));
    assert_eq!(names(&ws, &tmp), vec!["a.txt", "x.txt/inner.txt"]);
}

/// chmod 000: unreadable for an ordinary user (one problem, the rest indexed); root reads it
/// anyway, and then it is simply indexed. Whichever applies here is asserted.
#[cfg(unix)]
#[test]
fn a_file_without_read_permission() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = Tmp::new("chmod");
    tmp.write("a.txt", "甲\n".as_bytes());
    let secret = tmp.write("secret.txt", "乙\n".as_bytes());
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o000)).unwrap();
    let privileged = fs::File::open(&secret).is_ok();
    let ws = workspace(&tmp, WorkspaceSettings::default());
    let summary = ws.scan(1, &mut |_, _| {});
    let (change, problem) = ws.refresh(&secret);
    assert_eq!(change, None);
    if privileged {
        assert_eq!(names(&ws, &tmp), vec!["a.txt", "secret.txt"]);
        assert!(summary.problems.is_empty(), "{:?}", summary.problems);
        assert_eq!(problem, None);
    } else {
        assert_eq!(names(&ws, &tmp), vec!["a.txt"]);
        assert_eq!(summary.problems.len(), 1, "{:?}", summary.problems);
        assert_eq!(summary.problems[0].kind, ProblemKind::Unreadable);
        assert!(summary.problems[0].path.ends_with("secret.txt"));
        assert_eq!(problem.map(|p| p.kind), Some(ProblemKind::Unreadable));
    }
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o644)).unwrap();
}

#[test]
fn text_files_that_are_not_chinese_reports_stay_out_of_the_index() {
    let tmp = Tmp::new("not-reports");
    tmp.write(
        "reports/2024.txt",
        "各位代表：\n现在，我代表市人民政府向大会报告工作。\n".as_bytes(),
    );
    // A report quoting English names and figures is still a report.
    tmp.write(
        "reports/2025.txt",
        "推进GDP核算改革，建设5G基站1.2万个，发展AI产业。\n".as_bytes(),
    );
    tmp.write("empty.txt", b"");
    tmp.write("README.txt", b"How to build: run make. See LICENSE.txt.\n");
    tmp.write("requirements.txt", b"jsonschema==4.23.0\nrequests>=2\n");
    tmp.write(
        "notes/mixed.txt",
        "TODO: fix the build (构建) on Windows and macOS\n".as_bytes(),
    );
    let ws = workspace(&tmp, WorkspaceSettings::default());
    let summary = ws.scan(2, &mut |_, _| {});
    assert_eq!(
        names(&ws, &tmp),
        vec!["empty.txt", "reports/2024.txt", "reports/2025.txt"]
    );
    let mut left_out: Vec<String> = summary
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::NotAReport)
        .map(|p| p.path.strip_prefix(&tmp.0).unwrap().display().to_string())
        .collect();
    left_out.sort();
    assert_eq!(
        left_out,
        vec!["README.txt", "notes/mixed.txt", "requirements.txt"]
    );
    // A file that becomes a report joins on its next change.
    let readme = tmp.write("README.txt", "本目录存放历年政府工作报告。\n".as_bytes());
    let (change, problem) = ws.refresh(&readme);
    assert!(change.is_some() && problem.is_none());
    assert!(names(&ws, &tmp).contains(&"README.txt".to_string()));
}
