//! Every quick fix of every corpus file, applied on its own, removes its finding and introduces
//! no new problem; every rule's fixes together leave the file clean for that rule; fix-all
//! leaves nothing fixable and is idempotent.

use std::collections::HashMap;

use report_lsp::analysis::finding::Finding;
use report_lsp::analysis::fix::{apply_edits, fix_all, merge_fixes, valid_edits};
use report_lsp::analysis::rules::{find_rule, registry, run, RuleSettings};
use report_lsp::analysis::Analysis;
use report_lsp::decode::read_file;

fn corpus() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir("tests/fixtures/corpus")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("txt"))
        .map(|p| (p.display().to_string(), read_file(&p).unwrap().text))
        .collect();
    files.sort();
    files
}

fn findings(text: &str) -> Vec<Finding> {
    let a = Analysis::new(text);
    let out = run(&a, &RuleSettings::default(), registry());
    assert!(out.failures.is_empty(), "{:?}", out.failures);
    out.findings
}

fn counts(fs: &[Finding]) -> HashMap<&'static str, usize> {
    let mut m = HashMap::new();
    for f in fs {
        *m.entry(f.code).or_default() += 1;
    }
    m
}

#[test]
fn every_quick_fix_removes_its_finding_and_adds_nothing() {
    let mut applied = 0usize;
    for (path, text) in corpus() {
        let before = findings(&text);
        let before_counts = counts(&before);
        for f in &before {
            for fix in &f.fixes {
                assert!(
                    valid_edits(&text, &fix.edits),
                    "{path}: {} fix with bad edits",
                    f.code
                );
                let fixed = apply_edits(&text, &fix.edits);
                assert_ne!(fixed, text, "{path}: {} fix changes nothing", f.code);
                let after = counts(&findings(&fixed));
                let n = |m: &HashMap<&str, usize>, c: &str| m.get(c).copied().unwrap_or(0);
                assert!(
                    n(&after, f.code) < n(&before_counts, f.code),
                    "{path}: fixing {} '{}' does not remove it",
                    f.code,
                    f.message.zh
                );
                for r in registry() {
                    let c = r.meta().code;
                    assert!(
                        n(&after, c) <= n(&before_counts, c),
                        "{path}: fixing {} '{}' adds {c} findings",
                        f.code,
                        f.message.zh
                    );
                }
                applied += 1;
            }
        }
    }
    assert!(applied > 100, "only {applied} fixes in the corpus");
}

#[test]
fn each_rules_fixes_together_leave_the_file_clean_for_that_rule() {
    for (path, text) in corpus() {
        for code in counts(&findings(&text)).keys() {
            let rule = find_rule(code).unwrap();
            let a = Analysis::new(&text);
            let out = run(&a, &RuleSettings::default(), &[rule]);
            if !out.findings.iter().all(|f| f.fixes.iter().any(|x| x.safe)) {
                continue; // findings without a fix (announced-count) stay by design
            }
            let edits = merge_fixes(
                &text,
                out.findings
                    .iter()
                    .flat_map(|f| f.fixes.iter().filter(|x| x.safe)),
            );
            let fixed = apply_edits(&text, &edits);
            let a = Analysis::new(&fixed);
            let left = run(&a, &RuleSettings::default(), &[rule]).findings;
            assert!(
                left.is_empty(),
                "{path}: {code} still reports after its fixes: {:?}",
                left.iter().map(|f| &f.message.zh).collect::<Vec<_>>()
            );
        }
    }
}

#[test]
fn fix_all_leaves_nothing_fixable_and_is_idempotent() {
    for (path, text) in corpus() {
        let out = fix_all(&text, &RuleSettings::default());
        assert!(out.passes < report_lsp::analysis::fix::MAX_PASSES, "{path}");
        let left: Vec<Finding> = findings(&out.text)
            .into_iter()
            .filter(|f| f.fixes.iter().any(|x| x.safe))
            .collect();
        assert!(
            left.is_empty(),
            "{path}: fixable findings left: {:?}",
            left.iter().map(|f| &f.message.zh).collect::<Vec<_>>()
        );
        assert_eq!(
            fix_all(&out.text, &RuleSettings::default()).passes,
            0,
            "{path}"
        );
        // Fixes only join, remove and convert: the text never grows by more than the
        // half-width to full-width conversions (two bytes each).
        assert!(
            out.text.len() <= text.len() + 2 * out.edits_applied,
            "{path}"
        );
    }
}
