//! The vector of format version 3, the one aspen writes: what version 2 holds, plus an
//! entry's old passwords still live at Apple after a regeneration (`superseded`), an
//! entry's use for notarization with its developer team id (`team_id`), and an Apple
//! ID's iCloud Mail address (`mail`), each written only where it has a value.
//! `ASPEN_WRITE_VECTOR=3 cargo test --test it format_vector_v3::` writes the files; only
//! for making them, never to make a failing test pass.
#![allow(clippy::unwrap_used, clippy::disallowed_methods, clippy::disallowed_macros)]

use std::path::Path;

use aspen::model::{EntryId, MachineId, NewEntry, Password, Use, Vault, VaultId, stamp};
use aspen::secret::SecretString;
use aspen::vault_file::{self, Cost, KdfParams, VaultKey};
use jiff::civil::date;

const PASSPHRASE: &str = "aspen test vector 3";
const SALT: [u8; 32] = [11; 32];
const COST: Cost = Cost {
    memory_kib: 1024,
    passes: 1,
    lanes: 1,
};
/// Worked out with Python's `cryptography` (Argon2id), the docs' Bech32 recipe and
/// `hashlib.blake2b`, independently of aspen (docs/vault-format.md, appendix).
const RECIPIENT: &str = "age1xvlmn6j8ee2xnc8hfj39tvfxrh5e8zq2uwuhqd22cswrguzz5p9q8gssk9";
const KEY_CHECK: &str = "79c9539a7e272dd34ed70497e0451951";

/// One machine's saves: three entries, one regenerated while its old password was
/// active (and that one not yet revoked), and an Apple ID with its iCloud Mail
/// address.
fn build() -> Vault {
    let machine = MachineId::from_random([0xc3; 8]);
    let (day1, day2) = (date(2026, 12, 1), date(2026, 12, 5));
    let pw = |s: &str| Password::parse(SecretString::from(s), false).unwrap();
    let empty = Vault {
        id: VaultId::from_random([0x3c; 16]),
        ..Vault::default()
    };
    let mut first = vault_file::duplicate(&empty);
    for (n, label, password, uses) in [
        (0x44, "Mail", "abcd-efgh-ijkl-mnop", vec![Use::Mail]),
        (0x55, "Calendar", "qrst-uvwx-yzab-cdef", vec![Use::Calendar]),
        (0x66, "Notary", "wxyz-abcd-efgh-ijkl", vec![Use::Notarization]),
    ] {
        let new = NewEntry {
            label: label.into(),
            apple_id: "kim@example.com".into(),
            apps: vec![format!("{label} app")],
            password: Some(pw(password)),
            created: date(2026, 6, 1),
            notes: String::new(),
            team_id: if uses.contains(&Use::Notarization) {
                "ABCDE12345".into()
            } else {
                String::new()
            },
            uses,
        };
        first.add(EntryId::from_random([n; 16]), new, day1).unwrap();
    }
    first.accounts[0].mail = "kim.example@icloud.com".into();
    stamp(&empty, &mut first, &machine, day1);
    let mut second = vault_file::duplicate(&first);
    second
        .regenerate(
            &EntryId::from_random([0x44; 16]),
            pw("ghij-klmn-opqr-stuv"),
            day2,
            day2,
        )
        .unwrap();
    stamp(&first, &mut second, &machine, day2);
    second
}

#[test]
fn the_version_3_vector_opens_to_the_committed_plaintext() {
    let key = VaultKey::derive(&SecretString::from(PASSPHRASE), KdfParams::new(COST, SALT)).unwrap();
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors"));
    let (vault_path, plain_path) = (dir.join("v3.aspen"), dir.join("v3.plain.ron"));
    if std::env::var("ASPEN_WRITE_VECTOR").is_ok_and(|v| v == "3") {
        let v = build();
        std::fs::write(&vault_path, vault_file::encode(&v, &key).unwrap()).unwrap();
        std::fs::write(&plain_path, vault_file::plaintext(&v, key.kdf()).as_bytes()).unwrap();
    }
    assert_eq!(key.recipient().to_string(), RECIPIENT);
    assert_eq!(key.key_check(), KEY_CHECK);

    let bytes = std::fs::read(&vault_path).unwrap();
    let (header, _) = vault_file::split(&bytes).unwrap();
    assert_eq!(header.version, 3);
    assert_eq!(header.kdf.salt, "0b".repeat(32));
    assert_eq!(header.key_check, KEY_CHECK);

    let (vault, _) = vault_file::decode(&bytes, &SecretString::from(PASSPHRASE)).unwrap();
    assert_eq!(vault, build());
    let plain = std::fs::read_to_string(&plain_path).unwrap();
    assert_eq!(*vault_file::plaintext(&vault, key.kdf()), plain);
    // What version 3 adds, read back from the file, and written where it has a value.
    assert!(plain.starts_with("(\n    format_version: 3,\n"), "{plain}");
    assert_eq!(
        plain
            .matches("superseded: [(created: \"2026-06-01\", activated_seq: 0)],")
            .count(),
        1,
        "{plain}"
    );
    assert_eq!(
        plain.matches("mail: \"kim.example@icloud.com\",").count(),
        1,
        "{plain}"
    );
    assert_eq!(plain.matches("uses: [notarization],").count(), 1, "{plain}");
    assert_eq!(plain.matches("team_id: \"ABCDE12345\",").count(), 1, "{plain}");
    let mail = vault.entry(&EntryId::from_random([0x44; 16])).unwrap();
    let old = aspen::model::Superseded {
        created: date(2026, 6, 1),
        activated_seq: 0,
    };
    assert_eq!(mail.superseded, [old]);
    assert_eq!(
        vault.active_count("kim@example.com"),
        4,
        "three entries and one old password"
    );
    assert_eq!(
        vault_file::decode(&bytes, &SecretString::from("aspen test vector 2")).unwrap_err(),
        vault_file::FormatError::WrongPassphrase
    );
}
