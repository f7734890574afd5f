//! Package URLs (`pkg:type/namespace/name@version?qualifiers#subpath`), parsed as the purl
//! specification says: components split from the right, each percent-decoded, the type
//! lower-cased. SBOMs and VEX documents name packages by purl; this is how they become
//! [`Package`](crate::Package)s and how VEX statements are matched against them.

use std::collections::BTreeMap;
use std::fmt;

use crate::Ecosystem;

/// A parsed package URL. Components are stored decoded.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Purl {
    /// Lower-cased (`npm`, `maven`, `golang`, …).
    pub ty: String,
    /// Decoded segments joined with `/` (`@babel`, `org.apache.commons`, `github.com/gin-gonic`).
    pub namespace: Option<String>,
    pub name: String,
    pub version: Option<String>,
    /// Keys lower-cased; entries with empty values dropped.
    pub qualifiers: BTreeMap<String, String>,
    pub subpath: Option<String>,
}

/// Why a string is not a package URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid package URL `{purl}`: {reason}")]
pub struct PurlError {
    pub purl: String,
    pub reason: String,
}

impl Purl {
    pub fn parse(input: &str) -> Result<Purl, PurlError> {
        let err = |reason: &str| PurlError {
            purl: input.to_string(),
            reason: reason.to_string(),
        };
        let s = input.trim();
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(err("contains whitespace"));
        }
        let (s, subpath) = match s.rsplit_once('#') {
            Some((rest, sub)) => (rest, decode_path(sub).map_err(|r| err(&r))?),
            None => (s, None),
        };
        let (s, qualifiers) = match s.rsplit_once('?') {
            Some((rest, q)) => (rest, decode_qualifiers(q).map_err(|r| err(&r))?),
            None => (s, BTreeMap::new()),
        };
        let (scheme, rest) = s.split_once(':').ok_or_else(|| err("no `pkg:` scheme"))?;
        if !scheme.eq_ignore_ascii_case("pkg") {
            return Err(err("the scheme is not `pkg`"));
        }
        // `pkg://type/…` is tolerated, as the specification asks.
        let rest = rest.trim_start_matches('/');
        let (ty, rest) = rest.split_once('/').ok_or_else(|| err("no name"))?;
        if ty.is_empty()
            || !ty.starts_with(|c: char| c.is_ascii_alphabetic())
            || !ty
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-'))
        {
            return Err(err("invalid type"));
        }
        let rest = rest.trim_matches('/');
        // The version follows the last `@` of the last segment; an `@` at the start of a segment
        // is an unencoded npm scope, not a version separator.
        let last_start = rest.rfind('/').map_or(0, |i| i + 1);
        let (path, version) = match rest[last_start..].rfind('@') {
            Some(i) if i > 0 => {
                let at = last_start + i;
                let v = decode(&rest[at + 1..]).map_err(|r| err(&r))?;
                (&rest[..at], (!v.is_empty()).then_some(v))
            }
            _ => (rest, None),
        };
        let mut segments = Vec::new();
        for seg in path.split('/').filter(|s| !s.is_empty()) {
            segments.push(decode(seg).map_err(|r| err(&r))?);
        }
        let name = segments.pop().ok_or_else(|| err("no name"))?;
        if name.is_empty() {
            return Err(err("no name"));
        }
        if segments.iter().any(|s| s.contains('/')) {
            return Err(err("a namespace segment contains `/`"));
        }
        let namespace = (!segments.is_empty()).then(|| segments.join("/"));
        Ok(Purl {
            ty: ty.to_ascii_lowercase(),
            namespace,
            name,
            version,
            qualifiers,
            subpath,
        })
    }

    /// The ecosystem whose advisories apply, when the type is one the scanner knows.
    pub fn ecosystem(&self) -> Option<Ecosystem> {
        Ecosystem::from_purl_type(&self.ty)
    }

    /// The package name as the ecosystem writes it (and [`Package::name`](crate::Package)
    /// holds it): Maven `group:artifact`, npm `@scope/name`, Go the full module path, Packagist
    /// `vendor/name`. Distribution namespaces (`deb/debian`) and Hex organisations are not part
    /// of the name.
    pub fn package_name(&self) -> String {
        let Some(ns) = &self.namespace else {
            return self.name.clone();
        };
        match self.ecosystem() {
            Some(Ecosystem::Maven) => format!("{ns}:{}", self.name),
            Some(Ecosystem::Npm) if ns.starts_with('@') => format!("{ns}/{}", self.name),
            Some(Ecosystem::Npm) => format!("@{ns}/{}", self.name),
            Some(Ecosystem::Debian | Ecosystem::Alpine | Ecosystem::Hex) => self.name.clone(),
            _ => format!("{ns}/{}", self.name),
        }
    }

    /// Whether two purls name the same package (type, namespace and name, compared the way the
    /// ecosystem compares names), whatever their versions and qualifiers.
    pub fn same_package(&self, other: &Purl) -> bool {
        self.ty == other.ty
            && self.key_part(self.namespace.as_deref().unwrap_or(""))
                == other.key_part(other.namespace.as_deref().unwrap_or(""))
            && self.key_part(&self.name) == other.key_part(&other.name)
    }

    fn key_part(&self, s: &str) -> String {
        match self.ty.as_str() {
            "pypi" => Ecosystem::PyPI.normalize_name(s),
            // Registries that ignore case, and types the specification lower-cases.
            "nuget" | "composer" | "pub" | "github" | "bitbucket" | "hex" | "npm" => {
                s.to_ascii_lowercase()
            }
            _ => s.to_string(),
        }
    }
}

impl std::str::FromStr for Purl {
    type Err = PurlError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Purl::parse(s)
    }
}

/// The canonical form: components percent-encoded, qualifiers sorted.
impl fmt::Display for Purl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "pkg:{}/", self.ty)?;
        if let Some(ns) = &self.namespace {
            for seg in ns.split('/').filter(|s| !s.is_empty()) {
                write!(f, "{}/", encode(seg))?;
            }
        }
        f.write_str(&encode(&self.name))?;
        if let Some(v) = &self.version {
            write!(f, "@{}", encode(v))?;
        }
        let mut sep = '?';
        for (k, v) in &self.qualifiers {
            write!(f, "{sep}{k}={}", encode(v))?;
            sep = '&';
        }
        if let Some(sub) = &self.subpath {
            f.write_str("#")?;
            let segs: Vec<String> = sub.split('/').map(encode).collect();
            f.write_str(&segs.join("/"))?;
        }
        Ok(())
    }
}

/// Percent-encodes everything but unreserved characters and `:`, which the specification says
/// must stay as is.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'~' | b':') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn decode(s: &str) -> Result<String, String> {
    if !s.contains('%') {
        return Ok(s.to_string());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("bad percent-encoding in `{s}`"))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("`{s}` does not decode to UTF-8"))
}

fn decode_qualifiers(q: &str) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    for pair in q.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair
            .split_once('=')
            .ok_or_else(|| format!("qualifier `{pair}` has no `=`"))?;
        let k = k.to_ascii_lowercase();
        if k.is_empty()
            || !k
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        {
            return Err(format!("invalid qualifier key `{k}`"));
        }
        let v = decode(v)?;
        if !v.is_empty() {
            out.insert(k, v);
        }
    }
    Ok(out)
}

/// Subpath segments: empty, `.` and `..` segments are discarded.
fn decode_path(p: &str) -> Result<Option<String>, String> {
    let mut segs = Vec::new();
    for seg in p.split('/') {
        if seg.is_empty() || seg == "." || seg == ".." {
            continue;
        }
        segs.push(decode(seg)?);
    }
    Ok((!segs.is_empty()).then(|| segs.join("/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Purl {
        Purl::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn parses_the_specification_examples() {
        let x = p("pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?packaging=sources&repository_url=repo.spring.io%2Frelease");
        assert_eq!(x.ty, "maven");
        assert_eq!(x.namespace.as_deref(), Some("org.apache.xmlgraphics"));
        assert_eq!(x.name, "batik-anim");
        assert_eq!(x.version.as_deref(), Some("1.9.1"));
        assert_eq!(x.qualifiers["repository_url"], "repo.spring.io/release");
        assert_eq!(x.package_name(), "org.apache.xmlgraphics:batik-anim");

        let x = p("pkg:npm/%40angular/animation@12.3.1");
        assert_eq!(x.namespace.as_deref(), Some("@angular"));
        assert_eq!(x.package_name(), "@angular/animation");

        let x = p("pkg:golang/github.com/gorilla/context@234fd47e07d1004f0aed9c#api");
        assert_eq!(x.package_name(), "github.com/gorilla/context");
        assert_eq!(x.subpath.as_deref(), Some("api"));

        let x = p("pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie");
        assert_eq!(x.package_name(), "curl");
        assert_eq!(x.ecosystem(), Some(Ecosystem::Debian));

        let x = p("pkg:composer/laravel/framework@v10.0.0");
        assert_eq!(x.package_name(), "laravel/framework");

        let x = p("pkg:docker/cassandra@sha256:244fd47e07d1004f0aed9c");
        assert_eq!(x.version.as_deref(), Some("sha256:244fd47e07d1004f0aed9c"));
        assert_eq!(x.ecosystem(), None);
    }

    #[test]
    fn tolerates_common_deviations() {
        // Unencoded npm scope, `pkg://`, upper-case type and scheme.
        let x = p("pkg:npm/@babel/core@7.22.0");
        assert_eq!(x.package_name(), "@babel/core");
        assert_eq!(x.version.as_deref(), Some("7.22.0"));
        let x = p("pkg:npm/@babel/core");
        assert_eq!(
            (x.package_name().as_str(), x.version),
            ("@babel/core", None)
        );
        let x = p("PKG://NPM/lodash@4.17.21");
        assert_eq!((x.ty.as_str(), x.name.as_str()), ("npm", "lodash"));
        // Go major version suffix stays in the module path.
        assert_eq!(
            p("pkg:golang/github.com/foo/bar/v2@v2.1.0").package_name(),
            "github.com/foo/bar/v2"
        );
    }

    #[test]
    fn rejects_what_is_not_a_purl() {
        for bad in [
            "",
            "npm/lodash@1",
            "http://example.com/x",
            "pkg:npm",
            "pkg:npm/",
            "pkg:npm/a%ZZ@1",
            "pkg:npm/a%FF@1",
            "pkg:1npm/a@1",
            "pkg:npm/a b@1",
            "pkg:npm/a@1?=x",
            "pkg:npm/a@1?x",
        ] {
            assert!(Purl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn display_is_canonical_and_round_trips() {
        for s in [
            "pkg:npm/%40babel/core@7.22.0",
            "pkg:maven/org.apache/commons@1.0?classifier=sources&type=jar",
            "pkg:pypi/django@4.2",
            "pkg:golang/github.com/foo/bar/v2@v2.1.0#cmd/x",
            "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64",
            "pkg:generic/a%20b@1:2",
        ] {
            let x = p(s);
            assert_eq!(x.to_string(), s);
            assert_eq!(p(&x.to_string()), x);
        }
        assert_eq!(
            p("pkg:npm/@babel/core@7.0.0?b=2&A=1").to_string(),
            "pkg:npm/%40babel/core@7.0.0?a=1&b=2"
        );
    }

    #[test]
    fn same_package_follows_ecosystem_rules() {
        assert!(p("pkg:pypi/Django_Rest@1").same_package(&p("pkg:pypi/django-rest@2")));
        assert!(p("pkg:npm/%40Babel/core").same_package(&p("pkg:npm/@babel/core@1")));
        assert!(!p("pkg:golang/github.com/A/b").same_package(&p("pkg:golang/github.com/a/b")));
        assert!(!p("pkg:npm/a@1").same_package(&p("pkg:cargo/a@1")));
    }

    #[test]
    fn agrees_with_package_purls() {
        use crate::Package;
        for (eco, name, version) in [
            (Ecosystem::Npm, "@babel/core", "7.0.0"),
            (Ecosystem::Maven, "org.apache:commons", "1.0"),
            (Ecosystem::Go, "github.com/gin-gonic/gin", "v1.9.0"),
            (Ecosystem::Packagist, "laravel/framework", "10.0.0"),
            (Ecosystem::CratesIo, "serde", "1.0.0"),
            (Ecosystem::Debian, "libc6", "2.36-9+deb12u4"),
        ] {
            let x = p(&Package::new(eco, name, version).purl());
            assert_eq!(x.ecosystem(), Some(eco));
            assert_eq!(x.package_name(), name);
            assert_eq!(x.version.as_deref(), Some(version));
        }
    }
}
