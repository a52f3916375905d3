//! The review of the regeneration overlap, as tests (issue 20): each states what
//! Apple's page shows and asserts aspen's count agrees.
#![allow(clippy::unwrap_used)]

use aspen::model::{Change, Edit, EntryId, Listed, ResetKind, Vault, merge};
use aspen::vault_file::duplicate;
use jiff::civil::Date;

use crate::merge_rules::{ME, asp, base, day, entry, id, new, notes, saved};

pub(crate) fn listed(rows: &[(&str, Date)]) -> Vec<Listed> {
    rows.iter()
        .map(|(l, d)| Listed {
            label: (*l).to_owned(),
            created: Some(*d),
        })
        .collect()
}

/// Records an audit of ME exactly as `aspen audit --listed FILE --apply` does.
pub(crate) fn audit(v: &mut Vault, rows: &[(&str, Date)], today: Date) {
    let diff = v.compare_with_apple(ME, &listed(rows)).unwrap();
    let change = Change::Audit {
        apple_id: ME.to_owned(),
        revoked: diff.not_listed.iter().map(|i| (i.clone(), true)).collect(),
        listed_again: diff.listed_again,
        untracked: diff.unknown,
        old_revoked: diff.old_revoked,
        old_live: diff.old_live,
    };
    let n = change.ids_needed();
    let ids: Vec<EntryId> = (0..n).map(|k| id(200 + k as u8)).collect();
    v.apply(change, today, &mut ids.into_iter()).unwrap();
}

/// Regenerated with the old one left live, then both revoked at Apple behind aspen's
/// back: the audit revokes the entry but keeps counting its old password.
#[test]
fn p2_audit_entry_gone_at_apple_keeps_its_old_password_counted() {
    let mut v = base(2);
    v.regenerate(&id(1), asp(77), day(2), day(2)).unwrap();
    assert_eq!(v.active_count(ME), 3);
    audit(&mut v, &[("App 2", day(1))], day(4));
    assert_eq!(
        v.active_count(ME),
        1,
        "Apple lists 1 row; superseded {:?}",
        entry(&v, 1).superseded
    );
}

/// Same-day: regenerate on day 1 (old password of day 1 left live), reset recorded
/// later that day (revokes both), then an audit finds the label listed again (a new
/// password generated at Apple): the day-1 old password comes back to life.
#[test]
fn p3_listed_again_resurrects_an_old_password_a_same_day_reset_revoked() {
    let mut v = base(1);
    v.regenerate(&id(1), asp(77), day(1), day(1)).unwrap();
    assert_eq!(v.active_count(ME), 2);
    v.reset(ME, day(1), day(1)).unwrap();
    assert_eq!(v.active_count(ME), 0);
    audit(&mut v, &[("App 1", day(3))], day(3));
    assert_eq!(
        v.active_count(ME),
        1,
        "Apple lists 1 row; superseded {:?}",
        entry(&v, 1).superseded
    );
}

/// A Revoke All recorded by mistake and withdrawn: Apple saw nothing, so the old
/// password a regeneration left live is still there.
#[test]
fn p4_withdrawing_a_revoke_all_loses_the_old_password() {
    let mut v = base(2);
    v.regenerate(&id(1), asp(77), day(2), day(2)).unwrap();
    assert_eq!(v.active_count(ME), 3);
    v.record(ResetKind::RevokeAll, ME, day(3), day(3)).unwrap();
    v.withdraw(ResetKind::RevokeAll, ME, None, day(3)).unwrap();
    assert_eq!(v.active_count(ME), 3, "superseded {:?}", entry(&v, 1).superseded);
}

/// Revoke All that only revoked old passwords (the entry was already revoked):
/// recorded fine, but cannot be withdrawn.
#[test]
fn p4b_a_revoke_all_of_old_passwords_only_cannot_be_withdrawn() {
    let mut v = base(1);
    v.regenerate(&id(1), asp(77), day(2), day(2)).unwrap();
    v.revoke(&id(1), day(2), true, day(2)).unwrap();
    assert_eq!(v.active_count(ME), 1);
    v.record(ResetKind::RevokeAll, ME, day(3), day(3)).unwrap();
    assert_eq!(v.active_count(ME), 0);
    let w = v.withdraw(ResetKind::RevokeAll, ME, None, day(3));
    assert!(w.is_ok(), "{w:?}");
    assert_eq!(v.active_count(ME), 1);
}

/// Two active entries sharing one password (one row at Apple; from an older vault
/// or a merge of two machines' adds). Regenerating one: Apple lists 2 rows (the
/// shared one, still the other entry's, and the new one).
#[test]
fn p6_regenerating_one_of_two_entries_sharing_a_password() {
    let empty = base(0);
    let a = saved(&empty, 2, |v| {
        v.add(id(1), new("App 1", 1), day(2)).unwrap();
    });
    let b = saved(&empty, 3, |v| {
        v.add(id(2), new("App 2", 1), day(2)).unwrap();
    });
    let (mut m, _) = merge(None, a, b);
    assert_eq!(m.active_count(ME), 1, "one password, one row");
    m.regenerate(&id(1), asp(77), day(2), day(2)).unwrap();
    assert_eq!(m.active_count(ME), 2, "superseded {:?}", entry(&m, 1).superseded);
}

/// Moving an entry that carries a live old password into an Apple ID with 24
/// passwords: the target ends at 26, past Apple's 25.
#[test]
fn p7_move_with_old_password_passes_25() {
    const OTHER: &str = "other@icloud.com";
    let mut v = base(1);
    for n in 0..24u8 {
        let mut e = new(&format!("B{n}"), 100 + u32::from(n));
        e.apple_id = OTHER.into();
        v.add(id(10 + n), e, day(1)).unwrap();
    }
    v.regenerate(&id(1), asp(77), day(2), day(2)).unwrap();
    assert_eq!(v.active_count(OTHER), 24);
    let moved = v.edit(
        &id(1),
        Edit {
            apple_id: Some(OTHER.into()),
            ..Edit::default()
        },
        day(3),
    );
    assert!(
        moved.is_err(),
        "moved: {} active at {OTHER}",
        v.active_count(OTHER)
    );
}

/// A revoked entry still carrying a live old password moves with no slot check.
#[test]
fn p7b_move_of_revoked_entry_with_old_password_passes_25() {
    const OTHER: &str = "other@icloud.com";
    let mut v = base(1);
    for n in 0..25u8 {
        let mut e = new(&format!("B{n}"), 100 + u32::from(n));
        e.apple_id = OTHER.into();
        v.add(id(10 + n), e, day(1)).unwrap();
    }
    v.regenerate(&id(1), asp(77), day(2), day(2)).unwrap();
    v.revoke(&id(1), day(2), true, day(2)).unwrap();
    assert_eq!(v.active_count(ME), 1);
    let moved = v.edit(
        &id(1),
        Edit {
            apple_id: Some(OTHER.into()),
            ..Edit::default()
        },
        day(3),
    );
    assert!(
        moved.is_err(),
        "moved: {} active at {OTHER}",
        v.active_count(OTHER)
    );
}

/// Same day: added and regenerated on day 1 (old of day 1 live), then the new one
/// revoked by hand; another machine edits notes. The merge drops the old password.
#[test]
fn p8_merge_drops_an_old_password_of_the_same_day_as_a_revoked_one() {
    let b = base(1);
    let ours = saved(&b, 2, |v| {
        v.regenerate(&id(1), asp(77), day(1), day(2)).unwrap();
        v.revoke(&id(1), day(2), true, day(2)).unwrap();
    });
    assert_eq!(ours.active_count(ME), 1, "the day-1 original is live");
    let theirs = saved(&b, 3, |v| v.edit(&id(1), notes("x"), day(2)).unwrap());
    let (m, _) = merge(None, duplicate(&ours), theirs);
    assert_eq!(m.active_count(ME), 1, "superseded {:?}", entry(&m, 1).superseded);
}

/// Regenerate on the same day a reset was recorded, then withdraw the reset: Apple
/// never revoked anything, so the old passwords are all live.
#[test]
fn p9_withdrawing_a_reset_after_regenerating_loses_old_passwords() {
    let mut v = base(2);
    v.regenerate(&id(1), asp(77), day(2), day(2)).unwrap(); // old d1 live
    assert_eq!(v.active_count(ME), 3);
    v.reset(ME, day(3), day(3)).unwrap();
    assert_eq!(v.active_count(ME), 0);
    // The user regenerates App 1 at Apple as aspen asks (a new row).
    v.regenerate(&id(1), asp(78), day(3), day(3)).unwrap();
    assert_eq!(v.active_count(ME), 1);
    // The reset never happened: Apple still lists P1 (d1), P77 (d2), App 2, P78.
    v.withdraw_reset(ME, Some(day(3)), day(3)).unwrap();
    assert_eq!(v.active_count(ME), 4, "superseded {:?}", entry(&v, 1).superseded);
}

/// One machine records a Revoke All (which also drops the entry's old password);
/// the other, not knowing, regenerates the entry after it. Apple: the Revoke All took
/// the old and the current password; the new one is live: 1 row.
#[test]
fn p12_revoke_all_against_a_later_regeneration_elsewhere() {
    let b = saved(&base(1), 2, |v| {
        v.regenerate(&id(1), asp(77), day(2), day(2)).unwrap()
    });
    assert_eq!(b.active_count(ME), 2);
    let ours = saved(&b, 3, |v| {
        v.record(ResetKind::RevokeAll, ME, day(3), day(3)).unwrap();
    });
    let theirs = saved(&b, 4, |v| v.regenerate(&id(1), asp(78), day(4), day(4)).unwrap());
    for (x, y) in [
        (duplicate(&ours), duplicate(&theirs)),
        (duplicate(&theirs), duplicate(&ours)),
    ] {
        let (m, _) = merge(None, x, y);
        let e = entry(&m, 1);
        assert_eq!(
            m.active_count(ME),
            1,
            "status {:?}, created {}, superseded {:?}, conflicts {:?}",
            e.status,
            e.created,
            e.superseded,
            e.conflicts.iter().map(|c| c.describe()).collect::<Vec<_>>()
        );
    }
}

/// The same with a password reset (which keeps old passwords in `superseded` and
/// decides by date): for comparison.
#[test]
fn p12b_reset_against_a_later_regeneration_elsewhere() {
    let b = saved(&base(1), 2, |v| {
        v.regenerate(&id(1), asp(77), day(2), day(2)).unwrap()
    });
    let ours = saved(&b, 3, |v| {
        v.reset(ME, day(3), day(3)).unwrap();
    });
    let theirs = saved(&b, 4, |v| v.regenerate(&id(1), asp(78), day(4), day(4)).unwrap());
    for (x, y) in [
        (duplicate(&ours), duplicate(&theirs)),
        (duplicate(&theirs), duplicate(&ours)),
    ] {
        let (m, _) = merge(None, x, y);
        let e = entry(&m, 1);
        assert_eq!(
            m.active_count(ME),
            1,
            "status {:?}, superseded {:?}, conflicts {}",
            e.status,
            e.superseded,
            e.conflicts.len()
        );
    }
}

/// The TUI's undo of "old password revoked" (recorded by mistake), after another
/// machine's Revoke All was merged in: the undo brings the old password back into
/// the count though the Revoke All recorded since revoked it. Apple: 0 rows.
#[test]
fn p14_undo_of_revoke_old_after_a_revoke_all_merged_in() {
    let b = saved(&base(1), 2, |v| {
        v.regenerate(&id(1), asp(77), day(2), day(2)).unwrap()
    });
    let before = duplicate(&b);
    let mut after = duplicate(&b);
    after.revoke_old(&id(1), day(3)).unwrap();
    let ours = saved(&b, 2, |v| {
        v.revoke_old(&id(1), day(3)).unwrap();
    });
    let theirs = saved(&b, 3, |v| {
        v.record(ResetKind::RevokeAll, ME, day(3), day(3)).unwrap();
    });
    let (current, _) = merge(None, ours, theirs);
    assert_eq!(current.active_count(ME), 0);
    let undone = aspen::model::revert(before, &after, current);
    match undone {
        Ok(v) => assert_eq!(v.active_count(ME), 0, "superseded {:?}", entry(&v, 1).superseded),
        Err(e) => eprintln!("refused: {e}"),
    }
}

/// A backdated reset between an old password's day and the current one's: the old
/// one is revoked, the current one live. Regenerating then leaves the current one
/// live (count goes up by one), yet `Done::Regenerated.old_live` says it did not,
/// so neither front end says so or asks whether it was revoked.
#[test]
fn p15_regenerated_old_live_flag_wrong_after_pruning() {
    let mut v = base(1);
    v.regenerate(&id(1), asp(77), day(3), day(3)).unwrap(); // old d1 live
    v.reset(ME, day(2), day(3)).unwrap(); // backdated: took d1, not d3
    assert!(entry(&v, 1).is_active());
    assert_eq!(v.active_count(ME), 1);
    let done = v
        .apply(
            Change::Regenerate {
                id: id(1),
                password: asp(78),
                created: day(4),
            },
            day(4),
            &mut std::iter::empty(),
        )
        .unwrap();
    assert_eq!(
        v.active_count(ME),
        2,
        "the day-3 password stays live beside the new one"
    );
    assert!(
        matches!(done, aspen::model::Done::Regenerated { old_live: true, .. }),
        "{done:?}"
    );
}

/// Apple's page (24 rows) copied exactly, yet the audit is refused as "full": the
/// listed-again entry is checked for a slot before the old passwords Apple no longer
/// lists are recorded revoked.
#[test]
fn p17_audit_refused_for_slots_its_own_findings_free() {
    let mut v = base(23);
    v.regenerate(&id(1), asp(77), day(2), day(2)).unwrap();
    v.regenerate(&id(2), asp(78), day(2), day(2)).unwrap();
    v.revoke(&id(23), day(2), true, day(2)).unwrap();
    v.add(id(24), crate::merge_rules::new("App 24", 24), day(2))
        .unwrap();
    assert_eq!(v.active_count(ME), 25);
    let mut rows: Vec<(String, Date)> = vec![("App 1".into(), day(2)), ("App 2".into(), day(2))];
    rows.extend((3..=22).map(|n| (format!("App {n}"), day(1))));
    rows.push(("App 23".into(), day(3)));
    rows.push(("App 24".into(), day(1)));
    assert_eq!(rows.len(), 24);
    let rows: Vec<(&str, Date)> = rows.iter().map(|(l, d)| (l.as_str(), *d)).collect();
    let diff = v.compare_with_apple(ME, &listed(&rows)).unwrap();
    let change = Change::Audit {
        apple_id: ME.to_owned(),
        revoked: diff.not_listed.iter().map(|i| (i.clone(), true)).collect(),
        listed_again: diff.listed_again,
        untracked: diff.unknown,
        old_revoked: diff.old_revoked,
        old_live: diff.old_live,
    };
    let r = v.apply(change, day(3), &mut std::iter::empty());
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(v.active_count(ME), 24);
}

/// Two machines each regenerate the entry, neither revoking the old one: Apple lists
/// three rows (old, and each new one). Resolving keeps one new password shown; the
/// other stays counted as an old password until it is recorded revoked.
#[test]
fn p5_concurrent_regenerations_count_all_three_rows_and_resolving_keeps_them() {
    use aspen::model::Keep;
    let b = base(1);
    let ours = saved(&b, 2, |v| v.regenerate(&id(1), asp(77), day(2), day(2)).unwrap());
    let theirs = saved(&b, 3, |v| v.regenerate(&id(1), asp(78), day(2), day(2)).unwrap());
    for keep in [Keep::Ours, Keep::Theirs] {
        let (mut m, _) = merge(None, duplicate(&ours), duplicate(&theirs));
        assert_eq!(m.active_count(ME), 3, "{:?}", entry(&m, 1).superseded);
        m.resolve(&id(1), keep, day(3)).unwrap();
        assert_eq!(m.active_count(ME), 3, "{keep:?}: {:?}", entry(&m, 1).superseded);
        m.revoke_old(&id(1), day(4)).unwrap();
        assert_eq!(m.active_count(ME), 1, "{keep:?}");
    }
}

/// One machine records the old password revoked; the other, not knowing, regenerates
/// the entry again. Apple: the first password is gone, the second and third are live:
/// 2 rows, in either merge order, and after resolving either way. Without the common
/// base (a conflict copy merged by hand) nothing tells that the first was revoked
/// rather than never seen: it stays counted, and flagged, in either order (3), never
/// fewer rows than Apple's.
#[test]
fn p18_revoke_old_against_another_regeneration_elsewhere() {
    use aspen::model::Keep;
    let b = saved(&base(1), 2, |v| {
        v.regenerate(&id(1), asp(77), day(2), day(2)).unwrap()
    });
    assert_eq!(b.active_count(ME), 2);
    let ours = saved(&b, 3, |v| {
        v.revoke_old(&id(1), day(3)).unwrap();
    });
    let theirs = saved(&b, 4, |v| v.regenerate(&id(1), asp(78), day(3), day(3)).unwrap());
    for (with_base, rows) in [(true, 2), (false, 3)] {
        for (x, y) in [(&ours, &theirs), (&theirs, &ours)] {
            for keep in [Keep::Ours, Keep::Theirs] {
                let base = with_base.then_some(&b);
                let (mut m, _) = merge(base, duplicate(x), duplicate(y));
                let e = entry(&m, 1);
                let said = format!(
                    "base {with_base}: superseded {:?}, conflicts {:?}",
                    e.superseded,
                    e.conflicts.iter().map(|c| c.describe()).collect::<Vec<_>>()
                );
                assert_eq!(m.active_count(ME), rows, "merged: {said}");
                m.resolve(&id(1), keep, day(4)).unwrap();
                assert_eq!(m.active_count(ME), rows, "resolved {keep:?}: {said}");
            }
        }
    }
}
