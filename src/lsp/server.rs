//! The LanguageServer implementation: each handler converts in, calls the core, converts out.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use serde_json::Value;
use tower_lsp::jsonrpc::{Error, Result};
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer};

use super::diagnostics::DiagnosticsEngine;
use super::documents::{DocumentStore, Snapshot};
use super::features;
use super::log::Logger;
use crate::config::{self, Config, ConfigPatch, CONFIG_FILE_NAME, SETTINGS_SECTION};
use crate::position::Encoding;

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
}

impl Backend {
    pub fn new(client: Client, docs: Arc<DocumentStore>, log: Logger) -> Backend {
        let config = Arc::new(RwLock::new(Config::default()));
        let diagnostics =
            DiagnosticsEngine::new(client.clone(), docs.clone(), config.clone(), log.clone());
        Backend {
            client,
            docs,
            config,
            layers: Mutex::new(Layers::default()),
            roots: Mutex::new(Vec::new()),
            caps: Mutex::new(ClientCaps::default()),
            diagnostics,
            log,
        }
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
                watchers: vec![FileSystemWatcher {
                    glob_pattern: GlobPattern::String(format!("**/{CONFIG_FILE_NAME}")),
                    kind: None,
                }],
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
        self.diagnostics.settings_ready();
        self.diagnostics.schedule_all();
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        // The text is already in the store (ordered.rs).
        self.diagnostics.schedule(params.text_document.uri);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        self.diagnostics.schedule(params.text_document.uri);
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        self.diagnostics.schedule(params.text_document.uri);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
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
        self.diagnostics.schedule_all();
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let touches_config = params
            .changes
            .iter()
            .any(|c| c.uri.path().ends_with(CONFIG_FILE_NAME));
        if touches_config {
            self.load_config_file().await;
            self.diagnostics.schedule_all();
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
        guarded(&self.log, "hover", move || {
            features::hover(&snap, p.position, lang)
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
