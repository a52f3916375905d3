//! Creating, opening, changing and re-keying the vault: the order of the steps
//! (what is checked before a secret is asked for, when the lock is taken, what is
//! read again under it) is the same for both front ends.

use std::time::{Duration, Instant};

use super::{LOCK_WAIT, new_salt};
use crate::error::{Error, Result};
use crate::model::Vault;
use crate::secret::SecretString;
use crate::storage::{Fingerprint, Loaded, VaultPaths};
use crate::vault_file::{Cost, INSECURE, KdfParams, VaultKey, calibrate};

/// How a new vault's key derivation cost is chosen.
#[derive(Clone, Copy, Debug)]
pub enum NewVaultCost {
    /// These values, checked by the caller.
    Explicit(Cost),
    /// Calibrated on this machine to about this unlock time, from RFC 9106's floor up.
    Calibrate(Duration),
    /// `--insecure-kdf`: for tests and throwaway vaults.
    Insecure,
}

/// A vault just created: open, with the cost chosen and how long unlocking took.
pub struct Created {
    pub loaded: Loaded,
    pub cost: Cost,
    pub unlock_took: Duration,
}

fn calibrated(target: Duration, passphrase: &SecretString) -> Result<Cost> {
    let salt = new_salt()?;
    let mut failed = None;
    let (cost, _) = calibrate(target, |cost| {
        let start = Instant::now();
        if let Err(e) = VaultKey::derive(passphrase, KdfParams::new(cost, salt)) {
            failed.get_or_insert(e);
        }
        start.elapsed()
    });
    match failed {
        // A derivation that fails while calibrating (out of memory, say) would make
        // the measured times meaningless: report it rather than pick a cost from them.
        Some(e) => Err(Error::KdfFailed {
            detail: e.to_string(),
        }),
        None => Ok(cost),
    }
}

/// Creates an empty vault under `passphrase`; refuses when anything (a vault, a
/// folder, a backup of an earlier vault) is in the way.
pub fn create_vault(paths: &VaultPaths, passphrase: &SecretString, cost: NewVaultCost) -> Result<Created> {
    paths.check_free_for_new_vault()?;
    let cost = match cost {
        NewVaultCost::Explicit(cost) => cost,
        NewVaultCost::Insecure => INSECURE,
        NewVaultCost::Calibrate(target) => calibrated(target, passphrase)?,
    };
    let start = Instant::now();
    let key =
        VaultKey::derive(passphrase, KdfParams::new(cost, new_salt()?)).map_err(|e| paths.format_error(e))?;
    let unlock_took = start.elapsed();
    let lock = paths.lock(LOCK_WAIT)?;
    let vault = Vault::default();
    let fingerprint = paths.create(&vault, &key, &lock)?;
    Ok(Created {
        loaded: Loaded {
            vault,
            key,
            fingerprint,
        },
        cost,
        unlock_took,
    })
}

/// Opens the vault: says "missing", "not a vault" or "damaged" before asking for
/// the passphrase. The file is read once: what is shown is exactly what was checked
/// and decrypted. Returns the bytes too (an export writes them).
pub fn open(
    paths: &VaultPaths,
    passphrase: impl FnOnce() -> Result<SecretString>,
) -> Result<(Vault, VaultKey, Vec<u8>)> {
    let bytes = paths.precheck()?;
    let passphrase = passphrase()?;
    let (vault, key) = paths.decode(&bytes, &passphrase)?;
    Ok((vault, key, bytes))
}

/// Changes the vault: unlocks it first (so a mistyped passphrase loses nothing else
/// the user typed), lets `ask` ask for what the change needs knowing the vault (a new
/// password, a confirmation), then applies `change` under the writer's lock to the
/// vault as it is on disk by then, and saves. When anything fails nothing is
/// written; what `change` returns is for the caller to say once the save is durable.
/// When `ask` answers `None` (the user said no, or there is nothing to do) nothing is
/// locked or written, not even an unchanged copy: a save would replace the backup.
pub fn change<A, T>(
    paths: &VaultPaths,
    passphrase: impl FnOnce() -> Result<SecretString>,
    ask: impl FnOnce(&Vault) -> Result<Option<A>>,
    change: impl FnOnce(&mut Vault, A) -> Result<T>,
) -> Result<Option<T>> {
    paths.check_writable()?;
    let (vault, key, _) = open(paths, passphrase)?;
    let Some(answers) = ask(&vault)? else {
        return Ok(None);
    };
    drop(vault);
    let lock = paths.lock(LOCK_WAIT)?;
    // Read again under the lock: another aspen may have saved while the user typed;
    // the change is made to that version, with the key already derived.
    let (mut vault, fingerprint) = paths.reload(&key)?;
    let out = change(&mut vault, answers)?;
    paths.save(&vault, &key, &fingerprint, &lock)?;
    Ok(Some(out))
}

/// Why a save of the vault as shown failed, and what is on disk now when it could be
/// read back with the same key (`None`: it could not, so the caller must stop
/// showing the vault, e.g. lock). Boxed: a failure is rare, the vault large.
pub struct SaveFailed {
    pub error: Error,
    pub on_disk: Option<Box<(Vault, Fingerprint)>>,
}

/// Saves the vault a front end shows (the TUI's session, read at `fingerprint`)
/// under the lock: the file's new fingerprint, or why not and what the file holds
/// now to show instead, so nothing unsaved is ever shown as stored.
pub fn save(
    paths: &VaultPaths,
    vault: &Vault,
    key: &VaultKey,
    fingerprint: &Fingerprint,
) -> Result<Fingerprint, SaveFailed> {
    paths
        .lock(LOCK_WAIT)
        .and_then(|lock| paths.save(vault, key, fingerprint, &lock))
        .map_err(|error| SaveFailed {
            error,
            on_disk: paths.reload(key).ok().map(Box::new),
        })
}

/// A key for a new passphrase: the same cost, a new salt.
pub fn derive_new_key(paths: &VaultPaths, cost: Cost, passphrase: &SecretString) -> Result<VaultKey> {
    VaultKey::derive(passphrase, KdfParams::new(cost, new_salt()?)).map_err(|e| paths.format_error(e))
}

/// Saves the vault a front end shows (read at `fingerprint`) under `key`, a new
/// passphrase's, under the lock; the file's new fingerprint.
pub fn rekey(
    paths: &VaultPaths,
    vault: &Vault,
    fingerprint: &Fingerprint,
    key: &VaultKey,
) -> Result<Fingerprint> {
    let lock = paths.lock(LOCK_WAIT)?;
    paths.save(vault, key, fingerprint, &lock)
}

/// Changes the passphrase: unlocks with the current one, then asks for the new one,
/// derives its key (same cost, new salt) and saves under it.
pub fn change_passphrase(
    paths: &VaultPaths,
    current: impl FnOnce() -> Result<SecretString>,
    new: impl FnOnce() -> Result<SecretString>,
) -> Result<()> {
    paths.check_writable()?;
    let (_, key, _) = open(paths, current)?;
    let new = new()?;
    let new_key = derive_new_key(paths, key.kdf().cost(), &new)?;
    drop(new);
    let lock = paths.lock(LOCK_WAIT)?;
    let (vault, fingerprint) = paths.reload(&key)?;
    paths.save(&vault, &new_key, &fingerprint, &lock)?;
    Ok(())
}
