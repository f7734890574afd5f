//! Whole scans: the fixture tree (snapshot), bad input, and mutated input that must never
//! panic.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use gatehouse_core::ScanReport;
use gatehouse_iac::{CheckSet, ScanOptions, Scanner};
use proptest::prelude::*;

fn scanner(opts: ScanOptions) -> Scanner {
    Scanner::new(CheckSet::builtin().expect("built-in checks"), opts)
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A stable text view of a report: findings, warnings, errors and counts.
fn render(r: &ScanReport) -> String {
    let mut out = String::new();
    for f in &r.findings {
        let path = f.location.path.as_deref().unwrap_or("-");
        let short = path.rsplit_once("fixtures/").map_or(path, |(_, p)| p);
        out.push_str(&format!(
            "{short}:{} {} {} [{}] {}\n",
            f.location.start_line,
            f.rule_id,
            f.severity,
            f.properties
                .get("attribute")
                .and_then(|v| v.as_str())
                .unwrap_or(""),
            f.message,
        ));
    }
    for w in &r.warnings {
        let path = w.path.as_deref().unwrap_or("-");
        let short = path.rsplit_once("fixtures/").map_or(path, |(_, p)| p);
        out.push_str(&format!(
            "warning {short}:{} {}\n",
            w.line.unwrap_or(0),
            w.message
        ));
    }
    for e in &r.errors {
        let path = e.path.as_deref().unwrap_or("-");
        let short = path.rsplit_once("fixtures/").map_or(path, |(_, p)| p);
        out.push_str(&format!("error {short}: {}\n", e.message));
    }
    out.push_str(&format!(
        "scanned {} suppressed {}\n",
        r.stats.scanned, r.stats.suppressed
    ));
    out
}

#[test]
fn fixture_tree() {
    let report = scanner(ScanOptions::default()).scan_paths(&[fixtures()]);
    insta::assert_snapshot!(render(&report));
    // Fingerprints ignore lines: the same finding moved down keeps its identity.
    let f = report
        .findings
        .iter()
        .find(|f| f.rule_id == "IAC-NET-001")
        .expect("the SSH rule");
    assert_eq!(f.properties["resource"], "aws_security_group.web");
    let text = std::fs::read_to_string(fixtures().join("infra/main.tf")).unwrap();
    let moved = scanner(ScanOptions::default()).scan_sources(&[
        ("infra/main.tf".into(), format!("\n\n\n{text}")),
        (
            "infra/variables.tf".into(),
            std::fs::read_to_string(fixtures().join("infra/variables.tf")).unwrap(),
        ),
    ]);
    let original = scanner(ScanOptions::default()).scan_sources(&[
        ("infra/main.tf".into(), text),
        (
            "infra/variables.tf".into(),
            std::fs::read_to_string(fixtures().join("infra/variables.tf")).unwrap(),
        ),
    ]);
    let prints = |r: &ScanReport| {
        r.findings
            .iter()
            .map(|f| f.fingerprint.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(prints(&moved), prints(&original));
    assert_ne!(
        moved.findings[0].location.start_line,
        original.findings[0].location.start_line
    );
}

#[test]
fn bad_input_is_reported_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let w = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    w(
        "broken/main.tf",
        "resource \"aws_s3_bucket\" \"b\" {\n  acl = \n}\n",
    );
    w(
        "ok/main.tf",
        "resource \"aws_ebs_volume\" \"v\" {\n  size = 1\n}\n",
    );
    w(
        "k8s/bad.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: [unclosed\n",
    );
    w(
        "chart/templates/dep.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n",
    );
    w(
        "big/docker-compose.yml",
        &format!("services:\n{}", "  # padding\n".repeat(200)),
    );
    w(
        "custom/crd.yaml",
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: x}\n",
    );
    w(
        "Dockerfile",
        "FROM alpine:3.20\nthis is not an instruction!\nUSER app\n",
    );
    let report = scanner(ScanOptions {
        max_file_size: 1000,
        ..ScanOptions::default()
    })
    .scan_paths(&[dir.path().to_path_buf()]);
    let text = render(&report);
    let has = |s: &str| assert!(text.contains(s), "missing `{s}` in:\n{text}");
    has("error broken/main.tf: not checked: line 2");
    has("invalid HCL");
    has("error k8s/bad.yaml: not checked: line 4");
    has("warning chart/templates/dep.yaml:4 not checked: unrendered templating");
    has("warning big/docker-compose.yml:0 not checked: larger than the maximum file size");
    has("warning custom/crd.yaml:1 1 resource of types no check covers, not checked: Widget/x/w (line 1)");
    has("warning Dockerfile:2 not a Dockerfile instruction");
    // The rest was checked.
    has("ok/main.tf:1 IAC-AWS-012");
    assert_eq!(report.stats.skipped.values().sum::<u64>(), 1);
}

/// Every fixture, and every check example, cut, spliced and byte-flipped.
fn corpus() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in walk(&fixtures()) {
        let rel = e
            .strip_prefix(fixtures())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        out.push((rel, std::fs::read_to_string(&e).unwrap()));
    }
    for c in CheckSet::builtin().unwrap().checks() {
        for ex in &c.examples {
            out.push((ex.file.clone(), ex.text.clone()));
        }
    }
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

static CORPUS: LazyLock<Vec<(String, String)>> = LazyLock::new(corpus);
static SCANNER: LazyLock<Scanner> = LazyLock::new(|| {
    scanner(ScanOptions {
        threads: 1,
        ..ScanOptions::default()
    })
});

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn mutated_inputs_never_panic(
        pick in any::<prop::sample::Index>(),
        cut in any::<prop::sample::Index>(),
        len in 0usize..64,
        insert in prop::collection::vec(prop::sample::select(vec![
            "{", "}", "[", "]", "\"", "'", ":", "- ", "\n", "  ", "${", "}}", "{{", "<<EOF\n", "\\\n",
            "&a ", "*a ", "<<: ", "---\n", "=", "#", "0.0.0.0/0", "\t", "\u{feff}", "é",
        ]), 0..6),
    ) {
        let corpus = &*CORPUS;
        let (name, text) = &corpus[pick.index(corpus.len())];
        let bytes = text.as_bytes();
        let at = cut.index(bytes.len() + 1);
        let end = (at + len).min(bytes.len());
        let mut mutated = bytes[..at].to_vec();
        mutated.extend(insert.concat().as_bytes());
        mutated.extend(&bytes[end..]);
        let mutated = String::from_utf8_lossy(&mutated).into_owned();
        let report = SCANNER.scan_sources(&[(name.clone(), mutated)]);
        // Every finding names a line inside the file.
        for f in &report.findings {
            prop_assert!(f.location.start_line >= 1);
        }
    }
}
