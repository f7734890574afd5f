//! `pdm.lock` (lock versions 3.x and 4.x).
//!
//! Each `[[package]]` lists the groups that need it: `default` ships; other groups are either
//! development groups or optional extras, which the lockfile does not tell apart, so a package
//! is dev only when every group it is in has a development name (`dev`, `test`, `lint`, …).

use std::borrow::Cow;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::lockfile::fast_toml::{Item, Reader, Unsupported};
use crate::lockfile::text::LineIndex;
use crate::lockfile::Format;
use crate::{Ecosystem, Manifest, Package, ParseError, SourceKind};

/// What both readers produce; the full TOML parser fills it through serde, owning its strings.
#[derive(Deserialize, Default)]
struct Lock<'a> {
    #[serde(default)]
    package: Vec<Spanned<RawPackage<'a>>>,
    metadata: Option<Metadata<'a>>,
}

#[derive(Deserialize, Default)]
struct Metadata<'a> {
    lock_version: Option<Spanned<Cow<'a, str>>>,
}

#[derive(Deserialize, Default)]
struct RawPackage<'a> {
    name: Option<Spanned<Cow<'a, str>>>,
    version: Option<Cow<'a, str>>,
    groups: Option<Vec<Cow<'a, str>>>,
    git: Option<Cow<'a, str>>,
    url: Option<Cow<'a, str>>,
    path: Option<Cow<'a, str>>,
}

pub fn parse(_path: &Path, text: &str) -> Result<Manifest, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = LineIndex::new(text);
    let lock = match fast(text) {
        Ok(lock) => lock,
        Err(Unsupported) => toml::from_str(text).map_err(|e| toml_error(&lines, &e))?,
    };
    build(&lock, &lines)
}

fn build(lock: &Lock, lines: &LineIndex) -> Result<Manifest, ParseError> {
    if let Some(version) = lock.metadata.as_ref().and_then(|m| m.lock_version.as_ref()) {
        let major = version.get_ref().split('.').next().unwrap_or_default();
        if !matches!(major, "3" | "4") {
            return Err(ParseError::at(
                lines.line(version.span().start),
                format!(
                    "unsupported pdm.lock lock_version {:?} (3.x and 4.x are known)",
                    version.get_ref()
                ),
            ));
        }
    }
    let mut manifest = Manifest::new(Format::PdmLock);
    manifest.packages.reserve(lock.package.len());
    for raw in &lock.package {
        let at = lines.line(raw.span().start);
        let raw = raw.get_ref();
        let (Some(name), Some(version)) = (&raw.name, &raw.version) else {
            manifest.warn(Some(at), "[[package]] without name or version, not checked");
            continue;
        };
        let mut package = Package::new(Ecosystem::PyPI, name.get_ref().as_ref(), version.as_ref());
        package.line = Some(lines.line(name.span().start));
        package.dev = raw.groups.as_deref().and_then(dev_flag);
        package.source = if raw.git.is_some() {
            SourceKind::Git
        } else if raw.path.is_some() {
            SourceKind::Path
        } else if raw.url.is_some() {
            SourceKind::Other
        } else {
            SourceKind::Registry
        };
        manifest.packages.push(package);
    }
    Ok(manifest)
}

/// Reads the layout PDM writes; [`Unsupported`] sends the file to the full TOML parser.
fn fast(text: &str) -> Result<Lock<'_>, Unsupported> {
    enum Table {
        Root,
        Package,
        Metadata,
        Other,
    }
    let mut reader = Reader::new(text);
    let mut lock = Lock::default();
    let mut table = Table::Root;
    while let Some(item) = reader.next()? {
        match item {
            Item::Table {
                keys,
                array,
                offset,
            } => {
                let first = keys.first().map(AsRef::as_ref);
                table = match (first, keys.len(), array) {
                    (Some("package"), 1, true) => {
                        lock.package
                            .push(Spanned::new(offset..offset, RawPackage::default()));
                        Table::Package
                    }
                    (Some("package"), 1, _) => return Err(Unsupported),
                    (Some("package"), _, _) if lock.package.is_empty() => return Err(Unsupported),
                    (Some("metadata"), 1, false) => {
                        if lock.metadata.is_some() {
                            return Err(Unsupported);
                        }
                        lock.metadata = Some(Metadata::default());
                        Table::Metadata
                    }
                    (Some("metadata"), 1, true) => return Err(Unsupported),
                    _ => Table::Other,
                };
            }
            Item::Key { keys, offset } => {
                let key: Vec<&str> = keys.iter().map(AsRef::as_ref).collect();
                let package = lock.package.last_mut().map(Spanned::get_mut);
                match (&table, key.as_slice(), package) {
                    (Table::Root, ["package" | "metadata", ..], _) => return Err(Unsupported),
                    (Table::Metadata, ["lock_version"], _) => {
                        let version = Spanned::new(offset..offset, reader.value()?.into_str()?);
                        let metadata = lock.metadata.get_or_insert_with(Metadata::default);
                        set(&mut metadata.lock_version, version)?;
                    }
                    (Table::Package, ["name"], Some(p)) => {
                        let name = reader.value()?.into_str()?;
                        set(&mut p.name, Spanned::new(offset..offset, name))?;
                    }
                    (Table::Package, ["version"], Some(p)) => {
                        set(&mut p.version, reader.value()?.into_str()?)?
                    }
                    (Table::Package, ["groups"], Some(p)) => {
                        set(&mut p.groups, reader.value()?.into_strings()?)?
                    }
                    (Table::Package, ["git"], Some(p)) => {
                        set(&mut p.git, reader.value()?.into_str()?)?
                    }
                    (Table::Package, ["url"], Some(p)) => {
                        set(&mut p.url, reader.value()?.into_str()?)?
                    }
                    (Table::Package, ["path"], Some(p)) => {
                        set(&mut p.path, reader.value()?.into_str()?)?
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

/// `Some(false)` when a shipping group needs the package, `Some(true)` when only development
/// groups do, `None` when an unknown group (an extra, or a dev group with another name) does.
fn dev_flag(groups: &[Cow<str>]) -> Option<bool> {
    if groups.is_empty() {
        return None;
    }
    if groups.iter().any(|g| g == "default") {
        return Some(false);
    }
    groups.iter().all(|g| is_dev_group(g)).then_some(true)
}

fn is_dev_group(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "dev"
            | "devel"
            | "develop"
            | "development"
            | "test"
            | "tests"
            | "testing"
            | "lint"
            | "linting"
            | "lints"
            | "doc"
            | "docs"
            | "typing"
            | "types"
            | "mypy"
            | "format"
            | "fmt"
            | "style"
            | "ci"
            | "coverage"
            | "bench"
            | "benchmark"
            | "benchmarks"
            | "qa"
    )
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
        parse(Path::new("pdm.lock"), text)
    }

    #[test]
    fn groups_sources_and_lines() {
        let m = parse_str(
            r#"[metadata]
groups = ["default", "dev", "extra"]
lock_version = "4.4.1"

[[package]]
name = "toml"
version = "0.10.2"
groups = ["default", "dev"]

[[package]]
name = "pytest"
version = "8.0.0"
groups = ["dev", "test"]

[[package]]
name = "rich"
version = "13.0.0"
groups = ["extra"]
git = "https://github.com/Textualize/rich.git"
"#,
        )
        .unwrap();
        let got: Vec<_> = m
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.line, p.dev, p.source, p.direct))
            .collect();
        assert_eq!(
            got,
            vec![
                ("toml", Some(6), Some(false), SourceKind::Registry, None),
                ("pytest", Some(11), Some(true), SourceKind::Registry, None),
                ("rich", Some(16), None, SourceKind::Git, None),
            ]
        );
    }

    use crate::lockfile::fast_toml::Built;

    /// Both readers' results for `text`, built into manifests.
    fn readers(text: &str) -> (Built, Built) {
        let lines = LineIndex::new(text);
        (
            fast(text).ok().map(|l| build(&l, &lines)),
            toml::from_str::<Lock>(text).ok().map(|l| build(&l, &lines)),
        )
    }

    /// Damaged fixtures: whatever the fast reader accepts, the full parser accepts and reads
    /// the same way.
    #[test]
    fn fast_reader_accepts_only_what_toml_does() {
        crate::lockfile::fast_toml::check_damaged_fixtures("pdm-lock", readers);
    }

    /// The fast reader takes every fixture and agrees with the full parser.
    #[test]
    fn both_readers_agree_on_the_fixtures() {
        crate::lockfile::fast_toml::check_fixtures("pdm-lock", 6, readers);
    }

    #[test]
    fn errors() {
        let e = parse_str("[metadata]\nlock_version = \"9.0\"\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(parse_str("this is not toml").is_err());
        let m = parse_str("[[package]]\nversion = \"1\"\n").unwrap();
        assert_eq!(m.warnings.len(), 1);
    }
}
