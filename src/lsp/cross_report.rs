//! `conflicting-figure-across-reports` in the server: the results of the other reports of the
//! workspace (open documents shadowing their files), cached per file content so that an edit
//! costs a cache lookup per file. Every file's government is read once per content (from its
//! front matter, cheap); results are extracted only from files of the open document's
//! government.

use std::path::Path;
use std::sync::Arc;

use tower_lsp::lsp_types::Diagnostic;

use super::convert;
use super::documents::Snapshot;
use super::log::Logger;
use super::workspace::{Locator, WorkspaceEngine};
use crate::analysis::finding::Finding;
use crate::analysis::rules::conflicting_figure_across::{
    findings, report_results, OtherReport, ReportResults, META,
};
use crate::analysis::rules::RuleSettings;
use crate::analysis::targets::{report_region, Region};
use crate::analysis::Analysis;
use crate::config::Config;
use crate::workspace::{DerivedCache, Workspace};

pub struct CrossReports {
    regions: Arc<DerivedCache<Option<Region>>>,
    results: Arc<DerivedCache<ReportResults>>,
}

impl CrossReports {
    pub fn new(ws: &Workspace) -> CrossReports {
        CrossReports {
            regions: DerivedCache::following(ws),
            results: DerivedCache::following(ws),
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
    ) -> Vec<Finding> {
        let Some(region) = &this.region else {
            return Vec::new();
        };
        if rules.severity(&META).is_none() {
            return Vec::new();
        }
        let files = ws.files();
        let mut others: Vec<(String, String, Arc<ReportResults>)> = Vec::new();
        for f in files.iter().filter(|f| *f.path != *Path::new(key)) {
            let r = self.regions.get_or_compute(f, |f| report_region(&f.text));
            if !r.as_ref().as_ref().is_some_and(|r| r.same_as(region)) {
                continue;
            }
            let results = self
                .results
                .get_or_compute(f, |f| report_results(&Analysis::new(&f.text)));
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
            self.results.retain(|p| live.contains(p));
        }
        let others: Vec<OtherReport<'_>> = others
            .iter()
            .map(|(file, display, results)| OtherReport {
                file,
                display,
                results,
            })
            .collect();
        findings(this, &others, rules)
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
            .findings(&engine.ws, &key, &this, &config.rules)
    }));
    let Ok(found) = found else {
        log.error(format!("{} panicked on {uri}", META.code));
        return Vec::new();
    };
    let mut locator = Locator::new(engine);
    found
        .iter()
        .map(|f| {
            convert::diagnostic_resolving(
                f,
                uri,
                &convert::DocLines::Rope(&snapshot.rope),
                snapshot.encoding,
                config.language,
                &mut |key, r| {
                    let (u, text, lines) = locator.get(key)?;
                    Some(convert::location_in(u, text, lines, r, snapshot.encoding))
                },
            )
        })
        .collect()
}
