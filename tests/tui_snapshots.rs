//! Every screen and dialog, pinned. The default theme as text (the layout); the
//! high-contrast theme with its styles (colours and weights), so a theme that loses
//! a role shows up here. Review each snapshot by eye before accepting it.
#![allow(clippy::unwrap_used)]

#[path = "tui/harness.rs"]
mod harness;

use crossterm::event::KeyCode;
use harness::App;

/// A vault with a little of everything: two Apple IDs, an old entry, a revoked one
/// that waits to be regenerated, a reset on record.
fn populated(theme: &str) -> App {
    let mut app = App::new(theme);
    app.create();
    app.add(
        "Thunderbird",
        "me@icloud.com",
        "Thunderbird (laptop), K-9 Mail",
        "abcd-efgh-ijkl-mnop",
        "2025-06-01",
    );
    app.add(
        "YouCanBook.me",
        "me@icloud.com",
        "YouCanBook.me",
        "qrst-uvwx-yzab-cdef",
        "2026-10-01",
    );
    app.add(
        "SmoothSync",
        "me@icloud.com",
        "SmoothSync",
        "hijk-lmno-pqrs-tuvw",
        "2026-11-10",
    );
    app.add(
        "SpinOffice CRM",
        "work@icloud.com",
        "SpinOffice",
        "wxyz-abcd-efgh-ijkl",
        "2024-02-11",
    );
    // The reset dialog starts at the selected entry's Apple ID: pick one of me@'s.
    app.press('g');
    app.press('R');
    app.key(KeyCode::Tab);
    app.replace_field("2026-11-02");
    app.key(KeyCode::Enter);
    app.key(KeyCode::Enter);
    app.key(KeyCode::Enter);
    // Back to the full list (attention -> revoked -> all), the first entry
    // selected, no transient message.
    app.press('f');
    app.press('f');
    app.press('g');
    app.state.message = None;
    app
}

fn check(app: &mut App, name: &str, theme: &str) {
    if theme == "default" {
        let text = app.screen();
        insta::assert_snapshot!(format!("{name}__default"), text);
    } else {
        let buffer = app.draw().clone();
        insta::assert_debug_snapshot!(format!("{name}__{theme}"), buffer);
    }
}

fn each_theme(name: &str, setup: impl Fn(&str) -> App) {
    for theme in ["default", "high-contrast"] {
        let mut app = setup(theme);
        check(&mut app, name, theme);
    }
}

#[test]
fn welcome() {
    each_theme("welcome", |t| {
        let mut app = App::new(t);
        app.type_str("correct horse");
        app
    });
}

#[test]
fn unlock_after_a_wrong_passphrase() {
    each_theme("unlock_wrong", |t| {
        let mut app = App::new(t);
        app.create();
        app.press('L');
        app.type_str("nope");
        app.key(KeyCode::Enter);
        app
    });
}

#[test]
fn main_screen() {
    each_theme("main", populated);
}

#[test]
fn search_highlights_matches() {
    each_theme("search", |t| {
        let mut app = populated(t);
        app.press('/');
        app.type_str("sync");
        app
    });
}

#[test]
fn help() {
    each_theme("help", |t| {
        let mut app = populated(t);
        app.press('?');
        app
    });
}

#[test]
fn overview() {
    each_theme("overview", |t| {
        let mut app = populated(t);
        app.press('o');
        app
    });
}

#[test]
fn add_form() {
    each_theme("add_form", |t| {
        let mut app = populated(t);
        app.press('a');
        app.type_str("Fantastical");
        app.key(KeyCode::Tab);
        app.key(KeyCode::Tab);
        app.type_str("Fantastical");
        app.key(KeyCode::Tab);
        app.type_str("abcdefgh");
        app
    });
}

#[test]
fn revoke_choice() {
    each_theme("revoke_choice", |t| {
        let mut app = populated(t);
        app.press('j');
        app.press('x');
        app
    });
}

#[test]
fn reset_preview() {
    each_theme("reset_preview", |t| {
        let mut app = populated(t);
        app.press('R');
        app.key(KeyCode::Enter);
        app
    });
}

#[test]
fn regenerate_guide() {
    each_theme("regenerate", |t| {
        let mut app = populated(t);
        app.press('/');
        app.type_str("thunder");
        app.key(KeyCode::Enter);
        app.press('r');
        app.type_str("zyxw-vuts-rqpo-nmlk");
        app
    });
}

#[test]
fn delete_confirm() {
    each_theme("delete_confirm", |t| {
        let mut app = populated(t);
        app.press('d');
        app
    });
}

#[test]
fn theme_picker() {
    each_theme("theme_picker", |t| {
        let mut app = populated(t);
        app.press('t');
        app
    });
}

#[test]
fn small_terminal_80x24() {
    let mut app = populated("default");
    app.terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    app.send(aspen::tui::msg::Msg::Resize(80, 24));
    check(&mut app, "main_80x24", "default");
}

#[test]
fn too_small() {
    let mut app = App::sized("default", 50, 12);
    check(&mut app, "too_small", "default");
}

#[test]
fn edit_form() {
    each_theme("edit_form", |t| {
        let mut app = populated(t);
        app.press('e');
        app
    });
}

#[test]
fn reset_form() {
    each_theme("reset_form", |t| {
        let mut app = populated(t);
        app.press('R');
        app
    });
}

#[test]
fn revoke_all_form() {
    each_theme("revoke_all_form", |t| {
        let mut app = populated(t);
        app.press('X');
        app
    });
}

#[test]
fn reset_checklist() {
    each_theme("reset_checklist", |t| {
        let mut app = populated(t);
        app.press('R');
        app.key(KeyCode::Enter);
        app.key(KeyCode::Enter);
        app
    });
}

#[test]
fn change_passphrase_form() {
    each_theme("change_passphrase", |t| {
        let mut app = populated(t);
        app.press('P');
        app.type_str("a new passphrase");
        app
    });
}

#[test]
fn copied_with_countdown() {
    each_theme("copied", |t| {
        let mut app = populated(t);
        app.press('c');
        app.advance(std::time::Duration::from_secs(12));
        app
    });
}
