//! The vault file: round trips, and every way a file can be wrong told apart.
#![allow(clippy::unwrap_used)]

use aspen::model::{EntryId, NewEntry, Password, Vault};
use aspen::secret::SecretString;
use aspen::vault_file::{self, FormatError, INSECURE, KdfParams, SALT_LEN, VaultKey};
use jiff::civil::date;
use proptest::prelude::*;

fn key(pass: &str, salt: u8) -> VaultKey {
    VaultKey::derive(
        &SecretString::from(pass),
        KdfParams::new(INSECURE, [salt; SALT_LEN]),
    )
    .unwrap()
}

fn sample() -> Vault {
    let mut v = Vault::default();
    let today = date(2026, 11, 20);
    v.add(
        EntryId::from_random([1; 16]),
        NewEntry {
            label: "Thunderbird".into(),
            apple_id: "me@icloud.com".into(),
            apps: vec!["Thunderbird (laptop)".into(), "K-9 Mail".into()],
            password: Some(Password::parse(SecretString::from("abcd-efgh-ijkl-mnop"), false).unwrap()),
            created: date(2026, 1, 2),
            notes: "line one\nline \"two\"".into(),
            uses: Vec::new(),
            team_id: String::new(),
        },
        today,
    )
    .unwrap();
    v.reset("me@icloud.com", date(2026, 11, 2), today).unwrap();
    v
}

#[test]
fn a_vault_round_trips() {
    let k = key("pass", 1);
    let v = sample();
    let bytes = vault_file::encode(&v, &k).unwrap();
    let (back, k2) = vault_file::decode(&bytes, &SecretString::from("pass")).unwrap();
    assert_eq!(back, v);
    assert_eq!(k2.recipient().to_string(), k.recipient().to_string());
}

#[test]
fn the_file_never_holds_the_password_or_the_recipient_in_clear() {
    let k = key("pass", 1);
    let bytes = vault_file::encode(&sample(), &k).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert!(!text.contains("abcd-efgh"));
    assert!(!text.contains("Thunderbird"));
    assert!(!text.contains(&k.recipient().to_string()));
    assert!(text.starts_with(vault_file::MAGIC));
}

#[test]
fn wrong_passphrase_and_damage_are_told_apart() {
    let bytes = vault_file::encode(&sample(), &key("pass", 1)).unwrap();
    let wrong = vault_file::decode(&bytes, &SecretString::from("Pass")).unwrap_err();
    assert_eq!(wrong, FormatError::WrongPassphrase);

    // A flipped bit inside the armored payload: the key matches, decryption fails.
    let text = String::from_utf8(bytes.clone()).unwrap();
    let body = text.find("-----BEGIN").unwrap() + 60;
    let mut damaged = bytes.clone();
    damaged[body] = if damaged[body] == b'A' { b'B' } else { b'A' };
    assert!(matches!(
        vault_file::decode(&damaged, &SecretString::from("pass")),
        Err(FormatError::Damaged(_))
    ));

    // Truncated anywhere: damaged, never accepted.
    for cut in [0, 5, 40, bytes.len() / 2, bytes.len() - 1] {
        let err = vault_file::decode(&bytes[..cut], &SecretString::from("pass")).unwrap_err();
        assert!(matches!(err, FormatError::Damaged(_)), "cut at {cut}: {err:?}");
    }
    // Trailing bytes after the armor.
    let mut longer = bytes.clone();
    longer.extend_from_slice(b"junk\n");
    assert!(matches!(
        vault_file::decode(&longer, &SecretString::from("pass")),
        Err(FormatError::Damaged(_))
    ));
}

#[test]
fn foreign_files_and_newer_versions_are_named_as_such() {
    let pass = SecretString::from("pass");
    assert_eq!(
        vault_file::decode(b"hello world\n", &pass).unwrap_err(),
        FormatError::NotAVault
    );
    let age_file = b"-----BEGIN AGE ENCRYPTED FILE-----\n";
    assert_eq!(
        vault_file::decode(age_file, &pass).unwrap_err(),
        FormatError::NotAVault
    );
    let bytes = vault_file::encode(&sample(), &key("pass", 1)).unwrap();
    let newer = String::from_utf8(bytes)
        .unwrap()
        .replacen("version: 3,", "version: 4,", 1);
    assert_eq!(
        vault_file::decode(newer.as_bytes(), &pass).unwrap_err(),
        FormatError::NewerVersion(4)
    );
}

#[test]
fn a_header_edited_to_weaker_parameters_never_opens() {
    let stronger = aspen::vault_file::Cost {
        memory_kib: 64,
        ..INSECURE
    };
    let k = VaultKey::derive(
        &SecretString::from("pass"),
        KdfParams::new(stronger, [1; SALT_LEN]),
    )
    .unwrap();
    let bytes = vault_file::encode(&sample(), &k).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    // Same passphrase, cheaper parameters: a different key, so it is refused.
    let weaker = text.replacen("memory_kib: 64,", "memory_kib: 8,", 1);
    assert_ne!(weaker, text);
    assert!(vault_file::decode(weaker.as_bytes(), &SecretString::from("pass")).is_err());
    // Reformatted but equivalent RON is still an altered header.
    let spaced = text.replacen("version: 3,", "version:  3,", 1);
    assert!(matches!(
        vault_file::decode(spaced.as_bytes(), &SecretString::from("pass")),
        Err(FormatError::Damaged(_))
    ));
}

#[test]
fn a_payload_from_another_vault_is_refused() {
    // Same passphrase, another salt: the key check names the mismatch.
    let a = vault_file::encode(&sample(), &key("pass", 1)).unwrap();
    let b = vault_file::encode(&Vault::default(), &key("pass", 2)).unwrap();
    let (ta, tb) = (String::from_utf8(a).unwrap(), String::from_utf8(b).unwrap());
    let spliced = format!(
        "{}{}",
        &ta[..ta.find("-----BEGIN").unwrap()],
        &tb[tb.find("-----BEGIN").unwrap()..]
    );
    assert!(matches!(
        vault_file::decode(spliced.as_bytes(), &SecretString::from("pass")),
        Err(FormatError::Damaged(_))
    ));
}

fn text_strategy() -> impl Strategy<Value = String> {
    // Printable text, including quotes, backslashes and non-ASCII.
    proptest::string::string_regex("[a-zA-Z0-9 \"\\\\'(){}éß漢🙂.,-]{1,40}").unwrap()
}

fn letters() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-z]{16}").unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn any_vault_round_trips_through_save_and_open(
        entries in proptest::collection::vec((text_strategy(), text_strategy(), letters(), 0u8..3, any::<bool>()), 0..12),
        pass in "[ -~]{1,30}",
    ) {
        let today = date(2026, 11, 20);
        let mut v = Vault::default();
        for (n, (label, app, pw, who, revoke)) in entries.into_iter().enumerate() {
            let apple_id = format!("user{who}@icloud.com");
            let label = format!("{}{n}", label.trim());
            let added = v.add(
                EntryId::from_random([n as u8; 16]),
                NewEntry {
                    label: label.clone(),
                    apple_id: apple_id.clone(),
                    apps: vec![app],
                    password: Some(Password::parse(SecretString::new(pw), false).unwrap()),
                    created: date(2026, 1, 1),
                    notes: String::new(),
                    uses: Vec::new(),
                    team_id: String::new(),
                },
                today,
            );
            if added.is_ok() && revoke {
                let id = v.find(&label, Some(&apple_id)).unwrap().id.clone();
                v.revoke(&id, today, true, today).unwrap();
            }
        }
        let k = VaultKey::derive(&SecretString::new(pass.clone()), KdfParams::new(INSECURE, [9; SALT_LEN])).unwrap();
        let bytes = vault_file::encode(&v, &k).unwrap();
        let (back, _) = vault_file::decode(&bytes, &SecretString::new(pass)).unwrap();
        prop_assert_eq!(back, v);
    }
}

#[test]
fn an_inconsistent_payload_is_damage_that_names_the_problem() {
    let kdf = KdfParams::new(INSECURE, [1; SALT_LEN]);
    let inconsistent = |change: fn(&mut Vault)| {
        let mut v = sample();
        change(&mut v);
        match vault_file::parse_plaintext(vault_file::plaintext(&v, &kdf).as_bytes()) {
            Err(FormatError::Damaged(detail)) => detail,
            other => panic!("expected damage, got {:?}", other.map(|_| ())),
        }
    };
    let twice = inconsistent(|v| v.accounts.push(v.accounts[0].clone()));
    assert!(
        twice.contains("Apple ID me@icloud.com is listed twice"),
        "{twice}"
    );
    let unlisted = inconsistent(|v| v.accounts.clear());
    assert!(
        unlisted.contains("names an Apple ID the vault does not list"),
        "{unlisted}"
    );
    let same_id = inconsistent(|v| {
        let mut copy = sample();
        let mut other = copy.entries.remove(0);
        other.label = "Another label".into();
        v.entries.push(other);
    });
    assert!(same_id.contains("appears twice"), "{same_id}");
}

#[test]
fn a_second_armor_block_is_damage() {
    let bytes = vault_file::encode(&sample(), &key("pass", 1)).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let armor = &text[text.find("-----BEGIN").unwrap()..];
    let doubled = format!("{text}{armor}");
    assert!(matches!(
        vault_file::decode(doubled.as_bytes(), &SecretString::from("pass")),
        Err(FormatError::Damaged(_))
    ));
}
