//! The user's stories, through the real `aspen` binary.
#![allow(clippy::unwrap_used, clippy::disallowed_methods)]

use crate::common;

use common::{Env, asp};
use predicates::prelude::*;
use predicates::str::contains;

#[test]
fn init_add_list_slots_reset_regenerate_check() {
    let env = Env::with_vault();
    env.aspen(&[
        "add",
        "--label",
        "Thunderbird",
        "--apple-id",
        "Me@iCloud.com",
        "--app",
        "Thunderbird (laptop)",
        "--app",
        "K-9 Mail",
        "--created",
        "2026-03-01",
        "--password-stdin",
    ])
    .write_stdin("abcd efgh ijkl mnop\n")
    .assert()
    .success()
    .stderr(contains("Added \"Thunderbird\" for me@icloud.com"));
    env.add("SmoothSync", "me@icloud.com", "SmoothSync", &asp(2), "2026-11-10");
    env.add("Family", "kid@icloud.com", "Mail", &asp(3), "2026-05-01");

    let list = env.stdout(&["list"]);
    assert!(list.contains("Thunderbird (laptop), K-9 Mail"), "{list}");
    assert!(!list.contains("abcd"), "list never prints passwords");

    let slots = env.json(&["slots", "--json"]);
    assert_eq!(slots[1]["apple_id"], "me@icloud.com");
    assert_eq!(slots[1]["active"], 2);
    assert_eq!(slots[1]["free"], 23);
    assert_eq!(slots[1]["limit"], 25);

    env.aspen(&["check"]).assert().code(0);

    // "I changed my Apple ID password on 2026-11-02."
    env.aspen(&["reset", "--apple-id", "me@icloud.com", "--date", "2026-11-02"])
        .assert()
        .success()
        .stdout(contains("Apple revoked 1 app-specific password."))
        .stdout(contains("[ ] Thunderbird — Thunderbird (laptop), K-9 Mail"))
        .stdout(contains("SmoothSync").not());

    let check = env.json(&["list", "--json", "--attention"]);
    assert_eq!(check.as_array().unwrap().len(), 1);
    assert_eq!(check[0]["label"], "Thunderbird");
    assert_eq!(check[0]["status"], "revoked");
    assert_eq!(check[0]["revoke_reason"], "apple-id-reset");
    assert_eq!(check[0]["revoked_on"], "2026-11-02");
    assert_eq!(check[0]["attention"], serde_json::json!(["regenerate"]));
    env.aspen(&["check"]).assert().code(1).stdout(contains(
        "regenerate: revoked while its apps still need a password",
    ));

    env.aspen(&["regenerate", "Thunderbird", "--password-stdin"])
        .write_stdin("zyxw-vuts-rqpo-nmlk\n")
        .assert()
        .success()
        .stderr(contains("enter it in Thunderbird (laptop), K-9 Mail."));
    env.aspen(&["check"])
        .assert()
        .code(0)
        .stdout(contains("No entry needs attention."));
    assert_eq!(env.stdout(&["reveal", "Thunderbird"]), "zyxw-vuts-rqpo-nmlk\n");
    let shown = env.json(&["show", "Thunderbird", "--json"]);
    let history: Vec<&str> = shown["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["event"].as_str().unwrap())
        .collect();
    assert_eq!(history.len(), 3, "{history:?}");
    assert!(history[1].contains("Apple ID password reset"));
}

#[test]
fn list_json_has_the_documented_fields() {
    let env = Env::with_vault();
    env.add(
        "Thunderbird",
        "me@icloud.com",
        "Thunderbird",
        &asp(1),
        "2024-01-01",
    );
    let list = env.json(&["list", "--json"]);
    let e = &list[0];
    for field in [
        "id",
        "label",
        "apple_id",
        "apps",
        "created",
        "status",
        "revoked_on",
        "revoke_reason",
        "attention",
        "password_stored",
        "uses",
        "conflicts",
    ] {
        assert!(e.get(field).is_some(), "missing {field} in {e}");
    }
    assert_eq!(e["status"], "active");
    assert_eq!(e["password_stored"], true);
    // Apple never expires a password: nearly three years old is not an alarm.
    assert_eq!(e["attention"], serde_json::json!([]));
    assert!(!list.to_string().contains(&asp(1)));
}

#[test]
fn revoke_and_revoke_all() {
    let env = Env::with_vault();
    env.add("A", "me@icloud.com", "Mail", &asp(1), "2026-01-01");
    env.add("B", "me@icloud.com", "Calendar", &asp(2), "2026-01-01");
    env.add("C", "me@icloud.com", "Contacts", &asp(3), "2026-01-01");
    env.aspen(&["revoke", "A"]).assert().success();
    env.aspen(&["revoke", "B", "--replace", "--date", "2026-11-01"])
        .assert()
        .success();
    let list = env.json(&["list", "--json"]);
    assert_eq!(list[0]["attention"], serde_json::json!([]));
    assert_eq!(list[0]["revoke_reason"], "manual");
    assert_eq!(list[1]["attention"], serde_json::json!(["regenerate"]));
    assert_eq!(list[1]["revoked_on"], "2026-11-01");
    env.aspen(&["revoke-all", "--apple-id", "me@icloud.com"])
        .assert()
        .success()
        .stdout(contains("[ ] C — Contacts"));
    let list = env.json(&["list", "--json"]);
    assert_eq!(list[2]["revoke_reason"], "revoke-all");
    let slots = env.json(&["slots", "--json"]);
    assert_eq!(slots[0]["active"], 0);
    assert_eq!(slots[0]["to_regenerate"], 2);
}

#[test]
fn the_26th_password_is_refused_and_names_the_oldest() {
    let env = Env::with_vault();
    for n in 0..25 {
        env.add(
            &format!("app{n:02}"),
            "me@icloud.com",
            "Mail",
            &asp(n),
            &format!("2026-01-{:02}", n + 1),
        );
    }
    let before = env.vault_bytes();
    env.aspen(&[
        "add",
        "--label",
        "one too many",
        "--apple-id",
        "me@icloud.com",
        "--app",
        "Mail",
        "--password-stdin",
    ])
    .write_stdin(format!("{}\n", asp(99)))
    .assert()
    .code(2)
    .stderr(contains("already has 25 active app-specific passwords"))
    .stderr(contains("\"app00\" (2026-01-01)"));
    assert_eq!(env.vault_bytes(), before, "a refused command writes nothing");
}

#[test]
fn edit_and_rm() {
    let env = Env::with_vault();
    env.add(
        "Thunderbird",
        "me@icloud.com",
        "Thunderbird",
        &asp(1),
        "2026-01-01",
    );
    env.aspen(&[
        "edit",
        "Thunderbird",
        "--new-label",
        "Thunderbird laptop",
        "--app",
        "Thunderbird",
        "--app",
        "Betterbird",
        "--notes",
        "work profile",
    ])
    .assert()
    .success();
    let e = &env.json(&["show", "Thunderbird laptop", "--json"]);
    assert_eq!(e["apps"], serde_json::json!(["Thunderbird", "Betterbird"]));
    assert_eq!(e["notes"], "work profile");
    // Without a terminal, rm needs --yes and changes nothing.
    let before = env.vault_bytes();
    env.aspen(&["rm", "Thunderbird laptop"])
        .assert()
        .code(2)
        .stderr(contains("--yes"));
    assert_eq!(env.vault_bytes(), before);
    env.aspen(&["rm", "Thunderbird laptop", "--yes"])
        .assert()
        .success();
    assert_eq!(env.json(&["list", "--json"]), serde_json::json!([]));
}

#[test]
fn a_label_under_two_apple_ids_needs_apple_id_to_pick() {
    let env = Env::with_vault();
    env.add("Mail", "me@icloud.com", "Mail", &asp(1), "2026-01-01");
    env.add("Mail", "kid@icloud.com", "Mail", &asp(2), "2026-01-01");
    env.aspen(&["reveal", "Mail"])
        .assert()
        .code(2)
        .stderr(contains("under several Apple IDs"))
        .stderr(contains("--apple-id"));
    assert_eq!(
        env.stdout(&["reveal", "Mail", "--apple-id", "kid@icloud.com"]),
        format!("{}\n", asp(2))
    );
}

#[test]
fn passwd_changes_the_passphrase_and_keeps_the_entries() {
    let env = Env::with_vault();
    env.add("A", "me@icloud.com", "Mail", &asp(1), "2026-01-01");
    let new = env.path("new-pass");
    std::fs::write(&new, "a much better passphrase 42\n").unwrap();
    env.aspen(&["passwd", "--new-passphrase-file", new.to_str().unwrap()])
        .assert()
        .success();
    env.aspen(&["list"])
        .assert()
        .code(4)
        .stderr(contains("wrong passphrase"));
    let out = env
        .aspen(&["reveal", "A"])
        .env("ASPEN_PASSPHRASE_FILE", &new)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), format!("{}\n", asp(1)));
}

#[test]
fn every_save_keeps_the_previous_version_as_a_backup() {
    let env = Env::with_vault();
    env.add("A", "me@icloud.com", "Mail", &asp(1), "2026-01-01");
    let after_a = env.vault_bytes();
    env.add("B", "me@icloud.com", "Mail", &asp(2), "2026-01-01");
    assert_eq!(common::read(&env.backup()), after_a);
    let backup = env.backup();
    let labels = env.json(&["list", "--json", "--vault", backup.to_str().unwrap()]);
    assert_eq!(labels.as_array().unwrap().len(), 1);
    use std::os::unix::fs::PermissionsExt;
    for f in [env.vault(), env.backup()] {
        assert_eq!(std::fs::metadata(&f).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let dir = env.vault().parent().unwrap().to_path_buf();
    assert_eq!(
        std::fs::metadata(dir).unwrap().permissions().mode() & 0o777,
        0o700
    );
}

#[test]
fn identity_prints_the_age_key_with_a_warning() {
    let env = Env::with_vault();
    env.aspen(&["identity"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("AGE-SECRET-KEY-1"))
        .stderr(contains("warning"));
}

#[test]
fn completions_and_man_page() {
    let env = Env::new();
    env.aspen(&["completions", "bash"])
        .assert()
        .success()
        .stdout(contains("revoke-all"));
    env.aspen(&["man"])
        .assert()
        .success()
        .stdout(contains(".TH aspen"));
    env.aspen(&["--help"])
        .assert()
        .success()
        .stdout(contains("Usage: aspen"));
    // Bare `aspen` is the TUI: without a terminal it says what to do instead.
    env.aspen(&[])
        .assert()
        .code(2)
        .stderr(contains("needs a terminal"));
}

#[test]
fn an_apple_id_that_is_a_phone_number_is_one_apple_id_however_it_is_typed() {
    let env = Env::with_vault();
    env.add("Mail", "+1 (555) 123-4567", "Mail", &asp(1), "2026-01-01");
    env.add("Calendar", "+15551234567", "Calendar", &asp(2), "2026-01-01");
    let slots = env.json(&["slots", "--json"]);
    let ids: Vec<&str> = slots
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["apple_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["+15551234567"], "{slots}");
    assert_eq!(slots[0]["active"], 2);
    let out = env.try_add("X", "5551234567", "X", &asp(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("phone number in international form such as +15551234567"),
        "{err}"
    );
}

#[test]
fn adding_past_what_regeneration_needs_warns_that_it_will_not_all_fit() {
    let env = Env::with_vault();
    for n in 0..3 {
        env.add(&format!("old{n}"), "me@icloud.com", "Mail", &asp(n), "2026-01-01");
    }
    env.aspen(&["reset", "--apple-id", "me@icloud.com", "--date", "2026-02-01"])
        .assert()
        .success();
    // 3 wait to be regenerated; 22 new ones still fit beside them, the 23rd does not.
    for n in 0..22 {
        env.add(
            &format!("new{n}"),
            "me@icloud.com",
            "Mail",
            &asp(10 + n),
            "2026-03-01",
        );
    }
    let out = env.try_add("one-too-many", "me@icloud.com", "M", &asp(40));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("me@icloud.com has 23 active and 3 waiting to be regenerated: regenerating them all would need 26 of Apple's 25 slots"),
        "{err}"
    );
}

#[test]
fn an_apple_id_typed_wrong_is_renamed_and_an_unused_one_forgotten() {
    let env = Env::with_vault();
    env.add("Mail", "me@icluod.com", "Mail", &asp(1), "2026-01-01");
    env.add("Calendar", "me@icloud.com", "Calendar", &asp(2), "2026-01-01");
    let out = env
        .aspen(&["apple-id", "rename", "me@icluod.com", "me@icloud.com"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("Renamed me@icluod.com to me@icloud.com; 1 entry moved."),
        "{err}"
    );
    let slots = env.json(&["slots", "--json"]);
    assert_eq!(slots.as_array().unwrap().len(), 1, "{slots}");
    assert_eq!(slots[0]["active"], 2);

    env.aspen(&["rm", "Mail", "--yes"]).assert().success();
    env.aspen(&["rm", "Calendar", "--yes"]).assert().success();
    env.add("Old", "old@icloud.com", "Old", &asp(3), "2026-01-01");
    let out = env
        .aspen(&["apple-id", "forget", "old@icloud.com"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("old@icloud.com still has 1 entry"), "{err}");
    env.aspen(&["apple-id", "forget", "me@icloud.com"])
        .assert()
        .success()
        .stderr(contains("Forgot me@icloud.com."));
    let slots = env.json(&["slots", "--json"]);
    let ids: Vec<&str> = slots
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["apple_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["old@icloud.com"]);
}

#[test]
fn check_explains_each_reason_once_above_the_entries_it_applies_to() {
    let env = Env::with_vault();
    env.add("Mail", "me@icloud.com", "Mail", &asp(1), "2026-01-01");
    env.add("Calendar", "me@icloud.com", "Calendar", &asp(2), "2026-01-01");
    env.aspen(&["reset", "--apple-id", "me@icloud.com"])
        .assert()
        .success();
    let out = env.aspen(&["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text.matches("revoked while its apps still need a password")
            .count(),
        1,
        "{text}"
    );
    let lines: Vec<&str> = text.lines().collect();
    let header = lines
        .iter()
        .position(|l| l.starts_with("regenerate: "))
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(
        lines[header + 1],
        "  Calendar (me@icloud.com) — Calendar",
        "{text}"
    );
    assert_eq!(lines[header + 2], "  Mail (me@icloud.com) — Mail", "{text}");
}

#[test]
fn a_retired_app_stops_the_asking_and_unretire_brings_it_back() {
    let env = Env::with_vault();
    env.aspen(&[
        "add",
        "--label",
        "Sync",
        "--apple-id",
        "me@icloud.com",
        "--app",
        "Phone",
        "--app",
        "Tablet",
        "--password-stdin",
    ])
    .write_stdin(format!("{}\n", asp(1)))
    .assert()
    .success();
    env.add("Old CRM", "me@icloud.com", "CRM", &asp(2), "2026-01-01");
    env.aspen(&["reset", "--apple-id", "me@icloud.com"])
        .assert()
        .success();
    let waiting = |env: &Env| env.labels(&["--attention"]);
    assert_eq!(waiting(&env), ["Old CRM", "Sync"]);

    // The tablet is gone; the phone still needs a password.
    env.aspen(&["retire", "Sync", "--app", "Tablet"])
        .assert()
        .success()
        .stderr(contains(
            "\"Sync\" no longer counts \"Tablet\" among its apps; still used by: Phone.",
        ));
    assert_eq!(
        env.json(&["show", "Sync", "--json"])["apps"],
        serde_json::json!(["Phone"])
    );
    // The CRM is gone altogether.
    env.aspen(&["retire", "Old CRM"])
        .assert()
        .success()
        .stderr(contains("Retired \"Old CRM\""));
    assert_eq!(waiting(&env), ["Sync"]);
    let check = env.aspen(&["check"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&check.stdout).contains("Old CRM"));
    let history = env.json(&["show", "Old CRM", "--json"])["history"].to_string();
    assert!(
        history.contains("retired: no app needs a password any more"),
        "{history}"
    );

    env.aspen(&["unretire", "Old CRM"]).assert().success();
    assert_eq!(waiting(&env), ["Old CRM", "Sync"]);
    // Active entries are revoked at Apple first, not retired.
    env.add("Live", "me@icloud.com", "Live", &asp(3), "2026-11-20");
    env.aspen(&["retire", "Live"])
        .assert()
        .code(2)
        .stderr(contains(
            "\"Live\" is active: only a revoked entry can be retired",
        ))
        .stderr(contains("aspen revoke LABEL"));
}

#[test]
fn a_reset_revoke_all_or_revoke_recorded_by_mistake_is_withdrawn() {
    let env = Env::with_vault();
    env.add("Mail", "me@icloud.com", "Mail", &asp(1), "2026-01-01");
    env.add("Calendar", "me@icloud.com", "Calendar", &asp(2), "2026-01-01");
    env.add("Old", "me@icloud.com", "Old", &asp(3), "2026-01-01");
    let statuses = |env: &Env| -> Vec<(String, String)> {
        env.json(&["list", "--json"])
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["label"].as_str().unwrap().to_owned(),
                    e["status"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let before = statuses(&env);
    // A reset recorded on the wrong Apple ID's behalf; meanwhile Old's app was retired.
    env.aspen(&["reset", "--apple-id", "me@icloud.com", "--date", "2026-11-02"])
        .assert()
        .success();
    env.aspen(&["retire", "Old"]).assert().success();
    let out = env
        .aspen(&["reset", "--undo", "--apple-id", "me@icloud.com"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("Withdrew the Apple ID password reset of me@icloud.com on 2026-11-02; these 2 are active again: \"Mail\", \"Calendar\"."),
        "{err}"
    );
    assert!(
        err.contains(
            "left as they are, since they changed after it (regenerated, retired or edited): \"Old\""
        ),
        "{err}"
    );
    let now = statuses(&env);
    assert_eq!(now[..2], before[..2], "Mail and Calendar are exactly as before");
    let overview = env.json(&["show", "Mail", "--json"]);
    assert!(
        overview["history"]
            .to_string()
            .contains("was withdrawn: active again")
    );
    // The reset itself is gone: nothing predates it any more.
    env.aspen(&["reset", "--undo", "--apple-id", "me@icloud.com"])
        .assert()
        .code(2)
        .stderr(contains(
            "nothing to withdraw: no Apple ID password reset of me@icloud.com is recorded",
        ));

    env.aspen(&["revoke-all", "--apple-id", "me@icloud.com"])
        .assert()
        .success();
    env.aspen(&["revoke-all", "--undo", "--apple-id", "me@icloud.com"])
        .assert()
        .success()
        .stderr(contains(
            "Withdrew the Revoke All of me@icloud.com on 2026-11-20; these 2 are active again",
        ));

    env.aspen(&["revoke", "Mail"]).assert().success();
    env.aspen(&["revoke", "--undo", "Mail"])
        .assert()
        .success()
        .stderr(contains("Withdrew the revoke of \"Mail\"; it is active again."));
    env.aspen(&["revoke", "--undo", "Mail"])
        .assert()
        .code(2)
        .stderr(contains("\"Mail\" has no revoke recorded by hand to withdraw"));
}

#[test]
fn setup_says_what_to_type_into_the_app_besides_the_password() {
    let env = Env::with_vault();
    env.add(
        "Thunderbird",
        "me@icloud.com",
        "Thunderbird",
        &asp(1),
        "2026-01-01",
    );
    let text = env.stdout(&["setup", "Thunderbird"]);
    for line in [
        "iCloud Mail, incoming (IMAP)",
        "  server     imap.mail.me.com, port 993, SSL/TLS",
        "  user name  me@icloud.com (some apps want only the part before the @)",
        "  server     smtp.mail.me.com, port 587, STARTTLS",
        "  server     https://caldav.icloud.com, HTTPS",
        "  server     https://contacts.icloud.com, HTTPS",
    ] {
        assert!(text.lines().any(|l| l == line), "missing {line:?} in\n{text}");
    }
    assert!(text.contains("never the Apple ID's own password"), "{text}");
    assert!(
        text.contains("the app-specific password \"Thunderbird\": `aspen copy Thunderbird`"),
        "{text}"
    );
    assert!(!text.contains(&asp(1)), "the password itself is never shown");
    assert!(
        text.lines().all(|l| l.chars().count() <= 80),
        "fits 80 columns:\n{text}"
    );
    let json = env.json(&["setup", "Thunderbird", "--json"]);
    let services: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["service"].as_str().unwrap())
        .collect();
    assert_eq!(
        services,
        ["mail-incoming", "mail-outgoing", "calendars", "contacts"]
    );
}

/// Issue 20: a second entry for one password is refused (it would count twice
/// against Apple's one slot), with the command that joins the apps to the first.
#[test]
fn a_password_already_stored_for_an_active_entry_is_pointed_out() {
    let env = Env::with_vault();
    env.add("Mail", "me@icloud.com", "Thunderbird", &asp(1), "2026-01-01");
    let out = env.try_add("Phone mail", "me@icloud.com", "K-9 Mail", &asp(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(
        err,
        "error: that password is \"Mail\"'s already, an active entry of me@icloud.com: at Apple it \
         is one password in one slot, so \"Phone mail\" would be a second entry for it; nothing \
         was added\nhint: to use it in these apps too, run the same `aspen add` again with --join \
         (it adds the apps to \"Mail\"); if Apple just generated a new password, paste that one \
         instead\n"
    );
    assert!(!err.contains(&asp(1)), "{err}");
    assert_eq!(env.labels(&[]), ["Mail"]);
}

#[test]
fn labels_are_listed_as_people_number_them() {
    let env = Env::with_vault();
    for (n, label) in ["App 10", "App 2", "App 1"].iter().enumerate() {
        env.add(label, "me@icloud.com", "Mail", &asp(n), "2026-01-01");
    }
    let labels = env.labels(&[]);
    assert_eq!(labels, ["App 1", "App 2", "App 10"]);
}
