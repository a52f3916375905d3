//! Randomness for new salts and entry ids. A failing system source is an error the
//! user sees, never a panic: both front ends report it.

use crate::error::{Error, Result};
use crate::model::{EntryId, VaultId};
use crate::vault_file::{RecoveryIdentity, SALT_LEN};

fn fill(bytes: &mut [u8]) -> Result<()> {
    getrandom::fill(bytes).map_err(|e| Error::NoRandomness {
        detail: e.to_string(),
    })
}

/// A fresh Argon2id salt.
pub fn new_salt() -> Result<[u8; SALT_LEN]> {
    let mut salt = [0u8; SALT_LEN];
    fill(&mut salt)?;
    Ok(salt)
}

/// A fresh entry id (16 random bytes).
pub fn new_entry_id() -> Result<EntryId> {
    let mut bytes = [0u8; 16];
    fill(&mut bytes)?;
    Ok(EntryId::from_random(bytes))
}

/// A fresh vault id (16 random bytes).
pub fn new_vault_id() -> Result<VaultId> {
    let mut bytes = [0u8; 16];
    fill(&mut bytes)?;
    Ok(VaultId::from_random(bytes))
}

/// A new recovery key: 32 random bytes as an age X25519 key.
pub fn new_recovery_key() -> Result<RecoveryIdentity> {
    let mut bytes = zeroize::Zeroizing::new([0u8; 32]);
    fill(bytes.as_mut())?;
    RecoveryIdentity::from_bytes(&bytes).map_err(|e| Error::NoRandomness {
        detail: e.to_string(),
    })
}
