//! `pnpm-lock.yaml`, lockfileVersion 5.x (and the older 4), 6.x, 7 and 9.
//!
//! Package keys differ by version: `/name/1.2.3_peer@1.0.0` (5.x), `/name@1.2.3(peer@1.0.0)`
//! (6.x), `name@1.2.3` (7 and 9, whose peer variants live under `snapshots`). Git, tarball and
//! local packages have keys that are not versions; their `name` and `version` fields say what
//! they are, and `resolution` where they came from.
//!
//! Direct dependencies are those the importers list (`importers`, or the top-level
//! `dependencies`/`devDependencies`/`optionalDependencies` of a single-project 5.x/6.x file).
//! Development-only: versions before 9 mark each package `dev: true/false`; from 9 on the flag
//! is gone and is worked out by walking `snapshots` from the importers' production and
//! development dependencies. Optional dependencies count as production.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::Path;

use crate::lockfile::text::yaml::{self, Entry, Value};
use crate::lockfile::text::{dedup, looks_like_version, npm_source_of, split_name_at};
use crate::lockfile::Format;
use crate::{Ecosystem, Manifest, Package, ParseError, SourceKind};

#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Style {
    /// 4.x and 5.x: `/name/version_peers`.
    Slash,
    /// 6.x: `/name@version(peers)`.
    At,
    /// 7 and 9: `name@version`, peers in `snapshots`.
    Snapshots,
}

const SECTIONS: [(&str, bool); 3] = [
    ("dependencies", false),
    ("optionalDependencies", false),
    ("devDependencies", true),
];

pub fn parse(_path: &Path, text: &str) -> Result<Manifest, ParseError> {
    let doc = yaml::parse(text)?;
    let mut manifest = Manifest::new(Format::PnpmLock);
    match &doc {
        Value::Null => return Ok(manifest),
        Value::Map(_) => {}
        _ => {
            return Err(ParseError::at(
                1,
                "not a pnpm-lock.yaml: the document is not a mapping",
            ))
        }
    }
    let style = style(&doc)?;

    // Importer dependencies: (package key, from devDependencies).
    let mut roots: Vec<(String, bool)> = Vec::new();
    let mut has_importers = false;
    if let Some(importers) = doc.get("importers") {
        for imp in importers.entries() {
            has_importers = true;
            importer_roots(&imp.value, style, &mut roots);
        }
    }
    if style != Style::Snapshots && SECTIONS.iter().any(|(s, _)| doc.get(s).is_some()) {
        has_importers = true;
        importer_roots(&doc, style, &mut roots);
    }

    let direct: HashMap<&str, bool> = {
        // key → whether every listing is a dev one
        let mut m: HashMap<&str, bool> = HashMap::new();
        for (key, dev) in &roots {
            let k = package_key(key, style);
            m.entry(k).and_modify(|d| *d = *d && *dev).or_insert(*dev);
        }
        m
    };
    let reach = if style == Style::Snapshots {
        doc.get("snapshots").map(|s| walk(s, &roots))
    } else {
        None
    };

    let empty = Value::Null;
    let packages = match doc.get("packages") {
        None | Some(Value::Null) => &empty,
        Some(p @ Value::Map(_)) => p,
        Some(_) => {
            let line = doc.entry("packages").and_then(Entry::line);
            return Err(at(line, "`packages` is not a mapping"));
        }
    };
    for e in packages.entries() {
        let key = e.key.as_ref();
        let line = e.line();
        let (key_name, key_version) = split_key(key, style);
        let name = e
            .value
            .get("name")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .or(key_name);
        let version = e
            .value
            .get("version")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .or(key_version);
        let source = source_kind(key, &e.value);
        let (Some(name), Some(version)) = (name, version) else {
            let what = match (name, source) {
                (Some(n), SourceKind::Path) => {
                    format!("local package {n} ({key}) has no version in the lockfile")
                }
                (Some(n), _) => format!("{n} ({key}) has no version in the lockfile"),
                (None, _) => format!("package {key:?} names no package and version"),
            };
            manifest.warn(line, what);
            continue;
        };
        let mut p = Package::new(Ecosystem::Npm, name, version);
        p.line = line;
        p.source = source;
        let bare = package_key(key, style);
        let listed = direct.get(bare);
        if has_importers {
            p.direct = Some(listed.is_some());
        }
        p.dev = match e.value.get("dev") {
            Some(v) if !v.is_null() => Some(v.is_true()),
            _ => match &reach {
                Some(r) => r.dev(bare),
                None => listed.copied(),
            },
        };
        manifest.packages.push(p);
    }
    manifest.packages = dedup(std::mem::take(&mut manifest.packages));
    Ok(manifest)
}

fn at(line: Option<u32>, msg: &str) -> ParseError {
    match line {
        Some(l) => ParseError::at(l, msg),
        None => ParseError::new(msg),
    }
}

fn style(doc: &Value) -> Result<Style, ParseError> {
    let Some(e) = doc.entry("lockfileVersion") else {
        if doc.get("packages").is_some() || doc.get("importers").is_some() {
            return Err(ParseError::new("pnpm-lock.yaml has no lockfileVersion"));
        }
        return Ok(Style::Snapshots);
    };
    let text = e.value.as_str().unwrap_or("");
    let major: Option<u32> = text.split('.').next().and_then(|m| m.trim().parse().ok());
    match major {
        Some(4 | 5) => Ok(Style::Slash),
        Some(6) => Ok(Style::At),
        Some(7 | 9) => Ok(Style::Snapshots),
        _ => Err(at(
            e.line(),
            &format!("unsupported pnpm lockfileVersion {text:?} (5.x, 6.x, 7 and 9 are supported)"),
        )),
    }
}

/// Adds the package keys an importer's dependency sections point at.
fn importer_roots(importer: &Value, style: Style, roots: &mut Vec<(String, bool)>) {
    for (section, dev) in SECTIONS {
        for dep in importer.get(section).map(Value::entries).unwrap_or(&[]) {
            // 5.x: `name: version`; 6 and later: `name: {specifier, version}`.
            let reference = match &dep.value {
                Value::Str(s) => Some(s.as_ref()),
                v => v.get("version").and_then(Value::as_str),
            };
            if let Some(key) = reference.and_then(|r| dependency_key(&dep.key, r, style)) {
                roots.push((key, dev));
            }
        }
    }
}

/// The key (with peers) a dependency `name: reference` points at.
fn dependency_key(name: &str, reference: &str, style: Style) -> Option<String> {
    if reference.starts_with("link:") || reference.is_empty() {
        return None;
    }
    // Importers may write `file:./x` where the package key says `file:x`.
    if let Some(rest) = reference.strip_prefix("file:./") {
        return Some(match style {
            Style::Snapshots => format!("{name}@file:{rest}"),
            _ => format!("file:{rest}"),
        });
    }
    Some(match style {
        Style::Slash if reference.starts_with('/') => reference.to_string(),
        Style::Slash if looks_like_version(reference) => format!("/{name}/{reference}"),
        Style::At if reference.starts_with('/') => reference.to_string(),
        Style::At if looks_like_version(reference) => format!("/{name}@{reference}"),
        Style::Slash | Style::At => reference.to_string(),
        // An alias (`string-width@4.2.3`) names its package itself.
        Style::Snapshots
            if !looks_like_version(reference)
                && !reference.contains("://")
                && split_name_at(reference).1.is_some() =>
        {
            reference.to_string()
        }
        Style::Snapshots => format!("{name}@{reference}"),
    })
}

/// A key without its peer suffix where `packages` lists it so (7 and 9 only).
fn package_key(key: &str, style: Style) -> &str {
    match style {
        Style::Snapshots => strip_peers(key),
        _ => key,
    }
}

fn strip_peers(key: &str) -> &str {
    // `(` only starts a peer suffix after the version's `@`.
    let (name, rest) = split_name_at(key);
    match rest.and_then(|r| r.find('(')) {
        Some(i) => key.get(..name.len() + 1 + i).unwrap_or(key),
        None => key,
    }
}

/// Name and version from a package key, where it holds them.
fn split_key(key: &str, style: Style) -> (Option<&str>, Option<&str>) {
    if key.starts_with("file:") || key.starts_with("link:") {
        return (None, None);
    }
    if style == Style::Slash {
        let path = match key.strip_prefix('/') {
            Some(p) => p,
            // `registry.example.com/name/1.0.0`: a registry host first.
            None => match key.split_once('/') {
                Some((host, rest)) if host.contains('.') && !host.starts_with('@') => rest,
                _ => return (None, None),
            },
        };
        let mut parts = path.splitn(3, '/');
        let first = parts.next().unwrap_or("");
        let (name, version) = if first.starts_with('@') {
            let second = parts.next().unwrap_or("");
            let name = path.get(..first.len() + 1 + second.len());
            (name, parts.next())
        } else {
            (Some(first), parts.next())
        };
        let version = version
            .map(|v| v.split('_').next().unwrap_or(v))
            .filter(|v| looks_like_version(v) && !v.contains('/'));
        return (name.filter(|n| !n.is_empty()), version);
    }
    let key = key.strip_prefix('/').unwrap_or(key);
    let (name, rest) = split_name_at(key);
    let version = rest
        .map(|r| r.split('(').next().unwrap_or(r))
        .filter(|v| looks_like_version(v));
    let name = (!name.is_empty() && rest.is_some()).then_some(name);
    (name, version)
}

fn source_kind(key: &str, entry: &Value) -> SourceKind {
    if key.starts_with("file:") || key.starts_with("link:") {
        return SourceKind::Path;
    }
    let Some(res) = entry.get("resolution") else {
        return SourceKind::Registry;
    };
    match res.get("type").and_then(Value::as_str) {
        Some("git") => return SourceKind::Git,
        Some("directory") => return SourceKind::Path,
        _ => {}
    }
    if res.get("commit").is_some() {
        return SourceKind::Git;
    }
    match res.get("tarball").and_then(Value::as_str) {
        Some(t) => npm_source_of(t),
        None => SourceKind::Registry,
    }
}

/// Which `packages` keys the importers reach through production and development dependencies.
struct Reach {
    prod: HashSet<String>,
    dev: HashSet<String>,
}

impl Reach {
    fn dev(&self, key: &str) -> Option<bool> {
        match (self.prod.contains(key), self.dev.contains(key)) {
            (true, _) => Some(false),
            (false, true) => Some(true),
            (false, false) => None,
        }
    }
}

fn walk(snapshots: &Value, roots: &[(String, bool)]) -> Reach {
    let by_key: HashMap<&str, &Value> = snapshots
        .entries()
        .iter()
        .map(|e| (e.key.as_ref(), &e.value))
        .collect();
    let mut reach = Reach {
        prod: HashSet::new(),
        dev: HashSet::new(),
    };
    for dev in [false, true] {
        let mut seen: HashSet<String> = HashSet::new();
        let mut queue: VecDeque<String> = roots
            .iter()
            .filter(|(_, d)| *d == dev)
            .map(|(k, _)| k.clone())
            .collect();
        while let Some(key) = queue.pop_front() {
            if !seen.insert(key.clone()) {
                continue;
            }
            let Some(snapshot) = by_key.get(key.as_str()) else {
                continue;
            };
            for section in ["dependencies", "optionalDependencies"] {
                for dep in snapshot.get(section).map(Value::entries).unwrap_or(&[]) {
                    if let Some(child) = dep
                        .value
                        .as_str()
                        .and_then(|r| dependency_key(&dep.key, r, Style::Snapshots))
                    {
                        if !seen.contains(&child) {
                            queue.push_back(child);
                        }
                    }
                }
            }
        }
        let target = if dev { &mut reach.dev } else { &mut reach.prod };
        target.extend(seen.iter().map(|k| strip_peers(k).to_string()));
    }
    reach
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(s: &str) -> Result<Manifest, ParseError> {
        parse(Path::new("pnpm-lock.yaml"), s)
    }

    type Row<'a> = (
        &'a str,
        &'a str,
        Option<u32>,
        Option<bool>,
        Option<bool>,
        SourceKind,
    );

    fn summary(m: &Manifest) -> Vec<Row<'_>> {
        m.packages
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.version.as_str(),
                    p.line,
                    p.direct,
                    p.dev,
                    p.source,
                )
            })
            .collect()
    }

    #[test]
    fn keys_of_each_style() {
        assert_eq!(
            split_key("/@a/b/1.0.0_c@2.0.0", Style::Slash),
            (Some("@a/b"), Some("1.0.0"))
        );
        assert_eq!(
            split_key("registry.npmjs.org/foo/1.1.0", Style::Slash),
            (Some("foo"), Some("1.1.0"))
        );
        assert_eq!(
            split_key("github.com/kevva/is-positive", Style::Slash),
            (Some("kevva"), None)
        );
        assert_eq!(split_key("/foo/bar", Style::Slash), (Some("foo"), None));
        assert_eq!(
            split_key("/@a/b@1.0.0(c@2.0.0)", Style::At),
            (Some("@a/b"), Some("1.0.0"))
        );
        assert_eq!(
            split_key(
                "a@https://codeload.github.com/x/y/tar.gz/abc",
                Style::Snapshots
            ),
            (Some("a"), None)
        );
        assert_eq!(split_key("file:../x", Style::Snapshots), (None, None));
        assert_eq!(strip_peers("@a/b@1.0.0(@c/d@2.0.0)(e@1.0.0)"), "@a/b@1.0.0");
        assert_eq!(strip_peers("a@1.0.0"), "a@1.0.0");
    }

    #[test]
    fn v9_dev_from_snapshots() {
        let lock = r#"lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      a:
        specifier: ^1.0.0
        version: 1.0.0(p@1.0.0)
      alias:
        specifier: npm:real@^2
        version: real@2.0.0
    devDependencies:
      d:
        specifier: ^1.0.0
        version: 1.0.0
  packages/w:
    dependencies:
      w-dep:
        specifier: link:../w-dep
        version: link:../w-dep

packages:

  a@1.0.0:
    resolution: {integrity: sha512-x}

  real@2.0.0:
    resolution: {integrity: sha512-x}

  d@1.0.0:
    resolution: {integrity: sha512-x}

  shared@1.0.0:
    resolution: {integrity: sha512-x}

  devonly@1.0.0:
    resolution: {integrity: sha512-x}

  p@1.0.0:
    resolution: {integrity: sha512-x}

  g@https://codeload.github.com/o/g/tar.gz/abc:
    resolution: {tarball: https://codeload.github.com/o/g/tar.gz/abc}
    version: 3.0.0

snapshots:

  a@1.0.0(p@1.0.0):
    dependencies:
      shared: 1.0.0
      p: 1.0.0

  real@2.0.0: {}

  d@1.0.0:
    dependencies:
      shared: 1.0.0
      devonly: 1.0.0

  shared@1.0.0: {}

  devonly@1.0.0: {}

  p@1.0.0: {}
"#;
        let m = parse_str(lock).unwrap();
        assert_eq!(
            summary(&m),
            vec![
                (
                    "a",
                    "1.0.0",
                    Some(25),
                    Some(true),
                    Some(false),
                    SourceKind::Registry
                ),
                (
                    "real",
                    "2.0.0",
                    Some(28),
                    Some(true),
                    Some(false),
                    SourceKind::Registry
                ),
                (
                    "d",
                    "1.0.0",
                    Some(31),
                    Some(true),
                    Some(true),
                    SourceKind::Registry
                ),
                (
                    "shared",
                    "1.0.0",
                    Some(34),
                    Some(false),
                    Some(false),
                    SourceKind::Registry
                ),
                (
                    "devonly",
                    "1.0.0",
                    Some(37),
                    Some(false),
                    Some(true),
                    SourceKind::Registry
                ),
                (
                    "p",
                    "1.0.0",
                    Some(40),
                    Some(false),
                    Some(false),
                    SourceKind::Registry
                ),
                ("g", "3.0.0", Some(43), Some(false), None, SourceKind::Git),
            ]
        );
    }

    #[test]
    fn v5_and_v6_dev_flags_and_direct() {
        let v5 = "lockfileVersion: 5.4\n\nspecifiers:\n  a: ^1\n\ndependencies:\n  a: 1.0.0_b@2.0.0\n\ndevDependencies:\n  b: 2.0.0\n\npackages:\n\n  /a/1.0.0_b@2.0.0:\n    resolution: {integrity: sha512-x}\n    dev: false\n\n  /b/2.0.0:\n    resolution: {integrity: sha512-x}\n    dev: true\n";
        let m = parse_str(v5).unwrap();
        assert_eq!(
            summary(&m),
            vec![
                (
                    "a",
                    "1.0.0",
                    Some(14),
                    Some(true),
                    Some(false),
                    SourceKind::Registry
                ),
                (
                    "b",
                    "2.0.0",
                    Some(18),
                    Some(true),
                    Some(true),
                    SourceKind::Registry
                ),
            ]
        );
        let v6 = "lockfileVersion: '6.0'\n\nimporters:\n  .:\n    dependencies:\n      a:\n        specifier: ^1\n        version: 1.0.0(b@2.0.0)\n\npackages:\n\n  /a@1.0.0(b@2.0.0):\n    resolution: {integrity: sha512-x}\n    dev: false\n\n  /b@2.0.0:\n    resolution: {integrity: sha512-x}\n    dev: false\n";
        let m = parse_str(v6).unwrap();
        assert_eq!(
            summary(&m),
            vec![
                (
                    "a",
                    "1.0.0",
                    Some(12),
                    Some(true),
                    Some(false),
                    SourceKind::Registry
                ),
                (
                    "b",
                    "2.0.0",
                    Some(16),
                    Some(false),
                    Some(false),
                    SourceKind::Registry
                ),
            ]
        );
    }

    #[test]
    fn unknown_version_and_garbage() {
        let e = parse_str("lockfileVersion: '99.0'\npackages: {}\n").unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("99"), "{e}");
        assert!(parse_str("this is not valid yaml!").is_err());
        assert!(parse_str("packages:\n  /a/1.0.0: {}\n").is_err());
        assert!(parse_str("lockfileVersion: 5.3\npackages: 3\n").is_err());
        assert!(parse_str("").unwrap().packages.is_empty());
        assert!(parse_str("# comment\n").unwrap().packages.is_empty());
    }

    #[test]
    fn unusable_keys_are_warnings() {
        let m = parse_str("lockfileVersion: 5.3\npackages:\n  /foo/bar:\n  invalidpath:\n    dev: false\n  /ok/1.0.0:\n").unwrap();
        assert_eq!(m.packages.len(), 1);
        assert_eq!(
            m.warnings.iter().map(|w| w.line).collect::<Vec<_>>(),
            vec![Some(3), Some(4)]
        );
    }
}
