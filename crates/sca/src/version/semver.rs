//! SemVer 2.0 (crates.io, npm, Hex), and the SemVer-shaped parser that Go, NuGet and Pub share.
//!
//! Lenient as osv-scalibr is, because lockfiles and advisories carry such versions: a leading
//! `v`, one or two components (`1` = `1.0.0`), numbers with leading zeros or of any size, and a
//! pre-release without its hyphen (`1.2.3beta` = `1.2.3-beta`). Numeric components past the
//! third (the fourth for NuGet) are read as build metadata, so `1.2.3.4` = `1.2.3` (`1.2.3+4`
//! for Pub). Identifiers must be non-empty and of `[0-9A-Za-z-]`.
//!
//! Order: the numbers, then the pre-release (none sorts after any; numeric identifiers
//! compare as numbers and before alphanumeric ones, which compare in ASCII order; a longer list
//! wins a tie). Build metadata is ignored, except by Pub.

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

use super::{
    cmp_ignore_ascii_case, cmp_num, digits_end, hash_ignore_ascii_case, hash_num, inc_digits,
    is_digits, strip_zeros, Span,
};

/// Which SemVer dialect: they differ in core length, case and build metadata.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Flavour {
    Semver,
    /// Four numbers, case-insensitive labels, no leading `v`.
    NuGet,
    /// Build metadata orders after its absence and compares like a pre-release.
    Pub,
}

impl Flavour {
    fn core_len(self) -> usize {
        match self {
            Flavour::NuGet => 4,
            Flavour::Semver | Flavour::Pub => 3,
        }
    }
}

#[derive(Clone, Debug)]
pub(super) struct Semver {
    /// The numbers; missing ones are empty spans, which read as zero.
    core: [Span; 4],
    pre: Vec<Span>,
    build: Vec<Span>,
}

impl Semver {
    pub(super) fn is_prerelease(&self) -> bool {
        !self.pre.is_empty()
    }

    pub(super) fn pre(&self) -> &[Span] {
        &self.pre
    }

    pub(super) fn core(&self) -> &[Span; 4] {
        &self.core
    }
}

pub(super) fn parse(s: &str, flavour: Flavour) -> Result<Semver, String> {
    let b = s.as_bytes();
    let mut i = 0;
    if flavour != Flavour::NuGet && matches!(b.first(), Some(b'v' | b'V')) {
        i = 1;
    }
    let mut v = Semver {
        core: [Span::default(); 4],
        pre: Vec::new(),
        build: Vec::new(),
    };
    let mut extra = Vec::new();
    let mut n = 0;
    loop {
        let end = digits_end(b, i);
        if end == i {
            return Err(format!("expected a number at byte {i}"));
        }
        match v.core.get_mut(n) {
            Some(slot) if n < flavour.core_len() => *slot = Span::new(i, end),
            _ => extra.push(Span::new(i, end)),
        }
        n += 1;
        i = end;
        if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            i += 1;
        } else {
            break;
        }
    }
    let pre_start = match b.get(i) {
        None => None,
        Some(b'-') => Some(i + 1),
        Some(b'+') => None,
        Some(c) if c.is_ascii_alphabetic() => Some(i),
        Some(_) => return Err(format!("unexpected character at byte {i}")),
    };
    if let Some(start) = pre_start {
        let end = s
            .get(start..)
            .and_then(|r| r.find('+'))
            .map_or(s.len(), |p| start + p);
        v.pre = identifiers(s, start, end)?;
        i = end;
    }
    if b.get(i) == Some(&b'+') {
        v.build = identifiers(s, i + 1, s.len())?;
    }
    if !extra.is_empty() {
        extra.append(&mut v.build);
        v.build = extra;
    }
    Ok(v)
}

/// Splits `s[start..end]` on dots into non-empty `[0-9A-Za-z-]` identifiers.
fn identifiers(s: &str, start: usize, end: usize) -> Result<Vec<Span>, String> {
    let part = s.get(start..end).unwrap_or("");
    let mut out = Vec::new();
    let mut at = start;
    for ident in part.split('.') {
        if ident.is_empty() {
            return Err(format!("empty identifier at byte {at}"));
        }
        if !ident
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-')
        {
            return Err(format!("invalid character in identifier {ident:?}"));
        }
        out.push(Span::new(at, at + ident.len()));
        at += ident.len() + 1;
    }
    Ok(out)
}

/// The least version above `v` (of text `t`) in SemVer's order, as canonical text: nothing
/// lies between `1.2.3` and `1.2.4-0` (the core is three numbers, `0` is the least
/// identifier), nor between `1.2.3-a` and `1.2.3-a.0` (a longer list of equal identifiers
/// sorts higher).
pub(super) fn successor(v: &Semver, t: &str) -> String {
    fn number(digits: &str) -> &str {
        match strip_zeros(digits) {
            "" => "0",
            d => d,
        }
    }
    let [major, minor, patch, _] = v.core.map(|s| s.of(t));
    let mut out = format!("{}.{}.", number(major), number(minor));
    if v.pre.is_empty() {
        out.push_str(&inc_digits(patch));
        out.push_str("-0");
        return out;
    }
    out.push_str(number(patch));
    for (i, ident) in v.pre.iter().enumerate() {
        out.push(if i == 0 { '-' } else { '.' });
        let ident = ident.of(t);
        out.push_str(if is_digits(ident) {
            number(ident)
        } else {
            ident
        });
    }
    out.push_str(".0");
    out
}

pub(super) fn cmp(a: &Semver, at: &str, b: &Semver, bt: &str, flavour: Flavour) -> Ordering {
    let ci = flavour == Flavour::NuGet;
    for (x, y) in a.core.iter().zip(&b.core) {
        let o = cmp_num(x.of(at), y.of(bt));
        if o != Ordering::Equal {
            return o;
        }
    }
    // A pre-release sorts before the release.
    let o = match (a.pre.is_empty(), b.pre.is_empty()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => cmp_identifiers(&a.pre, at, &b.pre, bt, ci),
    };
    if o != Ordering::Equal || flavour != Flavour::Pub {
        return o;
    }
    // pub_semver: a build sorts after its absence.
    match (a.build.is_empty(), b.build.is_empty()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => cmp_identifiers(&a.build, at, &b.build, bt, false),
    }
}

fn cmp_identifiers(a: &[Span], at: &str, b: &[Span], bt: &str, ci: bool) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let o = cmp_identifier(x.of(at), y.of(bt), ci);
        if o != Ordering::Equal {
            return o;
        }
    }
    a.len().cmp(&b.len())
}

pub(super) fn cmp_identifier(a: &str, b: &str, ci: bool) -> Ordering {
    match (is_digits(a), is_digits(b)) {
        (true, true) => cmp_num(a, b),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) if ci => cmp_ignore_ascii_case(a, b),
        (false, false) => a.cmp(b),
    }
}

pub(super) fn hash<H: Hasher>(v: &Semver, t: &str, flavour: Flavour, state: &mut H) {
    for span in &v.core {
        hash_num(span.of(t), state);
    }
    hash_identifiers(&v.pre, t, flavour == Flavour::NuGet, state);
    if flavour == Flavour::Pub {
        hash_identifiers(&v.build, t, false, state);
    }
}

fn hash_identifiers<H: Hasher>(idents: &[Span], t: &str, ci: bool, state: &mut H) {
    idents.len().hash(state);
    for span in idents {
        let ident = span.of(t);
        if is_digits(ident) {
            state.write_u8(0);
            hash_num(ident, state);
        } else if ci {
            state.write_u8(1);
            hash_ignore_ascii_case(ident, state);
        } else {
            state.write_u8(1);
            ident.hash(state);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_order, assert_same};
    use super::super::Scheme;

    #[test]
    fn spec_order() {
        assert_order(
            Scheme::Semver,
            &[
                "1.0.0-alpha",
                "1.0.0-alpha.1",
                "1.0.0-alpha.beta",
                "1.0.0-beta",
                "1.0.0-beta.2",
                "1.0.0-beta.11",
                "1.0.0-rc.1",
                "1.0.0",
                "1.0.1",
                "2.0.0",
            ],
        );
    }

    #[test]
    fn lenient_forms() {
        assert_same(Scheme::Semver, "v1.2.3", "1.2.3");
        assert_same(Scheme::Semver, "1", "1.0.0");
        assert_same(Scheme::Semver, "1.2", "1.2.0");
        assert_same(Scheme::Semver, "01.002.3", "1.2.3");
        assert_same(Scheme::Semver, "1.2.3beta", "1.2.3-beta");
        assert_same(Scheme::Semver, "1.2.3-beta.01", "1.2.3-beta.1");
        assert_same(Scheme::Semver, "1.2.3+build.5", "1.2.3+other");
        assert_same(Scheme::Semver, "1.2.3.4", "1.2.3");
    }

    #[test]
    fn huge_numbers() {
        assert_order(
            Scheme::Semver,
            &[
                "18446744073709551616.0.0",
                "99999999999999999999999.0.0-1",
                "99999999999999999999999.0.0",
            ],
        );
        assert_same(Scheme::Semver, "0000000000000000000000001.0.0", "1.0.0");
    }

    #[test]
    fn invalid() {
        for bad in [
            "a.b.c",
            "1.2.3-",
            "1.2.3-a..b",
            "1.2.3+",
            "1.2.3_4",
            "1.2.3-é",
            "1.",
            "v",
            "-1",
        ] {
            assert!(Scheme::Semver.parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn successor() {
        for (v, next) in [
            ("1.2.3", "1.2.4-0"),
            ("v1.2", "1.2.1-0"),
            ("01.02.09+build", "1.2.10-0"),
            ("1.2.3.4", "1.2.4-0"),
            ("1.2.3-alpha", "1.2.3-alpha.0"),
            ("1.2.3beta.01", "1.2.3-beta.1.0"),
            ("1.2.3-0", "1.2.3-0.0"),
            ("0.0.99999999999999999999", "0.0.100000000000000000000-0"),
        ] {
            let v = Scheme::Semver.parse(v).unwrap();
            let s = v.successor().unwrap();
            assert_eq!(s.as_str(), next, "{v}");
            assert!(v < s, "{v} < {s}");
        }
        // Nothing lies strictly between a version and its successor.
        let all = [
            "1.2.3-0",
            "1.2.3-0.0",
            "1.2.3-a",
            "1.2.3-a.0",
            "1.2.3-a.0.0",
            "1.2.3-a-",
            "1.2.3-a.a",
            "1.2.3-b",
            "1.2.3",
            "1.2.3+z",
            "1.2.3.9",
            "1.2.4-0",
            "1.2.4-0.0",
            "1.2.4-a",
            "1.2.4",
        ];
        let all: Vec<_> = all.map(|v| Scheme::Semver.parse(v).unwrap()).into();
        for v in &all {
            let s = v.successor().unwrap();
            assert!(
                !all.iter().any(|w| v < w && w < &s),
                "a version between {v} and {s}"
            );
        }
    }

    #[test]
    fn prerelease() {
        assert!(Scheme::Semver.parse("1.0.0-rc.1").unwrap().is_prerelease());
        assert!(!Scheme::Semver.parse("1.0.0+build").unwrap().is_prerelease());
    }
}
