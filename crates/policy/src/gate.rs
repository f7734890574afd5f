//! The gate's decision: for every finding of every scanner, does it block the pipeline in this
//! stage, and if not, why not.
//!
//! A finding passes, in this order of precedence, when an active exception covers it, when it
//! is below the stage's threshold for its scanner, or when the stage blocks only new findings
//! and it is not new. Everything else blocks.

use std::collections::{BTreeMap, BTreeSet};

use gatehouse_core::{
    Baseline, Decision, ExceptionState, ExceptionStatus, Finding, GateScan, NewCodeBasis,
    ScanReport, ScanWarning, ScannerKind, Verdict, Waiver,
};
use jiff::civil::Date;

use crate::config::Stage;
use crate::diff::DiffBase;
use crate::exception::Exception;

/// Reads the packages of a dependency file's base content: `(path, bytes)` to the set of
/// `(package, version)` it names. The dependency scanner's parsers live elsewhere; the caller
/// passes them in.
pub type PackageReader = Box<dyn Fn(&str, &[u8]) -> Result<BTreeSet<(String, String)>, String>>;

/// What tells new findings from old ones.
pub enum NewCode {
    /// `--baseline FILE`: new = not in the baseline.
    Baseline(Baseline),
    /// `--diff REV`: new = in a line added or changed since REV, in a file added since REV, or
    /// (dependencies) a package version the base's dependency file did not have.
    Diff {
        base: Box<DiffBase>,
        packages: PackageReader,
        /// Per dependency file: the base's packages, or `None` when the file is new.
        cache: BTreeMap<String, Option<BTreeSet<(String, String)>>>,
    },
}

impl NewCode {
    pub fn diff(base: DiffBase, packages: PackageReader) -> Self {
        NewCode::Diff {
            base: Box::new(base),
            packages,
            cache: BTreeMap::new(),
        }
    }

    pub fn basis(&self) -> NewCodeBasis {
        match self {
            NewCode::Baseline(_) => NewCodeBasis::Baseline,
            NewCode::Diff { .. } => NewCodeBasis::Diff,
        }
    }

    /// Whether `f` is new; an error when that cannot be told (the caller then treats it as new).
    fn is_new(&mut self, f: &Finding) -> Result<bool, String> {
        let (base, packages, cache) = match self {
            NewCode::Baseline(b) => return Ok(!b.contains(&f.fingerprint)),
            NewCode::Diff {
                base,
                packages,
                cache,
            } => (base, packages, cache),
        };
        let Some(path) = f.location.path.as_deref() else {
            // Nothing to compare a location-less finding with: it counts as new.
            return Ok(true);
        };
        let package = |key: &str| f.properties.get(key).and_then(|v| v.as_str());
        if let (ScannerKind::Dependencies, Some(name), Some(version)) =
            (f.scanner, package("package"), package("version"))
        {
            if !cache.contains_key(path) {
                let set = match base.base_content(path).map_err(|e| e.to_string())? {
                    None => None,
                    Some(bytes) => Some(packages(path, &bytes).map_err(|e| {
                        format!("{path} at {}: cannot read its packages: {e}", base.rev())
                    })?),
                };
                cache.insert(path.to_string(), set);
            }
            return Ok(match &cache[path] {
                None => true,
                Some(set) => !set.contains(&(name.to_string(), version.to_string())),
            });
        }
        let change = base.change(path).map_err(|e| e.to_string())?;
        Ok(change.touches(f.location.start_line, f.location.end_line))
    }
}

/// The policy of one gate run.
pub struct Policy<'a> {
    pub stage: &'a Stage,
    pub exceptions: &'a [Exception],
    /// The day exceptions' expiry is measured against.
    pub today: Date,
    /// Coverage gaps (packages the advisory database cannot speak for) do not make the run
    /// incomplete.
    pub accept_gaps: bool,
}

/// What the policy made of the scanners' reports.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub scans: Vec<GateScan>,
    pub exceptions: Vec<ExceptionStatus>,
    pub verdict: Verdict,
}

/// Decides every finding of `reports` (one per scanner that ran).
pub fn decide(
    reports: Vec<(ScannerKind, ScanReport)>,
    policy: &Policy,
    mut new_code: Option<&mut NewCode>,
) -> Outcome {
    let ran: BTreeSet<ScannerKind> = reports.iter().map(|(k, _)| *k).collect();
    let exceptions: Vec<&Exception> = policy
        .exceptions
        .iter()
        .filter(|x| x.in_stage(&policy.stage.name) && x.concerns(&ran))
        .collect();
    let mut applied = vec![0u64; exceptions.len()];
    let mut expired = vec![0u64; exceptions.len()];
    let mut scans = Vec::new();
    for (scanner, mut report) in reports {
        report.sort();
        let threshold = policy.stage.fail_on.of(scanner);
        let mut decisions = Vec::with_capacity(report.findings.len());
        let mut warnings = Vec::new();
        for f in &report.findings {
            let mut exception = None;
            for (i, x) in exceptions.iter().enumerate() {
                if !x.matches(f) {
                    continue;
                }
                if x.active_on(policy.today) {
                    if exception.is_none() {
                        applied[i] += 1;
                        exception = Some(*x);
                    }
                } else {
                    expired[i] += 1;
                }
            }
            let decision = if let Some(x) = exception {
                Decision::Passes {
                    waiver: Waiver::Exception {
                        id: x.id.clone(),
                        reason: x.reason.clone(),
                        approver: x.approver.clone(),
                        expires: x.expires.to_string(),
                    },
                }
            } else if threshold.is_none_or(|t| f.severity < t) {
                Decision::Passes {
                    waiver: Waiver::BelowThreshold { threshold },
                }
            } else {
                let basis = new_code.as_deref_mut().and_then(|nc| {
                    let new = nc.is_new(f).unwrap_or_else(|message| {
                        warnings.push(ScanWarning {
                            path: f.location.path.clone(),
                            line: None,
                            message: format!(
                                "cannot tell whether this finding is new, so it counts as new: \
                                 {message}"
                            ),
                        });
                        true
                    });
                    (!new).then(|| nc.basis())
                });
                match basis {
                    Some(basis) if policy.stage.new_only => Decision::Passes {
                        waiver: Waiver::NotNew { basis },
                    },
                    _ => Decision::Blocks,
                }
            };
            decisions.push(decision);
        }
        report.warnings.extend(warnings);
        report.warnings.sort();
        scans.push(GateScan {
            scanner,
            report,
            decisions,
        });
    }
    scans.sort_by_key(|s| s.scanner);
    let exceptions = exceptions
        .iter()
        .enumerate()
        .map(|(i, x)| ExceptionStatus {
            id: x.id.clone(),
            source: x.source.clone(),
            reason: x.reason.clone(),
            approver: x.approver.clone(),
            expires: x.expires.to_string(),
            state: if !x.active_on(policy.today) {
                ExceptionState::Expired { count: expired[i] }
            } else if applied[i] > 0 {
                ExceptionState::Applied { count: applied[i] }
            } else {
                ExceptionState::Unused
            },
        })
        .collect();
    let verdict = verdict(&scans, policy.accept_gaps);
    Outcome {
        scans,
        exceptions,
        verdict,
    }
}

/// Blocked when anything blocks; else incomplete when anything could not be read or checked;
/// else pass.
pub fn verdict(scans: &[GateScan], accept_gaps: bool) -> Verdict {
    if scans.iter().any(|s| s.blocking() > 0) {
        Verdict::Blocked
    } else if scans
        .iter()
        .any(|s| !s.report.errors.is_empty() || (!accept_gaps && !s.report.gaps.is_empty()))
    {
        Verdict::Incomplete
    } else {
        Verdict::Pass
    }
}

#[cfg(test)]
mod tests {
    use gatehouse_core::{Confidence, Fingerprint, Location, ScanError, Severity};

    use super::*;
    use crate::config::Config;
    use crate::exception::PathPattern;

    fn finding(scanner: ScannerKind, severity: Severity, rule: &str, path: &str) -> Finding {
        Finding {
            rule_id: rule.into(),
            scanner,
            severity,
            confidence: Confidence::High,
            title: "t".into(),
            message: "m".into(),
            location: Location {
                path: Some(path.into()),
                start_line: 2,
                end_line: 2,
                ..Location::default()
            },
            cwe: vec![],
            ids: vec![],
            evidence: Default::default(),
            remediation: None,
            fix: None,
            fingerprint: Fingerprint::from_parts([rule, path]),
            properties: Default::default(),
        }
    }

    fn report(findings: Vec<Finding>) -> ScanReport {
        ScanReport {
            findings,
            ..ScanReport::default()
        }
    }

    fn exception(rule: &str, expires: Date) -> Exception {
        Exception {
            id: "EX-1".into(),
            rule: Some(rule.into()),
            fingerprint: None,
            path: None,
            advisory: None,
            scanner: None,
            stages: BTreeSet::new(),
            reason: "accepted".into(),
            approver: "sec@bank.example".into(),
            expires,
            source: "gatehouse.toml:3".into(),
        }
    }

    fn today() -> Date {
        jiff::civil::date(2026, 12, 6)
    }

    #[test]
    fn thresholds_exceptions_and_expiry() {
        let config = Config::defaults(std::path::Path::new("."));
        let stage = config.stage("merge-request").unwrap();
        let scans = || {
            vec![
                (
                    ScannerKind::Code,
                    report(vec![
                        finding(ScannerKind::Code, Severity::High, "sqli", "a.py"),
                        finding(ScannerKind::Code, Severity::Medium, "weak-hash", "a.py"),
                    ]),
                ),
                (
                    ScannerKind::Secrets,
                    report(vec![finding(
                        ScannerKind::Secrets,
                        Severity::Critical,
                        "aws",
                        "c.env",
                    )]),
                ),
            ]
        };
        let none: [Exception; 0] = [];
        let policy = Policy {
            stage,
            exceptions: &none,
            today: today(),
            accept_gaps: false,
        };
        let out = decide(scans(), &policy, None);
        assert_eq!(out.verdict, Verdict::Blocked);
        assert_eq!(out.scans[0].scanner, ScannerKind::Secrets, "sorted by kind");
        assert_eq!(out.scans[1].decisions[0], Decision::Blocks);
        assert_eq!(
            out.scans[1].decisions[1],
            Decision::Passes {
                waiver: Waiver::BelowThreshold {
                    threshold: Some(Severity::High)
                }
            }
        );

        let active = [
            exception("sqli", jiff::civil::date(2026, 12, 6)),
            Exception {
                id: "EX-2".into(),
                path: Some(PathPattern::new("*.env").unwrap()),
                rule: None,
                ..exception("", jiff::civil::date(2027, 1, 1))
            },
            Exception {
                id: "EX-3".into(),
                ..exception("never-seen", jiff::civil::date(2027, 1, 1))
            },
        ];
        let policy = Policy {
            exceptions: &active,
            ..policy
        };
        let out = decide(scans(), &policy, None);
        assert_eq!(out.verdict, Verdict::Pass);
        assert!(matches!(
            &out.scans[1].decisions[0],
            Decision::Passes { waiver: Waiver::Exception { id, .. } } if id == "EX-1"
        ));
        let states: Vec<_> = out.exceptions.iter().map(|x| x.state.clone()).collect();
        assert_eq!(
            states,
            [
                ExceptionState::Applied { count: 1 },
                ExceptionState::Applied { count: 1 },
                ExceptionState::Unused
            ]
        );

        let expired = [exception("sqli", jiff::civil::date(2026, 12, 5))];
        let policy = Policy {
            exceptions: &expired,
            ..policy
        };
        let out = decide(scans(), &policy, None);
        assert_eq!(out.scans[1].decisions[0], Decision::Blocks);
        assert_eq!(
            out.exceptions[0].state,
            ExceptionState::Expired { count: 1 }
        );
    }

    #[test]
    fn new_only_stages_pass_old_findings_and_release_blocks_them() {
        let config = Config::defaults(std::path::Path::new("."));
        let old = finding(ScannerKind::Code, Severity::High, "sqli", "old.py");
        let new = finding(ScannerKind::Code, Severity::High, "sqli", "new.py");
        let baseline_text = Baseline::render([&old], "test");
        let mut nc = NewCode::Baseline(Baseline::parse("b.json", &baseline_text).unwrap());
        let none: [Exception; 0] = [];
        let run = |stage: &str, nc: &mut NewCode| {
            let policy = Policy {
                stage: config.stage(stage).unwrap(),
                exceptions: &none,
                today: today(),
                accept_gaps: false,
            };
            decide(
                vec![(ScannerKind::Code, report(vec![new.clone(), old.clone()]))],
                &policy,
                Some(nc),
            )
        };
        let out = run("merge-request", &mut nc);
        let by_path: BTreeMap<&str, &Decision> = out.scans[0]
            .findings()
            .map(|(f, d)| (f.location.path.as_deref().unwrap(), d))
            .collect();
        assert_eq!(by_path["new.py"], &Decision::Blocks);
        assert_eq!(
            by_path["old.py"],
            &Decision::Passes {
                waiver: Waiver::NotNew {
                    basis: NewCodeBasis::Baseline
                }
            }
        );
        let out = run("release", &mut nc);
        assert_eq!(
            out.scans[0].blocking(),
            2,
            "release blocks old findings too"
        );
    }

    #[test]
    fn errors_and_gaps_make_a_run_incomplete() {
        let config = Config::defaults(std::path::Path::new("."));
        let none: [Exception; 0] = [];
        let policy = Policy {
            stage: config.stage("merge-request").unwrap(),
            exceptions: &none,
            today: today(),
            accept_gaps: false,
        };
        let mut r = report(vec![]);
        r.errors.push(ScanError {
            path: Some("x".into()),
            message: "unreadable".into(),
        });
        let out = decide(vec![(ScannerKind::Secrets, r)], &policy, None);
        assert_eq!(out.verdict, Verdict::Incomplete);
        let mut r = report(vec![]);
        r.gaps.push(gatehouse_core::CoverageGap {
            scope: "npm packages".into(),
            count: 3,
            reason: "no data".into(),
        });
        let out = decide(vec![(ScannerKind::Dependencies, r.clone())], &policy, None);
        assert_eq!(out.verdict, Verdict::Incomplete);
        let accepting = Policy {
            accept_gaps: true,
            ..policy
        };
        let out = decide(vec![(ScannerKind::Dependencies, r)], &accepting, None);
        assert_eq!(out.verdict, Verdict::Pass);
    }
}
