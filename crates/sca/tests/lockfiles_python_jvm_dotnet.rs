//! Every fixture of the pip requirements, Poetry, Pipenv, uv, PDM, Maven, Gradle and NuGet
//! parsers parses to the packages it lists, and malformed ones to a `ParseError`. Fixtures live
//! in `tests/data/lockfiles/<format>/` (sources in `PROVENANCE.md`); the expectations were
//! worked out by reading each file.
//!
//! A package is rendered as `name@version L<line> direct=<y|n|-> dev=<y|n|->`, then its source
//! when not a registry (`git`, `path`, `other`) and `file=<path>` when it is declared in another
//! file than the one parsed (a requirements include, a parent POM).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use gatehouse_sca::lockfile::Format;
use gatehouse_sca::{Ecosystem, Manifest, Package, ParseError, SourceKind};

/// The fixture directories this file covers, with their format.
const DIRS: [(&str, Format); 8] = [
    ("requirements-txt", Format::Requirements),
    ("poetry-lock", Format::PoetryLock),
    ("pipfile-lock", Format::PipfileLock),
    ("uv-lock", Format::UvLock),
    ("pdm-lock", Format::PdmLock),
    ("pom-xml", Format::PomXml),
    ("gradle-lockfile", Format::GradleLockfile),
    ("nuget-packages-lock-json", Format::NugetLock),
];

/// Real files, checked by the tests below rather than package by package.
const REAL: [&str; 12] = [
    "requirements-txt/home-assistant.requirements.txt",
    "requirements-txt/home-assistant.pinned.requirements.txt",
    "requirements-txt/airflow2-constraints.txt",
    "requirements-txt/jupyter.compiled.requirements.txt",
    "poetry-lock/osv.dev.poetry.lock",
    "uv-lock/uv-benchmark.uv.lock",
    "pom-xml/java-goof/pom.xml",
    "pom-xml/java-goof/log4shell-goof/pom.xml",
    "pom-xml/java-goof/log4shell-goof/log4shell-client/pom.xml",
    "pom-xml/java-goof/log4shell-goof/log4shell-server/pom.xml",
    "pom-xml/java-goof/todolist-goof/pom.xml",
    "pom-xml/java-goof/todolist-goof/todolist-core/pom.xml",
];

/// More real files (the multi-module Maven project's web modules).
const REAL_MORE: [&str; 2] = [
    "pom-xml/java-goof/todolist-goof/todolist-web-common/pom.xml",
    "pom-xml/java-goof/todolist-goof/todolist-web-struts/pom.xml",
];

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/lockfiles")
}

fn flag(b: Option<bool>) -> &'static str {
    match b {
        Some(true) => "y",
        Some(false) => "n",
        None => "-",
    }
}

fn render_one(p: &Package) -> String {
    let source = match p.source {
        SourceKind::Registry => "",
        SourceKind::Git => " git",
        SourceKind::Path => " path",
        SourceKind::Other => " other",
    };
    let line = p.line.map_or("-".to_string(), |l| l.to_string());
    let file = p
        .file
        .as_ref()
        .map(|f| format!(" file={}", f.strip_prefix(data()).unwrap_or(f).display()))
        .unwrap_or_default();
    format!(
        "{}@{} L{line} direct={} dev={}{source}{file}",
        p.name,
        p.version,
        flag(p.direct),
        flag(p.dev)
    )
}

fn render(m: &Manifest) -> Vec<String> {
    m.packages.iter().map(render_one).collect()
}

fn warning_lines(m: &Manifest) -> Vec<u32> {
    m.warnings.iter().map(|w| w.line.unwrap_or(0)).collect()
}

fn parse(format: Format, rel: &str) -> Result<Manifest, ParseError> {
    let path = data().join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    format.parse(&path, &text)
}

enum Expect {
    /// Exactly these packages, in this order, and warnings at these lines.
    All(&'static [&'static str], &'static [u32]),
    /// A parse error at this line.
    Error(Option<u32>),
}

struct Case {
    format: Format,
    path: &'static str,
    expect: Expect,
}

fn case(
    format: Format,
    path: &'static str,
    packages: &'static [&'static str],
    warnings: &'static [u32],
) -> Case {
    Case {
        format,
        path,
        expect: Expect::All(packages, warnings),
    }
}

fn error(format: Format, path: &'static str, line: Option<u32>) -> Case {
    Case {
        format,
        path,
        expect: Expect::Error(line),
    }
}

fn cases() -> Vec<Case> {
    vec![
        case(
            Format::GradleLockfile,
            "gradle-lockfile/5-pkg",
            &[
                "org.springframework.boot:spring-boot-autoconfigure@2.7.4 L5 direct=- dev=n",
                "org.springframework.boot:spring-boot-configuration-processor@2.7.5 L6 direct=- dev=n",
                "org.springframework.boot:spring-boot-devtools@2.7.6 L7 direct=- dev=n",
                "org.springframework.boot:spring-boot-starter-aop@2.7.7 L8 direct=- dev=n",
                "org.springframework.boot:spring-boot-starter-data-jpa@2.7.8 L9 direct=- dev=n",
            ],
            &[],
        ),
        case(
            Format::GradleLockfile,
            "gradle-lockfile/one-pkg",
            &[
                "org.springframework.security:spring-security-crypto@5.7.3 L4 direct=- dev=n",
            ],
            &[],
        ),
        case(
            Format::GradleLockfile,
            "gradle-lockfile/only-comments",
            &[
            ],
            &[],
        ),
        case(
            Format::GradleLockfile,
            "gradle-lockfile/only-empty",
            &[
            ],
            &[],
        ),
        case(
            Format::GradleLockfile,
            "gradle-lockfile/with-bad-pkg",
            &[
                "org.springframework.boot:spring-boot-autoconfigure@2.7.4 L7 direct=- dev=n",
                "org.springframework.boot:spring-boot-configuration-processor@2.7.5 L14 direct=- dev=n",
            ],
            &[3, 4, 5, 9, 10],
        ),
        error(Format::NugetLock, "nuget-packages-lock-json/invalid/invalid", Some(1)),
        case(
            Format::NugetLock,
            "nuget-packages-lock-json/valid/packages.lock.json",
            &[
                "Core.Dep@1.24.0 L5 direct=y dev=-",
                "Some.Dep.One@1.1.1 L20 direct=n dev=-",
                "Some.Dep.Two@4.6.0 L25 direct=n dev=-",
                "Some.Dep.Three@1.0.2 L30 direct=n dev=-",
                "Some.Dep.Four@4.5.0 L39 direct=n dev=-",
                "Some.Longer.Name.Dep@4.7.2 L44 direct=n dev=-",
                "Some.Dep.Five@4.7.2 L49 direct=n dev=-",
                "Another.Longer.Name.Dep@4.5.4 L54 direct=n dev=-",
            ],
            &[],
        ),
        case(
            Format::PdmLock,
            "pdm-lock/dev-dependency.toml",
            &[
                "pyroute2@0.7.11 L11 direct=- dev=y",
                "toml@0.10.2 L23 direct=- dev=n",
                "win-inet-pton@1.1.0 L34 direct=- dev=y",
            ],
            &[],
        ),
        case(
            Format::PdmLock,
            "pdm-lock/empty-file.toml",
            &[
            ],
            &[],
        ),
        case(
            Format::PdmLock,
            "pdm-lock/empty.toml",
            &[
            ],
            &[],
        ),
        case(
            Format::PdmLock,
            "pdm-lock/git-dependency.toml",
            &[
                "toml@0.10.2 L11 direct=- dev=n git",
            ],
            &[],
        ),
        case(
            Format::PdmLock,
            "pdm-lock/names-outside-package-block.toml",
            &[
                "first-pkg@1.0.0 L12 direct=- dev=n",
                "second-pkg@2.0.0 L26 direct=- dev=n",
            ],
            &[],
        ),
        error(Format::PdmLock, "pdm-lock/not-toml.txt", Some(1)),
        case(
            Format::PdmLock,
            "pdm-lock/optional-dependency.toml",
            &[
                "pyroute2@0.7.11 L11 direct=- dev=-",
                "toml@0.10.2 L23 direct=- dev=n",
                "win-inet-pton@1.1.0 L34 direct=- dev=-",
            ],
            &[],
        ),
        case(
            Format::PdmLock,
            "pdm-lock/single-package.toml",
            &[
                "toml@0.10.2 L11 direct=- dev=n",
            ],
            &[],
        ),
        case(
            Format::PdmLock,
            "pdm-lock/two-packages.toml",
            &[
                "six@1.16.0 L11 direct=- dev=n",
                "toml@0.10.2 L22 direct=- dev=n",
            ],
            &[],
        ),
        error(Format::PipfileLock, "pipfile-lock/empty-file", Some(1)),
        case(
            Format::PipfileLock,
            "pipfile-lock/empty.json",
            &[
            ],
            &[],
        ),
        case(
            Format::PipfileLock,
            "pipfile-lock/minified.json",
            &[
                "markupsafe@2.1.1 L1 direct=- dev=n",
            ],
            &[],
        ),
        case(
            Format::PipfileLock,
            "pipfile-lock/multiple-packages.json",
            &[
                "itsdangerous@2.1.2 L19 direct=- dev=n",
                "pluggy@1.0.1 L27 direct=- dev=n",
                "markupsafe@2.1.1 L32 direct=- dev=n",
                "pluggy@1.0.0 L88 direct=- dev=y",
            ],
            &[],
        ),
        case(
            Format::PipfileLock,
            "pipfile-lock/no-version.json",
            &[
            ],
            &[19, 26],
        ),
        error(Format::PipfileLock, "pipfile-lock/not-json.txt", Some(1)),
        case(
            Format::PipfileLock,
            "pipfile-lock/one-package-dev.json",
            &[
                "markupsafe@2.1.1 L20 direct=- dev=y",
            ],
            &[],
        ),
        case(
            Format::PipfileLock,
            "pipfile-lock/one-package.json",
            &[
                "markupsafe@2.1.1 L19 direct=- dev=n",
            ],
            &[],
        ),
        case(
            Format::PipfileLock,
            "pipfile-lock/two-packages-alt.json",
            &[
                "itsdangerous@2.1.2 L19 direct=- dev=n",
                "markupsafe@2.1.1 L27 direct=- dev=n",
            ],
            &[],
        ),
        case(
            Format::PipfileLock,
            "pipfile-lock/two-packages.json",
            &[
                "itsdangerous@2.1.2 L19 direct=- dev=n",
                "markupsafe@2.1.1 L29 direct=- dev=y",
            ],
            &[],
        ),
        case(
            Format::PoetryLock,
            "poetry-lock/empty-file.lock",
            &[
            ],
            &[],
        ),
        case(
            Format::PoetryLock,
            "poetry-lock/empty.lock",
            &[
            ],
            &[],
        ),
        case(
            Format::PoetryLock,
            "poetry-lock/multiple-packages.v2.lock",
            &[
                "async-timeout@5.0.1 L4 direct=- dev=n",
                "factory-boy@3.3.1 L17 direct=- dev=y",
                "faker@33.3.0 L36 direct=- dev=y",
                "proto-plus@1.22.0 L52 direct=- dev=n",
                "proto-plus@1.23.0 L71 direct=- dev=n",
                "protobuf@4.25.5 L90 direct=- dev=n",
                "python-dateutil@2.9.0.post0 L111 direct=- dev=y",
                "redis@5.2.1 L126 direct=- dev=n",
                "six@1.17.0 L146 direct=- dev=n",
                "typing-extensions@4.12.2 L158 direct=- dev=y",
                "urllib3@2.3.0 L170 direct=- dev=y",
            ],
            &[],
        ),
        case(
            Format::PoetryLock,
            "poetry-lock/names-outside-package-block.lock",
            &[
                "first-pkg@1.0.0 L5 direct=- dev=-",
                "second-pkg@2.0.0 L18 direct=- dev=-",
            ],
            &[],
        ),
        error(Format::PoetryLock, "poetry-lock/not-toml.txt", Some(1)),
        case(
            Format::PoetryLock,
            "poetry-lock/one-package-with-metadata.lock",
            &[
                "emoji@2.0.0 L2 direct=- dev=n",
            ],
            &[],
        ),
        case(
            Format::PoetryLock,
            "poetry-lock/one-package.lock",
            &[
                "numpy@1.23.3 L2 direct=- dev=n",
            ],
            &[],
        ),
        case(
            Format::PoetryLock,
            "poetry-lock/optional-package.lock",
            &[
                "numpy@1.23.3 L2 direct=- dev=n",
            ],
            &[],
        ),
        case(
            Format::PoetryLock,
            "poetry-lock/source-git.lock",
            &[
                "ike@0.2.0 L2 direct=- dev=n git",
            ],
            &[],
        ),
        case(
            Format::PoetryLock,
            "poetry-lock/source-legacy.lock",
            &[
                "appdirs@1.4.4 L2 direct=- dev=n",
            ],
            &[],
        ),
        case(
            Format::PoetryLock,
            "poetry-lock/two-packages.lock",
            &[
                "proto-plus@1.22.0 L2 direct=- dev=n",
                "protobuf@4.21.5 L16 direct=- dev=n",
            ],
            &[],
        ),
        case(
            Format::PomXml,
            "pom-xml/ambiguous-interpolation.xml",
            &[
                "com.example:common-lib@1.0.0 L8 direct=y dev=n",
            ],
            &[],
        ),
        case(
            Format::PomXml,
            "pom-xml/empty.xml",
            &[
            ],
            &[],
        ),
        case(
            Format::PomXml,
            "pom-xml/encoding.xml",
            &[
                "junit:junit@4.12 L16 direct=y dev=n",
            ],
            &[],
        ),
        case(
            Format::PomXml,
            "pom-xml/explicit-jar.xml",
            &[
                "org.different:my-lib@1.0.0 L12 direct=y dev=n",
                "com.example:my-lib@1.0.0 L17 direct=y dev=n",
            ],
            &[],
        ),
        case(
            Format::PomXml,
            "pom-xml/interpolate-drop.xml",
            &[
                "com.example:actual-artifact@1.0.0 L11 direct=y dev=n",
            ],
            &[8],
        ),
        case(
            Format::PomXml,
            "pom-xml/interpolation.xml",
            &[
                "org.mine:mypackage@1.0.0 L18 direct=y dev=n",
                "org.mine:my.package@2.3.4 L24 direct=y dev=n",
            ],
            &[30],
        ),
        error(Format::PomXml, "pom-xml/invalid-syntax.xml", Some(3)),
        case(
            Format::PomXml,
            "pom-xml/multi-version.xml",
            &[
                "abc:example.com@1.0.0 L8 direct=y dev=n",
                "abc:example.com@1.1.1 L13 direct=y dev=n",
            ],
            &[],
        ),
        error(Format::PomXml, "pom-xml/not-pom.txt", Some(1)),
        case(
            Format::PomXml,
            "pom-xml/one-package.xml",
            &[
                "org.apache.maven:maven-artifact@1.0.0 L7 direct=y dev=n",
            ],
            &[],
        ),
        case(
            Format::PomXml,
            "pom-xml/parent/pom.xml",
            &[
                "org.dave:dave@4.0.0 L15 direct=y dev=n",
            ],
            &[],
        ),
        case(
            Format::PomXml,
            "pom-xml/plugin-dependency.xml",
            &[
                "com.example:hijack-lib@1.0.0 L27 direct=y dev=n",
            ],
            &[],
        ),
        case(
            Format::PomXml,
            "pom-xml/profiles.xml",
            &[
                "org.profile:profile-dep@1.2.3 L15 direct=y dev=n",
            ],
            &[],
        ),
        case(
            Format::PomXml,
            "pom-xml/transitive.xml",
            &[
                "org.direct:alice@1.0.0 L17 direct=y dev=n",
                "org.direct:bob@2.0.0 L22 direct=y dev=n",
                "org.direct:chris@3.0.0 L27 direct=y dev=n",
                "org.transitive:frank@4.4.4 L8 direct=n dev=-",
            ],
            &[],
        ),
        case(
            Format::PomXml,
            "pom-xml/two-packages.xml",
            &[
                "io.netty:netty-all@4.1.42.Final L7 direct=y dev=n",
                "org.slf4j:slf4j-log4j12@1.7.25 L12 direct=y dev=n",
            ],
            &[],
        ),
        case(
            Format::PomXml,
            "pom-xml/with-dependency-management.xml",
            &[
                "io.netty:netty-all@4.1.9 L7 direct=y dev=n",
                "org.slf4j:slf4j-log4j12@1.7.25 L12 direct=y dev=n",
                "com.google.code.findbugs:jsr305@3.0.2 L26 direct=n dev=-",
            ],
            &[],
        ),
        case(
            Format::PomXml,
            "pom-xml/with-multiple-classifiers.xml",
            &[
                "com.example:my-lib@1.0.0 L8 direct=y dev=n",
            ],
            &[],
        ),
        case(
            Format::PomXml,
            "pom-xml/with-parent.xml",
            &[
                "org.alice:alice@1.0.0 L18 direct=y dev=n",
                "org.bob:bob@2.0.0 L23 direct=y dev=n",
                "org.chuck:chuck@3.0.0 L28 direct=y dev=n",
                "org.import:import@1.2.3 L45 direct=n dev=-",
                "org.dave:dave@4.0.0 L15 direct=y dev=n file=pom-xml/parent/pom.xml",
            ],
            &[32],
        ),
        case(
            Format::PomXml,
            "pom-xml/with-scope.xml",
            &[
                "abc:xyz@1.2.3 L3 direct=y dev=n",
                "junit:junit@4.12 L9 direct=y dev=y",
            ],
            &[],
        ),
        case(
            Format::PomXml,
            "pom-xml/with-type-classifier.xml",
            &[
                "abc:xyz@1.0.0 L3 direct=y dev=n",
            ],
            &[],
        ),
        case(
            Format::Requirements,
            "requirements-txt/comments.txt",
            &[
                "PyCrypto@1.2-alpha L2 direct=y dev=-",
                "GMPY2@1 L3 direct=y dev=-",
                "SymPy@1.2 L6 direct=y dev=-",
                "requests@1.0 L7 direct=y dev=-",
                "six@1.2 L8 direct=y dev=-",
            ],
            &[],
        ),
        case(
            Format::Requirements,
            "requirements-txt/env_var.txt",
            &[
                "asdf@1.2 L1 direct=y dev=-",
                "another@1.0 L3 direct=y dev=-",
            ],
            &[2],
        ),
        case(
            Format::Requirements,
            "requirements-txt/example.txt",
            &[
                "docopt@0.6.1 L8 direct=y dev=-",
                "pandas@2.2.3 L1 direct=y dev=- file=requirements-txt/other-requirements.txt",
            ],
            &[3, 4, 5, 9, 10, 13, 15, 17, 22, 25, 28],
        ),
        case(
            Format::Requirements,
            "requirements-txt/extras.txt",
            &[
                "pyjwt@2.1.0 L1 direct=y dev=-",
                "celery@4.4.7 L2 direct=y dev=-",
            ],
            &[],
        ),
        case(
            Format::Requirements,
            "requirements-txt/invalid.txt",
            &[
            ],
            &[1, 2, 3, 4],
        ),
        case(
            Format::Requirements,
            "requirements-txt/loop.txt",
            &[
            ],
            &[2],
        ),
        case(
            Format::Requirements,
            "requirements-txt/multiline_and_comments.txt",
            &[
                "pkgA@1.0 L3 direct=y dev=-",
                "pkgB@2.0 L7 direct=y dev=-",
            ],
            &[],
        ),
        case(
            Format::Requirements,
            "requirements-txt/no_version.txt",
            &[
            ],
            &[1, 2, 3],
        ),
        case(
            Format::Requirements,
            "requirements-txt/other-loop.txt",
            &[
            ],
            &[2],
        ),
        case(
            Format::Requirements,
            "requirements-txt/other-requirements.txt",
            &[
                "pandas@2.2.3 L1 direct=y dev=-",
            ],
            &[],
        ),
        case(
            Format::Requirements,
            "requirements-txt/per_req_options.txt",
            &[
                "foo1@1.0 L1 direct=y dev=-",
                "foo2@1.0 L3 direct=y dev=-",
                "foo3@1.0 L5 direct=y dev=-",
                "foo4@1.0 L7 direct=y dev=-",
                "foo5@1.0 L9 direct=y dev=-",
                "foo6@1.0 L11 direct=y dev=-",
                "foo8@1.0 L15 direct=y dev=-",
                "foo9@1.0 L17 direct=y dev=-",
                "foo11@1.0 L22 direct=y dev=-",
                "foo12@1.0 L24 direct=y dev=-",
                "foo13@1.0 L26 direct=y dev=-",
                "foo14@1.0 L28 direct=y dev=-",
                "foo16-Client@1.0 L32 direct=y dev=-",
                "foo17--hash@1.0 L34 direct=y dev=-",
                "foo18-Client@1.0 L36 direct=y dev=-",
            ],
            &[13, 20, 30],
        ),
        case(
            Format::Requirements,
            "requirements-txt/trailing_backslash.txt",
            &[
                "pkg1@1.0 L1 direct=y dev=-",
            ],
            &[],
        ),
        case(
            Format::Requirements,
            "requirements-txt/with_versions.txt",
            &[
                "nltk@3.2.2 L1 direct=y dev=-",
                "tabulate@0.7.7 L2 direct=y dev=-",
                "qwerty@0.1 L5 direct=y dev=-",
                "hy-phen@1.2 L7 direct=y dev=-",
                "under_score@1.3 L8 direct=y dev=-",
                "pkg.dot.name@5.0.0 L9 direct=y dev=-",
                "yolo@1.0 L11 direct=y dev=-",
            ],
            &[3, 4, 10, 12],
        ),
        case(
            Format::UvLock,
            "uv-lock/empty.lock",
            &[
            ],
            &[],
        ),
        case(
            Format::UvLock,
            "uv-lock/grouped-packages.lock",
            &[
                "black@24.10.0 L5 direct=y dev=y",
                "click@8.1.7 L39 direct=y dev=n",
                "colorama@0.4.6 L51 direct=n dev=n",
                "emoji@2.14.0 L60 direct=y dev=n",
                "flake8@7.1.1 L69 direct=y dev=y",
                "mccabe@0.7.0 L83 direct=n dev=y",
                "mypy-extensions@1.0.0 L92 direct=n dev=y",
                "packaging@24.2 L101 direct=n dev=y",
                "pathspec@0.12.1 L110 direct=n dev=y",
                "platformdirs@4.3.6 L119 direct=n dev=y",
                "pycodestyle@2.12.1 L128 direct=n dev=y",
                "pyflakes@3.2.0 L137 direct=n dev=y",
                "tomli@2.2.1 L146 direct=n dev=y",
                "typing-extensions@4.12.2 L185 direct=n dev=y",
            ],
            &[],
        ),
        case(
            Format::UvLock,
            "uv-lock/names-outside-package-block.lock",
            &[
                "first-pkg@1.0.0 L5 direct=- dev=-",
                "second-pkg@2.0.0 L18 direct=- dev=-",
            ],
            &[],
        ),
        case(
            Format::UvLock,
            "uv-lock/no-dependencies.lock",
            &[
            ],
            &[],
        ),
        case(
            Format::UvLock,
            "uv-lock/no-packages.lock",
            &[
            ],
            &[],
        ),
        error(Format::UvLock, "uv-lock/not-toml.txt", Some(1)),
        case(
            Format::UvLock,
            "uv-lock/one-package.lock",
            &[
                "emoji@2.14.0 L5 direct=y dev=n",
            ],
            &[],
        ),
        case(
            Format::UvLock,
            "uv-lock/source-git.lock",
            &[
                "ruff@0.8.1 L5 direct=y dev=n git",
            ],
            &[],
        ),
        case(
            Format::UvLock,
            "uv-lock/two-packages.lock",
            &[
                "emoji@2.14.0 L5 direct=y dev=n",
                "protobuf@4.25.5 L14 direct=y dev=n",
            ],
            &[],
        ),
    ]
}

#[test]
fn fixtures_parse_to_their_packages() {
    let mut failures = Vec::new();
    for c in cases() {
        let got = parse(c.format, c.path);
        match (&c.expect, got) {
            (Expect::All(want, want_warnings), Ok(m)) => {
                let want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
                if render(&m) != want || warning_lines(&m) != *want_warnings {
                    failures.push(format!(
                        "{}:\n  got  {:#?}\n  want {:#?}\n  warnings {:?}, want {:?}: {:#?}",
                        c.path,
                        render(&m),
                        want,
                        warning_lines(&m),
                        want_warnings,
                        m.warnings
                    ));
                }
                if m.format != c.format {
                    failures.push(format!("{}: format {:?}", c.path, m.format));
                }
            }
            (Expect::Error(line), Err(e)) => {
                if e.line != *line || e.message.is_empty() {
                    failures.push(format!("{}: error {e:?}, want line {line:?}", c.path));
                }
            }
            (Expect::All(..), Err(e)) => failures.push(format!("{}: unexpected error {e}", c.path)),
            (Expect::Error(_), Ok(m)) => failures.push(format!(
                "{}: parsed, want an error: {:?}",
                c.path,
                render(&m)
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Every fixture file is either a case above or a real file checked below (pip-audit's outputs
/// are expectations, not fixtures).
#[test]
fn every_fixture_is_covered() {
    let mut known: HashSet<String> = cases().iter().map(|c| c.path.to_string()).collect();
    known.extend(REAL.iter().chain(REAL_MORE.iter()).map(|s| s.to_string()));
    for (dir, _) in DIRS {
        for path in files(&data().join(dir)) {
            let rel = path.strip_prefix(data()).unwrap().display().to_string();
            if rel.starts_with("requirements-txt/pip-audit/") {
                continue;
            }
            assert!(known.contains(&rel), "fixture {rel} has no expectation");
        }
    }
}

fn pep503(name: &str) -> String {
    Ecosystem::PyPI.normalize_name(name)
}

/// The pinned packages are those pip-audit found in the same files (pip-audit prints versions
/// normalized as PEP 440 says; the parser keeps them as written).
#[test]
fn requirements_match_pip_audit() {
    // Written form → pip-audit's normalized form.
    let normalized: HashMap<&str, &str> = [
        ("2023.04.0", "2023.4.0"),
        ("2022.07.0", "2022.7.0"),
        ("2023.05.5", "2023.5.5"),
        ("2023.09.0", "2023.9.0"),
        ("2023.07.0", "2023.7.0"),
        ("0.5.6-2", "0.5.6.post2"),
        ("2023.08.1", "2023.8.1"),
        ("0.0.5-alpha", "0.0.5a0"),
        ("2022.04.0", "2022.4.0"),
        ("2023.02.0", "2023.2.0"),
        ("2023.06.0", "2023.6.0"),
        ("2023.08.0", "2023.8.0"),
    ]
    .into_iter()
    .collect();
    for file in [
        "airflow2-constraints.txt",
        "home-assistant.pinned.requirements.txt",
        "jupyter.compiled.requirements.txt",
    ] {
        let audit =
            std::fs::read_to_string(data().join(format!("requirements-txt/pip-audit/{file}.json")))
                .unwrap();
        let audit: serde_json::Value = serde_json::from_str(&audit).unwrap();
        let want: HashMap<String, String> = audit["dependencies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    pep503(d["name"].as_str().unwrap()),
                    d["version"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let m = parse(Format::Requirements, &format!("requirements-txt/{file}")).unwrap();
        assert_eq!(m.packages.len(), want.len(), "{file}");
        for p in &m.packages {
            let theirs = want
                .get(&pep503(&p.name))
                .unwrap_or_else(|| panic!("{file}: {} not in pip-audit", p.name));
            let ours = normalized
                .get(p.version.as_str())
                .copied()
                .unwrap_or(&p.version);
            assert_eq!(ours, theirs, "{file}: {}", p.name);
            assert_eq!((p.direct, p.dev), (Some(true), None), "{file}: {}", p.name);
        }
        assert!(
            m.warnings.is_empty() || file == "home-assistant.pinned.requirements.txt",
            "{file}: {:?}",
            m.warnings
        );
    }
}

fn has(m: &Manifest, rendered: &str) -> bool {
    render(m).iter().any(|r| r == rendered)
}

fn count(m: &Manifest, f: impl Fn(&Package) -> bool) -> usize {
    m.packages.iter().filter(|p| f(p)).count()
}

#[test]
fn real_files() {
    // home-assistant's own list: the pinned file's 931 packages plus two pins with markers;
    // every range (`>=`, `!=`) is a warning.
    let m = parse(
        Format::Requirements,
        "requirements-txt/home-assistant.requirements.txt",
    )
    .unwrap();
    assert_eq!(m.packages.len(), 933);
    assert!(has(&m, "aiohttp@3.9.0b0 L5 direct=y dev=-"));
    assert_eq!(m.warnings.len(), 20);
    assert!(m
        .warnings
        .iter()
        .all(|w| w.message.contains("not pinned, not checked")));

    // Poetry 2.x with groups: 17 packages only in the dev group.
    let m = parse(Format::PoetryLock, "poetry-lock/osv.dev.poetry.lock").unwrap();
    assert_eq!(m.packages.len(), 63);
    assert_eq!(count(&m, |p| p.dev == Some(true)), 17);
    assert!(has(&m, "astroid@4.0.4 L4 direct=- dev=y"));
    assert!(has(&m, "attrs@26.1.0 L16 direct=- dev=n"));
    assert!(m.warnings.is_empty());

    // uv: the editable project is the root; extras reach the rest.
    let m = parse(Format::UvLock, "uv-lock/uv-benchmark.uv.lock").unwrap();
    assert_eq!(m.packages.len(), 76);
    assert_eq!(count(&m, |p| p.direct == Some(true)), 7);
    assert_eq!(count(&m, |p| p.dev.is_none()), 0);
    assert!(has(&m, "anyio@4.14.2 L15 direct=n dev=n"));
    assert!(m.warnings.is_empty());

    // Maven: aggregators have no dependencies; modules inherit the parent's (with its file)
    // and its properties.
    for rel in [
        "pom-xml/java-goof/pom.xml",
        "pom-xml/java-goof/log4shell-goof/pom.xml",
    ] {
        let m = parse(Format::PomXml, rel).unwrap();
        assert!(m.packages.is_empty() && m.warnings.is_empty(), "{rel}");
    }
    let m = parse(
        Format::PomXml,
        "pom-xml/java-goof/log4shell-goof/log4shell-client/pom.xml",
    )
    .unwrap();
    assert_eq!(
        render(&m),
        [
            "org.apache.logging.log4j:log4j-core@2.14.1 L23 direct=y dev=n",
            "org.apache.logging.log4j:log4j-api@2.14.1 L28 direct=y dev=n",
        ]
    );
    let m = parse(
        Format::PomXml,
        "pom-xml/java-goof/log4shell-goof/log4shell-server/pom.xml",
    )
    .unwrap();
    assert_eq!(m.packages.len(), 5);
    assert!(has(
        &m,
        "org.apache.logging.log4j:log4j-core@2.15.0 L20 direct=y dev=n"
    ));
    let m = parse(Format::PomXml, "pom-xml/java-goof/todolist-goof/pom.xml").unwrap();
    assert_eq!(m.packages.len(), 3);
    let parent = " file=pom-xml/java-goof/todolist-goof/pom.xml";
    let m = parse(
        Format::PomXml,
        "pom-xml/java-goof/todolist-goof/todolist-core/pom.xml",
    )
    .unwrap();
    assert_eq!(m.packages.len(), 16);
    assert!(has(
        &m,
        "org.springframework:spring-context@3.2.6.RELEASE L18 direct=y dev=n"
    ));
    assert!(has(&m, "junit:junit@4.12 L100 direct=y dev=y"));
    assert!(has(
        &m,
        &format!("javax.xml.bind:jaxb-api@2.3.0 L28 direct=y dev=n{parent}")
    ));
    assert!(m.warnings.is_empty(), "{:?}", m.warnings);
    let m = parse(
        Format::PomXml,
        "pom-xml/java-goof/todolist-goof/todolist-web-common/pom.xml",
    )
    .unwrap();
    assert_eq!(m.packages.len(), 11);
    assert!(has(
        &m,
        "com.fasterxml.jackson.core:jackson-databind@2.6.5 L26 direct=y dev=n"
    ));
    let m = parse(
        Format::PomXml,
        "pom-xml/java-goof/todolist-goof/todolist-web-struts/pom.xml",
    )
    .unwrap();
    assert_eq!(
        render(&m),
        [
            "io.github.snyk:todolist-web-common@0.0.1-SNAPSHOT L15 direct=y dev=n",
            "org.apache.logging.log4j:log4j-core@2.7 L27 direct=y dev=n",
            "org.apache.logging.log4j:log4j-api@2.7 L32 direct=y dev=n",
            "javax:javaee-web-api@7.0 L39 direct=y dev=y",
            "org.springframework:spring-web@3.2.6.RELEASE L47 direct=y dev=n",
            "org.apache.struts:struts2-core@2.3.20 L54 direct=y dev=n",
            "org.apache.struts:struts2-spring-plugin@2.3.20 L66 direct=y dev=n",
            "org.zeroturnaround:zt-zip@1.12 L90 direct=y dev=n",
            &format!("javax.xml.bind:jaxb-api@2.3.0 L28 direct=y dev=n{parent}"),
            &format!("com.sun.xml.bind:jaxb-core@2.3.0 L33 direct=y dev=n{parent}"),
            &format!("com.sun.xml.bind:jaxb-impl@2.3.0 L38 direct=y dev=n{parent}"),
        ]
    );
}

/// No parser panics on any prefix of its fixtures, nor on the other formats' fixtures.
#[test]
fn truncated_and_foreign_inputs_do_not_panic() {
    for (dir, own) in DIRS {
        for path in files(&data().join(dir)) {
            if std::fs::metadata(&path).map_or(true, |m| m.len() > 40_000) {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (_, format) in DIRS {
                let _ = format.parse(&path, &text);
            }
            let step = (text.len() / 80).max(3);
            for cut in (0..text.len()).step_by(step) {
                let mut end = cut;
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                let _ = own.parse(&path, &text[..end]);
            }
        }
    }
}

/// Nor on fixtures with bytes swapped for syntax characters (a fixed pseudo-random sequence, so
/// failures reproduce).
#[test]
fn mutated_inputs_do_not_panic() {
    const SYNTAX: &[u8] = b"\"'[]{}<>=\\\n#$,:;./- ";
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize
    };
    for (dir, format) in DIRS {
        for path in files(&data().join(dir)) {
            if std::fs::metadata(&path).map_or(true, |m| m.len() > 20_000) {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            if text.is_empty() {
                continue;
            }
            for _ in 0..60 {
                let mut bytes = text.clone().into_bytes();
                for _ in 0..1 + next() % 4 {
                    let at = next() % bytes.len();
                    if bytes[at].is_ascii() {
                        bytes[at] = SYNTAX[next() % SYNTAX.len()];
                    }
                }
                let mutated = String::from_utf8(bytes).unwrap();
                let _ = format.parse(&path, &mutated);
            }
        }
    }
}

/// A byte order mark before the text changes nothing.
#[test]
fn byte_order_mark_is_ignored() {
    let samples = [
        (Format::Requirements, "requirements-txt/comments.txt"),
        (Format::PoetryLock, "poetry-lock/two-packages.lock"),
        (Format::PipfileLock, "pipfile-lock/two-packages.json"),
        (Format::UvLock, "uv-lock/two-packages.lock"),
        (Format::PdmLock, "pdm-lock/two-packages.toml"),
        (Format::PomXml, "pom-xml/two-packages.xml"),
        (Format::GradleLockfile, "gradle-lockfile/5-pkg"),
        (
            Format::NugetLock,
            "nuget-packages-lock-json/valid/packages.lock.json",
        ),
    ];
    for (format, rel) in samples {
        let path = data().join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        let plain = format.parse(&path, &text).unwrap();
        let marked = format
            .parse(&path, &format!("\u{feff}{text}"))
            .unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert!(!plain.packages.is_empty(), "{rel}");
        assert_eq!(render(&plain), render(&marked), "{rel}");
    }
}

/// Generated files of 20,000 packages parse in linear time: generous bounds that a quadratic
/// step (4·10⁸ operations) would blow even in a debug build.
#[test]
fn large_files_parse_in_linear_time() {
    const N: usize = 20_000;
    let mut inputs: Vec<(Format, &str, String)> = Vec::new();
    let mut s = String::new();
    for i in 0..N {
        s.push_str(&format!(
            "package-{i}==1.{i}.0 \\\n    --hash=sha256:{i:064x}\n"
        ));
    }
    inputs.push((Format::Requirements, "requirements.txt", s));
    let mut s = String::new();
    for i in 0..N {
        s.push_str(&format!(
            "[[package]]\nname = \"package-{i}\"\nversion = \"1.{i}.0\"\ndescription = \"\"\noptional = false\n\
             python-versions = \">=3.8\"\ngroups = [\"main\"]\nfiles = [\n    {{file = \"p-{i}.whl\", hash = \"sha256:{i:064x}\"}},\n]\n\n\
             [package.dependencies]\npackage-{} = \">=1\"\n\n",
            (i + 1) % N
        ));
    }
    s.push_str("[metadata]\nlock-version = \"2.1\"\npython-versions = \">=3.9\"\n");
    inputs.push((Format::PoetryLock, "poetry.lock", s));
    let mut s = String::from("version = 1\nrevision = 3\n\n[[package]]\nname = \"app\"\nsource = { editable = \".\" }\ndependencies = [\n");
    for i in 0..N {
        s.push_str(&format!("    {{ name = \"package-{i}\" }},\n"));
    }
    s.push_str("]\n\n");
    for i in 0..N {
        s.push_str(&format!(
            "[[package]]\nname = \"package-{i}\"\nversion = \"1.{i}.0\"\nsource = {{ registry = \"https://pypi.org/simple\" }}\n\
             dependencies = [\n    {{ name = \"package-{}\" }},\n]\nwheels = [\n    {{ url = \"https://x/p-{i}.whl\", hash = \"sha256:{i:064x}\", size = 1 }},\n]\n\n",
            (i + 1) % N
        ));
    }
    inputs.push((Format::UvLock, "uv.lock", s));
    let mut s = String::from("[metadata]\ngroups = [\"default\"]\nlock_version = \"4.5.0\"\n\n");
    for i in 0..N {
        s.push_str(&format!(
            "[[package]]\nname = \"package-{i}\"\nversion = \"1.{i}.0\"\ngroups = [\"default\"]\nfiles = [\n    {{file = \"p-{i}.whl\", hash = \"sha256:{i:064x}\"}},\n]\n\n"
        ));
    }
    inputs.push((Format::PdmLock, "pdm.lock", s));
    let mut s = String::from("{\"_meta\": {\"pipfile-spec\": 6}, \"default\": {");
    for i in 0..N {
        let comma = if i + 1 < N { "," } else { "" };
        s.push_str(&format!("\n  \"package-{i}\": {{\"hashes\": [\"sha256:{i:064x}\"], \"version\": \"==1.{i}.0\"}}{comma}"));
    }
    s.push_str("}, \"develop\": {}}");
    inputs.push((Format::PipfileLock, "Pipfile.lock", s));
    let mut s = String::from("{\"version\": 1, \"dependencies\": {\"net8.0\": {");
    for i in 0..N {
        let comma = if i + 1 < N { "," } else { "" };
        s.push_str(&format!(
            "\n  \"Package.N{i}\": {{\"type\": \"Transitive\", \"resolved\": \"1.{i}.0\", \"dependencies\": {{\"Package.N{}\": \"1.0.0\"}}}}{comma}",
            (i + 1) % N
        ));
    }
    s.push_str("}}}");
    inputs.push((Format::NugetLock, "packages.lock.json", s));
    let mut s = String::from("# Gradle lock\n");
    for i in 0..N {
        s.push_str(&format!(
            "com.example:artifact-{i}:1.{i}.0=compileClasspath,runtimeClasspath\n"
        ));
    }
    s.push_str("empty=\n");
    inputs.push((Format::GradleLockfile, "gradle.lockfile", s));
    let mut s = String::from("<project><properties><v>1.0</v></properties><dependencies>\n");
    for i in 0..N {
        s.push_str(&format!("<dependency><groupId>g{i}</groupId><artifactId>a</artifactId><version>${{v}}</version></dependency>\n"));
    }
    s.push_str("</dependencies></project>\n");
    inputs.push((Format::PomXml, "pom.xml", s));

    for (format, name, text) in inputs {
        let path = Path::new("/nonexistent").join(name);
        let start = Instant::now();
        let m = format
            .parse(&path, &text)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let took = start.elapsed();
        assert_eq!(m.packages.len(), N, "{name}");
        assert!(m.warnings.is_empty(), "{name}: {:?}", &m.warnings[..1]);
        assert!(took < Duration::from_secs(5), "{name}: {took:?}");
    }
}
