//! The gate's `summary` format: compact text for a CI log.
//!
//! ```text
//! BLOCKED  stage merge-request: 2 of 12 findings block (4.25 s)
//!
//! scanner       critical  high  medium  low  info  blocking
//! secrets              2     1       1    1     0         2
//! total                2     1       1    1     0         2
//!
//! Blocking findings (2):
//!   CRITICAL  aws-access-key-id  deploy/.env:3  AWS access key ID (commit 1a2b3c4d)
//!
//! Not blocking (10): 4 below threshold, 3 not new (baseline), 2 by exception (EXC-1: 2)
//! Expired exceptions (no longer apply):
//!   EXC-2  expired 2026-01-31  gatehouse.toml:12  1 finding would have matched
//! ```
//!
//! Everything taken from the report goes through [`terminal_safe`].

use std::fmt::Write as _;

use gatehouse_core::{ExceptionState, GateReport, Severity, Verdict};

use crate::gate::{
    exception_count, incomplete_parts, verdict_label, waiver_counts, ScanCounts, WaiverClass,
};
use crate::table::{pad, severity_color, trim_line_end, Painter};
use crate::text::{
    human_duration, location_label, plural, short_commit, terminal_safe, thousands, truncate_chars,
};
use crate::RenderOptions;

/// Blocking findings listed one per line; past this, a count.
const MAX_BLOCKING_LINES: usize = 50;
/// Rule ids longer than this do not widen the rule column for everyone else.
const MAX_RULE_WIDTH: usize = 40;
/// Titles and messages are cut to this many characters.
const MAX_TEXT: usize = 120;

const RED: &str = "\x1b[1;31m";
const GREEN: &str = "\x1b[1;32m";
const YELLOW: &str = "\x1b[1;33m";

pub fn render(report: &GateReport, opts: &RenderOptions) -> String {
    let painter = Painter { color: opts.color };
    let mut out = String::new();
    verdict_line(&mut out, report, &painter);
    if !report.scans.is_empty() {
        out.push('\n');
        counts_table(&mut out, report);
    }
    blocking(&mut out, report, &painter);
    not_blocking(&mut out, report);
    exceptions(&mut out, report, &painter);
    problems(&mut out, report, &painter);
    out
}

fn verdict_line(out: &mut String, report: &GateReport, painter: &Painter) {
    let color = match report.verdict {
        Verdict::Pass => GREEN,
        Verdict::Blocked => RED,
        Verdict::Incomplete => YELLOW,
    };
    painter.paint(out, color, verdict_label(report));
    let _ = write!(out, "  stage {}: ", terminal_safe(&report.stage));
    let total = report.total() as u64;
    let blocking = report.blocking() as u64;
    let incomplete = incomplete_parts(report);
    if blocking > 0 {
        let _ = write!(
            out,
            "{} of {} block",
            thousands(blocking),
            plural(total, "finding", "findings")
        );
    } else if total > 0 {
        let _ = write!(out, "{}, none blocks", plural(total, "finding", "findings"));
    } else {
        out.push_str("no findings");
    }
    if !incomplete.is_empty() {
        let what = if blocking > 0 {
            "also incomplete"
        } else {
            "not clean, incomplete"
        };
        let _ = write!(out, "; {what}: {}", incomplete.join(", "));
    }
    let _ = writeln!(out, " ({})", human_duration(report.duration_ms));
}

fn counts_table(out: &mut String, report: &GateReport) {
    const HEADERS: [&str; 7] = [
        "scanner", "critical", "high", "medium", "low", "info", "blocking",
    ];
    let mut rows: Vec<(String, ScanCounts)> = Vec::new();
    let mut total = ScanCounts::zero();
    for scan in &report.scans {
        let counts = ScanCounts::of(scan);
        total.add(&counts);
        rows.push((scan.scanner.as_str().to_string(), counts));
    }
    if rows.len() > 1 {
        rows.push(("total".to_string(), total));
    }
    let cells: Vec<[String; 7]> = rows
        .iter()
        .map(|(name, c)| {
            let n = |i: usize| thousands(c.by_severity[i] as u64);
            [
                name.clone(),
                n(0),
                n(1),
                n(2),
                n(3),
                n(4),
                thousands(c.blocking as u64),
            ]
        })
        .collect();
    let mut widths = HEADERS.map(str::len);
    for row in &cells {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |out: &mut String, row: &[&str]| {
        for (i, cell) in row.iter().enumerate() {
            let n = cell.chars().count();
            if i == 0 {
                out.push_str(cell);
                pad(out, n, widths[0] + 2);
            } else {
                if i > 1 {
                    out.push_str("  ");
                }
                out.extend(std::iter::repeat_n(' ', widths[i].saturating_sub(n)));
                out.push_str(cell);
            }
        }
        out.push('\n');
    };
    line(out, &HEADERS);
    for row in &cells {
        let refs: Vec<&str> = row.iter().map(String::as_str).collect();
        line(out, &refs);
    }
}

fn blocking(out: &mut String, report: &GateReport, painter: &Painter) {
    let blocking = report.blocking();
    if blocking == 0 {
        return;
    }
    let findings: Vec<_> = report
        .scans
        .iter()
        .flat_map(|s| s.findings())
        .filter(|(_, d)| d.blocks())
        .map(|(f, _)| f)
        .collect();
    let rule_width = findings
        .iter()
        .map(|f| terminal_safe(&f.rule_id).chars().count())
        .filter(|&n| n <= MAX_RULE_WIDTH)
        .max()
        .unwrap_or(0);
    let _ = writeln!(out, "\nBlocking findings ({}):", thousands(blocking as u64));
    for f in findings.iter().take(MAX_BLOCKING_LINES) {
        out.push_str("  ");
        let label = f.severity.as_str().to_ascii_uppercase();
        painter.paint(out, severity_color(f.severity), &label);
        pad(out, label.len(), severity_width());
        let rule = terminal_safe(&f.rule_id);
        out.push_str(&rule);
        pad(out, rule.chars().count(), rule_width + 2);
        out.push_str(&terminal_safe(&location_label(&f.location)));
        out.push_str("  ");
        out.push_str(&terminal_safe(&truncate_chars(&f.title, MAX_TEXT)));
        if let Some(c) = &f.location.commit {
            let _ = write!(out, " (commit {})", terminal_safe(short_commit(&c.id, 8)));
        }
        trim_line_end(out);
        out.push('\n');
    }
    if findings.len() > MAX_BLOCKING_LINES {
        let _ = writeln!(
            out,
            "  … and {} more (the json and sarif formats list them all)",
            thousands((findings.len() - MAX_BLOCKING_LINES) as u64)
        );
    }
}

/// `CRITICAL` and two spaces.
fn severity_width() -> usize {
    Severity::ALL
        .iter()
        .map(|s| s.as_str().len())
        .max()
        .unwrap_or(8)
        + 2
}

fn not_blocking(out: &mut String, report: &GateReport) {
    let counts = waiver_counts(report);
    let passing: usize = counts.values().sum();
    if passing == 0 {
        return;
    }
    let mut parts = Vec::new();
    let mut exceptions = Vec::new();
    for (class, n) in &counts {
        let n = thousands(*n as u64);
        match class {
            WaiverClass::BelowThreshold => parts.push(format!("{n} below threshold")),
            WaiverClass::NotNew(basis) => parts.push(format!("{n} not new ({basis})")),
            WaiverClass::Exception(id) => exceptions.push(format!("{}: {n}", terminal_safe(id))),
        }
    }
    if !exceptions.is_empty() {
        let n: usize = counts
            .iter()
            .filter(|(c, _)| matches!(c, WaiverClass::Exception(_)))
            .map(|(_, n)| n)
            .sum();
        parts.push(format!(
            "{} by exception ({})",
            thousands(n as u64),
            exceptions.join(", ")
        ));
    }
    let _ = writeln!(
        out,
        "\nNot blocking ({}): {}",
        thousands(passing as u64),
        parts.join(", ")
    );
}

fn exceptions(out: &mut String, report: &GateReport, painter: &Painter) {
    let expired: Vec<_> = report
        .exceptions
        .iter()
        .filter(|e| matches!(e.state, ExceptionState::Expired { .. }))
        .collect();
    let unused: Vec<_> = report
        .exceptions
        .iter()
        .filter(|e| e.state == ExceptionState::Unused)
        .collect();
    if !expired.is_empty() || !unused.is_empty() {
        out.push('\n');
    }
    if !expired.is_empty() {
        painter.paint(
            out,
            YELLOW,
            "Expired exceptions (they no longer apply; what they matched is judged without them):",
        );
        out.push('\n');
        for e in expired {
            let n = exception_count(&e.state).unwrap_or(0);
            let _ = writeln!(
                out,
                "  {}  expired {}  {}  {} would have matched  (approved by {}: {})",
                terminal_safe(&e.id),
                terminal_safe(&e.expires),
                terminal_safe(&e.source),
                plural(n, "finding", "findings"),
                terminal_safe(&e.approver),
                terminal_safe(&truncate_chars(&e.reason, MAX_TEXT)),
            );
        }
    }
    if !unused.is_empty() {
        out.push_str("Unused exceptions (stale: they matched nothing; remove them):\n");
        for e in unused {
            let _ = writeln!(
                out,
                "  {}  expires {}  {}",
                terminal_safe(&e.id),
                terminal_safe(&e.expires),
                terminal_safe(&e.source),
            );
        }
    }
}

fn problems(doc: &mut String, report: &GateReport, painter: &Painter) {
    let mut section = String::new();
    let out = &mut section;
    let mut warnings = 0u64;
    let mut stale = 0u64;
    for scan in &report.scans {
        let kind = scan.scanner.as_str();
        for e in &scan.report.errors {
            painter.paint(out, RED, "error");
            let _ = write!(out, " [{kind}]: ");
            if let Some(p) = &e.path {
                let _ = write!(out, "{}: ", terminal_safe(p));
            }
            out.push_str(&terminal_safe(&truncate_chars(&e.message, MAX_TEXT * 2)));
            out.push('\n');
        }
        for g in &scan.report.gaps {
            painter.paint(out, RED, "not checked");
            let _ = writeln!(
                out,
                " [{kind}]: {} {}: {}",
                thousands(g.count),
                terminal_safe(&g.scope),
                terminal_safe(&truncate_chars(&g.reason, MAX_TEXT * 2))
            );
        }
        warnings += scan.report.warnings.len() as u64;
        stale += scan.report.stale.len() as u64;
    }
    let mut notes = Vec::new();
    if warnings > 0 {
        notes.push(plural(warnings, "warning", "warnings"));
    }
    if stale > 0 {
        notes.push(plural(
            stale,
            "stale ignore or baseline entry",
            "stale ignore or baseline entries",
        ));
    }
    if !notes.is_empty() {
        let _ = writeln!(out, "{} (the json format lists them)", notes.join(", "));
    }
    if !section.is_empty() {
        doc.push('\n');
        doc.push_str(&section);
    }
}
