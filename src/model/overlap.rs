//! Regenerating while the old password is still active. Apple issues the new one
//! beside the old: its page lists the label twice, and both take a slot, until the
//! user revokes the old one there and tells aspen. The entry keeps the created day
//! of each old password still live (`superseded`), and every count adds them.

use jiff::civil::Date;

use super::{Entry, EntryId, Event, HistoryEvent, ModelError, SLOT_LIMIT, Vault};

impl Vault {
    /// How many of `e`'s old passwords still take a slot at Apple: those not revoked
    /// by a reset or Revoke All recorded since they were made.
    pub fn live_old(&self, e: &Entry) -> usize {
        e.superseded
            .iter()
            .filter(|d| self.reset_after(&e.apple_id, **d).is_none())
            .count()
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
}
