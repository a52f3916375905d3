//! Dialogs: one type per dialog, holding what it shows and handling its keys. A
//! dialog changes only itself; what it asks for goes back to `update` as an
//! [`Outcome`], and only `update` applies a [`Change`] to the vault.

mod accounts;
mod audit;
mod card;
mod confirm;
mod conflict;
mod entry;
mod export;
mod import;
mod recovery;
mod reset;
mod revoke;
mod simple;
mod stack;
mod verify;

use jiff::civil::Date;

pub use self::accounts::{
    ForgetConfirm, MailAppleId, MailField, NameAppleId, NameField, RenameAppleId, RenameField,
    WithdrawChooser, Withdrawal,
};
pub use self::audit::{AuditDialog, AuditField, AuditRow, AuditStep, Mark, apple_date as audit_apple_date};
pub use self::card::{CardRow, SetupCard};
pub use self::confirm::{OldPassword, Question};
pub use self::conflict::ResolveDialog;
pub use self::entry::{AddDialog, AddField, EditDialog, EditField, RegenerateDialog, RegenerateField};
pub use self::export::{ExportAsk, ExportDialog, ExportField};
pub use self::import::{ImportDialog, ImportField, ImportPreview, ImportRequest, tool_name};
pub use self::recovery::{RecoveryKeyAsk, RecoveryKeyDialog};
pub use self::reset::{Checklist, ChecklistLine, ResetDialog, ResetField, ResetPreview};
pub use self::revoke::{
    Candidate, MakeRoom, Replacement, RetireChoice, RetireOption, RevokeDialog, RevokeField, UnretireConfirm,
};
pub use self::simple::{
    DeleteConfirm, Help, JoinConfirm, Notice, PassphraseDialog, PassphraseField, ThemePicker, UndoConfirm,
};
pub use self::stack::Dialogs;
pub use self::verify::{VerifyAbout, VerifyConfirm};
use super::action::Action;
use super::form::Form;
use super::keymap::Keymap;
/// A dialog asks for a change to the vault as the model defines it, once.
pub use crate::model::{Change, ResetKind};
use crate::model::{EntryId, Vault};
use crate::secret::SecretString;

/// The dialog open over the screen.
pub enum Overlay {
    Help(Help),
    Add(AddDialog),
    Edit(EditDialog),
    Regenerate(RegenerateDialog),
    /// A password reset or Revoke All: which Apple ID, which day.
    Reset(ResetDialog),
    /// What to regenerate after a reset was recorded.
    Checklist(Checklist),
    ChangePassphrase(PassphraseDialog),
    Revoke(RevokeDialog),
    /// A revoked entry that waits to be regenerated: retire it, or one of its apps.
    Retire(RetireChoice),
    /// The add form was refused for a full Apple ID: which entry to revoke.
    MakeRoom(MakeRoom),
    SetupCard(SetupCard),
    RenameAppleId(RenameAppleId),
    NameAppleId(NameAppleId),
    /// The iCloud Mail address of an Apple ID that is not one itself.
    MailAppleId(MailAppleId),
    Withdraw(WithdrawChooser),
    /// Which side of a merge's conflicts to keep.
    Resolve(ResolveDialog),
    /// Checking an Apple ID's entries against Apple's page, step by step.
    Audit(Box<AuditDialog>),
    /// A yes/no question: Enter says yes, Esc no.
    Confirm(Question),
    Themes(ThemePicker),
    /// Problems to read before going on (bad settings, files others can change).
    Notice(Notice),
    /// Which export to import, and what it lacks.
    Import(ImportDialog),
    /// What importing it would do; nothing is written before Enter.
    ImportPreview(Box<ImportPreview>),
    /// A new recovery key, shown once its save is durable.
    RecoveryKey(RecoveryKeyDialog),
    /// Where to export, what, and whether with the passwords.
    Export(ExportDialog),
}

/// What a dialog may read besides itself while it handles a key.
pub struct Ctx<'a> {
    pub today: Date,
    pub keys: &'a Keymap,
    /// The open vault; `None` when locked.
    pub vault: Option<&'a Vault>,
    /// How many themes the picker offers.
    pub themes: usize,
    /// How far the help scrolls at the window's size.
    pub help_limit: u16,
    /// How far an import's preview scrolls at the window's size.
    pub preview_limit: u16,
}

/// What a key in a dialog comes to; `update` carries it out.
pub enum Outcome {
    Stay,
    Close,
    /// Another dialog takes this one's place (a reset's preview).
    Open(Overlay),
    /// Make this change to the vault and save it.
    Submit(Change),
    /// Save the vault under a new passphrase (its key is derived in the background).
    NewPassphrase(SecretString),
    /// The theme picker moved or closed.
    Theme(ThemeMove),
    /// Put this value on the clipboard (a server name, a label): nothing secret.
    CopyValue {
        what: String,
        value: String,
    },
    /// Put this entry's password on the clipboard, cleared after the usual time.
    CopyPassword(EntryId),
    /// Take back the session's last change.
    Undo,
    /// Add the add form's apps (those it lacks) to the entry `id` that has its
    /// password.
    Join {
        id: EntryId,
        label: String,
        apps: Vec<String>,
    },
    /// Sign in with the passwords of these entries, in the background.
    Verify(crate::app::verify::Selection),
    /// Read this export, to preview what importing it would do.
    ReadImport(ImportRequest),
    /// Make a recovery key and save the vault encrypted to it too.
    MakeRecoveryKey,
    /// Write this export; `asked`: the question about its passwords was answered.
    Export {
        request: crate::app::export::Request,
        asked: bool,
    },
}

/// The theme picker's moves: its live preview, keeping what is shown, undoing it.
pub enum ThemeMove {
    Preview(usize),
    Keep,
    Undo,
}

impl Overlay {
    /// The form, for the dialogs that are one.
    pub fn form(&self) -> Option<&Form> {
        match self {
            Self::Add(d) => Some(&d.form),
            Self::Edit(d) => Some(&d.form),
            Self::Regenerate(d) => Some(&d.form),
            Self::Reset(d) => Some(&d.form),
            Self::ChangePassphrase(d) => Some(&d.form),
            Self::Revoke(d) => Some(&d.form),
            Self::RenameAppleId(d) => Some(&d.form),
            Self::NameAppleId(d) => Some(&d.form),
            Self::MailAppleId(d) => Some(&d.form),
            Self::Import(d) => Some(&d.form),
            Self::Export(d) => Some(&d.form),
            Self::Audit(d) if d.step == AuditStep::Unlisted => Some(&d.form),
            _ => None,
        }
    }

    pub fn form_mut(&mut self) -> Option<&mut Form> {
        match self {
            Self::Add(d) => Some(&mut d.form),
            Self::Edit(d) => Some(&mut d.form),
            Self::Regenerate(d) => Some(&mut d.form),
            Self::Reset(d) => Some(&mut d.form),
            Self::ChangePassphrase(d) => Some(&mut d.form),
            Self::Revoke(d) => Some(&mut d.form),
            Self::RenameAppleId(d) => Some(&mut d.form),
            Self::NameAppleId(d) => Some(&mut d.form),
            Self::MailAppleId(d) => Some(&mut d.form),
            Self::Import(d) => Some(&mut d.form),
            Self::Export(d) => Some(&mut d.form),
            Self::Audit(d) if d.step == AuditStep::Unlisted => Some(&mut d.form),
            _ => None,
        }
    }

    /// Handles a key's action. Every form moves, cycles and cancels alike; what
    /// submitting does is each dialog's own.
    pub fn on_action(&mut self, action: Action, ctx: &Ctx) -> Outcome {
        // The audit moves between its steps itself, its form among them.
        let own_keys = matches!(self, Self::Audit(_));
        if action == Action::CopyLabel && !own_keys {
            return match self {
                Self::Add(d) => d.copy_label(),
                _ => Outcome::Stay,
            };
        }
        if !own_keys && let Some(form) = self.form_mut() {
            if action != Action::Confirm {
                let outcome = navigate(form, action);
                match self {
                    Self::Add(d) => d.follow_choices(),
                    Self::Edit(d) => d.follow_choices(),
                    Self::Export(d) => d.follow_choices(),
                    _ => {}
                }
                return outcome;
            }
            if let Err(e) = form.check_filled() {
                return refuse(form, e);
            }
        }
        match self {
            Self::Add(d) => d.submit(ctx),
            Self::Edit(d) => d.submit(),
            Self::Regenerate(d) => d.submit(ctx),
            Self::Reset(d) => d.submit(ctx),
            Self::ChangePassphrase(d) => d.submit(),
            Self::Revoke(d) => d.submit(ctx),
            Self::RenameAppleId(d) => d.submit(),
            Self::NameAppleId(d) => d.submit(),
            Self::MailAppleId(d) => d.submit(),
            Self::Import(d) => d.submit(ctx),
            Self::Export(d) => d.submit(),
            Self::ImportPreview(p) => p.on_action(action, ctx.preview_limit),
            Self::RecoveryKey(d) => d.on_action(action),
            Self::Help(h) => h.on_action(action, ctx.help_limit),
            Self::Confirm(q) => q.on_action(action),
            Self::Retire(c) => c.on_action(action),
            Self::MakeRoom(m) => m.on_action(action, ctx),
            Self::SetupCard(c) => c.on_action(action),
            Self::Withdraw(c) => c.on_action(action),
            Self::Resolve(c) => c.on_action(action),
            Self::Audit(a) => a.on_action(action, ctx),
            Self::Checklist(list) => list.on_action(action),
            Self::Themes(t) => t.on_action(action, ctx.themes),
            Self::Notice(_) => match action {
                Action::Confirm | Action::Back => Outcome::Close,
                _ => Outcome::Stay,
            },
        }
    }
}

/// The keys every form handles alike.
fn navigate(form: &mut Form, action: Action) -> Outcome {
    match action {
        Action::Back => return Outcome::Close,
        Action::NextField | Action::PrevField => form.move_focus(action == Action::NextField),
        Action::ChoicePrev | Action::ChoiceNext => form.focused().cycle(action == Action::ChoiceNext),
        _ => {}
    }
    Outcome::Stay
}

/// Keeps the form open with the reason, so nothing typed is lost.
fn refuse(form: &mut Form, error: String) -> Outcome {
    form.error = Some(error);
    Outcome::Stay
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
