//! VEX documents as input: statements that a vulnerability does (or does not) affect a product,
//! used to suppress matches. Two formats, told apart by content:
//!
//! - **CycloneDX VEX** (JSON): `vulnerabilities[]` with `id`, `analysis` (`state`,
//!   `justification`, `detail`) and `affects[].ref`, a purl or the `bom-ref` of one of the
//!   document's components (resolved to that component's purl). Vulnerabilities without an
//!   analysis state are not statements and are skipped.
//! - **OpenVEX** (JSON, v0.0.x and v0.2.x): `statements[]` with `vulnerability` (`name`,
//!   `aliases`), `products[]` (purl `@id`s or `identifiers.purl`, with `subcomponents`),
//!   `status`, `justification`, `impact_statement`.
//!
//! Purls are compared by type, namespace, name and version, ignoring qualifiers; a statement
//! whose purl has no version applies to every version.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::purl::Purl;

/// What a statement says about a vulnerability in a product.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum VexStatus {
    /// OpenVEX `not_affected`, CycloneDX `not_affected`.
    NotAffected,
    /// CycloneDX `false_positive`: the match itself is wrong.
    FalsePositive,
    /// OpenVEX `fixed`, CycloneDX `resolved` and `resolved_with_pedigree`.
    Fixed,
    /// OpenVEX `affected`, CycloneDX `exploitable`.
    Affected,
    /// OpenVEX `under_investigation`, CycloneDX `in_triage`.
    UnderInvestigation,
}

impl VexStatus {
    /// The OpenVEX name (`false_positive` for the status OpenVEX does not have).
    pub fn as_str(self) -> &'static str {
        match self {
            VexStatus::NotAffected => "not_affected",
            VexStatus::FalsePositive => "false_positive",
            VexStatus::Fixed => "fixed",
            VexStatus::Affected => "affected",
            VexStatus::UnderInvestigation => "under_investigation",
        }
    }

    /// CycloneDX's `analysis.state`.
    pub fn cyclonedx_state(self) -> &'static str {
        match self {
            VexStatus::NotAffected => "not_affected",
            VexStatus::FalsePositive => "false_positive",
            VexStatus::Fixed => "resolved",
            VexStatus::Affected => "exploitable",
            VexStatus::UnderInvestigation => "in_triage",
        }
    }

    pub fn from_cyclonedx(state: &str) -> Option<VexStatus> {
        Some(match state {
            "not_affected" => VexStatus::NotAffected,
            "false_positive" => VexStatus::FalsePositive,
            "resolved" | "resolved_with_pedigree" => VexStatus::Fixed,
            "exploitable" => VexStatus::Affected,
            "in_triage" => VexStatus::UnderInvestigation,
            _ => return None,
        })
    }

    pub fn from_openvex(status: &str) -> Option<VexStatus> {
        Some(match status {
            "not_affected" => VexStatus::NotAffected,
            "fixed" => VexStatus::Fixed,
            "affected" => VexStatus::Affected,
            "under_investigation" => VexStatus::UnderInvestigation,
            _ => return None,
        })
    }

    /// Whether a statement with this status removes the match from the findings: the product
    /// is not affected, the match is wrong, or the product carries a fix.
    pub fn suppresses(self) -> bool {
        matches!(
            self,
            VexStatus::NotAffected | VexStatus::FalsePositive | VexStatus::Fixed
        )
    }
}

impl std::fmt::Display for VexStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One statement: `status` holds for `vulnerability` (or any of its aliases) in every product.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct VexStatement {
    pub vulnerability: String,
    pub aliases: Vec<String>,
    pub product_purls: Vec<String>,
    pub status: VexStatus,
    pub justification: Option<String>,
    /// Impact statement, analysis detail or status notes.
    pub detail: Option<String>,
    /// When the statement was made (RFC 3339), if the document says.
    pub timestamp: Option<String>,
    /// The document it comes from.
    pub source: PathBuf,
}

impl VexStatement {
    /// Whether the statement is about one of `advisory_ids` (compared case-insensitively with
    /// the vulnerability and its aliases) in the package `purl`.
    pub fn applies(&self, advisory_ids: &[String], purl: &str) -> bool {
        let about = |id: &String| {
            self.vulnerability.eq_ignore_ascii_case(id)
                || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(id))
        };
        if !advisory_ids.iter().any(about) {
            return false;
        }
        let Ok(target) = Purl::parse(purl) else {
            return false;
        };
        self.product_purls.iter().any(|p| {
            Purl::parse(p).is_ok_and(|p| {
                p.same_package(&target)
                    && match &p.version {
                        None => true,
                        Some(v) => target.version.as_ref() == Some(v),
                    }
            })
        })
    }
}

/// The statement that decides a match among several documents: of those that apply, the most
/// recent one (statements without timestamp count as oldest; on a tie the later one in the
/// list), as OpenVEX resolves a product's history.
pub fn deciding<'a>(
    statements: &'a [VexStatement],
    advisory_ids: &[String],
    purl: &str,
) -> Option<&'a VexStatement> {
    statements
        .iter()
        .enumerate()
        .filter(|(_, s)| s.applies(advisory_ids, purl))
        .max_by_key(|(i, s)| {
            let t = s
                .timestamp
                .as_deref()
                .and_then(|t| t.parse::<jiff::Timestamp>().ok());
            (t, *i)
        })
        .map(|(_, s)| s)
}

/// Why a VEX document could not be read. `field` is a path into the document
/// (`statements[2].status`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {}{message}", path.display(), field.as_deref().map(|f| format!("{f}: ")).unwrap_or_default())]
pub struct VexError {
    pub path: PathBuf,
    pub field: Option<String>,
    pub message: String,
}

/// Reads a VEX document from a file.
pub fn read(path: &Path) -> Result<Vec<VexStatement>, VexError> {
    let text = std::fs::read_to_string(path).map_err(|e| VexError {
        path: path.to_path_buf(),
        field: None,
        message: format!("cannot read: {e}"),
    })?;
    parse(path, &text)
}

/// Parses a CycloneDX VEX or OpenVEX JSON document. `path` names the source in statements and
/// errors.
pub fn parse(path: &Path, text: &str) -> Result<Vec<VexStatement>, VexError> {
    let cx = Ctx { path };
    let doc: Value = serde_json::from_str(text)
        .map_err(|e| cx.err(None, format!("invalid JSON at line {}: {e}", e.line())))?;
    let Some(obj) = doc.as_object() else {
        return Err(cx.err(None, "not a VEX document: the top level is not an object"));
    };
    let is_openvex = match obj.get("@context") {
        Some(Value::String(c)) => c.contains("openvex"),
        Some(Value::Array(cs)) => cs
            .iter()
            .any(|c| c.as_str().is_some_and(|c| c.contains("openvex"))),
        _ => false,
    };
    if is_openvex {
        openvex(&cx, &doc)
    } else if obj.get("bomFormat").and_then(Value::as_str) == Some("CycloneDX") {
        cyclonedx(&cx, &doc)
    } else {
        Err(cx.err(
            None,
            "not a VEX document: neither an OpenVEX `@context` nor CycloneDX `bomFormat`",
        ))
    }
}

struct Ctx<'a> {
    path: &'a Path,
}

impl Ctx<'_> {
    fn err(&self, field: Option<&str>, message: impl Into<String>) -> VexError {
        VexError {
            path: self.path.to_path_buf(),
            field: field.map(str::to_string),
            message: message.into(),
        }
    }

    fn field_err(&self, field: &str, message: impl Into<String>) -> VexError {
        self.err(Some(field), message)
    }

    /// An optional string field; present but not a string is an error.
    fn opt_str(&self, v: &Value, key: &str, field: &str) -> Result<Option<String>, VexError> {
        match v.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.field_err(&format!("{field}.{key}"), "not a string")),
        }
    }

    fn array<'v>(&self, v: &'v Value, field: &str) -> Result<&'v Vec<Value>, VexError> {
        v.as_array()
            .ok_or_else(|| self.field_err(field, "not an array"))
    }

    /// A purl the document names; one that does not parse is an error.
    fn purl(&self, s: &str, field: &str) -> Result<String, VexError> {
        Purl::parse(s).map_err(|e| self.field_err(field, e.to_string()))?;
        Ok(s.trim().to_string())
    }
}

// ---------------------------------------------------------------------------------------------
// CycloneDX

fn cyclonedx(cx: &Ctx, obj: &Value) -> Result<Vec<VexStatement>, VexError> {
    let mut purls: HashMap<String, String> = HashMap::new();
    if let Some(root) = obj.get("metadata").and_then(|m| m.get("component")) {
        collect_refs(std::slice::from_ref(root), &mut purls);
    }
    if let Some(Value::Array(cs)) = obj.get("components") {
        collect_refs(cs, &mut purls);
    }
    let doc_time = obj
        .get("metadata")
        .and_then(|m| m.get("timestamp"))
        .and_then(Value::as_str);
    let vulns = match obj.get("vulnerabilities") {
        Some(v) => cx.array(v, "vulnerabilities")?,
        None => {
            return Err(cx.field_err(
                "vulnerabilities",
                "missing: a CycloneDX VEX document lists its statements there",
            ))
        }
    };
    let mut out = Vec::new();
    for (i, v) in vulns.iter().enumerate() {
        let field = format!("vulnerabilities[{i}]");
        if !v.is_object() {
            return Err(cx.field_err(&field, "not an object"));
        }
        let Some(id) = cx
            .opt_str(v, "id", &field)?
            .filter(|s| !s.trim().is_empty())
        else {
            return Err(cx.field_err(&format!("{field}.id"), "missing"));
        };
        let Some(analysis) = v.get("analysis").filter(|a| !a.is_null()) else {
            continue;
        };
        let afield = format!("{field}.analysis");
        if !analysis.is_object() {
            return Err(cx.field_err(&afield, "not an object"));
        }
        let Some(state) = cx.opt_str(analysis, "state", &afield)? else {
            continue;
        };
        let status = VexStatus::from_cyclonedx(&state).ok_or_else(|| {
            cx.field_err(
                &format!("{afield}.state"),
                format!("unknown state `{state}` (expected resolved, resolved_with_pedigree, exploitable, in_triage, false_positive or not_affected)"),
            )
        })?;
        let mut aliases = Vec::new();
        if let Some(refs) = v.get("references") {
            for (j, r) in cx
                .array(refs, &format!("{field}.references"))?
                .iter()
                .enumerate()
            {
                if let Some(a) = cx.opt_str(r, "id", &format!("{field}.references[{j}]"))? {
                    if !a.eq_ignore_ascii_case(&id) && !aliases.contains(&a) {
                        aliases.push(a);
                    }
                }
            }
        }
        let mut product_purls = Vec::new();
        let affects = match v.get("affects") {
            Some(a) => cx.array(a, &format!("{field}.affects"))?.as_slice(),
            None => &[],
        };
        for (j, a) in affects.iter().enumerate() {
            let afield = format!("{field}.affects[{j}]");
            let Some(r) = cx.opt_str(a, "ref", &afield)? else {
                return Err(cx.field_err(&format!("{afield}.ref"), "missing"));
            };
            let r = r.trim();
            let resolved = if r.starts_with("pkg:") {
                Some(cx.purl(r, &format!("{afield}.ref"))?)
            } else {
                // A BOM-Link (`urn:cdx:serial/version#bom-ref`) names a component by bom-ref.
                let local = match r.strip_prefix("urn:cdx:").and_then(|l| l.split_once('#')) {
                    Some((_, frag)) => percent_decode(frag),
                    None => r.to_string(),
                };
                purls.get(&local).cloned()
            };
            match resolved {
                Some(p) if !product_purls.contains(&p) => product_purls.push(p),
                Some(_) => {}
                None => tracing::warn!(
                    "{}: {afield}.ref: `{r}` is neither a purl nor the bom-ref of a component with a purl; ignored",
                    cx.path.display()
                ),
            }
        }
        let timestamp = cx
            .opt_str(analysis, "lastUpdated", &afield)?
            .or(cx.opt_str(analysis, "firstIssued", &afield)?)
            .or(doc_time.map(str::to_string));
        out.push(VexStatement {
            vulnerability: id.trim().to_string(),
            aliases,
            product_purls,
            status,
            justification: cx.opt_str(analysis, "justification", &afield)?,
            detail: cx.opt_str(analysis, "detail", &afield)?,
            timestamp,
            source: cx.path.to_path_buf(),
        });
    }
    Ok(out)
}

/// bom-ref → purl for every component with both, nested ones included.
fn collect_refs(components: &[Value], out: &mut HashMap<String, String>) {
    for c in components {
        if let (Some(r), Some(p)) = (
            c.get("bom-ref").and_then(Value::as_str),
            c.get("purl").and_then(Value::as_str),
        ) {
            if Purl::parse(p).is_ok() {
                out.entry(r.to_string())
                    .or_insert_with(|| p.trim().to_string());
            }
        }
        if let Some(Value::Array(nested)) = c.get("components") {
            collect_refs(nested, out);
        }
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = (b[i] == b'%')
            .then(|| b.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(x) => {
                out.push(x);
                i += 3;
            }
            None => {
                out.push(b[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

// ---------------------------------------------------------------------------------------------
// OpenVEX

fn openvex(cx: &Ctx, doc: &Value) -> Result<Vec<VexStatement>, VexError> {
    let doc_time = cx.opt_str(doc, "timestamp", "document")?.or(cx.opt_str(
        doc,
        "last_updated",
        "document",
    )?);
    let statements = match doc.get("statements") {
        Some(s) => cx.array(s, "statements")?,
        None => return Err(cx.field_err("statements", "missing")),
    };
    let mut out = Vec::new();
    for (i, s) in statements.iter().enumerate() {
        let field = format!("statements[{i}]");
        if !s.is_object() {
            return Err(cx.field_err(&field, "not an object"));
        }
        let vfield = format!("{field}.vulnerability");
        let (vulnerability, aliases) = match s.get("vulnerability") {
            // v0.0.x: the id as a string.
            Some(Value::String(v)) => (v.clone(), Vec::new()),
            Some(v @ Value::Object(_)) => {
                let name = cx
                    .opt_str(v, "name", &vfield)?
                    .or(cx.opt_str(v, "@id", &vfield)?)
                    .ok_or_else(|| cx.field_err(&format!("{vfield}.name"), "missing"))?;
                let mut aliases = Vec::new();
                if let Some(a) = v.get("aliases") {
                    for (j, a) in cx
                        .array(a, &format!("{vfield}.aliases"))?
                        .iter()
                        .enumerate()
                    {
                        let a = a.as_str().ok_or_else(|| {
                            cx.field_err(&format!("{vfield}.aliases[{j}]"), "not a string")
                        })?;
                        aliases.push(a.to_string());
                    }
                }
                (name, aliases)
            }
            Some(_) => return Err(cx.field_err(&vfield, "neither a string nor an object")),
            None => return Err(cx.field_err(&vfield, "missing")),
        };
        if vulnerability.trim().is_empty() {
            return Err(cx.field_err(&vfield, "empty"));
        }
        let status_s = cx
            .opt_str(s, "status", &field)?
            .ok_or_else(|| cx.field_err(&format!("{field}.status"), "missing"))?;
        let status = VexStatus::from_openvex(&status_s).ok_or_else(|| {
            cx.field_err(
                &format!("{field}.status"),
                format!("unknown status `{status_s}` (expected not_affected, affected, fixed or under_investigation)"),
            )
        })?;
        let mut product_purls = Vec::new();
        let products = s.get("products");
        let subcomponents = s.get("subcomponents");
        if products.is_none() && subcomponents.is_none() {
            return Err(cx.field_err(&format!("{field}.products"), "missing"));
        }
        if let Some(p) = products {
            products_purls(cx, p, &format!("{field}.products"), &mut product_purls)?;
        }
        if let Some(p) = subcomponents {
            products_purls(cx, p, &format!("{field}.subcomponents"), &mut product_purls)?;
        }
        let timestamp = cx
            .opt_str(s, "timestamp", &field)?
            .or(cx.opt_str(s, "last_updated", &field)?)
            .or(doc_time.clone());
        let detail = cx
            .opt_str(s, "impact_statement", &field)?
            .or(cx.opt_str(s, "status_notes", &field)?)
            .or(cx.opt_str(s, "action_statement", &field)?);
        out.push(VexStatement {
            vulnerability: vulnerability.trim().to_string(),
            aliases,
            product_purls,
            status,
            justification: cx.opt_str(s, "justification", &field)?,
            detail,
            timestamp,
            source: cx.path.to_path_buf(),
        });
    }
    Ok(out)
}

/// The purls of a `products` or `subcomponents` list: strings (v0.0.x) or objects with an
/// `@id` and `identifiers.purl`, and their own `subcomponents`. Identifiers that are not purls
/// (image digests, URLs) name products this scanner does not see and are skipped.
fn products_purls(cx: &Ctx, v: &Value, field: &str, out: &mut Vec<String>) -> Result<(), VexError> {
    fn push(cx: &Ctx, s: &str, f: &str, out: &mut Vec<String>) -> Result<(), VexError> {
        if s.trim_start().starts_with("pkg:") {
            let p = cx.purl(s, f)?;
            if !out.contains(&p) {
                out.push(p);
            }
        }
        Ok(())
    }
    for (j, item) in cx.array(v, field)?.iter().enumerate() {
        let f = format!("{field}[{j}]");
        match item {
            Value::String(s) => push(cx, s, &f, out)?,
            Value::Object(_) => {
                if let Some(id) = cx.opt_str(item, "@id", &f)? {
                    push(cx, &id, &format!("{f}.@id"), out)?;
                }
                if let Some(ids) = item.get("identifiers").filter(|i| !i.is_null()) {
                    if let Some(p) = cx.opt_str(ids, "purl", &format!("{f}.identifiers"))? {
                        push(cx, &p, &format!("{f}.identifiers.purl"), out)?;
                    }
                }
                if let Some(sub) = item.get("subcomponents") {
                    products_purls(cx, sub, &format!("{f}.subcomponents"), out)?;
                }
            }
            _ => return Err(cx.field_err(&f, "neither a string nor an object")),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stmt(ids: &[&str], purls: &[&str]) -> VexStatement {
        VexStatement {
            vulnerability: ids[0].to_string(),
            aliases: ids[1..].iter().map(|s| s.to_string()).collect(),
            product_purls: purls.iter().map(|s| s.to_string()).collect(),
            status: VexStatus::NotAffected,
            justification: None,
            detail: None,
            timestamp: None,
            source: PathBuf::from("v.json"),
        }
    }

    fn ids(s: &[&str]) -> Vec<String> {
        s.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn matching() {
        let s = stmt(
            &["GHSA-aaaa-bbbb-cccc", "CVE-2024-1"],
            &["pkg:npm/%40babel/core@7.0.0", "pkg:pypi/Django_REST"],
        );
        assert!(s.applies(&ids(&["cve-2024-1"]), "pkg:npm/@babel/core@7.0.0?arch=x"));
        assert!(s.applies(
            &ids(&["X", "GHSA-AAAA-BBBB-CCCC"]),
            "pkg:npm/%40babel/core@7.0.0"
        ));
        assert!(!s.applies(&ids(&["CVE-2024-2"]), "pkg:npm/%40babel/core@7.0.0"));
        assert!(!s.applies(&ids(&["CVE-2024-1"]), "pkg:npm/%40babel/core@7.0.1"));
        assert!(!s.applies(&ids(&["CVE-2024-1"]), "pkg:npm/core@7.0.0"));
        // No version in the statement: every version.
        assert!(s.applies(&ids(&["CVE-2024-1"]), "pkg:pypi/django-rest@1.2"));
        assert!(!s.applies(&ids(&["CVE-2024-1"]), "not a purl"));
    }

    #[test]
    fn the_latest_applicable_statement_decides() {
        let mut a = stmt(&["CVE-1"], &["pkg:cargo/x"]);
        a.timestamp = Some("2024-05-01T00:00:00Z".into());
        let mut b = stmt(&["CVE-1"], &["pkg:cargo/x@1.0.0"]);
        b.status = VexStatus::Affected;
        b.timestamp = Some("2024-06-01T00:00:00+02:00".into());
        let c = stmt(&["CVE-1"], &["pkg:cargo/x"]);
        let all = [a, b, c];
        assert_eq!(
            deciding(&all, &ids(&["CVE-1"]), "pkg:cargo/x@1.0.0")
                .unwrap()
                .status,
            VexStatus::Affected
        );
        assert_eq!(
            deciding(&all, &ids(&["CVE-1"]), "pkg:cargo/x@2.0.0")
                .unwrap()
                .timestamp
                .as_deref(),
            Some("2024-05-01T00:00:00Z")
        );
        assert!(deciding(&all, &ids(&["CVE-2"]), "pkg:cargo/x@2.0.0").is_none());
    }

    #[test]
    fn errors_name_file_and_field() {
        let e = parse(Path::new("a/v.json"), r#"{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [{"vulnerability": {"name": "CVE-1"}, "products": [], "status": "maybe"}]}"#).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("statements[0].status"));
        assert!(
            e.to_string()
                .starts_with("a/v.json: statements[0].status: unknown status `maybe`"),
            "{e}"
        );
    }

    #[test]
    fn bom_links_resolve() {
        let doc = r#"{"bomFormat": "CycloneDX", "specVersion": "1.6",
          "components": [{"bom-ref": "lib a", "name": "a", "purl": "pkg:npm/a@1.0.0"}],
          "vulnerabilities": [{"id": "CVE-1", "analysis": {"state": "resolved_with_pedigree"},
             "affects": [{"ref": "urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#lib%20a"}, {"ref": "lib a"}, {"ref": "unknown"}]}]}"#;
        let s = parse(Path::new("v"), doc).unwrap();
        assert_eq!(s[0].product_purls, ["pkg:npm/a@1.0.0"]);
        assert_eq!(s[0].status, VexStatus::Fixed);
    }

    #[test]
    fn status_names_round_trip() {
        for s in [
            VexStatus::NotAffected,
            VexStatus::FalsePositive,
            VexStatus::Fixed,
            VexStatus::Affected,
            VexStatus::UnderInvestigation,
        ] {
            assert_eq!(VexStatus::from_cyclonedx(s.cyclonedx_state()), Some(s));
            if s != VexStatus::FalsePositive {
                assert_eq!(VexStatus::from_openvex(s.as_str()), Some(s));
            }
        }
        assert!(VexStatus::Fixed.suppresses() && !VexStatus::UnderInvestigation.suppresses());
    }
}
