//! `Pipfile.lock` (pipfile-spec 6 and earlier): `default` packages ship, `develop` packages are
//! dev. Both sections are what `pipenv install` resolved, so neither says which packages the
//! Pipfile names itself: `direct` is unknown.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

use crate::lockfile::text::{json_error, LineIndex, OrderedMap};
use crate::lockfile::Format;
use crate::{Ecosystem, Manifest, Package, ParseError, SourceKind};

#[derive(Deserialize)]
struct Meta {
    #[serde(rename = "pipfile-spec")]
    spec: Option<i64>,
}

#[derive(Deserialize)]
struct Entry {
    version: Option<String>,
    git: Option<String>,
    path: Option<String>,
    file: Option<String>,
}

/// The top-level object, with its sections in file order (by hand: the derive can neither
/// keep that order nor tie the borrowed keys' lifetime to the input's).
struct Lock<'a> {
    spec: Option<i64>,
    /// (dev, entries)
    sections: Vec<(bool, OrderedMap<'a, Entry>)>,
}

impl<'de> Deserialize<'de> for Lock<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Lock<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a Pipfile.lock object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Lock<'de>, A::Error> {
                let mut lock = Lock {
                    spec: None,
                    sections: Vec::new(),
                };
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "_meta" => lock.spec = map.next_value::<Meta>()?.spec,
                        "default" => lock.sections.push((false, map.next_value()?)),
                        "develop" => lock.sections.push((true, map.next_value()?)),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(lock)
            }
        }
        deserializer.deserialize_map(V)
    }
}

pub fn parse(_path: &Path, text: &str) -> Result<Manifest, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lock: Lock = serde_json::from_str(text).map_err(json_error)?;
    let lines = LineIndex::new(text);
    if let Some(spec) = lock.spec {
        if !(1..=6).contains(&spec) {
            let line =
                memchr::memmem::find(text.as_bytes(), b"\"pipfile-spec\"").map(|o| lines.line(o));
            let message =
                format!("unsupported Pipfile.lock pipfile-spec {spec} (up to 6 is known)");
            return Err(ParseError { line, message });
        }
    }

    let mut manifest = Manifest::new(Format::PipfileLock);
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for (dev, entries) in lock.sections {
        for (name, entry) in entries.0 {
            let line = name.line(&lines, text);
            let name = name.as_str();
            let Some(spec) = entry.version.as_deref() else {
                let from = if entry.git.is_some() {
                    "a git repository"
                } else if entry.path.is_some() || entry.file.is_some() {
                    "a local path or file"
                } else {
                    "an unknown source"
                };
                manifest.warn(
                    line,
                    format!("{name}: installed from {from} without a version, not checked"),
                );
                continue;
            };
            let version = spec
                .strip_prefix("===")
                .or_else(|| spec.strip_prefix("=="))
                .map(str::trim);
            let Some(version) = version.filter(|v| !v.is_empty() && !v.contains('*')) else {
                manifest.warn(line, format!("{name} {spec}: not pinned, not checked"));
                continue;
            };
            let key = (Ecosystem::PyPI.normalize_name(name), version.to_string());
            if let Some(&i) = seen.get(&key) {
                // In both sections: it ships.
                if !dev {
                    if let Some(p) = manifest.packages.get_mut(i) {
                        p.dev = Some(false);
                    }
                }
                continue;
            }
            seen.insert(key, manifest.packages.len());
            let mut package = Package::new(Ecosystem::PyPI, name, version);
            package.line = line;
            package.dev = Some(dev);
            package.source = if entry.git.is_some() {
                SourceKind::Git
            } else if entry.path.is_some() || entry.file.is_some() {
                SourceKind::Path
            } else {
                SourceKind::Registry
            };
            manifest.packages.push(package);
        }
    }
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Manifest, ParseError> {
        parse(Path::new("Pipfile.lock"), text)
    }

    #[test]
    fn sections_lines_and_dedupe() {
        let text = r#"{
  "_meta": {"pipfile-spec": 6, "hash": {"sha256": "x"}},
  "develop": {
    "pytest": {"hashes": ["sha256:1"], "version": "==8.0.0"},
    "six": {"version": "==1.16.0"}
  },
  "default": {
    "zeta": {"version": "==1.0", "markers": "python_version >= '3.7'"},
    "six": {"version": "==1.16.0"},
    "alpha": {"version": "===2.0"},
    "loose": {"version": "*"},
    "gitpkg": {"git": "https://github.com/a/b", "ref": "abc"}
  }
}"#;
        let m = parse_str(text).unwrap();
        let got: Vec<_> = m
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.line, p.dev))
            .collect();
        assert_eq!(
            got,
            vec![
                ("pytest", "8.0.0", Some(4), Some(true)),
                ("six", "1.16.0", Some(5), Some(false)),
                ("zeta", "1.0", Some(8), Some(false)),
                ("alpha", "2.0", Some(10), Some(false)),
            ]
        );
        let warned: Vec<_> = m.warnings.iter().map(|w| w.line).collect();
        assert_eq!(warned, vec![Some(11), Some(12)]);
    }

    #[test]
    fn errors() {
        assert_eq!(parse_str("this is not json").unwrap_err().line, Some(1));
        assert!(parse_str("").is_err());
        assert!(parse_str("[]").is_err());
        assert!(parse_str(r#"{"default": {"a": {"version": 3}}}"#).is_err());
        let e = parse_str("{\n\"_meta\": {\n\"pipfile-spec\": 7}}").unwrap_err();
        assert_eq!(e.line, Some(3));
    }
}
