//! pip requirements files (`requirements*.txt`) and the files they include.
//!
//! Only exact pins (`name==1.2.3`, `name===1.2.3`) name a version that can be checked; every
//! other requirement (ranges, no version, URLs, paths, editables, `${VAR}` versions) is a
//! "not pinned, not checked" warning naming its line, unless the same name is pinned by another
//! line of the include set (pip then installs the pinned version). `-r` and `-c` includes are
//! followed relative to the including file, as pip does; constraint pins are reported like
//! requirement pins because they are the versions pip installs. Lines are joined and comments
//! stripped with pip's own rules (`\` continuations, `#` at line start or after whitespace).

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::lockfile::Format;
use crate::{Ecosystem, Manifest, Package, ParseError};

/// Deeper include chains than this are certainly a mistake (or a loop through symlinks).
const MAX_INCLUDE_DEPTH: usize = 32;

pub fn parse(path: &Path, text: &str) -> Result<Manifest, ParseError> {
    let mut state = State {
        manifest: Manifest::new(Format::Requirements),
        pins: HashMap::with_capacity_and_hasher(text.len() / 64, BuildFnv),
        same_name: Vec::new(),
        visited: HashSet::new(),
        stack: Vec::new(),
        unpinned: Vec::new(),
    };
    state.read_file(path, text, None);
    state.finish();
    Ok(state.manifest)
}

struct State {
    manifest: Manifest,
    /// Normalized name → its first package (`same_name` chains the others): a pin repeated
    /// across includes is one package, and a name pinned anywhere silences its unpinned lines.
    pins: HashMap<String, usize, BuildFnv>,
    /// For each package, the next package with the same normalized name.
    same_name: Vec<Option<usize>>,
    /// Canonical paths of files already read (a file included twice is read once).
    visited: HashSet<PathBuf>,
    /// Canonical paths of the files being read, to tell a cycle from a diamond.
    stack: Vec<PathBuf>,
    /// Warning index and normalized name of each unpinned requirement, dropped at the end when
    /// another line pins the same name.
    unpinned: Vec<(usize, String)>,
}

impl State {
    /// `shown` is the file as the user sees it in messages; `None` for the top-level file,
    /// whose path the caller reports.
    fn read_file(&mut self, path: &Path, text: &str, shown: Option<&Path>) {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.visited.insert(key.clone());
        self.stack.push(key);
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for (line_no, line) in logical_lines(text) {
            let line = strip_comment(&line);
            if line.is_empty() {
                continue;
            }
            let (args, options) = split_options(line);
            if args.is_empty() {
                self.option_line(path, shown, line_no, options);
            } else {
                self.requirement(shown, line_no, args);
            }
        }
        self.stack.pop();
    }

    fn warn(&mut self, shown: Option<&Path>, line: u32, message: String) {
        let message = match shown {
            Some(file) => format!("{}: {message}", file.display()),
            None => message,
        };
        self.manifest.warn(Some(line), message);
    }

    fn requirement(&mut self, shown: Option<&Path>, line: u32, req: &str) {
        match parse_requirement(req) {
            Requirement::Pinned { name, version } => {
                let index = self.manifest.packages.len();
                match self.pins.entry(Ecosystem::PyPI.normalize_name(name)) {
                    Entry::Vacant(slot) => {
                        slot.insert(index);
                    }
                    Entry::Occupied(first) => {
                        let mut at = Some(*first.get());
                        let mut last = *first.get();
                        while let Some(i) = at {
                            if self
                                .manifest
                                .packages
                                .get(i)
                                .is_some_and(|p| p.version == version)
                            {
                                return;
                            }
                            last = i;
                            at = self.same_name.get(i).copied().flatten();
                        }
                        if let Some(next) = self.same_name.get_mut(last) {
                            *next = Some(index);
                        }
                    }
                }
                self.same_name.push(None);
                let mut package = Package::new(Ecosystem::PyPI, name, version);
                package.line = Some(line);
                package.direct = Some(true);
                package.file = shown.map(Path::to_path_buf);
                self.manifest.packages.push(package);
            }
            Requirement::Unpinned { name, why } => {
                self.warn(
                    shown,
                    line,
                    format!("{req}: not pinned, not checked ({why})"),
                );
                if let Some(name) = name {
                    let index = self.manifest.warnings.len() - 1;
                    self.unpinned
                        .push((index, Ecosystem::PyPI.normalize_name(name)));
                }
            }
            Requirement::Invalid(why) => {
                self.warn(
                    shown,
                    line,
                    format!("{req}: invalid requirement ({why}), not checked"),
                );
            }
        }
    }

    fn option_line(&mut self, path: &Path, shown: Option<&Path>, line: u32, options: &str) {
        let Some((option, value)) = first_option(options) else {
            self.warn(
                shown,
                line,
                format!("{options}: unreadable option, ignored"),
            );
            return;
        };
        match option {
            "-r" | "--requirement" | "-c" | "--constraint" => match value {
                Some(target) => self.include(path, shown, line, option, target),
                None => self.warn(
                    shown,
                    line,
                    format!("{option} without a file name, ignored"),
                ),
            },
            "-e" | "--editable" => {
                let target = value.unwrap_or_default();
                let name = egg_name(target);
                self.warn(
                    shown,
                    line,
                    format!("{options}: not pinned, not checked (editable requirement)"),
                );
                if let Some(name) = name {
                    let index = self.manifest.warnings.len() - 1;
                    self.unpinned
                        .push((index, Ecosystem::PyPI.normalize_name(name)));
                }
            }
            // Index, download and build settings: they change where packages come from, not
            // which versions are pinned.
            "-i"
            | "--index-url"
            | "--extra-index-url"
            | "--no-index"
            | "-f"
            | "--find-links"
            | "--pre"
            | "--trusted-host"
            | "--prefer-binary"
            | "--require-hashes"
            | "--only-binary"
            | "--no-binary"
            | "--use-feature"
            | "--hash"
            | "-C"
            | "--config-settings"
            | "--global-option"
            | "--install-option"
            | "-Z"
            | "--always-unzip"
            | "--process-dependency-links"
            | "--use-pep517"
            | "--no-deps"
            | "--no-build-isolation"
            | "--upgrade-strategy"
            | "--implementation" => {}
            _ => self.warn(shown, line, format!("{options}: unknown option, ignored")),
        }
    }

    fn include(
        &mut self,
        path: &Path,
        shown: Option<&Path>,
        line: u32,
        option: &str,
        target: &str,
    ) {
        if target.contains("://") {
            self.warn(
                shown,
                line,
                format!(
                    "{option} {target}: remote file not read, its requirements are not checked"
                ),
            );
            return;
        }
        if target.contains("${") {
            self.warn(
                shown,
                line,
                format!("{option} {target}: file name uses an environment variable, not read"),
            );
            return;
        }
        if Path::new(target).is_absolute() {
            self.warn(
                shown,
                line,
                format!("{option} {target}: absolute path, not read"),
            );
            return;
        }
        let resolved = match path.parent() {
            Some(dir) => dir.join(target),
            None => PathBuf::from(target),
        };
        let key = std::fs::canonicalize(&resolved).unwrap_or_else(|_| resolved.clone());
        if self.stack.contains(&key) {
            self.warn(
                shown,
                line,
                format!("{option} {target}: include cycle, file already being read"),
            );
            return;
        }
        if self.visited.contains(&key) {
            return; // already read through another include: its packages are listed
        }
        if self.stack.len() >= MAX_INCLUDE_DEPTH {
            self.warn(
                shown,
                line,
                format!("{option} {target}: includes nested too deeply, not read"),
            );
            return;
        }
        if let Err(why) = safe_to_read(&key) {
            self.warn(shown, line, format!("{option} {target}: {why}, not read"));
            return;
        }
        let bytes = match std::fs::read(&resolved) {
            Ok(b) => b,
            Err(e) => {
                self.warn(
                    shown,
                    line,
                    format!("{option} {target}: cannot read {}: {e}", resolved.display()),
                );
                return;
            }
        };
        let text = String::from_utf8_lossy(&bytes);
        self.read_file(&resolved, &text, Some(&resolved));
    }

    /// Drops "not pinned" warnings for names another line pins.
    fn finish(&mut self) {
        let drop: HashSet<usize> = self
            .unpinned
            .iter()
            .filter(|(_, name)| self.pins.contains_key(name))
            .map(|(i, _)| *i)
            .collect();
        if drop.is_empty() {
            return;
        }
        let mut index = 0;
        self.manifest.warnings.retain(|_| {
            let keep = !drop.contains(&index);
            index += 1;
            keep
        });
    }
}

/// Largest included file read.
const MAX_INCLUDE_BYTES: u64 = 16 << 20;

/// Whether an included file may be read. A scanned repository is untrusted: its includes must
/// not make the scanner read device or process files (`/proc/self/environ`) into warnings that
/// quote their lines.
fn safe_to_read(canonical: &Path) -> Result<(), String> {
    if ["/proc", "/sys", "/dev"]
        .iter()
        .any(|p| canonical.starts_with(p))
    {
        return Err("a system file".into());
    }
    match std::fs::metadata(canonical) {
        Ok(m) if !m.is_file() => Err("not a regular file".into()),
        Ok(m) if m.len() > MAX_INCLUDE_BYTES => {
            Err(format!("larger than {MAX_INCLUDE_BYTES} bytes"))
        }
        // Missing files are reported when read.
        _ => Ok(()),
    }
}

/// Joins `\` continuations as pip does: the logical line takes the number of its first
/// physical line, and a comment line never continues.
fn logical_lines(text: &str) -> impl Iterator<Item = (u32, Cow<'_, str>)> {
    let mut lines = physical_lines(text).enumerate();
    std::iter::from_fn(move || {
        let (index, first) = lines.next()?;
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        if !first.ends_with('\\') || is_comment_line(first) {
            return Some((number, Cow::Borrowed(first)));
        }
        let mut joined = first.trim_matches('\\').to_string();
        for (_, next) in lines.by_ref() {
            if !next.ends_with('\\') || is_comment_line(next) {
                if is_comment_line(next) {
                    joined.push(' ');
                }
                joined.push_str(next);
                break;
            }
            joined.push_str(next.trim_matches('\\'));
        }
        Some((number, Cow::Owned(joined)))
    })
}

/// `str::lines`, on memchr.
fn physical_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        let line = match memchr::memchr(b'\n', current.as_bytes()) {
            Some(i) => {
                rest = current.get(i + 1..).filter(|r| !r.is_empty());
                current.get(..i).unwrap_or_default()
            }
            None => {
                rest = None;
                current
            }
        };
        Some(line.strip_suffix('\r').unwrap_or(line))
    })
}

/// FNV-1a: the pin table hashes short names, where SipHash's setup dominates.
#[derive(Default, Clone, Copy)]
struct BuildFnv;

struct Fnv(u64);

impl std::hash::BuildHasher for BuildFnv {
    type Hasher = Fnv;
    fn build_hasher(&self) -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

fn is_comment_line(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

/// pip's comment rule: `#` starts a comment at the start of a line or after whitespace, so
/// `--hash=sha256:ab#cd` and URL fragments (`#egg=name`) stay.
fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    let mut cut = line.len();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'#' && (i == 0 || bytes.get(i - 1).is_some_and(u8::is_ascii_whitespace)) {
            cut = i;
            break;
        }
    }
    line.get(..cut).unwrap_or(line).trim()
}

/// Splits a line where its first whitespace-separated token starting with `-` begins, as pip's
/// `break_args_options` does: what comes before is the requirement, the rest its options.
fn split_options(line: &str) -> (&str, &str) {
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'-' && (i == 0 || bytes.get(i - 1).is_some_and(u8::is_ascii_whitespace)) {
            let (args, options) = line.split_at(i);
            return (args.trim(), options.trim());
        }
    }
    (line.trim(), "")
}

/// The first option of an option line and its value: `-r file`, `-rfile`, `--requirement=file`,
/// `--requirement file`.
fn first_option(options: &str) -> Option<(&str, Option<&str>)> {
    let options = options.trim();
    let end = options.find(char::is_whitespace).unwrap_or(options.len());
    let (token, rest) = options.split_at(end);
    let rest = rest.trim();
    let next = rest.split_whitespace().next();
    if let Some(long) = token.strip_prefix("--") {
        if long.is_empty() {
            return None;
        }
        return Some(match token.split_once('=') {
            Some((name, value)) => (name, Some(value).filter(|v| !v.is_empty())),
            None => (token, next),
        });
    }
    let letter = token
        .get(..2)
        .filter(|t| t.len() == 2 && t.starts_with('-'))?;
    if !letter
        .as_bytes()
        .get(1)
        .is_some_and(u8::is_ascii_alphabetic)
    {
        return None;
    }
    let attached = token.get(2..).unwrap_or_default();
    let attached = attached.strip_prefix('=').unwrap_or(attached);
    Some(if attached.is_empty() {
        (letter, next)
    } else {
        (letter, Some(attached))
    })
}

/// The project name of an editable or URL requirement, from `#egg=name`.
fn egg_name(target: &str) -> Option<&str> {
    let (_, fragment) = target.split_once("#egg=")?;
    let end = fragment
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        .unwrap_or(fragment.len());
    fragment.get(..end).filter(|n| !n.is_empty())
}

#[derive(Debug, PartialEq, Eq)]
enum Requirement<'a> {
    Pinned {
        name: &'a str,
        version: &'a str,
    },
    Unpinned {
        name: Option<&'a str>,
        why: &'static str,
    },
    Invalid(&'static str),
}

/// Parses the requirement part of a line (PEP 508, as far as pinning is concerned).
fn parse_requirement(req: &str) -> Requirement<'_> {
    let name_end = req
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        .unwrap_or(req.len());
    let name = req.get(..name_end).unwrap_or_default();
    let rest = req.get(name_end..).unwrap_or_default();
    let valid_name = name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric());
    if !valid_name || rest.starts_with(':') || rest.starts_with('/') || rest.starts_with('\\') {
        if looks_like_url_or_path(req) {
            return Requirement::Unpinned {
                name: egg_name(req),
                why: "URL or path requirement",
            };
        }
        return Requirement::Invalid("no project name");
    }
    let mut rest = rest.trim_start();
    if let Some(extras) = rest.strip_prefix('[') {
        let Some(close) = extras.find(']') else {
            return Requirement::Invalid("unclosed extras");
        };
        rest = extras.get(close + 1..).unwrap_or_default().trim_start();
    }
    if rest.starts_with('@') {
        return Requirement::Unpinned {
            name: Some(name),
            why: "URL requirement",
        };
    }
    // The marker decides where the requirement applies, not which version it is.
    let spec = match rest.find(';') {
        Some(i) => rest.get(..i).unwrap_or_default(),
        None => rest,
    };
    let mut spec = spec.trim();
    if let Some(inner) = spec.strip_prefix('(') {
        match inner.strip_suffix(')') {
            Some(inner) => spec = inner.trim(),
            None => return Requirement::Invalid("unclosed parenthesis"),
        }
    }
    if spec.is_empty() {
        return Requirement::Unpinned {
            name: Some(name),
            why: "no version",
        };
    }
    if spec.contains("${") {
        return Requirement::Unpinned {
            name: Some(name),
            why: "version from an environment variable",
        };
    }
    let mut exact = None;
    for clause in spec.split(',') {
        let clause = clause.trim();
        let Some((op, version)) = split_operator(clause) else {
            return Requirement::Invalid("unknown version operator");
        };
        let version = version.trim();
        if version.is_empty() {
            return Requirement::Invalid("missing version");
        }
        if version.contains(char::is_whitespace) {
            return Requirement::Invalid("unexpected text after the version");
        }
        let pins = match op {
            "===" => true,
            "==" => {
                if !version.bytes().all(|b| {
                    b.is_ascii_alphanumeric()
                        || matches!(b, b'.' | b'_' | b'-' | b'+' | b'!' | b'*')
                }) {
                    return Requirement::Invalid("malformed version");
                }
                !version.ends_with('*')
            }
            _ => false,
        };
        if pins && exact.is_none() {
            exact = Some(version);
        }
    }
    match exact {
        Some(version) => Requirement::Pinned { name, version },
        None => Requirement::Unpinned {
            name: Some(name),
            why: "version range",
        },
    }
}

fn split_operator(clause: &str) -> Option<(&str, &str)> {
    ["===", "==", "!=", "~=", "<=", ">=", "<", ">"]
        .into_iter()
        .find_map(|op| clause.strip_prefix(op).map(|rest| (op, rest)))
}

fn looks_like_url_or_path(req: &str) -> bool {
    let lower = req.to_ascii_lowercase();
    lower.contains("://")
        || lower.starts_with("file:")
        || req.starts_with(['.', '/', '\\', '~'])
        || req.as_bytes().get(1) == Some(&b':') // `C:\…`
        || [".whl", ".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar"]
            .iter()
            .any(|ext| lower.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Manifest {
        parse(Path::new("/nonexistent/requirements.txt"), text).unwrap()
    }

    fn pins(m: &Manifest) -> Vec<(&str, &str, u32)> {
        m.packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.line.unwrap()))
            .collect()
    }

    #[test]
    fn pins_extras_markers_and_comments() {
        let m = parse_str(
            "# comment\nDjango==4.2.1\nrequests[security,socks] == 2.31.0 ; python_version < \"3.8\"\n\
             yolo===1.0-weird\nsix==1.16.0 # trailing comment\nfoo (==1.0)\n",
        );
        assert_eq!(
            pins(&m),
            vec![
                ("Django", "4.2.1", 2),
                ("requests", "2.31.0", 3),
                ("yolo", "1.0-weird", 4),
                ("six", "1.16.0", 5),
                ("foo", "1.0", 6),
            ]
        );
        assert!(m
            .packages
            .iter()
            .all(|p| p.direct == Some(true) && p.file.is_none()));
        assert!(m.warnings.is_empty(), "{:?}", m.warnings);
    }

    #[test]
    fn unpinned_are_warnings_with_lines() {
        let m = parse_str("a>=1\nb~=2.0\nc\nd==1.*\ne @ https://x/e.zip\n./local\n-e git+https://x/y#egg=y\nf==1.0,<2\n");
        assert_eq!(pins(&m), vec![("f", "1.0", 8)]);
        let lines: Vec<_> = m.warnings.iter().map(|w| w.line.unwrap()).collect();
        assert_eq!(lines, vec![1, 2, 3, 4, 5, 6, 7]);
        assert!(m
            .warnings
            .iter()
            .all(|w| w.message.contains("not pinned, not checked")));
    }

    #[test]
    fn a_pin_elsewhere_silences_the_unpinned_line() {
        let m = parse_str("requests>=2\nrequests==2.31.0\n");
        assert_eq!(pins(&m), vec![("requests", "2.31.0", 2)]);
        assert!(m.warnings.is_empty());
    }

    #[test]
    fn hashes_and_continuations() {
        let m = parse_str(
            "pkgA==1.0 \\\n  --hash=sha256:123 \\\n  --hash=sha256:456\npkgB==2.0 --hash=sha256:ab#cd\n\
             qwerty \\\n  == 0.1\nfoo5==1.0; python_version < \"2.7\" --hash=sha256:123\nfoo13==1.0 --hash sha256:1\n\
             last==3 \\",
        );
        assert_eq!(
            pins(&m),
            vec![
                ("pkgA", "1.0", 1),
                ("pkgB", "2.0", 4),
                ("qwerty", "0.1", 5),
                ("foo5", "1.0", 7),
                ("foo13", "1.0", 8),
                ("last", "3", 9)
            ]
        );
    }

    #[test]
    fn invalid_lines_warn() {
        let m = parse_str("asdf==\n==1.0\nasdf 1.0\nfoo7==1.0 junk --hash=sha256:1\nx==${VERSION}\nbad[extra==1\n");
        assert!(m.packages.is_empty());
        assert_eq!(m.warnings.len(), 6, "{:?}", m.warnings);
    }

    #[test]
    fn options_are_ignored_and_unknown_ones_reported() {
        let m = parse_str("--index-url https://pypi.org/simple\n-i https://x\n--require-hashes\n--frobnicate\nok==1\n");
        assert_eq!(pins(&m), vec![("ok", "1", 5)]);
        assert_eq!(m.warnings.len(), 1);
        assert_eq!(m.warnings[0].line, Some(4));
    }

    #[test]
    fn includes_are_followed_relative_with_cycles_and_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("req");
        std::fs::create_dir(&sub).unwrap();
        std::fs::write(
            sub.join("base.txt"),
            "base==1.0\n-r ../main.txt\n-c constraints.txt\n",
        )
        .unwrap();
        std::fs::write(sub.join("constraints.txt"), "pinned==3.0\n").unwrap();
        let main = dir.path().join("main.txt");
        let text = "top==1\n-r req/base.txt\n--requirement=missing.txt\nloose\npinned>=2\n-r /etc/passwd\n-c req\n";
        std::fs::write(&main, text).unwrap();
        let m = parse(&main, text).unwrap();
        assert_eq!(
            pins(&m),
            vec![("top", "1", 1), ("base", "1.0", 1), ("pinned", "3.0", 1)]
        );
        assert_eq!(
            m.packages[1].file.as_deref(),
            Some(sub.join("base.txt").as_path())
        );
        let messages: Vec<_> = m
            .warnings
            .iter()
            .map(|w| (w.line, w.message.as_str()))
            .collect();
        assert_eq!(messages.len(), 5, "{messages:?}");
        assert!(messages[0].1.contains("include cycle"));
        assert_eq!(messages[1].0, Some(3));
        assert!(messages[1].1.contains("missing.txt"));
        assert_eq!(messages[2].0, Some(4));
        assert_eq!(
            messages[3],
            (Some(6), "-r /etc/passwd: absolute path, not read")
        );
        assert_eq!(
            messages[4],
            (Some(7), "-c req: not a regular file, not read")
        );
    }

    #[test]
    fn never_panics_on_odd_bytes() {
        for text in [
            "\\",
            "-",
            "--",
            "-=",
            "[",
            "a[",
            "a==\u{e9}",
            "a @",
            "#\\\n\\",
            "\u{feff}x==1",
            "a(==1",
            "-r",
            "-e",
        ] {
            let _ = parse_str(text);
        }
    }
}
