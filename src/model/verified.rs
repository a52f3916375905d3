//! What signing in with a stored password told: Apple accepted it, or rejected it.
//! Recorded as history lines ([`Event::Verified`]), so copies of the vault merge
//! them like any other history; the attention "Apple rejected it" is read from the
//! latest one about the password the entry holds now.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{Entry, EntryId, Event, HistoryEvent, ModelError, Vault};

/// How aspen signed in, the way an app would.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignIn {
    /// A WebDAV `PROPFIND` on the calendar server, over HTTPS.
    Caldav,
    /// `LOGIN` on the mail server, over TLS.
    Imap,
}

impl SignIn {
    /// The name in `--json` output and the vault.
    pub fn name(self) -> &'static str {
        match self {
            Self::Caldav => "caldav",
            Self::Imap => "imap",
        }
    }

    /// The protocol's name for people.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Caldav => "CalDAV",
            Self::Imap => "IMAP",
        }
    }
}

/// One sign-in's answer about an entry's current password.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verification {
    /// The day it was recorded.
    pub date: Date,
    pub over: SignIn,
    /// True: Apple accepted the password. False: Apple rejected it.
    pub accepted: bool,
}

/// What [`Vault::record_verification`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recorded {
    Yes,
    /// The entry holds another password now (regenerated meanwhile): what was
    /// learnt about the old one is not recorded against the new one.
    PasswordChanged,
}

impl Entry {
    /// The latest verification of the password the entry holds now; `None` when it
    /// was never verified (a verification of a password it held before does not
    /// count).
    pub fn last_verification(&self) -> Option<Verification> {
        self.history.iter().rev().find_map(|h| match h.event {
            Event::Verified { over, accepted, seq } if seq == self.activated_seq => Some(Verification {
                date: h.date,
                over,
                accepted,
            }),
            _ => None,
        })
    }

    /// Active, and the latest sign-in with its password was refused by Apple.
    pub fn rejected_by_apple(&self) -> bool {
        self.is_active() && self.last_verification().is_some_and(|v| !v.accepted)
    }
}

/// One sign-in's answer to record: signing in `over` a protocol with the password
/// entry `id` held as `seq` (its `activated_seq` then) was accepted or rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub id: EntryId,
    pub seq: u64,
    pub over: SignIn,
    pub accepted: bool,
}

/// Why an answer was not recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotRecorded {
    /// A new password was stored meanwhile (another aspen): the answer was about
    /// the old one.
    PasswordChanged,
    /// The entry was deleted meanwhile.
    Deleted,
}

/// What became of one answer of a [`super::Change::Verified`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Noted {
    pub answer: Answer,
    /// The entry's label (empty when it is gone).
    pub label: String,
    /// Set when the answer could not be recorded.
    pub missed: Option<NotRecorded>,
}

impl Vault {
    /// Records that signing in `over` a protocol with the password that entry `id`
    /// held when it was recorded as `seq` (its `activated_seq`) was accepted or
    /// rejected, on `today`. The status is not changed: a rejection is said as an
    /// attention, and the user records the revoke (they may know its day).
    pub fn record_verification(
        &mut self,
        id: &EntryId,
        seq: u64,
        over: SignIn,
        accepted: bool,
        today: Date,
    ) -> Result<Recorded, ModelError> {
        let entry = self
            .entries
            .iter_mut()
            .find(|e| &e.id == id)
            .ok_or(ModelError::UnknownEntry {
                id: id.as_str().to_owned(),
            })?;
        if entry.activated_seq != seq {
            return Ok(Recorded::PasswordChanged);
        }
        entry.history.push(HistoryEvent {
            date: today,
            event: Event::Verified { over, accepted, seq },
        });
        Ok(Recorded::Yes)
    }

    /// Records each answer as [`Vault::record_verification`] does, on `today`; an
    /// answer about a password replaced meanwhile, or an entry deleted meanwhile, is
    /// left out and said so. Never refused: each answer stands alone.
    pub fn record_answers(&mut self, answers: Vec<Answer>, today: Date) -> Vec<Noted> {
        answers
            .into_iter()
            .map(|a| {
                let missed = match self.record_verification(&a.id, a.seq, a.over, a.accepted, today) {
                    Ok(Recorded::Yes) => None,
                    Ok(Recorded::PasswordChanged) => Some(NotRecorded::PasswordChanged),
                    Err(_) => Some(NotRecorded::Deleted),
                };
                let label = self.entry(&a.id).map(|e| e.label.clone()).unwrap_or_default();
                Noted {
                    answer: a,
                    label,
                    missed,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NewEntry, Password, Status};
    use crate::secret::SecretString;

    fn day(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn vault_with_one() -> (Vault, EntryId) {
        let mut v = Vault::default();
        let id = EntryId::from_random([1; 16]);
        let new = NewEntry {
            label: "Thunderbird".into(),
            apple_id: "me@icloud.com".into(),
            apps: vec!["Thunderbird".into()],
            password: Some(Password::parse(SecretString::from("abcd-efgh-ijkl-mnop"), false).unwrap()),
            created: day("2026-01-01"),
            notes: String::new(),
            uses: vec![],
            team_id: String::new(),
        };
        v.add(id.clone(), new, day("2026-01-01")).unwrap();
        (v, id)
    }

    #[test]
    fn a_rejection_of_the_current_password_needs_attention_until_a_new_one_is_stored() {
        let (mut v, id) = vault_with_one();
        let seq = v.entry(&id).unwrap().activated_seq;
        assert_eq!(v.entry(&id).unwrap().last_verification(), None);
        v.record_verification(&id, seq, SignIn::Caldav, true, day("2026-02-01"))
            .unwrap();
        assert!(!v.entry(&id).unwrap().rejected_by_apple());
        v.record_verification(&id, seq, SignIn::Imap, false, day("2026-03-01"))
            .unwrap();
        let e = v.entry(&id).unwrap();
        assert!(e.rejected_by_apple());
        assert_eq!(
            e.last_verification(),
            Some(Verification {
                date: day("2026-03-01"),
                over: SignIn::Imap,
                accepted: false
            })
        );
        assert_eq!(
            e.history.last().unwrap().event.describe(),
            "verified over IMAP: Apple rejected it"
        );
        let new = Password::parse(SecretString::from("qrst-uvwx-yzab-cdef"), false).unwrap();
        v.regenerate(&id, new, day("2026-03-02"), day("2026-03-02"))
            .unwrap();
        let e = v.entry(&id).unwrap();
        assert!(!e.rejected_by_apple(), "the rejection was about the old password");
        assert_eq!(e.last_verification(), None);
    }

    #[test]
    fn a_result_about_a_password_replaced_meanwhile_is_not_recorded() {
        let (mut v, id) = vault_with_one();
        let old = v.entry(&id).unwrap().activated_seq;
        let new = Password::parse(SecretString::from("qrst-uvwx-yzab-cdef"), false).unwrap();
        v.regenerate(&id, new, day("2026-03-02"), day("2026-03-02"))
            .unwrap();
        let lines = v.entry(&id).unwrap().history.len();
        assert_eq!(
            v.record_verification(&id, old, SignIn::Caldav, false, day("2026-03-02")),
            Ok(Recorded::PasswordChanged)
        );
        assert_eq!(v.entry(&id).unwrap().history.len(), lines);
    }

    #[test]
    fn a_revoked_entry_is_not_flagged_as_rejected() {
        let (mut v, id) = vault_with_one();
        let seq = v.entry(&id).unwrap().activated_seq;
        v.record_verification(&id, seq, SignIn::Caldav, false, day("2026-02-01"))
            .unwrap();
        v.entries[0].status = Status::Revoked {
            on: day("2026-02-01"),
            reason: crate::model::RevokeReason::Manual,
            needs_replacement: true,
        };
        assert!(!v.entry(&id).unwrap().rejected_by_apple());
    }
}
