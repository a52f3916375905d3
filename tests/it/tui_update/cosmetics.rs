//! Issue 21's cosmetic items in the TUI: an entry without apps says so, and a key
//! hint is not doubled ("To add …, press a to add").

use crossterm::event::KeyCode;

use crate::harness::App;

/// No sentence on screen names what a key does twice: "To add a password, press a
/// to add." says "add" twice around its key.
#[test]
fn a_key_hint_is_not_doubled() {
    let mut app = App::sized("default", 80, 24);
    app.create();
    // The screen without its footer of keys, and the message whole.
    let screen = app.screen();
    let lines: Vec<&str> = screen.trim_end().lines().collect();
    let mut text = lines[..lines.len() - 1].join("\n");
    text.push('\n');
    text.push_str(&app.state.message.as_ref().unwrap().text);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for sentence in flat.split(['.', '│']) {
        if sentence.contains("press a") {
            assert_eq!(sentence.matches("add").count(), 1, "{sentence}");
        }
    }
    assert!(
        text.contains("press a to add your first app-specific password"),
        "{text}"
    );
}

/// An entry whose apps are not known (an older vault, an import) is listed with
/// "apps unknown", as `aspen check` says, never a dangling "— ".
#[test]
fn an_entry_without_apps_says_its_apps_are_unknown() {
    let mut app = App::sized("default", 80, 24);
    app.create();
    app.add(
        "Mail",
        "me@icloud.com",
        "Mail",
        "abcd-efgh-ijkl-mnop",
        "2026-01-01",
    );
    app.change_on_disk(|v| {
        let e = v.entries.iter_mut().find(|e| e.label == "Mail").unwrap();
        e.apps.clear();
    });
    app.press('L');
    app.unlock();
    let details = crate::harness::box_text(&app.screen(), "Details");
    assert!(details.contains("Apps      apps unknown"), "{details}");
    // The reset's preview, then its checklist, list it.
    app.press('R');
    app.key(KeyCode::Tab);
    app.replace_field("2026-11-02");
    app.key(KeyCode::Enter);
    for _ in 0..2 {
        let screen = app.screen();
        assert!(screen.contains("Mail — apps unknown"), "{screen}");
        assert!(
            !screen
                .lines()
                .any(|l| l.trim_end_matches([' ', '│']).ends_with('—')),
            "{screen}"
        );
        app.key(KeyCode::Enter);
    }
}
