//! RubyGems versions, ordered as `Gem::Version#<=>`.
//!
//! Every `-` reads as `.pre.`; the version is the runs of digits and of letters in it
//! (`1.0.b1` = `[1, 0, "b", 1]`); trailing zeros are dropped from the numeric head and from
//! the rest (`1.0.a` = `1.a`, `1.a.0` = `1.a`); then segments compare in turn, a missing one
//! reading as 0, numbers as numbers (of any size), letters bytewise, and letters below numbers,
//! so `1.0.a` (a pre-release) < `1.0`. A version with a letter (or a `-`) is a pre-release.
//!
//! Characters are those Gem::Version allows (`[0-9A-Za-z.-]`, starting with a digit), but the
//! structure is read leniently, as osv-scalibr does (`1beta` = `1.beta`), since Gem::Version's
//! stricter pattern would only turn such versions from advisories into errors.

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

use super::{cmp_num, digits_end, hash_num, inc_digits, strip_zeros, Span};

#[derive(Clone, Debug)]
pub(super) struct RubyGems {
    /// Gem::Version's canonical segments.
    segments: Vec<Segment>,
    prerelease: bool,
}

#[derive(Clone, Copy, Debug)]
enum Segment {
    /// Digits without leading zeros (empty for zero).
    Num(Span),
    Letters(Span),
    /// The `pre` a `-` stands for.
    Pre,
}

impl Segment {
    fn is_zero(self) -> bool {
        matches!(self, Segment::Num(n) if n.is_empty())
    }

    fn letters(self, t: &str) -> Option<&str> {
        match self {
            Segment::Num(_) => None,
            Segment::Letters(s) => Some(s.of(t)),
            Segment::Pre => Some("pre"),
        }
    }
}

impl RubyGems {
    pub(super) fn is_prerelease(&self) -> bool {
        self.prerelease
    }
}

pub(super) fn parse(s: &str) -> Result<RubyGems, String> {
    let b = s.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_digit) {
        return Err("does not start with a digit".into());
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '.' || *c == '-'))
    {
        return Err(format!("invalid character {c:?}"));
    }
    let mut segments = Vec::new();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let mut end = i + 1;
        if c.is_ascii_digit() {
            while b.get(end).is_some_and(u8::is_ascii_digit) {
                end += 1;
            }
            let digits = s.get(i..end).unwrap_or("");
            segments.push(Segment::Num(Span::new(
                end - strip_zeros(digits).len(),
                end,
            )));
        } else if c.is_ascii_alphabetic() {
            while b.get(end).is_some_and(u8::is_ascii_alphabetic) {
                end += 1;
            }
            segments.push(Segment::Letters(Span::new(i, end)));
        } else if c == b'-' {
            segments.push(Segment::Pre);
        }
        i = end;
    }
    // Canonical segments: trailing zeros go from the numeric head and from the rest.
    let head = segments
        .iter()
        .position(|s| !matches!(s, Segment::Num(_)))
        .unwrap_or(segments.len());
    while segments.len() > head && segments.last().is_some_and(|s| s.is_zero()) {
        segments.pop();
    }
    let mut tail = segments.split_off(head);
    while segments.last().is_some_and(|s| s.is_zero()) {
        segments.pop();
    }
    segments.append(&mut tail);
    let prerelease = b.iter().any(|c| c.is_ascii_alphabetic() || *c == b'-');
    Ok(RubyGems {
        segments,
        prerelease,
    })
}

/// `Gem::Version#bump` of the text `t` (see `Version::bump`): its segments are runs of digits
/// or letters, a `-` reading as the letters `pre`, so the numbers end at the first letter or
/// `-`; numbers are written without leading zeros, as Ruby's integers are.
pub(super) fn bump(t: &str) -> String {
    let b = t.as_bytes();
    let mut numbers = Vec::new();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c.is_ascii_digit() {
            let end = digits_end(b, i);
            numbers.push(t.get(i..end).unwrap_or(""));
            i = end;
        } else if c == b'.' {
            i += 1;
        } else {
            break;
        }
    }
    if numbers.len() > 1 {
        numbers.pop();
    }
    let last = numbers.pop().unwrap_or("");
    let mut out: Vec<String> = numbers
        .into_iter()
        .map(|n| match strip_zeros(n) {
            "" => "0".to_string(),
            d => d.to_string(),
        })
        .collect();
    out.push(inc_digits(last));
    out.join(".")
}

pub(super) fn cmp(a: &RubyGems, at: &str, b: &RubyGems, bt: &str) -> Ordering {
    let zero = Segment::Num(Span::default());
    for i in 0..a.segments.len().max(b.segments.len()) {
        let x = a.segments.get(i).copied().unwrap_or(zero);
        let y = b.segments.get(i).copied().unwrap_or(zero);
        let o = match (x.letters(at), y.letters(bt), x, y) {
            (Some(p), Some(q), _, _) => p.cmp(q),
            (Some(_), None, _, _) => Ordering::Less,
            (None, Some(_), _, _) => Ordering::Greater,
            (None, None, Segment::Num(p), Segment::Num(q)) => cmp_num(p.of(at), q.of(bt)),
            (None, None, _, _) => Ordering::Equal,
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

pub(super) fn hash<H: Hasher>(v: &RubyGems, t: &str, state: &mut H) {
    v.segments.len().hash(state);
    for s in &v.segments {
        match (s, s.letters(t)) {
            (_, Some(letters)) => {
                state.write_u8(1);
                letters.hash(state);
            }
            (Segment::Num(n), None) => {
                state.write_u8(0);
                hash_num(n.of(t), state);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_order, assert_same};
    use super::super::Scheme;

    #[test]
    fn canonical_segments() {
        assert_same(Scheme::RubyGems, "1.0", "1");
        assert_same(Scheme::RubyGems, "1.0.a", "1.a");
        assert_same(Scheme::RubyGems, "1.a.0", "1.a");
        assert_same(Scheme::RubyGems, "1.0.a2", "1.0.a.2");
        assert_same(Scheme::RubyGems, "1.0-rc1", "1.0.pre.rc.1");
        assert_same(Scheme::RubyGems, "01.002", "1.2");
    }

    #[test]
    fn order() {
        assert_order(
            Scheme::RubyGems,
            &[
                "0.9",
                "1.0.a.2",
                "1.0.b1",
                "1.0.b9",
                "1.0.b10",
                "1.0.rc",
                "1.0",
                "1.0.1",
                "3.2",
                "3.10",
                "99999999999999999999999",
            ],
        );
        // `-` reads as `.pre.`, which sorts below `.rc`.
        assert_order(Scheme::RubyGems, &["1.0-rc1", "1.0.rc1"]);
    }

    #[test]
    fn bump() {
        for (v, bumped) in [
            ("1.2.3", "1.3"),
            ("1.2", "2"),
            ("1", "2"),
            ("1.2.0", "1.3"),
            ("01.09.5", "1.10"),
            ("2.0.0.rc1", "2.1"),
            ("3.0.0-beta", "3.1"),
            ("3-beta", "4"),
            ("1.2beta", "2"),
            ("4.2.5.1", "4.2.6"),
            ("9.99999999999999999999.1", "9.100000000000000000000"),
        ] {
            let v = Scheme::RubyGems.parse(v).unwrap();
            let b = v.bump().unwrap();
            assert_eq!(b.as_str(), bumped, "{v}");
            assert!(v < b, "{v} < {b}");
        }
    }

    #[test]
    fn invalid_and_prerelease() {
        for bad in ["a1", ".1", "1_0", "1.0+x"] {
            assert!(Scheme::RubyGems.parse(bad).is_err(), "{bad}");
        }
        assert!(Scheme::RubyGems.parse("1.0.beta").unwrap().is_prerelease());
        assert!(Scheme::RubyGems.parse("1.0-1").unwrap().is_prerelease());
        assert!(!Scheme::RubyGems.parse("1.0.1").unwrap().is_prerelease());
    }
}
