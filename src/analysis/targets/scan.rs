//! Finding figures in paragraphs: number, unit, bound, direction word, indicator, `分别` lists.
//!
//! Works on a normalized copy of each paragraph (half-width characters, blanks and line breaks
//! removed, each character remembering its byte range in the original), so that `６．５％`,
//! `2 000 亿元` and a sentence broken by a PDF line break read like clean text while every range
//! stays on the original. One pass per paragraph; word lists are matched at fixed positions, so
//! the cost is linear in the text.

use std::ops::Range;

use super::synonyms::GDP_UNIT_PREFIXES;
use super::{Baseline, Bound, Direction};
use crate::analysis::outline::{Outline, SectionKind};
use crate::analysis::text::{is_blank_char, is_cjk, to_halfwidth, Line};

/// A figure before classification (kind and period come from the context).
#[derive(Debug, Clone, PartialEq)]
pub struct RawTarget {
    pub range: Range<usize>,
    pub indicator_range: Range<usize>,
    pub indicator_text: String,
    pub direction: Direction,
    pub value: f64,
    pub value_max: Option<f64>,
    pub unit: String,
    pub bound: Bound,
    pub baseline: Option<Baseline>,
    /// The sentence holding the figure (for keyword fallbacks).
    pub sentence: Range<usize>,
    /// A year opening the sentence (`2016年，…`, `到2020年，…`).
    pub sentence_year: Option<u16>,
}

#[derive(Debug, Clone, Copy)]
struct Ch {
    start: usize,
    end: usize,
    c: char,
}

impl RawTarget {
    /// The same figure with its byte ranges moved from a paragraph at `from` to one at `to`.
    fn moved(&self, from: usize, to: usize) -> RawTarget {
        let at = |r: &Range<usize>| r.start - from + to..r.end - from + to;
        RawTarget {
            range: at(&self.range),
            indicator_range: at(&self.indicator_range),
            sentence: at(&self.sentence),
            ..self.clone()
        }
    }
}

/// The figures of paragraphs already scanned, by their exact text, for a caller that scans
/// successive versions of the same documents (a server re-analysing on every keystroke, where
/// all paragraphs but one are unchanged). Ranges are kept relative to the paragraph; a hit is
/// checked against the stored text, never trusted on its hash. Bounded: emptied when the texts
/// kept would exceed [`ScanMemo::MAX_BYTES`] (or the given maximum).
#[derive(Debug)]
pub struct ScanMemo {
    inner: std::sync::Mutex<MemoInner>,
    max_bytes: usize,
}

impl Default for ScanMemo {
    fn default() -> ScanMemo {
        ScanMemo::with_max_bytes(ScanMemo::MAX_BYTES)
    }
}

#[derive(Debug, Default)]
struct MemoInner {
    entries: crate::analysis::duplicates::FastMap<u64, (Box<str>, Vec<RawTarget>)>,
    bytes: usize,
}

impl ScanMemo {
    pub const MAX_BYTES: usize = 16 << 20;

    /// A memo emptied whenever the paragraphs it holds would exceed `max_bytes`.
    pub fn with_max_bytes(max_bytes: usize) -> ScanMemo {
        ScanMemo {
            inner: Default::default(),
            max_bytes,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, MemoInner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The figures of `paragraph` moved to `at`, when it was scanned before.
    fn get(&self, paragraph: &str, key: u64, at: usize, out: &mut Vec<RawTarget>) -> bool {
        let inner = self.lock();
        match inner.entries.get(&key) {
            Some((text, found)) if **text == *paragraph => {
                out.extend(found.iter().map(|t| t.moved(0, at)));
                true
            }
            _ => false,
        }
    }

    fn put(&self, paragraph: &str, key: u64, at: usize, found: &[RawTarget]) {
        let mut inner = self.lock();
        if inner.bytes + paragraph.len() > self.max_bytes {
            inner.entries.clear();
            inner.bytes = 0;
        }
        let found = found.iter().map(|t| t.moved(at, 0)).collect();
        if let Some((old, _)) = inner.entries.insert(key, (paragraph.into(), found)) {
            inner.bytes -= old.len();
        }
        inner.bytes += paragraph.len();
    }

    /// Paragraphs held (for tests).
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Every figure of the text, in document order; with a memo, the figures of paragraphs it
/// holds are taken from it and the others added.
pub fn scan(
    text: &str,
    lines: &[Line],
    outline: &Outline,
    memo: Option<&ScanMemo>,
) -> Vec<RawTarget> {
    let mut is_title = vec![false; lines.len()];
    let mut is_heading = vec![false; lines.len()];
    for s in &outline.sections {
        match s.kind {
            SectionKind::Title => is_title[s.first_line] = true,
            SectionKind::Heading => is_heading[s.first_line] = true,
            SectionKind::ListItem => {}
        }
    }
    let mut out = Vec::new();
    let mut buf: Vec<Ch> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].is_blank() || is_title[i] {
            i += 1;
            continue;
        }
        // A paragraph: this line, plus the following ones while a line is cut mid-sentence
        // (PDF extraction) and the next non-blank line is body text.
        let mut last = i;
        let mut digits = has_digit(&text[lines[i].trimmed()]);
        loop {
            let t = &text[lines[last].trimmed()];
            if is_heading[last] || ends_paragraph(t) {
                break;
            }
            let Some(next) = (last + 1..lines.len().min(last + 3)).find(|&j| !lines[j].is_blank())
            else {
                break;
            };
            if is_heading[next] || is_title[next] {
                break;
            }
            last = next;
            digits |= has_digit(&text[lines[last].trimmed()]);
        }
        if digits {
            // Ranges of a paragraph depend only on its bytes from the start of its first line.
            let at = lines[i].start;
            let paragraph = &text[at..lines[last].content().end];
            let key = crate::analysis::duplicates::bytes_hash(paragraph.as_bytes());
            if !memo.is_some_and(|m| m.get(paragraph, key, at, &mut out)) {
                buf.clear();
                for line in &lines[i..=last] {
                    push_line(text, line, &mut buf);
                }
                let before = out.len();
                scan_paragraph(&buf, &mut out);
                if let Some(m) = memo {
                    m.put(paragraph, key, at, &out[before..]);
                }
            }
        }
        i = last + 1;
    }
    out
}

fn ends_paragraph(s: &str) -> bool {
    match s.chars().last() {
        None => true,
        Some(c) => matches!(
            c,
            '。' | '！' | '？' | '!' | '?' | '；' | ';' | '：' | ':' | '”' | '）' | ')' | '…'
        ),
    }
}

/// An ASCII or a full-width digit (`０`–`９` are EF BC 90–99 in UTF-8).
fn has_digit(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().any(u8::is_ascii_digit)
        || (b.contains(&0xEF)
            && b.windows(3)
                .any(|w| w[0] == 0xEF && w[1] == 0xBC && matches!(w[2], 0x90..=0x99)))
}

fn push_line(text: &str, line: &Line, buf: &mut Vec<Ch>) {
    for (k, c) in text[line.content()].char_indices() {
        if is_blank_char(c) {
            continue;
        }
        let start = line.start + k;
        buf.push(Ch {
            start,
            end: start + c.len_utf8(),
            c: to_halfwidth(c),
        });
    }
}

// ---- word lists (half-width forms) ----

/// Units after the number (and an optional multiplier). Longest match wins.
const UNITS: &[&str] = &[
    "%",
    "‰",
    "个百分点",
    "百分点",
    "元",
    "美元",
    "欧元",
    "人次",
    "人",
    "户",
    "平方米",
    "平方公里",
    "公里",
    "千米",
    "米",
    "微克",
    "吨",
    "千瓦时",
    "千瓦",
    "亩",
    "公顷",
    "辆",
    "微克/立方米",
    "立方米",
    "个",
    "家",
    "套",
    "所",
    "座",
    "条",
    "项",
    "张",
    "岁",
    "天",
    "倍",
    "标箱",
    "标准箱",
    "台",
    "处",
    "间",
    "名",
    "位",
    "株",
    "棵",
    "床",
    "艘",
    "架",
    "小时",
    "分钟",
    "千克",
    "公斤",
    "盏",
    "千伏安",
    "兆瓦",
    "标准煤",
    "吨标准煤",
    "度",
];

/// Multipliers written between the number and the unit (`60万人`, `4942亿元`).
const MULTIPLIERS: &[&str] = &[
    "万亿", "千亿", "百亿", "千万", "百万", "亿", "万", "千", "百",
];

/// Bound words after the figure.
const SUFFIX_BOUNDS: &[(&str, Bound)] = &[
    ("左右", Bound::About),
    ("上下", Bound::About),
    ("以上", Bound::AtLeast),
    ("以内", Bound::AtMost),
    ("之内", Bound::AtMost),
    ("以下", Bound::AtMost),
];

/// Bound words between the direction and the number.
const PREFIX_BOUNDS: &[(&str, Bound)] = &[
    ("不低于", Bound::AtLeast),
    ("不少于", Bound::AtLeast),
    ("不超过", Bound::AtMost),
    ("不高于", Bound::AtMost),
    ("超过", Bound::Above),
    ("高于", Bound::Above),
    ("大于", Bound::Above),
    ("多于", Bound::Above),
    ("低于", Bound::Below),
    ("小于", Bound::Below),
    ("约", Bound::About),
    ("近", Bound::About),
    ("超", Bound::Above),
];

const DIRECTIONS: &[(&str, Direction)] = &[
    ("年均增长", Direction::Increase),
    ("同比增长", Direction::Increase),
    ("增长", Direction::Increase),
    ("增加", Direction::Increase),
    ("提高", Direction::Increase),
    ("提升", Direction::Increase),
    ("上涨", Direction::Increase),
    ("上升", Direction::Increase),
    ("涨幅", Direction::Increase),
    ("增幅", Direction::Increase),
    ("增速", Direction::Increase),
    ("扩大", Direction::Increase),
    ("下降", Direction::Decrease),
    ("降低", Direction::Decrease),
    ("减少", Direction::Decrease),
    ("削减", Direction::Decrease),
    ("压减", Direction::Decrease),
    ("缩减", Direction::Decrease),
    ("降幅", Direction::Decrease),
    ("回落", Direction::Decrease),
    ("回升", Direction::Increase),
    ("减到", Direction::Reach),
    ("减至", Direction::Reach),
    ("精简到", Direction::Reach),
    ("精简至", Direction::Reach),
    ("升至", Direction::Reach),
    ("升到", Direction::Reach),
    ("跃升至", Direction::Reach),
    ("上升到", Direction::Reach),
    ("上升至", Direction::Reach),
    ("降为", Direction::Reach),
    ("提高为", Direction::Reach),
    ("达到", Direction::Reach),
    ("达", Direction::Reach),
    ("提高到", Direction::Reach),
    ("提高至", Direction::Reach),
    ("提升到", Direction::Reach),
    ("提升至", Direction::Reach),
    ("增加到", Direction::Reach),
    ("增加至", Direction::Reach),
    ("增长到", Direction::Reach),
    ("增长至", Direction::Reach),
    ("增至", Direction::Reach),
    ("扩大到", Direction::Reach),
    ("扩大至", Direction::Reach),
    ("下降到", Direction::Reach),
    ("下降至", Direction::Reach),
    ("降低到", Direction::Reach),
    ("降低至", Direction::Reach),
    ("减少到", Direction::Reach),
    ("减少至", Direction::Reach),
    ("缩小到", Direction::Reach),
    ("缩小至", Direction::Reach),
    ("降至", Direction::Reach),
    ("降到", Direction::Reach),
    ("突破", Direction::Reach),
    ("完成", Direction::Reach),
    ("实现", Direction::Reach),
    ("为", Direction::Reach),
    ("控制在", Direction::Keep),
    ("保持在", Direction::Keep),
    ("稳定在", Direction::Keep),
    ("维持在", Direction::Keep),
    ("保持", Direction::Keep),
    ("在", Direction::Keep),
];

/// Words between the indicator and the direction that belong to neither.
const MODIFIERS: &[&str] = &[
    "分别",
    "平均",
    "均",
    "都",
    "各",
    "力争",
    "确保",
    "争取",
    "努力",
    "预计",
    "初步预计",
    "同比",
    "年均",
    "累计",
    "实际",
    "名义",
    "将",
    "要",
    "再",
    "继续",
    "进一步",
    "稳步",
    "持续",
    "基本",
    "可望",
    "有望",
    "预期",
    "全年",
    "力争实现",
    "实现",
    "目标",
    "今年",
    "以上",
    "当年",
    "全部",
    "总共",
    "共",
    "合计",
    "已",
    "已经",
    "比上年",
    "较上年",
    "比去年",
    "较去年",
    "比上年同期",
    "较上年同期",
];

/// Openers stripped from the start of a clause before the indicator.
const OPENERS: &[&str] = &[
    "其中",
    "今年",
    "明年",
    "全年",
    "并",
    "同时",
    "另外",
    "力争",
    "确保",
    "预计",
    "初步预计",
    "初步核算",
    "争取",
    "努力",
    "推动",
    "推进",
    "使",
    "主要预期目标是",
    "预期目标是",
    "主要目标是",
    "年末",
    "年底",
    "五年来",
    "五年",
    "过去五年",
    "过去一年",
    "一年来",
    "三年来",
    "十年来",
    "我们",
    "而",
    "且",
    "并且",
    "也",
    "还",
    "总计",
    "合计",
    "累计",
    "截至",
    "截止",
    "到",
    "至",
    "全年共",
    "实现",
    "带动",
    "以及",
    "和",
    "及",
    "与",
    "比",
    "同比",
];

/// Qualifiers between the direction and the number that belong to the figure
/// (`提高到每月人均1100元`).
const QUALIFIERS: &[&str] = &[
    "每人每月",
    "每月人均",
    "每年人均",
    "人均",
    "每月",
    "每年",
    "每人",
    "了",
];

/// Per-unit phrases written before the number (`每立方米60微克`).
const PER_BEFORE: &[&str] = &["每立方米", "每平方米", "每公里"];

fn is_digit(c: char) -> bool {
    c.is_ascii_digit()
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '!' | '?' | ';' | '…')
}

fn is_clause_end(buf: &[Ch], k: usize) -> bool {
    let c = buf[k].c;
    if is_sentence_end(c) {
        return true;
    }
    if matches!(c, ',' | ':' | '.') {
        // Inside a number (`1,000`, `3:1`, `6.5`) it is not a boundary.
        let before = k > 0 && is_digit(buf[k - 1].c);
        let after = buf.get(k + 1).is_some_and(|n| is_digit(n.c));
        return !(before && after);
    }
    false
}

/// `buf[i..hi]` starts with `w`.
fn starts_at(buf: &[Ch], i: usize, hi: usize, w: &str) -> bool {
    for (k, c) in (i..).zip(w.chars()) {
        if k >= hi || buf[k].c != c {
            return false;
        }
    }
    true
}

/// `buf[lo..end]` ends with `w`: the index where `w` starts.
fn ends_at(buf: &[Ch], lo: usize, end: usize, w: &str) -> Option<usize> {
    let n = w.chars().count();
    if end < lo + n {
        return None;
    }
    let s = end - n;
    starts_at(buf, s, end, w).then_some(s)
}

/// A word list indexed by first and last character, built once. Matching at a position tests
/// only the words that can match there, in list order, with their lengths precomputed (testing
/// every word of every list at each figure was the scanner's main cost).
struct Words<T: 'static> {
    /// The words in list order: characters, text, value.
    words: Vec<(Vec<char>, &'static str, T)>,
    /// Word indices (in list order) by first character, sorted by character.
    by_first: Vec<(char, Vec<usize>)>,
    /// Word indices (in list order) by last character, sorted by character.
    by_last: Vec<(char, Vec<usize>)>,
}

impl<T: Copy> Words<T> {
    fn new(list: impl IntoIterator<Item = (&'static str, T)>) -> Words<T> {
        let words: Vec<(Vec<char>, &'static str, T)> = list
            .into_iter()
            .filter(|(w, _)| !w.is_empty())
            .map(|(w, v)| (w.chars().collect(), w, v))
            .collect();
        let index = |pick: fn(&[char]) -> Option<&char>| {
            let mut by: Vec<(char, Vec<usize>)> = Vec::new();
            for (k, (cs, _, _)) in words.iter().enumerate() {
                let Some(&c) = pick(cs) else { continue };
                match by.iter_mut().find(|(x, _)| *x == c) {
                    Some((_, v)) => v.push(k),
                    None => by.push((c, vec![k])),
                }
            }
            by.sort_by_key(|(c, _)| *c);
            by
        };
        let by_first = index(|cs| cs.first());
        let by_last = index(|cs| cs.last());
        Words {
            words,
            by_first,
            by_last,
        }
    }

    fn candidates(by: &[(char, Vec<usize>)], c: char) -> &[usize] {
        match by.binary_search_by_key(&c, |(x, _)| *x) {
            Ok(p) => &by[p].1,
            Err(_) => &[],
        }
    }

    /// Word `k` is `buf[i..i + len]`, within `hi`.
    fn is_at(&self, k: usize, buf: &[Ch], i: usize, hi: usize) -> bool {
        let cs = &self.words[k].0;
        i + cs.len() <= hi.min(buf.len())
            && buf[i..i + cs.len()].iter().zip(cs).all(|(b, c)| b.c == *c)
    }

    /// The words starting at `i` (within `hi`), in list order: (text, length in chars, value).
    fn prefixes<'a>(
        &'a self,
        buf: &'a [Ch],
        i: usize,
        hi: usize,
    ) -> impl Iterator<Item = (&'static str, usize, T)> + 'a {
        let cands = match buf.get(i) {
            Some(ch) if i < hi => Self::candidates(&self.by_first, ch.c),
            _ => &[],
        };
        cands
            .iter()
            .filter(move |&&k| self.is_at(k, buf, i, hi))
            .map(move |&k| (self.words[k].1, self.words[k].0.len(), self.words[k].2))
    }

    /// The words ending at `end` (starting at `lo` or later), in list order: (start, text,
    /// value).
    fn suffixes<'a>(
        &'a self,
        buf: &'a [Ch],
        lo: usize,
        end: usize,
    ) -> impl Iterator<Item = (usize, &'static str, T)> + 'a {
        let cands = match end.checked_sub(1).and_then(|k| buf.get(k)) {
            Some(ch) if end > lo => Self::candidates(&self.by_last, ch.c),
            _ => &[],
        };
        cands.iter().filter_map(move |&k| {
            let n = self.words[k].0.len();
            (end >= lo + n && self.is_at(k, buf, end - n, end))
                .then(|| (end - n, self.words[k].1, self.words[k].2))
        })
    }

    /// The longest word starting at `i` (the last listed among equals).
    fn longest_prefix(&self, buf: &[Ch], i: usize, hi: usize) -> Option<(&'static str, usize, T)> {
        self.prefixes(buf, i, hi).max_by_key(|(_, n, _)| *n)
    }

    /// The longest word ending at `end` (the first listed among equals).
    fn longest_suffix(
        &self,
        buf: &[Ch],
        lo: usize,
        end: usize,
    ) -> Option<(usize, &'static str, T)> {
        self.suffixes(buf, lo, end).min_by_key(|(s, _, _)| *s)
    }
}

fn plain(list: &'static [&'static str]) -> Words<()> {
    Words::new(list.iter().map(|w| (*w, ())))
}

fn valued<T: Copy>(list: &'static [(&'static str, T)]) -> Words<T> {
    Words::new(list.iter().copied())
}

macro_rules! word_index {
    ($name:ident, $ty:ty, $build:expr) => {
        fn $name() -> &'static Words<$ty> {
            static W: std::sync::OnceLock<Words<$ty>> = std::sync::OnceLock::new();
            W.get_or_init(|| $build)
        }
    };
}

word_index!(units, (), plain(UNITS));
word_index!(multipliers, (), plain(MULTIPLIERS));
word_index!(suffix_bounds, Bound, valued(SUFFIX_BOUNDS));
word_index!(prefix_bounds, Bound, valued(PREFIX_BOUNDS));
word_index!(directions, Direction, valued(DIRECTIONS));
word_index!(modifiers, (), plain(MODIFIERS));
word_index!(openers, (), plain(OPENERS));
word_index!(qualifiers, (), plain(QUALIFIERS));
word_index!(per_before, (), plain(PER_BEFORE));

fn text_of(buf: &[Ch], r: Range<usize>) -> String {
    buf[r].iter().map(|c| c.c).collect()
}

fn byte_range(buf: &[Ch], r: Range<usize>) -> Range<usize> {
    if r.start >= r.end || r.end > buf.len() {
        let at = buf.get(r.start).map_or(0, |c| c.start);
        return at..at;
    }
    buf[r.start].start..buf[r.end - 1].end
}

/// A number: digits, thousands separators, decimals. Returns the value and the index after it.
fn parse_number(buf: &[Ch], i: usize, hi: usize) -> Option<(f64, usize)> {
    let mut s = NumBuf::default();
    let mut j = i;
    while j < hi && is_digit(buf[j].c) {
        s.push(buf[j].c);
        j += 1;
    }
    if s.is_empty() {
        return None;
    }
    // `1,000`: a comma followed by exactly three digits.
    while j + 3 < hi + 1
        && j < hi
        && buf[j].c == ','
        && (1..=3).all(|d| buf.get(j + d).is_some_and(|x| is_digit(x.c)) && j + d < hi)
        && !buf.get(j + 4).is_some_and(|x| is_digit(x.c))
    {
        for d in 1..=3 {
            s.push(buf[j + d].c);
        }
        j += 4;
    }
    if j + 1 < hi && buf[j].c == '.' && is_digit(buf[j + 1].c) {
        s.push('.');
        j += 1;
        while j < hi && is_digit(buf[j].c) {
            s.push(buf[j].c);
            j += 1;
        }
    }
    s.parse().map(|v| (v, j))
}

/// The digits of a number, kept on the stack (numbers are parsed at every digit run; a heap
/// string per number showed in profiles). Longer numbers spill to a `String`.
#[derive(Default)]
struct NumBuf {
    bytes: [u8; 32],
    len: usize,
    spill: String,
}

impl NumBuf {
    /// `c` is an ASCII digit or `.`.
    fn push(&mut self, c: char) {
        if self.len < self.bytes.len() && c.is_ascii() {
            self.bytes[self.len] = c as u8;
            self.len += 1;
        } else {
            if self.spill.is_empty() {
                self.spill
                    .push_str(std::str::from_utf8(&self.bytes[..self.len]).unwrap_or(""));
            }
            self.spill.push(c);
        }
    }

    fn is_empty(&self) -> bool {
        self.len == 0 && self.spill.is_empty()
    }

    fn parse(&self) -> Option<f64> {
        if !self.spill.is_empty() {
            return self.spill.parse().ok();
        }
        std::str::from_utf8(&self.bytes[..self.len])
            .ok()?
            .parse()
            .ok()
    }
}

/// The unit at `j` (multiplier + base unit, longest total): the unit text and the index after.
fn parse_unit(buf: &[Ch], j: usize, hi: usize) -> (String, usize) {
    let plain = units()
        .longest_prefix(buf, j, hi)
        .map(|(u, n, _)| (u.to_string(), n));
    let mut best = plain;
    if let Some((m, ml, _)) = multipliers().longest_prefix(buf, j, hi) {
        let with = match units().longest_prefix(buf, j + ml, hi) {
            Some((u, n, _)) => (format!("{m}{u}"), ml + n),
            None => (m.to_string(), ml),
        };
        if best.as_ref().is_none_or(|b| with.1 > b.1) {
            best = Some(with);
        }
    }
    match best {
        Some((u, n)) => (u, j + n),
        None => (String::new(), j),
    }
}

fn is_range_sep(c: char) -> bool {
    matches!(c, '-' | '—' | '–' | '~' | '〜' | '至' | '到')
}

/// A number with unit, range and bound, before its direction and indicator are known.
#[derive(Debug, Clone)]
struct Figure {
    /// Index of the first character (the number, or `每立方米` before it).
    start: usize,
    /// Index after the bound word.
    end: usize,
    value: f64,
    value_max: Option<f64>,
    unit: String,
    bound: Bound,
}

/// The figure whose number starts at `i`, if it is one (`None`: not a figure) and the index
/// where scanning continues.
fn parse_figure(buf: &[Ch], lo: usize, i: usize, hi: usize) -> (Option<Figure>, usize) {
    let Some((value, j)) = parse_number(buf, i, hi) else {
        return (None, i + 1);
    };
    // Part of a code or a name: PM2.5, G20, 5G, 第14届, 〔2017〕.
    if i > lo {
        let p = buf[i - 1].c;
        if p.is_ascii_alphabetic() || p == '第' || p == '.' || p == '〔' || p == '[' {
            return (None, skip_token(buf, j, hi));
        }
    }
    if j < hi && buf[j].c.is_ascii_alphabetic() {
        return (None, skip_token(buf, j, hi));
    }
    let (mut unit, mut k) = parse_unit(buf, j, hi);
    let mut value_max = None;
    // Ratio `3∶1`.
    if unit.is_empty() && k + 1 < hi && matches!(buf[k].c, '∶' | ':') && is_digit(buf[k + 1].c) {
        if let Some((den, k2)) = parse_number(buf, k + 1, hi) {
            unit = format!("∶{}", super::fmt_num(den));
            k = k2;
        }
    }
    // Range `6.5%-7%`, `6-6.5%`, `2到4个`.
    let mut sep = k;
    while sep < hi
        && matches!(buf[sep].c, '—' | '-')
        && sep + 1 < hi
        && buf[sep + 1].c == buf[sep].c
    {
        sep += 1; // `——`
    }
    if sep < hi
        && is_range_sep(buf[sep].c)
        && buf.get(sep + 1).is_some_and(|x| is_digit(x.c))
        && sep + 1 < hi
    {
        if let Some((max, k2)) = parse_number(buf, sep + 1, hi) {
            let (unit2, k3) = parse_unit(buf, k2, hi);
            let compatible = unit.is_empty() || unit2.is_empty() || unit == unit2;
            if compatible && max >= value && !(unit.is_empty() && unit2.is_empty()) {
                if unit.is_empty() {
                    unit = unit2;
                }
                value_max = Some(max);
                k = k3;
            }
        }
    }
    // `每立方米60微克` → 微克/立方米.
    let mut start = i;
    if let Some((s, per, _)) = per_before().suffixes(buf, lo, i).next() {
        if !unit.is_empty() && !unit.contains('/') {
            unit = format!("{unit}/{}", &per['每'.len_utf8()..]);
            start = s;
        }
    }
    let mut bound = if value_max.is_some() {
        Bound::Range
    } else {
        Bound::Exact
    };
    let mut end = k;
    if let Some((_, n, b)) = suffix_bounds().prefixes(buf, k, hi).next() {
        if value_max.is_none() {
            bound = b;
        }
        end = k + n;
    }
    // The figure must end its clause, or be followed by a list separator or a bracket: a count
    // that modifies a noun (`建成10个园区`, `中关村24条`), a date (`2017年`), a serial number is
    // not a figure.
    let ok_follower = end >= hi
        || is_clause_end(buf, end)
        || matches!(
            buf[end].c,
            '、' | '和'
                | '及'
                | '与'
                | '或'
                | '('
                | ')'
                | '"'
                | '”'
                | '’'
                | '」'
                | '』'
                | '》'
                | '】'
        );
    if !ok_follower {
        return (None, k.max(i + 1));
    }
    // Four-digit whole numbers without a unit are years or codes.
    if unit.is_empty() && value.fract() == 0.0 && (1900.0..=2100.0).contains(&value) {
        return (None, end);
    }
    (
        Some(Figure {
            start,
            end,
            value,
            value_max,
            unit,
            bound,
        }),
        end,
    )
}

fn skip_token(buf: &[Ch], mut j: usize, hi: usize) -> usize {
    while j < hi && (buf[j].c.is_ascii_alphanumeric() || buf[j].c == '.') {
        j += 1;
    }
    j
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListMode {
    None,
    /// `分别`: one indicator per figure.
    Respectively,
    /// `均`/`都`: one figure for every indicator.
    All,
}

/// Sentence-level state: the last indicator (for `同比增长6.5%` after `地区生产总值达到4942亿元`)
/// and a year opening the sentence.
struct SentenceState {
    range: Range<usize>,
    last_indicator: Option<(Range<usize>, String)>,
    year: Option<u16>,
    /// The per-GDP prefix of an earlier indicator (`万元地区生产总值`).
    shared_prefix: Option<&'static str>,
}

fn scan_paragraph(buf: &[Ch], out: &mut Vec<RawTarget>) {
    let n = buf.len();
    let mut s_start = 0;
    // An opening year holds until the end of its full sentence (`。`), across `;` parts:
    // `2016年,地区生产总值…;居民人均可支配收入…。`
    let mut year: Option<u16> = None;
    while s_start < n {
        let mut s_end = s_start;
        while s_end < n && !is_sentence_end(buf[s_end].c) {
            s_end += 1;
        }
        if buf[s_start..s_end].iter().any(|c| is_digit(c.c)) {
            year = scan_sentence(buf, s_start, s_end, year, out);
        }
        if s_end < n && buf[s_end].c != ';' {
            year = None;
        }
        s_start = s_end + 1;
    }
}

/// Scans one sentence; returns the opening year in force at its end.
fn scan_sentence(
    buf: &[Ch],
    lo: usize,
    hi: usize,
    year: Option<u16>,
    out: &mut Vec<RawTarget>,
) -> Option<u16> {
    let mut state = SentenceState {
        range: byte_range(buf, lo..hi),
        last_indicator: None,
        year,
        shared_prefix: None,
    };
    let mut c_start = lo;
    let mut first_clause = true;
    while c_start < hi {
        let mut c_end = c_start;
        while c_end < hi && !is_clause_end(buf, c_end) {
            c_end += 1;
        }
        scan_clause(buf, c_start, c_end, first_clause, &mut state, out);
        first_clause = false;
        c_start = c_end + 1;
    }
    state.year
}

fn scan_clause(
    buf: &[Ch],
    lo: usize,
    hi: usize,
    first_clause: bool,
    state: &mut SentenceState,
    out: &mut Vec<RawTarget>,
) {
    // Opening year of the sentence: `2016年，…`, `到2020年，…` (a clause of its own, or the start
    // of the first clause).
    if let Some(y) = leading_year(buf, lo, hi) {
        if first_clause || starts_at(buf, lo, hi, "到") || starts_at(buf, lo, hi, "至") {
            state.year = Some(y);
        }
    }
    let mut figures = Vec::new();
    let mut i = lo;
    while i < hi {
        if !is_digit(buf[i].c) {
            i += 1;
            continue;
        }
        if i > lo && is_digit(buf[i - 1].c) {
            i += 1;
            continue;
        }
        let (fig, next) = parse_figure(buf, lo, i, hi);
        if let Some(f) = fig {
            figures.push(f);
        }
        i = next.max(i + 1);
    }
    if figures.is_empty() {
        return;
    }
    // Group figures separated only by a list separator: `4%以上、3%左右和5%左右`.
    let mut groups: Vec<Vec<Figure>> = Vec::new();
    let mut prev_end: Option<usize> = None;
    for f in figures {
        let joined = prev_end.is_some_and(|e| {
            let gap: &[Ch] = buf.get(e..f.start).unwrap_or(&[]);
            match gap {
                [a] => matches!(a.c, '、' | '和' | '及' | '与' | '或'),
                [a, b] => a.c == '以' && b.c == '及',
                _ => false,
            }
        });
        prev_end = Some(f.end);
        match groups.last_mut() {
            Some(g) if joined => g.push(f),
            _ => groups.push(vec![f]),
        }
    }
    let mut from = lo;
    for group in groups {
        let next_from = group.last().map_or(from, |f| f.end);
        emit_group(buf, from, group, state, out);
        from = next_from;
    }
}

/// A leading `2016年` / `到2020年` / `2020年底` of a clause.
fn leading_year(buf: &[Ch], lo: usize, hi: usize) -> Option<u16> {
    let mut i = lo;
    for w in ["到", "至", "截至", "截止"] {
        if starts_at(buf, i, hi, w) {
            i += w.chars().count();
            break;
        }
    }
    if i + 5 <= hi && (0..4).all(|d| is_digit(buf[i + d].c)) && buf[i + 4].c == '年' {
        let y: String = buf[i..i + 4].iter().map(|c| c.c).collect();
        let y: u16 = y.parse().ok()?;
        if (1949..=2100).contains(&y) {
            return Some(y);
        }
    }
    None
}

fn emit_group(
    buf: &[Ch],
    lo: usize,
    mut group: Vec<Figure>,
    state: &mut SentenceState,
    out: &mut Vec<RawTarget>,
) {
    let first = group[0].start;
    let mut e = first;
    let mut pre_bound = None;
    let mut fig_start = first;
    if let Some((s, _, _)) = qualifiers().suffixes(buf, lo, e).next() {
        e = s;
        fig_start = s;
    }
    if let Some((s, _, b)) = prefix_bounds().longest_suffix(buf, lo, e) {
        pre_bound = Some(b);
        e = s;
        fig_start = s;
    }
    let mut direction = Direction::Level;
    if let Some((s, _, d)) = directions().longest_suffix(buf, lo, e) {
        direction = d;
        e = s;
        fig_start = s;
        // `增长超过10%` has the bound after the direction; `超过` before it is a bound too.
        if pre_bound.is_none() {
            if let Some((s2, _, b)) = prefix_bounds().longest_suffix(buf, lo, e) {
                if matches!(b, Bound::Above | Bound::Below) {
                    pre_bound = Some(b);
                    e = s2;
                    fig_start = s2;
                }
            }
        }
    }
    let unitless = group.iter().any(|f| f.unit.is_empty());
    if unitless && direction == Direction::Level {
        // A bare number without a unit or a direction word is not a figure.
        return;
    }
    let mut mode = ListMode::None;
    let mut baseline: Option<Baseline> = None;
    loop {
        if let Some((s, b)) = baseline_suffix(buf, lo, e) {
            baseline = Some(b);
            e = s;
            continue;
        }
        let mut stripped = false;
        if let Some((s, w, _)) = modifiers().longest_suffix(buf, lo, e) {
            match w {
                "分别" | "各" => mode = ListMode::Respectively,
                "均" | "都" => mode = ListMode::All,
                _ => {}
            }
            e = s;
            stripped = true;
        }
        if !stripped {
            break;
        }
    }
    // `由2010年的75.5%提高到80%`: the base value.
    if let Some(k) = (lo..e)
        .rev()
        .find(|&k| matches!(buf[k].c, '由' | '从') && buf.get(k + 1).is_some_and(|x| is_digit(x.c)))
    {
        let text = text_of(buf, k + 1..e);
        let year = leading_year(buf, k + 1, e);
        baseline = Some(Baseline { text, year });
        e = k;
    }
    // Clause openers before the indicator.
    let mut s = lo;
    loop {
        let before = s;
        if let Some(y) = leading_year(buf, s, e) {
            let _ = y;
            let mut k = s;
            while k < e && buf[k].c != '年' {
                k += 1;
            }
            s = (k + 1).min(e);
            for w in ["底", "末", "年底", "年末", "上半年"] {
                if starts_at(buf, s, e, w) {
                    s += w.chars().count();
                }
            }
        }
        if let Some((_, n, _)) = openers().longest_prefix(buf, s, e) {
            s += n;
        }
        while s < e && matches!(buf[s].c, '"' | '“' | '”' | '(' | ')' | '、') {
            s += 1;
        }
        if s == before {
            break;
        }
    }
    let mut ind_end = e;
    while ind_end > s && matches!(buf[ind_end - 1].c, '"' | '“' | '(' | '的') {
        ind_end -= 1;
    }
    let indicator = s..ind_end;

    // Indicator parts and their texts, one per figure (or one per indicator for `均`).
    let mut members: Vec<(Range<usize>, String)> = Vec::new();
    let len = indicator.end - indicator.start;
    if len == 0 {
        match &state.last_indicator {
            // Not written here: an empty range at the figure, the text of the earlier one.
            Some((_, t)) => {
                let at = buf.get(fig_start).map_or(0, |c| c.start);
                members.push((at..at, t.clone()));
            }
            None => return,
        }
    } else {
        if len > 30 || !valid_indicator(buf, indicator.clone()) {
            return;
        }
        let parts = split_parts(
            buf,
            indicator.clone(),
            mode == ListMode::Respectively || group.len() > 1,
        );
        // `分别`, or as many indicators as figures (`GDP、地均产出率年均增长10.5%和8.1%`).
        if mode != ListMode::All && parts.len() == group.len() && parts.len() > 1 {
            let texts = complete_parts(buf, &parts);
            for (p, t) in parts.iter().zip(texts) {
                members.push((byte_range(buf, p.clone()), t));
            }
        } else if mode == ListMode::Respectively
            && parts.len() == 1
            && group.len() == 2
            && text_of(buf, indicator.clone()).starts_with("城乡居民")
        {
            let rest: String = text_of(buf, indicator.start + 2..indicator.end);
            let r = byte_range(buf, indicator.clone());
            members.push((r.clone(), format!("城镇{rest}")));
            members.push((r, format!("农村{rest}")));
        } else if mode == ListMode::All && group.len() == 1 && parts.len() > 1 {
            let texts = complete_parts(buf, &parts);
            for (p, t) in parts.iter().zip(texts) {
                members.push((byte_range(buf, p.clone()), t));
            }
        } else {
            let mut t = text_of(buf, indicator.clone());
            // `…能耗下降3.5%、水耗下降4%`: a bare intensity takes the per-GDP prefix of the
            // sentence's earlier indicator.
            if let Some(pre) = state.shared_prefix {
                let bare = !t.contains("生产总值") && !t.contains("GDP") && t.chars().count() <= 8;
                if bare && (t.ends_with('耗') || t.contains("排放")) {
                    t = format!("{pre}{t}");
                }
            }
            members.push((byte_range(buf, indicator.clone()), t));
        }
    }
    for m in &members {
        if let Some(p) = GDP_UNIT_PREFIXES.iter().find(|p| m.1.starts_with(**p)) {
            state.shared_prefix = Some(p);
        }
    }
    if let Some(m) = members.first() {
        if !m.0.is_empty() {
            state.last_indicator = Some(m.clone());
        }
    }

    // A bound written after the last member applies to the bare members before it
    // (`分别保持在100亿美元、50亿美元以上`).
    if group.len() > 1 {
        let last_bound = group[group.len() - 1].bound;
        if !matches!(last_bound, Bound::Exact | Bound::Range)
            && group[..group.len() - 1]
                .iter()
                .all(|f| f.bound == Bound::Exact)
        {
            for f in group.iter_mut() {
                f.bound = last_bound;
            }
        }
    }
    if let Some(b) = pre_bound {
        if group[0].bound == Bound::Exact {
            group[0].bound = b;
        }
    }

    let sentence = state.range.clone();
    let year = state.year;
    let mk = |f: &Figure, start: usize, member: &(Range<usize>, String)| RawTarget {
        range: byte_range(buf, start..f.end),
        indicator_range: member.0.clone(),
        indicator_text: member.1.clone(),
        direction,
        value: f.value,
        value_max: f.value_max,
        unit: f.unit.clone(),
        bound: f.bound,
        baseline: baseline.clone(),
        sentence: sentence.clone(),
        sentence_year: year,
    };
    if members.len() == group.len() {
        for (k, (f, m)) in group.iter().zip(&members).enumerate() {
            out.push(mk(f, if k == 0 { fig_start } else { f.start }, m));
        }
    } else if group.len() == 1 {
        for m in &members {
            out.push(mk(&group[0], fig_start, m));
        }
    } else {
        for (k, f) in group.iter().enumerate() {
            out.push(mk(f, if k == 0 { fig_start } else { f.start }, &members[0]));
        }
    }
}

/// The texts of list parts, completed from their neighbours: a per-GDP prefix of the first part
/// is shared by the others (`万元地区生产总值能耗、二氧化碳排放`), and a short qualifier takes the
/// rest of the last part (`城镇和农村常住居民人均可支配收入` → `城镇常住居民人均可支配收入`).
fn complete_parts(buf: &[Ch], parts: &[Range<usize>]) -> Vec<String> {
    let texts: Vec<String> = parts.iter().map(|p| text_of(buf, p.clone())).collect();
    let prefix = GDP_UNIT_PREFIXES.iter().find(|p| texts[0].starts_with(**p));
    let last: Vec<char> = texts[texts.len() - 1].chars().collect();
    texts
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let n = t.chars().count();
            const QUALIFIERS: &[&str] = &["城镇", "农村", "城市", "乡村", "城区", "郊区"];
            let last_text: String = last.iter().collect();
            if k + 1 < texts.len()
                && QUALIFIERS.contains(&t.as_str())
                && QUALIFIERS.iter().any(|q| last_text.starts_with(q))
                && last.len() > n + 1
            {
                let rest: String = last[n..].iter().collect();
                return format!("{t}{rest}");
            }
            match prefix {
                Some(pre) if k > 0 && !t.contains("生产总值") && !t.contains("GDP") => {
                    format!("{pre}{t}")
                }
                _ => t.clone(),
            }
        })
        .collect()
}

/// `较2015年`, `比上年`, `比2010年末`, `与上年同期相比` at the end of `buf[lo..end]`.
fn baseline_suffix(buf: &[Ch], lo: usize, end: usize) -> Option<(usize, Baseline)> {
    for base in ["上年同期", "上年", "去年"] {
        if let Some(s) = ends_at(buf, lo, end, base) {
            if s > lo && matches!(buf[s - 1].c, '比' | '较') {
                return Some((
                    s - 1,
                    Baseline {
                        text: base.to_string(),
                        year: None,
                    },
                ));
            }
        }
    }
    // `比“十二五”末`, `与上年相比`, `较2015年底`: a `比`/`较`/`与…相比` close before the direction.
    let mut e2 = end;
    if let Some(s) = ends_at(buf, lo, end, "相比") {
        e2 = s;
    }
    let from = e2.saturating_sub(10).max(lo);
    if let Some(k) = (from..e2)
        .rev()
        .find(|&k| matches!(buf[k].c, '比' | '较') || (e2 < end && buf[k].c == '与'))
    {
        let base = text_of(buf, k + 1..e2);
        let base = base.trim_matches(|c| matches!(c, '"' | '“' | '”'));
        let closes = ["年", "年末", "年底", "末", "底", "上年", "去年", "同期"]
            .iter()
            .any(|w| base.ends_with(w));
        if closes && !base.is_empty() && !base.starts_with('重') && !base.starts_with('例') {
            let year = leading_year(buf, k + 1, e2);
            return Some((
                k,
                Baseline {
                    text: base.to_string(),
                    year,
                },
            ));
        }
    }
    // `(比|较)YYYY年(末|底)?`
    let mut e = end;
    for w in ["末", "底"] {
        if ends_at(buf, lo, e, w).is_some() {
            e -= 1;
            break;
        }
    }
    if e >= lo + 6 && buf[e - 1].c == '年' && (2..6).all(|d| is_digit(buf[e - d].c)) {
        let k = e - 6;
        if matches!(buf[k].c, '比' | '较') {
            let y: String = buf[e - 5..e - 1].iter().map(|c| c.c).collect();
            return Some((
                k,
                Baseline {
                    text: text_of(buf, k + 1..end),
                    year: y.parse().ok(),
                },
            ));
        }
    }
    None
}

fn valid_indicator(buf: &[Ch], r: Range<usize>) -> bool {
    let first = buf[r.start].c;
    if matches!(
        first,
        '占' | '比'
            | '较'
            | '为'
            | '是'
            | '的'
            | '了'
            | '、'
            | '达'
            | '超'
            | '增'
            | '下'
            | '由'
            | '从'
    ) {
        return false;
    }
    buf[r]
        .iter()
        .any(|c| is_cjk(c.c) || c.c.is_ascii_alphabetic())
}

/// Splits an indicator list on `、`/`和` (and `及`/`与` in a `分别` list).
fn split_parts(buf: &[Ch], r: Range<usize>, wide: bool) -> Vec<Range<usize>> {
    let mut parts = Vec::new();
    let mut s = r.start;
    for k in r.clone() {
        let c = buf[k].c;
        let sep = c == '、' || c == '和' || (wide && (c == '及' || c == '与'));
        if sep {
            if k > s {
                parts.push(s..k);
            }
            s = k + 1;
        }
    }
    if r.end > s {
        parts.push(s..r.end);
    }
    parts
}
