//! What to do about an error, in the TUI's terms. The errors' own hints are written
//! for the command line (`aspen revoke LABEL`, `--any-format`, "run the command
//! again"); where one names a command or a flag, the TUI says which key does it, or
//! what to do on screen, instead.

use crate::error::Error;
use crate::model::{ModelError, PasswordError};
use crate::tui::action::Action;
use crate::tui::keymap::{Keymap, Mode};

/// The error and what to do about it, as one line for the status bar or a form.
pub fn describe(e: &Error, keys: &Keymap) -> String {
    match hint(e, keys) {
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

pub fn hint(e: &Error, keys: &Keymap) -> Option<String> {
    let lock = key(keys, Action::Lock, "lock");
    Some(match e {
        Error::Model(m) => return model_hint(m, keys),
        // The change stays on screen but not on disk; only a fresh unlock reads the
        // other program's version.
        Error::ChangedOutside { .. } => format!(
            "another program (a sync tool?) replaced the file, so this change was not saved: \
             {lock} and unlock to load the new version, then make the change again"
        ),
        Error::DiskFull { .. } => "free some space, then make the change again".to_owned(),
        Error::ReadOnly { .. } => {
            "remount it read-write; until then the vault can be read but not changed".to_owned()
        }
        _ => return e.hint(),
    })
}

fn model_hint(e: &ModelError, keys: &Keymap) -> Option<String> {
    Some(match e {
        // The TUI has no way to store a password of another shape; the CLI has.
        ModelError::Password(PasswordError::Shape) => "copy the password exactly as Apple showed \
            it, four groups of four letters (`aspen add --any-format` stores another kind)"
            .to_owned(),
        ModelError::SlotsFull { candidates, .. } => {
            let list: Vec<String> = candidates
                .iter()
                .map(|(label, created)| format!("\"{label}\" ({created})"))
                .collect();
            format!(
                "revoke one at account.apple.com, then select it here and {}; oldest first: {}",
                key(keys, Action::Revoke, "revoke"),
                list.join(", ")
            )
        }
        ModelError::DuplicateLabel { .. } => format!(
            "labels are how Apple's list names each password; choose another label, or \
             select the existing entry and {}",
            key(keys, Action::Regenerate, "regenerate")
        ),
        ModelError::AlreadyRevoked { .. } => format!(
            "{} stores a new password for it",
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

/// "press K to WORD", or just WORD when no key is bound to the action.
pub fn key(keys: &Keymap, action: Action, word: &str) -> String {
    match keys.key_for(Mode::Main, action) {
        Some(k) => format!("press {k} to {word}"),
        None => word.to_owned(),
    }
}
