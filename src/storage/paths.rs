//! Names only: where the vault is, what its backups, lock, temp files and merged
//! copies are called, and where this machine's memory of it is kept. Apart from
//! following a link at the vault path, nothing here looks at the disk, so a name is
//! the same whether or not a file stands there; [`VaultStore`] does the I/O.

use std::fs;
use std::path::{Path, PathBuf};

use super::{MachineState, VaultStore};

/// The folder `path` is in: its parent, or `.` for a bare file name, whose parent
/// is empty and names no folder a temp file could be made in or fsynced.
pub fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The vault path and the files beside it, and where this machine's memory of it is.
#[derive(Clone, Debug)]
pub struct VaultPaths {
    vault: PathBuf,
    state: MachineState,
}

impl VaultPaths {
    /// A vault path that is a symlink (e.g. into a sync folder) is followed, so the
    /// rename of a save replaces the target, not the link.
    pub fn new(vault: PathBuf) -> Self {
        let is_link = fs::symlink_metadata(&vault).is_ok_and(|m| m.file_type().is_symlink());
        let vault = if is_link {
            fs::canonicalize(&vault).unwrap_or(vault)
        } else {
            vault
        };
        Self {
            vault,
            state: MachineState::locate(),
        }
    }

    /// The same vault with this machine's memory kept in `dir` instead of
    /// `$XDG_STATE_HOME/aspen` (tests that run in one process, each a machine).
    pub fn with_state_dir(mut self, dir: PathBuf) -> Self {
        self.state = MachineState::at(dir);
        self
    }

    /// Reads, writes and locks the files these paths name.
    pub fn store(&self) -> VaultStore<'_> {
        VaultStore::new(self)
    }

    /// What this machine remembers (machine id, save counts, costs seen).
    pub fn state(&self) -> &MachineState {
        &self.state
    }

    pub fn vault(&self) -> &Path {
        &self.vault
    }

    /// The folder the vault is in: where its temp files, backups and lock go, and
    /// what is fsynced after a rename.
    pub fn dir(&self) -> PathBuf {
        folder_of(&self.vault)
    }

    pub fn lock_file(&self) -> PathBuf {
        self.sibling(".lock")
    }

    /// The previous version, kept at every save.
    pub fn backup(&self) -> PathBuf {
        self.sibling(".bak")
    }

    /// A backup kept aside because the next save could not reproduce it.
    pub(super) fn kept(&self, n: u32) -> PathBuf {
        self.sibling(&format!(".bak.{n}"))
    }

    /// The N of a kept backup's file name (`NAME.bak.N`), for any other name none.
    pub(super) fn kept_number(&self, name: &str) -> Option<u32> {
        name.strip_prefix(&format!("{}.bak.", self.file_name()))?
            .parse()
            .ok()
    }

    /// Where merged copies are kept: a folder beside the vault.
    pub fn merged_dir(&self) -> PathBuf {
        self.sibling(".merged")
    }

    /// Temp files of an interrupted save are named PREFIX + 6 random characters +
    /// ".tmp"; the "aspen-tmp" part keeps a sibling vault's temp files apart.
    pub(super) fn temp_prefix(&self) -> String {
        format!(".{}.aspen-tmp-", self.file_name())
    }

    /// True for the name of a temp file a save of this vault makes, and for no
    /// other: what a killed save leaves is removed by that name alone.
    pub(super) fn is_temp_name(&self, name: &str) -> bool {
        name.strip_prefix(&self.temp_prefix())
            .and_then(|rest| rest.strip_suffix(".tmp"))
            .is_some_and(|random| random.len() == 6 && random.bytes().all(|b| b.is_ascii_alphanumeric()))
    }

    /// The vault's file name split before its last dot (`vault`, `.aspen`): sync
    /// tools name a conflict copy by putting words between the two.
    pub(super) fn stem_and_ext(&self) -> (String, String) {
        let name = self.file_name();
        match name.rfind('.') {
            Some(i) if i > 0 => (name[..i].to_owned(), name[i..].to_owned()),
            _ => (name, String::new()),
        }
    }

    pub(super) fn file_name(&self) -> String {
        self.vault
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned()
    }

    fn sibling(&self, suffix: &str) -> PathBuf {
        let mut name = self.vault.file_name().unwrap_or_default().to_os_string();
        name.push(suffix);
        self.vault.with_file_name(name)
    }
}
