//! Downloads for `gatehouse db update`: each source (an OSV `all.zip`, a single OSV JSON file,
//! over HTTP(S), `file://` or a plain path on a share) is fetched into a temporary file beside
//! the database and verified before the caller imports it; the store then swaps the database
//! in one step. Nothing here touches the database, so a failed download leaves it as it was,
//! and the temporary file of a failure is already gone.
//!
//! HTTP requests are conditional: the caller passes the `ETag` and `Last-Modified` of the last
//! successful download ([`Validators`]) and a `304 Not Modified` is reported as
//! [`FetchState::Unchanged`]. For files, a validator made from size and modification time plays
//! the `ETag`'s part.
//!
//! Verification: the size limit while downloading; the SHA-256 of [`Source::sha256`] when
//! configured, else of a `<url>.sha256` file when the mirror serves one (a 403, 404 or 410 for
//! it means there is none; any other failure fails the source); then the content: a zip
//! archive must open and every entry must read to its end, which checks each entry's CRC-32
//! (with a limit on the unpacked size against zip bombs); anything else must be one well-formed
//! JSON document.

use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

/// One configured source.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Source {
    /// `https://…`, `http://…`, `file://…` or a plain path.
    pub url: String,
    /// The expected SHA-256 of the download, hex. Takes the place of a `<url>.sha256` file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

impl Source {
    pub fn new(url: impl Into<String>) -> Source {
        Source {
            url: url.into(),
            sha256: None,
        }
    }
}

/// What the last successful download of a source returned, for a conditional request.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Validators {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

/// Limits and client settings.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Time to establish a connection.
    pub connect_timeout: Duration,
    /// Longest wait for the next bytes (a stalled transfer fails after this).
    pub read_timeout: Duration,
    /// Limit on a whole request, when set.
    pub total_timeout: Option<Duration>,
    /// Largest download accepted, in bytes.
    pub max_bytes: u64,
    /// Largest total unpacked size of a zip archive's entries, in bytes.
    pub max_unpacked_bytes: u64,
    /// Whether to honour `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY`.
    pub proxy_from_env: bool,
    /// Whether to look for a `<url>.sha256` file when the source has no configured SHA-256.
    pub checksum_files: bool,
    pub user_agent: String,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            connect_timeout: Duration::from_secs(30),
            read_timeout: Duration::from_secs(120),
            total_timeout: None,
            // OSV's largest per-ecosystem archives are a few hundred MiB.
            max_bytes: 2 << 30,
            max_unpacked_bytes: 16 << 30,
            proxy_from_env: true,
            checksum_files: true,
            user_agent: concat!("gatehouse/", env!("CARGO_PKG_VERSION")).to_string(),
        }
    }
}

/// What a verified download holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payload {
    /// A zip archive (an OSV `all.zip`); `entries` counts its files and directories.
    Zip { entries: usize },
    /// One JSON document (a single OSV record, or an array of them).
    Json,
}

/// The outcome of one source.
#[derive(Debug)]
pub enum FetchState {
    /// Downloaded and verified. The file is deleted when `file` is dropped; import it first.
    Updated {
        file: tempfile::TempPath,
        payload: Payload,
    },
    /// The server answered `304 Not Modified` (or the file's size and time did not change).
    Unchanged,
    Failed(FetchError),
}

/// One source's result.
#[derive(Debug)]
pub struct FetchOutcome {
    pub url: String,
    pub state: FetchState,
    /// The validators to store for the next update: the new ones when the source sent any,
    /// else the previous ones (unchanged or failed sources keep theirs).
    pub validators: Validators,
    /// Bytes downloaded (0 when unchanged).
    pub bytes: u64,
    /// SHA-256 of the download, hex, when there was one.
    pub sha256: Option<String>,
}

impl FetchOutcome {
    pub fn is_failed(&self) -> bool {
        matches!(self.state, FetchState::Failed(_))
    }
}

/// Why a source could not be downloaded or did not verify. Every message names the URL.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{url}: HTTP {status} {reason}")]
    Status {
        url: String,
        status: u16,
        reason: String,
    },
    #[error("{url}: {message}")]
    Transport { url: String, message: String },
    #[error("{url}: larger than the limit of {limit} bytes")]
    TooLarge { url: String, limit: u64 },
    #[error("{url}: download truncated: {got} of {expected} bytes")]
    Truncated {
        url: String,
        expected: u64,
        got: u64,
    },
    #[error("{url}: not a valid {kind}: {message}")]
    Corrupt {
        url: String,
        kind: &'static str,
        message: String,
    },
    #[error("{url}: SHA-256 mismatch: expected {expected} ({from}), got {actual}")]
    Checksum {
        url: String,
        expected: String,
        actual: String,
        /// Where the expected value came from: the configuration or a checksum file's URL.
        from: String,
    },
    #[error("{url}: {message}")]
    Io { url: String, message: String },
    #[error("{url}: {message}")]
    BadSource { url: String, message: String },
}

/// Fetches every source in order (see [`fetch`]); `previous[i]` belongs to `sources[i]`
/// (missing entries mean no previous download).
pub fn fetch_all(
    sources: &[Source],
    previous: &[Validators],
    temp_dir: &Path,
    opts: &FetchOptions,
) -> Vec<FetchOutcome> {
    let agent = agent(opts);
    sources
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let prev = previous.get(i).cloned().unwrap_or_default();
            fetch_with(&agent, s, &prev, temp_dir, opts)
        })
        .collect()
}

/// Fetches one source into a temporary file in `temp_dir` (a directory on the same file system
/// as the database, such as its parent, so the store can move or read it without copying).
pub fn fetch(
    source: &Source,
    previous: &Validators,
    temp_dir: &Path,
    opts: &FetchOptions,
) -> FetchOutcome {
    fetch_with(&agent(opts), source, previous, temp_dir, opts)
}

fn agent(opts: &FetchOptions) -> ureq::Agent {
    let mut b = ureq::AgentBuilder::new()
        .timeout_connect(opts.connect_timeout)
        .timeout_read(opts.read_timeout)
        .timeout_write(opts.read_timeout)
        .user_agent(&opts.user_agent)
        .try_proxy_from_env(opts.proxy_from_env);
    if let Some(t) = opts.total_timeout {
        b = b.timeout(t);
    }
    b.build()
}

/// Where a source lives.
enum Location {
    Http(String),
    File(PathBuf),
}

fn locate(url: &str) -> Result<Location, String> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return Ok(Location::Http(url.to_string()));
    }
    if lower.starts_with("file://") {
        let rest = &url[7..];
        // `file:///p` and `file://localhost/p`; other hosts are not local files.
        let path = match rest.strip_prefix("localhost") {
            Some(p) if p.starts_with('/') => p,
            _ if rest.starts_with('/') => rest,
            _ => return Err("file:// URLs must name a local path (file:///…)".into()),
        };
        let path = percent_decode(path)?;
        // `file:///C:/x` on Windows.
        let path = if cfg!(windows) && path.len() > 2 && path.as_bytes()[2] == b':' {
            path[1..].to_string()
        } else {
            path
        };
        return Ok(Location::File(PathBuf::from(path)));
    }
    if url.contains("://") {
        return Err("unsupported URL scheme (use https://, http://, file:// or a path)".into());
    }
    if url.trim().is_empty() {
        return Err("empty source".into());
    }
    Ok(Location::File(PathBuf::from(url)))
}

fn percent_decode(s: &str) -> Result<String, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("bad percent escape in {s:?}"))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("{s:?} does not decode to UTF-8"))
}

fn fetch_with(
    agent: &ureq::Agent,
    source: &Source,
    previous: &Validators,
    temp_dir: &Path,
    opts: &FetchOptions,
) -> FetchOutcome {
    let url = source.url.trim().to_string();
    let mut outcome = FetchOutcome {
        url: url.clone(),
        state: FetchState::Unchanged,
        validators: previous.clone(),
        bytes: 0,
        sha256: None,
    };
    let result = match locate(&url) {
        Err(message) => Err(FetchError::BadSource {
            url: url.clone(),
            message,
        }),
        Ok(Location::Http(u)) => {
            fetch_http(agent, &u, source, previous, temp_dir, opts, &mut outcome)
        }
        Ok(Location::File(p)) => {
            fetch_file(&p, &url, source, previous, temp_dir, opts, &mut outcome)
        }
    };
    outcome.state = match result {
        Ok(state) => state,
        Err(e) => FetchState::Failed(e),
    };
    outcome
}

/// A download in progress: the temporary file and what was learned while writing it.
struct Downloaded {
    file: tempfile::NamedTempFile,
    bytes: u64,
    sha256: String,
}

#[allow(clippy::too_many_arguments)]
fn fetch_http(
    agent: &ureq::Agent,
    url: &str,
    source: &Source,
    previous: &Validators,
    temp_dir: &Path,
    opts: &FetchOptions,
    outcome: &mut FetchOutcome,
) -> Result<FetchState, FetchError> {
    let mut req = agent.get(url);
    if let Some(etag) = previous.etag.as_deref().filter(|e| !e.is_empty()) {
        req = req.set("If-None-Match", etag);
    }
    if let Some(lm) = previous.last_modified.as_deref().filter(|l| !l.is_empty()) {
        req = req.set("If-Modified-Since", lm);
    }
    let resp = match req.call() {
        Ok(r) => r,
        Err(ureq::Error::Status(status, r)) => {
            return Err(FetchError::Status {
                url: url.to_string(),
                status,
                reason: r.status_text().to_string(),
            })
        }
        Err(ureq::Error::Transport(t)) => {
            return Err(FetchError::Transport {
                url: url.to_string(),
                message: t.to_string(),
            })
        }
    };
    let header = |name: &str| {
        resp.header(name)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let new_validators = Validators {
        etag: header("ETag"),
        last_modified: header("Last-Modified"),
    };
    if resp.status() == 304 {
        if new_validators.etag.is_some() || new_validators.last_modified.is_some() {
            outcome.validators = merge_validators(previous, new_validators);
        }
        return Ok(FetchState::Unchanged);
    }
    if resp.status() != 200 {
        return Err(FetchError::Status {
            url: url.to_string(),
            status: resp.status(),
            reason: format!("{} (expected 200)", resp.status_text()),
        });
    }
    let declared: Option<u64> = header("Content-Length").and_then(|l| l.parse().ok());
    // A decoded (gzip) body has another length than the one declared.
    let encoded = header("Content-Encoding").is_some_and(|e| !e.eq_ignore_ascii_case("identity"));
    if declared.is_some_and(|n| n > opts.max_bytes) {
        return Err(FetchError::TooLarge {
            url: url.to_string(),
            limit: opts.max_bytes,
        });
    }
    let mut reader = resp.into_reader();
    let d = download(&mut reader, url, temp_dir, opts.max_bytes, |e, got| {
        FetchError::Transport {
            url: url.to_string(),
            message: format!("download failed after {got} bytes: {e}"),
        }
    })?;
    if let (Some(expected), false) = (declared, encoded) {
        if d.bytes != expected {
            return Err(FetchError::Truncated {
                url: url.to_string(),
                expected,
                got: d.bytes,
            });
        }
    }
    outcome.bytes = d.bytes;
    outcome.sha256 = Some(d.sha256.clone());
    let expected = match configured_sha256(source)? {
        Some(hex) => Some((hex, "configured".to_string())),
        None if opts.checksum_files => checksum_file_http(agent, url)?,
        None => None,
    };
    let state = finish(d, url, expected, opts)?;
    outcome.validators = new_validators;
    Ok(state)
}

fn merge_validators(previous: &Validators, new: Validators) -> Validators {
    Validators {
        etag: new.etag.or_else(|| previous.etag.clone()),
        last_modified: new.last_modified.or_else(|| previous.last_modified.clone()),
    }
}

#[allow(clippy::too_many_arguments)]
fn fetch_file(
    path: &Path,
    url: &str,
    source: &Source,
    previous: &Validators,
    temp_dir: &Path,
    opts: &FetchOptions,
    outcome: &mut FetchOutcome,
) -> Result<FetchState, FetchError> {
    let io_err = |what: &str, e: io::Error| FetchError::Io {
        url: url.to_string(),
        message: format!("{what} {}: {e}", path.display()),
    };
    let meta = std::fs::metadata(path).map_err(|e| io_err("cannot read", e))?;
    if !meta.is_file() {
        return Err(FetchError::Io {
            url: url.to_string(),
            message: format!("{} is not a file", path.display()),
        });
    }
    let mtime = meta.modified().ok();
    let since_epoch = mtime.and_then(|t| t.duration_since(UNIX_EPOCH).ok());
    let validators = Validators {
        etag: since_epoch.map(|d| {
            format!(
                "\"{:x}-{:x}.{:x}\"",
                meta.len(),
                d.as_secs(),
                d.subsec_nanos()
            )
        }),
        last_modified: mtime.map(http_date),
    };
    let same = match (&previous.etag, &validators.etag) {
        (Some(a), Some(b)) => a == b,
        (None, _) => {
            previous.last_modified.is_some() && previous.last_modified == validators.last_modified
        }
        _ => false,
    };
    if same {
        return Ok(FetchState::Unchanged);
    }
    if meta.len() > opts.max_bytes {
        return Err(FetchError::TooLarge {
            url: url.to_string(),
            limit: opts.max_bytes,
        });
    }
    let mut f = File::open(path).map_err(|e| io_err("cannot open", e))?;
    let d = download(&mut f, url, temp_dir, opts.max_bytes, |e, _| {
        FetchError::Io {
            url: url.to_string(),
            message: format!("cannot read {}: {e}", path.display()),
        }
    })?;
    outcome.bytes = d.bytes;
    outcome.sha256 = Some(d.sha256.clone());
    let expected = match configured_sha256(source)? {
        Some(hex) => Some((hex, "configured".to_string())),
        None if opts.checksum_files => checksum_file_local(path, url)?,
        None => None,
    };
    let state = finish(d, url, expected, opts)?;
    outcome.validators = validators;
    Ok(state)
}

/// Copies `reader` into a new temporary file in `temp_dir`, hashing and counting, stopping
/// past `max` bytes.
fn download(
    reader: &mut dyn Read,
    url: &str,
    temp_dir: &Path,
    max: u64,
    read_error: impl Fn(io::Error, u64) -> FetchError,
) -> Result<Downloaded, FetchError> {
    let io_err = |e: io::Error| FetchError::Io {
        url: url.to_string(),
        message: format!(
            "cannot write a temporary file in {}: {e}",
            temp_dir.display()
        ),
    };
    let mut file = tempfile::Builder::new()
        .prefix(".gatehouse-download-")
        .tempfile_in(temp_dir)
        .map_err(io_err)?;
    let mut hasher = Sha256::new();
    let mut bytes: u64 = 0;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(read_error(e, bytes)),
        };
        bytes += n as u64;
        if bytes > max {
            return Err(FetchError::TooLarge {
                url: url.to_string(),
                limit: max,
            });
        }
        hasher.update(&buf[..n]);
        file.write_all(&buf[..n]).map_err(io_err)?;
    }
    file.flush().map_err(io_err)?;
    Ok(Downloaded {
        file,
        bytes,
        sha256: hex(&hasher.finalize()),
    })
}

/// Checks the checksum, then the content; hands the file over when both pass.
fn finish(
    d: Downloaded,
    url: &str,
    expected: Option<(String, String)>,
    opts: &FetchOptions,
) -> Result<FetchState, FetchError> {
    if let Some((hex, from)) = expected {
        if !hex.eq_ignore_ascii_case(&d.sha256) {
            return Err(FetchError::Checksum {
                url: url.to_string(),
                expected: hex.to_ascii_lowercase(),
                actual: d.sha256,
                from,
            });
        }
    }
    let payload = verify(d.file.path(), url, opts)?;
    Ok(FetchState::Updated {
        file: d.file.into_temp_path(),
        payload,
    })
}

fn configured_sha256(source: &Source) -> Result<Option<String>, FetchError> {
    match source
        .sha256
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => Ok(None),
        Some(s) if is_sha256(s) => Ok(Some(s.to_ascii_lowercase())),
        Some(s) => Err(FetchError::BadSource {
            url: source.url.clone(),
            message: format!("configured sha256 {s:?} is not 64 hexadecimal digits"),
        }),
    }
}

fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The SHA-256 in a checksum file: `<hex>`, `<hex>  <name>` or `SHA256 (<name>) = <hex>`.
fn parse_checksum_file(text: &str) -> Option<String> {
    text.split(|c: char| c.is_whitespace() || c == '=')
        .find(|t| is_sha256(t))
        .map(str::to_ascii_lowercase)
}

/// `<url>.sha256` (before any query string), when the mirror serves one.
fn checksum_file_http(
    agent: &ureq::Agent,
    url: &str,
) -> Result<Option<(String, String)>, FetchError> {
    let sum_url = match url.split_once('?') {
        Some((path, query)) => format!("{path}.sha256?{query}"),
        None => format!("{url}.sha256"),
    };
    let resp = match agent.get(&sum_url).call() {
        Ok(r) => r,
        Err(ureq::Error::Status(403 | 404 | 410, _)) => return Ok(None),
        Err(ureq::Error::Status(status, r)) => {
            return Err(FetchError::Status {
                url: sum_url,
                status,
                reason: r.status_text().to_string(),
            })
        }
        Err(ureq::Error::Transport(t)) => {
            return Err(FetchError::Transport {
                url: sum_url,
                message: t.to_string(),
            })
        }
    };
    let mut raw = Vec::new();
    resp.into_reader()
        .take(4096)
        .read_to_end(&mut raw)
        .map_err(|e| FetchError::Transport {
            url: sum_url.clone(),
            message: format!("cannot read checksum file: {e}"),
        })?;
    let text = String::from_utf8_lossy(&raw);
    match parse_checksum_file(&text) {
        Some(hex) => Ok(Some((hex, sum_url))),
        None => Err(FetchError::Corrupt {
            url: sum_url,
            kind: "SHA-256 checksum file",
            message: "no 64-digit hexadecimal digest in it".into(),
        }),
    }
}

fn checksum_file_local(path: &Path, url: &str) -> Result<Option<(String, String)>, FetchError> {
    let mut name = path.as_os_str().to_owned();
    name.push(".sha256");
    let sum_path = PathBuf::from(name);
    let text = match std::fs::read(&sum_path) {
        Ok(b) => String::from_utf8_lossy(&b[..b.len().min(4096)]).into_owned(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(FetchError::Io {
                url: url.to_string(),
                message: format!("cannot read {}: {e}", sum_path.display()),
            })
        }
    };
    let from = sum_path.display().to_string();
    match parse_checksum_file(&text) {
        Some(hex) => Ok(Some((hex, from))),
        None => Err(FetchError::Corrupt {
            url: from,
            kind: "SHA-256 checksum file",
            message: "no 64-digit hexadecimal digest in it".into(),
        }),
    }
}

/// Checks that the file is a readable zip archive (every entry read through, which checks its
/// CRC-32) or one well-formed JSON document.
fn verify(path: &Path, url: &str, opts: &FetchOptions) -> Result<Payload, FetchError> {
    let corrupt = |kind: &'static str, message: String| FetchError::Corrupt {
        url: url.to_string(),
        kind,
        message,
    };
    let io_err = |e: io::Error| FetchError::Io {
        url: url.to_string(),
        message: format!("cannot read back {}: {e}", path.display()),
    };
    let mut head = [0u8; 512];
    let n = {
        let mut f = File::open(path).map_err(io_err)?;
        read_up_to(&mut f, &mut head).map_err(io_err)?
    };
    let head = &head[..n];
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        let f = File::open(path).map_err(io_err)?;
        let mut zip = zip::ZipArchive::new(BufReader::new(f))
            .map_err(|e| corrupt("zip archive", e.to_string()))?;
        let mut unpacked: u64 = 0;
        let mut buf = vec![0u8; 64 * 1024];
        for i in 0..zip.len() {
            let mut entry = zip
                .by_index(i)
                .map_err(|e| corrupt("zip archive", format!("entry {i}: {e}")))?;
            let name = entry.name().to_string();
            loop {
                let n = match entry.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(corrupt("zip archive", format!("{name}: {e}"))),
                };
                unpacked += n as u64;
                if unpacked > opts.max_unpacked_bytes {
                    return Err(corrupt(
                        "zip archive",
                        format!(
                            "unpacks to more than the limit of {} bytes",
                            opts.max_unpacked_bytes
                        ),
                    ));
                }
            }
        }
        return Ok(Payload::Zip { entries: zip.len() });
    }
    let first = head
        .iter()
        .copied()
        .skip_while(|b| b.is_ascii_whitespace())
        .find(|_| true);
    let bom = head.starts_with(b"\xef\xbb\xbf");
    if matches!(first, Some(b'{' | b'[')) || bom {
        let mut f = BufReader::new(File::open(path).map_err(io_err)?);
        if bom {
            let mut skip = [0u8; 3];
            f.read_exact(&mut skip).map_err(io_err)?;
        }
        serde_json::from_reader::<_, serde::de::IgnoredAny>(f)
            .map_err(|e| corrupt("JSON document", e.to_string()))?;
        return Ok(Payload::Json);
    }
    Err(corrupt(
        "advisory download",
        "neither a zip archive nor JSON".into(),
    ))
}

fn read_up_to(r: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// An HTTP date (RFC 9110 IMF-fixdate): `Sun, 06 Nov 1994 08:49:37 GMT`.
fn http_date(t: SystemTime) -> String {
    let secs = t
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        WEEKDAYS[days.rem_euclid(7) as usize],
        d,
        MONTHS[(m - 1).clamp(0, 11) as usize],
        y,
        sod / 3600,
        sod % 3600 / 60,
        sod % 60
    )
}

impl fmt::Display for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Payload::Zip { entries } => write!(f, "zip archive ({entries} entries)"),
            Payload::Json => f.write_str("JSON document"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates() {
        assert_eq!(http_date(UNIX_EPOCH), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(
            http_date(UNIX_EPOCH + Duration::from_secs(784_111_777)),
            "Sun, 06 Nov 1994 08:49:37 GMT"
        );
        assert_eq!(
            http_date(UNIX_EPOCH + Duration::from_secs(951_782_400)),
            "Tue, 29 Feb 2000 00:00:00 GMT"
        );
    }

    #[test]
    fn source_locations() {
        assert!(matches!(locate("https://x/all.zip"), Ok(Location::Http(_))));
        assert!(matches!(locate("HTTP://x/all.zip"), Ok(Location::Http(_))));
        match locate("file:///srv/osv/all%20x.zip") {
            Ok(Location::File(p)) => assert_eq!(p, PathBuf::from("/srv/osv/all x.zip")),
            _ => panic!("file URL"),
        }
        match locate("file://localhost/srv/a.zip") {
            Ok(Location::File(p)) => assert_eq!(p, PathBuf::from("/srv/a.zip")),
            _ => panic!("file URL with localhost"),
        }
        assert!(locate("file://server/share/a.zip").is_err());
        assert!(locate("ftp://x/a.zip").is_err());
        assert!(locate("file:///bad%zz").is_err());
        assert!(matches!(locate("mirror/all.zip"), Ok(Location::File(_))));
        assert!(locate(" ").is_err());
    }

    #[test]
    fn checksum_files() {
        let h = "a".repeat(64);
        assert_eq!(parse_checksum_file(&h), Some(h.clone()));
        assert_eq!(
            parse_checksum_file(&format!("{h}  all.zip\n")),
            Some(h.clone())
        );
        assert_eq!(
            parse_checksum_file(&format!("SHA256 (all.zip) = {h}")),
            Some(h.clone())
        );
        assert_eq!(parse_checksum_file(&"A".repeat(64)), Some(h));
        assert_eq!(parse_checksum_file("not a digest"), None);
    }
}
