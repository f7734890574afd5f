//! From a positioned YAML tree to validated [`Rule`]s, collecting every error on the way.

use std::collections::HashMap;
use std::sync::Arc;

use gatehouse_core::Confidence;
use regex::RegexBuilder;

use super::error::RuleError;
use super::model::{
    parse_severity, Condition, Conjunction, Focus, Formula, GenericCommentStyle, Language,
    LanguageKind, Level, Metadata, Metavariable, MetavariableComparison, MetavariablePattern,
    MetavariableRegex, Mode, Negation, PathFilter, Pattern, Position, RegexPattern, Rule,
    RuleOptions, RuleSource, SideEffect, TaintPropagator, TaintSanitizer, TaintSink, TaintSource,
    TaintSpec, TextOrigin, TextStyle,
};
use super::yaml::{self, Key, Mark, Node, Scalar, Value};

/// The keys a rule may have besides its formula or taint keys.
const RULE_KEYS: &[&str] = &[
    "id",
    "message",
    "severity",
    "languages",
    "metadata",
    "mode",
    "paths",
    "fix",
    "options",
];
/// The taint keys of a `mode: taint` rule.
const TAINT_KEYS: &[&str] = &[
    "pattern-sources",
    "pattern-sinks",
    "pattern-sanitizers",
    "pattern-propagators",
];
/// Every formula operator.
const TERM_KEYS: &[&str] = &[
    "pattern",
    "patterns",
    "pattern-either",
    "pattern-regex",
    "pattern-inside",
    "pattern-not",
    "pattern-not-inside",
    "pattern-not-regex",
    "metavariable-regex",
    "metavariable-pattern",
    "metavariable-comparison",
    "focus-metavariable",
];
/// What may start a formula: at the top of a rule, in a taint item, under a
/// `metavariable-pattern`.
const TOP_KEYS: &[&str] = &["pattern", "patterns", "pattern-either", "pattern-regex"];
/// The positive operators: what may be an item of `pattern-either`, or the mapping value of
/// `pattern-inside`, `pattern-not` and `pattern-not-inside`.
const POSITIVE_KEYS: &[&str] = &[
    "pattern",
    "patterns",
    "pattern-either",
    "pattern-regex",
    "pattern-inside",
];
const OPTION_KEYS: &[&str] = &[
    "ac_matching",
    "attr_expr",
    "commutative_boolop",
    "constant_propagation",
    "decorators_order_matters",
    "generic_comment_style",
    "generic_ellipsis_max_span",
    "implicit_return",
    "interfile",
    "symbolic_propagation",
    "symmetric_eq",
    "taint_assume_safe_booleans",
    "taint_assume_safe_functions",
    "taint_assume_safe_indexes",
    "taint_assume_safe_numbers",
    "vardef_assign",
    "xml_attrs_implicit_ellipsis",
];

/// Semgrep's language keys (its `lang.json`) and what each selects.
const LANGUAGES: &[(&str, LanguageKind)] = &[
    ("apex", LanguageKind::Code),
    ("bash", LanguageKind::Code),
    ("sh", LanguageKind::Code),
    ("c", LanguageKind::Code),
    ("cairo", LanguageKind::Code),
    ("clojure", LanguageKind::Code),
    ("cpp", LanguageKind::Code),
    ("c++", LanguageKind::Code),
    ("csharp", LanguageKind::Code),
    ("c#", LanguageKind::Code),
    ("dart", LanguageKind::Code),
    ("dockerfile", LanguageKind::Code),
    ("docker", LanguageKind::Code),
    ("ex", LanguageKind::Code),
    ("elixir", LanguageKind::Code),
    ("go", LanguageKind::Code),
    ("golang", LanguageKind::Code),
    ("hack", LanguageKind::Code),
    ("html", LanguageKind::Code),
    ("java", LanguageKind::Code),
    ("js", LanguageKind::Code),
    ("javascript", LanguageKind::Code),
    ("json", LanguageKind::Code),
    ("jsonnet", LanguageKind::Code),
    ("julia", LanguageKind::Code),
    ("kt", LanguageKind::Code),
    ("kotlin", LanguageKind::Code),
    ("lisp", LanguageKind::Code),
    ("lua", LanguageKind::Code),
    ("ocaml", LanguageKind::Code),
    ("php", LanguageKind::Code),
    ("proto", LanguageKind::Code),
    ("protobuf", LanguageKind::Code),
    ("proto3", LanguageKind::Code),
    ("python2", LanguageKind::Code),
    ("python3", LanguageKind::Code),
    ("py", LanguageKind::Code),
    ("python", LanguageKind::Code),
    ("r", LanguageKind::Code),
    ("ruby", LanguageKind::Code),
    ("rust", LanguageKind::Code),
    ("scala", LanguageKind::Code),
    ("scheme", LanguageKind::Code),
    ("solidity", LanguageKind::Code),
    ("sol", LanguageKind::Code),
    ("swift", LanguageKind::Code),
    ("tf", LanguageKind::Code),
    ("hcl", LanguageKind::Code),
    ("terraform", LanguageKind::Code),
    ("ts", LanguageKind::Code),
    ("typescript", LanguageKind::Code),
    ("vue", LanguageKind::Code),
    ("xml", LanguageKind::Code),
    ("yaml", LanguageKind::Code),
    ("generic", LanguageKind::Generic),
    ("spacegrep", LanguageKind::Generic),
    ("aliengrep", LanguageKind::Generic),
    ("regex", LanguageKind::Regex),
    ("none", LanguageKind::Regex),
];

/// The compiled-size limit of one regex, so a rule cannot make the scanner allocate without
/// bound.
const REGEX_SIZE_LIMIT: usize = 1 << 22;

/// Where a key is being read, deciding which real-but-unsupported Semgrep keys to name.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Document,
    Rule,
    Formula,
    Source,
    Sink,
    Sanitizer,
    Propagator,
    Other,
}

/// Why a key Semgrep knows is refused here, or `None` for a key Semgrep does not know either.
fn unsupported(place: Place, key: &str) -> Option<&'static str> {
    if key.starts_with("r2c-internal-") || key.starts_with("semgrep-internal-") {
        return Some("it is internal to Semgrep");
    }
    let reason = match (place, key) {
        (Place::Rule, "join") => "join mode is experimental in Semgrep",
        (Place::Rule, "extract" | "dest-language" | "transform" | "reduce") => {
            "extract mode is experimental in Semgrep"
        }
        (Place::Rule, "match" | "taint") => {
            "Semgrep's experimental new syntax is not supported; write pattern/patterns/\
             pattern-either, or pattern-sources/pattern-sinks"
        }
        (Place::Rule, "fix-regex") => "use `fix`",
        (Place::Rule, "min-version" | "max-version" | "version") => {
            "Semgrep version constraints do not apply to Gatehouse"
        }
        (Place::Rule, "project-depends-on") => {
            "dependency conditions belong to Semgrep Supply Chain"
        }
        (Place::Rule, "equivalences") => "equivalences were removed from Semgrep",
        (Place::Formula, "pattern-where-python") => {
            "it is deprecated in Semgrep and runs arbitrary Python code"
        }
        (Place::Formula, "metavariable-analysis") => {
            "Semgrep's metavariable analyzers (entropy, redos) are not implemented"
        }
        (Place::Formula, "metavariable-name") => "it needs Semgrep Pro's name resolution",
        (Place::Formula, "metavariable-type") => "it needs type information",
        (Place::Source | Place::Propagator, "label")
        | (Place::Source | Place::Sink | Place::Propagator, "requires")
        | (Place::Propagator, "replace-labels") => "taint labels are not implemented",
        (Place::Source, "control") | (Place::Sink, "at-exit") => "it is a Semgrep Pro feature",
        (Place::Sanitizer, "not-conflicting") => "it is deprecated in Semgrep",
        _ => return None,
    };
    Some(reason)
}

/// What `build` found in one file: the rules that validated (with their index in `rules`), and
/// every error.
pub(crate) struct Built {
    pub rules: Vec<Rule>,
    pub errors: Vec<RuleError>,
}

/// Parses and validates one rule file. A rule with any error is left out; the others are kept.
pub(crate) fn build(text: &str, file: &str) -> Built {
    let (root, mut errors) = yaml::parse(text, file);
    let mut builder = Builder {
        file: Arc::from(file),
        errors: Vec::new(),
        rule_id: String::new(),
    };
    let mut rules = Vec::new();
    match root {
        Some(root) => rules = builder.document(&root),
        None if errors.is_empty() => builder.errors.push(RuleError::at(
            file,
            1,
            1,
            "",
            "empty rule file: expected a mapping with a `rules` list",
        )),
        None => {}
    }
    errors.append(&mut builder.errors);
    // A rule is valid only if no error, including the YAML layer's duplicate keys, is inside it.
    let rules = rules
        .into_iter()
        .filter(|(index, _)| {
            let prefix = format!("rules[{index}]");
            !errors.iter().any(|e| {
                e.key_path.strip_prefix(&prefix).is_some_and(|rest| {
                    rest.is_empty() || rest.starts_with('.') || rest.starts_with('[')
                })
            })
        })
        .map(|(_, rule)| rule)
        .collect();
    errors.sort_by_key(|e| (e.line, e.column));
    Built { rules, errors }
}

struct Builder {
    file: Arc<str>,
    errors: Vec<RuleError>,
    /// The id of the rule being built, for messages that name it.
    rule_id: String,
}

/// A rule's `mode`.
#[derive(Clone, Copy)]
enum ModeKind {
    Search,
    Taint,
}

/// The known keys of a mapping, each with its key and value.
type Fields<'n> = HashMap<&'static str, (&'n Key, &'n Node)>;

/// One operator of a formula, sorted by its role in a `patterns`.
enum Term {
    Positive(Formula),
    Negative(Negation),
    Condition(Condition),
    Focus(Focus),
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn position(mark: Mark) -> Position {
    Position {
        line: mark.line,
        column: mark.column,
    }
}

fn quoted_list(keys: &[&str]) -> String {
    keys.join(", ")
}

/// Levenshtein distance, for "did you mean" hints on short keys.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

fn suggestion<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    if key.len() > 64 {
        return None;
    }
    known
        .iter()
        .map(|k| (distance(key, k), *k))
        .filter(|(d, k)| *d > 0 && *d <= 2.max(k.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Semgrep's PCRE2 constructs that the `regex` crate refuses, explained.
fn describe_regex_error(error: &regex::Error) -> String {
    let text = error.to_string();
    let detail = text
        .lines()
        .rev()
        .find_map(|line| line.trim().strip_prefix("error: "))
        .unwrap_or_else(|| text.lines().last().unwrap_or("").trim())
        .to_string();
    if detail.contains("look-around") {
        "look-around ((?=…), (?!…), (?<=…), (?<!…)) is not supported: Semgrep uses PCRE2, \
         Gatehouse the linear-time `regex` crate; rewrite it, for example with \
         pattern-not-regex or a metavariable-regex"
            .to_string()
    } else if detail.contains("backreference") {
        "backreferences (\\1, \\k<name>) are not supported: Semgrep uses PCRE2, Gatehouse the \
         linear-time `regex` crate; bind the text to a metavariable instead"
            .to_string()
    } else {
        detail
    }
}

/// `CWE-89`, `cwe-89: Improper Neutralization …`, `CWE 89` → `CWE-89`.
fn normalise_cwe(text: &str) -> Option<String> {
    let t = text.trim();
    let head = t.get(..3)?;
    if !head.eq_ignore_ascii_case("cwe") {
        return None;
    }
    let rest = t[3..].trim_start_matches(['-', ' ', '_']);
    let end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let (digits, tail) = rest.split_at(end);
    if digits.is_empty() || !(tail.is_empty() || tail.starts_with([':', ' ', '\t', '-'])) {
        return None;
    }
    let digits = digits.trim_start_matches('0');
    Some(format!(
        "CWE-{}",
        if digits.is_empty() { "0" } else { digits }
    ))
}

impl Builder {
    fn error(&mut self, mark: Mark, path: &str, message: impl Into<String>) {
        self.errors.push(RuleError::at(
            &self.file,
            mark.line,
            mark.column,
            path,
            message,
        ));
    }

    /// An unknown key, or one Semgrep knows but Gatehouse does not support.
    fn unknown_key(&mut self, key: &Key, path: &str, place: Place, known: &[&str]) {
        let message = match unsupported(place, &key.text) {
            Some(reason) => format!("{:?} is not supported: {reason}", key.text),
            None => match suggestion(&key.text, known) {
                Some(hint) => format!("unknown key {:?} (did you mean {hint:?}?)", key.text),
                None => format!("unknown key {:?}", key.text),
            },
        };
        self.error(key.mark, path, message);
    }

    fn map<'n>(&mut self, node: &'n Node, path: &str, what: &str) -> Option<&'n [(Key, Node)]> {
        match &node.value {
            Value::Map(entries) => Some(entries),
            _ => {
                self.error(
                    node.mark,
                    path,
                    format!("expected {what}, found {}", node.describe()),
                );
                None
            }
        }
    }

    fn seq<'n>(&mut self, node: &'n Node, path: &str, what: &str) -> Option<&'n [Node]> {
        match &node.value {
            Value::Seq(items) => Some(items),
            _ => {
                self.error(
                    node.mark,
                    path,
                    format!("expected {what}, found {}", node.describe()),
                );
                None
            }
        }
    }

    /// A scalar's text: strings, and numbers or booleans read as the text they are written as.
    fn text(&mut self, node: &Node, path: &str, what: &str) -> Option<String> {
        match (&node.value, node.scalar()) {
            (Value::Scalar { text, .. }, Some(s)) if s != Scalar::Null => Some(text.clone()),
            _ => {
                self.error(
                    node.mark,
                    path,
                    format!("expected {what}, found {}", node.describe()),
                );
                None
            }
        }
    }

    /// Like `text`, but the text must not be blank.
    fn non_empty_text(&mut self, node: &Node, path: &str, what: &str) -> Option<String> {
        let text = self.text(node, path, what)?;
        if text.trim().is_empty() {
            self.error(node.mark, path, format!("{what} must not be empty"));
            return None;
        }
        Some(text)
    }

    fn boolean(&mut self, node: &Node, path: &str) -> Option<bool> {
        match node.scalar() {
            Some(Scalar::Bool(b)) => Some(b),
            _ => {
                self.error(
                    node.mark,
                    path,
                    format!("expected true or false, found {}", node.describe()),
                );
                None
            }
        }
    }

    fn integer(&mut self, node: &Node, path: &str, min: i64, max: i64) -> Option<i64> {
        match node.scalar() {
            Some(Scalar::Int(i)) if (min..=max).contains(&i) => Some(i),
            Some(Scalar::Int(i)) => {
                self.error(
                    node.mark,
                    path,
                    format!("{i} is out of range (expected {min} to {max})"),
                );
                None
            }
            _ => {
                self.error(
                    node.mark,
                    path,
                    format!("expected an integer, found {}", node.describe()),
                );
                None
            }
        }
    }

    /// A string or a list of strings.
    fn strings(&mut self, node: &Node, path: &str, what: &str) -> Option<Vec<(String, Mark)>> {
        match &node.value {
            Value::Seq(items) => {
                let mut out = Vec::new();
                let mut ok = true;
                for (i, item) in items.iter().enumerate() {
                    match self.text(item, &format!("{path}[{i}]"), what) {
                        Some(text) => out.push((text, item.mark)),
                        None => ok = false,
                    }
                }
                ok.then_some(out)
            }
            _ => {
                let text = self.text(node, path, &format!("{what} or a list of them"))?;
                Some(vec![(text, node.mark)])
            }
        }
    }

    /// Reads the keys of a mapping that has a fixed set of them; others are errors.
    fn fields<'n>(
        &mut self,
        entries: &'n [(Key, Node)],
        path: &str,
        place: Place,
        allowed: &[&'static str],
    ) -> Fields<'n> {
        let mut fields = HashMap::new();
        for (key, value) in entries {
            match allowed.iter().find(|k| **k == key.text) {
                Some(name) => {
                    fields.insert(*name, (key, value));
                }
                None => self.unknown_key(key, path, place, allowed),
            }
        }
        fields
    }

    fn missing(&mut self, mark: Mark, path: &str, key: &str) {
        self.error(mark, path, format!("missing required key {key:?}"));
    }

    fn origin(&self, node: &Node, path: &str) -> TextOrigin {
        let (text, style) = node.scalar_text().unwrap_or(("", TextStyle::Plain));
        let leading_newlines = match style {
            TextStyle::Literal | TextStyle::Folded => {
                text.chars().take_while(|c| *c == '\n').count()
            }
            _ => 0,
        };
        TextOrigin {
            file: self.file.clone(),
            key_path: path.to_string(),
            line: node.mark.line,
            column: node.mark.column,
            style,
            leading_newlines,
        }
    }

    // ---- document and rule ------------------------------------------------------------------

    fn document(&mut self, root: &Node) -> Vec<(usize, Rule)> {
        let Value::Map(entries) = &root.value else {
            let found = root.describe();
            self.error(
                root.mark,
                "",
                format!("expected a mapping with a `rules` list, found {found}"),
            );
            return Vec::new();
        };
        let fields = self.fields(entries, "", Place::Document, &["rules"]);
        let Some((_, rules)) = fields.get("rules").copied() else {
            self.missing(root.mark, "", "rules");
            return Vec::new();
        };
        let Some(items) = self.seq(rules, "rules", "a list of rules") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut ids: HashMap<String, usize> = HashMap::new();
        for (index, item) in items.iter().enumerate() {
            let path = format!("rules[{index}]");
            // Ids are checked even on rules with other errors, so that every problem shows.
            if let Some((id, mark)) = raw_id(item) {
                match ids.get(id) {
                    Some(first) => {
                        let message =
                            format!("duplicate rule id {id:?} (first defined at line {first})");
                        self.error(mark, &child(&path, "id"), message);
                    }
                    None => {
                        ids.insert(id.to_string(), item.mark.line);
                    }
                }
            }
            if let Some(rule) = self.rule(item, &path) {
                out.push((index, rule));
            }
        }
        out
    }

    fn rule(&mut self, node: &Node, path: &str) -> Option<Rule> {
        let entries = self.map(node, path, "a rule (a mapping)")?;
        let errors_before = self.errors.len();
        let mut fields: HashMap<&str, (&Key, &Node)> = HashMap::new();
        let mut terms: Vec<(&Key, &Node)> = Vec::new();
        let mut taint: Vec<(&Key, &Node)> = Vec::new();
        for (key, value) in entries {
            let k = key.text.as_str();
            if RULE_KEYS.contains(&k) {
                fields.insert(k, (key, value));
            } else if TERM_KEYS.contains(&k) {
                terms.push((key, value));
            } else if TAINT_KEYS.contains(&k) {
                taint.push((key, value));
            } else {
                let known: Vec<&str> = RULE_KEYS
                    .iter()
                    .chain(TOP_KEYS)
                    .chain(TAINT_KEYS)
                    .copied()
                    .collect();
                self.unknown_key(key, path, Place::Rule, &known);
            }
        }
        let missing: Vec<String> = ["id", "message", "severity", "languages"]
            .iter()
            .filter(|k| !fields.contains_key(*k))
            .map(|k| format!("{k:?}"))
            .collect();
        match missing.len() {
            0 => {}
            1 => self.error(
                node.mark,
                path,
                format!("missing required key {}", missing[0]),
            ),
            _ => self.error(
                node.mark,
                path,
                format!("missing required keys {}", missing.join(", ")),
            ),
        }

        let id = fields.get("id").and_then(|(_, v)| {
            let p = child(path, "id");
            let id = self.non_empty_text(v, &p, "a rule id")?;
            if id.chars().any(|c| c.is_whitespace() || c.is_control()) {
                self.error(
                    v.mark,
                    &p,
                    format!("rule id {id:?} must not contain spaces"),
                );
                return None;
            }
            Some(id)
        });
        self.rule_id = id.clone().unwrap_or_else(|| path.to_string());
        let message = fields
            .get("message")
            .and_then(|(_, v)| self.non_empty_text(v, &child(path, "message"), "the message"));
        let severity = fields
            .get("severity")
            .and_then(|(_, v)| self.severity(v, &child(path, "severity")));
        let languages = fields
            .get("languages")
            .and_then(|(_, v)| self.languages(v, &child(path, "languages")));
        let metadata = match fields.get("metadata") {
            Some((_, v)) => self.metadata(v, &child(path, "metadata")),
            None => Some(Metadata::default()),
        };
        let paths = match fields.get("paths") {
            Some((_, v)) => self.paths(v, &child(path, "paths")),
            None => Some(PathFilter::default()),
        };
        let fix = match fields.get("fix") {
            Some((_, v)) => self.text(v, &child(path, "fix"), "the fix (a string)"),
            None => None,
        };
        let options = match fields.get("options") {
            Some((_, v)) => self.options(v, &child(path, "options")),
            None => Some(RuleOptions::default()),
        };
        let kind = match fields.get("mode") {
            None => Some(ModeKind::Search),
            Some((_, v)) => self.mode(v, &child(path, "mode")),
        };
        let mode = match kind {
            Some(ModeKind::Search) => {
                for (key, _) in &taint {
                    let message = format!("{:?} is only allowed with `mode: taint`", key.text);
                    self.error(key.mark, path, message);
                }
                self.single_formula(node.mark, path, &terms, false, "a rule")
                    .map(Mode::Search)
            }
            Some(ModeKind::Taint) => {
                for (key, _) in &terms {
                    let message = format!(
                        "{:?} is not allowed in a `mode: taint` rule; put patterns under \
                         pattern-sources, pattern-sinks, pattern-sanitizers or \
                         pattern-propagators",
                        key.text
                    );
                    self.error(key.mark, path, message);
                }
                self.taint(node.mark, path, &taint).map(Mode::Taint)
            }
            None => None,
        };

        if self.errors.len() > errors_before {
            return None;
        }
        let metadata = metadata?;
        Some(Rule {
            id: id?,
            message: message?,
            severity: severity?,
            confidence: metadata.confidence.unwrap_or_default(),
            languages: languages?,
            metadata,
            mode: mode?,
            paths: paths?,
            fix,
            options: options?,
            source: RuleSource {
                file: self.file.clone(),
                line: node.mark.line,
                column: node.mark.column,
            },
        })
    }

    fn severity(&mut self, node: &Node, path: &str) -> Option<gatehouse_core::Severity> {
        let text = self.text(node, path, "a severity")?;
        if let Some(severity) = parse_severity(&text) {
            return Some(severity);
        }
        let upper = text.trim().to_ascii_uppercase();
        let message = if upper == "INVENTORY" || upper == "EXPERIMENT" {
            format!("severity {text:?} is not supported (it is experimental in Semgrep)")
        } else {
            format!(
                "unknown severity {text:?} (expected CRITICAL, HIGH, MEDIUM, LOW, or Semgrep's \
                 legacy ERROR, WARNING, INFO)"
            )
        };
        self.error(node.mark, path, message);
        None
    }

    fn mode(&mut self, node: &Node, path: &str) -> Option<ModeKind> {
        let text = self.text(node, path, "a mode")?;
        match text.as_str() {
            "search" => Some(ModeKind::Search),
            "taint" => Some(ModeKind::Taint),
            "join" | "extract" | "steps" | "secrets" => {
                self.error(
                    node.mark,
                    path,
                    format!("mode {text:?} is not supported (expected search or taint)"),
                );
                None
            }
            _ => {
                self.error(
                    node.mark,
                    path,
                    format!("unknown mode {text:?} (expected search or taint)"),
                );
                None
            }
        }
    }

    fn languages(&mut self, node: &Node, path: &str) -> Option<Vec<Language>> {
        let items = self.seq(node, path, "a list of languages")?;
        if items.is_empty() {
            self.error(node.mark, path, "the list of languages must not be empty");
            return None;
        }
        let mut out: Vec<Language> = Vec::new();
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            match self.language(item, &format!("{path}[{i}]")) {
                Some(language) if !out.contains(&language) => out.push(language),
                Some(_) => {}
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn language(&mut self, node: &Node, path: &str) -> Option<Language> {
        let text = self.text(node, path, "a language name")?;
        let name = text.trim().to_ascii_lowercase();
        if let Some((_, kind)) = LANGUAGES.iter().find(|(n, _)| *n == name) {
            return Some(Language { name, kind: *kind });
        }
        let names: Vec<&str> = LANGUAGES.iter().map(|(n, _)| *n).collect();
        let message = match suggestion(&name, &names) {
            Some(hint) => format!("unknown language {text:?} (did you mean {hint:?}?)"),
            None => format!("unknown language {text:?}"),
        };
        self.error(node.mark, path, message);
        None
    }

    fn paths(&mut self, node: &Node, path: &str) -> Option<PathFilter> {
        let entries = self.map(node, path, "a mapping with include and/or exclude")?;
        let fields = self.fields(entries, path, Place::Other, &["include", "exclude"]);
        let mut filter = PathFilter::default();
        let mut ok = true;
        for (name, list) in [
            ("include", &mut filter.include),
            ("exclude", &mut filter.exclude),
        ] {
            let Some((_, value)) = fields.get(name) else {
                continue;
            };
            let p = child(path, name);
            let Some(globs) = self.strings(value, &p, "a glob") else {
                ok = false;
                continue;
            };
            for (glob, mark) in globs {
                if glob.trim().is_empty() {
                    self.error(mark, &p, "a glob must not be empty");
                    ok = false;
                } else if let Err(e) = globset::Glob::new(&glob) {
                    self.error(mark, &p, format!("invalid glob {glob:?}: {}", e.kind()));
                    ok = false;
                } else {
                    list.push(glob);
                }
            }
        }
        ok.then_some(filter)
    }

    fn options(&mut self, node: &Node, path: &str) -> Option<RuleOptions> {
        let entries = self.map(node, path, "a mapping of options")?;
        let mut options = RuleOptions::default();
        let mut ok = true;
        for (key, value) in entries {
            let p = child(path, &key.text);
            let flag = match key.text.as_str() {
                "ac_matching" => &mut options.ac_matching,
                "attr_expr" => &mut options.attr_expr,
                "commutative_boolop" => &mut options.commutative_boolop,
                "constant_propagation" => &mut options.constant_propagation,
                "decorators_order_matters" => &mut options.decorators_order_matters,
                "implicit_return" => &mut options.implicit_return,
                "interfile" => &mut options.interfile,
                "symbolic_propagation" => &mut options.symbolic_propagation,
                "symmetric_eq" => &mut options.symmetric_eq,
                "taint_assume_safe_booleans" => &mut options.taint_assume_safe_booleans,
                "taint_assume_safe_functions" => &mut options.taint_assume_safe_functions,
                "taint_assume_safe_indexes" => &mut options.taint_assume_safe_indexes,
                "taint_assume_safe_numbers" => &mut options.taint_assume_safe_numbers,
                "vardef_assign" => &mut options.vardef_assign,
                "xml_attrs_implicit_ellipsis" => &mut options.xml_attrs_implicit_ellipsis,
                "generic_comment_style" => {
                    let style = self.text(value, &p, "a comment style");
                    options.generic_comment_style = match style.as_deref() {
                        Some("c") => Some(GenericCommentStyle::C),
                        Some("cpp") => Some(GenericCommentStyle::Cpp),
                        Some("shell") => Some(GenericCommentStyle::Shell),
                        Some(other) => {
                            self.error(
                                value.mark,
                                &p,
                                format!(
                                    "unknown comment style {other:?} (expected c, cpp or shell)"
                                ),
                            );
                            None
                        }
                        None => None,
                    };
                    ok &= options.generic_comment_style.is_some();
                    continue;
                }
                "generic_ellipsis_max_span" => {
                    let span = self.integer(value, &p, 0, i64::from(u32::MAX));
                    options.generic_ellipsis_max_span = span.and_then(|s| u32::try_from(s).ok());
                    ok &= options.generic_ellipsis_max_span.is_some();
                    continue;
                }
                _ => {
                    let message = match suggestion(&key.text, OPTION_KEYS) {
                        Some(hint) => {
                            format!("unknown option {:?} (did you mean {hint:?}?)", key.text)
                        }
                        None => format!(
                            "unknown option {:?} (known options: {})",
                            key.text,
                            quoted_list(OPTION_KEYS)
                        ),
                    };
                    self.error(key.mark, path, message);
                    ok = false;
                    continue;
                }
            };
            match self.boolean(value, &p) {
                Some(b) => *flag = Some(b),
                None => ok = false,
            }
        }
        ok.then_some(options)
    }

    // ---- metadata ---------------------------------------------------------------------------

    fn metadata(&mut self, node: &Node, path: &str) -> Option<Metadata> {
        let entries = self.map(node, path, "a mapping")?;
        let mut metadata = Metadata {
            raw: json_map(entries),
            ..Metadata::default()
        };
        let mut ok = true;
        for (key, value) in entries {
            let p = child(path, &key.text);
            match key.text.as_str() {
                "cwe" => ok &= self.cwe(value, &p, &mut metadata.cwe),
                "owasp" => {
                    ok &= self.string_list(value, &p, "an OWASP category", &mut metadata.owasp)
                }
                "references" => {
                    ok &= self.string_list(value, &p, "a reference", &mut metadata.references)
                }
                "subcategory" => {
                    ok &= self.string_list(value, &p, "a subcategory", &mut metadata.subcategory)
                }
                "technology" => {
                    ok &= self.string_list(value, &p, "a technology", &mut metadata.technology)
                }
                "category" => {
                    metadata.category = self.text(value, &p, "a category (a string)");
                    ok &= metadata.category.is_some();
                }
                "confidence" => {
                    metadata.confidence = self.level(value, &p).map(|level| match level {
                        Level::Low => Confidence::Low,
                        Level::Medium => Confidence::Medium,
                        Level::High => Confidence::High,
                    });
                    ok &= metadata.confidence.is_some();
                }
                "likelihood" => {
                    metadata.likelihood = self.level(value, &p);
                    ok &= metadata.likelihood.is_some();
                }
                "impact" => {
                    metadata.impact = self.level(value, &p);
                    ok &= metadata.impact.is_some();
                }
                _ => {}
            }
        }
        ok.then_some(metadata)
    }

    fn string_list(&mut self, node: &Node, path: &str, what: &str, out: &mut Vec<String>) -> bool {
        match self.strings(node, path, what) {
            Some(items) => {
                out.extend(items.into_iter().map(|(s, _)| s));
                true
            }
            None => false,
        }
    }

    fn cwe(&mut self, node: &Node, path: &str, out: &mut Vec<String>) -> bool {
        let Some(items) = self.strings(node, path, "a CWE") else {
            return false;
        };
        let mut ok = true;
        for (text, mark) in items {
            let normalised = if text.bytes().all(|b| b.is_ascii_digit()) && !text.is_empty() {
                normalise_cwe(&format!("CWE-{text}"))
            } else {
                normalise_cwe(&text)
            };
            match normalised {
                Some(cwe) if !out.contains(&cwe) => out.push(cwe),
                Some(_) => {}
                None => {
                    self.error(
                        mark,
                        path,
                        format!("invalid CWE {text:?} (expected \"CWE-<number>\", optionally followed by \": <title>\")"),
                    );
                    ok = false;
                }
            }
        }
        ok
    }

    fn level(&mut self, node: &Node, path: &str) -> Option<Level> {
        let text = self.text(node, path, "LOW, MEDIUM or HIGH")?;
        match text.trim().to_ascii_uppercase().as_str() {
            "LOW" => Some(Level::Low),
            "MEDIUM" => Some(Level::Medium),
            "HIGH" => Some(Level::High),
            _ => {
                self.error(
                    node.mark,
                    path,
                    format!("unknown level {text:?} (expected LOW, MEDIUM or HIGH)"),
                );
                None
            }
        }
    }

    // ---- formulas ---------------------------------------------------------------------------

    /// The formula of a mapping that must have exactly one of `TOP_KEYS` (a rule, a taint item,
    /// a `metavariable-pattern`); `terms` are the mapping's formula keys.
    fn single_formula(
        &mut self,
        mark: Mark,
        path: &str,
        terms: &[(&Key, &Node)],
        allow_no_positive: bool,
        what: &str,
    ) -> Option<Formula> {
        let mut chosen: Option<(&Key, &Node)> = None;
        let mut ok = true;
        for (key, value) in terms {
            if !TOP_KEYS.contains(&key.text.as_str()) {
                self.misplaced(key, path, TOP_KEYS);
                ok = false;
            } else if let Some((first, _)) = chosen {
                let message = format!(
                    "{what} has exactly one of {}; found {:?} and {:?}",
                    quoted_list(TOP_KEYS),
                    first.text,
                    key.text
                );
                self.error(key.mark, path, message);
                ok = false;
            } else {
                chosen = Some((key, value));
            }
        }
        let Some((key, value)) = chosen else {
            if ok {
                let message = format!("{what} needs one of {}", quoted_list(TOP_KEYS));
                self.error(mark, path, message);
            }
            return None;
        };
        let term = if key.text == "patterns" {
            self.conjunction(key, value, &child(path, &key.text), allow_no_positive)
                .map(|c| Term::Positive(Formula::All(Box::new(c))))
        } else {
            self.term(key, value, path)
        };
        match term {
            Some(Term::Positive(formula)) if ok => Some(formula),
            _ => None,
        }
    }

    fn misplaced(&mut self, key: &Key, path: &str, allowed: &[&str]) {
        let k = key.text.as_str();
        let hint = if k == "pattern-inside" {
            " (pattern-inside must be an item of `patterns` or `pattern-either`)"
        } else if !POSITIVE_KEYS.contains(&k) {
            " (it must be an item of `patterns`)"
        } else {
            ""
        };
        let message = format!(
            "{k:?} is not allowed here; expected one of {}{hint}",
            quoted_list(allowed)
        );
        self.error(key.mark, path, message);
    }

    /// One operator: `key` with its `value`, in the mapping at `path`.
    fn term(&mut self, key: &Key, value: &Node, path: &str) -> Option<Term> {
        let here = child(path, &key.text);
        let p = here.as_str();
        match key.text.as_str() {
            "pattern" => self
                .pattern(value, p)
                .map(|pattern| Term::Positive(Formula::Pattern(pattern))),
            "pattern-regex" => self
                .regex(value, p, false)
                .map(|regex| Term::Positive(Formula::Regex(regex))),
            "patterns" => self
                .conjunction(key, value, p, false)
                .map(|c| Term::Positive(Formula::All(Box::new(c)))),
            "pattern-either" => self.disjunction(value, p).map(Term::Positive),
            "pattern-inside" => self
                .nested(value, p)
                .map(|f| Term::Positive(Formula::Inside(Box::new(f)))),
            "pattern-not" => self
                .nested(value, p)
                .map(|f| Term::Negative(Negation::Not(f))),
            "pattern-not-inside" => self
                .nested(value, p)
                .map(|f| Term::Negative(Negation::NotInside(f))),
            "pattern-not-regex" => self
                .regex(value, p, false)
                .map(|r| Term::Negative(Negation::NotRegex(r))),
            "metavariable-regex" => self
                .metavariable_regex(key, value, p)
                .map(|c| Term::Condition(Condition::Regex(c))),
            "metavariable-pattern" => self
                .metavariable_pattern(key, value, p)
                .map(|c| Term::Condition(Condition::Pattern(c))),
            "metavariable-comparison" => self
                .metavariable_comparison(key, value, p)
                .map(|c| Term::Condition(Condition::Comparison(c))),
            "focus-metavariable" => self.focus(key, value, p).map(Term::Focus),
            _ => None,
        }
    }

    /// An item of `patterns` or `pattern-either`, or the mapping value of `pattern-inside` and
    /// the negations: a mapping with exactly one operator among `allowed`.
    fn item(&mut self, node: &Node, path: &str, allowed: &[&str], container: &str) -> Option<Term> {
        let entries = self.map(
            node,
            path,
            &format!("a mapping with one of {}", quoted_list(allowed)),
        )?;
        if entries.is_empty() {
            self.error(
                node.mark,
                path,
                format!(
                    "expected one of {}, found an empty mapping",
                    quoted_list(allowed)
                ),
            );
            return None;
        }
        let mut term = None;
        let mut first: Option<&Key> = None;
        let mut ok = true;
        for (key, value) in entries {
            let k = key.text.as_str();
            if !TERM_KEYS.contains(&k) {
                self.unknown_key(key, path, Place::Formula, TERM_KEYS);
                ok = false;
            } else if !allowed.contains(&k) {
                self.misplaced(key, path, allowed);
                ok = false;
            } else if let Some(first) = first {
                let hint = if container.starts_with("an item") {
                    " (start each item with `- `)"
                } else {
                    ""
                };
                let message = format!(
                    "{container} has exactly one key; found {:?} and {:?}{hint}",
                    first.text, key.text
                );
                self.error(key.mark, path, message);
                ok = false;
            } else {
                first = Some(key);
                term = self.term(key, value, path);
            }
        }
        if ok {
            term
        } else {
            None
        }
    }

    /// `patterns`: a non-empty list of items, grouped into a [`Conjunction`].
    fn conjunction(
        &mut self,
        key: &Key,
        value: &Node,
        path: &str,
        allow_no_positive: bool,
    ) -> Option<Conjunction> {
        let items = self.seq(value, path, "a list of operators")?;
        if items.is_empty() {
            self.error(value.mark, path, "`patterns` must not be empty");
            return None;
        }
        let mut conjunction = Conjunction {
            positives: Vec::new(),
            negatives: Vec::new(),
            conditions: Vec::new(),
            focus: Vec::new(),
            position: position(key.mark),
        };
        let mut ok = true;
        let mut has_positive = false;
        for (i, item) in items.iter().enumerate() {
            if let Value::Map(entries) = &item.value {
                has_positive |= entries
                    .iter()
                    .any(|(k, _)| POSITIVE_KEYS.contains(&k.text.as_str()));
            }
            let item_path = format!("{path}[{i}]");
            match self.item(item, &item_path, TERM_KEYS, "an item of `patterns`") {
                Some(Term::Positive(f)) => conjunction.positives.push(f),
                Some(Term::Negative(n)) => conjunction.negatives.push(n),
                Some(Term::Condition(c)) => conjunction.conditions.push(c),
                Some(Term::Focus(f)) => conjunction.focus.push(f),
                None => ok = false,
            }
        }
        if !has_positive && !allow_no_positive {
            self.error(
                key.mark,
                path,
                format!(
                    "`patterns` needs at least one positive operator ({}); negations and \
                     metavariable conditions only filter what those match",
                    quoted_list(POSITIVE_KEYS)
                ),
            );
            ok = false;
        }
        ok.then_some(conjunction)
    }

    /// `pattern-either`: a non-empty list of positive items.
    fn disjunction(&mut self, value: &Node, path: &str) -> Option<Formula> {
        let items = self.seq(value, path, "a list of operators")?;
        if items.is_empty() {
            self.error(value.mark, path, "`pattern-either` must not be empty");
            return None;
        }
        let mut alternatives = Vec::new();
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            let item_path = format!("{path}[{i}]");
            match self.item(
                item,
                &item_path,
                POSITIVE_KEYS,
                "an item of `pattern-either`",
            ) {
                Some(Term::Positive(f)) => alternatives.push(f),
                _ => ok = false,
            }
        }
        ok.then_some(Formula::Any(alternatives))
    }

    /// The value of `pattern-inside`, `pattern-not` or `pattern-not-inside`: a pattern, or a
    /// mapping with one positive operator.
    fn nested(&mut self, value: &Node, path: &str) -> Option<Formula> {
        if let Value::Map(_) = value.value {
            return match self.item(value, path, POSITIVE_KEYS, "this mapping") {
                Some(Term::Positive(f)) => Some(f),
                _ => None,
            };
        }
        self.pattern(value, path).map(Formula::Pattern)
    }

    fn pattern(&mut self, node: &Node, path: &str) -> Option<Pattern> {
        let text = self.non_empty_text(node, path, "a pattern")?;
        Some(Pattern {
            text,
            origin: self.origin(node, path),
        })
    }

    fn regex(&mut self, node: &Node, path: &str, anchored: bool) -> Option<RegexPattern> {
        let source = self.non_empty_text(node, path, "a regex")?;
        let regex = self.compile(&source, anchored, node.mark, path)?;
        Some(RegexPattern {
            source,
            regex,
            origin: self.origin(node, path),
        })
    }

    fn compile(
        &mut self,
        source: &str,
        anchored: bool,
        mark: Mark,
        path: &str,
    ) -> Option<regex::Regex> {
        let build = |text: &str| {
            RegexBuilder::new(text)
                .multi_line(true)
                .size_limit(REGEX_SIZE_LIMIT)
                .dfa_size_limit(REGEX_SIZE_LIMIT)
                .build()
        };
        let compiled = build(source).and_then(|regex| {
            if anchored {
                build(&format!(r"\A(?:{source})"))
            } else {
                Ok(regex)
            }
        });
        let regex = match compiled {
            Ok(regex) => regex,
            Err(e) => {
                let message = format!(
                    "invalid regex {source:?} in rule {:?}: {}",
                    self.rule_id,
                    describe_regex_error(&e)
                );
                self.error(mark, path, message);
                return None;
            }
        };
        for name in regex.capture_names().flatten() {
            if Metavariable::parse(&format!("${name}")).is_none() {
                let message = format!(
                    "capture group {name:?} in regex {source:?} must be named like a \
                     metavariable (upper case, digits, `_`): it binds ${name}"
                );
                self.error(mark, path, message);
                return None;
            }
        }
        Some(regex)
    }

    fn metavariable(&mut self, node: &Node, path: &str) -> Option<Metavariable> {
        let text = self.text(node, path, "a metavariable")?;
        let parsed = Metavariable::parse(&text);
        if parsed.is_none() {
            self.error(
                node.mark,
                path,
                format!(
                    "invalid metavariable {text:?} (expected `$` and an upper-case name such as \
                     $X or $...ARGS, or a regex group such as $1)"
                ),
            );
        }
        parsed
    }

    fn metavariable_regex(
        &mut self,
        key: &Key,
        value: &Node,
        path: &str,
    ) -> Option<MetavariableRegex> {
        let entries = self.map(value, path, "a mapping with metavariable and regex")?;
        let fields = self.fields(
            entries,
            path,
            Place::Other,
            &["metavariable", "regex", "constant-propagation"],
        );
        let metavariable = match fields.get("metavariable") {
            Some((_, v)) => self.metavariable(v, &child(path, "metavariable")),
            None => {
                self.missing(value.mark, path, "metavariable");
                None
            }
        };
        let regex = match fields.get("regex") {
            Some((_, v)) => self.regex(v, &child(path, "regex"), true),
            None => {
                self.missing(value.mark, path, "regex");
                None
            }
        };
        let constant_propagation = match fields.get("constant-propagation") {
            Some((_, v)) => self.boolean(v, &child(path, "constant-propagation")),
            None => Some(false),
        };
        if fields.len() != entries.len() {
            return None;
        }
        Some(MetavariableRegex {
            metavariable: metavariable?,
            regex: regex?,
            constant_propagation: constant_propagation?,
            position: position(key.mark),
        })
    }

    fn metavariable_pattern(
        &mut self,
        key: &Key,
        value: &Node,
        path: &str,
    ) -> Option<MetavariablePattern> {
        let entries = self.map(
            value,
            path,
            "a mapping with metavariable and one of pattern, patterns, pattern-either, pattern-regex",
        )?;
        let mut metavariable = None;
        let mut language = Some(None);
        let mut terms = Vec::new();
        let mut ok = true;
        let mut has_metavariable = false;
        for (k, v) in entries {
            match k.text.as_str() {
                "metavariable" => {
                    has_metavariable = true;
                    metavariable = self.metavariable(v, &child(path, "metavariable"));
                }
                "language" => {
                    language = self.language(v, &child(path, "language")).map(Some);
                }
                t if TERM_KEYS.contains(&t) => terms.push((k, v)),
                _ => {
                    let known = [
                        "metavariable",
                        "language",
                        "pattern",
                        "patterns",
                        "pattern-either",
                        "pattern-regex",
                    ];
                    self.unknown_key(k, path, Place::Formula, &known);
                    ok = false;
                }
            }
        }
        if !has_metavariable {
            self.missing(value.mark, path, "metavariable");
        }
        let formula = self.single_formula(value.mark, path, &terms, true, "metavariable-pattern");
        if !ok {
            return None;
        }
        Some(MetavariablePattern {
            metavariable: metavariable?,
            language: language?,
            formula: formula?,
            position: position(key.mark),
        })
    }

    fn metavariable_comparison(
        &mut self,
        key: &Key,
        value: &Node,
        path: &str,
    ) -> Option<MetavariableComparison> {
        let entries = self.map(value, path, "a mapping with comparison")?;
        let fields = self.fields(
            entries,
            path,
            Place::Other,
            &["metavariable", "comparison", "base", "strip"],
        );
        let metavariable = match fields.get("metavariable") {
            Some((_, v)) => self.metavariable(v, &child(path, "metavariable")).map(Some),
            None => Some(None),
        };
        let comparison = match fields.get("comparison") {
            Some((_, v)) => {
                let p = child(path, "comparison");
                self.non_empty_text(v, &p, "a comparison")
                    .map(|text| (text, self.origin(v, &p)))
            }
            None => {
                self.missing(value.mark, path, "comparison");
                None
            }
        };
        let base = match fields.get("base") {
            Some((_, v)) => self
                .integer(v, &child(path, "base"), 2, 36)
                .and_then(|b| u32::try_from(b).ok())
                .map(Some),
            None => Some(None),
        };
        let strip = match fields.get("strip") {
            Some((_, v)) => self.boolean(v, &child(path, "strip")).map(Some),
            None => Some(None),
        };
        if fields.len() != entries.len() {
            return None;
        }
        let (comparison, comparison_origin) = comparison?;
        Some(MetavariableComparison {
            metavariable: metavariable?,
            comparison,
            comparison_origin,
            base: base?,
            strip: strip?,
            position: position(key.mark),
        })
    }

    fn focus(&mut self, key: &Key, value: &Node, path: &str) -> Option<Focus> {
        let items: Vec<(&Node, String)> = match &value.value {
            Value::Seq(items) => {
                if items.is_empty() {
                    self.error(
                        value.mark,
                        path,
                        "the list of metavariables must not be empty",
                    );
                    return None;
                }
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| (item, format!("{path}[{i}]")))
                    .collect()
            }
            _ => vec![(value, path.to_string())],
        };
        let mut metavariables = Vec::new();
        let mut ok = true;
        for (node, p) in items {
            match self.metavariable(node, &p) {
                Some(m) => metavariables.push(m),
                None => ok = false,
            }
        }
        ok.then(|| Focus {
            metavariables,
            position: position(key.mark),
        })
    }

    // ---- taint ------------------------------------------------------------------------------

    fn taint(&mut self, mark: Mark, path: &str, keys: &[(&Key, &Node)]) -> Option<TaintSpec> {
        let mut spec = TaintSpec {
            sources: Vec::new(),
            sinks: Vec::new(),
            sanitizers: Vec::new(),
            propagators: Vec::new(),
        };
        let mut ok = true;
        for required in ["pattern-sources", "pattern-sinks"] {
            if !keys.iter().any(|(k, _)| k.text == required) {
                self.missing(mark, path, required);
                ok = false;
            }
        }
        for (key, value) in keys {
            let p = child(path, &key.text);
            let Some(items) = self.seq(value, &p, "a list of taint specifications") else {
                ok = false;
                continue;
            };
            if items.is_empty() {
                self.error(value.mark, &p, format!("`{}` must not be empty", key.text));
                ok = false;
                continue;
            }
            for (i, item) in items.iter().enumerate() {
                let item_path = format!("{p}[{i}]");
                let done = match key.text.as_str() {
                    "pattern-sources" => self
                        .taint_source(item, &item_path)
                        .map(|s| spec.sources.push(s)),
                    "pattern-sinks" => self
                        .taint_sink(item, &item_path)
                        .map(|s| spec.sinks.push(s)),
                    "pattern-sanitizers" => self
                        .taint_sanitizer(item, &item_path)
                        .map(|s| spec.sanitizers.push(s)),
                    _ => self
                        .taint_propagator(item, &item_path)
                        .map(|s| spec.propagators.push(s)),
                };
                ok &= done.is_some();
            }
        }
        ok.then_some(spec)
    }

    /// A taint item: its formula and its option keys (checked against `options`).
    fn taint_item<'n>(
        &mut self,
        node: &'n Node,
        path: &str,
        place: Place,
        options: &[&'static str],
    ) -> Option<(Formula, Fields<'n>)> {
        let entries = self.map(
            node,
            path,
            "a mapping with one of pattern, patterns, pattern-either, pattern-regex",
        )?;
        let mut terms = Vec::new();
        let mut fields = HashMap::new();
        let mut ok = true;
        for (key, value) in entries {
            let k = key.text.as_str();
            if let Some(name) = options.iter().find(|o| **o == k) {
                fields.insert(*name, (key, value));
            } else if TERM_KEYS.contains(&k) {
                terms.push((key, value));
            } else {
                let known: Vec<&str> = options.iter().chain(TOP_KEYS).copied().collect();
                self.unknown_key(key, path, place, &known);
                ok = false;
            }
        }
        let formula = self.single_formula(node.mark, path, &terms, false, "a taint specification");
        if !ok {
            return None;
        }
        Some((formula?, fields))
    }

    fn side_effect(&mut self, node: &Node, path: &str) -> Option<SideEffect> {
        match node.scalar() {
            Some(Scalar::Bool(false)) => Some(SideEffect::No),
            Some(Scalar::Bool(true)) => Some(SideEffect::Yes),
            Some(Scalar::Str("only")) => Some(SideEffect::Only),
            _ => {
                self.error(
                    node.mark,
                    path,
                    format!("expected true, false or only, found {}", node.describe()),
                );
                None
            }
        }
    }

    fn optional_bool(
        &mut self,
        fields: &Fields<'_>,
        name: &str,
        path: &str,
        default: bool,
    ) -> Option<bool> {
        match fields.get(name) {
            Some((_, v)) => self.boolean(v, &child(path, name)),
            None => Some(default),
        }
    }

    fn optional_side_effect(&mut self, fields: &Fields<'_>, path: &str) -> Option<SideEffect> {
        match fields.get("by-side-effect") {
            Some((_, v)) => self.side_effect(v, &child(path, "by-side-effect")),
            None => Some(SideEffect::No),
        }
    }

    fn taint_source(&mut self, node: &Node, path: &str) -> Option<TaintSource> {
        let (formula, fields) =
            self.taint_item(node, path, Place::Source, &["exact", "by-side-effect"])?;
        let exact = self.optional_bool(&fields, "exact", path, false);
        let by_side_effect = self.optional_side_effect(&fields, path);
        Some(TaintSource {
            formula,
            exact: exact?,
            by_side_effect: by_side_effect?,
            position: position(node.mark),
        })
    }

    fn taint_sink(&mut self, node: &Node, path: &str) -> Option<TaintSink> {
        let (formula, fields) = self.taint_item(node, path, Place::Sink, &["exact"])?;
        let exact = self.optional_bool(&fields, "exact", path, true);
        Some(TaintSink {
            formula,
            exact: exact?,
            position: position(node.mark),
        })
    }

    fn taint_sanitizer(&mut self, node: &Node, path: &str) -> Option<TaintSanitizer> {
        let (formula, fields) =
            self.taint_item(node, path, Place::Sanitizer, &["exact", "by-side-effect"])?;
        let exact = self.optional_bool(&fields, "exact", path, false);
        let by_side_effect = self.optional_side_effect(&fields, path);
        Some(TaintSanitizer {
            formula,
            exact: exact?,
            by_side_effect: by_side_effect?,
            position: position(node.mark),
        })
    }

    fn taint_propagator(&mut self, node: &Node, path: &str) -> Option<TaintPropagator> {
        let (formula, fields) = self.taint_item(
            node,
            path,
            Place::Propagator,
            &["from", "to", "by-side-effect"],
        )?;
        let mut ends = [None, None];
        for (slot, name) in ends.iter_mut().zip(["from", "to"]) {
            *slot = match fields.get(name) {
                Some((_, v)) => self.metavariable(v, &child(path, name)),
                None => {
                    self.missing(node.mark, path, name);
                    None
                }
            };
        }
        let by_side_effect = self.optional_bool(&fields, "by-side-effect", path, true);
        let [from, to] = ends;
        Some(TaintPropagator {
            formula,
            from: from?,
            to: to?,
            by_side_effect: by_side_effect?,
            position: position(node.mark),
        })
    }
}

/// A rule's `id` as written and the position of its value, if it is a scalar.
fn raw_id(rule: &Node) -> Option<(&str, Mark)> {
    let Value::Map(entries) = &rule.value else {
        return None;
    };
    let (_, value) = entries.iter().find(|(k, _)| k.text == "id")?;
    match value.scalar() {
        Some(Scalar::Null) | None => None,
        Some(_) => value.scalar_text().map(|(text, _)| (text, value.mark)),
    }
}

/// A mapping as JSON data: scalars typed by the YAML core schema, every key a string.
fn json_map(entries: &[(Key, Node)]) -> serde_json::Map<String, serde_json::Value> {
    entries
        .iter()
        .map(|(k, v)| (k.text.clone(), json(v)))
        .collect()
}

/// Recursion is bounded by the YAML layer's nesting limit.
fn json(node: &Node) -> serde_json::Value {
    use serde_json::Value as J;
    match &node.value {
        Value::Seq(items) => J::Array(items.iter().map(json).collect()),
        Value::Map(entries) => J::Object(json_map(entries)),
        Value::Scalar { text, .. } => match node.scalar() {
            Some(Scalar::Null) | None => J::Null,
            Some(Scalar::Bool(b)) => J::Bool(b),
            Some(Scalar::Int(i)) => J::from(i),
            Some(Scalar::Float(f)) => serde_json::Number::from_f64(f)
                .map(J::Number)
                .unwrap_or_else(|| J::String(text.clone())),
            Some(Scalar::Str(s)) => J::String(s.to_string()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cwe_normalisation() {
        assert_eq!(normalise_cwe("CWE-89").as_deref(), Some("CWE-89"));
        assert_eq!(
            normalise_cwe("CWE-89: Improper Neutralization of Special Elements").as_deref(),
            Some("CWE-89")
        );
        assert_eq!(normalise_cwe("cwe-079").as_deref(), Some("CWE-79"));
        assert_eq!(normalise_cwe("CWE 22").as_deref(), Some("CWE-22"));
        assert_eq!(normalise_cwe("CWE-89 - SQLi").as_deref(), Some("CWE-89"));
        assert_eq!(normalise_cwe("CWE-"), None);
        assert_eq!(normalise_cwe("CWE-89x"), None);
        assert_eq!(normalise_cwe("89"), None);
        assert_eq!(normalise_cwe("ÇWE-89"), None);
        assert_eq!(normalise_cwe(""), None);
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggestion("pattern-nott", TERM_KEYS), Some("pattern-not"));
        assert_eq!(suggestion("patern", TERM_KEYS), Some("pattern"));
        assert_eq!(suggestion("languages", RULE_KEYS), None);
        assert_eq!(suggestion("zzzzzz", RULE_KEYS), None);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
    }

    /// The error of an invalid regex (taken as a parameter so that clippy does not check it).
    fn compile_error(source: &str) -> regex::Error {
        match regex::Regex::new(source) {
            Ok(_) => panic!("{source} compiled"),
            Err(e) => e,
        }
    }

    #[test]
    fn regex_errors_are_explained() {
        let err = compile_error("(?=a)");
        assert!(describe_regex_error(&err).starts_with("look-around"));
        let err = compile_error(r"(a)\1");
        assert!(describe_regex_error(&err).starts_with("backreferences"));
        let err = compile_error("(a");
        assert_eq!(describe_regex_error(&err), "unclosed group");
    }
}
