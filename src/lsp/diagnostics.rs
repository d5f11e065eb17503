//! The edit → publishDiagnostics path: debounce with a generation counter, analysis on an
//! immutable snapshot off the async threads, one publisher task that drops stale results,
//! skips unchanged lists and publishes `[]` for closed documents.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tower_lsp::lsp_types::{Diagnostic, Url};
use tower_lsp::Client;

use super::convert;
use super::documents::{DocumentStore, Snapshot};
use super::log::Logger;
use super::workspace::{Locator, WorkspaceEngine};
use crate::analysis::duplicates::fingerprint_string;
use crate::analysis::rules::{self, registry};
use crate::analysis::Analysis;
use crate::config::Config;

enum Job {
    Publish {
        uri: Url,
        generation: u64,
        version: i32,
        diagnostics: Vec<Diagnostic>,
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
    ) -> Self {
        let (jobs, rx) = mpsc::unbounded_channel();
        tokio::spawn(publisher(client.clone(), docs.clone(), rx));
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
            let computed =
                tokio::task::spawn_blocking(move || compute(&snapshot, &config, &log, &engine))
                    .await;
            match computed {
                Ok((diagnostics, index_changed)) => {
                    if index_changed {
                        this.workspace_changed(Some(&uri));
                    }
                    if this.is_pull() {
                        return;
                    }
                    let _ = this.jobs.send(Job::Publish {
                        uri,
                        generation,
                        version,
                        diagnostics,
                    });
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

/// Analyses one snapshot: the document's rules, then its duplicate passages against the
/// workspace index (which the snapshot's text updates first). A panicking rule is logged and
/// skipped. Returns the diagnostics and whether the index changed.
pub fn compute(
    snapshot: &Snapshot,
    config: &Config,
    log: &Logger,
    engine: &WorkspaceEngine,
) -> (Vec<Diagnostic>, bool) {
    let text = snapshot.text();
    let analysis = Analysis::new(&text);
    let output = rules::run(&analysis, &config.rules, registry());
    for failure in output.failures {
        log.error(format!(
            "rule {} panicked on {}: {}",
            failure.code, snapshot.uri, failure.message
        ));
    }
    let (uri, rope, enc, lang) = (
        &snapshot.uri,
        &snapshot.rope,
        snapshot.encoding,
        config.language,
    );
    let mut diagnostics: Vec<Diagnostic> = output
        .findings
        .iter()
        .map(|f| convert::diagnostic(f, uri, rope, enc, lang))
        .collect();
    diagnostics.extend(super::cross_report::diagnostics(
        &analysis, snapshot, config, log, engine,
    ));
    let shared: Arc<str> = Arc::from(text.as_str());
    let dups = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        engine.findings(uri, shared, &config.duplicates, &config.rules)
    }));
    let mut index_changed = false;
    match dups {
        Ok(found) => {
            index_changed = found.index_changed;
            let mut locator = Locator::new(engine);
            for d in &found.findings {
                let mut diag = convert::diagnostic_resolving(
                    &d.finding,
                    uri,
                    rope,
                    enc,
                    lang,
                    &mut |key, r| {
                        let (u, text, lines) = locator.get(key)?;
                        Some(convert::location_in(u, text, lines, r, enc))
                    },
                );
                diag.data = Some(serde_json::json!({
                    "fingerprint": fingerprint_string(d.fingerprint)
                }));
                diagnostics.push(diag);
            }
        }
        Err(_) => log.error(format!("duplicate detection panicked on {uri}")),
    }
    (diagnostics, index_changed)
}

async fn publisher(client: Client, docs: Arc<DocumentStore>, mut rx: mpsc::UnboundedReceiver<Job>) {
    let mut last: HashMap<Url, Vec<Diagnostic>> = HashMap::new();
    while let Some(job) = rx.recv().await {
        match job {
            Job::Publish {
                uri,
                generation,
                version,
                diagnostics,
            } => {
                // A newer edit or a close happened since the snapshot: its own run publishes.
                if docs.generation(&uri) != Some(generation) {
                    continue;
                }
                if last.get(&uri) == Some(&diagnostics) {
                    continue;
                }
                last.insert(uri.clone(), diagnostics.clone());
                client
                    .publish_diagnostics(uri, diagnostics, Some(version))
                    .await;
            }
            Job::Clear { uri } => {
                last.remove(&uri);
                client.publish_diagnostics(uri, Vec::new(), None).await;
            }
        }
    }
}
