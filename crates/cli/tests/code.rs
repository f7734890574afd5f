//! `gatehouse scan code`, `rules code` and `rules test`, end to end on temporary projects.

mod common;

use common::{findings, gatehouse, write};
use serde_json::Value;
use std::path::Path;

const RULE: &str = r#"rules:
  - id: py.eval-input
    message: eval() runs $X as code
    severity: ERROR
    languages: [python]
    metadata:
      cwe: ["CWE-95: Improper Neutralization of Directives in Dynamically Evaluated Code ('Eval Injection')"]
      confidence: HIGH
    patterns:
      - pattern: eval($X)
      - pattern-not: eval("...")
  - id: py.hardcoded-password
    message: A hard-coded password is passed to connect()
    severity: WARNING
    languages: [python]
    metadata:
      cwe: ["CWE-798: Use of Hard-coded Credentials"]
    pattern: connect(..., password="...", ...)
"#;

const CODE: &str = r#"import os

def handler(request):
    data = request.args.get("q")
    eval(data)
    eval("1 + 1")
    eval(data)  # nosemgrep
    # gatehouse:ignore py.eval-input
    eval(os.environ["X"])
    connect(host="db", password="S3cr3t-Pa55word")
"#;

fn project(rule: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "rules/r.yaml", rule);
    for (p, c) in files {
        write(d.path(), p, c);
    }
    d
}

fn code_json(dir: &Path, args: &[&str]) -> (i32, Value, String) {
    let out = gatehouse()
        .args(["scan", "code", "--format", "json"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}); exit {code}; stdout: {}; stderr: {stderr}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (code, json, stderr)
}

/// `scan code --config rules/r.yaml .` in `dir`, with the default (table) output.
fn scan_with_rule_file(dir: &Path) -> std::process::Output {
    gatehouse()
        .args(["scan", "code", "--config", "rules/r.yaml", "."])
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn findings_carry_rule_cwe_range_and_suppressions_count() {
    let d = project(RULE, &[("src/app.py", CODE)]);
    let (code, r, _) = code_json(d.path(), &["--config", "rules/r.yaml", "."]);
    assert_eq!(code, 1, "{r:#}");
    let f = findings(&r);
    assert_eq!(f.len(), 2, "{r:#}");
    let eval = &f[0];
    assert_eq!(eval["rule_id"], "py.eval-input");
    assert_eq!(eval["scanner"], "code");
    assert_eq!(eval["severity"], "high");
    assert_eq!(eval["confidence"], "high");
    assert_eq!(eval["cwe"], serde_json::json!(["CWE-95"]));
    assert_eq!(eval["message"], "eval() runs data as code");
    let loc = &eval["location"];
    assert_eq!(loc["path"], "src/app.py");
    assert_eq!(
        (
            &loc["start_line"],
            &loc["start_column"],
            &loc["end_line"],
            &loc["end_column"]
        ),
        (
            &Value::from(5),
            &Value::from(5),
            &Value::from(5),
            &Value::from(15)
        )
    );
    assert_eq!(eval["evidence"]["snippet"], "    eval(data)");
    // Two matches silenced by comments: `nosemgrep` on the line, `gatehouse:ignore ID` above.
    assert_eq!(r["stats"]["suppressed"], 2);
    assert_eq!(r["stats"]["scanned"], 1);
    assert_eq!(r["stats"]["lines"], 10);
    // The hard-coded password is masked in the message and snippet.
    let pw = &f[1];
    assert_eq!(pw["rule_id"], "py.hardcoded-password");
    let text = serde_json::to_string(pw).unwrap();
    assert!(!text.contains("S3cr3t-Pa55word"), "{text}");
    assert!(text.contains("\\\"S3…\\\""), "{text}");
}

#[test]
fn fingerprints_survive_line_moves() {
    let d = project(RULE, &[("app.py", CODE)]);
    let (_, before, _) = code_json(d.path(), &["--config", "rules/r.yaml", "app.py"]);
    write(d.path(), "app.py", format!("\n\n# moved\n{CODE}"));
    let (_, after, _) = code_json(d.path(), &["--config", "rules/r.yaml", "app.py"]);
    let fps = |r: &Value| {
        findings(r)
            .iter()
            .map(|f| f["fingerprint"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(fps(&before), fps(&after));
    assert_ne!(
        findings(&before)[0]["location"]["start_line"],
        findings(&after)[0]["location"]["start_line"]
    );
}

#[test]
fn rule_errors_name_file_line_and_key_and_nothing_runs() {
    let bad = RULE.replace("pattern-not:", "pattern-nott:");
    let d = project(&bad, &[("app.py", CODE)]);
    let out = scan_with_rule_file(d.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("rules/r.yaml:11:") && err.contains("pattern-nott"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    // A pattern that does not parse names its key path.
    let bad = RULE.replace("pattern: eval($X)", "pattern: eval($X");
    write(d.path(), "rules/r.yaml", bad);
    let out = scan_with_rule_file(d.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("rules/r.yaml:10:") && err.contains("patterns[0].pattern"),
        "{err}"
    );
}

#[test]
fn files_with_syntax_errors_are_still_analysed_and_counted() {
    let broken = "def f(:\n    pass\n\neval(user_input)\n";
    let d = project(RULE, &[("ok.py", CODE), ("broken.py", broken)]);
    let (code, r, stderr) = code_json(d.path(), &["--config", "rules/r.yaml", "."]);
    assert_eq!(code, 1);
    let hits: Vec<String> = findings(&r)
        .iter()
        .filter(|f| f["location"]["path"] == "broken.py")
        .map(|f| f["rule_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(hits, ["py.eval-input"], "{r:#}");
    assert_eq!(r["stats"]["parse_errors"]["python"]["files"], 1, "{r:#}");
    assert!(stderr.contains("broken.py"), "{stderr}");
}

#[test]
fn builtin_packs_run_by_default_and_config_builtin_adds_them_back() {
    let app = "import hashlib\n\ndef h(x):\n    return hashlib.md5(x).hexdigest()\n\neval(x)\n";
    let d = project(RULE, &[("app.py", app)]);
    let (_, builtin, _) = code_json(d.path(), &["app.py"]);
    let ids = |r: &Value| {
        findings(r)
            .iter()
            .map(|f| f["rule_id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let b = ids(&builtin);
    assert!(b.iter().any(|i| i.starts_with("python.")), "{b:?}");
    assert!(!b.iter().any(|i| i == "py.eval-input"));
    let (_, custom, _) = code_json(d.path(), &["--config", "rules/r.yaml", "app.py"]);
    assert_eq!(ids(&custom), ["py.eval-input"]);
    let (_, both, _) = code_json(
        d.path(),
        &["--config", "rules/r.yaml", "--config", "builtin", "app.py"],
    );
    let both = ids(&both);
    assert!(both.iter().any(|i| i == "py.eval-input"));
    assert!(both.len() > 1, "{both:?}");
}

#[test]
fn sarif_output_validates() {
    let d = project(RULE, &[("app.py", CODE)]);
    let out = gatehouse()
        .args([
            "scan",
            "code",
            "--config",
            "rules/r.yaml",
            "-f",
            "sarif",
            ".",
        ])
        .current_dir(d.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = common::sarif_schema_errors(&sarif);
    assert!(errors.is_empty(), "{errors:#?}");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["ruleId"], "py.eval-input");
}

#[test]
fn rules_test_reports_passes_and_failures() {
    let d = project(RULE, &[]);
    write(
        d.path(),
        "rules/r.py",
        "# ruleid: py.eval-input\neval(x)\n# ok: py.eval-input\neval(\"1\")\n# ruleid: py.hardcoded-password\nconnect(password=\"pw\")\n",
    );
    gatehouse()
        .args(["rules", "test", "rules"])
        .current_dir(d.path())
        .assert()
        .success()
        .stdout(predicates::str::contains("2 passed, 0 failed"));
    write(
        d.path(),
        "rules/r.py",
        "# ok: py.eval-input\neval(x)\n# ruleid: py.eval-input\nprint(1)\n",
    );
    let out = gatehouse()
        .args(["rules", "test", "rules"])
        .current_dir(d.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("py.eval-input: missed on line 4; unexpected on line 2"),
        "{text}"
    );
}

#[test]
fn rules_code_lists_the_builtin_packs() {
    let out = gatehouse()
        .args(["rules", "code", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rules: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(rules.len() >= 120, "{}", rules.len());
    assert!(rules.iter().all(|r| r["scanner"] == "code"));
}

#[test]
fn options_the_engine_does_not_honour_are_refused() {
    let with = |opts: &str| {
        RULE.replacen(
            "    languages: [python]\n",
            &format!("    languages: [python]\n    options:\n{opts}"),
            1,
        )
    };
    let d = project(
        &with("      constant_propagation: true\n"),
        &[("app.py", CODE)],
    );
    let out = scan_with_rule_file(d.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("rules/r.yaml:2:") && err.contains("options.constant_propagation"),
        "{err}"
    );
    // The engine's own behaviour, written out, is accepted.
    write(
        d.path(),
        "rules/r.yaml",
        with("      constant_propagation: false\n      taint_assume_safe_functions: true\n"),
    );
    let (code, _, stderr) = code_json(d.path(), &["--config", "rules/r.yaml", "."]);
    assert_eq!(code, 1, "{stderr}");
}
