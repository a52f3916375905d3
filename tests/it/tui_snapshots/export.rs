//! The export dialog (issue 23) at 80×24 and at 60×16: the form as it opens, the
//! form refusing a folder that is not there (the temp folder masked), and the
//! question before every password is written in clear.

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
fn export_form() {
    both("export_form", |size| {
        let mut app = populated("default", size);
        app.press('E');
        app
    });
}

#[test]
fn export_form_refused() {
    both("export_form_refused", |size| {
        let mut app = populated("default", size);
        app.press('E');
        let missing = app.dir.path().join("missing").join("entries.csv");
        app.replace_field(missing.to_str().unwrap());
        app.key(KeyCode::Enter);
        app
    });
}

#[test]
fn export_passwords_question() {
    both("export_passwords_question", |size| {
        let mut app = populated("default", size);
        app.press('E');
        app.key(KeyCode::Tab);
        app.key(KeyCode::Tab);
        app.key(KeyCode::Right);
        app.key(KeyCode::Enter);
        app
    });
}
