//! Rule test files: code annotated with the findings a rule must and must not report, in the
//! convention of Semgrep's `--test`.
//!
//! A comment `ruleid: ID` (any comment syntax: `#`, `//`, `/*`, `--`, `<!--`) says that rule `ID`
//! reports a finding starting on the next line that is not itself an annotation; `ok: ID` says it
//! reports none there. `todoruleid: ID` marks a finding the rule should report but does not yet
//! (so none is expected), and `todook: ID` a false positive it still reports (so one is
//! expected). Several ids may be listed, separated by commas.

use std::collections::{BTreeMap, BTreeSet};

/// What a test file expects, per rule id: the 1-based lines where a finding must start, and the
/// lines annotated as clean.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expectations {
    pub expected: BTreeMap<String, BTreeSet<u32>>,
    pub clean: BTreeMap<String, BTreeSet<u32>>,
}

const KINDS: [&str; 4] = ["todoruleid", "ruleid", "todook", "ok"];

/// Reads the annotations of a test file.
pub fn parse(source: &str) -> Expectations {
    let mut out = Expectations::default();
    let mut pending: Vec<(&str, Vec<String>)> = Vec::new();
    for (i, line) in source.lines().enumerate() {
        let found = annotation(line);
        if let Some(a) = found {
            pending.push(a);
            continue;
        }
        if line.trim().is_empty() || pending.is_empty() {
            continue;
        }
        let line_no = i as u32 + 1;
        for (kind, ids) in pending.drain(..) {
            let map = match kind {
                "ruleid" | "todook" => &mut out.expected,
                _ => &mut out.clean,
            };
            for id in ids {
                map.entry(id).or_default().insert(line_no);
            }
        }
    }
    out
}

/// `(kind, ids)` when the line is an annotation comment.
fn annotation(line: &str) -> Option<(&'static str, Vec<String>)> {
    let t = line.trim_start();
    let body = ["#", "//", "/*", "--", "<!--", "'", "*"]
        .iter()
        .find_map(|c| t.strip_prefix(c))?
        .trim_start();
    for kind in KINDS {
        let Some(rest) = body.strip_prefix(kind) else {
            continue;
        };
        let Some(rest) = rest.trim_start().strip_prefix(':') else {
            continue;
        };
        let rest = rest
            .trim()
            .trim_end_matches("*/")
            .trim_end_matches("-->")
            .trim();
        let ids: Vec<String> = rest
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        if !ids.is_empty() {
            return Some((kind, ids));
        }
    }
    None
}

/// How one rule fared on one test file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub rule_id: String,
    /// Lines where a finding was expected and none started.
    pub missed: Vec<u32>,
    /// Lines where a finding started and none was expected.
    pub unexpected: Vec<u32>,
    /// How many findings were expected.
    pub expected: usize,
}

impl Outcome {
    pub fn passed(&self) -> bool {
        self.missed.is_empty() && self.unexpected.is_empty()
    }
}

/// Compares the start lines a rule reported with what the file expects of it.
pub fn compare(rule_id: &str, expectations: &Expectations, reported: &BTreeSet<u32>) -> Outcome {
    let empty = BTreeSet::new();
    let expected = expectations.expected.get(rule_id).unwrap_or(&empty);
    Outcome {
        rule_id: rule_id.to_string(),
        missed: expected.difference(reported).copied().collect(),
        unexpected: reported.difference(expected).copied().collect(),
        expected: expected.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_apply_to_the_next_code_line() {
        let src = "import os\n# ruleid: a, b\n# ok: c\n\nos.system(x)\n  // todoruleid: a\nf()\n/* todook: a */\ng()\n# ruleid:\nh()\n";
        let e = parse(src);
        assert_eq!(e.expected["a"], BTreeSet::from([5, 9]));
        assert_eq!(e.expected["b"], BTreeSet::from([5]));
        assert_eq!(e.clean["c"], BTreeSet::from([5]));
        assert_eq!(e.clean["a"], BTreeSet::from([7]));
        assert_eq!(e.expected.len(), 2);
    }

    #[test]
    fn outcomes() {
        let e = parse("# ruleid: r\nx\n# ok: r\ny\n");
        let o = compare("r", &e, &BTreeSet::from([2]));
        assert!(o.passed());
        let o = compare("r", &e, &BTreeSet::from([4]));
        assert_eq!((o.missed, o.unexpected), (vec![2], vec![4]));
    }
}
