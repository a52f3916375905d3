//! The use cases both front ends share: create a vault, open it, change it and save
//! under the lock, change its passphrase, preview what a reset revokes. The CLI and
//! the TUI ask the user and render the results in their own words; the logic is
//! here, once. Nothing here prints, knows a key binding or names a command.

pub mod export;
mod follow;
mod guard;
mod merging;
mod preview;
mod random;
mod recover;
mod vault;
pub mod verify;

use std::time::Duration;

pub use follow::{Arrived, FileStat, file_stat, follow};
pub use guard::{CostJump, Older, cost_jump, over_ceiling};
pub use merging::{Merged, copy_cost_jump, merge_from};
pub use preview::{ChecklistItem, checklist, revoked_on};
pub use random::{new_entry_id, new_recovery_key, new_salt, new_vault_id};
pub use recover::{RecoverCost, Recovered, read_recovery_key, recover};
pub use vault::{
    Consent, Created, NewVaultCost, Opened, SaveFailed, Saved, change, change_passphrase, costlier,
    create_vault, derive_new_key, open, rekey, save, stamp_for_save,
};

/// How long a writer waits for another aspen to release the vault.
pub const LOCK_WAIT: Duration = Duration::from_secs(2);
