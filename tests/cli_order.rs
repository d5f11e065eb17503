//! `check` lists warnings before information by default (issue 12: a PDF-extracted report gave
//! 533 information findings before its one warning); `--by-position` keeps document order.

use std::process::Command;

const TEXT: &str = "一、回顾\n\n全年地区生产总值增长 10%，财政收入增长 8%。\n\n（一）甲\n\n正文。\n\n（二）乙\n\n正文。\n\n（四）丁\n\n正文。\n\n（五）戊\n\n正文。\n";

fn severities(extra: &[&str]) -> Vec<String> {
    let dir = std::env::temp_dir().join(format!("report-lsp-order-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("order{}.txt", extra.len()));
    std::fs::write(&path, TEXT).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_report-lsp"))
        .args(["check", "--fail-on", "never"])
        .args(extra)
        .arg(&path)
        .output()
        .expect("run");
    std::fs::remove_file(&path).ok();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with(' '))
        .filter_map(|l| l.split(": ").nth(1))
        .filter_map(|l| l.split('[').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn warnings_come_first_unless_document_order_is_asked_for() {
    let by_severity = severities(&[]);
    assert!(by_severity.len() >= 2, "{by_severity:?}");
    assert_eq!(by_severity[0], "warning", "{by_severity:?}");
    assert!(
        by_severity[1..].iter().all(|s| s == "info"),
        "{by_severity:?}"
    );
    let by_position = severities(&["--by-position"]);
    assert_eq!(
        by_position.last().map(String::as_str),
        Some("warning"),
        "{by_position:?}"
    );
}
