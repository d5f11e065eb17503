//! `heading-numbering`: among sibling headings of one numbering family, a skipped, repeated or
//! out-of-order number, or numbering that restarts or does not start at one.

use std::collections::HashMap;
use std::ops::Range;

use crate::analysis::finding::{Edit, Finding, Fix, Related, Severity, Text};
use crate::analysis::heading::Family;
use crate::analysis::numeral::{format_arabic, format_chinese, format_circled};
use crate::analysis::outline::{Section, SectionKind};
use crate::analysis::text::is_blank_char;
use crate::analysis::Analysis;

use super::{Rule, RuleMeta};

pub struct HeadingNumbering;

static META: RuleMeta = RuleMeta {
    code: "heading-numbering",
    default_severity: Severity::Warning,
    summary_en: "Sibling section numbers skip, repeat, go backwards or do not start at one.",
    summary_zh: "同级标题编号跳号、重号、倒序或不从一开始。",
    why:
        "Sections are moved, inserted and deleted while a report is drafted; a number left behind \
          (一、二、四、) is the most common error a reviewer finds in a printed draft.",
    example: "一、总体要求\n二、主要任务\n四、保障措施   ← 二、之后应为三、，此处为四、",
};

impl Rule for HeadingNumbering {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, analysis: &Analysis<'_>, out: &mut Vec<Finding>) {
        let outline = &analysis.outline;
        // Some reports number a family continuously across parents (1.–5. under 一、, 6.–12.
        // under 二、): the last number seen per family and depth lets a group continue it.
        let mut last_number: HashMap<(Family, usize), u32> = HashMap::new();
        let mut parents: Vec<Option<usize>> = vec![None];
        parents.extend((0..outline.sections.len()).map(Some));
        for parent in parents {
            let children = outline.children_of(parent);
            let mut families: Vec<Family> = Vec::new();
            for &c in children {
                let s = &outline.sections[c];
                if let (SectionKind::Heading, Some(f)) = (s.kind, s.family) {
                    if f.is_numbered() && !families.contains(&f) {
                        families.push(f);
                    }
                }
            }
            for family in families {
                let group: Vec<&Section> = children
                    .iter()
                    .map(|&c| &outline.sections[c])
                    .filter(|s| s.kind == SectionKind::Heading && s.family == Some(family))
                    .collect();
                let Some(first) = group.first() else { continue };
                let key = (family, first.depth);
                let group_start = parent.map_or(0, |p| outline.sections[p].range.start);
                check_group(
                    analysis,
                    family,
                    &group,
                    group_start,
                    last_number.get(&key).copied(),
                    out,
                );
                if let Some(n) = group.last().and_then(|s| s.number) {
                    last_number.insert(key, n);
                }
            }
        }
    }
}

struct Problem {
    index: usize,
    prev: Option<u32>,
    expected: u32,
    actual: u32,
}

fn check_group(
    analysis: &Analysis<'_>,
    family: Family,
    group: &[&Section],
    group_start: usize,
    previous_group_last: Option<u32>,
    out: &mut Vec<Finding>,
) {
    let text: &str = &analysis.text;
    let mut problems = Vec::new();
    // The number each heading should carry, for the renumbering fix.
    let mut wanted = Vec::with_capacity(group.len());
    let mut fixable = true;
    let mut prev: Option<u32> = None;
    // The outer list interrupted by an announced inner list of the same family (一、…二、 then
    // `以下十项：` 一、…十、 then 三、): its last number and wanted number, to resume it.
    let mut outer: Option<(u32, u32)> = None;
    for (i, s) in group.iter().enumerate() {
        let Some(actual) = s.number else { return };
        let before_start = match i {
            0 => group_start,
            _ => group[i - 1].range.start,
        };
        let mut want = wanted.last().map_or(1, |w: &u32| w + 1);
        if i == 0 {
            if let Some(last) = previous_group_last.filter(|&l| actual == l + 1) {
                prev = Some(last);
                want = actual;
            }
        } else if actual == 1 && follows_list_announcement(analysis, s) {
            // `…重点做好以下八个方面工作：` before a new (一): a second list, not a restart.
            if let (Some(p), Some(&w)) = (prev, wanted.last()) {
                outer = Some((p, w));
            }
            prev = None;
            want = 1;
        } else if let Some((op, ow)) = outer.filter(|&(op, _)| actual == op + 1 && prev != Some(op))
        {
            // The outer list resumes after the inner one.
            prev = Some(op);
            want = ow + 1;
            outer = None;
        }
        let expected = prev.map_or(1, |p| p + 1);
        if actual > expected
            && (expected..actual)
                .all(|n| written_inline(text, family, n, before_start..s.range.start))
        {
            // The missing numbers stand inside the preceding text (`…。4.三类500强…`): not
            // missing, only not at a line start.
            fixable = false;
        } else if actual != expected {
            problems.push(Problem {
                index: i,
                prev,
                expected,
                actual,
            });
        }
        wanted.push(want);
        prev = Some(actual);
    }
    if problems.is_empty() {
        return;
    }
    let fix = if fixable {
        renumber_fix(family, group, &wanted)
    } else {
        None
    };
    for p in problems {
        let s = group[p.index];
        let Some(marker) = s.marker else { continue };
        let show = |n: u32| marker.render(family, n);
        let (zh, en) = match p.prev {
            None => (
                format!(
                    "同级标题编号应从{}开始，此处为{}",
                    show(p.expected),
                    show(p.actual)
                ),
                format!(
                    "sibling numbering should start at {}, found {}",
                    show(p.expected),
                    show(p.actual)
                ),
            ),
            Some(prev) => {
                let (what_zh, what_en) = if p.actual == prev {
                    ("编号重复", "numbering repeats")
                } else if p.actual == 1 {
                    ("编号重新开始", "numbering restarts")
                } else if p.actual < prev {
                    ("编号顺序颠倒", "numbering goes backwards")
                } else {
                    ("编号跳号", "numbering skips")
                };
                (
                    format!(
                        "{what_zh}：{}之后应为{}，此处为{}",
                        show(prev),
                        show(p.expected),
                        show(p.actual)
                    ),
                    format!(
                        "{what_en}: after {} expected {}, found {}",
                        show(prev),
                        show(p.expected),
                        show(p.actual)
                    ),
                )
            }
        };
        let related = match p.index.checked_sub(1) {
            Some(k) => vec![Related {
                file: None,
                range: group[k].selection.clone(),
                message: Text::new("上一个同级标题", "previous sibling heading"),
            }],
            None => Vec::new(),
        };
        out.push(Finding {
            code: META.code,
            severity: META.default_severity,
            range: s.prefix.clone().unwrap_or(s.selection.clone()),
            message: Text::new(zh, en),
            related,
            fixes: fix.iter().cloned().collect(),
        });
    }
}

/// Whether the body line just before heading `s` announces a list (ends with a colon).
fn follows_list_announcement(analysis: &Analysis<'_>, s: &Section) -> bool {
    let lines = &analysis.lines;
    (0..s.first_line)
        .rev()
        .find(|&j| !lines[j].is_blank())
        .map(|j| &analysis.text[lines[j].trimmed()])
        .is_some_and(|t| t.ends_with('：') || t.ends_with(':'))
}

/// Whether number `n` of `family` is written somewhere inside `range` in any of its forms.
fn written_inline(text: &str, family: Family, n: u32, range: Range<usize>) -> bool {
    let Some(haystack) = text.get(range) else {
        return false;
    };
    let forms: Vec<String> = match family {
        Family::CnParen => {
            let c = format_chinese(n);
            vec![format!("（{c}）"), format!("({c})")]
        }
        Family::CnComma => vec![format!("{}、", format_chinese(n))],
        Family::ArabicDot => {
            let (h, f) = (format_arabic(n, false), format_arabic(n, true));
            vec![
                format!("{h}."),
                format!("{h}．"),
                format!("{h}、"),
                format!("{f}．"),
                format!("{f}、"),
            ]
        }
        Family::ArabicParen => {
            let (h, f) = (format_arabic(n, false), format_arabic(n, true));
            vec![format!("（{h}）"), format!("({h})"), format!("（{f}）")]
        }
        Family::Circled => vec![format_circled(n)],
        Family::Part | Family::Pian | Family::Zhang | Family::Jie => {
            let unit = match family {
                Family::Part => "部分",
                Family::Pian => "篇",
                Family::Zhang => "章",
                _ => "节",
            };
            vec![format!("第{}{unit}", format_chinese(n))]
        }
        Family::Unnumbered => return false,
    };
    forms.iter().any(|f| {
        haystack.match_indices(f.as_str()).any(|(k, _)| {
            // `14.` must not match inside `114.`, nor `1.` inside a decimal `1.5`.
            let before = haystack[..k].chars().next_back();
            let after = haystack[k + f.len()..].chars().next();
            // At a line start a following digit is part of the item (`1.20条夜市美食街区`).
            let line_start = haystack[..k]
                .trim_end_matches(is_blank_char)
                .ends_with('\n')
                || haystack[..k].trim_end_matches(is_blank_char).is_empty();
            !before.is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
                && (line_start || !after.is_some_and(|c| c.is_ascii_digit()))
        })
    })
}

/// Renumbers the group to `wanted`, keeping each heading's own marker style.
fn renumber_fix(family: Family, group: &[&Section], wanted: &[u32]) -> Option<Fix> {
    let mut edits = Vec::new();
    for (s, &want) in group.iter().zip(wanted) {
        if s.number == Some(want) {
            continue;
        }
        let (Some(numeral), Some(marker)) = (s.numeral.clone(), s.marker) else {
            return None;
        };
        edits.push(Edit {
            range: numeral,
            new_text: marker.numeral(family, want),
        });
    }
    let first = group.first()?.marker?;
    let (lo, hi) = (*wanted.first()?, *wanted.last()?);
    Some(Fix {
        title: Text::new(
            format!(
                "将同级标题依次编号为{}至{}",
                first.render(family, lo),
                first.render(family, hi)
            ),
            format!(
                "Renumber sibling headings {} to {}",
                first.render(family, lo),
                first.render(family, hi)
            ),
        ),
        edits,
        safe: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rules::{run, RuleSettings};

    fn messages(text: &str) -> Vec<String> {
        let a = Analysis::new(text);
        run(&a, &RuleSettings::default(), &[&HeadingNumbering])
            .findings
            .iter()
            .map(|f| {
                format!(
                    "{} '{}' {}",
                    f.range.start,
                    &text[f.range.clone()],
                    f.message.zh
                )
            })
            .collect()
    }

    fn apply_first_fix(text: &str) -> String {
        let a = Analysis::new(text);
        let out = run(&a, &RuleSettings::default(), &[&HeadingNumbering]);
        let fix = &out.findings[0].fixes[0];
        let mut s = text.to_string();
        for e in fix.edits.iter().rev() {
            s.replace_range(e.range.clone(), &e.new_text);
        }
        s
    }

    const BODY: &str = "正文内容。\n";

    fn doc(headings: &[&str]) -> String {
        headings.iter().map(|h| format!("{h}\n{BODY}")).collect()
    }

    #[test]
    fn clean_numbering_has_no_findings() {
        assert!(messages(&doc(&["一、甲", "二、乙", "三、丙"])).is_empty());
        assert!(messages(&doc(&["（一）甲", "(二)乙", "（三）丙"])).is_empty());
        assert!(messages(&doc(&[
            "一、甲",
            "（一）子",
            "（二）子",
            "二、乙",
            "（一）子"
        ]))
        .is_empty());
    }

    #[test]
    fn skipped_number() {
        let text = doc(&["（一）甲", "（二）乙", "（三）丙", "（四）丁", "（六）己"]);
        assert_eq!(
            messages(&text),
            vec![format!(
                "{} '（六）' 编号跳号：（四）之后应为（五），此处为（六）",
                text.find("（六）").unwrap()
            )]
        );
    }

    #[test]
    fn repeated_backwards_restart_and_bad_start() {
        let m = messages(&doc(&["一、甲", "二、乙", "二、丙"]));
        assert!(
            m[0].ends_with("编号重复：二、之后应为三、，此处为二、"),
            "{m:?}"
        );
        let m = messages(&doc(&["1.甲", "2.乙", "3.丙", "2.丁"]));
        assert!(
            m[0].ends_with("编号顺序颠倒：3.之后应为4.，此处为2."),
            "{m:?}"
        );
        let m = messages(&doc(&["第一章 甲", "第二章 乙", "第一章 丙"]));
        assert!(
            m[0].ends_with("编号重新开始：第二章之后应为第三章，此处为第一章"),
            "{m:?}"
        );
        let m = messages(&doc(&["二、甲", "三、乙"]));
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].ends_with("同级标题编号应从一、开始，此处为二、"),
            "{m:?}"
        );
    }

    #[test]
    fn fix_renumbers_siblings_in_their_own_style() {
        let text = doc(&["（一）甲", "(二)乙", "（四）丁", "(五)戊"]);
        assert_eq!(
            apply_first_fix(&text),
            doc(&["（一）甲", "(二)乙", "（三）丁", "(四)戊"])
        );
        let text = doc(&["１．甲", "３．丙"]);
        assert_eq!(apply_first_fix(&text), doc(&["１．甲", "２．丙"]));
        let fixed = apply_first_fix(&doc(&["一、甲", "二、乙", "二、丙"]));
        assert!(messages(&fixed).is_empty(), "{fixed}");
    }

    #[test]
    fn continuous_numbering_across_parents_is_accepted() {
        let text = doc(&[
            "一、甲",
            "1.子",
            "2.子",
            "二、乙",
            "3.子",
            "4.子",
            "三、丙",
            "1.子",
            "2.子",
        ]);
        assert!(messages(&text).is_empty(), "{:?}", messages(&text));
        let text = doc(&["一、甲", "1.子", "2.子", "二、乙", "4.子"]);
        assert_eq!(messages(&text).len(), 1);
    }

    #[test]
    fn a_second_list_after_an_announcement_may_restart() {
        let text = "（一）甲\n正文。\n（二）乙\n正文。\n重点做好以下两个方面工作：\n（一）丙\n正文。\n（二）丁\n正文。\n";
        assert!(messages(text).is_empty(), "{:?}", messages(text));
        let text = doc(&["（一）甲", "（二）乙", "（一）丙"]);
        assert_eq!(messages(&text).len(), 1);
    }

    #[test]
    fn an_announced_inner_list_of_the_same_family_then_the_outer_resumes() {
        let text = "一、回顾\n正文。\n二、任务\n承诺办好以下三件实事：\n一、甲\n二、乙\n三、丙\n三、自身建设\n正文。\n四、结语\n正文。\n";
        assert!(messages(text).is_empty(), "{:?}", messages(text));
        // Without the resumption the outer list is still checked.
        let text = "一、回顾\n正文。\n二、任务\n承诺办好以下三件实事：\n一、甲\n二、乙\n三、丙\n五、结语\n正文。\n";
        assert_eq!(messages(text).len(), 1, "{:?}", messages(text));
    }

    #[test]
    fn numbers_written_inline_are_not_missing() {
        let text = "名词解释\n1.甲：释义。\n2.乙：释义。3.丙：释义。\n4.丁：释义。\n";
        assert!(messages(text).is_empty(), "{:?}", messages(text));
        // 114. does not contain the missing 14.
        let text = "1.甲\n正文114.5万。\n3.丙\n正文。\n";
        assert_eq!(messages(text).len(), 1, "{:?}", messages(text));
    }

    #[test]
    fn siblings_under_different_parents_are_separate_groups() {
        let text = doc(&[
            "一、甲",
            "（一）子",
            "（二）子",
            "二、乙",
            "（一）子",
            "（三）子",
        ]);
        let m = messages(&text);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].contains("（一）之后应为（二），此处为（三）"), "{m:?}");
    }
}
