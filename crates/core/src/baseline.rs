//! Baselines: the fingerprints of findings that were there when the baseline was made, so later
//! runs can tell new findings from old ones. Any scanner's findings, and any Gatehouse JSON
//! report (a scan's or the gate's), can serve as one.

use std::collections::{BTreeMap, BTreeSet};

use crate::{Finding, Fingerprint, StaleEntry};

/// A baseline file that cannot be used, with the line when there is one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{source_name}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct BaselineError {
    pub source_name: String,
    pub line: Option<u32>,
    pub message: String,
}

/// One recorded finding, enough to recognise it and to say what it was.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BaselineEntry {
    pub fingerprint: Fingerprint,
    #[serde(default)]
    pub rule_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

#[derive(serde::Serialize)]
struct BaselineFileOut<'a> {
    gatehouse_baseline: u32,
    tool_version: &'a str,
    findings: Vec<BaselineEntry>,
}

/// A baseline read from a file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    source: String,
    entries: BTreeMap<Fingerprint, BaselineEntry>,
}

impl Baseline {
    /// The baseline file for `findings`: JSON, sorted by fingerprint, one entry per fingerprint.
    pub fn render<'a>(
        findings: impl IntoIterator<Item = &'a Finding>,
        tool_version: &str,
    ) -> String {
        let mut entries: BTreeMap<&Fingerprint, BaselineEntry> = BTreeMap::new();
        for f in findings {
            entries
                .entry(&f.fingerprint)
                .or_insert_with(|| BaselineEntry {
                    fingerprint: f.fingerprint.clone(),
                    rule_id: f.rule_id.clone(),
                    path: f.location.path.clone(),
                    line: (f.location.start_line > 0).then_some(f.location.start_line),
                });
        }
        let out = BaselineFileOut {
            gatehouse_baseline: 1,
            tool_version,
            findings: entries.into_values().collect(),
        };
        let mut s = serde_json::to_string_pretty(&out).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Reads the text of a baseline file, or of any Gatehouse JSON report: a scan report (its
    /// `findings`) or a gate report (the `findings` of each of its `scans[].report`).
    pub fn parse(source: &str, text: &str) -> Result<Self, BaselineError> {
        let err = |line: Option<u32>, message: String| BaselineError {
            source_name: source.to_string(),
            line,
            message,
        };
        let v: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| err(Some(e.line() as u32), format!("not valid JSON: {e}")))?;
        let lists: Vec<(String, &Vec<serde_json::Value>)> =
            if let Some(list) = v.get("findings").and_then(|f| f.as_array()) {
                vec![("findings".into(), list)]
            } else if let Some(scans) = v.get("scans").and_then(|s| s.as_array()) {
                scans
                    .iter()
                    .enumerate()
                    .filter_map(|(i, s)| {
                        let list = s.pointer("/report/findings")?.as_array()?;
                        Some((format!("scans[{i}].report.findings"), list))
                    })
                    .collect()
            } else {
                return Err(err(
                    None,
                    "expected an object with a `findings` array (a baseline or a Gatehouse \
                     JSON report)"
                        .into(),
                ));
            };
        let mut entries = BTreeMap::new();
        for (name, list) in lists {
            for (i, item) in list.iter().enumerate() {
                let fp = item
                    .get("fingerprint")
                    .and_then(|f| f.as_str())
                    .and_then(Fingerprint::parse)
                    .ok_or_else(|| {
                        err(
                            None,
                            format!(
                                "{name}[{i}]: missing or malformed `fingerprint` (32 hex digits)"
                            ),
                        )
                    })?;
                let text_at = |a: &str, b: &str| {
                    item.get(a)
                        .or_else(|| item.pointer(b))
                        .and_then(|p| p.as_str())
                        .map(str::to_string)
                };
                let entry = BaselineEntry {
                    fingerprint: fp.clone(),
                    rule_id: text_at("rule_id", "/rule_id").unwrap_or_default(),
                    path: text_at("path", "/location/path"),
                    line: item
                        .get("line")
                        .or_else(|| item.pointer("/location/start_line"))
                        .and_then(|l| l.as_u64())
                        .map(|l| l as u32),
                };
                entries.insert(fp, entry);
            }
        }
        Ok(Baseline {
            source: source.to_string(),
            entries,
        })
    }

    /// Where the baseline was read from.
    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn contains(&self, fp: &Fingerprint) -> bool {
        self.entries.contains_key(fp)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Entries whose fingerprint is not among `seen`.
    pub fn stale(&self, seen: &BTreeSet<Fingerprint>) -> Vec<StaleEntry> {
        self.entries
            .values()
            .filter(|e| !seen.contains(&e.fingerprint))
            .map(|e| StaleEntry {
                source: self.source.clone(),
                line: None,
                entry: match &e.path {
                    Some(p) => format!("{} ({} in {p})", e.fingerprint, e.rule_id),
                    None => format!("{} ({})", e.fingerprint, e.rule_id),
                },
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baseline_round_trip_and_errors() {
        let b = Baseline::parse(
            "b.json",
            "{\"findings\": [{\"fingerprint\": \"0123456789abcdef0123456789abcdef\", \"rule_id\": \"r\"}]}",
        )
        .unwrap();
        assert_eq!(b.len(), 1);
        let e = Baseline::parse("b.json", "{\"findings\": [{}]}").unwrap_err();
        assert!(e.to_string().contains("findings[0]"), "{e}");
        let e = Baseline::parse("b.json", "{\n\"findings\": [,]}").unwrap_err();
        assert!(e.to_string().starts_with("b.json:2"), "{e}");
        let e = Baseline::parse("b.json", "[]").unwrap_err();
        assert!(e.to_string().contains("`findings`"), "{e}");
    }

    #[test]
    fn gate_reports_serve_as_baselines() {
        let fp = "0123456789abcdef0123456789abcdef";
        let text = format!(
            "{{\"scans\": [{{\"report\": {{\"findings\": [{{\"fingerprint\": \"{fp}\", \
             \"rule_id\": \"r\", \"location\": {{\"path\": \"a.py\", \"start_line\": 4}}}}]}}}}, \
             {{\"report\": {{\"findings\": []}}}}]}}"
        );
        let b = Baseline::parse("gate.json", &text).unwrap();
        assert!(b.contains(&Fingerprint::parse(fp).unwrap()));
        let stale = b.stale(&BTreeSet::new());
        assert_eq!(stale[0].entry, format!("{fp} (r in a.py)"));
    }
}
