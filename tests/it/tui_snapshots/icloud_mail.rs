//! Issue 22's last part at 80×24 and at 60×16: the form for an Apple ID's iCloud
//! Mail address, and the overview that shows it.

use crossterm::event::KeyCode;

use super::{SIZES, check, populated};
use crate::harness::App;

/// The populated vault with an entry of an Apple ID that is not an iCloud address,
/// that Apple ID selected on the overview.
fn janes(size: (u16, u16)) -> App {
    let mut app = populated("default", size);
    app.add(
        "Spark",
        "jane@example.org",
        "Spark",
        "mnop-qrst-uvwx-yzab",
        "2026-11-01",
    );
    app.press('o');
    while app.state.session().unwrap().overview_apple_id() != Some("jane@example.org") {
        app.press('j');
    }
    app.state.message = None;
    app
}

#[test]
fn mail_apple_id() {
    for size in SIZES {
        let mut app = janes(size);
        app.press('m');
        app.type_str("jane.doe@icloud.com");
        check(&mut app, "mail_apple_id", "default");
    }
}

#[test]
fn overview_mail_recorded() {
    for size in SIZES {
        let mut app = janes(size);
        app.press('m');
        app.type_str("jane.doe@icloud.com");
        app.key(KeyCode::Enter);
        check(&mut app, "overview_mail_recorded", "default");
    }
}
