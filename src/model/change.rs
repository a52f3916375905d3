//! Every change a user can make to the vault, as one value, and what it did.
//!
//! Both front ends build a [`Change`] (the TUI from a dialog, the command line from
//! its arguments), hand it to [`Vault::apply`], and word the [`Done`] it returns in
//! their own terms. A new kind of change is a variant here and an arm in `apply`;
//! the compiler then names every place that must word it. No arm falls through to a
//! default, so a change can never be routed nowhere.

use jiff::civil::Date;

use super::{
    Answer, AuditDecisions, EntryId, ImportOutcome, Keep, Listed, ModelError, NewEntry, Noted, Password,
    RecoveryKey, Status, Vault, Withdrawn,
};

/// Which record of Apple revoking every password of an Apple ID.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResetKind {
    /// The Apple ID's password was changed or reset.
    PasswordReset,
    /// The user chose Revoke All at Apple.
    RevokeAll,
}

/// One change to the vault.
pub enum Change {
    /// A new entry; its id is drawn by the caller (see [`Change::ids_needed`]).
    Add(NewEntry),
    /// Apps that join the entry holding a password (Apple allows one password in
    /// several apps).
    JoinApps {
        id: EntryId,
        apps: Vec<String>,
    },
    Edit {
        id: EntryId,
        edit: super::Edit,
    },
    Regenerate {
        id: EntryId,
        password: Password,
        created: Date,
    },
    Delete(EntryId),
    /// The old passwords a regeneration left live at Apple were revoked there.
    RevokeOld(EntryId),
    /// Revoked at Apple on `on`; `still_needed`: its apps wait for a new password.
    Revoke {
        id: EntryId,
        on: Date,
        still_needed: bool,
    },
    /// No app needs the revoked entry any more; or only `app` is gone.
    Retire {
        id: EntryId,
        app: Option<String>,
    },
    Unretire(EntryId),
    /// A password reset or Revoke All of `apple_id` on `on`.
    Record {
        kind: ResetKind,
        apple_id: String,
        on: Date,
    },
    /// Withdraw the reset or Revoke All recorded for `on` (the latest when `None`).
    Withdraw {
        kind: ResetKind,
        apple_id: String,
        on: Option<Date>,
    },
    /// Withdraw a revoke of one entry recorded by hand.
    WithdrawRevoke(EntryId),
    RenameAppleId {
        old: String,
        new: String,
    },
    ForgetAppleId(String),
    /// Name `apple_id` (an empty name clears it).
    NameAppleId {
        apple_id: String,
        name: String,
    },
    /// Record the iCloud Mail address of `apple_id` (an empty one clears it).
    SetMail {
        apple_id: String,
        mail: String,
    },
    /// Settle entry `id`'s merge conflicts.
    Resolve {
        id: EntryId,
        keep: Keep,
    },
    /// Record an audit of `apple_id`; each untracked password gets a drawn id.
    Audit {
        apple_id: String,
        revoked: Vec<(EntryId, bool)>,
        listed_again: Vec<(EntryId, Option<Date>)>,
        untracked: Vec<Listed>,
        /// Old passwords of regenerated entries that Apple no longer lists, by
        /// their created days.
        old_revoked: Vec<(EntryId, Vec<Date>)>,
        /// Older passwords with an entry's label that Apple still lists.
        old_live: Vec<(EntryId, Vec<Date>)>,
    },
    /// Record what signing in with stored passwords told (`aspen verify`).
    Verified(Vec<Answer>),
    /// Entries from another tool's export, each by the rules of `Add`; what a rule
    /// refuses is left out (see `model/import.rs`). One id drawn per entry.
    Import(Vec<NewEntry>),
    /// Encrypt to this recovery key too, from the next save on.
    AddRecoveryKey(RecoveryKey),
    /// Stop encrypting to a recovery key: its recipient, or its number as listed.
    RemoveRecoveryKey(String),
}

/// What a change did: for the front end's message, and for the TUI's undo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Done {
    Added {
        id: EntryId,
        label: String,
        apple_id: String,
        /// Created before this recorded reset of its Apple ID: added as revoked by it.
        revoked_by_reset: Option<Date>,
    },
    Joined {
        id: EntryId,
        label: String,
        apps: Vec<String>,
    },
    Edited {
        id: EntryId,
        label: String,
    },
    Regenerated {
        id: EntryId,
        label: String,
        was_active: bool,
        /// The password it replaced is still active at Apple: both take a slot
        /// until that one is recorded revoked ([`Change::RevokeOld`]).
        old_live: bool,
    },
    RevokedOld {
        id: EntryId,
        label: String,
        apple_id: String,
    },
    Deleted {
        label: String,
    },
    Revoked {
        id: EntryId,
        label: String,
        still_needed: bool,
        on: Date,
    },
    Retired {
        id: EntryId,
        label: String,
        app: Option<String>,
    },
    Unretired {
        id: EntryId,
        label: String,
    },
    /// `revoked`: the entries the reset or Revoke All revoked (the checklist).
    Recorded {
        kind: ResetKind,
        apple_id: String,
        on: Date,
        revoked: Vec<EntryId>,
    },
    Withdrew {
        kind: ResetKind,
        apple_id: String,
        on: Date,
        restored: Vec<String>,
        changed_since: Vec<String>,
        /// Left revoked but marked to check (see [`Withdrawn::uncertain`]).
        uncertain: Vec<String>,
    },
    WithdrewRevoke {
        id: EntryId,
        label: String,
    },
    RenamedAppleId {
        old: String,
        new: String,
        moved: usize,
    },
    ForgotAppleId {
        apple_id: String,
    },
    NamedAppleId {
        apple_id: String,
        name: String,
    },
    /// `mail` is empty when it was cleared.
    SetMail {
        apple_id: String,
        mail: String,
    },
    Resolved {
        label: String,
        theirs: bool,
        /// Taking the merged copy's side deleted it.
        deleted: bool,
    },
    Audited {
        apple_id: String,
        /// The day it was recorded (today).
        on: Date,
        outcome: String,
        added: Vec<EntryId>,
    },
    /// Each answer, recorded or why not.
    Verified {
        noted: Vec<Noted>,
    },
    /// What was added, and what the rules left out.
    Imported(ImportOutcome),
    AddedRecoveryKey {
        recipient: String,
    },
    RemovedRecoveryKey {
        recipient: String,
        added: Date,
    },
}

impl Change {
    /// How many new entry ids applying it takes: the caller draws them (the model
    /// has no randomness) and hands them to [`Vault::apply`].
    pub fn ids_needed(&self) -> usize {
        match self {
            Self::Add(_) => 1,
            Self::Audit { untracked, .. } => untracked.len(),
            Self::Import(news) => news.len(),
            Self::JoinApps { .. }
            | Self::Edit { .. }
            | Self::Regenerate { .. }
            | Self::Delete(_)
            | Self::RevokeOld(_)
            | Self::Revoke { .. }
            | Self::Retire { .. }
            | Self::Unretire(_)
            | Self::Record { .. }
            | Self::Withdraw { .. }
            | Self::WithdrawRevoke(_)
            | Self::RenameAppleId { .. }
            | Self::ForgetAppleId(_)
            | Self::NameAppleId { .. }
            | Self::SetMail { .. }
            | Self::Resolve { .. }
            | Self::Verified(_)
            | Self::AddRecoveryKey(_)
            | Self::RemoveRecoveryKey(_) => 0,
        }
    }
}

impl Vault {
    /// Records a password reset or Revoke All; the entries it revoked.
    pub fn record(
        &mut self,
        kind: ResetKind,
        apple_id: &str,
        on: Date,
        today: Date,
    ) -> Result<Vec<EntryId>, ModelError> {
        match kind {
            ResetKind::PasswordReset => self.reset(apple_id, on, today),
            ResetKind::RevokeAll => self.revoke_all(apple_id, on, today),
        }
    }

    /// Withdraws a reset or Revoke All recorded by mistake.
    pub fn withdraw(
        &mut self,
        kind: ResetKind,
        apple_id: &str,
        on: Option<Date>,
        today: Date,
    ) -> Result<(Date, Withdrawn), ModelError> {
        match kind {
            ResetKind::PasswordReset => self.withdraw_reset(apple_id, on, today),
            ResetKind::RevokeAll => self.withdraw_revoke_all(apple_id, on, today),
        }
    }

    /// Applies `change`, taking the ids of new entries from `ids` (as many as
    /// [`Change::ids_needed`] says). Refused whole by the vault's rules, or done.
    pub fn apply(
        &mut self,
        change: Change,
        today: Date,
        ids: &mut dyn Iterator<Item = EntryId>,
    ) -> Result<Done, ModelError> {
        match change {
            Change::Add(new) => self.added(new, today, ids),
            Change::JoinApps { id, apps } => self.join_apps(id, apps, today),
            Change::Edit { id, edit } => self.edited(id, edit, today),
            Change::Regenerate {
                id,
                password,
                created,
            } => self.regenerated(id, password, created, today),
            Change::Delete(id) => Ok(Done::Deleted {
                label: self.remove(&id)?.label.clone(),
            }),
            Change::RevokeOld(id) => self.revoked_old(id, today),
            Change::Revoke { id, on, still_needed } => self.revoked(id, on, still_needed, today),
            Change::Retire { id, app } => self.retired(id, app, today),
            Change::Unretire(id) => {
                self.unretire(&id, today)?;
                Ok(Done::Unretired {
                    label: self.label_of(&id),
                    id,
                })
            }
            Change::Record { kind, apple_id, on } => self.recorded(kind, &apple_id, on, today),
            Change::Withdraw { kind, apple_id, on } => self.withdrew(kind, &apple_id, on, today),
            Change::WithdrawRevoke(id) => {
                self.withdraw_revoke(&id, today)?;
                Ok(Done::WithdrewRevoke {
                    label: self.label_of(&id),
                    id,
                })
            }
            Change::RenameAppleId { old, new } => self.renamed(&old, &new, today),
            Change::ForgetAppleId(apple_id) => {
                let apple_id = self.known_account(&apple_id)?;
                self.forget_apple_id(&apple_id)?;
                Ok(Done::ForgotAppleId { apple_id })
            }
            Change::NameAppleId { apple_id, name } => self.named(apple_id, &name),
            Change::SetMail { apple_id, mail } => {
                let (apple_id, mail) = self.set_mail(&apple_id, &mail)?;
                Ok(Done::SetMail { apple_id, mail })
            }
            Change::Resolve { id, keep } => self.resolved(&id, keep, today),
            Change::Audit {
                apple_id,
                revoked,
                listed_again,
                untracked,
                old_revoked,
                old_live,
            } => {
                let untracked = with_ids(untracked, ids)?;
                let decisions = AuditDecisions {
                    revoked,
                    listed_again,
                    untracked,
                    old_revoked,
                    old_live,
                };
                self.audited(apple_id, decisions, today)
            }
            Change::Verified(answers) => Ok(Done::Verified {
                noted: self.record_answers(answers, today),
            }),
            Change::Import(news) => self.imported(news, today, ids),
            Change::AddRecoveryKey(key) => self.added_recovery_key(key),
            Change::RemoveRecoveryKey(which) => self.removed_recovery_key(&which, today),
        }
    }

    fn edited(&mut self, id: EntryId, edit: super::Edit, today: Date) -> Result<Done, ModelError> {
        self.edit(&id, edit, today)?;
        Ok(Done::Edited {
            label: self.label_of(&id),
            id,
        })
    }

    fn renamed(&mut self, old: &str, new: &str, today: Date) -> Result<Done, ModelError> {
        let old = super::normalise_apple_id(old)?;
        let moved = self.rename_apple_id(&old, new, today)?;
        Ok(Done::RenamedAppleId {
            new: super::normalise_apple_id(new)?,
            old,
            moved,
        })
    }

    fn added(
        &mut self,
        new: NewEntry,
        today: Date,
        ids: &mut dyn Iterator<Item = EntryId>,
    ) -> Result<Done, ModelError> {
        let e = self.add(ids.next().ok_or(ModelError::NoIdDrawn)?, new, today)?;
        let revoked_by_reset = match e.status {
            Status::Revoked { on, .. } => Some(on),
            Status::Active => None,
        };
        Ok(Done::Added {
            id: e.id.clone(),
            label: e.label.clone(),
            apple_id: e.apple_id.clone(),
            revoked_by_reset,
        })
    }

    fn regenerated(
        &mut self,
        id: EntryId,
        password: Password,
        created: Date,
        today: Date,
    ) -> Result<Done, ModelError> {
        let was_active = self.entries[self.index(&id)?].is_active();
        let old_live = self.regenerate_telling(&id, password, created, today)?;
        Ok(Done::Regenerated {
            label: self.label_of(&id),
            id,
            was_active,
            old_live,
        })
    }

    fn revoked_old(&mut self, id: EntryId, today: Date) -> Result<Done, ModelError> {
        self.revoke_old(&id, today)?;
        let e = &self.entries[self.index(&id)?];
        Ok(Done::RevokedOld {
            label: e.label.clone(),
            apple_id: e.apple_id.clone(),
            id,
        })
    }

    fn revoked(
        &mut self,
        id: EntryId,
        on: Date,
        still_needed: bool,
        today: Date,
    ) -> Result<Done, ModelError> {
        self.revoke(&id, on, still_needed, today)?;
        Ok(Done::Revoked {
            label: self.label_of(&id),
            id,
            still_needed,
            on,
        })
    }

    fn retired(&mut self, id: EntryId, app: Option<String>, today: Date) -> Result<Done, ModelError> {
        match &app {
            Some(one) => self.retire_app(&id, one, today)?,
            None => self.retire(&id, today)?,
        }
        Ok(Done::Retired {
            label: self.label_of(&id),
            id,
            app,
        })
    }

    fn recorded(
        &mut self,
        kind: ResetKind,
        apple_id: &str,
        on: Date,
        today: Date,
    ) -> Result<Done, ModelError> {
        let revoked = self.record(kind, apple_id, on, today)?;
        Ok(Done::Recorded {
            kind,
            apple_id: self.known_account(apple_id)?,
            on,
            revoked,
        })
    }

    fn named(&mut self, apple_id: String, name: &str) -> Result<Done, ModelError> {
        let apple_id = self.known_account(&apple_id)?;
        self.name_apple_id(&apple_id, name)?;
        let name = self
            .account(&apple_id)
            .map(|a| a.name.clone())
            .unwrap_or_default();
        Ok(Done::NamedAppleId { apple_id, name })
    }

    fn resolved(&mut self, id: &EntryId, keep: Keep, today: Date) -> Result<Done, ModelError> {
        let before = self.label_of(id);
        self.resolve(id, keep, today)?;
        // The label it has now (the merged copy's, when that was taken); the one it
        // had, when it was deleted.
        let deleted = self.entry(id).is_none();
        Ok(Done::Resolved {
            label: if deleted { before } else { self.label_of(id) },
            theirs: keep == Keep::Theirs,
            deleted,
        })
    }

    fn audited(
        &mut self,
        apple_id: String,
        decisions: AuditDecisions,
        today: Date,
    ) -> Result<Done, ModelError> {
        let added = decisions.untracked.iter().map(|(id, _)| id.clone()).collect();
        let outcome = self.apply_audit(&apple_id, decisions, today)?.outcome;
        Ok(Done::Audited {
            apple_id,
            on: today,
            outcome,
            added,
        })
    }

    /// Adds `apps` to the entry; says only those it did not have already.
    fn join_apps(&mut self, id: EntryId, apps: Vec<String>, today: Date) -> Result<Done, ModelError> {
        let had = self.entry(&id).map(|e| e.apps.clone()).unwrap_or_default();
        let mut all = had.clone();
        all.extend(apps);
        let edit = super::Edit {
            apps: Some(all),
            ..Default::default()
        };
        self.edit(&id, edit, today)?;
        let now = self.entry(&id).map(|e| e.apps.as_slice()).unwrap_or_default();
        Ok(Done::Joined {
            apps: now.iter().filter(|a| !had.contains(a)).cloned().collect(),
            label: self.label_of(&id),
            id,
        })
    }

    fn withdrew(
        &mut self,
        kind: ResetKind,
        apple_id: &str,
        on: Option<Date>,
        today: Date,
    ) -> Result<Done, ModelError> {
        let (on, withdrawn) = self.withdraw(kind, apple_id, on, today)?;
        Ok(Done::Withdrew {
            kind,
            apple_id: self.known_account(apple_id)?,
            on,
            restored: self.labels_of(&withdrawn.restored),
            changed_since: self.labels_of(&withdrawn.changed_since),
            uncertain: self.labels_of(&withdrawn.uncertain),
        })
    }

    /// Moves the events this vault ordered from `from` on (activations, resets) `by`
    /// places later: a change made on a view read before another save arrived is
    /// saved after it, so it must order after that save's events too. Without this,
    /// a password added on a stale view would look older than a reset recorded
    /// meanwhile, and withdrawing a later reset of the same day would miss it.
    pub fn defer_events(&mut self, from: u64, by: u64) {
        let later = |seq: &mut u64| {
            if *seq >= from {
                *seq = seq.saturating_add(by);
            }
        };
        for e in &mut self.entries {
            later(&mut e.activated_seq);
        }
        for a in &mut self.accounts {
            a.resets.iter_mut().for_each(|r| later(&mut r.seq));
        }
        self.next_seq = self.next_seq.saturating_add(by);
    }

    fn label_of(&self, id: &EntryId) -> String {
        self.entry(id).map(|e| e.label.clone()).unwrap_or_default()
    }

    fn labels_of(&self, ids: &[EntryId]) -> Vec<String> {
        ids.iter().map(|id| self.label_of(id)).collect()
    }
}

/// Each untracked password Apple lists, with the id drawn for it.
fn with_ids(
    untracked: Vec<Listed>,
    ids: &mut dyn Iterator<Item = EntryId>,
) -> Result<Vec<(EntryId, Listed)>, ModelError> {
    untracked
        .into_iter()
        .map(|l| ids.next().map(|id| (id, l)).ok_or(ModelError::NoIdDrawn))
        .collect()
}
