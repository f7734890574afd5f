//! The result of `gatehouse gate`: every scanner's report, what the policy decided about each
//! finding, and the verdict. The policy crate produces it; the report crate renders it.

use crate::{Finding, ScanReport, ScannerKind, Severity};

/// Why a finding does not block the pipeline.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Waiver {
    /// Below the stage's threshold for its scanner (`threshold` is `None` when the stage never
    /// blocks on that scanner).
    BelowThreshold {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        threshold: Option<Severity>,
    },
    /// The finding was there before the change: in the baseline, or outside the changed lines
    /// and files (and, for dependencies, in a package that did not change).
    NotNew { basis: NewCodeBasis },
    /// An approved, unexpired exception covers it.
    Exception {
        /// The exception's id (its `id`, else `FILE:LINE` or the server's id).
        id: String,
        reason: String,
        approver: String,
        /// The last day it applies, `YYYY-MM-DD`.
        expires: String,
    },
}

/// What "new" was measured against.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NewCodeBasis {
    /// `--baseline FILE`: the finding's fingerprint is in the baseline.
    Baseline,
    /// `--diff REV`: not in a line or dependency changed since REV.
    Diff,
}

/// The policy's decision about one finding.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "decision", rename_all = "kebab-case")]
pub enum Decision {
    /// The finding fails the gate.
    Blocks,
    /// The finding is reported but does not fail the gate.
    Passes { waiver: Waiver },
}

impl Decision {
    pub fn blocks(&self) -> bool {
        matches!(self, Decision::Blocks)
    }
}

/// One scanner's part of a gate run.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GateScan {
    pub scanner: ScannerKind,
    /// The scanner's report, findings sorted.
    pub report: ScanReport,
    /// One decision per finding of `report`, in the same order.
    pub decisions: Vec<Decision>,
}

impl GateScan {
    /// Pairs each finding with its decision.
    pub fn findings(&self) -> impl Iterator<Item = (&Finding, &Decision)> {
        self.report.findings.iter().zip(&self.decisions)
    }

    /// Findings that fail the gate.
    pub fn blocking(&self) -> usize {
        self.decisions.iter().filter(|d| d.blocks()).count()
    }
}

/// The state of one exception at the end of a gate run.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExceptionState {
    /// Applied to `count` findings.
    Applied { count: u64 },
    /// Past its expiry date: it no longer applies. `count` findings would have matched.
    Expired { count: u64 },
    /// Unexpired but matched nothing in this run (stale).
    Unused,
}

/// An exception and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ExceptionStatus {
    pub id: String,
    /// Where it came from: `gatehouse.toml:12`, or the server's URL.
    pub source: String,
    pub reason: String,
    pub approver: String,
    pub expires: String,
    pub state: ExceptionState,
}

/// How a gate run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// No finding blocks and everything was scanned.
    Pass,
    /// At least one finding blocks.
    Blocked,
    /// Nothing blocks, but something could not be scanned or checked: not a clean result.
    Incomplete,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Blocked => "blocked",
            Verdict::Incomplete => "incomplete",
        }
    }
}

/// Where the gate ran: what the reports and the server record alongside the results.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GateContext {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipeline: Option<String>,
    /// `--diff REV` as given, when the run measured new code against a revision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff_base: Option<String>,
    /// `--baseline FILE` as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
    /// Start of the run, RFC 3339 UTC (the renderers never read the clock themselves).
    pub started: String,
    /// End of the run, RFC 3339 UTC.
    pub finished: String,
}

/// Everything one `gatehouse gate` run produced.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GateReport {
    pub tool: String,
    pub version: String,
    /// The pipeline stage whose policy was applied.
    pub stage: String,
    pub verdict: Verdict,
    pub context: GateContext,
    /// One entry per scanner that ran, in [`ScannerKind`] order.
    pub scans: Vec<GateScan>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<ExceptionStatus>,
    /// Wall time of the whole run (scanners ran concurrently).
    pub duration_ms: u64,
}

impl GateReport {
    /// Findings that fail the gate, over all scanners.
    pub fn blocking(&self) -> usize {
        self.scans.iter().map(GateScan::blocking).sum()
    }

    /// Findings over all scanners.
    pub fn total(&self) -> usize {
        self.scans.iter().map(|s| s.report.findings.len()).sum()
    }

    /// The part of `scanner`, if it ran.
    pub fn scan(&self, scanner: ScannerKind) -> Option<&GateScan> {
        self.scans.iter().find(|s| s.scanner == scanner)
    }
}
