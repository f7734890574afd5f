//! `gatehouse.toml`, the project's configuration. Only the sections a command reads are
//! validated by it; unknown top-level sections are left to the commands that own them, unknown
//! keys inside a known section are errors (a typo must not silently switch a check off).

use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context as _};
use jiff::civil::Date;
use serde::Deserialize;

/// The file name looked for at the project root.
pub const FILE_NAME: &str = "gatehouse.toml";

#[derive(Debug, Default, Deserialize)]
struct Raw {
    #[serde(default)]
    deps: Option<toml::Spanned<DepsRaw>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct DepsRaw {
    max_db_age_days: Option<u32>,
    #[serde(default)]
    vex: Vec<PathBuf>,
    #[serde(default)]
    ignore: Vec<toml::Spanned<IgnoreRaw>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct IgnoreRaw {
    id: String,
    package: Option<String>,
    reason: String,
    expires: Option<String>,
}

/// The `[deps]` section.
#[derive(Debug, Default, Clone)]
pub struct DepsConfig {
    /// Scans report every package as not checked when the advisory data is older than this.
    pub max_db_age_days: Option<u32>,
    /// VEX documents, resolved against the configuration file's directory.
    pub vex: Vec<PathBuf>,
    pub ignores: Vec<DepsIgnore>,
}

/// One `[[deps.ignore]]` entry.
#[derive(Debug, Clone)]
pub struct DepsIgnore {
    /// An advisory id or any of its aliases.
    pub id: String,
    /// Only this package (as the lockfile names it); every package when absent.
    pub package: Option<String>,
    pub reason: String,
    /// The last day the ignore applies.
    pub expires: Option<Date>,
    /// `gatehouse.toml:LINE`, for messages and stale reports.
    pub source: String,
    pub line: u32,
}

/// The configuration of one project.
#[derive(Debug, Default, Clone)]
pub struct Config {
    pub deps: DepsConfig,
}

impl Config {
    /// Loads `explicit` (which must exist), else `gatehouse.toml` in `project` if there is one.
    pub fn load(explicit: Option<&Path>, project: &Path) -> anyhow::Result<Config> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => {
                let p = project.join(FILE_NAME);
                if !p.is_file() {
                    return Ok(Config::default());
                }
                p
            }
        };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        Config::parse(&text, &path)
    }

    pub fn parse(text: &str, path: &Path) -> anyhow::Result<Config> {
        let shown = path.display().to_string();
        let line_of =
            |offset: usize| text[..offset.min(text.len())].matches('\n').count() as u32 + 1;
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let at = e
                .span()
                .map(|s| format!(":{}", line_of(s.start)))
                .unwrap_or_default();
            anyhow!("{shown}{at}: {}", e.message())
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        let mut deps = DepsConfig::default();
        if let Some(d) = raw.deps {
            let d = d.into_inner();
            deps.max_db_age_days = d.max_db_age_days;
            deps.vex = d.vex.into_iter().map(|p| base.join(p)).collect();
            for entry in d.ignore {
                let line = line_of(entry.span().start);
                let e = entry.into_inner();
                let at = format!("{shown}:{line}");
                if e.id.trim().is_empty() {
                    return Err(anyhow!("{at}: [[deps.ignore]] needs an advisory `id`"));
                }
                if e.reason.trim().is_empty() {
                    return Err(anyhow!(
                        "{at}: [[deps.ignore]] for {} needs a `reason` (why it is safe to ignore)",
                        e.id
                    ));
                }
                let expires = match &e.expires {
                    Some(s) => Some(s.parse::<Date>().map_err(|err| {
                        anyhow!("{at}: `expires = \"{s}\"` is not a date (YYYY-MM-DD): {err}")
                    })?),
                    None => None,
                };
                deps.ignores.push(DepsIgnore {
                    id: e.id.trim().to_string(),
                    package: e.package.map(|p| p.trim().to_string()),
                    reason: e.reason,
                    expires,
                    source: shown.clone(),
                    line,
                });
            }
        }
        Ok(Config { deps })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_deps_ignores_with_lines() {
        let text = r#"
[server]
anything = "else"

[deps]
max-db-age-days = 30
vex = ["vex/openvex.json"]

[[deps.ignore]]
id = "RUSTSEC-2020-0071"
package = "time"
reason = "we never call localtime_r"
expires = "2027-01-31"

[[deps.ignore]]
id = "CVE-2024-1"
reason = "test only"
"#;
        let c = Config::parse(text, Path::new("proj/gatehouse.toml")).unwrap();
        assert_eq!(c.deps.max_db_age_days, Some(30));
        assert_eq!(c.deps.vex, vec![PathBuf::from("proj/vex/openvex.json")]);
        assert_eq!(c.deps.ignores.len(), 2);
        assert_eq!(c.deps.ignores[0].line, 9, "the `[[deps.ignore]]` line");
        assert_eq!(c.deps.ignores[0].package.as_deref(), Some("time"));
        assert_eq!(
            c.deps.ignores[0].expires,
            Some(jiff::civil::date(2027, 1, 31))
        );
        assert_eq!(c.deps.ignores[1].expires, None);
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let bad = |text: &str| {
            Config::parse(text, Path::new("gatehouse.toml"))
                .unwrap_err()
                .to_string()
        };
        let e = bad("[deps]\nmax-db-age = 3\n");
        assert!(e.starts_with("gatehouse.toml:"), "{e}");
        assert!(e.contains("max-db-age"), "{e}");
        let e = bad("[[deps.ignore]]\nid = \"X\"\nreason = \"r\"\nexpires = \"soon\"\n");
        assert!(e.starts_with("gatehouse.toml:1:"), "{e}");
        assert!(e.contains("not a date"), "{e}");
        let e = bad("\n[[deps.ignore]]\nid = \"X\"\nreason = \" \"\n");
        assert!(
            e.contains("gatehouse.toml:2") && e.contains("reason"),
            "{e}"
        );
        let e = bad("[[deps.ignore]]\nreason = \"r\"\n");
        assert!(e.contains("id"), "{e}");
    }
}
