//! `package-lock.json` (lockfileVersion 1, 2 and 3) and `npm-shrinkwrap.json`.
//!
//! Versions 2 and 3 are read from `packages`, keyed by install path (`node_modules/a`,
//! `node_modules/a/node_modules/b`, workspace folders such as `packages/x`); version 1 (and a
//! version 2 file without `packages`) from the nested `dependencies` tree. Aliases
//! (`"name": "@scope/real"` in v2, `"version": "npm:real@1.0.0"` in v1) are reported under the
//! real package's name. `link: true` entries point at a folder listed under its own key, so
//! they add no package of their own. The same package installed at several paths is reported
//! once, at its first entry.
//!
//! Flags: `dev` comes from the lockfile (npm marks every dev-only package); an entry is direct
//! when the root package (`packages[""]`) or a workspace lists it and it is the copy Node would
//! load for them. Version 1 has no root entry: directness then comes from `package.json` beside
//! the lockfile when there is one. Local folders (workspaces, `file:` dependencies) are
//! [`SourceKind::Path`] packages.
//!
//! Lines: serde_json keeps no positions, but keys without escapes are borrowed from the input,
//! so each entry's line is found from where its key sits in the text.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;

use crate::lockfile::text::{
    dedup, json_error, npm_source_of, read_sibling, split_name_at, JsonStr, KeyList, LineIndex,
    OrderedMap,
};
use crate::lockfile::Format;
use crate::{Ecosystem, Manifest, Package, ParseError, SourceKind};

#[derive(Deserialize)]
struct Lockfile<'a> {
    #[serde(rename = "lockfileVersion")]
    lockfile_version: Option<serde_json::Value>,
    #[serde(borrow)]
    packages: Option<OrderedMap<'a, V2Entry<'a>>>,
    #[serde(borrow)]
    dependencies: Option<OrderedMap<'a, V1Entry<'a>>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct V2Entry<'a> {
    name: Option<String>,
    version: Option<String>,
    resolved: Option<String>,
    link: bool,
    dev: bool,
    #[serde(borrow)]
    dependencies: Option<KeyList<'a>>,
    #[serde(rename = "devDependencies", borrow)]
    dev_dependencies: Option<KeyList<'a>>,
    #[serde(rename = "optionalDependencies", borrow)]
    optional_dependencies: Option<KeyList<'a>>,
    #[serde(rename = "peerDependencies", borrow)]
    peer_dependencies: Option<KeyList<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct V1Entry<'a> {
    version: Option<String>,
    dev: bool,
    #[serde(borrow)]
    dependencies: Option<OrderedMap<'a, V1Entry<'a>>>,
}

pub fn parse(path: &Path, text: &str) -> Result<Manifest, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lock: Lockfile = serde_json::from_str(text).map_err(json_error)?;
    let index = LineIndex::new(text);
    let version_line = || text.find("\"lockfileVersion\"").map(|o| index.line(o));
    let version = match &lock.lockfile_version {
        None => None,
        Some(v) => match v.as_u64() {
            Some(n @ 1..=3) => Some(n),
            Some(n) => {
                let message = format!(
                    "unsupported package-lock lockfileVersion {n} (1, 2 and 3 are supported)"
                );
                return Err(match version_line() {
                    Some(l) => ParseError::at(l, message),
                    None => ParseError::new(message),
                });
            }
            None => {
                let message = format!("lockfileVersion is not a version number: {v}");
                return Err(match version_line() {
                    Some(l) => ParseError::at(l, message),
                    None => ParseError::new(message),
                });
            }
        },
    };

    let mut manifest = Manifest::new(Format::NpmLock);
    let cx = Cx {
        text,
        index: &index,
    };
    let use_packages = match version {
        Some(1) => false,
        Some(_) => lock.packages.is_some(),
        None if lock.packages.is_none() && lock.dependencies.is_none() => {
            return Err(ParseError::new(
                "not a package-lock.json: no lockfileVersion, packages or dependencies",
            ))
        }
        None => lock.packages.is_some(),
    };
    if use_packages {
        if let Some(packages) = &lock.packages {
            v2(&cx, packages, &mut manifest);
        }
    } else if version != Some(3) {
        // Version 1, and version 2 files written without `packages`.
        if let Some(deps) = &lock.dependencies {
            let roots = package_json_roots(path, &mut manifest);
            v1(&cx, deps, roots.as_ref(), 0, &mut manifest);
        }
    }
    manifest.packages = dedup(std::mem::take(&mut manifest.packages));
    Ok(manifest)
}

struct Cx<'t> {
    text: &'t str,
    index: &'t LineIndex,
}

impl Cx<'_> {
    fn line(&self, key: &JsonStr) -> Option<u32> {
        key.line(self.index, self.text)
    }
}

const NM: &str = "node_modules/";

/// The package name an install path ends in: `a/node_modules/@s/b` → `@s/b`.
fn name_from_path(key: &str) -> &str {
    match key.rfind(NM) {
        Some(i) => key.get(i + NM.len()..).unwrap_or(key),
        None => key.rsplit('/').next().unwrap_or(key),
    }
}

fn v2(cx: &Cx, packages: &OrderedMap<V2Entry>, manifest: &mut Manifest) {
    let by_key: HashMap<&str, &V2Entry> = packages.0.iter().map(|(k, e)| (k.as_str(), e)).collect();

    // Local folders (workspaces, `file:` dependencies) take their name from the `link`
    // entries pointing at them when they do not state one.
    let mut link_names: HashMap<&str, &str> = HashMap::new();
    for (key, e) in &packages.0 {
        if e.link {
            if let Some(target) = e.resolved.as_deref() {
                link_names
                    .entry(target)
                    .or_insert_with(|| name_from_path(key.as_str()));
            }
        }
    }

    // Direct: each dependency of the root and of the local folders, resolved as Node does
    // (nearest `node_modules` first, then up the tree), following links to their folder.
    let mut direct: HashSet<&str> = HashSet::new();
    for (key, e) in &packages.0 {
        let key = key.as_str();
        if key.contains(NM) || e.link {
            continue;
        }
        let lists = [
            &e.dependencies,
            &e.dev_dependencies,
            &e.optional_dependencies,
            &e.peer_dependencies,
        ];
        for dep in lists.into_iter().flatten().flat_map(|l| l.names()) {
            if let Some(found) = resolve_from(key, dep, &by_key) {
                let target = match by_key.get(found) {
                    Some(t) if t.link => t.resolved.as_deref().unwrap_or(found),
                    _ => found,
                };
                direct.insert(target);
            }
        }
    }

    for (key_str, e) in &packages.0 {
        let key = key_str.as_str();
        if key.is_empty() || e.link {
            continue;
        }
        let line = cx.line(key_str);
        let local = !key.contains(NM);
        let name = match e.name.as_deref() {
            Some(n) if !n.is_empty() => n,
            _ if !local => name_from_path(key),
            _ => link_names
                .get(key)
                .copied()
                .unwrap_or_else(|| name_from_path(key)),
        };
        let Some(version) = e.version.as_deref().filter(|v| !v.is_empty()) else {
            let what = match e.resolved.as_deref() {
                Some(r) => format!("{name} ({r}) has no version in the lockfile"),
                None => format!("{name} at {key} has no version in the lockfile"),
            };
            manifest.warn(line, what);
            continue;
        };
        let mut p = Package::new(Ecosystem::Npm, name, version);
        p.line = line;
        p.dev = Some(e.dev);
        p.direct = Some(direct.contains(key));
        p.source = if local {
            SourceKind::Path
        } else {
            npm_source_of(e.resolved.as_deref().unwrap_or(""))
        };
        manifest.packages.push(p);
    }
}

/// The install path Node would load `dep` from, for code in the folder `from`.
fn resolve_from<'k>(from: &str, dep: &str, by_key: &HashMap<&'k str, &V2Entry>) -> Option<&'k str> {
    let mut base = from.to_string();
    loop {
        let candidate = if base.is_empty() {
            format!("{NM}{dep}")
        } else {
            format!("{base}/{NM}{dep}")
        };
        if let Some((k, _)) = by_key.get_key_value(candidate.as_str()) {
            return Some(k);
        }
        if base.is_empty() {
            return None;
        }
        // Up one package: strip `/node_modules/<name>` or one folder level.
        base = match base.rfind("/node_modules/") {
            Some(i) => base.get(..i).unwrap_or("").to_string(),
            None if base.starts_with(NM) => String::new(),
            None => match base.rfind('/') {
                Some(i) => base.get(..i).unwrap_or("").to_string(),
                None => String::new(),
            },
        };
    }
}

/// Names the project's `package.json` lists, when one sits beside the lockfile.
fn package_json_roots(path: &Path, manifest: &mut Manifest) -> Option<HashSet<String>> {
    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct PackageJson<'a> {
        #[serde(borrow)]
        dependencies: Option<KeyList<'a>>,
        #[serde(rename = "devDependencies", borrow)]
        dev_dependencies: Option<KeyList<'a>>,
        #[serde(rename = "optionalDependencies", borrow)]
        optional_dependencies: Option<KeyList<'a>>,
        #[serde(rename = "peerDependencies", borrow)]
        peer_dependencies: Option<KeyList<'a>>,
    }
    let (file, text) = match read_sibling(path, "package.json")? {
        Ok(x) => x,
        Err(e) => {
            manifest.warn(None, e);
            return None;
        }
    };
    match serde_json::from_str::<PackageJson>(&text) {
        Ok(pj) => Some(
            [
                &pj.dependencies,
                &pj.dev_dependencies,
                &pj.optional_dependencies,
                &pj.peer_dependencies,
            ]
            .into_iter()
            .flatten()
            .flat_map(|l| l.names())
            .map(str::to_string)
            .collect(),
        ),
        Err(e) => {
            manifest.warn(
                None,
                format!(
                    "{} is not valid JSON ({e}); direct dependencies unknown",
                    file.display()
                ),
            );
            None
        }
    }
}

/// Version 1: a tree of `dependencies`, each entry's nested ones installed beneath it.
fn v1(
    cx: &Cx,
    deps: &OrderedMap<V1Entry>,
    roots: Option<&HashSet<String>>,
    depth: usize,
    manifest: &mut Manifest,
) {
    for (key, e) in &deps.0 {
        let name = key.as_str();
        let line = cx.line(key);
        match e.version.as_deref() {
            None | Some("") => {
                manifest.warn(line, format!("{name} has no version in the lockfile"))
            }
            Some(version) => match v1_version(name, version) {
                Ok((real, version)) => {
                    let mut p = Package::new(Ecosystem::Npm, real, version);
                    p.line = line;
                    p.dev = Some(e.dev);
                    p.direct = roots.map(|r| depth == 0 && r.contains(name));
                    manifest.packages.push(p);
                }
                Err(why) => manifest.warn(line, why),
            },
        }
        if let Some(nested) = &e.dependencies {
            v1(cx, nested, roots, depth + 1, manifest);
        }
    }
}

/// Reads a v1 `version`: a plain version, or an alias `npm:real@1.0.0`. Git, file and tarball
/// references carry no version and are reported.
fn v1_version<'v>(name: &'v str, version: &'v str) -> Result<(&'v str, &'v str), String> {
    if let Some(alias) = version.strip_prefix("npm:") {
        return match split_name_at(alias) {
            (real, Some(v)) if !real.is_empty() && !v.is_empty() => Ok((real, v)),
            _ => Err(format!("{name}: alias {version:?} has no version")),
        };
    }
    let kind = match npm_source_of(version) {
        SourceKind::Registry if !version.contains(':') && !version.contains('/') => {
            return Ok((name, version))
        }
        SourceKind::Git => "git dependency",
        SourceKind::Path => "local dependency",
        _ => "dependency",
    };
    Err(format!(
        "{name}: {kind} {version:?} has no version in the lockfile"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(s: &str) -> Result<Manifest, ParseError> {
        parse(Path::new("/nonexistent/package-lock.json"), s)
    }

    type Row = (
        String,
        String,
        Option<u32>,
        Option<bool>,
        Option<bool>,
        SourceKind,
    );

    fn summary(m: &Manifest) -> Vec<Row> {
        m.packages
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    p.version.clone(),
                    p.line,
                    p.direct,
                    p.dev,
                    p.source,
                )
            })
            .collect()
    }

    #[test]
    fn v3_workspaces_links_aliases_nested() {
        let lock = r#"{
  "name": "root",
  "lockfileVersion": 3,
  "packages": {
    "": {
      "name": "root",
      "workspaces": ["packages/*"],
      "dependencies": { "a": "^1", "alias": "npm:real@^2" },
      "devDependencies": { "d": "^1" }
    },
    "node_modules/a": { "version": "1.0.0", "resolved": "https://registry.npmjs.org/a/-/a-1.0.0.tgz" },
    "node_modules/alias": { "name": "real", "version": "2.0.0" },
    "node_modules/d": { "version": "1.0.0", "dev": true },
    "node_modules/d/node_modules/a": { "version": "0.9.0", "dev": true },
    "node_modules/w": { "resolved": "packages/w", "link": true },
    "packages/w": { "version": "0.1.0", "dependencies": { "x": "^3" } },
    "packages/w/node_modules/x": { "version": "3.0.0" },
    "node_modules/g": { "version": "1.2.3", "resolved": "git+ssh://git@github.com/o/g.git#abc" }
  }
}"#;
        let m = parse_str(lock).unwrap();
        assert_eq!(
            summary(&m),
            vec![
                (
                    "a".into(),
                    "1.0.0".into(),
                    Some(11),
                    Some(true),
                    Some(false),
                    SourceKind::Registry
                ),
                (
                    "real".into(),
                    "2.0.0".into(),
                    Some(12),
                    Some(true),
                    Some(false),
                    SourceKind::Registry
                ),
                (
                    "d".into(),
                    "1.0.0".into(),
                    Some(13),
                    Some(true),
                    Some(true),
                    SourceKind::Registry
                ),
                (
                    "a".into(),
                    "0.9.0".into(),
                    Some(14),
                    Some(false),
                    Some(true),
                    SourceKind::Registry
                ),
                (
                    "w".into(),
                    "0.1.0".into(),
                    Some(16),
                    Some(false),
                    Some(false),
                    SourceKind::Path
                ),
                (
                    "x".into(),
                    "3.0.0".into(),
                    Some(17),
                    Some(true),
                    Some(false),
                    SourceKind::Registry
                ),
                (
                    "g".into(),
                    "1.2.3".into(),
                    Some(18),
                    Some(false),
                    Some(false),
                    SourceKind::Git
                ),
            ]
        );
    }

    #[test]
    fn v1_tree_aliases_and_unversioned() {
        let lock = r#"{
  "lockfileVersion": 1,
  "dependencies": {
    "a": { "version": "1.0.0", "dev": true,
      "dependencies": { "b": { "version": "2.0.0" } } },
    "c": { "version": "npm:@s/real@3.0.0" },
    "g": { "version": "github:o/g#abc" },
    "f": { "version": "file:../f" }
  }
}"#;
        let m = parse_str(lock).unwrap();
        let got: Vec<_> = m
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.line, p.dev, p.direct))
            .collect();
        assert_eq!(
            got,
            vec![
                ("a", "1.0.0", Some(4), Some(true), None),
                ("b", "2.0.0", Some(5), Some(false), None),
                ("@s/real", "3.0.0", Some(6), Some(false), None),
            ]
        );
        assert_eq!(m.warnings.len(), 2);
        assert_eq!(m.warnings[0].line, Some(7));
        assert!(m.warnings[0].message.contains("git"), "{:?}", m.warnings);
    }

    #[test]
    fn v1_direct_from_package_json() {
        let dir = std::env::temp_dir().join(format!("gh-npm-v1-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("package.json"), r#"{"dependencies": {"a": "^1"}}"#).unwrap();
        let lock = r#"{"lockfileVersion": 1, "dependencies": {"a": {"version": "1.0.0", "dependencies": {"a": {"version": "0.1.0"}}}, "b": {"version": "1.0.0"}}}"#;
        let m = parse(&dir.join("package-lock.json"), lock).unwrap();
        let got: Vec<_> = m
            .packages
            .iter()
            .map(|p| (p.version.as_str(), p.direct))
            .collect();
        assert_eq!(
            got,
            vec![
                ("1.0.0", Some(true)),
                ("0.1.0", Some(false)),
                ("1.0.0", Some(false))
            ]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn unknown_version_and_garbage_are_errors() {
        let e = parse_str("{\n  \"lockfileVersion\": 99,\n  \"packages\": {}\n}").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("99"), "{e}");
        assert!(parse_str("{\"lockfileVersion\": \"2\"}").is_err());
        assert!(parse_str("null").is_err());
        assert!(parse_str("this is not json!").is_err());
        assert!(parse_str("{}").is_err());
        assert_eq!(parse_str("[1,2").unwrap_err().line, Some(1));
        assert!(parse_str(&"[".repeat(100_000)).is_err());
    }

    #[test]
    fn duplicates_merge() {
        let lock = r#"{"lockfileVersion": 3, "packages": {
"": {"dependencies": {"b": "1"}},
"node_modules/a": {"version": "1.0.0", "dev": true},
"node_modules/b": {"version": "1.0.0"},
"node_modules/b/node_modules/a": {"version": "1.0.0"}}}"#;
        let m = parse_str(lock).unwrap();
        let got: Vec<_> = m
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.line, p.dev))
            .collect();
        assert_eq!(
            got,
            vec![("a", Some(3), Some(false)), ("b", Some(4), Some(false))]
        );
    }
}
