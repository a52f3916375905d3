//! What to do about an error, in the TUI's terms: the core's [`Remedy`] worded with
//! the keys the user's keymap binds and what to do on screen. A command line is named
//! only for what the TUI cannot do itself (merging a file: `aspen merge FILE`, a
//! costlier key derivation confirmed with `aspen list`), and then as a command to run
//! after quitting, with paths quoted for a shell.

use crate::clipboard::ClipboardError;
use crate::error::Error;
use crate::model::ModelError;
use crate::remedy::{Remedy, oldest_first};
use crate::text::quoted_path;
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
    // A refusal may end in a question of its own ("Is Caps Lock on?").
    let said = e.to_string();
    let stop = if said.ends_with('?') { "" } else { "." };
    match model_hint(e, keys) {
        Some(h) => format!("{said}{stop} {}", sentence(&h)),
        None => format!("{said}{stop}"),
    }
}

/// Apple's 25 (or another refusal) in a form, worded with the keys that work from
/// there: `x` in a form types an x. The add form waits as typed while saving again
/// opens the list to choose the revoked one from (`picker`); another form must be
/// closed first, and the overview (`overview`) left, to select it in the list.
pub fn full_in_form(e: &ModelError, keys: &Keymap, picker: bool, overview: bool) -> String {
    let ModelError::SlotsFull { candidates, .. } = e else {
        return describe_model(e, keys);
    };
    if picker {
        let again = match keys.key_for(Mode::Form, Action::Confirm) {
            Some(k) => format!("press {k} to choose it from the list"),
            None => "save again to choose it from the list".to_owned(),
        };
        return format!("{e}. Revoke one at account.apple.com, then {again}, oldest first.");
    }
    let close = match (keys.key_for(Mode::Form, Action::Back), overview) {
        (_, true) => "close this form and the overview".to_owned(),
        (Some(k), false) => format!("close this form ({k})"),
        (None, false) => "close this form".to_owned(),
    };
    format!(
        "{e}. Revoke one at account.apple.com, then {close}, select it and {}; oldest first: {}",
        key(keys, Action::Revoke, "revoke"),
        oldest_first(candidates)
    )
}

/// A hint as a sentence of its own: hints start in lower case to follow a dash.
fn sentence(hint: &str) -> String {
    let mut chars = hint.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// What to do about `e` in the TUI; the runner has already put what is on disk back
/// on screen after a failed save, or locked when it could not read it.
pub fn hint(e: &Error, keys: &Keymap, locked: bool) -> Option<String> {
    let remedy = e.remedy()?;
    Some(match remedy {
        Remedy::WorkOnNewVersion if locked => "another program (a sync tool?) replaced the \
            file, and aspen could not read the new one back, so it locked: unlock to see it"
            .to_owned(),
        Remedy::WorkOnNewVersion => "another program (a sync tool?) replaced the file; the \
            screen now shows that version: make the change again if it is still needed"
            .to_owned(),
        Remedy::FreeSpace => "free some space, then make the change again".to_owned(),
        Remedy::MergeNewerOrAcceptOlder => "if a newer copy exists, quit and merge it in with \
            `aspen merge FILE`"
            .to_owned(),
        Remedy::ConfirmCostOrRestore => "if the cost was raised on purpose, quit and confirm it \
            with `aspen list`; if not, restore the vault from a backup"
            .to_owned(),
        Remedy::RemountReadWrite => {
            "remount it read-write; until then the vault can be read but not changed".to_owned()
        }
        Remedy::CreateVault => "it was moved or deleted since aspen started: put it \
            back, or quit and start aspen again to create a new one"
            .to_owned(),
        Remedy::RestoreBackup { backup, vault } => format!(
            "put the last saved version back (in another terminal: cp -p {} {}), then {}",
            quoted_path(&backup),
            quoted_path(&vault),
            match keys.hint(Mode::Unlock, Action::Confirm, 1) {
                Some(k) => format!("press {k} here to try again"),
                None => "try again here".to_owned(),
            }
        ),
        Remedy::AllowWrites { vault } => format!(
            "the vault can be read but not changed; to allow changes, quit and run chmod u+w {}",
            quoted_path(&vault)
        ),
        Remedy::RemovePlantedLock { lock } => format!(
            "someone who can write the vault's folder may have planted it: check it, remove it \
             (rm {}) and keep the vault in a folder only you can write",
            quoted_path(&lock)
        ),
        Remedy::PointAtTheFile | Remedy::CheckVaultPath | Remedy::ChooseAnotherPath => {
            "quit and start aspen with the path of your vault file (--vault PATH)".to_owned()
        }
        other => return model_words(&other, keys).or_else(|| other.plain()),
    })
}

/// A refusal of the vault's rules and what to do about it in the TUI.
fn model_hint(e: &ModelError, keys: &Keymap) -> Option<String> {
    let remedy = e.remedy()?;
    model_words(&remedy, keys).or_else(|| remedy.plain())
}

/// The TUI's words for the remedies of the vault's rules that name a command or a
/// flag on the command line.
fn model_words(remedy: &Remedy, keys: &Keymap) -> Option<String> {
    Some(match remedy {
        // The TUI cannot store a password of another shape, so no flag is offered.
        Remedy::PasteAppleShape => {
            "copy the password exactly as Apple showed it: four groups of four letters".to_owned()
        }
        Remedy::RevokeOneOf { candidates } => format!(
            "revoke one at account.apple.com, then select it here and {}; oldest first: {}",
            key(keys, Action::Revoke, "revoke"),
            oldest_first(candidates)
        ),
        Remedy::OtherLabelOrRegenerate => format!(
            "labels are how Apple's list names each password; choose another label, or \
             select the existing entry and {}",
            key(keys, Action::Regenerate, "regenerate")
        ),
        Remedy::RegenerateEntry => format!(
            "to store a new password for it, select it and {}",
            key(keys, Action::Regenerate, "regenerate")
        ),
        Remedy::StoreNewPassword => format!(
            "Apple shows a password only once: generate a new one at account.apple.com, select \
             the entry and {}",
            key(keys, Action::Regenerate, "regenerate")
        ),
        Remedy::JoinHolder { holder, .. } => format!(
            "join the apps to it instead: select \"{}\" and {} its apps",
            crate::text::escape_control(holder),
            key(keys, Action::Edit, "edit")
        ),
        Remedy::FoldInto(fold) => format!(
            "give \"{}\" this entry's apps too ({} them there), then delete \"{}\"",
            crate::text::escape_control(&fold.holder),
            key(keys, Action::Edit, "edit"),
            crate::text::escape_control(&fold.label)
        ),
        Remedy::NameAnApp => "name at least one app under Apps, e.g. Thunderbird".to_owned(),
        Remedy::TeamIdAsApple => "copy it from developer.apple.com → Account → Membership details: \
            10 letters and digits"
            .to_owned(),
        Remedy::GiveTeamId => "type it under Team id, 10 letters and digits (developer.apple.com → \
            Account → Membership details shows it)"
            .to_owned(),
        Remedy::TeamIdOnlyForNotarization => {
            "choose a Used for that includes notarization, or leave the team id out".to_owned()
        }
        Remedy::ListLabels => "the list shows every label".to_owned(),
        Remedy::ListStatuses => "the list shows each entry's status".to_owned(),
        Remedy::ReloadList => "it was deleted meanwhile".to_owned(),
        Remedy::AddFirstEntry => format!("the vault is empty; {}", key(keys, Action::Add, "add")),
        Remedy::RenameHolderFirst { holder, .. } => format!(
            "select \"{}\" and {} to give it another label first, or keep this vault's label",
            crate::text::escape_control(holder),
            key(keys, Action::Edit, "edit")
        ),
        Remedy::GiveIcloudMail => "give the address iCloud Mail uses for this Apple ID, which ends \
            in @icloud.com, @me.com or @mac.com; an empty field removes one recorded"
            .to_owned(),
        _ => return None,
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
        ClipboardError::TmuxDrops { .. } => format!(
            "add `set -g set-clipboard on` to ~/.tmux.conf and run `tmux source-file \
             ~/.tmux.conf`, or {reveal} the password and type it in"
        ),
        _ => format!(
            "set clipboard: \"osc52\" in the config to copy through the terminal instead, or \
             {reveal} the password and type it in"
        ),
    };
    format!("{e}. {hint}")
}

/// "press K to WORD" with the main screen's key, or just WORD when no key is bound
/// to the action.
pub fn key(keys: &Keymap, action: Action, word: &str) -> String {
    key_in(keys, Mode::Main, action, word)
}

/// "press K to WORD" with the key `mode` binds, or just WORD when it binds none.
pub fn key_in(keys: &Keymap, mode: Mode, action: Action, word: &str) -> String {
    match keys.key_for(mode, action) {
        Some(k) => format!("press {k} to {word}"),
        None => word.to_owned(),
    }
}
