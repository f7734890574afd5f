//! Matching manifests against advisories: one finding per vulnerability, package and manifest,
//! with policy (ignores with expiry, VEX) applied and every gap in coverage reported.
//!
//! For each package: the advisories for its ecosystem and normalised name are fetched from an
//! [`AdvisorySource`]; those that affect the installed version are grouped by shared ids and
//! aliases (a PYSEC record and the GHSA record of the same CVE are one vulnerability); each group
//! becomes one [`Finding`]. The severity is computed from the group's CVSS vectors (the highest
//! base score; v4 preferred over v3 over v2 within one record), else the database's own rating.
//! The fix is the smallest version above the installed one that none of the package's
//! advisories affects.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use gatehouse_core::{
    Confidence, CoverageGap, Finding, Fingerprint, Location, RuleMeta, ScanError, ScanReport,
    ScanWarning, ScannerKind, Severity, StaleEntry,
};
use jiff::civil::Date;
use jiff::Timestamp;
use rayon::prelude::*;
use serde_json::{json, Value};

use crate::advisory::matcher::{self, Candidate, Matcher};
use crate::advisory::osv::Notice;
use crate::advisory::store::{Database, Hit};
use crate::cvss::{self, CvssVersion};
use crate::sbom::vex::{self, VexStatement};
use crate::sbom::{SbomCvss, SbomVulnerability, VexAnalysis, VexResponse, VexStatus};
use crate::version::Scheme;
use crate::{Ecosystem, Manifest, Package, SourceKind};

/// How much advisory data there is for one ecosystem, and how recent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Coverage {
    pub advisories: u64,
    /// When the data was current: the newest `modified` of the records of the sources that
    /// carry the ecosystem, or when those sources were last imported if their records carry no
    /// usable dates (some databases publish placeholder dates).
    pub as_of: Option<Timestamp>,
}

/// The coverage of `ecosystem` in `db`; `None` when it has no advisories for it.
pub fn coverage(db: &Database, ecosystem: Ecosystem) -> Option<Coverage> {
    let meta = db.metadata();
    let advisories = *meta.ecosystems.get(ecosystem.as_str())? as u64;
    if advisories == 0 {
        return None;
    }
    // Records dated before this are placeholders, not dates.
    let plausible = |t: &Timestamp| t.as_second() > 946_684_800; // 2000-01-01
    let as_of = meta
        .sources
        .iter()
        .filter(|s| s.ecosystems.get(ecosystem.as_str()).is_some_and(|&n| n > 0))
        .filter_map(|s| {
            s.newest_modified
                .as_deref()
                .and_then(|m| m.parse::<Timestamp>().ok())
                .filter(plausible)
                .or_else(|| s.updated_at.parse::<Timestamp>().ok())
        })
        .max();
    Some(Coverage { advisories, as_of })
}

/// An `[[deps.ignore]]` entry of the project configuration.
#[derive(Debug, Clone)]
pub struct Ignore {
    /// An advisory id or one of its aliases.
    pub id: String,
    pub package: Option<String>,
    pub reason: String,
    /// The last day it applies.
    pub expires: Option<Date>,
    /// Where it is written (`gatehouse.toml`) and on which line.
    pub source: String,
    pub line: u32,
}

/// What [`audit`] needs besides the manifests and the advisories.
#[derive(Debug, Clone)]
pub struct Policy {
    pub ignores: Vec<Ignore>,
    /// Statements of every VEX document given; the most recent applicable one decides.
    pub vex: Vec<VexStatement>,
    /// Data older than this is out of date: its packages are reported as not checked.
    pub max_age_days: u32,
    /// "Now", for ages and expiry dates.
    pub now: Timestamp,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            ignores: Vec::new(),
            vex: Vec::new(),
            max_age_days: DEFAULT_MAX_AGE_DAYS,
            now: Timestamp::now(),
        }
    }
}

/// How old advisory data may be by default, in days.
pub const DEFAULT_MAX_AGE_DAYS: u32 = 7;

/// A vulnerability a VEX statement or an ignore took out of the findings, for SBOMs and reports
/// that show them as such.
#[derive(Debug, Clone)]
pub struct Suppressed {
    pub finding: Finding,
    /// `not_affected` and the like for VEX; `ignored` for configuration ignores.
    pub status: String,
    pub justification: Option<String>,
    pub detail: Option<String>,
    pub source: String,
}

/// The result of [`audit`]: the report, and the matched vulnerabilities that were suppressed.
#[derive(Debug, Default)]
pub struct Audit {
    pub report: ScanReport,
    pub suppressed: Vec<Suppressed>,
    /// The advisories of every reported or suppressed finding, by the finding's rule id.
    pub advisories: BTreeMap<String, Vec<Arc<Notice>>>,
}

/// One package occurrence to check.
struct Item<'a> {
    manifest: &'a Manifest,
    package: &'a Package,
}

/// A matched vulnerability of one package occurrence, before policy.
struct Matched {
    finding: Finding,
    ids: BTreeSet<String>,
    advisories: Vec<Arc<Notice>>,
    ecosystem: Ecosystem,
    package_name: String,
    purl: String,
}

/// Matches every package of `manifests` against `db` under `policy`. `db` is `Err(reason)` when
/// there is no usable database: every package is then a coverage gap for that reason. The
/// report's findings, rules, gaps, warnings and stale entries are filled; stats are left to the
/// caller except `packages` and `suppressed`.
pub fn audit(manifests: &[Manifest], db: Result<&Database, &str>, policy: &Policy) -> Audit {
    let mut out = Audit::default();
    let report = &mut out.report;

    let mut items = Vec::new();
    let mut per_ecosystem: BTreeMap<Ecosystem, u64> = BTreeMap::new();
    for m in manifests {
        for w in &m.warnings {
            report.warnings.push(ScanWarning {
                path: Some(m.path.clone()),
                line: w.line,
                message: w.message.clone(),
            });
        }
        let mut unregistered = 0u64;
        for p in &m.packages {
            match p.source {
                SourceKind::Registry => {
                    *per_ecosystem.entry(p.ecosystem).or_default() += 1;
                    items.push(Item {
                        manifest: m,
                        package: p,
                    });
                }
                // The project's own members are not dependencies to look up.
                SourceKind::Path => {}
                SourceKind::Git | SourceKind::Other => unregistered += 1,
            }
        }
        if unregistered > 0 {
            report.warnings.push(ScanWarning {
                path: Some(m.path.clone()),
                line: None,
                message: format!(
                    "{unregistered} dependencies come from git or a URL rather than a registry; \
                     registry advisories do not apply to them and they were not checked"
                ),
            });
        }
    }
    report.stats.packages = Some(items.len() as u64);

    // Coverage: an ecosystem without data, or with data older than the limit, is a gap.
    let max_age = jiff::SignedDuration::from_hours(i64::from(policy.max_age_days) * 24);
    let db = match db {
        Ok(db) => db,
        Err(reason) => {
            for (&eco, &count) in &per_ecosystem {
                report.gaps.push(CoverageGap {
                    scope: format!("{eco} packages"),
                    count,
                    reason: reason.to_string(),
                });
            }
            finish_stale(report, &policy.ignores, &vec![false; policy.ignores.len()]);
            report.sort();
            return out;
        }
    };
    for (&eco, &count) in &per_ecosystem {
        match coverage(db, eco) {
            None => report.gaps.push(CoverageGap {
                scope: format!("{eco} packages"),
                count,
                reason: format!(
                    "the advisory database has no {eco} advisories (import or update it: \
                     `gatehouse db import`, `gatehouse db update`)"
                ),
            }),
            Some(c) => {
                if let Some(as_of) = c.as_of {
                    let age = policy.now.duration_since(as_of);
                    if age > max_age {
                        let days = age.as_secs() / 86_400;
                        report.gaps.push(CoverageGap {
                            scope: format!("{eco} packages"),
                            count,
                            reason: format!(
                                "the {eco} advisory data is {days} days old, over the limit of {} \
                                 days (update the database, or raise `[deps] max-db-age-days` / \
                                 --max-db-age); they were matched against the old data",
                                policy.max_age_days
                            ),
                        });
                    }
                }
            }
        }
    }

    // Matching: each package name is looked up once and each of its versions checked once,
    // in parallel over names; then one finding per manifest, package and vulnerability.
    let mut by_name: HashMap<(Ecosystem, String), Vec<usize>> = HashMap::new();
    for (i, it) in items.iter().enumerate() {
        let p = it.package;
        by_name
            .entry((p.ecosystem, p.ecosystem.normalize_name(&p.name)))
            .or_default()
            .push(i);
    }
    let mut names: Vec<NameGroup> = by_name
        .into_iter()
        .map(|((ecosystem, name), items)| NameGroup {
            ecosystem,
            name,
            items,
        })
        .collect();
    names.sort_by_key(|g| g.items[0]);
    let results: Vec<NameMatches<'_>> = names
        .par_iter()
        .map(|g| match_name(&items, g, db))
        .collect();
    let mut pending: BTreeMap<(String, &str, &str, &str), Pending<'_, '_>> = BTreeMap::new();
    for (g, r) in names.iter().zip(&results) {
        for (i, e) in &r.errors {
            report.errors.push(error_at(&items[*i], e.clone()));
        }
        for &(i, v) in &r.items {
            let it = &items[i];
            let vm = &r.versions[v];
            let path = it.path();
            for group in &vm.groups {
                let primary = r.hits[group[0]].candidate.id;
                let key = (path.clone(), g.ecosystem.as_str(), g.name.as_str(), primary);
                let entry = pending.entry(key).or_insert_with(|| Pending {
                    item: i,
                    matches: r,
                    path: path.clone(),
                    versions: Vec::new(),
                    fix: Some(vm.fix.clone()),
                    hits: BTreeSet::new(),
                });
                // A second version of the same package in one manifest joins the first: the
                // finding lists both, and its fix must fix both.
                let version = it.package.version.as_str();
                if !entry.versions.contains(&version) {
                    entry.versions.push(version);
                    entry.fix = merge_fix(g.ecosystem, entry.fix.take(), &vm.fix);
                }
                entry.hits.extend(group.iter().copied());
            }
        }
    }
    // Only the advisories that match are read in full, each once.
    let mut docs: Vec<&Hit<'_>> = pending
        .values()
        .flat_map(|p| p.hits.iter().map(|&h| &p.matches.hits[h]))
        .collect();
    docs.sort_by_key(|h| h.doc_id());
    docs.dedup_by_key(|h| h.doc_id());
    let parsed: HashMap<u32, Result<Arc<Notice>, String>> = docs
        .par_iter()
        .map(|h| {
            let a = db.notice(h).map(Arc::new).map_err(|e| e.to_string());
            (h.doc_id(), a)
        })
        .collect();
    let built: Vec<(Option<Matched>, Vec<ScanError>)> = pending
        .into_values()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|p| build_pending(&items, p, &parsed))
        .collect();
    let mut matched: Vec<Matched> = Vec::with_capacity(built.len());
    for (m, errs) in built {
        report.errors.extend(errs);
        matched.extend(m);
    }

    // Policy: ignores (with expiry), then VEX.
    let today = policy.now.to_zoned(jiff::tz::TimeZone::UTC).date();
    let mut used = vec![false; policy.ignores.len()];
    let mut expired_reported = vec![false; policy.ignores.len()];
    for m in matched {
        let ignore = policy.ignores.iter().enumerate().find(|(_, ig)| {
            m.ids.iter().any(|id| id.eq_ignore_ascii_case(&ig.id))
                && ig
                    .package
                    .as_deref()
                    .is_none_or(|p| same_package(m.ecosystem, p, &m.package_name))
        });
        if let Some((i, ig)) = ignore {
            used[i] = true;
            match ig.expires {
                Some(d) if d < today => {
                    if !expired_reported[i] {
                        expired_reported[i] = true;
                        report.warnings.push(ScanWarning {
                            path: Some(ig.source.clone()),
                            line: Some(ig.line),
                            message: format!(
                                "the ignore of {} expired on {d} and no longer applies (reason \
                                 given: {})",
                                ig.id, ig.reason
                            ),
                        });
                    }
                }
                _ => {
                    report.stats.suppressed += 1;
                    out.advisories
                        .insert(m.finding.rule_id.clone(), m.advisories.clone());
                    out.suppressed.push(Suppressed {
                        finding: m.finding,
                        status: "ignored".into(),
                        justification: None,
                        detail: Some(ig.reason.clone()),
                        source: format!("{}:{}", ig.source, ig.line),
                    });
                    continue;
                }
            }
        }
        let ids: Vec<String> = m.ids.iter().cloned().collect();
        if let Some(v) = vex::deciding(&policy.vex, &ids, &m.purl).filter(|v| v.status.suppresses())
        {
            report.stats.suppressed += 1;
            report.warnings.push(ScanWarning {
                path: m.finding.location.path.clone(),
                line: (m.finding.location.start_line > 0).then_some(m.finding.location.start_line),
                message: format!(
                    "{} in {}: {} according to {}{}",
                    m.finding.rule_id,
                    m.package_name,
                    v.status.as_str().replace('_', " "),
                    v.source.display(),
                    v.justification
                        .as_deref()
                        .map(|j| format!(" ({j})"))
                        .unwrap_or_default()
                ),
            });
            out.advisories
                .insert(m.finding.rule_id.clone(), m.advisories.clone());
            out.suppressed.push(Suppressed {
                finding: m.finding,
                status: v.status.as_str().to_string(),
                justification: v.justification.clone(),
                detail: v.detail.clone(),
                source: v.source.display().to_string(),
            });
            continue;
        }
        if !report.rules.contains_key(&m.finding.rule_id) {
            let rule = rule_meta(&m.finding, &m.advisories);
            report.rules.insert(rule.id.clone(), rule);
        }
        out.advisories
            .insert(m.finding.rule_id.clone(), m.advisories.clone());
        report.findings.push(m.finding);
    }
    finish_stale(report, &policy.ignores, &used);
    report.sort();
    out
}

/// Ignore entries that suppressed nothing are stale.
fn finish_stale(report: &mut ScanReport, ignores: &[Ignore], used: &[bool]) {
    for (ig, _) in ignores.iter().zip(used).filter(|(_, &u)| !u) {
        report.stale.push(StaleEntry {
            source: ig.source.clone(),
            line: Some(ig.line),
            entry: match &ig.package {
                Some(p) => format!("ignore {} for {p}", ig.id),
                None => format!("ignore {}", ig.id),
            },
        });
    }
}

impl Audit {
    /// The vulnerabilities of this audit as an SBOM reports them: every finding, and every
    /// suppressed match with its analysis (a VEX statement of its own).
    pub fn sbom_vulnerabilities(&self) -> Vec<SbomVulnerability> {
        let mut out: BTreeMap<String, SbomVulnerability> = BTreeMap::new();
        let findings = self
            .report
            .findings
            .iter()
            .map(|f| (f, None))
            .chain(self.suppressed.iter().map(|s| (&s.finding, Some(s))));
        for (f, suppressed) in findings {
            let purl = f
                .properties
                .get("purl")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let analysis = suppressed.map(|s| VexAnalysis {
                state: VexStatus::from_openvex(&s.status)
                    .or_else(|| VexStatus::from_cyclonedx(&s.status))
                    // A configuration ignore is an accepted risk: exploitable, will not fix.
                    .unwrap_or(VexStatus::Affected),
                justification: s.justification.clone(),
                response: if s.status == "ignored" {
                    vec![VexResponse::WillNotFix]
                } else {
                    Vec::new()
                },
                detail: Some(match &s.detail {
                    Some(d) => format!("{d} ({})", s.source),
                    None => s.source.clone(),
                }),
            });
            // One entry per vulnerability and triage state; affected packages accumulate.
            let key = format!(
                "{}\0{}",
                f.rule_id,
                analysis.as_ref().map(|a| a.state.as_str()).unwrap_or("")
            );
            let entry = out.entry(key).or_insert_with(|| {
                let advisories = self
                    .advisories
                    .get(&f.rule_id)
                    .map(Vec::as_slice)
                    .unwrap_or(&[]);
                let mut cvss = Vec::new();
                let mut references = Vec::new();
                for a in advisories {
                    for sev in a.severity.iter().filter(|s| s.kind.starts_with("CVSS")) {
                        if !cvss.iter().any(|c: &SbomCvss| c.vector == sev.score) {
                            cvss.push(SbomCvss {
                                vector: sev.score.clone(),
                                score: cvss::parse(&sev.score).ok().map(|c| c.base_score),
                            });
                        }
                    }
                    for r in &a.references {
                        if !references.contains(&r.url) {
                            references.push(r.url.clone());
                        }
                    }
                }
                SbomVulnerability {
                    id: f.rule_id.clone(),
                    aliases: f.ids.clone(),
                    source_name: None,
                    source_url: None,
                    summary: advisories.iter().find_map(|a| a.summary.clone()),
                    details: advisories.iter().find_map(|a| a.details.clone()),
                    cvss,
                    severity: Some(f.severity),
                    cwes: f.cwe.clone(),
                    affects: Vec::new(),
                    fixed_version: f.fix.clone(),
                    references,
                    analysis,
                }
            });
            if !purl.is_empty() && !entry.affects.contains(&purl) {
                entry.affects.push(purl);
            }
        }
        out.into_values().collect()
    }
}

fn same_package(eco: Ecosystem, a: &str, b: &str) -> bool {
    eco.normalize_name(a) == eco.normalize_name(b)
}

/// The package occurrences of one ecosystem and normalised name.
struct NameGroup {
    ecosystem: Ecosystem,
    name: String,
    /// Indices into the audit's items, in manifest order.
    items: Vec<usize>,
}

/// What matching found for one [`NameGroup`].
struct NameMatches<'db> {
    /// Every advisory of the name.
    hits: Vec<Hit<'db>>,
    /// One entry per distinct version.
    versions: Vec<VersionMatch>,
    /// (item, index into `versions`) for each occurrence with at least one match.
    items: Vec<(usize, usize)>,
    /// (item, message) for lookups and comparisons that failed.
    errors: Vec<(usize, String)>,
}

/// The advisories that affect one version, grouped by alias (indices into
/// [`NameMatches::hits`], the primary record first), and the version's fix.
struct VersionMatch {
    groups: Vec<Vec<usize>>,
    fix: Option<String>,
}

/// One finding in the making: a vulnerability of one package in one manifest.
struct Pending<'a, 'db> {
    /// The first occurrence.
    item: usize,
    matches: &'a NameMatches<'db>,
    path: String,
    versions: Vec<&'a str>,
    /// `None` once a version without a known fix joined.
    fix: Option<Option<String>>,
    hits: BTreeSet<usize>,
}

impl Item<'_> {
    /// The manifest path a finding reports (the file the package was declared in, when the
    /// manifest includes others).
    fn path(&self) -> String {
        self.package
            .file
            .as_ref()
            .map(|f| gatehouse_walk::rel_string(f))
            .unwrap_or_else(|| self.manifest.path.clone())
    }
}

fn error_at(it: &Item<'_>, message: String) -> ScanError {
    let path = it.path();
    ScanError {
        path: Some(match it.package.line {
            Some(l) => format!("{path}:{l}"),
            None => path,
        }),
        message,
    }
}

/// The fix of two versions together: the greater of their fixes, or none if either has none.
fn merge_fix(
    ecosystem: Ecosystem,
    so_far: Option<Option<String>>,
    next: &Option<String>,
) -> Option<Option<String>> {
    let so_far = so_far?;
    let Some(next) = next else {
        return None;
    };
    match so_far {
        None => Some(Some(next.clone())),
        Some(f) => {
            let scheme = Scheme::for_ecosystem(ecosystem);
            if scheme.compare(next, &f) == Ok(std::cmp::Ordering::Greater) {
                Some(Some(next.clone()))
            } else {
                Some(Some(f))
            }
        }
    }
}

/// Looks the name up once and checks each distinct version of it once.
fn match_name<'db>(items: &[Item<'_>], g: &NameGroup, db: &'db Database) -> NameMatches<'db> {
    let mut out = NameMatches {
        hits: Vec::new(),
        versions: Vec::new(),
        items: Vec::new(),
        errors: Vec::new(),
    };
    let first = items[g.items[0]].package;
    out.hits = match db.lookup(g.ecosystem, &first.name) {
        Ok(h) => h,
        Err(e) => {
            for &i in &g.items {
                let p = items[i].package;
                out.errors.push((
                    i,
                    format!("{} {}: advisory lookup failed: {e}", p.name, p.version),
                ));
            }
            return out;
        }
    };
    if out.hits.is_empty() {
        return out;
    }
    let candidates: Vec<Candidate<'_>> = out
        .hits
        .iter()
        .filter(|h| !h.candidate.withdrawn)
        .map(|h| h.candidate.clone())
        .collect();
    // Per distinct version: index into `out.versions` (None: nothing matches).
    let mut seen: HashMap<&str, Option<usize>> = HashMap::new();
    for &i in &g.items {
        let p = items[i].package;
        let slot = match seen.get(p.version.as_str()) {
            Some(&slot) => slot,
            None => {
                let matcher = Matcher::new(g.ecosystem, &p.version);
                let mut affecting: Vec<usize> = Vec::new();
                for (k, h) in out.hits.iter().enumerate() {
                    match matcher.affects(&h.candidate) {
                        Ok(true) => affecting.push(k),
                        Ok(false) => {}
                        Err(e) => out.errors.push((
                            i,
                            format!(
                                "{} {}: not checked against {}: {e}",
                                p.name, p.version, h.candidate.id
                            ),
                        )),
                    }
                }
                let slot = if affecting.is_empty() {
                    None
                } else {
                    let fix = matcher::smallest_fix_among(&candidates, g.ecosystem, &p.version)
                        .ok()
                        .flatten();
                    let groups = group_by_alias(&out.hits, &affecting);
                    out.versions.push(VersionMatch { groups, fix });
                    Some(out.versions.len() - 1)
                };
                seen.insert(p.version.as_str(), slot);
                slot
            }
        };
        if let Some(v) = slot {
            out.items.push((i, v));
        }
    }
    out
}

/// The finding of one [`Pending`], from the full records of its advisories.
fn build_pending(
    items: &[Item<'_>],
    p: Pending<'_, '_>,
    parsed: &HashMap<u32, Result<Arc<Notice>, String>>,
) -> (Option<Matched>, Vec<ScanError>) {
    let it = &items[p.item];
    let mut errors = Vec::new();
    let mut group: Vec<&Arc<Notice>> = Vec::with_capacity(p.hits.len());
    for &h in &p.hits {
        let hit = &p.matches.hits[h];
        match parsed.get(&hit.doc_id()) {
            Some(Ok(a)) => group.push(a),
            Some(Err(e)) => errors.push(error_at(
                it,
                format!(
                    "{} {}: advisory {} could not be read: {e}",
                    it.package.name,
                    p.versions.join(", "),
                    hit.candidate.id
                ),
            )),
            None => {}
        }
    }
    if group.is_empty() {
        return (None, errors);
    }
    let fix = p.fix.flatten();
    let m = build(it.package, &p.versions, &p.path, group, fix.as_deref());
    (Some(m), errors)
}

/// Groups the advisories `which` (indices into `hits`) that share an id or alias
/// (transitively); each group is sorted so that the record that names it comes first.
fn group_by_alias(hits: &[Hit<'_>], which: &[usize]) -> Vec<Vec<usize>> {
    let n = which.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut owner: HashMap<&str, usize> = HashMap::new();
    for (i, &k) in which.iter().enumerate() {
        let c = &hits[k].candidate;
        for id in std::iter::once(&c.id).chain(&c.aliases) {
            match owner.get(id) {
                Some(&j) => {
                    let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
                    if ri != rj {
                        parent[ri] = rj;
                    }
                }
                None => {
                    owner.insert(id, i);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, &k) in which.iter().enumerate() {
        let r = find(&mut parent, i);
        groups.entry(r).or_default().push(k);
    }
    groups
        .into_values()
        .map(|mut g| {
            g.sort_by_key(|&k| {
                let id = hits[k].candidate.id;
                (id_rank(id), id)
            });
            g
        })
        .collect()
}

/// Which record id names a group: ecosystem databases' own ids first (RUSTSEC, PYSEC, GO, …,
/// which stay stable as more sources are imported), then GHSA, then CVE and the rest.
fn id_rank(id: &str) -> u8 {
    if id.starts_with("GHSA-") {
        1
    } else if id.starts_with("CVE-") {
        2
    } else {
        0
    }
}

/// The severity of one advisory from its vectors: v4 over v3 over v2; `None` without a usable
/// vector.
fn cvss_of(a: &Notice) -> Option<cvss::Cvss> {
    let vectors = a
        .severity
        .iter()
        .chain(a.affected.iter().flat_map(|af| af.severity.iter()))
        .filter(|s| s.kind.starts_with("CVSS"))
        .filter_map(|s| cvss::parse(&s.score).ok());
    vectors.max_by(|x, y| {
        x.version
            .cmp(&y.version)
            .then(x.base_score.total_cmp(&y.base_score))
    })
}

/// The database's own rating (`database_specific.severity`, as GHSA and others write it).
fn database_rating(a: &Notice) -> Option<Severity> {
    let label = a
        .database_specific
        .as_ref()
        .and_then(|d| d.get("severity"))
        .and_then(Value::as_str)
        .or_else(|| {
            a.affected.iter().find_map(|af| {
                af.ecosystem_specific
                    .as_ref()
                    .and_then(|e| e.get("severity"))
                    .and_then(Value::as_str)
            })
        })?;
    match label.trim().to_ascii_lowercase().as_str() {
        "critical" => Some(Severity::Critical),
        "high" | "important" => Some(Severity::High),
        "moderate" | "medium" => Some(Severity::Medium),
        "low" | "negligible" => Some(Severity::Low),
        _ => None,
    }
}

/// The finding of one vulnerability (a group of aliased advisories) of package `p`, installed in
/// `versions` (the first is `p`'s own) in the manifest at `path`.
fn build(
    p: &Package,
    versions: &[&str],
    path: &str,
    mut group: Vec<&Arc<Notice>>,
    fix: Option<&str>,
) -> Matched {
    group.sort_by(|a, b| (id_rank(&a.id), &a.id).cmp(&(id_rank(&b.id), &b.id)));
    let primary = group[0];
    let mut ids: BTreeSet<String> = BTreeSet::new();
    for a in &group {
        ids.insert(a.id.clone());
        ids.extend(a.aliases.iter().cloned());
    }
    let others: Vec<String> = ids.iter().filter(|i| **i != primary.id).cloned().collect();

    let informational = group.iter().find_map(|a| a.informational());
    let best = group
        .iter()
        .filter_map(|a| cvss_of(a))
        .max_by(|x, y| x.base_score.total_cmp(&y.base_score));
    let (severity, severity_source) = if let Some(kind) = informational {
        (Severity::Info, format!("informational ({kind})"))
    } else if let Some(c) = &best {
        (Severity::from(c.severity), format!("cvss {}", c.version))
    } else if let Some(s) = group.iter().filter_map(|a| database_rating(a)).max() {
        (s, "database".into())
    } else {
        // No rating at all: medium, and the report says so.
        (Severity::Medium, "unrated".into())
    };

    let summary = group
        .iter()
        .find_map(|a| a.summary.as_deref().filter(|s| !s.trim().is_empty()))
        .map(|s| s.trim().to_string())
        .or_else(|| {
            group.iter().find_map(|a| {
                a.details
                    .as_deref()
                    .and_then(|d| d.lines().map(str::trim).find(|l| !l.is_empty()))
                    .map(str::to_string)
            })
        })
        .unwrap_or_else(|| format!("{} vulnerability", primary.id));
    let version = versions.join(", ");
    let title = format!("{} {version}: {summary}", p.name);
    let also = if others.is_empty() {
        String::new()
    } else {
        format!(" ({})", others.join(", "))
    };
    let fix_text = match fix {
        Some(f) => format!("fixed in {f}"),
        None => "no fixed version is known".to_string(),
    };
    let what = match informational {
        Some(kind) => format!("has an informational advisory ({kind})"),
        None => "is affected by".to_string(),
    };
    let relation = match (p.direct, p.dev) {
        (Some(true), Some(true)) => " (direct, development)",
        (Some(true), _) => " (direct)",
        (Some(false), Some(true)) => " (transitive, development)",
        (Some(false), _) => " (transitive)",
        (None, Some(true)) => " (development)",
        (None, _) => "",
    };
    let message = format!(
        "{} {version}{relation} {what} {}{also}; {fix_text}",
        p.name, primary.id
    );
    let remediation = match fix {
        Some(f) => format!("Upgrade {} to {f} or later.", p.name),
        None => format!(
            "No release of {} fixes this yet: remove or replace the dependency, or record a \
             risk acceptance.",
            p.name
        ),
    };
    let purl = p.purl();
    let mut props = BTreeMap::new();
    props.insert("ecosystem".to_string(), json!(p.ecosystem.as_str()));
    props.insert("package".to_string(), json!(p.name));
    props.insert("version".to_string(), json!(p.version));
    props.insert("versions".to_string(), json!(versions));
    props.insert("purl".to_string(), json!(purl));
    if let Some(d) = p.direct {
        props.insert("direct".to_string(), json!(d));
    }
    if let Some(d) = p.dev {
        props.insert("dev".to_string(), json!(d));
    }
    props.insert(
        "advisories".to_string(),
        json!(group.iter().map(|a| a.id.as_str()).collect::<Vec<_>>()),
    );
    props.insert("severity_source".to_string(), json!(severity_source));
    if let Some(c) = &best {
        props.insert(
            "cvss".to_string(),
            json!({"version": c.version.as_str(), "vector": c.vector, "score": c.base_score}),
        );
    }
    if let Some(kind) = informational {
        props.insert("informational".to_string(), json!(kind));
    }
    let cwe: BTreeSet<String> = group
        .iter()
        .filter_map(|a| a.database_specific.as_ref())
        .filter_map(|d| d.get("cwe_ids").and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    let finding = Finding {
        rule_id: primary.id.clone(),
        scanner: ScannerKind::Dependencies,
        severity,
        confidence: Confidence::High,
        title,
        message,
        location: Location {
            path: Some(path.to_string()),
            start_line: p.line.unwrap_or(0),
            ..Location::default()
        },
        cwe: cwe.into_iter().collect(),
        ids: others,
        evidence: Default::default(),
        remediation: Some(remediation),
        fix: fix.map(str::to_string),
        fingerprint: Fingerprint::from_parts([
            p.ecosystem.as_str(),
            &p.ecosystem.normalize_name(&p.name),
            &primary.id,
            path,
        ]),
        properties: props,
    };
    Matched {
        finding,
        ids,
        advisories: group.into_iter().cloned().collect(),
        ecosystem: p.ecosystem,
        package_name: p.name.clone(),
        purl,
    }
}

/// The rule metadata of a vulnerability, for SARIF and the JSON format's `rules`.
fn rule_meta(f: &Finding, group: &[Arc<Notice>]) -> RuleMeta {
    let summary = group
        .iter()
        .find_map(|a| a.summary.as_deref().filter(|s| !s.trim().is_empty()))
        .unwrap_or(&f.rule_id)
        .trim()
        .to_string();
    let description = group
        .iter()
        .find_map(|a| a.details.as_deref().filter(|s| !s.trim().is_empty()))
        .unwrap_or(&summary)
        .trim()
        .to_string();
    let mut references: Vec<String> = Vec::new();
    for a in group {
        for r in &a.references {
            if !references.contains(&r.url) {
                references.push(r.url.clone());
            }
        }
    }
    references.truncate(10);
    let mut tags = vec!["dependency".to_string(), "vulnerability".to_string()];
    if let Some(CvssVersion::V4_0) = group
        .iter()
        .filter_map(|a| cvss_of(a))
        .map(|c| c.version)
        .max()
    {
        tags.push("cvss-v4".into());
    }
    RuleMeta {
        id: f.rule_id.clone(),
        title: summary,
        description,
        remediation: "Upgrade the package to a version that fixes the vulnerability (see each \
                      finding's fix), or replace it."
            .into(),
        severity: f.severity,
        confidence: Confidence::High,
        scanner: ScannerKind::Dependencies,
        cwe: f.cwe.clone(),
        references,
        tags,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_rank_ecosystem_databases_first() {
        let mut ids = ["CVE-2020-1", "GHSA-aaaa-bbbb-cccc", "RUSTSEC-2020-0001"];
        ids.sort_by_key(|i| (id_rank(i), *i));
        assert_eq!(ids[0], "RUSTSEC-2020-0001");
        assert_eq!(ids[2], "CVE-2020-1");
    }
}
