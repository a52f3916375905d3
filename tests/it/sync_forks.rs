//! Two copies of one vault changed on one machine (issue 18): a copy on a USB stick,
//! a restored backup, the `--accept-older` recovery, a sync tool's conflict copy made
//! here. Each is a line of saves of its own, so a merge keeps both; and the guards
//! every door to the vault passes (rollback, cost, another vault, nothing new).
#![allow(clippy::unwrap_used)]

use predicates::str::contains;

use crate::common::{Env, asp};

const ME: &str = "me@icloud.com";

/// `aspen [FLAGS] add LABEL` (one app, created 2026-01-01) with password `n` on stdin.
fn add_with(env: &Env, flags: &[&str], label: &str, n: usize) {
    let mut args: Vec<&str> = flags.to_vec();
    args.extend([
        "add",
        "--label",
        label,
        "--apple-id",
        ME,
        "--app",
        "Mail",
        "--created",
        "2026-01-01",
        "--password-stdin",
    ]);
    env.aspen(&args)
        .write_stdin(format!("{}\n", asp(n)))
        .assert()
        .success();
}

fn reveal(env: &Env, label: &str) -> String {
    env.stdout(&["reveal", label]).trim().to_owned()
}

#[test]
fn a_regeneration_survives_the_accept_older_recovery_and_a_merge() {
    let env = Env::with_vault();
    env.add("E", ME, "Mail", &asp(1), "2026-01-01");
    let old = env.path("old.aspen");
    std::fs::copy(env.vault(), &old).unwrap();
    env.aspen(&["regenerate", "E", "--password-stdin"])
        .write_stdin(format!("{}\n", asp(2)))
        .assert()
        .success();
    let newer = env.path("newer.aspen");
    std::fs::copy(env.vault(), &newer).unwrap();
    std::fs::copy(&old, env.vault()).unwrap();
    env.aspen(&["--accept-older", "edit", "E", "--notes", "x"])
        .assert()
        .success();
    env.aspen(&["merge", newer.to_str().unwrap()])
        .assert()
        .success()
        .stderr(contains("nothing new").not());
    assert_eq!(
        reveal(&env, "E"),
        asp(2),
        "the regenerated password is the live one"
    );
    let show = env.stdout(&["show", "E"]);
    assert!(
        show.contains('x'),
        "the notes changed on the old copy stay: {show}"
    );
}

#[test]
fn a_conflict_copy_changed_on_this_machine_keeps_its_new_entry() {
    let env = Env::with_vault();
    env.add("A", ME, "Mail", &asp(1), "2026-01-01");
    let copy = env.path("data/aspen/vault.sync-conflict-20261129-101500-ABCDEF1.aspen");
    std::fs::copy(env.vault(), &copy).unwrap();
    // The copy is changed here first, then the vault: two lines of one machine.
    env.aspen(&[
        "--vault",
        copy.to_str().unwrap(),
        "edit",
        "A",
        "--notes",
        "on the copy",
    ])
    .assert()
    .success();
    add_with(&env, &["--vault", copy.to_str().unwrap()], "From copy", 3);
    add_with(&env, &["--accept-older"], "From vault", 4);
    env.aspen(&["merge", copy.to_str().unwrap()])
        .assert()
        .success()
        .stderr(contains("added \"From copy\""));
    assert_eq!(env.labels(&[]), ["A", "From copy", "From vault"]);
    assert_eq!(reveal(&env, "From copy"), asp(3));
}

#[test]
fn a_merge_that_brings_nothing_leaves_the_vault_and_its_backup_byte_identical() {
    let env = Env::with_vault();
    env.add("A", ME, "Mail", &asp(1), "2026-01-01");
    env.add("B", ME, "Mail", &asp(2), "2026-01-01");
    let copy = env.path("copy.aspen");
    std::fs::copy(env.vault(), &copy).unwrap();
    let (vault, backup) = (env.vault_bytes(), std::fs::read(env.backup()).unwrap());
    env.aspen(&["merge", copy.to_str().unwrap()])
        .assert()
        .success()
        .stderr(contains("Nothing new in"));
    assert_eq!(env.vault_bytes(), vault);
    assert_eq!(std::fs::read(env.backup()).unwrap(), backup);
}

#[test]
fn a_copy_of_another_vault_is_merged_only_when_the_user_says_so() {
    let env = Env::with_vault();
    env.add("A", ME, "Mail", &asp(1), "2026-01-01");
    // Another vault, the same passphrase, planted under a conflict copy's name.
    let other = Env::with_vault();
    other.add("Work", ME, "Mail", &asp(2), "2026-01-01");
    let planted = env.path("data/aspen/vault 2.aspen");
    std::fs::copy(other.vault(), &planted).unwrap();
    let before = env.vault_bytes();
    env.aspen(&["merge", planted.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(contains("a copy of another vault"))
        .stderr(contains("--other-vault"));
    assert_eq!(env.vault_bytes(), before, "nothing was merged");
    env.aspen(&["merge", "--other-vault", planted.to_str().unwrap()])
        .assert()
        .success()
        .stderr(contains("added \"Work\""));
}

#[test]
fn passwd_and_merge_refuse_an_older_copy_like_every_change() {
    let env = Env::with_vault();
    let oldest = env.path("oldest.aspen");
    std::fs::copy(env.vault(), &oldest).unwrap();
    env.add("A", ME, "Mail", &asp(1), "2026-01-01");
    let old = env.vault_bytes();
    env.add("B", ME, "Mail", &asp(2), "2026-01-01");
    let newer = env.path("newer.aspen");
    std::fs::copy(env.vault(), &newer).unwrap();
    std::fs::write(env.vault(), &old).unwrap();
    std::fs::write(env.path("new-pass"), "another long passphrase here\n").unwrap();
    env.aspen(&[
        "passwd",
        "--new-passphrase-file",
        env.path("new-pass").to_str().unwrap(),
    ])
    .assert()
    .code(6)
    .stderr(contains("older than a version of it"));
    // A copy that does not bring it up to date leaves it older: refused.
    env.aspen(&["merge", oldest.to_str().unwrap()])
        .assert()
        .code(6)
        .stderr(contains("older than a version of it"));
    assert_eq!(env.vault_bytes(), old, "the older copy is untouched");
    // The newer copy merged in is the remedy the hint names: it goes through, and
    // the vault is no longer older.
    env.aspen(&["merge", newer.to_str().unwrap()]).assert().success();
    assert_eq!(env.labels(&[]), ["A", "B"]);
    env.aspen(&["list"])
        .assert()
        .success()
        .stderr(contains("older than").not());
}

#[test]
fn a_copy_asking_for_a_far_costlier_derivation_is_not_derived_without_consent() {
    let env = Env::with_vault();
    env.add("A", ME, "Mail", &asp(1), "2026-01-01");
    let other = Env::new();
    other
        .aspen(&["init", "--insecure-kdf", "--kdf-time", "4"])
        .assert()
        .success();
    let before = env.vault_bytes();
    env.aspen(&["merge", "--other-vault", other.vault().to_str().unwrap()])
        .assert()
        .code(5)
        .stderr(contains("far more than"))
        .stderr(contains("--accept-cost"));
    assert_eq!(env.vault_bytes(), before);
    env.aspen(&[
        "--accept-cost",
        "merge",
        "--other-vault",
        other.vault().to_str().unwrap(),
    ])
    .assert()
    .success();
}

use predicates::prelude::PredicateBooleanExt;

#[test]
fn a_format_1_copy_put_back_where_a_format_2_vault_was_seen_is_older() {
    let env = Env::new();
    std::fs::write(env.path("pass"), "aspen test vector\n").unwrap();
    std::fs::create_dir_all(env.vault().parent().unwrap()).unwrap();
    let vector = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/v1.aspen");
    std::fs::copy(&vector, env.vault()).unwrap();
    let label = env.labels(&[])[0].clone();
    // The first change upgrades it: this path now holds a format-2 vault.
    env.aspen(&["edit", &label, "--notes", "upgraded"])
        .assert()
        .success();
    std::fs::copy(&vector, env.vault()).unwrap();
    env.aspen(&["list"])
        .assert()
        .success()
        .stderr(contains("older than a version of it this machine has seen"));
    env.aspen(&["edit", &label, "--notes", "again"]).assert().code(6);
    assert_eq!(
        std::fs::read(env.vault()).unwrap(),
        std::fs::read(&vector).unwrap()
    );
}

#[test]
fn a_vault_id_that_is_not_aspens_shape_is_refused_as_damaged() {
    use aspen::model::{Vault, VaultId};
    use aspen::vault_file::{KdfParams, parse_plaintext, plaintext};
    let vault = Vault {
        id: VaultId::from_random([7; 16]),
        ..Vault::default()
    };
    let kdf = KdfParams::new(aspen::vault_file::INSECURE, [1; 32]);
    let text = plaintext(&vault, &kdf);
    assert!(parse_plaintext(text.as_bytes()).is_ok());
    let planted = text.replace(vault.id.as_str(), "../../../../tmp/x");
    let err = parse_plaintext(planted.as_bytes()).unwrap_err();
    assert!(err.to_string().contains("vault id"), "{err}");
}

#[test]
fn a_save_counter_at_its_top_does_not_wrap() {
    use aspen::model::{MachineId, Vault, VaultId, stamp};
    let top = Vault {
        id: VaultId::from_random([7; 16]),
        saves: u64::MAX,
        ..Vault::default()
    };
    let mut next = aspen::vault_file::duplicate(&top);
    stamp(
        &top,
        &mut next,
        &MachineId::from_random([1; 8]),
        jiff::civil::date(2026, 11, 20),
    );
    assert_eq!(
        next.saves,
        u64::MAX,
        "a counter that wrapped would look like a new vault"
    );
}

/// A vault of `n` active entries, opened as the TUI holds it: the vault, its key
/// and the file as read.
fn session_of(dir: &std::path::Path, n: u8) -> (aspen::storage::VaultPaths, aspen::app::Opened) {
    use aspen::app::{self, Consent, NewVaultCost};
    use aspen::secret::SecretString;
    let paths = crate::common::vault_paths(dir.join("vault.aspen"));
    let pass = || Ok(SecretString::from("pass phrase"));
    app::create_vault(&paths, &pass().unwrap(), NewVaultCost::Insecure).unwrap();
    let today = crate::merge_rules::day(20);
    app::change(
        &paths,
        today,
        Consent::default(),
        pass,
        |_| Ok(Some(())),
        |v, ()| {
            for k in 1..=n {
                v.add(
                    crate::merge_rules::id(k),
                    crate::merge_rules::new(&format!("App {k}"), u32::from(k)),
                    today,
                )?;
            }
            Ok(())
        },
    )
    .unwrap();
    let opened = app::open(&paths, Consent::default(), pass).unwrap();
    (paths, opened)
}

/// Another aspen (the command line) adds `label` to the same file meanwhile.
fn added_elsewhere(dir: &std::path::Path, label: &str, n: u32) {
    use aspen::app::{self, Consent};
    let paths = crate::common::vault_paths(dir.join("vault.aspen")).with_state_dir(dir.join("cli-state"));
    let today = crate::merge_rules::day(20);
    let pass = || Ok(aspen::secret::SecretString::from("pass phrase"));
    app::change(
        &paths,
        today,
        Consent::default(),
        pass,
        |_| Ok(Some(())),
        |v, ()| {
            v.add(
                crate::merge_rules::id(200),
                crate::merge_rules::new(label, n),
                today,
            )
            .map(|_| ())
            .map_err(Into::into)
        },
    )
    .unwrap();
}

/// What `app::save` of the session changed by `change` answers.
fn save_view(
    paths: &aspen::storage::VaultPaths,
    opened: &aspen::app::Opened,
    change: impl FnOnce(&mut aspen::model::Vault),
) -> Result<aspen::model::Vault, (aspen::error::Error, bool)> {
    let mut view = aspen::vault_file::duplicate(&opened.vault);
    change(&mut view);
    let read = aspen::storage::Fingerprint::of(&opened.bytes);
    match aspen::app::save(paths, &view, &opened.key, &read, crate::merge_rules::day(20)) {
        Ok(saved) => Ok(saved.vault),
        Err(failed) => Err((failed.error, failed.on_disk.is_some())),
    }
}

#[test]
fn a_stale_view_cannot_pass_apples_25_through_a_merge() {
    let dir = tempfile::tempdir().unwrap();
    let (paths, opened) = session_of(dir.path(), 24);
    added_elsewhere(dir.path(), "From CLI", 300);
    let before = std::fs::read(paths.vault()).unwrap();
    // A password Apple lists that aspen does not hold, recorded on the stale view.
    let got = save_view(&paths, &opened, |v| {
        let mut entry = crate::merge_rules::new("From TUI", 400);
        entry.password = None;
        v.add(crate::merge_rules::id(201), entry, crate::merge_rules::day(20))
            .unwrap();
    });
    match got {
        Err((aspen::error::Error::ChangedOutside { .. }, shows_disk)) => {
            assert!(shows_disk, "the front end is handed the vault as it is now")
        }
        other => panic!("expected a refusal, got {:?}", other.map(|v| v.entries.len())),
    }
    assert_eq!(
        std::fs::read(paths.vault()).unwrap(),
        before,
        "nothing was written"
    );
}

#[test]
fn a_label_added_on_both_sides_of_a_stale_view_is_not_saved_twice() {
    let dir = tempfile::tempdir().unwrap();
    let (paths, opened) = session_of(dir.path(), 2);
    added_elsewhere(dir.path(), "Untracked", 300);
    // The same label recorded again on the stale view, without a password (an audit
    // run again): refused.
    let got = save_view(&paths, &opened, |v| {
        let mut entry = crate::merge_rules::new("Untracked", 301);
        entry.password = None;
        v.add(crate::merge_rules::id(201), entry, crate::merge_rules::day(20))
            .unwrap();
    });
    assert!(matches!(
        got,
        Err((aspen::error::Error::ChangedOutside { .. }, true))
    ));
    // A change that does not clash merges as before.
    let got = save_view(&paths, &opened, |v| {
        let entry = crate::merge_rules::new("Other", 302);
        v.add(crate::merge_rules::id(202), entry, crate::merge_rules::day(20))
            .unwrap();
    })
    .unwrap();
    let labels: Vec<&str> = got.entries.iter().map(|e| e.label.as_str()).collect();
    assert!(
        labels.contains(&"Untracked") && labels.contains(&"Other"),
        "{labels:?}"
    );
}

#[test]
fn resolving_towards_a_label_another_entry_holds_names_the_command_that_works() {
    let env = Env::with_vault();
    let copy = env.path("copy.aspen");
    std::fs::copy(env.vault(), &copy).unwrap();
    env.add("Mail", ME, "Mail", &asp(1), "2026-01-01");
    add_with(
        &env,
        &["--vault", copy.to_str().unwrap(), "--accept-older"],
        "Mail",
        2,
    );
    env.aspen(&["merge", copy.to_str().unwrap()]).assert().success();
    let out = env.aspen(&["conflicts", "--json"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "conflicts exits 1 when there are some"
    );
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let conflicts = listed.as_array().unwrap();
    assert_eq!(conflicts.len(), 1, "{listed}");
    assert_eq!(conflicts[0]["label"], "Mail (2)");
    let said = conflicts[0]["conflicts"][0].as_str().unwrap();
    assert!(said.contains("the copy merged in"), "{said}");
    assert!(!said.contains("machine"), "{said}");
    let out = env
        .aspen(&["resolve", "Mail (2)", "--keep", "theirs"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("aspen edit Mail --apple-id me@icloud.com --label NEW"),
        "{err}"
    );
    assert!(err.contains("--keep ours"), "{err}");
}

#[test]
fn a_new_password_typed_on_a_stale_view_is_never_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (paths, opened) = session_of(dir.path(), 24);
    added_elsewhere(dir.path(), "SmoothSync", 300);
    // The same label, with a password Apple just showed: refusing would lose it.
    let got = save_view(&paths, &opened, |v| {
        let entry = crate::merge_rules::new("SmoothSync", 401);
        v.add(crate::merge_rules::id(201), entry, crate::merge_rules::day(20))
            .unwrap();
    })
    .unwrap_or_else(|(e, _)| panic!("refused: {e}"));
    let held: Vec<String> = got
        .entries
        .iter()
        .filter_map(|e| e.password.as_ref().map(|p| p.expose().to_owned()))
        .collect();
    let typed = crate::merge_rules::asp(401);
    assert!(
        held.contains(&typed.expose().to_owned()),
        "the typed password is kept"
    );
    assert!(got.entries.iter().any(|e| e.label == "SmoothSync (2)"));
}
