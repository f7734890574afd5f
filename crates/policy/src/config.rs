//! `gatehouse.toml`, the project's configuration: which scanners run on which paths with which
//! rules, the stages' thresholds, the reports the gate writes, exceptions and the server.
//!
//! Every key is known: an unknown key or section is an error naming the file and line, because a
//! typo must never silently switch a check off. `docs/configuration.md` documents the schema.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use gatehouse_core::{Fingerprint, ScannerKind, Severity};
use jiff::civil::Date;
use serde::Deserialize;
use toml::Spanned;

use crate::exception::{Exception, PathPattern};

/// The file name looked for at the project root.
pub const FILE_NAME: &str = "gatehouse.toml";

/// The scanners the gate can run, in the order it reports them.
pub const SCANNERS: [ScannerKind; 4] = [
    ScannerKind::Secrets,
    ScannerKind::Dependencies,
    ScannerKind::Code,
    ScannerKind::Iac,
];

/// The stage the gate applies when neither `--stage` nor `[gate] stage` names one.
pub const DEFAULT_STAGE: &str = "merge-request";

/// A configuration that cannot be used, with the file and line it is about.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{source_name}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ConfigError {
    pub source_name: String,
    pub line: Option<u32>,
    pub message: String,
}

/// The `[project]` section.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectConfig {
    /// The project's name on the server; defaults to the project directory's name.
    pub name: Option<String>,
}

/// The `[secrets]` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretsConfig {
    pub enabled: bool,
    /// What to scan, resolved against the configuration file's directory.
    pub paths: Vec<PathBuf>,
    /// Extra rule files (Gatehouse or gitleaks v8 TOML), resolved likewise.
    pub rules: Vec<PathBuf>,
    pub max_file_size: Option<u64>,
}

/// The `[deps]` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepsConfig {
    pub enabled: bool,
    pub paths: Vec<PathBuf>,
    /// Scans report every package as not checked when the advisory data is older than this.
    pub max_db_age_days: Option<u32>,
    /// VEX documents, resolved against the configuration file's directory.
    pub vex: Vec<PathBuf>,
    pub ignores: Vec<DepsIgnore>,
    /// Packages the advisory database cannot speak for do not make the gate incomplete.
    pub allow_incomplete: bool,
}

/// One `[[deps.ignore]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepsIgnore {
    /// An advisory id or any of its aliases.
    pub id: String,
    /// Only this package (as the lockfile names it); every package when absent.
    pub package: Option<String>,
    pub reason: String,
    /// The last day the ignore applies.
    pub expires: Option<Date>,
    /// The configuration file, for messages and stale reports.
    pub source: String,
    pub line: u32,
}

/// The `[code]` and `[iac]` sections: scanners that run rule packs over files.
pub type CodeConfig = RulesConfig;
pub type IacConfig = RulesConfig;

/// A rule-driven file scanner's section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulesConfig {
    pub enabled: bool,
    pub paths: Vec<PathBuf>,
    /// Rule packs: `builtin`, or rule files and directories resolved against the configuration
    /// file's directory.
    pub rules: Vec<RulePack>,
    pub max_file_size: Option<u64>,
}

/// A rule pack: the built-in rules, or rule files and directories of the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RulePack {
    Builtin,
    Path(PathBuf),
}

impl RulesConfig {
    /// Enabled, over `paths`, with the built-in rules.
    fn builtin(paths: Vec<PathBuf>) -> RulesConfig {
        RulesConfig {
            enabled: true,
            paths,
            rules: vec![RulePack::Builtin],
            max_file_size: None,
        }
    }
}

/// When findings of one scanner block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thresholds {
    /// For scanners not named in `by_scanner`; `None` never blocks.
    pub default: Option<Severity>,
    pub by_scanner: BTreeMap<ScannerKind, Option<Severity>>,
}

impl Thresholds {
    /// Findings of `scanner` at or above this block; `None`: they never do.
    pub fn of(&self, scanner: ScannerKind) -> Option<Severity> {
        self.by_scanner
            .get(&scanner)
            .copied()
            .unwrap_or(self.default)
    }

    fn all(severity: Severity) -> Self {
        Thresholds {
            default: Some(severity),
            by_scanner: BTreeMap::new(),
        }
    }
}

/// Which findings block in a pipeline stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub name: String,
    /// The scanners that run in this stage (those enabled among them).
    pub scanners: BTreeSet<ScannerKind>,
    pub fail_on: Thresholds,
    /// With a new-code basis (`--diff`, `--baseline`), only new findings block; without one,
    /// every finding counts as new. `false`: old findings block as well.
    pub new_only: bool,
}

impl Stage {
    /// The stages every project has unless it redefines them.
    pub fn builtin() -> Vec<Stage> {
        vec![
            Stage {
                name: "commit".into(),
                scanners: BTreeSet::from([ScannerKind::Secrets]),
                fail_on: Thresholds::all(Severity::Low),
                new_only: true,
            },
            Stage {
                name: "merge-request".into(),
                scanners: SCANNERS.into_iter().collect(),
                fail_on: Thresholds::all(Severity::High),
                new_only: true,
            },
            Stage {
                name: "release".into(),
                scanners: SCANNERS.into_iter().collect(),
                fail_on: Thresholds::all(Severity::High),
                new_only: false,
            },
        ]
    }
}

/// A report the gate writes on every run: a format name (checked by the caller, which knows the
/// renderers) and a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportTarget {
    pub format: String,
    pub path: PathBuf,
    pub line: u32,
}

/// The `[gate]` section.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GateConfig {
    /// The stage applied when `--stage` is not given.
    pub stage: Option<String>,
    pub reports: Vec<ReportTarget>,
}

/// The `[server]` section: where results are uploaded and approved exceptions come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    pub url: String,
    /// The environment variable holding the API token.
    pub token_env: String,
    pub timeout_secs: u64,
    pub line: u32,
}

/// The configuration of one project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The file it was read from, if any.
    pub file: Option<PathBuf>,
    /// The directory relative paths are resolved against: the configuration file's, else the
    /// project directory.
    pub root: PathBuf,
    pub project: ProjectConfig,
    pub secrets: SecretsConfig,
    pub deps: DepsConfig,
    pub code: CodeConfig,
    pub iac: IacConfig,
    /// Built-in stages, overridden and extended by `[stages.NAME]`.
    pub stages: BTreeMap<String, Stage>,
    pub gate: GateConfig,
    pub exceptions: Vec<Exception>,
    pub server: Option<ServerConfig>,
}

impl Config {
    /// The configuration of a project without a `gatehouse.toml`.
    pub fn defaults(root: &Path) -> Config {
        let here = || vec![root.to_path_buf()];
        Config {
            file: None,
            root: root.to_path_buf(),
            project: ProjectConfig::default(),
            secrets: SecretsConfig {
                enabled: true,
                paths: here(),
                rules: Vec::new(),
                max_file_size: None,
            },
            deps: DepsConfig {
                enabled: true,
                paths: here(),
                max_db_age_days: None,
                vex: Vec::new(),
                ignores: Vec::new(),
                allow_incomplete: false,
            },
            code: RulesConfig::builtin(here()),
            iac: RulesConfig::builtin(here()),
            stages: Stage::builtin()
                .into_iter()
                .map(|s| (s.name.clone(), s))
                .collect(),
            gate: GateConfig::default(),
            exceptions: Vec::new(),
            server: None,
        }
    }

    /// Loads `explicit` (which must exist), else `gatehouse.toml` in `dir`, else in the project
    /// (git repository) `dir` belongs to; the defaults when there is none.
    pub fn load(explicit: Option<&Path>, dir: &Path) -> Result<Config, ConfigError> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => {
                let candidates = [
                    dir.join(FILE_NAME),
                    gatehouse_walk::project_root(dir).join(FILE_NAME),
                ];
                match candidates.into_iter().find(|p| p.is_file()) {
                    Some(p) => p,
                    None => return Ok(Config::defaults(dir)),
                }
            }
        };
        let text = std::fs::read_to_string(&path).map_err(|e| ConfigError {
            source_name: path.display().to_string(),
            line: None,
            message: format!("cannot read: {e}"),
        })?;
        Config::parse(&text, &path)
    }

    /// Parses the text of the configuration file at `path`.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let source_name = path.display().to_string();
        let line_of =
            |offset: usize| text[..offset.min(text.len())].matches('\n').count() as u32 + 1;
        let err = |line: Option<u32>, message: String| ConfigError {
            source_name: source_name.clone(),
            line,
            message,
        };
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(s.start));
            err(line, friendlier(e.message()))
        })?;
        let root = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let mut config = Config::defaults(&root);
        config.file = Some(path.to_path_buf());
        let resolve = |paths: Option<Vec<PathBuf>>| -> Option<Vec<PathBuf>> {
            paths.map(|ps| ps.into_iter().map(|p| root.join(p)).collect())
        };
        let size = |s: Option<Spanned<SizeRaw>>| -> Result<Option<u64>, ConfigError> {
            let Some(s) = s else { return Ok(None) };
            let line = line_of(s.span().start);
            match s.into_inner() {
                SizeRaw::Bytes(n) => Ok(Some(n)),
                SizeRaw::Text(t) => crate::size::parse_size(&t)
                    .map(Some)
                    .map_err(|m| err(Some(line), format!("`max-file-size`: {m}"))),
            }
        };

        config.project.name = raw.project.name;

        let s = raw.secrets;
        config.secrets.enabled = s.enabled.unwrap_or(true);
        if let Some(p) = resolve(s.paths) {
            config.secrets.paths = p;
        }
        config.secrets.rules = resolve(Some(s.rules)).unwrap_or_default();
        config.secrets.max_file_size = size(s.max_file_size)?;

        let d = raw.deps;
        config.deps.enabled = d.enabled.unwrap_or(true);
        if let Some(p) = resolve(d.paths) {
            config.deps.paths = p;
        }
        config.deps.max_db_age_days = d.max_db_age_days;
        config.deps.vex = resolve(Some(d.vex)).unwrap_or_default();
        config.deps.allow_incomplete = d.allow_incomplete.unwrap_or(false);
        for entry in d.ignore {
            let line = line_of(entry.span().start);
            let e = entry.into_inner();
            if e.id.trim().is_empty() {
                return Err(err(
                    Some(line),
                    "[[deps.ignore]] needs an advisory `id`".into(),
                ));
            }
            if e.reason.trim().is_empty() {
                return Err(err(
                    Some(line),
                    format!(
                        "[[deps.ignore]] for {} needs a `reason` (why it is safe to ignore)",
                        e.id
                    ),
                ));
            }
            let expires = e
                .expires
                .as_deref()
                .map(|s| parse_date(s).map_err(|m| err(Some(line), m)))
                .transpose()?;
            config.deps.ignores.push(DepsIgnore {
                id: e.id.trim().to_string(),
                package: e.package.map(|p| p.trim().to_string()),
                reason: e.reason,
                expires,
                source: source_name.clone(),
                line,
            });
        }

        for (raw, section) in [(raw.code, &mut config.code), (raw.iac, &mut config.iac)] {
            section.enabled = raw.enabled.unwrap_or(true);
            if let Some(p) = resolve(raw.paths) {
                section.paths = p;
            }
            if let Some(rules) = raw.rules {
                section.rules = rules
                    .into_iter()
                    .map(|r| match r.as_str() {
                        "builtin" => RulePack::Builtin,
                        p => RulePack::Path(root.join(p)),
                    })
                    .collect();
            }
            section.max_file_size = size(raw.max_file_size)?;
        }

        for (name, stage) in raw.stages {
            let line = line_of(stage.span().start);
            let st = stage.into_inner();
            if !is_name(&name) {
                return Err(err(
                    Some(line),
                    format!("stage name `{name}`: use letters, digits, `-` and `_`"),
                ));
            }
            let base = config.stages.remove(&name).unwrap_or_else(|| Stage {
                name: name.clone(),
                scanners: SCANNERS.into_iter().collect(),
                fail_on: Thresholds::all(Severity::High),
                new_only: true,
            });
            let scanners = match st.scanners {
                Some(list) => list
                    .iter()
                    .map(|s| scanner_kind(s).map_err(|m| err(Some(line), m)))
                    .collect::<Result<_, _>>()?,
                None => base.scanners,
            };
            let fail_on = match st.fail_on {
                Some(f) => {
                    let l = line_of(f.span().start);
                    thresholds(f.into_inner()).map_err(|m| err(Some(l), m))?
                }
                None => base.fail_on,
            };
            config.stages.insert(
                name.clone(),
                Stage {
                    name,
                    scanners,
                    fail_on,
                    new_only: st.new_only.unwrap_or(base.new_only),
                },
            );
        }

        if let Some(stage) = raw.gate.stage {
            let line = line_of(stage.span().start);
            let name = stage.into_inner();
            if !config.stages.contains_key(&name) {
                return Err(err(Some(line), unknown_stage(&name, &config.stages)));
            }
            config.gate.stage = Some(name);
        }
        for (format, target) in raw.gate.reports {
            let line = line_of(target.span().start);
            config.gate.reports.push(ReportTarget {
                format,
                path: root.join(target.into_inner()),
                line,
            });
        }

        for entry in raw.exceptions {
            let line = line_of(entry.span().start);
            let at = format!("{source_name}:{line}");
            let e = entry.into_inner();
            let x = exception(e, &at, &config.stages).map_err(|m| err(Some(line), m))?;
            config.exceptions.push(x);
        }

        if let Some(server) = raw.server {
            let line = line_of(server.span().start);
            let s = server.into_inner();
            let url = s.url.trim().trim_end_matches('/').to_string();
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(err(
                    Some(line),
                    format!(
                        "[server] `url = \"{}\"` must start with http:// or https://",
                        s.url
                    ),
                ));
            }
            config.server = Some(ServerConfig {
                url,
                token_env: s.token_env.unwrap_or_else(|| "GATEHOUSE_TOKEN".into()),
                timeout_secs: s.timeout_secs.unwrap_or(30).max(1),
                line,
            });
        }
        Ok(config)
    }

    /// The configuration file as messages name it (`gatehouse.toml` when there is none).
    pub fn source_name(&self) -> String {
        self.file
            .as_deref()
            .unwrap_or(Path::new(FILE_NAME))
            .display()
            .to_string()
    }

    /// The stage called `name`, or an error listing the stages there are.
    pub fn stage(&self, name: &str) -> Result<&Stage, String> {
        self.stages
            .get(name)
            .ok_or_else(|| unknown_stage(name, &self.stages))
    }

    /// Whether `scanner` is enabled in its section.
    pub fn enabled(&self, scanner: ScannerKind) -> bool {
        match scanner {
            ScannerKind::Secrets => self.secrets.enabled,
            ScannerKind::Dependencies => self.deps.enabled,
            ScannerKind::Code => self.code.enabled,
            ScannerKind::Iac => self.iac.enabled,
            ScannerKind::Network | ScannerKind::Dast | ScannerKind::Manual => false,
        }
    }
}

/// The approved exceptions a Gatehouse server lists for a project
/// (`GET /api/v1/projects/{project}/exceptions?state=approved`): a JSON array, or an object
/// whose `items` (or `exceptions`) is one, of objects with the keys a `[[exceptions]]` entry has
/// plus any others the server adds. Entries whose `state` is present and not `approved` are left
/// out. `source` names the server in messages and reports.
pub fn server_exceptions(
    text: &str,
    source: &str,
    stages: &BTreeMap<String, Stage>,
) -> Result<Vec<Exception>, String> {
    const KEYS: [&str; 10] = [
        "id",
        "rule",
        "fingerprint",
        "path",
        "advisory",
        "scanner",
        "stages",
        "reason",
        "approver",
        "expires",
    ];
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("{source}: not valid JSON: {e}"))?;
    let list = v
        .as_array()
        .or_else(|| v.get("items").and_then(|i| i.as_array()))
        .or_else(|| v.get("exceptions").and_then(|i| i.as_array()))
        .ok_or_else(|| format!("{source}: expected a list of exceptions"))?;
    let mut out = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let Some(obj) = item.as_object() else {
            return Err(format!("{source}: exception [{i}] is not an object"));
        };
        if obj
            .get("state")
            .and_then(|s| s.as_str())
            .is_some_and(|s| s != "approved")
        {
            continue;
        }
        let mut known = serde_json::Map::new();
        for k in KEYS {
            match obj.get(k) {
                None | Some(serde_json::Value::Null) => {}
                Some(serde_json::Value::Number(n)) => {
                    known.insert(k.into(), serde_json::Value::String(n.to_string()));
                }
                Some(v) => {
                    known.insert(k.into(), v.clone());
                }
            }
        }
        let raw: ExceptionRaw = serde_json::from_value(serde_json::Value::Object(known))
            .map_err(|e| format!("{source}: exception [{i}]: {e}"))?;
        let at = format!("{source} [{i}]");
        let mut x = exception(raw, &at, stages).map_err(|m| format!("{at}: {m}"))?;
        x.source = source.to_string();
        out.push(x);
    }
    Ok(out)
}

fn unknown_stage(name: &str, stages: &BTreeMap<String, Stage>) -> String {
    let names: Vec<&str> = stages.keys().map(String::as_str).collect();
    format!(
        "unknown stage `{name}` (stages: {}; define others under [stages.NAME])",
        names.join(", ")
    )
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// A scanner's name as configuration writes it.
pub fn scanner_kind(name: &str) -> Result<ScannerKind, String> {
    match name.trim() {
        "secrets" => Ok(ScannerKind::Secrets),
        "deps" | "dependencies" => Ok(ScannerKind::Dependencies),
        "code" => Ok(ScannerKind::Code),
        "iac" => Ok(ScannerKind::Iac),
        other => Err(format!(
            "unknown scanner `{other}` (expected one of: secrets, deps, code, iac)"
        )),
    }
}

fn severity_or_none(s: &str) -> Result<Option<Severity>, String> {
    if s.trim() == "none" {
        return Ok(None);
    }
    s.parse::<Severity>()
        .map(Some)
        .map_err(|e| format!("{e} or `none`"))
}

fn thresholds(raw: FailOnRaw) -> Result<Thresholds, String> {
    match raw {
        FailOnRaw::One(s) => Ok(Thresholds {
            default: severity_or_none(&s)?,
            by_scanner: BTreeMap::new(),
        }),
        FailOnRaw::ByScanner(map) => {
            let mut t = Thresholds {
                default: None,
                by_scanner: BTreeMap::new(),
            };
            for (k, v) in map {
                let sev = severity_or_none(&v).map_err(|m| format!("`fail-on.{k}`: {m}"))?;
                if k == "default" {
                    t.default = sev;
                } else {
                    let kind = scanner_kind(&k).map_err(|m| format!("`fail-on`: {m}"))?;
                    t.by_scanner.insert(kind, sev);
                }
            }
            Ok(t)
        }
    }
}

fn parse_date(s: &str) -> Result<Date, String> {
    s.trim()
        .parse::<Date>()
        .map_err(|e| format!("`expires = \"{s}\"` is not a date (YYYY-MM-DD): {e}"))
}

fn exception(
    e: ExceptionRaw,
    at: &str,
    stages: &BTreeMap<String, Stage>,
) -> Result<Exception, String> {
    let fingerprint = match &e.fingerprint {
        Some(f) => Some(Fingerprint::parse(f).ok_or_else(|| {
            format!("[[exceptions]] `fingerprint = \"{f}\"` is not a fingerprint (32 hex digits)")
        })?),
        None => None,
    };
    let path = match &e.path {
        Some(p) => Some(PathPattern::new(p).map_err(|m| format!("[[exceptions]] `path`: {m}"))?),
        None => None,
    };
    let scanner = e.scanner.as_deref().map(scanner_kind).transpose()?;
    let nonempty = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
    if !(nonempty(&e.rule) || fingerprint.is_some() || path.is_some() || nonempty(&e.advisory)) {
        return Err(
            "[[exceptions]] needs at least one of `rule`, `fingerprint`, `path`, `advisory` \
             (an exception for everything is not an exception)"
                .into(),
        );
    }
    let required = |v: Option<String>, key: &str, why: &str| -> Result<String, String> {
        v.map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| format!("[[exceptions]] needs `{key}` ({why})"))
    };
    let reason = required(e.reason, "reason", "why the finding is acceptable")?;
    let approver = required(e.approver, "approver", "who approved it")?;
    let expires = parse_date(&required(e.expires, "expires", "the last day it applies")?)?;
    for s in &e.stages {
        if !stages.contains_key(s) {
            return Err(format!(
                "[[exceptions]] `stages`: {}",
                unknown_stage(s, stages)
            ));
        }
    }
    Ok(Exception {
        id: e
            .id
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| at.to_string()),
        rule: e
            .rule
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        fingerprint,
        path,
        advisory: e
            .advisory
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        scanner,
        stages: e.stages.into_iter().collect(),
        reason,
        approver,
        expires,
        source: at.to_string(),
    })
}

/// serde's wording for the few shapes where it is unhelpful.
fn friendlier(message: &str) -> String {
    if message.contains("FailOnRaw") {
        "`fail-on` must be a severity (`high`), `none`, or a table of scanner = severity \
         (`{ secrets = \"low\", default = \"high\" }`)"
            .into()
    } else if message.contains("SizeRaw") {
        "`max-file-size` must be a number of bytes or a size such as \"10MiB\"".into()
    } else {
        message.trim().to_string()
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    #[serde(default)]
    project: ProjectRaw,
    #[serde(default)]
    secrets: SecretsRaw,
    #[serde(default)]
    deps: DepsRaw,
    #[serde(default)]
    code: RulesRaw,
    #[serde(default)]
    iac: RulesRaw,
    #[serde(default)]
    stages: BTreeMap<String, Spanned<StageRaw>>,
    #[serde(default)]
    gate: GateRaw,
    #[serde(default)]
    exceptions: Vec<Spanned<ExceptionRaw>>,
    server: Option<Spanned<ServerRaw>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ProjectRaw {
    name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum SizeRaw {
    Bytes(u64),
    Text(String),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct SecretsRaw {
    enabled: Option<bool>,
    paths: Option<Vec<PathBuf>>,
    #[serde(default)]
    rules: Vec<PathBuf>,
    max_file_size: Option<Spanned<SizeRaw>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct DepsRaw {
    enabled: Option<bool>,
    paths: Option<Vec<PathBuf>>,
    max_db_age_days: Option<u32>,
    #[serde(default)]
    vex: Vec<PathBuf>,
    #[serde(default)]
    ignore: Vec<Spanned<IgnoreRaw>>,
    allow_incomplete: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct IgnoreRaw {
    id: String,
    package: Option<String>,
    reason: String,
    expires: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RulesRaw {
    enabled: Option<bool>,
    paths: Option<Vec<PathBuf>>,
    rules: Option<Vec<String>>,
    max_file_size: Option<Spanned<SizeRaw>>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum FailOnRaw {
    One(String),
    ByScanner(BTreeMap<String, String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct StageRaw {
    scanners: Option<Vec<String>>,
    fail_on: Option<Spanned<FailOnRaw>>,
    new_only: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct GateRaw {
    stage: Option<Spanned<String>>,
    #[serde(default)]
    reports: BTreeMap<String, Spanned<PathBuf>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ExceptionRaw {
    id: Option<String>,
    rule: Option<String>,
    fingerprint: Option<String>,
    path: Option<String>,
    advisory: Option<String>,
    scanner: Option<String>,
    #[serde(default)]
    stages: Vec<String>,
    reason: Option<String>,
    approver: Option<String>,
    expires: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ServerRaw {
    url: String,
    token_env: Option<String>,
    timeout_secs: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("proj/gatehouse.toml"))
    }

    fn bad(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn the_iac_section_is_read_like_the_code_section() {
        let c = parse("[iac]\nenabled = false\nrules = [\"builtin\", \"checks\"]\n").unwrap();
        assert!(!c.enabled(ScannerKind::Iac));
        assert!(c.enabled(ScannerKind::Code));
        assert_eq!(
            c.iac.rules,
            vec![RulePack::Builtin, RulePack::Path("proj/checks".into())]
        );
        let c = parse("[stages.infra]\nscanners = [\"iac\"]\n").unwrap();
        let infra = c.stage("infra").unwrap();
        assert_eq!(infra.scanners, BTreeSet::from([ScannerKind::Iac]));
        let e = parse("[iac]\nchecks = []\n").unwrap_err().to_string();
        assert!(e.contains("gatehouse.toml:2"), "{e}");
    }

    #[test]
    fn the_documented_example_parses() {
        let text = r#"
[project]
name = "payments-api"

[secrets]
paths = ["src", "config"]
rules = ["security/extra-secrets.toml"]
max-file-size = "2MiB"

[deps]
max-db-age-days = 30
vex = ["vex/openvex.json"]

[[deps.ignore]]
id = "RUSTSEC-2020-0071"
package = "time"
reason = "we never call localtime_r"
expires = "2027-01-31"

[code]
rules = ["builtin", "rules/ours"]

[stages.commit]
scanners = ["secrets"]
fail-on = "low"

[stages.merge-request]
fail-on = { secrets = "low", default = "high" }

[stages.nightly]
fail-on = "medium"
new-only = false

[gate]
stage = "merge-request"
reports = { sarif = "out/gatehouse.sarif", markdown = "out/summary.md" }

[[exceptions]]
rule = "python.sqli-format-string"
path = "tests/**"
reason = "test fixtures, never deployed"
approver = "li.wei@bank.example"
expires = "2027-03-31"
stages = ["merge-request"]

[server]
url = "https://gatehouse.bank.example/"
"#;
        let c = parse(text).unwrap();
        assert_eq!(c.project.name.as_deref(), Some("payments-api"));
        assert_eq!(
            c.secrets.paths,
            vec![PathBuf::from("proj/src"), PathBuf::from("proj/config")]
        );
        assert_eq!(c.secrets.max_file_size, Some(2 << 20));
        assert_eq!(c.deps.ignores[0].line, 14);
        assert_eq!(c.deps.paths, vec![PathBuf::from("proj")]);
        assert_eq!(
            c.code.rules,
            vec![RulePack::Builtin, RulePack::Path("proj/rules/ours".into())]
        );
        let mr = c.stage("merge-request").unwrap();
        assert_eq!(mr.fail_on.of(ScannerKind::Secrets), Some(Severity::Low));
        assert_eq!(mr.fail_on.of(ScannerKind::Code), Some(Severity::High));
        assert!(mr.new_only);
        let nightly = c.stage("nightly").unwrap();
        assert!(!nightly.new_only);
        assert_eq!(nightly.scanners.len(), SCANNERS.len());
        assert!(!c.stage("release").unwrap().new_only, "built-in stage kept");
        assert_eq!(c.gate.reports.len(), 2);
        assert_eq!(c.gate.reports[0].format, "markdown");
        let x = &c.exceptions[0];
        assert_eq!(x.id, "proj/gatehouse.toml:38");
        assert_eq!(x.expires, jiff::civil::date(2027, 3, 31));
        assert_eq!(
            c.server.as_ref().unwrap().url,
            "https://gatehouse.bank.example"
        );
        assert_eq!(c.server.as_ref().unwrap().token_env, "GATEHOUSE_TOKEN");
    }

    #[test]
    fn no_file_means_the_built_in_stages() {
        let c = Config::defaults(Path::new("."));
        assert_eq!(
            c.stages.keys().collect::<Vec<_>>(),
            ["commit", "merge-request", "release"]
        );
        let commit = c.stage("commit").unwrap();
        assert_eq!(commit.scanners, BTreeSet::from([ScannerKind::Secrets]));
        let e = c.stage("deploy").unwrap_err();
        assert!(e.contains("commit, merge-request, release"), "{e}");
    }

    #[test]
    fn unknown_keys_and_bad_values_name_the_line() {
        let e = bad("[secrets]\nenabled = true\npathz = [\"a\"]\n");
        assert!(e.starts_with("proj/gatehouse.toml:3:"), "{e}");
        assert!(e.contains("pathz"), "{e}");
        let e = bad("\n\n[scanners]\n");
        assert!(e.starts_with("proj/gatehouse.toml:3:"), "{e}");
        let e = bad("[stages.commit]\nfail-on = 3\n");
        assert!(e.contains(":2:") && e.contains("fail-on"), "{e}");
        let e = bad("[stages.commit]\nfail-on = \"severe\"\n");
        assert!(e.contains(":2:") && e.contains("severe"), "{e}");
        let e = bad("[stages.x]\nfail-on = { sast = \"high\" }\n");
        assert!(e.contains("unknown scanner `sast`"), "{e}");
        let e = bad("[secrets]\nmax-file-size = \"ten\"\n");
        assert!(e.contains(":2:") && e.contains("ten"), "{e}");
        let e = bad("[gate]\nstage = \"deploy\"\n");
        assert!(
            e.contains(":2:") && e.contains("unknown stage `deploy`"),
            "{e}"
        );
        let e = bad("[server]\nurl = \"gatehouse.example\"\n");
        assert!(e.contains("http://"), "{e}");
    }

    #[test]
    fn exceptions_need_a_selector_reason_approver_and_expiry() {
        let ok = "rule = \"r\"\nreason = \"why\"\napprover = \"a\"\nexpires = \"2027-01-01\"\n";
        assert!(parse(&format!("[[exceptions]]\n{ok}")).is_ok());
        let e =
            bad("\n[[exceptions]]\nreason = \"why\"\napprover = \"a\"\nexpires = \"2027-01-01\"\n");
        assert!(e.contains(":2:") && e.contains("at least one of"), "{e}");
        for key in ["reason", "approver", "expires"] {
            let text: String = ok
                .lines()
                .filter(|l| !l.starts_with(key))
                .map(|l| format!("{l}\n"))
                .collect();
            let e = bad(&format!("[[exceptions]]\n{text}"));
            assert!(e.contains(&format!("needs `{key}`")), "{e}");
        }
        let e = bad(&format!(
            "[[exceptions]]\n{}",
            ok.replace("2027-01-01", "soon")
        ));
        assert!(e.contains("not a date"), "{e}");
        let e = bad(&format!("[[exceptions]]\nfingerprint = \"xyz\"\n{ok}"));
        assert!(e.contains("not a fingerprint"), "{e}");
        let e = bad(&format!("[[exceptions]]\nstages = [\"deploy\"]\n{ok}"));
        assert!(e.contains("unknown stage"), "{e}");
        let e = bad(&format!("[[exceptions]]\nscanner = \"dast\"\n{ok}"));
        assert!(e.contains("unknown scanner"), "{e}");
    }

    #[test]
    fn server_exceptions_are_read_leniently_but_checked() {
        let stages = Config::defaults(Path::new(".")).stages;
        let text = r#"{"items": [
            {"id": 17, "rule": "r", "reason": "why", "approver": "sec", "expires": "2027-01-01",
             "state": "approved", "created_at": "2026-11-01T00:00:00Z"},
            {"id": 18, "rule": "r", "reason": "why", "approver": "sec", "expires": "2027-01-01",
             "state": "requested"}
        ]}"#;
        let xs = server_exceptions(text, "https://gh.example", &stages).unwrap();
        assert_eq!(xs.len(), 1);
        assert_eq!(xs[0].id, "17");
        assert_eq!(xs[0].source, "https://gh.example");
        let e =
            server_exceptions(r#"[{"rule": "r", "reason": "why"}]"#, "srv", &stages).unwrap_err();
        assert!(e.contains("srv [0]") && e.contains("approver"), "{e}");
        assert!(server_exceptions("{}", "srv", &stages).is_err());
    }

    #[test]
    fn deps_ignores_keep_their_checks() {
        let e = bad("[[deps.ignore]]\nid = \"X\"\nreason = \"r\"\nexpires = \"soon\"\n");
        assert!(e.starts_with("proj/gatehouse.toml:1:"), "{e}");
        assert!(e.contains("not a date"), "{e}");
        let e = bad("\n[[deps.ignore]]\nid = \"X\"\nreason = \" \"\n");
        assert!(e.contains(":2:") && e.contains("reason"), "{e}");
        let e = bad("[[deps.ignore]]\nreason = \"r\"\n");
        assert!(e.contains("id"), "{e}");
    }
}
