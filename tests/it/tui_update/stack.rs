//! The dialogs as a stack (issue 19): a question asked over a form leaves the form
//! below, as typed; answering no is going back to it. And one password is never
//! stored twice for one Apple ID (issue 20): no to the join offer stores nothing.

use aspen::tui::dialogs::{AddField, Overlay, Question};
use crossterm::event::KeyCode;

use super::{on_disk, password};
use crate::harness::App;

/// The add form filled in with a password "Mail" already holds, submitted.
fn offer_to_join(app: &mut App) {
    app.press('a');
    app.type_str("Phone mail");
    app.key(KeyCode::Tab);
    app.replace_field("me@icloud.com");
    app.key(KeyCode::Tab);
    app.type_str("K-9");
    app.key(KeyCode::Tab);
    app.type_str(&password(1));
    app.key(KeyCode::Enter);
    assert!(
        matches!(app.state.dialogs.top(), Some(Overlay::Confirm(Question::Join(_)))),
        "the join offer: {}",
        app.screen()
    );
}

#[test]
fn no_to_the_join_offer_goes_back_to_the_form_as_typed_and_stores_nothing() {
    let mut app = App::new("default");
    app.create();
    app.add("Mail", "me@icloud.com", "Thunderbird", &password(1), "2026-01-01");
    offer_to_join(&mut app);
    app.key(KeyCode::Esc);
    let Some(Overlay::Add(add)) = app.state.dialogs.top() else {
        panic!("back at the add form: {}", app.screen());
    };
    assert_eq!(add.form.value(AddField::Label), "Phone mail");
    assert_eq!(add.form.value(AddField::Apps), "K-9");
    assert_eq!(add.form[AddField::Password].value.as_str(), password(1));
    let stored = on_disk(&app);
    assert_eq!(stored.entries.len(), 1, "no second entry with the same password");
    assert_eq!(stored.active_count("me@icloud.com"), 1);
    app.key(KeyCode::Esc);
    assert!(app.state.dialogs.top().is_none(), "{}", app.screen());
    assert_eq!(on_disk(&app).entries.len(), 1);
}

#[test]
fn yes_to_the_join_offer_closes_the_form_and_the_apps_join_the_entry() {
    let mut app = App::new("default");
    app.create();
    app.add("Mail", "me@icloud.com", "Thunderbird", &password(1), "2026-01-01");
    offer_to_join(&mut app);
    app.key(KeyCode::Enter);
    assert!(app.state.dialogs.top().is_none(), "{}", app.screen());
    let stored = on_disk(&app);
    assert_eq!(stored.entries.len(), 1);
    assert_eq!(stored.entries[0].apps, ["Thunderbird", "K-9"]);
}
