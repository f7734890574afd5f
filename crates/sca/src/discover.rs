//! Finding and parsing the dependency files under the scan paths.
//!
//! A directory is walked as every Gatehouse scanner walks (`gatehouse-walk`: ignore files
//! honoured, `.git` left out) and every file whose name [`lockfile::detect`] knows is parsed, in
//! parallel. A file named explicitly is parsed even when its name is unusual, if its content
//! says what it is ([`lockfile::sniff`]); otherwise that is an error, not a silent skip.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use gatehouse_core::ScanError;
use gatehouse_walk::{walk_error, ProjectPaths, WalkOptions};
use rayon::prelude::*;

use crate::lockfile::{self, Format};
use crate::Manifest;

/// How [`discover`] walks and reads.
#[derive(Debug, Clone, Copy)]
pub struct DiscoverOptions {
    pub walk: WalkOptions,
    /// Files larger than this are reported as errors instead of being read.
    pub max_file_size: u64,
}

impl Default for DiscoverOptions {
    fn default() -> Self {
        DiscoverOptions {
            walk: WalkOptions::default(),
            // Lockfiles of large JavaScript projects run to tens of megabytes.
            max_file_size: 256 * 1024 * 1024,
        }
    }
}

/// What [`discover`] found.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Parsed files, in path order.
    pub manifests: Vec<Manifest>,
    /// Files that could not be read or parsed, walk errors, unknown explicit files.
    pub errors: Vec<ScanError>,
    /// Dependency files read (parsed or not).
    pub files: u64,
    pub bytes: u64,
}

/// A file to parse: where it is, how findings name it, and its format when the name said it.
struct Candidate {
    path: PathBuf,
    rel: String,
    format: Option<Format>,
}

/// Walks `paths` and parses every dependency file in them.
pub fn discover(paths: &[PathBuf], opts: &DiscoverOptions) -> Discovery {
    let errors = Mutex::new(Vec::new());
    let error = |path: Option<String>, message: String| {
        if let Ok(mut e) = errors.lock() {
            e.push(ScanError { path, message });
        }
    };
    let mut candidates = Vec::new();
    for root in paths {
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) => {
                error(
                    Some(root.display().to_string()),
                    format!("cannot read: {e}"),
                );
                continue;
            }
        };
        let project = ProjectPaths::new(root);
        if meta.is_file() {
            candidates.push(Candidate {
                path: root.clone(),
                rel: project.relative(root),
                format: lockfile::detect_explicit(root),
            });
            // An explicit file with an unknown name is sniffed after reading.
            continue;
        }
        walk(root, &project, &opts.walk, &mut candidates, &error);
    }
    candidates.sort_by(|a, b| a.rel.cmp(&b.rel));
    candidates.dedup_by(|a, b| a.rel == b.rel);

    let parsed: Vec<(u64, Result<Manifest, ScanError>)> = candidates
        .par_iter()
        .map(|c| parse_candidate(c, opts.max_file_size))
        .collect();
    let mut out = Discovery::default();
    for (bytes, result) in parsed {
        out.files += 1;
        out.bytes += bytes;
        match result {
            Ok(m) => out.manifests.push(m),
            Err(e) => out.errors.push(e),
        }
    }
    out.errors.extend(errors.into_inner().unwrap_or_default());
    out.errors.sort();
    out
}

fn walk(
    root: &Path,
    project: &ProjectPaths,
    opts: &WalkOptions,
    candidates: &mut Vec<Candidate>,
    error: &(dyn Fn(Option<String>, String) + Sync),
) {
    let found = Mutex::new(Vec::new());
    gatehouse_walk::walker(root, opts).build_parallel().run(|| {
        let found = &found;
        Box::new(move |entry| {
            let e = match entry {
                Ok(e) => e,
                Err(err) => {
                    let (path, msg) = walk_error(&err);
                    error(path, msg);
                    return ignore::WalkState::Continue;
                }
            };
            if gatehouse_walk::is_git_dir(&e) {
                return ignore::WalkState::Skip;
            }
            if !e.file_type().is_some_and(|t| t.is_file() || t.is_symlink()) {
                return ignore::WalkState::Continue;
            }
            if let Some(format) = lockfile::detect(e.path()) {
                if let Ok(mut f) = found.lock() {
                    f.push(Candidate {
                        path: e.path().to_path_buf(),
                        rel: project.relative(e.path()),
                        format: Some(format),
                    });
                }
            }
            ignore::WalkState::Continue
        })
    });
    candidates.extend(found.into_inner().unwrap_or_default());
}

/// Reads and parses one file; returns the bytes read and the manifest or the error.
fn parse_candidate(c: &Candidate, max_file_size: u64) -> (u64, Result<Manifest, ScanError>) {
    let err = |message: String| ScanError {
        path: Some(c.rel.clone()),
        message,
    };
    let size = match std::fs::metadata(&c.path) {
        Ok(m) => m.len(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return (0, Err(err("broken symbolic link".into())));
        }
        Err(e) => return (0, Err(err(format!("cannot read: {e}")))),
    };
    if size > max_file_size {
        return (
            0,
            Err(err(format!(
                "not read: {size} bytes is over the limit of {max_file_size} bytes (--max-file-size)"
            ))),
        );
    }
    let bytes = match std::fs::read(&c.path) {
        Ok(b) => b,
        Err(e) => return (0, Err(err(format!("cannot read: {e}")))),
    };
    let n = bytes.len() as u64;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            return (n, Err(err(format!("line {line}: not valid UTF-8"))));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let Some(format) = c.format.or_else(|| lockfile::sniff(text)) else {
        return (
            n,
            Err(err(
                "not a dependency file Gatehouse reads (lockfiles, manifests, CycloneDX and SPDX \
                 SBOMs; see `gatehouse scan deps --help`)"
                    .into(),
            )),
        );
    };
    // A parser bug must cost one file, not the scan.
    let result = std::panic::catch_unwind(|| format.parse(&c.path, text)).unwrap_or_else(|_| {
        Err(crate::ParseError::new(format!(
            "internal error in the {format} parser (please report it)"
        )))
    });
    match result {
        Ok(mut m) => {
            m.path = c.rel.clone();
            (n, Ok(m))
        }
        Err(e) => (n, Err(err(format!("{format}: {e}")))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_and_unknown_files_are_errors_with_their_paths() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "hello").unwrap();
        std::fs::write(dir.path().join("Cargo.lock"), b"\xff\xfe").unwrap();
        let d = discover(
            &[
                dir.path().join("notes.txt"),
                dir.path().join("missing.lock"),
            ],
            &DiscoverOptions::default(),
        );
        assert_eq!(d.manifests.len(), 0);
        assert_eq!(d.errors.len(), 2, "{:?}", d.errors);
        assert!(d
            .errors
            .iter()
            .any(|e| e.message.contains("not a dependency file")));
        assert!(d.errors.iter().any(|e| e.message.contains("cannot read")));

        let d = discover(&[dir.path().to_path_buf()], &DiscoverOptions::default());
        assert_eq!(d.files, 1, "only Cargo.lock is a dependency file");
        assert_eq!(d.errors.len(), 1);
        assert_eq!(d.errors[0].path.as_deref(), Some("Cargo.lock"));
        assert!(
            d.errors[0].message.contains("not valid UTF-8"),
            "{:?}",
            d.errors
        );
    }

    #[test]
    fn oversized_files_are_reported_not_read() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("yarn.lock"), "x".repeat(100)).unwrap();
        let opts = DiscoverOptions {
            max_file_size: 10,
            ..DiscoverOptions::default()
        };
        let d = discover(&[dir.path().to_path_buf()], &opts);
        assert_eq!(d.errors.len(), 1);
        assert!(d.errors[0].message.contains("over the limit"));
    }
}
