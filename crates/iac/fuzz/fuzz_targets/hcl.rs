//! Terraform files: the HCL parser, the module reader (variables, locals, tfvars) and every
//! Terraform check must never panic, overflow the stack or loop.
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
        let _ = SCANNER.scan_sources(&[("main.tf".into(), text.into())]);
    }
});
