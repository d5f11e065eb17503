//! Targets across the workspace, and the target features: hover card with a timeline,
//! go-to-definition, find-references, workspace symbols, semantic tokens, document highlights.
//!
//! Every report of the workspace index (open documents shadowing their files) is extracted once
//! per content (`DerivedCache` keyed by content hash) into `Mention`s with ready LSP locations;
//! an indicator → mentions map is rebuilt only when the index generation changes. A request then
//! costs the current document's analysis (already needed) plus map lookups.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use ropey::Rope;
use tower_lsp::lsp_types::{
    DocumentHighlight, DocumentHighlightKind, Hover, HoverContents, Location, MarkupContent,
    MarkupKind, Position, Range as LspRange, SemanticToken, SemanticTokenType, SemanticTokens,
    SemanticTokensLegend, SymbolInformation, SymbolKind, Url,
};

use super::convert;
use super::documents::Snapshot;
use crate::analysis::finding::Language;
use crate::analysis::targets::{at_offset, report_region, Kind, Period, Region, Synonyms, Target};
use crate::analysis::Analysis;
use crate::position::Encoding;
use crate::workspace::{DerivedCache, FileVersion, Workspace};

/// At most this many entries per timeline part of a hover card.
const TIMELINE_MAX: usize = 8;
/// At most this many workspace symbols per query.
const SYMBOLS_MAX: usize = 500;

/// One figure of one workspace file, with its location ready for the client.
#[derive(Debug, Clone)]
pub struct Mention {
    pub uri: Arc<str>,
    pub range: LspRange,
    pub target: Target,
    /// The statement on one line (at most 60 characters).
    pub text: String,
    /// The government whose report this is, when its opening lines name one.
    pub region: Option<Arc<Region>>,
}

#[derive(Default)]
struct Aggregate {
    generation: u64,
    synonyms_epoch: u64,
    by_indicator: HashMap<String, Vec<Arc<Mention>>>,
}

/// The cross-report view of targets.
pub struct TargetsIndex {
    workspace: Arc<Workspace>,
    files: Arc<DerivedCache<Vec<Arc<Mention>>>>,
    aggregate: Mutex<Aggregate>,
    settings: Mutex<(Arc<Synonyms>, Encoding, u64)>,
}

impl TargetsIndex {
    pub fn new(workspace: Arc<Workspace>) -> TargetsIndex {
        TargetsIndex {
            files: DerivedCache::following(&workspace),
            workspace,
            aggregate: Mutex::new(Aggregate::default()),
            settings: Mutex::new((Arc::new(Synonyms::builtin()), Encoding::default(), 1)),
        }
    }

    /// New synonyms or position encoding: everything derived is recomputed.
    pub fn configure(&self, synonyms: Synonyms, encoding: Encoding) {
        let mut s = self.settings.lock().unwrap_or_else(|e| e.into_inner());
        if *s.0 != synonyms || s.1 != encoding {
            *s = (Arc::new(synonyms), encoding, s.2 + 1);
            self.files.retain(|_| false);
        }
    }

    pub fn synonyms(&self) -> Arc<Synonyms> {
        self.settings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .0
            .clone()
    }

    fn file_mentions(&self, f: &FileVersion) -> Arc<Vec<Arc<Mention>>> {
        let (syn, enc, _) = self
            .settings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        self.files.get_or_compute(f, |f| {
            let analysis = Analysis::with_synonyms(&f.text, syn);
            let rope = Rope::from_str(&f.text);
            let region = report_region(&f.text).map(Arc::new);
            analysis
                .targets()
                .iter()
                .map(|t| {
                    Arc::new(Mention {
                        uri: f.uri.clone(),
                        range: convert::range(&rope, &t.range, enc),
                        target: t.clone(),
                        text: crate::analysis::text::excerpt(&f.text[t.statement()], 60),
                        region: region.clone(),
                    })
                })
                .collect()
        })
    }

    /// Every mention of `indicator` in the workspace, sorted by period then kind.
    pub fn mentions(&self, indicator: &str) -> Vec<Arc<Mention>> {
        self.refresh();
        let agg = self.aggregate.lock().unwrap_or_else(|e| e.into_inner());
        agg.by_indicator.get(indicator).cloned().unwrap_or_default()
    }

    /// Indicators whose name contains `query` (all when empty), with their mentions.
    pub fn search(&self, query: &str, mut f: impl FnMut(&str, &[Arc<Mention>]) -> bool) {
        self.refresh();
        let agg = self.aggregate.lock().unwrap_or_else(|e| e.into_inner());
        let mut names: Vec<&String> = agg
            .by_indicator
            .keys()
            .filter(|k| query.is_empty() || k.contains(query))
            .collect();
        names.sort();
        for n in names {
            if !f(n, &agg.by_indicator[n]) {
                break;
            }
        }
    }

    /// Rebuilds the indicator map if the workspace or the settings changed since.
    fn refresh(&self) {
        let generation = self.workspace.generation();
        let epoch = self.settings.lock().map(|s| s.2).unwrap_or(0);
        {
            let agg = self.aggregate.lock().unwrap_or_else(|e| e.into_inner());
            if agg.generation == generation && agg.synonyms_epoch == epoch && generation != 0 {
                return;
            }
        }
        let files = self.workspace.files();
        let live: std::collections::HashSet<&Path> = files.iter().map(|f| &*f.path).collect();
        self.files.retain(|p| live.contains(p));
        let mut by_indicator: HashMap<String, Vec<Arc<Mention>>> = HashMap::new();
        for f in &files {
            for m in self.file_mentions(f).iter() {
                by_indicator
                    .entry(m.target.indicator.clone())
                    .or_default()
                    .push(m.clone());
            }
        }
        for v in by_indicator.values_mut() {
            v.sort_by_key(|m| (m.target.period, m.target.kind));
        }
        *self.aggregate.lock().unwrap_or_else(|e| e.into_inner()) = Aggregate {
            generation,
            synonyms_epoch: epoch,
            by_indicator,
        };
    }
}

fn kind_label(k: Kind, lang: Language) -> &'static str {
    match lang {
        Language::Zh => k.zh(),
        Language::En => k.en(),
    }
}

fn period_label(p: Option<Period>, lang: Language) -> String {
    match (p, lang) {
        (Some(p), Language::Zh) => p.label(),
        (Some(p), Language::En) if p.start == p.end => p.start.to_string(),
        (Some(p), Language::En) => format!("{}–{}", p.start, p.end),
        (None, Language::Zh) => "时期不明".to_string(),
        (None, Language::En) => "period unknown".to_string(),
    }
}

fn file_name(uri: &str) -> String {
    let tail = uri.rsplit('/').next().unwrap_or(uri);
    url::form_urlencoded::parse(format!("x={tail}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| tail.to_string())
}

/// `增长 6.5% 左右`-style summary of a figure.
fn figure_label(t: &Target, lang: Language) -> String {
    let value = format!("{}{}", t.value_label(), t.unit);
    match lang {
        Language::Zh => {
            let bound = match t.bound {
                crate::analysis::targets::Bound::Exact | crate::analysis::targets::Bound::Range => {
                    String::new()
                }
                b => format!("（{}）", b.zh()),
            };
            format!("{} {value}{bound}", t.direction.zh())
        }
        Language::En => format!("{} {} {value}", t.direction.en(), t.bound.en()),
    }
}

/// The hover card of the figures under the cursor, or `None`.
pub fn hover(
    snap: &Snapshot,
    analysis: &Analysis<'_>,
    offset: usize,
    index: &TargetsIndex,
    lang: Language,
) -> Option<Hover> {
    let targets = analysis.targets();
    let found = at_offset(targets, offset);
    let first = *found.first()?;
    let mut body = String::new();
    for &k in &found {
        card(&mut body, snap, analysis, k, index, lang);
    }
    let t = &targets[first];
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: body,
        }),
        range: Some(convert::range(&snap.rope, &t.range, snap.encoding)),
    })
}

fn card(
    out: &mut String,
    snap: &Snapshot,
    analysis: &Analysis<'_>,
    k: usize,
    index: &TargetsIndex,
    lang: Language,
) {
    let targets = analysis.targets();
    let t = &targets[k];
    let zh = lang == Language::Zh;
    if !out.is_empty() {
        out.push_str("\n---\n\n");
    }
    out.push_str(&format!(
        "**{}** · {} · {}\n\n",
        t.indicator,
        kind_label(t.kind, lang),
        period_label(t.period, lang)
    ));
    if t.indicator_text != t.indicator {
        out.push_str(&if zh {
            format!("- 原文指标：{}\n", t.indicator_text)
        } else {
            format!("- As written: {}\n", t.indicator_text)
        });
    }
    out.push_str(&if zh {
        format!("- 数值：{}\n", figure_label(t, lang))
    } else {
        format!("- Figure: {}\n", figure_label(t, lang))
    });
    if let Some(b) = &t.baseline {
        out.push_str(&if zh {
            format!("- 基期：{}\n", b.text)
        } else {
            format!("- Baseline: {}\n", b.text)
        });
    }
    if let Some(s) = t.section {
        let name = &analysis.outline.sections[s].name;
        out.push_str(&if zh {
            format!("- 所在章节：{name}\n")
        } else {
            format!("- Section: {name}\n")
        });
    }
    // This document: the other mentions of the indicator.
    let here: Vec<&Target> = targets
        .iter()
        .enumerate()
        .filter(|(j, o)| *j != k && o.indicator == t.indicator)
        .map(|(_, o)| o)
        .collect();
    if !here.is_empty() {
        out.push_str(if zh {
            "\n本文其他提及：\n"
        } else {
            "\nElsewhere in this document:\n"
        });
        for o in here.iter().take(TIMELINE_MAX) {
            let line = snap.rope.try_byte_to_line(o.range.start).unwrap_or(0) + 1;
            out.push_str(&format!(
                "- {} {} {} — L{line}\n",
                period_label(o.period, lang),
                kind_label(o.kind, lang),
                figure_label(o, lang)
            ));
        }
        if here.len() > TIMELINE_MAX {
            out.push_str(&if zh {
                format!("- ……另有{}处\n", here.len() - TIMELINE_MAX)
            } else {
                format!("- … {} more\n", here.len() - TIMELINE_MAX)
            });
        }
    }
    // Other reports of the same government (a workspace may hold hundreds of governments'
    // reports: the same indicator elsewhere says nothing about this one); by period, nearest
    // to this figure's period first. When this report names no government, the other reports
    // that name none (drafts of one office, say) are listed.
    let me = snap.uri.as_str();
    let mine = report_region(&analysis.text);
    let same_government = |m: &Mention| match (&mine, &m.region) {
        (Some(a), Some(b)) => a.same_as(b),
        (None, None) => true,
        _ => false,
    };
    let others: Vec<Arc<Mention>> = index
        .mentions(&t.indicator)
        .into_iter()
        .filter(|m| &*m.uri != me && same_government(m))
        .collect();
    if !others.is_empty() {
        let centre = t.period.map_or(0, |p| i32::from(p.end));
        let mut picked: Vec<&Arc<Mention>> = others.iter().collect();
        picked.sort_by_key(|m| {
            let y = m.target.period.map_or(i32::MAX / 2, |p| i32::from(p.end));
            ((y - centre).abs(), m.target.kind)
        });
        picked.truncate(TIMELINE_MAX);
        picked.sort_by_key(|m| (m.target.period, m.target.kind));
        out.push_str(if zh {
            "\n其他报告：\n"
        } else {
            "\nOther reports:\n"
        });
        for m in &picked {
            out.push_str(&format!(
                "- {} {} {} — {}:{}\n",
                period_label(m.target.period, lang),
                kind_label(m.target.kind, lang),
                figure_label(&m.target, lang),
                file_name(&m.uri),
                m.range.start.line + 1
            ));
        }
        if others.len() > picked.len() {
            out.push_str(&if zh {
                format!("- ……共{}处\n", others.len())
            } else {
                format!("- … {} in all\n", others.len())
            });
        }
    }
}

/// The indicator's target statement for the figure's period: in this document first, else in
/// the workspace; a result leads to the target set for its year.
pub fn definition(
    snap: &Snapshot,
    analysis: &Analysis<'_>,
    offset: usize,
    index: &TargetsIndex,
) -> Option<Vec<Location>> {
    let targets = analysis.targets();
    let t = &targets[*at_offset(targets, offset).first()?];
    let commitment = |k: Kind| matches!(k, Kind::Target | Kind::Plan);
    let same_period = |p: Option<Period>| match (p, t.period) {
        (Some(a), Some(b)) => a.contains(&b) || b.contains(&a),
        _ => false,
    };
    let local: Vec<Location> = targets
        .iter()
        .filter(|o| o.indicator == t.indicator && commitment(o.kind) && same_period(o.period))
        .map(|o| {
            Location::new(
                snap.uri.clone(),
                convert::range(&snap.rope, &o.range, snap.encoding),
            )
        })
        .collect();
    if !local.is_empty() {
        return Some(local);
    }
    let remote: Vec<Location> = index
        .mentions(&t.indicator)
        .iter()
        .filter(|m| {
            &*m.uri != snap.uri.as_str()
                && commitment(m.target.kind)
                && same_period(m.target.period)
        })
        .filter_map(|m| Some(Location::new(Url::parse(&m.uri).ok()?, m.range)))
        .collect();
    (!remote.is_empty()).then_some(remote)
}

/// Every mention of the indicator at the cursor: this document (live) and the workspace.
pub fn references(
    snap: &Snapshot,
    analysis: &Analysis<'_>,
    offset: usize,
    index: &TargetsIndex,
) -> Option<Vec<Location>> {
    let targets = analysis.targets();
    let t = &targets[*at_offset(targets, offset).first()?];
    let mut out: Vec<Location> = targets
        .iter()
        .filter(|o| o.indicator == t.indicator)
        .map(|o| {
            Location::new(
                snap.uri.clone(),
                convert::range(&snap.rope, &o.range, snap.encoding),
            )
        })
        .collect();
    for m in index.mentions(&t.indicator) {
        if &*m.uri == snap.uri.as_str() {
            continue;
        }
        if let Ok(u) = Url::parse(&m.uri) {
            out.push(Location::new(u, m.range));
        }
    }
    Some(out)
}

/// Workspace symbols: targets and plan goals of every indicator whose name contains the query
/// (`失业率` finds 城镇调查失业率 and 城镇登记失业率; `GDP` finds 地区生产总值 through the synonyms).
pub fn workspace_symbols(
    index: &TargetsIndex,
    query: &str,
    lang: Language,
) -> Vec<SymbolInformation> {
    let q = query.trim();
    let found = symbols_matching(index, q, lang);
    if !found.is_empty() || q.is_empty() {
        return found;
    }
    let normalized = index.synonyms().normalize(q);
    if normalized != q {
        return symbols_matching(index, &normalized, lang);
    }
    found
}

fn symbols_matching(index: &TargetsIndex, q: &str, lang: Language) -> Vec<SymbolInformation> {
    let mut out = Vec::new();
    index.search(q, |name, ms| {
        for m in ms.iter().filter(|m| m.target.kind != Kind::Result) {
            let Ok(uri) = Url::parse(&m.uri) else {
                continue;
            };
            #[allow(deprecated)]
            out.push(SymbolInformation {
                name: format!("{name} {}", figure_label(&m.target, lang)),
                kind: SymbolKind::NUMBER,
                tags: None,
                deprecated: None,
                location: Location::new(uri, m.range),
                container_name: Some(format!(
                    "{} · {} · {}",
                    kind_label(m.target.kind, lang),
                    period_label(m.target.period, lang),
                    file_name(&m.uri)
                )),
            });
            if out.len() >= SYMBOLS_MAX {
                return false;
            }
        }
        true
    });
    out
}

/// Semantic token types, in legend order.
pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: vec![
            SemanticTokenType::KEYWORD,     // a target (commitment)
            SemanticTokenType::NUMBER,      // a result
            SemanticTokenType::ENUM_MEMBER, // a plan goal
            SemanticTokenType::PROPERTY,    // an indicator
        ],
        token_modifiers: vec![],
    }
}

/// Semantic tokens: figures by kind, indicators as properties. Tokens never span lines (a
/// figure broken by a line break is marked on its first line).
pub fn semantic_tokens(snap: &Snapshot, analysis: &Analysis<'_>) -> SemanticTokens {
    let mut spans: Vec<(usize, usize, u32)> = Vec::new();
    for t in analysis.targets() {
        let ty = match t.kind {
            Kind::Target => 0,
            Kind::Result => 1,
            Kind::Plan => 2,
        };
        if !t.indicator_range.is_empty() {
            spans.push((t.indicator_range.start, t.indicator_range.end, 3));
        }
        spans.push((t.range.start, t.range.end, ty));
    }
    spans.sort_unstable();
    spans.dedup();
    let mut data = Vec::with_capacity(spans.len());
    let (mut prev_line, mut prev_col) = (0u32, 0u32);
    let mut last_end = 0usize;
    for (start, end, ty) in spans {
        if start < last_end {
            continue; // overlapping (a list member's shared indicator)
        }
        let s = convert::position(&snap.rope, start, snap.encoding);
        let mut e = convert::position(&snap.rope, end, snap.encoding);
        if e.line != s.line {
            let line_end = snap
                .rope
                .try_line_to_byte(s.line as usize + 1)
                .unwrap_or(end)
                .min(end);
            e = convert::position(&snap.rope, line_end, snap.encoding);
            if e.line != s.line {
                e = Position::new(s.line, s.character);
            }
        }
        let length = e.character.saturating_sub(s.character);
        if length == 0 {
            continue;
        }
        let delta_line = s.line - prev_line;
        let delta_start = if delta_line == 0 {
            s.character - prev_col
        } else {
            s.character
        };
        data.push(SemanticToken {
            delta_line,
            delta_start,
            length,
            token_type: ty,
            token_modifiers_bitset: 0,
        });
        prev_line = s.line;
        prev_col = s.character;
        last_end = end;
    }
    SemanticTokens {
        result_id: None,
        data,
    }
}

/// Document highlights: every mention of the indicator at the cursor in this document; targets
/// and plan goals as writes (commitments), results as reads.
pub fn highlights(
    snap: &Snapshot,
    analysis: &Analysis<'_>,
    offset: usize,
) -> Option<Vec<DocumentHighlight>> {
    let targets = analysis.targets();
    let t = &targets[*at_offset(targets, offset).first()?];
    Some(
        targets
            .iter()
            .filter(|o| o.indicator == t.indicator)
            .map(|o| DocumentHighlight {
                range: convert::range(&snap.rope, &o.range, snap.encoding),
                kind: Some(if o.kind == Kind::Result {
                    DocumentHighlightKind::READ
                } else {
                    DocumentHighlightKind::WRITE
                }),
            })
            .collect(),
    )
}
