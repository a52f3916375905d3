//! Issue 23 in the TUI: the import screen (its form, the preview that is the
//! default view, the change made only on Enter) and a recovery key made from the
//! overview, shown once after the save is durable.

use std::path::{Path, PathBuf};

use aspen::tui::dialogs::Overlay;
use aspen::vault_file::{self, RecoveryIdentity};
use crossterm::event::KeyCode;

use crate::common::asp;
use crate::harness::App;

/// The passwords of the export, app-specific and not: none may ever be on screen.
const SECRETS: [&str; 9] = [
    "abcd-efgh-ijkl-mnop",
    "bcde fghi jklm nopq",
    "cdefghijklmnopqr",
    "Tr0ub4dor&3xyz",
    "JBSWY3DPEHPK3PXP",
    "qrst uvwx yzab cdef",
    "P@ss-0-w0rd!",
    "hunter2hunter2",
    "grünerapfelbaum",
];

/// Three app-specific passwords among decoys (the Apple ID's own password, a TOTP
/// secret, a Google app password of Apple's shape, ordinary logins), as 1Password 8
/// exports them.
fn export(dir: &Path) -> PathBuf {
    let mut csv = String::from("Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes\n");
    csv.push_str("Thunderbird,,me@icloud.com,abcd-efgh-ijkl-mnop,,false,false,,IMAP for the laptop\n");
    csv.push_str(
        "YouCanBook.me,https://youcanbook.me,me@icloud.com,bcde fghi jklm nopq,,false,false,,calendar sync\n",
    );
    csv.push_str(
        "SmoothSync,https://www.icloud.com,kid@icloud.com,cdefghijklmnopqr,,false,false,,contacts\n",
    );
    csv.push_str("Apple ID,https://appleid.apple.com,me@icloud.com,Tr0ub4dor&3xyz,otpauth://totp/Apple?secret=JBSWY3DPEHPK3PXP,false,false,,\n");
    // Letters only, one of them not Apple's: the preview must not name it.
    csv.push_str("iCloud (old),https://www.icloud.com,me@icloud.com,grünerapfelbaum,,false,false,,\n");
    csv.push_str("Authenticator backup,,me@example.com,JBSWY3DPEHPK3PXP,,false,false,,TOTP secret\n");
    csv.push_str(
        "Gmail app password,https://myaccount.google.com,me@gmail.com,qrst uvwx yzab cdef,,false,false,,\n",
    );
    csv.push_str("Site 0,https://site0.example.com,user0,P@ss-0-w0rd!,,false,false,,\n");
    csv.push_str("Forum,https://forum.example.com,me,hunter2hunter2,,false,false,,\n");
    let path = dir.join("1password.csv");
    std::fs::write(&path, csv).unwrap();
    path
}

fn vault_bytes(app: &App) -> Vec<u8> {
    std::fs::read(app.dir.path().join("vault.aspen")).unwrap()
}

/// Opens the import form and fills it: the file, the tool (1Password is the first
/// choice), no Apple ID, the created date.
fn fill_import(app: &mut App, file: &Path, created: &str) {
    app.press('I');
    assert!(
        matches!(app.state.dialogs.top(), Some(Overlay::Import(_))),
        "I opens the import form:\n{}",
        app.screen()
    );
    app.type_str(file.to_str().unwrap());
    app.key(KeyCode::Tab);
    app.key(KeyCode::Tab);
    app.key(KeyCode::Tab);
    app.type_str(created);
}

fn message(app: &App) -> String {
    app.state
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

#[test]
fn the_import_screen_previews_three_among_decoys_adds_them_and_nothing_twice() {
    let mut app = App::new("default");
    app.create();
    let file = export(app.dir.path());
    let before = vault_bytes(&app);

    fill_import(&mut app, &file, "2026-03-01");
    app.key(KeyCode::Enter);
    let preview = app.screen();
    assert!(
        preview.contains("Read 9 logins from the 1Password export"),
        "{preview}"
    );
    assert!(preview.contains("To add (3):"), "{preview}");
    for label in ["Thunderbird", "YouCanBook.me", "SmoothSync"] {
        assert!(preview.contains(label), "{label}:\n{preview}");
    }
    for decoy in ["Site 0", "Forum", "Authenticator backup"] {
        assert!(!preview.contains(decoy), "{decoy}:\n{preview}");
    }
    assert!(
        preview.contains("me@icloud.com: 0 active now, 2 after the import (23 free)"),
        "{preview}"
    );
    assert!(
        preview.contains("\"Apple ID\": its password does not have"),
        "{preview}"
    );
    assert!(
        crate::harness::shows_in_full(&preview, "(it holds a letter Apple does not use)"),
        "{preview}"
    );
    for secret in SECRETS {
        assert!(!preview.contains(secret), "a password on screen:\n{preview}");
    }
    assert!(
        !preview.contains('ü'),
        "a letter of a password on screen:\n{preview}"
    );
    assert_eq!(vault_bytes(&app), before, "the preview writes nothing");

    app.key(KeyCode::Enter);
    assert!(app.state.dialogs.top().is_none(), "{}", app.screen());
    assert!(
        message(&app).starts_with("Imported 3 entries"),
        "{}",
        message(&app)
    );
    // The vault holds three passwords now, and only the passphrase opens it.
    assert!(
        message(&app).contains("press K to make a recovery key"),
        "{}",
        message(&app)
    );
    let mut shown = app.labels_shown();
    shown.sort();
    assert_eq!(shown, ["SmoothSync", "Thunderbird", "YouCanBook.me"]);
    let stored = aspen::storage::VaultPaths::new(app.dir.path().join("vault.aspen"))
        .store()
        .open(&aspen::secret::SecretString::from(crate::harness::PASSPHRASE))
        .unwrap();
    assert_eq!(stored.vault.entries.len(), 3, "the import was saved");

    // The same file again: each is in aspen already; nothing to confirm, nothing written.
    let saved = vault_bytes(&app);
    fill_import(&mut app, &file, "2026-03-01");
    app.key(KeyCode::Enter);
    let again = app.screen();
    assert!(!again.contains("To add"), "{again}");
    assert!(again.contains("already in aspen"), "{again}");
    app.key(KeyCode::Enter);
    app.key(KeyCode::Esc);
    app.key(KeyCode::Esc);
    assert!(app.state.dialogs.top().is_none(), "{}", app.screen());
    assert_eq!(vault_bytes(&app), saved, "importing twice adds nothing");
    assert_eq!(app.labels_shown().len(), 3);

    // Undo takes the import back (asking first: the passwords are nowhere else).
    app.press('u');
    app.key(KeyCode::Enter);
    assert!(app.labels_shown().is_empty(), "{}", app.screen());
}

#[test]
fn esc_cancels_the_import_and_nothing_is_written() {
    let mut app = App::new("default");
    app.create();
    let file = export(app.dir.path());
    let before = vault_bytes(&app);
    fill_import(&mut app, &file, "2026-03-01");
    app.key(KeyCode::Enter);
    assert!(app.screen().contains("To add (3):"));
    // Back to the form, as typed, then closed.
    app.key(KeyCode::Esc);
    assert!(matches!(app.state.dialogs.top(), Some(Overlay::Import(_))));
    assert!(app.screen().contains("1password.csv"), "{}", app.screen());
    app.key(KeyCode::Esc);
    assert!(app.state.dialogs.top().is_none());
    assert!(app.labels_shown().is_empty());
    assert_eq!(vault_bytes(&app), before);
}

#[test]
fn a_fifo_a_link_a_huge_or_a_binary_file_is_refused_in_the_form() {
    let mut app = App::new("default");
    app.create();
    let dir = app.dir.path().to_path_buf();
    let real = export(&dir);
    let fifo = dir.join("fifo.csv");
    rustix::fs::mkfifoat(rustix::fs::CWD, &fifo, rustix::fs::Mode::from_raw_mode(0o600)).unwrap();
    let link = dir.join("link.csv");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let huge = dir.join("huge.csv");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(aspen::import::MAX_EXPORT_BYTES + 1)
        .unwrap();
    let binary = dir.join("binary.csv");
    std::fs::write(&binary, b"Title,Url,Username,Password\n\xff\xfe,,,\n").unwrap();
    let before = vault_bytes(&app);
    for (file, said) in [
        (&fifo, "it is a named pipe (FIFO), not a regular file"),
        (&link, "it is a symbolic link, not a regular file"),
        (&huge, "it is larger than 16 MiB"),
        (&binary, "it is not UTF-8 text"),
    ] {
        fill_import(&mut app, file, "2026-03-01");
        app.key(KeyCode::Enter);
        let screen = app.screen();
        assert!(
            matches!(app.state.dialogs.top(), Some(Overlay::Import(_))),
            "the form stays open with the reason:\n{screen}"
        );
        let error = app
            .state
            .dialogs
            .top()
            .and_then(Overlay::form)
            .and_then(|f| f.error.clone())
            .unwrap_or_default();
        assert!(error.contains(said), "{file:?}: {error}");
        assert!(crate::harness::shows_in_full(&screen, &error), "{screen}");
        app.key(KeyCode::Esc);
    }
    assert_eq!(vault_bytes(&app), before);
}

#[test]
fn the_welcome_screen_offers_import_and_the_empty_vault_names_its_key() {
    let mut app = App::sized("default", 80, 24);
    let welcome = app.screen();
    assert!(
        crate::harness::shows_in_full(&welcome, "you can import them from that app's export"),
        "{welcome}"
    );
    app.create();
    let empty = app.screen();
    assert!(
        crate::harness::shows_in_full(
            &empty,
            "The vault is empty: press a to add an app-specific password, or press I to import them"
        ),
        "{empty}"
    );
    app.press('I');
    assert!(matches!(app.state.dialogs.top(), Some(Overlay::Import(_))));
}

/// The secret key on screen, whole: one line, or split over the lines below it,
/// each starting in the same column (the QR code may stand left of them).
fn secret_on(screen: &str) -> Option<String> {
    let rows: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
    let (top, col) = rows.iter().enumerate().find_map(|(y, row)| {
        let line: String = row.iter().collect();
        let at = line.find("AGE-SECRET-KEY-1")?;
        Some((y, line[..at].chars().count()))
    })?;
    let mut key = String::new();
    for row in &rows[top..] {
        let part: String = row
            .iter()
            .skip(col)
            .take_while(|c| c.is_ascii_alphanumeric() || **c == '-')
            .collect();
        if part.is_empty() {
            break;
        }
        key.push_str(&part);
    }
    Some(key)
}

#[test]
fn a_recovery_key_is_made_from_the_overview_shown_once_and_opens_the_vault() {
    let mut app = App::new("default");
    app.create();
    app.add("Mail", "me@icloud.com", "Mail", &asp(1), "2026-01-01");
    app.press('o');
    let before = vault_bytes(&app);

    // Asked first; no is no.
    app.press('K');
    let asked = app.screen();
    assert!(asked.contains("Make a recovery key?"), "{asked}");
    assert!(asked.contains("offline"), "{asked}");
    app.key(KeyCode::Esc);
    assert_eq!(vault_bytes(&app), before, "no writes nothing");
    assert!(!app.state.session().unwrap().loaded.vault.has_recovery_key());

    app.press('K');
    app.key(KeyCode::Enter);
    let shown = app.screen();
    let secret = secret_on(&shown).unwrap_or_else(|| panic!("no key shown:\n{shown}"));
    assert!(shown.contains('▀') || shown.contains('▄'), "a QR code:\n{shown}");
    let key = RecoveryIdentity::parse(&secret).unwrap();
    // Shown after the save: the file on disk opens with it.
    let on_disk = vault_file::decode_with_identity(&vault_bytes(&app), &key).unwrap();
    assert_eq!(on_disk.recovery.len(), 1);
    assert_eq!(on_disk.recovery[0].recipient, key.recipient());
    assert_eq!(on_disk.entries[0].label, "Mail");

    // Closing wipes it: it is not on screen again, and no key brings it back.
    app.key(KeyCode::Enter);
    let after = app.screen();
    assert!(!after.contains("AGE-SECRET-KEY"), "{after}");
    assert!(after.contains("recovery key kept"), "{after}");
    assert!(message(&app).contains(&key.recipient()), "{}", message(&app));
}

#[test]
fn a_qr_code_too_big_for_the_terminal_is_not_drawn_at_all() {
    let mut app = App::sized("default", 60, 16);
    app.create();
    app.press('o');
    app.press('K');
    app.key(KeyCode::Enter);
    let shown = app.screen();
    assert!(
        crate::harness::shows_in_full(&shown, "make the terminal larger to see the QR code"),
        "{shown}"
    );
    assert!(!shown.contains('▀') && !shown.contains('▄'), "{shown}");
    let secret = secret_on(&shown).unwrap_or_else(|| panic!("no key shown:\n{shown}"));
    let key = RecoveryIdentity::parse(&secret).unwrap();
    assert!(vault_file::decode_with_identity(&vault_bytes(&app), &key).is_ok());
}

#[test]
fn the_suggestion_at_the_third_password_names_the_key_that_makes_one() {
    let mut app = App::new("default");
    app.create();
    for n in 1..=3 {
        let label = format!("App {n}");
        app.add(&label, "me@icloud.com", &label, &asp(n), "2026-01-01");
    }
    let said = message(&app);
    assert!(said.contains("press K to make a recovery key"), "{said}");
    assert!(said.contains("aspen recovery-key add"), "{said}");
    app.press('K');
    assert!(app.screen().contains("Make a recovery key?"), "{}", app.screen());
}

/// Undo takes a recovery key back as a removal: the file no longer opens with it,
/// and no merge of an older copy brings it back.
#[test]
fn undo_takes_a_recovery_key_back_for_good() {
    let mut app = App::new("default");
    app.create();
    app.press('o');
    app.press('K');
    app.key(KeyCode::Enter);
    let secret = secret_on(&app.screen()).unwrap();
    let key = RecoveryIdentity::parse(&secret).unwrap();
    let with_key = vault_bytes(&app);
    app.key(KeyCode::Enter);
    app.press('u');
    assert!(
        message(&app).starts_with("Undid: recovery key added"),
        "{}",
        message(&app)
    );
    let vault = &app.state.session().unwrap().loaded.vault;
    assert!(!vault.has_recovery_key(), "{:?}", vault.recovery);
    assert_eq!(vault.recovery_removed.len(), 1);
    assert!(vault_file::decode_with_identity(&vault_bytes(&app), &key).is_err());
    assert!(app.screen().contains("no recovery key"), "{}", app.screen());

    // The copy saved with the key, merged back in, does not bring it back.
    let ours = aspen::storage::VaultPaths::new(app.dir.path().join("vault.aspen"))
        .store()
        .open(&aspen::secret::SecretString::from(crate::harness::PASSPHRASE))
        .unwrap()
        .vault;
    let theirs = vault_file::decode_with_identity(&with_key, &key).unwrap();
    let (merged, _) = aspen::model::merge(None, ours, theirs);
    assert!(!merged.has_recovery_key());
}
