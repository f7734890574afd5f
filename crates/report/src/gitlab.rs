//! GitLab security reports (schema version [`GITLAB_SCHEMA_VERSION`]) from a gate report: SAST
//! from the code and infrastructure-as-code scanners, secret detection from the secret scanner, dependency scanning from the
//! dependency scanner. One document per report type; a type whose scanner did not run is a valid,
//! empty, successful report.
//!
//! Every finding is a vulnerability, blocking or not (GitLab shows them all); the gate's decision
//! is in the vulnerability's `details`. The schemas are vendored in `schema/gitlab/` and every
//! rendered document is validated against them in the tests.
//!
//! Vulnerability ids are name-based UUIDs (version 8, SHA-256, as RFC 9562's example B.2) of the
//! scanner, the fingerprint and the commit, so a finding keeps its id from run to run.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use gatehouse_core::{
    Decision, Finding, GateReport, GateScan, RuleMeta, ScannerKind, Severity, Verdict,
};
use serde::Serialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::gate::waiver_reason;
use crate::text::{cwe_number, is_plain_url, location_label, truncate_chars};
use crate::RenderError;

/// The version of GitLab's security report schemas the documents declare and are tested against.
pub const GITLAB_SCHEMA_VERSION: &str = "15.2.1";

/// The namespace of Gatehouse's name-based vulnerability UUIDs.
const UUID_NAMESPACE: [u8; 16] = [
    0x6a, 0x1f, 0x3c, 0x52, 0x9e, 0x07, 0x4b, 0x8d, 0xa4, 0x35, 0x0c, 0x7e, 0x21, 0xd9, 0x58, 0xf3,
];

/// The schema's length limits, in characters.
const MAX_NAME: usize = 255;
const MAX_DESCRIPTION: usize = 1_048_576;
const MAX_SOLUTION: usize = 7000;

/// The three GitLab report types Gatehouse writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sast,
    SecretDetection,
    DependencyScanning,
}

impl Kind {
    /// The scanners whose findings the report holds: GitLab shows infrastructure-as-code
    /// findings as SAST, as its own IaC scanning does.
    fn scanners(self) -> &'static [ScannerKind] {
        match self {
            Kind::Sast => &[ScannerKind::Code, ScannerKind::Iac],
            Kind::SecretDetection => &[ScannerKind::Secrets],
            Kind::DependencyScanning => &[ScannerKind::Dependencies],
        }
    }

    fn scanner_id(self) -> &'static str {
        match self {
            Kind::Sast => "gatehouse-code",
            Kind::SecretDetection => "gatehouse-secrets",
            Kind::DependencyScanning => "gatehouse-dependencies",
        }
    }

    fn scan_type(self) -> &'static str {
        match self {
            Kind::Sast => "sast",
            Kind::SecretDetection => "secret_detection",
            Kind::DependencyScanning => "dependency_scanning",
        }
    }

    fn schema_file(self) -> &'static str {
        match self {
            Kind::Sast => "sast-report-format.json",
            Kind::SecretDetection => "secret-detection-report-format.json",
            Kind::DependencyScanning => "dependency-scanning-report-format.json",
        }
    }

    fn scanner_name(self) -> &'static str {
        match self {
            Kind::Sast => "Gatehouse static analysis",
            Kind::SecretDetection => "Gatehouse secret detection",
            Kind::DependencyScanning => "Gatehouse dependency scanning",
        }
    }
}

#[derive(Serialize)]
struct Report {
    version: &'static str,
    schema: String,
    scan: Scan,
    vulnerabilities: Vec<Vulnerability>,
}

#[derive(Serialize)]
struct Scan {
    analyzer: Tool,
    scanner: Tool,
    #[serde(rename = "type")]
    kind: &'static str,
    start_time: String,
    end_time: String,
    status: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    messages: Vec<Message>,
}

#[derive(Serialize)]
struct Tool {
    id: String,
    name: &'static str,
    version: String,
    vendor: Vendor,
}

#[derive(Serialize)]
struct Vendor {
    name: &'static str,
}

#[derive(Serialize)]
struct Message {
    level: &'static str,
    value: String,
}

#[derive(Serialize)]
struct Vulnerability {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    severity: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    solution: Option<String>,
    identifiers: Vec<Identifier>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    links: Vec<Link>,
    location: Value,
    details: BTreeMap<&'static str, Detail>,
    #[serde(skip_serializing_if = "Option::is_none")]
    raw_source_code_extract: Option<String>,
}

#[derive(Serialize, PartialEq, Eq)]
struct Identifier {
    #[serde(rename = "type")]
    kind: String,
    name: String,
    value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Serialize)]
struct Link {
    url: String,
}

/// A `details` entry of type `text`.
#[derive(Serialize)]
struct Detail {
    name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    value: String,
}

impl Detail {
    fn text(name: &'static str, value: impl Into<String>) -> Self {
        Detail {
            name,
            kind: "text",
            value: value.into(),
        }
    }
}

pub fn render(gate: &GateReport, kind: Kind) -> Result<String, RenderError> {
    let start_time = gitlab_time("context.started", &gate.context.started)?;
    let end_time = gitlab_time("context.finished", &gate.context.finished)?;
    let scans: Vec<&GateScan> = gate
        .scans
        .iter()
        .filter(|s| kind.scanners().contains(&s.scanner))
        .collect();

    let mut messages = vec![Message {
        level: "info",
        value: verdict_message(gate),
    }];
    let mut failed = false;
    let mut vulnerabilities = Vec::new();
    let mut ids = BTreeSet::new();
    let mut scanner_version = None;
    for scan in &scans {
        let report = &scan.report;
        if !report.version.is_empty() {
            scanner_version.get_or_insert(report.version.clone());
        }
        failed |= !report.errors.is_empty() || !report.gaps.is_empty();
        for e in &report.errors {
            let value = match &e.path {
                Some(p) => format!("{p}: {}", e.message),
                None => e.message.clone(),
            };
            messages.push(message("warn", value));
        }
        for g in &report.gaps {
            messages.push(message(
                "warn",
                format!("not checked: {} {}: {}", g.count, g.scope, g.reason),
            ));
        }
        for w in &report.warnings {
            let value = match (&w.path, w.line) {
                (Some(p), Some(l)) => format!("{p}:{l}: {}", w.message),
                (Some(p), None) => format!("{p}: {}", w.message),
                _ => w.message.clone(),
            };
            messages.push(message("info", value));
        }
        for s in &report.stale {
            let at = match s.line {
                Some(l) => format!("{}:{l}", s.source),
                None => s.source.clone(),
            };
            messages.push(message(
                "info",
                format!("stale ignore or baseline entry in {at}: {}", s.entry),
            ));
        }
        for (f, decision) in scan.findings() {
            let rule = report.rules.get(&f.rule_id);
            vulnerabilities.push(vulnerability(gate, kind, f, rule, decision, &mut ids));
        }
    }

    let version = or_unknown(&gate.version);
    let doc = Report {
        version: GITLAB_SCHEMA_VERSION,
        schema: format!(
            "https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v{GITLAB_SCHEMA_VERSION}/dist/{}",
            kind.schema_file()
        ),
        scan: Scan {
            analyzer: Tool {
                id: "gatehouse".into(),
                name: "Gatehouse",
                version: version.clone(),
                vendor: Vendor { name: "Gatehouse" },
            },
            scanner: Tool {
                id: kind.scanner_id().into(),
                name: kind.scanner_name(),
                version: scanner_version.unwrap_or(version),
                vendor: Vendor { name: "Gatehouse" },
            },
            kind: kind.scan_type(),
            start_time,
            end_time,
            status: if failed { "failure" } else { "success" },
            messages,
        },
        vulnerabilities,
    };
    let mut s = serde_json::to_string_pretty(&doc)?;
    s.push('\n');
    Ok(s)
}

fn or_unknown(s: &str) -> String {
    if s.trim().is_empty() {
        "unknown".to_string()
    } else {
        s.to_string()
    }
}

/// A scan message; the schema wants a non-empty value.
fn message(level: &'static str, value: String) -> Message {
    let value = if value.is_empty() {
        "(no message)".to_string()
    } else {
        value
    };
    Message { level, value }
}

fn verdict_message(gate: &GateReport) -> String {
    let verdict = match gate.verdict {
        Verdict::Pass => "passed",
        Verdict::Blocked => "blocked",
        Verdict::Incomplete => "incomplete (something could not be scanned or checked)",
    };
    format!(
        "Gatehouse gate, stage {}: {verdict}; {} of {} findings block",
        gate.stage,
        gate.blocking(),
        gate.total()
    )
}

fn vulnerability(
    gate: &GateReport,
    kind: Kind,
    f: &Finding,
    rule: Option<&RuleMeta>,
    decision: &Decision,
    ids: &mut BTreeSet<String>,
) -> Vulnerability {
    let name = [
        rule.map(|r| r.title.as_str()),
        Some(&f.title),
        Some(&f.rule_id),
    ]
    .into_iter()
    .flatten()
    .find(|s| !s.trim().is_empty())
    .map(|s| truncate_chars(s, MAX_NAME).into_owned());

    let mut description = f.message.clone();
    if let Some(d) = rule
        .map(|r| r.description.trim())
        .filter(|d| !d.is_empty() && *d != f.message.trim())
    {
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str(d);
    }
    let description = (!description.trim().is_empty())
        .then(|| truncate_chars(&description, MAX_DESCRIPTION).into_owned());

    let mut solution = f
        .remediation
        .clone()
        .or_else(|| rule.map(|r| r.remediation.clone()))
        .unwrap_or_default();
    if let Some(fix) = f.fix.as_deref().filter(|fix| !solution.contains(fix)) {
        if !solution.is_empty() {
            solution.push(' ');
        }
        let _ = write!(solution, "Fixed in: {fix}.");
    }
    let solution =
        (!solution.trim().is_empty()).then(|| truncate_chars(&solution, MAX_SOLUTION).into_owned());

    let mut links: Vec<Link> = Vec::new();
    for r in rule.map(|r| r.references.as_slice()).unwrap_or_default() {
        if is_plain_url(r) && !links.iter().any(|l| &l.url == r) {
            links.push(Link { url: r.clone() });
        }
    }

    let mut details = BTreeMap::new();
    let why = match decision {
        Decision::Blocks => "blocks the pipeline".to_string(),
        Decision::Passes { waiver } => {
            format!("passes: {}", waiver_reason(waiver, f, &gate.context))
        }
    };
    details.insert(
        "gatehouse_decision",
        Detail::text("Gatehouse gate decision", why),
    );
    details.insert(
        "gatehouse_fingerprint",
        Detail::text("Gatehouse fingerprint", f.fingerprint.as_str()),
    );
    details.insert(
        "gatehouse_confidence",
        Detail::text("Confidence", f.confidence.as_str()),
    );
    if let Some(s) = &f.evidence.secret {
        details.insert(
            "gatehouse_secret",
            Detail::text(
                "Secret (masked)",
                format!("{} (SHA-256 {})", s.masked, s.sha256),
            ),
        );
    }

    let raw_source_code_extract = match kind {
        Kind::Sast => f.evidence.snippet.clone(),
        // Only when the user asked for plain secrets; the masked preview is in `details`.
        Kind::SecretDetection => f.evidence.secret.as_ref().and_then(|s| s.plain.clone()),
        Kind::DependencyScanning => None,
    };

    Vulnerability {
        id: unique_id(f, ids),
        name,
        description,
        severity: severity(f.severity),
        solution,
        identifiers: identifiers(f, rule),
        links,
        location: location(gate, kind, f),
        details,
        raw_source_code_extract,
    }
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "Critical",
        Severity::High => "High",
        Severity::Medium => "Medium",
        Severity::Low => "Low",
        Severity::Info => "Info",
    }
}

/// The finding's UUID; a later finding with the same identity (the same secret in the same commit
/// twice) gets the next occurrence number in its name, so ids stay unique within a document.
fn unique_id(f: &Finding, seen: &mut BTreeSet<String>) -> String {
    let commit = f.location.commit.as_ref().map_or("", |c| c.id.as_str());
    let mut occurrence = 0u64;
    loop {
        let mut name = format!(
            "{}\0{}\0{commit}",
            f.scanner.as_str(),
            f.fingerprint.as_str()
        );
        if occurrence > 0 {
            let _ = write!(name, "\0{occurrence}");
        }
        let id = name_based_uuid(name.as_bytes());
        if seen.insert(id.clone()) {
            return id;
        }
        occurrence += 1;
    }
}

/// A name-based UUID, version 8 with SHA-256 (RFC 9562, appendix B.2): the first 128 bits of
/// SHA-256(namespace ‖ name), with the version and variant bits set.
fn name_based_uuid(name: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(UUID_NAMESPACE);
    h.update(name);
    let digest = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let mut s = String::with_capacity(36);
    for (i, byte) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        let _ = write!(s, "{byte:02x}");
    }
    s
}

/// The rule id first (GitLab's primary identifier), then CWE ids, then advisory ids (CVE, GHSA,
/// RUSTSEC, …) from the rule id and the finding's other ids; each once.
fn identifiers(f: &Finding, rule: Option<&RuleMeta>) -> Vec<Identifier> {
    let rule_id = if f.rule_id.is_empty() {
        "unknown"
    } else {
        f.rule_id.as_str()
    };
    let mut out = vec![Identifier {
        kind: "gatehouse_rule_id".into(),
        name: format!("Gatehouse rule {rule_id}"),
        value: rule_id.into(),
        url: rule.and_then(|r| r.references.iter().find(|u| is_plain_url(u)).cloned()),
    }];
    let mut push = |i: Identifier| {
        if !out.iter().any(|o| o.kind == i.kind && o.value == i.value) {
            out.push(i);
        }
    };
    for c in &f.cwe {
        if let Some(n) = cwe_number(c) {
            push(Identifier {
                kind: "cwe".into(),
                name: format!("CWE-{n}"),
                value: n.to_string(),
                url: Some(format!("https://cwe.mitre.org/data/definitions/{n}.html")),
            });
        }
    }
    // The rule id counts as an advisory id only when it has a known advisory prefix (dependency
    // findings' rules are advisories); `aws-access-key-id` is not one.
    let advisory_ids = std::iter::once(&f.rule_id)
        .filter(|id| advisory_kind(id).is_some_and(|(kind, _)| kind != "advisory"))
        .chain(&f.ids);
    for id in advisory_ids {
        let id = id.trim();
        if id.is_empty() {
            continue;
        }
        let (kind, url) = match advisory_kind(id) {
            Some(("cve", true)) => (
                "cve",
                Some(format!("https://www.cve.org/CVERecord?id={id}")),
            ),
            Some(("ghsa", true)) => ("ghsa", Some(format!("https://github.com/advisories/{id}"))),
            Some(("rustsec", true)) => (
                "rustsec",
                Some(format!("https://rustsec.org/advisories/{id}.html")),
            ),
            Some((kind, _)) => (kind, None),
            None => ("advisory", None),
        };
        push(Identifier {
            kind: kind.into(),
            name: id.to_string(),
            value: id.to_string(),
            url,
        });
    }
    out
}

/// The identifier type of an advisory id and whether it is well-formed enough to link to:
/// `CVE-2024-12345` → (`cve`, true), `PYSEC-2021-1` → (`pysec`, false); ids without an
/// alphabetic prefix and a dash are not advisory ids.
fn advisory_kind(id: &str) -> Option<(&'static str, bool)> {
    let (prefix, rest) = id.split_once('-')?;
    if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_alphabetic()) || rest.is_empty() {
        return None;
    }
    let safe = rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let year_number = || {
        rest.split_once('-')
            .is_some_and(|(y, n)| digits(y) && digits(n))
    };
    Some(match prefix.to_ascii_lowercase().as_str() {
        "cve" => ("cve", year_number()),
        "ghsa" => ("ghsa", safe && rest.split('-').count() == 3),
        "rustsec" => ("rustsec", year_number()),
        "pysec" => ("pysec", false),
        "osv" => ("osv", false),
        "go" => ("go", false),
        _ => ("advisory", false),
    })
}

fn location(gate: &GateReport, kind: Kind, f: &Finding) -> Value {
    let loc = &f.location;
    // The path; a network finding's `host:port`; nothing else (the file is optional, except in
    // dependency scanning, where the label stands in).
    let file = match loc.path.as_deref().filter(|p| !p.is_empty()) {
        Some(p) => Some(p.to_string()),
        None if loc.host.is_some() => Some(location_label(loc)),
        None => None,
    };
    let start = (loc.start_line > 0).then_some(loc.start_line);
    let end = if loc.end_line > 0 {
        Some(loc.end_line)
    } else {
        start
    };
    let mut v = match kind {
        Kind::Sast => json!({}),
        Kind::SecretDetection => {
            // The schema requires a commit. A history finding has its own; a working-tree
            // finding is in the commit the pipeline runs on, when known.
            let commit = match &loc.commit {
                Some(c) => {
                    let author = if c.author_email.is_empty() {
                        c.author_name.clone()
                    } else {
                        format!("{} <{}>", c.author_name, c.author_email)
                    };
                    json!({ "sha": or_zero(&c.id), "author": author, "date": c.date })
                }
                None => json!({ "sha": or_zero(gate.context.commit.as_deref().unwrap_or("")) }),
            };
            json!({ "commit": commit })
        }
        Kind::DependencyScanning => {
            let prop = |key: &str| match f.properties.get(key) {
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Null) | None => None,
                Some(other) => Some(other.to_string()),
            };
            let mut dependency = json!({
                "package": { "name": prop("package").unwrap_or_else(|| "unknown".into()) },
                "version": prop("version").unwrap_or_else(|| "unknown".into()),
            });
            if let Some(Value::Bool(direct)) = f.properties.get("direct") {
                dependency["direct"] = json!(direct);
            }
            let file = file.unwrap_or_else(|| location_label(loc));
            return json!({ "file": file, "dependency": dependency });
        }
    };
    if let Some(file) = file {
        v["file"] = json!(file);
    }
    if let Some(s) = start {
        v["start_line"] = json!(s);
    }
    if let Some(e) = end {
        v["end_line"] = json!(e);
    }
    v
}

/// A commit id, or GitLab's placeholder for "no commit" when there is none.
fn or_zero(sha: &str) -> String {
    if sha.trim().is_empty() {
        "0000000".to_string()
    } else {
        sha.to_string()
    }
}

/// An RFC 3339 timestamp as GitLab's `YYYY-MM-DDTHH:MM:SS` in UTC: fractions dropped, an offset
/// applied, a leap second written as :59.
fn gitlab_time(field: &'static str, value: &str) -> Result<String, RenderError> {
    let bad = || RenderError::Timestamp {
        field,
        value: value.to_string(),
    };
    // RFC 3339 (what the context holds): a `Z` or a `±HH:MM` offset, which jiff's wider ISO 8601
    // parser would not insist on.
    let v = value.trim().as_bytes();
    let offset = v.ends_with(b"Z")
        || v.ends_with(b"z")
        || (v.len() >= 6 && v[v.len() - 3] == b':' && matches!(v[v.len() - 6], b'+' | b'-'));
    if !offset {
        return Err(bad());
    }
    let ts: jiff::Timestamp = value.trim().parse().map_err(|_| bad())?;
    let utc = ts.to_zoned(jiff::tz::TimeZone::UTC);
    if !(0..=9999).contains(&utc.year()) {
        return Err(bad());
    }
    Ok(utc.strftime("%Y-%m-%dT%H:%M:%S").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_become_gitlab_utc() {
        let t = |s: &str| gitlab_time("t", s);
        assert_eq!(t("2026-03-01T10:00:04Z").unwrap(), "2026-03-01T10:00:04");
        assert_eq!(
            t("2026-03-01T10:00:04.250Z").unwrap(),
            "2026-03-01T10:00:04"
        );
        assert_eq!(t("2026-03-01t10:00:04z").unwrap(), "2026-03-01T10:00:04");
        assert_eq!(
            t("2026-03-01 10:00:04+00:00").unwrap(),
            "2026-03-01T10:00:04"
        );
        assert_eq!(
            t("2026-03-01T01:30:00+02:00").unwrap(),
            "2026-02-28T23:30:00"
        );
        assert_eq!(
            t("2024-02-28T23:30:00-01:00").unwrap(),
            "2024-02-29T00:30:00"
        );
        assert_eq!(t("2016-12-31T23:59:60Z").unwrap(), "2016-12-31T23:59:59");
        assert_eq!(
            t("1999-12-31T23:00:00-01:00").unwrap(),
            "2000-01-01T00:00:00"
        );
        for bad in [
            "",
            "2026-03-01",
            "2026-03-01T10:00:04",
            "2026-13-01T10:00:04Z",
            "2026-02-29T10:00:04Z",
            "2026-03-01T24:00:00Z",
            "2026-03-01T10:00:04.Z",
            "2026-03-01T10:00:04+0200",
            "2026-03-01T10:00:04Zjunk",
            "２０２６-03-01T10:00:04Z",
            "0000-01-01T00:00:00+00:01",
        ] {
            let err = t(bad).unwrap_err();
            assert!(err.to_string().contains("`t`"), "{bad}: {err}");
        }
    }

    #[test]
    fn uuids_are_version_8_and_stable() {
        let a = name_based_uuid(b"secrets\0abc\0");
        assert_eq!(a, name_based_uuid(b"secrets\0abc\0"));
        assert_ne!(a, name_based_uuid(b"secrets\0abd\0"));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "8");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"));
    }

    #[test]
    fn advisory_kinds() {
        assert_eq!(advisory_kind("CVE-2024-12345"), Some(("cve", true)));
        assert_eq!(advisory_kind("cve-x"), Some(("cve", false)));
        assert_eq!(advisory_kind("GHSA-434x-w66g-qw3r"), Some(("ghsa", true)));
        assert_eq!(advisory_kind("GHSA-434x/../x-y"), Some(("ghsa", false)));
        assert_eq!(advisory_kind("RUSTSEC-2024-0001"), Some(("rustsec", true)));
        assert_eq!(advisory_kind("PYSEC-2021-1"), Some(("pysec", false)));
        assert_eq!(
            advisory_kind("aws-access-key-id"),
            Some(("advisory", false))
        );
        assert_eq!(advisory_kind("python.eval"), None);
        assert_eq!(advisory_kind("-x"), None);
    }
}
