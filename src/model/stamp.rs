//! Change stamps: what lets two copies of one vault be merged without a common
//! ancestor (a sync tool's conflict copy). Each machine that saves has a random id
//! and counts its saves; a vault, an entry and an Apple ID carry a version vector
//! (per machine, the highest save of it they reflect), and each field the dot
//! (machine, save) of its last change. Whether one side already saw the other's
//! change is then a comparison of counters, never of wall-clock times, which differ
//! between machines.
//!
//! Stamps are set when a change is saved, by comparing the vault with the version it
//! was read from ([`stamp`]); the operations themselves know nothing of them.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{AppleAccount, Entry, EntryId, Vault};

/// A machine's random id, kept in its state folder; written as 16 lowercase hex
/// digits. A number in memory: every entry carries a few, and parsing thousands of
/// entries must not allocate a string for each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MachineId(u64);

impl MachineId {
    pub fn from_random(bytes: [u8; 8]) -> Self {
        Self(u64::from_be_bytes(bytes))
    }

    /// An id read back from the state folder or a vault; `None` unless it is one
    /// aspen wrote.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let hex_digits = text.len() == 16
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        hex_digits.then(|| u64::from_str_radix(text, 16).ok().map(Self))?
    }

    pub fn hex(self) -> String {
        format!("{:016x}", self.0)
    }
}

impl Serialize for MachineId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.hex())
    }
}

impl<'de> Deserialize<'de> for MachineId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Hex;
        impl serde::de::Visitor<'_> for Hex {
            type Value = MachineId;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a machine id of 16 lowercase hex digits")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<MachineId, E> {
                MachineId::parse(v).ok_or_else(|| E::invalid_value(serde::de::Unexpected::Str(v), &self))
            }
        }
        deserializer.deserialize_str(Hex)
    }
}

/// The `n`th save of `machine`: when a field last changed. Written as a pair.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "(MachineId, u64)", into = "(MachineId, u64)")]
pub struct Dot {
    pub machine: MachineId,
    pub n: u64,
}

impl From<(MachineId, u64)> for Dot {
    fn from((machine, n): (MachineId, u64)) -> Self {
        Self { machine, n }
    }
}

impl From<Dot> for (MachineId, u64) {
    fn from(d: Dot) -> Self {
        (d.machine, d.n)
    }
}

/// A version vector: per machine, the highest of its saves reflected. Written as a
/// map; kept as a short sorted list (one allocation, usually one or two machines).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Clock(Vec<(MachineId, u64)>);

impl Clock {
    pub fn get(&self, machine: &MachineId) -> u64 {
        match self.0.binary_search_by_key(machine, |(m, _)| *m) {
            Ok(i) => self.0[i].1,
            Err(_) => 0,
        }
    }

    pub fn set(&mut self, machine: &MachineId, n: u64) {
        match self.0.binary_search_by_key(machine, |(m, _)| *m) {
            Ok(i) => self.0[i].1 = n,
            Err(i) => self.0.insert(i, (*machine, n)),
        }
    }

    /// Whether the change `dot` is among what this clock reflects.
    pub fn covers(&self, dot: &Dot) -> bool {
        self.get(&dot.machine) >= dot.n
    }

    /// Everything `other` reflects is reflected here too.
    pub fn dominates(&self, other: &Clock) -> bool {
        other.0.iter().all(|(m, n)| self.get(m) >= *n)
    }

    /// The pointwise maximum: what either side has seen.
    pub fn join(&self, other: &Clock) -> Clock {
        let mut out = self.clone();
        for (m, n) in &other.0 {
            if out.get(m) < *n {
                out.set(m, *n);
            }
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Clock {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (m, n) in &self.0 {
            map.serialize_entry(m, n)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Clock {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Pairs;
        impl<'de> serde::de::Visitor<'de> for Pairs {
            type Value = Clock;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a map of machine ids to save numbers")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Clock, A::Error> {
                let mut clock = Clock(Vec::with_capacity(map.size_hint().unwrap_or(1).min(64)));
                while let Some((m, n)) = map.next_entry::<MachineId, u64>()? {
                    // A machine named twice keeps its highest count.
                    if clock.get(&m) < n {
                        clock.set(&m, n);
                    }
                }
                Ok(clock)
            }
        }
        deserializer.deserialize_map(Pairs)
    }
}

/// The parts of an entry (or of an Apple ID) that change independently.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Field {
    Label,
    AppleId,
    Apps,
    /// The password with its creation date and activation order: a regeneration
    /// changes them together.
    Password,
    Status,
    Notes,
    Uses,
    /// An Apple ID's display name.
    Name,
    /// What a merge left to decide: resolving is a change the next merge must see.
    Conflicts,
}

impl Field {
    pub fn name(self) -> &'static str {
        match self {
            Self::Label => "label",
            Self::AppleId => "Apple ID",
            Self::Apps => "apps",
            Self::Password => "password",
            Self::Status => "status",
            Self::Notes => "notes",
            Self::Uses => "uses",
            Self::Name => "name",
            Self::Conflicts => "conflicts",
        }
    }
}

/// An entry's or Apple ID's version vector and the dot of each field's last change:
/// `origin` for every field not changed since it was made, `fields` for the others.
/// Neither: unchanged since the vault was upgraded from format 1.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamps {
    pub clock: Clock,
    pub origin: Option<Dot>,
    pub fields: BTreeMap<Field, Dot>,
}

impl Stamps {
    /// When `field` last changed, if known.
    pub fn dot(&self, field: Field) -> Option<&Dot> {
        self.fields.get(&field).or(self.origin.as_ref())
    }

    fn touch(&mut self, fields: &[Field], dot: &Dot) {
        self.clock.set(&dot.machine, dot.n);
        for f in fields {
            self.fields.insert(*f, dot.clone());
        }
    }

    fn made(dot: &Dot) -> Self {
        let mut clock = Clock::default();
        clock.set(&dot.machine, dot.n);
        Self {
            clock,
            origin: Some(dot.clone()),
            fields: BTreeMap::new(),
        }
    }
}

/// What an entry has (an Apple ID has only a name).
const ENTRY_FIELDS: [Field; 8] = [
    Field::Label,
    Field::AppleId,
    Field::Apps,
    Field::Password,
    Field::Status,
    Field::Notes,
    Field::Uses,
    Field::Conflicts,
];

/// A deleted entry, remembered so a merge never brings it back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tombstone {
    pub id: EntryId,
    /// For messages: what it was called.
    pub label: String,
    pub apple_id: String,
    pub date: Date,
    /// What the deleting machine had seen of the entry.
    pub clock: Clock,
}

/// The fields of `a` that differ from `b`'s.
pub(super) fn changed_fields(a: &Entry, b: &Entry) -> Vec<Field> {
    let mut out = Vec::new();
    let mut note = |same: bool, f: Field| {
        if !same {
            out.push(f);
        }
    };
    note(a.label == b.label, Field::Label);
    note(a.apple_id == b.apple_id, Field::AppleId);
    note(a.apps == b.apps, Field::Apps);
    note(
        a.password == b.password
            && a.created == b.created
            && a.activated_seq == b.activated_seq
            && a.superseded == b.superseded,
        Field::Password,
    );
    note(a.status == b.status, Field::Status);
    note(a.notes == b.notes, Field::Notes);
    note(a.uses == b.uses && a.team_id == b.team_id, Field::Uses);
    note(a.conflicts == b.conflicts, Field::Conflicts);
    out
}

/// Stamps the changes `vault` holds since `base` (the version it was read from) as
/// the next save of `machine`, records deletions as tombstones dated `today`, and
/// counts the save. Stamps already in `vault` are ignored: they are taken from
/// `base`, so a front end may keep showing an unstamped copy.
pub fn stamp(base: &Vault, vault: &mut Vault, machine: &MachineId, today: Date) {
    let n = next_save(base, vault, machine, 0);
    stamp_as(base, vault, &Dot { machine: *machine, n }, today);
}

/// The number of `machine`'s next save: past every save of it either vault reflects,
/// and past `counted`. aspen's own saves choose their dot from the machine's lines of
/// saves instead (`storage::MachineState::next_dot`); this is for [`stamp`], a save
/// in memory (tests, and tools that stamp one chain).
pub fn next_save(base: &Vault, vault: &Vault, machine: &MachineId, counted: u64) -> u64 {
    base.clock
        .get(machine)
        .max(vault.clock.get(machine))
        .max(counted)
        .saturating_add(1)
}

/// [`stamp`] with the save's dot chosen by the caller (see [`next_save`]).
pub fn stamp_as(base: &Vault, vault: &mut Vault, dot: &Dot, today: Date) {
    let (machine, n) = (&dot.machine, dot.n);
    let dot = dot.clone();
    let before: HashMap<&EntryId, &Entry> = base.entries.iter().map(|e| (&e.id, e)).collect();
    for entry in &mut vault.entries {
        match before.get(&entry.id) {
            Some(old) => {
                entry.stamps = newest(&old.stamps, &entry.stamps);
                let changed = changed_fields(entry, old);
                if !changed.is_empty() {
                    entry.stamps.touch(&changed, &dot);
                }
            }
            None if entry.stamps.clock.is_empty() => entry.stamps = Stamps::made(&dot),
            // Deleted in the version on disk and back now (an undo): a change made
            // after the deletion, which must not look already deleted to a merge.
            None if base.tombstones.iter().any(|t| t.id == entry.id) => {
                if let Some(t) = base.tombstones.iter().find(|t| t.id == entry.id) {
                    entry.stamps.clock = entry.stamps.clock.join(&t.clock);
                }
                entry.stamps.touch(&ENTRY_FIELDS, &dot);
            }
            // Brought in from another vault by a merge: its stamps are its own.
            None => {}
        }
    }
    let kept: std::collections::HashSet<&EntryId> = vault.entries.iter().map(|e| &e.id).collect();
    let deleted: Vec<Tombstone> = base
        .entries
        .iter()
        .filter(|e| !kept.contains(&e.id))
        .map(|e| {
            let mut clock = e.stamps.clock.clone();
            clock.set(machine, n);
            Tombstone {
                id: e.id.clone(),
                label: e.label.clone(),
                apple_id: e.apple_id.clone(),
                date: today,
                clock,
            }
        })
        .collect();
    for t in deleted {
        match vault.tombstones.iter_mut().find(|x| x.id == t.id) {
            Some(x) => x.clock = x.clock.join(&t.clock),
            None => vault.tombstones.push(t),
        }
    }
    vault.tombstones.retain(|t| !kept.contains(&t.id));
    stamp_accounts(base, vault, &dot);
    vault.clock = base.clock.join(&vault.clock);
    vault.clock.set(machine, n);
    // Saturating: a planted counter at the top never wraps to look new.
    vault.saves = base.saves.max(vault.saves).saturating_add(1);
}

/// The stamps of a value that is either `old` (as read) or newer: a front end may
/// hold stale stamps (older than `old`'s), and a merge may have brought in dots
/// `old` never saw; each field keeps the dot `old` does not already cover.
fn newest(old: &Stamps, current: &Stamps) -> Stamps {
    let mut out = old.clone();
    out.clock = old.clock.join(&current.clock);
    for f in ENTRY_FIELDS.into_iter().chain([Field::Name]) {
        if let Some(d) = current.dot(f)
            && !old.clock.covers(d)
        {
            out.fields.insert(f, d.clone());
        }
    }
    out
}

fn stamp_accounts(base: &Vault, vault: &mut Vault, dot: &Dot) {
    let before: HashMap<&str, &AppleAccount> =
        base.accounts.iter().map(|a| (a.apple_id.as_str(), a)).collect();
    for account in &mut vault.accounts {
        match before.get(account.apple_id.as_str()) {
            Some(old) => {
                account.stamps = newest(&old.stamps, &account.stamps);
                // The iCloud Mail address is named with the Apple ID, stamped as one.
                if account.name != old.name || account.mail != old.mail {
                    account.stamps.touch(&[Field::Name], dot);
                }
            }
            None if account.stamps.clock.is_empty() => account.stamps = Stamps::made(dot),
            None => {}
        }
    }
}
