//! Alpine package versions, ordered as apk orders them:
//! `number{.number}[letter]{_suffix[number]}[~hash][-r number]`.
//!
//! Parts compare in that order. The first number compares as a number; later ones too, unless
//! either has a leading zero, in which case they compare as strings (as Gentoo's rules say). A
//! version with fewer numbers is the lower. No letter sorts below any letter. Suffixes rank
//! `_alpha` < `_beta` < `_pre` < `_rc` < none < `_cvs` < `_svn` < `_git` < `_hg` < `_p`, then by
//! their number. A commit hash sorts above its absence. No revision is `-r0`. Numbers are of any
//! size.
//!
//! Versions apk would reject are still ordered, as osv-scalibr orders them, because advisory
//! data has them: whatever cannot be read ("junk") makes a version sort below the same version
//! without it. Junk in the revision part (`1-r-0`, `1-ruff`, `1--r1`) is otherwise ignored, and
//! `-r` with no number is `-r0`; other junk (`1.2.0A`, `6.6.2p1`, `0..1`) orders versions that
//! agree on everything else by their text.

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

use super::{cmp_num, digits_end, hash_num, Span};

#[derive(Clone, Debug)]
pub(super) struct Alpine {
    numbers: Vec<Span>,
    letter: Option<u8>,
    /// Rank (see [`SUFFIXES`]) and number (empty for 0).
    suffixes: Vec<(u8, Span)>,
    hash: Option<Span>,
    revision: Option<Span>,
    junk: Junk,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Junk {
    /// Unreadable text before the revision part: ordered by the whole text.
    Text,
    /// Unreadable text in the revision part: ignored.
    Revision,
    None,
}

/// Suffixes in rank order, skipping rank 4 (no suffix). `pre` before `p`, as apk matches them.
const SUFFIXES: [(&str, u8); 9] = [
    ("alpha", 0),
    ("beta", 1),
    ("pre", 2),
    ("rc", 3),
    ("cvs", 5),
    ("svn", 6),
    ("git", 7),
    ("hg", 8),
    ("p", 9),
];
const NO_SUFFIX: u8 = 4;

impl Alpine {
    /// Whether an `_alpha`, `_beta`, `_pre` or `_rc` suffix occurs.
    pub(super) fn is_prerelease(&self) -> bool {
        self.suffixes.iter().any(|(rank, _)| *rank < NO_SUFFIX)
    }
}

pub(super) fn parse(s: &str) -> Result<Alpine, String> {
    if !s.bytes().any(|c| c.is_ascii_alphanumeric()) {
        return Err("no letters or digits".into());
    }
    let b = s.as_bytes();
    let mut v = Alpine {
        numbers: Vec::new(),
        letter: None,
        suffixes: Vec::new(),
        hash: None,
        revision: None,
        junk: Junk::None,
    };
    let mut i = 0;
    // Numbers, each optionally followed by a dot.
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        let end = digits_end(b, i);
        v.numbers.push(Span::new(i, end));
        i = end;
        if b.get(i) == Some(&b'.') {
            i += 1;
        }
    }
    if let Some(&c) = b.get(i).filter(|c| c.is_ascii_lowercase()) {
        v.letter = Some(c);
        i += 1;
    }
    while b.get(i) == Some(&b'_') {
        let rest = b.get(i + 1..).unwrap_or_default();
        let Some(&(name, rank)) = SUFFIXES
            .iter()
            .find(|(name, _)| rest.starts_with(name.as_bytes()))
        else {
            break;
        };
        let start = i + 1 + name.len();
        let end = digits_end(b, start);
        v.suffixes.push((rank, Span::new(start, end)));
        i = end;
    }
    if b.get(i) == Some(&b'~') {
        let start = i + 1;
        let mut end = start;
        while b
            .get(end)
            .is_some_and(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(c))
        {
            end += 1;
        }
        if end > start {
            v.hash = Some(Span::new(start, end));
            i = end;
        }
    }
    match b.get(i) {
        None => {}
        Some(b'-') => {
            let mut start = i + 1;
            if b.get(start) == Some(&b'r') {
                start += 1;
            }
            let end = if start == i + 2 {
                digits_end(b, start)
            } else {
                start
            };
            v.revision = Some(Span::new(start, end));
            if end < s.len() || start == i + 1 {
                v.junk = Junk::Revision;
            }
        }
        Some(_) => v.junk = Junk::Text,
    }
    Ok(v)
}

fn cmp_number(index: usize, a: &str, b: &str) -> Ordering {
    if index > 0 && (a.starts_with('0') || b.starts_with('0')) {
        a.cmp(b)
    } else {
        cmp_num(a, b)
    }
}

/// The revision's digits; none means `-r0`, the revision a package gets by default.
fn revision<'a>(v: &Alpine, t: &'a str) -> &'a str {
    v.revision.map_or("", |r| r.of(t))
}

pub(super) fn cmp(a: &Alpine, at: &str, b: &Alpine, bt: &str) -> Ordering {
    for k in 0..a.numbers.len().max(b.numbers.len()) {
        let o = match (a.numbers.get(k), b.numbers.get(k)) {
            (Some(x), Some(y)) => cmp_number(k, x.of(at), y.of(bt)),
            (None, _) => Ordering::Less,
            (_, None) => Ordering::Greater,
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    let o = a.letter.cmp(&b.letter);
    if o != Ordering::Equal {
        return o;
    }
    let none = (NO_SUFFIX, Span::default());
    for k in 0..a.suffixes.len().max(b.suffixes.len()) {
        let (x, y) = (
            a.suffixes.get(k).unwrap_or(&none),
            b.suffixes.get(k).unwrap_or(&none),
        );
        let o = x.0.cmp(&y.0).then_with(|| cmp_num(x.1.of(at), y.1.of(bt)));
        if o != Ordering::Equal {
            return o;
        }
    }
    a.hash
        .map(|h| h.of(at))
        .cmp(&b.hash.map(|h| h.of(bt)))
        .then_with(|| cmp_num(revision(a, at), revision(b, bt)))
        .then_with(|| a.junk.cmp(&b.junk))
        .then_with(|| match a.junk {
            Junk::Text => at.cmp(bt),
            _ => Ordering::Equal,
        })
}

pub(super) fn hash<H: Hasher>(v: &Alpine, t: &str, state: &mut H) {
    v.numbers.len().hash(state);
    for (k, n) in v.numbers.iter().enumerate() {
        if k == 0 {
            hash_num(n.of(t), state);
        } else {
            n.of(t).hash(state);
        }
    }
    v.letter.hash(state);
    v.suffixes.len().hash(state);
    for (rank, n) in &v.suffixes {
        rank.hash(state);
        hash_num(n.of(t), state);
    }
    v.hash.map(|h| h.of(t)).hash(state);
    hash_num(revision(v, t), state);
    v.junk.hash(state);
    if v.junk == Junk::Text {
        t.hash(state);
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_order, assert_same};
    use super::super::Scheme;

    #[test]
    fn apk_order() {
        assert_order(
            Scheme::Alpine,
            &[
                "0.1.0_alpha",
                "0.1.0_alpha2",
                "0.1.0",
                "0.1.0-r1",
                "1.0.4-r3",
                "1.0.4-r4",
                "1.2_alpha1",
                "1.2_rc1",
                "1.2",
                "1.2_cvs1",
                "1.2_svn1",
                "1.2_git1",
                "1.2_hg1",
                "1.2_p1",
                "1.2a",
                "1.2.1",
                "1.10",
            ],
        );
    }

    #[test]
    fn leading_zeros_compare_as_strings() {
        assert_order(Scheme::Alpine, &["1.001", "1.01", "1.1", "1.2", "1.10"]);
        assert_same(Scheme::Alpine, "01.1", "1.1");
        assert_same(Scheme::Alpine, "1-r01", "1-r1");
    }

    #[test]
    fn malformed_versions() {
        assert_same(Scheme::Alpine, "1-r", "1-r0");
        assert_same(Scheme::Alpine, "1-ruff2", "1--ruff1");
        assert_order(Scheme::Alpine, &["1-r-1", "1-r0", "1-r2"]);
        assert_order(Scheme::Alpine, &["1.2.0A", "1.2.0d"]);
        assert_order(Scheme::Alpine, &["6.6.2_p1", "6.6.2p1", "6.6.2p2"]);
        assert!(Scheme::Alpine.parse("---").is_err());
    }

    #[test]
    fn huge_numbers_and_prerelease() {
        assert_order(
            Scheme::Alpine,
            &[
                "99999999999999999999.1",
                "99999999999999999999.2",
                "100000000000000000000",
            ],
        );
        assert!(Scheme::Alpine.parse("1.0_rc1-r0").unwrap().is_prerelease());
        assert!(!Scheme::Alpine.parse("1.0_p1-r0").unwrap().is_prerelease());
    }
}
