//! `variant-character`: a traditional-form character in simplified text (`建設`), from a small
//! table of forms that are never correct in simplified Chinese. Fix: replace it.

use std::sync::OnceLock;

use crate::analysis::finding::{Edit, Finding, Severity};
use crate::analysis::text::is_cjk;
use crate::analysis::Analysis;

use super::{finding, safe_fix, Rule, RuleMeta};

pub struct VariantCharacter;

static META: RuleMeta = RuleMeta {
    code: "variant-character",
    default_severity: Severity::Warning,
    summary_en: "A traditional-form character in simplified text (`建設` for `建设`).",
    summary_zh: "简体文本中夹有繁体字（“建設”应为“建设”）。",
    why: "Traditional forms slip into drafts through input methods, PDF extraction with the wrong \
          font mapping and text pasted from Hong Kong, Macao or Taiwan sources. They are \
          conspicuous in print and break search. The table holds only characters whose \
          traditional form is never a standard simplified character and maps to exactly one \
          simplified form (干/乾/幹, 于/於, 著/着 and the like are left out), so the fix is always \
          right. A document written in traditional characters is not checked, however short: \
          one whose traditional forms are at least as many as the simplified forms of the same \
          characters (a simplified text writes `国`, `发`, `们` far more often than a \
          traditional form slips in), or one with 20 or more traditional forms making over 1% \
          of its Chinese characters.",
    example: "加紧推进国际消费中心城市建設   ← 繁体字“設”应为“设”",
};

/// (traditional, simplified): each traditional form is outside the simplified standard
/// (通用规范汉字表) and has a single simplified counterpart.
const TABLE: &[(char, char)] = &[
    ('並', '并'),
    ('們', '们'),
    ('個', '个'),
    ('備', '备'),
    ('價', '价'),
    ('億', '亿'),
    ('優', '优'),
    ('內', '内'),
    ('創', '创'),
    ('劃', '划'),
    ('動', '动'),
    ('務', '务'),
    ('勢', '势'),
    ('區', '区'),
    ('協', '协'),
    ('參', '参'),
    ('員', '员'),
    ('問', '问'),
    ('單', '单'),
    ('圍', '围'),
    ('園', '园'),
    ('國', '国'),
    ('圖', '图'),
    ('團', '团'),
    ('執', '执'),
    ('堅', '坚'),
    ('報', '报'),
    ('場', '场'),
    ('壓', '压'),
    ('墊', '垫'),
    ('壞', '坏'),
    ('處', '处'),
    ('學', '学'),
    ('實', '实'),
    ('寬', '宽'),
    ('審', '审'),
    ('將', '将'),
    ('對', '对'),
    ('導', '导'),
    ('屬', '属'),
    ('層', '层'),
    ('幣', '币'),
    ('幹', '干'),
    ('幾', '几'),
    ('廣', '广'),
    ('廠', '厂'),
    ('強', '强'),
    ('後', '后'),
    ('從', '从'),
    ('復', '复'),
    ('態', '态'),
    ('應', '应'),
    ('戰', '战'),
    ('擴', '扩'),
    ('據', '据'),
    ('數', '数'),
    ('東', '东'),
    ('構', '构'),
    ('標', '标'),
    ('樂', '乐'),
    ('樓', '楼'),
    ('機', '机'),
    ('權', '权'),
    ('歡', '欢'),
    ('歲', '岁'),
    ('歷', '历'),
    ('氣', '气'),
    ('為', '为'),
    ('無', '无'),
    ('熱', '热'),
    ('爲', '为'),
    ('產', '产'),
    ('産', '产'),
    ('當', '当'),
    ('發', '发'),
    ('盡', '尽'),
    ('監', '监'),
    ('確', '确'),
    ('禮', '礼'),
    ('種', '种'),
    ('積', '积'),
    ('穩', '稳'),
    ('節', '节'),
    ('範', '范'),
    ('類', '类'),
    ('紅', '红'),
    ('組', '组'),
    ('結', '结'),
    ('統', '统'),
    ('經', '经'),
    ('綠', '绿'),
    ('維', '维'),
    ('網', '网'),
    ('緊', '紧'),
    ('線', '线'),
    ('練', '练'),
    ('總', '总'),
    ('績', '绩'),
    ('織', '织'),
    ('續', '续'),
    ('義', '义'),
    ('習', '习'),
    ('聯', '联'),
    ('職', '职'),
    ('與', '与'),
    ('興', '兴'),
    ('舉', '举'),
    ('舊', '旧'),
    ('華', '华'),
    ('衆', '众'),
    ('術', '术'),
    ('衛', '卫'),
    ('衝', '冲'),
    ('製', '制'),
    ('複', '复'),
    ('規', '规'),
    ('視', '视'),
    ('親', '亲'),
    ('觀', '观'),
    ('計', '计'),
    ('設', '设'),
    ('許', '许'),
    ('評', '评'),
    ('試', '试'),
    ('話', '话'),
    ('認', '认'),
    ('語', '语'),
    ('說', '说'),
    ('調', '调'),
    ('論', '论'),
    ('證', '证'),
    ('識', '识'),
    ('議', '议'),
    ('護', '护'),
    ('讓', '让'),
    ('豐', '丰'),
    ('貿', '贸'),
    ('費', '费'),
    ('資', '资'),
    ('質', '质'),
    ('購', '购'),
    ('車', '车'),
    ('農', '农'),
    ('這', '这'),
    ('進', '进'),
    ('運', '运'),
    ('過', '过'),
    ('達', '达'),
    ('選', '选'),
    ('還', '还'),
    ('邊', '边'),
    ('鄉', '乡'),
    ('醫', '医'),
    ('鎮', '镇'),
    ('長', '长'),
    ('開', '开'),
    ('間', '间'),
    ('關', '关'),
    ('險', '险'),
    ('際', '际'),
    ('隊', '队'),
    ('雙', '双'),
    ('電', '电'),
    ('項', '项'),
    ('預', '预'),
    ('領', '领'),
    ('題', '题'),
    ('額', '额'),
    ('風', '风'),
    ('養', '养'),
    ('體', '体'),
    ('黨', '党'),
    ('點', '点'),
];

fn simplified(c: char) -> Option<char> {
    // A bitmap of the BMP answers "not in the table" for almost every character at once.
    type Lookup = (Vec<(char, char)>, Vec<u64>);
    static SORTED: OnceLock<Lookup> = OnceLock::new();
    let (sorted, bits) = SORTED.get_or_init(|| {
        let mut v = TABLE.to_vec();
        v.sort_unstable();
        let mut bits = vec![0u64; 1024];
        for (t, _) in &v {
            let n = *t as usize;
            if n < 65536 {
                bits[n / 64] |= 1 << (n % 64);
            }
        }
        (v, bits)
    });
    let n = c as usize;
    if n < 65536 && bits[n / 64] & (1 << (n % 64)) == 0 {
        return None;
    }
    sorted
        .binary_search_by_key(&c, |(t, _)| *t)
        .ok()
        .map(|i| sorted[i].1)
}

/// Whether `c` is the simplified form of a table entry (`设` for `設`).
fn is_simplified_form(c: char) -> bool {
    static BITS: OnceLock<Vec<u64>> = OnceLock::new();
    let bits = BITS.get_or_init(|| {
        let mut bits = vec![0u64; 1024];
        for (_, s) in TABLE {
            let n = *s as usize;
            if n < 65536 {
                bits[n / 64] |= 1 << (n % 64);
            }
        }
        bits
    });
    let n = c as usize;
    n < 65536 && bits[n / 64] & (1 << (n % 64)) != 0
}

/// A document whose traditional forms are at least as many as the simplified forms of the same
/// characters is written in traditional characters, however short, and is not checked. (A
/// simplified text uses the simplified forms far more often than it lets a traditional one slip
/// in: `国`, `发`, `们` are everywhere.)
fn written_in_traditional(hits: usize, simplified_forms: usize) -> bool {
    hits > 0 && hits >= simplified_forms
}

/// A long document with more table hits than this share of its CJK characters is taken as
/// written in traditional characters too (a mixed text, say, quoting a traditional source at
/// length)…
const TRADITIONAL_SHARE: f64 = 0.01;
/// …once it has at least this many hits.
const ALWAYS_REPORT: usize = 20;

impl Rule for VariantCharacter {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, analysis: &Analysis<'_>, out: &mut Vec<Finding>) {
        let text: &str = &analysis.text;
        let mut cjk = 0usize;
        let mut simplified_forms = 0usize;
        let mut hits: Vec<(usize, char, char)> = Vec::new();
        for (k, c) in text.char_indices() {
            // CJK ideographs of the BMP are three bytes, U+4E00.. starting with E4–E9.
            if (c as u32) < 0x3400 || !is_cjk(c) {
                continue;
            }
            cjk += 1;
            if let Some(s) = simplified(c) {
                hits.push((k, c, s));
            } else if is_simplified_form(c) {
                simplified_forms += 1;
            }
        }
        if written_in_traditional(hits.len(), simplified_forms)
            || (hits.len() >= ALWAYS_REPORT && hits.len() as f64 > cjk as f64 * TRADITIONAL_SHARE)
        {
            return;
        }
        for (k, t, s) in hits {
            let range = k..k + t.len_utf8();
            // The word around the character, for the message.
            let before: String = text[..k]
                .chars()
                .rev()
                .take_while(|c| is_cjk(*c))
                .take(2)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let after: String = text[range.end..]
                .chars()
                .take_while(|c| is_cjk(*c))
                .take(1)
                .collect();
            let mut f = finding(
                &META,
                range.clone(),
                format!("繁体字“{t}”应为“{s}”（“{before}{t}{after}”应为“{before}{s}{after}”）"),
                format!("traditional form \"{t}\" should be \"{s}\" (\"{before}{t}{after}\" → \"{before}{s}{after}\")"),
            );
            f.fixes.push(safe_fix(
                format!("改为“{s}”"),
                format!("Replace with \"{s}\""),
                vec![Edit {
                    range,
                    new_text: s.to_string(),
                }],
            ));
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rules::testing;

    fn check(text: &str) -> Vec<String> {
        testing::findings(&VariantCharacter, text)
            .iter()
            .map(|f| format!("{} {}", &text[f.range.clone()], f.message.zh))
            .collect()
    }

    #[test]
    fn traditional_forms_in_simplified_text() {
        let got = check("加紧推进国际消费中心城市建設，深化商圈改造。推動發展。");
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[0], "設 繁体字“設”应为“设”（“市建設”应为“市建设”）");
    }

    #[test]
    fn simplified_text_and_traditional_documents_are_not_reported() {
        assert!(check("加紧推进国际消费中心城市建设，于是着力显著提升乾坤。").is_empty());
        let traditional =
            "政府工作報告。過去一年，我們堅持穩中求進，經濟發展實現新的進展，".repeat(5);
        assert!(check(&traditional).is_empty());
    }

    #[test]
    fn a_short_traditional_document_is_not_reported() {
        // Fewer than 20 traditional forms: the share rule alone would report each of them.
        assert!(check("政府工作報告。過去一年，我們堅持穩中求進。").is_empty());
        assert!(check("國務院關於發展實體經濟的意見").is_empty());
        // One slip in a short simplified text still is.
        assert_eq!(check("我们坚持稳中求进，国家发展實现新进展。").len(), 1);
    }

    #[test]
    fn table_is_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for (t, s) in TABLE {
            assert!(seen.insert(*t), "duplicate {t}");
            assert_ne!(t, s);
            assert!(is_cjk(*t) && is_cjk(*s));
            // No simplified target is itself listed as a traditional form.
            assert!(simplified(*s).is_none(), "{s}");
        }
    }
}
