//! Golden tests: every figure detected in each corpus document, one line each
//! (`L<line> kind period indicator direction value unit bound 'statement'`), compared with
//! `tests/golden/targets/*.txt`. The goal paragraphs are also hand-labelled in
//! `tests/fixtures/targets/goals.txt` (see `targets_accuracy.rs`). Refresh with
//! `UPDATE_EXPECT=1 cargo test --test targets_golden` and review the diff.

use expect_test::expect_file;
use report_lsp::analysis::Analysis;
use report_lsp::decode::read_file;

fn render(path: &str) -> String {
    let decoded = read_file(std::path::Path::new(path)).expect("fixture readable");
    let text = decoded.text;
    let analysis = Analysis::new(&text);
    let mut out = String::new();
    for t in analysis.targets() {
        let line = text[..t.range.start].matches('\n').count() + 1;
        let statement: String = text[t.statement()]
            .chars()
            .filter(|c| *c != '\n' && *c != '\r')
            .collect();
        out.push_str(&format!(
            "L{line} {} {} {} {} {}{} {}{} '{}'\n",
            t.kind.id(),
            t.period.map_or("-".to_string(), |p| p.label()),
            t.indicator,
            t.direction.id(),
            t.value_label(),
            t.unit,
            t.bound.id(),
            t.baseline
                .as_ref()
                .map(|b| format!(" [base {}]", b.text))
                .unwrap_or_default(),
            statement
        ));
    }
    out
}

macro_rules! golden {
    ($name:ident, $file:literal) => {
        #[test]
        fn $name() {
            let got = render(concat!("tests/fixtures/corpus/", $file, ".txt"));
            expect_file![concat!("golden/targets/", $file, ".txt")].assert_eq(&got);
        }
    };
}

golden!(beijing_2017, "beijing-2017-report-pasted-8-times");
golden!(beijing_2020, "beijing-2020-report");
golden!(beijing_2023, "beijing-2023-report-from-pdf");
golden!(beijing_plan, "beijing-13th-five-year-plan");
golden!(chaoyang_2016, "chaoyang-2016-report-from-web");
