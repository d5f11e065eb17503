//! The command line as the editors and CI tools use it: an unsaved buffer on standard input,
//! the targets table's header, SARIF output, localised help and summary.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{TempDir, BIN};
use serde_json::Value;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_with(args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // The locale is the user's unless a test sets it.
    for k in ["LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"] {
        cmd.env_remove(k);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("run report-lsp");
    if let Some(text) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        pipe.write_all(text.as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8_lossy(&out.stderr).to_string(),
    }
}

fn json_of(r: &Run) -> Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.stdout))
}

#[test]
fn targets_reads_an_unsaved_buffer_from_stdin_under_its_path() {
    let tmp = TempDir::new("stdin-targets");
    let path = tmp.path().join("报告.txt");
    // On disk: the last saved text, without any figure.
    std::fs::write(&path, "各位代表：\n今年的工作。\n").unwrap();
    let buffer = "各位代表：\n今年地区生产总值增长6%左右。\n";
    let p = path.to_str().unwrap();
    let r = run_with(
        &["targets", "-", "--stdin-path", p, "--format", "json"],
        Some(buffer),
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = json_of(&r);
    let targets = doc["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 1, "{doc}");
    assert_eq!(targets[0]["path"], p);
    assert_eq!(targets[0]["line"], 2);
    assert_eq!(targets[0]["indicator"], "地区生产总值");
    // The file itself is untouched.
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "各位代表：\n今年的工作。\n"
    );
    // Without --stdin-path the input is named `-`.
    let r = run_with(&["targets", "-", "--format", "json"], Some(buffer), &[]);
    assert_eq!(json_of(&r)["targets"][0]["path"], "-");
}

fn run(args: &[&str]) -> Run {
    run_with(args, None, &[])
}

/// The SARIF log says what the human output says: same findings, positions, levels and
/// messages. (Its validity against the SARIF 2.1.0 schema is checked by tests/sarif/validate.py
/// in editors/ci.sh.)
#[test]
fn check_sarif_matches_the_human_output() {
    let files = [
        "tests/fixtures/numbering-skip.txt",
        "tests/fixtures/mixed-findings.txt",
        // Half-width punctuation copied from a web page: findings with safe fixes.
        "tests/fixtures/corpus/chaoyang-2016-report-from-web.txt",
    ];
    let mut args = vec!["check", "--fail-on", "never"];
    args.extend(files);
    let human = run(&args);
    args.extend(["--format", "sarif"]);
    let r = run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let log = json_of(&r);
    assert_eq!(log["version"], "2.1.0");
    let run0 = &log["runs"][0];
    assert_eq!(run0["tool"]["driver"]["name"], "report-lsp");
    assert_eq!(run0["columnKind"], "unicodeCodePoints");
    assert_eq!(run0["language"], "zh-CN");
    assert_eq!(run0["invocations"][0]["executionSuccessful"], true);
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    for code in [
        "heading-numbering",
        "duplicate-passage",
        "variant-character",
    ] {
        assert!(rules.iter().any(|r| r["id"] == code), "no rule {code}");
    }
    // `path:line:col: severity[code] message` rebuilt from each result.
    let level = |l: &str| match l {
        "error" => "error",
        "warning" => "warning",
        _ => "info|hint",
    };
    let mut from_sarif: Vec<String> = Vec::new();
    for res in run0["results"].as_array().unwrap() {
        let i = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], res["ruleId"]);
        let loc = &res["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        from_sarif.push(format!(
            "{}:{}:{}: {}[{}] {}",
            loc["artifactLocation"]["uri"].as_str().unwrap(),
            loc["region"]["startLine"],
            loc["region"]["startColumn"],
            level(res["level"].as_str().unwrap()),
            res["ruleId"].as_str().unwrap(),
            res["message"]["text"].as_str().unwrap(),
        ));
    }
    let from_human: Vec<String> = human
        .stdout
        .lines()
        .filter(|l| !l.starts_with(' '))
        .map(|l| {
            l.replace(": info[", ": info|hint[")
                .replace(": hint[", ": info|hint[")
        })
        .collect();
    assert!(!from_human.is_empty());
    assert_eq!(from_sarif, from_human);
    // A safe fix is a replacement in the file.
    let fix = run0["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "punctuation-width")
        .and_then(|r| r["fixes"].get(0))
        .expect("a punctuation-width fix");
    assert_eq!(fix["properties"]["safe"], true);
    let rep = &fix["artifactChanges"][0]["replacements"][0];
    assert!(rep["insertedContent"]["text"].is_string(), "{fix}");
    assert!(rep["deletedRegion"]["startLine"].is_u64(), "{fix}");
}

#[test]
fn check_sarif_related_locations_unreadable_inputs_and_english() {
    let tmp = TempDir::new("sarif");
    // Across reports only a substantive passage (50 characters or more) is reuse.
    let passage = "扎实推进乡村振兴，加强农业基础设施建设，促进农民持续增收，改善农村人居环境，建设一批现代农业产业园和特色小镇，让农村成为安居乐业的美丽家园。";
    let a = tmp.path().join("去年.txt");
    let b = tmp.path().join("今年.txt");
    std::fs::write(&a, format!("去年的报告\n{passage}\n")).unwrap();
    std::fs::write(&b, format!("今年的报告\n{passage}\n")).unwrap();
    let missing = tmp.path().join("missing.txt");
    let r = run(&[
        "check",
        "--format",
        "sarif",
        "--lang",
        "en",
        b.to_str().unwrap(),
        a.to_str().unwrap(),
        missing.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2, "an unreadable input: {}", r.stderr);
    let log = json_of(&r);
    let run0 = &log["runs"][0];
    assert_eq!(run0["language"], "en-US");
    let inv = &run0["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let note = &inv["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "error");
    assert!(note["message"]["text"]
        .as_str()
        .unwrap()
        .contains("missing.txt"));
    let dup = run0["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "duplicate-passage")
        .expect("a duplicate finding");
    // Absolute paths are file URIs, non-ASCII percent-encoded.
    let uri = |p: &std::path::Path| url::Url::from_file_path(p).unwrap().to_string();
    let here = &dup["locations"][0]["physicalLocation"];
    let there = &dup["relatedLocations"][0]["physicalLocation"];
    let (here_uri, there_uri) = (
        here["artifactLocation"]["uri"].as_str().unwrap(),
        there["artifactLocation"]["uri"].as_str().unwrap(),
    );
    assert!(
        (here_uri, there_uri) == (uri(&b).as_str(), uri(&a).as_str())
            || (here_uri, there_uri) == (uri(&a).as_str(), uri(&b).as_str()),
        "{dup}"
    );
    assert!(here_uri.is_ascii());
    assert_eq!(there["region"]["startLine"], 2);
    assert_eq!(there["region"]["startColumn"], 1);
    assert_eq!(
        there["region"]["endColumn"],
        passage.chars().count() as u64 + 1
    );
    assert!(dup["message"].as_str().is_none() && dup["message"]["text"].is_string());
}

#[test]
fn targets_table_has_a_header_row_in_the_chosen_language() {
    let file = "tests/fixtures/corpus/beijing-2020-report.txt";
    let r = run(&["targets", file]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut lines = r.stdout.lines();
    let header: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(
        header,
        ["位置", "类型", "时期", "指标", "方向", "数值", "单位", "界限", "原文"]
    );
    let first = lines.next().unwrap();
    assert!(first.starts_with(&format!("{file}:")), "{first}");
    // The columns line up: the header's 指标 starts where the first row's indicator does.
    let col = |line: &str, needle: &str| {
        let at = line.find(needle).unwrap();
        line[..at]
            .chars()
            .map(|c| if c.is_ascii() { 1 } else { 2 })
            .sum::<usize>()
    };
    let header_line = r.stdout.lines().next().unwrap();
    assert_eq!(col(header_line, "指标"), col(first, "地区生产总值"));
    let en = run(&["targets", "--lang", "en", file]);
    assert!(en.stdout.starts_with("location "), "{}", en.stdout);
    assert!(en.stdout.lines().next().unwrap().ends_with(" text"));
    // CSV keeps its own header; JSON has none.
    let csv = run(&["targets", "--format", "csv", file]);
    assert!(csv.stdout.starts_with("file,line,column,"));
}

#[test]
fn help_follows_lang_then_the_locale_chinese_by_default() {
    let zh = run(&["--help"]);
    assert_eq!(zh.code, 0);
    assert!(zh.stdout.contains("用法："), "{}", zh.stdout);
    assert!(
        zh.stdout.contains("检查报告文件并列出发现的问题"),
        "{}",
        zh.stdout
    );
    // Subcommand and option names stay as typed.
    for word in ["serve", "check", "targets", "settings-schema", "--version"] {
        assert!(zh.stdout.contains(word), "{word}: {}", zh.stdout);
    }
    let check = run(&["check", "--help"]);
    assert!(check.stdout.contains("--fail-on"), "{}", check.stdout);
    assert!(check.stdout.contains("sarif"), "{}", check.stdout);
    assert!(check.stdout.contains("参数"), "{}", check.stdout);
    let en = run(&["check", "--help", "--lang", "en"]);
    assert!(en.stdout.contains("Usage:"), "{}", en.stdout);
    assert!(en.stdout.contains("Check report files"), "{}", en.stdout);
    let locale = run_with(&["--help"], None, &[("LANG", "en_US.UTF-8")]);
    assert!(locale.stdout.contains("Usage:"), "{}", locale.stdout);
    let zh_locale = run_with(&["--help"], None, &[("LANG", "zh_CN.UTF-8")]);
    assert!(zh_locale.stdout.contains("用法："), "{}", zh_locale.stdout);
    // Errors keep clap's English wording: the editors recognise a missing subcommand by it.
    let bad = run(&["no-such-command"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("unrecognized subcommand"),
        "{}",
        bad.stderr
    );
}

#[test]
fn check_summary_is_in_the_language_of_the_findings() {
    let file = "tests/fixtures/numbering-skip.txt";
    let zh = run(&["check", file]);
    assert_eq!(
        zh.stderr.trim_end(),
        "report-lsp：1 个文件，1 处问题：错误 0，警告 1，信息 0，提示 0"
    );
    let en = run(&["check", "--lang", "en", file, "missing.txt"]);
    assert_eq!(
        en.stderr.lines().last().unwrap(),
        "report-lsp: 2 file(s), 1 finding(s): 0 error, 1 warning, 0 info, 0 hint, 1 unreadable"
    );
}

/// The README's first screen is the real output of its first command.
#[test]
fn readme_first_screen_is_the_output_of_its_command() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme
        .find("<!-- first-screen")
        .expect("first-screen marker");
    let end = readme.find("<!-- /first-screen -->").expect("end marker");
    let block = &readme[start..end];
    let body = block
        .split_once("```text\n")
        .and_then(|(_, rest)| rest.rsplit_once("```"))
        .map(|(b, _)| b)
        .expect("a text block");
    assert!(readme[..start].contains("cargo run --release -- check examples/"));
    let r = run(&["check", "examples/"]);
    assert_eq!(r.code, 0, "no errors in the examples");
    let shown = format!("{}{}", r.stdout, r.stderr);
    if body != shown && std::env::var_os("UPDATE_EXPECT").is_some() {
        // Refreshed like the golden files: `UPDATE_EXPECT=1 cargo test --test cli_editors`.
        let at = start + block.find("```text\n").unwrap() + "```text\n".len();
        let updated = format!("{}{shown}{}", &readme[..at], &readme[at + body.len()..]);
        std::fs::write("README.md", updated).unwrap();
        return;
    }
    assert_eq!(
        body, shown,
        "README.md's first screen is out of date (UPDATE_EXPECT=1 refreshes it)"
    );
    // Warnings come before the info finding.
    let first_info = shown.find(": info[").unwrap();
    assert!(shown[..first_info].contains(": warning["));
    assert!(!shown[first_info..].contains(": warning["));
}
