//! `u`: taking back the session's last change by saving the vault as it was before
//! it, as any change is saved. Part of `update`.

use crate::model::Vault;
use crate::text::escape_control;
use crate::tui::dialogs::{Overlay, UndoConfirm};
use crate::tui::msg::{Done, Effect};
use crate::tui::state::{State, Tone};

/// The undo key: takes the last change back, first asking when that drops a
/// password the vault holds nowhere else.
pub(super) fn start(state: &mut State) -> Effect {
    let Some(session) = &mut state.session else {
        return Effect::None;
    };
    let Some(step) = session.undo.top() else {
        state.say(
            Tone::Info,
            "Nothing to undo: no change was made since the vault was unlocked.",
        );
        return Effect::None;
    };
    let what = step.what.clone();
    let before = match step.vault() {
        Ok(v) => v,
        Err(e) => return unreadable(state, &e),
    };
    let losing = losing(&session.loaded.vault, &before);
    if losing.is_empty() {
        return restore(state, before);
    }
    state.overlay = Some(Overlay::Undo(UndoConfirm { what, losing }));
    Effect::None
}

/// Takes the last change back once the user confirmed it.
pub(super) fn run(state: &mut State) -> Effect {
    state.overlay = None;
    let Some(step) = state.session.as_ref().and_then(|s| s.undo.top()) else {
        return Effect::None;
    };
    match step.vault() {
        Ok(before) => restore(state, before),
        Err(e) => unreadable(state, &e),
    }
}

/// Shows `before` and asks for it to be saved; "Undid …" is said once it is.
fn restore(state: &mut State, before: Vault) -> Effect {
    let Some(session) = &mut state.session else {
        return Effect::None;
    };
    let from = session.loaded.fingerprint.clone();
    let Some(what) = session.undo.pop(from) else {
        return Effect::None;
    };
    // The vault shown now is dropped here, its passwords zeroized.
    session.loaded.vault = before;
    state.refresh();
    Effect::Save(Done::Undid { what })
}

/// The kept copy does not parse (it was written by this very session, so this is a
/// bug): say so and keep nothing that could not be undone either.
fn unreadable(state: &mut State, e: &crate::vault_file::FormatError) -> Effect {
    if let Some(s) = &mut state.session {
        s.undo.clear();
    }
    state.say(
        Tone::Error,
        format!("Nothing was undone: the copy kept for undo could not be read ({e})."),
    );
    Effect::None
}

/// The entries of `now` whose password `before` does not hold at all: going back
/// drops them, and Apple never shows a password again.
fn losing(now: &Vault, before: &Vault) -> Vec<String> {
    // Borrowed: a set of owned copies would leave passwords behind unzeroized.
    let kept: std::collections::HashSet<&str> = before
        .entries
        .iter()
        .filter_map(|b| b.password.as_ref().map(|p| p.expose()))
        .collect();
    now.entries
        .iter()
        .filter(|e| e.password.as_ref().is_some_and(|p| !kept.contains(p.expose())))
        .map(|e| escape_control(&e.label).into_owned())
        .collect()
}
