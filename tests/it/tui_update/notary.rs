//! Issue 20, "Notarization is a use", in the TUI: the forms offer notarization among
//! the uses, with a Team id field while it is chosen; the setup card gives the
//! `notarytool store-credentials` line and copies the password with its timer.

use aspen::model::Use;
use crossterm::event::KeyCode;

use super::{entry, form_error, on_disk, password, select};
use crate::harness::{App, box_text};

/// The line the card gives "Notary CI" of dev@example.com.
const LINE: &str =
    r#"xcrun notarytool store-credentials "Notary-CI" --apple-id "dev@example.com" --team-id "ABCDE12345""#;

/// The words inside the box titled `title`, wrapped lines joined.
fn in_box(app: &mut App, title: &str) -> String {
    let text = box_text(&app.screen(), title);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Turns the focused choice with Right until it shows `choice`.
fn choose(app: &mut App, choice: &str) {
    for _ in 0..16 {
        if app.screen().contains(&format!("◂ {choice} ▸")) {
            return;
        }
        app.key(KeyCode::Right);
    }
    panic!("no choice {choice:?}:\n{}", app.screen());
}

#[test]
fn a_notarization_entry_is_added_with_its_team_id_and_its_card_gives_the_notarytool_line() {
    let mut app = App::sized("default", 100, 30);
    app.create();
    app.press('a');
    app.type_str("Notary CI");
    app.key(KeyCode::Tab);
    app.replace_field("dev@example.com");
    app.key(KeyCode::Tab);
    app.type_str("notarytool");
    app.key(KeyCode::Tab);
    app.type_str(&password(1));
    // Created, Notes, then Used for.
    for _ in 0..3 {
        app.key(KeyCode::Tab);
    }
    let form = "Add an app-specific password";
    assert!(
        !in_box(&mut app, form).contains("Team id"),
        "only for notarization"
    );
    choose(&mut app, "notarization");
    assert!(in_box(&mut app, form).contains("Team id"));
    app.key(KeyCode::Enter);
    assert_eq!(form_error(&app), "Team id is empty.");
    app.key(KeyCode::Tab);
    app.type_str("abcde-1234");
    app.key(KeyCode::Enter);
    let error = form_error(&app);
    assert!(
        error.starts_with("\"abcde-1234\" is not an Apple developer team id: it holds \"-\""),
        "{error}"
    );
    assert!(error.contains("Membership details"), "{error}");
    app.replace_field("abcde12345");
    app.key(KeyCode::Enter);
    assert!(app.state.dialogs.top().is_none(), "{}", app.screen());
    let stored = on_disk(&app);
    let notary = stored.entries.iter().find(|e| e.label == "Notary CI").unwrap();
    assert_eq!(notary.uses, [Use::Notarization]);
    assert_eq!(notary.team_id, "ABCDE12345");

    // The card: the line with the Apple ID and team id, never the password.
    select(&mut app, "Notary CI");
    app.press('i');
    let card = in_box(&mut app, "Setup card");
    assert!(card.contains("notarytool line"), "{card}");
    assert!(card.contains("Notary team id ABCDE12345"), "{card}");
    assert!(!card.contains("IMAP"), "only what it is used for: {card}");
    assert!(!app.screen().contains(&password(1)), "the password is not shown");
    // The password: the usual copy, cleared after its time.
    app.press('c');
    assert_eq!(app.clipboard.borrow().copied, [password(1)]);
    assert!(app.state.copy.as_ref().is_some_and(|c| c.deadline.is_some()));
    // The line: shown whole under the card, copied as it is.
    app.press('j');
    let card = in_box(&mut app, "Setup card");
    assert!(card.contains(LINE), "{card}");
    assert!(card.contains("notarytool asks for the password"), "{card}");
    app.press('c');
    assert_eq!(app.clipboard.borrow().copied.last().unwrap(), LINE);
    assert!(!app.screen().contains(&password(1)));
    app.key(KeyCode::Esc);

    // Edit: given up, notarization takes its team id along…
    app.press('e');
    for _ in 0..5 {
        app.key(KeyCode::Tab);
    }
    let form = "Edit \"Notary CI\"";
    assert!(in_box(&mut app, form).contains("Team id ABCDE12345"));
    choose(&mut app, "mail");
    assert!(!in_box(&mut app, form).contains("Team id"));
    app.key(KeyCode::Enter);
    assert!(app.state.dialogs.top().is_none(), "{}", app.screen());
    assert_eq!(entry(&app, "Notary CI").uses, [Use::Mail]);
    assert_eq!(entry(&app, "Notary CI").team_id, "");
    // …and taken up again, it asks for one.
    app.press('e');
    for _ in 0..5 {
        app.key(KeyCode::Tab);
    }
    choose(&mut app, "mail, notarization");
    app.key(KeyCode::Enter);
    assert_eq!(form_error(&app), "Team id is empty.");
    app.key(KeyCode::Tab);
    app.type_str("fghij67890");
    app.key(KeyCode::Enter);
    assert!(app.state.dialogs.top().is_none(), "{}", app.screen());
    let e = entry(&app, "Notary CI");
    assert_eq!(e.uses, [Use::Mail, Use::Notarization]);
    assert_eq!(e.team_id, "FGHIJ67890");
}

/// The uses the choice offered before notarization keep their places: a form that
/// turned to "calendar, contacts" still does with the same keys.
#[test]
fn the_uses_choice_keeps_its_order_and_adds_notarization_after_it() {
    let mut app = App::sized("default", 100, 30);
    app.create();
    app.press('a');
    for _ in 0..6 {
        app.key(KeyCode::Tab);
    }
    let expected = [
        "not recorded (all)",
        "mail",
        "calendar",
        "contacts",
        "mail, calendar",
        "mail, contacts",
        "calendar, contacts",
        "mail, calendar, contacts",
        "notarization",
    ];
    for choice in expected {
        let screen = app.screen();
        assert!(screen.contains(&format!("◂ {choice} ▸")), "{choice}:\n{screen}");
        app.key(KeyCode::Right);
    }
}
