//! Recording that Apple revoked every password of an Apple ID (its password was
//! reset, or the user chose Revoke All): the form, the preview of what it revokes,
//! and the checklist of what to regenerate once it is recorded.

use crate::tui::dialogs::Question;
use jiff::civil::Date;

use super::{Change, Ctx, Outcome, Overlay, ResetKind, refuse};
use crate::action::Action;
use crate::app::{self, ChecklistItem};
use crate::model::{EntryId, Vault};
use crate::tui::form::{Field, FieldId, FieldKind, FormOf};
use crate::tui::keymap::{Keymap, Mode};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResetField {
    AppleId,
    Date,
}

impl FieldId for ResetField {
    const ALL: &'static [Self] = &[Self::AppleId, Self::Date];

    fn index(self) -> usize {
        self as usize
    }

    fn label(self) -> &'static str {
        match self {
            Self::AppleId => "Apple ID",
            Self::Date => "Date",
        }
    }
}

pub struct ResetDialog {
    pub kind: ResetKind,
    pub form: FormOf<ResetField>,
}

impl ResetDialog {
    /// One of `apple_ids` (starting at `current`, the selected entry's), on a day.
    pub fn new(
        kind: ResetKind,
        apple_ids: Vec<String>,
        current: Option<&str>,
        today: Date,
        keys: &Keymap,
    ) -> Self {
        let (title, intro) = match kind {
            ResetKind::PasswordReset => (
                "Apple ID password reset",
                "Changing or resetting an Apple ID password revokes all its app-specific passwords.",
            ),
            ResetKind::RevokeAll => (
                "Revoke All",
                "Record that you chose Revoke All at Apple for this Apple ID.",
            ),
        };
        let choice = current
            .and_then(|c| apple_ids.iter().position(|i| i == c))
            .unwrap_or(0);
        let today = today.to_string();
        let form = FormOf::new(title, |id| match id {
            ResetField::AppleId => {
                let mut field = Field::new(FieldKind::Choice(apple_ids.clone()), "");
                field.choice = choice;
                field
            }
            ResetField::Date => Field::new(FieldKind::Date, &today),
        })
        .with_intro(vec![
            intro.to_owned(),
            match keys.hint(Mode::Form, Action::Confirm, 1) {
                Some(k) => format!("{k} shows what it revokes before anything changes."),
                None => "Submitting shows what it revokes before anything changes.".to_owned(),
            },
        ]);
        Self { kind, form }
    }

    /// Shows what it revokes before anything changes.
    pub(super) fn submit(&mut self, ctx: &Ctx) -> Outcome {
        let date = match self.form[ResetField::Date].date() {
            Ok(d) => d,
            Err(e) => return refuse(&mut self.form, e),
        };
        if date > ctx.today {
            return refuse(&mut self.form, format!("{date} is in the future."));
        }
        let Some(vault) = ctx.vault else {
            return Outcome::Close;
        };
        let apple_id = self.form.value(ResetField::AppleId).to_owned();
        let revoked: Vec<ChecklistItem> = app::revoked_on(vault, &apple_id, date)
            .into_iter()
            .map(|e| ChecklistItem {
                label: e.label.clone(),
                apps: e.apps.clone(),
            })
            .collect();
        if revoked.is_empty() && self.kind == ResetKind::RevokeAll {
            let error = format!("{apple_id} has no active entries created by {date}.");
            return refuse(&mut self.form, error);
        }
        Outcome::Open(Overlay::Confirm(Question::Reset(ResetPreview {
            kind: self.kind,
            apple_id,
            on: date,
            revoked,
        })))
    }
}

/// What recording the reset will revoke, to confirm.
pub struct ResetPreview {
    pub kind: ResetKind,
    pub apple_id: String,
    pub on: Date,
    pub revoked: Vec<ChecklistItem>,
}

/// What to regenerate after a reset was recorded, one item per revoked entry; an
/// entry whose app is gone can be retired from here.
pub struct Checklist {
    pub apple_id: String,
    pub items: Vec<ChecklistLine>,
    pub selected: usize,
}

pub struct ChecklistLine {
    pub id: EntryId,
    pub item: ChecklistItem,
    /// Retired from this list: nothing to regenerate.
    pub retired: bool,
}

impl Checklist {
    /// The checklist of the entries `ids`, as `vault` holds them now.
    pub fn new(apple_id: String, vault: &Vault, ids: &[EntryId]) -> Self {
        let items = ids
            .iter()
            .filter(|id| vault.entry(id).is_some())
            .cloned()
            .zip(app::checklist(vault, ids))
            .map(|(id, item)| ChecklistLine {
                id,
                item,
                retired: false,
            })
            .collect();
        Self {
            apple_id,
            items,
            selected: 0,
        }
    }

    pub(super) fn on_action(&mut self, action: Action) -> Outcome {
        match action {
            Action::Down | Action::Up => {
                self.selected = super::step(self.selected, self.items.len(), action == Action::Down);
                Outcome::Stay
            }
            Action::Retire => match self.items.get(self.selected) {
                Some(line) if !line.retired => Outcome::Submit(Change::Retire {
                    id: line.id.clone(),
                    app: None,
                }),
                _ => Outcome::Stay,
            },
            Action::Confirm | Action::Back => Outcome::Close,
            _ => Outcome::Stay,
        }
    }

    pub fn mark_retired(&mut self, id: &EntryId) {
        if let Some(line) = self.items.iter_mut().find(|l| &l.id == id) {
            line.retired = true;
        }
    }
}
