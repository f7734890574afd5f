//! JUnit XML, as Jenkins and GitLab read it.
//!
//! `<testsuites>` holds one `<testsuite name="gatehouse KIND">` per scanner kind with findings (or,
//! without findings, per kind of the rules that ran; `secrets` when there are none). Every finding
//! is a failed test case, every scan error an errored one, and a clean run one passing test case
//! `no findings`, so that a CI view never shows a run without tests.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use gatehouse_core::{CoverageGap, Finding, ScanError, ScanReport, ScannerKind};

use crate::text::{location_label, push_xml_attr, push_xml_text, short_commit};

enum Case<'a> {
    Finding(&'a Finding),
    Error(&'a ScanError),
    Gap(&'a CoverageGap),
    Pass,
}

struct Suite<'a> {
    kind: ScannerKind,
    cases: Vec<Case<'a>>,
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
}

pub fn render(report: &ScanReport) -> String {
    let suites = suites(report);
    let seconds = seconds(report.stats.duration_ms);
    let tests: usize = suites.iter().map(|s| s.cases.len()).sum();
    let failures: usize = suites.iter().map(Suite::failures).sum();
    let errors: usize = suites.iter().map(Suite::errors).sum();

    let mut x = String::with_capacity(1024 + report.findings.len() * 512);
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        x,
        "<testsuites name=\"gatehouse\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{seconds}\">"
    );
    for (i, suite) in suites.iter().enumerate() {
        let time = if suites.len() == 1 {
            seconds.as_str()
        } else {
            "0"
        };
        let _ = writeln!(
            x,
            "  <testsuite name=\"gatehouse {}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\" time=\"{time}\">",
            suite.kind.as_str(),
            suite.cases.len(),
            suite.failures(),
            suite.errors(),
        );
        for case in &suite.cases {
            match case {
                Case::Finding(f) => finding_case(&mut x, f),
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
        if i == 0 && (!report.stale.is_empty() || !report.warnings.is_empty()) {
            x.push_str("    <system-err>");
            for s in &report.stale {
                let line = match s.line {
                    Some(l) => format!("warning: stale entry in {}:{l}: {}\n", s.source, s.entry),
                    None => format!("warning: stale entry in {}: {}\n", s.source, s.entry),
                };
                push_xml_text(&mut x, &line);
            }
            for w in &report.warnings {
                let line = match (&w.path, w.line) {
                    (Some(p), Some(l)) => format!("warning: {p}:{l}: {}\n", w.message),
                    (Some(p), None) => format!("warning: {p}: {}\n", w.message),
                    _ => format!("warning: {}\n", w.message),
                };
                push_xml_text(&mut x, &line);
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

fn finding_case(x: &mut String, f: &Finding) {
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
    x.push_str(" time=\"0\">\n      <failure type=\"");
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
