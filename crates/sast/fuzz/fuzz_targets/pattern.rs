//! Pattern snippets: parsing (rewrite, wrappers, extraction) and compiling them for matching
//! must never panic, whatever the text. The first byte picks the language.
#![no_main]

use std::sync::Arc;

use gatehouse_sast::engine::{self, Target};
use gatehouse_sast::lang::{self, Language};
use gatehouse_sast::rule;
use libfuzzer_sys::fuzz_target;

const TARGET: &[u8] = b"import os\nx = f(a, b)\nos.system(\"ls \" + x)\n";

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let langs = Language::all();
    let lang = langs[pick as usize % langs.len()];
    let text = String::from_utf8_lossy(rest);
    let _ = lang::parse_pattern(lang, &text);

    // The same text as a rule's pattern, compiled and run on a small file.
    let quoted = serde_json_string(&text);
    let yaml = format!(
        "rules:\n- id: f\n  message: m\n  severity: INFO\n  languages: [{}]\n  pattern: {quoted}\n",
        lang.rule_language().name()
    );
    if let Ok(mut rules) = rule::load_str(&yaml, "fuzz.yaml") {
        if let Some(r) = rules.pop() {
            if let Ok(compiled) = engine::compile(Arc::new(r)) {
                if let Ok(parsed) = lang::parse(lang, TARGET) {
                    let _ = compiled.run(&Target {
                        source: TARGET,
                        parsed: Some(&parsed),
                    });
                }
            }
        }
    }
});

/// A YAML double-quoted scalar (JSON strings are valid YAML).
fn serde_json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
