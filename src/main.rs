//! Entry point: parse the command line and hand over to the CLI or the language server.

use std::process::ExitCode;

fn main() -> ExitCode {
    // Help in Chinese or English (`--lang`, the locale); see cli::parse.
    report_lsp::cli::run(report_lsp::cli::parse())
}
