//! What reaches `update`: terminal events, ticks, and the results of effects; and
//! what `update` asks the runner to do.

use std::time::Instant;

use crossterm::event::{KeyEvent, MouseEvent};

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
    /// The vault was unlocked or created (or why not).
    Opened(Result<Loaded, Error>),
    /// A save finished. On failure the runner has already put the vault on disk back
    /// into the session (or locked it), so what is shown is what is stored.
    Saved {
        result: Result<Fingerprint, Error>,
        done: String,
    },
    /// The password is on the clipboard until the deadline (`None`: until replaced).
    Copied {
        label: String,
        result: Result<Option<Instant>, String>,
    },
    /// The key for a new passphrase was derived (in the background).
    NewKey(Result<VaultKey, Error>),
    PassphraseChanged(Result<(), Error>),
}

/// I/O that `update` asks for; the runner does it and answers with a [`Msg`].
pub enum Effect {
    None,
    Quit,
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
