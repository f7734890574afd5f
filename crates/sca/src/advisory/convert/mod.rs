//! Converters from native advisory formats to OSV JSON, so that every source goes through the
//! same OSV import path.
//!
//! | format | files | package ecosystem | range type |
//! |---|---|---|---|
//! | [`NativeFormat::RubyAdvisoryDb`] | `gems/<gem>/<id>.yml` | RubyGems | `ECOSYSTEM` |
//! | [`NativeFormat::FriendsOfPhp`] | `<vendor>/<package>/<id>.yaml` | Packagist | `ECOSYSTEM` |
//! | [`NativeFormat::NodeSecurityWg`] | `vuln/npm/<n>.json` | npm | `SEMVER` |
//!
//! Each format's requirement language (RubyGems requirements, Composer constraints, node-semver
//! ranges) is turned into a set of version intervals, and the set into OSV events. Versions are
//! ordered by the ecosystem's scheme in [`crate::version`], the one the matcher uses (Composer
//! constraint versions after Composer's normalisation, so that `1.0` and `1.0.0` are one bound,
//! as Composer reads them). A set the events cannot express exactly is an error for that file,
//! never an approximate range: OSV's `introduced` is inclusive, so an affected interval that
//! starts just *after* a version (`> 1.2`, or the gap left by `unaffected: <= 1.2`) converts
//! only where the scheme has a least version above it (in SemVer `1.2.4-0` follows `1.2.3`:
//! [`Version::successor`](crate::version::Version::successor)); RubyGems and Packagist have
//! none.
//!
//! The events are exact for release versions. Pre-release selection rules that OSV's plain
//! version order cannot carry are not reproduced: node-semver's "a pre-release matches only a
//! comparator on the same `major.minor.patch`", the `.release` in RubyGems' `~>` (`~> 1.2`
//! excludes `2.0.0.rc1`) and Composer's implicit `-dev` on `<` and `>=` bounds. Pre-releases are
//! ordered as the ecosystem orders versions, as in every OSV database.
//!
//! Records that describe no package (Ruby interpreters under `rubies/`, Node.js itself under
//! `vuln/core` and its bundled dependencies under `vuln/deps`) are [`Converted::Skipped`] with a
//! [`SkipReason`] so that callers can count them.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

mod npm;
mod php;
mod ranges;
mod ruby;

/// The OSV schema version the converters write.
pub const SCHEMA_VERSION: &str = "1.6.0";

/// A native advisory format [`to_osv`] converts.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum NativeFormat {
    /// rubysec/ruby-advisory-db YAML.
    RubyAdvisoryDb,
    /// FriendsOfPHP/security-advisories YAML.
    FriendsOfPhp,
    /// nodejs/security-wg's legacy JSON advisories.
    NodeSecurityWg,
}

impl NativeFormat {
    pub const ALL: [NativeFormat; 3] = [
        NativeFormat::RubyAdvisoryDb,
        NativeFormat::FriendsOfPhp,
        NativeFormat::NodeSecurityWg,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NativeFormat::RubyAdvisoryDb => "ruby-advisory-db",
            NativeFormat::FriendsOfPhp => "friendsofphp",
            NativeFormat::NodeSecurityWg => "nodejs-security-wg",
        }
    }
}

impl fmt::Display for NativeFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a native record was not converted: it describes no package of a package ecosystem.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum SkipReason {
    /// ruby-advisory-db `rubies/`: Ruby interpreters (MRI, JRuby, mruby, …), not gems.
    RubyInterpreter,
    /// security-wg `vuln/core`: Node.js itself.
    NodeCore,
    /// security-wg `vuln/deps`: assessments of libraries bundled into Node.js.
    NodeDependency,
    /// security-wg `vuln/*/index.json`: a list of the directory's advisories, not one.
    NodeIndex,
    /// An advisory whose patched and unaffected versions cover every version.
    NothingAffected,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::RubyInterpreter => "Ruby interpreter advisory (not a gem)",
            SkipReason::NodeCore => "Node.js core advisory (not an npm package)",
            SkipReason::NodeDependency => {
                "Node.js bundled-dependency assessment (not an npm package)"
            }
            SkipReason::NodeIndex => "security WG index file (a list of advisories, not one)",
            SkipReason::NothingAffected => {
                "advisory whose patched and unaffected versions cover every version"
            }
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The result of converting one native file.
#[derive(Debug, Clone, PartialEq)]
pub enum Converted {
    /// OSV records (one per native file for the three formats).
    Advisories(Vec<Value>),
    /// A record about no package, left out.
    Skipped(SkipReason),
}

/// A native file that could not be converted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConvertError {
    pub path: PathBuf,
    /// 1-based, when the problem can be placed.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for ConvertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path.display(), line, self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

/// Decides from a file's path and text whether it is a native advisory [`to_osv`] reads.
/// Licences, READMEs and anything else are `None`; the security WG's `vuln/*/index.json` lists
/// are detected (and then skipped by [`convert`]).
pub fn detect(path: &Path, text: &str) -> Option<NativeFormat> {
    let ext = path.extension().and_then(OsStr::to_str).unwrap_or("");
    let name = path.file_name().and_then(OsStr::to_str).unwrap_or("");
    match ext {
        "yml" | "yaml" => {
            if has_key_line(text, "gem") || has_key_line(text, "engine") {
                Some(NativeFormat::RubyAdvisoryDb)
            } else if has_key_line(text, "reference") && text.contains("composer://") {
                Some(NativeFormat::FriendsOfPhp)
            } else {
                None
            }
        }
        // The security WG's per-directory lists are recognised so they are skipped, not
        // mistaken for malformed OSV records.
        "json"
            if name == "index.json"
                && matches!(parent_name(path), Some("npm" | "core" | "deps"))
                && path
                    .parent()
                    .and_then(|p| p.parent())
                    .and_then(|p| p.file_name())
                    .and_then(OsStr::to_str)
                    == Some("vuln") =>
        {
            Some(NativeFormat::NodeSecurityWg)
        }
        "json" if name != "index.json" => {
            let body = text.trim_start_matches('\u{feff}').trim_start();
            if !body.starts_with('{') {
                return None;
            }
            let under = |dir: &str| parent_name(path) == Some(dir);
            if (text.contains("\"module_name\"") && text.contains("\"vulnerable_versions\""))
                || (under("core") && text.contains("\"vulnerable\""))
                || (under("deps") && text.contains("\"cve\""))
            {
                Some(NativeFormat::NodeSecurityWg)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Converts one native file to OSV records. A record about no package converts to nothing;
/// [`convert`] says why.
///
/// ruby-advisory-db writes one file per gem, so a vulnerability of several gems (one GHSA id)
/// gives several records with the same id: pass a database's records through
/// [`merge_records`] before storing them by id ([`convert_tree`] does).
pub fn to_osv(format: NativeFormat, path: &Path, text: &str) -> Result<Vec<Value>, ConvertError> {
    match convert(format, path, text)? {
        Converted::Advisories(v) => Ok(v),
        Converted::Skipped(_) => Ok(Vec::new()),
    }
}

/// Converts one native file, saying when and why it was left out.
pub fn convert(format: NativeFormat, path: &Path, text: &str) -> Result<Converted, ConvertError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let cx = Context { path, text };
    match format {
        NativeFormat::RubyAdvisoryDb => ruby::convert(&cx),
        NativeFormat::FriendsOfPhp => php::convert(&cx),
        NativeFormat::NodeSecurityWg => npm::convert(&cx),
    }
}

/// Everything converted from one directory tree ([`convert_tree`]).
#[derive(Debug, Default)]
pub struct TreeConversion {
    /// OSV records in path order, records with the same id merged ([`merge_records`]).
    pub advisories: Vec<Value>,
    /// Native files read, converted or not.
    pub files: usize,
    pub converted: BTreeMap<NativeFormat, usize>,
    pub skipped: BTreeMap<SkipReason, usize>,
    pub errors: Vec<ConvertError>,
}

/// Converts every native advisory under `root` (a checkout of one of the databases, or a
/// directory holding several). Files are visited in path order and symbolic links are not
/// followed; a file that fails is recorded and the walk goes on.
pub fn convert_tree(root: &Path) -> TreeConversion {
    let mut out = TreeConversion::default();
    let mut files = Vec::new();
    collect_files(root, &mut files, &mut out.errors);
    files.sort();
    let mut advisories = Vec::new();
    for path in files {
        let ext = path.extension().and_then(OsStr::to_str).unwrap_or("");
        if !matches!(ext, "yml" | "yaml" | "json") {
            continue;
        }
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                out.errors
                    .push(error(&path, None, format!("cannot read: {e}")));
                continue;
            }
        };
        let Ok(text) = String::from_utf8(bytes) else {
            out.errors.push(error(&path, None, "not UTF-8 text"));
            continue;
        };
        let Some(format) = detect(&path, &text) else {
            continue;
        };
        out.files += 1;
        match convert(format, &path, &text) {
            Ok(Converted::Advisories(v)) => {
                *out.converted.entry(format).or_default() += 1;
                advisories.extend(v);
            }
            Ok(Converted::Skipped(reason)) => *out.skipped.entry(reason).or_default() += 1,
            Err(e) => out.errors.push(e),
        }
    }
    out.advisories = merge_records(advisories);
    out
}

/// Merges records that share an id (one vulnerability, one file per package) into one record
/// with every file's `affected` entries, as OSV databases write them: aliases, related ids and
/// references are united, `modified` is the latest, `published` the earliest, and the other
/// fields are the first record's. Order is kept (by first occurrence).
pub fn merge_records(records: Vec<Value>) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::with_capacity(records.len());
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for record in records {
        let Some(id) = record.get("id").and_then(Value::as_str).map(str::to_string) else {
            out.push(record);
            continue;
        };
        match index.get(&id) {
            None => {
                index.insert(id, out.len());
                out.push(record);
            }
            Some(&i) => merge_into(&mut out[i], record),
        }
    }
    out
}

fn merge_into(into: &mut Value, from: Value) {
    let (Some(a), Value::Object(mut b)) = (into.as_object_mut(), from) else {
        return;
    };
    let id = a.get("id").cloned().unwrap_or(Value::Null);
    for key in ["affected", "aliases", "related", "references"] {
        let Some(Value::Array(extra)) = b.remove(key) else {
            continue;
        };
        let list = a
            .entry(key.to_string())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = list {
            for item in extra {
                let duplicate = match key {
                    "affected" => false,
                    "references" => list.iter().any(|r| r.get("url") == item.get("url")),
                    _ => item == id || list.contains(&item),
                };
                if !duplicate {
                    list.push(item);
                }
            }
        }
    }
    // RFC 3339 UTC timestamps of one format order as strings.
    let pick = |a: &mut Map<String, Value>, key: &str, later: bool| {
        let Some(theirs) = b.get(key).and_then(Value::as_str) else {
            return;
        };
        let replace = match a.get(key).and_then(Value::as_str) {
            None => true,
            Some(ours) => (theirs > ours) == later && theirs != ours,
        };
        if replace {
            a.insert(key.to_string(), json!(theirs));
        }
    };
    pick(a, "modified", true);
    pick(a, "published", false);
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<ConvertError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(error(dir, None, format!("cannot list directory: {e}")));
            return;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors.push(error(dir, None, format!("cannot list directory: {e}")));
                continue;
            }
        };
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let path = entry.path();
        if kind.is_dir() {
            // Dot directories hold VCS and CI metadata, never advisories.
            if !entry.file_name().to_string_lossy().starts_with('.') {
                collect_files(&path, out, errors);
            }
        } else if kind.is_file() {
            out.push(path);
        }
    }
}

/// Whether a line of `text` starts with `key:` (a top-level YAML key).
fn has_key_line(text: &str, key: &str) -> bool {
    text.lines().any(|l| {
        l.strip_prefix(key)
            .is_some_and(|rest| rest.starts_with(':'))
    })
}

fn parent_name(path: &Path) -> Option<&str> {
    path.parent()?.file_name()?.to_str()
}

/// The file being converted, for error reporting.
struct Context<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Context<'_> {
    fn error(&self, line: Option<usize>, message: impl Into<String>) -> ConvertError {
        error(self.path, line, message)
    }

    /// An error placed on the first line containing `needle` (a requirement as written).
    fn error_at(&self, needle: &str, message: impl Into<String>) -> ConvertError {
        self.error(self.line_of(needle), message)
    }

    fn line_of(&self, needle: &str) -> Option<usize> {
        let needle = needle.trim();
        if needle.is_empty() {
            return None;
        }
        self.text
            .lines()
            .position(|l| l.contains(needle))
            .map(|i| i + 1)
    }

    fn yaml_error(&self, e: &serde_yaml_ng::Error) -> ConvertError {
        self.error(e.location().map(|l| l.line()), format!("invalid YAML: {e}"))
    }

    fn json_error(&self, e: &serde_json::Error) -> ConvertError {
        let line = (e.line() > 0).then_some(e.line());
        self.error(line, format!("invalid JSON: {e}"))
    }

    /// The file's name without its extension (native ids are file names).
    fn stem(&self) -> String {
        self.path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// The names of the directories holding the file, innermost first.
    fn parents(&self) -> Vec<String> {
        self.path
            .ancestors()
            .skip(1)
            .filter_map(|p| p.file_name())
            .map(|s| s.to_string_lossy().into_owned())
            .collect()
    }
}

fn error(path: &Path, line: Option<usize>, message: impl Into<String>) -> ConvertError {
    ConvertError {
        path: path.to_path_buf(),
        line,
        message: message.into(),
    }
}

/// OSV `affected[].ranges` of type `range_type` for `set`.
fn osv_ranges(set: &ranges::Set, range_type: &str) -> Result<Vec<Value>, ranges::Unexpressible> {
    let groups = set.to_events()?;
    Ok(groups
        .into_iter()
        .map(|events| {
            let events: Vec<Value> = events
                .into_iter()
                .map(|(kind, version)| json!({ kind.as_str(): version }))
                .collect();
            json!({ "type": range_type, "events": events })
        })
        .collect())
}

/// GitHub's qualitative severity word for a CVSS score (`MODERATE` for medium).
fn severity_word(version: crate::cvss::CvssVersion, score: f64) -> Option<&'static str> {
    use crate::cvss::Rating;
    if !(0.0..=10.0).contains(&score) {
        return None;
    }
    match Rating::from_score(version, score) {
        Rating::None => None,
        Rating::Low => Some("LOW"),
        Rating::Medium => Some("MODERATE"),
        Rating::High => Some("HIGH"),
        Rating::Critical => Some("CRITICAL"),
    }
}

/// `YYYY-MM-DD` as an RFC 3339 timestamp at midnight UTC.
fn date_to_rfc3339(date: &str) -> Option<String> {
    let (y, m, d) = parse_date(date.trim())?;
    Some(format!("{y:04}-{m:02}-{d:02}T00:00:00Z"))
}

fn parse_date(s: &str) -> Option<(i64, u32, u32)> {
    let mut it = s.splitn(3, '-');
    let y = digits(it.next()?, 4, 4)?;
    let m = digits(it.next()?, 1, 2)?;
    let d = digits(it.next()?, 1, 2)?;
    if !(1..=12).contains(&m) || !(1..=days_in_month(y as i64, m as u32)).contains(&(d as u32)) {
        return None;
    }
    Some((y as i64, m as u32, d as u32))
}

fn digits(s: &str, min: usize, max: usize) -> Option<u64> {
    if s.len() < min || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

/// `YYYY-MM-DD HH:MM:SS[ +HHMM]` (dates and times with one-digit fields too) as RFC 3339 UTC.
fn datetime_to_rfc3339(s: &str) -> Option<String> {
    let s = s.trim();
    let (date, rest) = s.split_once([' ', 'T']).unwrap_or((s, ""));
    let (y, m, d) = parse_date(date)?;
    let rest = rest.trim();
    if rest.is_empty() {
        return Some(format!("{y:04}-{m:02}-{d:02}T00:00:00Z"));
    }
    let (time, offset) = match rest.find(['+', '-', 'Z']) {
        Some(i) => (rest[..i].trim(), rest[i..].trim()),
        None => (rest, ""),
    };
    let mut t = time.split(':');
    let hh = digits(t.next()?, 1, 2)? as i64;
    let mm = digits(t.next()?, 1, 2)? as i64;
    let ss = match t.next() {
        Some(x) => digits(x, 1, 2)? as i64,
        None => 0,
    };
    if t.next().is_some() || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    let offset_secs = match offset {
        "" | "Z" => 0,
        o => {
            let sign = if o.starts_with('-') { -1 } else { 1 };
            let o = o[1..].replace(':', "");
            let oh = digits(o.get(..2)?, 2, 2)? as i64;
            let om = digits(o.get(2..)?, 2, 2)? as i64;
            sign * (oh * 3600 + om * 60)
        }
    };
    let secs = days_from_civil(y, m, d) * 86_400 + hh * 3600 + mm * 60 + ss - offset_secs;
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    Some(format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        sod / 3600,
        sod % 3600 / 60,
        sod % 60
    ))
}

/// Builds an OSV record's common fields; the converters add the rest.
struct Record {
    map: Map<String, Value>,
    references: Vec<Value>,
}

impl Record {
    fn new(id: &str, modified: &str) -> Record {
        let mut map = Map::new();
        map.insert("schema_version".into(), json!(SCHEMA_VERSION));
        map.insert("id".into(), json!(id));
        map.insert("modified".into(), json!(modified));
        Record {
            map,
            references: Vec::new(),
        }
    }

    fn set(&mut self, key: &str, value: Value) {
        self.map.insert(key.to_string(), value);
    }

    fn set_str(&mut self, key: &str, value: Option<&str>) {
        if let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) {
            self.set(key, json!(v));
        }
    }

    fn set_list(&mut self, key: &str, values: Vec<String>) {
        let mut seen = std::collections::BTreeSet::new();
        let values: Vec<String> = values
            .into_iter()
            .filter(|v| !v.is_empty() && seen.insert(v.clone()))
            .collect();
        if !values.is_empty() {
            self.set(key, json!(values));
        }
    }

    /// Adds a reference once per URL; only `http(s)` URLs are kept.
    fn reference(&mut self, kind: &str, url: &str) {
        let url = url.trim();
        let lower = url.to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://"))
            || url.contains(char::is_whitespace)
        {
            return;
        }
        if self.references.iter().any(|r| r["url"] == url) {
            return;
        }
        self.references.push(json!({ "type": kind, "url": url }));
    }

    fn finish(mut self) -> Value {
        if !self.references.is_empty() {
            let refs = std::mem::take(&mut self.references);
            self.set("references", Value::Array(refs));
        }
        Value::Object(self.map)
    }
}

/// One-line summary: runs of whitespace (YAML block titles span lines) become one space.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `s` looks like `CVE-YYYY-NNNN…`.
fn is_cve(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("CVE-") else {
        return false;
    };
    let mut parts = rest.splitn(2, '-');
    let (Some(y), Some(n)) = (parts.next(), parts.next()) else {
        return false;
    };
    y.len() == 4
        && y.bytes().all(|b| b.is_ascii_digit())
        && n.len() >= 4
        && n.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A path in the project's shared test data (`../shared/data` beside the project root, or
    /// `$GATEHOUSE_SHARED_DATA`); tests that use it skip what is not there.
    pub(crate) fn shared_data(rel: &str) -> PathBuf {
        std::env::var_os("GATEHOUSE_SHARED_DATA")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
            .join(rel)
    }

    #[test]
    fn timestamps() {
        assert_eq!(
            date_to_rfc3339("2011-12-28").as_deref(),
            Some("2011-12-28T00:00:00Z")
        );
        assert_eq!(date_to_rfc3339("2011-02-30"), None);
        assert_eq!(
            datetime_to_rfc3339("2023-11-10 08:00:00").as_deref(),
            Some("2023-11-10T08:00:00Z")
        );
        assert_eq!(
            datetime_to_rfc3339("2020-1-9 1:02:03 +0200").as_deref(),
            Some("2020-01-08T23:02:03Z")
        );
        assert_eq!(datetime_to_rfc3339("yesterday"), None);
        for days in [-800_000, -1, 0, 1, 59, 365, 11_016, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn detects_formats() {
        let p = Path::new;
        assert_eq!(
            detect(p("gems/rack/CVE-1.yml"), "---\ngem: rack\n"),
            Some(NativeFormat::RubyAdvisoryDb)
        );
        assert_eq!(
            detect(p("rubies/ruby/CVE-1.yml"), "---\nengine: ruby\n"),
            Some(NativeFormat::RubyAdvisoryDb)
        );
        assert_eq!(
            detect(p("a/b/x.yaml"), "title: x\nreference: composer://a/b\n"),
            Some(NativeFormat::FriendsOfPhp)
        );
        let npm = r#"{"module_name": "x", "vulnerable_versions": "*"}"#;
        assert_eq!(
            detect(p("vuln/npm/1.json"), npm),
            Some(NativeFormat::NodeSecurityWg)
        );
        assert_eq!(detect(p("other/index.json"), npm), None);
        assert_eq!(
            detect(p("vuln/npm/index.json"), npm),
            Some(NativeFormat::NodeSecurityWg)
        );
        assert_eq!(
            detect(p("vuln/core/1.json"), r#"{"vulnerable": "8.x"}"#),
            Some(NativeFormat::NodeSecurityWg)
        );
        assert_eq!(detect(p("x/GHSA-1.json"), r#"{"id": "GHSA-1"}"#), None);
        assert_eq!(detect(p("README.md"), "gem: x"), None);
        assert_eq!(detect(p("x.yml"), "gems: x"), None);
    }

    #[test]
    fn cve_ids() {
        assert!(is_cve("CVE-2014-7205"));
        assert!(is_cve("CVE-2021-1234567"));
        assert!(!is_cve("CVE-2014-4671A"));
        assert!(!is_cve("2014-7205"));
    }
}
