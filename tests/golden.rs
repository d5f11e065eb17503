//! Golden tests: the outline and the findings of every corpus document, rendered compactly and
//! compared with `tests/golden/*.txt`. Refresh with `UPDATE_EXPECT=1 cargo test --test golden`
//! and review the diff.

use expect_test::expect_file;
use report_lsp::analysis::outline::{Outline, SectionKind};
use report_lsp::analysis::rules::{registry, run, RuleSettings};
use report_lsp::analysis::text::char_len;
use report_lsp::analysis::Analysis;
use report_lsp::decode::read_file;

fn render(path: &str) -> String {
    let decoded = read_file(std::path::Path::new(path)).expect("fixture readable");
    let text = decoded.text;
    let analysis = Analysis::new(&text);
    let mut out = String::from("# outline\n");
    render_sections(&analysis.outline, &analysis.outline.roots, &text, &mut out);
    out.push_str("# findings\n");
    let output = run(&analysis, &RuleSettings::default(), registry());
    assert!(output.failures.is_empty(), "{:?}", output.failures);
    for f in &output.findings {
        let line = text[..f.range.start].matches('\n').count() + 1;
        out.push_str(&format!(
            "L{line} {} {:?} '{}' {}\n",
            f.code,
            f.severity,
            &text[f.range.clone()],
            f.message.zh
        ));
    }
    out
}

fn render_sections(o: &Outline, ids: &[usize], text: &str, out: &mut String) {
    for &i in ids {
        let s = &o.sections[i];
        let kind = match s.kind {
            SectionKind::Title => "title".to_string(),
            SectionKind::ListItem => "item".to_string(),
            SectionKind::Heading => s.family.map(|f| f.id()).unwrap_or("?").to_string(),
        };
        let selection = &text[s.selection.clone()];
        // The selection is shown only when it differs from the name (inline or joined headings).
        let sel = if selection == s.name {
            String::new()
        } else {
            format!(" sel={}chars", char_len(selection))
        };
        out.push_str(&format!(
            "{}{} [{kind}] L{}-{} {}p {}c{sel}\n",
            "  ".repeat(s.depth),
            s.name,
            s.first_line + 1,
            s.last_line + 1,
            s.paragraphs,
            s.chars
        ));
        render_sections(o, &s.children, text, out);
    }
}

macro_rules! golden {
    ($name:ident, $file:literal) => {
        #[test]
        fn $name() {
            let got = render(concat!("tests/fixtures/corpus/", $file, ".txt"));
            expect_file![concat!("golden/", $file, ".txt")].assert_eq(&got);
        }
    };
}

golden!(
    beijing_2017_pasted_8_times,
    "beijing-2017-report-pasted-8-times"
);
golden!(beijing_2020, "beijing-2020-report");
golden!(beijing_2023_from_pdf, "beijing-2023-report-from-pdf");
golden!(beijing_13th_five_year_plan, "beijing-13th-five-year-plan");
golden!(chaoyang_2016_from_web, "chaoyang-2016-report-from-web");

/// Invariants every outline must satisfy, on every corpus file.
#[test]
fn outline_invariants_hold_on_the_corpus() {
    for entry in std::fs::read_dir("tests/fixtures/corpus").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("txt") {
            continue;
        }
        let text = read_file(&path).unwrap().text;
        let a = Analysis::new(&text);
        for s in &a.outline.sections {
            assert!(!s.name.trim().is_empty(), "{path:?}: empty name");
            assert!(
                s.range.start <= s.selection.start && s.selection.end <= s.range.end,
                "{path:?}: {}",
                s.name
            );
            assert!(text.is_char_boundary(s.range.start) && text.is_char_boundary(s.range.end));
            if let Some(p) = s.parent {
                let pr = &a.outline.sections[p].range;
                assert!(
                    pr.start <= s.range.start && s.range.end <= pr.end,
                    "{path:?}: {} escapes its parent",
                    s.name
                );
            }
        }
    }
}
