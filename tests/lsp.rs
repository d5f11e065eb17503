//! Integration tests against the real `report-lsp serve` binary over stdin/stdout.

mod common;

use std::time::{Duration, Instant};

use common::{apply_edits, position, workspace_edits, Options, Server, TempDir, TIMEOUT};
use serde_json::{json, Value};

const NUMBERING: &str = "一、甲\n正文。\n二、乙\n正文。\n四、丁\n正文。\n";
const URI: &str = "file:///tmp/report-lsp-test/report.txt";

fn start() -> Server {
    Server::start(Options::default())
}

fn start_with_settings(settings: Value) -> Server {
    Server::start(Options {
        settings,
        ..Options::default()
    })
}

fn names(symbols: &Value) -> Vec<String> {
    symbols
        .as_array()
        .expect("a symbol list")
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect()
}

fn pos(p: &Value) -> (u64, u64) {
    (
        p["line"].as_u64().unwrap(),
        p["character"].as_u64().unwrap(),
    )
}

fn inside(inner: &Value, outer: &Value) -> bool {
    pos(&outer["start"]) <= pos(&inner["start"]) && pos(&inner["end"]) <= pos(&outer["end"])
}

/// Names non-empty, selectionRange inside range, children inside their parent.
fn check_tree(symbols: &Value, parent: Option<&Value>) -> usize {
    let mut n = 0;
    for s in symbols.as_array().unwrap() {
        n += 1;
        assert!(
            !s["name"].as_str().unwrap().trim().is_empty(),
            "empty name: {s}"
        );
        assert!(pos(&s["range"]["start"]) <= pos(&s["range"]["end"]), "{s}");
        assert!(
            inside(&s["selectionRange"], &s["range"]),
            "selectionRange outside range: {s}"
        );
        if let Some(p) = parent {
            assert!(
                inside(&s["range"], p),
                "child {} outside its parent {p}",
                s["name"]
            );
        }
        if let Some(children) = s.get("children").filter(|c| !c.is_null()) {
            n += check_tree(children, Some(&s["range"]));
        }
    }
    n
}

/// A normal request still works after whatever the test did.
fn assert_alive(s: &mut Server) {
    let uri = "file:///tmp/report-lsp-test/alive.txt";
    s.open(uri, "一、甲\n正文。\n", 1);
    assert_eq!(names(&s.symbols(uri)), vec!["一、甲"]);
    s.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    );
}

#[test]
fn initialize_round_trip_and_position_encodings() {
    for (offer, expected) in [
        (None, "utf-16"),
        (Some(vec!["utf-8", "utf-16"]), "utf-8"),
        (Some(vec!["utf-32", "utf-16"]), "utf-32"),
        (Some(vec!["utf-16"]), "utf-16"),
    ] {
        let s = Server::start(Options {
            position_encodings: offer.clone(),
            ..Options::default()
        });
        let caps = &s.init_result["capabilities"];
        assert_eq!(caps["positionEncoding"], expected, "offered {offer:?}");
        assert_eq!(s.init_result["serverInfo"]["name"], "report-lsp");
        assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
        assert_eq!(caps["documentSymbolProvider"], true);
        let status = s.shutdown();
        assert!(status.success(), "exit status {status:?}");
    }
}

#[test]
fn exit_without_shutdown_is_an_error_status() {
    let s = Server::start(Options::default());
    let status = s.exit();
    assert_eq!(status.code(), Some(1), "exit status {status:?}");
}

#[test]
fn document_symbols_and_folding_of_a_real_report() {
    let text = std::fs::read_to_string("tests/fixtures/corpus/beijing-2020-report.txt").unwrap();
    let mut s = start();
    s.open(URI, &text, 1);
    let symbols = s.symbols(URI);
    let roots = names(&symbols);
    let i = roots
        .iter()
        .position(|n| n == "一、2019年工作回顾")
        .unwrap_or_else(|| panic!("roots: {roots:?}"));
    let first = &symbols[i];
    let children = names(&first["children"]);
    assert_eq!(
        children[0],
        "(一)圆满完成新中国成立70周年庆祝活动等重大活动服务保障任务"
    );
    assert_eq!(children[1], "(二)深入实施新版城市总体规划");
    assert_eq!(children.len(), 8, "{children:?}");
    assert!(
        roots.contains(&"二、2020年主要任务".to_string()),
        "{roots:?}"
    );
    assert!(check_tree(&symbols, None) > 16);

    let heading_line = text
        .lines()
        .position(|l| l.trim() == "一、2019年工作回顾")
        .unwrap() as u64;
    assert_eq!(first["selectionRange"]["start"]["line"], heading_line);
    let folds = s.request(
        "textDocument/foldingRange",
        json!({ "textDocument": { "uri": URI } }),
    );
    let folds = folds.as_array().unwrap();
    assert!(folds.len() >= 10, "{folds:?}");
    assert!(
        folds.iter().any(|f| f["startLine"] == heading_line
            && f["endLine"].as_u64().unwrap() > heading_line + 40),
        "no fold for the first section: {folds:?}"
    );
}

/// Makes one incremental change against the local mirror `text`, in `enc` columns.
fn edit(
    s: &Server,
    text: &mut String,
    version: i64,
    start: usize,
    end: usize,
    new: &str,
    enc: &str,
) {
    let range = json!({ "start": position(text, start, enc), "end": position(text, end, enc) });
    s.change(URI, version, json!([{ "range": range, "text": new }]));
    text.replace_range(start..end, new);
}

fn incremental_changes(enc: &'static str) {
    let mut s = Server::start(Options {
        position_encodings: (enc != "utf-16").then(|| vec![enc, "utf-16"]),
        ..Options::default()
    });
    assert_eq!(s.encoding(), enc);
    let mut text = "一、甲\n正文。\n二、乙\n正文。\n三、丙\n正文。\n".to_string();
    s.open(URI, &text, 1);
    // Rename a heading: 甲 → 𠮷总体 (a surrogate pair in UTF-16, four bytes in UTF-8).
    let at = text.find('甲').unwrap();
    edit(&s, &mut text, 2, at, at + 3, "𠮷总体", enc);
    // Then an edit after the 𠮷 on the same line: its column depends on the encoding.
    let at = text.find('体').unwrap();
    edit(&s, &mut text, 3, at, at + 3, "局", enc);
    // Insert a line with 𠮷 before a heading.
    let at = text.find("二、乙").unwrap();
    edit(&s, &mut text, 4, at, at, "𠮷𠮷说明。\n", enc);
    // Delete a line.
    let at = text.find("正文。\n").unwrap();
    edit(&s, &mut text, 5, at, at + "正文。\n".len(), "", enc);
    // Append to a heading at the end of its line.
    let at = text.find("三、丙").unwrap() + "三、丙".len();
    edit(&s, &mut text, 6, at, at, "丁", enc);
    assert_eq!(
        text,
        "一、𠮷总局\n𠮷𠮷说明。\n二、乙\n正文。\n三、丙丁\n正文。\n"
    );

    let symbols = s.symbols(URI);
    assert_eq!(names(&symbols), vec!["一、𠮷总局", "二、乙", "三、丙丁"]);
    check_tree(&symbols, None);
    for sym in symbols.as_array().unwrap() {
        let name = sym["name"].as_str().unwrap();
        let at = text.find(name).unwrap();
        assert_eq!(
            sym["selectionRange"]["start"],
            position(&text, at, enc),
            "{name}"
        );
        assert_eq!(
            sym["selectionRange"]["end"],
            position(&text, at + name.len(), enc),
            "{name}"
        );
    }
    // The columns, spelled out: 一、𠮷总局 is 6 UTF-16 units, 16 bytes, 5 characters.
    let end = &symbols[0]["selectionRange"]["end"];
    let expected = match enc {
        "utf-8" => 16,
        "utf-32" => 5,
        _ => 6,
    };
    assert_eq!(*end, json!({ "line": 0, "character": expected }));
    assert_eq!(symbols[1]["selectionRange"]["start"]["line"], 2);
}

#[test]
fn incremental_changes_utf16() {
    incremental_changes("utf-16");
}

#[test]
fn incremental_changes_utf8() {
    incremental_changes("utf-8");
}

#[test]
fn incremental_changes_utf32() {
    incremental_changes("utf-32");
}

#[test]
fn two_hundred_changes_back_to_back_apply_in_order() {
    let numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    let body: Vec<char> = "加快建设现代化经济体系推动高质量发展深化改革开放"
        .chars()
        .collect();
    let mut target = String::new();
    for (i, n) in numerals.iter().enumerate() {
        target.push_str(n);
        target.push('、');
        target.extend((0..17).map(|k| body[(i * 3 + k) % body.len()]));
        target.push('\n');
    }
    let chars: Vec<char> = target.chars().collect();
    assert_eq!(chars.len(), 200);
    // Insert the characters in a scrambled order, each at its position in the text so far:
    // applying any two edits out of order leaves a different text.
    let mut order: Vec<usize> = (0..200).collect();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for i in (1..order.len()).rev() {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        order.swap(i, (seed >> 33) as usize % (i + 1));
    }
    let mut s = start();
    s.open(URI, "", 1);
    let mut present = [false; 200];
    for (k, &i) in order.iter().enumerate() {
        let current: String = (0..200).filter(|&j| present[j]).map(|j| chars[j]).collect();
        let before: usize = (0..i)
            .filter(|&j| present[j])
            .map(|j| chars[j].len_utf8())
            .sum();
        let p = position(&current, before, "utf-16");
        let change = json!([{ "range": { "start": p, "end": p }, "text": chars[i].to_string() }]);
        s.change(URI, 2 + k as i64, change);
        present[i] = true;
    }
    let symbols = s.symbols(URI);
    let expected: Vec<String> = target.lines().map(str::to_string).collect();
    assert_eq!(names(&symbols), expected);
    // The diagnostics that follow belong to the last version (or are not republished if
    // unchanged); none may carry a version beyond it.
    let hover = s.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": URI }, "position": { "line": 9, "character": 1 } }),
    );
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains(&expected[9]),
        "{hover}"
    );
}

fn find_diag(diags: &Value) -> &Value {
    let list = diags.as_array().unwrap();
    assert_eq!(list.len(), 1, "{diags}");
    &list[0]
}

#[test]
fn diagnostics_end_to_end() {
    let mut s = start();
    s.open(URI, NUMBERING, 7);
    let diags = s.diagnostics(URI, Some(7));
    let d = find_diag(&diags);
    assert_eq!(d["code"], "heading-numbering");
    assert_eq!(d["source"], "report-lsp");
    assert_eq!(d["severity"], 2);
    let message = d["message"].as_str().unwrap();
    assert!(
        message.contains("二、之后应为三、，此处为四、"),
        "{message}"
    );
    assert_eq!(
        d["range"],
        json!({ "start": { "line": 4, "character": 0 }, "end": { "line": 4, "character": 2 } })
    );
    let related = d["relatedInformation"]
        .as_array()
        .expect("relatedInformation");
    assert_eq!(related[0]["location"]["uri"], URI);
    assert_eq!(related[0]["location"]["range"]["start"]["line"], 2);

    let fix = json!([{ "range": { "start": { "line": 4, "character": 0 }, "end": { "line": 4, "character": 1 } }, "text": "三" }]);
    s.change(URI, 8, fix);
    assert_eq!(s.diagnostics(URI, Some(8)), json!([]));

    s.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": URI } }),
    );
    let closed = s.wait_for_notification(
        "textDocument/publishDiagnostics",
        |p| p["uri"] == URI && p["version"].is_null(),
        TIMEOUT,
    );
    assert_eq!(closed["diagnostics"], json!([]));
}

#[test]
fn english_messages_from_settings() {
    let mut s = start_with_settings(json!({ "language": "en" }));
    s.open(URI, NUMBERING, 1);
    let diags = s.diagnostics(URI, Some(1));
    let message = find_diag(&diags)["message"].as_str().unwrap().to_string();
    assert!(message.contains("expected 三、, found 四、"), "{message}");
}

#[test]
fn rule_off_in_settings_and_configuration_change_repulls() {
    let mut s = start_with_settings(json!({ "rules": { "heading-numbering": "off" } }));
    s.open(URI, NUMBERING, 1);
    assert_eq!(s.diagnostics(URI, Some(1)), json!([]));

    // The client's settings change: the server pulls them again and re-checks.
    let pulls = s.config_answers();
    s.set_settings(json!({ "language": "en" }));
    s.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": null }),
    );
    s.wait_for_notification("workspace/configuration", |_| true, TIMEOUT);
    let diags = s.diagnostics(URI, Some(1));
    assert!(s.config_answers() > pulls);
    let message = find_diag(&diags)["message"].as_str().unwrap().to_string();
    assert!(message.contains("found 四、"), "{message}");

    s.set_settings(json!({ "language": "zh" }));
    s.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": null }),
    );
    let diags = s.diagnostics(URI, Some(1));
    let message = find_diag(&diags)["message"].as_str().unwrap().to_string();
    assert!(message.contains("此处为四、"), "{message}");
}

#[test]
fn code_actions_quickfix_and_fix_all() {
    // A wrong number its next sibling confirms: the one heading is renumbered (issue 12; a
    // mere gap like NUMBERING's has no safe fix).
    const NUMBERING: &str = "一、甲\n正文。\n二、乙\n正文。\n四、丁\n正文。\n四、戊\n正文。\n";
    let mut s = start();
    s.open(URI, NUMBERING, 1);
    let diags = s.diagnostics(URI, Some(1));
    let d = find_diag(&diags).clone();
    let expected = NUMBERING.replace("四、丁", "三、丁");

    let params = json!({
        "textDocument": { "uri": URI },
        "range": d["range"],
        "context": { "diagnostics": [d] },
    });
    let actions = s.request("textDocument/codeAction", params.clone());
    let quickfix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "quickfix")
        .unwrap_or_else(|| panic!("no quickfix in {actions}"));
    assert!(!quickfix["title"].as_str().unwrap().is_empty());
    assert_eq!(quickfix["diagnostics"][0]["code"], "heading-numbering");
    let edits = workspace_edits(&quickfix["edit"], URI);
    assert_eq!(apply_edits(NUMBERING, &edits, "utf-16"), expected);

    let mut only = params;
    only["context"]["only"] = json!(["source.fixAll"]);
    only["range"] =
        json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } });
    let actions = s.request("textDocument/codeAction", only);
    let actions = actions.as_array().unwrap();
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["kind"], "source.fixAll");
    let edits = workspace_edits(&actions[0]["edit"], URI);
    assert_eq!(apply_edits(NUMBERING, &edits, "utf-16"), expected);
}

#[test]
fn hover_on_a_heading() {
    let mut s = start();
    s.open(URI, NUMBERING, 1);
    let hover = s.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": URI }, "position": { "line": 2, "character": 1 } }),
    );
    assert_eq!(hover["contents"]["kind"], "markdown");
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("二、乙"),
        "{hover}"
    );
    let nothing = s.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": URI }, "position": { "line": 1, "character": 1 } }),
    );
    assert_eq!(nothing, Value::Null);
}

#[test]
fn malformed_json_body_does_not_stop_the_server() {
    let mut s = start();
    let body = b"{\"jsonrpc\": \"2.0\", \"id\": 99, \"method\": ";
    s.send_raw(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    s.send_raw(body);
    let body = b"{\"jsonrpc\":\"2.0\",\"id\":98,\"method\":\"x\"\xff}";
    s.send_raw(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    s.send_raw(body);
    assert_alive(&mut s);
}

#[test]
fn wrong_content_length_then_valid_messages() {
    let mut s = start();
    // Too short: the rest of the body is garbage before the next header.
    let body = r#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{}}"#;
    s.send_raw(format!("Content-Length: 5\r\n\r\n{body}").as_bytes());
    assert_alive(&mut s);
    // Not a number.
    s.send_raw(format!("Content-Length: many\r\n\r\n{body}").as_bytes());
    assert_alive(&mut s);
    // Too long: swallows the start of the next message, which is then lost; later ones are fine.
    s.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len() + 30).as_bytes());
    s.notify("$/nothing", json!({}));
    assert_alive(&mut s);
}

#[test]
fn unknown_method_is_method_not_found() {
    let mut s = start();
    let r = s.request_raw("report/noSuchThing", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    s.notify("report/noSuchNotification", json!({}));
    assert_alive(&mut s);
}

#[test]
fn requests_for_unknown_documents_are_empty() {
    let mut s = start();
    let doc = json!({ "uri": "file:///nowhere/unknown.txt" });
    let at = json!({ "line": 0, "character": 0 });
    let range = json!({ "start": at, "end": at });
    for (method, params) in [
        (
            "textDocument/documentSymbol",
            json!({ "textDocument": doc }),
        ),
        ("textDocument/foldingRange", json!({ "textDocument": doc })),
        (
            "textDocument/hover",
            json!({ "textDocument": doc, "position": at }),
        ),
        (
            "textDocument/codeAction",
            json!({ "textDocument": doc, "range": range, "context": { "diagnostics": [] } }),
        ),
    ] {
        let r = s.request(method, params);
        assert!(r.is_null() || r == json!([]), "{method}: {r}");
    }
    s.change(
        "file:///nowhere/unknown.txt",
        2,
        json!([{ "text": "一、甲" }]),
    );
    s.notify("textDocument/didClose", json!({ "textDocument": doc }));
    assert_alive(&mut s);
}

#[test]
fn out_of_range_and_reversed_edits_are_clamped() {
    let mut s = start();
    s.open(URI, "一、甲\n正文。\n", 1);
    let far = json!({ "line": 1_000_000, "character": 1_000_000_000u64 });
    s.change(
        URI,
        2,
        json!([{ "range": { "start": far, "end": far }, "text": "二、乙\n" }]),
    );
    let eol = json!({ "line": 0, "character": 1_000_000_000u64 });
    s.change(
        URI,
        3,
        json!([{ "range": { "start": eol, "end": eol }, "text": "丙" }]),
    );
    // Reversed: end before start, replacing 甲.
    let reversed =
        json!({ "start": { "line": 0, "character": 3 }, "end": { "line": 0, "character": 2 } });
    s.change(URI, 4, json!([{ "range": reversed, "text": "丁" }]));
    assert_eq!(names(&s.symbols(URI)), vec!["一、丁丙", "二、乙"]);
    let inside_char = json!({ "line": 0, "character": 1 });
    s.change(
        URI,
        5,
        json!([{ "range": { "start": inside_char, "end": far }, "text": "" }]),
    );
    let r = s.symbols(URI);
    assert!(r.is_array(), "{r}");
    assert_alive(&mut s);
}

#[test]
fn five_megabyte_single_line_document() {
    let mut s = start();
    let mut text = String::from("一、总体要求");
    while text.len() < 5 * 1024 * 1024 {
        text.push_str("坚持稳中求进工作总基调，");
    }
    let t0 = Instant::now();
    s.open(URI, &text, 1);
    let end = position(&text, text.len(), "utf-16");
    s.change(
        URI,
        2,
        json!([{ "range": { "start": end, "end": end }, "text": "完。" }]),
    );
    let first = json!({ "line": 0, "character": 2 });
    s.change(
        URI,
        3,
        json!([{ "range": { "start": first, "end": first }, "text": "甲" }]),
    );
    let symbols = s.symbols(URI);
    let elapsed = t0.elapsed();
    assert!(symbols.is_array(), "{symbols}");
    assert!(
        elapsed < Duration::from_secs(10),
        "open + change + documentSymbol took {elapsed:?}"
    );
    let folds = s.request(
        "textDocument/foldingRange",
        json!({ "textDocument": { "uri": URI } }),
    );
    assert!(folds.is_array());
    assert_alive(&mut s);
}

#[test]
fn empty_and_nul_documents() {
    let mut s = start();
    for (i, text) in ["", "\0", &"\0".repeat(10_000), "\n\n\r\n\r"]
        .iter()
        .enumerate()
    {
        let uri = format!("file:///tmp/report-lsp-test/odd-{i}.txt");
        s.open(&uri, text, 1);
        let symbols = s.symbols(&uri);
        assert!(symbols.is_array(), "{symbols}");
        let folds = s.request(
            "textDocument/foldingRange",
            json!({ "textDocument": { "uri": uri } }),
        );
        assert!(folds.is_array(), "{folds}");
        let hover = s.request_raw(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 0 } }),
        );
        assert!(hover.get("error").is_none(), "{hover}");
        assert_eq!(s.diagnostics(&uri, Some(1)), json!([]));
    }
    assert_alive(&mut s);
}

#[test]
fn config_file_in_the_workspace_root_is_honoured() {
    let dir = TempDir::new("lsp-root");
    std::fs::write(
        dir.path().join("report-lsp.toml"),
        "[rules]\nheading-numbering = \"off\"\n",
    )
    .unwrap();
    let mut s = Server::start(Options {
        root: Some(dir.path().to_path_buf()),
        ..Options::default()
    });
    let uri = common::file_uri(&dir.path().join("report.txt"));
    s.open(&uri, NUMBERING, 1);
    assert_eq!(s.diagnostics(&uri, Some(1)), json!([]));

    // The same server without the file reports the finding (the control).
    let other = TempDir::new("lsp-root-none");
    let mut t = Server::start(Options {
        root: Some(other.path().to_path_buf()),
        ..Options::default()
    });
    t.open(&uri, NUMBERING, 1);
    assert_eq!(t.diagnostics(&uri, Some(1)).as_array().unwrap().len(), 1);
}

/// A client that opens a document right after `initialized` (as editors do) gets diagnostics
/// under its own settings, not a first round under the defaults.
#[test]
fn first_diagnostics_already_use_the_client_settings() {
    for (round, delay) in [0, 0, 0, 0, 0, 50, 200].into_iter().enumerate() {
        let mut s = Server::spawn(json!({ "rules": { "heading-numbering": "off" } }));
        s.set_config_delay(Duration::from_millis(delay));
        s.initialize_without_waiting(&Options::default());
        s.open(URI, NUMBERING, 1);
        let first = s.diagnostics(URI, None);
        assert_eq!(
            first,
            json!([]),
            "round {round}: diagnostics before the settings were applied"
        );
    }
}

/// `source.fixAll` on the report extracted from a PDF (hundreds of fixes of six rules, astral-free
/// CJK text) gives, in every position encoding, exactly the text the core's fix-all produces;
/// the per-rule "fix all in this file" action fixes every finding of that rule.
#[test]
fn fix_all_on_a_real_report_in_every_encoding() {
    let text =
        std::fs::read_to_string("tests/fixtures/corpus/beijing-2023-report-from-pdf.txt").unwrap();
    let expected = report_lsp::analysis::fix::fix_all(&text, &Default::default()).text;
    for enc in ["utf-8", "utf-16", "utf-32"] {
        let mut s = Server::start(Options {
            position_encodings: Some(vec![enc]),
            ..Options::default()
        });
        s.open(URI, &text, 1);
        let _ = s.diagnostics(URI, Some(1));
        let params = json!({
            "textDocument": { "uri": URI },
            "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } },
            "context": { "diagnostics": [], "only": ["source.fixAll"] },
        });
        let actions = s.request("textDocument/codeAction", params);
        let actions = actions.as_array().unwrap();
        assert_eq!(actions.len(), 1, "{enc}: {actions:?}");
        let edits = workspace_edits(&actions[0]["edit"], URI);
        assert_eq!(apply_edits(&text, &edits, enc), expected, "{enc}");

        // The first line with a half-width comma: the per-rule action for punctuation.
        let line = text.lines().position(|l| l.contains(',')).unwrap();
        let params = json!({
            "textDocument": { "uri": URI },
            "range": { "start": { "line": line, "character": 0 }, "end": { "line": line, "character": 100000 } },
            "context": { "diagnostics": [], "only": ["quickfix"] },
        });
        let actions = s.request("textDocument/codeAction", params);
        let all_commas = actions
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["title"].as_str().unwrap().contains("“punctuation-width”"))
            .unwrap_or_else(|| panic!("{enc}: no per-rule fix-all in {actions}"));
        let fixed = apply_edits(&text, &workspace_edits(&all_commas["edit"], URI), enc);
        let a = report_lsp::analysis::Analysis::new(&fixed);
        let left = report_lsp::analysis::rules::run(
            &a,
            &Default::default(),
            &[report_lsp::analysis::rules::find_rule("punctuation-width").unwrap()],
        );
        assert!(left.findings.is_empty(), "{enc}: {:?}", left.findings.len());
    }
}

#[test]
fn conflicting_figures_use_the_configured_synonyms() {
    // Two names of one indicator that only the user's synonym table joins.
    const TEXT: &str = "2023年政府工作报告\n各位代表：\n一、2023年主要任务\n今年主要预期目标是：数字经济核心产业增加值增长10%左右。\n（一）稳增长\n稳增长的目标是：数字核心产业增加值增长12%左右。\n";
    let conflicts = |diags: &Value| -> Vec<Value> {
        diags
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == "conflicting-figure")
            .cloned()
            .collect()
    };
    let mut s = start();
    s.open(URI, TEXT, 1);
    assert!(conflicts(&s.diagnostics(URI, Some(1))).is_empty());

    s.set_settings(json!({
        "targets": { "synonyms": { "数字经济核心产业增加值": ["数字核心产业增加值"] } }
    }));
    s.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": null }),
    );
    let found = conflicts(&s.diagnostics(URI, Some(1)));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["range"]["start"]["line"], 5);
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("前文为10%左右，此处为12%左右"),
        "{found:?}"
    );
}
