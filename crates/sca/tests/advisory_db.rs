//! The advisory database end to end: import every format, errors naming files, the store's
//! atomic writes and corruption checks, source replacement, lookups and matching.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use gatehouse_sca::advisory::import::{ImportReport, Importer};
use gatehouse_sca::advisory::matcher::{self, Matcher};
use gatehouse_sca::advisory::store::{Database, SourceUpdate, Store, StoreError, DB_FILE};
use gatehouse_sca::Ecosystem;

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/advisories")
        .join(rel)
}

fn import(store: &Store, paths: &[PathBuf]) -> ImportReport {
    Importer::new().import(store, paths).unwrap()
}

fn ids(db: &Database, eco: Ecosystem, name: &str) -> Vec<String> {
    db.lookup(eco, name)
        .unwrap()
        .iter()
        .map(|h| h.candidate.id.to_string())
        .collect()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn imports_rustsec_native_layout() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    let report = import(&store, &[data("rustsec")]);
    let src = &report.sources[0];
    assert!(src.errors.is_empty(), "{:?}", src.errors);
    assert_eq!(src.kind, "rustsec");
    assert_eq!(src.advisories, 10);
    assert_eq!(src.withdrawn, 2);
    assert_eq!(src.ecosystems.get("crates.io"), Some(&10));
    assert!(
        src.notes
            .iter()
            .any(|n| n.contains("skipped 1 advisories of RustSec's rust/ collection")),
        "{:?}",
        src.notes
    );

    let db = store.open().unwrap();
    assert!(db.has_ecosystem(Ecosystem::CratesIo));
    assert!(!db.has_ecosystem(Ecosystem::PyPI));
    let hits = db.lookup(Ecosystem::CratesIo, "wasmtime").unwrap();
    assert_eq!(hits.len(), 1);
    let c = &hits[0].candidate;
    assert_eq!(c.id, "RUSTSEC-2023-0090");
    assert_eq!(c.aliases, ["CVE-2023-26489", "GHSA-ff4p-7xrq-q5r8"]);
    assert!(c.affected[0].requirements.is_some());
    let m = |v| Matcher::new(Ecosystem::CratesIo, v).affects(c).unwrap();
    assert!(m("4.0.0"));
    assert!(!m("4.0.1"));
    assert!(m("5.0.0"));
    assert!(!m("6.0.1"));
    let full = db.advisory(&hits[0]).unwrap();
    assert_eq!(
        full.summary.as_deref(),
        Some("Guest-controlled out-of-bounds read/write on x86\\_64")
    );
    assert_eq!(
        db.get("RUSTSEC-2019-0008").unwrap().unwrap().affected[0]
            .package
            .as_ref()
            .unwrap()
            .name,
        "simd-json"
    );
    assert!(db.get("RUSTSEC-0000-0000").unwrap().is_none());
    // The rust/ collection is not indexed as a crate.
    assert!(db.lookup(Ecosystem::CratesIo, "std").unwrap().is_empty());

    // cargo-audit's intervals: patched `^ 2.2.1` ends at 3.0.0-0, `>= 3.0.0-beta.9` covers
    // every later version, pre-releases of other versions included.
    let actix = db.lookup(Ecosystem::CratesIo, "actix-http").unwrap();
    let c = &actix[0].candidate;
    let m = |v| Matcher::new(Ecosystem::CratesIo, v).affects(c).unwrap();
    assert!(m("3.0.0-beta.8"));
    assert!(m("3.0.0-0"));
    assert!(!m("3.0.0-beta.10"));
    assert!(!m("3.0.1-beta.1"));
    assert!(!m("2.2.1"));
    assert!(m("2.2.0"));

    // Informational and withdrawn advisories.
    let anyhow = db.lookup(Ecosystem::CratesIo, "anyhow").unwrap();
    assert_eq!(anyhow[0].candidate.informational, Some("unsound"));
    let markdown = db.lookup(Ecosystem::CratesIo, "markdown").unwrap();
    assert!(markdown[0].candidate.withdrawn);
    assert!(!Matcher::new(Ecosystem::CratesIo, "0.3.0")
        .affects(&markdown[0].candidate)
        .unwrap());
}

#[test]
fn imports_osv_json_yaml_and_go() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    let report = import(
        &store,
        &[data("rustsec-osv"), data("pypa"), data("golang-vulndb")],
    );
    let by: BTreeMap<&str, _> = report
        .sources
        .iter()
        .map(|s| (s.location.rsplit('/').next().unwrap(), s))
        .collect();
    for s in by.values() {
        assert!(s.errors.is_empty(), "{}: {:?}", s.location, s.errors);
    }
    assert_eq!(by["rustsec-osv"].kind, "osv-json");
    assert_eq!(by["rustsec-osv"].advisories, 10);
    assert_eq!(by["pypa"].kind, "osv-yaml");
    assert_eq!(by["pypa"].advisories, 7);
    assert_eq!(by["pypa"].withdrawn, 2);
    assert_eq!(by["golang-vulndb"].advisories, 4);
    assert_eq!(by["golang-vulndb"].ecosystems.get("Go"), Some(&4));

    let db = store.open().unwrap();
    let meta = db.metadata();
    assert_eq!(meta.sources.len(), 3);
    assert_eq!(meta.advisories, 21);
    assert_eq!(meta.ecosystems.get("PyPI"), Some(&7));
    for s in &meta.sources {
        assert!(s.newest_modified.is_some());
        assert_eq!(s.imported_at, s.updated_at);
    }
    assert_eq!(
        ids(&db, Ecosystem::PyPI, "AioHTTP").len(),
        4,
        "names are normalised"
    );
    assert_eq!(ids(&db, Ecosystem::Go, "stdlib").len(), 2);
    assert_eq!(
        ids(&db, Ecosystem::Go, "github.com/coder/coder/v2"),
        ["GO-2024-3228"]
    );
    assert!(ids(&db, Ecosystem::Npm, "left-pad").is_empty());
}

#[test]
fn imports_zip_archives_and_json_arrays() {
    let tmp = tempfile::tempdir().unwrap();
    let zip_path = tmp.path().join("all.zip");
    {
        let mut z = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
        let opts = zip::write::SimpleFileOptions::default();
        for f in std::fs::read_dir(data("golang-vulndb/data/osv")).unwrap() {
            let p = f.unwrap().path();
            z.start_file(p.file_name().unwrap().to_str().unwrap(), opts)
                .unwrap();
            z.write_all(&std::fs::read(&p).unwrap()).unwrap();
        }
        z.start_file("broken.json", opts).unwrap();
        z.write_all(b"{\"id\": \"X\",\n \"affected\": [}").unwrap();
        z.finish().unwrap();
    }
    let array = tmp.path().join("array/list.json");
    let a = std::fs::read_to_string(data("rustsec-osv/crates/RUSTSEC-2023-0090.json")).unwrap();
    let b = std::fs::read_to_string(data("rustsec-osv/crates/RUSTSEC-2019-0008.json")).unwrap();
    write(&array, &format!("[{a}, {b}, {{\"modified\": \"x\"}}]"));

    let store = Store::new(&tmp.path().join("data"));
    let report = import(
        &store,
        &[zip_path.clone(), array.parent().unwrap().to_path_buf()],
    );
    let zip = &report.sources[0];
    assert_eq!(zip.kind, "osv-zip");
    assert_eq!(zip.advisories, 4);
    assert_eq!(zip.errors.len(), 1);
    assert!(
        zip.errors[0].file.ends_with("all.zip!broken.json"),
        "{}",
        zip.errors[0]
    );
    assert_eq!(zip.errors[0].line, Some(2));
    let arr = &report.sources[1];
    assert_eq!(arr.advisories, 2);
    assert_eq!(arr.errors.len(), 1);
    assert!(
        arr.errors[0].message.contains("record 2"),
        "{}",
        arr.errors[0]
    );
    assert!(arr.errors[0].message.contains("id"), "{}", arr.errors[0]);

    // A download goes through the same reader.
    let bytes = std::fs::read(&zip_path).unwrap();
    let loaded = Importer::new().load_zip_bytes("https://example.test/Go/all.zip", &bytes);
    assert_eq!(loaded.advisories.len(), 4);
    assert_eq!(loaded.kind(), "osv-zip");
}

#[test]
fn native_formats_go_through_the_converters() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    let report = import(&store, &[data("rubysec")]);
    let s = &report.sources[0];
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    assert_eq!(s.kind, "ruby-advisory-db");
    assert_eq!(s.advisories, 1);
    assert_eq!(s.ecosystems.get("RubyGems"), Some(&1));
    assert!(
        s.notes.iter().any(|n| n.starts_with("skipped 1 records")),
        "{:?}",
        s.notes
    );
    let db = store.open().unwrap();
    assert_eq!(
        db.lookup(Ecosystem::RubyGems, "actionpack").unwrap().len(),
        1
    );
}

#[test]
fn bad_files_are_errors_naming_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::copy(data("golang-vulndb/data/osv/GO-2020-0001.json"), {
        std::fs::create_dir_all(&src).unwrap();
        src.join("GO-2020-0001.json")
    })
    .unwrap();
    write(
        &src.join("syntax.json"),
        "{\n  \"id\": \"A\",\n  \"modified\": 3\n  \"x\": 1\n}\n",
    );
    write(
        &src.join("no-id.json"),
        "{\"modified\": \"2024-01-01T00:00:00Z\"}",
    );
    write(
        &src.join("bad.yaml"),
        "id: PYSEC-1\naffected:\n  - package: [\n",
    );
    write(
        &src.join("crates/x/RUSTSEC-2099-0001.md"),
        "```toml\n[advisory]\nid = \"RUSTSEC-2099-0001\"\npackage = \"x\"\ndate = \"2099-01-01\"\n\n[versions]\npatched = [\"!!\"]\n```\n\n# T\n",
    );
    write(&src.join("notes.md"), "# just notes\n");
    write(&src.join("binary.json"), "\u{0}\u{1}");
    std::fs::write(src.join("latin1.yaml"), b"id: \xff\n").unwrap();

    let store = Store::new(tmp.path());
    let report = import(&store, std::slice::from_ref(&src));
    let s = &report.sources[0];
    assert_eq!(s.advisories, 1, "the good file is imported");
    assert!(s.stored);
    let errs: BTreeMap<String, Option<u32>> = s
        .errors
        .iter()
        .map(|e| {
            (
                Path::new(&e.file)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                e.line,
            )
        })
        .collect();
    assert_eq!(errs["syntax.json"], Some(3), "{:?}", s.errors);
    assert!(errs.contains_key("no-id.json"));
    assert_eq!(errs["bad.yaml"], Some(3), "{:?}", s.errors);
    assert_eq!(errs["RUSTSEC-2099-0001.md"], Some(8), "{:?}", s.errors);
    assert!(errs.contains_key("binary.json"));
    assert!(errs.contains_key("latin1.yaml"));
    assert!(!errs.contains_key("notes.md"));
    assert_eq!(s.errors.len(), 6);
    for e in &s.errors {
        assert!(e.to_string().starts_with(&src.display().to_string()), "{e}");
    }
    let db = store.open().unwrap();
    assert_eq!(db.metadata().sources[0].errors, 6);

    // A path that does not exist stores nothing and keeps the previous records.
    let report = import(&store, &[tmp.path().join("missing")]);
    assert!(!report.sources[0].stored);
    assert_eq!(report.sources[0].errors.len(), 1);
    assert!(report.metadata.is_none());
    assert_eq!(store.open().unwrap().metadata().advisories, 1);
}

#[test]
fn reimport_replaces_the_source() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("go");
    std::fs::create_dir_all(&src).unwrap();
    for id in ["GO-2020-0001", "GO-2024-3228"] {
        std::fs::copy(
            data(&format!("golang-vulndb/data/osv/{id}.json")),
            src.join(format!("{id}.json")),
        )
        .unwrap();
    }
    let store = Store::new(tmp.path());
    import(&store, &[src.clone(), data("pypa")]);
    let first = store.open().unwrap().metadata().clone();
    assert_eq!(first.advisories, 9);

    std::fs::remove_file(src.join("GO-2024-3228.json")).unwrap();
    // The same source named differently (relative, with `..`) is still the same source.
    let alias = src.join("../go");
    import(&store, &[alias]);
    let db = store.open().unwrap();
    let meta = db.metadata();
    assert_eq!(meta.sources.len(), 2);
    assert_eq!(meta.advisories, 8);
    assert!(db.get("GO-2024-3228").unwrap().is_none());
    assert!(db.get("GO-2020-0001").unwrap().is_some());
    let go = meta
        .sources
        .iter()
        .find(|s| s.location.ends_with("/go"))
        .unwrap();
    assert_eq!(go.advisories, 1);
    let old = first
        .sources
        .iter()
        .find(|s| s.location.ends_with("/go"))
        .unwrap();
    assert_eq!(go.imported_at, old.imported_at);

    assert!(store.remove_source(&go.location).unwrap());
    assert_eq!(store.open().unwrap().metadata().advisories, 7);
    assert!(!store.remove_source("nowhere").unwrap());
}

#[test]
fn same_id_from_two_sources_keeps_the_newer() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    import(&store, &[data("rustsec"), data("rustsec-osv")]);
    let db = store.open().unwrap();
    assert_eq!(db.metadata().advisories, 10);
    assert_eq!(
        db.metadata()
            .sources
            .iter()
            .map(|s| s.advisories)
            .sum::<usize>(),
        20
    );
    // RustSec's export is stamped with the git modification time, later than the native
    // file's date.
    let hits = db.lookup(Ecosystem::CratesIo, "wasmtime").unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].candidate.modified, "2025-05-02T08:23:27Z");

    // Dropping the export brings the native record back.
    let osv = db
        .metadata()
        .sources
        .iter()
        .find(|s| s.kind == "osv-json")
        .unwrap()
        .location
        .clone();
    drop(db);
    store.remove_source(&osv).unwrap();
    let db = store.open().unwrap();
    let hits = db.lookup(Ecosystem::CratesIo, "wasmtime").unwrap();
    assert!(hits[0].candidate.affected[0].requirements.is_some());
}

#[test]
fn failed_write_leaves_the_old_database() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    import(&store, &[data("pypa")]);
    let before = std::fs::read(store.db_path()).unwrap();

    let failing = store.clone().fail_before_commit(true);
    let err = Importer::new()
        .import(&failing, &[data("golang-vulndb")])
        .unwrap_err();
    assert!(err.to_string().contains("simulated failure"), "{err}");
    assert_eq!(std::fs::read(store.db_path()).unwrap(), before);
    let left: Vec<String> = std::fs::read_dir(store.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, [DB_FILE], "no temporary or lock file left");

    // A temporary file left by a killed writer is ignored by readers and cleaned by the
    // next writer.
    write(&store.dir().join(".advisories.db.crashed.tmp"), "half");
    assert_eq!(store.open().unwrap().metadata().advisories, 7);
    import(&store, &[data("golang-vulndb")]);
    assert!(!store.dir().join(".advisories.db.crashed.tmp").exists());
    assert_eq!(store.open().unwrap().metadata().advisories, 11);
}

#[test]
fn concurrent_writers_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    std::fs::create_dir_all(store.dir()).unwrap();
    let lock = store.dir().join("advisories.lock");
    std::fs::write(
        &lock,
        format!("{} 2026-01-01T00:00:00Z\n", std::process::id()),
    )
    .unwrap();
    let err = store
        .replace_sources(vec![SourceUpdate::default()])
        .unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("locked by another writer") && msg.contains("advisories.lock"),
        "{msg}"
    );

    // A lock whose process is gone is reported as such, and still refused.
    if cfg!(target_os = "linux") {
        std::fs::write(&lock, "4294967 2026-01-01T00:00:00Z\n").unwrap();
        let err = store
            .replace_sources(vec![SourceUpdate::default()])
            .unwrap_err();
        assert!(err.to_string().contains("no longer running"), "{err}");
    }
    std::fs::remove_file(&lock).unwrap();
    import(&store, &[data("golang-vulndb")]);
    assert!(!lock.exists(), "released after the write");
}

#[test]
fn corrupt_and_truncated_files_are_clear_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    import(&store, &[data("pypa"), data("golang-vulndb")]);
    let path = store.db_path();
    let good = std::fs::read(&path).unwrap();
    let expect = |bytes: &[u8], needle: &str| {
        std::fs::write(&path, bytes).unwrap();
        let err = Database::open(&path).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains(&path.display().to_string()), "{msg}");
        assert!(msg.contains(needle), "{msg}");
    };
    expect(&good[..good.len() - 10], "truncated");
    expect(&good[..100], "truncated");
    expect(b"", "truncated");
    expect(
        &b"not a database ".repeat(20),
        "not a Gatehouse advisory database",
    );
    let mut flipped = good.clone();
    flipped[300] ^= 0x40; // inside the metadata/index sections
    expect(&flipped, "checksum");
    let mut version = good.clone();
    version[8] = 99;
    std::fs::write(&path, &version).unwrap();
    assert!(matches!(
        Database::open(&path),
        Err(StoreError::Version { found: 99, .. })
    ));

    // Damage in a package blob or a document is found when it is read.
    let mut late = good.clone();
    let n = late.len();
    late[n - 20] ^= 0x01; // the last document
    std::fs::write(&path, &late).unwrap();
    let db = Database::open(&path).unwrap();
    let err = db.verify().unwrap_err();
    assert!(
        err.to_string().contains("checksum mismatch in document"),
        "{err}"
    );

    std::fs::remove_file(&path).unwrap();
    assert!(matches!(store.open(), Err(StoreError::Missing { .. })));
    // An import over a corrupt database refuses rather than dropping other sources.
    std::fs::write(&path, &good[..good.len() / 2]).unwrap();
    let err = Importer::new().import(&store, &[data("pypa")]).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
}

#[test]
fn smallest_fix_over_store_hits() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    import(&store, &[data("rustsec")]);
    let db = store.open().unwrap();
    let hits = db.lookup(Ecosystem::CratesIo, "actix-http").unwrap();
    let cands: Vec<_> = hits.iter().map(|h| h.candidate.clone()).collect();
    assert_eq!(cands[0].fixed_versions(), ["2.2.1", "3.0.0-beta.9"]);
    assert_eq!(
        matcher::smallest_fix_among(&cands, Ecosystem::CratesIo, "2.0.0"),
        Ok(Some("2.2.1".into()))
    );
    assert_eq!(
        matcher::smallest_fix_among(&cands, Ecosystem::CratesIo, "3.0.0-beta.1"),
        Ok(Some("3.0.0-beta.9".into()))
    );
}

/// The full public data, when this machine has it: every source imports without errors, the
/// counts are the databases' own, RustSec's conversion agrees with RustSec's OSV export, the
/// matcher agrees with cargo-audit on real lockfiles, and opening and looking up are fast
/// (asserted in release builds: `cargo test --release --test advisory_db full_shared_data`).
/// The data is `../shared/data/` next to the project, or `$GATEHOUSE_SHARED_DATA`.
#[test]
fn full_shared_data() {
    let root = std::env::var_os("GATEHOUSE_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
        .join("advisories");
    if !root.is_dir() {
        eprintln!("skipped: {} does not exist", root.display());
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    let paths: Vec<PathBuf> = ["rustsec", "pypa", "golang-vulndb", "rustsec-osv"]
        .iter()
        .map(|d| root.join(d))
        .collect();
    let t = Instant::now();
    let report = import(&store, &paths);
    let import_time = t.elapsed();
    for s in &report.sources {
        eprintln!(
            "{}: {} advisories ({} withdrawn), {:?}, {} errors, notes {:?}",
            s.location,
            s.advisories,
            s.withdrawn,
            s.ecosystems,
            s.errors.len(),
            s.notes
        );
        assert!(
            s.errors.is_empty(),
            "{}: {:?}",
            s.location,
            &s.errors[..s.errors.len().min(5)]
        );
    }
    let counts: Vec<usize> = report.sources.iter().map(|s| s.advisories).collect();
    assert_eq!(counts, [1205, 2661, 4291, 1206]);
    assert!(report.sources[0].notes[0].contains("skipped 20 advisories"));
    let meta = report.metadata.as_ref().unwrap();
    eprintln!(
        "import: {import_time:?}, {} advisories, {} packages",
        meta.advisories, meta.packages
    );

    // RustSec's conversion against RustSec's own export.
    let native = Importer::new().load_path(&paths[0]);
    let export = Importer::new().load_path(&paths[3]);
    let exported: BTreeMap<&str, _> = export
        .advisories
        .iter()
        .map(|a| (a.id.as_str(), a))
        .collect();
    let mut compared = 0;
    let mut differ = Vec::new();
    for a in &native.advisories {
        let Some(e) = exported.get(a.id.as_str()) else {
            continue;
        };
        compared += 1;
        let events =
            |x: &gatehouse_sca::advisory::osv::Advisory| x.affected[0].ranges[0].events.clone();
        let aliases = |x: &gatehouse_sca::advisory::osv::Advisory| {
            x.aliases.iter().cloned().collect::<BTreeSet<_>>()
        };
        let name = |x: &gatehouse_sca::advisory::osv::Advisory| {
            x.affected[0].package.as_ref().unwrap().name.clone()
        };
        if events(a) != events(e)
            || aliases(a) != aliases(e)
            || name(a) != name(e)
            || a.is_withdrawn() != e.is_withdrawn()
        {
            differ.push(a.id.clone());
        }
    }
    eprintln!("rustsec conversion: {compared} compared with the export, differing: {differ:?}");
    assert!(compared >= 1200);
    assert!(differ.is_empty(), "{differ:?}");

    // Open and lookup times.
    let t = Instant::now();
    let db = store.open().unwrap();
    let open_time = t.elapsed();
    let mut names: Vec<(Ecosystem, String)> = Vec::new();
    for a in native.advisories.iter().chain(&export.advisories) {
        for af in &a.affected {
            let p = af.package.as_ref().unwrap();
            names.push((Ecosystem::from_osv(&p.ecosystem).unwrap(), p.name.clone()));
        }
    }
    for a in Importer::new()
        .load_path(&paths[1])
        .advisories
        .iter()
        .chain(&Importer::new().load_path(&paths[2]).advisories)
    {
        for af in &a.affected {
            if let Some(p) = &af.package {
                if let Some(e) = Ecosystem::from_osv(&p.ecosystem) {
                    names.push((e, p.name.clone()));
                }
            }
        }
    }
    names.sort();
    names.dedup();
    // Half hits (every package with advisories, cycled), half misses.
    let queries: Vec<(Ecosystem, String)> = (0..10_000)
        .map(|i| {
            if i % 2 == 0 {
                names[(i / 2 * 7919) % names.len()].clone()
            } else {
                (Ecosystem::Npm, format!("no-such-package-{i}"))
            }
        })
        .collect();
    let t = Instant::now();
    let mut found = 0;
    for (e, n) in &queries {
        found += db.lookup(*e, n).unwrap().len();
    }
    let lookup_time = t.elapsed();
    eprintln!(
        "open: {open_time:?}; 10,000 lookups ({} distinct packages, {found} hits): {lookup_time:?}",
        names.len()
    );
    assert!(found > 5000);
    if !cfg!(debug_assertions) {
        assert!(open_time.as_millis() < 20, "{open_time:?}");
        assert!(lookup_time.as_millis() < 50, "{lookup_time:?}");
    }
    db.verify().unwrap();

    // cargo-audit on real lockfiles, against the native RustSec data alone.
    let rs = Store::new(&tmp.path().join("rustsec-only"));
    import(&rs, &paths[..1]);
    let db = rs.open().unwrap();
    let expected_dir = root.join("../expected/cargo-audit");
    for lock in [
        "generated-1248pkgs.Cargo.lock",
        "noseyparker.Cargo.lock",
        "uv.Cargo.lock",
    ] {
        let text =
            std::fs::read_to_string(root.join("../lockfiles/cargo-lock/real").join(lock)).unwrap();
        let parsed: toml::Value = toml::from_str(&text).unwrap();
        let mut ours = BTreeSet::new();
        for p in parsed["package"].as_array().unwrap() {
            let source = p.get("source").and_then(|s| s.as_str()).unwrap_or("");
            if !source.starts_with("registry+") && !source.starts_with("sparse+") {
                continue;
            }
            let (name, version) = (p["name"].as_str().unwrap(), p["version"].as_str().unwrap());
            for h in db.lookup(Ecosystem::CratesIo, name).unwrap() {
                if Matcher::new(Ecosystem::CratesIo, version)
                    .affects(&h.candidate)
                    .unwrap()
                {
                    ours.insert((
                        h.candidate.id.to_string(),
                        name.to_string(),
                        version.to_string(),
                    ));
                }
            }
        }
        let expected: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(expected_dir.join(format!("{lock}.json"))).unwrap(),
        )
        .unwrap();
        let mut theirs = BTreeSet::new();
        let mut add = |v: &serde_json::Value| {
            theirs.insert((
                v["advisory"]["id"].as_str().unwrap().to_string(),
                v["package"]["name"].as_str().unwrap().to_string(),
                v["package"]["version"].as_str().unwrap().to_string(),
            ));
        };
        for v in expected["vulnerabilities"]["list"].as_array().unwrap() {
            add(v);
        }
        for list in expected["warnings"].as_object().unwrap().values() {
            for v in list.as_array().unwrap() {
                if !v["advisory"].is_null() {
                    add(v);
                }
            }
        }
        eprintln!(
            "{lock}: {} matches, cargo-audit {}",
            ours.len(),
            theirs.len()
        );
        assert_eq!(ours, theirs, "{lock}");
    }

    // pip-audit (OSV semantics with PEP 440) on real requirement files, against PyPA alone.
    let py = Store::new(&tmp.path().join("pypa-only"));
    import(&py, &paths[1..2]);
    let db = py.open().unwrap();
    let expected_dir = root.join("../expected/pip-audit");
    for file in [
        "airflow2-constraints.txt",
        "home-assistant.pinned.requirements.txt",
        "jupyter.compiled.requirements.txt",
    ] {
        let expected: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(expected_dir.join(format!("{file}.json"))).unwrap(),
        )
        .unwrap();
        let (mut ours, mut theirs) = (BTreeSet::new(), BTreeSet::new());
        for dep in expected["dependencies"].as_array().unwrap() {
            let (name, version) = (
                dep["name"].as_str().unwrap(),
                dep["version"].as_str().unwrap(),
            );
            for v in dep["vulns"].as_array().unwrap() {
                theirs.insert((v["id"].as_str().unwrap().to_string(), name.to_string()));
            }
            let hits = db.lookup(Ecosystem::PyPI, name).unwrap();
            let m = Matcher::new(Ecosystem::PyPI, version);
            for h in &hits {
                if m.affects(&h.candidate).unwrap() {
                    ours.insert((h.candidate.id.to_string(), name.to_string()));
                }
            }
        }
        eprintln!("{file}: {} matches, pip-audit {}", ours.len(), theirs.len());
        assert_eq!(ours, theirs, "{file}");
    }
}
