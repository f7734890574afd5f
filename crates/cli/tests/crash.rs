//! Crash safety of ingest: `gatehouse serve` is killed with SIGKILL while it ingests a large
//! upload. After a restart every acknowledged upload is complete and the interrupted one left
//! nothing behind (no upload, scan, finding, ticket or audit event), the audit chain verifies,
//! and the same report uploads completely. On SQLite, and on PostgreSQL when
//! `GATEHOUSE_TEST_DATABASE_URL` is set.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::gatehouse;
use serde_json::Value;

/// Findings in each large report: enough that ingest takes a good fraction of a second.
const LARGE: usize = 20_000;

struct Server {
    child: Child,
    url: String,
    addr: String,
}

impl Server {
    fn start(data: &Path, db: &Option<String>) -> Server {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("gatehouse"));
        cmd.arg("--data-dir")
            .arg(data)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env_remove("GATEHOUSE_DATABASE_URL")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if let Some(url) = db {
            cmd.args(["--database-url", url]);
        }
        let mut child = cmd.spawn().unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let url = loop {
            let line = rx
                .recv_timeout(Duration::from_secs(60))
                .expect("the server did not say where it listens");
            if let Some(u) = line.split("listening on ").nth(1) {
                break u.trim().to_string();
            }
        };
        let addr = url.trim_start_matches("http://").to_string();
        Server { child, url, addr }
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

    fn kill(mut self) {
        Command::new("kill")
            .args(["-KILL", &self.child.id().to_string()])
            .status()
            .unwrap();
        let status = self.child.wait().unwrap();
        assert!(!status.success(), "{status:?}");
    }

    fn stop(mut self) {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        self.child.wait().unwrap();
    }
}

/// A SARIF 2.1.0 report of `n` findings of one tool, whose identities depend on `tag`.
fn sarif(tag: &str, n: usize) -> Vec<u8> {
    let mut results = String::with_capacity(n * 330);
    for i in 0..n {
        if i > 0 {
            results.push(',');
        }
        let level = ["error", "warning", "note"][i % 3];
        results.push_str(&format!(
            r#"{{"ruleId":"rule-{r}","level":"{level}","message":{{"text":"Finding {i} of {tag}: tainted data reaches a sink"}},"locations":[{{"physicalLocation":{{"artifactLocation":{{"uri":"src/{tag}/module{m}.py"}},"region":{{"startLine":{line}}}}}}}],"partialFingerprints":{{"primaryLocationLineHash":"{tag}-{i}"}}}}"#,
            r = i % 40,
            m = i / 50,
            line = i % 50 + 1,
        ));
    }
    format!(
        r#"{{"version":"2.1.0","$schema":"https://json.schemastore.org/sarif-2.1.0.json","runs":[{{"tool":{{"driver":{{"name":"crashtool","version":"1.0"}}}},"invocations":[{{"executionSuccessful":true}}],"results":[{results}]}}]}}"#
    )
    .into_bytes()
}

/// Writes the whole upload on a raw connection and returns it without reading the answer.
fn send_upload(s: &Server, token: &str, project: &str, body: &[u8]) -> std::net::TcpStream {
    let mut conn = std::net::TcpStream::connect(&s.addr).unwrap();
    let head = format!(
        "POST /api/v1/projects/{project}/scans?format=sarif HTTP/1.1\r\nHost: {}\r\n\
         Authorization: Bearer {token}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        s.addr,
        body.len()
    );
    conn.write_all(head.as_bytes()).unwrap();
    conn.write_all(body).unwrap();
    conn.flush().unwrap();
    conn
}

/// Reads the whole answer of a raw connection: its status and JSON body.
fn read_answer(mut conn: std::net::TcpStream) -> std::io::Result<(u16, Vec<u8>)> {
    let mut bytes = Vec::new();
    conn.read_to_end(&mut bytes)?;
    let text = String::from_utf8_lossy(&bytes);
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok((status, bytes))
}

fn admin_token(data: &Path, db: &Option<String>) -> String {
    let mut c = gatehouse();
    c.arg("--data-dir")
        .arg(data)
        .env_remove("GATEHOUSE_DATABASE_URL");
    c.args([
        "admin",
        "create-token",
        "--name",
        "ci",
        "--role",
        "administrator",
    ]);
    if let Some(url) = db {
        c.args(["--database-url", url]);
    }
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn audit_verify(data: &Path, db: &Option<String>) -> (i32, String) {
    let mut c = gatehouse();
    c.arg("--data-dir")
        .arg(data)
        .env_remove("GATEHOUSE_DATABASE_URL");
    c.args(["audit", "verify"]);
    if let Some(url) = db {
        c.args(["--database-url", url]);
    }
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

/// Row counts of what a project's uploads leave behind, read from the database directly.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
struct Rows {
    uploads: i64,
    scans: i64,
    findings: i64,
    tickets: i64,
}

struct Db {
    rt: tokio::runtime::Runtime,
    url: String,
}

impl Db {
    fn pool(&self) -> sqlx::AnyPool {
        self.rt.block_on(async {
            sqlx::any::install_default_drivers();
            sqlx::pool::PoolOptions::<sqlx::Any>::new()
                .max_connections(1)
                .connect(&self.url)
                .await
                .unwrap()
        })
    }

    fn count(&self, sql: &str, project: Option<&str>) -> i64 {
        let pool = self.pool();
        let n = self.rt.block_on(async {
            let q = sqlx::query_scalar::<_, i64>(sql);
            let q = match project {
                Some(p) => q.bind(p.to_string()),
                None => q,
            };
            q.fetch_one(&pool).await.unwrap()
        });
        self.rt.block_on(pool.close());
        n
    }

    fn rows(&self, project: &str) -> Rows {
        let of = |table: &str| {
            self.count(
                &format!(
                    "SELECT COUNT(*) FROM {table} x JOIN projects p ON p.id = x.project_id \
                     WHERE p.name = $1"
                ),
                Some(project),
            )
        };
        Rows {
            uploads: of("uploads"),
            scans: of("scans"),
            findings: of("findings"),
            tickets: of("tickets"),
        }
    }

    fn audit_events(&self) -> i64 {
        self.count("SELECT COUNT(*) FROM audit_events", None)
    }

    /// A connection that tells whether another connection is inside a write transaction.
    fn probe(&self) -> Probe {
        let postgres = self.url.starts_with("postgres");
        let conn = self.rt.block_on(async {
            use sqlx::Connection as _;
            sqlx::any::install_default_drivers();
            let mut c = sqlx::AnyConnection::connect(&self.url).await.unwrap();
            if !postgres {
                sqlx::query("PRAGMA busy_timeout = 0")
                    .execute(&mut c)
                    .await
                    .unwrap();
            }
            c
        });
        Probe { conn, postgres }
    }
}

struct Probe {
    conn: sqlx::AnyConnection,
    postgres: bool,
}

impl Probe {
    /// Whether the server is in the middle of a write transaction: on PostgreSQL a backend of
    /// the database with a transaction id (it has written); on SQLite the write lock is taken
    /// (`BEGIN IMMEDIATE` fails at once).
    fn writing(&mut self, rt: &tokio::runtime::Runtime) -> bool {
        rt.block_on(async {
            if self.postgres {
                sqlx::query_scalar::<_, i64>(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() \
                     AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL",
                )
                .fetch_one(&mut self.conn)
                .await
                .unwrap()
                    > 0
            } else {
                match sqlx::query("BEGIN IMMEDIATE").execute(&mut self.conn).await {
                    Ok(_) => {
                        sqlx::query("ROLLBACK")
                            .execute(&mut self.conn)
                            .await
                            .unwrap();
                        false
                    }
                    Err(e) => {
                        assert!(e.to_string().contains("locked"), "{e}");
                        true
                    }
                }
            }
        })
    }
}

/// A fresh database: a file in `data` for SQLite, a new database on the PostgreSQL server.
fn database(data: &Path, postgres: Option<&str>) -> (Option<String>, Db) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    match postgres {
        None => {
            let url = gatehouse_server::sqlite_url(&data.join("gatehouse.db"));
            (None, Db { rt, url })
        }
        Some(admin) => {
            let name = format!("gatehouse_crash_{}", std::process::id());
            rt.block_on(async {
                sqlx::any::install_default_drivers();
                let pool = sqlx::AnyPool::connect(admin).await.unwrap();
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&pool)
                    .await
                    .unwrap();
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&pool)
                    .await
                    .unwrap();
                pool.close().await;
            });
            let (base, query) = match admin.split_once('?') {
                Some((b, q)) => (b, format!("?{q}")),
                None => (admin, String::new()),
            };
            let base = &base[..base.rfind('/').unwrap()];
            let url = format!("{base}/{name}{query}");
            (Some(url.clone()), Db { rt, url })
        }
    }
}

fn sigkill_in_the_middle_of_ingest(postgres: Option<&str>) {
    let data = tempfile::tempdir().unwrap();
    let (db_url, db) = database(data.path(), postgres);
    let token = admin_token(data.path(), &db_url);
    let server = Server::start(data.path(), &db_url);
    for p in ["steady", "big", "interrupted"] {
        let (st, e) = server.call(
            "POST",
            "/api/v1/projects",
            &token,
            Some(format!(r#"{{"name": "{p}"}}"#).as_bytes()),
        );
        assert_eq!(st, 201, "{e}");
    }

    // Acknowledged uploads: three small ones, then a large one whose ingest time is measured.
    let mut acknowledged: Vec<(i64, i64)> = Vec::new(); // (scan id, findings total)
    for i in 0..3 {
        let (st, up) = server.call(
            "POST",
            "/api/v1/projects/steady/scans?format=sarif",
            &token,
            Some(&sarif(&format!("steady{i}"), 10 + i)),
        );
        assert_eq!(st, 201, "{up}");
        acknowledged.push((up["id"][0].as_i64().unwrap(), 10 + i as i64));
    }
    let big = sarif("big", LARGE);
    let conn = send_upload(&server, &token, "big", &big);
    let sent = Instant::now();
    let (st, answer) = read_answer(conn).unwrap();
    let ingest = sent.elapsed();
    let text = String::from_utf8_lossy(&answer);
    assert_eq!(st, 201, "{text}");
    let up: Value = serde_json::from_str(&text[text.find("\r\n\r\n").unwrap() + 4..]).unwrap();
    acknowledged.push((up["id"][0].as_i64().unwrap(), LARGE as i64));
    eprintln!(
        "ingest of {LARGE} findings ({} bytes) took {ingest:?} after the body was sent",
        big.len()
    );
    let steady = db.rows("steady");
    let big_rows = db.rows("big");
    assert_eq!(big_rows.findings, LARGE as i64);
    let events = db.audit_events();

    // The interrupted upload: the whole body is sent, the server is seen inside the upload's
    // write transaction, and is killed there, before it can answer.
    let interrupted = sarif("interrupted", LARGE);
    let mut probe = db.probe();
    let conn = send_upload(&server, &token, "interrupted", &interrupted);
    let sent = Instant::now();
    conn.set_nonblocking(true).unwrap();
    loop {
        if probe.writing(&db.rt) {
            break;
        }
        let mut byte = [0u8; 1];
        assert!(
            conn.peek(&mut byte).is_err(),
            "the upload was answered before its transaction was seen"
        );
        assert!(
            sent.elapsed() < ingest * 5 + Duration::from_secs(10),
            "the upload's transaction was never seen"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    let killed_after = sent.elapsed();
    server.kill();
    conn.set_nonblocking(false).unwrap();
    eprintln!("killed {killed_after:?} after the body was sent, inside the upload's transaction");
    drop(probe);
    let answered = read_answer(conn);
    // An error is a connection reset by the dying server: no answer either.
    if let Ok((status, bytes)) = &answered {
        assert!(
            bytes.is_empty(),
            "the upload was answered ({status}) before the kill: the kill did not land \
             mid-ingest"
        );
    }

    // After a restart: the acknowledged uploads are all there, the interrupted one left nothing.
    let server = Server::start(data.path(), &db_url);
    assert_eq!(db.rows("steady"), steady);
    assert_eq!(db.rows("big"), big_rows);
    assert_eq!(
        db.rows("interrupted"),
        Rows {
            uploads: 0,
            scans: 0,
            findings: 0,
            tickets: 0
        }
    );
    assert_eq!(
        db.audit_events(),
        events,
        "no audit event of the interrupted upload"
    );
    for (id, total) in &acknowledged {
        let (st, scan) = server.call("GET", &format!("/api/v1/scans/{id}"), &token, None);
        assert_eq!(st, 200, "{scan}");
        assert_eq!(scan["complete"], true);
        assert_eq!(scan["findings"]["total"], *total, "{scan}");
        assert_eq!(scan["findings"]["new"], *total, "{scan}");
    }
    let (_, f) = server.call("GET", "/api/v1/projects/interrupted/findings", &token, None);
    assert_eq!(f["items"], serde_json::json!([]), "{f}");
    let (_, t) = server.call("GET", "/api/v1/tickets?project=interrupted", &token, None);
    assert_eq!(t["items"], serde_json::json!([]), "{t}");
    let (_, f) = server.call("GET", "/api/v1/projects/big/findings?limit=1", &token, None);
    assert!(f["next_cursor"].is_string(), "{f}");
    let (code, out) = audit_verify(data.path(), &db_url);
    assert_eq!(code, 0, "{out}");

    // The same report again is ingested completely.
    let conn = send_upload(&server, &token, "interrupted", &interrupted);
    let (st, answer) = read_answer(conn).unwrap();
    assert_eq!(st, 201, "{}", String::from_utf8_lossy(&answer));
    let rows = db.rows("interrupted");
    assert_eq!(
        (rows.uploads, rows.scans, rows.findings),
        (1, 1, LARGE as i64)
    );
    assert_eq!(rows.tickets, big_rows.tickets);
    let (code, out) = audit_verify(data.path(), &db_url);
    assert_eq!(code, 0, "{out}");
    server.stop();
    if let (Some(admin), Some(url)) = (postgres, &db_url) {
        let name = url.rsplit('/').next().unwrap().split('?').next().unwrap();
        db.rt.block_on(async {
            let pool = sqlx::AnyPool::connect(admin).await.unwrap();
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&pool)
                .await;
            pool.close().await;
        });
    }
}

#[test]
fn sigkill_during_ingest_leaves_nothing_behind_on_sqlite() {
    sigkill_in_the_middle_of_ingest(None);
}

#[test]
fn sigkill_during_ingest_leaves_nothing_behind_on_postgres() {
    match std::env::var("GATEHOUSE_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
    {
        Some(url) => sigkill_in_the_middle_of_ingest(Some(&url)),
        None => eprintln!("GATEHOUSE_TEST_DATABASE_URL is not set: PostgreSQL not tested"),
    }
}
