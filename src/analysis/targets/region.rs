//! Which government a report speaks for (`北京市`, `北京市朝阳区`, `内蒙古自治区`), read from its
//! front matter: the title (`2023年北京市政府工作报告`), the dateline (`——2024年1月11日在双鸭山市
//! 第十七届人民代表大会第三次会议上`), the speaker (`上海市市长 应勇`, `四川省人民政府省长尹力`) and
//! the opening sentence (`现在，我代表北京市人民政府，向大会报告工作`).
//!
//! Two reports' figures are compared only when they speak for the same government: the GDP of
//! Beijing and of one of its districts are different quantities. A report whose front matter
//! names no government (`我代表市人民政府`), or names two that cannot be the same, has no region.

use crate::analysis::text::{is_blank_char, is_cjk, to_halfwidth};

/// A government's name as written in a report, ending with its unit (`市`, `省`, `区`, …); an
/// outer unit may precede (`北京市朝阳区`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Region(pub String);

impl Region {
    /// Whether the two names can denote one government: equal, or one is the other preceded by
    /// complete outer units (`北京市朝阳区` and `朝阳区`).
    pub fn same_as(&self, other: &Region) -> bool {
        let (a, b) = (&self.0, &other.0);
        let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
        match long.strip_suffix(short.as_str()) {
            Some("") => true,
            Some(outer) => outer.chars().last().is_some_and(is_unit),
            None => false,
        }
    }

    /// The character that names the unit (`市`, `省`, `区` …).
    pub fn unit(&self) -> Option<char> {
        self.0.chars().last()
    }
}

/// Non-blank lines of the front matter examined.
const HEAD_LINES: usize = 12;
/// Characters of a line examined (an opening sentence can be long).
const LINE_CHARS: usize = 200;
/// Lines at most this long can be titles or speaker lines.
const SHORT_LINE: usize = 40;
/// The longest name taken (`新疆维吾尔自治区伊犁哈萨克自治州`).
const NAME_CHARS: usize = 20;

/// The government `text` reports for, or `None` when its front matter does not name exactly
/// one.
pub fn report_region(text: &str) -> Option<Region> {
    let mut found: Vec<String> = Vec::new();
    for line in text
        .lines()
        .map(|l| {
            l.chars()
                .map(to_halfwidth)
                .filter(|c| !is_blank_char(*c) && !c.is_whitespace())
                .take(LINE_CHARS)
                .collect::<Vec<char>>()
        })
        .filter(|l| !l.is_empty())
        .take(HEAD_LINES)
    {
        // The body starts after the opening sentence (`向大会报告工作`) or at the first
        // numbered heading; what it names is not the speaker's government.
        if line.starts_with(&['一', '、']) {
            break;
        }
        let opening = find(&line, &['向', '大', '会'], 0).is_some();
        let short = line.len() <= SHORT_LINE;
        let mut markers: Vec<&[char]> = vec![&CONGRESS, &GOVERNMENT];
        if short {
            markers.extend([&REPORT[..], &MAYOR, &GOVERNOR, &DISTRICT_HEAD, &COUNTY_HEAD]);
            markers.extend([&PREFECT[..], &CHAIRMAN]);
        }
        for marker in markers {
            let mut at = 0;
            while let Some(k) = find(&line, marker, at) {
                if let Some(name) = name_before(&line[..k]) {
                    found.push(name);
                }
                at = k + marker.len();
            }
        }
        if opening {
            break;
        }
    }
    let regions: Vec<Region> = found.into_iter().map(Region).collect();
    let longest = regions.iter().max_by_key(|r| r.0.chars().count())?;
    regions
        .iter()
        .all(|r| r.same_as(longest))
        .then(|| longest.clone())
}

const CONGRESS: [char; 6] = ['人', '民', '代', '表', '大', '会'];
const GOVERNMENT: [char; 4] = ['人', '民', '政', '府'];
const REPORT: [char; 6] = ['政', '府', '工', '作', '报', '告'];
const MAYOR: [char; 2] = ['市', '长'];
const GOVERNOR: [char; 2] = ['省', '长'];
const DISTRICT_HEAD: [char; 2] = ['区', '长'];
const COUNTY_HEAD: [char; 2] = ['县', '长'];
const PREFECT: [char; 2] = ['州', '长'];
const CHAIRMAN: [char; 2] = ['主', '席'];

fn is_unit(c: char) -> bool {
    matches!(c, '省' | '市' | '区' | '县' | '州' | '盟' | '旗')
}

fn find(hay: &[char], needle: &[char], from: usize) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (from..=hay.len() - needle.len()).find(|&i| hay[i..i + needle.len()] == *needle)
}

/// The government's name ending just before a marker: the run of ideographs before it, after
/// the last `在`, `代表` or `年` (`2023年北京市`, `我代表上海市`), without a trailing `第…届`,
/// `人民政府` or `人民`.
fn name_before(before: &[char]) -> Option<String> {
    let start = before
        .iter()
        .rposition(|c| !is_cjk(*c))
        .map_or(0, |i| i + 1);
    let mut run: Vec<char> = before[start..].to_vec();
    // `第十七届` before `人民代表大会`.
    if let Some(d) = run.iter().rposition(|&c| c == '第') {
        let tail = &run[d + 1..];
        if tail.last() == Some(&'届')
            && tail[..tail.len() - 1]
                .iter()
                .all(|c| "一二三四五六七八九十百".contains(*c))
        {
            run.truncate(d);
        }
    }
    for suffix in [&GOVERNMENT[..], &['人', '民'][..]] {
        if run.ends_with(suffix) {
            run.truncate(run.len() - suffix.len());
        }
    }
    for boundary in [&['在'][..], &['代', '表'][..], &['年'][..]] {
        if let Some(i) = (0..run.len())
            .rev()
            .find(|&i| run[i..].starts_with(boundary))
        {
            run.drain(..i + boundary.len());
        }
    }
    // `我代表第九届省人民政府`: a term of office, not a name.
    if let Some(i) = run.iter().rposition(|&c| c == '届') {
        run.drain(..=i);
    }
    // `自治区人民政府` names the unit, not the government; real names have at least two
    // characters before `自治区` (`西藏自治区`).
    if let Some(i) = find(&run, &['自', '治'], 0) {
        if i < 2 {
            return None;
        }
    }
    let n = run.len();
    // A name of at least two characters ending with a unit; `全市`, `本市`, `我市` are not names
    // (`本溪市` is).
    if !(2..=NAME_CHARS).contains(&n)
        || !run.last().is_some_and(|c| is_unit(*c))
        || (n == 2 && matches!(run[0], '本' | '我' | '全' | '各' | '该' | '此' | '外'))
        || matches!(
            run[0],
            '省' | '市' | '区' | '县' | '第' | '和' | '与' | '及'
        )
    {
        return None;
    }
    Some(run.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(text: &str) -> Option<String> {
        report_region(text).map(|r| r.0)
    }

    #[test]
    fn region_from_title_dateline_speaker_or_opening() {
        assert_eq!(
            region("2023年北京市政府工作报告\n各位代表：\n").as_deref(),
            Some("北京市")
        );
        assert_eq!(
            region("——2024年1月11日在双鸭山市第十七届人民代表大会第三次会议上\n\n市长 宫镇江\n各位代表：\n现在，我代表市人民政府，向大会报告工作。").as_deref(),
            Some("双鸭山市")
        );
        assert_eq!(
            region("政府工作报告\n上海市市长 应勇\n各位代表：\n现在，我代表上海市人民政府，向大会报告工作。").as_deref(),
            Some("上海市")
        );
        assert_eq!(
            region("政府工作报告\n四川省人民政府省长尹力\n各位代表：\n").as_deref(),
            Some("四川省")
        );
        assert_eq!(
            region("——二〇二四年一月十八日在赤峰市第八届人民代表大会第四次会议上\n").as_deref(),
            Some("赤峰市")
        );
        assert_eq!(
            region(
                "——2025年1月8日在延边朝鲜族自治州第十六届人民代表大会第五次会议上\n州长 洪 庆\n"
            )
            .as_deref(),
            Some("延边朝鲜族自治州")
        );
        assert_eq!(
            region("政府工作报告\n内蒙古自治区人民政府主席 王莉霞\n").as_deref(),
            Some("内蒙古自治区")
        );
        assert_eq!(
            region("——2019年1月26日在内蒙古自治区第十三届人民代表大会第二次会议上\n自治区主席布小林\n各位代表：\n现在，我代表自治区人民政府向大会报告工作。").as_deref(),
            Some("内蒙古自治区")
        );
    }

    #[test]
    fn a_district_keeps_its_outer_units_and_matches_its_short_name() {
        let r = report_region(
            "北京市朝阳区人民政府工作报告\n——2016年12月20日在朝阳区第十六届人民代表大会第一次会议上\n",
        );
        assert_eq!(r.as_ref().map(|r| r.0.as_str()), Some("北京市朝阳区"));
        let r = r.unwrap();
        assert!(r.same_as(&Region("朝阳区".into())));
        assert!(!r.same_as(&Region("北京市".into())));
        assert!(!Region("北京市".into()).same_as(&Region("天津市".into())));
        assert!(!Region("朝阳区".into()).same_as(&Region("阳区".into())));
    }

    #[test]
    fn unnamed_or_ambiguous_front_matter_has_no_region() {
        assert_eq!(
            region("政府工作报告\n市长 张三\n各位代表：\n现在，我代表市人民政府，向大会报告工作。"),
            None
        );
        assert_eq!(
            region("北京市政府工作报告\n——在天津市第十七届人民代表大会上\n"),
            None
        );
        assert_eq!(region(""), None);
        // What the body names is not the speaker's government.
        assert_eq!(
            region("政府工作报告\n各位代表：\n工业经济持续增长，获自治区人民政府通报表扬。\n"),
            None
        );
        assert_eq!(
            region("——2021年3月3日在贵港市第五届人民代表大会第六次会议上\n各位代表：\n现在，我代表市人民政府向大会报告工作。\n工业经济持续增长，获广西壮族自治区人民政府通报表扬。\n"),
            Some("贵港市".into())
        );
        assert_eq!(
            region("（2003年1月10日 徐荣凯）\n各位代表，我代表第九届省人民政府，向大会作政府工作报告。"),
            None
        );
        assert_eq!(region("各位代表：\n全市地区生产总值增长6%。"), None);
        // A government named only far into the body is not taken.
        let mut body = "各位代表：\n".to_string();
        for _ in 0..20 {
            body.push_str("一段正文。\n");
        }
        body.push_str("我代表北京市人民政府\n");
        assert_eq!(region(&body), None);
    }
}
