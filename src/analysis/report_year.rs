//! The report's own year, read from its text — never from the file name, which is often the
//! year of the session rather than of the text (a report read on 2022-12-26 is filed as 2023).
//!
//! [`report_year`] returns the year the report is *delivered in*: the year its `今年` denotes
//! (a report read in December calls the coming year `明年`). The evidence, strongest first:
//!
//! 1. the dateline under the title: `——2021年1月29日在…人民代表大会…会议上`,
//!    `（二〇二三年二月九日在…）`, `2022年1月9日在…` (Arabic, full-width or Chinese digits);
//! 2. a title naming the year: `2012年东莞市政府工作报告`;
//! 3. the short headings of the review and of the plan: `一、2019年工作回顾` (→ 2020),
//!    `二、2020年工作安排` (→ 2020).
//!
//! Evidence that disagrees (a review heading two years before the dateline, two review years)
//! makes the answer `None`: callers treat `None` as "do not judge years in this report".
//!
//! Also the fixed data of the five-year plans (`六五` 1981–1985 … `十五五` 2026–2030), see
//! [`plan_named`] and [`plan_of_year`].

use std::sync::OnceLock;

use regex::Regex;

use super::text::{char_len, is_blank_char};

/// The year of a report and where it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportYear {
    /// The year the report is delivered in, which its `今年` denotes.
    pub year: i32,
    pub source: YearSource,
    /// Byte range of the evidence (the dateline's or title's date, or the heading's year).
    pub at: (usize, usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearSource {
    /// The date under the title (`——2021年1月29日在…会议上`).
    Dateline,
    /// A title that names the year (`2012年…政府工作报告`).
    Title,
    /// The headings of the review (`2019年工作回顾` → 2020) and/or of the plan
    /// (`2020年工作安排`).
    Headings,
}

impl YearSource {
    pub fn as_str(self) -> &'static str {
        match self {
            YearSource::Dateline => "dateline",
            YearSource::Title => "title",
            YearSource::Headings => "headings",
        }
    }
}

/// One five-year plan period (fixed data).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FiveYearPlan {
    /// The short name without quotes: `十四五`.
    pub name: &'static str,
    /// 14 for the 14th plan.
    pub ordinal: u32,
    pub first: i32,
    pub last: i32,
}

/// The five-year plans from the sixth (1981–1985) to the fifteenth (2026–2030). From the fourth
/// plan on, the periods follow each other without a gap.
pub const FIVE_YEAR_PLANS: [FiveYearPlan; 10] = [
    plan("六五", 6),
    plan("七五", 7),
    plan("八五", 8),
    plan("九五", 9),
    plan("十五", 10),
    plan("十一五", 11),
    plan("十二五", 12),
    plan("十三五", 13),
    plan("十四五", 14),
    plan("十五五", 15),
];

const fn plan(name: &'static str, ordinal: u32) -> FiveYearPlan {
    let first = 1971 + 5 * (ordinal as i32 - 4);
    FiveYearPlan {
        name,
        ordinal,
        first,
        last: first + 4,
    }
}

/// The plan called `name` (`十四五`, without quotes).
pub fn plan_named(name: &str) -> Option<&'static FiveYearPlan> {
    FIVE_YEAR_PLANS.iter().find(|p| p.name == name)
}

/// The plan whose period contains `year`.
pub fn plan_of_year(year: i32) -> Option<&'static FiveYearPlan> {
    FIVE_YEAR_PLANS
        .iter()
        .find(|p| (p.first..=p.last).contains(&year))
}

/// A four-digit year written with Arabic, full-width or Chinese positional digits
/// (`2021`, `２０２１`, `二〇二一`, `二○二一`), between 1949 and 2100.
pub fn parse_year(s: &str) -> Option<i32> {
    let mut n = 0i32;
    let mut count = 0;
    for c in s.chars() {
        let d = match c {
            '0'..='9' => c as i32 - '0' as i32,
            '０'..='９' => c as i32 - '０' as i32,
            '〇' | '○' | '零' | 'Ｏ' | 'O' | 'o' => 0,
            '一' => 1,
            '二' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => return None,
        };
        n = n * 10 + d;
        count += 1;
    }
    (count == 4 && (1949..=2100).contains(&n)).then_some(n)
}

/// Characters of a year digit, for the regexes.
const YEAR_DIGIT: &str = "[0-9０-９〇○零ＯO一二三四五六七八九]";

fn date_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(&format!(
            r"({d}{{4}})[ \u{{3000}}]*年[ \u{{3000}}]*([0-9０-９一二三四五六七八九十]{{1,2}})[ \u{{3000}}]*月([ \u{{3000}}]*[0-9０-９一二三四五六七八九十]{{1,3}}[ \u{{3000}}]*日)?",
            d = YEAR_DIGIT
        ))
        .expect("static regex")
    })
}

fn year_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(&format!(r"({d}{{4}})[ \u{{3000}}]*年", d = YEAR_DIGIT)).expect("static regex")
    })
}

/// How many non-blank lines from the top may hold the title and dateline.
const HEAD_LINES: usize = 12;
/// `——2021年1月29日在广州市第十五届人民代表大会第六次会议上` is 33 characters.
const DATELINE_MAX_CHARS: usize = 60;
/// Headings are short; longer lines are body text whose years mean anything.
const HEADING_MAX_CHARS: usize = 40;

const REVIEW_WORDS: [&str; 6] = ["回顾", "工作情况", "总结", "成效", "成就", "取得"];
const PLAN_WORDS: [&str; 10] = [
    "工作安排",
    "主要任务",
    "重点工作",
    "工作任务",
    "目标任务",
    "工作建议",
    "总体要求",
    "工作思路",
    "形势任务",
    "重点任务",
];

/// The year the report is delivered in, or `None` when the text does not say it clearly.
pub fn report_year(text: &str) -> Option<ReportYear> {
    let Evidence {
        dateline,
        title,
        reviews,
        plans,
    } = evidence(text);
    let review = single(&reviews);
    let plan_year = single(&plans);
    // Two different review (or plan) years: the text is not one report's.
    let headings_agree = !(review == Some(None) || plan_year == Some(None));
    let review = review.flatten();
    let plan_year = plan_year.flatten();

    if let Some(Dateline { year, month, at }) = dateline {
        // A December session reviews the current year; otherwise the previous one.
        let review_ok = review.is_none_or(|(r, _)| r == year - 1 || (month >= 11 && r == year));
        let plan_ok = plan_year.is_none_or(|(p, _)| p == year || (month >= 11 && p == year + 1));
        return (headings_agree && review_ok && plan_ok).then_some(ReportYear {
            year,
            source: YearSource::Dateline,
            at,
        });
    }
    if !headings_agree {
        return None;
    }
    if let Some((year, at)) = title {
        let ok =
            review.is_none_or(|(r, _)| r == year - 1) && plan_year.is_none_or(|(p, _)| p == year);
        return ok.then_some(ReportYear {
            year,
            source: YearSource::Title,
            at,
        });
    }
    let year = match (review, plan_year) {
        (Some((r, _)), Some((p, _))) if p == r + 1 => p,
        (Some(_), Some(_)) => return None,
        (Some((r, _)), None) => r + 1,
        (None, Some((p, _))) => p,
        (None, None) => return None,
    };
    let at = plan_year.or(review).map(|(_, at)| at)?;
    Some(ReportYear {
        year,
        source: YearSource::Headings,
        at,
    })
}

/// The date under the title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dateline {
    pub year: i32,
    pub month: u32,
    /// Byte range of the year.
    pub at: (usize, usize),
}

/// A year and the byte range where it is written.
pub type YearAt = (i32, (usize, usize));

/// Every piece of evidence [`report_year`] weighs, for callers that need to see where they
/// disagree (`stale-year` reports a review heading that a dateline contradicts).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence {
    pub dateline: Option<Dateline>,
    /// A year in a title line naming 工作报告.
    pub title: Option<YearAt>,
    /// The year of each review heading (`2019年工作回顾`), in order.
    pub reviews: Vec<YearAt>,
    /// The year of each plan heading (`2020年工作安排`), in order.
    pub plans: Vec<YearAt>,
}

/// The dateline, title and heading years of `text`.
pub fn evidence(text: &str) -> Evidence {
    let lines = nonblank_lines(text);
    let head = &lines[..lines.len().min(HEAD_LINES)];

    let dateline = head.iter().find_map(|&(start, s)| {
        let m = date_re().captures(s)?;
        let y = m.get(1)?;
        // The date opens the line (after dashes, brackets or the title it is glued to): a
        // sentence such as `本届政府2003年1月就职，…会议…` is not a dateline.
        let before = s[..y.start()]
            .trim_end_matches(|c: char| {
                is_blank_char(c) || matches!(c, '—' | '―' | '─' | '-' | '（' | '(' | '：' | ':')
            })
            .trim_end_matches('在')
            .trim_end_matches(['—', '―', '─', '-']);
        let whole = m.get(0)?;
        // `（2010年1月22日 秦光荣）`, `2012年4月19日在宁波市` (the session on the next line).
        let dated_short =
            m.get(3).is_some() && (s[whole.end()..].starts_with('在') || char_len(s) <= 24);
        let looks_like_dateline = s.contains("会议")
            || s.contains("代表大会")
            || s.contains("人大")
            || dated_short
            || super::heading::is_dateline(s);
        let placed = before.is_empty()
            || before.ends_with("报告")
            || before.ends_with("会议上")
            || before.ends_with("大会上");
        if !placed
            || char_len(s) > DATELINE_MAX_CHARS
            || !looks_like_dateline
            || date_re().captures_iter(s).count() != 1
        {
            return None;
        }
        let month = parse_month(m.get(2)?.as_str())?;
        Some((
            parse_year(y.as_str())?,
            month,
            (start + y.start(), start + y.end()),
        ))
    });
    let title = head.iter().take(3).find_map(|&(start, s)| {
        if char_len(s) > HEADING_MAX_CHARS || !s.contains("工作报告") {
            return None;
        }
        let y = year_re().captures(s)?.get(1)?;
        Some((
            parse_year(y.as_str())?,
            (start + y.start(), start + y.end()),
        ))
    });
    let (reviews, plans) = heading_years(&lines);
    Evidence {
        dateline: dateline.map(|(year, month, at)| Dateline { year, month, at }),
        title,
        reviews,
        plans,
    }
}

/// `(start, trimmed text)` of each non-blank line.
fn nonblank_lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for raw in text.split_inclusive(['\n', '\r']) {
        let content = raw.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_start_matches(is_blank_char);
        let lead = content.len() - trimmed.len();
        let trimmed = trimmed.trim_end_matches(is_blank_char);
        if !trimmed.is_empty() {
            out.push((start + lead, trimmed));
        }
        start += raw.len();
    }
    out
}

fn parse_month(s: &str) -> Option<u32> {
    let n = super::numeral::parse_chinese(s).or_else(|| super::numeral::parse_arabic(s))?;
    (1..=12).contains(&n).then_some(n)
}

/// The years of the review headings and of the plan headings (short lines naming exactly one
/// year and a review or plan word).
fn heading_years(lines: &[(usize, &str)]) -> (Vec<YearAt>, Vec<YearAt>) {
    let mut reviews = Vec::new();
    let mut plans = Vec::new();
    for &(start, s) in lines {
        // `2035年远景目标` is a horizon, not the plan of the year.
        if char_len(s) > HEADING_MAX_CHARS
            || s.contains('。')
            || !s.contains('年')
            || s.contains("远景")
            || s.contains("以来")
        {
            continue;
        }
        let years: Vec<YearAt> = year_re()
            .captures_iter(s)
            .filter_map(|c| {
                let m = c.get(1)?;
                Some((
                    parse_year(m.as_str())?,
                    (start + m.start(), start + m.end()),
                ))
            })
            .collect();
        let Some(&first) = years.first() else {
            continue;
        };
        if years.iter().any(|(y, _)| *y != first.0) {
            continue;
        }
        // `全面完成了2004年的工作任务` looks back, `全面完成2006年的各项任务` ahead, and
        // `全面完成2003年各项…` could be either: only `完成了` is read.
        let done = s.contains("完成了");
        if s.contains("完成") && !done {
            continue;
        }
        let is_review = done || REVIEW_WORDS.iter().any(|w| s.contains(w));
        let is_plan = !done && PLAN_WORDS.iter().any(|w| s.contains(w));
        match (is_review, is_plan) {
            (true, false) => reviews.push(first),
            (false, true) => plans.push(first),
            _ => {}
        }
    }
    (reviews, plans)
}

/// `None`: no value; `Some(None)`: several different values; `Some(Some(v))`: one value (the
/// first occurrence).
fn single(values: &[YearAt]) -> Option<Option<YearAt>> {
    let first = *values.first()?;
    Some(values.iter().all(|(y, _)| *y == first.0).then_some(first))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year(text: &str) -> Option<(i32, &'static str)> {
        report_year(text).map(|r| (r.year, r.source.as_str()))
    }

    #[test]
    fn plan_periods_are_the_fixed_data() {
        let p = plan_named("十四五").unwrap();
        assert_eq!((p.first, p.last, p.ordinal), (2021, 2025, 14));
        assert_eq!(
            plan_named("十五").map(|p| (p.first, p.last)),
            Some((2001, 2005))
        );
        assert_eq!(
            plan_named("十五五").map(|p| (p.first, p.last)),
            Some((2026, 2030))
        );
        assert_eq!(plan_of_year(2025).map(|p| p.name), Some("十四五"));
        assert_eq!(plan_of_year(2026).map(|p| p.name), Some("十五五"));
        assert_eq!(plan_of_year(2010).map(|p| p.name), Some("十一五"));
        assert_eq!(plan_of_year(1980), None);
        assert_eq!(plan_named("十六五"), None);
    }

    #[test]
    fn years_in_every_digit_form() {
        assert_eq!(parse_year("2021"), Some(2021));
        assert_eq!(parse_year("２０２１"), Some(2021));
        assert_eq!(parse_year("二〇二一"), Some(2021));
        assert_eq!(parse_year("二○○六"), Some(2006));
        assert_eq!(parse_year("201４"), Some(2014));
        assert_eq!(parse_year("202"), None);
        assert_eq!(parse_year("3021"), None);
        assert_eq!(parse_year("二十一"), None);
    }

    #[test]
    fn the_dateline_decides() {
        // city-chifeng-2021 (abridged).
        let t = "——2021年2月22日在赤峰市第七届人民代表大会第四次会议上\n\n市长 王旺盛\n\n各位代表：\n\n一、2020年主要工作\n\n三、2021年重点工作\n";
        assert_eq!(year(t), Some((2021, "dateline")));
        // majorcity-beijing-2024: Chinese digits, below a 原标题 line.
        let t = "原标题：政府工作报告——\n\n二〇二四年一月二十一日在北京市第十六届人民代表大会第二次会议上\n\n一、2023年工作回顾\n";
        assert_eq!(year(t), Some((2024, "dateline")));
        // province-sichuan-2007, filed a year off: the text says 2008.
        let t = "政府工作报告\n（2008年1月22日在四川省第十一届人民代表大会第一次会议上）\n2007年经济社会发展情况及本届政府工作回顾\n2008年政府工作建议\n";
        assert_eq!(year(t), Some((2008, "dateline")));
        // majorcity-hangzhou-2010: spaces inside the date.
        let t =
            "政府工作报告（摘要）\n（2010 年2 月3 日在杭州市第十一届人民代表大会第五次会议上）\n";
        assert_eq!(year(t), Some((2010, "dateline")));
    }

    #[test]
    fn dateline_forms() {
        // The date after the session (province-sichuan-2009), after a doubled 在
        // (majorcity-nanchang-2007), with the speaker (province-yunnan-2010), or with the session
        // wrapped to the next line (majorcity-ningbo-2012).
        let t = "政府工作报告\n在四川省第十一届人民代表大会第三次会议上（2010年1月26日）\n";
        assert_eq!(year(t), Some((2010, "dateline")));
        let t = "——在2006年12月24日在南昌市第十三届人民代表大会第一次会议上\n";
        assert_eq!(year(t), Some((2006, "dateline")));
        assert_eq!(
            year("（2010年1月22日 秦光荣）\n各位代表，各位同志：\n"),
            Some((2010, "dateline"))
        );
        let t = "2012年4月19日在宁波市\n第十四届人民代表大会第一次会议上\n市长 刘 奇\n";
        assert_eq!(year(t), Some((2012, "dateline")));
    }

    #[test]
    fn a_december_session_is_read_in_its_own_year() {
        // majorcity-jinan-2023: read on 2022-12-26, reviews 2022, plans 2023; its 明年 is 2023.
        let t = "政府工作报告\n──2022年12月26日在济南市第十八届人民代表大会第一次会议上\n一、2022年工作回顾\n二、2023年工作总体要求和主要预期目标\n三、2023年重点工作安排\n";
        assert_eq!(year(t), Some((2022, "dateline")));
    }

    #[test]
    fn title_and_headings_without_a_dateline() {
        // majorcity-ningbo-2001: the dateline has no year, the title has.
        let t =
            "2001年政府工作报告\n（2月22日在市第十一届人民代表大会第四次会议上 ）\n各位代表：\n";
        assert_eq!(year(t), Some((2001, "title")));
        // majorcity-dongguan-2011.
        let t = "各位代表：\n现在，我代表市人民政府向大会作政府工作报告，请予审议。\n2010年及“十一五”时期工作回顾\n刚刚过去的2010年，是我市继续巩固应对国际金融危机成果的一年。\n2011年工作安排\n";
        assert_eq!(year(t), Some((2011, "headings")));
        // The horizon 2035 is not the plan year (city-pingdingshan-2021).
        let t = "一、2020年工作回顾及“十三五”主要成就\n二、2035年远景目标及“十四五”时期经济社会发展主要目标任务\n三、2021年重点工作\n";
        assert_eq!(year(t), Some((2021, "headings")));
        // 完成 looks back only as 完成了 (province-heilongjiang-2005, majorcity-beijing-2006).
        let t = "一、全面完成了2004年的工作任务\n";
        assert_eq!(year(t), Some((2005, "headings")));
        assert_eq!(year("三、全面完成2006年的各项任务\n"), None);
        // Only the review: the next year.
        assert_eq!(
            year("一、2019年工作回顾\n过去一年……\n"),
            Some((2020, "headings"))
        );
    }

    #[test]
    fn unsure_is_none() {
        // No year anywhere near a heading.
        assert_eq!(
            year("各位代表：\n现在，我代表市人民政府向大会报告工作。\n"),
            None
        );
        // Review and plan a year apart the wrong way.
        assert_eq!(year("一、2019年工作回顾\n二、2019年工作安排\n"), None);
        // Two review years.
        assert_eq!(year("一、2018年工作回顾\n二、2019年工作回顾\n"), None);
        // A dateline contradicted by the review heading.
        assert_eq!(
            year("——2021年1月12日在某市第十五届人民代表大会第五次会议上\n一、2017年工作回顾\n"),
            None
        );
        // Two dates on the dateline (plan-1976: drafted 1975, revised 1977).
        assert_eq!(
            year("1976—1985年发展国民经济十年规划纲要（草案）\n（一九七五年十二月拟订，一九七七年十二月修订）\n"),
            None
        );
        // A sentence naming a session is not a dateline (province-neimenggu-2008).
        assert_eq!(
            year("各位代表：\n本届政府2003年1月就职，五年任期即将结束。现在，我代表自治区人民政府向大会报告工作，请予审议，并请自治区政协委员和列席会议的同志们提出意见。\n"),
            None
        );
        // Years deep in the body are not headings.
        assert_eq!(
            year("各位代表：\n我们完成了2019年的各项任务，工作回顾如下，内容较长，超过四十个字的句子不是标题，也不会被当作标题。\n"),
            None
        );
    }
}
