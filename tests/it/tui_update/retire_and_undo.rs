//! Issue 13, items 1 to 3 in the TUI: what `x` offers on a revoked entry (retire, one
//! app, unretire), retiring from the checklist, the revoke's own day, and undo.

use aspen::model::Status;
use aspen::tui::dialogs::{Overlay, Question};
use crossterm::event::KeyCode;
use jiff::civil::date;

use super::{form_error, message, on_disk};
use crate::harness::App;

fn with_thunderbird() -> App {
    let mut app = App::new("default");
    app.create();
    app.add(
        "Thunderbird",
        "me@icloud.com",
        "Thunderbird, K-9 Mail",
        "abcd-efgh-ijkl-mnop",
        "2026-01-01",
    );
    app
}

#[test]
fn x_on_a_revoked_entry_retires_it_or_one_app_and_on_a_retired_one_unretires() {
    let mut app = with_thunderbird();
    // Revoked, its apps still need a password.
    app.press('x');
    app.key(KeyCode::Right);
    app.key(KeyCode::Enter);
    assert!(on_disk(&app).entries[0].needs_replacement());

    app.press('x');
    let screen = app.screen();
    assert!(screen.contains("No app needs it any more: retire it"), "{screen}");
    assert!(screen.contains("Only \"K-9 Mail\" is gone"), "{screen}");
    // The second app is gone; Thunderbird itself still needs one.
    app.key(KeyCode::Down);
    app.key(KeyCode::Down);
    app.key(KeyCode::Enter);
    assert!(
        message(&app).contains("Retired the app \"K-9 Mail\""),
        "{}",
        message(&app)
    );
    let stored = on_disk(&app);
    assert_eq!(stored.entries[0].apps, ["Thunderbird"]);
    assert!(stored.entries[0].needs_replacement());

    // One app left: retiring it is retiring the entry.
    app.press('x');
    assert!(!app.screen().contains("Only \""));
    app.key(KeyCode::Enter);
    assert!(
        message(&app).contains("nothing to regenerate"),
        "{}",
        message(&app)
    );
    assert!(!on_disk(&app).entries[0].needs_replacement());
    assert!(!app.screen().contains("1 to regenerate"));

    // Retired by mistake: x offers to unretire, after a confirmation.
    app.press('x');
    assert!(matches!(
        app.state.dialogs.top(),
        Some(Overlay::Confirm(Question::Unretire(_)))
    ));
    assert!(app.screen().contains("need a password again?"));
    app.press('y');
    assert!(on_disk(&app).entries[0].needs_replacement());
    assert!(app.screen().contains("1 to regenerate"));
}

#[test]
fn the_checklist_retires_an_entry_whose_app_is_gone_and_stays_open() {
    let mut app = with_thunderbird();
    app.add(
        "SmoothSync",
        "me@icloud.com",
        "SmoothSync",
        "qrst-uvwx-yzab-cdef",
        "2026-02-01",
    );
    app.press('R');
    app.key(KeyCode::Tab);
    app.replace_field("2026-11-02");
    app.key(KeyCode::Enter);
    app.key(KeyCode::Enter);
    assert!(matches!(app.state.dialogs.top(), Some(Overlay::Checklist(_))));
    // The checklist lists in the vault's order: Thunderbird, then SmoothSync.
    app.key(KeyCode::Down);
    app.press('x');
    assert!(
        matches!(app.state.dialogs.top(), Some(Overlay::Checklist(_))),
        "the checklist stays open"
    );
    let screen = app.screen();
    assert!(screen.contains("[retired] SmoothSync"), "{screen}");
    assert!(screen.contains("[ ] Thunderbird"), "{screen}");
    let stored = on_disk(&app);
    let smooth = stored.entries.iter().find(|e| e.label == "SmoothSync").unwrap();
    assert!(!smooth.needs_replacement(), "retired on disk");
    // Retiring it again does nothing more.
    app.press('x');
    assert!(message(&app).contains("Retired \"SmoothSync\""));
    app.key(KeyCode::Enter);
    assert_eq!(app.labels_shown(), ["Thunderbird"], "only what needs attention");
}

#[test]
fn a_revoke_is_recorded_on_the_day_typed_and_a_future_day_is_refused_in_the_form() {
    let mut app = with_thunderbird();
    app.press('x');
    app.key(KeyCode::Tab);
    app.replace_field("2026-11-21");
    app.key(KeyCode::Enter);
    let error = form_error(&app);
    assert!(error.contains("2026-11-21 is in the future"), "{error}");
    assert!(error.contains("2026-11-20 at the latest"), "{error}");
    assert!(on_disk(&app).entries[0].is_active(), "nothing was recorded");

    app.replace_field("2026-11-15");
    app.key(KeyCode::Enter);
    assert!(app.state.dialogs.top().is_none());
    assert!(
        message(&app).contains("Revoked \"Thunderbird\" on 2026-11-15"),
        "{}",
        message(&app)
    );
    assert!(matches!(
        on_disk(&app).entries[0].status,
        Status::Revoked { on, .. } if on == date(2026, 11, 15)
    ));
    // Before it was created: the model's refusal, in the form.
    app.press('u');
    app.press('x');
    app.key(KeyCode::Tab);
    app.replace_field("2025-12-31");
    app.key(KeyCode::Enter);
    assert!(form_error(&app).contains("before \"Thunderbird\" was created"));
}

#[test]
fn undo_walks_back_one_change_per_press_each_saved_before_it_is_said() {
    let mut app = with_thunderbird();
    app.press('e');
    app.key(KeyCode::Tab);
    app.key(KeyCode::Tab);
    app.replace_field("Thunderbird");
    app.key(KeyCode::Enter);
    app.press('x');
    app.key(KeyCode::Enter);
    assert!(!on_disk(&app).entries[0].is_active());

    app.press('u');
    assert_eq!(message(&app), "Undid: revoke of \"Thunderbird\".");
    assert!(on_disk(&app).entries[0].is_active(), "the undo is on disk");

    app.press('u');
    assert_eq!(message(&app), "Undid: edit of \"Thunderbird\".");
    assert_eq!(on_disk(&app).entries[0].apps, ["Thunderbird", "K-9 Mail"]);

    // Taking back the add drops a password Apple never shows again: asked first.
    app.press('u');
    assert!(matches!(
        app.state.dialogs.top(),
        Some(Overlay::Confirm(Question::Undo(_)))
    ));
    let screen = app.screen();
    assert!(screen.contains("Undo the add of \"Thunderbird\"?"), "{screen}");
    assert!(screen.contains("leaves the vault"), "{screen}");
    app.press('n');
    assert_eq!(on_disk(&app).entries.len(), 1, "declined: nothing changed");
    app.press('u');
    app.press('y');
    assert_eq!(message(&app), "Undid: add of \"Thunderbird\".");
    assert!(on_disk(&app).entries.is_empty());

    app.press('u');
    assert!(message(&app).starts_with("Nothing to undo"), "{}", message(&app));
}

#[test]
fn locking_forgets_what_could_be_undone() {
    let mut app = with_thunderbird();
    app.press('x');
    app.key(KeyCode::Enter);
    app.press('L');
    app.unlock();
    app.press('u');
    assert!(message(&app).starts_with("Nothing to undo"), "{}", message(&app));
    assert!(!on_disk(&app).entries[0].is_active(), "the revoke stays");
}

#[test]
fn an_undo_that_cannot_be_saved_says_why_and_never_claims_it_undid() {
    let mut app = with_thunderbird();
    app.press('x');
    app.key(KeyCode::Enter);
    // The owner takes the write permission off: the undo cannot be saved.
    app.make_vault_read_only();
    app.press('u');
    let text = message(&app);
    assert!(!text.contains("Undid"), "{text}");
    assert!(text.contains("read-only"), "{text}");
    assert!(!on_disk(&app).entries[0].is_active(), "nothing was written");
}

/// Another aspen saved meanwhile: the undo is merged with that save, which is kept.
#[test]
fn an_undo_after_a_change_saved_elsewhere_keeps_that_change() {
    let mut app = with_thunderbird();
    app.press('x');
    app.key(KeyCode::Enter);
    app.change_on_disk(|v| v.entries[0].notes = "changed elsewhere".to_owned());
    app.press('u');
    let text = message(&app);
    assert!(text.contains("Undid"), "{text}");
    assert!(text.contains("Merged with a change saved elsewhere"), "{text}");
    let stored = on_disk(&app);
    assert_eq!(
        stored.entries[0].notes, "changed elsewhere",
        "the other change is kept"
    );
    assert!(stored.entries[0].is_active(), "the revoke is undone");
}
