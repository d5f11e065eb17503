//! Every analysis pass over the document is linear or n·log n in the text: a 5 MB single line of
//! figures and a 5 MB list of figures finish within a generous bound (the extraction of targets
//! was quadratic in the length of a sentence: a 1 MB line took minutes). Each input runs on its
//! own thread so that a regression fails the test instead of hanging it.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use report_lsp::analysis::rules::{self, registry, RuleSettings};
use report_lsp::analysis::Analysis;

const SIZE: usize = 5_000_000;
/// Generous: debug build, two cores shared with other builds; linear work takes a few seconds.
const BOUND: Duration = Duration::from_secs(120);

/// `SIZE` bytes of figures joined by `sep`, each after `indicator`, with a deterministic
/// variety of values.
fn figures(prefix: &str, indicator: &str, sep: &str) -> String {
    let mut s = String::from(prefix);
    let mut k: u64 = 7;
    while s.len() < SIZE {
        k = k
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        s.push_str(indicator);
        s.push_str(&format!("{}.{}%", (k >> 33) % 99 + 1, (k >> 20) % 10));
        s.push_str(sep);
    }
    s.push('\n');
    s
}

/// `min_targets`: the extraction really ran over the input.
fn within_bound(name: &str, text: String, min_targets: usize) {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let started = Instant::now();
        let a = Analysis::new(&text);
        let targets = a.targets().len();
        let findings = rules::run(&a, &RuleSettings::default(), registry())
            .findings
            .len();
        let _ = tx.send((targets, findings, started.elapsed()));
    });
    match rx.recv_timeout(BOUND) {
        Ok((targets, findings, took)) => {
            eprintln!("{name}: {targets} targets, {findings} findings in {took:?}");
            assert!(targets >= min_targets, "{name}: only {targets} targets");
        }
        Err(_) => panic!("{name}: not finished within {BOUND:?}"),
    }
}

#[test]
fn five_mb_line_of_comma_separated_figures() {
    within_bound("comma line", figures("", "地区生产总值增长", "，"), 100_000);
}

#[test]
fn five_mb_line_of_bare_figures() {
    within_bound("bare figures", figures("主要预期目标是：", "", "、"), 0);
}

#[test]
fn five_mb_list_of_figures() {
    within_bound("list", figures("", "地区生产总值增长", "。\n"), 100_000);
}
