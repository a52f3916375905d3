//! Runaway input outside the census: a long note's refusal stays readable, a huge paste
//! into the search is capped.

use crossterm::event::KeyCode;

use super::{MIB, clear_field, form, raw_cells, seed_vault, unlocked};
use aspen::tui::msg::Msg;

/// A long value (here 5000 characters of notes, more than the 4096 allowed) shows
/// its end on one line, so the reason it is refused stays inside the popup.
#[test]
fn a_refused_long_note_shows_why() {
    let seed = seed_vault();
    let mut app = unlocked(&seed);
    app.press('a');
    for (i, v) in ["Outlook", "me@icloud.com", "Outlook", "uvwx-abcd-efgh-ijkl"]
        .iter()
        .enumerate()
    {
        clear_field(&mut app, i);
        app.type_str(v);
    }
    clear_field(&mut app, 5);
    app.send(Msg::Paste("n".repeat(5000)));
    app.key(KeyCode::Enter);
    let error = form(&app).and_then(|f| f.error.clone()).unwrap();
    assert!(error.contains("at most 4096"), "{error}");
    let screen = app.screen();
    assert!(
        screen.contains("at most 4096"),
        "the reason is not shown:\n{screen}"
    );
}

/// A 1 MiB paste into the search is filtered once, not once per character, and the
/// query stops at 256 characters.
#[test]
fn a_1_mib_paste_into_the_search_is_capped() {
    let seed = seed_vault();
    let mut app = unlocked(&seed);
    app.press('/');
    app.send(Msg::Paste("x".repeat(MIB)));
    let query = app
        .state
        .session()
        .map(|s| s.table.search.query().to_owned())
        .unwrap();
    assert_eq!(query.chars().count(), 256);
    assert!(raw_cells(&mut app).is_empty());
}
