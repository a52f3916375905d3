//! The screens issue 22 added, at 80×24 and at 60×16: the question before the TUI
//! signs in with stored passwords, about one entry and about an Apple ID (Apple's
//! servers; nothing is sent, the question is only asked).

use super::{SIZES, check, populated};
use crate::harness::App;

/// The screen `setup` leads to at both sizes, in the default theme.
fn both(name: &str, setup: impl Fn((u16, u16)) -> App) {
    for size in SIZES {
        let mut app = setup(size);
        check(&mut app, name, "default");
    }
}

#[test]
fn verify_question_for_the_selected_entry() {
    both("verify_entry", |size| {
        let mut app = populated("default", size);
        app.select("SmoothSync");
        app.press('V');
        app
    });
}

#[test]
fn verify_question_for_an_apple_id() {
    both("verify_apple_id", |size| {
        let mut app = populated("default", size);
        app.press('o');
        app.press('V');
        app
    });
}
