//! The rule loader on fixture files: realistic rules for every feature load into the expected
//! model, and broken rule files give exactly the expected errors.

use std::path::{Path, PathBuf};

use gatehouse_core::{Confidence, Severity};
use gatehouse_sast::rule::{
    load_file, load_paths, Condition, Conjunction, Formula, LanguageKind, Level, Mode, Negation,
    Position, Rule, SideEffect, TaintSpec, TextStyle,
};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules")
}

fn load(rel: &str) -> Vec<Rule> {
    match load_file(&root().join(rel)) {
        Ok(rules) => rules,
        Err(errors) => {
            let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
            panic!("{rel}: {errors:#?}")
        }
    }
}

/// The errors of a fixture, with the fixture directory left out of the file names.
fn errors(rel: &str) -> Vec<String> {
    match load_file(&root().join(rel)) {
        Ok(rules) => panic!("{rel}: expected errors, loaded {} rules", rules.len()),
        Err(errors) => errors.iter().map(|e| relative(&e.to_string())).collect(),
    }
}

fn relative(text: &str) -> String {
    let prefix = format!("{}/", root().display());
    text.replace(&prefix, "")
}

fn by_id<'r>(rules: &'r [Rule], id: &str) -> &'r Rule {
    rules
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no rule {id}"))
}

fn conjunction(rule: &Rule) -> &Conjunction {
    match &rule.mode {
        Mode::Search(Formula::All(c)) => c,
        other => panic!("{}: not a `patterns` rule: {other:?}", rule.id),
    }
}

fn taint(rule: &Rule) -> &TaintSpec {
    match &rule.mode {
        Mode::Taint(spec) => spec,
        Mode::Search(_) => panic!("{}: not a taint rule", rule.id),
    }
}

#[test]
fn every_operator() {
    let rules = load("search/every-operator.yaml");
    let rule = &rules[0];
    assert_eq!(rule.id, "python-open-redirect-every-operator");
    assert_eq!(rule.severity, Severity::High);
    assert_eq!(rule.confidence, Confidence::Medium);
    assert!(rule.message.contains("`$REQUEST`"), "message kept verbatim");
    assert!(!rule.message.contains('\n'), "folded scalar");
    assert_eq!(rule.metadata.cwe, ["CWE-601"]);
    assert_eq!((rule.source.line, rule.source.column), (3, 5));

    let c = conjunction(rule);
    assert_eq!(
        c.position,
        Position {
            line: 13,
            column: 5
        }
    );
    // pattern-inside, pattern-either, pattern-regex
    assert_eq!(c.positives.len(), 3);
    let Formula::Inside(inside) = &c.positives[0] else {
        panic!("pattern-inside first")
    };
    let Formula::Pattern(p) = inside.as_ref() else {
        panic!("a pattern")
    };
    assert_eq!(p.text, "def $FUNC(...):\n  ...\n");
    assert_eq!(p.origin.style, TextStyle::Literal);
    assert_eq!(p.origin.key_path, "rules[0].patterns[0].pattern-inside");
    assert_eq!((p.origin.line, p.origin.column), (15, 11));
    assert_eq!(
        p.origin.locate(1, 2),
        Position {
            line: 16,
            column: 13
        }
    );
    assert!(p.origin.file.ends_with("search/every-operator.yaml"));
    let Formula::Any(alternatives) = &c.positives[1] else {
        panic!("pattern-either second")
    };
    assert_eq!(alternatives.len(), 3);
    assert!(matches!(&alternatives[2], Formula::All(inner) if inner.negatives.len() == 1));
    assert!(matches!(&c.positives[2], Formula::Regex(r) if r.regex.is_match("Location")));

    assert!(matches!(c.negatives[0], Negation::NotInside(_)));
    assert!(matches!(c.negatives[1], Negation::Not(_)));
    let Negation::NotRegex(nosec) = &c.negatives[2] else {
        panic!("pattern-not-regex")
    };
    assert_eq!(nosec.source, r"#\s*nosec");
    assert!(nosec.regex.is_match("redirect(x)  #  nosec"));

    let [Condition::Pattern(outer), Condition::Regex(regex), Condition::Comparison(cmp)] =
        c.conditions.as_slice()
    else {
        panic!("conditions in order: {:?}", c.conditions)
    };
    assert_eq!(outer.metavariable.as_str(), "$DATA");
    let Formula::All(inner) = &outer.formula else {
        panic!("patterns under metavariable-pattern")
    };
    let Condition::Pattern(nested) = &inner.conditions[0] else {
        panic!("nested metavariable-pattern")
    };
    assert_eq!(nested.metavariable.as_str(), "$REQUEST");
    assert!(matches!(&nested.formula, Formula::Any(alts) if alts.len() == 2));
    assert!(regex.regex.regex.is_match("view_profile"));
    assert!(
        !regex.regex.regex.is_match("my_view_profile"),
        "left-anchored"
    );
    assert_eq!(cmp.comparison, "len(str($FUNC)) < 64");
    assert_eq!(cmp.strip, Some(true));
    assert_eq!(cmp.base, None);
    assert_eq!(c.focus.len(), 1);
    assert_eq!(c.focus[0].metavariables[0].as_str(), "$DATA");
}

#[test]
fn nested_languages_and_ellipsis_metavariables() {
    let rules = load("search/nested-metavariable-pattern.yaml");
    assert_eq!(rules.len(), 2);
    let script = by_id(&rules, "html-inline-script-eval");
    assert_eq!(script.severity, Severity::Medium);
    assert_eq!(script.languages[0].kind, LanguageKind::Generic);
    let Condition::Pattern(mp) = &conjunction(script).conditions[0] else {
        panic!("metavariable-pattern")
    };
    assert!(mp.metavariable.is_ellipsis());
    let language = mp.language.as_ref().expect("language");
    assert_eq!(
        (language.name.as_str(), language.kind),
        ("javascript", LanguageKind::Code)
    );

    let gem = by_id(&rules, "gemfile-google-dependency");
    assert_eq!(gem.severity, Severity::Low);
    assert_eq!(gem.message, "Google dependency: $1 $2");
    let c = conjunction(gem);
    let Formula::Regex(regex) = &c.positives[0] else {
        panic!("pattern-regex")
    };
    let captures = regex
        .regex
        .captures(r#"gem "google-cloud-storage", "~> 1.29""#)
        .expect("matches");
    assert_eq!(&captures[1], "google-cloud-storage");
    let Condition::Pattern(mp) = &c.conditions[0] else {
        panic!("metavariable-pattern")
    };
    assert_eq!(mp.metavariable.as_str(), "$1");
}

#[test]
fn paths_metadata_fix_options() {
    let rules = load("search/paths-and-metadata.yaml");
    let tls = by_id(&rules, "go-insecure-tls-skip-verify");
    assert_eq!(tls.severity, Severity::High);
    let names: Vec<&str> = tls.languages.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["go", "golang"]);
    assert_eq!(tls.fix.as_deref(), Some("InsecureSkipVerify: false"));
    assert_eq!(tls.paths.include, ["cmd/**/*.go", "internal/"]);
    assert_eq!(tls.paths.exclude, ["*_test.go", "testdata/"]);
    assert_eq!(tls.options.symmetric_eq, Some(true));
    assert_eq!(tls.options.constant_propagation, Some(true));
    assert_eq!(tls.options.ac_matching, None);
    let m = &tls.metadata;
    assert_eq!(m.cwe, ["CWE-295", "CWE-297"]);
    assert_eq!(m.owasp.len(), 2);
    assert_eq!(m.references, ["https://pkg.go.dev/crypto/tls#Config"]);
    assert_eq!(tls.confidence, Confidence::High);
    assert_eq!(m.likelihood, Some(Level::Medium));
    assert_eq!(m.impact, Some(Level::High));
    assert_eq!(m.subcategory, ["vuln"]);
    assert_eq!(m.technology, ["go", "tls"]);
    assert_eq!(
        m.raw.get("source-rule-url").and_then(|v| v.as_str()),
        Some("https://example.invalid/rules/tls")
    );
    assert!(
        matches!(&tls.mode, Mode::Search(Formula::Pattern(p)) if p.text == "InsecureSkipVerify: true")
    );

    let key = by_id(&rules, "private-key-block");
    assert_eq!(key.severity, Severity::Critical);
    assert_eq!(key.languages[0].kind, LanguageKind::Regex);
    assert!(key.paths.include.is_empty());
    assert_eq!(key.paths.exclude, ["*.pub"]);
    assert_eq!(key.metadata.cwe, ["CWE-798"]);
    assert_eq!(key.confidence, Confidence::Medium, "the default");
}

#[test]
fn taint_sources_sinks_sanitizers_propagators() {
    let rules = load("taint/flask-sqli.yaml");
    let rule = &rules[0];
    assert_eq!(rule.metadata.cwe, ["CWE-89"]);
    assert_eq!(rule.metadata.owasp, ["A03:2021 - Injection"]);
    assert_eq!(rule.options.taint_assume_safe_numbers, Some(true));
    let spec = taint(rule);

    assert_eq!(spec.sources.len(), 2);
    assert!(!spec.sources[0].exact);
    assert_eq!(spec.sources[0].by_side_effect, SideEffect::No);
    assert!(matches!(&spec.sources[0].formula, Formula::All(c) if c.positives.len() == 2));
    assert_eq!(spec.sources[1].by_side_effect, SideEffect::Yes);
    assert_eq!(
        spec.sources[0].position,
        Position {
            line: 20,
            column: 9
        }
    );

    assert_eq!(spec.sanitizers.len(), 2);
    assert!(matches!(spec.sanitizers[0].formula, Formula::Any(_)));
    assert_eq!(spec.sanitizers[1].by_side_effect, SideEffect::Only);
    assert!(spec.sanitizers[1].exact);

    assert_eq!(spec.propagators.len(), 2);
    let append = &spec.propagators[0];
    assert_eq!(
        (append.from.as_str(), append.to.as_str()),
        ("$ITEM", "$LIST")
    );
    assert!(
        append.by_side_effect,
        "propagators default to by-side-effect"
    );
    assert!(!spec.propagators[1].by_side_effect);

    assert_eq!(spec.sinks.len(), 2);
    assert!(spec.sinks[0].exact, "sinks default to exact");
    assert!(!spec.sinks[1].exact);
    let Formula::All(sink) = &spec.sinks[0].formula else {
        panic!("patterns sink")
    };
    assert_eq!(sink.focus[0].metavariables[0].as_str(), "$QUERY");
}

#[test]
fn semgrep_style_rules() {
    let python = load("semgrep-style/python.yaml");
    let javascript = load("semgrep-style/javascript.yaml");
    let others = load("semgrep-style/java-go-ruby.yaml");
    let summary: Vec<(&str, Severity, bool)> = python
        .iter()
        .chain(&javascript)
        .chain(&others)
        .map(|r| (r.id.as_str(), r.severity, matches!(r.mode, Mode::Taint(_))))
        .collect();
    assert_eq!(
        summary,
        [
            ("python-subprocess-shell-true", Severity::High, false),
            ("python-weak-hash", Severity::Medium, false),
            ("python-return-in-init", Severity::Low, false),
            ("python-eqeq-is-bad", Severity::Low, false),
            ("js-eval-user-input", Severity::High, false),
            ("js-dom-innerhtml", Severity::Medium, false),
            ("express-open-redirect", Severity::Medium, true),
            ("java-sql-string-concat", Severity::High, false),
            ("go-exec-shell", Severity::High, false),
            ("ruby-yaml-load", Severity::Medium, false),
            ("c-strcpy-propagation", Severity::Critical, true),
        ]
    );
    let weak = by_id(&python, "python-weak-hash");
    assert_eq!(weak.metadata.cwe, ["CWE-327", "CWE-328"]);
    let shell = by_id(&python, "python-subprocess-shell-true");
    assert_eq!(
        shell.fix.as_deref(),
        Some("subprocess.$FUNC(shlex.split(...))")
    );
    assert_eq!(shell.metadata.cwe, ["CWE-78"]);
    let xss = by_id(&javascript, "js-dom-innerhtml");
    assert_eq!(xss.metadata.cwe, ["CWE-79"]);
    let c_rule = by_id(&others, "c-strcpy-propagation");
    assert_eq!(taint(c_rule).propagators.len(), 2);
}

#[test]
fn load_paths_over_the_valid_fixtures() {
    let dirs: Vec<PathBuf> = ["search", "taint", "semgrep-style"]
        .iter()
        .map(|d| root().join(d))
        .collect();
    let (rules, errors) = load_paths(&dirs);
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(rules.len(), 17);
    let files: Vec<String> = rules
        .iter()
        .map(|r| relative(&r.source.file))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(
        files,
        [
            "search/every-operator.yaml",
            "search/nested-metavariable-pattern.yaml",
            "search/paths-and-metadata.yaml",
            "semgrep-style/java-go-ruby.yaml",
            "semgrep-style/javascript.yaml",
            "semgrep-style/python.yaml",
            "taint/flask-sqli.yaml",
        ]
    );
}

#[test]
fn broken_search_rules() {
    assert_eq!(
        errors("broken/search.yaml"),
        [
            r#"broken/search.yaml:9:9: rules[0].patterns[1]: unknown key "pattern-nott" (did you mean "pattern-not"?)"#,
            r#"broken/search.yaml:15:5: rules[1].patterns: `patterns` needs at least one positive operator (pattern, patterns, pattern-either, pattern-regex, pattern-inside); negations and metavariable conditions only filter what those match"#,
            r#"broken/search.yaml:27:18: rules[2].patterns[1].metavariable-regex.regex: invalid regex "(?!safe_)\\w+" in rule "lookahead": look-around ((?=…), (?!…), (?<=…), (?<!…)) is not supported: Semgrep uses PCRE2, Gatehouse the linear-time `regex` crate; rewrite it, for example with pattern-not-regex or a metavariable-regex"#,
            r#"broken/search.yaml:35:34: rules[3].patterns[1].focus-metavariable[1]: invalid metavariable "x" (expected `$` and an upper-case name such as $X or $...ARGS, or a regex group such as $1)"#,
            r#"broken/search.yaml:43:9: rules[4].patterns[1]: "pattern-where-python" is not supported: it is deprecated in Semgrep and runs arbitrary Python code"#,
            r#"broken/search.yaml:44:5: rules[4]: "fix-regex" is not supported: use `fix`"#,
            r#"broken/search.yaml:48:9: rules[5].id: duplicate rule id "typo-in-operator" (first defined at line 3)"#,
            r#"broken/search.yaml:49:14: rules[5].message: the message must not be empty"#,
            r#"broken/search.yaml:50:15: rules[5].severity: unknown severity "SEVERE" (expected CRITICAL, HIGH, MEDIUM, LOW, or Semgrep's legacy ERROR, WARNING, INFO)"#,
            r#"broken/search.yaml:51:17: rules[5].languages[0]: unknown language "pyhton" (did you mean "python"?)"#,
            r#"broken/search.yaml:53:5: rules[5]: a rule has exactly one of pattern, patterns, pattern-either, pattern-regex; found "pattern" and "pattern-regex""#,
            r#"broken/search.yaml:55:5: rules[6]: missing required keys "message", "severity", "languages""#,
            r#"broken/search.yaml:59:19: rules[6].metadata.confidence: unknown level "certain" (expected LOW, MEDIUM or HIGH)"#,
        ]
    );
}

#[test]
fn broken_taint_rule() {
    assert_eq!(
        errors("broken/taint.yaml"),
        [
            r#"broken/taint.yaml:2:5: rules[0]: missing required key "pattern-sinks""#,
            r#"broken/taint.yaml:7:5: rules[0]: "pattern" is not allowed in a `mode: taint` rule; put patterns under pattern-sources, pattern-sinks, pattern-sanitizers or pattern-propagators"#,
            r#"broken/taint.yaml:10:9: rules[0].pattern-sources[0]: "label" is not supported: taint labels are not implemented"#,
            r#"broken/taint.yaml:13:25: rules[0].pattern-sources[1].by-side-effect: expected true, false or only, found a string"#,
            r#"broken/taint.yaml:15:9: rules[0].pattern-propagators[0]: missing required key "to""#,
            r#"broken/taint.yaml:17:25: rules[0].pattern-sanitizers: `pattern-sanitizers` must not be empty"#,
        ]
    );
}

#[test]
fn broken_yaml() {
    assert_eq!(
        errors("broken/yaml-syntax.yaml"),
        [
            r#"broken/yaml-syntax.yaml:6:14: rules[0].pattern: invalid YAML: while scanning a quoted scalar, found unexpected end of stream"#
        ]
    );
    assert_eq!(
        errors("broken/duplicate-keys.yaml"),
        [
            r#"broken/duplicate-keys.yaml:4:5: rules[0]: duplicate key "message" (first at line 3)"#,
            r#"broken/duplicate-keys.yaml:9:9: rules[0].patterns[0]: an item of `patterns` has exactly one key; found "pattern" and "pattern-not" (start each item with `- `)"#,
        ]
    );
}

#[test]
fn error_fields() {
    let errors = load_file(&root().join("broken/search.yaml")).expect_err("broken");
    let first = &errors[0];
    assert!(Path::new(&first.file).ends_with("broken/search.yaml"));
    assert_eq!((first.line, first.column), (Some(9), Some(9)));
    assert_eq!(first.key_path, "rules[0].patterns[1]");
    assert_eq!(
        first.message,
        r#"unknown key "pattern-nott" (did you mean "pattern-not"?)"#
    );
}

#[test]
fn load_paths_keeps_valid_rules_of_broken_files() {
    let (rules, errors) = load_paths(&[root().join("broken")]);
    let ids: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["fine"]);
    assert_eq!(errors.len(), 2 + 13 + 6 + 1);
    // Files in name order: duplicate-keys, search, taint, yaml-syntax.
    assert!(errors[0].file.ends_with("duplicate-keys.yaml"));
    assert!(errors[errors.len() - 1].file.ends_with("yaml-syntax.yaml"));
}
