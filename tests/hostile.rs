//! Hostile input, faults and the workspace boundary (issue 18), through the real binary: nothing
//! is read or written outside the workspace, nothing hangs, nothing grows without bound. Each
//! test sets its own time limit.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{Options, Server, TempDir, TIMEOUT};
use serde_json::json;

const REPORT: &str =
    "2017年政府工作报告\n一、2017年主要任务\n主要预期目标是：城镇登记失业率控制在3%以内。\n";

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, text).unwrap();
    p
}

/// The URIs of the workspace symbols for 失业率.
fn symbol_uris(s: &mut Server) -> Vec<String> {
    let r = s.request("workspace/symbol", json!({ "query": "失业率" }));
    r.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x["location"]["uri"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn wait_symbols(s: &mut Server, what: &str, ok: impl Fn(&[String]) -> bool) -> Vec<String> {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let uris = symbol_uris(s);
        if ok(&uris) {
            return uris;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}: {uris:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn watched_file_event_cannot_reach_outside_the_workspace() {
    let dir = TempDir::new("contain");
    let ws = dir.path().join("ws");
    write(&ws, "sub/a.txt", REPORT);
    write(dir.path(), "outside/secret.txt", REPORT);
    let mut s = Server::start(Options {
        root: Some(ws.clone()),
        ..Options::default()
    });
    wait_symbols(&mut s, "the scan", |u| {
        u.iter().any(|x| x.ends_with("a.txt"))
    });
    let later = write(&ws, "later.txt", REPORT);
    let evil = format!("file://{}/sub/..%2F..%2Foutside%2Fsecret.txt", ws.display());
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [
            { "uri": evil, "type": 1 },
            { "uri": common::file_uri(&later), "type": 1 },
        ] }),
    );
    let uris = wait_symbols(&mut s, "later.txt", |u| {
        u.iter().any(|x| x.ends_with("later.txt"))
    });
    assert!(
        uris.iter().all(|u| !u.contains("secret")),
        "a file outside the workspace was indexed: {uris:?}"
    );
    s.shutdown();
}

fn start_with_edits(root: &Path) -> Server {
    Server::start(Options {
        root: Some(root.to_path_buf()),
        capabilities: json!({ "workspace": {
            "applyEdit": true,
            "workspaceEdit": { "documentChanges": true, "resourceOperations": ["create"] },
        } }),
        ..Options::default()
    })
}

fn mark_intended(s: &mut Server, fp: &str) {
    s.request(
        "workspace/executeCommand",
        json!({ "command": "report-lsp.ignoreDuplicate", "arguments": [fp] }),
    );
}

#[test]
fn mark_as_intended_writes_nothing_and_never_through_a_link_out() {
    let dir = TempDir::new("nowrite");
    let ws = dir.path().join("ws");
    std::fs::create_dir_all(&ws).unwrap();
    let toml = ws.join("report-lsp.toml");

    // A dangling link: nothing may be created where it points.
    let target = dir.path().join("elsewhere.toml");
    std::os::unix::fs::symlink(&target, &toml).unwrap();
    let mut s = start_with_edits(&ws);
    mark_intended(&mut s, "00000000000000ff");
    assert!(!target.exists(), "the server created a file outside");
    assert!(s.take_requests("workspace/applyEdit").is_empty());
    s.shutdown();

    // A link to another settings file outside: left as it is.
    std::fs::write(&target, "language = \"en\"\n").unwrap();
    let mut s = start_with_edits(&ws);
    mark_intended(&mut s, "00000000000000ff");
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "language = \"en\"\n"
    );
    assert!(s.take_requests("workspace/applyEdit").is_empty());
    s.shutdown();

    // A regular settings file: the client gets an edit of the whole file; the disk is untouched.
    std::fs::remove_file(&toml).unwrap();
    std::fs::write(&toml, "# ours\nlanguage = \"zh\"\n").unwrap();
    let mut s = start_with_edits(&ws);
    mark_intended(&mut s, "00000000000000ff");
    assert_eq!(
        std::fs::read_to_string(&toml).unwrap(),
        "# ours\nlanguage = \"zh\"\n"
    );
    let apply = s.take_requests("workspace/applyEdit");
    assert_eq!(apply.len(), 1, "{apply:?}");
    let uri = common::file_uri(&toml);
    let edits = common::workspace_edits(&apply[0]["params"]["edit"], &uri);
    let after = common::apply_edits("# ours\nlanguage = \"zh\"\n", &edits, s.encoding());
    assert!(after.starts_with("# ours\nlanguage = \"zh\"\n"), "{after}");
    assert!(after.contains("ignore = [\"00000000000000ff\"]"), "{after}");
    s.shutdown();
}

/// Resident memory of a process in MB, from /proc.
fn rss_mb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

/// Kills `pid` when its RSS passes `cap_mb` (a blow-up must fail the test, not the machine);
/// `peak()` is the highest RSS seen.
struct Watchdog {
    peak: Arc<AtomicU64>,
    killed: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
}

impl Watchdog {
    fn new(pid: u32, cap_mb: u64) -> Watchdog {
        let peak = Arc::new(AtomicU64::new(0));
        let killed = Arc::new(AtomicBool::new(false));
        let stop = Arc::new(AtomicBool::new(false));
        let (p, k, st) = (peak.clone(), killed.clone(), stop.clone());
        std::thread::spawn(move || {
            while !st.load(Ordering::SeqCst) {
                let Some(mb) = rss_mb(pid) else { return };
                p.fetch_max(mb, Ordering::SeqCst);
                if mb > cap_mb {
                    k.store(true, Ordering::SeqCst);
                    let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
                    return;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        });
        Watchdog { peak, killed, stop }
    }

    fn peak(&self) -> u64 {
        self.peak.load(Ordering::SeqCst)
    }

    fn killed(&self) -> bool {
        self.killed.load(Ordering::SeqCst)
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

struct Run {
    status: Option<std::process::ExitStatus>,
    stdout: String,
    stderr: String,
    peak_mb: u64,
}

/// Runs the CLI with a time limit and a memory cap set here; either one passed fails the test.
fn run_cli(args: &[&str], limit: Duration, cap_mb: u64) -> Run {
    let mut child = Command::new(common::BIN)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let dog = Watchdog::new(child.id(), cap_mb);
    let (mut out, mut err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut out, &mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut err, &mut s);
        s
    });
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break Some(st);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let run = Run {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
        peak_mb: dog.peak(),
    };
    assert!(!dog.killed(), "{args:?}: over {cap_mb} MB");
    assert!(
        run.status.is_some(),
        "{args:?}: still running after {limit:?}"
    );
    run
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
}

#[test]
fn settings_file_that_is_a_fifo_or_dev_zero_is_refused() {
    let dir = TempDir::new("cfgfifo");
    let report = write(dir.path(), "r.txt", REPORT);
    let report = report.to_str().unwrap();
    let fifo = dir.path().join("fifo.toml");
    mkfifo(&fifo);
    let zero = dir.path().join("zero.toml");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    for cfg in [&fifo, &zero] {
        let run = run_cli(
            &["check", "--config", cfg.to_str().unwrap(), report],
            Duration::from_secs(20),
            300,
        );
        assert!(run.stderr.contains("not a regular file"), "{}", run.stderr);
    }

    // The server: report-lsp.toml in the workspace folder is a FIFO, then a link to /dev/zero.
    for (name, make) in [("fifo", true), ("zero", false)] {
        let ws = dir.path().join(name);
        std::fs::create_dir_all(&ws).unwrap();
        let toml = ws.join("report-lsp.toml");
        if make {
            mkfifo(&toml);
        } else {
            std::os::unix::fs::symlink("/dev/zero", &toml).unwrap();
        }
        let mut s = Server::spawn(json!({}));
        let dog = Watchdog::new(s.pid(), 300);
        // `initialize` is answered (the request fails the test after TIMEOUT otherwise).
        s.initialize(&Options {
            root: Some(ws.clone()),
            ..Options::default()
        });
        assert!(!dog.killed(), "{name}: over 300 MB (peak {})", dog.peak());
        s.shutdown();
    }
}

#[test]
fn named_file_over_the_size_cap_is_refused_with_a_message() {
    let dir = TempDir::new("sparse");
    let big = dir.path().join("big.txt");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(1 << 30).unwrap();
    let run = run_cli(
        &["check", big.to_str().unwrap()],
        Duration::from_secs(20),
        200,
    );
    assert!(
        run.stderr.contains("workspace.maxFileSize"),
        "{} / {}",
        run.stdout,
        run.stderr
    );
    assert!(run.peak_mb < 200);
    // Raised by the settings file, the cap lets a file through.
    write(
        dir.path(),
        "report-lsp.toml",
        "[workspace]\nmaxFileSize = 100\n",
    );
    let small = write(dir.path(), "small.txt", REPORT);
    let run = run_cli(
        &["check", small.to_str().unwrap()],
        Duration::from_secs(20),
        200,
    );
    assert!(
        run.stderr.contains("workspace.maxFileSize (100)"),
        "{}",
        run.stderr
    );
}

#[test]
fn scan_through_links_to_system_folders_ends_and_links_are_not_duplicates() {
    let dir = TempDir::new("syslinks");
    let ws = dir.path().join("ws");
    let a = write(&ws, "a.txt", REPORT);
    std::os::unix::fs::symlink(&a, ws.join("same.txt")).unwrap();
    for target in ["/proc", "/sys", "/dev"] {
        let name = format!("link{}", target.replace('/', "-"));
        std::os::unix::fs::symlink(target, ws.join(name)).unwrap();
    }
    let mut s = Server::spawn(json!({}));
    let dog = Watchdog::new(s.pid(), 1000);
    let opts = Options {
        root: Some(ws.clone()),
        capabilities: json!({ "window": { "workDoneProgress": true } }),
        ..Options::default()
    };
    s.initialize(&opts);
    // The scan ends (its progress ends) within the time limit.
    s.wait_for_notification(
        "$/progress",
        |p| p["value"]["kind"] == "end",
        Duration::from_secs(60),
    );
    assert!(!dog.killed(), "over 1000 MB");
    // a.txt once: same.txt is the same file.
    let uris = symbol_uris(&mut s);
    assert_eq!(uris.len(), 1, "{uris:?}");
    s.shutdown();
}

#[test]
fn exit_does_not_wait_for_a_running_scan() {
    let dir = TempDir::new("exitscan");
    let ws = dir.path().join("ws");
    write(&ws, "a.txt", REPORT);
    // The whole file system through a link: a walk of many seconds.
    std::os::unix::fs::symlink("/", ws.join("everything")).unwrap();
    let mut s = Server::start(Options {
        root: Some(ws.clone()),
        ..Options::default()
    });
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        s.request("shutdown", serde_json::Value::Null),
        serde_json::Value::Null
    );
    let started = Instant::now();
    let status = s.exit();
    assert!(status.success(), "{status:?}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "exit took {:?}",
        started.elapsed()
    );
}

/// Waits for the process to end within `limit`.
fn wait_exit(mut child: std::process::Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(st) = child.try_wait().unwrap() {
            return st;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the server did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn frame(body: &str) -> Vec<u8> {
    let mut f = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    f.extend_from_slice(body.as_bytes());
    f
}

/// Runs `serve` over a fixed input (then stdin stays open) and returns the exit status.
fn serve_input(input: &[u8]) -> std::process::ExitStatus {
    let mut child = Command::new(common::BIN)
        .arg("serve")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    std::io::Write::write_all(&mut stdin, input).unwrap();
    let status = wait_exit(child, Duration::from_secs(20));
    drop(stdin);
    status
}

#[test]
fn dollar_requests_get_method_not_found() {
    let mut s = Server::start(Options::default());
    let r = s.request_raw("$/unknownThing", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    // A `$/` notification is still ignored quietly, and serving goes on.
    s.notify("$/setTrace", json!({ "value": "off" }));
    let r = s.request_raw("$/another", json!(null));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    s.shutdown();
}

#[test]
fn exit_status_follows_the_parsed_shutdown_and_exit_as_request_ends() {
    let init =
        frame(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#);
    let initialized = frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#);
    let exit = frame(r#"{"jsonrpc":"2.0","method":"exit"}"#);
    let run = |shutdown: &str, exit: &[u8]| {
        let mut input = [init.clone(), initialized.clone()].concat();
        input.extend(frame(shutdown));
        input.extend(exit);
        serve_input(&input)
    };
    // A shutdown frame of more than 4096 bytes (padding in an unknown member).
    let pad = "x".repeat(5000);
    let long = format!(r#"{{"jsonrpc":"2.0","id":2,"method":"shutdown","pad":"{pad}"}}"#);
    assert_eq!(run(&long, &exit).code(), Some(0), "long shutdown frame");
    // The method name spelled with a JSON escape.
    let escaped = r#"{"jsonrpc":"2.0","id":2,"method":"shut\u0064own"}"#;
    assert_eq!(run(escaped, &exit).code(), Some(0), "escaped method name");
    // Without shutdown: 1.
    let other = r#"{"jsonrpc":"2.0","id":2,"method":"workspace/symbol","params":{"query":""}}"#;
    assert_eq!(run(other, &exit).code(), Some(1), "no shutdown");
    // `exit` sent as a request still ends the server.
    let exit_request = frame(r#"{"jsonrpc":"2.0","id":3,"method":"exit"}"#);
    let plain = r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#;
    assert_eq!(
        run(plain, &exit_request).code(),
        Some(0),
        "exit as a request"
    );
}

#[test]
fn unreadable_did_change_is_refused_until_a_full_text_resynchronises() {
    let dir = TempDir::new("desync");
    let uri = common::file_uri(&dir.path().join("d.txt"));
    let mut s = Server::start(Options::default());
    s.open(&uri, "一、总体要求\n", 1);
    let edit = |line: u32, text: &str| {
        json!([{ "range": { "start": { "line": line, "character": 0 },
                            "end": { "line": line, "character": 0 } }, "text": text }])
    };
    // Versions that do not fit an i32, or are strings: refused, and the document is out of sync.
    for version in [json!(3_000_000_000u64), json!("7")] {
        s.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version },
                    "contentChanges": edit(1, "二、主要任务\n") }),
        );
    }
    // The next incremental edit would apply to text the editor no longer has: not applied.
    s.change(&uri, 4, edit(0, "（一）"));
    let symbols = s.symbols(&uri);
    let names: Vec<String> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(names.iter().all(|n| !n.contains("（一）")), "{names:?}");
    let logged: Vec<String> = s
        .take_requests("window/logMessage")
        .iter()
        .filter_map(|m| m["params"]["message"].as_str().map(str::to_string))
        .collect();
    assert!(
        logged.iter().filter(|m| m.contains("refused")).count() == 2
            && logged.iter().any(|m| m.contains("out of sync")),
        "{logged:?}"
    );
    // A full text resynchronises: the server has exactly the editor's text again.
    let full = "一、总体要求\n二、主要任务\n（一）稳增长\n";
    s.change(&uri, 5, json!([{ "text": full }]));
    s.change(&uri, 6, edit(3, "三、保障措施\n"));
    let symbols = s.symbols(&uri);
    let top: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|x| x["name"].as_str())
        .collect();
    assert_eq!(top.len(), 3, "{symbols}");
    assert!(top[2].contains("保障措施"), "{top:?}");
    s.shutdown();
}

#[test]
fn a_client_that_stops_reading_does_not_grow_the_server() {
    let mut child = Command::new(common::BIN)
        .arg("serve")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped()) // never read
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let dog = Watchdog::new(child.id(), 250);
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    // About 2,900 sections: each documentSymbol answer is most of a megabyte.
    const NUMS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let zh = |n: usize| match (n / 10, n % 10) {
        (0, u) => NUMS[u].to_string(),
        (1, u) => format!("十{}", NUMS[u]),
        (t, u) => format!("{}十{}", NUMS[t], NUMS[u]),
    };
    let mut text = String::new();
    for i in 1..=99 {
        text.push_str(&format!("{}、第{i}部分\n", zh(i)));
        for j in 1..=30 {
            text.push_str(&format!(
                "（{}）第{j}项任务\n城镇登记失业率控制在3%以内。\n",
                zh(j)
            ));
        }
    }
    let uri = "file:///stalled.txt";
    let writer = std::thread::spawn(move || {
        let send = |w: &mut std::process::ChildStdin, v: serde_json::Value| {
            std::io::Write::write_all(w, &frame(&v.to_string())).is_ok()
        };
        send(
            &mut stdin,
            json!({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"capabilities":{}}}),
        );
        send(
            &mut stdin,
            json!({"jsonrpc":"2.0","method":"initialized","params":{}}),
        );
        send(
            &mut stdin,
            json!({"jsonrpc":"2.0","method":"textDocument/didOpen","params":{
            "textDocument":{"uri":uri,"languageId":"plaintext","version":1,"text":text}}}),
        );
        let started = Instant::now();
        let mut id = 1;
        // Writes block once the server stops reading: that is the back-pressure.
        while started.elapsed() < Duration::from_secs(10) {
            let ok = send(
                &mut stdin,
                json!({"jsonrpc":"2.0","id":id,"method":"textDocument/documentSymbol",
                "params":{"textDocument":{"uri":uri}}}),
            );
            if !ok {
                break;
            }
            id += 1;
        }
        id
    });
    // The writer thread may stay blocked in a write: it is given 15 s, then the server is killed.
    let deadline = Instant::now() + Duration::from_secs(15);
    while !writer.is_finished() && Instant::now() < deadline && !dog.killed() {
        std::thread::sleep(Duration::from_millis(50));
    }
    let peak = dog.peak();
    let killed = dog.killed();
    let _ = child.kill();
    let _ = child.wait();
    drop(stdout);
    assert!(
        !killed,
        "the server grew past 400 MB with a client not reading"
    );
    eprintln!("peak RSS {peak} MB");
}

const FIXABLE: &str = "政府工作报告\n各位代表：\n一、回顾\n习近平总书记先后 10 次视察北京,推动建設。\n- 3 -\n三、任务\n正文。\n";

fn set_readonly(path: &Path, readonly: bool) {
    let mut p = std::fs::metadata(path).unwrap().permissions();
    p.set_readonly(readonly);
    std::fs::set_permissions(path, p).unwrap();
}

fn fix_cli(args: &[&str]) -> Run {
    let mut all = vec!["fix"];
    all.extend_from_slice(args);
    run_cli(&all, Duration::from_secs(20), 300)
}

#[test]
fn fix_write_respects_read_only_files_links_and_fixed_copies() {
    let dir = TempDir::new("fixwrite");
    let d = dir.path();

    // A read-only file is refused, not replaced.
    let ro = write(d, "ro.txt", FIXABLE);
    set_readonly(&ro, true);
    let run = fix_cli(&["--write", ro.to_str().unwrap()]);
    assert!(run.stderr.contains("read-only"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&ro).unwrap(), FIXABLE);
    assert!(!d.join("ro.txt.bak").exists());
    set_readonly(&ro, false);

    // A symlink is written through: the link stays a link, the file it leads to is fixed.
    let real = write(d, "real/target.txt", FIXABLE);
    let link = d.join("link.txt");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let run = fix_cli(&["--write", link.to_str().unwrap()]);
    assert_eq!(run.status.and_then(|s| s.code()), Some(0), "{}", run.stderr);
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_ne!(std::fs::read_to_string(&real).unwrap(), FIXABLE);

    // Hard links: refused with the reason (a rename would split them).
    let a = write(d, "a.txt", FIXABLE);
    let b = d.join("b.txt");
    std::fs::hard_link(&a, &b).unwrap();
    let run = fix_cli(&["--write", a.to_str().unwrap()]);
    assert!(run.stderr.contains("hard links"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&b).unwrap(), FIXABLE);

    // Copy mode: an existing read-only .fixed.txt is not overwritten.
    let c = write(d, "c.txt", FIXABLE);
    let copy = write(d, "c.fixed.txt", "mine\n");
    set_readonly(&copy, true);
    let run = fix_cli(&[c.to_str().unwrap()]);
    assert!(run.stderr.contains("read-only"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&copy).unwrap(), "mine\n");
    set_readonly(&copy, false);
}

#[test]
fn check_escapes_terminal_control_sequences() {
    let dir = TempDir::new("escapes");
    // An escape sequence inside a figure sentence that a rule quotes (full-width comma).
    let mut text =
        "政府工作报告\n一、回顾\n推动建设\u{1b}]0;pwned\u{7}北京,加快发展。\n".to_string();
    // Enough ordinary text that the file is not taken for a binary one.
    text.push_str(&"全年经济运行总体平稳，发展质量稳步提升。\n".repeat(40));
    // …and in the file name, which every finding line starts with.
    let f = write(dir.path(), "esc\u{1b}[2J\u{1b}]0;pwned\u{7}.txt", &text);
    let run = run_cli(
        &["check", f.to_str().unwrap()],
        Duration::from_secs(20),
        300,
    );
    assert!(!run.stdout.is_empty(), "{}", run.stderr);
    assert!(
        !run.stdout.contains('\u{1b}') && !run.stdout.contains('\u{7}'),
        "{:?}",
        run.stdout
    );
}

#[test]
fn a_fifty_mb_did_open_is_not_analysed_and_stays_small() {
    let mut s = Server::spawn(json!({}));
    let dog = Watchdog::new(s.pid(), 1200);
    s.initialize(&Options::default());
    let line = "主要预期目标是：地区生产总值增长6.5%左右，城镇登记失业率控制在3%以内。\n";
    let text = line.repeat(50_000_000 / line.len());
    let uri = "file:///huge.txt";
    s.open(uri, &text, 1);
    drop(text);
    let d = s.wait_for_notification(
        "textDocument/publishDiagnostics",
        |p| p["uri"] == uri,
        Duration::from_secs(60),
    );
    let items = d["diagnostics"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(items[0]["message"]
        .as_str()
        .unwrap()
        .contains("maxFileSize"));
    assert!(!dog.killed(), "over 1200 MB");
    eprintln!("peak RSS {} MB", dog.peak());
    s.shutdown();
}
