//! Logging to the client (`window/logMessage`) from synchronous code, with stderr as the fallback
//! before the client is known. Never stdout: it carries the protocol.

use std::sync::{Arc, OnceLock};

use tower_lsp::lsp_types::MessageType;
use tower_lsp::Client;

#[derive(Clone, Default)]
pub struct Logger {
    client: Arc<OnceLock<Client>>,
}

impl Logger {
    pub fn set_client(&self, client: Client) {
        let _ = self.client.set(client);
    }

    pub fn log(&self, level: MessageType, message: String) {
        match self.client.get() {
            Some(client) if tokio::runtime::Handle::try_current().is_ok() => {
                let client = client.clone();
                tokio::spawn(async move { client.log_message(level, message).await });
            }
            _ => eprintln!("report-lsp: {message}"),
        }
    }

    pub fn info(&self, message: String) {
        self.log(MessageType::INFO, message);
    }

    pub fn warn(&self, message: String) {
        self.log(MessageType::WARNING, message);
    }

    pub fn error(&self, message: String) {
        self.log(MessageType::ERROR, message);
    }
}
