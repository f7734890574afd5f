//! Gitleaks JSON (`gitleaks git|dir … --report-format json`): a bare array of findings, scanner
//! kind secrets.
//!
//! - **Severity**: Gitleaks has none; every finding is high (a credential in the code is one to
//!   revoke). **Confidence**: high.
//! - **Fingerprint**: rule, path and the SHA-256 of `Secret` (of `Match` when `Secret` is empty).
//!   Gitleaks' own `Fingerprint` includes the commit, so the same leaked value found again in a
//!   later commit would be a new finding: it is not used.
//! - **Secrets**: `Secret` is hashed and masked; `Match` is kept as the snippet with the secret
//!   masked in it. The commit, author and date of a history finding go into the location; the
//!   commit message is not kept.
//! - Always complete: the report has no place for errors.

use gatehouse_core::{CommitInfo, Confidence, ScannerKind, Severity};
use serde::Deserialize;
use serde_json::Value;

use crate::common::{
    from_json, line_number, new_finding, redact, rel_path, scan, secret_fingerprint, secret_value,
};
use crate::{Format, Import, ImportContext, ImportError};

const F: Format = Format::Gitleaks;
const TOOL: &str = "gitleaks";

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Leak {
    #[serde(rename = "RuleID")]
    rule_id: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    start_line: Option<i64>,
    #[serde(default)]
    end_line: Option<i64>,
    #[serde(default)]
    start_column: Option<i64>,
    #[serde(default)]
    end_column: Option<i64>,
    #[serde(default, rename = "Match")]
    matched: Option<String>,
    #[serde(default)]
    secret: Option<String>,
    #[serde(default)]
    file: Option<String>,
    #[serde(default)]
    commit: Option<String>,
    #[serde(default)]
    entropy: Option<f64>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    tags: Option<Vec<String>>,
}

pub(crate) fn parse(bytes: &[u8]) -> Result<Import, ImportError> {
    let leaks: Vec<Leak> = from_json(bytes, F)?;
    let findings = leaks
        .into_iter()
        .map(|l| {
            let title = l.description.clone().unwrap_or_default();
            let mut f = new_finding(&l.rule_id, ScannerKind::Secrets, Severity::High, &title);
            f.confidence = Confidence::High;
            f.location.path = l.file.as_deref().and_then(rel_path);
            f.location.start_line = line_number(l.start_line);
            f.location.end_line = line_number(l.end_line);
            f.location.start_column = line_number(l.start_column);
            f.location.end_column = line_number(l.end_column);
            let plain = l
                .secret
                .clone()
                .filter(|s| !s.is_empty())
                .or_else(|| l.matched.clone())
                .unwrap_or_default();
            let sv = secret_value(&plain);
            f.message = format!(
                "{} in {}",
                f.title,
                f.location.path.as_deref().unwrap_or("the input")
            );
            f.evidence.snippet = l
                .matched
                .as_deref()
                .map(|m| redact(m, &plain))
                .filter(|m| !m.is_empty());
            if let Some(id) = l.commit.filter(|c| !c.is_empty()) {
                f.location.commit = Some(CommitInfo {
                    id,
                    author_name: l.author.unwrap_or_default(),
                    author_email: l.email.unwrap_or_default(),
                    date: l.date.unwrap_or_default(),
                });
            }
            if let Some(e) = l.entropy {
                f.properties.insert("entropy".into(), serde_json::json!(e));
            }
            if let Some(tags) = l.tags.filter(|t| !t.is_empty()) {
                f.properties.insert(
                    "tags".into(),
                    Value::Array(tags.into_iter().map(Value::String).collect()),
                );
            }
            f.fingerprint = secret_fingerprint(
                TOOL,
                &f.rule_id,
                f.location.path.as_deref().unwrap_or(""),
                &sv,
            );
            f.evidence.secret = Some(sv);
            f
        })
        .collect();
    Ok(Import {
        format: F,
        scans: vec![scan(TOOL, None, ScannerKind::Secrets, Vec::new(), findings)],
        context: ImportContext::default(),
    })
}
