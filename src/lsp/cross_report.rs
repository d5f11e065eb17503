//! `conflicting-figure-across-reports` in the server: the results of the other reports of the
//! workspace (open documents shadowing their files), cached per file content so that an edit
//! costs a cache lookup per file. Every file's government is read once per content (from its
//! front matter, cheap); results are extracted only from files of the open document's
//! government.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tower_lsp::lsp_types::Diagnostic;

use super::convert;
use super::documents::Snapshot;
use super::log::Logger;
use super::workspace::WorkspaceEngine;
use crate::analysis::finding::Finding;
use crate::analysis::rules::conflicting_figure_across::{
    findings, report_results, OtherReport, ReportResults, META,
};
use crate::analysis::rules::RuleSettings;
use crate::analysis::targets::{report_region, Region, Synonyms};
use crate::analysis::Analysis;
use crate::config::Config;
use crate::workspace::{DerivedCache, Workspace};

pub struct CrossReports {
    regions: Arc<DerivedCache<Option<Region>>>,
    /// Results per file, extracted with one synonym table: a new table starts a new cache.
    results: Mutex<ResultsCache>,
    /// Per open document: the other reports of its government, kept while no other file
    /// changes (its own edits do not matter), so that an edit does not walk every file.
    memo: Arc<Mutex<HashMap<PathBuf, Others>>>,
    builds: std::sync::atomic::AtomicU64,
}

/// The synonym table results were extracted with, and the results per file.
type ResultsCache = (Option<Arc<Synonyms>>, Arc<DerivedCache<ReportResults>>);

/// The other reports of one document's government: (index key, display name, results).
struct Others {
    region: Region,
    synonyms: Arc<Synonyms>,
    /// While the list is read, the number of the build that placed this placeholder: a change
    /// of another file removes it, and then that build's list is not kept.
    building: Option<u64>,
    reports: Arc<Vec<(String, String, Arc<ReportResults>)>>,
}

impl CrossReports {
    pub fn new(ws: &Workspace) -> CrossReports {
        let memo: Arc<Mutex<HashMap<PathBuf, Others>>> = Arc::default();
        let weak = Arc::downgrade(&memo);
        ws.subscribe(move |changes| {
            let Some(memo) = weak.upgrade() else {
                return;
            };
            let mut memo = memo.lock().unwrap_or_else(|e| e.into_inner());
            // A change of a file drops every list but that file's own (a document's own edits
            // change no other report); a list being built notices its placeholder is gone.
            for c in changes {
                memo.retain(|key, _| *key == *c.path);
            }
        });
        CrossReports {
            regions: DerivedCache::following(ws),
            results: Mutex::new((None, DerivedCache::following(ws))),
            memo,
            builds: Default::default(),
        }
    }

    /// The findings of the document `key` (its index key, a path) against every other file of
    /// the workspace. Related locations name the other files by their index key.
    pub fn findings(
        &self,
        ws: &Workspace,
        key: &str,
        this: &ReportResults,
        rules: &RuleSettings,
        synonyms: &Arc<Synonyms>,
    ) -> Vec<Finding> {
        let Some(region) = &this.region else {
            return Vec::new();
        };
        if rules.severity(&META).is_none() {
            return Vec::new();
        }
        let reports = self.others(ws, key, region, synonyms);
        let others: Vec<OtherReport<'_>> = reports
            .iter()
            .map(|(file, display, results)| OtherReport {
                file,
                display,
                results,
            })
            .collect();
        findings(this, &others, rules)
    }

    /// The results cache for `synonyms` (the table of the open document's analysis).
    fn results(
        &self,
        ws: &Workspace,
        synonyms: &Arc<Synonyms>,
    ) -> Arc<DerivedCache<ReportResults>> {
        let mut results = self.results.lock().unwrap_or_else(|e| e.into_inner());
        if !results.0.as_ref().is_some_and(|s| Arc::ptr_eq(s, synonyms)) {
            *results = (Some(synonyms.clone()), DerivedCache::following(ws));
        }
        results.1.clone()
    }

    /// The other reports of the government `region`, from the memo when no other file changed.
    fn others(
        &self,
        ws: &Workspace,
        key: &str,
        region: &Region,
        synonyms: &Arc<Synonyms>,
    ) -> Arc<Vec<(String, String, Arc<ReportResults>)>> {
        let path = Path::new(key);
        let build = self
            .builds
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        {
            let mut memo = self.memo.lock().unwrap_or_else(|e| e.into_inner());
            match memo.get(path) {
                Some(m)
                    if m.region == *region
                        && m.building.is_none()
                        && Arc::ptr_eq(&m.synonyms, synonyms) =>
                {
                    return m.reports.clone()
                }
                _ => {}
            }
            // A placeholder that a change arriving while the list is built invalidates.
            memo.insert(
                path.to_path_buf(),
                Others {
                    region: region.clone(),
                    synonyms: synonyms.clone(),
                    building: Some(build),
                    reports: Arc::default(),
                },
            );
        }
        let results_cache = self.results(ws, synonyms);
        let files = ws.files();
        let mut others: Vec<(String, String, Arc<ReportResults>)> = Vec::new();
        for f in files.iter().filter(|f| *f.path != *path) {
            let r = self.regions.get_or_compute(f, |f| report_region(&f.text));
            if !r.as_ref().as_ref().is_some_and(|r| r.same_as(region)) {
                continue;
            }
            let results = results_cache.get_or_compute(f, |f| {
                report_results(&Analysis::with_synonyms(&f.text, synonyms.clone()))
            });
            let display = f
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            others.push((f.path.to_string_lossy().into_owned(), display, results));
        }
        // Entries of removed files.
        if self.regions.len() > files.len() {
            let live: std::collections::HashSet<&Path> = files.iter().map(|f| &*f.path).collect();
            self.regions.retain(|p| live.contains(p));
            results_cache.retain(|p| live.contains(p));
        }
        let others = Arc::new(others);
        let mut memo = self.memo.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(m) = memo.get_mut(path).filter(|m| m.building == Some(build)) {
            m.reports = others.clone();
            m.building = None;
        }
        others
    }
}

/// The diagnostics of `conflicting-figure-across-reports` for an analysed snapshot. A panic is
/// logged and yields nothing.
pub fn diagnostics(
    analysis: &Analysis<'_>,
    snapshot: &Snapshot,
    config: &Config,
    log: &Logger,
    engine: &WorkspaceEngine,
) -> Vec<Diagnostic> {
    let uri = &snapshot.uri;
    let found = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if config.rules.severity(&META).is_none() {
            return Vec::new();
        }
        let this = report_results(analysis);
        let key = WorkspaceEngine::key(uri);
        engine
            .cross
            .findings(&engine.ws, &key, &this, &config.rules, analysis.synonyms())
    }));
    let Ok(found) = found else {
        log.error(format!("{} panicked on {uri}", META.code));
        return Vec::new();
    };
    let mut locator = engine.locator();
    found
        .iter()
        .map(|f| {
            convert::diagnostic_resolving(
                f,
                uri,
                &convert::DocLines::Rope(&snapshot.rope),
                snapshot.encoding,
                config.language,
                &mut |key, r| locator.location(key, r, snapshot.encoding),
            )
        })
        .collect()
}
