//! `scan deps`, `db import|update|status`, `sbom`: wiring of the dependency scanner.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{anyhow, Context as _};
use gatehouse_core::{CoverageGap, ScanReport};
use gatehouse_sca::advisory::fetch;
use gatehouse_sca::advisory::import::Importer;
use gatehouse_sca::advisory::store::{Database, Store, StoreError};
use gatehouse_sca::audit::{self, Audit, Ignore, Policy};
use gatehouse_sca::discover::{discover, DiscoverOptions, Discovery};
use gatehouse_sca::sbom::{self, vex, SbomInput};
use gatehouse_walk::WalkOptions;

use crate::cli::{DbImportArgs, DbStatusArgs, DbUpdateArgs, DepsArgs, SbomArgs, SbomFormatArg};
use crate::exit::{ExitStatus, Failure};
use crate::output;
use gatehouse_policy::Config;

fn paths_or_cwd(paths: &[PathBuf]) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    }
}

/// The configuration of the project the first path belongs to.
fn load_config(explicit: Option<&Path>, paths: &[PathBuf]) -> Result<Config, Failure> {
    let dir = if paths[0].is_dir() {
        paths[0].clone()
    } else {
        gatehouse_walk::project_root(&paths[0])
    };
    Config::load(explicit, &dir).map_err(Failure::usage)
}

/// Every VEX statement of the configuration's documents and the command line's.
fn load_vex(config: &Config, extra: &[PathBuf]) -> Result<Vec<vex::VexStatement>, Failure> {
    let mut out = Vec::new();
    for path in config.deps.vex.iter().chain(extra) {
        out.extend(vex::read(path).map_err(Failure::usage)?);
    }
    Ok(out)
}

/// The database, or why there is none usable (missing, corrupt, unreadable).
fn open_db(data_dir: &Path) -> Result<Database, String> {
    Store::new(data_dir).open().map_err(|e| match e {
        StoreError::Missing { path } => format!(
            "there is no advisory database (looked for {}; run `gatehouse db import` or \
             `gatehouse db update`)",
            path.display()
        ),
        other => format!("the advisory database cannot be used: {other}"),
    })
}

fn policy_of(config: &Config, vex: Vec<vex::VexStatement>, max_age: Option<u32>) -> Policy {
    Policy {
        ignores: config
            .deps
            .ignores
            .iter()
            .map(|i| Ignore {
                id: i.id.clone(),
                package: i.package.clone(),
                reason: i.reason.clone(),
                expires: i.expires,
                source: i.source.clone(),
                line: i.line,
            })
            .collect(),
        vex,
        max_age_days: max_age
            .or(config.deps.max_db_age_days)
            .unwrap_or(audit::DEFAULT_MAX_AGE_DAYS),
        now: jiff::Timestamp::now(),
    }
}

/// Discovery, then the audit against the database; the report is complete but for rendering.
fn run_audit(
    paths: &[PathBuf],
    data_dir: &Path,
    policy: &Policy,
    opts: &DiscoverOptions,
) -> (Audit, Discovery) {
    let started = Instant::now();
    let mut found = discover(paths, opts);
    let db = open_db(data_dir);
    let mut result = audit::audit(
        &found.manifests,
        db.as_ref().map_err(String::as_str),
        policy,
    );
    let report = &mut result.report;
    report.tool = "gatehouse".into();
    report.version = env!("CARGO_PKG_VERSION").into();
    report.stats.scanned = found.files;
    report.stats.bytes = found.bytes;
    report.errors.append(&mut found.errors);
    if let Err(reason) = &db {
        // A corrupt database is an error as well as the reason for the gaps.
        if !reason.starts_with("there is no advisory database") {
            report.errors.push(gatehouse_core::ScanError {
                path: Some(data_dir.display().to_string()),
                message: reason.clone(),
            });
        }
    }
    if found.files == 0 && report.errors.is_empty() {
        // Nothing to check is not the same as nothing found.
        report.gaps.push(CoverageGap {
            scope: "dependency files".into(),
            count: 0,
            reason: format!(
                "no lockfile, manifest or SBOM was found under {}",
                paths
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    report.stats.duration_ms = started.elapsed().as_millis() as u64;
    report.sort();
    (result, found)
}

/// The dependency scan `gatehouse gate` runs, as `[deps]` configures it, walking with
/// `threads` workers (0: one per CPU).
pub fn gate_scan(config: &Config, data_dir: &Path, threads: usize) -> Result<ScanReport, Failure> {
    let vex = load_vex(config, &[])?;
    let policy = policy_of(config, vex, None);
    let opts = DiscoverOptions {
        walk: WalkOptions {
            threads,
            ..WalkOptions::default()
        },
        ..DiscoverOptions::default()
    };
    let (result, found) = run_audit(&config.deps.paths, data_dir, &policy, &opts);
    let mut report = result.report;
    if found.files == 0 {
        // The gate runs every scanner on every project: one without dependency files has
        // nothing unchecked, unlike an explicit `scan deps` that found nothing to read.
        report.gaps.clear();
    }
    Ok(report)
}

/// The `(package, version)` pairs of a dependency file's content, for `gate --diff`.
pub fn packages_of(path: &str, bytes: &[u8]) -> Result<BTreeSet<(String, String)>, String> {
    let p = Path::new(path);
    let text = String::from_utf8_lossy(bytes);
    let format = gatehouse_sca::lockfile::detect(p)
        .or_else(|| gatehouse_sca::lockfile::sniff(&text))
        .ok_or_else(|| "not a dependency file Gatehouse reads".to_string())?;
    let manifest = format.parse(p, &text).map_err(|e| e.to_string())?;
    Ok(manifest
        .packages
        .into_iter()
        .map(|pkg| (pkg.name, pkg.version))
        .collect())
}

pub fn scan(a: DepsArgs, data_dir: &Path) -> Result<ExitStatus, Failure> {
    let paths = paths_or_cwd(&a.paths);
    let config = load_config(a.config.as_deref(), &paths)?;
    let vex = load_vex(&config, &a.vex)?;
    let policy = policy_of(&config, vex, a.max_db_age);
    let opts = DiscoverOptions {
        walk: WalkOptions {
            no_ignore: a.no_ignore,
            follow_links: a.follow,
            threads: a.threads,
        },
        max_file_size: a.max_file_size,
    };
    let (result, _) = run_audit(&paths, data_dir, &policy, &opts);
    let report = result.report;
    output::emit(&report, a.format, a.output.as_deref(), a.color)?;
    Ok(status_of(&report, a.fail_on, a.allow_incomplete))
}

/// Findings over the threshold fail; otherwise errors, and gaps unless accepted, make the run
/// incomplete.
fn status_of(
    report: &ScanReport,
    fail_on: gatehouse_core::Severity,
    allow_incomplete: bool,
) -> ExitStatus {
    let gaps = if allow_incomplete {
        0
    } else {
        report.gaps.len()
    };
    ExitStatus::of_scan(report.count_at_least(fail_on), report.errors.len() + gaps)
}

pub fn db_import(a: DbImportArgs, data_dir: &Path) -> Result<ExitStatus, Failure> {
    let store = Store::new(data_dir);
    let started = Instant::now();
    let report = Importer::new()
        .import(&store, &a.paths)
        .map_err(Failure::runtime)?;
    let mut out = std::io::stdout().lock();
    for s in &report.sources {
        let ecos: Vec<String> = s
            .ecosystems
            .iter()
            .map(|(e, n)| format!("{e} {n}"))
            .collect();
        let _ = writeln!(
            out,
            "{}: {} advisories ({}){}{}",
            s.location,
            s.advisories,
            s.kind,
            if ecos.is_empty() {
                String::new()
            } else {
                format!(": {}", ecos.join(", "))
            },
            if s.errors.is_empty() {
                String::new()
            } else {
                format!("; {} files could not be imported", s.errors.len())
            }
        );
        for n in &s.notes {
            let _ = writeln!(out, "  note: {n}");
        }
    }
    for s in &report.sources {
        for e in &s.errors {
            eprintln!("gatehouse: error: {e}");
        }
    }
    if let Some(m) = &report.metadata {
        let _ = writeln!(
            out,
            "Database {}: {} advisories for {} packages, from {} sources ({:.1} s)",
            store.db_path().display(),
            m.advisories,
            m.packages,
            m.sources.len(),
            started.elapsed().as_secs_f64()
        );
    } else {
        let _ = writeln!(out, "Nothing was imported; the database is unchanged.");
    }
    Ok(if report.error_count() > 0 || report.metadata.is_none() {
        ExitStatus::Runtime
    } else {
        ExitStatus::Pass
    })
}

/// `URL` or `URL#sha256=HEX`.
fn parse_source(arg: &str) -> Result<fetch::Source, Failure> {
    match arg.split_once("#sha256=") {
        Some((url, hex)) => {
            let hex = hex.trim().to_ascii_lowercase();
            if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(Failure::usage(anyhow!(
                    "--source {arg}: the sha256 must be 64 hexadecimal digits"
                )));
            }
            Ok(fetch::Source {
                url: url.to_string(),
                sha256: Some(hex),
            })
        }
        None => Ok(fetch::Source::new(arg)),
    }
}

fn is_remote(location: &str) -> bool {
    ["http://", "https://", "file://"]
        .iter()
        .any(|p| location.starts_with(p))
}

pub fn db_update(a: DbUpdateArgs, data_dir: &Path) -> Result<ExitStatus, Failure> {
    let store = Store::new(data_dir);
    let meta = match store.open() {
        Ok(db) => Some(db.metadata().clone()),
        Err(StoreError::Missing { .. }) => None,
        // A corrupt database is rebuilt from what is downloaded now.
        Err(e) => {
            eprintln!("gatehouse: warning: {e}");
            None
        }
    };
    let sources: Vec<fetch::Source> = if a.sources.is_empty() {
        meta.iter()
            .flat_map(|m| &m.sources)
            .filter(|s| is_remote(&s.location))
            .map(|s| fetch::Source::new(s.location.clone()))
            .collect()
    } else {
        a.sources
            .iter()
            .map(|s| parse_source(s))
            .collect::<Result<_, _>>()?
    };
    if sources.is_empty() {
        return Err(Failure::usage(anyhow!(
            "no sources to update from: pass --source URL (an OSV all.zip or JSON file by \
             http(s):// or file:// URL); sources imported from local paths are refreshed with \
             `gatehouse db import`"
        )));
    }
    let previous: Vec<fetch::Validators> = sources
        .iter()
        .map(|s| {
            meta.as_ref()
                .and_then(|m| m.source(&s.url))
                .map(|i| fetch::Validators {
                    etag: i.etag.clone(),
                    last_modified: i.last_modified.clone(),
                })
                .unwrap_or_default()
        })
        .collect();
    std::fs::create_dir_all(store.dir())
        .with_context(|| format!("creating {}", store.dir().display()))
        .map_err(Failure::runtime)?;
    let opts = fetch::FetchOptions {
        total_timeout: Some(std::time::Duration::from_secs(a.timeout.max(1))),
        ..fetch::FetchOptions::default()
    };
    let outcomes = fetch::fetch_all(&sources, &previous, store.dir(), &opts);
    let importer = Importer::new();
    let mut updates = Vec::new();
    let mut failed = 0usize;
    for o in outcomes {
        match o.state {
            fetch::FetchState::Failed(e) => {
                failed += 1;
                eprintln!("gatehouse: error: {e}; the source's previous data is kept");
            }
            fetch::FetchState::Unchanged => println!("{}: unchanged", o.url),
            fetch::FetchState::Updated { file, payload } => {
                let loaded = match load_download(&importer, &o.url, &file, payload) {
                    Ok(l) => l,
                    Err(e) => {
                        failed += 1;
                        eprintln!("gatehouse: error: {}: {e:#}", o.url);
                        continue;
                    }
                };
                for e in &loaded.errors {
                    eprintln!("gatehouse: error: {}: {e}", o.url);
                }
                if loaded.advisories.is_empty() {
                    failed += 1;
                    eprintln!(
                        "gatehouse: error: {}: no advisories in the download; the source's previous data is kept",
                        o.url
                    );
                    continue;
                }
                println!(
                    "{}: {} advisories ({} bytes){}",
                    o.url,
                    loaded.advisories.len(),
                    o.bytes,
                    if loaded.errors.is_empty() {
                        String::new()
                    } else {
                        format!("; {} records could not be read", loaded.errors.len())
                    }
                );
                failed += usize::from(!loaded.errors.is_empty());
                let mut update = loaded.into_update();
                update.etag = o.validators.etag.clone();
                update.last_modified = o.validators.last_modified.clone();
                updates.push(update);
            }
        }
    }
    if !updates.is_empty() {
        let m = store.replace_sources(updates).map_err(Failure::runtime)?;
        println!(
            "Database {}: {} advisories for {} packages, from {} sources",
            store.db_path().display(),
            m.advisories,
            m.packages,
            m.sources.len()
        );
    }
    Ok(if failed > 0 {
        ExitStatus::Runtime
    } else {
        ExitStatus::Pass
    })
}

/// Reads a verified download as the source `url`.
fn load_download(
    importer: &Importer,
    url: &str,
    file: &Path,
    payload: fetch::Payload,
) -> anyhow::Result<gatehouse_sca::advisory::import::Loaded> {
    Ok(match payload {
        fetch::Payload::Zip { .. } => {
            let f =
                std::fs::File::open(file).with_context(|| format!("reading {}", file.display()))?;
            importer.load_zip(url, std::io::BufReader::new(f))
        }
        fetch::Payload::Json => {
            let bytes =
                std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
            importer.load_json_bytes(url, &bytes)
        }
    })
}

pub fn db_status(a: DbStatusArgs, data_dir: &Path) -> Result<ExitStatus, Failure> {
    let store = Store::new(data_dir);
    let db = match store.open() {
        Ok(db) => db,
        Err(StoreError::Missing { path }) => {
            eprintln!(
                "gatehouse: no advisory database at {} (run `gatehouse db import PATH` or `gatehouse db update`)",
                path.display()
            );
            return Ok(ExitStatus::Runtime);
        }
        Err(e) => return Err(Failure::runtime(e)),
    };
    let meta = db.metadata();
    let now = jiff::Timestamp::now();
    let max_age = a.max_db_age.unwrap_or(audit::DEFAULT_MAX_AGE_DAYS);
    let mut stale = Vec::new();
    let mut ecosystems = Vec::new();
    for eco in gatehouse_sca::Ecosystem::ALL {
        if let Some(c) = audit::coverage(&db, eco) {
            let age_days = c
                .as_of
                .map(|t| now.duration_since(t).as_secs().max(0) / 86_400);
            if age_days.is_some_and(|d| d > i64::from(max_age)) {
                stale.push(eco);
            }
            ecosystems.push((eco, c, age_days));
        }
    }
    let mut out = std::io::stdout().lock();
    let res = if a.json {
        let doc = serde_json::json!({
            "path": db.path(),
            "metadata": meta,
            "max_age_days": max_age,
            "ecosystems": ecosystems.iter().map(|(e, c, age)| serde_json::json!({
                "ecosystem": e.as_str(),
                "advisories": c.advisories,
                "as_of": c.as_of.map(|t| t.to_string()),
                "age_days": age,
                "out_of_date": age.is_some_and(|d| d > i64::from(max_age)),
            })).collect::<Vec<_>>(),
        });
        serde_json::to_writer_pretty(&mut out, &doc)
            .map_err(std::io::Error::other)
            .and_then(|_| writeln!(out))
    } else {
        (|| -> std::io::Result<()> {
            writeln!(out, "Database: {}", db.path().display())?;
            writeln!(
                out,
                "Built: {}; {} advisories ({} withdrawn) for {} packages",
                meta.built_at, meta.advisories, meta.withdrawn, meta.packages
            )?;
            writeln!(
                out,
                "\nEcosystems (data older than {max_age} days is out of date):"
            )?;
            for (e, c, age) in &ecosystems {
                let as_of = c.as_of.map(|t| t.to_string()).unwrap_or_else(|| "?".into());
                let age = age.map(|d| format!("{d} days old")).unwrap_or_default();
                let mark = if stale.contains(e) {
                    "  OUT OF DATE"
                } else {
                    ""
                };
                writeln!(
                    out,
                    "  {:<10} {:>6} advisories, as of {as_of} ({age}){mark}",
                    e.as_str(),
                    c.advisories
                )?;
            }
            let others: Vec<String> = meta
                .ecosystems
                .iter()
                .filter(|(e, _)| gatehouse_sca::Ecosystem::from_osv(e).is_none())
                .map(|(e, n)| format!("{e} {n}"))
                .collect();
            if !others.is_empty() {
                writeln!(out, "  other (not scanned): {}", others.join(", "))?;
            }
            writeln!(out, "\nSources:")?;
            for s in &meta.sources {
                writeln!(out, "  {} ({})", s.location, s.kind)?;
                writeln!(
                    out,
                    "    {} advisories; imported {}, updated {}; newest record {}{}",
                    s.advisories,
                    s.imported_at,
                    s.updated_at,
                    s.newest_modified.as_deref().unwrap_or("?"),
                    if s.errors > 0 {
                        format!("; {} files could not be read", s.errors)
                    } else {
                        String::new()
                    }
                )?;
            }
            Ok(())
        })()
    };
    match res {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::runtime(e)),
        _ => Ok(ExitStatus::Pass),
    }
}

pub fn sbom(a: SbomArgs, data_dir: &Path) -> Result<ExitStatus, Failure> {
    let paths = paths_or_cwd(&a.paths);
    if a.vulnerabilities && a.format == SbomFormatArg::Spdx {
        return Err(Failure::usage(anyhow!(
            "--vulnerabilities needs --format cyclonedx (SPDX 2.3 has no vulnerability section)"
        )));
    }
    let config = load_config(a.config.as_deref(), &paths)?;
    let vex = load_vex(&config, &a.vex)?;
    let policy = policy_of(&config, vex, None);
    let opts = DiscoverOptions {
        walk: WalkOptions {
            no_ignore: a.no_ignore,
            ..WalkOptions::default()
        },
        ..DiscoverOptions::default()
    };
    let (result, found) = if a.vulnerabilities {
        run_audit(&paths, data_dir, &policy, &opts)
    } else {
        let found = discover(&paths, &opts);
        (Audit::default(), found)
    };
    let vulnerabilities = result.sbom_vulnerabilities();
    let name = a
        .name
        .clone()
        .unwrap_or_else(|| gatehouse_walk::project_name(&paths[0]));
    let input = SbomInput {
        project_name: &name,
        project_version: None,
        manifests: &found.manifests,
        vulnerabilities: &vulnerabilities,
        created: None,
    };
    let write = |w: &mut dyn Write| -> std::io::Result<()> {
        let mut w = std::io::BufWriter::new(w);
        match a.format {
            SbomFormatArg::Cyclonedx => sbom::cyclonedx::write(&input, &mut w)?,
            SbomFormatArg::Spdx => sbom::spdx::write(&input, &mut w)?,
        }
        w.flush()
    };
    match &a.output {
        Some(p) => {
            let mut f = std::fs::File::create(p)
                .with_context(|| format!("writing {}", p.display()))
                .map_err(Failure::runtime)?;
            write(&mut f)
                .with_context(|| format!("writing {}", p.display()))
                .map_err(Failure::runtime)?;
        }
        None => match write(&mut std::io::stdout().lock()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                return Err(Failure::runtime(e))
            }
            _ => {}
        },
    }
    let packages: usize = found.manifests.iter().map(|m| m.packages.len()).sum();
    eprintln!(
        "gatehouse: SBOM of {packages} packages from {} files{}",
        found.manifests.len(),
        a.output
            .as_ref()
            .map(|p| format!(" written to {}", p.display()))
            .unwrap_or_default()
    );
    let report = &result.report;
    for e in found.errors.iter().chain(&report.errors) {
        match &e.path {
            Some(p) => eprintln!("gatehouse: error: {p}: {}", e.message),
            None => eprintln!("gatehouse: error: {}", e.message),
        }
    }
    for g in &report.gaps {
        eprintln!(
            "gatehouse: not checked: {} {}: {}",
            g.count, g.scope, g.reason
        );
    }
    Ok(
        if found.errors.is_empty() && report.errors.is_empty() && report.gaps.is_empty() {
            ExitStatus::Pass
        } else {
            ExitStatus::Runtime
        },
    )
}
