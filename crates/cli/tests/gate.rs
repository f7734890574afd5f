//! End-to-end tests of `gatehouse gate`, `init` and `hook install`: the built binary on small git
//! repositories with a planted secret, a vulnerable dependency and an injection bug.

mod common;

use std::path::Path;

use common::{gatehouse, git, sarif_schema_errors, serve, write, DB_URL};
use serde_json::{json, Value};

const APP_PY: &str = r#"import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/backup", methods=["POST"])
def backup():
    target = request.form["target"]
    os.system("tar czf /backups/site.tgz " + target)
    return "", 202
"#;

const APP_PY_FIXED: &str = r#"import os
import shlex

from flask import Flask, request

app = Flask(__name__)


@app.route("/backup", methods=["POST"])
def backup():
    target = request.form["target"]
    os.system("tar czf /backups/site.tgz " + shlex.quote(target))
    return "", 202
"#;

fn cargo_lock(vulny: &str, extra: &str) -> String {
    format!(
        "version = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n\n\
         [[package]]\nname = \"vulny\"\nversion = \"{vulny}\"\n\
         source = \"registry+https://github.com/rust-lang/crates.io-index\"\n{extra}"
    )
}

const OLDY: &str = "\n[[package]]\nname = \"oldy\"\nversion = \"2.0.0\"\n\
                    source = \"registry+https://github.com/rust-lang/crates.io-index\"\n";

fn today() -> jiff::civil::Date {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
}

struct Project {
    data: tempfile::TempDir,
    repo: tempfile::TempDir,
}

impl Project {
    fn path(&self) -> &Path {
        self.repo.path()
    }

    fn write(&self, rel: &str, content: impl AsRef<[u8]>) {
        write(self.path(), rel, content);
    }

    fn commit(&self, message: &str) -> String {
        git(self.path(), &["add", "-A"]);
        git(self.path(), &["commit", "-q", "-m", message]);
        git(self.path(), &["rev-parse", "HEAD"])
    }

    /// Runs the gate with a JSON report; returns the exit code, the report and standard output
    /// and error.
    fn gate(&self, args: &[&str]) -> (i32, Value, String) {
        let out = self.gate_cmd().args(args).output().unwrap();
        let code = out.status.code().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        let json = std::fs::read_to_string(self.path().join("out/gate.json"))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or(Value::Null);
        let _ = std::fs::remove_file(self.path().join("out/gate.json"));
        (code, json, text)
    }

    fn gate_cmd(&self) -> assert_cmd::Command {
        let mut c = gatehouse();
        c.arg("--data-dir")
            .arg(self.data.path())
            .args(["gate", "--report", "json=out/gate.json"])
            .env_remove("GATEHOUSE_STAGE")
            .env_remove("GATEHOUSE_DIFF")
            .env_remove("GATEHOUSE_PROJECT")
            .current_dir(self.path());
        c
    }
}

/// A repository with a secret, a vulnerable dependency and a command injection, committed, and
/// a data directory with an advisory for the dependency.
fn project() -> Project {
    let data = tempfile::tempdir().unwrap();
    let src = tempfile::tempdir().unwrap();
    let modified = jiff::Timestamp::now().to_string();
    for (id, name, fixed) in [
        ("RUSTSEC-2024-0001", "vulny", "1.2.0"),
        ("RUSTSEC-2024-0002", "oldy", "2.1.0"),
    ] {
        write(
            src.path(),
            &format!("osv/{id}.json"),
            serde_json::to_string(&json!({
                "id": id, "modified": modified, "summary": format!("overflow in {name}"),
                "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}],
                "affected": [{"package": {"ecosystem": "crates.io", "name": name},
                    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": fixed}]}]}]
            }))
            .unwrap(),
        );
    }
    gatehouse()
        .arg("--data-dir")
        .arg(data.path())
        .args(["db", "import"])
        .arg(src.path().join("osv"))
        .assert()
        .success();
    let p = Project {
        data,
        repo: tempfile::tempdir().unwrap(),
    };
    git(p.path(), &["init", "-q"]);
    p.write(".gitignore", "out/\n");
    p.write("app.py", APP_PY);
    p.write("Cargo.lock", cargo_lock("1.0.0", ""));
    p.write("deploy/app.env", format!("DATABASE_URL={DB_URL}\n"));
    p.commit("initial");
    p
}

/// Per scanner: (findings, blocking).
fn counts(report: &Value) -> Vec<(String, usize, usize)> {
    report["scans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let decisions = s["decisions"].as_array().unwrap();
            (
                s["scanner"].as_str().unwrap().to_string(),
                decisions.len(),
                decisions
                    .iter()
                    .filter(|d| d["decision"] == "blocks")
                    .count(),
            )
        })
        .collect()
}

/// The findings of a report with their decisions: (scanner, rule, path, decision).
fn decided(report: &Value) -> Vec<(String, String, String, Value)> {
    let mut out = Vec::new();
    for s in report["scans"].as_array().unwrap() {
        let findings = s["report"]["findings"].as_array().unwrap();
        for (f, d) in findings.iter().zip(s["decisions"].as_array().unwrap()) {
            out.push((
                s["scanner"].as_str().unwrap().to_string(),
                f["rule_id"].as_str().unwrap().to_string(),
                f["location"]["path"].as_str().unwrap_or("").to_string(),
                d.clone(),
            ));
        }
    }
    out
}

fn fingerprint_of(report: &Value, scanner: &str) -> String {
    report["scans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["scanner"] == scanner)
        .unwrap()["report"]["findings"][0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn each_stage_blocks_as_configured() {
    let p = project();
    let (code, r, out) = p.gate(&["--stage", "commit"]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(r["verdict"], "blocked");
    assert_eq!(r["stage"], "commit");
    let c = counts(&r);
    assert_eq!(
        c.len(),
        1,
        "the commit stage runs only the secret scanner: {c:?}"
    );
    assert_eq!(c[0].0, "secrets");
    assert!(c[0].2 >= 1, "{c:?}");

    for stage in ["merge-request", "release"] {
        let (code, r, out) = p.gate(&["--stage", stage]);
        assert_eq!(code, 1, "{stage}: {out}");
        let c = counts(&r);
        let names: Vec<&str> = c.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(names, ["secrets", "dependencies", "code", "iac"], "{stage}");
        assert!(
            c[..3].iter().all(|c| c.2 >= 1),
            "{stage}: every scanner with a planted problem blocks: {c:?}"
        );
        assert!(out.contains("BLOCKED"), "{out}");
    }
    // One worker per scanner decides the same.
    let (_, all, _) = p.gate(&["--stage", "release"]);
    let (code, one, out) = p.gate(&["--stage", "release", "--threads", "1"]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(decided(&one), decided(&all));

    // The project's own stage definitions replace the defaults.
    p.write(
        "gatehouse.toml",
        "[stages.merge-request]\nfail-on = { secrets = \"low\", default = \"none\" }\n\n\
         [stages.audit]\nscanners = [\"deps\", \"code\"]\nfail-on = \"critical\"\n",
    );
    let (code, r, out) = p.gate(&["--stage", "merge-request"]);
    assert_eq!(code, 1, "{out}");
    let c = counts(&r);
    assert_eq!(c[0].2, c[0].1, "secrets block: {c:?}");
    assert_eq!(c[1].2 + c[2].2, 0, "the others never do: {c:?}");
    let (code, r, out) = p.gate(&["--stage", "audit"]);
    assert_eq!(code, 0, "nothing is critical: {out}");
    assert_eq!(r["verdict"], "pass");
    assert!(decided(&r)
        .iter()
        .all(|d| d.3["waiver"]["kind"] == "below-threshold"));
}

#[test]
fn fixing_everything_passes() {
    let p = project();
    p.write("app.py", APP_PY_FIXED);
    p.write("Cargo.lock", cargo_lock("1.2.0", ""));
    p.write("deploy/app.env", "DATABASE_URL=${DATABASE_URL}\n");
    p.commit("fix");
    for stage in ["commit", "merge-request", "release"] {
        let (code, r, out) = p.gate(&["--stage", stage]);
        assert_eq!(code, 0, "{stage}: {out}");
        assert_eq!(r["verdict"], "pass");
        assert!(out.contains("PASSED"), "{out}");
    }
}

#[test]
fn approved_exceptions_pass_until_they_expire() {
    let p = project();
    let (_, first, _) = p.gate(&["--stage", "release"]);
    let secret_fp = fingerprint_of(&first, "secrets");
    let tomorrow = today().tomorrow().unwrap();
    let config = |expires: jiff::civil::Date| {
        format!(
            "[[exceptions]]\nid = \"SEC-1\"\nfingerprint = \"{secret_fp}\"\n\
             reason = \"test database, rotated nightly\"\napprover = \"security@bank.example\"\n\
             expires = \"{expires}\"\n\n\
             [[exceptions]]\nid = \"SEC-2\"\nadvisory = \"RUSTSEC-2024-0001\"\n\
             reason = \"the overflow needs input we never pass\"\napprover = \"security@bank.example\"\n\
             expires = \"{tomorrow}\"\n\n\
             [[exceptions]]\nid = \"SEC-3\"\nrule = \"python.command-injection-os\"\npath = \"app.py\"\n\
             reason = \"internal admin tool behind VPN\"\napprover = \"security@bank.example\"\n\
             expires = \"{tomorrow}\"\n"
        )
    };
    p.write("gatehouse.toml", config(today()));
    let (code, r, out) = p.gate(&["--stage", "release"]);
    assert_eq!(code, 0, "{out}");
    let states: Vec<(&str, &str)> = r["exceptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["id"].as_str().unwrap(),
                x["state"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .next()
                    .unwrap()
                    .as_str(),
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            ("SEC-1", "applied"),
            ("SEC-2", "applied"),
            ("SEC-3", "applied")
        ]
    );

    // Expired yesterday: the secret blocks again and the summary says why.
    p.write("gatehouse.toml", config(today().yesterday().unwrap()));
    let (code, r, out) = p.gate(&["--stage", "release"]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(
        r["exceptions"][0]["state"]["expired"]["count"], 1,
        "{}",
        r["exceptions"]
    );
    let blocking: Vec<_> = decided(&r)
        .into_iter()
        .filter(|d| d.3["decision"] == "blocks")
        .map(|d| d.0)
        .collect();
    assert_eq!(blocking, ["secrets"], "{out}");
    assert!(
        out.contains("SEC-1") && out.to_lowercase().contains("expired"),
        "{out}"
    );
}

#[test]
fn diff_blocks_new_findings_only() {
    let p = project();
    let base = git(p.path(), &["rev-parse", "HEAD"]);
    // Nothing changed since the base: the old findings do not block a merge request.
    let (code, r, out) = p.gate(&["--stage", "merge-request", "--diff", &base]);
    assert_eq!(code, 0, "{out}");
    assert!(decided(&r)
        .iter()
        .all(|d| d.3["waiver"] == json!({"kind": "not-new", "basis": "diff"})));
    assert_eq!(r["context"]["diff_base"], base.as_str());

    // A change that adds a second injection, a new vulnerable package and a new secret line.
    let mut app = APP_PY.to_string();
    app.push_str(
        "\n\n@app.route(\"/restore\", methods=[\"POST\"])\ndef restore():\n    \
         name = request.form[\"name\"]\n    os.system(\"tar xzf /backups/\" + name)\n    return \"\", 202\n",
    );
    p.write("app.py", &app);
    p.write("Cargo.lock", cargo_lock("1.0.0", OLDY));
    p.write(
        "deploy/app.env",
        format!("DATABASE_URL={DB_URL}\nREPLICA_URL=postgres://replica:Zx9Vb7Nm3Qw1@db2.prod.internal:5432/ledger\n"),
    );
    p.commit("feature");
    let (code, r, out) = p.gate(&["--stage", "merge-request", "--diff", &base]);
    assert_eq!(code, 1, "{out}");
    let d = decided(&r);
    let blocks = |scanner: &str| {
        d.iter()
            .filter(|x| x.0 == scanner && x.3["decision"] == "blocks")
            .count()
    };
    let old = |scanner: &str| {
        d.iter()
            .filter(|x| x.0 == scanner && x.3["waiver"]["kind"] == "not-new")
            .count()
    };
    assert_eq!((blocks("code"), old("code")), (1, 1), "{d:?}");
    assert_eq!((blocks("secrets"), old("secrets")), (1, 1), "{d:?}");
    assert_eq!(
        (blocks("dependencies"), old("dependencies")),
        (1, 1),
        "{d:?}"
    );
    let new_dep = d
        .iter()
        .find(|x| x.0 == "dependencies" && x.3["decision"] == "blocks")
        .unwrap();
    assert_eq!(
        new_dep.1, "RUSTSEC-2024-0002",
        "the added package blocks, not the old one"
    );

    // The release stage blocks old findings too.
    let (code, r, _) = p.gate(&["--stage", "release", "--diff", &base]);
    assert_eq!(code, 1);
    assert!(counts(&r).iter().all(|c| c.1 == c.2), "{:?}", counts(&r));

    // A revision that does not exist is a usage error.
    let (code, _, out) = p.gate(&["--diff", "no-such-branch"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("no-such-branch"), "{out}");
}

#[test]
fn baselines_block_only_what_is_not_in_them() {
    let p = project();
    let (code, _, out) = p.gate(&["--write-baseline", "out/baseline.json"]);
    assert_eq!(code, 1, "{out}");
    let (code, r, out) = p.gate(&["--baseline", "out/baseline.json"]);
    assert_eq!(code, 0, "{out}");
    assert!(decided(&r)
        .iter()
        .all(|d| d.3["waiver"] == json!({"kind": "not-new", "basis": "baseline"})));
    p.write(
        "tools/leak.env",
        "API_PASSWORD_URL=mysql://root:Hq7Lp2Xc9Vb4@10.1.2.3/app\n",
    );
    let (code, r, out) = p.gate(&["--baseline", "out/baseline.json"]);
    assert_eq!(code, 1, "{out}");
    let blocking: Vec<_> = decided(&r)
        .into_iter()
        .filter(|d| d.3["decision"] == "blocks")
        .map(|d| d.2)
        .collect();
    assert_eq!(blocking, ["tools/leak.env"]);
    // A gate JSON report serves as a baseline as well.
    std::fs::write(p.path().join("out/prev.json"), r.to_string()).unwrap();
    let (code, _, out) = p.gate(&["--baseline", "out/prev.json"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn every_report_in_one_run() {
    let p = project();
    let reports = [
        ("sarif", "out/gatehouse.sarif"),
        ("junit", "out/junit.xml"),
        ("markdown", "out/summary.md"),
        ("gitlab-sast", "out/gl-sast-report.json"),
        (
            "gitlab-secret-detection",
            "out/gl-secret-detection-report.json",
        ),
        (
            "gitlab-dependency-scanning",
            "out/gl-dependency-scanning-report.json",
        ),
    ];
    let mut args = vec!["--stage".to_string(), "release".to_string()];
    for (f, path) in reports {
        args.push("--report".into());
        args.push(format!("{f}={path}"));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, r, out) = p.gate(&args);
    assert_eq!(code, 1, "{out}");
    assert_eq!(r["schema_version"], 1);
    let read = |rel: &str| std::fs::read_to_string(p.path().join(rel)).unwrap();

    let sarif: Value = serde_json::from_str(&read("out/gatehouse.sarif")).unwrap();
    assert_eq!(sarif_schema_errors(&sarif), Vec::<String>::new());
    assert_eq!(
        sarif["runs"].as_array().unwrap().len(),
        4,
        "one run per scanner (secrets, dependencies, code, iac)"
    );
    assert!(
        !read("out/gatehouse.sarif").contains("Wq4Zr8Lk2Pn6"),
        "secrets stay masked"
    );

    for (kind, file) in [
        ("sast", "out/gl-sast-report.json"),
        ("secret_detection", "out/gl-secret-detection-report.json"),
        (
            "dependency_scanning",
            "out/gl-dependency-scanning-report.json",
        ),
    ] {
        let text = read(file);
        assert!(
            !text.contains("Wq4Zr8Lk2Pn6"),
            "{file}: secrets stay masked"
        );
        let doc: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(doc["scan"]["type"], kind, "{file}");
        assert!(
            !doc["vulnerabilities"].as_array().unwrap().is_empty(),
            "{file}"
        );
        let errors = gitlab_schema_errors(&doc, kind);
        assert!(errors.is_empty(), "{file}: {errors:?}");
    }
    let junit = read("out/junit.xml");
    assert!(
        junit.starts_with("<?xml") && junit.contains("<failure"),
        "{junit}"
    );
    let md = read("out/summary.md");
    assert!(md.contains("python.command-injection-os"), "{md}");
    assert!(!md.contains("Wq4Zr8Lk2Pn6"));

    // [gate] reports in the configuration write reports on every run; a bad name is an error.
    p.write(
        "gatehouse.toml",
        "[gate]\nreports = { markdown = \"out/from-config.md\" }\n",
    );
    let (_, _, out) = p.gate(&[]);
    assert!(p.path().join("out/from-config.md").is_file(), "{out}");
    let (code, _, out) = p.gate(&["--report", "pdf=x.pdf"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("pdf"), "{out}");
}

fn gitlab_schema_errors(doc: &Value, kind: &str) -> Vec<String> {
    let file = match kind {
        "sast" => "sast-report-format.json",
        "secret_detection" => "secret-detection-report-format.json",
        _ => "dependency-scanning-report-format.json",
    };
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../report/schema/gitlab")
        .join(file);
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    validator.iter_errors(doc).map(|e| e.to_string()).collect()
}

#[test]
fn configuration_errors_exit_2_with_the_line() {
    let p = project();
    p.write(
        "gatehouse.toml",
        "[code]\nenabled = true\nrulez = [\"builtin\"]\n",
    );
    let (code, _, out) = p.gate(&[]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("gatehouse.toml:3") && out.contains("rulez"),
        "{out}"
    );
    p.write("gatehouse.toml", "[code]\nrules = []\n");
    let (code, _, out) = p.gate(&[]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("no rules to run"), "{out}");
    p.write("gatehouse.toml", "");
    let (code, _, out) = p.gate(&["--stage", "deploy"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("unknown stage `deploy`"), "{out}");
    let (code, _, out) = p.gate(&["--upload"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("[server]"), "{out}");
}

#[test]
fn the_server_supplies_exceptions_and_receives_uploads() {
    let p = project();
    let next_year = today()
        .saturating_add(jiff::Span::new().years(1))
        .to_string();
    let exceptions = json!({"items": [
        {"id": 41, "rule": "python.command-injection-os", "reason": "admin tool", "approver": "sec",
         "expires": next_year, "state": "approved"},
        {"id": 42, "scanner": "secrets", "path": "deploy/", "reason": "test env", "approver": "sec",
         "expires": next_year, "state": "approved"},
        {"id": 43, "advisory": "RUSTSEC-2024-0001", "reason": "not reachable", "approver": "sec",
         "expires": next_year, "state": "requested"}
    ]});
    let (url, seen) = serve(vec![
        (
            200,
            vec![("Content-Type", "application/json".into())],
            exceptions.to_string().into_bytes(),
        ),
        (
            201,
            vec![("Content-Type", "application/json".into())],
            b"{\"id\": \"scan-7\"}".to_vec(),
        ),
    ]);
    p.write(
        "gatehouse.toml",
        format!(
            "[project]\nname = \"payments api\"\n\n[server]\nurl = \"{url}\"\n\n\
             [[exceptions]]\nrule = \"python.command-injection-os\"\nreason = \"file\"\n\
             approver = \"me\"\nexpires = \"{next_year}\"\n"
        ),
    );
    let out = p
        .gate_cmd()
        .args([
            "--stage",
            "release",
            "--upload",
            "--pipeline",
            "991",
            "--branch",
            "feature/x",
        ])
        .env("GATEHOUSE_TOKEN", "gh_test_token")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(1),
        "the dependency still blocks: {text}"
    );
    assert!(text.contains("scan-7"), "{text}");
    let requests = seen.lock().unwrap().clone();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert!(
        requests[0].starts_with("GET /api/v1/projects/payments%20api/exceptions?state=approved")
    );
    assert!(
        requests[0].contains("Bearer gh_test_token"),
        "{}",
        requests[0]
    );
    assert!(requests[1].starts_with("POST /api/v1/projects/payments%20api/scans"));
    let body: Value = serde_json::from_str(requests[1].split("\r\n\r\n").nth(1).unwrap()).unwrap();
    assert_eq!(body["stage"], "release");
    assert_eq!(body["context"]["project"], "payments api");
    assert_eq!(body["context"]["pipeline"], "991");
    assert_eq!(body["context"]["branch"], "feature/x");
    assert_eq!(
        body["context"]["commit"].as_str().unwrap(),
        git(p.path(), &["rev-parse", "HEAD"])
    );
    let ids: Vec<&str> = body["exceptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["41", "42"],
        "the server's approved exceptions, not the file's"
    );
    assert!(
        !requests[1].contains("Wq4Zr8Lk2Pn6"),
        "secrets stay masked in uploads"
    );

    // No token, or no server listening: clear errors.
    let out = p.gate_cmd().env_remove("GATEHOUSE_TOKEN").output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("GATEHOUSE_TOKEN"));
    let out = p.gate_cmd().env("GATEHOUSE_TOKEN", "t").output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot reach"));
    // --no-server falls back to the file's exceptions.
    let out = p
        .gate_cmd()
        .args(["--stage", "release", "--no-server"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn init_writes_a_starter_the_gate_accepts() {
    let p = project();
    gatehouse()
        .arg("init")
        .current_dir(p.path())
        .assert()
        .success();
    let text = std::fs::read_to_string(p.path().join("gatehouse.toml")).unwrap();
    assert!(text.contains("crates.io: Cargo.lock"), "{text}");
    assert!(text.contains("python (1 file)"), "{text}");
    gatehouse()
        .arg("init")
        .current_dir(p.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("exists already"));
    let (code, r, out) = p.gate(&[]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(r["stage"], "merge-request");
}

#[test]
fn the_pre_commit_hook_blocks_staged_secrets() {
    let p = project();
    p.write(".git/hooks/pre-commit", "#!/bin/sh\nexit 0\n");
    gatehouse()
        .args(["hook", "install"])
        .current_dir(p.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--force"));
    gatehouse()
        .args(["hook", "install", "--force"])
        .current_dir(p.path())
        .assert()
        .success();
    assert!(p.path().join(".git/hooks/pre-commit.orig").is_file());
    let commit = |message: &str| {
        std::process::Command::new("git")
            .args([
                "-c",
                "user.name=A",
                "-c",
                "user.email=a@example.org",
                "commit",
                "-q",
                "-m",
                message,
            ])
            .current_dir(p.path())
            .output()
            .unwrap()
    };
    p.write("notes.txt", "nothing secret\n");
    git(p.path(), &["add", "notes.txt"]);
    let out = commit("clean");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    p.write(
        "new.env",
        "STRIPE_KEY=sk_live_4eC39HqLyjWDarjtT1zdp7dcTYooMQauvdEDq54NiTphI7jx\n",
    );
    git(p.path(), &["add", "new.env"]);
    let out = commit("leak");
    assert!(!out.status.success(), "the hook blocks the commit");
    // Reinstalling replaces Gatehouse's own hook without --force.
    gatehouse()
        .args(["hook", "install"])
        .current_dir(p.path())
        .assert()
        .success();
}

/// The pre-commit framework's hook definition runs what it says.
#[test]
fn the_pre_commit_framework_hook_definition_works() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let hooks: Value = serde_yaml_ng::from_str(
        &std::fs::read_to_string(root.join(".pre-commit-hooks.yaml")).unwrap(),
    )
    .unwrap();
    let hook = &hooks[0];
    assert_eq!(hook["id"], "gatehouse-secrets");
    assert_eq!(hook["pass_filenames"], false);
    let entry: Vec<&str> = hook["entry"].as_str().unwrap().split_whitespace().collect();
    assert_eq!(entry[0], "gatehouse");
    let p = project();
    p.write(
        "leak.env",
        "STRIPE_KEY=sk_live_4eC39HqLyjWDarjtT1zdp7dcTYooMQauvdEDq54NiTphI7jx\n",
    );
    git(p.path(), &["add", "leak.env"]);
    gatehouse()
        .args(&entry[1..])
        .current_dir(p.path())
        .assert()
        .code(1);
}

/// The CI templates' gate commands run as written and produce the reports they declare.
#[test]
fn ci_templates_run_the_gate_and_write_their_reports() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let bin = assert_cmd::cargo::cargo_bin("gatehouse");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );

    // GitLab: the job's script, in a merge-request pipeline.
    let gl: Value = serde_yaml_ng::from_str(
        &std::fs::read_to_string(root.join("templates/gitlab/gatehouse.gitlab-ci.yml")).unwrap(),
    )
    .unwrap();
    let script = gl["gatehouse-gate"]["script"][0].as_str().unwrap();
    let declared = &gl[".gatehouse"]["artifacts"]["reports"];
    let p = project();
    let base = git(p.path(), &["rev-parse", "HEAD"]);
    let out = std::process::Command::new("sh")
        .args(["-c", script])
        .current_dir(p.path())
        .env("PATH", &path)
        .env("GATEHOUSE_DATA_DIR", p.data.path())
        .env("CI_MERGE_REQUEST_DIFF_BASE_SHA", &base)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "nothing new since the base: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    for key in ["sast", "secret_detection", "dependency_scanning", "junit"] {
        let file = declared[key].as_str().unwrap();
        assert!(p.path().join(file).is_file(), "{key}: {file} written");
    }
    let sast: Value = serde_json::from_str(
        &std::fs::read_to_string(p.path().join("gl-sast-report.json")).unwrap(),
    )
    .unwrap();
    assert!(gitlab_schema_errors(&sast, "sast").is_empty());

    // GitHub Actions: the action's gate step, on a pull request.
    let action: Value =
        serde_yaml_ng::from_str(&std::fs::read_to_string(root.join("action.yml")).unwrap())
            .unwrap();
    let step = action["runs"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "gate")
        .unwrap();
    let p = project();
    let output = p.path().join("out/github-output");
    let summary = p.path().join("out/step-summary");
    std::fs::create_dir_all(p.path().join("out")).unwrap();
    let out = std::process::Command::new("bash")
        .args(["-e", "-c", step["run"].as_str().unwrap()])
        .current_dir(p.path())
        .env("PATH", &path)
        .env("GATEHOUSE_DATA_DIR", p.data.path())
        .env("INPUT_PATH", ".")
        .env("INPUT_STAGE", "")
        .env("INPUT_DIFF", "")
        .env("INPUT_ARGS", "--report json=out/gate.json")
        .env("INPUT_SARIF", "out/gatehouse.sarif")
        .env("EVENT_NAME", "pull_request")
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&output).unwrap(), "exit-code=1\n");
    let sarif: Value = serde_json::from_str(
        &std::fs::read_to_string(p.path().join("out/gatehouse.sarif")).unwrap(),
    )
    .unwrap();
    assert_eq!(sarif_schema_errors(&sarif), Vec::<String>::new());
    assert!(std::fs::read_to_string(&summary)
        .unwrap()
        .contains("merge-request"));
    let gate: Value =
        serde_json::from_str(&std::fs::read_to_string(p.path().join("out/gate.json")).unwrap())
            .unwrap();
    assert_eq!(gate["stage"], "merge-request");

    // Jenkins: the pipeline's gate command.
    let jenkins = std::fs::read_to_string(root.join("templates/jenkins/Jenkinsfile")).unwrap();
    let start = jenkins.find("gatehouse gate").unwrap();
    let end = start + jenkins[start..].find("\"\"\"").unwrap();
    let command = jenkins[start..end]
        .replace("${stageName}", "release")
        .replace("${diff}", "");
    let p = project();
    let out = std::process::Command::new("sh")
        .args(["-c", &command])
        .current_dir(p.path())
        .env("PATH", &path)
        .env("GATEHOUSE_DATA_DIR", p.data.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(p.path().join("gatehouse-junit.xml").is_file());
}
