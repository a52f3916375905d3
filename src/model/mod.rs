//! The domain: Apple IDs, their app-specific passwords, and Apple's rules.
//!
//! Nothing here does I/O or reads the clock: "today" and new entry ids are passed in,
//! so every rule can be tested with fixed dates.

mod accounts;
mod attention;
mod audit;
mod audit_rows;
mod change;
mod conflict;
mod dates;
mod error;
mod import;
mod mail;
mod merge;
mod notary;
mod ops;
mod overlap;
mod password;
mod recovery;
mod retire;
mod revert;
mod setup;
mod stamp;
mod validate;
mod verified;
mod withdraw;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub use accounts::phone_respellings;
pub use attention::{Attention, AttentionSet, Policy, Slots, analyse, slots};
pub use audit::{AuditDecisions, AuditDiff, Listed, parse_apple_date, parse_listed};
pub use audit_rows::ExpectedRow;
pub use change::{Change, Done, ResetKind};
pub use conflict::{Conflict, Keep};
pub use dates::{EARLIEST, check_date, not_too_early, parse_date};
pub use error::{Fold, ModelError};
pub use import::{ImportOutcome, Imported, NotImported};
pub use mail::validate_icloud_mail;
pub use merge::{MergeReport, merge};
pub use notary::{NotarySetup, TEAM_ID_CHARS, TeamIdProblem, notary_setup, team_id_for, validate_team_id};
pub use ops::{Edit, NewEntry};

pub use password::{Password, PasswordError, ShapeProblem, shape_problem};
pub use recovery::{RecoveryKey, RemovedRecoveryKey};
pub use revert::{Unrevertable, news, revert};
pub use setup::{Service, Setting, icloud_mail_address, setup_card, setup_card_for};
pub use stamp::{Clock, Dot, Field, MachineId, Stamps, Tombstone, next_save, stamp, stamp_as};
pub use validate::{normalise_apple_id, validate_app, validate_label, validate_name, validate_notes};
pub use verified::{Answer, NotRecorded, Noted, Recorded, SignIn, Verification};
pub use withdraw::Withdrawn;

/// Apple allows at most this many active app-specific passwords per Apple ID.
pub const SLOT_LIMIT: usize = 25;

/// A stable random id: survives renames, so history and the TUI selection follow it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EntryId(String);

impl EntryId {
    /// Builds an id from 16 random bytes supplied by the caller (the model does no I/O).
    pub fn from_random(bytes: [u8; 16]) -> Self {
        Self(hex::encode(bytes))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A vault's random id: tells copies of one vault from different vaults, and keys
/// what a machine remembers of it (it names a file in the state folder). Empty until
/// the first save assigns one (a vault upgraded from format 1 has none). Read back
/// only in the shape aspen writes, 32 lowercase hex digits: a planted `../` never
/// reaches a path.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct VaultId(String);

impl From<VaultId> for String {
    fn from(id: VaultId) -> String {
        id.0
    }
}

impl TryFrom<String> for VaultId {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        let hex = text.len() == 32 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if text.is_empty() || hex {
            Ok(Self(text))
        } else {
            Err("a vault id is 32 lowercase hex digits".to_owned())
        }
    }
}

impl VaultId {
    pub fn from_random(bytes: [u8; 16]) -> Self {
        Self(hex::encode(bytes))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_unset(&self) -> bool {
        self.0.is_empty()
    }
}

/// One Apple ID and the password resets recorded for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppleAccount {
    pub apple_id: String,
    /// How the user calls it ("me", "family", "work"); empty for none.
    pub name: String,
    /// Its iCloud Mail address, when the Apple ID is not one itself (format 3);
    /// empty for none. Mail apps sign in with it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub mail: String,
    pub resets: Vec<Reset>,
    /// Each Revoke All recorded (format 3): which old passwords of regenerated
    /// entries it revoked. Written only when there is one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revoke_alls: Vec<Reset>,
    /// Resets (and Revoke Alls) withdrawn as recorded by mistake: remembered so that a merge with a
    /// copy made before the withdrawal does not bring them back.
    pub withdrawn: Vec<Reset>,
    /// Each time the user checked aspen's list against Apple's page.
    pub audits: Vec<Audit>,
    pub stamps: Stamps,
}

impl AppleAccount {
    pub fn new(apple_id: String) -> Self {
        Self {
            apple_id,
            name: String::new(),
            mail: String::new(),
            resets: Vec::new(),
            revoke_alls: Vec::new(),
            withdrawn: Vec::new(),
            audits: Vec::new(),
            stamps: Stamps::default(),
        }
    }

    pub fn last_audit(&self) -> Option<&Audit> {
        self.audits.iter().max_by_key(|a| a.date)
    }
}

/// "On `date` the user compared aspen's list with Apple's page", and what came of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audit {
    pub date: Date,
    /// What changed, in words ("1 revoked at Apple, 1 untracked recorded").
    pub outcome: String,
}

/// What an app uses an app-specific password for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Use {
    Mail,
    Calendar,
    Contacts,
    /// Notarizing macOS apps with Xcode's `notarytool` (format 3).
    Notarization,
}

impl Use {
    pub const ALL: [Self; 4] = [Self::Mail, Self::Calendar, Self::Contacts, Self::Notarization];

    pub fn name(self) -> &'static str {
        match self {
            Self::Mail => "mail",
            Self::Calendar => "calendar",
            Self::Contacts => "contacts",
            Self::Notarization => "notarization",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|u| u.name().eq_ignore_ascii_case(text.trim()))
    }
}

/// "I changed my Apple ID password on `date`". `seq` orders it against entries
/// activated the same day (Apple shows dates, not times).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reset {
    pub date: Date,
    pub seq: u64,
}

/// Why an entry was revoked at Apple.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RevokeReason {
    Manual,
    RevokeAll,
    AppleIdReset,
}

impl RevokeReason {
    pub fn name(self) -> &'static str {
        match self {
            Self::Manual => "manual",
            Self::RevokeAll => "revoke-all",
            Self::AppleIdReset => "apple-id-reset",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Self::Manual => "revoked by hand",
            Self::RevokeAll => "revoked by Revoke All",
            Self::AppleIdReset => "revoked by an Apple ID password reset",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Active,
    Revoked {
        on: Date,
        reason: RevokeReason,
        /// The apps still need a password: the entry waits to be regenerated.
        needs_replacement: bool,
    },
}

impl Status {
    pub fn is_active(&self) -> bool {
        matches!(self, Self::Active)
    }

    pub fn name(&self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Revoked { .. } => "revoked",
        }
    }
}

/// One line of an entry's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEvent {
    pub date: Date,
    pub event: Event,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    Added,
    /// What changed, in words (never the password).
    Edited(String),
    Revoked {
        reason: RevokeReason,
        needs_replacement: bool,
    },
    Regenerated,
    /// aspen signed in `over` a protocol with the password recorded as `seq` (the
    /// entry's `activated_seq` then), and Apple accepted it or not.
    Verified {
        over: SignIn,
        accepted: bool,
        seq: u64,
    },
}

impl Event {
    pub fn describe(&self) -> String {
        match self {
            Self::Added => "added".to_owned(),
            Self::Edited(what) => format!("edited: {what}"),
            Self::Revoked {
                reason,
                needs_replacement,
            } => {
                let then = if *needs_replacement {
                    "apps still need a password"
                } else {
                    "apps retired"
                };
                format!("{} ({then})", reason.describe())
            }
            Self::Regenerated => "regenerated: new password stored".to_owned(),
            Self::Verified { over, accepted, .. } => format!(
                "verified over {}: Apple {} it",
                over.describe(),
                if *accepted { "accepted" } else { "rejected" }
            ),
        }
    }
}

/// A password an entry had before a regeneration, that Apple may still hold live:
/// the day it was made and when it was recorded (its `activated_seq` then), which
/// tell which recorded resets revoked it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Superseded {
    pub created: Date,
    pub activated_seq: u64,
}

/// One app-specific password as Apple lists it, plus what aspen knows about it.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: EntryId,
    /// Exactly as typed at Apple: it is what the user compares against Apple's list.
    pub label: String,
    pub apple_id: String,
    pub apps: Vec<String>,
    /// `None`: Apple lists it, but aspen was never given its password ("untracked").
    pub password: Option<Password>,
    /// The date Apple shows for it.
    pub created: Date,
    pub notes: String,
    /// What its apps use it for: decides which settings its setup card shows.
    pub uses: Vec<Use>,
    /// The Apple developer team id notarization signs in with (format 3); empty for
    /// none. Stamped with `uses`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub team_id: String,
    pub status: Status,
    /// Regenerated while its old password was active, and that one not yet recorded
    /// revoked (format 3): the created day of each old password that may still take
    /// a slot at Apple (see `overlap.rs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub superseded: Vec<Superseded>,
    pub history: Vec<HistoryEvent>,
    /// When the current password was recorded, in the vault's event order.
    pub activated_seq: u64,
    pub stamps: Stamps,
    /// What a merge left for the user to decide.
    pub conflicts: Vec<Conflict>,
}

impl Entry {
    pub fn is_active(&self) -> bool {
        self.status.is_active()
    }

    pub fn password_stored(&self) -> bool {
        self.password.is_some()
    }

    /// The stored password, or why there is none to copy or show.
    pub fn stored_password(&self) -> Result<&Password, ModelError> {
        self.password
            .as_ref()
            .ok_or_else(|| ModelError::PasswordNotStored {
                label: self.label.clone(),
            })
    }

    pub fn needs_replacement(&self) -> bool {
        matches!(
            self.status,
            Status::Revoked {
                needs_replacement: true,
                ..
            }
        )
    }
}

/// Everything the vault holds once decrypted.
#[derive(Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vault {
    pub id: VaultId,
    /// How many times the vault was saved, counting every machine's saves: a copy
    /// with a lower count than one seen before is older (a stale backup or sync).
    pub saves: u64,
    /// What the vault reflects of each machine's saves.
    pub clock: Clock,
    pub accounts: Vec<AppleAccount>,
    pub entries: Vec<Entry>,
    /// Deleted entries, so that a merge never brings one back.
    pub tombstones: Vec<Tombstone>,
    /// Recovery keys the payload is encrypted to besides the passphrase's (format
    /// 3, written only when there is one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recovery: Vec<RecoveryKey>,
    /// Recovery keys removed, so that a merge never brings one back (format 3).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recovery_removed: Vec<RemovedRecoveryKey>,
    /// Orders events recorded on the same calendar day.
    pub next_seq: u64,
}

impl Vault {
    pub fn account(&self, apple_id: &str) -> Option<&AppleAccount> {
        self.accounts.iter().find(|a| a.apple_id == apple_id)
    }

    pub fn entry(&self, id: &EntryId) -> Option<&Entry> {
        self.entries.iter().find(|e| &e.id == id)
    }

    /// What Apple's page counts for `apple_id`: each live password once, however
    /// many active entries hold it (one password used in several apps is one row and
    /// one slot at Apple), and each active entry without a stored password once.
    pub fn active_count(&self, apple_id: &str) -> usize {
        let mut seen = std::collections::HashSet::new();
        self.entries
            .iter()
            .filter(|e| e.apple_id == apple_id && e.is_active())
            .filter(|e| e.password.as_ref().is_none_or(|p| seen.insert(p.expose())))
            .count()
            + self
                .entries
                .iter()
                .filter(|e| e.apple_id == apple_id)
                .map(|e| self.extra_rows(e))
                .sum::<usize>()
    }

    /// The active entry of `apple_id` that holds `password`, if any: adding it again
    /// under another label would be a second entry for one password (one slot, one
    /// row at Apple), so every front end joins the apps to this one instead.
    pub fn holder_of(&self, apple_id: &str, password: &Password) -> Option<&Entry> {
        let apple_id = normalise_apple_id(apple_id).ok()?;
        self.entries
            .iter()
            .find(|e| e.apple_id == apple_id && e.is_active() && e.password.as_ref() == Some(password))
    }

    /// Checks the invariants the operations keep, for a vault read from disk.
    pub fn check_invariants(&self) -> Result<(), String> {
        // Sets, not `account()`: a scan of the Apple IDs per entry is quadratic, and a
        // vault may hold thousands of each.
        let mut accounts = std::collections::HashSet::with_capacity(self.accounts.len());
        if let Some(a) = self
            .accounts
            .iter()
            .find(|a| !accounts.insert(a.apple_id.as_str()))
        {
            return Err(format!("the Apple ID {} is listed twice", a.apple_id));
        }
        let mut seen = std::collections::HashSet::with_capacity(self.entries.len());
        for e in &self.entries {
            if !seen.insert((&e.apple_id, &e.label)) {
                return Err(format!(
                    "two entries share one label under one Apple ID (entry {})",
                    e.id.as_str()
                ));
            }
            if !accounts.contains(e.apple_id.as_str()) {
                return Err(format!(
                    "entry {} names an Apple ID the vault does not list",
                    e.id.as_str()
                ));
            }
        }
        let mut ids = std::collections::HashSet::with_capacity(self.entries.len());
        if let Some(e) = self.entries.iter().find(|e| !ids.insert(&e.id)) {
            return Err(format!("entry id {} appears twice", e.id.as_str()));
        }
        self.check_recovery()
    }
}

/// The order labels are listed in: natural, so "App 2" comes before "App 10", as
/// people number their apps, and without regard to case, so "iPad Calendar" comes
/// before "YouCanBook.me"; labels equal but for that stay apart by plain order.
pub fn label_order(a: &str, b: &str) -> std::cmp::Ordering {
    LabelKey::new(a).cmp(&LabelKey::new(b))
}

/// A label as a sort key in [`label_order`], lowercased once: for sorting many
/// (`sort_by_cached_key`), where `label_order` would lowercase both labels at every
/// comparison.
#[derive(Debug, PartialEq, Eq)]
pub struct LabelKey<'a> {
    lower: String,
    label: &'a str,
}

impl<'a> LabelKey<'a> {
    pub fn new(label: &'a str) -> Self {
        Self {
            lower: label.to_lowercase(),
            label,
        }
    }
}

impl Ord for LabelKey<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        alphanumeric_sort::compare_str(&self.lower, &other.lower)
            .then_with(|| alphanumeric_sort::compare_str(self.label, other.label))
            .then_with(|| self.label.cmp(other.label))
    }
}

impl PartialOrd for LabelKey<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: Date, to: Date) -> i64 {
    from.until(to).map(|span| i64::from(span.get_days())).unwrap_or(0)
}
