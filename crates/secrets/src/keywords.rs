//! The keyword pass: every occurrence of every rule keyword in a buffer, ASCII case-insensitively,
//! in order of position.
//!
//! The keywords are minimised first (no keyword contains another, see `engine::minimize_keywords`),
//! so at most one keyword ends at any byte and the occurrences ordered by end are also ordered by
//! start. That lets one Aho-Corasick DFA built here report them all with one table lookup per byte
//! and no restarts: each state knows the one keyword, if any, that ends in it.
//!
//! A DFA's speed is bounded by the latency of its dependent table lookups, not by the processor's
//! throughput, so a large buffer is cut into [`STREAMS`] parts that are run interleaved in one
//! loop: the lookups of different parts do not wait for each other. Each part but the first starts
//! [`KeywordDfa::max_len`] bytes early from the start state, which is enough to be in the same
//! state as a single pass would be by the time it reaches its own first byte (a state is the
//! longest suffix of the input that is a prefix of a keyword, never longer than the longest
//! keyword). Each part reports only the keywords that end inside it, so every occurrence is
//! reported once, and the parts' reports concatenated are in order.
//!
//! Keyword sets this DFA does not take (one keyword inside another, an empty keyword, or a table
//! larger than [`MAX_TABLE`]) go through the `aho-corasick` crate instead, with the same results.

use aho_corasick::{AhoCorasick, AhoCorasickKind, BuildError, Input, MatchKind};

/// How many parts of a buffer the DFA runs interleaved.
const STREAMS: usize = 3;
/// Buffers shorter than this many bytes per part are run in one part.
const MIN_PART: usize = 256;
/// Largest transition table (entries of 4 bytes) the DFA is built with.
const MAX_TABLE: usize = 8 << 20;
const NONE: u32 = u32::MAX;

/// One keyword occurrence: `start..end` in the buffer, and the keyword's index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub keyword: usize,
}

/// Reusable buffers of [`Keywords::find_all`].
#[derive(Debug, Default)]
pub struct Hits {
    all: Vec<Hit>,
    parts: [Vec<Hit>; STREAMS],
}

impl Hits {
    /// The hits of the last search, in order of position.
    pub fn as_slice(&self) -> &[Hit] {
        &self.all
    }
}

/// Finds keyword occurrences; see the module documentation.
#[derive(Debug)]
pub struct Keywords {
    inner: Inner,
}

#[derive(Debug)]
enum Inner {
    Dfa(Box<KeywordDfa>),
    /// The fallback: searches restart one byte after each hit's start, which finds every
    /// occurrence when no keyword contains another, and every non-overlapping one otherwise.
    Automaton(AhoCorasick),
}

impl Keywords {
    /// Builds the matcher over `patterns`, compared ASCII case-insensitively.
    pub fn new(patterns: &[String]) -> Result<Self, BuildError> {
        if let Some(dfa) = KeywordDfa::new(patterns) {
            return Ok(Keywords {
                inner: Inner::Dfa(Box::new(dfa)),
            });
        }
        Self::with_automaton(patterns)
    }

    /// Builds the matcher on the `aho-corasick` crate whatever the keywords.
    pub fn with_automaton(patterns: &[String]) -> Result<Self, BuildError> {
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(patterns)
            .or_else(|_| {
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .build(patterns)
            })?;
        Ok(Keywords {
            inner: Inner::Automaton(ac),
        })
    }

    /// Whether the keywords run on this module's own DFA.
    #[cfg(test)]
    pub fn is_dfa(&self) -> bool {
        matches!(self.inner, Inner::Dfa(_))
    }

    /// Every occurrence in `data`, into `hits` (replacing what it held), ordered by end.
    pub fn find_all(&self, data: &[u8], hits: &mut Hits) {
        hits.all.clear();
        match &self.inner {
            Inner::Dfa(dfa) => dfa.find_all(data, hits),
            Inner::Automaton(ac) => {
                let mut at = 0;
                while at < data.len() {
                    let Some(m) = ac.find(Input::new(data).span(at..data.len())) else {
                        break;
                    };
                    at = m.start() + 1;
                    hits.all.push(Hit {
                        start: m.start(),
                        end: m.end(),
                        keyword: m.pattern().as_usize(),
                    });
                }
            }
        }
    }
}

/// An Aho-Corasick DFA over byte classes, whose states that end a keyword are numbered last.
#[derive(Debug)]
struct KeywordDfa {
    /// The class of each byte: one per distinct (lowercased) byte of the keywords, the upper case
    /// of a letter in the class of its lower case, and class 0 for every other byte.
    classes: [u8; 256],
    stride: usize,
    /// `state * stride + class` → next state, premultiplied by `stride`. State 0 is the start.
    trans: Vec<u32>,
    /// The first state (premultiplied) that ends a keyword; every state from it on does.
    first_match: u32,
    /// For each state from `first_match` on: the keyword it ends.
    matches: Vec<u32>,
    lens: Vec<usize>,
    max_len: usize,
}

impl KeywordDfa {
    /// `None` when the keywords do not suit it (see the module documentation).
    fn new(patterns: &[String]) -> Option<Self> {
        if patterns.is_empty() || patterns.iter().any(|p| p.is_empty()) {
            return None;
        }
        let mut classes = [0u8; 256];
        let mut stride = 1usize;
        for p in patterns {
            for &b in p.as_bytes() {
                let lower = b.to_ascii_lowercase();
                if classes[lower as usize] == 0 {
                    let class = u8::try_from(stride).ok()?;
                    classes[lower as usize] = class;
                    classes[lower.to_ascii_uppercase() as usize] = class;
                    stride += 1;
                }
            }
        }
        // The trie: `goto[state * stride + class]`, NONE where there is no edge.
        let mut goto: Vec<u32> = vec![NONE; stride];
        let mut own: Vec<u32> = vec![NONE];
        for (i, p) in patterns.iter().enumerate() {
            let mut s = 0usize;
            for &b in p.as_bytes() {
                if own[s] != NONE {
                    return None; // a keyword starts another
                }
                let at = s * stride + classes[b as usize] as usize;
                if goto[at] == NONE {
                    if goto.len() + stride > MAX_TABLE {
                        return None;
                    }
                    goto[at] = own.len() as u32;
                    own.push(NONE);
                    goto.extend(std::iter::repeat_n(NONE, stride));
                }
                s = goto[at] as usize;
            }
            if own[s] != NONE
                || goto[s * stride..(s + 1) * stride]
                    .iter()
                    .any(|&t| t != NONE)
            {
                return None; // a duplicate, or a keyword that starts another
            }
            own[s] = u32::try_from(i).ok()?;
        }
        let states = own.len();
        // Breadth first: failure links, the keyword each state ends, and the full transitions
        // (`goto` becomes the DFA in place; a state's failure state is always finished before it).
        let mut fail = vec![0u32; states];
        let mut ends = own.clone();
        let mut order = Vec::with_capacity(states);
        order.push(0usize);
        for t in &mut goto[..stride] {
            match *t {
                NONE => *t = 0,
                child => order.push(child as usize),
            }
        }
        let mut next = 1;
        while next < order.len() {
            let s = order[next];
            next += 1;
            let f = fail[s] as usize;
            if own[s] == NONE {
                ends[s] = ends[f];
            } else if ends[f] != NONE {
                return None; // one keyword inside another
            }
            for c in 0..stride {
                let through_fail = goto[f * stride + c];
                let at = s * stride + c;
                if goto[at] == NONE {
                    goto[at] = through_fail;
                } else {
                    let child = goto[at] as usize;
                    fail[child] = through_fail;
                    order.push(child);
                }
            }
        }
        // Renumber: the start state first, then the states that end nothing, then the others.
        let mut renumbered: Vec<usize> =
            order.iter().copied().filter(|&s| ends[s] == NONE).collect();
        let first_match = renumbered.len();
        renumbered.extend(order.iter().copied().filter(|&s| ends[s] != NONE));
        let mut new_id = vec![0u32; states];
        for (i, &s) in renumbered.iter().enumerate() {
            new_id[s] = u32::try_from(i * stride).ok()?;
        }
        let mut trans = Vec::with_capacity(states * stride);
        for &s in &renumbered {
            trans.extend(
                goto[s * stride..(s + 1) * stride]
                    .iter()
                    .map(|&t| new_id[t as usize]),
            );
        }
        Some(KeywordDfa {
            classes,
            stride,
            trans,
            first_match: u32::try_from(first_match * stride).ok()?,
            matches: renumbered[first_match..].iter().map(|&s| ends[s]).collect(),
            lens: patterns.iter().map(String::len).collect(),
            max_len: patterns.iter().map(String::len).max().unwrap_or(0),
        })
    }

    #[inline(always)]
    fn step(&self, state: u32, byte: u8) -> u32 {
        self.trans[state as usize + self.classes[byte as usize] as usize]
    }

    /// The hit of a keyword that ends in `state` at byte `at`.
    #[inline(always)]
    fn hit(&self, state: u32, at: usize) -> Hit {
        let keyword = self.matches[(state - self.first_match) as usize / self.stride] as usize;
        Hit {
            start: at + 1 - self.lens[keyword],
            end: at + 1,
            keyword,
        }
    }

    fn find_all(&self, data: &[u8], hits: &mut Hits) {
        let n = data.len();
        if n < STREAMS * MIN_PART {
            let mut s = 0;
            for (i, &b) in data.iter().enumerate() {
                s = self.step(s, b);
                if s >= self.first_match {
                    hits.all.push(self.hit(s, i));
                }
            }
            return;
        }
        let part = n / STREAMS;
        let mut states = [0u32; STREAMS];
        for (k, state) in states.iter_mut().enumerate().skip(1) {
            let from = k * part;
            for &b in &data[from.saturating_sub(self.max_len)..from] {
                *state = self.step(*state, b);
            }
        }
        for p in hits.parts.iter_mut() {
            p.clear();
        }
        for i in 0..part {
            for (k, state) in states.iter_mut().enumerate() {
                *state = self.step(*state, data[k * part + i]);
            }
            for (k, &state) in states.iter().enumerate() {
                if state >= self.first_match {
                    hits.parts[k].push(self.hit(state, k * part + i));
                }
            }
        }
        let last = STREAMS - 1;
        let mut s = states[last];
        for (i, &b) in data.iter().enumerate().skip(STREAMS * part) {
            s = self.step(s, b);
            if s >= self.first_match {
                hits.parts[last].push(self.hit(s, i));
            }
        }
        for p in &hits.parts {
            hits.all.extend_from_slice(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every occurrence, by brute force.
    fn naive(patterns: &[String], data: &[u8]) -> Vec<Hit> {
        let mut out = Vec::new();
        for end in 1..=data.len() {
            for (k, p) in patterns.iter().enumerate() {
                let p = p.as_bytes();
                if p.len() <= end && data[end - p.len()..end].eq_ignore_ascii_case(p) {
                    out.push(Hit {
                        start: end - p.len(),
                        end,
                        keyword: k,
                    });
                }
            }
        }
        out
    }

    fn hits(k: &Keywords, data: &[u8]) -> Vec<Hit> {
        let mut h = Hits::default();
        k.find_all(data, &mut h);
        h.as_slice().to_vec()
    }

    /// A small deterministic generator (xorshift), so failures reproduce.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    fn minimal(mut words: Vec<String>) -> Vec<String> {
        words.sort_by_key(|w| (w.len(), w.clone()));
        words.dedup();
        let mut kept: Vec<String> = Vec::new();
        for w in words {
            if !kept.iter().any(|k| w.contains(k.as_str())) {
                kept.push(w);
            }
        }
        kept
    }

    #[test]
    fn finds_every_occurrence_in_order_at_every_size() {
        let patterns: Vec<String> = ["aws", "Token", "ab_c", "ç密", "-----begin"]
            .iter()
            .map(|s| s.to_ascii_lowercase())
            .collect();
        let k = Keywords::new(&patterns).unwrap();
        assert!(k.is_dfa());
        let unit = b"xx AWS token=ab_C\n\xc3\xa7\xe5\xaf\x86 -----BEGIN awsaws tokaws ";
        for n in [0usize, 1, 5, 40, 767, 768, 769, 3 * 256 * 4 + 7, 20_000] {
            let data: Vec<u8> = unit.iter().copied().cycle().take(n).collect();
            assert_eq!(hits(&k, &data), naive(&patterns, &data), "size {n}");
        }
    }

    #[test]
    fn dfa_and_automaton_agree_on_random_input() {
        // Few letters, so that keywords occur often and across the parts' boundaries.
        let alphabet = b"abAB_\n\xff";
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for round in 0..200 {
            let words: Vec<String> = (0..1 + rng.below(12))
                .map(|_| {
                    (0..1 + rng.below(6))
                        .map(|_| char::from(b"ab_"[rng.below(3)]))
                        .collect()
                })
                .collect();
            let patterns = minimal(words);
            let dfa = Keywords::new(&patterns).unwrap();
            assert!(dfa.is_dfa(), "{patterns:?}");
            let ac = Keywords::with_automaton(&patterns).unwrap();
            let len = [10, 800, 5000][round % 3] + rng.below(300);
            let data: Vec<u8> = (0..len)
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect();
            let expected = naive(&patterns, &data);
            assert_eq!(hits(&dfa, &data), expected, "{patterns:?}");
            assert_eq!(hits(&ac, &data), expected, "{patterns:?}");
        }
    }

    #[test]
    fn keywords_inside_others_and_empty_ones_use_the_automaton() {
        for nested in [
            ["secret", "client_secret"],
            ["sec", "secret"],
            ["secret", "sec"],
        ] {
            let nested: Vec<String> = nested.iter().map(|s| s.to_string()).collect();
            let k = Keywords::new(&nested).unwrap();
            assert!(!k.is_dfa(), "{nested:?}");
            assert!(!hits(&k, b"a secret").is_empty());
        }
        let twice = vec!["tok".to_string(), "tok".to_string()];
        assert!(!Keywords::new(&twice).unwrap().is_dfa());
        let empty = vec![String::new()];
        let k = Keywords::new(&empty).unwrap();
        assert!(!k.is_dfa());
        assert_eq!(hits(&k, b"abc").len(), 3);
    }
}
