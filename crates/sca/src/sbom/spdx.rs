//! SPDX 2.3 JSON output.
//!
//! The document describes one package, the project; every distinct purl is a package with a
//! `purl` external reference. The project `DEPENDS_ON` the packages the manifests call direct
//! (direct development dependencies are `DEV_DEPENDENCY_OF` it instead) and `CONTAINS` the rest
//! (transitive ones, and all of them when no manifest says which are direct), so that every
//! package is related to the project. SPDX 2.3 has no place for
//! vulnerabilities; they go in the CycloneDX output.

use std::collections::HashSet;
use std::io;

use serde::Serialize;

use super::{content_uuid, creation_time, entries, url_segment, SbomInput};

const ROOT_ID: &str = "SPDXRef-Project";

/// Writes the document as pretty-printed JSON followed by a newline.
pub fn write(input: &SbomInput, out: &mut impl io::Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(input)).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// The document as pretty-printed JSON followed by a newline.
pub fn to_string(input: &SbomInput) -> String {
    let mut buf = Vec::new();
    // Writing to memory cannot fail, and serialising these types cannot either.
    let _ = write(input, &mut buf);
    String::from_utf8(buf).unwrap_or_default()
}

/// An SPDX identifier: `SPDXRef-` and then only letters, digits, `.` and `-`.
fn spdx_id(prefix: &str, s: &str) -> String {
    let body: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("SPDXRef-{prefix}-{body}")
}

fn document(input: &SbomInput) -> Document {
    let entries = entries(input.manifests);
    let mut used: HashSet<String> = HashSet::from([ROOT_ID.to_string()]);
    let mut packages = vec![Package {
        spdx_id: ROOT_ID.to_string(),
        name: input.project_name.to_string(),
        version_info: input.project_version.map(str::to_string),
        download_location: "NOASSERTION",
        files_analyzed: false,
        license_concluded: "NOASSERTION",
        license_declared: "NOASSERTION",
        external_refs: Vec::new(),
        primary_package_purpose: "APPLICATION",
    }];
    let mut relationships = vec![Relationship {
        element: "SPDXRef-DOCUMENT".to_string(),
        kind: "DESCRIBES",
        related: ROOT_ID.to_string(),
    }];
    for e in &entries {
        let p = &e.package;
        // Sanitising can make two names alike (`a_b`, `a.b`); a counter keeps ids unique, and
        // the sorted order keeps them stable.
        let base = spdx_id(
            "Package",
            &format!("{}-{}-{}", p.ecosystem.purl_type(), p.name, p.version),
        );
        let mut id = base.clone();
        let mut n = 1;
        while !used.insert(id.clone()) {
            n += 1;
            id = format!("{base}-{n}");
        }
        relationships.push(match (p.direct, p.dev) {
            (Some(true), Some(true)) => Relationship {
                element: id.clone(),
                kind: "DEV_DEPENDENCY_OF",
                related: ROOT_ID.to_string(),
            },
            (Some(true), _) => Relationship {
                element: ROOT_ID.to_string(),
                kind: "DEPENDS_ON",
                related: id.clone(),
            },
            _ => Relationship {
                element: ROOT_ID.to_string(),
                kind: "CONTAINS",
                related: id.clone(),
            },
        });
        packages.push(Package {
            spdx_id: id,
            name: p.name.clone(),
            version_info: Some(p.version.clone()),
            download_location: "NOASSERTION",
            files_analyzed: false,
            license_concluded: "NOASSERTION",
            license_declared: "NOASSERTION",
            external_refs: vec![ExternalRef {
                category: "PACKAGE-MANAGER",
                kind: "purl",
                locator: e.purl.clone(),
            }],
            primary_package_purpose: "LIBRARY",
        });
    }
    let mut doc = Document {
        spdx_version: "SPDX-2.3",
        data_license: "CC0-1.0",
        spdx_id: "SPDXRef-DOCUMENT",
        name: input.project_name.to_string(),
        document_namespace: String::new(),
        creation_info: CreationInfo {
            created: String::new(),
            creators: vec![format!("Tool: gatehouse-{}", env!("CARGO_PKG_VERSION"))],
        },
        packages,
        relationships,
    };
    // The namespace identifies the content, so it is computed before the time is set.
    let content = serde_json::to_vec(&doc).unwrap_or_default();
    doc.document_namespace = format!(
        "https://spdx.org/spdxdocs/{}-{}",
        namespace_segment(input.project_name),
        content_uuid(&content)
    );
    doc.creation_info.created = creation_time(input.created);
    doc
}

/// The project name as one URI path segment.
fn namespace_segment(name: &str) -> String {
    match url_segment(name) {
        s if s.is_empty() => "project".to_string(),
        s => s,
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Document {
    spdx_version: &'static str,
    data_license: &'static str,
    #[serde(rename = "SPDXID")]
    spdx_id: &'static str,
    name: String,
    document_namespace: String,
    creation_info: CreationInfo,
    packages: Vec<Package>,
    relationships: Vec<Relationship>,
}

#[derive(Serialize)]
struct CreationInfo {
    created: String,
    creators: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Package {
    #[serde(rename = "SPDXID")]
    spdx_id: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    version_info: Option<String>,
    download_location: &'static str,
    files_analyzed: bool,
    license_concluded: &'static str,
    license_declared: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    external_refs: Vec<ExternalRef>,
    primary_package_purpose: &'static str,
}

#[derive(Serialize)]
struct ExternalRef {
    #[serde(rename = "referenceCategory")]
    category: &'static str,
    #[serde(rename = "referenceType")]
    kind: &'static str,
    #[serde(rename = "referenceLocator")]
    locator: String,
}

#[derive(Serialize)]
struct Relationship {
    #[serde(rename = "spdxElementId")]
    element: String,
    #[serde(rename = "relationshipType")]
    kind: &'static str,
    #[serde(rename = "relatedSpdxElement")]
    related: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_sanitised() {
        assert_eq!(
            spdx_id("Package", "npm-@babel/core-7.0.0"),
            "SPDXRef-Package-npm--babel-core-7.0.0"
        );
        assert_eq!(spdx_id("Package", "a_ü"), "SPDXRef-Package-a--");
        assert_eq!(namespace_segment("my app/ü"), "my%20app%2F%C3%BC");
        assert_eq!(namespace_segment(""), "project");
    }
}
