//! What an import would do to a vault, before it is done: the vault's own import
//! ([`Vault::import`]) run on a copy, so the preview shows exactly what the change
//! will add and what its rules leave out, and each Apple ID's slots before and after.

use jiff::civil::Date;

use super::Found;
use crate::model::{EntryId, ImportOutcome, NewEntry, SLOT_LIMIT, Vault, slots};

/// One Apple ID's active passwords (Apple's slots) now and after the import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotChange {
    pub apple_id: String,
    pub before: usize,
    pub after: usize,
    pub limit: usize,
}

/// What importing would do.
pub struct Preview {
    /// What the vault's rules add and leave out (ids are the copy's, not kept).
    pub outcome: ImportOutcome,
    /// Each Apple ID something is added to, in order.
    pub slots: Vec<SlotChange>,
}

/// The entries to hand to [`crate::model::Change::Import`]: a copy of each found,
/// passwords copied into zeroizing buffers of their own.
pub fn entries(found: &[Found]) -> Vec<NewEntry> {
    found
        .iter()
        .map(|f| {
            let e = &f.entry;
            NewEntry {
                label: e.label.clone(),
                apple_id: e.apple_id.clone(),
                apps: e.apps.clone(),
                password: e.password.as_ref().map(|p| p.duplicate()),
                created: e.created,
                notes: e.notes.clone(),
                uses: e.uses.clone(),
                team_id: e.team_id.clone(),
            }
        })
        .collect()
}

/// Runs the import on a copy of `vault`: nothing of it is kept.
pub fn preview(vault: &Vault, found: &[Found], today: Date) -> Preview {
    let mut copy = crate::vault_file::duplicate(vault);
    // Ids for the copy only: never saved, so they need not be random.
    let mut ids = (0u64..).map(|n| {
        let mut bytes = [0xa5; 16];
        bytes[8..].copy_from_slice(&n.to_be_bytes());
        EntryId::from_random(bytes)
    });
    let outcome = copy.import(entries(found), today, &mut ids).unwrap_or_default();
    let mut touched: Vec<&str> = outcome.added.iter().map(|a| a.apple_id.as_str()).collect();
    touched.sort_unstable();
    touched.dedup();
    let before = slots(vault);
    let after = slots(&copy);
    let active =
        |all: &[crate::model::Slots], id: &str| all.iter().find(|s| s.apple_id == id).map_or(0, |s| s.active);
    let slots = touched
        .into_iter()
        .map(|id| SlotChange {
            apple_id: id.to_owned(),
            before: active(&before, id),
            after: active(&after, id),
            limit: SLOT_LIMIT,
        })
        .collect();
    Preview { outcome, slots }
}
