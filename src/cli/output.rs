//! `check` and `outline`: human and JSON renderings (schema in docs/cli.md).

use std::io::{self, Write};
use std::ops::Range;
use std::path::PathBuf;
use std::process::ExitCode;

use ropey::Rope;
use serde_json::{json, Value};

use std::collections::HashMap;
use std::sync::Arc;

use super::{
    config_for, expand_inputs, read_inputs, CheckArgs, CheckFormat, DuplicatesArgs,
    DuplicatesFormat, InputFile, OutlineArgs, OutlineFormat, EXIT_FINDINGS, EXIT_TROUBLE,
};
use crate::analysis::duplicates::{self, DupSettings, Index};
use crate::analysis::finding::{Finding, Language, Severity};
use crate::analysis::outline::{Outline, SectionKind};
use crate::analysis::rules::conflicting_figure_across::{
    self as across, OtherReport, ReportResults,
};
use crate::analysis::rules::{self, registry};
use crate::analysis::targets::{report_region, Synonyms};
use crate::analysis::Analysis;
use crate::decode::Decoded;
use crate::position::to_cli;

/// JSON output schema version; bumped on incompatible changes.
const SCHEMA_VERSION: u32 = 1;

fn span_json(rope: &Rope, range: &Range<usize>) -> Value {
    let (line, column) = to_cli(rope, range.start);
    let (end_line, end_column) = to_cli(rope, range.end);
    json!({
        "line": line, "column": column, "endLine": end_line, "endColumn": end_column,
        "byteStart": range.start, "byteEnd": range.end,
    })
}

fn merge(mut a: Value, b: Value) -> Value {
    if let (Some(a), Value::Object(b)) = (a.as_object_mut(), b) {
        a.extend(b);
    }
    a
}

/// Ropes of the checked files by path, for positions of related locations in other files.
type Ropes = HashMap<String, Rope>;

fn finding_json(f: &Finding, rope: &Rope, path: &str, lang: Language, ropes: &Ropes) -> Value {
    let related: Vec<Value> = f
        .related
        .iter()
        .map(|r| {
            let (rp, rr) = match &r.file {
                Some(other) => (other.to_string(), ropes.get(other.as_ref()).unwrap_or(rope)),
                None => (path.to_string(), rope),
            };
            merge(
                json!({ "path": rp, "message": r.message.get(lang) }),
                span_json(rr, &r.range),
            )
        })
        .collect();
    let fixes: Vec<Value> = f
        .fixes
        .iter()
        .map(|fix| {
            json!({
                "title": fix.title.get(lang),
                "safe": fix.safe,
                "edits": fix.edits.iter().map(|e| merge(json!({ "newText": e.new_text }), span_json(rope, &e.range))).collect::<Vec<_>>(),
            })
        })
        .collect();
    merge(
        json!({
            "code": f.code,
            "severity": f.severity.as_str(),
            "message": f.message.get(lang),
            "related": related,
            "fixes": fixes,
        }),
        span_json(rope, &f.range),
    )
}

/// The decoded text of `input`, or `None` after reporting why it is unreadable: on stderr, and
/// as a JSON entry `{path, error, <list_key>: []}` for the JSON formats.
fn readable<'a>(
    input: &'a InputFile,
    list_key: &str,
    files_json: &mut Vec<Value>,
) -> Option<&'a Decoded> {
    match &input.result {
        Ok(d) => Some(d),
        Err(e) => {
            let path = input.path.display().to_string();
            eprintln!("report-lsp: {path}: cannot read: {e}");
            files_json.push(json!({ "path": path, "error": e.to_string(), list_key: [] }));
            None
        }
    }
}

/// The duplicate index over every readable input, keyed by the path as printed.
fn duplicate_index(inputs: &[InputFile], settings: &DupSettings) -> (Index, Ropes) {
    let docs: Vec<(Arc<str>, Arc<str>)> = inputs
        .iter()
        .filter_map(|i| {
            let d = i.result.as_ref().ok()?;
            Some((
                Arc::from(i.path.display().to_string().as_str()),
                Arc::from(d.text.as_str()),
            ))
        })
        .collect();
    let ropes = docs
        .iter()
        .map(|(k, t)| (k.to_string(), Rope::from_str(t)))
        .collect();
    (Index::bulk(docs, settings.boilerplate_ratio(), 2), ropes)
}

/// The comparable results of every readable input whose government another input shares
/// (only those are extracted), keyed by the path as printed, in input order.
fn cross_report_results(
    inputs: &[InputFile],
    synonyms: &Arc<Synonyms>,
) -> Vec<(String, String, ReportResults)> {
    let regions: Vec<_> = inputs
        .iter()
        .filter_map(|i| {
            let d = i.result.as_ref().ok()?;
            Some((i, d, report_region(&d.text)?))
        })
        .collect();
    regions
        .iter()
        .enumerate()
        .filter(|(k, (_, _, r))| {
            regions
                .iter()
                .enumerate()
                .any(|(j, (_, _, o))| j != *k && o.same_as(r))
        })
        .map(|(_, (i, d, _))| {
            let display = i
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (
                i.path.display().to_string(),
                display,
                across::report_results(&Analysis::with_synonyms(&d.text, synonyms.clone())),
            )
        })
        .collect()
}

pub fn check(args: &CheckArgs) -> ExitCode {
    if let Some(code) = args.only.iter().find(|c| rules::find_meta(c).is_none()) {
        eprintln!("report-lsp: --only: unknown rule code `{code}`");
        return ExitCode::from(EXIT_TROUBLE);
    }
    let inputs = expand_inputs(&args.files, &args.common);
    let mut warned: Vec<PathBuf> = Vec::new();
    let first_config = inputs
        .first()
        .map(|i| config_for(&i.path, &args.common, &mut warned))
        .unwrap_or_default();
    let (index, ropes) = duplicate_index(&inputs, &first_config.duplicates);
    // Switched off in the settings of the first file: nothing extracted for it.
    let cross = match first_config.rules.severity(&across::META) {
        // One synonym table for the comparison across files: the first file's settings.
        Some(_) => cross_report_results(&inputs, &Arc::new(first_config.synonyms())),
        None => Vec::new(),
    };
    let mut out = io::stdout().lock();
    let mut worst: Option<Severity> = None;
    let mut unreadable = 0usize;
    let mut counts = [0usize; 4];
    let mut files_json = Vec::new();
    let mut sarif_results = Vec::new();
    let mut sarif_unreadable = Vec::new();
    let sarif_rules = super::sarif::rule_index();
    for input in &inputs {
        let path = input.path.display().to_string();
        let Some(decoded) = readable(input, "findings", &mut files_json) else {
            unreadable += 1;
            if let Err(e) = &input.result {
                sarif_unreadable.push((path, e.to_string()));
            }
            continue;
        };
        let config = config_for(&input.path, &args.common, &mut warned);
        let analysis = Analysis::with_synonyms(&decoded.text, Arc::new(config.synonyms()));
        let mut output = rules::run(&analysis, &config.rules, registry());
        for failure in &output.failures {
            eprintln!(
                "report-lsp: {path}: rule {} failed: {}",
                failure.code, failure.message
            );
        }
        output.findings.extend(
            duplicates::document_findings(&index, &path, &config.duplicates, &config.rules)
                .into_iter()
                .map(|d| d.finding),
        );
        if let Some((_, _, this)) = cross.iter().find(|(p, _, _)| *p == path) {
            let others: Vec<OtherReport<'_>> = cross
                .iter()
                .filter(|(p, _, _)| *p != path)
                .map(|(p, display, results)| OtherReport {
                    file: p,
                    display,
                    results,
                })
                .collect();
            output
                .findings
                .extend(across::findings(this, &others, &config.rules));
        }
        output.findings.sort_by(|a, b| {
            (a.range.start, a.range.end, a.code).cmp(&(b.range.start, b.range.end, b.code))
        });
        if !args.only.is_empty() {
            output
                .findings
                .retain(|f| args.only.iter().any(|c| c == f.code));
        }
        let rope = ropes
            .get(&path)
            .cloned()
            .unwrap_or_else(|| Rope::from_str(&decoded.text));
        let lang = config.language;
        for f in &output.findings {
            counts[f.severity as usize] += 1;
            worst = worst.max(Some(f.severity));
        }
        match args.format {
            CheckFormat::Human => {
                if !args.by_position {
                    // Stable: document order within each severity.
                    output
                        .findings
                        .sort_by_key(|f| std::cmp::Reverse(f.severity));
                }
                for f in &output.findings {
                    let (line, col) = to_cli(&rope, f.range.start);
                    let _ = writeln!(
                        out,
                        "{}:{line}:{col}: {}[{}] {}",
                        for_terminal(&path),
                        f.severity.as_str(),
                        f.code,
                        for_terminal(f.message.get(lang))
                    );
                    for r in &f.related {
                        let rr = r
                            .file
                            .as_ref()
                            .and_then(|k| ropes.get(k.as_ref()))
                            .unwrap_or(&rope);
                        let (rl, rc) = to_cli(rr, r.range.start);
                        let rp = r
                            .file
                            .as_deref()
                            .map_or_else(|| path.clone(), str::to_string);
                        let _ = writeln!(
                            out,
                            "    {}:{rl}:{rc}: note: {}",
                            for_terminal(&rp),
                            for_terminal(r.message.get(lang))
                        );
                    }
                }
            }
            CheckFormat::Sarif => {
                sarif_results.extend(
                    output
                        .findings
                        .iter()
                        .map(|f| super::sarif::result(f, &rope, &path, lang, &ropes, &sarif_rules)),
                );
            }
            CheckFormat::Json => {
                files_json.push(json!({
                    "path": path,
                    "encoding": decoded.encoding.label(),
                    "findings": output.findings.iter().map(|f| finding_json(f, &rope, &path, lang, &ropes)).collect::<Vec<_>>(),
                }));
            }
        }
    }
    let summary = json!({
        "files": inputs.len(),
        "unreadable": unreadable,
        "error": counts[Severity::Error as usize],
        "warning": counts[Severity::Warning as usize],
        "info": counts[Severity::Info as usize],
        "hint": counts[Severity::Hint as usize],
    });
    match args.format {
        CheckFormat::Sarif => {
            let doc = super::sarif::log(sarif_results, &sarif_unreadable, first_config.language);
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            );
        }
        CheckFormat::Json => {
            let doc = json!({ "version": SCHEMA_VERSION, "files": files_json, "summary": summary });
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            );
        }
        CheckFormat::Human => {
            eprintln!(
                "{}",
                summary_line(first_config.language, inputs.len(), &counts, unreadable)
            );
        }
    }
    let _ = out.flush();
    if unreadable > 0 {
        return ExitCode::from(EXIT_TROUBLE);
    }
    match (args.fail_on.threshold(), worst) {
        (Some(t), Some(w)) if w >= t => ExitCode::from(EXIT_FINDINGS),
        _ => ExitCode::SUCCESS,
    }
}

/// The summary `check` prints on stderr, in the language of its findings.
fn summary_line(lang: Language, files: usize, counts: &[usize; 4], unreadable: usize) -> String {
    let total: usize = counts.iter().sum();
    let [hint, info, warning, error] = [
        counts[Severity::Hint as usize],
        counts[Severity::Info as usize],
        counts[Severity::Warning as usize],
        counts[Severity::Error as usize],
    ];
    match lang {
        Language::Zh => format!(
            "report-lsp：{files} 个文件，{total} 处问题：错误 {error}，警告 {warning}，信息 {info}，提示 {hint}{}",
            if unreadable > 0 { format!("；{unreadable} 个文件无法读取") } else { String::new() }
        ),
        Language::En => format!(
            "report-lsp: {files} file(s), {total} finding(s): {error} error, {warning} warning, {info} info, {hint} hint{}",
            if unreadable > 0 { format!(", {unreadable} unreadable") } else { String::new() }
        ),
    }
}

fn kind_str(k: SectionKind) -> &'static str {
    match k {
        SectionKind::Title => "title",
        SectionKind::Heading => "heading",
        SectionKind::ListItem => "item",
    }
}

fn section_json(o: &Outline, i: usize, rope: &Rope) -> Value {
    let s = &o.sections[i];
    json!({
        "name": s.name,
        "kind": kind_str(s.kind),
        "family": s.family.map(|f| f.id()),
        "number": s.number,
        "depth": s.depth,
        "range": span_json(rope, &s.range),
        "selection": span_json(rope, &s.selection),
        "paragraphs": s.paragraphs,
        "chars": s.chars,
        "children": s.children.iter().map(|&c| section_json(o, c, rope)).collect::<Vec<_>>(),
    })
}

fn write_tree(out: &mut impl Write, o: &Outline, ids: &[usize], lang: Language) {
    for &i in ids {
        let s = &o.sections[i];
        let detail = match lang {
            Language::Zh => format!("{}段 {}字", s.paragraphs, s.chars),
            Language::En => format!("{} paragraphs, {} chars", s.paragraphs, s.chars),
        };
        let _ = writeln!(
            out,
            "{}{}  [L{}-{}; {detail}]",
            "  ".repeat(s.depth),
            s.name,
            s.first_line + 1,
            s.last_line + 1
        );
        write_tree(out, o, &s.children, lang);
    }
}

pub fn outline(args: &OutlineArgs) -> ExitCode {
    let inputs = read_inputs(&args.files, &args.common);
    let mut warned = Vec::new();
    let mut out = io::stdout().lock();
    let mut unreadable = 0;
    let mut files_json = Vec::new();
    let many = inputs.len() > 1;
    for input in &inputs {
        let path = input.path.display().to_string();
        let Some(decoded) = readable(input, "sections", &mut files_json) else {
            unreadable += 1;
            continue;
        };
        let config = config_for(&input.path, &args.common, &mut warned);
        let analysis = Analysis::new(&decoded.text);
        let o = &analysis.outline;
        match args.format {
            OutlineFormat::Tree => {
                if many {
                    let _ = writeln!(out, "== {path}");
                }
                write_tree(&mut out, o, &o.roots, config.language);
            }
            OutlineFormat::Json => {
                let rope = Rope::from_str(&decoded.text);
                files_json.push(json!({
                    "path": path,
                    "encoding": decoded.encoding.label(),
                    "sections": o.roots.iter().map(|&r| section_json(o, r, &rope)).collect::<Vec<_>>(),
                }));
            }
        }
    }
    if let OutlineFormat::Json = args.format {
        let doc = json!({ "version": SCHEMA_VERSION, "files": files_json });
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&doc).unwrap_or_default()
        );
    }
    let _ = out.flush();
    if unreadable > 0 {
        ExitCode::from(EXIT_TROUBLE)
    } else {
        ExitCode::SUCCESS
    }
}

/// A short excerpt of a passage for listings.
fn excerpt(text: &str, max_chars: usize) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    let mut out: String = one_line.chars().take(max_chars).collect();
    if one_line.chars().count() > max_chars {
        out.push('…');
    }
    out
}

/// `duplicates`: clusters of duplicate passages across the given folders and files.
pub fn duplicates(args: &DuplicatesArgs) -> ExitCode {
    let inputs = expand_inputs(&args.paths, &args.common);
    let mut warned: Vec<PathBuf> = Vec::new();
    let config = args
        .paths
        .first()
        .map(|p| config_for(p, &args.common, &mut warned))
        .unwrap_or_default();
    let mut unreadable = 0;
    for i in &inputs {
        if let Err(e) = &i.result {
            unreadable += 1;
            eprintln!("report-lsp: {}: cannot read: {e}", i.path.display());
        }
    }
    let (index, ropes) = duplicate_index(&inputs, &config.duplicates);
    let clusters = duplicates::clusters(&index, &config.duplicates);
    let lang = config.language;
    let mut out = io::stdout().lock();
    let mut clusters_json = Vec::new();
    for (n, c) in clusters.iter().enumerate() {
        let mut members = Vec::new();
        for m in &c.members {
            let Some(file) = index.file(m.file) else {
                continue;
            };
            let (first, last) = (index.para(m.first), index.para(m.last));
            let range = first.start as usize..last.end as usize;
            let text = file.text.get(range.clone()).unwrap_or("");
            let path = file.key.to_string();
            let Some(rope) = ropes.get(&path) else {
                continue;
            };
            members.push(merge(
                json!({
                    "path": path,
                    "paragraphs": m.paragraphs,
                    "text": excerpt(text, 80),
                }),
                span_json(rope, &range),
            ));
        }
        let pct = (c.similarity * 100.0).floor();
        match args.format {
            DuplicatesFormat::Human => {
                let head = match lang {
                    Language::Zh => format!("#{} 相似度{pct}%，{}处", n + 1, members.len()),
                    Language::En => format!("#{} {pct}% similar, {} places", n + 1, members.len()),
                };
                let _ = writeln!(out, "{head}");
                for m in &members {
                    let _ = writeln!(
                        out,
                        "    {}:{}-{}: {}",
                        m["path"].as_str().unwrap_or(""),
                        m["line"],
                        m["endLine"],
                        m["text"].as_str().unwrap_or("")
                    );
                }
            }
            DuplicatesFormat::Json => clusters_json.push(json!({
                "similarity": (c.similarity * 1000.0).round() / 1000.0,
                "paragraphs": c.members.iter().map(|m| m.paragraphs).max().unwrap_or(1),
                "members": members,
            })),
        }
    }
    let files = inputs.len() - unreadable;
    match args.format {
        DuplicatesFormat::Json => {
            let doc = json!({
                "version": SCHEMA_VERSION,
                "clusters": clusters_json,
                "summary": { "files": files, "unreadable": unreadable, "clusters": clusters.len() },
            });
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            );
        }
        DuplicatesFormat::Human => eprintln!(
            "report-lsp: {files} file(s), {} duplicate cluster(s)",
            clusters.len()
        ),
    }
    let _ = out.flush();
    if files == 0 {
        ExitCode::from(EXIT_TROUBLE)
    } else {
        ExitCode::SUCCESS
    }
}

/// Report text (quoted in messages) and file names made safe for a terminal: control characters
/// other than tab (an ESC opening an escape sequence, a carriage return overwriting the line,
/// C1 controls) are shown escaped, as `\u{1b}`.
pub fn for_terminal(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() && c != '\t') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() && c != '\t' {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}
