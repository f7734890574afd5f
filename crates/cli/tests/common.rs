//! Helpers for the end-to-end tests: temporary trees and git repositories, the built binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A database URL the built-in rules find, and its password.
pub const DB_URL: &str = "postgres://ledger:Wq4Zr8Lk2Pn6@db.prod.internal:5432/ledger";
pub const DB_PASSWORD: &str = "Wq4Zr8Lk2Pn6";
/// A hard-coded password the generic rule finds.
pub const PASSWORD_LINE: &str = "spring.datasource.password=Tr0ub4dor&3x";
pub const PASSWORD: &str = "Tr0ub4dor&3x";

pub fn gatehouse() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("gatehouse").unwrap();
    c.env_remove("GATEHOUSE_FORMAT")
        .env_remove("GATEHOUSE_FAIL_ON")
        .env_remove("GATEHOUSE_BASELINE")
        .env_remove("GATEHOUSE_SECRETS_CONFIG")
        .env("NO_COLOR", "1");
    c
}

pub fn write(root: &Path, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, content).unwrap();
    p
}

/// Runs git in `dir` with a fixed identity and dates, panicking on failure.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=Ada Lovelace",
            "-c",
            "user.email=ada@example.org",
        ])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", "2024-05-01T12:00:00Z")
        .env("GIT_COMMITTER_DATE", "2024-05-01T12:00:00Z")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The violations of the official SARIF 2.1.0 schema in `sarif` (empty when it is valid).
pub fn sarif_schema_errors(sarif: &serde_json::Value) -> Vec<String> {
    let schema: serde_json::Value = serde_json::from_str(include_str!(
        "../../report/tests/schemas/sarif-schema-2.1.0.json"
    ))
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    validator
        .iter_errors(sarif)
        .map(|e| e.to_string())
        .collect()
}

/// Scans with JSON output and returns (exit code, parsed report, stderr).
pub fn scan_json(args: &[&str], dir: &Path) -> (i32, serde_json::Value, String) {
    let out = gatehouse()
        .args(["scan", "secrets", "--format", "json"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}); exit {code}; stdout: {}; stderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (
        code,
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub fn findings(report: &serde_json::Value) -> Vec<serde_json::Value> {
    report["findings"].as_array().cloned().unwrap_or_default()
}

pub fn rule_ids(report: &serde_json::Value) -> Vec<String> {
    findings(report)
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap().to_string())
        .collect()
}

/// One canned HTTP response: status, extra headers, body.
pub type Response = (u16, Vec<(&'static str, String)>, Vec<u8>);

/// A loopback HTTP server answering every request with the next of `responses`; it records the
/// requests it got (request line, headers, a blank line, then the body).
pub fn serve(responses: Vec<Response>) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for (status, headers, body) in responses {
            let Ok((stream, _)) = listener.accept() else {
                return;
            };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some((k, v)) = line.split_once(':') {
                    if k.eq_ignore_ascii_case("content-length") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                }
                request.push_str(&line);
            }
            let mut content = vec![0u8; length];
            let _ = reader.read_exact(&mut content);
            request.push_str("\r\n");
            request.push_str(&String::from_utf8_lossy(&content));
            log.lock().unwrap().push(request);
            let mut s = stream;
            let mut head = format!(
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            let _ = s.write_all(head.as_bytes());
            let _ = s.write_all(&body);
        }
    });
    (url, seen)
}
