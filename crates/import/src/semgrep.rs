//! Semgrep JSON (`semgrep scan --json`): scanner kind code.
//!
//! - **Severity**: `extra.severity` ERROR → high, WARNING → medium, INFO → low, and the newer
//!   CRITICAL/HIGH/MEDIUM/LOW names as they are; INVENTORY and EXPERIMENT → info.
//! - **Confidence**: `extra.metadata.confidence` (HIGH/MEDIUM/LOW), else medium.
//! - **CWE**: `extra.metadata.cwe` (`CWE-79: …` strings).
//! - **Fingerprint**: the fallback over `extra.lines` (Semgrep without a login writes
//!   `requires login` there, which counts as no snippet: the start line is used instead).
//! - **Incomplete** when `errors` is not empty (a file that failed to parse was not fully checked).

use gatehouse_core::{Confidence, ScannerKind, Severity};
use serde::Deserialize;
use serde_json::Value;

use crate::common::{
    cwe_id, fallback_fingerprint, first_sentence, from_json, line_number, new_finding, push_unique,
    rel_path, scan,
};
use crate::{Format, Import, ImportContext, ImportError};

const F: Format = Format::Semgrep;
const TOOL: &str = "semgrep";

#[derive(Deserialize)]
struct Report {
    #[serde(default)]
    version: Option<String>,
    results: Vec<Match>,
    #[serde(default)]
    errors: Vec<SemgrepError>,
}

#[derive(Deserialize)]
struct Match {
    check_id: String,
    path: String,
    #[serde(default)]
    start: Option<Position>,
    #[serde(default)]
    end: Option<Position>,
    #[serde(default)]
    extra: Extra,
}

#[derive(Deserialize)]
struct Position {
    #[serde(default)]
    line: Option<i64>,
    #[serde(default)]
    col: Option<i64>,
}

#[derive(Deserialize, Default)]
struct Extra {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    metadata: Value,
    #[serde(default)]
    lines: Option<String>,
    #[serde(default)]
    fix: Option<String>,
}

#[derive(Deserialize)]
struct SemgrepError {
    #[serde(default)]
    level: Option<String>,
    #[serde(default, rename = "type")]
    kind: Value,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    path: Option<String>,
}

fn severity(s: Option<&str>) -> Severity {
    match s.unwrap_or("").to_ascii_uppercase().as_str() {
        "ERROR" | "HIGH" => Severity::High,
        "CRITICAL" => Severity::Critical,
        "INFO" | "LOW" => Severity::Low,
        "INVENTORY" | "EXPERIMENT" => Severity::Info,
        _ => Severity::Medium,
    }
}

pub(crate) fn parse(bytes: &[u8]) -> Result<Import, ImportError> {
    let report: Report = from_json(bytes, F)?;
    let problems = report
        .errors
        .iter()
        .map(|e| {
            let kind = match &e.kind {
                Value::String(s) => s.clone(),
                Value::Array(a) => a.first().and_then(Value::as_str).unwrap_or("").to_string(),
                _ => String::new(),
            };
            let mut line = format!("{}: {}", e.level.as_deref().unwrap_or("error"), kind);
            if let Some(p) = &e.path {
                line.push_str(&format!(" in {p}"));
            }
            if let Some(m) = &e.message {
                let first = m.lines().next().unwrap_or("");
                line.push_str(&format!(": {first}"));
            }
            line
        })
        .collect();
    let findings = report
        .results
        .into_iter()
        .map(|m| {
            let meta = &m.extra.metadata;
            let message = m.extra.message.clone().unwrap_or_default();
            let title = first_sentence(&message);
            let mut f = new_finding(
                &m.check_id,
                ScannerKind::Code,
                severity(m.extra.severity.as_deref()),
                &title,
            );
            f.message = message;
            f.confidence = meta
                .get("confidence")
                .and_then(Value::as_str)
                .and_then(|c| c.parse::<Confidence>().ok())
                .unwrap_or_default();
            let cwes: Vec<&Value> = match meta.get("cwe") {
                Some(Value::Array(a)) => a.iter().collect(),
                Some(v) => vec![v],
                None => Vec::new(),
            };
            for c in cwes
                .into_iter()
                .filter_map(Value::as_str)
                .filter_map(cwe_id)
            {
                push_unique(&mut f.cwe, c);
            }
            f.location.path = rel_path(&m.path);
            if let Some(s) = &m.start {
                f.location.start_line = line_number(s.line);
                f.location.start_column = line_number(s.col);
            }
            if let Some(e) = &m.end {
                f.location.end_line = line_number(e.line);
                f.location.end_column = line_number(e.col);
            }
            let snippet = m
                .extra
                .lines
                .filter(|l| l.trim() != "requires login" && !l.trim().is_empty());
            if let Some(fix) = m.extra.fix {
                f.properties.insert("fix".into(), Value::String(fix));
            }
            for key in ["references", "owasp", "category"] {
                if let Some(v) = meta.get(key) {
                    f.properties.insert(key.into(), v.clone());
                }
            }
            f.fingerprint = fallback_fingerprint(
                TOOL,
                &f.rule_id,
                f.location.path.as_deref(),
                snippet.as_deref(),
                f.location.start_line,
            );
            f.evidence.snippet = snippet;
            f
        })
        .collect();
    Ok(Import {
        format: F,
        scans: vec![scan(
            TOOL,
            report.version,
            ScannerKind::Code,
            problems,
            findings,
        )],
        context: ImportContext::default(),
    })
}
