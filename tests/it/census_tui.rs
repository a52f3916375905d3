//! Issue 5, "Bad input everywhere", for the terminal UI, driven in-process through its
//! pure update loop (tests/tui/harness.rs). Every text field of every screen and
//! dialog gets each bad value, pasted (`Msg::Paste`) and, for the short ones, typed key
//! by key; then the form is submitted. Each case must end in an error shown on the
//! state or a safe success: no panic; no control or invisible character in any cell of
//! a 120×40 frame drawn after the input and after the submission; the vault on disk
//! still opening with its passphrase, and byte for byte unchanged after a refusal.
//!
//! Not covered: invalid UTF-8 and NUL (a paste is a `String` and a key a `char`, so
//! neither can reach the TUI); the real terminal's own handling of escape bytes
//! (crossterm and the runner), which tests/tui_tmux.rs drives.
#![allow(clippy::unwrap_used, clippy::disallowed_methods, clippy::disallowed_macros)]

use crate::harness;
mod long_input;
mod values;

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::time::{Duration, Instant};

use aspen::secret::SecretString;
use aspen::tui::dialogs::{Overlay, Question};
use aspen::tui::msg::Msg;
use aspen::tui::state::{PassInput, Screen, Tone, Unlock};
use crossterm::event::KeyCode;
use harness::{App, PASSPHRASE};
use values::{Bad, common_values, extra_values};

const W: u16 = 120;
const H: u16 = 40;
const MIB: usize = 1 << 20;
/// What a field keeps of a runaway paste (src/tui/form.rs), in bytes.
const FIELD_CAP: usize = aspen::tui::form::MAX_FIELD_BYTES;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Dialog {
    Welcome,
    Unlock,
    Search,
    Add,
    Edit,
    Reset,
    RevokeAll,
    Revoke,
    Regenerate,
    ChangePassphrase,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Label,
    AppleId,
    Apps,
    Password,
    Date,
    Notes,
    Passphrase,
    Search,
    /// A fixed list changed with ←/→: typing is ignored.
    Choice,
    /// An Apple developer team id: shown once notarization is chosen.
    TeamId,
}

struct Field {
    dialog: Dialog,
    name: &'static str,
    /// Its position in the form (0 on screens with one field).
    index: usize,
    kind: Kind,
}

fn fields() -> Vec<Field> {
    let f = |dialog, name, index, kind| Field {
        dialog,
        name,
        index,
        kind,
    };
    use Dialog::*;
    vec![
        f(Welcome, "New passphrase", 0, Kind::Passphrase),
        f(Welcome, "Repeat it", 1, Kind::Passphrase),
        f(Unlock, "Passphrase", 0, Kind::Passphrase),
        f(Search, "Search", 0, Kind::Search),
        f(Add, "Label", 0, Kind::Label),
        f(Add, "Apple ID", 1, Kind::AppleId),
        f(Add, "Apps", 2, Kind::Apps),
        f(Add, "Password", 3, Kind::Password),
        f(Add, "Created", 4, Kind::Date),
        f(Add, "Notes", 5, Kind::Notes),
        f(Add, "Team id", 7, Kind::TeamId),
        f(Edit, "Label", 0, Kind::Label),
        f(Edit, "Apple ID", 1, Kind::AppleId),
        f(Edit, "Apps", 2, Kind::Apps),
        f(Edit, "Created", 3, Kind::Date),
        f(Edit, "Notes", 4, Kind::Notes),
        f(Edit, "Team id", 6, Kind::TeamId),
        f(Reset, "Apple ID", 0, Kind::Choice),
        f(Reset, "Date", 1, Kind::Date),
        f(RevokeAll, "Apple ID", 0, Kind::Choice),
        f(RevokeAll, "Date", 1, Kind::Date),
        f(Revoke, "Its apps", 0, Kind::Choice),
        f(Revoke, "Revoked on", 1, Kind::Date),
        f(Regenerate, "Password", 0, Kind::Password),
        f(Regenerate, "Created", 1, Kind::Date),
        f(ChangePassphrase, "New passphrase", 0, Kind::Passphrase),
        f(ChangePassphrase, "Repeat it", 1, Kind::Passphrase),
    ]
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum How {
    Pasted,
    Typed,
}

/// The seed: three entries under two Apple IDs, made through the UI.
fn seed_vault() -> Vec<u8> {
    let mut app = App::sized("default", W, H);
    app.create();
    app.add(
        "Thunderbird",
        "me@icloud.com",
        "Thunderbird",
        "abcd-efgh-ijkl-mnop",
        "2026-01-10",
    );
    app.add(
        "SmoothSync",
        "me@icloud.com",
        "SmoothSync",
        "qrst-uvwx-yzab-cdef",
        "2026-03-01",
    );
    app.add(
        "Mail",
        "work@example.com",
        "Mail",
        "mnop-qrst-uvwx-abcd",
        "2026-02-01",
    );
    std::fs::read(app.runner.paths.vault()).unwrap()
}

/// A TUI unlocked on a copy of the seed vault; "Mail" (first by label) is selected.
fn unlocked(seed: &[u8]) -> App {
    let mut app = App::sized("default", W, H);
    std::fs::write(app.runner.paths.vault(), seed).unwrap();
    app.state.screen = Screen::Unlock(Unlock {
        input: PassInput::default(),
        error: None,
        failures: 0,
        costlier_confirmed: false,
    });
    app.type_str(PASSPHRASE);
    app.key(KeyCode::Enter);
    assert!(app.state.session().is_some(), "the seed unlocks");
    app
}

fn input(app: &mut App, text: &str, how: How) {
    match how {
        How::Pasted => app.send(Msg::Paste(text.to_owned())),
        How::Typed => app.type_str(text),
    }
}

fn form(app: &App) -> Option<&aspen::tui::form::Form> {
    match app.state.dialogs.top() {
        Some(o) => o.form(),
        _ => None,
    }
}

/// Focuses form field `index` and empties it.
fn clear_field(app: &mut App, index: usize) {
    while form(app).is_some_and(|f| f.focus != index) {
        app.key(KeyCode::Tab);
    }
    let len = form(app).map_or(0, |f| f.fields[index].value.chars().count());
    for _ in 0..len {
        app.key(KeyCode::Backspace);
    }
}

/// Draws a frame; the cells holding a control or invisible formatting character (as
/// "x,y: symbol") and the screen's text, row by row.
fn frame(app: &mut App) -> (Vec<String>, String) {
    let buffer = app.draw();
    let mut raw = Vec::new();
    let mut text = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            let symbol = buffer[(x, y)].symbol();
            if symbol
                .chars()
                .any(|c| c.is_control() || aspen::text::is_invisible_format(c))
            {
                raw.push(format!("{x},{y}: {}", symbol.escape_unicode()));
            }
            text.push_str(symbol);
        }
        text.push('\n');
    }
    (raw, text)
}

fn raw_cells(app: &mut App) -> Vec<String> {
    frame(app).0
}

/// The first characters of `chars` that a field takes: it stops once it holds
/// [`FIELD_CAP`] bytes.
fn capped(chars: impl Iterator<Item = char>) -> String {
    let mut out = String::new();
    for c in chars {
        if out.len() >= FIELD_CAP {
            break;
        }
        out.push(c);
    }
    out
}

/// What a passphrase field keeps of the input: a paste loses its control characters
/// (src/tui/update.rs), form fields also drop typed ones; all stop at [`FIELD_CAP`].
fn kept(text: &str, how: How, in_form: bool) -> String {
    let filtered = how == How::Pasted || in_form;
    capped(text.chars().filter(|c| !filtered || !c.is_control()))
}

/// Whether the documented rules (docs/cli.md "Naming things", src/model/validate.rs)
/// refuse the field's value as the model sees it, after the UI dropped control
/// characters and capped the length; `None` where either outcome can be right.
fn must_refuse(field: &Field, bad: &Bad) -> Option<bool> {
    if field.kind == Kind::TeamId {
        let t = capped(bad.value.chars().filter(|c| !c.is_control()));
        let t = t.trim();
        return Some(t.chars().count() != 10 || !t.chars().all(|c| c.is_ascii_alphanumeric()));
    }
    if bad.name == "a label taken under that Apple ID" {
        // Taken under me@icloud.com (where Add puts it), free under work@example.com
        // (where the edited "Mail" is).
        return Some(field.dialog == Dialog::Add);
    }
    let text = capped(bad.value.chars().filter(|c| !c.is_control()));
    let t = text.trim();
    let invisible = t.chars().any(aspen::text::is_invisible_format);
    let date = t.parse::<jiff::civil::Date>().ok();
    match field.kind {
        Kind::Label => Some(t.is_empty() || invisible || t.chars().count() > 128),
        Kind::Apps => {
            let apps: Vec<&str> = t.split(',').map(str::trim).filter(|a| !a.is_empty()).collect();
            Some(
                apps.is_empty()
                    || apps
                        .iter()
                        .any(|a| a.chars().count() > 128 || a.chars().any(aspen::text::is_invisible_format)),
            )
        }
        Kind::AppleId => {
            let well_formed = t.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            });
            Some(!well_formed || invisible || t.chars().any(char::is_whitespace))
        }
        Kind::Date => date
            .is_none_or(|d| d < jiff::civil::date(2013, 1, 1) || d > jiff::civil::date(2026, 11, 20))
            .then_some(true),
        Kind::Password => None,
        Kind::Notes => Some(t.chars().count() > 4096),
        Kind::Search | Kind::Choice => Some(false),
        Kind::Passphrase => t.is_empty().then_some(true),
        Kind::TeamId => unreachable!("said above"),
    }
}

#[derive(Default)]
struct Tally {
    cases: usize,
    pasted: usize,
    typed: usize,
    refused: usize,
    accepted: usize,
    panics: usize,
    raw_frames: usize,
    damaged: usize,
    by_category: BTreeMap<&'static str, usize>,
    by_dialog: BTreeMap<String, usize>,
    fields: BTreeMap<(String, &'static str), usize>,
    violations: Vec<String>,
    slowest_paste: (Duration, String),
}

impl Tally {
    fn merge(&mut self, o: Self) {
        self.cases += o.cases;
        self.pasted += o.pasted;
        self.typed += o.typed;
        self.refused += o.refused;
        self.accepted += o.accepted;
        self.panics += o.panics;
        self.raw_frames += o.raw_frames;
        self.damaged += o.damaged;
        for (k, v) in o.by_category {
            *self.by_category.entry(k).or_default() += v;
        }
        for (k, v) in o.by_dialog {
            *self.by_dialog.entry(k).or_default() += v;
        }
        for (k, v) in o.fields {
            *self.fields.entry(k).or_default() += v;
        }
        self.violations.extend(o.violations);
        if o.slowest_paste.0 > self.slowest_paste.0 {
            self.slowest_paste = o.slowest_paste;
        }
    }
}

/// How a case ended, as the state shows it.
enum Ended {
    Refused(String),
    Accepted,
    Neither(String),
}

/// Opens the dialog, fills the other fields with valid values, puts `bad` in the
/// field, draws, submits (confirming a confirmation), and draws again. Returns how
/// it ended, the passphrase the vault should open with, raw cells, the time the
/// input took, and the last frame's text.
fn drive(
    app: &mut App,
    field: &Field,
    bad: &str,
    how: How,
) -> (Ended, String, Vec<String>, Duration, String) {
    let mut passphrase = PASSPHRASE.to_owned();
    let valid_passphrase = "a different passphrase, valid";
    let start;
    let took;
    let mut raw = Vec::new();
    match field.dialog {
        Dialog::Welcome => {
            // The tested field gets the value; the other the same value (so a
            // first-run passphrase can be accepted) or, for "Repeat it", a valid one.
            let first = if field.index == 0 { bad } else { valid_passphrase };
            start = Instant::now();
            input(app, first, how);
            took = start.elapsed();
            raw.extend(raw_cells(app));
            app.key(KeyCode::Enter);
            input(app, bad, how);
            raw.extend(raw_cells(app));
            app.key(KeyCode::Enter);
            passphrase = kept(bad, how, false);
        }
        Dialog::Unlock => {
            app.press('L');
            start = Instant::now();
            input(app, bad, how);
            took = start.elapsed();
            raw.extend(raw_cells(app));
            app.key(KeyCode::Enter);
        }
        Dialog::Search => {
            app.press('/');
            start = Instant::now();
            input(app, bad, how);
            took = start.elapsed();
            raw.extend(raw_cells(app));
            app.key(KeyCode::Enter);
        }
        _ => {
            let (key, valid): (char, &[&str]) = match field.dialog {
                Dialog::Add => (
                    'a',
                    &[
                        "Outlook",
                        "me@icloud.com",
                        "Outlook",
                        "uvwx-abcd-efgh-ijkl",
                        "2026-11-01",
                        "",
                    ],
                ),
                Dialog::Edit => ('e', &[]),
                Dialog::Reset => ('R', &[]),
                Dialog::RevokeAll => ('X', &[]),
                Dialog::Revoke => ('x', &[]),
                Dialog::Regenerate => ('r', &["uvwx-abcd-efgh-ijkl"]),
                Dialog::ChangePassphrase => ('P', &[valid_passphrase, valid_passphrase]),
                Dialog::Welcome | Dialog::Unlock | Dialog::Search => unreachable!(),
            };
            app.press(key);
            assert!(form(app).is_some(), "{:?} opens a form", field.dialog);
            if field.kind == Kind::TeamId {
                // Shown once the uses include notarization, the ninth choice; Uses
                // is the field before it.
                clear_field(app, field.index - 1);
                for _ in 0..8 {
                    app.key(KeyCode::Right);
                }
            }
            for (i, v) in valid.iter().enumerate() {
                if i != field.index {
                    clear_field(app, i);
                    app.type_str(v);
                }
            }
            clear_field(app, field.index);
            start = Instant::now();
            input(app, bad, how);
            took = start.elapsed();
            if field.dialog == Dialog::ChangePassphrase {
                // Both fields get the value when the first is tested.
                if field.index == 0 {
                    clear_field(app, 1);
                    input(app, bad, how);
                    passphrase = kept(bad, how, true);
                } else {
                    passphrase = kept(valid_passphrase, how, true);
                }
            }
            raw.extend(raw_cells(app));
            app.key(KeyCode::Enter);
            // Reset and Revoke All preview, then confirm, then show a checklist.
            if matches!(
                app.state.dialogs.top(),
                Some(Overlay::Confirm(Question::Reset(_)))
            ) {
                raw.extend(raw_cells(app));
                app.key(KeyCode::Enter);
            }
            if matches!(app.state.dialogs.top(), Some(Overlay::Checklist(_))) {
                raw.extend(raw_cells(app));
                app.key(KeyCode::Enter);
            }
        }
    }
    let (last_raw, screen) = frame(app);
    raw.extend(last_raw);

    let state = &app.state;
    let error_message = state
        .message
        .as_ref()
        .filter(|m| m.tone == Tone::Error)
        .map(|m| m.text.clone());
    let ended = match field.dialog {
        Dialog::Welcome | Dialog::Unlock => match (&state.screen, state.session()) {
            (Screen::Open(_, aspen::tui::state::View::Main), Some(_)) => Ended::Accepted,
            (Screen::Welcome(w), None) if w.error.is_some() => Ended::Refused(w.error.clone().unwrap()),
            (Screen::Unlock(u), None) if u.error.is_some() => Ended::Refused(u.error.clone().unwrap()),
            _ => Ended::Neither("neither unlocked nor an error on the lock screen".to_owned()),
        },
        Dialog::Search => match state.session() {
            Some(s) if !s.table.searching => Ended::Accepted,
            _ => Ended::Neither("Enter did not leave the search".to_owned()),
        },
        _ => match (state.dialogs.top().map(|o| o.form()), error_message) {
            (_, Some(e)) => Ended::Neither(format!("an error message after the submission: {e}")),
            (Some(Some(f)), None) => match &f.error {
                Some(e) if !e.trim().is_empty() => Ended::Refused(e.clone()),
                _ => Ended::Neither("the form stayed open without saying why".to_owned()),
            },
            (None, None) => Ended::Accepted,
            (Some(_), None) => Ended::Neither("another dialog stayed open".to_owned()),
        },
    };
    (ended, passphrase, raw, took, screen)
}

fn case(seed: &[u8], field: &Field, bad: &Bad, how: How, tally: &mut Tally) {
    let what = format!("{:?} / {} [{}, {:?}]", field.dialog, field.name, bad.name, how);
    tally.cases += 1;
    match how {
        How::Pasted => tally.pasted += 1,
        How::Typed => tally.typed += 1,
    }
    *tally.by_category.entry(bad.category).or_default() += 1;
    *tally.by_dialog.entry(format!("{:?}", field.dialog)).or_default() += 1;
    *tally
        .fields
        .entry((format!("{:?}", field.dialog), field.name))
        .or_default() += 1;

    let mut app = if field.dialog == Dialog::Welcome {
        App::sized("default", W, H)
    } else {
        unlocked(seed)
    };
    let path = app.runner.paths.vault().to_path_buf();
    let before = std::fs::read(&path).ok();
    let run = std::panic::catch_unwind(AssertUnwindSafe(|| drive(&mut app, field, &bad.value, how)));
    let mut problems = Vec::new();
    let (ended, passphrase, raw, took, screen) = match run {
        Ok(r) => r,
        Err(e) => {
            tally.panics += 1;
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            tally.violations.push(format!("{what}: panicked: {msg}"));
            return;
        }
    };
    if how == How::Pasted && bad.category == "huge" && took > tally.slowest_paste.0 {
        tally.slowest_paste = (took, what.clone());
    }
    if !raw.is_empty() {
        tally.raw_frames += 1;
        problems.push(format!(
            "{} cells hold a control or invisible character, e.g. {}",
            raw.len(),
            raw[..raw.len().min(3)].join("; ")
        ));
    }
    let refused = match &ended {
        Ended::Refused(e) => {
            tally.refused += 1;
            // The reason is on the screen, not only in the state.
            let head: String = e
                .chars()
                .filter(|c| !c.is_control() && !aspen::text::is_invisible_format(*c))
                .take(12)
                .collect();
            if !screen.contains(&head) {
                let p = format!("the reason is not on the screen: {e}");
                problems.push(p);
            }
            true
        }
        Ended::Accepted => {
            tally.accepted += 1;
            false
        }
        Ended::Neither(why) => {
            problems.push(why.clone());
            false
        }
    };
    match must_refuse(field, bad) {
        Some(true) if !refused => problems.push("accepted, but the rules refuse it".to_owned()),
        Some(false) if refused => {
            if let Ended::Refused(e) = &ended {
                problems.push(format!("refused a value the rules accept: {e}"));
            }
        }
        _ => {}
    }

    let after = std::fs::read(&path).ok();
    if refused {
        if after != before {
            tally.damaged += 1;
            problems.push("a refused submission changed the vault file".to_owned());
        }
    } else if let Some(bytes) = &after {
        let opened = aspen::vault_file::decode(bytes, &SecretString::from(passphrase.as_str()))
            .map_err(|e| e.to_string())
            .and_then(|(v, _)| v.check_invariants());
        if let Err(e) = opened {
            tally.damaged += 1;
            problems.push(format!("the vault no longer opens with its passphrase: {e}"));
        }
    } else if field.dialog != Dialog::Search {
        problems.push("accepted, but there is no vault on disk".to_owned());
    }
    // A new passphrase that was accepted must let the user back in: lock, paste the
    // same text on the unlock screen.
    let new_passphrase =
        matches!(field.dialog, Dialog::Welcome | Dialog::ChangePassphrase) && field.index == 0;
    if new_passphrase && !refused && how == How::Pasted {
        app.press('L');
        app.send(Msg::Paste(bad.value.clone()));
        app.key(KeyCode::Enter);
        if app.state.session().is_none() {
            problems.push("locked out: the same paste does not unlock the vault".to_owned());
        }
    }
    if std::env::var_os("ASPEN_CENSUS_VERBOSE").is_some() {
        let said = match &ended {
            Ended::Refused(e) => format!("refused: {e}"),
            Ended::Accepted => "accepted".to_owned(),
            Ended::Neither(e) => format!("?? {e}"),
        };
        eprintln!(
            "{what} -> {} ({took:?})",
            said.chars().take(140).collect::<String>()
        );
    }
    tally
        .violations
        .extend(problems.into_iter().map(|p| format!("{what}: {p}")));
}

fn census_part(seed: &[u8], work: &[(usize, Bad, How)], fields: &[Field]) -> Tally {
    let mut tally = Tally::default();
    for (i, bad, how) in work {
        case(seed, &fields[*i], bad, *how, &mut tally);
    }
    tally
}

#[test]
fn every_field_refuses_bad_input_with_a_message_or_accepts_it_safely() {
    let start = Instant::now();
    let seed = seed_vault();
    let fields = fields();
    let mut work: Vec<(usize, Bad, How)> = Vec::new();
    for (i, field) in fields.iter().enumerate() {
        let mut values = common_values();
        values.extend(extra_values(field.kind));
        for bad in values {
            if bad.value.len() <= 256 {
                work.push((i, bad.clone(), How::Typed));
            }
            work.push((i, bad, How::Pasted));
        }
    }
    let halves: [Vec<(usize, Bad, How)>; 2] = [
        work.iter().step_by(2).cloned().collect(),
        work.iter().skip(1).step_by(2).cloned().collect(),
    ];
    let mut tally = Tally::default();
    std::thread::scope(|s| {
        let handles: Vec<_> = halves
            .iter()
            .map(|h| s.spawn(|| census_part(&seed, h, &fields)))
            .collect();
        for h in handles {
            tally.merge(h.join().unwrap());
        }
    });

    for channel in ["theme name", "key mode", "key name"] {
        for bad in common_values() {
            startup_case(channel, &bad, &mut tally);
        }
    }

    let dialogs = tally.by_dialog.len();
    let list = |m: &BTreeMap<String, usize>| {
        m.iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let categories: BTreeMap<String, usize> = tally
        .by_category
        .iter()
        .map(|(k, v)| ((*k).to_owned(), *v))
        .collect();
    eprintln!("tui census by category: {}", list(&categories));
    eprintln!("tui census by dialog: {}", list(&tally.by_dialog));
    eprintln!(
        "tui census: {} cases ({} pasted, {} typed, the rest from the config) over {} fields of {} screens and dialogs: \
         {} refused with an error shown, {} accepted safely, {} panics, {} frames with raw \
         characters, {} damaged vaults, {} violations; slowest 1 MiB paste {:?} ({}); \
         {:.1} s",
        tally.cases,
        tally.pasted,
        tally.typed,
        tally.fields.len(),
        dialogs,
        tally.refused,
        tally.accepted,
        tally.panics,
        tally.raw_frames,
        tally.damaged,
        tally.violations.len(),
        tally.slowest_paste.0,
        tally.slowest_paste.1,
        start.elapsed().as_secs_f64(),
    );
    assert!(
        tally.violations.is_empty(),
        "{} violations:\n{}",
        tally.violations.len(),
        tally.violations.join("\n")
    );
}

/// Text from the config reaches the screen too: a theme name (`--theme`, `theme:`) and
/// the mode and key names under `keys:`. A bad one is reported on the first screen.
fn startup_case(channel: &'static str, bad: &Bad, tally: &mut Tally) {
    use aspen::action::Action;
    use std::collections::BTreeMap as Map;
    let what = format!("startup / {channel} [{}]", bad.name);
    tally.cases += 1;
    *tally.by_category.entry(bad.category).or_default() += 1;
    *tally.by_dialog.entry("Startup".to_owned()).or_default() += 1;
    *tally.fields.entry(("Startup".to_owned(), channel)).or_default() += 1;

    let dir = tempfile::tempdir().unwrap();
    let mut config = aspen::config::Config::defaults();
    let mut theme = None;
    match channel {
        "theme name" => theme = Some(bad.value.clone()),
        "key mode" => {
            config.keys = Some(Map::from([(
                bad.value.clone(),
                Map::from([("z".to_owned(), Action::Lock)]),
            )]));
        }
        _ => {
            config.keys = Some(Map::from([(
                "main".to_owned(),
                Map::from([(bad.value.clone(), Action::Lock)]),
            )]));
        }
    }
    let opts = aspen::tui::Options {
        paths: crate::common::vault_paths(dir.path().join("vault.aspen")),
        config,
        today: jiff::civil::date(2026, 11, 20),
        theme,
        user_theme_dir: Some(dir.path().join("themes")),
        config_file: None,
        insecure_kdf: true,
    };
    let run = std::panic::catch_unwind(|| {
        let mut state = aspen::tui::initial_state(&opts, Instant::now());
        state.size = (W, H);
        let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(W, H)).unwrap();
        terminal
            .draw(|f| {
                aspen::tui::views::render(f, &state);
            })
            .unwrap();
        let buffer = terminal.backend().buffer().clone();
        let raw: Vec<String> = buffer
            .content()
            .iter()
            .filter(|cell| {
                cell.symbol()
                    .chars()
                    .any(|c| c.is_control() || aspen::text::is_invisible_format(c))
            })
            .map(|cell| cell.symbol().escape_unicode().to_string())
            .collect();
        let screen: String = buffer.content().iter().map(|c| c.symbol()).collect();
        // Startup problems are listed in a notice on the first screen.
        let first = match state.dialogs.top() {
            Some(Overlay::Notice(notice)) => notice.lines.first().cloned(),
            _ => None,
        };
        let shown = first.as_ref().is_some_and(|text| {
            let start: String = aspen::text::escape_control(text).chars().take(6).collect();
            screen.contains(&start)
        });
        (first, raw, shown)
    });
    let Ok((message, raw, shown)) = run else {
        tally.panics += 1;
        tally.violations.push(format!("{what}: panicked"));
        return;
    };
    if message.is_some() {
        tally.refused += 1;
    } else {
        tally.accepted += 1;
    }
    if !raw.is_empty() {
        tally.raw_frames += 1;
        tally.violations.push(format!(
            "{what}: {} cells hold a control or invisible character, e.g. {}",
            raw.len(),
            raw[..raw.len().min(3)].join(" ")
        ));
    }
    // None of the values names a theme, a mode or a key: each must be reported.
    if message.is_none() {
        tally
            .violations
            .push(format!("{what}: started without reporting the bad value"));
    } else if !shown {
        tally
            .violations
            .push(format!("{what}: the report is not on the first screen"));
    }
}
