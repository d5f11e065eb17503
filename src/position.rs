//! The one place that converts positions: byte offsets (used everywhere inside) to and from
//! line/column pairs in UTF-8, UTF-16 or UTF-32 units (LSP positions in the negotiated
//! encoding, and 1-based character columns for the CLI).
//!
//! Out-of-range input is clamped as the LSP specification says: a column past the end of a line
//! means the end of that line, a line past the end of the document means the end of the
//! document, and a column inside a character (a UTF-16 surrogate pair, a UTF-8 sequence) means
//! that character's start. Nothing here panics on any input.

use ropey::Rope;

/// A position encoding (LSP 3.17 `PositionEncodingKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
    Utf32,
}

impl Encoding {
    pub fn as_lsp_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16 => "utf-16",
            Encoding::Utf32 => "utf-32",
        }
    }

    pub fn from_lsp_str(s: &str) -> Option<Encoding> {
        match s {
            "utf-8" => Some(Encoding::Utf8),
            "utf-16" => Some(Encoding::Utf16),
            "utf-32" => Some(Encoding::Utf32),
            _ => None,
        }
    }

    /// Picks the server's encoding from the client's offer: UTF-8 (our native unit) first, then
    /// UTF-32, else the mandatory UTF-16.
    pub fn negotiate<'a>(offered: impl IntoIterator<Item = &'a str>) -> Encoding {
        let offered: Vec<Encoding> = offered
            .into_iter()
            .filter_map(Encoding::from_lsp_str)
            .collect();
        [Encoding::Utf8, Encoding::Utf32]
            .into_iter()
            .find(|e| offered.contains(e))
            .unwrap_or(Encoding::Utf16)
    }
}

/// A 0-based line and a 0-based column counted in some encoding's units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Byte offset of the end of line `line`'s content (before its terminator).
fn line_content_end(rope: &Rope, line: usize) -> usize {
    let start = rope.line_to_byte(line);
    let slice = rope.line(line);
    let len = slice.len_bytes();
    let mut term = 0;
    if len > 0 && slice.byte(len - 1) == b'\n' {
        term = 1;
        if len > 1 && slice.byte(len - 2) == b'\r' {
            term = 2;
        }
    } else if len > 0 && slice.byte(len - 1) == b'\r' {
        term = 1;
    }
    start + len - term
}

/// Converts a byte offset to a line/column. Offsets past the end clamp to the end; an offset
/// inside a character or a line terminator clamps to the character start or the line end.
pub fn to_line_col(rope: &Rope, offset: usize, enc: Encoding) -> LineCol {
    let offset = offset.min(rope.len_bytes());
    let line = rope.byte_to_line(offset);
    let line_start = rope.line_to_byte(line);
    let offset = offset.min(line_content_end(rope, line));
    let start_char = rope.byte_to_char(line_start);
    let char_idx = rope.byte_to_char(offset);
    let col = match enc {
        Encoding::Utf8 => rope.char_to_byte(char_idx) - line_start,
        Encoding::Utf16 => rope.char_to_utf16_cu(char_idx) - rope.char_to_utf16_cu(start_char),
        Encoding::Utf32 => char_idx - start_char,
    };
    LineCol {
        line: clamp_u32(line),
        col: clamp_u32(col),
    }
}

/// Line starts of a text that is not open (another workspace file named in related
/// information): positions without building a rope. Lines end at `\n`, `\r\n` and `\r`, as in
/// ropes built with `cr_lines`.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// Per line, the UTF-16 and UTF-32 length of its content (line break excluded): related
    /// locations mostly end at the end of a line, and long paragraphs need not be counted again
    /// for each diagnostic that points at them.
    content_len: Vec<(u32, u32)>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let b = text.as_bytes();
        let mut starts = vec![0];
        for i in memchr::memchr2_iter(b'\n', b'\r', b) {
            if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
                continue;
            }
            starts.push(i + 1);
        }
        let content_len = (0..starts.len())
            .map(|line| {
                let end = starts.get(line + 1).copied().unwrap_or(text.len());
                let content = text[starts[line]..end].trim_end_matches(['\r', '\n']);
                (
                    clamp_u32(utf16_len(content)),
                    clamp_u32(char_count(content)),
                )
            })
            .collect();
        LineIndex {
            starts,
            content_len,
        }
    }

    /// Like [`to_line_col`] for `text` (the text this index was built from), with the same
    /// clamping.
    pub fn line_col(&self, text: &str, offset: usize, enc: Encoding) -> LineCol {
        let mut offset = offset.min(text.len());
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let end = self.starts.get(line + 1).copied().unwrap_or(text.len());
        let content_end = start + text[start..end].trim_end_matches(['\r', '\n']).len();
        offset = offset.min(content_end);
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let s = &text[start..offset];
        let whole = (offset == content_end)
            .then(|| self.content_len.get(line))
            .flatten();
        let col = match (enc, whole) {
            (Encoding::Utf8, _) => s.len(),
            (Encoding::Utf16, Some(&(units, _))) => units as usize,
            (Encoding::Utf32, Some(&(_, chars))) => chars as usize,
            (Encoding::Utf16, None) => utf16_len(s),
            (Encoding::Utf32, None) => char_count(s),
        };
        LineCol {
            line: clamp_u32(line),
            col: clamp_u32(col),
        }
    }
}

/// Characters and UTF-16 code units of `s`, counted over bytes in one pass the compiler
/// vectorises (several times faster than decoding `chars()` on the long lines of a report): a
/// character starts at every byte that does not continue one, and needs two UTF-16 units when
/// its UTF-8 form starts with a byte of 0xF0 or more.
fn char_and_utf16_len(s: &str) -> (usize, usize) {
    let (mut chars, mut astral) = (0usize, 0usize);
    for &b in s.as_bytes() {
        chars += usize::from((b as i8) >= -0x40);
        astral += usize::from(b >= 0xF0);
    }
    (chars, chars + astral)
}

fn char_count(s: &str) -> usize {
    char_and_utf16_len(s).0
}

fn utf16_len(s: &str) -> usize {
    char_and_utf16_len(s).1
}

/// Converts a line/column to a byte offset on a character boundary, clamping as the LSP
/// specification says.
pub fn to_offset(rope: &Rope, pos: LineCol, enc: Encoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let line_start = rope.line_to_byte(line);
    let line_end = line_content_end(rope, line);
    let col = pos.col as usize;
    let char_idx = match enc {
        Encoding::Utf8 => rope.byte_to_char(line_start.saturating_add(col).min(line_end)),
        Encoding::Utf16 => {
            let start_cu = rope.char_to_utf16_cu(rope.byte_to_char(line_start));
            let end_cu = rope.char_to_utf16_cu(rope.byte_to_char(line_end));
            // Ropey maps a unit inside a surrogate pair to the pair's character.
            rope.utf16_cu_to_char(start_cu.saturating_add(col).min(end_cu))
        }
        Encoding::Utf32 => {
            let start_char = rope.byte_to_char(line_start);
            let end_char = rope.byte_to_char(line_end);
            start_char.saturating_add(col).min(end_char)
        }
    };
    rope.char_to_byte(char_idx)
}

/// 1-based line and 1-based character column, as the CLI prints them.
pub fn to_cli(rope: &Rope, offset: usize) -> (usize, usize) {
    let lc = to_line_col(rope, offset, Encoding::Utf32);
    (lc.line as usize + 1, lc.col as usize + 1)
}

fn clamp_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_agrees_with_the_rope() {
        let text = "一、𠮷甲\r\n正文。\r第三\n\n尾行ab";
        let rope = Rope::from_str(text);
        let idx = LineIndex::new(text);
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            for off in 0..=text.len() + 2 {
                assert_eq!(
                    idx.line_col(text, off, enc),
                    to_line_col(&rope, off, enc),
                    "{off} {enc:?}"
                );
            }
        }
    }

    fn lc(line: u32, col: u32) -> LineCol {
        LineCol { line, col }
    }

    #[test]
    fn astral_characters_count_two_utf16_units() {
        // 𠮷 is U+20BB7: 4 UTF-8 bytes, 2 UTF-16 units, 1 code point.
        let text = "a𠮷b\n";
        let rope = Rope::from_str(text);
        let b = text.find('b').unwrap();
        assert_eq!(to_line_col(&rope, b, Encoding::Utf8), lc(0, 5));
        assert_eq!(to_line_col(&rope, b, Encoding::Utf16), lc(0, 3));
        assert_eq!(to_line_col(&rope, b, Encoding::Utf32), lc(0, 2));
        assert_eq!(to_offset(&rope, lc(0, 3), Encoding::Utf16), b);
        assert_eq!(to_offset(&rope, lc(0, 5), Encoding::Utf8), b);
        assert_eq!(to_offset(&rope, lc(0, 2), Encoding::Utf32), b);
        // Inside the surrogate pair: the character's start.
        assert_eq!(to_offset(&rope, lc(0, 2), Encoding::Utf16), 1);
        // Inside the UTF-8 sequence: the character's start.
        assert_eq!(to_offset(&rope, lc(0, 3), Encoding::Utf8), 1);
        assert_eq!(to_line_col(&rope, 3, Encoding::Utf16), lc(0, 1));
    }

    #[test]
    fn cjk_is_three_bytes_one_unit() {
        let text = "各位代表：\n现在";
        let rope = Rope::from_str(text);
        let now = text.find('在').unwrap();
        assert_eq!(to_line_col(&rope, now, Encoding::Utf16), lc(1, 1));
        assert_eq!(to_line_col(&rope, now, Encoding::Utf8), lc(1, 3));
    }

    #[test]
    fn crlf_and_cr_line_ends() {
        let text = "一、甲\r\n二、乙\r三、丙\n";
        let rope = Rope::from_str(text);
        assert_eq!(rope.len_lines(), 4);
        let yi = text.find('乙').unwrap();
        let bing = text.find('丙').unwrap();
        assert_eq!(to_line_col(&rope, yi, Encoding::Utf16), lc(1, 2));
        assert_eq!(to_line_col(&rope, bing, Encoding::Utf16), lc(2, 2));
        // Past the end of a CRLF line: the line end, before \r.
        let end0 = text.find('\r').unwrap();
        assert_eq!(to_offset(&rope, lc(0, 99), Encoding::Utf16), end0);
        // An offset between \r and \n clamps to the line end.
        assert_eq!(to_line_col(&rope, end0 + 1, Encoding::Utf16), lc(0, 3));
    }

    #[test]
    fn past_the_end_clamps() {
        let text = "ab\ncd";
        let rope = Rope::from_str(text);
        assert_eq!(to_offset(&rope, lc(7, 0), Encoding::Utf16), text.len());
        assert_eq!(
            to_offset(&rope, lc(1, u32::MAX), Encoding::Utf16),
            text.len()
        );
        assert_eq!(to_offset(&rope, lc(0, u32::MAX), Encoding::Utf8), 2);
        assert_eq!(to_line_col(&rope, 999, Encoding::Utf16), lc(1, 2));
        let empty = Rope::new();
        assert_eq!(to_offset(&empty, lc(3, 3), Encoding::Utf16), 0);
        assert_eq!(to_line_col(&empty, 3, Encoding::Utf16), lc(0, 0));
    }

    #[test]
    fn bom_is_a_character_of_the_client_text() {
        // A client that sends a BOM counts it as one unit; positions stay consistent with it.
        let text = "\u{FEFF}一、甲";
        let rope = Rope::from_str(text);
        assert_eq!(to_line_col(&rope, 3, Encoding::Utf16), lc(0, 1));
    }

    #[test]
    fn unicode_line_separators_are_not_line_breaks() {
        let text = "a\u{2028}b\u{85}c";
        let rope = Rope::from_str(text);
        assert_eq!(rope.len_lines(), 1);
    }

    #[test]
    fn negotiation_prefers_utf8_then_utf32() {
        assert_eq!(Encoding::negotiate(["utf-16"]), Encoding::Utf16);
        assert_eq!(Encoding::negotiate(["utf-32", "utf-16"]), Encoding::Utf32);
        assert_eq!(Encoding::negotiate(["utf-16", "utf-8"]), Encoding::Utf8);
        assert_eq!(Encoding::negotiate([]), Encoding::Utf16);
        assert_eq!(Encoding::negotiate(["latin-1"]), Encoding::Utf16);
    }

    #[test]
    fn cli_columns_are_one_based_characters() {
        let rope = Rope::from_str("甲乙\n𠮷丙");
        assert_eq!(to_cli(&rope, "甲乙\n𠮷".len()), (2, 2));
    }
}

#[cfg(test)]
mod counting_tests {
    use super::{char_count, utf16_len};

    #[test]
    fn byte_counts_agree_with_decoding() {
        for s in [
            "",
            "abc",
            "增长6.5%左右",
            "𠮷野家𠮷",
            "a\u{00A0}b\u{3000}c\r\n",
            "é̃😀",
        ] {
            assert_eq!(char_count(s), s.chars().count(), "{s:?}");
            assert_eq!(
                utf16_len(s),
                s.chars().map(char::len_utf16).sum::<usize>(),
                "{s:?}"
            );
        }
    }
}
