//! Dart's pub_semver: SemVer, except that build metadata counts. A version with a build sorts
//! after the same version without one, and builds compare identifier by identifier as
//! pre-releases do (`1.2.3+1 < 1.2.3+a < 1.2.3+a1`). Parsed with the same lenient SemVer
//! parser, as osv-scalibr does.

use super::semver::{self, Flavour, Semver};

pub(super) fn parse(s: &str) -> Result<Semver, String> {
    semver::parse(s, Flavour::Pub)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_order, assert_same};
    use super::super::Scheme;

    #[test]
    fn builds_count() {
        assert_order(
            Scheme::Pub,
            &[
                "1.0.0-pre",
                "1.0.0-pre+build",
                "1.0.0",
                "1.0.0+1",
                "1.0.0+9",
                "1.0.0+a",
                "1.0.0+a1",
                "1.0.1",
            ],
        );
        assert_same(Scheme::Pub, "1.0.0+01", "v1.0.0+1");
        assert_ne!(
            Scheme::Pub.parse("1.0.0+a").unwrap(),
            Scheme::Pub.parse("1.0.0+b").unwrap()
        );
    }
}
