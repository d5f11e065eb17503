//! `cjk-digit-spacing`: a space between a Chinese character and a number (`2023 年`,
//! `增长 6.5%`), as PDF extraction leaves it. Chinese official documents set numbers without
//! spaces (the opposite of the 中文文案排版指北 convention that autocorrect and zhlint enforce).
//! Fix: remove the space.

use crate::analysis::finding::{Edit, Finding, Severity};
use crate::analysis::heading::is_debris_line;
use crate::analysis::text::is_cjk;
use crate::analysis::Analysis;

use super::{finding, safe_fix, Rule, RuleMeta};

pub struct CjkDigitSpacing;

static META: RuleMeta = RuleMeta {
    code: "cjk-digit-spacing",
    default_severity: Severity::Info,
    summary_en: "A space between a Chinese character and a number (`2023 年`, `增长 6.5%`).",
    summary_zh: "汉字与数字之间有多余空格（“2023 年”“增长 6.5%”）。",
    why: "PDF extraction inserts a space wherever the typesetter switched fonts between Chinese \
          and Latin digits. Official documents (GB/T 9704, GB/T 15835) set numbers directly \
          against Chinese text, so these spaces are debris — unlike the web style of the \
          中文文案排版指北, which tools such as autocorrect and zhlint enforce. Only a single \
          space is reported: runs of spaces and the ideographic space U+3000 are layout (table \
          columns, caption separators), and numbers glued to Latin letters (`PM2.5`, `5G`) are \
          left alone.",
    example: "习近平总书记先后 10 次视察北京   ← 应为“10次视察”",
};

fn is_space(c: char) -> bool {
    c == ' ' || c == '\u{00A0}'
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// Characters of a plain number: digits, decimal point, thousands separator, percent signs.
fn is_number_char(c: char) -> bool {
    is_digit(c) || matches!(c, '.' | ',' | '%' | '％' | '‰' | '．')
}

/// Characters that glue a number into a Latin token (`PM2.5`, `G20`, `5G`, `COVID-19`).
fn is_latin_glue(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, '-' | '_' | '/' | '+' | '@' | '#')
}

/// Whether the number ending just before `end` in `s` is a plain number (not part of a Latin
/// token).
fn plain_number_before(s: &str, end: usize) -> bool {
    let before = &s[..end];
    let Some(last) = before.chars().next_back() else {
        return false;
    };
    if !(is_digit(last) || matches!(last, '%' | '％' | '‰')) {
        return false;
    }
    // The character before the number, if any, must not glue it to a Latin token.
    before
        .chars()
        .rev()
        .find(|c| !is_number_char(*c))
        .is_none_or(|c| !is_latin_glue(c))
}

/// Whether a plain number starts at `start` in `s`.
fn plain_number_after(s: &str, start: usize) -> bool {
    let after = &s[start..];
    if !after.chars().next().is_some_and(is_digit) {
        return false;
    }
    match after.chars().find(|c| !is_number_char(*c)) {
        Some(c) => !is_latin_glue(c),
        None => true,
    }
}

impl Rule for CjkDigitSpacing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, analysis: &Analysis<'_>, out: &mut Vec<Finding>) {
        let text: &str = &analysis.text;
        for line in &analysis.lines {
            let first = out.len();
            self.check_line(text, line, out);
            // Several blanks in one paragraph: one finding with one fix (issue 12: `2023 年 1 月
            // 15 日` alone gave five notes before the report's one warning).
            if out.len() > first + 1 {
                let group = out.split_off(first);
                let n = group.len();
                let edits: Vec<Edit> = group
                    .iter()
                    .flat_map(|f| f.fixes.iter().flat_map(|x| x.edits.clone()))
                    .collect();
                let head = &group[0];
                let mut f = finding(
                    &META,
                    head.range.clone(),
                    format!(
                        "本段{n}处汉字与数字之间有多余空格，如{}",
                        after_colon(&head.message.zh)
                    ),
                    format!(
                        "{n} spaces between Chinese and numbers in this paragraph, e.g. {}",
                        after_colon(&head.message.en)
                    ),
                );
                f.fixes.push(safe_fix(
                    format!("删除本段{n}处空格"),
                    format!("Remove the paragraph's {n} spaces"),
                    edits,
                ));
                out.push(f);
            }
        }
    }
}

/// The part of a message after its first colon (the quoted example).
fn after_colon(message: &str) -> &str {
    message
        .split_once(['：', ':'])
        .map_or(message, |(_, rest)| rest.trim_start())
}

impl CjkDigitSpacing {
    fn check_line(&self, text: &str, line: &crate::analysis::text::Line, out: &mut Vec<Finding>) {
        {
            let s = &text[line.trimmed()];
            // Table rows flattened to text (`- 5 基本医疗 …`, `| 3 | …`) keep their cell spaces.
            if !s.contains(is_space)
                || is_debris_line(s)
                || s.starts_with("- ")
                || s.starts_with('|')
            {
                return;
            }
            for (k, c) in s.char_indices() {
                if !is_space(c) {
                    continue;
                }
                let end = k + c.len_utf8();
                let (Some(l), Some(r)) = (s[..k].chars().next_back(), s[end..].chars().next())
                else {
                    continue;
                };
                if is_space(l) || is_space(r) {
                    continue;
                }
                let hit = (is_cjk(l) && plain_number_after(s, end))
                    || (is_cjk(r) && plain_number_before(s, k));
                if !hit {
                    continue;
                }
                let range = line.trim_start + k..line.trim_start + end;
                let (lo, hi) = context(s, k, end);
                let f = finding(
                    &META,
                    range.clone(),
                    format!(
                        "汉字与数字之间不应有空格：“{}”应为“{}”",
                        &s[lo..hi],
                        format_args!("{}{}", &s[lo..k], &s[end..hi])
                    ),
                    format!(
                        "no space between Chinese and a number: \"{}\" should be \"{}{}\"",
                        &s[lo..hi],
                        &s[lo..k],
                        &s[end..hi]
                    ),
                );
                out.push(Finding {
                    fixes: vec![safe_fix(
                        "删除空格",
                        "Remove the space",
                        vec![Edit {
                            range,
                            new_text: String::new(),
                        }],
                    )],
                    ..f
                });
            }
        }
    }
}

/// The number or character on each side of the space at `k..end`, for the message.
fn context(s: &str, k: usize, end: usize) -> (usize, usize) {
    let lo = s[..k]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_number_char(*c))
        .last()
        .map_or_else(
            || s[..k].char_indices().next_back().map_or(k, |(i, _)| i),
            |(i, _)| i,
        );
    let hi_num = s[end..]
        .char_indices()
        .take_while(|(_, c)| is_number_char(*c))
        .last()
        .map(|(i, c)| end + i + c.len_utf8());
    let hi = hi_num.unwrap_or_else(|| s[end..].chars().next().map_or(end, |c| end + c.len_utf8()));
    (lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rules::testing;

    fn check(text: &str) -> Vec<String> {
        testing::messages(&CjkDigitSpacing, text)
    }

    fn fixed(text: &str) -> String {
        testing::fixed(&CjkDigitSpacing, text, false)
    }

    #[test]
    fn spaces_around_numbers_from_pdf_extraction() {
        let text = "——2023 年 1 月 15 日\n全市污水处理率从 92.4% 提高到 97%，增长 6.5%。\n";
        // One finding per paragraph (line), with one fix for all its blanks.
        let got = check(text);
        assert_eq!(
            got,
            [
                "本段5处汉字与数字之间有多余空格，如“2023 年”应为“2023年”",
                "本段4处汉字与数字之间有多余空格，如“从 92.4%”应为“从92.4%”"
            ]
        );
        assert_eq!(
            check("增长 6.5%。"),
            ["汉字与数字之间不应有空格：“长 6.5%”应为“长6.5%”"]
        );
        assert_eq!(
            fixed(text),
            "——2023年1月15日\n全市污水处理率从92.4%提高到97%，增长6.5%。\n"
        );
        assert!(check(&fixed(text)).is_empty());
        // A non-breaking space from a web page counts too.
        assert_eq!(check("增长\u{00A0}6.5%").len(), 1);
    }

    #[test]
    fn layout_and_latin_tokens_are_left_alone() {
        let text = "表1\u{3000}主要指标\n指标  2015年  2020年\n- 5 基本医疗 优化服务\n细颗粒物 PM2.5 浓度下降，新建 5G 基站，G20 峰会。\n北京市代市长 殷勇\n第 3 页\nWe met in 2023 in Beijing.\n";
        assert!(check(text).is_empty(), "{:?}", check(text));
    }
}
