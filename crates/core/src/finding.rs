use std::collections::BTreeMap;

use crate::{Confidence, Fingerprint, Severity};

/// Which scanner produced a finding.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum ScannerKind {
    Secrets,
    Dependencies,
    Code,
    Iac,
    Network,
    /// Dynamic testing of a running application (for example OWASP ZAP), imported.
    Dast,
    /// Manual review and penetration-test findings, imported.
    Manual,
}

impl ScannerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ScannerKind::Secrets => "secrets",
            ScannerKind::Dependencies => "dependencies",
            ScannerKind::Code => "code",
            ScannerKind::Iac => "iac",
            ScannerKind::Network => "network",
            ScannerKind::Dast => "dast",
            ScannerKind::Manual => "manual",
        }
    }
}

/// The git commit in which a finding first appeared (history scans).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct CommitInfo {
    /// Full hexadecimal object id.
    pub id: String,
    pub author_name: String,
    pub author_email: String,
    /// Author date, RFC 3339 in UTC (`2024-05-01T12:00:00Z`).
    pub date: String,
}

/// Where a finding is. Lines and columns are 1-based; columns count Unicode characters (code
/// points) of the line, as SARIF's `unicodeCodePoints` column kind.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Location {
    /// Path relative to the scan root, with `/` separators; `-` for standard input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub start_line: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub start_column: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub end_line: u32,
    /// Exclusive end column (one past the last byte), as SARIF's `endColumn`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub end_column: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<CommitInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
}

fn is_zero(v: &u32) -> bool {
    *v == 0
}

/// A secret value as it may leave a scanner: masked preview and hash; the plain value only when the
/// user asked for it explicitly (`--show-secrets`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SecretValue {
    /// For example `ghp_ab…(40)`.
    pub masked: String,
    /// Hex SHA-256 of the secret's bytes.
    pub sha256: String,
    /// Length in characters.
    pub length: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plain: Option<String>,
}

/// What the scanner saw, already redacted.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Evidence {
    /// The matched source line(s), with any secret in them replaced by its masked form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<SecretValue>,
}

/// One finding of one scanner, the unit everything downstream works with.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Finding {
    pub rule_id: String,
    pub scanner: ScannerKind,
    pub severity: Severity,
    pub confidence: Confidence,
    pub title: String,
    pub message: String,
    pub location: Location,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cwe: Vec<String>,
    /// Other identifiers (CVE, GHSA, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<String>,
    #[serde(default)]
    pub evidence: Evidence,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remediation: Option<String>,
    /// A concrete fix, for example the fixed version of a package.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    pub fingerprint: Fingerprint,
    /// Scanner-specific extra data.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, serde_json::Value>,
}

impl Finding {
    /// The order reports use: path, line, column, rule, fingerprint; so output is stable.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            &self.location.path,
            self.location.start_line,
            self.location.start_column,
            &self.rule_id,
            &self.fingerprint,
            self.location.commit.as_ref().map(|c| &c.id),
        )
    }
}
