//! What the runner's work came to, told to the user where they are looking: a save
//! and a new key here; an unlock in `unlocked`, a copy in `copying`. Part of
//! `update`: no I/O here.

use super::copying::{copied, copied_value, echo_copy};
use super::unlocked::{apply_check, opened, warn_older};
use crate::app::{SaveFailed, Saved};
use crate::error::Error;
use crate::text::escape_control;
use crate::tui::dialogs::Overlay;

use crate::tui::msg::{Done, Effect, Msg};
use crate::tui::state::{Screen, State, Tone, View};

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
            Ok(key) if state.session().is_some() => Effect::Rekey(key),
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
                    if let Some(s) = state.session_mut() {
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
            if let Some(s) = state.session_mut() {
                s.loaded.vault = saved.vault;
                s.loaded.fingerprint = saved.fingerprint;
                s.undo.saved();
            }
            let mut text = match done {
                Done::Change(done) => super::done::said(done, &state.keymap),
                Done::Undid { what } => format!("Undid: {what}."),
                Done::Verified { done, summary } => {
                    let overview = matches!(state.screen, Screen::Open(_, View::Overview));
                    super::verified::finished(summary, Some(done), &state.keymap, overview)
                }
            };
            let mut tone = match done {
                Done::Verified { summary, .. } if !summary.all_well() => Tone::Warning,
                _ => Tone::Good,
            };
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
            super::recovery::suggest(state, done, &mut text);
            super::recovery::saved(state, done);
            state.say(tone, text);
            Effect::None
        }
        Err(SaveFailed {
            error,
            on_disk: Some(on_disk),
        }) => {
            if let Some(s) = state.session_mut() {
                (s.loaded.vault, s.loaded.fingerprint) = *on_disk;
                s.undo.failed();
            }
            super::recovery::unsaved(state, done);
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

/// Says what went wrong where the user is looking: in the open form, else in the
/// status area. A checklist of a change that was not saved is closed: it would
/// list work for a change the vault does not hold.
fn say_error(state: &mut State, e: &Error) {
    let text = crate::tui::hints::describe(e, &state.keymap, state.session().is_none());
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
