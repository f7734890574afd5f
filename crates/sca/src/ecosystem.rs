//! Package ecosystems, named as OSV names them.

use std::fmt;

/// A package ecosystem. The string forms are OSV's ecosystem names.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Ecosystem {
    #[serde(rename = "crates.io")]
    CratesIo,
    #[serde(rename = "npm")]
    Npm,
    #[serde(rename = "PyPI")]
    PyPI,
    #[serde(rename = "Maven")]
    Maven,
    #[serde(rename = "RubyGems")]
    RubyGems,
    #[serde(rename = "Go")]
    Go,
    #[serde(rename = "NuGet")]
    NuGet,
    #[serde(rename = "Packagist")]
    Packagist,
    #[serde(rename = "Pub")]
    Pub,
    #[serde(rename = "Hex")]
    Hex,
    #[serde(rename = "Debian")]
    Debian,
    #[serde(rename = "Alpine")]
    Alpine,
}

impl Ecosystem {
    pub const ALL: [Ecosystem; 12] = [
        Ecosystem::CratesIo,
        Ecosystem::Npm,
        Ecosystem::PyPI,
        Ecosystem::Maven,
        Ecosystem::RubyGems,
        Ecosystem::Go,
        Ecosystem::NuGet,
        Ecosystem::Packagist,
        Ecosystem::Pub,
        Ecosystem::Hex,
        Ecosystem::Debian,
        Ecosystem::Alpine,
    ];

    /// OSV's name (`crates.io`, `PyPI`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Ecosystem::CratesIo => "crates.io",
            Ecosystem::Npm => "npm",
            Ecosystem::PyPI => "PyPI",
            Ecosystem::Maven => "Maven",
            Ecosystem::RubyGems => "RubyGems",
            Ecosystem::Go => "Go",
            Ecosystem::NuGet => "NuGet",
            Ecosystem::Packagist => "Packagist",
            Ecosystem::Pub => "Pub",
            Ecosystem::Hex => "Hex",
            Ecosystem::Debian => "Debian",
            Ecosystem::Alpine => "Alpine",
        }
    }

    /// Parses an OSV ecosystem string. A release suffix (`Debian:12`, `Alpine:v3.18`) is
    /// accepted and dropped; matching is exact on the base name, as OSV's are.
    pub fn from_osv(name: &str) -> Option<Ecosystem> {
        let base = name.split(':').next().unwrap_or(name);
        Ecosystem::ALL.into_iter().find(|e| e.as_str() == base)
    }

    /// The package-URL type (`cargo`, `npm`, `pypi`, …).
    pub fn purl_type(self) -> &'static str {
        match self {
            Ecosystem::CratesIo => "cargo",
            Ecosystem::Npm => "npm",
            Ecosystem::PyPI => "pypi",
            Ecosystem::Maven => "maven",
            Ecosystem::RubyGems => "gem",
            Ecosystem::Go => "golang",
            Ecosystem::NuGet => "nuget",
            Ecosystem::Packagist => "composer",
            Ecosystem::Pub => "pub",
            Ecosystem::Hex => "hex",
            Ecosystem::Debian => "deb",
            Ecosystem::Alpine => "apk",
        }
    }

    pub fn from_purl_type(ty: &str) -> Option<Ecosystem> {
        let ty = ty.to_ascii_lowercase();
        Ecosystem::ALL.into_iter().find(|e| e.purl_type() == ty)
    }

    /// The package name as the advisory database keys it: PyPI names normalised as PEP 503
    /// says (lower case, runs of `-_.` become `-`); NuGet, Packagist and Pub names lower-cased
    /// (their registries are case-insensitive); everything else as written.
    pub fn normalize_name(self, name: &str) -> String {
        match self {
            Ecosystem::PyPI => {
                let mut out = String::with_capacity(name.len());
                let mut sep = false;
                for c in name.trim().chars() {
                    if matches!(c, '-' | '_' | '.') {
                        sep = true;
                    } else {
                        if sep && !out.is_empty() {
                            out.push('-');
                        }
                        sep = false;
                        out.push(c.to_ascii_lowercase());
                    }
                }
                out
            }
            Ecosystem::NuGet | Ecosystem::Packagist | Ecosystem::Pub => name.to_ascii_lowercase(),
            _ => name.to_string(),
        }
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osv_names_round_trip() {
        for e in Ecosystem::ALL {
            assert_eq!(Ecosystem::from_osv(e.as_str()), Some(e));
            assert_eq!(Ecosystem::from_purl_type(e.purl_type()), Some(e));
        }
        assert_eq!(Ecosystem::from_osv("Debian:12"), Some(Ecosystem::Debian));
        assert_eq!(Ecosystem::from_osv("pypi"), None);
    }

    #[test]
    fn pep503_normalisation() {
        assert_eq!(
            Ecosystem::PyPI.normalize_name("Django_REST.framework"),
            "django-rest-framework"
        );
        assert_eq!(Ecosystem::PyPI.normalize_name("a--b__c"), "a-b-c");
        assert_eq!(
            Ecosystem::NuGet.normalize_name("Newtonsoft.Json"),
            "newtonsoft.json"
        );
        assert_eq!(
            Ecosystem::Go.normalize_name("github.com/A/b"),
            "github.com/A/b"
        );
    }
}
