//! Every lockfile fixture of the npm, Yarn, pnpm, Cargo, Go, Bundler, Composer, pub and Mix
//! parsers parses to the packages it lists, and malformed ones to a `ParseError`. Fixtures live
//! in `tests/data/lockfiles/<format>/` (sources in `PROVENANCE.md`); the expectations were
//! worked out by reading each file.
//!
//! A package is rendered as `name@version L<line> direct=<y|n|-> dev=<y|n|->` plus its source
//! when not a registry (`git`, `path`, `other`).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use gatehouse_sca::lockfile::Format;
use gatehouse_sca::{Manifest, SourceKind};

/// The fixture directories this file covers, with their format.
const DIRS: [(&str, Format); 9] = [
    ("cargo-lock", Format::CargoLock),
    ("package-lock-json", Format::NpmLock),
    ("yarn-lock", Format::YarnLock),
    ("pnpm-lock", Format::PnpmLock),
    ("go-mod", Format::GoMod),
    ("gemfile-lock", Format::GemfileLock),
    ("composer-lock", Format::ComposerLock),
    ("pubspec-lock", Format::PubspecLock),
    ("mix-lock", Format::MixLock),
];

/// Real lockfiles, checked by `real_lockfiles` below.
const REAL: [&str; 6] = [
    "cargo-lock/noseyparker.Cargo.lock",
    "cargo-lock/uv.Cargo.lock",
    "package-lock-json/osv-scanner-fix-in-place-npm.package-lock.json",
    "pnpm-lock/osv.dev-frontend3.pnpm-lock.yaml",
    "go-mod/usql.go.mod",
    "gemfile-lock/railsgoat.Gemfile.lock",
];

/// go.sum files beside go.mod fixtures: read for a pre-1.17 go.mod (indirect-1.16), and not
/// read, though malformed, for a later one (indirect-1.23).
const SIBLINGS: [&str; 2] = ["go-mod/indirect-1.16.sum", "go-mod/indirect-1.23.sum"];

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

fn render(m: &Manifest) -> Vec<String> {
    m.packages
        .iter()
        .map(|p| {
            let source = match p.source {
                SourceKind::Registry => "",
                SourceKind::Git => " git",
                SourceKind::Path => " path",
                SourceKind::Other => " other",
            };
            let line = p.line.map_or("-".to_string(), |l| l.to_string());
            format!(
                "{}@{} L{line} direct={} dev={}{source}",
                p.name,
                p.version,
                flag(p.direct),
                flag(p.dev)
            )
        })
        .collect()
}

fn parse(format: Format, rel: &str) -> Result<Manifest, gatehouse_sca::ParseError> {
    let path = data().join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    format.parse(&path, &text)
}

enum Expect {
    /// Exactly these packages, in this order, and warnings at these lines.
    All(&'static [&'static str], &'static [u32]),
    /// This many packages, these among them, and warnings at these lines.
    Some(usize, &'static [&'static str], &'static [u32]),
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

fn spot(
    format: Format,
    path: &'static str,
    count: usize,
    packages: &'static [&'static str],
    warnings: &'static [u32],
) -> Case {
    Case {
        format,
        path,
        expect: Expect::Some(count, packages, warnings),
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
            Format::CargoLock,
            "cargo-lock/duplicate.lock",
            &[
                "syn@1.0.73 L5 direct=- dev=-",
                "syn@2.0.0 L11 direct=- dev=-",
            ],
            &[],
        ),
        case(Format::CargoLock, "cargo-lock/empty.lock", &[], &[]),
        case(
            Format::CargoLock,
            "cargo-lock/many-packages.lock",
            &[
                "zstd@0.11.2 L5 direct=- dev=-",
                "aho-corasick@0.7.18 L11 direct=- dev=-",
                "memchr@2.4.1 L20 direct=- dev=-",
                "syn@1.0.109 L26 direct=- dev=-",
                "libc@0.2.140 L32 direct=- dev=-",
                "syn@2.0.15 L38 direct=- dev=-",
            ],
            &[],
        ),
        error(Format::CargoLock, "cargo-lock/not-toml.txt", Some(1)), // invalid TOML: key with no value, expected `=`
        case(
            Format::CargoLock,
            "cargo-lock/one-package.lock",
            &["addr2line@0.15.2 L5 direct=- dev=-"],
            &[],
        ),
        case(
            Format::CargoLock,
            "cargo-lock/package-with-build-string.lock",
            &["wasi@0.10.2+wasi-snapshot-preview1 L5 direct=- dev=-"],
            &[],
        ),
        case(
            Format::CargoLock,
            "cargo-lock/package-with-comments.lock",
            &[
                "addr2line@0.15.2 L5 direct=- dev=-",
                "syn@1.0.73 L10 direct=- dev=- git",
            ],
            &[],
        ),
        case(
            Format::CargoLock,
            "cargo-lock/two-packages-with-local.lock",
            &[
                "addr2line@0.15.2 L5 direct=n dev=-",
                "local-rust-pkg@0.1.0 L14 direct=- dev=- path",
            ],
            &[],
        ),
        case(
            Format::CargoLock,
            "cargo-lock/two-packages.lock",
            &[
                "addr2line@0.15.2 L5 direct=- dev=-",
                "syn@1.0.73 L14 direct=- dev=-",
            ],
            &[],
        ),
        case(
            Format::NpmLock,
            "package-lock-json/alias.v1.json",
            &[
                "@babel/code-frame@7.0.0 L5 direct=- dev=n",
                "string-width@5.1.2 L13 direct=- dev=n",
                "string-width@4.2.0 L23 direct=- dev=n",
            ],
            &[],
        ),
        case(
            Format::NpmLock,
            "package-lock-json/alias.v2.json",
            &[
                "@babel/code-frame@7.0.0 L13 direct=y dev=n",
                "string-width@5.1.2 L22 direct=y dev=n",
                "string-width@4.2.0 L32 direct=y dev=n",
            ],
            &[],
        ),
        case(
            Format::NpmLock,
            "package-lock-json/both/npm-shrinkwrap.json",
            &[
                "wrappy@1.0.2 L13 direct=y dev=n",
                "supports-color@5.5.0 L18 direct=y dev=n",
            ],
            &[],
        ),
        case(
            Format::NpmLock,
            "package-lock-json/both/package-lock.json",
            &[
                "wrappy@1.0.2 L13 direct=y dev=n",
                "supports-color@5.5.0 L18 direct=y dev=n",
            ],
            &[],
        ),
        case(
            Format::NpmLock,
            "package-lock-json/bundled-dependencies.v3.json",
            &[
                "ansi-regex@6.2.2 L22 direct=n dev=n",
                "semver@7.7.2 L35 direct=y dev=y",
                "strip-ansi@7.1.2 L49 direct=y dev=n",
            ],
            &[],
        ),
        case(
            Format::NpmLock,
            "package-lock-json/commits.v1.json",
            &[
                "ansi-styles@1.0.0 L19 direct=- dev=n",
                "postcss-calc@7.0.1 L70 direct=- dev=n",
            ],
            &[5, 24, 31, 38, 42, 47, 55, 63, 75, 82, 86, 93, 97],
        ),
        case(
            Format::NpmLock,
            "package-lock-json/commits.v2.json",
            &[
                "@segment/analytics.js-integration-facebook-pixel@2.4.1 L26 direct=y dev=n git",
                "ansi-styles@1.0.0 L42 direct=n dev=n",
                "babel-preset-php@1.1.1 L50 direct=y dev=y git",
                "is-number-1@3.0.0 L60 direct=y dev=y git",
                "is-number-2@2.0.0 L73 direct=y dev=y git",
                "is-number-3@2.0.0 L83 direct=y dev=y git",
                "is-number-4@3.0.0 L93 direct=y dev=y git",
                "is-number-5@3.0.0 L106 direct=y dev=y git",
                "postcss-calc@7.0.1 L119 direct=n dev=n",
                "is-number-3@3.0.0 L153 direct=n dev=y git",
                "slick-carousel@1.7.1 L166 direct=y dev=y git",
            ],
            &[163],
        ),
        case(Format::NpmLock, "package-lock-json/empty.v1.json", &[], &[]),
        case(Format::NpmLock, "package-lock-json/empty.v2.json", &[], &[]),
        case(
            Format::NpmLock,
            "package-lock-json/files.v1.json",
            &["lodash@1.3.1 L5 direct=- dev=n"],
            &[10],
        ),
        case(
            Format::NpmLock,
            "package-lock-json/files.v2.json",
            &[
                "etag@1.8.0 L16 direct=n dev=y path",
                "abbrev@1.0.9 L36 direct=n dev=y",
                "abbrev@2.3.4 L42 direct=n dev=y",
            ],
            &[],
        ),
        spot(
            Format::NpmLock,
            "package-lock-json/nested-dependencies-dup.v1.json",
            39,
            &[
                "@vue/component-compiler-utils@2.6.0 L5 direct=- dev=n",
                "supports-color@6.1.0 L21 direct=- dev=n",
                "autoprefixer@9.5.1 L31 direct=- dev=n",
                "postcss-unique-selectors@4.0.1 L739 direct=- dev=n",
                "supports-color@5.5.0 L759 direct=- dev=n",
            ],
            &[],
        ),
        case(
            Format::NpmLock,
            "package-lock-json/nested-dependencies-dup.v2.json",
            &[
                "supports-color@6.1.0 L10 direct=n dev=n",
                "supports-color@2.0.0 L32 direct=n dev=n",
            ],
            &[],
        ),
        case(
            Format::NpmLock,
            "package-lock-json/nested-dependencies.v1.json",
            &[
                "postcss@6.0.23 L5 direct=- dev=n",
                "postcss-calc@7.0.1 L15 direct=- dev=n",
                "postcss@7.0.16 L26 direct=- dev=n",
                "supports-color@6.1.0 L36 direct=- dev=n",
                "supports-color@5.5.0 L46 direct=- dev=n",
            ],
            &[],
        ),
        case(
            Format::NpmLock,
            "package-lock-json/nested-dependencies.v2.json",
            &[
                "postcss@6.0.23 L10 direct=n dev=n",
                "postcss-calc@7.0.1 L23 direct=n dev=n",
                "postcss@7.0.16 L34 direct=n dev=n",
                "supports-color@6.1.0 L47 direct=n dev=n",
                "supports-color@5.5.0 L58 direct=n dev=n",
            ],
            &[],
        ),
        error(Format::NpmLock, "package-lock-json/not-json.txt", Some(1)), // invalid JSON: expected ident at line 1 column 2
        case(
            Format::NpmLock,
            "package-lock-json/npm-shrinkwrap-only/npm-shrinkwrap.json",
            &[
                "wrappy@1.0.2 L13 direct=y dev=n",
                "supports-color@5.5.0 L18 direct=y dev=n",
            ],
            &[],
        ),
        error(
            Format::NpmLock,
            "package-lock-json/null.v2.jsontest",
            Some(1),
        ), // unexpected content: invalid type: null, expected struct Lockfile at line 1 column 4
        case(
            Format::NpmLock,
            "package-lock-json/one-package-dev.v1.json",
            &["wrappy@1.0.2 L5 direct=- dev=y"],
            &[],
        ),
        case(
            Format::NpmLock,
            "package-lock-json/one-package-dev.v2.json",
            &["wrappy@1.0.2 L10 direct=y dev=y"],
            &[],
        ),
        case(
            Format::NpmLock,
            "package-lock-json/one-package.v1.json",
            &["wrappy@1.0.2 L5 direct=- dev=n"],
            &[],
        ),
        case(
            Format::NpmLock,
            "package-lock-json/one-package.v2.json",
            &["wrappy@1.0.2 L10 direct=y dev=n"],
            &[],
        ),
        case(
            Format::NpmLock,
            "package-lock-json/optional-package.v1.json",
            &[
                "wrappy@1.0.2 L5 direct=- dev=y",
                "supports-color@5.5.0 L12 direct=- dev=n",
            ],
            &[],
        ),
        case(
            Format::NpmLock,
            "package-lock-json/optional-package.v2.json",
            &[
                "wrappy@1.0.2 L10 direct=y dev=n",
                "supports-color@5.5.0 L16 direct=n dev=n",
            ],
            &[],
        ),
        case(
            Format::NpmLock,
            "package-lock-json/package-lock-only/package-lock.json",
            &[
                "wrappy@1.0.2 L13 direct=y dev=n",
                "supports-color@5.5.0 L18 direct=y dev=n",
            ],
            &[],
        ),
        case(
            Format::NpmLock,
            "package-lock-json/same-package-different-groups.v1.json",
            &[
                "ajv@5.5.2 L5 direct=- dev=n",
                "eslint@1.2.3 L17 direct=- dev=y",
                "table@1.0.0 L49 direct=- dev=n",
            ],
            &[],
        ),
        case(
            Format::NpmLock,
            "package-lock-json/same-package-different-groups.v2.json",
            &[
                "ajv@5.5.2 L10 direct=n dev=n",
                "eslint@1.2.3 L22 direct=n dev=y",
                "table@1.0.0 L50 direct=n dev=n",
            ],
            &[],
        ),
        case(
            Format::NpmLock,
            "package-lock-json/scoped-packages.v1.json",
            &[
                "@babel/code-frame@7.0.0 L5 direct=- dev=n",
                "wrappy@1.0.2 L13 direct=- dev=n",
            ],
            &[],
        ),
        case(
            Format::NpmLock,
            "package-lock-json/scoped-packages.v2.json",
            &[
                "@babel/code-frame@7.0.0 L10 direct=n dev=n",
                "wrappy@1.0.2 L18 direct=n dev=n",
            ],
            &[],
        ),
        case(
            Format::NpmLock,
            "package-lock-json/two-packages.v1.json",
            &[
                "wrappy@1.0.2 L5 direct=- dev=n",
                "supports-color@5.5.0 L10 direct=- dev=n",
            ],
            &[],
        ),
        case(
            Format::NpmLock,
            "package-lock-json/two-packages.v2.json",
            &[
                "wrappy@1.0.2 L13 direct=y dev=n",
                "supports-color@5.5.0 L18 direct=y dev=n",
            ],
            &[],
        ),
        spot(
            Format::YarnLock,
            "yarn-lock/commits.v1.lock",
            18,
            &[
                "mine1@1.0.0-alpha.37 L5 direct=- dev=- git",
                "mine2@0.0.1 L11 direct=- dev=- git",
                "mine3@1.2.3 L17 direct=- dev=- git",
                "mine4@0.0.2 L21 direct=- dev=- git",
                "mine4@0.0.4 L25 direct=- dev=- git",
                "my-package@1.8.3 L29 direct=- dev=- git",
                "@bower_components/angular-animate@1.4.14 L33 direct=- dev=- git",
                "is-number@2.0.0 L78 direct=- dev=- git",
                "is-number@5.0.0 L82 direct=- dev=- git",
            ],
            &[],
        ),
        case(
            Format::YarnLock,
            "yarn-lock/commits.v2.lock",
            &[
                "@my-scope/my-first-package@0.0.6 L8 direct=- dev=- git",
                "my-second-package@0.2.2 L12 direct=- dev=- git",
                "@typegoose/typegoose@7.2.0 L21 direct=- dev=- git",
                "vuejs@2.5.0 L37 direct=- dev=- git",
                "my-third-package@0.16.1-dev L45 direct=- dev=- git",
                "my-node-sdk@1.1.0 L50 direct=- dev=- git",
                "is-really-great@1.0.0 L58 direct=- dev=- git",
            ],
            &[],
        ),
        case(Format::YarnLock, "yarn-lock/empty.v1.lock", &[], &[]),
        case(Format::YarnLock, "yarn-lock/empty.v2.lock", &[], &[]),
        case(
            Format::YarnLock,
            "yarn-lock/exclude-root.v2.lock",
            &["ansi-regex@6.1.0 L16 direct=y dev=-"],
            &[8, 23],
        ),
        case(
            Format::YarnLock,
            "yarn-lock/files.v1.lock",
            &[
                "etag@1.8.1 L5 direct=- dev=-",
                "filedep@1.2.0 L9 direct=- dev=- path",
                "lodash@1.3.1 L12 direct=- dev=-",
                "other_package@0.0.2 L16 direct=- dev=- path",
                "sprintf-js@0.0.0 L24 direct=- dev=- path",
                "etag@1.8.0 L27 direct=- dev=- path",
            ],
            &[],
        ),
        case(
            Format::YarnLock,
            "yarn-lock/files.v2.lock",
            &["my-package@0.0.2 L8 direct=- dev=- path"],
            &[],
        ),
        case(
            Format::YarnLock,
            "yarn-lock/metadata-only.v2.lock",
            &[],
            &[],
        ),
        case(
            Format::YarnLock,
            "yarn-lock/multiple-constraints.v1.lock",
            &[
                "domelementtype@1.3.1 L5 direct=- dev=-",
                "@babel/code-frame@7.12.13 L10 direct=- dev=-",
            ],
            &[],
        ),
        case(
            Format::YarnLock,
            "yarn-lock/multiple-versions.v1.lock",
            &[
                "define-properties@1.1.3 L5 direct=- dev=-",
                "define-property@0.2.5 L12 direct=- dev=-",
                "define-property@1.0.0 L19 direct=- dev=-",
                "define-property@2.0.2 L26 direct=- dev=-",
            ],
            &[],
        ),
        case(
            Format::YarnLock,
            "yarn-lock/multiple-versions.v2.lock",
            &[
                "debug@4.3.3 L8 direct=- dev=-",
                "debug@2.6.9 L20 direct=- dev=-",
                "debug@3.2.7 L29 direct=- dev=-",
            ],
            &[],
        ),
        case(
            Format::YarnLock,
            "yarn-lock/no-version.v1.lock",
            &["balanced-match@1.0.2 L5 direct=- dev=-"],
            &[],
        ),
        case(
            Format::YarnLock,
            "yarn-lock/one-package.v1.lock",
            &["balanced-match@1.0.2 L5 direct=- dev=-"],
            &[],
        ),
        case(
            Format::YarnLock,
            "yarn-lock/one-package.v2.lock",
            &["balanced-match@1.0.2 L8 direct=- dev=-"],
            &[],
        ),
        case(
            Format::YarnLock,
            "yarn-lock/scoped-packages.v1.lock",
            &[
                "@babel/code-frame@7.12.11 L5 direct=- dev=-",
                "@babel/compat-data@7.14.0 L12 direct=- dev=-",
            ],
            &[],
        ),
        case(
            Format::YarnLock,
            "yarn-lock/scoped-packages.v2.lock",
            &[
                "@babel/cli@7.16.8 L8 direct=- dev=-",
                "@babel/code-frame@7.16.7 L35 direct=- dev=-",
                "@babel/compat-data@7.16.8 L44 direct=- dev=-",
            ],
            &[],
        ),
        case(
            Format::YarnLock,
            "yarn-lock/two-packages.v1.lock",
            &[
                "concat-map@0.0.1 L5 direct=- dev=-",
                "concat-stream@1.6.2 L10 direct=- dev=-",
            ],
            &[],
        ),
        case(
            Format::YarnLock,
            "yarn-lock/two-packages.v2.lock",
            &[
                "compare-func@2.0.0 L8 direct=- dev=-",
                "concat-map@0.0.1 L18 direct=- dev=-",
            ],
            &[],
        ),
        case(
            Format::YarnLock,
            "yarn-lock/with-aliases.v1.lock",
            &[
                "ansi-regex@5.0.1 L5 direct=- dev=-",
                "ansi-regex@6.0.1 L10 direct=- dev=-",
                "@babel/helper-validator-identifier@7.22.20 L15 direct=- dev=-",
            ],
            &[],
        ),
        case(
            Format::YarnLock,
            "yarn-lock/with-aliases.v2.lock",
            &[
                "ansi-regex@5.0.1 L8 direct=y dev=-",
                "ansi-regex@6.0.1 L15 direct=y dev=-",
                "@babel/helper-validator-identifier@7.22.20 L22 direct=y dev=-",
            ],
            &[29],
        ),
        case(
            Format::YarnLock,
            "yarn-lock/with-build-string.v1.lock",
            &[
                "domino@2.1.6+git L5 direct=- dev=- git",
                "tslib@2.6.2 L10 direct=- dev=-",
            ],
            &[],
        ),
        case(
            Format::YarnLock,
            "yarn-lock/with-build-string.v2.lock",
            &[
                "domino@2.1.6+git L8 direct=y dev=- git",
                "tslib@2.6.2 L15 direct=y dev=-",
            ],
            &[22],
        ),
        case(
            Format::YarnLock,
            "yarn-lock/with-prerelease.v1.lock",
            &[
                "css-tree@1.0.0-alpha.37 L5 direct=- dev=-",
                "gensync@1.0.0-beta.2 L13 direct=- dev=-",
                "node-fetch@3.0.0-beta.9 L18 direct=- dev=-",
                "resolve@1.20.0 L26 direct=- dev=-",
                "resolve@2.0.0-next.3 L34 direct=- dev=-",
            ],
            &[],
        ),
        case(
            Format::YarnLock,
            "yarn-lock/with-prerelease.v2.lock",
            &[
                "@nicolo-ribaudo/chokidar-2@2.1.8-no-fsevents.3 L8 direct=n dev=-",
                "gensync@1.0.0-beta.2 L15 direct=n dev=-",
            ],
            &[22],
        ),
        case(
            Format::YarnLock,
            "yarn-lock/with-quotes.v1.lock",
            &[
                "concat-map@0.0.1 L5 direct=- dev=-",
                "concat-stream@1.6.2 L10 direct=- dev=-",
            ],
            &[],
        ),
        case(
            Format::YarnLock,
            "yarn-lock/with-quotes.v2.lock",
            &[
                "compare-func@2.0.0 L8 direct=- dev=-",
                "concat-map@0.0.1 L18 direct=- dev=-",
            ],
            &[],
        ),
        case(
            Format::PnpmLock,
            "pnpm-lock/commits.v9.yaml",
            &[
                "ansi-regex@6.0.1 L20 direct=y dev=n git",
                "is-number@7.0.0 L25 direct=y dev=n git",
            ],
            &[],
        ),
        case(
            Format::PnpmLock,
            "pnpm-lock/commits.yaml",
            &[
                "my-bitbucket-package@1.0.0 L14 direct=n dev=n git",
                "@my-scope/my-package@1.0.0 L20 direct=y dev=n git",
                "@my-scope/my-other-package@1.0.0 L28 direct=n dev=n git",
                "faker-parser@0.0.1 L34 direct=n dev=n git",
                "mocks@20.0.1 L42 direct=y dev=n git",
            ],
            &[],
        ),
        case(Format::PnpmLock, "pnpm-lock/empty.yaml", &[], &[]),
        case(
            Format::PnpmLock,
            "pnpm-lock/exotic.yaml",
            &[
                "foo@1.0.0 L10 direct=n dev=-",
                "@foo/bar@1.0.0 L11 direct=n dev=-",
                "foo@1.1.0 L12 direct=n dev=-",
                "@foo/bar@1.1.0 L13 direct=n dev=-",
                "foo@1.2.0 L15 direct=n dev=-",
                "foo@1.3.0 L16 direct=n dev=-",
                "foo@1.4.0 L17 direct=n dev=-",
            ],
            &[14, 18],
        ),
        case(
            Format::PnpmLock,
            "pnpm-lock/files.yaml",
            &[
                "my-file-package@0.0.0 L10 direct=y dev=n path",
                "a-local-package@1.0.0 L16 direct=n dev=n path",
                "a-nested-local-package@1.0.0 L22 direct=n dev=n path",
                "one-up@1.0.0 L28 direct=n dev=n path",
                "one-up-with-peer@1.0.0 L34 direct=n dev=n path",
            ],
            &[44],
        ),
        case(
            Format::PnpmLock,
            "pnpm-lock/invalid-path.yaml",
            &["acorn@8.7.0 L11 direct=n dev=n"],
            &[17],
        ),
        case(
            Format::PnpmLock,
            "pnpm-lock/invalid-paths.yaml",
            &["acorn@8.7.0 L17 direct=n dev=n"],
            &[11, 23],
        ),
        case(
            Format::PnpmLock,
            "pnpm-lock/missing-packages.yaml",
            &[],
            &[],
        ),
        case(
            Format::PnpmLock,
            "pnpm-lock/mixed-groups.v53.yaml",
            &[
                "ansi-regex@5.0.1 L19 direct=y dev=n",
                "is-number@7.0.0 L24 direct=y dev=y",
                "uuid@8.3.2 L29 direct=y dev=n",
            ],
            &[],
        ),
        case(
            Format::PnpmLock,
            "pnpm-lock/mixed-groups.v54.yaml",
            &[
                "ansi-regex@5.0.1 L19 direct=y dev=n",
                "is-number@7.0.0 L24 direct=y dev=y",
                "uuid@8.3.2 L29 direct=y dev=n",
            ],
            &[],
        ),
        case(
            Format::PnpmLock,
            "pnpm-lock/mixed-groups.v6.yaml",
            &[
                "ansi-regex@5.0.0 L24 direct=y dev=n",
                "is-number@7.0.0 L29 direct=y dev=y",
                "uuid@8.0.0 L34 direct=y dev=n",
            ],
            &[],
        ),
        case(
            Format::PnpmLock,
            "pnpm-lock/mixed-groups.v9.yaml",
            &[
                "ansi-regex@5.0.1 L25 direct=y dev=n",
                "is-number@7.0.0 L29 direct=y dev=y",
                "uuid@8.3.2 L33 direct=y dev=n",
            ],
            &[],
        ),
        spot(
            Format::PnpmLock,
            "pnpm-lock/multiple-packages.yaml",
            14,
            &[
                "aws-sdk@2.1087.0 L11 direct=y dev=n",
                "base64-js@1.5.1 L26 direct=n dev=n",
                "buffer@4.9.2 L30 direct=n dev=n",
                "xml2js@0.4.19 L83 direct=n dev=n",
                "xmlbuilder@9.0.7 L90 direct=n dev=n",
            ],
            &[],
        ),
        case(
            Format::PnpmLock,
            "pnpm-lock/multiple-versions.v9.yaml",
            &[
                "uuid@8.0.0 L20 direct=n dev=-",
                "uuid@8.3.2 L24 direct=y dev=n",
                "xmlbuilder@11.0.1 L28 direct=n dev=-",
            ],
            &[],
        ),
        case(
            Format::PnpmLock,
            "pnpm-lock/multiple-versions.yaml",
            &[
                "uuid@3.3.2 L13 direct=n dev=n",
                "uuid@8.3.2 L19 direct=y dev=n",
                "xmlbuilder@9.0.7 L24 direct=n dev=n",
            ],
            &[],
        ),
        case(Format::PnpmLock, "pnpm-lock/no-packages.v9.yaml", &[], &[]),
        case(Format::PnpmLock, "pnpm-lock/no-packages.yaml", &[], &[]),
        error(Format::PnpmLock, "pnpm-lock/not-yaml.txt", Some(1)), // not a pnpm-lock.yaml: the document is not a mapping
        case(
            Format::PnpmLock,
            "pnpm-lock/one-package-dev.v9.yaml",
            &["acorn@8.11.3 L17 direct=y dev=y"],
            &[],
        ),
        case(
            Format::PnpmLock,
            "pnpm-lock/one-package-dev.yaml",
            &["acorn@8.7.0 L11 direct=y dev=n"],
            &[],
        ),
        case(
            Format::PnpmLock,
            "pnpm-lock/one-package-v6-lockfile.yaml",
            &["acorn@8.7.0 L10 direct=y dev=n"],
            &[],
        ),
        case(
            Format::PnpmLock,
            "pnpm-lock/one-package.v9.yaml",
            &["acorn@8.11.3 L17 direct=y dev=n"],
            &[],
        ),
        case(
            Format::PnpmLock,
            "pnpm-lock/one-package.yaml",
            &["acorn@8.7.0 L11 direct=y dev=n"],
            &[],
        ),
        case(
            Format::PnpmLock,
            "pnpm-lock/peer-dependencies-advanced-rc-v6.yaml",
            &[
                "js-tokens@4.0.0 L14 direct=n dev=n",
                "loose-envify@1.4.0 L18 direct=n dev=n",
                "react-dom@18.0.0-rc.3 L25 direct=y dev=n",
                "react@18.2.0 L35 direct=n dev=n",
                "scheduler@0.21.0 L42 direct=n dev=n",
            ],
            &[],
        ),
        case(
            Format::PnpmLock,
            "pnpm-lock/peer-dependencies-advanced-v6.yaml",
            &[
                "js-tokens@4.0.0 L14 direct=n dev=n",
                "loose-envify@1.4.0 L18 direct=n dev=n",
                "react-dom@18.3.0-canary-ab31a9ed2-20230824 L25 direct=y dev=n",
                "react@18.3.0-canary-ab31a9ed2-20230824 L35 direct=n dev=n",
                "scheduler@0.24.0-canary-ab31a9ed2-20230824 L42 direct=n dev=n",
            ],
            &[],
        ),
        spot(
            Format::PnpmLock,
            "pnpm-lock/peer-dependencies-advanced.v9.yaml",
            13,
            &[
                "@eslint-community/eslint-utils@4.4.0 L26 direct=n dev=n",
                "@eslint/eslintrc@2.1.4 L32 direct=n dev=n",
                "@typescript-eslint/eslint-plugin@5.62.0 L36 direct=y dev=n",
                "@typescript-eslint/parser@5.62.0 L47 direct=y dev=n",
                "eslint@8.57.0 L91 direct=y dev=n",
                "tsutils@3.21.0 L104 direct=n dev=n",
                "typescript@4.9.5 L110 direct=y dev=n",
            ],
            &[],
        ),
        case(
            Format::PnpmLock,
            "pnpm-lock/peer-dependencies-advanced.yaml",
            &[
                "@typescript-eslint/eslint-plugin@5.13.0 L17 direct=y dev=n",
                "@typescript-eslint/parser@5.13.0 L44 direct=y dev=n",
                "@typescript-eslint/type-utils@5.13.0 L64 direct=n dev=n",
                "@typescript-eslint/types@5.13.0 L83 direct=n dev=n",
                "@typescript-eslint/typescript-estree@5.13.0 L88 direct=n dev=n",
                "@typescript-eslint/utils@5.13.0 L109 direct=n dev=n",
                "eslint-utils@3.0.0 L127 direct=n dev=n",
                "eslint@8.10.0 L137 direct=y dev=n",
                "tsutils@3.21.0 L181 direct=n dev=n",
            ],
            &[],
        ),
        case(
            Format::PnpmLock,
            "pnpm-lock/peer-dependencies-v6.yaml",
            &[
                "js-tokens@4.0.0 L14 direct=n dev=n",
                "loose-envify@1.4.0 L18 direct=n dev=n",
                "react-dom@18.2.0 L25 direct=y dev=n",
                "react@18.2.0 L35 direct=n dev=n",
                "scheduler@0.23.0 L42 direct=n dev=n",
            ],
            &[],
        ),
        case(
            Format::PnpmLock,
            "pnpm-lock/peer-dependencies.v9.yaml",
            &[
                "acorn-jsx@5.3.2 L17 direct=y dev=n",
                "acorn@8.11.3 L22 direct=n dev=n",
            ],
            &[],
        ),
        case(
            Format::PnpmLock,
            "pnpm-lock/peer-dependencies.yaml",
            &[
                "acorn-jsx@5.3.2 L13 direct=y dev=n",
                "acorn@8.7.0 L21 direct=y dev=n",
            ],
            &[],
        ),
        case(
            Format::PnpmLock,
            "pnpm-lock/scoped-packages-v6-lockfile.yaml",
            &["@typescript-eslint/types@5.57.1 L10 direct=y dev=n"],
            &[],
        ),
        case(
            Format::PnpmLock,
            "pnpm-lock/scoped-packages.v9.yaml",
            &["@typescript-eslint/types@5.62.0 L17 direct=y dev=n"],
            &[],
        ),
        case(
            Format::PnpmLock,
            "pnpm-lock/scoped-packages.yaml",
            &["@typescript-eslint/types@5.13.0 L11 direct=y dev=n"],
            &[],
        ),
        case(
            Format::PnpmLock,
            "pnpm-lock/tarball.yaml",
            &["@my-org/my-package@3.2.3 L10 direct=y dev=y"],
            &[],
        ),
        case(Format::GoMod, "go-mod/empty.mod", &[], &[]),
        case(
            Format::GoMod,
            "go-mod/indirect-1.16.mod",
            &[
                "github.com/sirupsen/logrus@v1.9.3 L5 direct=y dev=-",
                "github.com/davecgh/go-spew@v1.1.1 L2 direct=n dev=-",
                "github.com/pmezard/go-difflib@v1.0.0 L4 direct=n dev=-",
                "github.com/stretchr/testify@v1.7.0 L9 direct=n dev=-",
                "golang.org/x/sys@v0.0.0-20220715151400-c0bba94af5f8 L11 direct=n dev=-",
                "gopkg.in/yaml.v3@v3.0.0-20200313102051-9f266ea9e77c L14 direct=n dev=-",
            ],
            &[],
        ),
        case(
            Format::GoMod,
            "go-mod/indirect-1.23.mod",
            &[
                "github.com/sirupsen/logrus@v1.9.3 L5 direct=y dev=-",
                "golang.org/x/sys@v0.0.0-20220715151400-c0bba94af5f8 L7 direct=n dev=-",
            ],
            &[],
        ),
        case(
            Format::GoMod,
            "go-mod/indirect-packages.mod",
            &[
                "github.com/BurntSushi/toml@v1.0.0 L6 direct=y dev=-",
                "gopkg.in/yaml.v2@v2.4.0 L7 direct=y dev=-",
                "github.com/mattn/go-colorable@v0.1.9 L11 direct=n dev=-",
                "github.com/mattn/go-isatty@v0.0.14 L12 direct=n dev=-",
                "golang.org/x/sys@v0.0.0-20210630005230-0f9fa26af87c L13 direct=n dev=-",
            ],
            &[],
        ),
        error(Format::GoMod, "go-mod/not-go-mod.mod", Some(1)), // unknown directive "this": not a go.mod file?
        case(
            Format::GoMod,
            "go-mod/one-package.mod",
            &["github.com/BurntSushi/toml@v1.0.0 L4 direct=y dev=-"],
            &[],
        ),
        case(
            Format::GoMod,
            "go-mod/replace-different.mod",
            &[
                "example.com/fork/foe@v1.4.5 L7 direct=y dev=-",
                "example.com/fork/foe@v1.4.2 L8 direct=y dev=-",
            ],
            &[],
        ),
        case(
            Format::GoMod,
            "go-mod/replace-local.mod",
            &[
                "golang.org/x/net@v1.2.3 L7 direct=y dev=- path",
                "github.com/BurntSushi/toml@v1.0.0 L3 direct=y dev=-",
            ],
            &[],
        ),
        case(
            Format::GoMod,
            "go-mod/replace-mixed.mod",
            &[
                "example.com/fork/net@v1.4.5 L7 direct=y dev=-",
                "golang.org/x/net@v0.5.6 L3 direct=y dev=-",
            ],
            &[],
        ),
        case(
            Format::GoMod,
            "go-mod/replace-no-version.mod",
            &["example.com/fork/net@v1.4.5 L7 direct=y dev=-"],
            &[],
        ),
        case(
            Format::GoMod,
            "go-mod/replace-not-required.mod",
            &[
                "golang.org/x/net@v0.5.6 L2 direct=y dev=-",
                "github.com/BurntSushi/toml@v1.0.0 L3 direct=y dev=-",
            ],
            &[],
        ),
        case(
            Format::GoMod,
            "go-mod/replace-one.mod",
            &["example.com/fork/net@v1.4.5 L5 direct=y dev=-"],
            &[],
        ),
        case(
            Format::GoMod,
            "go-mod/toolchain-with-suffix.mod",
            &["github.com/BurntSushi/toml@v1.0.0 L8 direct=y dev=-"],
            &[],
        ),
        case(
            Format::GoMod,
            "go-mod/toolchain.mod",
            &["github.com/BurntSushi/toml@v1.0.0 L8 direct=y dev=-"],
            &[],
        ),
        case(
            Format::GoMod,
            "go-mod/two-packages.mod",
            &[
                "github.com/BurntSushi/toml@v1.0.0 L6 direct=y dev=-",
                "gopkg.in/yaml.v2@v2.4.0 L7 direct=y dev=-",
            ],
            &[],
        ),
        case(
            Format::GemfileLock,
            "gemfile-lock/has-git-gem.lock",
            &[
                "hanami-controller@2.0.0.alpha1 L6 direct=n dev=- git",
                "hanami-utils@2.0.0.alpha1 L15 direct=y dev=- git",
                "concurrent-ruby@1.1.7 L22 direct=n dev=-",
                "rack@2.2.3 L23 direct=n dev=-",
                "transproc@1.1.1 L24 direct=n dev=-",
            ],
            &[],
        ),
        spot(
            Format::GemfileLock,
            "gemfile-lock/has-local-gem.lock",
            30,
            &[
                "backbone-on-rails@1.2.0.0 L4 direct=y dev=- path",
                "actionpack@7.0.2.2 L14 direct=n dev=-",
                "actionview@7.0.2.2 L21 direct=n dev=-",
                "tzinfo@2.0.4 L78 direct=n dev=-",
                "zeitwerk@2.5.4 L80 direct=n dev=-",
            ],
            &[],
        ),
        case(Format::GemfileLock, "gemfile-lock/invalid.lock", &[], &[4]),
        case(
            Format::GemfileLock,
            "gemfile-lock/multiple-gems.lock",
            &[
                "bundler-audit@0.9.0.1 L4 direct=y dev=-",
                "coderay@1.1.3 L7 direct=n dev=-",
                "dotenv@2.7.6 L8 direct=y dev=-",
                "method_source@1.0.0 L9 direct=n dev=-",
                "pry@0.14.1 L10 direct=y dev=-",
                "thor@1.2.1 L13 direct=n dev=-",
            ],
            &[],
        ),
        case(
            Format::GemfileLock,
            "gemfile-lock/no-gem-section.lock",
            &[],
            &[],
        ),
        case(Format::GemfileLock, "gemfile-lock/no-gems.lock", &[], &[]),
        case(
            Format::GemfileLock,
            "gemfile-lock/no-spec-section.lock",
            &[],
            &[],
        ),
        case(
            Format::GemfileLock,
            "gemfile-lock/one-gem.lock",
            &["ast@2.4.2 L4 direct=y dev=-"],
            &[],
        ),
        spot(
            Format::GemfileLock,
            "gemfile-lock/rails.lock",
            46,
            &[
                "actioncable@7.0.2.2 L4 direct=n dev=-",
                "actionmailbox@7.0.2.2 L9 direct=n dev=-",
                "actionmailer@7.0.2.2 L19 direct=n dev=-",
                "rails@7.0.2.2 L110 direct=y dev=-",
                "websocket-extensions@0.1.5 L144 direct=n dev=-",
                "zeitwerk@2.5.4 L145 direct=n dev=-",
            ],
            &[],
        ),
        case(
            Format::GemfileLock,
            "gemfile-lock/rubocop.lock",
            &[
                "ast@2.4.2 L4 direct=n dev=-",
                "parallel@1.21.0 L5 direct=n dev=-",
                "parser@3.1.1.0 L6 direct=n dev=-",
                "rainbow@3.1.1 L8 direct=n dev=-",
                "regexp_parser@2.2.1 L9 direct=n dev=-",
                "rexml@3.2.5 L10 direct=n dev=-",
                "rubocop@1.25.1 L11 direct=y dev=-",
                "rubocop-ast@1.16.0 L20 direct=n dev=-",
                "ruby-progressbar@1.11.0 L22 direct=n dev=-",
                "unicode-display_width@2.1.0 L23 direct=n dev=-",
            ],
            &[],
        ),
        case(
            Format::GemfileLock,
            "gemfile-lock/some-gems.lock",
            &[
                "coderay@1.1.3 L4 direct=n dev=-",
                "method_source@1.0.0 L5 direct=n dev=-",
                "pry@0.14.1 L6 direct=y dev=-",
            ],
            &[],
        ),
        case(
            Format::GemfileLock,
            "gemfile-lock/source-section-at-end.lock",
            &["ast@2.4.2 L16 direct=y dev=-"],
            &[],
        ),
        case(
            Format::ComposerLock,
            "composer-lock/drupal-packages.json",
            &[
                "drupal/core@10.4.5 L10 direct=- dev=n",
                "drupal/tfa@2.0.0-alpha4 L174 direct=- dev=n",
                "theseer/tokenizer@1.1.3 L261 direct=- dev=n",
                "drupal/field_time@1.0.0-beta5 L299 direct=- dev=y",
            ],
            &[],
        ),
        case(
            Format::ComposerLock,
            "composer-lock/duplicate-packages.json",
            &[
                "sentry/sdk@2.0.4 L10 direct=- dev=n",
                "sentry/sdk@2.0.5 L17 direct=- dev=n",
                "sentry/sdk@3.0.0-dev L26 direct=- dev=y",
            ],
            &[],
        ),
        case(Format::ComposerLock, "composer-lock/empty.json", &[], &[]),
        error(Format::ComposerLock, "composer-lock/not-json.txt", Some(1)), // invalid JSON: expected ident at line 1 column 2
        error(Format::ComposerLock, "composer-lock/null.jsontest", Some(1)), // unexpected content: invalid type: null, expected struct Lock at line 1 column 4
        case(
            Format::ComposerLock,
            "composer-lock/one-package-dev.json",
            &["sentry/sdk@2.0.4 L11 direct=- dev=y"],
            &[],
        ),
        case(
            Format::ComposerLock,
            "composer-lock/one-package.json",
            &["sentry/sdk@2.0.4 L10 direct=- dev=n"],
            &[],
        ),
        case(
            Format::ComposerLock,
            "composer-lock/two-packages-alt.json",
            &[
                "sentry/sdk@2.0.4 L10 direct=- dev=n",
                "theseer/tokenizer@1.1.3 L41 direct=- dev=n",
            ],
            &[],
        ),
        case(
            Format::ComposerLock,
            "composer-lock/two-packages.json",
            &[
                "sentry/sdk@2.0.4 L10 direct=- dev=n",
                "theseer/tokenizer@1.1.3 L43 direct=- dev=y",
            ],
            &[],
        ),
        case(Format::PubspecLock, "pubspec-lock/empty.lock", &[], &[]),
        case(
            Format::PubspecLock,
            "pubspec-lock/mixed-packages.lock",
            &[
                "back_button_interceptor@6.0.1 L4 direct=y dev=n",
                "build_runner@2.2.1 L11 direct=y dev=y",
                "shelf@1.3.2 L18 direct=n dev=-",
                "shelf_web_socket@1.0.2 L25 direct=n dev=-",
            ],
            &[],
        ),
        case(
            Format::PubspecLock,
            "pubspec-lock/no-packages.lock",
            &[],
            &[],
        ),
        error(Format::PubspecLock, "pubspec-lock/not-yaml.txt", Some(1)), // not a pubspec.lock: the document is not a mapping
        case(
            Format::PubspecLock,
            "pubspec-lock/one-package-dev.lock",
            &["build_runner@2.2.1 L4 direct=y dev=y"],
            &[],
        ),
        case(
            Format::PubspecLock,
            "pubspec-lock/one-package.lock",
            &["back_button_interceptor@6.0.1 L4 direct=y dev=n"],
            &[],
        ),
        case(
            Format::PubspecLock,
            "pubspec-lock/source-git.lock",
            &[
                "flutter_rust_bridge@1.32.0 L4 direct=y dev=n git",
                "screen_retriever@0.1.2 L13 direct=n dev=- git",
                "toggle_switch@1.4.0 L22 direct=y dev=n",
                "tray_manager@0.1.8 L29 direct=y dev=n git",
                "window_manager@0.2.7 L38 direct=y dev=n git",
            ],
            &[],
        ),
        case(
            Format::PubspecLock,
            "pubspec-lock/source-path.lock",
            &["maa_core@0.0.1 L4 direct=y dev=n path"],
            &[],
        ),
        case(
            Format::PubspecLock,
            "pubspec-lock/source-sdk.lock",
            &["flutter_web_plugins@0.0.0 L4 direct=n dev=- other"],
            &[],
        ),
        case(
            Format::PubspecLock,
            "pubspec-lock/two-packages.lock",
            &[
                "shelf@1.3.2 L4 direct=n dev=-",
                "shelf_web_socket@1.0.2 L11 direct=n dev=-",
            ],
            &[],
        ),
        case(Format::MixLock, "mix-lock/empty.lock", &[], &[]),
        case(Format::MixLock, "mix-lock/git.lock", &[], &[2, 3, 4]),
        spot(
            Format::MixLock,
            "mix-lock/many.lock",
            21,
            &[
                "backoff@1.1.6 L2 direct=- dev=-",
                "decimal@2.0.0 L3 direct=- dev=-",
                "dialyxir@1.1.0 L4 direct=- dev=-",
                "pow@1.0.15 L21 direct=- dev=-",
                "telemetry@0.4.2 L22 direct=- dev=-",
            ],
            &[],
        ),
        case(
            Format::MixLock,
            "mix-lock/one-package.lock",
            &["plug@1.11.1 L2 direct=- dev=-"],
            &[],
        ),
        case(
            Format::MixLock,
            "mix-lock/two-packages.lock",
            &[
                "plug@1.11.1 L2 direct=- dev=-",
                "plug_crypto@1.2.2 L3 direct=- dev=-",
            ],
            &[],
        ),
    ]
}

fn warning_lines(m: &Manifest) -> Vec<u32> {
    m.warnings.iter().map(|w| w.line.unwrap_or(0)).collect()
}

#[test]
fn fixtures_parse_to_their_packages() {
    let mut failures = Vec::new();
    for c in cases() {
        let got = parse(c.format, c.path);
        match (&c.expect, got) {
            (Expect::All(want, warns), Ok(m)) => {
                let have = render(&m);
                if have != *want {
                    failures.push(format!(
                        "{}: packages\n  want {want:#?}\n  have {have:#?}",
                        c.path
                    ));
                }
                if warning_lines(&m) != *warns {
                    failures.push(format!(
                        "{}: warnings {:?}, want lines {warns:?}",
                        c.path, m.warnings
                    ));
                }
            }
            (Expect::Some(count, want, warns), Ok(m)) => {
                let have = render(&m);
                if have.len() != *count {
                    failures.push(format!("{}: {} packages, want {count}", c.path, have.len()));
                }
                for w in *want {
                    if !have.iter().any(|h| h == w) {
                        failures.push(format!("{}: missing {w}", c.path));
                    }
                }
                if warning_lines(&m) != *warns {
                    failures.push(format!(
                        "{}: warnings {:?}, want lines {warns:?}",
                        c.path, m.warnings
                    ));
                }
            }
            (Expect::Error(line), Err(e)) => {
                if e.line != *line {
                    failures.push(format!(
                        "{}: error {e} at {:?}, want line {line:?}",
                        c.path, e.line
                    ));
                }
            }
            (Expect::Error(_), Ok(m)) => failures.push(format!(
                "{}: parsed ({:?}), want an error",
                c.path,
                render(&m)
            )),
            (_, Err(e)) => failures.push(format!("{}: {e}", c.path)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Each fixture file of these formats has expectations here: none is silently left out.
#[test]
fn every_fixture_is_covered() {
    let covered: HashSet<String> = cases()
        .iter()
        .map(|c| c.path.to_string())
        .chain(REAL.iter().chain(&SIBLINGS).map(|p| p.to_string()))
        .collect();
    let mut missing = Vec::new();
    for (dir, _) in DIRS {
        for file in files(&data().join(dir)) {
            let rel = file
                .strip_prefix(data())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if !covered.contains(&rel) {
                missing.push(rel);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "fixtures without expectations: {missing:?}"
    );
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

fn count(m: &Manifest, f: impl Fn(&gatehouse_sca::Package) -> bool) -> usize {
    m.packages.iter().filter(|p| f(p)).count()
}

#[test]
fn real_lockfiles() {
    let has = |m: &Manifest, line: &str| render(m).iter().any(|r| r == line);

    // Workspace members are the packages without a source; what they list is direct.
    let m = parse(Format::CargoLock, "cargo-lock/noseyparker.Cargo.lock").unwrap();
    assert_eq!(m.packages.len(), 552);
    assert_eq!(count(&m, |p| p.source == SourceKind::Path), 8);
    assert_eq!(count(&m, |p| p.direct == Some(true)), 75);
    assert!(has(&m, "anyhow@1.0.100 L133 direct=y dev=-"));
    assert!(has(&m, "bstring-serde@0.0.0 L382 direct=y dev=- path"));
    assert!(m.warnings.is_empty(), "{:?}", m.warnings);

    let m = parse(Format::CargoLock, "cargo-lock/uv.Cargo.lock").unwrap();
    assert_eq!(m.packages.len(), 753);
    assert_eq!(count(&m, |p| p.source == SourceKind::Path), 70);
    assert_eq!(count(&m, |p| p.direct == Some(true)), 233);
    assert!(has(&m, "uv@0.12.5 L5906 direct=y dev=- path"));
    assert!(has(&m, "ambient-id@0.0.11 L43 direct=y dev=-"));

    let m = parse(
        Format::NpmLock,
        "package-lock-json/osv-scanner-fix-in-place-npm.package-lock.json",
    )
    .unwrap();
    assert_eq!(m.packages.len(), 106);
    assert_eq!(count(&m, |p| p.direct == Some(true)), 1);
    assert_eq!(count(&m, |p| p.dev == Some(true)), 0);
    assert!(has(&m, "npm-registry-client@6.2.0 L537 direct=y dev=n"));
    assert!(has(&m, "ajv@6.12.6 L15 direct=n dev=n"));

    // 8 dependencies and 12 devDependencies in the importer.
    let m = parse(
        Format::PnpmLock,
        "pnpm-lock/osv.dev-frontend3.pnpm-lock.yaml",
    )
    .unwrap();
    assert_eq!(m.packages.len(), 416);
    assert_eq!(count(&m, |p| p.direct == Some(true)), 20);
    assert_eq!(
        count(&m, |p| p.direct == Some(true) && p.dev == Some(true)),
        12
    );
    assert_eq!(count(&m, |p| p.dev.is_none()), 0);
    assert!(has(&m, "@hotwired/turbo@8.0.23 L86 direct=y dev=n"));
    assert!(has(&m, "css-loader@7.1.4 L735 direct=y dev=y"));

    // 364 requirements, 296 of them `// indirect`; no go.sum is read from Go 1.17 on.
    let m = parse(Format::GoMod, "go-mod/usql.go.mod").unwrap();
    assert_eq!(m.packages.len(), 364);
    assert_eq!(count(&m, |p| p.direct == Some(false)), 296);
    assert!(has(
        &m,
        "github.com/ClickHouse/clickhouse-go/v2@v2.43.0 L6 direct=y dev=-"
    ));
    assert!(has(&m, "cel.dev/expr@v0.25.1 L77 direct=n dev=-"));
    assert!(m
        .packages
        .iter()
        .all(|p| p.file.is_none() && p.name != "stdlib"));

    // 38 gems in DEPENDENCIES; platform variants of one version are one package.
    let m = parse(Format::GemfileLock, "gemfile-lock/railsgoat.Gemfile.lock").unwrap();
    assert_eq!(m.packages.len(), 167);
    assert_eq!(count(&m, |p| p.direct == Some(true)), 38);
    assert!(has(&m, "rails@8.0.4 L320 direct=y dev=-"));
    assert!(has(&m, "nokogiri@1.19.0 L259 direct=n dev=-"));
}

/// The go.sum read for a pre-1.17 go.mod is named on its packages.
#[test]
fn go_sum_packages_name_their_file() {
    let m = parse(Format::GoMod, "go-mod/indirect-1.16.mod").unwrap();
    let from_sum: Vec<_> = m.packages.iter().filter(|p| p.file.is_some()).collect();
    assert_eq!(from_sum.len(), 5);
    assert!(from_sum.iter().all(|p| p
        .file
        .as_deref()
        .is_some_and(|f| f.ends_with("indirect-1.16.sum"))));
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
            let step = (text.len() / 60).max(7);
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

/// A byte order mark before the text changes nothing.
#[test]
fn byte_order_mark_is_ignored() {
    let samples = [
        (Format::CargoLock, "cargo-lock/two-packages.lock"),
        (Format::NpmLock, "package-lock-json/two-packages.v2.json"),
        (Format::YarnLock, "yarn-lock/two-packages.v1.lock"),
        (Format::YarnLock, "yarn-lock/two-packages.v2.lock"),
        (Format::PnpmLock, "pnpm-lock/one-package.v9.yaml"),
        (Format::GoMod, "go-mod/two-packages.mod"),
        (Format::GemfileLock, "gemfile-lock/one-gem.lock"),
        (Format::ComposerLock, "composer-lock/two-packages.json"),
        (Format::PubspecLock, "pubspec-lock/two-packages.lock"),
        (Format::MixLock, "mix-lock/two-packages.lock"),
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
