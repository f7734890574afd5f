//! YAML inputs: the stream reader (anchors, merge keys, depth) and the Kubernetes, compose and
//! CI checks must never panic, overflow the stack or loop. The first byte picks the input kind.
#![no_main]

use std::sync::LazyLock;

use gatehouse_iac::{CheckSet, ScanOptions, Scanner};
use libfuzzer_sys::fuzz_target;

static SCANNER: LazyLock<Scanner> = LazyLock::new(|| {
    let opts = ScanOptions {
        threads: 1,
        ..ScanOptions::default()
    };
    Scanner::new(CheckSet::builtin().expect("built-in checks"), opts)
});

const NAMES: [&str; 4] = [
    "manifest.yaml",
    "docker-compose.yml",
    ".github/workflows/ci.yml",
    ".gitlab-ci.yml",
];

fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    if let Ok(text) = std::str::from_utf8(rest) {
        let _ = gatehouse_iac::input::yaml::parse_stream(text);
        // Kubernetes is detected by content: make sure the manifest path is taken.
        let text = if kind % 4 == 0 {
            format!("apiVersion: v1\nkind: Pod\n{text}")
        } else {
            text.to_string()
        };
        let name = NAMES[kind as usize % NAMES.len()];
        let _ = SCANNER.scan_sources(&[(name.into(), text)]);
    }
});
