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
    summary_en: "Sibling section numbers skip or repeat, or a report's first list does not start at one.",
    summary_zh: "同级标题编号跳号、重号，或全文第一组编号不从一开始。",
    why:
        "Sections are moved, inserted and deleted while a report is drafted; a number left behind \
          (一、二、四、) is the most common error a reviewer finds in a printed draft. Only what the \
          text shows beyond doubt is reported (issue 12: 96% of the findings of a first version \
          were wrong): a restart at one or a number going backwards usually means a parent the \
          outline did not see (an unnumbered heading, a heading glued into a paragraph, an \
          appendix, a nested list) and is not reported; a skip is not reported when a line in \
          between starts with the missing number in a malformed form (`6科技…`, `2，`, `五)`, OCR \
          `（I）`, `第-节`); a wrong start only for the first group of a family in the document. \
          The fix renumbers only the one wrong heading, and only when its next sibling confirms \
          it (一、二、二、四、); a missing heading or a repeated block gets no fix.",
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
        // Where each family first appears: only there is a start other than one reported.
        let mut first_seen: HashMap<Family, usize> = HashMap::new();
        for s in &outline.sections {
            if let (SectionKind::Heading, Some(f)) = (s.kind, s.family) {
                first_seen.entry(f).or_insert(s.range.start);
            }
        }
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
                    first_seen.get(&family) == Some(&first.range.start),
                    out,
                );
                if let Some(n) = group.last().and_then(|s| s.number) {
                    last_number.insert(key, n);
                }
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The first heading of its family in the document does not carry number one.
    Start,
    Repeat,
    Skip,
}

struct Problem {
    index: usize,
    kind: Kind,
    prev: Option<u32>,
    expected: u32,
    actual: u32,
}

/// Only what the text shows beyond doubt is reported (issue 12: 96% of the findings of the first
/// version were wrong). A restart at one or a number going backwards usually means a parent the
/// outline did not see (an unnumbered heading, a heading glued into a paragraph, an appendix, a
/// nested list), so neither is reported. A group that does not start at one is reported only for
/// the first heading of its family in the whole document; a skip only when no line in between
/// starts with the missing number in a malformed form (`6科技…`, `2，…`, OCR `（I）`, `第-节`).
fn check_group(
    analysis: &Analysis<'_>,
    family: Family,
    group: &[&Section],
    group_start: usize,
    previous_group_last: Option<u32>,
    first_of_family: bool,
    out: &mut Vec<Finding>,
) {
    let text: &str = &analysis.text;
    let mut problems = Vec::new();
    let mut prev: Option<u32> = None;
    // The outer list interrupted by an announced inner list of the same family (一、…二、 then
    // `以下十项：` 一、…十、 then 三、): its last number, to resume it.
    let mut outer: Option<u32> = None;
    for (i, s) in group.iter().enumerate() {
        let Some(actual) = s.number else { return };
        let before_start = match i {
            0 => group_start,
            _ => group[i - 1].range.start,
        };
        // The first line after the parent's or the previous sibling's heading line.
        let from_line = match i {
            0 if group_start == 0 => 0,
            0 => super::line_index(&analysis.lines, group_start) + 1,
            _ => group[i - 1].first_line + 1,
        };
        if i == 0 {
            prev = previous_group_last.filter(|&l| actual == l + 1);
        } else if actual == 1 && follows_list_announcement(analysis, s) {
            // `…重点做好以下八个方面工作：` before a new (一): a second list, not a restart.
            outer = prev;
            prev = None;
        } else if let Some(op) = outer.filter(|&op| actual == op + 1 && prev != Some(op)) {
            // The outer list resumes after the inner one.
            prev = Some(op);
            outer = None;
        }
        let expected = prev.map_or(1, |p| p + 1);
        let kind = match prev {
            _ if actual == expected => None,
            None if i == 0 && first_of_family => Some(Kind::Start),
            None => None,
            Some(p) if actual == p => Some(Kind::Repeat),
            Some(_) if actual > expected => Some(Kind::Skip),
            // Restart or backwards: structure not seen, stay quiet.
            Some(_) => None,
        };
        let missing = expected..actual.min(expected + 20);
        let uncertain = matches!(kind, Some(Kind::Start | Kind::Skip))
            && (missing
                .clone()
                .all(|n| written_inline(text, family, n, before_start..s.range.start))
                || malformed_between(analysis, family, missing, from_line, s.first_line));
        if let (Some(kind), false) = (kind, uncertain) {
            problems.push(Problem {
                index: i,
                kind,
                prev,
                expected,
                actual,
            });
        }
        // A heading whose next sibling carries the number after the expected one only bears a
        // wrong number (一、二、二、四、): the list goes on from the expected number.
        let mislabelled =
            kind.is_some() && group.get(i + 1).and_then(|n| n.number) == Some(expected + 1);
        prev = Some(if mislabelled { expected } else { actual });
    }
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
                let (what_zh, what_en) = if p.kind == Kind::Repeat {
                    ("编号重复", "numbering repeats")
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
            fixes: single_fix(text, family, group, &p).into_iter().collect(),
        });
    }
}

/// The fix for one wrong heading: only when its next sibling carries the number after the
/// expected one (一、二、二、四、: the second 二、 is the wrong one), and the heading is not a
/// copy of its previous sibling (a duplicated block is pointed at, not renumbered). A missing
/// heading (一、二、四、五、) or a wrong start has no safe fix. One edit: never quadratic.
fn single_fix(text: &str, family: Family, group: &[&Section], p: &Problem) -> Option<Fix> {
    if p.kind == Kind::Start || p.prev.is_none() {
        return None;
    }
    let s = group[p.index];
    let next = group.get(p.index + 1)?;
    if next.number != Some(p.expected + 1) {
        return None;
    }
    let prev = group[p.index.checked_sub(1)?];
    let body = |x: &Section| {
        text.get(x.prefix.as_ref().map_or(x.selection.start, |r| r.end)..x.selection.end)
            .map(str::trim)
    };
    if body(prev) == body(s) {
        return None;
    }
    let (numeral, marker) = (s.numeral.clone()?, s.marker?);
    Some(Fix {
        title: Text::new(
            format!("此标题改为{}", marker.render(family, p.expected)),
            format!(
                "Renumber this heading to {}",
                marker.render(family, p.expected)
            ),
        ),
        edits: vec![Edit {
            range: numeral,
            new_text: marker.numeral(family, p.expected),
        }],
        safe: true,
    })
}

/// Whether a line from line `first` up to line `to_line` starts with one of the
/// `missing` numbers written in a malformed way, or with an unreadable number in the family's
/// brackets: then the number is probably there, and the heading after it is not the error.
fn malformed_between(
    analysis: &Analysis<'_>,
    family: Family,
    missing: Range<u32>,
    first: usize,
    to_line: usize,
) -> bool {
    let lines = &analysis.lines;
    // (form, whether it is Chinese): a Chinese numeral opens many sentences (`一年来`, `五是`),
    // so only one followed by a mark or a blank (`五．`, `五，`) counts as a malformed number.
    let forms: Vec<(String, bool)> = missing
        .flat_map(|n| {
            [
                (format_chinese(n), true),
                (format_arabic(n, false), false),
                (format_arabic(n, true), false),
            ]
        })
        .collect();
    (first..to_line.min(lines.len())).any(|j| {
        let t = analysis.text[lines[j].trimmed()].trim_start_matches(is_blank_char);
        let numbered = forms.iter().any(|(f, chinese)| {
            t.strip_prefix(f.as_str()).is_some_and(|rest| {
                // `6科技` or `2，` but not `60` nor `6月`/`6年` (a date opening a sentence).
                rest.chars().next().is_some_and(|c| {
                    if *chinese {
                        is_blank_char(c) || c.is_ascii_punctuation() || "，．。：；".contains(c)
                    } else {
                        !c.is_ascii_digit()
                            && !('０'..='９').contains(&c)
                            && !"零〇一二三四五六七八九十百千万亿月日年".contains(c)
                    }
                })
            })
        });
        let bracketed = matches!(family, Family::CnParen | Family::ArabicParen)
            && t.strip_prefix(['（', '(']).is_some_and(|rest| {
                rest.chars()
                    .take(4)
                    .position(|c| c == '）' || c == ')')
                    .is_some_and(|k| k > 0)
            });
        let chapter = matches!(
            family,
            Family::Part | Family::Pian | Family::Zhang | Family::Jie
        ) && t.strip_prefix('第').is_some_and(|rest| {
            let mut cs = rest.chars();
            cs.next()
                .is_some_and(|c| !"零〇一二两三四五六七八九十百".contains(c))
                && cs.next().is_some_and(|c| "部篇章节".contains(c))
        });
        numbered || bracketed || chapter
    })
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
    fn repeats_and_a_bad_first_start_are_reported_restarts_and_backwards_are_not() {
        let m = messages(&doc(&["一、甲", "二、乙", "二、丙"]));
        assert!(
            m[0].ends_with("编号重复：二、之后应为三、，此处为二、"),
            "{m:?}"
        );
        // A restart or a number going backwards means a parent the outline did not see.
        assert!(messages(&doc(&["1.甲", "2.乙", "3.丙", "2.丁"])).is_empty());
        assert!(messages(&doc(&["第一章 甲", "第二章 乙", "第一章 丙"])).is_empty());
        let m = messages(&doc(&["二、甲", "三、乙"]));
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].ends_with("同级标题编号应从一、开始，此处为二、"),
            "{m:?}"
        );
        // Only the first group of a family: a later group under an unseen parent is quiet.
        assert!(messages(&doc(&["（一）甲", "（二）乙", "一、丙", "（三）丁"])).is_empty());
    }

    #[test]
    fn the_fix_renumbers_only_the_one_wrong_heading() {
        let text = doc(&["（一）甲", "(二)乙", "(二)丙", "（四）丁", "(五)戊"]);
        let a = Analysis::new(&text);
        let out = run(&a, &RuleSettings::default(), &[&HeadingNumbering]);
        assert_eq!(out.findings.len(), 1);
        assert_eq!(out.findings[0].fixes[0].edits.len(), 1);
        assert_eq!(
            apply_first_fix(&text),
            doc(&["（一）甲", "(二)乙", "(三)丙", "（四）丁", "(五)戊"])
        );
        let text = doc(&["１．甲", "２．乙", "２．丙", "４．丁"]);
        assert_eq!(
            apply_first_fix(&text),
            doc(&["１．甲", "２．乙", "３．丙", "４．丁"])
        );
        // A missing heading (（四） then （六）, （七）) has no safe fix: which one is wrong?
        let text = doc(&[
            "（一）甲",
            "（二）乙",
            "（三）丙",
            "（四）丁",
            "（六）己",
            "（七）庚",
        ]);
        let a = Analysis::new(&text);
        let out = run(&a, &RuleSettings::default(), &[&HeadingNumbering]);
        assert_eq!(out.findings.len(), 1);
        assert!(out.findings[0].fixes.is_empty());
        // Nor the last heading of a group, nor a wrong start.
        let text = doc(&["二、甲", "三、乙"]);
        let a = Analysis::new(&text);
        let out = run(&a, &RuleSettings::default(), &[&HeadingNumbering]);
        assert!(out.findings[0].fixes.is_empty());
    }

    /// `majorcity-nanchang-2018.txt`: the first heading stands twice (a duplicated block). It is
    /// reported, but renumbering the copy would be wrong.
    #[test]
    fn a_duplicated_heading_is_reported_without_renumbering() {
        let text = "—2018年1月7日在南昌市第十五届人民代表大会第三次会议上\n\n一、2017年工作回顾\n\n现在，我代表市人民政府向大会报告工作，请予审议。\n\n一、2017年工作回顾\n\n过去一年，全市上下深入学习贯彻。\n\n二、2018年主要工作\n\n今年工作的总体要求是。\n";
        let a = Analysis::new(text);
        let out = run(&a, &RuleSettings::default(), &[&HeadingNumbering]);
        assert_eq!(out.findings.len(), 1, "{:?}", messages(text));
        assert!(out.findings[0].message.zh.starts_with("编号重复"));
        assert!(out.findings[0].fixes.is_empty());
    }

    /// Real excerpts of the false alarms of issue 12 (corpus-scale, shortened).
    #[test]
    fn uncertain_structure_stays_quiet() {
        let quiet = [
            // majorcity-jinan-2017: a list under an unnumbered heading after 十五、.
            "一、优化教育资源。正文。\n二、强化养老服务。正文。\n\n2017年为民办16件实事\n\n一、整治老旧住宅小区。对278个老旧住宅小区实施整治改造。\n\n二、改造供水低压片区。涉及约5.2万户15万居民。\n",
            // city-guyuan-2016: a second list after an introductory paragraph.
            "一、扶贫开发温暖人心。累计争取扶贫资金45.1亿元。\n\n二、生态保护深得人心。正文。\n\n实现上述目标任务，全市人民必须大力弘扬六盘山精神。\n\n一、精准脱贫，产业富民。脱贫是我市发展最根本的任务。\n\n二、创新驱动，项目带动。正文。\n",
            // province-yunnan-2007: the outer list resumes after a nested list of 十件实事.
            "一、回顾\n正文。\n二、着力改善民生\n\n一、实施安居工程。\n\n二、实施“万村千乡市场工程”，建设3500个农家店。\n\n三、甲。\n\n四、乙。\n\n三、深化行政管理体制改革，加强政府自身建设 完成政府的各项任务。\n",
            // A heading glued into the previous paragraph, then a list that restarts.
            "一、回顾\n正文。\n二、形势\n正文。\n三、推进改革\n（一）甲。正文。\n（二）乙。正文召开会议。四、加强政府自身建设\n（一）丙。正文。\n（二）丁。正文。\n",
            // city-tongren-2021: the glossary after the last item.
            "1.实施城镇老旧小区改造22060户。\n\n2.建成16个乡镇标准化应急救援站、200个行政村应急广播系统。\n\n名词解释\n\n1.“六绿”攻坚行动：全域绿化三年攻坚行动。\n\n2.软服业：互联网和相关服务、软件和信息技术服务业。\n",
            // plan outlines number chapters continuously across 篇.
            "第一篇 指导方针\n第一章 甲\n正文。\n第二章 乙\n正文。\n第二篇 农业\n第三章 丙\n正文。\n第四章 丁\n正文。\n",
            // plan-1996-9th-fyp-outline: 6 with its dot missing, 7． is right.
            "1．甲。\n\n2．国民经济持续增长。正文。\n\n3科技教育事业取得重大进步，社会事业全面发展。正文。\n\n4．城乡居民生活水平提高较快，生活质量进一步改善。正文。\n",
            // plan-1996: 2 written `2，`.
            "1．积极发展基础教育。正文。\n\n2，大力发展职业教育和成人教育。正文。\n\n3．改善高等教育结构，提高教育质量。正文。\n",
            // issue 12: `41“振兴初中”` missing its dot.
            "1.甲。\n2.实施校舍改造工程。\n3“振兴初中”工程全面完成。\n4.实施学前教育三年行动计划。\n",
            // plan-1953-1st-fyp: OCR （I） for （1）.
            "（I）积极地进行关于草本纤维造纸原料的研究。\n\n（2）加强工业用纸的新种类产品的试制和生产的工作。\n\n（3）有计划地研究和学会新的生产技术。\n",
            // province-yunnan-2009: （五） with its opening bracket lost.
            "（一）甲。\n\n（二）乙。\n\n（三）突出工业主导。\n\n正文。\n\n（四）抓实重点环节，争取服务业发展取得新突破\n\n加强产品质量建设。\n\n五)注重房地产业发展。\n\n努力完善住房保障。\n\n（六）加强科技基础建设，提高自主创新能力\n\n正文。\n\n（七）围绕重点领域\n",
            // plan-1953-1st-fyp: OCR 第-节 for 第一节.
            "第一章  提高劳动生产率和降低成本的计划指标\n\n第-节  提高劳动生产率\n\n正文。\n\n第二节  降低成本\n\n正文。\n",
        ];
        for text in quiet {
            assert!(messages(text).is_empty(), "{text}\n{:?}", messages(text));
        }
    }

    /// A gap with no trace of the missing number (province-yunnan-2009 with its malformed
    /// `五)注重…` line taken out) and majorcity-shanghai-2004 (the report's first 一、-family
    /// heading is 二、): true findings that must stay.
    #[test]
    fn real_gaps_are_still_reported() {
        let text = "一、回顾\n正文。\n二、形势\n正文。\n三、突出重点、锐意进取\n\n（一）突出需求拉动。\n\n（二）狠抓政策落实。\n\n（三）突出工业主导，切实推进发展。\n\n大力促进中小企业和非公有制经济发展。\n\n（四）抓实重点环节，争取服务业发展取得新突破\n\n大力拓展建筑市场。\n\n（六）加强科技基础建设，提高自主创新能力\n\n自主创新是转变发展方式的关键环节。\n\n（七）围绕重点领域，拓展对外开放深度和广度\n\n正文。\n";
        let m = messages(text);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].ends_with("编号跳号：（四）之后应为（五），此处为（六）"),
            "{m:?}"
        );
        let text = "各位代表：\n\n现在，我代表上海市人民政府，向大会作政府工作报告。\n\n一年来，我们做了大量工作。\n\n二、2004年工作的总体要求和主要任务\n\n2004年工作的总体要求是：正文。\n\n三、全面推进城市建设\n\n正文。\n";
        let m = messages(text);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].ends_with("同级标题编号应从一、开始，此处为二、"),
            "{m:?}"
        );
    }

    #[test]
    fn a_second_list_after_an_announcement_may_restart() {
        let text = "（一）甲\n正文。\n（二）乙\n正文。\n重点做好以下两个方面工作：\n（一）丙\n正文。\n（二）丁\n正文。\n";
        assert!(messages(text).is_empty(), "{:?}", messages(text));
        // Without the announcement it is quiet too: the parent may not have been seen.
        let text = doc(&["（一）甲", "（二）乙", "（一）丙"]);
        assert!(messages(&text).is_empty());
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
