//! Golden tests of the duplicate findings of the five corpus documents, indexed together as
//! one workspace. Refresh with `UPDATE_EXPECT=1 cargo test --test golden_duplicates` and review
//! the diff.

use std::sync::Arc;

use expect_test::expect_file;
use report_lsp::analysis::duplicates::{document_findings, DupSettings, Index};
use report_lsp::analysis::rules::RuleSettings;
use report_lsp::decode::read_file;

const FILES: [&str; 5] = [
    "beijing-13th-five-year-plan",
    "beijing-2017-report-pasted-8-times",
    "beijing-2020-report",
    "beijing-2023-report-from-pdf",
    "chaoyang-2016-report-from-web",
];

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

fn render(name: &str) -> String {
    let docs: Vec<(Arc<str>, Arc<str>)> = FILES
        .iter()
        .map(|f| {
            let path = format!("tests/fixtures/corpus/{f}.txt");
            let text = read_file(std::path::Path::new(&path))
                .expect("fixture")
                .text;
            (
                Arc::from(format!("{f}.txt").as_str()),
                Arc::from(text.as_str()),
            )
        })
        .collect();
    let texts: std::collections::HashMap<String, Arc<str>> = docs
        .iter()
        .map(|(k, t)| (k.to_string(), t.clone()))
        .collect();
    let settings = DupSettings::default();
    let index = Index::bulk(docs, settings.boilerplate_ratio(), 2);
    let key = format!("{name}.txt");
    let text = &texts[&key];
    let mut out = String::new();
    for d in document_findings(&index, &key, &settings, &RuleSettings::default()) {
        let f = &d.finding;
        out.push_str(&format!(
            "L{}-{} {} {}\n",
            line_of(text, f.range.start),
            line_of(text, f.range.end),
            f.code,
            f.message.zh
        ));
        for r in &f.related {
            let file = r
                .file
                .as_deref()
                .map_or_else(|| key.clone(), str::to_string);
            let t = &texts[&file];
            out.push_str(&format!(
                "    -> {file} L{}-{} '{}'\n",
                line_of(t, r.range.start),
                line_of(t, r.range.end),
                t[r.range.clone()]
                    .chars()
                    .take(24)
                    .map(|c| if c == '\n' { '⏎' } else { c })
                    .collect::<String>()
            ));
        }
    }
    out
}

macro_rules! golden {
    ($name:ident, $file:literal) => {
        #[test]
        fn $name() {
            // expect-test reads a missing file as empty: a golden that was never written would
            // pass for a document without findings.
            let path = concat!("tests/golden/duplicates/", $file, ".txt");
            assert!(
                std::env::var_os("UPDATE_EXPECT").is_some() || std::path::Path::new(path).exists(),
                "{path} does not exist: write it with UPDATE_EXPECT=1 and review it"
            );
            expect_file![concat!("golden/duplicates/", $file, ".txt")].assert_eq(&render($file));
        }
    };
}

golden!(pasted_8_times, "beijing-2017-report-pasted-8-times");
golden!(report_2020, "beijing-2020-report");
golden!(report_2023_from_pdf, "beijing-2023-report-from-pdf");
golden!(five_year_plan, "beijing-13th-five-year-plan");
golden!(chaoyang_2016_from_web, "chaoyang-2016-report-from-web");
