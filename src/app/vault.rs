//! Creating, opening, changing and re-keying the vault: the order of the steps
//! (what is checked before a secret is asked for, when the lock is taken, what is
//! read again under it) is the same for both front ends.

use std::time::{Duration, Instant};

use jiff::civil::Date;

use super::guard::{self, CostJump, Older};
use super::{LOCK_WAIT, new_salt, new_vault_id};
use crate::error::{Error, Result};
use crate::model::{Conflict, MergeReport, SLOT_LIMIT, Vault, merge, stamp_as};
use crate::secret::SecretString;
use crate::storage::{Fingerprint, Loaded, VaultPaths};
use crate::vault_file::{self, Cost, INSECURE, KdfParams, VaultKey, calibrate};

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

pub(super) fn calibrated(target: Duration, passphrase: &SecretString) -> Result<Cost> {
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
    let store = paths.store();
    store.check_free_for_new_vault()?;
    let cost = match cost {
        NewVaultCost::Explicit(cost) => cost,
        NewVaultCost::Insecure => INSECURE,
        NewVaultCost::Calibrate(target) => calibrated(target, passphrase)?,
    };
    let start = Instant::now();
    let key =
        VaultKey::derive(passphrase, KdfParams::new(cost, new_salt()?)).map_err(|e| store.format_error(e))?;
    let unlock_took = start.elapsed();
    let lock = store.lock(LOCK_WAIT)?;
    let vault = Vault {
        id: new_vault_id()?,
        ..Vault::default()
    };
    let fingerprint = store.create(&vault, &key, &lock)?;
    guard::remember(paths, &vault, &key);
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

/// What the user agreed to beforehand (a command-line flag, a confirmation).
#[derive(Clone, Copy, Debug, Default)]
pub struct Consent {
    /// Save over a vault older than one this machine saw.
    pub older: bool,
    /// Run a key derivation far costlier than this machine ran for this vault.
    pub costlier: bool,
    /// Merge in a copy of another vault (its id differs from this vault's).
    pub other_vault: bool,
}

/// A vault opened to read.
pub struct Opened {
    pub vault: Vault,
    pub key: VaultKey,
    /// The file as it was read and decrypted (an export writes it).
    pub bytes: Vec<u8>,
    /// Set when this machine saw a newer version of this vault.
    pub older: Option<Older>,
}

/// Opens the vault: says "missing", "not a vault" or "damaged" before asking for
/// the passphrase, and refuses a far costlier key derivation than this machine ran
/// for it unless `consent` allows it. The file is read once: what is shown is
/// exactly what was checked and decrypted.
pub fn open(
    paths: &VaultPaths,
    consent: Consent,
    passphrase: impl FnOnce() -> Result<SecretString>,
) -> Result<Opened> {
    open_checked(paths, consent, |bytes| {
        paths.store().decode(bytes, &passphrase()?)
    })
}

/// [`open`] with the decryption given: the checks before it and after it are the
/// same whichever way the key is had.
pub(super) fn open_checked(
    paths: &VaultPaths,
    consent: Consent,
    decode: impl FnOnce(&[u8]) -> Result<(Vault, VaultKey)>,
) -> Result<Opened> {
    let bytes = paths.store().precheck()?;
    if let Some(jump) = guard::cost_jump(paths, &bytes).filter(|_| !consent.costlier) {
        return Err(costlier(paths.vault(), jump));
    }
    let (vault, key) = decode(&bytes)?;
    // Another aspen may have saved (and noted a higher counter) since the file was
    // read: that is a newer version, not a rollback. Only the file as it still is
    // can be older.
    let older = guard::older(paths, &vault).filter(|_| paths.store().read().is_ok_and(|now| now == bytes));
    guard::remember(paths, &vault, &key);
    Ok(Opened {
        vault,
        key,
        bytes,
        older,
    })
}

pub fn costlier(path: &std::path::Path, jump: CostJump) -> Error {
    Error::CostlierKdf {
        path: path.to_path_buf(),
        detail: jump.describe(),
    }
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
    today: Date,
    consent: Consent,
    passphrase: impl FnOnce() -> Result<SecretString>,
    ask: impl FnOnce(&Vault) -> Result<Option<A>>,
    change: impl FnOnce(&mut Vault, A) -> Result<T>,
) -> Result<Option<T>> {
    let store = paths.store();
    store.check_writable()?;
    let Opened {
        vault, key, older, ..
    } = open(paths, consent, passphrase)?;
    if let Some(older) = older.filter(|_| !consent.older) {
        return Err(older_error(paths, older));
    }
    let Some(answers) = ask(&vault)? else {
        return Ok(None);
    };
    drop(vault);
    let lock = store.lock(LOCK_WAIT)?;
    // Read again under the lock: another aspen may have saved while the user typed;
    // the change is made to that version, with the key already derived.
    let (mut vault, fingerprint) = store.reload(&key)?;
    // Under the lock no other aspen saves: what is read now is what is there.
    if let Some(older) = guard::older(paths, &vault).filter(|_| !consent.older) {
        return Err(older_error(paths, older));
    }
    // The version on disk, for the stamps: a copy, not a second decryption.
    let base = vault_file::duplicate(&vault);
    let out = change(&mut vault, answers)?;
    prepare(paths, &base, &mut vault, today)?;
    store.save(&vault, &key, &fingerprint, &lock)?;
    guard::remember(paths, &vault, &key);
    Ok(Some(out))
}

pub(super) fn older_error(paths: &VaultPaths, older: Older) -> Error {
    Error::OlderVault {
        path: paths.vault().to_path_buf(),
        found: older.found,
        seen: older.seen,
    }
}

pub(super) fn decode(paths: &VaultPaths, bytes: &[u8], key: &VaultKey) -> Result<Vault> {
    vault_file::decode_with_key(bytes, key).map_err(|e| match e {
        // Another passphrase since: for this session the file changed outside.
        vault_file::FormatError::WrongPassphrase => Error::ChangedOutside {
            path: paths.vault().to_path_buf(),
        },
        other => paths.store().format_error(other),
    })
}

/// Readies `vault` to replace `on_disk`: stamps what changed as this machine's next
/// save, and gives a vault upgraded from format 1 its id.
pub(super) fn prepare(paths: &VaultPaths, on_disk: &Vault, vault: &mut Vault, today: Date) -> Result<()> {
    if vault.id.is_unset() {
        vault.id = if on_disk.id.is_unset() {
            new_vault_id()?
        } else {
            on_disk.id.clone()
        };
    }
    let state = paths.state();
    // A save is newer than every version of the vault this machine saw, also when
    // the user chose to work on an older copy (--accept-older): the warning is over.
    if let Some(seen) = state.seen(&vault.id) {
        vault.saves = vault.saves.max(seen.saves);
    }
    // The vault to save holds everything on disk (a change of it, or a merge with
    // it): what it reflects decides which line of saves it continues.
    let dot = state.next_dot(&vault.id, &on_disk.clock.join(&vault.clock));
    stamp_as(on_disk, vault, &dot, today);
    Ok(())
}

/// [`prepare`] for a front end that writes the vault itself (git's merge driver
/// writes the file git hands it, not the vault).
pub fn stamp_for_save(paths: &VaultPaths, on_disk: &Vault, vault: &mut Vault, today: Date) -> Result<()> {
    prepare(paths, on_disk, vault, today)
}

/// Why a save of the vault as shown failed, and what is on disk now when it could be
/// read back with the same key (`None`: it could not, so the caller must stop
/// showing the vault, e.g. lock). Boxed: a failure is rare, the vault large.
pub struct SaveFailed {
    pub error: Error,
    pub on_disk: Option<Box<(Vault, Fingerprint)>>,
}

/// A save done: what the file holds now (to show instead of the session's copy) and,
/// when another machine's save had arrived meanwhile, what the merge took from it.
pub struct Saved {
    pub vault: Vault,
    pub fingerprint: Fingerprint,
    pub merged: Option<MergeReport>,
}

/// Saves the vault a front end shows (the TUI's session, read at `fingerprint`)
/// under the lock. When the file changed since it was read (a sync tool delivered
/// another machine's save), the two are merged, entry by entry, with the version
/// read as their common base, and the result is saved: nothing either side did is
/// lost, and a conflict is marked for the user.
pub fn save(
    paths: &VaultPaths,
    vault: &Vault,
    key: &VaultKey,
    fingerprint: &Fingerprint,
    today: Date,
) -> Result<Saved, SaveFailed> {
    let store = paths.store();
    let failed = |error| SaveFailed {
        error,
        on_disk: store.reload(key).ok().map(Box::new),
    };
    let lock = store.lock(LOCK_WAIT).map_err(failed)?;
    let attempt = || -> Result<Saved> {
        let current = match store.read() {
            Ok(bytes) => bytes,
            Err(Error::VaultMissing { path, .. }) => return Err(Error::ChangedOutside { path }),
            Err(e) => return Err(e),
        };
        let on_disk = decode(paths, &current, key)?;
        let mut ours = vault_file::duplicate(vault);
        let (mut out, merged) = if current == fingerprint.bytes() {
            (ours, None)
        } else {
            // Our changes are stamped against what we read, so the merge sees our
            // deletions as tombstones and our edits as news to the other side.
            let base = decode(paths, fingerprint.bytes(), key)?;
            ours.defer_events(base.next_seq, on_disk.next_seq.saturating_sub(base.next_seq));
            prepare(paths, &base, &mut ours, today)?;
            let mine = vault_file::duplicate(&ours);
            let theirs = vault_file::duplicate(&on_disk);
            // An older copy put back (a restored backup, a stale sync, a format-1
            // file) is merged without the base: what the base read from it would be
            // taken as news where the stamps cannot tell (entries written by format
            // 1). The session keeps what it holds; a field only the stamps could
            // settle becomes a conflict the user sees.
            let merge_base = guard::older(paths, &on_disk).is_none().then_some(&base);
            let (out, report) = merge(merge_base, ours, theirs);
            if stale_change(&base, &on_disk, &mine, &out) {
                return Err(Error::ChangedOutside {
                    path: paths.vault().to_path_buf(),
                });
            }
            (out, Some(report))
        };
        prepare(paths, &on_disk, &mut out, today)?;
        let fingerprint = store.save(&out, key, &Fingerprint::of(&current), &lock)?;
        guard::remember(paths, &out, key);
        Ok(Saved {
            vault: out,
            fingerprint,
            merged,
        })
    };
    attempt().map_err(failed)
}

/// Whether a change made on a stale view breaks, once merged with what arrived, a
/// rule it was checked against: more active passwords under an Apple ID than Apple
/// allows (where neither side alone had them), or a label both sides added (an audit
/// run twice records the same untracked labels). Such a change is not saved; the
/// front end shows the vault as it is, for the user to make it again. A change that
/// stores a new password is never refused: Apple generated it, it may be live, and
/// the user typed it only here; the merge keeps it (a label both sides added is
/// renamed and marked).
fn stale_change(base: &Vault, on_disk: &Vault, mine: &Vault, merged: &Vault) -> bool {
    let stored: std::collections::HashSet<&str> = base
        .entries
        .iter()
        .filter_map(|e| e.password.as_ref().map(|p| p.expose()))
        .collect();
    let new_password = mine
        .entries
        .iter()
        .filter_map(|e| e.password.as_ref())
        .any(|p| !stored.contains(p.expose()));
    if new_password {
        return false;
    }
    // Apple's count, as `Vault::active_count`, for every Apple ID in one pass.
    fn active(v: &Vault) -> std::collections::HashMap<&str, usize> {
        let mut n = std::collections::HashMap::new();
        let mut rows = std::collections::HashSet::new();
        for e in v.entries.iter().filter(|e| e.is_active()) {
            if e.password
                .as_ref()
                .is_none_or(|p| rows.insert((e.apple_id.as_str(), p.expose())))
            {
                *n.entry(e.apple_id.as_str()).or_default() += 1;
            }
        }
        n
    }
    let (now, before, mine_n) = (active(merged), active(on_disk), active(mine));
    let over = now.iter().any(|(id, n)| {
        *n > SLOT_LIMIT
            && *n > before.get(id).copied().unwrap_or(0)
            && *n > mine_n.get(id).copied().unwrap_or(0)
    });
    let same_labels = |v: &Vault| {
        v.entries
            .iter()
            .flat_map(|e| &e.conflicts)
            .filter(|c| matches!(c, Conflict::SameLabel { .. }))
            .count()
    };
    over || same_labels(merged) > same_labels(on_disk) + same_labels(mine)
}

/// A key for a new passphrase: the same cost, a new salt.
pub fn derive_new_key(paths: &VaultPaths, cost: Cost, passphrase: &SecretString) -> Result<VaultKey> {
    VaultKey::derive(passphrase, KdfParams::new(cost, new_salt()?)).map_err(|e| paths.store().format_error(e))
}

/// Saves the vault a front end shows (read at `fingerprint`) under `key`, a new
/// passphrase's, under the lock; the file's new fingerprint.
pub fn rekey(
    paths: &VaultPaths,
    vault: &Vault,
    fingerprint: &Fingerprint,
    keys: (&VaultKey, &VaultKey),
    today: Date,
) -> Result<Fingerprint> {
    let store = paths.store();
    let (old_key, key) = keys;
    let lock = store.lock(LOCK_WAIT)?;
    // A save like any other: counted and stamped (a vault from format 1 gets its id).
    let mut out = vault_file::duplicate(vault);
    let base = decode(paths, fingerprint.bytes(), old_key)?;
    prepare(paths, &base, &mut out, today)?;
    let saved = store.save(&out, key, fingerprint, &lock)?;
    guard::remember(paths, &out, key);
    Ok(saved)
}

/// Changes the passphrase: unlocks with the current one, then asks for the new one,
/// derives its key (same cost, new salt) and saves under it.
pub fn change_passphrase(
    paths: &VaultPaths,
    today: Date,
    consent: Consent,
    current: impl FnOnce() -> Result<SecretString>,
    new: impl FnOnce() -> Result<SecretString>,
) -> Result<()> {
    let store = paths.store();
    store.check_writable()?;
    let Opened { key, older, .. } = open(paths, consent, current)?;
    if let Some(older) = older.filter(|_| !consent.older) {
        return Err(older_error(paths, older));
    }
    let new = new()?;
    let new_key = derive_new_key(paths, key.kdf().cost(), &new)?;
    drop(new);
    let lock = store.lock(LOCK_WAIT)?;
    let (mut vault, fingerprint) = store.reload(&key)?;
    if let Some(older) = guard::older(paths, &vault).filter(|_| !consent.older) {
        return Err(older_error(paths, older));
    }
    let base = vault_file::duplicate(&vault);
    prepare(paths, &base, &mut vault, today)?;
    store.save(&vault, &new_key, &fingerprint, &lock)?;
    guard::remember(paths, &vault, &new_key);
    Ok(())
}
