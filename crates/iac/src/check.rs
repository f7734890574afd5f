//! Checks: their metadata and examples as data (`rules/iac/*.yaml`), and what runs them — a
//! small declarative condition for property tests on one resource, or a named function in
//! [`crate::logic`] for anything that needs logic.
//!
//! ```yaml
//! checks:
//!   - id: IAC-AWS-001
//!     title: S3 bucket ACL grants public access
//!     severity: high
//!     input: terraform
//!     resource: [aws_s3_bucket, aws_s3_bucket_acl]
//!     match: {attribute: acl, in: [public-read, public-read-write]}
//!     description: …
//!     fix: …
//!     references: [CIS AWS Foundations 2.1.5]
//!     cwe: [CWE-732]
//!     examples:
//!       bad: ['resource "aws_s3_bucket" "b" { acl = "public-read" }']
//!       good: ['resource "aws_s3_bucket" "b" { acl = "private" }']
//! ```
//!
//! A condition is a leaf (`attribute:` plus one test) or `all:` / `any:` of conditions, or
//! `not:` one. Tests: `equals`, `in`, `not-equals`, `not-in`, `is` (`absent`, `present`,
//! `true`, `false`, `not-true`, `not-false`, `empty`), `contains`, `matches` (a regex),
//! `cidr-open: true` (the whole internet), `greater-than`, `less-than`. Attribute paths are
//! dot-separated keys; lists (Terraform blocks, Kubernetes containers) are entered wherever
//! they are met, and a test holds if it holds for any element. String comparisons ignore case.
//! An unresolved Terraform expression satisfies no test, so unknown values are never
//! violations.

use std::path::Path;

use gatehouse_core::{Confidence, RuleMeta, ScannerKind, Severity};
use regex::Regex;

use crate::input::yaml::{self, Document};
use crate::input::Kind;
use crate::logic::{self, LogicFn};
use crate::tree::{Node, Reached, Value};

/// The check files compiled into the binary: (file name under `rules/iac/`, text).
const BUILTIN: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin_checks.rs"));

/// A problem in a check file, with its position.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct CheckError {
    pub file: String,
    pub line: u32,
    pub message: String,
}

/// An example a check must (bad) or must not (good) report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub bad: bool,
    /// The file name it is scanned as (decides the input kind).
    pub file: String,
    pub text: String,
    pub line: u32,
}

/// One check with everything `gatehouse rules iac` shows.
#[derive(Debug, Clone)]
pub struct Check {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub confidence: Confidence,
    /// Why it matters.
    pub description: String,
    /// What to do.
    pub fix: String,
    pub references: Vec<String>,
    pub cwe: Vec<String>,
    /// `dockerfile`, `kubernetes`, `compose`, `terraform`, `github-actions`, `gitlab-ci`.
    pub input: String,
    pub body: CheckBody,
    pub examples: Vec<Example>,
    /// Findings of this check quote secrets: their snippets are left out.
    pub secret: bool,
    /// The check file and line it was defined at.
    pub source: String,
    pub line: u32,
}

#[derive(Clone)]
pub enum CheckBody {
    /// A property test on resources of the listed types.
    Data {
        resources: Vec<String>,
        condition: Condition,
    },
    /// A function in `logic/`, by name.
    Logic { name: String, run: LogicFn },
}

impl std::fmt::Debug for CheckBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CheckBody::Data { resources, .. } => write!(f, "Data({resources:?})"),
            CheckBody::Logic { name, .. } => write!(f, "Logic({name})"),
        }
    }
}

impl Check {
    pub fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: self.id.clone(),
            title: self.title.clone(),
            description: self.description.trim().to_string(),
            remediation: self.fix.trim().to_string(),
            severity: self.severity,
            confidence: self.confidence,
            scanner: ScannerKind::Iac,
            cwe: self.cwe.clone(),
            references: self.references.clone(),
            tags: vec![self.input.clone()],
        }
    }

    /// Whether the check looks at files of `kind`.
    pub fn applies_to(&self, kind: Kind) -> bool {
        self.input == kind.input_name()
    }
}

#[derive(Debug, Clone)]
pub enum Condition {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    Leaf { path: String, test: Test },
}

#[derive(Debug, Clone)]
pub enum Test {
    In(Vec<String>),
    NotIn(Vec<String>),
    Is(Is),
    Contains(String),
    Matches(Regex),
    CidrOpen,
    GreaterThan(f64),
    LessThan(f64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Is {
    Absent,
    Present,
    True,
    False,
    NotTrue,
    NotFalse,
    Empty,
}

/// Where a condition holds: the line and the attribute path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub line: u32,
    pub attribute: String,
}

/// Sources meaning the whole internet, in the spellings the providers use.
pub const OPEN_SOURCES: [&str; 6] = ["0.0.0.0/0", "::/0", "*", "internet", "any", "0.0.0.0"];

impl Condition {
    /// Evaluates the condition on a resource body; `None` when it does not hold.
    pub fn eval(&self, body: &Node, line: u32) -> Option<Match> {
        match self {
            Condition::All(cs) => {
                let mut hits = Vec::new();
                for c in cs {
                    hits.push(c.eval(body, line)?);
                }
                // The most specific place: the first that is not the resource itself.
                let first = hits.first().cloned();
                hits.into_iter().find(|h| h.line != line).or(first)
            }
            Condition::Any(cs) => cs.iter().find_map(|c| c.eval(body, line)),
            Condition::Not(c) => match c.eval(body, line) {
                Some(_) => None,
                None => Some(Match {
                    line,
                    attribute: String::new(),
                }),
            },
            Condition::Leaf { path, test } => {
                let hit = |l: u32| {
                    Some(Match {
                        line: if l == 0 { line } else { l },
                        attribute: path.clone(),
                    })
                };
                for r in body.reach(path) {
                    match (r, test) {
                        (
                            Reached::Missing(l),
                            Test::Is(Is::Absent | Is::NotTrue | Is::NotFalse | Is::Empty),
                        ) => return hit(l),
                        (Reached::Missing(_), _) => {}
                        (Reached::Found(n, l), t) => {
                            if leaf_holds(n, t) {
                                return hit(l);
                            }
                        }
                    }
                }
                None
            }
        }
    }
}

fn leaf_holds(n: &Node, t: &Test) -> bool {
    let text = n.scalar_text().map(|s| s.to_ascii_lowercase());
    match t {
        Test::In(v) => text.is_some_and(|s| v.contains(&s)),
        Test::NotIn(v) => text.is_some_and(|s| !v.contains(&s)),
        Test::Is(Is::Absent) => false,
        Test::Is(Is::Present) => !n.is_expr(),
        Test::Is(Is::True) => n.is_true(),
        Test::Is(Is::False) => n.is_false(),
        Test::Is(Is::NotTrue) => text.is_some() && !n.is_true(),
        Test::Is(Is::NotFalse) => text.is_some() && !n.is_false(),
        Test::Is(Is::Empty) => text.is_some_and(|s| s.trim().is_empty()),
        Test::Contains(s) => text.is_some_and(|t| t.contains(s.as_str())),
        Test::Matches(re) => n.scalar_text().is_some_and(|s| re.is_match(&s)),
        Test::CidrOpen => text.is_some_and(|s| OPEN_SOURCES.contains(&s.trim())),
        Test::GreaterThan(x) => number(n).is_some_and(|v| v > *x),
        Test::LessThan(x) => number(n).is_some_and(|v| v < *x),
    }
}

fn number(n: &Node) -> Option<f64> {
    match &n.value {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        Value::Str(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The checks to run, in id order.
#[derive(Debug, Clone)]
pub struct CheckSet {
    checks: Vec<Check>,
}

impl CheckSet {
    /// The built-in checks.
    pub fn builtin() -> Result<CheckSet, Vec<CheckError>> {
        CheckSet::from_files(
            BUILTIN
                .iter()
                .map(|(n, t)| (format!("<builtin>/{n}"), t.to_string())),
        )
    }

    /// The checks in `paths` (check files or directories of them), after the built-in ones when
    /// `builtin` is set.
    pub fn load(builtin: bool, paths: &[std::path::PathBuf]) -> Result<CheckSet, Vec<CheckError>> {
        let mut files: Vec<(String, String)> = BUILTIN
            .iter()
            .filter(|_| builtin)
            .map(|(n, t)| (format!("<builtin>/{n}"), t.to_string()))
            .collect();
        let mut errors = Vec::new();
        for p in paths {
            let mut found = Vec::new();
            collect_files(p, &mut found);
            if found.is_empty() {
                errors.push(CheckError {
                    file: p.display().to_string(),
                    line: 0,
                    message: "no check files (*.yaml) here".into(),
                });
            }
            for f in found {
                match std::fs::read_to_string(&f) {
                    Ok(t) => files.push((f.display().to_string(), t)),
                    Err(e) => errors.push(CheckError {
                        file: f.display().to_string(),
                        line: 0,
                        message: format!("cannot read: {e}"),
                    }),
                }
            }
        }
        match CheckSet::from_files(files) {
            Ok(s) if errors.is_empty() => Ok(s),
            Ok(_) => Err(errors),
            Err(e) => {
                errors.extend(e);
                Err(errors)
            }
        }
    }

    /// Parses check files given as (name, text).
    pub fn from_files(
        files: impl IntoIterator<Item = (String, String)>,
    ) -> Result<CheckSet, Vec<CheckError>> {
        let mut checks = Vec::new();
        let mut errors = Vec::new();
        for (name, text) in files {
            match parse_file(&name, &text) {
                Ok(c) => checks.extend(c),
                Err(e) => errors.extend(e),
            }
        }
        checks.sort_by(|a: &Check, b| a.id.cmp(&b.id));
        for w in checks.windows(2) {
            if w[0].id == w[1].id {
                errors.push(CheckError {
                    file: w[1].source.clone(),
                    line: w[1].line,
                    message: format!(
                        "duplicate check id {} (also at {}:{})",
                        w[1].id, w[0].source, w[0].line
                    ),
                });
            }
        }
        if errors.is_empty() {
            Ok(CheckSet { checks })
        } else {
            Err(errors)
        }
    }

    pub fn checks(&self) -> &[Check] {
        &self.checks
    }

    pub fn len(&self) -> usize {
        self.checks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.checks.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.id == id)
    }

    /// Keeps only the checks `keep` accepts (for `--check` filters).
    pub fn retain(&mut self, keep: impl FnMut(&Check) -> bool) {
        self.checks.retain(keep);
    }
}

fn collect_files(p: &Path, out: &mut Vec<std::path::PathBuf>) {
    if p.is_file() {
        out.push(p.to_path_buf());
        return;
    }
    let Ok(rd) = std::fs::read_dir(p) else {
        return;
    };
    let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for e in entries {
        if e.is_dir() {
            collect_files(&e, out);
        } else if e.extension().is_some_and(|x| x == "yaml" || x == "yml") {
            out.push(e);
        }
    }
}

struct Reader<'a> {
    file: &'a str,
    errors: Vec<CheckError>,
}

impl Reader<'_> {
    fn err(&mut self, line: u32, message: impl Into<String>) {
        self.errors.push(CheckError {
            file: self.file.to_string(),
            line,
            message: message.into(),
        });
    }

    fn string(&mut self, n: &Node, key: &str) -> Option<String> {
        match n.get(key) {
            Some(v) => match v.scalar_text() {
                Some(s) => Some(s),
                None => {
                    self.err(v.line, format!("`{key}` must be a string"));
                    None
                }
            },
            None => None,
        }
    }

    fn required(&mut self, n: &Node, key: &str) -> String {
        match self.string(n, key) {
            Some(s) if !s.trim().is_empty() => s,
            Some(_) | None => {
                self.err(n.line, format!("`{key}` is required"));
                String::new()
            }
        }
    }

    fn strings(&mut self, n: &Node, key: &str) -> Vec<String> {
        let Some(v) = n.get(key) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for i in v.items() {
            match i.scalar_text() {
                Some(s) => out.push(s),
                None => self.err(i.line, format!("`{key}` must be a list of strings")),
            }
        }
        out
    }

    fn condition(&mut self, n: &Node, depth: usize) -> Option<Condition> {
        if depth > 16 {
            self.err(n.line, "conditions nest too deep");
            return None;
        }
        let keys: Vec<&str> = n.entries().iter().map(|e| e.key.as_str()).collect();
        if let Some(list) = n.get("all").or_else(|| n.get("any")) {
            let mut cs = Vec::new();
            for c in list.items() {
                cs.push(self.condition(c, depth + 1)?);
            }
            if cs.is_empty() {
                self.err(list.line, "`all`/`any` need at least one condition");
                return None;
            }
            return Some(if n.get("all").is_some() {
                Condition::All(cs)
            } else {
                Condition::Any(cs)
            });
        }
        if let Some(c) = n.get("not") {
            return Some(Condition::Not(Box::new(self.condition(c, depth + 1)?)));
        }
        let Some(path) = n.get("attribute").and_then(Node::scalar_text) else {
            self.err(
                n.line,
                "a condition needs `attribute` (or `all`, `any`, `not`)",
            );
            return None;
        };
        let lits = |v: &Node| -> Vec<String> {
            v.items()
                .into_iter()
                .filter_map(|i| i.scalar_text().map(|s| s.to_ascii_lowercase()))
                .collect()
        };
        let tests: Vec<&str> = keys.into_iter().filter(|k| *k != "attribute").collect();
        let [test] = tests.as_slice() else {
            self.err(
                n.line,
                format!("a condition has exactly one test besides `attribute` (found {tests:?})"),
            );
            return None;
        };
        let v = n.get(test)?;
        let t = match *test {
            "equals" | "in" => Test::In(lits(v)),
            "not-equals" | "not-in" => Test::NotIn(lits(v)),
            "is" => Test::Is(match v.scalar_text().as_deref() {
                Some("absent") => Is::Absent,
                Some("present") => Is::Present,
                Some("true") => Is::True,
                Some("false") => Is::False,
                Some("not-true") => Is::NotTrue,
                Some("not-false") => Is::NotFalse,
                Some("empty") => Is::Empty,
                other => {
                    self.err(v.line, format!("unknown `is` value {other:?} (absent, present, true, false, not-true, not-false, empty)"));
                    return None;
                }
            }),
            "contains" => Test::Contains(v.scalar_text()?.to_ascii_lowercase()),
            "matches" => match Regex::new(&v.scalar_text()?) {
                Ok(re) => Test::Matches(re),
                Err(e) => {
                    self.err(v.line, format!("invalid regex: {e}"));
                    return None;
                }
            },
            "cidr-open" => Test::CidrOpen,
            "greater-than" | "less-than" => {
                let Some(x) = number(v) else {
                    self.err(v.line, format!("`{test}` needs a number"));
                    return None;
                };
                if *test == "greater-than" {
                    Test::GreaterThan(x)
                } else {
                    Test::LessThan(x)
                }
            }
            other => {
                self.err(n.line, format!("unknown test `{other}`"));
                return None;
            }
        };
        Some(Condition::Leaf { path, test: t })
    }
}

/// The file an example of an input is scanned as when it does not name one.
pub fn default_example_file(input: &str) -> &'static str {
    match input {
        "dockerfile" => "Dockerfile",
        "kubernetes" => "manifest.yaml",
        "compose" => "docker-compose.yml",
        "terraform" => "main.tf",
        "github-actions" => ".github/workflows/ci.yml",
        "gitlab-ci" => ".gitlab-ci.yml",
        _ => "input",
    }
}

const KNOWN_KEYS: [&str; 16] = [
    "id",
    "title",
    "severity",
    "confidence",
    "input",
    "resource",
    "match",
    "logic",
    "description",
    "fix",
    "references",
    "cwe",
    "examples",
    "secret",
    "file",
    "notes",
];

fn parse_file(file: &str, text: &str) -> Result<Vec<Check>, Vec<CheckError>> {
    let docs: Vec<Document> = yaml::parse_stream(text).map_err(|e| {
        vec![CheckError {
            file: file.to_string(),
            line: e.line,
            message: e.message,
        }]
    })?;
    let mut r = Reader {
        file,
        errors: Vec::new(),
    };
    let mut out = Vec::new();
    for d in &docs {
        let Some(list) = d.root.get("checks") else {
            r.err(d.line, "a check file is a mapping with a `checks` list");
            continue;
        };
        for c in list.items() {
            if let Some(check) = parse_check(&mut r, c) {
                out.push(check);
            }
        }
    }
    if r.errors.is_empty() {
        Ok(out)
    } else {
        Err(r.errors)
    }
}

fn parse_check(r: &mut Reader<'_>, c: &Node) -> Option<Check> {
    let before = r.errors.len();
    for e in c.entries() {
        if !KNOWN_KEYS.contains(&e.key.as_str()) {
            r.err(e.line, format!("unknown key `{}`", e.key));
        }
    }
    let id = r.required(c, "id");
    let title = r.required(c, "title");
    let input = r.required(c, "input");
    if !input.is_empty() && !Kind::INPUT_NAMES.contains(&input.as_str()) {
        r.err(
            c.line,
            format!("unknown input `{input}` (one of {:?})", Kind::INPUT_NAMES),
        );
    }
    let severity = match r.required(c, "severity").parse::<Severity>() {
        Ok(s) => s,
        Err(e) => {
            r.err(c.line, e.to_string());
            Severity::Medium
        }
    };
    let confidence = match r.string(c, "confidence") {
        Some(s) => s.parse::<Confidence>().unwrap_or_else(|e| {
            r.err(c.line, e.to_string());
            Confidence::Medium
        }),
        None => Confidence::High,
    };
    let description = r.required(c, "description");
    let fix = r.required(c, "fix");
    let references = r.strings(c, "references");
    if references.is_empty() {
        r.err(c.line, "`references` needs at least one entry");
    }
    let cwe = r.strings(c, "cwe");
    let secret = c.get("secret").is_some_and(Node::is_true);
    let body = match (c.get("match"), r.string(c, "logic")) {
        (Some(m), None) => {
            let resources = r.strings(c, "resource");
            if resources.is_empty() {
                r.err(
                    c.line,
                    "a `match` check needs `resource` (the types it applies to)",
                );
            }
            r.condition(m, 0).map(|condition| CheckBody::Data {
                resources,
                condition,
            })
        }
        (None, Some(name)) => match logic::find(&name) {
            Some(run) => Some(CheckBody::Logic { name, run }),
            None => {
                r.err(c.line, format!("no logic function `{name}`"));
                None
            }
        },
        _ => {
            r.err(c.line, "a check has either `match` or `logic`");
            None
        }
    };
    let default_file = r
        .string(c, "file")
        .unwrap_or_else(|| default_example_file(&input).to_string());
    let mut examples = Vec::new();
    match c.get("examples") {
        Some(ex) => {
            for (key, bad) in [("bad", true), ("good", false)] {
                let items = ex.get(key).map(Node::items).unwrap_or_default();
                if items.is_empty() {
                    r.err(
                        ex.line,
                        format!("`examples.{key}` needs at least one example"),
                    );
                }
                for i in items {
                    let (file, text) = match &i.value {
                        Value::Map(_) => (
                            i.get("file")
                                .and_then(Node::scalar_text)
                                .unwrap_or_else(|| default_file.clone()),
                            i.get("text")
                                .and_then(Node::scalar_text)
                                .unwrap_or_default(),
                        ),
                        _ => (default_file.clone(), i.scalar_text().unwrap_or_default()),
                    };
                    examples.push(Example {
                        bad,
                        file,
                        text,
                        line: i.line,
                    });
                }
            }
        }
        None => r.err(c.line, "`examples` with `bad` and `good` are required"),
    }
    if r.errors.len() > before {
        return None;
    }
    Some(Check {
        id,
        title,
        severity,
        confidence,
        description,
        fix,
        references,
        cwe,
        input,
        body: body?,
        examples,
        secret,
        source: r.file.to_string(),
        line: c.line,
    })
}

/// The checks reference table (`rules/iac/README.md` holds it between markers): one row per
/// check with id, title, severity, input and CWE, grouped in id order.
pub fn reference_table(set: &CheckSet) -> String {
    let mut out = String::from("| id | title | severity | input | CWE |\n|---|---|---|---|---|\n");
    for c in set.checks() {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            c.id,
            c.title,
            c.severity,
            c.input,
            c.cwe.join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_errors_name_the_line() {
        let e = CheckSet::from_files([(
            "x.yaml".to_string(),
            "checks:\n  - id: A\n    title: t\n    severity: bad\n    input: terraform\n    bogus: 1\n"
                .to_string(),
        )])
        .unwrap_err();
        let text: Vec<String> = e.iter().map(|e| e.to_string()).collect();
        assert!(
            text.iter()
                .any(|t| t.starts_with("x.yaml:6: unknown key `bogus`")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|t| t.contains("unknown severity")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|t| t.contains("`fix` is required")),
            "{text:?}"
        );
    }

    #[test]
    fn conditions() {
        let docs = yaml::parse_stream("a: {b: [{c: 'X'}, {d: 1}]}\nn: 5\n").unwrap();
        let body = &docs[0].root;
        let mut r = Reader {
            file: "t",
            errors: Vec::new(),
        };
        let mut cond = |y: &str| {
            let d = yaml::parse_stream(y).unwrap();
            r.condition(&d[0].root, 0).unwrap()
        };
        let holds = |c: Condition| c.eval(body, 1).map(|m| (m.line, m.attribute));
        assert_eq!(
            holds(cond("{attribute: a.b.c, equals: x}")),
            Some((1, "a.b.c".into()))
        );
        assert_eq!(
            holds(cond("{attribute: a.b.c, is: absent}")),
            Some((1, "a.b.c".into()))
        );
        assert_eq!(
            holds(cond("{attribute: n, greater-than: 4}")),
            Some((2, "n".into()))
        );
        assert_eq!(holds(cond("{attribute: n, less-than: 4}")), None);
        assert!(holds(cond("{not: {attribute: zz, is: present}}")).is_some());
        assert!(holds(cond(
            "{all: [{attribute: n, equals: 5}, {attribute: a.b.d, equals: 2}]}"
        ))
        .is_none());
    }
}
