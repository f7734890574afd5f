//! Git history: every distinct blob of a repository's history, visited once, with the commit and path
//! where it first appeared.
//!
//! The walk has two phases:
//!
//! 1. **Attribution** (reads only commits and trees). Collect the commits reachable from the refs
//!    (minus those reachable from a `Since` revision), order them topologically, parents first and ties
//!    by commit time, oldest first, and traverse each commit's root tree. A tree id already seen is
//!    skipped whole: every blob under it was attributed already. Each unseen blob id is recorded with
//!    the commit index and an interned path: ids and small records only, no contents. The ordered
//!    commits are cut into contiguous runs walked in parallel, each with its own seen-sets, and merged
//!    in order, which gives exactly the result of one sequential walk.
//! 2. **Reading** (parallel). The distinct blobs are sorted by pack and offset and read in contiguous
//!    runs, one reader per run. Each blob is handed to the visitor exactly once.
//!
//! Objects in packs are decoded by a small delta resolver of our own on top of gitoxide's pack files
//! ([`Reader`]): gitoxide's caches keep only the objects asked for, not the delta bases resolved on
//! the way, so walking many versions of a tree, oldest first, against packs that store the newest
//! version whole re-applied whole delta chains for every version. Caching every base, as git does,
//! makes the walk cost one delta per version. Loose objects, alternates and anything the resolver
//! cannot handle go through gitoxide's object store.
//!
//! A missing or corrupt object never aborts the walk: it becomes a [`ScanError`] naming the object (and
//! the path when known), and everything else is still visited.

use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use gatehouse_core::{CommitInfo, ScanError};
use gix::hashtable::{HashMap as OidMap, HashSet as OidSet};
use gix::objs::{Find as _, FindHeader as _};
use gix::odb::pack;
use gix::{ObjectId, ThreadSafeRepository};

/// Which blobs of the history to visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryScope {
    /// Every blob reachable from any ref (branches, tags, remotes, the stash) and from `HEAD`.
    All,
    /// Only commits not reachable from this revision (`origin/main`, a SHA, `HEAD~10`, …): the blobs
    /// those commits introduced.
    Since(String),
    /// The index (staging area): entries whose blob differs from `HEAD`'s at that path, or all of them
    /// when there is no `HEAD` yet.
    Staged,
}

/// One blob handed to the visitor.
#[derive(Debug, Clone, Copy)]
pub struct BlobItem<'a> {
    pub data: &'a [u8],
    /// Path of the blob where it first appeared, relative to the repository root, `/`-separated
    /// (lossy UTF-8). For a blob that only a tag points to, the tag's ref name.
    pub path: &'a str,
    /// The commit where this blob first appeared (`None` for `Staged`, and for blobs or trees that a
    /// tag points to directly).
    pub commit: Option<&'a CommitInfo>,
    /// `Staged` only: the `HEAD` version of the same path, if there is one.
    pub previous: Option<&'a [u8]>,
}

/// What a history walk did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryOutcome {
    /// Commits walked.
    pub commits: u64,
    /// Distinct blobs visited.
    pub blobs: u64,
    /// Bytes of the visited blobs.
    pub bytes: u64,
    /// Blobs larger than `max_size`, not read.
    pub skipped_too_large: u64,
    /// Objects that could not be read (missing, corrupt): each named; the walk went on.
    pub errors: Vec<ScanError>,
}

/// Why a history walk could not be done at all.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("{}: not a git repository: {message}", path.display())]
    NotARepository { path: PathBuf, message: String },
    #[error("{}: unknown or invalid revision '{rev}': {message}", path.display())]
    BadRevision {
        path: PathBuf,
        rev: String,
        message: String,
    },
    #[error("{}: cannot read references: {message}", path.display())]
    References { path: PathBuf, message: String },
    #[error("{}: cannot read HEAD: {message}", path.display())]
    Head { path: PathBuf, message: String },
    #[error("{}: cannot read the index: {message}", path.display())]
    Index { path: PathBuf, message: String },
}

/// Calls `visit` once per distinct blob, in parallel (rayon): each distinct blob exactly once, even if
/// it appears in many commits and paths. Blobs larger than `max_size` bytes are not read (counted in
/// [`HistoryOutcome::skipped_too_large`]). Symbolic links and submodule entries are not blobs to scan.
pub fn scan_history<F>(
    repo: &Path,
    scope: &HistoryScope,
    max_size: u64,
    visit: F,
) -> Result<HistoryOutcome, GitError>
where
    F: Fn(BlobItem<'_>) + Sync,
{
    let shared = open(repo)?;
    match scope {
        HistoryScope::All => scan_commits(repo, &shared, None, max_size, None, &visit),
        HistoryScope::Since(rev) => scan_commits(repo, &shared, Some(rev), max_size, None, &visit),
        HistoryScope::Staged => scan_staged(repo, &shared, max_size, &visit),
    }
}

fn open(path: &Path) -> Result<ThreadSafeRepository, GitError> {
    let not_a_repo = |message: String| GitError::NotARepository {
        path: path.to_owned(),
        message,
    };
    if !path.exists() {
        return Err(not_a_repo("no such file or directory".into()));
    }
    let repo = ThreadSafeRepository::open(path).map_err(|e| not_a_repo(error_chain(&e)))?;
    // `open` accepts a directory whose HEAD and layout look right; make sure the object store is there.
    let objects = repo.objects.path().to_owned();
    if !objects.is_dir() {
        return Err(not_a_repo(format!(
            "object directory {} is missing",
            objects.display()
        )));
    }
    Ok(repo)
}

/// The whole message of an error and its sources.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let msg = s.to_string();
        if !out.contains(&msg) {
            out.push_str(": ");
            out.push_str(&msg);
        }
        source = s.source();
    }
    out
}

/// Sentinel commit index: the blob was reached from a tag pointing at a tree or blob, not from a commit.
const NO_COMMIT: u32 = u32::MAX;
/// Delta-base cache of each tree walker.
const TREE_CACHE_BYTES: usize = 24 << 20;
/// Delta-base cache of each blob reader.
const BLOB_CACHE_BYTES: usize = 16 << 20;
/// Deepest tree nesting walked (recursion bound for hostile repositories).
const MAX_TREE_DEPTH: usize = 1024;
/// Fewest commits worth a run of their own in the parallel tree walk.
const MIN_COMMITS_PER_RUN: usize = 200;

/// A commit of the walk: only what ordering and tree traversal need.
struct CommitNode {
    id: ObjectId,
    /// `None` when the commit object could not be read (an error was recorded).
    tree: Option<ObjectId>,
    time: i64,
    parents_start: u32,
    parents_len: u32,
}

/// A blob to read: its id and where it first appeared.
#[derive(Clone, Copy)]
struct BlobRecord {
    id: ObjectId,
    commit: u32,
    path: u32,
}

/// Interned `/`-separated paths.
#[derive(Default)]
struct Paths {
    ids: HashMap<Box<[u8]>, u32>,
    strings: Vec<Box<str>>,
}

impl Paths {
    fn intern(&mut self, path: &[u8]) -> u32 {
        if let Some(&id) = self.ids.get(path) {
            return id;
        }
        let id = self.strings.len() as u32;
        self.strings.push(String::from_utf8_lossy(path).into());
        self.ids.insert(path.into(), id);
        id
    }
}

/// Errors collected from many threads.
#[derive(Default)]
struct Errors(Mutex<Vec<ScanError>>);

impl Errors {
    fn push(&self, path: Option<&str>, message: String) {
        let mut errors = self.0.lock().unwrap_or_else(|p| p.into_inner());
        errors.push(ScanError {
            path: path.map(str::to_owned),
            message,
        });
    }
    fn into_vec(self) -> Vec<ScanError> {
        let mut v = self.0.into_inner().unwrap_or_else(|p| p.into_inner());
        v.sort();
        v.dedup();
        v
    }
}

/// Reads one object into `buf` through gix's object store. The error names the object.
fn read_object<'b>(
    repo: &gix::Repository,
    id: &gix::oid,
    expected: gix::objs::Kind,
    buf: &'b mut Vec<u8>,
) -> Result<&'b [u8], String> {
    match repo.objects.try_find(id, buf) {
        Ok(Some(data)) if data.kind == expected => Ok(data.data),
        Ok(Some(data)) => Err(format!(
            "object {id}: expected a {expected}, found a {}",
            data.kind
        )),
        Ok(None) => Err(format!("{expected} {id}: object is missing")),
        Err(e) => Err(format!(
            "{expected} {id}: cannot read object: {}",
            error_chain(&e)
        )),
    }
}

/// Trees and blobs known before the walk starts (everything in the boundary commits of a `Since`
/// walk): never descended into, never visited.
#[derive(Default)]
struct Known {
    trees: OidSet,
    blobs: OidSet,
}

/// Blobs first seen by one walker, in walk order.
#[derive(Default)]
struct Found {
    /// (blob, commit index, path index into `paths`).
    blobs: Vec<(ObjectId, u32, u32)>,
    paths: Paths,
}

/// Walks trees for one contiguous run of commits (in topological order), with its own object handle
/// and its own seen-sets. Runs of commits are walked in parallel and merged in order: the first run
/// holding a blob, at its first occurrence in that run, is exactly where a single sequential walk
/// would have found it first (a tree seen earlier only holds blobs seen earlier).
struct TreeWalker<'a> {
    reader: Reader<'a>,
    hash_kind: gix::hash::Kind,
    seen_trees: OidSet,
    seen_blobs: OidSet,
    known: &'a Known,
    found: Found,
    errors: &'a Errors,
}

impl<'a> TreeWalker<'a> {
    fn new(
        shared: &ThreadSafeRepository,
        packs: &'a Packs,
        known: &'a Known,
        errors: &'a Errors,
    ) -> Self {
        TreeWalker {
            hash_kind: shared.objects.object_hash(),
            reader: Reader::new(shared, packs, TREE_CACHE_BYTES),
            seen_trees: OidSet::default(),
            seen_blobs: OidSet::default(),
            known,
            found: Found::default(),
            errors,
        }
    }

    /// Traverses the tree `id` (whose path is `prefix`), recording the blobs not seen yet for `commit`.
    fn walk_tree(&mut self, id: ObjectId, prefix: &mut Vec<u8>, depth: usize, commit: u32) {
        if self.known.trees.contains(&id) || !self.seen_trees.insert(id) {
            return;
        }
        let lossy = |prefix: &[u8]| {
            (!prefix.is_empty()).then(|| String::from_utf8_lossy(prefix).into_owned())
        };
        if depth > MAX_TREE_DEPTH {
            self.errors.push(
                lossy(prefix).as_deref(),
                format!("tree {id}: nested too deeply, not walked"),
            );
            return;
        }
        let kind = gix::objs::Kind::Tree;
        let data = match self.reader.read(&id, None, kind, u64::MAX) {
            Ok(Some(data)) => data,
            Ok(None) => return,
            Err(message) => {
                self.errors.push(lossy(prefix).as_deref(), message);
                return;
            }
        };
        {
            let prefix_len = prefix.len();
            for entry in gix::objs::TreeRefIter::from_bytes(&data, self.hash_kind) {
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(e) => {
                        let message = format!("tree {id}: cannot decode: {}", error_chain(&e));
                        self.errors.push(lossy(prefix).as_deref(), message);
                        break;
                    }
                };
                if entry.mode.is_tree() {
                    let child = entry.oid.to_owned();
                    if self.seen_trees.contains(&child) || self.known.trees.contains(&child) {
                        continue;
                    }
                    push_component(prefix, entry.filename);
                    self.walk_tree(child, prefix, depth + 1, commit);
                    prefix.truncate(prefix_len);
                } else if entry.mode.is_blob() {
                    // Regular and executable files; symbolic links and submodules are not scanned.
                    let blob = entry.oid.to_owned();
                    if !self.known.blobs.contains(&blob) && self.seen_blobs.insert(blob) {
                        push_component(prefix, entry.filename);
                        let path = self.found.paths.intern(prefix);
                        prefix.truncate(prefix_len);
                        self.found.blobs.push((blob, commit, path));
                    }
                }
            }
        }
    }
}

/// Marks every tree and blob under `tree` as known.
fn mark_known(repo: &gix::Repository, tree: ObjectId, known: &mut Known, errors: &Errors) {
    let mut stack = vec![tree];
    let mut buf = Vec::new();
    while let Some(id) = stack.pop() {
        if !known.trees.insert(id) {
            continue;
        }
        let data = match read_object(repo, &id, gix::objs::Kind::Tree, &mut buf) {
            Ok(data) => data,
            Err(message) => {
                errors.push(None, message);
                continue;
            }
        };
        for entry in gix::objs::TreeRefIter::from_bytes(data, repo.object_hash()) {
            let Ok(entry) = entry else {
                errors.push(None, format!("tree {id}: cannot decode"));
                break;
            };
            if entry.mode.is_tree() {
                if !known.trees.contains(entry.oid) {
                    stack.push(entry.oid.to_owned());
                }
            } else if entry.mode.is_blob() {
                known.blobs.insert(entry.oid.to_owned());
            }
        }
    }
}

/// What the phases of a walk share.
#[derive(Clone, Copy)]
struct Context<'a> {
    shared: &'a ThreadSafeRepository,
    packs: &'a Packs,
    errors: &'a Errors,
}

/// Trees and blobs that tags point to directly, not through a commit.
#[derive(Default)]
struct Tagged {
    trees: Vec<ObjectId>,
    /// With the ref's name, which serves as their path.
    blobs: Vec<(ObjectId, String)>,
}

/// The blobs to read, each with where it first appeared.
struct Attribution {
    blobs: Vec<BlobRecord>,
    paths: Vec<Box<str>>,
}

/// Phase 1: walks the root trees of `order` (commit indices, topological) in `runs` contiguous runs in
/// parallel, then the trees of `tree_tips`, and merges what each run found, in order.
fn attribute(
    ctx: &Context<'_>,
    nodes: &[CommitNode],
    order: &[u32],
    tagged: &Tagged,
    known: &Known,
    runs: usize,
) -> Attribution {
    let Context {
        shared,
        packs,
        errors,
    } = *ctx;
    let (tree_tips, blob_tips) = (&tagged.trees[..], &tagged.blobs[..]);
    use rayon::prelude::*;
    let run_len = order.len().div_ceil(runs.max(1)).max(1);
    let mut jobs: Vec<(&[u32], &[ObjectId])> =
        order.chunks(run_len).map(|c| (c, &[][..])).collect();
    if !tree_tips.is_empty() {
        jobs.push((&[], tree_tips));
    }
    let found: Vec<Found> = jobs
        .par_iter()
        .map(|&(commits, trees)| {
            let mut walker = TreeWalker::new(shared, packs, known, errors);
            let mut prefix = Vec::new();
            for &i in commits {
                if let Some(tree) = nodes[i as usize].tree {
                    prefix.clear();
                    walker.walk_tree(tree, &mut prefix, 0, i);
                }
            }
            for &tree in trees {
                prefix.clear();
                walker.walk_tree(tree, &mut prefix, 0, NO_COMMIT);
            }
            walker.found
        })
        .collect();

    let mut seen = OidSet::default();
    let mut paths = Paths::default();
    let mut blobs = Vec::new();
    for run in found {
        let mut local_to_global: Vec<u32> = vec![u32::MAX; run.paths.strings.len()];
        for (id, commit, path) in run.blobs {
            if seen.insert(id) {
                let global = &mut local_to_global[path as usize];
                if *global == u32::MAX {
                    *global = paths.intern(run.paths.strings[path as usize].as_bytes());
                }
                blobs.push(BlobRecord {
                    id,
                    commit,
                    path: *global,
                });
            }
        }
    }
    for (id, name) in blob_tips {
        if !known.blobs.contains(id) && seen.insert(*id) {
            blobs.push(BlobRecord {
                id: *id,
                commit: NO_COMMIT,
                path: paths.intern(name.as_bytes()),
            });
        }
    }
    Attribution {
        blobs,
        paths: paths.strings,
    }
}

fn push_component(prefix: &mut Vec<u8>, name: &[u8]) {
    if !prefix.is_empty() {
        prefix.push(b'/');
    }
    prefix.extend_from_slice(name);
}

/// What a ref finally points to, after peeling tags.
enum Tip {
    Commit(ObjectId),
    Tree(ObjectId),
    Blob(ObjectId, String),
}

/// Peels `id` through annotated tags. `None` (with an error recorded) when an object is unreadable.
fn peel(repo: &gix::Repository, mut id: ObjectId, name: &str, errors: &Errors) -> Option<Tip> {
    let mut buf = Vec::new();
    for _ in 0..64 {
        let data = match repo.objects.try_find(&id, &mut buf) {
            Ok(Some(data)) => data,
            Ok(None) => {
                errors.push(
                    Some(name),
                    format!("ref {name} points to missing object {id}"),
                );
                return None;
            }
            Err(e) => {
                errors.push(
                    Some(name),
                    format!("ref {name}: cannot read object {id}: {}", error_chain(&e)),
                );
                return None;
            }
        };
        match data.kind {
            gix::objs::Kind::Commit => return Some(Tip::Commit(id)),
            gix::objs::Kind::Tree => return Some(Tip::Tree(id)),
            gix::objs::Kind::Blob => return Some(Tip::Blob(id, name.to_owned())),
            gix::objs::Kind::Tag => {
                match gix::objs::TagRefIter::from_bytes(data.data, repo.object_hash()).target_id() {
                    Ok(target) => id = target,
                    Err(e) => {
                        errors.push(
                            Some(name),
                            format!("tag {id}: cannot decode: {}", error_chain(&e)),
                        );
                        return None;
                    }
                }
            }
        }
    }
    errors.push(
        Some(name),
        format!("ref {name}: tag chain too long at {id}"),
    );
    None
}

/// Every ref's peeled target, and `HEAD`'s.
fn tips(path: &Path, repo: &gix::Repository, errors: &Errors) -> Result<Vec<Tip>, GitError> {
    let refs_error = |message: String| GitError::References {
        path: path.to_owned(),
        message,
    };
    let mut tips = Vec::new();
    let mut seen = OidSet::default();
    let mut add = |id: ObjectId, name: &str, tips: &mut Vec<Tip>| {
        if seen.insert(id) {
            if let Some(tip) = peel(repo, id, name, errors) {
                tips.push(tip);
            }
        }
    };
    let head = repo.head().map_err(|e| GitError::Head {
        path: path.to_owned(),
        message: error_chain(&e),
    })?;
    if let Some(id) = head.id() {
        add(id.detach(), "HEAD", &mut tips);
    }
    let platform = repo.references().map_err(|e| refs_error(error_chain(&e)))?;
    let all = platform.all().map_err(|e| refs_error(error_chain(&e)))?;
    for reference in all {
        match reference {
            Ok(reference) => {
                if let Some(id) = reference.inner.target.try_id() {
                    let name = reference.name().as_bstr().to_string();
                    add(id.to_owned(), &name, &mut tips);
                }
            }
            Err(e) => errors.push(None, format!("unreadable ref: {}", error_chain(&e))),
        }
    }
    Ok(tips)
}

/// Collects the commits reachable from `tips` but not from `hidden` (BFS; index order = discovery
/// order). Returns the commits, their flat parent list, and the boundary commits (hidden parents of
/// walked commits).
fn collect_commits(
    repo: &gix::Repository,
    tips: &[ObjectId],
    hidden: &OidSet,
    errors: &Errors,
) -> (Vec<CommitNode>, Vec<u32>, Vec<ObjectId>) {
    let hash_kind = repo.object_hash();
    let shallow = shallow_commits(repo);
    let mut index: OidMap<ObjectId, u32> = OidMap::default();
    let mut nodes: Vec<CommitNode> = Vec::new();
    let mut parents: Vec<u32> = Vec::new();
    let mut boundary = Vec::new();
    let mut boundary_seen = OidSet::default();
    for &tip in tips {
        if hidden.contains(&tip) || index.contains_key(&tip) {
            continue;
        }
        index.insert(tip, nodes.len() as u32);
        nodes.push(CommitNode {
            id: tip,
            tree: None,
            time: 0,
            parents_start: 0,
            parents_len: 0,
        });
    }
    let mut buf = Vec::new();
    let mut next = 0;
    while next < nodes.len() {
        let id = nodes[next].id;
        let start = parents.len() as u32;
        match repo.objects.try_find(&id, &mut buf) {
            Ok(Some(data)) if data.kind == gix::objs::Kind::Commit => {
                match gix::objs::CommitRef::from_bytes(data.data, hash_kind) {
                    Ok(commit) => {
                        nodes[next].tree = Some(commit.tree());
                        nodes[next].time = commit.committer().map(|s| s.seconds()).unwrap_or(0);
                        if !shallow.contains(&id) {
                            for parent in commit.parents() {
                                if hidden.contains(&parent) {
                                    if boundary_seen.insert(parent) {
                                        boundary.push(parent);
                                    }
                                    continue;
                                }
                                let len = nodes.len() as u32;
                                let p = *index.entry(parent).or_insert(len);
                                if p == len {
                                    nodes.push(CommitNode {
                                        id: parent,
                                        tree: None,
                                        time: 0,
                                        parents_start: 0,
                                        parents_len: 0,
                                    });
                                }
                                parents.push(p);
                            }
                        }
                    }
                    Err(e) => errors.push(
                        None,
                        format!("commit {id}: cannot decode: {}", error_chain(&e)),
                    ),
                }
            }
            Ok(Some(data)) => errors.push(
                None,
                format!("object {id}: expected a commit, found a {}", data.kind),
            ),
            Ok(None) => errors.push(None, format!("commit {id}: object is missing")),
            Err(e) => errors.push(
                None,
                format!("commit {id}: cannot read object: {}", error_chain(&e)),
            ),
        }
        nodes[next].parents_start = start;
        nodes[next].parents_len = parents.len() as u32 - start;
        next += 1;
    }
    (nodes, parents, boundary)
}

/// The commits whose parents a shallow clone does not have.
fn shallow_commits(repo: &gix::Repository) -> OidSet {
    repo.shallow_commits()
        .ok()
        .flatten()
        .map(|c| c.iter().copied().collect())
        .unwrap_or_default()
}

/// Every commit reachable from `start` (inclusive).
fn ancestors(repo: &gix::Repository, start: ObjectId, errors: &Errors) -> OidSet {
    let hash_kind = repo.object_hash();
    let shallow = shallow_commits(repo);
    let mut seen = OidSet::default();
    let mut queue = vec![start];
    seen.insert(start);
    let mut buf = Vec::new();
    while let Some(id) = queue.pop() {
        if shallow.contains(&id) {
            continue;
        }
        match repo.objects.try_find(&id, &mut buf) {
            Ok(Some(data)) if data.kind == gix::objs::Kind::Commit => {
                for parent in
                    gix::objs::CommitRefIter::from_bytes(data.data, hash_kind).parent_ids()
                {
                    if seen.insert(parent) {
                        queue.push(parent);
                    }
                }
            }
            Ok(_) => errors.push(
                None,
                format!("commit {id}: object is missing or not a commit"),
            ),
            Err(e) => errors.push(
                None,
                format!("commit {id}: cannot read object: {}", error_chain(&e)),
            ),
        }
    }
    seen
}

/// Topological order, parents before children; among commits ready at the same time, oldest commit
/// time first (then discovery order).
fn topo_order(nodes: &[CommitNode], parents: &[u32]) -> Vec<u32> {
    let n = nodes.len();
    let mut pending = vec![0u32; n];
    let mut child_count = vec![0u32; n + 1];
    for (i, node) in nodes.iter().enumerate() {
        let ps =
            &parents[node.parents_start as usize..(node.parents_start + node.parents_len) as usize];
        pending[i] = ps.len() as u32;
        for &p in ps {
            child_count[p as usize + 1] += 1;
        }
    }
    // Compressed children lists.
    for i in 0..n {
        child_count[i + 1] += child_count[i];
    }
    let offsets = child_count;
    let mut fill = offsets.clone();
    let mut children = vec![0u32; offsets[n] as usize];
    for (i, node) in nodes.iter().enumerate() {
        for &p in
            &parents[node.parents_start as usize..(node.parents_start + node.parents_len) as usize]
        {
            children[fill[p as usize] as usize] = i as u32;
            fill[p as usize] += 1;
        }
    }
    let mut ready: BinaryHeap<std::cmp::Reverse<(i64, u32)>> = BinaryHeap::new();
    for (i, node) in nodes.iter().enumerate() {
        if pending[i] == 0 {
            ready.push(std::cmp::Reverse((node.time, i as u32)));
        }
    }
    let mut order = Vec::with_capacity(n);
    while let Some(std::cmp::Reverse((_, i))) = ready.pop() {
        order.push(i);
        for &c in &children[offsets[i as usize] as usize..offsets[i as usize + 1] as usize] {
            pending[c as usize] -= 1;
            if pending[c as usize] == 0 {
                ready.push(std::cmp::Reverse((nodes[c as usize].time, c)));
            }
        }
    }
    // Cycles cannot happen in a valid history (ids are hashes); keep any leftovers anyway.
    if order.len() < n {
        let mut placed = vec![false; n];
        for &i in &order {
            placed[i as usize] = true;
        }
        order.extend((0..n as u32).filter(|&i| !placed[i as usize]));
    }
    order
}

fn scan_commits<F>(
    path: &Path,
    shared: &ThreadSafeRepository,
    since: Option<&String>,
    max_size: u64,
    runs: Option<usize>,
    visit: &F,
) -> Result<HistoryOutcome, GitError>
where
    F: Fn(BlobItem<'_>) + Sync,
{
    let repo = shared.to_thread_local();
    let errors = Errors::default();
    let started = std::time::Instant::now();
    let phase = |name: &str| {
        tracing::debug!(
            phase = name,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "git history"
        );
    };

    let hidden = match since {
        None => OidSet::default(),
        Some(rev) => {
            let bad = |message: String| GitError::BadRevision {
                path: path.to_owned(),
                rev: rev.clone(),
                message,
            };
            let id = repo
                .rev_parse_single(rev.as_str())
                .map_err(|e| bad(error_chain(&e)))?
                .detach();
            let commit = match peel(&repo, id, rev, &errors) {
                Some(Tip::Commit(c)) => c,
                _ => return Err(bad("does not name a commit".into())),
            };
            ancestors(&repo, commit, &errors)
        }
    };

    let tips = tips(path, &repo, &errors)?;
    let commit_tips: Vec<ObjectId> = tips
        .iter()
        .filter_map(|t| match t {
            Tip::Commit(id) => Some(*id),
            _ => None,
        })
        .collect();
    let (nodes, parents, boundary) = collect_commits(&repo, &commit_tips, &hidden, &errors);
    drop(hidden);
    phase("commits collected");
    let order = topo_order(&nodes, &parents);
    drop(parents);
    phase("topo sorted");

    // Everything in the boundary commits' trees was there before: mark it known.
    let mut known = Known::default();
    let mut buf = Vec::new();
    for id in boundary {
        let tree = match read_object(&repo, &id, gix::objs::Kind::Commit, &mut buf) {
            Ok(data) => gix::objs::CommitRefIter::from_bytes(data, repo.object_hash())
                .tree_id()
                .ok(),
            Err(message) => {
                errors.push(None, message);
                None
            }
        };
        if let Some(tree) = tree {
            mark_known(&repo, tree, &mut known, &errors);
        }
    }
    // Trees and blobs that tags point to directly (not in a `Since` walk: they have no commits).
    let mut tagged = Tagged::default();
    if since.is_none() {
        for tip in tips {
            match tip {
                Tip::Tree(id) => tagged.trees.push(id),
                Tip::Blob(id, name) => tagged.blobs.push((id, name)),
                Tip::Commit(_) => {}
            }
        }
    }
    let packs = Packs::open(shared);
    let ctx = Context {
        shared,
        packs: &packs,
        errors: &errors,
    };
    let runs = runs.unwrap_or_else(|| {
        (order.len() / MIN_COMMITS_PER_RUN).clamp(1, 4 * rayon::current_num_threads())
    });
    let attribution = attribute(&ctx, &nodes, &order, &tagged, &known, runs);
    drop(known);
    drop(order);
    phase("trees walked");

    // Commit metadata, only for the commits that introduced a blob.
    let mut used = vec![false; nodes.len()];
    for b in &attribution.blobs {
        if b.commit != NO_COMMIT {
            used[b.commit as usize] = true;
        }
    }
    let infos = commit_infos(&repo, &nodes, &used, &errors);
    drop(used);

    phase("commit infos");
    let counters = Counters::default();
    read_blobs(&ctx, &attribution, &infos, max_size, &counters, visit);

    phase("blobs read");

    Ok(HistoryOutcome {
        commits: nodes.len() as u64,
        blobs: counters.blobs.load(Ordering::Relaxed),
        bytes: counters.bytes.load(Ordering::Relaxed),
        skipped_too_large: counters.too_large.load(Ordering::Relaxed),
        errors: errors.into_vec(),
    })
}

/// Builds `CommitInfo` for the commits marked in `used`.
fn commit_infos(
    repo: &gix::Repository,
    nodes: &[CommitNode],
    used: &[bool],
    errors: &Errors,
) -> Vec<Option<Box<CommitInfo>>> {
    let hash_kind = repo.object_hash();
    let mut buf = Vec::new();
    nodes
        .iter()
        .zip(used)
        .map(|(node, &used)| {
            if !used {
                return None;
            }
            let mut info = CommitInfo {
                id: node.id.to_string(),
                author_name: String::new(),
                author_email: String::new(),
                date: String::new(),
            };
            match repo.objects.try_find(&node.id, &mut buf) {
                Ok(Some(data)) => {
                    match gix::objs::CommitRefIter::from_bytes(data.data, hash_kind).author() {
                        Ok(author) => {
                            let author = author.trim();
                            info.author_name = String::from_utf8_lossy(author.name).into_owned();
                            info.author_email = String::from_utf8_lossy(author.email).into_owned();
                            info.date = rfc3339_utc(author.seconds());
                        }
                        Err(e) => errors.push(
                            None,
                            format!(
                                "commit {}: cannot decode author: {}",
                                node.id,
                                error_chain(&e)
                            ),
                        ),
                    }
                }
                Ok(None) => errors.push(None, format!("commit {}: object is missing", node.id)),
                Err(e) => errors.push(
                    None,
                    format!(
                        "commit {}: cannot read object: {}",
                        node.id,
                        error_chain(&e)
                    ),
                ),
            }
            Some(Box::new(info))
        })
        .collect()
}

/// `seconds` since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ`.
fn rfc3339_utc(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3_600,
        secs / 60 % 60,
        secs % 60
    )
}

#[derive(Default)]
struct Counters {
    blobs: AtomicU64,
    bytes: AtomicU64,
    too_large: AtomicU64,
}

/// The packs of the repository's own object directory, newest first (as git searches them).
struct Packs {
    bundles: Vec<pack::Bundle>,
}

impl Packs {
    fn open(shared: &ThreadSafeRepository) -> Packs {
        let hash_kind = shared.objects.object_hash();
        let pack_dir = shared.objects.path().join("pack");
        let mut idx_files: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(&pack_dir)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.extension().is_some_and(|e| e == "idx") && p.with_extension("pack").is_file()
            })
            .map(|p| {
                (
                    p.metadata()
                        .and_then(|m| m.modified())
                        .unwrap_or(std::time::UNIX_EPOCH),
                    p,
                )
            })
            .collect();
        idx_files.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        // A pack that cannot be opened here is left to gix's object store, whose errors name the
        // objects it cannot read.
        let bundles = idx_files
            .into_iter()
            .filter_map(|(_, idx)| pack::Bundle::at(&idx, hash_kind).ok())
            .collect();
        Packs { bundles }
    }

    /// The pack and offset of `id`, if one of the packs has it.
    fn locate(&self, id: &gix::oid) -> Option<(u32, u64)> {
        self.bundles.iter().enumerate().find_map(|(p, bundle)| {
            let i = bundle.index.lookup(id)?;
            Some((p as u32, bundle.index.pack_offset_at_index(i)))
        })
    }
}

/// A decoded object and its kind.
type Decoded = (gix::objs::Kind, Rc<Vec<u8>>);

/// Decoded pack entries by (pack, offset), evicted oldest-inserted first past a byte budget. Unlike
/// gitoxide's pack caches, which keep only the object asked for, this keeps every delta base resolved on
/// the way (as git's delta base cache does), so walking a chain of versions costs one delta each.
struct BaseCache {
    map: HashMap<(u32, u64), Decoded>,
    order: VecDeque<(u32, u64)>,
    bytes: usize,
    budget: usize,
}

impl BaseCache {
    fn new(budget: usize) -> Self {
        BaseCache {
            map: HashMap::new(),
            order: VecDeque::new(),
            bytes: 0,
            budget,
        }
    }

    fn get(&self, key: (u32, u64)) -> Option<(gix::objs::Kind, Rc<Vec<u8>>)> {
        self.map.get(&key).map(|(k, d)| (*k, Rc::clone(d)))
    }

    fn put(&mut self, key: (u32, u64), kind: gix::objs::Kind, data: &Rc<Vec<u8>>) {
        let size = data.len() + 64;
        if size > self.budget / 4 || self.map.contains_key(&key) {
            return;
        }
        while self.bytes + size > self.budget {
            let Some(old) = self.order.pop_front() else {
                break;
            };
            if let Some((_, d)) = self.map.remove(&old) {
                self.bytes -= d.len() + 64;
            }
        }
        self.bytes += size;
        self.order.push_back(key);
        self.map.insert(key, (kind, Rc::clone(data)));
    }
}

/// Why a pack read did not give an object.
enum PackMiss {
    TooLarge,
    /// Anything unexpected: the object is read again through gix's object store, whose error names it.
    Failed,
}

/// Object reading for one thread: objects in packs through its own delta resolver and cache,
/// everything else (loose objects, alternates, anything the resolver cannot handle) through gix.
struct Reader<'a> {
    repo: gix::Repository,
    packs: &'a Packs,
    inflate: gix::zlib::Inflate,
    cache: BaseCache,
    chain: Vec<pack::data::Entry>,
    buf: Vec<u8>,
}

impl<'a> Reader<'a> {
    fn new(shared: &ThreadSafeRepository, packs: &'a Packs, cache_bytes: usize) -> Self {
        let mut repo = shared.to_thread_local();
        // The resolver caches; gix's store is only the fallback.
        repo.objects
            .set_pack_cache(|| Box::new(pack::cache::lru::MemoryCappedHashmap::new(4 << 20)));
        Reader {
            repo,
            packs,
            inflate: Default::default(),
            cache: BaseCache::new(cache_bytes),
            chain: Vec::new(),
            buf: Vec::new(),
        }
    }

    /// Reads `id`, expected to be of kind `expected`: `None` if it is larger than `max_size`. The error
    /// names the object.
    fn read(
        &mut self,
        id: &gix::oid,
        location: Option<(u32, u64)>,
        expected: gix::objs::Kind,
        max_size: u64,
    ) -> Result<Option<Rc<Vec<u8>>>, String> {
        if let Some((p, offset)) = location.or_else(|| self.packs.locate(id)) {
            match self.read_packed(p, offset, max_size) {
                Ok((kind, data)) if kind == expected => return Ok(Some(data)),
                Ok((kind, _)) => {
                    return Err(format!(
                        "object {id}: expected a {expected}, found a {kind}"
                    ))
                }
                Err(PackMiss::TooLarge) => return Ok(None),
                Err(PackMiss::Failed) => {}
            }
        }
        if max_size != u64::MAX {
            if let Ok(Some(header)) = self.repo.objects.try_header(id) {
                if header.size > max_size {
                    return Ok(None);
                }
            }
        }
        read_object(&self.repo, id, expected, &mut self.buf)
            .map(|data| Some(Rc::new(data.to_vec())))
    }

    /// Decompresses one pack entry's data (an object or a delta).
    fn decompress(&mut self, p: u32, entry: &pack::data::Entry) -> Result<Vec<u8>, PackMiss> {
        let data = &self.packs.bundles[p as usize].pack;
        // A corrupt size must not become a huge allocation: zlib cannot expand more than ~1032:1.
        let room = (data.data_len() as u64).saturating_sub(entry.data_offset);
        if entry.decompressed_size > room.saturating_mul(1100).saturating_add(4096) {
            return Err(PackMiss::Failed);
        }
        let size = usize::try_from(entry.decompressed_size).map_err(|_| PackMiss::Failed)?;
        let mut out = Vec::new();
        out.try_reserve_exact(size).map_err(|_| PackMiss::Failed)?;
        out.resize(size, 0);
        data.decompress_entry(entry, &mut self.inflate, &mut out)
            .map_err(|_| PackMiss::Failed)?;
        Ok(out)
    }

    /// The object at `offset` in pack `p`, unless it is larger than `max_size`.
    fn read_packed(
        &mut self,
        p: u32,
        offset: u64,
        max_size: u64,
    ) -> Result<(gix::objs::Kind, Rc<Vec<u8>>), PackMiss> {
        if let Some((kind, data)) = self.cache.get((p, offset)) {
            return if data.len() as u64 > max_size {
                Err(PackMiss::TooLarge)
            } else {
                Ok((kind, data))
            };
        }
        let entry = self.packs.bundles[p as usize]
            .pack
            .entry(offset)
            .map_err(|_| PackMiss::Failed)?;
        if let Some(kind) = entry.header.as_kind() {
            if entry.decompressed_size > max_size {
                return Err(PackMiss::TooLarge);
            }
            let data = Rc::new(self.decompress(p, &entry)?);
            self.cache.put((p, offset), kind, &data);
            return Ok((kind, data));
        }
        // A delta: its header tells the result's size before any base is resolved.
        let delta = self.decompress(p, &entry)?;
        let (_, n) = delta_size(&delta).ok_or(PackMiss::Failed)?;
        let (result_size, _) = delta_size(&delta[n..]).ok_or(PackMiss::Failed)?;
        if result_size > max_size {
            return Err(PackMiss::TooLarge);
        }
        let base_offset = self.base_offset(p, &entry)?;
        let (kind, base) = self.resolve(p, base_offset)?;
        let data = Rc::new(apply_delta(&base, &delta).ok_or(PackMiss::Failed)?);
        self.cache.put((p, offset), kind, &data);
        Ok((kind, data))
    }

    fn base_offset(&self, p: u32, entry: &pack::data::Entry) -> Result<u64, PackMiss> {
        use pack::data::entry::Header;
        match entry.header {
            Header::OfsDelta { base_distance } => entry
                .checked_base_pack_offset(base_distance)
                .ok_or(PackMiss::Failed),
            Header::RefDelta { base_id } => {
                let index = &self.packs.bundles[p as usize].index;
                let i = index.lookup(base_id).ok_or(PackMiss::Failed)?;
                Ok(index.pack_offset_at_index(i))
            }
            _ => Err(PackMiss::Failed),
        }
    }

    /// Resolves the object at `offset`, caching every base on its delta chain.
    fn resolve(&mut self, p: u32, offset: u64) -> Result<(gix::objs::Kind, Rc<Vec<u8>>), PackMiss> {
        let mut chain = std::mem::take(&mut self.chain);
        chain.clear();
        let result = self.resolve_chain(p, offset, &mut chain);
        self.chain = chain;
        result
    }

    fn resolve_chain(
        &mut self,
        p: u32,
        offset: u64,
        chain: &mut Vec<pack::data::Entry>,
    ) -> Result<(gix::objs::Kind, Rc<Vec<u8>>), PackMiss> {
        let mut cursor = offset;
        let (kind, mut data) = loop {
            if let Some(hit) = self.cache.get((p, cursor)) {
                break hit;
            }
            let entry = self.packs.bundles[p as usize]
                .pack
                .entry(cursor)
                .map_err(|_| PackMiss::Failed)?;
            if let Some(kind) = entry.header.as_kind() {
                let data = Rc::new(self.decompress(p, &entry)?);
                self.cache.put((p, cursor), kind, &data);
                break (kind, data);
            }
            if chain.len() > 10_000 {
                return Err(PackMiss::Failed);
            }
            cursor = self.base_offset(p, &entry)?;
            chain.push(entry);
        };
        while let Some(entry) = chain.pop() {
            let delta = self.decompress(p, &entry)?;
            data = Rc::new(apply_delta(&data, &delta).ok_or(PackMiss::Failed)?);
            self.cache.put((p, entry.pack_offset()), kind, &data);
        }
        Ok((kind, data))
    }
}

/// A delta header's variable-length size, and the bytes it took.
fn delta_size(d: &[u8]) -> Option<(u64, usize)> {
    let mut size = 0u64;
    for (i, &byte) in d.iter().enumerate().take(10) {
        size |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some((size, i + 1));
        }
    }
    None
}

/// Applies a git delta to `base`. `None` when the delta is malformed or does not fit `base`.
fn apply_delta(base: &[u8], delta: &[u8]) -> Option<Vec<u8>> {
    let (base_size, n) = delta_size(delta)?;
    if base_size != base.len() as u64 {
        return None;
    }
    let (result_size, m) = delta_size(&delta[n..])?;
    let mut out = Vec::new();
    out.try_reserve_exact(usize::try_from(result_size).ok()?)
        .ok()?;
    let mut i = n + m;
    while i < delta.len() {
        let cmd = delta[i];
        i += 1;
        if cmd & 0x80 != 0 {
            let mut offset = 0usize;
            let mut size = 0usize;
            for bit in 0..4 {
                if cmd & (1 << bit) != 0 {
                    offset |= usize::from(*delta.get(i)?) << (8 * bit);
                    i += 1;
                }
            }
            for bit in 0..3 {
                if cmd & (0x10 << bit) != 0 {
                    size |= usize::from(*delta.get(i)?) << (8 * bit);
                    i += 1;
                }
            }
            if size == 0 {
                size = 0x10000;
            }
            out.extend_from_slice(base.get(offset..offset.checked_add(size)?)?);
        } else if cmd != 0 {
            let end = i + usize::from(cmd);
            out.extend_from_slice(delta.get(i..end)?);
            i = end;
        } else {
            return None;
        }
        if out.len() as u64 > result_size {
            return None;
        }
    }
    (out.len() as u64 == result_size).then_some(out)
}

/// Phase 2: reads the distinct blobs in parallel, in pack order, one reader per contiguous run.
fn read_blobs<F: Fn(BlobItem<'_>) + Sync>(
    ctx: &Context<'_>,
    attribution: &Attribution,
    infos: &[Option<Box<CommitInfo>>],
    max_size: u64,
    counters: &Counters,
    visit: &F,
) {
    let Context {
        shared,
        packs,
        errors,
    } = *ctx;
    let Attribution { blobs, paths } = attribution;
    use rayon::prelude::*;
    // (pack, offset, blob); blobs in no pack sort last.
    let mut order: Vec<(u32, u64, u32)> = blobs
        .iter()
        .enumerate()
        .map(|(b, record)| {
            let (p, offset) = packs.locate(&record.id).unwrap_or((u32::MAX, 0));
            (p, offset, b as u32)
        })
        .collect();
    order.sort_unstable();
    let threads = rayon::current_num_threads().max(1);
    let run = order.len().div_ceil(threads * 4).max(64);
    order.par_chunks(run).for_each(|run| {
        let mut reader = Reader::new(shared, packs, BLOB_CACHE_BYTES);
        for &(p, offset, b) in run {
            let record = &blobs[b as usize];
            let path = &*paths[record.path as usize];
            let location = (p != u32::MAX).then_some((p, offset));
            let kind = gix::objs::Kind::Blob;
            match reader.read(&record.id, location, kind, max_size) {
                Ok(Some(data)) => {
                    counters.blobs.fetch_add(1, Ordering::Relaxed);
                    counters
                        .bytes
                        .fetch_add(data.len() as u64, Ordering::Relaxed);
                    let commit = match record.commit {
                        NO_COMMIT => None,
                        i => infos[i as usize].as_deref(),
                    };
                    visit(BlobItem {
                        data: &data,
                        path,
                        commit,
                        previous: None,
                    });
                }
                Ok(None) => {
                    counters.too_large.fetch_add(1, Ordering::Relaxed);
                }
                Err(message) => errors.push(Some(path), message),
            }
        }
    });
}

fn scan_staged<F>(
    path: &Path,
    shared: &ThreadSafeRepository,
    max_size: u64,
    visit: &F,
) -> Result<HistoryOutcome, GitError>
where
    F: Fn(BlobItem<'_>) + Sync,
{
    use rayon::prelude::*;
    let repo = shared.to_thread_local();
    let errors = Errors::default();
    let index_error = |message: String| GitError::Index {
        path: path.to_owned(),
        message,
    };
    let index = match repo.try_index() {
        Ok(Some(index)) => index,
        Ok(None) => return Ok(HistoryOutcome::default()),
        Err(e) => return Err(index_error(error_chain(&e))),
    };

    // HEAD's files by path (regular and executable files only).
    let mut head_files: HashMap<Vec<u8>, ObjectId> = HashMap::new();
    let head = repo.head().map_err(|e| GitError::Head {
        path: path.to_owned(),
        message: error_chain(&e),
    })?;
    if let Some(id) = head.id() {
        match peel(&repo, id.detach(), "HEAD", &errors) {
            Some(Tip::Commit(commit)) => {
                let mut buf = Vec::new();
                let tree = match repo.objects.try_find(&commit, &mut buf) {
                    Ok(Some(data)) => {
                        gix::objs::CommitRefIter::from_bytes(data.data, repo.object_hash())
                            .tree_id()
                            .ok()
                    }
                    _ => None,
                };
                match tree {
                    Some(tree) => head_files = flatten_tree(&repo, tree, &errors),
                    None => errors.push(
                        Some("HEAD"),
                        format!("commit {commit}: cannot read its tree"),
                    ),
                }
            }
            Some(_) => errors.push(Some("HEAD"), "HEAD does not point to a commit".into()),
            None => {}
        }
    }

    let mut items: Vec<(ObjectId, String, Option<ObjectId>)> = Vec::new();
    let mut seen = OidSet::default();
    for entry in index.entries() {
        let mode = entry.mode;
        if mode != gix::index::entry::Mode::FILE && mode != gix::index::entry::Mode::FILE_EXECUTABLE
        {
            continue; // symbolic links, submodules, sparse directories
        }
        if entry
            .flags
            .contains(gix::index::entry::Flags::INTENT_TO_ADD)
        {
            continue; // `git add -N`: nothing staged yet
        }
        let entry_path = entry.path(&index);
        let previous = head_files.get(entry_path.as_ref() as &[u8]).copied();
        if previous == Some(entry.id) || !seen.insert(entry.id) {
            continue;
        }
        items.push((
            entry.id,
            String::from_utf8_lossy(entry_path).into_owned(),
            previous,
        ));
    }
    drop(head_files);
    drop(index);

    let packs = Packs::open(shared);
    let counters = Counters::default();
    let threads = rayon::current_num_threads().max(1);
    let chunk = items.len().div_ceil(threads * 4).max(16);
    let blob = gix::objs::Kind::Blob;
    items.par_chunks(chunk).for_each(|chunk| {
        let mut reader = Reader::new(shared, &packs, BLOB_CACHE_BYTES);
        for (id, path, previous) in chunk {
            let data = match reader.read(id, None, blob, max_size) {
                Ok(Some(data)) => data,
                Ok(None) => {
                    counters.too_large.fetch_add(1, Ordering::Relaxed);
                    continue;
                }
                Err(message) => {
                    errors.push(Some(path), message);
                    continue;
                }
            };
            let previous =
                previous.and_then(|prev| match reader.read(&prev, None, blob, u64::MAX) {
                    Ok(data) => data,
                    Err(message) => {
                        errors.push(Some(path), format!("HEAD version: {message}"));
                        None
                    }
                });
            counters.blobs.fetch_add(1, Ordering::Relaxed);
            counters
                .bytes
                .fetch_add(data.len() as u64, Ordering::Relaxed);
            visit(BlobItem {
                data: &data,
                path,
                commit: None,
                previous: previous.as_deref().map(Vec::as_slice),
            });
        }
    });

    Ok(HistoryOutcome {
        commits: 0,
        blobs: counters.blobs.load(Ordering::Relaxed),
        bytes: counters.bytes.load(Ordering::Relaxed),
        skipped_too_large: counters.too_large.load(Ordering::Relaxed),
        errors: errors.into_vec(),
    })
}

/// All regular files under `tree`, by `/`-separated path.
fn flatten_tree(
    repo: &gix::Repository,
    tree: ObjectId,
    errors: &Errors,
) -> HashMap<Vec<u8>, ObjectId> {
    let mut out = HashMap::new();
    let mut stack = vec![(tree, Vec::new())];
    let mut buf = Vec::new();
    while let Some((id, prefix)) = stack.pop() {
        let data = match read_object(repo, &id, gix::objs::Kind::Tree, &mut buf) {
            Ok(data) => data,
            Err(message) => {
                let path =
                    (!prefix.is_empty()).then(|| String::from_utf8_lossy(&prefix).into_owned());
                errors.push(path.as_deref(), message);
                continue;
            }
        };
        for entry in gix::objs::TreeRefIter::from_bytes(data, repo.object_hash()) {
            let Ok(entry) = entry else {
                errors.push(None, format!("tree {id}: cannot decode"));
                break;
            };
            let mut path = prefix.clone();
            push_component(&mut path, entry.filename);
            if entry.mode.is_tree() {
                stack.push((entry.oid.to_owned(), path));
            } else if entry.mode.is_blob() {
                out.insert(path, entry.oid.to_owned());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A history with merges, renames, reverts and copies, made with the git command line.
    fn busy_repository() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let git = |args: &[&str]| {
            let out = std::process::Command::new("git")
                .args([
                    "-c",
                    "user.name=T",
                    "-c",
                    "user.email=t@example.com",
                    "-c",
                    "commit.gpgsign=false",
                ])
                .args(args)
                .current_dir(dir.path())
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .env("GIT_AUTHOR_DATE", "2024-05-01T12:00:00Z")
                .env("GIT_COMMITTER_DATE", "2024-05-01T12:00:00Z")
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        git(&["init", "-q", "-b", "main"]);
        for i in 0..60 {
            if i % 15 == 7 {
                git(&["checkout", "-q", "-b", &format!("side{i}")]);
            }
            let file = format!("d{}/f{}.txt", i % 4, i % 9);
            std::fs::create_dir_all(dir.path().join(format!("d{}", i % 4))).unwrap();
            std::fs::write(dir.path().join(&file), format!("content {}\n", i % 23)).unwrap();
            std::fs::write(
                dir.path().join(format!("copy{}.txt", i % 5)),
                format!("content {}\n", i % 11),
            )
            .unwrap();
            git(&["add", "-A"]);
            git(&["commit", "-q", "-m", &format!("c{i}")]);
            if i % 15 == 12 {
                git(&["checkout", "-q", "main"]);
                git(&[
                    "merge",
                    "-q",
                    "--no-edit",
                    "-X",
                    "theirs",
                    &format!("side{}", i - 5),
                ]);
            }
        }
        dir
    }

    fn collect(path: &Path, runs: Option<usize>) -> Vec<(String, String, Option<String>)> {
        let shared = open(path).unwrap();
        let seen = Mutex::new(Vec::new());
        let outcome = scan_commits(path, &shared, None, u64::MAX, runs, &|item: BlobItem<
            '_,
        >| {
            seen.lock().unwrap().push((
                String::from_utf8_lossy(item.data).into_owned(),
                item.path.to_owned(),
                item.commit.map(|c| c.id.clone()),
            ));
        })
        .unwrap();
        assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
        let mut seen = seen.into_inner().unwrap();
        seen.sort();
        seen
    }

    #[test]
    fn parallel_runs_attribute_exactly_as_one_sequential_walk() {
        let repo = busy_repository();
        let sequential = collect(repo.path(), Some(1));
        assert!(sequential.len() > 20, "{}", sequential.len());
        for runs in [2, 3, 7, 60, 1000] {
            assert_eq!(collect(repo.path(), Some(runs)), sequential, "{runs} runs");
        }
    }

    #[test]
    fn deltas_apply() {
        let base = b"hello world, this is the base";
        // base size 29, result size 11: copy 6 bytes from offset 0, insert "there".
        let delta = [29u8, 11, 0x90, 6, 5, b't', b'h', b'e', b'r', b'e'];
        assert_eq!(apply_delta(base, &delta).unwrap(), b"hello there");
        // Wrong base size, truncated insert, reserved command, copy past the base.
        assert!(apply_delta(base, &[28u8, 11, 0x90, 6, 5, b't']).is_none());
        assert!(apply_delta(base, &[29u8, 11, 0x90, 6, 5, b't']).is_none());
        assert!(apply_delta(base, &[29u8, 1, 0]).is_none());
        assert!(apply_delta(base, &[29u8, 40, 0x91, 20, 40]).is_none());
        assert_eq!(delta_size(&[0x80 | 0x2c, 0x01]), Some((172, 2)));
    }

    #[test]
    fn formats_utc_dates() {
        assert_eq!(rfc3339_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_utc(1_714_564_800), "2024-05-01T12:00:00Z");
        assert_eq!(rfc3339_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339_utc(-1), "1969-12-31T23:59:59Z");
    }
}
