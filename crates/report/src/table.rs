//! The terminal format: one short block per finding, then a summary.
//!
//! ```text
//! HIGH      github-personal-access-token  GitHub personal access token
//!           src/config.py:12:9  ghp_ab…(40)
//!           commit 1a2b3c4d (Ada Lovelace <ada@x.org>, 2024-05-01)
//! ```
//!
//! Everything taken from a finding goes through [`terminal_safe`], so a file name or message cannot
//! smuggle escape sequences into the user's terminal.

use std::fmt::Write as _;

use gatehouse_core::{Finding, ScanReport, Severity, SkipReason};

use crate::text::{
    commit_label, human_bytes, human_duration, location_label, plural, terminal_safe, thousands,
    truncate_chars,
};
use crate::RenderOptions;

/// Width of the severity column: `CRITICAL` and two spaces.
const SEVERITY_WIDTH: usize = 10;
/// Rule ids longer than this do not widen the rule column for everyone else.
const MAX_RULE_WIDTH: usize = 40;
/// Messages are cut to this many characters; the JSON and SARIF formats carry them whole.
const MAX_DETAIL_CHARS: usize = 200;

const RESET: &str = "\x1b[0m";

pub(crate) fn severity_color(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "\x1b[1;31m",
        Severity::High => "\x1b[31m",
        Severity::Medium => "\x1b[33m",
        Severity::Low => "\x1b[36m",
        Severity::Info => "\x1b[2m",
    }
}

/// Wraps text in ANSI colour codes when colour is on.
pub(crate) struct Painter {
    pub color: bool,
}

impl Painter {
    pub(crate) fn paint(&self, out: &mut String, code: &str, text: &str) {
        if self.color {
            out.push_str(code);
            out.push_str(text);
            out.push_str(RESET);
        } else {
            out.push_str(text);
        }
    }
}

pub fn render(report: &ScanReport, opts: &RenderOptions) -> String {
    let painter = Painter { color: opts.color };
    let rule_width = report
        .findings
        .iter()
        .map(|f| terminal_safe(&f.rule_id).chars().count())
        .filter(|&n| n <= MAX_RULE_WIDTH)
        .max()
        .unwrap_or(0);

    let mut out = String::new();
    for (i, f) in report.findings.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        finding_block(&mut out, f, rule_width, &painter);
    }
    if !report.findings.is_empty() {
        out.push('\n');
    }
    summary(&mut out, report, &painter);
    out
}

fn finding_block(out: &mut String, f: &Finding, rule_width: usize, painter: &Painter) {
    let indent = " ".repeat(SEVERITY_WIDTH);
    let label = f.severity.as_str().to_ascii_uppercase();
    painter.paint(out, severity_color(f.severity), &label);
    pad(out, label.len(), SEVERITY_WIDTH);

    let rule = terminal_safe(&f.rule_id);
    out.push_str(&rule);
    pad(out, rule.chars().count(), rule_width + 2);
    out.push_str(&terminal_safe(&truncate_chars(&f.title, MAX_DETAIL_CHARS)));
    trim_line_end(out);
    out.push('\n');

    out.push_str(&indent);
    out.push_str(&terminal_safe(&location_label(&f.location)));
    if let Some(detail) = detail(f) {
        out.push_str("  ");
        out.push_str(&terminal_safe(&truncate_chars(&detail, MAX_DETAIL_CHARS)));
    }
    trim_line_end(out);
    out.push('\n');

    if let Some(c) = &f.location.commit {
        out.push_str(&indent);
        out.push_str("commit ");
        out.push_str(&terminal_safe(&commit_label(c)));
        out.push('\n');
    }
}

/// What follows the location: the secret (masked, unless the scanner was told to keep it plain);
/// otherwise the message when it says more than the title, and the fix unless the message has it.
fn detail(f: &Finding) -> Option<String> {
    if let Some(s) = &f.evidence.secret {
        return Some(s.plain.clone().unwrap_or_else(|| s.masked.clone()));
    }
    let mut parts = Vec::new();
    if !f.message.trim().is_empty() && f.message != f.title {
        parts.push(f.message.clone());
    }
    if let Some(fix) = f.fix.as_deref().filter(|fix| !f.message.contains(fix)) {
        parts.push(format!("fix: {fix}"));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

pub(crate) fn pad(out: &mut String, used: usize, width: usize) {
    let n = if used < width { width - used } else { 2 };
    out.extend(std::iter::repeat_n(' ', n));
}

pub(crate) fn trim_line_end(out: &mut String) {
    let keep = out.trim_end_matches(' ').len();
    out.truncate(keep);
}

fn summary(out: &mut String, report: &ScanReport, painter: &Painter) {
    let counts = report.severity_counts();
    if report.findings.is_empty() {
        let mut incomplete = Vec::new();
        if !report.errors.is_empty() {
            incomplete.push(plural(report.errors.len() as u64, "error", "errors"));
        }
        if !report.gaps.is_empty() {
            let n: u64 = report.gaps.iter().map(|g| g.count).sum();
            incomplete.push(format!("{} not checked", thousands(n)));
        }
        if incomplete.is_empty() {
            out.push_str("No findings.\n");
        } else {
            let _ = writeln!(
                out,
                "No findings, but the scan is incomplete: {}.",
                incomplete.join(", ")
            );
        }
    } else {
        let parts: Vec<String> = counts
            .iter()
            .map(|(s, n)| format!("{} {}", thousands(*n as u64), s.as_str()))
            .collect();
        let _ = writeln!(
            out,
            "{}: {}",
            plural(report.findings.len() as u64, "finding", "findings"),
            parts.join(", ")
        );
    }

    let stats = &report.stats;
    let _ = write!(
        out,
        "Scanned {} ({})",
        plural(stats.scanned, "file", "files"),
        human_bytes(stats.bytes)
    );
    if let Some(commits) = stats.commits {
        let _ = write!(out, " in {}", plural(commits, "commit", "commits"));
    }
    if let Some(packages) = stats.packages {
        let _ = write!(out, ", {}", plural(packages, "package", "packages"));
    }
    if let Some(lines) = stats.lines {
        let _ = write!(out, ", {}", plural(lines, "line", "lines"));
    }
    let _ = writeln!(out, " in {}", human_duration(stats.duration_ms));
    let parse_errors: Vec<String> = stats
        .parse_errors
        .iter()
        .filter(|(_, e)| e.files > 0)
        .map(|(lang, e)| {
            format!(
                "{lang} {} ({})",
                plural(e.files, "file", "files"),
                plural(e.errors, "error", "errors")
            )
        })
        .collect();
    if !parse_errors.is_empty() {
        let _ = writeln!(
            out,
            "Syntax errors (rules ran on the rest of each file): {}",
            terminal_safe(&parse_errors.join(", "))
        );
    }

    let skipped: Vec<String> = stats
        .skipped
        .iter()
        .filter(|(_, &n)| n > 0)
        .map(|(&reason, &n)| {
            let what = match reason {
                SkipReason::Binary => "binary",
                SkipReason::TooLarge => "too large",
                SkipReason::Symlink if n == 1 => "symbolic link",
                SkipReason::Symlink => "symbolic links",
                SkipReason::Ignored => "ignored",
            };
            format!("{} {what}", thousands(n))
        })
        .collect();
    if !skipped.is_empty() {
        let _ = writeln!(out, "Skipped: {}", skipped.join(", "));
    }
    if stats.suppressed > 0 {
        let _ = writeln!(out, "Suppressed: {}", thousands(stats.suppressed));
    }

    for e in &report.errors {
        painter.paint(out, "\x1b[1;31m", "error");
        out.push_str(": ");
        if let Some(p) = &e.path {
            out.push_str(&terminal_safe(p));
            out.push_str(": ");
        }
        out.push_str(&terminal_safe(&e.message));
        out.push('\n');
    }
    for g in &report.gaps {
        painter.paint(out, "\x1b[1;31m", "not checked");
        let _ = writeln!(
            out,
            ": {} {}: {}",
            thousands(g.count),
            terminal_safe(&g.scope),
            terminal_safe(&g.reason)
        );
    }
    for w in &report.warnings {
        painter.paint(out, "\x1b[1;33m", "warning");
        out.push_str(": ");
        if let Some(p) = &w.path {
            out.push_str(&terminal_safe(p));
            if let Some(l) = w.line {
                let _ = write!(out, ":{l}");
            }
            out.push_str(": ");
        }
        out.push_str(&terminal_safe(&w.message));
        out.push('\n');
    }
    for s in &report.stale {
        painter.paint(out, "\x1b[1;33m", "warning");
        out.push_str(": stale entry in ");
        out.push_str(&terminal_safe(&s.source));
        if let Some(l) = s.line {
            let _ = write!(out, ":{l}");
        }
        out.push_str(": ");
        out.push_str(&terminal_safe(&s.entry));
        out.push('\n');
    }
}
