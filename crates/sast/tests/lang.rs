//! The language layer: grammars, detection, parsing files and Semgrep patterns.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use gatehouse_sast::lang::{
    parse, parse_pattern, Language, PatternKind, PatternTree, PlaceholderKind,
};
use proptest::prelude::*;
use tree_sitter::Node;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lang")
}

fn first_line(bytes: &[u8]) -> &[u8] {
    bytes.split(|&b| b == b'\n').next().unwrap_or_default()
}

#[test]
fn every_fixture_parses_without_errors_and_every_language_has_one() {
    let mut seen = BTreeSet::new();
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_lowercase();
        if name.starts_with("broken") {
            continue;
        }
        let source = std::fs::read(&path).unwrap();
        let lang = Language::from_path(&path, Some(first_line(&source)))
            .unwrap_or_else(|| panic!("no language for {}", path.display()));
        let parsed = parse(lang, &source).unwrap();
        assert_eq!(parsed.language, lang);
        assert_eq!(
            parsed.error_count,
            0,
            "{} ({lang}): {:?}",
            path.display(),
            parsed.errors
        );
        assert!(parsed.is_clean());
        assert!(parsed.tree.root_node().named_child_count() > 0);
        seen.insert(lang);
    }
    let all: BTreeSet<Language> = Language::all().iter().copied().collect();
    assert_eq!(seen, all, "a fixture per language");
}

#[test]
fn broken_files_have_their_errors_counted_and_located() {
    let source = std::fs::read(fixtures().join("broken.py")).unwrap();
    let parsed = parse(Language::Python, &source).unwrap();
    assert!(parsed.error_count >= 1);
    let first = &parsed.errors[0];
    assert_eq!(first.line, 4, "{:?}", parsed.errors);
    assert!(first.column >= 1);
    assert!(parsed.errors.len() <= gatehouse_sast::lang::MAX_REPORTED_ERRORS);
    // The function before the error is still in the tree.
    let root = parsed.tree.root_node();
    assert_eq!(root.named_child(0).unwrap().kind(), "function_definition");

    let source = std::fs::read(fixtures().join("Broken.java")).unwrap();
    let parsed = parse(Language::Java, &source).unwrap();
    assert!(parsed.error_count >= 2, "{:?}", parsed.errors);
    assert!(parsed.errors.iter().any(|e| e.missing.is_some()));
    assert!(parsed.errors.iter().all(|e| e.line >= 3 && e.line <= 4));
    for e in &parsed.errors {
        assert!(e.bytes.end <= source.len());
    }
}

#[test]
fn languages_by_extension_file_name_and_shebang() {
    type Case = (&'static str, Option<&'static [u8]>, Option<Language>);
    let cases: &[Case] = &[
        ("a.py", None, Some(Language::Python)),
        ("stubs/a.pyi", None, Some(Language::Python)),
        ("a.js", None, Some(Language::JavaScript)),
        ("a.mjs", None, Some(Language::JavaScript)),
        ("a.cjs", None, Some(Language::JavaScript)),
        ("A.JSX", None, Some(Language::JavaScript)),
        ("a.ts", None, Some(Language::TypeScript)),
        ("a.d.ts", None, Some(Language::TypeScript)),
        ("a.mts", None, Some(Language::TypeScript)),
        ("a.cts", None, Some(Language::TypeScript)),
        ("a.tsx", None, Some(Language::Tsx)),
        ("A.java", None, Some(Language::Java)),
        ("a.go", None, Some(Language::Go)),
        ("a.cs", None, Some(Language::CSharp)),
        ("a.php", None, Some(Language::Php)),
        ("a.phtml", None, Some(Language::Php)),
        ("a.rb", None, Some(Language::Ruby)),
        ("tasks/a.rake", None, Some(Language::Ruby)),
        ("Gemfile", None, Some(Language::Ruby)),
        ("Rakefile", None, Some(Language::Ruby)),
        ("a.kt", None, Some(Language::Kotlin)),
        ("build.gradle.kts", None, Some(Language::Kotlin)),
        ("a.c", None, Some(Language::C)),
        ("a.h", None, Some(Language::C)),
        ("a.cc", None, Some(Language::Cpp)),
        ("a.cpp", None, Some(Language::Cpp)),
        ("a.cxx", None, Some(Language::Cpp)),
        ("a.hpp", None, Some(Language::Cpp)),
        ("a.hh", None, Some(Language::Cpp)),
        ("a.sh", None, Some(Language::Bash)),
        ("a.bash", None, Some(Language::Bash)),
        (".bashrc", None, Some(Language::Bash)),
        (
            "bin/tool",
            Some(b"#!/usr/bin/env python3"),
            Some(Language::Python),
        ),
        ("bin/tool", Some(b"#!/bin/bash -e"), Some(Language::Bash)),
        ("bin/tool", Some(b"#!/bin/sh"), Some(Language::Bash)),
        (
            "bin/tool",
            Some(b"#!/usr/bin/env node"),
            Some(Language::JavaScript),
        ),
        (
            "bin/tool",
            Some(b"#!/usr/bin/ruby -w"),
            Some(Language::Ruby),
        ),
        ("bin/tool", Some(b"#!/usr/bin/php"), Some(Language::Php)),
        ("bin/tool", Some(b"#!/usr/bin/env -S perl -w"), None),
        ("bin/tool", Some(b"echo hi"), None),
        ("bin/tool", None, None),
        // The extension wins over the shebang.
        ("a.py", Some(b"#!/bin/sh"), Some(Language::Python)),
        ("README.md", None, None),
        ("Makefile", None, None),
    ];
    for (path, first, want) in cases {
        assert_eq!(
            Language::from_path(Path::new(path), *first),
            *want,
            "{path}"
        );
    }
}

#[test]
fn names_and_aliases() {
    let cases = [
        ("python", Language::Python),
        ("py", Language::Python),
        ("Python3", Language::Python),
        ("python2", Language::Python),
        ("javascript", Language::JavaScript),
        ("JS", Language::JavaScript),
        ("typescript", Language::TypeScript),
        ("ts", Language::TypeScript),
        ("tsx", Language::Tsx),
        ("java", Language::Java),
        ("go", Language::Go),
        ("golang", Language::Go),
        ("csharp", Language::CSharp),
        ("C#", Language::CSharp),
        ("cs", Language::CSharp),
        ("php", Language::Php),
        ("ruby", Language::Ruby),
        ("rb", Language::Ruby),
        ("kotlin", Language::Kotlin),
        ("kt", Language::Kotlin),
        ("c", Language::C),
        ("cpp", Language::Cpp),
        ("C++", Language::Cpp),
        ("bash", Language::Bash),
        ("sh", Language::Bash),
    ];
    for (name, lang) in cases {
        assert_eq!(Language::from_name(name), Some(lang), "{name}");
    }
    assert_eq!(Language::from_name("cobol"), None);
    assert_eq!(Language::from_name(""), None);
    let names: Vec<&str> = Language::all().iter().map(|l| l.name()).collect();
    assert_eq!(
        names,
        [
            "python",
            "javascript",
            "typescript",
            "tsx",
            "java",
            "go",
            "csharp",
            "php",
            "ruby",
            "kotlin",
            "c",
            "cpp",
            "bash"
        ]
    );
    // Semgrep: `ts` rules run on .ts and .tsx files; `js` rules on JavaScript (JSX included).
    assert_eq!(
        Language::TypeScript.file_languages(),
        [Language::TypeScript, Language::Tsx]
    );
    assert_eq!(
        Language::JavaScript.file_languages(),
        [Language::JavaScript]
    );
    assert_eq!(Language::Tsx.rule_language(), Language::TypeScript);
}

#[test]
fn every_grammar_parses_a_sample_in_this_core() {
    let samples: &[(Language, &str)] = &[
        (Language::Python, "x = 1\n"),
        (Language::JavaScript, "let x = <a/>;\n"),
        (Language::TypeScript, "let x: number = 1;\n"),
        (Language::Tsx, "let x = <a/>;\n"),
        (Language::Java, "class A {}\n"),
        (Language::Go, "package a\n"),
        (Language::CSharp, "class A {}\n"),
        (Language::Php, "<?php echo 1;\n"),
        (Language::Ruby, "x = 1\n"),
        (Language::Kotlin, "val x = 1\n"),
        (Language::C, "int x;\n"),
        (Language::Cpp, "int x;\n"),
        (Language::Bash, "echo hi\n"),
    ];
    assert_eq!(samples.len(), Language::all().len());
    for (lang, sample) in samples {
        let abi = lang.ts_language().abi_version();
        assert!(
            (tree_sitter::MIN_COMPATIBLE_LANGUAGE_VERSION..=tree_sitter::LANGUAGE_VERSION)
                .contains(&abi),
            "{lang}: ABI {abi}"
        );
        let parsed = parse(*lang, sample.as_bytes()).unwrap();
        assert!(parsed.is_clean(), "{lang}: {:?}", parsed.errors);
    }
}

// ---------------------------------------------------------------------------------------------
// Patterns
// ---------------------------------------------------------------------------------------------

use PatternKind::{Declaration as D, Expression as E, Statements as S};

/// (pattern, kind, placeholders: metavariable names, `...` per ellipsis, `<...>` per deep).
type Case = (&'static str, PatternKind, &'static [&'static str]);

const PYTHON: &[Case] = &[
    ("os.system(...)", E, &["..."]),
    ("eval(...)", E, &["..."]),
    ("$CMD = \"...\" + $X", E, &["$CMD", "$X"]),
    ("import pickle", D, &[]),
    ("from flask import request", D, &[]),
    ("def $F(...): ...", D, &["$F", "...", "..."]),
    ("subprocess.call($X, shell=True)", E, &["$X"]),
    ("pickle.loads(<... $X ...>)", E, &["<...>", "$X"]),
    ("$X = $Y\n...\n$Z($X)", S, &["$X", "$Y", "...", "$Z"]),
    ("requests.get(..., verify=False)", E, &["..."]),
    ("{..., \"password\": $P}", E, &["...", "$P"]),
    (
        "@app.route(...)\ndef $F(...):\n    ...",
        D,
        &["...", "$F", "...", "..."],
    ),
    ("$CUR.execute(f\"...{$X}...\")", E, &["$CUR", "$X"]),
    ("with open($F) as $FH:\n    ...", S, &["$F", "$FH", "..."]),
    ("yaml.load($X, $...REST)", E, &["$X", "$...REST"]),
];

const JAVASCRIPT: &[Case] = &[
    ("$RES.send($REQ.query.$P)", E, &["$RES", "$REQ", "$P"]),
    ("eval(...)", E, &["..."]),
    (
        "require('child_process').exec($CMD, ...)",
        E,
        &["$CMD", "..."],
    ),
    ("$X = $Y; ...; $Z($X);", S, &["$X", "$Y", "...", "$Z"]),
    ("function $F(...) { ... }", D, &["$F", "...", "..."]),
    ("$EL.innerHTML = \"...\" + $X", E, &["$EL", "$X"]),
    ("new Function(...)", E, &["..."]),
    (
        "res.cookie($N, $V, {..., httpOnly: false, ...})",
        E,
        &["$N", "$V", "...", "..."],
    ),
    ("import $X from 'lodash'", D, &["$X"]),
    ("<div dangerouslySetInnerHTML={{__html: $X}} />", E, &["$X"]),
    ("exec(`...${$X}...`)", E, &["$X"]),
    ("foo(<... $X ...>)", E, &["<...>", "$X"]),
    (
        "$APP.get($PATH, function ($REQ, $RES) { ... })",
        E,
        &["$APP", "$PATH", "$REQ", "$RES", "..."],
    ),
    ("$M(...) { ... }", D, &["$M", "...", "..."]),
    ("const $X = require(...)", S, &["$X", "..."]),
];

const TYPESCRIPT: &[Case] = &[
    ("eval(...)", E, &["..."]),
    ("$X as any", E, &["$X"]),
    ("<$T>$X", E, &["$T", "$X"]),
    ("let $X: any = ...", S, &["$X", "..."]),
    (
        "function $F($A: string, ...): $T { ... }",
        D,
        &["$F", "$A", "...", "$T", "..."],
    ),
    ("import { $X } from \"child_process\"", D, &["$X"]),
    (
        "@Component({..., template: $T, ...})\nclass $C { ... }",
        D,
        &["...", "$T", "...", "$C", "..."],
    ),
    ("$DB.query(\"...\" + $X)", E, &["$DB", "$X"]),
    ("$X = $Y; ...; $Z($X);", S, &["$X", "$Y", "...", "$Z"]),
    ("$RES.send($REQ.query.$P)", E, &["$RES", "$REQ", "$P"]),
    ("exec(<... $X ...>)", E, &["<...>", "$X"]),
];

const TSX: &[Case] = &[
    ("<div dangerouslySetInnerHTML={{__html: $X}} />", E, &["$X"]),
    ("<a href={$X}>...</a>", E, &["$X", "..."]),
    ("$X as any", E, &["$X"]),
    ("eval(...)", E, &["..."]),
    ("useEffect(() => { ... }, [...])", E, &["...", "..."]),
    ("function $C(...) { ... }", D, &["$C", "...", "..."]),
    ("$X = $Y; ...; $Z($X);", S, &["$X", "$Y", "...", "$Z"]),
    ("window.location.href = $X", E, &["$X"]),
    ("$EL.innerHTML = $X", E, &["$EL", "$X"]),
    ("fetch(<... $X ...>)", E, &["<...>", "$X"]),
];

const JAVA: &[Case] = &[
    ("$X.execute($Q)", E, &["$X", "$Q"]),
    ("Runtime.getRuntime().exec($X)", E, &["$X"]),
    ("new ObjectInputStream(...)", E, &["..."]),
    ("import java.io.*;", D, &[]),
    ("$X = $Y; ...; $Z($X);", S, &["$X", "$Y", "...", "$Z"]),
    ("$X = $Y;\n...\n$Z($X);", S, &["$X", "$Y", "...", "$Z"]),
    ("String $S = \"...\" + $X;", S, &["$S", "$X"]),
    ("$RET $M(...) { ... }", D, &["$RET", "$M", "...", "..."]),
    (
        "@RequestMapping(...)\npublic $RET $M(...) { ... }",
        D,
        &["...", "$RET", "$M", "...", "..."],
    ),
    ("class $C extends HttpServlet { ... }", D, &["$C", "..."]),
    ("\"...\" + $X", E, &["$X"]),
    ("$S.executeQuery(<... $X ...>)", E, &["$S", "<...>", "$X"]),
    ("@Deprecated", D, &[]),
    ("new $T(...) { ... }", E, &["$T", "...", "..."]),
    ("Cipher.getInstance(\"DES\")", E, &[]),
    ("$M($...ARGS)", E, &["$M", "$...ARGS"]),
];

const GO: &[Case] = &[
    ("exec.Command($NAME, ...)", E, &["$NAME", "..."]),
    ("exec.Command(\"sh\", \"-c\", $X)", E, &["$X"]),
    ("import \"crypto/md5\"", D, &[]),
    ("func $F(...) { ... }", D, &["$F", "...", "..."]),
    (
        "func ($R *$T) $M(...) { ... }",
        D,
        &["$R", "$T", "$M", "...", "..."],
    ),
    ("$X := $Y\n...\n$Z($X)", S, &["$X", "$Y", "...", "$Z"]),
    (
        "$DB.Query(fmt.Sprintf(..., $X), ...)",
        E,
        &["$DB", "...", "$X", "..."],
    ),
    (
        "&tls.Config{..., InsecureSkipVerify: true, ...}",
        E,
        &["...", "..."],
    ),
    ("defer $F.Close()", S, &["$F"]),
    ("if err != nil { ... }", S, &["..."]),
    ("fmt.Sprintf(<... $X ...>)", E, &["<...>", "$X"]),
    ("fmt.Println(args...)", E, &[]),
];

const CSHARP: &[Case] = &[
    ("$X.Execute($Q)", E, &["$X", "$Q"]),
    ("new BinaryFormatter()", E, &[]),
    ("Process.Start($X, ...)", E, &["$X", "..."]),
    ("using System.Security.Cryptography;", D, &[]),
    ("$X = $Y; ...; $Z($X);", S, &["$X", "$Y", "...", "$Z"]),
    ("$X = $Y;\n...\n$Z($X);", S, &["$X", "$Y", "...", "$Z"]),
    (
        "public $RET $M(...) { ... }",
        D,
        &["$RET", "$M", "...", "..."],
    ),
    (
        "[HttpGet]\npublic $RET $M(...) { ... }",
        D,
        &["$RET", "$M", "...", "..."],
    ),
    ("class $C : Controller { ... }", D, &["$C", "..."]),
    ("var $S = \"...\" + $X;", S, &["$S", "$X"]),
    ("$CMD.CommandText = $\"...{$X}...\"", E, &["$CMD", "$X"]),
    (
        "new SqlCommand(<... $X ...>, ...)",
        E,
        &["<...>", "$X", "..."],
    ),
    ("[ValidateInput(false)]", D, &[]),
    ("return $X;", S, &["$X"]),
];

const PHP: &[Case] = &[
    ("eval(...)", E, &["..."]),
    ("exec($X)", E, &["$X"]),
    ("$X = $Y; ...; $Z($X);", S, &["$X", "$Y", "...", "$Z"]),
    ("$X = $_GET[...];\n...\necho $X;", S, &["$X", "...", "..."]),
    ("mysql_query(\"...\" . $X)", E, &["$X"]),
    ("function $F(...) { ... }", D, &["$F", "...", "..."]),
    ("class $C { ... }", D, &["$C", "..."]),
    ("public function $M(...) { ... }", D, &["$M", "...", "..."]),
    ("unserialize($_POST[...])", E, &["..."]),
    ("$DB->query(\"...\" . $X . \"...\")", E, &["$DB", "$X"]),
    ("echo \"...$X...\";", S, &["$X"]),
    ("use Foo\\Bar;", D, &[]),
    ("md5(<... $X ...>)", E, &["<...>", "$X"]),
    ("$OBJ->$M(...)", E, &["$OBJ", "$M", "..."]),
    ("[..., 'key' => $V, ...]", E, &["...", "$V", "..."]),
];

const RUBY: &[Case] = &[
    ("system(...)", E, &["..."]),
    ("eval($X)", E, &["$X"]),
    ("$X = $Y; ...; $Z($X)", S, &["$X", "$Y", "...", "$Z"]),
    (
        "$X = params[...]\n...\n$M.find_by_sql($X)",
        S,
        &["$X", "...", "...", "$M"],
    ),
    ("def $F(...)\n  ...\nend", D, &["$F", "...", "..."]),
    (
        "class $C < ApplicationController\n  ...\nend",
        D,
        &["$C", "..."],
    ),
    ("Marshal.load(...)", E, &["..."]),
    ("`...#{$X}...`", E, &["$X"]),
    ("$M.where(\"...#{$X}...\")", E, &["$M", "$X"]),
    ("{..., :secure => false, ...}", E, &["...", "..."]),
    ("render inline: $X", E, &["$X"]),
    ("$X.each do |$Y|\n  ...\nend", E, &["$X", "$Y", "..."]),
    ("redirect_to(<... params ...>)", E, &["<...>"]),
    ("require \"open3\"", E, &[]),
];

const KOTLIN: &[Case] = &[
    ("Runtime.getRuntime().exec($X)", E, &["$X"]),
    ("$X = $Y\n...\n$Z($X)", S, &["$X", "$Y", "...", "$Z"]),
    ("fun $F(...) { ... }", D, &["$F", "...", "..."]),
    ("class $C : $P() { ... }", D, &["$C", "$P", "..."]),
    ("import java.io.File", D, &[]),
    ("val $X = \"...\" + $Y", S, &["$X", "$Y"]),
    ("$DB.rawQuery(\"...\" + $X, ...)", E, &["$DB", "$X", "..."]),
    ("MessageDigest.getInstance(\"MD5\")", E, &[]),
    ("ObjectInputStream(<... $X ...>)", E, &["<...>", "$X"]),
    ("\"...${$X}...\"", E, &["$X"]),
    ("if ($X) { ... }", E, &["$X", "..."]),
];

const C: &[Case] = &[
    ("strcpy($DST, $SRC)", E, &["$DST", "$SRC"]),
    ("system(...)", E, &["..."]),
    ("gets(...)", E, &["..."]),
    (
        "$X = malloc(...);\n...\nfree($X);\n...\nfree($X);",
        S,
        &["$X", "...", "...", "..."],
    ),
    ("#include <stdio.h>", D, &[]),
    ("char $BUF[$N];", S, &["$BUF", "$N"]),
    ("sprintf($BUF, \"...\", ...)", E, &["$BUF", "..."]),
    ("printf($FMT)", E, &["$FMT"]),
    ("void $F(...) { ... }", D, &["$F", "...", "..."]),
    (
        "memcpy($D, <... $S ...>, $N)",
        E,
        &["$D", "<...>", "$S", "$N"],
    ),
    ("struct $S { ... };", D, &["$S", "..."]),
    ("if ($X == NULL) { ... }", S, &["$X", "..."]),
];

const CPP: &[Case] = &[
    ("strcpy($DST, $SRC)", E, &["$DST", "$SRC"]),
    ("std::system(...)", E, &["..."]),
    ("new $T[...]", E, &["$T", "..."]),
    ("delete $X;\n...\ndelete $X;", S, &["$X", "..."]),
    ("class $C { ... };", D, &["$C", "..."]),
    ("$T::$M(...) { ... }", D, &["$T", "$M", "...", "..."]),
    ("#include <cstdio>", D, &[]),
    ("reinterpret_cast<$T>($X)", E, &["$T", "$X"]),
    ("$X = $Y; ...; $Z($X);", S, &["$X", "$Y", "...", "$Z"]),
    ("printf(<... $X ...>)", E, &["<...>", "$X"]),
];

const BASH: &[Case] = &[
    ("curl ... | bash", E, &["..."]),
    ("eval $X", E, &["$X"]),
    ("eval \"$X\"", E, &["$X"]),
    ("rm -rf $DIR ...", E, &["$DIR", "..."]),
    ("chmod 777 ...", E, &["..."]),
    ("wget ... -O - | sh", E, &["..."]),
    ("$CMD ...", E, &["$CMD", "..."]),
    ("function $F() { ... }", D, &["$F", "..."]),
    ("if [ ... ]; then ... fi", S, &["...", "..."]),
    ("for $X in ...; do ... done", S, &["$X", "...", "..."]),
    ("curl -k ...", E, &["..."]),
];

fn cases(lang: Language) -> &'static [Case] {
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

/// Every node of the tree inside the pattern's region, in document order.
fn region_nodes(tree: &PatternTree) -> Vec<Node<'_>> {
    let region = tree.region();
    let mut out = Vec::new();
    let mut cursor = tree.tree().walk();
    loop {
        let node = cursor.node();
        if node.start_byte() >= region.start && node.end_byte() <= region.end + 1 {
            out.push(node);
        }
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return out;
            }
        }
    }
}

fn describe(tree: &PatternTree) -> Vec<String> {
    tree.placeholders()
        .iter()
        .map(|p| match p.kind {
            PlaceholderKind::Metavariable | PlaceholderKind::EllipsisMetavariable => {
                p.metavariable.clone().unwrap_or_default()
            }
            PlaceholderKind::Ellipsis => "...".to_string(),
            PlaceholderKind::Deep => "<...>".to_string(),
        })
        .collect()
}

fn check_pattern(lang: Language, case: &Case) {
    let (text, kind, placeholders) = *case;
    let tree = parse_pattern(lang, text)
        .unwrap_or_else(|e| panic!("{lang} pattern {text:?} did not parse: {e}"));
    let context = format!(
        "{lang} {text:?} via {} → {:?}",
        tree.wrapper(),
        tree.roots().iter().map(|n| n.to_sexp()).collect::<Vec<_>>()
    );
    assert!(!tree.tree().root_node().has_error(), "{context}");
    assert_eq!(tree.kind(), kind, "{context}");
    assert_eq!(describe(&tree), *placeholders, "{context}");
    assert!(!tree.roots().is_empty(), "{context}");
    if kind == PatternKind::Expression {
        assert_eq!(tree.roots().len(), 1, "{context}");
    }
    // Roots lie in the region and are named; the wrapper's own nodes are not roots.
    let region = tree.region();
    for root in tree.roots() {
        assert!(root.is_named(), "{context}");
        assert!(root.start_byte() >= region.start, "{context}");
        assert!(root.end_byte() <= region.end + 1, "{context}");
        let original = tree.original_range(root.byte_range());
        assert!(original.end <= text.len(), "{context}");
    }
    // Every placeholder is found in the tree, by spelling and by node.
    let nodes = region_nodes(&tree);
    for p in tree.placeholders() {
        assert_eq!(tree.placeholder(&p.spelling), Some(p), "{context}");
        let found = nodes
            .iter()
            .any(|&n| tree.placeholder_of(n) == Some(p) && tree.text(n).contains(&p.spelling));
        assert!(found, "{context}: no node for {}", p.spelling);
        if p.kind == PlaceholderKind::Deep {
            let call = nodes
                .iter()
                .rev()
                .find(|&&n| tree.placeholder_of(n) == Some(p) && tree.text(n).ends_with(')'))
                .unwrap_or_else(|| panic!("{context}: no deep call"));
            let operand = tree.deep_operand(*call).expect("deep operand");
            assert!(!tree.text(operand).contains("__gh_deep"), "{context}");
        }
    }
}

#[test]
fn typical_patterns_parse_in_every_language() {
    for &lang in Language::all() {
        let cases = cases(lang);
        assert!(cases.len() >= 10, "{lang}: only {} patterns", cases.len());
        for case in cases {
            check_pattern(lang, case);
        }
    }
}

#[test]
fn statement_sequences_keep_ellipsis_statements_recognisable() {
    for lang in [
        Language::Java,
        Language::JavaScript,
        Language::CSharp,
        Language::C,
    ] {
        let tree = parse_pattern(lang, "$X = $Y;\n...\n$Z($X);").unwrap();
        let roots = tree.roots();
        assert_eq!(roots.len(), 3, "{lang}");
        let middle = tree.placeholder_of(roots[1]).expect("ellipsis statement");
        assert_eq!(middle.kind, PlaceholderKind::Ellipsis, "{lang}");
        assert!(tree.placeholder_of(roots[0]).is_none());
        // The original text of the middle statement is the `...`.
        let original = tree.original_range(roots[1].byte_range());
        assert_eq!(&tree.pattern()[original], "...", "{lang}");
    }
}

#[test]
fn typed_parameter_placeholders_are_whole_parameters() {
    for (lang, pattern, kind) in [
        (Language::Java, "void $M(...) {}", "formal_parameter"),
        (Language::CSharp, "public void $M(...) {}", "parameter"),
        (Language::Kotlin, "fun $M(...) {}", "parameter"),
    ] {
        let tree = parse_pattern(lang, pattern).unwrap();
        let params = region_nodes(&tree)
            .into_iter()
            .filter(|n| n.kind() == kind)
            .collect::<Vec<_>>();
        assert_eq!(params.len(), 1, "{lang}");
        let p = tree
            .placeholder_of(params[0])
            .expect("parameter placeholder");
        assert_eq!(p.kind, PlaceholderKind::Ellipsis, "{lang}");
    }
}

#[test]
fn deep_expressions_expose_their_operand() {
    let tree = parse_pattern(Language::Python, "<... $X.read() ...>").unwrap();
    let root = tree.root();
    assert_eq!(
        tree.placeholder_of(root).unwrap().kind,
        PlaceholderKind::Deep
    );
    let operand = tree.deep_operand(root).unwrap();
    assert_eq!(operand.kind(), "call");
    assert_eq!(tree.text(operand), "__gh_mv_X.read()");
    assert_eq!(tree.original_range(operand.byte_range()), 5..14);
}

#[test]
fn string_literal_placeholders() {
    assert_eq!(
        PatternTree::string_placeholder("..."),
        Some(PlaceholderKind::Ellipsis)
    );
    assert_eq!(
        PatternTree::string_placeholder("$X"),
        Some(PlaceholderKind::Metavariable)
    );
    assert_eq!(PatternTree::string_placeholder("$x"), None);
    assert_eq!(PatternTree::string_placeholder("a..."), None);
}

#[test]
fn invalid_patterns_say_where() {
    let err = parse_pattern(Language::Python, "def f(:\n    pass").unwrap_err();
    assert_eq!((err.line, err.column), (1, 7), "{err}");
    assert!(err.to_string().contains("python pattern"), "{err}");
    assert!(err.to_string().contains("def f(:"), "{err}");

    let err = parse_pattern(Language::Java, "foo(\n  $X,,\n)").unwrap_err();
    assert_eq!(err.line, 2, "{err}");
    assert_eq!(err.pattern, "foo(\n  $X,,\n)");

    let err = parse_pattern(Language::Go, "   ").unwrap_err();
    assert_eq!(err.message, "empty pattern");

    let err = parse_pattern(Language::JavaScript, "foo(<... $X ...>").unwrap_err();
    assert!(err.offset <= "foo(<... $X ...>".len());
}

// ---------------------------------------------------------------------------------------------
// No input panics
// ---------------------------------------------------------------------------------------------

fn any_language() -> impl Strategy<Value = Language> {
    proptest::sample::select(Language::all().to_vec())
}

/// Text made of the pieces patterns are made of, so that the rewriter's corner cases come up.
fn pattern_like() -> impl Strategy<Value = String> {
    let piece = proptest::sample::select(vec![
        "$X", "$...A", "...", "<...", "...>", "(", ")", "{", "}", "[", "]", "\"", "'", "`", "f\"",
        "${", "#{", "#", "//", "/*", "*/", ";", ",", ":", "\n", "    ", "foo", "class", "def",
        "fun", "new", "=", ".", "<", ">", "@", "\\", "$", "é", "\u{0}",
    ]);
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(lang in any_language(), bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let parsed = parse(lang, &bytes).unwrap();
        prop_assert!(parsed.errors.len() <= parsed.error_count);
        let text = String::from_utf8_lossy(&bytes);
        if let Err(e) = parse_pattern(lang, &text) {
            prop_assert!(e.offset <= text.len());
            prop_assert!(e.line >= 1 && e.column >= 1);
        }
    }

    #[test]
    fn pattern_like_text_never_panics(lang in any_language(), text in pattern_like()) {
        match parse_pattern(lang, &text) {
            Ok(tree) => {
                prop_assert!(!tree.roots().is_empty());
                for node in region_nodes(&tree) {
                    let _ = tree.placeholder_of(node);
                    let _ = tree.deep_operand(node);
                    let r = tree.original_range(node.byte_range());
                    prop_assert!(r.start <= r.end && r.end <= text.len());
                }
            }
            Err(e) => prop_assert!(e.offset <= text.len()),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn deep_nesting_never_panics(lang in any_language(), depth in 1usize..3000, open in proptest::sample::select(vec!["(", "[", "{", "<... ", "f\"{", "`${"])) {
        let text = format!("{}$X{}", open.repeat(depth), ")".repeat(depth / 2));
        let _ = parse_pattern(lang, &text);
        let _ = parse(lang, text.as_bytes());
    }
}
