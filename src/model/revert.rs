//! Taking one change back after others may have changed the vault since (another
//! machine's save merged in, a save followed from disk): a three-way patch. `before`
//! and `after` are the vault just before and just after the change, as it was made
//! in memory and before any merge; `current` is the vault now. Only what the change
//! itself did is put back, and only where it still stands as the change left it:
//! the work of another machine is never undone. When something the change set was
//! changed again since, nothing is put back and the caller is told why.
//!
//! Also here: what a newer version of the vault brings compared with an older one,
//! in the words of a merge's report, for a front end that takes in a save made
//! elsewhere.

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;

use super::{
    AppleAccount, Entry, EntryId, Field, MergeReport, RecoveryKey, RemovedRecoveryKey, SLOT_LIMIT, Vault,
};

/// Why a change cannot be taken back. Nothing was changed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Unrevertable {
    /// Something the change set was changed again since.
    #[error("\"{label}\" changed elsewhere since")]
    Changed { label: String },
    /// An entry the change edited was deleted since.
    #[error("\"{label}\" was deleted elsewhere since")]
    Deleted { label: String },
    /// The name the change gave an Apple ID was changed again since.
    #[error("the name of {apple_id} changed elsewhere since")]
    Named { apple_id: String },
    /// The iCloud Mail address the change recorded was changed again since.
    #[error("the iCloud Mail address of {apple_id} changed elsewhere since")]
    Mailed { apple_id: String },
    /// Putting a label back would give two entries of one Apple ID the same label.
    #[error("another entry of {apple_id} is labelled \"{label}\" now")]
    LabelTaken { label: String, apple_id: String },
    /// Putting an entry back as it was would make its Apple ID hold more active
    /// passwords than Apple allows.
    #[error("{apple_id} would have more than {SLOT_LIMIT} active passwords")]
    SlotsFull { apple_id: String },
    /// Putting an entry back as active would ignore a password reset (or a Revoke
    /// All) of its Apple ID recorded since, which revoked every password created by
    /// then.
    #[error(
        "\"{label}\" would be active again, but the {what} of {apple_id} on {on}, recorded since, revoked it"
    )]
    ResetSince {
        label: String,
        apple_id: String,
        on: Date,
        /// "password reset" or "Revoke All".
        what: &'static str,
    },
    /// A recovery key removed does not come back: no save may encrypt to it again.
    #[error("the recovery key {recipient} was removed, and a removed key never comes back; make a new one")]
    KeyRemoved { recipient: String },
    /// The result would break a rule the vault keeps (a bug).
    #[error("the result would be inconsistent: {0}")]
    Inconsistent(String),
}

/// The parts of an entry a change may set, each put back on its own.
const FIELDS: [Field; 8] = [
    Field::Label,
    Field::AppleId,
    Field::Apps,
    Field::Password,
    Field::Status,
    Field::Notes,
    Field::Uses,
    Field::Conflicts,
];

/// Whether `a` and `b` hold the same value of `f`. Stamps are no value: a save sets
/// them, and the change compared against was made before its save.
fn same(a: &Entry, b: &Entry, f: Field) -> bool {
    match f {
        Field::Label => a.label == b.label,
        Field::AppleId => a.apple_id == b.apple_id,
        Field::Apps => a.apps == b.apps,
        // One decision: a new password comes with its created date. Its order is
        // not compared: a save that merges moves the session's events after what
        // arrived (`Vault::defer_events`), which is no change of the password.
        Field::Password => a.password == b.password && a.created == b.created && a.superseded == b.superseded,
        Field::Status => a.status == b.status,
        Field::Notes => a.notes == b.notes,
        Field::Uses => a.uses == b.uses && a.team_id == b.team_id,
        Field::Conflicts => a.conflicts == b.conflicts,
        Field::Name => true,
    }
}

/// Moves `from`'s value of `f` into `to`; `from` (the copy taken before the change)
/// is dropped after, its password zeroized.
fn put_back(to: &mut Entry, from: &mut Entry, f: Field) {
    use std::mem::swap;
    match f {
        Field::Label => swap(&mut to.label, &mut from.label),
        Field::AppleId => swap(&mut to.apple_id, &mut from.apple_id),
        Field::Apps => swap(&mut to.apps, &mut from.apps),
        Field::Password => {
            swap(&mut to.password, &mut from.password);
            swap(&mut to.created, &mut from.created);
            swap(&mut to.activated_seq, &mut from.activated_seq);
            swap(&mut to.superseded, &mut from.superseded);
        }
        Field::Status => swap(&mut to.status, &mut from.status),
        Field::Notes => swap(&mut to.notes, &mut from.notes),
        Field::Uses => {
            swap(&mut to.uses, &mut from.uses);
            swap(&mut to.team_id, &mut from.team_id);
        }
        Field::Conflicts => swap(&mut to.conflicts, &mut from.conflicts),
        Field::Name => {}
    }
}

/// `current` with the change from `before` to `after` taken back, or why it cannot
/// be. Entries, Apple IDs and recovery keys the change did not touch stay as they
/// are now; so do the vault's id, counters, clock and tombstones (the save that
/// follows stamps what this puts back as a change of its own).
pub fn revert(before: Vault, after: &Vault, current: Vault) -> Result<Vault, Unrevertable> {
    let mut out = current;
    let was = Was {
        active: out
            .accounts
            .iter()
            .map(|a| (a.apple_id.clone(), out.active_count(&a.apple_id)))
            .collect(),
        active_ids: out
            .entries
            .iter()
            .filter(|e| e.is_active())
            .map(|e| e.id.clone())
            .collect(),
        resets: before
            .accounts
            .iter()
            .flat_map(|a| {
                let records = a.resets.iter().chain(&a.revoke_alls);
                records.map(|r| (a.apple_id.clone(), r.date, r.seq))
            })
            .collect(),
    };
    let Vault {
        entries: before_entries,
        accounts: before_accounts,
        recovery: before_keys,
        ..
    } = before;
    let after_entries: HashMap<&EntryId, &Entry> = after.entries.iter().map(|e| (&e.id, e)).collect();
    let known: HashSet<EntryId> = before_entries.iter().map(|e| e.id.clone()).collect();
    for (i, b) in before_entries.into_iter().enumerate() {
        match after_entries.get(&b.id) {
            Some(a) => revert_entry(&mut out, b, a)?,
            None => restore_entry(&mut out, b, i),
        }
    }
    for a in after.entries.iter().filter(|a| !known.contains(&a.id)) {
        remove_added(&mut out, a)?;
    }
    revert_accounts(&mut out, before_accounts, &after.accounts)?;
    revert_recovery(&mut out, &before_keys, after)?;
    check(&mut out, &was)?;
    Ok(out)
}

/// Recovery keys: one the change added is removed, as `recovery-key remove` would
/// (on the day it was added: the undo is of this session), so that no save
/// encrypts to it again and no merge of a copy saved meanwhile brings it back. One
/// the change removed cannot come back.
fn revert_recovery(out: &mut Vault, before: &[RecoveryKey], after: &Vault) -> Result<(), Unrevertable> {
    if let Some(gone) = before.iter().find(|b| !after.recovery.contains(b)) {
        return Err(Unrevertable::KeyRemoved {
            recipient: gone.recipient.clone(),
        });
    }
    for added in after.recovery.iter().filter(|a| !before.contains(a)) {
        if let Some(i) = out.recovery.iter().position(|k| k.recipient == added.recipient) {
            let key = out.recovery.remove(i);
            out.recovery_removed.push(RemovedRecoveryKey {
                recipient: key.recipient,
                removed: key.added,
            });
        }
    }
    Ok(())
}

/// An entry the change kept: each field it set goes back where it still holds what
/// the change set; a field changed again since stops the undo.
fn revert_entry(out: &mut Vault, mut b: Entry, a: &Entry) -> Result<(), Unrevertable> {
    let touched: Vec<Field> = FIELDS.into_iter().filter(|f| !same(&b, a, *f)).collect();
    if touched.is_empty() && b.history == a.history {
        return Ok(());
    }
    let Some(c) = out.entries.iter_mut().find(|e| e.id == b.id) else {
        return Err(Unrevertable::Deleted {
            label: a.label.clone(),
        });
    };
    for f in touched {
        if same(c, a, f) {
            put_back(c, &mut b, f);
        } else if !same(c, &b, f) {
            return Err(Unrevertable::Changed {
                label: c.label.clone(),
            });
        }
    }
    if patch_list(&mut c.history, b.history, &a.history) {
        c.history.sort_by_key(|e| e.date);
    }
    Ok(())
}

/// An entry the change deleted comes back where it was, unless it is there already
/// (a merge kept it against the deletion).
fn restore_entry(out: &mut Vault, b: Entry, at: usize) {
    if out.entries.iter().any(|e| e.id == b.id) {
        return;
    }
    let at = at.min(out.entries.len());
    out.entries.insert(at, b);
}

/// An entry the change added goes, unless it changed since: then the undo stops.
fn remove_added(out: &mut Vault, a: &Entry) -> Result<(), Unrevertable> {
    let Some(i) = out.entries.iter().position(|e| e.id == a.id) else {
        return Ok(());
    };
    let c = &out.entries[i];
    if !FIELDS.into_iter().all(|f| same(c, a, f)) {
        return Err(Unrevertable::Changed {
            label: c.label.clone(),
        });
    }
    // Dropped here: its password is zeroized.
    out.entries.remove(i);
    Ok(())
}

/// Apple IDs: a name goes back where it still is the change's; resets, withdrawals
/// and audits the change recorded go, those it removed come back. An Apple ID the
/// change removed comes back; one it added goes when no entry names it any more and
/// nothing was recorded on it since.
fn revert_accounts(
    out: &mut Vault,
    before: Vec<AppleAccount>,
    after: &[AppleAccount],
) -> Result<(), Unrevertable> {
    let known: HashSet<String> = before.iter().map(|b| b.apple_id.clone()).collect();
    for (i, mut b) in before.into_iter().enumerate() {
        let Some(a) = after.iter().find(|a| a.apple_id == b.apple_id) else {
            if !out.accounts.iter().any(|c| c.apple_id == b.apple_id) {
                let at = i.min(out.accounts.len());
                out.accounts.insert(at, b);
            }
            continue;
        };
        // Gone since (forgotten elsewhere): nothing of the change is left on it.
        let Some(c) = out.accounts.iter_mut().find(|c| c.apple_id == b.apple_id) else {
            continue;
        };
        if b.name != a.name {
            if c.name == a.name {
                c.name = std::mem::take(&mut b.name);
            } else if c.name != b.name {
                return Err(Unrevertable::Named {
                    apple_id: c.apple_id.clone(),
                });
            }
        }
        if b.mail != a.mail {
            if c.mail == a.mail {
                c.mail = std::mem::take(&mut b.mail);
            } else if c.mail != b.mail {
                return Err(Unrevertable::Mailed {
                    apple_id: c.apple_id.clone(),
                });
            }
        }
        // A reset the change recorded is withdrawn, not just dropped: a copy that
        // already has it would otherwise bring it back at the next merge.
        let recorded: Vec<crate::model::Reset> = a
            .resets
            .iter()
            .filter(|r| !b.resets.contains(r))
            .chain(a.revoke_alls.iter().filter(|r| !b.revoke_alls.contains(r)))
            .cloned()
            .collect();
        patch_list(&mut c.resets, b.resets, &a.resets);
        patch_list(&mut c.revoke_alls, b.revoke_alls, &a.revoke_alls);
        patch_list(&mut c.withdrawn, b.withdrawn, &a.withdrawn);
        for r in recorded {
            let standing = c.resets.contains(&r) || c.revoke_alls.contains(&r);
            if !standing && !c.withdrawn.contains(&r) {
                c.withdrawn.push(r);
            }
        }
        patch_list(&mut c.audits, b.audits, &a.audits);
    }
    for a in after.iter().filter(|a| !known.contains(&a.apple_id)) {
        let unused = !out.entries.iter().any(|e| e.apple_id == a.apple_id);
        if let Some(i) = out.accounts.iter().position(|c| c.apple_id == a.apple_id)
            && unused
            && same_account(&out.accounts[i], a)
        {
            out.accounts.remove(i);
        }
    }
    Ok(())
}

fn same_account(a: &AppleAccount, b: &AppleAccount) -> bool {
    a.name == b.name
        && a.mail == b.mail
        && a.resets == b.resets
        && a.revoke_alls == b.revoke_alls
        && a.withdrawn == b.withdrawn
        && a.audits == b.audits
}

/// A list the change added to or took from (history, resets, audits): what it added
/// goes (once each), what it took comes back unless there already. True when
/// something came back, so the caller can put the list in order.
fn patch_list<T: PartialEq>(current: &mut Vec<T>, before: Vec<T>, after: &[T]) -> bool {
    let mut unmatched = vec![true; after.len()];
    let mut taken = Vec::new();
    for x in before {
        match (0..after.len()).find(|&i| unmatched[i] && after[i] == x) {
            Some(i) => unmatched[i] = false,
            None => taken.push(x),
        }
    }
    for (x, _) in after.iter().zip(&unmatched).filter(|(_, u)| **u) {
        if let Some(i) = current.iter().position(|c| c == x) {
            current.remove(i);
        }
    }
    let mut restored = false;
    for x in taken {
        if !current.contains(&x) {
            current.push(x);
            restored = true;
        }
    }
    restored
}

/// What the vault held before the undo, for [`check`].
struct Was {
    /// Active passwords per Apple ID now.
    active: HashMap<String, usize>,
    /// The entries active now.
    active_ids: HashSet<EntryId>,
    /// The resets recorded before the change, by Apple ID and record (a second reset
    /// the same day, recorded elsewhere since, is one since).
    resets: HashSet<(String, Date, u64)>,
}

/// The rules a change keeps, which a patch of it against a vault changed since may
/// not: one label per Apple ID, Apple's limit, no password active that a reset
/// recorded since revoked, an Apple ID listed for each entry.
fn check(out: &mut Vault, was: &Was) -> Result<(), Unrevertable> {
    let mut labels = HashSet::with_capacity(out.entries.len());
    for e in &out.entries {
        if !labels.insert((&e.apple_id, &e.label)) {
            return Err(Unrevertable::LabelTaken {
                label: e.label.clone(),
                apple_id: e.apple_id.clone(),
            });
        }
    }
    let listed: HashSet<String> = out.accounts.iter().map(|a| a.apple_id.clone()).collect();
    let mut missing: Vec<String> = out
        .entries
        .iter()
        .filter(|e| !listed.contains(&e.apple_id))
        .map(|e| e.apple_id.clone())
        .collect();
    missing.sort();
    missing.dedup();
    out.accounts.extend(missing.into_iter().map(AppleAccount::new));
    for a in &out.accounts {
        let active = out.active_count(&a.apple_id);
        let before = was.active.get(&a.apple_id).copied().unwrap_or(0);
        if active > SLOT_LIMIT && active > before {
            return Err(Unrevertable::SlotsFull {
                apple_id: a.apple_id.clone(),
            });
        }
    }
    reset_since(out, was)?;
    out.check_invariants().map_err(Unrevertable::Inconsistent)
}

/// An entry the undo makes active again that a reset recorded since (elsewhere)
/// would have revoked, had it been active then: Apple revoked its password.
fn reset_since(out: &Vault, was: &Was) -> Result<(), Unrevertable> {
    let woken = out
        .entries
        .iter()
        .filter(|e| e.is_active() && !was.active_ids.contains(&e.id));
    for e in woken {
        let Some(account) = out.account(&e.apple_id) else {
            continue;
        };
        // A Revoke All revokes as a reset does.
        let resets = account.resets.iter().map(|r| (r, "password reset"));
        let alls = account.revoke_alls.iter().map(|r| (r, "Revoke All"));
        let since = resets
            .chain(alls)
            .filter(|(r, _)| {
                r.date >= e.created && !was.resets.contains(&(e.apple_id.clone(), r.date, r.seq))
            })
            .min_by_key(|(r, _)| r.date);
        if let Some((r, what)) = since {
            return Err(Unrevertable::ResetSince {
                label: e.label.clone(),
                apple_id: e.apple_id.clone(),
                on: r.date,
                what,
            });
        }
    }
    Ok(())
}

/// What `now` brings compared with `base`, an earlier version of it: entries added,
/// changed and deleted, and entries with a conflict `base` did not have, by label.
pub fn news(base: &Vault, now: &Vault) -> MergeReport {
    let was: HashMap<&EntryId, &Entry> = base.entries.iter().map(|e| (&e.id, e)).collect();
    let mut report = MergeReport::default();
    for e in &now.entries {
        match was.get(&e.id) {
            None => report.added.push(e.label.clone()),
            Some(b) => {
                let differs = FIELDS
                    .into_iter()
                    .any(|f| f != Field::Conflicts && !same(e, b, f));
                if differs {
                    report.changed.push(e.label.clone());
                }
            }
        }
        let new_conflict = e
            .conflicts
            .iter()
            .any(|c| was.get(&e.id).is_none_or(|b| !b.conflicts.contains(c)));
        if new_conflict {
            report.conflicts.push(e.label.clone());
        }
    }
    let kept: HashSet<&EntryId> = now.entries.iter().map(|e| &e.id).collect();
    report.deleted = base
        .entries
        .iter()
        .filter(|e| !kept.contains(&e.id))
        .map(|e| e.label.clone())
        .collect();
    report
}
