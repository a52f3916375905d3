//! Dialogs about an Apple ID as a whole, opened from the overview: renaming it (a
//! typo), forgetting it, and withdrawing a reset or Revoke All recorded by mistake.

use crate::tui::dialogs::Question;
use jiff::civil::Date;

use super::{Change, Outcome, Overlay, ResetKind, step};
use crate::action::Action;
use crate::tui::form::{Field, FieldId, FieldKind, FormOf};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenameField {
    NewAppleId,
}

impl FieldId for RenameField {
    const ALL: &'static [Self] = &[Self::NewAppleId];

    fn index(self) -> usize {
        self as usize
    }

    fn label(self) -> &'static str {
        match self {
            Self::NewAppleId => "New Apple ID",
        }
    }
}

/// Fixing an Apple ID typed wrong: its entries and resets move to the new one.
pub struct RenameAppleId {
    pub old: String,
    pub form: FormOf<RenameField>,
}

impl RenameAppleId {
    pub fn new(old: &str, entries: usize) -> Self {
        let form =
            FormOf::new(format!("Rename {old}"), |_| Field::new(FieldKind::Text, old)).with_intro(vec![
                format!(
                    "Its {entries} entr{} and its recorded resets move to the new Apple ID; an Apple ID \
                 already in the vault is joined with it.",
                    if entries == 1 { "y" } else { "ies" }
                ),
            ]);
        Self {
            old: old.to_owned(),
            form,
        }
    }

    pub(super) fn submit(&mut self) -> Outcome {
        Outcome::Submit(Change::RenameAppleId {
            old: self.old.clone(),
            new: self.form.value(RenameField::NewAppleId).to_owned(),
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameField {
    Name,
}

impl FieldId for NameField {
    const ALL: &'static [Self] = &[Self::Name];

    fn index(self) -> usize {
        self as usize
    }

    fn label(self) -> &'static str {
        match self {
            Self::Name => "Name",
        }
    }
}

/// The name the user calls an Apple ID by, shown beside it; empty clears it.
pub struct NameAppleId {
    pub apple_id: String,
    pub form: FormOf<NameField>,
}

impl NameAppleId {
    pub fn new(apple_id: &str, name: &str) -> Self {
        let form = FormOf::new(format!("Name {apple_id}"), |_| {
            Field::new(FieldKind::Text, name).optional()
        })
        .with_intro(vec![
            "How you call it (\"me\", \"family\", \"work\"); shown beside the Apple ID. \
             Empty clears it."
                .to_owned(),
        ]);
        Self {
            apple_id: apple_id.to_owned(),
            form,
        }
    }

    pub(super) fn submit(&mut self) -> Outcome {
        Outcome::Submit(Change::NameAppleId {
            apple_id: self.apple_id.clone(),
            name: self.form.value(NameField::Name).trim().to_owned(),
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailField {
    Address,
}

impl FieldId for MailField {
    const ALL: &'static [Self] = &[Self::Address];

    fn index(self) -> usize {
        self as usize
    }

    fn label(self) -> &'static str {
        match self {
            Self::Address => "Address",
        }
    }
}

/// The iCloud Mail address of an Apple ID that is not one itself; empty clears it.
pub struct MailAppleId {
    pub apple_id: String,
    pub form: FormOf<MailField>,
}

impl MailAppleId {
    pub fn new(apple_id: &str, mail: &str) -> Self {
        let form = FormOf::new(format!("iCloud Mail address of {apple_id}"), |_| {
            Field::new(FieldKind::Text, mail).optional()
        })
        .with_intro(vec![
            "The address iCloud Mail uses for this Apple ID (…@icloud.com, @me.com or @mac.com): \
             mail apps sign in with it, the setup card shows it, and verifying signs in over IMAP \
             with it. Empty clears it."
                .to_owned(),
        ]);
        Self {
            apple_id: apple_id.to_owned(),
            form,
        }
    }

    pub(super) fn submit(&mut self) -> Outcome {
        Outcome::Submit(Change::SetMail {
            apple_id: self.apple_id.clone(),
            mail: self.form.value(MailField::Address).trim().to_owned(),
        })
    }
}

/// Forgetting an Apple ID no entry uses any more.
pub struct ForgetConfirm {
    pub apple_id: String,
    pub resets: usize,
}

/// A reset or Revoke All on record, and what withdrawing it would do, worked out on a
/// copy of the vault by the model itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Withdrawal {
    pub kind: ResetKind,
    pub apple_id: String,
    pub on: Date,
    /// Active again.
    pub restored: Vec<String>,
    /// Changed since (regenerated, retired): left as they are.
    pub changed_since: Vec<String>,
    /// Why it cannot be withdrawn now (the Apple ID would pass 25 active).
    pub refused: Option<String>,
}

/// Which reset or Revoke All to withdraw, newest first.
pub struct WithdrawChooser {
    pub records: Vec<Withdrawal>,
    pub selected: usize,
}

impl WithdrawChooser {
    pub(super) fn on_action(&mut self, action: Action) -> Outcome {
        match action {
            Action::Down | Action::Up => {
                self.selected = step(self.selected, self.records.len(), action == Action::Down);
                Outcome::Stay
            }
            Action::Confirm => match self.records.get(self.selected) {
                Some(w) => Outcome::Open(Overlay::Confirm(Question::Withdraw(w.clone()))),
                None => Outcome::Close,
            },
            Action::Back => Outcome::Close,
            _ => Outcome::Stay,
        }
    }
}
