//! A theme file (themes/NAME.ron).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        aspen_fuzz::theme(text);
    }
});
