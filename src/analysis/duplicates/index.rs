//! The duplicate index over a set of documents: every paragraph's exact hash and winnowed
//! fingerprints in an inverted index, updated incrementally per paragraph.
//!
//! Postings live in two parts: a compact *base* (a flat array bucketed by the top bits of the
//! fingerprint, built in one pass when the whole workspace is loaded) and a small *delta* hash
//! map for paragraphs added since. Paragraphs that disappear are only marked dead; `compact`
//! folds the delta into a new base and drops the dead when they grow large.

use std::collections::HashMap;
use std::sync::Arc;

use super::fingerprint::winnow;
use super::passage::{fold, normalize, paragraphs, Normalized, Paragraph};
use super::{FastMap, FastSet, MIN_INDEXED_CHARS};

/// Postings longer than this are not used to find candidates: such a k-gram is a stock phrase
/// (`经济社会发展`), and it says nothing about which passages are copies.
const MAX_POSTINGS: usize = 400;

pub type FileId = u32;
pub type ParaId = u32;

/// One indexed paragraph.
#[derive(Debug, Clone)]
pub struct Para {
    pub file: FileId,
    /// Original bytes of the paragraph in its file.
    pub start: u32,
    pub end: u32,
    pub first_line: u32,
    pub last_line: u32,
    /// Normalised characters.
    pub len: u32,
    /// Characters as the drafter sees them: the list number included, blanks left out
    /// (`duplicates.minChars` is measured on this, comparison on the normalised text).
    pub shown: u32,
    /// Hash of the normalised characters.
    pub hash: u64,
    /// Hash of the original bytes (an unchanged paragraph is recognised without normalising).
    pub raw: u64,
    /// Position among the file's indexed paragraphs.
    pub ord: u32,
    pub live: bool,
}

#[derive(Debug, Clone)]
pub struct File {
    pub key: Arc<str>,
    pub text: Arc<str>,
    pub text_hash: u64,
    /// Indexed paragraphs in document order.
    pub paras: Vec<ParaId>,
    /// Times this file was updated (see [`Index::updates`]).
    pub updates: u64,
}

/// Base postings: entries bucketed by the top `bits` bits of the fingerprint hash and sorted
/// within a bucket by (hash, paragraph).
#[derive(Debug, Default)]
struct Base {
    bits: u32,
    dir: Vec<u32>,
    hashes: Vec<u32>,
    paras: Vec<ParaId>,
}

impl Base {
    /// Builds the postings from each paragraph's fingerprint hashes (`per_para[i]` belongs to
    /// paragraph `first_id + i`), counting first and then filling, so that no list of pairs
    /// exists beside the result (at 100 MB of text that list alone is 100 MB).
    fn build(per_para: &[Vec<u32>], first_id: ParaId) -> Base {
        let n: usize = per_para.iter().map(Vec::len).sum();
        let bits = ((n / 8).max(1).ilog2()).clamp(4, 22);
        let buckets = 1usize << bits;
        let bucket = |h: u32| (h >> (32 - bits)) as usize;
        let mut dir = vec![0u32; buckets + 1];
        for &h in per_para.iter().flatten() {
            dir[bucket(h) + 1] += 1;
        }
        for i in 0..buckets {
            dir[i + 1] += dir[i];
        }
        let mut fill: Vec<u32> = dir[..buckets].to_vec();
        let mut hashes = vec![0u32; n];
        let mut paras = vec![0u32; n];
        for (i, hs) in per_para.iter().enumerate() {
            let p = first_id + i as ParaId;
            for &h in hs {
                let b = bucket(h);
                let at = fill[b] as usize;
                fill[b] += 1;
                hashes[at] = h;
                paras[at] = p;
            }
        }
        drop(fill);
        // Sort each bucket by (hash, paragraph) so that equal hashes are contiguous.
        let mut scratch: Vec<(u32, u32)> = Vec::new();
        for b in 0..buckets {
            let (s, e) = (dir[b] as usize, dir[b + 1] as usize);
            if e - s < 2 {
                continue;
            }
            scratch.clear();
            scratch.extend(
                hashes[s..e]
                    .iter()
                    .copied()
                    .zip(paras[s..e].iter().copied()),
            );
            scratch.sort_unstable();
            for (i, (h, p)) in scratch.iter().enumerate() {
                hashes[s + i] = *h;
                paras[s + i] = *p;
            }
        }
        Base {
            bits,
            dir,
            hashes,
            paras,
        }
    }

    fn get(&self, h: u32) -> &[ParaId] {
        if self.dir.is_empty() {
            return &[];
        }
        let b = (h >> (32 - self.bits)) as usize;
        let (s, e) = (self.dir[b] as usize, self.dir[b + 1] as usize);
        let hs = &self.hashes[s..e];
        let lo = hs.partition_point(|&x| x < h);
        let hi = hs.partition_point(|&x| x <= h);
        &self.paras[s + lo..s + hi]
    }

    fn len(&self) -> usize {
        self.hashes.len()
    }
}

/// Where the old paragraph `id` still stands unchanged in the new `text` of its file, looked for
/// at its old start and at its old start moved by `delta` (an edit before it).
fn still_at(paras: &[Para], text: &str, delta: i64, id: ParaId) -> Option<usize> {
    let p = &paras[id as usize];
    let len = (p.end - p.start) as usize;
    [i64::from(p.start), i64::from(p.start) + delta]
        .into_iter()
        .filter_map(|st| usize::try_from(st).ok())
        .find(|&st| {
            text.get(st..st + len)
                .is_some_and(|s| super::text_hash(s) == p.raw)
        })
}

/// What one paragraph of a document yields for the index.
struct Prepared {
    start: u32,
    end: u32,
    first_line: u32,
    last_line: u32,
    len: u32,
    shown: u32,
    hash: u64,
    raw: u64,
    /// Winnowed fingerprint hashes.
    fps: Vec<u32>,
}

fn prepare(text: &str) -> Vec<Prepared> {
    paragraphs(text)
        .into_iter()
        .filter_map(|p| prepare_one(text, &p, super::text_hash(&text[p.range.clone()])))
        .collect()
}

fn prepare_one(text: &str, p: &Paragraph, raw: u64) -> Option<Prepared> {
    let n = normalize(text, p.range.clone());
    if n.len() < MIN_INDEXED_CHARS {
        return None;
    }
    let shown = shown_len(text, p.range.clone(), &n);
    Some(Prepared {
        start: p.range.start as u32,
        end: p.range.end as u32,
        first_line: p.first_line,
        last_line: p.last_line,
        len: n.len() as u32,
        shown: shown as u32,
        hash: chars_hash(&n.chars),
        raw,
        fps: winnow(&n.chars).into_iter().map(|f| f.hash).collect(),
    })
}

/// The length of `text[range]` as the drafter sees it: the normalised characters plus those of
/// the list number that normalisation left out, blanks not counted (`二、今后五年工作思路和2023年
/// 重点任务` is 19 characters, though it compares as 17).
pub fn shown_len(text: &str, range: std::ops::Range<usize>, n: &Normalized) -> usize {
    let body = n.offsets.first().map_or(range.end, |&o| o as usize);
    let number = text
        .get(range.start..body.max(range.start))
        .unwrap_or("")
        .chars()
        .filter(|&c| fold(c).is_some())
        .count();
    n.len() + number
}

/// Hash of a normalised character sequence (the paragraph's identity for exact matches and
/// for `duplicates.ignore`).
pub fn chars_hash(chars: &[char]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &c in chars {
        h ^= u64::from(c as u32);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
        h ^= h >> 29;
    }
    h ^ (chars.len() as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// The postings of one fingerprint.
#[derive(Debug, Clone, Copy)]
pub struct Postings<'a> {
    pub base: &'a [ParaId],
    pub delta: &'a [ParaId],
}

impl Postings<'_> {
    pub fn len(&self) -> usize {
        self.base.len() + self.delta.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Too many holders: a stock phrase, useless for finding copies.
    pub fn is_stock(&self) -> bool {
        self.len() > MAX_POSTINGS
    }

    pub fn iter(&self) -> impl Iterator<Item = ParaId> + '_ {
        self.base.iter().chain(self.delta).copied()
    }
}

#[derive(Debug, Default)]
pub struct Index {
    files: Vec<Option<File>>,
    by_key: HashMap<Arc<str>, FileId>,
    paras: Vec<Para>,
    /// `paras[i].live`, packed apart: the candidate loop reads it for every posting.
    live: Vec<bool>,
    exact: FastMap<u64, Vec<ParaId>>,
    base: Base,
    delta: FastMap<u32, Vec<ParaId>>,
    delta_len: usize,
    dead: usize,
    /// Fingerprints found in at least `common_min_files` files at the last compaction.
    common: FastSet<u32>,
    /// Live files at the last compaction (boilerplate needs a workspace to speak of).
    files_at_compaction: usize,
    boilerplate_ratio: f64,
    /// Changes at every bulk build (compaction included): paragraph-level caches are void.
    epoch: u64,
    /// Changes whenever a paragraph that stays in the index moves to another ord (one added,
    /// removed or moved before it); a paragraph edited in place does not change it.
    ords_version: u64,
    /// Updates and removals of files so far; minus a file's own `updates`, it tells whether any
    /// other file changed.
    updates: u64,
    /// Paragraphs from this id on were added after the bulk build: their postings are in the
    /// delta.
    first_delta_id: usize,
}

static EPOCHS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl Index {
    pub fn new(boilerplate_ratio: f64) -> Index {
        Index {
            boilerplate_ratio,
            epoch: EPOCHS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            ..Index::default()
        }
    }

    /// Builds an index of many documents at once, fingerprinting on up to `threads` threads.
    pub fn bulk(docs: Vec<(Arc<str>, Arc<str>)>, boilerplate_ratio: f64, threads: usize) -> Index {
        let threads = threads.clamp(1, 16);
        let chunk = docs.len().div_ceil(threads).max(1);
        let prepared: Vec<Vec<Prepared>> = std::thread::scope(|s| {
            let handles: Vec<_> = docs
                .chunks(chunk)
                .map(|c| s.spawn(move || c.iter().map(|(_, t)| prepare(t)).collect::<Vec<_>>()))
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        });
        let mut index = Index::new(boilerplate_ratio);
        let mut per_para: Vec<Vec<u32>> = Vec::new();
        for ((key, text), preps) in docs.into_iter().zip(prepared) {
            let text_hash = crate::analysis::duplicates::text_hash(&text);
            let file = index.files.len() as FileId;
            let mut ids = Vec::with_capacity(preps.len());
            for (ord, mut p) in preps.into_iter().enumerate() {
                let id = index.push_para(file, ord as u32, &p);
                per_para.push(std::mem::take(&mut p.fps));
                ids.push(id);
            }
            index.by_key.insert(key.clone(), file);
            index.files.push(Some(File {
                key,
                text,
                text_hash,
                paras: ids,
                updates: 0,
            }));
        }
        index.base = Base::build(&per_para, 0);
        index.first_delta_id = index.paras.len();
        drop(per_para);
        index.compute_common();
        index
    }

    fn push_para(&mut self, file: FileId, ord: u32, p: &Prepared) -> ParaId {
        let id = self.paras.len() as ParaId;
        self.paras.push(Para {
            file,
            start: p.start,
            end: p.end,
            first_line: p.first_line,
            last_line: p.last_line,
            len: p.len,
            shown: p.shown,
            hash: p.hash,
            raw: p.raw,
            ord,
            live: true,
        });
        self.live.push(true);
        self.exact.entry(p.hash).or_default().push(id);
        id
    }

    /// Adds or replaces a document. Paragraphs whose normalised text is unchanged keep their
    /// postings; only new ones are fingerprinted into the delta. Returns false when the text
    /// is the one already indexed.
    pub fn update(&mut self, key: &str, text: Arc<str>) -> bool {
        let text_hash = super::text_hash(&text);
        let file = match self.by_key.get(key) {
            Some(&f) => {
                if self
                    .files
                    .get(f as usize)
                    .and_then(Option::as_ref)
                    .is_some_and(|x| x.text_hash == text_hash)
                {
                    return false;
                }
                f
            }
            None => {
                let f = self.files.len() as FileId;
                let key: Arc<str> = Arc::from(key);
                self.files.push(Some(File {
                    key: key.clone(),
                    text: Arc::from(""),
                    text_hash: 0,
                    paras: Vec::new(),
                    updates: 0,
                }));
                self.by_key.insert(key, f);
                f
            }
        };
        let old: Vec<ParaId> = self
            .files
            .get(file as usize)
            .and_then(Option::as_ref)
            .map(|f| f.paras.clone())
            .unwrap_or_default();
        // Unchanged paragraphs are recognised by their bytes, moved ones by their normalised
        // hash; only the others are normalised and fingerprinted.
        let mut by_raw: FastMap<u64, Vec<ParaId>> = FastMap::default();
        let mut reusable: FastMap<u64, Vec<ParaId>> = FastMap::default();
        for &id in old.iter().rev() {
            let p = &self.paras[id as usize];
            by_raw.entry(p.raw).or_default().push(id);
            reusable.entry(p.hash).or_default().push(id);
        }
        // The text being replaced: where the paragraphs that die still stand.
        let old_text: Arc<str> = self
            .files
            .get(file as usize)
            .and_then(Option::as_ref)
            .map_or_else(|| Arc::from(""), |f| f.text.clone());
        // One edit moves what follows it by this much.
        let delta = text.len() as i64 - old_text.len() as i64;
        let mut used: FastSet<ParaId> = FastSet::default();
        let mut ids = Vec::new();
        for p in paragraphs(&text) {
            let raw = super::text_hash(&text[p.range.clone()]);
            // Among identical paragraphs (a text pasted several times), the one that was at
            // this place keeps its id, so that an edit of one copy leaves the others as they
            // were (and their matches, so the runs built from them, can be kept); otherwise the
            // first in document order that is not still at its own place further on.
            let here = p.range.start;
            let paras = &self.paras;
            let same = by_raw
                .get_mut(&raw)
                .and_then(|v| {
                    let at_place = v
                        .iter()
                        .rev()
                        .take(16)
                        .position(|&id| {
                            let start = i64::from(paras[id as usize].start);
                            start == here as i64 || start + delta == here as i64
                        })
                        .or_else(|| {
                            v.iter().rev().take(16).position(|&id| {
                                !used.contains(&id)
                                    && still_at(paras, &text, delta, id).is_none_or(|at| at == here)
                            })
                        })
                        .map(|back| v.len() - 1 - back)?;
                    Some(v.remove(at_place))
                })
                .filter(|id| !used.contains(id));
            let (id, prep) = match same {
                Some(id) => (Some(id), None),
                None => {
                    let Some(prep) = prepare_one(&text, &p, raw) else {
                        continue;
                    };
                    // Same normalised text, same shown length: a renumbered paragraph whose
                    // length as shown changed gets a new id, since whether it is eligible
                    // (`minChars`) may have changed and matches cached by id would not know.
                    let paras = &self.paras;
                    let moved = reusable.get_mut(&prep.hash).and_then(|v| {
                        let at = v.iter().rposition(|id| {
                            !used.contains(id)
                                && paras[*id as usize].shown == prep.shown
                                && still_at(paras, &text, delta, *id).is_none_or(|at| at == here)
                        })?;
                        Some(v.remove(at))
                    });
                    (moved, Some(prep))
                }
            };
            let ord = ids.len() as u32;
            let id = match id {
                Some(id) => {
                    let para = &mut self.paras[id as usize];
                    if para.ord != ord {
                        self.ords_version += 1;
                    }
                    para.start = p.range.start as u32;
                    para.end = p.range.end as u32;
                    para.first_line = p.first_line;
                    para.last_line = p.last_line;
                    para.raw = raw;
                    para.ord = ord;
                    id
                }
                None => {
                    let Some(prep) = prep else { continue };
                    let id = self.push_para(file, ord, &prep);
                    for &h in &prep.fps {
                        self.delta.entry(h).or_default().push(id);
                    }
                    self.delta_len += prep.fps.len();
                    id
                }
            };
            used.insert(id);
            ids.push(id);
        }
        let reusable: Vec<ParaId> = old.into_iter().filter(|id| !used.contains(id)).collect();
        for left in reusable {
            self.kill(left, &old_text);
        }
        if let Some(Some(f)) = self.files.get_mut(file as usize) {
            f.text = text;
            f.text_hash = text_hash;
            f.paras = ids;
            f.updates += 1;
        }
        self.updates += 1;
        self.maybe_compact();
        true
    }

    /// Removes a document.
    pub fn remove(&mut self, key: &str) -> bool {
        let Some(file) = self.by_key.remove(key) else {
            return false;
        };
        let Some(f) = self.files.get_mut(file as usize).and_then(Option::take) else {
            return false;
        };
        for id in f.paras {
            self.kill(id, &f.text);
        }
        self.updates += 1;
        self.maybe_compact();
        true
    }

    /// Takes a paragraph that is about to die out of the delta postings (`text`: its file's
    /// text, where it still stands). Without this, every version of a paragraph being edited
    /// stays in the postings of its fingerprints until the next compaction, and after a few
    /// hundred edits they count as stock phrases and stop finding its copies.
    fn drop_delta_postings(&mut self, id: ParaId, text: &str) {
        if (id as usize) < self.first_delta_id {
            return;
        }
        let Some(p) = self.paras.get(id as usize) else {
            return;
        };
        let n = normalize(text, p.start as usize..p.end as usize);
        for f in winnow(&n.chars) {
            if let Some(v) = self.delta.get_mut(&f.hash) {
                let before = v.len();
                v.retain(|&x| x != id);
                self.delta_len -= before - v.len();
                if v.is_empty() {
                    self.delta.remove(&f.hash);
                }
            }
        }
    }

    /// Marks a paragraph dead (`text`: its file's text, where it still stands).
    fn kill(&mut self, id: ParaId, text: &str) {
        if !self.is_live(id) {
            return;
        }
        self.drop_delta_postings(id, text);
        let Some(p) = self.paras.get_mut(id as usize) else {
            return;
        };
        p.live = false;
        if let Some(l) = self.live.get_mut(id as usize) {
            *l = false;
        }
        self.dead += 1;
        let hash = p.hash;
        if let Some(v) = self.exact.get_mut(&hash) {
            v.retain(|&x| x != id);
            if v.is_empty() {
                self.exact.remove(&hash);
            }
        }
    }

    fn maybe_compact(&mut self) {
        let live = self.paras.len() - self.dead;
        if self.dead > 1024 && self.dead > live / 2
            || self.delta_len > 1 << 16 && self.delta_len > self.base.len() / 4
        {
            self.compact();
        }
    }

    /// Rebuilds the base from the live documents (dropping dead paragraphs and the delta) and
    /// recounts the common fingerprints.
    pub fn compact(&mut self) {
        let docs: Vec<(Arc<str>, Arc<str>)> = self
            .files
            .iter()
            .flatten()
            .map(|f| (f.key.clone(), f.text.clone()))
            .collect();
        *self = Index::bulk(docs, self.boilerplate_ratio, 1);
    }

    /// Recounts the fingerprints present in at least `boilerplate_ratio` of the files.
    fn compute_common(&mut self) {
        self.common.clear();
        let files = self.files.iter().flatten().count();
        self.files_at_compaction = files;
        if files < super::MIN_FILES_FOR_BOILERPLATE || self.boilerplate_ratio <= 0.0 {
            return;
        }
        let min_files = ((self.boilerplate_ratio * files as f64).ceil() as usize).max(2);
        let b = &self.base;
        let mut i = 0;
        let mut seen: Vec<FileId> = Vec::new();
        while i < b.hashes.len() {
            let h = b.hashes[i];
            let mut j = i;
            while j < b.hashes.len() && b.hashes[j] == h {
                j += 1;
            }
            if j - i >= min_files {
                seen.clear();
                seen.extend(b.paras[i..j].iter().map(|&p| self.paras[p as usize].file));
                seen.sort_unstable();
                seen.dedup();
                if seen.len() >= min_files {
                    self.common.insert(h);
                }
            }
            i = j;
        }
    }

    pub fn set_boilerplate_ratio(&mut self, ratio: f64) {
        if (ratio - self.boilerplate_ratio).abs() > f64::EPSILON {
            self.boilerplate_ratio = ratio;
            self.compact();
        }
    }

    pub fn file_id(&self, key: &str) -> Option<FileId> {
        self.by_key.get(key).copied()
    }

    pub fn file(&self, id: FileId) -> Option<&File> {
        self.files.get(id as usize).and_then(Option::as_ref)
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &File)> {
        self.files
            .iter()
            .enumerate()
            .filter_map(|(i, f)| f.as_ref().map(|f| (i as FileId, f)))
    }

    pub fn para(&self, id: ParaId) -> &Para {
        &self.paras[id as usize]
    }

    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    /// See the field: equal versions mean every live paragraph kept its ord.
    pub fn ords_version(&self) -> u64 {
        self.ords_version
    }

    /// Updates and removals of files so far (each file counts its own in `File::updates`).
    pub fn updates(&self) -> u64 {
        self.updates
    }

    /// Paragraph ids handed out so far (live or dead); new paragraphs get ids from here on.
    pub fn para_count(&self) -> usize {
        self.paras.len()
    }

    pub fn file_count(&self) -> usize {
        self.by_key.len()
    }

    /// Live paragraphs with this exact normalised hash.
    pub fn exact(&self, hash: u64) -> &[ParaId] {
        self.exact.get(&hash).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The paragraphs (live or dead) holding fingerprint `h`: base and delta parts.
    pub fn postings(&self, h: u32) -> Postings<'_> {
        Postings {
            base: self.base.get(h),
            delta: self.delta.get(&h).map(Vec::as_slice).unwrap_or(&[]),
        }
    }

    /// Whether paragraph `id` is still in the index.
    pub fn is_live(&self, id: ParaId) -> bool {
        self.live.get(id as usize).copied().unwrap_or(false)
    }

    pub fn is_common(&self, h: u32) -> bool {
        self.common.contains(&h)
    }

    /// The original text of an indexed paragraph.
    pub fn source(&self, id: ParaId) -> &str {
        let p = &self.paras[id as usize];
        self.file(p.file)
            .and_then(|f| f.text.get(p.start as usize..p.end as usize))
            .unwrap_or("")
    }

    /// The normalised text of an indexed paragraph.
    pub fn normalized(&self, id: ParaId) -> Normalized {
        let p = &self.paras[id as usize];
        match self.file(p.file) {
            Some(f) => normalize(&f.text, p.start as usize..p.end as usize),
            None => Normalized::default(),
        }
    }

    /// Postings held, live paragraphs, dead paragraphs (for benchmarks and logs).
    pub fn stats(&self) -> (usize, usize, usize) {
        (
            self.base.len() + self.delta_len,
            self.paras.len() - self.dead,
            self.dead,
        )
    }
}
