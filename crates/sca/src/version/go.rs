//! Go module versions: SemVer with a `v` (optional here, as OSV's Go ranges omit it),
//! pseudo-versions and `+incompatible`.
//!
//! They order exactly as [`semver`](super::semver) versions do: a pseudo-version is a
//! pre-release of the version after its base (`v1.2.4-0.20191109021931-daa7c04131f5` lies
//! between `v1.2.3` and `v1.2.4`, `v0.0.0-20191109021931-daa7c04131f5` below `v0.0.1`), and
//! `+incompatible` is build metadata, so `v2.0.0+incompatible` = `v2.0.0`. The parser is the
//! same lenient one, since osv-scalibr applies its SemVer test data to Go too.

use super::semver::{self, Flavour, Semver};
use super::{is_digits, Span};

pub(super) fn parse(s: &str) -> Result<Semver, String> {
    semver::parse(s, Flavour::Semver)
}

/// Go's three pseudo-version forms: `vX.0.0-yyyymmddhhmmss-rev`, `vX.Y.Z-pre.0.yyyymmddhhmmss-rev`
/// and `vX.Y.(Z+1)-0.yyyymmddhhmmss-rev`.
pub(super) fn is_pseudo(v: &Semver, t: &str) -> bool {
    let pre = v.pre();
    let Some(last) = pre.last() else {
        return false;
    };
    let Some((time, rev)) = last.of(t).split_once('-') else {
        return false;
    };
    if time.len() != 14
        || !is_digits(time)
        || rev.is_empty()
        || !rev.bytes().all(|c| c.is_ascii_alphanumeric())
    {
        return false;
    }
    match pre.len() {
        1 => {
            let zero = |s: &Span| s.of(t).bytes().all(|c| c == b'0');
            v.core().get(1..3).is_some_and(|rest| rest.iter().all(zero))
        }
        n => pre.get(n - 2).is_some_and(|s| s.of(t) == "0"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_order, assert_same};
    use super::super::Scheme;

    #[test]
    fn pseudo_versions_order_between_releases() {
        assert_order(
            Scheme::Go,
            &[
                "v0.0.0-20191109021931-daa7c04131f5",
                "v0.0.1",
                "v1.2.3",
                "v1.2.4-0.20191109021931-daa7c04131f5",
                "v1.2.4-0.20200101000000-0123456789ab",
                "v1.2.4",
                "v1.3.0-rc.1",
                "v1.3.0-rc.1.0.20200101000000-0123456789ab",
                "v1.3.0",
            ],
        );
    }

    #[test]
    fn incompatible_is_build_metadata() {
        assert_same(Scheme::Go, "v2.0.0+incompatible", "v2.0.0");
        assert_same(Scheme::Go, "2.0.0", "v2.0.0");
        assert_order(
            Scheme::Go,
            &["v2.0.0+incompatible", "v2.0.1+incompatible", "v3.0.0"],
        );
    }

    #[test]
    fn detects_pseudo_versions() {
        for pseudo in [
            "v0.0.0-20191109021931-daa7c04131f5",
            "v1.2.4-0.20191109021931-daa7c04131f5",
            "v1.3.0-rc.1.0.20200101000000-0123456789ab",
            "v2.0.0-20191109021931-daa7c04131f5+incompatible",
        ] {
            let v = Scheme::Go.parse(pseudo).unwrap();
            assert!(v.is_pseudo_version(), "{pseudo}");
            assert!(v.is_prerelease(), "{pseudo}");
        }
        for not in [
            "v1.2.3",
            "v1.2.3-rc.1",
            "v1.2.3-20191109021931-daa7c04131f5",
            "v1.2.3-1.20191109021931-daa7",
        ] {
            assert!(!Scheme::Go.parse(not).unwrap().is_pseudo_version(), "{not}");
        }
        assert!(!Scheme::Semver
            .parse("v0.0.0-20191109021931-daa7c04131f5")
            .unwrap()
            .is_pseudo_version());
    }
}
