//! PEP 440 (PyPI), ordered as the `packaging` library orders it.
//!
//! Accepts every spelling PEP 440 normalises: case, a leading `v`, epochs (`1!2.0`), `-`, `_`
//! and `.` separators, `alpha`/`beta`/`c`/`pre`/`preview` for `a`/`b`/`rc`, `rev`/`r` and the
//! implicit `1.0-1` for post-releases, implicit numbers (`1.0a` = `1.0a0`), and local versions.
//! `1.0 == 1.0.0` (trailing zeros of the release do not count).
//!
//! Order: epoch, release, then `.devN` of a plain release before its pre-releases, pre-releases
//! (a < b < rc) before the release, post-releases after it, dev-releases before what they
//! develop, and a local version after the same version without one (numeric local segments
//! above alphanumeric ones).
//!
//! Text that is not PEP 440 is parsed as a legacy version, as `packaging` before 22 and
//! `pkg_resources` did (`0.1-bulbasaur`): split into numbers and words, compared as strings,
//! and always below every PEP 440 version. Advisories and old lockfiles still carry such
//! versions, so rejecting them would hide findings.

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

use super::{
    cmp_ignore_ascii_case, cmp_num, digits_end, hash_ignore_ascii_case, hash_num, is_digits,
    strip_zeros, Span,
};

#[derive(Clone, Debug)]
pub(super) enum Pep440 {
    Standard(Standard),
    /// The comparison key of a legacy version (`packaging.version.LegacyVersion`).
    Legacy(Vec<Box<str>>),
}

#[derive(Clone, Debug)]
pub(super) struct Standard {
    /// Empty for no epoch, which is 0.
    epoch: Span,
    /// Without trailing zeros.
    release: Vec<Span>,
    /// Phase (0 = a, 1 = b, 2 = rc) and number (empty = 0).
    pre: Option<(u8, Span)>,
    post: Option<Span>,
    dev: Option<Span>,
    /// The local label after `+`, still with its separators.
    local: Option<Span>,
}

impl Pep440 {
    pub(super) fn is_prerelease(&self) -> bool {
        match self {
            Pep440::Standard(v) => v.pre.is_some() || v.dev.is_some(),
            Pep440::Legacy(_) => false,
        }
    }
}

pub(super) fn parse(s: &str) -> Result<Pep440, String> {
    if let Some(v) = parse_standard(s) {
        return Ok(Pep440::Standard(v));
    }
    if !s.bytes().any(|c| c.is_ascii_alphanumeric()) {
        return Err("neither PEP 440 nor a legacy version: no letters or digits".into());
    }
    Ok(Pep440::Legacy(legacy_key(s)))
}

fn is_sep(c: u8) -> bool {
    matches!(c, b'-' | b'_' | b'.')
}

fn skip_sep(b: &[u8], i: usize) -> usize {
    if b.get(i).copied().is_some_and(is_sep) {
        i + 1
    } else {
        i
    }
}

/// Matches the first of `words` (longest first where one is a prefix of another) at `i`,
/// ignoring case; returns its index and the position after it.
fn word(b: &[u8], i: usize, words: &[&str]) -> Option<(usize, usize)> {
    words.iter().enumerate().find_map(|(n, w)| {
        let end = i + w.len();
        b.get(i..end)
            .filter(|got| got.eq_ignore_ascii_case(w.as_bytes()))
            .map(|_| (n, end))
    })
}

/// An optional `[-_.]?digits` after a label: the number's span (empty if absent) and the end.
fn label_number(b: &[u8], i: usize) -> (Span, usize) {
    let j = skip_sep(b, i);
    let d = digits_end(b, j);
    if d > j {
        (Span::new(j, d), d)
    } else {
        (Span::new(j, j), j)
    }
}

/// PEP 440's canonical regex (Appendix B), written out by hand.
fn parse_standard(s: &str) -> Option<Standard> {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'v' | b'V')));

    let mut epoch = Span::default();
    let d = digits_end(b, i);
    if d > i && b.get(d) == Some(&b'!') {
        epoch = Span::new(i, d);
        i = d + 1;
    }

    let mut release = Vec::new();
    let d = digits_end(b, i);
    if d == i {
        return None;
    }
    release.push(Span::new(i, d));
    i = d;
    while b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        let d = digits_end(b, i + 1);
        release.push(Span::new(i + 1, d));
        i = d;
    }
    while release
        .last()
        .is_some_and(|r| strip_zeros(r.of(s)).is_empty())
    {
        release.pop();
    }

    const PRE: [&str; 8] = ["preview", "alpha", "beta", "pre", "rc", "a", "b", "c"];
    let mut pre = None;
    if let Some((n, end)) = word(b, skip_sep(b, i), &PRE) {
        let phase = match PRE.get(n).copied() {
            Some("alpha" | "a") => 0,
            Some("beta" | "b") => 1,
            _ => 2,
        };
        let (num, end) = label_number(b, end);
        pre = Some((phase, num));
        i = end;
    }

    let mut post = None;
    let d = digits_end(b, i + 1);
    if b.get(i) == Some(&b'-') && d > i + 1 {
        post = Some(Span::new(i + 1, d));
        i = d;
    } else if let Some((_, end)) = word(b, skip_sep(b, i), &["post", "rev", "r"]) {
        let (num, end) = label_number(b, end);
        post = Some(num);
        i = end;
    }

    let mut dev = None;
    if let Some((_, end)) = word(b, skip_sep(b, i), &["dev"]) {
        let (num, end) = label_number(b, end);
        dev = Some(num);
        i = end;
    }

    let mut local = None;
    if b.get(i) == Some(&b'+') {
        let label = s.get(i + 1..)?;
        let valid = label
            .split(['-', '_', '.'])
            .all(|seg| !seg.is_empty() && seg.bytes().all(|c| c.is_ascii_alphanumeric()));
        if !valid {
            return None;
        }
        local = Some(Span::new(i + 1, s.len()));
        i = s.len();
    }

    (i == s.len()).then_some(Standard {
        epoch,
        release,
        pre,
        post,
        dev,
        local,
    })
}

/// `packaging`'s `_legacy_cmpkey`: the lower-cased text split into digit runs, letter runs,
/// `.`, `-` and runs of anything else; numbers zero-padded to eight digits, words marked with
/// `*`, `pre`/`preview`/`rc` read as `c`, `dev` as `@`, `-` as `final-`; trailing zeros
/// dropped before each word, and `-` dropped before a pre-release word.
fn legacy_key(s: &str) -> Vec<Box<str>> {
    let lower = s.to_ascii_lowercase();
    let b = lower.as_bytes();
    let class = |c: u8| match c {
        b'0'..=b'9' => 0,
        b'a'..=b'z' => 1,
        b'.' => 2,
        b'-' => 3,
        _ => 4,
    };
    let mut parts: Vec<Box<str>> = Vec::new();
    let mut add = |part: Box<str>| {
        if part.starts_with('*') {
            if &*part < "*final" {
                while parts.last().is_some_and(|p| &**p == "*final-") {
                    parts.pop();
                }
            }
            while parts.last().is_some_and(|p| &**p == "00000000") {
                parts.pop();
            }
        }
        parts.push(part);
    };
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let k = class(c);
        let mut end = i + 1;
        if k != 2 && k != 3 {
            while b.get(end).is_some_and(|&n| class(n) == k) {
                end += 1;
            }
        }
        // Runs break only at ASCII bytes, so they are whole UTF-8 characters.
        let part = lower.get(i..end).unwrap_or("");
        i = end;
        add(match part {
            "" | "." => continue,
            "pre" | "preview" | "rc" => "*c".into(),
            "-" => "*final-".into(),
            "dev" => "*@".into(),
            p if k == 0 => format!("{p:0>8}").into(),
            p => format!("*{p}").into(),
        });
    }
    add("*final".into());
    parts
}

pub(super) fn cmp(a: &Pep440, at: &str, b: &Pep440, bt: &str) -> Ordering {
    match (a, b) {
        (Pep440::Legacy(x), Pep440::Legacy(y)) => x.cmp(y),
        (Pep440::Legacy(_), Pep440::Standard(_)) => Ordering::Less,
        (Pep440::Standard(_), Pep440::Legacy(_)) => Ordering::Greater,
        (Pep440::Standard(x), Pep440::Standard(y)) => cmp_standard(x, at, y, bt),
    }
}

/// `packaging`'s `_cmpkey` with its infinities spelled out.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Key<T> {
    Below,
    Is(T),
    Above,
}

fn pre_key<'a>(v: &Standard, t: &'a str) -> Key<(u8, Num<'a>)> {
    match v.pre {
        None if v.post.is_none() && v.dev.is_some() => Key::Below,
        None => Key::Above,
        Some((phase, n)) => Key::Is((phase, Num(n.of(t)))),
    }
}

fn post_key<'a>(v: &Standard, t: &'a str) -> Key<Num<'a>> {
    v.post.map_or(Key::Below, |n| Key::Is(Num(n.of(t))))
}

fn dev_key<'a>(v: &Standard, t: &'a str) -> Key<Num<'a>> {
    v.dev.map_or(Key::Above, |n| Key::Is(Num(n.of(t))))
}

/// A digit string ordered as a number.
#[derive(PartialEq, Eq)]
struct Num<'a>(&'a str);

impl PartialOrd for Num<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Num<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_num(self.0, other.0)
    }
}

fn cmp_standard(a: &Standard, at: &str, b: &Standard, bt: &str) -> Ordering {
    cmp_num(a.epoch.of(at), b.epoch.of(bt))
        .then_with(|| {
            let x = a.release.iter().map(|s| Num(s.of(at)));
            x.cmp(b.release.iter().map(|s| Num(s.of(bt))))
        })
        .then_with(|| pre_key(a, at).cmp(&pre_key(b, bt)))
        .then_with(|| post_key(a, at).cmp(&post_key(b, bt)))
        .then_with(|| dev_key(a, at).cmp(&dev_key(b, bt)))
        .then_with(|| match (a.local, b.local) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(x), Some(y)) => cmp_local(x.of(at), y.of(bt)),
        })
}

fn local_segments(local: &str) -> impl Iterator<Item = &str> {
    local.split(['-', '_', '.'])
}

fn cmp_local(a: &str, b: &str) -> Ordering {
    let mut x = local_segments(a);
    let mut y = local_segments(b);
    loop {
        let o = match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) => match (is_digits(p), is_digits(q)) {
                (true, true) => cmp_num(p, q),
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => cmp_ignore_ascii_case(p, q),
            },
        };
        if o != Ordering::Equal {
            return o;
        }
    }
}

pub(super) fn hash<H: Hasher>(v: &Pep440, t: &str, state: &mut H) {
    let v = match v {
        Pep440::Legacy(parts) => {
            state.write_u8(0);
            parts.hash(state);
            return;
        }
        Pep440::Standard(v) => v,
    };
    state.write_u8(1);
    hash_num(v.epoch.of(t), state);
    v.release.len().hash(state);
    for r in &v.release {
        hash_num(r.of(t), state);
    }
    let key_tag = |k: &Key<()>| match k {
        Key::Below => 0u8,
        Key::Is(()) => 1,
        Key::Above => 2,
    };
    let pre = match v.pre {
        None if v.post.is_none() && v.dev.is_some() => Key::Below,
        None => Key::Above,
        Some((phase, n)) => {
            phase.hash(state);
            hash_num(n.of(t), state);
            Key::Is(())
        }
    };
    state.write_u8(key_tag(&pre));
    for part in [v.post, v.dev] {
        match part {
            Some(n) => {
                state.write_u8(1);
                hash_num(n.of(t), state);
            }
            None => state.write_u8(0),
        }
    }
    if let Some(local) = v.local {
        for seg in local_segments(local.of(t)) {
            if is_digits(seg) {
                state.write_u8(1);
                hash_num(seg, state);
            } else {
                state.write_u8(2);
                hash_ignore_ascii_case(seg, state);
            }
        }
    }
    state.write_u8(3);
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_order, assert_same};
    use super::super::Scheme;

    #[test]
    fn normalisation() {
        for (a, b) in [
            ("1.0", "1.0.0"),
            ("1.0", "v1.0"),
            ("1.0", "0!1.0"),
            ("1.0a", "1.0a0"),
            ("1.0alpha1", "1.0a1"),
            ("1.0-beta.2", "1.0b2"),
            ("1.0c1", "1.0rc1"),
            ("1.0pre1", "1.0rc1"),
            ("1.0-preview-1", "1.0rc1"),
            ("1.0-1", "1.0.post1"),
            ("1.0r", "1.0.post0"),
            ("1.0-rev2", "1.0.post2"),
            ("1.0.DEV", "1.0.dev0"),
            ("1.0+ABC.01", "1.0+abc-1"),
            ("01.002", "1.2"),
            ("1.0a.", "1.0a0"),
        ] {
            assert_same(Scheme::Pep440, a, b);
        }
    }

    #[test]
    fn order() {
        assert_order(
            Scheme::Pep440,
            &[
                "0.1-bulbasaur",
                "0.9-ivysaur",
                "1.0.dev0",
                "1.0a1.dev1",
                "1.0a1",
                "1.0b1",
                "1.0rc1",
                "1.0",
                "1.0+abc",
                "1.0+abc.5",
                "1.0+1",
                "1.0.post1.dev1",
                "1.0.post1",
                "1.1",
                "1!0.1",
            ],
        );
    }

    #[test]
    fn huge_numbers() {
        assert_order(
            Scheme::Pep440,
            &[
                "99999999999999999999999",
                "99999999999999999999999.post1",
                "1!0",
            ],
        );
        assert_same(Scheme::Pep440, "00000000000000000000001.0", "1");
    }

    #[test]
    fn legacy_versions() {
        let v = Scheme::Pep440.parse("2.0-charmander").unwrap();
        assert!(v < Scheme::Pep440.parse("0.0.1").unwrap());
        assert!(!v.is_prerelease());
        assert!(Scheme::Pep440.parse("1.0a1").unwrap().is_prerelease());
        assert!(Scheme::Pep440.parse("1.0.dev1").unwrap().is_prerelease());
        assert!(!Scheme::Pep440.parse("1.0.post1").unwrap().is_prerelease());
        assert!(Scheme::Pep440.parse("!!!").is_err());
    }
}
