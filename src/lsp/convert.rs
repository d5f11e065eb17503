//! Core data → LSP types, through `position.rs` for every position. Nothing else in `lsp/`
//! computes a line or a column.

use std::ops::Range as ByteRange;

use ropey::Rope;
use tower_lsp::lsp_types::{
    self as lsp, DiagnosticRelatedInformation, DiagnosticSeverity, DocumentSymbol, FoldingRange,
    FoldingRangeKind, Location, NumberOrString, Position, SymbolInformation, SymbolKind, TextEdit,
    Url,
};

use crate::analysis::finding::{Edit, Finding, Language, Severity};
use crate::analysis::outline::{Outline, SectionKind};
use crate::analysis::Fold;
use crate::position::{to_line_col, to_offset, Encoding, LineCol, LineIndex};

pub const SOURCE: &str = "report-lsp";

pub fn position(rope: &Rope, offset: usize, enc: Encoding) -> Position {
    let lc = to_line_col(rope, offset, enc);
    Position::new(lc.line, lc.col)
}

pub fn range(rope: &Rope, r: &ByteRange<usize>, enc: Encoding) -> lsp::Range {
    lsp::Range::new(position(rope, r.start, enc), position(rope, r.end, enc))
}

pub fn offset(rope: &Rope, p: Position, enc: Encoding) -> usize {
    to_offset(
        rope,
        LineCol {
            line: p.line,
            col: p.character,
        },
        enc,
    )
}

pub fn byte_range(rope: &Rope, r: lsp::Range, enc: Encoding) -> ByteRange<usize> {
    let (a, b) = (offset(rope, r.start, enc), offset(rope, r.end, enc));
    a.min(b)..a.max(b)
}

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

pub fn diagnostic(
    f: &Finding,
    uri: &Url,
    rope: &Rope,
    enc: Encoding,
    lang: Language,
) -> lsp::Diagnostic {
    diagnostic_resolving(f, uri, &DocLines::Rope(rope), enc, lang, &mut |_, _| None)
}

/// How positions of the analysed document are computed: through its rope, or through a line
/// index of its text, which is faster when hundreds of diagnostics point at whole lines (the
/// index knows each line's length in every encoding).
pub enum DocLines<'a> {
    Rope(&'a Rope),
    Index(&'a str, &'a LineIndex),
}

impl DocLines<'_> {
    pub fn range(&self, r: &ByteRange<usize>, enc: Encoding) -> lsp::Range {
        match self {
            DocLines::Rope(rope) => range(rope, r, enc),
            DocLines::Index(text, lines) => {
                let (a, b) = (
                    lines.line_col(text, r.start, enc),
                    lines.line_col(text, r.end, enc),
                );
                lsp::Range::new(Position::new(a.line, a.col), Position::new(b.line, b.col))
            }
        }
    }
}

/// Like [`diagnostic`], with `other(key, range)` locating related information in other files
/// (left out when it returns `None`).
pub fn diagnostic_resolving(
    f: &Finding,
    uri: &Url,
    doc: &DocLines<'_>,
    enc: Encoding,
    lang: Language,
    other: &mut dyn FnMut(&str, &ByteRange<usize>) -> Option<Location>,
) -> lsp::Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = f
        .related
        .iter()
        .filter_map(|r| {
            let location = match &r.file {
                None => Location::new(uri.clone(), doc.range(&r.range, enc)),
                Some(key) => other(key, &r.range)?,
            };
            Some(DiagnosticRelatedInformation {
                location,
                message: r.message.get(lang).to_string(),
            })
        })
        .collect();
    lsp::Diagnostic {
        range: doc.range(&f.range, enc),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.code.to_string())),
        code_description: None,
        source: Some(SOURCE.to_string()),
        message: f.message.get(lang).to_string(),
        related_information: if related.is_empty() {
            None
        } else {
            Some(related)
        },
        tags: None,
        data: None,
    }
}

/// A location in another (not open) document, through its line index.
pub fn location_in(
    uri: &Url,
    text: &str,
    lines: &LineIndex,
    r: &ByteRange<usize>,
    enc: Encoding,
) -> Location {
    let (a, b) = (
        lines.line_col(text, r.start, enc),
        lines.line_col(text, r.end, enc),
    );
    Location::new(
        uri.clone(),
        lsp::Range::new(Position::new(a.line, a.col), Position::new(b.line, b.col)),
    )
}

/// The byte range of the whole lines touched by `r` (line break included): what deleting a
/// passage removes.
pub fn whole_lines(rope: &Rope, r: lsp::Range, enc: Encoding) -> ByteRange<usize> {
    let b = byte_range(rope, r, enc);
    let first = rope.byte_to_line(b.start.min(rope.len_bytes()));
    let last = rope.byte_to_line(b.end.min(rope.len_bytes()));
    let start = rope.line_to_byte(first);
    let end = if last + 1 < rope.len_lines() {
        rope.line_to_byte(last + 1)
    } else {
        rope.len_bytes()
    };
    start..end
}

pub fn text_edits(edits: &[Edit], rope: &Rope, enc: Encoding) -> Vec<TextEdit> {
    edits
        .iter()
        .map(|e| TextEdit::new(range(rope, &e.range, enc), e.new_text.clone()))
        .collect()
}

fn symbol_kind(kind: SectionKind) -> SymbolKind {
    match kind {
        SectionKind::Title => SymbolKind::FILE,
        // The kind VS Code's own Markdown outline uses for headings.
        SectionKind::Heading => SymbolKind::STRING,
        SectionKind::ListItem => SymbolKind::ENUM_MEMBER,
    }
}

pub fn section_detail(paragraphs: usize, chars: usize, lang: Language) -> String {
    match lang {
        Language::Zh => format!("{paragraphs}段 · {chars}字"),
        Language::En => format!("{paragraphs} paragraphs · {chars} chars"),
    }
}

pub fn document_symbols(
    o: &Outline,
    rope: &Rope,
    enc: Encoding,
    lang: Language,
) -> Vec<DocumentSymbol> {
    fn build(o: &Outline, i: usize, rope: &Rope, enc: Encoding, lang: Language) -> DocumentSymbol {
        let s = &o.sections[i];
        let children: Vec<DocumentSymbol> = s
            .children
            .iter()
            .map(|&c| build(o, c, rope, enc, lang))
            .collect();
        #[allow(deprecated)]
        DocumentSymbol {
            name: s.name.clone(),
            detail: Some(section_detail(s.paragraphs, s.chars, lang)),
            kind: symbol_kind(s.kind),
            tags: None,
            deprecated: None,
            range: range(rope, &s.range, enc),
            selection_range: range(rope, &s.selection, enc),
            children: if children.is_empty() {
                None
            } else {
                Some(children)
            },
        }
    }
    o.roots
        .iter()
        .map(|&r| build(o, r, rope, enc, lang))
        .collect()
}

/// For clients without hierarchical symbol support: a flat list with container names.
pub fn symbol_information(
    o: &Outline,
    uri: &Url,
    rope: &Rope,
    enc: Encoding,
) -> Vec<SymbolInformation> {
    o.sections
        .iter()
        .map(|s| {
            #[allow(deprecated)]
            SymbolInformation {
                name: s.name.clone(),
                kind: symbol_kind(s.kind),
                tags: None,
                deprecated: None,
                location: Location::new(uri.clone(), range(rope, &s.range, enc)),
                container_name: s.parent.map(|p| o.sections[p].name.clone()),
            }
        })
        .collect()
}

pub fn folding_ranges(folds: &[Fold]) -> Vec<FoldingRange> {
    folds
        .iter()
        .map(|f| FoldingRange {
            start_line: f.start_line as u32,
            start_character: None,
            end_line: f.end_line as u32,
            end_character: None,
            kind: Some(FoldingRangeKind::Region),
            collapsed_text: Some(f.collapsed_text.clone()),
        })
        .collect()
}
