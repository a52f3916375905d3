//! Reading format version 1, whose plaintext lacks what merging needs (stamps, a
//! vault id, tombstones) and what later features keep (untracked passwords, uses,
//! Apple ID names, audits). A version-1 vault opens as a version-2 vault with those
//! empty; its next save writes version 2.

use jiff::civil::Date;
use serde::Deserialize;

use super::KdfParams;
use crate::model::{
    AppleAccount, Entry, EntryId, HistoryEvent, Password, Reset, Stamps, Status, Vault, VaultId,
};

#[derive(Deserialize)]
pub(super) struct PayloadV1 {
    pub format_version: u32,
    pub kdf: KdfParams,
    pub vault: VaultV1,
}

#[derive(Deserialize)]
pub(super) struct VaultV1 {
    accounts: Vec<AccountV1>,
    entries: Vec<EntryV1>,
    next_seq: u64,
}

#[derive(Deserialize)]
struct AccountV1 {
    apple_id: String,
    resets: Vec<Reset>,
}

#[derive(Deserialize)]
struct EntryV1 {
    id: EntryId,
    label: String,
    apple_id: String,
    apps: Vec<String>,
    password: Password,
    created: Date,
    notes: String,
    status: Status,
    history: Vec<HistoryEvent>,
    activated_seq: u64,
}

impl VaultV1 {
    pub(super) fn upgrade(self) -> Vault {
        Vault {
            // Assigned at the first save: the model draws no random numbers.
            id: VaultId::default(),
            saves: 0,
            clock: Default::default(),
            accounts: self
                .accounts
                .into_iter()
                .map(|a| AppleAccount {
                    resets: a.resets,
                    ..AppleAccount::new(a.apple_id)
                })
                .collect(),
            entries: self.entries.into_iter().map(EntryV1::upgrade).collect(),
            tombstones: Vec::new(),
            recovery: Vec::new(),
            recovery_removed: Vec::new(),
            next_seq: self.next_seq,
        }
    }
}

impl EntryV1 {
    fn upgrade(self) -> Entry {
        Entry {
            id: self.id,
            label: self.label,
            apple_id: self.apple_id,
            apps: self.apps,
            password: Some(self.password),
            created: self.created,
            notes: self.notes,
            uses: Vec::new(),
            team_id: String::new(),
            status: self.status,
            superseded: Vec::new(),
            history: self.history,
            activated_seq: self.activated_seq,
            stamps: Stamps::default(),
            conflicts: Vec::new(),
        }
    }
}
