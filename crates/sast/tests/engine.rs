//! The matching engine on annotated fixtures: each `tests/engine/NAME.yaml` holds rules and
//! `tests/engine/NAME.<ext>` code annotated the way Semgrep's `--test` reads it (`# ruleid: ID`
//! on the line before a finding, `# ok: ID` before code that must not match). Every fixture
//! was checked with Semgrep itself (`semgrep --test --config NAME.yaml NAME.<ext>`), so these
//! tests compare the engine with the reference.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use gatehouse_sast::engine::{self, CompiledRule, Target};
use gatehouse_sast::lang::{self, Language};
use gatehouse_sast::rule;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/engine")
}

fn compile_file(path: &Path) -> Vec<CompiledRule> {
    let rules = rule::load_file(path).unwrap_or_else(|e| panic!("{}: {}", path.display(), e[0]));
    rules
        .into_iter()
        .map(|r| {
            let id = r.id.clone();
            engine::compile(Arc::new(r)).unwrap_or_else(|e| panic!("{id}: {}", e[0]))
        })
        .collect()
}

/// Rule id → lines where a finding must start (`ruleid`), from the annotations.
fn expected(source: &str) -> BTreeMap<String, BTreeSet<u32>> {
    let mut out: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    let mut pending: Vec<String> = Vec::new();
    for (i, line) in source.lines().enumerate() {
        let t = line.trim_start();
        let body = ["#", "//", "/*", "--"]
            .iter()
            .find_map(|c| t.strip_prefix(c))
            .map(str::trim_start);
        if let Some(body) = body {
            if let Some(ids) = body.strip_prefix("ruleid:") {
                pending.extend(
                    ids.trim_end_matches("*/")
                        .split(',')
                        .map(|s| s.trim().to_string()),
                );
                continue;
            }
            if body.starts_with("ok:") {
                continue;
            }
        }
        if line.trim().is_empty() {
            continue;
        }
        for id in pending.drain(..) {
            out.entry(id).or_default().insert(i as u32 + 1);
        }
    }
    out
}

/// Rule id → start lines of the findings.
fn found(rules: &[CompiledRule], path: &Path) -> BTreeMap<String, BTreeSet<u32>> {
    let source = std::fs::read(path).unwrap();
    let lang = Language::from_path(path, None).expect("a known language");
    let parsed = lang::parse(lang, &source).unwrap();
    let target = Target {
        source: &source,
        parsed: Some(&parsed),
    };
    let index = engine::index(&target).expect("index");
    let mut out: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    for rule in rules {
        if !rule.applies_to(Some(lang)) {
            continue;
        }
        let detailed = rule.run_detailed(&target, &index);
        assert!(!detailed.internal_error, "{}", rule.rule().id);
        assert!(!detailed.budget_exhausted, "{}", rule.rule().id);
        // The shared index and the rule's own run agree.
        let alone = rule.run(&target);
        assert_eq!(alone, detailed.matches, "{}", rule.rule().id);
        for m in detailed.matches {
            out.entry(rule.rule().id.clone())
                .or_default()
                .insert(m.start.line);
        }
    }
    out
}

fn check_fixture(stem: &str) {
    let yaml = dir().join(format!("{stem}.yaml"));
    let rules = compile_file(&yaml);
    let mut targets: Vec<PathBuf> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_stem().and_then(|s| s.to_str()) == Some(stem)
                && p.extension().and_then(|e| e.to_str()) != Some("yaml")
        })
        .collect();
    targets.sort();
    assert!(!targets.is_empty(), "no code file for {stem}");
    let mut failures = Vec::new();
    for target in targets {
        let source = std::fs::read_to_string(&target).unwrap();
        let want = expected(&source);
        let got = found(&rules, &target);
        let ids: BTreeSet<&String> = want.keys().chain(got.keys()).collect();
        for id in ids {
            let w = want.get(id).cloned().unwrap_or_default();
            let g = got.get(id).cloned().unwrap_or_default();
            if w != g {
                let missed: Vec<_> = w.difference(&g).collect();
                let extra: Vec<_> = g.difference(&w).collect();
                failures.push(format!(
                    "{}: {id}: missed lines {missed:?}, unexpected lines {extra:?}",
                    target.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

macro_rules! fixtures {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check_fixture(stringify!($name));
            }
        )*

        #[test]
        fn every_fixture_is_listed() {
            let listed: BTreeSet<&str> = [$(stringify!($name)),*].into_iter().collect();
            for entry in std::fs::read_dir(dir()).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().and_then(|e| e.to_str()) == Some("yaml") {
                    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap().to_string();
                    assert!(listed.contains(stem.as_str()), "fixture {stem} is not listed");
                }
            }
        }
    };
}

fixtures!(
    python_patterns,
    python_formulas,
    javascript,
    typescript,
    java,
    go,
    csharp,
    php,
    ruby,
    kotlin,
    c,
    taint_python,
    taint_javascript,
    taint_java,
    taint_go,
    imports,
);
