//! The key derivation at RFC 9106's floor (64 MiB, 3 passes, 4 lanes), the cost
//! `benches/compare.sh` also gives the reference `argon2` CLI.
//!
//! `cargo bench --bench kdf`

use aspen::secret::SecretString;
use aspen::vault_file::{FLOOR, KdfParams, SALT_LEN, VaultKey};

mod common;

fn main() {
    divan::main();
}

/// Passphrase -> Argon2id -> age identity, as every unlock does.
#[divan::bench(sample_count = 15, sample_size = 1)]
fn derive_floor(bencher: divan::Bencher) {
    let passphrase = SecretString::from(common::PASSPHRASE);
    bencher.bench_local(|| {
        VaultKey::derive(&passphrase, KdfParams::new(FLOOR, [7; SALT_LEN])).expect("the key derives")
    });
}
