//! Writing reports and the one-line summaries on standard error, for every scan command.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::Context as _;
use gatehouse_core::{RuleMeta, ScanReport};
use gatehouse_report::{Format, RenderOptions};

use crate::cli::{ColorArg, FormatArg};
use crate::exit::{ExitStatus, Failure};

/// Writes a scan's report as `--format`, `--output` and `--color` ask, then, when the main
/// output is a file or machine-readable, the one-line summary on standard error.
pub fn emit(
    report: &ScanReport,
    format: Option<FormatArg>,
    output: Option<&Path>,
    color: ColorArg,
) -> Result<(), Failure> {
    let format = format_for(format, output);
    let to_terminal = output.is_none() && std::io::stdout().is_terminal();
    let color = match color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    write_report(report, format, &RenderOptions { color }, output)?;
    if format != Format::Table || output.is_some() {
        eprint_summary(report, output);
    }
    Ok(())
}

/// The format asked for, else the one `--output`'s extension implies, else the table.
pub fn format_for(arg: Option<FormatArg>, output: Option<&Path>) -> Format {
    match arg {
        Some(FormatArg::Table) => Format::Table,
        Some(FormatArg::Json) => Format::Json,
        Some(FormatArg::Sarif) => Format::Sarif,
        Some(FormatArg::Junit) => Format::Junit,
        None => {
            let name = output
                .and_then(|p| p.file_name())
                .map(|n| n.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            if name.ends_with(".sarif") || name.ends_with(".sarif.json") {
                Format::Sarif
            } else if name.ends_with(".json") {
                Format::Json
            } else if name.ends_with(".xml") {
                Format::Junit
            } else {
                Format::Table
            }
        }
    }
}

/// Prints rule metadata: pretty JSON, or one line per rule: the id, the columns `columns` gives
/// (padded to a common width), the title.
pub fn print_rules(
    metas: &[RuleMeta],
    json: bool,
    columns: impl Fn(&RuleMeta) -> String,
) -> Result<ExitStatus, Failure> {
    let mut out = std::io::stdout().lock();
    let res = if json {
        serde_json::to_writer_pretty(&mut out, metas)
            .map_err(std::io::Error::other)
            .and_then(|_| writeln!(out))
    } else {
        let rows: Vec<(&RuleMeta, String)> = metas.iter().map(|m| (m, columns(m))).collect();
        let id_width = metas.iter().map(|m| m.id.len()).max().unwrap_or(0);
        let col_width = rows.iter().map(|(_, c)| c.len()).max().unwrap_or(0);
        rows.iter().try_for_each(|(m, c)| {
            writeln!(out, "{:<id_width$}  {c:<col_width$}  {}", m.id, m.title)
        })
    };
    match res {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::runtime(e)),
        _ => Ok(ExitStatus::Pass),
    }
}

/// Renders `report` to `output` (a file) or standard output.
pub fn write_report(
    report: &ScanReport,
    format: Format,
    opts: &RenderOptions,
    output: Option<&Path>,
) -> Result<(), Failure> {
    match output {
        Some(path) => {
            let write = || -> anyhow::Result<()> {
                let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
                gatehouse_report::render(report, format, opts, &mut f)?;
                f.flush()?;
                Ok(())
            };
            write()
                .with_context(|| format!("writing {}", path.display()))
                .map_err(Failure::runtime)
        }
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            match gatehouse_report::render(report, format, opts, &mut lock) {
                Ok(()) => Ok(()),
                // A closed pipe (`| head`) is not an error worth a message.
                Err(gatehouse_report::RenderError::Io(e))
                    if e.kind() == std::io::ErrorKind::BrokenPipe =>
                {
                    Ok(())
                }
                Err(e) => Err(Failure::runtime(e)),
            }
        }
    }
}

/// One line on standard error for runs whose main output is a file or machine-readable.
pub fn eprint_summary(report: &ScanReport, output: Option<&Path>) {
    let counts: Vec<String> = report
        .severity_counts()
        .iter()
        .map(|(s, n)| format!("{n} {s}"))
        .collect();
    let findings = if counts.is_empty() {
        "no findings".to_string()
    } else {
        format!("{} findings ({})", report.findings.len(), counts.join(", "))
    };
    let mut line = format!("gatehouse: {findings} in {} files", report.stats.scanned);
    if let Some(p) = output {
        line.push_str(&format!("; report written to {}", p.display()));
    }
    eprintln!("{line}");
    eprint_problems(report);
}

/// Every error and stale entry of a report, one line each on standard error.
pub fn eprint_problems(report: &ScanReport) {
    for e in &report.errors {
        match &e.path {
            Some(p) => eprintln!("gatehouse: error: {p}: {}", e.message),
            None => eprintln!("gatehouse: error: {}", e.message),
        }
    }
    for g in &report.gaps {
        eprintln!(
            "gatehouse: not checked: {} {}: {}",
            g.count, g.scope, g.reason
        );
    }
    for w in &report.warnings {
        match (&w.path, w.line) {
            (Some(p), Some(l)) => eprintln!("gatehouse: warning: {p}:{l}: {}", w.message),
            (Some(p), None) => eprintln!("gatehouse: warning: {p}: {}", w.message),
            _ => eprintln!("gatehouse: warning: {}", w.message),
        }
    }
    for s in &report.stale {
        let at = s.line.map(|l| format!(":{l}")).unwrap_or_default();
        eprintln!(
            "gatehouse: warning: stale entry in {}{at}: {}",
            s.source, s.entry
        );
    }
}

/// Writes a rule-driven scan's report as its arguments ask and gives the exit status: findings
/// at or above `--fail-on`, else any file that could not be read or parsed.
pub fn finish(report: &ScanReport, a: &crate::cli::RuleScanArgs) -> Result<ExitStatus, Failure> {
    emit(report, a.format, a.output.as_deref(), a.color)?;
    Ok(ExitStatus::of_scan(
        report.count_at_least(a.fail_on),
        report.errors.len(),
    ))
}
