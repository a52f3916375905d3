//! The committed test vector pins the vault format: a small vault made with a known
//! passphrase and salt must open to exactly the committed plaintext, with exactly the
//! committed key. If this test fails, the format drifted: bump the format version and
//! keep reading version 1, never change its meaning silently.
//!
//! `ASPEN_WRITE_VECTOR=1 cargo test --test format_vector` rewrites the files; only do
//! that for a new format version, in a new file.
#![allow(clippy::unwrap_used, clippy::disallowed_methods, clippy::disallowed_macros)]

use std::path::Path;

use aspen::model::{EntryId, NewEntry, Password, Vault};
use aspen::secret::SecretString;
use aspen::vault_file::{self, Cost, KdfParams, VaultKey};
use jiff::civil::date;

const PASSPHRASE: &str = "aspen test vector";
const SALT: [u8; 32] = [7; 32];
/// The vector's own cost (the `--insecure-kdf` cost when it was made), fixed here:
/// the vector must not follow later changes of that preset.
const COST: Cost = Cost {
    memory_kib: 1024,
    passes: 1,
    lanes: 1,
};
/// The recipient Argon2id(PASSPHRASE, SALT, 1 MiB, 1 pass, 1 lane) must give. Worked
/// out independently of aspen with the reference tools: `argon2 SALT -id -t 1 -k 1024
/// -p 1 -l 32 -r` for the 32 bytes, Bech32 with HRP `age-secret-key-`, upper-cased,
/// then `age-keygen -y` (docs/vault-format.md shows the commands).
const RECIPIENT: &str = "age1xf39hejwvy36lwnvhrawe3ayd0j36rjunkq0p5edvtx2rwecjd8s2eyt8h";

fn vector_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors"))
}

fn build() -> Vault {
    let today = date(2026, 11, 20);
    let mut v = Vault::default();
    let pw = |s: &str| Password::parse(SecretString::from(s), false).unwrap();
    v.add(
        EntryId::from_random([0x11; 16]),
        NewEntry {
            label: "Thunderbird".into(),
            apple_id: "me@icloud.com".into(),
            apps: vec!["Thunderbird (laptop)".into(), "K-9 Mail".into()],
            password: pw("abcd-efgh-ijkl-mnop"),
            created: date(2025, 6, 1),
            notes: "IMAP + SMTP".into(),
        },
        today,
    )
    .unwrap();
    v.add(
        EntryId::from_random([0x22; 16]),
        NewEntry {
            label: "YouCanBook.me".into(),
            apple_id: "me@icloud.com".into(),
            apps: vec!["YouCanBook.me".into()],
            password: pw("qrst-uvwx-yzab-cdef"),
            created: date(2026, 10, 1),
            notes: String::new(),
        },
        today,
    )
    .unwrap();
    v.reset("me@icloud.com", date(2026, 10, 15), today).unwrap();
    v
}

#[test]
fn the_committed_vector_opens_to_the_committed_plaintext() {
    let key = VaultKey::derive(&SecretString::from(PASSPHRASE), KdfParams::new(COST, SALT)).unwrap();
    let vault_path = vector_dir().join("v1.aspen");
    let plain_path = vector_dir().join("v1.plain.ron");
    if std::env::var("ASPEN_WRITE_VECTOR").is_ok_and(|v| v == "1") {
        let v = build();
        std::fs::write(&vault_path, vault_file::encode(&v, &key).unwrap()).unwrap();
        std::fs::write(&plain_path, vault_file::plaintext(&v, key.kdf()).as_bytes()).unwrap();
        eprintln!("recipient: {}", key.recipient());
    }
    assert_eq!(
        key.recipient().to_string(),
        RECIPIENT,
        "the KDF or key mapping changed"
    );

    let bytes = std::fs::read(&vault_path).unwrap();
    let (header, _) = vault_file::split(&bytes).unwrap();
    assert_eq!(header.kdf.salt, "07".repeat(32));
    assert_eq!(header.key_check, key.key_check());

    let (vault, _) = vault_file::decode(&bytes, &SecretString::from(PASSPHRASE)).unwrap();
    assert_eq!(vault, build());
    let expected_plain = std::fs::read_to_string(&plain_path).unwrap();
    assert_eq!(*vault_file::plaintext(&vault, key.kdf()), expected_plain);

    assert_eq!(
        vault_file::decode(&bytes, &SecretString::from("aspen test vectors")).unwrap_err(),
        vault_file::FormatError::WrongPassphrase
    );
}
