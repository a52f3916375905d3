//! Merges that never lose a live password and never write a vault aspen refuses
//! (issue 18): the repros found by using aspen and by a review of the merge, one
//! test each, at the level of the model's merge.
#![allow(clippy::unwrap_used)]

use aspen::model::{Conflict, Edit, Status, Vault, merge};
use aspen::vault_file::duplicate;

use crate::common::unstamped;
use crate::merge_rules::{ME, asp, base, day, entry, id, new, notes, saved};

const OTHER: &str = "other@icloud.com";

fn relabel(label: &str) -> Edit {
    Edit {
        label: Some(label.into()),
        ..Edit::default()
    }
}

fn move_to(apple_id: &str) -> Edit {
    Edit {
        apple_id: Some(apple_id.into()),
        ..Edit::default()
    }
}

/// Three entries whose label and Apple ID come from different sides, so that all
/// three end up as "N" under one Apple ID although each side kept labels unique.
fn converging() -> (Vault, Vault) {
    let b = saved(&base(0), 1, |v| {
        v.add(id(60), new("A", 60), day(1)).unwrap();
        let mut n = new("N", 30);
        n.apple_id = OTHER.into();
        v.add(id(30), n, day(1)).unwrap();
        let mut z = new("Z", 50);
        z.apple_id = "third@icloud.com".into();
        v.add(id(50), z, day(1)).unwrap();
    });
    let ours = saved(&b, 2, |v| {
        v.edit(&id(30), move_to(ME), day(2)).unwrap();
        v.edit(&id(50), relabel("N"), day(2)).unwrap();
    });
    let theirs = saved(&b, 3, |v| {
        v.edit(&id(60), relabel("N"), day(2)).unwrap();
        v.edit(&id(50), move_to(ME), day(2)).unwrap();
    });
    (ours, theirs)
}

fn labels_under(v: &Vault, apple_id: &str) -> Vec<String> {
    let mut out: Vec<String> = v
        .entries
        .iter()
        .filter(|e| e.apple_id == apple_id)
        .map(|e| e.label.clone())
        .collect();
    out.sort();
    out
}

#[test]
fn entries_converging_on_one_label_are_renamed_until_every_label_is_unique() {
    let (ours, theirs) = converging();
    let (ab, _) = merge(None, duplicate(&ours), duplicate(&theirs));
    let (ba, _) = merge(None, theirs, ours);
    for m in [&ab, &ba] {
        m.check_invariants().unwrap();
        assert_eq!(labels_under(m, ME), ["N", "N (2)", "N (3)"]);
    }
    // The same entry gets the same label whichever side merges.
    for n in [60, 30, 50] {
        assert_eq!(entry(&ab, n).label, entry(&ba, n).label);
    }
}

#[test]
fn a_revoke_against_a_regeneration_keeps_the_new_password_active() {
    let b = base(1);
    let revoked = saved(&b, 2, |v| v.revoke(&id(1), day(2), true, day(2)).unwrap());
    let regenerated = saved(&b, 3, |v| v.regenerate(&id(1), asp(77), day(2), day(2)).unwrap());
    for (ours, theirs) in [
        (duplicate(&revoked), duplicate(&regenerated)),
        (duplicate(&regenerated), duplicate(&revoked)),
    ] {
        let (m, _) = merge(None, ours, theirs);
        let e = entry(&m, 1);
        assert_eq!(e.password.as_ref(), Some(&asp(77)));
        // Revoking by hand revoked the old password; the new one is live at Apple.
        assert_eq!(e.status, Status::Active, "{:?}", e.conflicts);
        assert_eq!(m.active_count(ME), 1);
    }
}

#[test]
fn a_retire_against_a_regeneration_keeps_the_new_password_active() {
    let b = saved(&base(1), 1, |v| v.revoke(&id(1), day(1), true, day(1)).unwrap());
    let retired = saved(&b, 2, |v| v.retire(&id(1), day(2)).unwrap());
    let regenerated = saved(&b, 3, |v| v.regenerate(&id(1), asp(78), day(2), day(2)).unwrap());
    for (ours, theirs) in [
        (duplicate(&retired), duplicate(&regenerated)),
        (duplicate(&regenerated), duplicate(&retired)),
    ] {
        let (m, _) = merge(None, ours, theirs);
        let e = entry(&m, 1);
        assert_eq!(e.password.as_ref(), Some(&asp(78)));
        assert_eq!(e.status, Status::Active, "{:?}", e.conflicts);
    }
}

#[test]
fn a_revoke_all_on_or_after_the_new_password_is_a_conflict_the_user_sees() {
    let b = base(1);
    // Revoke All on the day the other machine regenerated: which came first is not
    // known, so neither "revoked" nor "active" may be decided silently.
    let revoked = saved(&b, 2, |v| {
        v.revoke_all(ME, day(2), day(2)).unwrap();
    });
    let regenerated = saved(&b, 3, |v| v.regenerate(&id(1), asp(79), day(2), day(2)).unwrap());
    for (ours, theirs) in [
        (duplicate(&revoked), duplicate(&regenerated)),
        (duplicate(&regenerated), duplicate(&revoked)),
    ] {
        let (m, report) = merge(None, ours, theirs);
        let e = entry(&m, 1);
        assert_eq!(e.password.as_ref(), Some(&asp(79)));
        assert!(
            e.conflicts.iter().any(|c| matches!(c, Conflict::Status(_))),
            "{:?}",
            e.conflicts
        );
        assert_eq!(report.conflicts, vec!["App 1".to_owned()]);
    }
}

#[test]
fn a_copy_older_than_the_base_does_not_undo_a_change_through_the_base() {
    let old = base(1);
    let read = saved(&old, 2, |v| v.revoke(&id(1), day(2), true, day(2)).unwrap());
    // The TUI read `read` and changed nothing of entry 1; the file is then replaced
    // by a copy older than what it read (a restored backup, a stale sync copy).
    let session = saved(&read, 2, |v| v.edit(&id(1), notes("mine"), day(2)).unwrap());
    let (m, _) = merge(Some(&read), duplicate(&session), duplicate(&old));
    let e = entry(&m, 1);
    assert!(matches!(e.status, Status::Revoked { .. }), "{:?}", e.status);
    assert_eq!(e.notes, "mine");
    // The same with the older copy written by format 1, which has no stamps at all.
    let (m, _) = merge(Some(&read), session, unstamped(duplicate(&old)));
    let e = entry(&m, 1);
    assert!(matches!(e.status, Status::Revoked { .. }), "{:?}", e.status);
}

#[test]
fn a_vault_that_breaks_the_invariants_is_never_encrypted() {
    let mut v = base(2);
    v.entries[1].label = v.entries[0].label.clone();
    let key = aspen::vault_file::VaultKey::derive(
        &aspen::secret::SecretString::from("pass"),
        aspen::vault_file::KdfParams::new(aspen::vault_file::INSECURE, [3; 32]),
    )
    .unwrap();
    let err = aspen::vault_file::encode(&v, &key).unwrap_err();
    assert!(
        matches!(err, aspen::vault_file::EncodeError::Inconsistent(_)),
        "{err}"
    );
}

#[test]
fn two_new_passwords_keep_each_its_own_status() {
    let b = base(1);
    let regenerated = saved(&b, 2, |v| v.regenerate(&id(1), asp(81), day(2), day(2)).unwrap());
    // The other machine stored its own new password, then revoked it by hand.
    let revoked = saved(&b, 3, |v| {
        v.regenerate(&id(1), asp(82), day(2), day(2)).unwrap();
        v.revoke(&id(1), day(2), true, day(2)).unwrap();
    });
    let (mut m, _) = merge(None, duplicate(&regenerated), duplicate(&revoked));
    let e = entry(&m, 1);
    assert_eq!(e.password.as_ref(), Some(&asp(81)));
    assert_eq!(e.status, Status::Active, "the shown password's own status");
    assert!(
        e.conflicts
            .iter()
            .any(|c| matches!(c, Conflict::Status(s) if !s.is_active()))
    );
    // Either choice takes a password with the status that goes with it.
    let mut theirs = duplicate(&m);
    theirs
        .resolve(&id(1), aspen::model::Keep::Theirs, day(3))
        .unwrap();
    let e = entry(&theirs, 1);
    assert_eq!(e.password.as_ref(), Some(&asp(82)));
    assert!(!e.is_active());
    m.resolve(&id(1), aspen::model::Keep::Ours, day(3)).unwrap();
    assert!(entry(&m, 1).is_active());
}

#[test]
fn an_undone_reset_does_not_come_back_from_a_copy_that_had_it() {
    let before = base(1);
    let after = saved(&before, 2, |v| {
        v.reset(ME, day(2), day(2)).unwrap();
    });
    // Another copy received the reset before the undo.
    let copy = duplicate(&after);
    let undone = aspen::model::revert(duplicate(&before), &after, duplicate(&after)).unwrap();
    let undone = saved(&after, 2, |v| *v = duplicate(&undone));
    assert!(undone.account(ME).unwrap().resets.is_empty());
    let (m, _) = merge(None, undone, copy);
    assert!(
        m.account(ME).unwrap().resets.is_empty(),
        "the undone reset stays undone"
    );
    assert!(entry(&m, 1).is_active());
}

#[test]
fn taking_a_deletion_that_would_drop_another_password_is_refused() {
    let b = base(1);
    let deleted = saved(&b, 2, |v| {
        v.remove(&id(1)).unwrap();
    });
    let regenerated = saved(&b, 3, |v| v.regenerate(&id(1), asp(91), day(2), day(2)).unwrap());
    let also = saved(&b, 4, |v| v.regenerate(&id(1), asp(92), day(2), day(2)).unwrap());
    let (m, _) = merge(None, regenerated, also);
    let (mut m, _) = merge(None, m, deleted);
    let e = entry(&m, 1);
    assert!(
        e.conflicts
            .iter()
            .any(|c| matches!(c, Conflict::DeletedElsewhere { .. }))
    );
    let err = m.resolve(&id(1), aspen::model::Keep::Theirs, day(3)).unwrap_err();
    assert!(err.to_string().contains("nothing was changed"), "{err}");
    assert!(m.entry(&id(1)).is_some(), "both passwords are still there");
}

#[test]
fn resolving_to_the_merged_copys_label_names_the_label_it_has_now() {
    let b = base(1);
    let ours = saved(&b, 2, |v| v.edit(&id(1), relabel("Ours"), day(2)).unwrap());
    let theirs = saved(&b, 3, |v| v.edit(&id(1), relabel("Theirs"), day(2)).unwrap());
    let (mut m, _) = merge(None, ours, theirs);
    let done = m
        .apply(
            aspen::model::Change::Resolve {
                id: id(1),
                keep: aspen::model::Keep::Theirs,
            },
            day(3),
            &mut std::iter::empty(),
        )
        .unwrap();
    assert!(
        matches!(&done, aspen::model::Done::Resolved { label, .. } if label == "Theirs"),
        "{done:?}"
    );
}
