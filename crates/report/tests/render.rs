//! Fixtures in, snapshots out; and every format checked against what reads it: SARIF against the
//! official schema, JSON against ours (and back into a `ScanReport`), JUnit through an XML parser.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::OnceLock;

use gatehouse_core::{
    secret_sha256, CommitInfo, Confidence, CoverageGap, Evidence, Finding, Fingerprint, Location,
    ParseErrors, RuleMeta, ScanError, ScanReport, ScanStats, ScanWarning, ScannerKind, SecretValue,
    Severity, SkipReason, StaleEntry,
};
use gatehouse_report::{render, render_to_string, Format, RenderError, RenderOptions};
use quick_xml::events::Event;
use serde_json::{json, Value};

const FIXTURES: [&str; 5] = ["full", "empty", "errors-only", "show-secrets", "deps"];

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load(name: &str) -> ScanReport {
    let path = dir().join("tests/fixtures").join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap();
    let mut report: ScanReport =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    report.sort();
    report
}

fn rendered(report: &ScanReport, format: Format) -> String {
    render_to_string(report, format, &RenderOptions::default()).unwrap()
}

fn sarif_validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| validator("tests/schemas/sarif-schema-2.1.0.json"))
}

fn json_validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    // The schema the crate exports is the file in `schema/`.
    V.get_or_init(|| {
        let schema: Value = serde_json::from_str(gatehouse_report::JSON_SCHEMA).unwrap();
        jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap()
    })
}

fn validator(schema_path: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(dir().join(schema_path)).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{schema_path}: {e}"))
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
// Snapshots

#[test]
fn snapshots_of_every_format() {
    for name in FIXTURES {
        let report = load(name);
        for format in Format::ALL {
            insta::assert_snapshot!(format!("{name}.{format}"), rendered(&report, format));
        }
    }
    let colored =
        render_to_string(&load("full"), Format::Table, &RenderOptions { color: true }).unwrap();
    insta::assert_snapshot!("full.table-color", colored);
}

#[test]
fn render_writes_what_render_to_string_returns() {
    let report = load("full");
    for format in Format::ALL {
        let mut out = Vec::new();
        render(&report, format, &RenderOptions::default(), &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), rendered(&report, format));
    }
}

struct Broken;

impl Write for Broken {
    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
        Err(io::Error::new(io::ErrorKind::BrokenPipe, "pipe closed"))
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn write_failures_are_io_errors() {
    for format in Format::ALL {
        let err = render(
            &load("full"),
            format,
            &RenderOptions::default(),
            &mut Broken,
        )
        .unwrap_err();
        assert!(matches!(err, RenderError::Io(_)), "{format}: {err:?}");
        assert!(err.to_string().contains("pipe closed"));
    }
}

// ---------------------------------------------------------------------------------------------
// JSON

fn check_json(report: &ScanReport, doc: &str, what: &str) {
    assert!(
        doc.starts_with("{\n  \"schema_version\": \"1\",\n"),
        "{what}"
    );
    assert!(doc.ends_with("}\n") && !doc.ends_with("\n\n"), "{what}");
    let value: Value = serde_json::from_str(doc).unwrap();
    assert_valid(json_validator(), &value, what);
    let back: ScanReport = serde_json::from_str(doc).unwrap();
    assert_eq!(&back, report, "{what} does not round-trip");
}

#[test]
fn json_validates_against_its_schema_and_round_trips() {
    for name in FIXTURES {
        let report = load(name);
        check_json(&report, &rendered(&report, Format::Json), name);
    }
}

#[test]
fn json_summary_counts_findings() {
    let value: Value = serde_json::from_str(&rendered(&load("full"), Format::Json)).unwrap();
    assert_eq!(
        value["summary"],
        json!({"total": 7, "critical": 2, "high": 1, "medium": 2, "low": 1, "info": 1})
    );
    assert_eq!(value["errors"].as_array().unwrap().len(), 2);
    let empty: Value = serde_json::from_str(&rendered(&load("empty"), Format::Json)).unwrap();
    assert_eq!(empty["errors"], json!([]));
    assert_eq!(empty["stale"], json!([]));
}

#[test]
fn the_json_schema_documents_every_field() {
    /// Walks schemas (not arbitrary JSON): property maps, `$defs`, `items`, `additionalProperties`.
    fn walk(schema: &Value, path: &str, missing: &mut Vec<String>) {
        let Some(map) = schema.as_object() else {
            return;
        };
        if let Some(Value::Object(props)) = map.get("properties") {
            for (k, v) in props {
                // A `$ref` to a definition documents the field with the definition's description.
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
    }
    let text = std::fs::read_to_string(dir().join("schema/gatehouse-report.schema.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    let mut missing = Vec::new();
    walk(&schema, "", &mut missing);
    // Fields whose meaning is their name.
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

fn check_sarif(report: &ScanReport, doc: &str, what: &str) {
    let sarif: Value = serde_json::from_str(doc).unwrap();
    assert_valid(sarif_validator(), &sarif, what);
    assert_eq!(
        sarif["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    assert_eq!(sarif["version"], "2.1.0");
    let runs = sarif["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["tool"]["driver"]["name"], "gatehouse");

    // Rules: the referenced ones, in id order, each once.
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let expected: BTreeSet<&str> = report.findings.iter().map(|f| f.rule_id.as_str()).collect();
    assert_eq!(ids, expected.into_iter().collect::<Vec<_>>(), "{what}");

    // Results: one per finding, in order, pointing at their rule.
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), report.findings.len());
    let bases = run["originalUriBaseIds"].as_object().unwrap();
    for (r, f) in results.iter().zip(&report.findings) {
        assert_eq!(r["ruleId"], f.rule_id.as_str());
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], f.rule_id.as_str(), "{what}");
        assert_eq!(
            r["partialFingerprints"]["gatehouse/v1"],
            f.fingerprint.as_str()
        );
        assert_eq!(r["level"], f.severity.sarif_level());
        // GitHub rejects a whole file if one result lacks a physical location with a URI.
        let locations = r["locations"].as_array().unwrap();
        assert!(!locations.is_empty(), "{what}: result without location");
        for loc in locations {
            let artifact = &loc["physicalLocation"]["artifactLocation"];
            assert!(
                artifact["uri"].as_str().is_some_and(|u| !u.is_empty()),
                "{what}: location without artifact URI"
            );
            if let Some(base) = artifact["uriBaseId"].as_str() {
                assert!(bases.contains_key(base), "{what}: undeclared base {base}");
            }
            if let Some(uri) = artifact["uri"].as_str() {
                assert!(
                    is_uri_reference(uri),
                    "{what}: {uri:?} is not a URI reference"
                );
            }
        }
        if f.evidence
            .secret
            .as_ref()
            .is_some_and(|s| s.plain.is_none())
        {
            assert!(r["properties"]["secret"].get("plain").is_none());
        }
    }
    let invocation = &run["invocations"][0];
    assert_eq!(
        invocation["executionSuccessful"],
        report.errors.is_empty() && report.gaps.is_empty()
    );
    let notes = invocation["toolExecutionNotifications"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        notes.len(),
        report.errors.len() + report.stale.len() + report.gaps.len() + report.warnings.len()
    );
    for n in &notes {
        for loc in n["locations"].as_array().into_iter().flatten() {
            let uri = loc["physicalLocation"]["artifactLocation"]["uri"].as_str();
            assert!(
                uri.is_some_and(|u| !u.is_empty()),
                "{what}: notification without URI"
            );
        }
    }
}

/// An RFC 3986 URI reference as GitHub needs it: only URI characters, `%` only in `%XX`, and in a
/// relative reference no `:` in the first segment (which would make it a scheme).
fn is_uri_reference(u: &str) -> bool {
    let b = u.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = |j: usize| b.get(j).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                return false;
            }
            i += 3;
            continue;
        }
        if !(b[i].is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&b[i])) {
            return false;
        }
        i += 1;
    }
    let has_scheme = u.split_once(':').is_some_and(|(s, _)| {
        s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"+-.".contains(&c))
    });
    has_scheme || !u.split('/').next().unwrap_or("").contains(':')
}

#[test]
fn uri_reference_check() {
    assert!(is_uri_reference("src/a%20b.rs"));
    assert!(is_uri_reference("file:///C:/x"));
    assert!(is_uri_reference("."));
    assert!(!is_uri_reference("a b"));
    assert!(!is_uri_reference("100%"));
    assert!(!is_uri_reference("%4"));
    assert!(!is_uri_reference("%zz"));
    assert!(!is_uri_reference("1a:b"));
    assert!(!is_uri_reference("ü"));
}

#[test]
fn the_sarif_schema_check_is_strict() {
    let mut sarif: Value = serde_json::from_str(&rendered(&load("full"), Format::Sarif)).unwrap();
    assert!(sarif_validator().is_valid(&sarif));
    sarif["runs"][0]["results"][0]["level"] = json!("fatal");
    assert!(!sarif_validator().is_valid(&sarif));
    sarif["runs"][0]["results"][0]["level"] = json!("error");
    assert!(sarif_validator().is_valid(&sarif));
    sarif["runs"][0]["tool"]["driver"]["informationUri"] = json!("not a uri");
    assert!(
        !sarif_validator().is_valid(&sarif),
        "formats are not validated"
    );
}

#[test]
fn sarif_validates_against_the_official_schema() {
    for name in FIXTURES {
        let report = load(name);
        check_sarif(&report, &rendered(&report, Format::Sarif), name);
    }
}

#[test]
fn sarif_rules_carry_what_github_shows() {
    let sarif: Value = serde_json::from_str(&rendered(&load("full"), Format::Sarif)).unwrap();
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let pat = rules
        .iter()
        .find(|r| r["id"] == "github-personal-access-token")
        .unwrap();
    assert_eq!(pat["name"], "GitHubPersonalAccessToken");
    assert_eq!(
        pat["shortDescription"]["text"],
        "GitHub personal access token"
    );
    assert_eq!(pat["defaultConfiguration"]["level"], "error");
    assert_eq!(pat["properties"]["security-severity"], "8.0");
    assert_eq!(pat["properties"]["precision"], "high");
    assert_eq!(
        pat["properties"]["tags"],
        json!(["security", "secrets", "external/cwe/cwe-798"])
    );
    assert!(pat["helpUri"]
        .as_str()
        .unwrap()
        .starts_with("https://docs.github.com/"));
    assert!(pat["help"]["markdown"]
        .as_str()
        .unwrap()
        .contains("**Remediation**"));

    // A rule missing from `report.rules` is made from its finding.
    let synth = rules.iter().find(|r| r["id"] == "stdin-token").unwrap();
    assert_eq!(synth["name"], "TokenOnStandardInput");
    assert_eq!(synth["properties"]["precision"], "low");
    assert!(synth.get("helpUri").is_none());

    let results = run["results"].as_array().unwrap();
    // The finding without any location points at the scan root; the network one at host:port.
    let stdin = results
        .iter()
        .find(|r| r["ruleId"] == "stdin-token")
        .unwrap();
    assert_eq!(
        stdin["locations"][0]["physicalLocation"]["artifactLocation"],
        json!({"uri": ".", "uriBaseId": "%SRCROOT%"})
    );
    let redis = results
        .iter()
        .find(|r| r["ruleId"] == "open-redis")
        .unwrap();
    assert_eq!(
        redis["locations"][0]["logicalLocations"][0]["name"],
        "10.0.0.5:6379"
    );
    assert_eq!(
        redis["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "10.0.0.5%3A6379"
    );
    // Weird paths are percent-encoded, relative to %SRCROOT%.
    let weird = results
        .iter()
        .find(|r| r["ruleId"] == "generic-password")
        .unwrap();
    let artifact = &weird["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(
        artifact["uri"],
        "docs/%231%20100%25%20%C3%BC/%E6%97%A5%E6%9C%AC%E8%AA%9E%20%E3%83%95%E3%82%A1%E3%82%A4%E3%83%AB.md"
    );
    assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
    // Gatehouse's properties win over a scanner's property of the same name.
    assert_eq!(weird["properties"]["severity"], "medium");
    assert_eq!(weird["properties"]["entropy"], 3.91);
    // History findings carry their commit.
    let aws = results
        .iter()
        .find(|r| r["ruleId"] == "aws-access-key-id")
        .unwrap();
    assert_eq!(aws["properties"]["commit"]["author"], "Ada Lovelace");
    // Duplicate tags from a scanner are made distinct, as SARIF requires.
    let dep = results
        .iter()
        .find(|r| r["ruleId"] == "RUSTSEC-2024-0001")
        .unwrap();
    assert_eq!(dep["properties"]["tags"], json!(["supply-chain"]));
    assert!(dep["locations"][0]["physicalLocation"]
        .get("region")
        .is_none());
}

// ---------------------------------------------------------------------------------------------
// JUnit

#[derive(Debug, Default)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
}

fn attr(e: &quick_xml::events::BytesStart, name: &str) -> Option<String> {
    e.try_get_attribute(name)
        .unwrap()
        .map(|a| a.unescape_value().unwrap().into_owned())
}

fn count_attr(e: &quick_xml::events::BytesStart, name: &str) -> usize {
    attr(e, name).unwrap().parse().unwrap()
}

/// Parses the document, checks every count attribute against the elements, and returns the test
/// case names and the failure texts.
fn check_junit(doc: &str, what: &str) -> (Vec<String>, Vec<String>) {
    for c in doc.chars() {
        let ok = matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
            || c >= '\u{10000}';
        assert!(ok, "{what}: character {c:?} is not allowed in XML 1.0");
    }
    let mut reader = quick_xml::Reader::from_str(doc);
    let mut declared_total = Counts::default();
    let mut seen_total = Counts::default();
    let mut declared_suite = Counts::default();
    let mut seen_suite = Counts::default();
    let mut names = Vec::new();
    let mut texts = Vec::new();
    let mut saw_root = false;
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("{what}: not well-formed: {e}"));
        match event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"testsuites" => {
                    assert!(!saw_root, "{what}: two roots");
                    saw_root = true;
                    declared_total = Counts {
                        tests: count_attr(&e, "tests"),
                        failures: count_attr(&e, "failures"),
                        errors: count_attr(&e, "errors"),
                    };
                }
                b"testsuite" => {
                    assert!(attr(&e, "name").unwrap().starts_with("gatehouse "));
                    declared_suite = Counts {
                        tests: count_attr(&e, "tests"),
                        failures: count_attr(&e, "failures"),
                        errors: count_attr(&e, "errors"),
                    };
                    seen_suite = Counts::default();
                }
                b"testcase" => {
                    seen_suite.tests += 1;
                    seen_total.tests += 1;
                    assert!(attr(&e, "classname").is_some());
                    names.push(attr(&e, "name").unwrap());
                }
                b"failure" => {
                    seen_suite.failures += 1;
                    seen_total.failures += 1;
                    assert!(attr(&e, "type").is_some() && attr(&e, "message").is_some());
                }
                b"error" => {
                    seen_suite.errors += 1;
                    seen_total.errors += 1;
                }
                _ => {}
            },
            Event::End(e) if e.name().as_ref() == b"testsuite" => {
                assert_eq!(
                    (
                        declared_suite.tests,
                        declared_suite.failures,
                        declared_suite.errors
                    ),
                    (seen_suite.tests, seen_suite.failures, seen_suite.errors),
                    "{what}: suite counts"
                );
            }
            Event::Text(t) => texts.push(t.unescape().unwrap().into_owned()),
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(saw_root, "{what}: no <testsuites>");
    assert_eq!(
        (
            declared_total.tests,
            declared_total.failures,
            declared_total.errors
        ),
        (seen_total.tests, seen_total.failures, seen_total.errors),
        "{what}: total counts"
    );
    (names, texts)
}

#[test]
fn junit_is_well_formed_and_counts_right() {
    for name in FIXTURES {
        let report = load(name);
        let (names, _) = check_junit(&rendered(&report, Format::Junit), name);
        let expected =
            if report.findings.is_empty() && report.errors.is_empty() && report.gaps.is_empty() {
                1
            } else {
                report.findings.len() + report.errors.len() + report.gaps.len()
            };
        assert_eq!(names.len(), expected, "{name}");
    }
}

#[test]
fn junit_names_and_texts_survive_escaping() {
    let report = load("full");
    let (names, texts) = check_junit(&rendered(&report, Format::Junit), "full");
    assert!(names
        .contains(&"docs/#1 100% ü/日本語 ファイル.md:7 Generic password assignment".to_string()));
    assert!(
        names.contains(&"deploy/prod env/.env:3 AWS access key ID (commit 1a2b3c4d)".to_string())
    );
    assert!(names.contains(&"error: vendor/broken file.bin".to_string()));
    let all = texts.concat();
    assert!(all.contains("password = \"s3cr…(18)\"  # <!-- ]]> -->"));
    assert!(all.contains(
        "Commit: ffeeddccbbaa99887766554433221100ffeeddcc by Grace Hopper <grace@example.org> on 2023-12-24T08:30:00Z"
    ));
    assert!(all.contains("warning: stale entry in .gatehouseignore:4:"));
}

#[test]
fn junit_clean_run_has_one_passing_case() {
    let doc = rendered(&load("empty"), Format::Junit);
    assert!(doc
        .contains("<testsuite name=\"gatehouse secrets\" tests=\"1\" failures=\"0\" errors=\"0\""));
    assert!(doc.contains("name=\"no findings\""));
    let doc = rendered(&load("errors-only"), Format::Junit);
    assert!(doc.contains(
        "<testsuite name=\"gatehouse dependencies\" tests=\"1\" failures=\"0\" errors=\"1\""
    ));
    assert!(!doc.contains("no findings"));
}

// ---------------------------------------------------------------------------------------------
// Table

#[test]
fn table_prints_no_control_characters_from_findings() {
    let doc = rendered(&load("full"), Format::Table);
    assert!(doc.chars().all(|c| c == '\n' || !c.is_control()), "{doc}");
    let colored =
        render_to_string(&load("full"), Format::Table, &RenderOptions { color: true }).unwrap();
    assert!(colored.contains("\x1b[1;31mCRITICAL\x1b[0m"));
}

#[test]
fn table_summary_lines() {
    let doc = rendered(&load("full"), Format::Table);
    assert!(doc.contains("\n7 findings: 2 critical, 1 high, 2 medium, 1 low, 1 info\n"));
    assert!(doc.contains("\nScanned 1,234 files (56.3 MB) in 321 commits in 1.24 s\n"));
    assert!(doc.contains("\nSkipped: 3 binary, 1 too large\n"));
    assert!(doc.contains("\nSuppressed: 2\n"));
    assert!(doc.contains("\nerror: vendor/broken file.bin: could not read"));
    assert!(doc.contains("\nwarning: stale entry in .gatehouseignore:4: 0123"));
    assert!(doc.contains("\nwarning: stale entry in gatehouse-baseline.json: fedc"));
    let empty = rendered(&load("empty"), Format::Table);
    assert_eq!(empty, "No findings.\nScanned 0 files (0 B) in 0.00 s\n");
}

// ---------------------------------------------------------------------------------------------
// Secrets

#[test]
fn plain_secrets_appear_only_when_the_scanner_kept_them() {
    let plain = "ghp_EXAMPLE0123456789abcdefghijklmnopqrs";
    let shown = load("show-secrets");
    for format in Format::ALL {
        assert!(rendered(&shown, format).contains(plain), "{format}");
    }
    let hidden = load("full");
    for format in [Format::Json, Format::Sarif] {
        assert!(!rendered(&hidden, format).contains("\"plain\""), "{format}");
    }
    for format in Format::ALL {
        let doc = rendered(&hidden, format);
        assert!(!doc.contains(plain), "{format}");
        assert!(!doc.contains("AKIAIOSFODNN7EXAMPLE"), "{format}");
    }
}

// ---------------------------------------------------------------------------------------------
// Hostile input: nothing panics, everything stays valid.

fn weird_strings() -> Vec<String> {
    let mut v: Vec<String> = [
        "",
        " ",
        "\0",
        "\u{1}\u{1b}[2J\u{7f}\u{85}",
        "line\r\nbreak\rcr",
        "<>&\"' ]]> <!-- --> <![CDATA[",
        "\u{FFFE}\u{FFFF}\u{FFFD}",
        "\u{202E}txt.exe",
        "日本語/ファイル 名.rs",
        "🦀 crab/🔑.env",
        "100%/#frag?query=1&x",
        "C:\\Windows\\win.ini",
        "/absolute/path with space",
        "./relative/./x",
        "../escape",
        "a:b/c",
        "%SRCROOT%",
        "\t",
        "-",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push("x".repeat(1 << 16));
    v.push("é".repeat(20_000));
    v
}

fn hostile_report() -> ScanReport {
    let mut report = ScanReport {
        tool: "gatehouse".into(),
        version: String::new(),
        ..ScanReport::default()
    };
    let lines = [0, 1, u32::MAX];
    for (i, w) in weird_strings().into_iter().enumerate() {
        let line = lines[i % lines.len()];
        let kind = [
            ScannerKind::Secrets,
            ScannerKind::Dependencies,
            ScannerKind::Code,
            ScannerKind::Iac,
            ScannerKind::Network,
        ][i % 5];
        let severity = Severity::ALL[i % 5];
        let confidence = [Confidence::Low, Confidence::Medium, Confidence::High][i % 3];
        let mut properties = BTreeMap::new();
        properties.insert("tags".to_string(), json!(w));
        properties.insert(w.clone(), json!({ "nested": [w, 1, null, 2.5] }));
        let finding = Finding {
            rule_id: w.clone(),
            scanner: kind,
            severity,
            confidence,
            title: w.clone(),
            message: w.clone(),
            location: Location {
                path: (i % 4 != 0).then(|| w.clone()),
                start_line: line,
                start_column: line,
                end_line: line,
                end_column: line,
                commit: (i % 2 == 0).then(|| CommitInfo {
                    id: w.clone(),
                    author_name: w.clone(),
                    author_email: w.clone(),
                    date: w.clone(),
                }),
                host: (i % 4 == 0).then(|| w.clone()),
                port: (i % 8 == 0).then_some(if i % 16 == 0 { 0 } else { 65535 }),
            },
            cwe: vec![w.clone(), "CWE-798".into(), "CWE-798".into()],
            ids: vec![w.clone()],
            evidence: Evidence {
                snippet: Some(w.clone()),
                secret: Some(SecretValue {
                    masked: w.clone(),
                    sha256: secret_sha256(w.as_bytes()),
                    length: w.chars().count(),
                    plain: (i % 3 == 0).then(|| w.clone()),
                }),
            },
            remediation: Some(w.clone()),
            fix: Some(w.clone()),
            fingerprint: Fingerprint::from_parts([w.as_str()]),
            properties,
        };
        report.findings.push(finding);
        if i % 2 == 1 {
            report.rules.insert(
                w.clone(),
                RuleMeta {
                    id: w.clone(),
                    title: w.clone(),
                    description: w.clone(),
                    remediation: w.clone(),
                    severity,
                    confidence,
                    scanner: kind,
                    cwe: vec![w.clone(), "79".into()],
                    references: vec![w.clone(), "https://example.org/a b".into()],
                    tags: vec![w.clone(), w.clone()],
                },
            );
        }
        report.errors.push(ScanError {
            path: (i % 2 == 0).then(|| w.clone()),
            message: w.clone(),
        });
        report.stale.push(StaleEntry {
            source: w.clone(),
            line: (i % 2 == 0).then_some(line),
            entry: w.clone(),
        });
        report.gaps.push(CoverageGap {
            scope: w.clone(),
            count: if i % 2 == 0 { u64::MAX } else { 0 },
            reason: w.clone(),
        });
        report.warnings.push(ScanWarning {
            path: (i % 3 != 0).then(|| w.clone()),
            line: (i % 2 == 0).then_some(line),
            message: w.clone(),
        });
    }
    report.stats = ScanStats {
        scanned: u64::MAX,
        bytes: u64::MAX,
        skipped: [
            (SkipReason::Binary, u64::MAX),
            (SkipReason::TooLarge, 0),
            (SkipReason::Symlink, 1),
            (SkipReason::Ignored, 2),
        ]
        .into_iter()
        .collect(),
        commits: Some(u64::MAX),
        packages: Some(u64::MAX),
        lines: Some(u64::MAX),
        parse_errors: [(
            "python".to_string(),
            ParseErrors {
                files: u64::MAX,
                errors: 0,
            },
        )]
        .into_iter()
        .collect(),
        suppressed: u64::MAX,
        duration_ms: u64::MAX,
    };
    report.sort();
    report
}

#[test]
fn hostile_input_renders_valid_documents() {
    let report = hostile_report();
    // SARIF's schema cannot take an empty `startLine`, so lines are 0 (absent) or positive here.
    check_sarif(&report, &rendered(&report, Format::Sarif), "hostile sarif");
    check_junit(&rendered(&report, Format::Junit), "hostile junit");
    check_json(&report, &rendered(&report, Format::Json), "hostile json");
    let table = rendered(&report, Format::Table);
    assert!(table.chars().all(|c| c == '\n' || !c.is_control()));
    assert!(table
        .chars()
        .all(|c| !('\u{202A}'..='\u{202E}').contains(&c)));
    assert!(table.contains("\\u{1b}[2J"));
    let colored = render_to_string(&report, Format::Table, &RenderOptions { color: true }).unwrap();
    assert!(colored.contains("error"));
}

#[test]
fn every_single_hostile_finding_renders_alone() {
    // Each finding alone, so that a problem shows up with the string that caused it.
    let full = hostile_report();
    for f in &full.findings {
        let report = ScanReport {
            findings: vec![f.clone()],
            ..ScanReport::default()
        };
        let what = format!("{:?}", &f.rule_id.chars().take(40).collect::<String>());
        check_sarif(&report, &rendered(&report, Format::Sarif), &what);
        check_junit(&rendered(&report, Format::Junit), &what);
        check_json(&report, &rendered(&report, Format::Json), &what);
        let _ = rendered(&report, Format::Table);
    }
}
