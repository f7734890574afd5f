//! NuGet versions: SemVer 2.0 with up to four numbers (`1.0` = `1.0.0.0`, leading zeros allowed:
//! `1.0.01` = `1.0.1`), release labels compared case-insensitively (numeric labels as numbers,
//! before alphanumeric ones), build metadata ignored. As NuGet does, no leading `v`.

use super::semver::{self, Flavour, Semver};

pub(super) fn parse(s: &str) -> Result<Semver, String> {
    semver::parse(s, Flavour::NuGet)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_order, assert_same};
    use super::super::Scheme;

    #[test]
    fn four_components_and_case() {
        assert_same(Scheme::NuGet, "1.0", "1.0.0.0");
        assert_same(Scheme::NuGet, "1.0.01", "1.0.1.0");
        assert_same(Scheme::NuGet, "1.0.0-BETA.X+AA", "1.0.0-beta.x");
        assert_order(
            Scheme::NuGet,
            &[
                "1.0.0-alpha",
                "1.0.0-BETA",
                "1.0.0-beta.2",
                "1.0.0-beta.10",
                "1.0.0",
                "1.0.0.1-rc",
                "1.0.0.1",
            ],
        );
    }

    #[test]
    fn invalid() {
        for bad in ["v1.0", "1.0-", "1.0.0-a_b", "a"] {
            assert!(Scheme::NuGet.parse(bad).is_err(), "{bad}");
        }
    }
}
