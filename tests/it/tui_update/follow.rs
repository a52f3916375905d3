//! Issue 18, item 7: while unlocked, the TUI sees another program's save. A tick
//! takes the vault file's stat (at most once a second); when it changed, the file is
//! read again with the session's key and what arrived is shown and said. Driven
//! through `update` with the test's clock: no sleeps.

use std::time::Duration;

use aspen::secret::SecretString;
use aspen::tui::dialogs::{Overlay, Question};
use aspen::vault_file::{self, KdfParams, VaultKey};

use super::own_undo::{add, elsewhere};
use super::{message, on_disk, password};
use crate::harness::App;

/// One poll's worth of time: the next tick takes the file's stat.
const POLL: Duration = Duration::from_secs(1);

fn with_thunderbird() -> App {
    let mut app = App::new("default");
    app.create();
    app.add("Thunderbird", "me@icloud.com", "Mail", &password(1), "2026-01-01");
    // The first poll takes in the file as the session saved it.
    app.advance(POLL);
    app
}

fn active(app: &App, apple_id: &str) -> usize {
    let s = app.state.session().unwrap();
    s.slots
        .iter()
        .find(|s| s.apple_id == apple_id)
        .map_or(0, |s| s.active)
}

#[test]
fn a_save_made_elsewhere_shows_after_the_next_poll_with_the_gauges() {
    let mut app = with_thunderbird();
    assert!(
        message(&app).starts_with("Added"),
        "the session's own save is no news"
    );
    elsewhere(&app, |v| {
        add(v, "From CLI", "me@icloud.com", 2);
        add(v, "Work Mail", "work@icloud.com", 3);
    });
    // Not before the poll: update does no I/O.
    assert_eq!(app.labels_shown(), ["Thunderbird"]);

    app.advance(POLL);
    assert_eq!(app.labels_shown(), ["From CLI", "Thunderbird", "Work Mail"]);
    assert_eq!(
        message(&app),
        "Took in a change saved elsewhere: added \"From CLI\", \"Work Mail\"."
    );
    assert_eq!(active(&app, "me@icloud.com"), 2);
    assert_eq!(active(&app, "work@icloud.com"), 1);
    let screen = app.screen();
    assert!(screen.contains(" 2/25"), "{screen}");
    assert!(screen.contains("work@icloud.com"), "{screen}");

    // The session works on what it took in: its next save needs no merge.
    app.add("Mac", "me@icloud.com", "Mail", &password(4), "2026-01-01");
    let text = message(&app);
    assert!(!text.contains("Merged"), "{text}");
    assert_eq!(on_disk(&app).entries.len(), 4);
}

#[test]
fn polls_are_a_second_apart_and_a_file_only_touched_is_no_news() {
    let mut app = with_thunderbird();
    let vault = app.dir.path().join("vault.aspen");
    elsewhere(&app, |v| add(v, "From CLI", "me@icloud.com", 2));
    app.advance(Duration::from_millis(500));
    assert_eq!(app.labels_shown(), ["Thunderbird"], "half a second: no poll yet");
    app.advance(Duration::from_millis(500));
    assert_eq!(app.labels_shown(), ["From CLI", "Thunderbird"]);

    app.state.message = None;
    let file = std::fs::File::options().append(true).open(&vault).unwrap();
    file.set_modified(std::time::SystemTime::now() + Duration::from_secs(5))
        .unwrap();
    drop(file);
    app.advance(POLL);
    assert!(app.state.message.is_none(), "{}", message(&app));
}

/// A change made after the one taken in is taken back alone: what came in stays.
#[test]
fn an_undo_after_a_save_was_taken_in_keeps_that_save() {
    let mut app = with_thunderbird();
    app.add("Mac", "me@icloud.com", "Mail", &password(3), "2026-01-01");
    elsewhere(&app, |v| add(v, "From CLI", "me@icloud.com", 2));
    app.advance(POLL);
    assert!(message(&app).contains("added \"From CLI\""), "{}", message(&app));
    app.press('u');
    match app.state.dialogs.top() {
        Some(Overlay::Confirm(Question::Undo(confirm))) => assert_eq!(confirm.losing, ["Mac"]),
        _ => panic!("the undo asks first: {}", app.screen()),
    }
    app.press('y');
    assert_eq!(message(&app), "Undid: add of \"Mac\".");
    let mut labels: Vec<String> = on_disk(&app).entries.iter().map(|e| e.label.clone()).collect();
    labels.sort();
    assert_eq!(labels, ["From CLI", "Thunderbird"]);
}

/// The file saved under another passphrase: said, and the screen keeps what the
/// session read (it may be the only copy of it); it is not read again until it
/// changes.
#[test]
fn a_file_saved_under_another_passphrase_is_said_and_the_view_kept() {
    let mut app = with_thunderbird();
    let vault = app.dir.path().join("vault.aspen");
    let session = &app.state.session().unwrap().loaded;
    let cost = session.key.kdf().cost();
    let key = VaultKey::derive(
        &SecretString::from("another passphrase"),
        KdfParams::new(cost, [7; 32]),
    )
    .unwrap();
    let bytes = vault_file::encode(&session.vault, &key).unwrap();
    let side = app.dir.path().join("side.aspen");
    std::fs::write(&side, bytes).unwrap();
    std::fs::rename(&side, &vault).unwrap();

    app.advance(POLL);
    let text = message(&app);
    assert!(text.contains("under another passphrase"), "{text}");
    assert!(text.contains("press L to lock"), "{text}");
    assert!(app.state.session().is_some(), "not locked");
    assert_eq!(app.labels_shown(), ["Thunderbird"]);
    app.state.message = None;
    app.advance(POLL);
    assert!(app.state.message.is_none(), "said once: {}", message(&app));
}

/// A file that is gone, then put back: the screen keeps what it shows. An older
/// copy put back is merged with what the screen shows and saved: nothing is lost.
#[test]
fn a_file_gone_or_put_back_older_is_said_and_the_view_kept() {
    let mut app = with_thunderbird();
    let vault = app.dir.path().join("vault.aspen");
    let older = std::fs::read(&vault).unwrap();
    app.add("Mac", "me@icloud.com", "Mail", &password(3), "2026-01-01");
    app.advance(POLL);

    let aside = app.dir.path().join("aside.aspen");
    std::fs::rename(&vault, &aside).unwrap();
    app.advance(POLL);
    let text = message(&app);
    assert!(text.contains("The vault file is gone"), "{text}");
    assert_eq!(app.labels_shown(), ["Mac", "Thunderbird"]);

    // Put back as it was: nothing to take in.
    std::fs::rename(&aside, &vault).unwrap();
    app.state.message = None;
    app.advance(POLL);
    assert!(app.state.message.is_none(), "{}", message(&app));

    let side = app.dir.path().join("side.aspen");
    std::fs::write(&side, older).unwrap();
    std::fs::rename(&side, &vault).unwrap();
    app.advance(POLL);
    let text = message(&app);
    assert!(text.contains("replaced by a version lacking"), "{text}");
    assert!(text.contains("nothing is lost"), "{text}");
    assert_eq!(app.labels_shown(), ["Mac", "Thunderbird"]);
    let stored: Vec<String> = on_disk(&app).entries.iter().map(|e| e.label.clone()).collect();
    assert!(stored.contains(&"Mac".to_owned()), "saved back: {stored:?}");
}

/// A sync tool keeps another machine's save, made apart from this session's, and
/// renames this one's: the file then lacks the session's change. It is merged back,
/// not taken in as it is.
#[test]
fn a_concurrent_version_put_in_place_is_merged_not_taken_in() {
    let mut app = with_thunderbird();
    let vault = app.dir.path().join("vault.aspen");
    let other = app.dir.path().join("other.aspen");
    std::fs::copy(&vault, &other).unwrap();
    app.add("Mac", "me@icloud.com", "Mail", &password(3), "2026-01-01");
    app.advance(POLL);
    // The other machine's save, made on the copy from before "Mac".
    let paths = crate::common::vault_paths(other.clone()).with_state_dir(app.dir.path().join("other-state"));
    aspen::app::change(
        &paths,
        app.state.today,
        aspen::app::Consent::default(),
        || Ok(SecretString::from(crate::harness::PASSPHRASE)),
        |_| Ok(Some(())),
        |v, ()| {
            add(v, "From O", "me@icloud.com", 4);
            Ok(())
        },
    )
    .unwrap();
    std::fs::rename(&other, &vault).unwrap();
    app.advance(POLL);
    let text = message(&app);
    assert!(text.contains("merged the two and saved"), "{text}");
    assert_eq!(app.labels_shown(), ["From O", "Mac", "Thunderbird"]);
    let stored: Vec<String> = on_disk(&app).entries.iter().map(|e| e.label.clone()).collect();
    assert!(
        stored.contains(&"Mac".to_owned()) && stored.contains(&"From O".to_owned()),
        "{stored:?}"
    );
}
