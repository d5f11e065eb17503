//! `page-debris`: leftovers of the web page or PDF a report was copied from — breadcrumb and
//! print-link lines, page numbers, running headers repeated on every page, literal `<U+00A0>`
//! escapes and zero-width characters. Fix: remove them.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use regex::Regex;

use crate::analysis::finding::{Edit, Finding, Severity};
use crate::analysis::heading::{
    is_appendix_marker, is_caption, is_dateline, is_debris_line, is_salutation, is_speaker_line,
};
use crate::analysis::text::{char_len, is_sentence_end};
use crate::analysis::Analysis;

use super::{finding, safe_fix, whole_line, Rule, RuleMeta};

pub struct PageDebris;

static META: RuleMeta = RuleMeta {
    code: "page-debris",
    default_severity: Severity::Warning,
    summary_en: "Web or PDF leftovers: breadcrumbs, page numbers, running headers, escapes, zero-width characters.",
    summary_zh: "网页或PDF残留：导航路径、页码、页眉、转义字符、零宽字符。",
    why: "Text copied from a web page or extracted from a PDF keeps lines that were never part of \
          the report — the site's breadcrumb, `- 12 -` page numbers, the running header of every \
          page — and invisible characters that break search and comparison. They end up in \
          drafts that are built from old reports.",
    example: "您当前的位置:首页>>公开公告>>决议   ← 网页导航残留，应删除\n- 12 -                              ← 页码残留，应删除",
};

/// Running headers: a short line repeated at least this often.
const MIN_REPEATS: usize = 3;

impl Rule for PageDebris {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, analysis: &Analysis<'_>, out: &mut Vec<Finding>) {
        let text: &str = &analysis.text;
        let lines = &analysis.lines;
        // Lines that the outline took as headings, titles or list items (or their tails).
        let mut section_lines: HashSet<usize> = HashSet::new();
        for s in &analysis.outline.sections {
            section_lines.insert(s.first_line);
            let tail = super::line_index(lines, s.selection.end);
            section_lines.insert(tail);
        }
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for line in lines {
            let t = &text[line.trimmed()];
            if !t.is_empty() && t.len() <= 32 * 4 && char_len(t) <= 32 {
                *counts.entry(t).or_default() += 1;
            }
        }
        // Escapes and zero-width characters are rare: one pass over the bytes decides whether
        // lines need scanning for them at all.
        let bytes = text.as_bytes();
        let any_inline = memchr::memmem::find(bytes, b"<U+").is_some()
            || memchr::memmem::find(bytes, b"<u+").is_some()
            || memchr::memchr2_iter(0xE2, 0xEF, bytes).any(|i| {
                matches!(
                    (bytes.get(i), bytes.get(i + 1), bytes.get(i + 2)),
                    (Some(0xE2), Some(0x80), Some(0x8B..=0x8D))
                        | (Some(0xE2), Some(0x81), Some(0xA0))
                        | (Some(0xEF), Some(0xBB), Some(0xBF))
                ) && i > 0
            });
        for (i, line) in lines.iter().enumerate() {
            if line.is_blank() {
                if any_inline {
                    inline_debris(text, line.content(), out);
                }
                continue;
            }
            let t = &text[line.trimmed()];
            let kind = if is_debris_line(t) {
                Some(debris_kind(t))
            } else if counts.get(t).copied().unwrap_or(0) >= MIN_REPEATS
                && !section_lines.contains(&i)
                && is_running_header_shape(t)
            {
                Some(Kind::RunningHeader(counts.get(t).copied().unwrap_or(0)))
            } else {
                None
            };
            if let Some(kind) = kind {
                if matches!(kind, Kind::PageNumber) && continues_a_figure(text, lines, i) {
                    // `…投资总额达` ⏎ `350` ⏎ `多亿元`: a figure of a broken sentence.
                    continue;
                }
                let (zh, en) = kind.message(t);
                let mut f = finding(&META, line.trimmed(), zh, en);
                let mut fix = safe_fix(
                    "删除此行",
                    "Remove this line",
                    vec![Edit {
                        range: whole_line(text, lines, i),
                        new_text: String::new(),
                    }],
                );
                // A bare number (`154`) may be a figure: removing it is never automatic
                // (fix-all never deletes a digit); the quick fix stays for the reader who sees
                // it is a page number. A decorated one (`- 3 -`, `第3页`) is a page number.
                fix.safe = !matches!(kind, Kind::PageNumber)
                    || !t
                        .chars()
                        .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
                f.fixes.push(fix);
                out.push(f);
                continue;
            }
            if any_inline {
                inline_debris(text, line.content(), out);
            }
        }
    }
}

enum Kind {
    Breadcrumb,
    PageNumber,
    WebLeftover,
    RunningHeader(usize),
}

impl Kind {
    fn message(&self, line: &str) -> (String, String) {
        let shown: String = line.chars().take(20).collect();
        let ell = if char_len(line) > 20 { "…" } else { "" };
        match self {
            Kind::Breadcrumb => (
                format!("网页导航路径残留“{shown}{ell}”，应删除"),
                format!("web page breadcrumb \"{shown}{ell}\" left in the text; remove it"),
            ),
            Kind::PageNumber => (
                format!("页码残留“{shown}”，应删除"),
                format!("page number \"{shown}\" left in the text; remove it"),
            ),
            Kind::WebLeftover => (
                format!("网页残留“{shown}{ell}”，应删除"),
                format!("web page leftover \"{shown}{ell}\"; remove it"),
            ),
            Kind::RunningHeader(n) => (
                format!("重复出现{n}次的页眉残留“{shown}{ell}”，应删除"),
                format!("running header \"{shown}{ell}\" repeated {n} times; remove it"),
            ),
        }
    }
}

/// Whether the number alone on line `i` reads as part of the sentence around it: the line
/// before does not end a sentence and the line after goes on with a unit or a measure word.
fn continues_a_figure(text: &str, lines: &[crate::analysis::text::Line], i: usize) -> bool {
    let near = |range: &mut dyn Iterator<Item = usize>| {
        range
            .map(|j| &text[lines[j].trimmed()])
            .find(|t| !t.is_empty())
    };
    let before = near(&mut (0..i).rev().take(3));
    let after = near(&mut (i + 1..lines.len()).take(3));
    let open_before = before.is_some_and(|b| {
        b.chars()
            .next_back()
            .is_some_and(|c| !is_sentence_end(c) && !"；：:;）)”".contains(c))
    });
    let unit_after = after.is_some_and(|a| {
        a.chars().next().is_some_and(|c| {
            "多余万亿千百元角%％‰个人户家项所座件台辆吨米亩平方公里倍年月日岁次名套条".contains(c)
        })
    });
    open_before && unit_after
}

fn debris_kind(t: &str) -> Kind {
    if t.contains(">>") || t.contains("＞＞") || t.contains("当前位置") || t.contains("当前的位置")
    {
        Kind::Breadcrumb
    } else if t
        .chars()
        .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
        && !t.starts_with("http")
        && !t.starts_with("www.")
        && !t.starts_with("来源")
        && !t.starts_with("发布时间")
    {
        Kind::PageNumber
    } else {
        Kind::WebLeftover
    }
}

/// A running header is a short label: no sentence punctuation, not a dateline, salutation,
/// speaker, caption or appendix marker, and not a bare list of numbers.
fn is_running_header_shape(t: &str) -> bool {
    !t.chars().any(is_sentence_end)
        // `责任单位：市住建局` under each item of an appendix table is content, not a header.
        && !t.contains('：')
        && !t.contains(':')
        && !is_dateline(t)
        && !is_salutation(t)
        && !is_speaker_line(t)
        && !is_caption(t)
        && !is_appendix_marker(t)
        && char_len(t) >= 4
}

fn escape_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"<U\+[0-9A-Fa-f]{4,6}>").expect("static regex"))
}

fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Literal `<U+00A0>` escapes and zero-width characters in a line's content (at its edges too:
/// the trimmed range would hide them).
fn inline_debris(text: &str, range: std::ops::Range<usize>, out: &mut Vec<Finding>) {
    let s = &text[range.clone()];
    let has_zero_width = s.contains(|c: char| is_zero_width(c));
    if s.contains("<U+") || s.contains("<u+") {
        for m in escape_regex().find_iter(s) {
            let r = range.start + m.start()..range.start + m.end();
            let mut f = finding(
                &META,
                r.clone(),
                format!("转义字符残留“{}”，应删除", m.as_str()),
                format!(
                    "escaped character \"{}\" left in the text; remove it",
                    m.as_str()
                ),
            );
            f.fixes.push(safe_fix(
                "删除转义残留",
                "Remove the escape",
                vec![Edit {
                    range: r,
                    new_text: String::new(),
                }],
            ));
            out.push(f);
        }
    }
    if has_zero_width {
        let mut iter = s.char_indices().peekable();
        while let Some((k, c)) = iter.next() {
            // A byte order mark at the very start is an encoding signature, not debris.
            if !is_zero_width(c) || (c == '\u{FEFF}' && range.start + k == 0) {
                continue;
            }
            let mut end = k + c.len_utf8();
            while let Some(&(k2, c2)) = iter.peek() {
                if !is_zero_width(c2) {
                    break;
                }
                end = k2 + c2.len_utf8();
                iter.next();
            }
            let r = range.start + k..range.start + end;
            let mut f = finding(
                &META,
                r.clone(),
                format!("零宽字符（U+{:04X}），应删除", c as u32),
                format!("zero-width character (U+{:04X}); remove it", c as u32),
            );
            f.fixes.push(safe_fix(
                "删除零宽字符",
                "Remove the zero-width character",
                vec![Edit {
                    range: r,
                    new_text: String::new(),
                }],
            ));
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rules::testing;

    fn check(text: &str) -> Vec<String> {
        testing::quoted(&PageDebris, text)
    }

    fn fixed(text: &str) -> String {
        testing::fixed(&PageDebris, text, false)
    }

    #[test]
    fn breadcrumbs_page_numbers_and_web_leftovers() {
        let text = "您当前的位置:首页>>公开公告>>决议\n政府工作报告\n正文第一段。\n- 12 -\n正文第二段。\n第 3 页\n打印本页\n";
        let got = check(text);
        assert_eq!(got.len(), 4, "{got:?}");
        assert!(got[0].contains("网页导航路径残留"), "{got:?}");
        assert!(got[1].starts_with("'- 12 -' 页码残留"), "{got:?}");
        assert!(got[2].starts_with("'第 3 页' 页码残留"), "{got:?}");
        assert!(got[3].contains("网页残留“打印本页”"), "{got:?}");
        assert_eq!(fixed(text), "政府工作报告\n正文第一段。\n正文第二段。\n");
    }

    #[test]
    fn running_headers_repeated_on_pages() {
        let page = "这是一段正文内容，说明有关情况。\n首都之窗政务信息\n";
        let text = page.repeat(3);
        let got = check(&text);
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got[0].contains("重复出现3次的页眉残留"), "{got:?}");
        // Repeated salutations, datelines and headings are not headers.
        let text = "各位代表：\n正文。\n各位代表：\n正文。\n各位代表：\n正文。\n";
        assert!(check(text).is_empty());
        let copy = "2017年政府工作报告\n——2017年1月14日在第五次会议上\n各位代表：\n一、回顾\n正文很长很长的一段内容。\n";
        assert!(
            check(&copy.repeat(3)).is_empty(),
            "{:?}",
            check(&copy.repeat(3))
        );
    }

    #[test]
    fn escapes_and_zero_width_characters() {
        let text = "地区生产总值<U+00A0>增长6.5%。\n全市\u{200B}\u{200B}常住人口。\n";
        let got = check(text);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].contains("转义字符残留“<U+00A0>”"), "{got:?}");
        assert!(got[1].contains("零宽字符（U+200B）"), "{got:?}");
        assert_eq!(fixed(text), "地区生产总值增长6.5%。\n全市常住人口。\n");
    }

    #[test]
    fn clean_text_has_no_debris() {
        let text = "2023年政府工作报告\n各位代表：\n一、回顾\n过去一年，地区生产总值增长5.2%，达到4.4万亿元。\n12项民生实事全部完成。\n";
        assert!(check(text).is_empty(), "{:?}", check(text));
    }

    /// Issue 12: a number inside a sentence broken over lines is a figure, and label lines of an
    /// appendix table repeat without being running headers.
    #[test]
    fn figures_of_broken_sentences_and_table_labels_are_content() {
        let text = "全年计划实施重点项目100个，投资总额达\n350\n多亿元，其中新开工项目60个。\n";
        assert!(check(text).is_empty(), "{:?}", check(text));
        let text = "附件\n\n1.建设城市快速路。\n责任单位：市住建局\n2.改造老旧小区。\n责任单位：市住建局\n3.建设学校。\n责任单位：市住建局\n";
        assert!(check(text).is_empty(), "{:?}", check(text));
        // plan-1976-5th-fyp-summary: a page number between a full stop and a heading is still
        // reported, but its removal is not in fix-all (a fix-all never deletes a digit).
        let text = "列入国家计划。在资金和物资上，要切实给予保证。\n154\n\n十二、做好商业工作，扩大对外贸易\n";
        assert_eq!(check(text).len(), 1, "{:?}", check(text));
        assert_eq!(testing::fixed(&PageDebris, text, true), text);
    }
}
