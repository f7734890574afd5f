//! Gradle dependency locks: `gradle.lockfile` and `buildscript-gradle.lockfile` (Gradle 6+,
//! `group:artifact:version=conf1,conf2`), and the older one-file-per-configuration locks whose
//! lines have no `=configurations` part.
//!
//! A package is dev when every configuration that resolves it is a test configuration
//! (`testRuntimeClasspath`, `integrationTestCompileClasspath`, …) or Spring Boot's
//! `developmentOnly`; the lock does not say which packages the build script names, so `direct`
//! is unknown.

use std::path::Path;

use crate::lockfile::Format;
use crate::{Ecosystem, Manifest, Package, ParseError};

pub fn parse(_path: &Path, text: &str) -> Result<Manifest, ParseError> {
    let mut manifest = Manifest::new(Format::GradleLockfile);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (index, raw) in text.lines().enumerate() {
        let line_no = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (coordinates, configurations) = match line.split_once('=') {
            Some((c, confs)) => (c.trim(), Some(confs.trim())),
            None => (line, None),
        };
        let configurations: Option<Vec<&str>> = match configurations {
            None => None,
            Some("") => Some(Vec::new()),
            Some(list) => {
                let names: Vec<&str> = list.split(',').map(str::trim).collect();
                if !names.iter().all(|n| is_configuration_name(n)) {
                    manifest.warn(
                        Some(line_no),
                        format!("{line}: malformed lock entry, ignored"),
                    );
                    continue;
                }
                Some(names)
            }
        };
        // `empty=` lists the configurations that resolve nothing.
        if coordinates == "empty" && configurations.is_some() {
            continue;
        }
        let parts: Vec<&str> = coordinates.split(':').collect();
        let [group, artifact, version] = parts.as_slice() else {
            manifest.warn(
                Some(line_no),
                format!("{line}: not a group:artifact:version lock entry, ignored"),
            );
            continue;
        };
        if [group, artifact, version]
            .iter()
            .any(|p| p.is_empty() || p.contains(char::is_whitespace))
        {
            manifest.warn(
                Some(line_no),
                format!("{line}: not a group:artifact:version lock entry, ignored"),
            );
            continue;
        }
        let mut package = Package::new(Ecosystem::Maven, format!("{group}:{artifact}"), *version);
        package.line = Some(line_no);
        package.dev = configurations
            .filter(|c| !c.is_empty())
            .map(|c| c.iter().all(|n| is_dev_configuration(n)));
        manifest.packages.push(package);
    }
    Ok(manifest)
}

fn is_configuration_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'$'))
}

fn is_dev_configuration(name: &str) -> bool {
    name.to_ascii_lowercase().contains("test") || name == "developmentOnly"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Manifest {
        parse(Path::new("gradle.lockfile"), text).unwrap()
    }

    #[test]
    fn entries_configurations_and_dev() {
        let m = parse_str(
            "# Gradle lock\n\
             com.google.guava:guava:31.1-jre=compileClasspath,runtimeClasspath\r\n\
             junit:junit:4.13.2=testCompileClasspath,testRuntimeClasspath\n\
             org.springframework.boot:spring-boot-devtools:2.7.6=developmentOnly,runtimeClasspath\n\
             io.mockk:mockk:1.13.2=integrationTestRuntimeClasspath,developmentOnly\n\
             org.old:per-configuration:1.0\n\
             empty=annotationProcessor,testAnnotationProcessor\n",
        );
        let got: Vec<_> = m
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.line, p.dev, p.direct))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "com.google.guava:guava",
                    "31.1-jre",
                    Some(2),
                    Some(false),
                    None
                ),
                ("junit:junit", "4.13.2", Some(3), Some(true), None),
                (
                    "org.springframework.boot:spring-boot-devtools",
                    "2.7.6",
                    Some(4),
                    Some(false),
                    None
                ),
                ("io.mockk:mockk", "1.13.2", Some(5), Some(true), None),
                ("org.old:per-configuration", "1.0", Some(6), None, None),
            ]
        );
        assert!(m.warnings.is_empty());
    }

    #[test]
    fn bad_lines_are_warnings() {
        let m = parse_str(">>>\n////\nempty=======\na:b=x\n  a\na:b:c:d=x\n:b:1=x\nok:ok:1=c\n");
        assert_eq!(m.packages.len(), 1);
        let lines: Vec<_> = m.warnings.iter().map(|w| w.line.unwrap()).collect();
        assert_eq!(lines, vec![1, 2, 3, 4, 5, 6, 7]);
    }
}
