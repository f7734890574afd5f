//! The typed rule model: what a loaded, validated rule is.

use std::fmt;
use std::sync::Arc;

use gatehouse_core::{Confidence, Severity};

pub use super::yaml::TextStyle;

/// One rule in Semgrep's syntax, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Unique across every rule loaded together.
    pub id: String,
    /// The finding's message, verbatim: `$X` metavariables in it are interpolated by the engine.
    pub message: String,
    /// Semgrep's `severity`, mapped by [`parse_severity`].
    pub severity: Severity,
    /// `metadata.confidence`, or [`Confidence::default`] (medium) without one.
    pub confidence: Confidence,
    /// At least one, lower-cased, without duplicates, in the rule's order.
    pub languages: Vec<Language>,
    pub metadata: Metadata,
    /// What the rule matches: a search formula or a taint specification.
    pub mode: Mode,
    /// Which files the rule runs on.
    pub paths: PathFilter,
    /// The autofix template (`fix:`), verbatim; it may use metavariables.
    pub fix: Option<String>,
    pub options: RuleOptions,
    pub source: RuleSource,
}

/// Where a rule is defined: its file and the position of its mapping (the first key).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RuleSource {
    pub file: Arc<str>,
    pub line: usize,
    pub column: usize,
}

/// A 1-based line and column in a rule file (the column counts characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Maps Semgrep's severities to Gatehouse's, case-insensitively.
///
/// Semgrep's current levels map to the level of the same name (`CRITICAL`, `HIGH`, `MEDIUM`,
/// `LOW`); its legacy levels map as Semgrep itself documents them: `ERROR` → high,
/// `WARNING` → medium, `INFO` → low. No Semgrep level maps to [`Severity::Info`]: Semgrep's
/// `INFO` means "low", and Gatehouse's info is for findings that are not weaknesses at all.
pub fn parse_severity(text: &str) -> Option<Severity> {
    match text.trim().to_ascii_uppercase().as_str() {
        "CRITICAL" => Some(Severity::Critical),
        "HIGH" | "ERROR" => Some(Severity::High),
        "MEDIUM" | "WARNING" => Some(Severity::Medium),
        "LOW" | "INFO" => Some(Severity::Low),
        _ => None,
    }
}

/// A name from a rule's `languages` (or a `metavariable-pattern`'s `language`).
///
/// The loader checks the name against Semgrep's list of language keys and lower-cases it;
/// which of them Gatehouse can parse is the language module's decision.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Language {
    /// As written, lower-cased: `python`, `py`, `js`, `c#`, `generic`.
    pub name: String,
    pub kind: LanguageKind,
}

/// What a language name selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LanguageKind {
    /// A programming or data language whose files are parsed (`python`, `java`, `yaml`).
    Code,
    /// Semgrep's generic, language-agnostic matcher (`generic`, `spacegrep`, `aliengrep`).
    Generic,
    /// Regular expressions only, on any file (`regex`, `none`).
    Regex,
}

/// What a rule looks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    /// `mode: search` (the default): a finding is a range the formula matches.
    Search(Formula),
    /// `mode: taint`: a finding is a sink reached by data from a source.
    Taint(TaintSpec),
}

/// A search formula, evaluated on one file to a set of ranges, each with metavariable bindings.
#[derive(Debug, Clone, PartialEq)]
pub enum Formula {
    /// `pattern`: the ranges of code matching the pattern.
    Pattern(Pattern),
    /// `pattern-regex`: the ranges of text matching the regex; named groups bind `$NAME` and
    /// numbered groups bind `$1`, `$2`, ….
    Regex(RegexPattern),
    /// `patterns`: logical AND, evaluated as [`Conjunction`] says.
    All(Box<Conjunction>),
    /// `pattern-either`: logical OR, the union of every alternative's ranges; metavariables are
    /// not unified across alternatives.
    Any(Vec<Formula>),
    /// `pattern-inside`: the ranges of the inner formula, as a context. When intersected in a
    /// `patterns`, a range is kept if it lies inside one of these (and the narrower range wins);
    /// it does not have to be equal to it.
    Inside(Box<Formula>),
}

/// The terms of a `patterns`, grouped the way Semgrep evaluates them; the order of the items in
/// the file does not matter, except that conditions run in the order written.
///
/// 1. The `positives` are intersected: a range survives if every positive term matches it (an
///    `Inside` term: contains it), with metavariables unified across terms.
/// 2. A surviving range is removed if any of the `negatives` matches it (see [`Negation`]).
///    Metavariables bound by positive terms constrain negative terms; those bound by negative
///    terms are not visible afterwards.
/// 3. Each of the `conditions` filters the remaining ranges on their bindings.
/// 4. Each `focus` narrows every range to the range of its metavariables.
///
/// `positives` is never empty, except in the formula directly under a `metavariable-pattern`,
/// where an empty list means the metavariable's whole content (Semgrep's implicit `pattern: ...`
/// there lets such a `patterns` start with `pattern-not`).
#[derive(Debug, Clone, PartialEq)]
pub struct Conjunction {
    pub positives: Vec<Formula>,
    pub negatives: Vec<Negation>,
    pub conditions: Vec<Condition>,
    pub focus: Vec<Focus>,
    /// Where the `patterns` key is.
    pub position: Position,
}

/// A negative term of `patterns`: it removes ranges, never adds any.
#[derive(Debug, Clone, PartialEq)]
pub enum Negation {
    /// `pattern-not`: removes a range equal to a range the formula matches.
    Not(Formula),
    /// `pattern-not-inside`: removes a range that lies inside a range the formula matches.
    NotInside(Formula),
    /// `pattern-not-regex`: removes a range that overlaps a match of the regex.
    NotRegex(RegexPattern),
}

/// A conditional term of `patterns`: it keeps or drops a range by its metavariable bindings.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    Regex(MetavariableRegex),
    Pattern(MetavariablePattern),
    Comparison(MetavariableComparison),
}

/// `metavariable-regex`: keeps a range if the text bound to the metavariable matches the regex
/// from its start (Semgrep's regexes here are left-anchored; `regex` is compiled that way).
#[derive(Debug, Clone, PartialEq)]
pub struct MetavariableRegex {
    pub metavariable: Metavariable,
    pub regex: RegexPattern,
    /// `constant-propagation: true`: match the metavariable's constant value when it has one
    /// (default false).
    pub constant_propagation: bool,
    pub position: Position,
}

/// `metavariable-pattern`: keeps a range if the formula matches inside the content bound to the
/// metavariable. Metavariables the formula binds are added to the range's bindings.
#[derive(Debug, Clone, PartialEq)]
pub struct MetavariablePattern {
    pub metavariable: Metavariable,
    /// `language:`: parse the content (usually a string's value) in this language instead of the
    /// rule's.
    pub language: Option<Language>,
    pub formula: Formula,
    pub position: Position,
}

/// `metavariable-comparison`: keeps a range if the Python-like comparison expression holds.
/// Kept in the model as written; the engine decides whether it can evaluate it.
#[derive(Debug, Clone, PartialEq)]
pub struct MetavariableComparison {
    /// Optional in Semgrep's schema: the comparison names its metavariables itself.
    pub metavariable: Option<Metavariable>,
    pub comparison: String,
    pub comparison_origin: TextOrigin,
    /// Legacy `base:` — the integer base the metavariable's text is read in.
    pub base: Option<u32>,
    /// Legacy `strip:` — remove quotes around the metavariable's text first.
    pub strip: Option<bool>,
    pub position: Position,
}

/// `focus-metavariable`: narrows each range to the code bound to the metavariables (with several,
/// to the intersection of their ranges). Only metavariables bound by positive terms can be used.
#[derive(Debug, Clone, PartialEq)]
pub struct Focus {
    pub metavariables: Vec<Metavariable>,
    pub position: Position,
}

/// A metavariable name with its `$`: `$X`, `$FUNC_2`, `$...ARGS` (an ellipsis metavariable,
/// binding a sequence), or `$1` (a regex capture group).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Metavariable(pub(crate) String);

impl Metavariable {
    /// Checks the syntax: `$` and an upper-case name (`[A-Z_][A-Z_0-9]*`), `$...` and such a
    /// name, or `$` and digits.
    pub fn parse(text: &str) -> Option<Metavariable> {
        let rest = text.strip_prefix('$')?;
        let name = rest.strip_prefix("...").unwrap_or(rest);
        let mut chars = name.chars();
        let valid = match chars.next() {
            Some(c) if c.is_ascii_digit() => {
                name.len() == rest.len() && name.bytes().all(|b| b.is_ascii_digit())
            }
            Some(c) if c.is_ascii_uppercase() || c == '_' => {
                chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            }
            _ => false,
        };
        valid.then(|| Metavariable(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `$...ARGS`: binds a sequence of items.
    pub fn is_ellipsis(&self) -> bool {
        self.0.starts_with("$...")
    }
}

impl fmt::Display for Metavariable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A code pattern in the rule's language, not parsed yet: parsing needs the language module.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    /// As YAML delivers it (a block scalar keeps its final newline).
    pub text: String,
    pub origin: TextOrigin,
}

/// A compiled regular expression and the text it came from.
///
/// Semgrep uses PCRE2; Gatehouse uses the `regex` crate, so look-around and backreferences are
/// rejected when the rule loads. Regexes are compiled in multi-line mode (`^` and `$` match at
/// line boundaries), as Semgrep compiles them.
#[derive(Debug, Clone)]
pub struct RegexPattern {
    /// The regex as written in the rule.
    pub source: String,
    /// What the engine runs: `source` compiled (anchored at the start for `metavariable-regex`).
    pub regex: regex::Regex,
    pub origin: TextOrigin,
}

impl PartialEq for RegexPattern {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
            && self.regex.as_str() == other.regex.as_str()
            && self.origin == other.origin
    }
}

/// Where a piece of text (a pattern, a regex) is in its rule file, so that an error found in it
/// later (a pattern that does not parse) can point at the right place.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TextOrigin {
    pub file: Arc<str>,
    /// The key path of the text: `rules[0].patterns[1].pattern`.
    pub key_path: String,
    /// The position of the text's first non-blank line's first character (for a quoted scalar,
    /// the opening quote's).
    pub line: usize,
    pub column: usize,
    pub style: TextStyle,
    /// Empty lines at the start of a block scalar's text, before `line`.
    pub(crate) leading_newlines: usize,
}

impl TextOrigin {
    /// The file position of a 0-based line and character column inside the text.
    ///
    /// Exact for plain one-line scalars and for literal block scalars (`|`), which is how
    /// multi-line patterns are written; for quoted and folded text, whose characters do not map
    /// one-to-one to the file, positions after the first line are approximate.
    pub fn locate(&self, text_line: usize, text_column: usize) -> Position {
        let quote = match self.style {
            TextStyle::SingleQuoted | TextStyle::DoubleQuoted => 1,
            _ => 0,
        };
        match self.style {
            TextStyle::Literal | TextStyle::Folded => {
                let line = (self.line + text_line).saturating_sub(self.leading_newlines);
                if text_line < self.leading_newlines {
                    Position {
                        line: line.max(1),
                        column: 1,
                    }
                } else {
                    Position {
                        line,
                        column: self.column + text_column,
                    }
                }
            }
            _ if text_line == 0 => Position {
                line: self.line,
                column: self.column + quote + text_column,
            },
            _ => Position {
                line: self.line + text_line,
                column: 1 + text_column,
            },
        }
    }
}

/// The taint part of a `mode: taint` rule. Sources, sinks, sanitizers and propagators each act as
/// a `pattern-either` of their items; metavariables are not shared between them.
#[derive(Debug, Clone, PartialEq)]
pub struct TaintSpec {
    /// At least one.
    pub sources: Vec<TaintSource>,
    /// At least one.
    pub sinks: Vec<TaintSink>,
    pub sanitizers: Vec<TaintSanitizer>,
    pub propagators: Vec<TaintPropagator>,
}

/// `by-side-effect` of a source or sanitizer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SideEffect {
    /// `false` (default): only the matched occurrence is tainted (sanitized).
    #[default]
    No,
    /// `true`: the matched l-value also stays tainted (sanitized) in the code after it.
    Yes,
    /// `only`: the code after it, but not the matched occurrence itself.
    Only,
}

/// An item of `pattern-sources`: code matching `formula` produces tainted data.
#[derive(Debug, Clone, PartialEq)]
pub struct TaintSource {
    pub formula: Formula,
    /// `exact` (default false): only the exact match is a source, not its subexpressions.
    pub exact: bool,
    pub by_side_effect: SideEffect,
    pub position: Position,
}

/// An item of `pattern-sinks`: tainted data reaching code matching `formula` is a finding.
#[derive(Debug, Clone, PartialEq)]
pub struct TaintSink {
    pub formula: Formula,
    /// `exact` (default true): only the exact match is a sink; with false, any of its
    /// subexpressions is.
    pub exact: bool,
    pub position: Position,
}

/// An item of `pattern-sanitizers`: data passing through code matching `formula` is clean.
#[derive(Debug, Clone, PartialEq)]
pub struct TaintSanitizer {
    pub formula: Formula,
    /// `exact` (default false): only the exact match is sanitized, not its subexpressions.
    pub exact: bool,
    pub by_side_effect: SideEffect,
    pub position: Position,
}

/// An item of `pattern-propagators`: where `formula` matches, taint flows from the code bound to
/// `from` to the code bound to `to`.
#[derive(Debug, Clone, PartialEq)]
pub struct TaintPropagator {
    pub formula: Formula,
    pub from: Metavariable,
    pub to: Metavariable,
    /// `by-side-effect` (default true): `to` stays tainted in the code after the match.
    pub by_side_effect: bool,
    pub position: Position,
}

/// `paths:`: globs on the path relative to the project root, matched against the file and each
/// of its parent directories; a file runs the rule if it matches an `include` (or there are none)
/// and no `exclude` (exclusion wins). Kept as written; the syntax is checked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PathFilter {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
}

/// A low/medium/high level of `metadata.likelihood` and `metadata.impact`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Low,
    Medium,
    High,
}

/// `metadata:` as written (`raw`), plus the fields Gatehouse uses, checked and normalised.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Metadata {
    /// The whole mapping as JSON-like data (an empty object without `metadata`).
    pub raw: serde_json::Map<String, serde_json::Value>,
    /// `cwe` (a string or a list), each normalised to `CWE-<n>`: "CWE-89: Improper …" → "CWE-89".
    pub cwe: Vec<String>,
    /// `owasp` (a string or a list): "A03:2021 - Injection".
    pub owasp: Vec<String>,
    /// `confidence`: LOW, MEDIUM or HIGH.
    pub confidence: Option<Confidence>,
    /// `references` (a string or a list of URLs).
    pub references: Vec<String>,
    /// `category`: security, correctness, best-practice, ….
    pub category: Option<String>,
    /// `subcategory` (a string or a list): vuln, audit, guardrail.
    pub subcategory: Vec<String>,
    /// `technology` (a string or a list): django, flask, ….
    pub technology: Vec<String>,
    pub likelihood: Option<Level>,
    pub impact: Option<Level>,
}

/// `options:`: Semgrep's matching options, each `None` when the rule does not set it (the
/// engine's default applies). Only the options Semgrep documents are accepted; whether the engine
/// honours one is the engine's decision.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RuleOptions {
    pub ac_matching: Option<bool>,
    pub attr_expr: Option<bool>,
    pub commutative_boolop: Option<bool>,
    pub constant_propagation: Option<bool>,
    pub decorators_order_matters: Option<bool>,
    pub generic_comment_style: Option<GenericCommentStyle>,
    pub generic_ellipsis_max_span: Option<u32>,
    pub implicit_return: Option<bool>,
    pub interfile: Option<bool>,
    pub symbolic_propagation: Option<bool>,
    pub symmetric_eq: Option<bool>,
    pub taint_assume_safe_booleans: Option<bool>,
    pub taint_assume_safe_functions: Option<bool>,
    pub taint_assume_safe_indexes: Option<bool>,
    pub taint_assume_safe_numbers: Option<bool>,
    pub vardef_assign: Option<bool>,
    pub xml_attrs_implicit_ellipsis: Option<bool>,
}

/// `options.generic_comment_style`: which comments generic matching ignores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GenericCommentStyle {
    /// `/* … */`
    C,
    /// `// …` and `/* … */`
    Cpp,
    /// `# …`
    Shell,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities() {
        assert_eq!(parse_severity("ERROR"), Some(Severity::High));
        assert_eq!(parse_severity("warning"), Some(Severity::Medium));
        assert_eq!(parse_severity("Info"), Some(Severity::Low));
        assert_eq!(parse_severity("critical"), Some(Severity::Critical));
        assert_eq!(parse_severity("HIGH"), Some(Severity::High));
        assert_eq!(parse_severity("medium"), Some(Severity::Medium));
        assert_eq!(parse_severity("LOW"), Some(Severity::Low));
        assert_eq!(parse_severity("INVENTORY"), None);
        assert_eq!(parse_severity(""), None);
    }

    #[test]
    fn metavariable_names() {
        for ok in ["$X", "$FUNC_2", "$_", "$...ARGS", "$1", "$12"] {
            assert!(Metavariable::parse(ok).is_some(), "{ok}");
        }
        for bad in [
            "X", "$", "$x", "$Foo", "$...", "$...1", "$1A", "$X-Y", "$ X", "$X ", "$É",
        ] {
            assert!(Metavariable::parse(bad).is_none(), "{bad}");
        }
        let m = Metavariable::parse("$...ARGS").unwrap();
        assert!(m.is_ellipsis());
        assert_eq!(m.to_string(), "$...ARGS");
    }

    fn origin(style: TextStyle, line: usize, column: usize, leading: usize) -> TextOrigin {
        TextOrigin {
            file: Arc::from("f.yaml"),
            key_path: String::new(),
            line,
            column,
            style,
            leading_newlines: leading,
        }
    }

    #[test]
    fn locate_inside_text() {
        let plain = origin(TextStyle::Plain, 3, 14, 0);
        assert_eq!(
            plain.locate(0, 4),
            Position {
                line: 3,
                column: 18
            }
        );
        let quoted = origin(TextStyle::DoubleQuoted, 3, 14, 0);
        assert_eq!(
            quoted.locate(0, 0),
            Position {
                line: 3,
                column: 15
            }
        );
        let literal = origin(TextStyle::Literal, 5, 7, 0);
        assert_eq!(literal.locate(0, 0), Position { line: 5, column: 7 });
        assert_eq!(
            literal.locate(2, 3),
            Position {
                line: 7,
                column: 10
            }
        );
        let leading = origin(TextStyle::Literal, 5, 7, 1);
        assert_eq!(leading.locate(1, 0), Position { line: 5, column: 7 });
        assert_eq!(leading.locate(0, 0), Position { line: 4, column: 1 });
    }
}
