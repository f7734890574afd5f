//! `yarn.lock`: the classic v1 format and Berry's (Yarn 2 and later) YAML.
//!
//! Both key each entry by the descriptors it satisfies (`a@^1.0.0, a@^1.2.0`). Classic entries
//! carry `version` and `resolved`; Berry entries `version` and `resolution`
//! (`name@npm:1.2.3`), whose protocol says where the package came from: `npm:` the registry,
//! git and GitHub URLs git, `file:`/`link:`/`portal:` a folder. Berry's `workspace:` entries are
//! the project's own packages and `patch:` entries patched copies of packages listed under their
//! own `npm:` entry; neither is reported as a package, each with a warning. Aliases
//! (`alias@npm:real@^1`) are reported under the real name.
//!
//! Direct dependencies: in Berry, what the workspace entries depend on; in v1 (which has no
//! workspace entries), what `package.json` beside the lockfile lists, when there is one.
//! `package.json` also tells development-only for those direct dependencies; the lockfile has
//! no such flag.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;

use crate::lockfile::text::yaml::{self, Value};
use crate::lockfile::text::{dedup, line_no, npm_source_of, read_sibling, split_name_at};
use crate::lockfile::Format;
use crate::{Ecosystem, Manifest, Package, ParseError, SourceKind};

/// The newest Berry `__metadata.version` this parser knows (Yarn 4.0 wrote 8, later 4.x 10).
const MAX_BERRY_VERSION: u32 = 10;

pub fn parse(path: &Path, text: &str) -> Result<Manifest, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut manifest = Manifest::new(Format::YarnLock);
    let roots = package_json(path, &mut manifest);
    if is_berry(text) {
        berry(text, roots.as_ref(), &mut manifest)?;
    } else {
        classic(text, roots.as_ref(), &mut manifest)?;
    }
    manifest.packages = dedup(std::mem::take(&mut manifest.packages));
    Ok(manifest)
}

/// Berry lockfiles start (after comments) with `__metadata:`.
fn is_berry(text: &str) -> bool {
    text.lines()
        .map(str::trim_end)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| l == "__metadata:" || l == "\"__metadata\":")
}

/// What `package.json` beside the lockfile depends on: descriptor (`name@range`) → whether
/// only as a development dependency.
struct Roots(HashMap<String, bool>);

fn package_json(path: &Path, manifest: &mut Manifest) -> Option<Roots> {
    #[derive(Deserialize)]
    struct PackageJson {
        dependencies: Option<HashMap<String, serde_json::Value>>,
        #[serde(rename = "optionalDependencies")]
        optional_dependencies: Option<HashMap<String, serde_json::Value>>,
        #[serde(rename = "devDependencies")]
        dev_dependencies: Option<HashMap<String, serde_json::Value>>,
    }
    let (file, text) = match read_sibling(path, "package.json")? {
        Ok(x) => x,
        Err(e) => {
            manifest.warn(None, e);
            return None;
        }
    };
    let pj: PackageJson = match serde_json::from_str(&text) {
        Ok(pj) => pj,
        Err(e) => {
            manifest.warn(
                None,
                format!(
                    "{} could not be read ({e}); direct dependencies unknown",
                    file.display()
                ),
            );
            return None;
        }
    };
    let mut out = HashMap::new();
    let lists = [
        (pj.dependencies, false),
        (pj.optional_dependencies, false),
        (pj.dev_dependencies, true),
    ];
    for (list, dev) in lists {
        for (name, range) in list.into_iter().flatten() {
            let Some(range) = range.as_str() else {
                continue;
            };
            let only_dev = out.get(&format!("{name}@{range}")).is_none_or(|d| *d) && dev;
            out.insert(format!("{name}@{range}"), only_dev);
        }
    }
    Some(Roots(out))
}

// ---------------------------------------------------------------------------------------------
// v1

struct ClassicEntry {
    specs: Vec<String>,
    line: u32,
    version: Option<String>,
    resolved: Option<String>,
}

fn classic(text: &str, roots: Option<&Roots>, manifest: &mut Manifest) -> Result<(), ParseError> {
    let mut current: Option<ClassicEntry> = None;
    for (i, raw) in text.lines().enumerate() {
        let no = line_no(i + 1);
        let line = raw.trim_end();
        let content = line.trim_start();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - content.len();
        if indent == 0 {
            if let Some(done) = current.take() {
                classic_entry(done, roots, manifest);
            }
            let Some(header) = content.strip_suffix(':') else {
                return Err(ParseError::at(
                    no,
                    "expected an entry header ending in `:`: not a yarn.lock?",
                ));
            };
            let specs = split_specs(header).map_err(|m| ParseError::at(no, m))?;
            current = Some(ClassicEntry {
                specs,
                line: no,
                version: None,
                resolved: None,
            });
            continue;
        }
        let Some(entry) = current.as_mut() else {
            return Err(ParseError::at(
                no,
                "indented line before any entry: not a yarn.lock?",
            ));
        };
        if indent != 2 {
            continue; // dependency lists
        }
        let (key, value) = classic_field(content).map_err(|m| ParseError::at(no, m))?;
        match key.as_str() {
            "version" => entry.version = value,
            "resolved" => entry.resolved = value,
            _ => {}
        }
    }
    if let Some(done) = current {
        classic_entry(done, roots, manifest);
    }
    Ok(())
}

/// `key value`, `"key" "value"` or `key:` (a nested block).
fn classic_field(content: &str) -> Result<(String, Option<String>), &'static str> {
    let (key, rest) = if let Some(body) = content.strip_prefix('"') {
        let end = body.find('"').ok_or("unterminated quoted key")?;
        (
            body.get(..end).unwrap_or(""),
            body.get(end + 1..).unwrap_or(""),
        )
    } else {
        let end = content.find([' ', ':']).unwrap_or(content.len());
        (
            content.get(..end).unwrap_or(""),
            content.get(end..).unwrap_or(""),
        )
    };
    let rest = rest.trim();
    if rest == ":" || rest.is_empty() {
        return Ok((key.to_string(), None));
    }
    let value = rest.strip_prefix(':').unwrap_or(rest).trim();
    Ok((key.to_string(), Some(unquote(value).to_string())))
}

fn unquote(s: &str) -> &str {
    s.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(s)
}

/// Splits a header's comma-separated descriptors, each possibly quoted.
fn split_specs(header: &str) -> Result<Vec<String>, &'static str> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                out.push(std::mem::take(&mut cur).trim().to_string());
            }
            _ => cur.push(c),
        }
    }
    if quoted {
        return Err("unterminated quoted descriptor");
    }
    out.push(cur.trim().to_string());
    out.retain(|s| !s.is_empty());
    if out.is_empty() {
        return Err("entry without descriptors");
    }
    Ok(out)
}

/// The package a descriptor names: the alias target for `alias@npm:real@range`.
fn descriptor_name(spec: &str) -> &str {
    let (name, range) = split_name_at(spec);
    match range.and_then(|r| r.strip_prefix("npm:")) {
        Some(target) if target.starts_with('@') || target.contains('@') => split_name_at(target).0,
        _ => name,
    }
}

fn classic_entry(e: ClassicEntry, roots: Option<&Roots>, manifest: &mut Manifest) {
    let first = e.specs.first().map(String::as_str).unwrap_or("");
    let name = descriptor_name(first);
    let Some(version) = e.version.as_deref().filter(|v| !v.is_empty()) else {
        manifest.warn(Some(e.line), format!("{first} has no version"));
        return;
    };
    let ranges: Vec<&str> = e.specs.iter().filter_map(|s| split_name_at(s).1).collect();
    let mut p = Package::new(Ecosystem::Npm, name, version);
    p.line = Some(e.line);
    p.source = classic_source(&ranges, e.resolved.as_deref());
    if let Some(roots) = roots {
        let listed = e
            .specs
            .iter()
            .filter_map(|s| roots.0.get(s))
            .fold(None, |acc: Option<bool>, d| Some(acc.unwrap_or(true) && *d));
        p.direct = Some(listed.is_some());
        p.dev = listed;
    }
    manifest.packages.push(p);
}

fn classic_source(ranges: &[&str], resolved: Option<&str>) -> SourceKind {
    if ranges.iter().any(|r| npm_source_of(r) == SourceKind::Path) {
        return SourceKind::Path;
    }
    let from_resolved = resolved.map(npm_source_of);
    if let Some(k @ (SourceKind::Git | SourceKind::Path)) = from_resolved {
        return k;
    }
    let git_range = ranges.iter().any(|r| {
        npm_source_of(r) == SourceKind::Git
            // `owner/repo` and `owner/repo#ref`: GitHub shorthand.
            || (r.contains('/') && !r.contains(':') && !r.starts_with(['@', '.', '/']))
    });
    if git_range {
        return SourceKind::Git;
    }
    from_resolved.unwrap_or(SourceKind::Registry)
}

// ---------------------------------------------------------------------------------------------
// Berry

fn berry(text: &str, roots: Option<&Roots>, manifest: &mut Manifest) -> Result<(), ParseError> {
    let doc = yaml::parse(text)?;
    let Value::Map(entries) = &doc else {
        return Err(ParseError::at(
            1,
            "not a yarn.lock: the document is not a mapping",
        ));
    };
    if let Some(meta) = doc.entry("__metadata") {
        let v = meta.value.get("version").and_then(Value::as_str);
        match v.and_then(|v| v.trim().parse::<u32>().ok()) {
            Some(n) if (1..=MAX_BERRY_VERSION).contains(&n) => {}
            _ => {
                let message = format!(
                    "unsupported yarn.lock __metadata version {} (1 to {MAX_BERRY_VERSION} are supported)",
                    v.unwrap_or("(none)")
                );
                return Err(match meta.line() {
                    Some(l) => ParseError::at(l, message),
                    None => ParseError::new(message),
                });
            }
        }
    }

    // Descriptors the workspaces depend on.
    let mut wanted: HashSet<String> = HashSet::new();
    let mut has_workspaces = false;
    for e in entries {
        let resolution = e
            .value
            .get("resolution")
            .and_then(Value::as_str)
            .unwrap_or("");
        if !split_name_at(resolution)
            .1
            .is_some_and(|r| r.starts_with("workspace:"))
        {
            continue;
        }
        has_workspaces = true;
        for section in [
            "dependencies",
            "devDependencies",
            "optionalDependencies",
            "peerDependencies",
        ] {
            for dep in e.value.get(section).map(Value::entries).unwrap_or(&[]) {
                if let Some(range) = dep.value.as_str() {
                    wanted.insert(format!("{}@{}", dep.key, berry_range(range)));
                }
            }
        }
    }
    let root_dev: Option<HashMap<String, bool>> = roots.map(|r| {
        r.0.iter()
            .map(|(d, dev)| (berry_descriptor(d), *dev))
            .collect()
    });

    for e in entries {
        if e.key == "__metadata" {
            continue;
        }
        let line = e.line();
        let specs = split_specs(&e.key).unwrap_or_else(|_| vec![e.key.to_string()]);
        let resolution = e
            .value
            .get("resolution")
            .and_then(Value::as_str)
            .unwrap_or("");
        let (res_name, reference) = split_name_at(resolution);
        let Some(reference) = reference.filter(|_| !res_name.is_empty()) else {
            manifest.warn(line, format!("{} has no resolution", e.key));
            continue;
        };
        let Some(version) = e
            .value
            .get("version")
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
        else {
            manifest.warn(line, format!("{resolution} has no version"));
            continue;
        };
        let source = match berry_source(reference) {
            Ok(s) => s,
            Err(why) => {
                manifest.warn(line, format!("{resolution}: {why}"));
                continue;
            }
        };
        if source == SourceKind::Path && version.ends_with("-use.local") {
            manifest.warn(
                line,
                format!("{resolution}: local package without a version"),
            );
            continue;
        }
        let mut p = Package::new(Ecosystem::Npm, res_name, version);
        p.line = line;
        p.source = source;
        if has_workspaces {
            p.direct = Some(specs.iter().any(|s| wanted.contains(s)));
        } else if let Some(r) = &root_dev {
            p.direct = Some(specs.iter().any(|s| r.contains_key(s)));
        }
        if let Some(r) = &root_dev {
            p.dev = specs
                .iter()
                .filter_map(|s| r.get(s))
                .fold(None, |acc: Option<bool>, d| Some(acc.unwrap_or(true) && *d));
        }
        manifest.packages.push(p);
    }
    Ok(())
}

/// A range as Berry writes it in descriptors: ranges without a protocol are `npm:` ones.
fn berry_range(range: &str) -> String {
    let protocol = range.split_once(':').map(|(p, _)| p);
    match protocol {
        Some(p) if !p.is_empty() && !p.contains(['@', '^', '~', ' ', '>', '<', '=', '|']) => {
            range.to_string()
        }
        _ => format!("npm:{range}"),
    }
}

fn berry_descriptor(spec: &str) -> String {
    match split_name_at(spec) {
        (name, Some(range)) => format!("{name}@{}", berry_range(range)),
        (name, None) => name.to_string(),
    }
}

/// Where a resolution's reference (`npm:1.2.3`, `workspace:.`, a URL) comes from; `Err` with
/// the reason for entries that are not reported.
fn berry_source(reference: &str) -> Result<SourceKind, String> {
    let protocol = reference.split_once(':').map_or("", |(p, _)| p);
    match protocol {
        "npm" => Ok(SourceKind::Registry),
        // A peer-dependency instance of another locator, written after `#`.
        "virtual" => match reference.split_once('#') {
            Some((_, inner)) => berry_source(inner),
            None => Err("virtual package without its locator".into()),
        },
        "workspace" => Err("workspace package (the project's own code), not checked".into()),
        "patch" => Err("patched package, checked through its unpatched entry".into()),
        "file" | "link" | "portal" => Ok(SourceKind::Path),
        "exec" => Ok(SourceKind::Other),
        "git" | "git+ssh" | "git+https" | "git+http" | "git+file" | "ssh" | "github" | "gitlab"
        | "bitbucket" => Ok(SourceKind::Git),
        "http" | "https" if reference.contains("#commit=") => Ok(SourceKind::Git),
        "http" | "https" => Ok(npm_source_of(reference)),
        other => Err(format!("unknown protocol {other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(s: &str) -> Result<Manifest, ParseError> {
        parse(Path::new("/nonexistent/yarn.lock"), s)
    }

    type Row<'a> = (&'a str, &'a str, Option<u32>, Option<bool>, SourceKind);

    fn summary(m: &Manifest) -> Vec<Row<'_>> {
        m.packages
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
            .collect()
    }

    #[test]
    fn classic_entries() {
        let lock = r#"# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.
# yarn lockfile v1


"@babel/code-frame@^7.0.0", "@babel/code-frame@^7.12.13":
  version "7.12.13"
  resolved "https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.12.13.tgz#dcfc"
  dependencies:
    "@babel/highlight" "^7.12.13"

alias@npm:real@^1.0.0:
  version "1.2.0"

"mine@G-Rath/repo#0a2d":
  version "0.0.1"
  resolved "https://codeload.github.com/G-Rath/repo/tar.gz/0a2d"

"local@file:./deps/local":
  version "0.0.2"

nover@^1:
  resolved "https://registry.yarnpkg.com/nover/-/nover-1.0.0.tgz"
"#;
        let m = parse_str(lock).unwrap();
        assert_eq!(
            summary(&m),
            vec![
                (
                    "@babel/code-frame",
                    "7.12.13",
                    Some(5),
                    None,
                    SourceKind::Registry
                ),
                ("real", "1.2.0", Some(11), None, SourceKind::Registry),
                ("mine", "0.0.1", Some(14), None, SourceKind::Git),
                ("local", "0.0.2", Some(18), None, SourceKind::Path),
            ]
        );
        assert_eq!(m.warnings.len(), 1);
        assert_eq!(m.warnings[0].line, Some(21));
    }

    #[test]
    fn berry_entries_workspaces_and_protocols() {
        let lock = r#"# This file is generated by running "yarn install" inside your project.

__metadata:
  version: 8
  cacheKey: 10c0

"a@npm:^1.0.0, a@npm:^1.1.0":
  version: 1.1.0
  resolution: "a@npm:1.1.0"

"alias@npm:real@^2.0.0":
  version: 2.0.0
  resolution: "real@npm:2.0.0"

"t@npm:^1.0.0":
  version: 1.0.0
  resolution: "t@npm:1.0.0"

"t@patch:t@npm%3A^1.0.0#~builtin<compat/t>":
  version: 1.0.0
  resolution: "t@patch:t@npm%3A1.0.0#~builtin<compat/t>::version=1.0.0&hash=abc"

"g@https://github.com/o/g.git#main":
  version: 0.1.0
  resolution: "g@https://github.com/o/g.git#commit=abc"

"app@workspace:.":
  version: 0.0.0-use.local
  resolution: "app@workspace:."
  dependencies:
    a: "npm:^1.0.0"
    alias: "npm:real@^2.0.0"
    g: "https://github.com/o/g.git#main"
  languageName: unknown
  linkType: soft
"#;
        let m = parse_str(lock).unwrap();
        assert_eq!(
            summary(&m),
            vec![
                ("a", "1.1.0", Some(7), Some(true), SourceKind::Registry),
                ("real", "2.0.0", Some(11), Some(true), SourceKind::Registry),
                ("t", "1.0.0", Some(15), Some(false), SourceKind::Registry),
                ("g", "0.1.0", Some(23), Some(true), SourceKind::Git),
            ]
        );
        let lines: Vec<_> = m.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, vec![Some(19), Some(27)]);
    }

    #[test]
    fn berry_unknown_metadata_version() {
        let e = parse_str("__metadata:\n  version: 99\n").unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("99"));
    }

    #[test]
    fn malformed_files() {
        assert!(parse_str("this is not a yarn.lock").is_err());
        assert_eq!(
            parse_str("a@^1:\n  version \"1\"\nb@^2\n")
                .unwrap_err()
                .line,
            Some(3)
        );
        assert!(parse_str("  version \"1\"\n").is_err());
        assert!(parse_str("\"a@^1:\n").is_err());
        assert!(parse_str("__metadata:\n  version: 6\n\"a@npm:1\":\n  version: \"1\n").is_err());
        assert!(parse_str("").unwrap().packages.is_empty());
    }

    #[test]
    fn direct_and_dev_from_package_json() {
        let dir = std::env::temp_dir().join(format!("gh-yarn-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("package.json"),
            r#"{"dependencies": {"a": "^1.0.0"}, "devDependencies": {"b": "^2.0.0"}}"#,
        )
        .unwrap();
        let lock = "a@^1.0.0:\n  version \"1.0.0\"\n\nb@^2.0.0:\n  version \"2.0.0\"\n\nc@^3.0.0:\n  version \"3.0.0\"\n";
        let m = parse(&dir.join("yarn.lock"), lock).unwrap();
        let got: Vec<_> = m
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.direct, p.dev))
            .collect();
        assert_eq!(
            got,
            vec![
                ("a", Some(true), Some(false)),
                ("b", Some(true), Some(true)),
                ("c", Some(false), None)
            ]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
