//! The engine's interface: compile errors, what a match carries, regex-only rules, the
//! prefilter, work limits, robustness on hostile input.

use std::sync::Arc;
use std::time::{Duration, Instant};

use gatehouse_sast::engine::{self, CompiledRule, Point, Prefilter, RuleMatch, Target};
use gatehouse_sast::lang::{self, Language};
use gatehouse_sast::rule;
use proptest::prelude::*;

fn compile_all(yaml: &str) -> Vec<CompiledRule> {
    rule::load_str(yaml, "test.yaml")
        .unwrap_or_else(|e| panic!("{}", e[0]))
        .into_iter()
        .map(|r| engine::compile(Arc::new(r)).unwrap_or_else(|e| panic!("{}", e[0])))
        .collect()
}

fn compile_one(yaml: &str) -> CompiledRule {
    compile_all(yaml).pop().expect("one rule")
}

fn compile_err(yaml: &str) -> Vec<rule::RuleError> {
    let rules = rule::load_str(yaml, "test.yaml").unwrap_or_else(|e| panic!("{}", e[0]));
    let rule = rules.into_iter().next().expect("one rule");
    engine::compile(Arc::new(rule)).expect_err("must not compile")
}

fn run(rule: &CompiledRule, lang: Language, code: &str) -> Vec<RuleMatch> {
    let parsed = lang::parse(lang, code.as_bytes()).unwrap();
    rule.run(&Target {
        source: code.as_bytes(),
        parsed: Some(&parsed),
    })
}

#[test]
fn compiled_rules_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<CompiledRule>();
    check::<Prefilter>();
    check::<engine::FileIndex>();
}

#[test]
fn a_pattern_that_does_not_parse_is_reported_where_it_is() {
    let yaml = "rules:\n  - id: bad\n    message: m\n    severity: INFO\n    languages: [python]\n    patterns:\n      - pattern: foo(\n      - pattern: bar()\n";
    let errors = compile_err(yaml);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = &errors[0];
    assert_eq!(e.file, "test.yaml");
    assert_eq!(e.line, Some(7), "{e}");
    assert!(e.column.is_some_and(|c| c >= 18), "{e}");
    assert_eq!(e.key_path, "rules[0].patterns[0].pattern");
    assert!(e.message.contains("invalid python pattern"), "{e}");
}

#[test]
fn what_the_engine_cannot_evaluate_is_rejected_clearly() {
    let generic = compile_err(
        "rules:\n  - id: g\n    message: m\n    severity: INFO\n    languages: [generic]\n    pattern: foo\n",
    );
    assert!(generic[0].message.contains("generic"), "{}", generic[0]);
    let yaml_lang = compile_err(
        "rules:\n  - id: y\n    message: m\n    severity: INFO\n    languages: [yaml]\n    pattern: 'a: b'\n",
    );
    assert!(
        yaml_lang[0].message.contains("not supported"),
        "{}",
        yaml_lang[0]
    );
    let comparison = compile_err(
        "rules:\n  - id: c\n    message: m\n    severity: INFO\n    languages: [python]\n    patterns:\n      - pattern: f($X)\n      - metavariable-comparison:\n          metavariable: $X\n          comparison: today() > $X\n",
    );
    assert!(
        comparison[0].message.contains("metavariable-comparison"),
        "{}",
        comparison[0]
    );
    assert_eq!(comparison[0].line, Some(10));
    let code_in_regex = compile_err(
        "rules:\n  - id: r\n    message: m\n    severity: INFO\n    languages: [regex]\n    pattern: foo(...)\n",
    );
    assert!(
        code_in_regex[0].message.contains("pattern-regex"),
        "{}",
        code_in_regex[0]
    );
}

#[test]
fn a_match_carries_its_range_points_bindings_and_message() {
    let rule = compile_one(
        "rules:\n  - id: m\n    message: 'exec of $CMD via $...REST ($UNBOUND)'\n    severity: INFO\n    languages: [python]\n    pattern: os.system($CMD, $...REST)\n",
    );
    let code = "import os\n\ndef f(c):\n    os.system(c, 1, 2)\n";
    let found = run(&rule, Language::Python, code);
    assert_eq!(found.len(), 1);
    let m = &found[0];
    assert_eq!(&code[m.bytes.clone()], "os.system(c, 1, 2)");
    assert_eq!(m.start, Point { line: 4, column: 5 });
    assert_eq!(
        m.end,
        Point {
            line: 4,
            column: 23
        }
    );
    assert_eq!(
        m.bindings,
        vec![
            ("$...REST".to_string(), "1, 2".to_string()),
            ("$CMD".to_string(), "c".to_string())
        ]
    );
    assert_eq!(m.message, "exec of c via 1, 2 ($UNBOUND)");
    assert!(m.taint.is_none());
}

#[test]
fn focus_narrows_the_reported_range() {
    let rule = compile_one(
        "rules:\n  - id: f\n    message: m\n    severity: INFO\n    languages: [javascript]\n    patterns:\n      - pattern: connect($HOST, $PASSWORD)\n      - focus-metavariable: $PASSWORD\n",
    );
    let code = "connect(host, \"hunter2\");\n";
    let found = run(&rule, Language::JavaScript, code);
    assert_eq!(found.len(), 1);
    assert_eq!(&code[found[0].bytes.clone()], "\"hunter2\"");
}

#[test]
fn regex_only_rules_run_on_unparsed_text() {
    let rule = compile_one(
        "rules:\n  - id: key\n    message: 'key $NAME = $2'\n    severity: INFO\n    languages: [regex]\n    pattern-regex: '(?P<NAME>[a-z_]+)_key = (\\w+)'\n",
    );
    assert!(rule.is_regex_only());
    assert!(rule.languages().is_empty());
    assert!(rule.applies_to(None));
    let text = b"x = 1\napi_key = abc123\n";
    let found = rule.run(&Target {
        source: text,
        parsed: None,
    });
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].start, Point { line: 2, column: 1 });
    assert_eq!(found[0].message, "key api = abc123");
    // Invalid UTF-8 does not stop it.
    let bytes = b"\xff\xfe api_key = zz\n";
    assert_eq!(
        rule.run(&Target {
            source: bytes,
            parsed: None
        })
        .len(),
        1
    );
}

#[test]
fn typescript_rules_run_on_ts_and_tsx_and_accept_jsx_patterns() {
    let rule = compile_one(
        "rules:\n  - id: jsx\n    message: m\n    severity: INFO\n    languages: [typescript]\n    pattern: '<div dangerouslySetInnerHTML={$X} />'\n",
    );
    assert_eq!(rule.languages(), [Language::TypeScript, Language::Tsx]);
    let tsx = "const a = <div dangerouslySetInnerHTML={html} />;\n";
    assert_eq!(run(&rule, Language::Tsx, tsx).len(), 1);
    assert!(run(&rule, Language::TypeScript, "const a = 1;\n").is_empty());
}

#[test]
fn the_prefilter_skips_files_without_the_needed_text() {
    let rules = compile_all(
        "rules:\n  - id: sys\n    message: m\n    severity: INFO\n    languages: [python]\n    pattern: os.system(...)\n  - id: either\n    message: m\n    severity: INFO\n    languages: [python]\n    pattern-either:\n      - pattern: pickle.loads(...)\n      - pattern: marshal.loads(...)\n  - id: any\n    message: m\n    severity: INFO\n    languages: [python]\n    pattern-regex: TODO\n",
    );
    let refs: Vec<&CompiledRule> = rules.iter().collect();
    let pre = Prefilter::new(&refs);
    let cases: &[(&str, [bool; 3])] = &[
        ("import os\nos.system(x)\n", [true, false, true]),
        ("print(1)\n", [false, false, true]),
        ("marshal.loads(b)\n", [false, true, true]),
        ("system = 1\n", [false, false, true]),
    ];
    for (code, want) in cases {
        let hits = pre.scan(code.as_bytes());
        for (i, rule) in rules.iter().enumerate() {
            let shared = pre.may_match(&hits, i, Some(Language::Python));
            let own = rule.may_match(code.as_bytes(), Some(Language::Python));
            assert_eq!(shared, want[i], "{code:?} rule {i}");
            assert_eq!(own, want[i], "{code:?} rule {i}");
        }
        // A rule for another language never may match.
        assert!(!pre.may_match(&hits, 0, Some(Language::Java)));
    }
}

#[test]
fn taint_findings_say_where_the_data_came_from() {
    let rule = compile_one(
        "rules:\n  - id: t\n    mode: taint\n    message: m\n    severity: INFO\n    languages: [python]\n    pattern-sources:\n      - pattern: input()\n    pattern-sinks:\n      - pattern: os.system(...)\n",
    );
    let code = "import os\nx = input()\ny = 'ls ' + x\nos.system(y)\n";
    let found = run(&rule, Language::Python, code);
    assert_eq!(found.len(), 1);
    let t = found[0].taint.as_ref().expect("trace");
    assert_eq!(&code[t.source.clone()], "input()");
    assert_eq!(t.source_start, Point { line: 2, column: 5 });
    assert_eq!(t.via, vec!["x".to_string(), "y".to_string()]);
}

#[test]
fn safe_functions_stop_taint_when_the_rule_says_so() {
    let rule = |safe: bool| {
        compile_one(&format!(
            "rules:\n  - id: t\n    mode: taint\n    message: m\n    severity: INFO\n    languages: [python]\n    options:\n      taint_assume_safe_functions: {safe}\n    pattern-sources:\n      - pattern: input()\n    pattern-sinks:\n      - pattern: sink(...)\n"
        ))
    };
    let code = "x = input()\ny = transform(x)\nsink(y)\nsink(x)\n";
    let lines = |r: &CompiledRule| -> Vec<u32> {
        run(r, Language::Python, code)
            .iter()
            .map(|m| m.start.line)
            .collect()
    };
    assert_eq!(lines(&rule(false)), vec![3, 4]);
    assert_eq!(lines(&rule(true)), vec![4]);
}

#[test]
fn files_with_syntax_errors_are_still_matched() {
    let rule = compile_one(
        "rules:\n  - id: e\n    message: m\n    severity: INFO\n    languages: [python]\n    pattern: eval(...)\n",
    );
    let code = "def f(:\n    pass\n\neval(x)\n";
    let parsed = lang::parse(Language::Python, code.as_bytes()).unwrap();
    assert!(!parsed.is_clean());
    assert_eq!(run(&rule, Language::Python, code).len(), 1);
}

#[test]
fn deep_trees_do_not_overflow_the_stack() {
    let search = compile_one(
        "rules:\n  - id: d\n    message: m\n    severity: INFO\n    languages: [python]\n    pattern: $X + 1\n",
    );
    let taint = compile_one(
        "rules:\n  - id: t\n    mode: taint\n    message: m\n    severity: INFO\n    languages: [python]\n    pattern-sources:\n      - pattern: input()\n    pattern-sinks:\n      - pattern: sink(...)\n",
    );
    let deep_sum = format!("x = input(){}\nsink(x)\n", " + 1".repeat(20_000));
    let nested = format!(
        "x = {}input(){}\nsink(x)\n",
        "(".repeat(5_000),
        ")".repeat(5_000)
    );
    let blocks: String = (0..300)
        .map(|i| format!("{}if c:\n", "    ".repeat(i)))
        .collect::<String>()
        + &format!("{}sink(input())\n", "    ".repeat(300));
    // A thread with a small stack: the engine must not need a big one.
    let handle = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            assert!(!run(&search, Language::Python, &deep_sum).is_empty());
            assert_eq!(run(&taint, Language::Python, &deep_sum).len(), 1);
            assert_eq!(run(&taint, Language::Python, &nested).len(), 1);
            let _ = run(&taint, Language::Python, &blocks);
        })
        .unwrap();
    handle.join().expect("no stack overflow");
}

#[test]
fn pathological_patterns_stop_at_the_work_limit() {
    let rule = compile_one(
        "rules:\n  - id: p\n    message: m\n    severity: INFO\n    languages: [python]\n    pattern: f(..., g(...), ..., g(...), ..., g(...), ..., g(...), ..., h(...))\n",
    );
    let args: Vec<String> = (0..400).map(|i| format!("g({i})")).collect();
    let code = format!("f({})\n", args.join(", ")).repeat(20);
    let parsed = lang::parse(Language::Python, code.as_bytes()).unwrap();
    let target = Target {
        source: code.as_bytes(),
        parsed: Some(&parsed),
    };
    let index = engine::index(&target).unwrap();
    let start = Instant::now();
    let outcome = rule.run_detailed(&target, &index);
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "{:?}",
        start.elapsed()
    );
    assert!(outcome.matches.is_empty());
    assert!(outcome.budget_exhausted);
    assert!(!outcome.internal_error);
}

#[test]
fn results_are_deterministic_and_agree_across_threads() {
    let rules = compile_all(
        "rules:\n  - id: a\n    message: m\n    severity: INFO\n    languages: [javascript]\n    pattern: $F($X)\n  - id: b\n    message: m $X\n    severity: INFO\n    languages: [javascript]\n    pattern-either:\n      - pattern: eval($X)\n      - pattern: $O.innerHTML = $X\n",
    );
    let code = "eval(a); el.innerHTML = b; f(g(h(1)));\n".repeat(50);
    let once = |rules: &[CompiledRule]| -> Vec<Vec<RuleMatch>> {
        rules
            .iter()
            .map(|r| run(r, Language::JavaScript, &code))
            .collect()
    };
    let first = once(&rules);
    assert_eq!(first, once(&rules));
    let rules = Arc::new(rules);
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let rules = Arc::clone(&rules);
            let code = code.clone();
            std::thread::spawn(move || {
                rules
                    .iter()
                    .map(|r| run(r, Language::JavaScript, &code))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap(), first);
    }
    // Sorted by position.
    for matches in &first {
        assert!(matches
            .windows(2)
            .all(|w| w[0].bytes.start <= w[1].bytes.start));
    }
}

#[test]
fn a_file_of_another_language_gets_nothing() {
    let rule = compile_one(
        "rules:\n  - id: j\n    message: m\n    severity: INFO\n    languages: [java]\n    pattern: foo()\n",
    );
    assert!(run(&rule, Language::Python, "foo()\n").is_empty());
    assert!(rule
        .run(&Target {
            source: b"foo();",
            parsed: None
        })
        .is_empty());
}

fn hostile_rules() -> &'static [CompiledRule] {
    static RULES: std::sync::OnceLock<Vec<CompiledRule>> = std::sync::OnceLock::new();
    RULES.get_or_init(|| {
        let mut rules = compile_all(
            "rules:\n  - id: a\n    message: $X\n    severity: INFO\n    languages: [python]\n    patterns:\n      - pattern: $F(..., $X, ...)\n      - pattern-not-inside: |\n          def $G(...):\n            ...\n  - id: b\n    message: m\n    severity: INFO\n    languages: [python]\n    pattern: |\n      $X = $Y\n      ...\n      $Z($X)\n  - id: c\n    mode: taint\n    message: m\n    severity: INFO\n    languages: [python]\n    pattern-sources:\n      - pattern: input(...)\n    pattern-sinks:\n      - pattern: eval(...)\n",
        );
        rules.extend(compile_all(
            "rules:\n  - id: d\n    message: m\n    severity: INFO\n    languages: [javascript]\n    pattern: '$O.$M({..., a: $V, ...})'\n",
        ));
        rules
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_input_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400), js in any::<bool>()) {
        let lang = if js { Language::JavaScript } else { Language::Python };
        let parsed = lang::parse(lang, &bytes).unwrap();
        let target = Target { source: &bytes, parsed: Some(&parsed) };
        let index = engine::index(&target).unwrap();
        for rule in hostile_rules() {
            let outcome = rule.run_detailed(&target, &index);
            prop_assert!(!outcome.internal_error);
            for m in &outcome.matches {
                prop_assert!(m.bytes.start <= m.bytes.end && m.bytes.end <= bytes.len());
            }
        }
    }

    #[test]
    fn code_like_input_never_panics(pieces in proptest::collection::vec(proptest::sample::select(vec![
        "x = input()\n", "eval(x)\n", "def f(a, b):\n", "    return a\n", "if x:\n", "    y = x\n",
        "f(1, 2, 3)\n", "(", ")", "[", "]", "{", "}", ":", ",", "\"s\"", "'", "#c\n", "    ", "\n",
    ]), 0..60)) {
        let code = pieces.concat();
        let parsed = lang::parse(Language::Python, code.as_bytes()).unwrap();
        let target = Target { source: code.as_bytes(), parsed: Some(&parsed) };
        for rule in hostile_rules() {
            let _ = rule.run(&target);
        }
    }
}
