//! Ticket levels and deadlines: the project's SLA policy, else the organization's, else the
//! defaults (level 1 ← critical/high: 24 h / 7 d; 2 ← medium: 7 d / 30 d; 3 ← low: 30 d / 90 d;
//! info opens no ticket).
//!
//! A policy is JSON; every key is optional and overrides the layer below it:
//! `{"severity_levels": {"critical": 1, "high": 1, "medium": 2, "low": 3, "info": null},
//!   "levels": {"1": {"mitigation_hours": 24, "remediation_hours": 168}, …}}`.

use std::collections::BTreeMap;

use gatehouse_core::Severity;
use serde::Deserialize;

const HOUR_MS: i64 = 3_600_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LevelSla {
    pub mitigation_hours: i64,
    pub remediation_hours: i64,
}

/// The effective policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlaPolicy {
    /// Level per severity; `None` opens no ticket.
    pub severity_levels: BTreeMap<Severity, Option<i64>>,
    /// Deadlines of levels 1, 2, 3.
    pub levels: [LevelSla; 3],
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyRaw {
    #[serde(default)]
    severity_levels: BTreeMap<String, Option<i64>>,
    #[serde(default)]
    levels: BTreeMap<String, LevelRaw>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LevelRaw {
    mitigation_hours: Option<i64>,
    remediation_hours: Option<i64>,
}

impl Default for SlaPolicy {
    fn default() -> Self {
        SlaPolicy {
            severity_levels: BTreeMap::from([
                (Severity::Critical, Some(1)),
                (Severity::High, Some(1)),
                (Severity::Medium, Some(2)),
                (Severity::Low, Some(3)),
                (Severity::Info, None),
            ]),
            levels: [
                LevelSla {
                    mitigation_hours: 24,
                    remediation_hours: 7 * 24,
                },
                LevelSla {
                    mitigation_hours: 7 * 24,
                    remediation_hours: 30 * 24,
                },
                LevelSla {
                    mitigation_hours: 30 * 24,
                    remediation_hours: 90 * 24,
                },
            ],
        }
    }
}

fn severity(name: &str) -> Option<Severity> {
    Severity::ALL.into_iter().find(|s| s.as_str() == name)
}

impl SlaPolicy {
    /// Checks a policy document; the message names the bad key.
    pub fn check(doc: &serde_json::Value) -> Result<(), String> {
        SlaPolicy::default().overlay(doc).map(|_| ())
    }

    /// This policy with `doc`'s keys applied over it.
    pub fn overlay(mut self, doc: &serde_json::Value) -> Result<SlaPolicy, String> {
        if doc.is_null() {
            return Ok(self);
        }
        let raw: PolicyRaw =
            serde_json::from_value(doc.clone()).map_err(|e| format!("SLA policy: {e}"))?;
        for (name, level) in raw.severity_levels {
            let s = severity(&name)
                .ok_or_else(|| format!("SLA policy: severity_levels: unknown severity `{name}`"))?;
            if level.is_some_and(|l| !(1..=3).contains(&l)) {
                return Err(format!(
                    "SLA policy: severity_levels.{name}: levels are 1, 2 and 3"
                ));
            }
            self.severity_levels.insert(s, level);
        }
        for (key, l) in raw.levels {
            let i = match key.as_str() {
                "1" => 0,
                "2" => 1,
                "3" => 2,
                _ => {
                    return Err(format!(
                        "SLA policy: levels: unknown level `{key}` (1, 2 or 3)"
                    ))
                }
            };
            for (what, v) in [
                ("mitigation_hours", l.mitigation_hours),
                ("remediation_hours", l.remediation_hours),
            ] {
                if v.is_some_and(|h| h <= 0) {
                    return Err(format!("SLA policy: levels.{key}.{what} must be positive"));
                }
            }
            if let Some(h) = l.mitigation_hours {
                self.levels[i].mitigation_hours = h;
            }
            if let Some(h) = l.remediation_hours {
                self.levels[i].remediation_hours = h;
            }
        }
        Ok(self)
    }

    /// The effective policy of a project: defaults, then the organization's, then the project's.
    pub fn effective(org: &str, project: &serde_json::Value) -> SlaPolicy {
        let org: serde_json::Value = serde_json::from_str(org).unwrap_or_default();
        let base = SlaPolicy::default();
        let with_org = base.clone().overlay(&org).unwrap_or(base);
        with_org.clone().overlay(project).unwrap_or(with_org)
    }

    /// The ticket level of a severity, if it opens a ticket.
    pub fn level(&self, s: Severity) -> Option<i64> {
        self.severity_levels.get(&s).copied().flatten()
    }

    /// (mitigation, remediation) deadlines of a ticket of `level` opened at `now`.
    pub fn deadlines(&self, level: i64, now: i64) -> (i64, i64) {
        let l = self.levels[(level.clamp(1, 3) - 1) as usize];
        (
            now + l.mitigation_hours * HOUR_MS,
            now + l.remediation_hours * HOUR_MS,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defaults_then_organization_then_project() {
        let p = SlaPolicy::effective("{}", &serde_json::Value::Null);
        assert_eq!(p.level(Severity::High), Some(1));
        assert_eq!(p.level(Severity::Info), None);
        assert_eq!(p.deadlines(2, 0), (7 * 24 * HOUR_MS, 30 * 24 * HOUR_MS));

        let org = r#"{"levels": {"1": {"mitigation_hours": 12}}, "severity_levels": {"info": 3}}"#;
        let project = json!({"levels": {"1": {"remediation_hours": 48}}});
        let p = SlaPolicy::effective(org, &project);
        assert_eq!(p.deadlines(1, 0), (12 * HOUR_MS, 48 * HOUR_MS));
        assert_eq!(p.level(Severity::Info), Some(3));
    }

    #[test]
    fn bad_policies_name_the_key() {
        for (doc, key) in [
            (json!({"levels": {"4": {}}}), "unknown level"),
            (
                json!({"severity_levels": {"severe": 1}}),
                "unknown severity",
            ),
            (
                json!({"levels": {"1": {"mitigation_hours": 0}}}),
                "mitigation_hours",
            ),
            (json!({"deadline": 3}), "unknown field"),
        ] {
            let e = SlaPolicy::check(&doc).unwrap_err();
            assert!(e.contains(key), "{e}");
        }
    }
}
