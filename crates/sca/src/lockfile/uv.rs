//! `uv.lock` (lock version 1, any revision).
//!
//! The workspace's own packages (source `virtual` or `editable`) are the roots, not
//! dependencies. A package is direct when a root lists it (in `dependencies`, an extra or a
//! dependency group); it is dev when only dependency groups (`[package.dev-dependencies]`) or
//! extras with a development name (`dev`, `test`, `lint`, …) reach it, following each
//! package's dependencies and the extras they activate. Without roots (a lockfile uv did not
//! write for a project) both stay unknown.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::lockfile::fast_toml::{Item, Reader, Unsupported, Value};
use crate::lockfile::text::LineIndex;
use crate::lockfile::Format;
use crate::{Ecosystem, Manifest, Package, ParseError, SourceKind};

/// What both readers produce; the full TOML parser fills it through serde, owning its strings.
#[derive(Deserialize, Default)]
struct Lock<'a> {
    version: Option<Spanned<i64>>,
    #[serde(default)]
    package: Vec<Spanned<RawPackage<'a>>>,
}

#[derive(Deserialize, Default)]
struct RawPackage<'a> {
    name: Option<Spanned<Cow<'a, str>>>,
    version: Option<Cow<'a, str>>,
    #[serde(default)]
    source: Source<'a>,
    #[serde(default)]
    dependencies: Vec<Dep<'a>>,
    #[serde(default, rename = "optional-dependencies")]
    optional: BTreeMap<Cow<'a, str>, Vec<Dep<'a>>>,
    #[serde(default, rename = "dev-dependencies")]
    groups: BTreeMap<Cow<'a, str>, Vec<Dep<'a>>>,
}

#[derive(Deserialize, Default, PartialEq, Eq)]
struct Source<'a> {
    registry: Option<Cow<'a, str>>,
    git: Option<Cow<'a, str>>,
    url: Option<Cow<'a, str>>,
    path: Option<Cow<'a, str>>,
    directory: Option<Cow<'a, str>>,
    editable: Option<Cow<'a, str>>,
    #[serde(rename = "virtual")]
    virtual_: Option<Cow<'a, str>>,
}

impl Source<'_> {
    fn is_root(&self) -> bool {
        self.editable.is_some() || self.virtual_.is_some()
    }

    fn kind(&self) -> SourceKind {
        if self.git.is_some() {
            SourceKind::Git
        } else if self.path.is_some() || self.directory.is_some() {
            SourceKind::Path
        } else if self.url.is_some() {
            SourceKind::Other
        } else {
            SourceKind::Registry
        }
    }
}

/// A reference to another `[[package]]`; `version` and `source` are written only when the
/// name alone is ambiguous (several versions locked for different markers).
#[derive(Deserialize)]
struct Dep<'a> {
    name: Cow<'a, str>,
    version: Option<Cow<'a, str>>,
    source: Option<Source<'a>>,
    #[serde(default)]
    extra: Vec<Cow<'a, str>>,
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
    if let Some(version) = &lock.version {
        if *version.get_ref() != 1 {
            return Err(ParseError::at(
                lines.line(version.span().start),
                format!(
                    "unsupported uv.lock version {} (1 is known)",
                    version.get_ref()
                ),
            ));
        }
    }
    let packages: Vec<&RawPackage> = lock.package.iter().map(Spanned::get_ref).collect();
    let graph = Graph::new(&packages);
    let roots: Vec<usize> = (0..packages.len())
        .filter(|&i| packages[i].source.is_root())
        .collect();

    let mut direct = vec![false; packages.len()];
    let mut prod_starts = Vec::new();
    let mut dev_starts = Vec::new();
    for &root in &roots {
        let raw = packages[root];
        prod_starts.extend(raw.dependencies.iter());
        for (extra, deps) in &raw.optional {
            if is_dev_name(extra) {
                dev_starts.extend(deps.iter());
            } else {
                prod_starts.extend(deps.iter());
            }
        }
        for deps in raw.groups.values() {
            dev_starts.extend(deps.iter());
        }
    }
    for dep in prod_starts.iter().chain(dev_starts.iter()) {
        if let Some(i) = graph.resolve(dep) {
            direct[i] = true;
        }
    }
    let prod = graph.reach(&prod_starts);
    let dev = graph.reach(&dev_starts);

    let mut manifest = Manifest::new(Format::UvLock);
    manifest.packages.reserve(packages.len());
    for (i, spanned) in lock.package.iter().enumerate() {
        let raw = spanned.get_ref();
        if raw.source.is_root() {
            continue;
        }
        let (Some(name), Some(version)) = (&raw.name, &raw.version) else {
            manifest.warn(
                Some(lines.line(spanned.span().start)),
                "[[package]] without name or version, not checked",
            );
            continue;
        };
        let mut package = Package::new(Ecosystem::PyPI, name.get_ref().as_ref(), version.as_ref());
        package.line = Some(lines.line(name.span().start));
        package.source = raw.source.kind();
        if !roots.is_empty() {
            package.direct = Some(direct[i]);
            package.dev = if prod[i] {
                Some(false)
            } else if dev[i] {
                Some(true)
            } else {
                None
            };
        }
        manifest.packages.push(package);
    }
    Ok(manifest)
}

struct Graph<'a, 't> {
    packages: &'a [&'a RawPackage<'t>],
    by_name: HashMap<&'a str, Vec<usize>>,
}

impl<'a, 't> Graph<'a, 't> {
    fn new(packages: &'a [&'a RawPackage<'t>]) -> Self {
        let mut by_name: HashMap<&str, Vec<usize>> = HashMap::with_capacity(packages.len());
        for (i, p) in packages.iter().enumerate() {
            if let Some(name) = &p.name {
                by_name.entry(name.get_ref().as_ref()).or_default().push(i);
            }
        }
        Graph { packages, by_name }
    }

    fn resolve(&self, dep: &Dep) -> Option<usize> {
        let candidates = self.by_name.get(dep.name.as_ref())?;
        if let [only] = candidates.as_slice() {
            return Some(*only);
        }
        candidates.iter().copied().find(|&i| {
            let p = self.packages[i];
            dep.version
                .as_ref()
                .is_none_or(|v| p.version.as_ref() == Some(v))
                && dep.source.as_ref().is_none_or(|s| *s == p.source)
        })
    }

    /// Which packages the given references reach, with the extras each reference activates.
    fn reach(&self, starts: &[&'a Dep<'t>]) -> Vec<bool> {
        let mut seen = vec![false; self.packages.len()];
        let mut seen_extra: HashSet<(usize, &str)> = HashSet::new();
        let mut queue: Vec<&Dep<'t>> = starts.to_vec();
        while let Some(dep) = queue.pop() {
            let Some(i) = self.resolve(dep) else { continue };
            let p = self.packages[i];
            if !seen[i] {
                seen[i] = true;
                queue.extend(p.dependencies.iter());
            }
            for extra in &dep.extra {
                if seen_extra.insert((i, extra.as_ref())) {
                    if let Some(deps) = p.optional.get(extra) {
                        queue.extend(deps.iter());
                    }
                }
            }
        }
        seen
    }
}

/// Reads the layout uv writes; [`Unsupported`] sends the file to the full TOML parser.
fn fast(text: &str) -> Result<Lock<'_>, Unsupported> {
    enum Table {
        Root,
        Package,
        Optional,
        Groups,
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
                let second = keys.get(1).map(AsRef::as_ref);
                table = match (first, keys.len(), array) {
                    (Some("package"), 1, true) => {
                        let raw = RawPackage::default();
                        lock.package.push(Spanned::new(offset..offset, raw));
                        Table::Package
                    }
                    (Some("package"), 1, _) => return Err(Unsupported),
                    (Some("package"), _, _) if lock.package.is_empty() => return Err(Unsupported),
                    (Some("package"), 2, false) if second == Some("optional-dependencies") => {
                        Table::Optional
                    }
                    (Some("package"), 2, false) if second == Some("dev-dependencies") => {
                        Table::Groups
                    }
                    _ => Table::Other,
                };
            }
            Item::Key { keys, offset } => {
                let key: Vec<&str> = keys.iter().map(AsRef::as_ref).collect();
                let package = lock.package.last_mut().map(Spanned::get_mut);
                match (&table, key.as_slice(), package) {
                    (Table::Root, ["version"], _) => {
                        let Value::Bare(raw) = reader.value()? else {
                            return Err(Unsupported);
                        };
                        let version = raw.parse().map_err(|_| Unsupported)?;
                        set(&mut lock.version, Spanned::new(offset..offset, version))?;
                    }
                    (Table::Root, ["package"], _) => return Err(Unsupported),
                    (Table::Package, ["name"], Some(p)) => {
                        let name = reader.value()?.into_str()?;
                        set(&mut p.name, Spanned::new(offset..offset, name))?;
                    }
                    (Table::Package, ["version"], Some(p)) => {
                        set(&mut p.version, reader.value()?.into_str()?)?
                    }
                    (Table::Package, ["source"], Some(p)) => {
                        if p.source != Source::default() {
                            return Err(Unsupported);
                        }
                        p.source = source(reader.value()?)?;
                    }
                    (Table::Package, ["dependencies"], Some(p)) => {
                        if !p.dependencies.is_empty() {
                            return Err(Unsupported);
                        }
                        p.dependencies = deps(reader.value()?)?;
                    }
                    (Table::Package, ["optional-dependencies" | "dev-dependencies", ..], _) => {
                        return Err(Unsupported)
                    }
                    (Table::Optional, [_], Some(p)) => {
                        if p.optional
                            .insert(
                                keys.first().cloned().ok_or(Unsupported)?,
                                deps(reader.value()?)?,
                            )
                            .is_some()
                        {
                            return Err(Unsupported);
                        }
                    }
                    (Table::Groups, [_], Some(p)) => {
                        if p.groups
                            .insert(
                                keys.first().cloned().ok_or(Unsupported)?,
                                deps(reader.value()?)?,
                            )
                            .is_some()
                        {
                            return Err(Unsupported);
                        }
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

fn source(value: Value<'_>) -> Result<Source<'_>, Unsupported> {
    let mut source = Source::default();
    for (key, value) in value.into_table()? {
        let slot = match key.as_ref() {
            "registry" => &mut source.registry,
            "git" => &mut source.git,
            "url" => &mut source.url,
            "path" => &mut source.path,
            "directory" => &mut source.directory,
            "editable" => &mut source.editable,
            "virtual" => &mut source.virtual_,
            _ => continue,
        };
        set(slot, value.into_str()?)?;
    }
    Ok(source)
}

fn deps(value: Value<'_>) -> Result<Vec<Dep<'_>>, Unsupported> {
    value
        .into_array()?
        .into_iter()
        .map(|item| {
            let (mut name, mut version, mut src, mut extra) = (None, None, None, Vec::new());
            for (key, value) in item.into_table()? {
                match key.as_ref() {
                    "name" => set(&mut name, value.into_str()?)?,
                    "version" => set(&mut version, value.into_str()?)?,
                    "source" => set(&mut src, source(value)?)?,
                    "extra" => extra = value.into_strings()?,
                    _ => {}
                }
            }
            Ok(Dep {
                name: name.ok_or(Unsupported)?,
                version,
                source: src,
                extra,
            })
        })
        .collect()
}

/// Extras named for development work; other extras are features that ship.
fn is_dev_name(name: &str) -> bool {
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
        parse(Path::new("uv.lock"), text)
    }

    type Row<'a> = (&'a str, &'a str, Option<bool>, Option<bool>, SourceKind);

    fn rows(m: &Manifest) -> Vec<Row<'_>> {
        m.packages
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.version.as_str(),
                    p.direct,
                    p.dev,
                    p.source,
                )
            })
            .collect()
    }

    #[test]
    fn roots_groups_extras_and_duplicate_names() {
        let m = parse_str(
            r#"version = 1
revision = 3

[[package]]
name = "app"
source = { editable = "." }
dependencies = [
    { name = "click", version = "8.1.8", source = { registry = "https://pypi.org/simple" }, marker = "python_version < '3.10'" },
    { name = "click", version = "8.2.0", source = { registry = "https://pypi.org/simple" }, marker = "python_version >= '3.10'" },
    { name = "httpx", extra = ["http2"] },
]

[package.optional-dependencies]
test = [{ name = "pytest" }]

[package.dev-dependencies]
lint = [{ name = "ruff" }]

[[package]]
name = "click"
version = "8.1.8"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "click"
version = "8.2.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "h2"
version = "4.1.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "httpx"
version = "0.27.0"
source = { registry = "https://pypi.org/simple" }

[package.optional-dependencies]
http2 = [{ name = "h2" }]

[[package]]
name = "iniconfig"
version = "2.0.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "pytest"
version = "8.0.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "iniconfig" }, { name = "click" , version = "8.2.0" }]

[[package]]
name = "ruff"
version = "0.8.1"
source = { git = "https://github.com/astral-sh/ruff#84748be" }
"#,
        )
        .unwrap();
        let reg = SourceKind::Registry;
        assert_eq!(
            rows(&m),
            vec![
                ("click", "8.1.8", Some(true), Some(false), reg),
                ("click", "8.2.0", Some(true), Some(false), reg),
                ("h2", "4.1.0", Some(false), Some(false), reg),
                ("httpx", "0.27.0", Some(true), Some(false), reg),
                ("iniconfig", "2.0.0", Some(false), Some(true), reg),
                ("pytest", "8.0.0", Some(true), Some(true), reg),
                ("ruff", "0.8.1", Some(true), Some(true), SourceKind::Git),
            ]
        );
        assert_eq!(m.packages[0].line, Some(20));
    }

    #[test]
    fn without_roots_flags_are_unknown() {
        let m = parse_str("version = 1\n[[package]]\nname = \"a\"\nversion = \"1\"\n").unwrap();
        assert_eq!(rows(&m), vec![("a", "1", None, None, SourceKind::Registry)]);
        assert!(parse_str("").unwrap().packages.is_empty());
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
        crate::lockfile::fast_toml::check_damaged_fixtures("uv-lock", readers);
    }

    /// The fast reader takes every fixture and agrees with the full parser.
    #[test]
    fn both_readers_agree_on_the_fixtures() {
        crate::lockfile::fast_toml::check_fixtures("uv-lock", 6, readers);
    }

    #[test]
    fn errors() {
        let e = parse_str("version = 2\n").unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(parse_str("[[package]\n").is_err());
        let m = parse_str("version = 1\n[[package]]\nname = \"a\"\n").unwrap();
        assert_eq!(m.warnings.len(), 1);
    }
}
