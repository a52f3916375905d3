//! Issue 13, items 3 to 7 in the TUI: withdrawing a reset from the overview, Apple
//! IDs renamed and forgotten, the reveal's countdown, the setup card and the guided
//! add that makes room on a full Apple ID.

use std::time::Duration;

use aspen::model::SLOT_LIMIT;
use aspen::tui::dialogs::{AddField, Overlay, Question};
use aspen::tui::state::Screen;
use crossterm::event::{KeyCode, KeyModifiers};

use super::{form_error, message, on_disk, password};
use crate::harness::App;

fn two_entries() -> App {
    let mut app = App::new("default");
    app.create();
    app.add(
        "Thunderbird",
        "me@icloud.com",
        "Mail",
        "abcd-efgh-ijkl-mnop",
        "2026-01-01",
    );
    app.add(
        "SmoothSync",
        "me@icloud.com",
        "Sync",
        "qrst-uvwx-yzab-cdef",
        "2026-02-01",
    );
    app
}

#[test]
fn a_reset_is_withdrawn_from_the_overview_after_saying_what_comes_back() {
    let mut app = two_entries();
    app.press('R');
    app.key(KeyCode::Tab);
    app.replace_field("2026-11-02");
    app.key(KeyCode::Enter);
    app.key(KeyCode::Enter);
    app.key(KeyCode::Enter);
    app.press('o');
    let screen = app.screen();
    assert!(
        crate::harness::shows_in_full(&screen, "2026-11-02 ┤ password reset · me@icloud.com"),
        "{screen}"
    );
    app.press('w');
    let screen = app.screen();
    assert!(
        screen.contains("2026-11-02  password reset · me@icloud.com"),
        "{screen}"
    );
    app.key(KeyCode::Enter);
    assert!(matches!(
        app.state.dialogs.top(),
        Some(Overlay::Confirm(Question::Withdraw(_)))
    ));
    let screen = app.screen();
    assert!(
        crate::harness::shows_in_full(&screen, "Active again: \"Thunderbird\", \"SmoothSync\"."),
        "{screen}"
    );
    app.press('y');
    let text = message(&app);
    assert!(
        text.starts_with("Withdrew the password reset of me@icloud.com on 2026-11-02"),
        "{text}"
    );
    let stored = on_disk(&app);
    assert!(stored.entries.iter().all(|e| e.is_active()));
    assert!(stored.accounts[0].resets.is_empty());
    app.press('w');
    assert!(message(&app).contains("nothing to withdraw"), "{}", message(&app));
}

#[test]
fn a_revoke_all_is_listed_and_withdrawn_too() {
    let mut app = two_entries();
    app.press('X');
    app.key(KeyCode::Enter);
    app.key(KeyCode::Enter);
    app.key(KeyCode::Enter);
    app.press('o');
    let screen = app.screen();
    assert!(
        crate::harness::shows_in_full(&screen, "┤ Revoke All · me@icloud.com"),
        "{screen}"
    );
    app.press('w');
    assert!(
        matches!(app.state.dialogs.top(), Some(Overlay::Withdraw(c)) if c.records.len() == 1),
        "one Revoke All, though it revoked two entries"
    );
    app.key(KeyCode::Enter);
    app.press('y');
    assert!(
        message(&app).starts_with("Withdrew the Revoke All"),
        "{}",
        message(&app)
    );
    assert!(on_disk(&app).entries.iter().all(|e| e.is_active()));
}

#[test]
fn an_apple_id_is_renamed_from_the_overview_and_forgotten_once_unused() {
    let mut app = App::new("default");
    app.create();
    app.add(
        "Thunderbird",
        "me@icluod.com",
        "Mail",
        "abcd-efgh-ijkl-mnop",
        "2026-01-01",
    );
    app.press('o');
    app.press('e');
    assert!(app.screen().contains("Rename me@icluod.com"));
    app.replace_field("me@icloud.com");
    app.key(KeyCode::Enter);
    assert_eq!(
        message(&app),
        "Renamed me@icluod.com to me@icloud.com; 1 entry moved."
    );
    let stored = on_disk(&app);
    assert_eq!(stored.entries[0].apple_id, "me@icloud.com");
    assert_eq!(stored.accounts.len(), 1);

    // In use: refused, saying how many entries use it.
    app.press('d');
    assert!(app.state.dialogs.top().is_none());
    let text = message(&app);
    assert!(text.contains("me@icloud.com still has 1 entry"), "{text}");

    app.key(KeyCode::Esc);
    app.press('d');
    app.press('y');
    app.press('o');
    app.press('d');
    assert!(app.screen().contains("Forget me@icloud.com?"));
    app.press('y');
    assert_eq!(message(&app), "Forgot me@icloud.com.");
    assert!(on_disk(&app).accounts.is_empty());
    app.press('u');
    assert_eq!(message(&app), "Undid: forgetting of me@icloud.com.");
    assert_eq!(on_disk(&app).accounts.len(), 1);
}

#[test]
fn renaming_an_apple_id_to_itself_is_refused_in_the_form() {
    let mut app = App::new("default");
    app.create();
    app.add(
        "Thunderbird",
        "me@icloud.com",
        "Mail",
        "abcd-efgh-ijkl-mnop",
        "2026-01-01",
    );
    app.press('o');
    app.press('e');
    app.key(KeyCode::Enter);
    assert!(
        form_error(&app).contains("same as the old one"),
        "{}",
        form_error(&app)
    );
    assert!(matches!(
        app.state.screen,
        Screen::Open(_, aspen::tui::state::View::Overview)
    ));
}

#[test]
fn a_revealed_password_counts_down_to_being_hidden() {
    let mut app = two_entries();
    app.press('v');
    let screen = app.screen();
    assert!(screen.contains("10 s left"), "{screen}");
    app.advance(Duration::from_millis(3_500));
    let screen = app.screen();
    assert!(screen.contains("7 s left"), "{screen}");
    assert!(screen.contains("qrst-uvwx-yzab-cdef"), "{screen}");
    app.advance(Duration::from_secs(7));
    let screen = app.screen();
    assert!(!screen.contains("s left"), "{screen}");
    assert!(!screen.contains("qrst-uvwx-yzab-cdef"), "{screen}");
}

#[test]
fn the_setup_card_copies_each_value_and_the_password_with_its_timer() {
    let mut app = App::new("default");
    app.create();
    app.add(
        "Thunderbird",
        "jane@example.org",
        "Mail",
        "abcd-efgh-ijkl-mnop",
        "2026-01-01",
    );
    app.press('i');
    let screen = app.screen();
    assert!(screen.contains("Setup card: \"Thunderbird\""), "{screen}");
    assert!(screen.contains("imap.mail.me.com"), "{screen}");
    assert!(!screen.contains("abcd-efgh"), "the password is not shown");
    // The password: the usual copy, cleared after its time.
    app.press('c');
    assert_eq!(app.clipboard.borrow().copied, ["abcd-efgh-ijkl-mnop"]);
    assert!(app.state.copy.as_ref().is_some_and(|c| c.deadline.is_some()));
    // A server, on its own.
    app.press('j');
    app.key(KeyCode::Enter);
    assert_eq!(app.clipboard.borrow().copied.last().unwrap(), "imap.mail.me.com");
    assert_eq!(message(&app), "Copied the IMAP server.");
    assert!(
        app.state.copy.is_none(),
        "the password is no longer on the clipboard"
    );
    app.press('j');
    app.press('c');
    assert_eq!(app.clipboard.borrow().copied.last().unwrap(), "993");
    app.press('j');
    app.press('c');
    assert_eq!(app.clipboard.borrow().copied.last().unwrap(), "SSL/TLS");
    // The CalDAV user name is the Apple ID; the mail one is not known here.
    app.press('j');
    let screen = app.screen();
    assert!(screen.contains("iCloud Mail address"), "{screen}");
    app.press('c');
    assert_eq!(app.clipboard.borrow().copied.len(), 4, "nothing to copy");
    for _ in 0..6 {
        app.press('j');
    }
    app.press('c');
    assert_eq!(app.clipboard.borrow().copied.last().unwrap(), "jane@example.org");
}

/// The status line is behind a dialog at the smallest size: a copy made from the
/// setup card or the add form is said in it.
#[test]
fn a_copy_is_said_in_the_dialog_it_was_made_from() {
    let mut app = App::sized("default", 60, 16);
    app.create();
    app.add(
        "Thunderbird",
        "me@icloud.com",
        "Mail",
        "abcd-efgh-ijkl-mnop",
        "2026-01-01",
    );
    // The words inside the box titled `title`, wrapped lines joined.
    let in_box = |app: &mut App, title: &str| {
        let text = crate::harness::box_text(&app.screen(), title);
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    app.press('i');
    app.press('c');
    let card = in_box(&mut app, "Setup card");
    assert!(
        card.contains("Copied Thunderbird; it clears in 30 s if still there."),
        "{card}"
    );
    app.press('j');
    app.press('c');
    let card = in_box(&mut app, "Setup card");
    assert!(card.contains("Copied the IMAP server."), "{card}");
    app.key(KeyCode::Esc);
    app.press('a');
    app.type_str("Outlook");
    app.key_mod(KeyCode::Char('y'), KeyModifiers::CONTROL);
    let form = in_box(&mut app, "Add an app-specific password");
    assert!(form.contains("Copied the label \"Outlook\"."), "{form}");
    app.type_str(" 2");
    assert!(!app.screen().contains("Copied the label"), "typing on clears it");
}

/// An Apple ID with all of Apple's 25 slots taken.
fn full() -> App {
    let mut app = App::sized("default", 100, 30);
    app.create();
    for n in 0..25 {
        let created = format!("2026-01-{:02}", n + 1);
        app.add(
            &format!("App {n:02}"),
            "me@icloud.com",
            "Mail",
            &password(n),
            &created,
        );
    }
    app
}

#[test]
fn the_add_form_guides_copies_the_label_and_makes_room_on_a_full_apple_id() {
    let mut app = full();
    app.press('a');
    assert!(app.screen().contains("App-Specific Passwords"));
    app.type_str("One more");
    app.key_mod(KeyCode::Char('y'), KeyModifiers::CONTROL);
    assert_eq!(app.clipboard.borrow().copied.last().unwrap(), "One more");
    app.key(KeyCode::Tab);
    app.replace_field("me@icloud.com");
    app.key(KeyCode::Tab);
    app.type_str("Mail");
    app.key(KeyCode::Tab);
    app.type_str(&password(25));
    app.key(KeyCode::Enter);
    let screen = app.screen();
    assert!(screen.contains("me@icloud.com is full"), "{screen}");
    assert!(screen.contains("App 00"), "oldest first: {screen}");
    // Revoke the oldest, say its app is gone, and come back to the form as typed.
    app.key(KeyCode::Enter);
    assert!(matches!(app.state.dialogs.top(), Some(Overlay::Revoke(_))));
    app.key(KeyCode::Enter);
    let Some(Overlay::Add(add)) = app.state.dialogs.top() else {
        panic!("back at the add form: {}", app.screen());
    };
    assert_eq!(add.form.value(AddField::Label), "One more");
    assert_eq!(add.form[AddField::Password].value.as_str(), password(25));
    assert_eq!(add.form.error, None);
    assert!(!on_disk(&app).entries[0].is_active(), "App 00 revoked on disk");
    app.key(KeyCode::Enter);
    assert!(app.state.dialogs.top().is_none(), "{}", app.screen());
    let stored = on_disk(&app);
    assert_eq!(stored.active_count("me@icloud.com"), SLOT_LIMIT);
    assert!(stored.entries.iter().any(|e| e.label == "One more"));
}

#[test]
fn leaving_the_make_room_dialogs_goes_back_to_the_form_as_typed() {
    let mut app = full();
    app.press('a');
    app.type_str("One more");
    app.key(KeyCode::Tab);
    app.replace_field("ME@icloud.com");
    app.key(KeyCode::Tab);
    app.type_str("Mail");
    app.key(KeyCode::Tab);
    app.type_str(&password(25));
    app.key(KeyCode::Enter);
    app.key(KeyCode::Down);
    app.key(KeyCode::Enter);
    assert!(matches!(app.state.dialogs.top(), Some(Overlay::Revoke(_))));
    app.key(KeyCode::Esc);
    assert!(form_error(&app).contains("25 active app-specific passwords"));
    let Some(Overlay::Add(add)) = app.state.dialogs.top() else {
        unreachable!("form_error checked a form is open");
    };
    assert_eq!(add.form.value(AddField::AppleId), "ME@icloud.com");
    assert_eq!(add.form.value(AddField::Label), "One more");
    assert!(
        on_disk(&app).entries.iter().all(|e| e.is_active()),
        "nothing revoked"
    );
    // A typo in the Apple ID: refused in the form, every field kept.
    app.key(KeyCode::BackTab);
    app.key(KeyCode::BackTab);
    app.replace_field("me@");
    app.key(KeyCode::Enter);
    assert!(!form_error(&app).is_empty());
    let Some(Overlay::Add(add)) = app.state.dialogs.top() else {
        unreachable!("form_error checked a form is open");
    };
    assert_eq!(add.form.value(AddField::Label), "One more");
    assert_eq!(add.form[AddField::Password].value.as_str(), password(25));
}

/// The add form given a password an active entry already has: Apple allows one
/// password in several apps, so it asks whether the apps join that entry.
#[test]
fn a_password_an_entry_already_has_offers_to_add_the_apps_to_it() {
    let mut app = App::new("default");
    app.create();
    app.add(
        "Thunderbird",
        "me@icloud.com",
        "Thunderbird",
        "abcd-efgh-ijkl-mnop",
        "2026-01-01",
    );
    let fill = |app: &mut App, label: &str| {
        app.press('a');
        app.type_str(label);
        app.key(KeyCode::Tab);
        app.replace_field("me@icloud.com");
        app.key(KeyCode::Tab);
        app.type_str("K-9 Mail");
        app.key(KeyCode::Tab);
        app.type_str("abcd-efgh-ijkl-mnop");
        app.key(KeyCode::Enter);
    };
    fill(&mut app, "K-9");
    let screen = app.screen();
    assert!(screen.contains("Add to \"Thunderbird\" instead?"), "{screen}");
    assert!(
        crate::harness::shows_in_full(&screen, "That is the password of \"Thunderbird\""),
        "{screen}"
    );
    app.press('y');
    assert_eq!(message(&app), "Added K-9 Mail to \"Thunderbird\"; no new entry.");
    let stored = on_disk(&app);
    assert_eq!(stored.entries.len(), 1);
    assert_eq!(stored.entries[0].apps, ["Thunderbird", "K-9 Mail"]);

    // No: back to the form, as typed; Apple counts one password once, so aspen
    // never stores it as a second entry (issue 20).
    fill(&mut app, "K-9 on the tablet");
    app.press('n');
    let Some(Overlay::Add(add)) = app.state.dialogs.top() else {
        panic!("back at the add form: {}", app.screen());
    };
    assert_eq!(add.form.value(AddField::Label), "K-9 on the tablet");
    assert_eq!(on_disk(&app).entries.len(), 1);
}
