//! Bandit JSON (`bandit -r … -f json`): scanner kind code.
//!
//! - **Severity** and **confidence**: `issue_severity` / `issue_confidence` HIGH → high, MEDIUM →
//!   medium, LOW → low; an UNDEFINED severity → info, an UNDEFINED confidence → medium.
//! - **CWE**: `issue_cwe.id`.
//! - **Fingerprint**: the fallback over the flagged source line (taken from `code`, whose lines
//!   start with their numbers).
//! - **Secrets**: the hard-coded password tests (B105, B106, B107) quote the password in
//!   `issue_text` and `code`; it is hashed into the finding's secret record, masked everywhere and
//!   the fingerprint uses its hash instead of the line.
//! - **Incomplete** when `errors` is not empty (files Bandit could not parse).

use gatehouse_core::{Confidence, ScannerKind, Severity};
use serde::Deserialize;
use serde_json::Value;

use crate::common::{
    cwe_id, fallback_fingerprint, first_sentence, from_json, line_number, new_finding, push_unique,
    redact, rel_path, scan, secret_fingerprint, secret_value,
};
use crate::{Format, Import, ImportContext, ImportError};

const F: Format = Format::Bandit;
const TOOL: &str = "bandit";

#[derive(Deserialize)]
struct Report {
    results: Vec<Issue>,
    #[serde(default)]
    errors: Vec<BanditError>,
}

#[derive(Deserialize)]
struct Issue {
    test_id: String,
    #[serde(default)]
    test_name: Option<String>,
    #[serde(default)]
    filename: String,
    #[serde(default)]
    issue_text: String,
    #[serde(default)]
    issue_severity: Option<String>,
    #[serde(default)]
    issue_confidence: Option<String>,
    #[serde(default)]
    issue_cwe: Option<Value>,
    #[serde(default)]
    line_number: Option<i64>,
    #[serde(default)]
    col_offset: Option<i64>,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    more_info: Option<String>,
}

#[derive(Deserialize)]
struct BanditError {
    #[serde(default)]
    filename: Option<String>,
    #[serde(default)]
    reason: Option<String>,
}

fn level(s: Option<&str>) -> Option<Severity> {
    match s.unwrap_or("").to_ascii_uppercase().as_str() {
        "HIGH" => Some(Severity::High),
        "MEDIUM" => Some(Severity::Medium),
        "LOW" => Some(Severity::Low),
        _ => None,
    }
}

/// The source line `line` out of Bandit's numbered `code` excerpt.
fn flagged_line(code: &str, line: u32) -> Option<String> {
    let prefix = format!("{line} ");
    code.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .map(str::to_string)
}

/// The password Bandit quotes in `Possible hardcoded password: '…'`.
fn quoted_password(text: &str) -> Option<String> {
    let (_, rest) = text.split_once(": '")?;
    let end = rest.rfind('\'')?;
    let value = &rest[..end];
    (!value.is_empty()).then(|| value.to_string())
}

pub(crate) fn parse(bytes: &[u8]) -> Result<Import, ImportError> {
    let report: Report = from_json(bytes, F)?;
    let problems = report
        .errors
        .iter()
        .map(|e| {
            format!(
                "error: {}: {}",
                e.filename.as_deref().unwrap_or("-"),
                e.reason.as_deref().unwrap_or("(no reason)")
            )
        })
        .collect();
    let findings = report
        .results
        .into_iter()
        .map(|i| {
            let severity = level(i.issue_severity.as_deref()).unwrap_or(Severity::Info);
            // The blacklist tests share one name; their text says which call or import it is.
            let title = match i.test_name.as_deref() {
                Some("blacklist") | None => first_sentence(&i.issue_text),
                Some(n) => n.replace('_', " "),
            };
            let mut f = new_finding(&i.test_id, ScannerKind::Code, severity, &title);
            f.confidence = match level(i.issue_confidence.as_deref()) {
                Some(Severity::High) => Confidence::High,
                Some(Severity::Low) => Confidence::Low,
                _ => Confidence::Medium,
            };
            f.message = i.issue_text.clone();
            let cwe = match &i.issue_cwe {
                Some(Value::Object(o)) => o.get("id").cloned(),
                Some(v) => Some(v.clone()),
                None => None,
            };
            if let Some(c) = cwe.and_then(|v| match v {
                Value::Number(n) => cwe_id(&n.to_string()),
                Value::String(s) => cwe_id(&s),
                _ => None,
            }) {
                push_unique(&mut f.cwe, c);
            }
            f.location.path = rel_path(&i.filename);
            f.location.start_line = line_number(i.line_number);
            // Bandit's column offsets are 0-based.
            f.location.start_column = line_number(i.col_offset.map(|c| c + 1));
            if let Some(info) = i.more_info {
                f.properties.insert("help_uri".into(), Value::String(info));
            }
            let mut snippet = i
                .code
                .as_deref()
                .and_then(|c| flagged_line(c, f.location.start_line));
            let secret = matches!(i.test_id.as_str(), "B105" | "B106" | "B107")
                .then(|| quoted_password(&i.issue_text))
                .flatten();
            if let Some(plain) = secret {
                let sv = secret_value(&plain);
                f.message = redact(&f.message, &plain);
                f.title = redact(&f.title, &plain);
                snippet = snippet.map(|s| redact(&s, &plain));
                f.fingerprint = secret_fingerprint(
                    TOOL,
                    &f.rule_id,
                    f.location.path.as_deref().unwrap_or(""),
                    &sv,
                );
                f.evidence.secret = Some(sv);
            } else {
                f.fingerprint = fallback_fingerprint(
                    TOOL,
                    &f.rule_id,
                    f.location.path.as_deref(),
                    snippet.as_deref(),
                    f.location.start_line,
                );
            }
            f.evidence.snippet = snippet;
            f
        })
        .collect();
    Ok(Import {
        format: F,
        scans: vec![scan(TOOL, None, ScannerKind::Code, problems, findings)],
        context: ImportContext::default(),
    })
}
