//! Matching one compiled pattern against an indexed file.
//!
//! The matcher walks the pattern and the target together and backtracks: each step takes a
//! continuation that is called once per way the rest can match, so ellipses and metavariables
//! enumerate every binding (a later condition may need any of them). Recursion follows the
//! pattern, whose depth is bounded when it compiles; target-side searches (deep expressions,
//! statements after an ellipsis) are loops. Every step counts against a budget per file, so a
//! pathological pattern stops with a recorded overrun instead of running away.

use std::sync::Arc;

use crate::lang::Language;

use super::imports;
use super::index::{FileIndex, F_EXTRA, F_NAMED, NONE};
use super::langinfo::{self, EquivRule};
use super::pattern::{field_bit, string_content, CompiledPattern, PKind};

/// What a metavariable is bound to: a range of the file (a node, or a sequence of nodes) or,
/// for bindings made in a nested document (`metavariable-pattern` with `language`), text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Bound {
    pub start: u32,
    pub end: u32,
    /// The node, when the binding is exactly one node.
    pub node: u32,
    pub text: Option<Arc<str>>,
}

impl Bound {
    pub(crate) fn node(f: &FileIndex, id: u32) -> Bound {
        let n = f.node(id);
        Bound {
            start: n.start,
            end: n.end,
            node: id,
            text: None,
        }
    }

    pub(crate) fn range(start: u32, end: u32) -> Bound {
        Bound {
            start,
            end,
            node: NONE,
            text: None,
        }
    }

    pub(crate) fn text<'a>(&'a self, src: &'a [u8]) -> &'a [u8] {
        match &self.text {
            Some(t) => t.as_bytes(),
            None => src
                .get(self.start as usize..self.end as usize)
                .unwrap_or(&[]),
        }
    }
}

pub(crate) type Env = Vec<(u16, Bound)>;

pub(crate) fn env_get(env: &Env, id: u16) -> Option<&Bound> {
    env.iter().find(|(i, _)| *i == id).map(|(_, b)| b)
}

/// Whether two bindings hold the same code: the same tokens, comments and spacing aside.
pub(crate) fn same_code(f: &FileIndex, src: &[u8], a: &Bound, b: &Bound) -> bool {
    if a.text.is_none() && b.text.is_none() && a.start == b.start && a.end == b.end {
        return true;
    }
    if a.node != NONE && b.node != NONE && a.text.is_none() && b.text.is_none() {
        return same_tokens(f, src, a.node, b.node);
    }
    squeeze_eq(a.text(src), b.text(src))
}

/// Text equality ignoring ASCII whitespace.
fn squeeze_eq(a: &[u8], b: &[u8]) -> bool {
    let mut x = a.iter().filter(|c| !c.is_ascii_whitespace());
    let mut y = b.iter().filter(|c| !c.is_ascii_whitespace());
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(p), Some(q)) if p == q => {}
            _ => return false,
        }
    }
}

fn same_tokens(f: &FileIndex, src: &[u8], a: u32, b: u32) -> bool {
    let leaves = |id: u32| {
        let end = f.node(id).subtree_end;
        (id..end).filter(move |&i| {
            let n = f.node(i);
            n.subtree_end == i + 1 && n.flags & F_EXTRA == 0 && n.end > n.start
        })
    };
    let mut x = leaves(a);
    let mut y = leaves(b);
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(p), Some(q)) => {
                let (p, q) = (f.node(p), f.node(q));
                let tp = &src[p.start as usize..p.end as usize];
                let tq = &src[q.start as usize..q.end as usize];
                if tp != tq {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

/// A string literal node without interpolation.
pub(crate) fn is_plain_string(f: &FileIndex, id: u32) -> bool {
    let n = f.node(id);
    if !f.info.has(n.kind, langinfo::STRING) {
        return false;
    }
    f.children(id)
        .iter()
        .all(|&c| f.node(c).flags & F_NAMED == 0 || f.node(c).nchildren == 0)
}

/// The content range of a string literal node (inside its quotes).
pub(crate) fn string_range(f: &FileIndex, src: &[u8], id: u32) -> (u32, u32) {
    let n = f.node(id);
    let text = &src[n.start as usize..n.end as usize];
    let r = string_content(text);
    (n.start + r.start as u32, n.start + r.end as u32)
}

pub(crate) struct Matcher<'a> {
    pub f: &'a FileIndex,
    pub src: &'a [u8],
    pub p: &'a CompiledPattern,
    pub env: Env,
    /// Steps left before the budget runs out.
    pub fuel: u64,
    pub exhausted: bool,
    /// End of the last statement matched in a sequence.
    pub seq_end: u32,
}

type Cont<'c, 'a> = &'c mut dyn FnMut(&mut Matcher<'a>) -> bool;

impl<'a> Matcher<'a> {
    pub(crate) fn new(f: &'a FileIndex, src: &'a [u8], p: &'a CompiledPattern, fuel: u64) -> Self {
        Matcher {
            f,
            src,
            p,
            env: Vec::new(),
            fuel,
            exhausted: false,
            seq_end: 0,
        }
    }

    #[inline]
    fn tick(&mut self) -> bool {
        if self.fuel == 0 {
            self.exhausted = true;
            return false;
        }
        self.fuel -= 1;
        true
    }

    fn bind(&mut self, id: u16, b: Bound, k: Cont<'_, 'a>) -> bool {
        if let Some(old) = env_get(&self.env, id) {
            if same_code(self.f, self.src, old, &b) {
                return k(self);
            }
            return false;
        }
        let len = self.env.len();
        self.env.push((id, b));
        let stop = k(self);
        self.env.truncate(len);
        stop
    }

    /// Matches pattern node `p` against target node `t`; calls `k` for every way it matches.
    /// Returns true when `k` asked to stop (or the budget ran out).
    pub(crate) fn m(&mut self, p: u32, t: u32, k: Cont<'_, 'a>) -> bool {
        if !self.tick() {
            return true;
        }
        let pn = self.p.node(p);
        match pn.kind {
            PKind::Wild | PKind::Ellipsis => k(self),
            PKind::Mv(id) | PKind::MvSeq(id) => {
                // A keyword argument is not an expression.
                if self.f.info.has(self.f.node(t).kind, langinfo::UNORDERED) {
                    return false;
                }
                // Parentheses are not code of their own (Semgrep's trees drop them).
                let t = self.unparen(t, u16::MAX);
                let b = Bound::node(self.f, t);
                self.bind(id, b, k)
            }
            PKind::Deep => {
                let Some(&inner) = self.p.children(p).first() else {
                    return false;
                };
                let end = self.f.node(t).subtree_end;
                for d in t..end {
                    let n = self.f.node(d);
                    if n.flags & F_NAMED == 0 || n.flags & F_EXTRA != 0 {
                        continue;
                    }
                    if self.m(inner, d, k) {
                        return true;
                    }
                }
                false
            }
            PKind::AnyString => {
                let t = self.unparen(t, pn.ts_kind);
                let interpolated_ok =
                    pn.interpolated && self.f.info.has(self.f.node(t).kind, langinfo::STRING);
                if interpolated_ok || is_plain_string(self.f, t) {
                    k(self)
                } else {
                    false
                }
            }
            PKind::StringMv(id) => {
                let t = self.unparen(t, pn.ts_kind);
                if !is_plain_string(self.f, t) {
                    return false;
                }
                let (s, e) = string_range(self.f, self.src, t);
                self.bind(id, Bound::range(s, e), k)
            }
            PKind::StringLit => {
                let t = self.unparen(t, pn.ts_kind);
                if !is_plain_string(self.f, t) {
                    return false;
                }
                let (s, e) = string_range(self.f, self.src, t);
                if &self.src[s as usize..e as usize] == self.p.text(p) {
                    k(self)
                } else {
                    false
                }
            }
            PKind::Node => self.m_node(p, t, k),
        }
    }

    /// A parenthesised target stands for what it holds, unless the pattern asks for parens.
    fn unparen(&self, mut t: u32, pkind: u16) -> u32 {
        for _ in 0..64 {
            let n = self.f.node(t);
            if n.kind == pkind || !self.f.info.has(n.kind, langinfo::PAREN) {
                return t;
            }
            let mut named = self.f.named_children(t);
            match (named.next(), named.next()) {
                (Some(only), None) => t = only,
                _ => return t,
            }
        }
        t
    }

    fn m_node(&mut self, p: u32, t: u32, k: Cont<'_, 'a>) -> bool {
        let pn = self.p.node(p);
        let t = self.unparen(t, pn.ts_kind);
        let tn = *self.f.node(t);
        if !self.f.aliases.is_empty() {
            if !pn.dotted.is_empty() && self.aliased(p, t) {
                return k(self);
            }
            if self.f.info.member(pn.ts_kind).is_some() && self.aliased_member(p, t, k) {
                return true;
            }
        }
        if tn.kind != pn.ts_kind {
            return self.m_equiv(p, t, k);
        }
        let pch = self.p.children(p);
        if pch.is_empty() {
            if !pn.named {
                return k(self);
            }
            if pn.empty_container {
                return if tn.nchildren == 0 { k(self) } else { false };
            }
            let equal = if self.f.is_leaf(t) {
                &self.src[tn.start as usize..tn.end as usize] == self.p.text(p)
            } else {
                squeeze_eq(
                    &self.src[tn.start as usize..tn.end as usize],
                    self.p.text(p),
                )
            };
            return if equal { k(self) } else { false };
        }
        if self.f.info.has(pn.ts_kind, langinfo::BLOCK) {
            let hi = tn.subtree_end;
            return self.m_stmts(pch, t + 1, hi, true, t, k);
        }
        let is_string = self.f.info.has(pn.ts_kind, langinfo::STRING);
        let tch: Vec<u32>;
        let flatten = self
            .f
            .children(t)
            .iter()
            .any(|&c| self.f.info.has(self.f.node(c).kind, langinfo::FLATTEN));
        let tch: &[u32] = if flatten {
            tch = self.flattened(t);
            &tch
        } else if is_string {
            tch = self
                .f
                .children(t)
                .iter()
                .copied()
                .filter(|&c| {
                    !self.f.info.has(self.f.node(c).kind, langinfo::DELIM)
                        || self.f.node(c).flags & F_NAMED == 0
                })
                .collect();
            &tch
        } else {
            self.f.children(t)
        };
        let mask = pn.fields_mask;
        let structural = !self.f.info.has(pn.ts_kind, langinfo::LIST);
        if self.f.info.has(pn.ts_kind, langinfo::OPEN) {
            // `{a: 1}` matches an object with more fields.
            return self.m_open(pch, tch, k);
        }
        self.m_list(pch, tch, mask, structural, k)
    }

    /// Whether the target is an imported alias of the pattern's dotted name (`system` after
    /// `from os import system`, for `os.system`).
    fn aliased(&self, p: u32, t: u32) -> bool {
        // Cheap test first: the target's first name must be an alias.
        let mut first = t;
        for _ in 0..64 {
            match self.f.children(first).first() {
                Some(&c) => first = c,
                None => break,
            }
        }
        let n = self.f.node(first);
        let Ok(name) = std::str::from_utf8(&self.src[n.start as usize..n.end as usize]) else {
            return false;
        };
        if !self.f.aliases.contains_key(name) {
            return false;
        }
        let Some(dotted) = imports::target_dotted(self.f, self.src, t) else {
            return false;
        };
        let r = &self.p.node(p).dotted;
        let want = &self.p.text[r.start as usize..r.end as usize];
        imports::expand(&self.f.aliases, &dotted).is_some_and(|e| e.as_bytes() == want)
    }

    /// `hashlib.$H` against `md5` after `from hashlib import md5`: the pattern is a dotted
    /// prefix and a metavariable, the target an alias that expands to the prefix and one more
    /// name, which the metavariable binds. Returns true when `k` asked to stop.
    fn aliased_member(&mut self, p: u32, t: u32, k: Cont<'_, 'a>) -> bool {
        let named: Vec<u32> = self
            .p
            .children(p)
            .iter()
            .copied()
            .filter(|&c| self.p.node(c).named)
            .collect();
        let Some((&last, prefix)) = named.split_last() else {
            return false;
        };
        if !matches!(self.p.node(last).kind, PKind::Mv(_)) || prefix.is_empty() {
            return false;
        }
        let mut want = String::new();
        for &c in prefix {
            let r = &self.p.node(c).dotted;
            if r.is_empty() {
                return false;
            }
            if !want.is_empty() {
                want.push('.');
            }
            want.push_str(&String::from_utf8_lossy(
                &self.p.text[r.start as usize..r.end as usize],
            ));
        }
        let mut first = t;
        let mut last_leaf = t;
        for _ in 0..64 {
            match self.f.children(first).first() {
                Some(&c) => first = c,
                None => break,
            }
        }
        for _ in 0..64 {
            match self.f.children(last_leaf).last() {
                Some(&c) => last_leaf = c,
                None => break,
            }
        }
        let n = self.f.node(first);
        let Ok(name) = std::str::from_utf8(&self.src[n.start as usize..n.end as usize]) else {
            return false;
        };
        if !self.f.aliases.contains_key(name) {
            return false;
        }
        let Some(dotted) = imports::target_dotted(self.f, self.src, t) else {
            return false;
        };
        let Some(expanded) = imports::expand(&self.f.aliases, &dotted) else {
            return false;
        };
        let fits = expanded
            .strip_prefix(want.as_str())
            .and_then(|r| r.strip_prefix('.'))
            .is_some_and(|rest| !rest.is_empty() && !rest.contains('.'));
        fits && self.m(last, last_leaf, k)
    }

    /// The children of `t` with right-nested lists spliced in (iteratively).
    fn flattened(&self, t: u32) -> Vec<u32> {
        let mut out = Vec::new();
        let mut stack: Vec<u32> = self.f.children(t).iter().rev().copied().collect();
        while let Some(c) = stack.pop() {
            let n = self.f.node(c);
            if n.flags & F_NAMED != 0 && self.f.info.has(n.kind, langinfo::FLATTEN) {
                stack.extend(
                    self.f
                        .named_children(c)
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev(),
                );
            } else {
                out.push(c);
            }
        }
        out
    }

    /// Kinds that differ but mean the same (`$X = f()` and `const x = f()`), and parameters
    /// with types or defaults matched by their name.
    fn m_equiv(&mut self, p: u32, t: u32, k: Cont<'_, 'a>) -> bool {
        let pn = self.p.node(p);
        let tn = *self.f.node(t);
        let info = self.f.info;
        if info.has(tn.kind, langinfo::PARAM_WRAPPER) && pn.ts_kind == info.identifier {
            let name = info
                .field_name
                .and_then(|fid| self.f.child_by_field(t, fid))
                .or_else(|| {
                    self.f
                        .named_children(t)
                        .find(|&c| self.f.node(c).kind == info.identifier)
                });
            if let Some(name) = name {
                return self.m(p, name, k);
            }
            return false;
        }
        for eq in &info.equivalences {
            if eq.pattern != pn.ts_kind {
                continue;
            }
            match &eq.rule {
                EquivRule::Unwrap => {
                    let pch = self.p.children(p);
                    if pch.len() == 1 && !self.f.info.has(tn.kind, langinfo::LIST) {
                        let only = pch[0];
                        return self.m(only, t, k);
                    }
                }
                EquivRule::Fields(pairs) if eq.target == tn.kind => {
                    let pch: Vec<u32> = self.p.children(p).to_vec();
                    let mut pairs_found: Vec<(u32, u32)> = Vec::new();
                    for &(pf, tf) in pairs {
                        let pc = pch.iter().copied().find(|&c| self.p.node(c).field == pf);
                        let tc = self.f.child_by_field(t, tf);
                        match (pc, tc) {
                            (Some(pc), Some(tc)) => pairs_found.push((pc, tc)),
                            (None, _) => {}
                            (Some(pc), None) => {
                                if !self.p.node(pc).nullable {
                                    return false;
                                }
                            }
                        }
                    }
                    return self.m_pairs(&pairs_found, k);
                }
                EquivRule::Tag(field) if eq.target == tn.kind => {
                    let Some(tag) = self.f.child_by_field(t, *field) else {
                        return false;
                    };
                    let pch: Vec<u32> = self.p.children(p).to_vec();
                    let tch: Vec<u32> = self.f.children(tag).to_vec();
                    return self.m_open(&pch, &tch, k);
                }
                EquivRule::AnyChild(kinds) if eq.target == tn.kind => {
                    let pch = self.p.children(p);
                    if pch.len() != 1 {
                        return false;
                    }
                    let only = pch[0];
                    let candidates: Vec<u32> = self
                        .f
                        .children(t)
                        .iter()
                        .copied()
                        .filter(|&c| kinds.contains(&self.f.node(c).kind))
                        .collect();
                    for c in candidates {
                        if self.m(only, c, k) {
                            return true;
                        }
                    }
                    return false;
                }
                _ => {}
            }
        }
        false
    }

    fn m_pairs(&mut self, pairs: &[(u32, u32)], k: Cont<'_, 'a>) -> bool {
        match pairs.split_first() {
            None => k(self),
            Some((&(p, t), rest)) => self.m(p, t, &mut |m: &mut Matcher<'a>| m.m_pairs(rest, k)),
        }
    }

    /// Every pattern item matches a distinct target item, in any order; other target items are
    /// allowed.
    fn m_open(&mut self, ps: &[u32], ts: &[u32], k: Cont<'_, 'a>) -> bool {
        if !self.tick() {
            return true;
        }
        let Some((&p, prest)) = ps.split_first() else {
            return k(self);
        };
        // Ellipses add nothing here, and tokens (`<`, `/>`) are not parts.
        if matches!(self.p.node(p).kind, PKind::Ellipsis) || !self.p.node(p).named {
            return self.m_open(prest, ts, k);
        }
        let field = self.p.node(p).field;
        for j in 0..ts.len() {
            // A part with a field (a tag's name) matches the part with the same field.
            if field != 0 && self.f.node(ts[j]).field != field {
                continue;
            }
            let rest: Vec<u32> = ts[..j].iter().chain(&ts[j + 1..]).copied().collect();
            if self.m(p, ts[j], &mut |m: &mut Matcher<'a>| {
                m.m_open(prest, &rest, k)
            }) {
                return true;
            }
        }
        false
    }

    /// Whether a target child may be left unmatched inside a node of the same kind.
    fn skippable(&self, t: u32, mask: u64) -> bool {
        let n = self.f.node(t);
        if n.flags & F_NAMED == 0 {
            return self.f.info.has(n.kind, langinfo::SKIP_TOKEN);
        }
        if n.field != 0 && mask & field_bit(n.field) == 0 && self.f.info.optional_field(n.field) {
            return true;
        }
        self.f.info.has(n.kind, langinfo::SKIP_KIND)
    }

    /// Matches pattern children against target children, in order, with ellipses, keyword
    /// arguments found anywhere, and (in `structural` nodes) optional target parts skipped.
    fn m_list(
        &mut self,
        ps: &[u32],
        ts: &[u32],
        mask: u64,
        structural: bool,
        k: Cont<'_, 'a>,
    ) -> bool {
        if !self.tick() {
            return true;
        }
        let Some((&p, prest)) = ps.split_first() else {
            if ts.iter().all(|&t| structural && self.skippable(t, mask)) {
                return k(self);
            }
            return false;
        };
        let pn = self.p.node(p);
        match pn.kind {
            PKind::Ellipsis => {
                if prest.is_empty() {
                    return k(self);
                }
                for i in 0..=ts.len() {
                    if self.m_list(prest, &ts[i..], mask, structural, k) {
                        return true;
                    }
                }
                false
            }
            PKind::MvSeq(id) => {
                for i in 0..=ts.len() {
                    let b = match (ts.first(), i) {
                        (_, 0) | (None, _) => {
                            let at = ts.first().map_or(0, |&t| self.f.node(t).start);
                            Bound::range(at, at)
                        }
                        (Some(&first), _) => {
                            let last = ts[i - 1];
                            if i == 1 {
                                Bound::node(self.f, first)
                            } else {
                                Bound::range(self.f.node(first).start, self.f.node(last).end)
                            }
                        }
                    };
                    let rest = &ts[i..];
                    if self.bind(id, b, &mut |m: &mut Matcher<'a>| {
                        m.m_list(prest, rest, mask, structural, k)
                    }) {
                        return true;
                    }
                }
                false
            }
            _ if pn.unordered => {
                let pkind = pn.ts_kind;
                for j in 0..ts.len() {
                    if self.f.node(ts[j]).kind != pkind {
                        continue;
                    }
                    let rest: Vec<u32> = ts[..j].iter().chain(&ts[j + 1..]).copied().collect();
                    let t = ts[j];
                    if self.m(p, t, &mut |m: &mut Matcher<'a>| {
                        m.m_list(prest, &rest, mask, structural, k)
                    }) {
                        return true;
                    }
                }
                false
            }
            _ => {
                let nullable = pn.nullable;
                // Optional target parts are skipped in a loop, not by recursion.
                for j in 0..ts.len() {
                    let t = ts[j];
                    let trest = &ts[j + 1..];
                    if self.m(p, t, &mut |m: &mut Matcher<'a>| {
                        m.m_list(prest, trest, mask, structural, k)
                    }) {
                        return true;
                    }
                    if !(structural && self.skippable(t, mask)) {
                        break;
                    }
                }
                if nullable {
                    return self.m_list(prest, ts, mask, structural, k);
                }
                false
            }
        }
    }

    /// The first statement at or after pre-order position `pos`, before `hi`, not inside a
    /// nested function or class.
    fn next_stmt(&self, mut pos: u32, hi: u32) -> Option<u32> {
        while pos < hi {
            if self.f.is_statement(pos) {
                return Some(pos);
            }
            let n = self.f.node(pos);
            let info = self.f.info;
            if info.has(
                n.kind,
                langinfo::FUNCTION | langinfo::LAMBDA | langinfo::CLASS,
            ) {
                pos = n.subtree_end;
            } else {
                pos += 1;
            }
        }
        None
    }

    /// Statement sequences. Target statements are visited in the order of the block flattened
    /// (Semgrep's semantics): after an ellipsis the next pattern statement may match a
    /// statement nested in a later one (`a(); ... b();` matches `a(); if (c) { b(); }`).
    /// `whole`: the pattern must account for every statement up to `hi`.
    pub(crate) fn m_stmts(
        &mut self,
        ps: &[u32],
        pos: u32,
        hi: u32,
        whole: bool,
        region: u32,
        k: Cont<'_, 'a>,
    ) -> bool {
        if !self.tick() {
            return true;
        }
        let Some((&p, prest)) = ps.split_first() else {
            if whole && self.next_stmt(pos, hi).is_some() {
                return false;
            }
            return k(self);
        };
        let pn = self.p.node(p);
        match pn.kind {
            PKind::Ellipsis | PKind::MvSeq(_) => {
                let seq = if let PKind::MvSeq(id) = pn.kind {
                    Some(id)
                } else {
                    None
                };
                let first = self.next_stmt(pos, hi);
                if prest.is_empty() {
                    // A trailing ellipsis takes the rest of the region.
                    let saved = self.seq_end;
                    let last_end = self.last_stmt_end(region, hi).unwrap_or(saved);
                    self.seq_end = saved.max(last_end);
                    let stop = match (seq, first) {
                        (Some(id), Some(fst)) => {
                            let b = Bound::range(
                                self.f.node(fst).start,
                                last_end.max(self.f.node(fst).start),
                            );
                            self.bind(id, b, k)
                        }
                        (Some(id), None) => self.bind(id, Bound::range(saved, saved), k),
                        _ => k(self),
                    };
                    self.seq_end = saved;
                    return stop;
                }
                let next = prest[0];
                if matches!(self.p.node(next).kind, PKind::Ellipsis) && seq.is_none() {
                    return self.m_stmts(prest, pos, hi, whole, region, k);
                }
                let mut cur = first;
                while let Some(s) = cur {
                    let saved = self.seq_end;
                    let sn = *self.f.node(s);
                    let run = |m: &mut Matcher<'a>, k: Cont<'_, 'a>| -> bool {
                        m.m_stmt(next, s, &mut |m: &mut Matcher<'a>| {
                            let saved = m.seq_end;
                            // A statement found nested in a later one: the range covers the
                            // enclosing statement of the sequence.
                            m.seq_end = stmt_end(m.f, m.src, m.top_stmt(s, region));
                            let stop = m.m_stmts(&prest[1..], sn.subtree_end, hi, whole, region, k);
                            m.seq_end = saved;
                            stop
                        })
                    };
                    let stop = match seq {
                        Some(id) => {
                            let from = first.map_or(sn.start, |f| self.f.node(f).start);
                            let b = Bound::range(from, sn.start.max(from));
                            self.bind(id, b, &mut |m: &mut Matcher<'a>| run(m, k))
                        }
                        None => run(self, k),
                    };
                    self.seq_end = saved;
                    if stop {
                        return true;
                    }
                    cur = self.next_stmt(s + 1, hi);
                }
                false
            }
            _ => {
                let Some(s) = self.next_stmt(pos, hi) else {
                    return pn.nullable && self.m_stmts(prest, pos, hi, whole, region, k);
                };
                let sn = *self.f.node(s);
                let stop = self.m_stmt(p, s, &mut |m: &mut Matcher<'a>| {
                    let saved = m.seq_end;
                    m.seq_end = stmt_end(m.f, m.src, s);
                    let stop = m.m_stmts(prest, sn.subtree_end, hi, whole, region, k);
                    m.seq_end = saved;
                    stop
                });
                if stop {
                    return true;
                }
                pn.nullable && self.m_stmts(prest, pos, hi, whole, region, k)
            }
        }
    }

    /// One statement of a sequence. An expression statement (`b();`) also matches a simple
    /// statement holding the expression anywhere (`x = b();`, `return b();`), as in Semgrep;
    /// not the condition of an `if` or a loop.
    fn m_stmt(&mut self, p: u32, s: u32, k: Cont<'_, 'a>) -> bool {
        if self.m(p, s, k) {
            return true;
        }
        let pn = self.p.node(p);
        if pn.kind != PKind::Node {
            return false;
        }
        let info = self.f.info;
        let inner = if pn.ts_kind == info.expression_statement {
            match self.p.children(p) {
                [only] => *only,
                _ => return false,
            }
        } else if info.expression_statement == u16::MAX && info.call(pn.ts_kind).is_some() {
            p
        } else {
            return false;
        };
        let inner_kind = self.p.node(inner).ts_kind;
        if self.p.node(inner).kind != PKind::Node || self.is_compound_stmt(s) {
            return false;
        }
        let end = self.f.node(s).subtree_end;
        let mut d = s + 1;
        while d < end {
            let n = *self.f.node(d);
            if info.has(
                n.kind,
                langinfo::FUNCTION | langinfo::LAMBDA | langinfo::CLASS,
            ) {
                d = n.subtree_end;
                continue;
            }
            if n.kind == inner_kind && self.m(inner, d, k) {
                return true;
            }
            d += 1;
        }
        false
    }

    /// Statements that hold other statements or are declarations of functions and classes.
    fn is_compound_stmt(&self, s: u32) -> bool {
        let info = self.f.info;
        let kind = self.f.node(s).kind;
        if info.has(
            kind,
            langinfo::BRANCH
                | langinfo::LOOP
                | langinfo::FUNCTION
                | langinfo::CLASS
                | langinfo::BLOCK,
        ) {
            return true;
        }
        self.f.named_children(s).any(|c| {
            let ck = self.f.node(c).kind;
            info.has(ck, langinfo::BLOCK)
                || self
                    .f
                    .named_children(c)
                    .any(|g| info.has(self.f.node(g).kind, langinfo::BLOCK))
        })
    }

    /// The ancestor of `s` that is a direct child of `region` (or `s` itself).
    fn top_stmt(&self, s: u32, region: u32) -> u32 {
        let mut cur = s;
        for _ in 0..10_000 {
            let parent = self.f.node(cur).parent;
            if parent == region || parent == NONE {
                return cur;
            }
            cur = parent;
        }
        s
    }

    /// The end of the last statement directly in `region` (a block) before `hi`.
    fn last_stmt_end(&self, region: u32, hi: u32) -> Option<u32> {
        self.f
            .children(region)
            .iter()
            .rev()
            .copied()
            .find(|&c| c < hi && self.f.is_statement(c))
            .map(|c| self.f.node(c).end)
    }
}

/// One way a pattern matched: its range, the node (for single-node matches) and bindings.
#[derive(Debug, Clone)]
pub(crate) struct RawMatch {
    pub start: u32,
    pub end: u32,
    pub node: u32,
    pub env: Env,
}

/// How many different binding sets one match site may produce.
const MAX_PER_SITE: usize = 32;

/// Every match of `p` in the file, within `scope` (a byte range) when given.
pub(crate) fn find_all(
    f: &FileIndex,
    src: &[u8],
    p: &CompiledPattern,
    scope: Option<(u32, u32)>,
    fuel: &mut u64,
    exhausted: &mut bool,
) -> Vec<RawMatch> {
    let mut out: Vec<RawMatch> = Vec::new();
    if f.nodes.is_empty() || p.roots.is_empty() {
        return out;
    }
    let mut m = Matcher::new(f, src, p, *fuel);
    let in_scope = |id: u32| {
        scope.is_none_or(|(s, e)| {
            let n = f.node(id);
            s <= n.start && n.end <= e
        })
    };
    let sequence = p.roots.len() > 1;
    // Leading ellipses of a statement sequence do not change what it matches.
    let roots: Vec<u32> = if sequence {
        let skip = p
            .roots
            .iter()
            .take_while(|&&r| p.node(r).kind == PKind::Ellipsis)
            .count();
        p.roots[skip..].to_vec()
    } else {
        p.roots.clone()
    };
    let Some(&first) = roots.first() else {
        return out;
    };
    let candidates = candidates(f, p, first);
    let limit = if p.binds { MAX_PER_SITE } else { 1 };
    for t in candidates {
        if !in_scope(t) {
            continue;
        }
        if sequence && !f.is_statement(t) {
            continue;
        }
        let tn = *f.node(t);
        let mut site: Vec<RawMatch> = Vec::new();
        if sequence {
            let parent = tn.parent;
            let hi = f.node(parent).subtree_end;
            let rest = &roots[1..];
            m.m(first, t, &mut |m: &mut Matcher<'_>| {
                m.seq_end = stmt_end(m.f, m.src, t);
                m.m_stmts(
                    rest,
                    tn.subtree_end,
                    hi,
                    false,
                    parent,
                    &mut |m: &mut Matcher<'_>| {
                        let r = RawMatch {
                            start: tn.start,
                            end: m.seq_end.max(stmt_end(m.f, m.src, t)),
                            node: NONE,
                            env: m.env.clone(),
                        };
                        if !site.iter().any(|x| x.end == r.end && x.env == r.env) {
                            site.push(r);
                        }
                        site.len() >= limit
                    },
                )
            });
        } else {
            let (mut start, mut end) = match_range(f, src, t);
            if p.as_statement
                && tn.parent != NONE
                && f.node(tn.parent).kind == f.info.expression_statement
            {
                let parent = f.node(tn.parent);
                start = parent.start;
                end = parent.end;
            }
            m.m(first, t, &mut |m: &mut Matcher<'_>| {
                if !site.iter().any(|x| x.env == m.env) {
                    site.push(RawMatch {
                        start,
                        end,
                        node: t,
                        env: m.env.clone(),
                    });
                }
                site.len() >= limit
            });
        }
        out.extend(site);
        if m.exhausted {
            break;
        }
    }
    *fuel = m.fuel;
    *exhausted |= m.exhausted;
    out
}

/// The range reported for a match at `t`: a decorated definition includes its decorators.
fn match_range(f: &FileIndex, src: &[u8], t: u32) -> (u32, u32) {
    let n = f.node(t);
    if n.parent != NONE && f.info.has(f.node(n.parent).kind, langinfo::DECORATED) {
        let p = f.node(n.parent);
        return (p.start, p.end);
    }
    (n.start, stmt_end(f, src, t))
}

/// Where a statement ends as Semgrep reports it: JavaScript declarations without their `;`.
pub(crate) fn stmt_end(f: &FileIndex, src: &[u8], t: u32) -> u32 {
    let n = f.node(t);
    if matches!(
        f.language,
        Language::JavaScript | Language::TypeScript | Language::Tsx
    ) && f.info.has(n.kind, langinfo::DECL_STMT)
        && n.end > n.start
        && src.get(n.end as usize - 1) == Some(&b';')
    {
        return n.end - 1;
    }
    n.end
}

/// The target nodes a pattern root can match, in document order.
fn candidates(f: &FileIndex, p: &CompiledPattern, root: u32) -> Vec<u32> {
    let pn = p.node(root);
    let info = f.info;
    match pn.kind {
        PKind::Node | PKind::StringLit | PKind::AnyString | PKind::StringMv(_) => {
            let mut kinds: Vec<u16> = vec![pn.ts_kind];
            if matches!(
                pn.kind,
                PKind::StringLit | PKind::AnyString | PKind::StringMv(_)
            ) {
                kinds = (0..info.kind_count() as u16)
                    .filter(|&k| info.has(k, langinfo::STRING))
                    .collect();
            }
            for eq in &info.equivalences {
                if eq.pattern == pn.ts_kind && eq.target != u16::MAX && !kinds.contains(&eq.target)
                {
                    kinds.push(eq.target);
                }
            }
            if pn.ts_kind == info.identifier {
                for k in 0..info.kind_count() as u16 {
                    if info.has(k, langinfo::PARAM_WRAPPER) && !kinds.contains(&k) {
                        kinds.push(k);
                    }
                }
            }
            if kinds.len() == 1 {
                return f.of_kind(kinds[0]).to_vec();
            }
            let mut all: Vec<u32> = kinds
                .iter()
                .flat_map(|&k| f.of_kind(k).iter().copied())
                .collect();
            all.sort_unstable();
            all
        }
        _ => (0..f.nodes.len() as u32)
            .filter(|&i| {
                let n = f.node(i);
                n.flags & F_NAMED != 0 && n.flags & F_EXTRA == 0
            })
            .collect(),
    }
}
