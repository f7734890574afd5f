//! Formulas: compiled from the rule model per file language, evaluated on one file to a set of
//! ranges with bindings, with Semgrep's semantics (see `rule::model::Conjunction`).

use std::sync::Arc;

use regex::bytes::{Regex, RegexBuilder};

use crate::lang::{self, Language};
use crate::rule::{self, Condition, Conjunction, Formula, Negation, RegexPattern, RuleError};

use super::compare::{self, Expr};
use super::index::{FileIndex, NONE};
use super::matcher::{
    self, env_get, is_plain_string, same_code, string_range, Bound, Env, RawMatch,
};
use super::pattern::{compile_pattern, CompiledPattern, MvTable};

/// How many ranges one formula may produce on one file before the rest are dropped (and the
/// overrun reported).
const MAX_RANGES: usize = 20_000;

#[derive(Debug)]
pub(crate) enum CFormula {
    /// A pattern that cannot occur in this language's files (a JSX pattern of a TypeScript
    /// rule, compiled for `.ts` files): it matches nothing.
    Never,
    Pattern(Box<CompiledPattern>),
    Regex(CRegex),
    All(Box<CConj>),
    Any(Vec<CFormula>),
    Inside(Box<CFormula>),
}

#[derive(Debug)]
pub(crate) struct CRegex {
    pub re: Regex,
    /// Capture group index → metavariable.
    pub groups: Vec<(usize, u16)>,
}

#[derive(Debug)]
pub(crate) struct CConj {
    /// Non-`Inside` terms first, in the order written, then the `Inside` terms.
    pub positives: Vec<CFormula>,
    pub negatives: Vec<CNeg>,
    pub conditions: Vec<CCond>,
    pub focus: Vec<Vec<u16>>,
}

#[derive(Debug)]
pub(crate) enum CNeg {
    Not(CFormula),
    NotInside(CFormula),
    NotRegex(Regex),
}

#[derive(Debug)]
pub(crate) enum CCond {
    Regex {
        mv: u16,
        re: Regex,
    },
    Pattern {
        mv: u16,
        /// `Some`: the content is parsed in this language (`None` with `text_only`: not parsed).
        language: Option<Language>,
        /// The content is matched as text (a `generic` or `regex` language): regexes only.
        text_only: bool,
        formula: Box<CFormula>,
    },
    Comparison {
        expr: Expr,
        strip: bool,
        base: Option<u32>,
    },
}

/// Where a formula is compiled: the rule file, the language of its patterns, and where errors
/// go.
pub(crate) struct Compile<'a> {
    pub file: &'a str,
    pub rule_id: &'a str,
    pub mvs: &'a mut MvTable,
    pub errors: &'a mut Vec<RuleError>,
    /// Patterns that do not parse become [`CFormula::Never`] and their errors go to
    /// `soft_errors` (the caller decides whether they count).
    pub lenient: bool,
    pub soft_errors: Vec<RuleError>,
}

impl Compile<'_> {
    fn error_at(&mut self, origin: &rule::TextOrigin, line: usize, column: usize, message: String) {
        let pos = origin.locate(line, column);
        self.errors.push(RuleError {
            file: origin.file.to_string(),
            line: Some(pos.line),
            column: Some(pos.column),
            key_path: origin.key_path.clone(),
            message,
        });
    }

    fn error_pos(&mut self, position: &rule::Position, message: String) {
        self.errors.push(RuleError {
            file: self.file.to_string(),
            line: Some(position.line),
            column: Some(position.column),
            key_path: String::new(),
            message,
        });
    }

    fn regex(&mut self, r: &RegexPattern) -> Option<Regex> {
        match RegexBuilder::new(r.regex.as_str())
            .multi_line(true)
            .size_limit(1 << 22)
            .dfa_size_limit(1 << 22)
            .build()
        {
            Ok(re) => Some(re),
            Err(e) => {
                self.error_at(
                    &r.origin,
                    0,
                    0,
                    format!("invalid regex {:?}: {e}", r.source),
                );
                None
            }
        }
    }

    /// Compiles a formula for `lang` (`None`: text only, no code patterns allowed).
    pub(crate) fn formula(&mut self, f: &Formula, lang: Option<Language>) -> Option<CFormula> {
        match f {
            Formula::Pattern(p) => {
                let Some(lang) = lang else {
                    self.error_at(
                        &p.origin,
                        0,
                        0,
                        "a code pattern cannot run here: the language is `generic` or `regex`, \
                         which the engine matches with regexes only (use pattern-regex)"
                            .to_string(),
                    );
                    return None;
                };
                let tree = match lang::parse_pattern(lang, &p.text) {
                    Ok(tree) => tree,
                    Err(e) => {
                        let line = e.line.saturating_sub(1) as usize;
                        let column = e.column.saturating_sub(1) as usize;
                        let before = self.errors.len();
                        self.error_at(
                            &p.origin,
                            line,
                            column,
                            format!(
                                "rule {:?}: invalid {} pattern: {}",
                                self.rule_id,
                                lang.rule_language(),
                                e.message
                            ),
                        );
                        if self.lenient {
                            let soft: Vec<RuleError> = self.errors.drain(before..).collect();
                            self.soft_errors.extend(soft);
                            return Some(CFormula::Never);
                        }
                        return None;
                    }
                };
                match compile_pattern(&tree, self.mvs) {
                    Ok(cp) => Some(CFormula::Pattern(Box::new(cp))),
                    Err(message) => {
                        self.error_at(
                            &p.origin,
                            0,
                            0,
                            format!("rule {:?}: {message}", self.rule_id),
                        );
                        None
                    }
                }
            }
            Formula::Regex(r) => {
                let re = self.regex(r)?;
                let mut groups = Vec::new();
                for (i, name) in re.capture_names().enumerate().skip(1) {
                    let mv = match name {
                        Some(name) => format!("${name}"),
                        None => format!("${i}"),
                    };
                    groups.push((i, self.mvs.id(&mv)));
                    // Named groups are also numbered, as in Semgrep.
                    if name.is_some() {
                        groups.push((i, self.mvs.id(&format!("${i}"))));
                    }
                }
                Some(CFormula::Regex(CRegex { re, groups }))
            }
            Formula::Any(items) => {
                let mut out = Vec::new();
                for item in items {
                    out.push(self.formula(item, lang));
                }
                let out: Option<Vec<CFormula>> = out.into_iter().collect();
                Some(CFormula::Any(out?))
            }
            Formula::Inside(inner) => Some(CFormula::Inside(Box::new(self.formula(inner, lang)?))),
            Formula::All(conj) => Some(CFormula::All(Box::new(self.conjunction(conj, lang)?))),
        }
    }

    fn conjunction(&mut self, c: &Conjunction, lang: Option<Language>) -> Option<CConj> {
        let mut ok = true;
        let mut plain = Vec::new();
        let mut inside = Vec::new();
        for p in &c.positives {
            let compiled = self.formula(p, lang);
            match compiled {
                Some(f @ CFormula::Inside(_)) => inside.push(f),
                Some(f) => plain.push(f),
                None => ok = false,
            }
        }
        plain.extend(inside);
        let mut negatives = Vec::new();
        for n in &c.negatives {
            let compiled = match n {
                Negation::Not(f) => self.formula(f, lang).map(CNeg::Not),
                Negation::NotInside(f) => self.formula(f, lang).map(CNeg::NotInside),
                Negation::NotRegex(r) => self.regex(r).map(CNeg::NotRegex),
            };
            match compiled {
                Some(n) => negatives.push(n),
                None => ok = false,
            }
        }
        let mut conditions = Vec::new();
        for cond in &c.conditions {
            match self.condition(cond, lang) {
                Some(c) => conditions.push(c),
                None => ok = false,
            }
        }
        let focus = c
            .focus
            .iter()
            .map(|f| {
                f.metavariables
                    .iter()
                    .map(|m| self.mvs.id(m.as_str()))
                    .collect()
            })
            .collect();
        ok.then_some(CConj {
            positives: plain,
            negatives,
            conditions,
            focus,
        })
    }

    fn condition(&mut self, c: &Condition, lang: Option<Language>) -> Option<CCond> {
        match c {
            Condition::Regex(r) => {
                let re = self.regex(&r.regex)?;
                Some(CCond::Regex {
                    mv: self.mvs.id(r.metavariable.as_str()),
                    re,
                })
            }
            Condition::Pattern(p) => {
                let mv = self.mvs.id(p.metavariable.as_str());
                let (language, text_only) = match &p.language {
                    None => (lang, lang.is_none()),
                    Some(l) => match l.kind {
                        rule::LanguageKind::Code => match Language::from_name(&l.name) {
                            Some(parsed) => (Some(parsed), false),
                            None => {
                                self.error_pos(
                                    &p.position,
                                    format!(
                                        "rule {:?}: metavariable-pattern language {:?} is not \
                                         supported by the engine",
                                        self.rule_id, l.name
                                    ),
                                );
                                return None;
                            }
                        },
                        _ => (None, true),
                    },
                };
                let formula = self.formula(&p.formula, language)?;
                Some(CCond::Pattern {
                    mv,
                    language: if p.language.is_some() { language } else { None },
                    text_only,
                    formula: Box::new(formula),
                })
            }
            Condition::Comparison(c) => match compare::parse(&c.comparison) {
                Ok(expr) => {
                    let mut names = Vec::new();
                    expr.metavariables(&mut |name| names.push(name.to_string()));
                    if let Some(bad) = names
                        .iter()
                        .find(|n| crate::rule::Metavariable::parse(n).is_none())
                    {
                        self.error_at(
                            &c.comparison_origin,
                            0,
                            0,
                            format!(
                                "rule {:?}: {bad:?} in metavariable-comparison is not a \
                                 metavariable name",
                                self.rule_id
                            ),
                        );
                        return None;
                    }
                    for name in names {
                        self.mvs.id(&name);
                    }
                    Some(CCond::Comparison {
                        expr,
                        strip: c.strip.unwrap_or(false),
                        base: c.base,
                    })
                }
                Err(message) => {
                    self.error_at(
                        &c.comparison_origin,
                        0,
                        0,
                        format!(
                            "rule {:?}: metavariable-comparison {:?} is not supported: {message}",
                            self.rule_id, c.comparison
                        ),
                    );
                    None
                }
            },
        }
    }
}

/// A document being matched: the file, or a metavariable's content parsed on its own.
#[derive(Clone, Copy)]
pub(crate) struct Doc<'a> {
    pub f: &'a FileIndex,
    pub src: &'a [u8],
}

/// The state of one evaluation: the work budget and what ran out.
pub(crate) struct Cx<'a> {
    pub mvs: &'a MvTable,
    pub fuel: u64,
    pub exhausted: bool,
    pub truncated: bool,
}

impl Cx<'_> {
    pub(crate) fn eval(
        &mut self,
        doc: Doc<'_>,
        f: &CFormula,
        scope: Option<(u32, u32)>,
    ) -> Vec<RawMatch> {
        let mut out = match f {
            CFormula::Never => Vec::new(),
            CFormula::Pattern(p) => matcher::find_all(
                doc.f,
                doc.src,
                p,
                scope,
                &mut self.fuel,
                &mut self.exhausted,
            ),
            CFormula::Regex(r) => self.regex(doc, r, scope),
            CFormula::Any(items) => {
                let mut out = Vec::new();
                for item in items {
                    out.extend(self.eval(doc, item, scope));
                }
                dedup(&mut out);
                out
            }
            CFormula::Inside(inner) => self.eval(doc, inner, scope),
            CFormula::All(conj) => self.conjunction(doc, conj, scope),
        };
        if out.len() > MAX_RANGES {
            out.truncate(MAX_RANGES);
            self.truncated = true;
        }
        out
    }

    fn regex(&mut self, doc: Doc<'_>, r: &CRegex, scope: Option<(u32, u32)>) -> Vec<RawMatch> {
        let (base, text) = match scope {
            Some((s, e)) => (s, doc.src.get(s as usize..e as usize).unwrap_or(&[])),
            None => (0, doc.src),
        };
        let mut out = Vec::new();
        if r.groups.is_empty() {
            for m in r.re.find_iter(text) {
                out.push(RawMatch {
                    start: base + m.start() as u32,
                    end: base + m.end() as u32,
                    node: NONE,
                    env: Vec::new(),
                });
                if out.len() > MAX_RANGES {
                    break;
                }
            }
            return out;
        }
        for caps in r.re.captures_iter(text) {
            let Some(whole) = caps.get(0) else { continue };
            let mut env = Env::new();
            for &(i, mv) in &r.groups {
                if let Some(g) = caps.get(i) {
                    if env_get(&env, mv).is_none() {
                        env.push((
                            mv,
                            Bound::range(base + g.start() as u32, base + g.end() as u32),
                        ));
                    }
                }
            }
            out.push(RawMatch {
                start: base + whole.start() as u32,
                end: base + whole.end() as u32,
                node: NONE,
                env,
            });
            if out.len() > MAX_RANGES {
                break;
            }
        }
        out
    }

    fn conjunction(&mut self, doc: Doc<'_>, c: &CConj, scope: Option<(u32, u32)>) -> Vec<RawMatch> {
        let mut acc: Option<Vec<RawMatch>> = None;
        // Whether the ranges so far come from `pattern-inside` terms only: then the narrower of
        // two contexts is kept, whichever it is.
        let mut contexts_only = true;
        for p in &c.positives {
            let inside = matches!(p, CFormula::Inside(_));
            let ys = self.eval(doc, p, scope);
            let next = match acc.take() {
                None => ys,
                Some(xs) => intersect(doc, xs, ys, inside && !contexts_only),
            };
            contexts_only &= inside;
            if next.is_empty() {
                return next;
            }
            acc = Some(next);
        }
        let mut acc = match acc {
            Some(acc) => acc,
            // No positive term (directly under a metavariable-pattern): the whole content.
            None => {
                let (s, e) = scope.unwrap_or((0, doc.src.len() as u32));
                let node = if doc.f.nodes.is_empty() {
                    NONE
                } else {
                    doc.f.node_at(s, e)
                };
                vec![RawMatch {
                    start: s,
                    end: e,
                    node,
                    env: Vec::new(),
                }]
            }
        };
        for n in &c.negatives {
            if acc.is_empty() {
                return acc;
            }
            match n {
                CNeg::Not(f) => {
                    let ys = self.eval(doc, f, scope);
                    acc.retain(|x| {
                        !ys.iter().any(|y| {
                            y.start == x.start && y.end == x.end && compatible(doc, &x.env, &y.env)
                        })
                    });
                }
                CNeg::NotInside(f) => {
                    let ys = self.eval(doc, f, scope);
                    acc.retain(|x| {
                        !ys.iter().any(|y| {
                            y.start <= x.start && x.end <= y.end && compatible(doc, &x.env, &y.env)
                        })
                    });
                }
                CNeg::NotRegex(re) => {
                    let (base, text) = match scope {
                        Some((s, e)) => (s, doc.src.get(s as usize..e as usize).unwrap_or(&[])),
                        None => (0, doc.src),
                    };
                    let ys: Vec<(u32, u32)> = re
                        .find_iter(text)
                        .map(|m| (base + m.start() as u32, base + m.end() as u32))
                        .collect();
                    acc.retain(|x| !ys.iter().any(|&(s, e)| s < x.end && x.start < e));
                }
            }
        }
        for cond in &c.conditions {
            if acc.is_empty() {
                return acc;
            }
            acc = self.condition(doc, cond, acc);
        }
        for focus in &c.focus {
            acc = acc
                .into_iter()
                .filter_map(|mut x| {
                    let mut start = 0u32;
                    let mut end = u32::MAX;
                    let mut node = NONE;
                    for &mv in focus {
                        let b = env_get(&x.env, mv)?;
                        start = start.max(b.start);
                        end = end.min(b.end);
                        node = if focus.len() == 1 { b.node } else { NONE };
                    }
                    if start > end {
                        return None;
                    }
                    x.start = start;
                    x.end = end;
                    x.node = node;
                    Some(x)
                })
                .collect();
        }
        dedup(&mut acc);
        acc
    }

    fn condition(&mut self, doc: Doc<'_>, cond: &CCond, acc: Vec<RawMatch>) -> Vec<RawMatch> {
        match cond {
            CCond::Regex { mv, re } => acc
                .into_iter()
                .filter(|x| env_get(&x.env, *mv).is_some_and(|b| re.is_match(b.text(doc.src))))
                .collect(),
            CCond::Comparison { expr, strip, base } => acc
                .into_iter()
                .filter(|x| {
                    let lookup = |name: &str| -> Option<String> {
                        let id = self.mvs.find(name)?;
                        let b = env_get(&x.env, id)?;
                        let text = String::from_utf8_lossy(b.text(doc.src)).into_owned();
                        Some(text)
                    };
                    compare::holds(expr, &lookup, *strip, *base)
                })
                .collect(),
            CCond::Pattern {
                mv,
                language,
                text_only,
                formula,
            } => {
                let mut out = Vec::new();
                for x in acc {
                    let Some(b) = env_get(&x.env, *mv).cloned() else {
                        continue;
                    };
                    let inner = if language.is_none() && !*text_only && b.text.is_none() {
                        // The same document, limited to the bound code.
                        self.eval(doc, formula, Some((b.start, b.end)))
                    } else {
                        self.nested(doc, &b, *language, formula)
                    };
                    let mut kept = 0;
                    for y in inner {
                        if let Some(env) = merge(doc, &x.env, &y.env) {
                            out.push(RawMatch {
                                start: x.start,
                                end: x.end,
                                node: x.node,
                                env,
                            });
                            kept += 1;
                            if kept >= 16 {
                                break;
                            }
                        }
                    }
                }
                dedup(&mut out);
                out
            }
        }
    }

    /// Evaluates a formula on a metavariable's content as a document of its own; bindings made
    /// there are returned as text.
    fn nested(
        &mut self,
        doc: Doc<'_>,
        b: &Bound,
        language: Option<Language>,
        f: &CFormula,
    ) -> Vec<RawMatch> {
        let content: Vec<u8> =
            if b.text.is_none() && b.node != NONE && is_plain_string(doc.f, b.node) {
                let (s, e) = string_range(doc.f, doc.src, b.node);
                doc.src[s as usize..e as usize].to_vec()
            } else {
                b.text(doc.src).to_vec()
            };
        let index = match language {
            Some(lang) => match lang::parse(lang, &content) {
                Ok(parsed) => FileIndex::build(&parsed, &content),
                Err(_) => return Vec::new(),
            },
            None => FileIndex::text_only(doc.f.language, &content),
        };
        let sub = Doc {
            f: &index,
            src: &content,
        };
        let found = self.eval(sub, f, None);
        found
            .into_iter()
            .map(|y| RawMatch {
                start: b.start,
                end: b.end,
                node: NONE,
                env: y
                    .env
                    .iter()
                    .map(|(id, inner)| {
                        let text = String::from_utf8_lossy(inner.text(&content)).into_owned();
                        (
                            *id,
                            Bound {
                                start: b.start,
                                end: b.end,
                                node: NONE,
                                text: Some(Arc::from(text)),
                            },
                        )
                    })
                    .collect(),
            })
            .collect()
    }
}

/// Whether the metavariables two ranges share are bound to the same code.
fn compatible(doc: Doc<'_>, a: &Env, b: &Env) -> bool {
    b.iter().all(|(id, yb)| match env_get(a, *id) {
        Some(xb) => same_code(doc.f, doc.src, xb, yb),
        None => true,
    })
}

/// `a` and `b` together, or `None` when they disagree on a metavariable.
pub(crate) fn merge(doc: Doc<'_>, a: &Env, b: &Env) -> Option<Env> {
    let mut out = a.clone();
    for (id, yb) in b {
        match env_get(a, *id) {
            Some(xb) => {
                if !same_code(doc.f, doc.src, xb, yb) {
                    return None;
                }
            }
            None => out.push((*id, yb.clone())),
        }
    }
    Some(out)
}

/// Positive terms of a conjunction: a range survives when the other term's range contains it
/// (for `pattern-inside`, only that way round); the narrower range is kept, with the bindings
/// of both.
fn intersect(
    doc: Doc<'_>,
    xs: Vec<RawMatch>,
    mut ys: Vec<RawMatch>,
    inside: bool,
) -> Vec<RawMatch> {
    ys.sort_by_key(|y| y.start);
    let mut out = Vec::new();
    for x in &xs {
        // Ranges containing x start at or before it.
        let upto = ys.partition_point(|y| y.start <= x.start);
        for y in &ys[..upto] {
            if y.end >= x.end {
                if let Some(env) = merge(doc, &x.env, &y.env) {
                    out.push(RawMatch {
                        start: x.start,
                        end: x.end,
                        node: x.node,
                        env,
                    });
                }
            }
        }
        if !inside {
            // Ranges x contains (strictly) start inside it.
            let from = ys.partition_point(|y| y.start < x.start);
            let to = ys.partition_point(|y| y.start < x.end);
            for y in &ys[from..to] {
                let equal = y.start == x.start && y.end == x.end;
                if y.end <= x.end && !equal {
                    if let Some(env) = merge(doc, &x.env, &y.env) {
                        out.push(RawMatch {
                            start: y.start,
                            end: y.end,
                            node: y.node,
                            env,
                        });
                    }
                }
            }
        }
        if out.len() > MAX_RANGES {
            break;
        }
    }
    dedup(&mut out);
    out
}

/// Sorts by range and drops exact duplicates (same range and bindings).
pub(crate) fn dedup(v: &mut Vec<RawMatch>) {
    v.sort_by_key(|a| (a.start, a.end));
    let mut out: Vec<RawMatch> = Vec::with_capacity(v.len());
    let mut group_start = 0;
    for x in v.drain(..) {
        if out
            .last()
            .is_none_or(|l| (l.start, l.end) != (x.start, x.end))
        {
            group_start = out.len();
        }
        let dup = out[group_start..].iter().any(|y| env_eq(&y.env, &x.env));
        if !dup {
            out.push(x);
        }
    }
    *v = out;
}

fn env_eq(a: &Env, b: &Env) -> bool {
    a.len() == b.len()
        && a.iter()
            .all(|(id, x)| env_get(b, *id).is_some_and(|y| y == x))
}
