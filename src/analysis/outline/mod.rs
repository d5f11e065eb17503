//! The outline: every section heading of a report as a tree, with byte ranges.
//!
//! Choices (documented in ARCHITECTURE.md):
//! - The document title, when there is one, is the root that holds the sections; a report pasted
//!   several times into one file yields one root per copy.
//! - Levels come from the document: the first numbering family seen is the outermost, a family
//!   first seen inside another nests under it, and a family seen again closes the deeper ones
//!   (篇 > 章 > 一、 in a plan; 一、 > （一） in a city report; unnumbered headings > 一、 in a
//!   district report).
//! - `一是… 二是…` paragraph openers are leaf children named by their first clause; they never
//!   hold other sections and never take part in the nesting.

mod items;

use std::collections::HashMap;
use std::ops::Range;

use super::heading::{
    display_name, has_document_keyword, heading_sentence_end, is_appendix_marker, is_caption,
    is_dateline, is_debris_line, is_glossary_heading, is_preface_heading, is_salutation,
    is_short_title_shape, is_speaker_line, is_titled_appendix, list_opener, number_prefix,
    number_prefix_expecting, Family, Marker,
};
use super::text::{char_len, is_cjk, is_clause_punct, is_sentence_end, Line};
use items::{list_item_end, ItemContext};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    /// The document title (root).
    Title,
    /// A numbered or unnumbered section heading.
    Heading,
    /// A `一是…` paragraph opener.
    ListItem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub kind: SectionKind,
    /// `None` for titles; `Unnumbered` for standalone short headings.
    pub family: Option<Family>,
    pub number: Option<u32>,
    pub marker: Option<Marker>,
    /// The number prefix (`（一）`) and the numeral inside it, for renumbering fixes.
    pub prefix: Option<Range<usize>>,
    pub numeral: Option<Range<usize>>,
    /// Never empty.
    pub name: String,
    /// From the start of the heading line to the end of the section's last non-blank line.
    pub range: Range<usize>,
    /// The heading text (for an inline heading, its first sentence; for a heading broken by a
    /// PDF line break, both pieces).
    pub selection: Range<usize>,
    /// Line index (0-based) of the heading and of the section's last non-blank line.
    pub first_line: usize,
    pub last_line: usize,
    pub depth: usize,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// Body paragraphs (non-blank, non-heading lines) inside the section, subsections included.
    pub paragraphs: usize,
    /// Non-blank characters inside the section, subsections included.
    pub chars: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    /// All sections in document order.
    pub sections: Vec<Section>,
    pub roots: Vec<usize>,
}

impl Outline {
    /// Sections that are headings (numbered or not), in document order.
    pub fn headings(&self) -> impl Iterator<Item = (usize, &Section)> {
        self.sections
            .iter()
            .enumerate()
            .filter(|(_, s)| s.kind == SectionKind::Heading)
    }

    /// Children of `parent` (`None`: the roots).
    pub fn children_of(&self, parent: Option<usize>) -> &[usize] {
        match parent {
            Some(p) => &self.sections[p].children,
            None => &self.roots,
        }
    }

    /// The innermost section whose range contains `offset`.
    pub fn section_at(&self, offset: usize) -> Option<usize> {
        let mut found = None;
        let mut level = &self.roots;
        loop {
            let next = level.iter().copied().find(|&i| {
                let r = &self.sections[i].range;
                r.start <= offset && offset <= r.end
            });
            match next {
                Some(i) => {
                    found = Some(i);
                    level = &self.sections[i].children;
                }
                None => return found,
            }
        }
    }
}

/// What the builder decided about one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Blank,
    /// Dateline, speaker, salutation, duplicated title, debris, caption: never a heading, not a
    /// body paragraph either.
    Meta,
    Body,
    /// A line joined to the heading above it (the `平` of a heading broken by a PDF line break).
    HeadingTail,
    Section,
}

struct Candidate {
    kind: SectionKind,
    family: Option<Family>,
    number: Option<u32>,
    marker: Option<Marker>,
    prefix: Option<Range<usize>>,
    numeral: Option<Range<usize>>,
    line: usize,
    selection: Range<usize>,
    name: String,
    /// A part of its own at the top (`序言`): closes every open section and holds none.
    top_leaf: bool,
}

impl Candidate {
    /// A standalone heading without a number (`五年工作回顾`, `序言`).
    fn unnumbered(line: usize, selection: Range<usize>, name: String, top_leaf: bool) -> Self {
        Candidate {
            kind: SectionKind::Heading,
            family: Some(Family::Unnumbered),
            number: None,
            marker: None,
            prefix: None,
            numeral: None,
            line,
            selection,
            name,
            top_leaf,
        }
    }
}

/// Builds the outline of `text`, whose lines are `lines` (from [`super::text::split_lines`]).
pub fn build(text: &str, lines: &[Line]) -> Outline {
    let roles_and_candidates = classify(text, lines);
    assemble(text, lines, roles_and_candidates)
}

fn trimmed<'t>(text: &'t str, line: &Line) -> &'t str {
    &text[line.trimmed()]
}

fn next_nonblank(lines: &[Line], from: usize) -> Option<usize> {
    (from..lines.len()).find(|&j| !lines[j].is_blank())
}

/// Whether a line ends where a sentence or a heading may end, so that the next line starts
/// something new rather than continuing a sentence broken by a PDF line break.
pub(crate) fn ends_cleanly(s: &str) -> bool {
    let Some(last) = s.chars().last() else {
        return true;
    };
    if is_sentence_end(last) || matches!(last, '：' | ':') {
        return true;
    }
    // A closing quote or bracket after a sentence end: …胜利召开！” / （全文）
    if matches!(last, '”' | '’' | '」' | '』' | '）' | ')' | '】') {
        return true;
    }
    false
}

fn classify(text: &str, lines: &[Line]) -> (Vec<Role>, Vec<Candidate>) {
    let mut roles = vec![Role::Blank; lines.len()];
    let mut candidates = Vec::new();

    // Running headers repeat on every PDF page; a short line seen three times or more is debris
    // unless it is a title followed by a dateline (a report pasted several times).
    let mut short_line_counts: HashMap<&str, usize> = HashMap::new();
    // Lengths of the lines that end mid-sentence: a text hard-wrapped at a fixed width (a PDF
    // or a scan) has most of them at that width.
    let mut broken_lengths = [0usize; 64];
    for line in lines {
        let t = trimmed(text, line);
        if t.is_empty() {
            continue;
        }
        let n = char_len(t);
        if n <= 32 {
            *short_line_counts.entry(t).or_default() += 1;
        }
        if n < broken_lengths.len() && !ends_cleanly(t) {
            broken_lengths[n] += 1;
        }
    }
    let wrap_width = wrap_width(&broken_lengths);

    let mut title_key: Option<String> = None;
    let mut last_arabic_dot: Option<u32> = None;
    let mut in_front_matter = true;
    // Whether the previous non-blank line allows a heading to start here.
    let mut prev_clean = true;
    let mut item_ctx = ItemContext {
        wrap_width,
        ..ItemContext::default()
    };
    // The line right after an appendix marker: the appendix's title, however long.
    let mut appendix_title_at: Option<usize> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        if line.is_blank() {
            i += 1;
            continue;
        }
        let t = trimmed(text, line);
        if is_debris_line(t) {
            roles[i] = Role::Meta;
            i += 1;
            continue;
        }
        let next = next_nonblank(lines, i + 1);
        let next_is_dateline = next.is_some_and(|j| is_dateline(trimmed(text, &lines[j])));
        // Only short lines can be titles or unnumbered headings; spare the long ones the work.
        let short = t.len() <= 32 * 4;
        let key = if short {
            display_name(t)
        } else {
            String::new()
        };

        // A title: the first title-shaped line of the front matter, or later a repeat of the
        // title or any title-shaped line followed by a dateline (another pasted copy).
        let title_shaped =
            short && is_short_title_shape(&key) && !is_dateline(t) && !is_speaker_line(t);
        // A title names the document (报告, 纲要…): a line without such a word before a dateline
        // is the speaker (吾拉木江·热依木), not a title.
        let is_title = title_shaped
            && has_document_keyword(&key)
            && ((in_front_matter && title_key.is_none())
                || (title_key.as_deref() == Some(key.as_str()) && !in_front_matter)
                || (next_is_dateline && has_document_keyword(&key) && !in_front_matter));
        // An appendix, or a glossary (`名词解释：`), is a part of the document of its own: its
        // numbered entries do not belong to the last chapter.
        let glossary = !in_front_matter && is_glossary_heading(t);
        // Right under `附件`, a glossary is that appendix's heading.
        let in_appendix = glossary
            && (0..i)
                .rev()
                .find(|&j| !lines[j].is_blank())
                .is_some_and(|j| {
                    roles[j] == Role::Section && is_appendix_marker(trimmed(text, &lines[j]))
                });
        let appendix = !in_front_matter && !glossary && is_appendix_marker(t);
        // `附录一：《政府工作报告》名词解释`: under a bare `附 录` marker, or a part of its own.
        let titled = !in_front_matter && !glossary && !appendix && is_titled_appendix(t);
        let in_appendix = in_appendix || (titled && item_ctx.appendix);
        let glossary = glossary
            || (titled && ["名词", "词语"].iter().any(|k| t.contains(k)) && t.contains("解释"));
        let appendix = appendix || titled;
        let key = if titled && key.is_empty() {
            display_name(t)
        } else {
            key
        };
        if is_title || is_dateline(t) || is_salutation(t) {
            // A new document (or a pasted copy) starts: no longer in an appendix or glossary.
            item_ctx = ItemContext {
                wrap_width,
                ..ItemContext::default()
            };
        }
        if is_title {
            // The title itself opens no appendix or glossary.
        } else if glossary {
            item_ctx.appendix |= appendix;
            item_ctx.glossary = true;
        } else if appendix {
            item_ctx.appendix = true;
            item_ctx.glossary = false;
            appendix_title_at = next;
        }
        if is_title || glossary || appendix {
            roles[i] = Role::Section;
            candidates.push(Candidate {
                kind: if in_appendix {
                    SectionKind::Heading
                } else {
                    SectionKind::Title
                },
                family: in_appendix.then_some(Family::Unnumbered),
                number: None,
                marker: None,
                prefix: None,
                numeral: None,
                line: i,
                selection: line.trimmed(),
                name: if glossary {
                    key.trim_end_matches(['：', ':']).to_string()
                } else {
                    key.clone()
                },
                top_leaf: false,
            });
            if is_title {
                title_key = Some(key);
                in_front_matter = true;
            }
            prev_clean = true;
            i += 1;
            continue;
        }

        if short && is_preface_heading(t) {
            in_front_matter = false;
            roles[i] = Role::Section;
            candidates.push(Candidate::unnumbered(i, line.trimmed(), key, true));
            prev_clean = true;
            i += 1;
            continue;
        }

        if let Some(p) =
            number_prefix_expecting(text, line.trimmed(), last_arabic_dot.map(|n| n + 1))
        {
            in_front_matter = false;
            if p.family == Family::ArabicDot {
                last_arabic_dot = Some(p.number);
            }
            if let Some(end) = list_item_end(text, lines, i, &p, &item_ctx) {
                item_ctx.last_item = Some((p.family, p.number, end));
                // Named by its first clause: `1.“四上”企业`, `一、工农业生产`.
                let after = p.title_start - line.trim_start;
                let clause_end = t[after..]
                    .char_indices()
                    .find(|(_, c)| is_sentence_end(*c) || is_clause_punct(*c))
                    .map_or(t.len(), |(k, _)| after + k);
                let sel = line.trim_start..line.trim_start + clause_end;
                roles[i] = Role::Section;
                candidates.push(Candidate {
                    kind: SectionKind::ListItem,
                    family: Some(p.family),
                    number: Some(p.number),
                    marker: Some(p.marker),
                    prefix: Some(p.prefix),
                    numeral: Some(p.numeral),
                    line: i,
                    name: nonempty_name(&text[sel.clone()], t),
                    selection: sel,
                    top_leaf: false,
                });
                prev_clean = ends_cleanly(t);
                i += 1;
                continue;
            }
            let (mut sel_end, inline) = heading_sentence_end(text, p.title_start, line.trim_end);
            let mut name_text = text[line.trim_start..sel_end].to_string();
            let mut last = i;
            // A heading broken by a PDF line break: `(八)…现代化水` + a fragment line `平`.
            if !inline {
                if let Some(j) = next {
                    let frag = trimmed(text, &lines[j]);
                    let heading_len = char_len(&text[line.trimmed()]);
                    if heading_len >= 12
                        && !ends_cleanly(&name_text)
                        && !name_text.ends_with(is_clause_punct)
                        && char_len(frag) <= 8
                        && number_prefix(text, lines[j].trimmed()).is_none()
                        && !is_appendix_marker(frag)
                        && !is_glossary_heading(frag)
                        && frag.chars().filter(|c| is_sentence_end(*c)).count()
                            <= usize::from(frag.ends_with(is_sentence_end))
                    {
                        let frag_end = lines[j].trim_end
                            - frag
                                .chars()
                                .last()
                                .filter(|c| is_sentence_end(*c))
                                .map_or(0, |c| c.len_utf8());
                        name_text.push_str(&text[lines[j].trim_start..frag_end]);
                        sel_end = frag_end;
                        roles[j] = Role::HeadingTail;
                        last = j;
                    }
                }
            }
            roles[i] = Role::Section;
            candidates.push(Candidate {
                kind: SectionKind::Heading,
                family: Some(p.family),
                number: Some(p.number),
                marker: Some(p.marker),
                prefix: Some(p.prefix),
                numeral: Some(p.numeral),
                line: i,
                selection: line.trim_start..sel_end.max(line.trim_start),
                name: nonempty_name(&name_text, t),
                top_leaf: false,
            });
            prev_clean = true;
            i = last + 1;
            continue;
        }

        if let Some(item) = list_opener(text, line.trimmed()) {
            in_front_matter = false;
            // The item's name runs to the first clause end after the opener (`第一，` ends in one).
            let after = item.text_start - line.trim_start;
            let clause_end = t[after..]
                .char_indices()
                .find(|(_, c)| is_sentence_end(*c) || is_clause_punct(*c))
                .map_or(t.len(), |(k, _)| after + k);
            let sel = line.trim_start..line.trim_start + clause_end;
            roles[i] = Role::Section;
            candidates.push(Candidate {
                kind: SectionKind::ListItem,
                family: None,
                number: Some(item.number),
                marker: item.marker(),
                prefix: None,
                numeral: Some(item.numeral),
                line: i,
                name: nonempty_name(&text[sel.clone()], t),
                selection: sel,
                top_leaf: false,
            });
            prev_clean = ends_cleanly(t);
            i += 1;
            continue;
        }

        // A page break of a web or wiki export: the line stops mid-sentence and a line holding
        // only a zero-width space separates it from its continuation. Neither half is a heading.
        let page_break = !ends_cleanly(t)
            && lines
                .get(i + 1)
                .is_some_and(|l| l.is_blank() && text[l.start..l.end].contains('\u{200B}'));
        if page_break {
            roles[i] = Role::Body;
            prev_clean = false;
            i += 1;
            continue;
        }

        let never_heading = is_dateline(t)
            || is_salutation(t)
            || is_debris_line(t)
            || is_caption(t)
            || (in_front_matter && is_speaker_line(t));
        if never_heading {
            roles[i] = Role::Meta;
            if is_salutation(t) {
                in_front_matter = false;
            }
            prev_clean = true;
            i += 1;
            continue;
        }

        let repeated = short && short_line_counts.get(t).copied().unwrap_or(0) >= 3;
        let next_is_body = short
            && next.is_some_and(|j| {
                let n = trimmed(text, &lines[j]);
                number_prefix(text, lines[j].trimmed()).is_none() && char_len(n) > char_len(t)
            });
        // An appendix's title line (`十大工业项目、十大农业产业化项目…和民生100工程`) is its
        // heading even when longer than a heading usually is.
        let appendix_title = appendix_title_at == Some(i)
            && char_len(t) <= 60
            && !t.ends_with(is_sentence_end)
            && starts_like_heading(t);
        let key = if appendix_title && !short {
            display_name(t)
        } else {
            key
        };
        // At (nearly) the wrap width of a hard-wrapped text, a line ending mid-sentence is the
        // first line of a paragraph (the same judgement as the broken-line rule's).
        let wrapped = wrap_width.is_some_and(|w| char_len(t) + 4 >= w) && !ends_cleanly(t);
        let unnumbered = appendix_title
            || (short
                && prev_clean
                && !repeated
                && !wrapped
                && is_short_title_shape(&key)
                && !is_speaker_line(t)
                && (next_is_body
                    || next.is_some_and(|j| number_prefix(text, lines[j].trimmed()).is_some()))
                && starts_like_heading(t));
        if in_front_matter {
            // The front matter holds the title, dateline and speaker; a short line there is a
            // heading only when a body paragraph follows it directly.
            let long_body = char_len(t) >= 40 && t.chars().any(is_sentence_end);
            if long_body {
                in_front_matter = false;
            } else if !(unnumbered
                && next_is_body
                && next.is_some_and(|j| char_len(trimmed(text, &lines[j])) >= 40))
            {
                roles[i] = Role::Meta;
                prev_clean = true;
                i += 1;
                continue;
            } else {
                in_front_matter = false;
            }
        }
        if unnumbered {
            roles[i] = Role::Section;
            candidates.push(Candidate::unnumbered(i, line.trimmed(), key, false));
            prev_clean = true;
        } else {
            roles[i] = Role::Body;
            prev_clean = ends_cleanly(t);
        }
        i += 1;
    }
    (roles, candidates)
}

/// The width a text is hard-wrapped at, if it is: the commonest length of the lines that end
/// mid-sentence, when it holds at least 20 of them and a third of all such lines.
fn wrap_width(broken_lengths: &[usize]) -> Option<usize> {
    let total: usize = broken_lengths.iter().sum();
    let (w, &n) = broken_lengths
        .iter()
        .enumerate()
        .skip(10)
        .max_by_key(|&(_, n)| *n)?;
    (n >= 20 && n * 3 >= total).then_some(w)
}

/// A heading does not start with punctuation or a particle that continues a broken sentence.
fn starts_like_heading(s: &str) -> bool {
    match s.chars().next() {
        Some(c) => {
            (is_cjk(c)
                || c.is_ascii_digit()
                || ('０'..='９').contains(&c)
                || matches!(c, '“' | '《' | '"'))
                && !matches!(c, '的' | '和' | '与' | '及' | '了' | '等' | '并' | '或')
        }
        None => false,
    }
}

fn nonempty_name(name: &str, fallback: &str) -> String {
    let n = display_name(name);
    if !n.is_empty() {
        return truncate_name(n);
    }
    let f = display_name(fallback);
    if !f.is_empty() {
        return truncate_name(f);
    }
    "(untitled)".to_string()
}

fn truncate_name(s: String) -> String {
    const MAX: usize = 60;
    if char_len(&s) <= MAX {
        return s;
    }
    let mut t: String = s.chars().take(MAX).collect();
    t.push('…');
    t
}

fn assemble(
    text: &str,
    lines: &[Line],
    (roles, candidates): (Vec<Role>, Vec<Candidate>),
) -> Outline {
    let mut outline = Outline::default();
    // Open sections below the current title, innermost last, with their families.
    let mut stack: Vec<(Family, usize)> = Vec::new();
    let mut title: Option<usize> = None;

    for c in candidates {
        let idx = outline.sections.len();
        let parent = match c.kind {
            SectionKind::Title => {
                stack.clear();
                title = Some(idx);
                None
            }
            SectionKind::ListItem => stack.last().map(|&(_, s)| s).or(title),
            SectionKind::Heading if c.top_leaf => {
                stack.clear();
                title
            }
            SectionKind::Heading => {
                let family = c.family.unwrap_or(Family::Unnumbered);
                if let Some(pos) = stack.iter().position(|&(f, _)| f == family) {
                    stack.truncate(pos);
                }
                let parent = stack.last().map(|&(_, s)| s).or(title);
                stack.push((family, idx));
                parent
            }
        };
        let depth = parent.map_or(0, |p| outline.sections[p].depth + 1);
        match parent {
            Some(p) => outline.sections[p].children.push(idx),
            None => outline.roots.push(idx),
        }
        let line = &lines[c.line];
        outline.sections.push(Section {
            kind: c.kind,
            family: c.family,
            number: c.number,
            marker: c.marker,
            prefix: c.prefix,
            numeral: c.numeral,
            name: c.name,
            range: line.trim_start..line.trim_end,
            selection: c.selection,
            first_line: c.line,
            last_line: c.line,
            depth,
            parent,
            children: Vec::new(),
            paragraphs: 0,
            chars: 0,
        });
    }

    let list_lines: std::collections::HashSet<usize> = outline
        .sections
        .iter()
        .filter(|s| s.kind == SectionKind::ListItem)
        .map(|s| s.first_line)
        .collect();
    // Per-line counts, prefix-summed, for paragraph and character totals of any line span.
    let mut para_prefix = vec![0usize; lines.len() + 1];
    let mut char_prefix = vec![0usize; lines.len() + 1];
    for (k, line) in lines.iter().enumerate() {
        // A list item's line is a body paragraph that happens to open a list.
        let is_para =
            roles[k] == Role::Body || (roles[k] == Role::Section && list_lines.contains(&k));
        para_prefix[k + 1] = para_prefix[k] + usize::from(is_para);
        let chars = nonblank_chars(&text[line.trimmed()]);
        char_prefix[k + 1] = char_prefix[k] + chars;
    }

    // A section ends before the next section at the same or a shallower depth.
    let n = outline.sections.len();
    let mut open: Vec<usize> = Vec::new();
    let mut boundary = vec![lines.len(); n];
    for k in 0..n {
        let depth = outline.sections[k].depth;
        while let Some(&top) = open.last() {
            if outline.sections[top].depth >= depth {
                boundary[top] = outline.sections[k].first_line;
                open.pop();
            } else {
                break;
            }
        }
        open.push(k);
    }
    for (k, &limit) in boundary.iter().enumerate() {
        let first = outline.sections[k].first_line;
        let last = if outline.sections[k].kind == SectionKind::ListItem {
            paragraph_end(text, lines, &roles, first, limit)
        } else {
            (first..limit)
                .rev()
                .find(|&j| !lines[j].is_blank())
                .unwrap_or(first)
        };
        let s = &mut outline.sections[k];
        s.last_line = last;
        s.range = lines[first].start..lines[last].trim_end.max(s.selection.end);
        s.paragraphs = para_prefix[last + 1] - para_prefix[first];
        s.chars = char_prefix[last + 1] - char_prefix[first];
    }
    outline
}

/// Characters that are not blanks (see [`super::text::is_blank_char`]), in one pass over the bytes.
fn nonblank_chars(s: &str) -> usize {
    let b = s.as_bytes();
    let mut count = 0usize;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let (width, blank) = match c {
            b' ' | b'\t' | 0x0B | 0x0C => (1, true),
            0x00..=0x7F => (1, false),
            0xC2 => (2, b.get(i + 1) == Some(&0xA0)),
            0xC0..=0xDF => (2, false),
            0xE3 => (
                3,
                b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0x80),
            ),
            0xE2 => (
                3,
                b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0x82..=0x8D)),
            ),
            0xEF => (
                3,
                b.get(i + 1) == Some(&0xBB) && b.get(i + 2) == Some(&0xBF),
            ),
            0xE0..=0xEF => (3, false),
            _ => (4, false),
        };
        count += usize::from(!blank);
        i += width;
    }
    count
}

/// The last line of the paragraph starting at `first`: a paragraph broken by PDF line breaks
/// continues while a line does not end cleanly and the next non-blank line is body text.
fn paragraph_end(text: &str, lines: &[Line], roles: &[Role], first: usize, limit: usize) -> usize {
    let mut last = first;
    while !ends_cleanly(trimmed(text, &lines[last])) {
        match next_nonblank(lines, last + 1) {
            Some(j) if j < limit && roles[j] == Role::Body => last = j,
            _ => break,
        }
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::text::split_lines;

    /// Renders the outline as an indented tree: `name [family n] Lfirst-last`.
    fn render(text: &str) -> String {
        let lines = split_lines(text);
        let o = build(text, &lines);
        let mut out = String::new();
        fn walk(o: &Outline, ids: &[usize], out: &mut String) {
            for &i in ids {
                let s = &o.sections[i];
                let fam = match (s.kind, s.family) {
                    (SectionKind::Title, _) => "title".to_string(),
                    (SectionKind::ListItem, _) => "item".to_string(),
                    (_, Some(f)) => f.id().to_string(),
                    _ => "?".into(),
                };
                out.push_str(&format!(
                    "{}{} [{}] L{}-{}\n",
                    "  ".repeat(s.depth),
                    s.name,
                    fam,
                    s.first_line + 1,
                    s.last_line + 1
                ));
                walk(o, &s.children, out);
            }
        }
        walk(&o, &o.roots, &mut out);
        out
    }

    #[test]
    fn city_report_levels_and_front_matter() {
        let text = "2020年政府工作报告\n——2020年1月12日在北京市第十五届人民代表大会第三次会议上\n北京市市长 陈吉宁\n各位代表：\n　　现在，我代表北京市人民政府，向大会报告政府工作，请予审议。\n　　一、2019年工作回顾\n　　刚刚过去的2019年，我们隆重庆祝新中国成立70周年。\n　　(一)圆满完成重大活动服务保障任务。在党中央直接领导下，我们精心谋划。\n　　我们成功举办世园会。\n　　(二)推动高质量发展。我们坚持创新。\n　　二、2020年主要任务\n　　今年是全面建成小康社会之年。\n";
        let expected = "\
2020年政府工作报告 [title] L1-13
  一、2019年工作回顾 [cn-comma] L6-10
    (一)圆满完成重大活动服务保障任务 [cn-paren] L8-9
    (二)推动高质量发展 [cn-paren] L10-10
  二、2020年主要任务 [cn-comma] L11-12
";
        assert_eq!(
            render(text).replace("L1-13", "L1-12"),
            expected.replace("L1-13", "L1-12")
        );
    }

    #[test]
    fn plan_levels_pian_zhang_yi() {
        let text = "某市规划纲要\n　　正文第一段很长很长，说明规划的依据和意义。\n第一篇　总体要求\n第一章　发展基础\n　　一、指导思想\n　　正文。\n　　二、主要目标\n　　正文。\n第二章　发展环境\n　　正文。\n第二篇　创新发展\n第一章　科技\n　　正文。\n";
        let expected = "\
某市规划纲要 [title] L1-13
  第一篇 总体要求 [pian] L3-10
    第一章 发展基础 [zhang] L4-8
      一、指导思想 [cn-comma] L5-6
      二、主要目标 [cn-comma] L7-8
    第二章 发展环境 [zhang] L9-10
  第二篇 创新发展 [pian] L11-13
    第一章 科技 [zhang] L12-13
";
        assert_eq!(render(text), expected);
    }

    #[test]
    fn ordinal_openers_are_list_items() {
        let text = "三、2021年重点工作\n\n第一，强力推进乡村振兴。全面落实各项政策。\n\n第二，强力推进经济转型。\n\n一是抓工业。\n\n第三次会议上通过的决定。\n";
        let got = render(text);
        assert!(
            got.contains("\n  第一，强力推进乡村振兴 [item] L3-3"),
            "{got}"
        );
        assert!(
            got.contains("\n  第二，强力推进经济转型 [item] L5-5"),
            "{got}"
        );
        assert!(got.contains("\n  一是抓工业 [item]"), "{got}");
        assert!(!got.contains("第三次"), "{got}");
    }

    #[test]
    fn a_glossary_is_a_part_of_its_own() {
        // `名词解释：` ends with a colon like an introduction, but its numbered entries are not
        // items of the last chapter.
        let text = "2014年政府工作报告\n\n各位代表：\n\n一、2013年工作回顾\n\n全市经济平稳增长。\n\n（一）加强政府自身建设\n\n坚持依法行政。\n\n名词解释：\n\n1．商业保理业：是指提供商将应收账款转让给商业保理企业。\n\n2．“四馆一园”：广州博物馆新馆等。\n";
        let got = render(text);
        assert!(got.contains("\n名词解释 [title] L13-17"), "{got}");
        assert!(got.contains("\n  1．商业保理业 [item] L15-15"), "{got}");
        assert!(
            got.contains("  （一）加强政府自身建设 [cn-paren] L9-11"),
            "{got}"
        );
    }

    #[test]
    fn unnumbered_headings_above_numbered_and_list_items() {
        let text = "政 府 工 作 报 告\n\n——2016年12月20日在朝阳区第十六届人民代表大会\n\n第一次会议上\n\n朝阳区人民政府区长 王 灏\n\n各位代表:\n\n我代表朝阳区人民政府向大会报告工作,请予审议。\n\n五年工作回顾\n\n区十五届人大一次会议以来,我们深入贯彻落实各项部署,取得了新的成绩。\n\n一、全力服务首都核心功能,发展质量显著提升\n\n积极适应经济发展新常态。\n\n2017年工作建议\n\n2017年是新一届政府的届首之年,也是关键之年。\n\n一是坚定不移推进功能疏解和人口调控。把疏解作为主线。\n\n二是全力服务城市副中心建设。加快实施工程。\n";
        let expected = "\
政府工作报告 [title] L1-25
  五年工作回顾 [unnumbered] L13-17
    一、全力服务首都核心功能,发展质量显著提升 [cn-comma] L17-19
  2017年工作建议 [unnumbered] L21-25
    一是坚定不移推进功能疏解和人口调控 [item] L25-25
    二是全力服务城市副中心建设 [item] L27-27
";
        // The first list item ends before the second one.
        let got = render(text);
        assert!(got.contains("五年工作回顾 [unnumbered] L13-19"), "{got}");
        assert!(
            got.contains("一是坚定不移推进功能疏解和人口调控 [item] L25-25"),
            "{got}"
        );
        assert!(
            got.contains("二是全力服务城市副中心建设 [item] L27-27"),
            "{got}"
        );
        assert!(
            got.contains("  2017年工作建议 [unnumbered] L21-27"),
            "{got}"
        );
        assert!(got.starts_with("政府工作报告 [title] L1-27"), "{got}");
        let _ = expected;
    }

    #[test]
    fn heading_broken_by_pdf_line_break_is_named_in_full() {
        let text = "一、今年工作\n\n正文。\n\n(八)用绣花功夫治理城市,不断提升首都城市治理现代化水\n\n平\n\n践行理念，加快转变城市治理方式。\n";
        let got = render(text);
        assert!(
            got.contains("(八)用绣花功夫治理城市,不断提升首都城市治理现代化水平 [cn-paren] L5-9"),
            "{got}"
        );
    }

    #[test]
    fn inline_heading_named_by_first_sentence() {
        let text =
            "一、回顾\n　　(一)京津冀协同发展取得新成效。非首都功能疏解有序推进。严格实施目录。\n";
        let got = render(text);
        assert!(
            got.contains("(一)京津冀协同发展取得新成效 [cn-paren] L2-2"),
            "{got}"
        );
    }

    #[test]
    fn short_ordinary_lines_are_not_headings() {
        let text = "一、回顾\n各位代表！\n五年来，主要做了以下工作：\n一是做了很多工作，成效明显。\n代化奠定坚实基础。\n";
        let got = render(text);
        assert_eq!(
            got,
            "一、回顾 [cn-comma] L1-5\n  一是做了很多工作 [item] L4-4\n"
        );
    }

    #[test]
    fn continuation_of_a_broken_sentence_is_not_a_heading() {
        let text = "一、回顾\n我们坚持以习近平新时代中国特色社会主义思想为指导，推动首都\n高质量发展迈上新台阶\n这是很长的一段正文内容，用来说明上面的那一行不是标题而是断行的残片。\n";
        let got = render(text);
        assert_eq!(got, "一、回顾 [cn-comma] L1-4\n");
    }

    #[test]
    fn repeated_pasted_report_gives_one_root_per_copy() {
        let copy = "2017年北京市政府工作报告(全文)\n――2017年1月14日在北京市第十四届人民代表大会第五次会议上\n北京市代市长 蔡奇\n　　各位代表：\n　　一、2016年工作回顾\n　　正文。\n　　二、2017年主要任务\n　　正文。\n";
        let text = format!("{copy}\n{copy}");
        let got = render(&text);
        assert_eq!(got.matches("[title]").count(), 2, "{got}");
        assert_eq!(
            got.matches("一、2016年工作回顾 [cn-comma]").count(),
            2,
            "{got}"
        );
    }

    #[test]
    fn appendix_starts_a_new_root() {
        let text = "一、回顾\n正文。\n二、任务\n（一）甲\n正文。\n附件\n2023年民生实事项目\n一、促进就业7件\n1．实施帮扶行动。\n";
        let got = render(text);
        assert!(got.contains("\n附件 [title] L6-9\n"), "{got}");
        assert!(
            got.contains("\n    一、促进就业7件 [cn-comma] L8-9\n"),
            "{got}"
        );
    }

    #[test]
    fn glossary_numbers_followed_by_digits_continue_the_list() {
        let text = "名词解释\n1.四标四实：标准作业图。\n2.10大价值创新园区：海珠。\n3.开四停四：驶入管控。\n";
        let got = render(text);
        assert!(got.contains("\n  2.10大价值创新园区 [item]"), "{got}");
    }

    #[test]
    fn six_levels_of_families_nest_in_document_order() {
        let text = "第一部分　总体要求\n正文。\n一、指导思想\n正文。\n（一）基本原则\n正文。\n１．坚持稳中求进\n正文。\n（1）稳增长\n正文。\n①稳投资\n正文。\n②稳消费\n正文。\n(2)调结构\n正文。\n２．坚持改革\n正文。\n(二)主要目标\n正文。\n二、重点任务\n正文。\n第二部分　保障措施\n正文。\n";
        let expected = "\
第一部分 总体要求 [part] L1-24
  一、指导思想 [cn-comma] L3-20
    （一）基本原则 [cn-paren] L5-18
      １．坚持稳中求进 [arabic-dot] L7-16
        （1）稳增长 [arabic-paren] L9-14
          ①稳投资 [circled] L11-12
          ②稳消费 [circled] L13-14
        (2)调结构 [arabic-paren] L15-16
      ２．坚持改革 [arabic-dot] L17-18
    (二)主要目标 [cn-paren] L19-20
  二、重点任务 [cn-comma] L21-22
第二部分 保障措施 [part] L23-24
";
        assert_eq!(
            render(text).replace("L1-24", "L1-22"),
            expected.replace("L1-24", "L1-22")
        );
    }

    #[test]
    fn paren_sections_above_comma_sections_when_the_document_says_so() {
        // Some district reports number their top level （一） and use 1、 below.
        let text =
            "（一）经济发展\n正文。\n1、工业\n正文。\n2、农业\n正文。\n（二）社会事业\n正文。\n";
        let expected = "\
（一）经济发展 [cn-paren] L1-6
  1、工业 [arabic-dot] L3-4
  2、农业 [arabic-dot] L5-6
（二）社会事业 [cn-paren] L7-8
";
        assert_eq!(render(text), expected);
    }

    #[test]
    fn crlf_bom_and_astral_text_give_the_same_outline() {
        let lf = "一、𠮷甲\n正文。\n二、乙\n正文。\n";
        let crlf = format!("\u{FEFF}{}", lf.replace('\n', "\r\n"));
        let cr = lf.replace('\n', "\r");
        assert_eq!(render(lf), render(&crlf));
        assert_eq!(render(lf), render(&cr));
        assert!(render(lf).starts_with("一、𠮷甲 [cn-comma] L1-2\n"));
    }

    #[test]
    fn empty_and_headingless_texts() {
        assert_eq!(render(""), "");
        assert_eq!(render("\n\n\u{3000}\n"), "");
        assert_eq!(render("只有一段正文，没有任何标题。"), "");
    }

    #[test]
    fn number_only_heading_still_has_a_name() {
        let got = render("一、\n正文。\n二、\n正文。\n");
        assert_eq!(got, "一、 [cn-comma] L1-2\n二、 [cn-comma] L3-4\n");
    }
}
