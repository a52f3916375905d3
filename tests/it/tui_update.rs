//! The TUI's `update` driven through whole stories, synchronously: no terminal, no
//! sleeps; time moves only when the test says so.
#![allow(clippy::unwrap_used)]

use crate::harness;

mod apple_ids_and_guides;
mod attention_first;
mod cosmetics;
mod export;
mod follow;
mod icloud_mail;
mod issue14;
mod issue23;
mod keys_in_messages;
mod notary;
mod own_undo;
mod retire_and_undo;
mod rollback;
mod stack;
mod true_words;
mod verify;
mod year;

use std::time::Duration;

use aspen::model::{Policy, analyse};
use aspen::secret::SecretString;
use aspen::tui::dialogs::{Notice, Overlay};
use aspen::tui::state::Screen;
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
    assert!(app.state.session().is_none(), "locking drops the decrypted vault");
    app.type_str("not it");
    app.key(KeyCode::Enter);
    assert!(app.screen().contains("Wrong passphrase. Try again."));
    app.type_str(PASSPHRASE);
    app.key(KeyCode::Enter);
    assert!(matches!(
        app.state.screen,
        Screen::Open(_, aspen::tui::state::View::Main)
    ));

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
    assert!(
        app.screen()
            .contains("✗ it has 4 letters, 12 fewer than Apple's 16")
    );
    app.type_str("vutsrqponmlk");
    assert!(app.screen().contains("✓ Apple's shape"));
    app.key(KeyCode::Enter);
    assert!(app.state.dialogs.top().is_none());

    // What is on disk agrees: nothing needs attention.
    let stored = app
        .runner
        .paths
        .store()
        .open(&SecretString::from(PASSPHRASE))
        .unwrap();
    let attention = analyse(&stored.vault, jiff::civil::date(2026, 11, 20), Policy::default());
    assert!(attention.iter().all(|a| a.is_empty()), "{attention:?}");
    let thunderbird = stored
        .vault
        .entries
        .iter()
        .find(|e| e.label == "Thunderbird")
        .unwrap();
    assert_eq!(
        thunderbird.password.as_ref().unwrap().expose(),
        "zyxw-vuts-rqpo-nmlk"
    );
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
    assert!(matches!(app.state.dialogs.top(), Some(Overlay::Revoke(_))));
    app.key(KeyCode::Right);
    app.key(KeyCode::Enter);
    let s = app.state.session().unwrap();
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
    let stored = app
        .runner
        .paths
        .store()
        .open(&SecretString::from(PASSPHRASE))
        .unwrap();
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
    assert!(app.state.session().is_some());
    app.advance(Duration::from_secs(2));
    assert!(app.state.session().is_none(), "locked after 300 s idle");
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
    assert!(app.state.dialogs.top().and_then(Overlay::form).is_some());
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
    let rows = app.state.table_rows;
    let click = |row| {
        aspen::tui::msg::Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: rows.x + 2,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    app.send(click(rows.y + 3));
    assert_eq!(app.state.session().unwrap().table.selected, 3);
    app.send(aspen::tui::msg::Msg::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollUp,
        column: rows.x,
        row: rows.y,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(app.state.session().unwrap().table.selected, 0);
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
        paths: crate::common::vault_paths(dir.path().join("v.aspen")),
        config: Config::defaults(),
        today: jiff::civil::date(2026, 11, 20),
        theme: Some("mine".to_owned()),
        user_theme_dir: Some(themes.clone()),
        config_file: None,
        insecure_kdf: true,
    };
    let state = initial_state(&opts, std::time::Instant::now());
    assert_eq!(state.theme.name, "default");
    let Some(Overlay::Notice(Notice { lines, .. })) = state.dialogs.top() else {
        panic!("the problem is listed on the first screen");
    };
    assert_eq!(lines.len(), 1, "one problem, named once: {lines:?}");
    assert!(lines[0].contains("mine.ron:3:"), "{lines:?}");
    assert!(lines[0].contains("\"pink-ish\" is not a colour"), "{lines:?}");
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
            paths: crate::common::vault_paths(dir.path().join("v.aspen")),
            config: aspen::config::Config::load(Some(&path)).unwrap(),
            today: jiff::civil::date(2026, 11, 20),
            theme: None,
            user_theme_dir: None,
            config_file: None,
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
    let Some(Overlay::Notice(Notice { lines, .. })) = state.dialogs.top() else {
        panic!("the problem is listed on the first screen");
    };
    assert!(lines[0].contains("unknown key mode \"mian\""), "{lines:?}");
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
    // The 26th password of an Apple ID: revoke one, with the key that works in the form.
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
    // The refusal offers to make room; leaving that goes back to the form.
    assert!(matches!(app.state.dialogs.top(), Some(Overlay::MakeRoom(_))));
    app.key(KeyCode::Esc);
    let error = form_error(&app);
    assert!(error.contains("25 active app-specific passwords"), "{error}");
    assert!(
        error.contains("press Enter to choose it from the list"),
        "{error}"
    );
    assert!(!error.contains("aspen revoke"), "{error}");
    app.key(KeyCode::Esc);

    // A sync tool puts an older version back: the save merges it with the version
    // this session read, so nothing is lost.
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
    app.add("Merged", "work@icloud.com", "Mail", &password(31), "2026-01-01");
    let text = message(&app);
    assert!(text.contains("Merged with a change saved elsewhere"), "{text}");
    assert!(!text.contains("aspen list"), "{text}");
    for label in ["Later", "Merged"] {
        assert!(
            labels(&app).contains(&label.to_owned()),
            "{label}: {:?}",
            labels(&app)
        );
    }

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
    assert!(app.state.session().is_none(), "aspen locked");
    let text = message(&app);
    assert!(text.contains("so it locked: unlock to see it"), "{text}");
}

/// The labels of the vault the TUI holds, in the order they were added.
fn labels(app: &App) -> Vec<String> {
    let session = app.state.session().unwrap();
    session
        .loaded
        .vault
        .entries
        .iter()
        .map(|e| e.label.clone())
        .collect()
}

/// The session's entry labelled `label`.
fn entry<'a>(app: &'a App, label: &str) -> &'a aspen::model::Entry {
    let vault = &app.state.session().unwrap().loaded.vault;
    vault.entries.iter().find(|e| e.label == label).unwrap()
}

/// Moves the selection to `label` with the keys a user would press, first showing
/// every entry (a reset's checklist leaves the list showing what needs attention).
fn select(app: &mut App, label: &str) {
    for _ in 0..4 {
        if app.screen().contains("show: all") {
            break;
        }
        app.press('f');
    }
    app.press('g');
    for _ in 0..app.labels_shown().len() {
        let s = app.state.session().unwrap();
        if s.selected_entry().is_some_and(|e| e.label == label) {
            return;
        }
        app.press('j');
    }
    panic!("{label} is not in the list");
}

/// The vault as saved, read back from the file.
fn on_disk(app: &App) -> aspen::model::Vault {
    app.runner
        .paths
        .store()
        .open(&aspen::secret::SecretString::from(crate::harness::PASSPHRASE))
        .unwrap()
        .vault
}

fn message(app: &App) -> String {
    app.state
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

fn form_error(app: &App) -> String {
    match app.state.dialogs.top() {
        Some(o) if o.form().is_some() => o.form().and_then(|f| f.error.clone()).unwrap_or_default(),
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
    app.key(KeyCode::Right);
    app.key(KeyCode::Enter);
    let text = message(&app);
    assert!(text.contains("it waits to be regenerated (z)"), "{text}");
    let screen = app.screen();
    assert!(screen.contains("store it: press z to regenerate"), "{screen}");
    assert!(!screen.contains("press r"), "{screen}");
}

/// A vault with one entry, at `w`×`h`.
fn one_entry(w: u16, h: u16) -> App {
    let mut app = App::sized("default", w, h);
    app.create();
    app.add(
        "Thunderbird",
        "me@icloud.com",
        "Mail",
        "abcd-efgh-ijkl-mnop",
        "2026-01-01",
    );
    app
}

/// Item 11: a failed save's message is never hidden by the search line, never cut
/// at the screen's edge, at the classic size and at the smallest.
#[test]
fn a_failed_save_is_shown_in_full_beside_an_active_search() {
    for (w, h) in [(80, 24), (60, 16)] {
        let mut app = one_entry(w, h);
        app.press('/');
        app.type_str("thun");
        // The owner takes the write permission off the vault: the next save is refused.
        app.make_vault_read_only();
        app.key(KeyCode::Esc);
        app.press('/');
        app.type_str("thun");
        app.key(KeyCode::Enter);
        app.press('x');
        app.key(KeyCode::Enter);
        let error = message(&app);
        assert!(error.contains("read-only"), "{error}");
        assert!(
            error.chars().count() > usize::from(w),
            "long enough to need wrapping"
        );
        let screen = app.screen();
        assert!(screen.contains("/thun"), "the search stays on screen:\n{screen}");
        assert!(
            app.readable(&error),
            "{w}×{h}: the whole error can be read:\n{error}\n{screen}"
        );
        assert!(screen.contains("/thun"), "the search stays on screen:\n{screen}");
        // Esc clears the search; the error stays, whole.
        app.key(KeyCode::Esc);
        let screen = app.screen();
        assert!(!screen.contains("/thun"), "{screen}");
        assert!(app.readable(&error), "{w}×{h}:\n{screen}");
    }
}

/// Issue 21: a message longer than two lines collapses to one that names the key
/// showing it whole; the table keeps its rows.
#[test]
fn a_message_longer_than_two_lines_collapses_to_one_naming_its_key() {
    for (w, h) in [(120, 36), (80, 24), (60, 16)] {
        let mut app = one_entry(w, h);
        app.screen();
        let rows = app.state.table_rows.height;
        let long = "word ".repeat(120);
        app.state.say(aspen::tui::state::Tone::Error, long.trim());
        let screen = app.screen();
        let said: Vec<&str> = screen.lines().filter(|l| l.starts_with("word")).collect();
        assert_eq!(said.len(), 1, "{screen}");
        assert!(said[0].ends_with("…  M shows all"), "{screen}");
        assert_eq!(app.state.table_rows.height, rows, "{screen}");
        app.press('M');
        let boxed = harness::box_text(&app.screen(), "Error");
        assert!(harness::shows_in_full(&boxed, long.trim()), "{boxed}");
        app.key(KeyCode::Esc);
        assert!(app.state.dialogs.top().is_none());
    }
}

/// Item 11: without a key to show it whole, a message longer than the room under
/// the table opens in a box.
#[test]
fn a_message_too_long_for_the_status_area_opens_in_a_box_without_a_key() {
    let mut config = aspen::config::Config::defaults();
    config.keys = Some(ron::from_str(r#"{ "main": { "M": Lock } }"#).unwrap());
    let mut app = App::with(tempfile::tempdir().unwrap(), config, 60, 16);
    app.create();
    let long = "word ".repeat(120);
    app.state.say(aspen::tui::state::Tone::Error, long.trim());
    let screen = app.screen();
    let boxed = harness::box_text(&screen, "Error");
    assert!(harness::shows_in_full(&boxed, long.trim()), "{screen}");
}

/// Item 13: every startup problem on its own line with file:line:column, none
/// dropped, and a file named once.
#[test]
fn startup_problems_are_listed_one_per_line_with_their_positions() {
    use aspen::config::Config;
    use aspen::tui::{Options, initial_state};
    let dir = tempfile::tempdir().unwrap();
    let themes = dir.path().join("themes");
    std::fs::create_dir_all(&themes).unwrap();
    #[allow(clippy::disallowed_methods)]
    std::fs::write(themes.join("broken.ron"), "(\n  name: \"broken\",\n  colors: {\n").unwrap();
    let config = dir.path().join("config.ron");
    #[allow(clippy::disallowed_methods)]
    std::fs::write(
        &config,
        "(\n  theme: \"broken\",\n  keys: { \"mian\": { \"z\": Lock } },\n)",
    )
    .unwrap();
    let opts = Options {
        paths: crate::common::vault_paths(dir.path().join("vault.aspen")),
        config: Config::load(Some(&config)).unwrap(),
        today: jiff::civil::date(2026, 11, 20),
        theme: Some("nosuch".to_owned()),
        user_theme_dir: Some(themes.clone()),
        config_file: Some(config.clone()),
        insecure_kdf: true,
    };
    let mut state = initial_state(&opts, std::time::Instant::now());
    state.size = (80, 24);
    let Some(Overlay::Notice(Notice { lines, .. })) = state.dialogs.top() else {
        panic!("the problems are listed on the first screen");
    };
    let lines = lines.clone();
    assert_eq!(lines.len(), 3, "{lines:#?}");
    assert!(
        lines[0].starts_with("no theme is named \"nosuch\": built in are default,"),
        "{lines:#?}"
    );
    let broken = format!("{}:", themes.join("broken.ron").display());
    assert!(lines[1].starts_with(&broken), "{lines:#?}");
    let mode = format!("{}:3:11: keys: unknown key mode \"mian\"", config.display());
    assert!(lines[2].starts_with(&mode), "{lines:#?}");
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|f| {
            aspen::tui::views::render(f, &state);
        })
        .unwrap();
    let screen = harness::box_text(&screen_of(terminal.backend().buffer()), "3 problems");
    for line in &lines {
        assert!(harness::shows_in_full(&screen, line), "{line}\n{screen}");
    }
    // Enter closes the list; the welcome screen is under it.
    aspen::tui::update::update(&mut state, key_msg(KeyCode::Enter), std::time::Instant::now());
    assert!(state.dialogs.top().is_none());
    assert!(matches!(state.screen, Screen::Welcome(_)));
}

fn key_msg(code: KeyCode) -> aspen::tui::msg::Msg {
    aspen::tui::msg::Msg::Key(crossterm::event::KeyEvent::new(code, KeyModifiers::NONE))
}

fn screen_of(buffer: &ratatui::buffer::Buffer) -> String {
    let mut out = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// Item 15: the shape hint says what is wrong, in the command line's words.
#[test]
fn the_password_hint_says_what_is_wrong_with_the_shape() {
    let mut app = one_entry(100, 30);
    for (typed, says) in [
        ("abcdefgh ijklmnop", "in the wrong places"),
        ("ABCD-EFGH-IJKL-MNOP", "upper-case"),
        ("abcdefghijklmnopq", "one more than Apple's 16"),
    ] {
        app.press('a');
        for _ in 0..3 {
            app.key(KeyCode::Tab);
        }
        app.type_str(typed);
        let expected = aspen::model::shape_problem(typed).unwrap();
        assert!(expected.contains(says), "{expected}");
        let form = harness::box_text(&app.screen(), "Add an app-specific password");
        assert!(
            harness::shows_in_full(&form, &format!("✗ {expected}")),
            "{typed}:\n{form}"
        );
        app.key(KeyCode::Esc);
    }
}

/// Item 16: a folder or a file that is not a vault is reported before any
/// passphrase is asked for; Enter looks again once it is fixed.
#[test]
fn what_is_not_a_vault_is_reported_instead_of_a_passphrase_prompt() {
    let app = App::new("default");
    let vault = app.dir.path().join("vault.aspen");
    std::fs::create_dir(&vault).unwrap();
    let mut app = app.restarted();
    assert!(matches!(app.state.screen, Screen::CannotOpen(_)));
    let screen = app.screen();
    assert!(screen.contains("is a folder"), "{screen}");
    assert!(!screen.contains("Passphrase"), "{screen}");
    std::fs::remove_dir(&vault).unwrap();
    #[allow(clippy::disallowed_methods)]
    std::fs::write(&vault, "just some notes\n").unwrap();
    app.key(KeyCode::Enter);
    let screen = app.screen();
    assert!(screen.contains("is not an aspen vault"), "{screen}");
    assert!(!screen.contains("Passphrase"), "{screen}");
    std::fs::remove_file(&vault).unwrap();
    app.key(KeyCode::Enter);
    assert!(matches!(app.state.screen, Screen::Welcome(_)));
}

/// Item 16: like the welcome screen, the change-passphrase dialog clears both
/// fields when they differ.
#[test]
fn differing_new_passphrases_are_both_cleared() {
    let mut app = one_entry(100, 30);
    app.press('P');
    app.type_str("first try");
    app.key(KeyCode::Tab);
    app.type_str("frist try");
    app.key(KeyCode::Enter);
    let Some(form) = app.state.dialogs.top().and_then(Overlay::form) else {
        panic!("the dialog stays open");
    };
    assert!(form.fields.iter().all(|f| f.text().is_empty()), "both cleared");
    assert_eq!(form.focus, 0, "back at the first field");
    assert!(form_error(&app).contains("differ"));
}

/// Item 18: help scrolls to its last line and no further.
#[test]
fn help_stops_at_its_last_line() {
    for (w, h) in [(80, 24), (60, 16)] {
        let mut app = one_entry(w, h);
        app.press('?');
        for _ in 0..200 {
            app.press('j');
        }
        let screen = app.screen();
        let lines: Vec<&str> = screen.lines().collect();
        let bottom = lines.iter().rposition(|l| l.contains('└')).unwrap();
        assert!(
            lines[bottom - 1].contains("wheel to scroll."),
            "{w}×{h}: the last line sits at the bottom of the box:\n{screen}"
        );
        // One step up shows the line before it at the bottom: no blank scrolled past.
        app.press('k');
        let screen = app.screen();
        assert!(
            !screen.lines().any(|l| l.contains("wheel to scroll.")),
            "{screen}"
        );
    }
}

/// Item 19: an edit changes only the fields the user touched.
#[test]
fn editing_only_the_notes_keeps_an_app_name_with_a_comma_whole() {
    let mut app = one_entry(100, 30);
    // The command line can name an app "Mail, desktop" (`aspen edit --app`).
    app.change_on_disk(|v| v.entries[0].apps = vec!["Mail, desktop".to_owned()]);
    app.press('L');
    app.unlock();
    app.press('e');
    for _ in 0..4 {
        app.key(KeyCode::Tab);
    }
    app.type_str("IMAP only");
    app.key(KeyCode::Enter);
    assert!(app.state.dialogs.top().is_none(), "{}", app.screen());
    let stored = app
        .runner
        .paths
        .store()
        .open(&SecretString::from(PASSPHRASE))
        .unwrap();
    let e = &stored.vault.entries[0];
    assert_eq!(e.notes, "IMAP only");
    assert_eq!(e.apps, ["Mail, desktop"], "the app was not touched");
}

/// Item 7: with the vault gone and its backup left, the TUI says how to restore it
/// and offers no new vault that would put the backup at risk.
#[test]
fn a_missing_vault_with_a_backup_is_restored_not_replaced() {
    let app = one_entry(80, 24);
    let vault = app.dir.path().join("vault.aspen");
    let backup = app.dir.path().join("vault.aspen.bak");
    assert!(backup.is_file(), "the save kept a backup");
    std::fs::remove_file(&vault).unwrap();
    let mut app = app.restarted();
    assert!(matches!(app.state.screen, Screen::CannotOpen(_)));
    let screen = harness::box_text(&app.screen(), "cannot open the vault");
    assert!(harness::shows_in_full(&screen, "vault.aspen.bak"), "{screen}");
    assert!(screen.contains("cp "), "says how to restore it:\n{screen}");
    assert!(!screen.contains("Choose a passphrase"), "{screen}");
    app.type_str(PASSPHRASE);
    app.key(KeyCode::Enter);
    assert!(!vault.exists(), "nothing was created over the backup");
    assert!(matches!(app.state.screen, Screen::CannotOpen(_)));
    // Restored as the screen says: Enter looks again and asks for the passphrase.
    std::fs::copy(&backup, &vault).unwrap();
    app.key(KeyCode::Enter);
    assert!(matches!(app.state.screen, Screen::Unlock(_)), "{}", app.screen());
    app.unlock();
}

/// Item 3: files others can change are listed on unlock, each with its fix.
#[test]
fn files_others_can_change_are_listed_on_unlock() {
    use std::os::unix::fs::PermissionsExt;
    let mut app = one_entry(80, 24);
    let dir = app.dir.path().to_path_buf();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    app.press('L');
    app.unlock();
    let lines = app.notice();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(lines[0].contains(&dir.display().to_string()), "{lines:#?}");
    assert!(lines[0].contains("chmod go-w"), "{lines:#?}");
    let screen = harness::box_text(&app.screen(), "Others can change your vault");
    assert!(harness::shows_in_full(&screen, &lines[0]), "{screen}");
    app.key(KeyCode::Enter);
    assert!(app.state.dialogs.top().is_none());
}

/// Item 12: inside a tmux that drops OSC 52 the TUI says the copy did not happen
/// and how to make it work; where it cannot know, it says what it depends on.
#[test]
fn a_copy_tmux_drops_is_not_claimed() {
    use aspen::clipboard::Tmux;
    use aspen::tui::msg::CopyOutcome;
    let mut app = one_entry(80, 24);
    app.clipboard.borrow_mut().next = Some(CopyOutcome::TmuxDrops("external".to_owned()));
    app.press('c');
    let screen = app.screen();
    assert!(!screen.contains("Copied"), "{screen}");
    let text = message(&app);
    assert!(text.starts_with("Not copied"), "{text}");
    assert!(text.contains("set -g set-clipboard on"), "{text}");
    assert!(text.contains("press v to reveal"), "{text}");
    assert!(app.readable(&text), "{screen}");
    assert!(
        app.state.copy.is_none(),
        "no countdown for a copy that was not made"
    );

    app.clipboard.borrow_mut().next = Some(CopyOutcome::Terminal { tmux: Tmux::Unknown });
    app.press('c');
    let text = message(&app);
    assert!(
        text.starts_with("Sent \"Thunderbird\" through the terminal"),
        "{text}"
    );
    assert!(text.contains("set -g set-clipboard on"), "{text}");
    // Once the note has gone, the status still does not claim more than a send.
    app.advance(Duration::from_secs(7));
    let screen = app.screen();
    assert!(
        screen.contains("Sent Thunderbird through the terminal"),
        "{screen}"
    );
}

/// Issue 12: a failing random source is an error in the add form, never a panic,
/// and nothing is stored.
#[test]
fn a_failing_random_source_keeps_the_add_form_open_with_the_reason() {
    let mut app = one_entry(100, 30);
    app.state.new_id = || {
        Err(aspen::error::Error::NoRandomness {
            detail: "getrandom: unavailable".to_owned(),
        })
    };
    app.press('a');
    app.type_str("Spark");
    app.key(KeyCode::Tab);
    app.key(KeyCode::Tab);
    app.type_str("Spark");
    app.key(KeyCode::Tab);
    app.type_str("qrst-uvwx-yzab-cdef");
    app.key(KeyCode::Enter);
    let error = form_error(&app);
    assert!(error.contains("random source failed"), "{error}");
    assert_eq!(labels(&app), ["Thunderbird"], "nothing was added");
}

/// Issue 12: the runner reports a failed copy as it is; the TUI words it with the
/// user's keys, and counts nothing down.
#[test]
fn a_failed_copy_is_worded_with_the_users_keys() {
    let mut app = one_entry(100, 30);
    let patch = ron::from_str(r#"{ "main": { "V": Reveal } }"#).unwrap();
    app.state.keymap.apply(&patch).unwrap();
    app.clipboard.borrow_mut().fail = Some(aspen::clipboard::ClipboardError::Unavailable {
        detail: "no display".to_owned(),
    });
    app.press('c');
    let text = message(&app);
    assert!(text.contains("no display"), "{text}");
    assert!(text.contains("press V to reveal"), "{text}");
    assert!(
        app.state.copy.is_none(),
        "no countdown for a copy that was not made"
    );
    assert!(app.clipboard.borrow().copied.is_empty());
}

/// Issue 12: the render reports where the table is and which row it shows first;
/// a click after scrolling selects the row under the pointer, and a page moves by
/// half the rows drawn.
#[test]
fn the_drawn_layout_guides_clicks_and_paging_after_scrolling() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut app = App::sized("default", 80, 24);
    app.create();
    for n in 0..20 {
        app.add(
            &format!("app{n:02}"),
            "me@icloud.com",
            "Mail",
            &password(n),
            "2026-01-01",
        );
    }
    app.press('G');
    app.draw();
    let rows = app.state.table_rows;
    let offset = app.state.session().unwrap().table.offset;
    assert!(offset > 0, "the table scrolled to show the last entry");
    assert_eq!(
        offset + usize::from(rows.height),
        20,
        "the last entry is the last row drawn"
    );
    app.send(aspen::tui::msg::Msg::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: rows.x + 2,
        row: rows.y,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(app.state.session().unwrap().table.selected, offset);
    app.key_mod(KeyCode::Char('u'), KeyModifiers::CONTROL);
    assert_eq!(
        app.state.session().unwrap().table.selected,
        offset - usize::from(rows.height / 2)
    );
}

/// Issue 12: a dialog is a type that handles its own keys and says what they come
/// to; it changes nothing else. Only `update` makes the change it asks for.
#[test]
fn a_dialog_says_what_its_keys_come_to_and_changes_nothing_else() {
    use aspen::action::Action;
    use aspen::tui::dialogs::{AddDialog, Change, Ctx, Outcome, RevokeDialog};
    let app = one_entry(100, 30);
    let vault = &app.state.session().unwrap().loaded.vault;
    let today = app.state.today;
    let ctx = Ctx {
        today,
        keys: &app.state.keymap,
        vault: Some(vault),
        themes: 0,
        help_limit: 0,
        preview_limit: 0,
    };
    let mut revoke = Overlay::Revoke(RevokeDialog::new(&vault.entries[0], today));
    assert!(matches!(
        revoke.on_action(Action::ChoiceNext, &ctx),
        Outcome::Stay
    ));
    assert!(matches!(
        revoke.on_action(Action::Confirm, &ctx),
        Outcome::Submit(Change::Revoke {
            still_needed: true,
            ..
        })
    ));
    let mut add = Overlay::Add(AddDialog::new("me@icloud.com", today, &app.state.keymap));
    assert!(matches!(add.on_action(Action::Confirm, &ctx), Outcome::Stay));
    assert_eq!(
        add.form().and_then(|f| f.error.as_deref()),
        Some("Label is empty.")
    );
    assert!(matches!(add.on_action(Action::Back, &ctx), Outcome::Close));
    assert!(vault.entries[0].is_active(), "nothing was revoked");
}

/// Issue 12: every key hint on screen is read from the keymap: with keys moved,
/// forms, dialogs, the search line, the lock screen and the help name the user's
/// keys, and those keys do what the hints say.
#[test]
fn key_hints_follow_a_keymap_that_moves_keys() {
    let mut app = one_entry(100, 30);
    let patch = ron::from_str(
        r#"{
            "form": { "Tab": ChoiceNext, "Enter": NextField, "Ctrl-s": Confirm, "Esc": PrevField, "Ctrl-q": Back },
            "dialog": { "Enter": Down, "o": Confirm, "Esc": Up, "n": Up, "q": Up, "y": Back, "Ctrl-q": Back },
            "main": { "Esc": Search, "Ctrl-g": Back },
            "search": { "Enter": Down, "Ctrl-k": Confirm },
            "unlock": { "Enter": NextField, "Ctrl-o": Confirm },
            "help": { "j": Up, "Down": Up, "PageDown": Down, "Esc": Up, "?": Up, "q": Up, "Enter": Up, "Ctrl-q": Back },
            "overview": { "Esc": Lock, "o": Lock, "Backspace": Back },
        }"#,
    )
    .unwrap();
    app.state.keymap.apply(&patch).unwrap();
    let ctrl = |app: &mut App, c| app.key_mod(KeyCode::Char(c), KeyModifiers::CONTROL);

    app.press('a');
    let form = harness::box_text(&app.screen(), "Add an app-specific password");
    for hint in ["↓/Enter next field", "←/→ choose", "Ctrl-s save", "Ctrl-q cancel"] {
        assert!(harness::shows_in_full(&form, hint), "{hint}:\n{form}");
    }
    assert!(!form.contains("Esc cancel"), "{form}");
    ctrl(&mut app, 'q');
    assert!(app.state.dialogs.top().is_none(), "Ctrl-q cancelled the form");

    app.press('R');
    let intro = harness::box_text(&app.screen(), "Apple ID password reset");
    assert!(
        harness::shows_in_full(&intro, "Ctrl-s shows what it revokes"),
        "{intro}"
    );
    ctrl(&mut app, 's');
    let preview = app.screen();
    assert!(harness::shows_in_full(&preview, "o confirm"), "{preview}");
    assert!(harness::shows_in_full(&preview, "y/Ctrl-q cancel"), "{preview}");
    app.press('y');
    assert!(app.state.dialogs.top().is_none(), "y cancelled the preview");

    app.press('d');
    let confirm = app.screen();
    assert!(harness::shows_in_full(&confirm, "o confirm"), "{confirm}");
    ctrl(&mut app, 'q');

    app.key(KeyCode::Esc);
    app.type_str("thun");
    let screen = app.screen();
    assert!(screen.contains("Ctrl-k keep · Esc clear"), "{screen}");
    ctrl(&mut app, 'k');
    let screen = app.screen();
    assert!(screen.contains("Ctrl-g clears the search"), "{screen}");

    app.press('?');
    let screen = app.screen();
    assert!(screen.contains("Help — PgDn for more, Ctrl-q closes"), "{screen}");
    ctrl(&mut app, 'q');

    app.press('o');
    assert!(app.screen().contains("Backspace back"));
    app.key(KeyCode::Backspace);

    // The lock screen shows its keys once the last message has gone.
    app.advance(Duration::from_secs(7));
    app.press('L');
    let screen = app.screen();
    assert!(screen.contains("Ctrl-o unlock"), "{screen}");
    ctrl(&mut app, 'o');
    let screen = app.screen();
    assert!(screen.contains("Type your passphrase, then Ctrl-o."), "{screen}");
}

/// Issue 11, item 9: the revoked password pasted again is refused in the TUI too,
/// and the form stays open with what was typed.
#[test]
fn the_revoked_password_is_not_taken_as_the_new_one() {
    let mut app = App::new("default");
    app.create();
    app.add(
        "Thunderbird",
        "me@icloud.com",
        "Thunderbird",
        "abcd-efgh-ijkl-mnop",
        "2026-03-01",
    );
    app.press('R');
    app.key(KeyCode::Tab);
    app.replace_field("2026-11-02");
    app.key(KeyCode::Enter);
    app.key(KeyCode::Enter);
    app.key(KeyCode::Enter);
    app.press('r');
    app.type_str("abcd-efgh-ijkl-mnop");
    app.key(KeyCode::Enter);
    let screen = app.screen();
    assert!(
        app.state.dialogs.top().is_some(),
        "the form stays open:\n{screen}"
    );
    assert!(
        screen.contains("that is the current password of \"Thunderbird\", which is revoked"),
        "{screen}"
    );
    assert!(
        screen.contains("never issues the same password twice"),
        "{screen}"
    );
    let stored = app
        .runner
        .paths
        .store()
        .open(&SecretString::from(PASSPHRASE))
        .unwrap();
    assert!(!stored.vault.entries[0].is_active(), "nothing was stored");
}
