//! What this machine remembers between runs, in `$XDG_STATE_HOME/aspen/`: its random
//! machine id (for change stamps) and, per vault id, the highest save counter and
//! key-derivation cost seen here (to notice a rolled-back or re-costed vault).
//!
//! Best effort: a state folder that cannot be read or written costs the warnings
//! it feeds, never an operation. The machine id then lives for one run only, which
//! merging tolerates (it only makes version vectors longer).

use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::files::read_regular_nofollow;
use super::{MAX_SMALL_FILE_BYTES, write_via_temp};
use crate::model::{MachineId, VaultId};

/// What this machine saw of one vault.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    pub saves: u64,
    pub memory_kib: u32,
    pub passes: u32,
}

#[derive(Clone, Debug)]
pub struct MachineState {
    dir: Option<PathBuf>,
}

impl MachineState {
    /// `$XDG_STATE_HOME/aspen` (or `~/.local/state/aspen`).
    pub fn locate() -> Self {
        // Only Linux has a state folder; elsewhere the local data folder keeps it.
        let dir = directories::ProjectDirs::from("", "", "aspen").map(|d| match d.state_dir() {
            Some(state) => state.to_path_buf(),
            None => d.data_local_dir().join("state"),
        });
        Self { dir }
    }

    pub fn at(dir: PathBuf) -> Self {
        Self { dir: Some(dir) }
    }

    fn read(&self, name: &str) -> Option<String> {
        let path = self.dir.as_ref()?.join(name);
        let bytes = read_regular_nofollow(&path, MAX_SMALL_FILE_BYTES, "state file").ok()?;
        String::from_utf8(bytes).ok()
    }

    fn write(&self, name: &str, text: &str) {
        let Some(dir) = &self.dir else { return };
        let target = dir.join(name);
        let Some(parent) = target.parent() else { return };
        let made = std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(parent);
        if made.is_ok() {
            let _ = write_via_temp(parent, ".aspen-state.", &target, text.as_bytes(), true, || {
                crate::error::Error::NoHome
            });
        }
    }

    /// This machine's id, made on first use.
    pub fn machine_id(&self) -> MachineId {
        if let Some(id) = self.read("machine-id").as_deref().and_then(MachineId::parse) {
            return id;
        }
        let id = *fallback_id();
        self.write("machine-id", &format!("{}\n", id.hex()));
        id
    }

    /// How many saves this machine counted so far, for the next save's number.
    pub fn counted(&self) -> u64 {
        self.read("saves")
            .and_then(|t| t.trim().parse().ok())
            .unwrap_or(0)
    }

    /// Records that this machine's latest save has number `n`.
    pub fn count(&self, n: u64) {
        if n > self.counted() {
            self.write("saves", &format!("{n}\n"));
        }
    }

    pub fn seen(&self, vault: &VaultId) -> Option<Seen> {
        if vault.is_unset() {
            return None;
        }
        ron::from_str(&self.read(&format!("seen/{}.ron", vault.as_str()))?).ok()
    }

    /// The key-derivation cost last seen for the vault at `path` (read before the
    /// vault id is known: it is inside the encrypted part).
    pub fn seen_cost(&self, path: &Path) -> Option<Seen> {
        ron::from_str(&self.read(&path_key(path))?).ok()
    }

    /// Raises the cost remembered for the vault at `path`.
    pub fn remember_cost(&self, path: &Path, now: Seen) {
        let old = self.seen_cost(path).unwrap_or_default();
        let new = Seen {
            saves: 0,
            memory_kib: old.memory_kib.max(now.memory_kib),
            passes: old.passes.max(now.passes),
        };
        if new != old
            && let Ok(text) = ron::to_string(&new)
        {
            self.write(&path_key(path), &text);
        }
    }

    /// Raises what is remembered of `vault` to `now` (never lowers it).
    pub fn remember(&self, vault: &VaultId, now: Seen) {
        if vault.is_unset() {
            return;
        }
        let old = self.seen(vault).unwrap_or_default();
        let new = Seen {
            saves: old.saves.max(now.saves),
            memory_kib: old.memory_kib.max(now.memory_kib),
            passes: old.passes.max(now.passes),
        };
        if new != old
            && let Ok(text) = ron::to_string(&new)
        {
            self.write(&format!("seen/{}.ron", vault.as_str()), &text);
        }
    }
}

/// The state file for a vault path: a hash of where it is, not the path itself.
fn path_key(path: &Path) -> String {
    use blake2::{Blake2b, Digest, digest::consts::U16};
    let full = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let digest = Blake2b::<U16>::digest(full.as_os_str().as_encoded_bytes());
    format!("paths/{}.ron", hex::encode(digest))
}

/// One id per run when none can be kept, drawn once so every save of the run agrees.
fn fallback_id() -> &'static MachineId {
    static ID: OnceLock<MachineId> = OnceLock::new();
    ID.get_or_init(|| {
        let mut bytes = [0u8; 8];
        // Without randomness two machines could share an id; a time-based one is the
        // best left, and the save that needs it fails on its own for want of a salt.
        if getrandom::fill(&mut bytes).is_err() {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default();
            bytes = (nanos as u64 ^ u64::from(std::process::id())).to_le_bytes();
        }
        MachineId::from_random(bytes)
    })
}
