//! The server side of the workspace index and the duplicate index: the background scan with
//! `$/progress`, watcher notifications, open documents shadowing their files, and the
//! conversion of cross-file findings (whose related locations need the other file's text).
//!
//! Index keys are file paths (so that the client's URI spelling of an open document and ours
//! for the file on disk can never make one file two), or the URI of a document without a path.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use tower_lsp::lsp_types::{
    notification::Progress, request::WorkDoneProgressCreate, NumberOrString, ProgressParams,
    ProgressParamsValue, Url, WorkDoneProgress, WorkDoneProgressBegin,
    WorkDoneProgressCreateParams, WorkDoneProgressEnd, WorkDoneProgressReport,
};
use tower_lsp::Client;

use super::log::Logger;
use crate::analysis::duplicates::{
    document_findings_cached, DupFinding, DupSettings, Index, MatchCache,
};
use crate::analysis::rules::RuleSettings;
use crate::analysis::targets::Synonyms;

/// `targets.synonyms`: canonical indicator name → other names.
pub type SynonymSettings = std::collections::BTreeMap<String, Vec<String>>;
use crate::workspace::{uri_path, ProblemKind, Workspace, WorkspaceSettings};

/// Threads used for reading and fingerprinting (the machine this targets has two cores).
const THREADS: usize = 2;

pub struct WorkspaceEngine {
    pub ws: Arc<Workspace>,
    index: RwLock<Index>,
    /// Problems already logged (each is logged once).
    logged: Mutex<HashSet<(PathBuf, ProblemKind)>>,
    /// Per open document: its paragraphs' matches, kept across edits.
    caches: Mutex<HashMap<String, MatchCache>>,
    /// The indicator synonyms of the settings (`targets.synonyms`) the last analysis used.
    synonyms: Mutex<Option<(SynonymSettings, Arc<Synonyms>)>>,
    /// Figures of the paragraphs of open documents, scanned once across edits.
    pub scan_memo: Arc<crate::analysis::targets::ScanMemo>,
    /// The files named in related information, converted once.
    pub locations: Arc<super::locations::Locations>,
    log: Logger,
    /// Regions and results of the files, for `conflicting-figure-across-reports`.
    pub cross: super::cross_report::CrossReports,
}

/// What the analysis of an open document needs from the index.
pub struct DocFindings {
    pub findings: Vec<DupFinding>,
    /// The document's paragraphs changed the index: other open documents may see new findings.
    pub index_changed: bool,
}

impl WorkspaceEngine {
    pub fn new(log: Logger) -> WorkspaceEngine {
        let ws = Arc::new(Workspace::new());
        WorkspaceEngine {
            index: RwLock::new(Index::new(DupSettings::default().boilerplate_ratio())),
            logged: Mutex::new(HashSet::new()),
            caches: Mutex::new(HashMap::new()),
            locations: super::locations::Locations::following(&ws),
            scan_memo: Arc::default(),
            synonyms: Mutex::new(None),
            log,
            cross: super::cross_report::CrossReports::new(&ws),
            ws,
        }
    }

    /// The index key of a document.
    pub fn key(uri: &Url) -> String {
        match uri_path(uri.as_str()) {
            Some(p) => p.to_string_lossy().into_owned(),
            None => uri.to_string(),
        }
    }

    fn log_problem(&self, p: &crate::workspace::Problem) {
        // Non-reports are counted once per scan, not named one by one.
        if p.kind == crate::workspace::ProblemKind::NotAReport {
            return;
        }
        let fresh = self
            .logged
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert((p.path.clone(), p.kind));
        if fresh {
            self.log.warn(format!("workspace index: {p}"));
        }
    }

    /// Scans the workspace folders and rebuilds the index (blocking: call it off the async
    /// threads). `progress(done, total)` reports the reading.
    pub fn scan(
        &self,
        roots: Vec<PathBuf>,
        settings: WorkspaceSettings,
        boilerplate_ratio: f64,
        progress: &mut dyn FnMut(usize, usize),
    ) -> (usize, u64) {
        for w in self.ws.configure(roots, settings) {
            self.log.warn(format!("settings: {w}"));
        }
        let summary = self.ws.scan(THREADS, progress);
        for p in &summary.problems {
            self.log_problem(p);
        }
        let not_reports = summary
            .problems
            .iter()
            .filter(|p| p.kind == crate::workspace::ProblemKind::NotAReport)
            .count();
        if not_reports > 0 {
            self.log.info(format!(
                "workspace index: {not_reports} file(s) left out: little or no Chinese text, not \
                 reports (narrow the index with workspace.include in report-lsp.toml)"
            ));
        }
        let docs: Vec<(Arc<str>, Arc<str>)> = self
            .ws
            .files()
            .into_iter()
            .map(|f| (Arc::from(f.path.to_string_lossy().as_ref()), f.text))
            .collect();
        let index = Index::bulk(docs, boilerplate_ratio, THREADS);
        *self.index.write().unwrap_or_else(|e| e.into_inner()) = index;
        crate::workspace::release_freed_memory();
        // Documents opened or edited while the index was being built.
        for f in self.ws.files().into_iter().filter(|f| f.open) {
            self.write_index()
                .update(&f.path.to_string_lossy(), f.text.clone());
        }
        (summary.files, summary.bytes)
    }

    /// A watched file was created, changed or deleted. Returns whether the index changed.
    pub fn refresh(&self, path: &Path) -> bool {
        let (change, problem) = self.ws.refresh(path);
        if let Some(p) = problem {
            self.log_problem(&p);
        }
        if change.is_none() {
            return false;
        }
        let key = path.to_string_lossy();
        match self.ws.get(path) {
            Some(f) => self.write_index().update(&key, f.text),
            None => self.write_index().remove(&key),
        }
    }

    /// The current text of an open document: it shadows its file in both indexes.
    pub fn update_open(&self, uri: &Url, text: Arc<str>) -> bool {
        let key = Self::key(uri);
        self.ws.open(Path::new(&key), uri.as_str(), text.clone());
        self.write_index().update(&key, text)
    }

    /// The document was closed: its file on disk (if indexed) takes over again.
    pub fn close(&self, uri: &Url) -> bool {
        let key = Self::key(uri);
        self.caches
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&key);
        self.ws.close(Path::new(&key));
        let included = self.ws.is_included(Path::new(&key));
        match self.ws.get(Path::new(&key)) {
            Some(f) if included => self.write_index().update(&key, f.text),
            _ => self.write_index().remove(&key),
        }
    }

    pub fn set_boilerplate_ratio(&self, ratio: f64) {
        self.write_index().set_boilerplate_ratio(ratio);
    }

    /// Updates the index with the document's text and returns its duplicate findings.
    pub fn findings(
        &self,
        uri: &Url,
        text: Arc<str>,
        settings: &DupSettings,
        rules: &RuleSettings,
    ) -> DocFindings {
        let index_changed = self.update_open(uri, text);
        let key = Self::key(uri);
        let index = self.index.read().unwrap_or_else(|e| e.into_inner());
        let mut caches = self.caches.lock().unwrap_or_else(|e| e.into_inner());
        let cache = caches.entry(key.clone()).or_default();
        DocFindings {
            findings: document_findings_cached(&index, &key, settings, rules, cache),
            index_changed,
        }
    }

    /// The synonym table for the `targets.synonyms` setting `user` (built-in names plus these),
    /// built once per distinct setting.
    pub fn synonyms(&self, user: &SynonymSettings) -> Arc<Synonyms> {
        let mut cached = self.synonyms.lock().unwrap_or_else(|e| e.into_inner());
        match cached.as_ref() {
            Some((u, table)) if u == user => table.clone(),
            _ => {
                let table = Arc::new(Synonyms::with_user(
                    user.iter().map(|(k, v)| (k.as_str(), v.as_slice())),
                ));
                *cached = Some((user.clone(), table.clone()));
                table
            }
        }
    }

    /// A locator of related locations for one analysis.
    pub fn locator(&self) -> super::locations::Locator<'_> {
        super::locations::Locator::new(&self.ws, &self.locations)
    }

    /// (files, postings, live paragraphs) for logs.
    pub fn stats(&self) -> (usize, usize, usize) {
        let index = self.index.read().unwrap_or_else(|e| e.into_inner());
        let (postings, live, _) = index.stats();
        (index.file_count(), postings, live)
    }

    fn write_index(&self) -> std::sync::RwLockWriteGuard<'_, Index> {
        self.index.write().unwrap_or_else(|e| e.into_inner())
    }
}

/// `$/progress` for the initial scan, when the client supports work-done progress.
pub struct ProgressReporter {
    client: Client,
    token: Option<NumberOrString>,
}

impl ProgressReporter {
    pub async fn begin(client: Client, supported: bool, title: &str) -> ProgressReporter {
        let mut token = None;
        if supported {
            let t = NumberOrString::String("report-lsp/index".to_string());
            let created = client
                .send_request::<WorkDoneProgressCreate>(WorkDoneProgressCreateParams {
                    token: t.clone(),
                })
                .await;
            if created.is_ok() {
                token = Some(t);
            }
        }
        let r = ProgressReporter { client, token };
        r.send(WorkDoneProgress::Begin(WorkDoneProgressBegin {
            title: title.to_string(),
            cancellable: Some(false),
            message: None,
            percentage: Some(0),
        }))
        .await;
        r
    }

    pub async fn report(&self, done: usize, total: usize) {
        let pct = (done * 100).checked_div(total).unwrap_or(100) as u32;
        self.send(WorkDoneProgress::Report(WorkDoneProgressReport {
            cancellable: Some(false),
            message: Some(format!("{done}/{total}")),
            percentage: Some(pct.min(100)),
        }))
        .await;
    }

    pub async fn end(&self, message: String) {
        self.send(WorkDoneProgress::End(WorkDoneProgressEnd {
            message: Some(message),
        }))
        .await;
    }

    async fn send(&self, value: WorkDoneProgress) {
        if let Some(token) = &self.token {
            self.client
                .send_notification::<Progress>(ProgressParams {
                    token: token.clone(),
                    value: ProgressParamsValue::WorkDone(value),
                })
                .await;
        }
    }
}
