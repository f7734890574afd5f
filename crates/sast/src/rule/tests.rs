//! Unit tests of the loader as a whole: valid rules become the expected model, and broken ones
//! give exact errors; malformed and hostile input never panics.

use gatehouse_core::{Confidence, Severity};

use super::*;

fn load(text: &str) -> Result<Vec<Rule>, Vec<RuleError>> {
    load_str(text, "t.yaml")
}

fn rule(text: &str) -> Rule {
    match load(text) {
        Ok(mut rules) if rules.len() == 1 => rules.remove(0),
        Ok(rules) => panic!("expected one rule, got {}", rules.len()),
        Err(errors) => panic!("unexpected errors: {errors:#?}"),
    }
}

fn errors(text: &str) -> Vec<String> {
    match load(text) {
        Ok(rules) => panic!("expected errors, got {} rules", rules.len()),
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    }
}

/// A rule around `body`, which starts at line 6, indented by four spaces.
fn with_body(body: &str) -> String {
    format!(
        "rules:\n  - id: r\n    message: m\n    severity: ERROR\n    languages: [python]\n{body}"
    )
}

fn search(rule: &Rule) -> &Formula {
    match &rule.mode {
        Mode::Search(formula) => formula,
        Mode::Taint(_) => panic!("not a search rule"),
    }
}

fn conjunction(formula: &Formula) -> &Conjunction {
    match formula {
        Formula::All(c) => c,
        other => panic!("not a conjunction: {other:?}"),
    }
}

fn pattern_text(formula: &Formula) -> &str {
    match formula {
        Formula::Pattern(p) => &p.text,
        other => panic!("not a pattern: {other:?}"),
    }
}

#[test]
fn minimal_search_rule() {
    let r = rule(&with_body("    pattern: eval(...)\n"));
    assert_eq!(r.id, "r");
    assert_eq!(r.message, "m");
    assert_eq!(r.severity, Severity::High);
    assert_eq!(r.confidence, Confidence::Medium);
    assert_eq!(
        r.languages,
        vec![Language {
            name: "python".into(),
            kind: LanguageKind::Code
        }]
    );
    assert_eq!(&*r.source.file, "t.yaml");
    assert_eq!((r.source.line, r.source.column), (2, 5));
    let Formula::Pattern(p) = search(&r) else {
        panic!("not a pattern")
    };
    assert_eq!(p.text, "eval(...)");
    assert_eq!((p.origin.line, p.origin.column), (6, 14));
    assert_eq!(p.origin.key_path, "rules[0].pattern");
    assert_eq!(p.origin.style, TextStyle::Plain);
    assert!(r.fix.is_none());
    assert_eq!(r.paths, PathFilter::default());
    assert_eq!(r.options, RuleOptions::default());
    assert!(r.metadata.raw.is_empty());
}

#[test]
fn patterns_are_grouped_by_role() {
    let r = rule(&with_body(
        r##"    patterns:
      - pattern-not: foo(1)
      - pattern-inside: |
          def $F(...):
            ...
      - pattern: foo($X, $Y)
      - metavariable-regex:
          metavariable: $X
          regex: ^[a-z]+
      - pattern-not-inside: bar(...)
      - focus-metavariable: [$X, $Y]
      - pattern-not-regex: "# nosec"
      - metavariable-comparison:
          metavariable: $Y
          comparison: $Y > 1024
      - pattern-either:
          - pattern: foo(1, ...)
          - pattern-regex: foo\(\d
"##,
    ));
    let c = conjunction(search(&r));
    assert_eq!(c.position, Position { line: 6, column: 5 });
    assert_eq!(c.positives.len(), 3);
    let Formula::Inside(inside) = &c.positives[0] else {
        panic!("expected pattern-inside first")
    };
    assert_eq!(pattern_text(inside), "def $F(...):\n  ...\n");
    let Formula::Pattern(p) = inside.as_ref() else {
        panic!()
    };
    assert_eq!((p.origin.line, p.origin.column), (9, 11));
    assert_eq!(p.origin.style, TextStyle::Literal);
    assert_eq!(
        p.origin.locate(1, 2),
        Position {
            line: 10,
            column: 13
        }
    );
    assert_eq!(pattern_text(&c.positives[1]), "foo($X, $Y)");
    assert!(matches!(&c.positives[2], Formula::Any(alts) if alts.len() == 2));
    assert_eq!(c.negatives.len(), 3);
    assert!(matches!(&c.negatives[0], Negation::Not(f) if pattern_text(f) == "foo(1)"));
    assert!(matches!(&c.negatives[1], Negation::NotInside(_)));
    let Negation::NotRegex(not_regex) = &c.negatives[2] else {
        panic!()
    };
    assert!(not_regex.regex.is_match("x = 1  # nosec"));
    assert_eq!(c.conditions.len(), 2);
    let Condition::Regex(mr) = &c.conditions[0] else {
        panic!()
    };
    assert_eq!(mr.metavariable.as_str(), "$X");
    assert_eq!(mr.regex.source, "^[a-z]+");
    assert!(!mr.constant_propagation);
    let Condition::Comparison(cmp) = &c.conditions[1] else {
        panic!()
    };
    assert_eq!(cmp.comparison, "$Y > 1024");
    assert_eq!(cmp.metavariable.as_ref().map(|m| m.as_str()), Some("$Y"));
    assert_eq!(c.focus.len(), 1);
    let names: Vec<&str> = c.focus[0]
        .metavariables
        .iter()
        .map(|m| m.as_str())
        .collect();
    assert_eq!(names, ["$X", "$Y"]);
}

#[test]
fn metavariable_regex_is_left_anchored() {
    let r = rule(&with_body(
        "    patterns:\n      - pattern: $M(...)\n      - metavariable-regex:\n          metavariable: $M\n          regex: (insecure)\n          constant-propagation: true\n",
    ));
    let Condition::Regex(mr) = &conjunction(search(&r)).conditions[0] else {
        panic!()
    };
    assert!(mr.constant_propagation);
    assert!(mr.regex.regex.is_match("insecure_hash"));
    assert!(!mr.regex.regex.is_match("not_insecure"));
}

#[test]
fn nested_formulas_under_negations_and_metavariable_pattern() {
    let r = rule(&with_body(
        r#"    patterns:
      - pattern: html($DATA)
      - pattern-not:
          pattern-either:
            - pattern: html("...")
            - pattern-inside: |
                with safe():
                  ...
      - metavariable-pattern:
          metavariable: $DATA
          language: JavaScript
          patterns:
            - pattern-not: '"..."'
            - metavariable-pattern:
                metavariable: $DATA
                pattern-regex: (?i)select
"#,
    ));
    let c = conjunction(search(&r));
    assert!(matches!(&c.negatives[0], Negation::Not(Formula::Any(alts)) if alts.len() == 2));
    let Condition::Pattern(mp) = &c.conditions[0] else {
        panic!()
    };
    assert_eq!(
        mp.language,
        Some(Language {
            name: "javascript".into(),
            kind: LanguageKind::Code
        })
    );
    let inner = conjunction(&mp.formula);
    assert!(
        inner.positives.is_empty(),
        "implicit positive under metavariable-pattern"
    );
    assert_eq!(inner.negatives.len(), 1);
    let Condition::Pattern(innermost) = &inner.conditions[0] else {
        panic!()
    };
    assert!(matches!(&innermost.formula, Formula::Regex(_)));
}

#[test]
fn taint_rule() {
    let r = rule(&format!(
        "rules:\n  - id: t\n    mode: taint\n    message: m\n    severity: warning\n    languages: [py]\n{}",
        r#"    pattern-sources:
      - pattern: request.args.get(...)
      - patterns:
          - pattern: make_tainted($X)
          - focus-metavariable: $X
        by-side-effect: only
        exact: true
    pattern-sinks:
      - pattern: cursor.execute(...)
      - pattern-either:
          - pattern: os.system(...)
        exact: false
    pattern-sanitizers:
      - pattern: escape(...)
        by-side-effect: true
    pattern-propagators:
      - pattern: $L.append($X)
        from: $X
        to: $L
        by-side-effect: false
"#
    ));
    assert_eq!(r.severity, Severity::Medium);
    let Mode::Taint(spec) = &r.mode else {
        panic!("not taint")
    };
    assert_eq!(spec.sources.len(), 2);
    assert!(!spec.sources[0].exact);
    assert_eq!(spec.sources[0].by_side_effect, SideEffect::No);
    assert!(spec.sources[1].exact);
    assert_eq!(spec.sources[1].by_side_effect, SideEffect::Only);
    assert!(spec.sinks[0].exact, "sinks are exact by default");
    assert!(!spec.sinks[1].exact);
    assert_eq!(spec.sanitizers[0].by_side_effect, SideEffect::Yes);
    assert!(!spec.sanitizers[0].exact);
    let p = &spec.propagators[0];
    assert_eq!((p.from.as_str(), p.to.as_str()), ("$X", "$L"));
    assert!(!p.by_side_effect);
    assert_eq!(pattern_text(&p.formula), "$L.append($X)");
}

#[test]
fn severities_languages_metadata_paths_fix_options() {
    let r = rule(
        r#"rules:
  - id: full
    message: "Use of $X"
    severity: critical
    languages: [Python, py, generic, REGEX]
    fix: safe($X)
    paths:
      include: src/**/*.py
      exclude: ["tests/", "*_test.py"]
    options:
      symmetric_eq: true
      generic_ellipsis_max_span: 0
      generic_comment_style: shell
    metadata:
      cwe: "CWE-89: Improper Neutralization of Special Elements used in an SQL Command"
      owasp: [A03:2021 - Injection, "A1:2017 - Injection"]
      confidence: high
      likelihood: LOW
      impact: Medium
      category: security
      subcategory: vuln
      technology: [flask]
      references:
        - https://owasp.org/Top10/A03_2021-Injection/
      custom: {nested: [1, 2.5, true, null, text]}
    pattern-regex: eval\(
"#,
    );
    assert_eq!(r.message, "Use of $X");
    assert_eq!(r.severity, Severity::Critical);
    let names: Vec<(&str, LanguageKind)> = r
        .languages
        .iter()
        .map(|l| (l.name.as_str(), l.kind))
        .collect();
    assert_eq!(
        names,
        [
            ("python", LanguageKind::Code),
            ("py", LanguageKind::Code),
            ("generic", LanguageKind::Generic),
            ("regex", LanguageKind::Regex)
        ]
    );
    assert_eq!(r.fix.as_deref(), Some("safe($X)"));
    assert_eq!(r.paths.include, ["src/**/*.py"]);
    assert_eq!(r.paths.exclude, ["tests/", "*_test.py"]);
    assert_eq!(r.options.symmetric_eq, Some(true));
    assert_eq!(r.options.generic_ellipsis_max_span, Some(0));
    assert_eq!(
        r.options.generic_comment_style,
        Some(GenericCommentStyle::Shell)
    );
    assert_eq!(r.options.constant_propagation, None);
    let m = &r.metadata;
    assert_eq!(m.cwe, ["CWE-89"]);
    assert_eq!(m.owasp, ["A03:2021 - Injection", "A1:2017 - Injection"]);
    assert_eq!(m.confidence, Some(Confidence::High));
    assert_eq!(r.confidence, Confidence::High);
    assert_eq!(m.likelihood, Some(Level::Low));
    assert_eq!(m.impact, Some(Level::Medium));
    assert_eq!(m.category.as_deref(), Some("security"));
    assert_eq!(m.subcategory, ["vuln"]);
    assert_eq!(m.technology, ["flask"]);
    assert_eq!(m.references.len(), 1);
    assert_eq!(
        serde_json::Value::Object(m.raw.clone())["custom"],
        serde_json::json!({"nested": [1, 2.5, true, null, "text"]})
    );
    assert!(matches!(search(&r), Formula::Regex(re) if re.regex.is_match("x = eval(y)")));
}

#[test]
fn cwe_list_is_normalised_and_deduplicated() {
    let r = rule(&with_body(
        "    pattern: x\n    metadata:\n      cwe:\n        - CWE-79\n        - \"cwe-079: XSS\"\n        - 20\n",
    ));
    assert_eq!(r.metadata.cwe, ["CWE-79", "CWE-20"]);
}

#[test]
fn unknown_key_has_position_path_and_hint() {
    let text = with_body("    patterns:\n      - pattern: a\n      - pattern-nott: b\n");
    assert_eq!(
        errors(&text),
        [
            r#"t.yaml:8:9: rules[0].patterns[1]: unknown key "pattern-nott" (did you mean "pattern-not"?)"#
        ]
    );
    assert_eq!(
        errors(&with_body("    pattern: a\n    colour: red\n")),
        [r#"t.yaml:7:5: rules[0]: unknown key "colour""#]
    );
}

#[test]
fn unsupported_semgrep_keys_are_named() {
    let cases = [
        (
            "    patterns:\n      - pattern: a\n      - pattern-where-python: vars['$X']\n",
            r#"t.yaml:8:9: rules[0].patterns[1]: "pattern-where-python" is not supported: it is deprecated in Semgrep and runs arbitrary Python code"#,
        ),
        (
            "    pattern: a\n    join: {}\n",
            r#"t.yaml:7:5: rules[0]: "join" is not supported: join mode is experimental in Semgrep"#,
        ),
        (
            "    pattern: a\n    r2c-internal-project-depends-on: {}\n",
            r#"t.yaml:7:5: rules[0]: "r2c-internal-project-depends-on" is not supported: it is internal to Semgrep"#,
        ),
        (
            "    match: a\n",
            r#"t.yaml:6:5: rules[0]: "match" is not supported: Semgrep's experimental new syntax is not supported; write pattern/patterns/pattern-either, or pattern-sources/pattern-sinks"#,
        ),
        (
            "    pattern: a\n    min-version: 1.0.0\n",
            r#"t.yaml:7:5: rules[0]: "min-version" is not supported: Semgrep version constraints do not apply to Gatehouse"#,
        ),
        (
            "    patterns:\n      - pattern: a\n      - metavariable-analysis: {analyzer: entropy, metavariable: $X}\n",
            r#"t.yaml:8:9: rules[0].patterns[1]: "metavariable-analysis" is not supported: Semgrep's metavariable analyzers (entropy, redos) are not implemented"#,
        ),
    ];
    for (body, expected) in cases {
        let got = errors(&with_body(body));
        assert!(
            got.iter().any(|e| e == expected),
            "{body}\nexpected {expected}\ngot {got:#?}"
        );
    }
}

#[test]
fn taint_label_is_rejected_clearly() {
    let text = "rules:\n  - id: t\n    mode: taint\n    message: m\n    severity: INFO\n    languages: [java]\n    pattern-sources:\n      - pattern: a\n        label: USER\n    pattern-sinks:\n      - pattern: b\n        requires: USER\n";
    assert_eq!(
        errors(text),
        [
            r#"t.yaml:9:9: rules[0].pattern-sources[0]: "label" is not supported: taint labels are not implemented"#,
            r#"t.yaml:12:9: rules[0].pattern-sinks[0]: "requires" is not supported: taint labels are not implemented"#,
        ]
    );
}

#[test]
fn mode_mismatches() {
    let taint_with_pattern = "rules:\n  - id: t\n    mode: taint\n    message: m\n    severity: INFO\n    languages: [java]\n    pattern: a\n    pattern-sources: [{pattern: s}]\n    pattern-sinks: [{pattern: k}]\n";
    assert_eq!(
        errors(taint_with_pattern),
        [
            r#"t.yaml:7:5: rules[0]: "pattern" is not allowed in a `mode: taint` rule; put patterns under pattern-sources, pattern-sinks, pattern-sanitizers or pattern-propagators"#
        ]
    );
    assert_eq!(
        errors(&with_body(
            "    pattern: a\n    pattern-sinks: [{pattern: k}]\n"
        )),
        [r#"t.yaml:7:5: rules[0]: "pattern-sinks" is only allowed with `mode: taint`"#]
    );
    let no_sinks = "rules:\n  - id: t\n    mode: taint\n    message: m\n    severity: INFO\n    languages: [java]\n    pattern-sources: [{pattern: s}]\n";
    assert_eq!(
        errors(no_sinks),
        [r#"t.yaml:2:5: rules[0]: missing required key "pattern-sinks""#]
    );
    assert_eq!(
        errors(&with_body("    mode: join\n    pattern: a\n")),
        [r#"t.yaml:6:11: rules[0].mode: mode "join" is not supported (expected search or taint)"#]
    );
}

#[test]
fn propagator_needs_from_and_to() {
    let text = "rules:\n  - id: t\n    mode: taint\n    message: m\n    severity: INFO\n    languages: [java]\n    pattern-sources: [{pattern: s}]\n    pattern-sinks: [{pattern: k}]\n    pattern-propagators:\n      - pattern: f($A, $B)\n        from: $A\n";
    assert_eq!(
        errors(text),
        [r#"t.yaml:10:9: rules[0].pattern-propagators[0]: missing required key "to""#]
    );
}

#[test]
fn formula_placement_and_shape() {
    let cases: [(&str, &[&str]); 7] = [
        (
            "    patterns:\n      - pattern-not: a\n",
            &[
                r#"t.yaml:6:5: rules[0].patterns: `patterns` needs at least one positive operator (pattern, patterns, pattern-either, pattern-regex, pattern-inside); negations and metavariable conditions only filter what those match"#,
            ],
        ),
        (
            "    pattern-either:\n      - pattern-not: a\n",
            &[
                r#"t.yaml:7:9: rules[0].pattern-either[0]: "pattern-not" is not allowed here; expected one of pattern, patterns, pattern-either, pattern-regex, pattern-inside (it must be an item of `patterns`)"#,
            ],
        ),
        (
            "    pattern-inside: a\n",
            &[
                r#"t.yaml:6:5: rules[0]: "pattern-inside" is not allowed here; expected one of pattern, patterns, pattern-either, pattern-regex (pattern-inside must be an item of `patterns` or `pattern-either`)"#,
            ],
        ),
        (
            "    pattern: a\n    pattern-regex: b\n",
            &[
                r#"t.yaml:7:5: rules[0]: a rule has exactly one of pattern, patterns, pattern-either, pattern-regex; found "pattern" and "pattern-regex""#,
            ],
        ),
        (
            "    patterns:\n      - pattern: a\n        pattern-not: b\n",
            &[
                r#"t.yaml:8:9: rules[0].patterns[0]: an item of `patterns` has exactly one key; found "pattern" and "pattern-not" (start each item with `- `)"#,
            ],
        ),
        (
            "    fix: x\n",
            &[
                r#"t.yaml:2:5: rules[0]: a rule needs one of pattern, patterns, pattern-either, pattern-regex"#,
            ],
        ),
        (
            "    patterns: []\n",
            &[r#"t.yaml:6:15: rules[0].patterns: `patterns` must not be empty"#],
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(errors(&with_body(body)), expected, "{body}");
    }
}

#[test]
fn metavariables_are_checked() {
    let text = with_body(
        "    patterns:\n      - pattern: f($x)\n      - focus-metavariable: x\n      - metavariable-regex:\n          metavariable: $lower\n          regex: a\n",
    );
    assert_eq!(
        errors(&text),
        [
            r#"t.yaml:8:29: rules[0].patterns[1].focus-metavariable: invalid metavariable "x" (expected `$` and an upper-case name such as $X or $...ARGS, or a regex group such as $1)"#,
            r#"t.yaml:10:25: rules[0].patterns[2].metavariable-regex.metavariable: invalid metavariable "$lower" (expected `$` and an upper-case name such as $X or $...ARGS, or a regex group such as $1)"#,
        ]
    );
}

#[test]
fn regex_errors_name_the_regex_and_rule() {
    let text = with_body(
        "    patterns:\n      - pattern: $F(...)\n      - metavariable-regex:\n          metavariable: $F\n          regex: (?!get_full_path)\n",
    );
    assert_eq!(
        errors(&text),
        [
            r#"t.yaml:10:18: rules[0].patterns[1].metavariable-regex.regex: invalid regex "(?!get_full_path)" in rule "r": look-around ((?=…), (?!…), (?<=…), (?<!…)) is not supported: Semgrep uses PCRE2, Gatehouse the linear-time `regex` crate; rewrite it, for example with pattern-not-regex or a metavariable-regex"#
        ]
    );
    assert_eq!(
        errors(&with_body("    pattern-regex: 'a(b'\n")),
        [r#"t.yaml:6:20: rules[0].pattern-regex: invalid regex "a(b" in rule "r": unclosed group"#]
    );
    assert_eq!(
        errors(&with_body("    pattern-regex: (?P<lower>a)\n")),
        [
            r#"t.yaml:6:20: rules[0].pattern-regex: capture group "lower" in regex "(?P<lower>a)" must be named like a metavariable (upper case, digits, `_`): it binds $lower"#
        ]
    );
    let r = rule(&with_body("    pattern-regex: a(?P<FIRST>.*)b(.*)\n"));
    assert!(matches!(search(&r), Formula::Regex(_)));
}

#[test]
fn required_fields_and_values() {
    let text =
        "rules:\n  - pattern: a\n    message: '  '\n    languages: []\n    severity: URGENT\n";
    assert_eq!(
        errors(text),
        [
            r#"t.yaml:2:5: rules[0]: missing required key "id""#,
            r#"t.yaml:3:14: rules[0].message: the message must not be empty"#,
            r#"t.yaml:4:16: rules[0].languages: the list of languages must not be empty"#,
            r#"t.yaml:5:15: rules[0].severity: unknown severity "URGENT" (expected CRITICAL, HIGH, MEDIUM, LOW, or Semgrep's legacy ERROR, WARNING, INFO)"#,
        ]
    );
    assert_eq!(
        errors("rules:\n  - id: x\n    message: m\n    severity: INFO\n    languages: [pyhton]\n    pattern: a\n"),
        [r#"t.yaml:5:17: rules[0].languages[0]: unknown language "pyhton" (did you mean "python"?)"#]
    );
}

#[test]
fn duplicate_ids_and_keys() {
    let text = "rules:\n  - id: a\n    message: m\n    severity: INFO\n    languages: [go]\n    pattern: x\n  - id: a\n    message: m\n    severity: INFO\n    languages: [go]\n    pattern: y\n    pattern: z\n";
    assert_eq!(
        errors(text),
        [
            r#"t.yaml:7:9: rules[1].id: duplicate rule id "a" (first defined at line 2)"#,
            r#"t.yaml:12:5: rules[1]: duplicate key "pattern" (first at line 11)"#,
        ]
    );
}

#[test]
fn one_broken_rule_leaves_the_others() {
    let text = "rules:\n  - id: good\n    message: m\n    severity: INFO\n    languages: [go]\n    pattern: x\n  - id: bad\n    message: m\n    severity: INFO\n    languages: [go]\n    pattern: x\n    pattern: y\n";
    let built = build::build(text, "t.yaml");
    assert_eq!(built.errors.len(), 1);
    let ids: Vec<&str> = built.rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["good"]);
}

#[test]
fn every_error_in_a_file_is_reported_in_order() {
    let text = "rules:\n  - id: a\n    message: m\n    severity: BAD\n    languages: [go]\n    pattern: x\n    extra: 1\n  - id: b\n    message: m\n    severity: INFO\n    languages: [klingon]\n    patterns:\n      - pattern-nott: y\n";
    let got = errors(text);
    assert_eq!(got.len(), 5, "{got:#?}");
    let lines: Vec<&str> = got
        .iter()
        .map(|e| e.split(':').nth(1).unwrap_or(""))
        .collect();
    assert_eq!(lines, ["4", "7", "11", "12", "13"]);
}

#[test]
fn wrong_types() {
    let cases: [(&str, &str); 12] = [
        ("    pattern: [a]\n", "rules[0].pattern: expected a pattern, found a list"),
        ("    pattern:\n", "rules[0].pattern: expected a pattern, found null"),
        ("    pattern: {a: b}\n", "rules[0].pattern: expected a pattern, found a mapping"),
        ("    patterns: a\n", "rules[0].patterns: expected a list of operators, found a string"),
        ("    patterns:\n      - a\n", "rules[0].patterns[0]: expected a mapping with one of pattern, patterns, pattern-either, pattern-regex, pattern-inside, pattern-not, pattern-not-inside, pattern-not-regex, metavariable-regex, metavariable-pattern, metavariable-comparison, focus-metavariable, found a string"),
        ("    pattern: a\n    metadata: [a]\n", "rules[0].metadata: expected a mapping, found a list"),
        ("    pattern: a\n    paths: src/\n", "rules[0].paths: expected a mapping with include and/or exclude, found a string"),
        ("    pattern: a\n    options: {symmetric_eq: yes}\n", "rules[0].options.symmetric_eq: expected true or false, found a string"),
        ("    pattern: a\n    options: {bogus: true}\n", "rules[0].options: unknown option \"bogus\" (known options: ac_matching, attr_expr, commutative_boolop, constant_propagation, decorators_order_matters, generic_comment_style, generic_ellipsis_max_span, implicit_return, interfile, symbolic_propagation, symmetric_eq, taint_assume_safe_booleans, taint_assume_safe_functions, taint_assume_safe_indexes, taint_assume_safe_numbers, vardef_assign, xml_attrs_implicit_ellipsis)"),
        ("    pattern: a\n    metadata: {confidence: sure}\n", "rules[0].metadata.confidence: unknown level \"sure\" (expected LOW, MEDIUM or HIGH)"),
        ("    pattern: a\n    metadata: {cwe: {a: 1}}\n", "rules[0].metadata.cwe: expected a CWE or a list of them, found a mapping"),
        ("    pattern: a\n    paths: {include: [\"src/[\"]}\n", "rules[0].paths.include: invalid glob \"src/[\": unclosed character class; missing ']'"),
    ];
    for (body, expected) in cases {
        let got = errors(&with_body(body));
        assert!(
            got.iter().any(|e| e.ends_with(expected)),
            "{body}\nexpected …{expected}\ngot {got:#?}"
        );
    }
}

#[test]
fn malformed_documents() {
    let cases: [(&str, &str); 12] = [
        ("", "t.yaml:1:1: empty rule file: expected a mapping with a `rules` list"),
        ("# only a comment\n", "t.yaml:1:1: empty rule file: expected a mapping with a `rules` list"),
        ("---\n", "t.yaml:2:1: expected a mapping with a `rules` list, found null"),
        ("- a\n- b\n", "t.yaml:1:1: expected a mapping with a `rules` list, found a list"),
        ("just text\n", "t.yaml:1:1: expected a mapping with a `rules` list, found a string"),
        ("rule: []\n", "t.yaml:1:1: unknown key \"rule\" (did you mean \"rules\"?)"),
        ("rules: {id: x}\n", "t.yaml:1:8: rules: expected a list of rules, found a mapping"),
        ("rules:\n  - just a string\n", "t.yaml:2:5: rules[0]: expected a rule (a mapping), found a string"),
        ("rules: [\n", "t.yaml:2:1: rules[0]: invalid YAML: while parsing a node, did not find expected node content"),
        ("rules: []\n---\nrules: []\n", "t.yaml:2:1: a rule file holds one YAML document; found a second one"),
        ("rules: !include other.yaml\n", "t.yaml:1:8: rules: YAML tags are not supported (found `include`)"),
        ("? [a]\n: b\n", "t.yaml:1:3: mapping keys must be scalars, not lists or mappings"),
    ];
    for (text, expected) in cases {
        let got = errors(text);
        assert!(
            got.iter().any(|e| e == expected),
            "{text:?}\nexpected {expected}\ngot {got:#?}"
        );
    }
    assert!(load("rules: []\n").is_ok_and(|r| r.is_empty()));
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let flow = format!("rules: {}", "[".repeat(100_000));
    let got = errors(&flow);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].ends_with("invalid YAML: nesting is too deep"),
        "{got:?}"
    );

    let mut block = String::from("rules:\n");
    for depth in 0..200 {
        block.push_str(&" ".repeat(2 + depth * 2));
        block.push_str("- patterns:\n");
    }
    let got = errors(&block);
    assert!(got[0].contains("nesting deeper than 64 levels"), "{got:?}");

    // Deep but within the limit: formulas nest, and the loader recurses without trouble.
    // The document, `rules` and the rule take three levels, each `pattern-either` two more.
    let nested = |levels: usize| {
        let mut text = with_body("    pattern-either:\n");
        let mut indent = 6;
        for _ in 1..levels {
            text.push_str(&format!("{}- pattern-either:\n", " ".repeat(indent)));
            indent += 4;
        }
        text.push_str(&format!("{}- pattern: x\n", " ".repeat(indent)));
        text
    };
    let r = rule(&nested(30));
    assert!(matches!(search(&r), Formula::Any(_)));
    let got = errors(&nested(31));
    assert!(got[0].contains("nesting deeper than 64 levels"), "{got:?}");
}

#[test]
fn aliases_expand_within_a_budget() {
    let ok = "x: &meta {category: security, cwe: CWE-22}\nrules:\n  - id: a\n    message: m\n    severity: INFO\n    languages: [go]\n    pattern: x\n    metadata: *meta\n";
    // The anchor lives under an unknown root key, so this is an error, but the alias resolved.
    let got = errors(ok);
    assert_eq!(got, [r#"t.yaml:1:1: unknown key "x""#]);

    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (name, previous) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        bomb.push_str(&format!(
            "{name}: &{name} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}]\n"
        ));
    }
    let got = errors(&bomb);
    assert!(
        got.iter()
            .any(|e| e.contains("aliases expand to more data")),
        "{got:?}"
    );
}

#[test]
fn tagged_strings_and_odd_scalars() {
    let r = rule(&with_body("    pattern: !!str 1 == 1\n    fix: 42\n"));
    assert_eq!(pattern_text(search(&r)), "1 == 1");
    assert_eq!(r.fix.as_deref(), Some("42"));
    // A number is read as the text it is written as.
    let r = rule(&with_body("    pattern: 1024\n"));
    assert_eq!(pattern_text(search(&r)), "1024");
}

#[test]
fn block_scalar_with_leading_blank_line_locates_lines() {
    let r = rule(&with_body("    pattern: |\n\n      foo(\n        $X)\n"));
    let Formula::Pattern(p) = search(&r) else {
        panic!()
    };
    assert_eq!(p.text, "\nfoo(\n  $X)\n");
    assert_eq!((p.origin.line, p.origin.column), (8, 7));
    assert_eq!(p.origin.locate(1, 0), Position { line: 8, column: 7 });
    assert_eq!(p.origin.locate(2, 2), Position { line: 9, column: 9 });
}

#[test]
fn load_paths_walks_directories_and_checks_ids_across_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, text).expect("write");
    };
    let rule_text = |id: &str| {
        format!("rules:\n  - id: {id}\n    message: m\n    severity: INFO\n    languages: [python]\n    pattern: x\n")
    };
    write("b/one.yaml", &rule_text("one"));
    write("a/two.yml", &rule_text("two"));
    write("a/two.py", "x = 1  # a test file, not a rule\n");
    write("a/.hidden/three.yaml", &rule_text("three"));
    write("c/dup.yaml", &rule_text("one"));
    write("c/broken.yaml", "rules: [\n");

    let (rules, errors) = load_paths(&[root.to_path_buf(), root.join("missing")]);
    let ids: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["two", "one"], "sorted walk, duplicate left out");
    let messages: Vec<String> = errors
        .iter()
        .map(|e| e.to_string().replace(&root.display().to_string(), "ROOT"))
        .collect();
    assert_eq!(messages.len(), 3, "{messages:#?}");
    assert!(
        messages[0].starts_with("ROOT/missing: cannot read: "),
        "{messages:#?}"
    );
    assert_eq!(
        messages[1],
        "ROOT/c/broken.yaml:2:1: rules[0]: invalid YAML: while parsing a node, did not find expected node content"
    );
    assert_eq!(
        messages[2],
        "ROOT/c/dup.yaml:2:5: duplicate rule id \"one\" (first defined at ROOT/b/one.yaml:2)"
    );

    // load_file is strict; a named file is loaded whatever its extension.
    write("rules.txt", &rule_text("txt"));
    let (rules, errors) = load_paths(&[root.join("rules.txt")]);
    assert!(errors.is_empty());
    assert_eq!(rules.len(), 1);
    assert!(load_file(&root.join("c/broken.yaml")).is_err());
    assert_eq!(load_file(&root.join("a/two.yml")).map(|r| r.len()), Ok(1));
    std::fs::write(root.join("latin1.yaml"), b"rules:\n  - id: caf\xe9\n").expect("write");
    let errors = load_file(&root.join("latin1.yaml")).expect_err("not UTF-8");
    assert_eq!(errors[0].line, Some(2));
    assert_eq!(errors[0].column, Some(12));
    assert_eq!(errors[0].message, "the file is not valid UTF-8");
}

/// A small deterministic generator (xorshift), so the mutation test needs no dependency and
/// fails the same way every time.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Mutates valid rule files thousands of times (bytes, lines, indentation, YAML punctuation)
/// and checks that loading never panics and that every error has a position.
#[test]
fn mutated_rule_files_never_panic() {
    let seeds = [
        include_str!("../../tests/fixtures/rules/search/every-operator.yaml"),
        include_str!("../../tests/fixtures/rules/taint/flask-sqli.yaml"),
    ];
    let pieces = [
        ":",
        "- ",
        "[",
        "]",
        "{",
        "}",
        "&a ",
        "*a",
        "!!str ",
        "|",
        ">",
        "'",
        "\"",
        "\n",
        "  ",
        "$X",
        "pattern",
        "patterns:\n",
        "\t",
        "? ",
        "#",
        "%YAML 1.2\n",
        "---\n",
        "...",
        "~",
        "\\",
        "(?=",
        "\u{feff}",
        "é",
    ];
    let rounds = std::env::var("RULE_FUZZ_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1500);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..rounds {
        let seed = seeds[round % seeds.len()];
        let mut text: Vec<char> = seed.chars().collect();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(text.len() + 1);
            match rng.below(5) {
                0 if at < text.len() => {
                    text.remove(at);
                }
                1 => {
                    let piece = pieces[rng.below(pieces.len())];
                    for (i, c) in piece.chars().enumerate() {
                        text.insert(at + i, c);
                    }
                }
                2 => text.truncate(at),
                3 if at < text.len() => {
                    let end = (at + rng.below(40)).min(text.len());
                    let copy: Vec<char> = text[at..end].to_vec();
                    let to = rng.below(text.len() + 1);
                    for (i, c) in copy.into_iter().enumerate() {
                        text.insert(to + i, c);
                    }
                }
                _ => {
                    let to = rng.below(text.len() + 1);
                    text.insert(to, ' ');
                }
            }
        }
        let text: String = text.into_iter().collect();
        if let Err(errors) = load(&text) {
            assert!(!errors.is_empty());
            for e in errors {
                assert!(e.line.is_some() && e.column.is_some(), "{e} in {text:?}");
                assert!(!e.message.is_empty());
            }
        }
    }
}
