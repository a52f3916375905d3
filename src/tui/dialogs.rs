//! Dialogs: forms, confirmations and choices, opened from the main screen and
//! submitted here. Vault changes are made on the session's vault (pure model
//! operations) and saved by the runner.

use super::action::Action;
use super::form::{Field, FieldKind, Form, FormKind};
use super::msg::{Done, Effect, ResetKind};
use super::state::{Choice, ChoiceKind, Confirm, ConfirmKind, Overlay, State, Tone};
use super::submit::{model_error, submit};
use super::update::refresh;
use crate::model::Entry;
use crate::text::escape_control;

/// The steps at Apple for a new password with the same label.
fn apple_steps(label: &str) -> [String; 4] {
    [
        "1. Sign in at account.apple.com (your trusted device shows a code).".to_owned(),
        "2. Sign-In and Security → App-Specific Passwords → Generate (+).".to_owned(),
        format!(
            "3. Label it \"{}\" exactly; confirm with your Apple ID password.",
            escape_control(label)
        ),
        "4. Paste below the password Apple shows (it never shows it again).".to_owned(),
    ]
}

fn apple_ids(state: &State) -> Vec<String> {
    state
        .session
        .as_ref()
        .map(|s| {
            s.loaded
                .vault
                .accounts
                .iter()
                .map(|a| a.apple_id.clone())
                .collect()
        })
        .unwrap_or_default()
}

fn selected(state: &State) -> Option<&Entry> {
    state.session.as_ref().and_then(|s| s.selected_entry())
}

fn apple_id_choice(state: &State) -> Option<Field> {
    let ids = apple_ids(state);
    if ids.is_empty() {
        return None;
    }
    let current = selected(state).map(|e| e.apple_id.clone());
    let mut field = Field::new("Apple ID", FieldKind::Choice(ids.clone()), "");
    field.choice = current
        .and_then(|c| ids.iter().position(|i| *i == c))
        .unwrap_or(0);
    Some(field)
}

/// Opens the dialog for a main-screen action.
pub fn open(state: &mut State, action: Action) -> Effect {
    let today = state.today.to_string();
    let overlay = match action {
        Action::Add => add_form(state, &today),
        Action::RevokeAll | Action::Reset => match apple_id_choice(state) {
            Some(id_field) => revoke_all_form(action == Action::Reset, id_field, &today),
            None => return nothing(state, "revoke"),
        },
        Action::ChangePassphrase => Overlay::Form(Form::new(
            FormKind::ChangePassphrase,
            "Change the vault passphrase",
            vec![
                Field::new("New passphrase", FieldKind::Secret, ""),
                Field::new("Repeat it", FieldKind::Secret, ""),
            ],
        )),
        Action::Revoke if selected(state).is_some_and(|e| !e.is_active()) => {
            let regenerate = crate::tui::hints::key(&state.keymap, Action::Regenerate, "regenerate");
            state.say(
                Tone::Info,
                format!("Already revoked. To store a new password for it, {regenerate}."),
            );
            return Effect::None;
        }
        Action::Confirm | Action::Edit | Action::Delete | Action::Revoke | Action::Regenerate => {
            let Some(e) = selected(state) else {
                let what = match action {
                    Action::Delete => "delete",
                    Action::Revoke => "revoke",
                    Action::Regenerate => "regenerate",
                    _ => "edit",
                };
                return nothing(state, what);
            };
            match action {
                Action::Delete => delete_confirm(e),
                Action::Revoke => revoke_choice(e),
                Action::Regenerate => regenerate_form(e, &today),
                _ => edit_form(e),
            }
        }
        _ => return Effect::None,
    };
    state.overlay = Some(overlay);
    Effect::None
}

fn add_form(state: &State, today: &str) -> Overlay {
    let apple_id = selected(state).map(|e| e.apple_id.clone()).unwrap_or_default();
    Overlay::Form(
        Form::new(
            FormKind::Add,
            "Add an app-specific password",
            vec![
                Field::new("Label", FieldKind::Text, ""),
                Field::new("Apple ID", FieldKind::Text, &apple_id),
                Field::new("Apps", FieldKind::Text, ""),
                Field::new("Password", FieldKind::AppPassword, ""),
                Field::new("Created", FieldKind::Date, today),
                Field::new("Notes", FieldKind::Text, "").optional(),
            ],
        )
        .with_intro(vec![
            "The label exactly as typed at Apple; apps separated by commas.".to_owned(),
        ]),
    )
}

fn edit_form(e: &Entry) -> Overlay {
    Overlay::Form(Form::new(
        FormKind::Edit(e.id.clone()),
        format!("Edit \"{}\"", escape_control(&e.label)),
        vec![
            Field::new("Label", FieldKind::Text, &e.label),
            Field::new("Apple ID", FieldKind::Text, &e.apple_id),
            Field::new("Apps", FieldKind::Text, &e.apps.join(", ")),
            Field::new("Created", FieldKind::Date, &e.created.to_string()),
            Field::new("Notes", FieldKind::Text, &e.notes).optional(),
        ],
    ))
}

fn delete_confirm(e: &Entry) -> Overlay {
    let mut lines = vec![format!(
        "\"{}\" ({}) and its password will be gone for good.",
        escape_control(&e.label),
        e.apple_id
    )];
    if e.is_active() {
        lines.push("It may still be active at Apple: revoke it there if its app is gone.".to_owned());
    }
    Overlay::Confirm(Confirm {
        kind: ConfirmKind::Delete(e.id.clone()),
        title: "Delete this entry?".to_owned(),
        lines,
        danger: true,
    })
}

fn revoke_choice(e: &Entry) -> Overlay {
    Overlay::Choice(Choice {
        kind: ChoiceKind::Revoke(e.id.clone()),
        title: format!(
            "Revoked \"{}\" at Apple today. Its apps:",
            escape_control(&e.label)
        ),
        options: vec![
            "App retired — no new password needed".to_owned(),
            "Still needed — regenerate a new one".to_owned(),
        ],
        selected: 0,
    })
}

fn revoke_all_form(reset: bool, id_field: Field, today: &str) -> Overlay {
    let (kind, title, intro) = if reset {
        (
            FormKind::Reset,
            "Apple ID password reset",
            "Changing or resetting an Apple ID password revokes all its app-specific passwords.",
        )
    } else {
        (
            FormKind::RevokeAll,
            "Revoke All",
            "Record that you chose Revoke All at Apple for this Apple ID.",
        )
    };
    Overlay::Form(
        Form::new(
            kind,
            title,
            vec![id_field, Field::new("Date", FieldKind::Date, today)],
        )
        .with_intro(vec![
            intro.to_owned(),
            "Enter shows what it revokes before anything changes.".to_owned(),
        ]),
    )
}

fn regenerate_form(e: &Entry, today: &str) -> Overlay {
    let mut intro = vec![format!(
        "New password for \"{}\" ({}), used by {}:",
        escape_control(&e.label),
        e.apple_id,
        escape_control(&e.apps.join(", "))
    )];
    intro.extend(apple_steps(&e.label));
    Overlay::Form(
        Form::new(
            FormKind::Regenerate(e.id.clone()),
            "Regenerate",
            vec![
                Field::new("Password", FieldKind::AppPassword, ""),
                Field::new("Created", FieldKind::Date, today),
            ],
        )
        .with_intro(intro),
    )
}

fn nothing(state: &mut State, what: &str) -> Effect {
    state.say(Tone::Info, format!("Nothing to {what}: the list is empty."));
    Effect::None
}

/// Keys inside a dialog.
pub fn on_action(state: &mut State, action: Action) -> Effect {
    if action == Action::Quit {
        return super::update::quit(state);
    }
    let Some(overlay) = state.overlay.take() else {
        return Effect::None;
    };
    match overlay {
        Overlay::Form(form) => form_action(state, form, action),
        Overlay::Confirm(confirm) => match action {
            Action::Confirm => confirmed(state, confirm.kind),
            Action::Back => Effect::None,
            _ => {
                state.overlay = Some(Overlay::Confirm(confirm));
                Effect::None
            }
        },
        Overlay::Choice(mut choice) => match action {
            Action::Down | Action::Up => {
                choice.selected = step(choice.selected, choice.options.len(), action == Action::Down);
                state.overlay = Some(Overlay::Choice(choice));
                Effect::None
            }
            Action::Confirm => chosen(state, choice),
            _ => Effect::None,
        },
        Overlay::Checklist { .. } | Overlay::Notice { .. } => match action {
            Action::Confirm | Action::Back => Effect::None,
            _ => {
                state.overlay = Some(overlay);
                Effect::None
            }
        },
        Overlay::Themes { selected, original } => themes_action(state, selected, original, action),
        other => {
            state.overlay = Some(other);
            Effect::None
        }
    }
}

/// The next (or previous) of `n` choices, wrapping around.
fn step(selected: usize, n: usize, forward: bool) -> usize {
    let n = n.max(1);
    if forward {
        (selected + 1) % n
    } else {
        (selected + n - 1) % n
    }
}

fn form_action(state: &mut State, mut form: Form, action: Action) -> Effect {
    match action {
        Action::Back => return Effect::None,
        Action::Confirm => return submit(state, form),
        Action::NextField | Action::PrevField => form.move_focus(action == Action::NextField),
        Action::ChoicePrev | Action::ChoiceNext => form.focused().cycle(action == Action::ChoiceNext),
        _ => {}
    }
    state.overlay = Some(Overlay::Form(form));
    Effect::None
}

fn themes_action(
    state: &mut State,
    mut selected: usize,
    original: crate::theme::Theme,
    action: Action,
) -> Effect {
    match action {
        Action::Down | Action::Up => {
            selected = step(selected, state.themes.len(), action == Action::Down);
            // Live preview: the whole screen redraws in the theme under the cursor.
            if let Some(t) = state.themes.get(selected) {
                state.theme = t.clone();
            }
        }
        Action::Confirm => {
            let name = state.theme.name.clone();
            state.say(
                Tone::Good,
                format!("Theme \"{name}\" for this session; set theme: \"{name}\" in config.ron to keep it."),
            );
            return Effect::None;
        }
        Action::Back => {
            state.theme = original;
            return Effect::None;
        }
        _ => {}
    }
    state.overlay = Some(Overlay::Themes { selected, original });
    Effect::None
}

fn confirmed(state: &mut State, kind: ConfirmKind) -> Effect {
    let today = state.today;
    let regenerate = crate::tui::hints::key(&state.keymap, Action::Regenerate, "regenerate");
    let Some(s) = &mut state.session else {
        return Effect::None;
    };
    let vault = &mut s.loaded.vault;
    let (apple_id, on, reset) = match kind {
        ConfirmKind::Delete(id) => {
            return match vault.remove(&id) {
                Ok(e) => {
                    let done = Done::Deleted { label: e.label };
                    refresh(state);
                    Effect::Save(done)
                }
                Err(e) => {
                    let error = model_error(state, &e);
                    state.say(Tone::Error, error);
                    Effect::None
                }
            };
        }
        ConfirmKind::RevokeAll { apple_id, on } => (apple_id, on, false),
        ConfirmKind::Reset { apple_id, on } => (apple_id, on, true),
    };
    let result = if reset {
        vault.reset(&apple_id, on, today)
    } else {
        vault.revoke_all(&apple_id, on, today)
    };
    let ids = match result {
        Ok(ids) => ids,
        Err(e) => {
            let error = model_error(state, &e);
            state.say(Tone::Error, error);
            return Effect::None;
        }
    };
    let mut lines = Vec::new();
    if ids.is_empty() {
        lines.push("Nothing to regenerate: no active entry was created on or before that day.".to_owned());
    } else {
        lines.push(format!(
            "Apple revoked {} app-specific password{}. For each one:",
            ids.len(),
            if ids.len() == 1 { "" } else { "s" }
        ));
        lines.push(format!(
            "generate a new one with the same label, enter it in its apps, then select it here and {regenerate}."
        ));
        lines.push(String::new());
        for item in crate::app::checklist(vault, &ids) {
            lines.push(format!(
                "[ ] {} — {}",
                escape_control(&item.label),
                escape_control(&item.apps.join(", "))
            ));
        }
    }
    let kind = if reset {
        ResetKind::PasswordReset
    } else {
        ResetKind::RevokeAll
    };
    let done = Done::Recorded {
        kind,
        apple_id: apple_id.clone(),
        on,
    };
    refresh(state);
    if let Some(s) = &mut state.session {
        s.filter = super::rows::StatusFilter::Attention;
        s.refresh_rows();
    }
    state.overlay = Some(Overlay::Checklist {
        title: format!("To regenerate for {apple_id}"),
        lines,
    });
    Effect::Save(done)
}

fn chosen(state: &mut State, choice: Choice) -> Effect {
    let today = state.today;
    let ChoiceKind::Revoke(id) = choice.kind;
    let needs_replacement = choice.selected == 1;
    let Some(s) = &mut state.session else {
        return Effect::None;
    };
    match s.loaded.vault.revoke(&id, today, needs_replacement, today) {
        Ok(()) => {
            let label = s
                .loaded
                .vault
                .entry(&id)
                .map(|e| e.label.clone())
                .unwrap_or_default();
            refresh(state);
            Effect::Save(Done::Revoked {
                label,
                still_needed: needs_replacement,
            })
        }
        Err(e) => {
            let error = model_error(state, &e);
            state.say(Tone::Error, error);
            Effect::None
        }
    }
}
