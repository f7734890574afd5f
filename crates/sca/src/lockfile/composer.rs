//! `composer.lock`: `packages` (production) and `packages-dev` (development only).
//!
//! Versions are written as tagged (`v1.2.7`); Packagist advisories use them without the `v`, so
//! a `v` before a digit is dropped. Branch checkouts (`dev-main`) name no release and are
//! reported as warnings. The lockfile does not say which packages the project requires itself:
//! `composer.json` beside it does, when present. A `path` repository is [`SourceKind::Path`];
//! a package with only a VCS source (no dist archive) is [`SourceKind::Git`] for git and
//! [`SourceKind::Other`] for other VCS.

use std::collections::HashSet;
use std::path::Path;

use serde::Deserialize;

use crate::lockfile::text::{json_error, read_sibling, JsonStr, KeyList, LineIndex};
use crate::lockfile::Format;
use crate::{Ecosystem, Manifest, Package, ParseError, SourceKind};

#[derive(Deserialize)]
struct Lock<'a> {
    #[serde(borrow)]
    packages: Option<Vec<Entry<'a>>>,
    #[serde(rename = "packages-dev", borrow)]
    packages_dev: Option<Vec<Entry<'a>>>,
}

#[derive(Deserialize)]
struct Entry<'a> {
    #[serde(borrow)]
    name: Option<JsonStr<'a>>,
    version: Option<String>,
    source: Option<Origin>,
    dist: Option<Origin>,
}

#[derive(Deserialize)]
struct Origin {
    #[serde(rename = "type")]
    kind: Option<String>,
}

pub fn parse(path: &Path, text: &str) -> Result<Manifest, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lock: Lock = serde_json::from_str(text).map_err(json_error)?;
    if lock.packages.is_none() && lock.packages_dev.is_none() {
        return Err(ParseError::new(
            "not a composer.lock: no packages or packages-dev",
        ));
    }
    let index = LineIndex::new(text);
    let mut manifest = Manifest::new(Format::ComposerLock);
    let required = composer_json_requires(path, &mut manifest);
    let lists = [(lock.packages, false), (lock.packages_dev, true)];
    for (entries, dev) in lists {
        for e in entries.into_iter().flatten() {
            let line = e.name.as_ref().and_then(|n| n.line(&index, text));
            let Some(name) = e
                .name
                .as_ref()
                .map(|n| n.as_str())
                .filter(|n| !n.is_empty())
            else {
                manifest.warn(line, "package without a name");
                continue;
            };
            let Some(version) = e.version.as_deref().filter(|v| !v.is_empty()) else {
                manifest.warn(line, format!("{name} has no version"));
                continue;
            };
            if version.starts_with("dev-") {
                manifest.warn(
                    line,
                    format!("{name} is the branch checkout {version:?}, not a release"),
                );
                continue;
            }
            let mut p = Package::new(Ecosystem::Packagist, name, strip_v(version));
            p.line = line;
            p.dev = Some(dev);
            p.direct = required
                .as_ref()
                .map(|r| r.contains(&name.to_ascii_lowercase()));
            p.source = source_kind(&e);
            manifest.packages.push(p);
        }
    }
    Ok(manifest)
}

fn strip_v(version: &str) -> &str {
    match version.strip_prefix(['v', 'V']) {
        Some(rest) if rest.as_bytes().first().is_some_and(u8::is_ascii_digit) => rest,
        _ => version,
    }
}

fn source_kind(e: &Entry) -> SourceKind {
    let kind = |o: &Option<Origin>| {
        o.as_ref()
            .and_then(|o| o.kind.as_deref())
            .map(str::to_ascii_lowercase)
    };
    let (dist, source) = (kind(&e.dist), kind(&e.source));
    if dist.as_deref() == Some("path") || source.as_deref() == Some("path") {
        return SourceKind::Path;
    }
    match (dist, source.as_deref()) {
        (None, Some("git")) => SourceKind::Git,
        (None, Some(_)) => SourceKind::Other,
        _ => SourceKind::Registry,
    }
}

/// Lower-cased names `composer.json` beside the lockfile requires, when there is one.
fn composer_json_requires(path: &Path, manifest: &mut Manifest) -> Option<HashSet<String>> {
    #[derive(Deserialize)]
    struct ComposerJson<'a> {
        #[serde(borrow)]
        require: Option<KeyList<'a>>,
        #[serde(rename = "require-dev", borrow)]
        require_dev: Option<KeyList<'a>>,
    }
    let (file, text) = match read_sibling(path, "composer.json")? {
        Ok(x) => x,
        Err(e) => {
            manifest.warn(None, e);
            return None;
        }
    };
    match serde_json::from_str::<ComposerJson>(&text) {
        Ok(cj) => Some(
            [&cj.require, &cj.require_dev]
                .into_iter()
                .flatten()
                .flat_map(|l| l.names())
                .map(str::to_ascii_lowercase)
                .collect(),
        ),
        Err(e) => {
            manifest.warn(
                None,
                format!(
                    "{} could not be read ({e}); direct dependencies unknown",
                    file.display()
                ),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(s: &str) -> Result<Manifest, ParseError> {
        parse(Path::new("/nonexistent/composer.lock"), s)
    }

    #[test]
    fn packages_dev_versions_and_sources() {
        let lock = r#"{
  "packages": [
    {
      "name": "a/one",
      "version": "v1.2.7",
      "source": {"type": "git"}, "dist": {"type": "zip"}
    },
    { "name": "a/local", "version": "1.0.0", "dist": {"type": "path", "url": "../local"} },
    { "name": "a/vcs", "version": "2.0.0", "source": {"type": "git"} },
    { "name": "a/branch", "version": "dev-main", "source": {"type": "git"} }
  ],
  "packages-dev": [
    { "name": "b/two", "version": "3.0.0-dev" }
  ]
}"#;
        let m = parse_str(lock).unwrap();
        let got: Vec<_> = m
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.line, p.dev, p.source))
            .collect();
        assert_eq!(
            got,
            vec![
                ("a/one", "1.2.7", Some(4), Some(false), SourceKind::Registry),
                ("a/local", "1.0.0", Some(8), Some(false), SourceKind::Path),
                ("a/vcs", "2.0.0", Some(9), Some(false), SourceKind::Git),
                (
                    "b/two",
                    "3.0.0-dev",
                    Some(13),
                    Some(true),
                    SourceKind::Registry
                ),
            ]
        );
        assert_eq!(m.warnings.len(), 1);
        assert_eq!(m.warnings[0].line, Some(10));
        assert_eq!(m.packages[0].direct, None);
    }

    #[test]
    fn direct_from_composer_json() {
        let dir = std::env::temp_dir().join(format!("gh-composer-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("composer.json"),
            r#"{"require": {"php": ">=8", "A/One": "^1"}}"#,
        )
        .unwrap();
        let lock = r#"{"packages": [{"name": "a/one", "version": "1.0.0"}, {"name": "a/two", "version": "1.0.0"}]}"#;
        let m = parse(&dir.join("composer.lock"), lock).unwrap();
        assert_eq!(m.packages[0].direct, Some(true));
        assert_eq!(m.packages[1].direct, Some(false));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn malformed_files_are_errors() {
        assert!(parse_str("null").is_err());
        assert!(parse_str("this is not json!").is_err());
        assert!(parse_str("{}").is_err());
        let e = parse_str("{\n\"packages\": [\n{\"name\": 3}\n]}").unwrap_err();
        assert_eq!(e.line, Some(3));
    }

    #[test]
    fn v_prefix() {
        assert_eq!(strip_v("v1.0"), "1.0");
        assert_eq!(strip_v("V2"), "2");
        assert_eq!(strip_v("very"), "very");
        assert_eq!(strip_v("v"), "v");
    }
}
