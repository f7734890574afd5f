//! Exceptions: approved, expiring decisions that a finding may stay without failing the gate.

use std::collections::BTreeSet;

use gatehouse_core::{Finding, Fingerprint, ScannerKind};
use jiff::civil::Date;

/// A path glob as exceptions write it: `*` stays within a directory, `**` crosses them, and a
/// pattern ending in `/` covers everything below that directory.
#[derive(Debug, Clone)]
pub struct PathPattern {
    text: String,
    matcher: globset::GlobMatcher,
}

impl PathPattern {
    pub fn new(text: &str) -> Result<Self, String> {
        let t = text.trim().trim_start_matches("./");
        if t.is_empty() {
            return Err("an empty path pattern".into());
        }
        let glob = if let Some(dir) = t.strip_suffix('/') {
            format!("{dir}/**")
        } else {
            t.to_string()
        };
        let matcher = globset::GlobBuilder::new(&glob)
            .literal_separator(true)
            .build()
            .map_err(|e| format!("`{text}` is not a valid glob: {}", e.kind()))?
            .compile_matcher();
        Ok(PathPattern {
            text: text.trim().to_string(),
            matcher,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn is_match(&self, path: &str) -> bool {
        self.matcher.is_match(path)
    }
}

impl PartialEq for PathPattern {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for PathPattern {}

/// One exception. Every selector it has must match a finding for it to apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exception {
    /// Its `id`, else where it is written (`gatehouse.toml:12`), or the server's id.
    pub id: String,
    pub rule: Option<String>,
    pub fingerprint: Option<Fingerprint>,
    pub path: Option<PathPattern>,
    /// An advisory id (CVE, GHSA, RUSTSEC, …): the finding's rule or any of its other ids.
    pub advisory: Option<String>,
    pub scanner: Option<ScannerKind>,
    /// The stages it applies in; every stage when empty.
    pub stages: BTreeSet<String>,
    pub reason: String,
    pub approver: String,
    /// The last day it applies.
    pub expires: Date,
    /// `gatehouse.toml:12`, or the server's URL.
    pub source: String,
}

impl Exception {
    /// Whether the exception covers `finding` (its expiry aside).
    pub fn matches(&self, finding: &Finding) -> bool {
        self.scanner.is_none_or(|s| s == finding.scanner)
            && self.rule.as_ref().is_none_or(|r| *r == finding.rule_id)
            && self
                .fingerprint
                .as_ref()
                .is_none_or(|f| *f == finding.fingerprint)
            && self.path.as_ref().is_none_or(|p| {
                finding
                    .location
                    .path
                    .as_deref()
                    .is_some_and(|path| p.is_match(path))
            })
            && self.advisory.as_ref().is_none_or(|a| {
                finding.rule_id.eq_ignore_ascii_case(a)
                    || finding.ids.iter().any(|id| id.eq_ignore_ascii_case(a))
            })
    }

    /// Whether it applies in `stage` at all.
    pub fn in_stage(&self, stage: &str) -> bool {
        self.stages.is_empty() || self.stages.contains(stage)
    }

    /// Whether it still applies on `today` (it does on its expiry day).
    pub fn active_on(&self, today: Date) -> bool {
        today <= self.expires
    }

    /// Whether it can match anything when only `scanners` ran.
    pub fn concerns(&self, scanners: &BTreeSet<ScannerKind>) -> bool {
        match self.scanner {
            Some(s) => scanners.contains(&s),
            // An advisory id only ever names a dependency finding's advisory.
            None if self.advisory.is_some() && self.rule.is_none() => {
                scanners.contains(&ScannerKind::Dependencies)
            }
            None => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use gatehouse_core::{Confidence, Location, Severity};

    use super::*;

    fn finding(rule: &str, path: &str, ids: &[&str]) -> Finding {
        Finding {
            rule_id: rule.into(),
            scanner: ScannerKind::Code,
            severity: Severity::High,
            confidence: Confidence::High,
            title: "t".into(),
            message: "m".into(),
            location: Location {
                path: Some(path.into()),
                start_line: 3,
                ..Location::default()
            },
            cwe: vec![],
            ids: ids.iter().map(|s| s.to_string()).collect(),
            evidence: Default::default(),
            remediation: None,
            fix: None,
            fingerprint: Fingerprint::from_parts([rule, path]),
            properties: Default::default(),
        }
    }

    fn exception() -> Exception {
        Exception {
            id: "EX-1".into(),
            rule: None,
            fingerprint: None,
            path: None,
            advisory: None,
            scanner: None,
            stages: BTreeSet::new(),
            reason: "r".into(),
            approver: "a".into(),
            expires: jiff::civil::date(2027, 1, 31),
            source: "gatehouse.toml:1".into(),
        }
    }

    #[test]
    fn every_selector_must_match() {
        let f = finding("py.sqli", "tests/db/test_q.py", &["CVE-2024-1"]);
        let x = Exception {
            rule: Some("py.sqli".into()),
            path: Some(PathPattern::new("tests/").unwrap()),
            ..exception()
        };
        assert!(x.matches(&f));
        let other_rule = Exception {
            rule: Some("py.xss".into()),
            ..x.clone()
        };
        assert!(!other_rule.matches(&f));
        let other_scanner = Exception {
            scanner: Some(ScannerKind::Secrets),
            ..x.clone()
        };
        assert!(!other_scanner.matches(&f));
        let fp = Exception {
            fingerprint: Some(f.fingerprint.clone()),
            ..exception()
        };
        assert!(fp.matches(&f));
        let adv = Exception {
            advisory: Some("cve-2024-1".into()),
            ..exception()
        };
        assert!(adv.matches(&f));
    }

    #[test]
    fn path_globs_respect_directories() {
        let p = PathPattern::new("src/*.py").unwrap();
        assert!(p.is_match("src/a.py"));
        assert!(!p.is_match("src/sub/a.py"));
        let p = PathPattern::new("./src/**/gen_*.py").unwrap();
        assert!(p.is_match("src/x/y/gen_a.py"));
        assert!(p.is_match("src/gen_a.py"));
        assert!(PathPattern::new("src/[").is_err());
        assert!(PathPattern::new(" ").is_err());
    }

    #[test]
    fn expiry_is_inclusive_and_stages_scope() {
        let x = Exception {
            stages: BTreeSet::from(["release".to_string()]),
            ..exception()
        };
        assert!(x.active_on(jiff::civil::date(2027, 1, 31)));
        assert!(!x.active_on(jiff::civil::date(2027, 2, 1)));
        assert!(x.in_stage("release"));
        assert!(!x.in_stage("commit"));
        assert!(exception().in_stage("commit"));
    }
}
