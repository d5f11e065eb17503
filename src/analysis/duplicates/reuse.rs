//! Which repeats across reports are worth telling a drafter about.
//!
//! Inside one report every repeat is an accident and is reported. Across reports most repeats
//! are the shared language of government reports: glossary entries re-explained every year,
//! stock paragraphs kept from year to year, goals paragraphs with the same wording and new
//! figures. Only real reuse is reported: a substantive passage copied from another
//! government's report, or one of an earlier year of the same government left unchanged.

use super::index::{FileId, Index, ParaId};

/// Cross-report passages shorter than this (normalised characters) are stock sentences
/// (`为实现上述目标，我们将重点做好以下工作`), not substantive copies.
pub const MIN_REUSE_CHARS: u32 = 50;
/// Between years of one government a passage counts as left unchanged at this similarity.
pub const UNCHANGED: f64 = 0.95;

/// What the reuse test knows of a workspace file: its government and year, read from its
/// name (`city-baishan-2015.txt`, `白山市/2015.txt`, `2023年政府工作报告.txt`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileInfo {
    /// The key with its year taken out: files differing only in the year are one government.
    pub government: String,
    pub year: Option<u16>,
}

/// The government key and year of a file key. The year is a 19xx/20xx number in the file
/// name not glued to other digits or ASCII letters (`r2001.txt` is no year).
pub fn file_info(key: &str) -> FileInfo {
    let (dir, name) = match key.rfind('/') {
        Some(i) => (&key[..i + 1], &key[i + 1..]),
        None => ("", key),
    };
    let b = name.as_bytes();
    let mut i = 0;
    while i + 4 <= b.len() {
        let four = &b[i..i + 4];
        let digits = four.iter().all(u8::is_ascii_digit);
        let century = four.starts_with(b"19") || four.starts_with(b"20");
        let before_ok = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        let after_ok = b.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        if digits && century && before_ok && after_ok {
            let year = std::str::from_utf8(four).ok().and_then(|s| s.parse().ok());
            return FileInfo {
                government: format!("{dir}{}\u{0}{}", &name[..i], &name[i + 4..]),
                year,
            };
        }
        i += 1;
    }
    // A glued name (`majorcity-nanchang-2021-10.txt`) has its year before a `-` suffix: the
    // loop above accepts `-` after the year, so only names without a year get here.
    FileInfo {
        government: key.to_string(),
        year: None,
    }
}

/// The files of the index by government: per file its info, per government its file count.
pub struct Governments {
    info: Vec<Option<(usize, Option<u16>)>>,
    sizes: Vec<usize>,
}

impl Governments {
    pub fn new(index: &Index) -> Governments {
        let mut ids: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut info = Vec::new();
        let mut sizes = Vec::new();
        for (id, f) in index.files() {
            let fi = file_info(&f.key);
            let next = ids.len();
            let g = *ids.entry(fi.government).or_insert(next);
            if g == sizes.len() {
                sizes.push(0);
            }
            sizes[g] += 1;
            let id = id as usize;
            if info.len() <= id {
                info.resize(id + 1, None);
            }
            info[id] = Some((g, fi.year));
        }
        Governments { info, sizes }
    }

    fn get(&self, f: FileId) -> Option<(usize, Option<u16>)> {
        self.info.get(f as usize).copied().flatten()
    }

    pub fn same_government(&self, a: FileId, b: FileId) -> bool {
        matches!((self.get(a), self.get(b)), (Some(x), Some(y)) if x.0 == y.0)
    }

    /// `other` is a later year than `me`: then `me` is the source, the copy is there.
    pub fn later(&self, me: FileId, other: FileId) -> bool {
        matches!(
            (self.get(me), self.get(other)),
            (Some((_, Some(a))), Some((_, Some(b)))) if b > a
        )
    }

    /// Shared language: a passage found in other files `others` of the workspace (besides
    /// `me`'s) in most years of `me`'s government (at least three files of it counting `me`),
    /// or in at least three other governments.
    pub fn shared(&self, me: FileId, others: &[FileId]) -> bool {
        let Some((g, _)) = self.get(me) else {
            return false;
        };
        let mut own = 1usize;
        let mut governments: Vec<usize> = Vec::new();
        for &o in others {
            let Some((og, _)) = self.get(o) else { continue };
            if og == g {
                own += 1;
            } else if !governments.contains(&og) {
                governments.push(og);
            }
        }
        let size = self.sizes.get(g).copied().unwrap_or(1);
        own >= 3 && own * 2 > size || governments.len() >= 3
    }
}

/// A glossary entry or other definition: a paragraph after the glossary heading of its report
/// (`glossary`, see [`glossary_line`]) starting on line `line`, or a footnote definition
/// (`[^3]: …`).
pub fn is_definition(glossary: Option<u32>, line: u32, paragraph: &str) -> bool {
    glossary.is_some_and(|g| line > g) || is_footnote(paragraph)
}

/// The line of a glossary heading of `text`: a short line naming the glossary (`名词解释`,
/// `《政府工作报告》注释`, `附：相关名词解释`, `资料：《政府工作报告》名词解释（按报告中出现顺序排列）`).
pub fn glossary_line(text: &str) -> Option<u32> {
    text.lines().enumerate().find_map(|(i, line)| {
        // At most 40 characters of up to 4 bytes, and some blanks: paragraphs are skipped
        // without decoding them.
        if line.len() > 200 {
            return None;
        }
        let t = line.trim();
        let short = t.chars().count() <= 40 && !t.contains('。') && !t.contains('，');
        let names = [
            "名词解释",
            "注释",
            "注解",
            "用语说明",
            "名词说明",
            "词语说明",
            "词语解释",
        ]
        .iter()
        .any(|n| t.contains(n));
        (short && names).then_some(i as u32)
    })
}

/// A footnote definition (`[^3]: …`, `[3]…`, `注1：…`, `注：…`).
fn is_footnote(paragraph: &str) -> bool {
    let t = paragraph.trim_start_matches([' ', '\u{3000}', '\t']);
    t.starts_with("[^")
        || t.starts_with("注：")
        || t.starts_with("注:")
        || {
            let mut c = t.chars();
            matches!(c.next(), Some('[' | '［')) && c.next().is_some_and(|d| d.is_ascii_digit())
        }
        || t.starts_with('注') && t.chars().nth(1).is_some_and(|d| d.is_ascii_digit())
}

/// The figures of a passage (runs of digits with their decimal points), in order.
pub fn figures(chars: &[char]) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let digit = c.is_ascii_digit()
            || c == '.' && !cur.is_empty() && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit());
        if digit {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Template reuse: two similar passages whose figures differ (each year's goals paragraph,
/// the same sentence with this year's numbers). Not a copy.
pub fn template(index: &Index, a: ParaId, b: ParaId) -> bool {
    let fa = figures(&index.normalized(a).chars);
    let fb = figures(&index.normalized(b).chars);
    fa != fb
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn government_and_year_from_the_name() {
        let a = file_info("/ws/city-baishan-2015.txt");
        let b = file_info("/ws/city-baishan-2016.txt");
        assert_eq!(a.government, b.government);
        assert_eq!((a.year, b.year), (Some(2015), Some(2016)));
        assert_ne!(
            file_info("/ws/city-yiyang-2015.txt").government,
            a.government
        );
        assert_eq!(file_info("白山市/2015.txt").year, Some(2015));
        assert_eq!(
            file_info("白山市/2015.txt").government,
            file_info("白山市/2019.txt").government
        );
        assert_eq!(file_info("2023年政府工作报告.txt").year, Some(2023));
        assert_eq!(file_info("docs/r2001.txt").year, None);
        assert_eq!(file_info("docs/r0001.txt").year, None);
        assert_eq!(file_info("a/12015.txt").year, None);
        assert_eq!(file_info("nanchang-2021-10.txt").year, Some(2021));
    }

    #[test]
    fn glossary_headings() {
        assert_eq!(glossary_line("正文\n\n名词解释\n\n1.甲：乙"), Some(2));
        assert_eq!(glossary_line("正文\n附：名词解释\n"), Some(1));
        assert_eq!(glossary_line("正文\n【名词解释】\n"), Some(1));
        assert_eq!(glossary_line("正文\n《政府工作报告》注释\n"), Some(1));
        assert_eq!(glossary_line("我们要做好名词解释工作。\n"), None);
        assert_eq!(glossary_line("注：文中部分经济数据为初步统计数\n"), None);
        assert_eq!(glossary_line("正文\n名词注解：\n"), Some(1));
        assert_eq!(glossary_line("正文\n部分用语说明\n"), Some(1));
        assert!(is_footnote("[^2]: “三聚焦一加强”战略部署：即"));
        assert!(is_footnote("[1]两个统筹：统筹疫情防控"));
        assert!(!is_footnote("一是加快发展。"));
    }

    #[test]
    fn figures_in_order() {
        let c: Vec<char> = "增长6.5%左右，新增就业30万人。".chars().collect();
        assert_eq!(figures(&c), vec!["6.5", "30"]);
        let d: Vec<char> = "增长7%左右，新增就业30万人。".chars().collect();
        assert_ne!(figures(&c), figures(&d));
        assert!(figures(&"没有数字。".chars().collect::<Vec<_>>()).is_empty());
    }
}
