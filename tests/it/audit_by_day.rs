//! Issue 20: the audit matches Apple's rows of a label by the day each password was
//! created. When a label has several passwords live (a regeneration's old ones) and
//! one of them is revoked behind aspen's back, the audit records that one revoked and
//! keeps the others, whichever it is.
#![allow(clippy::unwrap_used)]

use aspen::model::Status;

use crate::merge_rules::{ME, asp, base, day, entry, id, saved};
use crate::overlap_repros::{audit, listed};

/// "App 1" created on day 1, regenerated on days 2 and 3 with the old ones left live:
/// three rows at Apple.
fn three_rows() -> aspen::model::Vault {
    let v = saved(&base(1), 2, |v| {
        v.regenerate(&id(1), asp(77), day(2), day(2)).unwrap();
        v.regenerate(&id(1), asp(78), day(3), day(3)).unwrap();
    });
    assert_eq!(v.active_count(ME), 3);
    v
}

/// The middle one revoked at Apple: the audit finds that day's password gone, and
/// only it; the first stays live.
#[test]
fn one_of_two_old_passwords_revoked_at_apple_is_the_one_recorded() {
    let mut v = three_rows();
    let diff = v
        .compare_with_apple(ME, &listed(&[("App 1", day(3)), ("App 1", day(1))]))
        .unwrap();
    assert_eq!(diff.old_revoked, vec![(id(1), vec![day(2)])]);
    assert!(diff.not_listed.is_empty() && diff.old_live.is_empty(), "{diff:?}");
    audit(&mut v, &[("App 1", day(3)), ("App 1", day(1))], day(4));
    assert_eq!(v.active_count(ME), 2, "Apple lists two rows");
    let days: Vec<_> = entry(&v, 1).superseded.iter().map(|o| o.created).collect();
    assert_eq!(days, vec![day(1)], "the first old password stays live");
    // The same page again: nothing more to record.
    let again = v
        .compare_with_apple(ME, &listed(&[("App 1", day(3)), ("App 1", day(1))]))
        .unwrap();
    assert!(again.is_empty(), "{again:?}");
}

/// The current password revoked at Apple, the old ones still listed: the entry is
/// revoked outside aspen, and its old passwords stay counted.
#[test]
fn the_current_password_revoked_at_apple_leaves_the_old_ones_live() {
    let mut v = three_rows();
    let rows = [("App 1", day(1)), ("App 1", day(2))];
    let diff = v.compare_with_apple(ME, &listed(&rows)).unwrap();
    assert_eq!(diff.not_listed, vec![id(1)], "{diff:?}");
    assert!(
        diff.old_revoked.is_empty() && diff.old_live.is_empty(),
        "{diff:?}"
    );
    audit(&mut v, &rows, day(4));
    assert!(matches!(entry(&v, 1).status, Status::Revoked { .. }));
    assert_eq!(v.active_count(ME), 2, "Apple lists two rows");
}

/// A list without days pairs rows by count, as before: one row fewer than aspen knows
/// is an old password revoked (the earliest, which nothing tells apart).
#[test]
fn rows_without_days_still_pair_by_count() {
    let v = three_rows();
    let row = aspen::model::Listed {
        label: "App 1".into(),
        created: None,
    };
    let diff = v.compare_with_apple(ME, &[row.clone(), row]).unwrap();
    assert!(diff.not_listed.is_empty(), "{diff:?}");
    assert_eq!(diff.old_revoked, vec![(id(1), vec![day(1)])], "{diff:?}");
}

/// The TUI's audit shows each row Apple should list, the old passwords with their
/// days; marking the first old one not listed records that one revoked, and only it.
#[test]
fn the_tui_audit_asks_about_each_old_password() {
    use crossterm::event::KeyCode;
    let mut app = crate::harness::App::new("default");
    app.create();
    app.add("Mail", ME, "Thunderbird", &crate::common::asp(1), "2026-01-01");
    for n in [2, 3] {
        app.press('r');
        app.type_str(&crate::common::asp(n));
        app.key(KeyCode::Enter);
        // "Revoked the old password …?" Not yet: it stays live.
        app.key(KeyCode::Esc);
    }
    assert_eq!(app.state.session().unwrap().slots[0].active, 3);
    app.press('o');
    app.press('a');
    let screen = app.screen();
    assert!(screen.contains("Jan 1, 2026  (old password)"), "{screen}");
    assert_eq!(screen.matches("(old password)").count(), 2, "{screen}");
    app.key(KeyCode::Enter);
    // Rows are newest first: the Jan 1 one is third.
    for _ in 0..2 {
        app.key(KeyCode::Down);
    }
    app.key(KeyCode::Right);
    let screen = app.screen();
    assert!(
        screen.contains("[not listed, revoked at Apple] Mail  Jan 1, 2026"),
        "{screen}"
    );
    app.key(KeyCode::Enter);
    app.key(KeyCode::Enter);
    let screen = app.screen();
    assert!(
        screen.contains("the old password created Jan 1, 2026 was revoked"),
        "{screen}"
    );
    app.key(KeyCode::Enter);
    let screen = app.screen();
    assert_eq!(app.state.session().unwrap().slots[0].active, 2, "{screen}");
}

/// An audit that names an old password the entry does not have live (a day twice
/// where one is live) is refused whole: nothing recorded, not even the first.
#[test]
fn an_old_password_named_twice_is_refused_whole() {
    use aspen::model::{Change, EntryId};
    let mut v = three_rows();
    let change = Change::Audit {
        apple_id: ME.to_owned(),
        revoked: Vec::new(),
        listed_again: Vec::new(),
        untracked: Vec::new(),
        old_revoked: vec![(id(1), vec![day(2), day(2)])],
        old_live: Vec::new(),
    };
    let refused = v.apply(change, day(4), &mut std::iter::empty::<EntryId>());
    assert!(refused.is_err(), "{refused:?}");
    assert_eq!(v.active_count(ME), 3, "nothing recorded");
    assert_eq!(entry(&v, 1).superseded.len(), 2);
}
