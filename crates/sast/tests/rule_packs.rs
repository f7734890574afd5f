//! The built-in rule packs: every rule loads, compiles and passes its own annotated test file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gatehouse_sast::annotations;
use gatehouse_sast::scan::{builtin_files, RuleConfig, RuleSet, ScanOptions, Scanner};

fn packs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules/sast")
}

fn load(configs: &[RuleConfig]) -> RuleSet {
    match RuleSet::load(configs) {
        Ok(r) => r,
        Err(errors) => panic!(
            "rule errors:\n{}",
            errors
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

#[test]
fn every_builtin_rule_passes_its_test_file() {
    let rules = load(&[RuleConfig::Path(packs())]);
    let scanner = Scanner::new(rules, ScanOptions::default());
    let results = scanner.test_files();
    let mut failures = Vec::new();
    let mut tested: BTreeMap<String, usize> = BTreeMap::new();
    for file in &results {
        if let Some(e) = &file.error {
            failures.push(format!("{}: {e}", file.path));
        }
        for o in &file.outcomes {
            *tested.entry(o.rule_id.clone()).or_default() += o.expected;
            if !o.passed() {
                failures.push(format!(
                    "{} {}: missed on lines {:?}, unexpected on lines {:?}",
                    file.path, o.rule_id, o.missed, o.unexpected
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Every rule has a test file with at least one finding it must report and one place it
    // must stay quiet.
    let mut untested = Vec::new();
    for r in scanner.rules().rules() {
        if tested.get(&r.id).copied().unwrap_or(0) == 0 {
            untested.push(r.id.clone());
        }
    }
    assert!(
        untested.is_empty(),
        "rules without a ruleid: case: {untested:?}"
    );
    for file in &results {
        let text = std::fs::read_to_string(&file.path).unwrap();
        let e = annotations::parse(&text);
        for o in &file.outcomes {
            assert!(
                e.clean.contains_key(&o.rule_id),
                "{}: no `ok: {}` case",
                file.path,
                o.rule_id
            );
        }
    }
}

#[test]
fn builtin_packs_are_embedded_whole_and_cover_the_languages() {
    let rules = load(&[RuleConfig::Builtin]);
    let on_disk = load(&[RuleConfig::Path(packs())]);
    assert_eq!(
        rules.len(),
        on_disk.len(),
        "the binary embeds every rule file"
    );
    assert_eq!(
        builtin_files().len(),
        rules.len(),
        "one rule per file under rules/sast"
    );
    assert!(rules.len() >= 120, "{} built-in rules", rules.len());
    let mut per_language: BTreeMap<String, usize> = BTreeMap::new();
    for r in rules.rules() {
        let dir = r
            .source
            .file
            .split('/')
            .nth(1)
            .unwrap_or_default()
            .to_string();
        *per_language.entry(dir).or_default() += 1;
        assert!(!r.metadata.cwe.is_empty(), "{}: no CWE", r.id);
        assert!(
            r.id.starts_with(&format!("{}.", r.source.file.split('/').nth(1).unwrap())),
            "{}: the id starts with its language directory",
            r.id
        );
    }
    for lang in ["python", "javascript", "typescript", "java", "go"] {
        assert!(
            per_language.get(lang).copied().unwrap_or(0) >= 3,
            "{lang}: {per_language:?}"
        );
    }
}
