//! Drives the TUI synchronously: a state, a runner that does its work inline, a fake
//! clipboard, a fixed "now" that the test moves by hand, and a TestBackend.
#![allow(dead_code, clippy::unwrap_used, clippy::disallowed_methods)]

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use aspen::app::NewVaultCost;
use aspen::clipboard::ClipboardError;
use aspen::config::Config;
use aspen::model::EntryId;
use aspen::secret::SecretString;
use aspen::storage::VaultPaths;
use aspen::tui::msg::CopyOutcome;
use aspen::tui::msg::Msg;
use aspen::tui::runner::{ClipboardPort, Runner};
use aspen::tui::state::{Layout, State};
use aspen::tui::{Options, dispatch, initial_state, views};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::civil::date;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

pub const PASSPHRASE: &str = "correct horse battery staple";

/// What the fake clipboard saw.
pub struct ClipboardLog {
    pub copied: Vec<String>,
    pub cleared: usize,
    /// The test's "now", so the deadline does not depend on the real clock.
    pub now: Instant,
    /// Where the next copy goes; on the clipboard for 30 s when `None`.
    pub next: Option<CopyOutcome>,
    /// Why the next copy fails, when it should.
    pub fail: Option<ClipboardError>,
}

pub struct FakeClipboard(pub Rc<RefCell<ClipboardLog>>);

impl ClipboardPort for FakeClipboard {
    fn copy(&mut self, secret: &SecretString) -> Result<CopyOutcome, ClipboardError> {
        let mut log = self.0.borrow_mut();
        if let Some(e) = log.fail.take() {
            return Err(e);
        }
        let outcome = log
            .next
            .take()
            .unwrap_or(CopyOutcome::Clipboard(Some(log.now + Duration::from_secs(30))));
        if !matches!(outcome, CopyOutcome::TmuxDrops(_)) {
            log.copied.push(secret.expose().to_owned());
        }
        Ok(outcome)
    }

    fn copy_value(&mut self, value: &str) -> Result<CopyOutcome, ClipboardError> {
        let mut log = self.0.borrow_mut();
        if let Some(e) = log.fail.take() {
            return Err(e);
        }
        log.copied.push(value.to_owned());
        Ok(log.next.take().unwrap_or(CopyOutcome::Clipboard(None)))
    }

    fn clear_now(&mut self) {
        self.0.borrow_mut().cleared += 1;
    }
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

fn counted_id() -> aspen::error::Result<EntryId> {
    let n = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let mut bytes = [0u8; 16];
    bytes[8..].copy_from_slice(&n.to_be_bytes());
    Ok(EntryId::from_random(bytes))
}

pub struct App {
    pub dir: tempfile::TempDir,
    pub state: State,
    pub runner: Runner,
    pub now: Instant,
    pub clipboard: Rc<RefCell<ClipboardLog>>,
    pub terminal: Terminal<TestBackend>,
    /// What the runner's threads report, once [`App::background`] gave it some.
    pub background: Option<std::sync::mpsc::Receiver<Msg>>,
}

impl App {
    /// A TUI on a fresh (not yet created) vault, 100×30, theme `theme`.
    pub fn new(theme: &str) -> Self {
        Self::sized(theme, 100, 30)
    }

    pub fn sized(theme: &str, w: u16, h: u16) -> Self {
        let mut config = Config::defaults();
        config.theme = theme.to_owned();
        Self::with(tempfile::tempdir().unwrap(), config, w, h)
    }

    /// A TUI started again on `dir`'s vault (as a new aspen process would be).
    pub fn restarted(self) -> Self {
        let (w, h) = self.state.size;
        let mut config = Config::defaults();
        config.theme = self.state.theme.name.clone();
        Self::with(self.dir, config, w, h)
    }

    /// A TUI on `dir/vault.aspen` with `config`, at `w`×`h`.
    pub fn with(dir: tempfile::TempDir, config: Config, w: u16, h: u16) -> Self {
        let opts = Options {
            paths: crate::common::vault_paths(dir.path().join("vault.aspen")),
            config,
            today: date(2026, 11, 20),
            theme: None,
            user_theme_dir: None,
            config_file: None,
            insecure_kdf: true,
        };
        Self::started(dir, &opts, w, h)
    }

    /// A TUI started with `opts` (whose vault lives in `dir`), at `w`×`h`.
    pub fn started(dir: tempfile::TempDir, opts: &Options, w: u16, h: u16) -> Self {
        let paths = opts.paths.clone();
        let now = Instant::now();
        let mut state = initial_state(opts, now);
        state.new_id = counted_id;
        state.no_color = false;
        // Paths in snapshots must not depend on the temp dir's random name.
        state.vault_path = "/home/me/.local/share/aspen/vault.aspen".into();
        let clipboard = Rc::new(RefCell::new(ClipboardLog {
            copied: Vec::new(),
            cleared: 0,
            now,
            next: None,
            fail: None,
        }));
        let runner = Runner {
            paths,
            clipboard: Box::new(FakeClipboard(clipboard.clone())),
            new_vault_cost: NewVaultCost::Insecure,
            background: None,
        };
        let mut app = Self {
            dir,
            state,
            runner,
            now,
            clipboard,
            terminal: Terminal::new(TestBackend::new(w, h)).unwrap(),
            background: None,
        };
        app.send(Msg::Resize(w, h));
        app
    }

    /// From now on the runner works in the background as in the app (a verification
    /// on its own thread, reporting each step); [`App::pump`] takes in what it says.
    pub fn background(&mut self) {
        let (tx, rx) = std::sync::mpsc::channel();
        self.runner.background = Some(tx);
        self.background = Some(rx);
    }

    /// Takes in what the background reports, one message at a time, handing the
    /// app to `each` after each, until `done` says so; panics after `within`
    /// (a real server's answer is waited for, never slept on).
    pub fn pump(&mut self, within: Duration, mut each: impl FnMut(&mut Self), done: impl Fn(&Self) -> bool) {
        let end = Instant::now() + within;
        while !done(self) {
            let left = end.saturating_duration_since(Instant::now());
            let rx = self.background.as_ref().expect("App::background first");
            match rx.recv_timeout(left) {
                Ok(msg) => {
                    self.send(msg);
                    each(self);
                }
                Err(e) => panic!("nothing more came within {within:?} ({e}):\n{}", self.screen()),
            }
        }
    }

    pub fn send(&mut self, msg: Msg) {
        self.clipboard.borrow_mut().now = self.now;
        dispatch(&mut self.state, &mut self.runner, msg, self.now);
    }

    pub fn key(&mut self, code: KeyCode) {
        self.key_mod(code, KeyModifiers::NONE);
    }

    pub fn key_mod(&mut self, code: KeyCode, m: KeyModifiers) {
        self.send(Msg::Key(KeyEvent::new(code, m)));
    }

    pub fn press(&mut self, c: char) {
        self.key(KeyCode::Char(c));
    }

    pub fn type_str(&mut self, s: &str) {
        for c in s.chars() {
            self.press(c);
        }
    }

    /// Replaces the focused form field's text.
    pub fn replace_field(&mut self, s: &str) {
        for _ in 0..40 {
            self.key(KeyCode::Backspace);
        }
        self.type_str(s);
    }

    pub fn advance(&mut self, d: Duration) {
        self.now += d;
        self.send(Msg::Tick);
    }

    /// Creates the vault through the welcome screen.
    pub fn create(&mut self) {
        self.type_str(PASSPHRASE);
        self.key(KeyCode::Enter);
        self.type_str(PASSPHRASE);
        self.key(KeyCode::Enter);
        assert!(self.state.session().is_some(), "the vault was created and opened");
    }

    /// Adds an entry through the add form.
    pub fn add(&mut self, label: &str, apple_id: &str, apps: &str, password: &str, created: &str) {
        self.press('a');
        self.type_str(label);
        self.key(KeyCode::Tab);
        self.replace_field(apple_id);
        self.key(KeyCode::Tab);
        self.type_str(apps);
        self.key(KeyCode::Tab);
        self.type_str(password);
        self.key(KeyCode::Tab);
        self.replace_field(created);
        self.key(KeyCode::Enter);
        assert!(
            self.state.dialogs.top().is_none(),
            "the add form closed: {}",
            self.screen()
        );
    }

    /// The terminal is now `w`×`h`.
    pub fn resize(&mut self, w: u16, h: u16) {
        self.terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        self.send(Msg::Resize(w, h));
    }

    /// Draws a frame and, as the event loop does, hands its layout to `update`.
    pub fn draw(&mut self) -> &ratatui::buffer::Buffer {
        let state = &self.state;
        let mut layout = Layout::default();
        self.terminal.draw(|f| layout = views::render(f, state)).unwrap();
        self.send(Msg::Layout(layout));
        self.terminal.backend().buffer()
    }

    /// The screen as text.
    pub fn screen(&mut self) -> String {
        let buffer = self.draw().clone();
        let mut out = String::new();
        for y in 0..buffer.area.height {
            let mut line = String::new();
            for x in 0..buffer.area.width {
                line.push_str(buffer[(x, y)].symbol());
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    /// Unlocks from the unlock screen with the test passphrase.
    pub fn unlock(&mut self) {
        self.type_str(PASSPHRASE);
        self.key(KeyCode::Enter);
        assert!(self.state.session().is_some(), "unlocked: {}", self.screen());
    }

    /// Another machine's aspen changes the vault (its own machine id), as a sync
    /// tool would deliver it.
    pub fn change_on_disk(&self, change: impl FnOnce(&mut aspen::model::Vault)) {
        let paths = VaultPaths::new(self.dir.path().join("vault.aspen"));
        let lock = paths.store().lock(Duration::from_secs(2)).unwrap();
        let mut loaded = paths.store().open(&SecretString::from(PASSPHRASE)).unwrap();
        let base = aspen::vault_file::duplicate(&loaded.vault);
        change(&mut loaded.vault);
        let other = aspen::model::MachineId::from_random([0xee; 8]);
        aspen::model::stamp(&base, &mut loaded.vault, &other, self.state.today);
        paths
            .store()
            .save(&loaded.vault, &loaded.key, &loaded.fingerprint, &lock)
            .unwrap();
    }

    /// `chmod a-w` on the vault: aspen must refuse to replace it.
    pub fn make_vault_read_only(&self) {
        use std::os::unix::fs::PermissionsExt;
        let vault = self.dir.path().join("vault.aspen");
        std::fs::set_permissions(vault, std::fs::Permissions::from_mode(0o444)).unwrap();
    }

    /// The lines of the notice on screen (startup problems, warnings).
    pub fn notice(&self) -> Vec<String> {
        match self.state.dialogs.top() {
            Some(aspen::tui::dialogs::Overlay::Notice(notice)) => notice.lines.clone(),
            _ => Vec::new(),
        }
    }

    /// True when `text` can be read whole: on the screen, or, collapsed there to a
    /// line that names the key which shows it all, in the notice that key opens
    /// (closed again after).
    pub fn readable(&mut self, text: &str) -> bool {
        let screen = self.screen();
        if shows_in_full(&screen, text) {
            return true;
        }
        let Some(key) = screen
            .lines()
            .find_map(|l| l.split(" shows all").next().filter(|_| l.contains(" shows all")))
            .and_then(|before| before.split_whitespace().last())
            .and_then(|k| k.chars().next().filter(|_| k.chars().count() == 1))
        else {
            return false;
        };
        self.press(key);
        let title = match self.state.dialogs.top() {
            Some(aspen::tui::dialogs::Overlay::Notice(n)) => n.title.clone(),
            _ => return false,
        };
        let whole = shows_in_full(&box_text(&self.screen(), &title), text);
        self.key(KeyCode::Esc);
        whole
    }

    /// Selects the entry labelled `label` with the keys a user would press: to the
    /// top, then down until it is selected.
    pub fn select(&mut self, label: &str) {
        self.press('g');
        for _ in 0..self.labels_shown().len() {
            if self
                .state
                .session()
                .unwrap()
                .selected_entry()
                .map(|e| e.label.as_str())
                == Some(label)
            {
                return;
            }
            self.press('j');
        }
        panic!("no entry {label:?} shown:\n{}", self.screen());
    }

    pub fn labels_shown(&self) -> Vec<String> {
        let s = self.state.session().unwrap();
        s.table
            .rows
            .iter()
            .map(|i| s.loaded.vault.entries[*i].label.clone())
            .collect()
    }
}

/// The screen as text, a wide character once (not followed by the blank cell it
/// covers).
pub fn text_of(app: &mut App) -> Vec<String> {
    let buffer = app.draw().clone();
    (0..buffer.area.height)
        .map(|y| {
            let mut line = String::new();
            let mut x = 0;
            while x < buffer.area.width {
                let symbol = buffer[(x, y)].symbol();
                line.push_str(symbol);
                x += (unicode_width::UnicodeWidthStr::width(symbol) as u16).max(1);
            }
            line
        })
        .collect()
}

/// Whether `row` shows `value` whole, or a start of it followed by "…".
pub fn whole_or_marked(row: &str, value: &str) -> bool {
    row.contains(value)
        || value
            .char_indices()
            .skip(1)
            .any(|(i, _)| row.contains(&format!("{}…", &value[..i])))
}

/// Every cell of the table's rows that a column shows: whole, or cut with "…" (an
/// attention reason cut before its "+N" counts as marked: "password-n… +1"). Says
/// what is wrong, if anything (nothing when no table is drawn).
pub fn cut_cells(app: &mut App) -> Vec<String> {
    let lines = text_of(app);
    let Some(header) = lines.iter().position(|l| l.starts_with("│Label")) else {
        return Vec::new();
    };
    let head = &lines[header];
    let s = app.state.session().unwrap();
    let mut wrong = Vec::new();
    // The gauges above the table, each named by its Apple ID.
    for line in lines[1..header.saturating_sub(1)]
        .iter()
        .filter(|l| !l.starts_with('+'))
    {
        if !s.slots.iter().any(|slots| whole_or_marked(line, &slots.shown())) {
            wrong.push(format!("a gauge's name cut without a mark: {line}"));
        }
    }
    let first = s.table.offset;
    for (n, row) in lines[header + 1..].iter().enumerate() {
        let Some(&i) = s.table.rows.get(first + n) else {
            break;
        };
        if row.starts_with('└') {
            break;
        }
        let e = &s.loaded.vault.entries[i];
        let mut fields = vec![e.label.clone()];
        if head.contains("│Label") && head.contains(" Apps ") {
            fields.push(e.apps.join(", "));
        }
        if head.contains("Apple ID") {
            fields.push(e.apple_id.clone());
        }
        // The reason shown first, and how many more: "stale +1".
        let mut reasons = s.attention[i].iter();
        if let Some(first) = reasons.next() {
            let name = if s.attention[i].contains(aspen::model::Attention::Conflict) {
                "⚠ conflict"
            } else {
                first.name()
            };
            fields.push(match reasons.count() {
                0 => name.to_owned(),
                more => format!("{name} +{more}"),
            });
        }
        for value in fields {
            if !whole_or_marked(row, &value) {
                wrong.push(format!("{value:?} cut without a mark: {row}"));
            }
        }
    }
    wrong
}

/// The keys `text` names for the user to press: "press K", "K shows all", "K clears",
/// "· K next".
pub fn named_keys(text: &str) -> Vec<String> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || "│┌┐└┘─".contains(c))
        .filter(|w| !w.is_empty())
        .collect();
    let mut keys = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let next = words.get(i + 1).copied().unwrap_or("");
        if w.trim_start_matches('(') == "press" && !next.is_empty() {
            keys.push(next.trim_end_matches([',', '.', ';', ':', ')']).to_owned());
        }
        let after = words.get(i + 2).copied().unwrap_or("");
        if (next == "shows" && after == "all") || (next == "clears" && after == "the") {
            keys.push(w.trim_start_matches('(').to_owned());
        }
        // A title's "· n next": the key to the next entry needing attention.
        if *w == "·" && after == "next" {
            keys.push(next.to_owned());
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

/// The keymap mode of the screen shown, a dialog over it aside.
pub fn screen_mode(app: &App) -> aspen::tui::keymap::Mode {
    use aspen::tui::keymap::Mode;
    use aspen::tui::state::Screen;
    match &app.state.screen {
        Screen::Open(_, aspen::tui::state::View::Main)
            if app.state.session().is_some_and(|s| s.table.searching) =>
        {
            Mode::Search
        }
        Screen::Open(_, aspen::tui::state::View::Main) => Mode::Main,
        Screen::Open(_, aspen::tui::state::View::Overview) => Mode::Overview,
        _ => Mode::Unlock,
    }
}

/// The keys the screen and its whole message name that its mode does not bind.
pub fn unbound_keys(app: &mut App) -> Vec<String> {
    let mut text = app.screen();
    if let Some(m) = &app.state.message {
        text.push('\n');
        text.push_str(&m.text);
    }
    let mode = screen_mode(app);
    named_keys(&text)
        .into_iter()
        .filter(|k| {
            let key = aspen::tui::keymap::Key::parse(k);
            !key.is_ok_and(|key| app.state.keymap.resolve(mode, key).is_some())
        })
        .collect()
}

/// True when `text` is on `screen` in full, maybe wrapped over several lines and
/// framed by a box's borders: the screen's words, in order, hold the text's words.
pub fn shows_in_full(screen: &str, text: &str) -> bool {
    let words = |s: &str| -> String {
        s.split(|c: char| c.is_whitespace() || "│┌┐└┘─".contains(c))
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    words(screen).contains(&words(text))
}

/// The text inside the box whose top border holds `title`, its rows joined by line
/// breaks: what is drawn around the box is left out.
pub fn box_text(screen: &str, title: &str) -> String {
    let rows: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
    let top = rows
        .iter()
        .position(|r| r.iter().collect::<String>().contains(title))
        .unwrap_or_else(|| panic!("no box titled {title:?}:\n{screen}"));
    let row = &rows[top];
    let at = (0..row.len())
        .find(|&i| row[i..].iter().collect::<String>().starts_with(title))
        .unwrap();
    let left = row[..at].iter().rposition(|c| *c == '┌').unwrap();
    let right = at + row[at..].iter().position(|c| *c == '┐').unwrap();
    let mut out = String::new();
    for r in &rows[top + 1..] {
        if r.get(left) == Some(&'└') {
            break;
        }
        let inside: String = (left + 1..right)
            .map(|i| r.get(i).copied().unwrap_or(' '))
            .collect();
        out.push_str(inside.trim_end());
        out.push('\n');
    }
    out
}
