//! docs/rules.md is generated from the rule registry: this test regenerates it and fails on a
//! difference. Refresh with `UPDATE_EXPECT=1 cargo test --test docs` and review the diff.

use expect_test::expect_file;
use report_lsp::analysis::rules::{registry, render_docs};

#[test]
fn rules_md_matches_the_registry() {
    expect_file!["../docs/rules.md"].assert_eq(&render_docs());
}

#[test]
fn every_rule_is_documented_in_full() {
    for r in registry() {
        let m = r.meta();
        for (field, value) in [
            ("summary_en", m.summary_en),
            ("summary_zh", m.summary_zh),
            ("why", m.why),
            ("example", m.example),
        ] {
            assert!(!value.trim().is_empty(), "{}: empty {field}", m.code);
        }
        // The example shows the Chinese message the rule gives.
        assert!(
            m.example.contains('←'),
            "{}: example without a marked finding",
            m.code
        );
    }
}
