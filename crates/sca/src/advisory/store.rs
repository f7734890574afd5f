//! The local advisory database: one indexed file, `<data_dir>/advisories/advisories.db`.
//!
//! Opening memory-maps the file and checks its header, section bounds and a SHA-256 over the
//! small sections (metadata, keys, package index, id index, document table); nothing else is
//! read. A package lookup binary-searches the sorted package index (keys are
//! `<OSV ecosystem>\0<normalised name>`) and decodes that package's blob: per advisory only
//! what matching needs (id, `modified`, aliases, withdrawn, informational, and the package's
//! affected entries: versions, ranges, RustSec requirements), borrowed from the map without
//! copying. The full OSV record of a hit is a separate JSON document, parsed only on demand.
//! Blobs and documents carry their own CRC-32, checked when read.
//!
//! Every source's records are kept (documents are tagged with their source); the package and
//! id indexes point at one record per id, the one with the newest `modified`. Re-importing a
//! source replaces its documents and rebuilds the indexes.
//!
//! **Writes are atomic:** the new file is written next to the old one under a temporary name,
//! fsynced and renamed over it (then the directory is fsynced), so a reader sees the old or the
//! new database and an interrupted import leaves the old one in place. A lock file
//! (`advisories.lock`, holding the writer's pid) keeps two writers apart; one left by a writer
//! that died is reported as such and removed by hand.
//!
//! Layout (little-endian):
//!
//! ```text
//! header (192 bytes): magic "GHADVDB\0", format u32, section count u32, file length u64,
//!                     7 × (offset u64, length u64), SHA-256 of header[..136] + sections 0-4
//! 0 META    JSON Metadata
//! 1 KEYS    package keys and advisory ids, concatenated
//! 2 INDEX   per package, sorted by key: key offset u32, key length u32, blob offset u64,
//!           blob length u32, blob CRC-32 u32
//! 3 IDS     per indexed advisory, sorted by id: id offset u32, id length u32, document u32, 0 u32
//! 4 DOCS    per document: offset u64, length u32, CRC-32 u32, source u32, flags u32 (1 = indexed)
//! 5 BLOBS   package blobs (see `encode_blob`)
//! 6 JSON    documents: compact OSV JSON
//! ```

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use memmap2::Mmap;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::matcher::{AffectedRef, Candidate, RangeKind, RangeRef, RequirementsRef, Strs};
use super::osv::{Advisory, EventKind, Notice};
use crate::Ecosystem;

/// The database file's name inside the advisories directory.
pub const DB_FILE: &str = "advisories.db";
const LOCK_FILE: &str = "advisories.lock";
const TEMP_PREFIX: &str = ".advisories.db.";
const MAGIC: &[u8; 8] = b"GHADVDB\0";
/// Bumped whenever the layout changes; older files are refused with a clear error.
pub const FORMAT_VERSION: u32 = 1;
const HEADER_LEN: usize = 192;
const SECTIONS: usize = 7;
const CHECKSUM_AT: usize = 24 + SECTIONS * 16;
const S_META: usize = 0;
const S_KEYS: usize = 1;
const S_INDEX: usize = 2;
const S_IDS: usize = 3;
const S_DOCS: usize = 4;
const S_BLOBS: usize = 5;
const S_JSON: usize = 6;
const INDEX_ENTRY: usize = 24;
const ID_ENTRY: usize = 16;
const DOC_ENTRY: usize = 24;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("no advisory database at {} (run `gatehouse db import` or `gatehouse db update`)", path.display())]
    Missing { path: PathBuf },
    #[error("advisory database {} is corrupt ({reason}); import the sources again to rebuild it", path.display())]
    Corrupt { path: PathBuf, reason: String },
    #[error("advisory database {} has format version {found}, this build reads {expected}; import the sources again to rebuild it", path.display())]
    Version {
        path: PathBuf,
        found: u32,
        expected: u32,
    },
    #[error("advisory database {} is locked by another writer ({holder}); if no import is running, remove {}", dir.display(), dir.join(LOCK_FILE).display())]
    Locked { dir: PathBuf, holder: String },
    #[error("advisory database {}: {message}", path.display())]
    Build { path: PathBuf, message: String },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What the database knows about itself and its sources.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Metadata {
    pub format_version: u32,
    /// When this file was written (RFC 3339).
    pub built_at: String,
    /// Indexed advisories (one per id), withdrawn ones included.
    pub advisories: usize,
    pub withdrawn: usize,
    /// Distinct (ecosystem, package) keys in the package index.
    pub packages: usize,
    /// Indexed advisories per OSV ecosystem (base names; ecosystems Gatehouse does not scan,
    /// such as `Linux`, are counted but not indexed).
    pub ecosystems: BTreeMap<String, usize>,
    pub sources: Vec<SourceInfo>,
}

/// One imported source: a local path (canonical) or a URL.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SourceInfo {
    pub location: String,
    /// The formats it was read as (`osv-json`, `osv-yaml`, `osv-zip`, `rustsec`, a converter's
    /// name), comma-separated.
    pub kind: String,
    /// When it was first imported (RFC 3339).
    pub imported_at: String,
    /// When its records were last replaced (RFC 3339).
    pub updated_at: String,
    /// Its records, including those another source's newer copy shadows.
    pub advisories: usize,
    pub withdrawn: usize,
    pub ecosystems: BTreeMap<String, usize>,
    /// The newest `modified` among its records.
    pub newest_modified: Option<String>,
    /// Files that could not be imported on the last import.
    pub errors: usize,
    /// HTTP validators of the last download, for conditional requests.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl SourceInfo {
    /// Seconds since the last update, when `updated_at` parses.
    pub fn age_seconds(&self, now: jiff::Timestamp) -> Option<i64> {
        let t: jiff::Timestamp = self.updated_at.parse().ok()?;
        Some(now.as_second() - t.as_second())
    }
}

impl Metadata {
    pub fn source(&self, location: &str) -> Option<&SourceInfo> {
        self.sources.iter().find(|s| s.location == location)
    }

    /// Whether any indexed advisory names a package of this ecosystem.
    pub fn has_ecosystem(&self, ecosystem: Ecosystem) -> bool {
        self.ecosystems
            .get(ecosystem.as_str())
            .is_some_and(|&n| n > 0)
    }
}

/// A source's new contents, for [`Store::replace_sources`].
#[derive(Debug, Clone, Default)]
pub struct SourceUpdate {
    /// Canonical path or URL: the source's identity.
    pub location: String,
    pub kind: String,
    pub advisories: Vec<Advisory>,
    pub errors: usize,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// The advisories directory, for writing (and opening) the database.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
    fail_before_commit: bool,
}

impl Store {
    /// The store under `<data_dir>/advisories/`.
    pub fn new(data_dir: &Path) -> Store {
        Store::at(data_dir.join("advisories"))
    }

    /// The store in exactly this directory.
    pub fn at(dir: impl Into<PathBuf>) -> Store {
        Store {
            dir: dir.into(),
            fail_before_commit: false,
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn db_path(&self) -> PathBuf {
        self.dir.join(DB_FILE)
    }

    /// Makes the next writes fail after the new file is fully written and synced, just before
    /// it replaces the old one: for testing that a failed write leaves the old database.
    #[doc(hidden)]
    pub fn fail_before_commit(mut self, yes: bool) -> Store {
        self.fail_before_commit = yes;
        self
    }

    /// Opens the database for reading.
    pub fn open(&self) -> Result<Database, StoreError> {
        Database::open(&self.db_path())
    }

    /// Whether a database file exists.
    pub fn exists(&self) -> bool {
        self.db_path().is_file()
    }

    /// Replaces each named source's records with the given ones (adding sources not seen
    /// before) and rewrites the database atomically. Returns the new metadata.
    pub fn replace_sources(&self, updates: Vec<SourceUpdate>) -> Result<Metadata, StoreError> {
        let _lock = self.lock()?;
        let now = now_rfc3339();
        let old = match Database::open(&self.db_path()) {
            Ok(db) => Some(db),
            Err(StoreError::Missing { .. }) => None,
            Err(e) => return Err(e),
        };
        let replaced: BTreeSet<&str> = updates.iter().map(|u| u.location.as_str()).collect();
        let mut sources: Vec<SourceInfo> = Vec::new();
        let mut docs: Vec<(usize, Advisory)> = Vec::new();
        if let Some(db) = &old {
            let old_sources = &db.metadata().sources;
            for s in old_sources {
                if !replaced.contains(s.location.as_str()) {
                    sources.push(s.clone());
                }
            }
            for i in 0..db.doc_count() {
                let (source, advisory) = db.doc(i)?;
                let Some(loc) = old_sources.get(source as usize).map(|s| &s.location) else {
                    return Err(db.corrupt(format!("document {i} names source {source}")));
                };
                if replaced.contains(loc.as_str()) {
                    continue;
                }
                let idx = sources.iter().position(|s| &s.location == loc).unwrap_or(0);
                docs.push((idx, advisory));
            }
        }
        for u in updates {
            let previous = old
                .as_ref()
                .and_then(|db| db.metadata().source(&u.location).cloned());
            let idx = sources.len();
            sources.push(SourceInfo {
                location: u.location,
                kind: u.kind,
                imported_at: previous
                    .as_ref()
                    .map_or_else(|| now.clone(), |p| p.imported_at.clone()),
                updated_at: now.clone(),
                errors: u.errors,
                etag: u.etag,
                last_modified: u.last_modified,
                ..SourceInfo::default()
            });
            docs.extend(dedupe(u.advisories).into_iter().map(|a| (idx, a)));
        }
        drop(old);
        let (bytes, meta) = build(sources, docs, now).map_err(|message| StoreError::Build {
            path: self.db_path(),
            message,
        })?;
        self.commit(&bytes)?;
        Ok(meta)
    }

    /// Removes a source's records. Returns whether it was there.
    pub fn remove_source(&self, location: &str) -> Result<bool, StoreError> {
        let _lock = self.lock()?;
        let db = match Database::open(&self.db_path()) {
            Ok(db) => db,
            Err(StoreError::Missing { .. }) => return Ok(false),
            Err(e) => return Err(e),
        };
        let Some(gone) = db
            .metadata()
            .sources
            .iter()
            .position(|s| s.location == location)
        else {
            return Ok(false);
        };
        let mut sources = db.metadata().sources.clone();
        sources.remove(gone);
        let mut docs = Vec::new();
        for i in 0..db.doc_count() {
            let (source, advisory) = db.doc(i)?;
            let source = source as usize;
            if source > sources.len() {
                return Err(db.corrupt(format!("document {i} names source {source}")));
            }
            match source.cmp(&gone) {
                Ordering::Less => docs.push((source, advisory)),
                Ordering::Greater => docs.push((source - 1, advisory)),
                Ordering::Equal => {}
            }
        }
        drop(db);
        let (bytes, _) =
            build(sources, docs, now_rfc3339()).map_err(|message| StoreError::Build {
                path: self.db_path(),
                message,
            })?;
        self.commit(&bytes)?;
        Ok(true)
    }

    fn lock(&self) -> Result<WriteLock, StoreError> {
        fs::create_dir_all(&self.dir).map_err(io_err(&self.dir))?;
        let path = self.dir.join(LOCK_FILE);
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut f) => {
                let _ = writeln!(f, "{} {}", std::process::id(), now_rfc3339());
                let lock = WriteLock { path };
                self.remove_stale_temp_files();
                Ok(lock)
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                // Never taken over automatically: two writers could both decide a lock is
                // stale and both proceed. The message says whether its process still runs.
                let text = fs::read_to_string(&path).unwrap_or_default();
                let mut words = text.split_whitespace();
                let holder = match words.next().and_then(|p| p.parse::<u32>().ok()) {
                    Some(pid) => format!(
                        "process {pid}{}, since {}",
                        if process_alive(pid) {
                            ""
                        } else {
                            " (no longer running)"
                        },
                        words.next().unwrap_or("?")
                    ),
                    None => "unknown process".to_string(),
                };
                Err(StoreError::Locked {
                    dir: self.dir.clone(),
                    holder,
                })
            }
            Err(e) => Err(io_err(&path)(e)),
        }
    }

    /// Temporary files of writers that were killed mid-write; only called under the lock.
    fn remove_stale_temp_files(&self) {
        if let Ok(entries) = fs::read_dir(&self.dir) {
            for e in entries.flatten() {
                if e.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
                    let _ = fs::remove_file(e.path());
                }
            }
        }
    }

    fn commit(&self, bytes: &[u8]) -> Result<(), StoreError> {
        let target = self.db_path();
        let mut tmp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .suffix(".tmp")
            .tempfile_in(&self.dir)
            .map_err(io_err(&self.dir))?;
        tmp.write_all(bytes).map_err(io_err(tmp.path()))?;
        tmp.as_file().sync_all().map_err(io_err(tmp.path()))?;
        if self.fail_before_commit {
            // The temporary file is removed when `tmp` drops, as after any failed write.
            return Err(StoreError::Io {
                path: target,
                source: io::Error::other("simulated failure before commit"),
            });
        }
        tmp.persist(&target).map_err(|e| io_err(&target)(e.error))?;
        // The rename is durable only once the directory entry is.
        if let Ok(dir) = File::open(&self.dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

struct WriteLock {
    path: PathBuf,
}

impl Drop for WriteLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

#[cfg(target_os = "linux")]
fn process_alive(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

/// Unknown elsewhere: reported as running.
#[cfg(not(target_os = "linux"))]
fn process_alive(_pid: u32) -> bool {
    true
}

fn now_rfc3339() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// Orders two `modified` timestamps: by time when both are RFC 3339, else as text.
pub(crate) fn cmp_modified(a: &str, b: &str) -> Ordering {
    match (a.parse::<jiff::Timestamp>(), b.parse::<jiff::Timestamp>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        (Ok(_), Err(_)) => Ordering::Greater,
        (Err(_), Ok(_)) => Ordering::Less,
        (Err(_), Err(_)) => a.cmp(b),
    }
}

/// One record per id within a source: the newest `modified`.
pub(crate) fn dedupe(advisories: Vec<Advisory>) -> Vec<Advisory> {
    let mut by_id: HashMap<String, Advisory> = HashMap::with_capacity(advisories.len());
    for a in advisories {
        match by_id.get(&a.id) {
            Some(old) if cmp_modified(&old.modified, &a.modified) != Ordering::Less => {}
            _ => {
                by_id.insert(a.id.clone(), a);
            }
        }
    }
    let mut out: Vec<Advisory> = by_id.into_values().collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

fn has_requirements(a: &Advisory) -> bool {
    a.affected.iter().any(|x| x.requirements().is_some())
}

/// The package key: `<ecosystem>\0<normalised name>`.
fn package_key(ecosystem: Ecosystem, name: &str) -> Vec<u8> {
    let mut k = ecosystem.as_str().as_bytes().to_vec();
    k.push(0);
    k.extend_from_slice(ecosystem.normalize_name(name).as_bytes());
    k
}

/// Writes the whole database file into memory.
fn build(
    mut sources: Vec<SourceInfo>,
    mut docs: Vec<(usize, Advisory)>,
    built_at: String,
) -> Result<(Vec<u8>, Metadata), String> {
    docs.sort_by(|a, b| {
        a.1.id
            .cmp(&b.1.id)
            .then_with(|| sources[a.0].location.cmp(&sources[b.0].location))
    });
    // The indexed record per id: newest `modified`; on a tie the one with RustSec's exact
    // requirements; then the first source by location (docs are sorted that way).
    let mut winner: Vec<bool> = vec![false; docs.len()];
    let mut i = 0;
    while i < docs.len() {
        let mut j = i + 1;
        while j < docs.len() && docs[j].1.id == docs[i].1.id {
            j += 1;
        }
        let best = (i..j)
            .reduce(|best, k| {
                let (a, b) = (&docs[best].1, &docs[k].1);
                let by = cmp_modified(&b.modified, &a.modified)
                    .then_with(|| has_requirements(b).cmp(&has_requirements(a)));
                if by == Ordering::Greater {
                    k
                } else {
                    best
                }
            })
            .unwrap_or(i);
        winner[best] = true;
        i = j;
    }

    // Per-source statistics cover all their records.
    for s in sources.iter_mut() {
        s.advisories = 0;
        s.withdrawn = 0;
        s.ecosystems.clear();
        s.newest_modified = None;
    }
    for (src, a) in &docs {
        let s = &mut sources[*src];
        s.advisories += 1;
        s.withdrawn += usize::from(a.is_withdrawn());
        for e in a.ecosystem_names() {
            *s.ecosystems.entry(e.to_string()).or_default() += 1;
        }
        if !a.modified.is_empty()
            && s.newest_modified
                .as_deref()
                .is_none_or(|n| cmp_modified(&a.modified, n) == Ordering::Greater)
        {
            s.newest_modified = Some(a.modified.clone());
        }
    }

    let mut meta = Metadata {
        format_version: FORMAT_VERSION,
        built_at,
        ..Metadata::default()
    };
    // Package key → (document, affected entries of that package).
    let mut packages: BTreeMap<Vec<u8>, Vec<(u32, Vec<usize>)>> = BTreeMap::new();
    for (d, (_, a)) in docs.iter().enumerate() {
        if !winner[d] {
            continue;
        }
        meta.advisories += 1;
        meta.withdrawn += usize::from(a.is_withdrawn());
        for e in a.ecosystem_names() {
            *meta.ecosystems.entry(e.to_string()).or_default() += 1;
        }
        for (k, aff) in a.affected.iter().enumerate() {
            let Some(p) = &aff.package else { continue };
            let Some(eco) = Ecosystem::from_osv(&p.ecosystem) else {
                continue;
            };
            if p.name.trim().is_empty() {
                continue;
            }
            let list = packages.entry(package_key(eco, &p.name)).or_default();
            match list.last_mut() {
                Some((doc, entries)) if *doc == d as u32 => entries.push(k),
                _ => list.push((d as u32, vec![k])),
            }
        }
    }
    meta.packages = packages.len();
    meta.sources = sources;

    let mut keys: Vec<u8> = Vec::new();
    let mut index: Vec<u8> = Vec::with_capacity(packages.len() * INDEX_ENTRY);
    let mut blobs: Vec<u8> = Vec::new();
    for (key, records) in &packages {
        let blob = encode_blob(records, &docs);
        put_u32(&mut index, to_u32(keys.len())?);
        put_u32(&mut index, to_u32(key.len())?);
        put_u64(&mut index, blobs.len() as u64);
        put_u32(&mut index, to_u32(blob.len())?);
        put_u32(&mut index, crc32fast::hash(&blob));
        keys.extend_from_slice(key);
        blobs.extend_from_slice(&blob);
    }
    let mut ids: Vec<(usize, &str)> = docs
        .iter()
        .enumerate()
        .filter(|(d, _)| winner[*d])
        .map(|(d, (_, a))| (d, a.id.as_str()))
        .collect();
    ids.sort_by(|a, b| a.1.cmp(b.1));
    let mut id_index: Vec<u8> = Vec::with_capacity(ids.len() * ID_ENTRY);
    for (d, id) in ids {
        put_u32(&mut id_index, to_u32(keys.len())?);
        put_u32(&mut id_index, to_u32(id.len())?);
        put_u32(&mut id_index, to_u32(d)?);
        put_u32(&mut id_index, 0);
        keys.extend_from_slice(id.as_bytes());
    }
    let mut doc_table: Vec<u8> = Vec::with_capacity(docs.len() * DOC_ENTRY);
    let mut json: Vec<u8> = Vec::new();
    for (d, (src, a)) in docs.iter().enumerate() {
        let text = serde_json::to_vec(a).map_err(|e| format!("cannot encode {}: {e}", a.id))?;
        put_u64(&mut doc_table, json.len() as u64);
        put_u32(&mut doc_table, to_u32(text.len())?);
        put_u32(&mut doc_table, crc32fast::hash(&text));
        put_u32(&mut doc_table, to_u32(*src)?);
        put_u32(&mut doc_table, u32::from(winner[d]));
        json.extend_from_slice(&text);
    }
    let meta_json = serde_json::to_vec(&meta).map_err(|e| e.to_string())?;

    let sections: [&[u8]; SECTIONS] = [
        &meta_json, &keys, &index, &id_index, &doc_table, &blobs, &json,
    ];
    let total = HEADER_LEN + sections.iter().map(|s| s.len()).sum::<usize>();
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(MAGIC);
    put_u32(&mut out, FORMAT_VERSION);
    put_u32(&mut out, SECTIONS as u32);
    put_u64(&mut out, total as u64);
    let mut off = HEADER_LEN as u64;
    for s in &sections {
        put_u64(&mut out, off);
        put_u64(&mut out, s.len() as u64);
        off += s.len() as u64;
    }
    let mut h = Sha256::new();
    h.update(&out[..CHECKSUM_AT]);
    for s in &sections[..=S_DOCS] {
        h.update(s);
    }
    out.extend_from_slice(&h.finalize());
    out.resize(HEADER_LEN, 0);
    for s in &sections {
        out.extend_from_slice(s);
    }
    Ok((out, meta))
}

fn to_u32(n: usize) -> Result<u32, String> {
    u32::try_from(n).map_err(|_| "database section larger than 4 GiB".to_string())
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_u64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u32(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

fn put_strs<'a>(out: &mut Vec<u8>, list: impl ExactSizeIterator<Item = &'a str>) {
    put_u32(out, list.len() as u32);
    for s in list {
        put_str(out, s);
    }
}

/// A packed string list: `u32` count, the lengths (`u32` each), `u32` total length, the
/// strings concatenated. Decoding it is two slices and one UTF-8 check.
fn put_packed(out: &mut Vec<u8>, list: Strs<'_>) {
    put_u32(out, list.len() as u32);
    let mut total = 0usize;
    for s in list.iter() {
        put_u32(out, s.len() as u32);
        total += s.len();
    }
    put_u32(out, total as u32);
    for s in list.iter() {
        out.extend_from_slice(s.as_bytes());
    }
}

const FLAG_WITHDRAWN: u8 = 1;
const FLAG_INFORMATIONAL: u8 = 2;

fn range_code(kind: RangeKind) -> u8 {
    match kind {
        RangeKind::Semver => 0,
        RangeKind::Ecosystem => 1,
        RangeKind::Git => 2,
        RangeKind::Other => 3,
    }
}

fn event_code(kind: EventKind) -> u8 {
    match kind {
        EventKind::Introduced => 0,
        EventKind::Fixed => 1,
        EventKind::LastAffected => 2,
        EventKind::Limit => 3,
    }
}

/// A package blob: `u32` record count, then per record: document `u32`, flags `u8`, id,
/// modified, [informational], aliases, `u32` entry count, then per affected entry: `u8` has
/// requirements, [patched, unaffected], versions (packed, see `put_packed`), `u32` range
/// count, per range: kind `u8`, `u32` event count, per event: kind `u8`, version. Strings are
/// `u32` length + UTF-8; string lists are `u32` count + strings.
fn encode_blob(records: &[(u32, Vec<usize>)], docs: &[(usize, Advisory)]) -> Vec<u8> {
    let mut out = Vec::new();
    put_u32(&mut out, records.len() as u32);
    let mut records: Vec<&(u32, Vec<usize>)> = records.iter().collect();
    records.sort_by(|a, b| docs[a.0 as usize].1.id.cmp(&docs[b.0 as usize].1.id));
    for (doc, entries) in records {
        let a = &docs[*doc as usize].1;
        let informational = a.informational();
        put_u32(&mut out, *doc);
        let mut flags = 0;
        if a.is_withdrawn() {
            flags |= FLAG_WITHDRAWN;
        }
        if informational.is_some() {
            flags |= FLAG_INFORMATIONAL;
        }
        out.push(flags);
        put_str(&mut out, &a.id);
        put_str(&mut out, &a.modified);
        if let Some(i) = informational {
            put_str(&mut out, i);
        }
        put_strs(&mut out, a.aliases.iter().map(String::as_str));
        put_u32(&mut out, entries.len() as u32);
        for &k in entries {
            let r = AffectedRef::from_affected(&a.affected[k]);
            match &r.requirements {
                Some(req) => {
                    out.push(1);
                    put_strs(&mut out, req.patched.iter().copied());
                    put_strs(&mut out, req.unaffected.iter().copied());
                }
                None => out.push(0),
            }
            put_packed(&mut out, r.versions);
            put_u32(&mut out, r.ranges.len() as u32);
            for range in &r.ranges {
                out.push(range_code(range.kind));
                put_u32(&mut out, range.events.len() as u32);
                for (kind, v) in &range.events {
                    out.push(event_code(*kind));
                    put_str(&mut out, v);
                }
            }
        }
    }
    out
}

/// A bounds-checked reader over a blob; `None` on any overrun or bad value.
struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let s = self.buf.get(self.pos..end)?;
        self.pos = end;
        Some(s)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    /// A count, refused when it could not possibly fit in what is left (each item takes at
    /// least `min` bytes), so corrupt counts cannot trigger huge allocations.
    fn count(&mut self, min: usize) -> Option<usize> {
        let n = self.u32()? as usize;
        (n.checked_mul(min)? <= self.buf.len() - self.pos).then_some(n)
    }
    fn str(&mut self) -> Option<&'a str> {
        let n = self.u32()? as usize;
        std::str::from_utf8(self.take(n)?).ok()
    }
    fn strs(&mut self) -> Option<Vec<&'a str>> {
        let n = self.count(4)?;
        (0..n).map(|_| self.str()).collect()
    }
    fn packed(&mut self) -> Option<Strs<'a>> {
        let n = self.count(4)?;
        let lens = self.take(n * 4)?;
        let total = self.u32()? as usize;
        let sum: usize = lens
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]) as usize)
            .sum();
        if sum != total {
            return None;
        }
        let text = std::str::from_utf8(self.take(total)?).ok()?;
        Some(Strs::Packed { text, lens })
    }
}

fn decode_blob(buf: &[u8]) -> Option<Vec<Hit<'_>>> {
    let mut r = Reader { buf, pos: 0 };
    let n = r.count(4)?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let doc = r.u32()?;
        let flags = r.u8()?;
        let id = r.str()?;
        let modified = r.str()?;
        let informational = if flags & FLAG_INFORMATIONAL != 0 {
            Some(r.str()?)
        } else {
            None
        };
        let aliases = r.strs()?;
        let entries = r.count(1)?;
        let mut affected = Vec::with_capacity(entries);
        for _ in 0..entries {
            let requirements = match r.u8()? {
                0 => None,
                1 => Some(RequirementsRef {
                    patched: r.strs()?,
                    unaffected: r.strs()?,
                }),
                _ => return None,
            };
            let versions = r.packed()?;
            let n_ranges = r.count(5)?;
            let mut ranges = Vec::with_capacity(n_ranges);
            for _ in 0..n_ranges {
                let kind = match r.u8()? {
                    0 => RangeKind::Semver,
                    1 => RangeKind::Ecosystem,
                    2 => RangeKind::Git,
                    3 => RangeKind::Other,
                    _ => return None,
                };
                let n_events = r.count(5)?;
                let mut events = Vec::with_capacity(n_events);
                for _ in 0..n_events {
                    let kind = match r.u8()? {
                        0 => EventKind::Introduced,
                        1 => EventKind::Fixed,
                        2 => EventKind::LastAffected,
                        3 => EventKind::Limit,
                        _ => return None,
                    };
                    events.push((kind, r.str()?));
                }
                ranges.push(RangeRef { kind, events });
            }
            affected.push(AffectedRef {
                versions,
                ranges,
                requirements,
            });
        }
        out.push(Hit {
            candidate: Candidate {
                id,
                modified,
                aliases,
                withdrawn: flags & FLAG_WITHDRAWN != 0,
                informational,
                affected,
            },
            doc,
        });
    }
    (r.pos == buf.len()).then_some(out)
}

/// One advisory found for a package: what matching needs, and a handle on the full record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit<'db> {
    pub candidate: Candidate<'db>,
    doc: u32,
}

impl Hit<'_> {
    /// The record's position in the database: hits of one record (from the lookups of several
    /// packages) share it.
    pub fn doc_id(&self) -> u32 {
        self.doc
    }
}

/// The opened database (read-only, memory-mapped).
pub struct Database {
    path: PathBuf,
    map: Mmap,
    sections: [(usize, usize); SECTIONS],
    meta: Metadata,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database")
            .field("path", &self.path)
            .field("bytes", &self.map.len())
            .finish_non_exhaustive()
    }
}

fn le_u32(b: &[u8], at: usize) -> u32 {
    let mut x = [0; 4];
    x.copy_from_slice(&b[at..at + 4]);
    u32::from_le_bytes(x)
}

fn le_u64(b: &[u8], at: usize) -> u64 {
    let mut x = [0; 8];
    x.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(x)
}

impl Database {
    /// Opens and validates a database file (header, section bounds, checksum of the index
    /// sections); blobs and documents are checked when read.
    pub fn open(path: &Path) -> Result<Database, StoreError> {
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(StoreError::Missing {
                    path: path.to_path_buf(),
                })
            }
            Err(e) => return Err(io_err(path)(e)),
        };
        // SAFETY: the file is only ever replaced by rename, never modified in place, so the
        // mapped bytes cannot change under us; every read below is bounds-checked.
        let map = unsafe { Mmap::map(&file) }.map_err(io_err(path))?;
        let corrupt = |reason: String| StoreError::Corrupt {
            path: path.to_path_buf(),
            reason,
        };
        let b: &[u8] = &map;
        if b.len() < HEADER_LEN {
            if b.len() >= 8 && &b[..8] != MAGIC {
                return Err(corrupt("not a Gatehouse advisory database".into()));
            }
            return Err(corrupt(format!(
                "truncated: {} bytes, header needs {HEADER_LEN}",
                b.len()
            )));
        }
        if &b[..8] != MAGIC {
            return Err(corrupt("not a Gatehouse advisory database".into()));
        }
        let version = le_u32(b, 8);
        if version != FORMAT_VERSION {
            return Err(StoreError::Version {
                path: path.to_path_buf(),
                found: version,
                expected: FORMAT_VERSION,
            });
        }
        if le_u32(b, 12) as usize != SECTIONS {
            return Err(corrupt("unexpected section count".into()));
        }
        let len = le_u64(b, 16);
        if len != b.len() as u64 {
            return Err(corrupt(format!(
                "{} bytes on disk, header says {len}{}",
                b.len(),
                if len > b.len() as u64 {
                    " (truncated)"
                } else {
                    ""
                }
            )));
        }
        let mut sections = [(0usize, 0usize); SECTIONS];
        let mut expected = HEADER_LEN as u64;
        for (i, s) in sections.iter_mut().enumerate() {
            let off = le_u64(b, 24 + i * 16);
            let n = le_u64(b, 32 + i * 16);
            if off != expected || off.checked_add(n).is_none_or(|end| end > len) {
                return Err(corrupt(format!("section {i} out of bounds")));
            }
            expected = off + n;
            *s = (off as usize, n as usize);
        }
        if expected != len {
            return Err(corrupt("sections do not cover the file".into()));
        }
        let mut h = Sha256::new();
        h.update(&b[..CHECKSUM_AT]);
        h.update(&b[sections[S_META].0..sections[S_DOCS].0 + sections[S_DOCS].1]);
        if h.finalize().as_slice() != &b[CHECKSUM_AT..CHECKSUM_AT + 32] {
            return Err(corrupt("header checksum mismatch".into()));
        }
        for (s, entry) in [
            (S_INDEX, INDEX_ENTRY),
            (S_IDS, ID_ENTRY),
            (S_DOCS, DOC_ENTRY),
        ] {
            if sections[s].1 % entry != 0 {
                return Err(corrupt(format!("section {s} has a partial entry")));
            }
        }
        let (mo, ml) = sections[S_META];
        let meta: Metadata = serde_json::from_slice(&b[mo..mo + ml])
            .map_err(|e| corrupt(format!("metadata: {e}")))?;
        Ok(Database {
            path: path.to_path_buf(),
            map,
            sections,
            meta,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn metadata(&self) -> &Metadata {
        &self.meta
    }

    /// Whether any advisory names a package of this ecosystem.
    pub fn has_ecosystem(&self, ecosystem: Ecosystem) -> bool {
        self.meta.has_ecosystem(ecosystem)
    }

    fn corrupt(&self, reason: String) -> StoreError {
        StoreError::Corrupt {
            path: self.path.clone(),
            reason,
        }
    }

    fn section(&self, s: usize) -> &[u8] {
        let (off, len) = self.sections[s];
        &self.map[off..off + len]
    }

    /// `len` bytes at `off` of section `s`, or a corruption error naming `what`.
    fn slice(&self, s: usize, off: u64, len: u32, what: &str) -> Result<&[u8], StoreError> {
        let sec = self.section(s);
        usize::try_from(off)
            .ok()
            .and_then(|o| sec.get(o..o.checked_add(len as usize)?))
            .ok_or_else(|| self.corrupt(format!("{what} out of bounds")))
    }

    fn package_count(&self) -> usize {
        self.sections[S_INDEX].1 / INDEX_ENTRY
    }

    fn doc_count(&self) -> usize {
        self.sections[S_DOCS].1 / DOC_ENTRY
    }

    fn index_key(&self, i: usize) -> Result<&[u8], StoreError> {
        let e = &self.section(S_INDEX)[i * INDEX_ENTRY..];
        self.slice(S_KEYS, le_u32(e, 0) as u64, le_u32(e, 4), "package key")
    }

    /// The advisories that name the package `ecosystem`/`name` (the name is normalised as
    /// [`Ecosystem::normalize_name`] says), sorted by id. Withdrawn ones are included (flagged;
    /// the matcher never matches them).
    pub fn lookup(&self, ecosystem: Ecosystem, name: &str) -> Result<Vec<Hit<'_>>, StoreError> {
        let key = package_key(ecosystem, name);
        let (mut lo, mut hi) = (0, self.package_count());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.index_key(mid)?.cmp(key.as_slice()) {
                Ordering::Less => lo = mid + 1,
                Ordering::Greater => hi = mid,
                Ordering::Equal => return self.read_blob(mid),
            }
        }
        Ok(Vec::new())
    }

    fn read_blob(&self, i: usize) -> Result<Vec<Hit<'_>>, StoreError> {
        let e = &self.section(S_INDEX)[i * INDEX_ENTRY..];
        let blob = self.slice(S_BLOBS, le_u64(e, 8), le_u32(e, 16), "package blob")?;
        if crc32fast::hash(blob) != le_u32(e, 20) {
            return Err(self.corrupt(format!("checksum mismatch in package blob {i}")));
        }
        decode_blob(blob).ok_or_else(|| self.corrupt(format!("undecodable package blob {i}")))
    }

    /// The full OSV record of a hit.
    pub fn advisory(&self, hit: &Hit<'_>) -> Result<Advisory, StoreError> {
        Ok(self.doc(hit.doc as usize)?.1)
    }

    /// What a report shows of a hit's record.
    pub fn notice(&self, hit: &Hit<'_>) -> Result<Notice, StoreError> {
        let i = hit.doc as usize;
        let (_, text) = self.doc_text(i)?;
        Notice::from_slice(text).map_err(|err| self.corrupt(format!("document {i}: {err}")))
    }

    /// The indexed record with this id (the newest of its sources).
    pub fn get(&self, id: &str) -> Result<Option<Advisory>, StoreError> {
        let ids = self.section(S_IDS);
        let (mut lo, mut hi) = (0, ids.len() / ID_ENTRY);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let e = &ids[mid * ID_ENTRY..];
            let key = self.slice(S_KEYS, le_u32(e, 0) as u64, le_u32(e, 4), "advisory id")?;
            match key.cmp(id.as_bytes()) {
                Ordering::Less => lo = mid + 1,
                Ordering::Greater => hi = mid,
                Ordering::Equal => return Ok(Some(self.doc(le_u32(e, 8) as usize)?.1)),
            }
        }
        Ok(None)
    }

    /// Document `i`: its source's position in [`Metadata::sources`] and the record.
    fn doc(&self, i: usize) -> Result<(u32, Advisory), StoreError> {
        let (source, text) = self.doc_text(i)?;
        let a = serde_json::from_slice(text)
            .map_err(|err| self.corrupt(format!("document {i}: {err}")))?;
        Ok((source, a))
    }

    /// Document `i`'s source position and checked JSON text.
    fn doc_text(&self, i: usize) -> Result<(u32, &[u8]), StoreError> {
        if i >= self.doc_count() {
            return Err(self.corrupt(format!("document {i} does not exist")));
        }
        let e = &self.section(S_DOCS)[i * DOC_ENTRY..];
        let text = self.slice(S_JSON, le_u64(e, 0), le_u32(e, 8), "document")?;
        if crc32fast::hash(text) != le_u32(e, 12) {
            return Err(self.corrupt(format!("checksum mismatch in document {i}")));
        }
        Ok((le_u32(e, 16), text))
    }

    /// Reads and checks every blob and document (what `gatehouse db status --verify` needs).
    pub fn verify(&self) -> Result<(), StoreError> {
        for i in 0..self.package_count() {
            self.index_key(i)?;
            self.read_blob(i)?;
        }
        for i in 0..self.doc_count() {
            self.doc(i)?;
        }
        Ok(())
    }
}
