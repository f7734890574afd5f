//! Import aliases, as Semgrep resolves them: a pattern naming `os.system` also matches
//! `system(x)` after `from os import system`, and `o.system(x)` after `import os as o`.
//!
//! Each file's imports are read once, when it is indexed, into a map from the local name to
//! the dotted name it stands for. The matcher consults it only when a pattern node is a plain
//! dotted name (`os.system`, `child_process.exec`, `java.util.Random`) and the target's
//! dotted name differs once its first component is expanded.
//!
//! | language | imports read |
//! |---|---|
//! | Python | `import a.b as c`, `from a import b`, `from a import b as c` |
//! | JavaScript, TypeScript | `import x from 'm'`, `import * as x from 'm'`, `import { a as b } from 'm'`, `const x = require('m')`, `const { a, b: c } = require('m')` |
//! | Java, Kotlin | `import a.b.C;` (`C` stands for `a.b.C`), `import a.b.C as D` |
//! | Go | `import x "path/to/pkg"` (`x` stands for `pkg`) |

use std::collections::HashMap;

use crate::lang::Language;

use super::index::{FileIndex, F_NAMED, NONE};
use super::langinfo;
use super::pattern::string_content;

/// Local name → the dotted name it stands for.
pub(crate) type Aliases = HashMap<String, String>;

fn text<'a>(f: &FileIndex, src: &'a [u8], id: u32) -> &'a str {
    let n = f.node(id);
    std::str::from_utf8(&src[n.start as usize..n.end as usize]).unwrap_or("")
}

fn kind_name(f: &FileIndex, id: u32) -> &str {
    f.info.kind_name(f.node(id).kind)
}

/// The dotted text of a name node with whitespace removed (`os . path` → `os.path`).
fn dotted(f: &FileIndex, src: &[u8], id: u32) -> String {
    text(f, src, id)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn string_value(f: &FileIndex, src: &[u8], id: u32) -> String {
    let t = text(f, src, id);
    let r = string_content(t.as_bytes());
    t.get(r).unwrap_or("").to_string()
}

/// Reads the aliases of a file.
pub(crate) fn read(f: &FileIndex, src: &[u8]) -> Aliases {
    let mut out = Aliases::new();
    if f.nodes.is_empty() {
        return out;
    }
    let info = f.info;
    let imports: Vec<u32> = (0..info.kind_count() as u16)
        .filter(|&k| info.has(k, langinfo::IMPORT))
        .flat_map(|k| f.of_kind(k).iter().copied())
        .collect();
    match f.language {
        Language::Python => {
            for id in imports {
                python(f, src, id, &mut out);
            }
        }
        Language::JavaScript | Language::TypeScript | Language::Tsx => {
            for id in imports {
                javascript_import(f, src, id, &mut out);
            }
            for k in 0..info.kind_count() as u16 {
                if info.has(k, langinfo::DECLARATOR) {
                    for &id in f.of_kind(k) {
                        javascript_require(f, src, id, &mut out);
                    }
                }
            }
        }
        Language::Java | Language::Kotlin => {
            for id in imports {
                jvm(f, src, id, &mut out);
            }
        }
        Language::Go => {
            for id in imports {
                go(f, src, id, &mut out);
            }
        }
        _ => {}
    }
    out
}

fn python(f: &FileIndex, src: &[u8], id: u32, out: &mut Aliases) {
    let module = match kind_name(f, id) {
        "import_from_statement" => {
            let Some(m) = f.named_children(id).next() else {
                return;
            };
            if kind_name(f, m) == "relative_import" {
                return;
            }
            Some(dotted(f, src, m))
        }
        _ => None,
    };
    let names: Vec<u32> = f
        .named_children(id)
        .skip(usize::from(module.is_some()))
        .collect();
    for n in names {
        let (name, alias) = match kind_name(f, n) {
            "aliased_import" => {
                let mut kids = f.named_children(n);
                let (Some(name), Some(alias)) = (kids.next(), kids.next()) else {
                    continue;
                };
                (dotted(f, src, name), Some(text(f, src, alias).to_string()))
            }
            "dotted_name" => (dotted(f, src, n), None),
            _ => continue,
        };
        let full = match &module {
            Some(m) => format!("{m}.{name}"),
            None => name.clone(),
        };
        match (alias, &module) {
            (Some(alias), _) => {
                out.insert(alias, full);
            }
            // `from a import b`: `b` stands for `a.b`.
            (None, Some(_)) => {
                out.insert(name, full);
            }
            // `import a.b` binds `a` to itself: nothing to resolve.
            (None, None) => {}
        }
    }
}

fn javascript_import(f: &FileIndex, src: &[u8], id: u32, out: &mut Aliases) {
    let mut module = None;
    let mut clause = None;
    for c in f.named_children(id) {
        match kind_name(f, c) {
            "string" => module = Some(string_value(f, src, c)),
            "import_clause" => clause = Some(c),
            _ => {}
        }
    }
    let (Some(module), Some(clause)) = (module, clause) else {
        return;
    };
    let module = module_name(&module);
    for c in f.named_children(clause) {
        match kind_name(f, c) {
            "identifier" => {
                out.insert(text(f, src, c).to_string(), module.clone());
            }
            "namespace_import" => {
                if let Some(name) = f.named_children(c).next() {
                    out.insert(text(f, src, name).to_string(), module.clone());
                }
            }
            "named_imports" => {
                for spec in f.named_children(c) {
                    let mut kids = f.named_children(spec);
                    let Some(name) = kids.next() else { continue };
                    let local = kids.next().unwrap_or(name);
                    out.insert(
                        text(f, src, local).to_string(),
                        format!("{module}.{}", text(f, src, name)),
                    );
                }
            }
            _ => {}
        }
    }
}

/// `node:child_process` is `child_process`.
fn module_name(m: &str) -> String {
    m.strip_prefix("node:").unwrap_or(m).to_string()
}

fn javascript_require(f: &FileIndex, src: &[u8], id: u32, out: &mut Aliases) {
    let mut kids = f.named_children(id);
    let (Some(name), Some(value)) = (kids.next(), kids.next()) else {
        return;
    };
    // `require('m')`
    if kind_name(f, value) != "call_expression" {
        return;
    }
    let mut call = f.named_children(value);
    let (Some(callee), Some(args)) = (call.next(), call.next()) else {
        return;
    };
    if text(f, src, callee) != "require" {
        return;
    }
    let Some(arg) = f.named_children(args).next() else {
        return;
    };
    if !f.info.has(f.node(arg).kind, langinfo::STRING) {
        return;
    }
    let module = module_name(&string_value(f, src, arg));
    match kind_name(f, name) {
        "identifier" => {
            out.insert(text(f, src, name).to_string(), module);
        }
        "object_pattern" => {
            for p in f.named_children(name) {
                match kind_name(f, p) {
                    "shorthand_property_identifier_pattern" => {
                        let local = text(f, src, p).to_string();
                        out.insert(local.clone(), format!("{module}.{local}"));
                    }
                    "pair_pattern" => {
                        let mut kv = f.named_children(p);
                        if let (Some(key), Some(local)) = (kv.next(), kv.next()) {
                            out.insert(
                                text(f, src, local).to_string(),
                                format!("{module}.{}", text(f, src, key)),
                            );
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

fn jvm(f: &FileIndex, src: &[u8], id: u32, out: &mut Aliases) {
    let names: Vec<u32> = f.named_children(id).collect();
    let Some(&path) = names.first() else { return };
    let full = dotted(f, src, path);
    if full.ends_with('*') || full.is_empty() {
        return;
    }
    // Kotlin: `import a.b.C as D`.
    let alias = names
        .iter()
        .skip(1)
        .find(|&&c| f.info.has(f.node(c).kind, langinfo::IDENT))
        .map(|&c| text(f, src, c).to_string());
    let local = alias.unwrap_or_else(|| full.rsplit('.').next().unwrap_or("").to_string());
    if !local.is_empty() && local != full {
        out.insert(local, full);
    }
}

fn go(f: &FileIndex, src: &[u8], id: u32, out: &mut Aliases) {
    // import_declaration → import_spec | import_spec_list → import_spec*
    let mut stack = vec![id];
    while let Some(n) = stack.pop() {
        match kind_name(f, n) {
            "import_spec" => {
                let mut name = None;
                let mut path = None;
                for c in f.named_children(n) {
                    match kind_name(f, c) {
                        "package_identifier" => name = Some(text(f, src, c).to_string()),
                        "interpreted_string_literal" | "raw_string_literal" => {
                            path = Some(string_value(f, src, c))
                        }
                        _ => {}
                    }
                }
                if let (Some(name), Some(path)) = (name, path) {
                    let package = path.rsplit('/').next().unwrap_or(&path).to_string();
                    if name != package && name != "_" && name != "." {
                        out.insert(name, package);
                    }
                }
            }
            _ => stack.extend(f.named_children(n)),
        }
    }
}

/// The dotted name a target node spells (`a.b.c`), if it is made only of names and dots.
pub(crate) fn target_dotted(f: &FileIndex, src: &[u8], id: u32) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    collect(f, src, id, &mut parts, 0)?;
    Some(parts.join("."))
}

fn collect<'a>(
    f: &FileIndex,
    src: &'a [u8],
    id: u32,
    parts: &mut Vec<&'a str>,
    depth: usize,
) -> Option<()> {
    if depth > 32 || id == NONE {
        return None;
    }
    let n = f.node(id);
    if n.nchildren == 0 {
        let t = std::str::from_utf8(&src[n.start as usize..n.end as usize]).ok()?;
        if n.flags & F_NAMED == 0 || !is_name(t) {
            return None;
        }
        parts.push(t);
        return Some(());
    }
    let mut named = 0;
    for &c in f.children(id) {
        let cn = f.node(c);
        if cn.flags & F_NAMED == 0 {
            let t = &src[cn.start as usize..cn.end as usize];
            if !matches!(t, b"." | b"::" | b"->" | b"\\") {
                return None;
            }
            continue;
        }
        named += 1;
        collect(f, src, c, parts, depth + 1)?;
    }
    (named >= 1).then_some(())
}

/// An identifier-like word.
pub(crate) fn is_name(t: &str) -> bool {
    let mut chars = t.chars();
    chars
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
}

/// `a.b.c` with its first component expanded through the aliases, when one applies.
pub(crate) fn expand(aliases: &Aliases, dotted: &str) -> Option<String> {
    let (first, rest) = match dotted.find('.') {
        Some(i) => (&dotted[..i], &dotted[i..]),
        None => (dotted, ""),
    };
    let full = aliases.get(first)?;
    Some(format!("{full}{rest}"))
}
