//! Benchmarks of the foundation: outline and rules of the 363 KB corpus file, a one-character
//! edit on the open document, and server start to `initialize` result. Results and the command
//! to reproduce them are in BENCHMARKS.md.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use report_lsp::analysis::fix::fix_all;
use report_lsp::analysis::rules::{registry, run, RuleSettings};
use report_lsp::analysis::Analysis;
use report_lsp::lsp::documents::apply_change;
use report_lsp::position::{to_line_col, Encoding};
use ropey::Rope;
use tower_lsp::lsp_types::{Position, Range, TextDocumentContentChangeEvent};

const PDF: &str = include_str!("../tests/fixtures/corpus/beijing-2023-report-from-pdf.txt");
const BIG: &str = include_str!("../tests/fixtures/corpus/beijing-2017-report-pasted-8-times.txt");

fn outline(c: &mut Criterion) {
    c.bench_function("outline/363KB pasted-8-times", |b| {
        b.iter(|| Analysis::new(black_box(BIG)).outline.sections.len())
    });
    let analysis = Analysis::new(BIG);
    // Targets are computed once per snapshot and shared with hover and the targets view; the
    // rules bench measures the rules given the outline and the targets.
    let _ = analysis.targets();
    c.bench_function("rules/363KB pasted-8-times", |b| {
        b.iter(|| {
            run(black_box(&analysis), &RuleSettings::default(), registry())
                .findings
                .len()
        })
    });
    c.bench_function("check/363KB pasted-8-times (outline+targets+rules)", |b| {
        b.iter(|| {
            let a = Analysis::new(black_box(BIG));
            run(&a, &RuleSettings::default(), registry()).findings.len()
        })
    });
    c.bench_function("fix-all/45KB 2023 report from PDF", |b| {
        b.iter(|| fix_all(black_box(PDF), &RuleSettings::default()).edits_applied)
    });
}

fn edit(c: &mut Criterion) {
    let mut rope = Rope::from_str(BIG);
    // The middle of the document, in UTF-16 as VS Code sends it.
    let mid = to_line_col(&rope, BIG.len() / 2, Encoding::Utf16);
    let at = Position::new(mid.line, mid.col);
    let insert = TextDocumentContentChangeEvent {
        range: Some(Range::new(at, at)),
        range_length: None,
        text: "字".to_string(),
    };
    let delete = TextDocumentContentChangeEvent {
        range: Some(Range::new(at, Position::new(at.line, at.character + 1))),
        range_length: None,
        text: String::new(),
    };
    c.bench_function("edit/one character insert+delete, 363KB, utf-16", |b| {
        b.iter(|| {
            apply_change(&mut rope, black_box(&insert), Encoding::Utf16);
            apply_change(&mut rope, black_box(&delete), Encoding::Utf16);
        })
    });
}

fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// Reads one framed message from the server.
fn read_message(reader: &mut impl BufRead) -> String {
    let mut len = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return String::new();
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            len = v.parse().unwrap_or(0);
        }
    }
    let mut body = vec![0u8; len];
    let _ = reader.read_exact(&mut body);
    String::from_utf8_lossy(&body).into_owned()
}

fn startup(c: &mut Criterion) {
    let exe = env!("CARGO_BIN_EXE_report-lsp");
    let init = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}"#;
    c.bench_function("server/start to initialize result", |b| {
        b.iter(|| {
            let mut child = Command::new(exe)
                .arg("serve")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn report-lsp");
            let mut stdin = child.stdin.take().expect("stdin");
            stdin.write_all(&frame(init)).expect("write");
            stdin.flush().expect("flush");
            let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
            let reply = read_message(&mut reader);
            assert!(reply.contains("\"capabilities\""), "{reply}");
            drop(stdin);
            let _ = child.kill();
            let _ = child.wait();
        })
    });
}

criterion_group!(benches, outline, edit, startup);
criterion_main!(benches);
