//! The `gatehouse` binary: argument parsing and wiring, nothing more.

mod admin;
mod audit;
mod cli;
mod code;
mod datadir;
mod deps;
mod exit;
mod gate;
mod hook;
mod iac;
mod init;
mod output;
mod secrets;
mod serve;
mod server;

use clap::Parser;

use crate::exit::ExitStatus;

fn main() {
    let args = match cli::Cli::try_parse() {
        Ok(a) => a,
        Err(e) => {
            // Help and version go to stdout with success; usage errors exit 2.
            let status = if e.use_stderr() {
                ExitStatus::Usage
            } else {
                ExitStatus::Pass
            };
            let _ = e.print();
            std::process::exit(status.code());
        }
    };
    init_logging(args.verbose, args.quiet);
    let status = match run(args) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("gatehouse: error: {}", e.error);
            for cause in e.error.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            e.status
        }
    };
    std::process::exit(status.code());
}

fn run(args: cli::Cli) -> Result<ExitStatus, exit::Failure> {
    let data_dir = || datadir::resolve(args.data_dir.clone()).map_err(exit::Failure::usage);
    match args.command {
        cli::Command::Scan(cli::ScanCommand::Secrets(a)) => secrets::scan(a),
        cli::Command::Scan(cli::ScanCommand::Deps(a)) => deps::scan(a, &data_dir()?),
        cli::Command::Scan(cli::ScanCommand::Code(a)) => code::scan(a),
        cli::Command::Scan(cli::ScanCommand::Iac(a)) => iac::scan(a),
        cli::Command::Baseline(cli::BaselineCommand::Create(a)) => secrets::baseline_create(a),
        cli::Command::Rules(cli::RulesCommand::Secrets(a)) => secrets::list_rules(a),
        cli::Command::Rules(cli::RulesCommand::Code(a)) => code::list_rules(a),
        cli::Command::Rules(cli::RulesCommand::Iac(a)) => iac::list_rules(a),
        cli::Command::Rules(cli::RulesCommand::Test(a)) => code::test_rules(a),
        cli::Command::Db(cli::DbCommand::Import(a)) => deps::db_import(a, &data_dir()?),
        cli::Command::Db(cli::DbCommand::Update(a)) => deps::db_update(a, &data_dir()?),
        cli::Command::Db(cli::DbCommand::Status(a)) => deps::db_status(a, &data_dir()?),
        cli::Command::Sbom(a) => deps::sbom(a, &data_dir()?),
        cli::Command::Gate(a) => gate::run(a, &data_dir()?),
        cli::Command::Init(a) => init::run(a),
        cli::Command::Hook(cli::HookCommand::Install(a)) => hook::install(a),
        cli::Command::Serve(a) => serve::run(a, &data_dir()?),
        cli::Command::Admin(cli::AdminCommand::CreateUser(a)) => {
            admin::create_user(a, &data_dir()?)
        }
        cli::Command::Admin(cli::AdminCommand::CreateToken(a)) => {
            admin::create_token(a, &data_dir()?)
        }
        cli::Command::Audit(cli::AuditCommand::Verify(a)) => audit::verify(a, &data_dir()?),
        cli::Command::Audit(cli::AuditCommand::Export(a)) => audit::export(a, &data_dir()?),
    }
}

fn init_logging(verbose: u8, quiet: bool) {
    use tracing_subscriber::EnvFilter;
    let default = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, _) => "debug",
    };
    let filter =
        EnvFilter::try_from_env("GATEHOUSE_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .without_time()
        .with_target(false)
        .try_init();
}
