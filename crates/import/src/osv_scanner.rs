//! osv-scanner JSON (`osv-scanner --format json`): scanner kind dependencies.
//!
//! One finding per package and vulnerability group (osv-scanner groups the aliases of one
//! vulnerability, e.g. a GHSA and its PYSEC and CVE); the rule is the group's first id and every
//! id and alias goes into `ids`. Without groups, each vulnerability is its own.
//!
//! - **Severity** (first that applies): the group's `max_severity` (a CVSS score: 9+ critical,
//!   7+ high, 4+ medium, above 0 low); the advisory's `database_specific.severity` (GitHub's
//!   CRITICAL, HIGH, MODERATE, LOW); the base score of a `CVSS_V3` vector in `severity`; a
//!   malicious-package advisory (`MAL-…`) is critical; otherwise medium.
//! - **Fingerprint**: tool, ecosystem, package, the group's first id and the manifest
//!   (`source.path`, made relative), no version.
//! - **Fix**: the `fixed` versions of the package's affected ranges, joined with `or`.
//! - Always complete: the JSON report has no place for errors.

use std::collections::BTreeSet;

use gatehouse_core::{ScannerKind, Severity};
use serde::Deserialize;
use serde_json::Value;

use crate::common::{
    cvss3_base_score, cwe_id, dependency_fingerprint, first_sentence, from_json, new_finding,
    number, push_unique, rel_path, scan, severity_from_score,
};
use crate::{Format, Import, ImportContext, ImportError};

const F: Format = Format::OsvScanner;
const TOOL: &str = "osv-scanner";

#[derive(Deserialize)]
struct Report {
    #[serde(default)]
    results: Vec<SourceResult>,
}

#[derive(Deserialize)]
struct SourceResult {
    #[serde(default)]
    source: Source,
    #[serde(default)]
    packages: Vec<PackageResult>,
}

#[derive(Deserialize, Default)]
struct Source {
    #[serde(default)]
    path: String,
}

#[derive(Deserialize)]
struct PackageResult {
    package: Package,
    #[serde(default)]
    vulnerabilities: Vec<Vulnerability>,
    #[serde(default)]
    groups: Vec<Group>,
}

#[derive(Deserialize)]
struct Package {
    #[serde(default)]
    name: String,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    ecosystem: String,
}

#[derive(Deserialize)]
struct Vulnerability {
    id: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    details: Option<String>,
    #[serde(default)]
    affected: Vec<Affected>,
    #[serde(default)]
    severity: Vec<SeverityEntry>,
    #[serde(default)]
    database_specific: Value,
}

#[derive(Deserialize)]
struct Affected {
    #[serde(default)]
    package: Option<AffectedPackage>,
    #[serde(default)]
    ranges: Vec<Range>,
    #[serde(default)]
    database_specific: Value,
}

#[derive(Deserialize)]
struct AffectedPackage {
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
struct Range {
    #[serde(default)]
    events: Vec<Value>,
}

#[derive(Deserialize)]
struct SeverityEntry {
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    score: String,
}

#[derive(Deserialize)]
struct Group {
    #[serde(default)]
    ids: Vec<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    max_severity: Option<Value>,
}

fn vuln_severity(v: &Vulnerability) -> Option<Severity> {
    if let Some(s) = v.database_specific.get("severity").and_then(Value::as_str) {
        if let Ok(sev) = s.parse::<Severity>() {
            return Some(sev);
        }
    }
    v.severity
        .iter()
        .filter(|s| s.kind.starts_with("CVSS_V3"))
        .find_map(|s| cvss3_base_score(&s.score))
        .map(severity_from_score)
}

pub(crate) fn parse(bytes: &[u8]) -> Result<Import, ImportError> {
    let report: Report = from_json(bytes, F)?;
    let mut findings = Vec::new();
    for source in report.results {
        let manifest = rel_path(&source.source.path);
        for p in source.packages {
            // Each group of aliases is one finding; vulnerabilities outside every group stand alone.
            let mut groups: Vec<(Vec<String>, Vec<String>, Option<f64>)> = p
                .groups
                .iter()
                .filter(|g| !g.ids.is_empty())
                .map(|g| {
                    (
                        g.ids.clone(),
                        g.aliases.clone(),
                        g.max_severity.as_ref().and_then(number),
                    )
                })
                .collect();
            for v in &p.vulnerabilities {
                if !groups
                    .iter()
                    .any(|(ids, aliases, _)| ids.contains(&v.id) || aliases.contains(&v.id))
                {
                    groups.push((vec![v.id.clone()], v.aliases.clone(), None));
                }
            }
            for (ids, aliases, max) in groups {
                let members: Vec<&Vulnerability> = p
                    .vulnerabilities
                    .iter()
                    .filter(|v| ids.contains(&v.id) || aliases.contains(&v.id))
                    .collect();
                let rule = ids[0].clone();
                let lead = members
                    .iter()
                    .find(|v| v.id == rule)
                    .or(members.first())
                    .copied();
                let severity = max
                    .map(severity_from_score)
                    .or_else(|| members.iter().find_map(|v| vuln_severity(v)))
                    .unwrap_or(if rule.starts_with("MAL-") {
                        Severity::Critical
                    } else {
                        Severity::Medium
                    });
                let summary = lead
                    .and_then(|v| {
                        v.summary
                            .clone()
                            .or_else(|| v.details.as_deref().map(first_sentence))
                    })
                    .unwrap_or_else(|| rule.clone());
                let title = format!(
                    "{} {}: {summary}",
                    p.package.name,
                    p.package.version.as_deref().unwrap_or("")
                );
                let mut f = new_finding(&rule, ScannerKind::Dependencies, severity, &title);
                f.message = lead
                    .and_then(|v| v.details.clone())
                    .map(|d| d.trim().to_string())
                    .filter(|d| !d.is_empty())
                    .unwrap_or_else(|| f.title.clone());
                let mut all_ids: BTreeSet<String> = ids.iter().cloned().collect();
                all_ids.extend(aliases.iter().cloned());
                for v in &members {
                    all_ids.insert(v.id.clone());
                    all_ids.extend(v.aliases.iter().cloned());
                }
                push_unique(&mut f.ids, rule.clone());
                for id in all_ids {
                    push_unique(&mut f.ids, id);
                }
                let mut fixed = Vec::new();
                for v in &members {
                    let cwes = v
                        .database_specific
                        .get("cwe_ids")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .map(str::to_string);
                    let affected_cwes = v
                        .affected
                        .iter()
                        .filter_map(|a| a.database_specific.get("cwes").and_then(Value::as_array))
                        .flatten()
                        .filter_map(|c| c.get("cweId").and_then(Value::as_str))
                        .map(str::to_string);
                    for c in cwes.chain(affected_cwes).filter_map(|c| cwe_id(&c)) {
                        push_unique(&mut f.cwe, c);
                    }
                    for a in &v.affected {
                        if a.package
                            .as_ref()
                            .is_some_and(|ap| ap.name != p.package.name)
                        {
                            continue;
                        }
                        for e in a.ranges.iter().flat_map(|r| &r.events) {
                            if let Some(fx) = e.get("fixed").and_then(Value::as_str) {
                                push_unique(&mut fixed, fx.to_string());
                            }
                        }
                    }
                }
                if !fixed.is_empty() {
                    f.fix = Some(fixed.join(" or "));
                }
                f.location.path = manifest.clone();
                f.properties
                    .insert("package".into(), Value::String(p.package.name.clone()));
                f.properties.insert(
                    "ecosystem".into(),
                    Value::String(p.package.ecosystem.clone()),
                );
                if let Some(ver) = &p.package.version {
                    f.properties
                        .insert("version".into(), Value::String(ver.clone()));
                }
                f.fingerprint = dependency_fingerprint(
                    TOOL,
                    &p.package.ecosystem,
                    &p.package.name,
                    &rule,
                    manifest.as_deref().unwrap_or(""),
                );
                findings.push(f);
            }
        }
    }
    Ok(Import {
        format: F,
        scans: vec![scan(
            TOOL,
            None,
            ScannerKind::Dependencies,
            Vec::new(),
            findings,
        )],
        context: ImportContext::default(),
    })
}
