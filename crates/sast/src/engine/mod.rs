//! The matching engine: compiled rules run on parsed files.
//!
//! # Using it
//!
//! 1. [`compile`] each loaded rule once. Compilation parses every pattern for every file
//!    language of the rule into a compact form (node kinds as grammar ids, placeholders
//!    resolved, punctuation dropped) and rejects what the engine cannot evaluate, with a
//!    [`RuleError`] naming the rule file, line, column and key path.
//! 2. Build one [`Prefilter`] over all compiled rules. For each file, [`Prefilter::scan`] its
//!    bytes once (before parsing) and ask [`Prefilter::may_match`] per rule: a file none of
//!    whose rules may match need not be parsed at all.
//! 3. Parse the file ([`crate::lang::parse`]), build its [`FileIndex`] once with [`index`], and
//!    call [`CompiledRule::run_detailed`] (or [`CompiledRule::run_indexed`]) for each rule that
//!    may match. Rules are `Send + Sync`: run files in parallel, one index per file. A
//!    regex-only rule runs with the index of whatever the file is, or with no parse at all
//!    through [`CompiledRule::run`].
//!
//! [`CompiledRule::run`] does all of this for one rule and one file (its own prefilter check
//! and index); it is simpler and fine for tests and single files, but a scan of many rules
//! should share the index.
//!
//! **Architecture invariant:** running a rule never panics and never recurses with the
//! target's depth: matching recursion follows the pattern (whose depth is bounded when it
//! compiles), tree walks are loops, and every rule has a work budget per file
//! ([`RunOutcome::budget_exhausted`] says when it ran out). A panic would be a bug; it is
//! caught and reported as [`RunOutcome::internal_error`].
//!
//! # Semantics, where they differ from Semgrep's
//!
//! Findings were compared with Semgrep 1.187 on the fixtures under `tests/engine/`, on every
//! rule pack under `rules/sast/` and on the Python standard library. Known differences:
//! a trailing `...` in a statement pattern yields one match reaching the end of the block
//! (Semgrep reports one per possible end); `a, b = x, y` taints element-wise (Semgrep taints
//! both from either); constant propagation (`x = null; x === x`) and typed metavariables
//! (`(HttpServletRequest $R)`) are not implemented; `node:` module prefixes are resolved
//! like the bare module names.
//!
//! # What is inside
//!
//! - `pattern.rs`: patterns compiled from their tree-sitter trees.
//! - `index.rs`: the file flattened into arrays in pre-order, nodes bucketed by kind.
//! - `matcher.rs`: backtracking matching of one pattern, with a work budget per file.
//! - `formula.rs`: `patterns`, `pattern-either`, negations, conditions, focus.
//! - `compare.rs`: the `metavariable-comparison` evaluator.
//! - `taint.rs`: intra-procedural taint tracking.
//! - `imports.rs`: import aliases (`from os import system` makes `system(x)` match
//!   `os.system(...)`).
//! - `prefilter.rs`: the literals a rule needs, and the shared automaton.
//! - `langinfo.rs`: per-grammar tables (string kinds, statement containers, ...).

mod compare;
mod formula;
mod imports;
mod index;
mod langinfo;
mod matcher;
mod pattern;
mod prefilter;
mod taint;

use std::ops::Range;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use crate::lang::{Language, ParsedFile};
use crate::rule::{self, LanguageKind, Mode, Rule, RuleError};

pub use index::FileIndex;
pub use prefilter::{Prefilter, PrefilterHits};

use formula::{CFormula, Compile, Cx, Doc};
use matcher::{Bound, RawMatch};
use pattern::MvTable;
use prefilter::Req;

/// Matching steps one rule may take on one file (at least; larger files get more).
const BASE_FUEL: u64 = 4_000_000;
/// Extra steps per indexed node of the file.
const FUEL_PER_NODE: u64 = 200;

/// A 1-based line and 1-based byte column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Point {
    pub line: u32,
    pub column: u32,
}

/// Where the tainted data of a taint finding came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaintTrace {
    /// The source's byte range.
    pub source: Range<usize>,
    pub source_start: Point,
    /// The variables (and attribute paths) the data went through, in order.
    pub via: Vec<String>,
}

/// One finding of one rule in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleMatch {
    /// The matched range (after `focus-metavariable`).
    pub bytes: Range<usize>,
    pub start: Point,
    pub end: Point,
    /// The rule's message with `$X` / `$...X` replaced by the bound text.
    pub message: String,
    /// Metavariable name (`$X`) → bound text, sorted by name.
    pub bindings: Vec<(String, String)>,
    /// For taint rules: where the source was.
    pub taint: Option<TaintTrace>,
}

/// A file to run rules on.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub source: &'a [u8],
    /// `None`: the file was not parsed (only regex-only rules run on it).
    pub parsed: Option<&'a ParsedFile>,
}

/// What one run did besides finding matches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunOutcome {
    pub matches: Vec<RuleMatch>,
    /// The rule used up its work budget on this file; its results may be incomplete.
    pub budget_exhausted: bool,
    /// A formula produced more ranges than the engine keeps; the rest were dropped.
    pub truncated: bool,
    /// The rule's evaluation panicked (a bug): no results, reported instead of propagated.
    pub internal_error: bool,
}

enum CMode {
    Search(CFormula),
    Taint(taint::CTaint),
}

struct Program {
    /// `None` for the regex-only program.
    language: Option<Language>,
    mode: CMode,
}

/// A rule compiled for every language it runs on. `Send + Sync`: compile once, run on many
/// files in parallel.
pub struct CompiledRule {
    rule: Arc<Rule>,
    languages: Vec<Language>,
    programs: Vec<Program>,
    mvs: MvTable,
    literals: Vec<Vec<u8>>,
    requirements: Vec<(Option<Language>, Req)>,
    regex_only: bool,
}

impl std::fmt::Debug for CompiledRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompiledRule")
            .field("id", &self.rule.id)
            .field("languages", &self.languages)
            .field("regex_only", &self.regex_only)
            .finish()
    }
}

/// Compiles a rule for every language it names. Errors name the rule file, the position of
/// the offending pattern (or key) and its key path.
pub fn compile(rule: Arc<Rule>) -> Result<CompiledRule, Vec<RuleError>> {
    let mut errors: Vec<RuleError> = Vec::new();
    let file = rule.source.file.to_string();
    let rule_error = |message: String| RuleError {
        file: file.clone(),
        line: Some(rule.source.line),
        column: Some(rule.source.column),
        key_path: String::new(),
        message,
    };
    let mut languages: Vec<Language> = Vec::new();
    let mut regex_only = false;
    for l in &rule.languages {
        match l.kind {
            LanguageKind::Regex => regex_only = true,
            LanguageKind::Generic => errors.push(rule_error(format!(
                "rule {:?}: `languages: [{}]` (Semgrep's generic matching) is not supported by \
                 the engine; use `languages: [regex]` with pattern-regex",
                rule.id, l.name
            ))),
            LanguageKind::Code => match Language::from_name(&l.name) {
                Some(lang) => {
                    for &fl in lang.file_languages() {
                        if !languages.contains(&fl) {
                            languages.push(fl);
                        }
                    }
                }
                None => errors.push(rule_error(format!(
                    "rule {:?}: language {:?} is not supported by the engine",
                    rule.id, l.name
                ))),
            },
        }
    }
    if regex_only && !languages.is_empty() {
        errors.push(rule_error(format!(
            "rule {:?}: `regex` cannot be combined with code languages",
            rule.id
        )));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut mvs = MvTable::default();
    let mut programs = Vec::new();
    let targets: Vec<Option<Language>> = if regex_only {
        vec![None]
    } else {
        languages.iter().map(|&l| Some(l)).collect()
    };
    // TypeScript rules compile for `.ts` and `.tsx` files: a pattern that parses for only one
    // of them (JSX, `<T>x` casts) cannot occur in the other's files, so it is an error only
    // when it parses for neither.
    let both_ts = languages.contains(&Language::TypeScript) && languages.contains(&Language::Tsx);
    let mut soft: Vec<Vec<RuleError>> = Vec::new();
    for lang in targets {
        let lenient = both_ts && matches!(lang, Some(Language::TypeScript | Language::Tsx));
        let mut c = Compile {
            file: &file,
            rule_id: &rule.id,
            mvs: &mut mvs,
            errors: &mut errors,
            lenient,
            soft_errors: Vec::new(),
        };
        let mode = match &rule.mode {
            Mode::Search(f) => c.formula(f, lang).map(CMode::Search),
            Mode::Taint(spec) => {
                taint::compile(&mut c, spec, lang, &rule.options).map(CMode::Taint)
            }
        };
        if lenient {
            soft.push(std::mem::take(&mut c.soft_errors));
        }
        if let Some(mode) = mode {
            programs.push(Program {
                language: lang,
                mode,
            });
        }
    }
    if let [a, b] = &soft[..] {
        for e in a {
            if b.iter()
                .any(|x| x.line == e.line && x.column == e.column && x.key_path == e.key_path)
            {
                errors.push(e.clone());
            }
        }
    }
    if !errors.is_empty() {
        // A pattern that fails for TypeScript usually fails for TSX too: report it once.
        let mut seen = std::collections::HashSet::new();
        errors.retain(|e| seen.insert((e.line, e.column, e.key_path.clone(), e.message.clone())));
        return Err(errors);
    }
    let mut literals = Vec::new();
    let requirements = programs
        .iter()
        .map(|p| {
            let req = match &p.mode {
                CMode::Search(f) => prefilter::requirement(f, &mut literals),
                CMode::Taint(t) => t.requirement(&mut literals),
            };
            (p.language, req)
        })
        .collect();
    Ok(CompiledRule {
        rule,
        languages: if regex_only { Vec::new() } else { languages },
        programs,
        mvs,
        literals,
        requirements,
        regex_only,
    })
}

/// Indexes a parsed file for [`CompiledRule::run_indexed`]; `None` when it was not parsed.
pub fn index(target: &Target<'_>) -> Option<FileIndex> {
    let parsed = target.parsed?;
    catch_unwind(AssertUnwindSafe(|| FileIndex::build(parsed, target.source))).ok()
}

impl CompiledRule {
    pub fn rule(&self) -> &Rule {
        &self.rule
    }

    /// The file languages the rule runs on (TypeScript rules: `typescript` and `tsx`); empty
    /// for a regex-only rule.
    pub fn languages(&self) -> &[Language] {
        &self.languages
    }

    /// `languages: [regex]`: the rule runs on the text of any file, parsed or not.
    pub fn is_regex_only(&self) -> bool {
        self.regex_only
    }

    /// Whether the rule runs on files of `lang` (`None`: a file that is not parsed).
    pub fn applies_to(&self, lang: Option<Language>) -> bool {
        self.regex_only || lang.is_some_and(|l| self.languages.contains(&l))
    }

    /// The rule's own prefilter: `false` when `source` lacks text every match needs.
    pub fn may_match(&self, source: &[u8], lang: Option<Language>) -> bool {
        let mut memo: Vec<Option<bool>> = vec![None; self.literals.len()];
        let mut has = |i: u32| {
            let i = i as usize;
            if let Some(Some(v)) = memo.get(i) {
                return *v;
            }
            let v = self
                .literals
                .get(i)
                .is_none_or(|l| memchr::memmem::find(source, l).is_some());
            if let Some(slot) = memo.get_mut(i) {
                *slot = Some(v);
            }
            v
        };
        self.requirements
            .iter()
            .filter(|(l, _)| l.is_none() || *l == lang)
            .any(|(_, req)| req.eval(&mut has))
    }

    /// Runs the rule on one file: its prefilter, an index of its own, then matching. Never
    /// panics; results are sorted by position.
    pub fn run(&self, target: &Target<'_>) -> Vec<RuleMatch> {
        let lang = target.parsed.map(|p| p.language);
        if !self.applies_to(lang) || !self.may_match(target.source, lang) {
            return Vec::new();
        }
        if self.regex_only {
            let text = FileIndex::text_only(lang.unwrap_or(Language::Python), target.source);
            return self.run_detailed(target, &text).matches;
        }
        match index(target) {
            Some(idx) => self.run_detailed(target, &idx).matches,
            None => Vec::new(),
        }
    }

    /// Runs the rule with a shared index (see the module documentation): no prefilter check.
    pub fn run_indexed(&self, target: &Target<'_>, index: &FileIndex) -> Vec<RuleMatch> {
        self.run_detailed(target, index).matches
    }

    /// [`Self::run_indexed`] with what happened on the way (budget, truncation).
    pub fn run_detailed(&self, target: &Target<'_>, index: &FileIndex) -> RunOutcome {
        let lang = if self.regex_only {
            None
        } else {
            match target.parsed {
                Some(p) => Some(p.language),
                None => return RunOutcome::default(),
            }
        };
        let Some(program) = self.programs.iter().find(|p| p.language == lang) else {
            return RunOutcome::default();
        };
        let result = catch_unwind(AssertUnwindSafe(|| self.evaluate(program, target, index)));
        match result {
            Ok(outcome) => outcome,
            Err(_) => RunOutcome {
                internal_error: true,
                ..RunOutcome::default()
            },
        }
    }

    fn evaluate(&self, program: &Program, target: &Target<'_>, index: &FileIndex) -> RunOutcome {
        let src = target.source;
        let doc = Doc { f: index, src };
        let mut cx = Cx {
            mvs: &self.mvs,
            fuel: BASE_FUEL + FUEL_PER_NODE * index.node_count() as u64,
            exhausted: false,
            truncated: false,
        };
        let mut found: Vec<(RawMatch, Option<TaintTrace>)> = match &program.mode {
            CMode::Search(f) => cx
                .eval(doc, f, None)
                .into_iter()
                .map(|m| (m, None))
                .collect(),
            CMode::Taint(t) => taint::run(t, &mut cx, doc),
        };
        found.sort_by_key(|a| (a.0.start, a.0.end));
        found.dedup_by(|a, b| a.0.start == b.0.start && a.0.end == b.0.end);
        let matches = found
            .into_iter()
            .map(|(m, taint)| self.to_match(index, src, m, taint))
            .collect();
        RunOutcome {
            matches,
            budget_exhausted: cx.exhausted,
            truncated: cx.truncated,
            internal_error: false,
        }
    }

    fn to_match(
        &self,
        f: &FileIndex,
        src: &[u8],
        m: RawMatch,
        taint: Option<TaintTrace>,
    ) -> RuleMatch {
        let (sl, sc) = f.point(m.start);
        let (el, ec) = f.point(m.end);
        let mut bindings: Vec<(String, String)> = m
            .env
            .iter()
            .map(|(id, b)| (self.mvs.name(*id).to_string(), bound_text(b, src)))
            .collect();
        bindings.sort();
        bindings.dedup_by(|a, b| a.0 == b.0);
        RuleMatch {
            bytes: m.start as usize..m.end as usize,
            start: Point {
                line: sl,
                column: sc,
            },
            end: Point {
                line: el,
                column: ec,
            },
            message: interpolate(&self.rule.message, &bindings),
            bindings,
            taint,
        }
    }
}

fn bound_text(b: &Bound, src: &[u8]) -> String {
    String::from_utf8_lossy(b.text(src)).into_owned()
}

/// Replaces each `$NAME` / `$...NAME` in `message` that is bound; unbound ones stay. Messages
/// and `fix` templates are interpolated alike.
pub fn interpolate(message: &str, bindings: &[(String, String)]) -> String {
    let bytes = message.as_bytes();
    let mut out = String::with_capacity(message.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' {
            let mut j = i + 1;
            if message[j..].starts_with("...") {
                j += 3;
            }
            let name_start = j;
            while j < bytes.len()
                && (bytes[j].is_ascii_uppercase() || bytes[j].is_ascii_digit() || bytes[j] == b'_')
            {
                j += 1;
            }
            if j > name_start {
                let name = &message[i..j];
                if let Some((_, text)) = bindings.iter().find(|(n, _)| n == name) {
                    out.push_str(text);
                    i = j;
                    continue;
                }
            }
        }
        let ch = message[i..].chars().next().unwrap_or('\u{fffd}');
        out.push(ch);
        i += ch.len_utf8().max(1);
    }
    out
}

/// The options of a rule the engine reads.
pub(crate) fn assume_safe_functions(options: &rule::RuleOptions) -> bool {
    options.taint_assume_safe_functions.unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_interpolate_bound_metavariables_only() {
        let b = vec![
            ("$...ARGS".to_string(), "a, b".to_string()),
            ("$X".to_string(), "user".to_string()),
        ];
        assert_eq!(
            interpolate("call with $...ARGS on $X, not $XY or $Y", &b),
            "call with a, b on user, not $XY or $Y"
        );
        assert_eq!(interpolate("$ alone, é $X", &b), "$ alone, é user");
    }
}
