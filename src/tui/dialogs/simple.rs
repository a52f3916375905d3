//! The small dialogs: confirming a deletion or an undo, a new passphrase, the help,
//! the theme picker and notices.

use super::{Outcome, ThemeMove, refuse, step};
use crate::action::Action;
use crate::model::{Entry, EntryId};
use crate::theme::Theme;
use crate::tui::form::{Field, FieldId, FieldKind, FormOf};

pub struct DeleteConfirm {
    pub id: EntryId,
    pub label: String,
    pub apple_id: String,
    /// Still active at Apple: deleting it here does not revoke it there.
    pub active: bool,
    /// aspen holds its password (an entry recorded without one loses none).
    pub stored: bool,
}

impl DeleteConfirm {
    pub fn new(e: &Entry) -> Self {
        Self {
            id: e.id.clone(),
            label: e.label.clone(),
            apple_id: e.apple_id.clone(),
            active: e.is_active(),
            stored: e.password_stored(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PassphraseField {
    New,
    Repeat,
}

impl FieldId for PassphraseField {
    const ALL: &'static [Self] = &[Self::New, Self::Repeat];

    fn index(self) -> usize {
        self as usize
    }

    fn label(self) -> &'static str {
        match self {
            Self::New => "New passphrase",
            Self::Repeat => "Repeat it",
        }
    }
}

/// Changing the vault's passphrase: the new one, twice.
pub struct PassphraseDialog {
    pub form: FormOf<PassphraseField>,
}

impl PassphraseDialog {
    pub fn new() -> Self {
        Self {
            form: FormOf::new("Change the vault passphrase", |_| {
                Field::new(FieldKind::Secret, "")
            }),
        }
    }

    pub(super) fn submit(&mut self) -> Outcome {
        let form = &mut self.form;
        if form.value(PassphraseField::New) != form.value(PassphraseField::Repeat) {
            // As on the welcome screen: which of two hidden texts holds the typo
            // cannot be seen, so both are typed again.
            for field in &mut form.fields {
                field.clear();
            }
            form.focus = 0;
            return refuse(form, "The two passphrases differ. Type them again.".to_owned());
        }
        Outcome::NewPassphrase(form[PassphraseField::New].secret())
    }
}

impl Default for PassphraseDialog {
    fn default() -> Self {
        Self::new()
    }
}

/// The keys of the screen under it, scrolled this far.
pub struct Help {
    pub scroll: u16,
}

impl Help {
    pub(super) fn on_action(&mut self, action: Action, limit: u16) -> Outcome {
        match action {
            // Down stops at the last line: past it there is only an empty box.
            Action::Down => self.scroll = self.scroll.saturating_add(1).min(limit),
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            _ => return Outcome::Close,
        }
        Outcome::Stay
    }
}

/// The themes to choose from, the screen drawn live in the one under the cursor.
pub struct ThemePicker {
    pub selected: usize,
    /// What Esc puts back.
    pub original: Theme,
}

impl ThemePicker {
    pub(super) fn on_action(&mut self, action: Action, themes: usize) -> Outcome {
        match action {
            Action::Down | Action::Up => {
                self.selected = step(self.selected, themes, action == Action::Down);
                Outcome::Theme(ThemeMove::Preview(self.selected))
            }
            Action::Confirm => Outcome::Theme(ThemeMove::Keep),
            Action::Back => Outcome::Theme(ThemeMove::Undo),
            _ => Outcome::Stay,
        }
    }
}

/// Taking back the last change when that drops a password the vault holds nowhere
/// else (an add, a regenerate): Apple never shows it again.
pub struct UndoConfirm {
    pub what: String,
    /// The entries whose password would leave the vault.
    pub losing: Vec<String>,
}

/// The password typed in the add form is an active entry's already: Apple allows one
/// password in several apps, so the apps may join that entry instead of a second one.
pub struct JoinConfirm {
    pub existing: EntryId,
    pub label: String,
    /// The apps the form named that the entry lacks.
    pub apps: Vec<String>,
    /// The add form, as typed, waits below this dialog: No goes back to it.
    pub new: crate::model::NewEntry,
}

/// Problems to read before going on, one per line; closed with Enter or Esc.
pub struct Notice {
    pub title: String,
    pub lines: Vec<String>,
}
