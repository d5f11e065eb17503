//! The planted draft (tests/fixtures/drafting-planted.txt) holds exactly one problem of each
//! drafting rule of issue 15; each is reported exactly once, where it was planted, and nothing
//! else by those rules.

use report_lsp::analysis::rules::{registry, run, RuleSettings};
use report_lsp::analysis::Analysis;

const CODES: [&str; 6] = [
    "placeholder",
    "item-sequence",
    "percentage-point",
    "ratio-sum",
    "range-notation",
    "stale-year",
];

#[test]
fn the_planted_draft_is_reported_exactly() {
    let text = include_str!("fixtures/drafting-planted.txt");
    let analysis = Analysis::new(text);
    let rules: Vec<_> = registry()
        .iter()
        .copied()
        .filter(|r| CODES.contains(&r.meta().code))
        .collect();
    assert_eq!(rules.len(), CODES.len());
    let out = run(&analysis, &RuleSettings::default(), &rules);
    assert!(out.failures.is_empty(), "{:?}", out.failures);
    let mut got: Vec<(&str, usize, &str)> = out
        .findings
        .iter()
        .map(|f| {
            let line = text[..f.range.start].matches('\n').count() + 1;
            (f.code, line, &text[f.range.clone()])
        })
        .collect();
    got.sort();
    let mut want = vec![
        ("item-sequence", 15, "四是"),
        ("percentage-point", 13, "2.3%"),
        ("placeholder", 13, "（待补充）"),
        ("range-notation", 19, "5~6%"),
        ("ratio-sum", 13, "3.1∶40.5∶57.4"),
        ("stale-year", 19, "今年是“十四五”规划开局之年"),
    ];
    want.sort();
    assert_eq!(got, want);
}
