//! Renderers for the result of `gatehouse gate`: a [`GateReport`] in, one document out.
//!
//! | [`GateFormat`] | for | default file |
//! |---|---|---|
//! | `summary` | the CI log | `gatehouse-summary.txt` |
//! | `json` | scripts, the platform | `gatehouse-gate.json` |
//! | `sarif` | GitHub code scanning | `gatehouse.sarif` |
//! | `junit` | Jenkins, GitLab test reports | `gatehouse-junit.xml` |
//! | `markdown` | a merge-request comment | `gatehouse-summary.md` |
//! | `gitlab-sast`, `gitlab-secret-detection`, `gitlab-dependency-scanning` | GitLab's security widgets | `gl-*-report.json` |
//!
//! What this module holds is what every gate format shares: the format names, the check that a
//! report is consistent, and the words for why a finding does or does not block.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use gatehouse_core::{
    Decision, ExceptionState, Finding, GateContext, GateReport, GateScan, NewCodeBasis, Severity,
    Waiver,
};

use crate::{RenderError, RenderOptions};

/// An output format of `gatehouse gate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GateFormat {
    /// Compact text for a CI log.
    Summary,
    /// The gate report as JSON, `schema_version` 1.
    Json,
    /// SARIF 2.1.0, one run per scanner.
    Sarif,
    /// JUnit XML: blocking findings fail, the others are skipped.
    Junit,
    /// A merge-request comment.
    Markdown,
    /// GitLab SAST report (the code scanner's findings).
    GitlabSast,
    /// GitLab secret detection report (the secret scanner's findings).
    GitlabSecretDetection,
    /// GitLab dependency scanning report (the dependency scanner's findings).
    GitlabDependencyScanning,
}

impl GateFormat {
    /// Every format, in the order help texts list them.
    pub const ALL: [GateFormat; 8] = [
        GateFormat::Summary,
        GateFormat::Json,
        GateFormat::Sarif,
        GateFormat::Junit,
        GateFormat::Markdown,
        GateFormat::GitlabSast,
        GateFormat::GitlabSecretDetection,
        GateFormat::GitlabDependencyScanning,
    ];

    /// The name used on the command line and in configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            GateFormat::Summary => "summary",
            GateFormat::Json => "json",
            GateFormat::Sarif => "sarif",
            GateFormat::Junit => "junit",
            GateFormat::Markdown => "markdown",
            GateFormat::GitlabSast => "gitlab-sast",
            GateFormat::GitlabSecretDetection => "gitlab-secret-detection",
            GateFormat::GitlabDependencyScanning => "gitlab-dependency-scanning",
        }
    }

    /// The file name CI systems expect (GitLab's `artifacts:reports` names), or Gatehouse's own.
    pub fn default_file_name(self) -> &'static str {
        match self {
            GateFormat::Summary => "gatehouse-summary.txt",
            GateFormat::Json => "gatehouse-gate.json",
            GateFormat::Sarif => "gatehouse.sarif",
            GateFormat::Junit => "gatehouse-junit.xml",
            GateFormat::Markdown => "gatehouse-summary.md",
            GateFormat::GitlabSast => "gl-sast-report.json",
            GateFormat::GitlabSecretDetection => "gl-secret-detection-report.json",
            GateFormat::GitlabDependencyScanning => "gl-dependency-scanning-report.json",
        }
    }
}

impl fmt::Display for GateFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A gate format name that is not one of the known ones.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown gate output format `{0}` (expected one of: summary, json, sarif, junit, markdown, \
     gitlab-sast, gitlab-secret-detection, gitlab-dependency-scanning)"
)]
pub struct ParseGateFormatError(pub String);

impl FromStr for GateFormat {
    type Err = ParseGateFormatError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        GateFormat::ALL
            .into_iter()
            .find(|f| f.as_str() == wanted)
            .ok_or_else(|| ParseGateFormatError(s.to_string()))
    }
}

/// Renders the result of a gate run in `format`.
///
/// `report` is expected as the policy crate builds it: each scan's findings sorted, with one
/// decision per finding in the same order. A scan whose decisions do not pair up with its findings
/// is an error ([`RenderError::GateDecisions`]), never a silently shortened document.
pub fn render_gate(
    report: &GateReport,
    format: GateFormat,
    opts: &RenderOptions,
) -> Result<String, RenderError> {
    check(report)?;
    match format {
        GateFormat::Summary => Ok(crate::summary::render(report, opts)),
        GateFormat::Json => crate::json::render_gate(report),
        GateFormat::Sarif => crate::sarif::render_gate(report),
        GateFormat::Junit => Ok(crate::junit::render_gate(report)),
        GateFormat::Markdown => Ok(crate::markdown::render(report)),
        GateFormat::GitlabSast => crate::gitlab::render(report, crate::gitlab::Kind::Sast),
        GateFormat::GitlabSecretDetection => {
            crate::gitlab::render(report, crate::gitlab::Kind::SecretDetection)
        }
        GateFormat::GitlabDependencyScanning => {
            crate::gitlab::render(report, crate::gitlab::Kind::DependencyScanning)
        }
    }
}

fn check(report: &GateReport) -> Result<(), RenderError> {
    for scan in &report.scans {
        if scan.decisions.len() != scan.report.findings.len() {
            return Err(RenderError::GateDecisions {
                scanner: scan.scanner.as_str(),
                findings: scan.report.findings.len(),
                decisions: scan.decisions.len(),
            });
        }
    }
    Ok(())
}

/// The verdict as shown to people: `PASSED`, `BLOCKED`, `INCOMPLETE`.
pub(crate) fn verdict_label(report: &GateReport) -> &'static str {
    match report.verdict {
        gatehouse_core::Verdict::Pass => "PASSED",
        gatehouse_core::Verdict::Blocked => "BLOCKED",
        gatehouse_core::Verdict::Incomplete => "INCOMPLETE",
    }
}

/// Why a finding does not block, in a few words: `below threshold (low < high)`,
/// `not new (in the baseline gatehouse-baseline.json)`, `exception EXC-1: …`.
pub(crate) fn waiver_reason(waiver: &Waiver, finding: &Finding, ctx: &GateContext) -> String {
    match waiver {
        Waiver::BelowThreshold { threshold: Some(t) } => {
            format!("below threshold ({} < {})", finding.severity, t)
        }
        Waiver::BelowThreshold { threshold: None } => format!(
            "below threshold (the stage does not block on {} findings)",
            finding.scanner.as_str()
        ),
        Waiver::NotNew {
            basis: NewCodeBasis::Baseline,
        } => match &ctx.baseline {
            Some(b) => format!("not new (in the baseline {b})"),
            None => "not new (in the baseline)".to_string(),
        },
        Waiver::NotNew {
            basis: NewCodeBasis::Diff,
        } => match &ctx.diff_base {
            Some(rev) => format!("not new (unchanged since {rev})"),
            None => "not new (outside the changes)".to_string(),
        },
        Waiver::Exception {
            id,
            reason,
            approver,
            expires,
        } => format!("exception {id}: {reason} (approved by {approver}, expires {expires})"),
    }
}

/// How a decision counts in the summaries.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum WaiverClass {
    BelowThreshold,
    NotNew(&'static str),
    Exception(String),
}

impl WaiverClass {
    pub(crate) fn of(waiver: &Waiver) -> Self {
        match waiver {
            Waiver::BelowThreshold { .. } => WaiverClass::BelowThreshold,
            Waiver::NotNew {
                basis: NewCodeBasis::Baseline,
            } => WaiverClass::NotNew("baseline"),
            Waiver::NotNew {
                basis: NewCodeBasis::Diff,
            } => WaiverClass::NotNew("diff"),
            Waiver::Exception { id, .. } => WaiverClass::Exception(id.clone()),
        }
    }
}

/// Non-blocking findings counted by why they pass: below threshold, not new (by basis), and per
/// exception id; in that order.
pub(crate) fn waiver_counts(report: &GateReport) -> BTreeMap<WaiverClass, usize> {
    let mut counts = BTreeMap::new();
    for scan in &report.scans {
        for d in &scan.decisions {
            if let Decision::Passes { waiver } = d {
                *counts.entry(WaiverClass::of(waiver)).or_insert(0) += 1;
            }
        }
    }
    counts
}

/// Findings of one scan per severity (most severe first) and how many of them block.
pub(crate) struct ScanCounts {
    pub by_severity: [usize; 5],
    pub blocking: usize,
}

impl ScanCounts {
    pub(crate) fn of(scan: &GateScan) -> Self {
        let mut by_severity = [0; 5];
        for f in &scan.report.findings {
            by_severity[severity_index(f.severity)] += 1;
        }
        ScanCounts {
            by_severity,
            blocking: scan.blocking(),
        }
    }

    pub(crate) fn add(&mut self, other: &ScanCounts) {
        for (a, b) in self.by_severity.iter_mut().zip(other.by_severity) {
            *a += b;
        }
        self.blocking += other.blocking;
    }

    pub(crate) fn zero() -> Self {
        ScanCounts {
            by_severity: [0; 5],
            blocking: 0,
        }
    }
}

/// The position of `s` in [`Severity::ALL`] (most severe first).
fn severity_index(s: Severity) -> usize {
    Severity::ALL.iter().position(|&x| x == s).unwrap_or(0)
}

/// Errors and coverage gaps over all scans: what makes a run incomplete.
pub(crate) fn incomplete_parts(report: &GateReport) -> Vec<String> {
    let errors: usize = report.scans.iter().map(|s| s.report.errors.len()).sum();
    let gaps: u64 = report
        .scans
        .iter()
        .flat_map(|s| &s.report.gaps)
        .map(|g| g.count)
        .fold(0u64, u64::saturating_add);
    let gap_entries: usize = report.scans.iter().map(|s| s.report.gaps.len()).sum();
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(crate::text::plural(
            errors as u64,
            "scan error",
            "scan errors",
        ));
    }
    if gap_entries > 0 {
        parts.push(format!("{} not checked", crate::text::thousands(gaps)));
    }
    parts
}

/// `count` findings, for an exception's state.
pub(crate) fn exception_count(state: &ExceptionState) -> Option<u64> {
    match state {
        ExceptionState::Applied { count } | ExceptionState::Expired { count } => Some(*count),
        ExceptionState::Unused => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gate_formats_parse_and_display() {
        for f in GateFormat::ALL {
            assert_eq!(f.to_string().parse::<GateFormat>().unwrap(), f);
        }
        assert_eq!(
            " GitLab-SAST ".parse::<GateFormat>().unwrap(),
            GateFormat::GitlabSast
        );
        let err = "html".parse::<GateFormat>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown gate output format `html` (expected one of: summary, json, sarif, junit, \
             markdown, gitlab-sast, gitlab-secret-detection, gitlab-dependency-scanning)"
        );
        // The error lists every format.
        for f in GateFormat::ALL {
            assert!(err.to_string().contains(f.as_str()), "{f}");
        }
    }

    #[test]
    fn default_file_names_are_distinct() {
        let names: std::collections::BTreeSet<_> = GateFormat::ALL
            .iter()
            .map(|f| f.default_file_name())
            .collect();
        assert_eq!(names.len(), GateFormat::ALL.len());
        assert_eq!(
            GateFormat::GitlabSast.default_file_name(),
            "gl-sast-report.json"
        );
    }
}
