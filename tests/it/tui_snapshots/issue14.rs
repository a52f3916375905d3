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

#[test]
fn name_apple_id() {
    both("name_apple_id", |size| {
        let mut app = populated("default", size);
        app.press('o');
        app.press('n');
        app.type_str("me");
        app
    });
}

/// The overview once the first Apple ID has a name and was checked against Apple.
#[test]
fn overview_named_and_audited() {
    both("overview_named_and_audited", |size| {
        let mut app = populated("default", size);
        app.press('o');
        app.press('n');
        app.type_str("me");
        app.key(KeyCode::Enter);
        app.press('a');
        for _ in 0..3 {
            app.key(KeyCode::Enter);
        }
        app.key(KeyCode::Enter);
        app.state.message = None;
        app
    });
}

/// The audit of me@icloud.com up to `step` (1 to 4), with YouCanBook.me marked gone
/// and one label typed that aspen did not show.
fn audit(size: (u16, u16), step: usize) -> App {
    let mut app = populated("default", size);
    app.press('o');
    app.press('a');
    if step >= 2 {
        app.key(KeyCode::Enter);
        app.key(KeyCode::Down);
        app.key(KeyCode::Right);
    }
    if step >= 3 {
        app.key(KeyCode::Enter);
        app.type_str("Old iPad");
        app.key(KeyCode::Tab);
        app.type_str("Mar 3, 2025");
        app.key(KeyCode::Enter);
        app.type_str("Outlo");
    }
    if step >= 4 {
        app.replace_field("");
        app.key(KeyCode::Enter);
    }
    app
}

#[test]
fn audit_open_apples_page() {
    both("audit_1_open", |size| audit(size, 1));
}

#[test]
fn audit_mark_listed() {
    both("audit_2_mark", |size| audit(size, 2));
}

#[test]
fn audit_labels_not_shown() {
    both("audit_3_unlisted", |size| audit(size, 3));
}

#[test]
fn audit_confirm() {
    both("audit_4_confirm", |size| audit(size, 4));
}

/// SmoothSync's notes changed here and on another machine: the save merged them
/// and left the choice open. SmoothSync is selected.
pub fn conflicted(size: (u16, u16)) -> App {
    let mut app = populated("default", size);
    app.change_on_disk(|v| {
        let e = v.entries.iter_mut().find(|e| e.label == "SmoothSync").unwrap();
        e.notes = "desktop: calendar only".to_owned();
    });
    app.select("SmoothSync");
    app.press('e');
    for _ in 0..4 {
        app.key(KeyCode::Tab);
    }
    app.type_str("laptop: both calendars");
    app.key(KeyCode::Enter);
    app.state.message = None;
    app
}

#[test]
fn conflict_in_the_list() {
    both("conflict_in_the_list", conflicted);
}

#[test]
fn conflict_dialog() {
    both("conflict_dialog", |size| {
        let mut app = conflicted(size);
        app.press('C');
        app.key(KeyCode::Down);
        app
    });
}

#[test]
fn conflict_copies_on_unlock() {
    both("conflict_copies", |size| {
        let mut app = populated("default", size);
        let vault = app.dir.path().join("vault.aspen");
        for name in [
            "vault.sync-conflict-20261129-101500-ABCDEF1.aspen",
            "vault (Jane's conflicted copy 2026-11-29).aspen",
        ] {
            std::fs::copy(&vault, app.dir.path().join(name)).unwrap();
        }
        app.press('L');
        app.unlock();
        app
    });
}

/// Unlocking a copy older than one this machine saw: the notice says so.
#[test]
fn older_copy_notice() {
    both("older_copy", |size| {
        let mut app = populated("default", size);
        let vault = app.dir.path().join("vault.aspen");
        let older = std::fs::read(&vault).unwrap();
        app.add(
            "Later",
            "me@icloud.com",
            "Mail",
            "ijkl-mnop-qrst-uvwx",
            "2026-01-01",
        );
        std::fs::write(&vault, older).unwrap();
        let mut again = app.restarted();
        again.unlock();
        again
    });
}
