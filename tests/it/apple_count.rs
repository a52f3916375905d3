//! Issue 20: aspen's count per Apple ID equals Apple's page. Phone numbers spelled
//! two ways, words over the limit, label order, Apple's dates, passwords created
//! before a reset, one password in several entries.
#![allow(clippy::unwrap_used)]

use aspen::model::{
    Attention, Change, Done, Edit, EntryId, NewEntry, Password, Policy, ResetKind, RevokeReason, Status,
    Vault, analyse, phone_respellings, slots,
};
use aspen::secret::SecretString;
use jiff::civil::{Date, date};

use crate::common::{Env, asp};

pub(crate) fn today() -> Date {
    date(2026, 12, 10)
}

pub(crate) fn password(n: usize) -> Password {
    Password::parse(SecretString::new(asp(n)), false).unwrap()
}

pub(crate) fn id(n: usize) -> EntryId {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&(n as u64).to_be_bytes());
    EntryId::from_random(bytes)
}

pub(crate) fn new(label: &str, apple_id: &str, n: usize, created: Date) -> NewEntry {
    NewEntry {
        label: label.to_owned(),
        apple_id: apple_id.to_owned(),
        apps: vec![format!("{label} app")],
        password: Some(password(n)),
        created,
        notes: String::new(),
        uses: Vec::new(),
        team_id: String::new(),
    }
}

#[test]
fn a_phone_number_with_its_trunk_prefix_is_the_same_apple_id() {
    let mut v = Vault::default();
    v.add(
        id(1),
        new("Mail", "+44 (0)20 7946 0958", 1, date(2026, 12, 1)),
        today(),
    )
    .unwrap();
    v.add(
        id(2),
        new("Calendar", "+44 20 7946 0958", 2, date(2026, 12, 1)),
        today(),
    )
    .unwrap();
    assert_eq!(v.accounts.len(), 1, "{:?}", v.accounts);
    assert_eq!(v.active_count("+442079460958"), 2);
}

#[test]
fn an_old_spelling_of_a_phone_number_is_flagged_with_the_command_that_joins_it() {
    // Before the fix, "+44 (0)20 7946 0958" was stored with its trunk 0.
    let mut v = Vault::default();
    v.add(
        id(1),
        new("Mail", "+4402079460958", 1, date(2026, 12, 1)),
        today(),
    )
    .unwrap();
    v.add(
        id(2),
        new("Calendar", "+442079460958", 2, date(2026, 12, 1)),
        today(),
    )
    .unwrap();
    assert_eq!(
        phone_respellings(&v),
        vec![("+4402079460958".to_owned(), "+442079460958".to_owned())]
    );
    // An Italian number keeps its 0: it is flagged only beside its 0-less twin.
    let mut it = Vault::default();
    it.add(id(3), new("Mail", "+390612345678", 3, date(2026, 12, 1)), today())
        .unwrap();
    assert!(phone_respellings(&it).is_empty());

    let env = Env::with_vault();
    env.add("Mail", "+4402079460958", "Mail", &asp(1), "2026-11-01");
    env.add("Calendar", "+44 20 7946 0958", "Calendar", &asp(2), "2026-11-01");
    let out = env.aspen(&["check"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("aspen apple-id rename +4402079460958 +442079460958"),
        "{text}"
    );
    env.aspen(&["apple-id", "rename", "+4402079460958", "+442079460958"])
        .assert()
        .success();
    let out = env.aspen(&["check"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("apple-id rename"), "{text}");
}

#[test]
fn labels_sort_naturally_without_regard_to_case() {
    use aspen::model::label_order;
    let mut labels = vec!["YouCanBook.me", "iPad Calendar", "App 10", "app 2", "Thunderbird"];
    labels.sort_by(|a, b| label_order(a, b));
    assert_eq!(
        labels,
        vec!["app 2", "App 10", "iPad Calendar", "Thunderbird", "YouCanBook.me"]
    );
    // Labels equal but for case keep one order.
    assert_eq!(label_order("mail", "Mail"), label_order("mail", "Mail"));
    assert_ne!(label_order("mail", "Mail"), std::cmp::Ordering::Equal);
}

/// `aspen list` sorts with a key made once per label: it keeps the rule, natural
/// order without regard to case, then with case, then by code point.
#[test]
fn a_label_sort_key_keeps_the_label_rule() {
    use aspen::model::{LabelKey, label_order};
    let rule = |a: &str, b: &str| {
        alphanumeric_sort::compare_str(a.to_lowercase(), b.to_lowercase())
            .then_with(|| alphanumeric_sort::compare_str(a, b))
            .then_with(|| a.cmp(b))
    };
    let labels = [
        "App 10",
        "app 2",
        "App 2",
        "app 02",
        "Mail",
        "mail",
        "MAIL",
        "Mail 1",
        "Mail1",
        "Älg",
        "alg",
        "Zoë",
        "zoe",
        "",
        " ",
        "10",
        "9",
        "iPad Calendar",
        "ÉCOLE",
        "école",
        "ß",
        "SS",
        "x\u{301}",
        "x",
    ];
    for a in labels {
        for b in labels {
            assert_eq!(LabelKey::new(a).cmp(&LabelKey::new(b)), rule(a, b), "{a:?} {b:?}");
            assert_eq!(label_order(a, b), rule(a, b), "{a:?} {b:?}");
        }
    }
    let mut by_rule = labels.to_vec();
    by_rule.sort_by(|a, b| rule(a, b));
    let mut by_key = labels.to_vec();
    by_key.sort_by_cached_key(|l| LabelKey::new(l));
    assert_eq!(by_key, by_rule);
}

#[test]
fn every_date_option_takes_apples_own_form() {
    let env = Env::with_vault();
    env.add("Mail", "me@icloud.com", "Mail", &asp(1), "Nov 1, 2026");
    env.aspen(&["revoke", "Mail", "--date", "November 5, 2026"])
        .assert()
        .success();
    let entries = env.json(&["list", "--json"]);
    let text = entries.to_string();
    assert!(text.contains("2026-11-01"), "{text}");
    assert!(text.contains("2026-11-05"), "{text}");
}

/// `me@icloud.com` with "Old" (created 2026-11-01) and a reset recorded on 2026-12-06.
fn after_a_reset() -> Vault {
    let mut v = Vault::default();
    v.add(id(1), new("Old", "me@icloud.com", 1, date(2026, 11, 1)), today())
        .unwrap();
    v.reset("me@icloud.com", date(2026, 12, 6), today()).unwrap();
    v
}

fn status_of(v: &Vault, label: &str) -> Status {
    v.find(label, None).unwrap().status.clone()
}

#[test]
fn a_password_created_before_a_recorded_reset_is_added_as_revoked_by_it() {
    let mut v = after_a_reset();
    let done = v
        .apply(
            Change::Add(new("Late", "me@icloud.com", 2, date(2026, 12, 1))),
            today(),
            &mut [id(2)].into_iter(),
        )
        .unwrap();
    let by_reset = Status::Revoked {
        on: date(2026, 12, 6),
        reason: RevokeReason::AppleIdReset,
        needs_replacement: true,
    };
    assert_eq!(status_of(&v, "Late"), by_reset);
    assert!(
        matches!(done, Done::Added { revoked_by_reset: Some(d), .. } if d == date(2026, 12, 6)),
        "{done:?}"
    );
    assert_eq!(v.active_count("me@icloud.com"), 0);
    let s = &slots(&v)[0];
    assert_eq!((s.active, s.to_regenerate), (0, 2));
    let late = v.entries.iter().position(|e| e.label == "Late").unwrap();
    let attention = analyse(&v, today(), Policy::default());
    assert_eq!(
        attention[late].iter().collect::<Vec<_>>(),
        vec![Attention::Regenerate]
    );

    // Created on the reset day, recorded after it: generated after the reset.
    v.add(
        id(3),
        new("Same day", "me@icloud.com", 3, date(2026, 12, 6)),
        today(),
    )
    .unwrap();
    assert_eq!(status_of(&v, "Same day"), Status::Active);

    // A date corrected past the reset makes it active again.
    let late_id = v.find("Late", None).unwrap().id.clone();
    let edit = Edit {
        created: Some(date(2026, 12, 7)),
        ..Edit::default()
    };
    v.edit(&late_id, edit, today()).unwrap();
    assert_eq!(status_of(&v, "Late"), Status::Active);
}

#[test]
fn a_withdrawn_reset_gives_back_what_was_added_as_revoked_by_it() {
    let mut v = after_a_reset();
    v.add(id(2), new("Late", "me@icloud.com", 2, date(2026, 12, 1)), today())
        .unwrap();
    v.withdraw(ResetKind::PasswordReset, "me@icloud.com", None, today())
        .unwrap();
    assert_eq!(status_of(&v, "Late"), Status::Active);
    assert_eq!(status_of(&v, "Old"), Status::Active);
}

#[test]
fn a_password_revoked_by_a_reset_takes_no_slot_when_it_is_added() {
    let mut v = after_a_reset();
    for n in 0..25 {
        v.add(
            id(10 + n),
            new(&format!("new{n}"), "me@icloud.com", 10 + n, date(2026, 12, 8)),
            today(),
        )
        .unwrap();
    }
    v.add(id(2), new("Late", "me@icloud.com", 2, date(2026, 12, 1)), today())
        .unwrap();
    assert_eq!(v.active_count("me@icloud.com"), 25);
}

#[test]
fn add_says_a_password_created_before_a_reset_was_revoked_by_it() {
    let env = Env::with_vault();
    env.add("Old", "me@icloud.com", "Mail", &asp(1), "2026-11-01");
    env.aspen(&["reset", "--apple-id", "me@icloud.com", "--date", "2026-11-15"])
        .assert()
        .success();
    let out = env
        .aspen(&[
            "add",
            "--label",
            "Late",
            "--apple-id",
            "me@icloud.com",
            "--app",
            "Calendar",
            "--created",
            "2026-11-10",
            "--password-stdin",
        ])
        .write_stdin(format!("{}\n", asp(2)))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("reset of 2026-11-15"), "{err}");
    assert!(err.contains("aspen edit"), "{err}");
    assert!(err.contains("aspen reset --undo"), "{err}");
    let slots = env.json(&["slots", "--json"]);
    assert_eq!(slots[0]["active"], 0, "{slots}");
}

/// Gives the entry `label` the password numbered `n`, as a merge of two machines'
/// copies that each stored it may (or a vault written before `add` refused a second
/// entry for one password).
fn share(v: &mut Vault, label: &str, n: usize) {
    let e = v.entries.iter_mut().find(|e| e.label == label).unwrap();
    e.password = Some(password(n));
}

#[test]
fn one_password_in_three_entries_is_one_slot() {
    let mut v = Vault::default();
    for (n, label) in ["Mail", "Calendar", "Contacts"].into_iter().enumerate() {
        v.add(
            id(n + 1),
            new(label, "me@icloud.com", 70 + n, date(2026, 1, 1)),
            today(),
        )
        .unwrap();
        share(&mut v, label, 7);
    }
    // An entry Apple lists whose password aspen does not hold is a row of its own.
    let mut untracked = new("Old", "me@icloud.com", 8, date(2026, 1, 1));
    untracked.password = None;
    v.add(id(9), untracked, today()).unwrap();
    assert_eq!(v.active_count("me@icloud.com"), 2, "Apple lists two rows");
    let gauge = slots(&v);
    assert_eq!(gauge[0].active, 2);
    assert_eq!(gauge[0].free, 23);
}

#[test]
fn one_password_in_three_entries_counts_once_in_slots_json() {
    // Three machines each stored the password under a label of their own, and their
    // copies were merged.
    let env = Env::with_vault();
    let copies = ["vault 2.aspen", "vault 3.aspen"].map(|name| env.copy_for_another_machine(name));
    env.add("Mail", "me@icloud.com", "App", &asp(5), "2026-01-01");
    for (copy, label) in copies.iter().zip(["Calendar", "Contacts"]) {
        env.add_elsewhere_and_merge(copy, label, "App", &asp(5));
    }
    assert_eq!(env.labels(&[]), ["Calendar", "Contacts", "Mail"]);
    let slots = env.json(&["slots", "--json"]);
    assert_eq!(slots[0]["active"], 1, "{slots}");
}

#[test]
fn twenty_six_entries_holding_twenty_five_passwords_are_not_over_the_limit() {
    let mut v = Vault::default();
    let add = |v: &mut Vault, n: usize, label: String, password: usize| {
        v.add(
            id(n),
            new(&label, "me@icloud.com", password, date(2026, 1, 1)),
            today(),
        )
        .unwrap();
    };
    for n in 0..24 {
        add(&mut v, n + 1, format!("App {n}"), n + 1);
    }
    // An entry for a password another entry holds: one more app, no new slot.
    add(&mut v, 99, "App again".to_owned(), 99);
    share(&mut v, "App again", 1);
    add(&mut v, 25, "App 24".to_owned(), 25);
    assert_eq!(slots(&v)[0].active, 25);
    let flagged = analyse(&v, today(), Policy::default())
        .iter()
        .filter(|a| a.contains(Attention::OverLimit))
        .count();
    assert_eq!(flagged, 0, "Apple lists 25: nothing is over its limit");
}

/// A vault that already holds one password in two entries (written before aspen
/// refused that): Apple lists that password once, under one of the labels. The audit
/// matches both entries to that row and calls neither revoked outside aspen.
#[test]
fn the_audit_matches_entries_sharing_a_password_as_one_row() {
    let mut v = Vault::default();
    v.add(id(1), new("Mail", "me@icloud.com", 1, date(2026, 1, 1)), today())
        .unwrap();
    v.add(
        id(2),
        new("Calendar", "me@icloud.com", 2, date(2026, 1, 1)),
        today(),
    )
    .unwrap();
    v.entries[1].password = Some(password(1));
    let listed = aspen::model::parse_listed("Mail\tJan 1, 2026\n").unwrap();
    let diff = v.compare_with_apple("me@icloud.com", &listed).unwrap();
    assert!(diff.is_empty(), "{diff:?}");
    // Listed under neither label: the one password was revoked, for both entries.
    let listed = aspen::model::parse_listed("Other\n").unwrap();
    let diff = v.compare_with_apple("me@icloud.com", &listed).unwrap();
    assert_eq!(diff.not_listed.len(), 2, "{diff:?}");
}

/// `aspen add` of `label` for `app` with `password` on stdin, and `extra` options.
fn add_with(env: &Env, label: &str, app: &str, password: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "add",
        "--label",
        label,
        "--apple-id",
        "me@icloud.com",
        "--app",
        app,
        "--password-stdin",
    ];
    args.extend_from_slice(extra);
    env.aspen(&args)
        .write_stdin(format!("{password}\n"))
        .output()
        .unwrap()
}

/// Issue 20: a password an active entry of the Apple ID holds is one slot at Apple;
/// a script adding it under a second label is refused with the command that joins
/// the apps to that entry, and nothing is saved.
#[test]
fn a_second_entry_for_a_password_an_entry_holds_is_refused_with_the_command_that_joins() {
    let env = Env::with_vault();
    env.add("Mail", "me@icloud.com", "Thunderbird", &asp(1), "2026-01-01");
    let before = env.vault_bytes();
    let out = add_with(&env, "Phone mail", "K-9 Mail", &asp(1), &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("\"Mail\""), "names the entry that holds it: {err}");
    assert!(err.contains("--join"), "names the command that joins: {err}");
    assert!(!err.contains(&asp(1)), "{err}");
    assert_eq!(env.vault_bytes(), before, "nothing saved");
    assert_eq!(env.labels(&[]), ["Mail"]);
    let slots = env.json(&["slots", "--json"]);
    assert_eq!(slots[0]["active"], 1, "{slots}");

    // With --join the apps join the entry that holds the password.
    let out = add_with(&env, "Phone mail", "K-9 Mail", &asp(1), &["--join"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert_eq!(
        err,
        "Added K-9 Mail to \"Mail\" (me@icloud.com); no new entry. Its apps: Thunderbird, K-9 Mail.\n"
    );
    let list = env.json(&["list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["apps"], serde_json::json!(["Thunderbird", "K-9 Mail"]));
    assert_eq!(env.json(&["slots", "--json"])[0]["active"], 1);

    // Again: nothing new to join, nothing written.
    let before = env.vault_bytes();
    let out = add_with(&env, "Phone mail", "K-9 Mail", &asp(1), &["--join"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert_eq!(err, "\"Mail\" already has K-9 Mail; nothing changed.\n");
    assert_eq!(env.vault_bytes(), before);

    // --join with a password no entry holds adds an entry as usual.
    let out = add_with(&env, "Calendar", "Fantastical", &asp(2), &["--join"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert_eq!(err, "Added \"Calendar\" for me@icloud.com.\n");
    assert_eq!(env.labels(&[]), ["Calendar", "Mail"]);
}

/// The model itself refuses the second entry, whichever front end asks: the refusal
/// names the entry that holds the password, its Apple ID and the label asked for.
#[test]
fn the_model_refuses_a_second_entry_for_a_password_an_active_entry_holds() {
    use aspen::model::ModelError;
    let mut v = Vault::default();
    v.add(id(1), new("Mail", "me@icloud.com", 1, date(2026, 1, 1)), today())
        .unwrap();
    let holder = v
        .holder_of("ME@icloud.com", &password(1))
        .map(|e| e.label.clone());
    assert_eq!(holder.as_deref(), Some("Mail"));
    assert!(v.holder_of("me@icloud.com", &password(2)).is_none());
    assert!(v.holder_of("other@icloud.com", &password(1)).is_none());

    let refused = v.apply(
        Change::Add(new("Phone mail", "me@icloud.com", 1, date(2026, 1, 1))),
        today(),
        &mut [id(2)].into_iter(),
    );
    assert_eq!(
        refused,
        Err(ModelError::PasswordHeld {
            holder: "Mail".to_owned(),
            apple_id: "me@icloud.com".to_owned(),
            label: "Phone mail".to_owned(),
        })
    );
    assert_eq!(v.entries.len(), 1, "nothing changed");
    let shown = format!("{:?} {}", refused, refused.clone().unwrap_err());
    assert!(!shown.contains(&asp(1)), "{shown}");

    // Joining is the way: one entry, both apps, one slot.
    let done = v
        .apply(
            Change::JoinApps {
                id: id(1),
                apps: vec!["Mail app".to_owned(), "K-9 Mail".to_owned()],
            },
            today(),
            &mut std::iter::empty(),
        )
        .unwrap();
    assert!(
        matches!(&done, Done::Joined { apps, .. } if apps == &["K-9 Mail"]),
        "only the apps it did not have: {done:?}"
    );
    assert_eq!(v.entries[0].apps, ["Mail app", "K-9 Mail"]);

    // Once that entry is revoked, its password is no active one's.
    v.revoke(&id(1), date(2026, 12, 1), true, today()).unwrap();
    assert!(v.holder_of("me@icloud.com", &password(1)).is_none());
}

/// Regenerating with the password another active entry of the Apple ID holds would
/// make two entries of one slot: it is that entry's password, not a new one.
#[test]
fn regenerating_with_another_active_entrys_password_is_refused() {
    use aspen::model::ModelError;
    let mut v = Vault::default();
    v.add(id(1), new("Mail", "me@icloud.com", 1, date(2026, 1, 1)), today())
        .unwrap();
    v.add(
        id(2),
        new("Calendar", "me@icloud.com", 2, date(2026, 1, 1)),
        today(),
    )
    .unwrap();
    let refused = v.regenerate(&id(2), password(1), date(2026, 12, 1), today());
    assert_eq!(
        refused,
        Err(ModelError::PasswordNotNew {
            label: "Mail".to_owned(),
            same_entry: false,
            revoked: false,
        })
    );
    assert_eq!(v.active_count("me@icloud.com"), 2);
    assert_eq!(v.entries[1].password, Some(password(2)), "nothing changed");
}

/// Moving an entry to the Apple ID where an active entry holds its password would
/// make two entries of one slot there: refused, with the command that folds them.
#[test]
fn moving_an_entry_onto_its_passwords_holder_is_refused_with_the_commands_that_fold_them() {
    let env = Env::with_vault();
    env.add("Mail", "me@icloud.com", "Thunderbird", &asp(1), "2026-01-01");
    env.add("Phone mail", "typo@icloud.com", "K-9 Mail", &asp(1), "2026-01-01");
    let before = env.vault_bytes();
    let out = env
        .aspen(&["edit", "Phone mail", "--new-apple-id", "me@icloud.com"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("the same password as \"Mail\""), "{err}");
    assert!(
        err.contains(
            "aspen edit Mail --apple-id me@icloud.com --app Thunderbird --app 'K-9 Mail', \
             then aspen rm 'Phone mail' --apple-id typo@icloud.com"
        ),
        "{err}"
    );
    assert!(!err.contains(&asp(1)), "{err}");
    assert_eq!(env.vault_bytes(), before, "nothing saved");
}

/// The audit by questions asks once per row of Apple's page: entries that share one
/// password (from an older vault) are one question, and "not listed" revokes them all.
#[test]
fn the_audit_by_questions_asks_once_for_entries_sharing_a_password() {
    let mut v = Vault::default();
    v.add(id(1), new("Mail", "me@icloud.com", 1, date(2026, 1, 1)), today())
        .unwrap();
    v.add(
        id(2),
        new("Calendar", "me@icloud.com", 2, date(2026, 1, 1)),
        today(),
    )
    .unwrap();
    v.add(id(3), new("Notes", "me@icloud.com", 3, date(2026, 1, 1)), today())
        .unwrap();
    v.entries[1].password = Some(password(1));
    let expected = v.expected_at_apple("me@icloud.com").unwrap();
    let labels: Vec<&str> = expected.iter().map(|e| e.label.as_str()).collect();
    assert_eq!(labels.len(), 2, "two rows at Apple: {labels:?}");
    let first = expected
        .iter()
        .find(|e| e.label == "Mail" || e.label == "Calendar")
        .unwrap()
        .id
        .clone();
    v.apply(
        Change::Audit {
            apple_id: "me@icloud.com".to_owned(),
            revoked: vec![(first, true)],
            listed_again: Vec::new(),
            untracked: Vec::new(),
            old_revoked: Vec::new(),
            old_live: Vec::new(),
        },
        today(),
        &mut std::iter::empty(),
    )
    .unwrap();
    assert_eq!(v.active_count("me@icloud.com"), 1, "only Notes is live");
    assert!(!v.entries[0].is_active() && !v.entries[1].is_active());
}
