//! The command-line shell: `serve` (the default), `check`, `outline`, `settings-schema`. Like the
//! language server it only converts: read files, call the analysis core, print.

mod fix;
mod help_zh;
mod output;
mod sarif;
mod targets;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::analysis::finding::{Language, Severity};
use crate::config::{self, Config, ConfigPatch};
use crate::decode;

#[derive(Debug, Parser)]
#[command(
    name = "report-lsp",
    version,
    about = "Language server and checker for Chinese government work reports (政府工作报告) kept as plain text.",
    long_about = "Language server and checker for Chinese government work reports (政府工作报告) and \
                  plan outlines (规划纲要) kept as plain text.\n\nWithout a command, or with `serve`, \
                  it speaks the Language Server Protocol over stdin/stdout."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Speak the Language Server Protocol over stdin/stdout (the default).
    Serve,
    /// Check report files and print their findings.
    Check(CheckArgs),
    /// Apply every safe fix: write FILE.fixed.txt next to each file, or rewrite it in place with
    /// --write (the original is kept as FILE.bak).
    Fix(FixArgs),
    /// Print the outline (section tree) of report files.
    Outline(OutlineArgs),
    /// Print every quantitative target, result and plan figure of report files.
    Targets(TargetsArgs),
    /// List duplicate passages (exact and near) across the report files of folders or files.
    Duplicates(DuplicatesArgs),
    /// Print the settings schema (VS Code `contributes.configuration.properties` shape).
    SettingsSchema,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Exit with status 1 when a finding at or above this severity exists.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Report only the findings of these rule codes (repeatable or comma-separated), e.g.
    /// `--only placeholder` lists every placeholder left in a folder of drafts.
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,

    /// Human output in document order only; by default the findings of each file are listed
    /// by severity (errors and warnings first, then information and hints), each in document
    /// order, so that a few warnings are not buried under many mechanical notes.
    #[arg(long)]
    pub by_position: bool,
    #[command(flatten)]
    pub common: CommonArgs,
    /// Report files (UTF-8, UTF-8 with BOM, UTF-16 with BOM or GB18030) or folders (their
    /// files matching workspace.include/exclude, .gitignore honoured). Duplicate passages are
    /// found within and across all of them.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct FixArgs {
    /// Rewrite each file in place; the original is first copied to FILE.bak (FILE.bak.1, … if
    /// that exists), and a file whose backup cannot be written is left unchanged.
    #[arg(long)]
    pub write: bool,
    /// Print the fixed text of the (single) file to stdout instead of writing anything.
    #[arg(long, conflicts_with = "write")]
    pub stdout: bool,
    #[command(flatten)]
    pub common: CommonArgs,
    /// Report files (UTF-8, UTF-8 with BOM, UTF-16 with BOM or GB18030); written back in the
    /// same encoding.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct DuplicatesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = DuplicatesFormat::Human)]
    pub format: DuplicatesFormat,
    #[command(flatten)]
    pub common: CommonArgs,
    /// Folders (or files) to compare.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct OutlineArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutlineFormat::Tree)]
    pub format: OutlineFormat,
    #[command(flatten)]
    pub common: CommonArgs,
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct TargetsArgs {
    /// Output format: an aligned table, CSV (first row = header) or JSON (`{"version":1,"targets":[…]}`).
    #[arg(long, value_enum, default_value_t = TargetsFormat::Table)]
    pub format: TargetsFormat,
    #[command(flatten)]
    pub common: CommonArgs,
    /// The file that `-` (standard input) stands for: printed as its path, and its folder is
    /// where the settings file is looked for. Editors pass an unsaved buffer this way.
    #[arg(long, value_name = "PATH")]
    pub stdin_path: Option<PathBuf>,
    /// Report files; `-` reads one from standard input.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TargetsFormat {
    Table,
    Csv,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct CommonArgs {
    /// Settings file; by default the nearest report-lsp.toml above each file.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Language of messages (overrides the settings file).
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
    /// SARIF 2.1.0, for code-review tools and CI dashboards.
    Sarif,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DuplicatesFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OutlineFormat {
    Tree,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Lang {
    Zh,
    En,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Hint,
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Hint => Some(Severity::Hint),
            FailOn::Never => None,
        }
    }
}

/// Exit statuses: 0 clean, 1 findings at or above `--fail-on`, 2 unreadable input or bad usage.
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_TROUBLE: u8 = 2;

/// A file read and decoded for the CLI, or why it could not be.
pub struct InputFile {
    pub path: PathBuf,
    pub result: Result<decode::Decoded, decode::ReadError>,
}

/// Reads the named files, each capped at the `workspace.maxFileSize` of its settings (a file
/// over the cap is an input error saying so, never read whole).
pub fn read_inputs(files: &[PathBuf], common: &CommonArgs) -> Vec<InputFile> {
    files
        .iter()
        .map(|p| {
            // Quietly: the caller's own `config_for` prints the settings file's warnings.
            let mut quiet: Vec<PathBuf> = config_file_for(p, common).into_iter().collect();
            let max = config_for(p, common, &mut quiet).workspace.max_file_size;
            InputFile {
                path: p.clone(),
                result: decode::read_file_capped(p, max),
            }
        })
        .collect()
}

/// Files and folders to the files to read: a folder contributes its report files (the
/// `workspace.*` settings of the nearest report-lsp.toml, .gitignore honoured; problems such as
/// oversized or vanished files are printed to stderr). A folder without any report file is an
/// unreadable input. Each file is read once.
pub fn expand_inputs(paths: &[PathBuf], common: &CommonArgs) -> Vec<InputFile> {
    let mut warned = Vec::new();
    let mut files: Vec<PathBuf> = Vec::new();
    let mut empty: Vec<PathBuf> = Vec::new();
    for p in paths {
        if !p.is_dir() {
            files.push(p.clone());
            continue;
        }
        let config = config_for(p, common, &mut warned);
        let (filter, warnings) = crate::workspace::Filter::new(&config.workspace);
        for w in warnings {
            eprintln!("report-lsp: {w}");
        }
        let (mut listed, problems) = crate::workspace::list(std::slice::from_ref(p), &filter);
        for problem in problems {
            eprintln!("report-lsp: {problem}");
        }
        listed.sort();
        let mut any = false;
        for f in listed {
            match std::fs::metadata(&f) {
                Ok(m) if m.len() > filter.max_file_size() => eprintln!(
                    "report-lsp: {}: not checked: {} bytes is more than workspace.maxFileSize ({})",
                    f.display(),
                    m.len(),
                    filter.max_file_size()
                ),
                _ => {
                    any = true;
                    files.push(f);
                }
            }
        }
        if !any {
            empty.push(p.clone());
        }
    }
    let mut seen = std::collections::HashSet::new();
    files.retain(|f| seen.insert(f.canonicalize().unwrap_or_else(|_| f.clone())));
    let mut inputs = read_inputs(&files, common);
    for dir in empty {
        inputs.push(InputFile {
            result: Err(decode::ReadError::Io(std::io::Error::other(format!(
                "no report files in folder {}",
                dir.display()
            )))),
            path: dir,
        });
    }
    inputs
}

/// The settings file that applies to `path` (`--config`, else the nearest report-lsp.toml).
fn config_file_for(path: &Path, common: &CommonArgs) -> Option<PathBuf> {
    match &common.config {
        Some(p) => Some(p.clone()),
        None => {
            let dir = path.canonicalize().ok().and_then(|p| {
                if p.is_dir() {
                    Some(p)
                } else {
                    p.parent().map(Path::to_path_buf)
                }
            });
            dir.and_then(|d| config::find_config_file(&d))
        }
    }
}

/// Settings for `path`: defaults, then the settings file, then command-line flags. Warnings go
/// to stderr once per settings file.
pub fn config_for(path: &Path, common: &CommonArgs, warned: &mut Vec<PathBuf>) -> Config {
    let file = config_file_for(path, common);
    let mut patches: Vec<ConfigPatch> = Vec::new();
    if let Some(f) = file {
        match config::read_config_file(&f) {
            Some((patch, warnings)) => {
                if !warned.contains(&f) {
                    for w in &warnings {
                        eprintln!("report-lsp: {}: {w}", f.display());
                    }
                    warned.push(f.clone());
                }
                patches.push(patch);
            }
            None if common.config.is_some() => {
                eprintln!("report-lsp: cannot read settings file {}", f.display());
            }
            None => {}
        }
    }
    let mut cli = ConfigPatch::default();
    if let Some(l) = common.lang {
        cli.language = Some(match l {
            Lang::Zh => Language::Zh,
            Lang::En => Language::En,
        });
    }
    patches.push(cli);
    Config::layered(patches.iter())
}

/// Parses the process's command line, with the help in the language of `--lang` or the locale
/// (Chinese by default).
pub fn parse() -> Cli {
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let cmd = match help_zh::language_of(&args, |k| std::env::var(k).ok()) {
        Language::Zh => help_zh::localise(Cli::command()),
        Language::En => Cli::command(),
    };
    let matches = cmd.get_matches_from(std::env::args_os());
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        None | Some(Command::Serve) => crate::lsp::run_stdio(),
        Some(Command::Check(args)) => output::check(&args),
        Some(Command::Outline(args)) => output::outline(&args),
        Some(Command::Fix(args)) => fix::fix(&args),
        Some(Command::Targets(args)) => targets::targets(&args),
        Some(Command::Duplicates(args)) => output::duplicates(&args),
        Some(Command::SettingsSchema) => {
            let schema = config::settings_schema();
            let text = serde_json::to_string_pretty(&schema).unwrap_or_default();
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{text}");
            ExitCode::SUCCESS
        }
    }
}
