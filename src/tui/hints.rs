//! What to do about an error, in the TUI's terms. The errors' own hints are written
//! for the command line (`aspen revoke LABEL`, `--any-format`, "run the command
//! again"); where one names a command or a flag, the TUI says which key does it, or
//! what to do on screen, instead.

use crate::clipboard::ClipboardError;
use crate::error::Error;
use crate::model::{ModelError, PasswordError};
use crate::tui::action::Action;
use crate::tui::keymap::{Keymap, Mode};

/// The error and what to do about it, as one line for the status bar or a form.
/// `locked` says whether the TUI is locked now: a failed save that could not read
/// the file back locks it.
pub fn describe(e: &Error, keys: &Keymap, locked: bool) -> String {
    match hint(e, keys, locked) {
        Some(h) => format!("{e} — {h}"),
        None => e.to_string(),
    }
}

/// A refusal of the vault's rules and what to do about it, for a form or the status
/// bar.
pub fn describe_model(e: &ModelError, keys: &Keymap) -> String {
    match model_hint(e, keys) {
        Some(h) => format!("{e}. {h}"),
        None => format!("{e}."),
    }
}

/// What to do about `e` in the TUI; the runner has already put what is on disk back
/// on screen after a failed save, or locked when it could not read it.
pub fn hint(e: &Error, keys: &Keymap, locked: bool) -> Option<String> {
    Some(match e {
        Error::Model(m) => return model_hint(m, keys),
        Error::ChangedOutside { .. } if locked => "another program (a sync tool?) replaced the \
            file, and aspen could not read the new one back, so it locked: unlock to see it"
            .to_owned(),
        Error::ChangedOutside { .. } => "another program (a sync tool?) replaced the file; the \
            screen now shows that version: make the change again if it is still needed"
            .to_owned(),
        Error::DiskFull { .. } => "free some space, then make the change again".to_owned(),
        Error::ReadOnly { .. } => {
            "remount it read-write; until then the vault can be read but not changed".to_owned()
        }
        Error::VaultMissing { .. } => "it was moved or deleted since aspen started: put it \
            back, or quit and start aspen again to create a new one"
            .to_owned(),
        _ => return e.hint(),
    })
}

fn model_hint(e: &ModelError, keys: &Keymap) -> Option<String> {
    Some(match e {
        // The TUI cannot store a password of another shape, so no flag is offered.
        ModelError::Password(PasswordError::Shape) => {
            "copy the password exactly as Apple showed it: four groups of four letters".to_owned()
        }
        ModelError::SlotsFull { candidates, .. } => format!(
            "revoke one at account.apple.com, then select it here and {}; oldest first: {}",
            key(keys, Action::Revoke, "revoke"),
            crate::model::oldest_first(candidates)
        ),
        ModelError::DuplicateLabel { .. } => format!(
            "labels are how Apple's list names each password; choose another label, or \
             select the existing entry and {}",
            key(keys, Action::Regenerate, "regenerate")
        ),
        ModelError::AlreadyRevoked { .. } => format!(
            "to store a new password for it, select it and {}",
            key(keys, Action::Regenerate, "regenerate")
        ),
        ModelError::NoApps => "name at least one app under Apps, e.g. Thunderbird".to_owned(),
        ModelError::LabelNotFound { similar, .. } if similar.is_empty() => {
            "the list shows every label".to_owned()
        }
        ModelError::NothingActive { .. } => "the list shows each entry's status".to_owned(),
        _ => return e.hint(),
    })
}

/// A clipboard failure and what to do instead, in the TUI's terms: the CLI's hint
/// names `--osc52` and `aspen reveal`.
pub fn clipboard(e: &ClipboardError, keys: &Keymap) -> String {
    let reveal = key(keys, Action::Reveal, "reveal");
    let hint = match e {
        ClipboardError::ClearFailed { .. } => {
            "copy something else to overwrite it, or restart the session's clipboard".to_owned()
        }
        ClipboardError::NoTerminal | ClipboardError::Terminal { .. } => {
            format!("{reveal} the password and type it in")
        }
        _ => format!(
            "set clipboard: \"osc52\" in the config to copy through the terminal instead, or \
             {reveal} the password and type it in"
        ),
    };
    format!("{e}. {hint}")
}

/// "press K to WORD", or just WORD when no key is bound to the action.
pub fn key(keys: &Keymap, action: Action, word: &str) -> String {
    match keys.key_for(Mode::Main, action) {
        Some(k) => format!("press {k} to {word}"),
        None => word.to_owned(),
    }
}
