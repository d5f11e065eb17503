//! The edit → publishDiagnostics path: debounce with a generation counter, analysis on an
//! immutable snapshot off the async threads, one publisher task that drops stale results,
//! skips unchanged lists and publishes `[]` for closed documents.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tower_lsp::lsp_types::{Diagnostic, Url};

use super::output::OutputQueue;
use tower_lsp::Client;

use super::convert;
use super::documents::{DocumentStore, Snapshot};
use super::log::Logger;
use super::workspace::WorkspaceEngine;
use crate::analysis::duplicates::fingerprint_string;
use crate::analysis::rules::{self, registry};
use crate::analysis::Analysis;
use crate::config::Config;
use crate::position::LineIndex;

enum Job {
    Publish {
        uri: Url,
        generation: u64,
        version: i32,
        /// The diagnostics, serialised as a JSON array.
        json: Vec<u8>,
    },
    Clear {
        uri: Url,
    },
}

#[derive(Clone)]
pub struct DiagnosticsEngine {
    docs: Arc<DocumentStore>,
    config: Arc<RwLock<Config>>,
    log: Logger,
    jobs: mpsc::UnboundedSender<Job>,
    /// False until the client's settings have been pulled once (see `settings_ready`).
    ready: Arc<watch::Sender<bool>>,
    pub engine: Arc<WorkspaceEngine>,
    client: Client,
    /// The client pulls diagnostics (`textDocument/diagnostic`): nothing is pushed, and a
    /// cross-file change asks it to pull again.
    pull: Arc<AtomicBool>,
}

/// How long an analysis waits for the first settings pull before using what it has.
const SETTINGS_WAIT: Duration = Duration::from_secs(5);

impl DiagnosticsEngine {
    /// Must be called inside the tokio runtime: it spawns the publisher task.
    pub fn new(
        client: Client,
        docs: Arc<DocumentStore>,
        config: Arc<RwLock<Config>>,
        log: Logger,
        output: OutputQueue,
    ) -> Self {
        let (jobs, rx) = mpsc::unbounded_channel();
        tokio::spawn(publisher(output, docs.clone(), rx));
        DiagnosticsEngine {
            docs,
            config,
            engine: Arc::new(WorkspaceEngine::new(log.clone())),
            log,
            jobs,
            ready: Arc::new(watch::channel(false).0),
            client,
            pull: Arc::new(AtomicBool::new(false)),
        }
    }

    pub fn set_pull(&self, pull: bool) {
        self.pull.store(pull, Ordering::SeqCst);
    }

    pub fn is_pull(&self) -> bool {
        self.pull.load(Ordering::SeqCst)
    }

    /// Another file changed in a way that may change the findings of the open documents.
    pub fn workspace_changed(&self, except: Option<&Url>) {
        if self.is_pull() {
            let client = self.client.clone();
            tokio::spawn(async move {
                let _ = client.workspace_diagnostic_refresh().await;
            });
            return;
        }
        for uri in self.docs.uris() {
            if Some(&uri) != except {
                self.schedule(uri);
            }
        }
    }

    /// Lets analyses run: the initial settings are known. Until then a document opened right
    /// after `initialized` would be published under the defaults (a rule the user switched off,
    /// the wrong language) and corrected a moment later.
    pub fn settings_ready(&self) {
        self.ready.send_replace(true);
    }

    /// Re-analyses `uri` after the configured delay, unless a newer edit arrives first.
    pub fn schedule(&self, uri: Url) {
        let Some(generation) = self.docs.generation(&uri) else {
            return;
        };
        let this = self.clone();
        tokio::spawn(async move {
            let mut ready = this.ready.subscribe();
            let _ = tokio::time::timeout(SETTINGS_WAIT, ready.wait_for(|r| *r)).await;
            let delay = this.config().diagnostics_delay_ms;
            if delay > 0 {
                tokio::time::sleep(Duration::from_millis(delay)).await;
            }
            if this.docs.generation(&uri) != Some(generation) {
                return;
            }
            let Some(snapshot) = this.docs.snapshot(&uri) else {
                return;
            };
            let config = this.config();
            let log = this.log.clone();
            let engine = this.engine.clone();
            let version = snapshot.version;
            // Serialised off the async threads too: hundreds of diagnostics make a large JSON.
            // The result is queued from the blocking thread before the diagnostics are dropped
            // (freeing thousands of strings takes a while).
            let jobs = (!this.is_pull()).then(|| this.jobs.clone());
            let target = uri.clone();
            let computed = tokio::task::spawn_blocking(move || {
                let (diagnostics, index_changed) = compute(&snapshot, &config, &log, &engine);
                let mut json = Vec::with_capacity(diagnostics.len() * 1024);
                serde_json::to_writer(&mut json, &diagnostics)?;
                if let Some(jobs) = jobs {
                    let _ = jobs.send(Job::Publish {
                        uri: target,
                        generation,
                        version,
                        json,
                    });
                }
                drop(diagnostics);
                Ok::<bool, serde_json::Error>(index_changed)
            })
            .await;
            match computed {
                Ok(Err(e)) => this.log.error(format!("diagnostics of {uri}: {e}")),
                Ok(Ok(index_changed)) => {
                    if index_changed {
                        this.workspace_changed(Some(&uri));
                    }
                }
                Err(e) => this.log.error(format!("analysis of {uri} failed: {e}")),
            }
        });
    }

    pub fn schedule_all(&self) {
        for uri in self.docs.touch_all() {
            self.schedule(uri);
        }
    }

    /// Publishes `[]` for a closed document.
    pub fn clear(&self, uri: Url) {
        let _ = self.jobs.send(Job::Clear { uri });
    }

    fn config(&self) -> Config {
        self.config
            .read()
            .map(|c| c.clone())
            .unwrap_or_else(|e| e.into_inner().clone())
    }
}

/// Analyses one snapshot: the document's rules, and its duplicate passages against the
/// workspace index (which the snapshot's text updates first), on two threads since they are
/// independent. A panicking rule or detection is logged and skipped. Returns the diagnostics
/// and whether the index changed.
pub fn compute(
    snapshot: &Snapshot,
    config: &Config,
    log: &Logger,
    engine: &WorkspaceEngine,
) -> (Vec<Diagnostic>, bool) {
    // The workspace cap applies to open documents too: analysing a 50 MB paste cost gigabytes.
    let size = snapshot.rope.len_bytes() as u64;
    let max = config.workspace.max_file_size;
    if size > max {
        log.warn(format!(
            "{}: not checked: {size} bytes is more than workspace.maxFileSize ({max})",
            snapshot.uri
        ));
        let message = crate::analysis::finding::Text::new(
            format!("文档过大（{size} 字节，超过 workspace.maxFileSize {max}），未检查"),
            format!("Document too large to check ({size} bytes, workspace.maxFileSize is {max})"),
        );
        let diagnostic = tower_lsp::lsp_types::Diagnostic {
            severity: Some(tower_lsp::lsp_types::DiagnosticSeverity::INFORMATION),
            source: Some(convert::SOURCE.to_string()),
            message: message.get(config.language).to_string(),
            ..Default::default()
        };
        return (vec![diagnostic], false);
    }
    // One copy of the text, shared by both threads.
    let text: Arc<str> = Arc::from(snapshot.text());
    std::thread::scope(|scope| {
        let dup_job = std::thread::Builder::new()
            .name("duplicates".into())
            .spawn_scoped(scope, || {
                duplicate_diagnostics(snapshot, config, log, engine, text.clone())
            });
        let mut diagnostics = rule_diagnostics(snapshot, &text, config, log, engine);
        let (dups, index_changed) = match dup_job {
            Ok(job) => job.join().unwrap_or_else(|_| {
                log.error(format!("duplicate detection panicked on {}", snapshot.uri));
                (Vec::new(), false)
            }),
            // No thread to be had: the same work here.
            Err(_) => duplicate_diagnostics(snapshot, config, log, engine, text.clone()),
        };
        diagnostics.extend(dups);
        (diagnostics, index_changed)
    })
}

/// The document's own rules, and its results compared with other reports of the workspace.
fn rule_diagnostics(
    snapshot: &Snapshot,
    text: &str,
    config: &Config,
    log: &Logger,
    engine: &WorkspaceEngine,
) -> Vec<Diagnostic> {
    let synonyms = engine.synonyms(&config.target_synonyms);
    let analysis = Analysis::with_synonyms(text, synonyms).with_scan_memo(engine.scan_memo.clone());
    let output = rules::run(&analysis, &config.rules, registry());
    for failure in output.failures {
        log.error(format!(
            "rule {} panicked on {}: {}",
            failure.code, snapshot.uri, failure.message
        ));
    }
    let mut diagnostics: Vec<Diagnostic> = output
        .findings
        .iter()
        .map(|f| {
            convert::diagnostic(
                f,
                &snapshot.uri,
                &snapshot.rope,
                snapshot.encoding,
                config.language,
            )
        })
        .collect();
    diagnostics.extend(super::cross_report::diagnostics(
        &analysis, snapshot, config, log, engine,
    ));
    diagnostics
}

fn duplicate_diagnostics(
    snapshot: &Snapshot,
    config: &Config,
    log: &Logger,
    engine: &WorkspaceEngine,
    text: Arc<str>,
) -> (Vec<Diagnostic>, bool) {
    let (uri, enc, lang) = (&snapshot.uri, snapshot.encoding, config.language);
    let dups = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        engine.findings(uri, text.clone(), &config.duplicates, &config.rules)
    }));
    let found = match dups {
        Ok(found) => found,
        Err(_) => {
            log.error(format!("duplicate detection panicked on {uri}"));
            return (Vec::new(), false);
        }
    };
    let mut locator = engine.locator();
    let lines = LineIndex::new(&text);
    let doc = convert::DocLines::Index(&text, &lines);
    let diagnostics = found
        .findings
        .iter()
        .map(|d| {
            let mut diag =
                convert::diagnostic_resolving(&d.finding, uri, &doc, enc, lang, &mut |key, r| {
                    locator.location(key, r, enc)
                });
            diag.data = Some(serde_json::json!({
                "fingerprint": fingerprint_string(d.fingerprint)
            }));
            diag
        })
        .collect();
    (diagnostics, found.index_changed)
}

async fn publisher(
    output: OutputQueue,
    docs: Arc<DocumentStore>,
    mut rx: mpsc::UnboundedReceiver<Job>,
) {
    // What was last published per document, as a hash of its JSON: an unchanged list is not
    // sent again.
    let mut last: HashMap<Url, u64> = HashMap::new();
    while let Some(job) = rx.recv().await {
        match job {
            Job::Publish {
                uri,
                generation,
                version,
                json,
            } => {
                // A newer edit or a close happened since the snapshot: its own run publishes.
                if docs.generation(&uri) != Some(generation) {
                    continue;
                }
                let hash = crate::analysis::duplicates::bytes_hash(&json);
                if last.get(&uri) == Some(&hash) {
                    continue;
                }
                last.insert(uri.clone(), hash);
                let head = publish_head(&uri, Some(version));
                output.notify_latest(uri.as_str(), PUBLISH, &[&head, &json, b"}"]);
            }
            Job::Clear { uri } => {
                last.remove(&uri);
                output.notify_latest(uri.as_str(), PUBLISH, &[&publish_head(&uri, None), b"[]}"]);
            }
        }
    }
}

const PUBLISH: &str = "textDocument/publishDiagnostics";

/// The start of a `PublishDiagnosticsParams`, up to its `diagnostics` array; the array and a
/// closing brace follow (the array is not copied into a params object).
fn publish_head(uri: &Url, version: Option<i32>) -> Vec<u8> {
    let uri = serde_json::to_string(uri.as_str()).unwrap_or_else(|_| "\"\"".to_string());
    let mut head = Vec::with_capacity(uri.len() + 48);
    head.extend_from_slice(b"{\"uri\":");
    head.extend_from_slice(uri.as_bytes());
    if let Some(v) = version {
        head.extend_from_slice(format!(",\"version\":{v}").as_bytes());
    }
    head.extend_from_slice(b",\"diagnostics\":");
    head
}
