//! Version schemes, one per ecosystem, each exact: a version is parsed once into a compact form
//! (spans into its own text, so parsing allocates little) and compared without re-parsing.
//!
//! Every scheme accepts numbers of any size (digit strings are compared with leading zeros
//! stripped, never converted), never panics on input, and trims surrounding whitespace. Each
//! scheme's module says what it accepts and where it is lenient.
//!
//! [`Version`]'s `Ord`, `Eq` and `Hash` are the scheme's order and equality (`1.0 == 1.0.0` in
//! PEP 440) and always a total order, so versions can be sorted and used as map keys.
//! [`Scheme::compare`] is the ecosystem's reference comparison; it equals `Ord` everywhere except
//! where the reference is not transitive, so that no total order can follow it: Maven's
//! ComparableVersion on some mixes of qualifiers and nested lists (`1-beta < 1 < 1.zzz <
//! 1-beta`), and osv.dev's Packagist comparison for PHP's `#` placeholder. The `maven` and
//! `packagist` module docs say how `Ord` orders those.

mod alpine;
mod debian;
mod go;
mod maven;
mod nuget;
mod packagist;
mod pep440;
mod pub_;
mod rubygems;
mod semver;

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use crate::Ecosystem;

/// Longest version text accepted, in bytes; it bounds the work per comparison and lets spans
/// be `u32`.
pub const MAX_LEN: usize = 1024;

/// A version ordering scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scheme {
    /// SemVer 2.0 (crates.io, npm, Hex; leniently: a leading `v`, one or two components).
    Semver,
    /// Go module versions: SemVer with a `v`, pseudo-versions, `+incompatible`.
    Go,
    /// PEP 440 (PyPI).
    Pep440,
    /// Maven's ComparableVersion.
    Maven,
    /// RubyGems' Gem::Version.
    RubyGems,
    /// NuGet (SemVer 2 with four components, case-insensitive labels).
    NuGet,
    /// Packagist (Composer / PHP `version_compare` after normalisation).
    Packagist,
    /// Dart's pub_semver.
    Pub,
    /// Debian (dpkg).
    Debian,
    /// Alpine (apk).
    Alpine,
}

impl Scheme {
    pub const ALL: [Scheme; 10] = [
        Scheme::Semver,
        Scheme::Go,
        Scheme::Pep440,
        Scheme::Maven,
        Scheme::RubyGems,
        Scheme::NuGet,
        Scheme::Packagist,
        Scheme::Pub,
        Scheme::Debian,
        Scheme::Alpine,
    ];

    pub fn for_ecosystem(ecosystem: Ecosystem) -> Scheme {
        match ecosystem {
            Ecosystem::CratesIo | Ecosystem::Npm | Ecosystem::Hex => Scheme::Semver,
            Ecosystem::Go => Scheme::Go,
            Ecosystem::PyPI => Scheme::Pep440,
            Ecosystem::Maven => Scheme::Maven,
            Ecosystem::RubyGems => Scheme::RubyGems,
            Ecosystem::NuGet => Scheme::NuGet,
            Ecosystem::Packagist => Scheme::Packagist,
            Ecosystem::Pub => Scheme::Pub,
            Ecosystem::Debian => Scheme::Debian,
            Ecosystem::Alpine => Scheme::Alpine,
        }
    }

    /// Parses a version of this scheme.
    pub fn parse(self, text: &str) -> Result<Version, VersionError> {
        let error = |message: String| VersionError {
            scheme: self,
            version: text.to_string(),
            message,
        };
        if text.len() > MAX_LEN {
            return Err(error(format!("longer than {MAX_LEN} bytes")));
        }
        let body = text.trim();
        if body.is_empty() {
            return Err(error("empty".into()));
        }
        if body.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(error("contains whitespace or control characters".into()));
        }
        let start = text.len() - text.trim_start().len();
        let parsed = match self {
            Scheme::Semver => semver::parse(body, semver::Flavour::Semver).map(Parsed::Semver),
            Scheme::Go => go::parse(body).map(Parsed::Go),
            Scheme::Pep440 => pep440::parse(body).map(Parsed::Pep440),
            Scheme::Maven => maven::parse(body).map(Parsed::Maven),
            Scheme::RubyGems => rubygems::parse(body).map(Parsed::RubyGems),
            Scheme::NuGet => nuget::parse(body).map(Parsed::NuGet),
            Scheme::Packagist => packagist::parse(body).map(Parsed::Packagist),
            Scheme::Pub => pub_::parse(body).map(Parsed::Pub),
            Scheme::Debian => debian::parse(body).map(Parsed::Debian),
            Scheme::Alpine => alpine::parse(body).map(Parsed::Alpine),
        }
        .map_err(error)?;
        Ok(Version {
            text: text.to_string(),
            body: Span::new(start, start + body.len()),
            parsed,
        })
    }

    /// Compares two versions of this scheme with the ecosystem's reference comparison.
    pub fn compare(self, a: &str, b: &str) -> Result<Ordering, VersionError> {
        let (a, b) = (self.parse(a)?, self.parse(b)?);
        Ok(a.reference_cmp(&b))
    }
}

/// A parsed version. Equality and order are the scheme's (`1.0 == 1.0.0` in PEP 440); versions
/// of different schemes order by scheme first.
#[derive(Clone, Debug)]
pub struct Version {
    text: String,
    /// The text without surrounding whitespace; the parsed form's spans are relative to it.
    body: Span,
    parsed: Parsed,
}

#[derive(Clone, Debug)]
enum Parsed {
    Semver(semver::Semver),
    Go(semver::Semver),
    Pep440(pep440::Pep440),
    Maven(maven::Maven),
    RubyGems(rubygems::RubyGems),
    NuGet(semver::Semver),
    Packagist(packagist::Packagist),
    Pub(semver::Semver),
    Debian(debian::Debian),
    Alpine(alpine::Alpine),
}

impl Version {
    pub fn scheme(&self) -> Scheme {
        match self.parsed {
            Parsed::Semver(_) => Scheme::Semver,
            Parsed::Go(_) => Scheme::Go,
            Parsed::Pep440(_) => Scheme::Pep440,
            Parsed::Maven(_) => Scheme::Maven,
            Parsed::RubyGems(_) => Scheme::RubyGems,
            Parsed::NuGet(_) => Scheme::NuGet,
            Parsed::Packagist(_) => Scheme::Packagist,
            Parsed::Pub(_) => Scheme::Pub,
            Parsed::Debian(_) => Scheme::Debian,
            Parsed::Alpine(_) => Scheme::Alpine,
        }
    }

    /// The text it was parsed from.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    fn body(&self) -> &str {
        self.body.of(&self.text)
    }

    /// Whether this is a pre-release in its scheme's terms: a SemVer (Go, NuGet, Pub)
    /// pre-release, a PEP 440 pre- or dev-release, a Maven alpha/beta/milestone/rc/snapshot, a
    /// RubyGems version with a letter, a Packagist dev/alpha/beta/RC, a Debian version with `~`
    /// in its upstream part, an Alpine `_alpha`/`_beta`/`_pre`/`_rc`.
    pub fn is_prerelease(&self) -> bool {
        let t = self.body();
        match &self.parsed {
            Parsed::Semver(v) | Parsed::Go(v) | Parsed::NuGet(v) | Parsed::Pub(v) => {
                v.is_prerelease()
            }
            Parsed::Pep440(v) => v.is_prerelease(),
            Parsed::Maven(v) => v.is_prerelease(),
            Parsed::RubyGems(v) => v.is_prerelease(),
            Parsed::Packagist(v) => v.is_prerelease(),
            Parsed::Debian(v) => v.is_prerelease(t),
            Parsed::Alpine(v) => v.is_prerelease(),
        }
    }

    /// Whether this is a Go pseudo-version (`v0.0.0-20191109021931-daa7c04131f5` and its
    /// two other forms); false for other schemes.
    pub fn is_pseudo_version(&self) -> bool {
        match &self.parsed {
            Parsed::Go(v) => go::is_pseudo(v, self.body()),
            _ => false,
        }
    }

    /// The least version above this one, where the scheme has one: in SemVer, a release is
    /// followed by the next patch's first pre-release (`1.2.3` → `1.2.4-0`) and a pre-release
    /// by itself with a `0` identifier appended (`1.2.3-a` → `1.2.3-a.0`), written canonically
    /// (no `v`, no leading zeros, no build metadata). `None` for the other schemes: in
    /// RubyGems and Packagist another version always lies between two (`1.0 < 1.0.0.1 <
    /// 1.0.1`), and for the rest none is computed.
    pub fn successor(&self) -> Option<Version> {
        match &self.parsed {
            Parsed::Semver(v) => Scheme::Semver
                .parse(&semver::successor(v, self.body()))
                .ok(),
            _ => None,
        }
    }

    /// RubyGems' `Gem::Version#bump`, the exclusive upper end of the requirement `~> self`:
    /// the numbers before the first letter or `-`, without the last one unless it is the only
    /// one, the last then incremented (`1.2.3` → `1.3`, `1.2` → `2`, `2.0.0.rc1` → `2.1`).
    /// `None` for the other schemes.
    pub fn bump(&self) -> Option<Version> {
        match &self.parsed {
            Parsed::RubyGems(_) => Scheme::RubyGems.parse(&rubygems::bump(self.body())).ok(),
            _ => None,
        }
    }

    /// The ecosystem's reference comparison, which [`Scheme::compare`] exposes.
    fn reference_cmp(&self, other: &Version) -> Ordering {
        match (&self.parsed, &other.parsed) {
            (Parsed::Packagist(a), Parsed::Packagist(b)) => {
                packagist::reference_cmp(a, self.body(), b, other.body())
            }
            (Parsed::Maven(a), Parsed::Maven(b)) => {
                maven::reference_cmp(a, self.body(), b, other.body())
            }
            _ => self.cmp(other),
        }
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Version) -> Ordering {
        let (a, b) = (self.body(), other.body());
        match (&self.parsed, &other.parsed) {
            (Parsed::Semver(x), Parsed::Semver(y)) | (Parsed::Go(x), Parsed::Go(y)) => {
                semver::cmp(x, a, y, b, semver::Flavour::Semver)
            }
            (Parsed::NuGet(x), Parsed::NuGet(y)) => semver::cmp(x, a, y, b, semver::Flavour::NuGet),
            (Parsed::Pub(x), Parsed::Pub(y)) => semver::cmp(x, a, y, b, semver::Flavour::Pub),
            (Parsed::Pep440(x), Parsed::Pep440(y)) => pep440::cmp(x, a, y, b),
            (Parsed::Maven(x), Parsed::Maven(y)) => maven::cmp(x, a, y, b),
            (Parsed::RubyGems(x), Parsed::RubyGems(y)) => rubygems::cmp(x, a, y, b),
            (Parsed::Packagist(x), Parsed::Packagist(y)) => packagist::cmp(x, a, y, b),
            (Parsed::Debian(x), Parsed::Debian(y)) => debian::cmp(x, a, y, b),
            (Parsed::Alpine(x), Parsed::Alpine(y)) => alpine::cmp(x, a, y, b),
            _ => self.scheme().cmp(&other.scheme()),
        }
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Version) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Version) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Version {}

/// Hashes the scheme's normal form, so versions that compare equal hash equally.
impl Hash for Version {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.scheme().hash(state);
        let t = self.body();
        match &self.parsed {
            Parsed::Semver(v) | Parsed::Go(v) => semver::hash(v, t, semver::Flavour::Semver, state),
            Parsed::NuGet(v) => semver::hash(v, t, semver::Flavour::NuGet, state),
            Parsed::Pub(v) => semver::hash(v, t, semver::Flavour::Pub, state),
            Parsed::Pep440(v) => pep440::hash(v, t, state),
            Parsed::Maven(v) => maven::hash(v, t, state),
            Parsed::RubyGems(v) => rubygems::hash(v, t, state),
            Parsed::Packagist(v) => packagist::hash(v, t, state),
            Parsed::Debian(v) => debian::hash(v, t, state),
            Parsed::Alpine(v) => alpine::hash(v, t, state),
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// A version string the scheme does not accept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {scheme:?} version {version:?}: {message}")]
pub struct VersionError {
    pub scheme: Scheme,
    pub version: String,
    pub message: String,
}

/// A byte range of a version's text. Versions are at most [`MAX_LEN`] bytes, so `u32` fits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Span {
    start: u32,
    end: u32,
}

impl Span {
    fn new(start: usize, end: usize) -> Span {
        Span {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
        }
    }

    /// The spanned text, or "" if the span does not fit `s` (it always does for spans made
    /// from `s`).
    fn of(self, s: &str) -> &str {
        s.get(self.start as usize..self.end as usize).unwrap_or("")
    }

    fn is_empty(self) -> bool {
        self.start >= self.end
    }
}

/// Compares two ASCII digit strings as numbers of any size.
fn cmp_num(a: &str, b: &str) -> Ordering {
    let (a, b) = (strip_zeros(a), strip_zeros(b));
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// A digit string without leading zeros; zero becomes "".
fn strip_zeros(digits: &str) -> &str {
    digits.trim_start_matches('0')
}

fn hash_num<H: Hasher>(digits: &str, state: &mut H) {
    strip_zeros(digits).hash(state);
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn cmp_ignore_ascii_case(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

fn hash_ignore_ascii_case<H: Hasher>(s: &str, state: &mut H) {
    state.write_usize(s.len());
    for b in s.bytes() {
        state.write_u8(b.to_ascii_lowercase());
    }
}

/// A digit string plus one, without leading zeros (`""` reads as zero): `"0099"` → `"100"`.
fn inc_digits(digits: &str) -> String {
    let mut out: Vec<u8> = strip_zeros(digits).bytes().collect();
    let mut carry = true;
    for d in out.iter_mut().rev() {
        if *d == b'9' {
            *d = b'0';
        } else {
            *d += 1;
            carry = false;
            break;
        }
    }
    if carry {
        out.insert(0, b'1');
    }
    String::from_utf8(out).unwrap_or_default()
}

/// The end of the run of ASCII digits starting at `i`.
fn digits_end(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::hash_map::DefaultHasher;

    pub(super) fn hash_of(v: &Version) -> u64 {
        let mut h = DefaultHasher::new();
        v.hash(&mut h);
        h.finish()
    }

    /// Asserts that `a` and `b` parse, compare equal and hash equally.
    pub(super) fn assert_same(scheme: Scheme, a: &str, b: &str) {
        let (x, y) = (scheme.parse(a).unwrap(), scheme.parse(b).unwrap());
        assert_eq!(x, y, "{scheme:?}: {a} == {b}");
        assert_eq!(
            hash_of(&x),
            hash_of(&y),
            "{scheme:?}: hash({a}) == hash({b})"
        );
    }

    pub(super) fn assert_order(scheme: Scheme, versions: &[&str]) {
        let parsed: Vec<Version> = versions.iter().map(|v| scheme.parse(v).unwrap()).collect();
        for (i, a) in parsed.iter().enumerate() {
            for (j, b) in parsed.iter().enumerate() {
                assert_eq!(a.cmp(b), i.cmp(&j), "{scheme:?}: {a} vs {b}");
            }
        }
    }

    #[test]
    fn ecosystems_map_to_schemes() {
        assert_eq!(Scheme::for_ecosystem(Ecosystem::Npm), Scheme::Semver);
        assert_eq!(Scheme::for_ecosystem(Ecosystem::Hex), Scheme::Semver);
        assert_eq!(Scheme::for_ecosystem(Ecosystem::PyPI), Scheme::Pep440);
        assert_eq!(Scheme::for_ecosystem(Ecosystem::Alpine), Scheme::Alpine);
    }

    #[test]
    fn every_scheme_rejects_empty_blank_and_overlong_input() {
        for scheme in Scheme::ALL {
            for bad in ["", "   ", "1 .0", "1.0\u{0}", &"1".repeat(MAX_LEN + 1)] {
                let err = scheme.parse(bad).unwrap_err();
                assert_eq!(err.scheme, scheme);
                assert_eq!(err.version, bad);
            }
        }
    }

    #[test]
    fn text_is_kept_and_whitespace_trimmed() {
        let v = Scheme::Pep440.parse("  1.0.post1 ").unwrap();
        assert_eq!(v.as_str(), "  1.0.post1 ");
        assert_eq!(v.to_string(), "  1.0.post1 ");
        assert_eq!(v, Scheme::Pep440.parse("1.0-1").unwrap());
        assert_eq!(v.scheme(), Scheme::Pep440);
    }

    #[test]
    fn schemes_order_first() {
        let a = Scheme::Semver.parse("9.0.0").unwrap();
        let b = Scheme::Pep440.parse("1.0").unwrap();
        assert!(a < b);
        assert_ne!(a, Scheme::Go.parse("9.0.0").unwrap());
    }

    #[test]
    fn no_panic_on_odd_input() {
        let inputs = [
            "v",
            "V",
            ".",
            "-",
            "+",
            "~",
            ":",
            "_",
            "#",
            "!",
            "1!",
            "1:",
            ":1",
            "1-",
            "1+",
            "1..",
            "..1",
            "é",
            "1.é",
            "1-é",
            "0:",
            "-r",
            "1-r",
            "1_",
            "1_p",
            "1~",
            "1~g",
            "v1.",
            "1.0+",
            "1.0-",
            "1!2!3",
            "+local",
            "1.0+a..b",
            "1.0a.b.c-1-2-3_4",
            "٣",
            "1.2.3-α",
            "𝟙.0",
            "1.0.0-0.0.0-0",
            "00000000000000000000000000000000000001",
            "dev-master",
            "1.x-dev",
        ];
        for scheme in Scheme::ALL {
            for input in inputs {
                if let Ok(v) = scheme.parse(input) {
                    let _ = v.is_prerelease();
                    let _ = (v.successor(), v.bump());
                    let _ = hash_of(&v);
                    for other in inputs {
                        if let Ok(w) = scheme.parse(other) {
                            let _ = v.cmp(&w);
                            let _ = v.reference_cmp(&w);
                        }
                    }
                }
            }
        }
    }

    /// Random strings over the characters versions are made of: parsing never panics, and
    /// `Ord`, `Eq` and `Hash` agree (antisymmetric, transitive, equal values hash equally).
    #[test]
    fn random_input_keeps_order_laws() {
        const ALPHABET: &[u8] = b"0000111299.....----__++~~::!#vVrRpabcdefgilmnostxyzAB ";
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for scheme in Scheme::ALL {
            let mut versions = Vec::new();
            while versions.len() < 400 {
                let len = 1 + (next() % 12) as usize;
                let text: String = (0..len)
                    .map(|_| char::from(ALPHABET[(next() % ALPHABET.len() as u64) as usize]))
                    .collect();
                if let Ok(v) = scheme.parse(&text) {
                    versions.push(v);
                }
            }
            for a in &versions {
                for b in &versions {
                    let o = a.cmp(b);
                    assert_eq!(o, b.cmp(a).reverse(), "{scheme:?}: {a} vs {b}");
                    if o == Ordering::Equal {
                        assert_eq!(hash_of(a), hash_of(b), "{scheme:?}: {a} == {b}");
                    }
                }
            }
            for a in &versions {
                if let Some(next) = a.successor() {
                    assert!(a < &next, "{scheme:?}: {a} < {next}");
                    assert!(
                        !versions.iter().any(|w| a < w && w < &next),
                        "{scheme:?}: a version between {a} and {next}"
                    );
                }
                if let Some(bumped) = a.bump() {
                    assert!(a < &bumped, "{scheme:?}: {a} < {bumped}");
                }
            }
            let mut sorted = versions.clone();
            sorted.sort();
            for (i, a) in sorted.iter().enumerate() {
                for b in sorted.get(i + 1..).unwrap_or_default() {
                    assert_ne!(
                        a.cmp(b),
                        Ordering::Greater,
                        "{scheme:?}: not transitive: {a} > {b}"
                    );
                }
            }
        }
    }

    #[test]
    fn digit_strings_increment() {
        for (digits, next) in [
            ("", "1"),
            ("0", "1"),
            ("7", "8"),
            ("0099", "100"),
            ("129", "130"),
            ("18446744073709551615", "18446744073709551616"),
        ] {
            assert_eq!(inc_digits(digits), next, "{digits}");
        }
    }

    #[test]
    fn successor_and_bump_are_scheme_specific() {
        for scheme in Scheme::ALL {
            let v = scheme.parse("1.2.3").unwrap();
            assert_eq!(
                v.successor().is_some(),
                scheme == Scheme::Semver,
                "{scheme:?}"
            );
            assert_eq!(v.bump().is_some(), scheme == Scheme::RubyGems, "{scheme:?}");
        }
        // Past the length limit there is no successor to parse.
        let long = format!("1.2.3-{}", "a".repeat(MAX_LEN - 6));
        assert!(Scheme::Semver.parse(&long).unwrap().successor().is_none());
    }

    #[test]
    fn digit_strings_compare_as_numbers() {
        assert_eq!(cmp_num("10", "9"), Ordering::Greater);
        assert_eq!(cmp_num("007", "7"), Ordering::Equal);
        assert_eq!(cmp_num("0", ""), Ordering::Equal);
        assert_eq!(
            cmp_num(
                "999999999999999999999999999991",
                "999999999999999999999999999999"
            ),
            Ordering::Less
        );
    }
}
