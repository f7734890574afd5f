//! `scan iac`, `rules iac`: wiring of the infrastructure-as-code scanner to reports.

use std::path::PathBuf;

use gatehouse_core::ScanReport;
use gatehouse_iac::{CheckError, CheckSet, ScanOptions, Scanner};

use crate::cli::{CodeRulesArgs, IacArgs};
use crate::exit::{ExitStatus, Failure};

/// Every check-file error on its own line, then one failure (exit 2) that counts them.
fn check_errors(errors: Vec<CheckError>) -> Failure {
    for e in &errors {
        eprintln!("gatehouse: error: {e}");
    }
    Failure::usage(anyhow::anyhow!(
        "{} error{} in check files; no scan was run",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" },
    ))
}

/// `builtin` and check files or directories; none means the built-in checks.
fn load(values: &[String], source: &str) -> Result<CheckSet, Failure> {
    let builtin = values.is_empty() || values.iter().any(|v| v == "builtin");
    let paths: Vec<PathBuf> = values
        .iter()
        .filter(|v| *v != "builtin")
        .map(PathBuf::from)
        .collect();
    let checks = CheckSet::load(builtin, &paths).map_err(check_errors)?;
    if checks.is_empty() {
        return Err(Failure::usage(anyhow::anyhow!(
            "no checks to run (the {source} hold no checks)"
        )));
    }
    Ok(checks)
}

/// The IaC scan `gatehouse gate` runs, as `[iac]` configures it, on `threads` workers
/// (0: one per CPU).
pub fn gate_scan(
    config: &gatehouse_policy::config::IacConfig,
    threads: usize,
) -> Result<ScanReport, Failure> {
    use gatehouse_policy::config::RulePack;
    let values: Vec<String> = config
        .rules
        .iter()
        .map(|r| match r {
            RulePack::Builtin => "builtin".to_string(),
            RulePack::Path(p) => p.display().to_string(),
        })
        .collect();
    let checks = load(&values, "[iac] rules")?;
    let mut opts = ScanOptions {
        threads,
        ..ScanOptions::default()
    };
    if let Some(max) = config.max_file_size {
        opts.max_file_size = max;
    }
    Ok(Scanner::new(checks, opts).scan_paths(&config.paths))
}

pub fn scan(a: IacArgs) -> Result<ExitStatus, Failure> {
    let checks = load(&a.scan.configs, "--config paths")?;
    let opts = ScanOptions {
        max_file_size: a.max_file_size,
        no_ignore: a.scan.no_ignore,
        follow_links: a.scan.follow,
        threads: a.scan.threads,
    };
    let report = Scanner::new(checks, opts).scan_paths(&a.scan.roots());
    crate::output::finish(&report, &a.scan)
}

pub fn list_rules(a: CodeRulesArgs) -> Result<ExitStatus, Failure> {
    let checks = load(&a.configs, "--config paths")?;
    let metas: Vec<_> = checks.checks().iter().map(|c| c.meta()).collect();
    crate::output::print_rules(&metas, a.json, |m| {
        format!("{:<8}  {}", m.severity.as_str(), m.cwe.join(","))
    })
}
