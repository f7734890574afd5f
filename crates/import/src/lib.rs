//! Importers: other tools' reports, and Gatehouse's own JSON, read into the core model.
//!
//! One module per format. The server's ingest calls [`parse`] on an upload's bytes and stores
//! what comes back; nothing here does I/O.

use gatehouse_core::{Finding, ScannerKind};

use outline::{first_has, Outline};

mod bandit;
mod checkov;
mod common;
mod csv;
mod gatehouse;
mod gitleaks;
mod osv_scanner;
mod outline;
mod sarif;
mod semgrep;
mod sonarqube;
mod trivy;
mod zap;

/// A report format the platform accepts. Serializes as its [`Format::name`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// Gatehouse's scan JSON (`gatehouse scan … --format json`) or gate JSON (`gatehouse gate --report json`).
    Gatehouse,
    Sarif,
    Trivy,
    Semgrep,
    Gitleaks,
    Bandit,
    OsvScanner,
    ZapJson,
    ZapXml,
    Checkov,
    Sonarqube,
    Csv,
}

impl Format {
    pub const ALL: [Format; 12] = [
        Format::Gatehouse,
        Format::Sarif,
        Format::Trivy,
        Format::Semgrep,
        Format::Gitleaks,
        Format::Bandit,
        Format::OsvScanner,
        Format::ZapJson,
        Format::ZapXml,
        Format::Checkov,
        Format::Sonarqube,
        Format::Csv,
    ];

    /// The name used in `?format=` and in messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Gatehouse => "gatehouse",
            Format::Sarif => "sarif",
            Format::Trivy => "trivy",
            Format::Semgrep => "semgrep",
            Format::Gitleaks => "gitleaks",
            Format::Bandit => "bandit",
            Format::OsvScanner => "osv-scanner",
            Format::ZapJson => "zap-json",
            Format::ZapXml => "zap-xml",
            Format::Checkov => "checkov",
            Format::Sonarqube => "sonarqube",
            Format::Csv => "csv",
        }
    }

    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }
}

impl serde::Serialize for Format {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What one upload holds: one or more scans (a gate run carries one per scanner, a SARIF log one
/// per run).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Import {
    pub format: Format,
    pub scans: Vec<ImportedScan>,
    /// Pipeline context the report itself carries (a gate report does); the upload's own
    /// parameters take precedence over it.
    pub context: ImportContext,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct ImportContext {
    pub commit: Option<String>,
    pub branch: Option<String>,
    pub pipeline: Option<String>,
    pub stage: Option<String>,
}

/// One tool's scan of one scope.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ImportedScan {
    /// The tool that produced it, lowercase (`gatehouse`, `trivy`, `semgrep`, …).
    pub tool: String,
    pub tool_version: Option<String>,
    /// The kind of scan; findings carry it too.
    pub kind: ScannerKind,
    /// Whether the report covers its scope completely (no errors, no coverage gaps). Only a
    /// complete scan may mark missing findings as fixed.
    pub complete: bool,
    /// Why the scan is not complete, one line each (empty when complete).
    pub problems: Vec<String>,
    /// Deduplicated by fingerprint, sorted; secret values masked and hashed, never plain.
    pub findings: Vec<Finding>,
}

/// Why a report could not be read. Messages name the format and where in the document.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(
        "the report's format was not recognised (accepted: {accepted}); name it with ?format="
    )]
    Unrecognised { accepted: String },
    #[error("{format}: {message}")]
    Invalid {
        format: &'static str,
        message: String,
    },
}

/// Recognises a report's format from its content: the root element of XML, the header row of CSV,
/// and for JSON the keys that only that tool writes (see README.md, "Detection").
pub fn detect(bytes: &[u8]) -> Option<Format> {
    let bytes = strip_bom(bytes);
    let first = bytes.iter().copied().find(|b| !b.is_ascii_whitespace())?;
    match first {
        b'<' => detect_xml(bytes),
        b'{' | b'[' => detect_json(&Outline::read(bytes)?),
        _ => csv::looks_like(bytes).then_some(Format::Csv),
    }
}

fn detect_json(v: &Outline) -> Option<Format> {
    let has = |k: &str| v.has(k);
    let arr = |k: &str| v.arr(k);
    match v {
        // Gitleaks writes a bare array of findings (`[]` when it found nothing); Checkov, one
        // report object per framework.
        Outline::Array(None) => return Some(Format::Gitleaks),
        Outline::Array(first) if first_has(first, "RuleID") => return Some(Format::Gitleaks),
        Outline::Array(first) if first_has(first, "check_type") => return Some(Format::Checkov),
        Outline::Array(_) | Outline::Other => return None,
        Outline::Object(_) => {}
    }
    if has("verdict") && arr("scans") && has("stage") {
        return Some(Format::Gatehouse);
    }
    if arr("findings") && has("rules") && has("stats") && has("tool") {
        return Some(Format::Gatehouse);
    }
    if arr("runs")
        && (v.str("version") == Some("2.1.0")
            || v.str("$schema")
                .is_some_and(|s| s.to_ascii_lowercase().contains("sarif")))
    {
        return Some(Format::Sarif);
    }
    if has("SchemaVersion") && (has("ArtifactName") || has("Results"))
        || has("ClusterName") && arr("Resources")
    {
        return Some(Format::Trivy);
    }
    if arr("site") && (has("@version") || has("@programName") || has("@generated")) {
        return Some(Format::ZapJson);
    }
    if has("check_type") && has("results") || has("checkov_version") {
        return Some(Format::Checkov);
    }
    if arr("issues") && (has("paging") || has("components") || has("total")) {
        return Some(Format::Sonarqube);
    }
    if let Some(first) = v.array("results") {
        let item_has = |k: &str| first_has(first, k);
        if has("metrics") && has("generated_at") || item_has("test_id") {
            return Some(Format::Bandit);
        }
        if item_has("check_id") || arr("errors") && (has("paths") || has("version")) {
            return Some(Format::Semgrep);
        }
        if item_has("packages") || item_has("source") || first.is_none() && v.len() <= 2 {
            return Some(Format::OsvScanner);
        }
    }
    None
}

fn detect_xml(bytes: &[u8]) -> Option<Format> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Start(e)) | Ok(quick_xml::events::Event::Empty(e)) => {
                return (e.local_name().as_ref() == b"OWASPZAPReport").then_some(Format::ZapXml);
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
        buf.clear();
    }
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Reads a report; `format` overrides detection.
pub fn parse(bytes: &[u8], format: Option<Format>) -> Result<Import, ImportError> {
    let bytes = strip_bom(bytes);
    let format = format
        .or_else(|| detect(bytes))
        .ok_or_else(|| ImportError::Unrecognised {
            accepted: Format::ALL.map(Format::name).join(", "),
        })?;
    let mut import = match format {
        Format::Gatehouse => gatehouse::parse(bytes)?,
        Format::Sarif => sarif::parse(bytes)?,
        Format::Semgrep => semgrep::parse(bytes)?,
        Format::Bandit => bandit::parse(bytes)?,
        Format::Gitleaks => gitleaks::parse(bytes)?,
        Format::Checkov => checkov::parse(bytes)?,
        Format::Trivy => trivy::parse(bytes)?,
        Format::OsvScanner => osv_scanner::parse(bytes)?,
        Format::Sonarqube => sonarqube::parse(bytes)?,
        Format::ZapJson => zap::parse_json(bytes)?,
        Format::ZapXml => zap::parse_xml(bytes)?,
        Format::Csv => csv::parse(bytes)?,
    };
    import.format = format;
    Ok(import)
}
