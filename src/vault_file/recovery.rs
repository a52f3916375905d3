//! Recovery keys: age X25519 keys made at random, whose public halves the vault
//! lists inside its payload (`Vault::recovery`), so that every save encrypts to them
//! besides the passphrase's key; and opening a vault with one.
//!
//! Opening with a key is the one way into a vault that does not pass the header's
//! key check, so what the key decrypts must prove it is aspen's another way: anyone
//! who learns a key's public half (from `aspen recovery-key list`, say) can encrypt
//! a payload to it. A file opened with a key is accepted only when its vault lists
//! that key with its check value, a hash of the key's secret half that the public
//! half cannot produce; or when the key is the vault's own passphrase key (`aspen
//! identity`), which the header's key check names.

use std::io::Read;
use std::str::FromStr;

use age::secrecy::ExposeSecret;
use age::x25519;
use blake2::{Blake2b, Digest, digest::consts::U16};
use jiff::civil::Date;
use zeroize::Zeroizing;

use super::kdf::identity_from_bytes;
use super::{FormatError, key_check_of};
use crate::model::{RecoveryKey, Vault};
use crate::secret::SecretString;

/// A recovery key's secret half, made here or read from the user's file. Its text
/// never reaches `Debug`, an error or a log.
pub struct RecoveryIdentity {
    identity: x25519::Identity,
}

impl std::fmt::Debug for RecoveryIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecoveryIdentity")
            .field("recipient", &self.recipient())
            .finish_non_exhaustive()
    }
}

/// Why a key file's text holds no usable key. Names no part of the text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyTextError {
    #[error("it holds no age secret key (a line starting AGE-SECRET-KEY-1)")]
    NoKey,
    #[error("it holds more than one age secret key; give a file with the one key")]
    SeveralKeys,
    #[error("its AGE-SECRET-KEY-1… line is not a valid age X25519 key (mistyped?)")]
    Invalid,
}

impl RecoveryIdentity {
    /// The key whose secret is these 32 bytes: random ones for a new key (drawn by
    /// the caller, so that a failing random source is an error, not a panic), fixed
    /// ones for a test vector.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self, FormatError> {
        Ok(Self {
            identity: identity_from_bytes(bytes)?,
        })
    }

    /// The key in an identity file as `age-keygen` writes it (comments, blank lines,
    /// one `AGE-SECRET-KEY-1…` line), or the key alone as typed back from paper,
    /// in either case.
    pub fn parse(text: &str) -> Result<Self, KeyTextError> {
        let mut keys = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'));
        let line = keys.next().ok_or(KeyTextError::NoKey)?;
        if keys.next().is_some() {
            return Err(KeyTextError::SeveralKeys);
        }
        let upper = Zeroizing::new(line.to_ascii_uppercase());
        if !upper.starts_with("AGE-SECRET-KEY-1") {
            return Err(KeyTextError::NoKey);
        }
        let identity = x25519::Identity::from_str(&upper).map_err(|_| KeyTextError::Invalid)?;
        Ok(Self { identity })
    }

    /// The public half, `age1…`: what the vault lists.
    pub fn recipient(&self) -> String {
        self.identity.to_public().to_string()
    }

    /// The secret half as text, `AGE-SECRET-KEY-1…`: to show once, or write once.
    pub fn secret(&self) -> SecretString {
        SecretString::from(self.identity.to_string().expose_secret())
    }

    /// See [`recovery_check`].
    pub fn check(&self) -> String {
        recovery_check(self.identity.to_string().expose_secret())
    }

    /// What the vault lists of this key.
    pub fn listed(&self, added: Date) -> RecoveryKey {
        RecoveryKey {
            recipient: self.recipient(),
            check: self.check(),
            added,
        }
    }
}

/// The check value a vault lists beside a recovery key:
/// `hex(BLAKE2b-128("aspen recovery check v1" || 0x00 || KEY))`, where `KEY` is the
/// secret key as age writes it, `AGE-SECRET-KEY-1…` in upper case. One-way: it
/// reveals nothing of the key, and only the key's holder can compute it.
pub fn recovery_check(secret_key: &str) -> String {
    let mut h = Blake2b::<U16>::new();
    h.update(b"aspen recovery check v1\0");
    h.update(secret_key.as_bytes());
    hex::encode(h.finalize())
}

/// Parses the recipients `vault` lists, to encrypt to; one that does not parse is
/// an inconsistency the save refuses.
pub(super) fn recipients_of(vault: &Vault) -> Result<Vec<x25519::Recipient>, String> {
    vault
        .recovery
        .iter()
        .map(|k| {
            x25519::Recipient::from_str(&k.recipient)
                .map_err(|_| format!("the recovery key {} is not an age recipient", k.recipient))
        })
        .collect()
}

/// Opens vault bytes with a recovery key (or the vault's own key, as `aspen
/// identity` prints it): the header split and checked as for a passphrase, the
/// payload decrypted with the key, its copy of the header's KDF section compared,
/// the invariants checked, and the key found listed in what it decrypted (see the
/// module's comment). A key the payload is not encrypted to is
/// [`FormatError::WrongPassphrase`], for the caller to word as a wrong key.
pub fn decode_with_identity(bytes: &[u8], key: &RecoveryIdentity) -> Result<Vault, FormatError> {
    let (header, payload) = super::split(bytes)?;
    let damaged = |what: &str| FormatError::Damaged(format!("the encrypted part {what}"));
    let decryptor = age::Decryptor::new_buffered(super::armor::reader(payload))
        .map_err(|e| damaged(&format!("is unreadable ({e})")))?;
    let identity: &dyn age::Identity = &key.identity;
    let mut reader = match decryptor.decrypt(std::iter::once(identity)) {
        Ok(reader) => reader,
        Err(age::DecryptError::NoMatchingKeys) => return Err(FormatError::WrongPassphrase),
        Err(e) => return Err(damaged(&format!("does not decrypt ({e})"))),
    };
    let mut plain = Zeroizing::new(Vec::with_capacity(payload.len() / 4 * 3));
    reader
        .read_to_end(&mut plain)
        .map_err(|e| damaged(&format!("does not decrypt ({e})")))?;
    let (vault, kdf) = super::parse_version(&plain, header.version, super::Reader::SubsetFirst)?;
    if kdf != header.kdf {
        return Err(FormatError::Damaged(
            "the header does not match the encrypted copy of it: it was altered".to_owned(),
        ));
    }
    let recipient = key.recipient();
    let own_key = key_check_of(&recipient) == header.key_check;
    let check = key.check();
    let listed = vault
        .recovery
        .iter()
        .any(|k| k.recipient == recipient && k.check == check);
    if !own_key && !listed {
        return Err(FormatError::Damaged(
            "the encrypted part opens with this key, but the vault in it does not list the key \
             as a recovery key: aspen did not write it"
                .to_owned(),
        ));
    }
    Ok(vault)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_file_is_read_with_comments_and_in_either_case() {
        let key = RecoveryIdentity::from_bytes(&[13; 32]).unwrap();
        let secret = key.secret();
        let file = format!(
            "# created: 2026-12-01\n# public key: {}\n{}\n",
            key.recipient(),
            secret.expose()
        );
        assert_eq!(
            RecoveryIdentity::parse(&file).unwrap().recipient(),
            key.recipient()
        );
        let typed = format!("  {}  ", secret.expose().to_lowercase());
        assert_eq!(
            RecoveryIdentity::parse(&typed).unwrap().recipient(),
            key.recipient()
        );
        assert_eq!(
            RecoveryIdentity::parse("# nothing\n").unwrap_err(),
            KeyTextError::NoKey
        );
        let twice = format!("{}\n{}\n", secret.expose(), secret.expose());
        assert_eq!(
            RecoveryIdentity::parse(&twice).unwrap_err(),
            KeyTextError::SeveralKeys
        );
        let mut broken = secret.expose().to_owned();
        broken.pop();
        broken.push(if secret.expose().ends_with('Q') { 'P' } else { 'Q' });
        assert_eq!(
            RecoveryIdentity::parse(&broken).unwrap_err(),
            KeyTextError::Invalid
        );
        assert!(!format!("{key:?}").contains("AGE-SECRET"));
        assert!(key.check().len() == 32 && key.check() != recovery_check(""));
    }
}
