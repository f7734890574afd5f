//! `poetry.lock`, lock versions 1.x (Poetry 1.0–1.2, `category = "main" | "dev"`) and 2.x
//! (Poetry 1.3+, `groups = [...]` since 2.1).
//!
//! The lockfile does not say which packages the project names itself, so `direct` is unknown.
//!
//! [`fast_toml`](crate::lockfile::fast_toml) reads the layout lock generators write; anything
//! else goes through the `toml` crate.

use std::borrow::Cow;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::lockfile::fast_toml::{Item, Reader, Unsupported};
use crate::lockfile::text::LineIndex;
use crate::lockfile::Format;
use crate::{Ecosystem, Manifest, Package, ParseError, SourceKind};

/// One `[[package]]`, from either reader; offsets are bytes into the text.
struct Raw<'a> {
    offset: usize,
    name: Option<(Cow<'a, str>, usize)>,
    version: Option<Cow<'a, str>>,
    category: Option<Cow<'a, str>>,
    groups: Option<Vec<Cow<'a, str>>>,
    source_type: Option<Cow<'a, str>>,
}

impl Raw<'_> {
    fn at(offset: usize) -> Self {
        Raw {
            offset,
            name: None,
            version: None,
            category: None,
            groups: None,
            source_type: None,
        }
    }
}

#[derive(Default)]
struct Lock<'a> {
    packages: Vec<Raw<'a>>,
    lock_version: Option<(Cow<'a, str>, usize)>,
}

pub fn parse(_path: &Path, text: &str) -> Result<Manifest, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = LineIndex::new(text);
    let lock = match fast(text) {
        Ok(lock) => lock,
        Err(Unsupported) => slow(text, &lines)?,
    };
    build(&lock, &lines)
}

fn build(lock: &Lock, lines: &LineIndex) -> Result<Manifest, ParseError> {
    if let Some((version, offset)) = &lock.lock_version {
        let major = version.split('.').next().unwrap_or_default();
        if !matches!(major, "1" | "2") {
            return Err(ParseError::at(
                lines.line(*offset),
                format!("unsupported poetry.lock lock-version {version:?} (1.x and 2.x are known)"),
            ));
        }
    }
    let mut manifest = Manifest::new(Format::PoetryLock);
    manifest.packages.reserve(lock.packages.len());
    for raw in &lock.packages {
        let (Some((name, name_at)), Some(version)) = (&raw.name, &raw.version) else {
            manifest.warn(
                Some(lines.line(raw.offset)),
                "[[package]] without name or version, not checked",
            );
            continue;
        };
        let mut package = Package::new(Ecosystem::PyPI, name.as_ref(), version.as_ref());
        package.line = Some(lines.line(*name_at));
        package.dev = dev_flag(raw);
        package.source = match raw.source_type.as_deref() {
            Some("git") => SourceKind::Git,
            Some("directory" | "file") => SourceKind::Path,
            Some("url") => SourceKind::Other,
            // `legacy` is a secondary package index: still a registry.
            _ => SourceKind::Registry,
        };
        manifest.packages.push(package);
    }
    Ok(manifest)
}

/// Reads the layout Poetry writes; [`Unsupported`] sends the file to [`slow`].
fn fast(text: &str) -> Result<Lock<'_>, Unsupported> {
    enum Table {
        Root,
        Package,
        Source,
        Metadata,
        Other,
    }
    let mut reader = Reader::new(text);
    let mut lock = Lock::default();
    let mut table = Table::Root;
    let mut inline_packages = false;
    while let Some(item) = reader.next()? {
        match item {
            Item::Table {
                keys,
                array,
                offset,
            } => {
                let first = keys.first().map(AsRef::as_ref);
                table = match (first, keys.len(), array) {
                    (Some("package"), 1, true) if !inline_packages => {
                        lock.packages.push(Raw::at(offset));
                        Table::Package
                    }
                    (Some("package"), 1, _) => return Err(Unsupported),
                    (Some("package"), _, _) if lock.packages.is_empty() => return Err(Unsupported),
                    (Some("package"), 2, false) if keys.get(1).is_some_and(|k| k == "source") => {
                        Table::Source
                    }
                    (Some("metadata"), 1, false) => Table::Metadata,
                    _ => Table::Other,
                };
            }
            Item::Key { keys, offset } => {
                let key: Vec<&str> = keys.iter().map(AsRef::as_ref).collect();
                let package = lock.packages.last_mut();
                match (&table, key.as_slice(), package) {
                    (Table::Root, ["package"], _) => {
                        inline_packages = true;
                        if !reader.value()?.into_array()?.is_empty() {
                            return Err(Unsupported);
                        }
                    }
                    (Table::Package, ["name"], Some(p)) => {
                        set(&mut p.name, (reader.value()?.into_str()?, offset))?;
                    }
                    (Table::Package, ["version"], Some(p)) => {
                        set(&mut p.version, reader.value()?.into_str()?)?
                    }
                    (Table::Package, ["category"], Some(p)) => {
                        set(&mut p.category, reader.value()?.into_str()?)?
                    }
                    (Table::Package, ["groups"], Some(p)) => {
                        set(&mut p.groups, reader.value()?.into_strings()?)?
                    }
                    (Table::Package, ["source"], Some(p)) => {
                        for (k, v) in reader.value()?.into_table()? {
                            if k == "type" {
                                set(&mut p.source_type, v.into_str()?)?;
                            }
                        }
                    }
                    (Table::Package, ["source", "type"], Some(p))
                    | (Table::Source, ["type"], Some(p)) => {
                        set(&mut p.source_type, reader.value()?.into_str()?)?;
                    }
                    (Table::Metadata, ["lock-version"], _) => {
                        set(
                            &mut lock.lock_version,
                            (reader.value()?.into_str()?, offset),
                        )?;
                    }
                    _ => reader.skip()?,
                }
            }
        }
    }
    Ok(lock)
}

/// Fills a field once: a repeated key is malformed TOML, for the full parser to report.
fn set<T>(slot: &mut Option<T>, value: T) -> Result<(), Unsupported> {
    if slot.is_some() {
        return Err(Unsupported);
    }
    *slot = Some(value);
    Ok(())
}

#[derive(Deserialize)]
struct TomlLock {
    #[serde(default)]
    package: Vec<Spanned<TomlPackage>>,
    metadata: Option<TomlMetadata>,
}

#[derive(Deserialize)]
struct TomlMetadata {
    #[serde(rename = "lock-version")]
    lock_version: Option<Spanned<String>>,
}

#[derive(Deserialize)]
struct TomlPackage {
    name: Option<Spanned<String>>,
    version: Option<String>,
    category: Option<String>,
    groups: Option<Vec<String>>,
    source: Option<TomlSource>,
}

#[derive(Deserialize)]
struct TomlSource {
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// The full TOML parser, for files outside the usual layout and for error messages.
fn slow(text: &str, lines: &LineIndex) -> Result<Lock<'static>, ParseError> {
    let lock: TomlLock = toml::from_str(text).map_err(|e| toml_error(lines, &e))?;
    let packages = lock
        .package
        .into_iter()
        .map(|spanned| {
            let offset = spanned.span().start;
            let p = spanned.into_inner();
            Raw {
                offset,
                name: p
                    .name
                    .map(|n| (n.span().start, n.into_inner()))
                    .map(|(o, n)| (Cow::Owned(n), o)),
                version: p.version.map(Cow::Owned),
                category: p.category.map(Cow::Owned),
                groups: p.groups.map(|g| g.into_iter().map(Cow::Owned).collect()),
                source_type: p.source.and_then(|s| s.kind).map(Cow::Owned),
            }
        })
        .collect();
    let lock_version = lock
        .metadata
        .and_then(|m| m.lock_version)
        .map(|v| (v.span().start, v.into_inner()))
        .map(|(o, v)| (Cow::Owned(v), o));
    Ok(Lock {
        packages,
        lock_version,
    })
}

/// `groups` (lock 2.1) wins over `category` (lock 1.x and 2.0): a package is dev only when
/// no group that ships needs it. Optional extras are in `main`.
fn dev_flag(raw: &Raw) -> Option<bool> {
    if let Some(groups) = &raw.groups {
        if groups.is_empty() {
            return None;
        }
        return Some(!groups.iter().any(|g| g == "main"));
    }
    match raw.category.as_deref() {
        Some("dev") => Some(true),
        Some("main") => Some(false),
        _ => None,
    }
}

fn toml_error(lines: &LineIndex, e: &toml::de::Error) -> ParseError {
    let message = format!("invalid TOML: {}", e.message().trim_end());
    match e.span() {
        Some(span) => ParseError::at(lines.line(span.start), message),
        None => ParseError::new(message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Manifest, ParseError> {
        parse(Path::new("poetry.lock"), text)
    }

    use crate::lockfile::fast_toml::Built;

    /// Both readers' results for `text`, built into manifests.
    fn readers(text: &str) -> (Built, Built) {
        let lines = LineIndex::new(text);
        (
            fast(text).ok().map(|l| build(&l, &lines)),
            slow(text, &lines).ok().map(|l| build(&l, &lines)),
        )
    }

    /// Damaged fixtures: whatever the fast reader accepts, the full parser accepts and reads
    /// the same way.
    #[test]
    fn fast_reader_accepts_only_what_toml_does() {
        crate::lockfile::fast_toml::check_damaged_fixtures("poetry-lock", readers);
    }

    /// The fast reader takes every fixture and agrees with the full parser.
    #[test]
    fn both_readers_agree_on_the_fixtures() {
        crate::lockfile::fast_toml::check_fixtures("poetry-lock", 10, readers);
    }

    #[test]
    fn v1_categories_and_sources() {
        let m = parse_str(
            r#"[[package]]
name = "numpy"
version = "1.23.3"
category = "main"

[[package]]
name = "pytest"
version = "7.0.0"
category = "dev"

[[package]]
name = "ike"
version = "0.2.0"
category = "main"

[package.source]
type = "git"
url = "https://github.com/dzshn/ike"

[metadata]
lock-version = "1.1"
"#,
        )
        .unwrap();
        let got: Vec<_> = m
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.line, p.dev, p.source))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "numpy",
                    "1.23.3",
                    Some(2),
                    Some(false),
                    SourceKind::Registry
                ),
                ("pytest", "7.0.0", Some(7), Some(true), SourceKind::Registry),
                ("ike", "0.2.0", Some(12), Some(false), SourceKind::Git),
            ]
        );
    }

    #[test]
    fn v2_groups() {
        let m = parse_str(
            "[[package]]\nname = \"a\"\nversion = \"1\"\ngroups = [\"dev\", \"test\"]\n\n\
             [[package]]\nname = \"b\"\nversion = \"2\"\ngroups = [\"main\", \"dev\"]\n\n\
             [metadata]\nlock-version = \"2.1\"\n",
        )
        .unwrap();
        let dev: Vec<_> = m.packages.iter().map(|p| p.dev).collect();
        assert_eq!(dev, vec![Some(true), Some(false)]);
    }

    #[test]
    fn unknown_lock_version_is_an_error() {
        let e = parse_str("package = []\n[metadata]\nlock-version = \"3.0\"\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("3.0"));
    }

    #[test]
    fn incomplete_packages_warn_and_bad_toml_fails() {
        let m = parse_str("[[package]]\nname = \"a\"\n").unwrap();
        assert!(m.packages.is_empty());
        assert_eq!(m.warnings[0].line, Some(1));
        let e = parse_str("[[package]]\nname = \"a\nversion = 1\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(parse_str("").unwrap().packages.is_empty());
    }
}
