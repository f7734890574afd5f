//! The real server on a random loopback port, against a fresh SQLite file or, when
//! `GATEHOUSE_TEST_DATABASE_URL` is set, a fresh PostgreSQL database of its own.
#![allow(dead_code)]

use std::collections::BTreeMap;

use gatehouse_core::{
    Confidence, Evidence, Finding, Fingerprint, Location, ScanReport, ScannerKind, SecretValue,
    Severity,
};
use gatehouse_server::domain::{service, Principal, Role};
use gatehouse_server::Store;
use serde_json::Value;

#[derive(Debug, Clone)]
pub enum Backend {
    Sqlite,
    Postgres(String),
}

impl Backend {
    pub fn postgres() -> Option<Backend> {
        std::env::var("GATEHOUSE_TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.trim().is_empty())
            .map(Backend::Postgres)
    }
}

/// Runs each named test function once per backend: `sqlite::NAME` always, `postgres::NAME`
/// when `GATEHOUSE_TEST_DATABASE_URL` is set (it passes without running otherwise).
#[macro_export]
macro_rules! for_each_backend {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name(super::common::Backend::Sqlite) } )*
        }
        mod postgres {
            $(
                #[test]
                fn $name() {
                    match super::common::Backend::postgres() {
                        Some(b) => super::$name(b),
                        None => eprintln!("GATEHOUSE_TEST_DATABASE_URL is not set: PostgreSQL not tested"),
                    }
                }
            )*
        }
    };
}

/// A URL with its database name replaced.
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{db}?{q}"),
        None => format!("{base}/{db}"),
    }
}

pub struct TestServer {
    pub url: String,
    pub db_url: String,
    pub rt: tokio::runtime::Runtime,
    pub store: Store,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    /// The PostgreSQL admin URL and the test database to drop afterwards.
    drop_db: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

impl TestServer {
    pub fn start(backend: &Backend) -> TestServer {
        TestServer::with_limit(backend, gatehouse_server::DEFAULT_MAX_UPLOAD_BYTES)
    }

    pub fn with_limit(backend: &Backend, max_upload_bytes: usize) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let mut drop_db = None;
        let db_url = match backend {
            Backend::Sqlite => gatehouse_server::sqlite_url(&dir.path().join("gatehouse.db")),
            Backend::Postgres(admin) => {
                let mut name = [0u8; 8];
                getrandom::fill(&mut name).unwrap();
                let db: String = format!(
                    "gatehouse_test_{}",
                    name.iter().map(|b| format!("{b:02x}")).collect::<String>()
                );
                rt.block_on(async {
                    sqlx::any::install_default_drivers();
                    let pool = sqlx::AnyPool::connect(admin).await.unwrap();
                    sqlx::query(&format!("CREATE DATABASE {db}"))
                        .execute(&pool)
                        .await
                        .unwrap();
                    pool.close().await;
                });
                drop_db = Some((admin.clone(), db.clone()));
                with_database(admin, &db)
            }
        };
        let store = rt.block_on(Store::open(&db_url)).unwrap();
        let listener = rt
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let s = store.clone();
        rt.spawn(async move {
            gatehouse_server::serve_on(listener, s, max_upload_bytes, async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        });
        TestServer {
            url,
            db_url,
            rt,
            store,
            stop: Some(stop),
            drop_db,
            _dir: dir,
        }
    }

    /// A new API token with `role`, optionally bound to a person and limited to projects.
    pub fn token(&self, name: &str, role: Role, person: Option<&str>, projects: &[&str]) -> String {
        let projects: Vec<String> = projects.iter().map(|s| s.to_string()).collect();
        self.rt
            .block_on(service::create_token(
                &self.store,
                &Principal::local_admin(),
                name,
                role,
                &projects,
                person,
                None,
                gatehouse_server::domain::now_ms(),
            ))
            .unwrap()
            .1
    }

    pub fn person(
        &self,
        name: &str,
        email: &str,
        role: Role,
        password: &str,
        teams: &[&str],
    ) -> i64 {
        let teams: Vec<String> = teams.iter().map(|s| s.to_string()).collect();
        self.rt
            .block_on(service::create_person(
                &self.store,
                &Principal::local_admin(),
                name,
                email,
                role,
                password,
                &teams,
                gatehouse_server::domain::now_ms(),
            ))
            .unwrap()
    }

    pub fn sql(&self, statement: &str) -> u64 {
        self.rt.block_on(self.store.execute_raw(statement)).unwrap()
    }

    /// Sends a request (redirects are not followed); returns the status and the JSON answer
    /// (`null` when there is none, a string for an HTML page).
    pub fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&[u8]>,
    ) -> (u16, Value) {
        let agent = ureq::AgentBuilder::new().redirects(0).build();
        let mut req = agent.request(method, &format!("{}{path}", self.url));
        if let Some(t) = token {
            req = req.set("Authorization", &format!("Bearer {t}"));
        }
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
        let html = resp.content_type() == "text/html";
        let text = resp.into_string().unwrap_or_default();
        let json = if html {
            Value::String(text)
        } else if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{method} {path}: not JSON ({e}): {text}"))
        };
        (status, json)
    }

    pub fn get(&self, path: &str, token: &str) -> (u16, Value) {
        self.call("GET", path, Some(token), None)
    }

    pub fn post(&self, path: &str, token: &str, body: &Value) -> (u16, Value) {
        self.call("POST", path, Some(token), Some(body.to_string().as_bytes()))
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some((admin, db)) = self.drop_db.take() {
            let store = self.store.clone();
            self.rt.block_on(async move {
                store.close().await;
                if let Ok(pool) = sqlx::AnyPool::connect(&admin).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
                        .execute(&pool)
                        .await;
                    pool.close().await;
                }
            });
        }
    }
}

/// A finding of `rule` in `path` whose identity is `key`.
pub fn finding(key: &str, rule: &str, severity: Severity, path: &str, line: u32) -> Finding {
    Finding {
        rule_id: rule.into(),
        scanner: ScannerKind::Secrets,
        severity,
        confidence: Confidence::High,
        title: format!("{rule} found"),
        message: format!("{rule} in {path}"),
        location: Location {
            path: Some(path.into()),
            start_line: line,
            end_line: line,
            ..Location::default()
        },
        cwe: vec!["CWE-798".into()],
        ids: Vec::new(),
        evidence: Evidence {
            snippet: Some("token = \"ghp_ab…(40)\"".into()),
            secret: Some(SecretValue {
                masked: "ghp_ab…(40)".into(),
                sha256: gatehouse_core::secret_sha256(key.as_bytes()),
                length: 40,
                plain: None,
            }),
        },
        remediation: None,
        fix: None,
        fingerprint: Fingerprint::from_parts([rule, path, key]),
        properties: BTreeMap::new(),
    }
}

/// A Gatehouse scan JSON report of the secret scanner, complete unless it has an error.
pub fn scan_json(findings: Vec<Finding>, complete: bool) -> Vec<u8> {
    // The rules that ran say which scanner this is, also when it found nothing.
    let mut rules = BTreeMap::new();
    for id in findings
        .iter()
        .map(|f| f.rule_id.clone())
        .chain(["generic-api-key".to_string()])
    {
        rules.insert(
            id.clone(),
            gatehouse_core::RuleMeta {
                id,
                title: "A secret".into(),
                description: String::new(),
                remediation: String::new(),
                severity: Severity::High,
                confidence: Confidence::High,
                scanner: ScannerKind::Secrets,
                cwe: Vec::new(),
                references: Vec::new(),
                tags: Vec::new(),
            },
        );
    }
    let mut report = ScanReport {
        tool: "gatehouse".into(),
        version: "0.1.0".into(),
        findings,
        rules,
        ..ScanReport::default()
    };
    if !complete {
        report.errors.push(gatehouse_core::ScanError {
            path: Some("vendor/blob.bin".into()),
            message: "permission denied".into(),
        });
    }
    report.sort();
    gatehouse_report::render_to_string(
        &report,
        gatehouse_report::Format::Json,
        &gatehouse_report::RenderOptions::default(),
    )
    .unwrap()
    .into_bytes()
}
