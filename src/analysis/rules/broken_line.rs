//! `broken-line`: text extraction debris — a paragraph that stops mid-sentence and continues on a
//! later line (a PDF page or line break, often with blank lines or a page number between), a
//! fragment line (`平`, `展。`), a heading split in two. Fix: join the pieces.

use std::collections::{HashMap, HashSet};

use crate::analysis::finding::{Edit, Finding, Related, Severity, Text};
use crate::analysis::heading::is_short_title_shape;
use crate::analysis::heading::{
    is_appendix_marker, is_caption, is_dateline, is_debris_line, is_salutation, is_speaker_line,
    list_opener, number_prefix,
};
use crate::analysis::outline::{ends_cleanly, SectionKind};
use crate::analysis::text::{char_len, is_blank_char, is_clause_punct, is_sentence_end, Line};
use crate::analysis::Analysis;

use super::{finding, line_index, safe_fix, Rule, RuleMeta};

pub struct BrokenLine;

static META: RuleMeta = RuleMeta {
    code: "broken-line",
    default_severity: Severity::Warning,
    summary_en: "A paragraph or heading broken mid-sentence by a PDF page or line break.",
    summary_zh: "段落或标题在句中被PDF换页或换行拆断。",
    why: "Text extracted from a PDF keeps the printed line and page breaks: a sentence stops at \
          the end of a printed line and continues after blank lines or a page number, sometimes \
          with a single character left on its own line (`平`, `展。`). The pieces read as separate \
          paragraphs, break searches and word counts, and end up in new drafts.",
    example: "深入开展韧性城市建设。制定韧性城市空间专项规划,系统\n\n提升城市本质安全水平。   ← 段落在句中断开，应与下一行合并",
};

/// A line shorter than this that stops mid-sentence is more likely a label or a table cell than
/// a printed line cut by the page width, unless it ends with a comma-like mark.
const MIN_BROKEN_LINE_CHARS: usize = 15;
/// A one-clause line up to this long that starts a paragraph is taken for a lead sentence.
const LEAD_LINE_CHARS: usize = 40;
/// A continuation this short is reported as a fragment line.
const FRAGMENT_CHARS: usize = 4;

impl Rule for BrokenLine {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, analysis: &Analysis<'_>, out: &mut Vec<Finding>) {
        let text: &str = &analysis.text;
        let lines = &analysis.lines;
        let mut starts: HashMap<usize, usize> = HashMap::new();
        let mut tails: HashSet<usize> = HashSet::new();
        for (k, s) in analysis.outline.sections.iter().enumerate() {
            starts.insert(s.first_line, k);
            if s.kind != SectionKind::Heading {
                continue;
            }
            let Some(head) = lines.get(s.first_line) else {
                continue;
            };
            if s.selection.end > head.trim_end {
                // The outline joined a tail line to this heading: a heading split in two.
                let j = line_index(lines, s.selection.end);
                tails.insert(j);
                if let Some(tail) = lines.get(j) {
                    // A heading that ends its sentence, or a glossary or appendix title below
                    // it, is not one heading in two pieces (`10.…广播系统。` ⏎ `名词解释`).
                    let (h, t) = (&text[head.trimmed()], &text[tail.trimmed()]);
                    if ends_cleanly(h)
                        || crate::analysis::heading::is_glossary_heading(t)
                        || crate::analysis::heading::is_appendix_marker(t)
                    {
                        continue;
                    }
                    out.push(split_heading(text, head, tail, j));
                }
            }
        }

        for (i, line) in lines.iter().enumerate() {
            if line.is_blank() || tails.contains(&i) {
                continue;
            }
            if let Some(&k) = starts.get(&i) {
                let s = &analysis.outline.sections[k];
                let inline_heading =
                    s.kind == SectionKind::Heading && s.selection.end < line.trim_end;
                if !(s.kind == SectionKind::ListItem || inline_heading) {
                    continue;
                }
            }
            let t = &text[line.trimmed()];
            if ends_cleanly(t) || never_body(t) || is_table_row(t) || t.ends_with(['.', '．']) {
                continue;
            }
            let last = t.chars().last().unwrap_or(' ');
            let comma_end = is_clause_punct(last);
            if char_len(t) < MIN_BROKEN_LINE_CHARS && !comma_end {
                continue;
            }
            // A heading glued to the end of the paragraph (`…放心。二、对…的建议`) is a different
            // problem, not a broken sentence.
            let tail = match t.rfind(is_sentence_end) {
                Some(k) => {
                    let after = &t[k + t[k..].chars().next().map_or(0, char::len_utf8)..];
                    after.trim_start_matches(is_blank_char)
                }
                None => t,
            };
            let tail_start = line.trim_end - tail.len();
            if tail.len() < t.len() && number_prefix(text, tail_start..line.trim_end).is_some() {
                continue;
            }
            // A label or title on its own line (`2018年十件民生实事完成情况`).
            if !comma_end && is_short_title_shape(t) && !t.contains(['，', ',']) {
                continue;
            }
            // A short one-clause line that starts a paragraph is a lead sentence set on its own
            // line without a full stop (`五年来，我们坚持…，经济发展质效更优动力更强`), not a
            // printed line cut by the page width.
            let previous_line = (0..i).rev().find(|&p| !lines[p].is_blank());
            let previous = previous_line.map(|p| &text[lines[p].trimmed()]);
            let starts_paragraph = previous_line
                .is_none_or(|p| starts.contains_key(&p) || ends_cleanly(&text[lines[p].trimmed()]));
            // One item per line, the items separated by semicolons and a comma left on one.
            if comma_end && previous.is_some_and(|p| p.ends_with(['；', ';'])) {
                continue;
            }
            if !comma_end
                && starts_paragraph
                && char_len(t) <= LEAD_LINE_CHARS
                && !t.contains(is_sentence_end)
            {
                continue;
            }
            // The continuation: the next line with content, past blank lines and page numbers.
            let Some(j) = (i + 1..lines.len())
                .find(|&j| !lines[j].is_blank() && !is_debris_line(&text[lines[j].trimmed()]))
            else {
                continue;
            };
            if starts.contains_key(&j) {
                continue;
            }
            let next = &lines[j];
            let u = &text[next.trimmed()];
            // The tail of the line repeated on the next one is a copy artefact, not a break.
            if u.starts_with(tail) && char_len(tail) >= 2 {
                continue;
            }
            if never_body(u)
                || is_table_row(u)
                || number_prefix(text, next.trimmed()).is_some()
                || list_opener(text, next.trimmed()).is_some()
            {
                continue;
            }
            out.push(broken_paragraph(text, line, next, j));
        }
    }
}

/// Lines that are never part of a paragraph: front matter, captions, debris.
fn never_body(t: &str) -> bool {
    is_debris_line(t)
        || is_dateline(t)
        || is_salutation(t)
        || is_speaker_line(t)
        || is_caption(t)
        || is_appendix_marker(t)
}

/// A row of a Markdown or ASCII table (`| 3 | 生活保障 |`, `|------|`).
fn is_table_row(t: &str) -> bool {
    t.starts_with('|')
        || t.ends_with('|')
        || t.starts_with('+')
        || t.starts_with("---")
        || t.starts_with("- ")
}

/// Replaces everything between the end of `a` and the start of `b` (line break, blank lines,
/// page numbers, indentation) with nothing — or with one space between two Latin words.
fn join_edit(text: &str, a: &Line, b: &Line) -> Edit {
    let left = text[..a.trim_end].chars().next_back();
    let right = text[b.trim_start..].chars().next();
    let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphabetic());
    Edit {
        range: a.trim_end..b.trim_start,
        new_text: if latin(left) && latin(right) {
            " ".into()
        } else {
            String::new()
        },
    }
}

/// From the last character of `a` to the end of the first character of `b`.
fn break_range(text: &str, a: &Line, b: &Line) -> std::ops::Range<usize> {
    let last = text[..a.trim_end]
        .chars()
        .next_back()
        .map_or(0, char::len_utf8);
    let first = text[b.trim_start..]
        .chars()
        .next()
        .map_or(0, char::len_utf8);
    a.trim_end - last..b.trim_start + first
}

fn shown(s: &str, head: bool) -> String {
    let n = char_len(s);
    if n <= 12 {
        return s.to_string();
    }
    if head {
        format!("…{}", s.chars().skip(n - 10).collect::<String>())
    } else {
        format!("{}…", s.chars().take(10).collect::<String>())
    }
}

fn broken_paragraph(text: &str, a: &Line, b: &Line, j: usize) -> Finding {
    let left = shown(&text[a.trimmed()], true);
    let right_full = &text[b.trimmed()];
    let right = shown(right_full, false);
    let (zh, en) = if char_len(right_full) <= FRAGMENT_CHARS {
        (
            format!("残片行“{right_full}”是上文“{left}”的接续，应合并到上一行"),
            format!(
                "fragment line \"{right_full}\" continues \"{left}\"; join it to the line above"
            ),
        )
    } else {
        (
            format!("段落在句中断开：“{left}”应与第{}行“{right}”合并", j + 1),
            format!(
                "paragraph broken mid-sentence: \"{left}\" continues on line {} \"{right}\"; join them",
                j + 1
            ),
        )
    };
    let mut f = finding(&META, break_range(text, a, b), zh, en);
    f.related.push(Related {
        file: None,
        range: b.trimmed(),
        message: Text::new("接续的文字", "the continuation"),
    });
    f.fixes.push(safe_fix(
        "合并断开的行",
        "Join the broken lines",
        vec![join_edit(text, a, b)],
    ));
    f
}

fn split_heading(text: &str, head: &Line, tail: &Line, j: usize) -> Finding {
    let left = shown(&text[head.trimmed()], true);
    let right = &text[tail.trimmed()];
    let mut f = finding(
        &META,
        break_range(text, head, tail),
        format!(
            "标题被断行拆开：“{left}”与第{}行“{}”应合并为一行",
            j + 1,
            shown(right, false)
        ),
        format!(
            "heading split in two: \"{left}\" continues on line {} \"{}\"; join them",
            j + 1,
            shown(right, false)
        ),
    );
    f.related.push(Related {
        file: None,
        range: tail.trimmed(),
        message: Text::new("标题的后半部分", "the rest of the heading"),
    });
    f.fixes.push(safe_fix(
        "合并标题",
        "Join the heading",
        vec![join_edit(text, head, tail)],
    ));
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rules::testing;

    fn check(text: &str) -> Vec<String> {
        testing::messages(&BrokenLine, text)
    }

    fn fixed(text: &str) -> String {
        testing::fixed(&BrokenLine, text, false)
    }

    #[test]
    fn paragraph_broken_by_a_page_break() {
        let text = "一、回顾\n\n深入开展韧性城市建设。制定韧性城市空间专项规划,系统\n\n- 3 -\n\n提升城市本质安全水平。\n";
        let got = check(text);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].starts_with(
                "段落在句中断开：“…市空间专项规划,系统”应与第7行“提升城市本质安全水平。”合并"
            ),
            "{got:?}"
        );
        assert_eq!(
            fixed(text),
            "一、回顾\n\n深入开展韧性城市建设。制定韧性城市空间专项规划,系统提升城市本质安全水平。\n"
        );
        assert!(check(&fixed(text)).is_empty());
    }

    #[test]
    fn fragment_lines_and_chains() {
        let text = "一、回顾\n繁荣发展首都文化。推动文化产业园区高质量发展，着力打造演艺之都，推动文化产业园区高质量发\n\n展。\n下一段落。\n";
        let got = check(text);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].starts_with("残片行“展。”是上文"), "{got:?}");
        let text = "一、回顾\n这是正文。这是一段被拆成三行的很长很长的正文内容，第一行到\n这里是第二行的内容，还没有结束，继续往下到\n第三行才结束。\n";
        assert_eq!(check(text).len(), 2);
        assert_eq!(
            fixed(text),
            "一、回顾\n这是正文。这是一段被拆成三行的很长很长的正文内容，第一行到这里是第二行的内容，还没有结束，继续往下到第三行才结束。\n"
        );
    }

    #[test]
    fn heading_split_in_two() {
        let text = "一、今年工作\n\n正文。\n\n(八)用绣花功夫治理城市,不断提升首都城市治理现代化水\n\n平\n\n践行理念，加快转变城市治理方式。\n";
        let got = check(text);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].starts_with("标题被断行拆开"), "{got:?}");
        assert!(
            fixed(text).contains("(八)用绣花功夫治理城市,不断提升首都城市治理现代化水平\n\n践行")
        );
    }

    #[test]
    fn lead_lines_tables_and_glued_headings_are_not_broken() {
        let text = "一、回顾\n过去五年成绩显著。\n五年来，我们坚持转变发展方式优化经济结构，经济发展质效更优动力更强\n经济实力再上台阶。全市生产总值突破三千亿元。\n| 1 | 食品安全 | 完成情况良好 |\n| 2 | 生活保障 | 完成 |\n工作取得了很大的成绩，群众满意，让人民放心。二、对今后工作的建议\n各位代表，今后五年任务艰巨。\n努力营造团结干事、干成事的良好氛围...\n深入开展廉政建设。\n持续做好援疆工作。 三、全面加强政府自身建设\n坚持政治引领。\n2018年十件民生实事完成情况\n名词解释\n农民年人均纯收入年均增长8%，力争达到10%；\n单位生产总值能源消耗下降20%，\n人口自然增长率控制在8‰以内。\n幸福社区。加强社会治理\n加强社会治理。树立新理念。\n- 序号 民生领域 事项名称 具体内容\n- 1 公共交通 改善\n";
        assert!(check(text).is_empty(), "{:?}", check(text));
    }

    #[test]
    fn comma_at_line_end_is_broken_even_when_short() {
        let text = "一、回顾\n着力稳定扩大就业，\n城镇新增就业26万人。\n";
        assert_eq!(check(text).len(), 1);
    }

    #[test]
    fn clean_text_and_lookalikes_are_not_broken() {
        // Headings, front matter, short labels, list items and sentences that end cleanly.
        let text = "2023年政府工作报告\n——2023年1月15日在北京市第十六届\n人民代表大会第一次会议上\n北京市代市长 殷勇\n各位代表：\n一、过去五年工作回顾\n五年来，主要做了以下工作：\n一是全面落实首都城市战略定位，成效显著。\n二是紧紧扭住疏解非首都功能这个“牛鼻子”。\n五年工作回顾\n（一）坚持规划引领，持续优化提升首都功能\n坚守首都城市战略定位。\n图1　城市空间结构示意图\n主要指标\n地区生产总值增长6.5%\n";
        assert!(check(text).is_empty(), "{:?}", check(text));
        // A Latin word broken across lines is joined with a space.
        let text =
            "一、回顾\n我们参加了这一届的国际会议。会上发表了题为 Building\nBridges 的演讲。\n";
        assert!(fixed(text).contains("Building Bridges"));
    }

    /// city-tongren-2021: the last item ends its sentence and the glossary title follows.
    #[test]
    fn an_item_and_the_glossary_title_below_are_not_one_heading() {
        let text = "二、今年工作\n\n9.实施城镇老旧小区改造22060户，建成保障性安居工程2300套。\n\n10.建成16个乡镇标准化应急救援站、200个行政村应急广播系统。\n\n名词解释\n\n1.“六绿”攻坚行动：全域绿化三年攻坚行动。\n";
        assert!(check(text).is_empty(), "{:?}", check(text));
    }
}
