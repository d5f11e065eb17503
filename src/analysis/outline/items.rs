//! Numbered lines that are list items, not sections: glossary entries (`1.“四上”企业：指…`),
//! numbered task lists (`1.推进轨道交通加速成网，续建…`), goals and measures of a plan
//! (`一、工农业生产，在提高经济效益的前提下…`). Such a line opens a one-paragraph item and the next
//! item follows it directly, with no body text between: a run.

use super::{ends_cleanly, next_nonblank, trimmed};
use crate::analysis::heading::{
    is_appendix_marker, is_glossary_heading, list_opener, number_prefix, Family, NumberPrefix,
};
use crate::analysis::text::{char_len, is_blank_char, Line};

/// Where the builder is: inside an appendix or a glossary, and the last numbered item seen.
#[derive(Debug, Default)]
pub(super) struct ItemContext {
    pub appendix: bool,
    pub glossary: bool,
    /// Family, number and last line of the previous numbered list item.
    pub last_item: Option<(Family, u32, usize)>,
    /// The width the text is hard-wrapped at, if it is (see `wrap_width` in `mod.rs`).
    pub wrap_width: Option<usize>,
}

/// The last line of the paragraph whose text starts at byte `from` of line `i`: in a text
/// hard-wrapped at `wrap` characters, a paragraph runs on while a line at the wrap width ends
/// mid-sentence and the next non-blank line is not numbered. Elsewhere a paragraph is one line
/// (a line ending mid-sentence before a body line is a heading, not half an item).
pub(super) fn paragraph_last_line(
    text: &str,
    lines: &[Line],
    i: usize,
    from: usize,
    wrap: Option<usize>,
) -> usize {
    let Some(wrap) = wrap else {
        return i;
    };
    let mut last = i;
    for _ in 0..40 {
        if char_len(trimmed(text, &lines[last])) + 4 < wrap {
            break;
        }
        let r = lines[last].trimmed();
        let t = if last == i {
            &text[from.clamp(r.start, r.end)..r.end]
        } else {
            &text[r]
        };
        if ends_cleanly(t) {
            break;
        }
        // A bare title (`第五节 日用化学工业`) does not run on into the paragraph below it.
        let sentence_like =
            t.len() >= 3 * 20 || char_len(t) >= 20 || t.contains(['，', ',', '；', '：', '、']);
        if !sentence_like {
            break;
        }
        let Some(j) = next_nonblank(lines, last + 1) else {
            break;
        };
        let t = trimmed(text, &lines[j]);
        if number_prefix(text, lines[j].trimmed()).is_some()
            || list_opener(text, lines[j].trimmed()).is_some()
            || is_appendix_marker(t)
            || is_glossary_heading(t)
        {
            break;
        }
        last = j;
    }
    last
}

/// Whether the numbered line `i` (prefix `p`) is a list item; returns the item's last line.
pub(super) fn list_item_end(
    text: &str,
    lines: &[Line],
    i: usize,
    p: &NumberPrefix,
    ctx: &ItemContext,
) -> Option<usize> {
    let end = paragraph_last_line(text, lines, i, p.title_start, ctx.wrap_width);
    if ctx.glossary && glossary_entry(&paragraph_text(text, lines, i, end.min(i), p.title_start)) {
        return Some(end);
    }
    let next_is_sibling = next_nonblank(lines, end + 1).is_some_and(|j| {
        number_prefix(text, lines[j].trimmed())
            .is_some_and(|q| q.family == p.family && q.number == p.number + 1)
    });
    let follows_item = ctx.last_item.is_some_and(|(f, n, last)| {
        f == p.family && n + 1 == p.number && next_nonblank(lines, last + 1) == Some(i)
    });
    if !(next_is_sibling || follows_item) {
        return None;
    }
    if ctx.appendix || ctx.glossary || follows_item {
        return Some(end);
    }
    let body = paragraph_text(text, lines, i, end, p.title_start);
    // In an appendix or a glossary a run is a list whatever its items look like; in the body,
    // only when each item is one sentence (an inline heading is a short sentence followed by
    // its paragraph) with clause punctuation (a bare title is a heading whose body is missing).
    let one_sentence = single_sentence(&body)
        && body
            .chars()
            .any(|c| matches!(c, '，' | ',' | '；' | ';' | '：' | ':' | '。'));
    // `（1）…（7）` after a line that announces them (`必须注意：`) are the points of that
    // sentence, however long each is.
    // So are entries of the glossary form (`一、在东北各省：新建和改建九个电站…`) after such a line.
    let announced = (matches!(p.family, Family::ArabicParen | Family::Circled)
        || glossary_entry(&body))
        && (follows_item
            || previous_nonblank(lines, i)
                .is_some_and(|j| trimmed(text, &lines[j]).ends_with(['：', ':'])));
    // Once a run has started, its later items may run longer (`4. 实施…行动计划，…。扩大…`).
    (ctx.appendix || ctx.glossary || one_sentence || announced || follows_item).then_some(end)
}

fn previous_nonblank(lines: &[Line], i: usize) -> Option<usize> {
    (0..i).rev().find(|&j| !lines[j].is_blank())
}

/// The text of lines `i..=end` from byte `from`, lines joined without separators.
fn paragraph_text(text: &str, lines: &[Line], i: usize, end: usize, from: usize) -> String {
    let mut s = String::new();
    for (k, line) in lines.iter().enumerate().take(end + 1).skip(i) {
        let r = line.trimmed();
        let start = if k == i { from.max(r.start) } else { r.start };
        s.push_str(&text[start.min(r.end)..r.end]);
    }
    s
}

/// No full stop with more text after it (closing quotes and brackets aside).
fn single_sentence(s: &str) -> bool {
    let mut seen_end = false;
    for c in s.chars() {
        if matches!(c, '。' | '！' | '？' | '!' | '?') {
            seen_end = true;
        } else if seen_end && !is_blank_char(c) && !matches!(c, '”' | '’' | '）' | ')' | '」')
        {
            return false;
        }
    }
    true
}

/// `“四上”企业：指…`: a short term, then a colon and its explanation.
fn glossary_entry(s: &str) -> bool {
    let Some(k) = s.find(['：', ':']) else {
        return false;
    };
    let term = &s[..k];
    !term.is_empty()
        && char_len(term) <= 24
        && !term.contains(['，', '。', ',', '；'])
        && k + 3 < s.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_and_glossary_entries() {
        assert!(single_sentence(
            "工农业生产，在提高经济效益的前提下，计划平均每年递增4%。"
        ));
        assert!(single_sentence("设立国家管理技术标准的机关（附表）。"));
        assert!(!single_sentence(
            "保持转型定力，发展质量明显向好。面对经济下行压力"
        ));
        assert!(glossary_entry("“四上”企业：指规模以上工业企业"));
        assert!(!glossary_entry("推进轨道交通加速成网，续建地铁：8号线"));
        assert!(!glossary_entry("两项改革："));
    }
}
