//! `range-notation`: number ranges written against GB/T 15835-2011 (数字用法) and GB/T
//! 15834-2011 (标点符号用法): the first value of a range loses its percent sign or its
//! magnitude (`15~30%` → `15%~30%`, `9~16亿` → `9亿~16亿`), or the range is joined with a hyphen
//! (`7.5-8.0%` → `7.5%～8.0%`). Information, with a safe fix that only writes out what the range
//! already says.

use std::sync::OnceLock;

use regex::Regex;

use crate::analysis::finding::{Edit, Finding, Severity};
use crate::analysis::Analysis;

use super::{finding, safe_fix, Rule, RuleMeta};

pub struct RangeNotation;

pub static META: RuleMeta = RuleMeta {
    code: "range-notation",
    default_severity: Severity::Info,
    summary_en: "A number range against GB/T 15835: `15~30%` → `15%~30%`, `9~16亿` → `9亿~16亿`, \
                 `7.5-8.0%` → `7.5%～8.0%`.",
    summary_zh: "数值范围写法不规范：“15~30%”应为“15%~30%”，“9~16亿”应为“9亿~16亿”，\
                 “7.5-8.0%”应为“7.5%～8.0%”。",
    why: "GB/T 15835-2011 (数字用法) requires both ends of a range of percentages to carry the \
          percent sign (`3%～5%`) and both ends of a range of the same magnitude to carry the \
          magnitude (`3亿～5亿`), and GB/T 15834-2011 (标点符号用法) joins a range of values \
          with the wave dash `～`, not the hyphen, which is for codes, dates and phone numbers. \
          The rule reads ranges whose second value ends in `%`, `万`, `亿` or `万亿`, joined \
          by `~`, `～`, `〜`, `—` (the missing unit only), `-` or `–`. The fix inserts the unit \
          the second value already has and replaces a hyphen with `～`. Measured over ../shared/corpus-scale/ (753 reports): 58 findings (published reports \
          do write 5%-6% and 9—11%); a seeded sample of 25 read: 25 true \
          (tests/verdicts/range-notation.tsv).",
    example: "地区生产总值增长7.5-8.0%   ← 应为“7.5%～8.0%”\n\
              投资9~16亿元   ← 应为“9亿~16亿元”",
};

fn regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let n = r"[0-9０-９]+(?:[.．][0-9０-９]+)?";
        Regex::new(&format!(
            r"(?P<a>{n})(?P<au>[%％]|万亿|万|亿)?(?P<sep>[~～〜—\-–])(?P<b>{n})(?P<bu>[%％]|万亿|万|亿)"
        ))
        .expect("static regex")
    })
}

impl Rule for RangeNotation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, analysis: &Analysis<'_>, out: &mut Vec<Finding>) {
        let text: &str = &analysis.text;
        for line in &analysis.lines {
            let s = &text[line.trimmed()];
            if !s.contains(['~', '～', '〜', '—', '-', '–']) {
                continue;
            }
            for c in regex().captures_iter(s) {
                let (Some(a), Some(sep), Some(bu)) = (c.name("a"), c.name("sep"), c.name("bu"))
                else {
                    continue;
                };
                // The first value must be a whole number, not the tail of a code or a date
                // (`GB/T 15835-2011`, `2021-10%`, `A1-2%`).
                let before = s[..a.start()].chars().next_back();
                if before.is_some_and(|b| {
                    b.is_ascii_alphanumeric()
                        || matches!(b, '.' | '．' | '-' | '–' | '/' | '%' | '％' | '~' | '～')
                        || ('０'..='９').contains(&b)
                }) {
                    continue;
                }
                // `20万-40万元…`: the second value glued to more digits is not a range end.
                if s[c.get(0).map_or(0, |m| m.end())..].starts_with(|ch: char| ch.is_ascii_digit())
                {
                    continue;
                }
                let missing_unit = c.name("au").is_none();
                let hyphen = matches!(sep.as_str(), "-" | "–");
                if !missing_unit && !hyphen {
                    continue;
                }
                let base = line.trim_start;
                // One edit from the end of the first value over the connector: the unit it
                // lacks, then the connector (a hyphen becomes ～).
                let connector = if hyphen { "～" } else { sep.as_str() };
                let unit = c.name("au").unwrap_or(bu).as_str();
                let edits = vec![Edit {
                    range: base + a.end()..base + sep.end(),
                    new_text: format!("{unit}{connector}"),
                }];
                let whole = c.get(0).map_or(0..0, |m| m.range());
                let original = &s[whole.clone()];
                let mut fixed = original.to_string();
                for e in edits.iter().rev() {
                    let r = e.range.start - base - whole.start..e.range.end - base - whole.start;
                    fixed.replace_range(r, &e.new_text);
                }
                let (zh, en) = match (missing_unit, hyphen) {
                    (true, false) => (
                        "数值范围前一个数值的单位不能省略",
                        "both ends of a range carry the unit",
                    ),
                    (false, true) => (
                        "数值范围应使用浪纹线“～”连接",
                        "a range of values is joined with the wave dash ～",
                    ),
                    _ => (
                        "数值范围写法不规范",
                        "range notation: both ends carry the unit, joined with ～",
                    ),
                };
                let f = finding(
                    &META,
                    base + whole.start..base + whole.end,
                    format!("{zh}：“{original}”应为“{fixed}”"),
                    format!("{en}: \"{original}\" should be \"{fixed}\""),
                );
                out.push(Finding {
                    fixes: vec![safe_fix(
                        format!("改为“{fixed}”"),
                        format!("Change to \"{fixed}\""),
                        edits,
                    )],
                    ..f
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rules::testing;

    fn check(text: &str) -> Vec<String> {
        testing::messages(&RangeNotation, text)
    }

    fn fixed(text: &str) -> String {
        testing::fixed(&RangeNotation, text, true)
    }

    #[test]
    fn ranges_against_the_standard() {
        assert_eq!(
            check("城镇化率提高15~30%。"),
            ["数值范围前一个数值的单位不能省略：“15~30%”应为“15%~30%”"]
        );
        assert_eq!(fixed("投资9~16亿元。"), "投资9亿~16亿元。");
        // city-huaihua-2020.
        assert_eq!(
            check("GDP增长7.5-8.0%；"),
            ["数值范围写法不规范：“7.5-8.0%”应为“7.5%～8.0%”"]
        );
        // city-baishan-2020: both signs, joined with a hyphen.
        assert_eq!(fixed("GDP增长5%-6%，"), "GDP增长5%～6%，");
        // majorcity-nanchang-2019: an em dash keeps its dash, the sign is added.
        assert_eq!(fixed("增长8.5—9%；"), "增长8.5%—9%；");
        assert_eq!(fixed("新增2.5—3万人"), "新增2.5万—3万人");
        assert_eq!(fixed("达到1—2万亿元"), "达到1万亿—2万亿元");
        // Fixed text is clean.
        let clean = fixed("增长7.5-8.0%，投资9~16亿元。");
        assert!(check(&clean).is_empty(), "{clean}: {:?}", check(&clean));
    }

    #[test]
    fn standard_ranges_codes_and_dates_are_quiet() {
        let quiet = [
            "增长3%～5%，投资3亿～5亿元，增长7.5%—8%。",
            "依据GB/T 15835-2011执行，2021-2025年规划，1-2月增长5%。",
            "增长3～5个百分点，3~5年，1—2倍。",
            "编号A1-2%，型号X-5万。",
        ];
        for t in quiet {
            assert!(check(t).is_empty(), "{t}: {:?}", check(t));
        }
        // majorcity-jinan-2018: full values joined with hyphens are reported for the hyphen.
        assert_eq!(
            fixed("1.2万-20万元报销60%、20万-40万元报销70%"),
            "1.2万～20万元报销60%、20万～40万元报销70%"
        );
    }
}
