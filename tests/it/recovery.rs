//! Recovery keys (issue 23): `aspen recovery-key add|list|remove` and `aspen recover`
//! on the real binary, the stock `age` decrypting a payload with the recovery key
//! alone, a forged payload refused, and the merge of two copies' keys.
#![allow(clippy::unwrap_used, clippy::disallowed_methods)]

use std::process::Command;

use aspen::model::{RecoveryKey, merge};
use aspen::vault_file::{self, FormatError, RecoveryIdentity};

use crate::common::{Env, asp, require_tool};
use crate::merge_rules::{base, day, saved};

/// A vault with two passwords and a recovery key written to `key.txt`; the key's
/// recipient.
fn vault_with_key() -> (Env, String) {
    let env = Env::with_vault();
    env.add("Mail", "me@icloud.com", "Mail", &asp(1), "2026-01-01");
    env.add("Calendar", "me@icloud.com", "Calendar", &asp(2), "2026-01-01");
    let out = env
        .aspen(&[
            "recovery-key",
            "add",
            "--output",
            env.path("key.txt").to_str().unwrap(),
        ])
        .assert()
        .success();
    let said = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    let key = std::fs::read_to_string(env.path("key.txt")).unwrap();
    let recipient = key
        .lines()
        .find_map(|l| l.strip_prefix("# public key: "))
        .unwrap()
        .to_owned();
    assert!(
        said.contains(&format!("Added the recovery key {recipient}")),
        "{said}"
    );
    (env, recipient)
}

/// The armored age payload of the vault file, cut out as `sed` would.
fn payload(bytes: &[u8]) -> Vec<u8> {
    let text = std::str::from_utf8(bytes).unwrap();
    let at = text.find("-----BEGIN AGE ENCRYPTED FILE-----\n").unwrap();
    text.as_bytes()[at..].to_vec()
}

fn age_decrypt(
    age: &std::path::Path,
    key: &std::path::Path,
    payload: &std::path::Path,
) -> std::process::Output {
    Command::new(age)
        .arg("-d")
        .arg("-i")
        .arg(key)
        .arg(payload)
        .output()
        .unwrap()
}

#[test]
fn the_key_file_is_private_and_never_replaced() {
    use std::os::unix::fs::PermissionsExt;
    let (env, _) = vault_with_key();
    let mode = std::fs::metadata(env.path("key.txt"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    let before = std::fs::read(env.vault()).unwrap();
    env.aspen(&["recovery-key", "add", "-o", env.path("key.txt").to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("will not overwrite"));
    // Without a terminal and without a file the key would be shown nowhere.
    env.aspen(&["recovery-key", "add"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("shown once, on a terminal"))
        .stderr(predicates::str::contains("--output FILE"));
    assert_eq!(std::fs::read(env.vault()).unwrap(), before, "nothing was saved");
}

#[test]
fn stock_age_decrypts_the_payload_with_the_recovery_key_alone() {
    let Some(age) = require_tool("age") else { return };
    let (env, recipient) = vault_with_key();
    std::fs::write(env.path("payload.age"), payload(&env.vault_bytes())).unwrap();
    let out = age_decrypt(&age, &env.path("key.txt"), &env.path("payload.age"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let plain = String::from_utf8(out.stdout).unwrap();
    assert!(plain.starts_with("(\n    format_version: 3,"), "{plain}");
    assert!(plain.contains(&format!("password: Some(\"{}\")", asp(2))));
    assert!(plain.contains(&format!("recipient: \"{recipient}\"")));

    // Removed: the vault as saved now no longer opens with it.
    env.aspen(&["recovery-key", "remove", "1"])
        .assert()
        .success()
        .stderr(predicates::str::contains(format!(
            "Removed the recovery key {recipient}"
        )))
        .stderr(predicates::str::contains("still open with it"));
    std::fs::write(env.path("payload.age"), payload(&env.vault_bytes())).unwrap();
    let out = age_decrypt(&age, &env.path("key.txt"), &env.path("payload.age"));
    assert!(!out.status.success());
    // The backup, saved before the removal, still does: as the docs say.
    std::fs::write(
        env.path("backup.age"),
        payload(&std::fs::read(env.backup()).unwrap()),
    )
    .unwrap();
    assert!(
        age_decrypt(&age, &env.path("key.txt"), &env.path("backup.age"))
            .status
            .success()
    );
    env.aspen(&["recovery-key", "list"])
        .assert()
        .success()
        .stderr(predicates::str::contains("No recovery key"));
}

#[test]
fn stock_age_decrypts_the_version_3_vector_with_its_recovery_key() {
    let Some(age) = require_tool("age") else { return };
    let env = Env::new();
    let vectors = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/");
    let bytes = std::fs::read(format!("{vectors}v3.aspen")).unwrap();
    std::fs::write(env.path("payload.age"), payload(&bytes)).unwrap();
    let secret = crate::format_vector_v3::RECOVERY_SECRET;
    std::fs::write(env.path("key.txt"), format!("{secret}\n")).unwrap();
    let out = age_decrypt(&age, &env.path("key.txt"), &env.path("payload.age"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        out.stdout,
        std::fs::read(format!("{vectors}v3.plain.ron")).unwrap()
    );
}

#[test]
fn recover_sets_a_new_passphrase_and_the_old_one_no_longer_opens() {
    let (env, recipient) = vault_with_key();
    std::fs::write(env.path("new"), "a new and long passphrase\n").unwrap();
    env.aspen(&[
        "recover",
        "--identity",
        env.path("key.txt").to_str().unwrap(),
        "--new-passphrase-file",
        env.path("new").to_str().unwrap(),
        "--insecure-kdf",
    ])
    .assert()
    .success()
    .stderr(predicates::str::contains("opens with the new passphrase now"))
    .stderr(predicates::str::contains(&recipient));
    // The old passphrase (the env's passphrase file) is wrong now.
    env.aspen(&["list"]).assert().code(4);
    let listed = env
        .aspen(&["list", "--passphrase-file", env.path("new").to_str().unwrap()])
        .assert()
        .success();
    let listed = String::from_utf8(listed.get_output().stdout.clone()).unwrap();
    assert!(listed.contains("Mail") && listed.contains("Calendar"), "{listed}");
    // The key still opens it, and the backup holds the version before.
    env.aspen(&[
        "recovery-key",
        "list",
        "--passphrase-file",
        env.path("new").to_str().unwrap(),
    ])
    .assert()
    .success()
    .stdout(predicates::str::contains(&recipient));
    env.aspen(&["list", "--vault", env.backup().to_str().unwrap()])
        .assert()
        .success();
}

#[test]
fn a_wrong_key_is_refused_and_nothing_is_written() {
    let (env, _) = vault_with_key();
    let other = RecoveryIdentity::from_bytes(&[42; 32]).unwrap();
    std::fs::write(env.path("other.txt"), format!("{}\n", other.secret().expose())).unwrap();
    std::fs::write(env.path("new"), "a new and long passphrase\n").unwrap();
    let before = env.vault_bytes();
    let recover = |key: &str| {
        env.aspen(&[
            "recover",
            "--identity",
            env.path(key).to_str().unwrap(),
            "--new-passphrase-file",
            env.path("new").to_str().unwrap(),
            "--insecure-kdf",
        ])
        .assert()
    };
    recover("other.txt")
        .code(4)
        .stderr(predicates::str::contains("this key does not open this vault"));
    std::fs::write(env.path("junk.txt"), "AGE-SECRET-KEY-1NOTAKEY\n").unwrap();
    recover("junk.txt")
        .code(2)
        .stderr(predicates::str::contains("not a valid age X25519 key"));
    std::os::unix::fs::symlink(env.path("key.txt"), env.path("link.txt")).unwrap();
    recover("link.txt")
        .code(2)
        .stderr(predicates::str::contains("a symbolic link"));
    assert_eq!(env.vault_bytes(), before);
}

/// Someone who learned a key's public half (from `recovery-key list`) encrypts a
/// payload of their own to it, under the real header: without the key's check
/// value the vault in it is not taken for aspen's.
#[test]
fn a_payload_forged_with_the_public_half_is_refused() {
    let (env, recipient) = vault_with_key();
    let bytes = env.vault_bytes();
    let (header, _) = vault_file::split(&bytes).unwrap();
    let mut forged_vault = aspen::model::Vault::default();
    forged_vault
        .add_recovery_key(RecoveryKey {
            recipient: recipient.clone(),
            check: "0".repeat(32),
            added: day(1),
        })
        .unwrap();
    let plain = vault_file::plaintext(&forged_vault, &header.kdf);
    let to: age::x25519::Recipient = recipient.parse().unwrap();
    let encryptor = age::Encryptor::with_recipients(std::iter::once(&to as &dyn age::Recipient)).unwrap();
    let text = std::str::from_utf8(&bytes).unwrap();
    let head = &text[..text.find("-----BEGIN AGE").unwrap()];
    let mut forged = head.as_bytes().to_vec();
    let armor = age::armor::ArmoredWriter::wrap_output(&mut forged, age::armor::Format::AsciiArmor).unwrap();
    let mut writer = encryptor.wrap_output(armor).unwrap();
    std::io::Write::write_all(&mut writer, plain.as_bytes()).unwrap();
    writer.finish().unwrap().finish().unwrap();

    let key = RecoveryIdentity::parse(&std::fs::read_to_string(env.path("key.txt")).unwrap()).unwrap();
    let refused = vault_file::decode_with_identity(&forged, &key).unwrap_err();
    assert!(
        matches!(&refused, FormatError::Damaged(d) if d.contains("does not list the key")),
        "{refused:?}"
    );
    // The genuine file opens with the key.
    assert!(vault_file::decode_with_identity(&bytes, &key).is_ok());
    // On disk, `aspen recover` says it is damaged and writes nothing.
    std::fs::write(env.vault(), &forged).unwrap();
    std::fs::write(env.path("new"), "a new and long passphrase\n").unwrap();
    env.aspen(&[
        "recover",
        "--identity",
        env.path("key.txt").to_str().unwrap(),
        "--new-passphrase-file",
        env.path("new").to_str().unwrap(),
        "--insecure-kdf",
    ])
    .assert()
    .code(5)
    .stderr(predicates::str::contains("does not list the key"));
    assert_eq!(env.vault_bytes(), forged);
}

fn listed(byte: u8) -> RecoveryKey {
    RecoveryIdentity::from_bytes(&[byte; 32]).unwrap().listed(day(1))
}

#[test]
fn a_merge_keeps_both_copies_keys_and_a_removal_stays_removed() {
    let start = base(2);
    let a = saved(&start, 1, |v| v.add_recovery_key(listed(1)).unwrap());
    let b = saved(&start, 2, |v| v.add_recovery_key(listed(2)).unwrap());
    let (merged, _) = merge(None, vault_file::duplicate(&a), vault_file::duplicate(&b));
    let keys: Vec<&str> = merged.recovery.iter().map(|k| k.recipient.as_str()).collect();
    assert_eq!(keys, [listed(1).recipient, listed(2).recipient]);
    let (other_way, _) = merge(None, vault_file::duplicate(&b), vault_file::duplicate(&a));
    assert_eq!(other_way.recovery.len(), 2);

    // Machine 1 removes key 2 after seeing it; an older copy that still lists it
    // (machine 2's) does not bring it back, from either side.
    let removed = saved(&merged, 1, |v| {
        v.remove_recovery_key(&listed(2).recipient, day(3)).unwrap();
    });
    for (ours, theirs) in [(&removed, &b), (&b, &removed)] {
        let (m, _) = merge(None, vault_file::duplicate(ours), vault_file::duplicate(theirs));
        assert_eq!(m.recovery, [listed(1)]);
        assert_eq!(m.recovery_removed.len(), 1);
        assert_eq!(m.recovery_removed[0].recipient, listed(2).recipient);
        m.check_invariants().unwrap();
        // And merging again changes nothing.
        let (again, _) = merge(None, vault_file::duplicate(&m), vault_file::duplicate(theirs));
        assert_eq!(again, m);
    }
    // A removed key is never listed again.
    let mut v = vault_file::duplicate(&removed);
    assert!(v.add_recovery_key(listed(2)).is_err());
    assert!(v.remove_recovery_key("age1nothere", day(3)).is_err());
}

/// Saved and merged through aspen's own doors: `aspen merge` takes in a copy whose
/// only news is a recovery key, and the result is encrypted to it.
#[test]
fn aspen_merge_brings_in_a_key_added_on_another_copy() {
    let env = Env::with_vault();
    env.add("Mail", "me@icloud.com", "Mail", &asp(1), "2026-01-01");
    let copy = env.copy_for_another_machine("copy.aspen");
    env.aspen(&[
        "recovery-key",
        "add",
        "--vault",
        copy.to_str().unwrap(),
        "-o",
        env.path("key.txt").to_str().unwrap(),
    ])
    .assert()
    .success();
    let key = RecoveryIdentity::parse(&std::fs::read_to_string(env.path("key.txt")).unwrap()).unwrap();
    env.aspen(&["merge", copy.to_str().unwrap()])
        .assert()
        .success()
        .stderr(predicates::str::contains(format!(
            "note: the merged copy listed the recovery key {}",
            key.recipient()
        )));
    let _ = RecoveryIdentity::parse(&std::fs::read_to_string(env.path("key.txt")).unwrap()).unwrap();
    let vault = vault_file::decode_with_identity(&env.vault_bytes(), &key).unwrap();
    assert_eq!(vault.recovery.len(), 1);
}

/// The TUI suggests a recovery key once, when the vault comes to hold its third
/// password without one, and its overview says whether the vault has one.
#[test]
fn the_tui_suggests_a_key_at_the_third_password_and_shows_whether_there_is_one() {
    use crate::harness::{App, PASSPHRASE};
    let said = |app: &App| {
        app.state
            .message
            .as_ref()
            .map(|m| m.text.clone())
            .unwrap_or_default()
    };
    let mut app = App::new("default");
    app.create();
    for (n, label) in [(1, "Mail"), (2, "Calendar"), (3, "Contacts"), (4, "Notes")] {
        app.add(label, "me@icloud.com", label, &asp(n), "2026-01-01");
        let text = said(&app);
        assert!(text.starts_with(&format!("Added \"{label}\"")), "{text}");
        // Once: at the third password, not before and not after.
        assert_eq!(text.contains("aspen recovery-key add"), n == 3, "{text}");
    }
    app.press('o');
    assert!(app.screen().contains("no recovery key"), "{}", app.screen());

    // A key added by the command line meanwhile: the overview says so.
    app.press('L');
    let paths = crate::common::vault_paths(app.dir.path().join("vault.aspen"));
    let key = listed(9);
    aspen::app::change(
        &paths,
        jiff::civil::date(2026, 11, 20),
        aspen::app::Consent::default(),
        || Ok(aspen::secret::SecretString::from(PASSPHRASE)),
        |_| Ok(Some(())),
        |v, ()| Ok(v.add_recovery_key(key)?),
    )
    .unwrap();
    app.unlock();
    app.press('o');
    assert!(app.screen().contains("recovery key kept"), "{}", app.screen());
}

/// `recovery-key add` on a real terminal (tmux): the key shown as a QR code and as
/// text, and saved only when the user says it was kept.
#[test]
fn on_a_terminal_the_key_is_shown_once_and_saved_only_when_kept() {
    use std::time::{Duration, Instant};
    let Some(tmux) = require_tool("tmux") else { return };
    let env = Env::with_vault();
    let socket = format!("aspen-recovery-{}", std::process::id());
    let run = |args: &[&str]| {
        Command::new(&tmux)
            .args(["-L", &socket, "-f", "/dev/null"])
            .args(args)
            .output()
            .unwrap()
    };
    let aspen = assert_cmd::cargo::cargo_bin("aspen");
    let shell = format!(
        "cd {home} && HOME={home} XDG_DATA_HOME={home}/data XDG_CONFIG_HOME={home}/config \
         ASPEN_TODAY=2026-11-20 ASPEN_PASSPHRASE_FILE=pass NO_COLOR=1 {} recovery-key add; \
         echo add-exited-$?; sleep 60",
        aspen.display(),
        home = env.dir.path().display(),
    );
    let wait_for = |text: &str| {
        let start = Instant::now();
        loop {
            let out = run(&["capture-pane", "-p", "-t", "main"]);
            let screen = String::from_utf8_lossy(&out.stdout).into_owned();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "no {text:?} in:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    for answer in ["n", "y"] {
        let before = env.vault_bytes();
        let started = run(&[
            "new-session",
            "-d",
            "-x",
            "100",
            "-y",
            "40",
            "-s",
            "main",
            "sh",
            "-c",
            &shell,
        ]);
        assert!(
            started.status.success(),
            "tmux new-session: {}",
            String::from_utf8_lossy(&started.stderr)
        );
        let screen = wait_for("[y/N]");
        let secret = screen
            .lines()
            .find(|l| l.starts_with("AGE-SECRET-KEY-1"))
            .unwrap()
            .trim()
            .to_owned();
        assert!(
            screen.lines().filter(|l| l.contains('█')).count() > 10,
            "{screen}"
        );
        run(&["send-keys", "-t", "main", answer, "Enter"]);
        let screen = wait_for("add-exited-0");
        // The session, not the server: a server killed now may still be exiting when
        // the next new-session asks it to start one.
        run(&["kill-session", "-t", "main"]);
        let key = RecoveryIdentity::parse(&secret).unwrap();
        if answer == "n" {
            assert!(screen.contains("No recovery key was added"), "{screen}");
            assert_eq!(env.vault_bytes(), before);
        } else {
            assert!(screen.contains("Added the recovery key"), "{screen}");
            let vault = vault_file::decode_with_identity(&env.vault_bytes(), &key).unwrap();
            assert_eq!(vault.recovery[0].recipient, key.recipient());
        }
    }
    run(&["kill-server"]);
}
