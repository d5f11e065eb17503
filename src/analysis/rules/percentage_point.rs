//! `percentage-point`: the change between two percentages — `由38.2%提高到40.5%，提高2.3%` —
//! stated in `%` instead of `个百分点` (fix: `2.3个百分点`), or stated in `个百分点` with the wrong
//! difference (`由20.8%降到18.2%，下降3.6个百分点`; no fix: which of the three figures is wrong is
//! not known). Only the explicit pattern `由/从 A% 变到 B%，变 C` is read; a change stated in `%`
//! that is not the difference (a relative change, `由10%提高到15%，提高50%`) is left alone.

use std::sync::OnceLock;

use regex::Regex;

use crate::analysis::finding::{Edit, Finding, Severity};
use crate::analysis::text::to_halfwidth;
use crate::analysis::Analysis;

use super::{finding, safe_fix, Rule, RuleMeta};

pub struct PercentagePoint;

pub static META: RuleMeta = RuleMeta {
    code: "percentage-point",
    default_severity: Severity::Warning,
    summary_en:
        "A change between two percentages stated in `%` instead of `个百分点`, or with the \
                 wrong difference.",
    summary_zh: "两个百分比之间的变化误用“%”（应为“个百分点”），或百分点差值计算有误。",
    why: "The difference between two rates is measured in percentage points: a share rising \
          from 38.2% to 40.5% rises by 2.3 个百分点, not by 2.3% (that would be a relative \
          change to 39.1%). Proofreading services check this and the arithmetic. The rule reads \
          only `由/从 A% 提高/下降到 B%，提高/下降 C…` within one sentence: when C in `%` equals \
          B − A it offers the fix `C个百分点`; when C in `个百分点` differs from B − A by more \
          than C's rounding it reports the difference. Approximate changes (`约`, `左右`), \
          directions that disagree and changes in `%` that are not the difference (relative \
          changes) are left alone. Measured over ../shared/corpus-scale/ (753 reports): 0 findings (the pattern with \
          both rates and the change occurs 3 times, all right) (tests/verdicts/percentage-point.tsv).",
    example: "第三产业比重由38.2%提高到40.5%，提高2.3%。   ← 应为“提高2.3个百分点”\n\
              城镇登记失业率由20.8%降到18.2%，下降3.6个百分点。   ← 相差2.6个百分点",
};

fn regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let n = r"[0-9０-９]+(?:[.．][0-9０-９]+)?";
        let v = r"提高|上升|提升|增加|增长|上涨|扩大|下降|降低|减少|回落|下滑|缩小|升|降";
        Regex::new(&format!(
            r"(?:由|从)[ \u{{3000}}]*(?P<a>{n})[ \u{{3000}}]*[%％][ \u{{3000}}]*(?P<v1>{v})(?:到|至|为)[ \u{{3000}}]*(?P<b>{n})[ \u{{3000}}]*[%％][ \u{{3000}}]*[，,、]?[ \u{{3000}}]*(?P<v2>{v})了?[ \u{{3000}}]*(?P<c>{n})[ \u{{3000}}]*(?P<u>[%％]|个百分点)"
        ))
        .expect("static regex")
    })
}

/// `Some(true)` for a rise, `Some(false)` for a fall.
fn rises(verb: &str) -> Option<bool> {
    match verb {
        "提高" | "上升" | "提升" | "增加" | "增长" | "上涨" | "扩大" | "升" => {
            Some(true)
        }
        "下降" | "降低" | "减少" | "回落" | "下滑" | "缩小" | "降" => Some(false),
        _ => None,
    }
}

/// The value and number of decimals of a number in Arabic or full-width digits.
fn number(s: &str) -> Option<(f64, usize)> {
    let half: String = s.chars().map(to_halfwidth).collect();
    let decimals = half.split_once('.').map_or(0, |(_, d)| d.len());
    Some((half.parse().ok()?, decimals))
}

/// `x` with `decimals` decimals, without trailing zeros beyond them.
fn show(x: f64, decimals: usize) -> String {
    format!("{x:.decimals$}")
}

impl Rule for PercentagePoint {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, analysis: &Analysis<'_>, out: &mut Vec<Finding>) {
        let text: &str = &analysis.text;
        if !text.contains('由') && !text.contains('从') {
            return;
        }
        for line in &analysis.lines {
            let s = &text[line.trimmed()];
            if !s.contains(['%', '％']) {
                continue;
            }
            for c in regex().captures_iter(s) {
                let (Some(a), Some(b), Some(cm), Some(u), Some(v1), Some(v2)) = (
                    c.name("a"),
                    c.name("b"),
                    c.name("c"),
                    c.name("u"),
                    c.name("v1"),
                    c.name("v2"),
                ) else {
                    continue;
                };
                let (Some((a, ad)), Some((b, bd)), Some((cv, cd))) =
                    (number(a.as_str()), number(b.as_str()), number(cm.as_str()))
                else {
                    continue;
                };
                // Directions must agree with each other and with the figures.
                let (Some(up1), Some(up2)) = (rises(v1.as_str()), rises(v2.as_str())) else {
                    continue;
                };
                if up1 != up2 || (b > a) != up1 || a == b {
                    continue;
                }
                // `左右`, `以上`, `多`: an approximate change.
                let after = &s[u.end()..];
                if after.starts_with(['左', '以', '多', '余']) {
                    continue;
                }
                let diff = (b - a).abs();
                let tolerance = 0.5 * 10f64.powi(-(cd as i32)) + 1e-9;
                let matches = (cv - diff).abs() <= tolerance;
                let whole = c.get(0).map_or(0..0, |m| m.range());
                let base = line.trim_start;
                let diff_text = show(diff, ad.max(bd));
                if u.as_str() != "个百分点" {
                    if !matches {
                        continue;
                    }
                    let unit = base + u.start()..base + u.end();
                    let f = finding(
                        &META,
                        base + cm.start()..base + u.end(),
                        format!(
                            "两个百分比之差应以“个百分点”表示：“{}{}”应为“{}个百分点”",
                            cm.as_str(),
                            u.as_str(),
                            cm.as_str()
                        ),
                        format!(
                            "a difference of two percentages is stated in percentage points: \"{}{}\" should be \"{}个百分点\"",
                            cm.as_str(),
                            u.as_str(),
                            cm.as_str()
                        ),
                    );
                    out.push(Finding {
                        fixes: vec![safe_fix(
                            "改为“个百分点”",
                            "Change to 个百分点",
                            vec![Edit {
                                range: unit,
                                new_text: "个百分点".to_string(),
                            }],
                        )],
                        ..f
                    });
                } else if !matches {
                    out.push(finding(
                        &META,
                        base + cm.start()..base + u.end(),
                        format!(
                            "百分点差值有误：“{}”中两者相差{}个百分点，此处为{}个百分点",
                            &s[whole.clone()],
                            diff_text,
                            cm.as_str()
                        ),
                        format!(
                            "wrong difference: in \"{}\" the rates differ by {} percentage points, not {}",
                            &s[whole],
                            diff_text,
                            cm.as_str()
                        ),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rules::testing;

    fn check(text: &str) -> Vec<String> {
        testing::messages(&PercentagePoint, text)
    }

    #[test]
    fn the_issue_examples() {
        let text = "第三产业比重由38.2%提高到40.5%，提高2.3%。\n";
        assert_eq!(
            check(text),
            ["两个百分比之差应以“个百分点”表示：“2.3%”应为“2.3个百分点”"]
        );
        assert_eq!(
            testing::fixed(&PercentagePoint, text, true),
            "第三产业比重由38.2%提高到40.5%，提高2.3个百分点。\n"
        );
        assert_eq!(
            check("城镇登记失业率由20.8%降到18.2%，下降3.6个百分点。"),
            ["百分点差值有误：“由20.8%降到18.2%，下降3.6个百分点”中两者相差2.6个百分点，此处为3.6个百分点"]
        );
    }

    #[test]
    fn right_or_unsure_is_quiet() {
        let quiet = [
            // Right, with rounding to the stated precision.
            "森林覆盖率由55%提高至60%，提高5个百分点。",
            "贫困发生率从33.4%下降到8%，下降25.4个百分点。",
            "比重由38.24%提高到40.51%，提高2.3个百分点。",
            // A relative change in %.
            "不良率由10%提高到15%，提高50%。",
            // Directions that disagree, approximate changes, another subject.
            "由39.6%提高到46.5%，年均提高约1.4个百分点。",
            "由20.8%提高到18.2%，下降2.6个百分点。",
            "由38.2%提高到40.5%，提高2个百分点左右。",
            "从33.4%下降到8%，低于全省5.2个百分点。",
        ];
        for t in quiet {
            assert!(check(t).is_empty(), "{t}: {:?}", check(t));
        }
    }
}
