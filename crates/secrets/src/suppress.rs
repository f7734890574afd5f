//! What silences a finding: an inline `gatehouse:allow` comment, a `.gatehouseignore` entry (a path
//! pattern or a fingerprint), or a baseline. Entries that silence nothing are reported as stale.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Mutex;

use gatehouse_core::{Baseline, Fingerprint, StaleEntry};
use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::SetupError;

/// The comment markers that silence a finding on their line. `gitleaks:allow` is honoured too, so
/// repositories moving from gitleaks keep their annotations.
pub const INLINE_MARKERS: &[&[u8]] = &[b"gatehouse:allow", b"gitleaks:allow"];

/// Whether the line(s) `line` carry an inline allow marker.
pub fn inline_allowed(line: &[u8]) -> bool {
    INLINE_MARKERS
        .iter()
        .any(|m| memchr::memmem::find(line, m).is_some())
}

/// A `.gatehouseignore` file: gitignore-style path patterns, and lines holding a fingerprint (32 hex
/// digits, optionally followed by `# reason`).
#[derive(Debug, Default)]
pub struct IgnoreFile {
    source: String,
    fingerprints: BTreeMap<Fingerprint, u32>,
    paths: Option<Gitignore>,
    /// Pattern text → line, to report stale patterns.
    pattern_lines: BTreeMap<String, u32>,
    used_patterns: Mutex<BTreeSet<String>>,
}

impl IgnoreFile {
    pub const NAME: &'static str = ".gatehouseignore";

    /// Reads `<root>/.gatehouseignore` if there is one.
    pub fn load(root: &Path) -> Result<Self, SetupError> {
        let path = root.join(Self::NAME);
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::parse(root, &path.display().to_string(), &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(SetupError::Read {
                path: path.display().to_string(),
                message: e.to_string(),
            }),
        }
    }

    pub fn parse(root: &Path, source: &str, text: &str) -> Result<Self, SetupError> {
        let mut fingerprints = BTreeMap::new();
        let mut builder = GitignoreBuilder::new(root);
        let mut pattern_lines = BTreeMap::new();
        let mut any_pattern = false;
        for (i, raw) in text.lines().enumerate() {
            let n = i as u32 + 1;
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let first = line.split_whitespace().next().unwrap_or("");
            let first = first.strip_prefix("fingerprint:").unwrap_or(first);
            if let Some(fp) = Fingerprint::parse(first) {
                fingerprints.insert(fp, n);
                continue;
            }
            builder
                .add_line(None, raw.trim_end())
                .map_err(|e| SetupError::Config {
                    path: source.to_string(),
                    line: Some(n),
                    message: e.to_string(),
                })?;
            pattern_lines.insert(raw.trim_end().to_string(), n);
            any_pattern = true;
        }
        let paths = if any_pattern {
            Some(builder.build().map_err(|e| SetupError::Config {
                path: source.to_string(),
                line: None,
                message: e.to_string(),
            })?)
        } else {
            None
        };
        Ok(IgnoreFile {
            source: source.to_string(),
            fingerprints,
            paths,
            pattern_lines,
            used_patterns: Mutex::default(),
        })
    }

    /// Whether the path (relative to the root, `/`-separated) is ignored. Records the pattern used.
    pub fn ignores_path(&self, rel: &str, is_dir: bool) -> bool {
        let Some(g) = &self.paths else { return false };
        let m = if is_dir {
            g.matched(rel, true)
        } else {
            g.matched_path_or_any_parents(rel, false)
        };
        match m {
            ignore::Match::Ignore(glob) => {
                self.used_patterns
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(glob.original().to_string());
                true
            }
            ignore::Match::Whitelist(glob) => {
                self.used_patterns
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(glob.original().to_string());
                false
            }
            ignore::Match::None => false,
        }
    }

    pub fn ignores_fingerprint(&self, fp: &Fingerprint) -> bool {
        self.fingerprints.contains_key(fp)
    }

    /// Entries that silenced nothing, given the fingerprints of every finding before suppression.
    /// Path patterns are only judged when `judge_paths` (a scan that walked the tree).
    pub fn stale(&self, seen: &BTreeSet<Fingerprint>, judge_paths: bool) -> Vec<StaleEntry> {
        let mut out: Vec<StaleEntry> = self
            .fingerprints
            .iter()
            .filter(|(fp, _)| !seen.contains(*fp))
            .map(|(fp, &line)| StaleEntry {
                source: self.source.clone(),
                line: Some(line),
                entry: fp.to_string(),
            })
            .collect();
        if judge_paths {
            let used = self.used_patterns.lock().unwrap_or_else(|p| p.into_inner());
            out.extend(
                self.pattern_lines
                    .iter()
                    .filter(|(p, _)| !used.contains(*p))
                    .map(|(p, &line)| StaleEntry {
                        source: self.source.clone(),
                        line: Some(line),
                        entry: p.clone(),
                    }),
            );
        }
        out
    }
}

/// Reads a baseline file (see [`Baseline::parse`] for what it accepts).
pub fn load_baseline(path: &Path) -> Result<Baseline, SetupError> {
    let source = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| SetupError::Read {
        path: source.clone(),
        message: e.to_string(),
    })?;
    Baseline::parse(&source, &text).map_err(|e| SetupError::Config {
        path: e.source_name,
        line: e.line,
        message: e.message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignore_file_paths_and_fingerprints() {
        let fp = Fingerprint::from_parts(["a"]);
        let text = format!(
            "# comment\nvendor/\n*.min.js\n{fp} # test fixture\nfingerprint:{}\n",
            Fingerprint::from_parts(["b"])
        );
        let ig = IgnoreFile::parse(Path::new("/r"), ".gatehouseignore", &text).unwrap();
        assert!(ig.ignores_path("vendor/x/y.txt", false));
        assert!(ig.ignores_path("a/b.min.js", false));
        assert!(!ig.ignores_path("src/a.js", false));
        assert!(ig.ignores_fingerprint(&fp));
        let seen = BTreeSet::from([fp]);
        let stale = ig.stale(&seen, true);
        assert_eq!(stale.len(), 1, "{stale:?}");
        assert_eq!(stale[0].line, Some(5));
    }
}
