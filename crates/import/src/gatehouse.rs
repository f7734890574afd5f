//! Gatehouse's own JSON: a scan report (`gatehouse scan … --format json`, a core `ScanReport`
//! with `schema_version` "1" and a `summary`) or a gate report (`gatehouse gate --report json`, a
//! core `GateReport` with `schema_version` 1).
//!
//! Findings are already in the core model and keep their fingerprints, severities and
//! confidences. A scan report becomes one scan per scanner kind its findings and rules name
//! (a `gatehouse scan` run has one); a gate report one scan per `GateScan`, with the run's commit,
//! branch, pipeline and stage as the import's context. A scan with errors or coverage gaps is
//! not complete. A plain secret (`--show-secrets`) is dropped and masked wherever it appears.

use std::collections::{BTreeMap, BTreeSet};

use gatehouse_core::{Finding, GateReport, ScanReport, ScannerKind};
use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::Value;

use crate::common::{from_json, invalid, redact, scan};
use crate::{Format, Import, ImportContext, ImportError, ImportedScan};

const F: Format = Format::Gatehouse;

pub(crate) fn parse(bytes: &[u8]) -> Result<Import, ImportError> {
    // The report is read straight into the typed model (no `Value` tree: at 100,000 findings
    // building and dropping one cost more than the rest of the import). A first pass over the
    // top-level keys only, skipping every value unread, says which report it is.
    let shape: Shape = from_json(bytes, F).map_err(|e| {
        if starts_with_object(bytes) {
            e
        } else {
            invalid(F, "at the top level: expected a JSON object")
        }
    })?;
    check_schema(shape.schema_version, "1")?;
    if shape.verdict.is_some() || shape.scans.is_some() {
        let report: GateReport = from_json(bytes, F)?;
        Ok(gate(report))
    } else {
        let report: ScanReport = from_json(bytes, F)?;
        let scans = scan_report(report)?;
        Ok(Import {
            format: F,
            scans,
            context: ImportContext::default(),
        })
    }
}

/// The top-level keys that tell a gate report from a scan report, and the schema version. The
/// other keys (`summary`, which the typed models do not have, among them) are skipped.
#[derive(Deserialize)]
struct Shape {
    verdict: Option<IgnoredAny>,
    scans: Option<IgnoredAny>,
    schema_version: Option<Value>,
}

fn starts_with_object(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{')
}

/// The scan format writes `"1"`, the gate format `1`; either spelling is accepted.
fn check_schema(v: Option<Value>, expected: &str) -> Result<(), ImportError> {
    let got = match &v {
        None => return Ok(()),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => other.to_string(),
    };
    if got == expected {
        Ok(())
    } else {
        Err(invalid(
            F,
            format!("at `schema_version`: version {got} is not supported (this server reads {expected})"),
        ))
    }
}

fn gate(report: GateReport) -> Import {
    let context = ImportContext {
        commit: report.context.commit.clone(),
        branch: report.context.branch.clone(),
        pipeline: report.context.pipeline.clone(),
        stage: Some(report.stage.clone()).filter(|s| !s.is_empty()),
    };
    let scans = report
        .scans
        .into_iter()
        .map(|s| {
            let kind = s.scanner;
            let r = s.report;
            let problems = problems(&r);
            let findings = r
                .findings
                .into_iter()
                .map(|mut f| {
                    f.scanner = kind;
                    sanitize(f)
                })
                .collect();
            scan(
                &tool_name(&r.tool),
                Some(r.version),
                kind,
                problems,
                findings,
            )
        })
        .collect();
    Import {
        format: F,
        scans,
        context,
    }
}

fn scan_report(r: ScanReport) -> Result<Vec<ImportedScan>, ImportError> {
    let mut kinds: BTreeSet<ScannerKind> = r.findings.iter().map(|f| f.scanner).collect();
    kinds.extend(r.rules.values().map(|m| m.scanner));
    if kinds.is_empty() {
        // An empty report still says what it scanned through its counters.
        let kind = if r.stats.packages.is_some() {
            ScannerKind::Dependencies
        } else if r.stats.lines.is_some() {
            ScannerKind::Code
        } else if r.stats.commits.is_some() {
            ScannerKind::Secrets
        } else {
            return Err(invalid(
                F,
                "at `findings`: the report names no scanner (no findings, no rules, no counters that tell)",
            ));
        };
        kinds.insert(kind);
    }
    let problems = problems(&r);
    let tool = tool_name(&r.tool);
    let mut by_kind: BTreeMap<ScannerKind, Vec<Finding>> =
        kinds.into_iter().map(|k| (k, Vec::new())).collect();
    for f in r.findings {
        by_kind.entry(f.scanner).or_default().push(sanitize(f));
    }
    Ok(by_kind
        .into_iter()
        .map(|(kind, findings)| {
            scan(
                &tool,
                Some(r.version.clone()),
                kind,
                problems.clone(),
                findings,
            )
        })
        .collect())
}

fn tool_name(tool: &str) -> String {
    if tool.trim().is_empty() {
        "gatehouse".into()
    } else {
        tool.trim().to_ascii_lowercase()
    }
}

/// Errors and coverage gaps, one line each: what makes the scan incomplete.
fn problems(r: &ScanReport) -> Vec<String> {
    let mut out: Vec<String> = r
        .errors
        .iter()
        .map(|e| match &e.path {
            Some(p) => format!("error: {p}: {}", e.message),
            None => format!("error: {}", e.message),
        })
        .collect();
    out.extend(
        r.gaps
            .iter()
            .map(|g| format!("not checked: {} ({}): {}", g.scope, g.count, g.reason)),
    );
    out
}

/// Drops a plain secret value and masks it wherever the report repeated it.
fn sanitize(mut f: Finding) -> Finding {
    let Some(plain) = f.evidence.secret.as_mut().and_then(|s| s.plain.take()) else {
        return f;
    };
    f.title = redact(&f.title, &plain);
    f.message = redact(&f.message, &plain);
    if let Some(s) = f.evidence.snippet.take() {
        f.evidence.snippet = Some(redact(&s, &plain));
    }
    for v in f.properties.values_mut() {
        if let Value::String(s) = v {
            *s = redact(s, &plain);
        }
    }
    f
}
