//! Whether an advisory affects a package version, by the OSV schema's evaluation algorithm.
//!
//! For an affected entry whose ecosystem (base name) and normalised package name equal the
//! package's: the version is affected if it equals one of the explicit `versions` (by the
//! ecosystem scheme's equality) or falls in one of the ranges. `SEMVER` ranges compare with the
//! SemVer scheme, `ECOSYSTEM` ranges with the ecosystem's ([`Scheme::for_ecosystem`]); `GIT`
//! ranges and unknown range types never match a package version. Within a range, the version
//! must be below one of the `limit`s (when there are any); then the events, sorted by version
//! (`introduced: "0"` first, ties kept in their written order), are walked: `introduced` at or
//! below the version sets it vulnerable, `fixed` at or below clears it, `last_affected` below
//! it clears it. Withdrawn advisories never match.
//!
//! Entries converted from RustSec carry the advisory's Cargo requirements
//! ([`REQUIREMENTS_KEY`]); for those the version must be strict SemVer (as in `Cargo.lock`) and
//! is affected iff it lies in one of the intervals cargo-audit derives from the requirements
//! ([`rustsec::affected_intervals`], compared with the `semver` crate), whatever the ranges say.
//!
//! Versions that do not parse are errors, never "not affected": an unparseable installed version
//! fails every entry that needs comparing, an unparseable range event fails its range. The one
//! exception is an unparseable entry of an explicit `versions` list, which can equal no valid
//! version and is skipped (a textually identical one still matches).

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::rc::Rc;

use serde_json::Value;

use super::osv::{Advisory, Affected, EventKind, RangeType, REQUIREMENTS_KEY};
use super::rustsec;
use crate::version::{Scheme, Version};
use crate::Ecosystem;

/// A version the matcher could not use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MatchError {
    #[error("{ecosystem} version {version:?} cannot be compared: {message}")]
    InstalledVersion {
        ecosystem: Ecosystem,
        version: String,
        message: String,
    },
    #[error("advisory {advisory}: version {version:?} cannot be compared: {message}")]
    AdvisoryVersion {
        advisory: String,
        version: String,
        message: String,
    },
    #[error("advisory {advisory}: invalid Cargo version requirement {requirement:?}: {message}")]
    Requirement {
        advisory: String,
        requirement: String,
        message: String,
    },
}

/// A range's type, as matching sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RangeKind {
    Semver,
    Ecosystem,
    Git,
    Other,
}

impl From<&RangeType> for RangeKind {
    fn from(t: &RangeType) -> Self {
        match t {
            RangeType::Semver => RangeKind::Semver,
            RangeType::Ecosystem => RangeKind::Ecosystem,
            RangeType::Git => RangeKind::Git,
            RangeType::Other(_) => RangeKind::Other,
        }
    }
}

/// One range, borrowed from an [`Advisory`] or from the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeRef<'a> {
    pub kind: RangeKind,
    pub events: Vec<(EventKind, &'a str)>,
}

/// RustSec's exact requirements (Cargo `VersionReq` strings).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequirementsRef<'a> {
    pub patched: Vec<&'a str>,
    pub unaffected: Vec<&'a str>,
}

/// A list of strings, borrowed from an [`Advisory`] or packed in the store (decoded only when
/// iterated: PyPI records list hundreds of versions, and a lookup should not pay for them).
#[derive(Clone, Copy)]
pub enum Strs<'a> {
    Owned(&'a [String]),
    /// The strings concatenated, and their byte lengths as little-endian `u32`s.
    Packed {
        text: &'a str,
        lens: &'a [u8],
    },
}

impl<'a> Strs<'a> {
    pub fn len(&self) -> usize {
        match self {
            Strs::Owned(v) => v.len(),
            Strs::Packed { lens, .. } => lens.len() / 4,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn iter(&self) -> impl Iterator<Item = &'a str> + 'a {
        let (owned, packed) = match *self {
            Strs::Owned(v) => (Some(v.iter().map(String::as_str)), None),
            Strs::Packed { text, lens } => {
                let mut at = 0usize;
                let it = lens.chunks_exact(4).map(move |c| {
                    let n = u32::from_le_bytes([c[0], c[1], c[2], c[3]]) as usize;
                    let s = text.get(at..at.saturating_add(n)).unwrap_or("");
                    at = at.saturating_add(n);
                    s
                });
                (None, Some(it))
            }
        };
        owned
            .into_iter()
            .flatten()
            .chain(packed.into_iter().flatten())
    }
}

impl Default for Strs<'_> {
    fn default() -> Self {
        Strs::Owned(&[])
    }
}

impl PartialEq for Strs<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Strs<'_> {}

impl std::fmt::Debug for Strs<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// What matching needs from one affected entry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AffectedRef<'a> {
    pub versions: Strs<'a>,
    pub ranges: Vec<RangeRef<'a>>,
    pub requirements: Option<RequirementsRef<'a>>,
}

impl<'a> AffectedRef<'a> {
    pub fn from_affected(a: &'a Affected) -> AffectedRef<'a> {
        AffectedRef {
            versions: Strs::Owned(&a.versions),
            ranges: a
                .ranges
                .iter()
                .map(|r| RangeRef {
                    kind: RangeKind::from(&r.kind),
                    events: r
                        .events
                        .iter()
                        .map(|e| (e.kind, e.version.as_str()))
                        .collect(),
                })
                .collect(),
            requirements: requirements_of(a.database_specific.as_ref()),
        }
    }
}

fn requirements_of(db: Option<&Value>) -> Option<RequirementsRef<'_>> {
    let r = db?.get(REQUIREMENTS_KEY)?;
    let list = |key: &str| -> Vec<&str> {
        r.get(key)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    };
    Some(RequirementsRef {
        patched: list("patched"),
        unaffected: list("unaffected"),
    })
}

/// One advisory as it concerns one package: its identity and the affected entries that name
/// the package. Built from an [`Advisory`] ([`Candidate::from_advisory`]) or read from the
/// store without parsing the whole record.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Candidate<'a> {
    pub id: &'a str,
    pub modified: &'a str,
    pub aliases: Vec<&'a str>,
    pub withdrawn: bool,
    /// RustSec's `informational` kind (`unmaintained`, `unsound`, `notice`).
    pub informational: Option<&'a str>,
    pub affected: Vec<AffectedRef<'a>>,
}

impl<'a> Candidate<'a> {
    /// The parts of `advisory` that concern the package; `None` when no entry names it.
    pub fn from_advisory(
        advisory: &'a Advisory,
        ecosystem: Ecosystem,
        name: &str,
    ) -> Option<Candidate<'a>> {
        let affected: Vec<AffectedRef<'a>> = advisory
            .affected_for(ecosystem, name)
            .map(AffectedRef::from_affected)
            .collect();
        if affected.is_empty() {
            return None;
        }
        Some(Candidate {
            id: &advisory.id,
            modified: &advisory.modified,
            aliases: advisory.aliases.iter().map(String::as_str).collect(),
            withdrawn: advisory.is_withdrawn(),
            informational: advisory.informational(),
            affected,
        })
    }

    /// The fixed versions this advisory names for the package: `fixed` events of SEMVER and
    /// ECOSYSTEM ranges and the lower bounds of RustSec `patched` requirements, deduplicated,
    /// in the order written.
    pub fn fixed_versions(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut push = |s: String| {
            if !out.contains(&s) {
                out.push(s);
            }
        };
        for a in &self.affected {
            if let Some(req) = &a.requirements {
                for r in &req.patched {
                    for v in requirement_lower_bounds(r) {
                        push(v);
                    }
                }
                continue;
            }
            for r in &a.ranges {
                if !matches!(r.kind, RangeKind::Semver | RangeKind::Ecosystem) {
                    continue;
                }
                for (kind, v) in &r.events {
                    if *kind == EventKind::Fixed {
                        push(v.to_string());
                    }
                }
            }
        }
        out
    }
}

/// The versions at which a Cargo requirement starts to match (`>= 1.2.3` → `1.2.3`,
/// `^0.4` → `0.4.0`, `> 1.2.3` → `1.2.4`), as full SemVer versions.
fn requirement_lower_bounds(req: &str) -> Vec<String> {
    let Ok(req) = semver::VersionReq::parse(req) else {
        return Vec::new();
    };
    req.comparators
        .iter()
        .filter_map(|c| {
            let mut v = semver::Version {
                major: c.major,
                minor: c.minor.unwrap_or(0),
                patch: c.patch.unwrap_or(0),
                pre: c.pre.clone(),
                build: semver::BuildMetadata::EMPTY,
            };
            match c.op {
                semver::Op::GreaterEq
                | semver::Op::Exact
                | semver::Op::Caret
                | semver::Op::Tilde
                | semver::Op::Wildcard => Some(v.to_string()),
                semver::Op::Greater => {
                    // The smallest release above `> x.y.z` (or `> x.y`, `> x`).
                    match (c.minor, c.patch) {
                        (Some(_), Some(_)) => v.patch += 1,
                        (Some(_), None) => {
                            v.minor += 1;
                            v.patch = 0;
                        }
                        _ => {
                            v.major += 1;
                            v.minor = 0;
                            v.patch = 0;
                        }
                    }
                    v.pre = semver::Prerelease::EMPTY;
                    Some(v.to_string())
                }
                _ => None,
            }
        })
        .collect()
}

/// A point on a range's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Point {
    /// `introduced: "0"`: before every version.
    Zero,
    At(Rc<Version>),
    /// A `limit` containing `*`.
    Infinity,
}

impl Ord for Point {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Point::Zero, Point::Zero) | (Point::Infinity, Point::Infinity) => Ordering::Equal,
            (Point::Zero, _) | (_, Point::Infinity) => Ordering::Less,
            (_, Point::Zero) | (Point::Infinity, _) => Ordering::Greater,
            (Point::At(a), Point::At(b)) => a.cmp(b),
        }
    }
}

impl PartialOrd for Point {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Matches one installed version of one package against that package's candidates. Parsed
/// versions are cached per thread, so matching many advisories that list the same versions
/// (PyPI records enumerate every release), and the same advisories against many packages,
/// parses each string once.
pub struct Matcher<'v> {
    ecosystem: Ecosystem,
    installed: &'v str,
    /// Parses of the installed version, per scheme.
    installed_parsed: RefCell<HashMap<Scheme, Result<Version, String>>>,
    cargo: RefCell<Option<Result<semver::Version, String>>>,
}

impl<'v> Matcher<'v> {
    pub fn new(ecosystem: Ecosystem, installed: &'v str) -> Matcher<'v> {
        Matcher {
            ecosystem,
            installed,
            installed_parsed: RefCell::new(HashMap::new()),
            cargo: RefCell::new(None),
        }
    }

    pub fn installed(&self) -> &str {
        self.installed
    }

    /// Whether the advisory affects the installed version. `Ok(true)` as soon as one entry
    /// says so; an error only when no entry does and one could not be decided.
    pub fn affects(&self, candidate: &Candidate<'_>) -> Result<bool, MatchError> {
        if candidate.withdrawn {
            return Ok(false);
        }
        let mut first_error = None;
        for a in &candidate.affected {
            match self.entry_affects(candidate.id, a) {
                Ok(true) => return Ok(true),
                Ok(false) => {}
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(false),
        }
    }

    fn installed_version(&self, scheme: Scheme) -> Result<Version, MatchError> {
        let mut map = self.installed_parsed.borrow_mut();
        let parsed = map
            .entry(scheme)
            .or_insert_with(|| scheme.parse(self.installed).map_err(|e| e.message));
        parsed
            .clone()
            .map_err(|message| MatchError::InstalledVersion {
                ecosystem: self.ecosystem,
                version: self.installed.to_string(),
                message,
            })
    }

    fn installed_cargo(&self) -> Result<semver::Version, MatchError> {
        let mut slot = self.cargo.borrow_mut();
        let parsed = slot.get_or_insert_with(|| {
            semver::Version::parse(self.installed).map_err(|e| e.to_string())
        });
        parsed
            .clone()
            .map_err(|message| MatchError::InstalledVersion {
                ecosystem: self.ecosystem,
                version: self.installed.to_string(),
                message,
            })
    }

    fn parse_cached(&self, scheme: Scheme, text: &str) -> Option<Rc<Version>> {
        VERSIONS.with(|cache| {
            if let Some(v) = cache.borrow().get(&scheme).and_then(|m| m.get(text)) {
                return v.clone();
            }
            let v = scheme.parse(text).ok().map(Rc::new);
            let mut cache = cache.borrow_mut();
            let per_scheme = cache.entry(scheme).or_default();
            // Bounded: the versions named in a database number in the hundreds of thousands.
            if per_scheme.len() > 500_000 {
                per_scheme.clear();
            }
            per_scheme.insert(text.into(), v.clone());
            v
        })
    }

    fn entry_affects(&self, id: &str, a: &AffectedRef<'_>) -> Result<bool, MatchError> {
        if let Some(req) = &a.requirements {
            return self.requirements_affect(id, req);
        }
        let eco_scheme = Scheme::for_ecosystem(self.ecosystem);
        // A textually identical listed version matches whatever the scheme thinks.
        if a.versions.iter().any(|v| v == self.installed) {
            return Ok(true);
        }
        let mut first_error = None;
        for r in &a.ranges {
            let scheme = match r.kind {
                RangeKind::Semver => Scheme::Semver,
                RangeKind::Ecosystem => eco_scheme,
                RangeKind::Git | RangeKind::Other => continue,
            };
            match self.range_affects(id, scheme, &r.events) {
                Ok(true) => return Ok(true),
                Ok(false) => {}
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        if !a.versions.is_empty() {
            match self.installed_version(eco_scheme) {
                Ok(v) => {
                    for listed in a.versions.iter() {
                        if self.parse_cached(eco_scheme, listed).as_deref() == Some(&v) {
                            return Ok(true);
                        }
                    }
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(false),
        }
    }

    fn requirements_affect(&self, id: &str, req: &RequirementsRef<'_>) -> Result<bool, MatchError> {
        let v = self.installed_cargo()?;
        let intervals = cached_intervals(id, req)?;
        Ok(intervals.iter().any(|(introduced, fixed)| {
            introduced.as_ref().is_none_or(|i| v >= *i) && fixed.as_ref().is_none_or(|f| v < *f)
        }))
    }

    fn range_affects(
        &self,
        id: &str,
        scheme: Scheme,
        events: &[(EventKind, &str)],
    ) -> Result<bool, MatchError> {
        let v = Point::At(Rc::new(self.installed_version(scheme)?));
        let point = |kind: EventKind, text: &str| -> Result<Point, MatchError> {
            if kind == EventKind::Introduced && text == "0" {
                return Ok(Point::Zero);
            }
            if kind == EventKind::Limit && text.contains('*') {
                return Ok(Point::Infinity);
            }
            self.parse_cached(scheme, text)
                .map(Point::At)
                .ok_or_else(|| MatchError::AdvisoryVersion {
                    advisory: id.to_string(),
                    version: text.to_string(),
                    message: match scheme.parse(text) {
                        Err(e) => e.message,
                        Ok(_) => "unparseable".to_string(),
                    },
                })
        };
        let mut limits = Vec::new();
        let mut timeline = Vec::with_capacity(events.len());
        for (kind, text) in events {
            let p = point(*kind, text)?;
            if *kind == EventKind::Limit {
                limits.push(p);
            } else {
                timeline.push((p, *kind));
            }
        }
        if !limits.is_empty() && !limits.iter().any(|l| v < *l) {
            return Ok(false);
        }
        // Stable: events at the same version keep their written order.
        timeline.sort_by(|a, b| a.0.cmp(&b.0));
        let mut vulnerable = false;
        for (p, kind) in &timeline {
            match kind {
                EventKind::Introduced if v >= *p => vulnerable = true,
                EventKind::Fixed if v >= *p => vulnerable = false,
                EventKind::LastAffected if v > *p => vulnerable = false,
                _ => {}
            }
        }
        Ok(vulnerable)
    }

    /// Orders two versions of this package by its ecosystem's scheme; `None` when either does
    /// not parse.
    fn order(&self, a: &str, b: &str) -> Option<Ordering> {
        let scheme = Scheme::for_ecosystem(self.ecosystem);
        if self.ecosystem == Ecosystem::CratesIo {
            // Cargo versions are strict SemVer; the `semver` crate orders them as Cargo does.
            if let (Ok(x), Ok(y)) = (semver::Version::parse(a), semver::Version::parse(b)) {
                return Some(x.cmp_precedence(&y));
            }
        }
        Some(
            self.parse_cached(scheme, a)?
                .cmp(&self.parse_cached(scheme, b)?),
        )
    }
}

/// Parsed versions (or `None` for text that does not parse), per scheme and text.
type VersionCache = HashMap<Scheme, HashMap<Box<str>, Option<Rc<Version>>>>;

thread_local! {
    /// Parsed versions of advisories' events and lists, per scheme: a scan matches the same
    /// advisories against many packages and versions, and parsing is most of a match's cost.
    static VERSIONS: RefCell<VersionCache> = RefCell::new(HashMap::new());
    /// The affected intervals of RustSec requirement lists, by their text: a scan matches the
    /// same advisory against many versions (and again for every candidate fix), and parsing
    /// the requirements is most of the cost of a match.
    static INTERVALS: RefCell<HashMap<String, Rc<Vec<rustsec::AffectedInterval>>>> =
        RefCell::new(HashMap::new());
}

fn cached_intervals(
    id: &str,
    req: &RequirementsRef<'_>,
) -> Result<Rc<Vec<rustsec::AffectedInterval>>, MatchError> {
    let mut key = String::new();
    for r in req.patched.iter() {
        key.push_str(r);
        key.push('\n');
    }
    key.push('\0');
    for r in req.unaffected.iter() {
        key.push_str(r);
        key.push('\n');
    }
    if let Some(hit) = INTERVALS.with(|c| c.borrow().get(&key).cloned()) {
        return Ok(hit);
    }
    let mut reqs = Vec::with_capacity(req.patched.len() + req.unaffected.len());
    for r in req.patched.iter().chain(&req.unaffected) {
        reqs.push(
            semver::VersionReq::parse(r).map_err(|e| MatchError::Requirement {
                advisory: id.to_string(),
                requirement: r.to_string(),
                message: e.to_string(),
            })?,
        );
    }
    let intervals =
        rustsec::affected_intervals(&reqs).map_err(|message| MatchError::Requirement {
            advisory: id.to_string(),
            requirement: req
                .patched
                .iter()
                .chain(&req.unaffected)
                .copied()
                .collect::<Vec<_>>()
                .join("; "),
            message,
        })?;
    let intervals = Rc::new(intervals);
    INTERVALS.with(|c| {
        let mut c = c.borrow_mut();
        // Bounded: a database has a few thousand requirement lists.
        if c.len() > 100_000 {
            c.clear();
        }
        c.insert(key, intervals.clone());
    });
    Ok(intervals)
}

/// Whether `advisory` affects `version` of the package `ecosystem`/`name`.
pub fn affects(
    advisory: &Advisory,
    ecosystem: Ecosystem,
    name: &str,
    version: &str,
) -> Result<bool, MatchError> {
    match Candidate::from_advisory(advisory, ecosystem, name) {
        Some(c) => Matcher::new(ecosystem, version).affects(&c),
        None => Ok(false),
    }
}

/// The fixed versions `advisory` names for the package (see [`Candidate::fixed_versions`]).
pub fn fixed_versions(advisory: &Advisory, ecosystem: Ecosystem, name: &str) -> Vec<String> {
    Candidate::from_advisory(advisory, ecosystem, name)
        .map(|c| c.fixed_versions())
        .unwrap_or_default()
}

/// The smallest version above `installed` that none of `advisories` affects, among the fixed
/// versions they name (and RustSec's patched lower bounds); `None` when there is none. Pass
/// every advisory of the package to get a version free of all of them, or only those found
/// for the installed version to get the smallest that fixes those.
pub fn smallest_fix(
    advisories: &[&Advisory],
    ecosystem: Ecosystem,
    name: &str,
    installed: &str,
) -> Result<Option<String>, MatchError> {
    let candidates: Vec<Candidate<'_>> = advisories
        .iter()
        .filter_map(|a| Candidate::from_advisory(a, ecosystem, name))
        .collect();
    smallest_fix_among(&candidates, ecosystem, installed)
}

/// [`smallest_fix`] over candidates (as the store returns them).
pub fn smallest_fix_among(
    candidates: &[Candidate<'_>],
    ecosystem: Ecosystem,
    installed: &str,
) -> Result<Option<String>, MatchError> {
    let matcher = Matcher::new(ecosystem, installed);
    let scheme = Scheme::for_ecosystem(ecosystem);
    if ecosystem != Ecosystem::CratesIo || semver::Version::parse(installed).is_err() {
        matcher.installed_version(scheme)?;
    }
    let mut fixes: Vec<String> = Vec::new();
    for c in candidates.iter().filter(|c| !c.withdrawn) {
        for f in c.fixed_versions() {
            if !fixes.contains(&f) && matcher.order(&f, installed) == Some(Ordering::Greater) {
                fixes.push(f);
            }
        }
    }
    // A release is suggested before any pre-release when the installed version is a release:
    // nobody should be told to move production onto `2.8.3rc1` when `2.9.0` fixes it too.
    let is_prerelease = |text: &str| {
        matcher
            .parse_cached(scheme, text)
            .is_some_and(|v| v.is_prerelease())
    };
    let installed_pre = is_prerelease(installed);
    let (mut releases, mut pre): (Vec<String>, Vec<String>) = fixes
        .into_iter()
        .partition(|f| installed_pre || !is_prerelease(f));
    if let Some(f) = smallest_unaffected(&matcher, &mut releases, ecosystem, candidates)? {
        return Ok(Some(f));
    }
    smallest_unaffected(&matcher, &mut pre, ecosystem, candidates)
}

/// The smallest of `fixes` that none of `candidates` affects.
fn smallest_unaffected(
    matcher: &Matcher<'_>,
    fixes: &mut Vec<String>,
    ecosystem: Ecosystem,
    candidates: &[Candidate<'_>],
) -> Result<Option<String>, MatchError> {
    // Smallest first, by repeated selection rather than a sort: a handful of candidates, and
    // no total-order requirement on a comparison that mixes two parsers.
    'fix: while !fixes.is_empty() {
        let mut min = 0;
        for i in 1..fixes.len() {
            if matcher.order(&fixes[i], &fixes[min]) == Some(Ordering::Less) {
                min = i;
            }
        }
        let f = fixes.swap_remove(min);
        let m = Matcher::new(ecosystem, &f);
        for c in candidates {
            if m.affects(c)? {
                continue 'fix;
            }
        }
        return Ok(Some(f));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisory::osv::Advisory;

    fn adv(json: &str) -> Advisory {
        Advisory::from_json(json).unwrap()
    }

    /// An advisory with one range of `kind` over `events` for crates.io `pkg`.
    fn ranged(kind: &str, events: &str) -> Advisory {
        adv(&format!(
            r#"{{"id": "T-1", "modified": "2024-01-01T00:00:00Z", "affected": [{{
                "package": {{"ecosystem": "crates.io", "name": "pkg"}},
                "ranges": [{{"type": "{kind}", "events": {events}}}]}}]}}"#
        ))
    }

    fn check(a: &Advisory, yes: &[&str], no: &[&str]) {
        for v in yes {
            assert_eq!(
                affects(a, Ecosystem::CratesIo, "pkg", v),
                Ok(true),
                "{v} should be affected"
            );
        }
        for v in no {
            assert_eq!(
                affects(a, Ecosystem::CratesIo, "pkg", v),
                Ok(false),
                "{v} should not be affected"
            );
        }
    }

    // The OSV schema's examples, in order.

    #[test]
    fn unfixed() {
        let a = ranged("SEMVER", r#"[{"introduced": "0"}]"#);
        check(&a, &["0.0.0", "0.0.0-alpha", "1.0.0", "99.0.0"], &[]);
    }

    #[test]
    fn fixed() {
        let a = ranged("SEMVER", r#"[{"introduced": "0"}, {"fixed": "1.0.2"}]"#);
        check(
            &a,
            &["0.1.0", "1.0.1", "1.0.2-rc.1"],
            &["1.0.2", "1.0.3", "2.0.0"],
        );
    }

    #[test]
    fn multiple_ranges() {
        let a = ranged(
            "SEMVER",
            r#"[{"introduced": "1.0.0"}, {"fixed": "1.0.2"}, {"introduced": "3.0.0"}, {"fixed": "3.2.5"}]"#,
        );
        check(
            &a,
            &["1.0.0", "1.0.1", "3.0.0", "3.2.4"],
            &["0.9.0", "1.0.2", "2.5.0", "3.2.5", "4.0.0"],
        );
    }

    #[test]
    fn unsorted_events_are_sorted() {
        let a = ranged(
            "SEMVER",
            r#"[{"fixed": "3.2.5"}, {"introduced": "3.0.0"}, {"fixed": "1.0.2"}, {"introduced": "1.0.0"}]"#,
        );
        check(&a, &["1.0.1", "3.1.0"], &["0.9.0", "2.0.0", "3.2.5"]);
    }

    #[test]
    fn last_affected() {
        let a = ranged(
            "ECOSYSTEM",
            r#"[{"introduced": "0"}, {"last_affected": "2.1.214"}]"#,
        );
        check(&a, &["1.0.0", "2.1.214"], &["2.1.215", "3.0.0"]);
    }

    #[test]
    fn fixed_versus_last_affected() {
        let a = ranged("SEMVER", r#"[{"introduced": "0"}, {"fixed": "2.1.214"}]"#);
        check(&a, &["2.1.213"], &["2.1.214"]);
    }

    #[test]
    fn introduced_not_zero() {
        let a = ranged("SEMVER", r#"[{"introduced": "1.5.0"}]"#);
        check(&a, &["1.5.0", "2.0.0"], &["1.4.9", "1.5.0-beta"]);
    }

    #[test]
    fn limit() {
        let a = ranged("SEMVER", r#"[{"introduced": "1.0.0"}, {"limit": "2.0.0"}]"#);
        check(&a, &["1.0.0", "1.9.9"], &["0.9.0", "2.0.0", "2.1.0"]);
        let star = ranged("SEMVER", r#"[{"introduced": "1.0.0"}, {"limit": "*"}]"#);
        check(&star, &["1.0.0", "9.0.0"], &["0.9.0"]);
        let two = ranged(
            "SEMVER",
            r#"[{"introduced": "0"}, {"fixed": "1.5.0"}, {"limit": "1.0.0"}, {"limit": "3.0.0"}]"#,
        );
        check(&two, &["0.5.0", "1.2.0"], &["1.5.0", "3.0.0"]);
    }

    #[test]
    fn empty_and_reintroduced_at_the_same_version() {
        let empty = ranged("SEMVER", r#"[{"introduced": "1.0.0"}, {"fixed": "1.0.0"}]"#);
        check(&empty, &[], &["0.9.0", "1.0.0", "1.1.0"]);
        let again = ranged(
            "SEMVER",
            r#"[{"introduced": "1.0.0"}, {"fixed": "2.0.0"}, {"introduced": "2.0.0"}, {"fixed": "3.0.0"}]"#,
        );
        check(&again, &["1.0.0", "2.0.0", "2.5.0"], &["3.0.0"]);
    }

    #[test]
    fn git_ranges_do_not_match_versions() {
        let a = ranged("GIT", r#"[{"introduced": "0"}, {"fixed": "abcdef"}]"#);
        check(&a, &[], &["1.0.0"]);
    }

    #[test]
    fn explicit_versions() {
        let a = adv(
            r#"{"id": "T-2", "modified": "", "affected": [{"package": {"ecosystem": "crates.io", "name": "pkg"},
               "versions": ["1.0.0", "1.1.0", "not a version"]}]}"#,
        );
        check(&a, &["1.0.0", "1.1.0", "not a version"], &["1.0.1"]);
    }

    #[test]
    fn other_packages_and_withdrawn() {
        let mut a = ranged("SEMVER", r#"[{"introduced": "0"}]"#);
        assert_eq!(
            affects(&a, Ecosystem::CratesIo, "other", "1.0.0"),
            Ok(false)
        );
        assert_eq!(affects(&a, Ecosystem::Npm, "pkg", "1.0.0"), Ok(false));
        a.withdrawn = Some("2024-02-01T00:00:00Z".into());
        assert_eq!(affects(&a, Ecosystem::CratesIo, "pkg", "1.0.0"), Ok(false));
    }

    #[test]
    fn unparseable_versions_are_errors() {
        let a = ranged("SEMVER", r#"[{"introduced": "0"}, {"fixed": "1.0.2"}]"#);
        assert!(matches!(
            affects(&a, Ecosystem::CratesIo, "pkg", "not-a-version"),
            Err(MatchError::InstalledVersion { .. })
        ));
        let bad = ranged("SEMVER", r#"[{"introduced": "0"}, {"fixed": "one.two"}]"#);
        assert!(matches!(
            affects(&bad, Ecosystem::CratesIo, "pkg", "1.0.0"),
            Err(MatchError::AdvisoryVersion { .. })
        ));
    }

    fn rustsec(patched: &[&str], unaffected: &[&str]) -> Advisory {
        let mut a = ranged("SEMVER", r#"[{"introduced": "0"}]"#);
        a.affected[0].database_specific = Some(serde_json::json!({
            REQUIREMENTS_KEY: {"patched": patched, "unaffected": unaffected}
        }));
        a
    }

    #[test]
    fn rustsec_requirements_follow_cargo_semantics() {
        let a = rustsec(&[">= 1.2.0"], &["< 0.5.0"]);
        check(
            &a,
            &["0.5.0", "1.1.9", "1.2.0-rc.1"],
            &["0.4.0", "1.2.0", "3.0.0"],
        );
        // Intervals by version order, as cargo-audit: `>= 1.2.0` covers 2.0.0-alpha.1, which
        // `VersionReq::matches` would not.
        check(&a, &[], &["2.0.0-alpha.1"]);
        let caret = rustsec(&["^0.3.5", ">= 0.4.2"], &[]);
        check(
            &caret,
            &["0.3.4", "0.4.0", "0.4.0-rc.1", "0.4.1"],
            &["0.3.5", "0.3.9", "0.4.2"],
        );
        // `^0.3.5` ends at 0.4.0-0: 0.4.0's pre-releases are affected.
        check(&caret, &["0.4.0-0"], &["0.3.99"]);
        let none = rustsec(&[], &[]);
        check(&none, &["0.0.1", "9.9.9"], &[]);
        assert!(matches!(
            affects(&a, Ecosystem::CratesIo, "pkg", "1"),
            Err(MatchError::InstalledVersion { .. })
        ));
    }

    #[test]
    fn fixed_versions_and_smallest_fix_rustsec() {
        let a = rustsec(&["^0.3.5", ">= 0.4.2"], &["< 0.2.0"]);
        assert_eq!(
            fixed_versions(&a, Ecosystem::CratesIo, "pkg"),
            ["0.3.5", "0.4.2"]
        );
        assert_eq!(
            smallest_fix(&[&a], Ecosystem::CratesIo, "pkg", "0.3.0"),
            Ok(Some("0.3.5".into()))
        );
        assert_eq!(
            smallest_fix(&[&a], Ecosystem::CratesIo, "pkg", "0.4.0"),
            Ok(Some("0.4.2".into()))
        );
        // Another advisory affecting 0.4.2 pushes the fix past it.
        let b = rustsec(&[">= 0.4.3"], &["< 0.4.2"]);
        let b_fix = fixed_versions(&b, Ecosystem::CratesIo, "pkg");
        assert_eq!(b_fix, ["0.4.3"]);
        assert_eq!(
            smallest_fix(&[&a, &b], Ecosystem::CratesIo, "pkg", "0.4.0"),
            Ok(Some("0.4.3".into()))
        );
        let unfixed = rustsec(&[], &[]);
        assert_eq!(
            smallest_fix(&[&unfixed], Ecosystem::CratesIo, "pkg", "0.4.0"),
            Ok(None)
        );
        assert_eq!(requirement_lower_bounds("> 1.2.3"), ["1.2.4"]);
        assert_eq!(requirement_lower_bounds(">= 1.2.3, < 2"), ["1.2.3"]);
    }

    #[test]
    fn smallest_fix_osv_ranges() {
        let a = ranged(
            "SEMVER",
            r#"[{"introduced": "0"}, {"fixed": "1.0.2"}, {"introduced": "1.1.0"}, {"fixed": "1.1.3"}]"#,
        );
        let b = ranged("SEMVER", r#"[{"introduced": "1.0.0"}, {"fixed": "1.1.0"}]"#);
        assert_eq!(
            fixed_versions(&a, Ecosystem::CratesIo, "pkg"),
            ["1.0.2", "1.1.3"]
        );
        assert_eq!(
            smallest_fix(&[&a], Ecosystem::CratesIo, "pkg", "1.0.0"),
            Ok(Some("1.0.2".into()))
        );
        // b affects 1.0.2; 1.1.0 is not a fix for a (re-introduced); 1.1.3 is clean.
        assert_eq!(
            smallest_fix(&[&a, &b], Ecosystem::CratesIo, "pkg", "1.0.0"),
            Ok(Some("1.1.3".into()))
        );
        assert_eq!(
            smallest_fix(&[&a], Ecosystem::CratesIo, "pkg", "2.0.0"),
            Ok(None)
        );
    }

    #[test]
    fn smallest_fix_prefers_releases_for_releases() {
        let a = ranged(
            "SEMVER",
            r#"[{"introduced": "0"}, {"fixed": "2.0.0-rc.1"}]"#,
        );
        let b = ranged("SEMVER", r#"[{"introduced": "0"}, {"fixed": "2.0.1"}]"#);
        // Only a pre-release fixes a: it is still the answer.
        assert_eq!(
            smallest_fix(&[&a], Ecosystem::CratesIo, "pkg", "1.0.0"),
            Ok(Some("2.0.0-rc.1".into()))
        );
        // A release that fixes both wins over the smaller pre-release.
        let c = ranged(
            "SEMVER",
            r#"[{"introduced": "0"}, {"fixed": "2.0.0-rc.1"}, {"fixed": "2.0.1"}]"#,
        );
        assert_eq!(
            smallest_fix(&[&c, &b], Ecosystem::CratesIo, "pkg", "1.0.0"),
            Ok(Some("2.0.1".into()))
        );
        // From a pre-release, pre-releases are fair game.
        assert_eq!(
            smallest_fix(&[&c], Ecosystem::CratesIo, "pkg", "1.0.0-beta.1"),
            Ok(Some("2.0.0-rc.1".into()))
        );
    }
}
