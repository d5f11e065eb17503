//! `conflicting-figure`: one report gives the same indicator, for the same period and of the
//! same kind (target, result, plan goal), two values that cannot both hold (`增长6.5%左右` here,
//! `增长7%左右` there). Built on the figures of [`crate::analysis::targets`].

use std::collections::HashMap;

use crate::analysis::finding::{Finding, Related, Severity, Text};
use crate::analysis::targets::{Bound, Direction, Kind, Period, Target};
use crate::analysis::Analysis;

use super::{finding, Rule, RuleMeta};

pub struct ConflictingFigure;

static META: RuleMeta = RuleMeta {
    code: "conflicting-figure",
    default_severity: Severity::Warning,
    summary_en: "One indicator, period and kind given two incompatible values in one report.",
    summary_zh: "同一报告中同一指标、同一时期、同一类型的数值前后不一致。",
    why: "A goal is often stated twice — in the summary of the year's goals and again in the \
          section that carries it out — and one of the two is not updated when the figure \
          changes during drafting. Values are compared with their bounds: `6%以上` and `6.5%左右` \
          agree, `6.5%左右` and `7%左右` do not. Figures whose indicator is not written out, \
          breakdowns introduced by `其中`, averages and cumulative figures (`年均`, `累计`), parts of a \
          year, different units or directions are not compared; only goals (targets and plan \
          goals, in a sentence that states a goal) are, since result figures of one period come \
          in too many breakdowns to compare safely; and only \
          the well-known indicators of the synonym table (and the `targets.synonyms` setting) \
          are compared, because names extracted from free prose are too loose.",
    example: "今年主要预期目标是：地区生产总值增长6.5%左右……\n稳增长的目标是：地区生产总值增长7%左右   ← 2023年目标“地区生产总值”前文为6.5%左右，此处为7%左右，数值不一致",
};

fn compatible(a: &Target, b: &Target, strict: bool) -> bool {
    // Two goals with the same kind of bound are one statement written twice: any other value
    // is a conflict even where the intervals overlap (`1100万人以上` and `1000万人以上`).
    if strict && a.bound == b.bound {
        return (a.value - b.value).abs() < 1e-9 && a.value_max == b.value_max;
    }
    let (a0, a1) = a.interval();
    let (b0, b1) = b.interval();
    // A tolerance for rounding of the same figure (6.5 and 6.50).
    let eps = 1e-9;
    a0 <= b1 + eps && b0 <= a1 + eps
}

type Key<'a> = (&'a str, Period, Kind, &'a str, DirectionKey, bool);

/// Direction as a hashable key (a figure `保持在` and one `达到` both state a level).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum DirectionKey {
    Change(bool),
    Level,
}

pub(super) fn direction_key(d: Direction) -> DirectionKey {
    match d {
        Direction::Increase => DirectionKey::Change(true),
        Direction::Decrease => DirectionKey::Change(false),
        Direction::Reach | Direction::Keep | Direction::Level => DirectionKey::Level,
    }
}

/// The characters just before the statement and the statement itself.
pub(super) fn lead_and_statement<'t>(text: &'t str, t: &Target) -> (String, &'t str) {
    let start = t.statement().start;
    let before: String = text[..start]
        .chars()
        .rev()
        .take(16)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    (before, &text[t.statement()])
}

/// Words that make a figure something else than one statement of the period's value (see
/// [`not_comparable`]).
pub(super) const NOT_ONE_STATEMENT: [&str; 16] = [
    "其中",
    "包括",
    "年均",
    "平均",
    "累计",
    "五年",
    "两年",
    "三年",
    "季度",
    "上半年",
    "月份",
    "比全国",
    "高于",
    "低于",
    "城乡",
    "分别",
];

/// Figures that are not one statement of the period's value: a breakdown (`其中2022年…`), an
/// average or cumulative rate (`年均`, `累计`, `两年平均`), a part of a year (`一季度`, `上半年`),
/// a comparison (`比全国高`), or one of a 城乡 pair.
fn not_comparable(text: &str, t: &Target) -> bool {
    let (before, statement) = lead_and_statement(text, t);
    NOT_ONE_STATEMENT
        .iter()
        .any(|w| statement.contains(w) || before.contains(w))
        || t.indicator_text.starts_with("城乡")
}

/// Whether the statement's paragraph states a goal, not a result or a comparison.
fn in_goal_sentence(analysis: &Analysis<'_>, t: &Target) -> bool {
    let i = super::line_index(&analysis.lines, t.range.start);
    let Some(line) = analysis.lines.get(i) else {
        return false;
    };
    let s = &analysis.text[line.trimmed()];
    // Only an explicit statement of goals: `预期目标是`, `目标任务`. Sentences with `要`,
    // `确保` also carry last year's results, which the period classification cannot always
    // tell apart.
    let Some(k) = s.find("目标").or_else(|| s.find("预期")) else {
        return false;
    };
    // A yearly goal in a paragraph about a five-year plan may be the plan's goal.
    if t.kind == Kind::Target
        && [
            "五年",
            "十一五",
            "十二五",
            "十三五",
            "十四五",
            "十五五",
            "规划",
        ]
        .iter()
        .any(|w| s.contains(w))
    {
        return false;
    }
    // The goal word comes before the figure, in the same line, and no `到20xx年` milestone
    // of a multi-step plan stands between them.
    let at = t.range.start.saturating_sub(line.trim_start);
    k < at && !s[k..at.min(s.len())].contains("到20")
}

impl Rule for ConflictingFigure {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, analysis: &Analysis<'_>, out: &mut Vec<Finding>) {
        let text: &str = &analysis.text;
        let mut first: HashMap<Key<'_>, Vec<(&Target, bool)>> = HashMap::new();
        for t in analysis.targets() {
            let Some(period) = t.period else { continue };
            // Only indicators of the synonym table: free-form names extracted from prose
            // (`分别增加学位`) are too loose to compare.
            let Some(indicator) = goal_indicator(analysis, t) else {
                continue;
            };
            if t.indicator_range.is_empty()
                || !matches!(t.kind, Kind::Target | Kind::Plan)
                || not_comparable(text, t)
            {
                continue;
            }
            // The first statement must be an explicit goal (`预期目标是`); a later one may also
            // be the goal restated where it is carried out (`要确保城镇调查失业率控制在…`).
            let explicit = in_goal_sentence(analysis, t);
            let restated = restated_goal(analysis, t);
            if !explicit && !restated {
                continue;
            }
            // Values of the same bound compared strictly (see `compatible`) only between goals
            // stated in so many words: figures merely near a goal word are too often last
            // year's results.
            let strict = (stated_goal(analysis, t) || restated) && t.kind == Kind::Target;
            let key = (
                indicator,
                period,
                t.kind,
                t.unit.as_str(),
                direction_key(t.direction),
                // A point value and a bound are different kinds of statement.
                matches!(t.bound, Bound::Exact | Bound::About),
            );
            let seen = first.entry(key).or_default();
            // Compare with the first statement this one disagrees with; report each pair once.
            if let Some(&(other, _)) = seen
                .iter()
                .find(|(o, o_strict)| !compatible(o, t, strict && *o_strict))
            {
                let quote = |x: &Target| text[x.statement()].to_string();
                let shown = |x: &Target| format!("{}{}{}", x.value_label(), x.unit, x.bound.zh());
                let mut f = finding(
                    &META,
                    t.statement(),
                    format!(
                        "{}{}“{}”前文为{}，此处为{}，数值不一致",
                        period.label(),
                        t.kind.zh(),
                        indicator,
                        shown(other),
                        shown(t)
                    ),
                    format!(
                        "{} {} \"{}\" is {} earlier but {} here",
                        period.label(),
                        t.kind.en(),
                        indicator,
                        shown(other),
                        shown(t)
                    ),
                );
                f.related.push(Related {
                    file: None,
                    range: other.statement(),
                    message: Text::new(
                        format!("前文：“{}”", quote(other)),
                        format!("earlier: \"{}\"", quote(other)),
                    ),
                });
                out.push(f);
            }
            if explicit {
                seen.push((t, strict && stated_goal(analysis, t)));
            }
        }
    }
}

/// Modal words that the figure scanner may leave at the head of an indicator
/// (`要确保城镇调查失业率`).
const GOAL_LEADS: [&str; 7] = ["要确保", "确保", "力争", "努力", "要", "全年", "今年"];

/// The canonical indicator of a goal, with a modal lead word removed; `None` when it is not
/// a well-known indicator of the synonym table.
fn goal_indicator<'t>(analysis: &Analysis<'_>, t: &'t Target) -> Option<&'t str> {
    let syn = analysis.synonyms();
    if syn.is_canonical(&t.indicator) {
        return Some(&t.indicator);
    }
    let mut name = t.indicator.as_str();
    while let Some(rest) = GOAL_LEADS.iter().find_map(|w| name.strip_prefix(w)) {
        name = rest;
    }
    (name.len() < t.indicator.len() && syn.is_canonical(name)).then_some(name)
}

/// The sentence holding the figure, up to the figure (from the previous `。！？` or the line
/// start).
fn sentence_before<'t>(analysis: &'t Analysis<'_>, t: &Target) -> &'t str {
    let i = super::line_index(&analysis.lines, t.range.start);
    let Some(line) = analysis.lines.get(i) else {
        return "";
    };
    let head = &analysis.text[line.trim_start..t.range.start.max(line.trim_start)];
    let from = head.rfind(['。', '！', '？']).map_or(0, |k| {
        k + head[k..].chars().next().map_or(0, char::len_utf8)
    });
    &head[from..]
}

/// A goal stated in so many words: its own sentence says `预期目标`, `目标是` (a sentence of
/// last year's results that merely mentions a goal elsewhere in the line is not one).
fn stated_goal(analysis: &Analysis<'_>, t: &Target) -> bool {
    let s = sentence_before(analysis, t);
    [
        "预期目标",
        "目标是",
        "预期指标",
        "主要目标",
        "目标任务是",
        "预期性指标",
    ]
    .iter()
    .any(|w| s.contains(w))
}

/// A goal restated where it is carried out: a sentence that opens with `要确保` or `确保` (`要确保城镇调查失业率控制在5%左右，城镇新增就业…`), without words of a past result.
/// A sentence opening otherwise (`举全市之力支持曹妃甸…，确保…`: a sub-area's goal) is not.
fn restated_goal(analysis: &Analysis<'_>, t: &Target) -> bool {
    let s = sentence_before(analysis, t);
    // Not `力争`: `力争松山湖R&D投入强度达10%，…GDP增长10%` is a sub-area's goal
    // (majorcity-dongguan-2024).
    let opens = ["要确保", "确保"]
        .iter()
        .any(|w| s.trim_start().starts_with(w));
    let past = [
        "去年",
        "上年",
        "过去",
        "完成",
        "实现了",
        "取得",
        "回顾",
        "以来",
    ]
    .iter()
    .any(|w| s.contains(w));
    opens && !past && t.kind == Kind::Target
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rules::testing;

    fn check(text: &str) -> Vec<String> {
        testing::quoted(&ConflictingFigure, text)
    }

    const HEAD: &str = "2023年政府工作报告\n各位代表：\n一、2023年主要任务\n";

    #[test]
    fn the_same_target_with_two_values() {
        let text = format!("{HEAD}今年经济社会发展主要预期目标是：地区生产总值增长6.5%左右。\n（一）稳增长\n稳增长的目标是：地区生产总值增长7%左右，城镇调查失业率控制在5%以内。\n");
        let got = check(&text);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains("前文为6.5%左右，此处为7%左右"), "{got:?}");
    }

    #[test]
    fn compatible_or_different_figures_are_not_conflicts() {
        // Same value repeated; a bound that contains the other; another unit; a breakdown.
        let text = format!("{HEAD}今年主要预期目标是：地区生产总值增长6.5%左右，一般公共预算收入增长4%以上。\n（一）稳增长\n确保地区生产总值增长6.5%左右，一般公共预算收入增长4.5%左右，地区生产总值达到4.5万亿元。\n新增免减退缓税费5300亿元，其中小微企业减税降费2000亿元。\n");
        assert!(check(&text).is_empty(), "{:?}", check(&text));
    }

    /// Issue 12's planted conflicts in a national report: a goal restated later with another
    /// value of the same bound, with the indicator read as `要确保城镇调查失业率` and `控制在`.
    #[test]
    fn planted_conflicts_of_a_restated_goal_are_found() {
        let text = "2023年政府工作报告\n各位代表：\n二、2023年经济社会发展总体要求和政策取向\n今年发展主要预期目标是：国内生产总值增长5%左右；城镇新增就业1100万人以上，城镇调查失业率5.5%左右；居民消费价格涨幅3%左右。\n三、对今年政府工作的建议\n（一）着力扩大国内需求。正文。\n（二）稳就业。要确保城镇调查失业率控制在5%左右，城镇新增就业1000万人以上。\n";
        let got = check(text);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(
            got.iter()
                .any(|g| g.contains("前文为5.5%左右，此处为5%左右")),
            "{got:?}"
        );
        assert!(
            got.iter()
                .any(|g| g.contains("“城镇新增就业”前文为1100万人以上")
                    && g.contains("此处为1000万人以上")),
            "{got:?}"
        );
        assert!(got[0].contains("目标“城镇调查失业率”"), "{got:?}");
    }

    /// Different quantities are not compared: last year's result restated, a sub-area's goal.
    #[test]
    fn last_years_results_and_sub_areas_are_not_restated_goals() {
        let text = "2023年政府工作报告\n各位代表：\n二、2023年主要任务\n今年发展主要预期目标是：城镇新增就业1100万人以上，城镇调查失业率5.5%左右。\n（二）稳就业。去年确保城镇调查失业率控制在5.6%，城镇新增就业1206万人。\n";
        assert!(check(text).is_empty(), "{:?}", check(text));
    }

    /// corpus-scale false alarms of a first version: last year's result near a goal word
    /// (city-zhenjiang-2021), a sub-area's goal (majorcity-tangshan-2019).
    #[test]
    fn results_near_goal_words_and_sub_area_goals_are_not_compared() {
        let text = "2021年政府工作报告\n各位代表：\n一、2020年工作回顾\n全年完成预期目标，地区生产总值增长3%，城镇登记失业率控制在1.8%以内。\n二、2021年主要目标\n今年主要预期目标是：城镇新增就业5万人，城镇登记失业率控制在3%以内。\n";
        assert!(check(text).is_empty(), "{:?}", check(text));
        let text = "2019年政府工作报告\n各位代表：\n二、2019年主要任务\n今年主要预期目标是：地区生产总值增长7%左右，固定资产投资增长7%以上。\n四是沿海板块进位突破。举全市之力支持曹妃甸高质量发展，确保年内地区生产总值增长9%，固定资产投资增长10%以上。\n";
        assert!(check(text).is_empty(), "{:?}", check(text));
    }

    /// majorcity-dongguan-2024: 松山湖's GDP goal is not the city's.
    #[test]
    fn a_sub_area_goal_opening_with_lizheng_is_not_compared() {
        let text = "2024年政府工作报告\n各位代表：\n二、2024年主要任务\n2024年全市经济社会发展的主要预期目标为：地区生产总值增长5%；规上工业增加值增长6%。\n（三）科创\n力争松山湖R&D投入强度达10%，规上工业企业研发机构覆盖率达80%，地区生产总值增长10%。\n";
        assert!(check(text).is_empty(), "{:?}", check(text));
    }
}
