//! Where the vault lives and how it is written: a lock against a second writer, a
//! check for changes made outside, a backup of the previous version, and atomic
//! replacement (temp file, fsync, rename, fsync of the folder). Never in place.
//!
//! What the files are called ([`VaultPaths`]) is kept apart from reading and writing
//! them ([`VaultStore`]): a path is worked out, shown and passed between threads
//! without touching the disk, and every read or write of the vault goes through the
//! one type that holds the lock, fingerprint and backup rules.
//!
//! The folder may be writable by others (a shared or synced folder): see
//! `docs/security.md` for what aspen does about each thing planted there.

mod backups;
mod copies;
pub mod files;
mod paths;
mod perms;
mod state;
mod store;

pub use copies::{ConflictCopy, MergedDirProblem, SyncTool, conflict_copy_of};
pub use files::{MAX_SMALL_FILE_BYTES, MAX_VAULT_BYTES};
pub use paths::{VaultPaths, folder_of};
pub use perms::{PermissionProblem, PermissionWarning};
pub use state::{MachineState, Seen};
pub use store::VaultStore;

use std::fs::{self, File};
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use blake2::{Blake2b, Digest, digest::consts::U32};

use crate::error::{Error, Result};
use crate::model::Vault;
use crate::vault_file::VaultKey;

/// The default vault: `$XDG_DATA_HOME/aspen/vault.aspen`.
pub fn default_vault_path() -> Result<PathBuf> {
    project_dirs().map(|d| d.data_dir().join("vault.aspen"))
}

/// The default config: `$XDG_CONFIG_HOME/aspen/config.ron`.
pub fn default_config_path() -> Result<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("config.ron"))
}

fn project_dirs() -> Result<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "aspen").ok_or(Error::NoHome)
}

/// The vault file as it was read: its hash, to notice a replacement before saving,
/// and its (encrypted) bytes, the common base when another machine's save must be
/// merged with this one's.
#[derive(Clone)]
pub struct Fingerprint {
    hash: [u8; 32],
    bytes: std::sync::Arc<[u8]>,
}

impl Fingerprint {
    pub fn of(bytes: &[u8]) -> Self {
        Self {
            hash: Blake2b::<U32>::digest(bytes).into(),
            bytes: bytes.into(),
        }
    }

    /// The file's bytes as they were read.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl PartialEq for Fingerprint {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash
    }
}

impl Eq for Fingerprint {}

impl std::fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Fingerprint({})", hex::encode(&self.hash[..8]))
    }
}

/// An open, decrypted vault and what is needed to save it again.
#[derive(Debug)]
pub struct Loaded {
    pub vault: Vault,
    pub key: VaultKey,
    pub fingerprint: Fingerprint,
}

/// Held while writing; released on drop. Lives on a separate file because the rename
/// that replaces the vault also replaces its inode.
#[derive(Debug)]
pub struct VaultLock {
    _file: File,
}

/// Writes a file that must not exist yet (an export), atomically: it appears whole or
/// not at all, and an existing file is never replaced.
pub fn write_new_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = folder_of(path);
    let exists = || Error::OutputExists {
        path: path.to_path_buf(),
    };
    write_via_temp(&dir, ".aspen-export.", path, bytes, false, exists)
}

/// Replaces a file aspen does not own the name of (git's merge result, a
/// `.gitattributes`) atomically: whole or not at all, never written in place.
pub fn replace_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = folder_of(path);
    write_via_temp(&dir, ".aspen-replace.", path, bytes, true, || {
        Error::OutputExists {
            path: path.to_path_buf(),
        }
    })
}

/// Replaces a text file aspen adds to but does not own (a `.gitattributes`)
/// atomically, giving the new file `mode` (the old file's, for one that existed): it
/// is written owner-only and takes `mode` just before the rename.
pub fn replace_file_with_mode(path: &Path, bytes: &[u8], mode: u32) -> Result<()> {
    let dir = folder_of(path);
    let exists = || Error::OutputExists {
        path: path.to_path_buf(),
    };
    write_temp_then_rename(&dir, ".aspen-replace.", path, bytes, true, mode, exists)
}

/// Temp file in `dir` (mode 0600), written, fsynced, renamed over `target` (or, with
/// `replace` false, put there only if nothing is), then the folder fsynced so the
/// rename itself is durable. On any failure the temp file is removed and `target`
/// is untouched.
fn write_via_temp(
    dir: &Path,
    prefix: &str,
    target: &Path,
    bytes: &[u8],
    replace: bool,
    exists: impl FnOnce() -> Error,
) -> Result<()> {
    write_temp_then_rename(dir, prefix, target, bytes, replace, 0o600, exists)
}

/// [`write_via_temp`], the file taking `mode` before it is renamed into place (it is
/// 0600 while written, whatever the umask).
fn write_temp_then_rename(
    dir: &Path,
    prefix: &str,
    target: &Path,
    bytes: &[u8],
    replace: bool,
    mode: u32,
    exists: impl FnOnce() -> Error,
) -> Result<()> {
    let mut tmp = tempfile::Builder::new()
        .prefix(prefix)
        .suffix(".tmp")
        .permissions(fs::Permissions::from_mode(0o600))
        .tempfile_in(dir)
        .map_err(|e| Error::io("create a temporary file in", dir, e))?;
    tmp.write_all(bytes)
        .and_then(|()| match mode {
            0o600 => Ok(()),
            _ => tmp.as_file().set_permissions(fs::Permissions::from_mode(mode)),
        })
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| Error::io("write", tmp.path(), e))?;
    let persisted = if replace {
        tmp.persist(target)
    } else {
        tmp.persist_noclobber(target)
    };
    persisted.map_err(|e| match e.error.kind() {
        std::io::ErrorKind::AlreadyExists => exists(),
        _ => Error::io("replace", target, e.error),
    })?;
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| Error::io("sync the folder", dir, e))
}
