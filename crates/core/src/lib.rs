//! The core model shared by every scanner, the gate, the reports and the server.
//!
//! **Architecture invariant:** this crate is pure. It does no I/O, starts no threads and knows no
//! scanner's internals; everything downstream of a scanner sees only [`Finding`] and [`ScanReport`].

mod baseline;
mod finding;
mod fingerprint;
mod gate;
mod report;
mod severity;

pub use baseline::{Baseline, BaselineEntry, BaselineError};
pub use finding::{CommitInfo, Evidence, Finding, Location, ScannerKind, SecretValue};
pub use fingerprint::{mask_secret, secret_sha256, Fingerprint};
pub use gate::{
    Decision, ExceptionState, ExceptionStatus, GateContext, GateReport, GateScan, NewCodeBasis,
    Verdict, Waiver,
};
pub use report::{
    CoverageGap, ParseErrors, ScanError, ScanReport, ScanStats, ScanWarning, SkipReason, StaleEntry,
};
pub use severity::{Confidence, ParseLevelError, Severity};

/// Metadata of one rule, as shown in reports (SARIF `rules`, rule reference pages).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RuleMeta {
    pub id: String,
    pub title: String,
    /// What the rule finds and why it matters (Markdown allowed).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// What to do about a finding.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub remediation: String,
    pub severity: Severity,
    pub confidence: Confidence,
    pub scanner: ScannerKind,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cwe: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}
