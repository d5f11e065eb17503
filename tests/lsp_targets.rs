//! Target features through the real server: hover card with the timeline across reports,
//! go-to-definition into another report, find-references, workspace symbols, semantic tokens.
//! The other report is a file on disk that is never opened: it comes from the workspace index.

mod common;

use std::time::Instant;

use common::{Options, Server, TempDir, TIMEOUT};
use serde_json::{json, Value};

const REPORT_2017: &str = "2017年政府工作报告\n一、2016年工作回顾\n全年城镇登记失业率为1.4%。\n二、2017年主要任务\n主要预期目标是：地区生产总值增长6.5%左右，城镇登记失业率控制在3%以内。\n";
const REPORT_2016: &str = "2016年政府工作报告\n一、2015年工作回顾\n地区生产总值增长6.9%。\n二、2016年主要任务\n主要预期目标是：地区生产总值增长6.5%左右，城镇登记失业率控制在3%以内。\n";

fn uri(dir: &TempDir, name: &str) -> String {
    common::file_uri(&dir.path().join(name))
}

/// Waits until the background scan indexed the file on disk.
fn wait_for_index(s: &mut Server) {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let r = s.request("workspace/symbol", json!({ "query": "失业率" }));
        let seen = r.as_array().is_some_and(|a| {
            a.iter().any(|x| {
                x["location"]["uri"]
                    .as_str()
                    .unwrap_or("")
                    .ends_with("r2016.txt")
            })
        });
        if seen {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for the workspace index: {r}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn pos(text: &str, needle: &str) -> Value {
    let off = text.find(needle).expect("needle");
    common::position(text, off, "utf-16")
}

#[test]
fn hover_definition_references_symbols_and_tokens() {
    let dir = TempDir::new("targets");
    std::fs::write(dir.path().join("r2016.txt"), REPORT_2016).unwrap();
    std::fs::write(dir.path().join("r2017.txt"), REPORT_2017).unwrap();
    let mut s = Server::start(Options {
        root: Some(dir.path().to_path_buf()),
        ..Options::default()
    });
    let a = uri(&dir, "r2017.txt");
    s.open(&a, REPORT_2017, 1);
    wait_for_index(&mut s);

    // Hover on this year's target: card + this document's result + last year's report.
    let hover = s.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": a }, "position": pos(REPORT_2017, "3%以内") }),
    );
    let card = hover["contents"]["value"].as_str().unwrap_or("");
    for want in [
        "**城镇登记失业率**",
        "目标",
        "2017年",
        "以内",
        "2016年 完成",
        "其他报告",
        "r2016.txt:5",
        "所在章节",
    ] {
        assert!(card.contains(want), "missing {want}: {card}");
    }

    // Definition on the 2016 result: the 2016 target in the other report.
    let def = s.request(
        "textDocument/definition",
        json!({ "textDocument": { "uri": a }, "position": pos(REPORT_2017, "1.4%") }),
    );
    let locs = def.as_array().expect("locations");
    assert_eq!(locs.len(), 1, "{def}");
    assert!(
        locs[0]["uri"].as_str().unwrap().ends_with("r2016.txt"),
        "{def}"
    );
    assert_eq!(locs[0]["range"]["start"]["line"], 4, "{def}");

    // References: both mentions here and the one in the other report.
    let refs = s.request(
        "textDocument/references",
        json!({ "textDocument": { "uri": a }, "position": pos(REPORT_2017, "3%以内"), "context": { "includeDeclaration": true } }),
    );
    assert_eq!(refs.as_array().map(Vec::len), Some(3), "{refs}");

    // Workspace symbols: 失业率 finds the targets of both reports, results left out.
    let syms = s.request("workspace/symbol", json!({ "query": "失业率" }));
    let syms = syms.as_array().expect("symbols");
    assert_eq!(syms.len(), 2, "{syms:?}");
    let gdp = s.request("workspace/symbol", json!({ "query": "GDP" }));
    assert_eq!(
        gdp.as_array().map(Vec::len),
        Some(2),
        "synonym query: {gdp}"
    );

    // Semantic tokens: indicator + figure for each of the three figures.
    let tokens = s.request(
        "textDocument/semanticTokens/full",
        json!({ "textDocument": { "uri": a } }),
    );
    let data = tokens["data"].as_array().expect("data");
    assert_eq!(data.len(), 5 * 6, "{tokens}");
    // Token types: the result figure is a number (1), the targets keywords (0).
    let types: Vec<i64> = data.chunks(5).map(|c| c[3].as_i64().unwrap()).collect();
    assert_eq!(types, vec![3, 1, 3, 0, 3, 0]);

    // A heading hover counts the figures of the section.
    let head = s.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": a }, "position": { "line": 3, "character": 2 } }),
    );
    assert!(
        head["contents"]["value"]
            .as_str()
            .unwrap_or("")
            .contains("2项目标"),
        "{head}"
    );
    s.shutdown();
}

#[test]
fn watched_file_changes_update_the_index() {
    let dir = TempDir::new("targets-watch");
    std::fs::write(dir.path().join("r2016.txt"), REPORT_2016).unwrap();
    let mut s = Server::start(Options {
        root: Some(dir.path().to_path_buf()),
        ..Options::default()
    });
    wait_for_index(&mut s);
    let changed = REPORT_2016
        .replace("控制在3%以内", "控制在4%以内")
        .replace("地区生产总值增长6.5%左右，", "");
    std::fs::write(dir.path().join("r2016.txt"), &changed).unwrap();
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri(&dir, "r2016.txt"), "type": 2 }] }),
    );
    // The notification and the next request may be handled concurrently: poll.
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let syms = s.request("workspace/symbol", json!({ "query": "失业率" }));
        if syms[0]["name"].as_str().unwrap_or("").contains('4') {
            break;
        }
        assert!(Instant::now() < deadline, "index not updated: {syms}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    s.shutdown();
}

const BEIJING_2023: &str = "2023年北京市政府工作报告\n各位代表：\n现在，我代表北京市人民政府，向大会报告工作，请予审议。\n一、2022年工作回顾\n全市地区生产总值增长0.7%，一般公共预算收入增长2%。\n二、2023年主要任务\n主要预期目标是：地区生产总值增长4.5%以上。\n";
const BEIJING_2024: &str = "2024年北京市政府工作报告\n各位代表：\n现在，我代表北京市人民政府，向大会报告工作，请予审议。\n一、2023年工作回顾\n全市地区生产总值增长5.2%。2022年地区生产总值增长0.8%。\n二、2024年主要任务\n主要预期目标是：地区生产总值增长5%左右。\n";
const CHAOYANG_2024: &str = "2024年北京市朝阳区政府工作报告\n各位代表：\n现在，我代表朝阳区人民政府，向大会报告工作，请予审议。\n一、2023年工作回顾\n2022年地区生产总值增长3%。\n";

fn across(diags: &Value) -> Vec<Value> {
    diags
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "conflicting-figure-across-reports")
        .cloned()
        .collect()
}

#[test]
fn a_result_contradicting_another_report_of_the_same_government() {
    let dir = TempDir::new("targets-across");
    std::fs::write(dir.path().join("b2024.txt"), BEIJING_2024).unwrap();
    std::fs::write(dir.path().join("chaoyang2024.txt"), CHAOYANG_2024).unwrap();
    let mut s = Server::start(Options {
        root: Some(dir.path().to_path_buf()),
        ..Options::default()
    });
    let a = uri(&dir, "b2023.txt");
    s.open(&a, BEIJING_2023, 1);
    let p = s.wait_for_notification(
        "textDocument/publishDiagnostics",
        |p| p["uri"] == a && !across(&p["diagnostics"]).is_empty(),
        TIMEOUT,
    );
    let found = across(&p["diagnostics"]);
    assert_eq!(found.len(), 1, "{found:?}");
    let d = &found[0];
    assert_eq!(d["severity"], 4, "hint");
    assert_eq!(
        d["message"],
        "2022年“地区生产总值”此处为增长0.7%，《2024年北京市政府工作报告》为增长0.8%，前后不一致"
    );
    let stated = "全市地区生产总值增长0.7%";
    let at = BEIJING_2023.find(stated).unwrap();
    assert_eq!(
        d["range"]["start"],
        common::position(BEIJING_2023, at, "utf-16")
    );
    assert_eq!(
        d["range"]["end"],
        common::position(BEIJING_2023, at + stated.len(), "utf-16")
    );
    // Related information: the other report's statement, not the district's.
    let related = d["relatedInformation"].as_array().unwrap();
    assert_eq!(related.len(), 1, "{related:?}");
    let loc = &related[0]["location"];
    assert_eq!(loc["uri"], uri(&dir, "b2024.txt"));
    let other = "地区生产总值增长0.8%";
    let at = BEIJING_2024.find(other).unwrap();
    assert_eq!(
        loc["range"]["start"],
        common::position(BEIJING_2024, at, "utf-16")
    );
    assert_eq!(
        loc["range"]["end"],
        common::position(BEIJING_2024, at + other.len(), "utf-16")
    );

    // Opening the other report with an agreeing figure shadows its file: the next analysis of
    // the first document no longer reports it.
    let b = uri(&dir, "b2024.txt");
    s.open(&b, &BEIJING_2024.replace("0.8%", "0.7%"), 1);
    let pb = s.diagnostics(&b, Some(1));
    assert!(across(&pb).is_empty(), "{pb}");
    // (The edit adds a half-width comma, so that the list differs from the last one published
    // and version 2 is published whether or not the change of the other report was pushed.)
    s.change(
        &a,
        2,
        json!([{ "text": format!("{BEIJING_2023}请予审议,谢谢。\n") }]),
    );
    let pa = s.diagnostics(&a, Some(2));
    assert!(!pa.as_array().unwrap().is_empty());
    assert!(across(&pa).is_empty(), "{pa}");
    s.shutdown();
}

/// The hover's other-reports list keeps to the government of this report: the district's
/// report and an unnamed one are left out, though they share the indicator.
#[test]
fn hover_lists_only_the_same_governments_other_reports() {
    let dir = TempDir::new("targets-hover-region");
    std::fs::write(dir.path().join("b2024.txt"), BEIJING_2024).unwrap();
    // The district's report with a target too (workspace symbols list targets).
    let chaoyang =
        format!("{CHAOYANG_2024}二、2024年主要任务\n主要预期目标是：地区生产总值增长5.5%左右。\n");
    std::fs::write(dir.path().join("chaoyang2024.txt"), chaoyang).unwrap();
    std::fs::write(dir.path().join("r2016.txt"), REPORT_2016).unwrap();
    let mut s = Server::start(Options {
        root: Some(dir.path().to_path_buf()),
        ..Options::default()
    });
    let a = uri(&dir, "b2023.txt");
    s.open(&a, BEIJING_2023, 1);
    // Every file is indexed: the indicator is found in all three on disk.
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let r = s.request("workspace/symbol", json!({ "query": "地区生产总值" }));
        let files: std::collections::HashSet<String> = r
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x["location"]["uri"].as_str())
                    .map(|u| u.rsplit('/').next().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default();
        if ["b2024.txt", "chaoyang2024.txt", "r2016.txt"]
            .iter()
            .all(|f| files.contains(*f))
        {
            break;
        }
        assert!(Instant::now() < deadline, "index incomplete: {r}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let hover = s.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": a }, "position": pos(BEIJING_2023, "地区生产总值增长4.5%") }),
    );
    let card = hover["contents"]["value"].as_str().unwrap_or("");
    assert!(card.contains("其他报告"), "{card}");
    assert!(card.contains("b2024.txt:5"), "{card}");
    assert!(!card.contains("chaoyang2024.txt"), "{card}");
    assert!(!card.contains("r2016.txt"), "{card}");
    s.shutdown();
}
