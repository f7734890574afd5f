//! A quick check of ingest at scale, not run by default (the benchmark script measures it
//! properly): `cargo test --release -p gatehouse-server --test scale -- --ignored --nocapture`.
//! Set `GATEHOUSE_SCALE_FINDINGS` to change the size (default 100,000).

mod common;

use std::time::Instant;

use common::{finding, scan_json, Backend, TestServer};
use gatehouse_core::Severity;
use gatehouse_server::domain::Role;
use serde_json::json;

#[test]
#[ignore = "a measurement; run with --release --ignored"]
fn ingest_100k_findings() {
    let n: usize = std::env::var("GATEHOUSE_SCALE_FINDINGS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let backend = Backend::postgres()
        .filter(|_| std::env::var_os("GATEHOUSE_SCALE_POSTGRES").is_some())
        .unwrap_or(Backend::Sqlite);
    let s = TestServer::with_limit(&backend, 1 << 30);
    let admin = s.token("admin", Role::Administrator, None, &[]);
    s.post("/api/v1/projects", &admin, &json!({"name": "big"}));
    let severities = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ];
    let findings: Vec<_> = (0..n)
        .map(|i| {
            finding(
                &format!("k{i}"),
                &format!("rule-{}", i % 50),
                severities[i % 4],
                &format!("src/m{}/f{i}.py", i % 100),
                1 + (i % 500) as u32,
            )
        })
        .collect();
    let body = scan_json(findings, true);
    let path = "/api/v1/projects/big/scans";

    let t = Instant::now();
    let (st, r) = s.call("POST", path, Some(&admin), Some(&body));
    let first = t.elapsed();
    assert_eq!(st, 201, "{r}");
    assert_eq!(r["findings"]["new"], n as i64);

    // The same findings again (another pipeline): all unchanged.
    let t = Instant::now();
    let (st, r) = s.call(
        "POST",
        &format!("{path}?pipeline=2"),
        Some(&admin),
        Some(&body),
    );
    let second = t.elapsed();
    assert_eq!(st, 201, "{r}");
    assert_eq!(r["findings"]["unchanged"], n as i64);

    let mut list = Vec::new();
    for q in [
        "severity=critical&state=open",
        "severity=critical&state=open",
        "rule=rule-7",
        "project=big&level=2",
        "breached=false",
    ] {
        let t = Instant::now();
        let (st, page) = s.get(&format!("/api/v1/findings?{q}&limit=100"), &admin);
        list.push((q, t.elapsed()));
        assert_eq!(st, 200, "{page}");
        assert_eq!(page["items"].as_array().unwrap().len(), 100);
    }
    eprintln!(
        "{backend:?}: {n} findings ({} MB): first upload {first:.2?}, unchanged re-upload {second:.2?}, filtered pages {}",
        body.len() >> 20,
        list.iter()
            .map(|(q, d)| format!("{q}: {d:.2?}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
}
