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
