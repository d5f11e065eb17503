//! `punctuation-width`: half-width `, ; : ! ? ( )` in Chinese text, where GB/T 15834 asks for the
//! full-width forms. Reported per occurrence in a document that mostly uses full-width marks, or
//! once (with a fix for the whole file) in a document that uses half-width marks throughout.
//! Decimal points, times, URLs, `PM2.5` and numbers such as `1,000` are never touched.

use std::collections::HashSet;
use std::ops::Range;

use crate::analysis::finding::{Edit, Finding, Severity};
use crate::analysis::heading::is_debris_line;
use crate::analysis::text::is_cjk;
use crate::analysis::Analysis;

use super::{finding, safe_fix, Rule, RuleMeta};

pub struct PunctuationWidth;

static META: RuleMeta = RuleMeta {
    code: "punctuation-width",
    default_severity: Severity::Info,
    summary_en: "Half-width `, ; : ! ? ( )` in Chinese text.",
    summary_zh: "中文中使用了半角标点“, ; : ! ? ( )”。",
    why: "GB/T 15834 (标点符号用法) sets Chinese text with full-width punctuation. Half-width \
          marks come from web pages, English input modes and PDF extraction; in a printed report \
          they look cramped and uneven beside full-width ones. Marks between digits (`1,000`, \
          `10:30`), URLs and parentheses around Latin text only (`(5G)`) are left alone; section \
          numbers such as `(一)` are the business of `heading-style`. When a whole document uses \
          half-width marks it is reported once, with one fix for the file.",
    example: "各位代表! 三年来,面对起伏延宕的世纪疫情   ← 半角“!”应为“！”，半角“,”应为“，”",
};

/// A kind of mark whose full-width forms are fewer than 1/this of all its occurrences is written
/// half-width throughout (a house style) and reported once.
const HALF_WIDTH_DOCUMENT_SHARE: usize = 20; // 1/20 = 5 %

fn full_width(c: char) -> Option<char> {
    Some(match c {
        ',' => '，',
        ';' => '；',
        ':' => '：',
        '!' => '！',
        '?' => '？',
        '(' => '（',
        ')' => '）',
        _ => return None,
    })
}

/// Chinese characters and the punctuation of Chinese text.
fn chinese_like(c: char) -> bool {
    is_cjk(c) || "“”‘’《》〈〉（）【】、。，；：！？…—「」『』".contains(c)
}

/// One conversion: the edits and what the message shows.
struct Candidate {
    kind: usize,
    range: Range<usize>,
    edits: Vec<Edit>,
    found: String,
    wanted: String,
}

impl Rule for PunctuationWidth {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, analysis: &Analysis<'_>, out: &mut Vec<Finding>) {
        let text: &str = &analysis.text;
        // Section number prefixes belong to heading-style.
        let prefixes: HashSet<usize> = analysis
            .outline
            .sections
            .iter()
            .filter_map(|s| s.prefix.as_ref())
            .flat_map(|p| [p.start, p.end.saturating_sub(1)])
            .collect();
        let mut candidates = Vec::new();
        let mut full = [0usize; KINDS];
        count_full_width(text.as_bytes(), &mut full);
        for line in &analysis.lines {
            let s = &text[line.trimmed()];
            let has_mark = s
                .bytes()
                .any(|b| matches!(b, b',' | b';' | b':' | b'!' | b'?' | b'('));
            if !has_mark || s.is_ascii() || is_debris_line(s) {
                continue;
            }
            scan_line(text, line.trimmed(), &prefixes, &mut candidates);
        }
        if candidates.is_empty() {
            return;
        }
        let mut half = [0usize; KINDS];
        for c in &candidates {
            half[c.kind] += 1;
        }
        // A kind written half-width throughout is a house style: reported once for the kind.
        let once: Vec<bool> = (0..KINDS)
            .map(|k| half[k] > 0 && full[k] * HALF_WIDTH_DOCUMENT_SHARE < full[k] + half[k])
            .collect();
        let total_full: usize = full.iter().sum();
        let total_half: usize = half.iter().sum();
        let whole_document = (0..KINDS).all(|k| half[k] == 0 || once[k])
            && total_full * HALF_WIDTH_DOCUMENT_SHARE < total_full + total_half;
        if whole_document {
            out.push(once_finding(&candidates, None, total_half));
            return;
        }
        for (k, &is_once) in once.iter().enumerate() {
            if is_once {
                out.push(once_finding(&candidates, Some(k), half[k]));
            }
        }
        // The rest one finding per paragraph (issue 12: hundreds of mechanical notes buried a
        // report's one warning): at the first mark, with one fix for all of the line's marks.
        let rest: Vec<Candidate> = candidates.into_iter().filter(|c| !once[c.kind]).collect();
        let mut i = 0;
        while i < rest.len() {
            let line = super::line_index(&analysis.lines, rest[i].range.start);
            let end = analysis.lines[line].end;
            let j = i + rest[i..].partition_point(|c| c.range.start < end);
            out.push(paragraph_finding(&rest[i..j]));
            i = j;
        }
    }
}

/// One finding for the half-width marks of one paragraph (a line), at the first of them.
fn paragraph_finding(of_line: &[Candidate]) -> Finding {
    let c = &of_line[0];
    let n = of_line.len();
    let (zh, en, title_zh, title_en) = if n == 1 {
        (
            format!("中文中应使用全角标点：“{}”应为“{}”", c.found, c.wanted),
            format!(
                "Chinese text takes full-width punctuation: \"{}\" should be \"{}\"",
                c.found, c.wanted
            ),
            format!("改为“{}”", c.wanted),
            format!("Replace with \"{}\"", c.wanted),
        )
    } else {
        (
            format!(
                "本段{n}处半角标点，中文应使用全角：如“{}”应为“{}”",
                c.found, c.wanted
            ),
            format!(
                "{n} half-width punctuation marks in this paragraph; Chinese text takes full-width ones, e.g. \"{}\" should be \"{}\"",
                c.found, c.wanted
            ),
            format!("本段{n}处改为全角"),
            format!("Convert the paragraph's {n} marks to full-width"),
        )
    };
    let mut f = finding(&META, c.range.clone(), zh, en);
    f.fixes.push(safe_fix(
        title_zh,
        title_en,
        of_line.iter().flat_map(|c| c.edits.clone()).collect(),
    ));
    f
}

/// Whether the mark at `idx` stands between two Chinese characters inside a quotation that
/// closes within a few characters, with no sentence mark in between.
fn inside_a_short_quote(chars: &[(usize, char)], idx: usize) -> bool {
    let cjk = |i: usize| {
        chars
            .get(i)
            .is_some_and(|x| chinese_like(x.1) && !"“”".contains(x.1))
    };
    if idx == 0 || !cjk(idx - 1) || !cjk(idx + 1) {
        return false;
    }
    let opened = chars[..idx]
        .iter()
        .rev()
        .take(12)
        .take_while(|x| !"。！？”".contains(x.1))
        .any(|x| x.1 == '“');
    let closes = chars[idx + 1..]
        .iter()
        .take(12)
        .take_while(|x| !"。！？“".contains(x.1))
        .any(|x| x.1 == '”');
    opened && closes
}

/// Kinds of marks, each judged on its own: comma, semicolon, colon, exclamation, question
/// mark, parentheses.
const KINDS: usize = 6;
const KIND_ZH: [&str; KINDS] = ["逗号", "分号", "冒号", "叹号", "问号", "括号"];
const KIND_EN: [&str; KINDS] = [
    "commas",
    "semicolons",
    "colons",
    "exclamation marks",
    "question marks",
    "parentheses",
];

/// Counts `，；：！？（` by kind in one pass over the bytes: each is `EF BC xx` in UTF-8.
fn count_full_width(bytes: &[u8], full: &mut [usize; KINDS]) {
    for i in memchr::memchr_iter(0xEF, bytes) {
        if bytes.get(i + 1) != Some(&0xBC) {
            continue;
        }
        let kind = match bytes.get(i + 2) {
            Some(0x8C) => 0, // ，
            Some(0x9B) => 1, // ；
            Some(0x9A) => 2, // ：
            Some(0x81) => 3, // ！
            Some(0x9F) => 4, // ？
            Some(0x88) => 5, // （
            _ => continue,
        };
        full[kind] += 1;
    }
}

fn kind_of_half(c: char) -> usize {
    match c {
        ',' => 0,
        ';' => 1,
        ':' => 2,
        '!' => 3,
        '?' => 4,
        _ => 5,
    }
}

/// One finding for every candidate of kind `kind` (all kinds when `None`), at the first one,
/// with one fix converting them all.
fn once_finding(candidates: &[Candidate], kind: Option<usize>, count: usize) -> Finding {
    let of_kind: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| kind.is_none_or(|k| c.kind == k))
        .collect();
    let first = of_kind[0];
    let edits: Vec<Edit> = of_kind.iter().flat_map(|c| c.edits.clone()).collect();
    let (what_zh, what_en) = match kind {
        Some(k) => (format!("全文的{}", KIND_ZH[k]), KIND_EN[k].to_string()),
        None => ("全文标点".to_string(), "punctuation marks".to_string()),
    };
    let mut f = finding(
        &META,
        first.range.clone(),
        format!(
            "{what_zh}均使用半角（共{count}处），中文应使用全角；此处“{}”应为“{}”",
            first.found, first.wanted
        ),
        format!(
            "the document writes all its {what_en} half-width ({count}); Chinese text takes full-width marks — here \"{}\" should be \"{}\"",
            first.found, first.wanted
        ),
    );
    f.fixes.push(safe_fix(
        format!(
            "全文{count}处半角{}改为全角",
            kind.map_or("标点", |k| KIND_ZH[k])
        ),
        format!("Convert all {count} half-width {what_en} to full-width"),
        edits,
    ));
    f
}

fn scan_line(text: &str, range: Range<usize>, prefixes: &HashSet<usize>, out: &mut Vec<Candidate>) {
    let s = &text[range.clone()];
    let base = range.start;
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    for (idx, &(k, c)) in chars.iter().enumerate() {
        let Some(wide) = full_width(c) else { continue };
        if prefixes.contains(&(base + k)) {
            continue;
        }
        let prev = idx.checked_sub(1).map(|i| chars[i].1);
        let next = chars.get(idx + 1).map(|x| x.1);
        match c {
            '(' => {
                let Some(close) = matching_close(&chars, idx) else {
                    continue;
                };
                let inner = &s[k + 1..chars[close].0];
                if !inner.chars().any(is_cjk) {
                    continue;
                }
                let ck = chars[close].0;
                out.push(Candidate {
                    kind: 5,
                    range: base + k..base + ck + 1,
                    edits: vec![
                        Edit {
                            range: base + k..base + k + 1,
                            new_text: "（".into(),
                        },
                        Edit {
                            range: base + ck..base + ck + 1,
                            new_text: "）".into(),
                        },
                    ],
                    found: format!("({inner})"),
                    wanted: format!("（{inner}）"),
                });
            }
            // Only as part of a pair, handled at the opening parenthesis.
            ')' => {}
            _ => {
                let digit = |x: Option<char>| x.is_some_and(|x| x.is_ascii_digit());
                if digit(prev) && digit(next) {
                    continue; // 1,000  10:30  1:2
                }
                if c == ':' && (s[k + 1..].starts_with("//") || prev == Some(']')) {
                    continue; // http://, a Markdown footnote `[^12]:`
                }
                if c == '?' && inside_a_short_quote(&chars, idx) {
                    // `“与爱同行?惠游湖北”`: a character lost in a conversion (`·`), not a
                    // question mark (city-shiyan-2021).
                    continue;
                }
                // A space after the mark is Western spacing and goes with it.
                let spaced =
                    next == Some(' ') && chars.get(idx + 2).is_some_and(|x| !x.1.is_whitespace());
                let after = if spaced {
                    chars.get(idx + 2).map(|x| x.1)
                } else {
                    next
                };
                if !(prev.is_some_and(chinese_like) || after.is_some_and(chinese_like)) {
                    continue;
                }
                if prev.is_some_and(|p| p.is_ascii_alphanumeric())
                    && after.is_some_and(|a| a.is_ascii_alphanumeric())
                {
                    continue;
                }
                let end = k + 1 + usize::from(spaced);
                out.push(Candidate {
                    kind: kind_of_half(c),
                    range: base + k..base + k + 1,
                    edits: vec![Edit {
                        range: base + k..base + end,
                        new_text: wide.to_string(),
                    }],
                    found: c.to_string(),
                    wanted: wide.to_string(),
                });
            }
        }
    }
}

/// The `)` closing the `(` at `open` on the same line, nesting respected.
fn matching_close(chars: &[(usize, char)], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, &(_, c)) in chars.iter().enumerate().skip(open) {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rules::testing;

    fn check(text: &str) -> Vec<String> {
        testing::quoted(&PunctuationWidth, text)
    }

    fn fixed(text: &str) -> String {
        testing::fixed(&PunctuationWidth, text, false)
    }

    const FULL: &str =
        "我们坚持稳中求进，推动高质量发展，取得新成效；全市经济稳步增长，民生持续改善。\n";

    #[test]
    fn per_occurrence_in_a_mostly_full_width_document() {
        let text = format!(
            "{FULL}{FULL}（一）各位代表！三年来,面对疫情;增长6.5%;中关村南部(房山)科技城：\n"
        );
        // One finding per paragraph, one fix for its marks.
        let got = check(&text);
        assert_eq!(
            got,
            ["',' 本段4处半角标点，中文应使用全角：如“,”应为“，”"],
            "{got:?}"
        );
        let one = format!("{FULL}{FULL}（一）中关村南部(房山)科技城。\n");
        assert_eq!(
            check(&one),
            ["'(房山)' 中文中应使用全角标点：“(房山)”应为“（房山）”"]
        );
        let f = fixed(&text);
        assert!(
            f.ends_with("各位代表！三年来，面对疫情；增长6.5%；中关村南部（房山）科技城：\n"),
            "{f}"
        );
        assert!(check(&f).is_empty());
    }

    #[test]
    fn once_for_a_half_width_document() {
        let text = "我代表区政府向大会报告工作,请予审议。\n五年来,我们坚持发展;成效明显!\n";
        let got = check(text);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains("全文标点均使用半角（共4处）"), "{got:?}");
        assert_eq!(
            fixed(text),
            "我代表区政府向大会报告工作，请予审议。\n五年来，我们坚持发展；成效明显！\n"
        );
    }

    #[test]
    fn once_per_kind_written_half_width_throughout() {
        // Commas and semicolons are mixed (per occurrence); exclamation marks are never
        // full-width (once).
        let text = format!("{FULL}{FULL}甲,乙;丙;丁! 戊!\n");
        let got = check(&text);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].starts_with("',' 本段3处半角标点"), "{got:?}");
        assert!(got[1].contains("全文的叹号均使用半角（共2处）"), "{got:?}");
        let f = fixed(&text);
        assert!(f.ends_with("甲，乙；丙；丁！戊！\n"), "{f}");
        assert!(check(&f).is_empty());
    }

    #[test]
    fn numbers_times_urls_latin_and_headings_are_left_alone() {
        let text = format!(
            "{FULL}投资1,000亿元，时间为10:30，网址http://www.beijing.gov.cn，PM2.5浓度下降。\n实施国六(B)标准，建设(5G)网络，Hello, world.\n[^12]: “两翼”：河北省提出。\n(一)总体要求\n（二）主要任务\n"
        );
        assert!(check(&text).is_empty(), "{:?}", check(&text));
        assert!(check("Only English here, nothing else: fine!").is_empty());
    }

    /// city-shiyan-2021: `?` for a lost `·` inside a short quoted name.
    #[test]
    fn a_lost_character_in_a_quoted_name_is_not_a_question_mark() {
        let text = format!("{FULL}积极开展“与爱同行?惠游湖北”活动，消费回补。\n");
        assert!(check(&text).is_empty(), "{:?}", check(&text));
        let text = format!("{FULL}怎么办?我们要坚持发展。\n");
        assert_eq!(check(&text).len(), 1);
    }
}
