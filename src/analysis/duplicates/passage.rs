//! Passages: paragraphs (non-blank lines, joined across PDF line breaks when a line does not end
//! a sentence) and the sentences inside them, each normalised on a copy with a map back to the
//! original bytes.

use std::ops::Range;

use crate::analysis::heading::{is_dateline, is_salutation, is_speaker_line, number_prefix};
use crate::analysis::text::{is_blank_char, split_lines, to_halfwidth, Line};

/// One paragraph of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// Original bytes, from the first non-blank character to the last.
    pub range: Range<usize>,
    /// 0-based lines of the first and last character.
    pub first_line: u32,
    pub last_line: u32,
}

/// Splits `text` into paragraphs. A line continues the previous one when that one does not end a
/// sentence, is long enough not to be a title, and the line itself is neither indented nor
/// numbered (PDF extractions break lines mid-sentence, sometimes with a blank line between).
pub fn paragraphs(text: &str) -> Vec<Paragraph> {
    let lines = split_lines(text);
    let mut out: Vec<Paragraph> = Vec::new();
    let mut open = false;
    let mut blank_run = 0usize;
    for (i, line) in lines.iter().enumerate() {
        if line.is_blank() {
            blank_run += 1;
            continue;
        }
        let joins = open
            && blank_run <= 1
            && out
                .last()
                .is_some_and(|p| continues(text, p, &lines[p.last_line as usize], line));
        if joins {
            if let Some(p) = out.last_mut() {
                p.range.end = line.trim_end;
                p.last_line = i as u32;
            }
        } else {
            out.push(Paragraph {
                range: line.trim_start..line.trim_end,
                first_line: i as u32,
                last_line: i as u32,
            });
        }
        open = true;
        blank_run = 0;
    }
    out
}

/// Minimum characters of a line that a following line may continue (shorter ones are titles,
/// datelines and speaker lines).
const MIN_CONTINUED_CHARS: usize = 16;

fn continues(text: &str, para: &Paragraph, prev: &Line, line: &Line) -> bool {
    let prev_text = &text[prev.trimmed()];
    let Some(last) = prev_text.chars().next_back() else {
        return false;
    };
    if ends_paragraph(last) || is_dateline_text(prev_text) {
        return false;
    }
    let next = &text[line.trimmed()];
    if is_speaker_line(next) || is_salutation(next) || is_dateline_text(next) {
        return false;
    }
    // An indented line starts a paragraph.
    if line.trim_start > line.start {
        return false;
    }
    if number_prefix(text, line.trimmed()).is_some() {
        return false;
    }
    let para_chars = text[para.range.clone()].chars().count();
    para_chars >= MIN_CONTINUED_CHARS
}

fn ends_paragraph(c: char) -> bool {
    matches!(
        c,
        '。' | '！'
            | '？'
            | '!'
            | '?'
            | '；'
            | ';'
            | '…'
            | '：'
            | ':'
            | '”'
            | '’'
            | '」'
            | '）'
            | ')'
            | '》'
            | '"'
    )
}

/// The line under a report's title saying where and when it was delivered
/// (`——2023年1月15日在北京市第十六届人民代表大会第一次会议上`, `在四川省第十一届人民代表大会第三次会议上（2010年1月26日）`):
/// it differs every year and is never a copied passage.
pub fn is_dateline_text(s: &str) -> bool {
    is_dateline(s) || (s.contains("代表大会") && s.contains("会议") && s.chars().count() < 80)
}

/// A paragraph normalised for comparison: full-width forms folded to half-width, blanks
/// removed, punctuation variants unified, a leading list number dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Normalized {
    pub chars: Vec<char>,
    /// Byte offset (in the original text) of each normalised character.
    pub offsets: Vec<u32>,
    /// Byte offset just past each normalised character's source character.
    pub ends: Vec<u32>,
    /// Byte offset just past the last source character.
    pub end: u32,
}

impl Normalized {
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// Original byte range of normalised characters `r`.
    pub fn source_range(&self, r: Range<usize>) -> Range<usize> {
        let start = self.offsets.get(r.start).copied().unwrap_or(self.end) as usize;
        let end = match r.end.checked_sub(1) {
            Some(last) if r.end > r.start => self.ends.get(last).copied().unwrap_or(self.end),
            _ => start as u32,
        } as usize;
        start..end.max(start)
    }
}

/// Normalises `text[range]`. The list number of a numbered paragraph (`1.`, `（一）`) is left
/// out, so glossary entries that differ only in their number compare equal.
pub fn normalize(text: &str, range: Range<usize>) -> Normalized {
    let start = number_prefix(text, range.clone())
        .map(|np| np.prefix.end)
        .filter(|&e| e <= range.end)
        .unwrap_or(range.start);
    let slice = text.get(start..range.end).unwrap_or("");
    let mut n = Normalized {
        chars: Vec::with_capacity(slice.len() / 3 + 1),
        offsets: Vec::with_capacity(slice.len() / 3 + 1),
        ends: Vec::with_capacity(slice.len() / 3 + 1),
        end: range.end as u32,
    };
    for (i, c) in slice.char_indices() {
        if let Some(m) = fold(c) {
            n.chars.push(m);
            n.offsets.push((start + i) as u32);
            n.ends.push((start + i + c.len_utf8()) as u32);
        }
    }
    n
}

/// The comparison form of one character; `None` for blanks and line breaks.
pub fn fold(c: char) -> Option<char> {
    if is_blank_char(c) || c.is_whitespace() || c.is_control() {
        return None;
    }
    let c = to_halfwidth(c);
    Some(match c {
        '，' => ',',
        '；' => ';',
        '：' => ':',
        '。' | '．' => '.',
        '！' => '!',
        '？' => '?',
        '（' | '〔' | '［' | '【' => '(',
        '）' | '〕' | '］' | '】' => ')',
        '“' | '”' | '‘' | '’' | '「' | '」' | '『' | '』' | '\'' => '"',
        '—' | '–' | '―' | '─' | '－' => '-',
        '·' | '•' | '・' => '·',
        'A'..='Z' => c.to_ascii_lowercase(),
        _ => c,
    })
}

/// Whether a normalised character ends a sentence.
pub fn ends_sentence(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | ';' | '…')
}

/// Sentence ranges (in normalised characters) of a paragraph. A `.` between digits (`6.5`) is
/// not a sentence end.
pub fn sentences(chars: &[char]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &c) in chars.iter().enumerate() {
        if !ends_sentence(c) {
            continue;
        }
        if c == '.'
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit())
        {
            continue;
        }
        if i + 1 > start {
            out.push(start..i + 1);
        }
        start = i + 1;
    }
    if start < chars.len() {
        out.push(start..chars.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(text: &str) -> Vec<&str> {
        paragraphs(text)
            .into_iter()
            .map(|p| &text[p.range])
            .collect()
    }

    #[test]
    fn joins_pdf_line_breaks_but_not_titles_headings_or_indents() {
        let text = "2023 年政府工作报告\n\n北京市代市长 殷勇\n各位代表：\n过去五年，在以习近平同志为核心的党中央坚强领导下，全市\n\n人民团结奋斗。\n（一）总体要求\n　　新的段落从缩进开始，没有句号\n　　另一个缩进段落。\n";
        assert_eq!(
            paras(text),
            vec![
                "2023 年政府工作报告",
                "北京市代市长 殷勇",
                "各位代表：",
                "过去五年，在以习近平同志为核心的党中央坚强领导下，全市\n\n人民团结奋斗。",
                "（一）总体要求",
                "新的段落从缩进开始，没有句号",
                "另一个缩进段落。",
            ]
        );
        let p = &paragraphs(text)[3];
        assert_eq!((p.first_line, p.last_line), (4, 6));
    }

    #[test]
    fn normalisation_folds_widths_blanks_punctuation_and_list_numbers() {
        let a = "1.碳达峰：二氧化碳排放达到峰值，ＧＤＰ增长６．５％。";
        let b = "3. 碳达峰: 二氧化碳排放 达到峰值,gdp增长6.5%.";
        let na = normalize(a, 0..a.len());
        let nb = normalize(b, 0..b.len());
        assert_eq!(na.chars, nb.chars);
        let s: String = na.chars.iter().collect();
        assert_eq!(s, "碳达峰:二氧化碳排放达到峰值,gdp增长6.5%.");
        // The map leads back to the original bytes.
        assert_eq!(&a[na.source_range(0..3)], "碳达峰");
        assert_eq!(&b[nb.source_range(3..4)], ":");
        let c = "\u{3000}各位\u{00A0}代表\u{3000}";
        assert_eq!(normalize(c, 0..c.len()).chars, vec!['各', '位', '代', '表']);
    }

    #[test]
    fn sentences_split_at_ends_but_not_decimals() {
        let t = "增长6.5%左右。物价涨幅3%;就业稳定!";
        let n = normalize(t, 0..t.len());
        let s: Vec<String> = sentences(&n.chars)
            .into_iter()
            .map(|r| n.chars[r].iter().collect())
            .collect();
        assert_eq!(s, vec!["增长6.5%左右.", "物价涨幅3%;", "就业稳定!"]);
    }
}
