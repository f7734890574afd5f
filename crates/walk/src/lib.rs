//! What every scanner that reads a directory tree shares, so that they agree: which directory is
//! the project (the enclosing git repository), how a file's path is written in findings
//! (relative to the project, `/`-separated), which files the walk leaves out (`.gitignore`,
//! `.ignore` and git's excludes unless told otherwise; `.git` itself always), and how walk errors
//! read.

use std::path::{Path, PathBuf};

/// The project a path belongs to: the nearest enclosing directory with a `.git`, else the
/// directory itself (or the file's directory). Findings' paths and fingerprints are relative to
/// it, so a scan of a subdirectory and a scan of the whole repository agree.
pub fn project_root(root: &Path) -> PathBuf {
    let abs = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let dir = if abs.is_dir() {
        abs.clone()
    } else {
        abs.parent().map(Path::to_path_buf).unwrap_or(abs.clone())
    };
    let mut cur = Some(dir.as_path());
    while let Some(d) = cur {
        if d.join(".git").exists() {
            return d.to_path_buf();
        }
        cur = d.parent();
    }
    dir
}

/// The project's name as reports and the server show it by default: the name of the project
/// directory [`project_root`] finds for `path`.
pub fn project_name(path: &Path) -> String {
    project_root(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "project".into())
}

/// A path as findings write it: `/`-separated, without a leading `./`.
pub fn rel_string(p: &Path) -> String {
    let s = p.to_string_lossy();
    let s = if std::path::MAIN_SEPARATOR == '\\' {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    };
    s.trim_start_matches("./").to_string()
}

/// Maps paths under a scan root to paths relative to the project that contains it.
#[derive(Debug, Clone)]
pub struct ProjectPaths {
    root: PathBuf,
    prefix: PathBuf,
    project: PathBuf,
}

impl ProjectPaths {
    /// For a walk started at `root` (a directory or a file).
    pub fn new(root: &Path) -> Self {
        let project = project_root(root);
        let abs_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let prefix = abs_root
            .strip_prefix(&project)
            .map(Path::to_path_buf)
            .unwrap_or_default();
        ProjectPaths {
            root: root.to_path_buf(),
            prefix,
            project,
        }
    }

    /// The project directory (absolute).
    pub fn project(&self) -> &Path {
        &self.project
    }

    /// The project-relative form of `path`, which is `root` or a path the walk of `root` yielded.
    pub fn relative(&self, path: &Path) -> String {
        let tail = path.strip_prefix(&self.root).unwrap_or(path);
        if tail.as_os_str().is_empty() {
            rel_string(&self.prefix)
        } else {
            rel_string(&self.prefix.join(tail))
        }
    }
}

/// How a walk treats ignore files, links and threads.
#[derive(Debug, Clone, Copy, Default)]
pub struct WalkOptions {
    /// Walk what `.gitignore`, `.ignore` and git's excludes leave out.
    pub no_ignore: bool,
    pub follow_links: bool,
    /// Worker threads; 0 means one per CPU.
    pub threads: usize,
}

impl WalkOptions {
    /// The number of threads to use.
    pub fn thread_count(&self) -> usize {
        if self.threads > 0 {
            self.threads
        } else {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        }
    }
}

/// A walker over `root` configured as every Gatehouse scanner walks: hidden files included (a
/// `.env` is exactly what a scan is for), ignore files honoured unless `no_ignore`, with or
/// without a git repository. Callers skip `.git` directories themselves (see [`is_git_dir`]).
pub fn walker(root: &Path, opts: &WalkOptions) -> ignore::WalkBuilder {
    let no_ignore = opts.no_ignore;
    let mut builder = ignore::WalkBuilder::new(root);
    builder
        .hidden(false)
        .parents(!no_ignore)
        .ignore(!no_ignore)
        .git_ignore(!no_ignore)
        .git_global(!no_ignore)
        .git_exclude(!no_ignore)
        .require_git(false)
        .follow_links(opts.follow_links)
        .threads(opts.thread_count());
    builder
}

/// Whether a walk entry is a `.git` directory, which no scanner walks into.
pub fn is_git_dir(e: &ignore::DirEntry) -> bool {
    e.file_type().is_some_and(|t| t.is_dir()) && e.file_name() == ".git"
}

/// A walk error as a path (when it has one) and a message.
pub fn walk_error(err: &ignore::Error) -> (Option<String>, String) {
    match err {
        ignore::Error::WithPath { path, err } => {
            (Some(path.display().to_string()), walk_error(err).1)
        }
        ignore::Error::WithDepth { err, .. } => walk_error(err),
        ignore::Error::WithLineNumber { line, err } => {
            let (p, m) = walk_error(err);
            (p, format!("line {line}: {m}"))
        }
        ignore::Error::Loop { child, ancestor } => (
            Some(child.display().to_string()),
            format!("symbolic link loop to {}", ancestor.display()),
        ),
        ignore::Error::Io(e) => (None, e.to_string()),
        other => (None, other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_enclosing_repository() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        std::fs::write(dir.path().join("a/b/c.txt"), "x").unwrap();
        let sub = dir.path().join("a");
        let paths = ProjectPaths::new(&sub);
        assert_eq!(paths.project(), dir.path().canonicalize().unwrap());
        assert_eq!(paths.relative(&sub.join("b/c.txt")), "a/b/c.txt");
        assert_eq!(paths.relative(&sub), "a");
        let file = ProjectPaths::new(&sub.join("b/c.txt"));
        assert_eq!(file.relative(&sub.join("b/c.txt")), "a/b/c.txt");
    }

    #[test]
    fn without_a_repository_the_directory_is_the_project() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("f"), "x").unwrap();
        let paths = ProjectPaths::new(dir.path());
        assert_eq!(paths.relative(&dir.path().join("f")), "f");
        assert_eq!(rel_string(Path::new("./x/y")), "x/y");
    }
}

/// What [`collect_files`] found.
#[derive(Debug)]
pub struct Collected<T> {
    /// What `select` kept, in walk order.
    pub files: Vec<T>,
    /// What could not be walked: a missing root, an unreadable directory, a broken symbolic link.
    pub errors: Vec<gatehouse_core::ScanError>,
    /// Files left out and why (symbolic links to files, which are not followed).
    pub skipped: std::collections::BTreeMap<gatehouse_core::SkipReason, u64>,
}

/// Walks `roots` in parallel as `opts` says (skipping `.git`) and offers each regular file to the
/// caller in two steps: `classify` sees only its project-relative path and may drop it before
/// anything else is looked at; `select` gets its path, relative path, class and size and keeps
/// what it returns. Symbolic links to files are counted, broken ones reported.
pub fn collect_files<K, T: Send>(
    roots: &[PathBuf],
    opts: &WalkOptions,
    classify: impl Fn(&str) -> Option<K> + Sync,
    select: impl Fn(&Path, String, K, u64) -> Option<T> + Sync,
) -> Collected<T> {
    use std::sync::Mutex;
    let files = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    let symlinks = std::sync::atomic::AtomicU64::new(0);
    let error = |path: Option<String>, message: String| {
        if let Ok(mut e) = errors.lock() {
            e.push(gatehouse_core::ScanError { path, message });
        }
    };
    for root in roots {
        if let Err(e) = std::fs::metadata(root) {
            error(
                Some(root.display().to_string()),
                format!("cannot read: {e}"),
            );
            continue;
        }
        let paths = &ProjectPaths::new(root);
        walker(root, opts).build_parallel().run(|| {
            Box::new(|entry| {
                let e = match entry {
                    Ok(e) => e,
                    Err(err) => {
                        let (path, msg) = walk_error(&err);
                        error(path, msg);
                        return ignore::WalkState::Continue;
                    }
                };
                if is_git_dir(&e) {
                    return ignore::WalkState::Skip;
                }
                let Some(ft) = e.file_type() else {
                    return ignore::WalkState::Continue;
                };
                if ft.is_dir() {
                    return ignore::WalkState::Continue;
                }
                let rel = paths.relative(e.path());
                let Some(class) = classify(&rel) else {
                    return ignore::WalkState::Continue;
                };
                if ft.is_symlink() {
                    if std::fs::metadata(e.path()).is_err() {
                        error(Some(rel), "broken symbolic link".into());
                    } else {
                        symlinks.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                    return ignore::WalkState::Continue;
                }
                if !ft.is_file() {
                    return ignore::WalkState::Continue;
                }
                let size = e.metadata().map(|m| m.len()).unwrap_or(0);
                if let Some(item) = select(e.path(), rel, class, size) {
                    if let Ok(mut f) = files.lock() {
                        f.push(item);
                    }
                }
                ignore::WalkState::Continue
            })
        });
    }
    let mut skipped = std::collections::BTreeMap::new();
    let symlinks = symlinks.into_inner();
    if symlinks > 0 {
        skipped.insert(gatehouse_core::SkipReason::Symlink, symlinks);
    }
    Collected {
        files: files.into_inner().unwrap_or_default(),
        errors: errors.into_inner().unwrap_or_default(),
        skipped,
    }
}
