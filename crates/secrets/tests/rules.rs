//! Every built-in rule proves itself: each example must produce a finding of its rule through the
//! whole pipeline (engine, filters, validators, decoders), each negative example must not.

use gatehouse_secrets::{RuleSources, ScanOptions, Scanner};

fn scanner() -> Scanner {
    let sources = RuleSources::builtin().expect("built-in rules parse");
    Scanner::new(&sources, ScanOptions::default()).expect("built-in rules compile")
}

#[test]
fn every_rule_is_documented_and_keyed() {
    let s = scanner();
    let mut problems = Vec::new();
    for r in s.engine().rules() {
        let id = &r.meta.id;
        if r.meta.title.trim().is_empty() || r.meta.description.trim().is_empty() {
            problems.push(format!("{id}: needs a title and a description"));
        }
        if r.examples.is_empty() || r.negative_examples.is_empty() {
            problems.push(format!("{id}: needs examples and negative_examples"));
        }
        if !r.is_path_only() && r.keywords.is_empty() {
            problems.push(format!("{id}: built-in rules need keywords"));
        }
        if r.keywords.iter().any(|k| k.len() < 3) {
            problems.push(format!(
                "{id}: keywords shorter than 3 characters slow every scan"
            ));
        }
        if !id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            problems.push(format!("{id}: ids are kebab-case"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn there_are_enough_rules() {
    let n = scanner().engine().rules().len();
    assert!(n >= 150, "only {n} built-in rules");
}

#[test]
fn every_example_matches_and_no_negative_example_does() {
    let s = scanner();
    let mut failures = Vec::new();
    for r in s.engine().rules() {
        let id = &r.meta.id;
        let path = r
            .example_path
            .clone()
            .unwrap_or_else(|| "example.txt".into());
        for (i, ex) in r.examples.iter().enumerate() {
            let report = if r.is_path_only() {
                // Path rules: the examples are file paths.
                s.scan_bytes(ex, b"content", None)
            } else {
                s.scan_bytes(&path, ex.as_bytes(), None)
            };
            if !report.findings.iter().any(|f| &f.rule_id == id) {
                failures.push(format!("{id}: example {i} not found: {ex:?}"));
            }
        }
        for (i, ex) in r.negative_examples.iter().enumerate() {
            let report = if r.is_path_only() {
                s.scan_bytes(ex, b"content", None)
            } else {
                s.scan_bytes(&path, ex.as_bytes(), None)
            };
            if report.findings.iter().any(|f| &f.rule_id == id) {
                failures.push(format!("{id}: negative example {i} matched: {ex:?}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
