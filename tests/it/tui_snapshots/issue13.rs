//! The screens issue 13 added, at 80×24 and at 60×16: retiring, the revoke's day,
//! undo, the overview's Apple ID dialogs, the reveal's countdown, the setup card and
//! the add form that makes room on a full Apple ID.

use std::time::Duration;

use crossterm::event::KeyCode;

use super::{SIZES, check, fresh, populated};
use crate::harness::App;

/// The screen `setup` leads to at both sizes, in the default theme.
fn both(name: &str, setup: impl Fn((u16, u16)) -> App) {
    for size in SIZES {
        let mut app = setup(size);
        check(&mut app, name, "default");
    }
}

/// The populated vault with Thunderbird (revoked by the reset, two apps) selected.
fn thunderbird(size: (u16, u16)) -> App {
    let mut app = populated("default", size);
    app.select("Thunderbird");
    app
}

#[test]
fn retire_choice() {
    both("retire_choice", |size| {
        let mut app = thunderbird(size);
        app.press('x');
        app.key(KeyCode::Down);
        app
    });
}

#[test]
fn unretire_confirm() {
    both("unretire_confirm", |size| {
        let mut app = thunderbird(size);
        app.press('x');
        app.key(KeyCode::Enter);
        app.state.message = None;
        app.press('x');
        app
    });
}

#[test]
fn revoke_on_a_future_day() {
    both("revoke_future", |size| {
        let mut app = populated("default", size);
        app.press('x');
        app.key(KeyCode::Tab);
        app.replace_field("2026-12-01");
        app.key(KeyCode::Enter);
        app
    });
}

#[test]
fn checklist_with_one_retired() {
    both("checklist_retired", |size| {
        let mut app = populated("default", size);
        // work@'s only entry: Revoke All, then its app turns out to be gone.
        app.select("SpinOffice CRM");
        app.press('X');
        app.key(KeyCode::Enter);
        app.key(KeyCode::Enter);
        app.press('x');
        app
    });
}

#[test]
fn undo_that_drops_a_password() {
    both("undo_confirm", |size| {
        let mut app = populated("default", size);
        // The reset first; then the add of SpinOffice CRM, whose password would go.
        app.press('u');
        app.state.message = None;
        app.press('u');
        app
    });
}

#[test]
fn undone() {
    both("undone", |size| {
        let mut app = populated("default", size);
        app.select("SmoothSync");
        app.press('x');
        app.key(KeyCode::Enter);
        app.press('u');
        app
    });
}

#[test]
fn withdraw_chooser() {
    both("withdraw_chooser", |size| {
        let mut app = populated("default", size);
        app.press('o');
        app.press('w');
        app
    });
}

#[test]
fn withdraw_confirm() {
    both("withdraw_confirm", |size| {
        let mut app = populated("default", size);
        app.press('o');
        app.press('w');
        app.key(KeyCode::Enter);
        app
    });
}

#[test]
fn rename_apple_id() {
    both("rename_apple_id", |size| {
        let mut app = populated("default", size);
        app.press('o');
        app.press('j');
        app.press('e');
        app
    });
}

#[test]
fn forget_refused() {
    both("forget_refused", |size| {
        let mut app = populated("default", size);
        app.press('o');
        app.press('d');
        app
    });
}

#[test]
fn forget_confirm() {
    both("forget_confirm", |size| {
        let mut app = populated("default", size);
        // SpinOffice CRM is work@'s only entry: once deleted, work@ is unused.
        app.select("SpinOffice CRM");
        app.press('d');
        app.press('y');
        app.press('o');
        app.press('j');
        app.press('d');
        app
    });
}

#[test]
fn reveal_countdown() {
    both("reveal_countdown", |size| {
        let mut app = populated("default", size);
        app.select("SmoothSync");
        app.press('v');
        app.advance(Duration::from_millis(2_500));
        app
    });
}

#[test]
fn setup_card() {
    both("setup_card", |size| {
        let mut app = populated("default", size);
        app.select("SmoothSync");
        app.press('i');
        for _ in 0..4 {
            app.press('j');
        }
        app.press('c');
        app
    });
}

#[test]
fn make_room() {
    both("make_room", |size| {
        let mut app = fresh("default", size);
        app.create();
        for n in 0..25u32 {
            let letter = char::from(b'a' + u8::try_from(n).unwrap());
            app.add(
                &format!("App {n:02}"),
                "me@icloud.com",
                "Mail",
                &format!("abcd-efgh-ijkl-mno{letter}"),
                &format!("2026-01-{:02}", n + 1),
            );
        }
        app.press('a');
        app.type_str("One more");
        app.key(KeyCode::Tab);
        app.key(KeyCode::Tab);
        app.type_str("Mail");
        app.key(KeyCode::Tab);
        app.type_str("zzzz-yyyy-xxxx-wwww");
        app.key(KeyCode::Enter);
        app.key(KeyCode::Down);
        app
    });
}

/// The add form given a password "SmoothSync" (active) already has.
#[test]
fn join_confirm() {
    for size in super::SIZES {
        let mut app = super::populated("default", size);
        app.press('a');
        app.type_str("K-9");
        app.key(KeyCode::Tab);
        app.replace_field("me@icloud.com");
        app.key(KeyCode::Tab);
        app.type_str("K-9 Mail");
        app.key(KeyCode::Tab);
        app.type_str("hijk-lmno-pqrs-tuvw");
        app.key(KeyCode::Enter);
        super::check(&mut app, "join_confirm", "default");
    }
}
