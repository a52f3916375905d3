//! Submitting a form: its fields are checked, the change is made on the session's
//! vault (pure model operations) and the runner is asked to save it. A refusal keeps
//! the form open with the reason, so nothing typed is lost.

use jiff::civil::Date;

use super::form::{Field, Form, FormKind};
use super::msg::{Done, Effect};
use super::state::{Confirm, ConfirmKind, Overlay, State};
use super::update::refresh;
use crate::model::{Edit, Entry, NewEntry, Password};
use crate::text::escape_control;

pub(super) fn keep_open(state: &mut State, mut form: Form, error: String) -> Effect {
    form.error = Some(error);
    state.overlay = Some(Overlay::Form(form));
    Effect::None
}

pub(super) fn model_error(state: &State, e: &crate::model::ModelError) -> String {
    crate::tui::hints::describe_model(e, &state.keymap)
}

pub(super) fn submit(state: &mut State, form: Form) -> Effect {
    if let Some(long) = form.fields.iter().find(|f| f.overflowed) {
        let error = format!(
            "{} is longer than {} KiB: it was cut off, so nothing was saved. Shorten it.",
            long.label,
            crate::tui::form::MAX_FIELD_BYTES / 1024
        );
        return keep_open(state, form, error);
    }
    if let Some(missing) = form
        .fields
        .iter()
        .find(|f| !f.optional && f.text().trim().is_empty())
    {
        let error = format!("{} is empty.", missing.label);
        return keep_open(state, form, error);
    }
    match form.kind.clone() {
        FormKind::ChangePassphrase => change_passphrase(state, form),
        FormKind::Reset | FormKind::RevokeAll => revoke_preview(state, form),
        FormKind::Add => add(state, form),
        FormKind::Edit(id) => edit(state, form, &id),
        FormKind::Regenerate(id) => regenerate(state, form, &id),
    }
}

fn change_passphrase(state: &mut State, mut form: Form) -> Effect {
    if form.value("New passphrase") != form.value("Repeat it") {
        // As on the welcome screen: which of two hidden texts holds the typo cannot
        // be seen, so both are typed again.
        for field in &mut form.fields {
            field.clear();
        }
        form.focus = 0;
        return keep_open(
            state,
            form,
            "The two passphrases differ. Type them again.".to_owned(),
        );
    }
    let secret = form
        .field("New passphrase")
        .map(Field::secret)
        .unwrap_or_else(|| "".into());
    state.busy = Some(super::state::Busy {
        text: "Changing the passphrase: deriving the new key".to_owned(),
        since: state.now,
    });
    Effect::ChangePassphrase(secret)
}

/// Reset and Revoke All: show what they revoke before anything changes.
fn revoke_preview(state: &mut State, form: Form) -> Effect {
    let today = state.today;
    let date = match date_of(&form, "Date", today) {
        Ok(d) => d,
        Err(e) => return keep_open(state, form, e),
    };
    if date > today {
        return keep_open(state, form, format!("{date} is in the future."));
    }
    let apple_id = form.value("Apple ID").to_owned();
    let reset = form.kind == FormKind::Reset;
    let Some(s) = &state.session else {
        return Effect::None;
    };
    let hit: Vec<String> = crate::app::revoked_on(&s.loaded.vault, &apple_id, date)
        .into_iter()
        .map(|e| {
            format!(
                "  • {} — {}",
                escape_control(&e.label),
                escape_control(&e.apps.join(", "))
            )
        })
        .collect();
    if hit.is_empty() && !reset {
        return keep_open(
            state,
            form,
            format!("{apple_id} has no active entries created by {date}."),
        );
    }
    let mut lines = vec![if hit.is_empty() {
        "No active entry was created on or before that day: nothing becomes revoked.".to_owned()
    } else {
        match hit.len() {
            1 => "This one becomes revoked and waits to be regenerated:".to_owned(),
            n => format!("These {n} become revoked and wait to be regenerated:"),
        }
    }];
    lines.extend(hit);
    let (kind, title) = if reset {
        (
            ConfirmKind::Reset {
                apple_id: apple_id.clone(),
                on: date,
            },
            format!("Record the password reset of {apple_id} on {date}?"),
        )
    } else {
        (
            ConfirmKind::RevokeAll {
                apple_id: apple_id.clone(),
                on: date,
            },
            format!("Record Revoke All for {apple_id} on {date}?"),
        )
    };
    state.overlay = Some(Overlay::Confirm(Confirm {
        kind,
        title,
        lines,
        danger: true,
    }));
    Effect::None
}

fn add(state: &mut State, form: Form) -> Effect {
    let today = state.today;
    let created = match date_of(&form, "Created", today) {
        Ok(d) => d,
        Err(e) => return keep_open(state, form, e),
    };
    let password = match password_of(state, &form) {
        Ok(p) => p,
        Err(e) => return keep_open(state, form, e),
    };
    let new = NewEntry {
        label: form.value("Label").to_owned(),
        apple_id: form.value("Apple ID").to_owned(),
        apps: split_apps(form.value("Apps")),
        password,
        created,
        notes: form.value("Notes").to_owned(),
    };
    let id = match (state.new_id)() {
        Ok(id) => id,
        Err(e) => {
            let error = crate::tui::hints::describe(&e, &state.keymap, false);
            return keep_open(state, form, error);
        }
    };
    let Some(s) = &mut state.session else {
        return Effect::None;
    };
    match s.loaded.vault.add(id.clone(), new, today) {
        Ok(e) => {
            let done = Done::Added {
                label: e.label.clone(),
                apple_id: e.apple_id.clone(),
            };
            refresh(state);
            if let Some(s) = &mut state.session {
                s.select_id(&id);
            }
            Effect::Save(done)
        }
        Err(e) => {
            let error = model_error(state, &e);
            keep_open(state, form, error)
        }
    }
}

fn edit(state: &mut State, form: Form, id: &crate::model::EntryId) -> Effect {
    let today = state.today;
    // Only what the user touched is sent: a field parsed back from its text (apps
    // split at commas, a date) could differ from what is stored without any change.
    let created = match form.changed("Created").map(|_| date_of(&form, "Created", today)) {
        Some(Err(e)) => return keep_open(state, form, e),
        Some(Ok(d)) => Some(d),
        None => None,
    };
    let edit = Edit {
        label: form.changed("Label").map(str::to_owned),
        apple_id: form.changed("Apple ID").map(str::to_lowercase),
        apps: form.changed("Apps").map(split_apps),
        notes: form.changed("Notes").map(str::to_owned),
        created,
    };
    let Some(s) = &mut state.session else {
        return Effect::None;
    };
    match s.loaded.vault.edit(id, edit, today) {
        Ok(()) => {
            refresh(state);
            Effect::Save(Done::Edited)
        }
        Err(crate::model::ModelError::NothingToEdit) => Effect::None,
        Err(e) => {
            let error = model_error(state, &e);
            keep_open(state, form, error)
        }
    }
}

fn regenerate(state: &mut State, form: Form, id: &crate::model::EntryId) -> Effect {
    let today = state.today;
    let created = match date_of(&form, "Created", today) {
        Ok(d) => d,
        Err(e) => return keep_open(state, form, e),
    };
    let password = match password_of(state, &form) {
        Ok(p) => p,
        Err(e) => return keep_open(state, form, e),
    };
    let Some(s) = &mut state.session else {
        return Effect::None;
    };
    let was_active = s.loaded.vault.entry(id).is_some_and(Entry::is_active);
    match s.loaded.vault.regenerate(id, password, created, today) {
        Ok(()) => {
            let label = s
                .loaded
                .vault
                .entry(id)
                .map(|e| e.label.clone())
                .unwrap_or_default();
            refresh(state);
            Effect::Save(Done::Regenerated { label, was_active })
        }
        Err(e) => {
            let error = model_error(state, &e);
            keep_open(state, form, error)
        }
    }
}

/// A date field's value (`default` when the form has no such field).
fn date_of(form: &Form, label: &str, default: Date) -> Result<Date, String> {
    form.field(label).map_or(Ok(default), Field::date)
}

/// The form's app-specific password, checked against Apple's shape.
fn password_of(state: &State, form: &Form) -> Result<Password, String> {
    let field = form
        .field("Password")
        .ok_or_else(|| "the form has no password".to_owned())?;
    Password::parse(field.secret(), false).map_err(|e| model_error(state, &e.into()))
}

fn split_apps(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_owned)
        .collect()
}
