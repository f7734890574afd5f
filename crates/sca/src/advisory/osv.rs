//! The OSV schema (1.6/1.7), the model every advisory source is converted to.
//!
//! Lenient where real exports differ (unknown fields are ignored, `null` reads as empty, a
//! missing `modified` as empty), strict where matching depends on it: a record needs a
//! non-empty `id`, and each range event names exactly one of `introduced`, `fixed`,
//! `last_affected` or `limit`. `database_specific` and `ecosystem_specific` stay JSON values.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::Ecosystem;

/// Where the exact RustSec requirements are kept: `affected[].database_specific.<this>` =
/// `{"patched": [..], "unaffected": [..]}`; when present, matching uses them instead of the
/// ranges (see [`crate::advisory::matcher`]).
pub const REQUIREMENTS_KEY: &str = "gatehouse_requirements";

/// One OSV record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Advisory {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<String>,
    #[serde(deserialize_with = "id_string")]
    pub id: String,
    /// RFC 3339; required by the schema, but read as empty when a source leaves it out.
    #[serde(default, deserialize_with = "nullable")]
    pub modified: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub aliases: Vec<String>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub related: Vec<String>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub upstream: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub severity: Vec<Severity>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub affected: Vec<Affected>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub references: Vec<Reference>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub credits: Vec<Credit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
}

/// A severity score: `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, `Ubuntu`, … and its vector or value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Severity {
    #[serde(rename = "type", default, deserialize_with = "nullable")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable")]
    pub score: String,
}

/// The versions of one package that an advisory affects.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Affected {
    /// Optional in the schema: GIT-only records may name no package.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<Package>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub severity: Vec<Severity>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub ranges: Vec<Range>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub versions: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecosystem_specific: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    #[serde(default, deserialize_with = "nullable")]
    pub ecosystem: String,
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Range {
    #[serde(rename = "type")]
    pub kind: RangeType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub events: Vec<Event>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
}

/// A range's `type`. Unknown types are kept as written and never match.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RangeType {
    Semver,
    Ecosystem,
    Git,
    Other(String),
}

impl RangeType {
    pub fn as_str(&self) -> &str {
        match self {
            RangeType::Semver => "SEMVER",
            RangeType::Ecosystem => "ECOSYSTEM",
            RangeType::Git => "GIT",
            RangeType::Other(s) => s,
        }
    }
}

impl fmt::Display for RangeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for RangeType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RangeType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(match s.as_str() {
            "SEMVER" => RangeType::Semver,
            "ECOSYSTEM" => RangeType::Ecosystem,
            "GIT" => RangeType::Git,
            _ => RangeType::Other(s),
        })
    }
}

/// Which kind of point an event marks on a range's timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventKind {
    Introduced,
    Fixed,
    LastAffected,
    Limit,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Introduced => "introduced",
            EventKind::Fixed => "fixed",
            EventKind::LastAffected => "last_affected",
            EventKind::Limit => "limit",
        }
    }
}

/// One range event: `{"introduced": "1.0"}`, `{"fixed": "1.2"}`, ….
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Event {
    pub kind: EventKind,
    pub version: String,
}

impl Event {
    pub fn new(kind: EventKind, version: impl Into<String>) -> Event {
        Event {
            kind,
            version: version.into(),
        }
    }
}

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry(self.kind.as_str(), &self.version)?;
        m.end()
    }
}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            #[serde(default, deserialize_with = "version_string")]
            introduced: Option<String>,
            #[serde(default, deserialize_with = "version_string")]
            fixed: Option<String>,
            #[serde(default, deserialize_with = "version_string")]
            last_affected: Option<String>,
            #[serde(default, deserialize_with = "version_string")]
            limit: Option<String>,
        }
        let raw = Raw::deserialize(d)?;
        let mut found = [
            (EventKind::Introduced, raw.introduced),
            (EventKind::Fixed, raw.fixed),
            (EventKind::LastAffected, raw.last_affected),
            (EventKind::Limit, raw.limit),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| Event::new(k, v)));
        match (found.next(), found.next()) {
            (Some(e), None) => Ok(e),
            (None, _) => Err(serde::de::Error::custom(
                "range event without introduced, fixed, last_affected or limit",
            )),
            (Some(a), Some(b)) => Err(serde::de::Error::custom(format!(
                "range event with both {} and {} (one per event)",
                a.kind.as_str(),
                b.kind.as_str()
            ))),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    #[serde(rename = "type", default, deserialize_with = "nullable")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable")]
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credit {
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub contact: Vec<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

impl Advisory {
    /// Parses one OSV JSON record.
    pub fn from_json(text: &str) -> Result<Advisory, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// Whether the record has been withdrawn (a withdrawn advisory never matches).
    pub fn is_withdrawn(&self) -> bool {
        self.withdrawn
            .as_deref()
            .is_some_and(|w| !w.trim().is_empty())
    }

    /// RustSec's `informational` kind (`unmaintained`, `unsound`, `notice`), from the first
    /// affected entry's or the record's `database_specific`.
    pub fn informational(&self) -> Option<&str> {
        informational(
            self.affected.iter().map(|a| &a.database_specific),
            &self.database_specific,
        )
    }

    /// The OSV ecosystem names of the affected packages, base names only (`Debian`, not
    /// `Debian:12`), sorted and deduplicated.
    pub fn ecosystem_names(&self) -> BTreeSet<&str> {
        self.affected
            .iter()
            .filter_map(|a| a.package.as_ref())
            .map(|p| p.ecosystem.split(':').next().unwrap_or(&p.ecosystem))
            .filter(|e| !e.is_empty())
            .collect()
    }

    /// The affected entries for one package (ecosystem by base name, package name compared
    /// after [`Ecosystem::normalize_name`]).
    pub fn affected_for<'a>(
        &'a self,
        ecosystem: Ecosystem,
        name: &str,
    ) -> impl Iterator<Item = &'a Affected> + 'a {
        let want = ecosystem.normalize_name(name);
        self.affected.iter().filter(move |a| {
            a.package.as_ref().is_some_and(|p| {
                Ecosystem::from_osv(&p.ecosystem) == Some(ecosystem)
                    && ecosystem.normalize_name(&p.name) == want
            })
        })
    }
}

impl Affected {
    /// The exact requirement strings RustSec advisories carry, when this entry has them.
    pub fn requirements(&self) -> Option<Requirements> {
        let r = self.database_specific.as_ref()?.get(REQUIREMENTS_KEY)?;
        let list = |key: &str| -> Vec<String> {
            r.get(key)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        Some(Requirements {
            patched: list("patched"),
            unaffected: list("unaffected"),
        })
    }
}

/// RustSec's `[versions]`: Cargo `VersionReq` strings. A version is affected iff it matches
/// none of them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Requirements {
    #[serde(default)]
    pub patched: Vec<String>,
    #[serde(default)]
    pub unaffected: Vec<String>,
}

/// The parts of an OSV record that a report shows — the text, ids, ratings and references of a
/// finding and its rule — read without the ranges and version lists that matching has already
/// used (a record's `affected[].versions` can run to thousands of entries).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Notice {
    #[serde(deserialize_with = "id_string")]
    pub id: String,
    #[serde(default, deserialize_with = "nullable")]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub details: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub severity: Vec<Severity>,
    #[serde(default, deserialize_with = "nullable")]
    pub affected: Vec<AffectedNotice>,
    #[serde(default, deserialize_with = "nullable")]
    pub references: Vec<Reference>,
    #[serde(default)]
    pub database_specific: Option<Value>,
}

/// The rating parts of one `affected` entry.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct AffectedNotice {
    #[serde(default, deserialize_with = "nullable")]
    pub severity: Vec<Severity>,
    #[serde(default)]
    pub ecosystem_specific: Option<Value>,
    #[serde(default)]
    pub database_specific: Option<Value>,
}

impl Notice {
    /// Parses the report's view of one OSV JSON record.
    pub fn from_slice(text: &[u8]) -> Result<Notice, serde_json::Error> {
        serde_json::from_slice(text)
    }

    /// As [`Advisory::informational`].
    pub fn informational(&self) -> Option<&str> {
        informational(
            self.affected.iter().map(|a| &a.database_specific),
            &self.database_specific,
        )
    }
}

/// The first non-empty `informational` of the affected entries' `database_specific`, else of
/// the record's.
fn informational<'a>(
    mut affected: impl Iterator<Item = &'a Option<Value>>,
    record: &'a Option<Value>,
) -> Option<&'a str> {
    fn from(v: &Option<Value>) -> Option<&str> {
        v.as_ref()?
            .get("informational")?
            .as_str()
            .filter(|s| !s.is_empty())
    }
    affected.find_map(from).or_else(|| from(record))
}

/// Reads `null` as the type's default, so exports that write `"aliases": null` load.
fn nullable<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

fn id_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let id = String::deserialize(d)?;
    if id.trim().is_empty() {
        return Err(serde::de::Error::custom("empty `id`"));
    }
    Ok(id)
}

/// Event versions are strings, but hand-written YAML sometimes leaves `0` or `1.10` unquoted:
/// asking for a string makes the YAML reader hand over the scalar's text (`1.10`, not the
/// float 1.1); numbers from self-describing formats are accepted as their decimal text.
fn version_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a version string")
        }
        fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_str(V)
        }
    }
    d.deserialize_option(V)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_record_and_round_trips() {
        let text = r#"{
            "schema_version": "1.6.0", "id": "GHSA-x", "modified": "2024-01-01T00:00:00Z",
            "aliases": ["CVE-1"], "related": null, "unknown_field": {"a": 1},
            "affected": [{"package": {"ecosystem": "PyPI", "name": "Django_x"},
              "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2"}]},
                         {"type": "WEIRD", "events": [{"limit": "*"}]}],
              "versions": ["1.0"], "database_specific": {"k": [1, 2]}}]
        }"#;
        let a = Advisory::from_json(text).unwrap();
        assert_eq!(a.id, "GHSA-x");
        assert!(a.related.is_empty());
        assert_eq!(a.affected[0].ranges[0].kind, RangeType::Ecosystem);
        assert_eq!(
            a.affected[0].ranges[1].kind,
            RangeType::Other("WEIRD".into())
        );
        assert_eq!(
            a.affected[0].ranges[0].events[1],
            Event::new(EventKind::Fixed, "1.2")
        );
        assert_eq!(a.affected_for(Ecosystem::PyPI, "django-X").count(), 1);
        let again: Advisory = serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
        assert_eq!(a, again);
    }

    #[test]
    fn rejects_records_without_id_and_bad_events() {
        assert!(Advisory::from_json(r#"{"modified": "x"}"#).is_err());
        assert!(Advisory::from_json(r#"{"id": " "}"#).is_err());
        let two = r#"{"id": "A", "affected": [{"ranges": [{"type": "SEMVER",
            "events": [{"introduced": "1", "fixed": "2"}]}]}]}"#;
        let err = Advisory::from_json(two).unwrap_err().to_string();
        assert!(err.contains("both introduced and fixed"), "{err}");
        let none = r#"{"id": "A", "affected": [{"ranges": [{"type": "SEMVER", "events": [{}]}]}]}"#;
        assert!(Advisory::from_json(none).is_err());
    }

    #[test]
    fn yaml_numbers_as_versions() {
        let y = "id: PYSEC-1\nmodified: 2024-01-01T00:00:00Z\naffected:\n- package: {ecosystem: PyPI, name: x}\n  ranges:\n  - type: ECOSYSTEM\n    events:\n    - introduced: 0\n    - fixed: 1.10\n  versions:\n  - 1.0\n";
        let a: Advisory = serde_yaml_ng::from_str(y).unwrap();
        let ev = &a.affected[0].ranges[0].events;
        assert_eq!(ev[0].version, "0");
        assert_eq!(a.affected[0].versions, ["1.0"]);
        assert_eq!(ev[1], Event::new(EventKind::Fixed, "1.10"));
    }

    #[test]
    fn a_notice_is_the_advisory_without_its_ranges() {
        let text = r#"{
            "id": "RUSTSEC-2024-1", "modified": "2024-01-01T00:00:00Z", "aliases": null,
            "summary": "s", "details": "d",
            "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
            "affected": [{"package": {"ecosystem": "crates.io", "name": "x"},
              "severity": [{"type": "CVSS_V4", "score": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}],
              "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.0.0"}]}],
              "versions": ["0.1.0"], "ecosystem_specific": {"affects": {"functions": ["x::f"]}},
              "database_specific": {"informational": "unsound"}}],
            "references": [{"type": "WEB", "url": "https://example.com/a"}],
            "database_specific": {"license": "CC0-1.0"}
        }"#;
        let advisory = Advisory::from_json(text).unwrap();
        let notice = Notice::from_slice(text.as_bytes()).unwrap();
        let projected = Notice {
            id: advisory.id.clone(),
            aliases: advisory.aliases.clone(),
            summary: advisory.summary.clone(),
            details: advisory.details.clone(),
            severity: advisory.severity.clone(),
            affected: advisory
                .affected
                .iter()
                .map(|a| AffectedNotice {
                    severity: a.severity.clone(),
                    ecosystem_specific: a.ecosystem_specific.clone(),
                    database_specific: a.database_specific.clone(),
                })
                .collect(),
            references: advisory.references.clone(),
            database_specific: advisory.database_specific.clone(),
        };
        assert_eq!(notice, projected);
        assert_eq!(notice.informational(), Some("unsound"));
        assert_eq!(notice.informational(), advisory.informational());
    }
}
