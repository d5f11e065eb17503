//! Target benchmarks: extraction over the 363 KB corpus file, and a hover on a figure with a
//! 1,000-report workspace index loaded (reports from ../shared/corpus-scale, each stored under
//! three paths). Results and the command to reproduce are in BENCHMARKS.md.

use std::path::PathBuf;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use report_lsp::analysis::finding::Language;
use report_lsp::analysis::targets::{extract, Synonyms};
use report_lsp::analysis::Analysis;
use report_lsp::lsp::analysis_cache::AnalysisCache;
use report_lsp::lsp::documents::Snapshot;
use report_lsp::lsp::features;
use report_lsp::lsp::targets::{hover, TargetsIndex};
use report_lsp::position::Encoding;
use report_lsp::workspace::{file_uri, Workspace};
use ropey::Rope;
use tower_lsp::lsp_types::{Position, Url};

fn extraction(c: &mut Criterion) {
    let text =
        std::fs::read_to_string("tests/fixtures/corpus/beijing-2017-report-pasted-8-times.txt")
            .expect("corpus file");
    let a = Analysis::new(&text);
    let syn = Synonyms::builtin();
    c.bench_function("targets: extract 363 KB corpus file", |b| {
        b.iter(|| extract(&text, &a.lines, &a.outline, &syn).len())
    });
}

fn hover_with_index(c: &mut Criterion) {
    let dir = PathBuf::from("../shared/corpus-scale");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("../shared/corpus-scale not found: hover benchmark skipped");
        return;
    };
    let mut texts: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "txt"))
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    texts.sort();
    let ws = Arc::new(Workspace::new());
    let mut n = 0;
    'fill: for copy in 0..3 {
        for t in &texts {
            let path = PathBuf::from(format!("/bench/{copy}/{n}.txt"));
            ws.open(&path, &file_uri(&path), Arc::from(t.as_str()));
            n += 1;
            if n >= 1000 {
                break 'fill;
            }
        }
    }
    let index = TargetsIndex::new(ws.clone());
    index.configure(Synonyms::builtin(), Encoding::Utf16);
    let text =
        std::fs::read_to_string("tests/fixtures/corpus/beijing-2020-report.txt").expect("corpus");
    let offset = text.find("增长6%左右").expect("figure");
    let snap = Snapshot {
        uri: Url::parse("file:///bench/current.txt").expect("uri"),
        rope: Rope::from_str(&text),
        version: 1,
        generation: 1,
        encoding: Encoding::Utf16,
    };
    // Warm the index (first use extracts every report once).
    let analysis = Analysis::new(&text);
    let _ = hover(&snap, &analysis, offset, &index, Language::Zh);
    c.bench_function(
        "targets: hover card, 1000-report index, analysis reused",
        |b| b.iter(|| hover(&snap, &analysis, offset, &index, Language::Zh)),
    );
    c.bench_function(
        "targets: hover request, 1000-report index, document re-analysed",
        |b| {
            b.iter(|| {
                let a = Analysis::new(&text);
                hover(&snap, &a, offset, &index, Language::Zh)
            })
        },
    );
    // The request path as the server answers it (`Backend::hover` runs exactly this in
    // `spawn_blocking`): position -> offset, the document's analysis from the per-snapshot
    // cache, the card.
    let cache = AnalysisCache::default();
    let position = Position {
        line: (snap.rope.byte_to_line(offset)) as u32,
        character: {
            let line_start = snap.rope.line_to_char(snap.rope.byte_to_line(offset));
            let ch = snap.rope.byte_to_char(offset);
            snap.rope.char_to_utf16_cu(ch) as u32 - snap.rope.char_to_utf16_cu(line_start) as u32
        },
    };
    let first = features::hover(&snap, position, Language::Zh, &index, &cache);
    assert!(first.is_some(), "the position is on the figure");
    c.bench_function(
        "targets: hover request as served, 1000-report index, document unchanged",
        |b| b.iter(|| features::hover(&snap, position, Language::Zh, &index, &cache)),
    );
    // The first hover after an edit: a new generation, so the cache misses and the document is
    // analysed once.
    let mut generation = snap.generation;
    c.bench_function(
        "targets: hover request as served, 1000-report index, first after an edit",
        |b| {
            b.iter(|| {
                generation += 1;
                let edited = Snapshot {
                    generation,
                    ..snap.clone()
                };
                features::hover(&edited, position, Language::Zh, &index, &cache)
            })
        },
    );
}

/// `conflicting-figure-across-reports` in one diagnostics pass of the 363 KB corpus file with the
/// 405 reports of ../shared/corpus-scale in the workspace: the document's comparable results
/// (its targets already extracted by the rules) and the comparison with every other report
/// (regions and results cached per file content, as in the server).
fn cross_report_pass(c: &mut Criterion) {
    use report_lsp::analysis::rules::conflicting_figure_across::report_results;
    use report_lsp::analysis::rules::RuleSettings;
    use report_lsp::lsp::cross_report::CrossReports;
    let dir = PathBuf::from("../shared/corpus-scale");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("../shared/corpus-scale not found: cross-report benchmark skipped");
        return;
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    let ws = Workspace::new();
    for p in &paths {
        if let Ok(t) = std::fs::read_to_string(p) {
            ws.open(p, &file_uri(p), Arc::from(t.as_str()));
        }
    }
    let text =
        std::fs::read_to_string("tests/fixtures/corpus/beijing-2017-report-pasted-8-times.txt")
            .expect("corpus file");
    let key = "/bench/current.txt";
    let rules = RuleSettings::default();
    let cross = CrossReports::new(&ws);
    let analysis = Analysis::new(&text);
    let _ = analysis.targets();
    let this = report_results(&analysis);
    let start = std::time::Instant::now();
    let found = cross.findings(&ws, key, &this, &rules, analysis.synonyms());
    eprintln!(
        "cross-report: first pass (every file's region, the same government's results) {:?}, {} findings, {} files",
        start.elapsed(),
        found.len(),
        ws.len()
    );
    c.bench_function(
        "cross-report: one pass of the 363 KB file, 405-report workspace, caches warm",
        |b| {
            b.iter(|| {
                let this = report_results(&analysis);
                cross
                    .findings(&ws, key, &this, &rules, analysis.synonyms())
                    .len()
            })
        },
    );
}

criterion_group!(benches, extraction, hover_with_index, cross_report_pass);
criterion_main!(benches);
