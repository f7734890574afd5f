//! The built-in checks: every check loads, proves itself on its own examples, is listed in the
//! reference, and every logic function is used by some check.

use std::collections::BTreeSet;

use gatehouse_iac::logic;
use gatehouse_iac::{CheckBody, CheckSet, ScanOptions, Scanner};

fn builtin() -> CheckSet {
    match CheckSet::builtin() {
        Ok(c) => c,
        Err(e) => panic!(
            "check errors:\n{}",
            e.iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

#[test]
fn every_check_passes_its_examples() {
    let checks = builtin();
    let scanner = Scanner::new(checks.clone(), ScanOptions::default());
    let mut failures = Vec::new();
    let mut ran = 0;
    for c in checks.checks() {
        for ex in &c.examples {
            ran += 1;
            let report = scanner.scan_sources(&[(ex.file.clone(), ex.text.clone())]);
            let where_ = format!("{} example at {}:{}", c.id, c.source, ex.line);
            if !report.errors.is_empty() {
                failures.push(format!("{where_}: scan errors {:?}", report.errors));
                continue;
            }
            if report.stats.scanned == 0 {
                failures.push(format!(
                    "{where_}: `{}` is not read as {}",
                    ex.file, c.input
                ));
                continue;
            }
            let hits: Vec<_> = report
                .findings
                .iter()
                .filter(|f| f.rule_id == c.id)
                .collect();
            match (ex.bad, hits.is_empty()) {
                (true, true) => failures.push(format!("{where_}: bad example not reported")),
                (false, false) => failures.push(format!(
                    "{where_}: good example reported: {}",
                    hits[0].message
                )),
                _ => {}
            }
        }
    }
    assert!(ran > 0);
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn there_are_enough_checks_and_every_one_is_documented() {
    let checks = builtin();
    assert!(checks.len() >= 80, "only {} checks", checks.len());
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules/iac/README.md");
    let reference = std::fs::read_to_string(&path).expect("rules/iac/README.md");
    // The table between the markers is generated; `UPDATE_IAC_REFERENCE=1` rewrites it.
    let (begin, end) = ("<!-- checks:begin -->\n", "<!-- checks:end -->");
    let (Some(b), Some(e)) = (reference.find(begin), reference.find(end)) else {
        panic!("rules/iac/README.md needs the {begin:?} and {end:?} markers");
    };
    let table = gatehouse_iac::check::reference_table(&checks);
    let current = &reference[b + begin.len()..e];
    if current != table {
        if std::env::var_os("UPDATE_IAC_REFERENCE").is_some() {
            let updated = format!(
                "{}{table}{}",
                &reference[..b + begin.len()],
                &reference[e..]
            );
            std::fs::write(&path, updated).expect("write rules/iac/README.md");
        } else {
            panic!("rules/iac/README.md is out of date; run the test with UPDATE_IAC_REFERENCE=1");
        }
    }
    let missing: Vec<&str> = checks
        .checks()
        .iter()
        .filter(|c| !reference.contains(&format!("| {} | {} |", c.id, c.title)))
        .map(|c| c.id.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "not in rules/iac/README.md (as `| id | title |`): {missing:?}"
    );
    for c in checks.checks() {
        let family = c.id.split('-').nth(2).unwrap_or("");
        assert!(
            c.id.starts_with("IAC-") && !family.is_empty(),
            "id scheme: {}",
            c.id
        );
    }
}

#[test]
fn every_logic_function_is_used() {
    let checks = builtin();
    let used: BTreeSet<&str> = checks
        .checks()
        .iter()
        .filter_map(|c| match &c.body {
            CheckBody::Logic { name, .. } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    let unused: Vec<&str> = logic::ALL
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| !used.contains(n))
        .collect();
    assert!(
        unused.is_empty(),
        "logic functions no check uses: {unused:?}"
    );
}
