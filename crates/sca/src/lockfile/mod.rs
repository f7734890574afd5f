//! Lockfile, manifest and SBOM parsers: one module per format, each turning one file's text into
//! a [`Manifest`]. [`detect`] decides from a file name which parser applies.
//!
//! Every parser has the same signature, `parse(path, text) -> Result<Manifest, ParseError>`:
//! `path` is the file as opened (parsers that follow includes or read a sibling, such as
//! requirements `-r` or `go.sum`, resolve against it), `text` its contents. A parser never
//! panics on bad input: malformed files are a [`ParseError`] naming the line where it can;
//! entries it cannot use (an unpinned requirement, a git dependency without a version) are
//! [`Manifest::warn`]ings, never silently dropped.

use std::path::Path;

use crate::{Ecosystem, Manifest, ParseError};

pub mod cargo;
pub mod composer;
pub mod cyclonedx;
pub(crate) mod fast_toml;
pub mod gemfile;
pub mod gomod;
pub mod gradle;
pub mod mix;
pub mod npm;
pub mod nuget;
pub mod pdm;
pub mod pipfile;
pub mod pnpm;
pub mod poetry;
pub mod pom;
pub mod pubspec;
pub mod requirements;
pub mod spdx;
pub(crate) mod text;
pub mod uv;
pub mod yarn;

/// A file format the dependency scanner reads.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    CargoLock,
    /// `package-lock.json` (v1, v2, v3) and `npm-shrinkwrap.json`.
    NpmLock,
    /// `yarn.lock`, v1 and Berry.
    YarnLock,
    /// `pnpm-lock.yaml`, v5 to v9.
    PnpmLock,
    /// `requirements*.txt`.
    Requirements,
    PoetryLock,
    PipfileLock,
    UvLock,
    PdmLock,
    /// `go.mod` (with `go.sum` beside it).
    GoMod,
    PomXml,
    /// `gradle.lockfile`, `buildscript-gradle.lockfile`.
    GradleLockfile,
    GemfileLock,
    ComposerLock,
    /// NuGet `packages.lock.json`.
    NugetLock,
    PubspecLock,
    MixLock,
    CycloneDxJson,
    CycloneDxXml,
    SpdxJson,
}

impl Format {
    pub const ALL: [Format; 20] = [
        Format::CargoLock,
        Format::NpmLock,
        Format::YarnLock,
        Format::PnpmLock,
        Format::Requirements,
        Format::PoetryLock,
        Format::PipfileLock,
        Format::UvLock,
        Format::PdmLock,
        Format::GoMod,
        Format::PomXml,
        Format::GradleLockfile,
        Format::GemfileLock,
        Format::ComposerLock,
        Format::NugetLock,
        Format::PubspecLock,
        Format::MixLock,
        Format::CycloneDxJson,
        Format::CycloneDxXml,
        Format::SpdxJson,
    ];

    /// A short name for messages and `--format` style options (`cargo-lock`, `npm-lock`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::CargoLock => "cargo-lock",
            Format::NpmLock => "npm-lock",
            Format::YarnLock => "yarn-lock",
            Format::PnpmLock => "pnpm-lock",
            Format::Requirements => "requirements",
            Format::PoetryLock => "poetry-lock",
            Format::PipfileLock => "pipfile-lock",
            Format::UvLock => "uv-lock",
            Format::PdmLock => "pdm-lock",
            Format::GoMod => "go-mod",
            Format::PomXml => "pom-xml",
            Format::GradleLockfile => "gradle-lockfile",
            Format::GemfileLock => "gemfile-lock",
            Format::ComposerLock => "composer-lock",
            Format::NugetLock => "nuget-lock",
            Format::PubspecLock => "pubspec-lock",
            Format::MixLock => "mix-lock",
            Format::CycloneDxJson => "cyclonedx-json",
            Format::CycloneDxXml => "cyclonedx-xml",
            Format::SpdxJson => "spdx-json",
        }
    }

    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == name)
    }

    /// The ecosystem of every package in files of this format; `None` for SBOMs, whose
    /// packages each carry their own.
    pub fn ecosystem(self) -> Option<Ecosystem> {
        Some(match self {
            Format::CargoLock => Ecosystem::CratesIo,
            Format::NpmLock | Format::YarnLock | Format::PnpmLock => Ecosystem::Npm,
            Format::Requirements
            | Format::PoetryLock
            | Format::PipfileLock
            | Format::UvLock
            | Format::PdmLock => Ecosystem::PyPI,
            Format::GoMod => Ecosystem::Go,
            Format::PomXml | Format::GradleLockfile => Ecosystem::Maven,
            Format::GemfileLock => Ecosystem::RubyGems,
            Format::ComposerLock => Ecosystem::Packagist,
            Format::NugetLock => Ecosystem::NuGet,
            Format::PubspecLock => Ecosystem::Pub,
            Format::MixLock => Ecosystem::Hex,
            Format::CycloneDxJson | Format::CycloneDxXml | Format::SpdxJson => return None,
        })
    }

    /// Parses one file of this format.
    pub fn parse(self, path: &Path, text: &str) -> Result<Manifest, ParseError> {
        let mut manifest = match self {
            Format::CargoLock => cargo::parse(path, text),
            Format::NpmLock => npm::parse(path, text),
            Format::YarnLock => yarn::parse(path, text),
            Format::PnpmLock => pnpm::parse(path, text),
            Format::Requirements => requirements::parse(path, text),
            Format::PoetryLock => poetry::parse(path, text),
            Format::PipfileLock => pipfile::parse(path, text),
            Format::UvLock => uv::parse(path, text),
            Format::PdmLock => pdm::parse(path, text),
            Format::GoMod => gomod::parse(path, text),
            Format::PomXml => pom::parse(path, text),
            Format::GradleLockfile => gradle::parse(path, text),
            Format::GemfileLock => gemfile::parse(path, text),
            Format::ComposerLock => composer::parse(path, text),
            Format::NugetLock => nuget::parse(path, text),
            Format::PubspecLock => pubspec::parse(path, text),
            Format::MixLock => mix::parse(path, text),
            Format::CycloneDxJson => cyclonedx::parse_json(path, text),
            Format::CycloneDxXml => cyclonedx::parse_xml(path, text),
            Format::SpdxJson => spdx::parse(path, text),
        }?;
        manifest.format = self;
        Ok(manifest)
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The format of a file, from its name alone (what a directory walk uses). `None` for files
/// the dependency scanner does not read.
pub fn detect(path: &Path) -> Option<Format> {
    let name = path.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();
    Some(match name {
        "Cargo.lock" => Format::CargoLock,
        "package-lock.json" | "npm-shrinkwrap.json" => Format::NpmLock,
        "yarn.lock" => Format::YarnLock,
        "pnpm-lock.yaml" => Format::PnpmLock,
        "poetry.lock" => Format::PoetryLock,
        "Pipfile.lock" => Format::PipfileLock,
        "uv.lock" => Format::UvLock,
        "pdm.lock" => Format::PdmLock,
        "go.mod" => Format::GoMod,
        "pom.xml" => Format::PomXml,
        "gradle.lockfile" | "buildscript-gradle.lockfile" => Format::GradleLockfile,
        "Gemfile.lock" | "gems.locked" => Format::GemfileLock,
        "composer.lock" => Format::ComposerLock,
        "packages.lock.json" => Format::NugetLock,
        "pubspec.lock" => Format::PubspecLock,
        "mix.lock" => Format::MixLock,
        _ if lower == "bom.json"
            || lower.ends_with(".cdx.json")
            || lower.ends_with(".bom.json") =>
        {
            Format::CycloneDxJson
        }
        _ if lower == "bom.xml" || lower.ends_with(".cdx.xml") || lower.ends_with(".bom.xml") => {
            Format::CycloneDxXml
        }
        _ if lower.ends_with(".spdx.json") => Format::SpdxJson,
        _ if lower.ends_with(".txt") && is_requirements_name(path, &lower) => Format::Requirements,
        _ => return None,
    })
}

/// The format of a file named explicitly: what [`detect`] says, else a known name after a
/// prefix and a dot or dash (`app.Cargo.lock`, `backend-package-lock.json`, as lockfiles are
/// often kept side by side under distinguishing names).
pub fn detect_explicit(path: &Path) -> Option<Format> {
    if let Some(f) = detect(path) {
        return Some(f);
    }
    let name = path.file_name()?.to_str()?;
    const KNOWN: [&str; 16] = [
        "Cargo.lock",
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "poetry.lock",
        "Pipfile.lock",
        "uv.lock",
        "pdm.lock",
        "go.mod",
        "pom.xml",
        "gradle.lockfile",
        "Gemfile.lock",
        "composer.lock",
        "pubspec.lock",
        "mix.lock",
    ];
    KNOWN.iter().find_map(|k| {
        let prefix = name.strip_suffix(k)?;
        (prefix.ends_with('.') || prefix.ends_with('-') || prefix.ends_with('_'))
            .then(|| detect(Path::new(k)))
            .flatten()
    })
}

/// `requirements.txt`, `requirements-dev.txt`, `dev-requirements.txt`, `requirements/base.txt`.
fn is_requirements_name(path: &Path, lower: &str) -> bool {
    let stem = &lower[..lower.len() - 4];
    stem.starts_with("requirements")
        || stem.ends_with("requirements")
        || path
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.eq_ignore_ascii_case("requirements"))
}

/// Content sniffing for a file named explicitly whose name [`detect`] does not know: a JSON
/// CycloneDX or SPDX document, a CycloneDX XML document. Only the first 4 KiB are looked at.
pub fn sniff(text: &str) -> Option<Format> {
    let head = &text[..text.floor_char_boundary_compat(4096)];
    let trimmed = head.trim_start();
    if trimmed.starts_with('{') {
        if head.contains("\"bomFormat\"") && head.contains("CycloneDX") {
            return Some(Format::CycloneDxJson);
        }
        if head.contains("\"spdxVersion\"") {
            return Some(Format::SpdxJson);
        }
    } else if trimmed.starts_with('<') && head.contains("cyclonedx.org/schema/bom") {
        return Some(Format::CycloneDxXml);
    }
    None
}

trait FloorCharBoundary {
    fn floor_char_boundary_compat(&self, index: usize) -> usize;
}

impl FloorCharBoundary for str {
    fn floor_char_boundary_compat(&self, index: usize) -> usize {
        if index >= self.len() {
            return self.len();
        }
        let mut i = index;
        while !self.is_char_boundary(i) {
            i -= 1;
        }
        i
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_name() {
        let d = |p: &str| detect(Path::new(p));
        assert_eq!(d("a/Cargo.lock"), Some(Format::CargoLock));
        assert_eq!(d("requirements-dev.txt"), Some(Format::Requirements));
        assert_eq!(d("dev-requirements.txt"), Some(Format::Requirements));
        assert_eq!(d("requirements/base.txt"), Some(Format::Requirements));
        assert_eq!(d("notes.txt"), None);
        assert_eq!(d("app.cdx.json"), Some(Format::CycloneDxJson));
        assert_eq!(d("x.spdx.json"), Some(Format::SpdxJson));
        assert_eq!(d("package.json"), None);
        let e = |p: &str| detect_explicit(Path::new(p));
        assert_eq!(e("noseyparker.Cargo.lock"), Some(Format::CargoLock));
        assert_eq!(e("web-package-lock.json"), Some(Format::NpmLock));
        assert_eq!(e("xCargo.lock"), None);
        for f in Format::ALL {
            assert_eq!(Format::from_name(f.as_str()), Some(f));
        }
    }
}
