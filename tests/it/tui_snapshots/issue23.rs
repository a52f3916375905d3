//! The screens issue 23 added to the TUI, at 80×24 and at 60×16: the import form,
//! its preview (scrolled to its end, too), the question before a recovery key is
//! made, and the key shown once. The key is a fixed test key, and even so its text
//! and its QR code are masked in the snapshots: no secret is committed.

use crossterm::event::KeyCode;

use super::{SIZES, check, fresh, pin};
use crate::harness::App;

/// The screen `setup` leads to at both sizes, in the default theme.
fn both(name: &str, setup: impl Fn((u16, u16)) -> App) {
    for size in SIZES {
        let mut app = setup(size);
        check(&mut app, name, "default");
    }
}

/// Three app-specific passwords among decoys, as 1Password 8 exports them.
fn export(app: &App) -> std::path::PathBuf {
    let mut csv = String::from("Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes\n");
    csv.push_str("Thunderbird,,me@icloud.com,abcd-efgh-ijkl-mnop,,false,false,,IMAP for the laptop\n");
    csv.push_str(
        "YouCanBook.me,https://youcanbook.me,me@icloud.com,bcde fghi jklm nopq,,false,false,,calendar sync\n",
    );
    csv.push_str(
        "SmoothSync,https://www.icloud.com,kid@icloud.com,cdefghijklmnopqr,,false,false,,contacts\n",
    );
    csv.push_str("Apple ID,https://appleid.apple.com,me@icloud.com,Tr0ub4dor&3xyz,,false,false,,\n");
    csv.push_str(
        "Gmail app password,https://myaccount.google.com,me@gmail.com,qrst uvwx yzab cdef,,false,false,,\n",
    );
    csv.push_str("Spark,,not an apple id,defg-hijk-lmno-pqrs,,false,false,,mail\n");
    for n in 0..30 {
        csv.push_str(&format!(
            "Site {n},https://site{n}.example.com,user{n},P@ss-{n}-w0rd!,,false,false,,\n"
        ));
    }
    let path = app.dir.path().join("1password.csv");
    std::fs::write(&path, csv).unwrap();
    path
}

/// The import form filled in, on a new vault.
fn form(size: (u16, u16)) -> App {
    let mut app = fresh("default", size);
    app.create();
    let file = export(&app);
    app.state.message = None;
    app.press('I');
    app.type_str(file.to_str().unwrap());
    app.key(KeyCode::Tab);
    app.key(KeyCode::Tab);
    app.key(KeyCode::Tab);
    app.type_str("2026-03-01");
    app
}

#[test]
fn import_form() {
    both("import_form", form);
}

#[test]
fn import_form_refused() {
    both("import_form_refused", |size| {
        let mut app = form(size);
        app.key(KeyCode::Up);
        app.key(KeyCode::Up);
        app.key(KeyCode::Up);
        app.type_str(".missing");
        app.key(KeyCode::Enter);
        app
    });
}

#[test]
fn import_preview() {
    both("import_preview", |size| {
        let mut app = form(size);
        app.key(KeyCode::Enter);
        app
    });
}

#[test]
fn import_preview_scrolled_to_its_end() {
    both("import_preview_end", |size| {
        let mut app = form(size);
        app.key(KeyCode::Enter);
        for _ in 0..40 {
            app.key(KeyCode::Down);
        }
        app
    });
}

/// The fixed test key the snapshots make.
fn fixed_key() -> aspen::error::Result<aspen::vault_file::RecoveryIdentity> {
    Ok(aspen::vault_file::RecoveryIdentity::from_bytes(&[7; 32]).unwrap())
}

/// A vault of one entry, on the overview.
fn overview(size: (u16, u16)) -> App {
    let mut app = fresh("default", size);
    app.create();
    app.add(
        "Thunderbird",
        "me@icloud.com",
        "Thunderbird",
        "abcd-efgh-ijkl-mnop",
        "2026-03-01",
    );
    app.state.new_recovery_key = fixed_key;
    app.press('o');
    app.state.message = None;
    app
}

#[test]
fn recovery_key_question() {
    both("recovery_key_question", |size| {
        let mut app = overview(size);
        app.press('K');
        app
    });
}

/// The key's text (whole or in parts) and its code's lines, masked.
fn mask_key(app: &mut App) -> String {
    let secret = fixed_key().unwrap().secret();
    let mut screen = app.screen();
    let code = aspen::qr::lines(secret.expose(), !app.state.no_color);
    // A line of the quiet zone alone is blank, and says nothing.
    for line in code.iter().filter(|l| l.contains(['▀', '▄', '█'])) {
        let cells = line.chars().count();
        screen = screen.replace(line.as_str(), &"▒".repeat(cells));
    }
    let parts: Vec<String> = screen
        .split_whitespace()
        .filter(|w| w.len() >= 8 && secret.expose().contains(*w))
        .map(str::to_owned)
        .collect();
    for part in parts {
        screen = screen.replace(&part, &"X".repeat(part.len()));
    }
    assert!(!screen.contains(&secret.expose()[16..24]), "{screen}");
    screen
}

#[test]
fn recovery_key_shown_once() {
    for size in SIZES {
        let mut app = overview(size);
        app.press('K');
        app.key(KeyCode::Enter);
        let text = mask_key(&mut app);
        pin(&app, "recovery_key_shown", text);
    }
}
