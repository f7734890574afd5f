//! `gatehouse gate`: run the stage's scanners concurrently, hand their reports to the policy,
//! print the summary, write the reports, upload, and exit with the verdict.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{anyhow, Context as _};
use gatehouse_core::{Baseline, GateContext, GateReport, ScanReport, ScannerKind, Verdict};
use gatehouse_policy::{config, Config, DiffBase, NewCode, Policy};
use gatehouse_report::{GateFormat, RenderOptions};

use crate::cli::{ColorArg, GateArgs};
use crate::exit::{ExitStatus, Failure};

/// A report to write: format and file.
struct Target {
    format: GateFormat,
    path: PathBuf,
}

/// `--report FORMAT[=FILE]` values, after `[gate] reports`; a later one for the same format wins.
fn targets(config: &Config, args: &[String]) -> Result<Vec<Target>, Failure> {
    let mut out: Vec<Target> = Vec::new();
    let mut add = |t: Target| {
        out.retain(|o| o.format != t.format);
        out.push(t);
    };
    for r in &config.gate.reports {
        let format = r.format.parse::<GateFormat>().map_err(|e| {
            let file = config.source_name();
            Failure::usage(anyhow!("{file}:{}: [gate] reports: {e}", r.line))
        })?;
        add(Target {
            format,
            path: r.path.clone(),
        });
    }
    for a in args {
        let (name, file) = match a.split_once('=') {
            Some((n, f)) if !f.trim().is_empty() => (n, Some(PathBuf::from(f.trim()))),
            Some((n, _)) => (n, None),
            None => (a.as_str(), None),
        };
        let format = name
            .parse::<GateFormat>()
            .map_err(|e| Failure::usage(anyhow!("--report {a}: {e}")))?;
        add(Target {
            format,
            path: file.unwrap_or_else(|| PathBuf::from(format.default_file_name())),
        });
    }
    Ok(out)
}

/// The first non-empty value of these environment variables.
fn env_first(names: &[&str]) -> Option<String> {
    names
        .iter()
        .filter_map(|n| std::env::var(n).ok())
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
}

fn now_rfc3339() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

fn run_scanner(
    kind: ScannerKind,
    config: &Config,
    data_dir: &Path,
    threads: usize,
) -> Result<ScanReport, Failure> {
    let started = Instant::now();
    let mut report = match kind {
        ScannerKind::Secrets => crate::secrets::gate_scan(&config.secrets, threads),
        ScannerKind::Dependencies => crate::deps::gate_scan(config, data_dir, threads),
        ScannerKind::Code => crate::code::gate_scan(&config.code, threads),
        ScannerKind::Iac => crate::iac::gate_scan(&config.iac, threads),
        other => Err(Failure::usage(anyhow!(
            "the gate cannot run the {} scanner yet",
            other.as_str()
        ))),
    }?;
    if report.stats.duration_ms == 0 {
        report.stats.duration_ms = started.elapsed().as_millis() as u64;
    }
    report.tool = "gatehouse".into();
    report.version = env!("CARGO_PKG_VERSION").into();
    Ok(report)
}

pub fn run(a: GateArgs, data_dir: &Path) -> Result<ExitStatus, Failure> {
    let started = Instant::now();
    let started_at = now_rfc3339();
    let dir = a.path.clone().unwrap_or_else(|| PathBuf::from("."));
    if !dir.is_dir() {
        return Err(Failure::usage(anyhow!(
            "{}: not a directory (gate takes the project directory)",
            dir.display()
        )));
    }
    let config = Config::load(a.config.as_deref(), &dir).map_err(Failure::usage)?;
    let stage_name = a
        .stage
        .clone()
        .or_else(|| config.gate.stage.clone())
        .unwrap_or_else(|| config::DEFAULT_STAGE.to_string());
    let stage = config
        .stage(&stage_name)
        .map_err(|m| Failure::usage(anyhow!("--stage: {m}")))?;
    let targets = targets(&config, &a.reports)?;
    let project = a
        .project
        .clone()
        .or_else(|| config.project.name.clone())
        .unwrap_or_else(|| gatehouse_walk::project_name(&dir));
    let server = if a.no_server {
        None
    } else {
        config.server.as_ref()
    };
    if a.upload && server.is_none() {
        return Err(Failure::usage(anyhow!(
            "--upload needs a server: add [server] url = \"https://…\" to {}",
            config.source_name()
        )));
    }

    // What "new" means, checked before anything runs so a bad revision fails fast.
    let mut new_code = match (&a.diff, &a.baseline) {
        (Some(rev), _) => {
            let base = DiffBase::open(&dir, rev).map_err(Failure::usage)?;
            Some(NewCode::diff(base, Box::new(crate::deps::packages_of)))
        }
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))
                .map_err(Failure::usage)?;
            let b = Baseline::parse(&path.display().to_string(), &text).map_err(Failure::usage)?;
            Some(NewCode::Baseline(b))
        }
        (None, None) => None,
    };

    // Exceptions: the server's approved ones when there is a server, else the file's.
    let exceptions = match server {
        Some(s) => {
            if !config.exceptions.is_empty() {
                eprintln!(
                    "gatehouse: note: [[exceptions]] in gatehouse.toml are not used: approved \
                     exceptions come from {}",
                    s.url
                );
            }
            crate::server::exceptions(s, &project, &config.stages).map_err(Failure::runtime)?
        }
        None => config.exceptions.clone(),
    };

    let kinds: Vec<ScannerKind> = config::SCANNERS
        .into_iter()
        .filter(|k| stage.scanners.contains(k) && config.enabled(*k))
        .collect();
    if kinds.is_empty() {
        eprintln!(
            "gatehouse: warning: stage `{}` runs no scanner (none of its scanners is enabled)",
            stage.name
        );
    }
    // Every scanner on its own thread: the run takes as long as the slowest, not their sum.
    let threads = a.threads;
    let results: Vec<(ScannerKind, Result<ScanReport, Failure>)> = std::thread::scope(|s| {
        let handles: Vec<_> = kinds
            .iter()
            .map(|&k| {
                let config = &config;
                (
                    k,
                    s.spawn(move || run_scanner(k, config, data_dir, threads)),
                )
            })
            .collect();
        handles
            .into_iter()
            .map(|(k, h)| {
                let r = h.join().unwrap_or_else(|_| {
                    Err(Failure::runtime(anyhow!(
                        "the {} scanner stopped unexpectedly",
                        k.as_str()
                    )))
                });
                (k, r)
            })
            .collect()
    });
    let mut reports = Vec::new();
    let mut failure: Option<Failure> = None;
    for (k, r) in results {
        match r {
            Ok(rep) => reports.push((k, rep)),
            Err(f) => {
                eprintln!("gatehouse: error: the {} scanner: {}", k.as_str(), f.error);
                if failure.as_ref().is_none_or(|g| f.status > g.status) {
                    failure = Some(f);
                }
            }
        }
    }
    if let Some(f) = failure {
        return Err(f);
    }

    let today = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    let policy = Policy {
        stage,
        exceptions: &exceptions,
        today,
        accept_gaps: config.deps.allow_incomplete,
    };
    let outcome = gatehouse_policy::decide(reports, &policy, new_code.as_mut());

    let head = gatehouse_policy::diff::head(&dir);
    let context = GateContext {
        project: Some(project.clone()),
        commit: a
            .commit
            .clone()
            .or_else(|| env_first(&["CI_COMMIT_SHA", "GITHUB_SHA", "GIT_COMMIT"]))
            .or_else(|| head.as_ref().map(|h| h.0.clone())),
        branch: a
            .branch
            .clone()
            .or_else(|| {
                env_first(&[
                    "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME",
                    "CI_COMMIT_REF_NAME",
                    "GITHUB_HEAD_REF",
                    "GITHUB_REF_NAME",
                    "BRANCH_NAME",
                    "GIT_BRANCH",
                ])
            })
            .or_else(|| head.as_ref().and_then(|h| h.1.clone())),
        pipeline: a
            .pipeline
            .clone()
            .or_else(|| env_first(&["CI_PIPELINE_ID", "GITHUB_RUN_ID", "BUILD_TAG"])),
        diff_base: a.diff.clone(),
        baseline: a.baseline.as_ref().map(|p| p.display().to_string()),
        started: started_at,
        finished: now_rfc3339(),
    };
    let report = GateReport {
        tool: "gatehouse".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        stage: stage.name.clone(),
        verdict: outcome.verdict,
        context,
        scans: outcome.scans,
        exceptions: outcome.exceptions,
        duration_ms: started.elapsed().as_millis() as u64,
    };

    let color = match a.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let summary =
        gatehouse_report::render_gate(&report, GateFormat::Summary, &RenderOptions { color })
            .map_err(Failure::runtime)?;
    print!("{summary}");

    // A report that could not be written or uploaded makes a passing run incomplete; a
    // blocked run stays blocked.
    let mut problems = 0;
    let mut problem = |e: anyhow::Error| {
        eprintln!("gatehouse: error: {e:#}");
        problems += 1;
    };
    for t in &targets {
        let written = gatehouse_report::render_gate(&report, t.format, &RenderOptions::default())
            .map_err(anyhow::Error::from)
            .and_then(|doc| write_file(&t.path, doc.as_bytes()));
        match written {
            Ok(()) => eprintln!(
                "gatehouse: {} report written to {}",
                t.format,
                t.path.display()
            ),
            Err(e) => problem(e.context(format!("writing {}", t.path.display()))),
        }
    }
    if let Some(path) = &a.write_baseline {
        let findings = report.scans.iter().flat_map(|s| &s.report.findings);
        let text = Baseline::render(findings, env!("CARGO_PKG_VERSION"));
        match write_file(path, text.as_bytes()) {
            Ok(()) => eprintln!("gatehouse: baseline written to {}", path.display()),
            Err(e) => problem(e.context(format!("writing {}", path.display()))),
        }
    }
    if a.upload {
        if let Some(s) = server {
            let uploaded =
                gatehouse_report::render_gate(&report, GateFormat::Json, &RenderOptions::default())
                    .map_err(anyhow::Error::from)
                    .and_then(|json| crate::server::upload(s, &project, &json));
            match uploaded {
                Ok(msg) => eprintln!("gatehouse: {msg}"),
                Err(e) => problem(e),
            }
        }
    }
    Ok(match report.verdict {
        Verdict::Blocked => ExitStatus::Findings,
        Verdict::Incomplete => ExitStatus::Runtime,
        Verdict::Pass if problems > 0 => ExitStatus::Runtime,
        Verdict::Pass => ExitStatus::Pass,
    })
}

/// Writes `bytes` to `path`, creating its directory.
fn write_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, bytes)?;
    Ok(())
}
