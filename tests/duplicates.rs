//! Duplicate passages through the real server: a workspace folder in a temp dir, cross-file
//! related information, pull diagnostics, code actions and the ignore command, watched files,
//! and `$/progress` while indexing.

mod common;

use std::path::Path;
use std::time::Duration;

use common::{file_uri, Options, Server, TempDir, TIMEOUT};
use serde_json::{json, Value};

// Long enough (50+ characters) to be substantive copies across reports.
const A: &str = "坚持稳中求进工作总基调，全面贯彻新发展理念，加快构建新发展格局，着力推动高质量发展，不断增强城市综合实力和竞争力。";
const B: &str = "持续深化京津冀协同发展，有序疏解非首都功能，推动城市副中心高质量发展取得新的成效，打造现代化首都都市圈。";
const C: &str = "扎实推进乡村振兴，加强农业基础设施建设，促进农民持续增收，改善农村人居环境，建设宜居宜业和美乡村新面貌。";

fn write(dir: &Path, rel: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p
}

fn workspace() -> TempDir {
    let tmp = TempDir::new("dups");
    write(
        tmp.path(),
        "last-year.txt",
        &format!("各位代表：\n{A}\n{C}\n"),
    );
    write(tmp.path(), "other/dept.txt", &format!("{B}\n"));
    write(tmp.path(), "ignored/copy.txt", &format!("{A}\n"));
    write(tmp.path(), ".gitignore", "ignored/\n");
    tmp
}

fn start(root: &Path, capabilities: Value) -> Server {
    Server::start(Options {
        root: Some(root.to_path_buf()),
        capabilities,
        ..Options::default()
    })
}

fn codes(diags: &Value) -> Vec<String> {
    diags
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

fn dup_diags(diags: &Value) -> Vec<Value> {
    diags
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            d["code"]
                .as_str()
                .is_some_and(|c| c.contains("duplicate-passage"))
        })
        .cloned()
        .collect()
}

/// Waits for a publishDiagnostics of `uri` whose duplicate findings satisfy `pred`.
fn wait_dups(s: &mut Server, uri: &str, pred: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let p = s.wait_for_notification(
        "textDocument/publishDiagnostics",
        |p| p["uri"] == uri && pred(&dup_diags(&p["diagnostics"])),
        TIMEOUT,
    );
    dup_diags(&p["diagnostics"])
}

#[test]
fn cross_file_duplicates_with_related_information_progress_and_watched_files() {
    let tmp = workspace();
    let root = tmp.path().canonicalize().unwrap();
    let mut s = start(&root, json!({ "window": { "workDoneProgress": true } }));
    // Indexing reports work-done progress from begin to end.
    let begin = s.wait_for_notification("$/progress", |p| p["value"]["kind"] == "begin", TIMEOUT);
    assert_eq!(begin["token"], "report-lsp/index");
    let end = s.wait_for_notification("$/progress", |p| p["value"]["kind"] == "end", TIMEOUT);
    assert!(
        end["value"]["message"]
            .as_str()
            .unwrap()
            .starts_with("2 files"),
        "{end}"
    );

    let draft = root.join("draft.txt");
    let uri = file_uri(&draft);
    let text = format!("各位代表：\n{C}\n{A}\n{B}\n");
    s.open(&uri, &text, 1);
    let dups = wait_dups(&mut s, &uri, |d| d.len() == 3);
    // The other files are named, with their own ranges, in related information.
    let on_a = dups
        .iter()
        .find(|d| d["range"]["start"]["line"] == 2)
        .expect("a finding on line 3");
    assert_eq!(on_a["code"], "duplicate-passage");
    assert_eq!(on_a["message"], "本段与last-year.txt 第2行重复");
    let rel = &on_a["relatedInformation"][0]["location"];
    assert_eq!(rel["uri"], file_uri(&root.join("last-year.txt")));
    assert_eq!(rel["range"]["start"], json!({ "line": 1, "character": 0 }));
    assert_eq!(
        rel["range"]["end"],
        json!({ "line": 1, "character": A.encode_utf16().count() })
    );
    assert!(on_a["data"]["fingerprint"].as_str().unwrap().len() == 16);
    // The git-ignored copy is not indexed.
    assert!(dups.iter().all(|d| !d.to_string().contains("ignored/copy")));

    // A new file on disk joins the index through didChangeWatchedFiles…
    let extra = write(&root, "new.txt", &format!("{A}\n"));
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": file_uri(&extra), "type": 1 }] }),
    );
    let dups = wait_dups(&mut s, &uri, |d| {
        d.iter().any(|x| {
            x["relatedInformation"]
                .as_array()
                .is_some_and(|r| r.len() == 2)
        })
    });
    let on_a = dups
        .iter()
        .find(|d| d["range"]["start"]["line"] == 2)
        .unwrap();
    assert!(
        on_a["message"].as_str().unwrap().ends_with("；另有1处"),
        "{on_a}"
    );
    // …a change of it is seen…
    std::fs::write(&extra, format!("{B}\n")).unwrap();
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": file_uri(&extra), "type": 2 }] }),
    );
    wait_dups(&mut s, &uri, |d| {
        d.iter().any(|x| {
            x["range"]["start"]["line"] == 3
                && x["relatedInformation"]
                    .as_array()
                    .is_some_and(|r| r.len() == 2)
        })
    });
    // …and a deletion drops it.
    std::fs::remove_file(&extra).unwrap();
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": file_uri(&extra), "type": 3 }] }),
    );
    wait_dups(&mut s, &uri, |d| {
        d.len() == 3
            && d.iter().all(|x| {
                x["relatedInformation"]
                    .as_array()
                    .is_some_and(|r| r.len() == 1)
            })
    });

    // Editing the open document re-publishes another open document that repeats it.
    let second = file_uri(&root.join("second.txt"));
    s.open(
        &second,
        "第二份草稿的第一段，与别处都不相同，讲的是城市更新行动，老旧小区改造、街区更新和地下管网建设一并推进。\n",
        1,
    );
    wait_dups(&mut s, &second, |d| d.is_empty());
    s.change(
        &uri,
        2,
        json!([{ "range": { "start": { "line": 4, "character": 0 }, "end": { "line": 4, "character": 0 } },
                 "text": "第二份草稿的第一段，与别处都不相同，讲的是城市更新行动，老旧小区改造、街区更新和地下管网建设一并推进。\n" }]),
    );
    let d = wait_dups(&mut s, &second, |d| d.len() == 1);
    assert_eq!(
        d[0]["relatedInformation"][0]["location"]["uri"],
        json!(uri),
        "{d:?}"
    );
    s.shutdown();
}

/// Neovim 0.11 pulls diagnostics but does not handle `workspace/diagnostic/refresh`: pulled
/// once on open, before the workspace scan, a report would show no cross-file finding until
/// its first edit. Such a client gets pushed diagnostics, re-published when the scan is done.
#[test]
fn a_client_without_refresh_support_gets_cross_file_findings_pushed_on_open() {
    let tmp = workspace();
    let root = tmp.path().canonicalize().unwrap();
    let mut s = start(
        &root,
        json!({ "textDocument": { "diagnostic": { "dynamicRegistration": false } } }),
    );
    assert!(
        s.init_result["capabilities"]
            .get("diagnosticProvider")
            .is_none(),
        "{}",
        s.init_result
    );
    let uri = file_uri(&root.join("draft.txt"));
    s.open(&uri, &format!("{C}\n"), 1);
    let dups = wait_dups(&mut s, &uri, |d| d.len() == 1);
    assert_eq!(dups[0]["message"], "本段与last-year.txt 第3行重复");
    s.shutdown();
}

#[test]
fn pull_diagnostics_code_actions_and_mark_as_intended() {
    let tmp = workspace();
    let root = tmp.path().canonicalize().unwrap();
    let mut s = start(
        &root,
        json!({
            "textDocument": { "diagnostic": { "dynamicRegistration": false } },
            "workspace": {
                "diagnostics": { "refreshSupport": true },
                "applyEdit": true,
                "workspaceEdit": { "documentChanges": true, "resourceOperations": ["create"] },
            },
        }),
    );
    assert_eq!(
        s.init_result["capabilities"]["diagnosticProvider"]["interFileDependencies"],
        true
    );
    let uri = file_uri(&root.join("draft.txt"));
    let text = format!("{C}\n{C}\n");
    s.open(&uri, &text, 1);
    let pull = |s: &mut Server| {
        s.request(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": uri } }),
        )
    };
    // Within the document the later copy is flagged, and last-year.txt once indexed.
    let mut report = pull(&mut s);
    for _ in 0..200 {
        if report["items"][0]["relatedInformation"]
            .as_array()
            .is_some_and(|r| r.len() == 2)
        {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
        report = pull(&mut s);
    }
    assert_eq!(report["kind"], "full");
    let items = report["items"].as_array().unwrap().clone();
    // Both copies repeat last year's report; the later one also repeats the earlier one.
    assert_eq!(
        codes(&report["items"]),
        vec!["duplicate-passage", "duplicate-passage"],
        "{items:?}"
    );
    assert_eq!(items[0]["message"], "本段与last-year.txt 第3行重复");
    let diag = &items[1];
    assert_eq!(diag["range"]["start"]["line"], 1);
    assert_eq!(diag["message"], "本段与第1行重复；另有1处");
    assert_eq!(diag["relatedInformation"][0]["location"]["uri"], json!(uri));

    // Asked again with the result's id: "unchanged", until the document changes.
    let id = report["resultId"]
        .as_str()
        .expect("a result id")
        .to_string();
    let again = s.request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": uri }, "previousResultId": id }),
    );
    assert_eq!(again["kind"], "unchanged", "{again}");
    assert_eq!(again["resultId"], json!(id));
    assert!(again.get("items").is_none(), "{again}");
    s.change(&uri, 2, json!([{ "text": format!("{C}\n\n{C}\n") }]));
    let changed = s.request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": uri }, "previousResultId": id }),
    );
    assert_eq!(changed["kind"], "full", "{changed}");
    assert_ne!(changed["resultId"], json!(id));
    s.change(&uri, 3, json!([{ "text": text }]));

    let actions = s.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": diag["range"],
            "context": { "diagnostics": [diag] },
        }),
    );
    let actions = actions.as_array().unwrap();
    let delete = actions
        .iter()
        .find(|a| a["title"] == "删除这处重复内容")
        .expect("delete action");
    let edits = common::workspace_edits(&delete["edit"], &uri);
    assert_eq!(
        common::apply_edits(&text, &edits, s.encoding()),
        format!("{C}\n")
    );
    let mark = actions
        .iter()
        .find(|a| a["title"] == "标记为有意重复（记入 report-lsp.toml）")
        .expect("mark-as-intended action");
    assert_eq!(mark["command"]["command"], "report-lsp.ignoreDuplicate");
    s.request("workspace/executeCommand", mark["command"].clone());
    // The server writes no file: it asks the client to create report-lsp.toml with the
    // fingerprint, and uses the new settings at once.
    assert!(!root.join("report-lsp.toml").exists());
    let apply = s
        .take_requests("workspace/applyEdit")
        .pop()
        .expect("a workspace/applyEdit request");
    let ops = apply["params"]["edit"]["documentChanges"]
        .as_array()
        .unwrap();
    let toml_uri = common::file_uri(&root.join("report-lsp.toml"));
    assert_eq!(ops[0]["kind"], "create", "{apply}");
    assert_eq!(ops[0]["uri"], json!(toml_uri));
    let toml = ops[1]["edits"][0]["newText"].as_str().unwrap();
    let fp = diag["data"]["fingerprint"].as_str().unwrap();
    assert!(toml.contains(fp), "{toml}");
    // The passage is no longer flagged.
    let report = pull(&mut s);
    assert_eq!(report["items"], json!([]), "{report}");
    s.shutdown();
}
