//! End to end: the built binary on temporary trees. Every source, format, suppression and error of
//! `gatehouse scan secrets`.

mod common;

use common::*;
use predicates::prelude::*;

fn leaky_tree() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "config/app.properties",
        format!("{PASSWORD_LINE}\n"),
    );
    write(d.path(), "src/db.py", format!("URL = \"{DB_URL}\"\n"));
    d
}

#[test]
fn finds_secrets_and_masks_them_in_the_table() {
    let d = leaky_tree();
    gatehouse()
        .args(["scan", "secrets", "."])
        .current_dir(d.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("generic-password"))
        .stdout(predicate::str::contains("database-connection-string"))
        .stdout(predicate::str::contains("config/app.properties:1:"))
        .stdout(predicate::str::contains("Tr0…(12)"))
        .stdout(predicate::str::contains(PASSWORD).not())
        .stdout(predicate::str::contains(DB_PASSWORD).not());
}

#[test]
fn show_secrets_prints_them_only_when_asked() {
    let d = leaky_tree();
    let (code, r, _) = scan_json(&["--show-secrets", "."], d.path());
    assert_eq!(code, 1);
    let plain: Vec<_> = findings(&r)
        .iter()
        .map(|f| {
            f["evidence"]["secret"]["plain"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    assert!(plain.contains(&PASSWORD.to_string()), "{plain:?}");
    let (_, r, _) = scan_json(&["."], d.path());
    let text = r.to_string();
    assert!(!text.contains(PASSWORD) && !text.contains(DB_PASSWORD));
    for f in findings(&r) {
        assert_eq!(
            f["evidence"]["secret"]["sha256"].as_str().unwrap().len(),
            64
        );
    }
}

#[test]
fn json_report_has_locations_and_fingerprints() {
    let d = leaky_tree();
    let (code, r, _) = scan_json(&["."], d.path());
    assert_eq!(code, 1);
    assert_eq!(r["schema_version"], "1");
    let f = findings(&r)
        .into_iter()
        .find(|f| f["rule_id"] == "database-connection-string")
        .unwrap();
    assert_eq!(f["location"]["path"], "src/db.py");
    assert_eq!(f["location"]["start_line"], 1);
    assert_eq!(f["fingerprint"].as_str().unwrap().len(), 32);
    assert_eq!(f["scanner"], "secrets");
    assert_eq!(r["stats"]["scanned"], 2);
}

#[test]
fn sarif_output_validates_against_the_official_schema() {
    let d = leaky_tree();
    let out = gatehouse()
        .args(["scan", "secrets", "--format", "sarif", "."])
        .current_dir(d.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = common::sarif_schema_errors(&sarif);
    assert!(errors.is_empty(), "{errors:#?}");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for r in results {
        assert!(r["partialFingerprints"]["gatehouse/v1"].is_string());
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(!uri.starts_with('/'), "relative URIs: {uri}");
    }
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(rules.iter().all(|r| r["help"]["text"].is_string()));
    assert!(!String::from_utf8_lossy(&out.stdout).contains(PASSWORD));
}

#[test]
fn junit_output_and_output_file_with_inferred_format() {
    let d = leaky_tree();
    gatehouse()
        .args(["scan", "secrets", "--format", "junit", "."])
        .current_dir(d.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("<testsuites"))
        .stdout(predicate::str::contains("<failure"));
    let out = d.path().join("report.sarif");
    gatehouse()
        .args(["scan", "secrets", "--output"])
        .arg(&out)
        .arg(".")
        .current_dir(d.path())
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("2 findings"));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("\"version\": \"2.1.0\""));
}

#[test]
fn standard_input() {
    let d = tempfile::tempdir().unwrap();
    let out = gatehouse()
        .args(["scan", "secrets", "--format", "json", "-"])
        .current_dir(d.path())
        .write_stdin(format!("deploy:\n  {PASSWORD_LINE}\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(findings(&r)[0]["location"]["path"], "-");
    assert_eq!(findings(&r)[0]["location"]["start_line"], 2);
    gatehouse()
        .args(["scan", "secrets", "-"])
        .write_stdin("nothing here\n")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("No findings"));
}

#[test]
fn fail_on_sets_the_threshold() {
    let d = tempfile::tempdir().unwrap();
    // A bearer token is medium.
    write(
        d.path(),
        "call.sh",
        "curl -H \"Authorization: Bearer 8fKq2LzX8vTm4Rp7Wn3Bs6HdQ1\" https://api.internal/\n",
    );
    let (code, r, _) = scan_json(&["--fail-on", "high", "."], d.path());
    assert_eq!(rule_ids(&r), vec!["http-bearer-token"]);
    assert_eq!(code, 0);
    let (code, _, _) = scan_json(&["--fail-on", "medium", "."], d.path());
    assert_eq!(code, 1);
}

#[test]
fn gitignore_is_honoured_unless_no_ignore() {
    let d = leaky_tree();
    git(d.path(), &["init", "-q"]);
    write(d.path(), ".gitignore", "config/\n");
    let (_, r, _) = scan_json(&["."], d.path());
    assert_eq!(rule_ids(&r), vec!["database-connection-string"]);
    let (_, r, _) = scan_json(&["--no-ignore", "."], d.path());
    assert_eq!(r["findings"].as_array().unwrap().len(), 2);
}

#[test]
fn gatehouseignore_paths_fingerprints_and_stale_entries() {
    let d = leaky_tree();
    let (_, r, _) = scan_json(&["."], d.path());
    let fp = findings(&r)
        .into_iter()
        .find(|f| f["rule_id"] == "generic-password")
        .unwrap()["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    let stale_fp = "0123456789abcdef0123456789abcdef";
    write(
        d.path(),
        ".gatehouseignore",
        format!("# reviewed\n{fp} # test credential\nsrc/db.py\nnot-there/\n{stale_fp}\n"),
    );
    let (code, r, stderr) = scan_json(&["."], d.path());
    assert_eq!(code, 0, "{r}");
    assert!(findings(&r).is_empty());
    assert_eq!(r["stats"]["suppressed"], 1);
    assert_eq!(r["stats"]["skipped"]["ignored"], 1);
    let stale: Vec<String> = r["stale"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["entry"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(stale, vec!["not-there/".to_string(), stale_fp.to_string()]);
    assert!(stderr.contains("stale entry"), "{stderr}");
}

#[test]
fn inline_allow_comments() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "a.env",
        format!("{PASSWORD_LINE} # gatehouse:allow\nDATABASE_URL={DB_URL}\n"),
    );
    let (_, r, _) = scan_json(&["."], d.path());
    assert_eq!(rule_ids(&r), vec!["database-connection-string"]);
    assert_eq!(r["stats"]["suppressed"], 1);
}

#[test]
fn baselines_report_only_new_findings_and_stale_entries() {
    let d = leaky_tree();
    let baseline = d.path().join("baseline.json");
    gatehouse()
        .args(["baseline", "create", "--output"])
        .arg(&baseline)
        .arg(".")
        .current_dir(d.path())
        .assert()
        .code(0)
        .stderr(predicate::str::contains("baseline of 2 findings"));
    let text = std::fs::read_to_string(&baseline).unwrap();
    assert!(!text.contains(PASSWORD));
    let (code, r, _) = scan_json(&["--baseline", "baseline.json", "."], d.path());
    assert_eq!(code, 0);
    assert!(findings(&r).is_empty());
    assert_eq!(r["stats"]["suppressed"], 2);
    // A new secret is reported; a fixed one turns its baseline entry stale.
    write(d.path(), "src/db.py", "URL = os.environ['DATABASE_URL']\n");
    write(d.path(), "deploy/.env", "REDIS_PASS=n8Vx3Rq7Lm2T\n");
    let (code, r, _) = scan_json(&["--baseline", "baseline.json", "."], d.path());
    assert_eq!(code, 1);
    assert_eq!(rule_ids(&r), vec!["generic-password"]);
    assert_eq!(findings(&r)[0]["location"]["path"], "deploy/.env");
    assert_eq!(r["stale"].as_array().unwrap().len(), 1);
    // A malformed baseline is a usage error naming the file.
    write(
        d.path(),
        "bad.json",
        "{\"findings\": [{\"fingerprint\": 3}]}",
    );
    gatehouse()
        .args(["scan", "secrets", "--baseline", "bad.json", "."])
        .current_dir(d.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.json"));
}

#[test]
fn fingerprints_ignore_line_moves() {
    let d = leaky_tree();
    let (_, before, _) = scan_json(&["."], d.path());
    write(
        d.path(),
        "config/app.properties",
        format!("# header\n\nserver.port=8080\n    {PASSWORD_LINE}\n"),
    );
    let (_, after, _) = scan_json(&["."], d.path());
    let fps = |r: &serde_json::Value| {
        let mut v: Vec<String> = findings(r)
            .iter()
            .map(|f| f["fingerprint"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v
    };
    assert_eq!(fps(&before), fps(&after));
}

#[test]
fn skips_binary_and_large_files_and_says_so() {
    let d = leaky_tree();
    let mut bin = b"\x00\x01binary".to_vec();
    bin.extend_from_slice(DB_URL.as_bytes());
    write(d.path(), "blob.bin", bin);
    write(
        d.path(),
        "big.txt",
        format!("{}\n{PASSWORD_LINE}\n", "x".repeat(4096)),
    );
    let (_, r, _) = scan_json(&["--max-file-size", "2k", "."], d.path());
    assert_eq!(r["stats"]["skipped"]["binary"], 1);
    assert_eq!(r["stats"]["skipped"]["too-large"], 1);
    let out = gatehouse()
        .args(["scan", "secrets", "--max-file-size", "2k", "."])
        .current_dir(d.path())
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("1 binary") && table.contains("1 too large"),
        "{table}"
    );
}

#[test]
fn invalid_utf8_and_huge_single_lines_are_scanned() {
    let d = tempfile::tempdir().unwrap();
    let mut data = b"\xff\xfe\xfd latin1 \xe9t\xe9\n".to_vec();
    data.extend_from_slice(format!("{PASSWORD_LINE}\n").as_bytes());
    write(d.path(), "latin1.properties", data);
    let mut line = "var a='x';".repeat(300_000);
    line.push_str(&format!("var u=\"{DB_URL}\";"));
    line.push_str(&"var b='y';".repeat(300_000));
    write(d.path(), "bundle.min.js", line);
    let (code, r, _) = scan_json(&["."], d.path());
    assert_eq!(code, 1);
    let mut ids = rule_ids(&r);
    ids.sort();
    assert_eq!(ids, vec!["database-connection-string", "generic-password"]);
}

#[test]
fn broken_symlinks_and_missing_paths_are_errors_but_the_rest_is_scanned() {
    let d = leaky_tree();
    std::os::unix::fs::symlink("does-not-exist", d.path().join("dangling")).unwrap();
    let (code, r, stderr) = scan_json(&["."], d.path());
    assert_eq!(code, 1, "findings still decide when there are some");
    assert_eq!(findings(&r).len(), 2);
    let errors = r["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["path"], "dangling");
    assert!(errors[0]["message"]
        .as_str()
        .unwrap()
        .contains("broken symbolic link"));
    assert!(stderr.contains("dangling"));
    // With nothing found, an error makes the run a runtime error, never a pass.
    let clean = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("nowhere", clean.path().join("dangling")).unwrap();
    let (code, _, _) = scan_json(&["."], clean.path());
    assert_eq!(code, 3);
    gatehouse()
        .args(["scan", "secrets", "no/such/path"])
        .current_dir(clean.path())
        .assert()
        .code(3)
        .stdout(predicate::str::contains("no/such/path"));
}

#[test]
fn usage_errors_exit_2() {
    gatehouse()
        .args(["scan", "secrets", "--format", "html"])
        .assert()
        .code(2);
    gatehouse()
        .args(["scan", "secrets", "--fail-on", "severe"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("severe"));
    gatehouse()
        .args(["scan", "secrets", "--max-file-size", "lots"])
        .assert()
        .code(2);
}

#[test]
fn custom_rules_and_gitleaks_configs() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "app.cfg",
        "internal_token = 'itk_q8Zr2LmXv7Tp4Nk9'\n",
    );
    write(
        d.path(),
        "gitleaks.toml",
        r#"
title = "team rules"
[extend]
useDefault = true

[[rules]]
id = "internal-token"
description = "Internal token"
regex = '''(itk_[a-zA-Z0-9]{16})'''
secretGroup = 1
keywords = ["itk_"]
[rules.allowlist]
regexes = ['''itk_0{16}''']
"#,
    );
    let (code, r, _) = scan_json(&["--config", "gitleaks.toml", "app.cfg"], d.path());
    assert_eq!(code, 1);
    assert!(rule_ids(&r).contains(&"internal-token".to_string()));
    let f = &findings(&r)[0];
    assert_eq!(f["title"], "Internal token");
    // A bad regex names the file and the line, exit 2.
    write(
        d.path(),
        "bad.toml",
        "[[rules]]\nid = \"broken\"\nkeywords = [\"x\"]\nregex = '''(unclosed'''\n",
    );
    gatehouse()
        .args(["scan", "secrets", "--config", "bad.toml", "."])
        .current_dir(d.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.toml:4"))
        .stderr(predicate::str::contains("broken"));
    // An unknown key too.
    write(d.path(), "typo.toml", "[[rules]]\nid = \"t\"\nregx = 'a'\n");
    gatehouse()
        .args(["scan", "secrets", "--config", "typo.toml", "."])
        .current_dir(d.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("typo.toml:3"));
    gatehouse()
        .args(["scan", "secrets", "--config", "missing.toml", "."])
        .current_dir(d.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.toml"));
}

#[test]
fn kubernetes_secret_data_is_decoded() {
    let d = tempfile::tempdir().unwrap();
    // password: Zx81!qPwLm-prod, base64-encoded as Kubernetes stores it.
    write(
        d.path(),
        "k8s/secret.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: Wng4MSFxUHdMbS1wcm9k\n  username: YXBw\n",
    );
    let (code, r, _) = scan_json(&["."], d.path());
    assert_eq!(code, 1);
    let f = &findings(&r)[0];
    assert_eq!(f["rule_id"], "generic-password");
    assert_eq!(f["location"]["start_line"], 6);
    assert_eq!(f["properties"]["decoded"], "base64");
    assert!(
        !r.to_string().contains("Wng4MSFxUHdMbS1wcm9k"),
        "the encoded form is masked too"
    );
}

#[test]
fn rules_can_be_listed() {
    gatehouse()
        .args(["rules", "secrets"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("private-key"))
        .stdout(predicate::str::contains("generic-password"));
}
