//! Issue 21: the main screen opens on what needs doing. After an Apple ID's reset
//! the entries to regenerate are on the first screen at 80×24 whatever their
//! labels, the table's title counts them and names the key to the next one, and
//! `n` (`N` backwards) goes from one to the next, wrapping around.

use jiff::civil::date;

use crate::harness::{App, whole_or_marked};

/// me@'s twenty, family@'s five: nothing to do about them.
const CALM: [(&str, &str); 25] = [
    ("Airmail", "me@icloud.com"),
    ("BusyCal", "me@icloud.com"),
    ("Canary Mail", "me@icloud.com"),
    ("DAVx5", "me@icloud.com"),
    ("eM Client", "me@icloud.com"),
    ("Evolution", "me@icloud.com"),
    ("Fantastical", "me@icloud.com"),
    ("Geary", "me@icloud.com"),
    ("K-9 Mail", "me@icloud.com"),
    ("Kontact", "me@icloud.com"),
    ("Mailbird", "me@icloud.com"),
    ("MailMate", "me@icloud.com"),
    ("Notary CI", "me@icloud.com"),
    ("Outlook", "me@icloud.com"),
    ("Postbox", "me@icloud.com"),
    ("Readdle Spark", "me@icloud.com"),
    ("SmoothSync", "me@icloud.com"),
    ("SpinOffice CRM", "me@icloud.com"),
    ("Thunderbird", "me@icloud.com"),
    ("YouCanBook.me", "me@icloud.com"),
    ("Calendly", "family@icloud.com"),
    ("Cron", "family@icloud.com"),
    ("FairEmail", "family@icloud.com"),
    ("Mimestream", "family@icloud.com"),
    ("Newton Mail", "family@icloud.com"),
];

/// kids@'s five, revoked by its reset: each to regenerate. In label order they
/// are spread over the whole list.
const TO_REGENERATE: [&str; 5] = [
    "DAVx5 (tablet)",
    "Outlook (phone)",
    "Spark (iPad)",
    "Thunderbird (kids)",
    "Zoho Mail",
];

/// The 30 entries, kids@icloud.com's password reset on 2026-11-15 (by `aspen
/// reset` or on another machine), and aspen started and unlocked at 80×24.
fn after_a_reset() -> App {
    let mut app = App::sized("default", 80, 24);
    app.create();
    app.change_on_disk(|v| {
        let today = date(2026, 11, 20);
        let kids = TO_REGENERATE.map(|label| (label, "kids@icloud.com"));
        for (n, (label, apple_id)) in CALM.iter().chain(&kids).enumerate() {
            let n = u8::try_from(n).unwrap();
            let letter = char::from(b'a' + n % 26);
            let password = format!("abcd-efgh-ijk{}-mno{letter}", char::from(b'a' + n / 26));
            let new = aspen::model::NewEntry {
                label: (*label).to_owned(),
                apple_id: (*apple_id).to_owned(),
                // The app's name: the label without what tells it apart.
                apps: vec![label.split(" (").next().unwrap().to_owned()],
                password: Some(aspen::model::Password::parse(password.as_str().into(), false).unwrap()),
                created: date(2026, 6, 1),
                notes: String::new(),
                uses: Vec::new(),
                team_id: String::new(),
            };
            v.add(aspen::model::EntryId::from_random([n + 1; 16]), new, today)
                .unwrap();
        }
        v.reset("kids@icloud.com", date(2026, 11, 15), today).unwrap();
    });
    let mut app = app.restarted();
    app.unlock();
    app
}

fn selected(app: &App) -> String {
    app.state
        .session()
        .unwrap()
        .selected_entry()
        .unwrap()
        .label
        .clone()
}

#[test]
fn after_a_reset_the_entries_to_regenerate_are_on_the_first_screen() {
    let mut app = after_a_reset();
    let screen = app.screen();
    for label in TO_REGENERATE {
        assert!(
            screen
                .lines()
                .any(|l| whole_or_marked(l, label) && l.contains("regenerate")),
            "{label} is not on the first screen:\n{screen}"
        );
    }
    assert!(
        screen.contains("5 need attention · n next"),
        "the title counts them:\n{screen}"
    );
    let keys = screen.lines().last().unwrap();
    assert!(keys.contains("n next"), "the footer names the key: {keys}");
    assert_eq!(selected(&app), TO_REGENERATE[0], "the first of them is selected");
    // The picture docs/user-guide.md shows.
    insta::with_settings!({ snapshot_path => "../snapshots" }, {
        insta::assert_snapshot!("after_a_reset__80x24", screen);
    });
}

#[test]
fn n_goes_to_the_next_entry_needing_attention_and_wraps_and_n_shifted_goes_back() {
    let mut app = after_a_reset();
    let mut seen = vec![selected(&app)];
    for _ in 0..5 {
        app.press('n');
        seen.push(selected(&app));
    }
    let mut want: Vec<String> = TO_REGENERATE.map(str::to_owned).to_vec();
    want.push(TO_REGENERATE[0].to_owned());
    assert_eq!(seen, want, "n walks the five, then starts again");
    app.press('N');
    assert_eq!(selected(&app), TO_REGENERATE[4], "N goes back over the start");

    // Sorted by label they are spread out; n still finds each in turn.
    app.press('s');
    assert!(app.screen().contains("sort: label"), "{}", app.screen());
    app.press('g');
    assert_eq!(selected(&app), "Airmail");
    let mut found = Vec::new();
    for _ in 0..5 {
        app.press('n');
        found.push(selected(&app));
    }
    assert_eq!(found, TO_REGENERATE, "in label order, from the top");
}

#[test]
fn n_says_why_it_stays_when_nothing_else_shown_needs_attention() {
    let mut app = after_a_reset();
    app.press('/');
    app.type_str("airmail");
    app.key(crossterm::event::KeyCode::Enter);
    app.press('n');
    assert_eq!(selected(&app), "Airmail");
    let said = app.state.message.as_ref().unwrap().text.clone();
    assert_eq!(
        said,
        "None of the entries shown needs attention: the search or the filter hides the 5 that do."
    );
    // One shown: n stays on it, and says so.
    app.key(crossterm::event::KeyCode::Esc);
    app.press('/');
    app.type_str("zoho");
    app.key(crossterm::event::KeyCode::Enter);
    app.press('n');
    assert_eq!(selected(&app), "Zoho Mail");
    let said = app.state.message.as_ref().unwrap().text.clone();
    assert_eq!(
        said,
        "\"Zoho Mail\" is the only entry shown that needs attention."
    );
}
