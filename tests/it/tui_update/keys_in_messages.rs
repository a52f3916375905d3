//! Issue 21: every key a message names works where the message is shown. Each
//! screen that names a key ("press r to regenerate", "Esc clears the search",
//! "M shows all", the table's "· n next") is walked through the keymap of the screen showing it: the key
//! is bound there, and pressing it does something (the screen changes).

use crossterm::event::KeyCode;

use crate::harness::{App, named_keys, unbound_keys};
use crate::tui_snapshots::issue14::conflicted;
use crate::tui_snapshots::issue21::crowded;
use crate::tui_snapshots::populated;

/// A message too long for two lines.
fn long() -> String {
    "The vault file changed in a way worth reading whole. ".repeat(6)
}

/// The screen whose message asks to put the backup back, then press a key.
const BACKUP: &str = "a backup without its vault";

/// A screen's name and how to reach it.
type Reach = (&'static str, fn() -> App);

/// Each screen that names keys, and how to reach it.
fn screens() -> Vec<Reach> {
    vec![
        ("an empty vault", || {
            let mut app = App::sized("default", 80, 24);
            app.create();
            app
        }),
        ("the suggestion of a recovery key at the third password", || {
            let mut app = App::sized("default", 80, 24);
            app.create();
            for n in 1..=3 {
                let label = format!("App {n}");
                app.add(
                    &label,
                    "me@icloud.com",
                    &label,
                    &crate::common::asp(n),
                    "2026-01-01",
                );
            }
            app
        }),
        ("the details of an entry to regenerate", || {
            let mut app = populated("default", (80, 24));
            app.select("Thunderbird");
            app
        }),
        ("a conflict in the list", || conflicted((80, 24))),
        ("entries needing attention, at the smallest size", || {
            populated("default", (60, 16))
        }),
        ("a search that matches nothing", || {
            let mut app = populated("default", (80, 24));
            app.press('/');
            app.type_str("zzz");
            app.key(KeyCode::Enter);
            app
        }),
        ("more Apple IDs than gauges", || crowded((60, 16))),
        ("copying what aspen does not hold", || {
            let mut app = crowded((80, 24));
            app.select("Old Mac Mail");
            app.press('c');
            app
        }),
        ("a copy the clipboard refused", || {
            let mut app = populated("default", (80, 24));
            app.clipboard.borrow_mut().fail = Some(aspen::clipboard::ClipboardError::NoTerminal);
            app.press('c');
            app
        }),
        ("a long message on the main screen", || {
            let mut app = populated("default", (80, 24));
            app.state.say(aspen::tui::state::Tone::Warning, long());
            app
        }),
        ("forgetting an Apple ID still in use, on the overview", || {
            let mut app = populated("default", (80, 24));
            app.press('o');
            app.press('d');
            app
        }),
        ("undoing on the overview", || {
            let mut app = populated("default", (80, 24));
            app.press('o');
            app.press('u');
            app.key(KeyCode::Enter);
            app
        }),
        ("a long message on the overview", || {
            let mut app = populated("default", (80, 24));
            app.press('o');
            app.state.say(aspen::tui::state::Tone::Warning, long());
            app
        }),
        ("the warning after an export with passwords", || {
            let mut app = populated("default", (80, 24));
            let file = app.dir.path().join("all.csv");
            app.press('E');
            app.replace_field(file.to_str().unwrap());
            app.key(KeyCode::Tab);
            app.key(KeyCode::Tab);
            app.key(KeyCode::Right);
            app.key(KeyCode::Enter);
            app.key(KeyCode::Enter);
            assert!(file.exists(), "{}", app.screen());
            app
        }),
        (BACKUP, || {
            let mut app = App::sized("default", 80, 24);
            app.create();
            app.add(
                "Mail",
                "me@icloud.com",
                "Mail",
                "abcd-efgh-ijkl-mnop",
                "2026-01-01",
            );
            std::fs::remove_file(app.dir.path().join("vault.aspen")).unwrap();
            app.restarted()
        }),
    ]
}

/// The key a hint names, as the terminal sends it.
fn code(key: &str) -> KeyCode {
    match key {
        "Enter" => KeyCode::Enter,
        "Esc" => KeyCode::Esc,
        k if k.chars().count() == 1 => KeyCode::Char(k.chars().next().unwrap()),
        other => panic!("a key this test cannot press: {other}"),
    }
}

#[test]
fn every_key_a_message_names_works_on_the_screen_showing_it() {
    let mut walked = 0;
    for (name, reach) in screens() {
        let mut app = reach();
        let mut text = app.screen();
        if let Some(m) = &app.state.message {
            text.push_str(&m.text);
        }
        let keys = named_keys(&text);
        assert_eq!(unbound_keys(&mut app), Vec::<String>::new(), "{name}:\n{text}");
        for key in keys {
            let mut app = reach();
            // What the message asks to do before the key, when it asks something.
            if name == BACKUP {
                let dir = app.dir.path().to_path_buf();
                std::fs::copy(dir.join("vault.aspen.bak"), dir.join("vault.aspen")).unwrap();
            }
            let before = app.screen();
            app.key(code(&key));
            let after = app.screen();
            assert!(
                after != before || app.state.quit,
                "{name}: {key} does nothing here:\n{before}"
            );
            walked += 1;
        }
    }
    assert!(walked >= 10, "{walked} keys walked");
}
