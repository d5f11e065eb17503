//! `enumeration-mismatch`: a `分别` list whose subjects and values do not pair up
//! (`能耗、水耗和碳排放分别下降4%和3%`: three subjects, two values). Built on the figures of
//! [`crate::analysis::targets`]: the scanner gives every figure of such a list the whole subject
//! list as its indicator when it cannot pair them.

use crate::analysis::finding::{Finding, Severity};
use crate::analysis::targets::Target;
use crate::analysis::Analysis;

use super::{finding, Rule, RuleMeta};

pub struct EnumerationMismatch;

static META: RuleMeta = RuleMeta {
    code: "enumeration-mismatch",
    default_severity: Severity::Warning,
    summary_en: "A `分别` list with a different number of subjects and values.",
    summary_zh: "“分别”句中主语个数与数值个数不一致。",
    why: "`A、B和C分别增长x、y和z` pairs subjects and values by position. When an indicator is \
          added to or dropped from a sentence during drafting and its value is not, every \
          value after the gap is read against the wrong indicator.",
    example:
        "能耗、水耗和碳排放分别下降4%和3%   ← “分别”前有3项（能耗、水耗、碳排放），后有2个数值",
};

/// Splits a subject list on `、`, ignoring separators inside quotes and brackets.
fn subjects(s: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut quoted = 0i32;
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '“' | '《' | '（' | '(' => quoted += 1,
            '”' | '》' | '）' | ')' => quoted -= 1,
            _ => {}
        }
        if quoted <= 0 && c == '、' {
            if !cur.is_empty() {
                parts.push(std::mem::take(&mut cur));
            }
            i += 1;
            continue;
        }
        cur.push(c);
        i += 1;
    }
    if !cur.is_empty() {
        parts.push(cur);
    }
    parts
}

/// Both sides of the one joiner in `s` are words of at most four characters.
fn short_pair(s: &str) -> bool {
    let Some((a, b)) = s.split_once(['和', '与', '及']) else {
        return false;
    };
    let (a, b) = (a.chars().count(), b.chars().count());
    (1..=4).contains(&a) && (1..=4).contains(&b)
}

impl Rule for EnumerationMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, analysis: &Analysis<'_>, out: &mut Vec<Finding>) {
        let text: &str = &analysis.text;
        let targets = analysis.targets();
        let mut i = 0;
        while i < targets.len() {
            let t = &targets[i];
            // The run of figures sharing one written subject range.
            let run: Vec<&Target> = targets[i..]
                .iter()
                .take_while(|x| x.indicator_range == t.indicator_range)
                .collect();
            i += run.len().max(1);
            if t.indicator_range.is_empty() || run.len() < 2 {
                continue;
            }
            let Some(first) = run.first() else { continue };
            let between = text
                .get(t.indicator_range.end..first.range.start)
                .unwrap_or("");
            let whole_between = text
                .get(t.indicator_range.end..first.range.end)
                .unwrap_or("");
            if !(between.contains("分别") || whole_between.starts_with("分别")) {
                continue;
            }
            let subject_text = &text[t.indicator_range.clone()];
            let names = subjects(subject_text);
            // `、` separates subjects for sure; `和` `及` `与` may join two subjects or sit inside
            // one name (`软件和信息技术服务业`), and `城乡`/`存贷款` hold two subjects in one:
            // the number of subjects is only known to lie between these bounds.
            let min = names.len();
            let joiners = subject_text.matches(['和', '与']).count()
                + subject_text.matches('及').count()
                - subject_text.matches("普及").count()
                - subject_text.matches("涉及").count();
            let pairs = subject_text.matches("城乡").count()
                + subject_text.matches("存贷").count()
                + subject_text.matches("进出口").count();
            let mut max = min + joiners + pairs;
            let mut min = min;
            // `A、B和C`: a joiner in the last part only, none in the others, no pair words, and
            // short words on both sides of it (`水耗和碳排放`, not `软件和信息服务业增加值`,
            // where the joiner is inside a name): the joiner ends the list, the count is exact.
            let has_joiner = |s: &str| {
                s.contains(['和', '与'])
                    || (s.contains('及') && !s.contains("普及") && !s.contains("涉及"))
            };
            if pairs == 0
                && names.len() >= 2
                && names.last().is_some_and(|s| has_joiner(s))
                && names[..names.len() - 1].iter().all(|s| !has_joiner(s))
                && joiners == 1
                && names.last().is_some_and(|s| short_pair(s))
            {
                min += 1;
                max = min;
            }
            let n = run.len();
            if min < 2 || (min..=max).contains(&n) {
                continue;
            }
            // Numeral lists (`一、二、三产业`) and single characters are not subject lists; `等`
            // folds the items before it into one group (`高端装备、高端化工等六大产业收入`).
            if names.iter().any(|s| s.chars().count() <= 1) || subject_text.contains('等') {
                continue;
            }
            let last = run.last().map_or(first.range.end, |x| x.range.end);
            // Another number before the sentence ends: a value the figure scanner did not take.
            let rest = text.get(last..).unwrap_or("");
            let sentence_rest = &rest[..rest.find(['。', '；', ';', '\n']).unwrap_or(rest.len())];
            if n < min && sentence_rest.contains(|c: char| c.is_ascii_digit()) {
                continue;
            }
            let values: Vec<&str> = run.iter().map(|x| &text[x.range.clone()]).collect();
            let (count_zh, count_en) = if min == max {
                (min.to_string(), min.to_string())
            } else if n < min {
                (format!("至少{min}"), format!("at least {min}"))
            } else {
                (format!("至多{max}"), format!("at most {max}"))
            };
            out.push(finding(
                &META,
                t.indicator_range.start..last,
                format!(
                    "“分别”前有{}项（{}），后有{}个数值（{}），无法一一对应",
                    count_zh,
                    subject_text,
                    n,
                    values.join("、")
                ),
                format!(
                    "\"分别\" pairs {} subjects ({}) with {} values ({})",
                    count_en,
                    subject_text,
                    n,
                    values.join(", ")
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rules::testing;

    fn check(text: &str) -> Vec<String> {
        testing::messages(&EnumerationMismatch, text)
    }

    const HEAD: &str = "2023年政府工作报告\n各位代表：\n一、2023年主要任务\n";

    #[test]
    fn more_subjects_than_values() {
        let text = format!("{HEAD}万元地区生产总值能耗、水耗和碳排放分别下降4%和3%。\n");
        let got = check(&text);
        assert_eq!(
            got,
            vec!["“分别”前有3项（万元地区生产总值能耗、水耗和碳排放），后有2个数值（下降4%、3%），无法一一对应"]
        );
        let text = format!("{HEAD}能耗、水耗、用地和碳排放分别下降4%和3%。\n");
        let got = check(&text);
        assert!(got[0].starts_with("“分别”前有4项"), "{got:?}");
    }

    #[test]
    fn paired_lists_are_clean() {
        let text = format!("{HEAD}万元地区生产总值能耗、水耗分别下降4%和3%。城乡居民人均可支配收入分别增长5%和6%。\n");
        assert!(check(&text).is_empty(), "{:?}", check(&text));
        // A joiner inside the last name.
        let text = format!("{HEAD}金融业、软件和信息服务业增加值分别增长9.7%、15.3%。\n");
        assert!(check(&text).is_empty(), "{:?}", check(&text));
        assert_eq!(
            subjects("“一带一路”、京津冀、长江经济带"),
            vec!["“一带一路”", "京津冀", "长江经济带"]
        );
        // Joiners inside names, 普及率, 城乡 pairs.
        let text = format!("{HEAD}软件和信息技术服务业、互联网和相关服务业收入分别增长7.9%、13.7%。供热、供水、供气普及率分别达到88%、99.5%、99%。城乡低保、五保标准分别提高300元、225元和843元。\n");
        assert!(check(&text).is_empty(), "{:?}", check(&text));
    }
}
