//! Rules in Semgrep syntax: loading and validation.
//!
//! A rule file is YAML with a `rules` list, each rule written in Semgrep's rule syntax. Loading
//! turns it into the typed [`Rule`] model and checks everything that can be checked without a
//! language's grammar: keys (an unknown or unsupported key is always an error), types, required
//! keys, metavariable names, regexes (compiled here), globs, duplicate ids and keys. Patterns
//! stay text, each with the file position of its text, for the matcher to parse; every error
//! names the file, line, column and key path ([`RuleError`]), and a file's errors are all
//! reported, not just the first.
//!
//! YAML: the `saphyr-parser` crate, read event by event. It is the maintained YAML 1.2 parser of
//! the yaml-rust lineage and reports a line and column for every scalar, sequence and mapping
//! (which `serde_yaml_ng` does not for nested values), and its event stream lets `yaml.rs` build
//! the tree without recursion, with its own nesting, alias and duplicate-key checks.
//!
//! **Architecture invariant:** no input makes the loader panic or overflow the stack: nesting
//! is limited, aliases are expanded within a budget, and nothing derived from the input is
//! unwrapped.

mod build;
mod error;
mod model;
mod yaml;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

pub use error::RuleError;
pub use model::{
    parse_severity, Condition, Conjunction, Focus, Formula, GenericCommentStyle, Language,
    LanguageKind, Level, Metadata, Metavariable, MetavariableComparison, MetavariablePattern,
    MetavariableRegex, Mode, Negation, PathFilter, Pattern, Position, RegexPattern, Rule,
    RuleOptions, RuleSource, SideEffect, TaintPropagator, TaintSanitizer, TaintSink, TaintSource,
    TaintSpec, TextOrigin, TextStyle,
};

/// Loads the rules in `text`; `origin` names it in errors and in the rules' sources (a file
/// name, or something like `<builtin>/python.yaml`). Any error fails the whole text.
pub fn load_str(text: &str, origin: &str) -> Result<Vec<Rule>, Vec<RuleError>> {
    let built = build::build(text.strip_prefix('\u{feff}').unwrap_or(text), origin);
    if built.errors.is_empty() {
        Ok(built.rules)
    } else {
        Err(built.errors)
    }
}

/// Loads the rules of one file. Any error fails the whole file.
pub fn load_file(path: &Path) -> Result<Vec<Rule>, Vec<RuleError>> {
    let built = build_file(path);
    if built.errors.is_empty() {
        Ok(built.rules)
    } else {
        Err(built.errors)
    }
}

/// Loads every rule under `paths`: files as named, and directories recursively (their `*.yaml`
/// and `*.yml` files, in file-name order, leaving out hidden entries and not following
/// symbolic links to directories). Rule ids must be unique across everything loaded.
///
/// Returns every rule that validated and every error: a broken rule is left out (and so is a
/// later rule reusing an id) but does not take the rest of its file down. Callers treat any
/// error as a configuration error; the rules are returned so that they can still list them.
pub fn load_paths(paths: &[PathBuf]) -> (Vec<Rule>, Vec<RuleError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        collect(path, &mut files, &mut errors);
    }
    let mut seen = HashSet::new();
    files.retain(|f| seen.insert(f.clone()));

    let mut rules: Vec<Rule> = Vec::new();
    for file in &files {
        let built = build_file(file);
        errors.extend(built.errors);
        rules.extend(built.rules);
    }
    errors.extend(retain_unique_ids(&mut rules));
    (rules, errors)
}

/// Keeps the first rule of each id and returns an error for every later one, naming where the
/// first is defined. Ids must be unique across everything loaded together.
pub fn retain_unique_ids(rules: &mut Vec<Rule>) -> Vec<RuleError> {
    let mut errors = Vec::new();
    let mut first: HashMap<String, (std::sync::Arc<str>, usize)> = HashMap::new();
    rules.retain(|rule| match first.get(&rule.id) {
        Some((file, line)) => {
            errors.push(RuleError::at(
                &rule.source.file,
                rule.source.line,
                rule.source.column,
                "",
                format!(
                    "duplicate rule id {:?} (first defined at {file}:{line})",
                    rule.id
                ),
            ));
            false
        }
        None => {
            first.insert(
                rule.id.clone(),
                (rule.source.file.clone(), rule.source.line),
            );
            true
        }
    });
    errors
}

fn build_file(path: &Path) -> build::Built {
    let name = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            return build::Built {
                rules: Vec::new(),
                errors: vec![RuleError::file_level(
                    &name,
                    format!("cannot read the file: {e}"),
                )],
            }
        }
    };
    match std::str::from_utf8(&bytes) {
        Ok(text) => build::build(text.strip_prefix('\u{feff}').unwrap_or(text), &name),
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let line = 1 + valid.iter().filter(|b| **b == b'\n').count();
            let line_start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            let column = 1 + String::from_utf8_lossy(&valid[line_start..])
                .chars()
                .count();
            build::Built {
                rules: Vec::new(),
                errors: vec![RuleError::at(
                    &name,
                    line,
                    column,
                    "",
                    "the file is not valid UTF-8",
                )],
            }
        }
    }
}

/// Adds `path` (a file) or the rule files under it (a directory) to `files`.
fn collect(path: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<RuleError>) {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => walk(path, files, errors),
        Ok(_) => files.push(path.to_path_buf()),
        Err(e) => errors.push(RuleError::file_level(
            &path.display().to_string(),
            format!("cannot read: {e}"),
        )),
    }
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<RuleError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push(RuleError::file_level(
                &dir.display().to_string(),
                format!("cannot read the directory: {e}"),
            ));
            return;
        }
    };
    let mut entries: Vec<_> = entries
        .filter_map(|entry| match entry {
            Ok(entry) => Some(entry),
            Err(e) => {
                errors.push(RuleError::file_level(
                    &dir.display().to_string(),
                    format!("cannot read the directory: {e}"),
                ));
                None
            }
        })
        .collect();
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        let is_rule_file = name.ends_with(".yaml") || name.ends_with(".yml");
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => walk(&path, files, errors),
            Ok(_) if !is_rule_file => {}
            // A symbolic link is followed to a file, never to a directory.
            Ok(_) => match std::fs::metadata(&path) {
                Ok(meta) if meta.is_file() => files.push(path),
                Ok(_) => {}
                Err(e) => errors.push(RuleError::file_level(
                    &path.display().to_string(),
                    format!("cannot read: {e}"),
                )),
            },
            Err(e) => errors.push(RuleError::file_level(
                &path.display().to_string(),
                format!("cannot read: {e}"),
            )),
        }
    }
}

#[cfg(test)]
mod tests;
