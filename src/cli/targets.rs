//! `targets`: every detected figure of report files as a table, CSV or JSON (schema in
//! docs/cli.md). The editors call it: VS Code renders `--format csv` as a Markdown table, Neovim's
//! `:ReportTargets` reads `--format json` into the quickfix list.

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use ropey::Rope;
use serde_json::{json, Value};

use super::{config_for, read_inputs, InputFile, TargetsArgs, TargetsFormat, EXIT_TROUBLE};
use crate::analysis::finding::Language;
use crate::analysis::targets::Target;
use crate::analysis::Analysis;
use crate::decode::{self, ReadError, MAX_STREAM_BYTES};
use crate::position::to_cli;

/// JSON output schema version; bumped on incompatible changes.
const SCHEMA_VERSION: u32 = 1;

const COLUMNS: [&str; 11] = [
    "file",
    "line",
    "column",
    "kind",
    "period",
    "indicator",
    "direction",
    "value",
    "unit",
    "bound",
    "text",
];

/// One output row, already in strings (the text flattened to one line).
struct Row {
    path: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    target: Target,
    text: String,
    section: Option<String>,
}

impl Row {
    fn cells(&self, lang: Language) -> [String; 11] {
        let t = &self.target;
        [
            self.path.clone(),
            self.line.to_string(),
            self.column.to_string(),
            match lang {
                Language::Zh => t.kind.zh().to_string(),
                Language::En => t.kind.id().to_string(),
            },
            t.period.map(|p| p.label()).unwrap_or_default(),
            t.indicator.clone(),
            match lang {
                Language::Zh => t.direction.zh().to_string(),
                Language::En => t.direction.id().to_string(),
            },
            t.value_label(),
            t.unit.clone(),
            match lang {
                Language::Zh => t.bound.zh().to_string(),
                Language::En => t.bound.id().to_string(),
            },
            self.text.clone(),
        ]
    }

    fn json(&self) -> Value {
        let t = &self.target;
        json!({
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "endLine": self.end_line,
            "endColumn": self.end_column,
            "byteStart": t.range.start,
            "byteEnd": t.range.end,
            "kind": t.kind.id(),
            "period": t.period.map(|p| json!({ "start": p.start, "end": p.end, "label": p.label() })),
            "indicator": t.indicator,
            "indicatorText": t.indicator_text,
            "direction": t.direction.id(),
            "value": t.value,
            "valueMax": t.value_max,
            "unit": t.unit,
            "bound": t.bound.id(),
            "baseline": t.baseline.as_ref().map(|b| json!({ "text": b.text, "year": b.year })),
            "section": self.section,
            "text": self.text,
        })
    }
}

/// The inputs, `-` read from standard input (once) under the name `--stdin-path` gives it.
fn inputs(args: &TargetsArgs) -> Vec<InputFile> {
    let mut stdin_read = false;
    args.files
        .iter()
        .flat_map(|p| {
            if p.as_os_str() != "-" {
                return read_inputs(std::slice::from_ref(p), &args.common);
            }
            if std::mem::replace(&mut stdin_read, true) {
                return Vec::new();
            }
            let mut bytes = Vec::new();
            let result = io::stdin()
                .lock()
                .take(MAX_STREAM_BYTES)
                .read_to_end(&mut bytes)
                .map_err(ReadError::Io)
                .and_then(|_| decode::decode(&bytes).map_err(ReadError::Decode));
            vec![InputFile {
                path: args.stdin_path.clone().unwrap_or_else(|| p.clone()),
                result,
            }]
        })
        .collect()
}

pub fn targets(args: &TargetsArgs) -> ExitCode {
    let inputs = inputs(args);
    let mut warned: Vec<PathBuf> = Vec::new();
    let mut unreadable = 0usize;
    let mut rows: Vec<Row> = Vec::new();
    let mut lang = Language::Zh;
    for input in &inputs {
        let path = input.path.display().to_string();
        let decoded = match &input.result {
            Ok(d) => d,
            Err(e) => {
                unreadable += 1;
                eprintln!("report-lsp: {path}: cannot read: {e}");
                continue;
            }
        };
        let config = config_for(&input.path, &args.common, &mut warned);
        lang = config.language;
        let analysis = Analysis::with_synonyms(&decoded.text, Arc::new(config.synonyms()));
        let rope = Rope::from_str(&decoded.text);
        for t in analysis.targets() {
            let (line, column) = to_cli(&rope, t.range.start);
            let (end_line, end_column) = to_cli(&rope, t.range.end);
            let text = one_line(&decoded.text[t.statement()]);
            let section = t.section.map(|s| analysis.outline.sections[s].name.clone());
            rows.push(Row {
                path: path.clone(),
                line,
                column,
                end_line,
                end_column,
                target: t.clone(),
                text,
                section,
            });
        }
    }
    let mut out = io::stdout().lock();
    match args.format {
        TargetsFormat::Json => {
            let doc = json!({
                "version": SCHEMA_VERSION,
                "targets": rows.iter().map(Row::json).collect::<Vec<_>>(),
            });
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            );
        }
        TargetsFormat::Csv => {
            let _ = writeln!(out, "{}", COLUMNS.join(","));
            for r in &rows {
                let cells = r.cells(lang);
                let line: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
                let _ = writeln!(out, "{}", line.join(","));
            }
        }
        TargetsFormat::Table => write_table(&mut out, &rows, lang),
    }
    let _ = out.flush();
    if unreadable > 0 {
        ExitCode::from(EXIT_TROUBLE)
    } else {
        ExitCode::SUCCESS
    }
}

fn one_line(s: &str) -> String {
    s.split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("")
}

/// RFC 4180: quote fields holding a comma, a quote or a line break.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Terminal columns of a string: CJK and full-width characters take two.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if crate::analysis::text::is_cjk(c)
                || ('\u{3000}'..='\u{303F}').contains(&c)
                || ('\u{FF00}'..='\u{FF60}').contains(&c)
            {
                2
            } else {
                1
            }
        })
        .sum()
}

/// The table's header: the location, then the names of `COLUMNS[3..]`.
fn table_header(lang: Language) -> [&'static str; 9] {
    match lang {
        Language::Zh => [
            "位置", "类型", "时期", "指标", "方向", "数值", "单位", "界限", "原文",
        ],
        Language::En => [
            "location",
            "kind",
            "period",
            "indicator",
            "direction",
            "value",
            "unit",
            "bound",
            "text",
        ],
    }
}

fn write_table(out: &mut impl Write, rows: &[Row], lang: Language) {
    // `file:line:col` first (clickable in terminals), then the columns padded; text last. A
    // header row names the columns (nothing is printed when there is no figure at all).
    if rows.is_empty() {
        return;
    }
    let header = table_header(lang);
    let mut cells: Vec<[String; 11]> = vec![std::array::from_fn(|k| match k {
        0 => header[0].to_string(),
        1 | 2 => String::new(),
        k => header[k - 2].to_string(),
    })];
    cells.extend(rows.iter().map(|r| r.cells(lang)));
    let loc: Vec<String> = cells
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i == 0 {
                c[0].clone()
            } else {
                format!("{}:{}:{}", c[0], c[1], c[2])
            }
        })
        .collect();
    let mut widths = [0usize; 11];
    widths[0] = loc.iter().map(|l| width(l)).max().unwrap_or(0);
    for c in &cells {
        for k in 3..10 {
            widths[k] = widths[k].max(width(&c[k]));
        }
    }
    for (c, l) in cells.iter().zip(&loc) {
        let mut line = pad(l, widths[0]);
        for k in 3..10 {
            line.push_str("  ");
            line.push_str(&pad(&c[k], widths[k]));
        }
        line.push_str("  ");
        line.push_str(&c[10]);
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

fn pad(s: &str, w: usize) -> String {
    let mut p = s.to_string();
    for _ in width(s)..w {
        p.push(' ');
    }
    p
}
