//! Issue 14 in the TUI: untracked passwords and uses in the forms, search by field,
//! Apple ID names, the audit against Apple's page, merge conflicts and conflict
//! copies.

use aspen::model::Use;
use crossterm::event::KeyCode;

use super::{form_error, message};
use crate::harness::{App, box_text, shows_in_full};

/// A vault with one entry of `me@icloud.com`, at 100×30.
fn vault() -> App {
    let mut app = App::sized("default", 100, 30);
    app.create();
    app.add(
        "Mail",
        "me@icloud.com",
        "Thunderbird",
        "abcd-efgh-ijkl-mnop",
        "2026-01-01",
    );
    app
}

/// Fills the add form's label, Apple ID and apps, then moves to Password.
fn add_form_up_to_password(app: &mut App, label: &str, apps: &str) {
    app.press('a');
    app.type_str(label);
    app.key(KeyCode::Tab);
    app.replace_field("me@icloud.com");
    app.key(KeyCode::Tab);
    app.type_str(apps);
    app.key(KeyCode::Tab);
}

fn entry<'a>(app: &'a App, label: &str) -> &'a aspen::model::Entry {
    let vault = &app.state.session.as_ref().unwrap().loaded.vault;
    vault.entries.iter().find(|e| e.label == label).unwrap()
}

/// Moves the selection to `label` with the keys a user would press.
fn select(app: &mut App, label: &str) {
    app.press('g');
    for _ in 0..app.labels_shown().len() {
        let s = app.state.session.as_ref().unwrap();
        if s.selected_entry().is_some_and(|e| e.label == label) {
            return;
        }
        app.press('j');
    }
    panic!("{label} is not in the list");
}

#[test]
fn search_never_matches_across_the_end_of_one_field_and_the_start_of_the_next() {
    let mut app = vault();
    // "…ma" ends the label and "Il…" starts the app: "mail" across the two.
    app.add(
        "Panorama",
        "me@icloud.com",
        "Iliad",
        "qrst-uvwx-yzab-cdef",
        "2026-01-02",
    );
    app.press('/');
    app.type_str("mail");
    assert_eq!(app.labels_shown(), ["Mail"]);
    // Each field still matches on its own, and words may match different fields.
    app.key(KeyCode::Esc);
    app.press('/');
    app.type_str("iliad");
    assert_eq!(app.labels_shown(), ["Panorama"]);
    app.key(KeyCode::Esc);
    app.press('/');
    app.type_str("pano iliad");
    assert_eq!(app.labels_shown(), ["Panorama"]);
}

#[test]
fn an_untracked_password_is_recorded_explained_on_copy_and_reveal_then_regenerated() {
    let mut app = vault();
    add_form_up_to_password(&mut app, "Old Mac Mail", "");
    app.key(KeyCode::Right);
    let form = box_text(&app.screen(), "Add an app-specific password");
    assert!(
        shows_in_full(&form, "Apple lists it, but I don't have its password"),
        "{form}"
    );
    assert!(
        form.contains("Apps (opt.)"),
        "no app needed without a password: {form}"
    );
    app.key(KeyCode::Tab);
    app.replace_field("2025-03-04");
    app.key(KeyCode::Enter);
    assert!(app.state.overlay.is_none(), "{}", app.screen());
    assert!(
        message(&app).contains("Added \"Old Mac Mail\""),
        "{}",
        message(&app)
    );
    let e = entry(&app, "Old Mac Mail");
    assert!(e.password.is_none());
    assert!(e.apps.is_empty());
    assert_eq!(e.created.to_string(), "2025-03-04");
    assert!(app.screen().contains("not stored"));

    select(&mut app, "Old Mac Mail");
    for key in ['c', 'v'] {
        app.state.message = None;
        app.press(key);
        let said = message(&app);
        assert!(
            said.contains("aspen does not hold the password of \"Old Mac Mail\""),
            "{said}"
        );
        assert!(said.contains("press r to regenerate"), "{said}");
    }
    assert!(app.clipboard.borrow().copied.is_empty(), "nothing was copied");
    assert!(app.state.session.as_ref().unwrap().revealed.is_none());

    app.press('r');
    app.type_str("zyxw-vuts-rqpo-nmlk");
    app.key(KeyCode::Enter);
    assert!(entry(&app, "Old Mac Mail").password.is_some(), "{}", app.screen());
    app.press('c');
    assert_eq!(app.clipboard.borrow().copied, ["zyxw-vuts-rqpo-nmlk"]);
}

#[test]
fn with_a_password_the_apps_are_still_required_and_switching_back_drops_nothing_typed_twice() {
    let mut app = vault();
    add_form_up_to_password(&mut app, "Spark", "");
    app.type_str("qrst-uvwx-yzab-cdef");
    app.key(KeyCode::Enter);
    assert_eq!(form_error(&app), "Apps is empty.");
    // Switching to "no password" and back wipes what was typed: it is asked again.
    app.key(KeyCode::Right);
    app.key(KeyCode::Left);
    let Some(aspen::tui::dialogs::Overlay::Add(add)) = &app.state.overlay else {
        panic!("the add form stays open");
    };
    assert_eq!(add.form.value(aspen::tui::dialogs::AddField::Password), "");
}

/// Tabs from the add form's first field to its Uses field.
const TO_USES: usize = 6;

#[test]
fn uses_chosen_in_the_forms_decide_what_the_setup_card_shows() {
    let mut app = vault();
    add_form_up_to_password(&mut app, "Fantastical", "Fantastical");
    app.type_str("qrst-uvwx-yzab-cdef");
    for _ in 3..TO_USES {
        app.key(KeyCode::Tab);
    }
    app.key(KeyCode::Right);
    app.key(KeyCode::Right);
    assert!(app.screen().contains("◂ calendar ▸"), "{}", app.screen());
    app.key(KeyCode::Enter);
    assert_eq!(entry(&app, "Fantastical").uses, [Use::Calendar]);
    select(&mut app, "Fantastical");
    app.press('i');
    let card = box_text(&app.screen(), "Setup card");
    assert!(card.contains("CalDAV server"), "{card}");
    assert!(!card.contains("IMAP"), "mail is not what it is used for: {card}");
    app.key(KeyCode::Esc);

    // Edit: calendar, then on to "mail" and "calendar" together... via the edit form.
    app.press('e');
    for _ in 0..5 {
        app.key(KeyCode::Tab);
    }
    app.key(KeyCode::Right);
    assert!(app.screen().contains("◂ contacts ▸"), "{}", app.screen());
    app.key(KeyCode::Enter);
    assert_eq!(entry(&app, "Fantastical").uses, [Use::Contacts]);
    app.press('i');
    let card = box_text(&app.screen(), "Setup card");
    assert!(
        card.contains("CardDAV server") && !card.contains("CalDAV"),
        "{card}"
    );
    app.key(KeyCode::Esc);

    // An entry with no use recorded shows every service.
    select(&mut app, "Mail");
    app.press('i');
    let card = box_text(&app.screen(), "Setup card");
    for s in ["IMAP", "SMTP", "CalDAV", "CardDAV"] {
        assert!(card.contains(s), "{s}: {card}");
    }
}
