//! RustSec's native advisory layout: `crates/<name>/RUSTSEC-YYYY-NNNN.md`, a ```` ```toml ````
//! front-matter block followed by a Markdown `# title` and description, converted to OSV.
//!
//! Version semantics are cargo-audit's. `[versions].patched` and `[versions].unaffected` are
//! Cargo `VersionReq`s, but cargo-audit (the `rustsec` crate since it gained its OSV export)
//! does not evaluate them with `VersionReq::matches`: it turns each into an interval of
//! unaffected versions, takes the gaps between them as affected intervals
//! ([`affected_intervals`]: an exclusive bound `x.y.z` becomes `x.y.(z+1)-0`, `^`/`~` end at
//! the next breaking version's `-0`), and calls a version affected iff it lies in one of them
//! by `semver::Version` order. The difference is visible on pre-releases: `patched = [">=
//! 0.8.1"]` leaves `0.11.0-rc.6` unaffected, where `VersionReq::matches` would not match it.
//! Requirements that do not reduce to disjoint intervals make cargo-audit refuse the
//! advisory; here they are an import error.
//!
//! The converted record carries these intervals as its SEMVER range (the same events as
//! RustSec's own OSV export) and the requirement strings themselves in the affected entry's
//! `database_specific` under [`REQUIREMENTS_KEY`], from which the matcher recomputes the
//! intervals with the `semver` crate, independently of the lenient SemVer scheme used for
//! other sources.
//!
//! The `rust/` collection (advisories for the toolchain and `std`) is not about crates.io
//! packages, and cargo-audit does not match it against lockfiles; [`collection_of`] tells the
//! importer to skip it.

use std::collections::BTreeMap;
use std::path::Path;

use semver::{Comparator, Op, Prerelease, Version, VersionReq};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::osv::{
    Advisory, Affected, Event, EventKind, Package, Range, RangeType, Reference, Severity,
    REQUIREMENTS_KEY,
};
use crate::ParseError;

/// Which RustSec collection a file belongs to, from its path (`<collection>/<package>/<id>.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collection {
    /// `crates/`: crates.io packages.
    Crates,
    /// `rust/`: the Rust toolchain and standard library; not matched against lockfiles.
    Rust,
    /// Neither (a file outside the usual layout): treated as a crate advisory.
    Unknown,
}

pub fn collection_of(path: &Path) -> Collection {
    let grandparent = path
        .parent()
        .and_then(Path::parent)
        .and_then(Path::file_name)
        .and_then(|n| n.to_str());
    match grandparent {
        Some("crates") => Collection::Crates,
        Some("rust") => Collection::Rust,
        _ => Collection::Unknown,
    }
}

/// Whether the text looks like a RustSec advisory: its first non-blank line opens a
/// ```` ```toml ```` fence.
pub fn looks_like_rustsec(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .lines()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| l.trim_end() == "```toml")
}

#[derive(Deserialize)]
struct Front {
    advisory: Meta,
    #[serde(default)]
    versions: Versions,
    #[serde(default)]
    affected: Option<AffectedToml>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Meta {
    id: String,
    package: String,
    date: toml::Value,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    categories: Vec<String>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    related: Vec<String>,
    #[serde(default)]
    cvss: Option<String>,
    #[serde(default)]
    informational: Option<String>,
    #[serde(default)]
    references: Vec<String>,
    #[serde(default)]
    withdrawn: Option<toml::Value>,
    #[serde(default)]
    license: Option<String>,
    #[serde(default)]
    source: Option<String>,
}

#[derive(Deserialize, Default)]
struct Versions {
    #[serde(default)]
    patched: Vec<String>,
    #[serde(default)]
    unaffected: Vec<String>,
}

#[derive(Deserialize, Default)]
struct AffectedToml {
    #[serde(default)]
    arch: Vec<String>,
    #[serde(default)]
    os: Vec<String>,
    #[serde(default)]
    functions: BTreeMap<String, Vec<String>>,
}

/// Parses one RustSec advisory file and converts it to OSV. Errors carry the 1-based line.
pub fn parse(text: &str) -> Result<Advisory, ParseError> {
    let text = text.trim_start_matches('\u{feff}');
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let open = lines
        .iter()
        .position(|l| !l.trim().is_empty())
        .filter(|&i| lines[i].trim_end() == "```toml")
        .ok_or_else(|| ParseError::at(1, "expected a ```toml front-matter block"))?;
    let close = lines[open + 1..]
        .iter()
        .position(|l| l.trim_end() == "```")
        .map(|i| open + 1 + i)
        .ok_or_else(|| ParseError::at(open as u32 + 1, "unclosed ```toml block"))?;
    let toml_text: String = lines[open + 1..close].concat();
    // Lines of the TOML text are numbered from the line after the fence.
    let line_of = |byte: usize| -> u32 {
        (open + 2 + toml_text[..byte.min(toml_text.len())].matches('\n').count()) as u32
    };
    let find_line = |needle: &str| -> u32 {
        toml_text
            .find(needle)
            .map(line_of)
            .unwrap_or(open as u32 + 2)
    };
    let front: Front = toml::from_str(&toml_text).map_err(|e| {
        let line = e
            .span()
            .map(|s| line_of(s.start))
            .unwrap_or(open as u32 + 2);
        ParseError::at(line, e.message().trim().to_string())
    })?;
    let meta = &front.advisory;
    if meta.id.trim().is_empty() {
        return Err(ParseError::at(find_line("id"), "empty advisory id"));
    }
    if meta.package.trim().is_empty() {
        return Err(ParseError::at(find_line("package"), "empty package name"));
    }
    let published = date_time(&meta.date)
        .ok_or_else(|| ParseError::at(find_line("date"), "`date` is not YYYY-MM-DD"))?;
    let withdrawn = match &meta.withdrawn {
        Some(w) => Some(date_time(w).ok_or_else(|| {
            ParseError::at(find_line("withdrawn"), "`withdrawn` is not YYYY-MM-DD")
        })?),
        None => None,
    };
    let mut reqs = Vec::new();
    for r in front
        .versions
        .patched
        .iter()
        .chain(&front.versions.unaffected)
    {
        let req = VersionReq::parse(r).map_err(|e| {
            ParseError::at(
                find_line(&format!("\"{r}\"")),
                format!("invalid version requirement {r:?}: {e}"),
            )
        })?;
        reqs.push(req);
    }

    let (title, description) = markdown_parts(&lines[close + 1..]).ok_or_else(|| {
        ParseError::at(close as u32 + 2, "missing `# title` after the front matter")
    })?;

    let intervals =
        affected_intervals(&reqs).map_err(|e| ParseError::at(find_line("[versions]"), e))?;
    let name = meta.package.trim().to_string();
    let events = semver_events(&intervals);
    let mut ecosystem_specific = Map::new();
    let affects = front.affected.unwrap_or_default();
    ecosystem_specific.insert(
        "affects".into(),
        json!({
            "arch": affects.arch,
            "os": affects.os,
            "functions": affects.functions.keys().collect::<Vec<_>>(),
        }),
    );
    ecosystem_specific.insert(
        "affected_functions".into(),
        if affects.functions.is_empty() {
            Value::Null
        } else {
            json!(affects.functions)
        },
    );
    let mut database_specific = Map::new();
    database_specific.insert("categories".into(), json!(meta.categories));
    if !meta.keywords.is_empty() {
        database_specific.insert("keywords".into(), json!(meta.keywords));
    }
    database_specific.insert("cvss".into(), json!(meta.cvss));
    database_specific.insert(
        "informational".into(),
        json!(meta.informational.as_deref().map(str::trim)),
    );
    database_specific.insert(
        REQUIREMENTS_KEY.into(),
        json!({"patched": front.versions.patched, "unaffected": front.versions.unaffected}),
    );
    if let Some(source) = &meta.source {
        database_specific.insert("source".into(), json!(source));
    }

    let severity = meta
        .cvss
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| Severity {
            kind: if v.starts_with("CVSS:4") {
                "CVSS_V4"
            } else {
                "CVSS_V3"
            }
            .into(),
            score: v.to_string(),
        })
        .into_iter()
        .collect();

    let mut references = vec![
        Reference {
            kind: "PACKAGE".into(),
            url: format!("https://crates.io/crates/{name}"),
        },
        Reference {
            kind: "ADVISORY".into(),
            url: format!("https://rustsec.org/advisories/{}.html", meta.id),
        },
    ];
    for url in meta.url.iter().chain(&meta.references) {
        if !references.iter().any(|r| &r.url == url) {
            references.push(Reference {
                kind: reference_kind(url).into(),
                url: url.clone(),
            });
        }
    }

    let modified = match &withdrawn {
        Some(w) if *w > published => w.clone(),
        _ => published.clone(),
    };
    Ok(Advisory {
        schema_version: None,
        id: meta.id.trim().to_string(),
        modified,
        published: Some(published),
        withdrawn,
        aliases: meta.aliases.clone(),
        related: meta.related.clone(),
        upstream: Vec::new(),
        summary: Some(title),
        details: Some(description),
        severity,
        affected: vec![Affected {
            package: Some(Package {
                ecosystem: "crates.io".into(),
                purl: Some(format!("pkg:cargo/{name}")),
                name,
            }),
            severity: Vec::new(),
            ranges: vec![Range {
                kind: RangeType::Semver,
                repo: None,
                events,
                database_specific: None,
            }],
            versions: Vec::new(),
            ecosystem_specific: Some(Value::Object(ecosystem_specific)),
            database_specific: Some(Value::Object(database_specific)),
        }],
        references,
        credits: Vec::new(),
        database_specific: meta.license.as_ref().map(|l| json!({ "license": l })),
    })
}

/// `2022-08-31` (a TOML string or date) as RustSec's export writes it: noon UTC.
fn date_time(v: &toml::Value) -> Option<String> {
    let s = match v {
        toml::Value::String(s) => s.trim().to_string(),
        toml::Value::Datetime(d) => d.to_string(),
        _ => return None,
    };
    let date: jiff::civil::Date = s.parse().ok()?;
    Some(format!("{date}T12:00:00Z"))
}

/// The first `# ` heading and everything after it.
fn markdown_parts(lines: &[&str]) -> Option<(String, String)> {
    let i = lines.iter().position(|l| !l.trim().is_empty())?;
    let title = lines[i].trim().strip_prefix("# ")?.trim().to_string();
    let description = lines[i + 1..].concat().trim().to_string();
    Some((title, description))
}

fn reference_kind(url: &str) -> &'static str {
    let forge = url.contains("://github.com/") || url.contains("://gitlab.");
    if forge && url.contains("/issues/") {
        "REPORT"
    } else if url.contains("/advisories/")
        || url.contains("://nvd.nist.gov/")
        || url.contains("cve.mitre.org/")
        || url.contains("://www.cve.org/")
    {
        "ADVISORY"
    } else if url.contains("/commit/") || url.contains("/commits/") {
        "FIX"
    } else {
        "WEB"
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Bound {
    Unbounded,
    Exclusive(Version),
    Inclusive(Version),
}

impl Bound {
    fn version(&self) -> Option<&Version> {
        match self {
            Bound::Unbounded => None,
            Bound::Exclusive(v) | Bound::Inclusive(v) => Some(v),
        }
    }
}

/// An interval of unaffected versions, from one requirement.
#[derive(Debug, Clone)]
struct Interval {
    start: Bound,
    end: Bound,
}

/// `start` (a lower bound) at or below `end` (an upper bound).
fn at_or_below(start: &Bound, end: &Bound) -> bool {
    match (start.version(), end.version()) {
        (None, _) | (_, None) => true,
        (Some(a), Some(b)) if a < b => true,
        _ => matches!((start, end), (Bound::Inclusive(a), Bound::Inclusive(b)) if a == b),
    }
}

fn comparator_version(c: &Comparator) -> Version {
    Version {
        major: c.major,
        minor: c.minor.unwrap_or(0),
        patch: c.patch.unwrap_or(0),
        pre: c.pre.clone(),
        build: semver::BuildMetadata::EMPTY,
    }
}

fn lowest_pre(mut v: Version) -> Version {
    v.pre = Prerelease::new("0").unwrap_or(Prerelease::EMPTY);
    v
}

/// The interval a requirement describes, for the shapes RustSec accepts: one lower and/or one
/// upper bound, or a lone `=`, `^`, `~`.
fn interval(req: &VersionReq) -> Option<Interval> {
    if req.comparators.len() > 2 {
        return None;
    }
    let alone = req.comparators.len() == 1;
    let mut start = Bound::Unbounded;
    let mut end = Bound::Unbounded;
    for c in &req.comparators {
        let v = comparator_version(c);
        match c.op {
            Op::Greater | Op::GreaterEq if start == Bound::Unbounded => {
                start = if c.op == Op::Greater {
                    Bound::Exclusive(v)
                } else {
                    Bound::Inclusive(v)
                };
            }
            Op::Less | Op::LessEq if end == Bound::Unbounded => {
                end = if c.op == Op::Less {
                    Bound::Exclusive(v)
                } else {
                    Bound::Inclusive(v)
                };
            }
            Op::Exact if alone => {
                start = Bound::Inclusive(v.clone());
                end = Bound::Inclusive(v);
            }
            Op::Caret if alone => {
                let upper = match (c.major, c.minor, c.patch) {
                    (0, Some(0), Some(p)) => Version::new(0, 0, p + 1),
                    (0, Some(m), _) => Version::new(0, m + 1, 0),
                    (0, None, _) => Version::new(1, 0, 0),
                    (major, _, _) => Version::new(major + 1, 0, 0),
                };
                start = Bound::Inclusive(v);
                end = Bound::Exclusive(lowest_pre(upper));
            }
            Op::Tilde if alone => {
                let upper = match c.minor {
                    Some(m) => Version::new(c.major, m + 1, 0),
                    None => Version::new(c.major + 1, 0, 0),
                };
                start = Bound::Inclusive(v);
                end = Bound::Exclusive(lowest_pre(upper));
            }
            _ => return None,
        }
    }
    at_or_below(&start, &end).then_some(Interval { start, end })
}

/// The lowest version above `v` by SemVer precedence (`1.2.3` → `1.2.4-0`, `1.2.3-a` →
/// `1.2.3-a.0`).
fn increment(v: &Version) -> Version {
    let mut v = v.clone();
    v.build = semver::BuildMetadata::EMPTY;
    if v.pre.is_empty() {
        v.patch += 1;
        lowest_pre(v)
    } else {
        let pre = format!("{}.0", v.pre);
        v.pre = Prerelease::new(&pre).unwrap_or(v.pre);
        v
    }
}

/// An affected interval: `introduced <= v < fixed`, `None` meaning unbounded.
pub type AffectedInterval = (Option<Version>, Option<Version>);

/// The affected versions as intervals, computed as RustSec's crate does (the gaps between the
/// unaffected intervals, in order). cargo-audit decides "affected" by exactly these intervals,
/// comparing with `semver::Version`'s order, and refuses to load an advisory whose
/// requirements do not reduce to disjoint intervals; so does this.
pub fn affected_intervals(reqs: &[VersionReq]) -> Result<Vec<AffectedInterval>, String> {
    let mut unaffected = Vec::with_capacity(reqs.len());
    for r in reqs {
        unaffected.push(interval(r).ok_or_else(|| {
            format!("unsupported version requirement {r} (one lower and/or one upper bound, or a lone =, ^ or ~)")
        })?);
    }
    if unaffected.is_empty() {
        return Ok(vec![(None, None)]);
    }
    for (i, a) in unaffected.iter().enumerate() {
        for (b, r) in unaffected[i + 1..].iter().zip(&reqs[i + 1..]) {
            if at_or_below(&a.start, &b.end) && at_or_below(&b.start, &a.end) {
                return Err(format!(
                    "overlapping version requirements {} and {r}",
                    reqs[i]
                ));
            }
        }
    }
    unaffected.sort_by(|a, b| a.start.version().cmp(&b.start.version()));
    let mut out: Vec<AffectedInterval> = Vec::new();
    match &unaffected[0].start {
        Bound::Unbounded => {}
        Bound::Exclusive(v) => out.push((None, Some(increment(v)))),
        Bound::Inclusive(v) => out.push((None, Some(v.clone()))),
    }
    for w in unaffected.windows(2) {
        // Sorted and disjoint: only the first start and the last end can be unbounded.
        let (Some(end), Some(start)) = (w[0].end.version(), w[1].start.version()) else {
            return Err("unbounded requirement between others".into());
        };
        let from = match &w[0].end {
            Bound::Inclusive(_) => increment(end),
            _ => end.clone(),
        };
        let to = match &w[1].start {
            Bound::Exclusive(_) => increment(start),
            _ => start.clone(),
        };
        out.push((Some(from), Some(to)));
    }
    match &unaffected[unaffected.len() - 1].end {
        Bound::Unbounded => {}
        Bound::Exclusive(v) => out.push((Some(v.clone()), None)),
        Bound::Inclusive(v) => out.push((Some(increment(v)), None)),
    }
    Ok(out)
}

/// The intervals as SEMVER events (`introduced: "0.0.0-0"` for "from the beginning", as
/// RustSec's export writes it).
fn semver_events(intervals: &[AffectedInterval]) -> Vec<Event> {
    let mut events = Vec::new();
    for (introduced, fixed) in intervals {
        let introduced = introduced
            .as_ref()
            .map_or_else(|| "0.0.0-0".to_string(), Version::to_string);
        events.push(Event::new(EventKind::Introduced, introduced));
        if let Some(f) = fixed {
            events.push(Event::new(EventKind::Fixed, f.to_string()));
        }
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    const WASMTIME: &str = r#"```toml
[advisory]
id = "RUSTSEC-2023-0090"
package = "wasmtime"
date = "2023-03-02"
url = "https://github.com/bytecodealliance/wasmtime/security/advisories/GHSA-ff4p-7xrq-q5r8"
categories = ["memory-corruption"]
aliases = ["CVE-2023-26489", "GHSA-ff4p-7xrq-q5r8"]
cvss = "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H"

[affected]
os = ["linux"]
functions = { "wasmtime::Module::new" = ["< 4.0.1"] }

[versions]
patched = [">= 4.0.1, < 5.0.0", ">= 5.0.1, < 6.0.0", ">= 6.0.1"]
unaffected = ["< 0.3.0"]
```

# Guest-controlled out-of-bounds read/write on x86\_64

Details here.

# Second heading stays in the details
"#;

    fn events(a: &Advisory) -> Vec<String> {
        a.affected[0].ranges[0]
            .events
            .iter()
            .map(|e| format!("{}:{}", e.kind.as_str(), e.version))
            .collect()
    }

    #[test]
    fn converts_to_osv() {
        let a = parse(WASMTIME).unwrap();
        assert_eq!(a.id, "RUSTSEC-2023-0090");
        assert_eq!(a.published.as_deref(), Some("2023-03-02T12:00:00Z"));
        assert_eq!(
            a.summary.as_deref(),
            Some("Guest-controlled out-of-bounds read/write on x86\\_64")
        );
        assert!(a
            .details
            .as_deref()
            .unwrap()
            .ends_with("# Second heading stays in the details"));
        assert_eq!(a.severity[0].kind, "CVSS_V3");
        assert_eq!(a.aliases, ["CVE-2023-26489", "GHSA-ff4p-7xrq-q5r8"]);
        assert_eq!(
            events(&a),
            [
                "introduced:0.3.0",
                "fixed:4.0.1",
                "introduced:5.0.0",
                "fixed:5.0.1",
                "introduced:6.0.0",
                "fixed:6.0.1"
            ]
        );
        let req = a.affected[0].requirements().unwrap();
        assert_eq!(req.unaffected, ["< 0.3.0"]);
        let es = a.affected[0].ecosystem_specific.as_ref().unwrap();
        assert_eq!(es["affects"]["functions"][0], "wasmtime::Module::new");
        assert_eq!(es["affects"]["os"][0], "linux");
        assert_eq!(a.references[2].kind, "ADVISORY");
    }

    #[test]
    fn range_shapes() {
        let ev = |p: &[&str]| {
            let reqs: Vec<VersionReq> = p.iter().map(|r| VersionReq::parse(r).unwrap()).collect();
            semver_events(&affected_intervals(&reqs).unwrap())
                .iter()
                .map(|e| format!("{}:{}", e.kind.as_str(), e.version))
                .collect::<Vec<_>>()
        };
        assert_eq!(ev(&[]), ["introduced:0.0.0-0"]);
        assert_eq!(ev(&[">= 1.2.0"]), ["introduced:0.0.0-0", "fixed:1.2.0"]);
        assert_eq!(
            ev(&["<= 0.1.13", ">= 0.1.15"]),
            ["introduced:0.1.14-0", "fixed:0.1.15"]
        );
        assert_eq!(
            ev(&["^0.3.5", ">= 0.4.2"]),
            [
                "introduced:0.0.0-0",
                "fixed:0.3.5",
                "introduced:0.4.0-0",
                "fixed:0.4.2"
            ]
        );
        assert_eq!(ev(&["> 1.0.0"]), ["introduced:0.0.0-0", "fixed:1.0.1-0"]);
        // RustSec refuses requirements that do not reduce to disjoint intervals.
        let bad = |p: &[&str]| {
            let reqs: Vec<VersionReq> = p.iter().map(|r| VersionReq::parse(r).unwrap()).collect();
            affected_intervals(&reqs).unwrap_err()
        };
        assert!(bad(&[">= 1.0.0", ">= 2.0.0"]).contains("overlapping"));
        assert!(bad(&["1.*"]).contains("unsupported"));
        assert!(bad(&[">= 1.0.0, >= 1.1.0"]).contains("unsupported"));
    }

    #[test]
    fn errors_name_the_line() {
        let bad = "```toml\n[advisory]\nid = \"RUSTSEC-1\"\npackage = \"x\"\ndate = \"2020-01-01\"\n\n[versions]\npatched = [\">= 1.0.0\", \"nonsense!\"]\n```\n\n# T\n";
        let e = parse(bad).unwrap_err();
        assert_eq!(e.line, Some(8), "{e}");
        let syntax = "```toml\n[advisory]\nid = \"RUSTSEC-1\"\npackage = \n```\n# T\n";
        assert_eq!(parse(syntax).unwrap_err().line, Some(4));
        let no_title = "```toml\n[advisory]\nid = \"R\"\npackage = \"x\"\ndate = \"2020-01-01\"\n```\n\nno title\n";
        assert!(parse(no_title).unwrap_err().message.contains("title"));
        assert!(parse("# just markdown\n").is_err());
        let bad_date =
            "```toml\n[advisory]\nid = \"R\"\npackage = \"x\"\ndate = \"2020-13-01\"\n```\n# T\n";
        assert_eq!(parse(bad_date).unwrap_err().line, Some(5));
    }

    #[test]
    fn withdrawn_and_collections() {
        let text = "```toml\n[advisory]\nid = \"RUSTSEC-2022-0044\"\npackage = \"markdown\"\ndate = \"2022-01-17\"\nwithdrawn = \"2025-04-28\"\ninformational = \"unmaintained\"\n\n[versions]\npatched = [\">= 1.0.0-alpha.1\"]\n```\n\n# T\n\nD\n";
        let a = parse(text).unwrap();
        assert!(a.is_withdrawn());
        assert_eq!(a.modified, "2025-04-28T12:00:00Z");
        assert_eq!(a.informational(), Some("unmaintained"));
        assert_eq!(
            collection_of(Path::new("db/crates/x/R.md")),
            Collection::Crates
        );
        assert_eq!(
            collection_of(Path::new("db/rust/std/CVE-1.md")),
            Collection::Rust
        );
        assert_eq!(collection_of(Path::new("R.md")), Collection::Unknown);
        assert!(looks_like_rustsec(text));
        assert!(!looks_like_rustsec("# README\n```toml\n"));
    }
}
