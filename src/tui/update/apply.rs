//! Carrying out what a dialog's key came to: closing it, opening the next one,
//! and making a [`Change`] to the session's vault (pure model operations) for the
//! runner to save. Part of `update`, the only place the vault in memory changes.

use jiff::civil::Date;

use crate::text::escape_control;

use crate::error::Error;
use crate::model::{EntryId, ModelError, NewEntry, Vault};
use crate::tui::dialogs::{
    Candidate, Change, ChangeMade, Checklist, JoinConfirm, MakeRoom, Outcome, Overlay, Replacement,
    ResetKind, ThemeMove,
};
use crate::tui::hints;
use crate::tui::msg::{Done, Effect};
use crate::tui::rows::StatusFilter;
use crate::tui::state::{Busy, State, Tone};
use crate::tui::undo;

pub(super) fn outcome(state: &mut State, outcome: Outcome) -> Effect {
    match outcome {
        Outcome::Stay => {}
        Outcome::Close => state.overlay = None,
        Outcome::Open(next) => state.overlay = Some(next),
        Outcome::Submit(Change::Add(new)) => return add(state, new),
        Outcome::Submit(change) => return apply(state, change),
        Outcome::Join | Outcome::AddSeparately => return join(state, matches!(outcome, Outcome::Join)),
        Outcome::NewPassphrase(secret) => {
            state.busy = Some(Busy {
                text: "Changing the passphrase: deriving the new key".to_owned(),
                since: state.now,
            });
            return Effect::ChangePassphrase(secret);
        }
        Outcome::Theme(step) => theme(state, step),
        Outcome::CopyValue { what, value } => return Effect::CopyValue { what, value },
        Outcome::CopyPassword(id) => return Effect::Copy(id),
        Outcome::Undo => return super::undo::run(state),
    }
    Effect::None
}

/// Adds the entry, unless its password is an active entry's of the same Apple ID:
/// then asks first whether the apps should join that entry (Apple allows one
/// password in several apps).
fn add(state: &mut State, new: NewEntry) -> Effect {
    let sharing =
        state.session.as_ref().and_then(|s| {
            let apple_id = crate::model::normalise_apple_id(&new.apple_id).ok()?;
            let password = new.password.as_ref()?;
            let e =
                s.loaded.vault.entries.iter().find(|e| {
                    e.apple_id == apple_id && e.is_active() && e.password.as_ref() == Some(password)
                })?;
            let apps = new.apps.iter().filter(|a| !e.apps.contains(a)).cloned().collect();
            Some((e.id.clone(), e.label.clone(), apps))
        });
    let Some((existing, label, apps)) = sharing else {
        return apply(state, Change::Add(new));
    };
    let Some(form) = state.overlay.take() else {
        return Effect::None;
    };
    state.overlay = Some(Overlay::Join(JoinConfirm {
        existing,
        label,
        apps,
        new,
        form: Box::new(form),
    }));
    Effect::None
}

/// The answer to [`add`]'s question. The add form comes back first, so that a
/// refusal is said in it with everything typed kept.
fn join(state: &mut State, join: bool) -> Effect {
    let Some(Overlay::Join(j)) = state.overlay.take() else {
        return Effect::None;
    };
    state.overlay = Some(*j.form);
    if !join {
        return apply(state, Change::Add(j.new));
    }
    if j.apps.is_empty() {
        state.overlay = None;
        let label = escape_control(&j.label);
        state.say(
            Tone::Info,
            format!("\"{label}\" already has those apps; nothing changed."),
        );
        return Effect::None;
    }
    apply(
        state,
        Change::JoinApps {
            id: j.existing,
            apps: j.apps,
        },
    )
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
    /// The entry was retired: a checklist it was retired from stays open.
    Retired(EntryId),
    /// The overview follows the Apple ID to its new name.
    SelectAppleId(String),
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

/// Makes `change` on the session's vault and asks for it to be saved, keeping the
/// vault as it was before and right after it for undo. A refusal is said where the
/// user is looking: in the form, which stays open with what was typed, else in the
/// status area.
fn apply(state: &mut State, change: Change) -> Effect {
    let (today, new_id) = (state.today, state.new_id);
    let Some(session) = &mut state.session else {
        return Effect::None;
    };
    let before = undo::snapshot(&session.loaded);
    let refusal = match make(&mut session.loaded.vault, change, new_id, today) {
        Ok((done, then)) => {
            if let Some(what) = undo_what(&done) {
                // As the change left it, before its save merges anything in: what
                // an undo may put back is only what differs between the two.
                let after = undo::snapshot(&session.loaded);
                session.undo.push(what, before, after);
            }
            made(state, then);
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
        Refusal::Rule(e @ ModelError::SlotsFull { .. }) if matches!(state.overlay, Some(Overlay::Add(_))) => {
            make_room(state, &e);
            return Effect::None;
        }
        Refusal::Rule(e) => hints::describe_model(&e, &state.keymap),
        Refusal::NoId(e) => hints::describe(&e, &state.keymap, false),
    };
    refused(state, text);
    Effect::None
}

/// After a change in memory: the screen shows it, and the dialog closes unless it
/// stays for what comes next.
fn made(state: &mut State, then: Then) {
    let change = match &then {
        Then::Retired(id) => ChangeMade::Retired(id.clone()),
        _ => ChangeMade::Other,
    };
    state.overlay = state.overlay.take().and_then(|o| o.after_change(&change));
    state.refresh();
    let Some(s) = &mut state.session else {
        return;
    };
    match then {
        Then::Nothing | Then::Retired(_) => {}
        Then::Select(id) => s.select_id(&id),
        Then::SelectAppleId(apple_id) => {
            if let Some(i) = s
                .loaded
                .vault
                .accounts
                .iter()
                .position(|a| a.apple_id == apple_id)
            {
                s.overview = i;
            }
        }
        Then::Checklist(list) => {
            s.filter = StatusFilter::Attention;
            s.refresh_rows();
            state.overlay = Some(Overlay::Checklist(list));
        }
    }
}

/// The add form was refused for a full Apple ID: it waits, as typed, while the user
/// picks one of that Apple ID's active entries to revoke.
fn make_room(state: &mut State, refusal: &ModelError) {
    let ModelError::SlotsFull { apple_id, .. } = refusal else {
        return;
    };
    let apple_id = apple_id.clone();
    let Some(Overlay::Add(mut add)) = state.overlay.take() else {
        return;
    };
    add.form.error = Some(hints::describe_model(refusal, &state.keymap));
    let Some(session) = &state.session else {
        return;
    };
    let mut candidates: Vec<Candidate> = session
        .loaded
        .vault
        .entries
        .iter()
        .filter(|e| e.apple_id == apple_id && e.is_active())
        .map(|e| Candidate {
            id: e.id.clone(),
            label: e.label.clone(),
            created: e.created,
            apps: e.apps.clone(),
        })
        .collect();
    candidates.sort_by(|a, b| {
        a.created
            .cmp(&b.created)
            .then_with(|| crate::model::label_order(&a.label, &b.label))
    });
    state.overlay = Some(Overlay::MakeRoom(MakeRoom {
        apple_id,
        reason: format!("{refusal}."),
        candidates,
        selected: 0,
        add: Some(Box::new(add)),
    }));
}

/// How the status line names a change once it is undone; `None` for an undo, which
/// is not itself undone.
fn undo_what(done: &Done) -> Option<String> {
    let q = |label: &str| format!("\"{}\"", escape_control(label));
    let reset = |kind: &ResetKind| match kind {
        ResetKind::PasswordReset => "password reset",
        ResetKind::RevokeAll => "Revoke All",
    };
    Some(match done {
        Done::Added { label, .. } => format!("add of {}", q(label)),
        Done::Edited { label } => format!("edit of {}", q(label)),
        Done::Joined { label, .. } => format!("apps added to {}", q(label)),
        Done::Deleted { label } => format!("deletion of {}", q(label)),
        Done::Revoked { label, .. } => format!("revoke of {}", q(label)),
        Done::Retired { label, app: None } => format!("retire of {}", q(label)),
        Done::Retired {
            label,
            app: Some(app),
        } => format!("retire of the app {} of {}", q(app), q(label)),
        Done::Unretired { label } => format!("unretire of {}", q(label)),
        Done::Regenerated { label, .. } => format!("new password of {}", q(label)),
        Done::Recorded { kind, apple_id, on } => format!("{} of {apple_id} on {on}", reset(kind)),
        Done::Withdrew {
            kind, apple_id, on, ..
        } => {
            format!("withdrawal of the {} of {apple_id} on {on}", reset(kind))
        }
        Done::RenamedAppleId { old, new, .. } => format!("rename of {old} to {new}"),
        Done::ForgotAppleId { apple_id } => format!("forgetting of {apple_id}"),
        Done::NamedAppleId { apple_id, .. } => format!("name of {apple_id}"),
        Done::Resolved { label, .. } => format!("conflict choice of {}", q(label)),
        Done::Audited { apple_id, .. } => format!("audit of {apple_id}"),
        Done::Undid { .. } => return None,
    })
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
        Change::JoinApps { id, apps } => {
            let mut all = vault.entry(&id).map(|e| e.apps.clone()).unwrap_or_default();
            all.extend(apps.iter().cloned());
            let edit = crate::model::Edit {
                apps: Some(all),
                ..Default::default()
            };
            vault.edit(&id, edit, today)?;
            let label = label_of(vault, &id);
            (Done::Joined { label, apps }, Then::Select(id))
        }
        Change::Edit { id, edit } => {
            vault.edit(&id, edit, today)?;
            let label = label_of(vault, &id);
            (Done::Edited { label }, Then::Nothing)
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
        Change::Revoke { id, replacement, on } => {
            let still_needed = replacement == Replacement::StillNeeded;
            vault.revoke(&id, on, still_needed, today)?;
            let label = label_of(vault, &id);
            let done = Done::Revoked {
                label,
                still_needed,
                on,
            };
            (done, Then::Nothing)
        }
        Change::Retire { id, app } => {
            match &app {
                Some(one) => vault.retire_app(&id, one, today)?,
                None => vault.retire(&id, today)?,
            }
            let label = label_of(vault, &id);
            (Done::Retired { label, app }, Then::Retired(id))
        }
        Change::Unretire(id) => {
            vault.unretire(&id, today)?;
            let label = label_of(vault, &id);
            (Done::Unretired { label }, Then::Nothing)
        }
        Change::Reset { kind, apple_id, on } => return reset(vault, kind, apple_id, on, today),
        Change::Withdraw { kind, apple_id, on } => return withdraw(vault, kind, apple_id, on, today),
        Change::Resolve { id, keep } => return resolve(vault, &id, keep, today),
        change @ Change::Audit { .. } => return audit(vault, change, new_id, today),
        change => return apple_id_change(vault, change, today),
    })
}

/// Renames, forgets or names an Apple ID.
fn apple_id_change(vault: &mut Vault, change: Change, today: Date) -> Result<(Done, Then), Refusal> {
    Ok(match change {
        Change::RenameAppleId { old, new } => {
            let moved = vault.rename_apple_id(&old, &new, today)?;
            let new = crate::model::normalise_apple_id(&new)?;
            let then = Then::SelectAppleId(new.clone());
            (Done::RenamedAppleId { old, new, moved }, then)
        }
        Change::ForgetAppleId(apple_id) => {
            vault.forget_apple_id(&apple_id)?;
            (Done::ForgotAppleId { apple_id }, Then::Nothing)
        }
        Change::NameAppleId { apple_id, name } => {
            vault.name_apple_id(&apple_id, &name)?;
            let name = vault
                .account(&apple_id)
                .map(|a| a.name.clone())
                .unwrap_or_default();
            (Done::NamedAppleId { apple_id, name }, Then::Nothing)
        }
        // `make` handles every other change itself.
        _ => return Err(Refusal::Rule(ModelError::NothingToEdit)),
    })
}

/// Records an audit; each password Apple lists that aspen did not know gets an id.
fn audit(
    vault: &mut Vault,
    change: Change,
    new_id: fn() -> Result<EntryId, Error>,
    today: Date,
) -> Result<(Done, Then), Refusal> {
    let Change::Audit {
        apple_id,
        revoked,
        listed_again,
        untracked,
    } = change
    else {
        return Err(Refusal::Rule(ModelError::NothingToEdit));
    };
    let decisions = crate::model::AuditDecisions {
        revoked,
        listed_again,
        untracked: untracked
            .into_iter()
            .map(|l| Ok((new_id()?, l)))
            .collect::<Result<_, Error>>()
            .map_err(Refusal::NoId)?,
    };
    let outcome = vault.apply_audit(&apple_id, decisions, today)?.outcome;
    Ok((Done::Audited { apple_id, outcome }, Then::Nothing))
}

/// Settles an entry's merge conflicts; taking the side of a machine that deleted it
/// deletes it here too.
fn resolve(
    vault: &mut Vault,
    id: &EntryId,
    keep: crate::model::Keep,
    today: Date,
) -> Result<(Done, Then), Refusal> {
    let label = label_of(vault, id);
    vault.resolve(id, keep, today)?;
    let done = Done::Resolved {
        label,
        theirs: keep == crate::model::Keep::Theirs,
        deleted: vault.entry(id).is_none(),
    };
    Ok((done, Then::Nothing))
}

/// Records a password reset or Revoke All; the checklist of what it revoked follows.
fn reset(
    vault: &mut Vault,
    kind: ResetKind,
    apple_id: String,
    on: Date,
    today: Date,
) -> Result<(Done, Then), Refusal> {
    let ids = match kind {
        ResetKind::PasswordReset => vault.reset(&apple_id, on, today)?,
        ResetKind::RevokeAll => vault.revoke_all(&apple_id, on, today)?,
    };
    let list = Checklist::new(apple_id.clone(), vault, &ids);
    Ok((Done::Recorded { kind, apple_id, on }, Then::Checklist(list)))
}

/// Withdraws a reset or Revoke All recorded by mistake.
fn withdraw(
    vault: &mut Vault,
    kind: ResetKind,
    apple_id: String,
    on: Date,
    today: Date,
) -> Result<(Done, Then), Refusal> {
    let (on, undone) = match kind {
        ResetKind::PasswordReset => vault.undo_reset(&apple_id, Some(on), today)?,
        ResetKind::RevokeAll => vault.undo_revoke_all(&apple_id, Some(on), today)?,
    };
    let labels = |ids: &[EntryId]| ids.iter().map(|id| label_of(vault, id)).collect();
    let done = Done::Withdrew {
        kind,
        apple_id,
        on,
        restored: labels(&undone.restored),
        changed_since: labels(&undone.changed_since),
    };
    Ok((done, Then::Nothing))
}

fn label_of(vault: &Vault, id: &EntryId) -> String {
    vault.entry(id).map(|e| e.label.clone()).unwrap_or_default()
}

/// A refused change: the form keeps what was typed and shows why; a confirmation
/// closes and the status area says why.
fn refused(state: &mut State, text: String) {
    // The conflict dialog stays open with the reason: the user picks the other side.
    if let Some(Overlay::Resolve(d)) = &mut state.overlay {
        d.refused = Some(text);
        return;
    }
    match state.overlay.as_mut().and_then(Overlay::form_mut) {
        Some(form) => form.error = Some(text),
        None => {
            state.overlay = None;
            state.say(Tone::Error, text);
        }
    }
}
