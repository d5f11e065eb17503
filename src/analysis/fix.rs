//! Applying fixes: merging many fixes into one set of non-overlapping edits (a fix is taken whole
//! or not at all, so a document is never left half-fixed), applying edits to a text, and "fix all"
//! run to a fixed point (apply, re-analyse, repeat) for the CLI and `source.fixAll`.

use super::finding::{Edit, Fix};
use super::rules::{registry, run, RuleSettings};
use super::Analysis;

/// Fix-all passes before giving up on reaching a fixed point (rules whose fixes undo each other).
pub const MAX_PASSES: usize = 10;

/// Whether the edits of one fix are well formed for `text`: in bounds, on character boundaries,
/// in document order and pairwise disjoint.
pub fn valid_edits(text: &str, edits: &[Edit]) -> bool {
    let mut last_end = 0usize;
    let mut last_was_insert_at: Option<usize> = None;
    for (k, e) in edits.iter().enumerate() {
        let r = &e.range;
        if r.start > r.end
            || r.end > text.len()
            || !text.is_char_boundary(r.start)
            || !text.is_char_boundary(r.end)
        {
            return false;
        }
        if k > 0 && (r.start < last_end || last_was_insert_at == Some(r.start)) {
            return false;
        }
        last_was_insert_at = (r.start == r.end).then_some(r.start);
        last_end = r.end;
    }
    true
}

/// Two edits conflict when their ranges overlap, or when both touch one point and one of them
/// is an insertion there (the order of the results would be ambiguous).
fn conflicts(a: &Edit, b: &Edit) -> bool {
    let (x, y) = (&a.range, &b.range);
    if x.start < y.end && y.start < x.end {
        return true;
    }
    let touching = x.start <= y.end && y.start <= x.end;
    touching && (x.is_empty() || y.is_empty())
}

/// Merges fixes into one sorted list of disjoint edits. Fixes are considered in the given order;
/// a fix equal to one already taken is skipped, and a fix any of whose edits conflicts with an
/// edit already taken is dropped whole (the next fix-all pass picks it up again if it still
/// applies). Invalid fixes are dropped.
pub fn merge_fixes<'a>(text: &str, fixes: impl IntoIterator<Item = &'a Fix>) -> Vec<Edit> {
    let mut taken: Vec<&Fix> = Vec::new();
    // Accepted edits, kept sorted by start for a binary-searched overlap test.
    let mut edits: Vec<Edit> = Vec::new();
    for fix in fixes {
        if fix.edits.is_empty() || taken.contains(&fix) || !valid_edits(text, &fix.edits) {
            continue;
        }
        let clash = fix.edits.iter().any(|e| {
            // Accepted edits are disjoint and sorted: only the one starting before `e` and the
            // first one starting at or after it can overlap `e`.
            let pos = edits.partition_point(|x| x.range.start < e.range.start);
            let lo = pos.saturating_sub(1);
            let hi = (pos + 1).min(edits.len());
            edits[lo..hi].iter().any(|x| conflicts(x, e))
        });
        if clash {
            continue;
        }
        for e in &fix.edits {
            let pos = edits.partition_point(|x| x.range.start <= e.range.start);
            edits.insert(pos, e.clone());
        }
        taken.push(fix);
    }
    edits
}

/// Applies sorted, disjoint edits (as returned by [`merge_fixes`]) to `text`. Edits that are not
/// well formed are skipped rather than corrupting the text.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0usize;
    for e in edits {
        let r = &e.range;
        if r.start < at
            || r.start > r.end
            || r.end > text.len()
            || !text.is_char_boundary(r.start)
            || !text.is_char_boundary(r.end)
        {
            continue;
        }
        out.push_str(&text[at..r.start]);
        out.push_str(&e.new_text);
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The result of fixing everything that can be fixed safely.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixAll {
    pub text: String,
    /// Edits of the first pass, against the original text.
    pub first_pass: Vec<Edit>,
    /// Passes that changed the text.
    pub passes: usize,
    /// Edits applied over all passes.
    pub edits_applied: usize,
}

/// The safe fixes of `analysis` under `settings`, in finding order.
pub fn safe_fixes(analysis: &Analysis<'_>, settings: &RuleSettings) -> Vec<Fix> {
    run(analysis, settings, registry())
        .findings
        .into_iter()
        .flat_map(|f| f.fixes.into_iter().filter(|x| x.safe))
        .collect()
}

/// Applies every safe fix, re-analysing between passes until nothing is left to fix.
pub fn fix_all(text: &str, settings: &RuleSettings) -> FixAll {
    let mut current = text.to_string();
    let mut first_pass = Vec::new();
    let mut passes = 0;
    let mut edits_applied = 0;
    for pass in 0..MAX_PASSES {
        let analysis = Analysis::new(&current);
        let fixes = safe_fixes(&analysis, settings);
        let edits = merge_fixes(&current, &fixes);
        if edits.is_empty() {
            break;
        }
        let next = apply_edits(&current, &edits);
        if next == current {
            break;
        }
        if pass == 0 {
            first_pass = edits.clone();
        }
        edits_applied += edits.len();
        passes += 1;
        current = next;
    }
    FixAll {
        text: current,
        first_pass,
        passes,
        edits_applied,
    }
}

/// One edit turning `old` into `new`: the differing middle between their common prefix and suffix
/// (on character boundaries).
pub fn minimal_edit(old: &str, new: &str) -> Option<Edit> {
    if old == new {
        return None;
    }
    let mut prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = (old.len() - prefix).min(new.len() - prefix);
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    Some(Edit {
        range: prefix..old.len() - suffix,
        new_text: new[prefix..new.len() - suffix].to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::finding::Text;
    use proptest::prelude::*;

    fn e(a: usize, b: usize, t: &str) -> Edit {
        Edit {
            range: a..b,
            new_text: t.into(),
        }
    }

    fn fix(edits: Vec<Edit>) -> Fix {
        Fix {
            title: Text::new("", ""),
            edits,
            safe: true,
        }
    }

    #[test]
    fn merge_takes_fixes_whole_or_not_at_all() {
        let text = "0123456789";
        let a = fix(vec![e(0, 1, "a"), e(5, 6, "b")]);
        let dup = a.clone();
        // Overlaps the second edit of `a`: dropped entirely, its first edit too.
        let b = fix(vec![e(2, 3, "x"), e(5, 9, "c")]);
        let c = fix(vec![e(7, 8, "d")]);
        let merged = merge_fixes(text, [&a, &dup, &b, &c]);
        assert_eq!(merged, vec![e(0, 1, "a"), e(5, 6, "b"), e(7, 8, "d")]);
        assert_eq!(apply_edits(text, &merged), "a1234b6d89");
    }

    #[test]
    fn insertions_at_one_point_conflict() {
        let text = "abc";
        let a = fix(vec![e(1, 1, "x")]);
        let b = fix(vec![e(1, 1, "y")]);
        let c = fix(vec![e(1, 2, "z")]);
        assert_eq!(merge_fixes(text, [&a, &b, &c]), vec![e(1, 1, "x")]);
    }

    #[test]
    fn invalid_fixes_are_dropped() {
        let text = "甲乙";
        let bad_boundary = fix(vec![e(1, 2, "x")]);
        let out_of_bounds = fix(vec![e(5, 9, "x")]);
        let unordered = fix(vec![e(3, 6, "x"), e(0, 3, "y")]);
        assert!(merge_fixes(text, [&bad_boundary, &out_of_bounds, &unordered]).is_empty());
    }

    #[test]
    fn fix_all_reaches_a_fixed_point() {
        // The one wrong heading (its next sibling confirms it) is renumbered.
        let text = "一、甲\n正文。\n三、乙\n正文。\n三、丙\n正文。\n";
        let out = fix_all(text, &RuleSettings::default());
        assert_eq!(out.text, "一、甲\n正文。\n二、乙\n正文。\n三、丙\n正文。\n");
        assert_eq!(out.passes, 1);
        let again = fix_all(&out.text, &RuleSettings::default());
        assert_eq!(again.passes, 0);
        assert_eq!(again.text, out.text);
    }

    #[test]
    fn minimal_edit_is_the_differing_middle() {
        assert_eq!(minimal_edit("abc", "abc"), None);
        assert_eq!(minimal_edit("a甲c", "a乙c"), Some(e(1, 4, "乙")));
        assert_eq!(minimal_edit("aXa", "aa"), Some(e(1, 2, "")));
    }

    proptest! {
        #[test]
        fn merged_edits_are_disjoint_and_apply(
            text in "[a-c甲乙 ]{0,12}",
            raw in proptest::collection::vec((0usize..40, 0usize..6, "[xy乙]{0,2}"), 0..8),
        ) {
            let fixes: Vec<Fix> = raw
                .iter()
                .map(|(s, l, t)| fix(vec![e(*s, s + l, t)]))
                .collect();
            let merged = merge_fixes(&text, &fixes);
            prop_assert!(valid_edits(&text, &merged));
            let applied = apply_edits(&text, &merged);
            // Applying back to front gives the same result as the forward pass.
            let mut s = text.clone();
            for m in merged.iter().rev() {
                s.replace_range(m.range.clone(), &m.new_text);
            }
            prop_assert_eq!(applied, s);
        }

        #[test]
        fn minimal_edit_round_trips(a in "[ab甲 ]{0,10}", b in "[ab甲 ]{0,10}") {
            let out = match minimal_edit(&a, &b) {
                Some(edit) => apply_edits(&a, &[edit]),
                None => a.clone(),
            };
            prop_assert_eq!(out, b);
        }
    }
}
