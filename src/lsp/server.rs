//! The LanguageServer implementation: each handler converts in, calls the core, converts out.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use serde_json::Value;
use tower_lsp::jsonrpc::{Error, Result};
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer};

use super::analysis_cache::AnalysisCache;
use super::convert;
use super::diagnostics::DiagnosticsEngine;
use super::documents::{DocumentStore, Snapshot};
use super::features;
use super::log::Logger;
use super::targets::{self as target_features, TargetsIndex};
use crate::config::{self, Config, ConfigPatch, CONFIG_FILE_NAME, SETTINGS_SECTION};
use crate::position::Encoding;
use crate::workspace::{uri_path, Workspace, WorkspaceSettings};

#[derive(Debug, Clone, Default)]
struct ClientCaps {
    configuration_pull: bool,
    watched_files_dynamic: bool,
    document_changes: bool,
    hierarchical_symbols: bool,
}

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
    /// The workspace index (reports not open included) and the targets derived from it.
    workspace: Arc<Workspace>,
    targets: Arc<TargetsIndex>,
    /// The analysis of each open document's current snapshot, shared by the requests.
    analyses: Arc<AnalysisCache>,
}

impl Backend {
    pub fn new(client: Client, docs: Arc<DocumentStore>, log: Logger) -> Backend {
        let config = Arc::new(RwLock::new(Config::default()));
        let diagnostics =
            DiagnosticsEngine::new(client.clone(), docs.clone(), config.clone(), log.clone());
        let workspace = Arc::new(Workspace::new());
        Backend {
            client,
            docs,
            config,
            layers: Mutex::new(Layers::default()),
            roots: Mutex::new(Vec::new()),
            caps: Mutex::new(ClientCaps::default()),
            diagnostics,
            log,
            targets: Arc::new(TargetsIndex::new(workspace.clone())),
            analyses: Arc::new(AnalysisCache::default()),
            workspace,
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
        self.workspace
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
        let (patch, warnings) = config::read_config_file(&path).unwrap_or_default();
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
        };

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
        for w in self
            .workspace
            .configure(roots.clone(), WorkspaceSettings::default())
        {
            self.log.warn(format!("workspace: {w}"));
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
            let options = DidChangeWatchedFilesRegistrationOptions {
                watchers: vec![
                    FileSystemWatcher {
                        glob_pattern: GlobPattern::String(format!("**/{CONFIG_FILE_NAME}")),
                        kind: None,
                    },
                    // The workspace index: reports not open in the editor.
                    FileSystemWatcher {
                        glob_pattern: GlobPattern::String(
                            crate::workspace::DEFAULT_INCLUDE.to_string(),
                        ),
                        kind: None,
                    },
                ],
            };
            let registration = Registration {
                id: "report-lsp-config-watcher".to_string(),
                method: "workspace/didChangeWatchedFiles".to_string(),
                register_options: serde_json::to_value(options).ok(),
            };
            if let Err(e) = self.client.register_capability(vec![registration]).await {
                self.log
                    .warn(format!("could not watch {CONFIG_FILE_NAME}: {e}"));
            }
        }
        self.pull_client_settings().await;
        self.configure_targets();
        self.diagnostics.settings_ready();
        self.diagnostics.schedule_all();
        // Index the workspace folders in the background; requests meanwhile see what is there.
        let workspace = self.workspace.clone();
        let log = self.log.clone();
        tokio::task::spawn_blocking(move || {
            let summary = workspace.scan(2, &mut |_, _| {});
            for p in &summary.problems {
                log.warn(format!("workspace: {p:?}"));
            }
            log.info(format!(
                "workspace index: {} files, {} bytes",
                summary.files, summary.bytes
            ));
        });
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
        if let Some(path) = uri_path(params.text_document.uri.as_str()) {
            self.workspace.close(&path);
        }
        self.analyses.remove(&params.text_document.uri);
        self.diagnostics.clear(params.text_document.uri);
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        if self.caps().configuration_pull {
            self.pull_client_settings().await;
        } else {
            let (patch, warnings) = config::parse_settings(&params.settings);
            self.update_layers(|l| l.client = patch);
            self.warn_settings("settings", warnings).await;
        }
        self.configure_targets();
        self.diagnostics.schedule_all();
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let touches_config = params
            .changes
            .iter()
            .any(|c| c.uri.path().ends_with(CONFIG_FILE_NAME));
        if touches_config {
            self.load_config_file().await;
            self.configure_targets();
            self.diagnostics.schedule_all();
        }
        // Reports changed on disk: the workspace index re-reads them (open documents keep
        // shadowing their files).
        let paths: Vec<std::path::PathBuf> = params
            .changes
            .iter()
            .filter_map(|c| uri_path(c.uri.as_str()))
            .filter(|p| !p.ends_with(CONFIG_FILE_NAME))
            .collect();
        if !paths.is_empty() {
            let workspace = self.workspace.clone();
            let log = self.log.clone();
            let _ = guarded(&self.log, "didChangeWatchedFiles", move || {
                for p in paths {
                    if let (_, Some(problem)) = workspace.refresh(&p) {
                        log.warn(format!("workspace: {problem:?}"));
                    }
                }
            })
            .await;
        }
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
