//! The JSON format: the whole report, versioned by `schema_version`.
//!
//! Schema: `crates/report/schema/gatehouse-report.schema.json`. Within one schema version fields are
//! only ever added, never renamed, removed or changed in meaning.

use std::collections::BTreeMap;

use gatehouse_core::{
    CoverageGap, Finding, GateReport, RuleMeta, ScanError, ScanReport, ScanStats, ScanWarning,
    Severity, StaleEntry,
};
use serde::Serialize;

use crate::RenderError;

/// The `schema_version` the JSON format writes.
pub const SCHEMA_VERSION: &str = "1";

#[derive(Serialize)]
struct JsonReport<'a> {
    schema_version: &'static str,
    tool: &'a str,
    version: &'a str,
    summary: Summary,
    findings: &'a [Finding],
    rules: &'a BTreeMap<String, RuleMeta>,
    stats: &'a ScanStats,
    /// Always present (unlike in `ScanReport`'s own serialization), so that `errors: []` says in so
    /// many words that nothing failed.
    errors: &'a [ScanError],
    stale: &'a [StaleEntry],
    gaps: &'a [CoverageGap],
    warnings: &'a [ScanWarning],
}

/// Counts for scripts and dashboards that do not want to walk `findings`.
#[derive(Serialize)]
struct Summary {
    total: usize,
    critical: usize,
    high: usize,
    medium: usize,
    low: usize,
    info: usize,
}

impl Summary {
    fn of(report: &ScanReport) -> Self {
        let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
        Summary {
            total: report.findings.len(),
            critical: count(Severity::Critical),
            high: count(Severity::High),
            medium: count(Severity::Medium),
            low: count(Severity::Low),
            info: count(Severity::Info),
        }
    }
}

pub fn render(report: &ScanReport) -> Result<String, RenderError> {
    let doc = JsonReport {
        schema_version: SCHEMA_VERSION,
        tool: &report.tool,
        version: &report.version,
        summary: Summary::of(report),
        findings: &report.findings,
        rules: &report.rules,
        stats: &report.stats,
        errors: &report.errors,
        stale: &report.stale,
        gaps: &report.gaps,
        warnings: &report.warnings,
    };
    let mut s = serde_json::to_string_pretty(&doc)?;
    s.push('\n');
    Ok(s)
}

/// The `schema_version` of the gate's JSON format. A number, unlike the scan format's string.
pub const GATE_SCHEMA_VERSION: u32 = 1;

/// The gate's JSON format: the [`GateReport`] as it serializes, with `schema_version` and a small
/// `summary` first. Schema: `crates/report/schema/gatehouse-gate.schema.json`. The document reads
/// back into a `GateReport` unchanged (`schema_version` and `summary` are ignored on the way in).
#[derive(Serialize)]
struct JsonGate<'a> {
    schema_version: u32,
    summary: GateSummary,
    #[serde(flatten)]
    report: &'a GateReport,
}

/// Counts for scripts that do not want to walk `scans`.
#[derive(Serialize)]
struct GateSummary {
    total: usize,
    blocking: usize,
}

pub fn render_gate(report: &GateReport) -> Result<String, RenderError> {
    let doc = JsonGate {
        schema_version: GATE_SCHEMA_VERSION,
        summary: GateSummary {
            total: report.total(),
            blocking: report.blocking(),
        },
        report,
    };
    let mut s = serde_json::to_string_pretty(&doc)?;
    s.push('\n');
    Ok(s)
}
