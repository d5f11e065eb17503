//! `announced-count`: a sentence announcing a number of items (`重点做好以下十二个方面工作：`,
//! `把握好以下五个方面：…；…`) followed by a different number of sections, `一是…` items or
//! `；`-separated clauses. An announcement without a number (`主要做了以下工作`) is not checked.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use crate::analysis::finding::{Finding, Related, Severity, Text};
use crate::analysis::heading::Family;
use crate::analysis::numeral::{format_chinese, parse_arabic, parse_chinese};
use crate::analysis::outline::SectionKind;
use crate::analysis::text::{is_blank_char, is_sentence_end};
use crate::analysis::Analysis;

use super::{finding, Rule, RuleMeta};

pub struct AnnouncedCount;

static META: RuleMeta = RuleMeta {
    code: "announced-count",
    default_severity: Severity::Warning,
    summary_en: "An announced count (`以下十二个方面`) differs from the number of items that follow.",
    summary_zh: "宣布的数目（“以下十二个方面”）与其后实际列出的项数不符。",
    why: "When a section is added to or removed from a list, the sentence announcing the list \
          (`重点做好以下十二个方面工作：`) is easily forgotten. Readers and reviewers count; a \
          mismatch is an embarrassing error in a printed report. The items counted are the \
          sibling sections that follow, the `一是…二是…` (or `第一，…第二，…`) items that follow, or \
          the clauses of an inline list separated by `；`.",
    example: "重点做好以下十二个方面工作：\n（一）……\n……\n（十一）……   ← 宣布“以下十二个方面”，其后列出11项",
};

fn announcement_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"以下(?P<n>[一二两三四五六七八九十]{1,3}|[0-9０-９]{1,2})(?:个|项|条|点|大|类|种|件|句话)")
            .expect("static regex")
    })
}

fn inline_item_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?:^|[，。；：,;:])\s*(?:(?P<a>[一二三四五六七八九十]{1,3})是|第(?P<b>[一二三四五六七八九十]{1,3})[，,、])")
            .expect("static regex")
    })
}

/// What was counted after an announcement.
struct Counted {
    count: usize,
    what_zh: &'static str,
    what_en: &'static str,
    first: Option<Range<usize>>,
    last: Option<Range<usize>>,
}

impl Rule for AnnouncedCount {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, analysis: &Analysis<'_>, out: &mut Vec<Finding>) {
        let text: &str = &analysis.text;
        for (i, line) in analysis.lines.iter().enumerate() {
            let s = &text[line.trimmed()];
            if !s.contains("以下") {
                continue;
            }
            for caps in announcement_regex().captures_iter(s) {
                let (Some(whole), Some(n)) = (caps.get(0), caps.name("n")) else {
                    continue;
                };
                let Some(announced) =
                    parse_chinese(n.as_str()).or_else(|| parse_arabic(n.as_str()))
                else {
                    continue;
                };
                let after = &s[whole.end()..];
                // The announcing clause ends at the next colon or sentence end.
                let Some((k, c)) = after
                    .char_indices()
                    .find(|(_, c)| matches!(c, '：' | ':') || is_sentence_end(*c))
                else {
                    continue;
                };
                let rest = &after[k + c.len_utf8()..];
                let rest_start = line.trim_start + whole.end() + k + c.len_utf8();
                let counted = if rest.trim_matches(is_blank_char).is_empty() {
                    following_block(analysis, i, announced)
                } else if matches!(c, '：' | ':') {
                    inline_list(rest, rest_start)
                } else {
                    None
                };
                let Some(counted) = counted else { continue };
                if counted.count == announced as usize
                    || item_written_after(analysis, i, rest_start, announced)
                {
                    continue;
                }
                // The phrase up to the colon: 以下十二个方面工作.
                let range = line.trim_start + whole.start()..line.trim_start + whole.end() + k;
                let phrase = &s[whole.start()..whole.end() + k];
                let mut f = finding(
                    &META,
                    range,
                    format!(
                        "宣布“{phrase}”，其后实际列出{}项{}，与宣布的{}项不符",
                        counted.count, counted.what_zh, announced
                    ),
                    format!(
                        "announces {} items (\"{phrase}\") but {} {} follow",
                        announced, counted.count, counted.what_en
                    ),
                );
                if let Some(r) = counted.first {
                    f.related.push(Related {
                        file: None,
                        range: r,
                        message: Text::new("列出的第一项", "first item"),
                    });
                }
                if let Some(r) = counted.last {
                    f.related.push(Related {
                        file: None,
                        range: r,
                        message: Text::new(
                            format!(
                                "列出的最后一项（第{}项）",
                                format_chinese(counted.count as u32)
                            ),
                            format!("last item (number {})", counted.count),
                        ),
                    });
                }
                out.push(f);
            }
        }
    }
}

/// Items on the lines after line `i`: the sibling headings of the next heading, or a run of
/// `一是…` items.
fn following_block(analysis: &Analysis<'_>, i: usize, announced: u32) -> Option<Counted> {
    let lines = &analysis.lines;
    let outline = &analysis.outline;
    let j = (i + 1..lines.len()).find(|&j| !lines[j].is_blank())?;
    let (idx, s) = outline
        .sections
        .iter()
        .enumerate()
        .find(|(_, s)| s.first_line == j)?;
    match s.kind {
        SectionKind::Heading => {
            let family = s.family.filter(|f| *f != Family::Unnumbered)?;
            let siblings = outline.children_of(s.parent);
            let start = siblings.iter().position(|&c| c == idx)?;
            let mut items = Vec::new();
            for &c in &siblings[start..] {
                let x = &outline.sections[c];
                if x.kind != SectionKind::Heading || x.family != Some(family) {
                    continue;
                }
                // A second list restarts at one.
                if !items.is_empty() && x.number == Some(1) {
                    break;
                }
                items.push(c);
            }
            let last_number = items.last().and_then(|&c| outline.sections[c].number);
            // The last item carries the announced number: a gap in the numbering is the
            // business of heading-numbering (often a heading glued to a paragraph).
            if last_number == Some(announced) {
                return None;
            }
            // The announced items may be the next level down, numbered through the groups
            // (以下30项重点工作 over 一、…五、 holding 1.…30.).
            let mut below: HashMap<Family, usize> = HashMap::new();
            for &c in &items {
                count_descendants(outline, c, &mut below);
            }
            if below.values().any(|&n| n == announced as usize) {
                return None;
            }
            // Or written inline after the first: （一）培训农民工。（二）解决……
            let inline = lines
                .get(s.first_line)
                .map_or(0, |l| inline_run(&analysis.text[l.trimmed()], family));
            if inline == announced as usize {
                return None;
            }
            Some(Counted {
                count: items.len(),
                what_zh: "同级标题",
                what_en: "sibling sections",
                first: items
                    .first()
                    .map(|&c| outline.sections[c].selection.clone()),
                last: items.last().map(|&c| outline.sections[c].selection.clone()),
            })
        }
        SectionKind::ListItem => {
            if s.number != Some(1) {
                return None;
            }
            let siblings = outline.children_of(s.parent);
            let start = siblings.iter().position(|&c| c == idx)?;
            let mut items: Vec<usize> = Vec::new();
            for &c in &siblings[start..] {
                let x = &outline.sections[c];
                // Items of the other form (`一是` inside `第一，`) are not part of this list.
                if x.kind == SectionKind::ListItem && x.marker != s.marker {
                    continue;
                }
                if x.kind != SectionKind::ListItem || x.number != Some(items.len() as u32 + 1) {
                    break;
                }
                items.push(c);
            }
            let ordinal = s.marker.is_some();
            Some(Counted {
                count: items.len(),
                what_zh: if ordinal {
                    "“第一，……”"
                } else {
                    "“一是……”"
                },
                what_en: if ordinal {
                    "\"第一，…\" items"
                } else {
                    "\"一是…\" items"
                },
                first: items
                    .first()
                    .map(|&c| outline.sections[c].selection.clone()),
                last: items.last().map(|&c| outline.sections[c].selection.clone()),
            })
        }
        SectionKind::Title => None,
    }
}

/// Lines after an announcement searched for its last item (see [`item_written_after`]).
const ITEM_WINDOW_LINES: usize = 300;

/// Whether item number `n` of some list form stands in the text after the announcement (on
/// its line from `from`, then up to [`ITEM_WINDOW_LINES`] lines): then the items are there
/// and only the outline did not see them all — glued to the end of a paragraph
/// (`…。（十）加强民主法治`, city-huludao-2016), written inline in one paragraph (`一是…四是…`,
/// city-linyi-2018), or split by a structure the outline missed (city-guyuan-2016).
fn item_written_after(analysis: &Analysis<'_>, i: usize, from: usize, n: u32) -> bool {
    let lines = &analysis.lines;
    let end = lines
        .get((i + ITEM_WINDOW_LINES).min(lines.len().saturating_sub(1)))
        .map_or(analysis.text.len(), |l| l.end);
    let Some(window) = analysis.text.get(from.min(end)..end) else {
        return false;
    };
    let (c, a, w) = (
        format_chinese(n),
        n.to_string(),
        crate::analysis::numeral::format_arabic(n, true),
    );
    let forms = [
        format!("（{c}）"),
        format!("({c})"),
        format!("{c}、"),
        format!("{c}是"),
        format!("第{c}，"),
        format!("第{c}、"),
        format!("（{a}）"),
        format!("({a})"),
        format!("{a}."),
        format!("{a}．"),
        format!("{a}、"),
        format!("{w}．"),
        format!("{w}、"),
    ];
    forms.iter().any(|f| {
        window.match_indices(f.as_str()).any(|(k, _)| {
            // `十是` is not `一是`'s ten inside `二十是`, `6.` not inside `16.` or `1.6`.
            let before = window[..k].chars().next_back();
            let after = window[k + f.len()..].chars().next();
            !before
                .is_some_and(|b| b.is_ascii_digit() || "零〇一二两三四五六七八九十百".contains(b))
                && !after.is_some_and(|x| x.is_ascii_digit())
        })
    })
}

fn count_descendants(
    outline: &crate::analysis::outline::Outline,
    of: usize,
    counts: &mut HashMap<Family, usize>,
) {
    for &c in &outline.sections[of].children {
        let s = &outline.sections[c];
        if let (SectionKind::Heading, Some(f)) = (s.kind, s.family) {
            *counts.entry(f).or_default() += 1;
        }
        count_descendants(outline, c, counts);
    }
}

/// How many numbers of `family` follow one another from one in `line` (`（一）…（二）…`).
fn inline_run(line: &str, family: Family) -> usize {
    let forms = |n: u32| -> Vec<String> {
        let (c, a) = (format_chinese(n), n.to_string());
        match family {
            Family::CnParen => vec![format!("（{c}）"), format!("({c})")],
            Family::CnComma => vec![format!("{c}、")],
            Family::ArabicParen => vec![format!("（{a}）"), format!("({a})")],
            Family::ArabicDot => vec![format!("{a}."), format!("{a}．"), format!("{a}、")],
            _ => Vec::new(),
        }
    };
    let mut at = 0usize;
    let mut n = 1u32;
    loop {
        let next = forms(n)
            .iter()
            .filter_map(|f| line[at..].find(f.as_str()).map(|k| at + k + f.len()))
            .min();
        match next {
            Some(end) => {
                at = end;
                n += 1;
            }
            None => return n as usize - 1,
        }
    }
}

/// Items of a list written inline after the colon: `一是…二是…`, `第一，…第二，…`, or clauses
/// separated by `；`.
fn inline_list(rest: &str, base: usize) -> Option<Counted> {
    let mut expected = 1u32;
    let mut first = None;
    let mut last = None;
    for caps in inline_item_regex().captures_iter(rest) {
        let Some(n) = caps.name("a").or_else(|| caps.name("b")) else {
            continue;
        };
        if parse_chinese(n.as_str()) == Some(expected) {
            let r = base + n.start()..base + n.end();
            first.get_or_insert(r.clone());
            last = Some(r);
            expected += 1;
        }
    }
    if expected > 2 {
        return Some(Counted {
            count: expected as usize - 1,
            what_zh: "",
            what_en: "items",
            first,
            last,
        });
    }
    let body = rest.trim_end_matches(|c: char| is_blank_char(c) || c == '。');
    // Only a list that ends the paragraph, its clauses separated by semicolons.
    if body.contains('。') {
        return None;
    }
    let parts = body.split(['；', ';']).count();
    (parts >= 2).then_some(Counted {
        count: parts,
        what_zh: "（以分号分隔）",
        what_en: "semicolon-separated clauses",
        first: None,
        last: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rules::testing;

    fn check(text: &str) -> Vec<String> {
        testing::quoted(&AnnouncedCount, text)
    }

    fn sections(n: usize) -> String {
        (1..=n)
            .map(|k| format!("（{}）任务{k}\n正文。\n", format_chinese(k as u32)))
            .collect()
    }

    #[test]
    fn announced_sections() {
        let text = format!(
            "二、今年任务\n重点做好以下十二个方面工作：\n{}",
            sections(11)
        );
        assert_eq!(
            check(&text),
            vec!["'以下十二个方面工作' 宣布“以下十二个方面工作”，其后实际列出11项同级标题，与宣布的12项不符"]
        );
        let text = format!(
            "二、今年任务\n重点做好以下十二个方面工作：\n{}",
            sections(12)
        );
        assert!(check(&text).is_empty());
    }

    #[test]
    fn announced_inline_lists() {
        let text = "一、总体要求\n我们要着重把握好以下五个方面：必须甲；必须乙；必须丙；必须丁。\n";
        assert_eq!(
            check(text),
            vec![
                "'以下五个方面' 宣布“以下五个方面”，其后实际列出4项（以分号分隔），与宣布的5项不符"
            ]
        );
        let text = "一、总体要求\n主要有以下三点：一是甲，二是乙，三是丙。\n";
        assert!(check(text).is_empty(), "{:?}", check(text));
        let text = "一、总体要求\n主要有以下3点：一是甲；二是乙。\n";
        assert_eq!(check(text).len(), 1);
    }

    #[test]
    fn announced_list_items() {
        let text =
            "一、回顾\n主要做了以下四项工作：\n一是甲。\n二是乙。\n三是丙。\n二、任务\n正文。\n";
        assert_eq!(
            check(text),
            vec!["'以下四项工作' 宣布“以下四项工作”，其后实际列出3项“一是……”，与宣布的4项不符"]
        );
    }

    #[test]
    fn ordinal_items_are_a_list_of_their_own() {
        // `第一，` items holding `一是…二是…` of their own: each form counted apart.
        let text = "一、任务\n重点抓好以下三个方面：\n第一，稳增长。\n主要有两项：\n一是甲。\n二是乙。\n第二，促改革。\n第三，惠民生。\n二、其他\n正文。\n";
        assert!(check(text).is_empty(), "{:?}", check(text));
        let text = "一、任务\n重点抓好以下三个方面：\n第一，稳增长。\n一是甲。\n二是乙。\n第二，促改革。\n二、其他\n正文。\n";
        assert_eq!(
            check(text),
            vec!["'以下三个方面' 宣布“以下三个方面”，其后实际列出2项“第一，……”，与宣布的3项不符"]
        );
    }

    #[test]
    fn items_one_level_down_inline_or_with_numbering_gaps_are_counted() {
        // 以下6项 over two groups numbered 1.–6. through.
        let text = "二、任务\n要突出抓好以下6项重点工作。\n（一）甲\n1．子\n2．子\n3．子\n（二）乙\n4．子\n5．子\n6．子\n";
        assert!(check(text).is_empty(), "{:?}", check(text));
        let text = "二、任务\n办好以下3件实事：\n（一）培训农民工。（二）解决饮水。（三）修建公路。\n正文。\n";
        assert!(check(text).is_empty(), "{:?}", check(text));
        // (三) is missing but the list ends at (四): heading-numbering reports the gap.
        let text = format!(
            "二、任务\n重点做好以下四个方面：\n{}",
            "（一）甲\n正文。\n（二）乙\n正文。\n（四）丁\n正文。\n"
        );
        assert!(check(&text).is_empty(), "{:?}", check(&text));
    }

    #[test]
    fn unnumbered_or_uncountable_announcements_are_skipped() {
        let text = "一、回顾\n五年来，主要做了以下工作：\n一是甲。\n二是乙。\n";
        assert!(check(text).is_empty());
        let text = "一、回顾\n具备以下两个条件之一的企业可以申请。\n正文。\n";
        assert!(check(text).is_empty());
        let text = "一、回顾\n重点做好以下三个方面：\n正文段落，不是列表。\n";
        assert!(check(text).is_empty());
    }

    /// Real false alarms of corpus-scale (shortened): the items are all there, only not all
    /// at the start of a line.
    #[test]
    fn items_glued_or_inline_after_the_announcement_are_counted() {
        // city-huludao-2016: （二）…（四） and （八）…（十） glued to the previous paragraph.
        let text = "二、2016年工作安排\n\n实现上述目标，我们要努力做好以下十个方面工作。\n\n（一）全力推进项目建设年。全年计划实施亿元以上项目182个。（二）加速工业转型升级。正文。（三）推动服务业创新发展。正文。（四）加快发展现代农业。正文。\n\n（五）提升开放创新水平。\n\n（六）推进城乡协调发展。\n\n（七）着力保障改善民生。正文。（八）坚决打胜脱贫攻坚战。正文。（九）优化经济发展软环境。正文。（十）加强民主法治和政府自身建设。\n";
        assert!(check(text).is_empty(), "{:?}", check(text));
        // city-linyi-2018: 一是…四是 inline in one paragraph.
        let text = "二、今年工作\n\n做好今年的工作，需要牢牢把握好以下四条原则：\n\n一是坚持把习近平新时代中国特色社会主义思想贯穿政府工作始终。二是坚持稳中求进。三是坚持以人民为中心。四是坚持从严治政。\n\n三、其他\n正文。\n";
        assert!(check(text).is_empty(), "{:?}", check(text));
        // Still reported when the last item is nowhere.
        let text = "二、今年工作\n\n做好今年的工作，需要把握好以下五条原则：\n\n一是甲。二是乙。三是丙。四是丁。\n\n三、其他\n正文。\n";
        assert_eq!(check(text).len(), 1, "{:?}", check(text));
    }
}
