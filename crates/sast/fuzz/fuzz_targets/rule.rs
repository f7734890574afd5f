//! Rule files: the YAML loader and validator must never panic or overflow the stack, and must
//! report every problem as a `RuleError`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = gatehouse_sast::rule::load_str(text, "fuzz.yaml");
    }
});
