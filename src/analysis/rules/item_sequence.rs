//! `item-sequence`: enumerations inside one paragraph (`一是…二是…四是`, `（1）…（2）…（4）`,
//! `①②④`) that skip, repeat or go backwards. Line-initial items and headings are
//! `heading-numbering`'s; this rule reads the markers that run on inside a paragraph, where a
//! deleted or moved clause leaves the numbering broken. No fix: whether an item was dropped or
//! mis-numbered is for the drafter to say.

use std::sync::OnceLock;

use regex::Regex;

use crate::analysis::finding::{Finding, Severity};
use crate::analysis::heading::is_debris_line;
use crate::analysis::numeral::{parse_arabic, parse_chinese, parse_circled};
use crate::analysis::Analysis;

use super::{finding, Rule, RuleMeta};

pub struct ItemSequence;

pub static META: RuleMeta = RuleMeta {
    code: "item-sequence",
    default_severity: Severity::Warning,
    summary_en: "Enumeration markers inside a paragraph that skip, repeat or go backwards \
                 (`一是…二是…四是`, `（1）（2）（4）`).",
    summary_zh: "段内序号跳号、重号或倒序（“一是…二是…四是”“（1）（2）（4）”）。",
    why: "Reports enumerate within a paragraph with `一是、二是…`, `（1）（2）…` or `①②…`; when \
          a clause is deleted or moved in revision, the markers after it are left behind. \
          Proofreading services check these sequences. A marker counts only where a clause \
          starts (after punctuation or at the start of the line, so 统一是 is not 一是 and \
          小（二）型 is a class; a bracketed number after a closing quote, `“人才十条”（14）`, \
          is a note reference), each marker family is followed on its own, a return to one \
          starts a new list, and a gap whose numbers appear elsewhere in the paragraph (as \
          notes) is not reported. Measured over ../shared/corpus-scale/ (753 reports): 1 finding, 1 true (a real skip in \
          majorcity-guangzhou-1997); the 3 false findings of earlier versions (note references, \
          小（二）型) are kept in tests/verdicts/item-sequence.tsv and stay gone.",
    example: "一是加快延伸产业链条。二是坚定有序化解过剩产能。四是做大做强行业龙头。\n\
              ← “二是”之后应为“三是”，此处为“四是”",
};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Family {
    Shi,
    Paren,
    ChineseParen,
    Circled,
}

fn regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?x)
            (?P<shi> (?:十[一二三四五六七八九]?|[一二三四五六七八九])是 )
            | (?P<paren> [（(] [0-9０-９]{1,2} [）)] | [0-9０-９]{1,2} [）)] )
            | (?P<cnparen> [（(] (?:十[一二三四五六七八九]?|[一二三四五六七八九]) [）)] )
            | (?P<circled> [①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳] )",
        )
        .expect("static regex")
    })
}

/// Characters after which a clause (and so an enumeration marker) may start.
fn opens_clause(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '；'
            | '：'
            | '、'
            | '！'
            | '？'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '）'
            | ')'
            | ','
            | ';'
            | ':'
            | ' '
            | '\u{3000}'
            | '>'
            | '|'
    )
}

struct Marker {
    family: Family,
    value: u32,
    range: std::ops::Range<usize>,
    /// Where a clause starts: only these are read as items; the others (`子企业（13）20家`,
    /// a note reference) still show that a number is not missing.
    item: bool,
}

fn markers(s: &str) -> Vec<Marker> {
    let mut out = Vec::new();
    for c in regex().captures_iter(s) {
        let Some(m) = c.get(0) else { continue };
        let before = s[..m.start()].chars().next_back();
        let at_clause = before.is_none_or(opens_clause);
        let text = m.as_str();
        let inner = text.trim_matches(['（', '(', '）', ')']);
        // After a closing quote a bracketed number is a note reference (`“十条”（14）`).
        let after_quote = before.is_some_and(|b| matches!(b, '”' | '’'));
        let (family, value, item) = if c.name("shi").is_some() {
            (
                Family::Shi,
                parse_chinese(inner.trim_end_matches('是')),
                at_clause,
            )
        } else if c.name("paren").is_some() {
            (
                Family::Paren,
                parse_arabic(inner),
                at_clause && !after_quote,
            )
        } else if c.name("cnparen").is_some() {
            // `小（二）型水库` is a class, not an item.
            (
                Family::ChineseParen,
                parse_chinese(inner),
                at_clause && !after_quote,
            )
        } else {
            (
                Family::Circled,
                text.chars().next().and_then(parse_circled),
                true,
            )
        };
        if let Some(value) = value {
            out.push(Marker {
                family,
                value,
                range: m.range(),
                item,
            });
        }
    }
    out
}

fn render(family: Family, n: u32) -> String {
    use crate::analysis::numeral::{format_chinese, format_circled};
    match family {
        Family::Shi => format!("{}是", format_chinese(n)),
        Family::Paren => format!("（{n}）"),
        Family::ChineseParen => format!("（{}）", format_chinese(n)),
        Family::Circled => format_circled(n),
    }
}

impl Rule for ItemSequence {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, analysis: &Analysis<'_>, out: &mut Vec<Finding>) {
        let text: &str = &analysis.text;
        for line in &analysis.lines {
            let s = &text[line.trimmed()];
            if s.len() < 6 || is_debris_line(s) {
                continue;
            }
            let all = markers(s);
            for family in [
                Family::Shi,
                Family::Paren,
                Family::ChineseParen,
                Family::Circled,
            ] {
                let seq: Vec<&Marker> = all
                    .iter()
                    .filter(|m| m.family == family && m.item)
                    .collect();
                for w in seq.windows(2) {
                    let (prev, cur) = (w[0], w[1]);
                    if cur.value == prev.value + 1 || cur.value == 1 {
                        continue;
                    }
                    // The numbers in between are there, just not where a clause starts: notes
                    // or a marker glued to the text before it. Not sure, so quiet.
                    let between = |m: &&Marker| {
                        m.family == family
                            && !m.item
                            && m.range.start > prev.range.start
                            && m.range.start < cur.range.start
                    };
                    if all.iter().any(|m| between(&m)) {
                        continue;
                    }
                    let expected = render(family, prev.value + 1);
                    let found = &s[cur.range.clone()];
                    let previous = &s[prev.range.clone()];
                    let (zh, en) = if cur.value == prev.value {
                        ("段内序号重复", "repeated item marker")
                    } else if cur.value < prev.value {
                        ("段内序号倒序", "item markers out of order")
                    } else {
                        ("段内序号跳号", "item marker skips")
                    };
                    let range = line.trim_start + cur.range.start..line.trim_start + cur.range.end;
                    out.push(finding(
                        &META,
                        range,
                        format!("{zh}：“{previous}”之后应为“{expected}”，此处为“{found}”"),
                        format!(
                            "{en}: \"{expected}\" should follow \"{previous}\", found \"{found}\""
                        ),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rules::testing;

    fn check(text: &str) -> Vec<String> {
        testing::messages(&ItemSequence, text)
    }

    #[test]
    fn skips_repeats_and_order() {
        // majorcity-tangshan-2014 (abridged, 三是 renumbered to 四是).
        let text = "一是加快延伸产业链条。二是坚定有序化解过剩产能。四是做大做强行业龙头。\n";
        assert_eq!(
            check(text),
            ["段内序号跳号：“二是”之后应为“三是”，此处为“四是”"]
        );
        // majorcity-guangzhou-1997: the published text has no 二是.
        let text = "但也存在一些困难和问题。一是国有企业改革难度大。三是农业基础比较薄弱。四是经济增长的拉力相对不足。\n";
        assert_eq!(check(text).len(), 1);
        assert_eq!(
            check("（1）建设平台；（2）推进共享；（2）发布事项。"),
            ["段内序号重复：“（2）”之后应为“（3）”，此处为“（2）”"]
        );
        assert_eq!(
            check("①加快建设；③推进改造；②完善机制。"),
            [
                "段内序号跳号：“①”之后应为“②”，此处为“③”",
                "段内序号倒序：“③”之后应为“④”，此处为“②”"
            ]
        );
    }

    #[test]
    fn correct_and_ambiguous_sequences_are_quiet() {
        // city-tongren-2014: `2）` without its opening bracket still counts as (2).
        let text = "民生“十件实事”：（1）实现减贫摘帽；2）新增扶持微型企业1200户；（3）建成城镇义务教育学校。\n";
        assert!(check(text).is_empty(), "{:?}", check(text));
        // 统一是 and 唯一是 are not markers; a new list starts again at one; separate lines.
        let text =
            "标准统一是基础，一是抓投资，二是促消费。一是稳就业，二是保民生。\n三是强治理。\n";
        assert!(check(text).is_empty(), "{:?}", check(text));
        // Families are followed apart.
        assert!(check("一是（1）甲（2）乙，二是（1）丙（2）丁。").is_empty());
        // Numbers in brackets after a word are references or classes, not markers
        // (province-yunnan-2013: 小（一）型、小（二）型水库).
        assert!(check("见表A(1)和表B(3)。").is_empty());
        assert!(check("开工建设244件重点小（二）型及456件一般小（二）型水利工程。").is_empty());
        // city-huangshi-2018: note references after quoted names and words.
        let text = "出台“金融八条”（12），6家平台公司资产重组，挂牌子企业（13）20家，落实“人才十条”（14），推进“一业”（15）改革。";
        assert!(check(text).is_empty(), "{:?}", check(text));
    }
}
