//! The vector of format version 3, the one aspen writes: what version 2 holds, plus an
//! entry's old passwords still live at Apple after a regeneration (`superseded`), an
//! entry's use for notarization with its developer team id (`team_id`), and an Apple
//! ID's iCloud Mail address (`mail`), and the recovery keys the payload is encrypted
//! to besides the passphrase's (`recovery`, `recovery_removed`), each written only
//! where it has a value.
//! `ASPEN_WRITE_VECTOR=3 cargo test --test it format_vector_v3::` writes the files; only
//! for making them, never to make a failing test pass.
#![allow(clippy::unwrap_used, clippy::disallowed_methods, clippy::disallowed_macros)]

use std::path::Path;

use aspen::model::{EntryId, MachineId, NewEntry, Password, RecoveryKey, Use, Vault, VaultId, stamp};
use aspen::secret::SecretString;
use aspen::vault_file::{self, Cost, FormatError, KdfParams, RecoveryIdentity, VaultKey};
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

/// The recovery key the vector is encrypted to: the secret key of 32 bytes of 0x0d,
/// `AGE-SECRET-KEY-1P5XS6RGDP5XS6RGDP5XS6RGDP5XS6RGDP5XS6RGDP5XS6RGDP5XSHN9AHP`. Its
/// recipient was worked out with Python's `cryptography` (X25519) and the docs'
/// Bech32 recipe, and `age-keygen -y` gives the same; the check value is
/// `hashlib.blake2b(b"aspen recovery check v1\0" + KEY, digest_size=16)`
/// (docs/vault-format.md, appendix).
pub const RECOVERY_SECRET: &str =
    "AGE-SECRET-KEY-1P5XS6RGDP5XS6RGDP5XS6RGDP5XS6RGDP5XS6RGDP5XS6RGDP5XSHN9AHP";
const RECOVERY: &str = "age1kvr6apnqa7hdf44xtanypztgjt4y58cqw424cjyazvf29ct80s5qrwux6w";
const RECOVERY_CHECK: &str = "c8c6f07fc9c3ddd4a29a9f781e1a78f9";
/// A second key, of 32 bytes of 0x0e, added and then removed: the payload is not
/// encrypted to it. Worked out the same way.
const REMOVED: &str = "age1tp2hsn9nerredkz2eylg7jjnm2ctkv0gp9sqgt86slcr5s5nkvyqnap3y3";
const REMOVED_CHECK: &str = "fe81ac4db92faf8deaa080c30b95dbb9";

/// One machine's saves: three entries, one regenerated while its old password was
/// active (and that one not yet revoked), an Apple ID with its iCloud Mail address,
/// and two recovery keys, one of them removed in the second save.
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
    for (recipient, check) in [(RECOVERY, RECOVERY_CHECK), (REMOVED, REMOVED_CHECK)] {
        first
            .add_recovery_key(RecoveryKey {
                recipient: recipient.into(),
                check: check.into(),
                added: day1,
            })
            .unwrap();
    }
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
    second.remove_recovery_key(REMOVED, day2).unwrap();
    stamp(&first, &mut second, &machine, day2);
    second
}

fn recovery_key(byte: u8) -> RecoveryIdentity {
    RecoveryIdentity::from_bytes(&[byte; 32]).unwrap()
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
    let recovery = recovery_key(13);
    assert_eq!(recovery.secret().expose(), RECOVERY_SECRET);
    assert_eq!(recovery.recipient(), RECOVERY);
    assert_eq!(recovery.check(), RECOVERY_CHECK);
    assert_eq!(recovery_key(14).recipient(), REMOVED);
    assert_eq!(recovery_key(14).check(), REMOVED_CHECK);

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
    let listed = format!(
        "        recovery: [\n            (\n                recipient: \"{RECOVERY}\",\n                \
         check: \"{RECOVERY_CHECK}\",\n                added: \"2026-12-01\",\n            ),\n        ],\n"
    );
    assert_eq!(plain.matches(&listed).count(), 1, "{plain}");
    let removed = format!(
        "        recovery_removed: [\n            (\n                recipient: \"{REMOVED}\",\n                \
         removed: \"2026-12-05\",\n            ),\n        ],\n"
    );
    assert_eq!(plain.matches(&removed).count(), 1, "{plain}");
    // The payload opens with the recovery key alone, to the same vault; not with
    // the key removed before the save that wrote it.
    assert_eq!(
        vault_file::decode_with_identity(&bytes, &recovery).unwrap(),
        build()
    );
    assert_eq!(
        vault_file::decode_with_identity(&bytes, &recovery_key(14)).unwrap_err(),
        FormatError::WrongPassphrase
    );
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
