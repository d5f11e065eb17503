//! Tests of duplicate detection: segmentation, normalisation, fingerprints, matching, runs, boilerplate.

use std::sync::Arc;

use super::*;
use crate::analysis::rules::RuleSettings;

const EIGHT: &str =
    include_str!("../../../tests/fixtures/corpus/beijing-2017-report-pasted-8-times.txt");

fn index(docs: &[(&str, &str)]) -> Index {
    Index::bulk(
        docs.iter()
            .map(|(k, t)| (Arc::from(*k), Arc::from(*t)))
            .collect(),
        DupSettings::default().boilerplate_ratio(),
        2,
    )
}

fn findings(index: &Index, key: &str) -> Vec<DupFinding> {
    document_findings(
        index,
        key,
        &DupSettings::default(),
        &RuleSettings::default(),
    )
}

fn render(index: &Index, key: &str) -> Vec<String> {
    findings(index, key)
        .iter()
        .map(|d| format!("{} {}", d.finding.code, d.finding.message.zh))
        .collect()
}

const A: &str =
    "坚持稳中求进工作总基调，全面贯彻新发展理念，加快构建新发展格局，着力推动高质量发展。";
const B: &str =
    "持续深化京津冀协同发展，有序疏解非首都功能，推动城市副中心高质量发展取得新的成效。";
const C: &str = "扎实推进乡村振兴，加强农业基础设施建设，促进农民持续增收，改善农村人居环境。";
/// Passages long enough (50+ characters) to be substantive across reports.
const LA: &str = "坚持稳中求进工作总基调，全面贯彻新发展理念，加快构建新发展格局，着力推动高质量发展，不断增强城市综合实力和竞争力。";
const LB: &str = "持续深化京津冀协同发展，有序疏解非首都功能，推动城市副中心高质量发展取得新的成效，打造现代化首都都市圈。";
const LC: &str = "扎实推进乡村振兴，加强农业基础设施建设，促进农民持续增收，改善农村人居环境，建设宜居宜业和美乡村新面貌。";

#[test]
fn a_repeated_block_is_one_finding_on_the_later_occurrence() {
    let text = format!(
        "各位代表：\n{A}\n（一）总体要求\n{B}\n{C}\n\n各位代表：\n{A}\n（一）总体要求\n{B}\n{C}\n"
    );
    let idx = index(&[("a", &text)]);
    let f = findings(&idx, "a");
    assert_eq!(f.len(), 1, "{f:#?}");
    let d = &f[0].finding;
    assert_eq!(d.code, "duplicate-passage");
    assert_eq!(d.message.zh, "第7–11行与第1–5行重复，共5段");
    assert_eq!(d.related.len(), 1);
    assert_eq!(d.related[0].file, None);
    assert_eq!(
        &text[d.related[0].range.clone()],
        &text[..text.find(C).unwrap() + C.len()]
    );
    // The fix deletes the later block's whole lines.
    let mut fixed = text.clone();
    let e = &d.fixes[0].edits[0];
    fixed.replace_range(e.range.clone(), &e.new_text);
    assert_eq!(
        fixed,
        format!("各位代表：\n{A}\n（一）总体要求\n{B}\n{C}\n\n")
    );
}

#[test]
fn short_lines_and_headings_are_never_flagged() {
    let text = "各位代表：\n（一）总体要求\n正文。\n各位代表：\n（一）总体要求\n";
    let idx = index(&[("a", text)]);
    assert!(findings(&idx, "a").is_empty());
}

#[test]
fn near_duplicates_carry_their_similarity_and_cross_file_related_information() {
    let edited = LA.replace("加快构建", "加快建设");
    let idx = index(&[("file:///w/west.txt", LA), ("file:///w/east.txt", &edited)]);
    let f = findings(&idx, "file:///w/east.txt");
    assert_eq!(f.len(), 1, "{f:#?}");
    let d = &f[0].finding;
    assert_eq!(d.code, "near-duplicate-passage");
    assert_eq!(d.severity, Severity::Info);
    assert!(
        d.message
            .zh
            .starts_with("本段与west.txt 第1行相似（相似度9"),
        "{}",
        d.message.zh
    );
    assert_eq!(d.related[0].file.as_deref(), Some("file:///w/west.txt"));
    // Without years, both sides see it.
    assert_eq!(findings(&idx, "file:///w/west.txt").len(), 1);
}

#[test]
fn normalisation_makes_width_space_and_punctuation_variants_exact() {
    let variant = LA.replace('，', ", ").replace("。", ".");
    let idx = index(&[("a", LA), ("b", &format!("\u{3000}\u{3000}{variant}"))]);
    assert_eq!(
        render(&idx, "b"),
        vec!["duplicate-passage 本段与a 第1行重复"]
    );
}

#[test]
fn the_eight_copies_file_yields_seven_block_findings() {
    let idx = index(&[("file:///c/eight.txt", EIGHT)]);
    let got = render(&idx, "file:///c/eight.txt");
    assert_eq!(got.len(), 7, "{got:#?}");
    assert_eq!(got[0], "duplicate-passage 第77–151行与第1–75行重复，共75段");
    let f = findings(&idx, "file:///c/eight.txt");
    assert_eq!(f[6].finding.related.len(), 7);
}

#[test]
fn ignored_fingerprints_and_disabled_rules_are_silent() {
    let text = format!("{A}\n{A}\n");
    let idx = index(&[("a", &text)]);
    let f = findings(&idx, "a");
    assert_eq!(f.len(), 1);
    let mut s = DupSettings::default();
    s.ignore.insert(f[0].fingerprint);
    assert!(document_findings(&idx, "a", &s, &RuleSettings::default()).is_empty());
    let mut rules = RuleSettings::default();
    rules.overrides.insert("duplicate-passage".into(), None);
    assert!(document_findings(&idx, "a", &DupSettings::default(), &rules).is_empty());
    assert_eq!(
        parse_fingerprint(&fingerprint_string(f[0].fingerprint)),
        Some(f[0].fingerprint)
    );
}

#[test]
fn boilerplate_present_in_most_files_is_not_flagged() {
    let opening =
        "现在，我代表市人民政府，向大会报告工作，请予审议，并请市政协委员和其他列席人员提出意见。";
    let docs: Vec<(String, String)> = (0..8)
        .map(|i| {
            let body: String = (0..40)
                .map(|j| char::from_u32(0x4E00 + (i * 977 + j * 131) % 20000).unwrap())
                .collect();
            (format!("f{i}"), format!("{opening}\n{body}。\n"))
        })
        .collect();
    let refs: Vec<(&str, &str)> = docs.iter().map(|(k, t)| (k.as_str(), t.as_str())).collect();
    let idx = index(&refs);
    for (k, _) in &refs {
        assert!(findings(&idx, k).is_empty(), "{k}: {:?}", render(&idx, k));
    }
}

#[test]
fn a_long_sentence_pasted_into_another_paragraph_is_found() {
    let long = "加快建设国际科技创新中心，强化国家战略科技力量，推动关键核心技术攻关取得新突破。";
    let a = format!("第一段开头的话。{long}后面还有别的内容，讲的是另外一件事情。\n");
    let b = format!("完全不同的段落开头，说的是城市更新。{long}然后又接着说城市治理的事。\n");
    // Inside one report it is an accident.
    let both = format!("{a}{b}");
    let idx = index(&[("a", &both)]);
    let f = findings(&idx, "a");
    assert_eq!(f.len(), 1, "{:?}", render(&idx, "a"));
    assert_eq!(f[0].finding.message.zh, "本句与第1行的句子重复");
    assert_eq!(f[0].finding.severity, Severity::Warning);
    assert_eq!(&both[f[0].finding.range.clone()], long);
    // Across reports a shared sentence is stock language.
    let idx = index(&[("a", &a), ("b", &b)]);
    assert!(findings(&idx, "b").is_empty(), "{:?}", render(&idx, "b"));
}

#[test]
fn incremental_updates_match_a_fresh_index() {
    let mut idx = index(&[("a", LA), ("b", LB)]);
    assert!(findings(&idx, "b").is_empty());
    assert!(idx.update("b", Arc::from(format!("{LB}\n{LA}\n"))));
    assert!(!idx.update("b", Arc::from(format!("{LB}\n{LA}\n"))));
    assert_eq!(
        render(&idx, "b"),
        vec!["duplicate-passage 本段与a 第1行重复"]
    );
    assert!(idx.remove("a"));
    assert!(findings(&idx, "b").is_empty());
    idx.update("c", Arc::from(format!("{LC}\n{LB}\n")));
    assert_eq!(
        render(&idx, "c"),
        vec!["duplicate-passage 本段与b 第1行重复"]
    );
    idx.compact();
    assert_eq!(
        render(&idx, "c"),
        vec!["duplicate-passage 本段与b 第1行重复"]
    );
}

#[test]
fn clusters_merge_blocks() {
    let text = format!("{A}\n{B}\n{C}\n");
    let idx = index(&[("a", &text), ("b", &text), ("c", A)]);
    let cl = clusters(&idx, &DupSettings::default());
    assert_eq!(cl.len(), 2, "{cl:#?}");
    // A is in all three files (3 members of 1 paragraph); B and C follow it in a and b only,
    // so their clusters (2 members each) merge into one block of 2 paragraphs. A cannot join
    // that block: a block's clusters have the same number of members.
    let mut sizes: Vec<(usize, u32)> = cl
        .iter()
        .map(|c| (c.members.len(), c.members[0].paragraphs))
        .collect();
    sizes.sort();
    assert_eq!(sizes, vec![(2, 2), (3, 1)], "{cl:#?}");
}

#[test]
fn cached_findings_after_edits_equal_fresh_ones() {
    let other = format!("{A}\n{B}\n");
    let mut idx = index(&[("doc", EIGHT), ("other", &other)]);
    let mut cache = MatchCache::default();
    let s = DupSettings::default();
    let r = RuleSettings::default();
    let mut text = EIGHT.to_string();
    type Edit = Box<dyn Fn(&str) -> String>;
    let edits: Vec<Edit> = vec![
        // One character in copy 3.
        Box::new(|t: &str| {
            let at = t.match_indices("各位代表").nth(2).unwrap().0 + 400;
            let at = (at..).find(|&i| t.is_char_boundary(i)).unwrap();
            format!("{}字{}", &t[..at], &t[at..])
        }),
        // A paragraph of the other file pasted in.
        Box::new(|t: &str| format!("{t}\n{B}\n")),
        // A new paragraph, then a near copy of it.
        Box::new(|t: &str| format!("{C}\n{t}")),
        Box::new(|t: &str| format!("{t}\n{}\n", C.replace("加强", "强化"))),
    ];
    let key = "doc";
    let _ = document_findings_cached(&idx, key, &s, &r, &mut cache);
    for edit in &edits {
        text = edit(&text);
        idx.update(key, Arc::from(text.as_str()));
        let cached = document_findings_cached(&idx, key, &s, &r, &mut cache);
        let fresh = document_findings(&idx, key, &s, &r);
        assert_eq!(cached, fresh);
    }
    assert!(
        render(&idx, key).iter().any(|l| l.contains("相似")),
        "{:?}",
        render(&idx, key)
    );
}

/// Editing one of eight identical copies of a paragraph, then undoing it: the other copies keep
/// their ids and places (the run building relies on it to keep its runs).
#[test]
fn an_edited_copy_leaves_the_other_copies_their_ids() {
    let mut idx = index(&[("doc", EIGHT)]);
    let ids = |idx: &Index| idx.file(idx.file_id("doc").unwrap()).unwrap().paras.clone();
    let before = ids(&idx);
    let version = idx.ords_version();
    let at = EIGHT.match_indices("各位代表").nth(4).unwrap().0 + 400;
    let at = (at..).find(|&i| EIGHT.is_char_boundary(i)).unwrap();
    let edited = format!("{}改{}", &EIGHT[..at], &EIGHT[at..]);
    for text in [edited.as_str(), EIGHT] {
        idx.update("doc", Arc::from(text));
        let now = ids(&idx);
        assert_eq!(now.len(), before.len());
        let changed = now.iter().zip(&before).filter(|(a, b)| a != b).count();
        assert_eq!(changed, 1, "only the edited paragraph gets a new id");
        assert_eq!(idx.ords_version(), version);
    }
}

/// A paragraph edited hundreds of times still finds its copies: its dead versions do not pile
/// up in the postings of its fingerprints until they look like stock phrases.
#[test]
fn a_long_editing_session_keeps_finding_copies() {
    let doc = format!("{A}\n{B}\n{A}\n");
    let mut idx = index(&[("doc", &doc), ("other", &format!("{C}\n"))]);
    let edited = doc.replacen(A, &A.replacen("加快", "加快加快", 1), 1);
    for i in 0..601 {
        let text = if i % 2 == 0 { &edited } else { &doc };
        idx.update("doc", Arc::from(text.as_str()));
    }
    // The edited copy is a near duplicate: found through the fingerprints, not the hash.
    let found = render(&idx, "doc");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("near-duplicate-passage 本段与第1行相似"),
        "{found:?}"
    );
    let (postings, _, _) = idx.stats();
    let fresh = index(&[("doc", &doc), ("other", &format!("{C}\n"))]);
    assert!(postings <= fresh.stats().0 * 2, "{postings} postings");
}

/// Random one-character edits anywhere in the eight-copies file (typing, deleting, a line
/// break, the same character typed over): after each, the findings from the cache equal those
/// of a fresh query, whether the runs were kept or rebuilt.
#[test]
fn random_edits_keep_cached_findings_equal_to_fresh_ones() {
    let other = format!("{A}\n{B}\n");
    let start: String = EIGHT.chars().take(60_000).collect();
    let mut idx = index(&[("doc", &start), ("other", &other)]);
    let mut cache = MatchCache::default();
    let (s, r) = (DupSettings::default(), RuleSettings::default());
    let key = "doc";
    let _ = document_findings_cached(&idx, key, &s, &r, &mut cache);
    let mut text = start.clone();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    for step in 0..40 {
        let at = next(text.len());
        let at = (at..=text.len())
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(text.len());
        match next(8) {
            0 => text.insert(at, '\n'),
            1 | 2 => {
                if let Some(c) = text[at..].chars().next() {
                    text.replace_range(at..at + c.len_utf8(), "");
                }
            }
            3 => {
                // The same character typed over: the text does not change.
            }
            _ => text.insert(at, '改'),
        }
        idx.update(key, Arc::from(text.as_str()));
        let cached = document_findings_cached(&idx, key, &s, &r, &mut cache);
        let fresh = document_findings(&idx, key, &s, &r);
        assert_eq!(cached, fresh, "step {step}");
    }
    // Most edits kept the runs (a line break or a match gained or lost rebuilds them).
    assert!(cache.reused() >= 20, "{}", cache.reused());
}

/// `duplicates.minChars` counts the passage as the drafter sees it (list number included,
/// blanks not), while comparison still ignores the number.
#[test]
fn minimum_length_counts_the_list_number_but_not_blanks() {
    let heading = "二、今后五年工作思路和 2023 年重点任务";
    let n = passage::normalize(heading, 0..heading.len());
    assert_eq!(n.len(), 18, "compared without the number and the blanks");
    assert_eq!(index::shown_len(heading, 0..heading.len(), &n), 20);
    let unnumbered = "今后五年工作思路和2023年重点任务";
    let un = passage::normalize(unnumbered, 0..unnumbered.len());
    assert_eq!(index::shown_len(unnumbered, 0..unnumbered.len(), &un), 18);
    let spaced = "（十二）\u{3000}总 体 要 求";
    let sn = passage::normalize(spaced, 0..spaced.len());
    assert_eq!(index::shown_len(spaced, 0..spaced.len(), &sn), 8);

    // Inside one report the numbered heading (20 as shown) is flagged, even under another
    // number.
    let idx = index(&[(
        "a",
        &format!(
            "{heading}\n\u{3000}\u{3000}{A}\n三、今后五年工作思路和2023年重点任务\n\u{3000}\u{3000}{C}\n"
        ),
    )]);
    assert_eq!(render(&idx, "a"), vec!["duplicate-passage 本段与第1行重复"]);
    // The same words without a number are 18 characters: below minChars (20).
    let idx = index(&[(
        "a",
        &format!("{unnumbered}\n\u{3000}\u{3000}{A}\n{unnumbered}\n\u{3000}\u{3000}{C}\n"),
    )]);
    assert!(findings(&idx, "a").is_empty(), "{:?}", render(&idx, "a"));
    // Blanks never make a passage long enough.
    let padded = "今 后 五 年 工 作 思 路 和 2023 年 重 点 任 务";
    let idx = index(&[("a", &format!("{padded}\n{A}\n{padded}\n"))]);
    assert!(findings(&idx, "a").is_empty(), "{:?}", render(&idx, "a"));
    // Short headings and the salutation stay far below, numbered or not.
    let short = "各位代表：\n（一）总体要求\n一、2022年工作回顾\n";
    let idx = index(&[("a", &format!("{short}{A}\n{short}"))]);
    assert!(findings(&idx, "a").is_empty(), "{:?}", render(&idx, "a"));
}

/// A paragraph renumbered so that its shown length changes gets a new id: whether it reaches
/// `minChars` may have changed, and another document's cached matches must learn it.
#[test]
fn renumbering_a_paragraph_updates_its_shown_length() {
    // 55 characters: across reports only passages of 50 or more count, so `minChars` is
    // set just above it, where the list number decides.
    let heading = "今后五年工作思路和重点任务是全面落实党中央决策部署，坚定不移推动首都高质量发展，奋力谱写中国式现代化的北京篇章";
    let a = format!("三、{heading}\n");
    let mut idx = index(&[("a", &a), ("b", &format!("一、{heading}\n"))]);
    let s = DupSettings {
        min_chars: 56,
        ..DupSettings::default()
    };
    let r = RuleSettings::default();
    let count = |idx: &Index, key: &str| document_findings(idx, key, &s, &r).len();
    let mut cache_a = MatchCache::default();
    assert_eq!(
        document_findings_cached(&idx, "a", &s, &r, &mut cache_a).len(),
        1
    );
    assert_eq!(count(&idx, "b"), 1);
    let steps = [
        (
            format!("{LC}\n（十）{heading}\n"),
            1,
            "59 characters as shown",
        ),
        (
            format!("{LC}\n{heading}\n"),
            0,
            "55 characters: below minChars",
        ),
        (format!("{heading}\n{LC}\n"), 0, "moved, still 55"),
        (format!("{LC}\n二、{heading}\n"), 1, "numbered again: 57"),
    ];
    for (text, expected, why) in steps {
        idx.update("b", Arc::from(text.as_str()));
        assert_eq!(count(&idx, "b"), expected, "{why}");
        // The other document's cached findings follow, and equal a fresh computation.
        let cached = document_findings_cached(&idx, "a", &s, &r, &mut cache_a);
        assert_eq!(cached, document_findings(&idx, "a", &s, &r), "{why}");
        assert_eq!(cached.len(), expected, "{why}");
        // A fresh index agrees.
        let fresh = index(&[("a", &a), ("b", &text)]);
        assert_eq!(count(&fresh, "b"), expected, "{why}");
    }
}

/// Issue 13: inside one report every repeat is an accident, whatever it says.
#[test]
fn a_set_formula_pasted_twice_into_one_report_is_a_warning() {
    let thanks = "在此，我代表市人民政府，向全市人民，向各位人大代表、政协委员，向各民主党派、工商联、无党派人士和各人民团体，表示衷心的感谢！";
    let opening =
        "现在，我代表市人民政府，向大会报告政府工作，请予审议，并请市政协委员和其他列席人员提出意见。";
    for formula in [thanks, opening] {
        let text = format!("{formula}\n{LA}\n{LB}\n{formula}\n");
        // Other reports with the same formula make it boilerplate across reports.
        let mut docs: Vec<(String, String)> = vec![("file:///w/r.txt".into(), text)];
        for i in 0..8 {
            docs.push((
                format!("file:///w/o{i}.txt"),
                format!("{formula}\n{LC}{i}\n"),
            ));
        }
        let refs: Vec<(&str, &str)> = docs.iter().map(|(k, t)| (k.as_str(), t.as_str())).collect();
        let idx = index(&refs);
        let f = findings(&idx, "file:///w/r.txt");
        assert_eq!(f.len(), 1, "{:?}", render(&idx, "file:///w/r.txt"));
        assert_eq!(f[0].finding.code, "duplicate-passage");
        assert_eq!(f[0].finding.severity, Severity::Warning);
        assert_eq!(f[0].finding.message.zh, "本段与第1行重复");
        assert!(f[0].finding.related.iter().all(|r| r.file.is_none()));
        // Across reports the formula is not a copy.
        assert!(findings(&idx, "file:///w/o1.txt").is_empty());
    }
}

/// Issue 13: across reports only real reuse, as information, on the later report.
#[test]
fn across_reports_only_real_reuse_is_information_on_the_later_year() {
    let idx = index(&[
        ("file:///w/city-a-2022.txt", &format!("{LA}\n{LB}\n")),
        ("file:///w/city-a-2023.txt", &format!("{LC}\n{LA}\n")),
    ]);
    let f = findings(&idx, "file:///w/city-a-2023.txt");
    assert_eq!(
        f.len(),
        1,
        "{:?}",
        render(&idx, "file:///w/city-a-2023.txt")
    );
    assert_eq!(f[0].finding.severity, Severity::Info);
    assert_eq!(f[0].finding.message.zh, "本段与city-a-2022.txt 第1行重复");
    // The earlier report copied nothing.
    assert!(findings(&idx, "file:///w/city-a-2022.txt").is_empty());
    // An earlier year's paragraph edited (not left unchanged) is the government's own drafting.
    let edited = LA
        .replace("加快构建", "加快建设")
        .replace("不断增强", "持续增强");
    let idx = index(&[
        ("file:///w/city-a-2022.txt", LA),
        ("file:///w/city-a-2023.txt", &edited),
    ]);
    assert!(findings(&idx, "file:///w/city-a-2023.txt").is_empty());
    // From another government, the same edit is a near copy.
    let idx = index(&[
        ("file:///w/city-a-2022.txt", LA),
        ("file:///w/city-b-2023.txt", &edited),
    ]);
    let f = findings(&idx, "file:///w/city-b-2023.txt");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].finding.code, "near-duplicate-passage");
}

/// Issue 13: template reuse (the same sentence with new figures) and glossary entries are
/// not copies.
#[test]
fn templates_and_glossary_entries_are_not_copies() {
    let goals = |gdp: &str, jobs: &str| {
        format!("今年经济社会发展的主要预期目标是：地区生产总值增长{gdp}%左右，城镇新增就业{jobs}万人以上，城镇调查失业率控制在5.5%以内，居民收入增长与经济增长基本同步。")
    };
    let idx = index(&[
        ("file:///w/a.txt", &goals("6", "25")),
        ("file:///w/b.txt", &goals("5.5", "26")),
    ]);
    assert!(
        findings(&idx, "file:///w/b.txt").is_empty(),
        "{:?}",
        render(&idx, "file:///w/b.txt")
    );
    // The same figures: a copy.
    let idx = index(&[
        ("file:///w/a.txt", &goals("6", "25")),
        ("file:///w/b.txt", &goals("6", "25")),
    ]);
    assert_eq!(findings(&idx, "file:///w/b.txt").len(), 1);
    // A glossary entry repeated in another report's glossary.
    let entry = "1.“双随机、一公开”：在监管过程中随机抽取检查对象，随机选派执法检查人员，抽查情况及查处结果及时向社会公开。";
    let a = format!("{LA}\n名词解释\n{entry}\n");
    let b = format!(
        "{LB}\n《政府工作报告》注释\n{}\n",
        entry.replace("1.", "7.")
    );
    let idx = index(&[("file:///w/a.txt", &a), ("file:///w/b.txt", &b)]);
    assert!(
        findings(&idx, "file:///w/b.txt").is_empty(),
        "{:?}",
        render(&idx, "file:///w/b.txt")
    );
    // Pasted twice into one glossary, it is an accident.
    let twice = format!("{a}{entry}\n");
    let idx = index(&[("file:///w/a.txt", &twice)]);
    assert_eq!(findings(&idx, "file:///w/a.txt").len(), 1);
}

/// Issue 13: a passage in most years of one government is its shared language.
#[test]
fn a_passage_in_most_years_of_a_government_is_shared_language() {
    let docs: Vec<(String, String)> = (2018..2023)
        .map(|y| {
            (
                format!("file:///w/city-a-{y}.txt"),
                format!("{LA}\n{}{y}\n", &LB[..30]),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = docs.iter().map(|(k, t)| (k.as_str(), t.as_str())).collect();
    let idx = index(&refs);
    for (k, _) in &refs {
        assert!(findings(&idx, k).is_empty(), "{k}: {:?}", render(&idx, k));
    }
}

/// Issue 13: many passages copied from one report are one diagnostic for that report.
#[test]
fn many_passages_from_one_report_are_one_diagnostic() {
    let para = |seed: u32| -> String {
        (0..60)
            .map(|j| char::from_u32(0x4E00 + (seed * 7919 + j * 613) % 20000).unwrap())
            .collect::<String>()
            + "。"
    };
    let source: String = (0..5).map(|i| para(i) + "\n").collect();
    // Each copied paragraph between two of the copy's own: five runs.
    let copy: String = (0..5)
        .map(|i| {
            format!(
                "{}\n{}\n{}\n",
                para(100 + 2 * i),
                para(101 + 2 * i),
                para(i)
            )
        })
        .collect();
    let idx = index(&[("file:///w/a.txt", &source), ("file:///w/b.txt", &copy)]);
    let f = findings(&idx, "file:///w/b.txt");
    assert_eq!(f.len(), 1, "{:?}", render(&idx, "file:///w/b.txt"));
    let d = &f[0].finding;
    assert_eq!(d.message.zh, "本文有5处与a.txt重复");
    assert_eq!(d.severity, Severity::Info);
    // The four other places here and the five in the source.
    assert_eq!(d.related.iter().filter(|r| r.file.is_none()).count(), 4);
    assert_eq!(d.related.iter().filter(|r| r.file.is_some()).count(), 5);
    // Three are still one diagnostic each.
    let three: String = copy.lines().take(9).map(|l| format!("{l}\n")).collect();
    let idx = index(&[("file:///w/a.txt", &source), ("file:///w/b.txt", &three)]);
    assert_eq!(findings(&idx, "file:///w/b.txt").len(), 3);
}
