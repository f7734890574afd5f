//! `gatehouse db import PATH...`: reads advisory files into OSV records and stores them.
//!
//! A path may be a file or a directory (walked recursively, hidden entries skipped). Each file
//! is read by its kind:
//!
//! - `.zip`: an archive such as the OSV bucket's per-ecosystem `all.zip`; its entries are read
//!   as the files below.
//! - `.json`: an OSV record, or an array of them.
//! - `.yaml`/`.yml`: an OSV record in YAML (the PyPA advisory-database layout).
//! - `.md` starting with a ```` ```toml ```` block: a RustSec advisory ([`super::rustsec`]);
//!   the `rust/` collection is skipped with a note, other Markdown is ignored.
//!
//! Before the OSV readers, a `.json`/`.yaml`/`.yml` file goes through [`convert::detect`]: one
//! in a native format (ruby-advisory-db, FriendsOfPHP, Node.js security-wg) is converted to OSV
//! by [`convert::convert`], the table of converters keyed by the detected [`NativeFormat`];
//! records about no package (Ruby interpreters, Node.js core) are skipped with a counted note.
//!
//! A file that cannot be read becomes an [`ImportError`] naming it (and the line, when the
//! parser gives one); the rest of the source is still imported. Each path given is one source,
//! identified by its canonical path; importing it again replaces its records.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::Value;

use super::convert::{self, Converted, NativeFormat};
use super::osv::Advisory;
use super::rustsec::{self, Collection};
use super::store::{self, Metadata, SourceUpdate, Store, StoreError};

/// Largest file (or archive entry) read, so a stray huge file cannot exhaust memory. Archives
/// are read entry by entry and may be larger.
const MAX_FILE: u64 = 256 << 20;
/// Archive entries parsed together (in parallel); bounds the memory an archive takes.
const ZIP_BATCH: usize = 4096;

/// A file that could not be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// The file (`archive.zip!entry.json` for an archive entry).
    pub file: String,
    pub line: Option<u32>,
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for ImportError {}

/// What was read from one source.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// Canonical path (or the name given to [`Importer::load_zip_bytes`]).
    pub location: String,
    pub advisories: Vec<Advisory>,
    pub errors: Vec<ImportError>,
    /// Things skipped on purpose, counted (RustSec's `rust/` collection, records about no
    /// package, duplicate ids).
    pub notes: Vec<String>,
    /// Advisory files read, per format (`osv-json`, `osv-yaml`, `rustsec`, or a
    /// [`NativeFormat`]'s name).
    pub formats: BTreeMap<String, usize>,
    /// Whether the source was (or contained) a zip archive.
    pub zipped: bool,
    /// Files that are not advisories (READMEs, licences, other Markdown).
    pub ignored_files: usize,
}

impl Loaded {
    /// Advisories per OSV ecosystem (base name).
    pub fn ecosystem_counts(&self) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for a in &self.advisories {
            for e in a.ecosystem_names() {
                *out.entry(e.to_string()).or_default() += 1;
            }
        }
        out
    }

    /// The source kind stored in the metadata: the formats read, comma-separated.
    pub fn kind(&self) -> String {
        let mut kinds: Vec<String> = self.formats.keys().cloned().collect();
        if self.zipped {
            for k in kinds.iter_mut() {
                if k.starts_with("osv-") {
                    *k = "osv-zip".into();
                }
            }
            kinds.dedup();
        }
        if kinds.is_empty() {
            "empty".into()
        } else {
            kinds.join(",")
        }
    }

    /// Turns the load into a store update (the records deduplicated by id, newest kept).
    pub fn into_update(self) -> SourceUpdate {
        SourceUpdate {
            kind: self.kind(),
            location: self.location,
            errors: self.errors.len(),
            advisories: self.advisories,
            etag: None,
            last_modified: None,
        }
    }
}

/// The outcome of one source of an import.
#[derive(Debug, Clone)]
pub struct SourceReport {
    pub location: String,
    pub kind: String,
    pub advisories: usize,
    pub withdrawn: usize,
    pub ecosystems: BTreeMap<String, usize>,
    pub errors: Vec<ImportError>,
    pub notes: Vec<String>,
    /// Whether the source's records were stored. A source that yielded nothing but errors (a
    /// missing path, an unreadable archive) keeps its previous records.
    pub stored: bool,
}

#[derive(Debug, Clone)]
pub struct ImportReport {
    pub sources: Vec<SourceReport>,
    /// The database's metadata after the import (`None` when nothing was stored).
    pub metadata: Option<Metadata>,
}

impl ImportReport {
    pub fn error_count(&self) -> usize {
        self.sources.iter().map(|s| s.errors.len()).sum()
    }
}

/// Reads advisory sources.
#[derive(Debug, Clone, Default)]
pub struct Importer {}

/// What one file turned into.
#[derive(Default)]
struct FileResult {
    advisories: Vec<Advisory>,
    errors: Vec<ImportError>,
    format: Option<String>,
    rust_collection: bool,
    /// Why a native record about no package was left out.
    skipped: Option<String>,
    ignored: bool,
}

impl Importer {
    pub fn new() -> Importer {
        Importer::default()
    }

    /// Reads every path (one source each) and replaces those sources in the store in one
    /// atomic write.
    pub fn import(&self, store: &Store, paths: &[PathBuf]) -> Result<ImportReport, StoreError> {
        let mut reports = Vec::new();
        let mut updates = Vec::new();
        for path in paths {
            let loaded = self.load_path(path);
            let stored = !loaded.advisories.is_empty() || loaded.errors.is_empty();
            let mut report = SourceReport {
                location: loaded.location.clone(),
                kind: loaded.kind(),
                advisories: loaded.advisories.len(),
                withdrawn: loaded
                    .advisories
                    .iter()
                    .filter(|a| a.is_withdrawn())
                    .count(),
                ecosystems: loaded.ecosystem_counts(),
                errors: loaded.errors.clone(),
                notes: loaded.notes.clone(),
                stored,
            };
            if stored {
                updates.push(loaded.into_update());
            } else {
                report
                    .notes
                    .push("nothing could be read; the source's previous records are kept".into());
            }
            reports.push(report);
        }
        let metadata = if updates.is_empty() {
            None
        } else {
            Some(store.replace_sources(updates)?)
        };
        Ok(ImportReport {
            sources: reports,
            metadata,
        })
    }

    /// Reads one source: a file, a directory or a zip archive. Never fails as a whole: an
    /// unreadable path is an error entry.
    pub fn load_path(&self, path: &Path) -> Loaded {
        let location = match std::fs::canonicalize(path) {
            Ok(p) => p.to_string_lossy().into_owned(),
            Err(e) => {
                return Loaded {
                    location: path.to_string_lossy().into_owned(),
                    errors: vec![ImportError {
                        file: path.display().to_string(),
                        line: None,
                        message: e.to_string(),
                    }],
                    ..Loaded::default()
                }
            }
        };
        let files: Vec<PathBuf> = if path.is_dir() {
            let mut files = Vec::new();
            let mut errors = Vec::new();
            let walk = ignore::WalkBuilder::new(path)
                .standard_filters(false)
                .hidden(true)
                .follow_links(false)
                .build();
            for entry in walk {
                match entry {
                    Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                        files.push(e.into_path())
                    }
                    Ok(_) => {}
                    Err(e) => errors.push(ImportError {
                        file: path.display().to_string(),
                        line: None,
                        message: e.to_string(),
                    }),
                }
            }
            files.sort();
            let mut loaded = self.load_files(location, &files);
            loaded.errors.extend(errors);
            return loaded;
        } else {
            vec![path.to_path_buf()]
        };
        self.load_files(location, &files)
    }

    /// Reads a zip archive already in memory (a download), as the source `location`.
    pub fn load_zip_bytes(&self, location: &str, bytes: &[u8]) -> Loaded {
        self.load_zip(location, std::io::Cursor::new(bytes))
    }

    /// Reads a zip archive from any seekable reader (a downloaded temporary file), as the
    /// source `location`.
    pub fn load_zip<R: Read + Seek>(&self, location: &str, reader: R) -> Loaded {
        let results = self.read_zip(Path::new(location), reader);
        assemble(location.to_string(), results, true)
    }

    /// Reads one JSON document already in memory (a download: an OSV record, an array of
    /// them, or a native record the converters know), as the source `location`.
    pub fn load_json_bytes(&self, location: &str, bytes: &[u8]) -> Loaded {
        let result = self.read_bytes(Path::new("download.json"), location, bytes);
        assemble(location.to_string(), vec![result], false)
    }

    fn load_files(&self, location: String, files: &[PathBuf]) -> Loaded {
        let zipped = files.iter().any(|f| has_extension(f, "zip"));
        let results: Vec<FileResult> = files
            .par_iter()
            .flat_map_iter(|f| self.read_file(f))
            .collect();
        assemble(location, results, zipped)
    }

    fn read_file(&self, path: &Path) -> Vec<FileResult> {
        let error = |message: String| {
            vec![FileResult {
                errors: vec![ImportError {
                    file: path.display().to_string(),
                    line: None,
                    message,
                }],
                ..FileResult::default()
            }]
        };
        match kind_of(path) {
            FileKind::Other => {
                return vec![FileResult {
                    ignored: true,
                    ..FileResult::default()
                }]
            }
            FileKind::Zip => {
                return match std::fs::File::open(path) {
                    Ok(f) => self.read_zip(path, std::io::BufReader::new(f)),
                    Err(e) => error(e.to_string()),
                }
            }
            _ => {}
        }
        match std::fs::metadata(path) {
            Ok(m) if m.len() > MAX_FILE => {
                return error(format!("larger than {} MiB", MAX_FILE >> 20))
            }
            Ok(_) => {}
            Err(e) => return error(e.to_string()),
        }
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => return error(e.to_string()),
        };
        vec![self.read_bytes(path, &path.display().to_string(), &bytes)]
    }

    fn read_zip<R: Read + Seek>(&self, path: &Path, reader: R) -> Vec<FileResult> {
        let name = path.display().to_string();
        let error = |message: String| {
            vec![FileResult {
                errors: vec![ImportError {
                    file: name.clone(),
                    line: None,
                    message,
                }],
                ..FileResult::default()
            }]
        };
        let mut archive = match zip::ZipArchive::new(reader) {
            Ok(a) => a,
            Err(e) => return error(format!("not a readable zip archive: {e}")),
        };
        let mut entries: Vec<(PathBuf, String, Vec<u8>)> = Vec::new();
        let mut out = Vec::new();
        for i in 0..archive.len() {
            let mut entry = match archive.by_index(i) {
                Ok(e) => e,
                Err(e) => {
                    out.extend(error(format!("entry {i}: {e}")));
                    continue;
                }
            };
            if entry.is_dir() {
                continue;
            }
            let entry_name = entry.name().to_string();
            let display = format!("{name}!{entry_name}");
            let entry_path = PathBuf::from(&entry_name);
            if matches!(kind_of(&entry_path), FileKind::Other | FileKind::Zip) {
                out.push(FileResult {
                    ignored: true,
                    ..FileResult::default()
                });
                continue;
            }
            let mut data = Vec::new();
            let read = (&mut entry).take(MAX_FILE + 1).read_to_end(&mut data);
            match read {
                Ok(_) if data.len() as u64 > MAX_FILE => out.push(FileResult {
                    errors: vec![ImportError {
                        file: display,
                        line: None,
                        message: format!("larger than {} MiB", MAX_FILE >> 20),
                    }],
                    ..FileResult::default()
                }),
                Ok(_) => entries.push((entry_path, display, data)),
                Err(e) => out.push(FileResult {
                    errors: vec![ImportError {
                        file: display,
                        line: None,
                        message: e.to_string(),
                    }],
                    ..FileResult::default()
                }),
            }
            if entries.len() >= ZIP_BATCH {
                self.parse_entries(&mut entries, &mut out);
            }
        }
        self.parse_entries(&mut entries, &mut out);
        out
    }

    fn parse_entries(
        &self,
        entries: &mut Vec<(PathBuf, String, Vec<u8>)>,
        out: &mut Vec<FileResult>,
    ) {
        out.par_extend(
            entries
                .par_iter()
                .map(|(p, display, data)| self.read_bytes(p, display, data)),
        );
        entries.clear();
    }

    /// Reads one advisory file's content; `path` decides the reader, `display` names it in
    /// errors.
    fn read_bytes(&self, path: &Path, display: &str, bytes: &[u8]) -> FileResult {
        let err = |line: Option<u32>, message: String| FileResult {
            errors: vec![ImportError {
                file: display.to_string(),
                line,
                message,
            }],
            ..FileResult::default()
        };
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t.trim_start_matches('\u{feff}'),
            Err(e) => return err(None, format!("not UTF-8: {e}")),
        };
        let kind = kind_of(path);
        if matches!(kind, FileKind::Json | FileKind::Yaml) {
            if let Some(format) = convert::detect(path, text) {
                return convert_native(format, path, display, text);
            }
        }
        match kind {
            FileKind::Json => read_osv_json(display, text),
            FileKind::Yaml => match serde_yaml_ng::from_str::<Advisory>(text) {
                Ok(a) => FileResult {
                    advisories: vec![a],
                    format: Some("osv-yaml".into()),
                    ..FileResult::default()
                },
                Err(e) => err(
                    e.location().map(|l| l.line() as u32),
                    strip_location(&e.to_string()),
                ),
            },
            FileKind::Markdown if rustsec::looks_like_rustsec(text) => {
                if rustsec::collection_of(path) == Collection::Rust {
                    return FileResult {
                        rust_collection: true,
                        ..FileResult::default()
                    };
                }
                match rustsec::parse(text) {
                    Ok(a) => FileResult {
                        advisories: vec![a],
                        format: Some("rustsec".into()),
                        ..FileResult::default()
                    },
                    Err(e) => err(e.line, e.message),
                }
            }
            _ => FileResult {
                ignored: true,
                ..FileResult::default()
            },
        }
    }
}

fn convert_native(format: NativeFormat, path: &Path, display: &str, text: &str) -> FileResult {
    let mut r = FileResult {
        format: Some(format.as_str().to_string()),
        ..FileResult::default()
    };
    match convert::convert(format, path, text) {
        Ok(Converted::Advisories(values)) => {
            for (i, v) in values.into_iter().enumerate() {
                match serde_json::from_value::<Advisory>(v) {
                    Ok(a) => r.advisories.push(a),
                    Err(e) => r.errors.push(ImportError {
                        file: display.to_string(),
                        line: None,
                        message: format!("converted record {i}: {e}"),
                    }),
                }
            }
        }
        Ok(Converted::Skipped(reason)) => r.skipped = Some(reason.to_string()),
        Err(e) => r.errors.push(ImportError {
            file: display.to_string(),
            line: e.line.and_then(|l| u32::try_from(l).ok()),
            message: e.message,
        }),
    }
    r
}

fn read_osv_json(display: &str, text: &str) -> FileResult {
    let err = |line: Option<u32>, message: String| ImportError {
        file: display.to_string(),
        line,
        message,
    };
    let mut r = FileResult {
        format: Some("osv-json".into()),
        ..FileResult::default()
    };
    if !text.trim_start().starts_with('[') {
        match serde_json::from_str::<Advisory>(text) {
            Ok(a) => r.advisories.push(a),
            Err(e) => {
                r.errors.push(err(Some(e.line() as u32), json_message(&e)));
            }
        }
        return r;
    }
    // An array: one bad record must not lose the others.
    match serde_json::from_str::<Vec<Advisory>>(text) {
        Ok(list) => r.advisories = list,
        Err(_) => match serde_json::from_str::<Vec<Value>>(text) {
            Err(e) => r.errors.push(err(Some(e.line() as u32), json_message(&e))),
            Ok(values) => {
                for (i, v) in values.into_iter().enumerate() {
                    let id = v.get("id").and_then(Value::as_str).map(str::to_string);
                    match serde_json::from_value::<Advisory>(v) {
                        Ok(a) => r.advisories.push(a),
                        Err(e) => r.errors.push(err(
                            None,
                            match id {
                                Some(id) => format!("record {i} ({id}): {e}"),
                                None => format!("record {i}: {e}"),
                            },
                        )),
                    }
                }
            }
        },
    }
    r
}

/// serde_json's message without its trailing " at line L column C" (the line is reported
/// separately).
fn json_message(e: &serde_json::Error) -> String {
    strip_location(&e.to_string())
}

fn strip_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Json,
    Yaml,
    Markdown,
    Zip,
    Other,
}

fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

fn kind_of(path: &Path) -> FileKind {
    if has_extension(path, "json") {
        FileKind::Json
    } else if has_extension(path, "yaml") || has_extension(path, "yml") {
        FileKind::Yaml
    } else if has_extension(path, "md") {
        FileKind::Markdown
    } else if has_extension(path, "zip") {
        FileKind::Zip
    } else {
        FileKind::Other
    }
}

fn assemble(location: String, results: Vec<FileResult>, zipped: bool) -> Loaded {
    let mut loaded = Loaded {
        location,
        zipped,
        ..Loaded::default()
    };
    let mut rust = 0;
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    for r in results {
        if let Some(reason) = r.skipped {
            *skipped.entry(reason).or_default() += 1;
        }
        if let Some(f) = r.format {
            *loaded.formats.entry(f).or_default() += 1;
        }
        rust += usize::from(r.rust_collection);
        loaded.ignored_files += usize::from(r.ignored);
        loaded.advisories.extend(r.advisories);
        loaded.errors.extend(r.errors);
    }
    if rust > 0 {
        loaded.notes.push(format!(
            "skipped {rust} advisories of RustSec's rust/ collection (the toolchain and std, not crates; cargo-audit does not match them either)"
        ));
    }
    for (reason, n) in skipped {
        loaded.notes.push(format!("skipped {n} records: {reason}"));
    }
    let before = loaded.advisories.len();
    loaded.advisories = store::dedupe(std::mem::take(&mut loaded.advisories));
    let dupes = before - loaded.advisories.len();
    if dupes > 0 {
        loaded.notes.push(format!(
            "{dupes} records repeat an id; the newest `modified` of each was kept"
        ));
    }
    loaded
        .errors
        .sort_by(|a, b| a.file.cmp(&b.file).then(a.line.cmp(&b.line)));
    loaded
}
