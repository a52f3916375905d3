//! Issue 20: regenerating while the old password is active. Apple issues the new one
//! beside the old, lists the label twice and counts both, until the user revokes the
//! old one there; aspen's gauge, attention, audit and merge say the same.
#![allow(clippy::unwrap_used)]

use aspen::model::{Attention, Policy, SLOT_LIMIT, Vault, analyse, merge, parse_listed, slots};
use aspen::vault_file::duplicate;
use crossterm::event::KeyCode;

use crate::common::Env;
use crate::merge_rules::{ME, asp, base, day, entry, id, saved};

fn regenerated() -> Vault {
    saved(&base(2), 2, |v| {
        v.regenerate(&id(1), asp(77), day(2), day(2)).unwrap()
    })
}

#[test]
fn both_passwords_count_until_the_old_one_is_recorded_revoked() {
    let mut v = regenerated();
    assert_eq!(v.active_count(ME), 3, "two entries, and the old password of one");
    assert_eq!(slots(&v)[0].active, 3);
    let attention = analyse(&v, day(3), Policy::default());
    assert!(attention[0].contains(Attention::OldLive), "{attention:?}");
    assert!(!attention[1].contains(Attention::OldLive));

    assert_eq!(v.revoke_old(&id(1), day(3)).unwrap(), 1);
    assert_eq!(v.active_count(ME), 2);
    assert!(analyse(&v, day(3), Policy::default())[0].is_empty());
    assert!(v.revoke_old(&id(1), day(3)).is_err(), "nothing left to record");
}

#[test]
fn at_twenty_five_the_old_password_must_have_gone_to_make_room() {
    let mut v = base(25);
    assert_eq!(v.active_count(ME), SLOT_LIMIT);
    v.regenerate(&id(1), asp(77), day(2), day(2)).unwrap();
    assert_eq!(v.active_count(ME), SLOT_LIMIT, "Apple issues no 26th");
    assert!(entry(&v, 1).superseded.is_empty());
}

#[test]
fn a_reset_since_revokes_the_old_password_and_withdrawing_it_gives_it_back() {
    let mut v = regenerated();
    v.reset(ME, day(3), day(3)).unwrap();
    assert_eq!(
        v.active_count(ME),
        0,
        "a reset revokes every password, old ones too"
    );
    v.withdraw_reset(ME, None, day(4)).unwrap();
    assert_eq!(v.active_count(ME), 3);
}

#[test]
fn the_audit_matches_a_label_listed_twice_by_its_dates() {
    let v = regenerated();
    // Apple's page until the old one is revoked: the label twice, each with its date.
    let twice = parse_listed("App 1\t2026-11-02\nApp 1\t2026-11-01\nApp 2\t2026-11-01\n").unwrap();
    assert!(v.compare_with_apple(ME, &twice).unwrap().is_empty());
    // Once: the old one was revoked at Apple.
    let once = parse_listed("App 1\t2026-11-02\nApp 2\t2026-11-01\n").unwrap();
    let diff = v.compare_with_apple(ME, &once).unwrap();
    assert_eq!(diff.old_revoked, [(id(1), vec![day(1)])], "{diff:?}");
    // Twice for an entry aspen knows one password of: an older one is live.
    let plain = base(2);
    let diff = plain.compare_with_apple(ME, &twice).unwrap();
    assert_eq!(diff.old_live, [(id(1), vec![day(2)])], "{diff:?}");
    // Twice without dates cannot be matched: said, naming the line.
    let err = parse_listed("App 1\nApp 1\n").unwrap_err();
    assert!(
        err.starts_with("line 2: \"App 1\" is listed twice without its dates"),
        "{err}"
    );
}

#[test]
fn a_revoke_of_the_old_password_on_another_machine_merges_in() {
    let b = regenerated();
    let recorded = saved(&b, 3, |v| {
        v.revoke_old(&id(1), day(3)).unwrap();
    });
    let edited = saved(&b, 4, |v| {
        v.edit(&id(2), crate::merge_rules::notes("x"), day(3)).unwrap()
    });
    for (ours, theirs) in [
        (duplicate(&recorded), duplicate(&edited)),
        (duplicate(&edited), duplicate(&recorded)),
    ] {
        let (m, _) = merge(Some(&b), ours, theirs);
        assert!(entry(&m, 1).superseded.is_empty());
        assert_eq!(m.active_count(ME), 2);
    }
    // A revoke by hand of the old password, against the regeneration: not live.
    let revoked = saved(&base(2), 3, |v| v.revoke(&id(1), day(2), true, day(2)).unwrap());
    let (m, _) = merge(None, duplicate(&revoked), regenerated());
    assert_eq!(m.active_count(ME), 2, "{:?}", entry(&m, 1).superseded);
}

#[test]
fn the_command_line_says_so_and_records_the_old_one_revoked_later() {
    let env = Env::with_vault();
    env.add("Mail", ME, "Thunderbird", &crate::common::asp(1), "2026-01-01");
    let out = env
        .aspen(&["regenerate", "Mail", "--password-stdin"])
        .write_stdin(format!("{}\n", crate::common::asp(2)))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("the old password is still active at Apple"), "{err}");
    assert!(err.contains("aspen revoke Mail --old"), "{err}");
    assert_eq!(env.json(&["slots", "--json"])[0]["active"], 2);
    let out = env.aspen(&["revoke", "Mail", "--old"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("Recorded the old password of \"Mail\" revoked at Apple"),
        "{err}"
    );
    assert_eq!(env.json(&["slots", "--json"])[0]["active"], 1);
    assert_eq!(env.json(&["list", "--json"])[0]["status"], "active");
}

#[test]
fn the_tui_asks_after_regenerating_and_yes_records_it() {
    let mut app = crate::harness::App::new("default");
    app.create();
    app.add("Mail", ME, "Thunderbird", &crate::common::asp(1), "2026-01-01");
    app.press('r');
    app.type_str(&crate::common::asp(2));
    app.key(KeyCode::Enter);
    let screen = app.screen();
    assert!(screen.contains("Revoked the old password"), "{screen}");
    assert_eq!(app.state.session().unwrap().slots[0].active, 2);
    app.key(KeyCode::Enter);
    assert!(app.state.dialogs.top().is_none(), "{}", app.screen());
    assert_eq!(app.state.session().unwrap().slots[0].active, 1);
}
