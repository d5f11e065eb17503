//! The protocol shell. Only this module (and `main.rs` through it) knows tower-lsp.

pub mod analysis_cache;
mod convert;
pub mod cross_report;
mod diagnostics;
pub mod documents;
pub mod features;
pub mod framing;
mod locations;
mod log;
mod ordered;
mod output;
pub mod placeholders;
mod server;
pub mod targets;
mod workspace;

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tower_lsp::{LspService, Server};

use documents::DocumentStore;
use log::Logger;
use ordered::Ordered;
use server::Backend;

/// Serves LSP over stdin/stdout until `exit` or end of input.
pub fn run_stdio() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("report-lsp: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Not tokio's stdin: one malformed message would end tower-lsp's read loop (framing.rs).
    let shutdown_seen = Arc::new(AtomicBool::new(false));
    let served = runtime.block_on(serve(
        framing::sanitized_stdin(shutdown_seen.clone()),
        std::io::stdout(),
    ));
    // Exit does not wait for background work (a workspace scan, an analysis in the blocking
    // pool): the process ends now, the work with it.
    runtime.shutdown_background();
    if let Err(e) = served {
        eprintln!("report-lsp: cannot start the output thread: {e}");
        return ExitCode::FAILURE;
    }
    // The specification's exit status: 0 after a `shutdown` request, 1 otherwise.
    if shutdown_seen.load(Ordering::SeqCst) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

pub async fn serve<I, O>(input: I, output: O) -> std::io::Result<()>
where
    I: tokio::io::AsyncRead + Unpin,
    O: std::io::Write + Send + 'static,
{
    let docs = Arc::new(DocumentStore::default());
    let log = Logger::default();
    let (queue, frames, writer) = output::start(output)?;
    let refresh_support = Arc::new(AtomicBool::new(false));
    let (service, socket) = LspService::build({
        let docs = docs.clone();
        let log = log.clone();
        let queue = queue.clone();
        let refresh_support = refresh_support.clone();
        move |client| {
            log.set_client(client.clone());
            Backend::new(client, docs, log, queue, refresh_support)
        }
    })
    .custom_method(server::DOCUMENT_TEXT, Backend::document_text)
    .finish();
    let service = Ordered::new(service, docs, log, refresh_support);
    Server::new(input, frames, socket).serve(service).await;
    // The last responses (to `shutdown`) are still queued.
    queue.close(writer, std::time::Duration::from_secs(5)).await;
    Ok(())
}
