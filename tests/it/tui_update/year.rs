//! The year of `cli_year.rs`, through `update()` with the keys a user presses:
//! untracked passwords from before aspen, an audit that finds one revoked at Apple
//! and one label aspen did not know, a wrong reset withdrawn, a retired app, a
//! renamed Apple ID. After each step the gauges equal what Apple's page would list.

use std::collections::{BTreeMap, BTreeSet};

use crossterm::event::KeyCode;
use jiff::civil::date;

use super::{entry, message, select};
use crate::harness::App;

const ME: &str = "me@icloud.com";

/// What Apple's page lists, per Apple ID, kept by hand beside the TUI.
type Apple = BTreeMap<String, BTreeSet<String>>;

fn list(apple: &mut Apple, apple_id: &str, label: &str) {
    apple
        .entry(apple_id.to_owned())
        .or_default()
        .insert(label.to_owned());
}

/// The session's gauges and active labels equal Apple's page; and so does the file.
fn matches_apple(app: &App, apple: &Apple, step: &str) {
    let session = app.state.session().unwrap();
    let vault = &session.loaded.vault;
    let gauges = aspen::model::slots(vault);
    assert_eq!(gauges.len(), apple.len(), "{step}: one gauge per Apple ID");
    for (apple_id, labels) in apple {
        let gauge = gauges
            .iter()
            .find(|g| &g.apple_id == apple_id)
            .unwrap_or_else(|| panic!("{step}: no gauge for {apple_id}"));
        assert_eq!(gauge.active, labels.len(), "{step}: the gauge of {apple_id}");
        let active: BTreeSet<String> = vault
            .entries
            .iter()
            .filter(|e| &e.apple_id == apple_id && e.is_active())
            .map(|e| e.label.clone())
            .collect();
        assert_eq!(&active, labels, "{step}: the active labels of {apple_id}");
    }
    let on_disk = super::on_disk(app);
    assert_eq!(
        aspen::model::slots(&on_disk)
            .iter()
            .map(|g| g.active)
            .sum::<usize>(),
        apple.values().map(BTreeSet::len).sum::<usize>(),
        "{step}: saved"
    );
}

/// The add form, filled up to its Password field.
fn add_up_to_password(app: &mut App, label: &str, apple_id: &str, apps: &str) {
    app.press('a');
    app.type_str(label);
    app.key(KeyCode::Tab);
    app.replace_field(apple_id);
    app.key(KeyCode::Tab);
    app.type_str(apps);
    app.key(KeyCode::Tab);
}

fn add_untracked(app: &mut App, label: &str, created: &str) {
    add_up_to_password(app, label, ME, "");
    app.key(KeyCode::Right);
    app.key(KeyCode::Tab);
    app.replace_field(created);
    app.key(KeyCode::Enter);
    assert!(app.state.dialogs.top().is_none(), "{}", app.screen());
}

#[test]
fn a_year_of_apple_ids_in_the_tui_keeps_the_gauges_equal_to_apples_page() {
    let mut apple = Apple::new();
    let mut app = App::sized("default", 100, 30);
    app.create();

    // January: two passwords from before aspen, one new one, a typo'd family account.
    app.state.today = date(2026, 1, 5);
    add_untracked(&mut app, "Old iPad", "2024-05-01");
    add_untracked(&mut app, "Gmail sync", "2025-03-10");
    list(&mut apple, ME, "Old iPad");
    list(&mut apple, ME, "Gmail sync");
    app.add(
        "Thunderbird",
        ME,
        "Thunderbird, K-9 Mail",
        "abcd-efgh-ijkl-mnop",
        "2026-01-05",
    );
    list(&mut apple, ME, "Thunderbird");
    app.add(
        "Family Mac",
        "famly@icloud.com",
        "Mail",
        "qrst-uvwx-yzab-cdef",
        "2026-01-05",
    );
    list(&mut apple, "famly@icloud.com", "Family Mac");
    matches_apple(&app, &apple, "January");

    // March: the audit. Apple no longer lists the old iPad's; it lists one aspen
    // never knew.
    app.state.today = date(2026, 3, 1);
    app.press('o');
    // The overview's first Apple ID is famly@icloud.com: move to me@icloud.com.
    app.key(KeyCode::Down);
    app.press('a');
    let step1 = app.screen();
    assert!(step1.contains("Thunderbird  Jan 5, 2026"), "{step1}");
    app.key(KeyCode::Enter);
    // Newest first: Thunderbird, Gmail sync, Old iPad. The iPad is gone for good.
    app.key(KeyCode::Down);
    app.key(KeyCode::Down);
    app.key(KeyCode::Right);
    app.key(KeyCode::Right);
    assert!(app.screen().contains("Old iPad"), "{}", app.screen());
    app.key(KeyCode::Enter);
    app.type_str("Calendar app");
    app.key(KeyCode::Tab);
    app.type_str("Feb 2, 2026");
    app.key(KeyCode::Enter);
    app.key(KeyCode::Enter);
    app.key(KeyCode::Enter);
    let said = message(&app);
    assert!(said.contains("1 revoked at Apple"), "{said}");
    assert!(said.contains("1 untracked recorded"), "{said}");
    apple.get_mut(ME).unwrap().remove("Old iPad");
    list(&mut apple, ME, "Calendar app");
    matches_apple(&app, &apple, "March audit");
    assert!(
        !entry(&app, "Old iPad").needs_replacement(),
        "its app is gone: retired"
    );
    assert!(entry(&app, "Calendar app").password.is_none());
    app.key(KeyCode::Esc);

    // May: a reset recorded by mistake, then withdrawn from the overview.
    app.state.today = date(2026, 5, 2);
    select(&mut app, "Thunderbird");
    app.press('R');
    app.key(KeyCode::Tab);
    app.replace_field("2026-05-02");
    app.key(KeyCode::Enter);
    app.key(KeyCode::Enter);
    app.key(KeyCode::Enter);
    let after_reset = aspen::model::slots(&app.state.session().unwrap().loaded.vault);
    assert_eq!(
        after_reset.iter().find(|g| g.apple_id == ME).unwrap().active,
        0,
        "the wrong reset revoked everything of me@icloud.com"
    );
    app.press('o');
    app.press('w');
    app.key(KeyCode::Enter);
    app.press('y');
    assert!(
        message(&app).starts_with("Withdrew the password reset"),
        "{}",
        message(&app)
    );
    matches_apple(&app, &apple, "May, the reset withdrawn");
    app.key(KeyCode::Esc);

    // September: the typo fixed from the overview; the entry moves with it.
    app.state.today = date(2026, 9, 1);
    app.press('o');
    app.key(KeyCode::Up);
    app.press('e');
    assert!(
        app.screen().contains("Rename famly@icloud.com"),
        "{}",
        app.screen()
    );
    app.replace_field("family@icloud.com");
    app.key(KeyCode::Enter);
    let moved = apple.remove("famly@icloud.com").unwrap();
    apple.insert("family@icloud.com".to_owned(), moved);
    matches_apple(&app, &apple, "September");
    app.key(KeyCode::Esc);

    // November: Thunderbird's password is revoked at Apple; the laptop still needs
    // one, the old phone's K-9 Mail is retired.
    app.state.today = date(2026, 11, 3);
    select(&mut app, "Thunderbird");
    app.press('x');
    app.key(KeyCode::Right);
    app.key(KeyCode::Enter);
    apple.get_mut(ME).unwrap().remove("Thunderbird");
    app.press('x');
    app.key(KeyCode::Down);
    app.key(KeyCode::Down);
    app.key(KeyCode::Enter);
    assert!(
        message(&app).contains("Retired the app \"K-9 Mail\""),
        "{}",
        message(&app)
    );
    let tb = entry(&app, "Thunderbird");
    assert_eq!(tb.apps, ["Thunderbird"]);
    assert!(tb.needs_replacement());
    matches_apple(&app, &apple, "November");
}
