//! The TUI's `update` driven through whole stories, synchronously: no terminal, no
//! sleeps; time moves only when the test says so.
#![allow(clippy::unwrap_used)]

#[path = "tui/harness.rs"]
mod harness;

use std::time::Duration;

use aspen::model::{Policy, analyse};
use aspen::secret::SecretString;
use aspen::tui::state::{Overlay, Screen};
use crossterm::event::{KeyCode, KeyModifiers};
use harness::{App, PASSPHRASE};

#[test]
fn first_run_then_unlock_reset_regenerate_and_nothing_needs_attention() {
    let mut app = App::new("default");
    assert!(matches!(app.state.screen, Screen::Welcome(_)));
    app.create();
    app.add(
        "Thunderbird",
        "me@icloud.com",
        "Thunderbird, K-9 Mail",
        "abcd efgh ijkl mnop",
        "2026-03-01",
    );
    app.add(
        "SmoothSync",
        "me@icloud.com",
        "SmoothSync",
        "qrst-uvwx-yzab-cdef",
        "2026-11-10",
    );
    assert_eq!(app.labels_shown(), ["SmoothSync", "Thunderbird"]);

    // Lock, then a wrong passphrase, then the right one.
    app.press('L');
    assert!(matches!(app.state.screen, Screen::Unlock(_)));
    assert!(app.state.session.is_none(), "locking drops the decrypted vault");
    app.type_str("not it");
    app.key(KeyCode::Enter);
    assert!(app.screen().contains("Wrong passphrase. Try again."));
    app.type_str(PASSPHRASE);
    app.key(KeyCode::Enter);
    assert!(matches!(app.state.screen, Screen::Main));

    // Apple ID reset on 2026-11-02: preview, confirm, checklist.
    app.press('R');
    app.key(KeyCode::Tab);
    app.replace_field("2026-11-02");
    app.key(KeyCode::Enter);
    let preview = app.screen();
    assert!(preview.contains("This one becomes revoked"), "{preview}");
    assert!(preview.contains("Thunderbird — Thunderbird, K-9 Mail"));
    assert!(!preview.contains("• SmoothSync"));
    app.key(KeyCode::Enter);
    let checklist = app.screen();
    assert!(
        checklist.contains("[ ] Thunderbird — Thunderbird, K-9 Mail"),
        "{checklist}"
    );
    app.key(KeyCode::Enter);
    assert_eq!(
        app.labels_shown(),
        ["Thunderbird"],
        "the list now shows what needs attention"
    );

    // Regenerate through the guided flow, with the shape checked live.
    app.press('r');
    app.type_str("zyxw");
    assert!(app.screen().contains("✗ 4 of Apple's 16 lowercase letters"));
    app.type_str("vutsrqponmlk");
    assert!(app.screen().contains("✓ Apple's shape"));
    app.key(KeyCode::Enter);
    assert!(app.state.overlay.is_none());

    // What is on disk agrees: nothing needs attention.
    let stored = app.runner.paths.open(&SecretString::from(PASSPHRASE)).unwrap();
    let attention = analyse(&stored.vault, jiff::civil::date(2026, 11, 20), Policy::default());
    assert!(attention.iter().all(|a| a.is_empty()), "{attention:?}");
    let thunderbird = stored
        .vault
        .entries
        .iter()
        .find(|e| e.label == "Thunderbird")
        .unwrap();
    assert_eq!(thunderbird.password.expose(), "zyxw-vuts-rqpo-nmlk");
}

#[test]
fn search_filters_live_and_esc_clears() {
    let mut app = App::new("default");
    app.create();
    app.add(
        "Thunderbird",
        "me@icloud.com",
        "Mail",
        "abcd-efgh-ijkl-mnop",
        "2026-01-01",
    );
    app.add(
        "YouCanBook.me",
        "me@icloud.com",
        "Calendar",
        "qrst-uvwx-yzab-cdef",
        "2026-01-01",
    );
    app.add(
        "SmoothSync",
        "kid@icloud.com",
        "Contacts",
        "hijk-lmno-pqrs-tuvw",
        "2026-01-01",
    );
    app.press('/');
    app.type_str("tbd");
    assert_eq!(app.labels_shown(), ["Thunderbird"]);
    app.key(KeyCode::Backspace);
    app.key(KeyCode::Backspace);
    app.key(KeyCode::Backspace);
    app.type_str("kid@icloud");
    assert_eq!(app.labels_shown(), ["SmoothSync"], "the Apple ID is searched too");
    app.key(KeyCode::Esc);
    app.press('/');
    app.type_str("calendar");
    assert_eq!(app.labels_shown(), ["YouCanBook.me"], "and the apps");
    app.key(KeyCode::Esc);
    assert_eq!(app.labels_shown().len(), 3);
}

#[test]
fn revoke_asks_whether_the_app_still_needs_a_password() {
    let mut app = App::new("default");
    app.create();
    app.add(
        "Thunderbird",
        "me@icloud.com",
        "Mail",
        "abcd-efgh-ijkl-mnop",
        "2026-01-01",
    );
    app.press('x');
    assert!(matches!(app.state.overlay, Some(Overlay::Choice(_))));
    app.key(KeyCode::Down);
    app.key(KeyCode::Enter);
    let s = app.state.session.as_ref().unwrap();
    assert!(s.loaded.vault.entries[0].needs_replacement());
    assert!(app.screen().contains("1 to regenerate"));
}

#[test]
fn delete_needs_confirmation() {
    let mut app = App::new("default");
    app.create();
    app.add(
        "Thunderbird",
        "me@icloud.com",
        "Mail",
        "abcd-efgh-ijkl-mnop",
        "2026-01-01",
    );
    app.press('d');
    app.key(KeyCode::Esc);
    assert_eq!(app.labels_shown().len(), 1, "Esc cancels");
    app.press('d');
    app.press('y');
    assert!(app.labels_shown().is_empty());
    let stored = app.runner.paths.open(&SecretString::from(PASSPHRASE)).unwrap();
    assert!(stored.vault.entries.is_empty(), "the deletion was saved");
}

#[test]
fn copy_counts_down_and_locking_clears_it() {
    let mut app = App::new("default");
    app.create();
    app.add(
        "Thunderbird",
        "me@icloud.com",
        "Mail",
        "abcd-efgh-ijkl-mnop",
        "2026-01-01",
    );
    app.press('c');
    assert_eq!(app.clipboard.borrow().copied, ["abcd-efgh-ijkl-mnop"]);
    assert!(app.screen().contains("Copied Thunderbird — clears in"));
    app.press('L');
    assert_eq!(app.clipboard.borrow().cleared, 1, "lock clears a pending copy");
}

#[test]
fn idle_time_locks_the_vault() {
    let mut app = App::new("default");
    app.create();
    app.advance(Duration::from_secs(299));
    assert!(app.state.session.is_some());
    app.advance(Duration::from_secs(2));
    assert!(app.state.session.is_none(), "locked after 300 s idle");
    assert!(app.screen().contains("Locked after 5 min of inactivity."));
}

#[test]
fn reveal_shows_the_password_for_a_few_seconds() {
    let mut app = App::new("default");
    app.create();
    app.add(
        "Thunderbird",
        "me@icloud.com",
        "Mail",
        "abcd-efgh-ijkl-mnop",
        "2026-01-01",
    );
    assert!(!app.screen().contains("abcd-efgh"));
    app.press('v');
    assert!(app.screen().contains("abcd-efgh-ijkl-mnop"));
    app.advance(Duration::from_secs(11));
    assert!(!app.screen().contains("abcd-efgh"), "masked again");
}

#[test]
fn a_refused_add_keeps_the_form_open_with_the_reason() {
    let mut app = App::new("default");
    app.create();
    app.press('a');
    app.type_str("Mail");
    app.key(KeyCode::Tab);
    app.type_str("me@icloud.com");
    app.key(KeyCode::Tab);
    app.type_str("Mail");
    app.key(KeyCode::Tab);
    app.type_str("hunter2");
    app.key(KeyCode::Enter);
    assert!(matches!(app.state.overlay, Some(Overlay::Form(_))));
    assert!(app.screen().contains("not an Apple app-specific password"));
    // The TUI cannot store a password of another shape, so no flag is offered as if
    // it could.
    let error = form_error(&app);
    assert!(error.contains("four groups of four letters"), "{error}");
    assert!(!error.contains("--any-format"), "{error}");
}

#[test]
fn mouse_click_selects_and_wheel_scrolls() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut app = App::new("default");
    app.create();
    for n in 0..5 {
        app.add(
            &format!("app{n}"),
            "me@icloud.com",
            "Mail",
            &format!("abcd-efgh-ijkl-mno{}", (b'a' + n) as char),
            "2026-01-01",
        );
    }
    app.draw();
    let rows = app.state.hitboxes.get().table_rows;
    let click = |row| {
        aspen::tui::msg::Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: rows.x + 2,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    app.send(click(rows.y + 3));
    assert_eq!(app.state.session.as_ref().unwrap().selected, 3);
    app.send(aspen::tui::msg::Msg::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollUp,
        column: rows.x,
        row: rows.y,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(app.state.session.as_ref().unwrap().selected, 0);
}

#[test]
fn too_small_a_window_says_so_and_only_quits() {
    let mut app = App::sized("default", 50, 12);
    assert!(app.screen().contains("aspen needs a bigger window"));
    app.type_str("abc");
    app.key_mod(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(app.state.quit);
}

#[test]
fn a_broken_user_theme_is_reported_with_its_position_and_the_default_used() {
    use aspen::config::Config;
    use aspen::storage::VaultPaths;
    use aspen::tui::{Options, initial_state};
    let dir = tempfile::tempdir().unwrap();
    let themes = dir.path().join("themes");
    std::fs::create_dir_all(&themes).unwrap();
    #[allow(clippy::disallowed_methods)]
    std::fs::write(
        themes.join("mine.ron"),
        "(\n  name: \"mine\",\n  colors: { \"text\": \"pink-ish\" },\n)",
    )
    .unwrap();
    let opts = Options {
        paths: VaultPaths::new(dir.path().join("v.aspen")),
        config: Config::defaults(),
        today: jiff::civil::date(2026, 11, 20),
        theme: Some("mine".to_owned()),
        user_theme_dir: Some(themes.clone()),
        insecure_kdf: true,
    };
    let state = initial_state(&opts, std::time::Instant::now());
    assert_eq!(state.theme.name, "default");
    let message = &state.message.as_ref().unwrap().text;
    assert!(message.contains("mine.ron:3:"), "{message}");
    assert!(message.contains("\"pink-ish\" is not a colour"), "{message}");
}

#[test]
fn key_overrides_from_the_config_apply_and_bad_ones_fall_back_to_the_defaults() {
    use aspen::tui::keymap::{Key, Mode};
    use aspen::tui::{Options, initial_state};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.ron");
    let state_with = |text: &str| {
        #[allow(clippy::disallowed_methods)]
        std::fs::write(&path, text).unwrap();
        let opts = Options {
            paths: aspen::storage::VaultPaths::new(dir.path().join("v.aspen")),
            config: aspen::config::Config::load(Some(&path)).unwrap(),
            today: jiff::civil::date(2026, 11, 20),
            theme: None,
            user_theme_dir: None,
            insecure_kdf: true,
        };
        initial_state(&opts, std::time::Instant::now())
    };
    let z = Key::parse("z").unwrap();
    let state = state_with("(keys: { \"main\": { \"z\": Lock } })");
    assert_eq!(
        state.keymap.resolve(Mode::Main, z),
        Some(aspen::action::Action::Lock)
    );
    let state = state_with("(keys: { \"mian\": { \"z\": Lock } })");
    assert_eq!(state.keymap.resolve(Mode::Main, z), None);
    assert!(state.message.unwrap().text.contains("unknown key mode \"mian\""));
    // An unknown action is a config error with its position, from the parser.
    #[allow(clippy::disallowed_methods)]
    std::fs::write(&path, "(\n keys: { \"main\": { \"z\": Explode } },\n)").unwrap();
    let err = aspen::config::Config::load(Some(&path)).unwrap_err().to_string();
    assert!(err.contains("config.ron:2:"), "{err}");
}

/// The TUI's hints name its keys, not the command line's commands or flags.
#[test]
fn hints_in_the_tui_name_keys_not_commands() {
    let mut app = App::sized("default", 140, 40);
    app.create();
    // The 26th password of an Apple ID: revoke one here, with its key.
    for n in 0..25 {
        app.add(
            &format!("App {n:02}"),
            "me@icloud.com",
            "Mail",
            &password(n),
            "2026-01-01",
        );
    }
    app.press('a');
    app.type_str("One more");
    app.key(KeyCode::Tab);
    app.replace_field("me@icloud.com");
    app.key(KeyCode::Tab);
    app.type_str("Mail");
    app.key(KeyCode::Tab);
    app.type_str(&password(25));
    app.key(KeyCode::Enter);
    let error = form_error(&app);
    assert!(error.contains("25 active app-specific passwords"), "{error}");
    assert!(error.contains("select it here and press x to revoke"), "{error}");
    assert!(!error.contains("aspen revoke"), "{error}");
    app.key(KeyCode::Esc);

    // A sync tool puts an older version back: the save is refused, and the screen
    // shows that version.
    let vault = app.dir.path().join("vault.aspen");
    let side = tempfile::tempdir().unwrap();
    let older = side.path().join("older.aspen");
    std::fs::copy(&vault, &older).unwrap();
    app.add("Later", "work@icloud.com", "Mail", &password(30), "2026-01-01");
    assert_eq!(
        labels(&app).last().map(String::as_str),
        Some("Later"),
        "the add was saved"
    );
    std::fs::rename(&older, &vault).unwrap();
    app.add("Refused", "work@icloud.com", "Mail", &password(31), "2026-01-01");
    let text = message(&app);
    assert!(text.contains("changed outside aspen"), "{text}");
    assert!(text.contains("the screen now shows that version"), "{text}");
    assert!(!text.contains("aspen list"), "{text}");
    assert_eq!(
        labels(&app).len(),
        25,
        "the older version is shown: {:?}",
        labels(&app)
    );
    assert!(!labels(&app).contains(&"Later".to_owned()));

    // Another vault altogether (another passphrase's key): aspen cannot read it back
    // and locks.
    let mut elsewhere = App::new("default");
    elsewhere.create();
    let other = side.path().join("other.aspen");
    std::fs::copy(elsewhere.dir.path().join("vault.aspen"), &other).unwrap();
    std::fs::rename(&other, &vault).unwrap();
    app.add(
        "Locked out",
        "work@icloud.com",
        "Mail",
        &password(32),
        "2026-01-01",
    );
    assert!(app.state.session.is_none(), "aspen locked");
    let text = message(&app);
    assert!(text.contains("so it locked: unlock to see it"), "{text}");
}

/// The labels of the vault the TUI holds, in the order they were added.
fn labels(app: &App) -> Vec<String> {
    let session = app.state.session.as_ref().unwrap();
    session
        .loaded
        .vault
        .entries
        .iter()
        .map(|e| e.label.clone())
        .collect()
}

fn message(app: &App) -> String {
    app.state
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

fn form_error(app: &App) -> String {
    match &app.state.overlay {
        Some(Overlay::Form(f)) => f.error.clone().unwrap_or_default(),
        _ => panic!("expected the form to stay open with an error"),
    }
}

/// A distinct well-formed app-specific password for each `n`.
fn password(n: u32) -> String {
    let letter = |i: u32| char::from(b'a' + u8::try_from(i % 26).unwrap());
    format!("abcd-efgh-ijkl-mn{}{}", letter(n / 26), letter(n))
}

/// With Regenerate moved to another key, the advice names that key.
#[test]
fn advice_follows_the_users_key_bindings() {
    let mut app = App::sized("default", 140, 40);
    let patch = ron::from_str(r#"{ "main": { "z": Regenerate, "r": Search } }"#).unwrap();
    app.state.keymap.apply(&patch).unwrap();
    app.create();
    app.add(
        "Thunderbird",
        "me@icloud.com",
        "Mail",
        "abcd-efgh-ijkl-mnop",
        "2026-01-01",
    );
    app.press('x');
    app.key(KeyCode::Down);
    app.key(KeyCode::Enter);
    let text = message(&app);
    assert!(text.contains("it waits to be regenerated (z)"), "{text}");
    let screen = app.screen();
    assert!(screen.contains("store it: press z to regenerate"), "{screen}");
    assert!(!screen.contains("press r"), "{screen}");
}
