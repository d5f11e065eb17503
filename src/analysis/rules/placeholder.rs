//! `placeholder`: text left for later in a draft — `XX`, `××`, `X%`, `□□`, `【待核实】`,
//! `（待补充）`, `（此处…）`. Published reports contain none, so every one is worth a warning
//! before print. [`find`] is also the source of the workspace-wide list (the LSP command
//! `reportLsp.listPlaceholders`, `report-lsp placeholders DIR`). No fix: the missing figure is
//! not known.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use crate::analysis::finding::{Finding, Severity};
use crate::analysis::Analysis;

use super::{finding, Rule, RuleMeta};

pub struct Placeholder;

pub static META: RuleMeta = RuleMeta {
    code: "placeholder",
    default_severity: Severity::Warning,
    summary_en:
        "Text left for later: `XX`, `××`, `X%`, `□□`, `【待核实】`, `（待补充）`, `（此处…）`.",
    summary_zh: "占位内容未填写：“XX”“××”“X%”“□□”“【待核实】”“（待补充）”“（此处…）”。",
    why: "Drafters mark figures and passages still to come with `XX`, `××` or `□□` and notes such \
          as `【待核实】` or `（此处补充典型案例）`; proofreading services report every one, \
          because one left in the printed report is an embarrassment. Marks of two or more \
          `X`/`×`/`□` are reported when they do not belong to a Latin word (`XXL`), a single `X` \
          only before a percent sign (`X%`, `X.X%`), and bracketed notes only when they start \
          with 待核实, 待补充, 待定, 待确认, 待完善, 待更新, 待填 or 此处. The command \
          `report-lsp placeholders DIR` and the editor command \"List placeholders\" list every \
          placeholder of a workspace. Measured over ../shared/corpus-scale/ (753 published reports): 0 findings, as \
          expected of printed text (tests/verdicts/placeholder.tsv).",
    example:
        "全年地区生产总值增长XX%，城镇新增就业（待补充）万人。   ← “XX”“（待补充）”付印前须补全",
};

/// One placeholder: its byte range and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub range: Range<usize>,
    pub text: String,
}

fn regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?x)
            (?P<marks> X{2,} | x{2,} | Ｘ{2,} | ｘ{2,} | ×{2,} | ╳{2,} | □{2,} )
            | (?P<pct> [XＸ] (?: [.．] [XＸ]+ )? [%％] )
            | (?P<note> [【（(\[〔] [\ \u{3000}]*
                (?: 待(?:核实|补充|定|确认|完善|更新|填) | 此处 )
                [^】）)\]〕\n\r]{0,40} [】）)\]〕] )",
        )
        .expect("static regex")
    })
}

/// Every placeholder of `text`, in order.
pub fn find(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    // Cheap pre-filter: every pattern holds one of these characters.
    if !text.contains(['X', 'x', 'Ｘ', 'ｘ', '×', '╳', '□', '待', '此']) {
        return out;
    }
    for c in regex().captures_iter(text) {
        let Some(m) = c.get(0) else { continue };
        let latin = |ch: Option<char>| ch.is_some_and(|ch| ch.is_ascii_alphanumeric());
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        if c.name("marks").is_some() || c.name("pct").is_some() {
            // `XXL`, `MAX%`, `Windows XP`: part of a Latin word or number.
            if latin(before) || (c.name("marks").is_some() && latin(after)) {
                continue;
            }
        }
        out.push(Found {
            range: m.range(),
            text: m.as_str().to_string(),
        });
    }
    out
}

impl Rule for Placeholder {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, analysis: &Analysis<'_>, out: &mut Vec<Finding>) {
        for p in find(&analysis.text) {
            out.push(finding(
                &META,
                p.range,
                format!("占位内容未填写：“{}”，付印前须补全", p.text),
                format!(
                    "placeholder \"{}\": text left for later, to fill in before print",
                    p.text
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rules::testing;

    fn quoted(text: &str) -> Vec<String> {
        testing::findings(&Placeholder, text)
            .iter()
            .map(|f| text[f.range.clone()].to_string())
            .collect()
    }

    #[test]
    fn placeholders_of_a_draft() {
        // From the issue and the usual drafting marks, in sentences of real reports.
        assert_eq!(quoted("全年地区生产总值增长XX%左右。"), ["XX"]);
        assert_eq!(quoted("城镇新增就业（待补充）万人。"), ["（待补充）"]);
        assert_eq!(quoted("居民人均可支配收入增长X%。"), ["X%"]);
        assert_eq!(quoted("增长X.X%，高于全国××个百分点。"), ["X.X%", "××"]);
        assert_eq!(quoted("完成投资□□亿元【待核实】。"), ["□□", "【待核实】"]);
        assert_eq!(
            quoted("（此处补充典型案例）我们坚持以人民为中心。"),
            ["（此处补充典型案例）"]
        );
        assert_eq!(quoted("XXX同志"), ["XXX"]);
        let f = testing::messages(&Placeholder, "增长XX%");
        assert_eq!(f, ["占位内容未填写：“XX”，付印前须补全"]);
    }

    #[test]
    fn published_text_is_left_alone() {
        // Latin words, multiplication, X-rays, bracketed notes that are content.
        let text = "尺码XXL，3×4米，X射线检测，Windows XP系统，MAX%。\n\
                    （一）待遇保障（略）\n\
                    “十四五”规划（2021—2025年）\n\
                    二○○六年，此处省略。\n";
        assert!(quoted(text).is_empty(), "{:?}", quoted(text));
    }
}
