//! Merging another copy of the vault into it (`aspen merge FILE`): the same doors
//! as every other change (the rollback guard on the result, the cost guard, the
//! lock, the invariants),
//! and three of its own: a copy that asks for a far costlier key derivation than this
//! vault is not derived without consent, a copy of another vault is not merged
//! without consent, and a merge that brings nothing new writes nothing.

use std::path::Path;

use jiff::civil::Date;

use super::LOCK_WAIT;
use super::guard::{self, CostJump};
use super::vault::{Consent, Opened, costlier, older_error, open_checked, prepare};
use crate::error::{Error, Result};
use crate::model::{MergeReport, Vault, VaultId, merge};
use crate::secret::SecretString;
use crate::storage::{MAX_VAULT_BYTES, VaultPaths, files};
use crate::vault_file::{self, FormatError, VaultKey};

/// What `aspen merge` did with one file.
pub struct Merged {
    pub report: MergeReport,
    /// False when the file held nothing this vault lacked: then nothing was written,
    /// and the vault and its backup are byte for byte as they were.
    pub written: bool,
    /// Recovery keys the copy listed and this vault did not: the vault opens with
    /// them now too, which the user must hear of.
    pub new_recovery_keys: Vec<String>,
}

/// Merges another aspen vault (a sync tool's conflict copy, a vault made elsewhere,
/// an `--insecure-kdf` vault to empty into a real one) into this one, entry by entry
/// and without a common base, and saves the result. The other file's passphrase is
/// asked for only when this vault's does not open it.
pub fn merge_from(
    paths: &VaultPaths,
    today: Date,
    consent: Consent,
    passphrase: &SecretString,
    other_passphrase: impl FnOnce() -> Result<SecretString>,
    other: &Path,
) -> Result<Merged> {
    let store = paths.store();
    store.check_writable()?;
    let Opened { key, .. } = open_checked(paths, consent, |bytes| store.decode(bytes, passphrase))?;
    let theirs = open_other(other, &key, consent, passphrase, other_passphrase)?;
    let lock = store.lock(LOCK_WAIT)?;
    let (ours, fingerprint) = store.reload(&key)?;
    check_same_vault(other, &ours.id, &theirs.id, consent)?;
    let on_disk = vault_file::duplicate(&ours);
    let (mut merged, report) = merge(None, ours, theirs);
    // Merging the newer copy into an older one is the remedy for the older copy, so
    // the rollback guard asks of the result: still older than a version seen here
    // (the copy did not bring it up to date) needs the user's consent.
    if let Some(older) = guard::older(paths, &merged).filter(|_| !consent.older) {
        return Err(older_error(paths, older));
    }
    if merged == on_disk {
        return Ok(Merged {
            report,
            written: false,
            new_recovery_keys: Vec::new(),
        });
    }
    let new_recovery_keys = merged
        .recovery
        .iter()
        .filter(|k| !on_disk.recovery.iter().any(|o| o.recipient == k.recipient))
        .map(|k| k.recipient.clone())
        .collect();
    prepare(paths, &on_disk, &mut merged, today)?;
    store.save(&merged, &key, &fingerprint, &lock)?;
    guard::remember(paths, &merged, &key);
    Ok(Merged {
        report,
        written: true,
        new_recovery_keys,
    })
}

/// Opens the other file: with this vault's key when it was saved under it, else with
/// this vault's passphrase, else with its own. A derivation of its own is run only
/// within what this machine runs for this vault, unless the user agreed.
fn open_other(
    other: &Path,
    key: &VaultKey,
    consent: Consent,
    passphrase: &SecretString,
    other_passphrase: impl FnOnce() -> Result<SecretString>,
) -> Result<Vault> {
    let bytes =
        files::read_regular(other, MAX_VAULT_BYTES, "vault").map_err(|e| e.into_error("read", other))?;
    let other_paths = VaultPaths::new(other.to_path_buf());
    let store = other_paths.store();
    match vault_file::decode_with_key(&bytes, key) {
        Ok(v) => return Ok(v),
        Err(FormatError::WrongPassphrase) => {}
        Err(e) => return Err(store.format_error(e)),
    }
    if let Some(jump) = copy_cost_jump(&bytes, key).filter(|_| !consent.costlier) {
        return Err(costlier(other, jump));
    }
    match vault_file::decode(&bytes, passphrase) {
        Ok((v, _)) => Ok(v),
        Err(FormatError::WrongPassphrase) => Ok(store.decode(&bytes, &other_passphrase()?)?.0),
        Err(e) => Err(store.format_error(e)),
    }
}

/// A copy whose header asks for more than twice the memory or passes of the key
/// this vault opened with: this machine has accepted that vault's cost, not the
/// copy's, and a planted header could make the derivation take minutes and
/// gigabytes.
pub fn copy_cost_jump(copy: &[u8], key: &VaultKey) -> Option<CostJump> {
    let (header, _) = vault_file::split(copy).ok()?;
    guard::jump(header.kdf.cost(), key.kdf().cost())
}

/// A copy of another vault (another id) is merged only when the user said so: a
/// file planted beside the vault under the same passphrase must not slip in.
fn check_same_vault(other: &Path, ours: &VaultId, theirs: &VaultId, consent: Consent) -> Result<()> {
    if consent.other_vault || ours.is_unset() || theirs.is_unset() || ours == theirs {
        return Ok(());
    }
    Err(Error::OtherVault {
        path: other.to_path_buf(),
    })
}
