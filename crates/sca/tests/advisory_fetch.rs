//! `db update` downloads against a small HTTP server on 127.0.0.1 started by each test, and
//! against local files: conditional requests, HTTP errors, corrupt and truncated archives,
//! checksums, limits and timeouts. No other network access.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use gatehouse_sca::advisory::fetch::{
    fetch, fetch_all, FetchError, FetchOptions, FetchState, Payload, Source, Validators,
};
use sha2::{Digest, Sha256};

/// A request as the server saw it: path and lower-cased header names.
#[derive(Debug, Clone)]
struct Request {
    path: String,
    headers: HashMap<String, String>,
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// Declare this length instead of the body's (to cut a transfer short).
    content_length: Option<usize>,
    /// Wait this long before answering.
    delay: Duration,
}

impl Response {
    fn new(status: u16, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: body.into(),
            content_length: None,
            delay: Duration::ZERO,
        }
    }

    fn header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.into(), value.into()));
        self
    }
}

type Handler = dyn Fn(&Request) -> Response + Send + Sync;

/// A one-request-per-connection HTTP/1.1 server on a random loopback port.
struct Server {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    fn start(handler: impl Fn(&Request) -> Response + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        let handler: Arc<Handler> = Arc::new(handler);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let seen = Arc::clone(&seen);
                let handler = Arc::clone(&handler);
                std::thread::spawn(move || serve(stream, &*handler, &seen));
            }
        });
        Server { addr, requests }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

fn serve(mut stream: TcpStream, handler: &Handler, seen: &Mutex<Vec<Request>>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let head = String::from_utf8_lossy(&buf);
    let mut lines = head.split("\r\n");
    let path = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .unwrap_or("/")
        .to_string();
    let headers = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let req = Request { path, headers };
    seen.lock().unwrap().push(req.clone());
    let resp = handler(&req);
    std::thread::sleep(resp.delay);
    let mut out = format!(
        "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        resp.status,
        resp.content_length.unwrap_or(resp.body.len())
    );
    for (k, v) in &resp.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    let _ = stream.write_all(out.as_bytes());
    let _ = stream.write_all(&resp.body);
    let _ = stream.flush();
}

fn opts() -> FetchOptions {
    FetchOptions {
        connect_timeout: Duration::from_secs(5),
        read_timeout: Duration::from_secs(5),
        // Loopback only: an HTTP_PROXY in the environment must not capture the test server.
        proxy_from_env: false,
        ..FetchOptions::default()
    }
}

/// A small OSV-style archive: two records, deflated.
fn osv_zip() -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for id in ["GHSA-aaaa-bbbb-cccc", "PYSEC-2024-1"] {
        w.start_file(format!("{id}.json"), o).unwrap();
        let rec = format!(
            r#"{{"id": "{id}", "modified": "2024-01-01T00:00:00Z", "details": "{}"}}"#,
            "x".repeat(2000)
        );
        w.write_all(rec.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn sha256_hex(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Nothing but the given names left in the temporary directory.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

fn failure(state: &FetchState) -> &FetchError {
    match state {
        FetchState::Failed(e) => e,
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[test]
fn etag_then_not_modified() {
    let zip = osv_zip();
    let body = zip.clone();
    let server = Server::start(move |req| {
        if req.path.ends_with(".sha256") {
            return Response::new(404, "no");
        }
        if req.headers.get("if-none-match").map(String::as_str) == Some("\"v1\"") {
            return Response::new(304, "").header("ETag", "\"v1\"");
        }
        Response::new(200, body.clone())
            .header("ETag", "\"v1\"")
            .header("Last-Modified", "Tue, 01 Oct 2024 10:00:00 GMT")
    });
    let tmp = tempfile::tempdir().unwrap();
    let source = Source::new(server.url("/PyPI/all.zip"));

    let first = fetch(&source, &Validators::default(), tmp.path(), &opts());
    let FetchState::Updated { file, payload } = &first.state else {
        panic!("{:?}", first.state)
    };
    assert_eq!(*payload, Payload::Zip { entries: 2 });
    assert_eq!(std::fs::read(file).unwrap(), zip);
    assert!(file.starts_with(tmp.path()));
    assert_eq!(first.bytes, zip.len() as u64);
    assert_eq!(first.sha256.as_deref(), Some(sha256_hex(&zip).as_str()));
    assert_eq!(first.validators.etag.as_deref(), Some("\"v1\""));
    assert_eq!(
        first.validators.last_modified.as_deref(),
        Some("Tue, 01 Oct 2024 10:00:00 GMT")
    );

    let second = fetch(&source, &first.validators, tmp.path(), &opts());
    assert!(
        matches!(second.state, FetchState::Unchanged),
        "{:?}",
        second.state
    );
    assert_eq!(second.bytes, 0);
    assert_eq!(second.validators, first.validators);

    let reqs = server.requests();
    let main: Vec<&Request> = reqs.iter().filter(|r| r.path == "/PyPI/all.zip").collect();
    assert_eq!(main.len(), 2);
    assert!(!main[0].headers.contains_key("if-none-match"));
    assert_eq!(main[1].headers["if-none-match"], "\"v1\"");
    assert_eq!(
        main[1].headers["if-modified-since"],
        "Tue, 01 Oct 2024 10:00:00 GMT"
    );
    assert!(main[0].headers["user-agent"].starts_with("gatehouse/"));

    // The download is deleted with its handle; nothing else was left behind.
    drop(first);
    assert!(
        leftovers(tmp.path()).is_empty(),
        "{:?}",
        leftovers(tmp.path())
    );
}

#[test]
fn http_errors_name_url_and_status() {
    let server = Server::start(|req| match req.path.as_str() {
        "/missing.zip" => Response::new(404, "not found"),
        "/broken.zip" => Response::new(500, "boom"),
        _ => Response::new(204, ""),
    });
    let tmp = tempfile::tempdir().unwrap();
    for (path, status) in [
        ("/missing.zip", 404),
        ("/broken.zip", 500),
        ("/empty.zip", 204),
    ] {
        let url = server.url(path);
        let out = fetch(
            &Source::new(&url),
            &Validators::default(),
            tmp.path(),
            &opts(),
        );
        let err = failure(&out.state);
        assert!(
            matches!(err, FetchError::Status { status: s, .. } if *s == status),
            "{err}"
        );
        let msg = err.to_string();
        assert!(
            msg.contains(&url) && msg.contains(&status.to_string()),
            "{msg}"
        );
        assert!(out.is_failed());
    }
    // Nobody listening.
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let url = format!("http://{closed}/all.zip");
    let out = fetch(
        &Source::new(&url),
        &Validators::default(),
        tmp.path(),
        &opts(),
    );
    let err = failure(&out.state);
    assert!(matches!(err, FetchError::Transport { .. }), "{err}");
    assert!(err.to_string().contains(&url));
    assert!(leftovers(tmp.path()).is_empty());
}

#[test]
fn truncated_and_corrupt_archives_are_rejected() {
    let zip = osv_zip();
    let cut = zip[..zip.len() / 2].to_vec();
    let mut flipped = zip.clone();
    // A byte inside the first entry's deflated data: the CRC check must catch it.
    let data_start = 30 + "GHSA-aaaa-bbbb-cccc.json".len();
    flipped[data_start + 5] ^= 0x55;
    let (z, c, f) = (zip.clone(), cut.clone(), flipped.clone());
    let server = Server::start(move |req| match req.path.as_str() {
        // Declares the whole length, sends half, closes.
        "/short.zip" => Response {
            content_length: Some(z.len()),
            ..Response::new(200, c.clone())
        },
        "/half.zip" => Response::new(200, c.clone()),
        "/flipped.zip" => Response::new(200, f.clone()),
        "/garbage" => Response::new(200, "<html>maintenance</html>"),
        "/bad.json" => Response::new(200, "{\"id\": \"GHSA-1\", "),
        _ => Response::new(404, ""),
    });
    let tmp = tempfile::tempdir().unwrap();
    let get = |path: &str| {
        fetch(
            &Source::new(server.url(path)),
            &Validators::default(),
            tmp.path(),
            &opts(),
        )
    };

    let out = get("/short.zip");
    let err = failure(&out.state);
    assert!(
        matches!(
            err,
            FetchError::Truncated { .. } | FetchError::Transport { .. }
        ),
        "{err}"
    );
    assert_eq!(out.validators, Validators::default());

    let err = get("/half.zip");
    assert!(
        matches!(
            failure(&err.state),
            FetchError::Corrupt {
                kind: "zip archive",
                ..
            }
        ),
        "{:?}",
        err.state
    );

    let out = get("/flipped.zip");
    let err = failure(&out.state);
    assert!(
        matches!(
            err,
            FetchError::Corrupt {
                kind: "zip archive",
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("flipped.zip"));

    assert!(matches!(
        failure(&get("/garbage").state),
        FetchError::Corrupt { .. }
    ));
    assert!(matches!(
        failure(&get("/bad.json").state),
        FetchError::Corrupt {
            kind: "JSON document",
            ..
        }
    ));
    assert!(
        leftovers(tmp.path()).is_empty(),
        "{:?}",
        leftovers(tmp.path())
    );
}

#[test]
fn checksums() {
    let zip = osv_zip();
    let good = sha256_hex(&zip);
    let bad = "0".repeat(64);
    let (body, good2, bad2) = (zip.clone(), good.clone(), bad.clone());
    let server = Server::start(move |req| match req.path.as_str() {
        "/ok/all.zip.sha256" => Response::new(200, format!("{good2}  all.zip\n")),
        "/wrong/all.zip.sha256" => Response::new(200, format!("{bad2}  all.zip\n")),
        "/forbidden/all.zip.sha256" => Response::new(403, ""),
        "/broken/all.zip.sha256" => Response::new(503, ""),
        "/garbled/all.zip.sha256" => Response::new(200, "checksum: tbd"),
        p if p.ends_with(".sha256") => Response::new(404, ""),
        _ => Response::new(200, body.clone()),
    });
    let tmp = tempfile::tempdir().unwrap();
    let get = |path: &str, sha: Option<&str>| {
        let source = Source {
            url: server.url(path),
            sha256: sha.map(str::to_string),
        };
        fetch(&source, &Validators::default(), tmp.path(), &opts())
    };
    // Configured, right (upper case accepted) and wrong.
    let out = get("/none/all.zip", Some(&good.to_ascii_uppercase()));
    assert!(
        matches!(out.state, FetchState::Updated { .. }),
        "{:?}",
        out.state
    );
    let out = get("/none/all.zip", Some(&bad));
    let err = failure(&out.state);
    assert!(
        matches!(err, FetchError::Checksum { from, .. } if from == "configured"),
        "{err}"
    );
    assert!(err.to_string().contains(&bad) && err.to_string().contains(&good));
    // A malformed configured value is a configuration error.
    assert!(matches!(
        failure(&get("/none/all.zip", Some("abc")).state),
        FetchError::BadSource { .. }
    ));
    // Served by the mirror: right, wrong, absent (404, 403), failing, unreadable.
    assert!(matches!(
        get("/ok/all.zip", None).state,
        FetchState::Updated { .. }
    ));
    let out = get("/wrong/all.zip", None);
    let err = failure(&out.state);
    assert!(
        matches!(err, FetchError::Checksum { from, .. } if from.ends_with("/wrong/all.zip.sha256")),
        "{err}"
    );
    assert!(matches!(
        get("/none/all.zip", None).state,
        FetchState::Updated { .. }
    ));
    assert!(matches!(
        get("/forbidden/all.zip", None).state,
        FetchState::Updated { .. }
    ));
    assert!(matches!(
        failure(&get("/broken/all.zip", None).state),
        FetchError::Status { status: 503, .. }
    ));
    assert!(matches!(
        failure(&get("/garbled/all.zip", None).state),
        FetchError::Corrupt { .. }
    ));
    // A configured value wins over the mirror's file.
    assert!(matches!(
        get("/wrong/all.zip", Some(&good)).state,
        FetchState::Updated { .. }
    ));
    // Without checksum files, the mirror's is not asked for.
    let before = server.requests().len();
    let no_files = FetchOptions {
        checksum_files: false,
        ..opts()
    };
    let out = fetch(
        &Source::new(server.url("/wrong/all.zip")),
        &Validators::default(),
        tmp.path(),
        &no_files,
    );
    assert!(matches!(out.state, FetchState::Updated { .. }));
    assert_eq!(server.requests().len(), before + 1);
}

#[test]
fn local_files_and_file_urls() {
    let mirror = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let zip = osv_zip();
    let path = mirror.path().join("all.zip");
    std::fs::write(&path, &zip).unwrap();
    let url = format!("file://{}", path.display());

    let first = fetch(
        &Source::new(&url),
        &Validators::default(),
        tmp.path(),
        &opts(),
    );
    let FetchState::Updated { file, payload } = &first.state else {
        panic!("{:?}", first.state)
    };
    assert_eq!(*payload, Payload::Zip { entries: 2 });
    assert_eq!(std::fs::read(file).unwrap(), zip);
    assert!(first.validators.etag.is_some());
    assert!(first
        .validators
        .last_modified
        .as_deref()
        .unwrap()
        .ends_with(" GMT"));

    // Unchanged file: nothing copied.
    let again = fetch(&Source::new(&url), &first.validators, tmp.path(), &opts());
    assert!(
        matches!(again.state, FetchState::Unchanged),
        "{:?}",
        again.state
    );

    // A plain path, with a checksum file beside it.
    std::fs::write(mirror.path().join("all.zip.sha256"), sha256_hex(&zip)).unwrap();
    let plain = Source::new(path.display().to_string());
    assert!(matches!(
        fetch(&plain, &Validators::default(), tmp.path(), &opts()).state,
        FetchState::Updated { .. }
    ));
    std::fs::write(mirror.path().join("all.zip.sha256"), "0".repeat(64)).unwrap();
    let out = fetch(&plain, &Validators::default(), tmp.path(), &opts());
    assert!(matches!(failure(&out.state), FetchError::Checksum { .. }));

    // A single JSON record.
    let json = mirror.path().join("GHSA-aaaa-bbbb-cccc.json");
    std::fs::write(
        &json,
        r#"{"id": "GHSA-aaaa-bbbb-cccc", "modified": "2024-01-01T00:00:00Z"}"#,
    )
    .unwrap();
    let json_out = fetch(
        &Source::new(json.display().to_string()),
        &Validators::default(),
        tmp.path(),
        &opts(),
    );
    assert!(
        matches!(
            json_out.state,
            FetchState::Updated {
                payload: Payload::Json,
                ..
            }
        ),
        "{:?}",
        json_out.state
    );

    // Missing files and directories fail, naming the source.
    let missing = format!("file://{}/nope.zip", mirror.path().display());
    let out = fetch(
        &Source::new(&missing),
        &Validators::default(),
        tmp.path(),
        &opts(),
    );
    assert!(failure(&out.state).to_string().contains("nope.zip"));
    let dir = Source::new(mirror.path().display().to_string());
    assert!(fetch(&dir, &Validators::default(), tmp.path(), &opts()).is_failed());
    assert!(fetch(
        &Source::new("ftp://x/all.zip"),
        &Validators::default(),
        tmp.path(),
        &opts()
    )
    .is_failed());

    drop((first, again, json_out));
    assert!(
        leftovers(tmp.path()).is_empty(),
        "{:?}",
        leftovers(tmp.path())
    );
}

#[test]
fn limits_and_timeouts() {
    let zip = osv_zip();
    let body = zip.clone();
    let server = Server::start(move |req| match req.path.as_str() {
        p if p.ends_with(".sha256") => Response::new(404, ""),
        "/slow.zip" => Response {
            delay: Duration::from_secs(3),
            ..Response::new(200, body.clone())
        },
        _ => Response::new(200, body.clone()),
    });
    let tmp = tempfile::tempdir().unwrap();
    let small = FetchOptions {
        max_bytes: 100,
        ..opts()
    };
    let out = fetch(
        &Source::new(server.url("/all.zip")),
        &Validators::default(),
        tmp.path(),
        &small,
    );
    assert!(matches!(
        failure(&out.state),
        FetchError::TooLarge { limit: 100, .. }
    ));

    let bomb = FetchOptions {
        max_unpacked_bytes: 1000,
        ..opts()
    };
    let out = fetch(
        &Source::new(server.url("/all.zip")),
        &Validators::default(),
        tmp.path(),
        &bomb,
    );
    let err = failure(&out.state);
    assert!(err.to_string().contains("unpacks to more than"), "{err}");

    let impatient = FetchOptions {
        read_timeout: Duration::from_millis(300),
        ..opts()
    };
    let started = std::time::Instant::now();
    let out = fetch(
        &Source::new(server.url("/slow.zip")),
        &Validators::default(),
        tmp.path(),
        &impatient,
    );
    assert!(
        matches!(failure(&out.state), FetchError::Transport { .. }),
        "{:?}",
        out.state
    );
    assert!(started.elapsed() < Duration::from_secs(3));

    // Local files obey the size limit too.
    let big = tmp.path().join("big.zip");
    std::fs::write(&big, &zip).unwrap();
    let out = fetch(
        &Source::new(big.display().to_string()),
        &Validators::default(),
        tmp.path(),
        &small,
    );
    assert!(matches!(failure(&out.state), FetchError::TooLarge { .. }));
    std::fs::remove_file(&big).unwrap();
    assert!(
        leftovers(tmp.path()).is_empty(),
        "{:?}",
        leftovers(tmp.path())
    );
}

#[test]
fn several_sources_fail_independently() {
    let zip = osv_zip();
    let body = zip.clone();
    let server = Server::start(move |req| match req.path.as_str() {
        "/good/all.zip" => Response::new(200, body.clone()).header("ETag", "\"g\""),
        _ => Response::new(404, ""),
    });
    let tmp = tempfile::tempdir().unwrap();
    let sources = [
        Source::new(server.url("/good/all.zip")),
        Source::new(server.url("/gone/all.zip")),
    ];
    let previous = [
        Validators::default(),
        Validators {
            etag: Some("\"old\"".into()),
            last_modified: None,
        },
    ];
    let out = fetch_all(&sources, &previous, tmp.path(), &opts());
    assert_eq!(out.len(), 2);
    assert!(matches!(out[0].state, FetchState::Updated { .. }));
    assert_eq!(out[0].validators.etag.as_deref(), Some("\"g\""));
    assert!(out[1].is_failed());
    // A failed source keeps its previous validators.
    assert_eq!(out[1].validators, previous[1]);
    assert_eq!(out[1].url, sources[1].url);
}
