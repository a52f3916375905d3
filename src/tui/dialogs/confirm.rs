//! Every yes/no question is one dialog: Enter says yes, Esc no, and no other key
//! does anything. A question holds the facts its words need (worded in
//! `views/words.rs`) and what yes asks for.

use super::{
    Change, DeleteConfirm, ForgetConfirm, JoinConfirm, Outcome, ResetPreview, UndoConfirm, UnretireConfirm,
    Withdrawal,
};
use jiff::civil::Date;

use crate::action::Action;
use crate::model::{Entry, EntryId};

pub enum Question {
    /// Deleting an entry, and its password with it.
    Delete(DeleteConfirm),
    /// What recording a reset or Revoke All revokes.
    Reset(ResetPreview),
    Unretire(UnretireConfirm),
    ForgetAppleId(ForgetConfirm),
    /// Withdrawing a reset on record, with what comes back.
    Withdraw(Withdrawal),
    /// An undo that drops a password the vault holds nowhere else.
    Undo(UndoConfirm),
    /// The add form's password is an active entry's: join that entry instead.
    Join(JoinConfirm),
    /// A regeneration left the old password live at Apple: revoked there yet?
    OldRevoked(OldPassword),
    /// Signing in with stored passwords, as their apps do.
    Verify(super::VerifyConfirm),
    /// Making a recovery key: what it is, before one is made.
    RecoveryKey(super::RecoveryKeyAsk),
    /// Writing every password in clear into an export file.
    Export(super::ExportAsk),
}

/// An entry whose old password may still take a slot at Apple.
pub struct OldPassword {
    pub id: EntryId,
    pub label: String,
    /// The created day of each old password still live.
    pub created: Vec<Date>,
}

impl OldPassword {
    pub fn of(e: &Entry) -> Self {
        Self {
            id: e.id.clone(),
            label: e.label.clone(),
            created: e.superseded.iter().map(|o| o.created).collect(),
        }
    }
}

impl Question {
    pub(super) fn on_action(&self, action: Action) -> Outcome {
        match action {
            Action::Confirm => self.yes(),
            Action::Back => Outcome::Close,
            _ => Outcome::Stay,
        }
    }

    fn yes(&self) -> Outcome {
        match self {
            Self::Delete(d) => Outcome::Submit(Change::Delete(d.id.clone())),
            Self::Reset(p) => Outcome::Submit(Change::Record {
                kind: p.kind,
                apple_id: p.apple_id.clone(),
                on: p.on,
            }),
            Self::Unretire(c) => Outcome::Submit(Change::Unretire(c.id.clone())),
            Self::ForgetAppleId(c) => Outcome::Submit(Change::ForgetAppleId(c.apple_id.clone())),
            // Refused by the model before it was asked: there is only the reason to read.
            Self::Withdraw(w) if w.refused.is_some() => Outcome::Close,
            Self::Withdraw(w) => Outcome::Submit(Change::Withdraw {
                kind: w.kind,
                apple_id: w.apple_id.clone(),
                on: Some(w.on),
            }),
            Self::Undo(_) => Outcome::Undo,
            Self::OldRevoked(o) => Outcome::Submit(Change::RevokeOld(o.id.clone())),
            Self::Join(j) => Outcome::Join {
                id: j.existing.clone(),
                label: j.label.clone(),
                apps: j.apps.clone(),
            },
            Self::Verify(v) => Outcome::Verify(v.selection.clone()),
            Self::RecoveryKey(_) => Outcome::MakeRecoveryKey,
            Self::Export(ask) => Outcome::Export {
                request: ask.request.clone(),
                asked: true,
            },
        }
    }
}
