//! Applies document notifications in arrival order.
//!
//! tower-lsp polls handler futures concurrently (tower-lsp issue #284), so two `didChange`
//! notifications may run their handlers out of order. Its server loop, however, calls
//! `Service::call` strictly in the order messages are read from stdin. This wrapper applies
//! `didOpen`/`didChange`/`didClose` to the document store inside `call`, synchronously, before
//! forwarding the message: reordering is impossible by construction. The handlers then only
//! schedule diagnostics, which the generation counter makes order-independent.
//!
//! It also reads one client capability that tower-lsp's types drop: `initialize`'s
//! `workspace.diagnostics.refreshSupport` (lsp-types 0.94 spells the field `diagnostic`).

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use serde::de::DeserializeOwned;
use tower::Service;
use tower_lsp::jsonrpc::{Error, Request, Response};
use tower_lsp::lsp_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams, Url,
};

use super::documents::{ChangeOutcome, DocumentStore};
use super::log::Logger;

pub struct Ordered<S> {
    inner: S,
    docs: Arc<DocumentStore>,
    log: Logger,
    /// Set at `initialize` when the client handles `workspace/diagnostic/refresh`.
    refresh_support: Arc<AtomicBool>,
}

impl<S> Ordered<S> {
    pub fn new(
        inner: S,
        docs: Arc<DocumentStore>,
        log: Logger,
        refresh_support: Arc<AtomicBool>,
    ) -> Ordered<S> {
        Ordered {
            inner,
            docs,
            log,
            refresh_support,
        }
    }

    fn intercept(&self, req: &Request) {
        match req.method() {
            "initialize" => {
                let ws = req
                    .params()
                    .and_then(|p| p.get("capabilities"))
                    .and_then(|c| c.get("workspace"));
                // The specification's `diagnostics`, and the singular some clients copied
                // from lsp-types.
                let refresh = ["diagnostics", "diagnostic"].iter().any(|k| {
                    ws.and_then(|w| w.get(k))
                        .and_then(|d| d.get("refreshSupport"))
                        .and_then(|r| r.as_bool())
                        .unwrap_or(false)
                });
                self.refresh_support.store(refresh, Ordering::SeqCst);
            }
            "textDocument/didOpen" => {
                if let Some(p) = params::<DidOpenTextDocumentParams>(req) {
                    let d = p.text_document;
                    self.docs.open(d.uri, &d.text, d.version);
                }
            }
            "textDocument/didChange" => {
                let Some(p) = params::<DidChangeTextDocumentParams>(req) else {
                    // Dropping it silently would apply the next edit to stale text.
                    let uri = req
                        .params()
                        .and_then(|p| p.pointer("/textDocument/uri"))
                        .and_then(|u| u.as_str())
                        .and_then(|u| Url::parse(u).ok());
                    let version = req
                        .params()
                        .and_then(|p| p.pointer("/textDocument/version"));
                    match uri {
                        Some(uri) if self.docs.mark_out_of_sync(&uri) => self.log.error(format!(
                            "didChange for {uri} refused: invalid parameters (version {}); the text may now differ from the editor's, so edits are refused until the editor sends the whole text (or reopens the document)",
                            version.map_or("missing".to_string(), |v| v.to_string())
                        )),
                        _ => self.log.error("didChange refused: invalid parameters".to_string()),
                    }
                    return;
                };
                {
                    let d = p.text_document;
                    match self.docs.change(&d.uri, d.version, &p.content_changes) {
                        ChangeOutcome::Applied { .. } => {}
                        ChangeOutcome::AppliedOutOfOrderVersion { previous, .. } => {
                            self.log.warn(format!(
                                "didChange for {} has version {} after version {previous}; applied in arrival order",
                                d.uri, d.version
                            ));
                        }
                        ChangeOutcome::OutOfSync => {
                            self.log.error(format!(
                                "didChange for {} (version {}) not applied: the document is out of sync since an unreadable change; waiting for the whole text",
                                d.uri, d.version
                            ));
                        }
                        ChangeOutcome::UnknownDocument => {
                            self.log.warn(format!(
                                "didChange for a document that is not open: {}",
                                d.uri
                            ));
                        }
                    }
                }
            }
            "textDocument/didClose" => {
                if let Some(p) = params::<DidCloseTextDocumentParams>(req) {
                    if !self.docs.close(&p.text_document.uri) {
                        self.log.warn(format!(
                            "didClose for a document that is not open: {}",
                            p.text_document.uri
                        ));
                    }
                }
            }
            _ => {}
        }
    }
}

fn params<P: DeserializeOwned>(req: &Request) -> Option<P> {
    let value = req.params()?.clone();
    serde_json::from_value(value).ok()
}

impl<S> Service<Request> for Ordered<S>
where
    S: Service<Request, Response = Option<Response>>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Option<Response>, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        self.intercept(&req);
        // tower-lsp drops every `$/` message it does not know, requests included; the
        // specification asks for a MethodNotFound reply to a request.
        let unanswered = match req.id() {
            Some(id) if req.method().starts_with("$/") => Some(id.clone()),
            _ => None,
        };
        let fut = self.inner.call(req);
        Box::pin(async move {
            let response = fut.await?;
            Ok(match (response, unanswered) {
                (None, Some(id)) => Some(Response::from_error(id, Error::method_not_found())),
                (response, _) => response,
            })
        })
    }
}
