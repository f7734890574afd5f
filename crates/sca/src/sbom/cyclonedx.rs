//! CycloneDX 1.6 JSON output.
//!
//! One `library` component per distinct purl, its `bom-ref` being the purl; the project is
//! `metadata.component`, and where the manifests say which packages are direct it depends on
//! exactly those. The `vulnerabilities` section carries ratings, CWEs, advisories and fixed
//! versions, and, for triaged matches, an `analysis`, so the document doubles as a VEX
//! document (and [`super::vex`] reads it back as one).

use std::collections::{BTreeMap, BTreeSet};
use std::io;

use serde::Serialize;

use super::{
    advisory_source, content_uuid, creation_time, cyclonedx_justification, entries, is_web_url,
    Entry, Purl, SbomCvss, SbomInput, SbomVulnerability, VexStatus,
};
use crate::Ecosystem;
use gatehouse_core::Severity;

/// Writes the SBOM as pretty-printed JSON followed by a newline.
pub fn write(input: &SbomInput, out: &mut impl io::Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &bom(input)).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// The SBOM as pretty-printed JSON followed by a newline.
pub fn to_string(input: &SbomInput) -> String {
    let mut buf = Vec::new();
    // Writing to memory cannot fail, and serialising these types cannot either.
    let _ = write(input, &mut buf);
    String::from_utf8(buf).unwrap_or_default()
}

/// The bom-ref of the project component.
fn root_ref(project: &str) -> String {
    format!("project:{project}")
}

fn bom(input: &SbomInput) -> Bom {
    let entries = entries(input.manifests);
    let root = root_ref(input.project_name);
    let components: Vec<Component> = entries.iter().map(component).collect();
    let direct: Vec<String> = entries
        .iter()
        .filter(|e| e.package.direct == Some(true))
        .map(|e| e.purl.clone())
        .collect();
    let graph_known = entries.iter().any(|e| e.package.direct.is_some());
    let dependencies = if graph_known {
        vec![Dependency {
            reference: root.clone(),
            depends_on: direct,
        }]
    } else {
        Vec::new()
    };
    let mut bom = Bom {
        schema: "http://cyclonedx.org/schema/bom-1.6.schema.json",
        bom_format: "CycloneDX",
        spec_version: "1.6",
        serial_number: String::new(),
        version: 1,
        metadata: Metadata {
            timestamp: String::new(),
            tools: Tools {
                components: vec![ToolComponent {
                    ty: "application",
                    name: "gatehouse",
                    version: env!("CARGO_PKG_VERSION"),
                }],
            },
            component: Component {
                ty: "application",
                bom_ref: root,
                group: None,
                name: input.project_name.to_string(),
                version: input.project_version.map(clip_version),
                scope: None,
                purl: None,
                properties: Vec::new(),
            },
        },
        components,
        dependencies,
        vulnerabilities: vulnerabilities(input.vulnerabilities, &entries),
    };
    // The serial number identifies the content, so it is computed before the time is set.
    let content = serde_json::to_vec(&bom).unwrap_or_default();
    bom.serial_number = format!("urn:uuid:{}", content_uuid(&content));
    bom.metadata.timestamp = creation_time(input.created);
    bom
}

/// The schema caps versions at 1024 characters.
fn clip_version(v: &str) -> String {
    let mut end = v.len().min(1024);
    while !v.is_char_boundary(end) {
        end -= 1;
    }
    v[..end].to_string()
}

fn component(e: &Entry) -> Component {
    let p = &e.package;
    // Ecosystems whose names have a namespace split it into `group` and `name`, as the
    // CycloneDX generators of those ecosystems do.
    let (group, name) = match p.ecosystem {
        Ecosystem::Maven | Ecosystem::Npm | Ecosystem::Go | Ecosystem::Packagist => {
            match Purl::parse(&e.purl) {
                Ok(purl) => (purl.namespace, purl.name),
                Err(_) => (None, p.name.clone()),
            }
        }
        _ => (None, p.name.clone()),
    };
    Component {
        ty: "library",
        bom_ref: e.purl.clone(),
        group,
        name,
        version: Some(clip_version(&p.version)),
        scope: p.dev.map(|dev| if dev { "optional" } else { "required" }),
        purl: Some(e.purl.clone()),
        properties: e
            .manifests
            .iter()
            .filter(|m| !m.is_empty())
            .map(|m| Property {
                name: "gatehouse:manifest",
                value: m.clone(),
            })
            .collect(),
    }
}

fn vulnerabilities(input: &[SbomVulnerability], entries: &[Entry]) -> Vec<Vulnerability> {
    // Identical vulnerabilities found in several manifests become one, affecting the union.
    let mut merged: BTreeMap<String, Vulnerability> = BTreeMap::new();
    for v in input {
        let mut out = vulnerability(v, entries);
        let affects = std::mem::take(&mut out.affects);
        let key = serde_json::to_string(&out).unwrap_or_default();
        let slot = merged.entry(key).or_insert(out);
        for a in affects {
            if !slot.affects.iter().any(|b| b.reference == a.reference) {
                slot.affects.push(a);
            }
        }
    }
    let mut out: Vec<Vulnerability> = merged.into_values().collect();
    for v in &mut out {
        v.affects.sort_by(|a, b| a.reference.cmp(&b.reference));
    }
    out.sort_by(|a, b| {
        let refs = |v: &Vulnerability| {
            v.affects
                .iter()
                .map(|a| a.reference.clone())
                .collect::<Vec<_>>()
        };
        a.id.cmp(&b.id).then_with(|| refs(a).cmp(&refs(b)))
    });
    out
}

fn vulnerability(v: &SbomVulnerability, entries: &[Entry]) -> Vulnerability {
    let (derived_name, derived_url) = advisory_source(&v.id);
    let source = Source {
        name: Some(
            v.source_name
                .clone()
                .unwrap_or_else(|| derived_name.to_string()),
        ),
        url: Some(v.source_url.clone().unwrap_or(derived_url)).filter(|u| is_web_url(u)),
    };
    let aliases: BTreeSet<&str> = v
        .aliases
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty() && !a.eq_ignore_ascii_case(&v.id))
        .collect();
    let references = aliases
        .into_iter()
        .map(|a| {
            let (name, url) = advisory_source(a);
            Reference {
                id: a.to_string(),
                source: Source {
                    name: Some(name.to_string()),
                    url: Some(url).filter(|u| is_web_url(u)),
                },
            }
        })
        .collect();
    let mut ratings: Vec<Rating> = v.cvss.iter().map(|c| rating(c, v.severity)).collect();
    if ratings.is_empty() {
        if let Some(s) = v.severity {
            ratings.push(Rating {
                score: None,
                severity: Some(severity_name(s)),
                method: "other",
                vector: None,
            });
        }
    }
    let cwes: BTreeSet<u32> = v
        .cwes
        .iter()
        .filter_map(|c| {
            let c = c.trim();
            let digits = c
                .strip_prefix("CWE-")
                .or_else(|| c.strip_prefix("cwe-"))
                .unwrap_or(c);
            digits.parse::<u32>().ok().filter(|n| *n >= 1)
        })
        .collect();
    let advisories: BTreeSet<&str> = v
        .references
        .iter()
        .map(|r| r.trim())
        .filter(|r| is_web_url(r))
        .collect();
    let status = match v.analysis.as_ref().map(|a| a.state) {
        Some(s) if s.suppresses() => "unaffected",
        Some(VexStatus::UnderInvestigation) => "unknown",
        _ => "affected",
    };
    let mut affects: Vec<Affect> = Vec::new();
    for purl in &v.affects {
        let purl = purl.trim();
        if purl.is_empty() {
            continue;
        }
        let entry = entries.iter().find(|e| e.purl == purl).or_else(|| {
            let want = Purl::parse(purl).ok()?;
            entries.iter().find(|e| {
                Purl::parse(&e.purl)
                    .is_ok_and(|p| p.same_package(&want) && p.version == want.version)
            })
        });
        let (reference, versions) = match entry {
            Some(e) => (
                e.purl.clone(),
                vec![AffectedVersion {
                    version: clip_version(&e.package.version),
                    status,
                }],
            ),
            // Not a component of this SBOM: still name it, by purl.
            None => (purl.to_string(), Vec::new()),
        };
        if !affects.iter().any(|a| a.reference == reference) {
            affects.push(Affect {
                reference,
                versions,
            });
        }
    }
    let analysis = v.analysis.as_ref().map(|a| {
        let justification = a.justification.as_deref().and_then(cyclonedx_justification);
        let mut detail = a.detail.clone().filter(|d| !d.trim().is_empty());
        // A justification CycloneDX has no name for is kept as text.
        if let (None, Some(j)) = (justification, a.justification.as_deref()) {
            if !j.trim().is_empty() {
                let note = format!("Justification: {}", j.trim());
                detail = Some(match detail {
                    Some(d) => format!("{d}\n{note}"),
                    None => note,
                });
            }
        }
        let response: BTreeSet<_> = a.response.iter().copied().collect();
        Analysis {
            state: a.state.cyclonedx_state(),
            justification,
            response: response.into_iter().map(|r| r.as_str()).collect(),
            detail,
        }
    });
    Vulnerability {
        id: v.id.trim().to_string(),
        source: Some(source),
        references,
        ratings,
        cwes: cwes.into_iter().collect(),
        description: v.summary.clone().filter(|s| !s.trim().is_empty()),
        detail: v.details.clone().filter(|s| !s.trim().is_empty()),
        recommendation: v
            .fixed_version
            .as_deref()
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .map(|f| format!("Upgrade to version {f} or later.")),
        advisories: advisories
            .into_iter()
            .map(|url| Advisory {
                url: url.to_string(),
            })
            .collect(),
        affects,
        analysis,
    }
}

/// CycloneDX's scoring method for a CVSS vector.
fn method(vector: &str) -> &'static str {
    let v = vector.trim().trim_start_matches('(');
    if v.starts_with("CVSS:4.0/") {
        "CVSSv4"
    } else if v.starts_with("CVSS:3.1/") {
        "CVSSv31"
    } else if v.starts_with("CVSS:3.0/") {
        "CVSSv3"
    } else if v.starts_with("AV:") && v.contains("/Au:") {
        "CVSSv2"
    } else {
        "other"
    }
}

fn rating(c: &SbomCvss, label: Option<Severity>) -> Rating {
    let method = method(&c.vector);
    let score = c
        .score
        .filter(|s| s.is_finite() && (0.0..=10.0).contains(s));
    let severity = match score {
        Some(s) => Some(score_severity(s, method)),
        None => label.map(severity_name),
    };
    let vector = c.vector.trim();
    Rating {
        score,
        severity,
        method,
        vector: (!vector.is_empty()).then(|| vector.to_string()),
    }
}

/// The qualitative rating of a CVSS score: v2 has no `critical` and no `none`.
fn score_severity(score: f64, method: &str) -> &'static str {
    if method == "CVSSv2" {
        return match score {
            s if s >= 7.0 => "high",
            s if s >= 4.0 => "medium",
            _ => "low",
        };
    }
    match score {
        s if s >= 9.0 => "critical",
        s if s >= 7.0 => "high",
        s if s >= 4.0 => "medium",
        s if s > 0.0 => "low",
        _ => "none",
    }
}

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "critical",
        Severity::High => "high",
        Severity::Medium => "medium",
        Severity::Low => "low",
        Severity::Info => "info",
    }
}

// ---------------------------------------------------------------------------------------------
// Document model: the subset of CycloneDX 1.6 written, in the order the specification lists it.

#[derive(Serialize)]
struct Bom {
    #[serde(rename = "$schema")]
    schema: &'static str,
    #[serde(rename = "bomFormat")]
    bom_format: &'static str,
    #[serde(rename = "specVersion")]
    spec_version: &'static str,
    #[serde(rename = "serialNumber")]
    serial_number: String,
    version: u32,
    metadata: Metadata,
    components: Vec<Component>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    dependencies: Vec<Dependency>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    vulnerabilities: Vec<Vulnerability>,
}

#[derive(Serialize)]
struct Metadata {
    timestamp: String,
    tools: Tools,
    component: Component,
}

#[derive(Serialize)]
struct Tools {
    components: Vec<ToolComponent>,
}

#[derive(Serialize)]
struct ToolComponent {
    #[serde(rename = "type")]
    ty: &'static str,
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Component {
    #[serde(rename = "type")]
    ty: &'static str,
    #[serde(rename = "bom-ref")]
    bom_ref: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<String>,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    purl: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    properties: Vec<Property>,
}

#[derive(Serialize)]
struct Property {
    name: &'static str,
    value: String,
}

#[derive(Serialize)]
struct Dependency {
    #[serde(rename = "ref")]
    reference: String,
    #[serde(rename = "dependsOn")]
    depends_on: Vec<String>,
}

#[derive(Serialize)]
struct Vulnerability {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<Source>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    references: Vec<Reference>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    ratings: Vec<Rating>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    cwes: Vec<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recommendation: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    advisories: Vec<Advisory>,
    #[serde(skip_serializing_if = "Option::is_none")]
    analysis: Option<Analysis>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    affects: Vec<Affect>,
}

#[derive(Serialize)]
struct Source {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Serialize)]
struct Reference {
    id: String,
    source: Source,
}

#[derive(Serialize)]
struct Rating {
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    severity: Option<&'static str>,
    method: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    vector: Option<String>,
}

#[derive(Serialize)]
struct Advisory {
    url: String,
}

#[derive(Serialize)]
struct Analysis {
    state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    justification: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    response: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
}

#[derive(Serialize)]
struct Affect {
    #[serde(rename = "ref")]
    reference: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    versions: Vec<AffectedVersion>,
}

#[derive(Serialize)]
struct AffectedVersion {
    version: String,
    status: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_and_bands() {
        assert_eq!(
            method("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
            "CVSSv31"
        );
        assert_eq!(method("CVSS:3.0/AV:N"), "CVSSv3");
        assert_eq!(method("CVSS:4.0/AV:N/AC:L"), "CVSSv4");
        assert_eq!(method("AV:N/AC:L/Au:N/C:P/I:P/A:P"), "CVSSv2");
        assert_eq!(method("(AV:N/AC:L/Au:N/C:P/I:P/A:P)"), "CVSSv2");
        assert_eq!(method("moderate"), "other");
        assert_eq!(score_severity(10.0, "CVSSv2"), "high");
        assert_eq!(score_severity(9.0, "CVSSv31"), "critical");
        assert_eq!(score_severity(0.0, "CVSSv31"), "none");
        assert_eq!(score_severity(0.1, "CVSSv4"), "low");
    }

    #[test]
    fn long_versions_are_clipped_on_a_char_boundary() {
        let v = "é".repeat(600);
        let c = clip_version(&v);
        assert!(c.len() <= 1024 && c.chars().all(|ch| ch == 'é'));
    }
}
