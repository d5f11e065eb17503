//! The workspace command `report-lsp.listPlaceholders`: every placeholder (`XX`, `（待补充）`, …,
//! see `analysis::rules::placeholder`) of every report file of the workspace, open documents
//! included, so that none reaches print. The editors show the list (VS Code: a quick pick;
//! Neovim: the quickfix list).

use serde_json::{json, Value};

use crate::analysis::rules::placeholder;
use crate::analysis::text::excerpt;
use crate::position::{Encoding, LineIndex};
use crate::workspace::Workspace;

pub const LIST_PLACEHOLDERS_COMMAND: &str = "report-lsp.listPlaceholders";

/// `[{uri, range, text, line}]`, sorted by URI and position; `line` is the line's text (cut to
/// 60 characters) for the list entry. Positions in the negotiated encoding.
pub fn list(ws: &Workspace, encoding: Encoding) -> Value {
    let mut files = ws.files();
    files.sort_by(|a, b| a.uri.cmp(&b.uri));
    let mut out = Vec::new();
    for f in files {
        let found = placeholder::find(&f.text);
        if found.is_empty() {
            continue;
        }
        let index = LineIndex::new(&f.text);
        for p in found {
            let start = index.line_col(&f.text, p.range.start, encoding);
            let end = index.line_col(&f.text, p.range.end, encoding);
            let line_start = f.text[..p.range.start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = f.text[p.range.start..]
                .find('\n')
                .map_or(f.text.len(), |i| p.range.start + i);
            out.push(json!({
                "uri": f.uri.as_ref(),
                "range": {
                    "start": { "line": start.line, "character": start.col },
                    "end": { "line": end.line, "character": end.col },
                },
                "text": p.text,
                "line": excerpt(&f.text[line_start..line_end], 60),
            }));
        }
    }
    Value::Array(out)
}
