//! Damage at every byte. Each single-byte change and each truncation of a small
//! vault must be refused with the right kind of error: never opened with changed
//! content, never read as a wrong passphrase when the passphrase is right, never a
//! panic, never a write. `ASPEN_TORTURE=long` tries every byte value at every
//! position and runs the CLI on every case (see docs/reliability.md).
#![allow(clippy::unwrap_used, clippy::disallowed_methods, clippy::disallowed_macros)]

use crate::common;

use std::panic::{AssertUnwindSafe, catch_unwind};

use aspen::model::{EntryId, NewEntry, Password, Vault};
use aspen::secret::SecretString;
use aspen::vault_file::{self, FormatError, INSECURE, KdfParams, SALT_LEN, VaultKey};
use common::{Env, PASSPHRASE, asp, long_run};
use jiff::civil::date;

fn small_vault() -> (Vault, Vec<u8>) {
    let today = date(2026, 11, 20);
    let mut v = Vault::default();
    for (n, (label, apple_id)) in [("Thunderbird", "me@icloud.com"), ("DAVx5", "work@me.com")]
        .into_iter()
        .enumerate()
    {
        v.add(
            EntryId::from_random([n as u8 + 1; 16]),
            NewEntry {
                label: label.into(),
                apple_id: apple_id.into(),
                apps: vec![format!("{label} app")],
                password: Some(Password::parse(SecretString::new(asp(n)), false).unwrap()),
                created: date(2026, 1, 2),
                notes: String::new(),
                uses: Vec::new(),
                team_id: String::new(),
            },
            today,
        )
        .unwrap();
    }
    let key = VaultKey::derive(
        &SecretString::from(PASSPHRASE),
        KdfParams::new(INSECURE, [7; SALT_LEN]),
    )
    .unwrap();
    let bytes = vault_file::encode(&v, &key).unwrap();
    (v, bytes)
}

#[derive(Default, Debug)]
struct Tally {
    cases: usize,
    damaged: usize,
    not_a_vault: usize,
    newer: usize,
    wrong_passphrase: Vec<usize>,
    accepted: Vec<usize>,
    panics: Vec<usize>,
}

impl Tally {
    fn record(&mut self, case: usize, bytes: &[u8], original: &Vault) {
        self.cases += 1;
        let pass = SecretString::from(PASSPHRASE);
        match catch_unwind(AssertUnwindSafe(|| vault_file::decode(bytes, &pass))) {
            Err(_) => self.panics.push(case),
            Ok(Ok((v, _))) => {
                // Opening at all is a failure: the bytes differ from what was saved.
                let _ = v == *original;
                self.accepted.push(case);
            }
            Ok(Err(FormatError::Damaged(_))) => self.damaged += 1,
            Ok(Err(FormatError::NotAVault)) => self.not_a_vault += 1,
            Ok(Err(FormatError::NewerVersion(_))) => self.newer += 1,
            Ok(Err(FormatError::WrongPassphrase)) => self.wrong_passphrase.push(case),
        }
    }

    fn assert_all_refused(&self, what: &str) {
        eprintln!(
            "{what}: {} cases: {} damaged, {} not a vault, {} newer format, {} wrong passphrase, \
             {} accepted, {} panics",
            self.cases,
            self.damaged,
            self.not_a_vault,
            self.newer,
            self.wrong_passphrase.len(),
            self.accepted.len(),
            self.panics.len()
        );
        assert!(self.panics.is_empty(), "{what}: panics at {:?}", self.panics);
        assert!(
            self.accepted.is_empty(),
            "{what}: accepted at {:?}",
            self.accepted
        );
        assert!(
            self.wrong_passphrase.is_empty(),
            "{what}: damage read as a wrong passphrase at {:?}",
            self.wrong_passphrase
        );
    }
}

/// The byte values tried at each position: all of them in the long run.
fn replacements(original: u8) -> Vec<u8> {
    if long_run() {
        (0..=255u8).filter(|&b| b != original).collect()
    } else {
        vec![original ^ 0x01, original ^ 0x20, original ^ 0x80, b'0']
            .into_iter()
            .filter(|&b| b != original)
            .collect()
    }
}

/// The bytes of the header's version line: a change there may turn the version into
/// a higher number ("version: 4", "version:13"), which reads as "written by a newer
/// aspen" by design (its hint names the backup). Nowhere else may.
fn version_line(bytes: &[u8]) -> std::ops::Range<usize> {
    let text = std::str::from_utf8(bytes).unwrap();
    let start = text.find("    version: 3,\n").unwrap();
    start..start + "    version: 3,\n".len()
}

#[test]
fn every_single_byte_change_is_refused_as_damage() {
    let (original, bytes) = small_vault();
    let version = version_line(&bytes);
    let mut tally = Tally::default();
    let mut newer_elsewhere = Vec::new();
    for at in 0..bytes.len() {
        for value in replacements(bytes[at]) {
            let mut changed = bytes.clone();
            changed[at] = value;
            let before = tally.newer;
            tally.record(at, &changed, &original);
            if tally.newer > before && !version.contains(&at) {
                newer_elsewhere.push(at);
            }
        }
    }
    tally.assert_all_refused(&format!("byte changes over {} positions", bytes.len()));
    assert!(
        newer_elsewhere.is_empty(),
        "newer format reported at {newer_elsewhere:?}"
    );
    assert!(tally.cases >= bytes.len() * 3);
}

#[test]
fn every_truncation_and_every_appended_byte_is_refused_as_damage() {
    let (original, bytes) = small_vault();
    let mut cut = Tally::default();
    for len in 0..bytes.len() {
        cut.record(len, &bytes[..len], &original);
    }
    cut.assert_all_refused("truncations");
    assert_eq!(
        cut.damaged,
        bytes.len(),
        "every cut file is damaged, none foreign"
    );

    let mut grown = Tally::default();
    for value in [b'\n', b' ', b'A', 0, 0xff] {
        let mut longer = bytes.clone();
        longer.push(value);
        grown.record(value as usize, &longer, &original);
    }
    grown.assert_all_refused("appended bytes");
}

/// A few changes through the real binary: the exit code names the damage, nothing
/// panics, and neither a read nor a change writes anything.
#[test]
fn damaged_files_are_refused_by_the_cli_without_a_write() {
    let _heavy = common::heavy();
    let env = Env::with_vault();
    env.add("Thunderbird", "me@icloud.com", "Mail", &asp(1), "2026-01-02");
    let good = env.vault_bytes();
    std::fs::remove_file(env.backup()).unwrap();
    let step = if long_run() { 1 } else { 41 };
    let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
    for at in (0..good.len()).step_by(step) {
        let mut changed = good.clone();
        changed[at] ^= 0x04;
        cases.push((format!("byte {at} changed"), changed));
    }
    for len in (0..good.len()).step_by(step * 3) {
        cases.push((format!("cut to {len} bytes"), good[..len].to_vec()));
    }
    let mut refused = 0;
    for (what, bytes) in &cases {
        std::fs::write(env.vault(), bytes).unwrap();
        for args in [&["list"][..], &["rm", "Thunderbird", "--yes"][..]] {
            let out = env.aspen(args).output().unwrap();
            let code = out.status.code();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                matches!(code, Some(5)),
                "{what}: aspen {args:?} exited {code:?}: {stderr}"
            );
            assert!(
                stderr.contains("damaged")
                    || stderr.contains("not an aspen vault")
                    || stderr.contains("newer")
            );
            assert_eq!(
                &std::fs::read(env.vault()).unwrap(),
                bytes,
                "{what}: the file was written"
            );
            assert!(!env.backup().exists(), "{what}: a backup was written");
            refused += 1;
        }
    }
    let dir = env.vault().parent().unwrap().to_path_buf();
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "vault.aspen" && n != "vault.aspen.lock")
        .collect();
    assert!(names.is_empty(), "stray files: {names:?}");
    eprintln!(
        "cli damage: {refused} runs over {} damaged files, all exit 5, no write",
        cases.len()
    );
}

/// Recomputes the header check after an edit, as a forger would (see
/// docs/vault-format.md, "Header check").
fn reseal(text: &str) -> String {
    use blake2::{Blake2b, Digest, digest::consts::U16};
    let field = "    header_check: \"";
    let start = text.find(field).unwrap();
    let mut h = Blake2b::<U16>::new();
    h.update(b"aspen header check v1\0");
    h.update(&text.as_bytes()[..start]);
    let value_at = start + field.len();
    format!(
        "{}{}{}",
        &text[..value_at],
        hex::encode(h.finalize()),
        &text[value_at + 32..]
    )
}

/// A header someone rewrote on purpose, with a valid checksum: weaker parameters or
/// another passphrase's key check. It must not open, and nothing is written.
#[test]
fn a_deliberately_forged_header_never_opens_and_is_never_used() {
    let (_, bytes) = small_vault();
    let text = String::from_utf8(bytes).unwrap();
    let pass = SecretString::from(PASSPHRASE);

    // Another vault, another passphrase: its header (valid checksum) on our payload.
    let other_key = VaultKey::derive(
        &SecretString::from("someone else"),
        KdfParams::new(INSECURE, [9; SALT_LEN]),
    )
    .unwrap();
    let other = String::from_utf8(vault_file::encode(&Vault::default(), &other_key).unwrap()).unwrap();
    let at = |t: &str| t.find("-----BEGIN").unwrap();
    let spliced = format!("{}{}", &other[..at(&other)], &text[at(&text)..]);
    assert_eq!(
        vault_file::decode(spliced.as_bytes(), &pass).unwrap_err(),
        FormatError::WrongPassphrase
    );
    assert!(matches!(
        vault_file::decode(spliced.as_bytes(), &SecretString::from("someone else")),
        Err(FormatError::Damaged(_))
    ));

    // Other parameters with the checksum recomputed (the test cost is already
    // Argon2's minimum, so one pass more): the key differs, so the key check fails
    // before anything is decrypted.
    let edited = text.replacen("passes: 1,", "passes: 2,", 1);
    assert_ne!(edited, text);
    let reshaped = reseal(&edited);
    assert_eq!(
        vault_file::decode(reshaped.as_bytes(), &pass).unwrap_err(),
        FormatError::WrongPassphrase
    );

    // Through the CLI: the forged file stays as it is, byte for byte.
    let env = Env::with_vault();
    std::fs::remove_file(env.backup()).ok();
    std::fs::write(env.vault(), spliced.as_bytes()).unwrap();
    let out = env
        .aspen(&[
            "add",
            "--label",
            "x",
            "--apple-id",
            "me@icloud.com",
            "--app",
            "x",
            "--password-stdin",
        ])
        .write_stdin(format!("{}\n", asp(3)))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read(env.vault()).unwrap(), spliced.as_bytes());
    assert!(!env.backup().exists());
}
