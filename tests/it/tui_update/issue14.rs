//! Issue 14 in the TUI: untracked passwords and uses in the forms, search by field,
//! Apple ID names, the audit against Apple's page, merge conflicts and conflict
//! copies.

use crossterm::event::KeyCode;

use crate::harness::App;

/// A vault with one entry of `me@icloud.com`, at 100×30.
fn vault() -> App {
    let mut app = App::sized("default", 100, 30);
    app.create();
    app.add(
        "Mail",
        "me@icloud.com",
        "Thunderbird",
        "abcd-efgh-ijkl-mnop",
        "2026-01-01",
    );
    app
}

#[test]
fn search_never_matches_across_the_end_of_one_field_and_the_start_of_the_next() {
    let mut app = vault();
    // "…ma" ends the label and "Il…" starts the app: "mail" across the two.
    app.add(
        "Panorama",
        "me@icloud.com",
        "Iliad",
        "qrst-uvwx-yzab-cdef",
        "2026-01-02",
    );
    app.press('/');
    app.type_str("mail");
    assert_eq!(app.labels_shown(), ["Mail"]);
    // Each field still matches on its own, and words may match different fields.
    app.key(KeyCode::Esc);
    app.press('/');
    app.type_str("iliad");
    assert_eq!(app.labels_shown(), ["Panorama"]);
    app.key(KeyCode::Esc);
    app.press('/');
    app.type_str("pano iliad");
    assert_eq!(app.labels_shown(), ["Panorama"]);
}
