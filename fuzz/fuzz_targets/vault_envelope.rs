//! The vault file as read from disk: header, envelope checks, age decryption with the
//! test vector's key (derived once, at start-up).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: {
        aspen_fuzz::vector_key();
    },
    |data: &[u8]| aspen_fuzz::envelope(data)
);
