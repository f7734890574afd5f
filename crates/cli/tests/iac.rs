//! `gatehouse scan iac` and `rules iac`, end to end on temporary projects.

mod common;

use common::{findings, gatehouse, sarif_schema_errors, write};
use serde_json::Value;
use std::path::Path;

const DOCKERFILE: &str = "FROM python:latest\nRUN curl -sSL https://example.com/install.sh | sh\nCOPY . /app\nCMD [\"python\", \"/app/main.py\"]\n";

const DEPLOYMENT: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.4.2
          securityContext:
            privileged: true
"#;

const TERRAFORM: &str = r#"resource "aws_security_group" "admin" {
  name = "admin"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"#;

fn iac_json(dir: &Path, args: &[&str]) -> (i32, Value, String) {
    let out = gatehouse()
        .args(["scan", "iac", "--format", "json"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}); exit {code}; stderr: {stderr}"));
    (code, json, stderr)
}

fn project() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "Dockerfile", DOCKERFILE);
    write(d.path(), "k8s/web.yaml", DEPLOYMENT);
    write(d.path(), "infra/main.tf", TERRAFORM);
    d
}

/// (rule, path, line, resource address) of each finding.
fn located(report: &Value) -> Vec<(String, String, u64, String)> {
    findings(report)
        .iter()
        .map(|f| {
            let props = &f["properties"];
            let address = props["resource"]
                .as_str()
                .or_else(|| props["address"].as_str())
                .unwrap_or("")
                .to_string();
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["location"]["path"].as_str().unwrap().to_string(),
                f["location"]["start_line"].as_u64().unwrap(),
                address,
            )
        })
        .collect()
}

#[test]
fn finds_misconfigurations_in_every_input_with_file_line_and_resource() {
    let p = project();
    let (code, report, err) = iac_json(p.path(), &[]);
    assert_eq!(code, 1, "{err}");
    let found = located(&report);
    let has = |rule: &str, path: &str| found.iter().find(|f| f.0 == rule && f.1 == path);
    let latest = has("IAC-DOCKER-002", "Dockerfile").expect("latest tag");
    assert_eq!(latest.2, 1);
    assert!(has("IAC-DOCKER-004", "Dockerfile").is_some(), "{found:?}");
    let privileged = has("IAC-K8S-001", "k8s/web.yaml").expect("privileged");
    assert_eq!(privileged.2, 13, "{privileged:?}");
    assert!(privileged.3.contains("web"), "{privileged:?}");
    let ssh = has("IAC-NET-001", "infra/main.tf").expect("ssh open to the world");
    assert_eq!(ssh.3, "aws_security_group.admin");
    assert!((1..=9).contains(&ssh.2), "{ssh:?}");

    // SARIF validates against the official schema.
    let out = gatehouse()
        .args(["scan", "iac", "--format", "sarif", "."])
        .current_dir(p.path())
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif_schema_errors(&sarif), Vec::<String>::new());

    // --fail-on critical: only the privileged container is at that level.
    let (code, _, _) = iac_json(p.path(), &["--fail-on", "critical"]);
    assert_eq!(code, 1);
}

#[test]
fn inline_ignores_silence_one_check() {
    let p = project();
    write(
        p.path(),
        "k8s/web.yaml",
        DEPLOYMENT.replace(
            "            privileged: true",
            "            privileged: true # gatehouse:ignore IAC-K8S-001",
        ),
    );
    let (_, report, _) = iac_json(p.path(), &[]);
    let found = located(&report);
    assert!(!found.iter().any(|f| f.0 == "IAC-K8S-001"), "{found:?}");
    assert!(report["stats"]["suppressed"].as_u64().unwrap() >= 1);
}

#[test]
fn a_broken_file_is_reported_and_the_rest_is_scanned() {
    let p = project();
    write(
        p.path(),
        "infra/broken.tf",
        "resource \"aws_s3_bucket\" \"b\" {\n  acl = \n",
    );
    write(
        p.path(),
        "k8s/bad.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: [unclosed\n",
    );
    let (code, report, _) = iac_json(p.path(), &[]);
    // Findings were made, and the errors make it a runtime failure only without them.
    assert_eq!(code, 1);
    let errors: Vec<String> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.to_string())
        .collect();
    assert!(
        errors.iter().any(|e| e.contains("infra/broken.tf")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| e.contains("k8s/bad.yaml")),
        "{errors:?}"
    );
    assert!(located(&report).iter().any(|f| f.0 == "IAC-NET-001"));

    let clean = tempfile::tempdir().unwrap();
    write(
        clean.path(),
        "main.tf",
        "resource \"aws_s3_bucket\" \"b\" {\n",
    );
    let (code, _, _) = iac_json(clean.path(), &[]);
    assert_eq!(code, 3, "an unreadable file is never a clean scan");
}

#[test]
fn the_rule_list_has_the_builtin_checks_and_bad_check_files_exit_2() {
    let out = gatehouse()
        .args(["rules", "iac", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rules: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(rules.as_array().unwrap().len() >= 80);

    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "checks/bad.yaml",
        "checks:\n  - id: X\n    nonsense: 1\n",
    );
    let out = gatehouse()
        .args(["scan", "iac", "--config", "checks", "."])
        .current_dir(d.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.yaml"), "{err}");
}

#[test]
fn the_gate_runs_the_iac_scanner() {
    let p = project();
    common::git(p.path(), &["init", "-q"]);
    let out = gatehouse()
        .args([
            "gate",
            "--stage",
            "release",
            "--report",
            "json=gate.json",
            ".",
        ])
        .current_dir(p.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let gate: Value =
        serde_json::from_str(&std::fs::read_to_string(p.path().join("gate.json")).unwrap())
            .unwrap();
    let iac = gate["scans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["scanner"] == "iac")
        .expect("an iac scan in the gate report");
    assert!(!iac["report"]["findings"].as_array().unwrap().is_empty());

    // `[iac] enabled = false` leaves it out.
    write(p.path(), "gatehouse.toml", "[iac]\nenabled = false\n");
    let out = gatehouse()
        .args([
            "gate",
            "--stage",
            "release",
            "--report",
            "json=gate.json",
            ".",
        ])
        .current_dir(p.path())
        .output()
        .unwrap();
    let gate: Value =
        serde_json::from_str(&std::fs::read_to_string(p.path().join("gate.json")).unwrap())
            .unwrap();
    assert!(!gate["scans"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["scanner"] == "iac"));
    assert!(out.status.code().is_some());
}
