//! Which language a file is in: extension, well-known name, `#!` line.

use std::path::Path;

use super::Language;

const PYTHON: &[&str] = &["py", "pyi", "pyw"];
const JAVASCRIPT: &[&str] = &["js", "mjs", "cjs", "jsx"];
const TYPESCRIPT: &[&str] = &["ts", "mts", "cts"];
const TSX: &[&str] = &["tsx"];
const JAVA: &[&str] = &["java"];
const GO: &[&str] = &["go"];
const CSHARP: &[&str] = &["cs", "csx"];
const PHP: &[&str] = &[
    "php", "phtml", "php3", "php4", "php5", "php7", "php8", "phps",
];
const RUBY: &[&str] = &["rb", "rake", "gemspec", "ru", "rbw", "jbuilder"];
const KOTLIN: &[&str] = &["kt", "kts"];
const C: &[&str] = &["c", "h"];
const CPP: &[&str] = &[
    "cc", "cpp", "cxx", "c++", "hpp", "hh", "hxx", "h++", "ipp", "tpp", "ino",
];
const BASH: &[&str] = &["sh", "bash"];

pub(super) fn extensions(lang: Language) -> &'static [&'static str] {
    match lang {
        Language::Python => PYTHON,
        Language::JavaScript => JAVASCRIPT,
        Language::TypeScript => TYPESCRIPT,
        Language::Tsx => TSX,
        Language::Java => JAVA,
        Language::Go => GO,
        Language::CSharp => CSHARP,
        Language::Php => PHP,
        Language::Ruby => RUBY,
        Language::Kotlin => KOTLIN,
        Language::C => C,
        Language::Cpp => CPP,
        Language::Bash => BASH,
    }
}

/// File names (exact, as written) that say the language without an extension.
const NAMES: &[(&str, Language)] = &[
    ("Rakefile", Language::Ruby),
    ("Gemfile", Language::Ruby),
    ("Guardfile", Language::Ruby),
    ("Vagrantfile", Language::Ruby),
    ("Podfile", Language::Ruby),
    ("Fastfile", Language::Ruby),
    ("Brewfile", Language::Ruby),
    (".bashrc", Language::Bash),
    (".bash_profile", Language::Bash),
    (".bash_login", Language::Bash),
    (".bash_logout", Language::Bash),
    (".bash_aliases", Language::Bash),
    (".profile", Language::Bash),
];

pub(super) fn from_path(path: &Path, first_line: Option<&[u8]>) -> Option<Language> {
    let file_name = path.file_name()?.to_str();
    if let Some(name) = file_name {
        if let Some(&(_, lang)) = NAMES.iter().find(|(n, _)| *n == name) {
            return Some(lang);
        }
    }
    let by_extension = path
        .extension()
        .and_then(|e| e.to_str())
        .and_then(from_extension);
    if by_extension.is_some() {
        return by_extension;
    }
    first_line.and_then(from_shebang)
}

fn from_extension(ext: &str) -> Option<Language> {
    let ext = ext.to_ascii_lowercase();
    Language::all()
        .iter()
        .copied()
        .find(|&lang| extensions(lang).contains(&ext.as_str()))
}

/// The interpreter of a `#!` line: `#!/usr/bin/python3.11`, `#!/usr/bin/env -S node --flag`,
/// `#!/usr/bin/env FOO=1 ruby`.
pub(super) fn from_shebang(first_line: &[u8]) -> Option<Language> {
    let rest = first_line.strip_prefix(b"#!")?;
    let line = rest.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = std::str::from_utf8(line).ok()?;
    let mut words = line.split_whitespace();
    let mut program = basename(words.next()?);
    if program == "env" {
        // Skip env's options and variable assignments.
        program = words
            .find(|w| !w.starts_with('-') && !w.contains('='))
            .map(basename)?;
    }
    interpreter(program)
}

fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn interpreter(program: &str) -> Option<Language> {
    // `python3.11` → `python`; `ruby2.7` → `ruby`.
    let name = program.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    let lang = match name {
        "python" | "pypy" | "pythonw" => Language::Python,
        "node" | "nodejs" => Language::JavaScript,
        "ts-node" | "tsx" => Language::TypeScript,
        "ruby" | "jruby" | "rbx" => Language::Ruby,
        "php" | "php-cgi" => Language::Php,
        "bash" | "sh" | "dash" | "ash" | "ksh" | "mksh" => Language::Bash,
        "kotlin" | "kscript" => Language::Kotlin,
        _ => return None,
    };
    Some(lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_extension_belongs_to_one_language() {
        let mut seen = std::collections::HashSet::new();
        for &lang in Language::all() {
            for ext in extensions(lang) {
                assert!(seen.insert(*ext), "{ext} twice");
                assert_eq!(from_extension(ext), Some(lang));
            }
        }
    }

    #[test]
    fn shebangs() {
        let cases: &[(&[u8], Option<Language>)] = &[
            (b"#!/usr/bin/env python3\n", Some(Language::Python)),
            (b"#!/usr/bin/python3.11 -u", Some(Language::Python)),
            (b"#! /bin/sh", Some(Language::Bash)),
            (
                b"#!/usr/bin/env -S node --experimental",
                Some(Language::JavaScript),
            ),
            (b"#!/usr/bin/env FOO=1 ruby", Some(Language::Ruby)),
            (b"#!/usr/bin/env", None),
            (b"#!/usr/bin/perl", None),
            (b"print('no shebang')", None),
            (b"#!\xff\xfe", None),
        ];
        for (line, want) in cases {
            assert_eq!(
                from_shebang(line),
                *want,
                "{}",
                String::from_utf8_lossy(line)
            );
        }
    }
}
