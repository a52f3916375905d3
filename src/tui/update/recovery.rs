//! Recovery keys in the TUI: making one (the same change the CLI's `aspen
//! recovery-key add` makes, through the change pipeline so that undo takes it
//! back), showing it once its save is durable, and the one suggestion to keep one,
//! said beside what the save of the vault's third password says. Part of `update`.

use crate::model::{self, Vault};
use crate::tui::action::Action;
use crate::tui::dialogs::{Change, Overlay, Question, RecoveryKeyAsk, RecoveryKeyDialog};
use crate::tui::msg::{Done, Effect};
use crate::tui::state::{State, Tone};

/// How many stored passwords make a vault worth a second key.
const SUGGEST_AT: usize = 3;

/// The passwords the vault holds (entries recorded without one do not count).
fn stored(vault: &Vault) -> usize {
    vault.entries.iter().filter(|e| e.password_stored()).count()
}

/// The key that makes a recovery key: asks first what it is.
pub(super) fn ask(state: &mut State) -> Effect {
    let Some(session) = state.session() else {
        return Effect::None;
    };
    let existing = session.loaded.vault.recovery.len();
    state
        .dialogs
        .show(Overlay::Confirm(Question::RecoveryKey(RecoveryKeyAsk {
            existing,
        })));
    Effect::None
}

/// Yes to [`ask`]: draws the key, lists it in the vault and asks for the save. The
/// key waits in its dialog, unseen, until the save is durable ([`saved`]).
pub(super) fn make(state: &mut State) -> Effect {
    let key = match (state.new_recovery_key)() {
        Ok(key) => key,
        Err(e) => {
            state.dialogs.close_all();
            let text = crate::tui::hints::describe(&e, &state.keymap, false);
            state.say(Tone::Error, text);
            return Effect::None;
        }
    };
    let change = Change::AddRecoveryKey(key.listed(state.today));
    let effect = super::apply::apply(state, change);
    if matches!(effect, Effect::Save(_)) {
        state
            .dialogs
            .push(Overlay::RecoveryKey(RecoveryKeyDialog::new(key)));
    }
    effect
}

/// A save is done: the key it lists is shown now, once.
pub(super) fn saved(state: &mut State, done: &Done) {
    let Done::Change(model::Done::AddedRecoveryKey { recipient }) = done else {
        return;
    };
    let dark = !state.no_color;
    if let Some(Overlay::RecoveryKey(d)) = state.dialogs.top_mut()
        && d.recipient() == *recipient
    {
        d.saved(dark);
    }
}

/// A save failed: the key it would have listed opens nothing, and goes unseen.
pub(super) fn unsaved(state: &mut State, done: &Done) {
    if matches!(done, Done::Change(model::Done::AddedRecoveryKey { .. }))
        && matches!(state.dialogs.top(), Some(Overlay::RecoveryKey(_)))
    {
        state.dialogs.pop();
    }
}

/// Adds the suggestion to `text` (what the save of `done` says) when `done` brought
/// the vault to its third stored password and the vault has no recovery key: once,
/// at the crossing, and not again while the vault holds more.
pub(super) fn suggest(state: &State, done: &Done, text: &mut String) {
    let Some(session) = state.session() else {
        return;
    };
    let vault = &session.loaded.vault;
    let now = stored(vault);
    let before = match done {
        Done::Change(model::Done::Added { id, .. }) => {
            let added_password = vault.entry(id).is_some_and(model::Entry::password_stored);
            now - usize::from(added_password && now > 0)
        }
        // Every entry an import adds holds a password.
        Done::Change(model::Done::Imported(outcome)) => now.saturating_sub(outcome.added.len()),
        _ => return,
    };
    if !(before < SUGGEST_AT && SUGGEST_AT <= now) || vault.has_recovery_key() {
        return;
    }
    let make = crate::tui::hints::key(&state.keymap, Action::RecoveryKey, "make a recovery key");
    text.push_str(&format!(
        " Your vault holds {now} passwords now, and only your passphrase opens it: {make} to \
         print or photograph, for the day the passphrase is forgotten (or run `aspen \
         recovery-key add` in a terminal)."
    ));
}
