//! Review of the day's changes (issue 20's counting, issue 23's export): each test
//! states what Apple's page (or the file system) shows and what a user sees in
//! aspen, and fails while the two differ.
#![allow(clippy::unwrap_used)]

use aspen::model::{Keep, ResetKind, Vault, merge, revert};
use aspen::vault_file::duplicate;

use crate::merge_rules::{ME, asp, base, day, entry, id, saved};
use crate::overlap_repros::{audit, listed};

/// Two machines each regenerate "App 1" on day 2 (old password of day 1 left live);
/// the first then revokes its new password by hand (its app did not need it).
/// Apple lists two rows for the label: the day-1 original and the second machine's
/// day-2 password. Merged with the first machine's copy as "ours", the entry shows
/// the revoked password and keeps the other one, active, as a conflict.
fn revoked_here_regenerated_there() -> (Vault, Vault) {
    let b = base(1);
    let ours = saved(&b, 2, |v| {
        v.regenerate(&id(1), asp(77), day(2), day(2)).unwrap();
        v.revoke(&id(1), day(2), true, day(2)).unwrap();
    });
    let theirs = saved(&b, 3, |v| v.regenerate(&id(1), asp(78), day(2), day(2)).unwrap());
    (ours, theirs)
}

/// The two merge orders: what each machine holds after the sync.
fn both_orders() -> [(&'static str, Vault); 2] {
    let (ours, theirs) = revoked_here_regenerated_there();
    let (on_first, _) = merge(None, duplicate(&ours), duplicate(&theirs));
    let (on_second, _) = merge(None, theirs, ours);
    [("first machine", on_first), ("second machine", on_second)]
}

/// After the merge above, the user resets the Apple ID password on day 3 (or uses
/// Revoke All) and records it: Apple revokes every password, its page lists none.
/// The first machine's gauge still shows 1 active (the conflict's password, whose
/// recorded status "active" no reset touches); the second shows 0. Right: 0 on both.
#[test]
fn a_reset_after_a_merge_revokes_the_other_new_password_too() {
    for kind in [ResetKind::PasswordReset, ResetKind::RevokeAll] {
        for (machine, mut v) in both_orders() {
            assert_eq!(v.active_count(ME), 2, "{machine}: Apple lists 2 rows before");
            v.record(kind, ME, day(3), day(3)).unwrap();
            assert_eq!(
                v.active_count(ME),
                0,
                "{kind:?} on day 3 revoked every password; Apple lists none, yet the {machine} \
                 counts {}",
                v.active_count(ME)
            );
        }
    }
}

/// After the reset above, the user settles the conflict by taking the other
/// machine's password (`resolve --keep theirs`): the entry becomes active with a
/// password created on day 2, before the day-3 reset that revoked it. The gauge
/// shows 1; Apple lists none.
#[test]
fn resolving_after_a_reset_does_not_revive_a_password_the_reset_revoked() {
    for (machine, mut v) in both_orders() {
        v.reset(ME, day(3), day(3)).unwrap();
        v.resolve(&id(1), Keep::Theirs, day(3)).unwrap();
        let e = entry(&v, 1);
        assert_eq!(
            (v.active_count(ME), e.is_active()),
            (0, false),
            "{machine}: the reset of day 3 revoked the day-2 password; status {:?}",
            e.status
        );
    }
}

/// The user audits with exactly what Apple's page lists (the label twice: day 2 and
/// day 1). On the first machine the audit reads the row of the other machine's
/// password as "generated again at Apple, a password aspen does not hold", makes the
/// entry active without a password beside the conflict's, and the gauge goes from 2
/// (right) to 3. An audit of Apple's exact page must leave aspen's count at Apple's.
#[test]
fn an_audit_of_apples_exact_page_keeps_the_count_of_a_conflicted_entry() {
    let page = [("App 1", day(2)), ("App 1", day(1))];
    for (machine, mut v) in both_orders() {
        let diff = v.compare_with_apple(ME, &listed(&page)).unwrap();
        audit(&mut v, &page, day(3));
        assert_eq!(
            v.active_count(ME),
            2,
            "{machine}: Apple lists 2 rows; the audit found listed again {:?}",
            diff.listed_again
        );
    }
}

/// The user revoked everything on the web and audits with an empty page. On the
/// first machine the audit finds nothing to record ("matches Apple's page") and the
/// conflict's password stays counted: gauge 1, Apple 0.
#[test]
fn an_audit_of_an_empty_page_leaves_nothing_counted() {
    for (machine, mut v) in both_orders() {
        audit(&mut v, &[], day(3));
        assert_eq!(
            v.active_count(ME),
            0,
            "{machine}: Apple lists nothing after the audit; last audit says {:?}",
            v.accounts[0].audits.last().map(|a| a.outcome.clone())
        );
    }
}

/// The user revokes "App 1" by hand (day 2) by mistake; meanwhile the other machine
/// records a Revoke All of day 3. After the sync the user undoes the revoke: "App 1"
/// is active again, though the Revoke All that Apple applied on day 3 revoked it
/// (it was active then, as the undo says). The same undo after a password reset is
/// refused ("a reset recorded since revoked it"); after a Revoke All the gauge shows
/// 1 and Apple lists nothing for it.
#[test]
fn undoing_a_revoke_after_a_revoke_all_merged_in_is_refused_like_after_a_reset() {
    let b = base(2);
    let before = duplicate(&b);
    let mut after = duplicate(&b);
    after.revoke(&id(1), day(2), true, day(2)).unwrap();
    let ours = saved(&b, 2, |v| v.revoke(&id(1), day(2), true, day(2)).unwrap());
    let theirs = saved(&b, 3, |v| {
        v.record(ResetKind::RevokeAll, ME, day(3), day(3)).unwrap();
    });
    let (current, _) = merge(None, ours, theirs);
    assert_eq!(
        current.active_count(ME),
        0,
        "Apple lists nothing after the Revoke All"
    );
    match revert(before, &after, current) {
        Err(_) => {}
        Ok(v) => assert_eq!(
            v.active_count(ME),
            0,
            "the undo made \"App 1\" active again ({:?}) though the Revoke All of day 3 revoked it",
            entry(&v, 1).status
        ),
    }
}

/// Both machines regenerate "App 1" from one saved vault; the first also records the
/// old (day-1) password revoked at Apple (`revoke --old`). Apple lists the two new
/// passwords and "App 2": 3 rows. Merged with the common base (the TUI's save, git),
/// docs/sync.md says "with a common base an old password one side recorded revoked
/// (`revoke --old`) stays revoked"; yet the day-1 password is counted again: 4.
#[test]
fn revoke_old_on_one_machine_survives_a_merge_with_base_against_a_regeneration() {
    let b = base(2);
    let ours = saved(&b, 2, |v| {
        v.regenerate(&id(1), asp(77), day(3), day(3)).unwrap();
        v.revoke_old(&id(1), day(3)).unwrap();
    });
    let theirs = saved(&b, 3, |v| v.regenerate(&id(1), asp(78), day(3), day(3)).unwrap());
    for (x, y) in [(&ours, &theirs), (&theirs, &ours)] {
        let (m, _) = merge(Some(&b), duplicate(x), duplicate(y));
        assert_eq!(
            m.active_count(ME),
            3,
            "Apple lists the two new passwords and App 2; old passwords counted {:?}",
            entry(&m, 1).superseded
        );
    }
}

/// Apple ID "typo@icloud.com" had a reset recorded (day 2). The user joins it onto
/// "me@icloud.com" (`apple-id rename`), undoes that, and joins again: the reset
/// travels along each time. The next sync merges the vault with a copy of itself,
/// which must change nothing; instead the reset record vanishes (the undo recorded
/// it as withdrawn on "me@icloud.com"), and the day-1 old password it revoked is
/// counted again: the gauge goes from 1 to 2 while Apple lists 1.
#[test]
fn join_undo_join_keeps_the_reset_through_the_next_sync() {
    let typo = "typo@icloud.com";
    let mut v = base(1);
    let mut other = crate::merge_rules::new("Typo", 9);
    other.apple_id = typo.into();
    v.add(id(9), other, day(1)).unwrap();
    v.reset(typo, day(2), day(2)).unwrap();
    v.regenerate(&id(1), asp(77), day(3), day(3)).unwrap();
    let before = duplicate(&v);
    v.rename_apple_id(typo, ME, day(4)).unwrap();
    let undone = revert(before, &v, duplicate(&v)).unwrap();
    let mut again = duplicate(&undone);
    again.rename_apple_id(typo, ME, day(4)).unwrap();
    let joined = again.active_count(ME);
    assert_eq!(joined, 1, "the reset of day 2 revoked the day-1 old password");
    let (synced, _) = merge(None, duplicate(&again), duplicate(&again));
    let account = synced.accounts.iter().find(|a| a.apple_id == ME).unwrap();
    assert_eq!(
        (synced.active_count(ME), account.resets.len()),
        (joined, 1),
        "merging the vault with its own copy dropped the reset; withdrawn {:?}",
        account.withdrawn
    );
}
