//! SARIF 2.1.0, shaped for GitHub code scanning.
//!
//! A scan report is one run; a gate report is one run per scanner ([`render_gate`]), each built the
//! same way, with the gate's decisions in SARIF's own fields (`baselineState`, `suppressions`) and
//! in result properties. In a run, `tool.driver.rules` holds the rules the results reference, in id order; results point
//! at them by `ruleId` and `ruleIndex`. Paths are relative to the scan root, which is the declared
//! base `%SRCROOT%`; GitHub resolves them against the repository root.

use std::borrow::Cow;
use std::collections::BTreeMap;

use gatehouse_core::{
    Confidence, Decision, Finding, GateContext, GateReport, GateScan, RuleMeta, ScanReport,
    ScanStats, ScannerKind, Waiver,
};
use serde::Serialize;
use serde_json::{json, Value};

use crate::text::{
    artifact_uri, cwe_number, is_plain_url, location_label, pascal_case, percent_encode_segment,
};
use crate::RenderError;

const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";
/// The key of Gatehouse's fingerprint in `partialFingerprints`.
const FINGERPRINT_KEY: &str = "gatehouse/v1";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<LogProperties<'a>>,
}

/// What the gate decided over all runs.
#[derive(Serialize)]
struct LogProperties<'a> {
    #[serde(rename = "gatehouse/stage")]
    stage: &'a str,
    #[serde(rename = "gatehouse/verdict")]
    verdict: &'static str,
    #[serde(rename = "gatehouse/context")]
    context: &'a GateContext,
    #[serde(
        rename = "gatehouse/exceptions",
        skip_serializing_if = "<[_]>::is_empty"
    )]
    exceptions: &'a [gatehouse_core::ExceptionStatus],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    automation_details: Option<AutomationDetails>,
    invocations: [Invocation; 1],
    original_uri_base_ids: BTreeMap<&'static str, ArtifactLocation>,
    /// Gatehouse counts columns in Unicode code points (see core's `Location`).
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
    properties: RunProperties<'a>,
}

/// `id` is `CATEGORY/RUN`: GitHub keeps one set of alerts per tool and category, and takes one run
/// per category from a file.
#[derive(Serialize)]
struct AutomationDetails {
    id: String,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    semantic_version: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<&'a str>,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<String>,
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
    precision: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, &'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    properties: BTreeMap<String, Value>,
}

/// An exception that covers a result: suppressed outside the source, approved.
#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    status: &'static str,
    justification: String,
    properties: BTreeMap<&'static str, String>,
}

#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    physical_location: Option<PhysicalLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Text>,
}

#[derive(Serialize)]
struct LogicalLocation {
    name: String,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
}

#[derive(Serialize)]
struct RunProperties<'a> {
    stats: &'a ScanStats,
}

pub fn render(report: &ScanReport) -> Result<String, RenderError> {
    let log = Log {
        schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: vec![run(report)],
        properties: None,
    };
    let mut s = serde_json::to_string_pretty(&log)?;
    s.push('\n');
    Ok(s)
}

/// One run per scanner, in the report's order, each with the scan's results and the gate's decision
/// on each result; the stage, verdict, context and exceptions in the log's properties.
pub fn render_gate(report: &GateReport) -> Result<String, RenderError> {
    let log = Log {
        schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: report
            .scans
            .iter()
            .map(|scan| gate_run(scan, &report.context))
            .collect(),
        properties: Some(LogProperties {
            stage: &report.stage,
            verdict: report.verdict.as_str(),
            context: &report.context,
            exceptions: &report.exceptions,
        }),
    };
    let mut s = serde_json::to_string_pretty(&log)?;
    s.push('\n');
    Ok(s)
}

fn gate_run<'a>(scan: &'a GateScan, ctx: &GateContext) -> Run<'a> {
    let mut run = run(&scan.report);
    // The run's category: one per scanner, so GitHub keeps each scanner's alerts apart.
    let pipeline = ctx.pipeline.as_deref().unwrap_or("");
    run.automation_details = Some(AutomationDetails {
        id: format!("gatehouse/{}/{pipeline}", scan.scanner.as_str()),
    });
    let measured_new = ctx.diff_base.is_some() || ctx.baseline.is_some();
    for ((result, finding), decision) in run
        .results
        .iter_mut()
        .zip(&scan.report.findings)
        .zip(&scan.decisions)
    {
        let waiver = match decision {
            Decision::Blocks => None,
            Decision::Passes { waiver } => Some(waiver),
        };
        result.baseline_state = match waiver {
            Some(Waiver::NotNew { .. }) => Some("unchanged"),
            _ if measured_new => Some("new"),
            _ => None,
        };
        if let Some(Waiver::Exception {
            id,
            reason,
            approver,
            expires,
        }) = waiver
        {
            result.suppressions.push(Suppression {
                kind: "external",
                status: "accepted",
                justification: format!(
                    "{reason} (exception {id}, approved by {approver}, expires {expires})"
                ),
                properties: BTreeMap::from([
                    ("gatehouse/exception", id.clone()),
                    ("gatehouse/approver", approver.clone()),
                    ("gatehouse/expires", expires.clone()),
                ]),
            });
        }
        let p = &mut result.properties;
        p.insert("gatehouse/blocking".into(), json!(decision.blocks()));
        if let Some(w) = waiver {
            p.insert(
                "gatehouse/waiver".into(),
                serde_json::to_value(w).unwrap_or(Value::Null),
            );
            p.insert(
                "gatehouse/why".into(),
                json!(crate::gate::waiver_reason(w, finding, ctx)),
            );
        }
    }
    run
}

/// The run of one scan report: its rules, results, invocation and stats.
fn run(report: &ScanReport) -> Run<'_> {
    // The rules the results reference, by id: their metadata, or failing that their first finding's.
    let mut sources: BTreeMap<&str, Cow<RuleMeta>> = BTreeMap::new();
    for f in &report.findings {
        sources
            .entry(f.rule_id.as_str())
            .or_insert_with(|| match report.rules.get(&f.rule_id) {
                Some(meta) => Cow::Borrowed(meta),
                None => Cow::Owned(meta_from_finding(f)),
            });
    }
    let index: BTreeMap<&str, usize> = sources.keys().enumerate().map(|(i, &id)| (id, i)).collect();
    let rules = sources.iter().map(|(&id, src)| rule(id, src)).collect();
    let results = report
        .findings
        .iter()
        .map(|f| result(f, index.get(f.rule_id.as_str()).copied().unwrap_or(0)))
        .collect();

    let version = (!report.version.is_empty()).then_some(report.version.as_str());
    Run {
        tool: Tool {
            driver: Driver {
                name: "gatehouse",
                semantic_version: version,
                version,
                rules,
            },
        },
        automation_details: None,
        invocations: [invocation(report)],
        original_uri_base_ids: BTreeMap::from([(
            SRCROOT,
            ArtifactLocation {
                description: Some(Text {
                    text: "The root of the scanned tree; result paths are relative to it.".into(),
                }),
                ..ArtifactLocation::default()
            },
        )]),
        column_kind: "unicodeCodePoints",
        results,
        properties: RunProperties {
            stats: &report.stats,
        },
    }
}

/// Metadata for a rule that is missing from `report.rules`, made from its first finding.
fn meta_from_finding(f: &Finding) -> RuleMeta {
    RuleMeta {
        id: f.rule_id.clone(),
        title: f.title.clone(),
        description: String::new(),
        remediation: f.remediation.clone().unwrap_or_default(),
        severity: f.severity,
        confidence: f.confidence,
        scanner: f.scanner,
        cwe: f.cwe.clone(),
        references: Vec::new(),
        tags: Vec::new(),
    }
}

fn rule(id: &str, meta: &RuleMeta) -> Rule {
    let title = meta.title.as_str();
    let description = meta.description.as_str();
    let references = meta.references.as_slice();
    let title = if title.trim().is_empty() { id } else { title };
    let description = if description.trim().is_empty() {
        title
    } else {
        description
    };
    let mut name = pascal_case(title);
    if name.is_empty() {
        name = pascal_case(id);
    }
    Rule {
        id: id.to_string(),
        name,
        short_description: Text { text: title.into() },
        full_description: Text {
            text: description.into(),
        },
        help: help(description, &meta.remediation, references),
        help_uri: references.iter().find(|r| is_plain_url(r)).cloned(),
        default_configuration: Configuration {
            level: meta.severity.sarif_level(),
        },
        properties: RuleProperties {
            tags: tags(meta.scanner, &meta.cwe, &meta.tags),
            security_severity: meta.severity.security_score(),
            precision: precision(meta.confidence),
        },
    }
}

fn help(description: &str, remediation: &str, references: &[String]) -> Help {
    let mut text = description.to_string();
    let mut markdown = description.to_string();
    if !remediation.trim().is_empty() {
        text.push_str("\n\nRemediation: ");
        text.push_str(remediation);
        markdown.push_str("\n\n**Remediation**\n\n");
        markdown.push_str(remediation);
    }
    if !references.is_empty() {
        text.push_str("\n\nReferences:");
        markdown.push_str("\n\n**References**\n");
        for r in references {
            text.push_str("\n- ");
            text.push_str(r);
            markdown.push_str("\n- ");
            if is_plain_url(r) {
                markdown.push('<');
                markdown.push_str(r);
                markdown.push('>');
            } else {
                markdown.push_str(r);
            }
        }
    }
    Help { text, markdown }
}

/// `security`, the scanner kind, `external/cwe/cwe-N` for each CWE, then the rule's own tags;
/// each once.
fn tags(scanner: ScannerKind, cwe: &[String], extra: &[String]) -> Vec<String> {
    let mut tags = vec!["security".to_string(), scanner.as_str().to_string()];
    tags.extend(
        cwe.iter()
            .filter_map(|c| cwe_number(c))
            .map(|n| format!("external/cwe/cwe-{n}")),
    );
    tags.extend(extra.iter().cloned());
    dedup(&mut tags);
    tags
}

fn dedup(v: &mut Vec<String>) {
    let mut seen = std::collections::BTreeSet::new();
    v.retain(|t| seen.insert(t.clone()));
}

fn precision(c: Confidence) -> &'static str {
    match c {
        Confidence::High => "high",
        Confidence::Medium => "medium",
        Confidence::Low => "low",
    }
}

fn result(f: &Finding, rule_index: usize) -> SarifResult<'_> {
    let text = [&f.message, &f.title, &f.rule_id]
        .into_iter()
        .find(|s| !s.trim().is_empty())
        .cloned()
        .unwrap_or_default();
    SarifResult {
        rule_id: &f.rule_id,
        rule_index,
        level: f.severity.sarif_level(),
        message: Text { text },
        locations: vec![location(f)],
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, f.fingerprint.as_str())]),
        baseline_state: None,
        suppressions: Vec::new(),
        properties: result_properties(f),
    }
}

/// Every result gets a physical location with an artifact URI: GitHub rejects the whole file when
/// one result has no location, or only a logical one. A network finding points at `host:port`
/// (percent-encoded, relative, with a logical location naming it); a finding with no location at
/// all points at the scan root (`.`).
fn location(f: &Finding) -> Location {
    let loc = &f.location;
    if let Some(path) = loc.path.as_deref().filter(|p| !p.is_empty()) {
        let region = (loc.start_line > 0).then(|| Region {
            start_line: loc.start_line,
            start_column: nonzero(loc.start_column),
            end_line: nonzero(loc.end_line),
            end_column: nonzero(loc.end_column),
            snippet: f
                .evidence
                .snippet
                .as_ref()
                .map(|s| Text { text: s.clone() }),
        });
        return Location {
            physical_location: Some(PhysicalLocation {
                artifact_location: artifact_location(path),
                region,
            }),
            ..Location::default()
        };
    }
    if loc.host.as_deref().is_some_and(|h| !h.is_empty()) {
        let label = location_label(loc);
        return Location {
            physical_location: Some(PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: Some(percent_encode_segment(&label)),
                    ..ArtifactLocation::default()
                },
                region: None,
            }),
            logical_locations: vec![LogicalLocation {
                name: label,
                kind: "resource",
            }],
        };
    }
    Location {
        physical_location: Some(PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: Some(".".into()),
                uri_base_id: Some(SRCROOT),
                description: None,
            },
            region: None,
        }),
        ..Location::default()
    }
}

fn artifact_location(path: &str) -> ArtifactLocation {
    let a = artifact_uri(path);
    ArtifactLocation {
        uri: Some(a.uri),
        uri_base_id: a.relative.then_some(SRCROOT),
        description: None,
    }
}

fn nonzero(n: u32) -> Option<u32> {
    (n > 0).then_some(n)
}

/// The finding's own properties, then Gatehouse's (which win on a clash): severity, confidence,
/// scanner, the secret as redacted, the commit of a history finding, other ids, fix, host and port.
fn result_properties(f: &Finding) -> BTreeMap<String, Value> {
    let mut p: BTreeMap<String, Value> = f.properties.clone().into_iter().collect();
    // SARIF reserves `tags` in every property bag for an array of distinct strings.
    if let Some(tags) = p.remove("tags") {
        match tags {
            Value::Array(items) if items.iter().all(Value::is_string) => {
                let mut v: Vec<String> = items
                    .into_iter()
                    .filter_map(|i| i.as_str().map(str::to_string))
                    .collect();
                dedup(&mut v);
                p.insert("tags".into(), json!(v));
            }
            other => {
                p.insert("gatehouse/tags".into(), other);
            }
        }
    }
    p.insert("severity".into(), json!(f.severity.as_str()));
    p.insert("confidence".into(), json!(f.confidence.as_str()));
    p.insert("scanner".into(), json!(f.scanner.as_str()));
    if let Some(s) = &f.evidence.secret {
        let mut secret = json!({ "masked": s.masked, "sha256": s.sha256, "length": s.length });
        if let Some(plain) = &s.plain {
            secret["plain"] = json!(plain);
        }
        p.insert("secret".into(), secret);
    }
    if let Some(c) = &f.location.commit {
        p.insert(
            "commit".into(),
            json!({ "id": c.id, "author": c.author_name, "email": c.author_email, "date": c.date }),
        );
    }
    if !f.ids.is_empty() {
        p.insert("ids".into(), json!(f.ids));
    }
    if let Some(fix) = &f.fix {
        p.insert("fix".into(), json!(fix));
    }
    if let Some(host) = &f.location.host {
        p.insert("host".into(), json!(host));
    }
    if let Some(port) = f.location.port {
        p.insert("port".into(), json!(port));
    }
    p
}

fn invocation(report: &ScanReport) -> Invocation {
    let mut notes: Vec<Notification> = report
        .errors
        .iter()
        .map(|e| Notification {
            level: "error",
            message: Text {
                text: e.message.clone(),
            },
            locations: e
                .path
                .as_deref()
                .filter(|p| !p.is_empty())
                .map(|p| file_location(p, None))
                .into_iter()
                .collect(),
        })
        .collect();
    notes.extend(report.stale.iter().map(|s| {
        let at = match s.line {
            Some(l) => format!("{}:{l}", s.source),
            None => s.source.clone(),
        };
        Notification {
            level: "warning",
            message: Text {
                text: format!("stale ignore/baseline entry in {at}: {}", s.entry),
            },
            locations: if s.source.is_empty() {
                Vec::new()
            } else {
                vec![file_location(&s.source, s.line)]
            },
        }
    }));
    notes.extend(report.gaps.iter().map(|g| Notification {
        level: "error",
        message: Text {
            text: format!("not checked: {} {}: {}", g.count, g.scope, g.reason),
        },
        locations: Vec::new(),
    }));
    notes.extend(report.warnings.iter().map(|w| {
        Notification {
            level: "warning",
            message: Text {
                text: w.message.clone(),
            },
            locations: w
                .path
                .as_deref()
                .filter(|p| !p.is_empty())
                .map(|p| file_location(p, w.line))
                .into_iter()
                .collect(),
        }
    }));
    Invocation {
        // Gaps make the run incomplete just as errors do.
        execution_successful: report.errors.is_empty() && report.gaps.is_empty(),
        tool_execution_notifications: notes,
    }
}

fn file_location(path: &str, line: Option<u32>) -> Location {
    Location {
        physical_location: Some(PhysicalLocation {
            artifact_location: artifact_location(path),
            region: line.filter(|&l| l > 0).map(|l| Region {
                start_line: l,
                start_column: None,
                end_line: None,
                end_column: None,
                snippet: None,
            }),
        }),
        ..Location::default()
    }
}
