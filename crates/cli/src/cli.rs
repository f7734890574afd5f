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
    /// Where Gatehouse keeps state such as the advisory database [default: the per-user data
    /// directory, ~/.local/share/gatehouse on Linux].
    #[arg(long, global = true, value_name = "DIR", env = "GATEHOUSE_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
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
    /// Manage the local advisory database the dependency scanner matches against.
    #[command(subcommand)]
    Db(DbCommand),
    /// Write a software bill of materials (CycloneDX or SPDX) of the dependencies under PATH.
    Sbom(SbomArgs),
    /// Run the configured scanners concurrently, apply the stage's policy and pass or block the
    /// pipeline.
    #[command(after_help = GATE_AFTER_HELP)]
    Gate(GateArgs),
    /// Write a commented starter gatehouse.toml for the repository (ecosystems detected).
    Init(InitArgs),
    /// Manage git hooks.
    #[command(subcommand)]
    Hook(HookCommand),
    /// Run the platform server: uploads, findings, security tickets, exceptions, audit.
    #[command(after_help = SERVE_AFTER_HELP)]
    Serve(ServeArgs),
    /// Bootstrap access to the server: people and API tokens, written to its database directly.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Check or export the server's hash-chained audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
}

const GATE_AFTER_HELP: &str = "Stages (built in, redefinable under [stages.NAME] in gatehouse.toml): commit (secrets only, blocks at low), merge-request (every scanner, blocks new findings at high and above), release (every scanner, blocks every finding at high and above, old ones included).

New code: with --diff REV (for example the merge-base with the target branch) or --baseline FILE, stages with new-only = true block only findings in changed lines or files, in added or changed dependencies, or not in the baseline. Old findings are still reported, marked as not blocking.

Reports: --report FORMAT[=FILE], repeatable, with FORMAT one of summary, json, sarif, junit, markdown, gitlab-sast, gitlab-secret-detection, gitlab-dependency-scanning; without =FILE the format's usual file name in the current directory. [gate] reports in gatehouse.toml adds more.

Exit codes: 0 pass, 1 blocked, 2 usage or configuration error, 3 incomplete (something could not be scanned or checked, or the upload failed) and nothing blocked.";

#[derive(Debug, Args)]
pub struct GateArgs {
    /// The project directory (default: the current directory).
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// The pipeline stage whose policy applies [default: [gate] stage, else merge-request].
    #[arg(long, value_name = "NAME", env = "GATEHOUSE_STAGE")]
    pub stage: Option<String>,
    /// The project configuration [default: gatehouse.toml in PATH, else at the repository root].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Worker threads for each scanner (default: one per CPU; the scanners run side by side, so
    /// a shared runner can cap the gate's CPU use with this).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// Block only on what changed since REV: findings in added or modified lines and files,
    /// vulnerable packages added or changed in a dependency file.
    #[arg(
        long,
        value_name = "REV",
        env = "GATEHOUSE_DIFF",
        conflicts_with = "baseline"
    )]
    pub diff: Option<String>,
    /// Block only on findings whose fingerprint is not in this baseline (a file from
    /// --write-baseline, `baseline create`, or any Gatehouse JSON report).
    #[arg(long, value_name = "FILE", env = "GATEHOUSE_BASELINE")]
    pub baseline: Option<PathBuf>,
    /// Also write every finding of this run to a baseline file.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Write a report: FORMAT or FORMAT=FILE. Repeatable.
    #[arg(long = "report", short = 'r', value_name = "FORMAT[=FILE]")]
    pub reports: Vec<String>,
    /// Send the results to the Gatehouse server ([server] url in gatehouse.toml).
    #[arg(long)]
    pub upload: bool,
    /// Do not contact the server: exceptions come from gatehouse.toml even when [server] is set.
    #[arg(long, conflicts_with = "upload")]
    pub no_server: bool,
    /// The project's name on the server [default: [project] name, else the directory's name].
    #[arg(long, value_name = "NAME", env = "GATEHOUSE_PROJECT")]
    pub project: Option<String>,
    /// The commit the results are for [default: the CI's commit variable, else HEAD].
    #[arg(long, value_name = "SHA")]
    pub commit: Option<String>,
    /// The branch [default: the CI's branch variable, else the checked-out branch].
    #[arg(long, value_name = "NAME")]
    pub branch: Option<String>,
    /// The pipeline id [default: the CI's pipeline or run id].
    #[arg(long, value_name = "ID")]
    pub pipeline: Option<String>,
    /// Colors in the summary.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorArg,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The repository directory (default: the current directory).
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// Overwrite an existing gatehouse.toml.
    #[arg(long)]
    pub force: bool,
    /// Print the file instead of writing it.
    #[arg(long)]
    pub stdout: bool,
}

#[derive(Debug, Subcommand)]
pub enum HookCommand {
    /// Install a git pre-commit hook that scans staged changes for secrets.
    Install(HookInstallArgs),
}

#[derive(Debug, Args)]
pub struct HookInstallArgs {
    /// The repository directory (default: the current directory).
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// Replace an existing pre-commit hook that Gatehouse did not write (it is kept as
    /// pre-commit.orig and still run first).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum ScanCommand {
    /// Find credentials (keys, tokens, passwords, private keys) in files, standard input or git history.
    Secrets(SecretsArgs),
    /// Find dependencies with known vulnerabilities in lockfiles, manifests and SBOMs.
    #[command(after_help = DEPS_AFTER_HELP)]
    Deps(DepsArgs),
    /// Static analysis: run Semgrep-syntax rules (the built-in packs or your own) on source code.
    #[command(after_help = CODE_AFTER_HELP)]
    Code(CodeArgs),
    /// Infrastructure as code: Dockerfiles, Kubernetes manifests, docker-compose, Terraform (HCL
    /// and plan JSON), GitHub Actions and GitLab CI files.
    #[command(after_help = IAC_AFTER_HELP)]
    Iac(IacArgs),
}

const CODE_AFTER_HELP: &str = "Languages: Python, JavaScript (JSX), TypeScript (TSX), Java, Go, C#, PHP, Ruby, Kotlin, C, C++, Bash, chosen by file extension (or #! line).

Rules: without --config, the built-in packs. --config PATH (a rule file or a directory of them) runs those rules instead; add --config builtin to keep the built-in packs too.

Suppress a finding with a `nosemgrep` or `gatehouse:ignore [RULE_ID, ...]` comment on its first line or alone on the line above.

Exit codes: 0 pass, 1 findings at or above --fail-on, 2 usage or rule error, 3 runtime error (a file could not be read or parsed).";

/// What `scan code` and `scan iac` share: rule-driven scanners over files.
#[derive(Debug, Args)]
pub struct RuleScanArgs {
    /// Files or directories to scan (default: the current directory).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Rules to run: a YAML rule file, a directory of them, or `builtin` for the built-in ones.
    /// Repeatable [default: builtin].
    #[arg(long = "config", short = 'c', value_name = "PATH|builtin")]
    pub configs: Vec<String>,
    /// Output format [default: table; inferred from --output's extension when given].
    #[arg(long, short = 'f', value_enum, env = "GATEHOUSE_FORMAT")]
    pub format: Option<FormatArg>,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 when a finding is at or above this severity.
    #[arg(long, value_name = "SEVERITY", default_value = "low", env = "GATEHOUSE_FAIL_ON", value_parser = parse_severity)]
    pub fail_on: Severity,
    /// Scan files that .gitignore and .ignore leave out.
    #[arg(long)]
    pub no_ignore: bool,
    /// Follow symbolic links while walking directories.
    #[arg(long)]
    pub follow: bool,
    /// Worker threads (default: one per CPU).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// Colors in table output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorArg,
}

impl RuleScanArgs {
    /// The paths to scan: the current directory when none is given.
    pub fn roots(&self) -> Vec<PathBuf> {
        if self.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            self.paths.clone()
        }
    }
}

#[derive(Debug, Args)]
pub struct CodeArgs {
    #[command(flatten)]
    pub scan: RuleScanArgs,
    /// Skip source files larger than this (generated and minified code).
    #[arg(long, value_name = "SIZE", default_value = "1MiB", value_parser = gatehouse_policy::size::parse_size)]
    pub max_file_size: u64,
    /// Give up parsing one file after this many seconds (it is then reported as not analysed).
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub parse_timeout: u64,
}

const IAC_AFTER_HELP: &str = "A `gatehouse:ignore CHECK_ID` comment on the finding's line, the line above it, or above its resource silences it (a bare `gatehouse:ignore` silences every check there).

Exit codes: 0 pass, 1 findings at or above --fail-on, 2 usage or check-file error, 3 runtime error (a file could not be read or parsed).";

#[derive(Debug, Args)]
pub struct IacArgs {
    #[command(flatten)]
    pub scan: RuleScanArgs,
    /// Skip files larger than this.
    #[arg(long, value_name = "SIZE", default_value = "4MiB", value_parser = gatehouse_policy::size::parse_size)]
    pub max_file_size: u64,
}

const DEPS_AFTER_HELP: &str = "Reads Cargo.lock, package-lock.json, npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml, requirements*.txt, poetry.lock, Pipfile.lock, uv.lock, pdm.lock, go.mod, pom.xml, gradle.lockfile, Gemfile.lock, composer.lock, packages.lock.json, pubspec.lock, mix.lock, and CycloneDX (*.cdx.json, bom.json, *.cdx.xml, bom.xml) and SPDX (*.spdx.json) SBOMs.

Packages the advisory database cannot speak for (no data for their ecosystem, no database, data older than --max-db-age) are reported as not checked and make the exit code 3, unless --allow-incomplete.

Exit codes: 0 pass, 1 findings at or above --fail-on, 2 usage or configuration error, 3 runtime error or packages not checked.";

#[derive(Debug, Args)]
pub struct DepsArgs {
    /// Files or directories to scan (default: the current directory).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format [default: table; inferred from --output's extension when given].
    #[arg(long, short = 'f', value_enum, env = "GATEHOUSE_FORMAT")]
    pub format: Option<FormatArg>,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 when a finding is at or above this severity.
    #[arg(long, value_name = "SEVERITY", default_value = "low", env = "GATEHOUSE_FAIL_ON", value_parser = parse_severity)]
    pub fail_on: Severity,
    /// The project configuration [default: gatehouse.toml at the project root, if present].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// A VEX document (CycloneDX or OpenVEX); `not_affected` statements suppress matches.
    /// Repeatable; adds to `[deps] vex` in gatehouse.toml.
    #[arg(long = "vex", value_name = "FILE")]
    pub vex: Vec<PathBuf>,
    /// Treat advisory data older than this many days as out of date [default: 7, or
    /// `[deps] max-db-age-days`].
    #[arg(long, value_name = "DAYS")]
    pub max_db_age: Option<u32>,
    /// Exit 0 even when some packages could not be checked (they are still reported).
    #[arg(long)]
    pub allow_incomplete: bool,
    /// Read lockfiles that .gitignore and .ignore leave out.
    #[arg(long)]
    pub no_ignore: bool,
    /// Follow symbolic links while walking directories.
    #[arg(long)]
    pub follow: bool,
    /// Worker threads (default: one per CPU).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// Do not read dependency files larger than this.
    #[arg(long, value_name = "SIZE", default_value = "256MiB", value_parser = gatehouse_policy::size::parse_size)]
    pub max_file_size: u64,
    /// Colors in table output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorArg,
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Import advisories from files, directories and archives, offline: OSV JSON (single, array or
    /// one per file), OSV .zip archives (the OSV bucket's all.zip), OSV YAML (PyPA), RustSec's
    /// advisory-db, ruby-advisory-db, FriendsOfPHP and the Node.js security WG's npm advisories.
    Import(DbImportArgs),
    /// Download advisories from mirrors (conditional requests), verify them and swap the database
    /// atomically; a failed update leaves the old database as it was.
    Update(DbUpdateArgs),
    /// Show the database's sources, counts and age.
    Status(DbStatusArgs),
}

#[derive(Debug, Args)]
pub struct DbImportArgs {
    /// Files, directories or .zip archives to import.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DbUpdateArgs {
    /// A source to download: an OSV .zip archive or OSV JSON file by http(s):// or file:// URL,
    /// optionally followed by `#sha256=HEX` to verify it. Repeatable. Without it, every source
    /// the database was updated from before.
    #[arg(long = "source", value_name = "URL")]
    pub sources: Vec<String>,
    /// Give up on a source after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub timeout: u64,
}

#[derive(Debug, Args)]
pub struct DbStatusArgs {
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Days after which data counts as out of date [default: 7].
    #[arg(long, value_name = "DAYS")]
    pub max_db_age: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SbomFormatArg {
    /// CycloneDX 1.6 JSON.
    Cyclonedx,
    /// SPDX 2.3 JSON.
    Spdx,
}

#[derive(Debug, Args)]
pub struct SbomArgs {
    /// Files or directories to read (default: the current directory).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// SBOM format.
    #[arg(long, short = 'f', value_enum, default_value = "cyclonedx")]
    pub format: SbomFormatArg,
    /// Write to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also match the packages against the advisory database and add a CycloneDX
    /// `vulnerabilities` section (usable as VEX). CycloneDX only.
    #[arg(long)]
    pub vulnerabilities: bool,
    /// VEX documents whose statements are carried into the vulnerabilities section.
    #[arg(long = "vex", value_name = "FILE")]
    pub vex: Vec<PathBuf>,
    /// The project configuration [default: gatehouse.toml at the project root, if present].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The name of the described project [default: the directory's name].
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Read lockfiles that .gitignore and .ignore leave out.
    #[arg(long)]
    pub no_ignore: bool,
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
    /// List the static-analysis rules (the built-in packs, or --config).
    Code(CodeRulesArgs),
    /// List the infrastructure-as-code checks (the built-in ones, or --config).
    Iac(CodeRulesArgs),
    /// Test static-analysis rules against their annotated test files: for each rule file
    /// NAME.yaml, the files NAME.<ext> beside it, whose `ruleid: ID` / `ok: ID` comments say
    /// where a finding must and must not start (Semgrep's --test convention).
    Test(RulesTestArgs),
}

#[derive(Debug, Args)]
pub struct CodeRulesArgs {
    /// Rules to list: a YAML rule file, a directory of them, or `builtin`. Repeatable
    /// [default: builtin].
    #[arg(long = "config", short = 'c', value_name = "PATH|builtin")]
    pub configs: Vec<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RulesTestArgs {
    /// Rule files or directories of them, with their test files beside them.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
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
    #[arg(long, value_name = "SIZE", default_value = "10MiB", value_parser = gatehouse_policy::size::parse_size)]
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

const SERVE_AFTER_HELP: &str = "Database: without --database-url, the SQLite file gatehouse.db in the data directory (created and migrated at start). --database-url postgres://USER:PASS@HOST/DB uses PostgreSQL, which several server processes can share.

Bootstrap: `gatehouse admin create-user --role administrator ...` and `gatehouse admin create-token ...` with the same --data-dir or --database-url.

Notifications (breached deadlines, escalations, requests and decisions): --notify-config FILE names the channels (webhook, Slack, WeCom, DingTalk, Feishu, email) and which events go where; docs/server.md has the format.

The API is described at /api/v1/openapi.json. SIGTERM or Ctrl-C stops the server after the requests in flight.";

/// Where the server's database is.
#[derive(Debug, Args)]
pub struct DatabaseArgs {
    /// The database: sqlite://FILE or postgres://… [default: gatehouse.db in the data directory].
    #[arg(long, value_name = "URL", env = "GATEHOUSE_DATABASE_URL")]
    pub database_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on.
    #[arg(
        long,
        value_name = "ADDR",
        default_value = "127.0.0.1:8080",
        env = "GATEHOUSE_LISTEN"
    )]
    pub listen: std::net::SocketAddr,
    #[command(flatten)]
    pub db: DatabaseArgs,
    /// The largest upload body accepted, in bytes; larger ones get 413.
    #[arg(long, value_name = "N", default_value_t = 64 << 20)]
    pub max_upload_bytes: usize,
    /// Notification channels, routing and escalation delay (TOML); every server process on one
    /// database should read the same file. Without it, notifications are queued, not sent.
    #[arg(long, value_name = "FILE", env = "GATEHOUSE_NOTIFY_CONFIG")]
    pub notify_config: Option<std::path::PathBuf>,
}

/// A role on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    Administrator,
    Security,
    Developer,
    Auditor,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a person who signs in with a password.
    CreateUser(CreateUserArgs),
    /// Create an API token; prints only the token on standard output (it is stored hashed and
    /// cannot be shown again).
    CreateToken(CreateTokenArgs),
}

#[derive(Debug, Args)]
pub struct CreateUserArgs {
    #[arg(long)]
    pub name: String,
    #[arg(long)]
    pub email: String,
    #[arg(long, value_enum)]
    pub role: RoleArg,
    /// Read the password from this environment variable; without it a password is generated
    /// and printed once on standard output.
    #[arg(long, value_name = "VAR")]
    pub password_env: Option<String>,
    /// A team the person belongs to (created when missing). Repeatable.
    #[arg(long = "team", value_name = "NAME")]
    pub teams: Vec<String>,
    #[command(flatten)]
    pub db: DatabaseArgs,
}

#[derive(Debug, Args)]
pub struct CreateTokenArgs {
    /// What the token is for, as the audit log names it (for example `ci-payments`).
    #[arg(long)]
    pub name: String,
    #[arg(long, value_enum)]
    pub role: RoleArg,
    /// Limit the token to this project. Repeatable; without it the role's usual reach.
    #[arg(long = "project", value_name = "P")]
    pub projects: Vec<String>,
    /// The token stops working after this many days.
    #[arg(long, value_name = "DAYS")]
    pub expires: Option<i64>,
    /// The person the token acts for (their teams, and their name in the audit log).
    #[arg(long, value_name = "EMAIL")]
    pub user: Option<String>,
    #[command(flatten)]
    pub db: DatabaseArgs,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the hash chain: exit 0 when intact, 1 naming the first edited or deleted event.
    Verify(AuditVerifyArgs),
    /// Write every audit event as JSON lines.
    Export(AuditExportArgs),
}

#[derive(Debug, Args)]
pub struct AuditVerifyArgs {
    #[command(flatten)]
    pub db: DatabaseArgs,
}

#[derive(Debug, Args)]
pub struct AuditExportArgs {
    /// Write to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub db: DatabaseArgs,
}
