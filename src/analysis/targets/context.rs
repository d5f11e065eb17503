//! What a document says about itself (report year, plan period) and what a section says about
//! the figures in it (result, target or plan; which year).

use super::scan::RawTarget;
use super::{Kind, Period};
use crate::analysis::heading::is_dateline;
use crate::analysis::outline::{Outline, SectionKind};
use crate::analysis::text::{to_halfwidth, Line};

/// The document's own dates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocInfo {
    /// The year a work report is about (its targets' year): from the title, else the dateline
    /// (a December dateline speaks about the next year), else a `20XX年工作回顾` heading + 1.
    pub report_year: Option<u16>,
    /// A five-year plan's period (`第十三个五年规划`, `十三五`, `2016—2020年`).
    pub plan: Option<Period>,
}

/// What a section heading says about the figures under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum SectionSense {
    Review,
    Tasks,
    #[default]
    Neutral,
}

/// A section's sense, year and five-year direction, the innermost heading that says so winning.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct SectionContext {
    sense: SectionSense,
    year: Option<u16>,
    /// `Some(true)`: the past five years; `Some(false)`: the next five.
    five_years: Option<bool>,
}

impl DocInfo {
    pub fn new(text: &str, lines: &[Line], outline: &Outline) -> DocInfo {
        let title = outline
            .sections
            .iter()
            .find(|s| s.kind == SectionKind::Title)
            .map(|s| s.name.as_str())
            .unwrap_or("");
        // Documents without a recognized title: the first short non-blank line.
        let first_line = lines
            .iter()
            .find(|l| !l.is_blank())
            .map(|l| &text[l.trimmed()])
            .filter(|t| t.chars().count() <= 60)
            .unwrap_or("");
        let head = format!("{title}\n{first_line}");
        let plan = plan_period(&head);
        let mut report_year = if plan.is_none() {
            first_year(&head)
        } else {
            None
        };
        if report_year.is_none() && plan.is_none() {
            // The dateline, among the first lines.
            for l in lines.iter().take(30) {
                let t = &text[l.trimmed()];
                if is_dateline(t) {
                    if let Some((y, m)) = year_month(t) {
                        report_year = Some(if m >= 11 { y + 1 } else { y });
                        break;
                    }
                }
            }
        }
        if report_year.is_none() && plan.is_none() {
            for s in &outline.sections {
                if s.kind == SectionKind::Heading && s.name.contains("回顾") {
                    if let Some(y) = first_year(&s.name) {
                        report_year = Some(y + 1);
                        break;
                    }
                }
            }
        }
        DocInfo { report_year, plan }
    }

    /// What every section says, computed once per document (see [`DocInfo::classify`]).
    pub(super) fn section_contexts(outline: &Outline) -> Vec<SectionContext> {
        let mut out: Vec<SectionContext> = Vec::with_capacity(outline.sections.len());
        // Parents come before their children in document order.
        for s in &outline.sections {
            let inherited = s
                .parent
                .and_then(|p| out.get(p).copied())
                .unwrap_or_default();
            let mut c = inherited;
            if s.kind != SectionKind::Title {
                let name = &s.name;
                let sense = section_sense(name);
                if sense != SectionSense::Neutral {
                    c.sense = sense;
                }
                if let Some(y) = first_year(name) {
                    c.year = Some(y);
                }
                if name.contains("五年") || name.contains("十二五") {
                    if name.contains("过去") || name.contains("回顾") {
                        c.five_years = Some(true);
                    } else if name.contains("今后") || name.contains("未来") {
                        c.five_years = Some(false);
                    }
                }
            }
            out.push(c);
        }
        out
    }

    /// Kind and period of a figure standing in `section`. `memo` keeps the keyword verdict of
    /// the last sentence: the figures of one sentence come together, and searching a long
    /// sentence again for each of its figures was quadratic (a 1 MB line of figures took
    /// seconds per thousand figures).
    pub(super) fn classify(
        &self,
        text: &str,
        contexts: &[SectionContext],
        section: Option<usize>,
        raw: &RawTarget,
        memo: &mut Option<(std::ops::Range<usize>, Kind)>,
    ) -> (Kind, Option<Period>) {
        // The innermost heading with something to say decides; its year too.
        let c = section
            .and_then(|i| contexts.get(i).copied())
            .unwrap_or_default();
        let (sense, section_year, five_years) = (c.sense, c.year, c.five_years);
        let sentence = text.get(raw.sentence.clone()).unwrap_or("");
        let kind = match (self.plan, sense) {
            (_, SectionSense::Review) => Kind::Result,
            (Some(_), _) => Kind::Plan,
            (None, SectionSense::Tasks) => Kind::Target,
            (None, SectionSense::Neutral) => match memo {
                Some((r, k)) if *r == raw.sentence => *k,
                _ => {
                    let k = keyword_kind(sentence);
                    *memo = Some((raw.sentence.clone(), k));
                    k
                }
            },
        };
        // A section year in a review heading (`2016年工作回顾`) is the result year; in a task
        // heading (`2017年主要任务`) the target year.
        let period =
            match kind {
                Kind::Plan => self.plan,
                Kind::Result => raw
                    .sentence_year
                    .or(section_year)
                    .map(Period::year)
                    .or_else(|| match (five_years, self.report_year, self.plan) {
                        (Some(true), Some(y), _) => Some(Period {
                            start: y.saturating_sub(5),
                            end: y.saturating_sub(1),
                        }),
                        (_, _, Some(p)) => Some(Period {
                            start: p.start.saturating_sub(5),
                            end: p.start.saturating_sub(1),
                        }),
                        (_, Some(y), _) => Some(Period::year(y.saturating_sub(1))),
                        _ => None,
                    }),
                Kind::Target => section_year.map(Period::year).or_else(|| {
                    match (five_years, self.report_year) {
                        (Some(false), Some(y)) => Some(Period {
                            start: y,
                            end: y + 4,
                        }),
                        (_, Some(y)) => Some(Period::year(y)),
                        _ => raw.sentence_year.map(Period::year),
                    }
                }),
            };
        (kind, period)
    }
}

fn section_sense(name: &str) -> SectionSense {
    const REVIEW: &[&str] = &[
        "回顾",
        "过去",
        "成就",
        "发展基础",
        "新起点",
        "总结",
        "成绩",
        "取得",
        "完成情况",
        "执行情况",
    ];
    const TASKS: &[&str] = &[
        "任务",
        "工作安排",
        "建议",
        "安排",
        "目标",
        "总体要求",
        "思路",
        "重点工作",
        "举措",
        "部署",
        "今后",
        "今年",
        "未来",
    ];
    if REVIEW.iter().any(|w| name.contains(w)) {
        return SectionSense::Review;
    }
    if TASKS.iter().any(|w| name.contains(w)) {
        return SectionSense::Tasks;
    }
    SectionSense::Neutral
}

/// Keywords decide only when no section does.
fn keyword_kind(sentence: &str) -> Kind {
    const TARGET: &[&str] = &["预期目标", "力争", "确保", "目标", "争取", "计划", "将"];
    const RESULT: &[&str] = &[
        "预计",
        "完成",
        "实现了",
        "同比",
        "比上年",
        "过去",
        "累计",
        "已",
    ];
    if TARGET.iter().any(|w| sentence.contains(w)) {
        return Kind::Target;
    }
    if RESULT.iter().any(|w| sentence.contains(w)) {
        return Kind::Result;
    }
    Kind::Target
}

/// The first `19xx`/`20xx` followed by `年` (blanks between allowed: `2023 年`).
pub fn first_year(s: &str) -> Option<u16> {
    let chars: Vec<char> = s
        .chars()
        .map(to_halfwidth)
        .filter(|c| !c.is_whitespace())
        .collect();
    chars.windows(5).find_map(|w| {
        if w[4] == '年' && w[..4].iter().all(char::is_ascii_digit) {
            let y: String = w[..4].iter().collect();
            y.parse::<u16>().ok().filter(|y| (1949..=2100).contains(y))
        } else {
            None
        }
    })
}

/// `2016年12月20日` → (2016, 12).
fn year_month(s: &str) -> Option<(u16, u8)> {
    let y = first_year(s)?;
    let chars: Vec<char> = s
        .chars()
        .map(to_halfwidth)
        .filter(|c| !c.is_whitespace())
        .collect();
    let pos = chars.iter().position(|&c| c == '年')?;
    let digits: String = chars[pos + 1..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let m: u8 = digits.parse().ok()?;
    (chars.get(pos + 1 + digits.len()) == Some(&'月') && (1..=12).contains(&m)).then_some((y, m))
}

/// A five-year plan's period from its title.
fn plan_period(head: &str) -> Option<Period> {
    if !(head.contains("规划") || head.contains("纲要")) {
        return None;
    }
    // `2016—2020年` / `2016-2020年`.
    let chars: Vec<char> = head.chars().map(to_halfwidth).collect();
    for w in chars.windows(9) {
        if w[..4].iter().all(char::is_ascii_digit)
            && matches!(w[4], '—' | '-' | '–' | '~' | '至')
            && w[5..9].iter().all(char::is_ascii_digit)
        {
            let a: String = w[..4].iter().collect();
            let b: String = w[5..9].iter().collect();
            if let (Ok(a), Ok(b)) = (a.parse::<u16>(), b.parse::<u16>()) {
                if a < b && b - a <= 10 {
                    return Some(Period { start: a, end: b });
                }
            }
        }
    }
    // `第十三个五年规划`, `十三五规划`.
    const ORDINALS: &[(&str, u16)] = &[
        ("十五", 15),
        ("十四", 14),
        ("十三", 13),
        ("十二", 12),
        ("十一", 11),
        ("十", 10),
    ];
    for (word, n) in ORDINALS {
        let long = format!("第{word}个五年");
        let short = format!("{word}五");
        if head.contains(&long)
            || head.contains(&format!("“{short}”"))
            || head.contains(&format!("{short}规划"))
        {
            // From the third plan on (1966), each plan starts five years after the previous.
            let start = 1966 + 5 * (n - 3);
            return Some(Period {
                start,
                end: start + 4,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_periods_from_titles() {
        assert_eq!(
            plan_period("北京市国民经济和社会发展第十三个五年规划纲要"),
            Some(Period {
                start: 2016,
                end: 2020
            })
        );
        assert_eq!(
            plan_period("某省“十四五”规划纲要"),
            Some(Period {
                start: 2021,
                end: 2025
            })
        );
        assert_eq!(
            plan_period("规划纲要（2011—2015年）"),
            Some(Period {
                start: 2011,
                end: 2015
            })
        );
        assert_eq!(plan_period("2017年政府工作报告"), None);
    }

    #[test]
    fn years_and_datelines() {
        assert_eq!(first_year("2023 年政府工作报告"), Some(2023));
        assert_eq!(first_year("第十四届"), None);
        assert_eq!(
            year_month("——2016年12月20日在朝阳区第十六届人民代表大会"),
            Some((2016, 12))
        );
    }
}
