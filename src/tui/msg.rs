//! What reaches `update`: terminal events, ticks, and the results of effects as
//! facts; and what `update` asks the runner to do.

use std::time::Instant;

use crossterm::event::{KeyEvent, MouseEvent};

use super::state::Layout;
use crate::app::{Arrived, FileStat, SaveFailed, Saved};
use crate::clipboard::{ClipboardError, Tmux};
use crate::error::Error;
use crate::model::EntryId;
use crate::secret::SecretString;
use crate::storage::{ConflictCopy, Fingerprint, Loaded, PermissionWarning};
use crate::vault_file::VaultKey;

pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// Time passed: countdowns, idle lock, progress.
    Tick,
    /// Where the last frame drew what clicks and paging need.
    Layout(Layout),
    /// The vault was unlocked or created (or why not), with what others could do to
    /// its files.
    Opened {
        result: Result<Loaded, Error>,
        warnings: Vec<PermissionWarning>,
        /// Copies a sync tool left beside the vault, to merge in.
        copies: Vec<ConflictCopy>,
        /// This machine saw a newer version of this vault.
        older: Option<crate::app::Older>,
    },
    /// What stands at the vault path, checked again at the user's request.
    Checked(VaultCheck),
    /// A save of the session's vault finished: the file's new fingerprint, or why
    /// not and what the file holds now (none: it could not be read back).
    Saved {
        done: Done,
        result: Result<Saved, SaveFailed>,
    },
    /// Where a value that is no secret went (a server name, a label).
    CopiedValue {
        what: String,
        result: Result<CopyOutcome, ClipboardError>,
    },
    /// Where the password went (or why it could not be copied).
    Copied {
        label: String,
        result: Result<CopyOutcome, ClipboardError>,
    },
    /// The vault file's stat, taken on a tick: when it is not the one the session
    /// last took in, the file is read again.
    Polled(FileStat),
    /// The vault file was read again after its stat changed (taken before the read,
    /// so a save after it is noticed at the next poll): another program's save to
    /// show, none (the session's own save, or only touched), or why it cannot be.
    Followed {
        stat: FileStat,
        result: Result<Option<Arrived>, Error>,
    },
    /// The key for a new passphrase was derived (in the background).
    NewKey(Result<VaultKey, Error>),
    /// The vault was saved under the new passphrase's key, which the session now
    /// uses, with the file's new fingerprint; or why not.
    PassphraseChanged(Result<(VaultKey, Fingerprint), Error>),
    /// A verification run moved on (from its thread).
    Verifying {
        run: u64,
        step: super::verify::Step,
    },
    /// A verification run ended: what each entry came to.
    VerifyEnded {
        run: u64,
        items: Vec<crate::app::verify::Item>,
    },
    /// The export an import form named was read: what it holds, or why it was
    /// refused.
    ImportRead {
        request: super::dialogs::ImportRequest,
        result: Result<crate::import::Scan, Error>,
    },
    /// An export was written and is durable, or why not (nothing was written then).
    Exported {
        request: crate::app::export::Request,
        result: Result<crate::app::export::Exported, Error>,
    },
}

/// What stands at the vault path, checked before any passphrase is asked for.
pub enum VaultCheck {
    /// An aspen vault of a version this aspen reads: ask for its passphrase.
    Vault,
    /// Nothing, and no backup a new vault would put at risk: offer to create one.
    Free,
    /// Something aspen must not open or create over, and why.
    Refused(Error),
}

/// Where a copy went, as the user is told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CopyOutcome {
    /// On the display's clipboard until this deadline (`None`: until replaced).
    Clipboard(Option<Instant>),
    /// Sent to the terminal as OSC 52; it stays until replaced. `tmux` says what the
    /// tmux in between does with it ([`Tmux::Outside`] when there is none).
    Terminal { tmux: Tmux },
    /// Not copied: the tmux in between drops OSC 52 from programs; its
    /// `set-clipboard` is this.
    TmuxDrops(String),
}

/// What a save stores, said to the user once it is stored: a change to the
/// session's vault (the model's own account of it), or an undo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Done {
    Change(crate::model::Done),
    /// The vault went back to before the change `what`.
    Undid {
        what: String,
    },
    /// A verification's answers (the model's account of recording them), with
    /// what the whole run came to.
    Verified {
        done: crate::model::Done,
        summary: super::verify::Summary,
    },
}

/// I/O that `update` asks for; the runner does it and answers with a [`Msg`].
pub enum Effect {
    None,
    /// Look again at what stands at the vault path.
    CheckVault,
    /// With consent to a far costlier key derivation than seen here.
    Unlock(SecretString, bool),
    Create(SecretString),
    /// Save the session's vault; `Done` is said once it is stored.
    Save(Done),
    Copy(EntryId),
    /// Copy a value that is no secret; it stays until replaced.
    CopyValue {
        what: String,
        value: String,
    },
    ClearClipboard,
    /// Take the vault file's stat, to notice another program's save.
    Poll,
    /// Read the vault file again; its stat is now this.
    Follow(FileStat),
    /// Derive a key for a new passphrase (same cost, new salt).
    ChangePassphrase(SecretString),
    /// Save the vault under this key, replacing the passphrase.
    Rekey(VaultKey),
    /// Sign in with these passwords on a thread of their own, reporting progress.
    Verify(Box<super::verify::Job>),
    /// Read an export to import (only read: nothing is written).
    ReadImport(super::dialogs::ImportRequest),
    /// Write an export of the session's vault to a new file.
    Export(crate::app::export::Request),
}
