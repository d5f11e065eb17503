//! `ratio-sum`: a structure ratio in percent that does not add up to 100 —
//! `三次产业结构调整为3.1∶40.5∶57.4` sums to 101.0. Rounding is allowed: each part may be off by
//! half its last digit (±0.15 for three parts with one decimal, ±1.5 for three whole numbers).
//! No fix: which part is wrong is not known.

use std::sync::OnceLock;

use regex::Regex;

use crate::analysis::finding::{Finding, Severity};
use crate::analysis::text::to_halfwidth;
use crate::analysis::Analysis;

use super::{finding, Rule, RuleMeta};

pub struct RatioSum;

pub static META: RuleMeta = RuleMeta {
    code: "ratio-sum",
    default_severity: Severity::Warning,
    summary_en: "A structure ratio in percent that does not add up to 100 (`3.1∶40.5∶57.4`).",
    summary_zh: "结构比例之和不等于100（“3.1∶40.5∶57.4”之和为101.0）。",
    why: "Reports give the structure of the economy as a ratio of shares, `三次产业结构为\
          3.1∶40.5∶57.4`; the shares of a whole add up to 100, up to the rounding of each part \
          (half a unit of its last digit: ±0.15 for three parts with one decimal). A sum outside \
          that is a typing or copying error that proofreading services report. The rule reads a \
          ratio of two or more numbers separated by `∶`, `：` or `:` only after a word that \
          makes it a structure (结构, 三次产业, 比重, 比例 within the clause before it), and only \
          when the sum is between 80 and 120 with every part below 100: other ratios (`1∶500`, \
          `配套比例1∶1`) are left alone. Measured over ../shared/corpus-scale/ (753 reports): 1 finding, 1 true \
          (majorcity-chongqing-2007, 12.3∶44.0∶44.7 as published) (tests/verdicts/ratio-sum.tsv).",
    example: "三次产业结构调整为3.1∶40.5∶57.4   ← 之和为101.0",
};

fn regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let n = r"[0-9０-９]+(?:[.．][0-9０-９]+)?";
        Regex::new(&format!(r"{n}(?:[ \u{{3000}}]*[∶：:︰][ \u{{3000}}]*{n})+"))
            .expect("static regex")
    })
}

fn separator() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"[ \u{3000}]*[∶：:︰][ \u{3000}]*").expect("static regex"))
}

const CONTEXT_WORDS: [&str; 5] = ["结构", "三次产业", "比重", "比例", "产业比"];
/// How many characters before the ratio may hold its context word.
const CONTEXT_CHARS: usize = 20;

impl Rule for RatioSum {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, analysis: &Analysis<'_>, out: &mut Vec<Finding>) {
        let text: &str = &analysis.text;
        for line in &analysis.lines {
            let s = &text[line.trimmed()];
            if !s.contains(['∶', '：', ':', '︰']) {
                continue;
            }
            for m in regex().find_iter(s) {
                // The clause before the ratio, up to the last sentence or clause break.
                let before: String = {
                    let head = &s[..m.start()];
                    let clause_start = head.rfind(['。', '；', ';']).map_or(0, |i| {
                        i + head[i..].chars().next().map_or(1, char::len_utf8)
                    });
                    let clause = &head[clause_start..];
                    let n = clause.chars().count();
                    clause
                        .chars()
                        .skip(n.saturating_sub(CONTEXT_CHARS))
                        .collect()
                };
                if !CONTEXT_WORDS.iter().any(|w| before.contains(w)) {
                    continue;
                }
                // A ratio glued to more digits or a decimal point is a time or a version.
                if s[m.end()..].starts_with(|c: char| c.is_ascii_digit() || c == '.') {
                    continue;
                }
                let parts: Vec<(f64, usize)> = separator()
                    .split(m.as_str())
                    .filter_map(|p| {
                        let half: String = p.chars().map(to_halfwidth).collect();
                        let decimals = half.split_once('.').map_or(0, |(_, d)| d.len());
                        Some((half.parse::<f64>().ok()?, decimals))
                    })
                    .collect();
                if parts.len() < 2 || parts.iter().any(|(v, _)| *v >= 100.0) {
                    continue;
                }
                let sum: f64 = parts.iter().map(|(v, _)| v).sum();
                let tolerance: f64 = parts
                    .iter()
                    .map(|(_, d)| 0.5 * 10f64.powi(-(*d as i32)))
                    .sum::<f64>()
                    + 1e-9;
                if !(80.0..=120.0).contains(&sum) || (sum - 100.0).abs() <= tolerance {
                    continue;
                }
                let decimals = parts.iter().map(|(_, d)| *d).max().unwrap_or(0).max(1);
                let shown = format!("{sum:.decimals$}");
                out.push(finding(
                    &META,
                    line.trim_start + m.start()..line.trim_start + m.end(),
                    format!("结构比例之和应为100：“{}”之和为{}", m.as_str(), shown),
                    format!(
                        "the parts of a structure ratio add up to 100: \"{}\" sums to {}",
                        m.as_str(),
                        shown
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rules::testing;

    fn check(text: &str) -> Vec<String> {
        testing::messages(&RatioSum, text)
    }

    #[test]
    fn ratios_that_do_not_add_up() {
        assert_eq!(
            check("三次产业结构调整为3.1∶40.5∶57.4。"),
            ["结构比例之和应为100：“3.1∶40.5∶57.4”之和为101.0"]
        );
        // majorcity-chongqing-2007, as published.
        assert_eq!(
            check("经济结构调整步伐加快。三次产业比重为12.3∶44.0∶44.7。"),
            ["结构比例之和应为100：“12.3∶44.0∶44.7”之和为101.0"]
        );
        // Full-width colon, two parts.
        assert_eq!(check("二三产业比例为45：57").len(), 1);
    }

    #[test]
    fn ratios_that_add_up_or_are_not_structures() {
        let quiet = [
            "三次产业结构调整为3.1∶40.5∶56.4。",
            // Rounding: 100.1 with three one-decimal parts, 101 with three whole parts.
            "三次产业结构为3.1∶40.5∶56.5。",
            "三次产业比例为16∶45∶40。",
            // No structure word in the clause, or other kinds of ratio.
            "会议于9:30开始，比分3:2:1。",
            "产业结构持续优化。按1∶500比例尺测绘地形图。",
            "配套比例1∶1。",
            "三次产业结构为3.1∶40.5∶57.4.1",
        ];
        for t in quiet {
            assert!(check(t).is_empty(), "{t}: {:?}", check(t));
        }
    }
}
