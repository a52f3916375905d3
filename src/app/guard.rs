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
    let asked = header.kdf.cost();
    let seen = paths.state().seen_cost(paths.vault())?;
    let far = |asked: u32, seen: u32| seen > 0 && u64::from(asked) > 2 * u64::from(seen);
    (far(asked.memory_kib, seen.memory_kib) || far(asked.passes, seen.passes)).then_some(CostJump {
        asked,
        seen_memory_kib: seen.memory_kib,
        seen_passes: seen.passes,
    })
}

/// Whether `vault` is older than a version of it this machine saw.
pub fn older(paths: &VaultPaths, vault: &Vault) -> Option<Older> {
    let seen = paths.state().seen(&vault.id)?;
    (vault.saves < seen.saves).then_some(Older {
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
    };
    let state = paths.state();
    state.remember(&vault.id, seen);
    state.remember_cost(paths.vault(), seen);
}
