//! `Gemfile.lock` (and `gems.locked`).
//!
//! Each source section (`GEM`, `GIT`, `PATH`, `PLUGIN SOURCE`) lists its gems under `specs:` as
//! `name (version)` at four spaces, their own requirements at six. A platform suffix
//! (`nokogiri (1.13.3-x86_64-linux)`) is not part of the version: RubyGems versions contain no
//! `-`, so it is cut there. `DEPENDENCIES` lists what the Gemfile asks for, which makes those
//! gems direct. Bundler's lockfile does not record groups, so development-only is unknown.

use std::collections::HashSet;
use std::path::Path;

use crate::lockfile::text::{dedup, line_no};
use crate::lockfile::Format;
use crate::{Ecosystem, Manifest, Package, ParseError, SourceKind};

#[derive(Clone, Copy, PartialEq)]
enum Section {
    None,
    Source(SourceKind),
    Dependencies,
    Other,
}

pub fn parse(_path: &Path, text: &str) -> Result<Manifest, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut manifest = Manifest::new(Format::GemfileLock);
    let mut section = Section::None;
    let mut in_specs = false;
    let mut direct: Option<HashSet<String>> = None;

    for (i, raw) in text.lines().enumerate() {
        let no = line_no(i + 1);
        let line = raw.trim_end();
        if line.trim().is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent == 0 {
            in_specs = false;
            section = match line {
                "GEM" => Section::Source(SourceKind::Registry),
                "GIT" => Section::Source(SourceKind::Git),
                "PATH" => Section::Source(SourceKind::Path),
                "PLUGIN SOURCE" => Section::Source(SourceKind::Other),
                "DEPENDENCIES" => {
                    direct.get_or_insert_with(HashSet::new);
                    Section::Dependencies
                }
                "PLATFORMS" | "RUBY VERSION" | "BUNDLED WITH" | "CHECKSUMS" => Section::Other,
                // Sections Bundler may add later are skipped, as Bundler itself does.
                _ if line
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b == b' ' || b == b'_') =>
                {
                    Section::Other
                }
                _ => {
                    return Err(ParseError::at(
                        no,
                        format!("unexpected line {line:?}: not a Gemfile.lock?"),
                    ));
                }
            };
            continue;
        }
        let content = line.trim_start();
        match section {
            Section::Source(kind) => {
                if indent == 2 {
                    in_specs = content == "specs:";
                } else if indent == 4 && in_specs {
                    spec(&mut manifest, content, kind, no);
                }
            }
            Section::Dependencies if indent == 2 => {
                let name = content.split([' ', '!']).next().unwrap_or(content);
                if let Some(d) = direct.as_mut() {
                    d.insert(name.to_string());
                }
            }
            Section::None => {
                return Err(ParseError::at(
                    no,
                    "indented line outside any section: not a Gemfile.lock?",
                ));
            }
            _ => {}
        }
    }
    if let Some(d) = &direct {
        for p in &mut manifest.packages {
            p.direct = Some(d.contains(&p.name));
        }
    }
    manifest.packages = dedup(std::mem::take(&mut manifest.packages));
    Ok(manifest)
}

/// `name (version)` with an optional platform suffix on the version.
fn spec(manifest: &mut Manifest, content: &str, kind: SourceKind, no: u32) {
    let parsed = content.split_once(" (").and_then(|(name, rest)| {
        let version = rest.strip_suffix(')')?;
        let version = version.split('-').next().unwrap_or(version).trim();
        (!name.is_empty() && !version.is_empty()).then_some((name, version))
    });
    match parsed {
        Some((name, version)) => {
            let mut p = Package::new(Ecosystem::RubyGems, name, version);
            p.line = Some(no);
            p.source = kind;
            manifest.packages.push(p);
        }
        None => manifest.warn(Some(no), format!("gem spec {content:?} has no version")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(s: &str) -> Result<Manifest, ParseError> {
        parse(Path::new("Gemfile.lock"), s)
    }

    #[test]
    fn sections_platforms_and_direct() {
        let lock = "GIT\n  remote: https://github.com/x/y.git\n  revision: abc\n  specs:\n    y (2.0.0.alpha1)\n      z (~> 1.0)\n\nPATH\n  remote: vendor/w\n  specs:\n    w (0.1.0)\n\nGEM\n  remote: https://rubygems.org/\n  specs:\n    nokogiri (1.13.3-x86_64-linux)\n      racc (~> 1.4)\n    nokogiri (1.13.3-arm64-darwin)\n    racc (1.6.0)\n    z (1.1.1)\n\nPLATFORMS\n  x86_64-linux\n\nDEPENDENCIES\n  nokogiri (>= 1)\n  y!\n  w!\n\nBUNDLED WITH\n   2.4.0\n";
        let m = parse_str(lock).unwrap();
        let got: Vec<_> = m
            .packages
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.version.as_str(),
                    p.line,
                    p.direct,
                    p.source,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("y", "2.0.0.alpha1", Some(5), Some(true), SourceKind::Git),
                ("w", "0.1.0", Some(11), Some(true), SourceKind::Path),
                (
                    "nokogiri",
                    "1.13.3",
                    Some(16),
                    Some(true),
                    SourceKind::Registry
                ),
                ("racc", "1.6.0", Some(19), Some(false), SourceKind::Registry),
                ("z", "1.1.1", Some(20), Some(false), SourceKind::Registry),
            ]
        );
    }

    #[test]
    fn spec_without_version_is_a_warning() {
        let m = parse_str("GEM\n  remote: https://rubygems.org/\n  specs:\n    invalid-name\n")
            .unwrap();
        assert!(m.packages.is_empty());
        assert_eq!(m.warnings[0].line, Some(4));
    }

    #[test]
    fn garbage_is_an_error() {
        assert_eq!(
            parse_str("this is not a lockfile\n").unwrap_err().line,
            Some(1)
        );
        assert_eq!(parse_str("   indented\n").unwrap_err().line, Some(1));
        assert!(parse_str("").unwrap().packages.is_empty());
        // Without DEPENDENCIES directness is unknown.
        let m = parse_str("GEM\n  specs:\n    a (1.0)\n").unwrap();
        assert_eq!(m.packages[0].direct, None);
    }
}
