//! Hostile input, faults and the workspace boundary (issue 18), through the real binary: nothing
//! is read or written outside the workspace, nothing hangs, nothing grows without bound. Each
//! test sets its own time limit.

mod common;

use std::path::Path;
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
