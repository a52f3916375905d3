//! The committed test vectors pin the vault format: a small vault made with a known
//! passphrase and salt must open to exactly the committed contents, with exactly the
//! committed key. If a test fails, the format drifted: bump the format version and
//! keep reading the old ones, never change their meaning silently.
//!
//! Version 1 (`v1.aspen`) is no longer written; it must keep opening, upgraded.
//! Version 2 (`v2.aspen`) is no longer written either. The current version's vector
//! is in `format_vector_v3.rs`.
#![allow(clippy::unwrap_used, clippy::disallowed_methods, clippy::disallowed_macros)]

use std::path::Path;

use aspen::model::{
    AuditDecisions, Edit, EntryId, Listed, MachineId, NewEntry, Password, Use, Vault, VaultId, merge, stamp,
};
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
            password: Some(pw("abcd-efgh-ijkl-mnop")),
            created: date(2025, 6, 1),
            notes: "IMAP + SMTP".into(),
            uses: Vec::new(),
            team_id: String::new(),
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
            password: Some(pw("qrst-uvwx-yzab-cdef")),
            created: date(2026, 10, 1),
            notes: String::new(),
            uses: Vec::new(),
            team_id: String::new(),
        },
        today,
    )
    .unwrap();
    v.reset("me@icloud.com", date(2026, 10, 15), today).unwrap();
    v
}

#[test]
fn the_version_1_vector_still_opens() {
    let key = VaultKey::derive(&SecretString::from(PASSPHRASE), KdfParams::new(COST, SALT)).unwrap();
    assert_eq!(
        key.recipient().to_string(),
        RECIPIENT,
        "the KDF or key mapping changed"
    );
    let bytes = std::fs::read(vector_dir().join("v1.aspen")).unwrap();
    let (header, _) = vault_file::split(&bytes).unwrap();
    assert_eq!(header.version, 1);
    assert_eq!(header.kdf.salt, "07".repeat(32));
    assert_eq!(header.key_check, key.key_check());

    // Opened as version 2: the same entries, nothing of what version 2 adds.
    let (vault, _) = vault_file::decode(&bytes, &SecretString::from(PASSPHRASE)).unwrap();
    assert_eq!(vault, build());
    assert!(vault.id.is_unset() && vault.saves == 0);
    assert!(
        vault
            .entries
            .iter()
            .all(|e| e.password_stored() && e.stamps.clock.is_empty())
    );
    // Its next save writes the current version (stock age reads the version-1
    // payload in age_interop.rs: byte for byte v1.plain.ron).
    let again = vault_file::encode(&vault, &key).unwrap();
    assert_eq!(vault_file::split(&again).unwrap().0.version, 3);
    assert_eq!(vault_file::decode_with_key(&again, &key).unwrap(), vault);

    assert_eq!(
        vault_file::decode(&bytes, &SecretString::from("aspen test vectors")).unwrap_err(),
        vault_file::FormatError::WrongPassphrase
    );
}

const PASSPHRASE_V2: &str = "aspen test vector 2";
const SALT_V2: [u8; 32] = [9; 32];
/// Worked out with Python's `cryptography` (Argon2id), the docs' Bech32 recipe and
/// `hashlib.blake2b`, independently of aspen (docs/vault-format.md, appendix).
const RECIPIENT_V2: &str = "age14r7feetuswarzvaaqhdwcqrr5avppe8eetcwlv6xflwdw0jsx5esddptgu";
const KEY_CHECK_V2: &str = "eb99c7ed1ea42531a87a8fabfdb51e31";

/// Two machines' saves of one vault, merged: every part of format 2 has a value.
fn build_v2() -> Vault {
    let a = MachineId::from_random([0xa1; 8]);
    let b = MachineId::from_random([0xb2; 8]);
    let (day1, day2, day3) = (date(2026, 11, 27), date(2026, 11, 28), date(2026, 11, 29));
    let pw = |s: &str| Some(Password::parse(SecretString::from(s), false).unwrap());
    let empty = Vault {
        id: VaultId::from_random([0x5a; 16]),
        ..Vault::default()
    };
    let mut first = vault_file::duplicate(&empty);
    for (n, label, password, created, uses) in [
        (
            0x11,
            "Thunderbird",
            pw("abcd-efgh-ijkl-mnop"),
            date(2025, 6, 1),
            vec![Use::Mail, Use::Calendar],
        ),
        (
            0x22,
            "Old Mac",
            pw("qrst-uvwx-yzab-cdef"),
            date(2024, 2, 1),
            vec![],
        ),
        (0x33, "iPad", None, date(2024, 5, 1), vec![Use::Contacts]),
    ] {
        let new = NewEntry {
            label: label.into(),
            apple_id: "+15551234567".into(),
            apps: if password.is_some() {
                vec![format!("{label} app")]
            } else {
                vec![]
            },
            password,
            created,
            notes: String::new(),
            uses,
            team_id: String::new(),
        };
        first.add(EntryId::from_random([n; 16]), new, day1).unwrap();
    }
    first.name_apple_id("+15551234567", "family").unwrap();
    stamp(&empty, &mut first, &a, day1);

    // Machine A: deletes one, records a reset by mistake and withdraws it, audits.
    let mut on_a = vault_file::duplicate(&first);
    on_a.remove(&EntryId::from_random([0x22; 16])).unwrap();
    on_a.reset("+15551234567", date(2026, 10, 15), day2).unwrap();
    on_a.withdraw_reset("+15551234567", None, day2).unwrap();
    let listed = [
        Listed {
            label: "Thunderbird".into(),
            created: None,
        },
        Listed {
            label: "iPad".into(),
            created: Some(date(2024, 5, 1)),
        },
    ];
    let diff = on_a.compare_with_apple("+15551234567", &listed).unwrap();
    assert!(diff.is_empty());
    on_a.apply_audit("+15551234567", AuditDecisions::default(), day2)
        .unwrap();
    let ipad = EntryId::from_random([0x33; 16]);
    let notes = |n: &str| Edit {
        notes: Some(n.into()),
        ..Edit::default()
    };
    on_a.edit(&ipad, notes("kept by the kids"), day2).unwrap();
    stamp(&first, &mut on_a, &a, day2);

    // Machine B, from the same first save: other notes on two entries.
    let mut on_b = vault_file::duplicate(&first);
    on_b.edit(&EntryId::from_random([0x11; 16]), notes("work laptop"), day2)
        .unwrap();
    on_b.edit(&ipad, notes("in the drawer"), day2).unwrap();
    stamp(&first, &mut on_b, &b, day2);

    // A sync conflict copy: no base. Notes of the iPad differ: a conflict.
    let (mut merged, report) = merge(None, on_a, vault_file::duplicate(&on_b));
    assert_eq!(report.changed, vec!["Thunderbird".to_owned()]);
    assert_eq!(report.conflicts, vec!["iPad".to_owned()]);
    stamp(&on_b, &mut merged, &a, day3);
    merged
}

#[test]
fn the_version_2_vector_opens_to_the_committed_plaintext() {
    let key = VaultKey::derive(&SecretString::from(PASSPHRASE_V2), KdfParams::new(COST, SALT_V2)).unwrap();
    let vault_path = vector_dir().join("v2.aspen");
    let plain_path = vector_dir().join("v2.plain.ron");
    assert_eq!(key.recipient().to_string(), RECIPIENT_V2);
    assert_eq!(key.key_check(), KEY_CHECK_V2);

    let bytes = std::fs::read(&vault_path).unwrap();
    let (header, _) = vault_file::split(&bytes).unwrap();
    assert_eq!(header.version, 2);
    assert_eq!(header.kdf.salt, "09".repeat(32));
    assert_eq!(header.key_check, KEY_CHECK_V2);

    let (vault, _) = vault_file::decode(&bytes, &SecretString::from(PASSPHRASE_V2)).unwrap();
    assert_eq!(vault, build_v2());
    // Written now, the same data has the same layout under the new version number:
    // what version 3 adds is written only where it has a value.
    let expected_plain = std::fs::read_to_string(&plain_path).unwrap();
    assert_eq!(
        *vault_file::plaintext(&vault, key.kdf()),
        expected_plain.replacen("format_version: 2,", "format_version: 3,", 1)
    );
    let again = vault_file::encode(&vault, &key).unwrap();
    assert_eq!(vault_file::split(&again).unwrap().0.version, 3);
    assert_eq!(vault_file::decode_with_key(&again, &key).unwrap(), vault);
    // What each part of the format holds, read back from the file.
    assert_eq!(vault.id.as_str(), "5a".repeat(16));
    assert_eq!(vault.tombstones.len(), 1, "the deleted entry is remembered");
    assert!(vault.entries.iter().any(|e| !e.password_stored()));
    assert_eq!(vault.accounts[0].name, "family");
    assert_eq!(vault.accounts[0].withdrawn.len(), 1);
    assert_eq!(vault.accounts[0].audits.len(), 1);
    assert!(vault.entries.iter().any(|e| !e.conflicts.is_empty()));
    assert_eq!(
        vault_file::decode(&bytes, &SecretString::from("aspen test vector")).unwrap_err(),
        vault_file::FormatError::WrongPassphrase
    );
}
