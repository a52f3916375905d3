//! Regenerating while the old password is still active. Apple issues the new one
//! beside the old: its page lists the label twice, and both take a slot, until the
//! user revokes the old one there and tells aspen. The entry keeps the created day
//! of each old password still live (`superseded`), and every count adds them.

use jiff::civil::Date;

use super::ops::not_future;
use super::{Entry, EntryId, Event, HistoryEvent, ModelError, Password, SLOT_LIMIT, Status, Vault};

impl Vault {
    /// How many of `e`'s old passwords still take a slot at Apple: those not revoked
    /// by a reset recorded since they were made (a Revoke All drops them outright).
    pub fn live_old(&self, e: &Entry) -> usize {
        self.live_superseded(e).len()
    }

    /// The days of `e`'s old passwords still live at Apple.
    pub(super) fn live_superseded(&self, e: &Entry) -> Vec<Date> {
        if e.superseded.is_empty() {
            return Vec::new();
        }
        let resets = self.account(&e.apple_id).map_or(&[][..], |a| &a.resets[..]);
        // A reset on an old password's own day revoked it when recorded after it was
        // replaced (it existed then); one recorded before, it outlived.
        let revoked = |d: &Date| {
            resets
                .iter()
                .any(|r| r.date > *d || (r.date == *d && r.seq > e.activated_seq))
        };
        e.superseded.iter().copied().filter(|d| !revoked(d)).collect()
    }

    /// Before entry `i` takes a new password: whether the one it has stays live at
    /// Apple beside it. An active entry's does, unless the Apple ID was full, when
    /// Apple could not have issued a new one before one was revoked.
    pub(super) fn old_stays_live(&self, i: usize) -> bool {
        let e = &self.entries[i];
        e.is_active() && self.active_count(&e.apple_id) < SLOT_LIMIT
    }

    /// Records that the old passwords of entry `id` were revoked at Apple: they take
    /// no slot any more. How many there were.
    pub fn revoke_old(&mut self, id: &EntryId, today: Date) -> Result<usize, ModelError> {
        let i = self.index(id)?;
        let entry = &mut self.entries[i];
        if entry.superseded.is_empty() {
            return Err(ModelError::NoOldPassword {
                label: entry.label.clone(),
            });
        }
        let old = std::mem::take(&mut entry.superseded);
        let days: Vec<String> = old.iter().map(ToString::to_string).collect();
        entry.history.push(HistoryEvent {
            date: today,
            event: Event::Edited(format!(
                "the old password (created {}) recorded revoked at Apple",
                days.join(", ")
            )),
        });
        Ok(old.len())
    }

    /// A Revoke All on `on` revoked the old passwords of `apple_id` made by then: they
    /// stop counting. How many.
    pub(super) fn revoke_old_by(&mut self, apple_id: &str, on: Date) -> usize {
        let mut gone = 0;
        for e in self.entries.iter_mut().filter(|e| e.apple_id == apple_id) {
            let before = e.superseded.len();
            e.superseded.retain(|d| *d > on);
            gone += before - e.superseded.len();
        }
        gone
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
        not_future(created, today)?;
        let i = self.index(id)?;
        if !self.entries[i].is_active() {
            let apple_id = self.entries[i].apple_id.clone();
            self.ensure_free_slot(&apple_id)?;
        }
        self.ensure_not_reused(i, &password)?;
        let old_live = self.old_stays_live(i);
        // Before the activation order changes: which old ones a reset already took.
        let still_live = self.live_superseded(&self.entries[i]);
        let seq = self.take_seq();
        let entry = &mut self.entries[i];
        entry.superseded = still_live;
        if old_live {
            entry.superseded.push(entry.created);
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
        Ok(())
    }
}
