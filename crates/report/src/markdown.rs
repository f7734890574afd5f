//! The gate's `markdown` format: a merge-request comment (GitHub and GitLab flavoured Markdown).
//!
//! A verdict heading, counts by scanner and severity, the blocking findings as a table, the others
//! inside `<details>`, then expired and unused exceptions, scan errors and coverage gaps.
//!
//! Every string from the report is escaped ([`text`], [`code`]): Markdown and HTML syntax, table
//! pipes, line breaks, `@` mentions, `#`/`!` references and `$` math cannot act. The comment stays
//! under GitHub's limit of 65,536 characters: tables list at most [`MAX_ROWS`] rows, lists at most
//! [`MAX_ITEMS`] items, cells are cut at [`MAX_CELL`] characters, and rows stop early (with "and N
//! more") when the comment would grow past [`BUDGET`]. Secrets appear only as the scanner's masked
//! preview (and this format shows no evidence at all).

use std::fmt::Write as _;

use gatehouse_core::{Decision, ExceptionState, Finding, GateReport, Severity, Verdict};

use crate::gate::{
    exception_count, incomplete_parts, verdict_label, waiver_counts, waiver_reason, ScanCounts,
    WaiverClass,
};
use crate::text::{
    human_duration, location_label, plural, short_commit, thousands, truncate_chars,
};

/// Rows of a findings table.
const MAX_ROWS: usize = 50;
/// Items of a list (exceptions, errors).
const MAX_ITEMS: usize = 20;
/// Characters of one cell or list item, before escaping.
const MAX_CELL: usize = 100;
/// The comment stops adding rows and items at this many characters; what follows the last table
/// (closing tags, "and N more", the footer) fits in the rest of GitHub's 65,536.
const BUDGET: usize = 60_000;

/// A document that counts its characters (GitHub's limit is in characters).
struct Doc {
    text: String,
    chars: usize,
}

impl Doc {
    fn push(&mut self, s: &str) {
        self.chars += s.chars().count();
        self.text.push_str(s);
    }

    /// Whether `s` can still be added within the budget.
    fn fits(&self, s: &str) -> bool {
        self.chars + s.chars().count() <= BUDGET
    }
}

pub fn render(report: &GateReport) -> String {
    let mut doc = Doc {
        text: String::new(),
        chars: 0,
    };
    heading(&mut doc, report);
    counts(&mut doc, report);
    blocking(&mut doc, report);
    passing(&mut doc, report);
    exceptions(&mut doc, report);
    problems(&mut doc, report);
    let duration = human_duration(report.duration_ms);
    doc.push(&format!(
        "\n<sub>{} {} · {duration}</sub>\n",
        text(&report.tool),
        text(&report.version)
    ));
    doc.text
}

fn heading(doc: &mut Doc, report: &GateReport) {
    let icon = match report.verdict {
        Verdict::Pass => "✅",
        Verdict::Blocked => "❌",
        Verdict::Incomplete => "⚠️",
    };
    doc.push(&format!(
        "## {icon} Gatehouse gate: {} (stage {})\n\n",
        verdict_label(report),
        text(&report.stage)
    ));
    let total = report.total() as u64;
    let blocking = report.blocking() as u64;
    let mut line = if blocking > 0 {
        format!(
            "**{} of {} block**",
            thousands(blocking),
            plural(total, "finding", "findings")
        )
    } else if total > 0 {
        format!(
            "**No finding blocks** ({} reported)",
            plural(total, "finding", "findings")
        )
    } else {
        "**No findings**".to_string()
    };
    let incomplete = incomplete_parts(report);
    if !incomplete.is_empty() {
        let joint = if blocking > 0 { "and" } else { "but" };
        let _ = write!(
            line,
            ", {joint} the result is **incomplete**: {}",
            incomplete.join(", ")
        );
    }
    let ctx = &report.context;
    if let Some(c) = &ctx.commit {
        let _ = write!(line, " · commit {}", code(short_commit(c, 12), false));
    }
    if let Some(b) = &ctx.branch {
        let _ = write!(line, " · branch {}", text(b));
    }
    if let Some(p) = &ctx.pipeline {
        let _ = write!(line, " · pipeline {}", text(p));
    }
    if let Some(rev) = &ctx.diff_base {
        let _ = write!(line, " · new code since {}", text(rev));
    }
    if let Some(b) = &ctx.baseline {
        let _ = write!(line, " · baseline {}", text(b));
    }
    line.push_str("\n\n");
    doc.push(&line);
}

fn counts(doc: &mut Doc, report: &GateReport) {
    if report.scans.is_empty() {
        doc.push("No scanner ran.\n");
        return;
    }
    doc.push("| scanner | critical | high | medium | low | info | blocking |\n");
    doc.push("|---|--:|--:|--:|--:|--:|--:|\n");
    let mut total = ScanCounts::zero();
    let row = |name: &str, c: &ScanCounts| {
        let mut r = format!("| {name} |");
        for n in c.by_severity {
            let _ = write!(r, " {} |", thousands(n as u64));
        }
        if c.blocking > 0 {
            let _ = writeln!(r, " **{}** |", thousands(c.blocking as u64));
        } else {
            r.push_str(" 0 |\n");
        }
        r
    };
    for scan in &report.scans {
        let c = ScanCounts::of(scan);
        total.add(&c);
        doc.push(&row(scan.scanner.as_str(), &c));
    }
    if report.scans.len() > 1 {
        doc.push(&row("**total**", &total));
    }
}

fn finding_cells(f: &Finding) -> String {
    let severity = match f.severity {
        Severity::Critical | Severity::High => format!("**{}**", f.severity),
        _ => f.severity.to_string(),
    };
    let location = location_label(&f.location);
    let mut title = text(&truncate_chars(&f.title, MAX_CELL));
    if let Some(c) = &f.location.commit {
        let _ = write!(title, " (commit {})", code(short_commit(&c.id, 8), true));
    }
    format!(
        "| {severity} | {} | {} | {title} |",
        text(&truncate_chars(&f.rule_id, MAX_CELL)),
        code(&truncate_chars(&location, MAX_CELL), true),
    )
}

fn blocking(doc: &mut Doc, report: &GateReport) {
    let findings: Vec<&Finding> = report
        .scans
        .iter()
        .flat_map(|s| s.findings())
        .filter(|(_, d)| d.blocks())
        .map(|(f, _)| f)
        .collect();
    if findings.is_empty() {
        return;
    }
    doc.push(&format!(
        "\n### Blocking findings ({})\n\n| severity | rule | location | title |\n|---|---|---|---|\n",
        thousands(findings.len() as u64)
    ));
    let mut shown = 0;
    for f in findings.iter().take(MAX_ROWS) {
        let row = format!("{}\n", finding_cells(f));
        if !doc.fits(&row) {
            break;
        }
        doc.push(&row);
        shown += 1;
    }
    more(doc, findings.len() - shown, "blocking findings");
}

fn passing(doc: &mut Doc, report: &GateReport) {
    let findings: Vec<(&Finding, String)> = report
        .scans
        .iter()
        .flat_map(|s| s.findings())
        .filter_map(|(f, d)| match d {
            Decision::Passes { waiver } => Some((f, waiver_reason(waiver, f, &report.context))),
            Decision::Blocks => None,
        })
        .collect();
    if findings.is_empty() {
        return;
    }
    let mut parts = Vec::new();
    let mut by_exception = 0;
    for (class, n) in waiver_counts(report) {
        match class {
            WaiverClass::BelowThreshold => {
                parts.push(format!("{} below threshold", thousands(n as u64)))
            }
            WaiverClass::NotNew(basis) => {
                parts.push(format!("{} not new ({basis})", thousands(n as u64)))
            }
            WaiverClass::Exception(_) => by_exception += n,
        }
    }
    if by_exception > 0 {
        parts.push(format!("{} by exception", thousands(by_exception as u64)));
    }
    doc.push(&format!(
        "\n<details><summary>{} not blocking: {}</summary>\n\n\
         | severity | rule | location | title | why it passes |\n|---|---|---|---|---|\n",
        plural(findings.len() as u64, "finding", "findings"),
        parts.join(", ")
    ));
    let mut shown = 0;
    for (f, why) in findings.iter().take(MAX_ROWS) {
        let row = format!(
            "{} {} |\n",
            finding_cells(f),
            text(&truncate_chars(why, MAX_CELL * 2))
        );
        if !doc.fits(&row) {
            break;
        }
        doc.push(&row);
        shown += 1;
    }
    more(doc, findings.len() - shown, "findings");
    doc.push("\n</details>\n");
}

/// `_… and 12 more blocking findings (see the job's other reports)._`
fn more(doc: &mut Doc, hidden: usize, what: &str) {
    if hidden > 0 {
        doc.push(&format!(
            "\n_… and {} more {what}: the SARIF and JSON reports list them all._\n",
            thousands(hidden as u64)
        ));
    }
}

/// Adds list items while they fit; then says how many were left out.
fn list(doc: &mut Doc, items: &[String]) {
    let mut shown = 0;
    for item in items.iter().take(MAX_ITEMS) {
        let line = format!("- {item}\n");
        if !doc.fits(&line) {
            break;
        }
        doc.push(&line);
        shown += 1;
    }
    if items.len() > shown {
        doc.push(&format!(
            "- _… and {} more_\n",
            thousands((items.len() - shown) as u64)
        ));
    }
}

fn exceptions(doc: &mut Doc, report: &GateReport) {
    let cut = |s: &str| text(&truncate_chars(s, MAX_CELL));
    let expired: Vec<String> = report
        .exceptions
        .iter()
        .filter(|e| matches!(e.state, ExceptionState::Expired { .. }))
        .map(|e| {
            format!(
                "**{}** ({}) expired {}, approved by {}: {}. {} would have matched.",
                cut(&e.id),
                cut(&e.source),
                cut(&e.expires),
                cut(&e.approver),
                cut(&e.reason),
                plural(
                    exception_count(&e.state).unwrap_or(0),
                    "finding",
                    "findings"
                )
            )
        })
        .collect();
    if !expired.is_empty() {
        doc.push(
            "\n### Expired exceptions\n\nThese no longer apply: the findings they matched are \
             judged without them.\n\n",
        );
        list(doc, &expired);
    }
    let unused: Vec<String> = report
        .exceptions
        .iter()
        .filter(|e| e.state == ExceptionState::Unused)
        .map(|e| {
            format!(
                "**{}** ({}), expires {}: matched nothing",
                cut(&e.id),
                cut(&e.source),
                cut(&e.expires)
            )
        })
        .collect();
    if !unused.is_empty() {
        doc.push("\n### Unused exceptions\n\nStale: remove them or fix what they match.\n\n");
        list(doc, &unused);
    }
}

fn problems(doc: &mut Doc, report: &GateReport) {
    let mut items = Vec::new();
    for scan in &report.scans {
        let kind = scan.scanner.as_str();
        for e in &scan.report.errors {
            let mut item = format!("**{kind}** error: ");
            if let Some(p) = &e.path {
                let _ = write!(item, "{}: ", code(&truncate_chars(p, MAX_CELL), false));
            }
            item.push_str(&text(&truncate_chars(&e.message, MAX_CELL * 2)));
            items.push(item);
        }
        for g in &scan.report.gaps {
            items.push(format!(
                "**{kind}** not checked: {} {}: {}",
                thousands(g.count),
                text(&truncate_chars(&g.scope, MAX_CELL)),
                text(&truncate_chars(&g.reason, MAX_CELL * 2))
            ));
        }
    }
    if !items.is_empty() {
        doc.push(
            "\n### Scan errors and coverage gaps\n\nWhat could not be scanned or checked: the \
             result is not clean.\n\n",
        );
        list(doc, &items);
    }
}

/// Characters that could act in Markdown or HTML, mention someone or start math.
fn needs_escape(c: char) -> bool {
    matches!(
        c,
        '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' | '~' | '#' | '!' | '@' | '$'
    )
}

/// Characters shown as U+FFFD: controls and bidirectional overrides.
fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` as literal Markdown text, safe in a table cell or a list item: ASCII punctuation that could
/// act is backslash-escaped, line breaks and tabs become spaces, controls become U+FFFD.
pub(crate) fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if is_hidden(c) => out.push('\u{FFFD}'),
            c if needs_escape(c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// `s` as a code span. The fence is one backtick longer than the longest run of backticks in `s`;
/// line breaks become spaces and controls U+FFFD; in a table (`in_table`) `|` is written `\|`,
/// which GitHub and GitLab read back as `|` even inside code.
pub(crate) fn code(s: &str, in_table: bool) -> String {
    let mut body = String::with_capacity(s.len() + 4);
    let (mut run, mut longest) = (0, 0);
    for c in s.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
        match c {
            '\n' | '\r' | '\t' => body.push(' '),
            c if is_hidden(c) => body.push('\u{FFFD}'),
            '|' if in_table => body.push_str("\\|"),
            c => body.push(c),
        }
    }
    if body.trim().is_empty() {
        return "(empty)".to_string();
    }
    let fence = "`".repeat(longest + 1);
    let pad = if body.starts_with('`') || body.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{body}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_everything_that_could_act() {
        assert_eq!(text("plain words"), "plain words");
        assert_eq!(
            text("a|b *c* _d_ [e](f) <g> `h` & @i #1 !2 $x$ ~s~ \\"),
            "a\\|b \\*c\\* \\_d\\_ \\[e\\](f) \\<g\\> \\`h\\` \\& \\@i \\#1 \\!2 \\$x\\$ \\~s\\~ \\\\"
        );
        assert_eq!(text("line\nbreak\r\tx"), "line break  x");
        assert_eq!(text("\u{1b}[31m\u{202E}"), "\u{FFFD}\\[31m\u{FFFD}");
        assert_eq!(
            text("[x](javascript:alert(1))"),
            "\\[x\\](javascript:alert(1))"
        );
    }

    #[test]
    fn code_spans_fence_backticks_and_pipes() {
        assert_eq!(code("src/a.py:3", true), "`src/a.py:3`");
        assert_eq!(code("a`b", false), "``a`b``");
        assert_eq!(code("`x``", false), "``` `x`` ```");
        assert_eq!(code("a|b", true), "`a\\|b`");
        assert_eq!(code("a|b", false), "`a|b`");
        assert_eq!(code("a\nb", true), "`a b`");
        assert_eq!(code("", true), "(empty)");
        assert_eq!(code("\n", true), "(empty)");
    }
}
