//! A user's config.ron, applied over the embedded defaults.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        aspen_fuzz::config(text);
    }
});
