//! What this machine remembers between runs, in `$XDG_STATE_HOME/aspen/`: its random
//! machine id (for change stamps), per vault id the highest save counter and
//! key-derivation cost seen here (to notice a rolled-back or re-costed vault) and the
//! lines of saves it wrote (so two copies changed here are never taken as one chain).
//!
//! Best effort: a state folder that cannot be read or written costs the warnings
//! it feeds, never an operation. The machine id then lives for one run only, which
//! merging tolerates (it only makes version vectors longer).

use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::files::read_regular_nofollow;
use super::{MAX_SMALL_FILE_BYTES, folder_of, write_via_temp};
use crate::model::{Clock, Dot, MachineId, VaultId};

/// What this machine saw of one vault, or at one path.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    pub saves: u64,
    pub memory_kib: u32,
    pub passes: u32,
    /// At a path: whether a vault with an id (format 2 or later) was seen there, so
    /// that a format-1 copy put back in its place is known to be older.
    #[serde(default)]
    pub versioned: bool,
}

/// How many lines of saves are remembered per vault. A copy at the head of a line
/// forgotten past this simply starts a new one: safe, only a longer version vector.
const MAX_LINES: usize = 64;

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
        let parent = folder_of(&target);
        let made = std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&parent);
        if made.is_ok() {
            let _ = write_via_temp(&parent, ".aspen-state.", &target, text.as_bytes(), true, || {
                crate::error::Error::NoHome
            });
        }
    }

    /// This machine's id, made on first use.
    pub fn machine_id(&self) -> MachineId {
        if let Some(id) = self.read("machine-id").as_deref().and_then(MachineId::parse) {
            return id;
        }
        // A new id of its own: two state folders (two users, two test homes in one
        // process) must never share one. Only an id that cannot be kept falls back to
        // the run's, so that every save of this run agrees.
        self.write("machine-id", &format!("{}\n", fresh_id().hex()));
        self.read("machine-id")
            .as_deref()
            .and_then(MachineId::parse)
            .unwrap_or_else(|| *fallback_id())
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
            saves: old.saves.max(now.saves),
            memory_kib: old.memory_kib.max(now.memory_kib),
            passes: old.passes.max(now.passes),
            versioned: old.versioned || now.versioned,
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
            versioned: false,
        };
        if new != old
            && let Ok(text) = ron::to_string(&new)
        {
            self.write(&format!("seen/{}.ron", vault.as_str()), &text);
        }
    }

    /// The newest versions of `vault` this machine has seen: their version vectors,
    /// none covering another (a copy on a USB stick and the vault are two).
    pub fn seen_versions(&self, vault: &VaultId) -> Vec<Clock> {
        if vault.is_unset() {
            return Vec::new();
        }
        self.read(&format!("versions/{}.ron", vault.as_str()))
            .and_then(|t| ron::from_str(&t).ok())
            .unwrap_or_default()
    }

    /// Adds `clock` to the newest versions seen of `vault`, dropping those it covers.
    pub fn remember_version(&self, vault: &VaultId, clock: &Clock) {
        if vault.is_unset() {
            return;
        }
        let mut versions = self.seen_versions(vault);
        if versions.iter().any(|v| v.dominates(clock)) {
            return;
        }
        versions.retain(|v| !clock.dominates(v));
        versions.insert(0, clock.clone());
        versions.truncate(MAX_LINES);
        if let Ok(text) = ron::to_string(&versions) {
            self.write(&format!("versions/{}.ron", vault.as_str()), &text);
        }
    }

    /// The dot of a save this machine is about to make of `vault`, read from a copy
    /// whose version vector is `copy`, and records it.
    ///
    /// A version vector holds one counter per writer, which is only sound when each
    /// writer's saves form one chain: `{W:3}` claims to include `{W:2}`. One machine
    /// can break that by changing two copies of a vault (a USB copy, a restored
    /// backup, two git clones, the TUI open while the command line saves). So this
    /// machine keeps, per vault, the lines of saves it wrote (a writer id and the last
    /// number used), and a save continues a line only from a copy at its head. A copy
    /// behind every line starts a new one under a fresh writer id: its changes are
    /// then concurrent with the rest, as they are, and a merge keeps both.
    pub fn next_dot(&self, vault: &VaultId, copy: &Clock) -> Dot {
        let machine = self.machine_id();
        let name = format!("lines/{}.ron", vault.as_str());
        let _guard = self.lock_lines(vault);
        let mut lines: Vec<(MachineId, u64)> = self
            .read(&name)
            .and_then(|t| ron::from_str(&t).ok())
            .unwrap_or_default();
        let dot = if lines.is_empty() {
            // No line recorded (a first save here, or saves made before aspen kept
            // lines): the machine's own id, past every save it counted.
            let n = copy.get(&machine).max(self.counted()).saturating_add(1);
            Dot { machine, n }
        } else {
            continued(&lines, copy, machine).unwrap_or_else(|| Dot {
                machine: fresh_id(),
                n: 1,
            })
        };
        lines.retain(|(m, _)| *m != dot.machine);
        lines.insert(0, (dot.machine, dot.n));
        lines.truncate(MAX_LINES);
        if let Ok(text) = ron::to_string(&lines) {
            self.write(&name, &text);
        }
        if dot.machine == machine {
            self.count(dot.n);
        }
        dot
    }

    /// Holds other aspens of this machine off the vault's lines while one picks its
    /// next dot: two copies saved at once must not both continue one line. Best
    /// effort, like the rest of the state.
    fn lock_lines(&self, vault: &VaultId) -> Option<std::fs::File> {
        let dir = self.dir.as_ref()?.join("lines");
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
            .ok()?;
        let file = super::files::open_lock_file(&dir.join(format!("{}.lock", vault.as_str()))).ok()?;
        file.lock().ok()?;
        Some(file)
    }
}

/// The line `copy` is at the head of, continued: this machine's own first.
fn continued(lines: &[(MachineId, u64)], copy: &Clock, machine: MachineId) -> Option<Dot> {
    let mut heads: Vec<&(MachineId, u64)> = lines.iter().filter(|(m, n)| copy.get(m) >= *n).collect();
    heads.sort_by_key(|(m, _)| *m != machine);
    heads.into_iter().find_map(|(m, last)| {
        let n = copy.get(m).max(*last).checked_add(1)?;
        Some(Dot { machine: *m, n })
    })
}

/// The state file for a vault path: a hash of where it is, not the path itself.
fn path_key(path: &Path) -> String {
    use blake2::{Blake2b, Digest, digest::consts::U16};
    let full = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let digest = Blake2b::<U16>::digest(full.as_os_str().as_encoded_bytes());
    format!("paths/{}.ron", hex::encode(digest))
}

/// A writer id for a new line of saves: random, so never one a copy already holds.
fn fresh_id() -> MachineId {
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_err() {
        // The same fallback as the machine id, mixed so it differs from it.
        bytes = (u64::from_be_bytes(fallback_bytes()) ^ 0x9e37_79b9_7f4a_7c15).to_be_bytes();
    }
    MachineId::from_random(bytes)
}

/// One id per run when none can be kept, drawn once so every save of the run agrees.
fn fallback_id() -> &'static MachineId {
    static ID: OnceLock<MachineId> = OnceLock::new();
    ID.get_or_init(|| {
        let mut bytes = [0u8; 8];
        if getrandom::fill(&mut bytes).is_err() {
            bytes = fallback_bytes();
        }
        MachineId::from_random(bytes)
    })
}

/// Without randomness two machines could share an id; a time-based one is the best
/// left, and the save that needs it fails on its own for want of a salt.
fn fallback_bytes() -> [u8; 8] {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    (nanos as u64 ^ u64::from(std::process::id())).to_le_bytes()
}
