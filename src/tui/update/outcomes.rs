//! What the runner's work came to (the vault opened or not, a save, a copy, a new
//! key), told to the user where they are looking. Part of `update`: no I/O here.

use crate::app::{SaveFailed, Saved};
use crate::clipboard::{ClipboardError, Tmux};
use crate::error::Error;
use crate::storage::{ConflictCopy, Loaded, PermissionWarning};
use crate::text::escape_control;
use crate::tui::action::Action;
use crate::tui::dialogs::{Notice, Overlay};

use crate::tui::msg::{CopyOutcome, Done, Effect, Msg, VaultCheck};
use crate::tui::state::{CopyStatus, Screen, Session, State, Tone, Unlock, Welcome};

pub(super) fn handle(state: &mut State, msg: Msg) -> Effect {
    match msg {
        Msg::Opened {
            result,
            warnings,
            copies,
            older,
        } => {
            let effect = opened(state, result, &warnings, &copies);
            if let Some(older) = older {
                warn_older(state, older);
            }
            effect
        }
        Msg::Checked(check) => {
            apply_check(state, check);
            Effect::None
        }
        Msg::Saved { done, result } => saved(state, &done, result),
        Msg::Copied { label, result } => {
            copied(state, label, result);
            echo_copy(state);
            Effect::None
        }
        Msg::CopiedValue { what, result } => {
            copied_value(state, &what, result);
            echo_copy(state);
            Effect::None
        }
        Msg::NewKey(result) => match result {
            Ok(key) if state.session.is_some() => Effect::Rekey(key),
            Ok(_) => Effect::None,
            Err(e) => {
                state.busy = None;
                say_error(state, &e);
                Effect::None
            }
        },
        Msg::PassphraseChanged(result) => {
            state.busy = None;
            match result {
                Ok((key, fingerprint)) => {
                    if let Some(s) = &mut state.session {
                        s.loaded.key = key;
                        s.loaded.fingerprint = fingerprint;
                    }
                    state.dialogs.close_all();
                    state.say(
                        Tone::Good,
                        "Passphrase changed. The .bak backup still opens with the old one.",
                    );
                }
                Err(e) => say_error(state, &e),
            }
            Effect::None
        }
        // Input and ticks are update's.
        _ => Effect::None,
    }
}

/// Takes in what a save came to. On failure the screen shows what is on disk, or
/// locks when that could not be read back: never a change that was not stored.
fn saved(state: &mut State, done: &Done, result: Result<Saved, SaveFailed>) -> Effect {
    let effect = match result {
        Ok(saved) => {
            if let Some(s) = &mut state.session {
                s.loaded.vault = saved.vault;
                s.loaded.fingerprint = saved.fingerprint;
                s.undo.saved();
            }
            let mut text = match done {
                Done::Change(done) => super::done::said(done, &state.keymap),
                Done::Undid { what } => format!("Undid: {what}."),
            };
            let mut tone = Tone::Good;
            if let Some(report) = saved.merged {
                // Another machine's save arrived while this one was open: say what
                // came in, so nothing changes on screen unexplained.
                text.push_str(&format!(
                    " Merged with a change saved elsewhere: {}.",
                    escape_control(&report.summary())
                ));
                if !report.conflicts.is_empty() {
                    tone = Tone::Warning;
                }
            }
            state.say(tone, text);
            Effect::None
        }
        Err(SaveFailed {
            error,
            on_disk: Some(on_disk),
        }) => {
            if let Some(s) = &mut state.session {
                (s.loaded.vault, s.loaded.fingerprint) = *on_disk;
                s.undo.failed();
            }
            say_error(state, &error);
            Effect::None
        }
        Err(SaveFailed { error, on_disk: None }) => {
            let effect = super::lock(state);
            say_error(state, &error);
            effect
        }
    };
    state.refresh();
    effect
}

/// Says where a value that is no secret went. The password it replaced on the
/// clipboard is gone from there, so its countdown ends.
fn copied_value(state: &mut State, what: &str, result: Result<CopyOutcome, ClipboardError>) {
    let text = match result {
        Ok(CopyOutcome::Clipboard(_)) => format!("Copied {what}."),
        Ok(CopyOutcome::Terminal { .. }) => format!("Copied {what} through the terminal (OSC 52)."),
        Ok(CopyOutcome::TmuxDrops(setting)) => {
            state.say(
                Tone::Error,
                format!(
                    "Not copied: tmux drops what programs send to the clipboard (its set-clipboard \
                     is \"{setting}\"). Add `set -g set-clipboard on` to ~/.tmux.conf."
                ),
            );
            return;
        }
        Err(e) => {
            let text = crate::tui::hints::clipboard(&e, &state.keymap);
            state.say(Tone::Error, text);
            return;
        }
    };
    state.copy = None;
    state.say(Tone::Good, text);
}

/// Repeats what a copy came to in the dialog it was made from (the setup card, the
/// add form), which may hide the status line.
fn echo_copy(state: &mut State) {
    let said = match (&state.message, &state.copy) {
        (Some(m), _) => (m.tone == Tone::Error, m.text.clone()),
        (None, Some(c)) => {
            let until = match c.deadline {
                Some(d) => format!(
                    "; it clears in {} s if still there",
                    d.saturating_duration_since(state.now).as_secs_f32().ceil() as u64
                ),
                None => String::new(),
            };
            (false, format!("Copied {}{until}.", escape_control(&c.label)))
        }
        (None, None) => return,
    };
    match state.dialogs.top_mut() {
        Some(Overlay::SetupCard(card)) => card.said = Some(said),
        Some(o) => {
            if let Some(form) = o.form_mut() {
                match said {
                    (true, text) => form.error = Some(text),
                    (false, text) => form.note = Some(text),
                }
            }
        }
        None => {}
    }
}

/// Says where the password went, and never claims a copy that did not happen.
fn copied(state: &mut State, label: String, result: Result<CopyOutcome, ClipboardError>) {
    let shown = escape_control(&label).into_owned();
    let cannot_clear =
        "aspen cannot clear a copy made this way: copy something harmless once you have pasted it.";
    let (deadline, through_terminal, said) = match result {
        Ok(CopyOutcome::Clipboard(deadline)) => (deadline, false, None),
        Ok(CopyOutcome::Terminal { tmux }) => {
            let text = match tmux {
                Tmux::Unknown => format!(
                    "Sent \"{shown}\" through the terminal (OSC 52); inside tmux it arrives only \
                     with `set -g set-clipboard on` in ~/.tmux.conf. {cannot_clear}"
                ),
                Tmux::Passes => format!(
                    "Copied \"{shown}\" through the terminal (OSC 52); tmux also keeps it in a \
                     paste buffer (`tmux delete-buffer` removes it). {cannot_clear}"
                ),
                Tmux::Outside | Tmux::Drops(_) => {
                    format!("Copied \"{shown}\" through the terminal (OSC 52). {cannot_clear}")
                }
            };
            (None, true, Some((Tone::Warning, text)))
        }
        Ok(CopyOutcome::TmuxDrops(setting)) => {
            let reveal = crate::tui::hints::key(&state.keymap, Action::Reveal, "reveal");
            let text = format!(
                "Not copied: tmux drops what programs send to the clipboard through the terminal \
                 (its set-clipboard is \"{setting}\"). Add `set -g set-clipboard on` to \
                 ~/.tmux.conf and run `tmux source-file ~/.tmux.conf`, or {reveal} the password \
                 and type it in."
            );
            state.copy = None;
            state.say(Tone::Error, text);
            return;
        }
        Err(e) => {
            let text = crate::tui::hints::clipboard(&e, &state.keymap);
            state.say(Tone::Error, text);
            return;
        }
    };
    state.copy = Some(CopyStatus {
        label,
        deadline,
        through_terminal,
    });
    match said {
        Some((tone, text)) => state.say(tone, text),
        None => state.message = None,
    }
}

/// Says what went wrong where the user is looking: in the open form, else in the
/// status area. A checklist of a change that was not saved is closed: it would
/// list work for a change the vault does not hold.
fn say_error(state: &mut State, e: &Error) {
    let text = crate::tui::hints::describe(e, &state.keymap, state.session.is_none());
    if let Some(form) = state.dialogs.form_mut() {
        form.error = Some(text);
        return;
    }
    match state.dialogs.top() {
        Some(Overlay::Checklist(_)) => {
            state.dialogs.close_all();
            state.say(Tone::Error, text);
        }
        _ => state.say(Tone::Error, text),
    }
}

/// The first screen for what stands at the vault path.
/// "Syncthing left a conflicting copy of the vault: PATH. To bring its changes in,
/// run aspen merge PATH in a terminal." Named beside the vault path the screen shows: the copy
/// lies in the vault's folder.
fn copy_line(state: &State, copy: &ConflictCopy) -> String {
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

pub fn apply_check(state: &mut State, check: VaultCheck) {
    state.screen = match check {
        VaultCheck::Vault => Screen::Unlock(Unlock::default()),
        VaultCheck::Free => Screen::Welcome(Welcome::new(state.settings.insecure_kdf)),
        VaultCheck::Refused(e) => Screen::CannotOpen(crate::tui::hints::describe(&e, &state.keymap, true)),
    };
}

/// An older copy than one this machine saw: said in a notice of its own, after
/// unlocking, with what brings the newer version's changes back.
fn warn_older(state: &mut State, older: crate::app::Older) {
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

fn opened(
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
            state.session = Some(Session::new(loaded, state.today, state.settings.policy));
            state.screen = Screen::Main;
            state.last_activity = state.now;
            if created {
                let add = crate::tui::hints::key(&state.keymap, Action::Add, "add");
                state.say(
                    Tone::Good,
                    format!("Vault created. To add your first app-specific password, {add}."),
                );
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
