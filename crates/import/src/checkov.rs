//! Checkov JSON (`checkov -o json`): one report object per framework (an array when several
//! ran), scanner kind iac.
//!
//! - **Severity**: `severity` when Checkov has one (with a platform API key: CRITICAL, HIGH,
//!   MEDIUM, LOW, INFO as they are); the open-source run writes `null`, which is medium.
//! - **Fingerprint**: the fallback with the resource (`resource`, e.g. `aws_s3_bucket.logs`) in
//!   the snippet's place, so a finding keeps its identity when the block moves.
//! - **Path**: `repo_file_path` (relative to the repository) when present, else `file_path`.
//! - **Incomplete** when a framework reports parsing errors (`results.parsing_errors` or
//!   `summary.parsing_errors` above 0).
//! - Only `failed_checks` become findings; passed and skipped checks are left out.

use gatehouse_core::{ScannerKind, Severity};
use serde::Deserialize;
use serde_json::Value;

use crate::common::{
    fallback_fingerprint, from_value, invalid, json_value, new_finding, rel_path, scan,
};
use crate::{Format, Import, ImportContext, ImportError};

const F: Format = Format::Checkov;
const TOOL: &str = "checkov";

#[derive(Deserialize)]
struct Framework {
    #[serde(default)]
    check_type: Option<String>,
    #[serde(default)]
    results: Results,
    #[serde(default)]
    summary: Summary,
}

#[derive(Deserialize, Default)]
struct Results {
    #[serde(default)]
    failed_checks: Vec<Check>,
    #[serde(default)]
    parsing_errors: Vec<Value>,
}

#[derive(Deserialize, Default)]
struct Summary {
    #[serde(default)]
    parsing_errors: Option<u64>,
    #[serde(default)]
    checkov_version: Option<String>,
}

#[derive(Deserialize)]
struct Check {
    check_id: String,
    #[serde(default)]
    check_name: Option<String>,
    #[serde(default)]
    file_path: Option<String>,
    #[serde(default)]
    repo_file_path: Option<String>,
    #[serde(default)]
    file_line_range: Option<Vec<i64>>,
    #[serde(default)]
    resource: Option<String>,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    guideline: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    bc_check_id: Option<String>,
}

pub(crate) fn parse(bytes: &[u8]) -> Result<Import, ImportError> {
    let value = json_value(bytes, F)?;
    let frameworks: Vec<Framework> = match value {
        Value::Array(_) => from_value(value, F)?,
        Value::Object(ref o) if !o.contains_key("results") && o.contains_key("checkov_version") => {
            // No findings at all: Checkov prints only its summary.
            let version = o
                .get("checkov_version")
                .and_then(Value::as_str)
                .map(str::to_string);
            let failed = o.get("parsing_errors").and_then(Value::as_u64).unwrap_or(0);
            let problems = if failed > 0 {
                vec![format!("{failed} files could not be parsed")]
            } else {
                Vec::new()
            };
            return Ok(Import {
                format: F,
                scans: vec![scan(TOOL, version, ScannerKind::Iac, problems, Vec::new())],
                context: ImportContext::default(),
            });
        }
        Value::Object(_) => vec![from_value(value, F)?],
        _ => {
            return Err(invalid(
                F,
                "at the top level: expected an object or an array of objects",
            ))
        }
    };
    let mut problems = Vec::new();
    let mut findings = Vec::new();
    let mut version = None;
    for fw in frameworks {
        let framework = fw.check_type.clone().unwrap_or_else(|| "unknown".into());
        version = version.or(fw.summary.checkov_version.clone());
        for e in &fw.results.parsing_errors {
            let what = e
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| e.to_string());
            problems.push(format!("{framework}: could not parse {what}"));
        }
        let counted = fw.summary.parsing_errors.unwrap_or(0);
        if fw.results.parsing_errors.is_empty() && counted > 0 {
            problems.push(format!("{framework}: {counted} files could not be parsed"));
        }
        for c in fw.results.failed_checks {
            let severity = c
                .severity
                .as_deref()
                .and_then(|s| s.parse::<Severity>().ok())
                .unwrap_or(Severity::Medium);
            let title = c.check_name.clone().unwrap_or_default();
            let mut f = new_finding(&c.check_id, ScannerKind::Iac, severity, &title);
            f.message = match &c.resource {
                Some(r) => format!("{}: {r}", f.title),
                None => f.title.clone(),
            };
            f.location.path = c
                .repo_file_path
                .as_deref()
                .or(c.file_path.as_deref())
                .and_then(rel_path);
            if let Some(range) = &c.file_line_range {
                f.location.start_line = crate::common::line_number(range.first().copied());
                f.location.end_line = crate::common::line_number(range.get(1).copied());
            }
            f.remediation = c.guideline.clone();
            f.properties
                .insert("framework".into(), Value::String(framework.clone()));
            if let Some(r) = &c.resource {
                f.properties
                    .insert("resource".into(), Value::String(r.clone()));
            }
            if let Some(d) = c.description.filter(|d| !d.is_empty()) {
                f.properties.insert("description".into(), Value::String(d));
            }
            if let Some(id) = c.bc_check_id {
                f.properties.insert("bc_check_id".into(), Value::String(id));
            }
            f.fingerprint = fallback_fingerprint(
                TOOL,
                &f.rule_id,
                f.location.path.as_deref(),
                c.resource.as_deref(),
                f.location.start_line,
            );
            findings.push(f);
        }
    }
    Ok(Import {
        format: F,
        scans: vec![scan(TOOL, version, ScannerKind::Iac, problems, findings)],
        context: ImportContext::default(),
    })
}
