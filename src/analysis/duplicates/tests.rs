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
    let edited = A.replace("加快构建", "加快建设");
    let idx = index(&[("file:///w/2022.txt", A), ("file:///w/2023.txt", &edited)]);
    let f = findings(&idx, "file:///w/2023.txt");
    assert_eq!(f.len(), 1, "{f:#?}");
    let d = &f[0].finding;
    assert_eq!(d.code, "near-duplicate-passage");
    assert!(
        d.message
            .zh
            .starts_with("本段与2022.txt 第1行相似（相似度9"),
        "{}",
        d.message.zh
    );
    assert_eq!(d.related[0].file.as_deref(), Some("file:///w/2022.txt"));
    // Both sides see it.
    assert_eq!(findings(&idx, "file:///w/2022.txt").len(), 1);
}

#[test]
fn normalisation_makes_width_space_and_punctuation_variants_exact() {
    let variant = A.replace('，', ", ").replace("。", ".");
    let idx = index(&[("a", A), ("b", &format!("\u{3000}\u{3000}{variant}"))]);
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
    let idx = index(&[("a", &a), ("b", &b)]);
    let f = findings(&idx, "b");
    assert_eq!(f.len(), 1, "{:?}", render(&idx, "b"));
    assert_eq!(f[0].finding.message.zh, "本句与a 第1行的句子重复");
    assert_eq!(&b[f[0].finding.range.clone()], long);
}

#[test]
fn incremental_updates_match_a_fresh_index() {
    let mut idx = index(&[("a", A), ("b", B)]);
    assert!(findings(&idx, "b").is_empty());
    assert!(idx.update("b", Arc::from(format!("{B}\n{A}\n"))));
    assert!(!idx.update("b", Arc::from(format!("{B}\n{A}\n"))));
    assert_eq!(
        render(&idx, "b"),
        vec!["duplicate-passage 本段与a 第1行重复"]
    );
    assert!(idx.remove("a"));
    assert!(findings(&idx, "b").is_empty());
    idx.update("c", Arc::from(format!("{C}\n{B}\n")));
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

    // The numbered heading (20 as shown) is flagged, even against another number.
    let idx = index(&[
        ("a", &format!("{heading}\n\u{3000}\u{3000}{A}\n")),
        (
            "b",
            &format!("三、今后五年工作思路和2023年重点任务\n\u{3000}\u{3000}{C}\n"),
        ),
    ]);
    assert_eq!(
        render(&idx, "b"),
        vec!["duplicate-passage 本段与a 第1行重复"]
    );
    // The same words without a number are 18 characters: below minChars (20).
    let idx = index(&[
        ("a", &format!("{unnumbered}\n\u{3000}\u{3000}{A}\n")),
        ("b", &format!("{unnumbered}\n\u{3000}\u{3000}{C}\n")),
    ]);
    assert!(findings(&idx, "b").is_empty(), "{:?}", render(&idx, "b"));
    // Blanks never make a passage long enough.
    let padded = "今 后 五 年 工 作 思 路 和 2023 年 重 点 任 务";
    let idx = index(&[("a", padded), ("b", padded)]);
    assert!(findings(&idx, "b").is_empty(), "{:?}", render(&idx, "b"));
    // Short headings and the salutation stay far below, numbered or not.
    let idx = index(&[
        ("a", "各位代表：\n（一）总体要求\n一、2022年工作回顾\n"),
        ("b", "各位代表：\n（一）总体要求\n一、2022年工作回顾\n"),
    ]);
    assert!(findings(&idx, "b").is_empty(), "{:?}", render(&idx, "b"));
}

/// A paragraph renumbered so that its shown length changes gets a new id: whether it reaches
/// `minChars` may have changed, and another document's cached matches must learn it.
#[test]
fn renumbering_a_paragraph_updates_its_shown_length() {
    let a = "三、今后五年工作思路和2023年重点任务\n";
    let heading = "今后五年工作思路和2023年重点任务";
    let mut idx = index(&[("a", a), ("b", &format!("一、{heading}\n"))]);
    let s = DupSettings::default();
    let r = RuleSettings::default();
    let mut cache_a = MatchCache::default();
    assert_eq!(
        document_findings_cached(&idx, "a", &s, &r, &mut cache_a).len(),
        1
    );
    assert_eq!(render(&idx, "b").len(), 1);
    let steps = [
        (
            format!("{C}\n（十）{heading}\n"),
            1,
            "22 characters as shown",
        ),
        (
            format!("{C}\n{heading}\n"),
            0,
            "18 characters: below minChars",
        ),
        (format!("{heading}\n{C}\n"), 0, "moved, still 18"),
        (format!("{C}\n二、{heading}\n"), 1, "numbered again: 20"),
    ];
    for (text, expected, why) in steps {
        idx.update("b", Arc::from(text.as_str()));
        assert_eq!(
            render(&idx, "b").len(),
            expected,
            "{why}: {:?}",
            render(&idx, "b")
        );
        // The other document's cached findings follow, and equal a fresh computation.
        let cached = document_findings_cached(&idx, "a", &s, &r, &mut cache_a);
        assert_eq!(cached, document_findings(&idx, "a", &s, &r), "{why}");
        assert_eq!(cached.len(), expected, "{why}");
        // A fresh index agrees.
        let fresh = index(&[("a", a), ("b", &text)]);
        assert_eq!(findings(&fresh, "b").len(), expected, "{why}");
    }
}
