//! Verifying stored passwords by signing in with them (`crate::verify`): which
//! entries, over which protocol, one attempt each, one after another with a pause,
//! and the answers recorded through [`super::change`] like every other change, so
//! they merge across machines. Nothing here prints or names a command.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use jiff::civil::Date;

use super::{Consent, change};
use crate::error::Result;
pub use crate::model::NotRecorded;
use crate::model::{
    Answer, Change, Done, Entry, EntryId, Password, SignIn, Status, Use, Vault, label_order,
    normalise_apple_id,
};
use crate::secret::SecretString;
use crate::storage::VaultPaths;
use crate::verify::{Endpoints, Outcome, sign_in};

/// The pause between two sign-ins unless told otherwise: sign-ins in quick
/// succession, failed ones above all, are what makes Apple lock an Apple ID.
pub const DEFAULT_PAUSE: Duration = Duration::from_secs(3);

/// Which entries to verify.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    All,
    AppleId(String),
    /// One entry, by its id.
    Entry(EntryId),
    /// These labels, in this order; `apple_id` picks among entries of one label.
    Labels {
        labels: Vec<String>,
        apple_id: Option<String>,
    },
}

/// Why an entry is not signed in with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Skip {
    /// aspen does not hold its password.
    NoPassword,
    /// Revoked, its apps waiting for a new password.
    Revoked,
    /// Revoked, and no app needs it any more.
    Retired,
}

impl Skip {
    pub fn name(self) -> &'static str {
        match self {
            Self::NoPassword => "password-not-stored",
            Self::Revoked => "revoked",
            Self::Retired => "retired",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Self::NoPassword => "aspen does not hold its password",
            Self::Revoked => "it is revoked (Apple would refuse it)",
            Self::Retired => "it is revoked and retired",
        }
    }
}

/// One entry to sign in with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub id: EntryId,
    pub label: String,
    pub apple_id: String,
    pub over: SignIn,
    /// The user name sent: the Apple ID, or the iCloud Mail address for IMAP.
    pub user: String,
    /// Where the sign-in goes (`https://…/`, `host:port`).
    pub address: String,
    /// Its apps use mail, but aspen knows no iCloud Mail address for its Apple ID
    /// (it is not an iCloud address, and none is recorded for it): verified over
    /// CalDAV instead.
    pub mail_over_caldav: bool,
    /// The entry's `activated_seq`: which password this is about.
    pub seq: u64,
}

/// An entry of the selection: signed in with, or skipped and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Planned {
    Try(Target),
    Skip {
        label: String,
        apple_id: String,
        why: Skip,
    },
}

/// What one entry's verification came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    Tried {
        target: Target,
        outcome: Outcome,
        /// Another selected entry of the same Apple ID holds the same password: its
        /// sign-in answered for this one too (its label).
        same_as: Option<String>,
        /// Set when an answer could not be recorded.
        not_recorded: Option<NotRecorded>,
    },
    Skipped {
        label: String,
        apple_id: String,
        why: Skip,
    },
    /// Cancelled before its turn.
    NotTried(Target),
}

/// What to verify, where, and how fast.
pub struct Run<'a> {
    pub selection: &'a Selection,
    pub endpoints: &'a Endpoints,
    pub pace: Pace<'a>,
}

/// How the sign-ins are paced, and how to stop them.
pub struct Pace<'a> {
    /// Between two sign-ins.
    pub pause: Duration,
    /// Set from another thread to stop before the next sign-in (or during a pause).
    pub cancel: &'a AtomicBool,
}

/// What is happening, for a front end to show as it happens.
pub enum Progress<'a> {
    /// About to sign in with the `n`th of `of` targets (counting from 1).
    Trying { target: &'a Target, n: usize, of: usize },
    Done {
        target: &'a Target,
        outcome: &'a Outcome,
    },
}

/// The entries `selection` names, in its order (an Apple ID's or all: by Apple ID,
/// then label), each planned or skipped. Unknown labels are refused.
pub fn plan(vault: &Vault, selection: &Selection, endpoints: &Endpoints) -> Result<Vec<Planned>> {
    let entries: Vec<&Entry> = match selection {
        Selection::All => sorted(vault.entries.iter().collect()),
        Selection::AppleId(id) => {
            let id = normalise_apple_id(id)?;
            if vault.account(&id).is_none() {
                return Err(crate::model::ModelError::UnknownAppleId {
                    apple_id: id,
                    known: vault.accounts.iter().map(|a| a.apple_id.clone()).collect(),
                }
                .into());
            }
            sorted(vault.entries.iter().filter(|e| e.apple_id == id).collect())
        }
        Selection::Entry(id) => {
            vec![
                vault
                    .entry(id)
                    .ok_or_else(|| crate::model::ModelError::UnknownEntry {
                        id: id.as_str().to_owned(),
                    })?,
            ]
        }
        Selection::Labels { labels, apple_id } => {
            let mut seen = HashSet::new();
            let mut found = Vec::new();
            for label in labels {
                let id = vault.find(label, apple_id.as_deref())?.id.clone();
                if seen.insert(id.clone())
                    && let Some(e) = vault.entry(&id)
                {
                    found.push(e);
                }
            }
            found
        }
    };
    Ok(entries
        .into_iter()
        .map(|e| planned(e, vault.mail_address(&e.apple_id), endpoints))
        .collect())
}

fn sorted(mut entries: Vec<&Entry>) -> Vec<&Entry> {
    entries.sort_by(|a, b| {
        a.apple_id
            .cmp(&b.apple_id)
            .then_with(|| label_order(&a.label, &b.label))
    });
    entries
}

/// `mail`: the iCloud Mail address of its Apple ID, when aspen knows it.
fn planned(e: &Entry, mail: Option<String>, endpoints: &Endpoints) -> Planned {
    let skip = |why| Planned::Skip {
        label: e.label.clone(),
        apple_id: e.apple_id.clone(),
        why,
    };
    match e.status {
        Status::Revoked {
            needs_replacement: true,
            ..
        } => return skip(Skip::Revoked),
        Status::Revoked { .. } => return skip(Skip::Retired),
        Status::Active => {}
    }
    if e.password.is_none() {
        return skip(Skip::NoPassword);
    }
    let uses_mail = e.uses.contains(&Use::Mail);
    let (over, user) = match mail {
        Some(address) if uses_mail => (SignIn::Imap, address),
        _ => (SignIn::Caldav, e.apple_id.clone()),
    };
    Planned::Try(Target {
        id: e.id.clone(),
        label: e.label.clone(),
        apple_id: e.apple_id.clone(),
        over,
        user,
        address: endpoints.address(over),
        mail_over_caldav: uses_mail && over == SignIn::Caldav,
        seq: e.activated_seq,
    })
}

/// Signs in once with each selected entry's password, one after another with
/// `pace.pause` between sign-ins, and records each answer (works, rejected) in the
/// entry's history under the lock; no answer (unreachable, a TLS failure) records
/// nothing. A rejected password is never tried again. Returns what each entry came
/// to, in the order of the selection.
pub fn verify(
    paths: &VaultPaths,
    today: Date,
    consent: Consent,
    passphrase: impl FnOnce() -> Result<SecretString>,
    run: &Run<'_>,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Vec<Item>> {
    let mut unanswered = Vec::new();
    let ask = |vault: &Vault| -> Result<Option<Vec<Item>>> {
        let planned = plan(vault, run.selection, run.endpoints)?;
        let passwords = Passwords::of(vault, &planned);
        let items = sign_ins(planned, &passwords, run, progress);
        if items.iter().any(|i| answer_of(i).is_some()) {
            Ok(Some(items))
        } else {
            unanswered = items;
            Ok(None)
        }
    };
    let record_them = |vault: &mut Vault, mut items: Vec<Item>| -> Result<Vec<Item>> {
        record(vault, &mut items, today);
        Ok(items)
    };
    let recorded = change(paths, today, consent, passphrase, ask, record_them)?;
    Ok(recorded.unwrap_or(unanswered))
}

/// Records in `vault` the answers among `items` (works, rejected) as history lines
/// dated `today`, through the vault's one change for them ([`Change::Verified`]),
/// and marks on each item an answer that could not be recorded (the entry holds
/// another password now, or is gone).
pub fn record(vault: &mut Vault, items: &mut [Item], today: Date) {
    let answers = answers(items);
    if answers.is_empty() {
        return;
    }
    let Ok(Done::Verified { noted }) = vault.apply(Change::Verified(answers), today, &mut std::iter::empty())
    else {
        return;
    };
    let mut noted = noted.into_iter();
    for item in items.iter_mut() {
        if answer_of(item).is_none() {
            continue;
        }
        if let (Item::Tried { not_recorded, .. }, Some(n)) = (item, noted.next()) {
            *not_recorded = n.missed;
        }
    }
}

/// The answers among `items` to record (works, rejected), in their order: what a
/// front end that keeps the vault open records with [`Change::Verified`].
pub fn answers(items: &[Item]) -> Vec<Answer> {
    items.iter().filter_map(answer_of).collect()
}

fn answer_of(item: &Item) -> Option<Answer> {
    match item {
        Item::Tried { target, outcome, .. } if outcome.is_answer() => Some(Answer {
            id: target.id.clone(),
            seq: target.seq,
            over: target.over,
            accepted: *outcome == Outcome::Works,
        }),
        _ => None,
    }
}

/// Copies of the planned entries' passwords, zeroized when dropped: what the
/// sign-ins need, apart from the vault (a front end may run them on a thread of
/// their own while the vault stays where it is).
pub struct Passwords(Vec<(EntryId, Password)>);

impl Passwords {
    pub fn of(vault: &Vault, planned: &[Planned]) -> Self {
        Self(
            planned
                .iter()
                .filter_map(|p| match p {
                    Planned::Try(t) => vault
                        .entry(&t.id)
                        .and_then(|e| e.password.as_ref())
                        .map(|pw| (t.id.clone(), pw.duplicate())),
                    Planned::Skip { .. } => None,
                })
                .collect(),
        )
    }

    fn get(&self, id: &EntryId) -> Option<&Password> {
        self.0.iter().find(|(i, _)| i == id).map(|(_, p)| p)
    }
}

/// The sign-ins themselves, paced, in the order planned; a password already signed
/// in with (another entry of the same Apple ID holds it) is not sent again. Stops
/// before the next sign-in once `run.pace.cancel` is set.
pub fn sign_ins(
    planned: Vec<Planned>,
    passwords: &Passwords,
    run: &Run<'_>,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Vec<Item> {
    let pace = &run.pace;
    let of = planned.iter().filter(|p| matches!(p, Planned::Try(_))).count();
    let mut items: Vec<Item> = Vec::with_capacity(planned.len());
    let mut last_sign_in: Option<Instant> = None;
    let mut n = 0;
    for p in planned {
        let target = match p {
            Planned::Skip { label, apple_id, why } => {
                items.push(Item::Skipped { label, apple_id, why });
                continue;
            }
            Planned::Try(target) => target,
        };
        n += 1;
        let Some(password) = passwords.get(&target.id) else {
            continue;
        };
        if let Some((label, outcome)) = answered_by(passwords, &items, &target, password) {
            items.push(Item::Tried {
                target,
                outcome,
                same_as: Some(label),
                not_recorded: None,
            });
            continue;
        }
        if let Some(at) = last_sign_in {
            wait(at + pace.pause, pace.cancel);
        }
        if pace.cancel.load(Ordering::SeqCst) {
            items.push(Item::NotTried(target));
            continue;
        }
        progress(Progress::Trying {
            target: &target,
            n,
            of,
        });
        let outcome = sign_in(run.endpoints, target.over, &target.user, password.expose());
        last_sign_in = Some(Instant::now());
        progress(Progress::Done {
            target: &target,
            outcome: &outcome,
        });
        items.push(Item::Tried {
            target,
            outcome,
            same_as: None,
            not_recorded: None,
        });
    }
    items
}

/// The answer an earlier sign-in gave for the same password of the same Apple ID,
/// the same way, with the label it was given for.
fn answered_by(
    passwords: &Passwords,
    items: &[Item],
    target: &Target,
    password: &Password,
) -> Option<(String, Outcome)> {
    items.iter().find_map(|item| match item {
        Item::Tried {
            target: t,
            outcome,
            same_as: None,
            ..
        } if t.apple_id == target.apple_id
            && t.over == target.over
            && t.user == target.user
            && outcome.is_answer()
            && passwords.get(&t.id) == Some(password) =>
        {
            Some((t.label.clone(), outcome.clone()))
        }
        _ => None,
    })
}

/// Sleeps until `until`, waking early when `cancel` is set.
fn wait(until: Instant, cancel: &AtomicBool) {
    const STEP: Duration = Duration::from_millis(50);
    loop {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() || cancel.load(Ordering::SeqCst) {
            return;
        }
        std::thread::sleep(left.min(STEP));
    }
}
