//! The verify key in the TUI (issue 22): the question that says what would be
//! contacted, the sign-ins on a thread of their own with their progress on screen,
//! the answers recorded as one change (saved, undone); Esc and locking stop a run.
//! Against servers on loopback (`verify_servers`), never Apple's.

use std::time::Duration;

use aspen::app::verify::{Item, Planned, Selection, plan};
use aspen::config::Config;
use aspen::model::{Attention, Entry, Vault};
use aspen::secret::SecretString;
use aspen::tui::dialogs::{Overlay, Question};
use aspen::tui::msg::Msg;
use aspen::tui::state::Screen;
use aspen::tui::verify::Step;
use aspen::verify::{CalDavUrl, Endpoints, Outcome};
use crossterm::event::KeyCode;

use crate::common::asp;
use crate::harness::{App, PASSPHRASE, shows_in_full};
use crate::verify_servers::{Ca, Silent, radicale, start_radicale};

const ME: &str = "me@icloud.com";

/// A TUI with a new vault whose verify key signs in at `url`, certificates checked
/// against `ca` when given, 0.1 s apart; the warning it starts with is read.
fn app_for(url: &str, ca: Option<&Ca>) -> App {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::defaults();
    config.theme = "default".to_owned();
    config.verify.caldav_url = Some(CalDavUrl::parse(url).unwrap());
    config.verify.ca_file = ca.map(|ca| ca.write(dir.path(), "ca.pem"));
    config.verify.pause_secs = 0.1;
    let mut app = App::with(dir, config, 100, 30);
    let notice = app.notice().join("\n");
    assert!(
        notice.contains(
            "CalDAV sign-ins go to 127.0.0.1 (verify_caldav_url in config.ron), which is not Apple's server"
        ),
        "told at start that passwords go elsewhere: {notice}"
    );
    app.key(KeyCode::Enter);
    app.create();
    app
}

fn select(app: &mut App, label: &str) {
    let at = app.labels_shown().iter().position(|l| l == label).unwrap();
    app.press('g');
    for _ in 0..at {
        app.press('j');
    }
}

fn vault(app: &App) -> &Vault {
    &app.state.session().unwrap().loaded.vault
}

fn entry<'a>(app: &'a App, label: &str) -> &'a Entry {
    vault(app).entries.iter().find(|e| e.label == label).unwrap()
}

/// The vault as saved on disk.
fn on_disk(app: &App) -> Vault {
    let paths = crate::common::vault_paths(app.dir.path().join("vault.aspen"));
    paths.store().open(&SecretString::from(PASSPHRASE)).unwrap().vault
}

/// Until the run signs in (its thread said which entry).
fn until_trying(app: &mut App) {
    app.pump(
        Duration::from_secs(20),
        |_| {},
        |app| {
            app.state
                .verification
                .running
                .as_ref()
                .is_some_and(|r| r.trying.is_some())
        },
    );
}

/// What an earlier run's thread might still say: Apple accepted `label`'s password.
fn late_answer(app: &App, label: &str) -> Item {
    let selection = Selection::Entry(entry(app, label).id.clone());
    let Planned::Try(target) = plan(vault(app), &selection, &Endpoints::default())
        .unwrap()
        .remove(0)
    else {
        panic!("{label} has a password")
    };
    Item::Tried {
        target,
        outcome: Outcome::Works,
        same_as: None,
        not_recorded: None,
    }
}

#[test]
fn verify_key_asks_then_signs_in_with_progress_and_records_works_and_rejected() {
    let Some(bin) = radicale() else { return };
    let ca = Ca::new("aspen test CA");
    let server = start_radicale(&bin, &ca.server(&["127.0.0.1"]), ME, &asp(1));
    let url = format!("https://127.0.0.1:{}/", server.port);
    let mut app = app_for(&url, Some(&ca));
    app.add("Calendar", ME, "BusyCal", &asp(1), "2026-03-01");
    app.add("Old sync", ME, "SmoothSync", &asp(2), "2026-03-02");

    // The selected entry: first the question, naming what would be contacted.
    select(&mut app, "Calendar");
    app.press('V');
    assert!(matches!(
        app.state.dialogs.top(),
        Some(Overlay::Confirm(Question::Verify(_)))
    ));
    let screen = app.screen();
    for said in [
        "Verify \"Calendar\" (me@icloud.com) with Apple?",
        "aspen signs in once with the password, as its app does",
        &format!("\"Calendar\": CalDAV at {url} as me@icloud.com"),
        "which is not Apple's server",
        "instead of Mozilla's roots",
        "Repeated failed sign-ins can make Apple lock the Apple ID",
        "Enter/y sign in",
    ] {
        assert!(shows_in_full(&screen, said), "{said:?} in:\n{screen}");
    }

    // Yes: the sign-in runs on its own thread; the screen shows each step.
    app.background();
    app.key(KeyCode::Enter);
    assert!(app.state.verification.running.is_some());
    assert!(app.state.dialogs.top().is_none());
    let mut screens = vec![app.screen()];
    app.pump(
        Duration::from_secs(30),
        |app| screens.push(app.screen()),
        |app| app.state.verification.running.is_none(),
    );
    let progress = format!("Verifying 1 of 1: \"Calendar\" over CalDAV at {url}… Esc stops it.");
    assert!(
        screens.iter().any(|s| shows_in_full(s, &progress)),
        "{progress:?} was shown:\n{}",
        screens.join("\n")
    );
    let screen = app.screen();
    assert!(shows_in_full(&screen, "Verified: 1 works."), "{screen}");
    let v = entry(&app, "Calendar").last_verification().unwrap();
    assert!(v.accepted);
    assert_eq!(v.date, app.state.today);
    // Saved like any change: the file holds it.
    let saved = on_disk(&app);
    let calendar = saved.entries.iter().find(|e| e.label == "Calendar").unwrap();
    assert!(calendar.last_verification().unwrap().accepted);

    // The overview: every entry of the Apple ID; the wrong password is rejected.
    app.press('o');
    app.press('V');
    let screen = app.screen();
    for said in [
        "Verify the passwords of me@icloud.com with Apple?",
        "aspen signs in once with each of 2 passwords, as their apps do, 0.1 s apart",
        &format!("\"Old sync\": CalDAV at {url} as me@icloud.com"),
    ] {
        assert!(shows_in_full(&screen, said), "{said:?} in:\n{screen}");
    }
    app.key(KeyCode::Enter);
    app.pump(
        Duration::from_secs(30),
        |app| screens.push(app.screen()),
        |app| app.state.verification.running.is_none(),
    );
    let screen = app.screen();
    // On the overview, it names only keys that work there.
    for said in [
        "Verified: 1 works, 1 rejected.",
        "Apple rejected \"Old sync\": revoked outside aspen? Flagged; the list says what to do \
         about each (press Esc to go back to it).",
    ] {
        assert!(app.readable(said), "{said:?} in:\n{screen}");
    }
    assert!(crate::harness::unbound_keys(&mut app).is_empty(), "{screen}");
    let s = app.state.session().unwrap();
    let old = s
        .loaded
        .vault
        .entries
        .iter()
        .position(|e| e.label == "Old sync")
        .unwrap();
    assert!(s.attention[old].contains(Attention::Rejected), "flagged");
    for s in &screens {
        assert!(
            !s.contains(&asp(1)) && !s.contains(&asp(2)),
            "a password on screen:\n{s}"
        );
    }

    // Undone like any change: the rejection is gone again.
    app.press('u');
    assert!(
        shows_in_full(&app.screen(), "Undid: verification of 2 passwords."),
        "{}",
        app.screen()
    );
    assert!(!entry(&app, "Old sync").rejected_by_apple());
    assert!(!on_disk(&app).entries.iter().any(|e| e.rejected_by_apple()));
}

#[test]
fn esc_stops_a_verification_at_once_and_a_sign_in_under_way_is_not_waited_for() {
    // Accepts the connection and never answers: the sign-in would hang until its
    // timeout.
    let silent = Silent::start();
    let url = format!("https://127.0.0.1:{}/", silent.port);
    let mut app = app_for(&url, None);
    app.add("Calendar", ME, "BusyCal", &asp(1), "2026-03-01");
    let lines = entry(&app, "Calendar").history.len();
    let steps = app.state.session().unwrap().undo.len();
    app.press('V');
    app.background();
    app.key(KeyCode::Enter);
    until_trying(&mut app);
    let screen = app.screen();
    let progress = format!("Verifying 1 of 1: \"Calendar\" over CalDAV at {url}… Esc stops it.");
    assert!(shows_in_full(&screen, &progress), "{screen}");
    // The screen takes keys meanwhile, and the progress stays in view.
    app.press('s');
    let screen = app.screen();
    assert!(
        shows_in_full(&screen, "Sorted by") && shows_in_full(&screen, &progress),
        "{screen}"
    );

    app.key(KeyCode::Esc);
    assert!(app.state.verification.running.is_none());
    let screen = app.screen();
    assert!(
        shows_in_full(
            &screen,
            "Verification stopped: no answer came. The sign-in under way was not waited for: its \
             answer is not recorded. Nothing was recorded."
        ),
        "{screen}"
    );
    // What the stopped run's thread says later is not taken in.
    let late = late_answer(&app, "Calendar");
    app.send(Msg::Verifying {
        run: 1,
        step: Step::Answered(late.clone()),
    });
    app.send(Msg::VerifyEnded {
        run: 1,
        items: vec![late],
    });
    assert_eq!(entry(&app, "Calendar").history.len(), lines, "nothing recorded");
    assert_eq!(app.state.session().unwrap().undo.len(), steps);
    assert!(entry(&app, "Calendar").last_verification().is_none());
}

#[test]
fn locking_stops_a_verification_and_records_nothing_of_it() {
    let silent = Silent::start();
    let url = format!("https://127.0.0.1:{}/", silent.port);
    let mut app = app_for(&url, None);
    app.add("Calendar", ME, "BusyCal", &asp(1), "2026-03-01");
    app.add("Notes", ME, "Notes sync", &asp(2), "2026-03-02");
    let late = late_answer(&app, "Calendar");

    // The lock key, on the overview, while the first of two sign-ins hangs.
    app.press('o');
    app.press('V');
    app.background();
    app.key(KeyCode::Enter);
    until_trying(&mut app);
    app.press('L');
    assert!(matches!(app.state.screen, Screen::Unlock(_)));
    assert!(app.state.session().is_none() && app.state.verification.running.is_none());
    let screen = app.screen();
    assert!(
        shows_in_full(
            &screen,
            "Locked. The verification under way was stopped; nothing of it was recorded."
        ),
        "{screen}"
    );
    app.send(Msg::VerifyEnded {
        run: 1,
        items: vec![late.clone()],
    });

    // Unlocked again (in the background too): nothing of the run is in the vault.
    app.type_str(PASSPHRASE);
    app.key(KeyCode::Enter);
    app.pump(
        Duration::from_secs(20),
        |_| {},
        |app| app.state.session().is_some(),
    );
    assert!(
        vault(&app)
            .entries
            .iter()
            .all(|e| e.last_verification().is_none())
    );

    // The idle lock stops a run too.
    app.press('V');
    app.key(KeyCode::Enter);
    until_trying(&mut app);
    app.advance(app.state.settings.idle_lock + Duration::from_secs(1));
    assert!(app.state.session().is_none() && app.state.verification.running.is_none());
    let screen = app.screen();
    assert!(
        shows_in_full(
            &screen,
            "Locked after 5 min of inactivity. The verification under way was stopped; nothing of \
             it was recorded."
        ),
        "{screen}"
    );
    app.send(Msg::VerifyEnded {
        run: 2,
        items: vec![late],
    });
    assert!(
        on_disk(&app)
            .entries
            .iter()
            .all(|e| e.last_verification().is_none())
    );
}

#[test]
fn a_ca_file_that_does_not_read_is_said_at_start_and_nothing_to_sign_in_with_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::defaults();
    config.verify.ca_file = Some(dir.path().join("missing.pem"));
    let mut app = App::with(dir, config, 100, 30);
    let notice = app.notice().join("\n");
    assert!(
        notice.contains("verify_ca_file:") && notice.contains("Mozilla's roots instead"),
        "{notice}"
    );
    assert!(
        !notice.contains("not Apple's server"),
        "Apple's servers, Mozilla's roots: {notice}"
    );
    app.key(KeyCode::Enter);
    app.create();
    app.press('V');
    assert!(
        shows_in_full(&app.screen(), "Nothing to verify: the list is empty."),
        "{}",
        app.screen()
    );
    // Recorded as listed at Apple, without its password: nothing to sign in with.
    app.press('a');
    app.type_str("Lost");
    app.key(KeyCode::Tab);
    app.replace_field(ME);
    app.key(KeyCode::Tab);
    app.key(KeyCode::Tab);
    app.key(KeyCode::Right);
    app.key(KeyCode::Tab);
    app.replace_field("2026-03-01");
    app.key(KeyCode::Enter);
    assert!(app.state.dialogs.top().is_none(), "{}", app.screen());
    app.press('V');
    assert!(app.state.dialogs.top().is_none());
    let screen = app.screen();
    assert!(
        shows_in_full(
            &screen,
            "Nothing to sign in with: \"Lost\": aspen does not hold its password."
        ),
        "{screen}"
    );
}
