//! Line splitting and character classes for Chinese plain text.
//!
//! Lines follow the LSP definition (`\n`, `\r\n` and `\r` end a line) so that line numbers here
//! agree with ropey built with `cr_lines` and with every client.

use std::ops::Range;

/// One line of the document, without its terminator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    /// Byte offset of the first byte of the line.
    pub start: usize,
    /// Byte offset just past the line's content (before `\r`/`\n`).
    pub end: usize,
    /// Content range with leading and trailing blanks (see [`is_blank_char`]) removed.
    /// Empty (`trim_start == trim_end`) for a blank line.
    pub trim_start: usize,
    pub trim_end: usize,
}

impl Line {
    pub fn is_blank(&self) -> bool {
        self.trim_start == self.trim_end
    }

    pub fn trimmed(&self) -> Range<usize> {
        self.trim_start..self.trim_end
    }

    pub fn content(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// Splits `text` into lines. A text of `n` line terminators has `n + 1` lines (the last may be
/// empty), exactly as LSP and ropey count them.
pub fn split_lines(text: &str) -> Vec<Line> {
    let bytes = text.as_bytes();
    let mut lines = Vec::with_capacity(bytes.len() / 64 + 1);
    let mut start = 0;
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if i < start {
            // The \n of a \r\n pair, already consumed.
            continue;
        }
        lines.push(make_line(text, start, i));
        start = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i + 2
        } else {
            i + 1
        };
    }
    lines.push(make_line(text, start, bytes.len()));
    lines
}

fn make_line(text: &str, start: usize, end: usize) -> Line {
    let content = &text[start..end];
    let lead = content.len() - content.trim_start_matches(is_blank_char).len();
    let trail = content.trim_end_matches(is_blank_char).len();
    let (trim_start, trim_end) = if lead >= trail {
        (end, end)
    } else {
        (start + lead, start + trail)
    };
    Line {
        start,
        end,
        trim_start,
        trim_end,
    }
}

/// Characters that carry no content at the edges of a line: ASCII blanks, the ideographic space
/// U+3000 used for paragraph indents, U+00A0 from web pages, zero-width characters and the BOM.
pub fn is_blank_char(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t'
            | '\u{3000}'
            | '\u{00A0}'
            | '\u{FEFF}'
            | '\u{200B}'
            | '\u{200C}'
            | '\u{200D}'
            | '\u{2002}'..='\u{200A}' | '\u{000B}' | '\u{000C}'
    )
}

/// CJK ideographs (the unified blocks and extensions, including astral ones such as 𠮷).
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}'
        | '\u{30000}'..='\u{3134F}')
}

/// Punctuation that ends a sentence or a clause list in Chinese or Western typography.
pub fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '；' | ';' | '…')
}

/// Punctuation after which a line may not end inside a sentence (clause separators).
pub fn is_clause_punct(c: char) -> bool {
    matches!(c, '，' | ',' | '、' | '：' | ':')
}

/// Maps full-width ASCII variants (Ａ, １, ％, （ …) to their half-width forms and U+3000 to a
/// space; other characters are returned unchanged.
pub fn to_halfwidth(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Number of Unicode scalar values in a string slice.
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// `s` on one line (line breaks dropped, ends trimmed), cut to `max` characters with `…`: a
/// quotation of a statement in a hover card or a message.
pub fn excerpt(s: &str, max: usize) -> String {
    let flat: String = s.chars().filter(|c| !matches!(c, '\n' | '\r')).collect();
    let flat = flat.trim();
    if flat.chars().count() > max {
        let mut t: String = flat.chars().take(max).collect();
        t.push('…');
        t
    } else {
        flat.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_one_line_and_cut_with_an_ellipsis() {
        assert_eq!(
            excerpt(" 地区生产总值\r\n增长6.5%左右 ", 60),
            "地区生产总值增长6.5%左右"
        );
        assert_eq!(excerpt("一二三四五", 3), "一二三…");
        assert_eq!(excerpt("一二三", 3), "一二三");
    }

    fn spans(text: &str) -> Vec<(&str, &str)> {
        split_lines(text)
            .iter()
            .map(|l| (&text[l.content()], &text[l.trimmed()]))
            .collect()
    }

    #[test]
    fn splits_on_lf_crlf_and_cr_like_lsp() {
        assert_eq!(
            spans("a\nb\r\nc\rd"),
            vec![("a", "a"), ("b", "b"), ("c", "c"), ("d", "d")]
        );
        assert_eq!(spans("a\n"), vec![("a", "a"), ("", "")]);
        assert_eq!(spans(""), vec![("", "")]);
        assert_eq!(spans("\r\n\r\n"), vec![("", ""), ("", ""), ("", "")]);
    }

    #[test]
    fn trims_ideographic_and_nonbreaking_spaces_and_bom() {
        assert_eq!(
            spans("\u{FEFF}\u{3000}\u{3000}各位代表：\u{00A0} "),
            vec![("\u{FEFF}\u{3000}\u{3000}各位代表：\u{00A0} ", "各位代表：")]
        );
        let blank = split_lines("\u{3000}\u{00A0} \t");
        assert!(blank[0].is_blank());
    }

    #[test]
    fn halfwidth_mapping() {
        let s: String = "（１）６．５％".chars().map(to_halfwidth).collect();
        assert_eq!(s, "(1)6.5%");
    }
}
