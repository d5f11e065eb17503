//! Entry point: parse the command line and hand over to the CLI or the language server.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    report_lsp::cli::run(report_lsp::cli::Cli::parse())
}
