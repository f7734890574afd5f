//! The `gatehouse` binary: argument parsing and wiring, nothing more.

mod cli;
mod exit;
mod secrets;
mod size;

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
    match args.command {
        cli::Command::Scan(cli::ScanCommand::Secrets(a)) => secrets::scan(a),
        cli::Command::Baseline(cli::BaselineCommand::Create(a)) => secrets::baseline_create(a),
        cli::Command::Rules(cli::RulesCommand::Secrets(a)) => secrets::list_rules(a),
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
