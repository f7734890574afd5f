//! `scan secrets`, `baseline create`, `rules secrets`: wiring of the secrets crate to reports.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use gatehouse_core::ScanReport;
use gatehouse_secrets::{Baseline, HistoryScope, RuleSources, ScanOptions, Scanner, SetupError};

use crate::cli::{BaselineCreateArgs, RulesArgs, SecretsArgs, SourceArgs};
use crate::exit::{ExitStatus, Failure};

fn setup_failure(e: SetupError) -> Failure {
    match e {
        SetupError::Rules(_) | SetupError::Config { .. } | SetupError::Read { .. } => {
            Failure::usage(e)
        }
        SetupError::Git(_) => Failure::runtime(e),
    }
}

fn load_rules(configs: &[PathBuf]) -> Result<RuleSources, Failure> {
    let mut sources = RuleSources::builtin().map_err(Failure::runtime)?;
    for c in configs {
        sources.add_file(c).map_err(Failure::usage)?;
    }
    Ok(sources)
}

/// Runs the scan `src` describes. `show_secrets` and the progress bar come from the caller.
fn run_scan(src: &SourceArgs, show_secrets: bool, progress: bool) -> Result<ScanReport, Failure> {
    let sources = load_rules(&src.configs)?;
    let opts = ScanOptions {
        max_file_size: src.max_file_size,
        no_ignore: src.no_ignore,
        show_secrets,
        follow_links: src.follow,
        threads: src.threads,
    };
    let scanner = Scanner::new(&sources, opts).map_err(Failure::usage)?;
    let baseline = match &src.baseline {
        Some(p) => Some(gatehouse_secrets::load_baseline(p).map_err(setup_failure)?),
        None => None,
    };
    let bar = progress.then(progress_bar).flatten();
    let tick = |n: u64| {
        if let Some(b) = &bar {
            b.inc(n);
        }
    };
    let stdin = src.paths.len() == 1 && src.paths[0] == Path::new("-");
    if src.paths.iter().any(|p| p == Path::new("-")) && !stdin {
        return Err(Failure::usage(anyhow::anyhow!(
            "`-` (standard input) cannot be combined with other paths"
        )));
    }
    let report = if stdin {
        if src.git || src.staged || src.since.is_some() {
            return Err(Failure::usage(anyhow::anyhow!(
                "--git, --since and --staged read a repository, not standard input"
            )));
        }
        let mut data = Vec::new();
        std::io::stdin()
            .lock()
            .take(src.max_file_size.saturating_add(1))
            .read_to_end(&mut data)
            .context("reading standard input")
            .map_err(Failure::runtime)?;
        if data.len() as u64 > src.max_file_size {
            return Err(Failure::runtime(anyhow::anyhow!(
                "standard input is larger than --max-file-size ({} bytes)",
                src.max_file_size
            )));
        }
        scanner.scan_bytes("-", &data, baseline.as_ref())
    } else if src.git || src.staged || src.since.is_some() {
        let repo = match src.paths.as_slice() {
            [] => PathBuf::from("."),
            [one] => one.clone(),
            _ => {
                return Err(Failure::usage(anyhow::anyhow!(
                    "history scans take one repository path"
                )))
            }
        };
        let scope = if src.staged {
            HistoryScope::Staged
        } else if let Some(rev) = &src.since {
            HistoryScope::Since(rev.clone())
        } else {
            HistoryScope::All
        };
        scanner
            .scan_git(&repo, &scope, baseline.as_ref(), &tick)
            .map_err(setup_failure)?
    } else {
        let paths = if src.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            src.paths.clone()
        };
        scanner
            .scan_paths(&paths, baseline.as_ref(), &tick)
            .map_err(setup_failure)?
    };
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(report)
}

fn progress_bar() -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} scanning: {bytes} read ({bytes_per_sec}), {elapsed}",
        )
        .ok()?,
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    Some(bar)
}

/// The secret scan `gatehouse gate` runs: the working tree under `[secrets] paths`, on
/// `threads` workers (0: one per CPU).
pub fn gate_scan(
    config: &gatehouse_policy::config::SecretsConfig,
    threads: usize,
) -> Result<ScanReport, Failure> {
    let sources = load_rules(&config.rules)?;
    let opts = ScanOptions {
        max_file_size: config
            .max_file_size
            .unwrap_or(ScanOptions::default().max_file_size),
        threads,
        ..ScanOptions::default()
    };
    let scanner = Scanner::new(&sources, opts).map_err(Failure::usage)?;
    scanner
        .scan_paths(&config.paths, None, &|_| {})
        .map_err(setup_failure)
}

pub fn scan(a: SecretsArgs) -> Result<ExitStatus, Failure> {
    let report = run_scan(&a.source, a.show_secrets, !a.no_progress)?;
    crate::output::emit(&report, a.format, a.output.as_deref(), a.color)?;
    Ok(ExitStatus::of_scan(
        report.count_at_least(a.fail_on),
        report.errors.len(),
    ))
}

pub fn baseline_create(a: BaselineCreateArgs) -> Result<ExitStatus, Failure> {
    if a.source.baseline.is_some() {
        return Err(Failure::usage(anyhow::anyhow!(
            "`baseline create` records every finding; it does not take --baseline"
        )));
    }
    let report = run_scan(&a.source, false, std::io::stderr().is_terminal())?;
    let text = Baseline::render(&report.findings, env!("CARGO_PKG_VERSION"));
    std::fs::write(&a.output, text)
        .with_context(|| format!("writing {}", a.output.display()))
        .map_err(Failure::runtime)?;
    eprintln!(
        "gatehouse: baseline of {} findings written to {}",
        report.findings.len(),
        a.output.display()
    );
    crate::output::eprint_problems(&report);
    // A baseline made from an incomplete scan would hide what was not read.
    Ok(if report.errors.is_empty() {
        ExitStatus::Pass
    } else {
        ExitStatus::Runtime
    })
}

pub fn list_rules(a: RulesArgs) -> Result<ExitStatus, Failure> {
    let sources = load_rules(&a.configs)?;
    let scanner = Scanner::new(&sources, ScanOptions::default()).map_err(Failure::usage)?;
    let metas: Vec<_> = scanner.engine().rule_metas().cloned().collect();
    crate::output::print_rules(&metas, a.json, |m| format!("{:<8}", m.severity.as_str()))
}
