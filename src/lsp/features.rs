//! Request features over one snapshot: outline, folding, hover, code actions. Each is
//! "convert in → call the core → convert out".

use std::collections::HashMap;

use tower_lsp::lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse, Command,
    DocumentChanges, DocumentSymbolResponse, FoldingRange, Hover, HoverContents, MarkupContent,
    MarkupKind, NumberOrString, OneOf, OptionalVersionedTextDocumentIdentifier, Position,
    TextDocumentEdit, TextEdit, WorkspaceEdit,
};

use super::convert;
use super::documents::Snapshot;
use super::server::IGNORE_DUPLICATE_COMMAND;
use crate::analysis::duplicates::{DUPLICATE_PASSAGE, NEAR_DUPLICATE_PASSAGE};
use crate::analysis::finding::{Edit, Finding, Language, Text};
use crate::analysis::fix;
use crate::analysis::outline::SectionKind;
use crate::analysis::rules::{self, registry};
use crate::analysis::targets::Kind;
use crate::analysis::{folding_ranges as core_folds, Analysis};
use crate::config::Config;

pub fn document_symbols(
    snap: &Snapshot,
    lang: Language,
    hierarchical: bool,
) -> DocumentSymbolResponse {
    let text = snap.text();
    let analysis = Analysis::new(&text);
    if hierarchical {
        DocumentSymbolResponse::Nested(convert::document_symbols(
            &analysis.outline,
            &snap.rope,
            snap.encoding,
            lang,
        ))
    } else {
        DocumentSymbolResponse::Flat(convert::symbol_information(
            &analysis.outline,
            &snap.uri,
            &snap.rope,
            snap.encoding,
        ))
    }
}

pub fn folding_ranges(snap: &Snapshot) -> Vec<FoldingRange> {
    let text = snap.text();
    let analysis = Analysis::new(&text);
    convert::folding_ranges(&core_folds(&analysis))
}

/// Hover on a figure: the target card (see `targets.rs`); on a section heading: a short summary
/// of the section. The document's analysis comes from `cache` (reused while the document is
/// unchanged).
pub fn hover(
    snap: &Snapshot,
    position: Position,
    lang: Language,
    index: &super::targets::TargetsIndex,
    cache: &super::analysis_cache::AnalysisCache,
) -> Option<Hover> {
    let analysis = cache.get(snap, index.synonyms());
    let offset = convert::offset(&snap.rope, position, snap.encoding);
    if let Some(h) = super::targets::hover(snap, &analysis, offset, index, lang) {
        return Some(h);
    }
    let o = &analysis.outline;
    let (_, s) = o
        .sections
        .iter()
        .enumerate()
        .find(|(_, s)| s.selection.start <= offset && offset <= s.selection.end)?;
    let subsections = s
        .children
        .iter()
        .filter(|&&c| o.sections[c].kind == SectionKind::Heading)
        .count();
    let items = s
        .children
        .iter()
        .filter(|&&c| o.sections[c].kind == SectionKind::ListItem)
        .count();
    let (first, last) = (s.first_line + 1, s.last_line + 1);
    let mut body = match lang {
        Language::Zh => format!(
            "**{}**\n\n第{first}–{last}行 · {}段 · {}字",
            s.name, s.paragraphs, s.chars
        ),
        Language::En => format!(
            "**{}**\n\nLines {first}–{last} · {} paragraphs · {} characters",
            s.name, s.paragraphs, s.chars
        ),
    };
    if subsections > 0 {
        body.push_str(&match lang {
            Language::Zh => format!(" · {subsections}个小节"),
            Language::En => format!(" · {subsections} subsections"),
        });
    }
    if items > 0 {
        body.push_str(&match lang {
            Language::Zh => format!(" · {items}个分项"),
            Language::En => format!(" · {items} list items"),
        });
    }
    let figures: Vec<_> = analysis
        .targets()
        .iter()
        .filter(|t| s.range.start <= t.range.start && t.range.end <= s.range.end)
        .collect();
    if !figures.is_empty() {
        let count = |k: Kind| figures.iter().filter(|t| t.kind == k).count();
        let (t, r, p) = (count(Kind::Target), count(Kind::Result), count(Kind::Plan));
        let mut parts = Vec::new();
        for (n, zh, en) in [
            (t, "目标", "targets"),
            (p, "规划目标", "plan goals"),
            (r, "完成数", "results"),
        ] {
            if n > 0 {
                parts.push(match lang {
                    Language::Zh => format!("{n}项{zh}"),
                    Language::En => format!("{n} {en}"),
                });
            }
        }
        body.push_str(&format!(
            " · {}",
            parts.join(match lang {
                Language::Zh => "、",
                Language::En => ", ",
            })
        ));
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: body,
        }),
        range: Some(convert::range(&snap.rope, &s.selection, snap.encoding)),
    })
}

fn wants(only: &Option<Vec<CodeActionKind>>, kind: &CodeActionKind) -> bool {
    match only {
        None => true,
        Some(kinds) => kinds.iter().any(|k| {
            kind.as_str() == k.as_str() || kind.as_str().starts_with(&format!("{}.", k.as_str()))
        }),
    }
}

fn workspace_edit(snap: &Snapshot, edits: Vec<TextEdit>, document_changes: bool) -> WorkspaceEdit {
    if document_changes {
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: snap.uri.clone(),
                    version: Some(snap.version),
                },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            }])),
            ..WorkspaceEdit::default()
        }
    } else {
        WorkspaceEdit {
            changes: Some(HashMap::from([(snap.uri.clone(), edits)])),
            ..WorkspaceEdit::default()
        }
    }
}

/// The edits of "fix all": the first pass's own edits when one pass reaches the fixed point,
/// else one edit spanning the changed middle of the document (still exact, only coarser).
pub fn fix_all_edits(text: &str, config: &Config) -> Option<Vec<Edit>> {
    let all = fix::fix_all(text, &config.rules);
    match all.passes {
        0 => None,
        1 => Some(all.first_pass),
        _ => fix::minimal_edit(text, &all.text).map(|e| vec![e]),
    }
}

pub fn code_actions(
    snap: &Snapshot,
    params: &CodeActionParams,
    config: &Config,
    document_changes: bool,
) -> CodeActionResponse {
    let text = snap.text();
    let analysis = Analysis::new(&text);
    let output = rules::run(&analysis, &config.rules, registry());
    let lang = config.language;
    let requested = convert::byte_range(&snap.rope, params.range, snap.encoding);
    let only = &params.context.only;
    let mut actions: CodeActionResponse = Vec::new();

    if wants(only, &CodeActionKind::QUICKFIX) {
        for f in &output.findings {
            if f.range.start > requested.end || requested.start > f.range.end {
                continue;
            }
            let diagnostic = convert::diagnostic(f, &snap.uri, &snap.rope, snap.encoding, lang);
            for (k, fix) in f.fixes.iter().enumerate() {
                let edits = convert::text_edits(&fix.edits, &snap.rope, snap.encoding);
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title.get(lang).to_string(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    edit: Some(workspace_edit(snap, edits, document_changes)),
                    is_preferred: Some(k == 0),
                    ..CodeAction::default()
                }));
            }
        }
    }

    if wants(only, &CodeActionKind::QUICKFIX) {
        actions.extend(duplicate_actions(snap, params, lang, document_changes));
    }

    if wants(only, &CodeActionKind::QUICKFIX) {
        // "Fix all problems of this rule in the file", once per rule with a finding in range.
        let mut codes: Vec<&'static str> = Vec::new();
        for f in &output.findings {
            let in_range = !(f.range.start > requested.end || requested.start > f.range.end);
            if in_range && !codes.contains(&f.code) && f.fixes.iter().any(|x| x.safe) {
                codes.push(f.code);
            }
        }
        for code in codes {
            let of_rule: Vec<&Finding> =
                output.findings.iter().filter(|f| f.code == code).collect();
            if of_rule.len() < 2 {
                continue;
            }
            let fixes = of_rule
                .iter()
                .flat_map(|f| f.fixes.iter().filter(|x| x.safe).take(1));
            let merged = fix::merge_fixes(&text, fixes);
            if merged.is_empty() {
                continue;
            }
            let title = Text::new(
                format!("修复本文件中全部{}处“{code}”问题", of_rule.len()),
                format!("Fix all {} \"{code}\" problems in this file", of_rule.len()),
            );
            let edits = convert::text_edits(&merged, &snap.rope, snap.encoding);
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: title.get(lang).to_string(),
                kind: Some(CodeActionKind::QUICKFIX),
                edit: Some(workspace_edit(snap, edits, document_changes)),
                ..CodeAction::default()
            }));
        }
    }

    if wants(only, &CodeActionKind::SOURCE_FIX_ALL) {
        if let Some(edits) = fix_all_edits(&text, config) {
            let title = Text::new("修复全部可自动修复的问题", "Fix all auto-fixable problems");
            let edits = convert::text_edits(&edits, &snap.rope, snap.encoding);
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: title.get(lang).to_string(),
                kind: Some(CodeActionKind::SOURCE_FIX_ALL),
                edit: Some(workspace_edit(snap, edits, document_changes)),
                ..CodeAction::default()
            }));
        }
    }
    actions
}

/// Quick fixes of the duplicate diagnostics the client sent along: delete the passage (whole
/// lines), or mark it as intended (its fingerprint, carried in the diagnostic's `data`, goes to
/// `duplicates.ignore` in report-lsp.toml). The other occurrences are the diagnostic's related
/// information, which every client can open.
fn duplicate_actions(
    snap: &Snapshot,
    params: &CodeActionParams,
    lang: Language,
    document_changes: bool,
) -> Vec<CodeActionOrCommand> {
    let mut out = Vec::new();
    for d in &params.context.diagnostics {
        let is_dup = d.source.as_deref() == Some(convert::SOURCE)
            && matches!(&d.code, Some(NumberOrString::String(c))
                if c == DUPLICATE_PASSAGE.code || c == NEAR_DUPLICATE_PASSAGE.code);
        if !is_dup {
            continue;
        }
        let delete = convert::whole_lines(&snap.rope, d.range, snap.encoding);
        let edits = convert::text_edits(
            &[Edit {
                range: delete,
                new_text: String::new(),
            }],
            &snap.rope,
            snap.encoding,
        );
        let title = Text::new("删除这处重复内容", "Delete this duplicate passage");
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: title.get(lang).to_string(),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![d.clone()]),
            edit: Some(workspace_edit(snap, edits, document_changes)),
            ..CodeAction::default()
        }));
        let fingerprint = d
            .data
            .as_ref()
            .and_then(|v| v.get("fingerprint"))
            .and_then(|v| v.as_str());
        if let Some(fp) = fingerprint {
            let title = Text::new(
                "标记为有意重复（记入 report-lsp.toml）",
                "Mark as intended (recorded in report-lsp.toml)",
            );
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: title.get(lang).to_string(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![d.clone()]),
                command: Some(Command {
                    title: title.get(lang).to_string(),
                    command: IGNORE_DUPLICATE_COMMAND.to_string(),
                    arguments: Some(vec![serde_json::Value::String(fp.to_string())]),
                }),
                ..CodeAction::default()
            }));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fix_all_edits_reproduce_the_fixed_text() {
        let config = Config::default();
        let text =
            "一、甲\n正文。\n(一)子\n正文。\n（三）子\n正文。\n(四)子\n正文。\n增长 6.5%。\n";
        let edits = fix_all_edits(text, &config).unwrap();
        let fixed = fix::apply_edits(text, &edits);
        assert_eq!(fixed, fix::fix_all(text, &config.rules).text);
        // Style toward the standard （）; （一）（三）（四） may miss a heading: no renumbering
        // (issue 12).
        assert!(
            fixed.contains("（一）子")
                && fixed.contains("（三）子")
                && fixed.contains("（四）子")
                && fixed.contains("增长6.5%"),
            "{fixed}"
        );
        assert_eq!(fix_all_edits(&fixed, &config), None);
    }
}
