//! `go.mod`: `require` lines and blocks, with `replace` and `exclude` applied.
//!
//! A requirement marked `// indirect` is not direct; every other one is. `replace old [v] =>
//! new v` reports the replacement module and version (at the `replace` line); a replacement by
//! a local directory keeps the required module as a [`SourceKind::Path`] package. A requirement
//! on an `exclude`d version is reported as a warning: Go then selects a version go.mod does not
//! name. The `go` and `toolchain` lines name no module and are not reported.
//!
//! Before Go 1.17, go.mod lists only part of the build list; for such modules the modules whose
//! source `go.sum` (beside go.mod) has a hash for are added as indirect packages from go.sum,
//! the highest version of each, unless go.mod already requires them.
//!
//! Versions are kept as written, with their `v`.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::lockfile::text::{dedup, line_no, read_sibling};
use crate::lockfile::Format;
use crate::{Ecosystem, Manifest, Package, ParseError, SourceKind};

struct Require {
    path: String,
    version: String,
    indirect: bool,
    line: u32,
}

struct Replace {
    old_path: String,
    old_version: Option<String>,
    new_path: String,
    /// `None`: a local directory.
    new_version: Option<String>,
    line: u32,
}

#[derive(Default)]
struct GoMod {
    go: Option<String>,
    requires: Vec<Require>,
    replaces: Vec<Replace>,
    excludes: HashSet<(String, String)>,
}

pub fn parse(path: &Path, text: &str) -> Result<Manifest, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let m = read(text)?;
    let mut manifest = Manifest::new(Format::GoMod);

    for r in &m.requires {
        if m.excludes.contains(&(r.path.clone(), r.version.clone())) {
            manifest.warn(
                Some(r.line),
                format!(
                    "{} {} is excluded; Go selects another version, which go.mod does not name",
                    r.path, r.version
                ),
            );
            continue;
        }
        // A replacement of this exact version wins over one of every version.
        let replace = m
            .replaces
            .iter()
            .rev()
            .find(|x| x.old_path == r.path && x.old_version.as_deref() == Some(r.version.as_str()))
            .or_else(|| {
                m.replaces
                    .iter()
                    .rev()
                    .find(|x| x.old_path == r.path && x.old_version.is_none())
            });
        let mut p = match replace {
            Some(x) => match &x.new_version {
                Some(v) => {
                    let mut p = Package::new(Ecosystem::Go, x.new_path.clone(), v.clone());
                    p.line = Some(x.line);
                    p
                }
                None => {
                    let mut p = Package::new(Ecosystem::Go, r.path.clone(), r.version.clone());
                    p.source = SourceKind::Path;
                    p.line = Some(x.line);
                    p
                }
            },
            None => {
                let mut p = Package::new(Ecosystem::Go, r.path.clone(), r.version.clone());
                p.line = Some(r.line);
                p
            }
        };
        p.direct = Some(!r.indirect);
        manifest.packages.push(p);
    }

    if m.go.as_deref().is_some_and(before_1_17) {
        add_from_go_sum(path, &m, &mut manifest);
    }
    manifest.packages = dedup(std::mem::take(&mut manifest.packages));
    Ok(manifest)
}

/// Whether a `go` directive's version is older than 1.17, which began listing every module.
fn before_1_17(go: &str) -> bool {
    let mut parts = go.split('.');
    let num = |s: Option<&str>| -> Option<u32> {
        let s = s?;
        let digits = s
            .find(|c: char| !c.is_ascii_digit())
            .map_or(s, |i| s.get(..i).unwrap_or(""));
        digits.parse().ok()
    };
    match (num(parts.next()), num(parts.next())) {
        (Some(1), Some(minor)) => minor < 17,
        (Some(0), _) => true,
        _ => false,
    }
}

fn add_from_go_sum(path: &Path, m: &GoMod, manifest: &mut Manifest) {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return;
    };
    let Some(stem) = name.strip_suffix(".mod") else {
        return;
    };
    let (sum_path, text) = match read_sibling(path, &format!("{stem}.sum")) {
        None => return,
        Some(Err(e)) => {
            manifest.warn(None, e);
            return;
        }
        Some(Ok(x)) => x,
    };
    let required: HashSet<&str> = m.requires.iter().map(|r| r.path.as_str()).collect();
    // Highest version per module, in order of first appearance.
    let mut order: Vec<String> = Vec::new();
    let mut best: HashMap<String, (String, u32)> = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.is_empty() {
            continue;
        }
        let [module, version, _hash] = fields.as_slice() else {
            manifest.warn(
                Some(line_no(i + 1)),
                format!(
                    "{} line {} is malformed; go.sum ignored",
                    sum_path.display(),
                    i + 1
                ),
            );
            return;
        };
        if version.ends_with("/go.mod") || required.contains(module) {
            continue;
        }
        let line = line_no(i + 1);
        match best.get_mut(*module) {
            Some(slot) => {
                if newer(version, &slot.0) {
                    *slot = (version.to_string(), line);
                }
            }
            None => {
                order.push(module.to_string());
                best.insert(module.to_string(), (version.to_string(), line));
            }
        }
    }
    for module in order {
        if let Some((version, line)) = best.remove(&module) {
            let mut p = Package::new(Ecosystem::Go, module, version);
            p.line = Some(line);
            p.direct = Some(false);
            p.file = Some(sum_path.clone());
            manifest.packages.push(p);
        }
    }
}

/// Module version order (SemVer with a `v`); unparsable versions never replace a parsable one.
fn newer(a: &str, b: &str) -> bool {
    let parse = |v: &str| {
        let v = v.strip_prefix('v').unwrap_or(v);
        let v = v.strip_suffix("+incompatible").unwrap_or(v);
        semver::Version::parse(v).ok()
    };
    match (parse(a), parse(b)) {
        (Some(x), Some(y)) => x > y,
        _ => false,
    }
}

const VERBS: [&str; 10] = [
    "module",
    "go",
    "toolchain",
    "godebug",
    "require",
    "replace",
    "exclude",
    "retract",
    "tool",
    "ignore",
];

fn read(text: &str) -> Result<GoMod, ParseError> {
    let mut m = GoMod::default();
    let mut block: Option<(&str, u32)> = None;
    for (i, raw) in text.lines().enumerate() {
        let no = line_no(i + 1);
        let (code, comment) = split_comment(raw).map_err(|e| ParseError::at(no, e))?;
        let tokens = tokenize(code).map_err(|e| ParseError::at(no, e))?;
        if tokens.is_empty() {
            continue;
        }
        let indirect = comment.is_some_and(|c| {
            let c = c.trim();
            c == "indirect" || c.starts_with("indirect;")
        });
        if let Some((verb, _)) = block {
            if tokens.len() == 1 && tokens.first().map(String::as_str) == Some(")") {
                block = None;
                continue;
            }
            directive(&mut m, verb, &tokens, indirect, no)?;
            continue;
        }
        let Some(verb) = tokens.first().map(String::as_str) else {
            continue;
        };
        let Some(verb) = VERBS.iter().copied().find(|v| *v == verb) else {
            return Err(ParseError::at(
                no,
                format!("unknown directive {verb:?}: not a go.mod file?"),
            ));
        };
        let args = tokens.get(1..).unwrap_or(&[]);
        if args.len() == 1 && args.first().map(String::as_str) == Some("(") {
            block = Some((verb, no));
            continue;
        }
        directive(&mut m, verb, args, indirect, no)?;
    }
    if let Some((verb, line)) = block {
        return Err(ParseError::at(line, format!("{verb} block is not closed")));
    }
    Ok(m)
}

fn directive(
    m: &mut GoMod,
    verb: &str,
    args: &[String],
    indirect: bool,
    no: u32,
) -> Result<(), ParseError> {
    let bad = |what: &str| ParseError::at(no, format!("malformed {verb} directive: {what}"));
    match verb {
        "require" => {
            let [path, version] = args else {
                return Err(bad("expected a module path and a version"));
            };
            m.requires.push(Require {
                path: path.clone(),
                version: version.clone(),
                indirect,
                line: no,
            });
        }
        "replace" => {
            let arrow = args
                .iter()
                .position(|a| a == "=>")
                .ok_or_else(|| bad("missing =>"))?;
            let (left, right) = (
                args.get(..arrow).unwrap_or(&[]),
                args.get(arrow + 1..).unwrap_or(&[]),
            );
            let (old_path, old_version) = match left {
                [p] => (p.clone(), None),
                [p, v] => (p.clone(), Some(v.clone())),
                _ => {
                    return Err(bad(
                        "expected a module path and an optional version before =>",
                    ))
                }
            };
            let (new_path, new_version) = match right {
                [p] if is_local(p) => (p.clone(), None),
                [_] => return Err(bad("a replacement module needs a version")),
                [p, v] => (p.clone(), Some(v.clone())),
                _ => {
                    return Err(bad(
                        "expected a module path and version, or a directory, after =>",
                    ))
                }
            };
            m.replaces.push(Replace {
                old_path,
                old_version,
                new_path,
                new_version,
                line: no,
            });
        }
        "exclude" => {
            let [path, version] = args else {
                return Err(bad("expected a module path and a version"));
            };
            m.excludes.insert((path.clone(), version.clone()));
        }
        "go" => {
            let [v] = args else {
                return Err(bad("expected a version"));
            };
            m.go = Some(v.clone());
        }
        "module" | "toolchain" | "tool" | "ignore" | "godebug" if args.is_empty() => {
            return Err(bad("missing argument"));
        }
        // `retract v1.0.0`, `retract [v1.0.0, v1.1.0]`: nothing to take.
        _ => {}
    }
    Ok(())
}

/// Local directory replacements start with `./`, `../` or are absolute (as modfile decides).
fn is_local(p: &str) -> bool {
    p.starts_with("./")
        || p.starts_with("../")
        || p.starts_with('/')
        || p.starts_with(".\\")
        || p.starts_with("..\\")
        || p == "."
        || p == ".."
        || p.as_bytes().get(1..3) == Some(b":\\")
        || p.as_bytes().get(1..3) == Some(b":/")
}

/// Splits off a `//` comment that is not inside a quoted string.
fn split_comment(line: &str) -> Result<(&str, Option<&str>), &'static str> {
    let bytes = line.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' | b'`' => {
                let close = bytes
                    .get(i + 1..)
                    .and_then(|rest| quote_end(rest, b))
                    .ok_or("unterminated quoted string")?;
                i += close + 2;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                return Ok((line.get(..i).unwrap_or(""), line.get(i + 2..)));
            }
            _ => i += 1,
        }
    }
    Ok((line, None))
}

/// The index of the closing quote in `rest` (which follows the opening one).
fn quote_end(rest: &[u8], quote: u8) -> Option<usize> {
    let mut i = 0;
    while let Some(&b) = rest.get(i) {
        if b == b'\\' && quote == b'"' {
            i += 2;
            continue;
        }
        if b == quote {
            return Some(i);
        }
        i += 1;
    }
    None
}

fn tokenize(code: &str) -> Result<Vec<String>, &'static str> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b' ' | b'\t' | b'\r' => i += 1,
            b'(' | b')' | b'[' | b']' | b',' => {
                out.push((b as char).to_string());
                i += 1;
            }
            b'"' | b'`' => {
                let close = bytes
                    .get(i + 1..)
                    .and_then(|rest| quote_end(rest, b))
                    .ok_or("unterminated quoted string")?;
                let inner = code.get(i + 1..i + 1 + close).ok_or("bad quoted string")?;
                out.push(if b == b'"' {
                    unquote(inner)
                } else {
                    inner.to_string()
                });
                i += close + 2;
            }
            _ => {
                let start = i;
                while let Some(&c) = bytes.get(i) {
                    if matches!(
                        c,
                        b' ' | b'\t' | b'\r' | b'(' | b')' | b'[' | b']' | b',' | b'"' | b'`'
                    ) {
                        break;
                    }
                    i += 1;
                }
                out.push(code.get(start..i).ok_or("bad token")?.to_string());
            }
        }
    }
    Ok(out)
}

fn unquote(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(s: &str) -> Result<Manifest, ParseError> {
        parse(Path::new("/nonexistent/go.mod"), s)
    }

    type Row<'a> = (&'a str, &'a str, Option<u32>, Option<bool>, SourceKind);

    fn summary(m: &Manifest) -> Vec<Row<'_>> {
        m.packages
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.version.as_str(),
                    p.line,
                    p.direct,
                    p.source,
                )
            })
            .collect()
    }

    #[test]
    fn requires_replaces_excludes() {
        let gomod = r#"module example.com/app // the app

go 1.21

toolchain go1.21.5

require github.com/a/b v1.0.0

require (
	github.com/c/d v0.1.0 // indirect
	"github.com/e/f" v2.0.0+incompatible
	golang.org/x/net v0.5.0
	example.com/local v1.0.0
	example.com/gone v1.0.0
)

replace golang.org/x/net => example.com/fork/net v0.6.0

replace (
	example.com/local v1.0.0 => ../local
	golang.org/x/net v0.4.0 => example.com/other v1.0.0
)

exclude example.com/gone v1.0.0

retract [v0.1.0, v0.2.0] // oops
"#;
        let m = parse_str(gomod).unwrap();
        assert_eq!(
            summary(&m),
            vec![
                (
                    "github.com/a/b",
                    "v1.0.0",
                    Some(7),
                    Some(true),
                    SourceKind::Registry
                ),
                (
                    "github.com/c/d",
                    "v0.1.0",
                    Some(10),
                    Some(false),
                    SourceKind::Registry
                ),
                (
                    "github.com/e/f",
                    "v2.0.0+incompatible",
                    Some(11),
                    Some(true),
                    SourceKind::Registry
                ),
                (
                    "example.com/fork/net",
                    "v0.6.0",
                    Some(17),
                    Some(true),
                    SourceKind::Registry
                ),
                (
                    "example.com/local",
                    "v1.0.0",
                    Some(20),
                    Some(true),
                    SourceKind::Path
                ),
            ]
        );
        assert_eq!(m.warnings.len(), 1);
        assert_eq!(m.warnings[0].line, Some(14));
    }

    #[test]
    fn malformed_is_an_error_with_a_line() {
        let e = parse_str("this is not a go.mod file!").unwrap_err();
        assert_eq!(e.line, Some(1));
        assert_eq!(
            parse_str("module a\nrequire (\n  x v1\n").unwrap_err().line,
            Some(2)
        );
        assert_eq!(
            parse_str("module a\nrequire x\n").unwrap_err().line,
            Some(2)
        );
        assert_eq!(
            parse_str("module a\nreplace x => y\n").unwrap_err().line,
            Some(2)
        );
        assert_eq!(parse_str("module \"a\n").unwrap_err().line, Some(1));
        assert!(parse_str("").unwrap().packages.is_empty());
    }

    #[test]
    fn go_versions() {
        assert!(before_1_17("1.16"));
        assert!(before_1_17("1.9"));
        assert!(!before_1_17("1.17"));
        assert!(!before_1_17("1.23.5"));
        assert!(!before_1_17("2"));
        assert!(before_1_17("1.16rc1"));
    }

    #[test]
    fn go_sum_fills_in_before_1_17() {
        let dir = std::env::temp_dir().join(format!("gh-gomod-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("go.sum"),
            "github.com/x/y v1.0.0 h1:a=\ngithub.com/x/y v1.0.0/go.mod h1:b=\ngithub.com/x/y v1.2.0 h1:c=\ngithub.com/a/b v1.0.0 h1:d=\ngithub.com/z/z v0.1.0/go.mod h1:e=\n",
        )
        .unwrap();
        let m = parse(
            &dir.join("go.mod"),
            "module m\ngo 1.16\nrequire github.com/a/b v1.0.0\n",
        )
        .unwrap();
        let got: Vec<_> = m
            .packages
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.version.as_str(),
                    p.line,
                    p.direct,
                    p.file.is_some(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("github.com/a/b", "v1.0.0", Some(3), Some(true), false),
                ("github.com/x/y", "v1.2.0", Some(3), Some(false), true)
            ]
        );
        // From 1.17 on go.mod is complete and go.sum is not read.
        let m = parse(
            &dir.join("go.mod"),
            "module m\ngo 1.17\nrequire github.com/a/b v1.0.0\n",
        )
        .unwrap();
        assert_eq!(m.packages.len(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
