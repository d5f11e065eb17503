//! The workspace-wide placeholder list: `report-lsp check --only placeholder DIR` and the LSP
//! command `report-lsp.listPlaceholders` (real binary).

mod common;

use std::process::Command;
use std::time::Instant;

use common::{Options, Server, TempDir, BIN, TIMEOUT};
use serde_json::{json, Value};

const DRAFT_A: &str =
    "一、2024年工作回顾\n全年地区生产总值增长XX%。\n城镇新增就业（待补充）万人。\n";
const DRAFT_B: &str = "二、2025年工作安排\n完成投资□□亿元。\n";
const CLEAN: &str = "二、2025年工作安排\n完成投资300亿元。\n";

#[test]
fn check_only_placeholder_lists_every_placeholder_of_a_folder() {
    let dir = TempDir::new("placeholders-cli");
    std::fs::write(dir.path().join("a.txt"), DRAFT_A).unwrap();
    std::fs::write(dir.path().join("b.txt"), DRAFT_B).unwrap();
    std::fs::write(dir.path().join("c.txt"), CLEAN).unwrap();
    let out = Command::new(BIN)
        .args(["check", "--only", "placeholder", "--fail-on", "warning"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<String> = stdout
        .lines()
        .map(|l| {
            l.strip_prefix(dir.path().to_str().unwrap())
                .unwrap_or(l)
                .to_string()
        })
        .collect();
    assert_eq!(
        lines,
        [
            "/a.txt:2:11: warning[placeholder] 占位内容未填写：“XX”，付印前须补全",
            "/a.txt:3:7: warning[placeholder] 占位内容未填写：“（待补充）”，付印前须补全",
            "/b.txt:2:5: warning[placeholder] 占位内容未填写：“□□”，付印前须补全",
        ],
        "{stdout}"
    );
    assert_eq!(out.status.code(), Some(1));

    let bad = Command::new(BIN)
        .args(["check", "--only", "no-such-rule"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no-such-rule"));
}

#[test]
fn the_list_placeholders_command_covers_the_workspace_and_open_documents() {
    let dir = TempDir::new("placeholders-lsp");
    std::fs::write(dir.path().join("a.txt"), DRAFT_A).unwrap();
    std::fs::write(dir.path().join("b.txt"), CLEAN).unwrap();
    let mut s = Server::start(Options {
        root: Some(dir.path().to_path_buf()),
        ..Options::default()
    });
    let unknown = s.request_raw("workspace/executeCommand", json!({ "command": "nothing" }));
    assert!(unknown.get("error").is_some(), "{unknown}");
    // b.txt is open with unsaved placeholders: the open text wins over the file.
    let b = common::file_uri(&dir.path().join("b.txt"));
    s.open(&b, DRAFT_B, 1);
    let deadline = Instant::now() + TIMEOUT;
    let list = loop {
        let r = s.request(
            "workspace/executeCommand",
            json!({ "command": "report-lsp.listPlaceholders", "arguments": [] }),
        );
        if r.as_array().is_some_and(|a| a.len() == 3) {
            break r;
        }
        assert!(Instant::now() < deadline, "placeholders not listed: {r}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let brief: Vec<(String, Value, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let uri = p["uri"].as_str().unwrap();
            let name = uri.rsplit('/').next().unwrap().to_string();
            (
                name,
                p["range"]["start"].clone(),
                p["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        brief,
        [
            (
                "a.txt".to_string(),
                json!({"line": 1, "character": 10}),
                "XX".to_string()
            ),
            (
                "a.txt".to_string(),
                json!({"line": 2, "character": 6}),
                "（待补充）".to_string()
            ),
            (
                "b.txt".to_string(),
                json!({"line": 1, "character": 4}),
                "□□".to_string()
            ),
        ]
    );
    assert_eq!(list[0]["line"], "全年地区生产总值增长XX%。");
    s.shutdown();
}
