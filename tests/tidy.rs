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
