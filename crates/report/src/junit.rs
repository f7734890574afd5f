//! JUnit XML, as Jenkins and GitLab read it.
//!
//! A gate report ([`render_gate`]) has one suite per scanner that ran, one case per finding:
//! blocking findings fail, the others are `<skipped>` with the reason they pass, scan errors and
//! coverage gaps are errored cases; each suite's `<system-err>` lists its stale entries and warnings,
//! and the first suite's also the exceptions that expired or matched nothing.
//!
//! A scan report:
//! `<testsuites>` holds one `<testsuite name="gatehouse KIND">` per scanner kind with findings (or,
//! without findings, per kind of the rules that ran; `secrets` when there are none). Every finding
//! is a failed test case, every scan error an errored one, and a clean run one passing test case
//! `no findings`, so that a CI view never shows a run without tests.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use gatehouse_core::{
    CoverageGap, Decision, ExceptionState, Finding, GateReport, ScanError, ScanReport, ScannerKind,
};

use crate::text::{location_label, plural, push_xml_attr, push_xml_text, short_commit};

enum Case<'a> {
    Finding(&'a Finding),
    /// A finding that does not fail the gate, and why.
    Skipped(&'a Finding, String),
    Error(&'a ScanError),
    Gap(&'a CoverageGap),
    Pass,
}

struct Suite<'a> {
    kind: ScannerKind,
    cases: Vec<Case<'a>>,
    /// Lines for `<system-err>`: stale entries, warnings, exceptions.
    notes: Vec<String>,
    /// `time`, in seconds as written.
    time: String,
}

impl Suite<'_> {
    fn failures(&self) -> usize {
        self.cases
            .iter()
            .filter(|c| matches!(c, Case::Finding(_)))
            .count()
    }

    fn errors(&self) -> usize {
        self.cases
            .iter()
            .filter(|c| matches!(c, Case::Error(_) | Case::Gap(_)))
            .count()
    }

    fn skipped(&self) -> usize {
        self.cases
            .iter()
            .filter(|c| matches!(c, Case::Skipped(..)))
            .count()
    }
}

pub fn render(report: &ScanReport) -> String {
    let mut suites = suites(report);
    let seconds = seconds(report.stats.duration_ms);
    if suites.len() == 1 {
        suites[0].time = seconds.clone();
    }
    suites[0].notes = notes(report);
    write(&suites, &seconds, report.findings.len())
}

/// One suite per scan of the gate, in the report's order.
pub fn render_gate(gate: &GateReport) -> String {
    let mut suites: Vec<Suite> = gate
        .scans
        .iter()
        .map(|scan| {
            let report = &scan.report;
            let mut cases: Vec<Case> = scan
                .findings()
                .map(|(f, d)| match d {
                    Decision::Blocks => Case::Finding(f),
                    Decision::Passes { waiver } => {
                        Case::Skipped(f, crate::gate::waiver_reason(waiver, f, &gate.context))
                    }
                })
                .collect();
            cases.extend(report.errors.iter().map(Case::Error));
            cases.extend(report.gaps.iter().map(Case::Gap));
            if cases.is_empty() {
                cases.push(Case::Pass);
            }
            Suite {
                kind: scan.scanner,
                cases,
                notes: notes(report),
                time: seconds(report.stats.duration_ms),
            }
        })
        .collect();
    if let Some(first) = suites.first_mut() {
        for e in &gate.exceptions {
            let line = match &e.state {
                ExceptionState::Expired { count } => format!(
                    "warning: exception {} ({}) expired on {} and no longer applies; {} would \
                     have matched\n",
                    e.id,
                    e.source,
                    e.expires,
                    plural(*count, "finding", "findings")
                ),
                ExceptionState::Unused => format!(
                    "warning: exception {} ({}) matched nothing (stale)\n",
                    e.id, e.source
                ),
                ExceptionState::Applied { .. } => continue,
            };
            first.notes.push(line);
        }
    }
    write(&suites, &seconds(gate.duration_ms), gate.total())
}

/// Stale entries and warnings of a scan, one `warning:` line each.
fn notes(report: &ScanReport) -> Vec<String> {
    let mut notes = Vec::new();
    for s in &report.stale {
        notes.push(match s.line {
            Some(l) => format!("warning: stale entry in {}:{l}: {}\n", s.source, s.entry),
            None => format!("warning: stale entry in {}: {}\n", s.source, s.entry),
        });
    }
    for w in &report.warnings {
        notes.push(match (&w.path, w.line) {
            (Some(p), Some(l)) => format!("warning: {p}:{l}: {}\n", w.message),
            (Some(p), None) => format!("warning: {p}: {}\n", w.message),
            _ => format!("warning: {}\n", w.message),
        });
    }
    notes
}

fn write(suites: &[Suite], seconds: &str, findings: usize) -> String {
    let tests: usize = suites.iter().map(|s| s.cases.len()).sum();
    let failures: usize = suites.iter().map(Suite::failures).sum();
    let errors: usize = suites.iter().map(Suite::errors).sum();
    let skipped: usize = suites.iter().map(Suite::skipped).sum();

    let mut x = String::with_capacity(1024 + findings * 512);
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        x,
        "<testsuites name=\"gatehouse\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\" time=\"{seconds}\">"
    );
    for suite in suites {
        let _ = writeln!(
            x,
            "  <testsuite name=\"gatehouse {}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\">",
            suite.kind.as_str(),
            suite.cases.len(),
            suite.failures(),
            suite.errors(),
            suite.skipped(),
            suite.time,
        );
        for case in &suite.cases {
            match case {
                Case::Finding(f) => finding_case(&mut x, f),
                Case::Skipped(f, why) => skipped_case(&mut x, f, why),
                Case::Error(e) => error_case(&mut x, suite.kind, e),
                Case::Gap(g) => gap_case(&mut x, suite.kind, g),
                Case::Pass => {
                    let _ = writeln!(
                        x,
                        "    <testcase classname=\"{}\" name=\"no findings\" time=\"0\"/>",
                        suite.kind.as_str()
                    );
                }
            }
        }
        if !suite.notes.is_empty() {
            x.push_str("    <system-err>");
            for line in &suite.notes {
                push_xml_text(&mut x, line);
            }
            x.push_str("</system-err>\n");
        }
        x.push_str("  </testsuite>\n");
    }
    x.push_str("</testsuites>\n");
    x
}

/// One suite per scanner kind with findings; errors (and the passing case of a clean run) go to
/// the first suite.
fn suites(report: &ScanReport) -> Vec<Suite<'_>> {
    let mut kinds: BTreeSet<ScannerKind> = report.findings.iter().map(|f| f.scanner).collect();
    if kinds.is_empty() {
        kinds = report.rules.values().map(|r| r.scanner).collect();
    }
    if kinds.is_empty() {
        kinds.insert(ScannerKind::Secrets);
    }
    let mut suites: Vec<Suite> = kinds
        .into_iter()
        .map(|kind| Suite {
            kind,
            notes: Vec::new(),
            time: "0".to_string(),
            cases: report
                .findings
                .iter()
                .filter(|f| f.scanner == kind)
                .map(Case::Finding)
                .collect(),
        })
        .collect();
    let first = &mut suites[0];
    first.cases.extend(report.errors.iter().map(Case::Error));
    first.cases.extend(report.gaps.iter().map(Case::Gap));
    if report.findings.is_empty() && report.errors.is_empty() && report.gaps.is_empty() {
        first.cases.push(Case::Pass);
    }
    suites
}

fn seconds(ms: u64) -> String {
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

/// `path:line title (commit 1a2b3c4d)`.
fn case_name(f: &Finding) -> String {
    let loc = &f.location;
    let mut name = match (&loc.path, &loc.host) {
        (Some(p), _) if loc.start_line > 0 => format!("{p}:{} ", loc.start_line),
        (Some(p), _) => format!("{p} "),
        (None, Some(_)) => format!("{} ", location_label(loc)),
        (None, None) => String::new(),
    };
    name.push_str(if f.title.is_empty() {
        &f.rule_id
    } else {
        &f.title
    });
    if let Some(c) = &loc.commit {
        let _ = write!(name, " (commit {})", short_commit(&c.id, 8));
    }
    name
}

/// The opening `<testcase …>` of a finding, without the closing `>`.
fn open_finding_case(x: &mut String, f: &Finding) {
    x.push_str("    <testcase classname=\"");
    push_xml_attr(x, &format!("{}.{}", f.scanner.as_str(), f.rule_id));
    x.push_str("\" name=\"");
    push_xml_attr(x, &case_name(f));
    x.push('"');
    if let Some(p) = &f.location.path {
        x.push_str(" file=\"");
        push_xml_attr(x, p);
        x.push('"');
    }
    x.push_str(" time=\"0\"");
}

fn finding_case(x: &mut String, f: &Finding) {
    open_finding_case(x, f);
    x.push_str(">\n      <failure type=\"");
    push_xml_attr(x, f.severity.as_str());
    x.push_str("\" message=\"");
    let message = if f.message.is_empty() {
        &f.title
    } else {
        &f.message
    };
    push_xml_attr(x, message);
    x.push_str("\">");
    push_xml_text(x, &details(f));
    x.push_str("</failure>\n    </testcase>\n");
}

/// A finding that passes the gate: Jenkins shows it as skipped, with the reason, without failing.
fn skipped_case(x: &mut String, f: &Finding, why: &str) {
    open_finding_case(x, f);
    x.push_str(">\n      <skipped message=\"");
    push_xml_attr(x, why);
    x.push_str("\"/>\n    </testcase>\n");
}

/// The failure body: everything a reader needs to find and judge the finding, secret masked.
fn details(f: &Finding) -> String {
    let mut d = String::new();
    let _ = writeln!(
        d,
        "{}",
        if f.message.is_empty() {
            &f.title
        } else {
            &f.message
        }
    );
    let _ = writeln!(d, "Rule: {} ({})", f.rule_id, f.title);
    let _ = writeln!(
        d,
        "Severity: {} (confidence {})",
        f.severity.as_str(),
        f.confidence.as_str()
    );
    let _ = writeln!(d, "Location: {}", location_label(&f.location));
    if let Some(c) = &f.location.commit {
        let _ = writeln!(
            d,
            "Commit: {} by {} <{}> on {}",
            c.id, c.author_name, c.author_email, c.date
        );
    }
    if let Some(s) = &f.evidence.secret {
        let _ = writeln!(d, "Secret: {} (sha256 {})", s.masked, s.sha256);
        if let Some(plain) = &s.plain {
            let _ = writeln!(d, "Secret value: {plain}");
        }
    }
    if let Some(snippet) = &f.evidence.snippet {
        let _ = writeln!(d, "Evidence: {}", snippet.trim_end());
    }
    if !f.cwe.is_empty() {
        let _ = writeln!(d, "CWE: {}", f.cwe.join(", "));
    }
    if !f.ids.is_empty() {
        let _ = writeln!(d, "Ids: {}", f.ids.join(", "));
    }
    if let Some(fix) = &f.fix {
        let _ = writeln!(d, "Fix: {fix}");
    }
    if let Some(r) = &f.remediation {
        let _ = writeln!(d, "Remediation: {r}");
    }
    let _ = write!(d, "Fingerprint: {}", f.fingerprint);
    d
}

fn error_case(x: &mut String, kind: ScannerKind, e: &ScanError) {
    let _ = write!(
        x,
        "    <testcase classname=\"{}.error\" name=\"",
        kind.as_str()
    );
    let name = match &e.path {
        Some(p) => format!("error: {p}"),
        None => "error".to_string(),
    };
    push_xml_attr(x, &name);
    x.push('"');
    if let Some(p) = &e.path {
        x.push_str(" file=\"");
        push_xml_attr(x, p);
        x.push('"');
    }
    x.push_str(" time=\"0\">\n      <error type=\"scan-error\" message=\"");
    push_xml_attr(x, &e.message);
    x.push_str("\">");
    let body = match &e.path {
        Some(p) => format!("{p}: {}", e.message),
        None => e.message.clone(),
    };
    push_xml_text(x, &body);
    x.push_str("</error>\n    </testcase>\n");
}

/// A coverage gap is an errored case: the check it stands for did not run.
fn gap_case(x: &mut String, kind: ScannerKind, g: &CoverageGap) {
    let _ = write!(
        x,
        "    <testcase classname=\"{}.not-checked\" name=\"",
        kind.as_str()
    );
    push_xml_attr(x, &format!("not checked: {} {}", g.count, g.scope));
    x.push_str("\" time=\"0\">\n      <error type=\"coverage-gap\" message=\"");
    push_xml_attr(x, &g.reason);
    x.push_str("\">");
    push_xml_text(
        x,
        &format!("{} {} not checked: {}", g.count, g.scope, g.reason),
    );
    x.push_str("</error>\n    </testcase>\n");
}
