//! `mix.lock`: an Elixir map from dependency name to a tuple, read with a small term reader.
//!
//! `{:hex, :package, "1.2.3", hash, managers, deps, repo, hash}` is a Hex package (the second
//! element is the package's name on Hex, which may differ from the key for renamed
//! dependencies); a repo other than `hexpm` is a private organisation, reported as
//! [`SourceKind::Other`]. `{:git, url, sha, opts}` names a commit, no version, and is reported
//! as a warning. Mix does not record which dependencies are direct or development-only.

use std::path::Path;

use crate::lockfile::text::LineIndex;
use crate::lockfile::Format;
use crate::{Ecosystem, Manifest, Package, ParseError, SourceKind};

const MAX_DEPTH: usize = 64;

#[derive(Debug, PartialEq)]
enum Term {
    Atom(String),
    Str(String),
    Tuple(Vec<Term>),
    List(Vec<Term>),
    Map,
    Scalar,
}

pub fn parse(_path: &Path, text: &str) -> Result<Manifest, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let index = LineIndex::new(text);
    let mut r = Reader {
        s: text.as_bytes(),
        i: 0,
        index: &index,
        depth: 0,
    };
    let mut manifest = Manifest::new(Format::MixLock);
    r.ws();
    if r.peek().is_none() {
        return Ok(manifest);
    }
    if !r.eat(b"%{") {
        return Err(r.error("expected `%{`: not a mix.lock?"));
    }
    loop {
        r.ws();
        if r.eat(b"}") {
            break;
        }
        let start = r.i;
        let line = index.line(start);
        let key = match r.term()? {
            Term::Str(k) => k,
            _ => return Err(r.error_at(start, "expected a dependency name")),
        };
        // `"name": value` (keyword syntax, the current form) or `"name" => value`.
        if !r.eat(b":") {
            r.ws();
            if !r.eat(b"=>") {
                return Err(r.error("expected `:` or `=>` after the dependency name"));
            }
        }
        r.ws();
        let value = r.term()?;
        entry(&mut manifest, &key, value, line);
        r.ws();
        if r.eat(b",") {
            continue;
        }
        r.ws();
        if r.eat(b"}") {
            break;
        }
        return Err(r.error("expected `,` or `}`"));
    }
    r.ws();
    if r.peek().is_some() {
        return Err(r.error("unexpected text after the map"));
    }
    Ok(manifest)
}

fn entry(manifest: &mut Manifest, key: &str, value: Term, line: u32) {
    let Term::Tuple(items) = value else {
        manifest.warn(Some(line), format!("{key}: not a dependency tuple"));
        return;
    };
    match items.first() {
        Some(Term::Atom(kind)) if kind == "hex" => {
            let name = match items.get(1) {
                Some(Term::Atom(n)) | Some(Term::Str(n)) => n.as_str(),
                _ => key,
            };
            let Some(Term::Str(version)) = items.get(2) else {
                manifest.warn(Some(line), format!("{key}: hex entry without a version"));
                return;
            };
            let mut p = Package::new(Ecosystem::Hex, name, version.as_str());
            p.line = Some(line);
            if let Some(Term::Str(repo)) = items.get(6) {
                if repo != "hexpm" {
                    p.source = SourceKind::Other;
                }
            }
            manifest.packages.push(p);
        }
        Some(Term::Atom(kind)) if kind == "git" => {
            let url = match items.get(1) {
                Some(Term::Str(u)) => u.as_str(),
                _ => "?",
            };
            let rev = match items.get(2) {
                Some(Term::Str(r)) => r.as_str(),
                _ => "?",
            };
            manifest.warn(
                Some(line),
                format!("{key}: git dependency {url} at {rev} has no version"),
            );
        }
        Some(Term::Atom(kind)) => {
            manifest.warn(
                Some(line),
                format!("{key}: unsupported dependency kind :{kind}"),
            );
        }
        _ => manifest.warn(Some(line), format!("{key}: not a dependency tuple")),
    }
}

struct Reader<'a> {
    s: &'a [u8],
    i: usize,
    index: &'a LineIndex,
    depth: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn eat(&mut self, token: &[u8]) -> bool {
        if self.s.get(self.i..self.i + token.len()) == Some(token) {
            self.i += token.len();
            true
        } else {
            false
        }
    }

    fn error(&self, msg: &str) -> ParseError {
        self.error_at(self.i, msg)
    }

    fn error_at(&self, at: usize, msg: &str) -> ParseError {
        ParseError::at(self.index.line(at), msg)
    }

    /// Skips whitespace and `#` comments.
    fn ws(&mut self) {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\r' | b'\n' => self.i += 1,
                b'#' => {
                    while self.peek().is_some_and(|b| b != b'\n') {
                        self.i += 1;
                    }
                }
                _ => break,
            }
        }
    }

    fn term(&mut self) -> Result<Term, ParseError> {
        self.ws();
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        let t = self.term_inner();
        self.depth -= 1;
        t
    }

    fn term_inner(&mut self) -> Result<Term, ParseError> {
        match self.peek() {
            None => Err(self.error("unexpected end of file")),
            Some(b'"') => Ok(Term::Str(self.string(b'"')?)),
            Some(b'\'') => Ok(Term::Str(self.string(b'\'')?)),
            Some(b':') => {
                self.i += 1;
                match self.peek() {
                    Some(b'"') => Ok(Term::Atom(self.string(b'"')?)),
                    _ => Ok(Term::Atom(self.word())),
                }
            }
            Some(b'{') => {
                self.i += 1;
                Ok(Term::Tuple(self.items(b'}')?))
            }
            Some(b'[') => {
                self.i += 1;
                Ok(Term::List(self.items(b']')?))
            }
            Some(b'%') if self.s.get(self.i + 1) == Some(&b'{') => {
                self.i += 2;
                self.items(b'}')?;
                Ok(Term::Map)
            }
            Some(b) if b.is_ascii_alphanumeric() || b == b'_' || b == b'-' => {
                let w = self.word();
                if w.is_empty() {
                    return Err(self.error("unexpected character"));
                }
                Ok(Term::Scalar)
            }
            Some(_) => Err(self.error("unexpected character")),
        }
    }

    /// Comma-separated terms up to `close`; `key: value` pairs (keyword lists) and
    /// `key => value` pairs (maps) are kept as two-element tuples.
    fn items(&mut self, close: u8) -> Result<Vec<Term>, ParseError> {
        let mut out = Vec::new();
        loop {
            self.ws();
            if self.peek() == Some(close) {
                self.i += 1;
                return Ok(out);
            }
            let item = if self.keyword_ahead() {
                let k = self.word();
                self.i += 1; // the `:`
                let v = self.term()?;
                Term::Tuple(vec![Term::Atom(k), v])
            } else {
                let t = self.term()?;
                self.ws();
                if self.eat(b"=>") {
                    let v = self.term()?;
                    Term::Tuple(vec![t, v])
                } else {
                    t
                }
            };
            out.push(item);
            self.ws();
            if self.eat(b",") {
                continue;
            }
            self.ws();
            if self.peek() == Some(close) {
                continue;
            }
            return Err(self.error(if close == b']' {
                "expected `,` or `]`"
            } else {
                "expected `,` or `}`"
            }));
        }
    }

    /// Whether a keyword key (`branch:`) starts here.
    fn keyword_ahead(&self) -> bool {
        let mut j = self.i;
        while self
            .s
            .get(j)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            j += 1;
        }
        j > self.i
            && self.s.get(self.i).is_some_and(|b| !b.is_ascii_digit())
            && self.s.get(j) == Some(&b':')
            && matches!(self.s.get(j + 1), Some(b' ' | b'\t' | b'\n' | b'\r'))
    }

    fn word(&mut self) -> String {
        let start = self.i;
        while self.peek().is_some_and(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'+' | b'?' | b'!' | b'@')
        }) {
            self.i += 1;
        }
        String::from_utf8_lossy(self.s.get(start..self.i).unwrap_or(b"")).into_owned()
    }

    fn string(&mut self, quote: u8) -> Result<String, ParseError> {
        let start = self.i;
        self.i += 1;
        let mut out = Vec::new();
        loop {
            match self.peek() {
                None => return Err(self.error_at(start, "unterminated string")),
                Some(b'\\') => {
                    match self.s.get(self.i + 1) {
                        Some(b'n') => out.push(b'\n'),
                        Some(b't') => out.push(b'\t'),
                        Some(&c) => out.push(c),
                        None => return Err(self.error_at(start, "unterminated string")),
                    }
                    self.i += 2;
                }
                Some(b) if b == quote => {
                    self.i += 1;
                    return Ok(String::from_utf8_lossy(&out).into_owned());
                }
                Some(b) => {
                    out.push(b);
                    self.i += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(s: &str) -> Result<Manifest, ParseError> {
        parse(Path::new("mix.lock"), s)
    }

    #[test]
    fn hex_git_and_renamed() {
        let lock = r#"%{
  "plug": {:hex, :plug, "1.11.1", "f2", [:mix], [{:mime, "~> 1.0", [hex: :mime, repo: "hexpm", optional: false]}], "hexpm", "23"},
  # a comment
  "foo": {:git, "https://github.com/my-org/foo.git", "fc94cce", [branch: "feat/x"]},
  "alias": {:hex, :real_name, "0.1.0", "aa", [:rebar3], [], "hexpm:acme", "bb"},
}
"#;
        let m = parse_str(lock).unwrap();
        let got: Vec<_> = m
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.line, p.source))
            .collect();
        assert_eq!(
            got,
            vec![
                ("plug", "1.11.1", Some(2), SourceKind::Registry),
                ("real_name", "0.1.0", Some(5), SourceKind::Other)
            ]
        );
        assert_eq!(m.warnings.len(), 1);
        assert_eq!(m.warnings[0].line, Some(4));
        assert!(m.warnings[0].message.contains("fc94cce"));
    }

    #[test]
    fn old_arrow_syntax_and_empty() {
        let m = parse_str("%{\"a\" => {:hex, :a, \"1.0.0\"}}").unwrap();
        assert_eq!(m.packages[0].version, "1.0.0");
        assert!(parse_str("%{}").unwrap().packages.is_empty());
        assert!(parse_str("").unwrap().packages.is_empty());
    }

    #[test]
    fn malformed_is_an_error() {
        assert_eq!(
            parse_str("this is not a lockfile").unwrap_err().line,
            Some(1)
        );
        assert_eq!(
            parse_str("%{\n  \"a\": {:hex, :a, \"1\"\n")
                .unwrap_err()
                .line,
            Some(3)
        );
        assert!(parse_str("%{\"a\": {:hex, :a, \"1\"}} trailing").is_err());
        assert!(parse_str(&format!("%{{\"a\": {}", "{".repeat(100_000))).is_err());
        assert!(parse_str("%{\"a: 1").is_err());
    }
}
