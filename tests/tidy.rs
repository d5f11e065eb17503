//! Tidy checks that keep ARCHITECTURE.md's invariants honest: layering, file headers, stdout
//! hygiene, and docs that list every setting and rule.

use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().and_then(|e| e.to_str()) == Some("rs") {
            out.push(path);
        }
    }
}

fn sources() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect()
}

/// Code lines only: a crude filter that drops comment lines so that docs may name things.
fn code_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter(|l| {
        let t = l.trim_start();
        !(t.starts_with("//") || t.starts_with("///") || t.starts_with("//!"))
    })
}

#[test]
fn every_source_file_starts_with_a_module_header() {
    for (path, text) in sources() {
        assert!(
            text.starts_with("//!"),
            "{} has no //! header",
            path.display()
        );
    }
}

#[test]
fn only_lsp_knows_tower_lsp() {
    for (path, text) in sources() {
        if path.starts_with("src/lsp") {
            continue;
        }
        for line in code_lines(&text) {
            assert!(
                !line.contains("tower_lsp") && !line.contains("lsp_types"),
                "{} uses tower-lsp outside src/lsp: {line}",
                path.display()
            );
        }
    }
}

/// Every path a `use` declaration brings in, braces expanded and aliases dropped:
/// `use std::{fs, io::{self, Read as R}};` → `std::fs`, `std::io`, `std::io::Read`. A substring
/// search for `std::fs` would miss the grouped form.
fn use_paths(text: &str) -> Vec<String> {
    let code: Vec<&str> = code_lines(text).collect();
    let code = code.join("\n");
    let mut out = Vec::new();
    for stmt in code.split(';') {
        let Some(start) = stmt.lines().position(|l| {
            let t = l.trim_start();
            t.starts_with("use ") || (t.starts_with("pub") && t.contains(" use "))
        }) else {
            continue;
        };
        let body: String = stmt.lines().skip(start).collect::<Vec<_>>().join(" ");
        let Some(at) = body.find("use ") else {
            continue;
        };
        let path: String = body[at + 4..]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        expand(&path, &mut out);
    }
    out
}

fn expand(path: &str, out: &mut Vec<String>) {
    let path = path.trim().trim_start_matches("::");
    let Some(open) = path.find('{') else {
        let p = path.split(" as ").next().unwrap_or(path).replace(' ', "");
        out.push(p.trim_end_matches("::self").to_string());
        return;
    };
    let prefix = path[..open].replace(' ', "");
    let close = path.rfind('}').unwrap_or(path.len());
    let inner = &path[open + 1..close];
    let (mut depth, mut from) = (0, 0);
    let mut items = Vec::new();
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&inner[from..i]);
                from = i + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[from..]);
    for item in items.into_iter().filter(|i| !i.trim().is_empty()) {
        let item = item.trim();
        if item == "self" {
            out.push(prefix.trim_end_matches("::").to_string());
        } else {
            expand(&format!("{prefix}{item}"), out);
        }
    }
}

#[test]
fn use_paths_expand_groups_and_aliases() {
    let text = "use std::{fs};\nuse std::{\n    collections::HashMap,\n    io::{self, Read as R},\n};\npub(crate) use tokio::sync::mpsc;\n// use std::net;\n";
    assert_eq!(
        use_paths(text),
        vec![
            "std::fs",
            "std::collections::HashMap",
            "std::io",
            "std::io::Read",
            "tokio::sync::mpsc"
        ]
    );
}

#[test]
fn the_core_does_no_io_and_no_async() {
    // Scoped threads for pure parallel computation are allowed; I/O, async and the clock are not.
    const FORBIDDEN: [&str; 8] = [
        "std::fs",
        "std::io",
        "std::net",
        "std::env",
        "std::time",
        "tokio",
        "serde_json",
        "crate::lsp",
    ];
    for (path, text) in sources() {
        if !path.starts_with("src/analysis") {
            continue;
        }
        for line in code_lines(&text) {
            for f in FORBIDDEN {
                assert!(!line.contains(f), "{} uses {f}: {line}", path.display());
            }
        }
        // Grouped imports (`use std::{fs, io}`) name a forbidden module without the substring.
        for used in use_paths(&text) {
            for f in FORBIDDEN {
                let hit = used == f || used.starts_with(&format!("{f}::"));
                assert!(!hit, "{} uses {f}: use {used}", path.display());
            }
        }
    }
}

#[test]
fn nothing_prints_to_stdout_outside_the_cli() {
    for (path, text) in sources() {
        if path.starts_with("src/cli") {
            continue;
        }
        // The protocol itself owns stdout: it is handed to the server in one place.
        let protocol_owner = path == Path::new("src/lsp/mod.rs");
        for line in code_lines(&text) {
            let t = line.trim_start();
            let stdout = t.contains("io::stdout()") && !protocol_owner;
            assert!(
                !(t.starts_with("println!")
                    || t.starts_with("print!")
                    || stdout
                    || t.contains("dbg!(")),
                "{} may write to stdout: {line}",
                path.display()
            );
        }
    }
}

#[test]
fn configuration_docs_list_every_setting_and_rule() {
    let docs = fs::read_to_string("docs/configuration.md").unwrap();
    let schema = report_lsp::config::settings_schema();
    for key in schema.as_object().unwrap().keys() {
        let short = key.trim_start_matches("reportLsp.");
        assert!(
            docs.contains(&format!("`{short}`")),
            "docs/configuration.md lacks `{short}`"
        );
    }
    for rule in report_lsp::analysis::rules::registry() {
        let code = rule.meta().code;
        assert!(
            docs.contains(&format!("`{code}`")),
            "docs/configuration.md lacks rule `{code}`"
        );
    }
}
