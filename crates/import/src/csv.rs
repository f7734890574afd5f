//! Generic CSV, for findings from manual review and penetration tests.
//!
//! The first row is the header; column names are matched without regard to case, surrounding
//! spaces, or `-`/`_`/space between words. Fields are separated by commas, or by semicolons or
//! tabs when the header has more of those; fields may be quoted (RFC 4180). Rows whose fields
//! are all empty are skipped.
//!
//! | column | required | meaning |
//! |---|---|---|
//! | `title` | yes | what was found |
//! | `severity` | yes | critical, high, medium (or moderate), low, info (or informational, none) |
//! | `description` | no | the finding's message (defaults to the title) |
//! | `path` (or `file`) | no | a file, relative to the repository (`\` becomes `/`) |
//! | `line` | no | 1-based line in `path` |
//! | `url` | no | an affected URL: kept in properties; its host and port go into the location |
//! | `host`, `port` | no | an affected host and TCP port (when there is no URL) |
//! | `rule` (or `rule id`, `id`) | no | the check or test-case id; defaults to `manual` |
//! | `cwe` | no | one or more CWE ids (`79`, `CWE-79`), separated by `,` `;` or spaces |
//! | `ids` (or `cve`, `references`) | no | other identifiers (CVE, ticket), separated by `,` `;` or spaces |
//! | `remediation` (or `recommendation`, `solution`) | no | what to do about it |
//! | `confidence` | no | high, medium, low (defaults to medium) |
//! | `evidence` | no | what shows the problem (a request, a response excerpt) |
//! | `kind` (or `scanner`) | no | the scanner kind to file it under (secrets, dependencies, code, iac, network, dast, manual); defaults to manual |
//!
//! Any other column is kept in the finding's properties under its header name (lowercased).
//! Each kind present becomes one scan, tool `csv`, always complete.
//!
//! **Fingerprint**: the fallback over the rule, the location (path, else URL, else `host:port`)
//! and the evidence, or the title when there is none, so a finding keeps its identity while its
//! description is edited.
//!
//! A bad row is an error naming its row and column. Rows are numbered by the line they start on,
//! the header being row 1, which is a spreadsheet's numbering as long as no field spans lines.

use std::collections::{BTreeMap, BTreeSet};

use gatehouse_core::{Confidence, ScannerKind, Severity};
use serde_json::Value;

use crate::common::{
    cwe_id, fallback_fingerprint, invalid, new_finding, push_unique, rel_path, scan, url_host_port,
};
use crate::{Format, Import, ImportContext, ImportError};

const F: Format = Format::Csv;
const TOOL: &str = "csv";

/// A column's canonical name from a header cell.
fn canonical(header: &str) -> String {
    let key: String = header
        .trim()
        .trim_start_matches('\u{feff}')
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c == '-' || c == '_' || c == ' ' {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    match key.as_str() {
        "file" | "file path" | "filepath" => "path",
        "rule id" | "ruleid" | "id" | "check" | "test id" => "rule",
        "cve" | "references" | "reference" => "ids",
        "recommendation" | "solution" | "fix" => "remediation",
        "scanner" | "scanner kind" => "kind",
        "message" | "details" => "description",
        "cwe id" | "cwes" => "cwe",
        "name" | "finding" => "title",
        _ => return key,
    }
    .to_string()
}

fn delimiter(bytes: &[u8]) -> u8 {
    let first = bytes.split(|&b| b == b'\n').next().unwrap_or(bytes);
    let count = |d: u8| first.iter().filter(|&&b| b == d).count();
    let (comma, semi, tab) = (count(b','), count(b';'), count(b'\t'));
    if semi > comma && semi >= tab {
        b';'
    } else if tab > comma && tab > semi {
        b'\t'
    } else {
        b','
    }
}

fn reader(bytes: &[u8]) -> ::csv::Reader<&[u8]> {
    ::csv::ReaderBuilder::new()
        .delimiter(delimiter(bytes))
        .flexible(true)
        .has_headers(true)
        .from_reader(bytes)
}

/// Whether `bytes` starts with a header row naming at least `title` and `severity`.
pub(crate) fn looks_like(bytes: &[u8]) -> bool {
    let mut r = reader(bytes);
    match r.headers() {
        Ok(h) => {
            let cols: BTreeSet<String> = h.iter().map(canonical).collect();
            cols.contains("title") && cols.contains("severity")
        }
        Err(_) => false,
    }
}

fn split_list(s: &str) -> impl Iterator<Item = &str> {
    s.split([',', ';', ' ', '\n'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
}

fn kind_name(s: &str) -> Option<ScannerKind> {
    match s.trim().to_ascii_lowercase().as_str() {
        "secrets" | "secret" => Some(ScannerKind::Secrets),
        "dependencies" | "dependency" | "sca" => Some(ScannerKind::Dependencies),
        "code" | "sast" => Some(ScannerKind::Code),
        "iac" => Some(ScannerKind::Iac),
        "network" => Some(ScannerKind::Network),
        "dast" => Some(ScannerKind::Dast),
        "manual" | "pentest" | "penetration test" => Some(ScannerKind::Manual),
        _ => None,
    }
}

pub(crate) fn parse(bytes: &[u8]) -> Result<Import, ImportError> {
    let mut r = reader(bytes);
    let headers: Vec<String> = r
        .headers()
        .map_err(|e| invalid(F, format!("row 1 (the header): {e}")))?
        .iter()
        .map(|h| h.to_string())
        .collect();
    let columns: Vec<String> = headers.iter().map(|h| canonical(h)).collect();
    for required in ["title", "severity"] {
        if !columns.iter().any(|c| c == required) {
            return Err(invalid(
                F,
                format!(
                    "row 1 (the header): no `{required}` column (the header has: {})",
                    headers.join(", ")
                ),
            ));
        }
    }
    let mut seen = BTreeSet::new();
    for (h, c) in headers.iter().zip(&columns) {
        if !seen.insert(c.clone()) {
            return Err(invalid(
                F,
                format!("row 1 (the header): column `{h}` appears twice"),
            ));
        }
    }

    let mut findings = Vec::new();
    let mut kinds = BTreeSet::new();
    // The csv reader does not count the blank lines it skips, so lines are counted here.
    let line_at = |p: Option<&::csv::Position>| -> usize {
        let byte = p.map(|p| p.byte()).unwrap_or(0);
        let mut byte = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
        // A record's position is where reading it began, before any blank lines skipped.
        while byte < bytes.len() && matches!(bytes[byte], b'\n' | b'\r') {
            byte += 1;
        }
        bytes[..byte].iter().filter(|&&b| b == b'\n').count() + 1
    };
    for record in r.records() {
        let record = record.map_err(|e| {
            let row = line_at(e.position());
            invalid(F, format!("row {row}: {e}"))
        })?;
        let row = line_at(record.position());
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if record.len() > columns.len() {
            return Err(invalid(
                F,
                format!(
                    "row {row}: {} fields, but the header has {} columns",
                    record.len(),
                    columns.len()
                ),
            ));
        }
        let mut fields: BTreeMap<&str, &str> = BTreeMap::new();
        let mut extra: BTreeMap<String, String> = BTreeMap::new();
        for (i, value) in record.iter().enumerate() {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            fields.insert(columns[i].as_str(), value);
            extra.insert(columns[i].clone(), value.to_string());
        }
        let bad =
            |column: &str, why: String| invalid(F, format!("row {row}, column `{column}`: {why}"));
        let title = *fields
            .get("title")
            .ok_or_else(|| bad("title", "empty".into()))?;
        let severity: Severity = fields
            .get("severity")
            .ok_or_else(|| bad("severity", "empty".into()))?
            .parse()
            .map_err(|e: gatehouse_core::ParseLevelError| bad("severity", e.to_string()))?;
        let kind = match fields.get("kind") {
            Some(k) => kind_name(k).ok_or_else(|| {
                bad("kind", format!("`{k}` is not one of secrets, dependencies, code, iac, network, dast, manual"))
            })?,
            None => ScannerKind::Manual,
        };
        let rule = fields.get("rule").copied().unwrap_or("manual");
        let mut f = new_finding(rule, kind, severity, title);
        if let Some(c) = fields.get("confidence") {
            f.confidence = c
                .parse::<Confidence>()
                .map_err(|e| bad("confidence", e.to_string()))?;
        }
        f.message = fields
            .get("description")
            .map(|d| d.to_string())
            .unwrap_or_else(|| f.title.clone());
        f.remediation = fields.get("remediation").map(|s| s.to_string());
        if let Some(p) = fields.get("path") {
            f.location.path = rel_path(p);
        }
        if let Some(l) = fields.get("line") {
            f.location.start_line = l
                .parse::<u32>()
                .map_err(|_| bad("line", format!("`{l}` is not a line number")))?;
        }
        if let Some(u) = fields.get("url") {
            let (host, port) = url_host_port(u)
                .ok_or_else(|| bad("url", format!("`{u}` is not an http(s) URL")))?;
            f.location.host = Some(host);
            f.location.port = port;
            f.properties
                .insert("url".into(), Value::String(u.to_string()));
        }
        if let Some(h) = fields.get("host") {
            f.location.host = Some(h.to_ascii_lowercase());
        }
        if let Some(p) = fields.get("port") {
            f.location.port = Some(
                p.parse::<u16>()
                    .map_err(|_| bad("port", format!("`{p}` is not a TCP port (1-65535)")))?,
            );
        }
        if let Some(c) = fields.get("cwe") {
            for item in split_list(c) {
                let id =
                    cwe_id(item).ok_or_else(|| bad("cwe", format!("`{item}` is not a CWE id")))?;
                push_unique(&mut f.cwe, id);
            }
        }
        if let Some(ids) = fields.get("ids") {
            for id in split_list(ids) {
                push_unique(&mut f.ids, id.to_string());
            }
        }
        let evidence = fields.get("evidence").map(|e| e.to_string());
        const KNOWN: &[&str] = &[
            "title",
            "severity",
            "description",
            "path",
            "line",
            "url",
            "host",
            "port",
            "rule",
            "cwe",
            "ids",
            "remediation",
            "confidence",
            "evidence",
            "kind",
        ];
        for (k, v) in extra {
            if !KNOWN.contains(&k.as_str()) {
                f.properties.insert(k, Value::String(v));
            }
        }
        let place = f
            .location
            .path
            .clone()
            .or_else(|| fields.get("url").map(|u| u.to_string()))
            .or_else(|| {
                f.location
                    .host
                    .as_ref()
                    .map(|h| format!("{h}:{}", f.location.port.unwrap_or(0)))
            });
        f.fingerprint = fallback_fingerprint(
            TOOL,
            &f.rule_id,
            place.as_deref(),
            Some(evidence.as_deref().unwrap_or(title)),
            f.location.start_line,
        );
        f.evidence.snippet = evidence;
        kinds.insert(kind);
        findings.push(f);
    }
    if kinds.is_empty() {
        kinds.insert(ScannerKind::Manual);
    }
    let scans = kinds
        .into_iter()
        .map(|k| {
            let of_kind = findings
                .iter()
                .filter(|f| f.scanner == k)
                .cloned()
                .collect();
            scan(TOOL, None, k, Vec::new(), of_kind)
        })
        .collect();
    Ok(Import {
        format: F,
        scans,
        context: ImportContext::default(),
    })
}
