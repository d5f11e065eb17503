//! `check --format sarif`: SARIF 2.1.0, the format code-review tools and CI dashboards read.
//!
//! One run; the rules are every finding code (`tool.driver.rules`); regions are 1-based lines and
//! columns counted in Unicode code points (`columnKind`), the end column exclusive, as in the
//! human output. A relative input path becomes a URI relative to `%SRCROOT%` (the current
//! directory), an absolute one a `file:` URI. Unreadable inputs are tool execution
//! notifications, and make the invocation unsuccessful.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use ropey::Rope;
use serde_json::{json, Value};

use crate::analysis::finding::{Finding, Language, Severity};
use crate::analysis::rules::all_metas;
use crate::position::to_cli;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters and `/`.
fn encode_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for b in p.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `artifactLocation` of a path as printed by the CLI.
pub fn artifact_location(path: &str) -> Value {
    let p = Path::new(path);
    if p.is_absolute() {
        match url::Url::from_file_path(p) {
            Ok(u) => json!({ "uri": u.as_str() }),
            Err(()) => json!({ "uri": format!("file://{}", encode_path(path)) }),
        }
    } else {
        let rel = path.strip_prefix("./").unwrap_or(path);
        json!({ "uri": encode_path(rel), "uriBaseId": SRCROOT })
    }
}

fn region(rope: &Rope, range: &Range<usize>) -> Value {
    let (line, column) = to_cli(rope, range.start);
    let (end_line, end_column) = to_cli(rope, range.end);
    json!({
        "startLine": line,
        "startColumn": column,
        "endLine": end_line,
        "endColumn": end_column,
    })
}

fn physical(path: &str, rope: &Rope, range: &Range<usize>) -> Value {
    json!({
        "artifactLocation": artifact_location(path),
        "region": region(rope, range),
    })
}

/// One finding as a SARIF `result`; `ropes` holds the other checked files, for related
/// locations there.
pub fn result(
    f: &Finding,
    rope: &Rope,
    path: &str,
    lang: Language,
    ropes: &HashMap<String, Rope>,
    rule_index: &HashMap<&'static str, usize>,
) -> Value {
    let related: Vec<Value> = f
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let (rp, rr) = match &r.file {
                Some(other) => (other.as_ref(), ropes.get(other.as_ref()).unwrap_or(rope)),
                None => (path, rope),
            };
            json!({
                "id": i + 1,
                "physicalLocation": physical(rp, rr, &r.range),
                "message": { "text": r.message.get(lang) },
            })
        })
        .collect();
    let fixes: Vec<Value> = f
        .fixes
        .iter()
        .map(|fix| {
            let replacements: Vec<Value> = fix
                .edits
                .iter()
                .map(|e| {
                    json!({
                        "deletedRegion": region(rope, &e.range),
                        "insertedContent": { "text": e.new_text },
                    })
                })
                .collect();
            json!({
                "description": { "text": fix.title.get(lang) },
                "artifactChanges": [{
                    "artifactLocation": artifact_location(path),
                    "replacements": replacements,
                }],
                // `report-lsp fix` applies only safe fixes.
                "properties": { "safe": fix.safe },
            })
        })
        .collect();
    let mut r = json!({
        "ruleId": f.code,
        "level": level(f.severity),
        "message": { "text": f.message.get(lang) },
        "locations": [{ "physicalLocation": physical(path, rope, &f.range) }],
    });
    let obj = r.as_object_mut().expect("an object");
    if let Some(&i) = rule_index.get(f.code) {
        obj.insert("ruleIndex".into(), json!(i));
    }
    if !related.is_empty() {
        obj.insert("relatedLocations".into(), Value::Array(related));
    }
    if !fixes.is_empty() {
        obj.insert("fixes".into(), Value::Array(fixes));
    }
    if f.severity == Severity::Hint {
        obj.insert("properties".into(), json!({ "severity": "hint" }));
    }
    r
}

/// Rule codes to their index in `tool.driver.rules`.
pub fn rule_index() -> HashMap<&'static str, usize> {
    all_metas()
        .iter()
        .enumerate()
        .map(|(i, m)| (m.code, i))
        .collect()
}

/// The whole log: `results` from [`result`], `unreadable` as (path, reason).
pub fn log(results: Vec<Value>, unreadable: &[(String, String)], lang: Language) -> Value {
    let rules: Vec<Value> = all_metas()
        .iter()
        .map(|m| {
            json!({
                "id": m.code,
                "shortDescription": { "text": match lang {
                    Language::Zh => m.summary_zh,
                    Language::En => m.summary_en,
                } },
                "fullDescription": { "text": m.why },
                "defaultConfiguration": { "level": level(m.default_severity) },
                "properties": { "severity": m.default_severity.as_str() },
            })
        })
        .collect();
    let notifications: Vec<Value> = unreadable
        .iter()
        .map(|(path, reason)| {
            json!({
                "level": "error",
                "message": { "text": format!("cannot read {path}: {reason}") },
                "locations": [{ "physicalLocation": { "artifactLocation": artifact_location(path) } }],
            })
        })
        .collect();
    let mut run = json!({
        "tool": { "driver": {
            "name": "report-lsp",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "rules": rules,
        } },
        "invocations": [{
            "executionSuccessful": unreadable.is_empty(),
            "toolExecutionNotifications": notifications,
        }],
        "language": match lang { Language::Zh => "zh-CN", Language::En => "en-US" },
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    if let Ok(cwd) = std::env::current_dir() {
        if let Ok(mut base) = url::Url::from_directory_path(&cwd) {
            base.set_query(None);
            run.as_object_mut().expect("an object").insert(
                "originalUriBaseIds".into(),
                json!({ SRCROOT: { "uri": base.as_str() } }),
            );
        }
    }
    json!({ "$schema": SCHEMA, "version": "2.1.0", "runs": [run] })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            artifact_location("reports/北京 2023.txt"),
            json!({ "uri": "reports/%E5%8C%97%E4%BA%AC%202023.txt", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            artifact_location("./a#b.txt"),
            json!({ "uri": "a%23b.txt", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            artifact_location("/tmp/报告.txt"),
            json!({ "uri": "file:///tmp/%E6%8A%A5%E5%91%8A.txt" })
        );
    }

    #[test]
    fn levels() {
        assert_eq!(level(Severity::Error), "error");
        assert_eq!(level(Severity::Warning), "warning");
        assert_eq!(level(Severity::Info), "note");
        assert_eq!(level(Severity::Hint), "note");
    }
}
