//! Issue 20: what two machines change concurrently about one Apple ID or one entry's
//! uses is never lost silently and comes out the same on both machines: an Apple ID's
//! name and iCloud Mail address settle on one side's value whichever merges first, and
//! an entry's notarization team id is kept beside its uses in the conflict.
#![allow(clippy::unwrap_used)]

use aspen::model::{Conflict, Edit, Keep, Use, merge};

use crate::merge_rules::{base, day, entry, id, new, saved};

/// An Apple ID that is not an iCloud Mail address, so it has one to record.
const JANE: &str = "jane@example.org";

/// Each machine gave the Apple ID its own name and mail address; merged in either order
/// (each machine merging the other's save), both copies show the same one.
#[test]
fn concurrent_names_and_mail_of_an_apple_id_settle_the_same_on_both_machines() {
    let b = saved(&base(0), 1, |v| {
        let mail = aspen::model::NewEntry {
            apple_id: JANE.into(),
            ..new("Mail", 1)
        };
        v.add(id(1), mail, day(1)).unwrap();
    });
    let ours = saved(&b, 2, |v| {
        v.name_apple_id(JANE, "me").unwrap();
        v.set_mail(JANE, "jane@me.com").unwrap();
    });
    let theirs = saved(&b, 3, |v| {
        v.name_apple_id(JANE, "personal").unwrap();
        v.set_mail(JANE, "jane.doe@icloud.com").unwrap();
    });
    let (on_2, _) = merge(
        None,
        aspen::vault_file::duplicate(&ours),
        aspen::vault_file::duplicate(&theirs),
    );
    let (on_3, _) = merge(None, theirs, ours);
    let shown = |v: &aspen::model::Vault| {
        let a = v.accounts.iter().find(|a| a.apple_id == JANE).unwrap();
        (a.name.clone(), a.mail.clone())
    };
    assert_eq!(shown(&on_2), shown(&on_3), "both machines show one value");
    let pairs = [
        ("me".to_owned(), "jane@me.com".to_owned()),
        ("personal".to_owned(), "jane.doe@icloud.com".to_owned()),
    ];
    assert!(
        pairs.contains(&shown(&on_2)),
        "one side's pair: {:?}",
        shown(&on_2)
    );
}

/// Two machines made one entry a notarization password for different developer teams:
/// the conflict keeps the other team id, and keeping the other side's value takes it.
#[test]
fn a_uses_conflict_keeps_the_other_sides_team_id() {
    let b = base(1);
    let notary = |team: &str| Edit {
        uses: Some(vec![Use::Notarization]),
        team_id: Some(team.to_owned()),
        ..Edit::default()
    };
    let ours = saved(&b, 2, |v| v.edit(&id(1), notary("AAAAA11111"), day(2)).unwrap());
    let theirs = saved(&b, 3, |v| v.edit(&id(1), notary("BBBBB22222"), day(2)).unwrap());
    let (mut m, report) = merge(None, ours, theirs);
    assert_eq!(report.conflicts, vec!["App 1".to_owned()]);
    assert_eq!(entry(&m, 1).team_id, "AAAAA11111");
    let said: Vec<String> = entry(&m, 1).conflicts.iter().map(Conflict::describe).collect();
    assert!(said.iter().any(|s| s.contains("BBBBB22222")), "{said:?}");
    m.resolve(&id(1), Keep::Theirs, day(3)).unwrap();
    assert_eq!(entry(&m, 1).team_id, "BBBBB22222", "the other team's id taken");
    assert_eq!(entry(&m, 1).uses, vec![Use::Notarization]);
}

/// A uses conflict written before the team id was kept (the first builds of format 3)
/// still resolves: taking its uses drops a team id that notarization no longer needs.
#[test]
fn a_uses_conflict_without_a_team_id_still_resolves() {
    let b = base(1);
    let mut v = saved(&b, 2, |v| {
        let notary = Edit {
            uses: Some(vec![Use::Notarization]),
            team_id: Some("AAAAA11111".into()),
            ..Edit::default()
        };
        v.edit(&id(1), notary, day(2)).unwrap();
    });
    let i = v.entries.iter().position(|e| e.id == id(1)).unwrap();
    v.entries[i].conflicts.push(Conflict::Uses(vec![Use::Mail]));
    v.resolve(&id(1), Keep::Theirs, day(3)).unwrap();
    assert_eq!(entry(&v, 1).uses, vec![Use::Mail]);
    assert_eq!(entry(&v, 1).team_id, "", "no team id without notarization");
}
