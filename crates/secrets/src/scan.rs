//! Sources (working tree, standard input, git history) → engine → findings, with suppression.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use gatehouse_core::{
    mask_secret, secret_sha256, CommitInfo, Evidence, Finding, Fingerprint, Location, ScanError,
    ScanReport, ScannerKind, SecretValue, SkipReason,
};

use crate::decode;
use crate::engine::{line_bounds, Candidate, Context, Engine};
use crate::git::{self, HistoryScope};
use crate::rules::RuleSources;
use gatehouse_core::Baseline;

use crate::suppress::{inline_allowed, IgnoreFile};
use crate::{RuleError, SetupError};
use gatehouse_walk::{project_root, walk_error, ProjectPaths, WalkOptions};

/// How much of a file is looked at to decide it is binary, as git does.
const BINARY_PROBE: usize = 8 << 10;
/// Characters of context kept either side of a secret in a snippet.
const SNIPPET_CONTEXT: usize = 80;

/// Options of a secret scan.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Files (and blobs) larger than this are skipped and counted.
    pub max_file_size: u64,
    /// Scan what `.gitignore` and `.gatehouseignore` path patterns would leave out.
    pub no_ignore: bool,
    /// Put secret values in plain text into findings. Off unless the user asks.
    pub show_secrets: bool,
    /// Follow symbolic links while walking.
    pub follow_links: bool,
    /// Worker threads; 0 picks the number of CPUs.
    pub threads: usize,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            max_file_size: 10 << 20,
            no_ignore: false,
            show_secrets: false,
            follow_links: false,
            threads: 0,
        }
    }
}

/// A progress callback: called with the bytes of each input as it is done.
pub type Progress<'a> = &'a (dyn Fn(u64) + Sync);

/// The secret scanner: compiled rules plus options.
pub struct Scanner {
    engine: Engine,
    opts: ScanOptions,
}

/// Findings and counters gathered by the workers of one scan.
#[derive(Default)]
struct Collector {
    findings: Mutex<Vec<Finding>>,
    errors: Mutex<Vec<ScanError>>,
    scanned: AtomicU64,
    bytes: AtomicU64,
    inline_suppressed: AtomicU64,
    skipped: Mutex<std::collections::BTreeMap<SkipReason, u64>>,
}

impl Collector {
    fn skip(&self, why: SkipReason) {
        *self
            .skipped
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(why)
            .or_default() += 1;
    }

    fn error(&self, path: Option<String>, message: String) {
        self.errors
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(ScanError { path, message });
    }

    /// Moves the counters and errors into `report`; returns it with the findings, not yet
    /// filtered by ignores and baselines.
    fn into_report(self, mut report: ScanReport) -> (ScanReport, Vec<Finding>) {
        report.stats.scanned = self.scanned.into_inner();
        report.stats.bytes = self.bytes.into_inner();
        report.stats.suppressed = self.inline_suppressed.into_inner();
        report.stats.skipped = self.skipped.into_inner().unwrap_or_else(|p| p.into_inner());
        report.errors = self.errors.into_inner().unwrap_or_else(|p| p.into_inner());
        let findings = self
            .findings
            .into_inner()
            .unwrap_or_else(|p| p.into_inner());
        (report, findings)
    }

    fn add(&self, mut found: Vec<Finding>) {
        if !found.is_empty() {
            self.findings
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .append(&mut found);
        }
    }
}

/// Whether the start of `data` looks binary (a NUL byte, as git decides).
pub fn looks_binary(data: &[u8]) -> bool {
    memchr::memchr(0, &data[..data.len().min(BINARY_PROBE)]).is_some()
}

impl Scanner {
    pub fn new(sources: &RuleSources, opts: ScanOptions) -> Result<Self, RuleError> {
        Ok(Scanner {
            engine: Engine::new(sources)?,
            opts,
        })
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    fn threads(&self) -> usize {
        WalkOptions {
            threads: self.opts.threads,
            ..WalkOptions::default()
        }
        .thread_count()
    }

    fn new_report(&self) -> ScanReport {
        ScanReport {
            tool: "gatehouse".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            rules: self
                .engine
                .rule_metas()
                .map(|m| (m.id.clone(), m.clone()))
                .collect(),
            ..ScanReport::default()
        }
    }

    /// Scans files and directories.
    pub fn scan_paths(
        &self,
        roots: &[PathBuf],
        baseline: Option<&Baseline>,
        progress: Progress<'_>,
    ) -> Result<ScanReport, SetupError> {
        let started = Instant::now();
        let col = Collector::default();
        let mut ignores = Vec::new();
        for root in roots {
            let meta = match std::fs::symlink_metadata(root) {
                Ok(m) => m,
                Err(e) => {
                    col.error(
                        Some(root.display().to_string()),
                        format!("cannot read: {e}"),
                    );
                    continue;
                }
            };
            if meta.file_type().is_symlink() && std::fs::metadata(root).is_err() {
                col.error(
                    Some(root.display().to_string()),
                    "broken symbolic link".to_string(),
                );
                continue;
            }
            let project = project_root(root);
            let ignore = IgnoreFile::load(&project)?;
            self.walk(root, &ignore, &col, progress);
            ignores.push(ignore);
        }
        let (mut report, findings) = col.into_report(self.new_report());
        finish(
            &mut report,
            findings,
            &ignores,
            baseline,
            !self.opts.no_ignore,
        );
        report.stats.duration_ms = started.elapsed().as_millis() as u64;
        Ok(report)
    }

    fn walk(&self, root: &Path, ignore: &IgnoreFile, col: &Collector, progress: Progress<'_>) {
        let paths = &ProjectPaths::new(root);
        let no_ignore = self.opts.no_ignore;
        let walk_opts = WalkOptions {
            no_ignore,
            follow_links: self.opts.follow_links,
            threads: self.threads(),
        };
        let builder = gatehouse_walk::walker(root, &walk_opts);
        builder.build_parallel().run(|| {
            let mut buf = Vec::new();
            Box::new(move |entry| {
                let e = match entry {
                    Ok(e) => e,
                    Err(err) => {
                        let (path, msg) = walk_error(&err);
                        col.error(path, msg);
                        return ignore::WalkState::Continue;
                    }
                };
                if gatehouse_walk::is_git_dir(&e) {
                    return ignore::WalkState::Skip;
                }
                let is_dir = e.file_type().is_some_and(|t| t.is_dir());
                let rel = paths.relative(e.path());
                if !no_ignore && e.depth() > 0 && ignore.ignores_path(&rel, is_dir) {
                    col.skip(SkipReason::Ignored);
                    return ignore::WalkState::Skip;
                }
                self.visit(&e, &rel, col, &mut buf, progress);
                ignore::WalkState::Continue
            })
        });
    }

    fn visit(
        &self,
        e: &ignore::DirEntry,
        rel: &str,
        col: &Collector,
        buf: &mut Vec<u8>,
        progress: Progress<'_>,
    ) {
        let Some(ft) = e.file_type() else {
            // Standard input is never walked; an entry without a type is unreadable.
            col.error(
                Some(e.path().display().to_string()),
                "cannot determine file type".into(),
            );
            return;
        };
        if ft.is_dir() {
            return;
        }
        if ft.is_symlink() {
            if std::fs::metadata(e.path()).is_err() {
                let target = std::fs::read_link(e.path())
                    .map(|t| t.display().to_string())
                    .unwrap_or_else(|_| "?".into());
                col.error(
                    Some(rel.to_string()),
                    format!("broken symbolic link (to {target})"),
                );
            } else {
                col.skip(SkipReason::Symlink);
            }
            return;
        }
        if !ft.is_file() {
            // FIFOs, sockets and devices are not files to scan; reading one could block forever.
            col.skip(SkipReason::Binary);
            return;
        }
        let ctx = Context {
            path: rel,
            commit: None,
        };
        let mut found = self.path_findings(&ctx, None);
        let size = e.metadata().map(|m| m.len()).unwrap_or(0);
        if size > self.opts.max_file_size {
            col.skip(SkipReason::TooLarge);
            col.add(found);
            return;
        }
        buf.clear();
        let read = std::fs::File::open(e.path())
            .and_then(|f| f.take(self.opts.max_file_size + 1).read_to_end(buf));
        if let Err(err) = read {
            col.error(Some(rel.to_string()), format!("cannot read: {err}"));
            col.add(found);
            return;
        }
        if buf.len() as u64 > self.opts.max_file_size {
            col.skip(SkipReason::TooLarge);
            col.add(found);
            return;
        }
        progress(buf.len() as u64);
        if looks_binary(buf) {
            col.skip(SkipReason::Binary);
            col.add(found);
            return;
        }
        col.scanned.fetch_add(1, Ordering::Relaxed);
        col.bytes.fetch_add(buf.len() as u64, Ordering::Relaxed);
        let suppressed = self.scan_blob(&ctx, buf, None, &mut found);
        col.inline_suppressed
            .fetch_add(suppressed, Ordering::Relaxed);
        col.add(found);
    }

    /// Scans one in-memory input (standard input), named `name` in findings.
    pub fn scan_bytes(&self, name: &str, data: &[u8], baseline: Option<&Baseline>) -> ScanReport {
        let started = Instant::now();
        let mut report = self.new_report();
        let ctx = Context {
            path: name,
            commit: None,
        };
        let mut found = self.path_findings(&ctx, None);
        if looks_binary(data) {
            report.stats.skipped.insert(SkipReason::Binary, 1);
        } else {
            report.stats.scanned = 1;
            report.stats.bytes = data.len() as u64;
            report.stats.suppressed = self.scan_blob(&ctx, data, None, &mut found);
        }
        let cwd = std::env::current_dir().unwrap_or_default();
        let ignore = IgnoreFile::load(&project_root(&cwd)).unwrap_or_default();
        finish(&mut report, found, &[ignore], baseline, false);
        report.stats.duration_ms = started.elapsed().as_millis() as u64;
        report
    }

    /// Scans the git history of the repository at `repo`.
    pub fn scan_git(
        &self,
        repo: &Path,
        scope: &HistoryScope,
        baseline: Option<&Baseline>,
        progress: Progress<'_>,
    ) -> Result<ScanReport, SetupError> {
        let started = Instant::now();
        let col = Collector::default();
        let root = project_root(repo);
        let ignore = IgnoreFile::load(&root)?;
        let no_ignore = self.opts.no_ignore;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(self.threads())
            .build()
            .map_err(|e| SetupError::Read {
                path: repo.display().to_string(),
                message: format!("cannot start worker threads: {e}"),
            })?;
        let outcome = pool.install(|| {
            git::scan_history(&root, scope, self.opts.max_file_size, |item| {
                progress(item.data.len() as u64);
                if !no_ignore && ignore.ignores_path(item.path, false) {
                    col.skip(SkipReason::Ignored);
                    return;
                }
                let ctx = Context {
                    path: item.path,
                    commit: item.commit.map(|c| c.id.as_str()),
                };
                let mut found = self.path_findings(&ctx, item.commit);
                if looks_binary(item.data) {
                    col.skip(SkipReason::Binary);
                    col.add(found);
                    return;
                }
                col.scanned.fetch_add(1, Ordering::Relaxed);
                col.bytes
                    .fetch_add(item.data.len() as u64, Ordering::Relaxed);
                let mut suppressed = self.scan_blob(&ctx, item.data, item.commit, &mut found);
                if let Some(prev) = item.previous {
                    // Staged changes: only secrets the change adds, not ones already committed.
                    let mut before = Vec::new();
                    suppressed += self.scan_blob(&ctx, prev, None, &mut before);
                    let old: BTreeSet<&Fingerprint> =
                        before.iter().map(|f| &f.fingerprint).collect();
                    found.retain(|f| !old.contains(&f.fingerprint));
                }
                col.inline_suppressed
                    .fetch_add(suppressed, Ordering::Relaxed);
                col.add(found);
            })
        })?;
        let (mut report, findings) = col.into_report(self.new_report());
        report.stats.commits = Some(outcome.commits);
        if outcome.skipped_too_large > 0 {
            *report
                .stats
                .skipped
                .entry(SkipReason::TooLarge)
                .or_default() += outcome.skipped_too_large;
        }
        report.errors.extend(outcome.errors);
        finish(&mut report, findings, &[ignore], baseline, false);
        report.stats.duration_ms = started.elapsed().as_millis() as u64;
        Ok(report)
    }

    fn path_findings(&self, ctx: &Context<'_>, commit: Option<&CommitInfo>) -> Vec<Finding> {
        self.engine
            .path_findings(ctx)
            .into_iter()
            .map(|ri| {
                let rule = &self.engine.rule(ri).meta;
                let location = Location {
                    path: Some(ctx.path.to_string()),
                    commit: commit.cloned(),
                    ..Location::default()
                };
                let fingerprint = Fingerprint::from_parts(["secrets", &rule.id, ctx.path, ""]);
                let message = format!("{} committed: {}", rule.title, ctx.path);
                rule_finding(rule, message, location, fingerprint)
            })
            .collect()
    }

    /// Runs the engine (and the base64 decoders) on one text, appending findings. Returns how many
    /// candidates inline comments silenced.
    fn scan_blob(
        &self,
        ctx: &Context<'_>,
        data: &[u8],
        commit: Option<&CommitInfo>,
        out: &mut Vec<Finding>,
    ) -> u64 {
        let (mut cands, carrier) = self.engine.scan_marked(ctx, data);
        if carrier {
            let decoded = decode::decode_values(data);
            // What a decoded value holds is reported once, from its decoded form.
            cands.retain(|c| {
                !decoded
                    .iter()
                    .any(|d| c.mask.start < d.encoded.end && d.encoded.start < c.mask.end)
            });
            for d in decoded {
                for c in self.engine.scan(ctx, &d.text) {
                    if c.mask.start < d.value_offset {
                        continue; // matched only the key name
                    }
                    cands.push(Candidate {
                        rule: c.rule,
                        range: d.encoded.clone(),
                        mask: d.encoded.clone(),
                        secret: c.secret,
                        decoded: Some("base64"),
                    });
                }
            }
            cands.sort_by_key(|c| (c.range.start, c.rule));
        }
        let mut suppressed = 0;
        let masks: Vec<std::ops::Range<usize>> = cands.iter().map(|c| c.mask.clone()).collect();
        let mut lines = LineIndex::default();
        for c in &cands {
            let bounds = line_bounds(data, c.range.start, c.range.end);
            if inline_allowed(&data[bounds.clone()]) {
                suppressed += 1;
                continue;
            }
            out.push(self.finding(ctx, data, c, &bounds, &masks, commit, &mut lines));
        }
        suppressed
    }

    #[allow(clippy::too_many_arguments)]
    fn finding(
        &self,
        ctx: &Context<'_>,
        data: &[u8],
        c: &Candidate,
        bounds: &std::ops::Range<usize>,
        masks: &[std::ops::Range<usize>],
        commit: Option<&CommitInfo>,
        lines: &mut LineIndex,
    ) -> Finding {
        let rule = &self.engine.rule(c.rule).meta;
        let secret = String::from_utf8_lossy(&c.secret).into_owned();
        let masked = mask_secret(&secret);
        // The location is the secret itself (or the encoded value it was decoded from), so that
        // editors and code scanning highlight the value rather than its whole assignment.
        let (sl, sc) = lines.position(data, c.mask.start);
        let (el, ec) = lines.position(data, c.mask.end);
        let mut properties = std::collections::BTreeMap::new();
        if let Some(enc) = c.decoded {
            properties.insert("decoded".to_string(), serde_json::Value::from(enc));
        }
        let message = match c.decoded {
            Some(enc) => format!("{} `{masked}` (decoded from {enc})", rule.title),
            None => format!("{} `{masked}`", rule.title),
        };
        let location = Location {
            path: Some(ctx.path.to_string()),
            start_line: sl,
            start_column: sc,
            end_line: el,
            end_column: ec,
            commit: commit.cloned(),
            host: None,
            port: None,
        };
        let fingerprint = Fingerprint::from_parts([
            "secrets".as_bytes(),
            rule.id.as_bytes(),
            ctx.path.as_bytes(),
            &c.secret,
        ]);
        Finding {
            evidence: Evidence {
                snippet: Some(snippet(data, c, bounds, masks)),
                secret: Some(SecretValue {
                    sha256: secret_sha256(&c.secret),
                    length: secret.chars().count(),
                    plain: self.opts.show_secrets.then(|| secret.clone()),
                    masked,
                }),
            },
            properties,
            ..rule_finding(rule, message, location, fingerprint)
        }
    }
}

/// A finding of `rule` with no evidence yet.
fn rule_finding(
    rule: &gatehouse_core::RuleMeta,
    message: String,
    location: Location,
    fingerprint: Fingerprint,
) -> Finding {
    Finding {
        rule_id: rule.id.clone(),
        scanner: ScannerKind::Secrets,
        severity: rule.severity,
        confidence: rule.confidence,
        title: rule.title.clone(),
        message,
        location,
        cwe: rule.cwe.clone(),
        ids: Vec::new(),
        evidence: Evidence::default(),
        remediation: Some(rule.remediation.clone()).filter(|r| !r.is_empty()),
        fix: None,
        fingerprint,
        properties: Default::default(),
    }
}

/// Turns 0-based byte offsets into 1-based line and column (in characters), counting forward from
/// the last position asked, since candidates come in order.
#[derive(Default)]
struct LineIndex {
    offset: usize,
    line: u32,
    line_start: usize,
}

impl LineIndex {
    fn position(&mut self, data: &[u8], offset: usize) -> (u32, u32) {
        let offset = offset.min(data.len());
        if offset < self.offset || self.line == 0 {
            *self = LineIndex {
                offset: 0,
                line: 1,
                line_start: 0,
            };
        }
        for p in memchr::memchr_iter(b'\n', &data[self.offset..offset]) {
            self.line += 1;
            self.line_start = self.offset + p + 1;
        }
        self.offset = offset;
        let col = String::from_utf8_lossy(&data[self.line_start..offset])
            .chars()
            .count() as u32
            + 1;
        (self.line, col)
    }
}

/// The first line of the match with every secret on it masked, trimmed around the secret.
fn snippet(
    data: &[u8],
    c: &Candidate,
    bounds: &std::ops::Range<usize>,
    masks: &[std::ops::Range<usize>],
) -> String {
    let line_end = memchr::memchr(b'\n', &data[bounds.start..bounds.end])
        .map_or(bounds.end, |p| bounds.start + p);
    let line = bounds.start..line_end;
    let mut out = String::new();
    let mut at = line.start;
    let mut ranges: Vec<&std::ops::Range<usize>> = masks
        .iter()
        .filter(|m| m.start < line.end && m.end > line.start)
        .collect();
    ranges.sort_by_key(|m| m.start);
    for m in ranges {
        if m.start < at {
            continue;
        }
        out.push_str(&String::from_utf8_lossy(&data[at..m.start]));
        let hidden = if *m == c.mask {
            mask_secret(&String::from_utf8_lossy(&c.secret))
        } else {
            mask_secret(&String::from_utf8_lossy(&data[m.clone()]))
        };
        out.push_str(&hidden);
        at = m.end.min(line.end).max(at);
        if m.end > line.end {
            at = line.end;
        }
    }
    if at < line.end {
        out.push_str(&String::from_utf8_lossy(&data[at..line.end]));
    }
    let out = out.trim_end_matches('\r');
    trim_around(
        out,
        mask_secret(&String::from_utf8_lossy(&c.secret)).as_str(),
    )
}

fn trim_around(line: &str, masked: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let Some(pos) = line.find(masked).map(|b| line[..b].chars().count()) else {
        return chars
            .iter()
            .take(2 * SNIPPET_CONTEXT)
            .collect::<String>()
            .trim()
            .to_string();
    };
    let mlen = masked.chars().count();
    let from = pos.saturating_sub(SNIPPET_CONTEXT);
    let to = (pos + mlen + SNIPPET_CONTEXT).min(chars.len());
    let mut s: String = chars[from..to].iter().collect();
    if from > 0 {
        s.insert(0, '…');
    }
    if to < chars.len() {
        s.push('…');
    }
    s.trim().to_string()
}

/// Applies fingerprint ignores and the baseline, records stale entries, and sorts the report.
fn finish(
    report: &mut ScanReport,
    findings: Vec<Finding>,
    ignores: &[IgnoreFile],
    baseline: Option<&Baseline>,
    judge_paths: bool,
) {
    let seen: BTreeSet<Fingerprint> = findings.iter().map(|f| f.fingerprint.clone()).collect();
    let before = findings.len();
    report.findings = findings
        .into_iter()
        .filter(|f| {
            !ignores
                .iter()
                .any(|i| i.ignores_fingerprint(&f.fingerprint))
                && !baseline.is_some_and(|b| b.contains(&f.fingerprint))
        })
        .collect();
    report.stats.suppressed += (before - report.findings.len()) as u64;
    for i in ignores {
        report.stale.extend(i.stale(&seen, judge_paths));
    }
    if let Some(b) = baseline {
        report.stale.extend(b.stale(&seen));
    }
    report.stale.dedup();
    report.sort();
    report.errors.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_characters() {
        let data = "ab\nçd x\n".as_bytes();
        let mut li = LineIndex::default();
        let x = data.iter().position(|&b| b == b'x').unwrap();
        assert_eq!(li.position(data, 1), (1, 2));
        assert_eq!(li.position(data, x), (2, 4));
        assert_eq!(li.position(data, 0), (1, 1));
    }

    #[test]
    fn snippets_trim_long_lines() {
        let s = trim_around(&format!("{}KEY{}", "a".repeat(200), "b".repeat(200)), "KEY");
        assert!(s.starts_with('…') && s.ends_with('…'));
        assert_eq!(s.chars().count(), 80 + 3 + 80 + 2);
    }
}
