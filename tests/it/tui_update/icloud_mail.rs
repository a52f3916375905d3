//! Issue 22's last part in the TUI: the iCloud Mail address of an Apple ID that is
//! not one itself, recorded from the overview, shown there, on the setup card and in
//! the verify question.

use aspen::model::Use;
use aspen::tui::dialogs::Overlay;
use crossterm::event::KeyCode;

use super::{entry, form_error, message, on_disk};
use crate::harness::{App, box_text, shows_in_full};

const JANE: &str = "jane@example.org";

/// Jane's entry, whose apps use mail (set in the edit form).
fn janes_mail() -> App {
    let mut app = App::sized("default", 100, 30);
    app.create();
    app.add(
        "Thunderbird",
        JANE,
        "Thunderbird",
        "abcd-efgh-ijkl-mnop",
        "2026-01-01",
    );
    app.press('e');
    for _ in 0..5 {
        app.key(KeyCode::Tab);
    }
    app.key(KeyCode::Right);
    app.key(KeyCode::Enter);
    assert_eq!(entry(&app, "Thunderbird").uses, [Use::Mail]);
    app
}

/// The verify question for the overview's Apple ID, read and answered "no".
fn verify_question(app: &mut App) -> String {
    app.press('V');
    let screen = app.screen();
    app.press('n');
    assert!(app.state.dialogs.top().is_none(), "nothing was sent");
    screen
}

#[test]
fn the_icloud_mail_address_is_recorded_from_the_overview_and_used() {
    let mut app = janes_mail();
    app.press('o');
    let gauges = box_text(&app.screen(), "Slots per Apple ID");
    assert!(
        gauges.contains("▸ iCloud Mail address: not recorded (m records it)"),
        "{gauges}"
    );
    let asked = verify_question(&mut app);
    assert!(
        shows_in_full(
            &asked,
            "CalDAV at https://caldav.icloud.com/ as jane@example.org (its apps use mail, but no \
             iCloud Mail address is recorded for the Apple ID: record it on the overview)"
        ),
        "{asked}"
    );

    app.press('m');
    assert!(matches!(app.state.dialogs.top(), Some(Overlay::MailAppleId(_))));
    assert!(app.screen().contains("iCloud Mail address of jane@example.org"));
    app.type_str("jane@gmail.com");
    app.key(KeyCode::Enter);
    let refused = form_error(&app);
    assert!(
        refused.starts_with(
            "jane@gmail.com is not an iCloud Mail address: those end in @icloud.com, @me.com or \
             @mac.com. Give the address iCloud Mail uses"
        ),
        "{refused}"
    );
    assert!(
        refused.contains("an empty field removes one recorded"),
        "{refused}"
    );
    app.replace_field("Jane.Doe@iCloud.com");
    app.key(KeyCode::Enter);
    assert_eq!(
        message(&app),
        "The iCloud Mail address of jane@example.org is jane.doe@icloud.com: the setup card and \
         verifying use it."
    );
    assert_eq!(on_disk(&app).account(JANE).unwrap().mail, "jane.doe@icloud.com");
    let gauges = box_text(&app.screen(), "Slots per Apple ID");
    assert!(
        gauges.contains("▸ iCloud Mail address: jane.doe@icloud.com"),
        "{gauges}"
    );
    let asked = verify_question(&mut app);
    assert!(
        shows_in_full(&asked, "IMAP at imap.mail.me.com:993 as jane.doe@icloud.com"),
        "{asked}"
    );
    assert!(!asked.contains("its apps use mail"), "{asked}");

    // The setup card's mail user name.
    app.key(KeyCode::Esc);
    app.press('i');
    let card = box_text(&app.screen(), "Setup card");
    assert!(card.contains("jane.doe@icloud.com"), "{card}");
    app.key(KeyCode::Esc);

    // Taken back with u like any change; the form opens with what is recorded.
    app.press('o');
    app.press('u');
    assert_eq!(message(&app), "Undid: iCloud Mail address of jane@example.org.");
    assert_eq!(on_disk(&app).account(JANE).unwrap().mail, "");
    app.press('m');
    app.type_str("jane@me.com");
    app.key(KeyCode::Enter);
    app.press('m');
    assert!(app.screen().contains("jane@me.com"));
    app.replace_field("");
    app.key(KeyCode::Enter);
    assert!(
        message(&app).starts_with("jane@example.org has no iCloud Mail address recorded now"),
        "{}",
        message(&app)
    );
    assert_eq!(on_disk(&app).account(JANE).unwrap().mail, "");
}

#[test]
fn an_icloud_apple_id_has_nothing_to_record() {
    let mut app = App::new("default");
    app.create();
    app.add(
        "Mail",
        "me@icloud.com",
        "Mail",
        "abcd-efgh-ijkl-mnop",
        "2026-01-01",
    );
    app.press('o');
    let gauges = box_text(&app.screen(), "Slots per Apple ID");
    assert!(!gauges.contains("iCloud Mail"), "{gauges}");
    app.press('m');
    assert!(app.state.dialogs.top().is_none());
    assert!(
        message(&app).starts_with(
            "Nothing to record: me@icloud.com is an iCloud Mail address itself: mail apps sign in \
             with it"
        ),
        "{}",
        message(&app)
    );
}
