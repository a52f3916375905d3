//! Opening the vault with a recovery key instead of the passphrase, and giving it a
//! new passphrase (`aspen recover`). The doors are the other changes': the file
//! checked before anything is asked, the rollback guard, the lock, the file read
//! again under it, the backup kept, the atomic save.

use std::path::Path;
use std::time::Duration;

use jiff::civil::Date;

use super::guard;
use super::vault::{Consent, calibrated, older_error, prepare};
use super::{LOCK_WAIT, new_salt};
use crate::error::{Error, Result};
use crate::model::{RecoveryKey, Vault};
use crate::secret::SecretString;
use crate::storage::{Fingerprint, VaultPaths, files};
use crate::vault_file::{self, Cost, FormatError, INSECURE, KdfParams, RecoveryIdentity, VaultKey};

/// An identity file holds one key and perhaps a few comments: a bound far above it.
const MAX_KEY_FILE_BYTES: u64 = 64 * 1024;

/// Reads the recovery key in `path`: a regular file, not a link (a link planted where
/// the user keeps the key could hand aspen another file), read with a bound and
/// without blocking. The text is wiped once parsed.
pub fn read_recovery_key(path: &Path) -> Result<RecoveryIdentity> {
    let refused = |problem: String| Error::BadInput {
        what: crate::text::shown_path(path),
        problem,
    };
    let bytes = files::read_regular_nofollow(path, MAX_KEY_FILE_BYTES, "key file").map_err(|e| match e {
        files::ReadError::Refused(Error::NotAFile { found, .. }) => {
            refused(format!("it is {found}; give the key file itself"))
        }
        other => other.into_error("read", path),
    })?;
    let bytes = zeroize::Zeroizing::new(bytes);
    let text = std::str::from_utf8(&bytes).map_err(|_| crate::refusal::Refusal::NotUtf8Text {
        path: path.to_path_buf(),
    })?;
    RecoveryIdentity::parse(text).map_err(|e| refused(e.to_string()))
}

/// How the new passphrase's key derivation is chosen.
#[derive(Clone, Copy, Debug)]
pub enum RecoverCost {
    /// The vault's own cost when it meets RFC 9106's floor, else one calibrated on
    /// this machine to about this unlock time.
    KeepOrCalibrate(Duration),
    /// `--insecure-kdf`: for tests.
    Insecure,
}

/// What a recovery did.
pub struct Recovered {
    /// The key derivation of the new passphrase.
    pub cost: Cost,
    /// The recovery keys the vault lists, each of which still opens it.
    pub keys: Vec<RecoveryKey>,
    /// The key given was the vault's own passphrase key (`aspen identity`), which
    /// the new passphrase replaces.
    pub own_key: bool,
}

/// Opens the vault with `key`, asks for a new passphrase (`new`), derives its key
/// with a new salt, and saves the vault under it. A key that does not open the
/// vault is [`Error::WrongRecoveryKey`]; one that opens a file whose vault does not
/// list it, damage.
pub fn recover(
    paths: &VaultPaths,
    today: Date,
    consent: Consent,
    key: &RecoveryIdentity,
    new: impl FnOnce() -> Result<SecretString>,
    cost: RecoverCost,
) -> Result<Recovered> {
    let store = paths.store();
    store.check_writable()?;
    let bytes = store.precheck()?;
    let vault = open_with(paths, &bytes, key)?;
    if let Some(older) = guard::older(paths, &vault).filter(|_| !consent.older) {
        return Err(older_error(paths, older));
    }
    let new = new()?;
    let kept = vault_cost(&bytes).filter(|c| c.meets_floor());
    let cost = match (cost, kept) {
        (RecoverCost::Insecure, _) => INSECURE,
        (RecoverCost::KeepOrCalibrate(_), Some(kept)) => kept,
        (RecoverCost::KeepOrCalibrate(target), None) => calibrated(target, &new)?,
    };
    let new_key =
        VaultKey::derive(&new, KdfParams::new(cost, new_salt()?)).map_err(|e| store.format_error(e))?;
    drop((new, vault));
    let lock = store.lock(LOCK_WAIT)?;
    // What is on disk now, opened again with the key: another aspen may have saved.
    let current = store.read()?;
    let mut vault = open_with(paths, &current, key)?;
    if let Some(older) = guard::older(paths, &vault).filter(|_| !consent.older) {
        return Err(older_error(paths, older));
    }
    let base = vault_file::duplicate(&vault);
    prepare(paths, &base, &mut vault, today)?;
    store.save(&vault, &new_key, &Fingerprint::of(&current), &lock)?;
    guard::remember(paths, &vault, &new_key);
    let own_key = !vault.recovery.iter().any(|k| k.recipient == key.recipient());
    Ok(Recovered {
        cost,
        keys: vault.recovery,
        own_key,
    })
}

/// The cost the vault was saved with (the header's, which the payload's copy was
/// checked against when it opened).
fn vault_cost(bytes: &[u8]) -> Option<Cost> {
    vault_file::split(bytes).ok().map(|(h, _)| h.kdf.cost())
}

fn open_with(paths: &VaultPaths, bytes: &[u8], key: &RecoveryIdentity) -> Result<Vault> {
    vault_file::decode_with_identity(bytes, key).map_err(|e| match e {
        FormatError::WrongPassphrase => Error::WrongRecoveryKey {
            path: paths.vault().to_path_buf(),
        },
        other => paths.store().format_error(other),
    })
}
