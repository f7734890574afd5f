//! Version schemes, one per ecosystem, each exact. To be written: see the module docs of each
//! scheme once they exist.

use std::cmp::Ordering;
use std::fmt;

use crate::Ecosystem;

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
        Err(VersionError {
            scheme: self,
            version: text.to_string(),
            message: "not implemented".into(),
        })
    }

    /// Compares two versions of this scheme.
    pub fn compare(self, a: &str, b: &str) -> Result<Ordering, VersionError> {
        Ok(self.parse(a)?.cmp(&self.parse(b)?))
    }
}

/// A parsed version. Equality and order are the scheme's (`1.0 == 1.0.0` in PEP 440); versions
/// of different schemes order by scheme first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    scheme: Scheme,
    text: String,
}

impl Version {
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The text it was parsed from.
    pub fn as_str(&self) -> &str {
        &self.text
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
