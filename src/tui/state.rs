//! Everything the TUI shows, as plain data. `update` changes it; views read it.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use jiff::civil::Date;
use ratatui::layout::Rect;
use zeroize::Zeroizing;

use super::dialogs::{Dialogs, Overlay};
use super::keymap::{Keymap, Mode};
use super::rows::Table;
use super::undo::UndoStack;
use crate::app::FileStat;
use crate::model::{AttentionSet, Entry, EntryId, Policy, Slots, analyse, slots};
use crate::storage::Loaded;
use crate::theme::Theme;

/// Settings the TUI needs from the config.
#[derive(Clone, Debug)]
pub struct Settings {
    pub policy: Policy,
    pub idle_lock: Duration,
    pub reveal_for: Duration,
    /// `--insecure-kdf`: a vault created now gets a trivially cheap key derivation.
    pub insecure_kdf: bool,
    /// Where the verify key signs in, and how fast.
    pub verify: super::verify::VerifySettings,
}

/// A passphrase being typed; zeroized on drop.
#[derive(Default)]
/// The flag says text was dropped at the limit: such a passphrase is refused whole.
pub struct PassInput(pub Zeroizing<String>, pub bool);

impl PassInput {
    /// Types one character; see [`crate::secret::push_secret`] for why not `push`.
    pub fn push(&mut self, c: char) {
        if self.0.len() < crate::secret::MAX_PASSPHRASE_BYTES {
            crate::secret::push_secret(&mut self.0, c.encode_utf8(&mut [0; 4]));
        } else {
            self.1 = true;
        }
    }

    pub fn overflowed(&self) -> bool {
        self.1
    }
}

pub struct Welcome {
    pub first: PassInput,
    pub second: PassInput,
    pub focus: usize,
    pub error: Option<String>,
    pub insecure_kdf: bool,
}

impl Welcome {
    pub fn new(insecure_kdf: bool) -> Self {
        Self {
            first: PassInput::default(),
            second: PassInput::default(),
            focus: 0,
            error: None,
            insecure_kdf,
        }
    }
}

#[derive(Default)]
pub struct Unlock {
    pub input: PassInput,
    pub error: Option<String>,
    pub failures: u32,
    /// The user was told the vault asks for a far costlier key derivation than this
    /// machine ran for it; the next unlock is their consent.
    pub costlier_confirmed: bool,
}

pub enum Screen {
    Welcome(Welcome),
    Unlock(Unlock),
    /// Something stands at the vault path that aspen must not open or create a vault
    /// over (a folder, a file that is not a vault, the backup of a missing vault):
    /// what it is and what to do, instead of a passphrase prompt.
    CannotOpen(String),
    /// The vault is open: its session, shown as the table or as the overview. Only
    /// an unlock makes one, and locking drops it with every password in it.
    Open(Box<Session>, View),
}

/// What the open vault's screen shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Main,
    Overview,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Info,
    Good,
    Warning,
    Error,
}

pub struct Message {
    pub text: String,
    pub tone: Tone,
    pub until: Option<Instant>,
}

/// A password on the clipboard, for the countdown.
pub struct CopyStatus {
    pub label: String,
    pub deadline: Option<Instant>,
    /// Sent as OSC 52: the terminal holds it, and aspen cannot clear it.
    pub through_terminal: bool,
}

/// Work running in the background (the key derivation), for the progress line.
pub struct Busy {
    pub text: String,
    pub since: Instant,
}

/// The unlocked vault and the table's view of it. Dropping it zeroizes every
/// password and the key.
pub struct Session {
    pub loaded: Loaded,
    pub attention: Vec<AttentionSet>,
    /// Each Apple ID's slots, counted once per vault change, not at every frame.
    pub slots: Vec<Slots>,
    pub table: Table,
    pub revealed: Option<(EntryId, Instant)>,
    /// The overview's selected Apple ID, an index into the vault's accounts.
    pub overview: usize,
    /// The changes of this session that `u` can take back; it goes with the
    /// session, so locking forgets them with every password.
    pub undo: UndoStack,
    /// The vault file's stat when the session last took the file in (`None`: not
    /// yet): another stat means another program may have saved.
    pub file: Option<FileStat>,
    /// When the file's stat was last taken.
    pub polled: Option<Instant>,
}

impl Session {
    pub fn new(loaded: Loaded, today: Date, policy: Policy) -> Self {
        let mut s = Self {
            attention: Vec::new(),
            slots: Vec::new(),
            table: Table::new(&loaded.vault.entries),
            loaded,
            revealed: None,
            overview: 0,
            undo: UndoStack::default(),
            file: None,
            polled: None,
        };
        s.vault_changed(today, policy);
        s
    }

    /// After any change to the vault: attention, search text and rows again.
    pub fn vault_changed(&mut self, today: Date, policy: Policy) {
        self.attention = analyse(&self.loaded.vault, today, policy);
        self.slots = slots(&self.loaded.vault);
        self.overview = self
            .overview
            .min(self.loaded.vault.accounts.len().saturating_sub(1));
        self.table
            .entries_changed(&self.loaded.vault.entries, &self.attention);
    }

    /// The Apple ID the overview has selected.
    pub fn overview_apple_id(&self) -> Option<&str> {
        self.loaded
            .vault
            .accounts
            .get(self.overview)
            .map(|a| a.apple_id.as_str())
    }

    /// After a filter, sort or query change; keeps the selected entry when it is
    /// still shown.
    pub fn refresh_rows(&mut self) {
        self.table.refresh(&self.loaded.vault.entries, &self.attention);
    }

    pub fn selected_entry(&self) -> Option<&Entry> {
        // `get`: right after a deletion the rows may still point past the end.
        self.table
            .selected_index()
            .and_then(|i| self.loaded.vault.entries.get(i))
    }

    pub fn selected_id(&self) -> Option<EntryId> {
        self.selected_entry().map(|e| e.id.clone())
    }

    pub fn select_id(&mut self, id: &EntryId) {
        self.table.select_id(&self.loaded.vault.entries, id);
    }
}

/// What a frame drew where, as far as input needs it: the render returns it, the
/// event loop hands it to `update` as a message.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    /// The entries' table, when the frame drew one.
    pub table: Option<TableLayout>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TableLayout {
    /// The table's rows (without its header): where a click selects, and how far
    /// a page moves.
    pub rows: Rect,
    /// The entry row shown first.
    pub offset: usize,
}

pub struct State {
    pub screen: Screen,
    pub dialogs: Dialogs,
    pub keymap: Keymap,
    pub theme: Theme,
    pub themes: Vec<Theme>,
    pub user_theme_dir: Option<PathBuf>,
    pub no_color: bool,
    pub settings: Settings,
    pub vault_path: PathBuf,
    pub backup_path: PathBuf,
    pub today: Date,
    pub now: Instant,
    pub last_activity: Instant,
    pub message: Option<Message>,
    pub copy: Option<CopyStatus>,
    pub busy: Option<Busy>,
    /// Signing in with stored passwords, in the background.
    pub verification: super::verify::Verification,
    pub size: (u16, u16),
    pub quit: bool,
    /// The table's rows as last drawn (see [`Layout`]).
    pub table_rows: Rect,
    /// Where new entry ids come from (random in the app, counted in tests); a
    /// failing random source is an error the user reads, never a panic.
    pub new_id: fn() -> crate::error::Result<EntryId>,
    /// Where a new recovery key comes from (random in the app, fixed in snapshots);
    /// a failing random source is said, never a panic.
    pub new_recovery_key: fn() -> crate::error::Result<crate::vault_file::RecoveryIdentity>,
}

impl State {
    /// The open vault's session; `None` while locked.
    pub fn session(&self) -> Option<&Session> {
        match &self.screen {
            Screen::Open(session, _) => Some(session),
            _ => None,
        }
    }

    pub fn session_mut(&mut self) -> Option<&mut Session> {
        match &mut self.screen {
            Screen::Open(session, _) => Some(session),
            _ => None,
        }
    }

    /// Shows the open vault as `view`; nothing while locked.
    pub fn show(&mut self, view: View) {
        if let Screen::Open(_, shown) = &mut self.screen {
            *shown = view;
        }
    }

    /// Which keymap table applies now.
    pub fn mode(&self) -> Mode {
        match self.dialogs.top() {
            Some(Overlay::Help(_)) => return Mode::Help,
            Some(o) if o.form().is_some() => return Mode::Form,
            Some(_) => return Mode::Dialog,
            None => {}
        }
        match &self.screen {
            Screen::Welcome(_) | Screen::Unlock(_) | Screen::CannotOpen(_) => Mode::Unlock,
            Screen::Open(_, View::Overview) => Mode::Overview,
            Screen::Open(_, View::Main) if self.session().is_some_and(|s| s.table.searching) => Mode::Search,
            Screen::Open(_, View::Main) => Mode::Main,
        }
    }

    /// After any change to the session's vault: attention, search text and rows
    /// again.
    pub fn refresh(&mut self) {
        let (today, policy) = (self.today, self.settings.policy);
        if let Some(s) = self.session_mut() {
            s.vault_changed(today, policy);
        }
    }

    pub fn say(&mut self, tone: Tone, text: impl Into<String>) {
        let until = match tone {
            Tone::Error => None,
            _ => Some(self.now + Duration::from_secs(6)),
        };
        self.message = Some(Message {
            text: text.into(),
            tone,
            until,
        });
    }
}
