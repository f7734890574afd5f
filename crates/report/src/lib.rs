//! Report renderers: one [`ScanReport`] in, one document out.
//!
//! | [`Format`] | for | notes |
//! |---|---|---|
//! | `table` | a person at a terminal | severity coloured only with [`RenderOptions::color`] |
//! | `json` | scripts, the platform | the whole report plus `schema_version`; schema in `schema/` |
//! | `sarif` | GitHub code scanning, IDEs | SARIF 2.1.0, one run |
//! | `junit` | Jenkins, GitLab test reports | one test suite per scanner kind |
//!
//! The result of `gatehouse gate` (a [`GateReport`](gatehouse_core::GateReport): every scanner's
//! report with the policy's decisions) has formats of its own, [`GateFormat`], rendered by
//! [`render_gate`]; they reuse these renderers' pieces.
//!
//! `docs/formats.md` at the workspace root documents every format for users.
//!
//! **Architecture invariant:** renderers print secret values only as the scanner handed them over:
//! the masked preview, the hash and the length; the plain value only where the scanner put it in
//! (`--show-secrets`). No renderer ever looks for secrets elsewhere or un-masks anything.
//!
//! **Architecture invariant:** rendering is deterministic. The same report renders to the same
//! bytes; nothing reads the clock, the environment or the file system.

use std::fmt;
use std::io::Write;
use std::str::FromStr;

use gatehouse_core::ScanReport;

mod gate;
mod gitlab;
mod json;
mod junit;
mod markdown;
mod sarif;
mod summary;
mod table;
mod text;

pub use gate::{render_gate, GateFormat, ParseGateFormatError};
pub use gitlab::GITLAB_SCHEMA_VERSION;
pub use json::{GATE_SCHEMA_VERSION, SCHEMA_VERSION};

/// The JSON Schema (draft 2020-12) of the `json` format, `schema_version` 1.
pub const JSON_SCHEMA: &str = include_str!("../schema/gatehouse-report.schema.json");

/// The JSON Schema (draft 2020-12) of the gate's `json` format, `schema_version` 1.
pub const GATE_JSON_SCHEMA: &str = include_str!("../schema/gatehouse-gate.schema.json");

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Human-readable blocks for a terminal.
    Table,
    /// The report as JSON, `schema_version` 1.
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// JUnit XML.
    Junit,
}

impl Format {
    /// Every format, in the order help texts list them.
    pub const ALL: [Format; 4] = [Format::Table, Format::Json, Format::Sarif, Format::Junit];

    /// The name used on the command line and in configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
        }
    }

    /// The usual file extension of the format, without a dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Table => "txt",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "xml",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A format name that is not one of the known ones.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown output format `{0}` (expected one of: table, json, sarif, junit)")]
pub struct ParseFormatError(pub String);

impl FromStr for Format {
    type Err = ParseFormatError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "table" => Ok(Format::Table),
            "json" => Ok(Format::Json),
            "sarif" => Ok(Format::Sarif),
            "junit" => Ok(Format::Junit),
            _ => Err(ParseFormatError(s.to_string())),
        }
    }
}

/// How to render.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// Colour the table format with ANSI escape codes. Other formats ignore it.
    pub color: bool,
}

/// Why a report could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("could not write the report: {0}")]
    Io(#[from] std::io::Error),
    #[error("could not serialize the report as JSON: {0}")]
    Json(serde_json::Error),
    /// A gate report whose scan does not have exactly one decision per finding.
    #[error(
        "inconsistent gate report: the {scanner} scan has {findings} findings but {decisions} \
         decisions"
    )]
    GateDecisions {
        scanner: &'static str,
        findings: usize,
        decisions: usize,
    },
    /// A gate report timestamp that a format needs and that is not RFC 3339.
    #[error("gate report field `{field}` is not an RFC 3339 timestamp: `{value}`")]
    Timestamp { field: &'static str, value: String },
}

impl From<serde_json::Error> for RenderError {
    fn from(e: serde_json::Error) -> Self {
        if e.is_io() {
            RenderError::Io(e.into())
        } else {
            RenderError::Json(e)
        }
    }
}

/// Renders `report` in `format` to `out`, then flushes `out`.
///
/// The document is built in memory and written in one go, so a failed render writes nothing.
/// `report` is expected to be sorted ([`ScanReport::sort`]); renderers keep its order.
pub fn render(
    report: &ScanReport,
    format: Format,
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> Result<(), RenderError> {
    let doc = render_to_string(report, format, opts)?;
    out.write_all(doc.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// Renders `report` in `format` to a string.
pub fn render_to_string(
    report: &ScanReport,
    format: Format,
    opts: &RenderOptions,
) -> Result<String, RenderError> {
    match format {
        Format::Table => Ok(table::render(report, opts)),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Junit => Ok(junit::render(report)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_and_display() {
        for f in Format::ALL {
            assert_eq!(f.to_string().parse::<Format>().unwrap(), f);
        }
        assert_eq!(" SARIF ".parse::<Format>().unwrap(), Format::Sarif);
        let err = "html".parse::<Format>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown output format `html` (expected one of: table, json, sarif, junit)"
        );
    }

    #[test]
    fn default_options_have_no_color() {
        assert!(!RenderOptions::default().color);
    }
}
