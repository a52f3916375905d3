//! Carrying out what a dialog's key came to: closing it, opening the next one,
//! and making a [`Change`] to the session's vault (pure model operations) for the
//! runner to save. Part of `update`, the only place the vault in memory changes.

use crate::tui::dialogs::Question;
use jiff::civil::Date;

use crate::text::escape_control;

use crate::error::Error;
use crate::model::{self, EntryId, ModelError, NewEntry, Vault};
use crate::tui::dialogs::{
    Candidate, Change, Checklist, JoinConfirm, MakeRoom, OldPassword, Outcome, Overlay, ThemeMove,
};
use crate::tui::hints;
use crate::tui::msg::{Done, Effect};
use crate::tui::rows::StatusFilter;
use crate::tui::state::{Busy, Screen, State, Tone, View};
use crate::tui::undo;

pub(super) fn outcome(state: &mut State, outcome: Outcome) -> Effect {
    match outcome {
        Outcome::Stay => {}
        Outcome::Close => {
            state.dialogs.pop();
        }
        Outcome::Open(next) => state.dialogs.replace(next),
        Outcome::Submit(Change::Add(new)) => return add(state, new),
        // From the preview: the form below it closes with it once the change is
        // made, and says why when the vault's rules leave nothing to add.
        Outcome::Submit(change @ Change::Import(_)) => {
            state.dialogs.pop();
            return apply(state, change);
        }
        Outcome::Submit(change) => return apply(state, change),
        Outcome::Join { id, label, apps } => return join(state, id, &label, apps),
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
        Outcome::Verify(selection) => return super::verify::start(state, selection),
        Outcome::ReadImport(request) => return Effect::ReadImport(request),
        Outcome::MakeRecoveryKey => return super::recovery::make(state),
        Outcome::Export { request, asked } => return super::export::start(state, request, asked),
    }
    Effect::None
}

/// Adds the entry, unless its password is an active entry's of the same Apple ID:
/// then asks over the form, which waits as typed, whether the apps should join
/// that entry (Apple allows one password in several apps, and counts it once).
fn add(state: &mut State, new: NewEntry) -> Effect {
    let sharing = state.session().and_then(|s| {
        let password = new.password.as_ref()?;
        let e = s.loaded.vault.holder_of(&new.apple_id, password)?;
        let apps = new.apps.iter().filter(|a| !e.apps.contains(a)).cloned().collect();
        Some((e.id.clone(), e.label.clone(), apps))
    });
    let Some((existing, label, apps)) = sharing else {
        return apply(state, Change::Add(new));
    };
    state.dialogs.push(Overlay::Confirm(Question::Join(JoinConfirm {
        existing,
        label,
        apps,
        new,
    })));
    Effect::None
}

/// Yes to [`add`]'s question. The add form is on top again, so that a refusal is
/// said in it with everything typed kept.
fn join(state: &mut State, id: EntryId, label: &str, apps: Vec<String>) -> Effect {
    state.dialogs.pop();
    if apps.is_empty() {
        state.dialogs.pop();
        let label = escape_control(label);
        state.say(
            Tone::Info,
            format!("\"{label}\" already has those apps; nothing changed."),
        );
        return Effect::None;
    }
    apply(state, Change::JoinApps { id, apps })
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
            state.dialogs.pop();
            let name = state.theme.name.clone();
            state.say(
                Tone::Good,
                format!("Theme \"{name}\" for this session; set theme: \"{name}\" in config.ron to keep it."),
            );
        }
        ThemeMove::Undo => {
            if let Some(Overlay::Themes(picker)) = state.dialogs.pop() {
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
    /// Regenerated with the old password left live: ask whether it is revoked.
    AskOld(EntryId),
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
pub(super) fn apply(state: &mut State, change: Change) -> Effect {
    let (today, new_id) = (state.today, state.new_id);
    let Some(session) = state.session_mut() else {
        return Effect::None;
    };
    let before = undo::snapshot(&session.loaded);
    let refusal = match make(&mut session.loaded.vault, change, new_id, today) {
        Ok((done, then)) => {
            // As the change left it, before its save merges anything in: what an
            // undo may put back is only what differs between the two.
            let after = undo::snapshot(&session.loaded);
            session.undo.push(super::done::undo_name(&done), before, after);
            made(state, then);
            return Effect::Save(Done::Change(done));
        }
        Err(refusal) => refusal,
    };
    let text = match refusal {
        // An edit that changes nothing has nothing to save or say.
        Refusal::Rule(ModelError::NothingToEdit) => {
            state.dialogs.pop();
            return Effect::None;
        }
        Refusal::Rule(e @ ModelError::SlotsFull { .. })
            if matches!(state.dialogs.top(), Some(Overlay::Add(_))) =>
        {
            make_room(state, &e);
            return Effect::None;
        }
        Refusal::Rule(e @ ModelError::SlotsFull { .. }) if state.dialogs.form_mut().is_some() => {
            let overview = matches!(state.screen, Screen::Open(_, View::Overview));
            hints::full_in_form(&e, &state.keymap, false, overview)
        }
        Refusal::Rule(e) => hints::describe_model(&e, &state.keymap),
        Refusal::NoId(e) => hints::describe(&e, &state.keymap, false),
    };
    refused(state, text);
    Effect::None
}

/// After a change in memory: the screen shows it. The dialog that asked for the
/// change closes, unless it stays for more of the same (a checklist marks what was
/// retired from it); a form it was opened from comes back, its refusal answered.
fn made(state: &mut State, then: Then) {
    match (state.dialogs.top_mut(), &then) {
        (Some(Overlay::Checklist(list)), Then::Retired(id)) => list.mark_retired(id),
        _ => {
            state.dialogs.pop();
            if let Some(form) = state.dialogs.form_mut() {
                form.error = None;
            }
        }
    }
    state.refresh();
    let Some(s) = state.session_mut() else {
        return;
    };
    match then {
        Then::Nothing | Then::Retired(_) => {}
        Then::AskOld(id) => {
            if let Some(e) = s.loaded.vault.entry(&id) {
                let ask = Question::OldRevoked(OldPassword::of(e));
                state.dialogs.push(Overlay::Confirm(ask));
            }
        }
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
            s.table.filter = StatusFilter::Attention;
            s.refresh_rows();
            state.dialogs.push(Overlay::Checklist(list));
        }
    }
}

/// The add form was refused for a full Apple ID: it waits below, as typed, while
/// the user picks one of that Apple ID's active entries to revoke.
fn make_room(state: &mut State, refusal: &ModelError) {
    let ModelError::SlotsFull { apple_id, .. } = refusal else {
        return;
    };
    let apple_id = apple_id.clone();
    if let Some(form) = state.dialogs.form_mut() {
        form.error = Some(hints::full_in_form(refusal, &state.keymap, true, false));
    }
    let Some(session) = state.session() else {
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
    state.dialogs.push(Overlay::MakeRoom(MakeRoom {
        apple_id,
        reason: format!("{refusal}."),
        candidates,
        selected: 0,
    }));
}

/// The model operation for `change`, with the ids it needs drawn first: what was
/// done, and what the screen does next.
fn make(
    vault: &mut Vault,
    change: Change,
    new_id: fn() -> Result<EntryId, Error>,
    today: Date,
) -> Result<(model::Done, Then), Refusal> {
    let ids = (0..change.ids_needed())
        .map(|_| new_id())
        .collect::<Result<Vec<_>, _>>()
        .map_err(Refusal::NoId)?;
    let done = vault.apply(change, today, &mut ids.into_iter())?;
    let then = then(&done, vault);
    Ok((done, then))
}

/// What the screen does once `done` is made, besides closing its dialog.
fn then(done: &model::Done, vault: &Vault) -> Then {
    use model::Done as D;
    match done {
        D::Added { id, .. } | D::Joined { id, .. } => Then::Select(id.clone()),
        D::Regenerated {
            id, old_live: true, ..
        } => Then::AskOld(id.clone()),
        D::Retired { id, .. } => Then::Retired(id.clone()),
        D::Recorded {
            apple_id, revoked, ..
        } => Then::Checklist(Checklist::new(apple_id.clone(), vault, revoked)),
        D::RenamedAppleId { new, .. } => Then::SelectAppleId(new.clone()),
        // The first entry imported, to see them where they are.
        D::Imported(outcome) => match outcome.added.first() {
            Some(first) => Then::Select(first.id.clone()),
            None => Then::Nothing,
        },
        D::Edited { .. }
        | D::Regenerated { .. }
        | D::RevokedOld { .. }
        | D::Deleted { .. }
        | D::Revoked { .. }
        | D::Unretired { .. }
        | D::Withdrew { .. }
        | D::WithdrewRevoke { .. }
        | D::ForgotAppleId { .. }
        | D::NamedAppleId { .. }
        | D::SetMail { .. }
        | D::Resolved { .. }
        | D::Audited { .. }
        | D::Verified { .. }
        | D::AddedRecoveryKey { .. }
        | D::RemovedRecoveryKey { .. } => Then::Nothing,
    }
}

/// A refused change: the form keeps what was typed and shows why; a confirmation
/// closes and the status area says why.
fn refused(state: &mut State, text: String) {
    // The conflict dialog stays open with the reason: the user picks the other side.
    if let Some(Overlay::Resolve(d)) = state.dialogs.top_mut() {
        d.refused = Some(text);
        return;
    }
    match state.dialogs.form_mut() {
        Some(form) => form.error = Some(text),
        None => {
            state.dialogs.pop();
            state.say(Tone::Error, text);
        }
    }
}
