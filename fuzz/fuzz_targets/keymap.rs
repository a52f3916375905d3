//! A keymap patch (the config's `keys`, the shape of keymap.default.ron), and the
//! same text as a single key name.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        aspen_fuzz::keymap(text);
        aspen_fuzz::key(text);
    }
});
