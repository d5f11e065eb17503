//! Indicator names: one key for the same indicator across phrasings and years.
//!
//! Normalization, in order: half-width forms; blanks, quotes and bracketed glosses removed
//! (`地区生产总值（GDP）` → `地区生产总值`); a leading region word removed (`全市`, `全省`, `我市` …);
//! per-GDP prefixes unified (`万元GDP`, `单位生产总值` → `单位地区生产总值`); a trailing `量` after
//! `排放` dropped; then the synonym table maps the result to its canonical name. The table is
//! [`BUILTIN_SYNONYMS`] plus the user's `targets.synonyms` setting (`{ "canonical": ["synonym",
//! …] }`), user entries winning.

use std::collections::HashMap;

use crate::analysis::text::{is_blank_char, to_halfwidth};

/// The built-in synonym table: canonical name, then the names that mean the same indicator
/// (already in normalized form: no region word, half-width).
pub const BUILTIN_SYNONYMS: &[(&str, &[&str])] = &[
    (
        "地区生产总值",
        &[
            "GDP",
            "生产总值",
            "国内生产总值",
            "经济总量",
            "地区生产总值GDP",
        ],
    ),
    (
        "居民消费价格涨幅",
        &[
            "居民消费价格",
            "居民消费价格指数",
            "居民消费价格指数涨幅",
            "居民消费价格总水平",
            "居民消费价格总水平涨幅",
            "城市居民消费价格",
            "城市居民消费价格涨幅",
            "CPI",
            "CPI涨幅",
            "物价涨幅",
            "物价总水平",
            "价格总水平",
            "消费价格涨幅",
        ],
    ),
    ("城镇调查失业率", &["调查失业率"]),
    ("城镇登记失业率", &["登记失业率"]),
    (
        "一般公共预算收入",
        &[
            "地方一般公共预算收入",
            "公共财政预算收入",
            "地方公共财政预算收入",
            "财政一般预算收入",
            "地方财政一般预算收入",
            "地方一般预算收入",
            "一般预算收入",
            "地方级一般公共预算收入",
        ],
    ),
    (
        "固定资产投资",
        &[
            "全社会固定资产投资",
            "固定资产投资总额",
            "全社会固定资产投资总额",
        ],
    ),
    (
        "社会消费品零售总额",
        &["社会消费品零售额", "社会零售总额", "消费品零售总额"],
    ),
    (
        "进出口总额",
        &[
            "外贸进出口总额",
            "商品进出口总值",
            "进出口总值",
            "外贸进出口",
            "外贸进出口总值",
            "货物进出口总额",
        ],
    ),
    ("规模以上工业增加值", &["规模工业增加值", "规上工业增加值"]),
    (
        "居民人均可支配收入",
        &["城乡居民人均可支配收入", "居民收入", "城乡居民收入"],
    ),
    ("城镇居民人均可支配收入", &["城镇常住居民人均可支配收入"]),
    ("农村居民人均可支配收入", &["农村常住居民人均可支配收入"]),
    (
        "农村居民人均纯收入",
        &["农民人均纯收入", "农牧民人均纯收入"],
    ),
    (
        "单位地区生产总值能耗",
        &["单位地区生产总值能源消耗", "单位地区生产总值能耗下降率"],
    ),
    ("单位地区生产总值水耗", &["单位地区生产总值用水量"]),
    ("单位地区生产总值二氧化碳排放", &["单位地区生产总值碳排放"]),
    (
        "细颗粒物年均浓度",
        &[
            "PM2.5年均浓度",
            "细颗粒物浓度",
            "PM2.5浓度",
            "细颗粒物平均浓度",
            "细颗粒物PM2.5年均浓度",
            "细颗粒物年平均浓度",
        ],
    ),
    (
        "研发投入强度",
        &[
            "全社会研发投入强度",
            "研发经费支出占地区生产总值比重",
            "研发经费支出占地区生产总值的比重",
            "全社会研究与试验发展经费支出占地区生产总值的比重",
            "全社会研究与试验发展经费支出占地区生产总值比重",
            "研究与试验发展经费支出占地区生产总值比重",
            "全社会研发经费支出相当于生产总值的比例",
            "R&D经费支出占地区生产总值比重",
        ],
    ),
    (
        "城镇新增就业",
        &["新增城镇就业", "城镇新增就业人数", "新增就业"],
    ),
];

/// Region words removed from the start of an indicator.
const REGION_PREFIXES: &[&str] = &[
    "全市",
    "全省",
    "全区",
    "全县",
    "全州",
    "全盟",
    "全旗",
    "全国",
    "本市",
    "我市",
    "我省",
    "我区",
    "我县",
    "全自治区",
];

/// Per-GDP prefixes, unified to `单位地区生产总值` (and shared by the members of an intensity
/// list in `scan.rs`).
pub(super) const GDP_UNIT_PREFIXES: &[&str] = &[
    "万元地区生产总值",
    "单位地区生产总值",
    "万元生产总值",
    "单位生产总值",
    "万元GDP",
    "单位GDP",
];

/// The synonym table in force: normalized name → canonical name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Synonyms {
    map: HashMap<String, String>,
}

impl Default for Synonyms {
    fn default() -> Synonyms {
        Synonyms::builtin()
    }
}

impl Synonyms {
    /// [`BUILTIN_SYNONYMS`] alone.
    pub fn builtin() -> Synonyms {
        let mut s = Synonyms {
            map: HashMap::new(),
        };
        for (canonical, names) in BUILTIN_SYNONYMS {
            s.add(canonical, names.iter().copied());
        }
        s
    }

    /// The built-in table extended (and overridden) by user entries: canonical → synonyms.
    pub fn with_user<'a>(user: impl IntoIterator<Item = (&'a str, &'a [String])>) -> Synonyms {
        let mut s = Synonyms::builtin();
        for (canonical, names) in user {
            s.add(canonical, names.iter().map(String::as_str));
        }
        s
    }

    fn add<'a>(&mut self, canonical: &str, names: impl Iterator<Item = &'a str>) {
        let canon = self.basic(canonical);
        if canon.is_empty() {
            return;
        }
        self.map.insert(canon.clone(), canon.clone());
        for n in names {
            let key = self.basic(n);
            if !key.is_empty() {
                self.map.insert(key, canon.clone());
            }
        }
    }

    /// The normalized form before the table lookup.
    fn basic(&self, name: &str) -> String {
        let mut s = String::with_capacity(name.len());
        let mut depth = 0usize;
        for c in name.chars().map(to_halfwidth) {
            match c {
                '(' | '[' | '【' => depth += 1,
                ')' | ']' | '】' => depth = depth.saturating_sub(1),
                _ if depth > 0 => {}
                '"' | '“' | '”' | '‘' | '’' | '\'' | '「' | '」' => {}
                c if is_blank_char(c) || c == ' ' => {}
                c => s.push(c.to_ascii_uppercase()),
            }
        }
        // `细颗粒物(PM2.5)年均浓度` keeps its meaning without the gloss; an indicator that is
        // only a gloss keeps its text.
        if s.is_empty() {
            s = name
                .chars()
                .map(to_halfwidth)
                .filter(|c| !is_blank_char(*c) && *c != ' ')
                .collect();
        }
        for p in REGION_PREFIXES {
            if let Some(rest) = s.strip_prefix(p) {
                if !rest.is_empty() {
                    s = rest.to_string();
                }
                break;
            }
        }
        for p in GDP_UNIT_PREFIXES {
            if let Some(rest) = s.strip_prefix(p) {
                s = format!("单位地区生产总值{rest}");
                break;
            }
        }
        if s.ends_with("排放量") {
            s.truncate(s.len() - "量".len());
        }
        s
    }

    /// Whether `name` is the canonical name of a table entry (a well-known indicator).
    pub fn is_canonical(&self, name: &str) -> bool {
        self.map.get(name).is_some_and(|c| c == name)
    }

    /// The canonical name of an indicator as written.
    pub fn normalize(&self, name: &str) -> String {
        let b = self.basic(name);
        match self.map.get(&b) {
            Some(c) => c.clone(),
            None => b,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_indicator_across_phrasings() {
        let s = Synonyms::builtin();
        for (a, b) in [
            ("地区生产总值", "GDP"),
            ("全市生产总值", "地区生产总值（GDP）"),
            ("居民消费价格", "居民消费价格涨幅"),
            ("城市居民消费价格涨幅", "CPI"),
            ("万元地区生产总值能耗", "单位GDP能耗"),
            ("单位生产总值二氧化碳排放量", "万元地区生产总值二氧化碳排放"),
            ("细颗粒物(PM2.5)年均浓度", "PM2.5年均浓度"),
            ("地方一般公共预算收入", "公共财政预算收入"),
            ("全社会研发投入强度", "研发经费支出占地区生产总值比重"),
        ] {
            assert_eq!(s.normalize(a), s.normalize(b), "{a} vs {b}");
        }
        assert_ne!(s.normalize("城镇调查失业率"), s.normalize("城镇登记失业率"));
        assert_eq!(s.normalize("全市生产总值"), "地区生产总值");
    }

    #[test]
    fn user_entries_extend_and_override() {
        let names = vec!["经济增速".to_string()];
        let s = Synonyms::with_user([("地区生产总值", names.as_slice())]);
        assert_eq!(s.normalize("经济增速"), "地区生产总值");
        let names = vec!["登记失业率".to_string()];
        let s = Synonyms::with_user([("失业率", names.as_slice())]);
        assert_eq!(s.normalize("城镇登记失业率"), "城镇登记失业率");
        assert_eq!(s.normalize("登记失业率"), "失业率");
    }
}
