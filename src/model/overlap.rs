//! Regenerating while the old password is still active. Apple issues the new one
//! beside the old: its page lists the label twice, and both take a slot, until the
//! user revokes the old one there and tells aspen. The entry keeps each old password
//! that may still be live (`superseded`, with its day and activation order); a reset
//! or Revoke All recorded since revokes it as it would any password, and every count
//! adds the ones still live.

use jiff::civil::Date;

use super::ops::not_future;
use super::{
    Entry, EntryId, Event, HistoryEvent, ModelError, Password, RevokeReason, SLOT_LIMIT, Status, Superseded,
    Vault,
};

impl Vault {
    /// How many of `e`'s old passwords still take a slot at Apple: those no reset or
    /// Revoke All recorded since revoked.
    pub fn live_old(&self, e: &Entry) -> usize {
        self.live_superseded(e).len()
    }

    /// The rows Apple lists for `e` besides its current password: its old passwords
    /// still live, and a second new password a merge kept beside it (two machines
    /// stored one each; both are live at Apple until one is revoked).
    pub fn extra_rows(&self, e: &Entry) -> usize {
        self.live_old(e) + usize::from(self.conflict_live(e).is_some())
    }

    /// The record (a reset's or Revoke All's day, and which) that revoked a password
    /// created as `o` says, if one did: a record of a later day, or one of its own day
    /// recorded after it was (it existed then), as for any password.
    pub(super) fn record_revoking(&self, apple_id: &str, o: &Superseded) -> Option<(Date, RevokeReason)> {
        let account = self.account(apple_id)?;
        let after =
            |r: &&super::Reset| r.date > o.created || (r.date == o.created && r.seq > o.activated_seq);
        let reset = account
            .resets
            .iter()
            .find(after)
            .map(|r| (r.date, RevokeReason::AppleIdReset));
        let all = account
            .revoke_alls
            .iter()
            .find(after)
            .map(|r| (r.date, RevokeReason::RevokeAll));
        match (reset, all) {
            (Some(a), Some(b)) => Some(if b.0 < a.0 { b } else { a }),
            (a, b) => a.or(b),
        }
    }

    /// The second new password a merge kept beside `e`'s, while it is live at Apple:
    /// its status (recorded beside it, or the entry's) is active and no reset or
    /// Revoke All recorded since revoked it.
    pub(super) fn conflict_live(&self, e: &Entry) -> Option<Superseded> {
        let other = conflict_password(e)?;
        let status = e
            .conflicts
            .iter()
            .find_map(|c| match c {
                super::Conflict::Status(s) => Some(s),
                _ => None,
            })
            .unwrap_or(&e.status);
        (status.is_active() && self.record_revoking(&e.apple_id, &other).is_none()).then_some(other)
    }

    /// `e`'s old passwords still live at Apple.
    pub(super) fn live_superseded(&self, e: &Entry) -> Vec<Superseded> {
        if e.superseded.is_empty() {
            return Vec::new();
        }
        let revoked = |o: &Superseded| self.record_revoking(&e.apple_id, o).is_some();
        e.superseded.iter().copied().filter(|o| !revoked(o)).collect()
    }

    /// Before entry `i` takes a new password: whether the one it has stays live at
    /// Apple beside it. An active entry's does, unless the Apple ID was full (Apple
    /// could not have issued a new one before one was revoked), or another active
    /// entry holds the same password (which stays that entry's).
    pub(super) fn old_stays_live(&self, i: usize) -> bool {
        let e = &self.entries[i];
        let held_elsewhere = self.co_holders(i, &e.apple_id).next().is_some();
        e.is_active() && !held_elsewhere && self.active_count(&e.apple_id) < SLOT_LIMIT
    }

    /// The other active entries of `apple_id` that hold entry `i`'s password: one
    /// row at Apple with it. None for an entry without a stored password.
    pub(super) fn co_holders<'a>(&'a self, i: usize, apple_id: &'a str) -> impl Iterator<Item = usize> + 'a {
        let password = self.entries[i].password.as_ref();
        self.entries.iter().enumerate().filter_map(move |(j, o)| {
            let holds = password.is_some() && o.password.as_ref() == password;
            (j != i && o.apple_id == apple_id && o.is_active() && holds).then_some(j)
        })
    }

    /// Records that the old passwords of entry `id` were revoked at Apple: they take
    /// no slot any more. How many there were.
    pub fn revoke_old(&mut self, id: &EntryId, today: Date) -> Result<usize, ModelError> {
        let i = self.index(id)?;
        let live = self.live_superseded(&self.entries[i]);
        let entry = &mut self.entries[i];
        if live.is_empty() {
            return Err(ModelError::NoOldPassword {
                label: entry.label.clone(),
            });
        }
        entry.superseded.clear();
        let days: Vec<String> = live.iter().map(|o| o.created.to_string()).collect();
        entry.history.push(HistoryEvent {
            date: today,
            event: Event::Edited(format!(
                "the old password (created {}) recorded revoked at Apple",
                days.join(", ")
            )),
        });
        Ok(live.len())
    }

    /// The passwords of entry `i` besides its own still live that were created on
    /// `days`, one for each: its old ones (the earliest recorded first), then the
    /// other new one a merge kept; refused when one of them is none.
    pub(super) fn old_of_days(&self, i: usize, days: &[Date]) -> Result<Vec<Superseded>, ModelError> {
        let mut live = self.live_superseded(&self.entries[i]);
        live.sort_by_key(|o| (o.created, o.activated_seq));
        live.extend(self.conflict_live(&self.entries[i]));
        days.iter()
            .map(|day| match live.iter().position(|o| o.created == *day) {
                Some(k) => Ok(live.remove(k)),
                None => Err(ModelError::NoOldPassword {
                    label: self.entries[i].label.clone(),
                }),
            })
            .collect()
    }

    /// Records that the passwords of entry `id` besides its own created on `days`
    /// were revoked at Apple, the others staying live: what an audit finds when Apple
    /// lists some of a label's rows and not others. The other new password a merge
    /// kept stays for the user to settle, recorded revoked.
    pub(super) fn revoke_old_of(
        &mut self,
        id: &EntryId,
        days: &[Date],
        today: Date,
    ) -> Result<(), ModelError> {
        let i = self.index(id)?;
        let gone = self.old_of_days(i, days)?;
        let other = self.conflict_live(&self.entries[i]);
        let entry = &mut self.entries[i];
        entry.superseded.retain(|o| !gone.contains(o));
        if other.is_some_and(|o| gone.contains(&o)) {
            entry
                .conflicts
                .retain(|c| !matches!(c, super::Conflict::Status(_)));
            entry.conflicts.push(super::Conflict::Status(Status::Revoked {
                on: today,
                reason: RevokeReason::Manual,
                needs_replacement: true,
            }));
        }
        let days: Vec<String> = days.iter().map(ToString::to_string).collect();
        entry.history.push(HistoryEvent {
            date: today,
            event: Event::Edited(format!(
                "the old password (created {}) recorded revoked at Apple",
                days.join(", ")
            )),
        });
        Ok(())
    }

    /// Whether any entry of `apple_id` has an old password still live.
    pub(super) fn has_live_old(&self, apple_id: &str) -> bool {
        self.entries
            .iter()
            .any(|e| e.apple_id == apple_id && self.live_old(e) > 0)
    }

    /// Stores the new password Apple generated for the same label and apps. A revoked
    /// entry becomes active again, which needs a free slot.
    pub fn regenerate(
        &mut self,
        id: &EntryId,
        password: Password,
        created: Date,
        today: Date,
    ) -> Result<(), ModelError> {
        self.regenerate_telling(id, password, created, today).map(|_| ())
    }

    /// [`Vault::regenerate`], saying whether the old password stays live at Apple
    /// beside the new one (then it counts until recorded revoked).
    pub(super) fn regenerate_telling(
        &mut self,
        id: &EntryId,
        password: Password,
        created: Date,
        today: Date,
    ) -> Result<bool, ModelError> {
        not_future(created, today)?;
        let i = self.index(id)?;
        if !self.entries[i].is_active() {
            let apple_id = self.entries[i].apple_id.clone();
            self.ensure_free_slot(&apple_id)?;
        }
        self.ensure_not_reused(i, &password)?;
        let old_live = self.old_stays_live(i);
        // Revoked by a recorded reset or Revoke All, the old password is kept too: it
        // stays revoked by that record, and is live again if the record is withdrawn.
        let by_record = self.revoked_by_record(&self.entries[i]);
        let seq = self.take_seq();
        let entry = &mut self.entries[i];
        let old = Superseded {
            created: entry.created,
            activated_seq: entry.activated_seq,
        };
        if old_live || by_record {
            entry.superseded.push(old);
        }
        // The old password is dropped here and zeroized.
        entry.password = Some(password);
        entry.created = created;
        entry.status = Status::Active;
        entry.activated_seq = seq;
        entry.history.push(HistoryEvent {
            date: today,
            event: Event::Regenerated,
        });
        // Live unless a record already revoked it (made before a Revoke All, say).
        let i = self.index(id)?;
        Ok(old_live && self.live_superseded(&self.entries[i]).contains(&old))
    }

    /// How many slots an edit takes under its target Apple ID: the entry's own when
    /// it moves active or becomes active again, and its old passwords still live
    /// when it moves (Apple counts them where they are).
    pub(super) fn slots_taken_along(&self, e: &Entry, moving: bool, returning: bool) -> usize {
        usize::from((moving && e.is_active()) || returning) + if moving { self.live_old(e) } else { 0 }
    }

    /// Refuses when `apple_id` has not `n` free slots, naming the oldest active entries.
    pub(super) fn ensure_room(&self, apple_id: &str, n: usize) -> Result<(), ModelError> {
        if n == 0 || self.active_count(apple_id) + n <= SLOT_LIMIT {
            return Ok(());
        }
        Err(self.slots_full(apple_id, &[apple_id]))
    }

    /// Whether `e` is revoked by a reset or Revoke All this vault holds the record of.
    fn revoked_by_record(&self, e: &Entry) -> bool {
        let Status::Revoked { on, reason, .. } = e.status else {
            return false;
        };
        let Some(account) = self.account(&e.apple_id) else {
            return false;
        };
        let records = match reason {
            super::RevokeReason::AppleIdReset => &account.resets,
            super::RevokeReason::RevokeAll => &account.revoke_alls,
            super::RevokeReason::Manual => return false,
        };
        records.iter().any(|r| r.date == on)
    }
}

/// The second new password a merge kept beside `e`'s (another than its own), as an
/// old password is known: by its day and order.
fn conflict_password(e: &Entry) -> Option<Superseded> {
    e.conflicts.iter().find_map(|c| match c {
        super::Conflict::Password {
            password: Some(p),
            created,
            activated_seq,
        } if e.password.as_ref() != Some(p) => Some(Superseded {
            created: *created,
            activated_seq: *activated_seq,
        }),
        _ => None,
    })
}

/// The password a resolve of `e`'s password conflict sets aside while it is still
/// live at Apple: the other one when ours is kept (`other_live`, from
/// [`Vault::conflict_live`]), ours when theirs is taken. It stays counted as an old
/// password until recorded revoked.
pub(super) fn set_aside_by_resolve(
    e: &Entry,
    theirs: bool,
    other_live: Option<Superseded>,
) -> Option<Superseded> {
    if theirs {
        // Ours is set aside; live when the entry showed it active.
        return (conflict_password(e).is_some() && e.status.is_active()).then_some(Superseded {
            created: e.created,
            activated_seq: e.activated_seq,
        });
    }
    other_live
}

/// The old passwords of an entry whose two sides both stored a new one (a password
/// conflict): each side's, once, less what either side holds as its current password
/// (the entry's or the conflict's, counted there) and less what a side dropped since
/// `base` (recorded revoked). Without a base nothing can be known dropped: kept.
pub(super) fn joined_old(base: Option<&Entry>, a: &Entry, b: &Entry) -> Vec<Superseded> {
    let key = |created: Date, seq: u64| (created, seq);
    let current = [key(a.created, a.activated_seq), key(b.created, b.activated_seq)];
    let dropped_by = |side: &Entry, o: &Superseded| {
        !side.superseded.contains(o)
            && key(side.created, side.activated_seq) != key(o.created, o.activated_seq)
    };
    // Known to the base as an old password, or as its current one (which a side that
    // changed its password since made an old one): a side without it recorded it
    // revoked.
    let dropped = |o: &Superseded| {
        base.is_some_and(|base| {
            let known = base.superseded.contains(o)
                || key(base.created, base.activated_seq) == key(o.created, o.activated_seq);
            known && (dropped_by(a, o) || dropped_by(b, o))
        })
    };
    let mut old: Vec<Superseded> = a
        .superseded
        .iter()
        .chain(&b.superseded)
        .filter(|o| !current.contains(&key(o.created, o.activated_seq)) && !dropped(o))
        .copied()
        .collect();
    old.sort_by_key(|o| key(o.created, o.activated_seq));
    old.dedup();
    old
}
