//! SPDX 2.x JSON documents (2.2 and 2.3) as scan input.
//!
//! Packages are named by their `purl` external reference (category `PACKAGE-MANAGER`, or
//! `PACKAGE_MANAGER` as some tools write it). The package the document describes is the project
//! itself when it has dependencies of its own, and is not scanned; its `DEPENDS_ON` (and the
//! reverse `DEPENDENCY_OF`, `DEV_DEPENDENCY_OF`, …) relationships say which packages are direct.
//! A package without a usable purl is a warning naming it.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde_json::Value;

use crate::lockfile::Format;
use crate::sbom::{package_from_purl, push_unique, JsonValueLines};
use crate::{Manifest, ParseError};

/// How one element relates to another, reduced to what the scanner needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edge {
    Depends,
    DevDepends,
    Contains,
}

pub fn parse(_path: &Path, text: &str) -> Result<Manifest, ParseError> {
    let doc: Value = serde_json::from_str(text)
        .map_err(|e| ParseError::at(e.line().max(1) as u32, format!("invalid JSON: {e}")))?;
    let Some(obj) = doc.as_object() else {
        return Err(ParseError::new(
            "not an SPDX document: the top level is not an object",
        ));
    };
    match obj.get("spdxVersion").and_then(Value::as_str) {
        Some(v) if v.starts_with("SPDX-2.") => {}
        Some(v) => {
            return Err(ParseError::new(format!(
                "spdxVersion is `{v}`; only SPDX 2.x JSON is supported"
            )))
        }
        None => {
            return Err(ParseError::new(
                "not an SPDX document: no spdxVersion field",
            ))
        }
    }
    let doc_id = obj
        .get("SPDXID")
        .and_then(Value::as_str)
        .unwrap_or("SPDXRef-DOCUMENT");

    let mut described: HashSet<&str> = HashSet::new();
    if let Some(Value::Array(ids)) = obj.get("documentDescribes") {
        described.extend(ids.iter().filter_map(Value::as_str));
    }
    // (parent, child, edge)
    let mut edges: Vec<(&str, &str, Edge)> = Vec::new();
    match obj.get("relationships") {
        None | Some(Value::Null) => {}
        Some(Value::Array(rels)) => {
            for (i, r) in rels.iter().enumerate() {
                let field = |k: &str| {
                    r.get(k).and_then(Value::as_str).ok_or_else(|| {
                        ParseError::new(format!(
                            "relationships[{i}].{k} is missing or not a string"
                        ))
                    })
                };
                let (a, ty, b) = (
                    field("spdxElementId")?,
                    field("relationshipType")?,
                    field("relatedSpdxElement")?,
                );
                match ty {
                    "DESCRIBES" if a == doc_id => {
                        described.insert(b);
                    }
                    "DESCRIBED_BY" if b == doc_id => {
                        described.insert(a);
                    }
                    "DEPENDS_ON" => edges.push((a, b, Edge::Depends)),
                    "DEPENDENCY_OF"
                    | "BUILD_DEPENDENCY_OF"
                    | "OPTIONAL_DEPENDENCY_OF"
                    | "PROVIDED_DEPENDENCY_OF"
                    | "RUNTIME_DEPENDENCY_OF" => edges.push((b, a, Edge::Depends)),
                    "DEV_DEPENDENCY_OF" | "TEST_DEPENDENCY_OF" => {
                        edges.push((b, a, Edge::DevDepends))
                    }
                    "CONTAINS" => edges.push((a, b, Edge::Contains)),
                    "CONTAINED_BY" => edges.push((b, a, Edge::Contains)),
                    _ => {}
                }
            }
        }
        Some(_) => return Err(ParseError::new("relationships is not an array")),
    }
    // A described package is the project when it has packages under it; a document that
    // describes every package it lists has no such root, and all of them are scanned.
    let roots: HashSet<&str> = edges
        .iter()
        .map(|&(a, _, _)| a)
        .filter(|a| described.contains(a))
        .collect();
    let mut direct: HashSet<&str> = HashSet::new();
    let mut dev: HashSet<&str> = HashSet::new();
    for &(a, b, e) in &edges {
        if roots.contains(a) {
            match e {
                Edge::Depends => {
                    direct.insert(b);
                }
                Edge::DevDepends => {
                    direct.insert(b);
                    dev.insert(b);
                }
                Edge::Contains => {}
            }
        }
    }
    let graph_known = !direct.is_empty();

    let packages = match obj.get("packages") {
        None | Some(Value::Null) => &Vec::new(),
        Some(Value::Array(p)) => p,
        Some(_) => return Err(ParseError::new("packages is not an array")),
    };
    let mut m = Manifest::new(Format::SpdxJson);
    let mut lines = JsonValueLines::new(text, "referenceLocator");
    let mut seen = HashMap::new();
    for (i, pkg) in packages.iter().enumerate() {
        if !pkg.is_object() {
            return Err(ParseError::new(format!("packages[{i}] is not an object")));
        }
        let s = |k: &str| pkg.get(k).and_then(Value::as_str);
        let id = s("SPDXID").unwrap_or("");
        let purls: Vec<&str> = pkg
            .get("externalRefs")
            .and_then(Value::as_array)
            .map(|refs| {
                refs.iter()
                    .filter(|r| {
                        let cat = r
                            .get("referenceCategory")
                            .and_then(Value::as_str)
                            .unwrap_or("");
                        let ty = r.get("referenceType").and_then(Value::as_str).unwrap_or("");
                        ty.eq_ignore_ascii_case("purl")
                            && matches!(cat, "PACKAGE-MANAGER" | "PACKAGE_MANAGER" | "")
                    })
                    .filter_map(|r| r.get("referenceLocator").and_then(Value::as_str))
                    .collect()
            })
            .unwrap_or_default();
        let claimed: Vec<Option<u32>> = purls.iter().map(|p| lines.take(p)).collect();
        if roots.contains(id) {
            continue;
        }
        let describe = || {
            let mut d = format!("`{}", s("name").unwrap_or("(unnamed)"));
            if let Some(v) = s("versionInfo") {
                d.push('@');
                d.push_str(v);
            }
            d.push('`');
            if !id.is_empty() {
                d.push_str(&format!(" ({id})"));
            }
            d
        };
        let Some(&raw) = purls.first() else {
            m.warn(
                None,
                format!("package {} has no purl; it is not scanned", describe()),
            );
            continue;
        };
        let line = claimed.first().copied().flatten();
        let mut p = match package_from_purl(raw, s("versionInfo"), s("name")) {
            Ok(p) => p,
            Err(why) => {
                m.warn(
                    line,
                    format!("package {}: {why}; it is not scanned", describe()),
                );
                continue;
            }
        };
        p.line = line;
        p.direct = graph_known.then(|| direct.contains(id));
        // `DEPENDS_ON` does not say whether the dependency is only for development.
        p.dev = dev.contains(id).then_some(true);
        push_unique(&mut m, &mut seen, p);
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Ecosystem;

    #[test]
    fn packages_roots_and_direct() {
        let text = r#"{
  "spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "app",
  "packages": [
    {"SPDXID": "SPDXRef-app", "name": "app", "externalRefs": [
      {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:github/acme/app@main"}]},
    {"SPDXID": "SPDXRef-a", "name": "requests", "versionInfo": "2.31.0", "externalRefs": [
      {"referenceCategory": "SECURITY", "referenceType": "cpe23Type", "referenceLocator": "cpe:2.3:a:python:requests:2.31.0:*:*:*:*:*:*:*"},
      {"referenceCategory": "PACKAGE_MANAGER", "referenceType": "purl", "referenceLocator": "pkg:pypi/requests@2.31.0"}]},
    {"SPDXID": "SPDXRef-b", "name": "urllib3", "versionInfo": "2.0.7", "externalRefs": [
      {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:pypi/urllib3@2.0.7"}]},
    {"SPDXID": "SPDXRef-c", "name": "pytest", "versionInfo": "7.4.0", "externalRefs": [
      {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:pypi/pytest@7.4.0"}]},
    {"SPDXID": "SPDXRef-d", "name": "vendored.c", "versionInfo": "1.0"}
  ],
  "relationships": [
    {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-app"},
    {"spdxElementId": "SPDXRef-app", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-a"},
    {"spdxElementId": "SPDXRef-a", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-b"},
    {"spdxElementId": "SPDXRef-c", "relationshipType": "DEV_DEPENDENCY_OF", "relatedSpdxElement": "SPDXRef-app"}
  ]
}"#;
        let m = parse(Path::new("x.spdx.json"), text).unwrap();
        let got: Vec<_> = m
            .packages
            .iter()
            .map(|p| {
                (
                    p.ecosystem,
                    p.name.as_str(),
                    p.version.as_str(),
                    p.line,
                    p.direct,
                    p.dev,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    Ecosystem::PyPI,
                    "requests",
                    "2.31.0",
                    Some(8),
                    Some(true),
                    None
                ),
                (
                    Ecosystem::PyPI,
                    "urllib3",
                    "2.0.7",
                    Some(10),
                    Some(false),
                    None
                ),
                (
                    Ecosystem::PyPI,
                    "pytest",
                    "7.4.0",
                    Some(12),
                    Some(true),
                    Some(true)
                ),
            ]
        );
        assert_eq!(m.warnings.len(), 1);
        assert!(m.warnings[0]
            .message
            .contains("`vendored.c@1.0` (SPDXRef-d) has no purl"));
    }

    #[test]
    fn a_document_describing_every_package_scans_them_all() {
        let text = r#"{"spdxVersion": "SPDX-2.2", "documentDescribes": ["SPDXRef-a"], "packages": [
            {"SPDXID": "SPDXRef-a", "name": "serde", "versionInfo": "1.0.0", "externalRefs": [
              {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:cargo/serde@1.0.0"}]}]}"#;
        let m = parse(Path::new("x"), text).unwrap();
        assert_eq!(m.packages.len(), 1);
        assert_eq!(m.packages[0].direct, None);
    }

    #[test]
    fn rejects_other_documents() {
        for (text, msg) in [
            ("[]", "not an object"),
            ("{}", "no spdxVersion"),
            (r#"{"spdxVersion": "SPDX-3.0"}"#, "only SPDX 2.x"),
            (
                r#"{"spdxVersion": "SPDX-2.3", "packages": {}}"#,
                "packages is not an array",
            ),
            (
                r#"{"spdxVersion": "SPDX-2.3", "relationships": [{}]}"#,
                "relationships[0].spdxElementId",
            ),
            ("{", "invalid JSON"),
        ] {
            let e = parse(Path::new("x"), text).unwrap_err();
            assert!(e.message.contains(msg), "{text}: {e}");
        }
    }
}
