use std::collections::BTreeMap;

use crate::{Finding, RuleMeta, Severity};

/// Why a file was not scanned. Every skip is counted and shown in the summary; none is silent.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum SkipReason {
    Binary,
    TooLarge,
    Symlink,
    Ignored,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Binary => "binary",
            SkipReason::TooLarge => "too large",
            SkipReason::Symlink => "symbolic link",
            SkipReason::Ignored => "ignored by .gatehouseignore",
        }
    }
}

/// Something that could not be read or used. A run with errors is never reported as clean.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct ScanError {
    /// The file, blob or source the error is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    pub message: String,
}

/// An ignore or baseline entry that matched nothing in this scan.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct StaleEntry {
    /// The file the entry is in, and its line when it has one.
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    pub entry: String,
}

/// Something the scan was asked to check and could not: the results say nothing about it. A
/// dependency scan whose advisory database has no data for an ecosystem, or is out of date, has
/// gaps; a report with gaps is not a clean result unless the user accepted them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct CoverageGap {
    /// What was not checked, for example `npm packages`.
    pub scope: String,
    /// How many items (packages, files) that is.
    pub count: u64,
    /// Why, for example `the advisory database has no npm advisories`.
    pub reason: String,
}

/// Something worth knowing that did not stop the scan and is not a finding: a requirement that
/// is not pinned and so cannot be checked, an ignore entry that has expired.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct ScanWarning {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    pub message: String,
}

/// Syntax errors met while parsing the files of one language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ParseErrors {
    /// Files with at least one syntax error.
    pub files: u64,
    /// Error and missing-token nodes in those files.
    pub errors: u64,
}

/// Counts of what a scan did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ScanStats {
    /// Files (or blobs, or inputs) read and scanned.
    pub scanned: u64,
    pub bytes: u64,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub skipped: BTreeMap<SkipReason, u64>,
    /// Commits walked, in a history scan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commits: Option<u64>,
    /// Packages checked, in a dependency scan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub packages: Option<u64>,
    /// Source lines analysed, in a code scan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<u64>,
    /// Files with syntax errors, per language, in a code scan (rules still ran on the rest of
    /// each file's tree).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parse_errors: BTreeMap<String, ParseErrors>,
    /// Findings silenced by inline comments, ignore files or a baseline.
    pub suppressed: u64,
    pub duration_ms: u64,
}

/// The result of one scanner run: what every output format renders.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ScanReport {
    pub tool: String,
    pub version: String,
    /// Findings in stable order (see [`ScanReport::sort`]).
    pub findings: Vec<Finding>,
    /// Metadata of every rule that was run, by id.
    pub rules: BTreeMap<String, RuleMeta>,
    pub stats: ScanStats,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ScanError>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stale: Vec<StaleEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gaps: Vec<CoverageGap>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<ScanWarning>,
}

impl ScanReport {
    /// Sorts findings, errors and stale entries so output is deterministic.
    pub fn sort(&mut self) {
        self.findings
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.errors.sort();
        self.stale.sort();
        self.gaps.sort();
        self.warnings.sort();
    }

    /// Findings at or above `threshold`.
    pub fn count_at_least(&self, threshold: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity >= threshold)
            .count()
    }

    /// Counts of findings per severity, most severe first, zero counts left out.
    pub fn severity_counts(&self) -> Vec<(Severity, usize)> {
        Severity::ALL
            .iter()
            .map(|&s| (s, self.findings.iter().filter(|f| f.severity == s).count()))
            .filter(|(_, n)| *n > 0)
            .collect()
    }
}
