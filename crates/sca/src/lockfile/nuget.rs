//! NuGet `packages.lock.json` (versions 1 and 2).
//!
//! `dependencies` holds one map per target framework (and runtime identifier); a package
//! resolved for several of them is one package, direct when any framework references it
//! directly. `Project` entries are other projects of the solution, not packages.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

use crate::lockfile::text::{json_error, LineIndex, OrderedMap};
use crate::lockfile::Format;
use crate::{Ecosystem, Manifest, Package, ParseError};

struct Lock<'a> {
    version: Option<i64>,
    /// Target framework → package id → entry.
    dependencies: Option<OrderedMap<'a, OrderedMap<'a, Entry>>>,
}

// By hand: the derive cannot tie the borrowed keys' lifetime to the input's.
impl<'de> Deserialize<'de> for Lock<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Lock<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a packages.lock.json object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Lock<'de>, A::Error> {
                let mut lock = Lock {
                    version: None,
                    dependencies: None,
                };
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "version" => lock.version = map.next_value()?,
                        "dependencies" => lock.dependencies = map.next_value()?,
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

#[derive(Deserialize)]
struct Entry {
    #[serde(rename = "type")]
    kind: Option<String>,
    resolved: Option<String>,
}

pub fn parse(_path: &Path, text: &str) -> Result<Manifest, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lock: Lock = serde_json::from_str(text).map_err(json_error)?;
    let lines = LineIndex::new(text);
    match lock.version {
        Some(1 | 2) => {}
        Some(v) => {
            let line = memchr::memmem::find(text.as_bytes(), b"\"version\"").map(|o| lines.line(o));
            let message = format!("unsupported packages.lock.json version {v} (1 and 2 are known)");
            return Err(ParseError { line, message });
        }
        None => {
            return Err(ParseError::new(
                "not a NuGet packages.lock.json: no \"version\"",
            ))
        }
    }
    let mut manifest = Manifest::new(Format::NugetLock);
    let Some(frameworks) = lock.dependencies else {
        return Ok(manifest);
    };
    // NuGet ids are case-insensitive: one package per (lower-cased id, version).
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for (framework, entries) in frameworks.0 {
        let framework = framework.as_str();
        for (name, entry) in entries.0 {
            let line = name.line(&lines, text);
            let name = name.as_str();
            let direct = match entry.kind.as_deref() {
                Some("Project") => continue,
                Some("Direct") => Some(true),
                Some("Transitive" | "CentralTransitive") => Some(false),
                _ => None,
            };
            let Some(version) = entry.resolved.filter(|v| !v.trim().is_empty()) else {
                manifest.warn(
                    line,
                    format!("{name} ({framework}): no resolved version, not checked"),
                );
                continue;
            };
            let key = (name.to_ascii_lowercase(), version.clone());
            if let Some(&i) = seen.get(&key) {
                if let Some(p) = manifest.packages.get_mut(i) {
                    if direct == Some(true) || p.direct.is_none() {
                        p.direct = direct.or(p.direct);
                    }
                }
                continue;
            }
            seen.insert(key, manifest.packages.len());
            let mut package = Package::new(Ecosystem::NuGet, name, version);
            package.line = line;
            package.direct = direct;
            manifest.packages.push(package);
        }
    }
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Manifest, ParseError> {
        parse(Path::new("packages.lock.json"), text)
    }

    #[test]
    fn frameworks_are_merged_and_projects_skipped() {
        let text = r#"{
  "version": 2,
  "dependencies": {
    "net6.0": {
      "Newtonsoft.Json": {"type": "Direct", "requested": "[13.0.1, )", "resolved": "13.0.1",
        "dependencies": {"System.Memory": "4.5.0"}},
      "System.Memory": {"type": "Transitive", "resolved": "4.5.0"},
      "MyLib": {"type": "Project", "dependencies": {"Newtonsoft.Json": "[13.0.1, )"}}
    },
    "net8.0": {
      "System.Memory": {"type": "Direct", "requested": "[4.5.0, )", "resolved": "4.5.0"},
      "Serilog": {"type": "CentralTransitive", "requested": "[3.0.0, )", "resolved": "3.0.0"},
      "Broken": {"type": "Transitive"}
    }
  }
}"#;
        let m = parse_str(text).unwrap();
        let got: Vec<_> = m
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.line, p.direct))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Newtonsoft.Json", "13.0.1", Some(5), Some(true)),
                ("System.Memory", "4.5.0", Some(7), Some(true)),
                ("Serilog", "3.0.0", Some(12), Some(false)),
            ]
        );
        assert_eq!(m.warnings.len(), 1);
        assert_eq!(m.warnings[0].line, Some(13));
    }

    #[test]
    fn errors() {
        assert_eq!(parse_str("not\njson").unwrap_err().line, Some(1));
        assert!(parse_str("{}").is_err());
        let e = parse_str("{\n  \"version\": 3,\n  \"dependencies\": {}\n}").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(parse_str(r#"{"version": 1, "dependencies": {"net6.0": []}}"#).is_err());
        assert!(parse_str(r#"{"version": 1}"#).unwrap().packages.is_empty());
    }
}
