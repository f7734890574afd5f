//! The matching engine: one Aho-Corasick pass over a file for every rule's keywords, then each rule's
//! regex only on the lines around its keywords' hits, then the filters.
//!
//! **Architecture invariant:** the engine returns secret *ranges and bytes* to the scanning layer only;
//! nothing here formats, logs or prints a secret.

use std::ops::Range;
use std::sync::Mutex;

use gatehouse_core::{RuleMeta, ScannerKind};
use regex::bytes::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};

use crate::filters::{generic_rejects, is_placeholder, shannon_entropy};
use crate::keywords::{Hits, Keywords};
use crate::rules::{confidence_of, severity_of, AllowlistDef, RuleSources, SourcedRule};
use crate::validators::Validator;
use crate::RuleError;

/// The pseudo-rule of base64 carrier markers in `Engine::keyword_rules`.
const CARRIER: usize = usize::MAX;

/// How far a rule's window reaches from its keyword hit to find the line's ends.
const LINE_REACH: usize = 1024;
/// How many threads' scratch space an engine keeps; the least recently used goes first.
const MAX_IDLE: usize = 64;
/// Size limit of a compiled regex, generous for long alternations but bounded.
const REGEX_SIZE_LIMIT: usize = 16 << 20;

#[derive(Debug, Clone, PartialEq, Eq)]
enum SecretGroup {
    Whole,
    Index(usize),
    /// Groups named `secret`, `secret_…`: the first that took part in the match.
    Named(Vec<usize>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Secret,
    Match,
    Line,
}

#[derive(Debug)]
struct Allowlist {
    and: bool,
    target: Target,
    regexes: Option<RegexSet>,
    paths: Option<RegexSet>,
    stopwords: Vec<Vec<u8>>,
    commits: Vec<String>,
    /// Global allowlists only: the rule ids it applies to; all when empty.
    target_rules: Vec<String>,
}

pub struct Required {
    rule: usize,
    within_lines: Option<u32>,
    within_columns: Option<u32>,
}

pub struct CompiledRule {
    pub meta: RuleMeta,
    regex: Option<Regex>,
    secret_group: SecretGroup,
    key_groups: Vec<usize>,
    entropy: Option<f64>,
    validator: Option<Validator>,
    span: usize,
    path: Option<Regex>,
    allowlists: Vec<Allowlist>,
    required: Vec<Required>,
    pub skip_report: bool,
    pub examples: Vec<String>,
    pub negative_examples: Vec<String>,
    pub example_path: Option<String>,
    pub generic: bool,
    /// Yields to any other rule that reports an overlapping secret (generic rules always do).
    pub fallback: bool,
    pub keywords: Vec<String>,
    pub origin: String,
    pub line: u32,
}

impl CompiledRule {
    /// A rule that reports files by their path alone.
    pub fn is_path_only(&self) -> bool {
        self.regex.is_none()
    }
}

/// A match that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub rule: usize,
    /// The whole regex match, in the scanned buffer.
    pub range: Range<usize>,
    /// The bytes to mask in snippets: the secret, or the encoded value it was decoded from.
    pub mask: Range<usize>,
    pub secret: Vec<u8>,
    /// Set when the secret was found inside a decoded value (`"base64"`).
    pub decoded: Option<&'static str>,
}

/// What the engine needs to know about the input besides its bytes.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// Path relative to the project root, `/`-separated.
    pub path: &'a str,
    pub commit: Option<&'a str>,
}

/// What one thread's scans need besides the engine, kept between its scans by the engine.
#[derive(Default)]
struct Scratch {
    hits: Hits,
    path_ok: Vec<bool>,
    /// For each rule, where the last window its regex ran on ends.
    window_end: Vec<usize>,
    /// For each rule, this thread's copy of its regex (made on first use) and capture slots. A
    /// copy has a search cache pool of its own, which serves the thread that first used it without
    /// locking; the shared regex's pool locks for every thread but one.
    regexes: Vec<Option<(Regex, regex::bytes::CaptureLocations)>>,
}

pub struct Engine {
    pub(crate) rules: Vec<CompiledRule>,
    keywords: Keywords,
    /// For each keyword, the rules it triggers ([`CARRIER`] for the base64 carrier check).
    keyword_rules: Vec<Vec<usize>>,
    unkeyed: Vec<usize>,
    path_only: Vec<usize>,
    global_allowlists: Vec<Allowlist>,
    has_required: bool,
    /// Idle scratch space of the threads that have scanned, by thread (at most [`MAX_IDLE`]).
    scratch: Mutex<Vec<(std::thread::ThreadId, Scratch)>>,
}

fn invalid(r: &SourcedRule, line: u32, message: String) -> RuleError {
    RuleError::Invalid {
        origin: r.origin.clone(),
        line: Some(line),
        rule: Some(r.def.id.clone()),
        message,
    }
}

fn build_set(
    patterns: &[String],
    what: &str,
    err: impl Fn(String) -> RuleError,
) -> Result<Option<RegexSet>, RuleError> {
    if patterns.is_empty() {
        return Ok(None);
    }
    RegexSetBuilder::new(patterns)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map(Some)
        .map_err(|e| err(format!("allowlist `{what}`: {e}")))
}

fn compile_allowlist(
    a: &AllowlistDef,
    err: impl Fn(String) -> RuleError + Copy,
) -> Result<Allowlist, RuleError> {
    let and = match a
        .condition
        .as_deref()
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        None | Some("OR") => false,
        Some("AND") => true,
        Some(other) => {
            return Err(err(format!(
                "allowlist `condition` must be OR or AND, not `{other}`"
            )))
        }
    };
    let target = match a.regex_target.as_deref() {
        None | Some("secret") => Target::Secret,
        Some("match") => Target::Match,
        Some("line") => Target::Line,
        Some(other) => {
            return Err(err(format!(
                "allowlist `regexTarget` must be secret, match or line, not `{other}`"
            )))
        }
    };
    Ok(Allowlist {
        and,
        target,
        regexes: build_set(&a.regexes, "regexes", err)?,
        paths: build_set(&a.paths, "paths", err)?,
        stopwords: a
            .stopwords
            .iter()
            .map(|s| s.to_ascii_lowercase().into_bytes())
            .collect(),
        commits: a.commits.clone(),
        target_rules: a.target_rules.clone(),
    })
}

impl Allowlist {
    /// Whether this allowlist lets the candidate through unreported.
    fn allows(&self, ctx: &Context<'_>, secret: &[u8], matched: &[u8], line: &[u8]) -> bool {
        let mut checks: [Option<bool>; 4] = [None; 4];
        if !self.commits.is_empty() {
            checks[0] = Some(ctx.commit.is_some_and(|c| {
                self.commits
                    .iter()
                    .any(|a| !a.is_empty() && c.starts_with(a.as_str()))
            }));
        }
        if let Some(p) = &self.paths {
            checks[1] = Some(p.is_match(ctx.path.as_bytes()));
        }
        if let Some(r) = &self.regexes {
            let hay = match self.target {
                Target::Secret => secret,
                Target::Match => matched,
                Target::Line => line,
            };
            checks[2] = Some(r.is_match(hay));
        }
        if !self.stopwords.is_empty() {
            let lower = secret.to_ascii_lowercase();
            checks[3] = Some(
                self.stopwords
                    .iter()
                    .any(|w| memchr::memmem::find(&lower, w).is_some()),
            );
        }
        let mut present = checks.iter().flatten().peekable();
        if present.peek().is_none() {
            return false;
        }
        if self.and {
            present.all(|&b| b)
        } else {
            present.any(|&b| b)
        }
    }
}

/// Compiles a rule's regex over bytes with Unicode classes off (`\w`, `\s`, `\b` and `(?i)` are
/// ASCII; `.` and negated classes match any byte, so UTF-8 text still matches byte by byte). That
/// compiles several times faster than Unicode mode and matches what secrets are made of. A pattern
/// that needs Unicode (`\p{Han}`) falls back to Unicode mode.
fn compile_regex(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .unicode(false)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
        .or_else(|_| {
            RegexBuilder::new(pattern)
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
        })
}

fn compile_rule(r: &SourcedRule) -> Result<CompiledRule, RuleError> {
    let d = &r.def;
    let regex = match &d.regex {
        Some(src) if !src.get_ref().is_empty() => Some(
            compile_regex(src.get_ref())
                .map_err(|e| invalid(r, r.regex_line, format!("invalid `regex`: {e}")))?,
        ),
        _ => None,
    };
    let path = match &d.path {
        Some(src) => Some(
            RegexBuilder::new(src.get_ref())
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
                .map_err(|e| invalid(r, r.path_line, format!("invalid `path`: {e}")))?,
        ),
        None => None,
    };
    if regex.is_none() && path.is_none() {
        return Err(invalid(
            r,
            r.line,
            "rule needs a `regex` or a `path`".into(),
        ));
    }
    let (secret_group, key_groups) = match &regex {
        None => (SecretGroup::Whole, Vec::new()),
        Some(re) => {
            let named = |prefix: &str| -> Vec<usize> {
                re.capture_names()
                    .enumerate()
                    .filter(|(_, n)| {
                        n.is_some_and(|n| {
                            n == prefix
                                || n.strip_prefix(prefix).is_some_and(|r| r.starts_with('_'))
                        })
                    })
                    .map(|(i, _)| i)
                    .collect()
            };
            let groups = re.captures_len() - 1;
            let secrets = named("secret");
            let secret = if !secrets.is_empty() {
                SecretGroup::Named(secrets)
            } else if let Some(n) = d.secret_group.filter(|&n| n > 0) {
                if n > groups {
                    return Err(invalid(
                        r,
                        r.line,
                        format!("`secretGroup` is {n} but the regex has {groups} groups"),
                    ));
                }
                SecretGroup::Index(n)
            } else if groups == 1 {
                SecretGroup::Index(1)
            } else {
                SecretGroup::Whole
            };
            (secret, named("key"))
        }
    };
    let validator = match &d.validator {
        None => None,
        Some(v) => Some(Validator::parse(v).ok_or_else(|| {
            invalid(
                r,
                r.line,
                format!("unknown `validator` `{v}` (known: {})", Validator::NAMES),
            )
        })?),
    };
    if let Some(e) = d.entropy {
        if !(0.0..=8.0).contains(&e) {
            return Err(invalid(
                r,
                r.line,
                format!("`entropy` must be between 0 and 8 bits per character, not {e}"),
            ));
        }
    }
    let err = |m: String| invalid(r, r.line, m);
    let mut allowlists = Vec::new();
    for a in d.allowlist.iter().chain(&d.allowlists) {
        allowlists.push(compile_allowlist(a, err)?);
    }
    let mut cwe = d.cwe.clone();
    if cwe.is_empty() {
        cwe.push("CWE-798".to_string());
    }
    let meta = RuleMeta {
        id: d.id.clone(),
        title: d
            .title
            .clone()
            .or_else(|| d.description.clone())
            .unwrap_or_else(|| d.id.clone()),
        description: d.description.clone().unwrap_or_default(),
        remediation: d.remediation.clone().unwrap_or_else(|| {
            "Revoke or rotate the credential at its provider, remove it from the code and its \
             history, and load it at run time from a secret manager or the environment."
                .to_string()
        }),
        severity: severity_of(r)?,
        confidence: confidence_of(r)?,
        scanner: ScannerKind::Secrets,
        cwe,
        references: d.references.clone(),
        tags: d.tags.clone(),
    };
    Ok(CompiledRule {
        meta,
        regex,
        secret_group,
        key_groups,
        entropy: d.entropy,
        validator,
        generic: d.generic,
        span: d.span.unwrap_or(0),
        path,
        allowlists,
        required: Vec::new(),
        skip_report: d.skip_report,
        examples: d.examples.clone(),
        negative_examples: d.negative_examples.clone(),
        example_path: d.example_path.clone(),
        fallback: d.fallback || d.generic,
        keywords: d.keywords.iter().map(|k| k.to_ascii_lowercase()).collect(),
        origin: r.origin.clone(),
        line: r.line,
    })
}

impl Engine {
    pub fn new(sources: &RuleSources) -> Result<Self, RuleError> {
        use rayon::prelude::*;
        let list: Vec<&SourcedRule> = sources.rules.values().collect();
        let mut rules = list
            .par_iter()
            .map(|r| compile_rule(r))
            .collect::<Result<Vec<_>, _>>()?;
        // Composite rules refer to other rules by id.
        let ids: std::collections::HashMap<String, usize> = rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.meta.id.clone(), i))
            .collect();
        for (i, r) in list.iter().enumerate() {
            for req in &r.def.required {
                let Some(&idx) = ids.get(&req.id) else {
                    return Err(invalid(
                        r,
                        r.line,
                        format!("`required` names rule `{}`, which does not exist", req.id),
                    ));
                };
                rules[i].required.push(Required {
                    rule: idx,
                    within_lines: req.within_lines,
                    within_columns: req.within_columns,
                });
            }
        }
        let mut global_allowlists = Vec::new();
        for (origin, a) in &sources.global_allowlists {
            global_allowlists.push(compile_allowlist(a, |m| RuleError::Invalid {
                origin: origin.clone(),
                line: None,
                rule: None,
                message: m,
            })?);
        }
        Self::assemble(rules, global_allowlists)
    }

    fn assemble(
        rules: Vec<CompiledRule>,
        global_allowlists: Vec<Allowlist>,
    ) -> Result<Self, RuleError> {
        let mut patterns: Vec<String> = Vec::new();
        let mut keyword_rules: Vec<Vec<usize>> = Vec::new();
        let mut unkeyed = Vec::new();
        let mut path_only = Vec::new();
        for (i, r) in rules.iter().enumerate() {
            if r.regex.is_none() {
                path_only.push(i);
                continue;
            }
            if r.keywords.is_empty() {
                unkeyed.push(i);
                continue;
            }
            for k in &r.keywords {
                match patterns.iter().position(|p| p == k) {
                    Some(p) => keyword_rules[p].push(i),
                    None => {
                        patterns.push(k.clone());
                        keyword_rules.push(vec![i]);
                    }
                }
            }
        }
        // Markers of base64 carriers ride along in the same pass, as a pseudo-rule.
        for m in crate::decode::CARRIERS {
            let k = String::from_utf8_lossy(m).to_ascii_lowercase();
            match patterns.iter().position(|p| *p == k) {
                Some(p) => keyword_rules[p].push(CARRIER),
                None => {
                    patterns.push(k);
                    keyword_rules.push(vec![CARRIER]);
                }
            }
        }
        let (patterns, mut keyword_rules) = minimize_keywords(patterns, keyword_rules);
        for list in &mut keyword_rules {
            list.sort_unstable();
            list.dedup();
        }
        let keywords = Keywords::new(&patterns).map_err(|e| RuleError::Invalid {
            origin: "rules".into(),
            line: None,
            rule: None,
            message: format!("the rules' keywords do not fit one automaton: {e}"),
        })?;
        let has_required = rules.iter().any(|r| !r.required.is_empty());
        Ok(Engine {
            rules,
            keywords,
            keyword_rules,
            unkeyed,
            path_only,
            global_allowlists,
            has_required,
            scratch: Mutex::new(Vec::new()),
        })
    }

    pub fn rule_metas(&self) -> impl Iterator<Item = &RuleMeta> {
        self.rules
            .iter()
            .filter(|r| !r.skip_report)
            .map(|r| &r.meta)
    }

    pub fn rule(&self, i: usize) -> &CompiledRule {
        &self.rules[i]
    }

    /// Every compiled rule, in id order.
    pub fn rules(&self) -> &[CompiledRule] {
        &self.rules
    }

    /// Rules that report a file by its path alone (committed keystores and the like).
    pub fn path_findings(&self, ctx: &Context<'_>) -> Vec<usize> {
        self.path_only
            .iter()
            .copied()
            .filter(|&i| {
                let r = &self.rules[i];
                r.path
                    .as_ref()
                    .is_some_and(|p| p.is_match(ctx.path.as_bytes()))
                    && !self.globally_allowed(i, ctx, b"", b"", b"")
            })
            .collect()
    }

    fn globally_allowed(
        &self,
        rule: usize,
        ctx: &Context<'_>,
        secret: &[u8],
        matched: &[u8],
        line: &[u8],
    ) -> bool {
        let id = &self.rules[rule].meta.id;
        self.global_allowlists.iter().any(|a| {
            (a.target_rules.is_empty() || a.target_rules.iter().any(|t| t == id))
                && a.allows(ctx, secret, matched, line)
        })
    }

    /// Finds every candidate in `data`, in order of position.
    pub fn scan(&self, ctx: &Context<'_>, data: &[u8]) -> Vec<Candidate> {
        self.scan_marked(ctx, data).0
    }

    /// [`Engine::scan`], also saying whether `data` holds a base64 carrier marker (see `decode`).
    pub fn scan_marked(&self, ctx: &Context<'_>, data: &[u8]) -> (Vec<Candidate>, bool) {
        let thread = std::thread::current().id();
        let mut scratch = {
            let mut idle = self.scratch.lock().unwrap_or_else(|p| p.into_inner());
            match idle.iter().position(|(t, _)| *t == thread) {
                Some(i) => idle.swap_remove(i).1,
                None => Scratch::default(),
            }
        };
        let found = self.scan_with(ctx, data, &mut scratch);
        let mut idle = self.scratch.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() >= MAX_IDLE {
            idle.remove(0);
        }
        idle.push((thread, scratch));
        found
    }

    fn scan_with(
        &self,
        ctx: &Context<'_>,
        data: &[u8],
        scratch: &mut Scratch,
    ) -> (Vec<Candidate>, bool) {
        let mut carrier = false;
        let mut out = Vec::new();
        let Scratch {
            hits,
            path_ok,
            window_end,
            regexes,
        } = scratch;
        path_ok.clear();
        path_ok.extend(self.rules.iter().map(|r| {
            r.path
                .as_ref()
                .is_none_or(|p| p.is_match(ctx.path.as_bytes()))
        }));
        window_end.clear();
        window_end.resize(self.rules.len(), 0);
        if regexes.len() != self.rules.len() {
            *regexes = (0..self.rules.len()).map(|_| None).collect();
        }
        // Every keyword occurrence, in order (see `keywords`).
        self.keywords.find_all(data, hits);
        for m in hits.as_slice() {
            // The window of the last rule that ran for this hit, by its `span`.
            let mut last: Option<(usize, usize, usize)> = None;
            for &ri in &self.keyword_rules[m.keyword] {
                if ri == CARRIER {
                    if !carrier {
                        let line = line_bounds(data, m.start, m.end);
                        carrier = crate::decode::CARRIERS
                            .iter()
                            .any(|c| memchr::memmem::find(&data[line.clone()], c).is_some());
                    }
                    continue;
                }
                if !path_ok[ri] || window_end[ri] > m.start {
                    continue;
                }
                let span = self.rules[ri].span;
                let (ws, we) = match last {
                    Some((s, ws, we)) if s == span => (ws, we),
                    _ => window(data, m.start, m.end, span),
                };
                last = Some((span, ws, we));
                window_end[ri] = we;
                self.run_rule(ri, ctx, data, ws..we, &mut regexes[ri], &mut out);
            }
        }
        for &ri in &self.unkeyed {
            if path_ok[ri] {
                self.run_rule(ri, ctx, data, 0..data.len(), &mut regexes[ri], &mut out);
            }
        }
        out.sort_by(|a, b| {
            (a.range.start, a.rule, a.range.end).cmp(&(b.range.start, b.rule, b.range.end))
        });
        out.dedup_by(|a, b| a.rule == b.rule && a.range == b.range);
        // A secret a specific rule recognised is not reported again by a fallback one.
        let specific: Vec<Range<usize>> = out
            .iter()
            .filter(|c| !self.rules[c.rule].fallback)
            .map(|c| c.mask.clone())
            .collect();
        if !specific.is_empty() {
            out.retain(|c| {
                !self.rules[c.rule].fallback
                    || !specific
                        .iter()
                        .any(|m| m.start < c.mask.end && c.mask.start < m.end)
            });
        }
        if self.has_required {
            self.apply_required(data, &mut out);
        }
        out.retain(|c| !self.rules[c.rule].skip_report);
        (out, carrier)
    }

    fn run_rule(
        &self,
        ri: usize,
        ctx: &Context<'_>,
        data: &[u8],
        win: Range<usize>,
        regex: &mut Option<(Regex, regex::bytes::CaptureLocations)>,
        out: &mut Vec<Candidate>,
    ) {
        let rule = &self.rules[ri];
        let Some(shared) = &rule.regex else { return };
        let (re, locs) = regex.get_or_insert_with(|| (shared.clone(), shared.capture_locations()));
        let hay = &data[..win.end];
        let mut at = win.start;
        while at <= hay.len() {
            let Some(m) = re.captures_read_at(locs, hay, at) else {
                break;
            };
            let (ms, me) = (m.start(), m.end());
            at = if me > ms { me } else { me + 1 };
            let (ss, se) = match &rule.secret_group {
                SecretGroup::Whole => (ms, me),
                SecretGroup::Index(i) => match locs.get(*i) {
                    Some(r) => r,
                    None => continue,
                },
                SecretGroup::Named(list) => match list.iter().find_map(|&i| locs.get(i)) {
                    Some(r) => r,
                    None => continue,
                },
            };
            if ss >= se {
                continue;
            }
            let secret = &data[ss..se];
            let key = rule.key_groups.iter().find_map(|&g| locs.get(g));
            // `"secretsmanager:Resource"`: a quote opens before the name but does not close after
            // it, so this is one string, not a `name: value` pair.
            if let Some((ka, kb)) = key {
                if ka > 0
                    && matches!(data[ka - 1], b'"' | b'\'')
                    && data.get(kb) != Some(&data[ka - 1])
                {
                    continue;
                }
            }
            let key = key.map(|(a, b)| &data[a..b]);
            if !self.accept(ri, ctx, data, ms..me, ss..se, key) {
                continue;
            }
            out.push(Candidate {
                rule: ri,
                range: ms..me,
                mask: ss..se,
                secret: secret.to_vec(),
                decoded: None,
            });
        }
    }

    /// The checks of step 4 in rules/secrets/README.md.
    fn accept(
        &self,
        ri: usize,
        ctx: &Context<'_>,
        data: &[u8],
        matched: Range<usize>,
        secret: Range<usize>,
        key: Option<&[u8]>,
    ) -> bool {
        let rule = &self.rules[ri];
        let s = &data[secret.clone()];
        if let Some(min) = rule.entropy {
            if shannon_entropy(s) < min {
                return false;
            }
        }
        let text = String::from_utf8_lossy(s);
        if is_placeholder(&text) {
            return false;
        }
        if rule.generic {
            let quoted = secret.start > 0 && matches!(data[secret.start - 1], b'"' | b'\'' | b'`');
            let key = key.map(String::from_utf8_lossy);
            if generic_rejects(key.as_deref(), &text, quoted, ctx.path) {
                return false;
            }
        }
        if let Some(v) = rule.validator {
            if !v.check(s) {
                return false;
            }
        }
        if rule.allowlists.is_empty() && self.global_allowlists.is_empty() {
            return true;
        }
        let line = line_bounds(data, matched.start, matched.end);
        let m = &data[matched];
        let l = &data[line];
        !rule.allowlists.iter().any(|a| a.allows(ctx, s, m, l))
            && !self.globally_allowed(ri, ctx, s, m, l)
    }

    /// Composite rules: drop a candidate unless each required rule matched within its distance.
    fn apply_required(&self, data: &[u8], out: &mut Vec<Candidate>) {
        let pos = |c: &Candidate| line_col(data, c.range.start);
        let keep: Vec<bool> = out
            .iter()
            .map(|c| {
                let rule = &self.rules[c.rule];
                if rule.required.is_empty() {
                    return true;
                }
                let (l, col) = pos(c);
                rule.required.iter().all(|req| {
                    out.iter().any(|o| {
                        if o.rule != req.rule {
                            return false;
                        }
                        let (ol, ocol) = pos(o);
                        req.within_lines.is_none_or(|n| l.abs_diff(ol) <= n)
                            && req.within_columns.is_none_or(|n| col.abs_diff(ocol) <= n)
                    })
                })
            })
            .collect();
        let mut k = keep.into_iter();
        out.retain(|_| k.next().unwrap_or(true));
    }
}

/// Drops every keyword that contains another one, handing its rules to the longest keyword it
/// contains: an occurrence of the longer one is an occurrence of the shorter one on the same line, so
/// the same windows are searched, with a smaller automaton (the keyword pass is the largest cost of a
/// scan).
fn minimize_keywords(
    patterns: Vec<String>,
    keyword_rules: Vec<Vec<usize>>,
) -> (Vec<String>, Vec<Vec<usize>>) {
    let mut order: Vec<usize> = (0..patterns.len()).collect();
    order.sort_by_key(|&i| (patterns[i].len(), patterns[i].clone()));
    let mut kept: Vec<usize> = Vec::new();
    let mut target: Vec<Option<usize>> = vec![None; patterns.len()];
    for &i in &order {
        let inner = kept
            .iter()
            .filter(|&&k| patterns[i].contains(patterns[k].as_str()))
            .max_by_key(|&&k| patterns[k].len())
            .copied();
        match inner {
            Some(k) => target[i] = Some(k),
            None => kept.push(i),
        }
    }
    let mut rules_of: Vec<Vec<usize>> = keyword_rules;
    for i in 0..patterns.len() {
        if let Some(k) = target[i] {
            let moved = std::mem::take(&mut rules_of[i]);
            rules_of[k].extend(moved);
        }
    }
    kept.sort_unstable();
    let out_patterns = kept.iter().map(|&k| patterns[k].clone()).collect();
    let out_rules = kept
        .iter()
        .map(|&k| std::mem::take(&mut rules_of[k]))
        .collect();
    (out_patterns, out_rules)
}

/// 1-based line and byte column of `offset`.
pub fn line_col(data: &[u8], offset: usize) -> (u32, u32) {
    let before = &data[..offset.min(data.len())];
    let line = memchr::memchr_iter(b'\n', before).count() as u32 + 1;
    let start = memchr::memrchr(b'\n', before).map_or(0, |p| p + 1);
    (line, (offset - start) as u32 + 1)
}

/// The line(s) holding `start..end`, each end bounded by [`LINE_REACH`].
pub fn line_bounds(data: &[u8], start: usize, end: usize) -> Range<usize> {
    let lo = start.saturating_sub(LINE_REACH);
    let ls = memchr::memrchr(b'\n', &data[lo..start]).map_or(lo, |p| lo + p + 1);
    let hi = (end + LINE_REACH).min(data.len());
    let le = memchr::memchr(b'\n', &data[end..hi]).map_or(hi, |p| end + p);
    ls..le
}

/// The window a rule's regex runs on around a keyword hit at `start..end`: its line(s), plus the
/// line break before, so that a pattern's leading context (`[^\w]`, `\s`) can match at a line start.
fn window(data: &[u8], start: usize, end: usize, span: usize) -> (usize, usize) {
    let far = (end + span).min(data.len());
    let r = line_bounds(data, start, far);
    (r.start.saturating_sub(1), r.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine(toml: &str) -> Engine {
        let mut s = RuleSources::default();
        s.add_text("test.toml", toml).unwrap();
        Engine::new(&s).unwrap()
    }

    fn ctx(path: &str) -> Context<'_> {
        Context { path, commit: None }
    }

    #[test]
    fn keyword_then_regex_on_the_line() {
        let e = engine(
            r#"
[[rules]]
id = "t"
regex = '''\b(?P<secret>tok_[a-z0-9]{12})\b'''
keywords = ["tok_"]
"#,
        );
        let data = b"a\nx = tok_a1b2c3d4e5f6 and tok_z9y8x7w6v5u4\nb";
        let c = e.scan(&ctx("f.txt"), data);
        assert_eq!(c.len(), 2);
        assert_eq!(&data[c[0].mask.clone()], b"tok_a1b2c3d4e5f6");
        assert_eq!(line_col(data, c[1].range.start), (2, 26));
    }

    #[test]
    fn allowlists_and_conditions() {
        let e = engine(
            r#"
[[rules]]
id = "t"
regex = '''(?P<secret>tok_[a-z0-9]{12})'''
keywords = ["tok_"]
[[rules.allowlists]]
condition = "AND"
paths = ['''fixtures/''']
stopwords = ["fixed"]
"#,
        );
        let data = b"tok_fixed0000abc tok_q8w7e6r5t4y3";
        assert_eq!(e.scan(&ctx("fixtures/a"), data).len(), 1);
        assert_eq!(e.scan(&ctx("src/a"), data).len(), 2);
    }

    #[test]
    fn composite_rules_need_their_parts() {
        let e = engine(
            r#"
[[rules]]
id = "id-part"
regex = '''client_id=(\w{8})'''
keywords = ["client_id"]
skipReport = true
[[rules]]
id = "secret-part"
regex = '''client_secret=(\w{16})'''
keywords = ["client_secret"]
[[rules.required]]
id = "id-part"
withinLines = 2
"#,
        );
        let both = b"client_id=ab12cd34\nclient_secret=Zq8W3nK0pLr5TbY2\n";
        let c = e.scan(&ctx("a"), both);
        assert_eq!(c.len(), 1);
        assert_eq!(e.rules[c[0].rule].meta.id, "secret-part");
        let alone = b"client_secret=Zq8W3nK0pLr5TbY2\n";
        assert!(e.scan(&ctx("a"), alone).is_empty());
    }

    #[test]
    fn bad_rules_name_file_and_line() {
        let mut s = RuleSources::default();
        s.add_text(
            "x.toml",
            "[[rules]]\nid = \"a\"\nkeywords=[\"a\"]\nregex = '''(a'''\n",
        )
        .unwrap();
        let msg = Engine::new(&s).err().unwrap().to_string();
        assert!(
            msg.starts_with("x.toml:4: rule `a`: invalid `regex`"),
            "{msg}"
        );
    }

    #[test]
    fn keywords_inside_other_keywords_still_trigger_their_rules() {
        let (p, r) = minimize_keywords(
            vec!["client_secret".into(), "secret".into(), "tok_".into()],
            vec![vec![0], vec![1], vec![2]],
        );
        assert_eq!(p, vec!["secret".to_string(), "tok_".to_string()]);
        assert_eq!(r, vec![vec![1, 0], vec![2]]);
        let e = engine(
            r#"
[[rules]]
id = "a"
regex = '''client_secret=(?P<secret>\w{12})'''
keywords = ["client_secret"]
[[rules]]
id = "b"
regex = '''secret_id=(?P<secret>\w{12})'''
keywords = ["secret"]
"#,
        );
        let data = b"x\nclient_secret=Zq8W3nK0pLr5\nsecret_id=Tb7Y2vXc9MhJ\n";
        let ids: Vec<&str> = e
            .scan(&ctx("f"), data)
            .iter()
            .map(|c| e.rules[c.rule].meta.id.as_str())
            .collect();
        assert_eq!(ids, vec!["a", "b"]);
    }

    #[test]
    fn threads_scanning_at_once_find_the_same() {
        let e = engine(
            r#"
[[rules]]
id = "t"
regex = '''(?P<secret>tok_[a-z0-9]{12})'''
keywords = ["tok_"]
[[rules]]
id = "u"
regex = '''(?P<secret>key-[a-z0-9]{12})'''
keywords = ["key-"]
"#,
        );
        let line = b"x tok_q8w7e6r5t4y3 key-a1b2c3d4e5f6\n";
        let data: Vec<u8> = line.repeat(1000);
        let alone = e.scan(&ctx("f"), &data);
        assert_eq!(alone.len(), 2000);
        std::thread::scope(|s| {
            let runs: Vec<_> = (0..4)
                .map(|_| s.spawn(|| (0..5).map(|_| e.scan(&ctx("f"), &data)).collect::<Vec<_>>()))
                .collect();
            for r in runs {
                for found in r.join().unwrap() {
                    assert_eq!(found, alone);
                }
            }
        });
    }

    #[test]
    fn huge_single_line_is_windowed() {
        let e = engine(
            r#"
[[rules]]
id = "t"
regex = '''(?P<secret>tok_[a-z0-9]{12})'''
keywords = ["tok_"]
"#,
        );
        let mut data = vec![b'a'; 5_000_000];
        data.extend_from_slice(b" tok_q8w7e6r5t4y3 ");
        data.extend(vec![b'b'; 5_000_000]);
        assert_eq!(e.scan(&ctx("min.js"), &data).len(), 1);
    }
}
