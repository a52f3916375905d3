//! Issue 18, item 6: `u` takes back only the session's own change. After a save that
//! merged in another program's work, undoing must leave that work alone: it puts back
//! what the change itself did, where it still stands as the change left it, or says
//! why it cannot and changes nothing.

use aspen::app::Consent;
use aspen::model::{NewEntry, Status, Vault};
use aspen::secret::SecretString;
use aspen::tui::dialogs::{Overlay, Question};
use crossterm::event::KeyCode;
use jiff::civil::date;

use super::{message, on_disk, password, select};
use crate::harness::{App, PASSPHRASE};

/// Another aspen changes the vault through the app layer, as `aspen add` or another
/// machine's save delivered by a sync tool would: its own memory (state folder), the
/// change made to the file as it is then.
pub(super) fn elsewhere<T>(app: &App, change: impl FnOnce(&mut Vault) -> T) -> T {
    let dir = app.dir.path();
    let paths = crate::common::vault_paths(dir.join("vault.aspen")).with_state_dir(dir.join("elsewhere"));
    aspen::app::change(
        &paths,
        app.state.today,
        Consent::default(),
        || Ok(SecretString::from(PASSPHRASE)),
        |_| Ok(Some(())),
        |v, ()| Ok(change(v)),
    )
    .unwrap()
    .unwrap()
}

/// What `aspen add` does: an entry of one app, created at the start of 2026.
pub(super) fn add(v: &mut Vault, label: &str, apple_id: &str, n: u32) {
    let new = NewEntry {
        label: label.to_owned(),
        apple_id: apple_id.to_owned(),
        apps: vec!["Mail".to_owned()],
        password: Some(
            aspen::model::Password::parse(SecretString::from(password(n).as_str()), false).unwrap(),
        ),
        created: date(2026, 1, 1),
        notes: String::new(),
        uses: Vec::new(),
        team_id: String::new(),
    };
    let mut id = [0u8; 16];
    id[..4].copy_from_slice(&n.to_be_bytes());
    id[4] = 0xee;
    v.add(aspen::model::EntryId::from_random(id), new, date(2026, 11, 20))
        .unwrap();
}

fn labels_on_disk(app: &App) -> Vec<String> {
    let mut labels: Vec<String> = on_disk(app).entries.iter().map(|e| e.label.clone()).collect();
    labels.sort();
    labels
}

/// Types `notes` after the notes the selected entry has, in the edit form.
fn edit_notes(app: &mut App, label: &str, notes: &str) {
    select(app, label);
    app.press('e');
    for _ in 0..4 {
        app.key(KeyCode::Tab);
    }
    app.type_str(notes);
    app.key(KeyCode::Enter);
    assert!(app.state.dialogs.top().is_none(), "{}", app.screen());
}

/// The repro of the issue: the TUI adds while the command line adds "From CLI"; the
/// TUI's save merges; `u` took both away.
#[test]
fn undoing_an_add_whose_save_merged_leaves_the_other_add() {
    let mut app = App::new("default");
    app.create();
    app.add("Thunderbird", "me@icloud.com", "Mail", &password(1), "2026-01-01");
    elsewhere(&app, |v| add(v, "From CLI", "me@icloud.com", 2));
    app.add("Mac", "me@icloud.com", "Mail", &password(3), "2026-01-01");
    let text = message(&app);
    assert!(text.contains("added \"From CLI\""), "{text}");

    app.press('u');
    // Only the session's own password leaves the vault: asked for that one alone.
    match app.state.dialogs.top() {
        Some(Overlay::Confirm(Question::Undo(confirm))) => assert_eq!(confirm.losing, ["Mac"]),
        _ => panic!("the undo asks first: {}", app.screen()),
    }
    app.press('y');
    assert_eq!(message(&app), "Undid: add of \"Mac\".");
    assert_eq!(labels_on_disk(&app), ["From CLI", "Thunderbird"]);
    assert_eq!(app.labels_shown(), ["From CLI", "Thunderbird"]);

    app.press('u');
    app.press('y');
    assert_eq!(message(&app), "Undid: add of \"Thunderbird\".");
    assert_eq!(labels_on_disk(&app), ["From CLI"]);
}

/// The longer run of the issue: what another machine did meanwhile (two dozen
/// passwords added, a revoked one regenerated, a reset withdrawn, an Apple ID named)
/// stays when the session's own edit, saved merged with all that, is taken back.
#[test]
fn undoing_an_edit_whose_save_merged_keeps_everything_done_elsewhere() {
    let mut app = App::new("default");
    app.create();
    elsewhere(&app, |v| {
        add(v, "Thunderbird", "me@icloud.com", 1);
        add(v, "SmoothSync", "me@icloud.com", 2);
        add(v, "Work Mail", "work@icloud.com", 3);
        v.reset("me@icloud.com", date(2026, 11, 2), date(2026, 11, 20))
            .unwrap();
        v.reset("work@icloud.com", date(2026, 11, 3), date(2026, 11, 20))
            .unwrap();
    });
    app.press('L');
    app.unlock();

    elsewhere(&app, |v| {
        for n in 0..24 {
            add(v, &format!("Family {n}"), "family@icloud.com", 100 + n);
        }
        let smooth = v.find("SmoothSync", None).unwrap().id.clone();
        let new = aspen::model::Password::parse(SecretString::from(password(50).as_str()), false).unwrap();
        v.regenerate(&smooth, new, date(2026, 11, 10), date(2026, 11, 20))
            .unwrap();
        v.withdraw_reset("work@icloud.com", Some(date(2026, 11, 3)), date(2026, 11, 20))
            .unwrap();
        v.name_apple_id("me@icloud.com", "me").unwrap();
    });
    edit_notes(&mut app, "Thunderbird", "mine");
    let text = message(&app);
    assert!(text.contains("Merged with a change saved elsewhere"), "{text}");

    app.press('u');
    assert_eq!(message(&app), "Undid: edit of \"Thunderbird\".");
    let stored = on_disk(&app);
    let entry = |label: &str| stored.entries.iter().find(|e| e.label == label).unwrap();
    assert_eq!(entry("Thunderbird").notes, "", "the session's edit is undone");
    assert_eq!(
        stored
            .entries
            .iter()
            .filter(|e| e.apple_id == "family@icloud.com")
            .count(),
        24,
        "the passwords added elsewhere stay"
    );
    let smooth = entry("SmoothSync");
    assert!(smooth.is_active(), "the regeneration stays");
    assert_eq!(smooth.password.as_ref().unwrap().expose(), password(50));
    assert!(entry("Work Mail").is_active(), "the withdrawal stays");
    let work = stored.account("work@icloud.com").unwrap();
    assert!(work.resets.is_empty(), "{:?}", work.resets);
    assert_eq!(stored.account("me@icloud.com").unwrap().name, "me");
    assert!(matches!(entry("Thunderbird").status, Status::Revoked { .. }));
}

/// A change another machine made to what the session's change set, after seeing it,
/// is not undone: `u` says so and changes nothing.
#[test]
fn an_undo_of_what_was_changed_elsewhere_since_is_refused() {
    let mut app = App::new("default");
    app.create();
    app.add("Thunderbird", "me@icloud.com", "Mail", &password(1), "2026-01-01");
    edit_notes(&mut app, "Thunderbird", "mine");
    // The other machine saw "mine" and wrote over it.
    elsewhere(&app, |v| {
        let id = v.find("Thunderbird", None).unwrap().id.clone();
        let edit = aspen::model::Edit {
            notes: Some("theirs".to_owned()),
            ..Default::default()
        };
        v.edit(&id, edit, date(2026, 11, 20)).unwrap();
    });
    app.add("Mac", "me@icloud.com", "Mail", &password(3), "2026-01-01");
    assert!(
        message(&app).contains("changed \"Thunderbird\""),
        "{}",
        message(&app)
    );

    app.press('u');
    app.press('y');
    assert_eq!(message(&app), "Undid: add of \"Mac\".");
    let before = std::fs::read(app.dir.path().join("vault.aspen")).unwrap();
    app.press('u');
    let text = message(&app);
    assert_eq!(
        text,
        "Cannot undo the edit of \"Thunderbird\": \"Thunderbird\" changed elsewhere since; \
         nothing was undone."
    );
    assert_eq!(
        std::fs::read(app.dir.path().join("vault.aspen")).unwrap(),
        before,
        "nothing was written"
    );
    // The add of Thunderbird is no longer as it was made either.
    app.press('u');
    assert!(
        message(&app).contains("Cannot undo the add of \"Thunderbird\""),
        "{}",
        message(&app)
    );
    app.press('u');
    assert!(message(&app).starts_with("Nothing to undo"), "{}", message(&app));
    let stored = on_disk(&app);
    assert_eq!(stored.entries.len(), 1);
    assert_eq!(stored.entries[0].notes, "theirs");
}

/// A deletion whose save merged: `u` brings the entry back and keeps what came in.
#[test]
fn undoing_a_deletion_whose_save_merged_brings_it_back_beside_the_other_add() {
    let mut app = App::new("default");
    app.create();
    app.add("Thunderbird", "me@icloud.com", "Mail", &password(1), "2026-01-01");
    elsewhere(&app, |v| add(v, "From CLI", "me@icloud.com", 2));
    select(&mut app, "Thunderbird");
    app.press('d');
    app.press('y');
    let text = message(&app);
    assert!(text.contains("Deleted \"Thunderbird\""), "{text}");
    assert!(text.contains("added \"From CLI\""), "{text}");
    app.press('u');
    assert_eq!(message(&app), "Undid: deletion of \"Thunderbird\".");
    assert_eq!(labels_on_disk(&app), ["From CLI", "Thunderbird"]);
    let stored = on_disk(&app);
    assert_eq!(
        stored
            .entries
            .iter()
            .find(|e| e.label == "Thunderbird")
            .unwrap()
            .password
            .as_ref()
            .unwrap()
            .expose(),
        password(1)
    );
}
