//! What reaches `update`: terminal events, ticks, and the results of effects; and
//! what `update` asks the runner to do.

use crossterm::event::{KeyEvent, MouseEvent};

use super::runner::CopyOutcome;
use crate::error::Error;
use crate::model::EntryId;
use crate::secret::SecretString;
use crate::storage::{Fingerprint, Loaded};
use crate::vault_file::VaultKey;

pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// Time passed: countdowns, idle lock, progress.
    Tick,
    /// The vault was unlocked or created (or why not), with what others could do to
    /// its files (each a line naming the file and the `chmod` that fixes it).
    Opened {
        result: Result<Loaded, Error>,
        warnings: Vec<String>,
    },
    /// What stands at the vault path, checked again at the user's request.
    Checked(VaultCheck),
    /// A save finished. On failure the runner has already put the vault on disk back
    /// into the session (or locked it), so what is shown is what is stored.
    Saved {
        result: Result<Fingerprint, Error>,
        done: String,
    },
    /// Where the password went (or why it could not be copied).
    Copied {
        label: String,
        result: Result<CopyOutcome, String>,
    },
    /// The key for a new passphrase was derived (in the background).
    NewKey(Result<VaultKey, Error>),
    PassphraseChanged(Result<(), Error>),
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

/// I/O that `update` asks for; the runner does it and answers with a [`Msg`].
pub enum Effect {
    None,
    Quit,
    /// Look again at what stands at the vault path.
    CheckVault,
    Unlock(SecretString),
    Create(SecretString),
    /// Save the session's vault; `done` is said on success.
    Save(String),
    Copy(EntryId),
    ClearClipboard,
    /// Derive a key for a new passphrase (same cost, new salt).
    ChangePassphrase(SecretString),
    /// Save the vault under this key, replacing the passphrase.
    Rekey(VaultKey),
}
