//! Issue 18 item 3: the size of fixes and the number of findings grow linearly with the text.
//! A 1 MB text of 55,000 heading lines once drove `check` to 19 GB: every heading-numbering and
//! heading-style finding carried a fix renumbering or converting its whole sibling group. The
//! binary runs here under an address-space cap and a deadline set by the test itself.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// 55,000 heading lines in five numbering forms with pseudo-random numbers (a fixed LCG, so the
/// input is the same on every run): every sibling group is badly numbered and mixes forms.
fn heading_lines(n: usize) -> String {
    const CN: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    let mut x: u64 = 12;
    let mut next = || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) as usize
    };
    let mut s = String::new();
    for _ in 0..n {
        let (form, k) = (next() % 5, next() % 1000);
        let line = match form {
            0 => format!("{}、标题内容", CN[k % 10]),
            1 => format!("（{}）标题内容", CN[k % 10]),
            2 => format!("({})标题内容", CN[k % 10]),
            3 => format!("{}.标题内容", k % 50 + 1),
            _ => format!("{}．标题内容", k % 50 + 1),
        };
        s.push_str(&line);
        s.push('\n');
    }
    s
}

#[test]
fn fifty_five_thousand_heading_lines_stay_within_memory_and_time() {
    let dir = std::env::temp_dir().join(format!("report-lsp-bounded-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("headings.txt");
    std::fs::write(&path, heading_lines(55_000)).unwrap();

    // 1.5 GB of address space (the old code needed 19 GB of memory) and 300 s (a debug build
    // on a loaded 2-core machine needs about 50).
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 1500000 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_report-lsp"))
        .args(["check", "--format", "json", "--fail-on", "never"])
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        stdout.read_to_end(&mut buf).map(|_| buf)
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > Duration::from_secs(300) {
            child.kill().ok();
            panic!("check did not finish within 300 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let out = reader.join().unwrap().expect("read stdout");
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).ok();
    std::fs::remove_dir_all(&dir).ok();
    assert!(status.success(), "check failed ({status}): {err}");

    let json: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
    let findings = json["files"][0]["findings"].as_array().expect("findings");
    assert!(
        !findings.is_empty(),
        "the input is full of numbering errors"
    );
    let edits: usize = findings
        .iter()
        .flat_map(|f| f["fixes"].as_array().into_iter().flatten())
        .map(|fx| fx["edits"].as_array().map_or(0, Vec::len))
        .sum();
    // Linear: at most one finding per heading line and a handful of edits per finding.
    assert!(findings.len() <= 2 * 55_000, "{} findings", findings.len());
    assert!(
        edits <= 4 * findings.len(),
        "{edits} edits for {} findings",
        findings.len()
    );
}
