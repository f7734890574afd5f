//! `Cargo.lock`, versions 1 to 4.
//!
//! Every `[[package]]` becomes a [`Package`] at the line of its header. The source decides the
//! [`SourceKind`]: `registry+`/`sparse+` a registry, `git+` git, none at all a path (workspace
//! members and path dependencies). Packages without a source are the workspace's own, so the
//! packages they list in `dependencies` are the direct ones; a lockfile with no such package
//! (a fragment) says nothing about directness. Cargo does not record dev-dependencies apart.
//!
//! Version 1 and 2 lockfiles have no `version` key (version 1 keeps checksums in `[metadata]`
//! and writes dependencies as `name version (source)`); versions 3 and 4 do. A later version is
//! an error rather than a guess.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use crate::lockfile::text::{line_no, LineIndex};
use crate::lockfile::Format;
use crate::{Ecosystem, Manifest, Package, ParseError, SourceKind};

/// The newest lockfile version this parser knows.
const MAX_VERSION: i64 = 4;

/// One `[[package]]` table, from either reader.
struct Raw<'a> {
    name: Option<Cow<'a, str>>,
    version: Option<Cow<'a, str>>,
    source: Option<Cow<'a, str>>,
    dependencies: Vec<Cow<'a, str>>,
    line: u32,
}

/// The lockfile's `version` key and its line.
struct Lock<'a> {
    version: Option<(Option<i64>, u32)>,
    packages: Vec<Raw<'a>>,
}

pub fn parse(_path: &Path, text: &str) -> Result<Manifest, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Cargo writes lockfiles in one fixed layout, which a line reader takes in a fraction of a
    // full TOML parse; anything else (hand edits, other layouts) goes to the TOML parser.
    let lock = match fast(text) {
        Some(lock) => lock,
        None => slow(text)?,
    };

    if let Some((v, line)) = lock.version {
        match v {
            Some(n) if (1..=MAX_VERSION).contains(&n) => {}
            Some(n) => {
                return Err(ParseError::at(
                    line,
                    format!("unsupported Cargo.lock version {n} (versions 1 to {MAX_VERSION} are supported)"),
                ))
            }
            None => return Err(ParseError::at(line, "Cargo.lock `version` is not an integer")),
        }
    }

    let mut manifest = Manifest::new(Format::CargoLock);
    let packages = &lock.packages;
    let mut kept: Vec<usize> = Vec::with_capacity(packages.len());
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::with_capacity(packages.len());
    for (i, raw) in packages.iter().enumerate() {
        let Some(name) = raw.name.as_deref() else {
            manifest.warn(Some(raw.line), "[[package]] without a name");
            continue;
        };
        if raw.version.is_none() {
            manifest.warn(Some(raw.line), format!("package {name} has no version"));
            continue;
        }
        kept.push(i);
        by_name.entry(name).or_default().push(i);
    }

    // Direct dependencies: what the source-less (workspace) packages depend on.
    let mut has_members = false;
    let mut direct = vec![false; packages.len()];
    for &i in &kept {
        let Some(raw) = packages.get(i) else {
            continue;
        };
        if raw.source.is_some() {
            continue;
        }
        has_members = true;
        for dep in &raw.dependencies {
            match resolve(dep, &by_name, packages) {
                Some(j) => {
                    if let Some(d) = direct.get_mut(j) {
                        *d = true;
                    }
                }
                None => manifest.warn(
                    Some(raw.line),
                    format!("dependency {dep:?} is not in the lockfile"),
                ),
            }
        }
    }

    for &i in &kept {
        let Some(raw) = packages.get(i) else {
            continue;
        };
        let (Some(name), Some(version)) = (&raw.name, &raw.version) else {
            continue;
        };
        let mut p = Package::new(Ecosystem::CratesIo, name.as_ref(), version.as_ref());
        p.line = Some(raw.line);
        p.source = source_kind(raw.source.as_deref());
        let is_direct = direct.get(i).copied().unwrap_or(false);
        p.direct = match (has_members, raw.source.is_some()) {
            (false, _) => None,
            // A workspace member nothing else depends on is a root, not a dependency.
            (true, false) if !is_direct => None,
            (true, _) => Some(is_direct),
        };
        manifest.packages.push(p);
    }
    Ok(manifest)
}

/// Reads the layout Cargo writes; `None` at the first line outside it.
fn fast(text: &str) -> Option<Lock<'_>> {
    #[derive(PartialEq)]
    enum Table {
        Top,
        Package,
        /// `[metadata]`, `[[patch.unused]]`: nothing to take from them.
        Other,
    }
    let mut lock = Lock {
        version: None,
        packages: Vec::new(),
    };
    let mut table = Table::Top;
    let mut in_deps = false;
    let mut seen_metadata = false;
    for (i, raw_line) in text.split('\n').enumerate() {
        let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        let trimmed = line.trim();
        if in_deps {
            if trimmed == "]" {
                in_deps = false;
            } else {
                let item = trimmed.strip_suffix(',').unwrap_or(trimmed);
                lock.packages
                    .last_mut()?
                    .dependencies
                    .push(Cow::Borrowed(basic_string(item)?));
            }
            continue;
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if trimmed.starts_with('[') {
            match trimmed {
                "[[package]]" => {
                    table = Table::Package;
                    lock.packages.push(Raw {
                        name: None,
                        version: None,
                        source: None,
                        dependencies: Vec::new(),
                        line: line_no(i + 1),
                    });
                }
                "[metadata]" if !seen_metadata => {
                    seen_metadata = true;
                    table = Table::Other;
                }
                "[[patch.unused]]" => table = Table::Other,
                _ => return None,
            }
            continue;
        }
        let (key, value) = split_assignment(trimmed)?;
        match table {
            Table::Top => {
                if key != "version" || lock.version.is_some() {
                    return None;
                }
                lock.version = Some((Some(value.parse().ok()?), line_no(i + 1)));
            }
            Table::Other => {
                // `"checksum …" = "…"` and plain keys; checked only for shape.
                if key.starts_with('"') {
                    basic_string(key)?;
                } else if !bare_key(key) {
                    return None;
                }
                if value != "[]" && !value.starts_with('[') {
                    basic_string(value)?;
                }
            }
            Table::Package => {
                let pkg = lock.packages.last_mut()?;
                let slot = match key {
                    "name" => &mut pkg.name,
                    "version" => &mut pkg.version,
                    "source" => &mut pkg.source,
                    "dependencies" => {
                        if !pkg.dependencies.is_empty() {
                            return None;
                        }
                        match value {
                            "[" => in_deps = true,
                            "[]" => {}
                            _ => return None,
                        }
                        continue;
                    }
                    _ if bare_key(key) => {
                        basic_string(value)?;
                        continue;
                    }
                    _ => return None,
                };
                if slot.is_some() {
                    return None;
                }
                *slot = Some(Cow::Borrowed(basic_string(value)?));
            }
        }
    }
    (!in_deps).then_some(lock)
}

/// `key = value`, split at the first `=`, which must have a space on each side.
fn split_assignment(s: &str) -> Option<(&str, &str)> {
    let i = memchr::memchr(b'=', s.as_bytes())?;
    let key = s.get(..i)?.strip_suffix(' ')?;
    let value = s.get(i + 1..)?.strip_prefix(' ')?;
    Some((key, value))
}

/// The contents of a TOML basic string without escapes (`"…"`).
fn basic_string(s: &str) -> Option<&str> {
    let inner = s.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains(['"', '\\'])).then_some(inner)
}

fn bare_key(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[derive(Deserialize)]
struct TomlLock {
    version: Option<toml::Spanned<toml::Value>>,
    #[serde(default)]
    package: Vec<toml::Spanned<TomlEntry>>,
}

#[derive(Deserialize)]
struct TomlEntry {
    name: Option<String>,
    version: Option<String>,
    source: Option<String>,
    #[serde(default)]
    dependencies: Vec<String>,
}

/// Any valid TOML, through the full parser.
fn slow(text: &str) -> Result<Lock<'static>, ParseError> {
    let index = LineIndex::new(text);
    let lock: TomlLock = toml::from_str(text).map_err(|e| {
        let message = format!("invalid TOML: {}", e.message());
        match e.span() {
            Some(span) => ParseError::at(index.line(span.start), message),
            None => ParseError::new(message),
        }
    })?;
    Ok(Lock {
        version: lock
            .version
            .map(|v| (v.get_ref().as_integer(), index.line(v.span().start))),
        packages: lock
            .package
            .into_iter()
            .map(|s| {
                let line = header_line(text, &index, s.span().start);
                let e = s.into_inner();
                Raw {
                    name: e.name.map(Cow::Owned),
                    version: e.version.map(Cow::Owned),
                    source: e.source.map(Cow::Owned),
                    dependencies: e.dependencies.into_iter().map(Cow::Owned).collect(),
                    line,
                }
            })
            .collect(),
    })
}

/// The line of the `[[package]]` header that opens the table starting near `offset`.
fn header_line(text: &str, index: &LineIndex, offset: usize) -> u32 {
    let line = index.line(offset);
    if text.get(offset..).is_some_and(|t| t.starts_with("[[")) {
        return line;
    }
    // The span may start at the table's first key; walk back to the header (comments and
    // blank lines may sit between).
    let head = text.get(..offset.min(text.len())).unwrap_or("");
    if let Some(pos) = head.rfind("[[package]]") {
        let header = index.line(pos);
        // Only if nothing but this table's own lines lie between.
        let between = text.get(pos..offset.min(text.len())).unwrap_or("");
        if !between.contains("\n[") {
            return header;
        }
    }
    line.max(line_no(1))
}

fn source_kind(source: Option<&str>) -> SourceKind {
    match source {
        None => SourceKind::Path,
        Some(s) if s.starts_with("registry+") || s.starts_with("sparse+") => SourceKind::Registry,
        Some(s) if s.starts_with("git+") => SourceKind::Git,
        Some(s) if s.starts_with("path+") => SourceKind::Path,
        Some(_) => SourceKind::Other,
    }
}

/// Finds the package a `dependencies` entry names: `name`, `name version` or
/// `name version (source)` (version 1 always writes the last form for registry packages).
fn resolve(dep: &str, by_name: &HashMap<&str, Vec<usize>>, packages: &[Raw]) -> Option<usize> {
    let mut parts = dep.splitn(3, ' ');
    let name = parts.next()?;
    let version = parts.next();
    let source = parts
        .next()
        .map(|s| s.trim().trim_start_matches('(').trim_end_matches(')'));
    let candidates = by_name.get(name)?;
    if candidates.len() == 1 && version.is_none() {
        return candidates.first().copied();
    }
    let entry = |i: usize| packages.get(i);
    let mut matching = candidates.iter().copied().filter(|&i| {
        version.is_none_or(|v| entry(i).and_then(|e| e.version.as_deref()) == Some(v))
    });
    let first = matching.next()?;
    let Some(src) = source else {
        return Some(first);
    };
    std::iter::once(first)
        .chain(matching)
        .find(|&i| entry(i).and_then(|e| e.source.as_deref()) == Some(src))
        .or(Some(first))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(s: &str) -> Result<Manifest, ParseError> {
        parse(Path::new("Cargo.lock"), s)
    }

    #[test]
    fn v3_workspace_direct_and_sources() {
        let lock = r#"# comment
version = 3

[[package]]
name = "app"
version = "0.1.0"
dependencies = [
 "serde",
 "syn 2.0.0",
 "cargo",
]

[[package]]
name = "serde"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "syn"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "syn"
version = "2.0.0"
source = "sparse+https://index.crates.io/"

[[package]]
# a comment inside
name = "cargo"
version = "0.70.0"
source = "git+https://github.com/rust-lang/cargo?branch=master#061a9ab"
"#;
        let m = parse_str(lock).unwrap();
        let got: Vec<_> = m
            .packages
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.version.as_str(),
                    p.line,
                    p.direct,
                    p.source,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("app", "0.1.0", Some(4), None, SourceKind::Path),
                ("serde", "1.0.0", Some(13), Some(true), SourceKind::Registry),
                ("syn", "1.0.0", Some(18), Some(false), SourceKind::Registry),
                ("syn", "2.0.0", Some(23), Some(true), SourceKind::Registry),
                ("cargo", "0.70.0", Some(28), Some(true), SourceKind::Git),
            ]
        );
        assert!(m.warnings.is_empty());
    }

    #[test]
    fn v1_dependency_strings_and_metadata() {
        let lock = r#"[[package]]
name = "app"
version = "0.1.0"
dependencies = [
 "libc 0.2.1 (registry+https://github.com/rust-lang/crates.io-index)",
]

[[package]]
name = "libc"
version = "0.2.1"
source = "registry+https://github.com/rust-lang/crates.io-index"

[metadata]
"checksum libc 0.2.1 (registry+https://github.com/rust-lang/crates.io-index)" = "abc"
"#;
        let m = parse_str(lock).unwrap();
        assert_eq!(m.packages.len(), 2);
        assert_eq!(m.packages[1].direct, Some(true));
        assert_eq!(m.packages[1].line, Some(8));
    }

    #[test]
    fn unknown_version_is_an_error() {
        let e = parse_str("version = 99\n").unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("99"), "{e}");
        assert!(parse_str("version = \"x\"\n").is_err());
    }

    #[test]
    fn malformed_is_an_error_with_a_line() {
        let e = parse_str("version = 3\n\n[[package]]\nname = \n").unwrap_err();
        assert_eq!(e.line, Some(4));
        assert!(parse_str("this is not valid toml! (I think)").is_err());
        assert!(parse_str("package = 3").is_err());
    }

    #[test]
    fn incomplete_entries_are_warnings() {
        let m = parse_str("[[package]]\nname = \"a\"\n\n[[package]]\nversion = \"1\"\n").unwrap();
        assert!(m.packages.is_empty());
        assert_eq!(m.warnings.len(), 2);
        assert_eq!(m.warnings[0].line, Some(1));
        assert_eq!(m.warnings[1].line, Some(4));
    }

    #[test]
    fn other_layouts_go_through_toml() {
        let lock = "version = 3\n[[package]]\nname = 'a'\nversion = \"1.0.0\"\ndependencies = [\"b\"]\n\n[[package]]\nname = \"b\"\nversion = \"2.0.0\" # pinned\nsource = \"registry+x\"\n";
        assert!(fast(lock).is_none());
        let m = parse_str(lock).unwrap();
        let got: Vec<_> = m
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.line, p.direct))
            .collect();
        assert_eq!(got, vec![("a", Some(2), None), ("b", Some(7), Some(true))]);
    }

    #[test]
    fn both_readers_agree() {
        let lock = "version = 4\n\n[[package]]\nname = \"a\"\nversion = \"0.1.0\"\ndependencies = [\n \"b\",\n]\n\n[[package]]\nname = \"b\"\nversion = \"1.0.0\"\nsource = \"registry+x\"\nchecksum = \"00\"\n\n[[patch.unused]]\nname = \"c\"\nversion = \"1.0.0\"\n";
        let f = fast(lock).expect("canonical layout");
        let s = slow(lock).unwrap();
        fn key(l: &Lock) -> Vec<String> {
            l.packages
                .iter()
                .map(|p| {
                    format!(
                        "{:?} {:?} {:?} {:?} {}",
                        p.name, p.version, p.source, p.dependencies, p.line
                    )
                })
                .collect()
        }
        assert_eq!(key(&f), key(&s));
        assert_eq!(f.version.map(|v| v.0), s.version.map(|v| v.0));
    }

    #[test]
    fn duplicate_keys_are_left_to_toml() {
        let lock = "[[package]]\nname = \"a\"\nname = \"b\"\nversion = \"1\"\n";
        assert!(fast(lock).is_none());
        assert!(parse_str(lock).is_err());
        assert!(parse_str("[[package]]\nname = \"a\"\ndependencies = [\n \"b\",\n").is_err());
    }

    #[test]
    fn empty_and_fragments() {
        assert!(parse_str("").unwrap().packages.is_empty());
        let m =
            parse_str("[[package]]\nname = \"a\"\nversion = \"1.0.0\"\nsource = \"registry+x\"\n")
                .unwrap();
        assert_eq!(m.packages[0].direct, None);
    }
}
