//! Black-box tests of the command line: stdout, stderr and exit codes of the real binary.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{Options, Server, TempDir, BIN};
use serde_json::{json, Value};

const CLEAN: &str = "tests/fixtures/clean.txt";
const SKIP: &str = "tests/fixtures/numbering-skip.txt";
const MIXED: &str = "tests/fixtures/mixed-findings.txt";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(BIN)
        .args(args)
        .output()
        .expect("run report-lsp");
    Run {
        code: status.code().expect("exit code"),
        stdout: String::from_utf8(stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8_lossy(&stderr).to_string(),
    }
}

fn json_of(r: &Run) -> Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.stdout))
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn version_and_help() {
    let r = run(&["--version"]);
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stdout.trim(),
        format!("report-lsp {}", env!("CARGO_PKG_VERSION"))
    );
    let r = run(&["--help"]);
    assert_eq!(r.code, 0);
    for word in ["serve", "check", "outline", "settings-schema"] {
        assert!(r.stdout.contains(word), "--help lacks {word}: {}", r.stdout);
    }
    let r = run(&["check", "--help"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("--fail-on"), "{}", r.stdout);
    let r = run(&["no-such-command"]);
    assert_eq!(r.code, 2, "bad usage: {}", r.stderr);
}

#[test]
fn check_clean_file_exits_zero() {
    let r = run(&["check", CLEAN]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    let r = run(&["check", "--fail-on", "hint", CLEAN]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn check_reports_numbering_and_honours_fail_on() {
    let r = run(&["check", SKIP]);
    assert_eq!(
        r.code, 0,
        "a warning does not fail with the default --fail-on error"
    );
    let first = r.stdout.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        format!("{SKIP}:5:1: warning[heading-numbering] 编号跳号：二、之后应为三、，此处为四、")
    );
    assert!(
        r.stdout.contains(&format!("{SKIP}:3:1: note:")),
        "{}",
        r.stdout
    );
    assert!(r.stderr.contains("警告 1"), "{}", r.stderr); // the summary is in Chinese by default

    assert_eq!(run(&["check", "--fail-on", "warning", SKIP]).code, 1);
    assert_eq!(run(&["check", "--fail-on", "info", SKIP]).code, 1);
    assert_eq!(run(&["check", "--fail-on", "never", SKIP]).code, 0);
    assert_eq!(run(&["check", "--fail-on", "warning", CLEAN, SKIP]).code, 1);
}

#[test]
fn check_json_output() {
    let r = run(&["check", "--format", "json", SKIP, CLEAN]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = json_of(&r);
    assert_eq!(doc["version"], 1);
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["path"], SKIP);
    assert_eq!(files[0]["encoding"], "utf-8");
    let f = &files[0]["findings"][0];
    assert_eq!(f["code"], "heading-numbering");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(5), Some(1))
    );
    assert_eq!(
        (f["endLine"].as_u64(), f["endColumn"].as_u64()),
        (Some(5), Some(3))
    );
    assert_eq!(f["severity"], "warning");
    // 一、二、四、 with nothing after: a missing heading or a wrong number? No fix is safe.
    assert_eq!(f["fixes"], json!([]));
    assert_eq!(f["related"][0]["line"], 3);
    assert_eq!(files[1]["findings"], json!([]));
    assert_eq!(doc["summary"]["files"], 2);
    assert_eq!(doc["summary"]["warning"], 1);
    assert_eq!(doc["summary"]["error"], 0);
}

#[test]
fn unreadable_paths_exit_two() {
    let dir = TempDir::new("cli-unreadable");
    let missing = dir.path().join("missing.txt");
    let r = run(&["check", path_str(&missing)]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("missing.txt") && r.stderr.contains("cannot read"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stdout, "");
    // A directory, and one unreadable file among good ones: still 2, the good one still checked.
    assert_eq!(run(&["check", path_str(dir.path())]).code, 2);
    let r = run(&["check", SKIP, path_str(&missing)]);
    assert_eq!(r.code, 2);
    assert!(
        r.stdout.contains("warning[heading-numbering]"),
        "{}",
        r.stdout
    );
    let r = run(&["check", "--format", "json", path_str(&missing)]);
    assert_eq!(r.code, 2);
    assert!(json_of(&r)["files"][0]["error"].is_string());
    assert_eq!(run(&["outline", path_str(&missing)]).code, 2);
}

#[test]
fn binary_file_is_refused() {
    let dir = TempDir::new("cli-binary");
    let path = dir.path().join("image.txt");
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend([0u8; 64]);
    std::fs::write(&path, bytes).unwrap();
    let r = run(&["check", path_str(&path)]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("binary"), "{}", r.stderr);
    let r = run(&["outline", path_str(&path)]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("binary"), "{}", r.stderr);
}

#[test]
fn other_encodings_and_line_ends_give_the_same_outline() {
    let text = std::fs::read_to_string(CLEAN).unwrap();
    let plain = run(&["outline", CLEAN]);
    assert_eq!(plain.code, 0);
    assert!(
        plain.stdout.contains("一、过去一年的工作"),
        "{}",
        plain.stdout
    );

    let dir = TempDir::new("cli-encodings");
    let (gb, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&gb).is_err(),
        "the GB18030 bytes must not be UTF-8"
    );
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(text.as_bytes());
    let crlf = text.replace('\n', "\r\n").into_bytes();
    for (name, bytes, label) in [
        ("gb.txt", gb.to_vec(), "gb18030"),
        ("bom.txt", bom, "utf-8-bom"),
        ("crlf.txt", crlf, "utf-8"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let r = run(&["outline", path_str(&path)]);
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        assert_eq!(r.stdout, plain.stdout, "{name}");
        let r = run(&["outline", "--format", "json", path_str(&path)]);
        assert_eq!(json_of(&r)["files"][0]["encoding"], label, "{name}");
        let r = run(&["check", path_str(&path)]);
        assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{name}");
    }
}

#[test]
fn outline_json_is_nested() {
    let r = run(&["outline", "--format", "json", CLEAN]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = json_of(&r);
    assert_eq!(doc["version"], 1);
    let title = &doc["files"][0]["sections"][0];
    assert_eq!(title["name"], "政府工作报告");
    let first = &title["children"][0];
    assert_eq!(first["name"], "一、过去一年的工作");
    assert_eq!(first["range"]["line"], 3);
    let names: Vec<&str> = first["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["（一）稳增长", "（二）促改革"]);
    assert_eq!(first["children"][0]["children"], json!([]));
}

#[test]
fn settings_schema_is_json() {
    let r = run(&["settings-schema"]);
    assert_eq!(r.code, 0);
    let schema = json_of(&r);
    assert_eq!(schema["reportLsp.language"]["default"], "zh");
    assert!(schema["reportLsp.rules"]["properties"]["heading-numbering"].is_object());
}

#[test]
fn english_messages() {
    let r = run(&["check", "--lang", "en", SKIP]);
    assert!(
        r.stdout.contains(
            "warning[heading-numbering] numbering skips: after 二、 expected 三、, found 四、"
        ),
        "{}",
        r.stdout
    );
    let r = run(&["outline", "--lang", "en", CLEAN]);
    assert!(r.stdout.contains("paragraphs"), "{}", r.stdout);
}

#[test]
fn settings_file_next_to_the_report_switches_a_rule_off() {
    let dir = TempDir::new("cli-config");
    let report = dir.path().join("report.txt");
    std::fs::copy(SKIP, &report).unwrap();
    let r = run(&["check", "--fail-on", "warning", path_str(&report)]);
    assert_eq!(r.code, 1, "without the file: {}", r.stdout);
    std::fs::write(
        dir.path().join("report-lsp.toml"),
        "[rules]\nheading-numbering = \"off\"\n",
    )
    .unwrap();
    let r = run(&["check", "--fail-on", "warning", path_str(&report)]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    // A subdirectory finds it too; `language = "en"` in the file is honoured, --lang wins.
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    std::fs::copy(SKIP, sub.join("report.txt")).unwrap();
    std::fs::write(dir.path().join("report-lsp.toml"), "language = \"en\"\n").unwrap();
    let r = run(&["check", path_str(&sub.join("report.txt"))]);
    assert!(r.stdout.contains("numbering skips"), "{}", r.stdout);
    let r = run(&["check", "--lang", "zh", path_str(&sub.join("report.txt"))]);
    assert!(r.stdout.contains("编号跳号"), "{}", r.stdout);
}

/// The CLI and the language server run the same rules on the same text.
#[test]
fn cli_and_server_report_the_same_findings() {
    for fixture in [
        MIXED,
        SKIP,
        CLEAN,
        "tests/fixtures/corpus/beijing-2023-report-from-pdf.txt",
    ] {
        let r = run(&["check", "--format", "json", fixture]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let mut from_cli: Vec<(String, u64)> = json_of(&r)["files"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["code"].as_str().unwrap().to_string(),
                    f["line"].as_u64().unwrap(),
                )
            })
            .collect();

        let text = std::fs::read_to_string(fixture).unwrap();
        let mut s = Server::start(Options::default());
        let uri = "file:///tmp/report-lsp-test/parity.txt";
        s.open(uri, &text, 1);
        let diags = s.diagnostics(uri, Some(1));
        let mut from_server: Vec<(String, u64)> = diags
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap().to_string(),
                    d["range"]["start"]["line"].as_u64().unwrap() + 1,
                )
            })
            .collect();
        from_cli.sort();
        from_server.sort();
        assert_eq!(from_cli, from_server, "{fixture}");
        if fixture == MIXED {
            assert_eq!(from_cli.len(), 4, "{from_cli:?}");
        }
    }
}

/// A report with one problem of several rules, and what `fix` makes of it.
const FIXABLE: &str = "政府工作报告\n各位代表：\n一、回顾\n习近平总书记先后 10 次视察北京,推动建設。\n- 3 -\n三、任务\n正文。\n三、保障\n正文。\n";
const FIXED: &str = "政府工作报告\n各位代表：\n一、回顾\n习近平总书记先后10次视察北京，推动建设。\n二、任务\n正文。\n三、保障\n正文。\n";

#[test]
fn fix_writes_a_fixed_copy_and_leaves_the_original() {
    let dir = TempDir::new("fix-copy");
    let file = dir.path().join("report.txt");
    std::fs::write(&file, FIXABLE).unwrap();
    let r = run(&["fix", path_str(&file)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("report.fixed.txt"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), FIXABLE);
    let copy = dir.path().join("report.fixed.txt");
    assert_eq!(std::fs::read_to_string(&copy).unwrap(), FIXED);
    // The fixed copy checks clean.
    let r = run(&["check", "--fail-on", "hint", path_str(&copy)]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn fix_write_keeps_a_backup_and_the_encoding() {
    let dir = TempDir::new("fix-write");
    let file = dir.path().join("report.txt");
    let gbk = report_lsp::decode::encode(FIXABLE, report_lsp::decode::SourceEncoding::Gb18030);
    std::fs::write(&file, &gbk).unwrap();
    let r = run(&["fix", "--write", path_str(&file)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        std::fs::read(dir.path().join("report.txt.bak")).unwrap(),
        gbk
    );
    let fixed = report_lsp::decode::read_file(&file).unwrap();
    assert_eq!(fixed.text, FIXED);
    assert_eq!(fixed.encoding, report_lsp::decode::SourceEncoding::Gb18030);
    // A second run has nothing to do and writes no second backup.
    let r = run(&["fix", "--write", path_str(&file)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("nothing to fix"), "{}", r.stderr);
    assert!(!dir.path().join("report.txt.bak.1").exists());
}

#[test]
fn fix_refuses_to_write_without_a_backup() {
    let dir = TempDir::new("fix-nobak");
    let file = dir.path().join("report.txt");
    std::fs::write(&file, FIXABLE).unwrap();
    // A directory where the backup file should go makes the backup copy fail.
    std::fs::create_dir(dir.path().join("report.txt.bak")).unwrap();
    for k in 1..1000 {
        std::fs::create_dir(dir.path().join(format!("report.txt.bak.{k}"))).unwrap();
    }
    let r = run(&["fix", "--write", path_str(&file)]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("left unchanged"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), FIXABLE);
}

#[test]
fn fix_to_stdout_and_unreadable_input() {
    let dir = TempDir::new("fix-stdout");
    let file = dir.path().join("report.txt");
    std::fs::write(&file, FIXABLE).unwrap();
    let r = run(&["fix", "--stdout", path_str(&file)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, FIXED);
    let bin = dir.path().join("binary.txt");
    std::fs::write(&bin, [0u8; 32]).unwrap();
    let r = run(&["fix", path_str(&bin)]);
    assert_eq!(r.code, 2);
    assert!(!dir.path().join("binary.fixed.txt").exists());
}

#[test]
fn check_compares_results_across_the_reports_it_is_given() {
    const DIR: &str = "tests/fixtures/across";
    const B2023: &str = "tests/fixtures/across/beijing-2023.txt";
    const B2024: &str = "tests/fixtures/across/beijing-2024.txt";
    const DISTRICT: &str = "tests/fixtures/across/chaoyang-2024.txt";
    let r = run(&["check", "--format", "json", DIR]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = json_of(&r);
    let findings = |path: &str| -> Vec<Value> {
        doc["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == path)
            .unwrap_or_else(|| panic!("{path} not checked"))["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "conflicting-figure-across-reports")
            .cloned()
            .collect()
    };
    // Each of the two Beijing reports points at the other; the district is another government.
    let a = findings(B2023);
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!(a[0]["severity"], "hint");
    assert_eq!(
        a[0]["message"],
        "2022年“地区生产总值”此处为增长0.7%，《2024年北京市政府工作报告》为增长0.8%，前后不一致"
    );
    assert_eq!((&a[0]["line"], &a[0]["column"]), (&json!(5), &json!(1)));
    assert_eq!(a[0]["endColumn"], 15);
    let rel = &a[0]["related"][0];
    assert_eq!(rel["path"], B2024);
    assert_eq!((&rel["line"], &rel["column"]), (&json!(5), &json!(21)));
    assert_eq!(findings(B2024).len(), 1);
    assert!(findings(DISTRICT).is_empty());
    assert_eq!(doc["summary"]["hint"], 2);

    // Human output, and the same files listed one by one.
    let r = run(&["check", B2023, B2024, DISTRICT]);
    assert!(
        r.stdout.contains(&format!(
            "{B2023}:5:1: hint[conflicting-figure-across-reports] 2022年“地区生产总值”此处为增长0.7%"
        )),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains(&format!("    {B2024}:5:21: note: ")));
    // Alone, a report has nothing to be compared with; with the district, nothing to compare.
    let r = run(&["check", "--format", "json", B2023, DISTRICT]);
    assert_eq!(json_of(&r)["summary"]["info"], 0, "{}", r.stdout);
    // Switched off by its own code.
    let r = run(&[
        "check",
        "--format",
        "json",
        "--config",
        "tests/fixtures/across-off.toml",
        DIR,
    ]);
    assert_eq!(json_of(&r)["summary"]["info"], 0, "{}", r.stdout);
}

/// Runs the binary, failing the test if it does not finish in time.
fn run_within(args: &[&str], secs: u64) -> Run {
    let mut child = Command::new(BIN)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run report-lsp");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while child.try_wait().expect("wait").is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("report-lsp {args:?} still running after {secs} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("output");
    Run {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8_lossy(&out.stderr).to_string(),
    }
}

#[cfg(unix)]
#[test]
fn pipes_and_devices_on_the_command_line_never_hang() {
    let dir = TempDir::new("cli-pipes");
    let fifo = |name: &str| {
        let p = dir.path().join(name);
        let c = std::ffi::CString::new(path_str(&p)).unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo only creates a file system entry.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        p
    };
    // Nobody writes: an empty report, checked at once.
    let idle = fifo("idle.txt");
    let r = run_within(&["check", path_str(&idle)], 20);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // A writer (as `report-lsp check <(…)` gives): its text is checked.
    let fed = fifo("fed.txt");
    // A reader held here keeps the FIFO's buffer while the writer fills it before the check
    // starts (its open returns at once, whatever the machine's load).
    let _held = {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(&fed)
            .unwrap()
    };
    {
        let mut f = std::fs::OpenOptions::new().write(true).open(&fed).unwrap();
        std::io::Write::write_all(&mut f, &std::fs::read(SKIP).unwrap()).unwrap();
    }
    let r = run_within(&["check", path_str(&fed)], 20);
    assert!(
        r.stdout.contains("warning[heading-numbering]"),
        "{}",
        r.stdout
    );
    // An endless device: refused at the limit, not read until memory runs out.
    let r = run_within(&["check", "/dev/zero"], 60);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("more than"), "{}", r.stderr);
}

#[test]
fn check_uses_the_configured_synonyms() {
    let dir = TempDir::new("cli-synonyms");
    let report = dir.path().join("r.txt");
    std::fs::write(&report, "2023年政府工作报告\n各位代表：\n一、2023年主要任务\n今年主要预期目标是：数字经济核心产业增加值增长10%左右。\n（一）稳增长\n稳增长的目标是：数字核心产业增加值增长12%左右。\n").unwrap();
    let r = run(&["check", path_str(&report)]);
    assert!(!r.stdout.contains("conflicting-figure"), "{}", r.stdout);
    std::fs::write(
        dir.path().join("report-lsp.toml"),
        "[targets.synonyms]\n\"数字经济核心产业增加值\" = [\"数字核心产业增加值\"]\n",
    )
    .unwrap();
    let r = run(&["check", path_str(&report)]);
    assert!(
        r.stdout.contains("r.txt:6:9: warning[conflicting-figure]"),
        "{}",
        r.stdout
    );
}
