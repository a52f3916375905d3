//! Issue 23 in the TUI: the export dialog (`E`). The file is written by the code
//! `aspen export` uses: without passwords unless chosen, and then only after a
//! question, into a new file of the user's alone; never over a file, through a link
//! or into a folder that is not there; formula cells neutralised as the CLI does.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use aspen::tui::dialogs::Overlay;
use crossterm::event::KeyCode;

use crate::common::{Env, asp};
use crate::harness::{App, box_text, shows_in_full};

/// Two Apple IDs, three entries, one of them recorded without its password.
fn vault() -> App {
    let mut app = App::new("default");
    app.create();
    app.add(
        "Thunderbird",
        "me@icloud.com",
        "Thunderbird",
        &asp(1),
        "2026-03-01",
    );
    app.add(
        "SmoothSync",
        "kid@icloud.com",
        "SmoothSync",
        &asp(2),
        "2026-04-01",
    );
    app.state.message = None;
    app
}

/// Opens the export form and names `file`; the format is the `format`-th choice
/// (0 CSV, 1 JSON, 2 age), and passwords are asked for when `passwords`.
fn fill(app: &mut App, file: &Path, format: usize, passwords: bool) {
    app.press('E');
    assert!(
        app.state
            .dialogs
            .top()
            .and_then(Overlay::form)
            .is_some_and(|f| f.title.starts_with("Export")),
        "E opens the export form:\n{}",
        app.screen()
    );
    app.replace_field(file.to_str().unwrap());
    app.key(KeyCode::Tab);
    for _ in 0..format {
        app.key(KeyCode::Right);
    }
    if passwords {
        app.key(KeyCode::Tab);
        app.key(KeyCode::Right);
    }
}

fn message(app: &App) -> String {
    app.state
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

fn form_error(app: &App) -> String {
    app.state
        .dialogs
        .top()
        .and_then(Overlay::form)
        .and_then(|f| f.error.clone())
        .unwrap_or_default()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_csv_without_passwords_holds_the_labels_and_no_password() {
    let mut app = vault();
    let file = app.dir.path().join("entries.csv");
    fill(&mut app, &file, 0, false);
    app.key(KeyCode::Enter);
    assert!(
        app.state.dialogs.top().is_none(),
        "no question, the form closed:\n{}",
        app.screen()
    );
    let said = message(&app);
    assert!(
        said.starts_with(&format!("Exported 2 entries to {}.", file.display())),
        "{said}"
    );
    assert!(!said.contains("password"), "no warning without passwords: {said}");
    let csv = std::fs::read_to_string(&file).unwrap();
    assert!(
        csv.starts_with("label,apple_id,apps,uses,created,status"),
        "{csv}"
    );
    assert!(csv.contains("Thunderbird") && csv.contains("SmoothSync"), "{csv}");
    for n in [1, 2] {
        assert!(!csv.contains(&asp(n)[..9]), "a password in the file: {csv}");
    }
}

#[test]
fn passwords_are_asked_for_first_then_written_for_the_user_alone() {
    let mut app = vault();
    let file = app.dir.path().join("all.csv");
    fill(&mut app, &file, 0, true);
    app.key(KeyCode::Enter);
    let asked = app.screen();
    assert!(
        matches!(app.state.dialogs.top(), Some(Overlay::Confirm(_))),
        "a question first:\n{asked}"
    );
    assert!(shows_in_full(&asked, "every password in clear"), "{asked}");
    assert!(shows_in_full(&asked, "delete it after use"), "{asked}");
    assert!(!file.exists(), "nothing written before the answer");

    // No: back to the form as typed, nothing written.
    app.key(KeyCode::Esc);
    assert!(
        app.state.dialogs.top().and_then(Overlay::form).is_some(),
        "{}",
        app.screen()
    );
    assert!(!file.exists());

    app.key(KeyCode::Enter);
    app.key(KeyCode::Enter);
    assert!(app.state.dialogs.top().is_none(), "{}", app.screen());
    assert_eq!(mode(&file), 0o600);
    let csv = std::fs::read_to_string(&file).unwrap();
    assert!(csv.lines().next().unwrap().ends_with(",password"), "{csv}");
    assert!(csv.contains(&asp(1)) && csv.contains(&asp(2)), "{csv}");
    let said = message(&app);
    assert!(
        said.starts_with(&format!("Exported 2 entries to {}.", file.display())),
        "{said}"
    );
    assert!(said.contains("every stored password in clear"), "{said}");
    assert!(said.contains("delete it"), "{said}");
}

#[test]
fn json_holds_the_passwords_only_when_asked() {
    let mut app = vault();
    let bare = app.dir.path().join("entries.json");
    fill(&mut app, &bare, 1, false);
    app.key(KeyCode::Enter);
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&bare).unwrap()).unwrap();
    let entries = json.as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert!(entries.iter().all(|e| e.get("password").is_none()), "{json}");

    let full = app.dir.path().join("all.json");
    fill(&mut app, &full, 1, true);
    app.key(KeyCode::Enter);
    app.key(KeyCode::Enter);
    assert_eq!(mode(&full), 0o600);
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&full).unwrap()).unwrap();
    let passwords: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["password"].as_str().unwrap())
        .collect();
    assert_eq!(
        passwords,
        [asp(2), asp(1)],
        "ordered by Apple ID, as the CLI orders them"
    );
}

#[test]
fn the_default_file_follows_the_format_and_age_asks_nothing_of_passwords() {
    let mut app = vault();
    app.press('E');
    let form = app.screen();
    assert!(form.contains("~/aspen-export.csv"), "{form}");
    assert!(form.contains("With passwords"), "{form}");
    app.key(KeyCode::Tab);
    app.key(KeyCode::Right);
    assert!(app.screen().contains("~/aspen-export.json"), "{}", app.screen());
    app.key(KeyCode::Right);
    let age = app.screen();
    assert!(age.contains("~/aspen-export.age"), "{age}");
    assert!(
        !age.contains("With passwords"),
        "the age export holds them encrypted:\n{age}"
    );
    // A name of the user's own keeps its name; only its ending follows.
    app.key(KeyCode::Up);
    app.replace_field("~/backup.age");
    app.key(KeyCode::Tab);
    app.key(KeyCode::Right);
    assert!(app.screen().contains("~/backup.csv"), "{}", app.screen());
}

#[test]
fn the_age_export_is_the_vaults_encrypted_payload() {
    let mut app = vault();
    let file = app.dir.path().join("vault.age");
    fill(&mut app, &file, 2, false);
    app.key(KeyCode::Enter);
    assert!(app.state.dialogs.top().is_none(), "{}", app.screen());
    let on_disk = std::fs::read(app.dir.path().join("vault.aspen")).unwrap();
    let (_, payload) = aspen::vault_file::split(&on_disk).unwrap();
    assert_eq!(std::fs::read(&file).unwrap(), payload);
    let said = message(&app);
    assert!(said.starts_with("Exported 2 entries, encrypted, to"), "{said}");
    assert!(said.contains("age -d -i"), "{said}");
}

/// What the form says about `file`, which must not be written.
fn refused(app: &mut App, file: &Path) -> String {
    fill(app, file, 0, false);
    app.key(KeyCode::Enter);
    let screen = app.screen();
    assert!(
        app.state.dialogs.top().and_then(Overlay::form).is_some(),
        "the form stays open:\n{screen}"
    );
    let error = form_error(app);
    let form = box_text(&screen, "Export to a file");
    assert!(shows_in_full(&form, &error), "{error:?}\n{screen}");
    app.key(KeyCode::Esc);
    error
}

#[test]
fn a_missing_folder_a_link_or_a_file_there_is_refused_in_the_form() {
    let mut app = vault();
    let dir = app.dir.path().to_path_buf();

    let missing = dir.join("no such folder").join("entries.csv");
    let error = refused(&mut app, &missing);
    assert!(error.contains("does not exist"), "{error}");
    assert!(!missing.parent().unwrap().exists());

    let mine = dir.join("mine.txt");
    std::fs::write(&mine, "mine").unwrap();
    let link = dir.join("link.csv");
    std::os::unix::fs::symlink(&mine, &link).unwrap();
    let error = refused(&mut app, &link);
    assert!(error.contains("is a symbolic link"), "{error}");
    let dangling = dir.join("dangling.csv");
    std::os::unix::fs::symlink(dir.join("nowhere.csv"), &dangling).unwrap();
    let error = refused(&mut app, &dangling);
    assert!(error.contains("is a symbolic link"), "{error}");
    assert!(!dir.join("nowhere.csv").exists(), "not written through the link");

    let error = refused(&mut app, &mine);
    assert!(error.contains("already exists"), "{error}");
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "mine");
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());

    let under_a_file = mine.join("entries.csv");
    let error = refused(&mut app, &under_a_file);
    assert!(error.contains("is not a folder"), "{error}");

    // Nothing half-written was left behind either.
    let mut left: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".aspen-export"))
        .collect();
    left.sort();
    assert_eq!(left, Vec::<PathBuf>::new());
}

#[test]
fn esc_closes_the_form_and_nothing_is_written() {
    let mut app = vault();
    let file = app.dir.path().join("entries.csv");
    fill(&mut app, &file, 0, true);
    app.key(KeyCode::Esc);
    assert!(app.state.dialogs.top().is_none());
    assert!(!file.exists());
}

/// Labels, apps and notes a spreadsheet would run, exported by the TUI, byte for
/// byte as `aspen export` writes them from the same vault.
#[test]
fn formula_cells_are_neutralised_as_the_command_line_does() {
    let mut app = vault();
    app.change_on_disk(|v| {
        let e = &mut v.entries[0];
        e.label = "=HYPERLINK(\"https://evil.example\",\"click\")".to_owned();
        e.apps = vec!["+app".to_owned(), "@SUM(A1:A2)".to_owned()];
        e.notes = "\t=1+1".to_owned();
        v.entries[1].label = "-2-2".to_owned();
    });
    app.press('L');
    app.unlock();
    let file = app.dir.path().join("tui.csv");
    fill(&mut app, &file, 0, true);
    app.key(KeyCode::Enter);
    app.key(KeyCode::Enter);
    let tui = std::fs::read(&file).unwrap();

    let mut reader = csv::Reader::from_reader(tui.as_slice());
    let mut rows = 0;
    for record in reader.records() {
        rows += 1;
        for cell in record.unwrap().iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a formula reaches the spreadsheet: {cell:?}"
            );
        }
    }
    assert_eq!(rows, 2);
    let text = String::from_utf8(tui.clone()).unwrap();
    assert!(text.contains("'=HYPERLINK(\"\"https://evil.example"), "{text}");

    let env = Env::new();
    std::fs::create_dir_all(env.vault().parent().unwrap()).unwrap();
    std::fs::copy(app.dir.path().join("vault.aspen"), env.vault()).unwrap();
    let cli = env.path("cli.csv");
    env.aspen(&[
        "export",
        "--format",
        "csv",
        "--with-passwords",
        "-o",
        cli.to_str().unwrap(),
    ])
    .assert()
    .success();
    assert_eq!(text, std::fs::read_to_string(&cli).unwrap());
}

#[test]
fn a_question_answered_and_then_refused_keeps_the_form_with_the_reason() {
    let mut app = vault();
    let file = app.dir.path().join("taken.csv");
    std::fs::write(&file, "mine").unwrap();
    fill(&mut app, &file, 0, true);
    app.key(KeyCode::Enter);
    assert!(matches!(app.state.dialogs.top(), Some(Overlay::Confirm(_))));
    app.key(KeyCode::Enter);
    assert!(form_error(&app).contains("already exists"), "{}", app.screen());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
}
