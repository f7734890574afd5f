//! Every fixture: detected as its format, parsed, and its findings snapshotted as a compact
//! projection; no planted secret survives; malformed input is an error naming the place; no input
//! makes the parser panic.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use gatehouse_import::{detect, parse, Format, Import};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every fixture file and the format it is in, from its directory's name.
fn fixtures() -> Vec<(String, Format, Vec<u8>)> {
    let mut out = Vec::new();
    for dir in std::fs::read_dir(fixtures_dir()).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let dir_name = dir.file_name().unwrap().to_str().unwrap().to_string();
        for file in std::fs::read_dir(&dir).unwrap() {
            let file = file.unwrap().path();
            let name = file.file_name().unwrap().to_str().unwrap().to_string();
            if name == "README.md" {
                continue;
            }
            let format = match dir_name.as_str() {
                "zap" if name.ends_with(".xml") => Format::ZapXml,
                "zap" => Format::ZapJson,
                other => Format::from_name(other).unwrap_or_else(|| panic!("fixture dir {other}")),
            };
            out.push((
                format!("{dir_name}/{name}"),
                format,
                std::fs::read(&file).unwrap(),
            ));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// One line per scan and per finding: what a reviewer needs to see change.
fn projection(import: &Import) -> String {
    let mut s = String::new();
    let c = &import.context;
    writeln!(
        s,
        "format: {}; context: commit={:?} branch={:?} pipeline={:?} stage={:?}",
        import.format, c.commit, c.branch, c.pipeline, c.stage
    )
    .unwrap();
    for scan in &import.scans {
        writeln!(
            s,
            "scan {} {} kind={} complete={} findings={}",
            scan.tool,
            scan.tool_version.as_deref().unwrap_or("-"),
            scan.kind.as_str(),
            scan.complete,
            scan.findings.len()
        )
        .unwrap();
        for p in &scan.problems {
            writeln!(s, "  problem: {p}").unwrap();
        }
        for f in &scan.findings {
            let l = &f.location;
            let place = match (&l.path, &l.host) {
                (Some(p), _) => format!("{p}:{}", l.start_line),
                (None, Some(h)) => format!("{h}:{}", l.port.unwrap_or(0)),
                (None, None) => format!("-:{}", l.start_line),
            };
            writeln!(
                s,
                "  {} {} {}/{} {} {} {:?}{}{}{}{}",
                f.fingerprint,
                f.scanner.as_str(),
                f.severity,
                f.confidence,
                f.rule_id,
                place,
                f.title,
                if f.cwe.is_empty() {
                    String::new()
                } else {
                    format!(" cwe={}", f.cwe.join(","))
                },
                if f.ids.is_empty() {
                    String::new()
                } else {
                    format!(" ids={}", f.ids.join(","))
                },
                match &f.evidence.secret {
                    Some(sv) => format!(" secret={}", sv.masked),
                    None => String::new(),
                },
                match f.properties.get("url").and_then(|u| u.as_str()) {
                    Some(u) => format!(" url={u}"),
                    None => String::new(),
                },
            )
            .unwrap();
        }
    }
    s
}

#[test]
fn every_fixture_is_detected_parsed_and_snapshotted() {
    let all = fixtures();
    assert!(all.len() >= 10, "fixtures missing: {}", all.len());
    for (name, format, bytes) in all {
        assert_eq!(detect(&bytes), Some(format), "{name}: detected format");
        let import = parse(&bytes, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(import.format, format, "{name}");
        assert_eq!(parse(&bytes, Some(format)).unwrap(), import, "{name}");
        for scan in &import.scans {
            assert_eq!(scan.complete, scan.problems.is_empty(), "{name}");
            let fps: BTreeSet<_> = scan.findings.iter().map(|f| &f.fingerprint).collect();
            assert_eq!(
                fps.len(),
                scan.findings.len(),
                "{name}: duplicate fingerprints"
            );
            let mut sorted = scan.findings.clone();
            sorted.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            assert_eq!(sorted, scan.findings, "{name}: findings not sorted");
            for f in &scan.findings {
                assert_eq!(f.scanner, scan.kind, "{name}: finding kind");
                if let Some(p) = &f.location.path {
                    assert!(
                        !p.starts_with('/') && !p.contains('\\') && !p.starts_with("./"),
                        "{name}: path {p}"
                    );
                }
            }
        }
        let snapshot_name = name.replace(['/', '.'], "-");
        insta::assert_snapshot!(snapshot_name, projection(&import));
    }
}

/// Planted secrets (documented example values) in the fixtures that carry secrets in plain.
const PLANTED: &[&str] = &[
    "ghp_EXAMPLE0123456789abcdefghijklmnopqrs",
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
];

#[test]
fn no_plain_secret_survives_an_import() {
    let mut checked = 0;
    for (name, _, bytes) in fixtures() {
        let text = String::from_utf8_lossy(&bytes);
        let planted: Vec<&str> = PLANTED
            .iter()
            .copied()
            .filter(|p| text.contains(p))
            .collect();
        if planted.is_empty() {
            continue;
        }
        let import = parse(&bytes, None).unwrap();
        let everything = format!("{}\n{import:?}", serde_json::to_string(&import).unwrap());
        for p in planted {
            checked += 1;
            assert!(
                !everything.contains(p),
                "{name}: plain secret {p} in the import"
            );
        }
        let secrets: Vec<_> = import
            .scans
            .iter()
            .flat_map(|s| &s.findings)
            .filter_map(|f| f.evidence.secret.as_ref())
            .collect();
        assert!(
            !secrets.is_empty(),
            "{name}: secret findings carry no secret record"
        );
        for s in secrets {
            assert!(s.plain.is_none(), "{name}");
            assert_eq!(s.sha256.len(), 64, "{name}");
        }
    }
    assert!(
        checked >= 3,
        "too few fixtures with planted secrets: {checked}"
    );
}

#[test]
fn gatehouse_sarif_and_json_agree_on_fingerprints() {
    let read = |p: &str| std::fs::read(fixtures_dir().join(p)).unwrap();
    let key = |i: &Import| -> BTreeSet<(String, String, String, Option<String>, u32)> {
        i.scans
            .iter()
            .flat_map(|s| &s.findings)
            .map(|f| {
                (
                    f.fingerprint.to_string(),
                    f.scanner.as_str().to_string(),
                    f.severity.to_string(),
                    f.location.path.clone(),
                    f.location.start_line,
                )
            })
            .collect()
    };
    for (json, sarif) in [
        ("gatehouse/scan-full.json", "sarif/gatehouse-scan.sarif"),
        ("gatehouse/gate-blocked.json", "sarif/gatehouse-gate.sarif"),
    ] {
        let a = parse(&read(json), None).unwrap();
        let b = parse(&read(sarif), None).unwrap();
        assert!(!key(&a).is_empty());
        assert_eq!(key(&a), key(&b), "{json} vs {sarif}");
    }
}

#[test]
fn gate_report_carries_its_context_and_one_scan_per_scanner() {
    let bytes = std::fs::read(fixtures_dir().join("gatehouse/gate-blocked.json")).unwrap();
    let import = parse(&bytes, None).unwrap();
    assert_eq!(import.context.stage.as_deref(), Some("merge-request"));
    assert_eq!(import.context.branch.as_deref(), Some("feature/login"));
    assert_eq!(import.context.pipeline.as_deref(), Some("1234"));
    assert!(import.context.commit.is_some());
    let kinds: Vec<_> = import.scans.iter().map(|s| s.kind).collect();
    let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(kinds.len(), value["scans"].as_array().unwrap().len());
}

/// (format or detection, input, what the error must say)
const MALFORMED: &[(Option<Format>, &str, &[&str])] = &[
    (None, "hello", &["not recognised"]),
    (None, "{\"what\": 1}", &["not recognised"]),
    (
        Some(Format::Sarif),
        "{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"x\"}}, \"results\": [{\"locations\": [{\"physicalLocation\": {\"region\": {\"startLine\": \"three\"}}}]}]}]}",
        &["sarif", "runs[0].results[0].locations[0].physicalLocation.region.startLine"],
    ),
    (
        Some(Format::Sarif),
        "{\"version\": \"2.1.0\", \"runs\": [{}]}",
        &["sarif", "runs[0]", "tool"],
    ),
    (Some(Format::Sarif), "{\"version\": \"2.1.0\",\n \"runs\": [", &["sarif", "line 2"]),
    (
        Some(Format::Sarif),
        "{\"version\": \"2.0.0\", \"runs\": []}",
        &["sarif", "version", "2.0.0"],
    ),
    (
        Some(Format::Gatehouse),
        "{\"schema_version\": 1, \"verdict\": \"maybe\", \"scans\": []}",
        &["gatehouse", "verdict"],
    ),
    (
        Some(Format::Gatehouse),
        "{\"schema_version\": \"9\", \"tool\": \"gatehouse\", \"findings\": []}",
        &["gatehouse", "schema_version", "9"],
    ),
    (
        Some(Format::Gatehouse),
        "{\"tool\": \"gatehouse\", \"version\": \"1\", \"findings\": [{\"rule_id\": 5}], \"rules\": {}, \"stats\": {}}",
        &["gatehouse", "findings[0].rule_id"],
    ),
    (Some(Format::Gatehouse), "[1, 2]", &["gatehouse", "top level"]),
    (
        None,
        "{\"SchemaVersion\": 2, \"Results\": [{\"Target\": \"x\", \"Vulnerabilities\": [{\"VulnerabilityID\": 5}]}]}",
        &["trivy", "Results[0].Vulnerabilities[0].VulnerabilityID"],
    ),
    (
        Some(Format::Semgrep),
        "{\"results\": [{\"path\": \"a.py\"}], \"errors\": []}",
        &["semgrep", "results[0]", "check_id"],
    ),
    (
        Some(Format::Bandit),
        "{\"results\": [{\"test_id\": \"B101\", \"line_number\": \"x\"}], \"errors\": []}",
        &["bandit", "results[0].line_number"],
    ),
    (
        None,
        "[{\"RuleID\": \"x\", \"StartLine\": \"one\"}]",
        &["gitleaks", "[0].StartLine"],
    ),
    (
        Some(Format::OsvScanner),
        "{\"results\": [{\"packages\": [{\"package\": {\"name\": 1}}]}]}",
        &["osv-scanner", "results[0].packages[0].package.name"],
    ),
    (
        None,
        "{\"@version\": \"2.14.0\", \"site\": [{\"@name\": \"http://h\", \"alerts\": [{\"pluginid\": \"1\", \"riskcode\": \"9\"}]}]}",
        &["zap-json", "site[0].alerts[0]", "riskcode", "9"],
    ),
    (
        None,
        "<OWASPZAPReport version=\"2.9.0\"><site name=\"http://h\"><alerts><alertitem><pluginid>1</pluginid><riskcode>high</riskcode></alertitem></alerts></site></OWASPZAPReport>",
        &["zap-xml", "<alertitem> 1 of <site> 1", "riskcode", "high"],
    ),
    (
        None,
        "<OWASPZAPReport version=\"2.9.0\">\n<site name=\"x\">\n</alerts></OWASPZAPReport>",
        &["zap-xml", "line 3"],
    ),
    (Some(Format::ZapXml), "<html></html>", &["zap-xml", "<html>"]),
    (
        Some(Format::ZapXml),
        "<OWASPZAPReport><site name=\"x\"><alerts>",
        &["zap-xml", "ends inside"],
    ),
    (
        None,
        "{\"check_type\": \"terraform\", \"results\": {\"failed_checks\": [{\"check_id\": 1}]}}",
        &["checkov", "results.failed_checks[0].check_id"],
    ),
    (
        None,
        "{\"issues\": [{\"rule\": \"x\", \"line\": \"ten\"}], \"paging\": {}}",
        &["sonarqube", "issues[0].line"],
    ),
    (
        None,
        "title,severity\nok,high\nbad,severe\n",
        &["csv", "row 3", "column `severity`", "severe"],
    ),
    (
        Some(Format::Csv),
        "name,level\nx,high\n",
        &["csv", "row 1", "no `severity` column"],
    ),
    (
        None,
        "title,severity,port\nx,low,99999\n",
        &["csv", "row 2", "column `port`", "99999"],
    ),
    (
        None,
        "title,severity,line\nx,low,7\n\ny,low,seven\n",
        &["csv", "row 4", "column `line`"],
    ),
    (
        None,
        "title,severity\nx,low,extra\n",
        &["csv", "row 2", "3 fields"],
    ),
    (
        None,
        "title,severity,kind\nx,low,fuzzing\n",
        &["csv", "row 2", "column `kind`", "fuzzing"],
    ),
];

#[test]
fn malformed_input_is_an_error_naming_the_place() {
    for (format, input, needles) in MALFORMED {
        let err = parse(input.as_bytes(), *format)
            .expect_err(input)
            .to_string();
        for n in *needles {
            assert!(err.contains(n), "error for {input:?} lacks {n:?}: {err}");
        }
    }
}

/// Truncations and byte mutations of every fixture, through detection and through every named
/// format: each parse returns, `Ok` or `Err`.
#[test]
fn no_input_makes_a_parser_panic() {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for (name, format, bytes) in fixtures() {
        let step = (bytes.len() / 60).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            let _ = parse(&bytes[..cut], None);
            let _ = parse(&bytes[..cut], Some(format));
        }
        for _ in 0..120 {
            let mut m = bytes.clone();
            for _ in 0..(1 + next() % 4) {
                let i = (next() as usize) % m.len().max(1);
                if m.is_empty() {
                    break;
                }
                m[i] = match next() % 6 {
                    0 => b'"',
                    1 => b'{',
                    2 => b'<',
                    3 => b',',
                    4 => b'0' + (next() % 10) as u8,
                    _ => next() as u8,
                };
            }
            let _ = parse(&m, None);
            for f in Format::ALL {
                let _ = parse(&m, Some(f));
            }
        }
        let _ = name;
    }
}

mod prop {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = parse(&bytes, None);
            for f in Format::ALL {
                let _ = parse(&bytes, Some(f));
            }
        }

        #[test]
        fn arbitrary_json_shapes_never_panic(
            key in "(runs|results|Results|site|issues|findings|scans|version|\\$schema)",
            inner in "(\\[\\]|\\{\\}|null|1|\"x\"|\\[\\{\\}\\]|\\[1\\])",
        ) {
            let doc = format!("{{\"{key}\": {inner}, \"version\": \"2.1.0\"}}");
            let _ = parse(doc.as_bytes(), None);
            for f in Format::ALL {
                let _ = parse(doc.as_bytes(), Some(f));
            }
        }
    }
}

#[test]
fn zap_json_and_xml_of_one_report_agree() {
    let read = |p: &str| std::fs::read(fixtures_dir().join(p)).unwrap();
    let a = parse(&read("zap/basic-traditional.json"), None).unwrap();
    let b = parse(&read("zap/basic-traditional.xml"), None).unwrap();
    assert_eq!(a.scans[0].findings, b.scans[0].findings);
    let f = &a.scans[0].findings[0];
    assert_eq!(f.location.host.as_deref(), Some("example.com"));
    assert_eq!(f.location.port, Some(80));
    assert_eq!(f.location.path, None);
    assert_eq!(f.properties["url"], "http://example.com/example_3");
    assert_eq!(f.message, "XSS Description");
}

#[test]
fn secrets_printed_in_plain_are_hashed_and_masked() {
    const PAT: &str = "ghp_EXAMPLE0123456789abcdefghijklmnopqrs";
    // Trivy before it masked secrets printed the matched line as it was.
    let trivy = format!(
        r#"{{"SchemaVersion": 2, "ArtifactName": ".", "Results": [{{"Target": "config/.env", "Class": "secret",
        "Secrets": [{{"RuleID": "github-pat", "Category": "GitHub", "Severity": "CRITICAL",
        "Title": "GitHub Personal Access Token", "StartLine": 1, "EndLine": 1,
        "Match": "GITHUB_TOKEN={PAT}",
        "Code": {{"Lines": [{{"Number": 1, "Content": "GITHUB_TOKEN={PAT}", "IsCause": true}}]}}}}]}}]}}"#
    );
    // A gitleaks history finding: the commit goes into the location, the value nowhere.
    let gitleaks = format!(
        r#"[{{"RuleID": "github-pat", "Description": "GitHub token", "StartLine": 3, "EndLine": 3,
        "StartColumn": 1, "EndColumn": 40, "Match": "token = {PAT}", "Secret": "{PAT}",
        "File": "src/settings.py", "Commit": "0123456789abcdef0123456789abcdef01234567",
        "Author": "Dev", "Email": "dev@example.com", "Date": "2026-01-01T00:00:00Z",
        "Message": "add {PAT}", "Tags": [], "Fingerprint": "0123:src/settings.py:github-pat:3"}}]"#
    );
    for (format, doc) in [(Format::Trivy, trivy), (Format::Gitleaks, gitleaks)] {
        assert_eq!(detect(doc.as_bytes()), Some(format));
        let import = parse(doc.as_bytes(), None).unwrap();
        let everything = format!("{}\n{import:?}", serde_json::to_string(&import).unwrap());
        assert!(!everything.contains(PAT), "{format}: {everything}");
        assert!(!everything.contains("abcdefghijklmnopqrs"), "{format}");
        let f = &import.scans[0].findings[0];
        let secret = f.evidence.secret.as_ref().unwrap();
        assert!(secret.masked.contains('…'), "{format}");
    }
    let import = parse(
        format!(
            r#"[{{"RuleID": "github-pat", "Secret": "{PAT}", "Match": "{PAT}", "File": "a.py", "Commit": "c1"}},
            {{"RuleID": "github-pat", "Secret": "{PAT}", "Match": "{PAT}", "File": "a.py", "Commit": "c2"}}]"#
        )
        .as_bytes(),
        None,
    )
    .unwrap();
    // The same value in the same file in two commits is one finding.
    assert_eq!(import.scans[0].findings.len(), 1);
    assert_eq!(
        import.scans[0].findings[0]
            .evidence
            .secret
            .as_ref()
            .unwrap()
            .sha256,
        gatehouse_core::secret_sha256(PAT.as_bytes())
    );
}

/// What each tool writes when it found nothing: recognised, read, and a complete empty scan.
#[test]
fn empty_reports_are_clean_complete_scans() {
    let cases: &[(&str, Format)] = &[
        ("[]", Format::Gitleaks),
        ("{\"results\": []}", Format::OsvScanner),
        (
            "{\"passed\": 0, \"failed\": 0, \"skipped\": 0, \"parsing_errors\": 0, \"resource_count\": 0, \"checkov_version\": \"3.2.0\"}",
            Format::Checkov,
        ),
        (
            "{\"version\": \"1.80.0\", \"results\": [], \"errors\": [], \"paths\": {\"scanned\": []}}",
            Format::Semgrep,
        ),
        (
            "{\"errors\": [], \"generated_at\": \"2026-01-01T00:00:00Z\", \"metrics\": {}, \"results\": []}",
            Format::Bandit,
        ),
        (
            "{\"SchemaVersion\": 2, \"ArtifactName\": \"alpine:3.20\", \"ArtifactType\": \"container_image\"}",
            Format::Trivy,
        ),
        (
            "{\"total\": 0, \"p\": 1, \"ps\": 100, \"paging\": {\"pageIndex\": 1, \"pageSize\": 100, \"total\": 0}, \"issues\": [], \"components\": []}",
            Format::Sonarqube,
        ),
        (
            "{\"@programName\": \"ZAP\", \"@version\": \"2.15.0\", \"site\": []}",
            Format::ZapJson,
        ),
        (
            "<?xml version=\"1.0\"?><OWASPZAPReport version=\"2.9.0\"></OWASPZAPReport>",
            Format::ZapXml,
        ),
        ("Title,Severity\n", Format::Csv),
        (
            "{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"CodeQL\"}}, \"results\": []}]}",
            Format::Sarif,
        ),
    ];
    for (doc, format) in cases {
        assert_eq!(detect(doc.as_bytes()), Some(*format), "{doc}");
        let import = parse(doc.as_bytes(), None).unwrap_or_else(|e| panic!("{doc}: {e}"));
        assert!(!import.scans.is_empty(), "{doc}");
        for s in &import.scans {
            assert!(s.complete && s.findings.is_empty(), "{doc}");
        }
    }
}

#[test]
fn a_failed_sarif_run_is_incomplete() {
    let doc = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "CodeQL"}},
        "invocations": [{"executionSuccessful": false, "exitCodeDescription": "out of memory",
        "toolExecutionNotifications": [{"level": "error", "message": {"text": "extractor crashed on a.js"}},
                                       {"level": "warning", "message": {"text": "slow file"}}]}],
        "results": []}]}"#;
    let import = parse(doc.as_bytes(), None).unwrap();
    let scan = &import.scans[0];
    assert_eq!(scan.tool, "codeql");
    assert!(!scan.complete);
    assert_eq!(
        scan.problems,
        [
            "the run did not succeed: out of memory",
            "error: extractor crashed on a.js"
        ]
    );
}

#[test]
fn sarif_kinds_follow_the_documented_heuristic() {
    let run = |driver: &str, tags: &str| {
        format!(
            r#"{{"version": "2.1.0", "runs": [{{"tool": {{"driver": {{"name": "{driver}",
            "rules": [{{"id": "r1", "properties": {{"tags": [{tags}]}}}}]}}}},
            "results": [{{"ruleId": "r1", "message": {{"text": "m"}},
            "locations": [{{"physicalLocation": {{"artifactLocation": {{"uri": "file:///src/a.tf"}}, "region": {{"startLine": 3}}}}}}]}}]}}]}}"#
        )
    };
    let kind =
        |driver: &str, tags: &str| parse(run(driver, tags).as_bytes(), None).unwrap().scans[0].kind;
    use gatehouse_core::ScannerKind as K;
    assert_eq!(kind("Gitleaks", ""), K::Secrets);
    assert_eq!(kind("trufflehog", ""), K::Secrets);
    assert_eq!(kind("Trivy", ""), K::Dependencies);
    assert_eq!(kind("Grype", ""), K::Dependencies);
    assert_eq!(kind("tfsec", ""), K::Iac);
    assert_eq!(kind("KICS", ""), K::Iac);
    assert_eq!(kind("OWASP ZAP", ""), K::Dast);
    assert_eq!(
        kind("CodeQL", "\"security\", \"external/cwe/cwe-79\""),
        K::Code
    );
    assert_eq!(kind("in-house", "\"security\", \"secrets\""), K::Secrets);
    assert_eq!(kind("in-house", "\"iac\""), K::Iac);
    let import = parse(run("x", "").as_bytes(), None).unwrap();
    assert_eq!(
        import.scans[0].findings[0].location.path.as_deref(),
        Some("src/a.tf")
    );
}

#[test]
fn sonarqube_keeps_security_issues_only() {
    let doc = r#"{"total": 250, "p": 1, "ps": 100,
      "paging": {"pageIndex": 1, "pageSize": 100, "total": 250},
      "issues": [
        {"key": "a", "rule": "java:S2076", "severity": "CRITICAL", "component": "shop:src/Run.java",
         "project": "shop", "line": 12, "hash": "h1", "textRange": {"startLine": 12, "endLine": 12, "startOffset": 4, "endOffset": 30},
         "status": "OPEN", "message": "Make sure this OS command is safe.", "tags": ["cwe", "injection"],
         "type": "VULNERABILITY", "impacts": [{"softwareQuality": "SECURITY", "severity": "BLOCKER"}]},
        {"key": "b", "rule": "java:S4790", "severity": "CRITICAL", "component": "shop:src/Hash.java",
         "project": "shop", "line": 3, "status": "TO_REVIEW", "message": "Make sure this weak hash algorithm is not used in a sensitive context here.",
         "tags": [], "type": "SECURITY_HOTSPOT"},
        {"key": "c", "rule": "java:S1481", "severity": "MINOR", "component": "shop:src/Run.java",
         "project": "shop", "line": 20, "status": "OPEN", "message": "Remove this unused local variable.",
         "tags": ["unused"], "type": "CODE_SMELL", "impacts": [{"softwareQuality": "MAINTAINABILITY", "severity": "LOW"}]},
        {"key": "d", "rule": "java:S2245", "severity": "MAJOR", "component": "shop:src/Token.java",
         "project": "shop", "line": 7, "status": "OPEN", "message": "Use a secure random generator.",
         "tags": ["cwe", "owasp-a2"], "type": "CODE_SMELL"},
        {"key": "e", "rule": "java:S5542", "severity": "CRITICAL", "component": "shop:src/Crypto.java",
         "project": "shop", "line": 9, "status": "CLOSED", "resolution": "FIXED", "message": "Use a secure mode.",
         "tags": ["cwe"], "type": "VULNERABILITY"}
      ],
      "components": [{"key": "shop:src/Run.java", "qualifier": "FIL", "path": "src/Run.java"}]}"#;
    let import = parse(doc.as_bytes(), None).unwrap();
    assert_eq!(import.format, Format::Sonarqube);
    let scan = &import.scans[0];
    assert!(!scan.complete, "one page of three");
    let got: Vec<_> = scan
        .findings
        .iter()
        .map(|f| {
            (
                f.rule_id.as_str(),
                f.severity.as_str(),
                f.confidence.as_str(),
                f.location.path.as_deref().unwrap_or("-"),
                f.location.start_line,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("java:S4790", "high", "low", "src/Hash.java", 3),
            ("java:S2076", "critical", "high", "src/Run.java", 12),
            ("java:S2245", "medium", "medium", "src/Token.java", 7),
        ]
    );
}
