//! Trivy JSON (`trivy image|fs|repo|config … --format json`, schema version 2; also the
//! `trivy k8s` report, whose `Resources` each carry `Results`).
//!
//! One scan per kind present: vulnerabilities → dependencies, misconfigurations → iac, secrets →
//! secrets. A result's `Class` names its kind even when it has no findings (`lang-pkgs` and
//! `os-pkgs` → dependencies, `config` → iac, `secret` → secrets), so a clean target still counts
//! as scanned; a report without results is one empty dependencies scan.
//!
//! - **Severity**: CRITICAL, HIGH, MEDIUM, LOW as they are; UNKNOWN → medium (an advisory
//!   nobody rated is not known to be harmless).
//! - **Vulnerabilities**: rule = `VulnerabilityID`; fingerprint = tool, ecosystem (`Type`),
//!   package, advisory id and manifest (`PkgPath`, else `Target`), no version; the fixed version
//!   is the fix. The path is the target for language packages; an image's OS packages have no
//!   path (the target is in `properties.target`).
//! - **Misconfigurations**: only `Status: FAIL`; fingerprint = the fallback with the resource
//!   (`CauseMetadata.Resource`) in the snippet's place.
//! - **Secrets**: Trivy masks the secret in `Match` with asterisks, but older versions print it
//!   plain; the whole `Match` line is treated as the secret (hashed and masked), and `Code` is not
//!   kept. Fingerprint = rule, path and the hash.
//! - Always complete: the JSON report has no place for errors.

use std::collections::BTreeSet;

use gatehouse_core::{ScannerKind, Severity};
use serde::Deserialize;
use serde_json::Value;

use crate::common::{
    cwe_id, dependency_fingerprint, fallback_fingerprint, from_json, line_number, new_finding,
    push_unique, rel_path, scan, secret_fingerprint, secret_value,
};
use crate::{Format, Import, ImportContext, ImportError};

const F: Format = Format::Trivy;
const TOOL: &str = "trivy";

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Report {
    #[serde(default)]
    results: Vec<TrivyResult>,
    #[serde(default)]
    resources: Vec<Resource>,
    #[serde(default)]
    trivy: Option<Version>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Version {
    #[serde(default)]
    version: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Resource {
    #[serde(default)]
    namespace: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    results: Vec<TrivyResult>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TrivyResult {
    #[serde(default)]
    target: String,
    #[serde(default)]
    class: Option<String>,
    #[serde(default, rename = "Type")]
    kind: Option<String>,
    #[serde(default)]
    vulnerabilities: Option<Vec<Vulnerability>>,
    #[serde(default)]
    misconfigurations: Option<Vec<Misconfiguration>>,
    #[serde(default)]
    secrets: Option<Vec<Secret>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Vulnerability {
    #[serde(rename = "VulnerabilityID")]
    vulnerability_id: String,
    #[serde(default)]
    pkg_name: Option<String>,
    #[serde(default)]
    pkg_path: Option<String>,
    #[serde(default)]
    installed_version: Option<String>,
    #[serde(default)]
    fixed_version: Option<String>,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default, rename = "CweIDs")]
    cwe_ids: Option<Vec<String>>,
    #[serde(default, rename = "PrimaryURL")]
    primary_url: Option<String>,
    #[serde(default)]
    status: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Misconfiguration {
    #[serde(rename = "ID")]
    id: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    resolution: Option<String>,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default, rename = "PrimaryURL")]
    primary_url: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    cause_metadata: Option<CauseMetadata>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CauseMetadata {
    #[serde(default)]
    resource: Option<String>,
    #[serde(default)]
    start_line: Option<i64>,
    #[serde(default)]
    end_line: Option<i64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Secret {
    #[serde(rename = "RuleID")]
    rule_id: String,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    start_line: Option<i64>,
    #[serde(default)]
    end_line: Option<i64>,
    #[serde(default, rename = "Match")]
    matched: Option<String>,
}

fn severity(s: Option<&str>) -> Severity {
    match s.unwrap_or("").to_ascii_uppercase().as_str() {
        "CRITICAL" => Severity::Critical,
        "HIGH" => Severity::High,
        "LOW" => Severity::Low,
        _ => Severity::Medium,
    }
}

fn class_kind(class: &str) -> Option<ScannerKind> {
    match class {
        "lang-pkgs" | "os-pkgs" => Some(ScannerKind::Dependencies),
        "config" => Some(ScannerKind::Iac),
        "secret" => Some(ScannerKind::Secrets),
        _ => None,
    }
}

pub(crate) fn parse(bytes: &[u8]) -> Result<Import, ImportError> {
    let report: Report = from_json(bytes, F)?;
    let version = report.trivy.and_then(|t| t.version);
    let mut targets: Vec<(Option<String>, TrivyResult)> =
        report.results.into_iter().map(|r| (None, r)).collect();
    for res in report.resources {
        let owner = [res.namespace, res.kind, res.name]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("/");
        targets.extend(res.results.into_iter().map(|r| (Some(owner.clone()), r)));
    }

    let mut kinds = BTreeSet::new();
    let mut findings = Vec::new();
    for (owner, r) in targets {
        if let Some(k) = r.class.as_deref().and_then(class_kind) {
            kinds.insert(k);
        }
        let target = match &owner {
            Some(o) if !o.is_empty() => format!("{o}/{}", r.target),
            _ => r.target.clone(),
        };
        let is_os = r.class.as_deref() == Some("os-pkgs");
        let path = if is_os || owner.is_some() {
            None
        } else {
            rel_path(&r.target)
        };
        let ecosystem = r.kind.clone().unwrap_or_default();
        for v in r.vulnerabilities.into_iter().flatten() {
            kinds.insert(ScannerKind::Dependencies);
            let pkg = v.pkg_name.clone().unwrap_or_default();
            let title = format!(
                "{pkg} {}: {}",
                v.installed_version.as_deref().unwrap_or(""),
                v.title.as_deref().unwrap_or(&v.vulnerability_id)
            );
            let mut f = new_finding(
                &v.vulnerability_id,
                ScannerKind::Dependencies,
                severity(v.severity.as_deref()),
                &title,
            );
            f.message = v.description.clone().unwrap_or_else(|| f.title.clone());
            push_unique(&mut f.ids, v.vulnerability_id.clone());
            for c in v.cwe_ids.iter().flatten().filter_map(|c| cwe_id(c)) {
                push_unique(&mut f.cwe, c);
            }
            f.fix = v.fixed_version.clone().filter(|s| !s.is_empty());
            f.location.path = path.clone();
            f.properties
                .insert("package".into(), Value::String(pkg.clone()));
            f.properties
                .insert("ecosystem".into(), Value::String(ecosystem.clone()));
            f.properties
                .insert("target".into(), Value::String(target.clone()));
            if let Some(ver) = &v.installed_version {
                f.properties
                    .insert("version".into(), Value::String(ver.clone()));
            }
            if let Some(u) = &v.primary_url {
                f.properties
                    .insert("help_uri".into(), Value::String(u.clone()));
            }
            if let Some(s) = &v.status {
                f.properties
                    .insert("status".into(), Value::String(s.clone()));
            }
            let manifest = v
                .pkg_path
                .clone()
                .filter(|p| !p.is_empty())
                .unwrap_or(target.clone());
            f.fingerprint =
                dependency_fingerprint(TOOL, &ecosystem, &pkg, &v.vulnerability_id, &manifest);
            findings.push(f);
        }
        for m in r.misconfigurations.into_iter().flatten() {
            kinds.insert(ScannerKind::Iac);
            if m.status.as_deref().is_some_and(|s| s != "FAIL") {
                continue;
            }
            let title = m.title.clone().unwrap_or_default();
            let mut f = new_finding(
                &m.id,
                ScannerKind::Iac,
                severity(m.severity.as_deref()),
                &title,
            );
            f.message = m
                .message
                .clone()
                .or(m.description.clone())
                .unwrap_or_else(|| f.title.clone());
            f.remediation = m.resolution.clone();
            f.location.path = if owner.is_some() {
                None
            } else {
                rel_path(&r.target)
            };
            let resource = m.cause_metadata.as_ref().and_then(|c| c.resource.clone());
            if let Some(c) = &m.cause_metadata {
                f.location.start_line = line_number(c.start_line);
                f.location.end_line = line_number(c.end_line);
            }
            f.properties
                .insert("target".into(), Value::String(target.clone()));
            if let Some(u) = &m.primary_url {
                f.properties
                    .insert("help_uri".into(), Value::String(u.clone()));
            }
            if let Some(res) = resource.as_ref().filter(|r| !r.is_empty()) {
                f.properties
                    .insert("resource".into(), Value::String(res.clone()));
            }
            let ident = match (&owner, resource.filter(|r| !r.is_empty())) {
                (Some(o), Some(res)) => Some(format!("{o} {res}")),
                (Some(o), None) => Some(o.clone()),
                (None, res) => res,
            };
            f.fingerprint = fallback_fingerprint(
                TOOL,
                &f.rule_id,
                f.location.path.as_deref().or(Some(target.as_str())),
                ident.as_deref(),
                f.location.start_line,
            );
            findings.push(f);
        }
        for s in r.secrets.into_iter().flatten() {
            kinds.insert(ScannerKind::Secrets);
            let title = s.title.clone().unwrap_or_default();
            let mut f = new_finding(
                &s.rule_id,
                ScannerKind::Secrets,
                severity(s.severity.as_deref()),
                &title,
            );
            f.location.path = if owner.is_some() {
                None
            } else {
                rel_path(&r.target)
            };
            f.location.start_line = line_number(s.start_line);
            f.location.end_line = line_number(s.end_line);
            f.message = format!("{} in {target}", f.title);
            if let Some(c) = &s.category {
                f.properties
                    .insert("category".into(), Value::String(c.clone()));
            }
            f.properties
                .insert("target".into(), Value::String(target.clone()));
            let sv = secret_value(s.matched.as_deref().unwrap_or("").trim());
            f.fingerprint = secret_fingerprint(TOOL, &f.rule_id, &target, &sv);
            f.evidence.secret = Some(sv);
            findings.push(f);
        }
    }
    if kinds.is_empty() {
        kinds.insert(ScannerKind::Dependencies);
    }
    let scans = kinds
        .into_iter()
        .map(|k| {
            let of_kind = findings
                .iter()
                .filter(|f| f.scanner == k)
                .cloned()
                .collect();
            scan(TOOL, version.clone(), k, Vec::new(), of_kind)
        })
        .collect();
    Ok(Import {
        format: F,
        scans,
        context: ImportContext::default(),
    })
}
