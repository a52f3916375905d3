//! Every change to a vault. Each checks Apple's rules first and changes nothing when
//! it refuses.

use jiff::civil::Date;

use super::notary::{edited_team_id, normalise_uses, team_id_for};
use super::{
    AppleAccount, Entry, EntryId, Event, Fold, HistoryEvent, ModelError, Password, Reset, RevokeReason,
    SLOT_LIMIT, Status, Use, Vault, normalise_apple_id, validate_app, validate_label, validate_notes,
};

/// What `add` needs; text fields are validated and normalised by `add` itself.
pub struct NewEntry {
    pub label: String,
    pub apple_id: String,
    pub apps: Vec<String>,
    /// `None` records one Apple lists whose password aspen does not have.
    pub password: Option<Password>,
    pub created: Date,
    pub notes: String,
    pub uses: Vec<Use>,
    /// The Apple developer team id, for notarization; empty for none.
    pub team_id: String,
}

/// The fields `edit` may change; `None` leaves a field as it is.
#[derive(Default)]
pub struct Edit {
    pub label: Option<String>,
    pub apple_id: Option<String>,
    pub apps: Option<Vec<String>>,
    pub notes: Option<String>,
    pub created: Option<Date>,
    pub uses: Option<Vec<Use>>,
    /// `Some("")` removes it; it goes by itself when notarization does.
    pub team_id: Option<String>,
}

/// Not after today, and not before app-specific passwords existed.
pub(super) fn not_future(date: Date, today: Date) -> Result<(), ModelError> {
    super::dates::check_date(date, today)
}

/// `kept`: the apps the entry has, kept as they are even where today's checks would
/// refuse them (older vaults), so that old data stays editable.
fn validate_apps(apps: &[String], kept: &[String]) -> Result<Vec<String>, ModelError> {
    let mut out: Vec<String> = Vec::with_capacity(apps.len());
    for app in apps {
        let app = match kept.iter().find(|k| *k == app.trim()) {
            Some(k) => k.clone(),
            None => validate_app(app)?,
        };
        if !out.contains(&app) {
            out.push(app);
        }
    }
    if out.is_empty() {
        return Err(ModelError::NoApps);
    }
    Ok(out)
}

impl Vault {
    pub(super) fn take_seq(&mut self) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        seq
    }

    pub(super) fn index(&self, id: &EntryId) -> Result<usize, ModelError> {
        self.entries
            .iter()
            .position(|e| &e.id == id)
            .ok_or_else(|| ModelError::UnknownEntry {
                id: id.as_str().to_owned(),
            })
    }

    pub(super) fn ensure_account(&mut self, apple_id: &str) {
        if self.account(apple_id).is_none() {
            self.accounts.push(AppleAccount::new(apple_id.to_owned()));
            self.accounts.sort_by(|a, b| a.apple_id.cmp(&b.apple_id));
        }
    }

    fn known_apple_ids(&self) -> Vec<String> {
        self.accounts.iter().map(|a| a.apple_id.clone()).collect()
    }

    pub(super) fn known_account(&self, apple_id: &str) -> Result<String, ModelError> {
        let apple_id = normalise_apple_id(apple_id)?;
        if self.account(&apple_id).is_none() {
            return Err(ModelError::UnknownAppleId {
                apple_id,
                known: self.known_apple_ids(),
            });
        }
        Ok(apple_id)
    }

    /// Refuses when `apple_id` has no free slot, naming the oldest active entries.
    pub(super) fn ensure_free_slot(&self, apple_id: &str) -> Result<(), ModelError> {
        if self.active_count(apple_id) < SLOT_LIMIT {
            return Ok(());
        }
        Err(self.slots_full(apple_id, &[apple_id]))
    }

    /// `apple_id` is full; the candidates to revoke are the oldest active entries of
    /// the Apple IDs `of`.
    pub(super) fn slots_full(&self, apple_id: &str, of: &[&str]) -> ModelError {
        let mut active: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| of.contains(&e.apple_id.as_str()) && e.is_active())
            .collect();
        active.sort_by(|a, b| {
            a.created
                .cmp(&b.created)
                .then_with(|| super::label_order(&a.label, &b.label))
        });
        ModelError::SlotsFull {
            apple_id: apple_id.to_owned(),
            limit: SLOT_LIMIT,
            candidates: active
                .iter()
                .take(5)
                .map(|e| (e.label.clone(), e.created))
                .collect(),
        }
    }

    fn ensure_label_free(
        &self,
        label: &str,
        apple_id: &str,
        except: Option<&EntryId>,
    ) -> Result<(), ModelError> {
        let taken = self
            .entries
            .iter()
            .any(|e| e.label == label && e.apple_id == apple_id && Some(&e.id) != except);
        if taken {
            return Err(ModelError::DuplicateLabel {
                label: label.to_owned(),
                apple_id: apple_id.to_owned(),
            });
        }
        Ok(())
    }

    /// Finds the entry a user means by `label`, optionally narrowed to one Apple ID.
    pub fn find(&self, label: &str, apple_id: Option<&str>) -> Result<&Entry, ModelError> {
        let apple_id = apple_id.map(normalise_apple_id).transpose()?;
        let label = label.trim();
        let matches: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| e.label == label && apple_id.as_ref().is_none_or(|id| &e.apple_id == id))
            .collect();
        match matches.as_slice() {
            [one] => Ok(one),
            [] => {
                let wanted = label.to_lowercase();
                let mut similar: Vec<String> = self
                    .entries
                    .iter()
                    .filter(|e| {
                        let l = e.label.to_lowercase();
                        !wanted.is_empty() && (l.contains(&wanted) || wanted.contains(&l))
                    })
                    .map(|e| e.label.clone())
                    .collect();
                similar.sort();
                similar.dedup();
                similar.truncate(5);
                Err(ModelError::LabelNotFound {
                    label: label.to_owned(),
                    apple_id,
                    similar,
                })
            }
            many => Err(ModelError::AmbiguousLabel {
                label: label.to_owned(),
                apple_ids: many.iter().map(|e| e.apple_id.clone()).collect(),
            }),
        }
    }

    /// Whether [`Vault::add`] would take `label` under `apple_id` (label free, a slot
    /// free), so a front end can say so before the user pastes the password.
    pub fn check_add(&self, label: &str, apple_id: &str) -> Result<(), ModelError> {
        let label = validate_label(label)?;
        let apple_id = normalise_apple_id(apple_id)?;
        self.ensure_label_free(&label, &apple_id, None)?;
        self.ensure_free_slot(&apple_id)
    }

    /// The first recorded reset of `apple_id` after a password created on `created`:
    /// the one that revoked it. A password created on the reset day itself and recorded
    /// after the reset was generated after it (Apple shows dates, not times).
    pub fn reset_after(&self, apple_id: &str, created: Date) -> Option<Date> {
        let account = self.account(apple_id)?;
        account
            .resets
            .iter()
            .map(|r| r.date)
            .filter(|d| created < *d)
            .min()
    }

    /// The first recorded reset or Revoke All of `apple_id` after a password created
    /// on `created` (as [`Vault::reset_after`]): the one that revoked it, and which.
    fn record_after(&self, apple_id: &str, created: Date) -> Option<(Date, RevokeReason)> {
        let reset = self
            .reset_after(apple_id, created)
            .map(|d| (d, RevokeReason::AppleIdReset));
        let all = self
            .account(apple_id)?
            .revoke_alls
            .iter()
            .map(|r| r.date)
            .filter(|d| created < *d)
            .min()
            .map(|d| (d, RevokeReason::RevokeAll));
        [reset, all].into_iter().flatten().min_by_key(|(d, _)| *d)
    }

    /// The status an entry revoked by a reset it predates has once its created date
    /// is corrected to `created`: active when no recorded reset follows that date any
    /// more. `None` for any other entry, or a date that changes nothing.
    fn corrected_past_reset(&self, e: &Entry, created: Date) -> Option<Status> {
        let Status::Revoked {
            on,
            reason: RevokeReason::AppleIdReset,
            needs_replacement,
        } = e.status
        else {
            return None;
        };
        let untouched = matches!(
            e.history.last(),
            Some(HistoryEvent {
                event: Event::Revoked {
                    reason: RevokeReason::AppleIdReset,
                    ..
                },
                ..
            })
        );
        if !untouched || created <= on {
            return None;
        }
        Some(match self.reset_after(&e.apple_id, created) {
            Some(on) => Status::Revoked {
                on,
                reason: RevokeReason::AppleIdReset,
                needs_replacement,
            },
            None => Status::Active,
        })
    }

    /// Checks a created date an edit gives `e`: not in the future, not after its revoke
    /// unless that revoke was a reset the corrected date now follows. Returns the
    /// status the entry then has, when it changes.
    fn new_created(
        &self,
        e: &Entry,
        created: Option<Date>,
        today: Date,
    ) -> Result<Option<Status>, ModelError> {
        let Some(created) = created.filter(|c| *c != e.created) else {
            return Ok(None);
        };
        not_future(created, today)?;
        let restatus = self.corrected_past_reset(e, created);
        if let Status::Revoked { on, .. } = e.status
            && created > on
            && restatus.is_none()
        {
            return Err(ModelError::RevokedBeforeCreated {
                label: e.label.clone(),
                on,
                created,
            });
        }
        Ok(restatus)
    }

    /// Stores a new app-specific password. Refused when the label is taken under that
    /// Apple ID, when an active entry of that Apple ID holds the password already (see
    /// [`Vault::holder_of`]), or the Apple ID already has 25 active passwords. A
    /// password created before a recorded reset of its Apple ID was revoked by it: it
    /// is recorded so (waiting to be regenerated, taking no slot), which
    /// `Entry::status` shows.
    pub fn add(&mut self, id: EntryId, new: NewEntry, today: Date) -> Result<&Entry, ModelError> {
        let label = validate_label(&new.label)?;
        let apple_id = normalise_apple_id(&new.apple_id)?;
        // Whoever records a password Apple lists but aspen never had may not know
        // which app uses it; that is what the entry then asks them to find out.
        let apps = if new.password.is_none() && new.apps.iter().all(|a| a.trim().is_empty()) {
            Vec::new()
        } else {
            validate_apps(&new.apps, &[])?
        };
        let notes = validate_notes(&new.notes)?;
        let uses = normalise_uses(new.uses);
        let team_id = team_id_for(&label, &uses, Some(&new.team_id), "")?;
        not_future(new.created, today)?;
        self.ensure_label_free(&label, &apple_id, None)?;
        // Before the slot check: joining the apps to the holder takes no slot.
        if let Some(holder) = new.password.as_ref().and_then(|p| self.holder_of(&apple_id, p)) {
            return Err(ModelError::PasswordHeld {
                holder: holder.label.clone(),
                apple_id,
                label,
            });
        }
        let revoked_by = self.record_after(&apple_id, new.created);
        if revoked_by.is_none() {
            self.ensure_free_slot(&apple_id)?;
        }
        self.ensure_account(&apple_id);
        let seq = self.take_seq();
        self.entries.push(Entry {
            id,
            label,
            apple_id,
            apps,
            password: new.password,
            created: new.created,
            notes,
            uses,
            team_id,
            status: Status::Active,
            superseded: Vec::new(),
            history: vec![HistoryEvent {
                date: today,
                event: Event::Added,
            }],
            activated_seq: seq,
            stamps: Default::default(),
            conflicts: Vec::new(),
        });
        let entry = self.entries.last_mut().expect("just pushed");
        if let Some((on, reason)) = revoked_by {
            revoke_entry(entry, on, reason, true, today);
        }
        Ok(entry)
    }

    /// Changes label, Apple ID, apps, notes or created date. Moving to another Apple ID
    /// needs a free slot there when the entry is active.
    pub fn edit(&mut self, id: &EntryId, edit: Edit, today: Date) -> Result<(), ModelError> {
        let i = self.index(id)?;
        let current = &self.entries[i];
        // Only what changes meets today's checks: older vaults hold values they refuse.
        let label = edit.label.as_deref().filter(|l| l.trim() != current.label);
        let label = label.map(validate_label).transpose()?;
        let apple_id = edit.apple_id.as_deref().map(normalise_apple_id).transpose()?;
        let apps_kept = |apps: &[String]| validate_apps(apps, &current.apps);
        let apps = edit.apps.as_deref().map(apps_kept).transpose()?;
        let notes = edit.notes.as_deref().map(validate_notes).transpose()?;
        let restatus = self.new_created(current, edit.created, today)?;
        let uses = edit.uses.map(normalise_uses);
        let team_id = edited_team_id(current, uses.as_deref(), edit.team_id.as_deref())?;
        let target_id = apple_id.clone().unwrap_or_else(|| current.apple_id.clone());
        let target_label = label.clone().unwrap_or_else(|| current.label.clone());
        let moving = target_id != current.apple_id;
        let returning = restatus.as_ref().is_some_and(Status::is_active);
        // Before the label: an entry filed under a mistyped Apple ID usually has the
        // holder's label too, and "choose another label" would be the wrong advice.
        if (moving && current.is_active()) || returning {
            self.ensure_one_entry_per_password(i, &target_id)?;
        }
        self.ensure_label_free(&target_label, &target_id, Some(id))?;
        self.ensure_room(&target_id, self.slots_taken_along(current, moving, returning))?;

        let mut changed = Vec::new();
        let entry = &self.entries[i];
        if label.as_ref().is_some_and(|l| l != &entry.label) {
            changed.push(format!("label was \"{}\"", entry.label));
        }
        if moving {
            changed.push(format!("Apple ID was {}", entry.apple_id));
        }
        if apps.as_ref().is_some_and(|a| a != &entry.apps) {
            changed.push("apps".to_owned());
        }
        if notes.as_ref().is_some_and(|n| n != &entry.notes) {
            changed.push("notes".to_owned());
        }
        if edit.created.is_some_and(|c| c != entry.created) {
            changed.push(format!("created was {}", entry.created));
        }
        if uses.as_ref().is_some_and(|u| u != &entry.uses) {
            changed.push("uses".to_owned());
        }
        changed.extend((team_id != entry.team_id).then(|| "team id".to_owned()));
        if changed.is_empty() {
            return Err(ModelError::NothingToEdit);
        }
        if moving {
            self.ensure_account(&target_id);
        }
        let entry = &mut self.entries[i];
        entry.label = target_label;
        entry.apple_id = target_id;
        if let Some(apps) = apps {
            entry.apps = apps;
        }
        if let Some(notes) = notes {
            entry.notes = notes;
        }
        if let Some(created) = edit.created {
            entry.created = created;
        }
        if let Some(status) = restatus {
            entry.status = status;
        }
        if let Some(uses) = uses {
            entry.uses = uses;
        }
        entry.team_id = team_id;
        entry.history.push(HistoryEvent {
            date: today,
            event: Event::Edited(changed.join(", ")),
        });
        Ok(())
    }

    /// Deletes an entry for good and hands it back (its password is zeroized when the
    /// caller drops it).
    pub fn remove(&mut self, id: &EntryId) -> Result<Entry, ModelError> {
        let i = self.index(id)?;
        Ok(self.entries.remove(i))
    }

    /// Records that the entry was revoked at Apple on `on`. With `needs_replacement`
    /// its apps still need a password and it waits to be regenerated.
    pub fn revoke(
        &mut self,
        id: &EntryId,
        on: Date,
        needs_replacement: bool,
        today: Date,
    ) -> Result<(), ModelError> {
        not_future(on, today)?;
        let i = self.index(id)?;
        let entry = &mut self.entries[i];
        if let Status::Revoked { on: was, .. } = entry.status {
            return Err(ModelError::AlreadyRevoked {
                label: entry.label.clone(),
                on: was,
            });
        }
        if on < entry.created {
            return Err(ModelError::RevokedBeforeCreated {
                label: entry.label.clone(),
                on,
                created: entry.created,
            });
        }
        revoke_entry(entry, on, RevokeReason::Manual, needs_replacement, today);
        Ok(())
    }

    /// Mirrors Apple's "Revoke All": every active entry of the Apple ID is revoked and
    /// needs regenerating. Returns the entries it revoked.
    pub fn revoke_all(&mut self, apple_id: &str, on: Date, today: Date) -> Result<Vec<EntryId>, ModelError> {
        not_future(on, today)?;
        let apple_id = self.known_account(apple_id)?;
        let revoked = self.revoke_where(&apple_id, on, RevokeReason::RevokeAll, today);
        // The record says which old passwords of regenerations it revoked too.
        if revoked.is_empty() && !self.has_live_old(&apple_id) {
            let later = self
                .entries
                .iter()
                .filter(|e| e.apple_id == apple_id && e.is_active())
                .count();
            if later > 0 {
                return Err(ModelError::AllCreatedAfter { apple_id, on, later });
            }
            return Err(ModelError::NothingActive { apple_id });
        }
        let seq = self.take_seq();
        if let Some(account) = self.accounts.iter_mut().find(|a| a.apple_id == apple_id) {
            account.revoke_alls.push(Reset { date: on, seq });
        }
        Ok(revoked)
    }

    /// Records an Apple ID password reset on `on`: Apple revoked every app-specific
    /// password of that Apple ID created on or before that day. Returns the entries
    /// that now need regenerating (the checklist), possibly none.
    pub fn reset(&mut self, apple_id: &str, on: Date, today: Date) -> Result<Vec<EntryId>, ModelError> {
        not_future(on, today)?;
        let apple_id = self.known_account(apple_id)?;
        let revoked = self.revoke_where(&apple_id, on, RevokeReason::AppleIdReset, today);
        let seq = self.take_seq();
        let account = self
            .accounts
            .iter_mut()
            .find(|a| a.apple_id == apple_id)
            .expect("known_account checked it");
        // A new record (its own order), whatever was withdrawn that day before.
        account.resets.push(Reset { date: on, seq });
        account.resets.sort_by_key(|r| (r.date, r.seq));
        Ok(revoked)
    }

    /// Whether a reset or Revoke All of `apple_id` on `on` revokes `entry`: Apple
    /// revokes what is active and existed that day; anything created later is untouched.
    pub fn revoked_by_reset(entry: &Entry, apple_id: &str, on: Date) -> bool {
        entry.apple_id == apple_id && entry.is_active() && entry.created <= on
    }

    fn revoke_where(&mut self, apple_id: &str, on: Date, reason: RevokeReason, today: Date) -> Vec<EntryId> {
        let mut revoked = Vec::new();
        for entry in self
            .entries
            .iter_mut()
            .filter(|e| Self::revoked_by_reset(e, apple_id, on))
        {
            revoke_entry(entry, on, reason, true, today);
            revoked.push(entry.id.clone());
        }
        revoked
    }
}

impl Vault {
    /// Entry `i`, active under `apple_id`, must not hold the password of another
    /// active entry there: Apple counts one password once, in one slot.
    pub(super) fn ensure_one_entry_per_password(&self, i: usize, apple_id: &str) -> Result<(), ModelError> {
        let entry = &self.entries[i];
        let Some(holder) = self.co_holders(i, apple_id).next().map(|j| &self.entries[j]) else {
            return Ok(());
        };
        let mut apps = holder.apps.clone();
        apps.extend(entry.apps.iter().filter(|a| !holder.apps.contains(a)).cloned());
        Err(ModelError::MoveWouldDuplicate(Box::new(Fold {
            label: entry.label.clone(),
            holder: holder.label.clone(),
            apple_id: apple_id.to_owned(),
            from: entry.apple_id.clone(),
            apps,
        })))
    }

    /// Apple never issues the same password twice: a "new" password equal to the one
    /// it replaces, to another active entry's, or to a revoked one of the same Apple
    /// ID, is an old one pasted again (from the app, or the clipboard history).
    pub(super) fn ensure_not_reused(&self, i: usize, password: &Password) -> Result<(), ModelError> {
        let entry = &self.entries[i];
        let reused = self.entries.iter().enumerate().find(|(j, e)| {
            (*j == i || e.apple_id == entry.apple_id) && e.password.as_ref() == Some(password)
        });
        match reused {
            Some((j, e)) => Err(ModelError::PasswordNotNew {
                label: e.label.clone(),
                same_entry: j == i,
                revoked: !e.is_active(),
            }),
            None => Ok(()),
        }
    }
}

pub(super) fn revoke_entry(
    entry: &mut Entry,
    on: Date,
    reason: RevokeReason,
    needs_replacement: bool,
    today: Date,
) {
    entry.status = Status::Revoked {
        on,
        reason,
        needs_replacement,
    };
    entry.history.push(HistoryEvent {
        date: today,
        event: Event::Revoked {
            reason,
            needs_replacement,
        },
    });
}
