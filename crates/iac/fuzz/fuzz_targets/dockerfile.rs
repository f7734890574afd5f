//! Dockerfiles: the line reader (continuations, heredocs, directives) and the Dockerfile checks
//! must never panic.
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

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = SCANNER.scan_sources(&[("Dockerfile".into(), text.into())]);
    }
});
