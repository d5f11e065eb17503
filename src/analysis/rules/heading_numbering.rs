//! `heading-numbering`: among sibling headings of one numbering family, a skipped, repeated or
//! out-of-order number, or numbering that restarts or does not start at one.

use crate::analysis::finding::{Edit, Finding, Fix, Related, Severity, Text};
use crate::analysis::heading::Family;
use crate::analysis::outline::{Section, SectionKind};
use crate::analysis::Analysis;

use super::{Rule, RuleMeta};

pub struct HeadingNumbering;

static META: RuleMeta = RuleMeta {
    code: "heading-numbering",
    default_severity: Severity::Warning,
    summary_en: "Sibling section numbers skip, repeat, go backwards or do not start at one.",
    summary_zh: "同级标题编号跳号、重号、倒序或不从一开始。",
    why: "Sections are moved, inserted and deleted while a report is drafted; a number left behind \
          (一、二、四、) is the most common error a reviewer finds in a printed draft.",
    example: "一、总体要求\n二、主要任务\n四、保障措施   ← 二、之后应为三、，此处为四、",
};

impl Rule for HeadingNumbering {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, analysis: &Analysis<'_>, out: &mut Vec<Finding>) {
        let outline = &analysis.outline;
        let mut parents: Vec<Option<usize>> = vec![None];
        parents.extend((0..outline.sections.len()).map(Some));
        for parent in parents {
            let children = outline.children_of(parent);
            // Group the numbered heading children by family, keeping document order.
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
                check_group(family, &group, out);
            }
        }
    }
}

fn check_group(family: Family, group: &[&Section], out: &mut Vec<Finding>) {
    let mut problems = Vec::new();
    for (i, s) in group.iter().enumerate() {
        let Some(actual) = s.number else { continue };
        let prev = i.checked_sub(1).and_then(|p| group[p].number);
        let expected = prev.map_or(1, |p| p + 1);
        if actual != expected {
            problems.push((i, prev, expected, actual));
        }
    }
    if problems.is_empty() {
        return;
    }
    let fix = renumber_fix(family, group);
    for (i, prev, expected, actual) in problems {
        let s = group[i];
        let Some(marker) = s.marker else { continue };
        let show = |n: u32| marker.render(family, n);
        let (zh, en) = match prev {
            None => (
                format!("同级标题编号应从{}开始，此处为{}", show(1), show(actual)),
                format!("sibling numbering should start at {}, found {}", show(1), show(actual)),
            ),
            Some(p) => {
                let (what_zh, what_en) = if actual == p {
                    ("编号重复", "numbering repeats")
                } else if actual == 1 {
                    ("编号重新开始", "numbering restarts")
                } else if actual < p {
                    ("编号顺序颠倒", "numbering goes backwards")
                } else {
                    ("编号跳号", "numbering skips")
                };
                (
                    format!("{what_zh}：{}之后应为{}，此处为{}", show(p), show(expected), show(actual)),
                    format!(
                        "{what_en}: after {} expected {}, found {}",
                        show(p),
                        show(expected),
                        show(actual)
                    ),
                )
            }
        };
        let related = match i.checked_sub(1) {
            Some(p) => vec![Related {
                file: None,
                range: group[p].selection.clone(),
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

/// Renumbers the whole sibling group 1, 2, 3 … keeping each heading's own marker style.
fn renumber_fix(family: Family, group: &[&Section]) -> Option<Fix> {
    let mut edits = Vec::new();
    for (i, s) in group.iter().enumerate() {
        let want = i as u32 + 1;
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
    let last = group.len() as u32;
    Some(Fix {
        title: Text::new(
            format!("将同级标题依次编号为{}至{}", first.render(family, 1), first.render(family, last)),
            format!(
                "Renumber sibling headings {} to {}",
                first.render(family, 1),
                first.render(family, last)
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
            .map(|f| format!("{} '{}' {}", f.range.start, &text[f.range.clone()], f.message.zh))
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
        assert!(messages(&doc(&["一、甲", "（一）子", "（二）子", "二、乙", "（一）子"])).is_empty());
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
        assert!(m[0].ends_with("编号重复：二、之后应为三、，此处为二、"), "{m:?}");
        let m = messages(&doc(&["1.甲", "2.乙", "3.丙", "2.丁"]));
        assert!(m[0].ends_with("编号顺序颠倒：3.之后应为4.，此处为2."), "{m:?}");
        let m = messages(&doc(&["第一章 甲", "第二章 乙", "第一章 丙"]));
        assert!(m[0].ends_with("编号重新开始：第二章之后应为第三章，此处为第一章"), "{m:?}");
        let m = messages(&doc(&["二、甲", "三、乙"]));
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].ends_with("同级标题编号应从一、开始，此处为二、"), "{m:?}");
    }

    #[test]
    fn fix_renumbers_siblings_in_their_own_style() {
        let text = doc(&["（一）甲", "(二)乙", "（四）丁", "(五)戊"]);
        assert_eq!(apply_first_fix(&text), doc(&["（一）甲", "(二)乙", "（三）丁", "(四)戊"]));
        let text = doc(&["１．甲", "３．丙"]);
        assert_eq!(apply_first_fix(&text), doc(&["１．甲", "２．丙"]));
        let fixed = apply_first_fix(&doc(&["一、甲", "二、乙", "二、丙"]));
        assert!(messages(&fixed).is_empty(), "{fixed}");
    }

    #[test]
    fn siblings_under_different_parents_are_separate_groups() {
        let text = doc(&["一、甲", "（一）子", "（二）子", "二、乙", "（一）子", "（三）子"]);
        let m = messages(&text);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].contains("（一）之后应为（二），此处为（三）"), "{m:?}");
    }
}
