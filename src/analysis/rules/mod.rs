//! The rule registry and the runner. A rule is one file with a stable id, a default severity,
//! documentation in fixed sections and a check over an [`Analysis`].

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use std::ops::Range;

use super::finding::{Edit, Finding, Fix, Severity, Text};
use super::text::Line;
use super::Analysis;

pub mod announced_count;
pub mod broken_line;
pub mod cjk_digit_spacing;
pub mod conflicting_figure;
pub mod conflicting_figure_across;
pub mod enumeration_mismatch;
pub mod heading_inline;
pub mod heading_numbering;
pub mod heading_style;
pub mod page_debris;
pub mod punctuation_width;
pub mod variant_character;
// Issue 15: drafting checks.
pub mod item_sequence;
pub mod percentage_point;
pub mod placeholder;
pub mod range_notation;
pub mod ratio_sum;
pub mod stale_year;

/// Documentation of a rule, rendered into docs/rules.md.
pub struct RuleMeta {
    pub code: &'static str,
    pub default_severity: Severity,
    pub summary_en: &'static str,
    pub summary_zh: &'static str,
    pub why: &'static str,
    pub example: &'static str,
}

pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, analysis: &Analysis<'_>, out: &mut Vec<Finding>);
}

/// Every rule of report-lsp.
pub fn registry() -> &'static [&'static dyn Rule] {
    &[
        &heading_numbering::HeadingNumbering,
        &heading_style::HeadingStyle,
        &heading_inline::HeadingInline,
        &announced_count::AnnouncedCount,
        &conflicting_figure::ConflictingFigure,
        &enumeration_mismatch::EnumerationMismatch,
        &broken_line::BrokenLine,
        &page_debris::PageDebris,
        &punctuation_width::PunctuationWidth,
        &cjk_digit_spacing::CjkDigitSpacing,
        &variant_character::VariantCharacter,
        // Issue 15: drafting checks.
        &placeholder::Placeholder,
        &item_sequence::ItemSequence,
        &percentage_point::PercentagePoint,
        &ratio_sum::RatioSum,
        &range_notation::RangeNotation,
        &stale_year::StaleYear,
    ]
}

/// A finding of `meta`'s rule at its default severity, without related locations or fixes.
pub(crate) fn finding(
    meta: &'static RuleMeta,
    range: Range<usize>,
    zh: impl Into<std::borrow::Cow<'static, str>>,
    en: impl Into<std::borrow::Cow<'static, str>>,
) -> Finding {
    Finding {
        code: meta.code,
        severity: meta.default_severity,
        range,
        message: Text::new(zh, en),
        related: Vec::new(),
        fixes: Vec::new(),
    }
}

/// A safe fix from a title and edits (sorted by the caller).
pub(crate) fn safe_fix(
    zh: impl Into<std::borrow::Cow<'static, str>>,
    en: impl Into<std::borrow::Cow<'static, str>>,
    edits: Vec<Edit>,
) -> Fix {
    Fix {
        title: Text::new(zh, en),
        edits,
        safe: true,
    }
}

/// Index of the line holding `offset` (lines are sorted by start).
pub(crate) fn line_index(lines: &[Line], offset: usize) -> usize {
    lines
        .partition_point(|l| l.start <= offset)
        .saturating_sub(1)
}

/// The byte range of `lines[i]` together with its line terminator, so that removing it removes
/// the line; for the last line, the terminator before it instead.
pub(crate) fn whole_line(text: &str, lines: &[Line], i: usize) -> Range<usize> {
    match lines.get(i + 1) {
        Some(next) => lines[i].start..next.start,
        None => {
            let start = i.checked_sub(1).map_or(lines[i].start, |p| lines[p].end);
            start..lines[i].end.min(text.len())
        }
    }
}

/// docs/rules.md: every rule of the registry in fixed sections. A test regenerates the file and
/// fails on a difference (`UPDATE_EXPECT=1` refreshes it).
pub fn render_docs() -> String {
    let mut out = String::from(
        "# Rules\n\n<!-- Generated from the rule registry (src/analysis/rules/); do not edit. \
         Refresh with `UPDATE_EXPECT=1 cargo test --test docs`. -->\n\n\
         Every rule has a stable code: the diagnostic code, the key under `rules` in the settings \
         and the anchor of its section here. A rule is switched off with `\"off\"` or re-graded \
         with a severity (`error`, `warning`, `info`, `hint`), in `report-lsp.toml`:\n\n\
         ```toml\n[rules]\n\"punctuation-width\" = \"off\"\n\"broken-line\" = \"error\"\n```\n\n\
         or in the editor settings (`reportLsp.rules`). Fixes marked safe are applied by \
         `source.fixAll` and by `report-lsp fix`.\n\n| code | default | summary |\n| --- | --- | --- |\n",
    );
    for m in documented_metas() {
        out.push_str(&format!(
            "| [`{}`](#{}) | {} | {} |\n",
            m.code,
            m.code,
            m.default_severity.as_str(),
            m.summary_en
        ));
    }
    // Written by `benches/precision_sample.py table --write tests/verdicts/precision.md`
    // (measuring needs ../shared/corpus-scale, which tests may not read).
    out.push_str(
        "\n## Precision on reports nobody tuned for\n\nEvery rule at its default severity \
         is meant to be right at least 95% of the time on findings drawn at random from real \
         reports; a rule that is not yet is demoted (its section says so).\n\n",
    );
    out.push_str(include_str!("../../../tests/verdicts/precision.md"));
    for m in documented_metas() {
        out.push_str(&format!(
            "\n## {}\n\n{}\n\n{}\n\nDefault severity: **{}**.\n\n### Why\n\n{}\n\n### Example\n\n```text\n{}\n```\n",
            m.code,
            m.summary_zh,
            m.summary_en,
            m.default_severity.as_str(),
            m.why,
            m.example
        ));
    }
    out
}

/// The rules documented in docs/rules.md: the registry, with the workspace half of
/// `conflicting-figure` next to it.
fn documented_metas() -> Vec<&'static RuleMeta> {
    let mut metas = Vec::new();
    for r in registry() {
        metas.push(r.meta());
        if r.meta().code == conflicting_figure::ConflictingFigure.meta().code {
            metas.push(&conflicting_figure_across::META);
        }
    }
    // The duplicate findings need the workspace; documented after the per-document rules.
    metas.extend(crate::analysis::duplicates::metas());
    metas
}

pub fn find_rule(code: &str) -> Option<&'static dyn Rule> {
    registry().iter().copied().find(|r| r.meta().code == code)
}

/// Documentation of every finding code: the per-document rules and the workspace-wide
/// duplicate findings.
pub fn all_metas() -> Vec<&'static RuleMeta> {
    registry()
        .iter()
        .map(|r| r.meta())
        .chain([&conflicting_figure_across::META])
        .chain(crate::analysis::duplicates::metas())
        .collect()
}

pub fn find_meta(code: &str) -> Option<&'static RuleMeta> {
    all_metas().into_iter().find(|m| m.code == code)
}

/// Per-rule settings: `None` switches a rule off, `Some(s)` re-grades its findings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSettings {
    pub overrides: BTreeMap<String, Option<Severity>>,
}

impl RuleSettings {
    pub fn severity(&self, meta: &RuleMeta) -> Option<Severity> {
        match self.overrides.get(meta.code) {
            Some(setting) => *setting,
            None => Some(meta.default_severity),
        }
    }
}

/// A rule that panicked; the shell logs it and the other rules' findings still count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFailure {
    pub code: &'static str,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct RunOutput {
    pub findings: Vec<Finding>,
    pub failures: Vec<RuleFailure>,
}

/// Runs `rules` over `analysis`; a panic inside one rule is caught and reported as a failure.
pub fn run(analysis: &Analysis<'_>, settings: &RuleSettings, rules: &[&dyn Rule]) -> RunOutput {
    let mut output = RunOutput::default();
    for rule in rules {
        let meta = rule.meta();
        let Some(severity) = settings.severity(meta) else {
            continue;
        };
        let mut found = Vec::new();
        match catch_unwind(AssertUnwindSafe(|| rule.check(analysis, &mut found))) {
            Ok(()) => {
                for mut f in found {
                    if f.severity == meta.default_severity {
                        f.severity = severity;
                    }
                    output.findings.push(f);
                }
            }
            Err(payload) => {
                let message = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "panic".to_string());
                output.failures.push(RuleFailure {
                    code: meta.code,
                    message,
                });
            }
        }
    }
    output.findings.sort_by(|a, b| {
        (a.range.start, a.range.end, a.code).cmp(&(b.range.start, b.range.end, b.code))
    });
    output
}

/// Helpers shared by the rules' unit tests: one rule, default settings.
#[cfg(test)]
pub(crate) mod testing {
    use super::{run, Rule, RuleSettings};
    use crate::analysis::finding::Finding;
    use crate::analysis::fix::{apply_edits, merge_fixes};
    use crate::analysis::Analysis;

    pub fn findings(rule: &dyn Rule, text: &str) -> Vec<Finding> {
        run(&Analysis::new(text), &RuleSettings::default(), &[rule]).findings
    }

    /// The Chinese messages of the findings.
    pub fn messages(rule: &dyn Rule, text: &str) -> Vec<String> {
        findings(rule, text)
            .into_iter()
            .map(|f| f.message.zh.into_owned())
            .collect()
    }

    /// `'flagged text' message` for each finding.
    pub fn quoted(rule: &dyn Rule, text: &str) -> Vec<String> {
        findings(rule, text)
            .iter()
            .map(|f| format!("'{}' {}", &text[f.range.clone()], f.message.zh))
            .collect()
    }

    /// `text` with the fixes of every finding applied (only the safe ones if `safe_only`).
    pub fn fixed(rule: &dyn Rule, text: &str, safe_only: bool) -> String {
        let found = findings(rule, text);
        let fixes = found
            .iter()
            .flat_map(|f| &f.fixes)
            .filter(|x| x.safe || !safe_only);
        apply_edits(text, &merge_fixes(text, fixes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::finding::Text;

    struct Panics;
    static PANICS: RuleMeta = RuleMeta {
        code: "test-panics",
        default_severity: Severity::Error,
        summary_en: "",
        summary_zh: "",
        why: "",
        example: "",
    };
    impl Rule for Panics {
        fn meta(&self) -> &'static RuleMeta {
            &PANICS
        }
        fn check(&self, _: &Analysis<'_>, _: &mut Vec<Finding>) {
            panic!("boom in rule");
        }
    }

    struct Flags;
    static FLAGS: RuleMeta = RuleMeta {
        code: "test-flags",
        default_severity: Severity::Warning,
        summary_en: "",
        summary_zh: "",
        why: "",
        example: "",
    };
    impl Rule for Flags {
        fn meta(&self) -> &'static RuleMeta {
            &FLAGS
        }
        fn check(&self, _: &Analysis<'_>, out: &mut Vec<Finding>) {
            out.push(Finding {
                code: "test-flags",
                severity: Severity::Warning,
                range: 0..1,
                message: Text::new("甲", "a"),
                related: vec![],
                fixes: vec![],
            });
        }
    }

    #[test]
    fn a_panicking_rule_is_caught_and_the_others_still_report() {
        let a = Analysis::new("一、甲\n");
        let out = run(&a, &RuleSettings::default(), &[&Panics, &Flags]);
        assert_eq!(out.findings.len(), 1);
        assert_eq!(out.failures.len(), 1);
        assert_eq!(out.failures[0].code, "test-panics");
        assert!(out.failures[0].message.contains("boom in rule"));
    }

    #[test]
    fn settings_switch_off_and_regrade() {
        let a = Analysis::new("x");
        let mut s = RuleSettings::default();
        s.overrides
            .insert("test-flags".into(), Some(Severity::Error));
        assert_eq!(run(&a, &s, &[&Flags]).findings[0].severity, Severity::Error);
        s.overrides.insert("test-flags".into(), None);
        assert!(run(&a, &s, &[&Flags]).findings.is_empty());
    }

    #[test]
    fn registry_codes_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for r in registry() {
            let code = r.meta().code;
            assert!(seen.insert(code), "duplicate {code}");
            assert!(
                code.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{code}"
            );
        }
    }
}
