//! Recovery keys (format 3): age X25519 keys the vault's payload is encrypted to
//! besides the passphrase's, so that a key kept on paper opens the vault when the
//! passphrase is lost. The vault holds their public halves, inside the encrypted
//! payload and never in the header: which keys a save encrypts to is decided only by
//! what the passphrase (or a listed key) decrypted. The keys themselves are made and
//! used by `vault_file`; the model only lists them.
//!
//! A merge keeps every key either copy lists, except those either copy removed: a
//! removal is remembered in `recovery_removed`, so that a copy written before it
//! never brings the key back. A key is drawn at random and never added twice (adding
//! a removed one is refused), so a removal is for good and needs no stamps to tell
//! which copy saw what: the two lists only grow, and removed wins.

use std::collections::HashSet;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{Done, ModelError, Vault};

/// One recovery key the payload is encrypted to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryKey {
    /// The key's public half, an age recipient (`age1…`).
    pub recipient: String,
    /// A one-way check value of the key's secret half (32 lowercase hex digits): a
    /// file opened with the key is taken as aspen's only when it lists the key with
    /// this value, which the public half alone cannot produce.
    pub check: String,
    pub added: Date,
}

/// A recovery key removed: no save encrypts to it any more, and no merge brings it
/// back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovedRecoveryKey {
    pub recipient: String,
    /// The day it was removed (after a merge of two removals, the earlier day).
    pub removed: Date,
}

const BECH32_CHARS: &str = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

/// Whether `text` has the shape of an age X25519 recipient: `age1` and 58 Bech32
/// characters (32 bytes and the checksum). `vault_file` parses it in full.
fn recipient_shape(text: &str) -> bool {
    text.len() == 62
        && text
            .strip_prefix("age1")
            .is_some_and(|rest| rest.chars().all(|c| BECH32_CHARS.contains(c)))
}

fn check_shape(text: &str) -> bool {
    text.len() == 32 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl Vault {
    /// Whether the payload is encrypted to a recovery key too.
    pub fn has_recovery_key(&self) -> bool {
        !self.recovery.is_empty()
    }

    /// Lists a new recovery key; the next save encrypts to it. One listed already,
    /// or removed before, is refused: each key is made anew.
    pub fn add_recovery_key(&mut self, key: RecoveryKey) -> Result<(), ModelError> {
        if !recipient_shape(&key.recipient) || !check_shape(&key.check) {
            return Err(ModelError::InvalidField {
                field: "recovery key",
                problem: "is not an age X25519 key with its check value".to_owned(),
            });
        }
        let taken = self.recovery.iter().any(|k| k.recipient == key.recipient)
            || self.recovery_removed.iter().any(|k| k.recipient == key.recipient);
        if taken {
            return Err(ModelError::RecoveryKeyTaken {
                recipient: key.recipient,
            });
        }
        self.recovery.push(key);
        Ok(())
    }

    /// Removes the recovery key `which`: its recipient, or its number as listed
    /// (from 1). The next save no longer encrypts to it.
    pub fn remove_recovery_key(&mut self, which: &str, today: Date) -> Result<RecoveryKey, ModelError> {
        let which = which.trim();
        let at = match which.parse::<usize>() {
            Ok(n) => n.checked_sub(1).filter(|i| *i < self.recovery.len()),
            Err(_) => self.recovery.iter().position(|k| k.recipient == which),
        };
        let Some(at) = at else {
            return Err(ModelError::UnknownRecoveryKey {
                given: which.to_owned(),
                listed: self.recovery.len(),
            });
        };
        let key = self.recovery.remove(at);
        self.recovery_removed.push(RemovedRecoveryKey {
            recipient: key.recipient.clone(),
            removed: today,
        });
        Ok(key)
    }

    pub(super) fn added_recovery_key(&mut self, key: RecoveryKey) -> Result<Done, ModelError> {
        let recipient = key.recipient.clone();
        self.add_recovery_key(key)?;
        Ok(Done::AddedRecoveryKey { recipient })
    }

    pub(super) fn removed_recovery_key(&mut self, which: &str, today: Date) -> Result<Done, ModelError> {
        let key = self.remove_recovery_key(which, today)?;
        Ok(Done::RemovedRecoveryKey {
            recipient: key.recipient,
            added: key.added,
        })
    }

    /// The rules of the two lists, for a vault read from disk or about to be
    /// written: each key well formed, listed once, and not both listed and removed.
    pub(super) fn check_recovery(&self) -> Result<(), String> {
        let mut seen = HashSet::with_capacity(self.recovery.len());
        for k in &self.recovery {
            if !recipient_shape(&k.recipient) || !check_shape(&k.check) {
                return Err(format!("the recovery key {} is not well formed", k.recipient));
            }
            if !seen.insert(k.recipient.as_str()) {
                return Err(format!("the recovery key {} is listed twice", k.recipient));
            }
        }
        if let Some(k) = self
            .recovery_removed
            .iter()
            .find(|k| seen.contains(k.recipient.as_str()))
        {
            return Err(format!(
                "the recovery key {} is both listed and removed",
                k.recipient
            ));
        }
        Ok(())
    }
}

/// Both copies' recovery keys and removals: every key either lists, in this copy's
/// order and then the other's, less every key either removed.
pub(super) fn merge_recovery(
    ours: (Vec<RecoveryKey>, Vec<RemovedRecoveryKey>),
    theirs: (Vec<RecoveryKey>, Vec<RemovedRecoveryKey>),
) -> (Vec<RecoveryKey>, Vec<RemovedRecoveryKey>) {
    let (mut keys, mut removed) = ours;
    for r in theirs.1 {
        match removed.iter_mut().find(|x| x.recipient == r.recipient) {
            Some(x) => x.removed = x.removed.min(r.removed),
            None => removed.push(r),
        }
    }
    for k in theirs.0 {
        if !keys.iter().any(|x| x.recipient == k.recipient) {
            keys.push(k);
        }
    }
    let gone: HashSet<&str> = removed.iter().map(|r| r.recipient.as_str()).collect();
    keys.retain(|k| !gone.contains(k.recipient.as_str()));
    (keys, removed)
}
