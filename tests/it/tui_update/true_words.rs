//! Issue 21's untrue words, fixed one by one: a dialog says only what will happen.

use crossterm::event::KeyCode;

use super::own_undo::elsewhere;
use super::{password, select};
use crate::harness::{App, box_text};

/// Deleting an entry recorded without its password loses no password: the dialog
/// does not say it does.
#[test]
fn deleting_an_untracked_entry_does_not_speak_of_its_password() {
    let mut app = App::new("default");
    app.create();
    app.add("Thunderbird", "me@icloud.com", "Mail", &password(1), "2026-01-01");
    elsewhere(&app, |v| {
        let new = aspen::model::NewEntry {
            label: "Old".to_owned(),
            apple_id: "me@icloud.com".to_owned(),
            apps: Vec::new(),
            password: None,
            created: jiff::civil::date(2026, 1, 1),
            notes: String::new(),
            uses: Vec::new(),
        };
        v.add(
            aspen::model::EntryId::from_random([5; 16]),
            new,
            jiff::civil::date(2026, 11, 20),
        )
        .unwrap();
    });
    app.advance(std::time::Duration::from_secs(1));
    select(&mut app, "Old");
    app.press('d');
    let dialog = box_text(&app.screen(), "Delete this entry?");
    assert!(!dialog.contains("its password will be gone"), "{dialog}");
    assert!(dialog.contains("holds no password"), "{dialog}");
    app.key(KeyCode::Esc);
    select(&mut app, "Thunderbird");
    app.press('d');
    let dialog = box_text(&app.screen(), "Delete this entry?");
    assert!(dialog.contains("its password will be gone for good"), "{dialog}");
}

/// Adding a password an entry already holds, for apps it already has: the join
/// offer does not offer to add nothing.
#[test]
fn the_join_offer_never_offers_to_add_no_apps() {
    let mut app = App::new("default");
    app.create();
    app.add("Work App", "me@icloud.com", "Mail", &password(1), "2026-01-01");
    app.press('a');
    app.type_str("Work App 26");
    app.key(KeyCode::Tab);
    app.replace_field("me@icloud.com");
    app.key(KeyCode::Tab);
    app.type_str("Mail");
    app.key(KeyCode::Tab);
    app.type_str(&password(1));
    app.key(KeyCode::Enter);
    let screen = app.screen();
    assert!(screen.contains("instead?"), "the join offer: {screen}");
    assert!(!screen.contains("Yes: add  to"), "{screen}");
    assert!(screen.contains("already has these apps"), "{screen}");
}
