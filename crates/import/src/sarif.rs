//! SARIF 2.1.0 from any tool: one scan per run.
//!
//! - **Tool**: `run.tool.driver.name`, lowercased; its `semanticVersion` or `version`.
//! - **Kind** (first that applies): a known driver name (gitleaks, trufflehog, detect-secrets →
//!   secrets; trivy, grype, osv-scanner, dependency-check, snyk → dependencies; checkov, tfsec,
//!   kics, terrascan, kube-linter, hadolint → iac; zap → dast); the results' `properties.scanner`
//!   (Gatehouse's own SARIF); a scanner kind named in every rule's tags (`secrets`, `secret`,
//!   `dependencies`, `iac`, `dast`, `code`); otherwise code. A result whose `properties.scanner`
//!   names a kind (Gatehouse's own SARIF does) has that kind, and a run whose results name several
//!   kinds becomes one scan per kind.
//! - **Severity** (first that applies): the result's `properties.security-severity` (a CVSS-like
//!   score: 9+ critical, 7+ high, 4+ medium, above 0 low, 0 info); a severity name in the result's
//!   `properties.severity`; the rule's `properties.security-severity`; the level (the result's,
//!   else the rule's `defaultConfiguration.level`, else `warning`): error → high, warning →
//!   medium, note → low, none → info.
//! - **Confidence**: the result's `properties.confidence` when it is a name, else the rule's
//!   `properties.precision`: very-high and high → high, medium → medium, low → low.
//! - **Title**: the rule's short description (its full description's first sentence when the short
//!   one only repeats the rule id), else its name, else the message's first line.
//! - **Fingerprint**: Gatehouse's own (`partialFingerprints["gatehouse/v1"]`) as it is; for a
//!   secret, the tool, rule, path and the secret's SHA-256; otherwise the non-empty entries of
//!   `fingerprints`, else of `partialFingerprints`, hashed with the tool, rule and path (Semgrep's
//!   placeholder `requires login` counts as empty); otherwise the importers' fallback.
//! - **Left out**: results whose `kind` is `pass` or `notApplicable`, whose `baselineState` is
//!   `absent`, and results suppressed in the tool (any `suppressions` entry not `rejected`), except
//!   in Gatehouse's own SARIF, where suppressions are the gate's waivers and the findings stand.
//! - **Incomplete** when an invocation has `executionSuccessful: false` or an error-level tool
//!   execution or configuration notification.
//! - **Secrets**: in a secrets run the snippet is taken as the secret: hashed, masked, and masked
//!   in the message too; result properties are not copied. A `properties.secret.plain` is dropped.

use std::collections::{BTreeMap, BTreeSet};

use gatehouse_core::{CommitInfo, Confidence, Fingerprint, ScannerKind, SecretValue, Severity};
use serde::Deserialize;
use serde_json::Value;

use crate::common::{
    cwe_id, fallback_fingerprint, first_sentence, from_json, line_number, new_finding, number,
    percent_decode, push_unique, redact, rel_path, scan, secret_fingerprint, secret_value,
    severity_from_score, url_host_port,
};
use crate::{Format, Import, ImportContext, ImportError, ImportedScan};

const F: Format = Format::Sarif;

#[derive(Deserialize)]
struct Log {
    #[serde(default)]
    version: Option<String>,
    runs: Vec<Run>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    #[serde(default)]
    results: Option<Vec<SarifResult>>,
    #[serde(default)]
    invocations: Vec<Invocation>,
    #[serde(default)]
    artifacts: Vec<Artifact>,
    #[serde(default)]
    original_uri_base_ids: BTreeMap<String, ArtifactLocation>,
}

#[derive(Deserialize)]
struct Tool {
    driver: Component,
    #[serde(default)]
    extensions: Vec<Component>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Component {
    name: String,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    semantic_version: Option<String>,
    #[serde(default)]
    rules: Vec<Rule>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Rule {
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    short_description: Option<Message>,
    #[serde(default)]
    full_description: Option<Message>,
    #[serde(default)]
    help: Option<Message>,
    #[serde(default)]
    help_uri: Option<String>,
    #[serde(default)]
    default_configuration: Option<Configuration>,
    #[serde(default)]
    properties: Option<Value>,
}

#[derive(Deserialize, Default)]
struct Configuration {
    #[serde(default)]
    level: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
struct Message {
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    markdown: Option<String>,
}

impl Message {
    fn text(&self) -> Option<&str> {
        self.text
            .as_deref()
            .or(self.markdown.as_deref())
            .filter(|t| !t.trim().is_empty())
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    #[serde(default)]
    execution_successful: Option<bool>,
    #[serde(default)]
    exit_code_description: Option<String>,
    #[serde(default)]
    tool_execution_notifications: Vec<Notification>,
    #[serde(default)]
    tool_configuration_notifications: Vec<Notification>,
}

#[derive(Deserialize)]
struct Notification {
    #[serde(default)]
    level: Option<String>,
    #[serde(default)]
    message: Option<Message>,
}

#[derive(Deserialize)]
struct Artifact {
    #[serde(default)]
    location: Option<ArtifactLocation>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    #[serde(default)]
    uri: Option<String>,
    #[serde(default)]
    uri_base_id: Option<String>,
    #[serde(default)]
    index: Option<i64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    #[serde(default)]
    rule_id: Option<String>,
    #[serde(default)]
    rule_index: Option<i64>,
    #[serde(default)]
    rule: Option<RuleReference>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    level: Option<String>,
    #[serde(default)]
    message: Option<Message>,
    #[serde(default)]
    locations: Vec<ResultLocation>,
    #[serde(default)]
    fingerprints: BTreeMap<String, Value>,
    #[serde(default)]
    partial_fingerprints: BTreeMap<String, Value>,
    #[serde(default)]
    baseline_state: Option<String>,
    #[serde(default)]
    suppressions: Vec<Suppression>,
    #[serde(default)]
    properties: Option<Value>,
}

#[derive(Deserialize)]
struct RuleReference {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    index: Option<i64>,
}

#[derive(Deserialize)]
struct Suppression {
    #[serde(default)]
    status: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResultLocation {
    #[serde(default)]
    physical_location: Option<PhysicalLocation>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    #[serde(default)]
    artifact_location: Option<ArtifactLocation>,
    #[serde(default)]
    region: Option<Region>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    #[serde(default)]
    start_line: Option<i64>,
    #[serde(default)]
    start_column: Option<i64>,
    #[serde(default)]
    end_line: Option<i64>,
    #[serde(default)]
    end_column: Option<i64>,
    #[serde(default)]
    snippet: Option<Snippet>,
}

#[derive(Deserialize)]
struct Snippet {
    #[serde(default)]
    text: Option<String>,
}

pub(crate) fn parse(bytes: &[u8]) -> Result<Import, ImportError> {
    let log: Log = from_json(bytes, F)?;
    if let Some(v) = &log.version {
        if v != "2.1.0" {
            return Err(crate::common::invalid(
                F,
                format!("at `version`: SARIF {v} is not supported (2.1.0 is)"),
            ));
        }
    }
    let scans = log
        .runs
        .iter()
        .enumerate()
        .flat_map(|(i, run)| import_run(i, run))
        .collect();
    Ok(Import {
        format: F,
        scans,
        context: ImportContext::default(),
    })
}

const SECRET_TOOLS: &[&str] = &["gitleaks", "trufflehog", "detect-secrets", "ggshield"];
const DEPENDENCY_TOOLS: &[&str] = &[
    "trivy",
    "grype",
    "osv-scanner",
    "osv",
    "dependency-check",
    "snyk",
    "npm audit",
    "pip-audit",
    "cargo-audit",
];
const IAC_TOOLS: &[&str] = &[
    "checkov",
    "tfsec",
    "kics",
    "terrascan",
    "kube-linter",
    "hadolint",
    "trivy config",
];

fn known_kind(tool: &str) -> Option<ScannerKind> {
    let has = |list: &[&str]| list.iter().any(|t| tool.contains(t));
    if has(SECRET_TOOLS) {
        Some(ScannerKind::Secrets)
    } else if has(IAC_TOOLS) {
        Some(ScannerKind::Iac)
    } else if has(DEPENDENCY_TOOLS) {
        Some(ScannerKind::Dependencies)
    } else if tool.contains("zap") {
        Some(ScannerKind::Dast)
    } else {
        None
    }
}

fn kind_name(s: &str) -> Option<ScannerKind> {
    match s.trim().to_ascii_lowercase().as_str() {
        "secrets" | "secret" => Some(ScannerKind::Secrets),
        "dependencies" | "dependency" => Some(ScannerKind::Dependencies),
        "code" => Some(ScannerKind::Code),
        "iac" => Some(ScannerKind::Iac),
        "dast" => Some(ScannerKind::Dast),
        "network" => Some(ScannerKind::Network),
        "manual" => Some(ScannerKind::Manual),
        _ => None,
    }
}

fn run_kind(tool: &str, run: &Run, rules: &[&Rule]) -> ScannerKind {
    if let Some(k) = known_kind(tool) {
        return k;
    }
    let from_results = run.results.iter().flatten().find_map(|r| {
        r.properties
            .as_ref()
            .and_then(|p| p.get("scanner"))
            .and_then(Value::as_str)
            .and_then(kind_name)
    });
    if let Some(k) = from_results {
        return k;
    }
    let mut common: Option<Vec<ScannerKind>> = None;
    for rule in rules {
        let kinds: Vec<ScannerKind> = tags(rule).iter().filter_map(|t| kind_name(t)).collect();
        common = Some(match common {
            None => kinds,
            Some(prev) => prev.into_iter().filter(|k| kinds.contains(k)).collect(),
        });
    }
    common
        .and_then(|c| c.first().copied())
        .unwrap_or(ScannerKind::Code)
}

fn tags(rule: &Rule) -> Vec<String> {
    rule.properties
        .as_ref()
        .and_then(|p| p.get("tags"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn import_run(index: usize, run: &Run) -> Vec<ImportedScan> {
    let tool = {
        let n = run.tool.driver.name.trim().to_ascii_lowercase();
        if n.is_empty() {
            format!("sarif-run-{index}")
        } else {
            n
        }
    };
    let version = run
        .tool
        .driver
        .semantic_version
        .clone()
        .or_else(|| run.tool.driver.version.clone());
    let all_rules: Vec<&Rule> = std::iter::once(&run.tool.driver)
        .chain(&run.tool.extensions)
        .flat_map(|c| &c.rules)
        .collect();
    let kind = run_kind(&tool, run, &all_rules);
    let is_gatehouse = tool == "gatehouse";

    let mut problems = Vec::new();
    for inv in &run.invocations {
        if inv.execution_successful == Some(false) {
            problems.push(match &inv.exit_code_description {
                Some(d) if !d.trim().is_empty() => format!("the run did not succeed: {d}"),
                _ => "the run did not succeed".to_string(),
            });
        }
        for n in inv
            .tool_execution_notifications
            .iter()
            .chain(&inv.tool_configuration_notifications)
        {
            if n.level.as_deref() == Some("error") {
                let text = n
                    .message
                    .as_ref()
                    .and_then(Message::text)
                    .unwrap_or("(no message)");
                problems.push(format!("error: {text}"));
            }
        }
    }

    let mut findings = Vec::new();
    for r in run.results.iter().flatten() {
        if matches!(r.kind.as_deref(), Some("pass") | Some("notApplicable"))
            || r.baseline_state.as_deref() == Some("absent")
        {
            continue;
        }
        if !is_gatehouse
            && r.suppressions
                .iter()
                .any(|s| s.status.as_deref() != Some("rejected"))
        {
            continue;
        }
        // Gatehouse's own SARIF names each result's scanner; a run of its scan report may mix them.
        let result_kind = prop(&r.properties, "scanner")
            .and_then(Value::as_str)
            .and_then(kind_name)
            .unwrap_or(kind);
        findings.push(import_result(&tool, result_kind, run, &all_rules, r));
    }
    let mut kinds: BTreeSet<ScannerKind> = findings.iter().map(|f| f.scanner).collect();
    if kinds.is_empty() {
        kinds.insert(kind);
    }
    kinds
        .into_iter()
        .map(|k| {
            let of_kind = findings
                .iter()
                .filter(|f| f.scanner == k)
                .cloned()
                .collect();
            scan(&tool, version.clone(), k, problems.clone(), of_kind)
        })
        .collect()
}

fn find_rule<'a>(rules: &[&'a Rule], run: &'a Run, r: &SarifResult) -> (String, Option<&'a Rule>) {
    let id = r
        .rule_id
        .clone()
        .or_else(|| r.rule.as_ref().and_then(|x| x.id.clone()));
    let index = r
        .rule_index
        .or_else(|| r.rule.as_ref().and_then(|x| x.index));
    let by_index = index
        .and_then(|i| usize::try_from(i).ok())
        .and_then(|i| run.tool.driver.rules.get(i));
    match id {
        Some(id) => {
            let rule = by_index
                .filter(|x| x.id == id)
                .or_else(|| rules.iter().copied().find(|x| x.id == id));
            (id, rule)
        }
        None => match by_index {
            Some(rule) => (rule.id.clone(), Some(rule)),
            None => ("unknown".to_string(), None),
        },
    }
}

fn prop<'a>(v: &'a Option<Value>, key: &str) -> Option<&'a Value> {
    v.as_ref().and_then(|p| p.get(key))
}

fn import_result(
    tool: &str,
    kind: ScannerKind,
    run: &Run,
    rules: &[&Rule],
    r: &SarifResult,
) -> gatehouse_core::Finding {
    let (rule_id, rule) = find_rule(rules, run, r);
    let empty = Rule::default();
    let rule = rule.unwrap_or(&empty);

    let severity = prop(&r.properties, "security-severity")
        .and_then(number)
        .map(severity_from_score)
        .or_else(|| {
            prop(&r.properties, "severity")
                .and_then(Value::as_str)
                .and_then(|s| s.parse::<Severity>().ok())
        })
        .or_else(|| {
            prop(&rule.properties, "security-severity")
                .and_then(number)
                .map(severity_from_score)
        })
        .unwrap_or_else(|| {
            let level = r.level.as_deref().or_else(|| {
                rule.default_configuration
                    .as_ref()
                    .and_then(|c| c.level.as_deref())
            });
            match level.unwrap_or("warning") {
                "error" => Severity::High,
                "note" => Severity::Low,
                "none" => Severity::Info,
                _ => Severity::Medium,
            }
        });
    let confidence = prop(&r.properties, "confidence")
        .and_then(Value::as_str)
        .and_then(|s| s.parse::<Confidence>().ok())
        .or_else(|| {
            prop(&rule.properties, "precision")
                .and_then(Value::as_str)
                .and_then(|p| match p {
                    "very-high" | "high" => Some(Confidence::High),
                    "medium" => Some(Confidence::Medium),
                    "low" => Some(Confidence::Low),
                    _ => None,
                })
        })
        .unwrap_or_default();

    let message = r
        .message
        .as_ref()
        .and_then(Message::text)
        .unwrap_or("")
        .to_string();
    // A short description that only repeats the rule id (Semgrep's `Semgrep Finding: <id>`) says
    // less than the full one.
    let full = rule.full_description.as_ref().and_then(Message::text);
    let title = rule
        .short_description
        .as_ref()
        .and_then(Message::text)
        .map(|t| match full {
            Some(full) if t.contains(rule_id.as_str()) => first_sentence(full),
            _ => t.to_string(),
        })
        .or_else(|| rule.name.clone().filter(|n| !n.trim().is_empty()))
        .or_else(|| message.lines().next().map(str::to_string))
        .unwrap_or_default();

    let mut f = new_finding(&rule_id, kind, severity, &title);
    f.confidence = confidence;
    f.message = if message.is_empty() {
        f.title.clone()
    } else {
        message
    };
    f.remediation = rule
        .help
        .as_ref()
        .and_then(Message::text)
        .map(str::to_string);
    if let Some(uri) = &rule.help_uri {
        f.properties
            .insert("help_uri".into(), Value::String(uri.clone()));
    }
    if let Some(desc) = rule.full_description.as_ref().and_then(Message::text) {
        if f.remediation.is_none() {
            f.properties
                .insert("description".into(), Value::String(desc.to_string()));
        }
    }

    // CWEs from the rule's tags and `cwe` property, and the result's.
    for t in tags(rule) {
        if t.to_ascii_lowercase().contains("cwe") {
            if let Some(c) = cwe_id(&t) {
                push_unique(&mut f.cwe, c);
            }
        }
    }
    for v in [prop(&rule.properties, "cwe"), prop(&r.properties, "cwe")]
        .into_iter()
        .flatten()
    {
        let items: Vec<&Value> = match v {
            Value::Array(a) => a.iter().collect(),
            other => vec![other],
        };
        for item in items {
            let s = match item {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => continue,
            };
            if let Some(c) = cwe_id(&s) {
                push_unique(&mut f.cwe, c);
            }
        }
    }
    let upper = rule_id.to_ascii_uppercase();
    if upper.starts_with("CVE-") || upper.starts_with("GHSA-") {
        push_unique(&mut f.ids, rule_id.clone());
    }

    // Location: the first physical location.
    let mut snippet: Option<String> = None;
    if let Some(pl) = r
        .locations
        .iter()
        .find_map(|l| l.physical_location.as_ref())
    {
        if let Some(al) = &pl.artifact_location {
            let al = resolve_artifact(run, al);
            if let Some(uri) = al.uri.as_deref() {
                if let Some((host, port)) = url_host_port(uri) {
                    f.location.host = Some(host);
                    f.location.port = port;
                    f.properties
                        .insert("url".into(), Value::String(uri.to_string()));
                } else {
                    f.location.path = artifact_path(run, uri, al.uri_base_id.as_deref());
                }
            }
        }
        if let Some(region) = &pl.region {
            f.location.start_line = line_number(region.start_line);
            f.location.start_column = line_number(region.start_column);
            f.location.end_line = line_number(region.end_line);
            f.location.end_column = line_number(region.end_column);
            snippet = region
                .snippet
                .as_ref()
                .and_then(|s| s.text.clone())
                .filter(|s| !s.trim().is_empty());
        }
    }
    // Gatehouse's own result properties carry what SARIF has no field for.
    if let Some(host) = prop(&r.properties, "host").and_then(Value::as_str) {
        let port = prop(&r.properties, "port")
            .and_then(Value::as_u64)
            .and_then(|p| u16::try_from(p).ok());
        if let Some(p) = &f.location.path {
            let host_port = port.map(|n| format!("{host}:{n}"));
            if p == host || Some(p) == host_port.as_ref() {
                f.location.path = None;
            }
        }
        f.location.host = Some(host.to_string());
        f.location.port = port.or(f.location.port);
    }
    if let Some(c) = prop(&r.properties, "commit") {
        let field = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        if !field("id").is_empty() {
            f.location.commit = Some(CommitInfo {
                id: field("id"),
                author_name: field("author"),
                author_email: field("email"),
                date: field("date"),
            });
        }
    }
    if let Some(Value::Array(ids)) = prop(&r.properties, "ids") {
        for id in ids.iter().filter_map(Value::as_str) {
            push_unique(&mut f.ids, id.to_string());
        }
    }
    if let Some(fix) = prop(&r.properties, "fix").and_then(Value::as_str) {
        f.fix = Some(fix.to_string());
    }
    let path = f.location.path.clone();

    // Gatehouse's own secret record, without any plain value.
    let mut plain_secrets: Vec<String> = Vec::new();
    if let Some(s) = prop(&r.properties, "secret") {
        if let Some(p) = s.get("plain").and_then(Value::as_str) {
            plain_secrets.push(p.to_string());
        }
        if let (Some(masked), Some(sha)) = (
            s.get("masked").and_then(Value::as_str),
            s.get("sha256").and_then(Value::as_str),
        ) {
            f.evidence.secret = Some(SecretValue {
                masked: masked.to_string(),
                sha256: sha.to_string(),
                length: s
                    .get("length")
                    .and_then(Value::as_u64)
                    .and_then(|n| usize::try_from(n).ok())
                    .unwrap_or(0),
                plain: None,
            });
        }
    }
    if kind == ScannerKind::Secrets && f.evidence.secret.is_none() {
        if let Some(s) = snippet.take() {
            let secret = s.trim().to_string();
            f.evidence.secret = Some(secret_value(&secret));
            plain_secrets.push(secret);
        }
    }

    if kind != ScannerKind::Secrets || is_gatehouse_secret(tool, r) {
        if let Some(Value::Object(p)) = &r.properties {
            for (k, v) in p {
                if matches!(
                    k.as_str(),
                    "secret"
                        | "security-severity"
                        | "severity"
                        | "confidence"
                        | "scanner"
                        | "commit"
                        | "ids"
                        | "fix"
                        | "host"
                        | "port"
                ) {
                    continue;
                }
                f.properties.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
    }

    f.fingerprint = result_fingerprint(tool, &rule_id, path.as_deref(), r, &f, snippet.as_deref());
    f.evidence.snippet = snippet;

    for plain in plain_secrets {
        f.title = redact(&f.title, &plain);
        f.message = redact(&f.message, &plain);
        f.evidence.snippet = f.evidence.snippet.take().map(|s| redact(&s, &plain));
        for v in f.properties.values_mut() {
            if let Value::String(s) = v {
                *s = redact(s, &plain);
            }
        }
    }
    f
}

fn is_gatehouse_secret(tool: &str, r: &SarifResult) -> bool {
    tool == "gatehouse" && prop(&r.properties, "secret").is_some()
}

fn result_fingerprint(
    tool: &str,
    rule_id: &str,
    path: Option<&str>,
    r: &SarifResult,
    f: &gatehouse_core::Finding,
    snippet: Option<&str>,
) -> Fingerprint {
    if let Some(fp) = r
        .partial_fingerprints
        .get("gatehouse/v1")
        .and_then(Value::as_str)
        .and_then(Fingerprint::parse)
    {
        return fp;
    }
    if let Some(secret) = &f.evidence.secret {
        return secret_fingerprint(tool, rule_id, path.unwrap_or(""), secret);
    }
    // Empty values say nothing (gitleaks writes its commit fields empty outside history scans),
    // and neither does Semgrep's `requires login`, the same for every result.
    let nonempty = |m: &BTreeMap<String, Value>| -> BTreeMap<String, Value> {
        m.iter()
            .filter(|(_, v)| {
                !matches!(v, Value::Null)
                    && !matches!(v.as_str(), Some("") | Some("requires login"))
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    let mut given = nonempty(&r.fingerprints);
    if given.is_empty() {
        given = nonempty(&r.partial_fingerprints);
    }
    if !given.is_empty() {
        let mut parts = vec![
            "sarif".to_string(),
            tool.to_string(),
            rule_id.to_string(),
            path.unwrap_or("").to_string(),
        ];
        for (k, v) in given {
            parts.push(k);
            parts.push(match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            });
        }
        return Fingerprint::from_parts(parts);
    }
    fallback_fingerprint(tool, rule_id, path, snippet, f.location.start_line)
}

/// An artifact location that points into `run.artifacts` by index is replaced by that artifact's.
fn resolve_artifact(run: &Run, al: &ArtifactLocation) -> ArtifactLocation {
    if al.uri.is_none() {
        if let Some(a) = al
            .index
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| run.artifacts.get(i))
            .and_then(|a| a.location.clone())
        {
            return a;
        }
    }
    al.clone()
}

/// The artifact's path relative to the scanned tree: an absolute `file://` URI under one of the
/// run's base URIs loses that base.
fn artifact_path(run: &Run, uri: &str, _base: Option<&str>) -> Option<String> {
    let decoded = percent_decode(uri);
    for base in run.original_uri_base_ids.values() {
        if let Some(b) = base.uri.as_deref() {
            let b = percent_decode(b);
            if !b.is_empty() {
                if let Some(rest) = decoded.strip_prefix(b.as_str()) {
                    return rel_path(rest);
                }
            }
        }
    }
    rel_path(&decoded)
}
