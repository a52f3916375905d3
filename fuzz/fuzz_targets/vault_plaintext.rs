//! The decrypted RON payload: the vault model and its KDF copy.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| aspen_fuzz::plaintext(data));
