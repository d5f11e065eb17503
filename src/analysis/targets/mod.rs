//! Quantitative commitments and results: `地区生产总值增长6.5%左右`, `城镇调查失业率控制在5%以内`,
//! `能耗、水耗分别下降4%以上、3%左右`, found in every paragraph of a report and classified by
//! the section they stand in.
//!
//! Public API (used by hover, navigation, the `targets` CLI and the rules of issue 5):
//! - [`extract`] returns every [`Target`] of a text, in document order; [`crate::analysis::Analysis::targets`]
//!   computes it once per snapshot.
//! - [`Synonyms`] normalizes indicator names (`GDP` → `地区生产总值`); [`Synonyms::builtin`] is the
//!   documented table, extended by the `targets.synonyms` setting.
//! - [`DocInfo`] is what the document says about itself (report year, plan period).
//! - [`Target::key`] groups the mentions of one indicator across documents.
//!
//! Choices (ARCHITECTURE.md, "Targets"): a figure needs an Arabic number and a unit, or a
//! direction word before a unitless number (`基尼系数降至0.4左右`); the number must end its
//! clause (or be followed by a bound or a list separator), which keeps counts that modify a noun
//! (`建成10个园区`), dates, ordinals and document numbers out. Kind and period come from the
//! section (工作回顾 → result, 主要任务 → target, a 规划纲要 → plan), keywords only decide when
//! the section does not.

mod context;
mod region;
mod scan;
mod synonyms;

use std::ops::Range;

pub use context::DocInfo;
pub use region::{report_region, Region};
pub use scan::ScanMemo;
pub use synonyms::{Synonyms, BUILTIN_SYNONYMS};

use super::outline::Outline;
use super::text::Line;

/// What a figure is: a commitment for the coming period, a reported achievement, or a goal of a
/// multi-year plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Target,
    Result,
    Plan,
}

impl Kind {
    pub fn id(self) -> &'static str {
        match self {
            Kind::Target => "target",
            Kind::Result => "result",
            Kind::Plan => "plan",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Kind::Target => "目标",
            Kind::Result => "完成",
            Kind::Plan => "规划目标",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Kind::Target => "target",
            Kind::Result => "result",
            Kind::Plan => "plan goal",
        }
    }
}

/// How the value relates to the indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// 增长, 年均增长, 提高, 上涨, 涨幅 …: a change upwards by the value.
    Increase,
    /// 下降, 降低, 减少 …: a change downwards by the value.
    Decrease,
    /// 达到, 提高到, 突破, 降至 …: the indicator reaches the value.
    Reach,
    /// 控制在, 保持在, 稳定在 …: the indicator stays at the value.
    Keep,
    /// No direction word: the value is the level itself (`城镇调查失业率低于5%`).
    Level,
}

impl Direction {
    pub fn id(self) -> &'static str {
        match self {
            Direction::Increase => "increase",
            Direction::Decrease => "decrease",
            Direction::Reach => "reach",
            Direction::Keep => "keep",
            Direction::Level => "level",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Direction::Increase => "增长",
            Direction::Decrease => "下降",
            Direction::Reach => "达到",
            Direction::Keep => "保持",
            Direction::Level => "水平",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Direction::Increase => "increase",
            Direction::Decrease => "decrease",
            Direction::Reach => "reach",
            Direction::Keep => "keep at",
            Direction::Level => "level",
        }
    }
}

/// The bound a figure puts on the indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bound {
    /// No bound word.
    Exact,
    /// 左右, 上下, 约, 近.
    About,
    /// 以上, 不低于, 不少于.
    AtLeast,
    /// 以内, 以下, 不超过, 不高于.
    AtMost,
    /// 低于, 小于.
    Below,
    /// 高于, 超过, 大于.
    Above,
    /// `6.5%－7%`, `2到4个`: the value and `value_max`.
    Range,
}

impl Bound {
    pub fn id(self) -> &'static str {
        match self {
            Bound::Exact => "exact",
            Bound::About => "about",
            Bound::AtLeast => "at-least",
            Bound::AtMost => "at-most",
            Bound::Below => "below",
            Bound::Above => "above",
            Bound::Range => "range",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Bound::Exact => "确数",
            Bound::About => "左右",
            Bound::AtLeast => "以上（不低于）",
            Bound::AtMost => "以内（不超过）",
            Bound::Below => "低于",
            Bound::Above => "高于",
            Bound::Range => "区间",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Bound::Exact => "exactly",
            Bound::About => "about",
            Bound::AtLeast => "at least",
            Bound::AtMost => "at most",
            Bound::Below => "below",
            Bound::Above => "above",
            Bound::Range => "range",
        }
    }
}

/// A period: one year (`start == end`) or a span of years (a five-year plan).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    pub start: u16,
    pub end: u16,
}

impl Period {
    pub fn year(y: u16) -> Period {
        Period { start: y, end: y }
    }

    pub fn contains(&self, other: &Period) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// `2017年` or `2016—2020年`.
    pub fn label(&self) -> String {
        if self.start == self.end {
            format!("{}年", self.start)
        } else {
            format!("{}—{}年", self.start, self.end)
        }
    }
}

/// A comparison base written next to the figure: `较2015年`, `比上年`, `由2010年的75.5%`.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    /// The base as written, without `较`/`比`/`由` (`2015年`, `上年`, `2010年的75.5%`).
    pub text: String,
    pub year: Option<u16>,
}

/// One quantitative statement about one indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// The figure: from the direction word (if any) to the end of the bound word
    /// (`增长6.5%左右`, `控制在每立方米60微克左右`; a later member of a list: `3%左右`).
    pub range: Range<usize>,
    /// Where the indicator is written (`地区生产总值`); for a `分别` list, this member's part.
    /// Empty (at the figure) when the figure continues an earlier one of its sentence
    /// (`地区生产总值达到4942亿元，同比增长6.5%`: the second figure's indicator is not written).
    pub indicator_range: Range<usize>,
    /// The indicator as written, blanks removed, half-width (`万元地区生产总值能耗`; for a list
    /// member sharing a prefix, completed: `万元地区生产总值二氧化碳排放`).
    pub indicator_text: String,
    /// The normalized indicator (see [`Synonyms`]): the key that joins mentions.
    pub indicator: String,
    pub kind: Kind,
    pub period: Option<Period>,
    pub direction: Direction,
    pub value: f64,
    /// The upper end of a range (`Bound::Range`).
    pub value_max: Option<f64>,
    /// Normalized unit: `%`, `个百分点`, `亿元`, `万人`, `微克/立方米`, `∶1` for a ratio, or empty.
    pub unit: String,
    pub bound: Bound,
    pub baseline: Option<Baseline>,
    /// Innermost outline section containing the figure.
    pub section: Option<usize>,
}

impl Target {
    /// The values the figure allows, as an interval (`6%以上` → 6..∞, `6.5%左右` → 6.5..6.5).
    pub fn interval(&self) -> (f64, f64) {
        match self.bound {
            Bound::Exact | Bound::About => (self.value, self.value),
            Bound::AtLeast | Bound::Above => (self.value, f64::INFINITY),
            Bound::AtMost | Bound::Below => (f64::NEG_INFINITY, self.value),
            Bound::Range => (self.value, self.value_max.unwrap_or(self.value)),
        }
    }

    /// From the indicator to the end of the figure: what a reader would quote.
    pub fn statement(&self) -> Range<usize> {
        self.indicator_range.start.min(self.range.start)..self.range.end
    }

    /// The value as written in a summary: `6.5`, `6.5–7`.
    pub fn value_label(&self) -> String {
        match self.value_max {
            Some(max) => format!("{}–{}", fmt_num(self.value), fmt_num(max)),
            None => fmt_num(self.value),
        }
    }

    /// The grouping key across documents: normalized indicator name.
    pub fn key(&self) -> &str {
        &self.indicator
    }
}

/// Formats a number without a trailing `.0`.
pub fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Every target, result and plan figure of `text`, in document order (by figure start).
pub fn extract(text: &str, lines: &[Line], outline: &Outline, synonyms: &Synonyms) -> Vec<Target> {
    extract_with(text, lines, outline, synonyms, None)
}

/// [`extract`], with the figures of paragraphs scanned before taken from `memo`.
pub fn extract_with(
    text: &str,
    lines: &[Line],
    outline: &Outline,
    synonyms: &Synonyms,
    memo: Option<&ScanMemo>,
) -> Vec<Target> {
    let info = DocInfo::new(text, lines, outline);
    let contexts = DocInfo::section_contexts(outline);
    let mut names: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let mut out = Vec::new();
    let mut kind_memo = None;
    for raw in scan::scan(text, lines, outline, memo) {
        let section = outline.section_at(raw.range.start);
        let (kind, period) = info.classify(text, &contexts, section, &raw, &mut kind_memo);
        let indicator = match names.get(&raw.indicator_text) {
            Some(n) => n.clone(),
            None => {
                let n = synonyms.normalize(&raw.indicator_text);
                names.insert(raw.indicator_text.clone(), n.clone());
                n
            }
        };
        out.push(Target {
            range: raw.range,
            indicator_range: raw.indicator_range,
            indicator_text: raw.indicator_text,
            indicator,
            kind,
            period,
            direction: raw.direction,
            value: raw.value,
            value_max: raw.value_max,
            unit: raw.unit,
            bound: raw.bound,
            baseline: raw.baseline,
            section,
        });
    }
    out
}

/// Indices of the targets whose figure or indicator contains `offset` (figure ends inclusive),
/// in document order. Several when members of a `均` list share one figure. `targets` must be
/// sorted by figure start, as [`extract`] returns them; O(log n).
pub fn at_offset(targets: &[Target], offset: usize) -> Vec<usize> {
    let idx = targets.partition_point(|t| t.range.start <= offset);
    let mut found = Vec::new();
    if idx > 0 {
        let start = targets[idx - 1].range.start;
        let mut k = idx;
        while k > 0 && targets[k - 1].range.start == start {
            k -= 1;
            if offset <= targets[k].range.end {
                found.push(k);
            }
        }
    }
    if found.is_empty() {
        // An indicator precedes its figure, within the same short list.
        for (k, t) in targets.iter().enumerate().skip(idx).take(8) {
            if t.indicator_range.start <= offset && offset < t.indicator_range.end {
                found.push(k);
            }
        }
    }
    found.sort_unstable();
    found
}

#[cfg(test)]
mod tests;
