//! The scan, in order:
//!
//! 1. **Files.** The walk is every scanner's ([`gatehouse_walk`]). A file is a candidate by
//!    its name ([`input::guess`]); YAML that is not named as compose or CI is read when it looks
//!    like Kubernetes manifests, JSON when it looks like a Terraform plan. Local `include:`s of
//!    GitLab CI files are read as GitLab CI.
//! 2. **Parse once.** Each file is read and parsed once, in parallel: Dockerfiles on their own,
//!    YAML streams into resources, and Terraform per directory (a module: `variable` defaults,
//!    `*.tfvars` and `locals` are resolved across its files). Invalid input is an error naming
//!    the file and line; unrendered templating, unknown resource types and Dockerfile oddities
//!    are warnings; the rest of the scan goes on.
//! 3. **Checks.** Every check for the file's input runs on the parsed file, in parallel over
//!    files: data checks per resource of their types, logic checks on the whole file (with its
//!    Terraform module, and facts about the whole scan such as which namespaces have network
//!    policies). A finding on a line with a `gatehouse:ignore` comment is counted as
//!    suppressed.
//! 4. **Findings** carry the file, line, resource address and attribute; the fingerprint is the
//!    check, the project-relative path, the address and the attribute path (plus an occurrence
//!    number among equal ones), so it survives line moves.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

use gatehouse_core::{
    Evidence, Finding, Fingerprint, Location, ScanError, ScanReport, ScanWarning, ScannerKind,
    SkipReason,
};
use gatehouse_walk::WalkOptions;
use rayon::prelude::*;

use crate::check::{Check, CheckBody, CheckSet};
use crate::input::{self, docker, hcl, yaml, Kind, NameGuess, ParsedFile, Resource};
use crate::logic::{Ctx, Facts, Hit};
use crate::suppress::Lines;

/// How a scan treats files and threads.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Files larger than this are skipped (and counted, with a warning).
    pub max_file_size: u64,
    pub no_ignore: bool,
    pub follow_links: bool,
    /// Worker threads; 0 means one per CPU.
    pub threads: usize,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            max_file_size: 4 << 20,
            no_ignore: false,
            follow_links: false,
            threads: 0,
        }
    }
}

/// Runs a [`CheckSet`] over files.
pub struct Scanner {
    checks: CheckSet,
    opts: ScanOptions,
}

/// A file read from disk (or given in memory), not parsed yet.
struct Source {
    rel: String,
    guess: NameGuess,
    text: String,
}

/// What one unit (a file, or a Terraform directory) produced.
#[derive(Default)]
struct Parsed {
    files: Vec<ParsedFile>,
    /// Terraform: the module's resources, shared by its files.
    module: Option<Vec<Resource>>,
    errors: Vec<ScanError>,
    warnings: Vec<ScanWarning>,
}

#[derive(Default)]
struct Checked {
    findings: Vec<Finding>,
    suppressed: u64,
}

/// Terraform providers with checks; resources of the utility providers are known to be
/// harmless and not reported as unknown.
const PROVIDERS: [&str; 5] = ["aws", "azurerm", "google", "alicloud", "tencentcloud"];
const UTILITY_PROVIDERS: [&str; 11] = [
    "random",
    "null",
    "local",
    "tls",
    "time",
    "template",
    "archive",
    "external",
    "http",
    "terraform",
    "cloudinit",
];

/// Kubernetes kinds the checks know (others, such as custom resources, are named in a warning).
const KNOWN_KINDS: [&str; 30] = [
    "Pod",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
    "Service",
    "Ingress",
    "NetworkPolicy",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ServiceAccount",
    "ConfigMap",
    "Secret",
    "Namespace",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "StorageClass",
    "HorizontalPodAutoscaler",
    "PodDisruptionBudget",
    "LimitRange",
    "ResourceQuota",
    "CustomResourceDefinition",
    "PriorityClass",
    "IngressClass",
    "Kustomization",
];

impl Scanner {
    pub fn new(checks: CheckSet, opts: ScanOptions) -> Scanner {
        Scanner { checks, opts }
    }

    pub fn checks(&self) -> &CheckSet {
        &self.checks
    }

    fn threads(&self) -> usize {
        WalkOptions {
            threads: self.opts.threads,
            ..WalkOptions::default()
        }
        .thread_count()
    }

    fn report(&self) -> ScanReport {
        ScanReport {
            tool: "gatehouse".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            rules: self
                .checks
                .checks()
                .iter()
                .map(|c| (c.id.clone(), c.meta()))
                .collect(),
            ..ScanReport::default()
        }
    }

    /// Scans files and directories.
    pub fn scan_paths(&self, roots: &[PathBuf]) -> ScanReport {
        let started = Instant::now();
        let mut report = self.report();
        let (candidates, errors, skipped) = self.collect(roots);
        report.errors.extend(errors);
        for (reason, n) in skipped {
            *report.stats.skipped.entry(reason).or_default() += n;
        }
        let max = self.opts.max_file_size;
        let read: Vec<Result<Source, ReadFailure>> = self.pool(|| {
            candidates
                .par_iter()
                .map(|(path, rel, guess, size)| read_source(path, rel, *guess, *size, max))
                .collect()
        });
        let mut sources = Vec::new();
        for r in read {
            match r {
                Ok(s) => sources.push(s),
                Err((skip, error, warning)) => {
                    if let Some(s) = skip {
                        *report.stats.skipped.entry(s).or_default() += 1;
                    }
                    report.errors.extend(error);
                    report.warnings.extend(warning);
                }
            }
        }
        self.run(sources, &mut report);
        report.stats.duration_ms = started.elapsed().as_millis() as u64;
        report
    }

    /// Scans files given in memory as (project-relative path, text); files whose names are no
    /// input are ignored. For check examples, tests and fuzzing.
    pub fn scan_sources(&self, files: &[(String, String)]) -> ScanReport {
        let mut report = self.report();
        let sources = files
            .iter()
            .filter_map(|(rel, text)| {
                Some(Source {
                    guess: input::guess(rel)?,
                    rel: rel.clone(),
                    text: text.clone(),
                })
            })
            .collect();
        self.run(sources, &mut report);
        report
    }

    fn pool<T: Send>(&self, f: impl FnOnce() -> T + Send) -> T {
        match rayon::ThreadPoolBuilder::new()
            .num_threads(self.threads())
            .build()
        {
            Ok(pool) => pool.install(f),
            Err(_) => f(),
        }
    }

    fn run(&self, sources: Vec<Source>, report: &mut ScanReport) {
        let units = units(sources, report);
        let parsed: Vec<Parsed> = self.pool(|| units.into_par_iter().map(parse_unit).collect());
        let mut facts = Facts::default();
        for p in &parsed {
            report.errors.extend(p.errors.iter().cloned());
            report.warnings.extend(p.warnings.iter().cloned());
            for f in &p.files {
                report.stats.scanned += 1;
                report.stats.bytes += f.text.len() as u64;
                for r in f.resources.iter().filter(|r| r.rtype == "NetworkPolicy") {
                    facts
                        .network_policy_namespaces
                        .insert(r.namespace.clone().unwrap_or_else(|| "default".into()));
                }
            }
        }
        let work: Vec<(&ParsedFile, &[Resource])> = parsed
            .iter()
            .flat_map(|p| {
                p.files.iter().map(move |f| {
                    let module: &[Resource] = p.module.as_deref().unwrap_or(&f.resources);
                    (f, module)
                })
            })
            .collect();
        let checked: Vec<Checked> = self.pool(|| {
            work.par_iter()
                .map(|(f, module)| self.check_file(f, module, &facts))
                .collect()
        });
        for c in checked {
            report.findings.extend(c.findings);
            report.stats.suppressed += c.suppressed;
        }
        report.sort();
    }

    fn check_file(&self, file: &ParsedFile, module: &[Resource], facts: &Facts) -> Checked {
        let ctx = Ctx {
            file,
            module,
            facts,
        };
        let lines = Lines::new(&file.text);
        let mut out = Checked::default();
        let mut seen: HashMap<(String, String, String), u32> = HashMap::new();
        for check in self
            .checks
            .checks()
            .iter()
            .filter(|c| c.applies_to(file.kind))
        {
            let hits: Vec<Hit> = match &check.body {
                CheckBody::Data {
                    resources,
                    condition,
                } => file
                    .resources
                    .iter()
                    .filter(|r| resources.contains(&r.rtype))
                    .filter_map(|r| {
                        let m = condition.eval(&r.body, r.line)?;
                        Some(Hit::new(m.line, &r.address, m.attribute))
                    })
                    .collect(),
                CheckBody::Logic { run, .. } => run(&ctx),
            };
            for hit in hits {
                let resource = file.resources.iter().find(|r| r.address == hit.address);
                let mut at = vec![hit.line];
                if let Some(r) = resource {
                    at.push(r.line);
                }
                if lines.suppressed(&at, &check.id) {
                    out.suppressed += 1;
                    continue;
                }
                let n = seen
                    .entry((check.id.clone(), hit.address.clone(), hit.attribute.clone()))
                    .or_default();
                *n += 1;
                out.findings
                    .push(finding(check, file, resource, &lines, hit, *n));
            }
        }
        out
    }

    /// Walks the roots for candidate files: (path, project-relative path, guess, size).
    #[allow(clippy::type_complexity)]
    fn collect(
        &self,
        roots: &[PathBuf],
    ) -> (
        Vec<(PathBuf, String, NameGuess, u64)>,
        Vec<ScanError>,
        BTreeMap<SkipReason, u64>,
    ) {
        let walk_opts = WalkOptions {
            no_ignore: self.opts.no_ignore,
            follow_links: self.opts.follow_links,
            threads: self.threads(),
        };
        let found = gatehouse_walk::collect_files(
            roots,
            &walk_opts,
            input::guess,
            |path, rel, guess, size| Some((path.to_path_buf(), rel, guess, size)),
        );
        let mut files = found.files;
        files.sort_by(|a, b| a.1.cmp(&b.1));
        files.dedup_by(|a, b| a.1 == b.1);
        (files, found.errors, found.skipped)
    }
}

type ReadFailure = (Option<SkipReason>, Option<ScanError>, Option<ScanWarning>);

fn read_source(
    path: &Path,
    rel: &str,
    guess: NameGuess,
    size: u64,
    max: u64,
) -> Result<Source, ReadFailure> {
    let too_large = || {
        (
            Some(SkipReason::TooLarge),
            None,
            Some(ScanWarning {
                path: Some(rel.to_string()),
                line: None,
                message: format!("not checked: larger than the maximum file size ({max} bytes)"),
            }),
        )
    };
    if size > max {
        return Err(too_large());
    }
    let bytes = std::fs::read(path).map_err(|e| {
        (
            None,
            Some(ScanError {
                path: Some(rel.to_string()),
                message: format!("cannot read: {e}"),
            }),
            None,
        )
    })?;
    if bytes.len() as u64 > max {
        return Err(too_large());
    }
    if memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some() {
        return Err((Some(SkipReason::Binary), None, None));
    }
    Ok(Source {
        rel: rel.to_string(),
        guess,
        text: String::from_utf8_lossy(&bytes).into_owned(),
    })
}

/// What gets parsed together.
enum Unit {
    File(Kind, Source),
    /// A Terraform directory's `.tf` and `.tfvars` files.
    Module(Vec<Source>),
}

fn dir_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Decides each source's input kind and groups Terraform files by directory.
fn units(sources: Vec<Source>, report: &mut ScanReport) -> Vec<Unit> {
    // Local includes of GitLab CI files are GitLab CI too.
    let mut gitlab_includes: BTreeSet<String> = BTreeSet::new();
    for s in &sources {
        if s.guess != NameGuess::Known(Kind::GitlabCi) {
            continue;
        }
        let Ok(docs) = yaml::parse_stream(&s.text) else {
            continue;
        };
        for d in docs {
            for i in d.root.get("include").map(|n| n.items()).unwrap_or_default() {
                let local = match i.get("local") {
                    Some(l) => l.scalar_text(),
                    None => i.scalar_text().filter(|t| !t.contains("://")),
                };
                if let Some(l) = local {
                    // Relative to the repository root, which is where the CI file usually is;
                    // the including file's directory covers a scan rooted elsewhere.
                    let l = l.trim_start_matches('/');
                    let dir = dir_of(&s.rel);
                    if !dir.is_empty() {
                        gitlab_includes.insert(format!("{dir}/{l}"));
                    }
                    gitlab_includes.insert(l.to_string());
                }
            }
        }
    }
    let mut modules: BTreeMap<String, Vec<Source>> = BTreeMap::new();
    let mut out = Vec::new();
    for s in sources {
        let kind = match s.guess {
            NameGuess::Known(Kind::Terraform) | NameGuess::TfVars => {
                modules
                    .entry(dir_of(&s.rel).to_string())
                    .or_default()
                    .push(s);
                continue;
            }
            NameGuess::Known(k) => k,
            NameGuess::Yaml if gitlab_includes.contains(&s.rel) => Kind::GitlabCi,
            NameGuess::Yaml if input::looks_like_kubernetes(&s.text) => Kind::Kubernetes,
            NameGuess::Json if input::looks_like_plan(&s.text) => Kind::TerraformPlan,
            NameGuess::Yaml | NameGuess::Json => continue,
        };
        out.push(Unit::File(kind, s));
    }
    for (_, files) in modules {
        // Values without any configuration are nothing to check.
        if files.iter().any(|f| f.guess != NameGuess::TfVars) {
            out.push(Unit::Module(files));
        }
    }
    report.stats.lines = None;
    out
}

fn warning(rel: &str, line: Option<u32>, message: impl Into<String>) -> ScanWarning {
    ScanWarning {
        path: Some(rel.to_string()),
        line,
        message: message.into(),
    }
}

fn error(rel: &str, message: impl Into<String>) -> ScanError {
    ScanError {
        path: Some(rel.to_string()),
        message: message.into(),
    }
}

fn parse_unit(unit: Unit) -> Parsed {
    let mut out = Parsed::default();
    match unit {
        Unit::File(kind, s) => {
            let mut file = ParsedFile {
                kind,
                rel: s.rel,
                text: s.text,
                docker: None,
                docs: Vec::new(),
                resources: Vec::new(),
            };
            match kind {
                Kind::Dockerfile => {
                    let (df, warnings) = docker::parse(&file.text);
                    for w in warnings {
                        out.warnings
                            .push(warning(&file.rel, Some(w.line), w.message));
                    }
                    if df.stages.is_empty() {
                        out.warnings.push(warning(
                            &file.rel,
                            None,
                            "no FROM instruction: not a Dockerfile?",
                        ));
                    }
                    file.docker = Some(df);
                }
                Kind::TerraformPlan => match input::plan_resources(&file.text) {
                    Ok(r) => file.resources = r,
                    Err(e) => {
                        out.errors.push(error(
                            &file.rel,
                            format!("not checked: line {}: {}", e.line, e.message),
                        ));
                        return out;
                    }
                },
                Kind::Kubernetes | Kind::Compose | Kind::GithubActions | Kind::GitlabCi => {
                    if kind != Kind::GithubActions {
                        if let Some(line) = input::unrendered_template_line(&file.text) {
                            out.warnings.push(warning(
                                &file.rel,
                                Some(line),
                                "not checked: unrendered templating (`{{ }}`); scan the rendered output (`helm template`, `kustomize build`) instead",
                            ));
                            return out;
                        }
                    }
                    match yaml::parse_stream(&file.text) {
                        Ok(docs) => file.docs = docs,
                        Err(e) => {
                            out.errors.push(error(
                                &file.rel,
                                format!(
                                    "not checked: line {}, column {}: {}",
                                    e.line, e.column, e.message
                                ),
                            ));
                            return out;
                        }
                    }
                    file.resources = match kind {
                        Kind::Kubernetes => input::kubernetes_resources(&file.docs),
                        Kind::Compose => input::compose_resources(&file.docs),
                        _ => input::ci_jobs(kind, &file.docs),
                    };
                }
                Kind::Terraform => {}
            }
            unknown_types(&file, &mut out.warnings);
            out.files.push(file);
        }
        Unit::Module(sources) => {
            let mut files = Vec::new();
            let mut rels = Vec::new();
            for s in sources {
                match hcl::parse(&s.text) {
                    Ok(body) => {
                        files.push(hcl::HclFile {
                            body,
                            lines: input::LineIndex::new(&s.text),
                            text: s.text,
                            tfvars: s.guess == NameGuess::TfVars,
                        });
                        rels.push(s.rel);
                    }
                    Err(e) => out.errors.push(error(
                        &s.rel,
                        format!(
                            "not checked: line {}, column {}: {}",
                            e.line, e.column, e.message
                        ),
                    )),
                }
            }
            let resources = hcl::module_resources(&files);
            let mut per_file: Vec<Vec<Resource>> = vec![Vec::new(); files.len()];
            for (fi, r) in &resources {
                per_file[*fi].push(r.clone());
            }
            for ((f, rel), res) in files.into_iter().zip(rels).zip(per_file) {
                if f.tfvars {
                    continue;
                }
                let file = ParsedFile {
                    kind: Kind::Terraform,
                    rel,
                    text: f.text,
                    docker: None,
                    docs: Vec::new(),
                    resources: res,
                };
                unknown_types(&file, &mut out.warnings);
                out.files.push(file);
            }
            out.module = Some(resources.into_iter().map(|(_, r)| r).collect());
        }
    }
    out
}

/// One warning per file naming the resources no check knows (other providers, custom
/// Kubernetes kinds), so that "no findings" is not read as "checked and fine".
fn unknown_types(file: &ParsedFile, warnings: &mut Vec<ScanWarning>) {
    let unknown: Vec<&Resource> = file
        .resources
        .iter()
        .filter(|r| match file.kind {
            Kind::Terraform | Kind::TerraformPlan => {
                let t = r.rtype.strip_prefix("data.").unwrap_or(&r.rtype);
                let provider = t.split('_').next().unwrap_or(t);
                !PROVIDERS.contains(&provider) && !UTILITY_PROVIDERS.contains(&provider)
            }
            Kind::Kubernetes => !KNOWN_KINDS.contains(&r.rtype.as_str()),
            _ => false,
        })
        .collect();
    let Some(first) = unknown.first() else { return };
    let mut names: Vec<String> = unknown
        .iter()
        .take(5)
        .map(|r| format!("{} (line {})", r.address, r.line))
        .collect();
    if unknown.len() > 5 {
        names.push(format!("and {} more", unknown.len() - 5));
    }
    warnings.push(warning(
        &file.rel,
        Some(first.line),
        format!(
            "{} resource{} of types no check covers, not checked: {}",
            unknown.len(),
            if unknown.len() == 1 { "" } else { "s" },
            names.join(", ")
        ),
    ));
}

fn finding(
    check: &Check,
    file: &ParsedFile,
    resource: Option<&Resource>,
    lines: &Lines<'_>,
    hit: Hit,
    occurrence: u32,
) -> Finding {
    let fingerprint = Fingerprint::from_parts([
        "iac",
        check.id.as_str(),
        file.rel.as_str(),
        hit.address.as_str(),
        hit.attribute.as_str(),
        occurrence.to_string().as_str(),
    ]);
    let message = match &hit.detail {
        Some(d) => format!("{}: {d} ({})", check.title, hit.address),
        None => format!("{} ({})", check.title, hit.address),
    };
    let snippet = if check.secret {
        None
    } else {
        lines.get(hit.line).map(|l| {
            let t = l.trim();
            if t.chars().count() > 200 {
                format!("{}…", t.chars().take(200).collect::<String>())
            } else {
                t.to_string()
            }
        })
    };
    let mut properties = BTreeMap::new();
    properties.insert("resource".to_string(), serde_json::json!(hit.address));
    if let Some(r) = resource {
        properties.insert("resource_type".to_string(), serde_json::json!(r.rtype));
    }
    if !hit.attribute.is_empty() {
        properties.insert("attribute".to_string(), serde_json::json!(hit.attribute));
    }
    properties.insert(
        "input".to_string(),
        serde_json::json!(file.kind.input_name()),
    );
    Finding {
        rule_id: check.id.clone(),
        scanner: ScannerKind::Iac,
        severity: check.severity,
        confidence: check.confidence,
        title: check.title.clone(),
        message,
        location: Location {
            path: Some(file.rel.clone()),
            start_line: hit.line.max(1),
            end_line: hit.line.max(1),
            ..Location::default()
        },
        cwe: check.cwe.clone(),
        ids: Vec::new(),
        evidence: Evidence {
            snippet,
            secret: None,
        },
        remediation: Some(check.fix.trim().to_string()),
        fix: None,
        fingerprint,
        properties,
    }
}
