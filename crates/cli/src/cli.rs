//! The command line.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use gatehouse_core::Severity;

#[derive(Debug, Parser)]
#[command(
    name = "gatehouse",
    version,
    about = "Security scanners, the pipeline gate and the platform server in one binary",
    after_help = "Exit codes: 0 pass, 1 findings at or above --fail-on, 2 usage or configuration error, 3 runtime error (something could not be read)."
)]
pub struct Cli {
    /// More log output (-v info, -vv debug); GATEHOUSE_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Only errors on standard error.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scanner.
    #[command(subcommand)]
    Scan(ScanCommand),
    /// Record current findings so later scans report only new ones.
    #[command(subcommand)]
    Baseline(BaselineCommand),
    /// Show the built-in rules.
    #[command(subcommand)]
    Rules(RulesCommand),
}

#[derive(Debug, Subcommand)]
pub enum ScanCommand {
    /// Find credentials (keys, tokens, passwords, private keys) in files, standard input or git history.
    Secrets(SecretsArgs),
}

#[derive(Debug, Subcommand)]
pub enum BaselineCommand {
    /// Scan and write the fingerprints of every finding to a baseline file.
    Create(BaselineCreateArgs),
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List the secret rules (built-in plus any --config).
    Secrets(RulesArgs),
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Add or override rules from this file (Gatehouse or gitleaks v8 TOML); repeatable.
    #[arg(long = "config", value_name = "FILE")]
    pub configs: Vec<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Table,
    Json,
    Sarif,
    Junit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

/// What is scanned and how; shared by `scan secrets` and `baseline create`.
#[derive(Debug, Args)]
pub struct SourceArgs {
    /// Files or directories to scan (default: the current directory); `-` reads standard input.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Scan every blob reachable from any ref of the repository at PATH, each once.
    #[arg(long, conflicts_with = "staged")]
    pub git: bool,
    /// With --git: only commits not reachable from REV (for example the target branch).
    #[arg(long, value_name = "REV", conflicts_with = "staged")]
    pub since: Option<String>,
    /// Scan what is staged in the index (a pre-commit hook): only secrets the change adds.
    #[arg(long)]
    pub staged: bool,
    /// Add or override rules from this file (Gatehouse or gitleaks v8 TOML); repeatable.
    #[arg(long = "config", value_name = "FILE", env = "GATEHOUSE_SECRETS_CONFIG")]
    pub configs: Vec<PathBuf>,
    /// Scan files that .gitignore and .gatehouseignore path patterns leave out.
    #[arg(long)]
    pub no_ignore: bool,
    /// Skip files larger than this (for example 10MiB, 512k).
    #[arg(long, value_name = "SIZE", default_value = "10MiB", value_parser = crate::size::parse_size)]
    pub max_file_size: u64,
    /// Follow symbolic links while walking directories.
    #[arg(long)]
    pub follow: bool,
    /// Worker threads (default: one per CPU).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE", env = "GATEHOUSE_BASELINE")]
    pub baseline: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SecretsArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Output format [default: table; inferred from --output's extension when given].
    #[arg(long, short = 'f', value_enum, env = "GATEHOUSE_FORMAT")]
    pub format: Option<FormatArg>,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 when a finding is at or above this severity.
    #[arg(long, value_name = "SEVERITY", default_value = "low", env = "GATEHOUSE_FAIL_ON", value_parser = parse_severity)]
    pub fail_on: Severity,
    /// Print secret values in plain text. Without it every output shows a masked preview only.
    #[arg(long)]
    pub show_secrets: bool,
    /// Colors in table output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorArg,
    /// No progress bar, even on a terminal.
    #[arg(long)]
    pub no_progress: bool,
}

#[derive(Debug, Args)]
pub struct BaselineCreateArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// The baseline file to write.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: PathBuf,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    s.parse::<Severity>().map_err(|e| e.to_string())
}
