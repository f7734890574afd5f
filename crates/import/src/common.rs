//! What every importer shares: JSON reading with the place of an error, findings with defaults,
//! fingerprints, paths, secrets, severity scales, and the final dedupe and sort.

use std::collections::{BTreeMap, HashSet};

use gatehouse_core::{
    mask_secret, secret_sha256, Confidence, Evidence, Finding, Fingerprint, Location, ScannerKind,
    SecretValue, Severity,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::{Format, ImportError, ImportedScan};

pub(crate) fn invalid(format: Format, message: impl Into<String>) -> ImportError {
    ImportError::Invalid {
        format: format.name(),
        message: message.into(),
    }
}

/// Parses JSON text; a syntax error names its line and column.
pub(crate) fn json_value(bytes: &[u8], format: Format) -> Result<Value, ImportError> {
    serde_json::from_slice(bytes).map_err(|e| invalid(format, format!("invalid JSON: {e}")))
}

/// Reads `value` into `T`; an error names the JSON path of the value that did not fit.
pub(crate) fn from_value<T: DeserializeOwned>(
    value: Value,
    format: Format,
) -> Result<T, ImportError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." || path.is_empty() {
            invalid(format, format!("at the top level: {inner}"))
        } else {
            invalid(format, format!("at `{path}`: {inner}"))
        }
    })
}

/// Parses JSON text straight into `T`; an error names the JSON path and the line.
pub(crate) fn from_json<T: DeserializeOwned>(
    bytes: &[u8],
    format: Format,
) -> Result<T, ImportError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_data() && path != "." && !path.is_empty() {
            invalid(format, format!("at `{path}`: {inner}"))
        } else if inner.is_data() {
            invalid(format, format!("at the top level: {inner}"))
        } else {
            invalid(format, format!("invalid JSON: {inner}"))
        }
    })?;
    de.end()
        .map_err(|e| invalid(format, format!("invalid JSON: {e}")))?;
    Ok(value)
}

/// A finding with everything but the identifying fields at its default; the caller sets the rest
/// and the fingerprint.
pub(crate) fn new_finding(
    rule_id: &str,
    kind: ScannerKind,
    severity: Severity,
    title: &str,
) -> Finding {
    let rule_id = if rule_id.trim().is_empty() {
        "unknown"
    } else {
        rule_id.trim()
    };
    let title = if title.trim().is_empty() {
        rule_id
    } else {
        title.trim()
    };
    Finding {
        rule_id: rule_id.to_string(),
        scanner: kind,
        severity,
        confidence: Confidence::Medium,
        title: title.to_string(),
        message: String::new(),
        location: Location::default(),
        cwe: Vec::new(),
        ids: Vec::new(),
        evidence: Evidence::default(),
        remediation: None,
        fix: None,
        fingerprint: Fingerprint::from_parts([rule_id]),
        properties: BTreeMap::new(),
    }
}

/// A title from a longer message: its first sentence, at most 120 characters.
pub(crate) fn first_sentence(text: &str) -> String {
    let line = text.trim().lines().next().unwrap_or("").trim();
    let sentence = match line.find(". ") {
        Some(i) => &line[..=i],
        None => line,
    };
    if sentence.chars().count() <= 120 {
        sentence.to_string()
    } else {
        let cut: String = sentence.chars().take(119).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Whitespace collapsed to single spaces, so reindenting code keeps a finding's identity.
pub(crate) fn normalize_snippet(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The fingerprint of a finding from a tool without a stable one:
/// `["import", tool, rule, path, normalized snippet]`, or the start line instead of an empty
/// snippet.
pub(crate) fn fallback_fingerprint(
    tool: &str,
    rule: &str,
    path: Option<&str>,
    snippet: Option<&str>,
    line: u32,
) -> Fingerprint {
    let snippet = snippet.map(normalize_snippet).unwrap_or_default();
    let last = if snippet.is_empty() {
        line.to_string()
    } else {
        snippet
    };
    Fingerprint::from_parts(["import", tool, rule, path.unwrap_or(""), last.as_str()])
}

/// A dependency finding's fingerprint: no version, so the same advisory on an upgraded but still
/// vulnerable version stays the same finding.
pub(crate) fn dependency_fingerprint(
    tool: &str,
    ecosystem: &str,
    package: &str,
    advisory: &str,
    manifest: &str,
) -> Fingerprint {
    Fingerprint::from_parts(["import", tool, ecosystem, package, advisory, manifest])
}

/// A secret finding's fingerprint: rule, path and the secret's hash, never the value.
pub(crate) fn secret_fingerprint(
    tool: &str,
    rule: &str,
    path: &str,
    secret: &SecretValue,
) -> Fingerprint {
    Fingerprint::from_parts(["import", tool, rule, path, secret.sha256.as_str()])
}

/// A secret as it may be stored: masked preview and hash.
pub(crate) fn secret_value(plain: &str) -> SecretValue {
    SecretValue {
        masked: mask_secret(plain),
        sha256: secret_sha256(plain.as_bytes()),
        length: plain.chars().count(),
        plain: None,
    }
}

/// `text` with every occurrence of `secret` replaced by its masked preview.
pub(crate) fn redact(text: &str, secret: &str) -> String {
    if secret.is_empty() {
        return text.to_string();
    }
    text.replace(secret, &mask_secret(secret))
}

/// A path as the core model keeps it: relative, `/`-separated. `file://` URIs lose their scheme,
/// Windows drive letters and leading slashes are dropped, `./` segments too.
pub(crate) fn rel_path(p: &str) -> Option<String> {
    let mut s = p.trim().replace('\\', "/");
    if let Some(rest) = s.strip_prefix("file://") {
        s = rest.to_string();
    }
    s = s.trim_start_matches('/').to_string();
    let bytes = s.as_bytes();
    if bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic() {
        s = s[2..].to_string();
    }
    let parts: Vec<&str> = s
        .split('/')
        .filter(|seg| !seg.is_empty() && *seg != ".")
        .collect();
    if parts.is_empty() {
        return None;
    }
    Some(parts.join("/"))
}

/// Decodes `%XX` escapes of a URI path (SARIF artifact locations are URIs).
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits `scheme://host:port/...` into host and port (the scheme's default port when none is
/// written). `None` for anything that is not an http(s) URL.
pub(crate) fn url_host_port(url: &str) -> Option<(String, Option<u16>)> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (h, after) = v6.split_once(']')?;
        (h.to_string(), after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), Some(p)),
            None => (authority.to_string(), None),
        }
    };
    if host.is_empty() {
        return None;
    }
    let port = match port {
        Some(p) => Some(p.parse::<u16>().ok()?),
        None if scheme == "https" => Some(443),
        None => Some(80),
    };
    Some((host.to_ascii_lowercase(), port))
}

/// `CWE-79` from `79`, `CWE-79`, `cwe-79: Improper …` or `external/cwe/cwe-79`.
pub(crate) fn cwe_id(s: &str) -> Option<String> {
    let lower = s.trim().to_ascii_lowercase();
    let digits_from = |rest: &str| -> Option<String> {
        let d: String = rest.chars().take_while(char::is_ascii_digit).collect();
        (!d.is_empty()).then(|| format!("CWE-{}", d.trim_start_matches('0').max("0")))
    };
    if let Some(i) = lower.rfind("cwe-") {
        return digits_from(&lower[i + 4..]);
    }
    if !lower.is_empty() && lower.chars().all(|c| c.is_ascii_digit()) {
        return digits_from(&lower);
    }
    None
}

/// Adds `id` to `list` unless it is there.
pub(crate) fn push_unique(list: &mut Vec<String>, id: String) {
    if !id.is_empty() && !list.contains(&id) {
        list.push(id);
    }
}

/// A CVSS-like score (0–10) on the core scale: 9+ critical, 7+ high, 4+ medium, above 0 low,
/// 0 info (CVSS v3's qualitative ratings).
pub(crate) fn severity_from_score(score: f64) -> Severity {
    if score >= 9.0 {
        Severity::Critical
    } else if score >= 7.0 {
        Severity::High
    } else if score >= 4.0 {
        Severity::Medium
    } else if score > 0.0 {
        Severity::Low
    } else {
        Severity::Info
    }
}

/// The base score of a CVSS 3.0 or 3.1 vector (`CVSS:3.1/AV:N/AC:L/…`), by the specification's
/// formula; `None` for anything else.
pub(crate) fn cvss3_base_score(vector: &str) -> Option<f64> {
    let rest = vector
        .trim()
        .strip_prefix("CVSS:3.1/")
        .or_else(|| vector.trim().strip_prefix("CVSS:3.0/"))?;
    let mut m: BTreeMap<&str, &str> = BTreeMap::new();
    for part in rest.split('/') {
        let (k, v) = part.split_once(':')?;
        m.insert(k, v);
    }
    let changed = match *m.get("S")? {
        "U" => false,
        "C" => true,
        _ => return None,
    };
    let av = match *m.get("AV")? {
        "N" => 0.85,
        "A" => 0.62,
        "L" => 0.55,
        "P" => 0.2,
        _ => return None,
    };
    let ac = match *m.get("AC")? {
        "L" => 0.77,
        "H" => 0.44,
        _ => return None,
    };
    let pr = match (*m.get("PR")?, changed) {
        ("N", _) => 0.85,
        ("L", false) => 0.62,
        ("L", true) => 0.68,
        ("H", false) => 0.27,
        ("H", true) => 0.5,
        _ => return None,
    };
    let ui = match *m.get("UI")? {
        "N" => 0.85,
        "R" => 0.62,
        _ => return None,
    };
    let cia = |k: &str| -> Option<f64> {
        match *m.get(k)? {
            "H" => Some(0.56),
            "L" => Some(0.22),
            "N" => Some(0.0),
            _ => None,
        }
    };
    let (c, i, a) = (cia("C")?, cia("I")?, cia("A")?);
    let iss = 1.0 - (1.0 - c) * (1.0 - i) * (1.0 - a);
    let impact = if changed {
        7.52 * (iss - 0.029) - 3.25 * (iss - 0.02_f64).powi(15)
    } else {
        6.42 * iss
    };
    if impact <= 0.0 {
        return Some(0.0);
    }
    let exploitability = 8.22 * av * ac * pr * ui;
    let raw = if changed {
        (1.08 * (impact + exploitability)).min(10.0)
    } else {
        (impact + exploitability).min(10.0)
    };
    // CVSS 3.1's Roundup: the smallest number with one decimal not below the input.
    let int_input = (raw * 100_000.0).round() as i64;
    Some(if int_input % 10_000 == 0 {
        int_input as f64 / 100_000.0
    } else {
        ((int_input / 10_000) + 1) as f64 / 10.0
    })
}

/// A number given as a JSON number or a string.
pub(crate) fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The scan as importers return it: findings deduplicated by fingerprint (the first in sorted
/// order stays) and sorted; complete when there are no problems.
pub(crate) fn scan(
    tool: &str,
    tool_version: Option<String>,
    kind: ScannerKind,
    problems: Vec<String>,
    findings: Vec<Finding>,
) -> ImportedScan {
    ImportedScan {
        tool: tool.to_ascii_lowercase(),
        tool_version: tool_version.filter(|v| !v.trim().is_empty()),
        kind,
        complete: problems.is_empty(),
        problems,
        findings: finish(findings),
    }
}

pub(crate) fn finish(mut findings: Vec<Finding>) -> Vec<Finding> {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let mut seen = HashSet::new();
    findings.retain(|f| seen.insert(f.fingerprint.clone()));
    findings
}

/// A line or column number from a tool: anything that is not a positive integer that fits is
/// unknown (0).
pub(crate) fn line_number(v: Option<i64>) -> u32 {
    v.and_then(|n| u32::try_from(n).ok()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_relative_with_forward_slashes() {
        assert_eq!(rel_path("./src/app.py").as_deref(), Some("src/app.py"));
        assert_eq!(rel_path("src\\win\\x.cs").as_deref(), Some("src/win/x.cs"));
        assert_eq!(rel_path("/abs/x.go").as_deref(), Some("abs/x.go"));
        assert_eq!(
            rel_path("file:///C:/repo/x.go").as_deref(),
            Some("repo/x.go")
        );
        assert_eq!(rel_path("C:\\repo\\x.go").as_deref(), Some("repo/x.go"));
        assert_eq!(rel_path("  "), None);
        assert_eq!(percent_decode("a%20b%2"), "a b%2");
        assert_eq!(percent_decode("%"), "%");
    }

    #[test]
    fn urls_give_host_and_port() {
        assert_eq!(
            url_host_port("https://Example.com/login?x=1"),
            Some(("example.com".into(), Some(443)))
        );
        assert_eq!(
            url_host_port("http://localhost:8080/"),
            Some(("localhost".into(), Some(8080)))
        );
        assert_eq!(
            url_host_port("http://[::1]:9/"),
            Some(("::1".into(), Some(9)))
        );
        assert_eq!(url_host_port("src/app.py"), None);
        assert_eq!(url_host_port("http://h:99999/"), None);
    }

    #[test]
    fn cwe_ids_are_normalized() {
        assert_eq!(cwe_id("79").as_deref(), Some("CWE-79"));
        assert_eq!(cwe_id("CWE-079: Improper").as_deref(), Some("CWE-79"));
        assert_eq!(cwe_id("external/cwe/cwe-22").as_deref(), Some("CWE-22"));
        assert_eq!(cwe_id("security"), None);
    }

    #[test]
    fn scores_map_to_severities() {
        assert_eq!(severity_from_score(9.8), Severity::Critical);
        assert_eq!(severity_from_score(7.0), Severity::High);
        assert_eq!(severity_from_score(5.5), Severity::Medium);
        assert_eq!(severity_from_score(0.1), Severity::Low);
        assert_eq!(severity_from_score(0.0), Severity::Info);
    }

    #[test]
    fn cvss3_vectors_score_as_the_specification_says() {
        assert_eq!(
            cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
            Some(9.8)
        );
        assert_eq!(
            cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N"),
            Some(7.7)
        );
        assert_eq!(
            cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"),
            Some(7.5)
        );
        assert_eq!(
            cvss3_base_score("CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"),
            Some(6.1)
        );
        assert_eq!(
            cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"),
            Some(0.0)
        );
        assert_eq!(cvss3_base_score("AV:N/AC:L/Au:N/C:P/I:P/A:P"), None);
        assert_eq!(cvss3_base_score("CVSS:3.1/AV:X"), None);
    }

    #[test]
    fn fallback_uses_the_line_without_a_snippet() {
        let a = fallback_fingerprint("t", "r", Some("p"), Some("a  b\n c"), 3);
        let b = fallback_fingerprint("t", "r", Some("p"), Some("a b c"), 9);
        assert_eq!(a, b);
        let c = fallback_fingerprint("t", "r", Some("p"), None, 3);
        let d = fallback_fingerprint("t", "r", Some("p"), Some("  "), 3);
        assert_eq!(c, d);
        assert_ne!(c, fallback_fingerprint("t", "r", Some("p"), None, 4));
    }
}
