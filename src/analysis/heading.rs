//! Recognition of one line as a numbered section heading, a `一是…` list opener, or one of the
//! lines that must never become headings (datelines, speaker lines, salutations, web and PDF
//! debris, captions). Context-free: the outline builder decides with the neighbouring lines.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use super::numeral::{
    format_arabic, format_chinese, format_circled, parse_arabic, parse_chinese, parse_circled,
};
use super::text::{char_len, is_blank_char, is_cjk, is_clause_punct, is_sentence_end};

/// A numbering family. Levels are not fixed per family: the outline takes them from the order
/// in which families nest in the document itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// 第一部分
    Part,
    /// 第一篇
    Pian,
    /// 第一章
    Zhang,
    /// 第一节
    Jie,
    /// 一、
    CnComma,
    /// （一） or (一)
    CnParen,
    /// 1. 1、 １．
    ArabicDot,
    /// （1） or (1)
    ArabicParen,
    /// ①
    Circled,
    /// A short standalone line without a number (五年工作回顾).
    Unnumbered,
}

impl Family {
    pub fn id(self) -> &'static str {
        match self {
            Family::Part => "part",
            Family::Pian => "pian",
            Family::Zhang => "zhang",
            Family::Jie => "jie",
            Family::CnComma => "cn-comma",
            Family::CnParen => "cn-paren",
            Family::ArabicDot => "arabic-dot",
            Family::ArabicParen => "arabic-paren",
            Family::Circled => "circled",
            Family::Unnumbered => "unnumbered",
        }
    }

    pub fn is_numbered(self) -> bool {
        self != Family::Unnumbered
    }
}

/// How a number is written: the characters around it and the digit width. Two headings of one
/// family with different markers are a style mix (`（一）` beside `(二)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Marker {
    pub open: Option<char>,
    pub close: char,
    pub fullwidth_digits: bool,
}

impl Marker {
    /// The numeral alone, in this marker's script and digit width (`五`, `5`, `５`, `⑤`).
    pub fn numeral(&self, family: Family, n: u32) -> String {
        match family {
            Family::ArabicDot | Family::ArabicParen => format_arabic(n, self.fullwidth_digits),
            Family::Circled => format_circled(n),
            Family::Part | Family::Pian | Family::Zhang | Family::Jie if self.fullwidth_digits => {
                format_arabic(n, true)
            }
            _ => format_chinese(n),
        }
    }

    /// The whole number as written in this style (`（五）`, `五、`, `第五章`, `5.`).
    pub fn render(&self, family: Family, n: u32) -> String {
        let numeral = self.numeral(family, n);
        let unit = match family {
            Family::Part => "部分",
            Family::Pian if self.close == '编' => "编",
            Family::Pian => "篇",
            Family::Zhang => "章",
            Family::Jie => "节",
            _ => "",
        };
        if !unit.is_empty() {
            return format!("第{numeral}{unit}");
        }
        let mut s = String::new();
        if let Some(o) = self.open {
            s.push(o);
        }
        s.push_str(&numeral);
        if self.close != '\0' {
            s.push(self.close);
        }
        s
    }
}

/// The number prefix found at the start of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberPrefix {
    pub family: Family,
    pub number: u32,
    pub marker: Marker,
    /// The whole prefix (`（一）`, `第一章`, `1.`), absolute byte range.
    pub prefix: Range<usize>,
    /// Only the numeral (`一`, `12`), absolute byte range.
    pub numeral: Range<usize>,
    /// Where the heading's title text starts, after blanks following the prefix.
    pub title_start: usize,
}

/// A `一是…` or `第一，…` paragraph opener.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListOpener {
    pub number: u32,
    pub numeral: Range<usize>,
    /// `第一，` rather than `一是`: the two forms are separate lists (a `第一，` item often holds
    /// `一是…二是…` of its own).
    pub ordinal: bool,
    /// Where the item's text starts, after the opener.
    pub text_start: usize,
}

impl ListOpener {
    /// How an ordinal item's number is written (`第…，`), as the `marker` of its section.
    pub fn marker(&self) -> Option<Marker> {
        self.ordinal.then_some(Marker {
            open: Some('第'),
            close: '，',
            fullwidth_digits: false,
        })
    }
}

const CN_NUM: &str = "零〇一二两三四五六七八九十百";
const BLANKS: &str = r"[ \t\u{3000}\u{00A0}]*";

fn numbered_regexes() -> &'static [(Regex, Family); 7] {
    static RES: OnceLock<[(Regex, Family); 7]> = OnceLock::new();
    RES.get_or_init(|| {
        let re = |p: String| Regex::new(&p).expect("static regex");
        [
            (
                re(format!(
                    r"^第{BLANKS}(?P<n>[{CN_NUM}]+|[0-9０-９]{{1,3}}){BLANKS}(?P<c>篇|编|章|节|部分)"
                )),
                Family::Zhang, // refined by the unit
            ),
            (
                // The opening bracket may be lost in a scrape: `五)注重统筹兼顾`.
                re(format!(
                    r"^(?P<o>[（(])?{BLANKS}(?P<n>[{CN_NUM}]+){BLANKS}(?P<c>[）)])"
                )),
                Family::CnParen,
            ),
            (
                // A bare numeral on its own line, as older reports number their parts.
                re(r"^(?P<n>[一二三四五六七八九十]{1,3})$".to_string()),
                Family::CnComma,
            ),
            (
                re(format!(r"^(?P<n>[{CN_NUM}]+){BLANKS}(?P<c>[、．])")),
                Family::CnComma,
            ),
            (
                re(format!(
                    r"^(?P<o>[（(]){BLANKS}(?P<n>[0-9０-９]{{1,2}}){BLANKS}(?P<c>[）)])"
                )),
                Family::ArabicParen,
            ),
            (
                re(format!(r"^(?P<n>[0-9０-９]{{1,2}}){BLANKS}(?P<c>[.．、])")),
                Family::ArabicDot,
            ),
            (
                re(r"^(?P<n>[\u{2460}-\u{2473}])".to_string()),
                Family::Circled,
            ),
        ]
    })
}

/// Recognises a section number at the start of `text[range]` (a trimmed line).
pub fn number_prefix(text: &str, range: Range<usize>) -> Option<NumberPrefix> {
    number_prefix_expecting(text, range, None)
}

/// Like [`number_prefix`], but `1.`-style numbers equal to `expected_arabic` are accepted even
/// when a digit follows (`2.10大价值创新园区` after `1.…` in a glossary), which otherwise reads as
/// a decimal.
pub fn number_prefix_expecting(
    text: &str,
    range: Range<usize>,
    expected_arabic: Option<u32>,
) -> Option<NumberPrefix> {
    let line = &text[range.clone()];
    // Most lines are body text: skip the regexes unless the first character can start a number.
    let first = line.chars().next()?;
    let can_start = first == '第'
        || first == '（'
        || first == '('
        || first.is_ascii_digit()
        || ('０'..='９').contains(&first)
        || ('\u{2460}'..='\u{2473}').contains(&first)
        || CN_NUM.contains(first);
    if !can_start {
        return None;
    }
    for (re, family) in numbered_regexes() {
        let Some(caps) = re.captures(line) else {
            continue;
        };
        let whole = caps.get(0)?;
        let n = caps.name("n")?;
        let close_str = caps.name("c").map(|c| c.as_str()).unwrap_or("");
        let rest = &line[whole.end()..];
        let (family, number) = match family {
            Family::Zhang => {
                let family = match close_str {
                    // 编 (old plan outlines) is the level of 篇; the marker keeps the unit.
                    "篇" | "编" => Family::Pian,
                    "章" => Family::Zhang,
                    "节" => Family::Jie,
                    _ => Family::Part,
                };
                let number = parse_chinese(n.as_str()).or_else(|| parse_arabic(n.as_str()))?;
                (family, number)
            }
            Family::CnParen | Family::CnComma => (*family, parse_chinese(n.as_str())?),
            Family::ArabicParen | Family::ArabicDot => (*family, parse_arabic(n.as_str())?),
            Family::Circled => (*family, parse_circled(n.as_str().chars().next()?)?),
            _ => continue,
        };
        let expected = family == Family::ArabicDot && expected_arabic == Some(number);
        if number == 0 || !(expected || plausible_after_prefix(family, close_str, rest)) {
            continue;
        }
        let blanks = rest.len() - rest.trim_start_matches(is_blank_char).len();
        let open = caps.name("o").and_then(|o| o.as_str().chars().next());
        let close = close_str.chars().next().unwrap_or('\0');
        let fullwidth_digits = n.as_str().chars().any(|c| ('０'..='９').contains(&c));
        let base = range.start;
        return Some(NumberPrefix {
            family,
            number,
            marker: Marker {
                open: if family == Family::Circled {
                    None
                } else if matches!(
                    family,
                    Family::Part | Family::Pian | Family::Zhang | Family::Jie
                ) {
                    Some('第')
                } else {
                    open
                },
                close: if family == Family::Circled {
                    '\0'
                } else {
                    close
                },
                fullwidth_digits,
            },
            prefix: base + whole.start()..base + whole.end(),
            numeral: base + n.start()..base + n.end(),
            title_start: base + whole.end() + blanks,
        });
    }
    None
}

/// Rejects prefixes that are really the start of a sentence: decimals (`1.5万亿元`), month and
/// year lists (`一、二月份`, `3、4月`), `第一次`-style ordinals are already excluded by the unit.
fn plausible_after_prefix(family: Family, close: &str, rest: &str) -> bool {
    let mut chars = rest.chars();
    let next = chars.next();
    match family {
        Family::ArabicDot => {
            if let Some(c) = next {
                if c.is_ascii_digit() || ('０'..='９').contains(&c) || c == '%' || c == '％' {
                    return false;
                }
            }
            true
        }
        Family::CnComma => {
            // 一、二月份 / 一、二、三产业: a numeral list, not a heading.
            let lead: String = rest.chars().take_while(|c| CN_NUM.contains(*c)).collect();
            if !lead.is_empty() {
                let after = rest[lead.len()..].chars().next();
                if matches!(after, Some('、' | '月' | '季' | '产' | '级' | '类')) {
                    return false;
                }
            }
            // `一．` is accepted as a style variant, but `十．5` is not a heading.
            !(close == "．" && next.is_some_and(|c| c.is_ascii_digit()))
        }
        _ => true,
    }
}

/// Recognises `一是…`, `二是…`, and `第一，…`, `第二，…` at the start of a trimmed line.
pub fn list_opener(text: &str, range: Range<usize>) -> Option<ListOpener> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"^(?:([一二三四五六七八九十]+)是|第([一二三四五六七八九十]+)[，,、])")
            .expect("static regex")
    });
    let line = &text[range.clone()];
    let caps = re.captures(line)?;
    let (n, ordinal) = match (caps.get(1), caps.get(2)) {
        (Some(n), _) => (n, false),
        (None, Some(n)) => (n, true),
        (None, None) => return None,
    };
    // 一是一 / 十是 alone are not openers; require content after.
    if line.len() <= caps.get(0)?.end() {
        return None;
    }
    Some(ListOpener {
        number: parse_chinese(n.as_str())?,
        numeral: range.start + n.start()..range.start + n.end(),
        ordinal,
        text_start: range.start + caps.get(0)?.end(),
    })
}

/// End of the heading sentence that starts at `from` within `line_end`: the first sentence
/// terminator, else the end of the line. Returns (end of heading text, whether text follows).
pub fn heading_sentence_end(text: &str, from: usize, line_end: usize) -> (usize, bool) {
    let s = &text[from..line_end];
    for (i, c) in s.char_indices() {
        if is_sentence_end(c) {
            let after = from + i + c.len_utf8();
            let rest_blank = text[after..line_end].chars().all(is_blank_char);
            return (from + i, !rest_blank);
        }
    }
    (line_end, false)
}

/// Ordinary title-like shape: short, mostly CJK, no sentence punctuation inside or at the end.
pub fn is_short_title_shape(s: &str) -> bool {
    if s.len() > 32 * 4 {
        return false;
    }
    let n = char_len(s);
    if !(2..=32).contains(&n) {
        return false;
    }
    let cjk = s.chars().filter(|c| is_cjk(*c)).count();
    if cjk < 2 || cjk * 2 < n {
        return false;
    }
    if s.chars().any(is_sentence_end) {
        return false;
    }
    let last = s.chars().last().unwrap_or(' ');
    if is_clause_punct(last) || matches!(last, '—' | '-' | '“' | '（' | '(' | '《') {
        return false;
    }
    // Headings rarely list clauses: more than one comma means a sentence fragment.
    s.chars().filter(|c| matches!(c, '，' | ',')).count() <= 1
}

/// `——2020年1月12日在北京市第十五届人民代表大会第三次会议上`, its wrapped continuation
/// `第一次会议上`, and bare date lines such as `2020年1月` or `（2023年1月15日）`.
pub fn is_dateline(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"^[（(]?[0-9０-９〇零一二三四五六七八九十]{2,4}[ \u{3000}]*年[ \u{3000}]*[0-9０-９〇零一二三四五六七八九十]{1,2}[ \u{3000}]*月([ \u{3000}]*[0-9０-９〇零一二三四五六七八九十]{1,3}[ \u{3000}]*日)?[）)]?$",
        )
        .expect("static regex")
    });
    let t = s.trim_matches(is_blank_char);
    t.starts_with("——")
        || t.starts_with("――")
        || t.starts_with("--")
        || t.starts_with('—')
        || t.ends_with("会议上")
        || t.ends_with("大会上")
        || re.is_match(t)
}

/// `各位代表：`, `各位代表!`, `同志们：`.
pub fn is_salutation(s: &str) -> bool {
    let t = s.trim_matches(is_blank_char);
    (t.starts_with("各位代表") || t.starts_with("同志们") || t.starts_with("各位委员"))
        && char_len(t) <= 8
}

/// `北京市市长 陈吉宁`, `朝阳区人民政府区长  王  灏`, `陈 竞`: the speaker of the report.
pub fn is_speaker_line(s: &str) -> bool {
    const ROLES: [&str; 12] = [
        "市长", "省长", "区长", "县长", "州长", "盟长", "旗长", "主席", "主任", "书记", "部长",
        "镇长",
    ];
    let t = s.trim_matches(is_blank_char);
    let n = char_len(t);
    if n > 30 || t.chars().any(is_sentence_end) {
        return false;
    }
    if ROLES.iter().any(|r| t.contains(r)) && !t.contains("报告") {
        return true;
    }
    // A bare name, often spaced out: 2–4 CJK characters with blanks between them.
    let cjk: Vec<char> = t.chars().filter(|c| !is_blank_char(*c)).collect();
    cjk.len() <= 4
        && cjk.len() >= 2
        && cjk.iter().all(|c| is_cjk(*c))
        && t.chars().any(is_blank_char)
}

/// Web and PDF leftovers that are never content: breadcrumbs, page numbers, print links.
pub fn is_debris_line(s: &str) -> bool {
    static PAGE: OnceLock<Regex> = OnceLock::new();
    let page = PAGE.get_or_init(|| {
        Regex::new(r"^([-－—–]\s*[0-9０-９]+\s*[-－—–]|第\s*[0-9０-９]+\s*页(\s*[/，,]?\s*共\s*[0-9０-９]+\s*页)?|[0-9０-９]+\s*/\s*[0-9０-９]+|[0-9０-９]{1,3})$")
            .expect("static regex")
    });
    let t = s.trim_matches(is_blank_char);
    // Debris lines are short; a long line is a paragraph.
    if t.len() > 300 {
        return false;
    }
    t.contains(">>")
        || t.contains("＞＞")
        || t.contains("当前位置")
        || t.contains("当前的位置")
        || t.starts_with("http://")
        || t.starts_with("https://")
        || t.starts_with("www.")
        || t.starts_with("来源：")
        || t.starts_with("来源:")
        || t.starts_with("发布时间")
        || t.starts_with("打印本页")
        || t.starts_with("关闭窗口")
        || t.starts_with("【字体")
        || t.starts_with("字号")
        || page.is_match(t)
}

/// `附件`, `附件1：`, `附录二`: an appendix starts a new document-level section.
pub fn is_appendix_marker(s: &str) -> bool {
    let t = s.trim_matches(is_blank_char);
    // Most lines are body text: only short lines starting with 附 can be markers.
    if !t.starts_with('附') || t.len() > 3 * 12 {
        return false;
    }
    // `附 录`, `附　件`: spaced out like a title.
    let t: String = t.chars().filter(|c| !is_blank_char(*c)).collect();
    ["附件", "附录", "附页", "附表"]
        .iter()
        .any(|k| t.starts_with(k))
        && char_len(&t) <= 6
}

/// An appendix named on its marker line: `附录一：《政府工作报告》名词解释`,
/// `附录二：…数据汇总表（一）`.
pub fn is_titled_appendix(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"^附[ \u{3000}]*[录件][ \u{3000}]*[一二三四五六七八九十0-9０-９]{1,3}[ \u{3000}]*[：:、．.][ \u{3000}]*[^ \u{3000}]")
            .expect("static regex")
    });
    let t = s.trim_matches(is_blank_char);
    t.starts_with('附') && char_len(t) <= 50 && !t.ends_with(is_sentence_end) && re.is_match(t)
}

/// The heading of a report's glossary, which often ends with a colon: `名词解释：`,
/// `附：相关名词解释`, `《政府工作报告》有关名词解释`, `名词解释和说明：`.
pub fn is_glossary_heading(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"^([-·•][ \u{3000}]*)?(附[：:]?|资料[：:])?(《[^》]{1,24}》)?(有关|相关)?(名词(解释|注释|解析|注解)|词语(解释|说明))(和说明|及说明)?([（(][^）)]{1,24}[）)])?[：:]?$|^(附注|注释)[：:]?$")
            .expect("static regex")
    });
    // Glossary headings are short; spare the regex the body lines.
    s.len() <= 3 * 48 && re.is_match(s.trim_matches(is_blank_char))
}

/// A preface or closing part named by a word alone (`序言`, `绪　言`, `结束语`), as the plan
/// outlines of 1953–2001 open and close.
pub fn is_preface_heading(s: &str) -> bool {
    let t: String = s.chars().filter(|c| !is_blank_char(*c)).collect();
    matches!(
        t.as_str(),
        "序言" | "前言" | "绪言" | "引言" | "导言" | "结束语" | "结语"
    )
}

/// Figure and table captions and notes: `图1　…示意图`, `表2 …`, `注：…`.
pub fn is_caption(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"^(图|表|附表|附图)[ \u{3000}]*[0-9０-９一二三四五六七八九十]+|^注[：:]|^说明[：:]|^资料来源")
            .expect("static regex")
    });
    re.is_match(s.trim_matches(is_blank_char))
}

/// Whether a short line names the document: 政府工作报告, …规划纲要, 2023 年政府工作报告.
pub fn has_document_keyword(s: &str) -> bool {
    [
        "报告",
        "纲要",
        "规划",
        "计划",
        "建议",
        "决议",
        "决定",
        "意见",
        "方案",
        "白皮书",
        "公报",
    ]
    .iter()
    .any(|k| s.contains(k))
}

/// Display form of a heading: blanks collapsed to one space; a title spelled out with a blank
/// between every character (`政 府 工 作 报 告`) joined up.
pub fn display_name(s: &str) -> String {
    let tokens: Vec<&str> = s.split(is_blank_char).filter(|t| !t.is_empty()).collect();
    if tokens.len() >= 3 && tokens.iter().all(|t| t.chars().count() == 1) {
        return tokens.concat();
    }
    tokens.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefix(s: &str) -> Option<(Family, u32, String, String)> {
        number_prefix(s, 0..s.len()).map(|p| {
            (
                p.family,
                p.number,
                s[p.prefix.clone()].to_string(),
                s[p.title_start..].to_string(),
            )
        })
    }

    #[test]
    fn chapter_families() {
        assert_eq!(
            prefix("第一篇\u{3000}坚持首都城市战略定位"),
            Some((
                Family::Pian,
                1,
                "第一篇".into(),
                "坚持首都城市战略定位".into()
            ))
        );
        assert_eq!(
            prefix("第十二章 x").map(|p| (p.0, p.1)),
            Some((Family::Zhang, 12))
        );
        assert_eq!(
            prefix("第3节 x").map(|p| (p.0, p.1)),
            Some((Family::Jie, 3))
        );
        assert_eq!(
            prefix("第二部分　x").map(|p| (p.0, p.1)),
            Some((Family::Part, 2))
        );
        assert_eq!(prefix("第一次会议上"), None);
        assert_eq!(prefix("第十四届人民代表大会"), None);
    }

    #[test]
    fn chinese_comma_and_paren_families() {
        assert_eq!(
            prefix("一、2019年工作回顾").map(|p| (p.0, p.1)),
            Some((Family::CnComma, 1))
        );
        assert_eq!(
            prefix("九十九、x").map(|p| (p.0, p.1)),
            Some((Family::CnComma, 99))
        );
        assert_eq!(
            prefix("十二．x").map(|p| (p.0, p.1)),
            Some((Family::CnComma, 12))
        );
        assert_eq!(
            prefix("（一）总体要求").map(|p| (p.0, p.1)),
            Some((Family::CnParen, 1))
        );
        assert_eq!(
            prefix("(十二)x").map(|p| (p.0, p.1)),
            Some((Family::CnParen, 12))
        );
        assert_eq!(
            prefix("(二) 深化非首都功能疏解").map(|p| p.3),
            Some("深化非首都功能疏解".into())
        );
        assert_eq!(prefix("一、二月份，全市…"), None);
        assert_eq!(prefix("一、二、三产业协调发展"), None);
        assert_eq!(prefix("一是全面落实"), None);
        // Old and scraped forms.
        let s = "五)注重统筹兼顾";
        let lost = number_prefix(s, 0..s.len()).unwrap();
        assert_eq!(
            (lost.family, lost.number, lost.marker.open),
            (Family::CnParen, 5, None)
        );
        assert_eq!(prefix("四").map(|p| (p.0, p.1)), Some((Family::CnComma, 4)));
        assert_eq!(prefix("四川"), None);
    }

    #[test]
    fn arabic_families() {
        assert_eq!(
            prefix("1.总体要求").map(|p| (p.0, p.1)),
            Some((Family::ArabicDot, 1))
        );
        assert_eq!(
            prefix("12、x").map(|p| (p.0, p.1)),
            Some((Family::ArabicDot, 12))
        );
        assert_eq!(
            prefix("１．x").map(|p| (p.0, p.1)),
            Some((Family::ArabicDot, 1))
        );
        assert_eq!(
            prefix("（1）x").map(|p| (p.0, p.1)),
            Some((Family::ArabicParen, 1))
        );
        assert_eq!(
            prefix("(２)x").map(|p| (p.0, p.1)),
            Some((Family::ArabicParen, 2))
        );
        assert_eq!(prefix("③x").map(|p| (p.0, p.1)), Some((Family::Circled, 3)));
        assert_eq!(prefix("1.5万亿元"), None);
        assert_eq!(prefix("3、4月份"), None);
        assert_eq!(prefix("2017年是"), None);
        assert_eq!(prefix("(2017)"), None);
        assert_eq!(prefix("6.5%"), None);
    }

    #[test]
    fn markers_record_style() {
        let full = number_prefix("（一）x", 0.."（一）x".len()).unwrap();
        let half = number_prefix("(二)x", 0.."(二)x".len()).unwrap();
        assert_ne!(full.marker, half.marker);
        assert_eq!(full.family, half.family);
    }

    #[test]
    fn list_openers() {
        let s = "三是加快促进经济提质增效升级。";
        assert_eq!(list_opener(s, 0..s.len()).map(|l| l.number), Some(3));
        assert_eq!(list_opener("一是", 0..6), None);
        let s = "一方面";
        assert_eq!(list_opener(s, 0..s.len()), None);
        let s = "第三，加快建设现代化产业体系。";
        let o = list_opener(s, 0..s.len()).unwrap();
        assert_eq!(
            (o.number, o.ordinal, &s[o.numeral.clone()]),
            (3, true, "三")
        );
        for s in [
            "第一",
            "第一，",
            "第一次会议上",
            "第一章 总则",
            "第十五届人民代表大会",
        ] {
            assert_eq!(list_opener(s, 0..s.len()), None, "{s}");
        }
    }

    #[test]
    fn never_headings() {
        assert!(is_dateline(
            "——2020年1月12日在北京市第十五届人民代表大会第三次会议上"
        ));
        assert!(is_dateline(
            "――2017年1月14日在北京市第十四届人民代表大会第五次会议上"
        ));
        assert!(is_dateline("第一次会议上"));
        assert!(is_dateline("2020年1月"));
        assert!(is_dateline("（2023 年 1 月 15 日）"));
        assert!(is_salutation("各位代表："));
        assert!(is_salutation("各位代表:"));
        assert!(is_speaker_line("北京市市长 陈吉宁"));
        assert!(is_speaker_line("朝阳区人民政府区长\u{00A0} 王\u{00A0} 灏"));
        assert!(is_speaker_line("陈 竞"));
        assert!(!is_speaker_line("五年工作回顾"));
        assert!(is_debris_line(
            "您当前的位置:首页>>公开公告>>公开、公告、决议、决定"
        ));
        assert!(is_debris_line("- 12 -"));
        assert!(is_debris_line("第 3 页"));
        assert!(is_caption("图1\u{3000}“一核、三横、四纵”湿地示意图"));
        assert!(is_caption("注：【】内为五年累计数。"));
    }

    #[test]
    fn glossary_headings() {
        for s in [
            "名词解释",
            "名词解释：",
            "附：相关名词解释",
            "附：名词解释：",
            "名词解释和说明：",
            "《政府工作报告》有关名词解释",
            "\u{3000}名词注释:",
            "名词注解：",
            "有关词语说明",
            "- 资料：《政府工作报告》名词解释（按报告中出现顺序排列）：",
            "附注：",
            "注释",
        ] {
            assert!(is_glossary_heading(s), "{s}");
        }
        for s in [
            "各位代表：",
            "名词解释和说明1、“7+3”产业：即电子信息",
            "有关名词解释的说明如下：",
            "注释：本报告数据为初步统计",
        ] {
            assert!(!is_glossary_heading(s), "{s}");
        }
    }

    #[test]
    fn appendix_markers() {
        for s in ["附件", "附 录", "附件2：", "附　件"] {
            assert!(is_appendix_marker(s), "{s}");
        }
        assert!(!is_appendix_marker("附件所列项目由各区县负责落实"));
        for s in [
            "附录一：《政府工作报告》名词解释",
            "附录二：2022年主要经济指标数据汇总表（一）",
        ] {
            assert!(is_titled_appendix(s), "{s}");
        }
        assert!(!is_titled_appendix("附件1"));
        assert!(!is_titled_appendix(
            "附录一：本报告所用数据均为初步统计数，最终以统计年鉴为准。"
        ));
    }

    #[test]
    fn preface_headings_and_bian_volumes() {
        assert!(is_preface_heading("绪\u{3000}言"));
        assert!(is_preface_heading("序言"));
        assert!(!is_preface_heading("序言部分说明了规划的依据"));
        let (family, n, prefix, _) = prefix("第二编 各经济部门发展计划").unwrap();
        assert_eq!((family, n, prefix.as_str()), (Family::Pian, 2, "第二编"));
        let text = "第二编 各经济部门发展计划";
        let p = number_prefix(text, 0..text.len()).unwrap();
        assert_eq!(p.marker.render(Family::Pian, 3), "第三编");
    }

    #[test]
    fn title_shapes() {
        assert!(is_short_title_shape("五年工作回顾"));
        assert!(is_short_title_shape("2017年工作建议"));
        assert!(is_short_title_shape("2017年北京市政府工作报告(全文)"));
        assert!(!is_short_title_shape("各位代表："));
        assert!(!is_short_title_shape("代化奠定坚实基础。"));
        assert!(!is_short_title_shape("平"));
        assert!(!is_short_title_shape(
            "深入开展韧性城市建设。制定韧性城市空间专项规划，系统"
        ));
        assert_eq!(display_name("政 府 工 作 报 告"), "政府工作报告");
        assert_eq!(display_name("\u{00A0}政 府 工 作 报 告"), "政府工作报告");
        assert_eq!(display_name("第一篇\u{3000}坚持"), "第一篇 坚持");
    }
}
