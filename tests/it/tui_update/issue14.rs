//! Issue 14 in the TUI: untracked passwords and uses in the forms, search by field,
//! Apple ID names, the audit against Apple's page, merge conflicts and conflict
//! copies.

use aspen::model::Use;
use crossterm::event::KeyCode;

use super::{entry, form_error, message, select};
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
    assert!(app.state.dialogs.top().is_none(), "{}", app.screen());
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
    assert!(app.state.session().unwrap().revealed.is_none());

    app.press('r');
    let guide = box_text(&app.screen(), "Regenerate");
    assert!(
        shows_in_full(&guide, "New password for \"Old Mac Mail\" (me@icloud.com):"),
        "{guide}"
    );
    app.type_str("zyxw-vuts-rqpo-nmlk");
    app.key(KeyCode::Enter);
    assert!(entry(&app, "Old Mac Mail").password.is_some(), "{}", app.screen());
    // The untracked one was active at Apple: revoked there yet? Not yet.
    let question = box_text(&app.screen(), "Revoked the old password");
    assert!(shows_in_full(&question, "still active at Apple"), "{question}");
    app.key(KeyCode::Esc);
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
    let Some(aspen::tui::dialogs::Overlay::Add(add)) = app.state.dialogs.top() else {
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

/// The overview's text for the selected Apple ID.
fn overview(app: &mut App) -> String {
    box_text(&app.screen(), "Slots per Apple ID")
}

#[test]
fn an_apple_id_gets_a_name_shown_beside_it_and_loses_it_again() {
    let mut app = vault();
    app.press('o');
    app.press('n');
    app.type_str("me");
    app.key(KeyCode::Enter);
    assert!(message(&app).contains("me@icloud.com is now shown as me@icloud.com (me)"));
    assert!(
        overview(&mut app).contains("me@icloud.com (me)"),
        "{}",
        app.screen()
    );
    app.key(KeyCode::Esc);
    assert!(
        app.screen().contains("me@icloud.com (me)"),
        "the main screen's gauge too"
    );
    app.press('o');
    app.press('n');
    app.replace_field("");
    app.key(KeyCode::Enter);
    assert_eq!(message(&app), "me@icloud.com has no name now.");
    assert!(!overview(&mut app).contains("(me)"));
    let vault = &app.state.session().unwrap().loaded.vault;
    assert_eq!(vault.account("me@icloud.com").unwrap().name, "");
}

#[test]
fn an_audit_records_what_apple_lists_and_the_overview_says_when() {
    let mut app = vault();
    app.add(
        "Panorama",
        "me@icloud.com",
        "Iliad",
        "qrst-uvwx-yzab-cdef",
        "2026-01-02",
    );
    app.add(
        "Spark",
        "me@icloud.com",
        "Spark",
        "hijk-lmno-pqrs-tuvw",
        "2025-12-01",
    );
    // Spark was revoked in aspen; Apple lists it again (generated anew, not stored).
    select(&mut app, "Spark");
    app.press('x');
    app.key(KeyCode::Right);
    app.key(KeyCode::Enter);
    assert!(!entry(&app, "Spark").is_active());
    app.press('o');
    assert!(overview(&mut app).contains("never checked against Apple's page"));

    app.state.message = None;
    app.press('a');
    let step1 = app.screen();
    assert!(
        shows_in_full(&step1, "Sign-In and Security → App-Specific Passwords"),
        "{step1}"
    );
    let (newest, older) = (
        step1.find("Panorama  Jan 2, 2026"),
        step1.find("Mail  Jan 1, 2026"),
    );
    assert!(
        newest.is_some() && newest < older,
        "newest first, as Apple writes dates: {step1}"
    );
    assert!(!step1.contains("Spark"), "a revoked one is not expected: {step1}");
    app.key(KeyCode::Enter);
    app.key(KeyCode::Right);
    assert!(
        app.screen()
            .contains("[not listed, apps still need one] Panorama")
    );
    app.key(KeyCode::Enter);
    // Step 3: labels Apple lists that aspen did not show.
    app.type_str("Old iPad");
    app.key(KeyCode::Tab);
    app.type_str("Mar 3, 2025");
    app.key(KeyCode::Enter);
    app.type_str("Spark");
    app.key(KeyCode::Enter);
    app.type_str("Mail");
    app.key(KeyCode::Enter);
    assert!(
        form_error(&app).contains("listed already"),
        "{}",
        form_error(&app)
    );
    app.replace_field("");
    app.key(KeyCode::Enter);
    let confirm = app.screen();
    for line in [
        "\"Panorama\": revoked outside aspen; waits to be regenerated",
        "\"Spark\": listed again at Apple",
        "\"Old iPad\": recorded without its password (created 2025-03-03)",
    ] {
        assert!(shows_in_full(&confirm, line), "{line}:\n{confirm}");
    }
    assert!(
        entry(&app, "Panorama").is_active(),
        "nothing changes before the confirmation"
    );
    app.key(KeyCode::Enter);
    let said = message(&app);
    assert!(
        said.contains("Checked me@icloud.com against Apple's page: 1 revoked at Apple, 1 generated again at Apple, 1 untracked recorded."),
        "{said}"
    );
    assert!(entry(&app, "Panorama").needs_replacement());
    assert!(entry(&app, "Spark").is_active() && entry(&app, "Spark").password.is_none());
    let ipad = entry(&app, "Old iPad");
    assert!(ipad.password.is_none() && ipad.created.to_string() == "2025-03-03");
    let shown = overview(&mut app);
    assert!(
        shown.contains("last checked against Apple's page on 2026-11-20: 1 revoked"),
        "{shown}"
    );
    // Saved: the audit is in the file, not only on screen.
    let mut again = app.restarted();
    again.unlock();
    let vault = &again.state.session().unwrap().loaded.vault;
    assert_eq!(vault.account("me@icloud.com").unwrap().audits.len(), 1);
}

#[test]
fn an_audit_that_finds_everything_listed_changes_nothing_but_the_date() {
    let mut app = vault();
    app.press('o');
    app.press('a');
    app.key(KeyCode::Enter);
    app.key(KeyCode::Enter);
    app.key(KeyCode::Enter);
    assert!(
        app.screen()
            .contains("Everything matches Apple's page: nothing changes.")
    );
    app.key(KeyCode::Esc);
    app.key(KeyCode::Esc);
    app.key(KeyCode::Esc);
    app.key(KeyCode::Esc);
    assert!(
        app.state.dialogs.top().is_none(),
        "Esc walks back through the steps and out"
    );
    let vault = &app.state.session().unwrap().loaded.vault;
    assert!(vault.account("me@icloud.com").unwrap().audits.is_empty());
}

#[test]
fn a_merge_conflict_stands_out_is_described_and_settled_either_way() {
    let mut app = vault();
    // Another machine changes the notes while this one does too: the save merges,
    // keeps this machine's notes and records the other's.
    app.change_on_disk(|v| v.entries[0].notes = "from the desktop".to_owned());
    app.press('e');
    for _ in 0..4 {
        app.key(KeyCode::Tab);
    }
    app.type_str("from the laptop");
    app.key(KeyCode::Enter);
    assert!(
        message(&app).contains("Merged with a change saved elsewhere"),
        "{}",
        message(&app)
    );
    assert_eq!(entry(&app, "Mail").conflicts.len(), 1, "{}", app.screen());
    let screen = app.screen();
    assert!(screen.contains("⚠ conflict"), "{screen}");
    assert!(
        shows_in_full(&screen, "the notes differ in the copy merged in"),
        "{screen}"
    );
    assert!(shows_in_full(&screen, "press C to choose"), "{screen}");

    app.press('C');
    let dialog = box_text(&app.screen(), "Conflict on \"Mail\"");
    assert!(dialog.contains("Keep this vault's values"), "{dialog}");
    app.key(KeyCode::Down);
    app.key(KeyCode::Enter);
    assert_eq!(message(&app), "Took the merged copy's values of \"Mail\".");
    let mail = entry(&app, "Mail");
    assert_eq!(mail.notes, "from the desktop");
    assert!(mail.conflicts.is_empty());
    assert!(!app.screen().contains("⚠ conflict"));
    app.press('C');
    assert_eq!(message(&app), "\"Mail\" has no conflict: nothing to settle.");
}

#[test]
fn taking_the_other_side_refused_for_a_taken_label_says_why_in_the_dialog() {
    let mut app = vault();
    app.add(
        "Spark",
        "me@icloud.com",
        "Spark",
        "qrst-uvwx-yzab-cdef",
        "2026-01-02",
    );
    // As a merge leaves it: the other machine renamed "Mail" to "Spark".
    let s = app.state.session_mut().unwrap();
    let i = s
        .loaded
        .vault
        .entries
        .iter()
        .position(|e| e.label == "Mail")
        .unwrap();
    s.loaded.vault.entries[i]
        .conflicts
        .push(aspen::model::Conflict::Label("Spark".to_owned()));
    app.state.refresh();
    select(&mut app, "Mail");
    app.press('C');
    app.key(KeyCode::Down);
    app.key(KeyCode::Enter);
    let dialog = box_text(&app.screen(), "Conflict on \"Mail\"");
    assert!(shows_in_full(&dialog, "another entry of"), "{dialog}");
    assert_eq!(entry(&app, "Mail").conflicts.len(), 1, "nothing was settled");
    app.key(KeyCode::Up);
    app.key(KeyCode::Enter);
    assert!(app.state.dialogs.top().is_none());
    assert_eq!(message(&app), "Kept this vault's values of \"Mail\".");
    assert!(entry(&app, "Mail").conflicts.is_empty());
}

#[test]
fn conflict_copies_beside_the_vault_are_listed_on_unlock_with_the_merge_command() {
    let mut app = vault();
    let name = "vault.sync-conflict-20261129-101500-ABCDEF1.aspen";
    std::fs::copy(app.dir.path().join("vault.aspen"), app.dir.path().join(name)).unwrap();
    app.press('L');
    app.unlock();
    let notice = app.notice().join("\n");
    assert!(
        notice.contains("Syncthing left a conflicting copy of the vault"),
        "{notice}"
    );
    assert!(
        notice.contains(&format!("aspen merge /home/me/.local/share/aspen/{name}")),
        "{notice}"
    );
    let screen = app.screen();
    assert!(
        shows_in_full(&screen, "Conflict copies beside your vault"),
        "{screen}"
    );
}

#[test]
fn taking_the_side_of_a_machine_that_deleted_the_entry_says_it_is_deleted() {
    let mut app = vault();
    let s = app.state.session_mut().unwrap();
    let date = jiff::civil::date(2026, 11, 19);
    s.loaded.vault.entries[0]
        .conflicts
        .push(aspen::model::Conflict::DeletedElsewhere { date });
    app.state.refresh();
    app.press('C');
    let dialog = box_text(&app.screen(), "Conflict on \"Mail\"");
    assert!(
        shows_in_full(&dialog, "one copy of the vault deleted it on 2026-11-19"),
        "{dialog}"
    );
    assert!(
        dialog.contains("Do as the copy merged in did: delete it"),
        "{dialog}"
    );
    app.key(KeyCode::Down);
    app.key(KeyCode::Enter);
    assert_eq!(message(&app), "Deleted \"Mail\", as the copy merged in did.");
    assert!(app.labels_shown().is_empty());
}
