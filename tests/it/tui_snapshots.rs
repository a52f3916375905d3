//! Every screen and dialog, pinned at the classic 80×24 and at the smallest size
//! aspen draws, 60×16, in the default theme as text (the layout); and at 80×24 in
//! the high-contrast theme with its styles (colours and weights), so a theme that
//! loses a role shows up here. Review each snapshot by eye before accepting it.
#![allow(clippy::unwrap_used)]

use crate::harness;

mod export;
mod issue13;
pub mod issue14;
pub mod issue21;
mod issue22;
mod issue23;
mod notary;

use aspen::config::Config;
use crossterm::event::KeyCode;
use harness::App;

/// Where a snapshot's vault lives: a fixed-length path, so that errors naming it
/// wrap the same way on every machine; [`check`] masks its random part.
fn snap_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("aspen-snap-")
        .rand_bytes(6)
        .tempdir_in("/tmp")
        .unwrap()
}

/// A TUI on a fresh vault path in [`snap_dir`].
fn fresh(theme: &str, (w, h): (u16, u16)) -> App {
    let mut config = Config::defaults();
    config.theme = theme.to_owned();
    App::with(snap_dir(), config, w, h)
}

/// A vault with a little of everything: two Apple IDs, an old entry, two revoked
/// ones that wait to be regenerated, a reset on record. The table opens on what
/// needs doing: Thunderbird, the first to regenerate, is selected.
pub fn populated(theme: &str, size: (u16, u16)) -> App {
    let mut app = fresh(theme, size);
    app.create();
    app.add(
        "Thunderbird",
        "me@icloud.com",
        "Thunderbird (laptop), K-9 Mail",
        "abcd-efgh-ijkl-mnop",
        "2025-06-01",
    );
    app.add(
        "YouCanBook.me",
        "me@icloud.com",
        "YouCanBook.me",
        "qrst-uvwx-yzab-cdef",
        "2026-10-01",
    );
    app.add(
        "SmoothSync",
        "me@icloud.com",
        "SmoothSync",
        "hijk-lmno-pqrs-tuvw",
        "2026-11-10",
    );
    app.add(
        "SpinOffice CRM",
        "work@icloud.com",
        "SpinOffice",
        "wxyz-abcd-efgh-ijkl",
        "2024-02-11",
    );
    // The reset dialog starts at the selected entry's Apple ID: pick one of me@'s.
    app.press('g');
    app.press('R');
    app.key(KeyCode::Tab);
    app.replace_field("2026-11-02");
    app.key(KeyCode::Enter);
    app.key(KeyCode::Enter);
    app.key(KeyCode::Enter);
    // Back to the full list (attention -> revoked -> all), the first entry
    // selected, no transient message.
    app.press('f');
    app.press('f');
    app.press('g');
    app.state.message = None;
    app
}

/// The screen with the vault folder's random part masked, also where a path in it
/// is cut before the folder's name.
fn masked(app: &App, text: String) -> String {
    let dir = app.dir.path().display().to_string();
    let keep = dir.len() - 6;
    text.replace(&dir, &format!("{}XXXXXX", &dir[..keep]))
        .replace(&format!("{}/", &dir[keep..]), "XXXXXX/")
}

/// `text`, a screen of `app` (a secret in it masked by the caller), pinned as
/// [`check`] pins a screen in the default theme.
fn pin(app: &App, name: &str, text: String) {
    let (w, h) = app.state.size;
    insta::assert_snapshot!(format!("{name}__{w}x{h}"), masked(app, text));
}

fn check(app: &mut App, name: &str, theme: &str) {
    if theme == "default" {
        let text = app.screen();
        pin(app, name, text);
    } else {
        let buffer = format!("{:#?}", app.draw().clone());
        insta::assert_snapshot!(format!("{name}__{theme}"), masked(app, buffer));
    }
}

const SIZES: [(u16, u16); 2] = [(80, 24), (60, 16)];

/// The screen `setup` leads to, at both sizes in the default theme and at 80×24
/// in high contrast.
fn each(name: &str, setup: impl Fn(&str, (u16, u16)) -> App) {
    for size in SIZES {
        let mut app = setup("default", size);
        check(&mut app, name, "default");
    }
    let mut app = setup("high-contrast", SIZES[0]);
    check(&mut app, name, "high-contrast");
}

#[test]
fn welcome() {
    each("welcome", |t, size| {
        let mut app = fresh(t, size);
        app.type_str("correct horse");
        app
    });
}

#[test]
fn unlock_after_a_wrong_passphrase() {
    each("unlock_wrong", |t, size| {
        let mut app = fresh(t, size);
        app.create();
        app.press('L');
        app.type_str("nope");
        app.key(KeyCode::Enter);
        app
    });
}

#[test]
fn main_screen() {
    each("main", populated);
}

/// Wide enough for the details beside each other.
#[test]
fn main_screen_wide() {
    let mut app = populated("default", (140, 40));
    check(&mut app, "main_wide", "default");
}

/// The selected entry needs attention, and regenerating all that waits would not
/// fit in the Apple ID's slots.
#[test]
fn main_screen_with_attention_and_too_many_to_regenerate() {
    each("main_attention", |t, size| {
        let mut app = populated(t, size);
        // 23 more waiting to be regenerated: with the 2 there and the 1 active,
        // more than Apple's 25 slots.
        app.change_on_disk(|v| {
            let (day, today) = (jiff::civil::date(2026, 11, 2), jiff::civil::date(2026, 11, 20));
            for n in 0..23u8 {
                let id = aspen::model::EntryId::from_random([n + 100; 16]);
                let letter = char::from(b'a' + n);
                let password = format!("abcd-efgh-ijkl-mnz{letter}");
                let new = aspen::model::NewEntry {
                    label: format!("Old app {n:02}"),
                    apple_id: "me@icloud.com".to_owned(),
                    apps: vec!["Mail".to_owned()],
                    password: Some(aspen::model::Password::parse(password.as_str().into(), false).unwrap()),
                    created: jiff::civil::date(2025, 1, 1),
                    notes: String::new(),
                    uses: Vec::new(),
                    team_id: String::new(),
                };
                // Created before the vault's recorded reset: added as revoked by it.
                if v.add(id.clone(), new, today).unwrap().is_active() {
                    v.revoke(&id, day, true, today).unwrap();
                }
            }
        });
        app.press('L');
        app.unlock();
        app.press('/');
        app.type_str("thunder");
        app.key(KeyCode::Enter);
        app.key(KeyCode::Esc);
        app.state.message = None;
        app
    });
}

#[test]
fn search_highlights_matches() {
    each("search", |t, size| {
        let mut app = populated(t, size);
        app.press('/');
        app.type_str("sync");
        app
    });
}

/// A save refused while a search is active: both show, the error in full.
#[test]
fn failed_save_beside_a_search() {
    each("failed_save", |t, size| {
        let mut app = populated(t, size);
        app.press('/');
        app.type_str("spin");
        app.key(KeyCode::Enter);
        app.make_vault_read_only();
        app.press('e');
        app.key(KeyCode::Tab);
        app.key(KeyCode::Tab);
        app.key(KeyCode::Tab);
        app.key(KeyCode::Tab);
        app.type_str("x");
        app.key(KeyCode::Enter);
        app
    });
}

#[test]
fn help() {
    each("help", |t, size| {
        let mut app = populated(t, size);
        app.press('?');
        app
    });
}

#[test]
fn help_scrolled_to_its_end() {
    each("help_end", |t, size| {
        let mut app = populated(t, size);
        app.press('?');
        for _ in 0..100 {
            app.press('j');
        }
        app
    });
}

#[test]
fn overview() {
    each("overview", populated_overview);
}

fn populated_overview(t: &str, size: (u16, u16)) -> App {
    let mut app = populated(t, size);
    app.press('o');
    app
}

#[test]
fn add_form() {
    each("add_form", |t, size| {
        let mut app = populated(t, size);
        app.press('a');
        app.type_str("Fantastical");
        app.key(KeyCode::Tab);
        app.key(KeyCode::Tab);
        app.type_str("Fantastical");
        app.key(KeyCode::Tab);
        app.type_str("abcdefgh");
        app
    });
}

/// A refusal with a long reason: the form keeps its fields and shows all of it.
#[test]
fn add_form_refused() {
    each("add_form_refused", |t, size| {
        let mut app = populated(t, size);
        app.press('a');
        app.type_str("Thunderbird");
        app.key(KeyCode::Tab);
        app.key(KeyCode::Tab);
        app.type_str("Thunderbird");
        app.key(KeyCode::Tab);
        app.type_str("zyxw-vuts-rqpo-nmlk");
        app.key(KeyCode::Tab);
        app.replace_field("2026-11-19");
        app.key(KeyCode::Enter);
        app
    });
}

#[test]
fn revoke_choice() {
    each("revoke_choice", |t, size| {
        let mut app = populated(t, size);
        app.select("SpinOffice CRM");
        app.press('x');
        app
    });
}

#[test]
fn reset_preview() {
    each("reset_preview", |t, size| {
        let mut app = populated(t, size);
        app.press('R');
        app.key(KeyCode::Enter);
        app
    });
}

#[test]
fn regenerate_guide() {
    each("regenerate", |t, size| {
        let mut app = populated(t, size);
        app.press('/');
        app.type_str("thunder");
        app.key(KeyCode::Enter);
        app.press('r');
        app.type_str("zyxw-vuts-rqpo-nmlk");
        app
    });
}

#[test]
fn delete_confirm() {
    each("delete_confirm", |t, size| {
        let mut app = populated(t, size);
        app.select("SmoothSync");
        app.press('d');
        app
    });
}

#[test]
fn theme_picker() {
    each("theme_picker", |t, size| {
        let mut app = populated(t, size);
        app.press('t');
        app
    });
}

#[test]
fn too_small() {
    let mut app = fresh("default", (50, 12));
    check(&mut app, "too_small", "default");
}

#[test]
fn edit_form() {
    each("edit_form", |t, size| {
        let mut app = populated(t, size);
        app.select("SmoothSync");
        app.press('e');
        app
    });
}

#[test]
fn reset_form() {
    each("reset_form", |t, size| {
        let mut app = populated(t, size);
        app.press('R');
        app
    });
}

#[test]
fn revoke_all_form() {
    each("revoke_all_form", |t, size| {
        let mut app = populated(t, size);
        app.press('X');
        app
    });
}

#[test]
fn reset_checklist() {
    each("reset_checklist", |t, size| {
        let mut app = populated(t, size);
        app.press('R');
        app.key(KeyCode::Enter);
        app.key(KeyCode::Enter);
        app
    });
}

#[test]
fn change_passphrase_form() {
    each("change_passphrase", |t, size| {
        let mut app = populated(t, size);
        app.press('P');
        app.type_str("a new passphrase");
        app
    });
}

#[test]
fn copied_with_countdown() {
    each("copied", |t, size| {
        let mut app = populated(t, size);
        app.select("SmoothSync");
        app.press('c');
        app.advance(std::time::Duration::from_secs(12));
        app
    });
}

/// A bad theme name, a broken theme file and an unknown key mode: three lines.
#[test]
fn startup_problems() {
    each("startup_problems", |t, size| {
        let dir = snap_dir();
        let themes = dir.path().join("themes");
        std::fs::create_dir_all(&themes).unwrap();
        #[allow(clippy::disallowed_methods)]
        std::fs::write(themes.join("broken.ron"), "(\n  name: \"broken\",\n  colors: {\n").unwrap();
        let config_file = dir.path().join("config.ron");
        #[allow(clippy::disallowed_methods)]
        std::fs::write(&config_file, "(\n  keys: { \"mian\": { \"z\": Lock } },\n)").unwrap();
        let mut config = Config::load(Some(&config_file)).unwrap();
        config.theme = t.to_owned();
        let opts = aspen::tui::Options {
            paths: crate::common::vault_paths(dir.path().join("vault.aspen")),
            config,
            today: jiff::civil::date(2026, 11, 20),
            theme: Some(if t == "default" { "nosuch" } else { t }.to_owned()),
            user_theme_dir: Some(themes),
            config_file: Some(config_file),
            insecure_kdf: true,
        };
        App::started(dir, &opts, size.0, size.1)
    });
}

/// A folder where the vault should be: no passphrase prompt.
#[test]
fn cannot_open_a_folder() {
    each("cannot_open", |t, size| {
        let dir = snap_dir();
        std::fs::create_dir(dir.path().join("vault.aspen")).unwrap();
        let mut config = Config::defaults();
        config.theme = t.to_owned();
        App::with(dir, config, size.0, size.1)
    });
}

/// The vault is gone, its backup is not: how to restore it, no new vault.
#[test]
fn backup_without_vault() {
    each("backup_without_vault", |t, size| {
        let mut app = fresh(t, size);
        app.create();
        app.add(
            "Thunderbird",
            "me@icloud.com",
            "Mail",
            "abcd-efgh-ijkl-mnop",
            "2026-01-01",
        );
        std::fs::remove_file(app.dir.path().join("vault.aspen")).unwrap();
        app.restarted()
    });
}

/// Unlocking a vault whose folder others can write.
#[test]
fn permission_warnings() {
    use std::os::unix::fs::PermissionsExt;
    each("permission_warnings", |t, size| {
        let mut app = fresh(t, size);
        app.create();
        app.press('L');
        let dir = app.dir.path().to_path_buf();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
        app.unlock();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        app
    });
}

// Kept last: a line added above `check` would move the line every snapshot names.
mod icloud_mail;
mod matrix;
