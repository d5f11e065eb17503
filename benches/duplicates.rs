//! Accuracy and speed of duplicate detection on synthetic workspaces built by
//! `../shared/tools/gen_dup_corpus.py` (planted copies of real paragraphs with 0%, 5% and 15% of
//! characters edited, and a truth.tsv). Not a criterion bench: one run per size prints recall,
//! false positives, timings and memory. See BENCHMARKS.md.
//!
//!   cargo bench --bench duplicates -- 10 30 100      # sizes in MB (generated once into /tmp)

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use report_lsp::analysis::duplicates::{self, DupSettings, Index};
use report_lsp::analysis::rules::RuleSettings;
use report_lsp::workspace::{Workspace, WorkspaceSettings};

fn rss_mb() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// CPU time of this thread (ns): on a machine shared with other jobs, wall time includes the
/// time the thread waited for a core.
fn thread_cpu_ns() -> u64 {
    #[repr(C)]
    struct Timespec {
        sec: i64,
        nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut ts = Timespec { sec: 0, nsec: 0 };
    // SAFETY: clock_gettime writes one timespec into the valid pointer given.
    let rc = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return 0;
    }
    ts.sec as u64 * 1_000_000_000 + ts.nsec as u64
}

fn generate(mb: &str) -> PathBuf {
    let out = PathBuf::from(format!("/tmp/report-lsp-dups-{mb}mb"));
    if !out.join("truth.tsv").exists() {
        let status = Command::new("python3")
            .args([
                "../shared/tools/gen_dup_corpus.py",
                "--seeds",
                "../shared/corpus",
            ])
            .arg("--out")
            .arg(&out)
            .args(["--target-mb", mb])
            .status()
            .expect("python3");
        assert!(status.success(), "gen_dup_corpus.py failed");
    }
    out
}

struct Truth {
    /// (file, 1-based line) → (cluster, rate)
    dups: HashMap<(String, u32), (i64, String)>,
    bg: HashSet<(String, u32)>,
}

fn truth(dir: &Path) -> Truth {
    let text = std::fs::read_to_string(dir.join("truth.tsv")).expect("truth.tsv");
    let mut t = Truth {
        dups: HashMap::new(),
        bg: HashSet::new(),
    };
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let key = (f[0].to_string(), f[1].parse().unwrap_or(0));
        if f[2] == "dup" {
            t.dups
                .insert(key, (f[3].parse().unwrap_or(-1), f[4].to_string()));
        } else {
            t.bg.insert(key);
        }
    }
    t
}

fn run(mb: &str) {
    let dir = generate(mb);
    let docs = dir.join("docs");
    let t0 = Instant::now();
    let ws = Workspace::new();
    ws.configure(vec![docs.clone()], WorkspaceSettings::default());
    let summary = ws.scan(2, &mut |_, _| {});
    let t_read = t0.elapsed();
    let (rss_read, _) = rss_mb();
    let files: Vec<(Arc<str>, Arc<str>)> = ws
        .files()
        .iter()
        .map(|f| {
            let name = f.path.file_name().unwrap().to_string_lossy().to_string();
            (Arc::from(name.as_str()), f.text.clone())
        })
        .collect();
    let settings = DupSettings::default();
    let t1 = Instant::now();
    let index = Index::bulk(files.clone(), settings.boilerplate_ratio(), 2);
    // As the server does after a bulk build.
    report_lsp::workspace::release_freed_memory();
    let t_index = t1.elapsed();
    let (rss_index, _) = rss_mb();
    // `DUPS_BENCH_QUICK=1`: index, memory and edit latency only (no clusters, no accuracy).
    let quick = std::env::var_os("DUPS_BENCH_QUICK").is_some();
    if quick {
        println!("{mb} MB: read {:.2}s (RSS {rss_read:.0} MB); index {:.2}s, RSS after index {rss_index:.0} MB", t_read.as_secs_f64(), t_index.as_secs_f64());
    }
    let t2 = Instant::now();
    let clusters = if quick {
        Vec::new()
    } else {
        duplicates::clusters(&index, &settings)
    };
    let t_clusters = t2.elapsed();
    // One document's findings, as the server computes them after an edit.
    let key = files[files.len() / 2].0.clone();
    let mut times = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let f = duplicates::document_findings(&index, &key, &settings, &RuleSettings::default());
        std::hint::black_box(f);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(|a, b| a.total_cmp(b));

    // A one-character edit in the open 363 KB corpus file (pasted 8 times), with this
    // workspace indexed: re-index the document's changed paragraph and recompute its findings.
    let mut index = index;
    let big = include_str!("../tests/fixtures/corpus/beijing-2017-report-pasted-8-times.txt");
    let mut cache = duplicates::MatchCache::default();
    index.update("open.txt", Arc::from(big));
    let first = Instant::now();
    let f0 = duplicates::document_findings_cached(
        &index,
        "open.txt",
        &settings,
        &RuleSettings::default(),
        &mut cache,
    );
    let t_first = first.elapsed();
    let mut edit_times = Vec::new();
    let mut update_times = Vec::new();
    let mut cpu_times = Vec::new();
    let mut text = big.to_string();
    let edits: usize = std::env::var("DUPS_EDITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    for i in 0..edits {
        // Alternately insert and delete one character in the middle of copy 5.
        let at = text.len() * 5 / 8 + 1000;
        let at = (at..).find(|&j| text.is_char_boundary(j)).unwrap_or(0);
        if i % 2 == 0 {
            text.insert(at, '字');
        } else {
            text.remove(at);
        }
        let shared: Arc<str> = Arc::from(text.as_str());
        let cpu = thread_cpu_ns();
        let t = Instant::now();
        index.update("open.txt", shared);
        update_times.push(t.elapsed().as_secs_f64() * 1000.0);
        let f = duplicates::document_findings_cached(
            &index,
            "open.txt",
            &settings,
            &RuleSettings::default(),
            &mut cache,
        );
        edit_times.push(t.elapsed().as_secs_f64() * 1000.0);
        cpu_times.push((thread_cpu_ns() - cpu) as f64 / 1e6);
        if std::env::var_os("DUPS_EDIT_TRACE").is_some() {
            println!(
                "    edit {i}: {:.2} ms CPU, {} findings",
                cpu_times[cpu_times.len() - 1],
                f.len()
            );
        }
        std::hint::black_box(f);
    }
    edit_times.sort_by(|a, b| a.total_cmp(b));
    update_times.sort_by(|a, b| a.total_cmp(b));
    cpu_times.sort_by(|a, b| a.total_cmp(b));
    println!(
        "  (of which re-indexing the document: p50 {:.2} ms, p99 {:.2} ms)",
        update_times[update_times.len() / 2],
        update_times[update_times.len() * 99 / 100]
    );
    println!(
        "  open 363 KB file: first analysis {:.1} ms ({} findings); one-character edit → findings p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        t_first.as_secs_f64() * 1000.0,
        f0.len(),
        edit_times[edit_times.len() / 2],
        edit_times[edit_times.len() * 99 / 100],
        edit_times[edit_times.len() - 1],
    );
    println!(
        "  the same in CPU time of the thread: p50 {:.2} ms, p99 {:.2} ms ({} of {} edits kept the runs)",
        cpu_times[cpu_times.len() / 2],
        cpu_times[cpu_times.len() * 99 / 100],
        cache.reused(),
        edits,
    );

    if quick {
        return;
    }
    let truth = truth(&dir);
    let mut flagged: HashSet<(String, u32)> = HashSet::new();
    for c in &clusters {
        for m in &c.members {
            let name = index
                .file(m.file)
                .map(|f| f.key.to_string())
                .unwrap_or_default();
            let (a, b) = (index.para(m.first).first_line, index.para(m.last).last_line);
            for l in a..=b {
                flagged.insert((name.clone(), l + 1));
            }
        }
    }
    // What a drafter sees: every document's findings (the lines they cover).
    let t_docs = Instant::now();
    let mut seen: HashSet<(String, u32)> = HashSet::new();
    let rules = RuleSettings::default();
    for (key, text) in &files {
        for d in duplicates::document_findings(&index, key, &settings, &rules) {
            // A diagnostic per source report lists the other passages here as related places.
            let here = d
                .finding
                .related
                .iter()
                .filter(|r| r.file.is_none())
                .map(|r| r.range.clone());
            for r in std::iter::once(d.finding.range.clone()).chain(here) {
                let first = text[..r.start].matches('\n').count() as u32 + 1;
                let last = text[..r.end].matches('\n').count() as u32 + 1;
                for l in first..=last {
                    seen.insert((key.to_string(), l));
                }
            }
        }
    }
    let t_docs = t_docs.elapsed();
    let mut per_cluster: HashMap<i64, usize> = HashMap::new();
    for (c, _) in truth.dups.values() {
        *per_cluster.entry(*c).or_default() += 1;
    }
    let mut stats: HashMap<String, (usize, usize, usize)> = HashMap::new();
    for (key, (c, rate)) in &truth.dups {
        if per_cluster[c] < 2 {
            continue;
        }
        let e = stats.entry(rate.clone()).or_default();
        e.0 += 1;
        if seen.contains(key) {
            e.2 += 1;
        }
        if flagged.contains(key) {
            e.1 += 1;
        } else if std::env::var_os("SHOW_MISSED").is_some() {
            let text = std::fs::read_to_string(docs.join(&key.0)).unwrap_or_default();
            let line = text.lines().nth(key.1 as usize - 1).unwrap_or("");
            println!(
                "    missed {}:{} rate {rate}: {}",
                key.0,
                key.1,
                line.chars().take(60).collect::<String>()
            );
        }
    }
    let fp = truth.bg.iter().filter(|k| flagged.contains(*k)).count();
    let (postings, live, _) = index.stats();
    let (rss, hwm) = rss_mb();
    println!(
        "{mb} MB: {} files, {:.1} MB read in {:.2}s; index {:.2}s ({postings} postings, {live} paragraphs); clusters {:.2}s ({} clusters); one document's findings p50 {:.2} ms p99 {:.2} ms; RSS after index {rss_index:.0} MB, now {rss:.0} MB, peak {hwm:.0} MB",
        summary.files,
        summary.bytes as f64 / 1e6,
        t_read.as_secs_f64(),
        t_index.as_secs_f64(),
        t_clusters.as_secs_f64(),
        clusters.len(),
        times[times.len() / 2],
        times[times.len() - 1],
    );
    let mut rates: Vec<_> = stats.into_iter().collect();
    rates.sort_by(|a, b| a.0.cmp(&b.0));
    for (rate, (n, found, shown)) in rates {
        println!(
            "  edit rate {rate}: {found}/{n} planted copies found ({:.1}%); in the documents' findings {shown}/{n} ({:.1}%)",
            100.0 * found as f64 / n.max(1) as f64,
            100.0 * shown as f64 / n.max(1) as f64
        );
    }
    let fp_docs = truth.bg.iter().filter(|k| seen.contains(*k)).count();
    println!(
        "  every document's findings: {:.2}s; background paragraphs in them: {fp_docs}/{}",
        t_docs.as_secs_f64(),
        truth.bg.len()
    );
    println!(
        "  background paragraphs flagged: {fp}/{} ({:.3}%)",
        truth.bg.len(),
        100.0 * fp as f64 / truth.bg.len().max(1) as f64
    );
}

fn main() {
    let sizes: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let sizes = if sizes.is_empty() {
        vec!["10".to_string()]
    } else {
        sizes
    };
    for mb in sizes {
        run(&mb);
    }
}
