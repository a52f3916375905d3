//! Storage guarantees that need the library: changes made outside, leftovers of a
//! killed save, and the lock.
#![allow(clippy::unwrap_used, clippy::disallowed_methods)]

use std::time::Duration;

use aspen::error::Error;
use aspen::model::Vault;
use aspen::secret::SecretString;
use aspen::storage::VaultPaths;
use aspen::vault_file::{INSECURE, KdfParams, SALT_LEN, VaultKey};

/// The benches' generator: the very vault `docs/performance.md` measures.
#[path = "../../benches/common/mod.rs"]
mod bench_vault;

fn new_vault(dir: &std::path::Path) -> (VaultPaths, SecretString) {
    let paths = VaultPaths::new(dir.join("vault.aspen"));
    let pass = SecretString::from("pass");
    let key = VaultKey::derive(&pass, KdfParams::new(INSECURE, [3; SALT_LEN])).unwrap();
    let lock = paths.store().lock(Duration::ZERO).unwrap();
    paths.store().create(&Vault::default(), &key, &lock).unwrap();
    (paths, pass)
}

#[test]
fn a_file_replaced_since_it_was_read_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let (paths, pass) = new_vault(dir.path());
    let mut loaded = paths.store().open(&pass).unwrap();

    // A sync tool puts another version in place.
    let other = dir.path().join("other.aspen");
    let (other_paths, _) = new_vault(&dir.path().join("elsewhere"));
    std::fs::copy(other_paths.vault(), &other).unwrap();
    std::fs::rename(&other, paths.vault()).unwrap();
    let replaced = std::fs::read(paths.vault()).unwrap();

    loaded.vault.next_seq = 42;
    let lock = paths.store().lock(Duration::ZERO).unwrap();
    let err = paths
        .store()
        .save(&loaded.vault, &loaded.key, &loaded.fingerprint, &lock)
        .unwrap_err();
    assert!(matches!(err, Error::ChangedOutside { .. }), "{err}");
    assert!(aspen::cli::hint(&err).unwrap().contains("run the command again"));
    assert_eq!(std::fs::read(paths.vault()).unwrap(), replaced);

    // A deleted file is a change too: saving would resurrect what the user removed.
    std::fs::remove_file(paths.vault()).unwrap();
    let err = paths
        .store()
        .save(&loaded.vault, &loaded.key, &loaded.fingerprint, &lock)
        .unwrap_err();
    assert!(matches!(err, Error::ChangedOutside { .. }));
    assert!(!paths.vault().exists());
}

#[test]
fn temp_files_of_a_killed_save_are_cleaned_up_by_the_next_save() {
    let dir = tempfile::tempdir().unwrap();
    let (paths, pass) = new_vault(dir.path());
    let leftover = dir.path().join(".vault.aspen.aspen-tmp-Xy12ab.tmp");
    std::fs::write(&leftover, "half a vault").unwrap();
    let unrelated = dir.path().join(".other.tmp");
    std::fs::write(&unrelated, "not ours").unwrap();
    // A sibling vault's temp file belongs to another lock.
    let sibling = dir.path().join(".vault.aspen.x.aspen-tmp-Ab34cd.tmp");
    std::fs::write(&sibling, "not ours either").unwrap();

    let loaded = paths.store().open(&pass).unwrap();
    let lock = paths.store().lock(Duration::ZERO).unwrap();
    paths
        .store()
        .save(&loaded.vault, &loaded.key, &loaded.fingerprint, &lock)
        .unwrap();
    assert!(!leftover.exists());
    assert!(unrelated.exists(), "only aspen's own temp files are removed");
    assert!(sibling.exists(), "a sibling vault's temp files are left alone");
    assert!(paths.store().open(&pass).is_ok());
}

#[test]
fn a_symlinked_vault_is_saved_through_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let (target, pass) = new_vault(&dir.path().join("sync"));
    let link = dir.path().join("vault.aspen");
    std::os::unix::fs::symlink(target.vault(), &link).unwrap();
    let paths = VaultPaths::new(link.clone());
    let mut loaded = paths.store().open(&pass).unwrap();
    loaded.vault.next_seq = 7;
    let lock = paths.store().lock(Duration::ZERO).unwrap();
    paths
        .store()
        .save(&loaded.vault, &loaded.key, &loaded.fingerprint, &lock)
        .unwrap();
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(target.store().open(&pass).unwrap().vault.next_seq, 7);
}

#[test]
fn the_lock_keeps_a_second_writer_out_until_released() {
    let dir = tempfile::tempdir().unwrap();
    let (paths, _) = new_vault(dir.path());
    // Wait as a writer does: a child another test forks between our creating save
    // and its exec shares that save's lock for a moment.
    let first = paths.store().lock(aspen::app::LOCK_WAIT).unwrap();
    match paths.store().lock(Duration::ZERO) {
        Err(Error::Locked { pid, .. }) => assert_eq!(pid, Some(std::process::id())),
        other => panic!("expected Locked, got {other:?}"),
    }
    drop(first);
    // Released: the next writer gets it within the wait every writer allows. Not at
    // once: another test of this process may be forking a child at this moment, and
    // until that child execs it shares the lock file's description (and its lock).
    assert!(paths.store().lock(aspen::app::LOCK_WAIT).is_ok());
}

/// A vault of 100,000 entries, the benches' generated one, opens through the app
/// layer as every command opens it. In format 2 it is about 100 MB: past the 64 MiB
/// the read bound once was, and within the bound now derived from it. Generating,
/// encrypting and opening 100 MB takes about a minute in a debug build, so it runs in
/// the long run only (`ASPEN_TORTURE=long`, tests/long-run.sh, release: seconds);
/// `hostile_folder::a_file_the_size_of_a_100_000_entry_vault_is_read` checks the
/// bound at every run.
#[test]
fn a_vault_of_100_000_entries_opens() {
    if !crate::common::long_run() {
        eprintln!("SKIPPED: a 100,000-entry vault is opened only with ASPEN_TORTURE=long");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let paths = VaultPaths::new(dir.path().join("vault.aspen")).with_state_dir(dir.path().join("state"));
    let pass = SecretString::from(bench_vault::PASSPHRASE);
    let key = VaultKey::derive(&pass, KdfParams::new(INSECURE, [9; SALT_LEN])).unwrap();
    let lock = paths.store().lock(Duration::ZERO).unwrap();
    paths
        .store()
        .create(&bench_vault::vault(100_000), &key, &lock)
        .unwrap();
    drop(lock);
    let size = std::fs::metadata(paths.vault()).unwrap().len();
    assert!(size > 64 << 20, "{size} bytes: no longer past the old bound");
    assert!(
        size.saturating_mul(2) <= aspen::storage::MAX_VAULT_BYTES,
        "{size} bytes: less than twice the headroom the bound promises"
    );
    let opened = aspen::app::open(&paths, aspen::app::Consent::default(), || Ok(pass)).unwrap();
    assert_eq!(opened.vault.entries.len(), 100_000);
}
