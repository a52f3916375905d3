//! The entry-level merge of two copies of a vault (issue 14): the rules one by one,
//! then properties over random histories of two machines' changes: merging is
//! idempotent, symmetric up to which side a conflict shows first, keeps the
//! invariants, and never drops a password the other side did not knowingly delete.
#![allow(clippy::unwrap_used)]

use aspen::model::{
    Conflict, Edit, EntryId, Field, Keep, MachineId, NewEntry, Password, Status, Vault, VaultId, merge, stamp,
};
use aspen::secret::SecretString;
use aspen::vault_file::duplicate;
use jiff::civil::{Date, date};
use proptest::prelude::*;

pub(crate) const ME: &str = "me@icloud.com";

pub(crate) fn day(n: i8) -> Date {
    date(2026, 11, n)
}

pub(crate) fn machine(n: u8) -> MachineId {
    MachineId::from_random([n; 8])
}

pub(crate) fn id(n: u8) -> EntryId {
    EntryId::from_random([n; 16])
}

/// An Apple-shaped password numbered `n`.
pub(crate) fn asp(n: u32) -> Password {
    let letters: String = (0..16)
        .map(|i| char::from(b'a' + ((n / 26u32.pow(i % 4) + i) % 26) as u8))
        .collect();
    let text = format!(
        "{}-{}-{}-{}",
        &letters[..4],
        &letters[4..8],
        &letters[8..12],
        &letters[12..]
    );
    Password::parse(SecretString::from(text.as_str()), false).unwrap()
}

pub(crate) fn new(label: &str, n: u32) -> NewEntry {
    NewEntry {
        label: label.into(),
        apple_id: ME.into(),
        apps: vec![format!("{label} app")],
        password: Some(asp(n)),
        created: day(1),
        notes: String::new(),
        uses: Vec::new(),
        team_id: String::new(),
    }
}

/// A vault with entries 1..=count, saved once by machine 1.
pub(crate) fn base(count: u8) -> Vault {
    let empty = Vault {
        id: VaultId::from_random([7; 16]),
        ..Vault::default()
    };
    let mut v = duplicate(&empty);
    for n in 1..=count {
        v.add(id(n), new(&format!("App {n}"), u32::from(n)), day(1))
            .unwrap();
    }
    stamp(&empty, &mut v, &machine(1), day(1));
    v
}

/// `from` changed by `change` and saved by machine `m`.
pub(crate) fn saved(from: &Vault, m: u8, change: impl FnOnce(&mut Vault)) -> Vault {
    let mut v = duplicate(from);
    change(&mut v);
    stamp(from, &mut v, &machine(m), day(2));
    v
}

pub(crate) fn notes(text: &str) -> Edit {
    Edit {
        notes: Some(text.into()),
        ..Edit::default()
    }
}

pub(crate) fn entry(v: &Vault, n: u8) -> &aspen::model::Entry {
    v.entry(&id(n)).unwrap()
}

#[test]
fn changes_on_different_entries_both_arrive_without_a_base() {
    let b = base(3);
    let ours = saved(&b, 2, |v| v.edit(&id(1), notes("ours"), day(2)).unwrap());
    let theirs = saved(&b, 3, |v| v.edit(&id(2), notes("theirs"), day(2)).unwrap());
    let (m, report) = merge(None, ours, theirs);
    assert_eq!(entry(&m, 1).notes, "ours");
    assert_eq!(entry(&m, 2).notes, "theirs");
    assert_eq!(report.changed, vec!["App 2".to_owned()]);
    assert!(report.conflicts.is_empty());
    assert!(m.conflicted().next().is_none());
}

#[test]
fn a_change_one_side_saw_is_not_a_conflict() {
    let b = base(1);
    let first = saved(&b, 2, |v| v.edit(&id(1), notes("one"), day(2)).unwrap());
    // The other machine received that save, then changed the notes again.
    let later = saved(&first, 3, |v| v.edit(&id(1), notes("two"), day(2)).unwrap());
    let (m, report) = merge(None, first, later);
    assert_eq!(entry(&m, 1).notes, "two");
    assert!(report.conflicts.is_empty(), "{report:?}");
}

#[test]
fn the_same_field_changed_differently_is_a_conflict_that_keeps_both() {
    let b = base(1);
    let ours = saved(&b, 2, |v| v.edit(&id(1), notes("ours"), day(2)).unwrap());
    let theirs = saved(&b, 3, |v| v.edit(&id(1), notes("theirs"), day(2)).unwrap());
    let (mut m, report) = merge(None, ours, theirs);
    assert_eq!(report.conflicts, vec!["App 1".to_owned()]);
    assert_eq!(entry(&m, 1).notes, "ours");
    assert_eq!(entry(&m, 1).conflicts, vec![Conflict::Notes("theirs".into())]);
    // The user keeps the other machine's value.
    m.resolve(&id(1), Keep::Theirs, day(3)).unwrap();
    assert_eq!(entry(&m, 1).notes, "theirs");
    assert!(entry(&m, 1).conflicts.is_empty());
}

#[test]
fn a_resolved_conflict_stays_resolved_when_merged_with_a_copy_that_still_has_it() {
    let b = base(1);
    let ours = saved(&b, 2, |v| v.edit(&id(1), notes("ours"), day(2)).unwrap());
    let theirs = saved(&b, 3, |v| v.edit(&id(1), notes("theirs"), day(2)).unwrap());
    let (merged, _) = merge(None, ours, duplicate(&theirs));
    let merged = saved(&merged, 2, |_| {});
    // A third copy took the conflict over unresolved; this one resolves it.
    let unresolved = duplicate(&merged);
    let resolved = saved(&merged, 2, |v| v.resolve(&id(1), Keep::Ours, day(3)).unwrap());
    let (m, report) = merge(None, resolved, unresolved);
    assert!(entry(&m, 1).conflicts.is_empty(), "{:?}", entry(&m, 1).conflicts);
    assert!(report.conflicts.is_empty());
}

#[test]
fn a_deletion_taken_back_is_not_deleted_again_by_a_copy_that_saw_the_deletion() {
    let b = base(1);
    let deleted = saved(&b, 2, |v| {
        v.remove(&id(1)).unwrap();
    });
    // The TUI's undo saves the vault as it was before, over the deletion.
    let undone = saved(&deleted, 2, |v| *v = duplicate(&b));
    assert!(undone.tombstones.is_empty());
    let (m, _) = merge(None, undone, deleted);
    assert!(
        m.entry(&id(1)).is_some(),
        "the entry came back on purpose and stays"
    );
}

#[test]
fn two_regenerations_keep_both_passwords() {
    let b = base(1);
    let ours = saved(&b, 2, |v| v.regenerate(&id(1), asp(100), day(2), day(2)).unwrap());
    let theirs = saved(&b, 3, |v| v.regenerate(&id(1), asp(200), day(2), day(2)).unwrap());
    let (m, _) = merge(None, ours, theirs);
    let e = entry(&m, 1);
    assert_eq!(e.password.as_ref(), Some(&asp(100)));
    assert!(
        matches!(&e.conflicts[..], [Conflict::Password { password: Some(p), .. }] if *p == asp(200)),
        "{:?}",
        e.conflicts
    );
    let attention = aspen::model::analyse(&m, day(3), Default::default());
    assert!(attention[0].contains(aspen::model::Attention::Conflict));
}

#[test]
fn a_deletion_is_remembered_and_wins_over_an_unchanged_copy() {
    let b = base(2);
    let ours = saved(&b, 2, |v| {
        v.remove(&id(1)).unwrap();
    });
    assert_eq!(ours.tombstones.len(), 1);
    let (m, report) = merge(None, ours, duplicate(&b));
    assert!(m.entry(&id(1)).is_none(), "a merge never brings it back");
    assert!(report.added.is_empty());
    // And from the other side's point of view.
    let ours = saved(&b, 2, |v| {
        v.remove(&id(1)).unwrap();
    });
    let (m, report) = merge(None, duplicate(&b), ours);
    assert!(m.entry(&id(1)).is_none());
    assert_eq!(report.deleted, vec!["App 1".to_owned()]);
}

#[test]
fn an_edit_against_a_deletion_keeps_the_entry_and_says_so() {
    let b = base(1);
    let deleted = saved(&b, 2, |v| {
        v.remove(&id(1)).unwrap();
    });
    let edited = saved(&b, 3, |v| v.edit(&id(1), notes("still used"), day(2)).unwrap());
    let (m, report) = merge(None, deleted, edited);
    let e = entry(&m, 1);
    assert_eq!(e.notes, "still used");
    assert!(matches!(e.conflicts[..], [Conflict::DeletedElsewhere { .. }]));
    assert_eq!(report.conflicts, vec!["App 1".to_owned()]);
    assert!(
        m.tombstones.is_empty(),
        "the entry lives, so it is not listed as deleted"
    );
}

#[test]
fn an_older_copy_without_an_entry_does_not_delete_it() {
    let b = base(1);
    let newer = saved(&b, 2, |v| {
        v.add(id(9), new("New", 9), day(2)).unwrap();
    });
    // A sync tool restores the older file: it lacks the entry, without a tombstone.
    let (m, _) = merge(Some(&newer), duplicate(&newer), duplicate(&b));
    assert!(m.entry(&id(9)).is_some());
}

#[test]
fn the_same_label_added_on_two_machines_keeps_both_entries() {
    let b = base(0);
    let ours = saved(&b, 2, |v| {
        v.add(id(10), new("Mail", 10), day(2)).unwrap();
    });
    let theirs = saved(&b, 3, |v| {
        v.add(id(20), new("Mail", 20), day(2)).unwrap();
    });
    let (m, report) = merge(None, ours, theirs);
    m.check_invariants().unwrap();
    assert_eq!(entry(&m, 10).label, "Mail");
    assert_eq!(entry(&m, 20).label, "Mail (2)");
    assert!(matches!(&entry(&m, 20).conflicts[..], [Conflict::SameLabel { label, .. }] if label == "Mail"));
    assert_eq!(report.conflicts, vec!["Mail (2)".to_owned()]);
    // Taking the label back is refused while the other entry holds it.
    let mut m = m;
    assert!(m.resolve(&id(20), Keep::Theirs, day(3)).is_err());
    m.resolve(&id(20), Keep::Ours, day(3)).unwrap();
    assert_eq!(entry(&m, 20).label, "Mail (2)");
}

#[test]
fn a_withdrawn_reset_stays_withdrawn() {
    let b = base(1);
    let with_reset = saved(&b, 2, |v| {
        v.reset(ME, day(2), day(2)).unwrap();
    });
    let withdrawn = saved(&with_reset, 2, |v| {
        v.withdraw_reset(ME, None, day(2)).unwrap();
    });
    let (m, _) = merge(None, withdrawn, with_reset);
    assert!(m.account(ME).unwrap().resets.is_empty());
    assert!(entry(&m, 1).is_active());
}

// --- Properties over random histories -------------------------------------------

#[derive(Clone, Debug)]
enum Op {
    Notes(u8, u8),
    Label(u8, u8),
    Regenerate(u8, u32),
    Revoke(u8),
    Delete(u8),
    Add(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (1..6u8, 0..3u8).prop_map(|(e, t)| Op::Notes(e, t)),
        (1..6u8, 0..3u8).prop_map(|(e, t)| Op::Label(e, t)),
        (1..6u8, 0..1000u32).prop_map(|(e, p)| Op::Regenerate(e, p)),
        (1..6u8).prop_map(Op::Revoke),
        (1..6u8).prop_map(Op::Delete),
        (0..3u8).prop_map(Op::Add),
    ]
}

/// Applies what it can; a refused operation (a label taken, an entry gone) is skipped,
/// as a user would be refused.
fn apply(v: &mut Vault, ops: &[Op], side: u8) {
    for (k, op) in ops.iter().enumerate() {
        let _ = match op {
            Op::Notes(e, t) => v.edit(&id(*e), notes(&format!("n{t}")), day(2)),
            Op::Label(e, t) => v.edit(
                &id(*e),
                Edit {
                    label: Some(format!("L{t}")),
                    ..Edit::default()
                },
                day(2),
            ),
            Op::Regenerate(e, p) => v.regenerate(&id(*e), asp(1000 * u32::from(side) + p), day(2), day(2)),
            Op::Revoke(e) => v.revoke(&id(*e), day(2), true, day(2)),
            Op::Delete(e) => v.remove(&id(*e)).map(|_| ()),
            Op::Add(l) => v
                .add(
                    // A fresh id for each add, as a real one is random.
                    id(100 + side * 20 + k as u8),
                    new(&format!("Added {l}"), 5000 + u32::from(side) * 100 + k as u32),
                    day(2),
                )
                .map(|_| ()),
        };
    }
}

/// The two sides, each saved by its own machine, from one base.
fn sides(ours: &[Op], theirs: &[Op]) -> (Vault, Vault, Vault) {
    let b = base(5);
    let a = saved(&b, 2, |v| apply(v, ours, 2));
    let t = saved(&b, 3, |v| apply(v, theirs, 3));
    (b, a, t)
}

/// What a merge decided, independent of which side's value a conflict shows first.
fn outcome(v: &Vault) -> Vec<String> {
    let mut out: Vec<String> = v
        .entries
        .iter()
        .map(|e| {
            // A label renamed to keep two entries apart is the label it was renamed
            // from: which entry gets renamed depends on which value shows first.
            let shown = e
                .conflicts
                .iter()
                .find_map(|c| match c {
                    Conflict::SameLabel { label, .. } => Some(label.clone()),
                    _ => None,
                })
                .unwrap_or_else(|| e.label.clone());
            let mut labels = vec![shown];
            let mut notes = vec![e.notes.clone()];
            let mut passwords = vec![format!("{:?}", e.password.as_ref().map(Password::expose))];
            let mut statuses = vec![format!("{:?}", e.status)];
            for c in &e.conflicts {
                match c {
                    Conflict::Label(l) => labels.push(l.clone()),
                    Conflict::Notes(n) => notes.push(n.clone()),
                    Conflict::Password { password, .. } => {
                        passwords.push(format!("{:?}", password.as_ref().map(Password::expose)))
                    }
                    Conflict::Status(s) => statuses.push(format!("{s:?}")),
                    Conflict::SameLabel { .. } => {}
                    other => statuses.push(format!("{other:?}")),
                }
            }
            for list in [&mut labels, &mut notes, &mut passwords, &mut statuses] {
                list.sort();
            }
            let mut history: Vec<String> = e.history.iter().map(|h| format!("{h:?}")).collect();
            history.sort();
            format!(
                "{:?} {labels:?} {notes:?} {passwords:?} {statuses:?} {history:?}",
                e.id
            )
        })
        .collect();
    out.sort();
    out
}

fn passwords(v: &Vault) -> Vec<String> {
    let mut out = Vec::new();
    for e in &v.entries {
        out.extend(e.password.as_ref().map(|p| p.expose().to_owned()));
        for c in &e.conflicts {
            if let Conflict::Password {
                password: Some(p), ..
            } = c
            {
                out.push(p.expose().to_owned());
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn merging_a_vault_with_itself_changes_nothing(ops in prop::collection::vec(op(), 0..8)) {
        let (_, a, _) = sides(&ops, &[]);
        let (m, report) = merge(None, duplicate(&a), duplicate(&a));
        prop_assert_eq!(m, a);
        prop_assert!(report.is_empty());
    }

    #[test]
    fn merging_is_symmetric_and_keeps_the_invariants(
        ours in prop::collection::vec(op(), 0..8),
        theirs in prop::collection::vec(op(), 0..8),
        with_base in any::<bool>(),
    ) {
        let (b, a, t) = sides(&ours, &theirs);
        let base = with_base.then_some(&b);
        let (ab, _) = merge(base, duplicate(&a), duplicate(&t));
        let (ba, _) = merge(base, duplicate(&t), duplicate(&a));
        ab.check_invariants().map_err(TestCaseError::fail)?;
        ba.check_invariants().map_err(TestCaseError::fail)?;
        prop_assert_eq!(outcome(&ab), outcome(&ba));
        prop_assert_eq!(&ab.clock, &ba.clock);
    }

    /// A password one side stored that the other never saw is in the result, unless
    /// the other side deleted the entry after seeing all of it. (One the other side
    /// saw and replaced, by regenerating, is gone as it is from a single vault.)
    #[test]
    fn no_password_the_other_side_never_saw_is_dropped(
        ours in prop::collection::vec(op(), 0..8),
        theirs in prop::collection::vec(op(), 0..8),
        with_base in any::<bool>(),
    ) {
        let (b, a, t) = sides(&ours, &theirs);
        let (m, _) = merge(with_base.then_some(&b), duplicate(&a), duplicate(&t));
        let kept = passwords(&m);
        for (side, other) in [(&a, &t), (&t, &a)] {
            for e in &side.entries {
                let Some(p) = &e.password else { continue };
                let seen = other.entry(&e.id).is_some_and(|o| {
                    e.stamps.dot(Field::Password).is_none_or(|d| o.stamps.clock.covers(d))
                });
                let deleted_knowingly = other
                    .tombstones
                    .iter()
                    .any(|x| x.id == e.id && x.clock.dominates(&e.stamps.clock));
                if !seen && !deleted_knowingly {
                    prop_assert!(kept.contains(&p.expose().to_owned()), "lost the password of {}", e.label);
                }
            }
        }
    }

    #[test]
    fn a_side_that_changed_nothing_changes_nothing(ours in prop::collection::vec(op(), 0..8)) {
        let (b, a, _) = sides(&ours, &[]);
        let (m, report) = merge(None, duplicate(&a), duplicate(&b));
        prop_assert_eq!(outcome(&m), outcome(&a));
        prop_assert!(report.conflicts.is_empty());
        let (m, _) = merge(None, duplicate(&b), duplicate(&a));
        prop_assert_eq!(outcome(&m), outcome(&a));
    }
}

#[test]
fn statuses_merge_like_any_field() {
    let b = base(1);
    let ours = saved(&b, 2, |v| v.revoke(&id(1), day(2), true, day(2)).unwrap());
    let (m, _) = merge(None, duplicate(&b), ours);
    assert!(matches!(entry(&m, 1).status, Status::Revoked { .. }));
}
