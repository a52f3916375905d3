//! The vault file at 100 / 1k / 10k / 100k entries: open (decrypt + parse, the key
//! already derived), the whole unlock beyond the KDF (decrypt + parse + the TUI's
//! first frame), encode (serialise + encrypt) and save (encode + atomic write of the
//! file and its backup, with fsync).
//!
//! `cargo bench --bench vault`. Saves go to a temporary folder under
//! `ASPEN_BENCH_DIR` if set, else the system's (fsync on tmpfs costs nothing: point
//! it at a real disk).

use std::cell::RefCell;
use std::time::Duration;

use aspen::storage::VaultPaths;
use aspen::vault_file::{self, INSECURE};

mod common;
use common::SIZES;

fn main() {
    divan::main();
}

/// Decrypt + parse + check, with a key derived beforehand.
#[divan::bench(args = SIZES, max_time = Duration::from_secs(5))]
fn open(bencher: divan::Bencher, n: usize) {
    let key = common::key(INSECURE);
    let bytes = common::file_bytes(&common::vault(n), &key);
    bencher.bench_local(|| vault_file::decode_with_key(&bytes, &key).expect("the vault opens"));
}

/// Everything an unlock does after Argon2id: decrypt, parse, analyse, index, sort
/// and draw the first 120×40 frame.
#[divan::bench(args = SIZES, max_time = Duration::from_secs(5))]
fn unlock_beyond_kdf(bencher: divan::Bencher, n: usize) {
    let bytes = common::file_bytes(&common::vault(n), &common::key(INSECURE));
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("vault.aspen");
    let mut terminal = common::terminal();
    bencher
        .with_inputs(|| common::key(INSECURE))
        .bench_local_values(|key| {
            let vault = vault_file::decode_with_key(&bytes, &key).expect("the vault opens");
            let state = common::tui_state(&path, common::loaded(vault, key, &bytes));
            common::draw(&mut terminal, &state);
            state
        });
}

/// Serialise + encrypt, in memory.
#[divan::bench(args = SIZES, max_time = Duration::from_secs(5))]
fn encode(bencher: divan::Bencher, n: usize) {
    let key = common::key(INSECURE);
    let vault = common::vault(n);
    bencher.bench_local(|| vault_file::encode(&vault, &key).expect("the vault encodes"));
}

fn bench_dir() -> tempfile::TempDir {
    match std::env::var_os("ASPEN_BENCH_DIR") {
        Some(dir) => tempfile::tempdir_in(dir),
        None => tempfile::tempdir(),
    }
    .expect("a temp dir for the saves")
}

/// What every change does: check the file is unchanged, serialise, encrypt, write the
/// backup and the vault through temp files with fsync, rename, fsync the folder. Not at
/// 100,000 entries: that file (about 100 MB) is past the 64 MiB aspen reads.
#[divan::bench(args = [100, 1_000, 10_000], max_time = Duration::from_secs(5))]
fn save(bencher: divan::Bencher, n: usize) {
    let key = common::key(INSECURE);
    let vault = common::vault(n);
    let dir = bench_dir();
    let paths = VaultPaths::new(dir.path().join("vault.aspen"));
    let lock = paths.store().lock(Duration::from_secs(2)).expect("the lock");
    let first = paths
        .store()
        .create(&vault, &key, &lock)
        .expect("the vault is created");
    let fingerprint = RefCell::new(first);
    bencher.bench_local(|| {
        let mut expected = fingerprint.borrow_mut();
        *expected = paths
            .store()
            .save(&vault, &key, &expected, &lock)
            .expect("the vault saves");
    });
}

/// Two copies of the vault that differ in a tenth of their entries (half changed on
/// each side, by two machines: 1,000 of 10,000, 10,000 of 100,000), merged without a
/// common base and stamped for the save: what a merge costs beyond decrypting the two
/// files and encrypting the result. At 100,000 it must stay below one key derivation
/// at the default cost (`--bench kdf`).
#[divan::bench(args = [10_000, 100_000], max_time = Duration::from_secs(20))]
fn merge(bencher: divan::Bencher, n: usize) {
    let per_side = n / 20;
    use aspen::model::{Edit, MachineId, merge, stamp};
    let today = jiff::civil::date(2026, 11, 29);
    let base = common::vault(n);
    let side = |machine: u8, from: usize| {
        let mut v = vault_file::duplicate(&base);
        let ids: Vec<_> = v
            .entries
            .iter()
            .skip(from)
            .step_by(2)
            .take(per_side)
            .map(|e| e.id.clone())
            .collect();
        for id in &ids {
            let edit = Edit {
                notes: Some(format!("changed on machine {machine}")),
                ..Edit::default()
            };
            v.edit(id, edit, today).expect("an edit of an entry that exists");
        }
        stamp(&base, &mut v, &MachineId::from_random([machine; 8]), today);
        v
    };
    let (ours, theirs) = (side(1, 0), side(2, 1));
    bencher
        .with_inputs(|| (vault_file::duplicate(&ours), vault_file::duplicate(&theirs)))
        .bench_local_values(|(o, t)| {
            let (mut merged, report) = merge(None, o, t);
            assert_eq!(report.changed.len(), per_side);
            stamp(&ours, &mut merged, &MachineId::from_random([1; 8]), today);
            merged
        });
}
