//! A pasted app-specific password, in both the strict and the --any-format parse.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        aspen_fuzz::password(text);
    }
});
