//! Sets of versions as unions of intervals, and their OSV events.
//!
//! Requirement languages are evaluated as set algebra: a comparator is an interval, a
//! conjunction an intersection, a disjunction a union, "affected unless patched" a complement.
//! Versions are ordered by their ecosystem's scheme ([`crate::version`]). A [`Set`] is kept
//! normal (sorted, disjoint, no two intervals touching), so that its OSV events are one
//! `introduced` per interval and one `fixed` or `last_affected` per bounded interval, and two
//! spellings of the same set give the same events.

use std::cmp::Ordering;

use crate::advisory::osv::EventKind;
use crate::version::Version;

/// A bound: the version, ordered by its scheme, and the text the events show for it.
#[derive(Debug, Clone)]
pub struct Point {
    pub version: Version,
    pub text: String,
}

impl Point {
    /// A bound shown as the version's own text.
    pub fn new(version: Version) -> Point {
        let text = version.as_str().trim().to_string();
        Point { version, text }
    }

    /// A bound shown as `text`, a spelling of `version` the advisory used.
    pub fn shown_as(version: Version, text: impl Into<String>) -> Point {
        Point {
            version,
            text: text.into(),
        }
    }
}

#[derive(Debug, Clone)]
pub enum Lower {
    /// Below every version.
    Min,
    Incl(Point),
    Excl(Point),
}

#[derive(Debug, Clone)]
pub enum Upper {
    Incl(Point),
    Excl(Point),
    /// Above every version.
    Max,
}

#[derive(Debug, Clone)]
pub struct Interval {
    pub lo: Lower,
    pub hi: Upper,
}

impl Interval {
    pub fn new(lo: Lower, hi: Upper) -> Interval {
        Interval { lo, hi }
    }

    fn is_empty(&self) -> bool {
        match (&self.lo, &self.hi) {
            (Lower::Min, _) | (_, Upper::Max) => false,
            (Lower::Incl(a), Upper::Incl(b)) => a.version > b.version,
            (Lower::Incl(a), Upper::Excl(b))
            | (Lower::Excl(a), Upper::Incl(b))
            | (Lower::Excl(a), Upper::Excl(b)) => a.version >= b.version,
        }
    }
}

fn cmp_lower(a: &Lower, b: &Lower) -> Ordering {
    match (a, b) {
        (Lower::Min, Lower::Min) => Ordering::Equal,
        (Lower::Min, _) => Ordering::Less,
        (_, Lower::Min) => Ordering::Greater,
        (Lower::Incl(x), Lower::Incl(y)) | (Lower::Excl(x), Lower::Excl(y)) => {
            x.version.cmp(&y.version)
        }
        (Lower::Incl(x), Lower::Excl(y)) => x.version.cmp(&y.version).then(Ordering::Less),
        (Lower::Excl(x), Lower::Incl(y)) => x.version.cmp(&y.version).then(Ordering::Greater),
    }
}

fn cmp_upper(a: &Upper, b: &Upper) -> Ordering {
    match (a, b) {
        (Upper::Max, Upper::Max) => Ordering::Equal,
        (Upper::Max, _) => Ordering::Greater,
        (_, Upper::Max) => Ordering::Less,
        (Upper::Incl(x), Upper::Incl(y)) | (Upper::Excl(x), Upper::Excl(y)) => {
            x.version.cmp(&y.version)
        }
        (Upper::Excl(x), Upper::Incl(y)) => x.version.cmp(&y.version).then(Ordering::Less),
        (Upper::Incl(x), Upper::Excl(y)) => x.version.cmp(&y.version).then(Ordering::Greater),
    }
}

/// Whether an interval ending at `hi` and one starting at `lo` (not before the first's
/// start) overlap or touch, so that their union is one interval.
fn joins(hi: &Upper, lo: &Lower) -> bool {
    match (hi, lo) {
        (Upper::Max, _) | (_, Lower::Min) => true,
        (Upper::Excl(h), Lower::Excl(l)) => h.version > l.version,
        (Upper::Incl(h), Lower::Incl(l) | Lower::Excl(l)) | (Upper::Excl(h), Lower::Incl(l)) => {
            h.version >= l.version
        }
    }
}

/// A set with an interval that starts just above a version that has no least successor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unexpressible {
    /// The version the interval starts above.
    pub after: String,
}

impl std::fmt::Display for Unexpressible {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the affected versions start just above {} (exclusive), which OSV events cannot \
             express in this ecosystem (`introduced` is inclusive and no version is the next one)",
            self.after
        )
    }
}

/// A set of versions: a normal union of intervals.
#[derive(Debug, Clone)]
pub struct Set {
    intervals: Vec<Interval>,
}

impl Set {
    pub fn empty() -> Set {
        Set {
            intervals: Vec::new(),
        }
    }

    pub fn all() -> Set {
        Set::from_intervals(vec![Interval::new(Lower::Min, Upper::Max)])
    }

    pub fn from_intervals(intervals: Vec<Interval>) -> Set {
        let mut v: Vec<Interval> = intervals.into_iter().filter(|i| !i.is_empty()).collect();
        v.sort_by(|a, b| cmp_lower(&a.lo, &b.lo));
        let mut out: Vec<Interval> = Vec::with_capacity(v.len());
        for i in v {
            match out.last_mut() {
                Some(last) if joins(&last.hi, &i.lo) => {
                    if cmp_upper(&i.hi, &last.hi) == Ordering::Greater {
                        last.hi = i.hi;
                    }
                }
                _ => out.push(i),
            }
        }
        Set { intervals: out }
    }

    pub fn interval(lo: Lower, hi: Upper) -> Set {
        Set::from_intervals(vec![Interval::new(lo, hi)])
    }

    pub fn is_empty(&self) -> bool {
        self.intervals.is_empty()
    }

    #[cfg(test)]
    pub fn intervals(&self) -> &[Interval] {
        &self.intervals
    }

    pub fn union(&self, other: &Set) -> Set {
        let mut all = self.intervals.clone();
        all.extend(other.intervals.iter().cloned());
        Set::from_intervals(all)
    }

    pub fn intersect(&self, other: &Set) -> Set {
        let mut out = Vec::new();
        for a in &self.intervals {
            for b in &other.intervals {
                let lo = if cmp_lower(&a.lo, &b.lo) == Ordering::Less {
                    b.lo.clone()
                } else {
                    a.lo.clone()
                };
                let hi = if cmp_upper(&a.hi, &b.hi) == Ordering::Greater {
                    b.hi.clone()
                } else {
                    a.hi.clone()
                };
                out.push(Interval::new(lo, hi));
            }
        }
        Set::from_intervals(out)
    }

    pub fn complement(&self) -> Set {
        let mut out = Vec::new();
        let mut from = Some(Lower::Min);
        for i in &self.intervals {
            let Some(lo) = from.take() else { break };
            let hi = match &i.lo {
                Lower::Min => None,
                Lower::Incl(p) => Some(Upper::Excl(p.clone())),
                Lower::Excl(p) => Some(Upper::Incl(p.clone())),
            };
            if let Some(hi) = hi {
                out.push(Interval::new(lo, hi));
            }
            from = match &i.hi {
                Upper::Max => None,
                Upper::Incl(p) => Some(Lower::Excl(p.clone())),
                Upper::Excl(p) => Some(Lower::Incl(p.clone())),
            };
        }
        if let Some(lo) = from {
            out.push(Interval::new(lo, Upper::Max));
        }
        Set::from_intervals(out)
    }

    /// OSV events, one list per range: intervals ending in `fixed` (or unbounded) in one range,
    /// intervals ending in `last_affected` in another, as a range may not mix the two. An
    /// interval that starts just after a version starts at its [`Version::successor`], the
    /// least version above it; where the scheme has none the set cannot be expressed and the
    /// error says why.
    pub fn to_events(&self) -> Result<Vec<Vec<(EventKind, String)>>, Unexpressible> {
        let mut fixed = Vec::new();
        let mut last = Vec::new();
        for i in &self.intervals {
            let introduced = match &i.lo {
                Lower::Min => "0".to_string(),
                // `introduced: "0"` means "from the very first version", which is below a
                // version written `0` wherever pre-releases of 0 exist: spell it `0.0`.
                Lower::Incl(p) if p.text.trim() == "0" => "0.0".to_string(),
                Lower::Incl(p) => p.text.clone(),
                Lower::Excl(p) => match p.version.successor() {
                    Some(next) => next.as_str().to_string(),
                    None => {
                        return Err(Unexpressible {
                            after: p.text.clone(),
                        })
                    }
                },
            };
            match &i.hi {
                Upper::Max => fixed.push((EventKind::Introduced, introduced)),
                Upper::Excl(p) => {
                    fixed.push((EventKind::Introduced, introduced));
                    fixed.push((EventKind::Fixed, p.text.clone()));
                }
                Upper::Incl(p) => {
                    last.push((EventKind::Introduced, introduced));
                    last.push((EventKind::LastAffected, p.text.clone()));
                }
            }
        }
        Ok([fixed, last]
            .into_iter()
            .filter(|e| !e.is_empty())
            .collect())
    }
}

/// OSV's evaluation of `groups` (one event list per range) at each of `versions`, as the
/// schema defines it: events sorted by version (`introduced: 0` first, ties in written order).
#[cfg(test)]
pub fn osv_affects<K: Ord>(
    groups: &[Vec<(EventKind, String)>],
    parse: impl Fn(&str) -> K,
    versions: &[K],
) -> Vec<bool> {
    let timelines: Vec<Vec<(Option<K>, EventKind)>> = groups
        .iter()
        .map(|events| {
            let mut t: Vec<(Option<K>, EventKind)> = events
                .iter()
                .map(|(k, v)| {
                    (
                        (!(*k == EventKind::Introduced && v == "0")).then(|| parse(v)),
                        *k,
                    )
                })
                .collect();
            t.sort_by(|a, b| a.0.cmp(&b.0));
            t
        })
        .collect();
    versions
        .iter()
        .map(|v| {
            timelines.iter().any(|timeline| {
                let mut vulnerable = false;
                for (at, kind) in timeline {
                    let reached = at.as_ref().is_none_or(|p| v >= p);
                    match kind {
                        EventKind::Introduced if reached => vulnerable = true,
                        EventKind::Fixed if reached => vulnerable = false,
                        EventKind::LastAffected if at.as_ref().is_some_and(|p| v > p) => {
                            vulnerable = false
                        }
                        _ => {}
                    }
                }
                vulnerable
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::Scheme;

    fn p(v: &str) -> Point {
        Point::new(Scheme::Semver.parse(v).unwrap())
    }
    fn ge(v: &str) -> Set {
        Set::interval(Lower::Incl(p(v)), Upper::Max)
    }
    fn gt(v: &str) -> Set {
        Set::interval(Lower::Excl(p(v)), Upper::Max)
    }
    fn lt(v: &str) -> Set {
        Set::interval(Lower::Min, Upper::Excl(p(v)))
    }
    fn le(v: &str) -> Set {
        Set::interval(Lower::Min, Upper::Incl(p(v)))
    }
    fn events(s: &Set) -> Result<Vec<Vec<(EventKind, String)>>, Unexpressible> {
        s.to_events()
    }
    fn ev(list: &[(EventKind, &str)]) -> Vec<(EventKind, String)> {
        list.iter().map(|(k, v)| (*k, v.to_string())).collect()
    }
    use EventKind::{Fixed, Introduced as In, LastAffected};

    #[test]
    fn union_merges_touching_and_overlapping() {
        let s = lt("3.0.0").union(&ge("3.0.0"));
        assert_eq!(events(&s).unwrap(), vec![ev(&[(In, "0")])]);
        let s = ge("1.0.0")
            .intersect(&lt("3.0.0"))
            .union(&ge("2.0.0").intersect(&lt("5.0.0")));
        assert_eq!(
            events(&s).unwrap(),
            vec![ev(&[(In, "1.0.0"), (Fixed, "5.0.0")])]
        );
        // `< 3 || > 3` leaves a hole at 3.
        let s = lt("3.0.0").union(&gt("3.0.0"));
        assert_eq!(s.intervals().len(), 2);
        // `<= 3 || > 3` does not.
        assert_eq!(le("3.0.0").union(&gt("3.0.0")).intervals().len(), 1);
        // Bounds are compared as versions, not as text: `v3` is `3.0.0`.
        assert_eq!(lt("3.0.0").union(&ge("v3")).intervals().len(), 1);
    }

    #[test]
    fn complement_flips_bounds() {
        let patched = ge("2.0.0").intersect(&lt("3.0.0")).union(&ge("5.0.0"));
        let affected = patched.complement();
        assert_eq!(
            events(&affected).unwrap(),
            vec![ev(&[
                (In, "0"),
                (Fixed, "2.0.0"),
                (In, "3.0.0"),
                (Fixed, "5.0.0")
            ])]
        );
        // Inclusive upper bounds of the patched set become exclusive lower bounds, which
        // start at the next version where the scheme has one.
        let affected = le("4.0.0").complement();
        assert_eq!(events(&affected).unwrap(), vec![ev(&[(In, "4.0.1-0")])]);
        let gem = Point::new(Scheme::RubyGems.parse("4.0").unwrap());
        let affected = Set::interval(Lower::Min, Upper::Incl(gem)).complement();
        assert_eq!(affected.to_events().unwrap_err().after, "4.0");
        assert!(Set::all().complement().is_empty());
        assert_eq!(
            events(&Set::empty().complement()).unwrap(),
            vec![ev(&[(In, "0")])]
        );
    }

    #[test]
    fn fixed_and_last_affected_go_to_separate_ranges() {
        let s = lt("2.0.0").union(&ge("4.0.0").intersect(&le("6.0.0")));
        assert_eq!(
            events(&s).unwrap(),
            vec![
                ev(&[(In, "0"), (Fixed, "2.0.0")]),
                ev(&[(In, "4.0.0"), (LastAffected, "6.0.0")])
            ]
        );
        let point = ge("7.0.0").intersect(&le("7.0.0"));
        assert_eq!(
            events(&point).unwrap(),
            vec![ev(&[(In, "7.0.0"), (LastAffected, "7.0.0")])]
        );
        // A lower bound written `0` is spelt `0.0`, as `0` alone means "every version".
        assert_eq!(
            events(&ge("0").intersect(&lt("1.0.0"))).unwrap(),
            vec![ev(&[(In, "0.0"), (Fixed, "1.0.0")])]
        );
    }

    #[test]
    fn empty_intervals_vanish() {
        assert!(ge("3.0.0").intersect(&lt("3.0.0")).is_empty());
        assert!(gt("3.0.0").intersect(&le("3.0.0")).is_empty());
        assert!(!ge("3.0.0").intersect(&le("3.0.0")).is_empty());
        assert!(ge("4.0.0").intersect(&lt("2.0.0")).is_empty());
        // `1.2.3+build` is `1.2.3`.
        assert!(gt("1.2.3").intersect(&le("1.2.3+build")).is_empty());
    }
}
