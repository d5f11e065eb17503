//! `stale-year`: a year phrase that does not fit the report's own year (read from its text by
//! [`report_year`], never from the file name): `今年是“十四五”规划开局之年` in a report of 2025
//! (2021 opened the plan, 2025 closes it), or `今年（2024年）` in a report of 2025 — the marks
//! a passage copied from last year's report leaves behind. Silent when the report's year is not
//! clear. No fix: whether the year or the phrase is stale is for the drafter to say.

use std::sync::OnceLock;

use regex::Regex;

use crate::analysis::finding::{Finding, Related, Severity, Text};
use crate::analysis::report_year::{evidence, parse_year, plan_named, report_year};
use crate::analysis::Analysis;

use super::{finding, Rule, RuleMeta};

pub struct StaleYear;

pub static META: RuleMeta = RuleMeta {
    code: "stale-year",
    default_severity: Severity::Warning,
    summary_en: "A year phrase inconsistent with the report's year (`今年是“十四五”开局之年` in a \
                 2025 report; `今年（2024年）` in a 2025 report).",
    summary_zh: "年份表述与报告年份不符（2025年的报告写“今年是‘十四五’开局之年”“今年（2024年）”）。",
    why: "Each year's report is drafted from the last one, and a sentence that was right last \
          year (`今年是“十四五”规划开局之年`) is wrong this year. The report's year is read from \
          its own text — the dateline, a title naming the year, or the review and plan headings \
          (`2024年工作回顾` → 2025) — and never from the file name; when those disagree or are \
          missing the rule says nothing. It reads `今年/明年/去年是…“十X五”…开局之年/第一年/\
          收官之年/最后一年` against the plan periods (十五 2001–2005 … 十五五 2026–2030), and \
          `今年（YYYY年）`, `明年（YYYY年）` against the report's year; and, under a dateline (not of \
          a November or December session), review headings that do not name the year before \
          and plan headings that do not name the dateline's year (`2023年工作回顾` under \
          `——2025年1月…`). Measured over ../shared/corpus-scale/ (753 reports): 1 finding, 1 true \
          (province-jiangsu-2003, whose scraped dateline says 2010 over a 2003 report; one false \
          finding of an earlier version is kept in tests/verdicts/stale-year.tsv and stays gone); \
          the 113 phrases `今年/明年/去年是…“十X五”…开局/收官之年` of the corpus all fit their \
          report's year. The report's year: 45 of 45 right on a labelled sample (BENCHMARKS.md).",
    example: "——2025年1月15日在…人民代表大会…会议上\n…\n今年是“十四五”规划开局之年。   ← 本报告为2025年，“十四五”开局之年为2021年",
};

fn plan_phrase() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?P<rel>今年|明年|去年)(?:是|为)[^。；！？\n]{0,40}?[“‘]?(?P<plan>十五五|十四五|十三五|十二五|十一五|十五|九五|八五|七五|六五)[”’]?(?P<gap>[^。；，、！？“”\n]{0,8}?)(?P<kind>开局之年|开局年|起步之年|开篇之年|第一年|收官之年|收官年|最后一年)",
        )
        .expect("static regex")
    })
}

fn explicit_year() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?P<rel>今年|明年|去年)[（(](?P<year>[0-9０-９]{4})年?[）)]")
            .expect("static regex")
    })
}

fn offset(rel: &str) -> i32 {
    match rel {
        "明年" => 1,
        "去年" => -1,
        _ => 0,
    }
}

impl Rule for StaleYear {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, analysis: &Analysis<'_>, out: &mut Vec<Finding>) {
        let text: &str = &analysis.text;
        headings_against_dateline(text, out);
        if !text.contains("今年") && !text.contains("明年") && !text.contains("去年") {
            return;
        }
        let Some(ry) = report_year(text) else {
            return;
        };
        let source = match ry.source.as_str() {
            "dateline" => ("题注日期", "dateline"),
            "title" => ("标题", "title"),
            _ => ("回顾与安排部分的标题", "review and plan headings"),
        };
        for c in plan_phrase().captures_iter(text) {
            let (Some(rel), Some(plan), Some(kind), Some(gap)) =
                (c.name("rel"), c.name("plan"), c.name("kind"), c.name("gap"))
            else {
                continue;
            };
            // `“十四五”时期…也是…开局之年`: another subject between the plan and the word.
            if gap.as_str().contains("也是") || gap.as_str().contains('和') {
                continue;
            }
            let Some(p) = plan_named(plan.as_str()) else {
                continue;
            };
            let opening = !matches!(kind.as_str(), "收官之年" | "收官年" | "最后一年");
            let meant = if opening { p.first } else { p.last };
            let said = ry.year + offset(rel.as_str());
            if said == meant {
                continue;
            }
            let Some(m) = c.get(0) else { continue };
            out.push(finding(
                &META,
                rel.start()..m.end(),
                format!(
                    "年份表述与报告年份不符：本报告为{}年（据{}），“{}”指{}年，而“{}”{}为{}年",
                    ry.year,
                    source.0,
                    rel.as_str(),
                    said,
                    plan.as_str(),
                    if opening { "开局之年" } else { "收官之年" },
                    meant
                ),
                format!(
                    "year phrase inconsistent with the report's year: the report is of {} (from its {}), \"{}\" is {}, but the {} plan {} in {}",
                    ry.year,
                    source.1,
                    rel.as_str(),
                    said,
                    plan.as_str(),
                    if opening { "opened" } else { "closes" },
                    meant
                ),
            ));
        }
        for c in explicit_year().captures_iter(text) {
            let (Some(rel), Some(y), Some(m)) = (c.name("rel"), c.name("year"), c.get(0)) else {
                continue;
            };
            let Some(named) = parse_year(y.as_str()) else {
                continue;
            };
            let said = ry.year + offset(rel.as_str());
            if named == said {
                continue;
            }
            out.push(finding(
                &META,
                m.range(),
                format!(
                    "年份表述与报告年份不符：本报告为{}年（据{}），“{}”应为{}年，此处写{}年",
                    ry.year,
                    source.0,
                    rel.as_str(),
                    said,
                    named
                ),
                format!(
                    "year phrase inconsistent with the report's year: the report is of {} (from its {}), \"{}\" is {}, not {}",
                    ry.year,
                    source.1,
                    rel.as_str(),
                    said,
                    named
                ),
            ));
        }
    }
}

/// Review and plan headings whose year the dateline contradicts: a report read in January
/// 2025 reviews 2024 and plans 2025, so `2023年工作回顾` or `2024年工作安排` under it is left
/// over from last year's report (or the dateline is). November and December sessions are
/// skipped (they may review the current year).
fn headings_against_dateline(text: &str, out: &mut Vec<Finding>) {
    let ev = evidence(text);
    let Some(d) = ev.dateline else {
        return;
    };
    if d.month >= 11 {
        return;
    }
    let dateline = Related {
        file: None,
        range: d.at.0..d.at.1,
        message: Text::new("题注日期", "dateline"),
    };
    let review = ev
        .reviews
        .iter()
        .map(|r| (r, d.year - 1, ("回顾", "review")));
    let plan = ev.plans.iter().map(|p| (p, d.year, ("安排", "plan")));
    for (&(year, at), want, (zh, en)) in review.chain(plan) {
        if year == want {
            continue;
        }
        out.push(Finding {
            related: vec![dateline.clone()],
            ..finding(
                &META,
                at.0..at.1,
                format!(
                    "标题年份与题注日期不符：题注为{}年{}月，{zh}部分应为{want}年，此处为{year}年",
                    d.year, d.month
                ),
                format!(
                    "heading year inconsistent with the dateline ({}-{:02}): the {en} is of {want}, not {year}",
                    d.year, d.month
                ),
            )
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rules::testing;

    fn check(text: &str) -> Vec<String> {
        testing::messages(&StaleYear, text)
    }

    const HEAD_2025: &str =
        "——2025年1月19日在重庆市第六届人民代表大会第三次会议上\n\n一、2024年工作回顾\n\n";

    #[test]
    fn a_phrase_from_an_earlier_report() {
        let text = format!("{HEAD_2025}二、2025年主要任务\n今年是“十四五”规划开局之年。\n");
        assert_eq!(
            check(&text),
            ["年份表述与报告年份不符：本报告为2025年（据题注日期），“今年”指2025年，而“十四五”开局之年为2021年"]
        );
        let text = format!("{HEAD_2025}今年（2024年）全市经济运行稳中向好。\n");
        assert_eq!(
            check(&text),
            ["年份表述与报告年份不符：本报告为2025年（据题注日期），“今年”应为2025年，此处写2024年"]
        );
        // Without a dateline, from the headings: reviews 2015, so the report is of 2016.
        let text = "一、2015年工作回顾\n二、2016年工作安排\n今年是“十二五”收官之年。\n";
        assert_eq!(check(text).len(), 1);
    }

    #[test]
    fn headings_left_from_last_year() {
        let text = "——2025年1月19日在重庆市第六届人民代表大会第三次会议上\n一、2023年工作回顾\n二、2025年主要任务\n";
        assert_eq!(
            check(text),
            ["标题年份与题注日期不符：题注为2025年1月，回顾部分应为2024年，此处为2023年"]
        );
        let f = testing::findings(&StaleYear, text);
        assert_eq!(&text[f[0].range.clone()], "2023");
        assert_eq!(&text[f[0].related[0].range.clone()], "2025");
        // province-heilongjiang-2005: a review heading naming 工作任务 is not a plan heading.
        let text = "2005年黑龙江省政府工作报告\n——2005年1月25日在黑龙江省第十届人民代表大会第四次会议上\n一、以振兴老工业基地为契机，全面完成了2004年的工作任务\n";
        assert!(check(text).is_empty(), "{:?}", check(text));
        // Right headings; a December session reviewing its own year.
        assert!(check(HEAD_2025).is_empty());
        let text = "──2022年12月26日在济南市第十八届人民代表大会第一次会议上\n一、2022年工作回顾\n三、2023年重点工作安排\n";
        assert!(check(text).is_empty());
    }

    #[test]
    fn right_or_unsure_is_quiet() {
        // majorcity-chongqing-2025, as published.
        let text = format!("{HEAD_2025}今年是“十四五”规划收官之年，是现代化新重庆建设的关键之年。\n去年是“十四五”规划承上启下的关键之年。明年是“十五五”开局之年。\n");
        assert!(check(&text).is_empty(), "{:?}", check(&text));
        // Another subject opens the year; the plan is named only in passing.
        let text = format!("{HEAD_2025}今年是“十四五”和全面贯彻党的二十大精神的开局之年。\n今年是“十四五”规划收官之年，也是“十五五”规划谋篇之年。\n");
        assert!(check(&text).is_empty(), "{:?}", check(&text));
        // No year in the text: nothing is judged.
        assert!(check("各位代表：\n今年是“十四五”规划开局之年。\n").is_empty());
        // A December session: 今年 is the year of the dateline.
        let text = "——2020年12月28日在某市第十五届人民代表大会第六次会议上\n明年是“十四五”开局之年。今年（2020年）是“十三五”收官之年。\n";
        assert!(check(text).is_empty(), "{:?}", check(text));
    }
}
