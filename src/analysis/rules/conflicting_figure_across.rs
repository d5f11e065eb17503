//! `conflicting-figure-across-reports`: a result this report gives for a year contradicts the
//! result another report of the same government gives for the same year (`2019年社会消费品零售
//! 总额9975.59亿元` in the 2020 report, `9552亿元` in the 2021 report). The workspace half of
//! `conflicting-figure` (issue 5).
//!
//! Pure: the shells extract each report's comparable results once per content
//! ([`report_results`], keyed by [`report_region`] so that only reports of the same government
//! need extracting) and pass the other reports to [`findings`].

use std::collections::HashMap;

use super::conflicting_figure::{
    direction_key, lead_and_statement, DirectionKey, NOT_ONE_STATEMENT,
};
use super::{finding, RuleMeta, RuleSettings};
use crate::analysis::finding::{Finding, Related, Severity, Text};
use crate::analysis::outline::SectionKind;
use crate::analysis::targets::{
    fmt_num, report_region, Bound, Direction, DocInfo, Kind, Region, Target,
};
use crate::analysis::Analysis;

pub static META: RuleMeta = RuleMeta {
    code: "conflicting-figure-across-reports",
    default_severity: Severity::Hint,
    summary_en: "A result for a year that another report of the same government states differently.",
    summary_zh: "某年的完成情况与同一政府另一份报告所述同一年的数值不一致。",
    why: "The workspace half of `conflicting-figure`. A year's results are restated in later \
          reports and in other drafts of the same report; a preliminary figure later revised \
          (after an economic census, say) or a draft not updated leaves two values for one \
          quantity. It is a separate code so that it can be switched off or re-graded on its \
          own (`\"conflicting-figure-across-reports\" = \"off\"`) — revisions are sometimes \
          expected — and it is information only, because the other report may be the one to \
          fix. Only results are compared (targets of different years legitimately differ), for \
          one explicit year, for the same indicator of the synonym table (with `targets.synonyms`; \
          `check` compares files with the settings of the first one), unit and direction, \
          and only between reports of the same government, read from each report's front \
          matter (title, dateline, speaker, `我代表…人民政府`): Beijing's GDP and a district's \
          are different quantities, so a report that does not name its government is never \
          compared. Values agree when their bounds overlap or one is the other rounded. Not \
          compared: breakdowns (`其中`), averages and cumulative figures (`年均`, `累计`, \
          `五年`), parts of a year, comparisons with the country (`全国`, `高于`), a goal \
          restated in a review (`目标`, `预期`), figures against another base year (`较2015年`). \
          When either report also states a value that agrees, nothing is reported. \
          Demoted to hint (issue 12): on corpus-scale half of its findings gave a figure the \
          wrong year (a term's figure in a later report read as an earlier year's); it goes \
          back to information when the report year and the figure's year come from the text \
          reliably.",
    example: "2019年社会消费品零售总额9552亿元   ← 2019年“社会消费品零售总额”此处为9552亿元，《2020年广州市政府工作报告》为9975.59亿元，前后不一致",
};

/// A result figure of a report that can be compared with other reports.
#[derive(Debug, Clone)]
pub struct ResultFigure {
    pub target: Target,
    /// The statement on one line, at most 60 characters.
    pub quote: String,
}

/// What one report contributes to the comparison.
#[derive(Debug, Clone, Default)]
pub struct ReportResults {
    /// The government it speaks for; `None`: never compared.
    pub region: Option<Region>,
    /// How messages name it (`2023年北京市政府工作报告`), when the text says.
    pub name: Option<String>,
    /// Comparable results, in document order (empty without a region).
    pub figures: Vec<ResultFigure>,
}

/// Another report of the workspace.
pub struct OtherReport<'a> {
    /// Its key for [`Related::file`] (a URI or path, opaque to the core).
    pub file: &'a str,
    /// How to name it when its text does not (a file name).
    pub display: &'a str,
    pub results: &'a ReportResults,
}

/// The comparable results of an analysed report.
pub fn report_results(analysis: &Analysis<'_>) -> ReportResults {
    let text: &str = &analysis.text;
    let Some(region) = report_region(text) else {
        return ReportResults::default();
    };
    let info = DocInfo::new(text, &analysis.lines, &analysis.outline);
    let name = report_name(analysis, &info, &region);
    let figures = analysis
        .targets()
        .iter()
        .filter(|t| comparable(analysis, &region, t))
        // A report is delivered early in its year: a "result" of that year or a later one is a
        // goal in a section whose heading reads like a review (`取得新成效`).
        .filter(|t| match (info.report_year, t.period) {
            (Some(y), Some(p)) => p.end < y,
            _ => true,
        })
        .map(|t| ResultFigure {
            target: t.clone(),
            quote: crate::analysis::text::excerpt(&text[t.statement()], 60),
        })
        .collect();
    ReportResults {
        region: Some(region),
        name,
        figures,
    }
}

/// At most this many other statements are linked from one finding (all are counted).
const RELATED_MAX: usize = 8;

/// The findings on `this` report's results that contradict other reports of its government.
/// Per indicator and year, a report pair is reported only when no value of one agrees with a
/// value of the other.
pub fn findings(
    this: &ReportResults,
    others: &[OtherReport<'_>],
    rules: &RuleSettings,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let (Some(severity), Some(region)) = (rules.severity(&META), this.region.as_ref()) else {
        return out;
    };
    let mut mine: HashMap<Key<'_>, Vec<usize>> = HashMap::new();
    for (i, f) in this.figures.iter().enumerate() {
        mine.entry(key(&f.target)).or_default().push(i);
    }
    // This report's statement → the conflicting statements of other reports.
    let mut conflicts: Vec<Vec<(&OtherReport<'_>, &ResultFigure)>> =
        vec![Vec::new(); this.figures.len()];
    for other in others {
        if !other
            .results
            .region
            .as_ref()
            .is_some_and(|r| r.same_as(region))
        {
            continue;
        }
        let mut theirs: HashMap<Key<'_>, Vec<&ResultFigure>> = HashMap::new();
        for f in &other.results.figures {
            if mine.contains_key(&key(&f.target)) {
                theirs.entry(key(&f.target)).or_default().push(f);
            }
        }
        for (k, b) in &theirs {
            let Some(a) = mine.get(k) else { continue };
            let agreeing = a
                .iter()
                .any(|&i| b.iter().any(|y| agree(&this.figures[i].target, &y.target)));
            if agreeing {
                continue;
            }
            for &i in a {
                conflicts[i].extend(b.iter().map(|y| (other, *y)));
            }
        }
    }
    for (f, found) in this.figures.iter().zip(conflicts) {
        let Some((first, fig)) = found.first() else {
            continue;
        };
        let t = &f.target;
        let year = t.period.map(|p| p.label()).unwrap_or_default();
        let name = |o: &OtherReport<'_>| match &o.results.name {
            Some(n) => format!("《{n}》"),
            None => o.display.to_string(),
        };
        let name_en = |o: &OtherReport<'_>| match &o.results.name {
            Some(n) => n.clone(),
            None => o.display.to_string(),
        };
        let more = found.len() - 1;
        let (more_zh, more_en) = if more > 0 {
            (format!("（另有{more}处不一致）"), format!(" ({more} more)"))
        } else {
            (String::new(), String::new())
        };
        let mut finding = finding(
            &META,
            t.statement(),
            format!(
                "{year}“{}”此处为{}，{}为{}，前后不一致{more_zh}",
                t.indicator,
                shown(t),
                name(first),
                shown(&fig.target)
            ),
            format!(
                "{year} result \"{}\" is {} here but {} in {}{more_en}",
                t.indicator,
                shown_en(t),
                shown_en(&fig.target),
                name_en(first)
            ),
        );
        finding.severity = severity;
        for (o, y) in found.iter().take(RELATED_MAX) {
            finding.related.push(Related {
                file: Some(std::sync::Arc::from(o.file)),
                range: y.target.statement(),
                message: Text::new(
                    format!("{}：“{}”", name(o), y.quote),
                    format!("{}: \"{}\"", name_en(o), y.quote),
                ),
            });
        }
        out.push(finding);
    }
    out
}

/// Indicator, year, unit, direction.
type Key<'a> = (&'a str, u16, &'a str, DirectionKey);

fn key(t: &Target) -> Key<'_> {
    (
        t.indicator.as_str(),
        t.period.map_or(0, |p| p.start),
        t.unit.as_str(),
        direction_key(t.direction),
    )
}

/// Words that make a figure in a review something else than the year's result: a goal restated
/// (`完成年初确定的增长7%左右的预期目标`), a comparison with the country.
const NOT_A_RESULT: [&str; 9] = [
    "目标", "预期", "计划", "力争", "确保", "争取", "全国", "全省", "全球",
];

fn comparable(analysis: &Analysis<'_>, region: &Region, t: &Target) -> bool {
    let text: &str = &analysis.text;
    let Some(period) = t.period else {
        return false;
    };
    if t.kind != Kind::Result
        || period.start != period.end
        || t.indicator_range.is_empty()
        || !analysis.synonyms().is_canonical(&t.indicator)
        || !own_scope(&t.indicator_text, region)
    {
        return false;
    }
    // The words before the statement, in its own line (a heading above says nothing here).
    let (before, statement) = lead_and_statement(text, t);
    let before = before.rsplit('\n').next().unwrap_or("");
    if NOT_ONE_STATEMENT
        .iter()
        .chain(&NOT_A_RESULT)
        .any(|w| statement.contains(w) || before.contains(w))
        || t.indicator_text.starts_with("城乡")
    {
        return false;
    }
    // A change against another base than the year before is not the year's change.
    match &t.baseline {
        None => true,
        Some(b) => b.year.map_or_else(
            || ["上年", "去年", "同期"].iter().any(|w| b.text.contains(w)),
            |y| y + 1 == period.start,
        ),
    }
}

/// Whether an indicator written with a scope word (`全市`, `全省`, `我区`) is the report's own
/// government's: a city report quoting the province's figure is not the city's result.
fn own_scope(indicator: &str, region: &Region) -> bool {
    let mut chars = indicator.chars();
    match (chars.next(), chars.next()) {
        (
            Some('全' | '我' | '本'),
            Some(u @ ('省' | '市' | '区' | '县' | '州' | '盟' | '旗' | '国')),
        ) => region.unit() == Some(u),
        (Some('国'), Some('内')) => false,
        _ => true,
    }
}

/// Values agree when their intervals overlap, allowing for one being the other rounded to its
/// last written digit (`6.47` and `6.5`, `9551.8亿元` and `9552亿元`).
fn agree(a: &Target, b: &Target) -> bool {
    let (a0, a1) = a.interval();
    let (b0, b1) = b.interval();
    let digits = decimals(a).min(decimals(b));
    let tolerance = 0.5 * 10f64.powi(-digits) + 1e-9;
    a0 <= b1 + tolerance && b0 <= a1 + tolerance
}

/// Digits after the decimal point as the figure is written (at most 4).
fn decimals(t: &Target) -> i32 {
    let digits = |v: f64| {
        let s = fmt_num(v);
        s.find('.').map_or(0, |i| (s.len() - i - 1) as i32)
    };
    digits(t.value).max(t.value_max.map_or(0, digits))
}

/// `增长0.7%`, `9552亿元`, `5%以内`.
fn shown(t: &Target) -> String {
    let verb = match t.direction {
        Direction::Increase | Direction::Decrease => t.direction.zh(),
        Direction::Reach | Direction::Keep | Direction::Level => "",
    };
    let (pre, post) = match t.bound {
        Bound::Exact | Bound::Range => ("", ""),
        Bound::About => ("", "左右"),
        Bound::AtLeast => ("", "以上"),
        Bound::AtMost => ("", "以内"),
        Bound::Below => ("低于", ""),
        Bound::Above => ("高于", ""),
    };
    format!("{verb}{pre}{}{}{post}", t.value_label(), t.unit)
}

/// `increase 0.7%`, `9552亿元`, `at most 5%`.
fn shown_en(t: &Target) -> String {
    let verb = match t.direction {
        Direction::Increase | Direction::Decrease => format!("{} ", t.direction.en()),
        Direction::Reach | Direction::Keep | Direction::Level => String::new(),
    };
    let bound = match t.bound {
        Bound::Exact | Bound::Range => String::new(),
        b => format!("{} ", b.en()),
    };
    format!("{verb}{bound}{}{}", t.value_label(), t.unit)
}

/// The report's own title when it names the year and the government, else
/// `{year}年{region}政府工作报告` for a work report with a known year.
fn report_name(analysis: &Analysis<'_>, info: &DocInfo, region: &Region) -> Option<String> {
    let title = analysis
        .outline
        .sections
        .iter()
        .find(|s| s.kind == SectionKind::Title)
        .map(|s| s.name.trim().to_string());
    if let Some(title) = &title {
        let short = region.0.chars().rev().take(3).collect::<Vec<_>>();
        let short: String = short.into_iter().rev().collect();
        if title.contains(&short) && title.chars().any(|c| c.is_ascii_digit()) {
            return Some(title.clone());
        }
    }
    if info.plan.is_some() {
        return None;
    }
    info.report_year
        .map(|y| format!("{y}年{}政府工作报告", region.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results(text: &str) -> ReportResults {
        report_results(&Analysis::new(text))
    }

    /// Findings of `a` against the other reports `bs` (named `b0.txt`, `b1.txt`, …).
    fn check(a: &str, bs: &[&str]) -> Vec<Finding> {
        let this = results(a);
        let others: Vec<(String, ReportResults)> = bs
            .iter()
            .enumerate()
            .map(|(i, b)| (format!("b{i}.txt"), results(b)))
            .collect();
        let others: Vec<OtherReport<'_>> = others
            .iter()
            .map(|(f, r)| OtherReport {
                file: f,
                display: f,
                results: r,
            })
            .collect();
        findings(&this, &others, &RuleSettings::default())
    }

    fn report(year: u16, region: &str, review: &str) -> String {
        format!(
            "{year}年{region}政府工作报告\n各位代表：\n现在，我代表{region}人民政府，向大会报告工作，请予审议。\n一、{}年工作回顾\n{review}\n二、{year}年主要任务\n今年主要预期目标是：地区生产总值增长5%左右。\n",
            year - 1
        )
    }

    #[test]
    fn same_region_same_year_different_results() {
        let a = report(
            2023,
            "北京市",
            "全市地区生产总值增长0.7%，一般公共预算收入增长2%。",
        );
        let b = report(
            2024,
            "北京市",
            "2022年地区生产总值增长0.8%。全市地区生产总值增长5.2%。",
        );
        let got = check(&a, &[&b]);
        assert_eq!(got.len(), 1, "{got:?}");
        let f = &got[0];
        assert_eq!(f.code, "conflicting-figure-across-reports");
        assert_eq!(f.severity, Severity::Hint);
        assert_eq!(&a[f.range.clone()], "全市地区生产总值增长0.7%");
        assert_eq!(
            f.message.zh,
            "2022年“地区生产总值”此处为增长0.7%，《2024年北京市政府工作报告》为增长0.8%，前后不一致"
        );
        assert!(f.message.en.contains("increase 0.8%"), "{}", f.message.en);
        assert_eq!(f.related.len(), 1);
        assert_eq!(f.related[0].file.as_deref(), Some("b0.txt"));
        assert_eq!(&b[f.related[0].range.clone()], "地区生产总值增长0.8%");
        // And the other way round.
        let back = check(&b, &[&a]);
        assert_eq!(back.len(), 1, "{back:?}");
        assert!(back[0].message.zh.contains("此处为增长0.8%"));
    }

    #[test]
    fn levels_revised_after_a_census_are_reported() {
        let a = "——2020年1月15日在广州市第十五届人民代表大会第五次会议上\n各位代表：\n一、2019年工作回顾\n社会消费品零售总额9975.59亿元，增长7.8%。\n";
        let b = "——2021年2月1日在广州市第十五届人民代表大会第六次会议上\n各位代表：\n一、过去五年工作回顾\n2019年社会消费品零售总额9552亿元，商品进出口总值突破1万亿元。\n";
        let got = check(b, &[a]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0]
                .message
                .zh
                .contains("此处为9552亿元，《2020年广州市政府工作报告》为9975.59亿元"),
            "{}",
            got[0].message.zh
        );
    }

    #[test]
    fn agreeing_within_bounds_or_rounding_is_not_reported() {
        let a = report(
            2023,
            "北京市",
            "地区生产总值增长6.47%，一般公共预算收入增长8%以上。",
        );
        let b = report(
            2024,
            "北京市",
            "2022年地区生产总值增长6.5%。2022年一般公共预算收入增长8.6%。",
        );
        assert!(check(&a, &[&b]).is_empty(), "{:?}", check(&a, &[&b]));
        // One statement of the other report agrees: the disagreeing one is not this report's
        // problem.
        let c = report(
            2024,
            "北京市",
            "2022年地区生产总值增长6.5%。2022年地区生产总值增长7%。",
        );
        assert!(check(&a, &[&c]).is_empty());
    }

    #[test]
    fn different_governments_are_never_compared() {
        let city = report(2023, "北京市", "地区生产总值增长0.7%。");
        let district = report(2024, "北京市朝阳区", "2022年地区生产总值增长1.2%。");
        let other_city = report(2024, "天津市", "2022年地区生产总值增长1%。");
        assert!(check(&city, &[&district, &other_city]).is_empty());
        // The same district, named once in full and once by its short name, is compared.
        let district_b = "——2023年1月5日在朝阳区第十六届人民代表大会第三次会议上\n各位代表：\n一、2022年工作回顾\n地区生产总值增长1.5%。\n";
        assert_eq!(check(&district, &[district_b]).len(), 1);
    }

    #[test]
    fn a_report_without_a_named_government_is_never_compared() {
        let unnamed = "政府工作报告\n市长 张三\n各位代表：\n现在，我代表市人民政府，向大会报告工作。\n一、2022年工作回顾\n地区生产总值增长0.7%。\n";
        let named = report(2024, "北京市", "2022年地区生产总值增长0.8%。");
        assert!(results(unnamed).region.is_none());
        assert!(check(unnamed, &[&named]).is_empty());
        assert!(check(&named, &[unnamed]).is_empty());
    }

    #[test]
    fn targets_other_years_and_other_kinds_of_figures_are_not_compared() {
        // Targets of the same year differ from results; the targets sections say 5% both times.
        let a = report(2023, "北京市", "地区生产总值增长0.7%。");
        let b = "2023年北京市政府工作报告\n各位代表：\n现在，我代表北京市人民政府，向大会报告工作。\n一、2023年主要任务\n今年主要预期目标是：地区生产总值增长4.5%以上。\n";
        assert!(check(&a, &[b]).is_empty());
        // Another year.
        let c = report(2025, "北京市", "地区生产总值增长5.2%。");
        assert!(check(&a, &[&c]).is_empty());
        // A goal under a heading that reads like a review is not a result of the report's year.
        let e = "2022年北京市政府工作报告\n各位代表：\n现在，我代表北京市人民政府，向大会报告工作。\n一、推动民生改善取得新成效\n2022年地区生产总值增长6%以上。\n";
        assert!(results(e).figures.is_empty());
        // Averages, cumulative figures, breakdowns, a goal restated, another base year, the
        // country's or the province's figure: none is comparable; only the last figure is.
        let d = report(
            2024,
            "北京市",
            "2022年地区生产总值年均增长6%。\n2022年累计地区生产总值增长3%。\n其中2022年地区生产总值增长2%。\n2022年完成地区生产总值增长6%的预期目标。\n2022年地区生产总值较2015年增长30%。\n2022年全国地区生产总值增长3%。\n2022年全省地区生产总值增长3%。\n2022年地区生产总值增长0.7%。",
        );
        let figures = results(&d).figures;
        let quotes: Vec<&str> = figures.iter().map(|f| f.quote.as_str()).collect();
        assert_eq!(quotes, ["地区生产总值增长0.7%"]);
        assert!(check(&a, &[&d]).is_empty());
    }

    #[test]
    fn switched_off_or_regraded_by_its_own_code() {
        let a = report(2023, "北京市", "地区生产总值增长0.7%。");
        let b = report(2024, "北京市", "2022年地区生产总值增长0.8%。");
        let (ra, rb) = (results(&a), results(&b));
        let others = [OtherReport {
            file: "b.txt",
            display: "b.txt",
            results: &rb,
        }];
        let mut rules = RuleSettings::default();
        rules.overrides.insert("conflicting-figure".into(), None);
        assert_eq!(findings(&ra, &others, &rules).len(), 1);
        rules
            .overrides
            .insert(META.code.into(), Some(Severity::Warning));
        assert_eq!(
            findings(&ra, &others, &rules)[0].severity,
            Severity::Warning
        );
        rules.overrides.insert(META.code.into(), None);
        assert!(findings(&ra, &others, &rules).is_empty());
    }

    #[test]
    fn many_conflicting_copies_are_counted_and_linked_up_to_a_limit() {
        let a = report(2023, "北京市", "地区生产总值增长0.7%。");
        let b = report(2024, "北京市", &"2022年地区生产总值增长0.8%。\n".repeat(10));
        let got = check(&a, &[&b]);
        assert_eq!(got.len(), 1);
        assert!(
            got[0].message.zh.ends_with("（另有9处不一致）"),
            "{}",
            got[0].message.zh
        );
        assert_eq!(got[0].related.len(), RELATED_MAX);
    }
}
