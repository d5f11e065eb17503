//! From the index to findings: per-paragraph matches (exact by hash, near by fingerprint
//! candidates verified by similarity), boilerplate, runs of consecutive matches merged into one
//! finding per repeated block, long sentences copied into other paragraphs, and clusters for
//! the command line.

use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use super::fingerprint::Fingerprint;
use super::index::{FileId, Index, Para, ParaId, Postings};
use super::passage::{is_dateline_text, paragraphs, sentences, Normalized};
use super::reuse::{
    figures, glossary_line, is_definition, template, Governments, MIN_REUSE_CHARS, UNCHANGED,
};
use super::similarity::{lengths_compatible, Pattern};
use super::{
    fingerprint, DupSettings, FastMap, FastSet, DUPLICATE_PASSAGE, NEAR_DUPLICATE_PASSAGE,
};
use crate::analysis::finding::{Edit, Finding, Fix, Related, Severity, Text};
use crate::analysis::rules::RuleSettings;
use crate::analysis::text::{split_lines, Line};

/// Candidates verified per paragraph, best first by shared fingerprints.
const MAX_CANDIDATES: usize = 48;
/// A run continues across at most this many unmatched indexed paragraphs minus one (a
/// boilerplate or edited paragraph inside a copied block does not split it).
const MAX_STEP: u32 = 2;
/// Passages shorter than this (normalised characters) need `SHORT_THRESHOLD` to be near
/// duplicates.
const SHORT_PASSAGE: u32 = 40;
const SHORT_THRESHOLD: f64 = 0.9;
/// Fingerprints probed at least (when a paragraph has that many).
const MIN_PROBES: usize = 8;
/// Related locations listed per finding.
const MAX_RELATED: usize = 8;
/// Paragraphs searched for a copied sentence, per paragraph.
const MAX_SENTENCE_CANDIDATES: usize = 4;
/// Sentences at least this long (and at least `minChars`) are compared on their own.
const MIN_SENTENCE_CHARS: usize = 30;

#[derive(Debug, Clone, Copy, PartialEq)]
struct Match {
    other: ParaId,
    sim: f64,
}

/// A finding and the fingerprint that `duplicates.ignore` takes to silence it.
#[derive(Debug, Clone, PartialEq)]
pub struct DupFinding {
    pub finding: Finding,
    pub fingerprint: u64,
}

struct Query<'a> {
    index: &'a Index,
    settings: &'a DupSettings,
}

/// What the matcher knows about one paragraph.
struct Prepared {
    /// Byte offsets in `norm` are where the paragraph was when it was prepared: it may have
    /// moved since (text inserted before it), see `start`.
    norm: Normalized,
    /// The paragraph's start then.
    start: u32,
    fps: Vec<Fingerprint>,
    boilerplate: bool,
    /// A dateline (`——2017年1月14日在…会议上`) repeats only verbatim: those of different years
    /// differ in a few characters and are not copies.
    exact_only: bool,
}

impl<'i> Query<'i> {
    fn prepare(&self, id: ParaId) -> Prepared {
        let norm = self.index.normalized(id);
        let fps = fingerprint::winnow(&norm.chars);
        let boilerplate = is_formula(&norm.chars) || self.is_boilerplate(&fps);
        Prepared {
            exact_only: is_dateline_text(self.index.source(id)),
            start: self.index.para(id).start,
            norm,
            fps,
            boilerplate,
        }
    }

    fn is_boilerplate(&self, fps: &[Fingerprint]) -> bool {
        if fps.is_empty() || self.settings.boilerplate_permille == 0 {
            return false;
        }
        let common = fps.iter().filter(|f| self.index.is_common(f.hash)).count();
        common * 2 >= fps.len()
    }

    /// The similarity a pair needs: short passages need more, since a changed word or two
    /// turns one stock sentence into another (`为实现上述目标，重点抓好以下几方面工作`).
    fn threshold_for(&self, a: u32, b: u32) -> f64 {
        let t = self.settings.threshold();
        if a.min(b) < SHORT_PASSAGE {
            t.max(SHORT_THRESHOLD)
        } else {
            t
        }
    }

    /// The earlier exact copies of `id` in its own file: the only matches of boilerplate (a set
    /// formula pasted twice into one report is an accident, whatever it says).
    fn same_file_exact(&self, id: ParaId) -> Vec<Match> {
        let me = self.index.para(id);
        self.index
            .exact(me.hash)
            .iter()
            .filter(|&&o| o != id && self.index.para(o).file == me.file && self.eligible(o))
            .map(|&o| Match { other: o, sim: 1.0 })
            .collect()
    }

    fn eligible(&self, id: ParaId) -> bool {
        let p = self.index.para(id);
        p.live
            && p.shown as usize >= self.settings.min_chars
            && !self.settings.ignore.contains(&p.hash)
    }

    /// Every other paragraph that is an exact or near duplicate of `id`, and the best
    /// candidates that were not (where a copied sentence may hide).
    fn matches(&self, id: ParaId, prep: &Prepared) -> (Vec<Match>, Vec<ParaId>) {
        self.matches_with(id, prep, None, &mut Scratch::default())
    }

    /// [`Query::matches`] with reusable buffers, for [`clusters`]: `looked_up`, when given,
    /// holds the postings of each of `prep.fps` (empty for a common fingerprint), looked up
    /// beforehand in hash order; `scratch.not_a_copy` remembers the formula/dateline test of
    /// each candidate.
    fn matches_with(
        &self,
        id: ParaId,
        prep: &Prepared,
        looked_up: Option<&[Postings<'i>]>,
        scratch: &mut Scratch<'i>,
    ) -> (Vec<Match>, Vec<ParaId>) {
        let index: &'i Index = self.index;
        let me = index.para(id);
        let mut out: Vec<Match> = index
            .exact(me.hash)
            .iter()
            .filter(|&&o| o != id && self.eligible(o))
            .map(|&o| Match { other: o, sim: 1.0 })
            .collect();
        let threshold = self.settings.threshold();
        if prep.exact_only {
            return (out, Vec::new());
        }
        // Candidates come from the rarer half of the fingerprints: a copy with 15% of its
        // characters edited still shares several of them, and stock phrases (long postings)
        // would only bring noise to verify.
        let keyed = &mut scratch.keyed;
        keyed.clear();
        let usable = |p: &Postings<'_>| p.len() > 1 && !p.is_stock();
        match looked_up {
            Some(postings) => keyed.extend(postings.iter().copied().filter(usable)),
            None => keyed.extend(
                prep.fps
                    .iter()
                    .filter(|f| !index.is_common(f.hash))
                    .map(|f| index.postings(f.hash))
                    .filter(usable),
            ),
        }
        keyed.sort_unstable_by_key(|p| (p.len(), p.base.as_ptr() as usize));
        keyed.dedup_by_key(|p| (p.base.as_ptr() as usize, p.delta.as_ptr() as usize, p.len()));
        let used = keyed.len().div_ceil(2).max(keyed.len().min(MIN_PROBES));
        // A near copy shares a good part of the rare fingerprints; a chance neighbour one or two.
        let min_count = if used >= MIN_PROBES {
            (used / 8).max(2) as u32
        } else {
            1
        };
        let cands = &mut scratch.cands;
        cands.clear();
        // Dead paragraphs are counted too, but they are never eligible.
        scratch.counts.count(id, &keyed[..used], |o, c| {
            if c < min_count {
                return;
            }
            let p = index.para(o);
            if p.hash != me.hash && self.eligible(o) {
                cands.push((c, o));
            }
        });
        let mut misses = Vec::new();
        if cands.is_empty() {
            return (out, misses);
        }
        cands.sort_unstable_by(|a, b| b.cmp(a));
        cands.truncate(MAX_CANDIDATES);
        let pattern = Pattern::new(&prep.norm.chars);
        // Copies of one passage share a hash: compare each text once (None: not comparable).
        let mut by_hash: FastMap<u64, Option<f64>> = FastMap::default();
        for &(c, o) in cands.iter() {
            let op = index.para(o);
            let len = op.len as usize;
            if !lengths_compatible(me.len as usize, len, threshold) {
                if c >= 2 && misses.len() < MAX_SENTENCE_CANDIDATES {
                    misses.push(o);
                }
                continue;
            }
            let compared = match by_hash.get(&op.hash) {
                Some(&known) => known,
                None => {
                    // A longer passage is not a copy of a set formula or a dateline it is
                    // close to.
                    let fresh;
                    let other: Option<&[char]> = match scratch.candidates.get(o as usize) {
                        Some(cell) => cell.get_or_init(|| candidate_chars(index, o)).as_deref(),
                        None => {
                            fresh = candidate_chars(index, o);
                            fresh.as_deref()
                        }
                    };
                    let sim = other.map(|chars| pattern.similarity(chars));
                    by_hash.insert(op.hash, sim);
                    sim
                }
            };
            let Some(sim) = compared else {
                continue;
            };
            if sim >= self.threshold_for(me.len, len as u32) {
                out.push(Match { other: o, sim });
            } else if c >= 2 && misses.len() < MAX_SENTENCE_CANDIDATES {
                misses.push(o);
            }
        }
        (out, misses)
    }
}

/// The normalised characters of a candidate, or `None` for a set formula or a dateline, which
/// is never a copy of a longer passage.
fn candidate_chars(index: &Index, id: ParaId) -> Option<Box<[char]>> {
    let norm = index.normalized(id);
    if is_formula(&norm.chars) || is_dateline_text(index.source(id)) {
        return None;
    }
    Some(norm.chars.into_boxed_slice())
}

/// Buffers of [`Query::matches_with`], reused from one paragraph to the next.
#[derive(Default)]
struct Scratch<'i> {
    keyed: Vec<Postings<'i>>,
    counts: Counts,
    cands: Vec<(u32, ParaId)>,
    /// Per paragraph id, shared by the threads of [`clusters`]: [`candidate_chars`] once
    /// computed (a paragraph is the candidate of many queries); empty for a single query.
    candidates: &'i [OnceLock<Option<Box<[char]>>>],
}

const NO_POSTINGS: Postings<'static> = Postings {
    base: &[],
    delta: &[],
};

/// Shared fingerprints per candidate paragraph: a hash map for a single query, a dense array
/// over all paragraph ids when one thread queries many paragraphs.
enum Counts {
    Map(FastMap<ParaId, u32>),
    Dense(Vec<u32>),
}

impl Default for Counts {
    fn default() -> Counts {
        Counts::Map(FastMap::default())
    }
}

impl Counts {
    fn dense(paragraphs: usize) -> Counts {
        Counts::Dense(vec![0; paragraphs])
    }

    /// Counts how many of `lists` hold each paragraph but `id`, hands every (paragraph,
    /// count) to `f` in no particular order, and resets.
    fn count(&mut self, id: ParaId, lists: &[Postings<'_>], mut f: impl FnMut(ParaId, u32)) {
        match self {
            Counts::Map(m) => {
                for p in lists {
                    for o in p.iter() {
                        if o != id {
                            *m.entry(o).or_insert(0) += 1;
                        }
                    }
                }
                for (o, c) in m.drain() {
                    f(o, c);
                }
            }
            Counts::Dense(counts) => {
                // The lists lie anywhere in the postings: touching their heads first lets
                // the cache misses overlap instead of coming one list at a time.
                let mut heads = 0u32;
                for p in lists {
                    heads ^= p.base.first().copied().unwrap_or(0);
                }
                std::hint::black_box(heads);
                // Counting without a branch on the count, then a second pass over the same
                // (now cached) lists hands out and clears each count once.
                for p in lists {
                    for o in p.iter() {
                        if let Some(c) = counts.get_mut(o as usize) {
                            *c += 1;
                        }
                    }
                }
                for p in lists {
                    for o in p.iter() {
                        if let Some(c) = counts.get_mut(o as usize) {
                            let n = std::mem::take(c);
                            if n > 0 && o != id {
                                f(o, n);
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The set formulas of a government work report, which every report repeats in its own
/// words: the opening (`现在，我代表…人民政府，向大会报告政府工作…`) and the thanks
/// (`在此，我代表…向…表示衷心感谢/致以崇高的敬意`) with the credit before it (`成绩来之不易，
/// 这是…领导的结果`), in all their variants (`向大会作政府工作报告，请连同…一并审议`). Boilerplate even in a workspace too small to
/// count document frequencies.
fn is_formula_sentence(chars: &[char]) -> bool {
    let s: String = chars.iter().take(400).collect();
    let opening =
        s.contains("向大会") && s.contains("报告") && (s.contains("审议") || s.contains("审查"))
            || s.starts_with("请") && s.contains("提出意见");
    let thanks = (s.contains("我代表") || s.contains("我谨代表"))
        && (s.contains("感谢") || s.contains("敬意"));
    // The credit formula before the thanks: `成绩来之不易，这是…坚强领导的结果，是…团结奋斗的结果`.
    let credit = s.contains("来之不易")
        || s.contains("归功于")
        || s.contains("的结果") && (s.contains("领导") || s.contains("奋斗"));
    // The closing call (`让我们在…领导下，…共同创造…更加美好的明天`) and the plan submitted
    // to the congress (`我们编制了《…纲要（草案）》，提交大会审议`).
    let closing = s.starts_with("让我们")
        || s.starts_with("各位代表") && (s.contains("新征程") || s.contains("新的一年"));
    let submitted = s.contains("大会审") || s.contains("编制") && s.contains("草案");
    opening || thanks || credit || closing || submitted
}

/// A passage made mostly (60% or more) of set formulas.
fn is_formula(chars: &[char]) -> bool {
    // Every formula sentence has one of these; most paragraphs have none.
    if !chars.iter().any(|c| {
        matches!(
            c,
            '审' | '谢' | '敬' | '意' | '易' | '归' | '果' | '让' | '征' | '年'
        )
    }) {
        return false;
    }
    let formula: usize = sentences(chars)
        .into_iter()
        .filter(|r| is_formula_sentence(&chars[r.clone()]))
        .map(|r| r.len())
        .sum();
    formula * 5 >= chars.len() * 3 && formula > 0
}

/// (this paragraph, other paragraph, similarity, weight)
type Pair = (ParaId, ParaId, f64, f64);

/// A run: consecutive paragraphs of the document matching consecutive paragraphs elsewhere.
/// Most runs are one pair (a paragraph copied alone), so the first pair is kept inline and
/// only longer runs allocate.
#[derive(Debug, Clone)]
struct Run {
    other_file: FileId,
    head: Pair,
    tail: Vec<Pair>,
}

impl Run {
    fn new(other_file: FileId, head: Pair) -> Run {
        Run {
            other_file,
            head,
            tail: Vec::new(),
        }
    }
    fn pairs(&self) -> impl Iterator<Item = &Pair> {
        std::iter::once(&self.head).chain(&self.tail)
    }
    fn len(&self) -> usize {
        1 + self.tail.len()
    }
    fn last(&self) -> &Pair {
        self.tail.last().unwrap_or(&self.head)
    }
    fn p_first(&self) -> ParaId {
        self.head.0
    }
    fn p_last(&self) -> ParaId {
        self.last().0
    }
    fn q_first(&self) -> ParaId {
        self.head.1
    }
    fn q_last(&self) -> ParaId {
        self.last().1
    }
    fn similarity(&self) -> f64 {
        let w: f64 = self.pairs().map(|p| p.3).sum();
        let s: f64 = self.pairs().map(|p| p.2 * p.3).sum();
        if w > 0.0 {
            s / w
        } else {
            1.0
        }
    }
    fn exact(&self) -> bool {
        self.pairs().all(|p| p.2 >= 1.0)
    }
}

/// Where a run lies in both files, widened over equal short lines around a block.
#[derive(Debug, Clone)]
struct Span {
    other_file: FileId,
    p: Range<usize>,
    p_lines: (u32, u32),
    q: Range<usize>,
    q_lines: (u32, u32),
    similarity: f64,
    exact: bool,
    blocks: bool,
}

/// The duplicate findings of document `key` against everything in `index` (the document
/// included). Within a document only the later occurrence is flagged.
pub fn document_findings(
    index: &Index,
    key: &str,
    settings: &DupSettings,
    rules: &RuleSettings,
) -> Vec<DupFinding> {
    document_findings_cached(index, key, settings, rules, &mut MatchCache::default())
}

/// What one paragraph's query found.
struct Analysed {
    prep: Arc<Prepared>,
    matches: Vec<Match>,
    misses: Vec<ParaId>,
}

/// The matches of a document's paragraphs, kept across edits of that document: after an edit
/// only the paragraphs that changed are queried, and the cached ones are compared with the
/// paragraphs added to the index since (usually the one being edited). Reset when the index is
/// rebuilt, the settings change or too much changed at once.
#[derive(Default)]
pub struct MatchCache {
    epoch: u64,
    watermark: usize,
    settings: Option<DupSettings>,
    entries: FastMap<ParaId, Arc<Analysed>>,
    /// The runs of the last call and what they were built from.
    last: Option<Built>,
    /// Calls that kept the last runs (for tests and benchmarks).
    reused: u64,
    /// What the reuse test decided, kept across edits of this document (see [`ReuseMemo`]).
    reuse: ReuseMemo,
    /// Cached paragraphs whose `misses` may be out of date: a paragraph added since shares a
    /// fingerprint with them (it may rank among their best candidates). Queried again when the
    /// misses are needed (the paragraph has no match left).
    stale: FastSet<ParaId>,
}

/// More new paragraphs than this since the last query: recompute everything.
const MAX_INCREMENTAL: usize = 64;

impl MatchCache {
    /// How many calls kept the runs of the call before instead of rebuilding them.
    pub fn reused(&self) -> u64 {
        self.reused
    }

    /// Brings the cache to the index's state; returns the paragraphs added since.
    fn sync(&mut self, index: &Index, settings: &DupSettings) -> Vec<ParaId> {
        let count = index.para_count();
        let fresh = self.epoch != index.epoch() || self.settings.as_ref() != Some(settings);
        let new: Vec<ParaId> = (self.watermark.min(count)..count)
            .map(|i| i as ParaId)
            .filter(|&i| index.is_live(i))
            .collect();
        if fresh || new.len() > MAX_INCREMENTAL {
            self.last = None;
            self.reuse = ReuseMemo::default();
            self.stale.clear();
            self.entries.clear();
            self.epoch = index.epoch();
            self.settings = Some(settings.clone());
            self.watermark = count;
            return Vec::new();
        }
        self.watermark = count;
        new
    }
}

/// [`document_findings`] with a cache kept by the caller for this document.
pub fn document_findings_cached(
    index: &Index,
    key: &str,
    settings: &DupSettings,
    rules: &RuleSettings,
    cache: &mut MatchCache,
) -> Vec<DupFinding> {
    let exact_sev = rules.severity(&DUPLICATE_PASSAGE);
    let near_sev = rules.severity(&NEAR_DUPLICATE_PASSAGE);
    if exact_sev.is_none() && near_sev.is_none() {
        return Vec::new();
    }
    let Some(file_id) = index.file_id(key) else {
        return Vec::new();
    };
    let Some(file) = index.file(file_id) else {
        return Vec::new();
    };
    let q = Query { index, settings };
    let added: Vec<ParaId> = cache
        .sync(index, settings)
        .into_iter()
        .filter(|&y| q.eligible(y))
        .collect();
    let reverse = added_matches(&q, &added, cache);
    // The paragraphs compared, in order, with what their queries found.
    let mut positions: Vec<(ParaId, Arc<Analysed>)> = Vec::new();
    // Widening a block stops at the lines where a compared paragraph starts: those speak for
    // themselves (boilerplate does not: it may belong to the block).
    let mut starts: FastSet<u32> = FastSet::default();
    for &id in &file.paras {
        if !q.eligible(id) {
            continue;
        }
        // A cached paragraph left without a match needs its misses (for copied sentences):
        // when they may be out of date, it is queried again.
        let outdated = |a: &Analysed| {
            (cache.stale.contains(&id) || a.misses.iter().any(|&m| !index.is_live(m)))
                && !a.prep.boilerplate
                && !reverse.contains_key(&id)
                && !has_live_matches(index, file_id, id, &a.matches)
        };
        let cached = cache.entries.get(&id).filter(|a| !outdated(a));
        if cached.is_none() {
            cache.stale.remove(&id);
        }
        let analysed = match cached {
            Some(a) if !reverse.contains_key(&id) => a.clone(),
            Some(a) => {
                // The paragraphs added since that match this cached one.
                let mut matches: Vec<Match> = a.matches.clone();
                for m in reverse.get(&id).into_iter().flatten() {
                    let exact = m.sim >= 1.0;
                    let same_file = index.para(m.other).file == file_id;
                    if a.prep.boilerplate && !(exact && same_file) || !exact && a.prep.exact_only {
                        continue;
                    }
                    if !matches.iter().any(|x| x.other == m.other) {
                        matches.push(*m);
                    }
                }
                let fresh = Arc::new(Analysed {
                    prep: a.prep.clone(),
                    matches,
                    misses: a.misses.clone(),
                });
                cache.entries.insert(id, fresh.clone());
                fresh
            }
            None => {
                let prep = q.prepare(id);
                let (matches, misses) = if prep.boilerplate {
                    (q.same_file_exact(id), Vec::new())
                } else {
                    q.matches(id, &prep)
                };
                let a = Arc::new(Analysed {
                    prep: Arc::new(prep),
                    matches,
                    misses,
                });
                cache.entries.insert(id, a.clone());
                a
            }
        };
        if analysed.prep.boilerplate && analysed.matches.is_empty() {
            continue;
        }
        starts.insert(index.para(id).first_line);
        positions.push((id, analysed));
    }
    if cache.entries.len() > file.paras.len() {
        let current: FastSet<ParaId> = file.paras.iter().copied().collect();
        cache.entries.retain(|id, _| current.contains(id));
    }
    let others_updates = index.updates() - file.updates;
    // The runs of the last call, when nothing they depend on can have changed but the
    // document's own paragraphs (no paragraph moved, no other file changed).
    let last = cache.last.take().filter(|last| {
        last.epoch == index.epoch()
            && last.file_id == file_id
            && last.ords_version == index.ords_version()
            && last.others_updates == others_updates
    });
    let mut built = match last {
        Some(mut last) => {
            if last.reuse(index, file_id, &positions) {
                cache.reused += 1;
                last
            } else {
                build_runs(index, file_id, positions)
            }
        }
        None => build_runs(index, file_id, positions),
    };
    built.epoch = index.epoch();
    built.ords_version = index.ords_version();
    built.others_updates = others_updates;
    built.all_ids.clone_from(&file.paras);
    let unmatched: Vec<(ParaId, Arc<Analysed>)> = built
        .positions
        .iter()
        .filter(|p| !p.matched && !p.analysed.misses.is_empty())
        .map(|p| (p.id, p.analysed.clone()))
        .collect();
    let runs = std::mem::take(&mut built.runs);
    let text = file.text.clone();
    let mut line_cache: HashMap<FileId, Rc<Vec<Line>>> = HashMap::new();

    let reuse = Reuse::new(
        index,
        file_id,
        &built.positions,
        std::mem::take(&mut cache.reuse),
        others_updates,
    );
    let kept: Vec<&Run> = runs.iter().filter(|r| reuse.keep(r)).collect();
    cache.reuse = reuse.into_memo();
    let spans: Vec<Span> = kept
        .into_iter()
        .filter_map(|r| span(index, file_id, &text, r, &starts, &mut line_cache))
        .collect();
    // One finding per repeated block: runs over the same part of this document together.
    let mut groups: Vec<(Range<usize>, Vec<Span>)> = Vec::new();
    let mut slot: FastMap<(usize, usize), usize> = FastMap::default();
    for sp in spans {
        let k = (sp.p.start, sp.p.end);
        let i = *slot.entry(k).or_insert_with(|| {
            groups.push((sp.p.clone(), Vec::new()));
            groups.len() - 1
        });
        groups[i].1.push(sp);
    }
    let mut out = Vec::new();
    // Findings only across reports, by the report they come from (the first one listed).
    let mut across: Vec<(FileId, DupFinding)> = Vec::new();
    for (range, mut group) in groups {
        // The same document first, then the other files in index order.
        group.sort_by_key(|sp| (sp.other_file != file_id, sp.other_file, sp.q.start));
        let fp = range_fingerprint(index, file_id, &range);
        if settings.ignore.contains(&fp) {
            continue;
        }
        if let Some(f) = block_finding(index, file_id, &text, &group, exact_sev, near_sev) {
            let d = DupFinding {
                finding: f,
                fingerprint: fp,
            };
            match group.first() {
                Some(first) if first.other_file != file_id => across.push((first.other_file, d)),
                _ => out.push(d),
            }
        }
    }
    out.extend(per_source(index, across));
    out.extend(sentence_findings(
        &q, file_id, &unmatched, exact_sev, near_sev,
    ));
    out.sort_by_key(|d| (d.finding.range.start, d.finding.range.end));
    built.runs = runs;
    cache.last = Some(built);
    out
}

/// The test of runs across reports: only real reuse is kept (see `reuse.rs`).
/// Verdicts kept at most (a long editing session leaves the old paragraphs' behind).
const MAX_MEMO: usize = 1 << 16;

/// The verdicts of [`Reuse::substantive`] per (paragraph, other paragraph, its match count), valid while
/// no other file changes and this file's glossary heading stays where it was (paragraph ids are
/// stable and a paragraph's new matches give it a new analysis); and the governments of the
/// files, valid while the set of files stays.
#[derive(Default)]
struct ReuseMemo {
    others_updates: u64,
    glossary: Option<Option<u32>>,
    verdicts: FastMap<(ParaId, ParaId, usize), bool>,
    governments: Option<(u64, usize, Arc<Governments>)>,
    /// Glossary heading lines of the other files, by the text they were read from.
    other_glossary: FastMap<FileId, (u64, Option<u32>)>,
}

struct Reuse<'a> {
    index: &'a Index,
    file_id: FileId,
    governments: std::cell::OnceCell<Arc<Governments>>,
    glossary: std::cell::OnceCell<Option<u32>>,
    memo: std::cell::RefCell<ReuseMemo>,
    analysed: FastMap<ParaId, &'a Analysed>,
}

impl<'a> Reuse<'a> {
    fn new(
        index: &'a Index,
        file_id: FileId,
        positions: &'a [Position],
        mut memo: ReuseMemo,
        others_updates: u64,
    ) -> Reuse<'a> {
        if memo.others_updates != others_updates || memo.verdicts.len() > MAX_MEMO {
            memo.verdicts.clear();
            memo.others_updates = others_updates;
        }
        Reuse {
            index,
            file_id,
            memo: std::cell::RefCell::new(memo),
            governments: Default::default(),
            glossary: Default::default(),
            analysed: positions.iter().map(|p| (p.id, &*p.analysed)).collect(),
        }
    }

    fn governments(&self) -> &Governments {
        self.governments.get_or_init(|| {
            let key = (self.index.epoch(), self.index.file_count());
            let mut memo = self.memo.borrow_mut();
            match &memo.governments {
                Some((e, n, g)) if (*e, *n) == key => g.clone(),
                _ => {
                    let g = Arc::new(Governments::new(self.index));
                    memo.governments = Some((key.0, key.1, g.clone()));
                    g
                }
            }
        })
    }

    fn glossary(&self) -> Option<u32> {
        *self.glossary.get_or_init(|| {
            let g = self
                .index
                .file(self.file_id)
                .and_then(|f| glossary_line(&f.text));
            let mut memo = self.memo.borrow_mut();
            if memo.glossary != Some(g) {
                memo.verdicts.clear();
                memo.glossary = Some(g);
            }
            g
        })
    }

    /// The glossary heading line of another file, looked up once per version of it.
    fn other_glossary(&self, file: FileId) -> Option<u32> {
        let f = self.index.file(file)?;
        let mut memo = self.memo.borrow_mut();
        match memo.other_glossary.get(&file) {
            Some(&(hash, line)) if hash == f.text_hash => line,
            _ => {
                let line = glossary_line(&f.text);
                memo.other_glossary.insert(file, (f.text_hash, line));
                line
            }
        }
    }

    /// Hands the memo back to the cache.
    fn into_memo(self) -> ReuseMemo {
        self.memo.into_inner()
    }

    /// Inside the report a run is kept when most of it (by length) is a repeat: equal, or
    /// left unchanged but for a character or two with the same figures (the work plan echoing
    /// a sentence of the review with this year's figures is no accident). Across reports,
    /// when this report is not the earlier one and most of the run is substantive reuse.
    fn keep(&self, run: &Run) -> bool {
        let other = run.other_file;
        if other == self.file_id {
            if run.exact() {
                return true;
            }
            let (mut kept, mut total) = (0.0, 0.0);
            for &(p, q, sim, w) in run.pairs() {
                total += w;
                if repeat(self.index, p, q, sim) {
                    kept += w;
                }
            }
            return kept > 0.0 && kept * 2.0 >= total;
        }
        let governments = self.governments();
        if governments.later(self.file_id, other) {
            return false;
        }
        let same_government = governments.same_government(self.file_id, other);
        let (mut kept, mut total) = (0.0, 0.0);
        for &(p, q, sim, w) in run.pairs() {
            total += w;
            if self.substantive(p, q, sim, same_government) {
                kept += w;
            }
        }
        kept > 0.0 && kept * 2.0 >= total
    }

    fn substantive(&self, p: ParaId, q: ParaId, sim: f64, same_government: bool) -> bool {
        let pp = self.index.para(p);
        if pp.len < MIN_REUSE_CHARS || same_government && sim < UNCHANGED {
            return false;
        }
        // Read first: a moved glossary heading clears the memo.
        let glossary = self.glossary();
        // A paragraph's matches only grow while it is cached: their count tells its analyses apart.
        let analysis = self.analysed.get(&p).map_or(0, |a| a.matches.len());
        let key = (p, q, analysis);
        if let Some(&v) = self.memo.borrow().verdicts.get(&key) {
            return v;
        }
        let v = self.compute_substantive(p, q, sim, glossary);
        self.memo.borrow_mut().verdicts.insert(key, v);
        v
    }

    fn compute_substantive(&self, p: ParaId, q: ParaId, sim: f64, glossary: Option<u32>) -> bool {
        let (pp, qp) = (self.index.para(p), self.index.para(q));
        if is_definition(glossary, pp.first_line, self.index.source(p)) {
            return false;
        }
        let q_glossary = self.other_glossary(qp.file);
        if is_definition(q_glossary, qp.first_line, self.index.source(q)) {
            return false;
        }
        let Some(a) = self.analysed.get(&p) else {
            return !(sim < 1.0 && template(self.index, p, q));
        };
        let mut others: Vec<FileId> = a
            .matches
            .iter()
            .filter(|m| self.index.is_live(m.other))
            .map(|m| self.index.para(m.other).file)
            .filter(|&f| f != self.file_id)
            .collect();
        others.sort_unstable();
        others.dedup();
        if self.governments().shared(self.file_id, &others) {
            return false;
        }
        if sim < 1.0 && template(self.index, p, q) {
            return false;
        }
        !self.common_language(&a.prep.fps)
    }
}

impl Reuse<'_> {
    /// Most of the passage's fingerprints occur in many documents of the workspace (one in
    /// twenty, four at least): the stock language every report shares (`以习近平新时代中国特色
    /// 社会主义思想为指导，全面贯彻…`), whichever two reports happen to be closest.
    fn common_language(&self, fps: &[Fingerprint]) -> bool {
        if fps.is_empty() {
            return false;
        }
        let many = (self.index.file_count() / 20).max(4);
        let mut files: Vec<FileId> = Vec::new();
        let widespread = fps
            .iter()
            .filter(|f| {
                if self.index.is_common(f.hash) {
                    return true;
                }
                let postings = self.index.postings(f.hash);
                if postings.is_stock() {
                    return true;
                }
                if postings.len() < many {
                    return false;
                }
                // Distinct files, stopping at `many`.
                files.clear();
                for id in postings.iter() {
                    let f = self.index.para(id).file;
                    if !files.contains(&f) {
                        files.push(f);
                        if files.len() >= many {
                            return true;
                        }
                    }
                }
                false
            })
            .count();
        widespread * 2 >= fps.len()
    }
}

/// A repeat inside one report: equal, or unchanged but for a character or two and with the
/// same figures.
fn repeat(index: &Index, p: ParaId, q: ParaId, sim: f64) -> bool {
    sim >= 1.0 || sim >= UNCHANGED && !template(index, p, q)
}

/// One compared paragraph of the document, as the runs were built from it.
struct Position {
    id: ParaId,
    analysed: Arc<Analysed>,
    /// Hash of the (file, ord) of its live matches, in order: what the run building reads.
    shape: u64,
    /// It has live matches.
    matched: bool,
}

/// The runs of a document and what they were built from. An edit inside a paragraph usually
/// leaves every paragraph matching the same places (only similarities change): then the runs
/// are kept and only the pairs of the edited paragraphs are rewritten, instead of rebuilding
/// ~30,000 pairs for a document pasted eight times.
#[derive(Default)]
struct Built {
    epoch: u64,
    file_id: FileId,
    ords_version: u64,
    others_updates: u64,
    /// The file's paragraphs when built (to tell which have died since).
    all_ids: Vec<ParaId>,
    positions: Vec<Position>,
    runs: Vec<Run>,
}

/// The place (file, ord) of match `m` of paragraph `me` when the run building uses it: the
/// other paragraph is live, and in another file or before `me` in this one.
fn usable_place(index: &Index, file_id: FileId, me: &Para, m: &Match) -> Option<(FileId, u32)> {
    let o = index.para(m.other);
    (index.is_live(m.other) && (o.file != file_id || o.ord < me.ord)).then_some((o.file, o.ord))
}

/// Whether `id` has a match the run building would use.
fn has_live_matches(index: &Index, file_id: FileId, id: ParaId, matches: &[Match]) -> bool {
    let me = index.para(id);
    matches
        .iter()
        .any(|m| usable_place(index, file_id, me, m).is_some())
}

/// The (file, ord) of `id`'s live matches that the run building uses (other files, and earlier
/// paragraphs of this one), in order of place, and a hash of them.
fn live_matches(
    index: &Index,
    file_id: FileId,
    id: ParaId,
    analysed: &Analysed,
    out: &mut Vec<(Match, FileId, u32)>,
) -> u64 {
    let me = index.para(id);
    out.clear();
    // Each match with the other paragraph's file and ord, read once (the paragraph table is
    // large and these reads are scattered).
    out.extend(analysed.matches.iter().filter_map(|m| {
        let (file, ord) = usable_place(index, file_id, me, m)?;
        Some((*m, file, ord))
    }));
    // In the order of the places, not of the query's ranking: an edit that turns an exact copy
    // into a near one reorders the ranking but leaves the places, and so the runs, as they were.
    out.sort_unstable_by_key(|&(_, f, o)| (f, o));
    let mut h: u64 = 0x9e37_79b9_7f4a_7c15 ^ out.len() as u64;
    for &(_, f, o) in out.iter() {
        h = (h.rotate_left(7) ^ (u64::from(f) << 32 | u64::from(o)))
            .wrapping_mul(0xbf58_476d_1ce4_e5b9);
    }
    h
}

impl Built {
    /// Takes over `positions` when every paragraph matches the same places as when the runs
    /// were built, rewriting the pairs of the paragraphs that changed (new ids, similarities,
    /// lengths). False otherwise; the runs may then be half rewritten and must be dropped.
    fn reuse(
        &mut self,
        index: &Index,
        file_id: FileId,
        positions: &[(ParaId, Arc<Analysed>)],
    ) -> bool {
        if positions.len() != self.positions.len() {
            return false;
        }
        // Paragraphs of this file gone since (the edited ones): a kept paragraph matching one
        // of them would lose that match.
        let dead: Vec<ParaId> = self
            .all_ids
            .iter()
            .copied()
            .filter(|&id| !index.is_live(id))
            .collect();
        let mut renamed: FastMap<ParaId, ParaId> = FastMap::default();
        let mut changed: FastMap<ParaId, usize> = FastMap::default();
        let mut shapes: Vec<(usize, u64, bool)> = Vec::new();
        let mut scratch = Vec::new();
        for (k, ((id, analysed), old)) in positions.iter().zip(&self.positions).enumerate() {
            if *id == old.id && Arc::ptr_eq(analysed, &old.analysed) {
                if analysed.matches.iter().any(|m| dead.contains(&m.other)) {
                    return false;
                }
                continue;
            }
            let shape = live_matches(index, file_id, *id, analysed, &mut scratch);
            if shape != old.shape {
                return false;
            }
            if *id != old.id {
                renamed.insert(old.id, *id);
            }
            changed.insert(*id, k);
            shapes.push((k, shape, !scratch.is_empty()));
        }
        if !changed.is_empty() {
            for run in &mut self.runs {
                for pair in std::iter::once(&mut run.head).chain(run.tail.iter_mut()) {
                    let this = renamed.get(&pair.0).copied().unwrap_or(pair.0);
                    let other = renamed.get(&pair.1).copied().unwrap_or(pair.1);
                    let Some(&k) = changed.get(&this) else {
                        // Unchanged paragraphs match the same paragraphs (none of them died).
                        continue;
                    };
                    let Some(m) = positions[k].1.matches.iter().find(|m| m.other == other) else {
                        return false;
                    };
                    *pair = (this, other, m.sim, f64::from(index.para(this).len));
                }
            }
        }
        for (k, shape, matched) in shapes {
            self.positions[k] = Position {
                id: positions[k].0,
                analysed: positions[k].1.clone(),
                shape,
                matched,
            };
        }
        true
    }
}

/// Runs of consecutive matching paragraphs, from the document's compared paragraphs in order.
fn build_runs(index: &Index, file_id: FileId, positions: Vec<(ParaId, Arc<Analysed>)>) -> Built {
    let mut runs: Vec<Run> = Vec::new();
    // Open runs by (other file, ord of their last paragraph there).
    let mut active: FastMap<(FileId, u32), usize> = FastMap::default();
    // Which runs the current paragraph already extended (by run index: the paragraph's ord).
    let mut extended_by: Vec<u32> = Vec::new();
    // Per run: this document's first and last ord, the other side's last ord.
    let mut run_ords: Vec<(u32, u32, u32)> = Vec::new();
    let mut matches: Vec<(Match, FileId, u32)> = Vec::new();
    let mut retained_at = 64;
    let mut built = Vec::with_capacity(positions.len());
    for (id, analysed) in positions {
        let me = index.para(id);
        let shape = live_matches(index, file_id, id, &analysed, &mut matches);
        built.push(Position {
            id,
            analysed,
            shape,
            matched: !matches.is_empty(),
        });
        // Runs that cannot reach this paragraph any more are closed (stale entries are only
        // skipped by the lookup below, so this just bounds the map).
        if active.len() > retained_at {
            active.retain(|_, &mut r| me.ord - run_ords[r].1 <= MAX_STEP);
            retained_at = (active.len() * 2).max(64);
        }
        // `ord + 1` marks the runs this paragraph extended (0 = none yet).
        let stamp = me.ord + 1;
        for &(m, o_file, o_ord) in &matches {
            let found = (1..=MAX_STEP)
                .filter_map(|step| o_ord.checked_sub(step))
                .filter_map(|q| active.get(&(o_file, q)).copied())
                .find(|&r| {
                    let (p_first, p_last, _) = run_ords[r];
                    extended_by[r] != stamp
                        && (1..=MAX_STEP).contains(&(me.ord - p_last))
                        // Within one file the copy stays before the block it repeats.
                        && (o_file != file_id || o_ord < p_first)
                });
            let pair = (id, m.other, m.sim, f64::from(me.len));
            let r = match found {
                Some(r) => {
                    active.remove(&(o_file, run_ords[r].2));
                    runs[r].tail.push(pair);
                    run_ords[r].1 = me.ord;
                    run_ords[r].2 = o_ord;
                    r
                }
                None => {
                    runs.push(Run::new(o_file, pair));
                    run_ords.push((me.ord, me.ord, o_ord));
                    extended_by.push(0);
                    runs.len() - 1
                }
            };
            active.insert((o_file, o_ord), r);
            extended_by[r] = stamp;
        }
    }
    Built {
        file_id,
        positions: built,
        runs: split_periodic(index, file_id, runs),
        ..Built::default()
    }
}

/// For each cached paragraph of the document, the paragraphs added to the index since the cache
/// was filled (usually the one being edited) that are its exact or near duplicates. Only the
/// paragraphs sharing a fingerprint with an added one are compared, which is what a fresh query
/// of the cached paragraph would find; paragraphs not in the cache are queried afresh anyway.
fn added_matches(
    q: &Query<'_>,
    added: &[ParaId],
    cache: &mut MatchCache,
) -> FastMap<ParaId, Vec<Match>> {
    let index = q.index;
    let threshold = q.settings.threshold();
    let mut out: FastMap<ParaId, Vec<Match>> = FastMap::default();
    // The cache holds only paragraphs of this file (some dead): asked first, it spares the
    // scattered reads of the paragraph table for the many postings in other files.
    let in_cache = |x: ParaId| cache.entries.contains_key(&x) && index.is_live(x);
    let mut stale: Vec<ParaId> = Vec::new();
    for &y in added {
        let yp = index.para(y);
        for &x in index.exact(yp.hash) {
            if x != y && in_cache(x) {
                out.entry(x).or_default().push(Match { other: y, sim: 1.0 });
            }
        }
        let norm = index.normalized(y);
        if is_formula(&norm.chars) || is_dateline_text(index.source(y)) {
            continue;
        }
        let pattern = Pattern::new(&norm.chars);
        let mut seen: FastSet<ParaId> = FastSet::default();
        for f in fingerprint::winnow(&norm.chars) {
            if index.is_common(f.hash) {
                continue;
            }
            let postings = index.postings(f.hash);
            if postings.is_stock() {
                continue;
            }
            for x in postings.iter() {
                if x == y || !seen.insert(x) || !in_cache(x) {
                    continue;
                }
                stale.push(x);
                let xp = index.para(x);
                if xp.hash == yp.hash
                    || !lengths_compatible(xp.len as usize, yp.len as usize, threshold)
                {
                    continue;
                }
                let Some(cached) = cache.entries.get(&x) else {
                    continue;
                };
                let sim = pattern.similarity(&cached.prep.norm.chars);
                if sim >= q.threshold_for(xp.len, yp.len) {
                    out.entry(x).or_default().push(Match { other: y, sim });
                }
            }
        }
    }
    cache.stale.extend(stale);
    out
}

/// A text pasted several times into one file repeats itself along several diagonals (copy 3
/// repeats copy 2 and copy 1, and "copies 2–3" repeat "copies 1–2"). Cutting the same-file runs
/// where another same-file run starts leaves one block per copy.
fn split_periodic(index: &Index, file_id: FileId, runs: Vec<Run>) -> Vec<Run> {
    let mut cuts: Vec<u32> = runs
        .iter()
        .filter(|r| r.other_file == file_id)
        .map(|r| index.para(r.p_first()).ord)
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::with_capacity(runs.len());
    for run in runs {
        if run.other_file != file_id {
            out.push(run);
            continue;
        }
        let mut cur: Option<Run> = None;
        for pair in run.pairs().copied() {
            let ord = index.para(pair.0).ord;
            match cur.as_mut() {
                Some(c) if cuts.binary_search(&ord).is_err() => c.tail.push(pair),
                _ => {
                    out.extend(cur.take());
                    cur = Some(Run::new(run.other_file, pair));
                }
            }
        }
        out.extend(cur);
    }
    out
}

/// The byte ranges and lines of a run; a block of two or more paragraphs is widened over the
/// equal lines just before and after it on both sides (a short title or `各位代表：` that is
/// too short to be compared alone still belongs to a repeated block).
fn span(
    index: &Index,
    file_id: FileId,
    text: &str,
    run: &Run,
    starts: &FastSet<u32>,
    cache: &mut HashMap<FileId, Rc<Vec<Line>>>,
) -> Option<Span> {
    let (pf, pl) = (index.para(run.p_first()), index.para(run.p_last()));
    let (qf, ql) = (index.para(run.q_first()), index.para(run.q_last()));
    let other = index.file(run.other_file)?;
    let mut sp = Span {
        other_file: run.other_file,
        p: pf.start as usize..pl.end as usize,
        p_lines: (pf.first_line, pl.last_line),
        q: qf.start as usize..ql.end as usize,
        q_lines: (qf.first_line, ql.last_line),
        similarity: run.similarity(),
        exact: run.exact(),
        blocks: run.len() > 1,
    };
    if !sp.blocks {
        return Some(sp);
    }
    let p_lines = cache
        .entry(file_id)
        .or_insert_with(|| Rc::new(split_lines(text)))
        .clone();
    let q_lines = cache
        .entry(run.other_file)
        .or_insert_with(|| Rc::new(split_lines(&other.text)))
        .clone();
    let same = run.other_file == file_id;
    let line_eq = |a: usize, b: usize| -> Option<bool> {
        let (la, lb) = (p_lines.get(a)?, q_lines.get(b)?);
        Some(text.get(la.trimmed()) == other.text.get(lb.trimmed()))
    };
    // Backwards.
    let (mut a, mut b) = (sp.p_lines.0 as usize, sp.q_lines.0 as usize);
    while a > 0 && b > 0 && line_eq(a - 1, b - 1) == Some(true) {
        let la = &p_lines[a - 1];
        if same && a - 1 <= sp.q_lines.1 as usize || starts.contains(&((a - 1) as u32)) {
            break;
        }
        a -= 1;
        b -= 1;
        if !la.is_blank() {
            sp.p_lines.0 = a as u32;
            sp.q_lines.0 = b as u32;
            sp.p.start = la.trim_start;
            sp.q.start = q_lines[b].trim_start;
        }
    }
    // Forwards, up to a blank line (where the next pasted copy may begin).
    let (mut a, mut b) = (sp.p_lines.1 as usize, sp.q_lines.1 as usize);
    while line_eq(a + 1, b + 1) == Some(true) && !p_lines[a + 1].is_blank() {
        if same && b + 1 >= sp.p_lines.0 as usize || starts.contains(&((a + 1) as u32)) {
            break;
        }
        a += 1;
        b += 1;
        if !p_lines[a].is_blank() {
            sp.p_lines.1 = a as u32;
            sp.q_lines.1 = b as u32;
            sp.p.end = p_lines[a].trim_end;
            sp.q.end = q_lines[b].trim_end;
        }
    }
    Some(sp)
}

/// The paragraph hash of a single indexed paragraph, a combination of those in a block.
fn range_fingerprint(index: &Index, file: FileId, range: &Range<usize>) -> u64 {
    let Some(f) = index.file(file) else {
        return 0;
    };
    let from = f
        .paras
        .partition_point(|&id| (index.para(id).start as usize) < range.start);
    let inside: Vec<u64> = f.paras[from..]
        .iter()
        .map(|&id| index.para(id))
        .take_while(|p| p.start as usize <= range.end)
        .filter(|p| p.end as usize <= range.end)
        .map(|p| p.hash)
        .collect();
    if let [one] = inside.as_slice() {
        return *one;
    }
    let mut h: u64 = 0x9e37_79b9_7f4a_7c15;
    for x in inside {
        h = (h.rotate_left(7) ^ x).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    }
    h
}

fn display_name(key: &str) -> String {
    let name = key.rsplit('/').next().unwrap_or(key);
    percent_decode(name)
}

/// Decodes `%XX` escapes of a URI segment for display.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn lines_text(first: u32, last: u32) -> (String, String) {
    if first == last {
        (format!("第{}行", first + 1), format!("line {}", first + 1))
    } else {
        (
            format!("第{}–{}行", first + 1, last + 1),
            format!("lines {}–{}", first + 1, last + 1),
        )
    }
}

/// Byte range of whole lines `first..=last` of `text`, with the line break after them.
fn whole_lines(text: &str, start: usize, end: usize) -> Range<usize> {
    let s = text[..start.min(text.len())]
        .rfind(['\n', '\r'])
        .map_or(0, |i| i + 1);
    let e = match text.get(end..).and_then(|t| t.find('\n')) {
        Some(i) => end + i + 1,
        None => text.len(),
    };
    s..e
}

fn block_finding(
    index: &Index,
    file_id: FileId,
    text: &str,
    spans: &[Span],
    exact_sev: Option<Severity>,
    near_sev: Option<Severity>,
) -> Option<Finding> {
    let first = spans.first()?;
    let weight = |s: &Span| (s.p.end - s.p.start) as f64;
    let total: f64 = spans.iter().map(weight).sum();
    let sim = if total > 0.0 {
        spans.iter().map(|s| s.similarity * weight(s)).sum::<f64>() / total
    } else {
        1.0
    };
    let exact = spans.iter().all(|s| s.exact);
    let (code, severity) = if exact {
        (DUPLICATE_PASSAGE.code, exact_sev?)
    } else {
        (NEAR_DUPLICATE_PASSAGE.code, near_sev?)
    };
    // Reuse of another report is information; a repeat inside this one is an accident.
    let severity = if spans.iter().all(|s| s.other_file != file_id) {
        severity.min(Severity::Info)
    } else {
        severity
    };
    let pct = (sim * 100.0).floor() as u32;
    let block = spans.iter().any(|s| s.blocks);
    // Counted for blocks only (a single paragraph's message has no count).
    let paragraphs = if block {
        paragraphs(text.get(first.p.clone()).unwrap_or("")).len()
    } else {
        1
    };
    let (here_zh, here_en) = lines_text(first.p_lines.0, first.p_lines.1);
    // Every place counts in the message; the first few are listed (a passage found in fifty
    // reports needs no fifty links, and every edit would send them all again).
    let related: Vec<Related> = spans
        .iter()
        .take(MAX_RELATED)
        .filter_map(|s| {
            let run_pct = (s.similarity * 100.0).floor() as u32;
            let file = if s.other_file == file_id {
                None
            } else {
                Some(index.file(s.other_file)?.key.clone())
            };
            Some(Related {
                file,
                range: s.q.clone(),
                message: if s.exact {
                    Text::new("重复的另一处", "the other occurrence")
                } else {
                    similar_label(run_pct)
                },
            })
        })
        .collect();
    let more = spans.len().saturating_sub(1);
    let (first_zh, first_en) = {
        let (lz, le) = lines_text(first.q_lines.0, first.q_lines.1);
        if first.other_file == file_id {
            (lz, le)
        } else {
            let name = display_name(&index.file(first.other_file)?.key);
            (format!("{name} {lz}"), format!("{name} {le}"))
        }
    };
    let mut zh = match (block, exact) {
        (false, true) => format!("本段与{first_zh}重复"),
        (false, false) => format!("本段与{first_zh}相似（相似度{pct}%）"),
        (true, true) => format!("{here_zh}与{first_zh}重复，共{paragraphs}段"),
        (true, false) => format!("{here_zh}与{first_zh}相似，共{paragraphs}段（相似度{pct}%）"),
    };
    let mut en = match (block, exact) {
        (false, true) => format!("This paragraph repeats {first_en}"),
        (false, false) => format!("This paragraph is {pct}% similar to {first_en}"),
        (true, true) => format!("{here_en} repeat {first_en} ({paragraphs} paragraphs)"),
        (true, false) => {
            format!("{here_en} are {pct}% similar to {first_en} ({paragraphs} paragraphs)")
        }
    };
    if more > 0 {
        zh.push_str(&format!("；另有{more}处"));
        en.push_str(&format!("; {more} more"));
    }
    let delete = whole_lines(text, first.p.start, first.p.end);
    let title = if block {
        Text::new(
            format!("删除这{paragraphs}段重复内容（{here_zh}）"),
            format!("Delete this duplicate block ({here_en})"),
        )
    } else {
        Text::new("删除这段重复内容", "Delete this duplicate paragraph")
    };
    Some(Finding {
        code,
        severity,
        range: first.p.clone(),
        message: Text::new(zh, en),
        related,
        fixes: vec![Fix {
            title,
            edits: vec![Edit {
                range: delete,
                new_text: String::new(),
            }],
            safe: false,
        }],
    })
}

/// More findings than this copied from one report become one diagnostic for that report.
const MAX_PER_SOURCE: usize = 3;

/// Findings across reports grouped per source report: when many passages of this report come
/// from one other report, one diagnostic (on the first of them) says so and lists them all,
/// instead of one per passage.
fn per_source(index: &Index, across: Vec<(FileId, DupFinding)>) -> Vec<DupFinding> {
    let mut by_source: Vec<(FileId, Vec<DupFinding>)> = Vec::new();
    for (source, d) in across {
        match by_source.iter_mut().find(|(s, _)| *s == source) {
            Some((_, ds)) => ds.push(d),
            None => by_source.push((source, vec![d])),
        }
    }
    let mut out = Vec::new();
    for (source, mut ds) in by_source {
        if ds.len() <= MAX_PER_SOURCE {
            out.extend(ds);
            continue;
        }
        ds.sort_by_key(|d| d.finding.range.start);
        let name = index
            .file(source)
            .map(|f| display_name(&f.key))
            .unwrap_or_default();
        let n = ds.len();
        let exact = ds.iter().all(|d| d.finding.code == DUPLICATE_PASSAGE.code);
        let code = if exact {
            DUPLICATE_PASSAGE.code
        } else {
            NEAR_DUPLICATE_PASSAGE.code
        };
        let severity = ds
            .iter()
            .filter(|d| d.finding.code == code)
            .map(|d| d.finding.severity)
            .max()
            .unwrap_or(Severity::Info);
        let (zh, en) = if exact {
            (
                format!("本文有{n}处与{name}重复"),
                format!("{n} passages of this report repeat {name}"),
            )
        } else {
            (
                format!("本文有{n}处与{name}重复或相似"),
                format!("{n} passages of this report repeat or resemble {name}"),
            )
        };
        let mut related = Vec::new();
        let mut fingerprint: u64 = 0x9e37_79b9_7f4a_7c15;
        for (i, d) in ds.iter().enumerate() {
            fingerprint =
                (fingerprint.rotate_left(7) ^ d.fingerprint).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            if i > 0 {
                related.push(Related {
                    file: None,
                    range: d.finding.range.clone(),
                    message: d.finding.message.clone(),
                });
            }
            related.extend(
                d.finding
                    .related
                    .iter()
                    .filter(|r| {
                        r.file
                            .as_ref()
                            .is_some_and(|f| index.file_id(f) == Some(source))
                    })
                    .take(1)
                    .cloned(),
            );
        }
        let first = ds.swap_remove(0);
        out.push(DupFinding {
            fingerprint,
            finding: Finding {
                code,
                severity,
                range: first.finding.range.clone(),
                message: Text::new(zh, en),
                related,
                // Deleting every copied passage at once is not a fix anyone should take blind.
                fixes: Vec::new(),
            },
        });
    }
    out
}

/// `相似的另一处（相似度N%）`: one of 101 texts, made once and shared by every finding (a
/// workspace with many near copies labels thousands of related locations per edit).
fn similar_label(pct: u32) -> Text {
    static LABELS: std::sync::OnceLock<Vec<(&'static str, &'static str)>> =
        std::sync::OnceLock::new();
    let labels = LABELS.get_or_init(|| {
        (0..=100)
            .map(|p| {
                let zh: &'static str = Box::leak(format!("相似的另一处（相似度{p}%）").into());
                let en: &'static str =
                    Box::leak(format!("the similar passage ({p}% similar)").into());
                (zh, en)
            })
            .collect()
    });
    match labels.get(pct as usize) {
        Some(&(zh, en)) => Text::new(zh, en),
        None => Text::new(
            format!("相似的另一处（相似度{pct}%）"),
            format!("the similar passage ({pct}% similar)"),
        ),
    }
}

/// Long sentences of otherwise unmatched paragraphs that repeat a sentence of another
/// paragraph (a sentence pasted into a different paragraph).
fn sentence_findings(
    q: &Query<'_>,
    file_id: FileId,
    unmatched: &[(ParaId, Arc<Analysed>)],
    exact_sev: Option<Severity>,
    near_sev: Option<Severity>,
) -> Vec<DupFinding> {
    let index = q.index;
    let threshold = q.settings.threshold();
    let min = q.settings.min_chars.max(MIN_SENTENCE_CHARS);
    let mut out = Vec::new();
    let glossary = std::cell::OnceCell::new();
    for (id, analysed) in unmatched {
        let (prep, cands) = (&analysed.prep, &analysed.misses);
        let me = index.para(*id);
        // Glossary entries quote one another (`…，建设张吉怀精品生态文化旅游经济带` under two
        // terms) and the body they explain: only a whole entry pasted twice is an accident.
        let glossary =
            *glossary.get_or_init(|| index.file(file_id).and_then(|f| glossary_line(&f.text)));
        if is_definition(glossary, me.first_line, index.source(*id)) {
            continue;
        }
        let sents = sentences(&prep.norm.chars);
        if sents.len() < 2 {
            continue;
        }
        let cands: Vec<ParaId> = cands
            .iter()
            .copied()
            // Across reports a shared sentence is stock language: only repeats inside the
            // report are accidents.
            .filter(|&o| {
                let p = index.para(o);
                index.is_live(o) && p.file == file_id && p.ord < me.ord
            })
            .collect();
        if cands.is_empty() {
            continue;
        }
        let others: Vec<(ParaId, Normalized, Vec<Range<usize>>)> = cands
            .iter()
            .map(|&o| {
                let n = index.normalized(o);
                let s = sentences(&n.chars);
                (o, n, s)
            })
            .collect();
        for s in sents.iter().filter(|s| s.len() >= min) {
            let chars = &prep.norm.chars[s.clone()];
            if is_formula(chars) {
                continue;
            }
            let pattern = Pattern::new(chars);
            let mut best: Option<(f64, ParaId, Range<usize>, bool)> = None;
            for (o, other, other_sents) in &others {
                for t in other_sents {
                    if !lengths_compatible(chars.len(), t.len(), threshold) {
                        continue;
                    }
                    let sim = pattern.similarity(&other.chars[t.clone()]);
                    if sim >= threshold && best.as_ref().is_none_or(|b| sim > b.0) {
                        let same_figures = figures(chars) == figures(&other.chars[t.clone()]);
                        best = Some((sim, *o, other.source_range(t.clone()), same_figures));
                    }
                }
            }
            let Some((sim, o, other_range, same_figures)) = best else {
                continue;
            };
            // Inside one report only a repeat is an accident (see `repeat`).
            if sim < 1.0 && (sim < UNCHANGED || !same_figures) {
                continue;
            }
            let exact = sim >= 1.0;
            let (code, severity) = if exact {
                (DUPLICATE_PASSAGE.code, exact_sev)
            } else {
                (NEAR_DUPLICATE_PASSAGE.code, near_sev)
            };
            let Some(severity) = severity else { continue };
            let op = index.para(o);
            let Some(other) = index.file(op.file) else {
                continue;
            };
            let line = other.text[..other_range.start.min(other.text.len())]
                .matches('\n')
                .count() as u32;
            let (lz, le) = lines_text(line, line);
            let (wz, we) = if op.file == file_id {
                (lz, le)
            } else {
                let name = display_name(&other.key);
                (format!("{name} {lz}"), format!("{name} {le}"))
            };
            let pct = (sim * 100.0).floor() as u32;
            let (zh, en) = if exact {
                (
                    format!("本句与{wz}的句子重复"),
                    format!("This sentence repeats one at {we}"),
                )
            } else {
                (
                    format!("本句与{wz}的句子相似（相似度{pct}%）"),
                    format!("This sentence is {pct}% similar to one at {we}"),
                )
            };
            // Where the sentence is now: the paragraph may have moved since it was prepared.
            let range = {
                let r = prep.norm.source_range(s.clone());
                let (now, then) = (me.start as usize, prep.start as usize);
                r.start + now - then..r.end + now - then
            };
            out.push(DupFinding {
                fingerprint: super::index::chars_hash(chars),
                finding: Finding {
                    code,
                    severity,
                    range: range.clone(),
                    message: Text::new(zh, en),
                    related: vec![Related {
                        file: (op.file != file_id).then(|| other.key.clone()),
                        range: other_range,
                        message: Text::new("另一处", "the other occurrence"),
                    }],
                    fixes: vec![Fix {
                        title: Text::new("删除这句重复内容", "Delete this duplicate sentence"),
                        edits: vec![Edit {
                            range,
                            new_text: String::new(),
                        }],
                        safe: false,
                    }],
                },
            });
        }
    }
    out.retain(|d| !q.settings.ignore.contains(&d.fingerprint));
    out
}

/// One place of a duplicate cluster: a paragraph or a block of consecutive paragraphs.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub file: FileId,
    pub first: ParaId,
    pub last: ParaId,
    pub paragraphs: u32,
}

/// Passages that repeat one another across the indexed documents.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    pub members: Vec<Member>,
    /// The lowest similarity of a verified pair in the cluster.
    pub similarity: f64,
}

/// All duplicate clusters of the index, consecutive paragraph clusters merged into blocks.
pub fn clusters(index: &Index, settings: &DupSettings) -> Vec<Cluster> {
    let mut parent: HashMap<ParaId, ParaId> = HashMap::new();
    let mut min_sim: HashMap<ParaId, f64> = HashMap::new();
    fn find(parent: &mut HashMap<ParaId, ParaId>, x: ParaId) -> ParaId {
        let mut r = x;
        while let Some(&p) = parent.get(&r) {
            if p == r {
                break;
            }
            r = p;
        }
        let mut y = x;
        while let Some(&p) = parent.get(&y) {
            if p == r {
                break;
            }
            parent.insert(y, r);
            y = p;
        }
        r
    }
    let edges = cluster_edges(index, settings);
    for (a, b, sim) in edges {
        parent.entry(a).or_insert(a);
        parent.entry(b).or_insert(b);
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        let s = min_sim
            .get(&ra)
            .copied()
            .unwrap_or(1.0)
            .min(min_sim.get(&rb).copied().unwrap_or(1.0))
            .min(sim);
        if ra != rb {
            parent.insert(rb, ra);
        }
        min_sim.insert(ra, s);
    }
    let mut comps: HashMap<ParaId, Vec<ParaId>> = HashMap::new();
    let keys: Vec<ParaId> = parent.keys().copied().collect();
    for x in keys {
        let r = find(&mut parent, x);
        comps.entry(r).or_default().push(x);
    }
    let order = |id: &ParaId| {
        let p = index.para(*id);
        (p.file, p.ord)
    };
    let mut paragraph_clusters: Vec<(Vec<ParaId>, f64)> = comps
        .into_iter()
        .map(|(r, mut m)| {
            m.sort_by_key(order);
            (m, min_sim.get(&r).copied().unwrap_or(1.0))
        })
        .collect();
    paragraph_clusters.sort_by_key(|(m, _)| order(&m[0]));
    // Merge clusters that continue a block: same number of members, each one or two
    // paragraphs after the previous cluster's member in the same file.
    let mut blocks: Vec<(Vec<Member>, f64, Vec<ParaId>)> = Vec::new();
    for (members, sim) in paragraph_clusters {
        let continues = blocks.iter_mut().rev().take(8).find(|(_, _, last)| {
            last.len() == members.len()
                && last.iter().zip(&members).all(|(&a, &b)| {
                    let (pa, pb) = (index.para(a), index.para(b));
                    pa.file == pb.file && pb.ord > pa.ord && pb.ord - pa.ord <= MAX_STEP
                })
        });
        match continues {
            Some((ms, s, last)) => {
                for (m, &b) in ms.iter_mut().zip(&members) {
                    m.last = b;
                    m.paragraphs += 1;
                }
                *s = s.min(sim);
                *last = members;
            }
            None => {
                let ms = members
                    .iter()
                    .map(|&id| Member {
                        file: index.para(id).file,
                        first: id,
                        last: id,
                        paragraphs: 1,
                    })
                    .collect();
                blocks.push((ms, sim, members));
            }
        }
    }
    blocks
        .into_iter()
        .map(|(members, similarity, _)| Cluster {
            members,
            similarity,
        })
        .collect()
}

/// (paragraph, matching paragraph, similarity)
type Edge = (ParaId, ParaId, f64);

/// Paragraphs queried per work item of [`cluster_edges`]: larger chunks read the postings more
/// nearly in order (at 100 MB, 4,096 paragraphs took a fifth less time than 1,024), but each
/// costs about 12 KB per paragraph of buffers per thread, which a small workspace should not pay.
const MIN_CLUSTER_CHUNK: usize = 256;
const MAX_CLUSTER_CHUNK: usize = 4096;
/// Work items per thread at least (so that the threads end together).
const CHUNKS_PER_THREAD: usize = 8;

/// Every (paragraph, match, similarity) of the index, in file and paragraph order: each
/// paragraph queried as [`document_findings`] would, on all cores, with reused buffers and the
/// formula/dateline test of a candidate done once per paragraph instead of once per query.
fn cluster_edges(index: &Index, settings: &DupSettings) -> Vec<Edge> {
    let paragraphs = index.para_count();
    let chunk =
        (paragraphs / (threads() * CHUNKS_PER_THREAD)).clamp(MIN_CLUSTER_CHUNK, MAX_CLUSTER_CHUNK);
    cluster_edges_in(index, settings, chunk)
}

fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 8)
}

fn cluster_edges_in(index: &Index, settings: &DupSettings, chunk: usize) -> Vec<Edge> {
    let ids: Vec<ParaId> = index
        .files()
        .flat_map(|(_, f)| f.paras.iter().copied())
        .collect();
    let candidates: Vec<OnceLock<Option<Box<[char]>>>> =
        (0..index.para_count()).map(|_| OnceLock::new()).collect();
    let chunks: Vec<&[ParaId]> = ids.chunks(chunk.max(1)).collect();
    let threads = threads().min(chunks.len().max(1));
    let next = AtomicUsize::new(0);
    let new_scratch = || Scratch {
        counts: Counts::dense(index.para_count()),
        candidates: &candidates,
        ..Scratch::default()
    };
    let work = || {
        let q = Query { index, settings };
        let mut scratch = new_scratch();
        let mut done: Vec<(usize, Vec<Edge>)> = Vec::new();
        // The chunk's prepared paragraphs (with where their postings start in `postings`),
        // and the (fingerprint, slot) pairs to look up.
        let mut preps: Vec<(ParaId, Prepared, usize)> = Vec::new();
        let mut wanted: Vec<(u32, u32)> = Vec::new();
        let mut postings: Vec<Postings<'_>> = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(chunk) = chunks.get(i) else { break };
            preps.clear();
            wanted.clear();
            let mut slots = 0usize;
            for &id in *chunk {
                if !q.eligible(id) {
                    continue;
                }
                let prep = q.prepare(id);
                if prep.boilerplate {
                    continue;
                }
                if !prep.exact_only {
                    for (j, f) in prep.fps.iter().enumerate() {
                        if !index.is_common(f.hash) {
                            wanted.push((f.hash, (slots + j) as u32));
                        }
                    }
                }
                let n = prep.fps.len();
                preps.push((id, prep, slots));
                slots += n;
            }
            // Looked up in hash order, the postings are read front to back instead of at
            // random (the lookups were most of the time).
            wanted.sort_unstable();
            postings.clear();
            postings.resize(slots, NO_POSTINGS);
            let mut last: Option<(u32, Postings<'_>)> = None;
            for &(h, slot) in &wanted {
                let p = match last {
                    Some((lh, p)) if lh == h => p,
                    _ => index.postings(h),
                };
                last = Some((h, p));
                postings[slot as usize] = p;
            }
            let mut edges = Vec::new();
            for (id, prep, at) in &preps {
                let looked_up = &postings[*at..*at + prep.fps.len()];
                edges.extend(
                    q.matches_with(*id, prep, Some(looked_up), &mut scratch)
                        .0
                        .into_iter()
                        .map(|m| (*id, m.other, m.sim)),
                );
            }
            done.push((i, edges));
        }
        done
    };
    let mut parts: Vec<(usize, Vec<Edge>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (1..threads).map(|_| s.spawn(work)).collect();
        let mut parts = work();
        for h in handles {
            // A panicking worker loses its chunks; the analysis core never panics on input.
            parts.extend(h.join().unwrap_or_default());
        }
        parts
    });
    parts.sort_unstable_by_key(|p| p.0);
    parts.into_iter().flat_map(|p| p.1).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parallel, chunked edge search finds exactly what one query per paragraph finds.
    #[test]
    fn cluster_edges_equal_one_query_per_paragraph() {
        let eight =
            include_str!("../../../tests/fixtures/corpus/beijing-2017-report-pasted-8-times.txt");
        let edited = eight.replace("发展", "发屣").replace("改革", "改苹");
        let docs: Vec<(Arc<str>, Arc<str>)> = [("a", eight), ("b", edited.as_str())]
            .iter()
            .map(|(k, t)| (Arc::from(*k), Arc::from(*t)))
            .collect();
        let settings = DupSettings::default();
        let index = Index::bulk(docs, settings.boilerplate_ratio(), 1);
        let q = Query {
            index: &index,
            settings: &settings,
        };
        let mut expected: Vec<Edge> = Vec::new();
        for (_, f) in index.files() {
            for &id in &f.paras {
                if !q.eligible(id) {
                    continue;
                }
                let prep = q.prepare(id);
                if prep.boilerplate {
                    continue;
                }
                expected.extend(
                    q.matches(id, &prep)
                        .0
                        .into_iter()
                        .map(|m| (id, m.other, m.sim)),
                );
            }
        }
        assert!(expected.len() > 1000, "{}", expected.len());
        assert!(expected.iter().any(|e| e.2 < 1.0));
        for chunk in [1, 7, 4096] {
            assert_eq!(
                cluster_edges_in(&index, &settings, chunk),
                expected,
                "chunk {chunk}"
            );
        }
    }
}
