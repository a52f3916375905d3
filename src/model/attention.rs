//! What needs the user's attention, and each Apple ID's slots. Computed from the
//! vault and "today", never stored.

use std::collections::HashMap;

use jiff::civil::Date;
use serde::Serialize;

use super::{AppleAccount, Entry, SLOT_LIMIT, Vault, days_between};

/// Why an entry needs attention. The kebab-case names are part of `--json` output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Attention {
    Regenerate,
    PredatesReset,
    Rejected,
    OverLimit,
    Stale,
    Malformed,
    Shared,
    PasswordNotStored,
    Conflict,
    /// Regenerated, and the password it replaced is still active at Apple.
    OldLive,
}

impl Attention {
    pub const ALL: [Attention; 10] = [
        Self::Regenerate,
        Self::PredatesReset,
        Self::Rejected,
        Self::OverLimit,
        Self::Stale,
        Self::Malformed,
        Self::Shared,
        Self::PasswordNotStored,
        Self::Conflict,
        Self::OldLive,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Regenerate => "regenerate",
            Self::PredatesReset => "predates-reset",
            Self::Rejected => "rejected",
            Self::OverLimit => "over-limit",
            Self::Stale => "stale",
            Self::Malformed => "malformed",
            Self::Shared => "shared",
            Self::PasswordNotStored => "password-not-stored",
            Self::Conflict => "conflict",
            Self::OldLive => "old-password-live",
        }
    }

    /// Why, in plain words, and what to do about it at Apple and in the apps. Where
    /// the remedy ends in storing a new password ([`Attention::regenerates`]) the text
    /// stops at "then store it": the command line and the TUI each name their own way
    /// to do that (`aspen regenerate`, a key).
    pub fn explain(self) -> &'static str {
        match self {
            Self::Regenerate => {
                "revoked while its apps still need a password: generate a new one at \
                 account.apple.com with the same label, enter it in the apps, then store it"
            }
            Self::PredatesReset => {
                "created before a recorded Apple ID password reset, so Apple has already \
                 revoked it: generate a new one, enter it in the apps, then store it"
            }
            Self::Rejected => {
                "Apple rejected it when aspen signed in with it: revoked outside aspen? Record the \
                 revoke (dated today unless you know the day), generate a new one at \
                 account.apple.com with the same label, enter it in the apps, then store it"
            }
            Self::OverLimit => {
                "its Apple ID has more than 25 active entries in the vault, more than Apple \
                 allows: compare with Apple's list and revoke the ones that are gone"
            }
            Self::Stale => {
                "older than the rotation age in the config: generate a fresh one, then revoke \
                 this one at Apple"
            }
            Self::Malformed => {
                "the stored password does not have Apple's xxxx-xxxx-xxxx-xxxx shape: check it \
                 against the app, or regenerate it"
            }
            Self::Shared => {
                "the same password is stored in another active entry: one password per app \
                 makes revoking precise (informational)"
            }
            Self::PasswordNotStored => {
                "Apple lists it but aspen does not hold its password: revoke it at Apple if no \
                 app uses it, or generate a new one and store it"
            }
            Self::Conflict => {
                "a merge with another copy of the vault left a choice to make: see what differs \
                 and keep one side"
            }
            Self::OldLive => {
                "regenerated, but the password it replaced is still active at Apple: both take a \
                 slot, and Apple lists the label twice. Revoke the older one at account.apple.com, \
                 then record it revoked"
            }
        }
    }

    /// True when storing a new password for the entry (regenerate) resolves it.
    pub fn regenerates(self) -> bool {
        matches!(
            self,
            Self::Regenerate | Self::PredatesReset | Self::Rejected | Self::PasswordNotStored
        )
    }

    /// Advice, not an alarm: Apple never expires an app-specific password, and a
    /// shared one works. `check` fails on these only with `--strict`.
    pub fn is_advice(self) -> bool {
        matches!(self, Self::Stale | Self::Shared)
    }

    fn bit(self) -> u16 {
        1 << (self as u8)
    }
}

/// A small set of [`Attention`] reasons.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AttentionSet(u16);

impl AttentionSet {
    pub fn insert(&mut self, a: Attention) {
        self.0 |= a.bit();
    }

    pub fn contains(self, a: Attention) -> bool {
        self.0 & a.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// True when something other than advice is set.
    pub fn needs_action(self) -> bool {
        self.iter().any(|a| !a.is_advice())
    }

    pub fn iter(self) -> impl Iterator<Item = Attention> {
        Attention::ALL.into_iter().filter(move |a| self.contains(*a))
    }
}

/// The user's rotation policy (from the config).
#[derive(Clone, Copy, Debug)]
pub struct Policy {
    /// Entries older than this many days are `stale`; 0 turns the check off.
    pub rotation_days: u32,
}

/// Off: Apple never expires an app-specific password, so an age is only a
/// preference the user opts into.
impl Default for Policy {
    fn default() -> Self {
        Self { rotation_days: 0 }
    }
}

/// The attention reasons of every entry, in the order of `vault.entries`.
pub fn analyse(vault: &Vault, today: Date, policy: Policy) -> Vec<AttentionSet> {
    // Looked up once per entry: a scan of the Apple IDs each time would be quadratic.
    let mut accounts: HashMap<&str, &AppleAccount> = HashMap::with_capacity(vault.accounts.len());
    for a in &vault.accounts {
        accounts.entry(a.apple_id.as_str()).or_insert(a);
    }
    // Apple's count: one password held by several active entries is one slot.
    let mut active_per_id: HashMap<&str, usize> = HashMap::new();
    let mut password_uses: HashMap<&str, usize> = HashMap::new();
    let mut rows: std::collections::HashSet<(&str, &str)> = std::collections::HashSet::new();
    for e in vault.entries.iter().filter(|e| e.is_active()) {
        let new_row = e
            .password
            .as_ref()
            .is_none_or(|p| rows.insert((e.apple_id.as_str(), p.expose())));
        if new_row {
            *active_per_id.entry(e.apple_id.as_str()).or_default() += 1;
        }
        if let Some(p) = &e.password {
            *password_uses.entry(p.expose()).or_default() += 1;
        }
    }
    // The old passwords of regenerated entries that Apple still holds, and a second
    // new password a merge kept beside one.
    for e in vault
        .entries
        .iter()
        .filter(|e| !e.superseded.is_empty() || !e.conflicts.is_empty())
    {
        *active_per_id.entry(e.apple_id.as_str()).or_default() += vault.extra_rows(e);
    }
    vault
        .entries
        .iter()
        .map(|e| {
            let mut set = AttentionSet::default();
            if e.needs_replacement() {
                set.insert(Attention::Regenerate);
            }
            if !e.conflicts.is_empty() {
                set.insert(Attention::Conflict);
            }
            if vault.live_old(e) > 0 {
                set.insert(Attention::OldLive);
            }
            if e.is_active() {
                if accounts
                    .get(e.apple_id.as_str())
                    .is_some_and(|a| predates_reset(a, e))
                {
                    set.insert(Attention::PredatesReset);
                }
                if e.rejected_by_apple() {
                    set.insert(Attention::Rejected);
                }
                if active_per_id.get(e.apple_id.as_str()).copied().unwrap_or(0) > SLOT_LIMIT {
                    set.insert(Attention::OverLimit);
                }
                if policy.rotation_days > 0
                    && days_between(e.created, today) > i64::from(policy.rotation_days)
                {
                    set.insert(Attention::Stale);
                }
                match &e.password {
                    None => set.insert(Attention::PasswordNotStored),
                    Some(p) if !p.is_well_formed() => set.insert(Attention::Malformed),
                    Some(_) => {}
                }
                if e.password
                    .as_ref()
                    .is_some_and(|p| password_uses.get(p.expose()).copied().unwrap_or(0) > 1)
                {
                    set.insert(Attention::Shared);
                }
            }
            set
        })
        .collect()
}

/// Active, yet created before a recorded reset of its Apple ID. A password created on
/// the reset day itself counts only if it was recorded before the reset was: Apple
/// shows dates, not times, and one generated after the reset that same day is valid.
fn predates_reset(account: &AppleAccount, e: &Entry) -> bool {
    account
        .resets
        .iter()
        .any(|r| e.created < r.date || (e.created == r.date && e.activated_seq < r.seq))
}

/// One Apple ID's share of Apple's 25 slots.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Slots {
    pub apple_id: String,
    /// The name the user gave the Apple ID; empty for none.
    pub name: String,
    /// The iCloud Mail address its mail apps sign in with: the Apple ID itself, or
    /// the one recorded for it; `None` when aspen does not know it.
    pub mail: Option<String>,
    /// When aspen's list was last checked against Apple's page.
    pub last_audit: Option<Date>,
    pub active: usize,
    pub to_regenerate: usize,
    pub limit: usize,
    pub free: usize,
}

impl Slots {
    /// "me@icloud.com (me)", or the Apple ID alone.
    pub fn shown(&self) -> String {
        if self.name.is_empty() {
            self.apple_id.clone()
        } else {
            format!("{} ({})", self.apple_id, self.name)
        }
    }

    /// More active passwords than Apple allows: the vault and Apple's page differ, and
    /// an audit or a revoke is what helps, not a regeneration.
    pub fn over_limit(&self) -> bool {
        self.active > self.limit
    }

    /// Regenerating everything that waits would need more slots than Apple allows.
    pub fn regeneration_overflows(&self) -> bool {
        self.active + self.to_regenerate > self.limit
    }
}

/// Slots per Apple ID, in Apple ID order. One pass over the entries: the TUI
/// recounts them at every vault change, and a vault may hold thousands of Apple IDs.
pub fn slots(vault: &Vault) -> Vec<Slots> {
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::with_capacity(vault.accounts.len());
    // One password held by several active entries of an Apple ID is one slot, as
    // Apple's page lists it once.
    let mut live: std::collections::HashSet<(&str, &str)> = std::collections::HashSet::new();
    for e in &vault.entries {
        let (active, to_regenerate) = counts.entry(e.apple_id.as_str()).or_default();
        if e.is_active() {
            let new_row = e
                .password
                .as_ref()
                .is_none_or(|p| live.insert((e.apple_id.as_str(), p.expose())));
            if new_row {
                *active += 1;
            }
        } else if e.needs_replacement() {
            *to_regenerate += 1;
        }
        *active += vault.extra_rows(e);
    }
    vault
        .accounts
        .iter()
        .map(|a| {
            let (active, to_regenerate) = counts.get(a.apple_id.as_str()).copied().unwrap_or_default();
            Slots {
                apple_id: a.apple_id.clone(),
                name: a.name.clone(),
                mail: a.mail_address(),
                last_audit: a.last_audit().map(|x| x.date),
                active,
                to_regenerate,
                limit: SLOT_LIMIT,
                free: SLOT_LIMIT.saturating_sub(active),
            }
        })
        .collect()
}
