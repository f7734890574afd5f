//! SBOMs and VEX.
//!
//! Writers: [`cyclonedx`] (CycloneDX 1.6 JSON, with a `vulnerabilities` section usable as VEX)
//! and [`spdx`] (SPDX 2.3 JSON), both from an [`SbomInput`]: the project's [`Manifest`]s and the
//! vulnerabilities found in them. Output is deterministic: the same input and creation time give
//! the same bytes, serial number and namespace included (they are derived from the content), and
//! the creation time honours `SOURCE_DATE_EPOCH`.
//!
//! Readers: [`vex`] reads CycloneDX VEX and OpenVEX documents into statements that suppress
//! matches; [`purl`] parses package URLs. Reading SBOMs as scan input is a lockfile format like
//! any other (`lockfile::cyclonedx`, `lockfile::spdx`); the helpers they share live here.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use gatehouse_core::Severity;
use sha2::{Digest, Sha256};

use crate::{Ecosystem, Manifest, Package};

pub mod cyclonedx;
pub mod purl;
pub mod spdx;
pub mod vex;

pub use purl::{Purl, PurlError};
pub use vex::{VexError, VexStatement, VexStatus};

/// Everything an SBOM writer needs.
#[derive(Debug, Clone, Copy)]
pub struct SbomInput<'a> {
    /// The scanned project: the SBOM's subject (CycloneDX `metadata.component`, the SPDX package
    /// the document describes).
    pub project_name: &'a str,
    pub project_version: Option<&'a str>,
    /// Packages of several manifests naming the same purl become one component.
    pub manifests: &'a [Manifest],
    pub vulnerabilities: &'a [SbomVulnerability],
    /// Creation time in seconds since the Unix epoch; `None` takes `SOURCE_DATE_EPOCH`, or else
    /// the current time.
    pub created: Option<i64>,
}

/// A vulnerability as the SBOM reports it, with the analysis that makes it a VEX statement.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SbomVulnerability {
    /// The advisory's id (`GHSA-…`, `RUSTSEC-…`, `CVE-…`).
    pub id: String,
    /// Other ids of the same vulnerability.
    pub aliases: Vec<String>,
    /// Who published the advisory; derived from the id's prefix when `None`.
    pub source_name: Option<String>,
    pub source_url: Option<String>,
    pub summary: Option<String>,
    pub details: Option<String>,
    pub cvss: Vec<SbomCvss>,
    /// The advisory's own severity label, used when there is no CVSS score.
    pub severity: Option<Severity>,
    /// `CWE-79` or `79`.
    pub cwes: Vec<String>,
    /// Purls of the affected packages, as the SBOM's components name them.
    pub affects: Vec<String>,
    pub fixed_version: Option<String>,
    /// Advisory URLs.
    pub references: Vec<String>,
    /// Present when the match was triaged (suppressed, not affected, …).
    pub analysis: Option<VexAnalysis>,
}

/// A CVSS vector with its base score when known.
#[derive(Debug, Clone, PartialEq)]
pub struct SbomCvss {
    /// `CVSS:3.1/AV:N/…`, `CVSS:4.0/…`, or a bare CVSS v2 vector.
    pub vector: String,
    pub score: Option<f64>,
}

/// The triage of one vulnerability: CycloneDX `analysis`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VexAnalysis {
    pub state: VexStatus,
    /// A CycloneDX justification (`code_not_reachable`, …) or an OpenVEX one
    /// (`vulnerable_code_not_in_execute_path`, …), which is translated. Anything else goes into
    /// the detail text.
    pub justification: Option<String>,
    pub response: Vec<VexResponse>,
    pub detail: Option<String>,
}

/// CycloneDX `analysis.response`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum VexResponse {
    CanNotFix,
    WillNotFix,
    Update,
    Rollback,
    WorkaroundAvailable,
}

impl VexResponse {
    pub fn as_str(self) -> &'static str {
        match self {
            VexResponse::CanNotFix => "can_not_fix",
            VexResponse::WillNotFix => "will_not_fix",
            VexResponse::Update => "update",
            VexResponse::Rollback => "rollback",
            VexResponse::WorkaroundAvailable => "workaround_available",
        }
    }

    pub fn from_name(s: &str) -> Option<VexResponse> {
        Some(match s {
            "can_not_fix" => VexResponse::CanNotFix,
            "will_not_fix" => VexResponse::WillNotFix,
            "update" => VexResponse::Update,
            "rollback" => VexResponse::Rollback,
            "workaround_available" => VexResponse::WorkaroundAvailable,
            _ => return None,
        })
    }
}

/// CycloneDX's impact-analysis justifications.
pub(crate) const CDX_JUSTIFICATIONS: [&str; 9] = [
    "code_not_present",
    "code_not_reachable",
    "requires_configuration",
    "requires_dependency",
    "requires_environment",
    "protected_by_compiler",
    "protected_at_runtime",
    "protected_at_perimeter",
    "protected_by_mitigating_control",
];

/// A justification as CycloneDX names it: its own names as they are, OpenVEX's translated the
/// way CISA's VEX minimum-requirements mapping does.
pub(crate) fn cyclonedx_justification(j: &str) -> Option<&'static str> {
    let j = j.trim();
    if let Some(known) = CDX_JUSTIFICATIONS.iter().find(|k| **k == j) {
        return Some(known);
    }
    Some(match j {
        "component_not_present" | "vulnerable_code_not_present" => "code_not_present",
        "vulnerable_code_not_in_execute_path" => "code_not_reachable",
        "vulnerable_code_cannot_be_controlled_by_adversary" => "requires_environment",
        "inline_mitigations_already_exist" => "protected_by_mitigating_control",
        _ => return None,
    })
}

/// The publisher of an advisory and its page, from the id's prefix.
pub(crate) fn advisory_source(id: &str) -> (&'static str, String) {
    let upper = id.to_ascii_uppercase();
    let id = &url_segment(id);
    if upper.starts_with("CVE-") {
        ("NVD", format!("https://nvd.nist.gov/vuln/detail/{id}"))
    } else if upper.starts_with("GHSA-") {
        ("GitHub", format!("https://github.com/advisories/{id}"))
    } else if upper.starts_with("RUSTSEC-") {
        ("RustSec", format!("https://rustsec.org/advisories/{id}"))
    } else if upper.starts_with("GO-") {
        (
            "Go Vulnerability Database",
            format!("https://pkg.go.dev/vuln/{id}"),
        )
    } else {
        ("OSV", format!("https://osv.dev/vulnerability/{id}"))
    }
}

/// Percent-encodes everything but unreserved characters, for one URL path segment.
pub(crate) fn url_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Whether a string is an `http(s)` URL safe to emit where the schemas want a URI and readers
/// will follow it as a link: nothing that would need escaping, no other schemes.
pub(crate) fn is_web_url(s: &str) -> bool {
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &s[8..]
    } else if lower.starts_with("http://") {
        &s[7..]
    } else {
        return false;
    };
    !rest.is_empty()
        && !rest.starts_with('/')
        && rest.chars().all(|c| {
            c.is_ascii_graphic()
                && !matches!(c, '<' | '>' | '"' | '{' | '}' | '|' | '\\' | '^' | '`')
        })
}

/// The creation time as RFC 3339 UTC: the given time, else `SOURCE_DATE_EPOCH`, else now.
pub(crate) fn creation_time(created: Option<i64>) -> String {
    let env = match created {
        Some(_) => None,
        None => std::env::var("SOURCE_DATE_EPOCH").ok(),
    };
    format_time(created, env.as_deref(), jiff::Timestamp::now())
}

fn format_time(
    created: Option<i64>,
    source_date_epoch: Option<&str>,
    now: jiff::Timestamp,
) -> String {
    let from_secs = |s: i64| jiff::Timestamp::from_second(s).ok();
    let ts = created
        .and_then(from_secs)
        .or_else(|| {
            source_date_epoch
                .and_then(|v| v.trim().parse::<i64>().ok())
                .and_then(from_secs)
        })
        .unwrap_or(now);
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A UUID (version 5 shape, RFC 4122 variant) derived from content, so that the same SBOM
/// content gets the same serial number.
pub(crate) fn content_uuid(content: &[u8]) -> String {
    let digest = Sha256::digest(content);
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// One package of the SBOM: every manifest's package with this purl, merged.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub purl: String,
    pub package: Package,
    /// Paths of the manifests that name it.
    pub manifests: BTreeSet<String>,
}

/// The packages of all manifests, one per purl, sorted by purl. Merged flags: direct if any
/// manifest says direct, dev only if every manifest that says says dev.
pub(crate) fn entries(manifests: &[Manifest]) -> Vec<Entry> {
    let mut by_purl: BTreeMap<String, Entry> = BTreeMap::new();
    for m in manifests {
        for p in &m.packages {
            let purl = p.purl();
            match by_purl.get_mut(&purl) {
                Some(e) => {
                    // Names that differ only in ways the purl normalises (PyPI's `Django`,
                    // `django`): the smallest, whatever the manifests' order.
                    if p.name < e.package.name {
                        e.package.name = p.name.clone();
                    }
                    e.package.direct = merge(e.package.direct, p.direct, true);
                    e.package.dev = merge(e.package.dev, p.dev, false);
                    e.manifests.insert(m.path.clone());
                }
                None => {
                    let mut package = p.clone();
                    package.line = None;
                    package.file = None;
                    by_purl.insert(
                        purl.clone(),
                        Entry {
                            purl,
                            package,
                            manifests: BTreeSet::from([m.path.clone()]),
                        },
                    );
                }
            }
        }
    }
    by_purl.into_values().collect()
}

/// Merges two tri-state flags; `dominant` wins whenever either side has it.
fn merge(a: Option<bool>, b: Option<bool>, dominant: bool) -> Option<bool> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if x == dominant || y == dominant {
            dominant
        } else {
            x
        }),
        (x, None) | (None, x) => x,
    }
}

/// Builds the package an SBOM component names by purl. `version` is the component's own
/// version field; the purl's version stands in when it has none. `written_name` is the name
/// the SBOM gives, kept for ecosystems whose purl names are normalised (PyPI) when it is the
/// same package. The error is why the component cannot be scanned.
pub(crate) fn package_from_purl(
    raw: &str,
    version: Option<&str>,
    written_name: Option<&str>,
) -> Result<Package, String> {
    let purl = Purl::parse(raw).map_err(|e| e.to_string())?;
    let ecosystem = purl
        .ecosystem()
        .ok_or_else(|| format!("purl type `{}` is not supported", purl.ty))?;
    let version = version
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .or(purl.version.as_deref())
        .ok_or("it has no version")?;
    let mut name = purl.package_name();
    if let Some(w) = written_name.map(str::trim) {
        let case_insensitive = matches!(
            ecosystem,
            Ecosystem::PyPI | Ecosystem::NuGet | Ecosystem::Pub
        );
        if case_insensitive
            && w != name
            && ecosystem.normalize_name(w) == ecosystem.normalize_name(&name)
        {
            name = w.to_string();
        }
    }
    let mut p = Package::new(ecosystem, name, version);
    p.purl = Some(raw.to_string());
    Ok(p)
}

/// Adds a package read from an SBOM unless its purl is already there (a library bundled in two
/// places is one package): then the flags merge instead.
pub(crate) fn push_unique(m: &mut Manifest, seen: &mut HashMap<String, usize>, p: Package) {
    let key = p.purl.clone().unwrap_or_else(|| p.purl());
    if let Some(&i) = seen.get(&key) {
        let q = &mut m.packages[i];
        q.direct = merge(q.direct, p.direct, true);
        q.dev = merge(q.dev, p.dev, false);
        return;
    }
    seen.insert(key, m.packages.len());
    m.packages.push(p);
}

/// Lines of the JSON string values of one key (`"purl": "…"`), by value, in document order:
/// a cheap way to give packages from JSON SBOMs a line number.
pub(crate) struct JsonValueLines {
    lines: HashMap<String, VecDeque<u32>>,
}

impl JsonValueLines {
    pub fn new(text: &str, key: &str) -> Self {
        let mut lines: HashMap<String, VecDeque<u32>> = HashMap::new();
        let needle = format!("\"{key}\"");
        let bytes = text.as_bytes();
        let mut line = 1u32;
        let mut counted = 0usize;
        for at in memchr::memmem::find_iter(bytes, needle.as_bytes()) {
            let mut i = at + needle.len();
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if bytes.get(i) != Some(&b':') {
                continue;
            }
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if bytes.get(i) != Some(&b'"') {
                continue;
            }
            let start = i;
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            let Some(literal) = text.get(start..(i + 1).min(text.len())) else {
                continue;
            };
            let Ok(value) = serde_json::from_str::<String>(literal) else {
                continue;
            };
            line += memchr::memchr_iter(b'\n', &bytes[counted..at]).count() as u32;
            counted = at;
            lines.entry(value).or_default().push_back(line);
        }
        JsonValueLines { lines }
    }

    /// The line of the next unclaimed occurrence of `value`.
    pub fn take(&mut self, value: &str) -> Option<u32> {
        self.lines.get_mut(value)?.pop_front()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_prefers_explicit_then_source_date_epoch_then_now() {
        let now = jiff::Timestamp::from_second(1_700_000_000).unwrap();
        assert_eq!(format_time(Some(0), Some("5"), now), "1970-01-01T00:00:00Z");
        assert_eq!(
            format_time(None, Some("1704067200"), now),
            "2024-01-01T00:00:00Z"
        );
        assert_eq!(
            format_time(None, Some("garbage"), now),
            "2023-11-14T22:13:20Z"
        );
        assert_eq!(format_time(None, None, now), "2023-11-14T22:13:20Z");
        assert_eq!(
            format_time(Some(i64::MAX), None, now),
            "2023-11-14T22:13:20Z"
        );
    }

    #[test]
    fn content_uuids_are_stable_and_well_formed() {
        let a = content_uuid(b"x");
        assert_eq!(a, content_uuid(b"x"));
        assert_ne!(a, content_uuid(b"y"));
        let re = regex::Regex::new(
            "^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
        )
        .unwrap();
        assert!(re.is_match(&a), "{a}");
    }

    #[test]
    fn json_value_lines() {
        let text = "{\n \"purl\": \"pkg:npm/a@1\",\n \"x\": {\"purl\" : \"pkg:npm/a@1\"},\n\"purl\":\"pkg:npm/b\\u0040c\"\n, \"purl\": 3, \"purl\": \"unterminated";
        let mut l = JsonValueLines::new(text, "purl");
        assert_eq!(l.take("pkg:npm/a@1"), Some(2));
        assert_eq!(l.take("pkg:npm/a@1"), Some(3));
        assert_eq!(l.take("pkg:npm/a@1"), None);
        assert_eq!(l.take("pkg:npm/b@c"), Some(4));
    }

    #[test]
    fn packages_from_purls() {
        let p = package_from_purl("pkg:pypi/django-rest@3.0", None, Some("Django_REST")).unwrap();
        assert_eq!(
            (p.name.as_str(), p.version.as_str()),
            ("Django_REST", "3.0")
        );
        let p = package_from_purl("pkg:pypi/flask@3.0", Some("3.0.1"), Some("requests")).unwrap();
        assert_eq!((p.name.as_str(), p.version.as_str()), ("flask", "3.0.1"));
        assert!(package_from_purl("pkg:docker/x@1", None, None)
            .unwrap_err()
            .contains("not supported"));
        assert!(package_from_purl("pkg:npm/x", Some(" "), None)
            .unwrap_err()
            .contains("no version"));
    }

    #[test]
    fn merging_flags() {
        assert_eq!(merge(Some(false), Some(true), true), Some(true));
        assert_eq!(merge(Some(true), Some(false), false), Some(false));
        assert_eq!(merge(None, Some(true), false), Some(true));
        assert_eq!(merge(None, None, true), None);
    }

    #[test]
    fn urls() {
        assert!(is_web_url("https://github.com/advisories/GHSA-x"));
        assert!(is_web_url("HTTP://example.com"));
        for bad in [
            "javascript:alert(1)",
            "https://a b",
            "https://",
            "ftp://x",
            "https:///x",
            "x",
        ] {
            assert!(!is_web_url(bad), "{bad}");
        }
        assert_eq!(
            advisory_source("GHSA-1").1,
            "https://github.com/advisories/GHSA-1"
        );
        assert_eq!(
            advisory_source("x/y#z").1,
            "https://osv.dev/vulnerability/x%2Fy%23z"
        );
    }

    #[test]
    fn justifications_translate() {
        assert_eq!(
            cyclonedx_justification("code_not_reachable"),
            Some("code_not_reachable")
        );
        assert_eq!(
            cyclonedx_justification("vulnerable_code_not_in_execute_path"),
            Some("code_not_reachable")
        );
        assert_eq!(cyclonedx_justification("because"), None);
    }
}
