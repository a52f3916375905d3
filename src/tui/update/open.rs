//! Opening the dialog for a main-screen action, about the selected entry where it
//! needs one. Part of `update`.

use crate::tui::dialogs::Question;
use jiff::civil::Date;

use crate::model::{ModelError, RevokeReason, Status};
use crate::tui::action::Action;
use crate::tui::dialogs::{
    AddDialog, AuditDialog, AuditRow, DeleteConfirm, EditDialog, ExportDialog, ForgetConfirm, ImportDialog,
    MailAppleId, NameAppleId, OldPassword, Overlay, PassphraseDialog, RegenerateDialog, RenameAppleId,
    ResetDialog, ResetKind, ResolveDialog, RetireChoice, RevokeDialog, SetupCard, ThemePicker,
    UnretireConfirm, WithdrawChooser, Withdrawal,
};
use crate::tui::msg::Effect;
use crate::tui::state::{Session, State, Tone};
use crate::tui::undo;

pub(super) fn open(state: &mut State, action: Action) -> Effect {
    let today = state.today;
    let selected = state.session().and_then(Session::selected_entry);
    // Revoked already: what is left to record is whether its apps still need one.
    if action == Action::Revoke
        && let Some(e) = selected.filter(|e| !e.is_active())
    {
        state.dialogs.show(if e.needs_replacement() {
            Overlay::Retire(RetireChoice::new(e))
        } else {
            Overlay::Confirm(Question::Unretire(UnretireConfirm::new(e)))
        });
        return Effect::None;
    }
    let overlay = match action {
        Action::Add => Overlay::Add(AddDialog::new(
            selected.map_or("", |e| &e.apple_id),
            today,
            &state.keymap,
        )),
        Action::RevokeAll | Action::Reset => match reset_dialog(state, action) {
            Some(dialog) => dialog,
            None => return nothing(state, "revoke"),
        },
        Action::ChangePassphrase => Overlay::ChangePassphrase(PassphraseDialog::new()),
        Action::Import => Overlay::Import(ImportDialog::new()),
        Action::Export => Overlay::Export(ExportDialog::new()),
        Action::Themes => Overlay::Themes(ThemePicker {
            selected: state
                .themes
                .iter()
                .position(|t| t.name == state.theme.name)
                .unwrap_or(0),
            original: state.theme.clone(),
        }),
        Action::Confirm
        | Action::Edit
        | Action::Delete
        | Action::Revoke
        | Action::Regenerate
        | Action::ResolveConflict
        | Action::SetupCard => {
            let Some(e) = selected else {
                let what = match action {
                    Action::Delete => "delete",
                    Action::Revoke => "revoke",
                    Action::Regenerate => "regenerate",
                    Action::SetupCard => "show",
                    Action::ResolveConflict => "settle",
                    _ => "edit",
                };
                return nothing(state, what);
            };
            match action {
                Action::Delete => Overlay::Confirm(Question::Delete(DeleteConfirm::new(e))),
                // Its old password still live is the one to revoke first.
                Action::Revoke if !e.superseded.is_empty() => {
                    Overlay::Confirm(Question::OldRevoked(OldPassword::of(e)))
                }
                Action::Revoke => Overlay::Revoke(RevokeDialog::new(e, today)),
                Action::Regenerate => Overlay::Regenerate(RegenerateDialog::new(e, today)),
                Action::SetupCard => setup_card(state, e),
                Action::ResolveConflict if e.conflicts.is_empty() => {
                    let label = crate::text::escape_control(&e.label).into_owned();
                    state.say(
                        Tone::Info,
                        format!("\"{label}\" has no conflict: nothing to settle."),
                    );
                    return Effect::None;
                }
                Action::ResolveConflict => Overlay::Resolve(ResolveDialog::new(e)),
                _ => Overlay::Edit(EditDialog::new(e)),
            }
        }
        _ => return Effect::None,
    };
    state.dialogs.show(overlay);
    Effect::None
}

/// The reset or Revoke All form, for the Apple IDs the vault knows (`None`: none).
fn reset_dialog(state: &State, action: Action) -> Option<Overlay> {
    let session = state.session()?;
    let ids: Vec<String> = session
        .loaded
        .vault
        .accounts
        .iter()
        .map(|a| a.apple_id.clone())
        .collect();
    if ids.is_empty() {
        return None;
    }
    let kind = match action {
        Action::Reset => ResetKind::PasswordReset,
        _ => ResetKind::RevokeAll,
    };
    let current = session.selected_entry().map(|e| e.apple_id.as_str());
    Some(Overlay::Reset(ResetDialog::new(
        kind,
        ids,
        current,
        state.today,
        &state.keymap,
    )))
}

fn nothing(state: &mut State, what: &str) -> Effect {
    state.say(Tone::Info, format!("Nothing to {what}: the list is empty."));
    Effect::None
}

/// The overview's keys that open a dialog about the selected Apple ID, or about the
/// resets and Revoke Alls on record.
pub(super) fn open_for_apple_id(state: &mut State, action: Action) -> Effect {
    let Some(session) = state.session() else {
        return Effect::None;
    };
    let Some(apple_id) = session.overview_apple_id().map(str::to_owned) else {
        if action == Action::Withdraw {
            return withdraw(state);
        }
        state.say(Tone::Info, "No Apple IDs yet.");
        return Effect::None;
    };
    let vault = &session.loaded.vault;
    let entries = vault.entries.iter().filter(|e| e.apple_id == apple_id).count();
    let overlay = match action {
        Action::RenameAppleId => Overlay::RenameAppleId(RenameAppleId::new(&apple_id, entries)),
        Action::NameAppleId => {
            let name = vault.account(&apple_id).map_or("", |a| a.name.as_str());
            Overlay::NameAppleId(NameAppleId::new(&apple_id, name))
        }
        Action::MailAppleId => match mail_dialog(vault, &apple_id) {
            Ok(dialog) => dialog,
            Err(text) => {
                state.say(Tone::Info, text);
                return Effect::None;
            }
        },
        Action::ForgetAppleId if entries > 0 => {
            let refusal = ModelError::AppleIdInUse { apple_id, entries };
            let text = format!(
                "Not forgotten: {}. Delete its entries or move them to another Apple ID first.",
                refusal
            );
            state.say(Tone::Error, text);
            return Effect::None;
        }
        Action::ForgetAppleId => Overlay::Confirm(Question::ForgetAppleId(ForgetConfirm {
            resets: vault.account(&apple_id).map_or(0, |a| a.resets.len()),
            apple_id,
        })),
        Action::Withdraw => return withdraw(state),
        Action::Audit => {
            let rows = match vault.expected_rows(&apple_id) {
                Ok(expected) => expected
                    .into_iter()
                    .map(|r| AuditRow {
                        id: r.entry.id.clone(),
                        label: r.entry.label.clone(),
                        created: r.created,
                        mark: crate::tui::dialogs::Mark::Listed,
                        old: r.old,
                    })
                    .collect(),
                Err(e) => {
                    let text = crate::tui::hints::describe_model(&e, &state.keymap);
                    state.say(Tone::Error, text);
                    return Effect::None;
                }
            };
            Overlay::Audit(Box::new(AuditDialog::new(&apple_id, rows)))
        }
        _ => return Effect::None,
    };
    state.dialogs.show(overlay);
    Effect::None
}

/// The resets and Revoke Alls on record, newest first, each with what withdrawing
/// it would do: the model's own withdrawal, tried on a copy of the vault.
fn withdraw(state: &mut State) -> Effect {
    let Some(session) = state.session() else {
        return Effect::None;
    };
    let vault = &session.loaded.vault;
    let mut records: Vec<(ResetKind, String, Date)> = vault
        .accounts
        .iter()
        .flat_map(|a| {
            a.resets
                .iter()
                .map(|r| (ResetKind::PasswordReset, a.apple_id.clone(), r.date))
        })
        .collect();
    records.extend(vault.entries.iter().filter_map(|e| match e.status {
        Status::Revoked {
            on,
            reason: RevokeReason::RevokeAll,
            ..
        } => Some((ResetKind::RevokeAll, e.apple_id.clone(), on)),
        _ => None,
    }));
    // Every field in the order, so that each record's copies (one per entry a
    // Revoke All revoked) stand together for `dedup`.
    let kind = |k: &ResetKind| *k == ResetKind::RevokeAll;
    records.sort_by(|a, b| {
        b.2.cmp(&a.2)
            .then_with(|| a.1.cmp(&b.1))
            .then_with(|| kind(&a.0).cmp(&kind(&b.0)))
    });
    records.dedup();
    if records.is_empty() {
        state.say(
            Tone::Info,
            "No password reset or Revoke All is recorded: nothing to withdraw.",
        );
        return Effect::None;
    }
    let today = state.today;
    let mut chooser = Vec::with_capacity(records.len());
    for (kind, apple_id, on) in records {
        match tried(&session.loaded, (kind, &apple_id, on), today, &state.keymap) {
            Ok(w) => chooser.push(w),
            Err(e) => {
                state.say(
                    Tone::Error,
                    format!("Could not work out what withdrawing brings back ({e})."),
                );
                return Effect::None;
            }
        }
    }
    state.dialogs.show(Overlay::Withdraw(WithdrawChooser {
        records: chooser,
        selected: 0,
    }));
    Effect::None
}

/// What withdrawing this record would do, tried on a copy of the vault.
fn tried(
    loaded: &crate::storage::Loaded,
    (kind, apple_id, on): (ResetKind, &str, Date),
    today: Date,
    keys: &crate::tui::keymap::Keymap,
) -> Result<Withdrawal, crate::vault_file::FormatError> {
    let mut copy = undo::copy_of(loaded)?;
    let done = copy.withdraw(kind, apple_id, Some(on), today);
    let labels = |ids: &[crate::model::EntryId]| -> Vec<String> {
        ids.iter()
            .filter_map(|id| copy.entry(id))
            .map(|e| e.label.clone())
            .collect()
    };
    let mut w = Withdrawal {
        kind,
        apple_id: apple_id.to_owned(),
        on,
        restored: Vec::new(),
        changed_since: Vec::new(),
        refused: None,
    };
    match done {
        Ok((_, undone)) => {
            w.restored = labels(&undone.restored);
            w.changed_since = labels(&undone.changed_since);
        }
        Err(e) => w.refused = Some(crate::tui::hints::describe_model(&e, keys)),
    }
    Ok(w)
}

/// The form for the iCloud Mail address of `apple_id`; what to say instead when it
/// is one itself (and none is recorded to clear).
fn mail_dialog(vault: &crate::model::Vault, apple_id: &str) -> Result<Overlay, String> {
    let recorded = vault.account(apple_id).map_or("", |a| a.mail.as_str());
    if recorded.is_empty() && crate::model::icloud_mail_address(apple_id).is_some() {
        let refusal = ModelError::OwnIcloudMail {
            apple_id: apple_id.to_owned(),
        };
        return Err(format!("Nothing to record: {refusal}."));
    }
    Ok(Overlay::MailAppleId(MailAppleId::new(apple_id, recorded)))
}

/// The setup card of `e`, with its Apple ID's iCloud Mail address when known.
fn setup_card(state: &State, e: &crate::model::Entry) -> Overlay {
    let vault = state.session().map(|s| &s.loaded.vault);
    let mail = vault.and_then(|v| v.mail_address(&e.apple_id));
    Overlay::SetupCard(SetupCard::new(e, mail.as_deref()))
}
