//! Merging two copies of one vault, entry by entry: another machine's save delivered
//! by a sync tool, a sync tool's conflict copy, the other side of a `git pull`.
//!
//! Entries match by id. A change made on one side only wins; the same change on both
//! sides is one change. Whether a side already saw the other's change is read from
//! the stamps (see [`super::stamp`]), so no common ancestor is needed; when there is
//! one (`base`) it settles fields the stamps cannot (a vault upgraded from format 1
//! has none). A field changed differently on both sides is a conflict: the merge
//! keeps one value and records the other on the entry ([`Conflict`]). A password is
//! never dropped by a merge; a deletion is dropped only when the deleting side had
//! seen every change of the entry.

use std::collections::{HashMap, HashSet};

use super::stamp::changed_fields;
use super::{
    AppleAccount, Conflict, Entry, EntryId, Field, HistoryEvent, RevokeReason, Status, Tombstone, Vault,
};

/// What a merge took from the other side and what it left to the user, by label.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct MergeReport {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub deleted: Vec<String>,
    /// Entries with a new conflict for the user to resolve.
    pub conflicts: Vec<String>,
}

impl MergeReport {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.changed.is_empty()
            && self.deleted.is_empty()
            && self.conflicts.is_empty()
    }

    /// One line for a message: "added "A"; changed "B"; …".
    pub fn summary(&self) -> String {
        let part = |what: &str, labels: &[String]| {
            (!labels.is_empty()).then(|| {
                let quoted: Vec<String> = labels.iter().map(|l| format!("\"{l}\"")).collect();
                format!("{what} {}", quoted.join(", "))
            })
        };
        let parts: Vec<String> = [
            part("added", &self.added),
            part("changed", &self.changed),
            part("deleted", &self.deleted),
            part("conflicts to resolve in", &self.conflicts),
        ]
        .into_iter()
        .flatten()
        .collect();
        if parts.is_empty() {
            "nothing new".to_owned()
        } else {
            parts.join("; ")
        }
    }
}

/// Merges `theirs` into `ours`. `base`, when known, is the version both started from.
pub fn merge(base: Option<&Vault>, ours: Vault, theirs: Vault) -> (Vault, MergeReport) {
    let mut report = MergeReport::default();
    let base_entries: HashMap<&EntryId, &Entry> = base
        .map(|b| b.entries.iter().map(|e| (&e.id, e)).collect())
        .unwrap_or_default();
    let tomb_ours: HashMap<EntryId, Tombstone> = ours
        .tombstones
        .iter()
        .map(|t| (t.id.clone(), t.clone()))
        .collect();
    let tomb_theirs: HashMap<EntryId, Tombstone> = theirs
        .tombstones
        .iter()
        .map(|t| (t.id.clone(), t.clone()))
        .collect();
    let mut theirs_by_id: HashMap<EntryId, Entry> = HashMap::with_capacity(theirs.entries.len());
    let mut theirs_order = Vec::with_capacity(theirs.entries.len());
    for e in theirs.entries {
        theirs_order.push(e.id.clone());
        theirs_by_id.insert(e.id.clone(), e);
    }
    let mut entries = Vec::with_capacity(ours.entries.len() + theirs_by_id.len());
    for a in ours.entries {
        let base_e = base_entries.get(&a.id).copied();
        match theirs_by_id.remove(&a.id) {
            Some(b) => entries.push(merge_entry(base_e, a, b, &mut report)),
            None => {
                let tomb = tomb_theirs.get(&a.id);
                if let Some(kept) = one_side(a, base_e, tomb, false, &mut report) {
                    entries.push(kept);
                }
            }
        }
    }
    for id in theirs_order {
        let Some(b) = theirs_by_id.remove(&id) else {
            continue;
        };
        let base_e = base_entries.get(&b.id).copied();
        let tomb = tomb_ours.get(&b.id);
        if let Some(kept) = one_side(b, base_e, tomb, true, &mut report) {
            entries.push(kept);
        }
    }
    let (recovery, recovery_removed) = super::recovery::merge_recovery(
        (ours.recovery, ours.recovery_removed),
        (theirs.recovery, theirs.recovery_removed),
    );
    let mut merged = Vault {
        id: if ours.id.is_unset() { theirs.id } else { ours.id },
        saves: ours.saves.max(theirs.saves),
        clock: ours.clock.join(&theirs.clock),
        accounts: merge_accounts(ours.accounts, theirs.accounts),
        entries,
        tombstones: merge_tombstones(ours.tombstones, theirs.tombstones),
        recovery,
        recovery_removed,
        next_seq: ours.next_seq.max(theirs.next_seq),
    };
    // An entry kept against a deletion must not stay listed as deleted.
    let live: HashSet<EntryId> = merged.entries.iter().map(|e| e.id.clone()).collect();
    merged.tombstones.retain(|t| !live.contains(&t.id));
    separate_same_labels(&mut merged, &mut report);
    let known: HashSet<String> = merged.accounts.iter().map(|a| a.apple_id.clone()).collect();
    let missing: HashSet<&String> = merged
        .entries
        .iter()
        .map(|e| &e.apple_id)
        .filter(|id| !known.contains(*id))
        .collect();
    // This vault's Apple IDs keep their order (a merge that brings nothing must
    // write nothing); the ones new to it follow, in a fixed order.
    let mut added: Vec<AppleAccount> = missing
        .into_iter()
        .map(|id| AppleAccount::new(id.clone()))
        .collect();
    added.sort_by(|a, b| a.apple_id.cmp(&b.apple_id));
    merged.accounts.extend(added);
    (merged, report)
}

/// An entry only one side has: new there, deleted on the other side, or missing
/// from an older copy. Only a tombstone says "deleted", and it wins only when the
/// deleting side had seen every change of the entry; a copy that merely lacks the
/// entry (older, or written by format 1) loses nothing.
fn one_side(
    mut e: Entry,
    base: Option<&Entry>,
    deleted_there: Option<&Tombstone>,
    from_theirs: bool,
    report: &mut MergeReport,
) -> Option<Entry> {
    match deleted_there {
        // An entry never stamped has not changed since format 1: the deleting side
        // saw it as it is.
        Some(t) if t.clock.dominates(&e.stamps.clock) => {
            if !from_theirs {
                report.deleted.push(e.label.clone());
            }
            None
        }
        Some(t) => {
            let c = Conflict::DeletedElsewhere { date: t.date };
            if !e.conflicts.contains(&c) {
                e.conflicts.push(c);
                report.conflicts.push(e.label.clone());
            }
            Some(e)
        }
        None => {
            if from_theirs && base.is_none() {
                report.added.push(e.label.clone());
            }
            Some(e)
        }
    }
}

/// Merges one entry both sides hold.
fn merge_entry(base: Option<&Entry>, a: Entry, b: Entry, report: &mut MergeReport) -> Entry {
    let (ca, cb) = (&a.stamps.clock, &b.stamps.clock);
    // Conflicts are not a value to pick: `combine` keeps what the newer side kept.
    let differs: Vec<Field> = changed_fields(&a, &b)
        .into_iter()
        .filter(|f| *f != Field::Conflicts)
        .collect();
    if differs.is_empty() {
        return combine(a, b, &[], &[], report);
    }
    if ca != cb && ca.dominates(cb) {
        return combine(a, b, &[], &[], report);
    }
    if ca != cb && cb.dominates(ca) {
        return combine(a, b, &differs, &[], report);
    }
    let mut take = Vec::new();
    let mut conflicted = Vec::new();
    for f in differs {
        let a_saw_b = b.stamps.dot(f).is_none_or(|d| ca.covers(d));
        let b_saw_a = a.stamps.dot(f).is_none_or(|d| cb.covers(d));
        if kept_since_base(base, &b, &a, f) || (a_saw_b && !b_saw_a) {
            continue;
        }
        if kept_since_base(base, &a, &b, f) || (b_saw_a && !a_saw_b) {
            take.push(f);
        } else {
            conflicted.push(f);
        }
    }
    status_follows_password(&a, &b, &mut take, &mut conflicted);
    let old = conflicted
        .contains(&Field::Password)
        .then(|| super::overlap::joined_old(base, &a, &b));
    // A side that recorded its password revoked tells the other side's regeneration
    // that this one, now its old password, is live no more.
    let revoked: Vec<(jiff::civil::Date, u64)> = [&a, &b]
        .into_iter()
        .filter(|e| !e.is_active())
        .map(|e| (e.created, e.activated_seq))
        .collect();
    let mut merged = combine(a, b, &take, &conflicted, report);
    if let Some(old) = old {
        merged.superseded = old;
    }
    merged
        .superseded
        .retain(|o| !revoked.contains(&(o.created, o.activated_seq)));
    merged
}

/// Whether `x` left `f` as in the base while `y` changed it after the base, having
/// seen `x`'s value: then `y`'s value is the news. A `y` whose value the base had
/// already seen (a copy older than the base, a restored backup) is no news, and a
/// `y` that never saw `x`'s value (a base that is not the common ancestor: a file a
/// sync tool replaced with another machine's) changed it concurrently.
fn kept_since_base(base: Option<&Entry>, x: &Entry, y: &Entry, f: Field) -> bool {
    let Some(base) = base else { return false };
    if changed_fields(x, base).contains(&f) {
        return false;
    }
    let y_saw_x = x.stamps.dot(f).is_none_or(|d| y.stamps.clock.covers(d));
    match y.stamps.dot(f) {
        Some(d) => y_saw_x && !base.stamps.clock.covers(d),
        // Neither stamped (both as format 1 wrote them): only the base can tell.
        None => base.stamps.dot(f).is_none(),
    }
}

/// A password and the status that says whether Apple holds it live are one
/// decision. A new password from one side against a revoke or retire of the old one
/// on the other, neither seeing the other, ends active with the new password: a
/// revoke by hand, or a retire, was of the old password. A Revoke All or reset on or
/// after the new password's day may have revoked it too, which only the user knows:
/// that is a conflict they see, never a silent choice.
fn status_follows_password(a: &Entry, b: &Entry, take: &mut Vec<Field>, conflicted: &mut Vec<Field>) {
    if a.status == b.status {
        return;
    }
    // Two new passwords, both kept: each keeps its own status beside it, so that
    // either choice of `resolve` takes a password with the status that goes with it.
    if conflicted.contains(&Field::Password) {
        take.retain(|f| *f != Field::Status);
        if !conflicted.contains(&Field::Status) {
            conflicted.push(Field::Status);
        }
        return;
    }
    // Only another password makes a revoke of the old one moot: which old passwords
    // are live (stamped with the password) does not.
    if a.password == b.password && a.created == b.created && a.activated_seq == b.activated_seq {
        return;
    }
    let password_from_b = take.contains(&Field::Password);
    let password_from_a = !password_from_b && changed_fields(a, b).contains(&Field::Password);
    let (new, old) = match (password_from_a, password_from_b) {
        (true, _) => (a, b),
        (_, true) => (b, a),
        _ => return,
    };
    let status_from_new = if password_from_b {
        take.contains(&Field::Status)
    } else {
        !take.contains(&Field::Status) && !conflicted.contains(&Field::Status)
    };
    if status_from_new || !new.is_active() {
        return;
    }
    let may_have_revoked_it = match old.status {
        Status::Revoked { on, reason, .. } => reason != RevokeReason::Manual && on >= new.created,
        Status::Active => false,
    };
    take.retain(|f| *f != Field::Status);
    conflicted.retain(|f| *f != Field::Status);
    if may_have_revoked_it {
        // The entry shows `a`'s status, the other is recorded beside it.
        conflicted.push(Field::Status);
    } else if password_from_b {
        take.push(Field::Status);
    }
}

/// `a` with the fields `take` from `b`, the fields `conflicted` recorded as conflicts,
/// both histories, both sets of conflicts and the joined stamps.
fn combine(
    mut a: Entry,
    mut b: Entry,
    take: &[Field],
    conflicted: &[Field],
    report: &mut MergeReport,
) -> Entry {
    if !take.is_empty() {
        report.changed.push(b.label.clone());
    }
    for f in take {
        swap_field(&mut a, &mut b, *f);
        if let Some(d) = b.stamps.dot(*f) {
            a.stamps.fields.insert(*f, d.clone());
        }
    }
    for f in conflicted {
        let c = recorded(&mut b, *f);
        if !a.conflicts.contains(&c) {
            a.conflicts.push(c);
        }
    }
    if !conflicted.is_empty() {
        report.conflicts.push(a.label.clone());
    }
    // A side that saw the other's conflicts and resolved them must not get them back;
    // between sides that did not see each other, both sets stand.
    let (ca, cb) = (&a.stamps.clock, &b.stamps.clock);
    let b_newer = ca != cb && cb.dominates(ca);
    let a_newer = ca != cb && ca.dominates(cb);
    let theirs = std::mem::take(&mut b.conflicts);
    if b_newer {
        // Only the concurrent case records new conflicts: none are lost here.
        a.conflicts = theirs;
    } else if !a_newer {
        for c in theirs {
            if !a.conflicts.contains(&c) {
                a.conflicts.push(c);
            }
        }
    }
    a.history = merge_history(std::mem::take(&mut a.history), std::mem::take(&mut b.history));
    a.stamps.clock = a.stamps.clock.join(&b.stamps.clock);
    a
}

/// Moves `b`'s value of `f` into `a` (and `a`'s into `b`, which is dropped after).
fn swap_field(a: &mut Entry, b: &mut Entry, f: Field) {
    use std::mem::swap;
    match f {
        Field::Label => swap(&mut a.label, &mut b.label),
        Field::AppleId => swap(&mut a.apple_id, &mut b.apple_id),
        Field::Apps => swap(&mut a.apps, &mut b.apps),
        Field::Password => {
            swap(&mut a.password, &mut b.password);
            swap(&mut a.created, &mut b.created);
            swap(&mut a.activated_seq, &mut b.activated_seq);
            // Which old passwords are still live goes with the password that
            // replaced them.
            swap(&mut a.superseded, &mut b.superseded);
        }
        Field::Status => swap(&mut a.status, &mut b.status),
        Field::Notes => swap(&mut a.notes, &mut b.notes),
        Field::Uses => {
            swap(&mut a.uses, &mut b.uses);
            swap(&mut a.team_id, &mut b.team_id);
        }
        Field::Name | Field::Conflicts => {}
    }
}

/// `b`'s value of `f`, to record beside `a`'s.
fn recorded(b: &mut Entry, f: Field) -> Conflict {
    use std::mem::take;
    match f {
        Field::Label => Conflict::Label(take(&mut b.label)),
        Field::AppleId => Conflict::AppleId(take(&mut b.apple_id)),
        Field::Apps => Conflict::Apps(take(&mut b.apps)),
        Field::Password => Conflict::Password {
            password: b.password.take(),
            created: b.created,
            activated_seq: b.activated_seq,
        },
        Field::Status => Conflict::Status(b.status.clone()),
        Field::Notes => Conflict::Notes(take(&mut b.notes)),
        Field::Uses => Conflict::UsesFor {
            uses: take(&mut b.uses),
            team_id: take(&mut b.team_id),
        },
        Field::Name | Field::Conflicts => unreachable!("not a value a merge records"),
    }
}

/// Both histories, each event once (as many times as the side with more has it),
/// in date order; same-day events keep `a`'s order, then `b`'s.
fn merge_history(a: Vec<HistoryEvent>, b: Vec<HistoryEvent>) -> Vec<HistoryEvent> {
    let mut remaining: Vec<&HistoryEvent> = a.iter().collect();
    let mut extra = Vec::new();
    for ev in b {
        match remaining.iter().position(|x| **x == ev) {
            Some(i) => {
                remaining.swap_remove(i);
            }
            None => extra.push(ev),
        }
    }
    let mut out = a;
    out.extend(extra);
    out.sort_by_key(|e| e.date);
    out
}

fn merge_tombstones(a: Vec<Tombstone>, b: Vec<Tombstone>) -> Vec<Tombstone> {
    let mut by_id: HashMap<EntryId, usize> = HashMap::new();
    let mut out: Vec<Tombstone> = Vec::with_capacity(a.len() + b.len());
    for t in a.into_iter().chain(b) {
        match by_id.get(&t.id) {
            Some(&i) => {
                let kept = &mut out[i];
                kept.clock = kept.clock.join(&t.clock);
                kept.date = kept.date.min(t.date);
            }
            None => {
                by_id.insert(t.id.clone(), out.len());
                out.push(t);
            }
        }
    }
    out
}

fn merge_accounts(a: Vec<AppleAccount>, b: Vec<AppleAccount>) -> Vec<AppleAccount> {
    let mut out = a;
    for theirs in b {
        match out.iter_mut().find(|x| x.apple_id == theirs.apple_id) {
            Some(ours) => merge_account(ours, theirs),
            None => out.push(theirs),
        }
    }
    out
}

fn merge_account(a: &mut AppleAccount, b: AppleAccount) {
    let (ca, cb) = (&a.stamps.clock, &b.stamps.clock);
    if a.name != b.name || a.mail != b.mail {
        let b_newer = match (a.stamps.dot(Field::Name), b.stamps.dot(Field::Name)) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(da), Some(db)) if cb.covers(da) != ca.covers(db) => cb.covers(da),
            // Named on two machines that had not seen each other's: an Apple ID has no
            // conflict to keep, so both machines must settle on the same side, whichever
            // merges first: the one whose change has the greater stamp.
            (Some(da), Some(db)) => (db.n, db.machine) > (da.n, da.machine),
        };
        if b_newer {
            a.name = b.name;
            a.mail = b.mail;
            if let Some(d) = b.stamps.dot(Field::Name) {
                a.stamps.fields.insert(Field::Name, d.clone());
            }
        }
    }
    a.stamps.clock = a.stamps.clock.join(&b.stamps.clock);
    // A reset is one event, its day and order together: the same record on both
    // sides is one, and a withdrawal removes that record only, so a second reset
    // recorded the same day (or recorded again after a withdrawal) stands.
    for w in b.withdrawn {
        if !a.withdrawn.contains(&w) {
            a.withdrawn.push(w);
        }
    }
    for r in b.resets {
        if !a.resets.contains(&r) {
            a.resets.push(r);
        }
    }
    for r in b.revoke_alls {
        if !a.revoke_alls.contains(&r) {
            a.revoke_alls.push(r);
        }
    }
    let withdrawn = a.withdrawn.clone();
    a.resets.retain(|r| !withdrawn.contains(r));
    a.revoke_alls.retain(|r| !withdrawn.contains(r));
    a.revoke_alls.sort_by_key(|r| (r.date, r.seq));
    a.resets.sort_by_key(|r| (r.date, r.seq));
    // The last audit of a day is the one "last checked" shows. Ours come after
    // theirs: in a save, ours is the change made later (theirs was saved before
    // this save merged it in). What both hold came before either.
    let (mut audits, ours): (Vec<_>, Vec<_>) = std::mem::take(&mut a.audits)
        .into_iter()
        .partition(|x| b.audits.contains(x));
    for theirs in b.audits {
        if !audits.contains(&theirs) {
            audits.push(theirs);
        }
    }
    audits.extend(ours);
    audits.sort_by_key(|x| x.date);
    a.audits = audits;
}

/// Entries that ended with one label under one Apple ID (added on two machines, or
/// label and Apple ID taken from different sides): all are kept, and all but the one
/// with the smallest id renamed `LABEL (N)` with the first free N and marked, so the
/// user decides. Groups are taken in label order and ids in id order, so the same
/// entry gets the same label whichever side merges, and every label ends unique.
fn separate_same_labels(vault: &mut Vault, report: &mut MergeReport) {
    use std::collections::BTreeMap;
    let mut groups: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    let mut taken: HashSet<(String, String)> = HashSet::with_capacity(vault.entries.len());
    for (i, e) in vault.entries.iter().enumerate() {
        let key = (e.apple_id.clone(), e.label.clone());
        taken.insert(key.clone());
        groups.entry(key).or_default().push(i);
    }
    for ((apple_id, label), mut members) in groups {
        if members.len() < 2 {
            continue;
        }
        members.sort_by(|x, y| vault.entries[*x].id.cmp(&vault.entries[*y].id));
        let other = vault.entries[members[0]].id.clone();
        let mut n = 2u64;
        for &i in &members[1..] {
            let new_label = loop {
                let candidate = format!("{label} ({n})");
                n += 1;
                if taken.insert((apple_id.clone(), candidate.clone())) {
                    break candidate;
                }
            };
            let e = &mut vault.entries[i];
            e.label = new_label;
            e.conflicts.push(Conflict::SameLabel {
                label: label.clone(),
                other: other.clone(),
            });
            report.conflicts.push(e.label.clone());
        }
    }
}
