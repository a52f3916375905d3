//! Issue 20's proof: random histories of what a person does at Apple and tells aspen,
//! with Apple's page as the oracle. Apple's page is kept here independently of
//! aspen, as the rows it lists per Apple ID (a row per live password: its label,
//! the day it was made, whether it is the entry's current one). After every step
//! each Apple ID's gauge (`slots`, which `slots --json`, `check` and the TUI's gauge
//! all show) and `active_count` equal the number of rows Apple lists.
#![allow(clippy::unwrap_used)]

use aspen::model::{Change, Done, EntryId, ModelError, NewEntry, ResetKind, SLOT_LIMIT, Vault, slots};
use jiff::civil::{Date, date};
use proptest::prelude::*;

use crate::merge_rules::asp;

const APPLE_IDS: [&str; 2] = ["me@icloud.com", "+15551234567"];

/// One row of Apple's page.
#[derive(Clone, Debug)]
struct Row {
    apple_id: &'static str,
    /// The aspen entry whose password it is (a label is unique per Apple ID).
    label: String,
    created: Date,
    /// The entry's current password; else one a regeneration replaced.
    current: bool,
}

/// What the person does, with Apple and then with aspen.
#[derive(Clone, Debug)]
enum Step {
    /// Generate a password at Apple (made `back` days ago) and add it, stored or not.
    Add {
        apple: usize,
        label: u8,
        back: u8,
        stored: bool,
    },
    /// Paste the password another entry already holds as a new entry: refused.
    AddShared {
        apple: usize,
        label: u8,
        of: usize,
    },
    /// Generate a new password for an entry at Apple; revoke the old one first, or
    /// after (answering aspen's question), or not yet.
    Regenerate {
        of: usize,
        old: Old,
    },
    /// Revoke the old passwords a regeneration left, and tell aspen.
    RevokeOld {
        of: usize,
    },
    Revoke {
        of: usize,
        still_needed: bool,
    },
    Retire {
        of: usize,
    },
    Reset {
        apple: usize,
    },
    RevokeAll {
        apple: usize,
    },
    /// A reset recorded by mistake, withdrawn: Apple saw nothing.
    MistakenReset {
        apple: usize,
    },
    /// Check aspen against Apple's page and record what differs.
    Audit {
        apple: usize,
    },
    NextDay,
    /// The person revokes one row at Apple behind aspen's back, then audits.
    BehindBack {
        apple: usize,
        pick: usize,
    },
    /// Apple gets a new password with an entry's label that aspen never stores; audit.
    AppleOnlyNew {
        of: usize,
    },
    /// Tells aspen something that did not happen, then undoes it (TUI undo).
    Mistaken {
        what: u8,
        of: usize,
        apple: usize,
    },
    /// A Revoke All recorded by mistake, withdrawn.
    MistakenRevokeAll {
        apple: usize,
    },
}

#[derive(Clone, Copy, Debug)]
enum Old {
    RevokedFirst,
    RevokedAfter,
    Kept,
}

fn step() -> impl Strategy<Value = Step> {
    let apple = 0..APPLE_IDS.len();
    prop_oneof![
        6 => (apple.clone(), 0u8..40, 0u8..4, any::<bool>())
            .prop_map(|(apple, label, back, stored)| Step::Add { apple, label, back, stored }),
        1 => (apple.clone(), 0u8..40, any::<usize>()).prop_map(|(apple, label, of)| Step::AddShared { apple, label, of }),
        3 => (any::<usize>(), prop_oneof![Just(Old::RevokedFirst), Just(Old::RevokedAfter), Just(Old::Kept)])
            .prop_map(|(of, old)| Step::Regenerate { of, old }),
        1 => any::<usize>().prop_map(|of| Step::RevokeOld { of }),
        2 => (any::<usize>(), any::<bool>()).prop_map(|(of, still_needed)| Step::Revoke { of, still_needed }),
        1 => any::<usize>().prop_map(|of| Step::Retire { of }),
        1 => apple.clone().prop_map(|apple| Step::Reset { apple }),
        1 => apple.clone().prop_map(|apple| Step::RevokeAll { apple }),
        1 => apple.clone().prop_map(|apple| Step::MistakenReset { apple }),
        1 => apple.prop_map(|apple| Step::Audit { apple }),
        2 => Just(Step::NextDay),
        2 => (0..APPLE_IDS.len(), any::<usize>()).prop_map(|(apple, pick)| Step::BehindBack { apple, pick }),
        1 => any::<usize>().prop_map(|of| Step::AppleOnlyNew { of }),
        2 => (0u8..5, any::<usize>(), 0..APPLE_IDS.len()).prop_map(|(what, of, apple)| Step::Mistaken { what, of, apple }),
        1 => (0..APPLE_IDS.len()).prop_map(|apple| Step::MistakenRevokeAll { apple }),
    ]
}

struct World {
    vault: Vault,
    /// The days of each Revoke All, per Apple ID: it revoked what was made by then.
    revoke_alls: Vec<(&'static str, Date)>,
    apple: Vec<Row>,
    today: Date,
    next_id: u32,
    next_password: u32,
}

impl World {
    fn new() -> Self {
        Self {
            vault: Vault::default(),
            revoke_alls: Vec::new(),
            apple: Vec::new(),
            today: date(2026, 1, 10),
            next_id: 1,
            next_password: 1,
        }
    }

    fn listed(&self, apple_id: &str) -> usize {
        self.apple.iter().filter(|r| r.apple_id == apple_id).count()
    }

    fn apply(&mut self, change: Change) -> Result<Done, ModelError> {
        let mut bytes = [0u8; 16];
        bytes[..4].copy_from_slice(&self.next_id.to_be_bytes());
        self.next_id += 1;
        let ids = vec![EntryId::from_random(bytes); change.ids_needed()];
        self.vault.apply(change, self.today, &mut ids.into_iter())
    }

    /// The entry `of` points at, by position (wrapping), with its Apple ID.
    fn entry(&self, of: usize) -> Option<(EntryId, String, &'static str)> {
        let n = self.vault.entries.len();
        let e = self.vault.entries.get(of % n.max(1))?;
        let apple = APPLE_IDS.into_iter().find(|a| *a == e.apple_id)?;
        Some((e.id.clone(), e.label.clone(), apple))
    }

    fn drop_rows(&mut self, keep: impl Fn(&Row) -> bool) {
        self.apple.retain(|r| keep(r));
    }

    fn run(&mut self, step: &Step) {
        match *step {
            Step::Add {
                apple,
                label,
                back,
                stored,
            } => self.add(apple, label, back, stored),
            Step::AddShared { apple, label, of } => self.add_shared(apple, label, of),
            Step::Regenerate { of, old } => self.regenerate(of, old),
            Step::RevokeOld { of } => {
                let Some((id, label, apple)) = self.entry(of) else {
                    return;
                };
                if self.apply(Change::RevokeOld(id)).is_ok() {
                    self.drop_rows(|r| !(r.apple_id == apple && r.label == label && !r.current));
                }
            }
            Step::Revoke { of, still_needed } => {
                let Some((id, label, apple)) = self.entry(of) else {
                    return;
                };
                let on = self.today;
                if self.apply(Change::Revoke { id, on, still_needed }).is_ok() {
                    self.drop_rows(|r| !(r.apple_id == apple && r.label == label && r.current));
                }
            }
            Step::Retire { of } => {
                let Some((id, ..)) = self.entry(of) else { return };
                let _ = self.apply(Change::Retire { id, app: None });
            }
            Step::Reset { apple } | Step::RevokeAll { apple } => {
                let kind = match step {
                    Step::Reset { .. } => ResetKind::PasswordReset,
                    _ => ResetKind::RevokeAll,
                };
                let apple_id = APPLE_IDS[apple];
                let (on, kind_change) = (self.today, kind);
                let recorded = self.apply(Change::Record {
                    kind: kind_change,
                    apple_id: apple_id.to_owned(),
                    on,
                });
                if recorded.is_ok() {
                    self.drop_rows(|r| r.apple_id != apple_id);
                    if kind == ResetKind::RevokeAll {
                        self.revoke_alls.push((apple_id, on));
                    }
                }
            }
            Step::MistakenReset { apple } => {
                let apple_id = APPLE_IDS[apple].to_owned();
                let on = self.today;
                let kind = ResetKind::PasswordReset;
                if self
                    .apply(Change::Record {
                        kind,
                        apple_id: apple_id.clone(),
                        on,
                    })
                    .is_ok()
                {
                    self.apply(Change::Withdraw {
                        kind,
                        apple_id,
                        on: Some(on),
                    })
                    .unwrap();
                }
            }
            Step::Audit { apple } => self.audit(apple),
            Step::NextDay => self.today = self.today.tomorrow().unwrap(),
            Step::BehindBack { apple, pick } => {
                let apple_id = APPLE_IDS[apple];
                let rows: Vec<usize> = (0..self.apple.len())
                    .filter(|i| self.apple[*i].apple_id == apple_id)
                    .collect();
                if rows.is_empty() {
                    return;
                }
                let i = rows[pick % rows.len()];
                // Two rows of one label and one day look the same on Apple's page: which
                // was revoked cannot be told (aspen takes it as an old one). The oracle
                // revokes only a row the page tells apart.
                let r = &self.apple[i];
                let twin = |x: &Row| x.apple_id == r.apple_id && x.label == r.label && x.created == r.created;
                if self.apple.iter().filter(|x| twin(x)).count() > 1 {
                    return;
                }
                self.apple.remove(i);
                self.audit(apple);
            }
            Step::AppleOnlyNew { of } => {
                let Some((id, label, apple_id)) = self.entry(of) else {
                    return;
                };
                if self.listed(apple_id) >= SLOT_LIMIT {
                    return;
                }
                let active = self.vault.entry(&id).unwrap().is_active();
                self.apple.push(Row {
                    apple_id,
                    label,
                    created: self.today,
                    current: !active,
                });
                let apple = APPLE_IDS.iter().position(|a| *a == apple_id).unwrap();
                self.audit(apple);
            }
            Step::Mistaken { what, of, apple } => {
                let Some((id, ..)) = self.entry(of) else { return };
                let apple_id = APPLE_IDS[apple].to_owned();
                let change = match what {
                    0 => Change::Revoke {
                        id,
                        on: self.today,
                        still_needed: true,
                    },
                    1 => Change::RevokeOld(id),
                    2 => Change::Record {
                        kind: ResetKind::PasswordReset,
                        apple_id,
                        on: self.today,
                    },
                    3 => Change::Record {
                        kind: ResetKind::RevokeAll,
                        apple_id,
                        on: self.today,
                    },
                    _ => {
                        let p = asp(self.next_password);
                        self.next_password += 1;
                        Change::Regenerate {
                            id,
                            password: p,
                            created: self.today,
                        }
                    }
                };
                let before = aspen::vault_file::duplicate(&self.vault);
                if self.apply(change).is_ok() {
                    let after = aspen::vault_file::duplicate(&self.vault);
                    let now = std::mem::take(&mut self.vault);
                    self.vault = aspen::model::revert(before, &after, now).unwrap();
                }
            }
            Step::MistakenRevokeAll { apple } => {
                let apple_id = APPLE_IDS[apple].to_owned();
                let on = self.today;
                let kind = ResetKind::RevokeAll;
                if self
                    .apply(Change::Record {
                        kind,
                        apple_id: apple_id.clone(),
                        on,
                    })
                    .is_ok()
                {
                    let w = self.apply(Change::Withdraw {
                        kind,
                        apple_id,
                        on: Some(on),
                    });
                    assert!(w.is_ok(), "withdraw: {w:?}");
                }
            }
        }
    }

    fn add(&mut self, apple: usize, label: u8, back: u8, stored: bool) {
        let apple_id = APPLE_IDS[apple];
        // Apple issues no 26th password.
        if self.listed(apple_id) >= SLOT_LIMIT {
            return;
        }
        let created = self
            .today
            .checked_sub(jiff::Span::new().days(i64::from(back)))
            .unwrap();
        let password = stored.then(|| asp(self.next_password));
        self.next_password += 1;
        let new = NewEntry {
            label: format!("L{label}"),
            apple_id: apple_id.to_owned(),
            apps: vec!["App".to_owned()],
            password,
            created,
            notes: String::new(),
            uses: Vec::new(),
            team_id: String::new(),
        };
        match self.apply(Change::Add(new)) {
            Ok(_) => {
                // Made on `created`: a reset recorded since has revoked it.
                let revoked_since = self
                    .vault
                    .account(apple_id)
                    .is_some_and(|a| a.resets.iter().any(|r| r.date > created))
                    || self
                        .revoke_alls
                        .iter()
                        .any(|(a, d)| *a == apple_id && *d > created);
                if !revoked_since {
                    self.apple.push(Row {
                        apple_id,
                        label: format!("L{label}"),
                        created,
                        current: true,
                    });
                }
            }
            // A label aspen already has for this Apple ID: the person picks another.
            Err(ModelError::DuplicateLabel { .. }) => {}
            Err(e) => panic!("add refused: {e}"),
        }
    }

    fn add_shared(&mut self, apple: usize, label: u8, of: usize) {
        let Some((id, ..)) = self.entry(of) else { return };
        let holder = self.vault.entry(&id).unwrap();
        let (Some(held), true) = (&holder.password, holder.is_active()) else {
            return;
        };
        let password =
            aspen::model::Password::parse(aspen::secret::SecretString::from(held.expose()), false).unwrap();
        let apple_id = holder.apple_id.clone();
        let _ = apple;
        let new = NewEntry {
            label: format!("L{label}"),
            apple_id,
            apps: vec!["Other".to_owned()],
            password: Some(password),
            created: self.today,
            notes: String::new(),
            uses: Vec::new(),
            team_id: String::new(),
        };
        // No new password at Apple: aspen never counts it twice.
        let refused = self.apply(Change::Add(new));
        assert!(
            matches!(
                refused,
                Err(ModelError::PasswordHeld { .. } | ModelError::DuplicateLabel { .. })
            ),
            "{refused:?}"
        );
    }

    fn regenerate(&mut self, of: usize, old: Old) {
        let Some((id, label, apple_id)) = self.entry(of) else {
            return;
        };
        let is_current = |r: &Row| r.apple_id == apple_id && r.label == label && r.current;
        let old_live = self.apple.iter().any(&is_current);
        let first = matches!(old, Old::RevokedFirst) && old_live;
        let room = self.listed(apple_id) - usize::from(first) < SLOT_LIMIT;
        if !room {
            return;
        }
        let password = asp(self.next_password);
        self.next_password += 1;
        let created = self.today;
        let done = self.apply(Change::Regenerate {
            id: id.clone(),
            password,
            created,
        });
        let Ok(Done::Regenerated {
            old_live: counted, ..
        }) = done
        else {
            return;
        };
        if first {
            self.drop_rows(|r| !is_current(r));
        }
        for r in self.apple.iter_mut().filter(|r| is_current(r)) {
            r.current = false;
        }
        self.apple.push(Row {
            apple_id,
            label: label.clone(),
            created,
            current: true,
        });
        // aspen asks whether the old one is revoked: the person says what they did.
        let revoked = matches!(old, Old::RevokedFirst | Old::RevokedAfter);
        if counted && revoked {
            self.apply(Change::RevokeOld(id)).unwrap();
            self.drop_rows(|r| !(r.apple_id == apple_id && r.label == label && !r.current));
        }
    }

    /// Apple's page as the person saves it, recorded with `--apply`.
    fn audit(&mut self, apple: usize) {
        let apple_id = APPLE_IDS[apple];
        if self.vault.account(apple_id).is_none() {
            return;
        }
        let listed: Vec<aspen::model::Listed> = self
            .apple
            .iter()
            .filter(|r| r.apple_id == apple_id)
            .map(|r| aspen::model::Listed {
                label: r.label.clone(),
                created: Some(r.created),
            })
            .collect();
        let diff = self.vault.compare_with_apple(apple_id, &listed).unwrap();
        self.apply(Change::Audit {
            apple_id: apple_id.to_owned(),
            revoked: diff.not_listed.iter().map(|id| (id.clone(), true)).collect(),
            listed_again: diff.listed_again,
            untracked: diff.unknown,
            old_revoked: diff.old_revoked,
            old_live: diff.old_live,
        })
        .unwrap();
    }

    fn agrees(&self, after: &Step) {
        let gauges = slots(&self.vault);
        for apple_id in APPLE_IDS {
            let apple = self.listed(apple_id);
            let gauge = gauges
                .iter()
                .find(|s| s.apple_id == apple_id)
                .map_or(0, |s| s.active);
            assert_eq!(
                gauge, apple,
                "{apple_id}'s gauge after {after:?}: {:?}",
                self.apple
            );
            assert_eq!(
                self.vault.active_count(apple_id),
                apple,
                "{apple_id} after {after:?}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(if crate::common::long_run() { 20_000 } else { 512 }))]

    #[test]
    fn every_gauge_equals_apples_page_after_every_step(steps in prop::collection::vec(step(), 1..60)) {
        let mut world = World::new();
        for s in &steps {
            world.run(s);
            world.agrees(s);
        }
    }
}
