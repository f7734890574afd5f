//! Languages: grammars, file detection, parsing of source files and of Semgrep pattern snippets.
//!
//! # Grammars
//!
//! Every grammar is a crates.io crate that depends only on `tree-sitter-language` (not on the
//! core), so they all load into one core, `tree-sitter` 0.27.1, which accepts grammar ABI 13
//! to 15. `every_grammar_loads` (below) and the integration tests check that at run time.
//!
//! | language | crate | version | ABI |
//! |---|---|---|---|
//! | python | `tree-sitter-python` | 0.25.0 | 15 |
//! | javascript (with JSX) | `tree-sitter-javascript` | 0.25.0 | 15 |
//! | typescript, tsx | `tree-sitter-typescript` (`LANGUAGE_TYPESCRIPT`, `LANGUAGE_TSX`) | 0.23.2 | 14 |
//! | java | `tree-sitter-java` | 0.23.5 | 14 |
//! | go | `tree-sitter-go` | 0.25.0 | 15 |
//! | csharp | `tree-sitter-c-sharp` | 0.23.5 | 15 |
//! | php | `tree-sitter-php` (`LANGUAGE_PHP`: HTML with `<?php` islands, as `.php` files are) | 0.25.1 | 15 |
//! | ruby | `tree-sitter-ruby` | 0.23.1 | 14 |
//! | kotlin | `tree-sitter-kotlin-ng` (tree-sitter-grammars' grammar; the older `tree-sitter-kotlin` crate depends on a pre-0.23 core) | 1.1.0 | 14 |
//! | c | `tree-sitter-c` | 0.24.2 | 15 |
//! | cpp | `tree-sitter-cpp` | 0.23.4 | 14 |
//! | bash | `tree-sitter-bash` | 0.25.1 | 15 |
//!
//! No language of the brief was left out: each had a current crate on `tree-sitter-language`.
//!
//! # Rule languages and file languages
//!
//! A [`Language`] names both the language of a rule (`languages:` in the YAML) and the grammar a
//! file is parsed with. They differ in one place, as in Semgrep: TypeScript files ending in `.tsx`
//! need the TSX grammar (JSX is not valid in `.ts` files and `<T>x` casts are not valid in `.tsx`
//! files), but Semgrep has no `tsx` rule language: a `typescript` (`ts`) rule runs on `.ts` and
//! `.tsx` files, and a `javascript` (`js`) rule runs on `.js`, `.jsx`, `.mjs` and `.cjs` files but
//! not on TypeScript (registry rules list both languages when they mean both). The JavaScript
//! grammar parses JSX, so `.jsx` files are [`Language::JavaScript`]. See
//! [`Language::file_languages`]: a pattern of a `typescript` rule is parsed once per file
//! language ([`Language::TypeScript`] and [`Language::Tsx`]) because node kinds are compared
//! within one grammar.

mod detect;
mod parse;
mod pattern;
mod rewrite;
mod wrap;

use std::fmt;
use std::str::FromStr;

pub use parse::{
    parse, parse_with, ParseConfig, ParseFailure, ParsedFile, SyntaxError, DEFAULT_TIMEOUT,
    MAX_REPORTED_ERRORS,
};
pub use pattern::{
    parse_pattern, PatternError, PatternKind, PatternTree, Placeholder, PlaceholderKind,
};

/// A language Gatehouse parses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    Python,
    /// JavaScript, JSX included.
    JavaScript,
    /// TypeScript without JSX (`.ts`, `.mts`, `.cts`).
    TypeScript,
    /// TypeScript with JSX (`.tsx`).
    Tsx,
    Java,
    Go,
    CSharp,
    Php,
    Ruby,
    Kotlin,
    C,
    Cpp,
    Bash,
}

/// A name that [`Language::from_name`] does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language {0:?}")]
pub struct UnknownLanguage(pub String);

const ALL: [Language; 13] = [
    Language::Python,
    Language::JavaScript,
    Language::TypeScript,
    Language::Tsx,
    Language::Java,
    Language::Go,
    Language::CSharp,
    Language::Php,
    Language::Ruby,
    Language::Kotlin,
    Language::C,
    Language::Cpp,
    Language::Bash,
];

impl Language {
    /// Every language, in declaration order.
    pub fn all() -> &'static [Language] {
        &ALL
    }

    /// The canonical lower-case name, as Semgrep spells its language keys (`tsx` is ours: Semgrep
    /// folds it into `typescript`).
    pub fn name(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::JavaScript => "javascript",
            Language::TypeScript => "typescript",
            Language::Tsx => "tsx",
            Language::Java => "java",
            Language::Go => "go",
            Language::CSharp => "csharp",
            Language::Php => "php",
            Language::Ruby => "ruby",
            Language::Kotlin => "kotlin",
            Language::C => "c",
            Language::Cpp => "cpp",
            Language::Bash => "bash",
        }
    }

    /// The language a name or alias selects, case-insensitively: Semgrep's keys and aliases
    /// (`py`, `python2`, `python3`, `js`, `ts`, `golang`, `c#`, `kt`, `c++`, `sh`) and a few
    /// common extras (`cs`, `rb`, `jsx`, `py3`, `shell`, `cxx`, `node`).
    pub fn from_name(name: &str) -> Option<Language> {
        let lower = name.trim().to_ascii_lowercase();
        let lang = match lower.as_str() {
            "python" | "py" | "python2" | "python3" | "py3" => Language::Python,
            "javascript" | "js" | "jsx" | "node" | "nodejs" => Language::JavaScript,
            "typescript" | "ts" => Language::TypeScript,
            "tsx" => Language::Tsx,
            "java" => Language::Java,
            "go" | "golang" => Language::Go,
            "csharp" | "c#" | "cs" | "c-sharp" => Language::CSharp,
            "php" => Language::Php,
            "ruby" | "rb" => Language::Ruby,
            "kotlin" | "kt" | "kts" => Language::Kotlin,
            "c" => Language::C,
            "cpp" | "c++" | "cxx" | "cc" => Language::Cpp,
            "bash" | "sh" | "shell" => Language::Bash,
            _ => return None,
        };
        Some(lang)
    }

    /// The language of a file: by extension (case-insensitive), then by well-known file name
    /// (`Rakefile`, `Gemfile`, `.bashrc`), then, for other names, by the interpreter of a `#!`
    /// line (`first_line` is the file's first line or its first bytes; `None` skips the check).
    pub fn from_path(path: &std::path::Path, first_line: Option<&[u8]>) -> Option<Language> {
        detect::from_path(path, first_line)
    }

    /// The language a `#!` line names (`#!/usr/bin/env python3`, `#!/bin/sh`), if any.
    pub fn from_shebang(first_line: &[u8]) -> Option<Language> {
        detect::from_shebang(first_line)
    }

    /// The file extensions (without the dot, lower-case) that select this language.
    pub fn extensions(self) -> &'static [&'static str] {
        detect::extensions(self)
    }

    /// The file languages a rule written for `self` runs on (see the module documentation):
    /// `typescript` → TypeScript and TSX files; every other language → its own files only.
    pub fn file_languages(self) -> &'static [Language] {
        match self {
            Language::TypeScript => &[Language::TypeScript, Language::Tsx],
            Language::Python => &[Language::Python],
            Language::JavaScript => &[Language::JavaScript],
            Language::Tsx => &[Language::Tsx],
            Language::Java => &[Language::Java],
            Language::Go => &[Language::Go],
            Language::CSharp => &[Language::CSharp],
            Language::Php => &[Language::Php],
            Language::Ruby => &[Language::Ruby],
            Language::Kotlin => &[Language::Kotlin],
            Language::C => &[Language::C],
            Language::Cpp => &[Language::Cpp],
            Language::Bash => &[Language::Bash],
        }
    }

    /// The rule language whose rules apply to files of this language: `Tsx` → `TypeScript`,
    /// every other language → itself.
    pub fn rule_language(self) -> Language {
        match self {
            Language::Tsx => Language::TypeScript,
            other => other,
        }
    }

    /// The tree-sitter grammar.
    pub fn ts_language(self) -> tree_sitter::Language {
        let f = match self {
            Language::Python => tree_sitter_python::LANGUAGE,
            Language::JavaScript => tree_sitter_javascript::LANGUAGE,
            Language::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT,
            Language::Tsx => tree_sitter_typescript::LANGUAGE_TSX,
            Language::Java => tree_sitter_java::LANGUAGE,
            Language::Go => tree_sitter_go::LANGUAGE,
            Language::CSharp => tree_sitter_c_sharp::LANGUAGE,
            Language::Php => tree_sitter_php::LANGUAGE_PHP,
            Language::Ruby => tree_sitter_ruby::LANGUAGE,
            Language::Kotlin => tree_sitter_kotlin_ng::LANGUAGE,
            Language::C => tree_sitter_c::LANGUAGE,
            Language::Cpp => tree_sitter_cpp::LANGUAGE,
            Language::Bash => tree_sitter_bash::LANGUAGE,
        };
        tree_sitter::Language::new(f)
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Language {
    type Err = UnknownLanguage;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Language::from_name(s).ok_or_else(|| UnknownLanguage(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_grammar_loads() {
        for &lang in Language::all() {
            let grammar = lang.ts_language();
            let abi = grammar.abi_version();
            assert!(
                (tree_sitter::MIN_COMPATIBLE_LANGUAGE_VERSION..=tree_sitter::LANGUAGE_VERSION)
                    .contains(&abi),
                "{lang}: ABI {abi}"
            );
            let mut parser = tree_sitter::Parser::new();
            assert!(parser.set_language(&grammar).is_ok(), "{lang}");
        }
    }

    #[test]
    fn names_round_trip() {
        for (i, &lang) in Language::all().iter().enumerate() {
            assert_eq!(lang.index(), i);
            assert_eq!(Language::from_name(lang.name()), Some(lang));
            assert_eq!(lang.name().parse::<Language>(), Ok(lang));
            assert_eq!(lang.to_string(), lang.name());
        }
        assert_eq!(
            "cobol".parse::<Language>(),
            Err(UnknownLanguage("cobol".into()))
        );
    }

    #[test]
    fn rule_and_file_languages_agree() {
        for &lang in Language::all() {
            for &file in lang.file_languages() {
                assert_eq!(file.rule_language(), lang.rule_language());
            }
            assert!(lang.rule_language().file_languages().contains(&lang));
        }
    }
}
