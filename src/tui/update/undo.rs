//! `u`: taking back the session's last change. What the change did is put back on
//! the vault as it is now, which may hold another machine's work merged in since;
//! that work stays. The result is saved as any change is. Part of `update`.

use crate::model::{Unrevertable, Vault, revert};
use crate::text::escape_control;
use crate::tui::dialogs::Question;
use crate::tui::dialogs::{Overlay, UndoConfirm};
use crate::tui::msg::{Done, Effect};
use crate::tui::state::{Session, State, Tone};
use crate::tui::undo::Step;
use crate::vault_file::FormatError;

/// Why the top step gives no vault to go back to.
enum Refusal {
    /// A copy kept for undo does not parse.
    Unreadable(FormatError),
    /// What the change set was changed since.
    Unrevertable(Unrevertable),
}

/// The undo key: takes the last change back, first asking when that drops a
/// password the vault holds nowhere else.
pub(super) fn start(state: &mut State) -> Effect {
    let Some(session) = state.session() else {
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
    let undone = match undone(session, step) {
        Ok(v) => v,
        Err(refusal) => return refuse(state, &what, refusal),
    };
    let losing = losing(&session.loaded.vault, &undone);
    if losing.is_empty() {
        return restore(state, undone);
    }
    state
        .dialogs
        .show(Overlay::Confirm(Question::Undo(UndoConfirm { what, losing })));
    Effect::None
}

/// Takes the last change back once the user confirmed it. Worked out again: a save
/// from elsewhere may have been taken in while the question was open.
pub(super) fn run(state: &mut State) -> Effect {
    state.dialogs.close_all();
    let Some(session) = state.session() else {
        return Effect::None;
    };
    let Some(step) = session.undo.top() else {
        return Effect::None;
    };
    let what = step.what.clone();
    match undone(session, step) {
        Ok(undone) => restore(state, undone),
        Err(refusal) => refuse(state, &what, refusal),
    }
}

/// The session's vault with the change of `step` taken back.
fn undone(session: &Session, step: &Step) -> Result<Vault, Refusal> {
    let (before, after) = step.vaults().map_err(Refusal::Unreadable)?;
    let now = crate::tui::undo::copy_of(&session.loaded).map_err(Refusal::Unreadable)?;
    revert(before, &after, now).map_err(Refusal::Unrevertable)
}

/// Shows `undone` and asks for it to be saved; "Undid …" is said once it is.
fn restore(state: &mut State, undone: Vault) -> Effect {
    let Some(session) = state.session_mut() else {
        return Effect::None;
    };
    let Some(what) = session.undo.pop() else {
        return Effect::None;
    };
    // The vault shown now is dropped here, its passwords zeroized.
    session.loaded.vault = undone;
    state.refresh();
    Effect::Save(Done::Undid { what })
}

/// Says why nothing was undone. A change whose work was changed since can never be
/// taken back, so it leaves the stack and the next `u` reaches the one before. A
/// kept copy that does not parse (written by this very session, so a bug) leaves
/// nothing that could be undone either.
fn refuse(state: &mut State, what: &str, refusal: Refusal) -> Effect {
    let text = match refusal {
        Refusal::Unrevertable(why) => {
            if let Some(s) = state.session_mut() {
                s.undo.discard_top();
            }
            format!(
                "Cannot undo the {what}: {}; nothing was undone.",
                escape_control(&why.to_string())
            )
        }
        Refusal::Unreadable(e) => {
            if let Some(s) = state.session_mut() {
                s.undo.clear();
            }
            format!("Nothing was undone: the copy kept for undo could not be read ({e}).")
        }
    };
    state.say(Tone::Error, text);
    Effect::None
}

/// The entries of `now` whose password `undone` does not hold at all: going back
/// drops them, and Apple never shows a password again.
fn losing(now: &Vault, undone: &Vault) -> Vec<String> {
    // Borrowed: a set of owned copies would leave passwords behind unzeroized.
    let kept: std::collections::HashSet<&str> = undone
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
