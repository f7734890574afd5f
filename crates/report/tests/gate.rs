//! The gate's formats: fixtures in, snapshots out; and every document checked against what reads
//! it: SARIF against the official schema, the three GitLab reports against GitLab's schemas, the
//! JSON against ours (and back into a `GateReport`), JUnit through an XML parser, Markdown for
//! escaping and size.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::OnceLock;

use gatehouse_core::{
    secret_sha256, CommitInfo, Confidence, CoverageGap, Decision, Evidence, ExceptionState,
    ExceptionStatus, Finding, Fingerprint, GateContext, GateReport, GateScan, Location,
    NewCodeBasis, RuleMeta, ScanError, ScanReport, ScannerKind, SecretValue, Severity, StaleEntry,
    Verdict, Waiver,
};
use gatehouse_report::{render_gate, GateFormat, RenderError, RenderOptions};
use quick_xml::events::Event;
use serde_json::{json, Value};

const FIXTURES: [&str; 4] = [
    "gate-blocked",
    "gate-passed",
    "gate-incomplete",
    "gate-empty",
];

const GITLAB: [(GateFormat, &str, ScannerKind); 3] = [
    (GateFormat::GitlabSast, "sast", ScannerKind::Code),
    (
        GateFormat::GitlabSecretDetection,
        "secret-detection",
        ScannerKind::Secrets,
    ),
    (
        GateFormat::GitlabDependencyScanning,
        "dependency-scanning",
        ScannerKind::Dependencies,
    ),
];

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture as written: not re-sorted, since decisions pair with findings by position.
fn load(name: &str) -> GateReport {
    let path = dir().join("tests/fixtures").join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn rendered(report: &GateReport, format: GateFormat) -> String {
    render_gate(report, format, &RenderOptions::default())
        .unwrap_or_else(|e| panic!("{format}: {e}"))
}

fn schema_validator(schema: &Value, what: &str) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .unwrap_or_else(|e| panic!("{what}: {e}"))
}

fn file_validator(path: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(dir().join(path)).unwrap();
    schema_validator(&serde_json::from_str(&text).unwrap(), path)
}

fn sarif_validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| file_validator("tests/schemas/sarif-schema-2.1.0.json"))
}

fn gate_validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| {
        schema_validator(
            &serde_json::from_str(gatehouse_report::GATE_JSON_SCHEMA).unwrap(),
            "gate schema",
        )
    })
}

fn gitlab_validator(kind: &str) -> &'static jsonschema::Validator {
    static V: OnceLock<BTreeMap<&'static str, jsonschema::Validator>> = OnceLock::new();
    let all = V.get_or_init(|| {
        GITLAB
            .iter()
            .map(|(_, k, _)| {
                (
                    *k,
                    file_validator(&format!("schema/gitlab/{k}-report-format.json")),
                )
            })
            .collect()
    });
    &all[kind]
}

fn assert_valid(v: &jsonschema::Validator, doc: &Value, what: &str) {
    let errors: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{e} (at {})", e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} is not valid:\n{}",
        errors.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Fixtures and snapshots

#[test]
fn fixtures_are_consistent() {
    for name in FIXTURES {
        let report = load(name);
        for scan in &report.scans {
            let mut sorted = scan.report.clone();
            sorted.sort();
            assert_eq!(
                sorted,
                scan.report,
                "{name}: {} not sorted",
                scan.scanner.as_str()
            );
            assert_eq!(scan.decisions.len(), scan.report.findings.len(), "{name}");
        }
        let kinds: Vec<ScannerKind> = report.scans.iter().map(|s| s.scanner).collect();
        let mut sorted_kinds = kinds.clone();
        sorted_kinds.sort();
        assert_eq!(kinds, sorted_kinds, "{name}: scans out of order");
        let expected = if report.blocking() > 0 {
            Verdict::Blocked
        } else if report
            .scans
            .iter()
            .any(|s| !s.report.errors.is_empty() || !s.report.gaps.is_empty())
        {
            Verdict::Incomplete
        } else {
            Verdict::Pass
        };
        assert_eq!(report.verdict, expected, "{name}");
    }
    // The blocked fixture has every kind of decision and every exception state.
    let blocked = load("gate-blocked");
    let waivers: BTreeSet<String> = blocked
        .scans
        .iter()
        .flat_map(|s| &s.decisions)
        .map(|d| match d {
            Decision::Blocks => "blocks".to_string(),
            Decision::Passes { waiver } => serde_json::to_value(waiver).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_string(),
        })
        .collect();
    assert_eq!(
        waivers,
        ["below-threshold", "blocks", "exception", "not-new"]
            .map(String::from)
            .into()
    );
    let states: BTreeSet<&str> = blocked
        .exceptions
        .iter()
        .map(|e| match e.state {
            ExceptionState::Applied { .. } => "applied",
            ExceptionState::Expired { .. } => "expired",
            ExceptionState::Unused => "unused",
        })
        .collect();
    assert_eq!(states, ["applied", "expired", "unused"].into());
}

#[test]
fn snapshots_of_every_format() {
    for name in FIXTURES {
        let report = load(name);
        for format in GateFormat::ALL {
            insta::assert_snapshot!(format!("{name}.{format}"), rendered(&report, format));
        }
    }
    let colored = render_gate(
        &load("gate-blocked"),
        GateFormat::Summary,
        &RenderOptions { color: true },
    )
    .unwrap();
    insta::assert_snapshot!("gate-blocked.summary-color", colored);
}

#[test]
fn rendering_is_deterministic() {
    for name in FIXTURES {
        let report = load(name);
        for format in GateFormat::ALL {
            assert_eq!(rendered(&report, format), rendered(&report.clone(), format));
        }
    }
}

#[test]
fn decisions_that_do_not_pair_with_findings_are_an_error() {
    let mut report = load("gate-blocked");
    report.scans[1].decisions.pop();
    for format in GateFormat::ALL {
        let err = render_gate(&report, format, &RenderOptions::default()).unwrap_err();
        assert!(
            matches!(
                err,
                RenderError::GateDecisions {
                    scanner: "dependencies",
                    findings: 2,
                    decisions: 1
                }
            ),
            "{format}: {err:?}"
        );
        assert!(err
            .to_string()
            .contains("dependencies scan has 2 findings but 1 decisions"));
    }
}

// ---------------------------------------------------------------------------------------------
// Summary

#[test]
fn summary_says_what_blocks_and_why_the_rest_does_not() {
    let doc = rendered(&load("gate-blocked"), GateFormat::Summary);
    assert!(doc.starts_with(
        "BLOCKED  stage merge-request: 4 of 10 findings block; also incomplete: 2 scan errors, 57 not checked (4.25 s)\n"
    ));
    assert!(
        doc.contains("\nsecrets              2     1       1    1     0         2\n"),
        "{doc}"
    );
    assert!(doc.contains("\ntotal                2     3       3    2     0         4\n"));
    assert!(doc.contains("\nBlocking findings (4):\n"));
    assert!(doc.contains("  CRITICAL  aws-access-key-id             deploy/prod env/.env:3:19  AWS access key ID (commit 1a2b3c4d)\n"));
    assert!(doc.contains(
        "\nNot blocking (6): 2 below threshold, 1 not new (baseline), 1 not new (diff), 2 by exception (EXC-1: 1, EXC-4: 1)\n"
    ));
    assert!(doc.contains("Expired exceptions (they no longer apply"));
    assert!(doc
        .contains("  EXC-2  expired 2026-01-31  gatehouse.toml:18  1 finding would have matched"));
    assert!(doc.contains("Unused exceptions (stale"));
    assert!(doc.contains("error [secrets]: vendor/broken file.bin: could not read"));
    assert!(doc.contains("not checked [dependencies]: 57 Packagist packages:"));
    assert!(doc.chars().all(|c| c == '\n' || !c.is_control()));

    let passed = rendered(&load("gate-passed"), GateFormat::Summary);
    assert!(passed.starts_with("PASSED  stage feature-branch: 3 findings, none blocks (1.50 s)\n"));
    let incomplete = rendered(&load("gate-incomplete"), GateFormat::Summary);
    assert!(incomplete.starts_with(
        "INCOMPLETE  stage release: 1 finding, none blocks; not clean, incomplete: 1 scan error, 57 not checked"
    ));
    let empty = rendered(&load("gate-empty"), GateFormat::Summary);
    assert!(empty.starts_with("PASSED  stage default: no findings (0.00 s)\n"));

    let colored = render_gate(
        &load("gate-blocked"),
        GateFormat::Summary,
        &RenderOptions { color: true },
    )
    .unwrap();
    assert!(colored.starts_with("\x1b[1;31mBLOCKED\x1b[0m"));
    assert!(colored.contains("\x1b[1;31mCRITICAL\x1b[0m"));
}

// ---------------------------------------------------------------------------------------------
// JSON

fn check_json(report: &GateReport, doc: &str, what: &str) {
    assert!(doc.starts_with("{\n  \"schema_version\": 1,\n"), "{what}");
    let value: Value = serde_json::from_str(doc).unwrap();
    assert_valid(gate_validator(), &value, what);
    assert_eq!(value["summary"]["total"], report.total(), "{what}");
    assert_eq!(value["summary"]["blocking"], report.blocking(), "{what}");
    let back: GateReport = serde_json::from_str(doc).unwrap();
    assert_eq!(&back, report, "{what} does not round-trip");
}

#[test]
fn json_validates_against_its_schema_and_round_trips() {
    for name in FIXTURES {
        let report = load(name);
        check_json(&report, &rendered(&report, GateFormat::Json), name);
    }
}

#[test]
fn the_gate_schema_is_strict() {
    let mut doc: Value =
        serde_json::from_str(&rendered(&load("gate-blocked"), GateFormat::Json)).unwrap();
    assert!(gate_validator().is_valid(&doc));
    doc["scans"][0]["decisions"][0]["waiver"]["kind"] = json!("maybe");
    assert!(!gate_validator().is_valid(&doc));
    doc["scans"][0]["decisions"][0] = json!({"decision": "blocks"});
    assert!(gate_validator().is_valid(&doc));
    doc["scans"][0]["report"]["findings"][0]["surprise"] = json!(1);
    assert!(!gate_validator().is_valid(&doc));
}

#[test]
fn the_gate_schema_shares_the_scan_schema_definitions() {
    let gate: Value = serde_json::from_str(gatehouse_report::GATE_JSON_SCHEMA).unwrap();
    let scan: Value = serde_json::from_str(gatehouse_report::JSON_SCHEMA).unwrap();
    let scan_defs = scan["$defs"].as_object().unwrap();
    for (name, def) in scan_defs {
        assert_eq!(&gate["$defs"][name], def, "$defs/{name} differs");
    }
    // A scan report's fields are the scan format's, less `schema_version` and `summary`.
    let mut scan_fields: BTreeSet<&String> =
        scan["properties"].as_object().unwrap().keys().collect();
    scan_fields.remove(&"schema_version".to_string());
    scan_fields.remove(&"summary".to_string());
    let gate_fields: BTreeSet<&String> = gate["$defs"]["scanReport"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(scan_fields, gate_fields);
}

#[test]
fn the_gate_schema_documents_every_field() {
    fn walk(schema: &Value, path: &str, missing: &mut Vec<String>) {
        let Some(map) = schema.as_object() else {
            return;
        };
        if let Some(Value::Object(props)) = map.get("properties") {
            for (k, v) in props {
                let documented = v.get("description").is_some()
                    || v.get("$ref")
                        .and_then(Value::as_str)
                        .is_some_and(|r| r.starts_with("#/$defs/") && r != "#/$defs/count");
                if !documented {
                    missing.push(format!("{path}/{k}"));
                }
                walk(v, &format!("{path}/{k}"), missing);
            }
        }
        if let Some(Value::Object(defs)) = map.get("$defs") {
            for (k, v) in defs {
                walk(v, &format!("{path}/$defs/{k}"), missing);
            }
        }
        for key in ["items", "additionalProperties"] {
            if let Some(v) = map.get(key) {
                walk(v, &format!("{path}/{key}"), missing);
            }
        }
        if let Some(Value::Array(alternatives)) = map.get("oneOf") {
            for (i, v) in alternatives.iter().enumerate() {
                walk(v, &format!("{path}/oneOf/{i}"), missing);
            }
        }
    }
    let schema: Value = serde_json::from_str(gatehouse_report::GATE_JSON_SCHEMA).unwrap();
    let mut missing = Vec::new();
    walk(&schema, "", &mut missing);
    // The shared definitions are checked by the scan schema's own test, with the same exceptions.
    missing.retain(|m| {
        !m.ends_with("/author_name")
            && !m.ends_with("/author_email")
            && !m.ends_with("/message")
            && !m.ends_with("/id")
            && !m.ends_with("/cwe")
            && !m.ends_with("/tags")
    });
    assert!(
        missing.is_empty(),
        "fields without a description: {missing:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// SARIF

fn check_sarif(report: &GateReport, doc: &str, what: &str) -> Value {
    let sarif: Value = serde_json::from_str(doc).unwrap();
    assert_valid(sarif_validator(), &sarif, what);
    let runs = sarif["runs"].as_array().unwrap();
    assert_eq!(
        runs.len(),
        report.scans.len(),
        "{what}: one run per scanner"
    );
    let categories: BTreeSet<&str> = runs
        .iter()
        .map(|r| r["automationDetails"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        categories.len(),
        runs.len(),
        "{what}: run categories must differ"
    );
    let measured_new = report.context.diff_base.is_some() || report.context.baseline.is_some();
    for (run, scan) in runs.iter().zip(&report.scans) {
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), scan.report.findings.len(), "{what}");
        for (r, (f, d)) in results.iter().zip(scan.findings()) {
            assert_eq!(r["ruleId"], f.rule_id.as_str());
            assert_eq!(r["properties"]["gatehouse/blocking"], d.blocks());
            let waiver = match d {
                Decision::Blocks => None,
                Decision::Passes { waiver } => Some(waiver),
            };
            let expected_state = match waiver {
                Some(Waiver::NotNew { .. }) => Some("unchanged"),
                _ if measured_new => Some("new"),
                _ => None,
            };
            assert_eq!(r["baselineState"].as_str(), expected_state, "{what}");
            match waiver {
                Some(Waiver::Exception { id, .. }) => {
                    let s = &r["suppressions"][0];
                    assert_eq!(s["kind"], "external");
                    assert_eq!(s["status"], "accepted");
                    assert_eq!(s["properties"]["gatehouse/exception"], id.as_str());
                }
                _ => assert!(r.get("suppressions").is_none(), "{what}"),
            }
            if let Some(w) = waiver {
                assert_eq!(
                    r["properties"]["gatehouse/waiver"],
                    serde_json::to_value(w).unwrap()
                );
            }
        }
    }
    assert_eq!(
        sarif["properties"]["gatehouse/verdict"],
        report.verdict.as_str()
    );
    sarif
}

#[test]
fn sarif_validates_and_carries_the_decisions() {
    for name in FIXTURES {
        let report = load(name);
        check_sarif(&report, &rendered(&report, GateFormat::Sarif), name);
    }
    let sarif = check_sarif(
        &load("gate-blocked"),
        &rendered(&load("gate-blocked"), GateFormat::Sarif),
        "blocked",
    );
    let secrets = &sarif["runs"][0];
    assert_eq!(secrets["automationDetails"]["id"], "gatehouse/secrets/1234");
    let generic = secrets["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "generic-password")
        .unwrap();
    assert_eq!(
        generic["suppressions"][0]["justification"],
        "Test fixture password, never deployed (exception EXC-1, approved by Grace Hopper, expires 2026-12-31)"
    );
    // Without a diff base or baseline, nothing says a blocking finding is new.
    let passed = rendered(&load("gate-passed"), GateFormat::Sarif);
    let passed: Value = serde_json::from_str(&passed).unwrap();
    assert_eq!(
        passed["runs"][0]["results"][0]["baselineState"],
        "unchanged"
    );
    assert_eq!(
        passed["runs"][0]["automationDetails"]["id"],
        "gatehouse/secrets/"
    );
}

// ---------------------------------------------------------------------------------------------
// JUnit

#[derive(Debug, Default, PartialEq)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

fn attr(e: &quick_xml::events::BytesStart, name: &str) -> Option<String> {
    e.try_get_attribute(name)
        .unwrap()
        .map(|a| a.unescape_value().unwrap().into_owned())
}

fn counts(e: &quick_xml::events::BytesStart) -> Counts {
    let n = |name: &str| attr(e, name).unwrap().parse().unwrap();
    Counts {
        tests: n("tests"),
        failures: n("failures"),
        errors: n("errors"),
        skipped: n("skipped"),
    }
}

/// Parses the document, checks every count attribute against the elements, and returns the suite
/// names, per-suite counts and the `skipped` messages.
fn check_junit(doc: &str, what: &str) -> (Vec<(String, Counts)>, Vec<String>) {
    let mut reader = quick_xml::Reader::from_str(doc);
    let mut declared_total = Counts::default();
    let mut total = Counts::default();
    let mut suites = Vec::new();
    let mut declared_suite = Counts::default();
    let mut suite = Counts::default();
    let mut suite_name = String::new();
    let mut skipped = Vec::new();
    loop {
        match reader
            .read_event()
            .unwrap_or_else(|e| panic!("{what}: not well-formed: {e}"))
        {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"testsuites" => declared_total = counts(&e),
                b"testsuite" => {
                    declared_suite = counts(&e);
                    suite = Counts::default();
                    suite_name = attr(&e, "name").unwrap();
                }
                b"testcase" => {
                    suite.tests += 1;
                    total.tests += 1;
                }
                b"failure" => {
                    suite.failures += 1;
                    total.failures += 1;
                }
                b"error" => {
                    suite.errors += 1;
                    total.errors += 1;
                }
                b"skipped" => {
                    suite.skipped += 1;
                    total.skipped += 1;
                    skipped.push(attr(&e, "message").unwrap());
                }
                _ => {}
            },
            Event::End(e) if e.name().as_ref() == b"testsuite" => {
                assert_eq!(declared_suite, suite, "{what}: {suite_name} counts");
                suites.push((suite_name.clone(), std::mem::take(&mut suite)));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(declared_total, total, "{what}: total counts");
    (suites, skipped)
}

#[test]
fn junit_fails_blocking_findings_and_skips_the_rest() {
    for name in FIXTURES {
        let report = load(name);
        let (suites, skipped) = check_junit(&rendered(&report, GateFormat::Junit), name);
        assert_eq!(suites.len(), report.scans.len(), "{name}");
        for ((suite, counts), scan) in suites.iter().zip(&report.scans) {
            assert_eq!(suite, &format!("gatehouse {}", scan.scanner.as_str()));
            assert_eq!(counts.failures, scan.blocking(), "{name}");
            assert_eq!(
                counts.skipped,
                scan.report.findings.len() - scan.blocking(),
                "{name}"
            );
            assert_eq!(
                counts.errors,
                scan.report.errors.len() + scan.report.gaps.len(),
                "{name}"
            );
        }
        assert_eq!(skipped.len(), report.total() - report.blocking());
    }
    let (_, skipped) = check_junit(
        &rendered(&load("gate-blocked"), GateFormat::Junit),
        "blocked",
    );
    assert!(skipped.contains(&"below threshold (low < medium)".to_string()));
    assert!(skipped.contains(&"not new (in the baseline gatehouse-baseline.json)".to_string()));
    assert!(skipped.contains(&"not new (unchanged since origin/main)".to_string()));
    assert!(skipped.contains(
        &"exception EXC-4: Local settings only | see <wiki> (approved by Ada Lovelace, expires 2026-06-30)"
            .to_string()
    ));
    let doc = rendered(&load("gate-blocked"), GateFormat::Junit);
    assert!(doc.contains("warning: exception EXC-2 (gatehouse.toml:18) expired on 2026-01-31"));
    assert!(doc.contains("warning: exception EXC-3 (https://gatehouse.example.org/exceptions/3) matched nothing (stale)"));
}

// ---------------------------------------------------------------------------------------------
// Markdown

/// Table rows keep their column count: every unescaped `|` is a cell border.
fn check_markdown_tables(doc: &str, what: &str) {
    let mut columns = None;
    for line in doc.lines() {
        if !line.starts_with('|') {
            columns = None;
            continue;
        }
        let mut borders = 0;
        let mut escaped = false;
        for c in line.chars() {
            match c {
                '\\' if !escaped => escaped = true,
                '|' if !escaped => borders += 1,
                _ => escaped = false,
            }
            if c != '\\' {
                escaped = false;
            }
        }
        match columns {
            None => columns = Some(borders),
            Some(n) => assert_eq!(n, borders, "{what}: row breaks its table: {line}"),
        }
    }
}

#[test]
fn markdown_escapes_what_it_quotes() {
    let doc = rendered(&load("gate-blocked"), GateFormat::Markdown);
    check_markdown_tables(&doc, "blocked");
    assert!(doc.starts_with("## ❌ Gatehouse gate: BLOCKED (stage merge-request)\n"));
    // The hostile title: no raw HTML, link, emphasis, mention or reference survives.
    assert!(!doc.contains("<script>"));
    assert!(!doc.contains("[link]("));
    assert!(!doc.contains(" @admin"));
    assert!(doc.contains(
        "Use of \\`eval\\` \\| \\*dangerous\\* \\_input\\_ \\[link\\](javascript:alert(1)) \\@admin \\#1 \\<script\\>x\\</script\\>"
    ));
    // The path with a backtick and a pipe stays one code span in one cell.
    assert!(doc.contains("``app/views `x`\\|y.py:10:12``"), "{doc}");
    assert!(doc.contains("<details><summary>6 findings not blocking"));
    assert!(doc.contains("### Expired exceptions"));
    assert!(doc.contains("### Unused exceptions"));
    assert!(doc.contains("### Scan errors and coverage gaps"));
    // Secrets: this format shows none, not even masked.
    assert!(!doc.contains("ghp_EX"));
    for name in FIXTURES {
        check_markdown_tables(&rendered(&load(name), GateFormat::Markdown), name);
    }
}

#[test]
fn markdown_stays_under_the_comment_limit() {
    let report = hostile_gate(3000);
    let doc = rendered(&report, GateFormat::Markdown);
    let chars = doc.chars().count();
    assert!(chars <= 65_536, "{chars} characters");
    assert!(doc.contains("more blocking findings"), "{doc}");
    assert!(doc.contains("_… and "));
    check_markdown_tables(&doc, "hostile");
    assert!(doc.ends_with("</sub>\n"));
}

#[test]
fn markdown_budget_cuts_rows_that_escape_to_double_length() {
    // 100 findings whose every text doubles when escaped: the row caps alone would allow about
    // 110,000 characters, so the budget has to stop the rows.
    let mut report = load("gate-empty");
    let noisy = "|*_[<".repeat(40);
    let scan = &mut report.scans[2];
    for n in 0..100u32 {
        let mut f = load("gate-blocked").scans[2].report.findings[0].clone();
        f.title = noisy.clone();
        f.rule_id = noisy.clone();
        f.location.path = Some(format!("{noisy}{n:03}"));
        f.location.start_line = n + 1;
        f.fingerprint = Fingerprint::from_parts([n.to_string()]);
        scan.report.findings.push(f);
        scan.decisions.push(if n % 2 == 0 {
            Decision::Blocks
        } else {
            Decision::Passes {
                waiver: Waiver::Exception {
                    id: noisy.clone(),
                    reason: noisy.clone(),
                    approver: noisy.clone(),
                    expires: noisy.clone(),
                },
            }
        });
    }
    scan.report.sort();
    let doc = rendered(&report, GateFormat::Markdown);
    let chars = doc.chars().count();
    assert!((55_000..=65_536).contains(&chars), "{chars} characters");
    let rows = doc
        .lines()
        .filter(|l| l.starts_with("| **") || l.starts_with("| medium"))
        .count();
    assert!(rows < 100, "{rows} rows: the budget did not cut");
    assert!(doc.contains("more findings: the SARIF and JSON reports list them all"));
    assert!(doc.contains("</details>"));
    check_markdown_tables(&doc, "noisy");
}

// ---------------------------------------------------------------------------------------------
// GitLab

fn check_gitlab(
    report: &GateReport,
    format: GateFormat,
    kind: &str,
    scanner: ScannerKind,
    what: &str,
) -> Value {
    let doc = rendered(report, format);
    let value: Value = serde_json::from_str(&doc).unwrap();
    assert_valid(gitlab_validator(kind), &value, &format!("{what} {format}"));
    assert_eq!(value["version"], gatehouse_report::GITLAB_SCHEMA_VERSION);
    let scans: Vec<&GateScan> = report
        .scans
        .iter()
        .filter(|s| s.scanner == scanner)
        .collect();
    let findings: usize = scans.iter().map(|s| s.report.findings.len()).sum();
    let vulns = value["vulnerabilities"].as_array().unwrap();
    assert_eq!(
        vulns.len(),
        findings,
        "{what} {format}: every finding, blocking or not"
    );
    let failed = scans
        .iter()
        .any(|s| !s.report.errors.is_empty() || !s.report.gaps.is_empty());
    assert_eq!(
        value["scan"]["status"],
        if failed { "failure" } else { "success" },
        "{what} {format}"
    );
    let ids: BTreeSet<&str> = vulns.iter().map(|v| v["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids.len(),
        vulns.len(),
        "{what} {format}: ids must be unique"
    );
    for id in ids {
        assert!(is_uuid(id), "{id}");
    }
    value
}

fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && parts.iter().all(|p| {
            p.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
}

#[test]
fn gitlab_reports_validate_against_gitlabs_schemas() {
    for name in FIXTURES {
        let report = load(name);
        for (format, kind, scanner) in GITLAB {
            check_gitlab(&report, format, kind, scanner, name);
        }
    }
}

#[test]
fn gitlab_reports_fill_what_gitlab_shows() {
    let report = load("gate-blocked");
    let sast = check_gitlab(
        &report,
        GateFormat::GitlabSast,
        "sast",
        ScannerKind::Code,
        "blocked",
    );
    assert_eq!(sast["scan"]["start_time"], "2026-03-01T10:00:00");
    assert_eq!(sast["scan"]["end_time"], "2026-03-01T10:00:04");
    let sqli = &sast["vulnerabilities"][0];
    assert_eq!(sqli["severity"], "High");
    assert_eq!(
        sqli["location"],
        json!({"file": "app/db.py", "start_line": 42, "end_line": 42})
    );
    assert_eq!(sqli["identifiers"][0]["type"], "gatehouse_rule_id");
    assert_eq!(sqli["identifiers"][0]["value"], "python.sql-injection");
    assert_eq!(
        sqli["identifiers"][1],
        json!({"type": "cwe", "name": "CWE-89", "value": "89", "url": "https://cwe.mitre.org/data/definitions/89.html"})
    );
    assert_eq!(
        sqli["links"][0]["url"],
        "https://owasp.org/www-community/attacks/SQL_Injection"
    );
    assert_eq!(
        sqli["details"]["gatehouse_decision"]["value"],
        "blocks the pipeline"
    );
    assert_eq!(sqli["solution"], "Pass the values as query parameters.");

    let secrets = check_gitlab(
        &report,
        GateFormat::GitlabSecretDetection,
        "secret-detection",
        ScannerKind::Secrets,
        "blocked",
    );
    assert_eq!(secrets["scan"]["status"], "failure");
    let messages = secrets["scan"]["messages"].as_array().unwrap();
    assert!(messages.iter().any(|m| m["level"] == "warn"
        && m["value"]
            == "vendor/broken file.bin: could not read: permission denied (os error 13)"));
    let vulns = secrets["vulnerabilities"].as_array().unwrap();
    // History finding: its own commit. Working-tree finding: the pipeline's commit.
    assert_eq!(
        vulns[1]["location"]["commit"]["sha"],
        "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d"
    );
    assert_eq!(
        vulns[1]["location"]["commit"]["author"],
        "Ada Lovelace <ada@example.org>"
    );
    assert_eq!(
        vulns[4]["location"]["commit"],
        json!({"sha": "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432"})
    );
    // The two AWS findings share a fingerprint and are in different commits: different ids.
    assert_ne!(vulns[1]["id"], vulns[2]["id"]);
    assert!(vulns[4]["details"]["gatehouse_secret"]["value"]
        .as_str()
        .unwrap()
        .starts_with("ghp_EX…(40) (SHA-256 294a4e0c"));
    assert!(vulns
        .iter()
        .all(|v| v.get("raw_source_code_extract").is_none()));
    assert_eq!(
        vulns[3]["details"]["gatehouse_decision"]["value"],
        "passes: exception EXC-1: Test fixture password, never deployed (approved by Grace Hopper, expires 2026-12-31)"
    );

    let deps = check_gitlab(
        &report,
        GateFormat::GitlabDependencyScanning,
        "dependency-scanning",
        ScannerKind::Dependencies,
        "blocked",
    );
    let ghsa = &deps["vulnerabilities"][1];
    assert_eq!(
        ghsa["location"],
        json!({"file": "Cargo.lock", "dependency": {"package": {"name": "bytes"}, "version": "1.10.1", "direct": false}})
    );
    let types: Vec<&str> = ghsa["identifiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["gatehouse_rule_id", "ghsa", "cve", "rustsec"]);
    assert_eq!(ghsa["name"], "Integer overflow in `BytesMut::reserve`");
    assert_eq!(ghsa["solution"], "Upgrade bytes to 1.11.1 or later.");
    assert_eq!(deps["scan"]["status"], "failure");

    // Ids are stable from run to run, and follow the finding, not its position.
    let again = check_gitlab(
        &report,
        GateFormat::GitlabSast,
        "sast",
        ScannerKind::Code,
        "again",
    );
    assert_eq!(sast["vulnerabilities"], again["vulnerabilities"]);
}

#[test]
fn gitlab_report_of_a_scanner_that_did_not_run_is_empty_and_successful() {
    let mut report = load("gate-blocked");
    report.scans.retain(|s| s.scanner == ScannerKind::Secrets);
    for (format, kind, scanner) in GITLAB {
        let v = check_gitlab(&report, format, kind, scanner, "secrets only");
        if scanner != ScannerKind::Secrets {
            assert_eq!(v["vulnerabilities"], json!([]));
            assert_eq!(v["scan"]["status"], "success");
        }
    }
    // The passed fixture started at +02:00: GitLab's times are UTC.
    let passed = rendered(&load("gate-passed"), GateFormat::GitlabSast);
    let passed: Value = serde_json::from_str(&passed).unwrap();
    assert_eq!(passed["scan"]["start_time"], "2026-03-01T10:30:00");
    assert_eq!(passed["scan"]["end_time"], "2026-03-01T10:30:01");
}

#[test]
fn gitlab_needs_real_timestamps() {
    let mut report = load("gate-passed");
    report.context.finished = "yesterday".into();
    for (format, ..) in GITLAB {
        let err = render_gate(&report, format, &RenderOptions::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "gate report field `context.finished` is not an RFC 3339 timestamp: `yesterday`"
        );
    }
    // The other formats print the context as it is.
    for format in [
        GateFormat::Summary,
        GateFormat::Json,
        GateFormat::Sarif,
        GateFormat::Junit,
        GateFormat::Markdown,
    ] {
        assert!(render_gate(&report, format, &RenderOptions::default()).is_ok());
    }
}

// ---------------------------------------------------------------------------------------------
// Secrets

#[test]
fn plain_secrets_appear_only_when_the_scanner_kept_them() {
    let plain = "ghp_EXAMPLE0123456789abcdefghijklmnopqrs";
    let hidden = load("gate-blocked");
    for format in GateFormat::ALL {
        let doc = rendered(&hidden, format);
        assert!(!doc.contains(plain), "{format}");
        assert!(!doc.contains("AKIAIOSFODNN7EXAMPLE"), "{format}");
    }
    let mut shown = hidden.clone();
    let pat = shown.scans[0]
        .report
        .findings
        .iter_mut()
        .find(|f| f.rule_id == "github-personal-access-token")
        .unwrap();
    pat.evidence.secret.as_mut().unwrap().plain = Some(plain.into());
    for format in [
        GateFormat::Json,
        GateFormat::Sarif,
        GateFormat::GitlabSecretDetection,
    ] {
        assert!(rendered(&shown, format).contains(plain), "{format}");
    }
    let gl: Value =
        serde_json::from_str(&rendered(&shown, GateFormat::GitlabSecretDetection)).unwrap();
    assert_eq!(gl["vulnerabilities"][4]["raw_source_code_extract"], plain);
    // JUnit failure details show it as the scan formats' do; the CI log summary and the comment
    // never show it.
    assert!(rendered(&shown, GateFormat::Junit).contains(plain));
    for format in [GateFormat::Summary, GateFormat::Markdown] {
        assert!(!rendered(&shown, format).contains(plain), "{format}");
    }
}

// ---------------------------------------------------------------------------------------------
// Hostile and degenerate input

fn weird_strings() -> Vec<String> {
    let mut v: Vec<String> = [
        "",
        " ",
        "\0",
        "\u{1}\u{1b}[2J\u{7f}\u{85}",
        "line\r\nbreak\rcr",
        "<>&\"' ]]> <!-- --> <![CDATA[",
        "| a | b |\n|---|",
        "``` `x` ```",
        "[x](javascript:alert(1)) ![i](http://x/i.png) @everyone #1 !2 $x$",
        "\u{FFFE}\u{FFFF}\u{FFFD}",
        "\u{202E}txt.exe",
        "日本語/ファイル 名.rs",
        "CVE-2024-1",
        "GHSA-xxxx-yyyy-zzzz",
        "2026-03-01T10:00:00Z",
        "-",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push("x".repeat(1 << 16));
    v.push("é".repeat(20_000));
    v
}

/// A gate report over every weird string, `copies` times, every decision and exception state.
fn hostile_gate(copies: usize) -> GateReport {
    let weird = weird_strings();
    let kinds = [
        ScannerKind::Secrets,
        ScannerKind::Dependencies,
        ScannerKind::Code,
    ];
    let mut scans: Vec<GateScan> = kinds
        .iter()
        .map(|&scanner| GateScan {
            scanner,
            report: ScanReport {
                tool: "gatehouse".into(),
                ..ScanReport::default()
            },
            decisions: Vec::new(),
        })
        .collect();
    for n in 0..copies {
        let w = &weird[n % weird.len()];
        let scan = &mut scans[n % 3];
        let mut properties = BTreeMap::new();
        properties.insert("package".to_string(), json!(w));
        properties.insert(
            "version".to_string(),
            if n % 2 == 0 { json!(w) } else { json!(7) },
        );
        properties.insert("direct".to_string(), json!(w));
        let line = [0, 1, u32::MAX][n % 3];
        scan.report.findings.push(Finding {
            rule_id: w.clone(),
            scanner: scan.scanner,
            severity: Severity::ALL[n % 5],
            confidence: Confidence::Low,
            title: w.clone(),
            message: w.clone(),
            location: Location {
                path: (n % 4 != 0).then(|| w.clone()),
                start_line: line,
                end_line: line,
                commit: (n % 2 == 0).then(|| CommitInfo {
                    id: w.clone(),
                    author_name: w.clone(),
                    author_email: w.clone(),
                    date: w.clone(),
                }),
                host: (n % 4 == 0).then(|| w.clone()),
                ..Location::default()
            },
            cwe: vec![w.clone(), "CWE-798".into()],
            ids: vec![w.clone(), "CVE-2024-12345".into(), "CVE-2024-12345".into()],
            evidence: Evidence {
                snippet: Some(w.clone()),
                secret: Some(SecretValue {
                    masked: w.clone(),
                    sha256: secret_sha256(w.as_bytes()),
                    length: w.chars().count(),
                    plain: None,
                }),
            },
            remediation: Some(w.clone()),
            fix: Some(w.clone()),
            fingerprint: Fingerprint::from_parts([w.as_str()]),
            properties,
        });
        if n % 7 == 0 {
            scan.report.rules.insert(
                w.clone(),
                RuleMeta {
                    id: w.clone(),
                    title: w.clone(),
                    description: w.clone(),
                    remediation: w.clone(),
                    severity: Severity::High,
                    confidence: Confidence::High,
                    scanner: scan.scanner,
                    cwe: vec![w.clone()],
                    references: vec![w.clone(), "https://example.org/a".into()],
                    tags: Vec::new(),
                },
            );
        }
        if n % 5 == 0 {
            scan.report.errors.push(ScanError {
                path: (n % 2 == 0).then(|| w.clone()),
                message: w.clone(),
            });
            scan.report.gaps.push(CoverageGap {
                scope: w.clone(),
                count: u64::MAX,
                reason: w.clone(),
            });
            scan.report.stale.push(StaleEntry {
                source: w.clone(),
                line: Some(line),
                entry: w.clone(),
            });
        }
    }
    for (i, scan) in scans.iter_mut().enumerate() {
        scan.report.sort();
        scan.decisions = (0..scan.report.findings.len())
            .map(|n| {
                let w = weird[(n + i) % weird.len()].clone();
                match (n + i) % 6 {
                    0 | 1 => Decision::Blocks,
                    2 => Decision::Passes {
                        waiver: Waiver::BelowThreshold { threshold: None },
                    },
                    3 => Decision::Passes {
                        waiver: Waiver::BelowThreshold {
                            threshold: Some(Severity::Critical),
                        },
                    },
                    4 => Decision::Passes {
                        waiver: Waiver::NotNew {
                            basis: if n % 2 == 0 {
                                NewCodeBasis::Baseline
                            } else {
                                NewCodeBasis::Diff
                            },
                        },
                    },
                    _ => Decision::Passes {
                        waiver: Waiver::Exception {
                            id: w.clone(),
                            reason: w.clone(),
                            approver: w.clone(),
                            expires: w,
                        },
                    },
                }
            })
            .collect();
    }
    let exceptions = weird
        .iter()
        .enumerate()
        .map(|(i, w)| ExceptionStatus {
            id: w.clone(),
            source: w.clone(),
            reason: w.clone(),
            approver: w.clone(),
            expires: w.clone(),
            state: match i % 3 {
                0 => ExceptionState::Applied { count: 1 },
                1 => ExceptionState::Expired { count: u64::MAX },
                _ => ExceptionState::Unused,
            },
        })
        .collect();
    GateReport {
        tool: "gatehouse".into(),
        version: String::new(),
        stage: weird[8].clone(),
        verdict: Verdict::Blocked,
        context: GateContext {
            project: Some(weird[5].clone()),
            commit: Some(weird[7].clone()),
            branch: Some(weird[6].clone()),
            pipeline: Some(weird[10].clone()),
            diff_base: Some(weird[4].clone()),
            baseline: Some(weird[3].clone()),
            started: "2026-03-01T10:00:00Z".into(),
            finished: "2026-03-01T10:00:00.999999+14:00".into(),
        },
        scans,
        exceptions,
        duration_ms: u64::MAX,
    }
}

fn check_everything(report: &GateReport, what: &str) {
    check_json(report, &rendered(report, GateFormat::Json), what);
    check_sarif(report, &rendered(report, GateFormat::Sarif), what);
    check_junit(&rendered(report, GateFormat::Junit), what);
    for (format, kind, scanner) in GITLAB {
        check_gitlab(report, format, kind, scanner, what);
    }
    let md = rendered(report, GateFormat::Markdown);
    assert!(md.chars().count() <= 65_536, "{what}");
    check_markdown_tables(&md, what);
    let summary = rendered(report, GateFormat::Summary);
    assert!(
        summary.chars().all(|c| c == '\n' || !c.is_control()),
        "{what}"
    );
    assert!(
        summary
            .chars()
            .all(|c| !('\u{202A}'..='\u{202E}').contains(&c)),
        "{what}"
    );
}

#[test]
fn hostile_input_renders_valid_documents() {
    check_everything(&hostile_gate(weird_strings().len() * 3), "hostile");
}

#[test]
fn a_run_without_scanners_renders_valid_documents() {
    let mut report = load("gate-empty");
    report.scans.clear();
    check_everything(&report, "no scans");
    assert!(rendered(&report, GateFormat::Markdown).contains("No scanner ran."));
}
