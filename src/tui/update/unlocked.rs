//! What opening the vault came to: the first screen for what stands at the vault
//! path, the session once unlocked, and the notices that go with it (files others
//! can change, conflict copies, an older copy). Part of `update`: no I/O here.

use crate::error::Error;
use crate::storage::{ConflictCopy, Loaded, PermissionWarning};
use crate::tui::action::Action;
use crate::tui::dialogs::{Notice, Overlay};
use crate::tui::msg::{Effect, VaultCheck};
use crate::tui::state::{Screen, Session, State, Tone, Unlock, View, Welcome};

/// "Syncthing left a conflicting copy of the vault: PATH. To bring its changes in,
/// run aspen merge PATH in a terminal." Named beside the vault path the screen shows: the copy
/// lies in the vault's folder.
pub(super) fn copy_line(state: &State, copy: &ConflictCopy) -> String {
    let path = match copy.path.file_name() {
        Some(name) => state.vault_path.with_file_name(name),
        None => copy.path.clone(),
    };
    format!(
        "{} left a conflicting copy of the vault: {}. To bring its changes in, run aspen merge {} \
         in a terminal.",
        copy.tool.name(),
        path.display(),
        crate::text::quoted_path(&path)
    )
}

/// The first screen for what stands at the vault path.
pub fn apply_check(state: &mut State, check: VaultCheck) {
    state.screen = match check {
        VaultCheck::Vault => Screen::Unlock(Unlock::default()),
        VaultCheck::Free => Screen::Welcome(Welcome::new(state.settings.insecure_kdf)),
        VaultCheck::Refused(e) => Screen::CannotOpen(crate::tui::hints::describe(&e, &state.keymap, true)),
    };
}

/// An older copy than one this machine saw: said in a notice of its own, after
/// unlocking, with what brings the newer version's changes back.
pub(super) fn warn_older(state: &mut State, older: crate::app::Older) {
    let lines = vec![
        format!(
            "This vault is at save {}, but this machine has seen save {} of it: an old backup or \
             a stale sync copy may have replaced it.",
            older.found, older.seen
        ),
        "If a newer copy exists (a conflict copy, a .bak.N, another machine's vault), quit and \
         merge it in with `aspen merge FILE`: nothing in either is lost. What you change here \
         is saved over this older copy."
            .to_owned(),
    ];
    // Beside what else the unlock had to say (permissions, conflict copies).
    match state.dialogs.top_mut() {
        Some(Overlay::Notice(notice)) => {
            notice.title = format!("An older copy of your vault; {}", notice.title.to_lowercase());
            notice.lines.extend(lines);
        }
        _ => state.dialogs.push(Overlay::Notice(Notice {
            title: "An older copy of your vault".to_owned(),
            lines,
        })),
    }
}

pub(super) fn opened(
    state: &mut State,
    result: Result<Loaded, Error>,
    warnings: &[PermissionWarning],
    copies: &[ConflictCopy],
) -> Effect {
    state.busy = None;
    // Each warning names the file and the `chmod` that fixes it; each copy the
    // command that merges it in.
    let mut lines: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    lines.extend(copies.iter().map(|c| copy_line(state, c)));
    if !lines.is_empty() {
        let title = match (warnings.is_empty(), copies.is_empty()) {
            (false, true) => "Others can change your vault",
            (true, false) => "Conflict copies beside your vault",
            _ => "Others can change your vault; conflict copies beside it",
        };
        state.dialogs.push(Overlay::Notice(Notice {
            title: title.to_owned(),
            lines,
        }));
    }
    match result {
        Ok(loaded) => {
            let created = matches!(state.screen, Screen::Welcome(_));
            let session = Session::new(loaded, state.today, state.settings.policy);
            state.screen = Screen::Open(Box::new(session), View::Main);
            state.last_activity = state.now;
            if created {
                let add = crate::tui::hints::key(
                    &state.keymap,
                    Action::Add,
                    "add your first app-specific password",
                );
                state.say(Tone::Good, format!("Vault created: {add}."));
            } else {
                // What the lock screen said ("Locked after …") is done with.
                state.message = None;
            }
        }
        // A backup appeared since the welcome screen offered a new vault: say so
        // there instead of offering it again.
        Err(e @ Error::BackupWithoutVault { .. }) => apply_check(state, VaultCheck::Refused(e)),
        Err(e) => {
            let text = match &e {
                Error::WrongPassphrase { .. } => "Wrong passphrase. Try again.".to_owned(),
                // Said once; the next unlock with the passphrase is the consent.
                Error::CostlierKdf { detail, .. } => {
                    if let Screen::Unlock(u) = &mut state.screen {
                        u.costlier_confirmed = true;
                    }
                    format!(
                        "Warning: {detail}. A damaged or swapped header can do this: if you did \
                         not raise the cost, restore the vault from a backup. To unlock anyway, \
                         type the passphrase again."
                    )
                }
                Error::Damaged { detail, backup, .. } => match backup {
                    Some(b) => format!(
                        "The vault is damaged ({detail}). The previous version is kept at {}.",
                        b.display()
                    ),
                    None => format!("The vault is damaged ({detail})."),
                },
                other => crate::tui::hints::describe(other, &state.keymap, true),
            };
            match &mut state.screen {
                Screen::Unlock(u) => {
                    u.failures += 1;
                    u.error = Some(text);
                }
                Screen::Welcome(w) => w.error = Some(text),
                _ => state.say(Tone::Error, text),
            }
        }
    }
    Effect::None
}
