//! Maven versions, ordered as `org.apache.maven.artifact.versioning.ComparableVersion`
//! (maven-artifact 3.8, which osv-scalibr's generated test data was sorted with; 3.9 changed
//! how `.X` qualifiers sort).
//!
//! The text, lower-cased, is split into items at `.`, at `-` (which also opens a nested list
//! for the rest) and at every change between digits and other characters (which opens a nested
//! list too, as a `-` would). Numbers are of any size. Qualifiers: `alpha` < `beta` <
//! `milestone` < `rc` = `cr` < `snapshot` < `` = `ga` = `final` = `release` < `sp` < any other
//! (those in lexical order); `a1`, `b1`, `m1` stand for `alpha-1`, `beta-1`, `milestone-1`.
//! Each list drops its trailing "null" items (0, ``, empty lists). Lists compare item by item,
//! padding the shorter with nothing: a number is above a qualifier and a list; a list above a
//! qualifier.
//!
//! Two deliberate choices where ComparableVersion's `compareTo` is not what its own `equals`
//! and the POM reference say: a list compared with nothing compares all its items, not only
//! the first (MNG-6964, fixed in later Mavens), and a nested list left holding only a nested
//! list after trimming is merged with it, so `1-ga-1` = `1-0-1` = `1-1` (the canonical form
//! ComparableVersion prints for all three, and the POM reference's "trim at each hyphen").
//! Both make equality exactly "same items", so `Hash` follows it.
//!
//! ComparableVersion is not transitive on some mixes of qualifiers, zeros and nested lists:
//! Maven itself says `1-beta < 1 < 1.zzz < 1-beta`. [`Scheme::compare`](super::Scheme::compare)
//! gives its answers; `Version`'s `Ord` is a total order that differs from them only inside
//! such cycles (see [`total_lists`]).

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

use super::{cmp_num, hash_num, strip_zeros, Span};

#[derive(Clone, Debug)]
pub(super) struct Maven {
    items: Vec<Item>,
}

#[derive(Clone, Debug)]
enum Item {
    /// Digits without leading zeros (empty for zero).
    Num(Span),
    Qualifier(Qualifier),
    List(Vec<Item>),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Qualifier {
    /// An index into [`KNOWN`].
    Known(u8),
    /// Lower-cased.
    Other(Box<str>),
}

const KNOWN: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
/// The index of the release qualifier (``) in [`KNOWN`].
const RELEASE: u8 = 5;

impl Item {
    fn is_null(&self) -> bool {
        match self {
            Item::Num(n) => n.is_empty(),
            Item::Qualifier(q) => *q == Qualifier::Known(RELEASE),
            Item::List(items) => items.is_empty(),
        }
    }
}

impl Maven {
    /// Whether an alpha, beta, milestone, rc or snapshot qualifier occurs.
    pub(super) fn is_prerelease(&self) -> bool {
        fn any(items: &[Item]) -> bool {
            items.iter().any(|item| match item {
                Item::Qualifier(Qualifier::Known(k)) => *k < RELEASE,
                Item::List(items) => any(items),
                _ => false,
            })
        }
        any(&self.items)
    }
}

fn number(s: &str, start: usize, end: usize) -> Item {
    let digits = s.get(start..end).unwrap_or("");
    let zeros = digits.len() - strip_zeros(digits).len();
    Item::Num(Span::new(start + zeros, end))
}

fn qualifier(s: &str, start: usize, end: usize, followed_by_digit: bool) -> Item {
    let text = s.get(start..end).unwrap_or("");
    let mut name = if followed_by_digit && text.len() == 1 {
        match text.as_bytes().first().map(u8::to_ascii_lowercase) {
            Some(b'a') => "alpha",
            Some(b'b') => "beta",
            Some(b'm') => "milestone",
            _ => text,
        }
    } else {
        text
    };
    for (alias, target) in [("ga", ""), ("final", ""), ("release", ""), ("cr", "rc")] {
        if name.eq_ignore_ascii_case(alias) {
            name = target;
        }
    }
    let q = match KNOWN.iter().position(|k| k.eq_ignore_ascii_case(name)) {
        Some(i) => Qualifier::Known(u8::try_from(i).unwrap_or(RELEASE)),
        None => Qualifier::Other(name.to_lowercase().into()),
    };
    Item::Qualifier(q)
}

fn item(s: &str, start: usize, end: usize, digit: bool) -> Item {
    if digit {
        number(s, start, end)
    } else {
        qualifier(s, start, end, false)
    }
}

pub(super) fn parse(s: &str) -> Result<Maven, String> {
    // The chain of open lists, outermost first; each one's nested list is added when it closes.
    let mut levels: Vec<Vec<Item>> = vec![Vec::new()];
    let mut digit = false;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let Some(cur) = levels.last_mut() else {
            break;
        };
        match c {
            '.' | '-' => {
                cur.push(if i == start {
                    Item::Num(Span::default())
                } else {
                    item(s, start, i, digit)
                });
                start = i + 1;
                if c == '-' {
                    levels.push(Vec::new());
                }
            }
            _ if c.is_ascii_digit() => {
                if !digit && i > start {
                    cur.push(qualifier(s, start, i, true));
                    start = i;
                    levels.push(Vec::new());
                }
                digit = true;
            }
            _ => {
                if digit && i > start {
                    cur.push(number(s, start, i));
                    start = i;
                    levels.push(Vec::new());
                }
                digit = false;
            }
        }
    }
    if s.len() > start {
        if let Some(cur) = levels.last_mut() {
            cur.push(item(s, start, s.len(), digit));
        }
    }
    // Close the lists innermost first, so each is trimmed before its parent looks at it.
    let mut child: Option<Vec<Item>> = None;
    while let Some(mut list) = levels.pop() {
        if let Some(c) = child.take() {
            list.push(Item::List(c));
        }
        normalize(&mut list);
        if !levels.is_empty() && list.len() == 1 && matches!(list.first(), Some(Item::List(_))) {
            if let Some(Item::List(only)) = list.pop() {
                list = only;
            }
        }
        child = Some(list);
    }
    Ok(Maven {
        items: child.unwrap_or_default(),
    })
}

/// ComparableVersion's `ListItem.normalize`: drop null items from the end, also those in front
/// of a trailing nested list, stopping at the first other non-null item.
fn normalize(list: &mut Vec<Item>) {
    let mut i = list.len();
    while i > 0 {
        i -= 1;
        match list.get(i) {
            Some(item) if item.is_null() => {
                list.remove(i);
            }
            Some(Item::List(_)) => {}
            _ => break,
        }
    }
}

fn cmp_qualifier(a: &Qualifier, b: &Qualifier) -> Ordering {
    match (a, b) {
        (Qualifier::Known(x), Qualifier::Known(y)) => x.cmp(y),
        (Qualifier::Known(_), Qualifier::Other(_)) => Ordering::Less,
        (Qualifier::Other(_), Qualifier::Known(_)) => Ordering::Greater,
        (Qualifier::Other(x), Qualifier::Other(y)) => x.cmp(y),
    }
}

/// `Item.compareTo`, where `None` is the padding of a shorter list.
fn cmp_item(a: &Item, at: &str, b: Option<&Item>, bt: &str) -> Ordering {
    use Ordering::{Equal, Greater, Less};
    match (a, b) {
        (Item::Num(x), None) => {
            if x.is_empty() {
                Equal
            } else {
                Greater
            }
        }
        (Item::Num(x), Some(Item::Num(y))) => cmp_num(x.of(at), y.of(bt)),
        (Item::Num(_), Some(_)) => Greater,
        (Item::Qualifier(q), None) => cmp_qualifier(q, &Qualifier::Known(RELEASE)),
        (Item::Qualifier(_), Some(Item::Num(_) | Item::List(_))) => Less,
        (Item::Qualifier(x), Some(Item::Qualifier(y))) => cmp_qualifier(x, y),
        (Item::List(items), None) => items
            .iter()
            .map(|i| cmp_item(i, at, None, bt))
            .find(|o| *o != Equal)
            .unwrap_or(Equal),
        (Item::List(_), Some(Item::Num(_))) => Less,
        (Item::List(_), Some(Item::Qualifier(_))) => Greater,
        (Item::List(x), Some(Item::List(y))) => cmp_lists(x, at, y, bt),
    }
}

fn cmp_lists(a: &[Item], at: &str, b: &[Item], bt: &str) -> Ordering {
    for i in 0..a.len().max(b.len()) {
        let o = match (a.get(i), b.get(i)) {
            (Some(x), y) => cmp_item(x, at, y, bt),
            (None, Some(y)) => cmp_item(y, bt, None, at).reverse(),
            (None, None) => Ordering::Equal,
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

/// ComparableVersion's `compareTo`, the reference comparison.
pub(super) fn reference_cmp(a: &Maven, at: &str, b: &Maven, bt: &str) -> Ordering {
    cmp_lists(&a.items, at, &b.items, bt)
}

/// Where an item stands against an absent one, as ComparableVersion compares them when one
/// list is longer; a zero or a release qualifier is absent itself, so what follows it decides.
fn side(items: &[Item], k: usize, at: &str) -> Ordering {
    let rest = items.get(k..).unwrap_or_default();
    rest.iter()
        .map(|i| cmp_item(i, at, None, at))
        .find(|o| *o != Ordering::Equal)
        .unwrap_or(Ordering::Equal)
}

/// The total order: lists compare item by item, each item first by [`side`], then by
/// ComparableVersion's rules. This equals [`reference_cmp`] except where that is not
/// transitive: it orders `1-beta < 1 < 1.zzz < 1-beta` and `2.0.alpha < 2 < 2-1 < 2.0.alpha`
/// (a qualifier or zero is always above a nested list there, whatever the nested list holds).
fn total_lists(a: &[Item], at: &str, b: &[Item], bt: &str) -> Ordering {
    for k in 0..a.len().max(b.len()) {
        let o = side(a, k, at)
            .cmp(&side(b, k, bt))
            .then_with(|| match (a.get(k), b.get(k)) {
                (Some(Item::List(x)), Some(Item::List(y))) => total_lists(x, at, y, bt),
                (Some(x), Some(y)) => cmp_item(x, at, Some(y), bt),
                _ => Ordering::Equal,
            });
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

pub(super) fn cmp(a: &Maven, at: &str, b: &Maven, bt: &str) -> Ordering {
    total_lists(&a.items, at, &b.items, bt)
}

pub(super) fn hash<H: Hasher>(v: &Maven, t: &str, state: &mut H) {
    fn list<H: Hasher>(items: &[Item], t: &str, state: &mut H) {
        items.len().hash(state);
        for item in items {
            match item {
                Item::Num(n) => {
                    state.write_u8(0);
                    hash_num(n.of(t), state);
                }
                Item::Qualifier(q) => {
                    state.write_u8(1);
                    q.hash(state);
                }
                Item::List(items) => {
                    state.write_u8(2);
                    list(items, t, state);
                }
            }
        }
    }
    list(&v.items, t, state);
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_order, assert_same};
    use super::super::Scheme;

    #[test]
    fn equal_forms() {
        for (a, b) in [
            ("1", "1.0.0"),
            ("1", "1-0"),
            ("1", "01"),
            ("1a", "1-a"),
            ("1ga", "1"),
            ("1RELEASE", "1"),
            ("1cr", "1rc"),
            ("1a1", "1-alpha-1"),
            ("1m3", "1MileStone3"),
            ("1-ga-1", "1-1"),
            ("1-0-1", "1-1"),
            ("1.0.0-foo.0.0", "1-foo"),
            ("0", "0.0-0"),
        ] {
            assert_same(Scheme::Maven, a, b);
        }
    }

    #[test]
    fn order() {
        assert_order(
            Scheme::Maven,
            &[
                "1-alpha2snapshot",
                "1-alpha2",
                "1-alpha-123",
                "1-beta-2",
                "1-beta123",
                "1-m2",
                "1-m11",
                "1-rc",
                "1-cr2",
                "1-rc123",
                "1-SNAPSHOT",
                "1",
                "1-sp",
                "1-sp2",
                "1-sp123",
                "1-abc",
                "1-def",
                "1-pom-1",
                "1-1-snapshot",
                "1-1",
                "1-2",
                "1-123",
            ],
        );
        assert_order(
            Scheme::Maven,
            &[
                "2.0", "2-1", "2.0.a", "2.0.0.a", "2.0.2", "2.0.123", "2.1.0", "2.1-a", "2.1b",
                "2.1-c", "2.1-1", "2.1.0.1", "2.2", "2.123", "11.a2", "11.a11", "11.b2", "11.b11",
                "11.m2", "11.m11", "11", "11.a", "11b", "11c", "11m",
            ],
        );
    }

    #[test]
    fn mng_6964_list_against_nothing() {
        assert_order(Scheme::Maven, &["1-0.alpha", "1"]);
    }

    #[test]
    fn huge_numbers() {
        assert_order(
            Scheme::Maven,
            &[
                "2147483648",
                "9223372036854775808",
                "123456789012345678901234567890",
            ],
        );
        assert_same(Scheme::Maven, "0000000000000000000000000001.0", "1");
    }

    #[test]
    fn prerelease() {
        assert!(Scheme::Maven.parse("1.0-SNAPSHOT").unwrap().is_prerelease());
        assert!(Scheme::Maven.parse("1.0.0.RC1").unwrap().is_prerelease());
        assert!(!Scheme::Maven.parse("1.0.Final").unwrap().is_prerelease());
        assert!(!Scheme::Maven.parse("1.0-sp1").unwrap().is_prerelease());
    }
}
