//! What a reset or Revoke All on a day would revoke, before it is recorded, and the
//! checklist of what to regenerate after it: data for each front end to word.

use jiff::civil::Date;

use crate::model::{Entry, EntryId, Vault};

/// The entries a reset or Revoke All of `apple_id` on `on` revokes: the model's own
/// rule, so the preview shows exactly what recording it will do.
pub fn revoked_on<'v>(vault: &'v Vault, apple_id: &str, on: Date) -> Vec<&'v Entry> {
    vault
        .entries
        .iter()
        .filter(|e| Vault::revoked_by_reset(e, apple_id, on))
        .collect()
}

/// One line of the "regenerate these" checklist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChecklistItem {
    pub label: String,
    pub apps: Vec<String>,
}

/// The checklist after a reset or Revoke All revoked `ids`, in that order.
pub fn checklist(vault: &Vault, ids: &[EntryId]) -> Vec<ChecklistItem> {
    ids.iter()
        .filter_map(|id| vault.entry(id))
        .map(|e| ChecklistItem {
            label: e.label.clone(),
            apps: e.apps.clone(),
        })
        .collect()
}
