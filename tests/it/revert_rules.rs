//! `model::revert`, the three-way patch behind the TUI's undo (issue 18, item 6):
//! one change taken back from a vault that others changed since. What the change
//! did goes back where it still stands; what others did stays; a change whose work
//! was changed again is refused, and nothing is changed. Also `model::news`, what a
//! save made elsewhere brought.

use aspen::model::{EntryId, MergeReport, NewEntry, Password, Unrevertable, Vault, news, revert};
use aspen::secret::SecretString;
use aspen::vault_file::duplicate;
use jiff::civil::{Date, date};

const ME: &str = "me@icloud.com";

fn today() -> Date {
    date(2026, 11, 20)
}

fn id(n: u8) -> EntryId {
    EntryId::from_random([n; 16])
}

fn add(v: &mut Vault, n: u8, label: &str, apple_id: &str) {
    let (low, high) = (char::from(b'a' + n % 26), char::from(b'a' + n / 26));
    let password = format!("abcd-efgh-ijkl-m{high}{low}{low}");
    let new = NewEntry {
        label: label.to_owned(),
        apple_id: apple_id.to_owned(),
        apps: vec!["Mail".to_owned()],
        password: Some(Password::parse(SecretString::from(password.as_str()), false).unwrap()),
        created: date(2026, 1, 1),
        notes: String::new(),
        uses: Vec::new(),
        team_id: String::new(),
    };
    v.add(id(n), new, today()).unwrap();
}

/// A vault with "A" and "B" under me@icloud.com.
fn two() -> Vault {
    let mut v = Vault::default();
    add(&mut v, 1, "A", ME);
    add(&mut v, 2, "B", ME);
    v
}

/// `before`, then the change: the two copies an undo step keeps.
fn step(before: &Vault, change: impl FnOnce(&mut Vault)) -> (Vault, Vault) {
    let mut after = duplicate(before);
    change(&mut after);
    (duplicate(before), after)
}

fn labels(v: &Vault) -> Vec<&str> {
    let mut out: Vec<&str> = v.entries.iter().map(|e| e.label.as_str()).collect();
    out.sort();
    out
}

#[test]
fn a_recorded_reset_goes_and_a_reset_recorded_elsewhere_stays() {
    let (before, after) = step(&two(), |v| {
        v.reset(ME, date(2026, 11, 2), today()).unwrap();
    });
    let mut now = duplicate(&after);
    // Elsewhere: a reset on another Apple ID, and an entry added.
    add(&mut now, 3, "C", "kid@icloud.com");
    now.reset("kid@icloud.com", date(2026, 11, 10), today()).unwrap();
    let out = revert(before, &after, now).unwrap();
    assert!(out.account(ME).unwrap().resets.is_empty());
    let kid = out.account("kid@icloud.com").unwrap();
    assert_eq!(kid.resets.len(), 1);
    assert_eq!(labels(&out), ["A", "B", "C"]);
    let active: Vec<&str> = out
        .entries
        .iter()
        .filter(|e| e.is_active())
        .map(|e| e.label.as_str())
        .collect();
    assert_eq!(active, ["A", "B"]);
}

/// A later reset of the same Apple ID, recorded elsewhere, revoked the passwords
/// too (Apple revokes every password created by then): they are not made active.
#[test]
fn a_reset_recorded_elsewhere_since_keeps_its_passwords_revoked() {
    let (before, after) = step(&two(), |v| {
        v.reset(ME, date(2026, 11, 2), today()).unwrap();
    });
    let mut now = duplicate(&after);
    now.reset(ME, date(2026, 11, 10), today()).unwrap();
    assert_eq!(
        revert(before, &after, now).err(),
        Some(Unrevertable::ResetSince {
            label: "A".to_owned(),
            apple_id: ME.to_owned(),
            on: date(2026, 11, 10),
            what: "password reset",
        })
    );
}

#[test]
fn a_status_the_change_set_goes_back_where_it_still_stands() {
    let (before, after) = step(&two(), |v| {
        v.revoke(&id(1), today(), true, today()).unwrap();
    });
    let mut now = duplicate(&after);
    now.entries[1].notes = "changed elsewhere".to_owned();
    let out = revert(before, &after, now).unwrap();
    assert!(out.entries.iter().all(|e| e.is_active()));
    assert_eq!(out.entries[1].notes, "changed elsewhere");
    assert!(
        out.entries[0]
            .history
            .iter()
            .all(|h| !matches!(h.event, aspen::model::Event::Revoked { .. })),
        "the revoke's history line goes too"
    );
}

#[test]
fn a_name_changed_again_since_is_refused() {
    let (before, after) = step(&two(), |v| v.name_apple_id(ME, "me").unwrap());
    let out = revert(duplicate(&before), &after, duplicate(&after)).unwrap();
    assert_eq!(out.account(ME).unwrap().name, "");
    let mut now = duplicate(&after);
    now.name_apple_id(ME, "mine").unwrap();
    assert_eq!(
        revert(before, &after, now).err(),
        Some(Unrevertable::Named {
            apple_id: ME.to_owned()
        })
    );
}

#[test]
fn a_deleted_entry_whose_label_was_taken_since_is_refused() {
    let (before, after) = step(&two(), |v| drop(v.remove(&id(1)).unwrap()));
    let mut now = duplicate(&after);
    add(&mut now, 3, "A", ME);
    assert_eq!(
        revert(before, &after, now).err(),
        Some(Unrevertable::LabelTaken {
            label: "A".to_owned(),
            apple_id: ME.to_owned()
        })
    );
}

#[test]
fn a_revoke_is_not_undone_past_apples_limit() {
    let (before, after) = step(&two(), |v| {
        v.revoke(&id(1), today(), true, today()).unwrap();
    });
    let mut now = duplicate(&after);
    for n in 0..24 {
        add(&mut now, 10 + n, &format!("F{n}"), ME);
    }
    assert_eq!(
        revert(before, &after, now).err(),
        Some(Unrevertable::SlotsFull {
            apple_id: ME.to_owned()
        })
    );
}

#[test]
fn a_rename_goes_back_and_the_new_apple_id_stays_while_an_entry_uses_it() {
    let (before, after) = step(&two(), |v| {
        v.rename_apple_id(ME, "me@mac.com", today()).unwrap();
    });
    let out = revert(duplicate(&before), &after, duplicate(&after)).unwrap();
    let ids: Vec<&str> = out.accounts.iter().map(|a| a.apple_id.as_str()).collect();
    assert_eq!(ids, [ME]);
    assert!(out.entries.iter().all(|e| e.apple_id == ME));

    let mut now = duplicate(&after);
    add(&mut now, 3, "C", "me@mac.com");
    let out = revert(before, &after, now).unwrap();
    let mut ids: Vec<&str> = out.accounts.iter().map(|a| a.apple_id.as_str()).collect();
    ids.sort();
    assert_eq!(ids, ["me@icloud.com", "me@mac.com"]);
    let c = out.entries.iter().find(|e| e.label == "C").unwrap();
    assert_eq!(
        c.apple_id, "me@mac.com",
        "the entry added elsewhere stays where it was added"
    );
}

#[test]
fn news_names_what_a_newer_version_added_changed_and_deleted() {
    let base = two();
    let mut now = duplicate(&base);
    drop(now.remove(&id(2)).unwrap());
    now.entries[0].notes = "new notes".to_owned();
    add(&mut now, 3, "C", ME);
    assert_eq!(
        news(&base, &now),
        MergeReport {
            added: vec!["C".to_owned()],
            changed: vec!["A".to_owned()],
            deleted: vec!["B".to_owned()],
            conflicts: Vec::new(),
        }
    );
    assert!(news(&base, &duplicate(&base)).is_empty());
}

/// A recovery key the change added is removed for good (so a merge of a copy saved
/// with it does not bring it back); a key added elsewhere since stays; a removal
/// cannot be undone, since a removed key never comes back.
#[test]
fn a_recovery_key_added_goes_for_good_and_a_removal_stays() {
    let key = |byte: u8| {
        aspen::vault_file::RecoveryIdentity::from_bytes(&[byte; 32])
            .unwrap()
            .listed(today())
    };
    let base = two();
    let (before, after) = step(&base, |v| v.add_recovery_key(key(1)).unwrap());
    let mut current = duplicate(&after);
    current.add_recovery_key(key(2)).unwrap();
    let undone = revert(before, &after, current).unwrap();
    let listed: Vec<&str> = undone.recovery.iter().map(|k| k.recipient.as_str()).collect();
    assert_eq!(listed, [key(2).recipient.as_str()]);
    assert_eq!(undone.recovery_removed.len(), 1);
    assert_eq!(undone.recovery_removed[0].recipient, key(1).recipient);
    let (merged, _) = aspen::model::merge(None, undone, after);
    assert_eq!(merged.recovery.len(), 1, "{:?}", merged.recovery);

    let mut with_key = two();
    with_key.add_recovery_key(key(3)).unwrap();
    let (before, after) = step(&with_key, |v| {
        v.remove_recovery_key("1", today()).unwrap();
    });
    let refused = revert(before, &after, duplicate(&after)).unwrap_err();
    assert!(matches!(refused, Unrevertable::KeyRemoved { .. }), "{refused:?}");
}
