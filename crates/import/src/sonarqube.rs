//! SonarQube issues JSON, as the web API's `api/issues/search` returns it: scanner kind code.
//!
//! - **What is kept**: issues of type VULNERABILITY and SECURITY_HOTSPOT, and BUG or CODE_SMELL
//!   issues that are security-related: a `SECURITY` software-quality impact (SonarQube 10+), or a
//!   security tag (`cwe…`, `owasp…`, `sans-top25…`, `cert`, `security`). Other bugs and code
//!   smells are quality findings, not security ones, and are left out. Issues already resolved
//!   (a `resolution`, or status CLOSED or RESOLVED) are left out too.
//! - **Severity**: the SECURITY impact's severity when there is one (BLOCKER → critical, HIGH →
//!   high, MEDIUM → medium, LOW → low, INFO → info); else the legacy severity (BLOCKER →
//!   critical, CRITICAL → high, MAJOR → medium, MINOR → low, INFO → info).
//! - **Confidence**: vulnerabilities high, security hotspots low (they need review), the rest
//!   medium.
//! - **Path**: the component's `path` from `components`, else the component key after the
//!   `project:` prefix; an issue on the project itself has no path.
//! - **Fingerprint**: the fallback with SonarQube's line hash (`hash`) in the snippet's place, or
//!   the message when there is no hash (issues on the project, such as dependency-check's).
//! - **Incomplete** when the document is one page of more (`paging.total` beyond the issues of
//!   this and the earlier pages): the issues not exported were not seen.

use std::collections::BTreeMap;

use gatehouse_core::{Confidence, ScannerKind, Severity};
use serde::Deserialize;
use serde_json::Value;

use crate::common::{
    cwe_id, fallback_fingerprint, from_json, line_number, new_finding, push_unique, rel_path, scan,
};
use crate::{Format, Import, ImportContext, ImportError};

const F: Format = Format::Sonarqube;
const TOOL: &str = "sonarqube";

#[derive(Deserialize)]
struct Response {
    issues: Vec<Issue>,
    #[serde(default)]
    components: Vec<Component>,
    #[serde(default)]
    paging: Option<Paging>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Paging {
    #[serde(default)]
    page_index: Option<u64>,
    #[serde(default)]
    page_size: Option<u64>,
    #[serde(default)]
    total: Option<u64>,
}

#[derive(Deserialize)]
struct Component {
    key: String,
    #[serde(default)]
    path: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Issue {
    #[serde(default)]
    key: Option<String>,
    rule: String,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    component: String,
    #[serde(default)]
    project: Option<String>,
    #[serde(default)]
    line: Option<i64>,
    #[serde(default)]
    hash: Option<String>,
    #[serde(default)]
    text_range: Option<TextRange>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    resolution: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    impacts: Vec<Impact>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TextRange {
    #[serde(default)]
    start_line: Option<i64>,
    #[serde(default)]
    end_line: Option<i64>,
    #[serde(default)]
    start_offset: Option<i64>,
    #[serde(default)]
    end_offset: Option<i64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Impact {
    #[serde(default)]
    software_quality: String,
    #[serde(default)]
    severity: String,
}

fn security_tag(tag: &str) -> bool {
    let t = tag.to_ascii_lowercase();
    t.starts_with("cwe")
        || t.starts_with("owasp")
        || t.starts_with("sans-top25")
        || t == "cert"
        || t == "security"
}

fn impact_severity(s: &str) -> Option<Severity> {
    match s.to_ascii_uppercase().as_str() {
        "BLOCKER" => Some(Severity::Critical),
        "HIGH" => Some(Severity::High),
        "MEDIUM" => Some(Severity::Medium),
        "LOW" => Some(Severity::Low),
        "INFO" => Some(Severity::Info),
        _ => None,
    }
}

fn legacy_severity(s: &str) -> Severity {
    match s.to_ascii_uppercase().as_str() {
        "BLOCKER" => Severity::Critical,
        "CRITICAL" => Severity::High,
        "MINOR" => Severity::Low,
        "INFO" => Severity::Info,
        _ => Severity::Medium,
    }
}

pub(crate) fn parse(bytes: &[u8]) -> Result<Import, ImportError> {
    let r: Response = from_json(bytes, F)?;
    let mut problems = Vec::new();
    if let Some(p) = &r.paging {
        if let (Some(total), Some(size)) = (p.total, p.page_size) {
            let page = p.page_index.unwrap_or(1).max(1);
            if total > page.saturating_mul(size) {
                problems.push(format!(
                    "page {page} of a result of {total} issues ({size} a page): the other pages were not uploaded"
                ));
            }
        }
    }
    let paths: BTreeMap<&str, &str> = r
        .components
        .iter()
        .filter_map(|c| c.path.as_deref().map(|p| (c.key.as_str(), p)))
        .collect();
    let mut findings = Vec::new();
    for i in &r.issues {
        let kind = i.kind.as_deref().unwrap_or("").to_ascii_uppercase();
        let security_impact = i
            .impacts
            .iter()
            .find(|im| im.software_quality.eq_ignore_ascii_case("SECURITY"));
        let security = matches!(kind.as_str(), "VULNERABILITY" | "SECURITY_HOTSPOT")
            || security_impact.is_some()
            || i.tags.iter().any(|t| security_tag(t));
        let resolved = i.resolution.as_deref().is_some_and(|r| !r.is_empty())
            || matches!(i.status.as_deref(), Some("CLOSED") | Some("RESOLVED"));
        if !security || resolved {
            continue;
        }
        let severity = security_impact
            .and_then(|im| impact_severity(&im.severity))
            .unwrap_or_else(|| legacy_severity(i.severity.as_deref().unwrap_or("")));
        let message = i.message.clone().unwrap_or_default();
        let mut f = new_finding(&i.rule, ScannerKind::Code, severity, &message);
        f.message = if message.is_empty() {
            f.title.clone()
        } else {
            message.clone()
        };
        f.confidence = match kind.as_str() {
            "VULNERABILITY" => Confidence::High,
            "SECURITY_HOTSPOT" => Confidence::Low,
            _ => Confidence::Medium,
        };
        let path = paths
            .get(i.component.as_str())
            .map(|p| p.to_string())
            .or_else(|| {
                let project = i.project.as_deref().unwrap_or("");
                i.component
                    .strip_prefix(project)
                    .and_then(|rest| rest.strip_prefix(':'))
                    .map(str::to_string)
            });
        f.location.path = path.as_deref().and_then(rel_path);
        match &i.text_range {
            Some(t) => {
                f.location.start_line = line_number(t.start_line);
                f.location.end_line = line_number(t.end_line);
                f.location.start_column = line_number(t.start_offset.map(|o| o + 1));
                f.location.end_column = line_number(t.end_offset.map(|o| o + 1));
            }
            None => f.location.start_line = line_number(i.line),
        }
        for t in &i.tags {
            if t.to_ascii_lowercase().starts_with("cwe-") {
                if let Some(c) = cwe_id(t) {
                    push_unique(&mut f.cwe, c);
                }
            }
        }
        f.properties
            .insert("type".into(), Value::String(kind.clone()));
        if let Some(k) = &i.key {
            f.properties
                .insert("sonarqube_key".into(), Value::String(k.clone()));
        }
        if !i.tags.is_empty() {
            f.properties.insert(
                "tags".into(),
                Value::Array(i.tags.iter().cloned().map(Value::String).collect()),
            );
        }
        let ident = i.hash.clone().filter(|h| !h.is_empty()).unwrap_or(message);
        f.fingerprint = fallback_fingerprint(
            TOOL,
            &f.rule_id,
            f.location.path.as_deref(),
            Some(&ident),
            f.location.start_line,
        );
        findings.push(f);
    }
    Ok(Import {
        format: F,
        scans: vec![scan(TOOL, None, ScannerKind::Code, problems, findings)],
        context: ImportContext::default(),
    })
}
