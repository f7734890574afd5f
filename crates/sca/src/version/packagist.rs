//! Packagist (Composer) versions, compared as osv.dev and osv-scalibr compare them: PHP's
//! `version_compare` after a leading `v` (or `V`) is dropped.
//!
//! `-`, `_` and `+` read as `.`, and every change between digits and other characters splits
//! too (`1.0rc1` = `1.0.rc.1`). Parts compare in turn: numbers as numbers (of any size);
//! words by the rank of the form they start with, as PHP does (osv.dev's copy wants exact
//! spellings, but PHP's prefixes are what the registry data was sorted with): any other word <
//! `dev` < `alpha` = `a` < `beta` = `b` < `RC` = `rc` < `#` < `pl` = `p`, so `1.0-patch1` is
//! a `p` release; a number ranks as `#` against a word. When one version runs
//! out, the other is greater if its next part is a number, else its remaining parts compare
//! against `#`. So `1.0 < 1.0.0`, `1.0-dev < 1.0a1 < 1.0 < 1.0pl1`.
//!
//! The reference equates `#` with every number, which is not transitive (`1.2.3.#` equals both
//! `1.2.3` and `1.2.3.1`). [`Scheme::compare`](super::Scheme::compare) reproduces that;
//! `Version`'s `Ord` instead puts `#` just below all numbers, so that it stays a total order.
//! `#` is PHP's internal stand-in for a number and does not occur in real versions.

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

use super::{cmp_num, hash_num, strip_zeros, Span};

#[derive(Clone, Debug)]
pub(super) struct Packagist {
    parts: Vec<Part>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    /// Digits without leading zeros (empty for zero).
    Num(Span),
    /// A word's rank, -1 for unknown words.
    Word(i8),
}

const HASH: i8 = 4;

/// PHP's `compare_special_version_forms`: a word ranks by the first form it starts with
/// (case-sensitively), so `patch1` is a `p` and `betax` a `beta`.
fn rank(word: &str) -> i8 {
    const FORMS: [(&str, i8); 10] = [
        ("dev", 0),
        ("alpha", 1),
        ("a", 1),
        ("beta", 2),
        ("b", 2),
        ("RC", 3),
        ("rc", 3),
        ("#", HASH),
        ("pl", 5),
        ("p", 5),
    ];
    FORMS
        .iter()
        .find(|(form, _)| word.starts_with(form))
        .map_or(-1, |(_, r)| *r)
}

impl Packagist {
    /// Whether a dev, alpha, beta or RC part occurs.
    pub(super) fn is_prerelease(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Word(0..=3)))
    }
}

pub(super) fn parse(s: &str) -> Result<Packagist, String> {
    if !s.chars().any(|c| c.is_alphanumeric() || c == '#') {
        return Err("no letters or digits".into());
    }
    let b = s.as_bytes();
    let mut start = usize::from(matches!(b.first(), Some(b'v' | b'V')));
    let mut parts = Vec::new();
    let mut push = |start: usize, end: usize| {
        let text = s.get(start..end).unwrap_or("");
        if text.bytes().next().is_some_and(|c| c.is_ascii_digit()) {
            parts.push(Part::Num(Span::new(end - strip_zeros(text).len(), end)));
        } else {
            parts.push(Part::Word(rank(text)));
        }
    };
    let mut i = start;
    while let Some(&c) = b.get(i) {
        if matches!(c, b'.' | b'-' | b'_' | b'+') {
            push(start, i);
            start = i + 1;
        } else if i > start && b.get(i - 1).is_some_and(u8::is_ascii_digit) != c.is_ascii_digit() {
            push(start, i);
            start = i;
        }
        i += 1;
    }
    push(start, s.len());
    Ok(Packagist { parts })
}

/// A part against the reference's stand-in for a missing part.
fn against_hash(p: Part) -> Ordering {
    match p {
        Part::Num(_) => Ordering::Greater,
        Part::Word(r) => r.cmp(&HASH),
    }
}

fn compare(a: &[Part], at: &str, b: &[Part], bt: &str, reference: bool) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let o = match (*x, *y) {
            (Part::Num(p), Part::Num(q)) => cmp_num(p.of(at), q.of(bt)),
            (Part::Word(p), Part::Word(q)) => p.cmp(&q),
            (Part::Num(_), Part::Word(q)) if reference || q != HASH => HASH.cmp(&q),
            (Part::Word(p), Part::Num(_)) if reference || p != HASH => p.cmp(&HASH),
            (Part::Num(_), Part::Word(_)) => Ordering::Greater,
            (Part::Word(_), Part::Num(_)) => Ordering::Less,
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    let common = a.len().min(b.len());
    let rest_a = a.get(common..).unwrap_or_default();
    let rest_b = b.get(common..).unwrap_or_default();
    for p in rest_a {
        let o = against_hash(*p);
        if o != Ordering::Equal {
            return o;
        }
    }
    for p in rest_b {
        let o = against_hash(*p);
        if o != Ordering::Equal {
            return o.reverse();
        }
    }
    Ordering::Equal
}

pub(super) fn reference_cmp(a: &Packagist, at: &str, b: &Packagist, bt: &str) -> Ordering {
    compare(&a.parts, at, &b.parts, bt, true)
}

pub(super) fn cmp(a: &Packagist, at: &str, b: &Packagist, bt: &str) -> Ordering {
    compare(&a.parts, at, &b.parts, bt, false)
}

pub(super) fn hash<H: Hasher>(v: &Packagist, t: &str, state: &mut H) {
    // Trailing `#` parts compare equal to nothing, so they are left out.
    let len = v
        .parts
        .iter()
        .rposition(|p| *p != Part::Word(HASH))
        .map_or(0, |i| i + 1);
    let parts = v.parts.get(..len).unwrap_or_default();
    parts.len().hash(state);
    for p in parts {
        match p {
            Part::Num(n) => {
                state.write_u8(0);
                hash_num(n.of(t), state);
            }
            Part::Word(r) => {
                state.write_u8(1);
                r.hash(state);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering;

    use super::super::tests::{assert_order, assert_same};
    use super::super::Scheme;

    #[test]
    fn php_order() {
        assert_order(
            Scheme::Packagist,
            &[
                "dev-master",
                "1.0-dev",
                "1.0a1",
                "1.0b1",
                "1.0RC1",
                "1.0",
                "1.0.0",
                "1.0pl1",
                "1.1",
                "10",
            ],
        );
        assert_same(Scheme::Packagist, "1.0RC1", "1.0rc1");
        assert_same(Scheme::Packagist, "v1.0.0", "V1.0.0");
        assert_same(Scheme::Packagist, "1.25.0-beta2.1", "1.25.0-b.2.1");
        assert_same(Scheme::Packagist, "dev-foo", "dev-xyz");
        // Words rank by the form they start with.
        assert_same(Scheme::Packagist, "1.0-patch1", "1.0pl1");
        assert_same(Scheme::Packagist, "1.0-betax", "1.0b");
        assert_order(
            Scheme::Packagist,
            &["1.0-Beta", "1.0-dev", "1.0", "1.0-post1"],
        );
        assert_same(Scheme::Packagist, "1.2.3.#", "1.2.3");
    }

    #[test]
    fn hash_placeholder_differs_only_against_numbers() {
        let cmp = |a, b| Scheme::Packagist.compare(a, b).unwrap();
        assert_eq!(cmp("1.2.3.#", "1.2.3.1"), Ordering::Equal);
        let (a, b) = (
            Scheme::Packagist.parse("1.2.3.#").unwrap(),
            Scheme::Packagist.parse("1.2.3.1").unwrap(),
        );
        assert!(a < b);
        let mut sorted =
            ["1.2.3.1", "1.2.3.#", "1.2.3", "1.2.3.0"].map(|v| Scheme::Packagist.parse(v).unwrap());
        sorted.sort();
        assert_eq!(
            sorted.map(|v| v.as_str().to_string()),
            ["1.2.3.#", "1.2.3", "1.2.3.0", "1.2.3.1"]
        );
    }

    #[test]
    fn huge_numbers_and_invalid() {
        assert_order(
            Scheme::Packagist,
            &[
                "99999999999999999999.1",
                "99999999999999999999.1.0",
                "100000000000000000000",
            ],
        );
        assert_same(Scheme::Packagist, "0001.0", "1.0");
        assert!(Scheme::Packagist.parse("...").is_err());
        assert!(Scheme::Packagist.parse("1.0-dev").unwrap().is_prerelease());
        assert!(!Scheme::Packagist.parse("1.0pl1").unwrap().is_prerelease());
    }
}
