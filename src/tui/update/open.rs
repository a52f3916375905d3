//! Opening the dialog for a main-screen action, about the selected entry where it
//! needs one. Part of `update`.

use crate::tui::action::Action;
use crate::tui::dialogs::{
    AddDialog, DeleteConfirm, EditDialog, Overlay, PassphraseDialog, RegenerateDialog, ResetDialog,
    ResetKind, RevokeChoice, ThemePicker,
};
use crate::tui::msg::Effect;
use crate::tui::state::{Session, State, Tone};

pub(super) fn open(state: &mut State, action: Action) -> Effect {
    let today = state.today;
    let selected = state.session.as_ref().and_then(Session::selected_entry);
    let overlay = match action {
        Action::Add => Overlay::Add(AddDialog::new(selected.map_or("", |e| &e.apple_id), today)),
        Action::RevokeAll | Action::Reset => {
            let Some(session) = &state.session else {
                return Effect::None;
            };
            let ids: Vec<String> = session
                .loaded
                .vault
                .accounts
                .iter()
                .map(|a| a.apple_id.clone())
                .collect();
            if ids.is_empty() {
                return nothing(state, "revoke");
            }
            let kind = match action {
                Action::Reset => ResetKind::PasswordReset,
                _ => ResetKind::RevokeAll,
            };
            let current = selected.map(|e| e.apple_id.as_str());
            Overlay::Reset(ResetDialog::new(kind, ids, current, today, &state.keymap))
        }
        Action::ChangePassphrase => Overlay::ChangePassphrase(PassphraseDialog::new()),
        Action::Themes => Overlay::Themes(ThemePicker {
            selected: state
                .themes
                .iter()
                .position(|t| t.name == state.theme.name)
                .unwrap_or(0),
            original: state.theme.clone(),
        }),
        Action::Revoke if selected.is_some_and(|e| !e.is_active()) => {
            let regenerate = crate::tui::hints::key(&state.keymap, Action::Regenerate, "regenerate");
            state.say(
                Tone::Info,
                format!("Already revoked. To store a new password for it, {regenerate}."),
            );
            return Effect::None;
        }
        Action::Confirm | Action::Edit | Action::Delete | Action::Revoke | Action::Regenerate => {
            let Some(e) = selected else {
                let what = match action {
                    Action::Delete => "delete",
                    Action::Revoke => "revoke",
                    Action::Regenerate => "regenerate",
                    _ => "edit",
                };
                return nothing(state, what);
            };
            match action {
                Action::Delete => Overlay::Delete(DeleteConfirm::new(e)),
                Action::Revoke => Overlay::Revoke(RevokeChoice::new(e)),
                Action::Regenerate => Overlay::Regenerate(RegenerateDialog::new(e, today)),
                _ => Overlay::Edit(EditDialog::new(e)),
            }
        }
        _ => return Effect::None,
    };
    state.overlay = Some(overlay);
    Effect::None
}

fn nothing(state: &mut State, what: &str) -> Effect {
    state.say(Tone::Info, format!("Nothing to {what}: the list is empty."));
    Effect::None
}
