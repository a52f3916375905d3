//! Issue 20: one password is one slot when entries meet under one Apple ID, by a
//! move (`edit --new-apple-id`) or by joining two Apple IDs (`apple-id rename` onto
//! a known one): never two entries of one password made silently, and the records
//! that say which old passwords Apple revoked travel with the entries.
#![allow(clippy::unwrap_used)]

use aspen::model::{ModelError, Vault};
use jiff::civil::date;

use crate::apple_count::{id, new, password, today};
use crate::common::{Env, asp};

/// A Revoke All recorded under the old Apple ID revoked the password a regeneration
/// left live; after the rename Apple still lists nothing for it.
#[test]
fn joining_apple_ids_keeps_the_revoke_all_that_revoked_an_old_password() {
    let mut v = Vault::default();
    v.add(
        id(1),
        new("Mail", "typo@icloud.com", 1, date(2026, 1, 1)),
        today(),
    )
    .unwrap();
    v.regenerate(&id(1), password(2), date(2026, 2, 1), today())
        .unwrap();
    assert_eq!(v.active_count("typo@icloud.com"), 2, "old and new live");
    v.revoke_all("typo@icloud.com", date(2026, 3, 1), today())
        .unwrap();
    assert_eq!(v.active_count("typo@icloud.com"), 0, "Revoke All took both");
    v.rename_apple_id("typo@icloud.com", "me@icloud.com", today())
        .unwrap();
    assert_eq!(v.active_count("me@icloud.com"), 0, "Apple lists nothing");
    let account = v.accounts.iter().find(|a| a.apple_id == "me@icloud.com").unwrap();
    assert_eq!(account.revoke_alls.len(), 1, "the record moved along");
}

/// Two Apple IDs joined where each has an active entry of one password would make two
/// entries of one slot: refused, naming both, and nothing changes.
#[test]
fn joining_apple_ids_that_hold_one_password_twice_is_refused() {
    let mut v = Vault::default();
    v.add(id(1), new("Mail", "me@icloud.com", 1, date(2026, 1, 1)), today())
        .unwrap();
    v.add(
        id(2),
        new("Phone mail", "typo@icloud.com", 1, date(2026, 1, 1)),
        today(),
    )
    .unwrap();
    let apple_ids = |v: &Vault| v.entries.iter().map(|e| e.apple_id.clone()).collect::<Vec<_>>();
    let before = apple_ids(&v);
    let refused = v.rename_apple_id("typo@icloud.com", "me@icloud.com", today());
    match refused {
        Err(ModelError::MoveWouldDuplicate(fold)) => {
            let names = (fold.label.as_str(), fold.holder.as_str(), fold.apple_id.as_str());
            assert_eq!(
                (names, fold.from.as_str()),
                (("Phone mail", "Mail", "me@icloud.com"), "typo@icloud.com")
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(apple_ids(&v), before, "nothing moved");
    assert_eq!(v.active_count("me@icloud.com"), 1);
}

/// The fold's commands work as printed when both entries have one label (the usual
/// case: the same app's password filed under a mistyped Apple ID): each names its
/// Apple ID, so neither is refused as ambiguous, and one entry is left, in one slot.
#[test]
fn the_fold_commands_work_when_both_entries_share_a_label() {
    let env = Env::with_vault();
    env.add("Mail", "me@icloud.com", "Thunderbird", &asp(1), "2026-01-01");
    env.add("Mail", "typo@icloud.com", "K-9 Mail", &asp(1), "2026-01-01");
    let out = env
        .aspen(&[
            "edit",
            "Mail",
            "--apple-id",
            "typo@icloud.com",
            "--new-apple-id",
            "me@icloud.com",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let hint = err.lines().find(|l| l.contains("aspen edit")).expect("a hint");
    let commands = hint[hint.find("aspen edit").unwrap()..].trim_end_matches('.');
    let (edit, rm) = commands.split_once(", then ").expect("two commands");
    for command in [edit, rm.to_owned().replace("aspen rm", "aspen rm --yes").as_str()] {
        let args = shell_words(command.strip_prefix("aspen ").unwrap());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = env.aspen(&args).output().unwrap();
        assert!(
            out.status.success(),
            "{command}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = env.aspen(&["list", "--json"]).output().unwrap();
    let listed: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mail: Vec<_> = listed.iter().filter(|e| e["label"] == "Mail").collect();
    assert_eq!(mail.len(), 1, "{listed:?}");
    assert_eq!(mail[0]["apple_id"], "me@icloud.com");
    assert_eq!(mail[0]["apps"], serde_json::json!(["Thunderbird", "K-9 Mail"]));
}

/// Splits a printed command as a shell would (single quotes only, as aspen prints).
fn shell_words(line: &str) -> Vec<String> {
    let (mut words, mut word, mut quoted, mut any) = (Vec::new(), String::new(), false, false);
    for c in line.chars() {
        match c {
            '\'' => (quoted, any) = (!quoted, true),
            ' ' if !quoted => {
                if any {
                    words.push(std::mem::take(&mut word));
                }
                any = false;
            }
            c => (word.push(c), any = true).0,
        }
    }
    if any {
        words.push(word);
    }
    words
}

/// A reset recorded under a mistyped spelling of the Apple ID revoked every password
/// of the one Apple ID, those filed under the right spelling too: joined, the entry
/// of the right spelling that predates the reset is revoked by it, and counts no more.
#[test]
fn joining_apple_ids_applies_each_ones_reset_to_the_others_passwords() {
    let mut v = Vault::default();
    v.add(id(1), new("Mail", "me@icloud.com", 1, date(2026, 1, 1)), today())
        .unwrap();
    v.add(
        id(2),
        new("Calendar", "typo@icloud.com", 2, date(2026, 1, 1)),
        today(),
    )
    .unwrap();
    v.reset("typo@icloud.com", date(2026, 3, 1), today()).unwrap();
    v.add(id(3), new("Notes", "me@icloud.com", 3, date(2026, 4, 1)), today())
        .unwrap();
    assert_eq!(v.active_count("me@icloud.com"), 2);
    v.rename_apple_id("typo@icloud.com", "me@icloud.com", today())
        .unwrap();
    assert_eq!(
        v.active_count("me@icloud.com"),
        1,
        "Apple lists only the password created after the reset"
    );
    assert!(!v.entry(&id(1)).unwrap().is_active(), "Mail predates the reset");
    assert!(v.entry(&id(3)).unwrap().is_active(), "Notes came after it");
}
