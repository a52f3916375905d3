//! Issue 21's "cut without a mark", at 120×36, 80×24 and 60×16: every cell and line
//! the screens cut ends in "…", an address is never cut into another plausible
//! one, what must be read whole (an Apple ID, a reason, the key that resolves it)
//! keeps its room, and long messages collapse to a line that names the key to
//! read them whole.

use jiff::civil::date;

use super::{check, populated};
use crate::harness::{App, cut_cells, text_of};

/// The three sizes a fitting problem is pinned at.
pub const FIT_SIZES: [(u16, u16); 3] = [(120, 36), (80, 24), (60, 16)];

/// The screen `setup` leads to at each of [`FIT_SIZES`], in the default theme.
fn each_fit(name: &str, setup: impl Fn((u16, u16)) -> App) {
    for size in FIT_SIZES {
        let mut app = setup(size);
        check(&mut app, name, "default");
    }
}

/// A long vault path, as an iCloud Drive folder gives.
pub const LONG_PATH: &str = "/home/me/Library/Mobile Documents/com~apple~CloudDocs/aspen/vault.aspen";

/// Four Apple IDs, long labels and apps, an entry whose password aspen does not
/// hold, and one with two reasons for attention, on a long vault path;
/// Thunderbird (to regenerate) is selected.
pub fn crowded(size: (u16, u16)) -> App {
    let mut app = populated("default", size);
    app.change_on_disk(|v| {
        let today = date(2026, 11, 20);
        let new = |n: u8, label: &str, apple_id: &str, apps: &[&str], password: Option<&str>, created| {
            let id = aspen::model::EntryId::from_random([n; 16]);
            let entry = aspen::model::NewEntry {
                label: label.to_owned(),
                apple_id: apple_id.to_owned(),
                apps: apps.iter().map(|a| (*a).to_owned()).collect(),
                password: password.map(|p| aspen::model::Password::parse(p.into(), false).unwrap()),
                created,
                notes: String::new(),
                uses: Vec::new(),
                team_id: String::new(),
            };
            (id, entry)
        };
        for (id, entry) in [
            new(
                200,
                "SmoothSync Contacts",
                "family@icloud.com",
                &["SmoothSync Contacts"],
                Some("bcde-fghi-jklm-nopq"),
                date(2026, 9, 1),
            ),
            new(
                201,
                "Mail (old iPad)",
                "family@icloud.com",
                &["Mail"],
                None,
                date(2025, 6, 1),
            ),
            new(
                202,
                "Calendar",
                "kids@icloud.com",
                &["Thunderbird (laptop)", "K-9 Mail", "DAVx5"],
                Some("cdef-ghij-klmn-opqr"),
                date(2026, 3, 1),
            ),
            new(
                203,
                "Old Mac Mail",
                "kids@icloud.com",
                &["Mail"],
                None,
                date(2026, 10, 1),
            ),
        ] {
            v.add(id, entry, today).unwrap();
        }
        // A reset family@ recorded after Mail (old iPad) was made: it predates it
        // and aspen never held its password, two reasons.
        let family = v
            .accounts
            .iter_mut()
            .find(|a| a.apple_id == "family@icloud.com")
            .unwrap();
        family.resets.push(aspen::model::Reset {
            date: date(2026, 1, 10),
            seq: 0,
        });
    });
    app.press('L');
    app.unlock();
    app.state.vault_path = LONG_PATH.into();
    app.select("Thunderbird");
    app.state.message = None;
    app
}

#[test]
fn crowded_main_screen() {
    each_fit("fit_main", crowded);
}

#[test]
fn every_cut_cell_ends_in_an_ellipsis_and_no_address_is_cut_into_another() {
    for size in FIT_SIZES {
        let mut app = crowded(size);
        let screen = text_of(&mut app).join("\n");
        let wrong = cut_cells(&mut app);
        assert!(wrong.is_empty(), "{size:?}: {wrong:#?}\n{screen}");
        // What could be read as another, real address.
        for line in screen.lines() {
            let plausible = line.contains("family@icloud.co") && !line.contains("family@icloud.com");
            assert!(!plausible, "{size:?}: {line}");
        }
        // The reasons are read whole where the table has room for them.
        if size.0 >= 80 {
            assert!(screen.contains("predates-reset +1"), "{size:?}:\n{screen}");
            assert!(screen.contains("password-not-stored"), "{size:?}:\n{screen}");
        }
    }
}

#[test]
fn a_long_vault_path_keeps_its_file_name_and_shows_its_cut() {
    for size in FIT_SIZES {
        let mut app = crowded(size);
        let first = text_of(&mut app)[0].trim_end().to_owned();
        assert!(first.ends_with("/aspen/vault.aspen"), "{size:?}: {first}");
        assert!(
            first.contains(LONG_PATH) || first.contains("   …"),
            "{size:?}: {first}"
        );
    }
}

#[test]
fn the_details_keep_the_key_that_resolves_a_reason_and_wrap_under_their_column() {
    for size in FIT_SIZES {
        let mut app = crowded(size);
        let details = crate::harness::box_text(&app.screen(), "Details");
        assert!(details.contains("press r to regenerate"), "{size:?}:\n{details}");
        for line in details.lines() {
            // The status's next line, when it wraps, stays under its value.
            if line.contains("still need one") && !line.contains("Status") {
                assert!(line.starts_with("          "), "{size:?}:\n{details}");
            }
        }
    }
}

#[test]
fn the_smallest_footer_keeps_what_is_needed_now() {
    let mut app = crowded((60, 16));
    let screen = app.screen();
    let keys = screen.lines().last().unwrap();
    for hint in ["? help", "r regen", "q quit"] {
        assert!(keys.contains(hint), "{hint}: {keys}");
    }
    // A change to take back: undo joins them.
    app.press('j');
    app.press('d');
    app.key(crossterm::event::KeyCode::Enter);
    app.state.message = None;
    let screen = app.screen();
    let keys = screen.lines().last().unwrap();
    assert!(keys.contains("u undo"), "{keys}");
    // The overview keeps leaving, help, quitting, undoing and withdrawing.
    app.press('o');
    let screen = app.screen();
    for hint in ["Esc back", "? help", "q quit", "u undo", "w withdraw"] {
        assert!(screen.contains(hint), "{hint}:\n{screen}");
    }
}

/// What a merge that kept another machine's save says: long.
const MERGED: &str = "The vault file was replaced by a version lacking some of what was shown \
    here: merged the two and saved, nothing is lost; took in 3 changes saved elsewhere: \
    \"SmoothSync Contacts\" added under family@icloud.com, \"Calendar\" edited (apps), \
    \"Old Mac Mail\" revoked on 2026-11-19, and 1 conflict to settle on \"Thunderbird\".";

#[test]
fn a_long_message_is_one_line_naming_the_key_that_shows_it_whole() {
    each_fit("fit_message", |size| {
        let mut app = crowded(size);
        app.state.say(aspen::tui::state::Tone::Warning, MERGED);
        app
    });
    for size in FIT_SIZES {
        let mut app = crowded(size);
        app.screen();
        let rows = app.state.table_rows.height;
        app.state.say(aspen::tui::state::Tone::Warning, MERGED);
        let screen = app.screen();
        assert_eq!(
            app.state.table_rows.height, rows,
            "the table keeps its rows:\n{screen}"
        );
        assert!(app.readable(MERGED), "{size:?}:\n{screen}");
    }
}

/// The overview of four Apple IDs: at 60×16 one line of keys is left, and it keeps
/// going back, help, quitting and withdrawing a reset.
#[test]
fn crowded_overview() {
    each_fit("fit_overview", |size| {
        let mut app = crowded(size);
        app.press('o');
        app
    });
}
