//! What the parsers produce: the packages a manifest, lockfile or SBOM names.

use std::fmt;

use crate::lockfile::Format;
use crate::Ecosystem;

/// Where a package comes from, as far as the file says.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// The ecosystem's registry (crates.io, npmjs, PyPI, …) or a mirror of it.
    #[default]
    Registry,
    /// A git repository.
    Git,
    /// A local path or workspace member.
    Path,
    /// A URL to an archive, or anything else the file names.
    Other,
}

/// One resolved (or, for manifests without a lockfile, declared) package.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Package {
    pub ecosystem: Ecosystem,
    /// The name as the ecosystem writes it: `serde`, `@babel/core`, `Django`,
    /// `org.apache.logging.log4j:log4j-core` (Maven: `groupId:artifactId`), `github.com/gin-gonic/gin`.
    pub name: String,
    /// The exact version, as written in the file (without a leading `=`/`==`).
    pub version: String,
    /// 1-based line in the file where the package is declared, when the parser knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// Whether the project depends on it directly; `None` when the format does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct: Option<bool>,
    /// Whether it is only a development/test dependency; `None` when the format does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dev: Option<bool>,
    #[serde(default)]
    pub source: SourceKind,
    /// The package URL, when the input gave one (SBOMs); otherwise computed by [`Package::purl`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    /// Set only when the package is declared in another file than the manifest being parsed
    /// (a requirements `-r` include, a parent POM): that file's path as the parser opened it.
    /// `line` then refers to that file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<std::path::PathBuf>,
}

impl Package {
    /// A registry package with nothing else known; parsers fill in the rest.
    pub fn new(ecosystem: Ecosystem, name: impl Into<String>, version: impl Into<String>) -> Self {
        Package {
            ecosystem,
            name: name.into(),
            version: version.into(),
            line: None,
            direct: None,
            dev: None,
            source: SourceKind::Registry,
            purl: None,
            file: None,
        }
    }

    /// The package URL (`pkg:cargo/serde@1.0.0`), from the input's own when it had one.
    pub fn purl(&self) -> String {
        if let Some(p) = &self.purl {
            return p.clone();
        }
        let ty = self.ecosystem.purl_type();
        let (namespace, name) = match self.ecosystem {
            Ecosystem::Maven => match self.name.split_once(':') {
                Some((g, a)) => (Some(g.to_string()), a.to_string()),
                None => (None, self.name.clone()),
            },
            Ecosystem::Npm | Ecosystem::Packagist | Ecosystem::Go => {
                match self.name.rsplit_once('/') {
                    Some((ns, n)) => (Some(ns.to_string()), n.to_string()),
                    None => (None, self.name.clone()),
                }
            }
            Ecosystem::PyPI => (None, self.ecosystem.normalize_name(&self.name)),
            _ => (None, self.name.clone()),
        };
        let mut out = format!("pkg:{ty}/");
        if let Some(ns) = namespace {
            for (i, seg) in ns.split('/').enumerate() {
                if i > 0 {
                    out.push('/');
                }
                out.push_str(&purl_escape(seg));
            }
            out.push('/');
        }
        out.push_str(&purl_escape(&name));
        out.push('@');
        out.push_str(&purl_escape(&self.version));
        out
    }
}

/// Percent-encodes what a purl segment may not contain as is.
fn purl_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'~' | b'+') {
            out.push(b as char);
        } else if b == b'@' && out.is_empty() {
            out.push_str("%40");
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Something a parser could not use but that did not stop it: an unpinned requirement, a
/// dependency resolved from a place that has no version. Reported so that nothing is skipped
/// silently.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ParseWarning {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    pub message: String,
}

/// The packages of one file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    /// Path relative to the scan root, `/`-separated (set by the caller, not the parser).
    pub path: String,
    pub format: Format,
    pub packages: Vec<Package>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<ParseWarning>,
}

impl Manifest {
    pub fn new(format: Format) -> Self {
        Manifest {
            path: String::new(),
            format,
            packages: Vec::new(),
            warnings: Vec::new(),
        }
    }

    pub fn warn(&mut self, line: Option<u32>, message: impl Into<String>) {
        self.warnings.push(ParseWarning {
            line,
            message: message.into(),
        });
    }
}

/// Why a file could not be parsed. The caller adds the path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ParseError {
    /// 1-based line, when known.
    pub line: Option<u32>,
    pub message: String,
}

impl ParseError {
    pub fn new(message: impl Into<String>) -> Self {
        ParseError {
            line: None,
            message: message.into(),
        }
    }

    pub fn at(line: u32, message: impl Into<String>) -> Self {
        ParseError {
            line: Some(line),
            message: message.into(),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purls() {
        assert_eq!(
            Package::new(Ecosystem::CratesIo, "serde", "1.0.0").purl(),
            "pkg:cargo/serde@1.0.0"
        );
        assert_eq!(
            Package::new(Ecosystem::Npm, "@babel/core", "7.0.0").purl(),
            "pkg:npm/%40babel/core@7.0.0"
        );
        assert_eq!(
            Package::new(Ecosystem::Maven, "org.apache:commons", "1.0").purl(),
            "pkg:maven/org.apache/commons@1.0"
        );
        assert_eq!(
            Package::new(Ecosystem::Go, "github.com/gin-gonic/gin", "v1.9.0").purl(),
            "pkg:golang/github.com/gin-gonic/gin@v1.9.0"
        );
        assert_eq!(
            Package::new(Ecosystem::PyPI, "Django_X", "4.0").purl(),
            "pkg:pypi/django-x@4.0"
        );
    }
}
