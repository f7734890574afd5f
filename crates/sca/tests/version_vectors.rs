//! Runs the ordered version comparisons in `tests/data/version-vectors/` (from osv-scalibr and
//! osv.dev, see the PROVENANCE.md there) against each scheme: every line `A <op> B` must parse,
//! and compare as `op` both ways with the reference comparison (`Scheme::compare`) and with
//! `Version`'s `Ord`. All failures are collected and reported together.

use std::cmp::Ordering;
use std::collections::hash_map::DefaultHasher;
use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::path::Path;

use gatehouse_sca::version::{Scheme, Version};

const FILES: &[(&str, &[Scheme])] = &[
    ("semver-versions.txt", &[Scheme::Semver, Scheme::Go]),
    ("pypi-versions.txt", &[Scheme::Pep440]),
    ("pypi-versions-generated.txt", &[Scheme::Pep440]),
    ("maven-versions.txt", &[Scheme::Maven]),
    ("maven-versions-generated.txt", &[Scheme::Maven]),
    ("rubygems-versions.txt", &[Scheme::RubyGems]),
    ("rubygems-versions-generated.txt", &[Scheme::RubyGems]),
    ("nuget-versions.txt", &[Scheme::NuGet]),
    ("packagist-versions.txt", &[Scheme::Packagist]),
    ("packagist-versions-generated.txt", &[Scheme::Packagist]),
    ("osvdev-packagist_test_cases.txt", &[Scheme::Packagist]),
    ("pub-versions.txt", &[Scheme::Pub]),
    ("debian-versions.txt", &[Scheme::Debian]),
    ("debian-versions-generated.txt", &[Scheme::Debian]),
    ("alpine-versions.txt", &[Scheme::Alpine]),
    ("alpine-versions-generated.txt", &[Scheme::Alpine]),
];

/// Lines where `Ord` deliberately differs from the reference comparison because that is not
/// transitive there, so no total order can agree with it (see the module docs of
/// `version::packagist` and `version::maven`).
const ORD_DIFFERS: &[(&str, &str)] = &[
    // osv.dev equates PHP's `#` placeholder with any number; `Ord` puts it below them.
    ("packagist-versions.txt", "1.2.3.# = 1.2.3.1"),
    ("osvdev-packagist_test_cases.txt", "1.2.3.# = 1.2.3.1"),
    // Maven 3.8 cycles: 2.9.0.RC1 < 2.9.0 < 2.9.0-1 < 2.9.0.RC1. `Ord` keeps the first two,
    // as Maven 3.9 does.
    (
        "maven-versions-generated.txt",
        "1.0.0-gradle-rework-beta3 < 1.0.0.RC7-3",
    ),
    ("maven-versions-generated.txt", "2.9.0-1 < 2.9.0.RC1"),
    (
        "maven-versions-generated.txt",
        "1.1.0-01-glassfish < 1.1.0.Beta1",
    ),
];

fn expected(op: &str) -> Option<Ordering> {
    match op {
        "<" => Some(Ordering::Less),
        ">" => Some(Ordering::Greater),
        "=" => Some(Ordering::Equal),
        _ => None,
    }
}

fn symbol(o: Ordering) -> &'static str {
    match o {
        Ordering::Less => "<",
        Ordering::Greater => ">",
        Ordering::Equal => "=",
    }
}

fn hash_of(v: &Version) -> u64 {
    let mut h = DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

/// A vector file's text.
fn read(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/version-vectors")
        .join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn is_comment(line: &str) -> bool {
    line.is_empty() || line.starts_with("# ") || line.starts_with("// ")
}

/// Sorting every version a scheme's files mention gives a consistent order: each version is
/// no greater than those 1, 2, 4, … places after it (a non-transitive order would show here).
#[test]
fn sorted_vectors_are_consistent() {
    for scheme in [
        Scheme::Semver,
        Scheme::Pep440,
        Scheme::Maven,
        Scheme::RubyGems,
        Scheme::NuGet,
        Scheme::Packagist,
        Scheme::Pub,
        Scheme::Debian,
        Scheme::Alpine,
    ] {
        let mut texts = BTreeSet::new();
        for (file, schemes) in FILES {
            if !schemes.contains(&scheme) {
                continue;
            }
            for line in read(file).lines().map(str::trim).filter(|l| !is_comment(l)) {
                texts.extend(
                    line.split(' ')
                        .enumerate()
                        .filter(|(i, _)| *i != 1)
                        .map(|(_, v)| v.to_string()),
                );
            }
        }
        let mut versions: Vec<Version> = texts
            .iter()
            .map(|t| scheme.parse(t).unwrap_or_else(|e| panic!("{e}")))
            .collect();
        versions.sort();
        for (i, a) in versions.iter().enumerate() {
            let mut step = 1;
            while let Some(b) = versions.get(i + step) {
                assert!(
                    a <= b,
                    "{scheme:?}: sorted {a} before {b}, which is smaller"
                );
                if a == b {
                    assert_eq!(hash_of(a), hash_of(b), "{scheme:?}: {a} == {b}");
                }
                step *= 2;
            }
        }
    }
}

#[test]
fn version_vectors() {
    let mut failures = Vec::new();
    let mut checked = 0usize;
    for (file, schemes) in FILES {
        for (n, raw) in read(file).lines().enumerate() {
            let line = raw.trim();
            if is_comment(line) {
                continue;
            }
            let fields: Vec<&str> = line.split(' ').collect();
            let (a, op, b) = match fields.as_slice() {
                [a, op, b] => (*a, *op, *b),
                _ => {
                    failures.push(format!("{file}:{}: {line}: not `A <op> B`", n + 1));
                    continue;
                }
            };
            let Some(want) = expected(op) else {
                failures.push(format!("{file}:{}: {line}: unknown operator", n + 1));
                continue;
            };
            for &scheme in *schemes {
                checked += 1;
                let at = format!("{file}:{} [{scheme:?}]: {line}", n + 1);
                let (x, y) = match (scheme.parse(a), scheme.parse(b)) {
                    (Ok(x), Ok(y)) => (x, y),
                    (Err(e), _) | (_, Err(e)) => {
                        failures.push(format!("{at}: {e}"));
                        continue;
                    }
                };
                let forward = scheme.compare(a, b).map(symbol);
                let backward = scheme.compare(b, a).map(symbol);
                if forward != Ok(symbol(want)) || backward != Ok(symbol(want.reverse())) {
                    failures.push(format!(
                        "{at}: compare gives {forward:?}, reversed {backward:?}"
                    ));
                }
                if ORD_DIFFERS.contains(&(*file, line)) {
                    continue;
                }
                let (o, r) = (x.cmp(&y), y.cmp(&x));
                if o != want || r != want.reverse() || (x == y) != (want == Ordering::Equal) {
                    failures.push(format!(
                        "{at}: Ord gives {}, reversed {}",
                        symbol(o),
                        symbol(r)
                    ));
                }
                if want == Ordering::Equal && hash_of(&x) != hash_of(&y) {
                    failures.push(format!("{at}: equal versions hash differently"));
                }
            }
        }
    }
    assert!(checked > 70_000, "only {checked} comparisons ran");
    assert!(
        failures.is_empty(),
        "{} of {checked} comparisons failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
