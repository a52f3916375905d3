//! Everything a key can do in the TUI. Keymaps (the built-in one and the config's
//! overrides) deserialize into [`Action`]; nothing after loading deals in command
//! strings. It lives outside `tui` so the config can hold typed overrides without
//! knowing the terminal library.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Action {
    Up,
    Down,
    Top,
    Bottom,
    /// The next entry shown that needs attention, wrapping around.
    NextAttention,
    PrevAttention,
    PageUp,
    PageDown,
    /// Enter: details, confirm, submit.
    Confirm,
    /// Esc: close, cancel, clear.
    Back,
    Quit,
    Help,
    Search,
    Overview,
    Copy,
    Reveal,
    Add,
    Edit,
    Delete,
    Revoke,
    RevokeAll,
    Reset,
    Regenerate,
    Lock,
    ChangePassphrase,
    CycleSort,
    CycleFilter,
    Themes,
    NextField,
    PrevField,
    /// Left/Right in a choice field.
    ChoicePrev,
    ChoiceNext,
    /// Walks back the last change made in this session.
    Undo,
    /// In the post-reset checklist: no app needs the selected entry any more.
    Retire,
    /// The servers, ports and user name an app needs besides the password.
    SetupCard,
    /// The add form's label, to paste into Apple's page.
    CopyLabel,
    RenameAppleId,
    ForgetAppleId,
    /// Withdraws a reset or Revoke All recorded by mistake.
    Withdraw,
    /// Gives the selected Apple ID a name of the user's ("me", "family").
    NameAppleId,
    /// Records the selected Apple ID's iCloud Mail address (when it is not one).
    MailAppleId,
    /// Compares the selected Apple ID's entries with Apple's page.
    Audit,
    /// Decides what a merge left open on the selected entry.
    ResolveConflict,
    /// Signs in with the selected entry's password (the overview: with every one of
    /// the selected Apple ID) to see whether Apple still accepts it.
    Verify,
    /// Shows the whole of a message too long for the screen's status line.
    ReadMessage,
    /// Brings in the app-specific passwords of another password manager's export,
    /// previewed first.
    Import,
    /// Makes a recovery key, shown once, that opens the vault without the passphrase.
    RecoveryKey,
    /// Writes the entries (or the encrypted vault) to a new file.
    Export,
}

impl Action {
    /// What the key does, for the generated help screen.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Up => "move up",
            Self::Down => "move down",
            Self::Top => "go to the first entry",
            Self::Bottom => "go to the last entry",
            Self::NextAttention => "go to the next entry needing attention",
            Self::PrevAttention => "go to the previous entry needing attention",
            Self::PageUp => "half a page up",
            Self::PageDown => "half a page down",
            Self::Confirm => "confirm / open",
            Self::Back => "back / cancel / clear the search",
            Self::Quit => "quit (a copied password stays until it clears)",
            Self::Help => "this help",
            Self::Search => "search label, apps, Apple ID and notes",
            Self::Overview => "overview: slots, ages and resets",
            Self::Copy => "copy the password (clears itself)",
            Self::Reveal => "show the password for a few seconds",
            Self::Add => "add an app-specific password",
            Self::Edit => "edit the entry",
            Self::Delete => "delete the entry",
            Self::Revoke => "record a revocation at Apple",
            Self::RevokeAll => "record Revoke All for the Apple ID",
            Self::Reset => "record an Apple ID password reset",
            Self::Regenerate => "store a regenerated password (guided)",
            Self::Lock => "lock the vault now",
            Self::ChangePassphrase => "change the vault passphrase",
            Self::CycleSort => "sort by status (attention first) / label / created / Apple ID",
            Self::CycleFilter => "show all / active / needs attention / revoked",
            Self::Themes => "choose a theme (live preview)",
            Self::NextField => "next field",
            Self::PrevField => "previous field",
            Self::ChoicePrev => "previous choice",
            Self::ChoiceNext => "next choice",
            Self::Undo => "undo the last change of this session (again for the one before)",
            Self::Retire => "retire the selected entry: no app needs it any more",
            Self::SetupCard => "setup card: servers, ports and user names to copy",
            Self::CopyLabel => "copy the label, to paste at Apple",
            Self::RenameAppleId => "rename the selected Apple ID (fix a typo)",
            Self::ForgetAppleId => "forget the selected Apple ID (once no entry uses it)",
            Self::Withdraw => "withdraw a reset or Revoke All recorded by mistake",
            Self::NameAppleId => "name the selected Apple ID (\"me\", \"family\"), or clear its name",
            Self::MailAppleId => "record the selected Apple ID's iCloud Mail address (when it is not one)",
            Self::Audit => "check the selected Apple ID against Apple's page (audit)",
            Self::ResolveConflict => "settle a conflict a merge left: keep this machine's or the other's",
            Self::Verify => "verify: sign in to iCloud with the password(s)",
            Self::ReadMessage => "read the whole of a message cut short below",
            Self::Import => "import another password manager's export (previewed first)",
            Self::RecoveryKey => "make a recovery key (it opens the vault without the passphrase)",
            Self::Export => "export the entries (CSV, JSON) or the encrypted vault (age) to a file",
        }
    }
}
