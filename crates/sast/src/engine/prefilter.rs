//! Skipping files a rule cannot match: every pattern needs some identifiers and strings to be
//! in the file (`os.system(...)` needs `os` and `system`), so a rule is a boolean formula over
//! literals (`pattern-either` is OR, `patterns` is AND over its positive terms, a regex needs
//! nothing). One Aho-Corasick pass over a file finds which literals of all rules occur.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::lang::Language;

use super::formula::CFormula;
use super::CompiledRule;

/// What a file must contain for a formula to match: literal indices into the rule's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Req {
    True,
    False,
    Lit(u32),
    And(Vec<Req>),
    Or(Vec<Req>),
}

impl Req {
    pub(crate) fn and(items: Vec<Req>) -> Req {
        let mut out = Vec::new();
        for i in items {
            match i {
                Req::True => {}
                Req::False => return Req::False,
                Req::And(inner) => out.extend(inner),
                other => out.push(other),
            }
        }
        match out.len() {
            0 => Req::True,
            1 => out.pop().unwrap_or(Req::True),
            _ => Req::And(out),
        }
    }

    pub(crate) fn or(items: Vec<Req>) -> Req {
        let mut out = Vec::new();
        for i in items {
            match i {
                Req::True => return Req::True,
                Req::False => {}
                Req::Or(inner) => out.extend(inner),
                other => out.push(other),
            }
        }
        match out.len() {
            0 => Req::False,
            1 => out.pop().unwrap_or(Req::True),
            _ => Req::Or(out),
        }
    }

    pub(crate) fn eval(&self, has: &mut dyn FnMut(u32) -> bool) -> bool {
        match self {
            Req::True => true,
            Req::False => false,
            Req::Lit(i) => has(*i),
            Req::And(items) => items.iter().all(|i| i.eval(has)),
            Req::Or(items) => items.iter().any(|i| i.eval(has)),
        }
    }

    fn remap(&self, map: &[u32]) -> Req {
        match self {
            Req::True => Req::True,
            Req::False => Req::False,
            Req::Lit(i) => Req::Lit(map.get(*i as usize).copied().unwrap_or(0)),
            Req::And(items) => Req::And(items.iter().map(|i| i.remap(map)).collect()),
            Req::Or(items) => Req::Or(items.iter().map(|i| i.remap(map)).collect()),
        }
    }
}

/// Builds the requirement of a formula, adding its literals to `lits`.
pub(crate) fn requirement(f: &CFormula, lits: &mut Vec<Vec<u8>>) -> Req {
    let lit = |text: &[u8], lits: &mut Vec<Vec<u8>>| -> Req {
        if let Some(i) = lits.iter().position(|l| l == text) {
            return Req::Lit(i as u32);
        }
        lits.push(text.to_vec());
        Req::Lit((lits.len() - 1) as u32)
    };
    match f {
        CFormula::Pattern(p) => {
            // The longest few literals carry almost all the selectivity.
            let mut chosen: Vec<&Vec<u8>> = p.literals.iter().collect();
            chosen.sort_by_key(|l| std::cmp::Reverse(l.len()));
            chosen.truncate(4);
            Req::and(chosen.into_iter().map(|l| lit(l, lits)).collect())
        }
        CFormula::Never => Req::False,
        CFormula::Regex(_) => Req::True,
        CFormula::Any(items) => Req::or(items.iter().map(|i| requirement(i, lits)).collect()),
        CFormula::Inside(inner) => requirement(inner, lits),
        CFormula::All(conj) => Req::and(
            conj.positives
                .iter()
                .map(|p| requirement(p, lits))
                .collect(),
        ),
    }
}

/// The literals of many rules in one automaton; build it once per scan.
pub struct Prefilter {
    ac: Option<AhoCorasick>,
    /// Per rule: per file language, the requirement over global literal ids.
    rules: Vec<Vec<(Option<Language>, Req)>>,
    literal_count: usize,
}

/// Which literals one file contains; see [`Prefilter::scan`].
#[derive(Debug, Clone)]
pub struct PrefilterHits {
    found: Vec<bool>,
}

impl Prefilter {
    /// Prepares the literals of `rules`; rule `i` of the slice is rule `i` in
    /// [`Prefilter::may_match`].
    pub fn new(rules: &[&CompiledRule]) -> Prefilter {
        let mut literals: Vec<Vec<u8>> = Vec::new();
        // Literal text → its global id: rules share many literals (`request`, `open`).
        let mut ids: HashMap<&[u8], u32> = HashMap::new();
        let mut out = Vec::with_capacity(rules.len());
        for rule in rules {
            let map: Vec<u32> = rule
                .literals
                .iter()
                .map(|l| {
                    *ids.entry(l.as_slice()).or_insert_with(|| {
                        literals.push(l.clone());
                        (literals.len() - 1) as u32
                    })
                })
                .collect();
            out.push(
                rule.requirements
                    .iter()
                    .map(|(lang, req)| (*lang, req.remap(&map)))
                    .collect(),
            );
        }
        let ac = if literals.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .build(&literals)
                .ok()
        };
        Prefilter {
            ac,
            rules: out,
            literal_count: literals.len(),
        }
    }

    /// Finds which literals `source` contains (one pass over it).
    pub fn scan(&self, source: &[u8]) -> PrefilterHits {
        let mut found = vec![false; self.literal_count];
        if let Some(ac) = &self.ac {
            let mut left = self.literal_count;
            for m in ac.find_overlapping_iter(source) {
                let i = m.pattern().as_usize();
                if !found[i] {
                    found[i] = true;
                    left -= 1;
                    if left == 0 {
                        break;
                    }
                }
            }
        }
        PrefilterHits { found }
    }

    /// Whether rule `rule` (its index in [`Prefilter::new`]) can match a file of `lang` with
    /// these hits. `false` is certain: the rule cannot match; `true` means run it.
    pub fn may_match(&self, hits: &PrefilterHits, rule: usize, lang: Option<Language>) -> bool {
        let Some(reqs) = self.rules.get(rule) else {
            return true;
        };
        let mut has = |i: u32| hits.found.get(i as usize).copied().unwrap_or(true);
        reqs.iter()
            .filter(|(l, _)| l.is_none() || lang.is_none() || *l == lang)
            .any(|(_, req)| req.eval(&mut has))
            || reqs.is_empty()
    }
}
