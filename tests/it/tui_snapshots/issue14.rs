//! The screens issue 14 added, at 80×24 and at 60×16: the add form without a
//! password, the Apple ID's name, the audit's steps, a merge conflict and the
//! conflict copies found on unlock.

use crossterm::event::KeyCode;

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
fn add_untracked() {
    both("add_untracked", |size| {
        let mut app = populated("default", size);
        app.press('a');
        app.type_str("Old Mac Mail");
        for _ in 0..3 {
            app.key(KeyCode::Tab);
        }
        app.key(KeyCode::Right);
        app.key(KeyCode::Tab);
        app.replace_field("2024-05-06");
        app
    });
}
