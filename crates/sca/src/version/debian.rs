//! Debian package versions, ordered as dpkg orders them: `[epoch:]upstream[-revision]`.
//!
//! The epoch (default 0) compares as a number; upstream and revision with dpkg's `verrevcmp`:
//! alternately a run of non-digits, compared character by character with `~` below the end of
//! the run, letters below other characters, and then a run of digits, compared as a number (of
//! any size). A missing revision equals `0`.
//!
//! As lenient as `dpkg --compare-versions`, which only warns about an upstream that does not
//! start with a digit or odd characters; it rejects what dpkg rejects outright: an epoch that is
//! not a number, nothing after the colon, an empty upstream or revision.

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

use super::{cmp_num, hash_num, Span};

#[derive(Clone, Debug)]
pub(super) struct Debian {
    /// Empty for no epoch, which is 0.
    epoch: Span,
    upstream: Span,
    /// Empty for no revision.
    revision: Span,
}

impl Debian {
    /// Debian marks pre-releases with `~` in the upstream version (`1.0~rc1`).
    pub(super) fn is_prerelease(&self, t: &str) -> bool {
        self.upstream.of(t).contains('~')
    }
}

pub(super) fn parse(s: &str) -> Result<Debian, String> {
    let (epoch, rest_start) = match s.find(':') {
        Some(colon) => {
            let epoch = s.get(..colon).unwrap_or("");
            if epoch.is_empty() || !epoch.bytes().all(|c| c.is_ascii_digit()) {
                return Err("epoch is not a number".into());
            }
            (Span::new(0, colon), colon + 1)
        }
        None => (Span::default(), 0),
    };
    let rest = s.get(rest_start..).unwrap_or("");
    if rest.is_empty() {
        return Err("nothing after the epoch".into());
    }
    let (upstream, revision) = match rest.rfind('-') {
        Some(h) => {
            if h + 1 == rest.len() {
                return Err("empty revision".into());
            }
            (
                Span::new(rest_start, rest_start + h),
                Span::new(rest_start + h + 1, s.len()),
            )
        }
        None => (Span::new(rest_start, s.len()), Span::default()),
    };
    if upstream.is_empty() {
        return Err("empty upstream version".into());
    }
    Ok(Debian {
        epoch,
        upstream,
        revision,
    })
}

/// dpkg's character weight: `~` below the end of a run (0), letters next, then the rest.
fn weight(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(b'~') => -1,
        Some(c) => i32::from(c) + 256,
    }
}

fn non_digit(c: Option<&u8>) -> bool {
    c.is_some_and(|c| !c.is_ascii_digit())
}

/// dpkg's `verrevcmp`.
fn verrevcmp(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        while non_digit(a.get(i)) || non_digit(b.get(j)) {
            let (x, y) = (weight(a.get(i).copied()), weight(b.get(j).copied()));
            if x != y {
                return x.cmp(&y);
            }
            i += 1;
            j += 1;
        }
        let (si, sj) = (i, j);
        while a.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        while b.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        let x = std::str::from_utf8(a.get(si..i).unwrap_or_default()).unwrap_or("");
        let y = std::str::from_utf8(b.get(sj..j).unwrap_or_default()).unwrap_or("");
        let o = cmp_num(x, y);
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

pub(super) fn cmp(a: &Debian, at: &str, b: &Debian, bt: &str) -> Ordering {
    cmp_num(a.epoch.of(at), b.epoch.of(bt))
        .then_with(|| verrevcmp(a.upstream.of(at), b.upstream.of(bt)))
        .then_with(|| verrevcmp(a.revision.of(at), b.revision.of(bt)))
}

/// Hashes what `verrevcmp` sees: each non-digit run and the number after it; a part that is
/// all zeros (or empty) equals the empty part.
fn hash_part<H: Hasher>(part: &str, state: &mut H) {
    if part.bytes().all(|c| c == b'0') {
        state.write_u8(0);
        return;
    }
    let mut rest = part;
    while !rest.is_empty() {
        let split = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (letters, tail) = rest.split_at(split);
        let digits_len = tail
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(tail.len());
        let (digits, tail) = tail.split_at(digits_len);
        letters.hash(state);
        hash_num(digits, state);
        rest = tail;
    }
    state.write_u8(0);
}

pub(super) fn hash<H: Hasher>(v: &Debian, t: &str, state: &mut H) {
    hash_num(v.epoch.of(t), state);
    hash_part(v.upstream.of(t), state);
    hash_part(v.revision.of(t), state);
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_order, assert_same};
    use super::super::Scheme;

    #[test]
    fn dpkg_order() {
        assert_order(
            Scheme::Debian,
            &[
                "1.0~~",
                "1.0~~a",
                "1.0~",
                "1.0",
                "1.0a",
                "1.0+",
                "1.0.1",
                "1.2.3-1~deb7u1",
                "1.2.3-1",
                "1.2.3-1+deb9u1",
                "1.2.10",
                "1:0.1",
            ],
        );
    }

    #[test]
    fn equal_forms() {
        assert_same(Scheme::Debian, "0:1.0", "1.0");
        assert_same(Scheme::Debian, "1.0", "1.0-0");
        assert_same(Scheme::Debian, "1.0-00", "1.0");
        assert_same(Scheme::Debian, "1.01", "1.1");
        assert_same(Scheme::Debian, "1.0a", "1.0a0");
        assert_same(Scheme::Debian, "00001:2", "1:2");
        assert_same(Scheme::Debian, "1:2:3-4-5", "1:2:3-4-5");
    }

    #[test]
    fn huge_numbers_and_invalid() {
        assert_order(
            Scheme::Debian,
            &[
                "99999999999999999999999",
                "99999999999999999999999:0",
                "999999999999999999999990:0",
            ],
        );
        for bad in [":1.0", "a:1.0", "1:", "1.0-", "-1", "1:-1"] {
            assert!(Scheme::Debian.parse(bad).is_err(), "{bad}");
        }
        assert!(Scheme::Debian.parse("1.0~rc1-1").unwrap().is_prerelease());
        assert!(!Scheme::Debian.parse("1.0-1~bpo1").unwrap().is_prerelease());
    }
}
