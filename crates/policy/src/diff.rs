//! What changed since a base revision (`gatehouse gate --diff REV`): per file, whether it is new
//! and which of its current lines are added or modified, read with `gix` from the base commit's
//! tree and compared with the working tree. Only files that have findings are ever diffed.

use std::collections::HashMap;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The base revision cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    #[error(
        "{path}: not inside a git repository, so --diff has nothing to compare with: {message}"
    )]
    NoRepository { path: String, message: String },
    #[error("--diff {rev}: no such revision in {repo} ({message}); in a shallow CI clone, fetch the target branch first (for example `git fetch --depth=50 origin main`)")]
    BadRevision {
        rev: String,
        repo: String,
        message: String,
    },
    #[error("{path}: cannot read at {rev}: {message}")]
    Read {
        path: String,
        rev: String,
        message: String,
    },
}

/// How one file differs from the base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileChange {
    /// Not in the base: every line is new.
    Added,
    /// The same bytes as in the base.
    Unchanged,
    /// These lines of the current file (1-based, inclusive) are added or modified.
    Lines(Vec<RangeInclusive<u32>>),
}

impl FileChange {
    /// Whether anything in lines `start..=end` is new; `start == 0` (no line) asks about the
    /// file as a whole.
    pub fn touches(&self, start: u32, end: u32) -> bool {
        match self {
            FileChange::Added => true,
            FileChange::Unchanged => false,
            FileChange::Lines(ranges) if start == 0 => !ranges.is_empty(),
            FileChange::Lines(ranges) => {
                let end = end.max(start);
                ranges
                    .iter()
                    .any(|r| *r.start() <= end && start <= *r.end())
            }
        }
    }
}

/// The base revision of a `--diff` run.
pub struct DiffBase {
    repo: gix::Repository,
    tree: gix::ObjectId,
    rev: String,
    workdir: PathBuf,
    changes: HashMap<String, FileChange>,
}

impl std::fmt::Debug for DiffBase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiffBase")
            .field("rev", &self.rev)
            .field("tree", &self.tree)
            .field("workdir", &self.workdir)
            .finish()
    }
}

impl DiffBase {
    /// Opens the repository `dir` is in and resolves `rev` to a commit's tree.
    pub fn open(dir: &Path, rev: &str) -> Result<Self, DiffError> {
        let repo = gix::discover(dir).map_err(|e| DiffError::NoRepository {
            path: dir.display().to_string(),
            message: e.to_string(),
        })?;
        let workdir =
            repo.workdir()
                .map(Path::to_path_buf)
                .ok_or_else(|| DiffError::NoRepository {
                    path: dir.display().to_string(),
                    message: "the repository is bare".into(),
                })?;
        let bad = |message: String| DiffError::BadRevision {
            rev: rev.to_string(),
            repo: workdir.display().to_string(),
            message,
        };
        let tree = repo
            .rev_parse_single(rev)
            .map_err(|e| bad(e.to_string()))?
            .object()
            .map_err(|e| bad(e.to_string()))?
            .peel_to_tree()
            .map_err(|e| bad(e.to_string()))?
            .id;
        Ok(DiffBase {
            repo,
            tree,
            rev: rev.to_string(),
            workdir,
            changes: HashMap::new(),
        })
    }

    /// The revision as given.
    pub fn rev(&self) -> &str {
        &self.rev
    }

    /// The repository's working directory: the paths here are relative to it.
    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    /// The content of `path` (relative to the working directory, `/`-separated) in the base,
    /// or `None` when the base has no such file.
    pub fn base_content(&self, path: &str) -> Result<Option<Vec<u8>>, DiffError> {
        let read = |message: String| DiffError::Read {
            path: path.to_string(),
            rev: self.rev.clone(),
            message,
        };
        let tree = self
            .repo
            .find_tree(self.tree)
            .map_err(|e| read(e.to_string()))?;
        let Some(entry) = tree
            .lookup_entry_by_path(path)
            .map_err(|e| read(e.to_string()))?
        else {
            return Ok(None);
        };
        if !entry.mode().is_blob() {
            return Ok(None);
        }
        let object = entry.object().map_err(|e| read(e.to_string()))?;
        Ok(Some(object.detach().data))
    }

    /// How `path` differs from the base (computed once per file).
    pub fn change(&mut self, path: &str) -> Result<FileChange, DiffError> {
        if let Some(c) = self.changes.get(path) {
            return Ok(c.clone());
        }
        let change = match self.base_content(path)? {
            None => FileChange::Added,
            Some(old) => {
                let current =
                    std::fs::read(self.workdir.join(path)).map_err(|e| DiffError::Read {
                        path: path.to_string(),
                        rev: "the working tree".into(),
                        message: e.to_string(),
                    })?;
                changed_lines(&old, &current)
            }
        };
        self.changes.insert(path.to_string(), change.clone());
        Ok(change)
    }
}

/// The commit `HEAD` points at and the branch it is on (if any), for reports; `None` outside a
/// repository or before the first commit.
pub fn head(dir: &Path) -> Option<(String, Option<String>)> {
    let repo = gix::discover(dir).ok()?;
    let id = repo.head_id().ok()?.detach().to_string();
    let branch = repo
        .head_name()
        .ok()
        .flatten()
        .map(|n| n.shorten().to_string());
    Some((id, branch))
}

/// The lines of `new` that are not in `old`, as a line diff sees it.
pub fn changed_lines(old: &[u8], new: &[u8]) -> FileChange {
    if old == new {
        return FileChange::Unchanged;
    }
    let old: Vec<&[u8]> = old.split_inclusive(|&b| b == b'\n').collect();
    let new: Vec<&[u8]> = new.split_inclusive(|&b| b == b'\n').collect();
    // A pathological file must not stall the gate: past the deadline the diff is coarser
    // (more lines count as changed), never finer.
    let deadline = Instant::now() + Duration::from_secs(5);
    let ops = similar::capture_diff_slices_deadline(
        similar::Algorithm::Myers,
        &old,
        &new,
        Some(deadline),
    );
    let mut ranges: Vec<RangeInclusive<u32>> = Vec::new();
    for op in ops {
        let (start, len) = match op {
            similar::DiffOp::Insert {
                new_index, new_len, ..
            }
            | similar::DiffOp::Replace {
                new_index, new_len, ..
            } => (new_index, new_len),
            _ => continue,
        };
        if len == 0 {
            continue;
        }
        let (first, last) = (start as u32 + 1, (start + len) as u32);
        match ranges.last_mut() {
            Some(r) if *r.end() + 1 >= first => *r = *r.start()..=last.max(*r.end()),
            _ => ranges.push(first..=last),
        }
    }
    FileChange::Lines(ranges)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_lines_are_the_added_and_modified_ones() {
        let old = b"a\nb\nc\nd\n";
        assert_eq!(changed_lines(old, old), FileChange::Unchanged);
        let new = b"a\nB\nc\nnew\nd\n";
        let c = changed_lines(old, new);
        assert_eq!(c, FileChange::Lines(vec![2..=2, 4..=4]));
        assert!(c.touches(2, 2));
        assert!(c.touches(3, 4));
        assert!(!c.touches(1, 1));
        assert!(!c.touches(5, 5));
        assert!(c.touches(0, 0), "whole-file question");
        let deleted = changed_lines(old, b"a\nd\n");
        assert_eq!(deleted, FileChange::Lines(vec![]));
        assert!(!deleted.touches(0, 0));
        assert!(FileChange::Added.touches(7, 7));
    }

    #[test]
    fn base_content_comes_from_the_revision() {
        let dir = tempfile::tempdir().unwrap();
        let git = |args: &[&str]| {
            let out = std::process::Command::new("git")
                .args(args)
                .current_dir(dir.path())
                .env("GIT_AUTHOR_NAME", "t")
                .env("GIT_AUTHOR_EMAIL", "t@example.com")
                .env("GIT_COMMITTER_NAME", "t")
                .env("GIT_COMMITTER_EMAIL", "t@example.com")
                .output()
                .unwrap();
            assert!(out.status.success(), "{out:?}");
        };
        git(&["init", "-q", "-b", "main"]);
        std::fs::create_dir(dir.path().join("src")).unwrap();
        std::fs::write(dir.path().join("src/a.py"), "x = 1\ny = 2\n").unwrap();
        git(&["add", "."]);
        git(&["commit", "-q", "-m", "base"]);
        std::fs::write(dir.path().join("src/a.py"), "x = 1\ny = 3\n").unwrap();
        std::fs::write(dir.path().join("b.py"), "z\n").unwrap();

        let mut base = DiffBase::open(&dir.path().join("src"), "HEAD").unwrap();
        assert_eq!(
            base.base_content("src/a.py").unwrap().as_deref(),
            Some(&b"x = 1\ny = 2\n"[..])
        );
        assert_eq!(base.base_content("b.py").unwrap(), None);
        assert_eq!(
            base.base_content("src").unwrap(),
            None,
            "a tree, not a file"
        );
        assert_eq!(
            base.change("src/a.py").unwrap(),
            FileChange::Lines(vec![2..=2])
        );
        assert_eq!(base.change("b.py").unwrap(), FileChange::Added);
        let (commit, branch) = head(dir.path()).unwrap();
        assert_eq!(commit.len(), 40);
        assert_eq!(branch.as_deref(), Some("main"));
        let e = DiffBase::open(dir.path(), "no-such-branch").unwrap_err();
        assert!(e.to_string().contains("no-such-branch"), "{e}");
        let plain = tempfile::tempdir().unwrap();
        let e = DiffBase::open(plain.path(), "HEAD").unwrap_err();
        assert!(matches!(e, DiffError::NoRepository { .. }), "{e}");
    }
}
