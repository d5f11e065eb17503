//! The LanguageServer implementation: each handler converts in, calls the core, converts out.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use serde_json::Value;
use tower_lsp::jsonrpc::{Error, Result};
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer};

use super::analysis_cache::AnalysisCache;
use super::convert;
use super::diagnostics::{self, DiagnosticsEngine};
use super::documents::{DocumentStore, Snapshot};
use super::features;
use super::log::Logger;
use super::output::OutputQueue;
use super::targets::{self as target_features, TargetsIndex};
use super::workspace::{ProgressReporter, WorkspaceEngine};
use crate::config::{self, Config, ConfigPatch, CONFIG_FILE_NAME, SETTINGS_SECTION};
use crate::position::Encoding;
use crate::workspace::uri_path;

#[derive(Debug, Clone, Default)]
struct ClientCaps {
    configuration_pull: bool,
    watched_files_dynamic: bool,
    document_changes: bool,
    hierarchical_symbols: bool,
    work_done_progress: bool,
    pull_diagnostics: bool,
    /// `workspace.applyEdit`: the client applies edits the server asks for.
    apply_edit: bool,
    /// The client can create a file through a `WorkspaceEdit` (`resourceOperations: create`).
    create_files: bool,
}

/// The custom request answering an open document's text (see `Backend::document_text`).
pub const DOCUMENT_TEXT: &str = "report-lsp/documentText";

#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentTextParams {
    pub text_document: TextDocumentIdentifier,
}

/// The command behind "mark as intended": asks the client to add a passage fingerprint to
/// `duplicates.ignore` in `report-lsp.toml` (`workspace/applyEdit`; the server writes no file).
pub const IGNORE_DUPLICATE_COMMAND: &str = "report-lsp.ignoreDuplicate";

/// Settings layers, kept apart so that each source can be refreshed on its own.
#[derive(Debug, Clone, Default)]
struct Layers {
    file: ConfigPatch,
    init: ConfigPatch,
    client: ConfigPatch,
}

pub struct Backend {
    client: Client,
    docs: Arc<DocumentStore>,
    config: Arc<RwLock<Config>>,
    layers: Mutex<Layers>,
    roots: Mutex<Vec<PathBuf>>,
    caps: Mutex<ClientCaps>,
    diagnostics: DiagnosticsEngine,
    log: Logger,
    /// Targets derived from the workspace index (which the diagnostics engine owns).
    targets: Arc<TargetsIndex>,
    /// The analysis of each open document's current snapshot, shared by the requests.
    analyses: Arc<AnalysisCache>,
    /// The client handles `workspace/diagnostic/refresh` (read from the raw `initialize`).
    refresh_support: Arc<AtomicBool>,
}

impl Backend {
    pub fn new(
        client: Client,
        docs: Arc<DocumentStore>,
        log: Logger,
        output: OutputQueue,
        refresh_support: Arc<AtomicBool>,
    ) -> Backend {
        let config = Arc::new(RwLock::new(Config::default()));
        let diagnostics = DiagnosticsEngine::new(
            client.clone(),
            docs.clone(),
            config.clone(),
            log.clone(),
            output,
        );
        let workspace = diagnostics.engine.ws.clone();
        let analyses = Arc::new(AnalysisCache::new(diagnostics.engine.scan_memo.clone()));
        Backend {
            client,
            docs,
            config,
            layers: Mutex::new(Layers::default()),
            roots: Mutex::new(Vec::new()),
            caps: Mutex::new(ClientCaps::default()),
            diagnostics,
            log,
            targets: Arc::new(TargetsIndex::new(workspace)),
            analyses,
            refresh_support,
        }
    }

    /// Keeps the targets index in step with the settings and the negotiated encoding.
    fn configure_targets(&self) {
        self.targets
            .configure(self.config().synonyms(), self.docs.encoding());
    }

    /// Mirrors an open document into the workspace index (it shadows its file on disk).
    fn sync_open(&self, uri: &Url) {
        let (Some(path), Some(snap)) = (uri_path(uri.as_str()), self.docs.snapshot(uri)) else {
            return;
        };
        self.engine()
            .ws
            .open(&path, uri.as_str(), Arc::from(snap.text()));
    }

    fn config(&self) -> Config {
        self.config
            .read()
            .map(|c| c.clone())
            .unwrap_or_else(|e| e.into_inner().clone())
    }

    fn caps(&self) -> ClientCaps {
        self.caps.lock().map(|c| c.clone()).unwrap_or_default()
    }

    fn update_layers(&self, f: impl FnOnce(&mut Layers)) {
        let layers = {
            let mut guard = self.layers.lock().unwrap_or_else(|e| e.into_inner());
            f(&mut guard);
            guard.clone()
        };
        let config = Config::layered([&layers.file, &layers.init, &layers.client]);
        *self.config.write().unwrap_or_else(|e| e.into_inner()) = config;
    }

    async fn warn_settings(&self, source: &str, warnings: Vec<String>) {
        if warnings.is_empty() {
            return;
        }
        let text = format!("report-lsp: {source}: {}", warnings.join("; "));
        self.log.warn(text.clone());
        self.client.show_message(MessageType::WARNING, text).await;
    }

    /// Reads `report-lsp.toml` at the first workspace root.
    async fn load_config_file(&self) {
        let root = self.roots.lock().ok().and_then(|r| r.first().cloned());
        let Some(root) = root else { return };
        let path = root.join(CONFIG_FILE_NAME);
        // Never on the async threads: whatever the file is, the reading must not stall them.
        let read = tokio::task::spawn_blocking(move || config::read_config_file(&path));
        let (patch, warnings) = read.await.ok().flatten().unwrap_or_default();
        self.update_layers(|l| l.file = patch);
        self.warn_settings(CONFIG_FILE_NAME, warnings).await;
    }

    /// Pulls `workspace/configuration` for the `reportLsp` section.
    async fn pull_client_settings(&self) {
        if !self.caps().configuration_pull {
            return;
        }
        let items = vec![ConfigurationItem {
            scope_uri: None,
            section: Some(SETTINGS_SECTION.to_string()),
        }];
        match self.client.configuration(items).await {
            Ok(values) => {
                let value = values.into_iter().next().unwrap_or(Value::Null);
                let (patch, warnings) = config::parse_settings(&value);
                self.update_layers(|l| l.client = patch);
                self.warn_settings("settings", warnings).await;
            }
            Err(e) => self
                .log
                .warn(format!("workspace/configuration failed: {e}")),
        }
    }

    fn engine(&self) -> Arc<WorkspaceEngine> {
        self.diagnostics.engine.clone()
    }

    /// Re-runs what depends on the settings: a rescan when the workspace globs changed, a
    /// boilerplate recount when its ratio did, and every open document's analysis.
    async fn settings_changed(&self, before: &Config) {
        let after = self.config();
        if after.workspace != before.workspace {
            self.start_scan();
        } else if after.duplicates.boilerplate_permille != before.duplicates.boilerplate_permille {
            let engine = self.engine();
            let ratio = after.duplicates.boilerplate_ratio();
            let _ = guarded(&self.log, "boilerplate", move || {
                engine.set_boilerplate_ratio(ratio)
            })
            .await;
        }
        self.diagnostics.schedule_all();
    }

    /// Indexes the workspace folders in the background with `$/progress`, then re-analyses
    /// the open documents. Requests are served meanwhile (against the index as it was).
    fn start_scan(&self) {
        let roots = self.roots.lock().map(|r| r.clone()).unwrap_or_default();
        if roots.is_empty() {
            return;
        }
        let config = self.config();
        let engine = self.engine();
        let client = self.client.clone();
        let supported = self.caps().work_done_progress;
        let diagnostics = self.diagnostics.clone();
        let log = self.log.clone();
        tokio::spawn(async move {
            let progress =
                ProgressReporter::begin(client, supported, "report-lsp: indexing the workspace")
                    .await;
            let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
            let started = std::time::Instant::now();
            let scan_engine = engine.clone();
            let job = tokio::task::spawn_blocking(move || {
                scan_engine.scan(
                    roots,
                    config.workspace.clone(),
                    config.duplicates.boilerplate_ratio(),
                    &mut |done, total| {
                        let _ = tx.send((done, total));
                    },
                )
            });
            while let Some((done, total)) = rx.recv().await {
                progress.report(done, total).await;
            }
            match job.await {
                Ok((files, bytes)) => {
                    let (_, postings, paragraphs) = engine.stats();
                    let message = format!(
                        "{files} files, {:.1} MB, {paragraphs} paragraphs, {postings} fingerprints in {:.2} s",
                        bytes as f64 / 1e6,
                        started.elapsed().as_secs_f64()
                    );
                    log.info(format!("workspace index: {message}"));
                    progress.end(message).await;
                }
                Err(e) => {
                    log.error(format!("workspace indexing failed: {e}"));
                    progress.end("failed".to_string()).await;
                }
            }
            diagnostics.workspace_changed(None);
        });
    }

    /// `report-lsp/documentText`: the server's text and version of an open document, so that
    /// a client (the soak test, a bug report) can check it is the editor's.
    pub async fn document_text(&self, params: DocumentTextParams) -> Result<Value> {
        let uri = params.text_document.uri;
        let Some(snap) = self.snapshot(&uri, DOCUMENT_TEXT) else {
            return Err(Error::invalid_params("the document is not open"));
        };
        let in_sync = self.docs.in_sync(&uri);
        Ok(serde_json::json!({
            "version": snap.version,
            "text": snap.text(),
            "inSync": in_sync,
        }))
    }

    fn snapshot(&self, uri: &Url, what: &str) -> Option<Snapshot> {
        let snap = self.docs.snapshot(uri);
        if snap.is_none() {
            self.log
                .warn(format!("{what} for a document that is not open: {uri}"));
        }
        snap
    }
}

/// Runs CPU work off the async threads; a panic becomes an internal error, not a dead server.
async fn guarded<T: Send + 'static>(
    log: &Logger,
    what: &'static str,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T> {
    match tokio::task::spawn_blocking(f).await {
        Ok(v) => Ok(v),
        Err(e) => {
            log.error(format!("{what} failed: {e}"));
            Err(Error::internal_error())
        }
    }
}

#[tower_lsp::async_trait]
impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let offered: Vec<String> = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .map(|v| v.iter().map(|e| e.as_str().to_string()).collect())
            .unwrap_or_default();
        let encoding = Encoding::negotiate(offered.iter().map(String::as_str));
        self.docs.set_encoding(encoding);

        let ws = params.capabilities.workspace.as_ref();
        let td = params.capabilities.text_document.as_ref();
        *self.caps.lock().unwrap_or_else(|e| e.into_inner()) = ClientCaps {
            configuration_pull: ws.and_then(|w| w.configuration).unwrap_or(false),
            watched_files_dynamic: ws
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            document_changes: ws
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.document_changes)
                .unwrap_or(false),
            hierarchical_symbols: td
                .and_then(|t| t.document_symbol.as_ref())
                .and_then(|d| d.hierarchical_document_symbol_support)
                .unwrap_or(false),
            work_done_progress: params
                .capabilities
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
            // Pull only when the client can be asked to pull again: a cross-file change (the
            // workspace scan finishing, another file edited) must reach the open documents.
            // Neovim 0.11 pulls but handles no `workspace/diagnostic/refresh`; it gets pushes.
            pull_diagnostics: td.and_then(|t| t.diagnostic.as_ref()).is_some()
                && self.refresh_support.load(Ordering::SeqCst),
            apply_edit: ws.and_then(|w| w.apply_edit).unwrap_or(false),
            create_files: ws.and_then(|w| w.workspace_edit.as_ref()).is_some_and(|e| {
                e.document_changes == Some(true)
                    && e.resource_operations
                        .as_ref()
                        .is_some_and(|r| r.contains(&ResourceOperationKind::Create))
            }),
        };
        let pull = self.caps().pull_diagnostics;
        self.diagnostics.set_pull(pull);

        let mut roots: Vec<PathBuf> = params
            .workspace_folders
            .unwrap_or_default()
            .iter()
            .filter_map(|f| f.uri.to_file_path().ok())
            .collect();
        #[allow(deprecated)]
        if roots.is_empty() {
            if let Some(p) = params.root_uri.as_ref().and_then(|u| u.to_file_path().ok()) {
                roots.push(p);
            }
        }
        *self.roots.lock().unwrap_or_else(|e| e.into_inner()) = roots;

        if let Some(opts) = params.initialization_options.as_ref() {
            let (patch, warnings) = config::parse_settings(opts);
            self.update_layers(|l| l.init = patch);
            self.warn_settings("initializationOptions", warnings).await;
        }
        self.load_config_file().await;

        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(PositionEncodingKind::new(encoding.as_lsp_str())),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        will_save: None,
                        will_save_wait_until: None,
                        save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                    },
                )),
                document_symbol_provider: Some(OneOf::Left(true)),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                document_highlight_provider: Some(OneOf::Left(true)),
                semantic_tokens_provider: Some(
                    SemanticTokensServerCapabilities::SemanticTokensOptions(
                        SemanticTokensOptions {
                            legend: target_features::legend(),
                            full: Some(SemanticTokensFullOptions::Bool(true)),
                            range: None,
                            work_done_progress_options: Default::default(),
                        },
                    ),
                ),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::SOURCE_FIX_ALL,
                        ]),
                        work_done_progress_options: Default::default(),
                        resolve_provider: None,
                    },
                )),
                diagnostic_provider: pull.then(|| {
                    DiagnosticServerCapabilities::Options(DiagnosticOptions {
                        identifier: Some("report-lsp".to_string()),
                        inter_file_dependencies: true,
                        workspace_diagnostics: false,
                        work_done_progress_options: Default::default(),
                    })
                }),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![
                        IGNORE_DUPLICATE_COMMAND.to_string(),
                        super::placeholders::LIST_PLACEHOLDERS_COMMAND.to_string(),
                    ],
                    work_done_progress_options: Default::default(),
                }),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "report-lsp".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        self.log.info(format!(
            "report-lsp {} ready (position encoding {})",
            env!("CARGO_PKG_VERSION"),
            self.docs.encoding().as_lsp_str()
        ));
        if self.caps().watched_files_dynamic {
            let mut watchers = vec![FileSystemWatcher {
                glob_pattern: GlobPattern::String(format!("**/{CONFIG_FILE_NAME}")),
                kind: None,
            }];
            // Report files, for the workspace index. The globs are the defaults'; files that
            // the settings leave out are filtered on arrival.
            watchers.extend(
                self.config()
                    .workspace
                    .include
                    .iter()
                    .map(|g| FileSystemWatcher {
                        glob_pattern: GlobPattern::String(g.clone()),
                        kind: None,
                    }),
            );
            let options = DidChangeWatchedFilesRegistrationOptions { watchers };
            let registration = Registration {
                id: "report-lsp-watcher".to_string(),
                method: "workspace/didChangeWatchedFiles".to_string(),
                register_options: serde_json::to_value(options).ok(),
            };
            if let Err(e) = self.client.register_capability(vec![registration]).await {
                self.log.warn(format!("could not watch files: {e}"));
            }
        }
        self.pull_client_settings().await;
        self.configure_targets();
        self.diagnostics.settings_ready();
        self.diagnostics.schedule_all();
        self.start_scan();
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        // The text is already in the store (ordered.rs).
        self.sync_open(&params.text_document.uri);
        self.diagnostics.schedule(params.text_document.uri);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        self.sync_open(&params.text_document.uri);
        self.diagnostics.schedule(params.text_document.uri);
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        self.diagnostics.schedule(params.text_document.uri);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.diagnostics.clear(uri.clone());
        let engine = self.engine();
        let closed = uri.clone();
        if let Ok(true) = guarded(&self.log, "didClose", move || engine.close(&closed)).await {
            self.diagnostics.workspace_changed(Some(&uri));
        }
        self.analyses.remove(&uri);
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let before = self.config();
        if self.caps().configuration_pull {
            self.pull_client_settings().await;
        } else {
            let (patch, warnings) = config::parse_settings(&params.settings);
            self.update_layers(|l| l.client = patch);
            self.warn_settings("settings", warnings).await;
        }
        self.configure_targets();
        self.settings_changed(&before).await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let (configs, files): (Vec<FileEvent>, Vec<FileEvent>) = params
            .changes
            .into_iter()
            .partition(|c| c.uri.path().ends_with(CONFIG_FILE_NAME));
        if !configs.is_empty() {
            let before = self.config();
            self.load_config_file().await;
            self.configure_targets();
            self.settings_changed(&before).await;
        }
        let paths: Vec<PathBuf> = files
            .iter()
            .filter_map(|c| uri_path(c.uri.as_str()))
            .collect();
        if paths.is_empty() {
            return;
        }
        let engine = self.engine();
        let changed = guarded(&self.log, "didChangeWatchedFiles", move || {
            paths.iter().fold(false, |acc, p| engine.refresh(p) | acc)
        })
        .await;
        if let Ok(true) = changed {
            self.diagnostics.workspace_changed(None);
        }
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let Some(snap) = self.snapshot(&uri, "diagnostic") else {
            return Err(Error::invalid_params("the document is not open"));
        };
        let config = self.config();
        let log = self.log.clone();
        let engine = self.engine();
        let (items, index_changed, result_id) = guarded(&self.log, "diagnostic", move || {
            let (items, index_changed) = diagnostics::compute(&snap, &config, &log, &engine);
            // The hash of the list as JSON names this result: a client asking again with it
            // gets "unchanged" instead of the same (often large) list.
            let json = serde_json::to_vec(&items).unwrap_or_default();
            let result_id = format!("{:016x}", crate::analysis::duplicates::bytes_hash(&json));
            (items, index_changed, result_id)
        })
        .await?;
        if index_changed {
            self.diagnostics.workspace_changed(Some(&uri));
        }
        if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
            return Ok(DocumentDiagnosticReportResult::Report(
                DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                    related_documents: None,
                    unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                        result_id,
                    },
                }),
            ));
        }
        Ok(DocumentDiagnosticReportResult::Report(
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: Some(result_id),
                    items,
                },
            }),
        ))
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<Value>> {
        if params.command == super::placeholders::LIST_PLACEHOLDERS_COMMAND {
            let ws = self.diagnostics.engine.ws.clone();
            let encoding = self.docs.encoding();
            return guarded(&self.log, "listPlaceholders", move || {
                Some(super::placeholders::list(&ws, encoding))
            })
            .await;
        }
        if params.command != IGNORE_DUPLICATE_COMMAND {
            return Err(Error::method_not_found());
        }
        let Some(fp) = params.arguments.first().and_then(Value::as_str) else {
            return Err(Error::invalid_params("expected a passage fingerprint"));
        };
        let root = self.roots.lock().ok().and_then(|r| r.first().cloned());
        let Some(root) = root else {
            let text = "report-lsp: no workspace folder to keep report-lsp.toml in".to_string();
            self.client.show_message(MessageType::WARNING, text).await;
            return Ok(None);
        };
        let caps = self.caps();
        if !caps.apply_edit {
            let text = format!(
                "report-lsp: the editor cannot apply edits; add \"{fp}\" to duplicates.ignore in {CONFIG_FILE_NAME}"
            );
            self.client.show_message(MessageType::WARNING, text).await;
            return Ok(None);
        }
        let (fp, enc) = (fp.to_string(), self.docs.encoding());
        let built =
            tokio::task::spawn_blocking(move || ignore_edit(&root, &fp, enc, caps.create_files))
                .await
                .unwrap_or_else(|e| Err(e.to_string()));
        let outcome = match built {
            Ok((edit, text)) => match self.client.apply_edit(edit).await {
                Ok(r) if r.applied => {
                    // The editor has the new text (it may not have saved it yet): use it now.
                    let (patch, warnings) = config::parse_toml(&text);
                    let before = self.config();
                    self.update_layers(|l| l.file = patch);
                    self.warn_settings(CONFIG_FILE_NAME, warnings).await;
                    self.configure_targets();
                    self.settings_changed(&before).await;
                    Ok(())
                }
                Ok(r) => Err(format!(
                    "the editor did not apply the edit{}",
                    r.failure_reason
                        .map(|f| format!(": {f}"))
                        .unwrap_or_default()
                )),
                Err(e) => Err(format!("workspace/applyEdit failed: {e}")),
            },
            Err(e) => Err(e),
        };
        if let Err(e) = outcome {
            self.log
                .warn(format!("cannot mark the passage as intended: {e}"));
            self.client
                .show_message(MessageType::WARNING, format!("report-lsp: {e}"))
                .await;
        }
        Ok(None)
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let Some(snap) = self.snapshot(&params.text_document.uri, "documentSymbol") else {
            return Ok(None);
        };
        let lang = self.config().language;
        let hierarchical = self.caps().hierarchical_symbols;
        guarded(&self.log, "documentSymbol", move || {
            Some(features::document_symbols(&snap, lang, hierarchical))
        })
        .await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let Some(snap) = self.snapshot(&params.text_document.uri, "foldingRange") else {
            return Ok(None);
        };
        guarded(&self.log, "foldingRange", move || {
            Some(features::folding_ranges(&snap))
        })
        .await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        let Some(snap) = self.snapshot(&p.text_document.uri, "hover") else {
            return Ok(None);
        };
        let lang = self.config().language;
        let index = self.targets.clone();
        let cache = self.analyses.clone();
        guarded(&self.log, "hover", move || {
            features::hover(&snap, p.position, lang, &index, &cache)
        })
        .await
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let p = params.text_document_position_params;
        let Some(snap) = self.snapshot(&p.text_document.uri, "definition") else {
            return Ok(None);
        };
        let index = self.targets.clone();
        let cache = self.analyses.clone();
        guarded(&self.log, "definition", move || {
            let analysis = cache.get(&snap, index.synonyms());
            let offset = convert::offset(&snap.rope, p.position, snap.encoding);
            target_features::definition(&snap, &analysis, offset, &index)
                .map(GotoDefinitionResponse::Array)
        })
        .await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let p = params.text_document_position;
        let Some(snap) = self.snapshot(&p.text_document.uri, "references") else {
            return Ok(None);
        };
        let index = self.targets.clone();
        let cache = self.analyses.clone();
        guarded(&self.log, "references", move || {
            let analysis = cache.get(&snap, index.synonyms());
            let offset = convert::offset(&snap.rope, p.position, snap.encoding);
            target_features::references(&snap, &analysis, offset, &index)
        })
        .await
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<Vec<SymbolInformation>>> {
        let index = self.targets.clone();
        let lang = self.config().language;
        guarded(&self.log, "workspace/symbol", move || {
            Some(target_features::workspace_symbols(
                &index,
                &params.query,
                lang,
            ))
        })
        .await
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        let p = params.text_document_position_params;
        let Some(snap) = self.snapshot(&p.text_document.uri, "documentHighlight") else {
            return Ok(None);
        };
        let index = self.targets.clone();
        let cache = self.analyses.clone();
        guarded(&self.log, "documentHighlight", move || {
            let analysis = cache.get(&snap, index.synonyms());
            let offset = convert::offset(&snap.rope, p.position, snap.encoding);
            target_features::highlights(&snap, &analysis, offset)
        })
        .await
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        let Some(snap) = self.snapshot(&params.text_document.uri, "semanticTokens") else {
            return Ok(None);
        };
        let index = self.targets.clone();
        let cache = self.analyses.clone();
        guarded(&self.log, "semanticTokens", move || {
            let analysis = cache.get(&snap, index.synonyms());
            Some(SemanticTokensResult::Tokens(
                target_features::semantic_tokens(&snap, &analysis),
            ))
        })
        .await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let Some(snap) = self.snapshot(&params.text_document.uri, "codeAction") else {
            return Ok(None);
        };
        let config = self.config();
        let document_changes = self.caps().document_changes;
        guarded(&self.log, "codeAction", move || {
            Some(features::code_actions(
                &snap,
                &params,
                &config,
                document_changes,
            ))
        })
        .await
    }
}

/// "Mark as intended" as an edit of `<root>/report-lsp.toml` for the client to apply (the
/// editor shows it, can undo it and respects its own permissions; the server writes no file).
/// A settings file that is a link leading out of the workspace folder, or nowhere, is refused:
/// the editor would write through it. Returns the edit and the file's new text.
fn ignore_edit(
    root: &std::path::Path,
    fingerprint: &str,
    enc: Encoding,
    can_create: bool,
) -> std::result::Result<(WorkspaceEdit, String), String> {
    let path = root.join(CONFIG_FILE_NAME);
    let uri = Url::from_file_path(&path).map_err(|()| format!("{}: not a path", path.display()))?;
    let is_link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link {
        let inside = match (root.canonicalize(), path.canonicalize()) {
            (Ok(r), Ok(p)) => p.starts_with(r),
            _ => false,
        };
        if !inside {
            return Err(format!(
                "{}: a link leading out of the workspace folder (or nowhere); not edited",
                path.display()
            ));
        }
    }
    let old = config::read_config_text(&path)?;
    let new = config::with_ignored_fingerprint(old.as_deref().unwrap_or(""), fingerprint)?;
    let edit = match old {
        Some(old) => {
            let end = crate::position::to_line_col(&ropey::Rope::from_str(&old), old.len(), enc);
            let range = Range::new(Position::new(0, 0), Position::new(end.line, end.col));
            WorkspaceEdit {
                changes: Some(std::collections::HashMap::from([(
                    uri,
                    vec![TextEdit::new(range, new.clone())],
                )])),
                ..WorkspaceEdit::default()
            }
        }
        None if can_create => WorkspaceEdit {
            document_changes: Some(DocumentChanges::Operations(vec![
                DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
                    uri: uri.clone(),
                    options: Some(CreateFileOptions {
                        overwrite: Some(false),
                        ignore_if_exists: Some(true),
                    }),
                    annotation_id: None,
                })),
                DocumentChangeOperation::Edit(TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier { uri, version: None },
                    edits: vec![OneOf::Left(TextEdit::new(Range::default(), new.clone()))],
                }),
            ])),
            ..WorkspaceEdit::default()
        },
        None => {
            return Err(format!(
                "{CONFIG_FILE_NAME} does not exist and the editor cannot create files through an edit; create it and try again"
            ))
        }
    };
    Ok((edit, new))
}
