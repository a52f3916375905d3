//! Carrying out what a dialog's key came to: closing it, opening the next one,
//! and making a [`Change`] to the session's vault (pure model operations) for the
//! runner to save. Part of `update`, the only place the vault in memory changes.

use jiff::civil::Date;

use crate::app;
use crate::error::Error;
use crate::model::{EntryId, ModelError, Vault};
use crate::tui::dialogs::{Change, Checklist, Outcome, Overlay, Replacement, ResetKind, ThemeMove};
use crate::tui::hints;
use crate::tui::msg::{Done, Effect};
use crate::tui::rows::StatusFilter;
use crate::tui::state::{Busy, State, Tone};

pub(super) fn outcome(state: &mut State, outcome: Outcome) -> Effect {
    match outcome {
        Outcome::Stay => {}
        Outcome::Close => state.overlay = None,
        Outcome::Open(next) => state.overlay = Some(next),
        Outcome::Submit(change) => return apply(state, change),
        Outcome::NewPassphrase(secret) => {
            state.busy = Some(Busy {
                text: "Changing the passphrase: deriving the new key".to_owned(),
                since: state.now,
            });
            return Effect::ChangePassphrase(secret);
        }
        Outcome::Theme(step) => theme(state, step),
    }
    Effect::None
}

fn theme(state: &mut State, step: ThemeMove) {
    match step {
        // Live preview: the whole screen redraws in the theme under the cursor.
        ThemeMove::Preview(i) => {
            if let Some(t) = state.themes.get(i) {
                state.theme = t.clone();
            }
        }
        ThemeMove::Keep => {
            state.overlay = None;
            let name = state.theme.name.clone();
            state.say(
                Tone::Good,
                format!("Theme \"{name}\" for this session; set theme: \"{name}\" in config.ron to keep it."),
            );
        }
        ThemeMove::Undo => {
            if let Some(Overlay::Themes(picker)) = state.overlay.take() {
                state.theme = picker.original;
            }
        }
    }
}

/// What the screen does once a change is made, besides closing its dialog.
enum Then {
    Nothing,
    Select(EntryId),
    /// Show what to regenerate, and the entries that need attention.
    Checklist(Checklist),
}

/// Why a change was not made.
enum Refusal {
    /// The vault's rules refuse it.
    Rule(ModelError),
    /// No id for a new entry (the system's random source failed).
    NoId(Error),
}

impl From<ModelError> for Refusal {
    fn from(e: ModelError) -> Self {
        Self::Rule(e)
    }
}

/// Makes `change` on the session's vault and asks for it to be saved. A refusal
/// is said where the user is looking: in the form, which stays open with what was
/// typed, else in the status area.
fn apply(state: &mut State, change: Change) -> Effect {
    let (today, new_id) = (state.today, state.new_id);
    let Some(session) = &mut state.session else {
        return Effect::None;
    };
    let refusal = match make(&mut session.loaded.vault, change, new_id, today) {
        Ok((done, then)) => {
            state.overlay = None;
            state.refresh();
            if let Some(s) = &mut state.session {
                match then {
                    Then::Nothing => {}
                    Then::Select(id) => s.select_id(&id),
                    Then::Checklist(list) => {
                        s.filter = StatusFilter::Attention;
                        s.refresh_rows();
                        state.overlay = Some(Overlay::Checklist(list));
                    }
                }
            }
            return Effect::Save(done);
        }
        Err(refusal) => refusal,
    };
    let text = match refusal {
        // An edit that changes nothing has nothing to save or say.
        Refusal::Rule(ModelError::NothingToEdit) => {
            state.overlay = None;
            return Effect::None;
        }
        Refusal::Rule(e) => hints::describe_model(&e, &state.keymap),
        Refusal::NoId(e) => hints::describe(&e, &state.keymap, false),
    };
    refused(state, text);
    Effect::None
}

/// The model operation for `change`: what was done, and what the screen does next.
fn make(
    vault: &mut Vault,
    change: Change,
    new_id: fn() -> Result<EntryId, Error>,
    today: Date,
) -> Result<(Done, Then), Refusal> {
    Ok(match change {
        Change::Add(new) => {
            let id = new_id().map_err(Refusal::NoId)?;
            let e = vault.add(id.clone(), new, today)?;
            let done = Done::Added {
                label: e.label.clone(),
                apple_id: e.apple_id.clone(),
            };
            (done, Then::Select(id))
        }
        Change::Edit { id, edit } => {
            vault.edit(&id, edit, today)?;
            (Done::Edited, Then::Nothing)
        }
        Change::Regenerate {
            id,
            password,
            created,
        } => {
            let was_active = vault.entry(&id).is_some_and(|e| e.is_active());
            vault.regenerate(&id, password, created, today)?;
            let label = label_of(vault, &id);
            (Done::Regenerated { label, was_active }, Then::Nothing)
        }
        Change::Delete(id) => {
            let e = vault.remove(&id)?;
            (Done::Deleted { label: e.label }, Then::Nothing)
        }
        Change::Revoke { id, replacement } => {
            let still_needed = replacement == Replacement::StillNeeded;
            vault.revoke(&id, today, still_needed, today)?;
            let label = label_of(vault, &id);
            (Done::Revoked { label, still_needed }, Then::Nothing)
        }
        Change::Reset { kind, apple_id, on } => {
            let ids = match kind {
                ResetKind::PasswordReset => vault.reset(&apple_id, on, today)?,
                ResetKind::RevokeAll => vault.revoke_all(&apple_id, on, today)?,
            };
            let items = app::checklist(vault, &ids);
            let done = Done::Recorded {
                kind,
                apple_id: apple_id.clone(),
                on,
            };
            (done, Then::Checklist(Checklist { apple_id, items }))
        }
    })
}

fn label_of(vault: &Vault, id: &EntryId) -> String {
    vault.entry(id).map(|e| e.label.clone()).unwrap_or_default()
}

/// A refused change: the form keeps what was typed and shows why; a confirmation
/// closes and the status area says why.
fn refused(state: &mut State, text: String) {
    match state.overlay.as_mut().and_then(Overlay::form_mut) {
        Some(form) => form.error = Some(text),
        None => {
            state.overlay = None;
            state.say(Tone::Error, text);
        }
    }
}
