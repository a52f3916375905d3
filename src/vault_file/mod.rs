//! The vault file: a small plaintext RON header followed by an ASCII-armored age
//! payload holding the RON of the vault. `docs/vault-format.md` describes it byte by
//! byte; `tests/format_vector.rs` pins it.

mod armor;
mod kdf;
mod recovery;
pub mod subset;
mod v1;

use std::io::{Read, Write};

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

pub use kdf::{CALIBRATION_MAX_MEMORY_KIB, Cost, FLOOR, INSECURE, KdfParams, SALT_LEN, VaultKey, calibrate};
pub use recovery::{KeyTextError, RecoveryIdentity, decode_with_identity, recovery_check};

use kdf::key_check_of;

use crate::model::Vault;
use crate::secret::SecretString;

pub const FORMAT_NAME: &str = "aspen-vault";
pub const FORMAT_VERSION: u32 = 3;
/// The oldest version this aspen still opens (and upgrades on the next save).
pub const OLDEST_VERSION: u32 = 1;
/// Every aspen vault starts with these bytes (the canonical header's first lines).
pub const MAGIC: &str = "(\n    format: \"aspen-vault\",\n";
const ARMOR_BEGIN: &str = "-----BEGIN AGE ENCRYPTED FILE-----\n";
const ARMOR_END: &str = "-----END AGE ENCRYPTED FILE-----\n";
/// The start of `ARMOR_END`, short enough for the standard library's vectorised search.
const ARMOR_END_MARK: &str = "-----END";

/// Why bytes could not be opened as a vault. Storage adds paths and hints.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    #[error("not an aspen vault")]
    NotAVault,
    #[error("format version {0} is newer than this aspen understands ({FORMAT_VERSION})")]
    NewerVersion(u32),
    #[error("wrong passphrase")]
    WrongPassphrase,
    #[error("{0}")]
    Damaged(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
    pub kdf: KdfParams,
    /// See [`VaultKey::key_check`].
    pub key_check: String,
    /// BLAKE2b-128 of the header bytes before this field: a checksum, not a MAC. It
    /// tells accidental damage to the fields above (a flipped salt digit, say) from a
    /// wrong passphrase, which the key check alone cannot. Anyone can recompute it,
    /// and that is harmless: the worst a forged header achieves is "wrong passphrase".
    pub header_check: String,
}

const HEADER_CHECK_FIELD: &str = "    header_check: ";

fn header_check_of(head_before_field: &str) -> String {
    use blake2::{Blake2b, Digest, digest::consts::U16};
    let mut h = Blake2b::<U16>::new();
    h.update(b"aspen header check v1\0");
    h.update(head_before_field.as_bytes());
    hex::encode(h.finalize())
}

/// The part of a header aspen wrote that `header_check` covers.
fn checked_part(text: &str) -> &str {
    let cut = text
        .rfind(HEADER_CHECK_FIELD)
        .expect("a canonical header has the field");
    &text[..cut]
}

/// Read first, before the full header, so a newer version is reported as such even
/// when its header has fields this aspen does not know.
#[derive(Deserialize)]
struct HeaderProbe {
    format: String,
    version: u32,
}

/// The plaintext inside the age payload. It repeats the header's KDF section so a
/// header edited after the fact is caught: only the passphrase holder can produce a
/// payload, so the copy inside is authentic.
#[derive(Serialize)]
struct PayloadOut<'a> {
    format_version: u32,
    kdf: &'a KdfParams,
    vault: &'a Vault,
}

#[derive(Deserialize)]
struct PayloadIn {
    format_version: u32,
    kdf: KdfParams,
    vault: Vault,
}

fn pretty() -> ron::ser::PrettyConfig {
    ron::ser::PrettyConfig::new()
        .struct_names(false)
        .new_line("\n")
        .indentor("    ")
}

fn header_text(header: &Header) -> String {
    let mut text = ron::ser::to_string_pretty(header, pretty()).expect("a header always serialises");
    text.push('\n');
    text
}

/// The payload's layout: one line per field down to each entry's fields; what is
/// nested deeper (apps, history events, stamps) stays on one line, so the
/// plaintext stays readable and about half the size.
fn payload_layout() -> ron::ser::PrettyConfig {
    pretty().depth_limit(4)
}

/// The RON plaintext of a vault, as the payload holds it.
pub fn plaintext(vault: &Vault, kdf: &KdfParams) -> Zeroizing<String> {
    let payload = PayloadOut {
        format_version: FORMAT_VERSION,
        kdf,
        vault,
    };
    // A plain String would leave copies of every password in the buffers it frees as
    // it grows; this one wipes each old buffer before letting it go.
    let mut out = crate::secret::ZeroizingBuffer::with_capacity(1024 + vault.entries.len() * 768);
    ron::ser::to_writer_pretty(&mut out, &payload, payload_layout()).expect("a vault always serialises");
    std::fmt::Write::write_str(&mut out, "\n").expect("writing to memory cannot fail");
    out.into_inner()
}

/// A deep copy of `vault`, every password in it a zeroizing copy: by way of the
/// plaintext, so that no field can be forgotten. Only for a save that must keep the
/// shown vault while it builds the one to write.
pub fn duplicate(vault: &Vault) -> Vault {
    let mut out = crate::secret::ZeroizingBuffer::with_capacity(1024 + vault.entries.len() * 768);
    ron::ser::to_writer(&mut out, vault).expect("a vault always serialises");
    let text = out.into_inner();
    from_ron(text.as_bytes(), Reader::SubsetFirst).expect("a vault parses as it serialised")
}

/// Why a vault was not encrypted: one that breaks the invariants (which every reader
/// refuses as damaged) is never written, whichever path asked.
#[derive(Debug, thiserror::Error)]
pub enum EncodeError {
    #[error("{0}")]
    Inconsistent(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Encrypts `vault` to the recipient derived from the passphrase and to the recovery
/// keys the vault lists (format 3), never to anything read from the file's
/// unauthenticated bytes: the list is part of the vault a passphrase (or a listed
/// key) decrypted. Every write of a vault (a save, a merge, git's driver) comes
/// through here, so the invariants are checked here, before anything is written.
pub fn encode(vault: &Vault, key: &VaultKey) -> Result<Vec<u8>, EncodeError> {
    vault.check_invariants().map_err(EncodeError::Inconsistent)?;
    let recovery = recovery::recipients_of(vault).map_err(EncodeError::Inconsistent)?;
    let mut header = Header {
        format: FORMAT_NAME.to_owned(),
        version: FORMAT_VERSION,
        kdf: key.kdf().clone(),
        key_check: key.key_check(),
        header_check: String::new(),
    };
    header.header_check = header_check_of(checked_part(&header_text(&header)));
    let mut out = header_text(&header).into_bytes();
    let plain = plaintext(vault, key.kdf());
    let recipient: &dyn age::Recipient = key.recipient();
    let recipients = std::iter::once(recipient).chain(recovery.iter().map(|r| r as &dyn age::Recipient));
    let encryptor =
        age::Encryptor::with_recipients(recipients).map_err(|e| std::io::Error::other(e.to_string()))?;
    let armor = age::armor::ArmoredWriter::wrap_output(&mut out, age::armor::Format::AsciiArmor)?;
    let mut writer = encryptor.wrap_output(armor)?;
    writer.write_all(plain.as_bytes())?;
    writer.finish()?.finish()?;
    Ok(out)
}

/// Splits a file into its parsed header and its armored age payload, checking that
/// the header is byte for byte what aspen writes.
pub fn split(bytes: &[u8]) -> Result<(Header, &[u8]), FormatError> {
    if !bytes.starts_with(MAGIC.as_bytes()) {
        // A file cut short inside the first line is damage, not a foreign file.
        if !bytes.is_empty() && MAGIC.as_bytes().starts_with(bytes) {
            return Err(FormatError::Damaged(format!(
                "the file is truncated ({} bytes)",
                bytes.len()
            )));
        }
        if bytes.is_empty() {
            return Err(FormatError::Damaged("the file is empty".to_owned()));
        }
        return Err(FormatError::NotAVault);
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|e| FormatError::Damaged(format!("byte {} is not valid UTF-8", e.valid_up_to())))?;
    let at = text
        .find(ARMOR_BEGIN)
        .ok_or_else(|| FormatError::Damaged("the encrypted part is missing or truncated".to_owned()))?;
    let (head, payload) = text.split_at(at);
    let probe: HeaderProbe =
        ron::from_str(head).map_err(|e| FormatError::Damaged(format!("the header does not parse ({e})")))?;
    if probe.format != FORMAT_NAME {
        return Err(FormatError::NotAVault);
    }
    if probe.version > FORMAT_VERSION {
        return Err(FormatError::NewerVersion(probe.version));
    }
    if probe.version < OLDEST_VERSION {
        return Err(FormatError::Damaged(format!(
            "unknown format version {}",
            probe.version
        )));
    }
    let header: Header =
        ron::from_str(head).map_err(|e| FormatError::Damaged(format!("the header does not parse ({e})")))?;
    if header_text(&header) != head {
        return Err(FormatError::Damaged("the header was altered".to_owned()));
    }
    // The canonical check above guarantees the field; no expect on file bytes anyway.
    let checked = head
        .rfind(HEADER_CHECK_FIELD)
        .map(|cut| &head[..cut])
        .ok_or_else(|| FormatError::Damaged("the header was altered".to_owned()))?;
    if header_check_of(checked) != header.header_check {
        return Err(FormatError::Damaged(
            "the header is damaged: its checksum does not match".to_owned(),
        ));
    }
    // Base64 has no '-', so a "-----END" anywhere but at the end is a second armor
    // block or trailing bytes. One search, not a count of every match: this runs on
    // every open of a file that can be megabytes long.
    let body = payload
        .strip_suffix(ARMOR_END)
        .and_then(|rest| rest.strip_prefix(ARMOR_BEGIN));
    if body.is_none_or(|body| body.contains(ARMOR_END_MARK)) {
        return Err(FormatError::Damaged(
            "the encrypted part is truncated or has trailing bytes".to_owned(),
        ));
    }
    Ok((header, payload.as_bytes()))
}

/// Opens vault bytes with a passphrase.
pub fn decode(bytes: &[u8], passphrase: &SecretString) -> Result<(Vault, VaultKey), FormatError> {
    let (header, payload) = split(bytes)?;
    let key = VaultKey::derive(passphrase, header.kdf.clone())?;
    let vault = decrypt(&header, payload, &key)?;
    Ok((vault, key))
}

/// Opens vault bytes with a key derived earlier (no second key derivation), e.g.
/// to reload what is on disk after a failed save. A file re-keyed since (another
/// salt or cost) does not open this way.
pub fn decode_with_key(bytes: &[u8], key: &VaultKey) -> Result<Vault, FormatError> {
    let (header, payload) = split(bytes)?;
    decrypt(&header, payload, key)
}

/// Decrypts and parses the payload of a file already split and checked.
fn decrypt(header: &Header, payload: &[u8], key: &VaultKey) -> Result<Vault, FormatError> {
    if &header.kdf != key.kdf() || key.key_check() != header.key_check {
        return Err(FormatError::WrongPassphrase);
    }
    let damaged = |what: &str| FormatError::Damaged(format!("the encrypted part {what}"));
    let decryptor = age::Decryptor::new_buffered(armor::reader(payload))
        .map_err(|e| damaged(&format!("is unreadable ({e})")))?;
    let identity: &dyn age::Identity = key.identity();
    let mut reader = decryptor
        .decrypt(std::iter::once(identity))
        .map_err(|e| damaged(&format!("does not decrypt ({e})")))?;
    // Base64 makes 3 bytes of 4, and the age file holds the plaintext and more: one
    // allocation, no copies of the passwords left behind by a growing buffer. Not
    // much more: wiping touches the whole capacity, and untouched pages cost faults.
    let mut plain = Zeroizing::new(Vec::with_capacity(payload.len() / 4 * 3));
    reader
        .read_to_end(&mut plain)
        .map_err(|e| damaged(&format!("does not decrypt ({e})")))?;
    let (vault, kdf) = parse_version(&plain, header.version, Reader::SubsetFirst)?;
    if kdf != header.kdf {
        return Err(FormatError::Damaged(
            "the header does not match the encrypted copy of it: it was altered".to_owned(),
        ));
    }
    Ok(vault)
}

/// Parses and checks a decrypted payload of the current version: the vault and the
/// KDF parameters it records. Public so that the fuzzers reach it without an age key.
pub fn parse_plaintext(plain: &[u8]) -> Result<(Vault, KdfParams), FormatError> {
    parse_version(plain, FORMAT_VERSION, Reader::SubsetFirst)
}

/// [`parse_plaintext`] with `ron` alone, without the [`subset`] reader: what the
/// fuzzers and the property tests compare it with (the same value or the same error).
#[doc(hidden)]
pub fn parse_plaintext_ron_only(plain: &[u8]) -> Result<(Vault, KdfParams), FormatError> {
    parse_version(plain, FORMAT_VERSION, Reader::RonOnly)
}

/// Which RON reader parses a payload.
#[derive(Clone, Copy)]
enum Reader {
    /// The [`subset`] reader, and `ron` for what it refuses: the same result, faster.
    SubsetFirst,
    RonOnly,
}

/// Parses RON: what aspen wrote with the [`subset`] reader, anything else (and every
/// error, so that the message is `ron`'s) with `ron`.
fn from_ron<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    reader: Reader,
) -> Result<T, ron::error::SpannedError> {
    if let Reader::SubsetFirst = reader
        && let Ok(text) = std::str::from_utf8(bytes)
        && let Ok(value) = subset::from_str(text)
    {
        return Ok(value);
    }
    ron::de::from_bytes(bytes)
}

/// Parses a payload of format `version` (the header's), upgrading version 1.
fn parse_version(plain: &[u8], version: u32, reader: Reader) -> Result<(Vault, KdfParams), FormatError> {
    let damaged = |what: &str| FormatError::Damaged(format!("the encrypted part {what}"));
    let parse_error = |e: ron::error::SpannedError| damaged(&format!("does not parse ({e})"));
    let (format_version, kdf, vault) = if version == 1 {
        let inner: v1::PayloadV1 = from_ron(plain, reader).map_err(parse_error)?;
        (inner.format_version, inner.kdf, inner.vault.upgrade())
    } else {
        let inner: PayloadIn = from_ron(plain, reader).map_err(parse_error)?;
        (inner.format_version, inner.kdf, inner.vault)
    };
    // The header's version is not authenticated; the copy inside is.
    if format_version != version {
        return Err(FormatError::Damaged(
            "the header does not match the encrypted copy of it: it was altered".to_owned(),
        ));
    }
    vault
        .check_invariants()
        .map_err(|e| damaged(&format!("is inconsistent: {e}")))?;
    Ok((vault, kdf))
}
