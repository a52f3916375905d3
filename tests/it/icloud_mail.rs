//! Issue 22, its last part: the iCloud Mail address of an Apple ID that is not one
//! itself, recorded once on the Apple ID. The setup card shows it as the mail user
//! name and `aspen verify` signs in over IMAP with it; until it is recorded, mail
//! entries of such an Apple ID are verified over CalDAV and the result says so.

use aspen::app::verify::{Planned, Selection, plan};
use aspen::model::{Change, Done, ModelError, SignIn, Vault, merge, setup_card_for};
use aspen::verify::Endpoints;
use predicates::str::contains;

use crate::common::{Env, asp};
use aspen::vault_file::duplicate as dup;

use crate::merge_rules::{base, day, entry, id, saved};

const JANE: &str = "jane@example.org";
const JANE_MAIL: &str = "jane.doe@icloud.com";

fn set_mail(v: &mut Vault, apple_id: &str, mail: &str) -> Result<Done, ModelError> {
    let change = Change::SetMail {
        apple_id: apple_id.into(),
        mail: mail.into(),
    };
    v.apply(change, day(2), &mut std::iter::empty())
}

/// `base(1)`'s entry moved to Jane's Apple ID, which is not an iCloud address.
fn janes() -> Vault {
    let b = base(1);
    saved(&b, 1, |v| {
        v.rename_apple_id("me@icloud.com", JANE, day(1)).unwrap();
    })
}

#[test]
fn the_address_is_lowercased_and_only_apples_mail_domains_are_taken() {
    let mut v = janes();
    let done = set_mail(&mut v, "Jane@Example.org", " Jane.Doe@iCloud.com ").unwrap();
    assert_eq!(
        done,
        Done::SetMail {
            apple_id: JANE.into(),
            mail: JANE_MAIL.into()
        }
    );
    assert_eq!(v.account(JANE).unwrap().mail, JANE_MAIL);
    assert_eq!(v.mail_address(JANE).as_deref(), Some(JANE_MAIL));
    for domain in ["me.com", "mac.com"] {
        set_mail(&mut v, JANE, &format!("jane@{domain}")).unwrap();
    }
    // Another provider's address is not one mail apps of iCloud sign in with.
    let refused = set_mail(&mut v, JANE, "jane@gmail.com").unwrap_err();
    assert_eq!(
        refused,
        ModelError::NotIcloudMail {
            address: "jane@gmail.com".into()
        }
    );
    assert!(refused.to_string().contains("@icloud.com, @me.com or @mac.com"));
    assert_eq!(v.account(JANE).unwrap().mail, "jane@mac.com", "unchanged");
    // An Apple ID that is an iCloud address is its own: nothing else to record.
    let mut icloud = base(1);
    let refused = set_mail(&mut icloud, "me@icloud.com", JANE_MAIL).unwrap_err();
    assert!(
        matches!(refused, ModelError::OwnIcloudMail { ref apple_id } if apple_id == "me@icloud.com"),
        "{refused:?}"
    );
    assert_eq!(
        icloud.mail_address("me@icloud.com").as_deref(),
        Some("me@icloud.com")
    );
    // Empty clears it.
    set_mail(&mut v, JANE, "").unwrap();
    assert_eq!(v.account(JANE).unwrap().mail, "");
    assert_eq!(v.mail_address(JANE), None);
}

#[test]
fn a_merge_keeps_the_newer_address_and_a_rename_takes_it_along() {
    let b = janes();
    let first = saved(&b, 2, |v| {
        set_mail(v, JANE, "jane.a@icloud.com").unwrap();
    });
    // The other machine had that save, then recorded another address.
    let newer = saved(&first, 3, |v| {
        set_mail(v, JANE, "jane.b@icloud.com").unwrap();
    });
    for (ours, theirs) in [(dup(&first), dup(&newer)), (dup(&newer), dup(&first))] {
        let (m, _) = merge(None, ours, theirs);
        assert_eq!(m.account(JANE).unwrap().mail, "jane.b@icloud.com");
    }
    // A copy that changed something else keeps the address the other recorded.
    let elsewhere = saved(&b, 4, |v| {
        v.edit(&id(1), crate::merge_rules::notes("other"), day(2))
            .unwrap();
    });
    for (ours, theirs) in [(dup(&first), dup(&elsewhere)), (elsewhere, dup(&first))] {
        let (m, _) = merge(None, ours, theirs);
        assert_eq!(m.account(JANE).unwrap().mail, "jane.a@icloud.com");
        assert_eq!(entry(&m, 1).notes, "other");
    }
    // Clearing it later is newer too.
    let cleared = saved(&first, 3, |v| {
        set_mail(v, JANE, "").unwrap();
    });
    let (m, _) = merge(None, dup(&first), cleared);
    assert_eq!(m.account(JANE).unwrap().mail, "");
    // Fixing a typo in the Apple ID keeps the address with it.
    let mut moved = dup(&first);
    moved.rename_apple_id(JANE, "jane@example.com", day(3)).unwrap();
    assert_eq!(
        moved.mail_address("jane@example.com").as_deref(),
        Some("jane.a@icloud.com")
    );
}

/// The version 3 vector holds an Apple ID's iCloud Mail address: opened, it is the
/// mail user name of the setup card and of the IMAP sign-in; saved again, it stays;
/// cleared, the field is no longer written.
#[test]
fn the_stock_vault_keeps_the_address_and_uses_it() {
    let passphrase = aspen::secret::SecretString::from("aspen test vector 3");
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors"));
    let bytes = std::fs::read(dir.join("v3.aspen")).unwrap();
    let (vault, key) = aspen::vault_file::decode(&bytes, &passphrase).unwrap();
    let kim = "kim@example.com";
    assert_eq!(vault.mail_address(kim).as_deref(), Some("kim.example@icloud.com"));
    let mail = vault.entries.iter().find(|e| e.label == "Mail").unwrap();
    let card = setup_card_for(kim, vault.mail_address(kim).as_deref(), &mail.uses);
    assert!(
        card.iter()
            .all(|s| s.user_name.as_deref() == Some("kim.example@icloud.com")),
        "{card:?}"
    );
    let planned = plan(&vault, &Selection::All, &Endpoints::default()).unwrap();
    let over = |label: &str| {
        planned
            .iter()
            .find_map(|p| match p {
                Planned::Try(t) if t.label == label => Some((t.over, t.user.clone(), t.mail_over_caldav)),
                _ => None,
            })
            .unwrap()
    };
    assert_eq!(
        over("Mail"),
        (SignIn::Imap, "kim.example@icloud.com".into(), false)
    );
    assert_eq!(over("Calendar"), (SignIn::Caldav, kim.into(), false));

    let again = aspen::vault_file::encode(&vault, &key).unwrap();
    let (reopened, _) = aspen::vault_file::decode(&again, &passphrase).unwrap();
    assert_eq!(reopened.account(kim).unwrap().mail, "kim.example@icloud.com");
    let mut cleared = reopened;
    set_mail(&mut cleared, kim, "").unwrap();
    let plain = aspen::vault_file::plaintext(&cleared, key.kdf());
    assert!(!plain.contains("mail:"), "{}", &*plain);
}

/// An entry of Jane's whose apps use mail.
fn add_janes_mail(env: &Env) {
    env.aspen(&[
        "add",
        "--label",
        "Mail",
        "--apple-id",
        JANE,
        "--app",
        "Thunderbird",
        "--uses",
        "mail",
        "--password-stdin",
    ])
    .write_stdin(format!("{}\n", asp(1)))
    .assert()
    .success();
}

#[test]
fn apple_id_mail_records_it_and_setup_slots_and_check_show_it() {
    let env = Env::with_vault();
    add_janes_mail(&env);
    let text = env.stdout(&["setup", "Mail"]);
    assert!(
        text.contains("  user name  your iCloud Mail address (…@icloud.com), which may differ"),
        "{text}"
    );
    assert!(
        text.contains("Record its iCloud Mail address once, and this card shows it:\n  aspen apple-id mail jane@example.org ADDRESS\n"),
        "{text}"
    );
    env.aspen(&["apple-id", "mail", JANE, "Jane.Doe@iCloud.com"])
        .assert()
        .success()
        .stderr(contains(
            "Recorded jane.doe@icloud.com as the iCloud Mail address of jane@example.org: `aspen \
             setup` shows it as the mail user name, and `aspen verify` signs in over IMAP with it.",
        ));
    let text = env.stdout(&["setup", "Mail"]);
    for line in [
        "  user name  jane.doe@icloud.com (some apps want only the part before the @)",
        "  user name  jane.doe@icloud.com (the full address)",
    ] {
        assert!(text.lines().any(|l| l == line), "missing {line:?} in\n{text}");
    }
    assert!(!text.contains("Record its iCloud Mail address"), "{text}");
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
    let json = env.json(&["setup", "Mail", "--json"]);
    assert_eq!(json[0]["user_name"], JANE_MAIL);
    // Where the Apple ID's name shows, its iCloud Mail address shows too.
    let slots = env.json(&["slots", "--json"]);
    assert_eq!(slots[0]["mail"], JANE_MAIL);
    let check = env.json(&["check", "--json"]);
    assert_eq!(check["apple_ids"][0]["mail"], JANE_MAIL);
    // Cleared, it is unknown again.
    env.aspen(&["apple-id", "mail", JANE, "--clear"])
        .assert()
        .success()
        .stderr(contains(
            "jane@example.org has no iCloud Mail address recorded now",
        ));
    assert_eq!(env.json(&["slots", "--json"])[0]["mail"], serde_json::Value::Null);
    env.aspen(&["apple-id", "mail", JANE, JANE_MAIL])
        .assert()
        .success();
    env.aspen(&["apple-id", "mail", JANE, ""]).assert().success();
    assert_eq!(env.json(&["slots", "--json"])[0]["mail"], serde_json::Value::Null);
    // An iCloud Apple ID's own address shows as its mail.
    env.add("Cal", "me@icloud.com", "Cal", &asp(2), "2026-01-01");
    let slots = env.json(&["slots", "--json", "--apple-id", "me@icloud.com"]);
    assert_eq!(slots[0]["mail"], "me@icloud.com");
}

#[test]
fn apple_id_mail_refuses_what_is_not_an_icloud_mail_address() {
    let env = Env::with_vault();
    add_janes_mail(&env);
    env.add("Cal", "me@icloud.com", "Cal", &asp(2), "2026-01-01");
    let before = env.vault_bytes();
    env.aspen(&["apple-id", "mail", JANE, "jane@gmail.com"])
        .assert()
        .code(2)
        .stderr(contains(
            "jane@gmail.com is not an iCloud Mail address: those end in @icloud.com, @me.com or @mac.com",
        ))
        .stderr(contains("`aspen apple-id mail ID --clear` removes one recorded"));
    env.aspen(&["apple-id", "mail", "me@icloud.com", JANE_MAIL])
        .assert()
        .code(2)
        .stderr(contains(
            "me@icloud.com is an iCloud Mail address itself: mail apps sign in with it",
        ));
    env.aspen(&["apple-id", "mail", "nobody@example.org", JANE_MAIL])
        .assert()
        .code(2)
        .stderr(contains("no entries for the Apple ID nobody@example.org"));
    env.aspen(&["apple-id", "mail", JANE]).assert().code(2);
    env.aspen(&["apple-id", "mail", JANE, JANE_MAIL, "--clear"])
        .assert()
        .code(2);
    assert_eq!(env.vault_bytes(), before, "nothing was saved");
}

#[test]
fn a_dry_run_signs_in_over_imap_with_the_recorded_address_and_caldav_before() {
    let env = Env::with_vault();
    add_janes_mail(&env);
    let before = env.json(&["verify", "--all", "--dry-run", "--json"]);
    assert_eq!(before[0]["over"], "caldav");
    assert_eq!(before[0]["user"], JANE);
    assert_eq!(before[0]["mail_over_caldav"], true);
    let text = env.stdout(&["verify", "--all", "--dry-run"]);
    assert!(
        text.contains(
            "CalDAV PROPFIND at https://caldav.icloud.com/ as jane@example.org (its apps use mail, \
             but no iCloud Mail address is recorded for the Apple ID: CalDAV instead; `aspen \
             apple-id mail jane@example.org ADDRESS` records it)"
        ),
        "{text}"
    );
    env.aspen(&["apple-id", "mail", JANE, JANE_MAIL])
        .assert()
        .success();
    let after = env.json(&["verify", "--all", "--dry-run", "--json"]);
    assert_eq!(after[0]["over"], "imap");
    assert_eq!(after[0]["user"], JANE_MAIL);
    assert_eq!(after[0]["address"], "imap.mail.me.com:993");
    assert_eq!(after[0]["mail_over_caldav"], false);
    let text = env.stdout(&["verify", "--all", "--dry-run"]);
    assert!(
        text.contains("IMAP LOGIN at imap.mail.me.com:993 as jane.doe@icloud.com\n"),
        "{text}"
    );
}

#[test]
fn the_uses_of_an_entry_still_decide_imap_or_caldav() {
    let env = Env::with_vault();
    env.add("Cal", JANE, "Cal", &asp(2), "2026-01-01");
    env.aspen(&["edit", "Cal", "--uses", "calendar"])
        .assert()
        .success();
    env.aspen(&["apple-id", "mail", JANE, JANE_MAIL])
        .assert()
        .success();
    let planned = env.json(&["verify", "--all", "--dry-run", "--json"]);
    assert_eq!(planned[0]["over"], "caldav");
    assert_eq!(planned[0]["mail_over_caldav"], false);
}

/// Against Dovecot on loopback: the LOGIN goes as the recorded address, never as the
/// Apple ID, and Apple's answer is recorded as an IMAP verification.
#[test]
fn imap_signs_in_as_the_recorded_address() {
    use crate::verify_servers::{Ca, dovecot, start_dovecot};
    let Some(bin) = dovecot() else { return };
    let ca = Ca::new("aspen mail test CA");
    let server = start_dovecot(&bin, &ca.server(&["127.0.0.1"]), &[(JANE_MAIL, &asp(1))]);
    let env = Env::with_vault();
    add_janes_mail(&env);
    env.aspen(&["apple-id", "mail", JANE, JANE_MAIL])
        .assert()
        .success();
    let imap = format!("127.0.0.1:{}", server.port);
    let ca = ca.write(env.dir.path(), "ca.pem").display().to_string();
    let out = env
        .aspen(&[
            "verify",
            "--all",
            "--json",
            "--pause",
            "0.1",
            "--imap-server",
            &imap,
            "--ca-file",
            &ca,
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{json}\n{}", server.log_text());
    assert_eq!(json[0]["result"], "works");
    assert_eq!(json[0]["over"], "imap");
    assert_eq!(json[0]["user"], JANE_MAIL);
    let shown = env.json(&["show", "Mail", "--json"]);
    assert_eq!(shown["last_verified"]["over"], "imap");
}
