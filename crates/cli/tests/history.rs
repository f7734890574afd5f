//! End to end: history (`--git`, `--since`) and pre-commit (`--staged`) scans on real repositories
//! made with the git command line.

mod common;

use common::*;
use predicates::prelude::*;

#[test]
fn history_finds_removed_secrets_with_their_first_commit() {
    let d = tempfile::tempdir().unwrap();
    let repo = d.path();
    git(repo, &["init", "-q"]);
    write(repo, "config/app.properties", format!("{PASSWORD_LINE}\n"));
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "add config"]);
    let first = git(repo, &["rev-parse", "HEAD"]);
    // The same content moved to another file: still one blob, attributed to the first commit.
    write(repo, "config/copy.properties", format!("{PASSWORD_LINE}\n"));
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "copy"]);
    write(
        repo,
        "config/app.properties",
        "spring.datasource.password=${DB_PASSWORD}\n",
    );
    std::fs::remove_file(repo.join("config/copy.properties")).unwrap();
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", "remove the secret"]);

    // The working tree is clean now …
    let (code, r, _) = scan_json(&["."], repo);
    assert_eq!(code, 0, "{r}");
    // … but the history is not.
    let (code, r, _) = scan_json(&["--git", "."], repo);
    assert_eq!(code, 1);
    let f = findings(&r);
    assert_eq!(f.len(), 1, "one blob, one finding: {r}");
    let loc = &f[0]["location"];
    assert_eq!(loc["path"], "config/app.properties");
    assert_eq!(loc["commit"]["id"], first);
    assert_eq!(loc["commit"]["author_name"], "Ada Lovelace");
    assert_eq!(loc["commit"]["author_email"], "ada@example.org");
    assert_eq!(loc["commit"]["date"], "2024-05-01T12:00:00Z");
    assert_eq!(r["stats"]["commits"], 3);
    // The table shows the commit.
    gatehouse()
        .args(["scan", "secrets", "--git", "."])
        .current_dir(repo)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(&first[..8]));
}

#[test]
fn history_and_working_tree_fingerprints_agree() {
    let d = tempfile::tempdir().unwrap();
    let repo = d.path();
    git(repo, &["init", "-q"]);
    write(repo, "src/db.py", format!("URL = \"{DB_URL}\"\n"));
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "one"]);
    // Move the line: a new blob, the same secret in the same file.
    write(
        repo,
        "src/db.py",
        format!("import os\n\n\nURL = \"{DB_URL}\"\n"),
    );
    git(repo, &["commit", "-q", "-am", "two"]);
    let (_, tree, _) = scan_json(&["."], repo);
    let (_, hist, _) = scan_json(&["--git", "."], repo);
    let fp = |r: &serde_json::Value| -> Vec<String> {
        let mut v: Vec<String> = findings(r)
            .iter()
            .map(|f| f["fingerprint"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    assert_eq!(
        findings(&hist).len(),
        2,
        "each version of the file is a blob"
    );
    assert_eq!(fp(&tree), fp(&hist));
    // So one baseline covers both scans.
    let baseline = repo.join("baseline.json");
    gatehouse()
        .args(["baseline", "create", "-o"])
        .arg(&baseline)
        .arg(".")
        .current_dir(repo)
        .assert()
        .code(0);
    let (code, r, _) = scan_json(&["--git", "--baseline", "baseline.json", "."], repo);
    assert_eq!(code, 0, "{r}");
}

#[test]
fn since_scans_only_new_commits() {
    let d = tempfile::tempdir().unwrap();
    let repo = d.path();
    git(repo, &["init", "-q"]);
    write(repo, "old.env", format!("{PASSWORD_LINE}\n"));
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "old"]);
    let base = git(repo, &["rev-parse", "HEAD"]);
    write(repo, "new.py", format!("URL = \"{DB_URL}\"\n"));
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "new"]);
    let (code, r, _) = scan_json(&["--since", &base, "."], repo);
    assert_eq!(code, 1);
    assert_eq!(rule_ids(&r), vec!["database-connection-string"]);
    assert_eq!(r["stats"]["commits"], 1);
    gatehouse()
        .args(["scan", "secrets", "--since", "no-such-rev", "."])
        .current_dir(repo)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("no-such-rev"));
}

#[test]
fn staged_scans_only_what_the_change_adds() {
    let d = tempfile::tempdir().unwrap();
    let repo = d.path();
    git(repo, &["init", "-q"]);
    write(repo, "app.properties", format!("{PASSWORD_LINE}\n"));
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "existing secret"]);
    // Nothing staged: clean.
    let (code, _, _) = scan_json(&["--staged", "."], repo);
    assert_eq!(code, 0);
    // Staging an edit to the file does not re-report its old secret, only the new one.
    write(
        repo,
        "app.properties",
        format!("{PASSWORD_LINE}\nspring.redis.url=redis://:Hq7zLm2Kx9Vp@cache-01:6379/0\n"),
    );
    git(repo, &["add", "."]);
    let (code, r, _) = scan_json(&["--staged", "."], repo);
    assert_eq!(code, 1);
    assert_eq!(rule_ids(&r), vec!["database-connection-string"]);
    assert!(findings(&r)[0]["location"]["commit"].is_null());
    // Unstaged changes are not part of a commit and not scanned.
    git(repo, &["reset", "-q"]);
    let (code, _, _) = scan_json(&["--staged", "."], repo);
    assert_eq!(code, 0);
}

#[test]
fn not_a_repository_and_corrupt_objects() {
    let d = tempfile::tempdir().unwrap();
    gatehouse()
        .args(["scan", "secrets", "--git", "."])
        .current_dir(d.path())
        .assert()
        .code(3)
        .stderr(predicate::str::contains("repository"));
    // A corrupt loose object is named; the rest of the history is still scanned.
    let repo = d.path();
    git(repo, &["init", "-q"]);
    write(repo, "a.env", format!("{PASSWORD_LINE}\n"));
    write(repo, "b.txt", "harmless\n");
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "c"]);
    let blob = git(repo, &["rev-parse", "HEAD:b.txt"]);
    let obj = repo.join(".git/objects").join(&blob[..2]).join(&blob[2..]);
    let mut perms = std::fs::metadata(&obj).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&obj, perms).unwrap();
    std::fs::write(&obj, b"garbage, not zlib").unwrap();
    let (code, r, stderr) = scan_json(&["--git", "."], repo);
    assert_eq!(code, 1, "the secret in the readable blob is still found");
    assert_eq!(rule_ids(&r), vec!["generic-password"]);
    let errors = r["errors"].to_string();
    assert!(errors.contains(&blob), "{errors}");
    assert!(stderr.contains(&blob));
}
