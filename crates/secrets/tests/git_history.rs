//! Git history walk on real repositories made with the `git` command line in temporary directories.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use gatehouse_core::CommitInfo;
use gatehouse_secrets::git::{scan_history, GitError, HistoryOutcome, HistoryScope};

const ALICE: (&str, &str) = ("Alice Example", "alice@example.com");
const BOB: (&str, &str) = ("Bob Example", "bob@example.org");

struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().expect("tempdir"),
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn git_as(&self, who: (&str, &str), date: &str, args: &[&str]) -> String {
        let output = Command::new("git")
            .arg("-c")
            .arg(format!("user.name={}", who.0))
            .arg("-c")
            .arg(format!("user.email={}", who.1))
            .args([
                "-c",
                "commit.gpgsign=false",
                "-c",
                "tag.gpgsign=false",
                "-c",
                "core.autocrlf=false",
            ])
            .args(args)
            .current_dir(self.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .output()
            .expect("git runs");
        assert!(
            output.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout)
            .expect("utf-8")
            .trim()
            .to_owned()
    }

    fn git(&self, args: &[&str]) -> String {
        self.git_as(ALICE, "2024-05-01T12:00:00Z", args)
    }

    fn write(&self, path: &str, content: &str) {
        let full = self.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, content).unwrap();
    }

    /// Stages everything and commits; returns the commit id.
    fn commit_as(&self, who: (&str, &str), date: &str, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.git_as(who, date, &["commit", "-q", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }

    fn commit(&self, date: &str, message: &str) -> String {
        self.commit_as(ALICE, date, message)
    }

    fn blob_id(&self, content: &str) -> String {
        let file = self.dir.path().join(".git").join("tmp-hash-input");
        std::fs::write(&file, content).unwrap();
        let id = self.git(&["hash-object", file.to_str().unwrap()]);
        std::fs::remove_file(file).unwrap();
        id
    }

    /// Distinct blob ids reachable from every ref, as git itself lists them (symbolic links included).
    fn git_blob_count(&self) -> usize {
        let list = self.git(&["rev-list", "--objects", "--all"]);
        let ids: Vec<&str> = list.lines().map(|l| l.split(' ').next().unwrap()).collect();
        let mut child = Command::new("git")
            .args(["cat-file", "--batch-check=%(objecttype)"])
            .current_dir(self.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().unwrap();
            for id in &ids {
                writeln!(stdin, "{id}").unwrap();
            }
        }
        let out = child.wait_with_output().unwrap();
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .filter(|l| *l == "blob")
            .count()
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Visited {
    path: String,
    commit: Option<CommitInfo>,
    previous: Option<String>,
}

/// Runs a scan and returns what the visitor saw, by blob content.
fn scan(
    repo: &Path,
    scope: HistoryScope,
    max_size: u64,
) -> (BTreeMap<String, Visited>, HistoryOutcome) {
    let seen = Mutex::new(Vec::new());
    let outcome = scan_history(repo, &scope, max_size, |item| {
        let visited = Visited {
            path: item.path.to_owned(),
            commit: item.commit.cloned(),
            previous: item
                .previous
                .map(|p| String::from_utf8_lossy(p).into_owned()),
        };
        seen.lock()
            .unwrap()
            .push((String::from_utf8_lossy(item.data).into_owned(), visited));
    })
    .unwrap_or_else(|e| panic!("scan failed: {e}"));
    let seen = seen.into_inner().unwrap();
    let count = seen.len();
    let by_content: BTreeMap<String, Visited> = seen.into_iter().collect();
    assert_eq!(by_content.len(), count, "a blob was visited more than once");
    assert_eq!(outcome.blobs as usize, count, "outcome counts every visit");
    (by_content, outcome)
}

fn scan_all(repo: &Path) -> (BTreeMap<String, Visited>, HistoryOutcome) {
    scan(repo, HistoryScope::All, u64::MAX)
}

fn commit_of(v: &Visited) -> &CommitInfo {
    v.commit.as_ref().expect("blob has a commit")
}

#[test]
fn blob_is_visited_once_and_attributed_to_where_it_first_appeared() {
    let repo = Repo::new();
    repo.write("config/app.env", "API_KEY=first-secret\n");
    let c1 = repo.commit("2024-05-01T12:00:00Z", "add config");
    repo.write("README.md", "hello\n");
    let c2 = repo.commit_as(BOB, "2024-05-02T08:30:00+02:00", "readme");
    repo.write("copy/of/app.env", "API_KEY=first-secret\n");
    repo.commit_as(BOB, "2024-05-03T00:00:00Z", "copy config");

    let (seen, outcome) = scan_all(repo.path());
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert_eq!(outcome.commits, 3);
    assert_eq!(seen.len(), 2);
    assert_eq!(seen.len(), repo.git_blob_count());
    assert_eq!(
        outcome.bytes,
        ("API_KEY=first-secret\n".len() + "hello\n".len()) as u64
    );

    let secret = &seen["API_KEY=first-secret\n"];
    assert_eq!(secret.path, "config/app.env");
    assert_eq!(
        commit_of(secret),
        &CommitInfo {
            id: c1,
            author_name: ALICE.0.into(),
            author_email: ALICE.1.into(),
            date: "2024-05-01T12:00:00Z".into(),
        }
    );
    assert_eq!(secret.previous, None);

    let readme = &seen["hello\n"];
    assert_eq!(readme.path, "README.md");
    let info = commit_of(readme);
    assert_eq!(info.id, c2);
    assert_eq!(info.author_name, BOB.0);
    assert_eq!(info.author_email, BOB.1);
    assert_eq!(info.date, "2024-05-02T06:30:00Z", "author date in UTC");
}

#[test]
fn blobs_only_on_a_side_branch_or_only_in_a_tag_are_visited() {
    let repo = Repo::new();
    repo.write("main.txt", "on main\n");
    repo.commit("2024-05-01T12:00:00Z", "main");

    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("side.txt", "only on the side branch\n");
    let side = repo.commit("2024-05-02T12:00:00Z", "side");

    repo.git(&["checkout", "-q", "-b", "temp", "main"]);
    repo.write("tagged.txt", "only in a tag\n");
    let tagged = repo.commit("2024-05-03T12:00:00Z", "tagged");
    repo.git(&["tag", "-a", "-m", "release", "v1"]);
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["branch", "-D", "temp"]);

    // A lightweight tag pointing straight at a blob.
    let blob = repo.blob_id("");
    let file = repo.path().join("loose-blob");
    std::fs::write(&file, "a blob that only a tag names\n").unwrap();
    let blob_id = repo.git(&["hash-object", "-w", file.to_str().unwrap()]);
    std::fs::remove_file(file).unwrap();
    assert_ne!(blob, blob_id);
    repo.git(&["tag", "blob-tag", &blob_id]);

    let (seen, outcome) = scan_all(repo.path());
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert_eq!(outcome.commits, 3);
    assert_eq!(seen.len(), repo.git_blob_count());
    assert_eq!(commit_of(&seen["only on the side branch\n"]).id, side);
    assert_eq!(seen["only on the side branch\n"].path, "side.txt");
    assert_eq!(commit_of(&seen["only in a tag\n"]).id, tagged);
    let tag_blob = &seen["a blob that only a tag names\n"];
    assert_eq!(tag_blob.path, "refs/tags/blob-tag");
    assert_eq!(tag_blob.commit, None);
}

#[test]
fn each_version_of_a_modified_file_is_visited_with_the_commit_that_introduced_it() {
    let repo = Repo::new();
    repo.write("src/lib.rs", "v1\n");
    let c1 = repo.commit("2024-05-01T12:00:00Z", "one");
    repo.write("src/lib.rs", "v2\n");
    let c2 = repo.commit("2024-05-02T12:00:00Z", "two");
    repo.write("src/lib.rs", "v3\n");
    let c3 = repo.commit("2024-05-03T12:00:00Z", "three");

    let (seen, outcome) = scan_all(repo.path());
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert_eq!(seen.len(), 3);
    for (content, commit) in [("v1\n", &c1), ("v2\n", &c2), ("v3\n", &c3)] {
        assert_eq!(&commit_of(&seen[content]).id, commit, "{content}");
        assert_eq!(seen[content].path, "src/lib.rs");
    }
}

#[test]
fn a_blob_reintroduced_after_deletion_keeps_its_first_commit() {
    let repo = Repo::new();
    repo.write("a.txt", "same\n");
    let c1 = repo.commit("2024-05-01T12:00:00Z", "one");
    std::fs::remove_file(repo.path().join("a.txt")).unwrap();
    repo.write("b.txt", "other\n");
    repo.commit("2024-05-02T12:00:00Z", "delete");
    repo.write("later/a.txt", "same\n");
    repo.commit("2024-05-03T12:00:00Z", "re-add");

    let (seen, _) = scan_all(repo.path());
    assert_eq!(seen.len(), 2);
    assert_eq!(commit_of(&seen["same\n"]).id, c1);
    assert_eq!(seen["same\n"].path, "a.txt");
}

#[test]
fn merged_branches_attribute_to_the_older_commit() {
    let repo = Repo::new();
    repo.write("base.txt", "base\n");
    repo.commit("2024-05-01T12:00:00Z", "base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("shared.txt", "same content on both branches\n");
    let older = repo.commit("2024-05-02T12:00:00Z", "feature adds it first");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("shared.txt", "same content on both branches\n");
    repo.commit("2024-05-04T12:00:00Z", "main adds it later");
    repo.git_as(
        ALICE,
        "2024-05-05T12:00:00Z",
        &["merge", "-q", "--no-edit", "feature"],
    );

    let (seen, outcome) = scan_all(repo.path());
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert_eq!(outcome.commits, 4);
    assert_eq!(
        commit_of(&seen["same content on both branches\n"]).id,
        older
    );
}

#[test]
fn symlinks_and_submodule_entries_are_not_scanned() {
    let repo = Repo::new();
    repo.write("target.txt", "target\n");
    std::os::unix::fs::symlink("target.txt", repo.path().join("link")).unwrap();
    // A gitlink (submodule entry) pointing at some commit id.
    repo.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        "160000,1111111111111111111111111111111111111111,vendor/sub",
    ]);
    repo.commit("2024-05-01T12:00:00Z", "one");
    let (seen, outcome) = scan_all(repo.path());
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert_eq!(seen.keys().collect::<Vec<_>>(), vec!["target\n"]);
}

#[test]
fn since_visits_only_blobs_introduced_after_the_revision() {
    let repo = Repo::new();
    repo.write("a.txt", "a1\n");
    repo.write("keep.txt", "unchanged\n");
    let c1 = repo.commit("2024-05-01T12:00:00Z", "one");
    repo.write("a.txt", "a2\n");
    let c2 = repo.commit("2024-05-02T12:00:00Z", "two");
    repo.write("b.txt", "b\n");
    repo.write("old-copy.txt", "a1\n"); // content that existed before the boundary
    let c3 = repo.commit("2024-05-03T12:00:00Z", "three");

    let (seen, outcome) = scan(repo.path(), HistoryScope::Since(c1.clone()), u64::MAX);
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert_eq!(outcome.commits, 2);
    assert_eq!(seen.keys().collect::<Vec<_>>(), vec!["a2\n", "b\n"]);
    assert_eq!(commit_of(&seen["a2\n"]).id, c2);
    assert_eq!(commit_of(&seen["b\n"]).id, c3);

    // Relative to HEAD~1 (whose tree no longer has "a1"), the copy brings "a1" back: it is new there.
    let (seen, outcome) = scan(repo.path(), HistoryScope::Since("HEAD~1".into()), u64::MAX);
    assert_eq!(outcome.commits, 1);
    assert_eq!(seen.keys().collect::<Vec<_>>(), vec!["a1\n", "b\n"]);
    assert_eq!(seen["a1\n"].path, "old-copy.txt");
    assert_eq!(commit_of(&seen["a1\n"]).id, c3);

    let (seen, outcome) = scan(repo.path(), HistoryScope::Since("main".into()), u64::MAX);
    assert_eq!(outcome.commits, 0);
    assert!(seen.is_empty());
}

#[test]
fn since_an_unknown_revision_is_an_error_naming_it() {
    let repo = Repo::new();
    repo.write("a.txt", "a\n");
    repo.commit("2024-05-01T12:00:00Z", "one");
    let err = scan_history(
        repo.path(),
        &HistoryScope::Since("no-such-branch".into()),
        u64::MAX,
        |_| {},
    )
    .expect_err("unknown revision");
    assert!(
        matches!(err, GitError::BadRevision { ref rev, .. } if rev == "no-such-branch"),
        "{err:?}"
    );
    assert!(err.to_string().contains("no-such-branch"), "{err}");
}

#[test]
fn staged_changes_carry_the_head_version() {
    let repo = Repo::new();
    repo.write("config.env", "TOKEN=old\n");
    repo.write("unchanged.txt", "same\n");
    repo.commit("2024-05-01T12:00:00Z", "one");
    repo.write("config.env", "TOKEN=old\nTOKEN2=new\n");
    repo.write("new/file.txt", "brand new\n");
    repo.write("unstaged.txt", "not added\n");
    repo.git(&["add", "config.env", "new/file.txt"]);

    let (seen, outcome) = scan(repo.path(), HistoryScope::Staged, u64::MAX);
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert_eq!(outcome.commits, 0);
    assert_eq!(seen.len(), 2, "{seen:?}");
    let changed = &seen["TOKEN=old\nTOKEN2=new\n"];
    assert_eq!(changed.path, "config.env");
    assert_eq!(changed.commit, None);
    assert_eq!(changed.previous.as_deref(), Some("TOKEN=old\n"));
    let added = &seen["brand new\n"];
    assert_eq!(added.path, "new/file.txt");
    assert_eq!(added.previous, None);
}

#[test]
fn staged_works_before_the_first_commit() {
    let repo = Repo::new();
    repo.write("a.txt", "first file\n");
    repo.write("dir/b.txt", "second file\n");
    repo.git(&["add", "-A"]);
    let (seen, outcome) = scan(repo.path(), HistoryScope::Staged, u64::MAX);
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert_eq!(seen.len(), 2);
    assert_eq!(seen["second file\n"].path, "dir/b.txt");
    assert_eq!(seen["first file\n"].previous, None);

    // And a history scan of a repository without commits visits nothing.
    let (seen, outcome) = scan_all(repo.path());
    assert!(seen.is_empty());
    assert_eq!(outcome.commits, 0);
}

#[test]
fn blobs_over_max_size_are_skipped_and_counted() {
    let repo = Repo::new();
    repo.write("small.txt", "small\n");
    repo.write("big.bin", &"x".repeat(1000));
    repo.commit("2024-05-01T12:00:00Z", "one");
    let (seen, outcome) = scan(repo.path(), HistoryScope::All, 100);
    assert_eq!(seen.keys().collect::<Vec<_>>(), vec!["small\n"]);
    assert_eq!(outcome.skipped_too_large, 1);

    repo.write("big2.bin", &"y".repeat(1000));
    repo.git(&["add", "big2.bin"]);
    let (seen, outcome) = scan(repo.path(), HistoryScope::Staged, 100);
    assert!(seen.is_empty());
    assert_eq!(outcome.skipped_too_large, 1);
}

fn loose_object_path(repo: &Repo, id: &str) -> PathBuf {
    repo.path()
        .join(".git/objects")
        .join(&id[..2])
        .join(&id[2..])
}

#[test]
fn a_corrupt_object_is_reported_and_the_walk_goes_on() {
    let repo = Repo::new();
    repo.write("good.txt", "good content\n");
    repo.write("bad.txt", "this blob gets corrupted\n");
    repo.commit("2024-05-01T12:00:00Z", "one");
    repo.write("later.txt", "later content\n");
    repo.commit("2024-05-02T12:00:00Z", "two");

    let bad = repo.blob_id("this blob gets corrupted\n");
    let object = loose_object_path(&repo, &bad);
    let mut perms = std::fs::metadata(&object).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&object, perms).unwrap();
    std::fs::write(&object, b"garbage, not zlib at all").unwrap();

    let (seen, outcome) = scan_all(repo.path());
    assert_eq!(
        seen.keys().collect::<Vec<_>>(),
        vec!["good content\n", "later content\n"]
    );
    assert_eq!(outcome.errors.len(), 1, "{:?}", outcome.errors);
    let error = &outcome.errors[0];
    assert!(error.message.contains(&bad), "{error:?}");
    assert_eq!(error.path.as_deref(), Some("bad.txt"));
}

#[test]
fn a_corrupt_pack_entry_is_reported_and_the_walk_goes_on() {
    let repo = Repo::new();
    repo.write("stable.txt", "stable content\n");
    // Content unlike anything else, so the pack stores it whole rather than as a delta.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let victim: String = (0..4000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            char::from(b'!' + (state % 90) as u8)
        })
        .collect();
    repo.write("victim.txt", &victim);
    repo.commit("2024-05-01T12:00:00Z", "one");
    repo.write("stable.txt", "stable content\nand more\n");
    repo.commit("2024-05-02T12:00:00Z", "two");
    repo.git(&["repack", "-adq"]);
    repo.git(&["prune-packed"]);

    let id = repo.blob_id(&victim);
    let pack_dir = repo.path().join(".git/objects/pack");
    let idx = std::fs::read_dir(&pack_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "idx"))
        .unwrap();
    let listing = repo.git(&["verify-pack", "-v", idx.to_str().unwrap()]);
    let line = listing
        .lines()
        .find(|l| l.starts_with(&id))
        .expect("victim is in the pack");
    let fields: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(fields.len(), 5, "victim is stored whole: {line}");
    let (in_pack, offset): (usize, usize) =
        (fields[3].parse().unwrap(), fields[4].parse().unwrap());
    let pack = idx.with_extension("pack");
    let mut perms = std::fs::metadata(&pack).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&pack, perms).unwrap();
    let mut bytes = std::fs::read(&pack).unwrap();
    for b in &mut bytes[offset + in_pack / 2..offset + in_pack / 2 + 16] {
        *b ^= 0x5a;
    }
    std::fs::write(&pack, bytes).unwrap();

    let (seen, outcome) = scan_all(repo.path());
    assert_eq!(
        seen.keys().collect::<Vec<_>>(),
        vec!["stable content\n", "stable content\nand more\n"]
    );
    assert_eq!(outcome.errors.len(), 1, "{:?}", outcome.errors);
    assert!(
        outcome.errors[0].message.contains(&id),
        "{:?}",
        outcome.errors
    );
    assert_eq!(outcome.errors[0].path.as_deref(), Some("victim.txt"));
}

#[test]
fn a_missing_tree_is_reported_and_the_walk_goes_on() {
    let repo = Repo::new();
    repo.write("dir/inner.txt", "inner\n");
    repo.write("top.txt", "top\n");
    repo.commit("2024-05-01T12:00:00Z", "one");
    let tree = repo.git(&["rev-parse", "HEAD:dir"]);
    std::fs::remove_file(loose_object_path(&repo, &tree)).unwrap();

    let (seen, outcome) = scan_all(repo.path());
    assert_eq!(seen.keys().collect::<Vec<_>>(), vec!["top\n"]);
    assert_eq!(outcome.errors.len(), 1, "{:?}", outcome.errors);
    assert!(
        outcome.errors[0].message.contains(&tree),
        "{:?}",
        outcome.errors
    );
}

#[test]
fn packed_and_loose_repositories_give_the_same_result() {
    let repo = Repo::new();
    for i in 0..30 {
        repo.write(
            &format!("f{}.txt", i % 7),
            &format!("line one\nversion {i}\n{}\n", "filler ".repeat(i * 10)),
        );
        repo.write(&format!("d{}/g.txt", i % 3), &format!("other {i}\n"));
        repo.commit(
            &format!("2024-05-{:02}T12:00:00Z", 1 + i % 28),
            &format!("c{i}"),
        );
    }
    let (loose, loose_outcome) = scan_all(repo.path());
    repo.git(&["repack", "-adq"]);
    repo.git(&["prune-packed"]);
    let (packed, packed_outcome) = scan_all(repo.path());
    assert!(
        packed_outcome.errors.is_empty(),
        "{:?}",
        packed_outcome.errors
    );
    assert_eq!(loose, packed);
    assert_eq!(loose_outcome, packed_outcome);
    assert_eq!(packed.len(), repo.git_blob_count());

    // A loose object next to the pack (a newer commit) is still found.
    repo.write("after-pack.txt", "loose again\n");
    repo.commit("2024-06-01T12:00:00Z", "after pack");
    let (mixed, _) = scan_all(repo.path());
    assert_eq!(mixed.len(), packed.len() + 1);
    assert!(mixed.contains_key("loose again\n"));
}

#[test]
fn a_directory_that_is_not_a_repository_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("file.txt"), "not a repo").unwrap();
    for scope in [
        HistoryScope::All,
        HistoryScope::Staged,
        HistoryScope::Since("HEAD".into()),
    ] {
        let err = scan_history(dir.path(), &scope, u64::MAX, |_| {}).expect_err("not a repository");
        assert!(matches!(err, GitError::NotARepository { .. }), "{err:?}");
        assert!(
            err.to_string().contains(&dir.path().display().to_string()),
            "{err}"
        );
    }

    // A bare-looking directory with garbage in it.
    let garbage = tempfile::tempdir().unwrap();
    std::fs::write(garbage.path().join("HEAD"), "garbage\n").unwrap();
    std::fs::create_dir(garbage.path().join("objects")).unwrap();
    std::fs::create_dir(garbage.path().join("refs")).unwrap();
    let err =
        scan_history(garbage.path(), &HistoryScope::All, u64::MAX, |_| {}).expect_err("garbage");
    assert!(
        err.to_string()
            .contains(&garbage.path().display().to_string()),
        "{err}"
    );

    let missing = dir.path().join("does-not-exist");
    let err = scan_history(&missing, &HistoryScope::All, u64::MAX, |_| {}).expect_err("missing");
    assert!(matches!(err, GitError::NotARepository { .. }), "{err:?}");
}
