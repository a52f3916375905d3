//! Apple's rules as the model enforces them, driven through the library API with
//! fixed dates (no clock, no I/O).
#![allow(clippy::unwrap_used)]

use aspen::model::{
    Attention, AttentionSet, EntryId, ModelError, NewEntry, Password, Policy, RevokeReason, SLOT_LIMIT,
    Status, Vault, analyse, slots,
};
use aspen::secret::SecretString;
use jiff::civil::{Date, date};

const ME: &str = "me@icloud.com";
const KID: &str = "kid@icloud.com";

fn today() -> Date {
    date(2026, 11, 20)
}

fn asp(n: usize) -> Password {
    let letters: String = (0..16)
        .map(|i| char::from(b'a' + ((n * 7 + i * 3 + (n / 26) * (i + 1)) % 26) as u8))
        .collect();
    Password::parse(SecretString::new(letters), false).unwrap()
}

fn id(n: usize) -> EntryId {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&(n as u64).to_be_bytes());
    EntryId::from_random(bytes)
}

fn new(label: &str, apple_id: &str, n: usize, created: Date) -> NewEntry {
    NewEntry {
        label: label.to_owned(),
        apple_id: apple_id.to_owned(),
        apps: vec![format!("{label} app")],
        password: Some(asp(n)),
        created,
        notes: String::new(),
        uses: Vec::new(),
        team_id: String::new(),
    }
}

/// A vault holding `count` active entries for `apple_id`, created a day apart.
fn vault_with(apple_id: &str, count: usize) -> Vault {
    let mut v = Vault::default();
    for n in 0..count {
        let created = date(2026, 1, 1)
            .checked_add(jiff::Span::new().days(n as i64))
            .unwrap();
        v.add(id(n), new(&format!("app{n:02}"), apple_id, n, created), today())
            .unwrap();
    }
    v
}

fn attention_of(v: &Vault, label: &str) -> Vec<Attention> {
    attention_with(v, label, Policy::default())
}

fn attention_with(v: &Vault, label: &str, policy: Policy) -> Vec<Attention> {
    let sets: Vec<AttentionSet> = analyse(v, today(), policy);
    let i = v.entries.iter().position(|e| e.label == label).unwrap();
    sets[i].iter().collect()
}

#[test]
fn the_26th_active_password_is_refused_with_the_oldest_as_candidates() {
    let mut v = vault_with(ME, SLOT_LIMIT);
    let err = v
        .add(id(99), new("one more", ME, 99, today()), today())
        .unwrap_err();
    match &err {
        ModelError::SlotsFull {
            candidates, limit, ..
        } => {
            assert_eq!(*limit, 25);
            assert_eq!(candidates[0].0, "app00");
            assert_eq!(candidates[1].0, "app01");
        }
        other => panic!("expected SlotsFull, got {other:?}"),
    }
    assert!(
        aspen::cli::hint(&err.clone().into())
            .unwrap()
            .contains("\"app00\" (2026-01-01)")
    );
    assert_eq!(v.entries.len(), SLOT_LIMIT, "a refused add changes nothing");
    // Another Apple ID has its own 25.
    v.add(id(100), new("kid mail", KID, 100, today()), today())
        .unwrap();
}

#[test]
fn revoking_frees_a_slot() {
    let mut v = vault_with(ME, SLOT_LIMIT);
    let old = v.find("app00", None).unwrap().id.clone();
    v.revoke(&old, today(), false, today()).unwrap();
    v.add(id(99), new("one more", ME, 99, today()), today()).unwrap();
    let s = &slots(&v)[0];
    assert_eq!((s.active, s.to_regenerate, s.free, s.limit), (25, 0, 0, 25));
}

#[test]
fn labels_are_unique_per_apple_id_only() {
    let mut v = vault_with(ME, 1);
    let err = v.add(id(5), new("app00", ME, 5, today()), today()).unwrap_err();
    assert!(matches!(err, ModelError::DuplicateLabel { .. }));
    v.add(id(6), new("app00", KID, 6, today()), today()).unwrap();
    let err = v.find("app00", None).unwrap_err();
    assert!(matches!(err, ModelError::AmbiguousLabel { ref apple_ids, .. } if apple_ids.len() == 2));
    assert_eq!(v.find("app00", Some("KID@icloud.com")).unwrap().id, id(6));
}

#[test]
fn a_reset_revokes_what_was_created_on_or_before_its_day() {
    let mut v = Vault::default();
    v.add(id(1), new("before", ME, 1, date(2026, 10, 1)), today())
        .unwrap();
    v.add(id(2), new("same day", ME, 2, date(2026, 11, 2)), today())
        .unwrap();
    v.add(id(3), new("after", ME, 3, date(2026, 11, 3)), today())
        .unwrap();
    v.add(id(4), new("other id", KID, 4, date(2026, 10, 1)), today())
        .unwrap();
    let revoked = v.reset(ME, date(2026, 11, 2), today()).unwrap();
    assert_eq!(revoked, vec![id(1), id(2)]);
    for label in ["before", "same day"] {
        let e = v.find(label, None).unwrap();
        assert_eq!(
            e.status,
            Status::Revoked {
                on: date(2026, 11, 2),
                reason: RevokeReason::AppleIdReset,
                needs_replacement: true
            }
        );
        assert_eq!(attention_of(&v, label), vec![Attention::Regenerate]);
    }
    assert!(attention_of(&v, "after").is_empty());
    assert!(attention_of(&v, "other id").is_empty(), "a reset is per Apple ID");
    assert_eq!(v.account(ME).unwrap().resets.len(), 1);
    let s = slots(&v).into_iter().find(|s| s.apple_id == ME).unwrap();
    assert_eq!((s.active, s.to_regenerate, s.free), (1, 2, 24));
}

#[test]
fn an_entry_older_than_a_recorded_reset_predates_it() {
    let mut v = vault_with(ME, 1);
    v.reset(ME, date(2026, 11, 2), today()).unwrap();
    // Added after the reset was recorded, but created before it: Apple revoked it, so
    // it is recorded as revoked by that reset (issue 20), waiting to be regenerated.
    v.add(id(7), new("forgotten", ME, 7, date(2026, 10, 30)), today())
        .unwrap();
    assert_eq!(attention_of(&v, "forgotten"), vec![Attention::Regenerate]);
    assert!(!v.find("forgotten", None).unwrap().is_active());
    // Generated on the reset day after recording it: valid, Apple shows only dates.
    v.add(id(8), new("fresh", ME, 8, date(2026, 11, 2)), today())
        .unwrap();
    assert!(attention_of(&v, "fresh").is_empty());
}

#[test]
fn regenerating_after_a_reset_clears_attention() {
    let mut v = vault_with(ME, 3);
    let revoked = v.reset(ME, today(), today()).unwrap();
    assert_eq!(revoked.len(), 3);
    for (n, e) in revoked.iter().enumerate() {
        v.regenerate(e, asp(50 + n), today(), today()).unwrap();
    }
    assert!(
        analyse(&v, today(), Policy::default())
            .iter()
            .all(|a| a.is_empty())
    );
    let s = &slots(&v)[0];
    assert_eq!((s.active, s.to_regenerate), (3, 0));
    let e = v.entry(&revoked[0]).unwrap();
    assert_eq!(e.password.as_ref().unwrap().expose(), asp(50).expose());
    assert_eq!(e.history.last().unwrap().event, aspen::model::Event::Regenerated);
}

#[test]
fn revoke_marks_apps_retired_unless_they_need_a_replacement() {
    let mut v = vault_with(ME, 2);
    let a = v.find("app00", None).unwrap().id.clone();
    let b = v.find("app01", None).unwrap().id.clone();
    v.revoke(&a, today(), false, today()).unwrap();
    v.revoke(&b, today(), true, today()).unwrap();
    assert!(attention_of(&v, "app00").is_empty());
    assert_eq!(attention_of(&v, "app01"), vec![Attention::Regenerate]);
    assert!(matches!(
        v.revoke(&a, today(), false, today()),
        Err(ModelError::AlreadyRevoked { .. })
    ));
    let s = &slots(&v)[0];
    assert_eq!((s.active, s.to_regenerate, s.free), (0, 1, 25));
}

#[test]
fn revoke_all_revokes_every_active_entry_of_one_apple_id() {
    let mut v = vault_with(ME, 4);
    v.add(id(40), new("kid", KID, 40, today()), today()).unwrap();
    let revoked = v.revoke_all(ME, today(), today()).unwrap();
    assert_eq!(revoked.len(), 4);
    assert!(v.entries.iter().filter(|e| e.apple_id == ME).all(|e| matches!(
        e.status,
        Status::Revoked {
            reason: RevokeReason::RevokeAll,
            needs_replacement: true,
            ..
        }
    )));
    assert!(v.entry(&id(40)).unwrap().is_active());
    assert!(matches!(
        v.revoke_all(ME, today(), today()),
        Err(ModelError::NothingActive { .. })
    ));
    assert!(matches!(
        v.revoke_all("nobody@icloud.com", today(), today()),
        Err(ModelError::UnknownAppleId { .. })
    ));
}

#[test]
fn revoke_all_on_a_past_day_leaves_what_was_created_after_it() {
    let mut v = vault_with(ME, 3); // created 2026-01-01, -02, -03
    let revoked = v.revoke_all(ME, date(2026, 1, 2), today()).unwrap();
    assert_eq!(revoked, vec![id(0), id(1)]);
    assert!(v.entry(&id(2)).unwrap().is_active());
}

#[test]
fn regenerating_everything_that_waits_may_not_fit() {
    let mut v = vault_with(ME, 20);
    v.revoke_all(ME, today(), today()).unwrap();
    for n in 0..20 {
        v.add(
            id(100 + n),
            new(&format!("new{n}"), ME, 100 + n, today()),
            today(),
        )
        .unwrap();
    }
    let s = &slots(&v)[0];
    assert_eq!((s.active, s.to_regenerate), (20, 20));
    assert!(s.regeneration_overflows());
    // Regenerating one that waits needs a free slot; with all 25 taken it is refused.
    for n in 0..5 {
        v.add(
            id(200 + n),
            new(&format!("more{n}"), ME, 200 + n, today()),
            today(),
        )
        .unwrap();
    }
    let waiting = v.find("app00", None).unwrap().id.clone();
    assert!(matches!(
        v.regenerate(&waiting, asp(300), today(), today()),
        Err(ModelError::SlotsFull { .. })
    ));
}

#[test]
fn stale_follows_the_rotation_policy() {
    let mut v = Vault::default();
    v.add(id(1), new("old", ME, 1, date(2025, 11, 19)), today())
        .unwrap();
    v.add(id(2), new("year", ME, 2, date(2025, 11, 20)), today())
        .unwrap();
    // Apple never expires an app-specific password: no age is stale by default.
    assert!(attention_of(&v, "old").is_empty());
    let yearly = Policy { rotation_days: 365 };
    assert_eq!(attention_with(&v, "old", yearly), vec![Attention::Stale]);
    assert!(
        attention_with(&v, "year", yearly).is_empty(),
        "exactly 365 days is not yet stale"
    );
    assert!(attention_with(&v, "old", Policy { rotation_days: 0 }).is_empty());
    assert_eq!(
        attention_with(&v, "year", Policy { rotation_days: 30 }),
        vec![Attention::Stale]
    );
}

#[test]
fn malformed_and_shared_passwords_are_flagged() {
    let mut v = Vault::default();
    let odd = Password::parse(SecretString::from("Hunter2!"), true).unwrap();
    v.add(
        id(1),
        NewEntry {
            password: Some(odd),
            ..new("odd", ME, 1, today())
        },
        today(),
    )
    .unwrap();
    v.add(id(2), new("a", ME, 2, today()), today()).unwrap();
    v.add(id(3), new("b", KID, 2, today()), today()).unwrap();
    assert_eq!(attention_of(&v, "odd"), vec![Attention::Malformed]);
    assert_eq!(attention_of(&v, "a"), vec![Attention::Shared]);
    assert_eq!(attention_of(&v, "b"), vec![Attention::Shared]);
    let sets = analyse(&v, today(), Policy::default());
    assert!(!sets[1].needs_action(), "shared alone is informational");
    // Only active entries share: revoking one clears it for the other.
    let a = v.find("a", None).unwrap().id.clone();
    v.revoke(&a, today(), false, today()).unwrap();
    assert!(attention_of(&v, "b").is_empty());
}

#[test]
fn more_than_25_active_entries_is_over_limit() {
    // Only an import or an old vault can hold this; build it by hand.
    let mut v = vault_with(ME, SLOT_LIMIT);
    let mut other = vault_with(ME, 1);
    let mut extra = other.entries.remove(0);
    extra.id = id(1000);
    extra.label = "26th".to_owned();
    // A password of its own: one password in two entries would be one slot.
    extra.password = Some(asp(1000));
    v.entries.push(extra);
    let sets = analyse(&v, today(), Policy::default());
    assert!(sets.iter().all(|s| s.contains(Attention::OverLimit)));
    assert_eq!(slots(&v)[0].free, 0);
}

#[test]
fn editing_an_entry_onto_a_full_apple_id_is_refused() {
    let mut v = vault_with(ME, SLOT_LIMIT);
    v.add(id(50), new("kid", KID, 50, today()), today()).unwrap();
    let kid = v.find("kid", None).unwrap().id.clone();
    let err = v
        .edit(
            &kid,
            aspen::model::Edit {
                apple_id: Some(ME.to_owned()),
                ..Default::default()
            },
            today(),
        )
        .unwrap_err();
    assert!(matches!(err, ModelError::SlotsFull { .. }));
    v.edit(
        &kid,
        aspen::model::Edit {
            label: Some("Kid's Mail".to_owned()),
            apps: Some(vec!["Mail".to_owned(), "Calendar".to_owned()]),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    let e = v.entry(&kid).unwrap();
    assert_eq!(e.label, "Kid's Mail");
    assert_eq!(e.apps, vec!["Mail", "Calendar"]);
    assert!(matches!(
        v.edit(&kid, aspen::model::Edit::default(), today()),
        Err(ModelError::NothingToEdit)
    ));
}

#[test]
fn dates_in_the_future_are_refused() {
    let mut v = vault_with(ME, 1);
    let tomorrow = date(2026, 11, 21);
    assert!(matches!(
        v.add(id(9), new("x", ME, 9, tomorrow), today()),
        Err(ModelError::FutureDate { .. })
    ));
    assert!(matches!(
        v.reset(ME, tomorrow, today()),
        Err(ModelError::FutureDate { .. })
    ));
    let e = v.find("app00", None).unwrap().id.clone();
    assert!(matches!(
        v.revoke(&e, date(2025, 1, 1), false, today()),
        Err(ModelError::RevokedBeforeCreated { .. })
    ));
}

#[test]
fn removing_an_entry_frees_its_label() {
    let mut v = vault_with(ME, 1);
    let e = v.find("app00", None).unwrap().id.clone();
    let gone = v.remove(&e).unwrap();
    assert_eq!(gone.label, "app00");
    v.add(id(3), new("app00", ME, 3, today()), today()).unwrap();
    assert!(matches!(v.remove(&e), Err(ModelError::UnknownEntry { .. })));
}

#[test]
fn an_unknown_label_suggests_similar_ones() {
    let v = vault_with(ME, 2);
    match v.find("APP0", None).unwrap_err() {
        ModelError::LabelNotFound { similar, .. } => assert_eq!(similar, vec!["app00", "app01"]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn renaming_an_apple_id_moves_its_entries_and_resets_and_joins_an_existing_one() {
    let typo = "me@icluod.com";
    let mut v = Vault::default();
    v.add(id(1), new("Mail", typo, 1, date(2026, 1, 1)), today())
        .unwrap();
    v.add(id(2), new("Calendar", typo, 2, date(2026, 1, 1)), today())
        .unwrap();
    v.add(id(3), new("Contacts", ME, 3, date(2026, 1, 1)), today())
        .unwrap();
    v.reset(typo, date(2026, 2, 1), today()).unwrap();

    assert_eq!(v.rename_apple_id(typo, " Me@iCloud.com ", today()), Ok(2));
    assert!(v.account(typo).is_none(), "the typo is gone from the Apple IDs");
    assert!(v.entries.iter().all(|e| e.apple_id == ME));
    assert_eq!(
        v.account(ME).unwrap().resets.len(),
        1,
        "the reset moved with them"
    );
    let mail = v.entry(&id(1)).unwrap();
    assert!(
        mail.history
            .last()
            .unwrap()
            .event
            .describe()
            .contains("Apple ID was me@icluod.com")
    );
    v.check_invariants().unwrap();
    assert!(matches!(
        v.rename_apple_id(ME, ME, today()),
        Err(ModelError::AppleIdUnchanged { .. })
    ));
}

#[test]
fn a_rename_that_would_repeat_a_label_or_pass_25_is_refused_whole() {
    let mut v = vault_with(ME, 20);
    for n in 0..6 {
        v.add(
            id(100 + n),
            new(&format!("kid{n}"), KID, 100 + n, date(2026, 1, 1)),
            today(),
        )
        .unwrap();
    }
    let ids = |v: &Vault| -> Vec<String> { v.entries.iter().map(|e| e.apple_id.clone()).collect() };
    let before = (ids(&v), v.accounts.clone());
    assert!(matches!(
        v.rename_apple_id(KID, ME, today()),
        Err(ModelError::SlotsFull { .. })
    ));
    assert_eq!((ids(&v), v.accounts.clone()), before, "nothing moved");
    let mut v = Vault::default();
    v.add(id(1), new("Mail", ME, 1, date(2026, 1, 1)), today())
        .unwrap();
    v.add(id(2), new("Mail", KID, 2, date(2026, 1, 1)), today())
        .unwrap();
    assert!(matches!(
        v.rename_apple_id(KID, ME, today()),
        Err(ModelError::DuplicateLabel { .. })
    ));
}

#[test]
fn only_an_apple_id_without_entries_can_be_forgotten() {
    let mut v = Vault::default();
    v.add(id(1), new("Mail", ME, 1, date(2026, 1, 1)), today())
        .unwrap();
    let err = v.forget_apple_id(ME).unwrap_err();
    assert_eq!(err.to_string(), "me@icloud.com still has 1 entry");
    v.remove(&id(1)).unwrap();
    v.forget_apple_id(ME).unwrap();
    assert!(v.accounts.is_empty());
    assert!(slots(&v).is_empty(), "its gauge is gone");
}

#[test]
fn retiring_stops_the_regeneration_and_only_for_what_is_gone() {
    let mut v = Vault::default();
    let mut two_apps = new("Sync", ME, 1, date(2026, 1, 1));
    two_apps.apps = vec!["Phone".into(), "Tablet".into()];
    v.add(id(1), two_apps, today()).unwrap();
    v.reset(ME, date(2026, 2, 1), today()).unwrap();
    assert!(v.entry(&id(1)).unwrap().needs_replacement());

    let err = v.retire_app(&id(1), "Laptop", today()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "\"Sync\" has no app named \"Laptop\"; its apps: Phone, Tablet"
    );
    v.retire_app(&id(1), "Tablet", today()).unwrap();
    assert_eq!(v.entry(&id(1)).unwrap().apps, ["Phone"]);
    assert!(
        v.entry(&id(1)).unwrap().needs_replacement(),
        "the phone still needs it"
    );
    // The last app going retires the entry.
    v.retire_app(&id(1), "Phone", today()).unwrap();
    let e = v.entry(&id(1)).unwrap();
    assert!(!e.needs_replacement() && !e.is_active());
    assert_eq!(
        e.apps,
        ["Phone"],
        "an entry keeps at least one app, for its history"
    );
    assert!(matches!(
        v.retire(&id(1), today()),
        Err(ModelError::AlreadyRetired { .. })
    ));
    v.unretire(&id(1), today()).unwrap();
    assert!(v.entry(&id(1)).unwrap().needs_replacement());
    assert!(matches!(
        v.unretire(&id(1), today()),
        Err(ModelError::NotRetired { .. })
    ));
    v.check_invariants().unwrap();
}

#[test]
fn withdrawing_a_reset_restores_only_its_own_entries_and_never_past_25() {
    // Two resets on one day: the second revoked only what was added between them.
    let mut v = Vault::default();
    v.add(id(1), new("Early", ME, 1, date(2026, 1, 1)), today())
        .unwrap();
    v.reset(ME, date(2026, 11, 2), today()).unwrap();
    v.add(id(2), new("Between", ME, 2, date(2026, 11, 2)), today())
        .unwrap();
    v.reset(ME, date(2026, 11, 2), today()).unwrap();
    let (_, undone) = v.withdraw_reset(ME, None, today()).unwrap();
    assert_eq!(undone.restored, [id(2)], "the earlier reset still holds Early");
    assert!(!v.entry(&id(1)).unwrap().is_active());
    assert_eq!(v.account(ME).unwrap().resets.len(), 1);

    // Slots taken since: withdrawing would make 26 active, so it is refused whole.
    let mut v = vault_with(ME, 3);
    v.reset(ME, date(2026, 11, 2), today()).unwrap();
    for n in 0..23 {
        v.add(
            id(500 + n),
            new(&format!("new{n}"), ME, 500 + n, today()),
            today(),
        )
        .unwrap();
    }
    assert!(matches!(
        v.withdraw_reset(ME, None, today()),
        Err(ModelError::SlotsFull { .. })
    ));
    assert_eq!(
        v.account(ME).unwrap().resets.len(),
        1,
        "the reset is still recorded"
    );
    assert_eq!(v.active_count(ME), 23);
}
