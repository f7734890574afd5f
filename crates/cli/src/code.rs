//! `scan code`, `rules code`, `rules test`: wiring of the static analyser to reports.

use std::path::PathBuf;
use std::time::Duration;

use gatehouse_core::ScanReport;
use gatehouse_sast::lang::ParseConfig;
use gatehouse_sast::rule::RuleError;
use gatehouse_sast::scan::{RuleConfig, RuleSet, ScanOptions, Scanner};

use crate::cli::{CodeArgs, CodeRulesArgs, RulesTestArgs};
use crate::exit::{ExitStatus, Failure};

/// `--config` values: `builtin` or a path; none means the built-in packs.
fn rule_configs(values: &[String]) -> Vec<RuleConfig> {
    if values.is_empty() {
        return vec![RuleConfig::Builtin];
    }
    values
        .iter()
        .map(|v| match v.as_str() {
            "builtin" => RuleConfig::Builtin,
            path => RuleConfig::Path(PathBuf::from(path)),
        })
        .collect()
}

/// Every rule error on its own line, then one failure (exit 2) that counts them.
fn rule_errors(errors: Vec<RuleError>) -> Failure {
    for e in &errors {
        eprintln!("gatehouse: error: {e}");
    }
    let files: std::collections::BTreeSet<&str> = errors.iter().map(|e| e.file.as_str()).collect();
    Failure::usage(anyhow::anyhow!(
        "{} rule error{} in {} file{}; no scan was run",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" },
        files.len(),
        if files.len() == 1 { "" } else { "s" },
    ))
}

fn load(values: &[String]) -> Result<RuleSet, Failure> {
    RuleSet::load(&rule_configs(values)).map_err(rule_errors)
}

/// A rule set a scan can run: an empty one is a configuration mistake, never a clean scan.
fn runnable(rules: RuleSet, source: &str) -> Result<RuleSet, Failure> {
    if rules.is_empty() {
        return Err(Failure::usage(anyhow::anyhow!(
            "no rules to run (the {source} hold no rule files)"
        )));
    }
    Ok(rules)
}

/// The static analysis `gatehouse gate` runs, as `[code]` configures it, on `threads` workers
/// (0: one per CPU).
pub fn gate_scan(
    config: &gatehouse_policy::config::CodeConfig,
    threads: usize,
) -> Result<ScanReport, Failure> {
    use gatehouse_policy::config::RulePack;
    let configs: Vec<RuleConfig> = config
        .rules
        .iter()
        .map(|r| match r {
            RulePack::Builtin => RuleConfig::Builtin,
            RulePack::Path(p) => RuleConfig::Path(p.clone()),
        })
        .collect();
    let rules = runnable(
        RuleSet::load(&configs).map_err(rule_errors)?,
        "[code] rules",
    )?;
    let mut opts = ScanOptions {
        threads,
        ..ScanOptions::default()
    };
    if let Some(max) = config.max_file_size {
        opts.max_file_size = max;
    }
    Ok(Scanner::new(rules, opts).scan_paths(&config.paths))
}

pub fn scan(a: CodeArgs) -> Result<ExitStatus, Failure> {
    let rules = runnable(load(&a.scan.configs)?, "--config paths")?;
    let opts = ScanOptions {
        max_file_size: a.max_file_size,
        no_ignore: a.scan.no_ignore,
        follow_links: a.scan.follow,
        threads: a.scan.threads,
        parse: ParseConfig {
            timeout: Duration::from_secs(a.parse_timeout.max(1)),
        },
    };
    let report = Scanner::new(rules, opts).scan_paths(&a.scan.roots());
    crate::output::finish(&report, &a.scan)
}

pub fn list_rules(a: CodeRulesArgs) -> Result<ExitStatus, Failure> {
    let rules = load(&a.configs)?;
    let metas: Vec<_> = rules.metas().into_values().collect();
    crate::output::print_rules(&metas, a.json, |m| {
        format!("{:<8}  {}", m.severity.as_str(), m.cwe.join(","))
    })
}

pub fn test_rules(a: RulesTestArgs) -> Result<ExitStatus, Failure> {
    let configs: Vec<RuleConfig> = a.paths.iter().cloned().map(RuleConfig::Path).collect();
    let rules = RuleSet::load(&configs).map_err(rule_errors)?;
    let scanner = Scanner::new(rules, ScanOptions::default());
    let results = scanner.test_files();
    let (mut passed, mut failed) = (0, 0);
    for file in &results {
        if let Some(e) = &file.error {
            println!("FAIL {}: {e}", file.path);
            failed += 1;
            continue;
        }
        for o in &file.outcomes {
            if o.passed() {
                passed += 1;
                continue;
            }
            failed += 1;
            let lines = |v: &[u32]| v.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
            let mut why = Vec::new();
            if !o.missed.is_empty() {
                why.push(format!("missed on line {}", lines(&o.missed)));
            }
            if !o.unexpected.is_empty() {
                why.push(format!("unexpected on line {}", lines(&o.unexpected)));
            }
            println!("FAIL {} {}: {}", file.path, o.rule_id, why.join("; "));
        }
    }
    println!(
        "{passed} passed, {failed} failed ({} test files)",
        results.len()
    );
    if results.is_empty() {
        return Err(Failure::usage(anyhow::anyhow!(
            "no test files found beside the rule files (NAME.yaml needs NAME.<ext>)"
        )));
    }
    Ok(if failed == 0 {
        ExitStatus::Pass
    } else {
        ExitStatus::Findings
    })
}
