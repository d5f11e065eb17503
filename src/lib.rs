//! report-lsp: a language server and command-line checker for Chinese government work reports
//! and plan outlines kept as plain text. See ARCHITECTURE.md for the module map.

pub mod analysis;
pub mod cli;
pub mod config;
pub mod decode;
pub mod lsp;
pub mod position;
pub mod workspace;
