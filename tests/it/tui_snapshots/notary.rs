//! Issue 20's notarization, at 80×24 and 60×16: the add form with notarization
//! chosen and its Team id, and the setup card of an entry kept for `notarytool`,
//! its line selected (shown whole under the card).

use crossterm::event::KeyCode;

use super::{SIZES, check, fresh};
use crate::harness::App;

/// A fresh vault, and the add form filled for "Notary CI" up to its team id, with
/// notarization chosen (the ninth of the uses: after the eight without it).
fn add_form(size: (u16, u16)) -> App {
    let mut app = fresh("default", size);
    app.create();
    app.press('a');
    app.type_str("Notary CI");
    app.key(KeyCode::Tab);
    app.replace_field("dev@example.com");
    app.key(KeyCode::Tab);
    app.type_str("notarytool");
    app.key(KeyCode::Tab);
    app.type_str("abcd-efgh-ijkl-mnop");
    app.key(KeyCode::Tab);
    app.replace_field("2026-10-01");
    app.key(KeyCode::Tab);
    app.key(KeyCode::Tab);
    for _ in 0..8 {
        app.key(KeyCode::Right);
    }
    app.key(KeyCode::Tab);
    app.type_str("ABCDE12345");
    app
}

#[test]
fn add_form_notary() {
    for size in SIZES {
        let mut app = add_form(size);
        check(&mut app, "add_form_notary", "default");
    }
}

#[test]
fn notary_card() {
    for size in SIZES {
        let mut app = add_form(size);
        app.key(KeyCode::Enter);
        assert!(app.state.dialogs.top().is_none(), "{}", app.screen());
        app.state.message = None;
        app.press('i');
        app.press('j');
        check(&mut app, "notary_card", "default");
    }
}
