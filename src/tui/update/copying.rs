//! What a copy to the clipboard came to, said in the status area and echoed in the
//! dialog it was made from, never claiming a copy that did not happen. Part of
//! `update`: no I/O here.

use crate::clipboard::{ClipboardError, Tmux};
use crate::text::escape_control;
use crate::tui::action::Action;
use crate::tui::dialogs::Overlay;
use crate::tui::msg::CopyOutcome;
use crate::tui::state::{CopyStatus, State, Tone};

/// Says where a value that is no secret went. The password it replaced on the
/// clipboard is gone from there, so its countdown ends.
pub(super) fn copied_value(state: &mut State, what: &str, result: Result<CopyOutcome, ClipboardError>) {
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
pub(super) fn echo_copy(state: &mut State) {
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
pub(super) fn copied(state: &mut State, label: String, result: Result<CopyOutcome, ClipboardError>) {
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
