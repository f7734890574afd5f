//! End to end: `gatehouse serve` as a child process on a loopback port, access bootstrapped with
//! `gatehouse admin`, results uploaded by `gatehouse gate --upload`, exceptions approved on the
//! server used by the gate, and the audit log checked with `gatehouse audit`.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use common::{gatehouse, git, write, DB_PASSWORD, DB_URL};
use serde_json::{json, Value};

struct Server {
    child: Child,
    url: String,
    log: std::sync::mpsc::Receiver<String>,
}

impl Server {
    fn start(data: &Path) -> Server {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("gatehouse"))
            .arg("--data-dir")
            .arg(data)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env_remove("GATEHOUSE_DATABASE_URL")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        let url = loop {
            let line = rx
                .recv_timeout(deadline.saturating_duration_since(std::time::Instant::now()))
                .expect("the server did not say where it listens");
            if let Some(u) = line.split("listening on ").nth(1) {
                break u.trim().to_string();
            }
        };
        Server {
            child,
            url,
            log: rx,
        }
    }

    fn call(&self, method: &str, path: &str, token: &str, body: Option<&[u8]>) -> (u16, Value) {
        let req = ureq::request(method, &format!("{}{path}", self.url))
            .set("Authorization", &format!("Bearer {token}"));
        let res = match body {
            Some(b) => req.set("Content-Type", "application/json").send_bytes(b),
            None => req.call(),
        };
        let resp = match res {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("{method} {path}: {e}"),
        };
        let status = resp.status();
        let text = resp.into_string().unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// Stops it with SIGTERM, as a service manager does; returns its exit status and last words.
    fn terminate(mut self) -> (std::process::ExitStatus, String) {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        let status = self.child.wait().unwrap();
        let rest: Vec<String> = self.log.try_iter().collect();
        (status, rest.join("\n"))
    }
}

fn admin(data: &Path, args: &[&str]) -> String {
    let out = gatehouse()
        .arg("--data-dir")
        .arg(data)
        .arg("admin")
        .args(args)
        .env_remove("GATEHOUSE_DATABASE_URL")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "admin {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn gate(repo: &Path, data: &Path, token: &str, extra: &[&str]) -> (i32, String) {
    let out = gatehouse()
        .arg("--data-dir")
        .arg(data)
        .args(["gate", "--stage", "commit", "--upload"])
        .args(extra)
        .env("GATEHOUSE_TOKEN", token)
        .env_remove("GATEHOUSE_STAGE")
        .env_remove("GATEHOUSE_DIFF")
        .env_remove("GATEHOUSE_PROJECT")
        .current_dir(repo)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap(), text)
}

fn audit(data: &Path, args: &[&str]) -> (i32, String) {
    let out = gatehouse()
        .arg("--data-dir")
        .arg(data)
        .arg("audit")
        .args(args)
        .env_remove("GATEHOUSE_DATABASE_URL")
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[test]
fn the_gate_uploads_to_a_running_server_and_uses_its_exceptions() {
    let data = tempfile::tempdir().unwrap();
    let repo = tempfile::tempdir().unwrap();

    // Bootstrap: a person (password generated and printed once), tokens (printed alone).
    let password = admin(
        data.path(),
        &[
            "create-user",
            "--name",
            "Ada",
            "--email",
            "ada@example.org",
            "--role",
            "administrator",
        ],
    );
    assert_eq!(password.lines().count(), 1);
    assert!(password.trim().len() >= 12);
    let token = admin(
        data.path(),
        &["create-token", "--name", "ci", "--role", "administrator"],
    );
    assert_eq!(
        token.lines().count(),
        1,
        "only the token on stdout: {token}"
    );
    let token = token.trim().to_string();
    let security = admin(
        data.path(),
        &[
            "create-token",
            "--name",
            "sec",
            "--role",
            "security",
            "--expires",
            "30",
        ],
    );
    let security = security.trim().to_string();
    let out = gatehouse()
        .arg("--data-dir")
        .arg(data.path())
        .args(["admin", "create-token", "--name", "x", "--role", "root"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a bad role is a usage error");

    let server = Server::start(data.path());
    let (st, _) = server.call(
        "POST",
        "/api/v1/projects",
        &token,
        Some(br#"{"name": "shop"}"#),
    );
    assert_eq!(st, 201);

    git(repo.path(), &["init", "-q"]);
    write(repo.path(), ".gitignore", "out/\n");
    write(
        repo.path(),
        "gatehouse.toml",
        format!(
            "[project]\nname = \"shop\"\n\n[server]\nurl = \"{}\"\n",
            server.url
        ),
    );
    write(repo.path(), "src/main.py", "print('hello')\n");
    write(
        repo.path(),
        "config/prod.env",
        format!("DATABASE_URL={DB_URL}\n"),
    );
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "init"]);

    // The planted secret blocks the gate and lands on the server, masked.
    let (code, out) = gate(
        repo.path(),
        data.path(),
        &token,
        &["--report", "json=out/gate.json"],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("uploaded to"), "{out}");
    let findings = |server: &Server| -> Vec<Value> {
        let (st, page) = server.call("GET", "/api/v1/projects/shop/findings", &token, None);
        assert_eq!(st, 200, "{page}");
        page["items"].as_array().unwrap().clone()
    };
    let first = findings(&server);
    assert!(!first.is_empty());
    assert!(
        first
            .iter()
            .all(|f| f["state"] == "open" && f["kind"] == "secrets"),
        "{first:?}"
    );
    assert!(first.iter().any(|f| f["path"] == "config/prod.env"));
    assert!(!serde_json::to_string(&first).unwrap().contains(DB_PASSWORD));

    // The same report twice is one upload; a new gate run changes no finding.
    let report = std::fs::read(repo.path().join("out/gate.json")).unwrap();
    let (st, again) = server.call("POST", "/api/v1/projects/shop/scans", &token, Some(&report));
    assert_eq!(st, 200, "{again}");
    assert_eq!(again["duplicate"], true);
    let (code, out) = gate(repo.path(), data.path(), &token, &[]);
    assert_eq!(code, 1, "{out}");
    let identity = |fs: &[Value]| -> Vec<(Value, Value, Value)> {
        fs.iter()
            .map(|f| {
                (
                    f["id"].clone(),
                    f["fingerprint"].clone(),
                    f["state"].clone(),
                )
            })
            .collect()
    };
    let second = findings(&server);
    assert_eq!(
        identity(&second),
        identity(&first),
        "a re-upload changes no finding"
    );
    assert!(second
        .iter()
        .all(|f| f["last_scan"].as_i64() > f["first_scan"].as_i64()));

    // The secret is removed: the next complete upload marks it fixed.
    write(
        repo.path(),
        "config/prod.env",
        "DATABASE_URL=${DATABASE_URL}\n",
    );
    git(
        repo.path(),
        &["commit", "-q", "-am", "read the URL from the environment"],
    );
    let (code, out) = gate(repo.path(), data.path(), &token, &[]);
    assert_eq!(code, 0, "{out}");
    let after = findings(&server);
    assert!(after.iter().all(|f| f["state"] == "fixed"), "{after:?}");
    assert!(after.iter().all(|f| f["fixed_scan"].is_i64()));

    // It comes back in a test fixture, and security approves an exception for that path.
    let (st, x) = server.call(
        "POST",
        "/api/v1/projects/shop/exceptions",
        &token,
        Some(br#"{"path": "config/**", "scanner": "secrets", "reason": "test credentials", "expires": "2999-01-01"}"#),
    );
    assert_eq!(st, 201, "{x}");
    let id = x["id"].as_i64().unwrap();
    let (st, e) = server.call(
        "POST",
        &format!("/api/v1/exceptions/{id}/approve"),
        &token,
        None,
    );
    assert_eq!(st, 403, "the requester cannot approve: {e}");
    let (st, a) = server.call(
        "POST",
        &format!("/api/v1/exceptions/{id}/approve"),
        &security,
        None,
    );
    assert_eq!(st, 200, "{a}");
    write(
        repo.path(),
        "config/prod.env",
        format!("DATABASE_URL={DB_URL}\n"),
    );
    git(repo.path(), &["commit", "-q", "-am", "oops"]);
    let (code, out) = gate(
        repo.path(),
        data.path(),
        &token,
        &["--report", "json=out/gate.json"],
    );
    assert_eq!(code, 0, "the server's exception applies: {out}");
    let report: Value =
        serde_json::from_slice(&std::fs::read(repo.path().join("out/gate.json")).unwrap()).unwrap();
    assert_eq!(
        report["exceptions"][0]["id"],
        json!(id.to_string()),
        "{report}"
    );
    let reopened = findings(&server);
    assert!(
        reopened.iter().any(|f| f["state"] == "open"),
        "reopened: {reopened:?}"
    );
    assert_eq!(
        reopened.len(),
        first.len(),
        "the same findings, not new ones"
    );

    // The audit log is intact while the server runs, exported as JSON lines.
    let (code, out) = audit(data.path(), &["verify"]);
    assert_eq!(code, 0, "{out}");
    let export = data.path().join("audit.jsonl");
    let (code, out) = audit(
        data.path(),
        &["export", "--output", export.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{out}");
    let lines: Vec<Value> = std::fs::read_to_string(&export)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(lines.iter().any(|e| e["action"] == "exception.approve"));
    assert!(lines.iter().any(|e| e["action"] == "scan.upload"));

    // SIGTERM stops it cleanly.
    let (status, log) = server.terminate();
    assert!(status.success(), "{status:?}: {log}");

    // An edited event is caught and named.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let url = gatehouse_server::sqlite_url(&data.path().join("gatehouse.db"));
        let store = gatehouse_server::Store::open(&url).await.unwrap();
        store
            .execute_raw("UPDATE audit_events SET actor = 'mallory' WHERE id = 4")
            .await
            .unwrap();
        store.close().await;
    });
    let (code, out) = audit(data.path(), &["verify"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("event 4"), "{out}");
}
