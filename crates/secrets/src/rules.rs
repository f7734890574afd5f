//! Rule files: Gatehouse's TOML format, which is a superset of gitleaks v8's configuration.
//!
//! Parsing keeps the byte span of every rule so that an error (a bad regex, an unknown severity) names
//! the file and the line.

use std::collections::BTreeMap;
use std::path::Path;

use gatehouse_core::{Confidence, Severity};
use serde::Deserialize;
use toml::Spanned;

use crate::RuleError;

/// One rule file as written on disk.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RuleFile {
    /// gitleaks: a title for the whole configuration.
    pub title: Option<String>,
    /// gitleaks: the minimum gitleaks version the file needs (informational here).
    #[serde(rename = "minVersion")]
    pub min_version: Option<String>,
    pub extend: Option<Extend>,
    pub rules: Vec<Spanned<RuleDef>>,
    /// gitleaks' legacy global allowlist.
    pub allowlist: Option<AllowlistDef>,
    /// gitleaks' global allowlists (8.25+), which may target some rules only.
    pub allowlists: Vec<AllowlistDef>,
}

/// gitleaks' `[extend]` table. Gatehouse always extends its built-in rules; `disabledRules` turns
/// some of them off, and `useDefault = false` turns all of them off.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Extend {
    #[serde(rename = "useDefault")]
    pub use_default: Option<bool>,
    #[serde(rename = "disabledRules")]
    pub disabled_rules: Vec<String>,
    /// Extending another file or URL is not supported: it would read files or the network the user
    /// did not name. Its presence is an error.
    pub path: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    pub id: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub severity: Option<String>,
    #[serde(default)]
    pub confidence: Option<String>,
    #[serde(default)]
    pub regex: Option<Spanned<String>>,
    /// gitleaks: the number of the capture group holding the secret.
    #[serde(default, rename = "secretGroup")]
    pub secret_group: Option<usize>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub entropy: Option<f64>,
    #[serde(default)]
    pub validator: Option<String>,
    #[serde(default)]
    pub generic: bool,
    /// Reported only when no other (non-fallback) rule reports an overlapping secret. Generic rules
    /// are always fallbacks.
    #[serde(default)]
    pub fallback: bool,
    #[serde(default)]
    pub span: Option<usize>,
    /// Only files whose path matches this regex; with no `regex`, a file whose path matches is itself
    /// the finding (for example a committed keystore).
    #[serde(default)]
    pub path: Option<Spanned<String>>,
    #[serde(default)]
    pub remediation: Option<String>,
    #[serde(default)]
    pub references: Vec<String>,
    #[serde(default)]
    pub cwe: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default)]
    pub negative_examples: Vec<String>,
    /// The file name the examples are tested as (for rules limited by `path`).
    #[serde(default)]
    pub example_path: Option<String>,
    /// gitleaks' legacy single allowlist.
    #[serde(default)]
    pub allowlist: Option<AllowlistDef>,
    #[serde(default)]
    pub allowlists: Vec<AllowlistDef>,
    /// gitleaks: composite rules; this rule only reports when these rules also match nearby.
    #[serde(default)]
    pub required: Vec<RequiredDef>,
    /// gitleaks: `skipReport = true` rules only serve as `required` parts of others.
    #[serde(default, rename = "skipReport")]
    pub skip_report: bool,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AllowlistDef {
    pub description: Option<String>,
    pub condition: Option<String>,
    #[serde(rename = "regexTarget")]
    pub regex_target: Option<String>,
    pub regexes: Vec<String>,
    pub paths: Vec<String>,
    pub stopwords: Vec<String>,
    pub commits: Vec<String>,
    /// Global allowlists only: the rules the allowlist applies to (all when empty).
    #[serde(rename = "targetRules")]
    pub target_rules: Vec<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequiredDef {
    pub id: String,
    #[serde(default, rename = "withinLines")]
    pub within_lines: Option<u32>,
    #[serde(default, rename = "withinColumns")]
    pub within_columns: Option<u32>,
}

/// A rule definition with the place it was read from.
#[derive(Debug, Clone)]
pub struct SourcedRule {
    pub def: RuleDef,
    pub origin: String,
    pub line: u32,
    /// 1-based line of the `regex` key (or of the rule when there is none).
    pub regex_line: u32,
    pub path_line: u32,
    /// Compiled into the binary (as opposed to read from a user's `--config`).
    pub builtin: bool,
}

/// Everything read from one or more rule files, before compilation.
#[derive(Debug, Default)]
pub struct RuleSources {
    /// Rules by id; a later file's rule with the same id replaces an earlier one.
    pub rules: BTreeMap<String, SourcedRule>,
    pub global_allowlists: Vec<(String, AllowlistDef)>,
}

fn line_of(text: &str, offset: usize) -> u32 {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u32
        + 1
}

/// Parses one rule file's text. `origin` names it in errors.
pub fn parse_rule_file(
    origin: &str,
    text: &str,
) -> Result<(RuleFile, Vec<SourcedRule>), RuleError> {
    let file: RuleFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start));
        RuleError::Syntax {
            origin: origin.to_string(),
            line,
            message: e.message().to_string(),
        }
    })?;
    let mut out = Vec::with_capacity(file.rules.len());
    for r in &file.rules {
        let line = line_of(text, r.span().start);
        let def = r.get_ref().clone();
        let regex_line = def
            .regex
            .as_ref()
            .map(|s| line_of(text, s.span().start))
            .unwrap_or(line);
        let path_line = def
            .path
            .as_ref()
            .map(|s| line_of(text, s.span().start))
            .unwrap_or(line);
        out.push(SourcedRule {
            def,
            origin: origin.to_string(),
            line,
            regex_line,
            path_line,
            builtin: false,
        });
    }
    Ok((file, out))
}

/// The rule packs compiled into the binary: `(file name, text)`.
pub fn builtin_files() -> &'static [(&'static str, &'static str)] {
    include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"))
}

impl RuleSources {
    /// The built-in rules.
    pub fn builtin() -> Result<Self, RuleError> {
        let mut s = RuleSources::default();
        for (name, text) in builtin_files() {
            s.add_text_kind(&format!("rules/secrets/{name}"), text, Origin::Builtin)?;
        }
        Ok(s)
    }

    /// Adds (or overrides by id) the rules of a user's configuration file.
    pub fn add_file(&mut self, path: &Path) -> Result<(), RuleError> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| RuleError::Read {
            origin: origin.clone(),
            message: e.to_string(),
        })?;
        self.add_text_kind(&origin, &text, Origin::User)
    }

    /// Adds (or overrides by id) the rules of a configuration's text; `origin` names it in errors.
    pub fn add_text(&mut self, origin: &str, text: &str) -> Result<(), RuleError> {
        self.add_text_kind(origin, text, Origin::User)
    }

    fn add_text_kind(&mut self, origin: &str, text: &str, kind: Origin) -> Result<(), RuleError> {
        let (file, rules) = parse_rule_file(origin, text)?;
        if let Some(ext) = &file.extend {
            if ext.path.is_some() || ext.url.is_some() {
                return Err(RuleError::Invalid {
                    origin: origin.to_string(),
                    line: None,
                    rule: None,
                    message: "`[extend]` with `path` or `url` is not supported; pass each file with its own --config".into(),
                });
            }
            if ext.use_default == Some(false) {
                self.rules.retain(|_, r| !r.builtin);
            }
            for id in &ext.disabled_rules {
                self.rules.remove(id);
            }
        }
        for mut r in rules {
            r.builtin = kind == Origin::Builtin;
            if r.def.id.trim().is_empty() {
                return Err(RuleError::Invalid {
                    origin: origin.to_string(),
                    line: Some(r.line),
                    rule: None,
                    message: "rule has an empty `id`".into(),
                });
            }
            if kind == Origin::Builtin && self.rules.contains_key(&r.def.id) {
                return Err(RuleError::Invalid {
                    origin: origin.to_string(),
                    line: Some(r.line),
                    rule: Some(r.def.id.clone()),
                    message: "duplicate built-in rule id".into(),
                });
            }
            self.rules.insert(r.def.id.clone(), r);
        }
        if let Some(a) = file.allowlist {
            self.global_allowlists.push((origin.to_string(), a));
        }
        for a in file.allowlists {
            self.global_allowlists.push((origin.to_string(), a));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    Builtin,
    User,
}

/// Parses a severity field, defaulting to `high` as gitleaks rules have none.
pub(crate) fn severity_of(r: &SourcedRule) -> Result<Severity, RuleError> {
    match &r.def.severity {
        None => Ok(Severity::High),
        Some(s) => s
            .parse()
            .map_err(|e: gatehouse_core::ParseLevelError| RuleError::Invalid {
                origin: r.origin.clone(),
                line: Some(r.line),
                rule: Some(r.def.id.clone()),
                message: format!("field `severity`: {e}"),
            }),
    }
}

pub(crate) fn confidence_of(r: &SourcedRule) -> Result<Confidence, RuleError> {
    match &r.def.confidence {
        None => Ok(Confidence::Medium),
        Some(s) => s
            .parse()
            .map_err(|e: gatehouse_core::ParseLevelError| RuleError::Invalid {
                origin: r.origin.clone(),
                line: Some(r.line),
                rule: Some(r.def.id.clone()),
                message: format!("field `confidence`: {e}"),
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gitleaks_config_parses_as_is() {
        let text = r#"
title = "custom"
[extend]
useDefault = true
disabledRules = ["generic-api-key"]

[[rules]]
id = "internal-token"
description = "Internal token"
regex = '''(?i)internal[_-]?token\s*=\s*["']([a-z0-9]{32})["']'''
secretGroup = 1
entropy = 3.2
keywords = ["internal"]
tags = ["internal"]
[rules.allowlist]
regexes = ['''0{32}''']

[[rules]]
id = "other"
regex = '''other_[a-z]{10}'''
[[rules.allowlists]]
condition = "AND"
regexTarget = "line"
paths = ['''test''']
stopwords = ["fixture"]

[allowlist]
paths = ['''(^|/)vendor/''']
"#;
        let (file, rules) = parse_rule_file("custom.toml", text).unwrap();
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0].def.secret_group, Some(1));
        assert_eq!(rules[0].line, 7);
        assert_eq!(rules[0].regex_line, 10);
        assert!(file.allowlist.is_some());
        assert_eq!(file.extend.unwrap().disabled_rules, vec!["generic-api-key"]);
    }

    #[test]
    fn unknown_keys_name_the_line() {
        let text = "[[rules]]\nid = \"x\"\nregx = \"a\"\n";
        let err = parse_rule_file("bad.toml", text).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("bad.toml:3"), "{msg}");
        assert!(msg.contains("regx"), "{msg}");
    }
}
