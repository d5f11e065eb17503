//! Property tests: random incremental edits applied to the rope in any position encoding give
//! the same text as a reference implementation working on a plain `String`, and therefore the
//! same analysis as a full reload; position conversion round-trips on every character boundary.

use proptest::prelude::*;
use std::sync::Arc;

use report_lsp::analysis::targets::ScanMemo;
use report_lsp::analysis::Analysis;
use report_lsp::lsp::documents::apply_change;
use report_lsp::position::{to_line_col, to_offset, Encoding, LineCol};
use ropey::Rope;
use tower_lsp::lsp_types::{Position, Range, TextDocumentContentChangeEvent};

/// Pieces that exercise every hazard: 3-byte CJK, 4-byte astral (2 UTF-16 units), all three
/// line ends, full-width punctuation, a BOM, ASCII.
fn piece() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "一",
        "、",
        "（",
        "二",
        "）",
        "𠮷",
        "😀",
        "\n",
        "\r\n",
        "\r",
        "a",
        "1",
        "。",
        "\u{3000}",
        "\u{FEFF}",
        "各位代表：",
        "6.5%",
        "地区生产总值增长",
        "城镇登记失业率控制在3%以内",
        "，",
    ])
    .prop_map(str::to_string)
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..40).prop_map(|v| v.concat())
}

fn encoding() -> impl Strategy<Value = Encoding> {
    prop::sample::select(vec![Encoding::Utf8, Encoding::Utf16, Encoding::Utf32])
}

/// Reference conversion on a `String`: LSP lines (\n, \r\n, \r), units counted per encoding,
/// clamped to the line end and to a character start.
fn reference_offset(text: &str, line: u32, col: u32, enc: Encoding) -> usize {
    let mut starts = vec![0usize];
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\r' {
            i += if b.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
            starts.push(i);
        } else if b[i] == b'\n' {
            i += 1;
            starts.push(i);
        } else {
            i += 1;
        }
    }
    let Some(&start) = starts.get(line as usize) else {
        return text.len();
    };
    let mut end = starts.get(line as usize + 1).copied().unwrap_or(text.len());
    while end > start && matches!(b[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    let mut units = 0u64;
    for (k, c) in text[start..end].char_indices() {
        let w = match enc {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        } as u64;
        if units + w > col as u64 {
            return start + k;
        }
        units += w;
    }
    end
}

#[derive(Debug, Clone)]
struct RawEdit {
    start: (u32, u32),
    end: (u32, u32),
    text: String,
}

fn edit() -> impl Strategy<Value = RawEdit> {
    let pos = (0u32..8, prop_oneof![0u32..12, Just(u32::MAX)]);
    (pos.clone(), pos, prop::collection::vec(piece(), 0..4)).prop_map(|(s, e, t)| RawEdit {
        start: s,
        end: e,
        text: t.concat(),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn incremental_edits_match_a_full_reload(initial in text(), edits in prop::collection::vec(edit(), 1..12), enc in encoding()) {
        let mut rope = Rope::from_str(&initial);
        let mut reference = initial.clone();
        // The server analyses every version with one scan memo, which hands the figures of
        // unchanged paragraphs from one version to the next.
        let memo = Arc::new(ScanMemo::default());
        let _ = Analysis::new(&initial).with_scan_memo(memo.clone()).targets().len();
        for e in &edits {
            let change = TextDocumentContentChangeEvent {
                range: Some(Range::new(Position::new(e.start.0, e.start.1), Position::new(e.end.0, e.end.1))),
                range_length: None,
                text: e.text.clone(),
            };
            apply_change(&mut rope, &change, enc);
            let a = reference_offset(&reference, e.start.0, e.start.1, enc);
            let b = reference_offset(&reference, e.end.0, e.end.1, enc);
            reference.replace_range(a.min(b)..a.max(b), &e.text);
            prop_assert_eq!(rope.to_string(), reference.clone());
            let version = rope.to_string();
            let _ = Analysis::new(&version).with_scan_memo(memo.clone()).targets().len();
        }
        // The state after incremental edits (the text, and the figures carried by the memo
        // across versions) is the state of a full reload.
        let text = rope.to_string();
        let incremental = Analysis::new(&text).with_scan_memo(memo.clone());
        let fresh = Analysis::new(&reference);
        prop_assert_eq!(incremental.targets(), fresh.targets());
    }

    #[test]
    fn positions_round_trip_on_character_boundaries(t in text(), enc in encoding()) {
        let rope = Rope::from_str(&t);
        for (offset, _) in t.char_indices().chain(std::iter::once((t.len(), ' '))) {
            let lc = to_line_col(&rope, offset, enc);
            let back = to_offset(&rope, lc, enc);
            // Offsets inside a line terminator clamp to the line end; all others round-trip.
            let in_terminator = offset > 0 && t.as_bytes()[offset - 1] == b'\r' && t.as_bytes().get(offset) == Some(&b'\n');
            if !in_terminator {
                prop_assert_eq!(back, offset, "offset {} -> {:?}", offset, lc);
            }
            prop_assert_eq!(reference_offset(&t, lc.line, lc.col, enc), back);
        }
        let _ = LineCol::default();
    }
}
