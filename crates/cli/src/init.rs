//! `gatehouse init`: a commented starter `gatehouse.toml` for what the repository holds.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context as _};
use gatehouse_iac::input::{guess, NameGuess};
use gatehouse_policy::config::FILE_NAME;
use gatehouse_sast::lang::Language;
use gatehouse_sca::discover::{discover, DiscoverOptions};
use gatehouse_walk::WalkOptions;

use crate::cli::InitArgs;
use crate::exit::{ExitStatus, Failure};

/// What the repository holds, as far as the starter file cares.
#[derive(Debug, Default)]
struct Detected {
    /// Ecosystem → the dependency files of it.
    ecosystems: BTreeMap<String, BTreeSet<String>>,
    /// Language → files.
    languages: BTreeMap<&'static str, u64>,
    /// CI systems whose configuration is present.
    ci: Vec<&'static str>,
    /// Infrastructure-as-code input → files, by name (manifests in plain YAML are found by the
    /// scan itself, from their content).
    infrastructure: BTreeMap<&'static str, u64>,
}

fn detect(root: &Path) -> Detected {
    let mut d = Detected::default();
    let found = discover(&[root.to_path_buf()], &DiscoverOptions::default());
    for m in &found.manifests {
        let eco = m
            .format
            .ecosystem()
            .map(|e| e.as_str().to_string())
            .unwrap_or_else(|| "SBOM".into());
        d.ecosystems.entry(eco).or_default().insert(m.path.clone());
    }
    for entry in gatehouse_walk::walker(root, &WalkOptions::default())
        .build()
        .flatten()
    {
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        if let Some(lang) = Language::from_path(entry.path(), None) {
            *d.languages.entry(lang.rule_language().name()).or_default() += 1;
        }
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
        if let Some(NameGuess::Known(kind)) = guess(&gatehouse_walk::rel_string(rel)) {
            *d.infrastructure.entry(kind.input_name()).or_default() += 1;
        }
    }
    for (file, ci) in [
        (".github/workflows", "GitHub Actions"),
        (".gitlab-ci.yml", "GitLab CI"),
        ("Jenkinsfile", "Jenkins"),
        (".pre-commit-config.yaml", "pre-commit"),
    ] {
        if root.join(file).exists() {
            d.ci.push(ci);
        }
    }
    d
}

fn starter(project: &str, d: &Detected) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Gatehouse configuration for {project}, written by `gatehouse init`.\n\
         # Every key is documented in docs/configuration.md; unknown keys are errors.\n"
    );
    let _ = writeln!(s, "[project]\nname = {}\n", toml_string(project));

    let _ = writeln!(
        s,
        "# Secrets: API keys, tokens, private keys, passwords in the working tree.\n\
         [secrets]\n\
         enabled = true\n\
         # paths = [\".\"]                  # what to scan, relative to this file\n\
         # rules = [\"security/secrets.toml\"] # extra rules (Gatehouse or gitleaks v8 TOML)\n"
    );

    let _ = writeln!(
        s,
        "# Dependencies: lockfiles and SBOMs against the advisory database"
    );
    let _ = writeln!(
        s,
        "# (`gatehouse db update`, or `gatehouse db import` offline)."
    );
    if d.ecosystems.is_empty() {
        let _ = writeln!(
            s,
            "# No lockfile or SBOM was found; the scanner stays on so that one added later is checked."
        );
    } else {
        let _ = writeln!(s, "# Found:");
        for (eco, files) in &d.ecosystems {
            let list: Vec<&str> = files.iter().take(5).map(String::as_str).collect();
            let more = files.len().saturating_sub(list.len());
            let _ = writeln!(
                s,
                "#   {eco}: {}{}",
                list.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            );
        }
    }
    let _ = writeln!(
        s,
        "[deps]\n\
         enabled = true\n\
         # max-db-age-days = 7\n\
         # [[deps.ignore]]\n\
         # id = \"GHSA-xxxx-xxxx-xxxx\"\n\
         # reason = \"why it does not apply\"\n\
         # expires = \"2027-01-31\"\n"
    );

    let _ = writeln!(s, "# Code: static analysis with the built-in rule packs.");
    if d.languages.is_empty() {
        let _ = writeln!(s, "# No source file of a supported language was found.");
    } else {
        let langs: Vec<String> = d
            .languages
            .iter()
            .map(|(l, n)| format!("{l} ({n} file{})", if *n == 1 { "" } else { "s" }))
            .collect();
        let _ = writeln!(s, "# Found: {}", langs.join(", "));
    }
    let _ = writeln!(
        s,
        "[code]\n\
         enabled = {}\n\
         rules = [\"builtin\"]             # add rule files or directories of your own\n",
        !d.languages.is_empty()
    );

    let _ = writeln!(
        s,
        "# Infrastructure as code: Dockerfiles, Kubernetes manifests, docker-compose, Terraform,\n\
         # GitHub Actions and GitLab CI files."
    );
    if d.infrastructure.is_empty() {
        let _ = writeln!(
            s,
            "# No such file was found by name; Kubernetes manifests are recognised by content."
        );
    } else {
        let found: Vec<String> = d
            .infrastructure
            .iter()
            .map(|(k, n)| format!("{k} ({n} file{})", if *n == 1 { "" } else { "s" }))
            .collect();
        let _ = writeln!(s, "# Found: {}", found.join(", "));
    }
    let _ = writeln!(
        s,
        "[iac]\n\
         enabled = true\n\
         rules = [\"builtin\"]             # add check files or directories of your own\n"
    );

    let _ = writeln!(
        s,
        "# Stages: what blocks the pipeline where. These are the built-in defaults; change them\n\
         # or add stages of your own. fail-on is a severity (critical, high, medium, low, info),\n\
         # `none`, or a table per scanner: {{ secrets = \"low\", default = \"high\" }}.\n\
         [stages.commit]\n\
         scanners = [\"secrets\"]\n\
         fail-on = \"low\"\n\
         \n\
         [stages.merge-request]\n\
         fail-on = {{ secrets = \"low\", default = \"high\" }}\n\
         new-only = true                 # with --diff or --baseline, only new findings block\n\
         \n\
         [stages.release]\n\
         fail-on = \"high\"\n\
         new-only = false                # old findings block too\n"
    );

    let _ = writeln!(
        s,
        "[gate]\n\
         stage = \"merge-request\"\n\
         # Reports written on every run (also --report FORMAT=FILE):\n\
         # reports = {{ sarif = \"gatehouse.sarif\", markdown = \"gatehouse-summary.md\" }}\n"
    );
    if d.ci.contains(&"GitLab CI") {
        let _ = writeln!(
            s,
            "# GitLab CI: include templates/gitlab/gatehouse.gitlab-ci.yml (see the README), or add\n\
             # reports = {{ gitlab-sast = \"gl-sast-report.json\", gitlab-secret-detection = \"gl-secret-detection-report.json\", gitlab-dependency-scanning = \"gl-dependency-scanning-report.json\" }}\n"
        );
    }
    if d.ci.contains(&"GitHub Actions") {
        let _ = writeln!(
            s,
            "# GitHub Actions: use the Gatehouse action (action.yml) in a workflow; it uploads SARIF.\n"
        );
    }

    let _ = writeln!(
        s,
        "# Exceptions: approved, expiring decisions. Each needs a selector (rule, fingerprint,\n\
         # path glob or advisory), a reason, an approver and an expiry date.\n\
         # [[exceptions]]\n\
         # rule = \"python.django.security.injection.sql\"\n\
         # path = \"tests/**\"\n\
         # reason = \"test fixtures, never deployed\"\n\
         # approver = \"security@example.com\"\n\
         # expires = \"2027-03-31\"\n\
         \n\
         # The platform server: uploads (--upload) and approved exceptions.\n\
         # [server]\n\
         # url = \"https://gatehouse.example.com\"\n\
         # token-env = \"GATEHOUSE_TOKEN\""
    );
    s
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

pub fn run(a: InitArgs) -> Result<ExitStatus, Failure> {
    let dir = a.path.clone().unwrap_or_else(|| PathBuf::from("."));
    if !dir.is_dir() {
        return Err(Failure::usage(anyhow!(
            "{}: not a directory",
            dir.display()
        )));
    }
    let root = gatehouse_walk::project_root(&dir);
    let target = root.join(FILE_NAME);
    if target.exists() && !a.force && !a.stdout {
        return Err(Failure::usage(anyhow!(
            "{} exists already (--force overwrites it, --stdout prints the starter instead)",
            target.display()
        )));
    }
    let project = gatehouse_walk::project_name(&root);
    let detected = detect(&root);
    let text = starter(&project, &detected);
    // The starter must be a configuration the gate accepts.
    gatehouse_policy::Config::parse(&text, &target)
        .map_err(|e| Failure::runtime(anyhow!("the starter configuration is invalid: {e}")))?;
    if a.stdout {
        print!("{text}");
        return Ok(ExitStatus::Pass);
    }
    std::fs::write(&target, &text)
        .with_context(|| format!("writing {}", target.display()))
        .map_err(Failure::runtime)?;
    let ecos: Vec<&str> = detected.ecosystems.keys().map(String::as_str).collect();
    let langs: Vec<&str> = detected.languages.keys().copied().collect();
    eprintln!(
        "gatehouse: wrote {} (ecosystems: {}; languages: {})",
        target.display(),
        if ecos.is_empty() {
            "none".into()
        } else {
            ecos.join(", ")
        },
        if langs.is_empty() {
            "none".into()
        } else {
            langs.join(", ")
        },
    );
    Ok(ExitStatus::Pass)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starters_parse_for_any_detection() {
        let mut d = Detected::default();
        let empty = starter("demo \"quoted\"", &d);
        let c = gatehouse_policy::Config::parse(&empty, Path::new("gatehouse.toml")).unwrap();
        assert!(!c.code.enabled);
        assert_eq!(c.project.name.as_deref(), Some("demo \"quoted\""));
        d.ecosystems
            .entry("npm".into())
            .or_default()
            .insert("package-lock.json".into());
        d.languages.insert("Python", 3);
        d.ci = vec!["GitLab CI", "GitHub Actions"];
        let full = starter("demo", &d);
        assert!(full.contains("npm: package-lock.json"), "{full}");
        assert!(full.contains("Python (3 files)"), "{full}");
        d.languages.insert("Go", 1);
        assert!(starter("demo", &d).contains("Go (1 file)"));
        let c = gatehouse_policy::Config::parse(&full, Path::new("gatehouse.toml")).unwrap();
        assert!(c.code.enabled);
        assert_eq!(c.gate.stage.as_deref(), Some("merge-request"));
    }
}
