//! Issue 21's "cut without a mark", at 120×36, 80×24 and 60×16: every cell and line
//! the screens cut ends in "…", an address is never cut into another plausible
//! one, what must be read whole (an Apple ID, a reason, the key that resolves it)
//! keeps its room, and long messages collapse to a line that names the key to
//! read them whole.

use jiff::civil::date;

use super::{check, populated};
use crate::harness::App;

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
    app.press('g');
    for _ in 0..6 {
        app.press('j');
    }
    assert_eq!(
        app.state
            .session
            .as_ref()
            .unwrap()
            .selected_entry()
            .unwrap()
            .label,
        "Thunderbird"
    );
    app.state.message = None;
    app
}

#[test]
fn crowded_main_screen() {
    each_fit("fit_main", crowded);
}
