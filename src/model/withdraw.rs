//! Withdrawing a revoke, Revoke All or reset that was recorded by mistake (a wrong
//! Apple ID, a wrong day, a reset that never happened). What it revoked becomes
//! active again, exactly as before, unless it changed since (regenerated, retired):
//! those are left alone and named. The history records the withdrawal.

use jiff::civil::Date;

use super::{
    Conflict, Entry, EntryId, Event, HistoryEvent, ModelError, RevokeReason, SLOT_LIMIT, Status, Vault,
};

/// What a withdrawal did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Withdrawn {
    /// Active again.
    pub restored: Vec<EntryId>,
    /// Changed since; left as they are.
    pub changed_since: Vec<EntryId>,
    /// Revoked that day, but numbered before an earlier reset of the same day: an
    /// entry another machine added can carry any number, so which reset revoked it
    /// is not known. Left revoked, with a conflict that says it may be active.
    pub uncertain: Vec<EntryId>,
}

impl Vault {
    /// Withdraws the reset of `apple_id` recorded for `on` (the latest one when `on`
    /// is `None`).
    pub fn withdraw_reset(
        &mut self,
        apple_id: &str,
        on: Option<Date>,
        today: Date,
    ) -> Result<(Date, Withdrawn), ModelError> {
        let apple_id = self.known_account(apple_id)?;
        let account = self
            .accounts
            .iter_mut()
            .find(|a| a.apple_id == apple_id)
            .expect("known");
        let pick = account
            .resets
            .iter()
            .enumerate()
            .filter(|(_, r)| on.is_none_or(|d| r.date == d))
            .max_by_key(|(_, r)| (r.date, r.seq))
            .map(|(i, _)| i);
        let Some(i) = pick else {
            return Err(ModelError::NothingToWithdraw {
                what: match on {
                    Some(d) => format!("no Apple ID password reset of {apple_id} is recorded on {d}"),
                    None => format!("no Apple ID password reset of {apple_id} is recorded"),
                },
            });
        };
        let reset = account.resets[i].clone();
        // Another reset the same day, recorded earlier, revoked what was active before
        // it: this one only what was activated between the two.
        let after = account
            .resets
            .iter()
            .filter(|r| r.date == reset.date && r.seq < reset.seq)
            .map(|r| r.seq)
            .max();
        let alone = !account.resets.iter().any(|r| r.date == reset.date && r != &reset);
        // Added after the reset with a created date before it: recorded as revoked by it.
        let added_after = |e: &Entry| alone && e.activated_seq > reset.seq && e.created < reset.date;
        // Made before the day: the earlier record of that day revoked it as well.
        let predates_day = |e: &Entry| after.is_some() && e.created < reset.date;
        let mine = |e: &Entry| {
            (after.is_none_or(|a| e.activated_seq > a) && e.activated_seq < reset.seq && !predates_day(e))
                || added_after(e)
        };
        let what = format!("the Apple ID password reset of {} was withdrawn", reset.date);
        let undone = self.restore_where(
            &apple_id,
            reset.date,
            RevokeReason::AppleIdReset,
            mine,
            &what,
            today,
        )?;
        let mut undone = undone;
        let regenerated =
            self.regenerated_since(&apple_id, reset.date, RevokeReason::AppleIdReset, reset.seq);
        undone.changed_since.extend(regenerated);
        if let Some(earlier) = after {
            undone.uncertain = self.mark_uncertain(&apple_id, reset.date, earlier);
        }
        if let Some(account) = self.accounts.iter_mut().find(|a| a.apple_id == apple_id) {
            account.resets.retain(|r| r != &reset);
            account.withdrawn.push(reset.clone());
        }
        Ok((reset.date, undone))
    }

    /// Entries of `apple_id` revoked by a reset on `day`, untouched since, numbered
    /// before the earlier reset `earlier` of that day: marked with a conflict, since
    /// that reset or the one withdrawn may have revoked them.
    fn mark_uncertain(&mut self, apple_id: &str, day: Date, earlier: u64) -> Vec<EntryId> {
        let mut marked = Vec::new();
        let maybe = || Conflict::Status(Status::Active);
        for e in self.entries.iter_mut().filter(|e| {
            e.apple_id == apple_id
                && e.activated_seq <= earlier
                && matches!(e.status, Status::Revoked { on, reason: RevokeReason::AppleIdReset, .. } if on == day)
                && untouched(e, RevokeReason::AppleIdReset)
        }) {
            if !e.conflicts.contains(&maybe()) {
                e.conflicts.push(maybe());
            }
            marked.push(e.id.clone());
        }
        marked
    }

    /// Withdraws the Revoke All of `apple_id` recorded for `on` (the latest one when
    /// `on` is `None`).
    pub fn withdraw_revoke_all(
        &mut self,
        apple_id: &str,
        on: Option<Date>,
        today: Date,
    ) -> Result<(Date, Withdrawn), ModelError> {
        let apple_id = self.known_account(apple_id)?;
        // Its record (format 3), or, from an older vault, the entries it revoked.
        let recorded = self
            .account(&apple_id)
            .into_iter()
            .flat_map(|a| &a.revoke_alls)
            .filter(|r| on.is_none_or(|want| want == r.date))
            .map(|r| r.date);
        let latest = self
            .entries
            .iter()
            .filter(|e| e.apple_id == apple_id)
            .filter_map(|e| match e.status {
                Status::Revoked {
                    on: d,
                    reason: RevokeReason::RevokeAll,
                    ..
                } if on.is_none_or(|want| want == d) => Some(d),
                _ => None,
            })
            .chain(recorded)
            .max();
        let Some(day) = latest else {
            return Err(ModelError::NothingToWithdraw {
                what: match on {
                    Some(d) => format!("no Revoke All of {apple_id} is recorded on {d}"),
                    None => format!("no entry of {apple_id} is revoked by a Revoke All"),
                },
            });
        };
        let what = format!("the Revoke All of {day} was withdrawn");
        // With two records of the day, this one revoked only what was activated
        // between them; the earlier one stands for the rest.
        let records: Vec<super::Reset> = self
            .account(&apple_id)
            .map(|a| a.revoke_alls.iter().filter(|r| r.date == day).cloned().collect())
            .unwrap_or_default();
        let latest = records.iter().map(|r| r.seq).max();
        let earlier = records.iter().map(|r| r.seq).filter(|s| Some(*s) != latest).max();
        // Made before the day: the earlier record revoked it as well.
        let mine = |e: &Entry| {
            earlier.is_none_or(|s| e.activated_seq > s && e.created >= day)
                && latest.is_none_or(|s| e.activated_seq < s)
        };
        let mut undone = self.restore_where(&apple_id, day, RevokeReason::RevokeAll, mine, &what, today)?;
        let regenerated = self.regenerated_since(&apple_id, day, RevokeReason::RevokeAll, 0);
        undone.changed_since.extend(regenerated);
        // The latest record of that day: an earlier one the same day stands.
        if let Some(account) = self.accounts.iter_mut().find(|a| a.apple_id == apple_id)
            && let Some(i) = (0..account.revoke_alls.len())
                .filter(|i| account.revoke_alls[*i].date == day)
                .max_by_key(|i| account.revoke_alls[*i].seq)
        {
            let gone = account.revoke_alls.remove(i);
            account.withdrawn.push(gone);
        }
        Ok((day, undone))
    }

    /// Withdraws the revoke of one entry recorded by hand.
    pub fn withdraw_revoke(&mut self, id: &EntryId, today: Date) -> Result<(), ModelError> {
        let i = self.index(id)?;
        let entry = &self.entries[i];
        if !matches!(
            entry.status,
            Status::Revoked {
                reason: RevokeReason::Manual,
                ..
            }
        ) {
            return Err(ModelError::NothingToWithdraw {
                what: format!("\"{}\" has no revoke recorded by hand to withdraw", entry.label),
            });
        }
        let apple_id = entry.apple_id.clone();
        if untouched(entry, RevokeReason::Manual) && self.active_count(&apple_id) >= SLOT_LIMIT {
            return Err(self.slots_full(&apple_id, &[&apple_id]));
        }
        let entry = &mut self.entries[i];
        if restore(entry, RevokeReason::Manual, "the revoke was withdrawn", today) {
            return Ok(());
        }
        Err(ModelError::NothingToWithdraw {
            what: format!(
                "\"{}\" changed since it was revoked (it was retired or edited); it is left as it is",
                entry.label
            ),
        })
    }

    /// Makes active again each entry of `apple_id` revoked on `on` for `reason` (and
    /// picked by `mine`) that has not changed since; refused whole when that would
    /// pass Apple's 25 active passwords (entries added since took the slots).
    fn restore_where(
        &mut self,
        apple_id: &str,
        on: Date,
        reason: RevokeReason,
        mine: impl Fn(&Entry) -> bool,
        what: &str,
        today: Date,
    ) -> Result<Withdrawn, ModelError> {
        let hit = |e: &Entry| {
            e.apple_id == apple_id
                && matches!(e.status, Status::Revoked { on: d, reason: r, .. } if d == on && r == reason)
                && mine(e)
        };
        let returning = self
            .entries
            .iter()
            .filter(|e| hit(e) && untouched(e, reason))
            .count();
        if returning > 0 && self.active_count(apple_id) + returning > SLOT_LIMIT {
            return Err(self.slots_full(apple_id, &[apple_id]));
        }
        let mut undone = Withdrawn::default();
        for entry in self.entries.iter_mut().filter(|e| hit(e)) {
            if restore(entry, reason, what, today) {
                undone.restored.push(entry.id.clone());
            } else {
                undone.changed_since.push(entry.id.clone());
            }
        }
        Ok(undone)
    }

    /// Entries of `apple_id` regenerated since a revoke for `reason` recorded on or
    /// after `on` (and, for a reset, after its record `seq`): a withdrawal leaves them
    /// as they are, and says so. Their status no longer names the revoke.
    fn regenerated_since(&self, apple_id: &str, on: Date, reason: RevokeReason, seq: u64) -> Vec<EntryId> {
        let regenerated = |e: &Entry| {
            let revoke = e
                .history
                .iter()
                .rposition(|h| matches!(h.event, Event::Revoked { reason: r, .. } if r == reason));
            revoke.is_some_and(|i| {
                e.history[i].date >= on && e.history[i..].iter().any(|h| h.event == Event::Regenerated)
            })
        };
        self.entries
            .iter()
            .filter(|e| e.apple_id == apple_id && e.is_active() && e.activated_seq > seq)
            .filter(|e| regenerated(e))
            .map(|e| e.id.clone())
            .collect()
    }
}

/// True when nothing happened to `entry` since its revoke for `reason`.
fn untouched(entry: &Entry, reason: RevokeReason) -> bool {
    matches!(
        entry.history.last(),
        Some(HistoryEvent { event: Event::Revoked { reason: r, .. }, .. }) if *r == reason
    )
}

/// Makes `entry` active again if its last history event is still the revoke for
/// `reason` (nothing happened to it since); says whether it did.
fn restore(entry: &mut Entry, reason: RevokeReason, what: &str, today: Date) -> bool {
    let untouched = untouched(entry, reason);
    if untouched {
        entry.status = Status::Active;
        entry.history.push(HistoryEvent {
            date: today,
            event: Event::Edited(format!("{what}: active again")),
        });
    }
    untouched
}
