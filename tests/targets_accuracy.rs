//! Target detection accuracy over hand-labelled real goal paragraphs
//! (`tests/fixtures/targets/goals.txt`): every labelled target must be found with the right
//! indicator, value, unit and bound (recall), and nothing else reported there (precision).
//! Both must stay at or above 98%. `cargo test --test targets_accuracy -- --nocapture` prints
//! the figures and every miss.

use report_lsp::analysis::targets::{fmt_num, Synonyms, Target};
use report_lsp::analysis::Analysis;

struct Label {
    indicator: String,
    value: f64,
    value_max: Option<f64>,
    unit: String,
    bound: String,
}

struct Block {
    source: String,
    paragraph: String,
    labels: Vec<Label>,
}

fn parse(text: &str) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    for line in text.lines() {
        if let Some(src) = line.strip_prefix("# ") {
            // Comment lines of the header are ASCII; sources start with a place name.
            if !src.starts_with(|c: char| c.is_ascii()) {
                blocks.push(Block {
                    source: src.to_string(),
                    paragraph: String::new(),
                    labels: Vec::new(),
                });
            }
        } else if let Some(p) = line.strip_prefix("> ") {
            if let Some(b) = blocks.last_mut() {
                b.paragraph = p.to_string();
            }
        } else if line.contains('|') {
            let f: Vec<&str> = line.split('|').map(str::trim).collect();
            assert_eq!(f.len(), 4, "bad label line: {line}");
            let (value, value_max) = match f[1].split_once('-') {
                Some((a, b)) => (
                    a.parse().expect("value"),
                    Some(b.parse().expect("value max")),
                ),
                None => (f[1].parse().expect("value"), None),
            };
            if let Some(b) = blocks.last_mut() {
                b.labels.push(Label {
                    indicator: f[0].to_string(),
                    value,
                    value_max,
                    unit: f[2].to_string(),
                    bound: f[3].to_string(),
                });
            }
        }
    }
    blocks
}

fn matches(l: &Label, t: &Target, syn: &Synonyms) -> bool {
    syn.normalize(&l.indicator) == t.indicator
        && (l.value - t.value).abs() < 1e-9
        && l.value_max.map(|v| (v * 1e6).round()) == t.value_max.map(|v| (v * 1e6).round())
        && l.unit == t.unit
        && l.bound == t.bound.id()
}

fn show(t: &Target) -> String {
    format!(
        "{} | {}{} | {} | {}",
        t.indicator_text,
        fmt_num(t.value),
        t.value_max
            .map(|m| format!("-{}", fmt_num(m)))
            .unwrap_or_default(),
        t.unit,
        t.bound.id()
    )
}

#[test]
fn goal_paragraphs_recall_and_precision() {
    let text = std::fs::read_to_string("tests/fixtures/targets/goals.txt").expect("fixture");
    let blocks = parse(&text);
    assert!(blocks.len() >= 15, "{} blocks", blocks.len());
    let syn = Synonyms::builtin();
    let (mut labelled, mut found, mut correct) = (0usize, 0usize, 0usize);
    let mut report = String::new();
    for b in &blocks {
        assert!(!b.paragraph.is_empty(), "{}: no paragraph", b.source);
        let a = Analysis::new(&b.paragraph);
        let targets = a.targets();
        labelled += b.labels.len();
        found += targets.len();
        let mut used = vec![false; targets.len()];
        for l in &b.labels {
            match (0..targets.len()).find(|&k| !used[k] && matches(l, &targets[k], &syn)) {
                Some(k) => {
                    used[k] = true;
                    correct += 1;
                }
                None => report.push_str(&format!(
                    "{}: missed  {} | {} | {} | {}\n",
                    b.source,
                    l.indicator,
                    fmt_num(l.value),
                    l.unit,
                    l.bound
                )),
            }
        }
        for (k, t) in targets.iter().enumerate() {
            if !used[k] {
                report.push_str(&format!("{}: extra   {}\n", b.source, show(t)));
            }
        }
    }
    let recall = correct as f64 / labelled as f64;
    let precision = correct as f64 / found.max(1) as f64;
    println!(
        "targets accuracy: {} paragraphs, {labelled} labelled, {found} found, {correct} correct: recall {:.1}%, precision {:.1}%",
        blocks.len(),
        recall * 100.0,
        precision * 100.0
    );
    print!("{report}");
    assert!(recall >= 0.98, "recall {recall:.3}\n{report}");
    assert!(precision >= 0.98, "precision {precision:.3}\n{report}");
}
