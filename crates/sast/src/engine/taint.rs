//! Taint mode, intra-procedural.
//!
//! # Design
//!
//! Sources, sinks, sanitizers and propagators are search formulas: each is evaluated once on
//! the file (with the search engine) to a set of ranges. Then every analysis unit is walked:
//! the top level of the file and each named function or method (with an empty state: nothing
//! is tainted on entry except parameters a source matches). Anonymous functions (lambdas,
//! arrow functions, blocks) are walked where they appear, starting from a copy of the
//! enclosing state, so closures see the variables they capture.
//!
//! The state maps access paths (`x`, `self.x`, `obj.field`) to where their taint came from. A
//! unit's statements are walked in order:
//!
//! - **Expressions** are tainted when they are a source (or lie inside a non-`exact` source),
//!   or contain a tainted variable or path (a field of a tainted object is tainted), unless
//!   they are a sanitizer (or lie inside a non-`exact` one). This one rule covers operators,
//!   string concatenation and formatting (f-strings, template literals, `%`, `.format()`),
//!   collection literals, subscripts and attribute access. Calls are tainted when an argument
//!   or the receiver is (Semgrep's default); with `taint_assume_safe_functions: true` a call is
//!   clean unless it is a source or a propagator makes it tainted.
//! - **Assignments** (plain, augmented, declarations, tuple unpacking, walrus, `with … as`,
//!   `for x in …`) set or clear the written paths; writing to `a[i]` taints `a`.
//! - **Propagators** taint the path bound to `to` when the code bound to `from` is tainted,
//!   from that statement on. Sources and sanitizers with `by-side-effect` taint or clean the
//!   matched path after the statement.
//! - **Sinks**: a sink range in the statement is a finding when the code it covers is
//!   tainted, checked before the statement's own assignments take effect. The finding is the
//!   sink's range; the trace records the source and the paths the data went through.
//! - **Branches** (`if`, `switch`, `match`) run each arm from the same state and merge by union
//!   (tainted on any path), keeping the incoming state too when there is no `else`. **Loops**
//!   run their body twice, so taint carried by one iteration into the next is seen. Other
//!   compound statements (`try`, `with`) run their parts in order.
//!
//! # Growing it inter-procedurally
//!
//! The natural next step is function summaries: analyse each function once, parameters
//! symbolically tainted (`param[i]`), and record which parameters reach the return value, which
//! reach sinks inside it (a sink "through" the function), and which sources it returns. A call
//! whose callee resolves (same file, or through an import) then applies the summary instead of
//! the default "any tainted argument taints the result"; functions are processed bottom-up
//! over the call graph, with a fixpoint for recursion, and summaries are cached per file hash
//! so that a project scan stays incremental.

use std::collections::HashMap;

use crate::lang::Language;
use crate::rule::{RuleOptions, SideEffect, TaintSpec};

use super::formula::{CFormula, Compile, Cx, Doc};
use super::index::{FileIndex, F_EXTRA, F_NAMED, NONE};
use super::langinfo::{self, LangInfo};
use super::matcher::{env_get, RawMatch};
use super::prefilter::{self, Req};
use super::{Point, TaintTrace};

/// Statement nesting walked structurally; deeper statements are treated as one expression.
const MAX_DEPTH: usize = 48;
/// Paths one state may hold.
const MAX_PATHS: usize = 4096;
/// Paths a trace remembers.
const MAX_VIA: usize = 12;

pub(crate) struct CSource {
    formula: CFormula,
    exact: bool,
    side_effect: SideEffect,
}

pub(crate) struct CSink {
    formula: CFormula,
}

pub(crate) struct CSanitizer {
    formula: CFormula,
    exact: bool,
    side_effect: SideEffect,
}

pub(crate) struct CPropagator {
    formula: CFormula,
    from: u16,
    to: u16,
    by_side_effect: bool,
}

pub(crate) struct CTaint {
    sources: Vec<CSource>,
    sinks: Vec<CSink>,
    sanitizers: Vec<CSanitizer>,
    propagators: Vec<CPropagator>,
    assume_safe_functions: bool,
}

impl CTaint {
    pub(crate) fn requirement(&self, lits: &mut Vec<Vec<u8>>) -> Req {
        let sources = Req::or(
            self.sources
                .iter()
                .map(|s| prefilter::requirement(&s.formula, lits))
                .collect(),
        );
        let sinks = Req::or(
            self.sinks
                .iter()
                .map(|s| prefilter::requirement(&s.formula, lits))
                .collect(),
        );
        Req::and(vec![sources, sinks])
    }
}

pub(crate) fn compile(
    c: &mut Compile<'_>,
    spec: &TaintSpec,
    lang: Option<Language>,
    options: &RuleOptions,
) -> Option<CTaint> {
    let mut ok = true;
    let mut sources = Vec::new();
    for s in &spec.sources {
        match c.formula(&s.formula, lang) {
            Some(formula) => sources.push(CSource {
                formula,
                exact: s.exact,
                side_effect: s.by_side_effect,
            }),
            None => ok = false,
        }
    }
    let mut sinks = Vec::new();
    for s in &spec.sinks {
        match c.formula(&s.formula, lang) {
            Some(formula) => sinks.push(CSink { formula }),
            None => ok = false,
        }
    }
    let mut sanitizers = Vec::new();
    for s in &spec.sanitizers {
        match c.formula(&s.formula, lang) {
            Some(formula) => sanitizers.push(CSanitizer {
                formula,
                exact: s.exact,
                side_effect: s.by_side_effect,
            }),
            None => ok = false,
        }
    }
    let mut propagators = Vec::new();
    for p in &spec.propagators {
        match c.formula(&p.formula, lang) {
            Some(formula) => propagators.push(CPropagator {
                formula,
                from: c.mvs.id(p.from.as_str()),
                to: c.mvs.id(p.to.as_str()),
                by_side_effect: p.by_side_effect,
            }),
            None => ok = false,
        }
    }
    ok.then_some(CTaint {
        sources,
        sinks,
        sanitizers,
        propagators,
        assume_safe_functions: super::assume_safe_functions(options),
    })
}

#[derive(Debug, Clone)]
struct Taint {
    /// The source's range.
    source: (u32, u32),
    via: Vec<String>,
}

impl Taint {
    fn through(&self, path: &str) -> Taint {
        let mut t = self.clone();
        if t.via.last().is_none_or(|l| l != path) && t.via.len() < MAX_VIA {
            t.via.push(path.to_string());
        }
        t
    }
}

type State = HashMap<String, Taint>;

/// The source range of a "known clean" entry: a subscript written with clean data hides the
/// taint of its collection (Semgrep tracks `m[k]` apart from `m`).
const CLEAN: (u32, u32) = (u32::MAX, u32::MAX);

fn clean_mark() -> Taint {
    Taint {
        source: CLEAN,
        via: Vec::new(),
    }
}

fn is_clean(t: &Taint) -> bool {
    t.source == CLEAN
}

/// Merges the states of paths that meet: a path is tainted if it is on any of them, and known
/// clean only if it is so on all of them.
fn union(into: &mut State, other: &State) {
    for (k, v) in other {
        if into.len() >= MAX_PATHS {
            break;
        }
        match into.get(k) {
            Some(old) if is_clean(old) && !is_clean(v) => {
                into.insert(k.clone(), v.clone());
            }
            Some(_) => {}
            None if !is_clean(v) => {
                into.insert(k.clone(), v.clone());
            }
            None => {}
        }
    }
    // Known clean on one side only: not known clean any more.
    into.retain(|k, v| !is_clean(v) || other.get(k).is_some_and(is_clean));
}

struct Range {
    start: u32,
    end: u32,
    node: u32,
}

struct SourceRange {
    r: Range,
    exact: bool,
    side_effect: SideEffect,
}

struct SanitizerRange {
    r: Range,
    exact: bool,
    side_effect: SideEffect,
}

struct PropMatch {
    start: u32,
    end: u32,
    from: u32,
    to: u32,
    by_side_effect: bool,
}

struct Walker<'a> {
    f: &'a FileIndex,
    src: &'a [u8],
    info: &'static LangInfo,
    assume_safe_functions: bool,
    sources: Vec<SourceRange>,
    sanitizers: Vec<SanitizerRange>,
    props: Vec<PropMatch>,
    /// Sinks by start; each with its unit (innermost function or lambda, or the root).
    sinks: Vec<(Range, u32)>,
    findings: HashMap<(u32, u32), Taint>,
    analysed: Vec<bool>,
    /// The unit being walked.
    unit: u32,
    /// Steps left.
    fuel: u64,
}

fn ranges(cx: &mut Cx<'_>, doc: Doc<'_>, f: &CFormula) -> Vec<RawMatch> {
    cx.eval(doc, f, None)
}

fn node_of(f: &FileIndex, m: &RawMatch) -> u32 {
    if m.node != NONE {
        return m.node;
    }
    f.node_at(m.start, m.end)
}

pub(crate) fn run(
    t: &CTaint,
    cx: &mut Cx<'_>,
    doc: Doc<'_>,
) -> Vec<(RawMatch, Option<TaintTrace>)> {
    let f = doc.f;
    if f.nodes.is_empty() {
        return Vec::new();
    }
    let mut sinks = Vec::new();
    for s in &t.sinks {
        let mut found = ranges(cx, doc, &s.formula);
        // Within one sink specification, a match nested in another is not a sink of its own
        // (Semgrep reports `sink(sink(x))` once). Sorted by start, longest first, a range is
        // nested when an earlier one reaches at least as far.
        found.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        let mut widest: Option<(u32, u32)> = None;
        for m in &found {
            if let Some((ws, we)) = widest {
                if we >= m.end && (ws, we) != (m.start, m.end) {
                    continue;
                }
            }
            if widest.is_none_or(|(_, we)| m.end > we) {
                widest = Some((m.start, m.end));
            }
            let node = node_of(f, m);
            sinks.push(Range {
                start: m.start,
                end: m.end,
                node,
            });
        }
    }
    if sinks.is_empty() {
        return Vec::new();
    }
    let mut sources = Vec::new();
    for s in &t.sources {
        for m in ranges(cx, doc, &s.formula) {
            let node = node_of(f, &m);
            sources.push(SourceRange {
                r: Range {
                    start: m.start,
                    end: m.end,
                    node,
                },
                exact: s.exact,
                side_effect: s.side_effect,
            });
        }
    }
    if sources.is_empty() {
        return Vec::new();
    }
    let mut sanitizers = Vec::new();
    for s in &t.sanitizers {
        for m in ranges(cx, doc, &s.formula) {
            let node = node_of(f, &m);
            sanitizers.push(SanitizerRange {
                r: Range {
                    start: m.start,
                    end: m.end,
                    node,
                },
                exact: s.exact,
                side_effect: s.side_effect,
            });
        }
    }
    let mut props = Vec::new();
    for p in &t.propagators {
        for m in ranges(cx, doc, &p.formula) {
            let (Some(from), Some(to)) = (env_get(&m.env, p.from), env_get(&m.env, p.to)) else {
                continue;
            };
            let node = |b: &super::matcher::Bound| {
                if b.node != NONE {
                    b.node
                } else {
                    f.node_at(b.start, b.end)
                }
            };
            props.push(PropMatch {
                start: m.start,
                end: m.end,
                from: node(from),
                to: node(to),
                by_side_effect: p.by_side_effect,
            });
        }
    }
    let info = f.info;
    let unit_of = |id: u32| -> u32 {
        let mut cur = f.node(id).parent;
        while cur != NONE {
            if info.has(f.node(cur).kind, langinfo::FUNCTION | langinfo::LAMBDA) {
                return cur;
            }
            cur = f.node(cur).parent;
        }
        0
    };
    let mut sinks: Vec<(Range, u32)> = sinks
        .into_iter()
        .map(|r| {
            let u = unit_of(r.node);
            (r, u)
        })
        .collect();
    sinks.sort_by_key(|(r, _)| (r.start, r.end));
    let mut w = Walker {
        f,
        src: doc.src,
        info,
        assume_safe_functions: t.assume_safe_functions,
        sources,
        sanitizers,
        props,
        sinks,
        findings: HashMap::new(),
        analysed: vec![false; f.nodes.len()],
        unit: 0,
        fuel: cx.fuel,
    };
    // The top level, then every function; lambdas are walked where they appear, and any the
    // walk did not reach are walked on their own at the end.
    w.analyse_unit(0, State::new());
    for id in 0..f.nodes.len() as u32 {
        if info.has(f.node(id).kind, langinfo::FUNCTION) && !w.analysed[id as usize] {
            w.analyse_unit(id, State::new());
        }
    }
    for id in 0..f.nodes.len() as u32 {
        if info.has(f.node(id).kind, langinfo::LAMBDA) && !w.analysed[id as usize] {
            w.analyse_unit(id, State::new());
        }
    }
    if w.fuel == 0 {
        cx.exhausted = true;
    }
    cx.fuel = w.fuel;
    let mut out: Vec<(RawMatch, Option<TaintTrace>)> = w
        .findings
        .into_iter()
        .map(|((start, end), taint)| {
            let (line, column) = f.point(taint.source.0);
            (
                RawMatch {
                    start,
                    end,
                    node: NONE,
                    env: Vec::new(),
                },
                Some(TaintTrace {
                    source: taint.source.0 as usize..taint.source.1 as usize,
                    source_start: Point { line, column },
                    via: taint.via,
                }),
            )
        })
        .collect();
    out.sort_by_key(|(m, _)| (m.start, m.end));
    out
}

impl Walker<'_> {
    fn tick(&mut self) -> bool {
        if self.fuel == 0 {
            return false;
        }
        self.fuel -= 1;
        true
    }

    fn text(&self, id: u32) -> &str {
        let n = self.f.node(id);
        std::str::from_utf8(&self.src[n.start as usize..n.end as usize]).unwrap_or("")
    }

    fn field_child(&self, id: u32, field: Option<u16>) -> Option<u32> {
        field.and_then(|fid| self.f.child_by_field(id, fid))
    }

    /// Walks a function, lambda or the file's root with `state` on entry.
    fn analyse_unit(&mut self, unit: u32, mut state: State) {
        if self.analysed.get(unit as usize).copied().unwrap_or(true) {
            return;
        }
        self.analysed[unit as usize] = true;
        let saved = self.unit;
        self.unit = unit;
        let n = *self.f.node(unit);
        let body = self.field_child(unit, self.info.field_body);
        if unit != 0 {
            // Parameters: shadowed names are not the enclosing ones; sources may taint them.
            // Without a `body` field (Kotlin), the parameters are the children named so.
            let (sig_end, ids): (u32, Vec<u32>) = match body {
                Some(b) => (
                    self.f.node(b).start,
                    (unit + 1..b)
                        .filter(|&i| self.info.has(self.f.node(i).kind, langinfo::IDENT))
                        .collect(),
                ),
                None => {
                    let params: Vec<u32> = self
                        .f
                        .named_children(unit)
                        .filter(|&c| self.info.kind_name(self.f.node(c).kind).contains("param"))
                        .collect();
                    let end = params.last().map_or(n.start, |&p| self.f.node(p).end);
                    let ids = params
                        .iter()
                        .flat_map(|&p| p..self.f.node(p).subtree_end)
                        .filter(|&i| self.info.has(self.f.node(i).kind, langinfo::IDENT))
                        .collect();
                    (end, ids)
                }
            };
            for &i in &ids {
                let name = self.text(i).to_string();
                state.remove(&name);
            }
            let f = self.f;
            let mut tainted: Vec<(u32, (u32, u32))> = Vec::new();
            for s in self
                .sources
                .iter()
                .filter(|s| s.r.start >= n.start && s.r.end <= sig_end)
            {
                for &i in &ids {
                    let m = f.node(i);
                    if s.r.start <= m.start && m.end <= s.r.end {
                        tainted.push((i, (s.r.start, s.r.end)));
                    }
                }
            }
            for (i, source) in tainted {
                let name = self.text(i).to_string();
                let t = Taint {
                    source,
                    via: vec![name.clone()],
                };
                state.insert(name, t);
            }
        }
        match body {
            Some(b) => self.walk_stmt(b, &mut state, 0),
            None => self.walk_children(unit, &mut state, 0),
        }
        self.unit = saved;
    }

    fn walk_children(&mut self, id: u32, st: &mut State, depth: usize) {
        let kids: Vec<u32> = self.f.named_children(id).collect();
        for c in kids {
            self.walk_stmt(c, st, depth + 1);
        }
    }

    fn is_body(&self, id: u32) -> bool {
        let n = self.f.node(id);
        let info = self.info;
        info.has(n.kind, langinfo::BLOCK | langinfo::ELSE_LIKE)
            || (n.field != 0
                && (Some(n.field) == info.field_body
                    || self.field_is(n.field, &["consequence", "alternative", "body"])))
            || self
                .f
                .children(id)
                .iter()
                .any(|&c| info.has(self.f.node(c).kind, langinfo::BLOCK))
    }

    fn field_is(&self, field: u16, names: &[&str]) -> bool {
        names.contains(&self.info.field_name(field))
    }

    fn walk_stmt(&mut self, s: u32, st: &mut State, depth: usize) {
        if !self.tick() {
            return;
        }
        let n = *self.f.node(s);
        if n.flags & F_NAMED == 0 || n.flags & F_EXTRA != 0 {
            return;
        }
        let info = self.info;
        if info.has(n.kind, langinfo::FUNCTION) {
            // Analysed as a unit of its own.
            return;
        }
        if depth > MAX_DEPTH {
            self.simple(s, st);
            return;
        }
        if info.has(n.kind, langinfo::LAMBDA) {
            let copy = st.clone();
            self.analyse_unit(s, copy);
            return;
        }
        if info.has(n.kind, langinfo::BLOCK) || info.has(n.kind, langinfo::CLASS) {
            self.walk_children(s, st, depth);
            return;
        }
        if info.has(n.kind, langinfo::LOOP) {
            let kids: Vec<u32> = self.f.named_children(s).collect();
            let fe = info.for_each(n.kind).copied();
            let mut header_skip: Vec<u32> = Vec::new();
            if let Some(fe) = fe {
                let target = self.field_child(s, fe.target);
                let iter = self.field_child(s, fe.iterable);
                if let (Some(target), Some(iter)) = (target, iter) {
                    self.simple(iter, st);
                    let t = self.taint_of(iter, st);
                    self.assign(target, t, st, false, 0);
                    header_skip.extend([target, iter]);
                }
            }
            let (bodies, headers): (Vec<u32>, Vec<u32>) = kids
                .into_iter()
                .filter(|k| !header_skip.contains(k))
                .partition(|&k| self.is_body(k));
            for h in headers {
                self.simple(h, st);
            }
            for _ in 0..2 {
                let mut inner = st.clone();
                for &b in &bodies {
                    self.walk_stmt(b, &mut inner, depth + 1);
                }
                union(st, &inner);
            }
            return;
        }
        if info.has(n.kind, langinfo::TRY) {
            self.walk_try(s, st, depth);
            return;
        }
        if info.has(n.kind, langinfo::BRANCH) {
            let kids: Vec<u32> = self.f.named_children(s).collect();
            let (bodies, headers): (Vec<u32>, Vec<u32>) =
                kids.into_iter().partition(|&k| self.is_body(k));
            for h in headers {
                self.simple(h, st);
            }
            // The cases of a `switch` or `match` body are arms of their own.
            let mut arms: Vec<u32> = Vec::new();
            let mut cases = false;
            for b in bodies {
                let kids: Vec<u32> = self.f.named_children(b).collect();
                if !kids.is_empty()
                    && kids
                        .iter()
                        .all(|&c| info.has(self.f.node(c).kind, langinfo::ELSE_LIKE))
                {
                    arms.extend(kids);
                    cases = true;
                } else {
                    arms.push(b);
                }
            }
            let has_else = !cases
                && arms.iter().any(|&b| {
                    let bn = self.f.node(b);
                    info.has(bn.kind, langinfo::ELSE_LIKE)
                        || (bn.field != 0 && self.field_is(bn.field, &["alternative"]))
                });
            let entry = st.clone();
            let mut merged = if has_else {
                State::new()
            } else {
                entry.clone()
            };
            for b in arms {
                let mut arm = entry.clone();
                self.walk_stmt(b, &mut arm, depth + 1);
                union(&mut merged, &arm);
            }
            *st = merged;
            return;
        }
        if info.has(n.kind, langinfo::ELSE_LIKE) || self.is_compound(s) {
            // Clauses and other compound statements: their parts in order.
            let kids: Vec<u32> = self.f.named_children(s).collect();
            for k in kids {
                if self.is_body(k) {
                    self.walk_stmt(k, st, depth + 1);
                } else {
                    self.simple(k, st);
                }
            }
            return;
        }
        self.simple(s, st);
    }

    /// `try`: the body runs from the entry state; each handler runs from what the body may
    /// have left (the entry state or the body's, merged: the exception may come anywhere);
    /// `else` continues the body; `finally` runs after all of them.
    fn walk_try(&mut self, s: u32, st: &mut State, depth: usize) {
        let info = self.info;
        let entry = st.clone();
        let kids: Vec<u32> = self.f.named_children(s).collect();
        let mut body = entry.clone();
        let mut handlers: Vec<State> = Vec::new();
        let mut finally: Vec<u32> = Vec::new();
        for k in kids {
            let kind = self.f.node(k).kind;
            if info.has(kind, langinfo::HANDLER) {
                let mut h = entry.clone();
                union(&mut h, &body);
                self.walk_stmt(k, &mut h, depth + 1);
                handlers.push(h);
            } else if info.has(kind, langinfo::FINALLY) {
                finally.push(k);
            } else if self.is_body(k) {
                self.walk_stmt(k, &mut body, depth + 1);
            } else {
                self.simple(k, &mut body);
            }
        }
        for h in &handlers {
            union(&mut body, h);
        }
        for f in finally {
            self.walk_stmt(f, &mut body, depth + 1);
        }
        *st = body;
    }

    /// A statement holding blocks that is not a loop or a branch (`try`, `with`).
    fn is_compound(&self, id: u32) -> bool {
        self.f.named_children(id).any(|c| {
            let k = self.f.node(c).kind;
            self.info.has(k, langinfo::BLOCK | langinfo::ELSE_LIKE)
                || self
                    .f
                    .children(c)
                    .iter()
                    .any(|&g| self.info.has(self.f.node(g).kind, langinfo::BLOCK))
        })
    }

    /// A statement without inner statements: check its sinks, walk its lambdas, then apply its
    /// assignments, propagators and side effects in order.
    fn simple(&mut self, s: u32, st: &mut State) {
        let n = *self.f.node(s);
        // Sinks of this unit in the statement.
        let first = self.sinks.partition_point(|(r, _)| r.start < n.start);
        let mut found: Vec<((u32, u32), Taint)> = Vec::new();
        let candidates: Vec<(u32, u32, u32)> = self.sinks[first..]
            .iter()
            .take_while(|(r, _)| r.start < n.end)
            .filter(|(r, u)| *u == self.unit && r.end <= n.end)
            .map(|(r, _)| (r.start, r.end, r.node))
            .collect();
        for (start, end, node) in candidates {
            if self.findings.contains_key(&(start, end)) {
                continue;
            }
            if let Some(t) = self.taint_in_sink(node, st) {
                found.push(((start, end), t));
            }
        }
        for (k, t) in found {
            self.findings.entry(k).or_insert(t);
        }
        // Effects, in document order, not inside nested functions.
        let mut i = s;
        while i < n.subtree_end {
            if !self.tick() {
                return;
            }
            let node = *self.f.node(i);
            if node.flags & F_NAMED == 0 {
                i += 1;
                continue;
            }
            if self
                .info
                .has(node.kind, langinfo::FUNCTION | langinfo::CLASS)
                && i != s
            {
                i = node.subtree_end;
                continue;
            }
            if self.info.has(node.kind, langinfo::LAMBDA) {
                let copy = st.clone();
                self.analyse_unit(i, copy);
                i = node.subtree_end;
                continue;
            }
            self.effect(i, st);
            i += 1;
        }
        self.side_effects(s, st);
    }

    fn effect(&mut self, id: u32, st: &mut State) {
        let kind = self.f.node(id).kind;
        if let Some(shape) = self.info.assign(kind).copied() {
            let lhs = match shape.lhs {
                Some(_) => self.field_child(id, shape.lhs),
                None => self.f.named_children(id).next(),
            };
            let Some(lhs) = lhs else { return };
            let rhs = match shape.rhs {
                Some(_) => self.field_child(id, shape.rhs),
                None => self.f.named_children(id).filter(|&c| c != lhs).last(),
            };
            let Some(rhs) = rhs else { return };
            if rhs == lhs {
                return;
            }
            let mut t = self.taint_of(rhs, st);
            if shape.augmented && t.is_none() {
                t = self.taint_of(lhs, st);
            }
            self.assign_pairwise(lhs, rhs, t, st);
            return;
        }
        if let Some(fe) = self.info.for_each(kind).copied() {
            // Comprehension clauses (`for x in xs` inside an expression) and range clauses.
            if !self.info.has(kind, langinfo::LOOP) {
                let target = self.field_child(id, fe.target);
                let iter = self.field_child(id, fe.iterable);
                if let (Some(target), Some(iter)) = (target, iter) {
                    let t = self.taint_of(iter, st);
                    self.assign(target, t, st, false, 0);
                }
            }
        }
    }

    /// `a, b = x, y` assigns element-wise when both sides are lists of the same length.
    fn assign_pairwise(&mut self, lhs: u32, rhs: u32, t: Option<Taint>, st: &mut State) {
        let info = self.info;
        let lk = self.f.node(lhs).kind;
        let rk = self.f.node(rhs).kind;
        if info.has(lk, langinfo::LIST) && info.has(rk, langinfo::LIST) {
            let ls: Vec<u32> = self.f.named_children(lhs).collect();
            let rs: Vec<u32> = self.f.named_children(rhs).collect();
            if ls.len() == rs.len() && ls.len() > 1 {
                for (l, r) in ls.into_iter().zip(rs) {
                    let t = self.taint_of(r, st);
                    self.assign(l, t, st, false, 0);
                }
                return;
            }
        }
        self.assign(lhs, t, st, false, 0);
    }

    fn assign(&mut self, lhs: u32, t: Option<Taint>, st: &mut State, weak: bool, depth: usize) {
        if depth > 16 {
            return;
        }
        let kind = self.f.node(lhs).kind;
        if self.info.has(kind, langinfo::SUBSCRIPT) {
            // `m[k] = v`: the elements of `m` hold `v` now; tainted data also taints `m`.
            let base = self.f.named_children(lhs).next();
            if let Some(path) = self.path_of(lhs) {
                match &t {
                    Some(t) => {
                        let t = t.through(&path);
                        st.insert(path, t);
                    }
                    None if !weak => {
                        st.insert(path, clean_mark());
                    }
                    None => {}
                }
            }
            if self.path_of(lhs).is_none() {
                // An element of something that is not a path: taint what it hangs on.
                if let (Some(base), Some(_)) = (base, &t) {
                    self.assign(base, t, st, true, depth + 1);
                }
            }
            return;
        }
        if let Some(path) = self.path_of(lhs) {
            match t {
                Some(t) if st.len() < MAX_PATHS || st.contains_key(&path) => {
                    let t = t.through(&path);
                    st.insert(path, t);
                }
                Some(_) => {}
                None if !weak => {
                    let prefix = format!("{path}.");
                    st.retain(|k, _| k != &path && !k.starts_with(&prefix));
                }
                None => {}
            }
            return;
        }
        if self.info.member(kind).is_some() || self.info.call(kind).is_some() {
            // A write to a field of something that is not a plain path: taint what it hangs on.
            return;
        }
        let kids: Vec<u32> = self.f.named_children(lhs).collect();
        for k in kids {
            self.assign(k, t.clone(), st, weak, depth + 1);
        }
    }

    /// The access path a node names: `x`, `self.x`, `a.b.c`.
    fn path_of(&self, id: u32) -> Option<String> {
        self.path_depth(id, 0)
    }

    fn path_depth(&self, id: u32, depth: usize) -> Option<String> {
        if depth > 32 {
            return None;
        }
        let n = self.f.node(id);
        let info = self.info;
        if info.has(n.kind, langinfo::IDENT | langinfo::SELF_LIKE) {
            return Some(self.text(id).to_string());
        }
        if info.has(n.kind, langinfo::PAREN) {
            let inner = self.f.named_children(id).next()?;
            return self.path_depth(inner, depth + 1);
        }
        if info.has(n.kind, langinfo::SUBSCRIPT) {
            let base = self.f.named_children(id).next()?;
            let base = self.path_depth(base, depth + 1)?;
            return Some(format!("{base}[*]"));
        }
        if let Some(shape) = info.member(n.kind) {
            let object = match shape.object {
                Some(_) => self.field_child(id, shape.object),
                None => self.f.named_children(id).next(),
            }?;
            let member = match shape.member {
                Some(_) => self.field_child(id, shape.member),
                None => self.f.named_children(id).last(),
            }?;
            if object == member {
                return None;
            }
            let base = self.path_depth(object, depth + 1)?;
            return Some(format!("{base}.{}", self.text(member)));
        }
        if let Some(shape) = info.call(n.kind) {
            // Ruby `obj.attr`: a call without arguments on a receiver.
            let receiver = self.field_child(id, shape.receiver)?;
            if self.field_child(id, shape.arguments).is_some() {
                return None;
            }
            let method = self.field_child(id, shape.function)?;
            let base = self.path_depth(receiver, depth + 1)?;
            return Some(format!("{base}.{}", self.text(method)));
        }
        None
    }

    /// A path's own entry: `Some(Some(t))` tainted, `Some(None)` known clean, `None` no entry
    /// (then its object decides).
    fn own(&self, path: &str, st: &State) -> Option<Option<Taint>> {
        if let Some(t) = st.get(&format!("{path}[*]")) {
            if !is_clean(t) {
                return Some(Some(t.clone()));
            }
        }
        st.get(path).map(|t| (!is_clean(t)).then(|| t.clone()))
    }

    /// The taint of a path: its own, or that of an object it is a field of.
    fn lookup(&self, path: &str, st: &State) -> Option<Taint> {
        // A collection holding tainted elements is tainted.
        if let Some(t) = st.get(&format!("{path}[*]")) {
            if !is_clean(t) {
                return Some(t.clone());
            }
        }
        let mut end = path.len();
        loop {
            if let Some(t) = st.get(&path[..end]) {
                return (!is_clean(t)).then(|| t.clone());
            }
            match path[..end].rfind(['.', '[']) {
                Some(cut) if cut > 0 => end = cut,
                _ => return None,
            }
        }
    }

    fn source_at(&self, start: u32, end: u32) -> Option<(u32, u32)> {
        self.sources
            .iter()
            .find(|s| {
                s.side_effect != SideEffect::Only
                    && ((s.r.start == start && s.r.end == end)
                        || (!s.exact && s.r.start <= start && end <= s.r.end))
            })
            .map(|s| (s.r.start, s.r.end))
    }

    fn sanitized(&self, start: u32, end: u32) -> bool {
        self.sanitizers.iter().any(|s| {
            s.side_effect != SideEffect::Only
                && ((s.r.start == start && s.r.end == end)
                    || (!s.exact && s.r.start <= start && end <= s.r.end))
        })
    }

    /// Whether an expression carries tainted data, and from where.
    fn taint_of(&mut self, e: u32, st: &State) -> Option<Taint> {
        self.taint_in(e, st, false)
    }

    /// Whether a sink's code holds tainted data: a sink that is a call is checked inside even
    /// when calls are assumed safe.
    fn taint_in_sink(&mut self, e: u32, st: &State) -> Option<Taint> {
        self.taint_in(e, st, true)
    }

    fn taint_in(&mut self, e: u32, st: &State, sink: bool) -> Option<Taint> {
        let mut stack = vec![e];
        let info = self.info;
        while let Some(id) = stack.pop() {
            if !self.tick() {
                return None;
            }
            let n = *self.f.node(id);
            if n.flags & F_NAMED == 0 || n.flags & F_EXTRA != 0 {
                continue;
            }
            if self.sanitized(n.start, n.end) {
                continue;
            }
            if let Some(source) = self.source_at(n.start, n.end) {
                return Some(Taint {
                    source,
                    via: Vec::new(),
                });
            }
            // A function value is not tainted data, whatever its body reads.
            if info.has(
                n.kind,
                langinfo::FUNCTION | langinfo::LAMBDA | langinfo::CLASS,
            ) {
                continue;
            }
            if info.language == Language::Kotlin && info.has(n.kind, langinfo::STRING) {
                // The grammar keeps `$name` templates as text.
                if let Some(t) = self.template_names(id, st) {
                    return Some(t);
                }
            }
            if info.has(n.kind, langinfo::IDENT | langinfo::SELF_LIKE) {
                if let Some(t) = self.lookup(self.text(id), st) {
                    return Some(t);
                }
                continue;
            }
            if info.has(n.kind, langinfo::SUBSCRIPT) {
                if info.language == Language::Python
                    && self
                        .f
                        .named_children(id)
                        .any(|c| self.info.kind_name(self.f.node(c).kind) == "slice")
                {
                    // Semgrep does not carry taint through a slice (`argv[1:]`).
                    continue;
                }
                if let Some(path) = self.path_of(id) {
                    match st.get(&path) {
                        Some(t) if !is_clean(t) => return Some(t.clone()),
                        Some(_) => {
                            // The elements are known clean: only the index may carry taint.
                            let index: Vec<u32> = self.f.named_children(id).skip(1).collect();
                            stack.extend(index.into_iter().rev());
                            continue;
                        }
                        None => {}
                    }
                }
            }
            if let Some(shape) = info.member(n.kind).copied() {
                // The path's own entry; the object's taint is found below, so that a
                // sanitized object (`s.length` in `s.length.toString()`) is seen.
                if let Some(path) = self.path_of(id) {
                    match self.own(&path, st) {
                        Some(Some(t)) => return Some(t),
                        Some(None) => continue,
                        None => {}
                    }
                }
                let object = match shape.object {
                    Some(_) => self.field_child(id, shape.object),
                    None => self.f.named_children(id).next(),
                };
                if let Some(o) = object {
                    stack.push(o);
                }
                continue;
            }
            if let Some(shape) = info.call(n.kind).copied() {
                if let Some(path) = self.path_of(id) {
                    if let Some(t) = self.lookup(&path, st) {
                        return Some(t);
                    }
                }
                if self.assume_safe_functions && !(sink && id == e) {
                    continue;
                }
                let receiver = self.field_child(id, shape.receiver);
                let args = self.field_child(id, shape.arguments);
                let function = self.field_child(id, shape.function);
                let mut parts: Vec<u32> = Vec::new();
                if shape.receiver.is_none() || shape.function.is_none() {
                    // The callee is an expression (`obj.method`, `f`): look inside it.
                    parts.extend(self.f.named_children(id));
                } else {
                    parts.extend(receiver);
                    parts.extend(args);
                    if receiver.is_none() && args.is_none() {
                        parts.extend(self.f.named_children(id).filter(|&c| Some(c) != function));
                    }
                }
                for p in parts.into_iter().rev() {
                    stack.push(p);
                }
                continue;
            }
            // Keyword arguments and pairs: only the value matters.
            let kids: Vec<u32> = self.f.named_children(id).collect();
            // A conditional expression's value is one of its branches: the condition only
            // chooses (`"dark" if choice == "dark" else "light"` is clean), as in Semgrep.
            let conditional = matches!(
                info.kind_name(n.kind),
                "conditional_expression" | "ternary_expression" | "conditional"
            );
            // Python's conditional has no field names: `body if condition else alternative`.
            let unnamed_condition =
                (conditional && info.language == Language::Python && kids.len() == 3)
                    .then(|| kids[1]);
            for k in kids.into_iter().rev() {
                if Some(k) == unnamed_condition {
                    continue;
                }
                let kn = self.f.node(k);
                if conditional && kn.field != 0 && self.field_is(kn.field, &["condition"]) {
                    continue;
                }
                if kn.field != 0
                    && Some(kn.field) == info.field_name
                    && !info.has(n.kind, langinfo::DECLARATOR)
                    && info.assign(n.kind).is_none()
                {
                    continue;
                }
                stack.push(k);
            }
        }
        None
    }

    /// The taint of a `$name` template in a string's text.
    fn template_names(&self, id: u32, st: &State) -> Option<Taint> {
        let text = self.text(id).as_bytes();
        let mut i = 0;
        while i < text.len() {
            if text[i] == b'$' {
                let start = i + 1;
                let mut end = start;
                while end < text.len() && (text[end].is_ascii_alphanumeric() || text[end] == b'_') {
                    end += 1;
                }
                if end > start {
                    let name = std::str::from_utf8(&text[start..end]).unwrap_or("");
                    if let Some(t) = self.lookup(name, st) {
                        return Some(t);
                    }
                }
                i = end.max(i + 1);
            } else {
                i += 1;
            }
        }
        None
    }

    /// After a statement: propagators, and sources and sanitizers with side effects.
    fn side_effects(&mut self, s: u32, st: &mut State) {
        let n = *self.f.node(s);
        let inside = |a: u32, b: u32| n.start <= a && b <= n.end;
        let props: Vec<(u32, u32, bool)> = self
            .props
            .iter()
            .filter(|p| inside(p.start, p.end))
            .map(|p| (p.from, p.to, p.by_side_effect))
            .collect();
        for (from, to, by_side_effect) in props {
            if from == NONE || to == NONE {
                continue;
            }
            if let Some(t) = self.taint_of(from, st) {
                if by_side_effect {
                    self.assign(to, Some(t), st, true, 0);
                }
            }
        }
        let sources: Vec<(u32, (u32, u32))> = self
            .sources
            .iter()
            .filter(|x| x.side_effect != SideEffect::No && inside(x.r.start, x.r.end))
            .map(|x| (x.r.node, (x.r.start, x.r.end)))
            .collect();
        for (node, source) in sources {
            if node != NONE {
                let t = Taint {
                    source,
                    via: Vec::new(),
                };
                self.assign(node, Some(t), st, true, 0);
            }
        }
        let cleaned: Vec<u32> = self
            .sanitizers
            .iter()
            .filter(|x| x.side_effect != SideEffect::No && inside(x.r.start, x.r.end))
            .map(|x| x.r.node)
            .collect();
        for node in cleaned {
            if node != NONE {
                self.assign(node, None, st, false, 0);
            }
        }
    }
}
