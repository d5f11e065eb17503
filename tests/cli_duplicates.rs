//! Black-box tests of `report-lsp duplicates` and `report-lsp check DIR`.

mod common;

use std::path::Path;
use std::process::Command;

use common::{TempDir, BIN};
use serde_json::Value;

/// Long enough (50+ characters) to be a substantive copy across reports.
const A: &str = "坚持稳中求进工作总基调，全面贯彻新发展理念，加快构建新发展格局，着力推动高质量发展，不断增强城市综合实力和竞争力。";
const B: &str =
    "持续深化京津冀协同发展，有序疏解非首都功能，推动城市副中心高质量发展取得新的成效。";

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .output()
        .expect("run report-lsp");
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).expect("UTF-8"),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

fn folder() -> TempDir {
    let tmp = TempDir::new("cli-dups");
    let w = |rel: &str, text: String| {
        let p = tmp.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    w("2022.txt", format!("各位代表：\n{A}\n{B}\n"));
    w(
        "sub/2023.txt",
        format!("各位代表：\n{}\n", A.replace("加快构建", "加快建设")),
    );
    w("notes.md", format!("{A}\n"));
    tmp
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn duplicates_lists_clusters_as_the_editor_integrations_read_them() {
    let tmp = folder();
    let (code, out, err) = run(&["duplicates", s(tmp.path()), "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    let clusters = doc["clusters"].as_array().unwrap();
    assert_eq!(clusters.len(), 1, "{out}");
    let c = &clusters[0];
    let sim = c["similarity"].as_f64().unwrap();
    assert!((0.9..1.0).contains(&sim), "{sim}");
    let members = c["members"].as_array().unwrap();
    let places: Vec<(String, u64)> = members
        .iter()
        .map(|m| {
            let p = m["path"].as_str().unwrap();
            (
                Path::new(p)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .to_string(),
                m["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        places,
        vec![("2022.txt".to_string(), 2), ("2023.txt".to_string(), 2)]
    );
    assert!(members[0]["text"]
        .as_str()
        .unwrap()
        .starts_with("坚持稳中求进"));
    assert_eq!(doc["summary"]["files"], 2, "notes.md is not a report");

    let (code, out, _) = run(&["duplicates", s(tmp.path())]);
    assert_eq!(code, 0);
    assert!(out.starts_with("#1 相似度9"), "{out}");
    // Nothing to compare: a clean exit with no clusters.
    let empty = TempDir::new("cli-dups-none");
    std::fs::write(empty.path().join("a.txt"), format!("{A}\n")).unwrap();
    let (code, out, _) = run(&["duplicates", s(empty.path()), "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(
        serde_json::from_str::<Value>(&out).unwrap()["clusters"],
        serde_json::json!([])
    );
}

#[test]
fn check_dir_reports_cross_file_findings_with_their_positions() {
    let tmp = folder();
    let (code, out, err) = run(&["check", "--format", "json", s(tmp.path())]);
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    let f2023 = files
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("2023.txt"))
        .unwrap();
    let f = &f2023["findings"][0];
    assert_eq!(f["code"], "near-duplicate-passage");
    assert_eq!(f["line"], 2);
    let rel = &f["related"][0];
    assert!(rel["path"].as_str().unwrap().ends_with("2022.txt"));
    assert_eq!(
        (rel["line"].as_u64(), rel["column"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(
        rel["endColumn"].as_u64(),
        Some(A.chars().count() as u64 + 1)
    );

    // Human output, and the setting that switches the finding off.
    let (_, out, _) = run(&["check", s(tmp.path())]);
    assert!(
        out.contains("info[near-duplicate-passage] 本段与2022.txt 第2行相似（相似度9"),
        "{out}"
    );
    std::fs::write(
        tmp.path().join("report-lsp.toml"),
        "[rules]\nnear-duplicate-passage = \"off\"\n",
    )
    .unwrap();
    let (_, out, _) = run(&["check", s(tmp.path())]);
    assert!(!out.contains("near-duplicate-passage"), "{out}");
}

#[test]
fn the_eight_copies_file_gives_seven_readable_findings() {
    let (code, out, err) = run(&[
        "check",
        "tests/fixtures/corpus/beijing-2017-report-pasted-8-times.txt",
    ]);
    assert_eq!(code, 0, "{err}");
    let dups: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("[duplicate-passage]"))
        .collect();
    assert_eq!(dups.len(), 7, "{out}");
    assert!(
        dups[0].ends_with("warning[duplicate-passage] 第77–151行与第1–75行重复，共75段"),
        "{}",
        dups[0]
    );
    assert!(
        dups[6].ends_with("第533–607行与第1–75行重复，共75段；另有6处"),
        "{}",
        dups[6]
    );
}
