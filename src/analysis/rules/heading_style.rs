//! `heading-style`: sibling headings of one numbering family written in different forms —
//! `（一）` beside `(二)`, `1.` beside `1、` or `１．`, `第一章` beside `第2章`, a blank after some
//! numbers and not others. Fix: convert the heading to the GB/T 9704 form where the document
//! uses it (`一、` `（一）` `（1）`), otherwise to the form most headings of that family use (ties
//! go to the standard form).

use std::collections::HashMap;
use std::ops::Range;

use crate::analysis::finding::{Edit, Finding, Related, Severity, Text};
use crate::analysis::heading::Family;
use crate::analysis::numeral::{format_arabic, format_chinese};
use crate::analysis::outline::{Section, SectionKind};
use crate::analysis::text::is_blank_char;
use crate::analysis::Analysis;

use super::{finding, safe_fix, Rule, RuleMeta};

pub struct HeadingStyle;

static META: RuleMeta = RuleMeta {
    code: "heading-style",
    default_severity: Severity::Warning,
    summary_en: "Sibling headings write their numbers in different forms (`（一）` beside `(二)`).",
    summary_zh: "同级标题编号形式不统一（“（一）”与“(二)”混用）。",
    why: "GB/T 9704 fixes one form per level (一、 （一） 1. （1））. Drafts assembled from \
          several contributors, or passed through a PDF, mix full- and half-width brackets, \
          `1.` and `1、`, full-width digits and stray blanks after the number; the mix is \
          visible on the printed page. The fix converts each heading to the GB/T 9704 form \
          where the document uses it for `一、` `（一）` `（1）` (never away from it, even when \
          a PDF extraction made `(一)` the majority), otherwise to the form the document uses \
          most often for that family; one edit per finding, fix-all converts them all.",
    example: "（一）坚持规划引领\n(二) 深化非首都功能疏解   ← 同级标题编号形式不统一：此处为“(二) ”，本文多数为“（一）”",
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Digits {
    Chinese,
    Ascii,
    Fullwidth,
}

/// How one heading writes its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Form {
    open: Option<char>,
    close: char,
    digits: Digits,
}

fn is_chapter(f: Family) -> bool {
    matches!(f, Family::Part | Family::Pian | Family::Zhang | Family::Jie)
}

/// The GB/T 9704 form of a family, preferred on ties.
fn standard(family: Family, like: Form) -> Form {
    let (open, close, digits) = match family {
        Family::CnComma => (None, '、', Digits::Chinese),
        Family::CnParen => (Some('（'), '）', Digits::Chinese),
        Family::ArabicDot => (None, '.', Digits::Ascii),
        Family::ArabicParen => (Some('（'), '）', Digits::Ascii),
        _ => (like.open, like.close, Digits::Chinese),
    };
    Form {
        open,
        close,
        digits,
    }
}

struct Numbered<'a> {
    section: &'a Section,
    prefix: Range<usize>,
    number: u32,
    form: Form,
}

fn numbered<'a>(text: &str, s: &'a Section) -> Option<Numbered<'a>> {
    let family = s.family?;
    // Numbered list items (glossary entries, task lists) are siblings whose number forms
    // should agree as well; `一是` openers carry no marker and drop out below.
    let listed = matches!(s.kind, SectionKind::Heading | SectionKind::ListItem);
    if !listed || !family.is_numbered() || family == Family::Circled {
        return None;
    }
    let prefix = s.prefix.clone()?;
    let numeral = text.get(s.numeral.clone()?)?;
    let marker = s.marker?;
    let digits = if numeral.chars().any(|c| c.is_ascii_digit()) {
        Digits::Ascii
    } else if numeral.chars().any(|c| ('０'..='９').contains(&c)) {
        Digits::Fullwidth
    } else {
        Digits::Chinese
    };
    Some(Numbered {
        section: s,
        prefix,
        number: s.number?,
        form: Form {
            open: marker.open,
            close: marker.close,
            digits,
        },
    })
}

/// The prefix of heading `h` rewritten in `form`.
fn render(text: &str, family: Family, h: &Numbered<'_>, form: Form) -> String {
    let numeral = match form.digits {
        Digits::Chinese => format_chinese(h.number),
        Digits::Ascii => format_arabic(h.number, false),
        Digits::Fullwidth => format_arabic(h.number, true),
    };
    let mut s = String::new();
    if is_chapter(family) {
        // 第 + numeral + unit, keeping the unit as written.
        let unit: String = text[h.prefix.clone()]
            .chars()
            .rev()
            .take_while(|c| {
                !c.is_ascii_digit()
                    && !('０'..='９').contains(c)
                    && !"零〇一二两三四五六七八九十百".contains(*c)
                    && !is_blank_char(*c)
            })
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        s.push('第');
        s.push_str(&numeral);
        s.push_str(&unit);
    } else {
        if let Some(o) = form.open {
            s.push(o);
        }
        s.push_str(&numeral);
        if form.close != '\0' {
            s.push(form.close);
        }
    }
    s
}

/// The edit turning the prefix of `h` into `form` (blanks after the number are left as they
/// are: they vary with the number's width and are not a form of their own).
fn convert(text: &str, family: Family, h: &Numbered<'_>, form: Form) -> Edit {
    Edit {
        range: h.prefix.clone(),
        new_text: render(text, family, h, form),
    }
}

fn shown(text: &str, h: &Numbered<'_>) -> String {
    text[h.prefix.clone()].to_string()
}

impl Rule for HeadingStyle {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, analysis: &Analysis<'_>, out: &mut Vec<Finding>) {
        let text: &str = &analysis.text;
        let outline = &analysis.outline;
        let all: Vec<Numbered<'_>> = outline
            .sections
            .iter()
            .filter_map(|s| numbered(text, s))
            .collect();
        // The document's majority form per family, ties to the standard form, then first seen.
        let mut counts: HashMap<Family, Vec<(Form, usize)>> = HashMap::new();
        for h in &all {
            let Some(family) = h.section.family else {
                continue;
            };
            let v = counts.entry(family).or_default();
            match v.iter_mut().find(|(f, _)| *f == h.form) {
                Some((_, n)) => *n += 1,
                None => v.push((h.form, 1)),
            }
        }
        // The target form per family: the GB/T 9704 form wherever the document uses it for
        // `一、` `（一）` `（1）` (issue 12: following the majority turned the standard `（一）`
        // of a PDF-extracted report into `(一)`); otherwise the majority. (`1.` against `1．`
        // is left to the majority: the standard's printed dot does not settle the width.)
        let majority: HashMap<Family, (Form, usize, bool)> = counts
            .iter()
            .map(|(&family, v)| {
                let best = v.iter().map(|(_, n)| *n).max().unwrap_or(0);
                let std = standard(family, v[0].0);
                let std_count = v.iter().find(|(f, _)| *f == std).map_or(0, |(_, n)| *n);
                let prefer_std = matches!(
                    family,
                    Family::CnComma | Family::CnParen | Family::ArabicParen
                );
                let (form, count) = if std_count == best || (prefer_std && std_count > 0) {
                    (std, std_count)
                } else {
                    let f = v.iter().find(|(_, n)| *n == best).map_or(std, |(f, _)| *f);
                    (f, best)
                };
                (family, (form, count, count == best))
            })
            .collect();

        // Sibling groups: same parent, same family.
        type Group<'g, 'h> = ((Option<usize>, Family), Vec<&'g Numbered<'h>>);
        let mut groups: Vec<Group<'_, '_>> = Vec::new();
        let mut group_of: HashMap<(Option<usize>, Family), usize> = HashMap::new();
        for h in &all {
            let Some(family) = h.section.family else {
                continue;
            };
            let key = (h.section.parent, family);
            let k = *group_of.entry(key).or_insert_with(|| {
                groups.push((key, Vec::new()));
                groups.len() - 1
            });
            groups[k].1.push(h);
        }
        for ((_, family), group) in groups {
            let Some(&(target, target_count, is_majority)) = majority.get(&family) else {
                continue;
            };
            let first_form = group[0].form;
            if group.iter().all(|h| h.form == first_form) {
                continue;
            }
            let wrong: Vec<&&Numbered<'_>> = group.iter().filter(|h| h.form != target).collect();
            let example = group
                .iter()
                .copied()
                .chain(all.iter())
                .find(|h| h.form == target)
                .map(|h| shown(text, h))
                .unwrap_or_else(|| render(text, family, group[0], target));
            let model = group.iter().find(|h| h.form == target);
            for h in &wrong {
                let this = shown(text, h);
                let want = render(text, family, h, target);
                let (why_zh, why_en) = if is_majority {
                    (
                        format!("本文同类标题多用“{example}”形式，{target_count}处"),
                        format!("the form of most such headings in the document, e.g. \"{example}\", {target_count}"),
                    )
                } else {
                    (
                        format!("GB/T 9704的形式，本文用于{target_count}处，如“{example}”"),
                        format!("the GB/T 9704 form, used {target_count} times in the document, e.g. \"{example}\""),
                    )
                };
                let mut f = finding(
                    &META,
                    h.prefix.clone(),
                    format!(
                        "同级标题编号形式不统一：此处为“{this}”，应为“{want}”（{why_zh}）"
                    ),
                    format!(
                        "sibling headings mix number forms: \"{this}\" here, expected \"{want}\" ({why_en})"
                    ),
                );
                if let Some(m) = model {
                    f.related.push(Related {
                        file: None,
                        range: m.section.selection.clone(),
                        message: Text::new(
                            "采用多数形式的同级标题",
                            "a sibling in the majority form",
                        ),
                    });
                }
                // One edit per finding: fix-all converts the whole family, and a fix never
                // grows with the document (issue 18: a group fix on every finding of 55,000
                // headings took 19 GB).
                f.fixes.push(safe_fix(
                    format!("改为“{}”", want.trim_end()),
                    format!("Change to \"{}\"", want.trim_end()),
                    vec![convert(text, family, h, target)],
                ));
                out.push(f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rules::testing;
    use crate::analysis::rules::{run, RuleSettings};

    const BODY: &str = "正文内容。\n";

    fn doc(headings: &[&str]) -> String {
        headings.iter().map(|h| format!("{h}\n{BODY}")).collect()
    }

    fn check(text: &str) -> Vec<String> {
        testing::quoted(&HeadingStyle, text)
    }

    fn fixed(text: &str) -> String {
        testing::fixed(&HeadingStyle, text, true)
    }

    /// majorcity-guangzhou-2012 (shortened): glossary entries are list items in the outline,
    /// and one of them is numbered `24.` among `22．` `23．` `25．`.
    #[test]
    fn numbered_list_items_are_checked_too() {
        let text = "一、工作回顾\n正文内容。\n\n名词解释\n\n22．天网工程：是指为满足城市治安防控和城市管理需要建设的系统。\n\n23．PM2.5：是指直径小于或等于2.5微米的颗粒物。\n\n24.5个新湖：广州计划建设花都湖、云岭湖等五个新湖。\n\n25．“一屏四片”：“一屏”即北部山地构筑天然生态屏障。\n";
        let got = check(text);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].starts_with("'24.'"), "{got:?}");
        assert!(fixed(text).contains("\n24．5个新湖"), "{}", fixed(text));
    }

    #[test]
    fn mixed_brackets_convert_to_the_majority() {
        let text = doc(&[
            "（一）甲",
            "(二) 乙",
            "(三)丙",
            "(四)丁",
            "（五）戊",
            "(六)己",
        ]);
        let got = check(&text);
        assert_eq!(got.len(), 4, "{got:?}");
        // The standard full-width form wins even as the minority (issue 12: the 2023 PDF
        // report was told to turn its standard `（一）` into `(一)`).
        assert_eq!(
            got[0],
            "'(二)' 同级标题编号形式不统一：此处为“(二)”，应为“（二）”（GB/T 9704的形式，本文用于2处，如“（一）”）"
        );
        let f = fixed(&text);
        // Blanks after the number are kept: they are not a form of their own.
        assert_eq!(
            f,
            doc(&[
                "（一）甲",
                "（二） 乙",
                "（三）丙",
                "（四）丁",
                "（五）戊",
                "（六）己"
            ])
        );
        assert!(check(&f).is_empty());
        // Without the standard form anywhere, the majority decides.
        let text = doc(&["1．甲", "2．乙", "3.丙"]);
        assert_eq!(fixed(&text), doc(&["1．甲", "2．乙", "3．丙"]));
    }

    #[test]
    fn ties_go_to_the_standard_form() {
        let text = doc(&["（一）甲", "(二)乙"]);
        assert_eq!(fixed(&text), doc(&["（一）甲", "（二）乙"]));
        let text = doc(&["1、甲", "2.乙", "３．丙", "4.丁"]);
        assert_eq!(fixed(&text), doc(&["1.甲", "2.乙", "3.丙", "4.丁"]));
        let text = doc(&["一、甲", "二．乙"]);
        assert_eq!(fixed(&text), doc(&["一、甲", "二、乙"]));
    }

    #[test]
    fn chapters_keep_their_unit_and_blank() {
        let text = doc(&["第一章\u{3000}甲", "第2章\u{3000}乙", "第三章\u{3000}丙"]);
        assert_eq!(check(&text).len(), 1);
        assert_eq!(
            fixed(&text),
            doc(&["第一章\u{3000}甲", "第二章\u{3000}乙", "第三章\u{3000}丙"])
        );
    }

    #[test]
    fn consistent_groups_are_clean_even_if_they_differ() {
        // Each group is consistent: nothing to report.
        let text = doc(&[
            "一、甲",
            "（一）子",
            "（二）子",
            "二、乙",
            "(一)子",
            "(二)子",
        ]);
        assert!(check(&text).is_empty(), "{:?}", check(&text));
        assert!(check(&doc(&["1.甲", "2.乙", "3.丙"])).is_empty());
    }

    #[test]
    fn each_finding_carries_one_single_edit_fix() {
        let text = doc(&[
            "一、甲",
            "（一）子",
            "（二）子",
            "（三）子",
            "二、乙",
            "(一)子",
            "（二）子",
        ]);
        let a = Analysis::new(&text);
        let out = run(&a, &RuleSettings::default(), &[&HeadingStyle]);
        assert_eq!(out.findings.len(), 1);
        assert_eq!(out.findings[0].fixes.len(), 1);
        assert_eq!(out.findings[0].fixes[0].edits.len(), 1);
        assert!(out.findings[0].fixes[0].safe);
    }
}
