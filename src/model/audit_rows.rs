//! Apple's rows of one label paired with the passwords aspen knows under it: the
//! entry's current one, its old ones still live, a second new one a merge kept. Apple
//! lists each with the day it was created, so a row is matched by its day first; what
//! no day matches is paired by count, newest row first, as when the list has no days
//! or aspen's day is off. An old password left without a row was revoked at Apple
//! (the one revoked, when several are live); a row left without a password is an
//! older password still live.

use jiff::civil::Date;

use super::{Entry, Listed, ModelError, Vault};
use crate::model::AuditDiff;

/// One row Apple's page should show: an entry's current password, or an old one a
/// regeneration left live (`old`), with the day it was created.
pub struct ExpectedRow<'a> {
    pub entry: &'a Entry,
    pub created: Date,
    pub old: bool,
}

/// What pairing found.
struct Paired {
    /// The row taken for the current (or a new) password: `None` when no row was
    /// left for it, `Some(None)` for a row without a day.
    current: Option<Option<Date>>,
    /// Old passwords (and the other new one a merge kept), by created day, without
    /// a row.
    gone: Vec<Date>,
    /// Rows left over, by day.
    more: Vec<Date>,
}

/// Pairs `rows` with the passwords aspen knows: `current` (matched by `day` when
/// given; `wanted` says a current row is looked for at all), `olds` and `other` (a
/// second new password's day, never reported gone).
fn pair(rows: &[&Listed], wanted: bool, day: Option<Date>, olds: &[Date], other: Option<Date>) -> Paired {
    let mut left: Vec<Option<Date>> = rows.iter().map(|l| l.created).collect();
    let mut take = |d: Date| match left.iter().position(|x| *x == Some(d)) {
        Some(i) => {
            left.remove(i);
            true
        }
        None => false,
    };
    let current_exact = wanted && day.is_some_and(&mut take);
    let unmatched: Vec<Date> = olds.iter().copied().filter(|d| !take(*d)).collect();
    let other_exact = other.is_some_and(&mut take);
    // Newest first, rows without a day last.
    left.sort_by(|a, b| b.cmp(a));
    let mut left = left.into_iter();
    let current = match (wanted, current_exact) {
        (false, _) => None,
        (true, true) => Some(day),
        (true, false) => left.next(),
    };
    // The other new password a merge kept: without a row of its own, revoked too.
    let other_gone = other.filter(|_| !other_exact && left.next().is_none());
    // Rows no day matched go to the newest old passwords: the earliest are taken as
    // the ones revoked, as people revoke the oldest first.
    let mut unmatched = unmatched;
    unmatched.sort_unstable();
    let kept = unmatched.len().min(left.len());
    left.by_ref().take(kept).for_each(drop);
    unmatched.truncate(unmatched.len() - kept);
    let mut gone = unmatched;
    gone.extend(other_gone);
    Paired {
        current,
        gone,
        more: left.flatten().collect(),
    }
}

impl Vault {
    /// Every row Apple's page should list for `apple_id`, newest first as Apple lists
    /// them: the current passwords ([`Vault::expected_at_apple`]) and the old ones
    /// still live, so that an audit by questions asks about each.
    pub fn expected_rows(&self, apple_id: &str) -> Result<Vec<ExpectedRow<'_>>, ModelError> {
        let apple_id = self.known_account(apple_id)?;
        let mut rows: Vec<ExpectedRow<'_>> = self
            .expected_at_apple(&apple_id)?
            .into_iter()
            .map(|entry| ExpectedRow {
                entry,
                created: entry.created,
                old: false,
            })
            .collect();
        for entry in self.entries.iter().filter(|e| e.apple_id == apple_id) {
            rows.extend(self.olds_by_day(entry).into_iter().map(|created| ExpectedRow {
                entry,
                created,
                old: true,
            }));
        }
        rows.sort_by(|a, b| {
            b.created
                .cmp(&a.created)
                .then_with(|| super::label_order(&a.entry.label, &b.entry.label))
                .then_with(|| a.old.cmp(&b.old))
        });
        Ok(rows)
    }

    fn olds_by_day(&self, e: &Entry) -> Vec<Date> {
        self.live_superseded(e).iter().map(|o| o.created).collect()
    }

    /// Matches Apple's rows of active entry `e`'s label: no row left for its current
    /// password is a revoke outside aspen (its old passwords stay as their rows say);
    /// a row of another day is the current one with that day.
    pub(super) fn match_rows(&self, e: &Entry, rows: &[&Listed], diff: &mut AuditDiff) {
        let olds = self.olds_by_day(e);
        let other = self.conflict_live(e).map(|o| o.created);
        let p = pair(rows, true, Some(e.created), &olds, other);
        match p.current {
            None => diff.not_listed.push(e.id.clone()),
            Some(Some(d)) if d != e.created => diff.other_date.push((e.id.clone(), d)),
            Some(_) => {}
        }
        self.report_olds(e, p.gone, p.more, diff);
    }

    /// Apple's rows of a revoked entry's label: its old passwords still live by day;
    /// a row more than those is a new password generated at Apple and never stored
    /// (the newest row no old one takes), rows more again older ones still live.
    pub(super) fn match_revoked(&self, e: &Entry, rows: &[&Listed], diff: &mut AuditDiff) {
        let olds = self.olds_by_day(e);
        let other = self.conflict_live(e).map(|o| o.created);
        let again = rows.len() > olds.len() + usize::from(other.is_some());
        let p = pair(rows, again, None, &olds, other);
        if let Some(created) = p.current {
            diff.listed_again.push((e.id.clone(), created));
        }
        self.report_olds(e, p.gone, p.more, diff);
    }

    fn report_olds(&self, e: &Entry, gone: Vec<Date>, more: Vec<Date>, diff: &mut AuditDiff) {
        if !gone.is_empty() {
            diff.old_revoked.push((e.id.clone(), gone));
        }
        if !more.is_empty() {
            diff.old_live.push((e.id.clone(), more));
        }
    }
}
