//! What this machine remembers protects against two things a synced or copied vault
//! can do: come back older than a version seen here (an old backup copied over it, a
//! sync tool restoring a stale copy), and ask for a key derivation far costlier than
//! the one this machine has been running for it (a header swapped to make every
//! unlock take minutes or gigabytes).

use crate::model::Vault;
use crate::storage::{Seen, VaultPaths};
use crate::vault_file::{self, Cost, VaultKey};

/// A header asking for more than twice the memory or passes seen here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CostJump {
    pub asked: Cost,
    pub seen_memory_kib: u32,
    pub seen_passes: u32,
}

impl CostJump {
    pub fn describe(&self) -> String {
        format!(
            "the vault asks for a key derivation of {}, far more than this machine has run for it \
             ({} MiB, {} passes)",
            self.asked.describe(),
            self.seen_memory_kib / 1024,
            self.seen_passes
        )
    }
}

/// The vault's save counter is below the highest this machine has seen for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Older {
    pub found: u64,
    pub seen: u64,
}

/// Reads the cost the vault's header asks for against what was seen here.
pub fn cost_jump(paths: &VaultPaths, bytes: &[u8]) -> Option<CostJump> {
    let (header, _) = vault_file::split(bytes).ok()?;
    let seen = paths.state().seen_cost(paths.vault())?;
    jump(
        header.kdf.cost(),
        Cost {
            memory_kib: seen.memory_kib,
            passes: seen.passes,
            ..header.kdf.cost()
        },
    )
}

/// What a file this machine has no record of may ask for without consent: twice
/// this, 1 GiB (calibration's own limit) and 16 passes. Past it a planted header
/// could hold git, a merge or a diff for minutes and gigabytes.
const UNSEEN_ACCEPTED: Cost = Cost {
    memory_kib: 512 * 1024,
    passes: 8,
    lanes: 4,
};

/// A file with no record here (git's versions of a vault): over the ceiling.
pub fn over_ceiling(bytes: &[u8]) -> Option<CostJump> {
    let (header, _) = vault_file::split(bytes).ok()?;
    jump(header.kdf.cost(), UNSEEN_ACCEPTED)
}

/// `asked` against `accepted`: more than twice the memory or the passes.
pub fn jump(asked: Cost, accepted: Cost) -> Option<CostJump> {
    let far = |asked: u32, seen: u32| seen > 0 && u64::from(asked) > 2 * u64::from(seen);
    (far(asked.memory_kib, accepted.memory_kib) || far(asked.passes, accepted.passes)).then_some(CostJump {
        asked,
        seen_memory_kib: accepted.memory_kib,
        seen_passes: accepted.passes,
    })
}

/// Whether `vault` is older than a version of it this machine saw. A vault without
/// an id (format 1) where this machine has seen one with an id is older too: the
/// format-2 vault was saved over it, so it can only be a copy put back.
pub fn older(paths: &VaultPaths, vault: &Vault) -> Option<Older> {
    let state = paths.state();
    if vault.id.is_unset() {
        let seen = state.seen_cost(paths.vault()).filter(|s| s.versioned)?;
        return Some(Older {
            found: vault.saves,
            seen: seen.saves.max(vault.saves.saturating_add(1)),
        });
    }
    let seen = state.seen(&vault.id)?;
    let versions = state.seen_versions(&vault.id);
    // Older is what a version seen here already covers: a copy put back. A copy
    // changed apart (a USB stick's, a conflict copy changed here) is concurrent, not
    // older, however its counter compares. Without versions recorded (a state folder
    // from before they were), the counters decide.
    let behind = if versions.is_empty() {
        vault.saves < seen.saves
    } else {
        versions
            .iter()
            .any(|v| v != &vault.clock && v.dominates(&vault.clock))
    };
    behind.then_some(Older {
        found: vault.saves,
        seen: seen.saves,
    })
}

/// Notes what was just opened or saved: the save counter per vault id, the cost per
/// vault and per path.
pub fn remember(paths: &VaultPaths, vault: &Vault, key: &VaultKey) {
    let cost = key.kdf().cost();
    let seen = Seen {
        saves: vault.saves,
        memory_kib: cost.memory_kib,
        passes: cost.passes,
        versioned: !vault.id.is_unset(),
    };
    let state = paths.state();
    state.remember(&vault.id, seen);
    state.remember_version(&vault.id, &vault.clock);
    state.remember_cost(paths.vault(), seen);
}
