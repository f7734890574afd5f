//! The scan: which rules, which files, and turning matches into findings.
//!
//! 1. **Rules.** [`RuleSet::load`] reads the built-in packs (embedded from `rules/sast/` at build
//!    time) and/or rule files and directories, checks ids are unique across all of them, and
//!    compiles every rule once ([`engine::compile`]), in parallel. Any error in any rule file is
//!    a configuration error: a scan never runs with a rule silently missing.
//! 2. **Files.** The walk is every scanner's ([`gatehouse_walk`]): ignore files honoured, `.git`
//!    skipped. A file is a candidate when its extension (or, for a file without one, its `#!`
//!    line) names a language some loaded rule runs on. Candidates are sorted largest first and
//!    analysed in parallel on a pool of `threads` workers.
//! 3. **One parse per file.** Each file is read once; one pass of the shared prefilter over its
//!    bytes says which rules can match it, and only if some can is it parsed, once, for all of
//!    them (so syntax errors are counted in the files that were parsed). A file with syntax
//!    errors is still analysed (tree-sitter recovers, and the rules see the rest of the tree);
//!    it is counted per language in [`ScanStats::parse_errors`] and named in a warning. A file that cannot be parsed at all
//!    (too large, timed out) is an error: nothing is said about it, so the scan is not clean.
//! 4. **Findings.** A match becomes a [`Finding`] of the core model: the rule's id, CWE,
//!    severity and confidence, the matched range, the interpolated message, and a fingerprint
//!    over the rule, the file and the matched code with its whitespace collapsed (plus the
//!    occurrence number among identical matches in the file), so it survives line moves and
//!    reformatting. Matches suppressed by a `nosemgrep` / `gatehouse:ignore` comment are counted,
//!    not reported. For rules about hard-coded credentials, string literals in the snippet and
//!    message are masked, since the match is the secret.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use gatehouse_core::{
    Evidence, Finding, Fingerprint, Location, ParseErrors, RuleMeta, ScanError, ScanReport,
    ScanWarning, ScannerKind, SkipReason,
};
use gatehouse_walk::WalkOptions;
use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;

use crate::engine::{self, CompiledRule, Prefilter, RuleMatch, Target};
use crate::lang::{self, Language, ParseConfig, ParseFailure};
use crate::rule::{self, PathFilter, Rule, RuleError};
use crate::{annotations, suppress};

/// The rule files compiled into the binary: (path under `rules/sast/`, text).
const BUILTIN: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// Where rules come from (`--config`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleConfig {
    /// The built-in packs (`--config builtin`, and the default).
    Builtin,
    /// A rule file, or a directory of them (searched recursively for `*.yaml` and `*.yml`).
    Path(PathBuf),
}

/// The embedded rule files, for listing and tests.
pub fn builtin_files() -> &'static [(&'static str, &'static str)] {
    BUILTIN
}

/// A set of compiled rules, ready to run on many files.
pub struct RuleSet {
    rules: Vec<LoadedRule>,
    /// The literals every rule needs, in one automaton: a file is parsed only if some rule of
    /// its language may match it.
    prefilter: Prefilter,
}

struct LoadedRule {
    compiled: CompiledRule,
    paths: Option<PathGlobs>,
    /// Rules about hard-coded credentials: their matches are secrets, so literals are masked.
    credential: bool,
}

impl RuleSet {
    /// Loads and compiles the rules of `configs` (in order; duplicates of the built-in set are
    /// loaded once). Every problem in every file is returned, each naming file, line and key.
    pub fn load(configs: &[RuleConfig]) -> Result<RuleSet, Vec<RuleError>> {
        let mut rules: Vec<Rule> = Vec::new();
        let mut errors = Vec::new();
        let mut builtin_done = false;
        let mut paths = Vec::new();
        for c in configs {
            match c {
                RuleConfig::Builtin if !builtin_done => {
                    builtin_done = true;
                    for (name, text) in BUILTIN {
                        match rule::load_str(text, &format!("<builtin>/{name}")) {
                            Ok(r) => rules.extend(r),
                            Err(e) => errors.extend(e),
                        }
                    }
                }
                RuleConfig::Builtin => {}
                RuleConfig::Path(p) => paths.push(p.clone()),
            }
        }
        if !paths.is_empty() {
            let (loaded, errs) = rule::load_paths(&paths);
            rules.extend(loaded);
            errors.extend(errs);
        }
        // Ids are unique across the built-in packs and the user's files together.
        errors.extend(rule::retain_unique_ids(&mut rules));
        let compiled: Vec<Result<LoadedRule, Vec<RuleError>>> = rules
            .into_par_iter()
            .map(|r| {
                check_options(&r)?;
                let paths = PathGlobs::new(&r.paths, &r)?;
                let credential = is_credential_rule(&r);
                let compiled = engine::compile(Arc::new(r))?;
                Ok(LoadedRule {
                    compiled,
                    paths,
                    credential,
                })
            })
            .collect();
        let mut out = Vec::with_capacity(compiled.len());
        for c in compiled {
            match c {
                Ok(r) => out.push(r),
                Err(e) => errors.extend(e),
            }
        }
        if errors.is_empty() {
            let refs: Vec<&CompiledRule> = out.iter().map(|r| &r.compiled).collect();
            let prefilter = Prefilter::new(&refs);
            Ok(RuleSet {
                rules: out,
                prefilter,
            })
        } else {
            errors.sort_by(|a, b| {
                (&a.file, a.line, a.column, &a.key_path).cmp(&(
                    &b.file,
                    b.line,
                    b.column,
                    &b.key_path,
                ))
            });
            errors.dedup();
            Err(errors)
        }
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The rules, in load order.
    pub fn rules(&self) -> impl Iterator<Item = &Rule> {
        self.rules.iter().map(|r| r.compiled.rule())
    }

    /// The report metadata of every rule.
    pub fn metas(&self) -> BTreeMap<String, RuleMeta> {
        self.rules().map(|r| (r.id.clone(), rule_meta(r))).collect()
    }

    /// Whether some rule runs on files of `lang`.
    fn wants(&self, lang: Language) -> bool {
        self.rules.iter().any(|r| r.compiled.applies_to(Some(lang)))
    }
}

/// Refuses `options` the engine does not honour: a value other than what the engine does would
/// otherwise be silently ignored. `taint_assume_safe_functions` is honoured either way; the
/// others are accepted only at the engine's behaviour (no constant or symbolic propagation, no
/// inter-file analysis, no commutative or symmetric matching, no safe-type assumptions).
fn check_options(r: &Rule) -> Result<(), Vec<RuleError>> {
    let o = &r.options;
    let fixed: [(&str, Option<bool>, bool); 8] = [
        ("constant_propagation", o.constant_propagation, false),
        ("symbolic_propagation", o.symbolic_propagation, false),
        ("interfile", o.interfile, false),
        ("commutative_boolop", o.commutative_boolop, false),
        ("symmetric_eq", o.symmetric_eq, false),
        (
            "taint_assume_safe_booleans",
            o.taint_assume_safe_booleans,
            false,
        ),
        (
            "taint_assume_safe_indexes",
            o.taint_assume_safe_indexes,
            false,
        ),
        (
            "taint_assume_safe_numbers",
            o.taint_assume_safe_numbers,
            false,
        ),
    ];
    let unimplemented: [(&str, Option<bool>); 6] = [
        ("ac_matching", o.ac_matching),
        ("attr_expr", o.attr_expr),
        ("decorators_order_matters", o.decorators_order_matters),
        ("implicit_return", o.implicit_return),
        ("vardef_assign", o.vardef_assign),
        ("xml_attrs_implicit_ellipsis", o.xml_attrs_implicit_ellipsis),
    ];
    let mut errors = Vec::new();
    let mut refuse = |name: &str, message: String| {
        errors.push(RuleError::at(
            &r.source.file,
            r.source.line,
            r.source.column,
            &format!("options.{name}"),
            format!("rule {:?}: {message}", r.id),
        ))
    };
    for (name, value, engine) in fixed {
        if let Some(v) = value.filter(|v| *v != engine) {
            refuse(
                name,
                format!("`{name}: {v}` is not supported (the engine always behaves as `{engine}`)"),
            );
        }
    }
    for (name, value) in unimplemented {
        if value.is_some() {
            refuse(
                name,
                format!("`{name}` is not supported; remove it to use the engine's matching"),
            );
        }
    }
    if o.generic_comment_style.is_some() || o.generic_ellipsis_max_span.is_some() {
        refuse(
            "generic",
            "generic-mode options are not supported (generic matching is not)".to_string(),
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// CWE-798 (hard-coded credentials) and its children: CWE-259 (password), CWE-321 (key).
fn is_credential_rule(r: &Rule) -> bool {
    r.metadata
        .cwe
        .iter()
        .any(|c| matches!(c.as_str(), "CWE-798" | "CWE-259" | "CWE-321" | "CWE-547"))
}

/// A rule's `paths:` compiled: globs on the project-relative path and its parent directories.
struct PathGlobs {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

impl PathGlobs {
    fn new(filter: &PathFilter, rule: &Rule) -> Result<Option<PathGlobs>, Vec<RuleError>> {
        if filter.include.is_empty() && filter.exclude.is_empty() {
            return Ok(None);
        }
        let build = |pats: &[String], key: &str| -> Result<Option<GlobSet>, Vec<RuleError>> {
            if pats.is_empty() {
                return Ok(None);
            }
            let mut b = GlobSetBuilder::new();
            for p in pats {
                // As in ignore files: a pattern with a leading `/` is anchored at the project
                // root; any other matches at any depth.
                let anchored = p.strip_prefix('/');
                let text = match anchored {
                    Some(rest) => rest.to_string(),
                    None if p.starts_with("**/") => p.clone(),
                    None => format!("**/{p}"),
                };
                let glob = Glob::new(&text).map_err(|e| {
                    vec![RuleError::at(
                        &rule.source.file,
                        rule.source.line,
                        rule.source.column,
                        &format!("paths.{key}"),
                        format!("invalid glob {p:?}: {e}"),
                    )]
                })?;
                b.add(glob);
            }
            b.build().map(Some).map_err(|e| {
                vec![RuleError::at(
                    &rule.source.file,
                    rule.source.line,
                    rule.source.column,
                    &format!("paths.{key}"),
                    e.to_string(),
                )]
            })
        };
        Ok(Some(PathGlobs {
            include: build(&filter.include, "include")?,
            exclude: build(&filter.exclude, "exclude")?,
        }))
    }

    /// Whether the rule runs on the file at project-relative `rel`.
    fn allows(&self, rel: &str) -> bool {
        let hits = |set: &GlobSet| {
            // The file itself and each of its parent directories.
            let mut p = rel;
            loop {
                if set.is_match(p) {
                    return true;
                }
                match p.rfind('/') {
                    Some(i) => p = &p[..i],
                    None => return false,
                }
            }
        };
        if self.exclude.as_ref().is_some_and(hits) {
            return false;
        }
        self.include.as_ref().is_none_or(hits)
    }
}

/// How the scan reads files.
#[derive(Debug, Clone, Copy)]
pub struct ScanOptions {
    /// Files larger than this are skipped (and counted).
    pub max_file_size: u64,
    pub no_ignore: bool,
    pub follow_links: bool,
    /// Worker threads; 0 means one per CPU.
    pub threads: usize,
    pub parse: ParseConfig,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            max_file_size: 1 << 20,
            no_ignore: false,
            follow_links: false,
            threads: 0,
            parse: ParseConfig::default(),
        }
    }
}

/// Runs a [`RuleSet`] over files.
pub struct Scanner {
    rules: RuleSet,
    opts: ScanOptions,
}

/// A file to analyse.
struct Candidate {
    path: PathBuf,
    rel: String,
    language: Language,
    size: u64,
}

/// What analysing one file produced.
#[derive(Default)]
struct FileResult {
    findings: Vec<Finding>,
    suppressed: u64,
    lines: u64,
    bytes: u64,
    scanned: bool,
    skipped: Option<SkipReason>,
    error: Option<ScanError>,
    warnings: Vec<ScanWarning>,
    parse_errors: Option<(Language, u64)>,
}

/// One rule's matches in one file, before they become findings.
pub struct FileMatches {
    /// Index of the rule in its [`RuleSet`].
    pub rule: usize,
    pub rule_id: String,
    pub matches: Vec<RuleMatch>,
}

impl Scanner {
    pub fn new(rules: RuleSet, opts: ScanOptions) -> Scanner {
        Scanner { rules, opts }
    }

    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    fn threads(&self) -> usize {
        WalkOptions {
            threads: self.opts.threads,
            ..WalkOptions::default()
        }
        .thread_count()
    }

    /// Scans files and directories.
    pub fn scan_paths(&self, roots: &[PathBuf]) -> ScanReport {
        let started = Instant::now();
        let mut report = ScanReport {
            tool: "gatehouse".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            rules: self.rules.metas(),
            ..ScanReport::default()
        };
        let (mut candidates, walk_errors, skipped) = self.collect(roots);
        report.errors.extend(walk_errors);
        for (reason, n) in skipped {
            *report.stats.skipped.entry(reason).or_default() += n;
        }
        // Largest first, so that one big file does not finish last on one thread.
        candidates.sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.rel.cmp(&b.rel)));
        let results: Vec<FileResult> = match rayon::ThreadPoolBuilder::new()
            .num_threads(self.threads())
            .build()
        {
            Ok(pool) => pool.install(|| candidates.par_iter().map(|c| self.file(c)).collect()),
            Err(_) => candidates.iter().map(|c| self.file(c)).collect(),
        };
        let mut lines = 0;
        for r in results {
            report.findings.extend(r.findings);
            report.stats.suppressed += r.suppressed;
            lines += r.lines;
            report.stats.bytes += r.bytes;
            if r.scanned {
                report.stats.scanned += 1;
            }
            if let Some(reason) = r.skipped {
                *report.stats.skipped.entry(reason).or_default() += 1;
            }
            report.errors.extend(r.error);
            report.warnings.extend(r.warnings);
            if let Some((lang, errors)) = r.parse_errors {
                let e: &mut ParseErrors = report
                    .stats
                    .parse_errors
                    .entry(lang.name().to_string())
                    .or_default();
                e.files += 1;
                e.errors += errors;
            }
        }
        report.stats.lines = Some(lines);
        report.sort();
        report.stats.duration_ms = started.elapsed().as_millis() as u64;
        report
    }

    /// Walks the roots for candidate files.
    fn collect(
        &self,
        roots: &[PathBuf],
    ) -> (Vec<Candidate>, Vec<ScanError>, BTreeMap<SkipReason, u64>) {
        let walk_opts = WalkOptions {
            no_ignore: self.opts.no_ignore,
            follow_links: self.opts.follow_links,
            threads: self.threads(),
        };
        let found = gatehouse_walk::collect_files(
            roots,
            &walk_opts,
            |_| Some(()),
            |path, rel, (), size| {
                let language = detect(path)?;
                self.rules.wants(language).then(|| Candidate {
                    path: path.to_path_buf(),
                    rel,
                    language,
                    size,
                })
            },
        );
        (found.files, found.errors, found.skipped)
    }

    /// Reads, parses and analyses one file.
    fn file(&self, c: &Candidate) -> FileResult {
        let mut out = FileResult::default();
        if c.size > self.opts.max_file_size {
            out.skipped = Some(SkipReason::TooLarge);
            return out;
        }
        let source = match std::fs::read(&c.path) {
            Ok(s) => s,
            Err(e) => {
                out.error = Some(ScanError {
                    path: Some(c.rel.clone()),
                    message: format!("cannot read: {e}"),
                });
                return out;
            }
        };
        if source.len() as u64 > self.opts.max_file_size {
            out.skipped = Some(SkipReason::TooLarge);
            return out;
        }
        if memchr::memchr(0, &source[..source.len().min(8192)]).is_some() {
            out.skipped = Some(SkipReason::Binary);
            return out;
        }
        out.bytes = source.len() as u64;
        out.lines = count_lines(&source);
        match self.analyse(&c.rel, c.language, &source) {
            Ok(analysis) => {
                out.scanned = true;
                for note in &analysis.notes {
                    out.warnings.push(ScanWarning {
                        path: Some(c.rel.clone()),
                        line: None,
                        message: note.clone(),
                    });
                }
                if analysis.error_count > 0 {
                    out.parse_errors = Some((c.language, analysis.error_count as u64));
                    out.warnings.push(ScanWarning {
                        path: Some(c.rel.clone()),
                        line: analysis.first_error_line,
                        message: format!(
                            "{} syntax error{} in this {} file; rules ran on the rest of it",
                            analysis.error_count,
                            if analysis.error_count == 1 { "" } else { "s" },
                            c.language.name()
                        ),
                    });
                }
                let (findings, suppressed) = self.findings(&c.rel, &source, analysis.matches);
                out.findings = findings;
                out.suppressed = suppressed;
            }
            Err(e) => {
                out.error = Some(ScanError {
                    path: Some(c.rel.clone()),
                    message: format!("not analysed: {e}"),
                });
            }
        }
        out
    }

    /// Runs every rule for `language` on `source`: one pass of the shared prefilter over the
    /// bytes, then (only if some rule may match) one parse and one index for all the rules.
    pub fn analyse(
        &self,
        rel: &str,
        language: Language,
        source: &[u8],
    ) -> Result<Analysis, ParseFailure> {
        let hits = self.rules.prefilter.scan(source);
        let wanted: Vec<usize> = self
            .rules
            .rules
            .iter()
            .enumerate()
            .filter(|(i, r)| {
                r.compiled.applies_to(Some(language))
                    && r.paths.as_ref().is_none_or(|p| p.allows(rel))
                    && self.rules.prefilter.may_match(&hits, *i, Some(language))
            })
            .map(|(i, _)| i)
            .collect();
        let mut out = Analysis {
            matches: Vec::new(),
            error_count: 0,
            first_error_line: None,
            notes: Vec::new(),
        };
        if wanted.is_empty() {
            return Ok(out);
        }
        let parsed = lang::parse_with(language, source, &self.opts.parse)?;
        out.error_count = parsed.error_count;
        out.first_error_line = parsed.errors.first().map(|e| e.line);
        let target = Target {
            source,
            parsed: Some(&parsed),
        };
        let Some(index) = engine::index(&target) else {
            out.notes
                .push("the syntax tree could not be indexed; no rule ran".to_string());
            return Ok(out);
        };
        for i in wanted {
            let r = &self.rules.rules[i];
            let run = r.compiled.run_detailed(&target, &index);
            let id = &r.compiled.rule().id;
            if run.internal_error {
                out.notes
                    .push(format!("rule {id} failed on this file (internal error)"));
            }
            if run.budget_exhausted {
                out.notes.push(format!(
                    "rule {id} reached its work limit on this file; its results may be incomplete"
                ));
            }
            if run.truncated {
                out.notes.push(format!(
                    "rule {id} produced too many intermediate matches; some were dropped"
                ));
            }
            if !run.matches.is_empty() {
                out.matches.push(FileMatches {
                    rule: i,
                    rule_id: id.clone(),
                    matches: run.matches,
                });
            }
        }
        Ok(out)
    }

    /// The findings of one file's matches, and how many were suppressed by comments.
    fn findings(&self, rel: &str, source: &[u8], all: Vec<FileMatches>) -> (Vec<Finding>, u64) {
        let mut out = Vec::new();
        let mut suppressed = 0;
        for fm in all {
            let loaded = &self.rules.rules[fm.rule];
            let rule = loaded.compiled.rule();
            let mut seen: HashMap<String, u32> = HashMap::new();
            for m in fm.matches {
                if suppress::is_suppressed(source, m.start.line, &rule.id) {
                    suppressed += 1;
                    continue;
                }
                let code = source.get(m.bytes.clone()).unwrap_or_default();
                let normalized = collapse_whitespace(&String::from_utf8_lossy(code));
                let n = seen.entry(normalized.clone()).or_default();
                *n += 1;
                let fingerprint = Fingerprint::from_parts([
                    "code".as_bytes(),
                    rule.id.as_bytes(),
                    rel.as_bytes(),
                    normalized.as_bytes(),
                    n.to_string().as_bytes(),
                ]);
                out.push(finding(
                    rule,
                    loaded.credential,
                    rel,
                    source,
                    &m,
                    fingerprint,
                ));
            }
        }
        (out, suppressed)
    }

    /// Runs the rules on the test files next to their rule files (see [`annotations`]).
    ///
    /// For each loaded rule file `NAME.yaml`, every file `NAME.<ext>` beside it whose extension
    /// names a language is a test file: the rules of `NAME.yaml` are checked against its
    /// annotations (as Semgrep's `--test` pairs them). Built-in rules have no test files here.
    pub fn test_files(&self) -> Vec<TestFile> {
        let sources: BTreeSet<&str> = self.rules.rules().map(|r| &*r.source.file).collect();
        let mut files: BTreeMap<PathBuf, PathBuf> = BTreeMap::new();
        let mut unreadable = Vec::new();
        for source in sources {
            let rule_file = Path::new(source);
            let (Some(dir), Some(stem)) = (rule_file.parent(), rule_file.file_stem()) else {
                continue;
            };
            if source.starts_with("<builtin>/") {
                continue;
            }
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            match std::fs::read_dir(dir) {
                Ok(entries) => {
                    for e in entries.flatten() {
                        let p = e.path();
                        if p.file_stem() == Some(stem)
                            && p.extension().is_some_and(|x| x != "yaml" && x != "yml")
                            && Language::from_path(&p, None).is_some()
                        {
                            files.insert(p, rule_file.with_extension(""));
                        }
                    }
                }
                Err(e) => unreadable.push(TestFile {
                    path: dir.display().to_string(),
                    outcomes: Vec::new(),
                    error: Some(format!("cannot read the directory: {e}")),
                }),
            }
        }
        let mut out: Vec<TestFile> = files
            .into_par_iter()
            .map(|(f, stem)| self.test_file(&f, &stem))
            .collect();
        out.extend(unreadable);
        out
    }

    /// Checks the rules of the rule file `stem.yaml` against the test file `path`.
    fn test_file(&self, path: &Path, stem: &Path) -> TestFile {
        let name = path.display().to_string();
        let mut out = TestFile {
            path: name.clone(),
            outcomes: Vec::new(),
            error: None,
        };
        let Some(language) = Language::from_path(path, None) else {
            out.error = Some("no language for this file".into());
            return out;
        };
        let source = match std::fs::read(path) {
            Ok(s) => s,
            Err(e) => {
                out.error = Some(format!("cannot read: {e}"));
                return out;
            }
        };
        let expectations = annotations::parse(&String::from_utf8_lossy(&source));
        let analysis = match self.analyse(&name, language, &source) {
            Ok(a) => a,
            Err(e) => {
                out.error = Some(format!("not analysed: {e}"));
                return out;
            }
        };
        let (findings, _) = self.findings(&name, &source, analysis.matches);
        let mut reported: BTreeMap<&str, BTreeSet<u32>> = BTreeMap::new();
        for f in &findings {
            reported
                .entry(f.rule_id.as_str())
                .or_default()
                .insert(f.location.start_line);
        }
        let empty = BTreeSet::new();
        for r in self.rules.rules() {
            if Path::new(&*r.source.file).with_extension("") != stem {
                continue;
            }
            let got = reported.get(r.id.as_str()).unwrap_or(&empty);
            out.outcomes
                .push(annotations::compare(&r.id, &expectations, got));
        }
        out
    }
}

/// The result of [`Scanner::analyse`].
pub struct Analysis {
    pub matches: Vec<FileMatches>,
    /// Syntax errors in the file; 0 also when no rule could match it, so it was not parsed.
    pub error_count: usize,
    pub first_error_line: Option<u32>,
    /// Rules that could not finish on this file, and why.
    pub notes: Vec<String>,
}

/// How the rules fared on one test file.
#[derive(Debug, Clone)]
pub struct TestFile {
    pub path: String,
    pub outcomes: Vec<annotations::Outcome>,
    /// The file could not be read or parsed.
    pub error: Option<String>,
}

impl TestFile {
    pub fn passed(&self) -> bool {
        self.error.is_none() && self.outcomes.iter().all(|o| o.passed())
    }
}

/// The language of a file by extension or name, then, for a file without an extension, by its
/// `#!` line.
fn detect(path: &Path) -> Option<Language> {
    if let Some(l) = Language::from_path(path, None) {
        return Some(l);
    }
    if path.extension().is_some() {
        return None;
    }
    let mut head = [0u8; 128];
    let n = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .ok()?;
    let first = head[..n].split(|&b| b == b'\n').next()?;
    Language::from_shebang(first)
}

fn count_lines(source: &[u8]) -> u64 {
    let n = memchr::memchr_iter(b'\n', source).count() as u64;
    if source.last().is_some_and(|&b| b != b'\n') {
        n + 1
    } else {
        n
    }
}

fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The lines of `source` a match spans, at most five, each at most 200 characters. Only those
/// lines are decoded, not the whole file.
fn snippet(source: &[u8], m: &RuleMatch) -> String {
    let start = m.bytes.start.min(source.len());
    let line_start = memchr::memrchr(b'\n', &source[..start]).map_or(0, |i| i + 1);
    // The line of the match's last byte closes the snippet.
    let last = m.bytes.end.saturating_sub(1).max(start);
    let mut end = line_start;
    for _ in 0..5 {
        end = memchr::memchr(b'\n', &source[end..]).map_or(source.len(), |i| end + i);
        if end >= last || end == source.len() {
            break;
        }
        end += 1;
    }
    String::from_utf8_lossy(&source[line_start..end])
        .lines()
        .map(|l| {
            if l.chars().count() > 200 {
                let cut: String = l.chars().take(200).collect();
                format!("{cut}…")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Masks the contents of quoted literals: `"hunter2"` → `"hu…"`.
fn mask_literals(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if !matches!(c, '"' | '\'' | '`') {
            continue;
        }
        let mut body = String::new();
        let mut closed = false;
        while let Some(d) = chars.next() {
            if d == '\\' {
                body.push(d);
                if let Some(e) = chars.next() {
                    body.push(e);
                }
                continue;
            }
            if d == c {
                closed = true;
                break;
            }
            body.push(d);
        }
        let keep: String = body.chars().take(2).collect();
        out.push_str(&keep);
        if body.chars().count() > 2 {
            out.push('…');
        }
        if closed {
            out.push(c);
        }
    }
    out
}

fn finding(
    rule: &Rule,
    credential: bool,
    rel: &str,
    source: &[u8],
    m: &RuleMatch,
    fingerprint: Fingerprint,
) -> Finding {
    let mut message = m.message.trim().to_string();
    let mut snippet = snippet(source, m);
    if credential {
        message = mask_literals(&message);
        snippet = mask_literals(&snippet);
    }
    let mut properties = BTreeMap::new();
    if !rule.metadata.owasp.is_empty() {
        properties.insert("owasp".to_string(), serde_json::json!(rule.metadata.owasp));
    }
    if let Some(t) = &m.taint {
        // Where the tainted data came from, and the variables it went through (the source's
        // text is not repeated: it may be a secret).
        properties.insert(
            "taint_source".to_string(),
            serde_json::json!({
                "line": t.source_start.line,
                "column": t.source_start.column,
                "via": t.via,
            }),
        );
    }
    let fix = rule
        .fix
        .as_ref()
        .map(|f| engine::interpolate(f, &m.bindings));
    Finding {
        rule_id: rule.id.clone(),
        scanner: ScannerKind::Code,
        severity: rule.severity,
        confidence: rule.confidence,
        title: title_of(&message),
        message,
        location: Location {
            path: Some(rel.to_string()),
            start_line: m.start.line,
            start_column: m.start.column,
            end_line: m.end.line,
            end_column: m.end.column,
            ..Location::default()
        },
        cwe: rule.metadata.cwe.clone(),
        ids: Vec::new(),
        evidence: Evidence {
            snippet: Some(snippet),
            secret: None,
        },
        remediation: None,
        fix: if credential { None } else { fix },
        fingerprint,
        properties,
    }
}

/// The first sentence of a message, at most 120 characters.
fn title_of(message: &str) -> String {
    let first_line = message.lines().next().unwrap_or_default();
    let sentence = match first_line.find(". ") {
        Some(i) => &first_line[..=i],
        None => first_line,
    };
    let sentence = sentence.trim();
    if sentence.chars().count() > 120 {
        let cut: String = sentence.chars().take(119).collect();
        format!("{cut}…")
    } else {
        sentence.to_string()
    }
}

fn rule_meta(r: &Rule) -> RuleMeta {
    let mut tags: Vec<String> = Vec::new();
    tags.extend(r.metadata.category.iter().cloned());
    tags.extend(r.metadata.owasp.iter().cloned());
    tags.extend(r.metadata.technology.iter().cloned());
    tags.extend(r.languages.iter().map(|l| l.name.clone()));
    RuleMeta {
        id: r.id.clone(),
        title: title_of(&r.message),
        description: r.message.trim().to_string(),
        remediation: String::new(),
        severity: r.severity,
        confidence: r.confidence,
        scanner: ScannerKind::Code,
        cwe: r.metadata.cwe.clone(),
        references: r.metadata.references.clone(),
        tags,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_masked() {
        assert_eq!(
            mask_literals(r#"password = "hunter2" and 'ab' and "x\"yz""#),
            r#"password = "hu…" and 'ab' and "x\…""#
        );
        assert_eq!(mask_literals("open \"abc"), "open \"ab…");
    }

    #[test]
    fn titles_and_interpolation() {
        assert_eq!(title_of("Use of eval. Do not."), "Use of eval.");
        let b = vec![
            ("$X".to_string(), "a".to_string()),
            ("$XY".to_string(), "b".to_string()),
        ];
        assert_eq!(engine::interpolate("$XY $X", &b), "b a");
    }

    #[test]
    fn path_filters() {
        let rule = rule::load_str(
            "rules:\n- id: r\n  message: m\n  severity: ERROR\n  languages: [python]\n  pattern: f()\n  paths:\n    include: [src]\n    exclude: ['*_test.py', /src/gen]\n",
            "t.yaml",
        )
        .unwrap()
        .remove(0);
        let g = PathGlobs::new(&rule.paths, &rule).unwrap().unwrap();
        assert!(g.allows("src/a.py"));
        assert!(g.allows("lib/src/a.py"));
        assert!(!g.allows("lib/a.py"));
        assert!(!g.allows("src/a_test.py"));
        assert!(!g.allows("src/gen/a.py"));
        assert!(g.allows("lib/src/gen/a.py"));
    }

    #[test]
    fn snippets_are_the_matched_lines() {
        let src = b"a = 1\nb = f(\n  x)\nc = 2\n";
        let m = |start: usize, end: usize| RuleMatch {
            bytes: start..end,
            start: engine::Point { line: 0, column: 0 },
            end: engine::Point { line: 0, column: 0 },
            message: String::new(),
            bindings: Vec::new(),
            taint: None,
        };
        assert_eq!(snippet(src, &m(10, 17)), "b = f(\n  x)");
        assert_eq!(snippet(src, &m(0, 1)), "a = 1");
        assert_eq!(snippet(b"x", &m(0, 1)), "x");
        let many = b"f(\n1\n2\n3\n4\n5\n6)\n";
        assert_eq!(snippet(many, &m(0, 15)), "f(\n1\n2\n3\n4");
    }

    #[test]
    fn lines() {
        assert_eq!(count_lines(b""), 0);
        assert_eq!(count_lines(b"a"), 1);
        assert_eq!(count_lines(b"a\nb\n"), 2);
    }
}
