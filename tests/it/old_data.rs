//! Vaults written under older, looser rules (issue 24): a value today's checks
//! refuse, such as an emoji's presentation selector in an app name or a created date
//! before app-specific passwords existed, still opens, shows and stays editable. New
//! values meet today's rules, the same way in every front end.
#![allow(clippy::unwrap_used, clippy::disallowed_methods)]

use crate::common;

use std::time::Duration;

use aspen::model::{Edit, NewEntry, Vault};
use aspen::secret::SecretString;
use aspen::storage::VaultPaths;
use common::{Env, asp};
use jiff::civil::{Date, date};

/// Changes the vault's first entry directly, as an older aspen with looser checks
/// would have written it.
fn plant(env: &Env, change: impl FnOnce(&mut Vault)) {
    let paths = VaultPaths::new(env.vault());
    let mut loaded = paths
        .store()
        .open(&SecretString::from(common::PASSPHRASE))
        .unwrap();
    change(&mut loaded.vault);
    let lock = paths.store().lock(Duration::ZERO).unwrap();
    paths
        .store()
        .save(&loaded.vault, &loaded.key, &loaded.fingerprint, &lock)
        .unwrap();
}

fn run(env: &Env, args: &[&str]) -> std::process::Output {
    env.aspen(args).output().unwrap()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn succeeds(env: &Env, args: &[&str]) {
    let out = run(env, args);
    assert!(out.status.success(), "aspen {args:?}: {}", stderr(&out));
}

/// An edit of `e`'s notes with every other field given back as it is, as the TUI's
/// edit form submits it.
fn as_the_form_gives_it(e: &aspen::model::Entry, notes: &str) -> Edit {
    Edit {
        label: Some(e.label.clone()),
        apple_id: Some(e.apple_id.clone()),
        apps: Some(e.apps.clone()),
        notes: Some(notes.into()),
        created: Some(e.created),
        uses: Some(e.uses.clone()),
        team_id: None,
    }
}

fn today() -> Date {
    common::TODAY.parse().unwrap()
}

/// An entry "Mail ✉️" whose first app is "✉️ Mail", with U+FE0F after each emoji
/// (as Apple's devices type it), and a second app holding a zero-width joiner, which
/// was accepted before any invisible character was refused.
#[test]
fn an_entry_whose_label_and_apps_hold_an_emoji_selector_stays_editable() {
    let env = Env::with_vault();
    env.add("Mail", "me@icloud.com", "Mail", &asp(1), "2026-01-01");
    plant(&env, |v| {
        v.entries[0].label = "Mail \u{2709}\u{FE0F}".into();
        v.entries[0].apps = vec!["\u{2709}\u{FE0F} Mail".into(), "Dev\u{200D}Box".into()];
    });
    let label = "Mail \u{2709}\u{FE0F}";
    assert_eq!(env.labels(&[]), [label]);
    succeeds(&env, &["edit", label, "--notes", "laptop"]);
    // Adding an app names the ones it has, unchanged.
    succeeds(
        &env,
        &[
            "edit",
            label,
            "--app",
            "\u{2709}\u{FE0F} Mail",
            "--app",
            "Dev\u{200D}Box",
            "--app",
            "K-9",
        ],
    );
    let shown = env.json(&["show", label, "--json"]);
    assert_eq!(
        shown["apps"],
        serde_json::json!(["\u{2709}\u{FE0F} Mail", "Dev\u{200D}Box", "K-9"])
    );

    // The model, as the TUI's edit form calls it: every field given back as shown.
    let paths = VaultPaths::new(env.vault());
    let mut v = paths
        .store()
        .open(&SecretString::from(common::PASSPHRASE))
        .unwrap()
        .vault;
    let e = &v.entries[0];
    let (id, edit) = (e.id.clone(), as_the_form_gives_it(e, "desk"));
    v.edit(&id, edit, today()).unwrap();
}

/// What is allowed in a new label or app name: U+FE0E or U+FE0F right after an emoji
/// (or after a keycap's digit, before U+20E3); every other invisible or direction
/// character is still refused, and so is a new app holding one beside old ones.
#[test]
fn new_labels_take_an_emoji_selector_and_nothing_else_invisible() {
    let env = Env::with_vault();
    for (n, label) in [
        "Notes \u{270D}\u{FE0F}",
        "Cal \u{1F4C5}\u{FE0E}",
        "Door 1\u{FE0F}\u{20E3}",
    ]
    .into_iter()
    .enumerate()
    {
        let out = env.try_add(label, "me@icloud.com", "Mail", &asp(n + 1));
        assert!(out.status.success(), "{label:?}: {}", stderr(&out));
    }
    for (n, label) in [
        "Mail\u{FE0F}",
        "Mail \u{2709}\u{FE0F}\u{FE0F}",
        "Mail\u{200B}",
        "Mail\u{202E}x",
        "1\u{FE0F}",
    ]
    .into_iter()
    .enumerate()
    {
        let out = env.try_add(label, "me@icloud.com", "Mail", &asp(n + 10));
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{label:?}: {err}");
        assert!(err.contains("invisible characters"), "{label:?}: {err}");
    }
    let out = run(
        &env,
        &[
            "edit",
            "Notes \u{270D}\u{FE0F}",
            "--app",
            "Mail",
            "--app",
            "New\u{200D}",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

/// App-specific passwords came with Apple's two-step verification in 2013: an earlier
/// created date is a typo ("0000-01-01"), refused with the earliest date allowed, by
/// every command that takes one and by the model the TUI's forms go through.
#[test]
fn a_date_before_2013_is_refused_everywhere_with_the_earliest_allowed() {
    let env = Env::with_vault();
    env.add("Mail", "me@icloud.com", "Mail", &asp(1), "2026-01-01");
    let before = env.vault_bytes();
    let refusals: [&[&str]; 5] = [
        &[
            "add",
            "--label",
            "Old",
            "--apple-id",
            "me@icloud.com",
            "--app",
            "M",
            "--created",
            "0000-01-01",
            "--password-stdin",
        ],
        &["edit", "Mail", "--created", "2012-12-31"],
        &["revoke", "Mail", "--date", "1999-05-01"],
        &["reset", "--apple-id", "me@icloud.com", "--date", "0000-01-01"],
        &[
            "regenerate",
            "Mail",
            "--created",
            "2012-01-01",
            "--password-stdin",
        ],
    ];
    for args in refusals {
        let out = env
            .aspen(args)
            .write_stdin(format!("{}\n", asp(2)))
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("before 2013-01-01, and app-specific passwords began in 2013"),
            "{args:?}: {err}"
        );
        assert!(err.contains("hint: check the year"), "{args:?}: {err}");
        assert!(err.contains("2013-01-01 or later"), "{args:?}: {err}");
        assert_eq!(env.vault_bytes(), before, "{args:?} wrote nothing");
    }
    // The first day allowed.
    let out = env
        .aspen(&[
            "add",
            "--label",
            "First",
            "--apple-id",
            "me@icloud.com",
            "--app",
            "M",
            "--created",
            "2013-01-01",
            "--password-stdin",
        ])
        .write_stdin(format!("{}\n", asp(3)))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

/// The same refusal in an audit's copy of Apple's list, and in the model the TUI's
/// forms go through.
#[test]
fn a_date_before_2013_is_refused_in_an_audit_and_by_the_model() {
    let env = Env::with_vault();
    env.add("Mail", "me@icloud.com", "Mail", &asp(1), "2026-01-01");
    // The audit: a line of Apple's list dated before 2013.
    std::fs::write(env.path("listed.txt"), "Mail  Jan 1, 2026\nFirst  Dec 31, 2012\n").unwrap();
    let listed = env.path("listed.txt");
    let out = run(
        &env,
        &[
            "audit",
            "--apple-id",
            "me@icloud.com",
            "--listed",
            listed.to_str().unwrap(),
        ],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("line 2"), "{err}");
    assert!(err.contains("before 2013-01-01"), "{err}");

    // The model, which the TUI's add and edit forms call.
    let paths = VaultPaths::new(env.vault());
    let mut v = paths
        .store()
        .open(&SecretString::from(common::PASSPHRASE))
        .unwrap()
        .vault;
    let new = NewEntry {
        label: "Typo".into(),
        apple_id: "me@icloud.com".into(),
        apps: vec!["M".into()],
        password: None,
        created: date(0, 1, 1),
        notes: String::new(),
        uses: Vec::new(),
        team_id: String::new(),
    };
    let id = aspen::app::new_entry_id().unwrap();
    let err = v.add(id, new, today()).expect_err("refused");
    assert!(err.to_string().contains("before 2013-01-01"), "{err}");
}

/// An entry an older aspen stored with such a date opens and stays editable; only a
/// new date is checked.
#[test]
fn an_entry_created_before_2013_in_old_data_stays_editable() {
    let env = Env::with_vault();
    env.add("Mail", "me@icloud.com", "Mail", &asp(1), "2026-01-01");
    plant(&env, |v| v.entries[0].created = date(0, 1, 1));
    assert!(env.stdout(&["list"]).contains("0000-01-01"));
    succeeds(&env, &["edit", "Mail", "--notes", "laptop"]);
    succeeds(&env, &["edit", "Mail", "--created", "0000-01-01", "--app", "K-9"]);

    let paths = VaultPaths::new(env.vault());
    let mut v = paths
        .store()
        .open(&SecretString::from(common::PASSPHRASE))
        .unwrap()
        .vault;
    let e = &v.entries[0];
    let (id, edit) = (e.id.clone(), as_the_form_gives_it(e, "desk"));
    v.edit(&id, edit, today()).unwrap();
    // Correcting it to a real date is an edit like any other.
    succeeds(&env, &["edit", "Mail", "--created", "2014-03-02"]);
}
