//! Where the vault lives and how it is written: a lock against a second writer, a
//! check for changes made outside, a backup of the previous version, and atomic
//! replacement (temp file, fsync, rename, fsync of the folder). Never in place.
//!
//! The folder may be writable by others (a shared or synced folder): see
//! `docs/security.md` for what aspen does about each thing planted there.

mod backups;
mod copies;
pub mod files;
mod perms;
mod state;

pub use copies::{ConflictCopy, MergedDirProblem, SyncTool, conflict_copy_of};
pub use files::{MAX_SMALL_FILE_BYTES, MAX_VAULT_BYTES};
pub use perms::{PermissionProblem, PermissionWarning};
pub use state::{MachineState, Seen};

use std::fs::{self, File};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use blake2::{Blake2b, Digest, digest::consts::U32};

use crate::error::{Error, Result};
use crate::model::Vault;
use crate::secret::SecretString;
use crate::vault_file::{self, FormatError, VaultKey};

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

    /// What this machine remembers (machine id, save counts, costs seen).
    pub fn state(&self) -> &MachineState {
        &self.state
    }

    pub fn vault(&self) -> &Path {
        &self.vault
    }

    fn sibling(&self, suffix: &str) -> PathBuf {
        let mut name = self.vault.file_name().unwrap_or_default().to_os_string();
        name.push(suffix);
        self.vault.with_file_name(name)
    }

    fn file_name(&self) -> String {
        self.vault
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned()
    }

    pub fn lock_file(&self) -> PathBuf {
        self.sibling(".lock")
    }

    pub(crate) fn dir(&self) -> PathBuf {
        match self.vault.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }

    /// Temp files of an interrupted save are named PREFIX + 6 random characters +
    /// ".tmp"; the "aspen-tmp" part keeps a sibling vault's temp files apart.
    fn temp_prefix(&self) -> String {
        format!(".{}.aspen-tmp-", self.file_name())
    }

    /// True when something (a vault, or anything else) stands at the vault path.
    pub fn exists(&self) -> bool {
        fs::symlink_metadata(&self.vault).is_ok()
    }

    /// Reads the vault file's bytes: a regular file of at most [`MAX_VAULT_BYTES`].
    pub fn read(&self) -> Result<Vec<u8>> {
        files::read_regular(&self.vault, MAX_VAULT_BYTES, "vault").map_err(|e| match e {
            files::ReadError::Io(io) if io.kind() == std::io::ErrorKind::NotFound => self.missing(),
            other => other.into_error("read", &self.vault),
        })
    }

    /// The error for a vault that is not there, naming any backup left of it.
    pub fn missing(&self) -> Error {
        Error::VaultMissing {
            path: self.vault.clone(),
            backups: self.backups(),
        }
    }

    /// Before asking for any secret: the vault exists, is a regular file, and starts
    /// like an aspen vault of a version this aspen reads (no decryption). Returns the
    /// bytes read, so what is later decrypted is exactly what was checked.
    pub fn precheck(&self) -> Result<Vec<u8>> {
        let bytes = self.read()?;
        vault_file::split(&bytes).map_err(|e| self.format_error(e))?;
        Ok(bytes)
    }

    /// Where a new vault may be created: nothing at the path, and no backup of an
    /// earlier vault that creating one would put at risk.
    pub fn check_free_for_new_vault(&self) -> Result<()> {
        if let Ok(meta) = fs::metadata(&self.vault) {
            files::require_regular(&meta, &self.vault, "vault")?;
            return Err(Error::VaultExists {
                path: self.vault.clone(),
            });
        }
        let backups = self.backups();
        if !backups.is_empty() {
            return Err(Error::BackupWithoutVault {
                path: self.vault.clone(),
                backups,
            });
        }
        Ok(())
    }

    /// Files and folders others could change the vault through, and a folder in the
    /// backup's way, for a warning.
    pub fn permission_warnings(&self) -> Vec<PermissionWarning> {
        let me = rustix::process::geteuid().as_raw();
        let mut found = perms::check(&self.dir(), true, me);
        found.extend(perms::check(&self.vault, false, me));
        for backup in self.backups() {
            found.extend(perms::check(&backup, false, me));
        }
        if self.backup_is_folder() {
            found.push(PermissionWarning {
                path: self.backup(),
                problem: PermissionProblem::BackupIsFolder,
            });
        }
        found
    }

    /// Reads and decrypts the vault, to change it: the fingerprint lets the save
    /// notice a replacement made in between.
    pub fn open(&self, passphrase: &SecretString) -> Result<Loaded> {
        let bytes = self.read()?;
        let (vault, key) = self.decode(&bytes, passphrase)?;
        Ok(Loaded {
            vault,
            key,
            fingerprint: Fingerprint::of(&bytes),
        })
    }

    /// Decrypts bytes read from this vault's file (by [`VaultPaths::read`]), with
    /// errors that name the file and its backup.
    pub fn decode(&self, bytes: &[u8], passphrase: &SecretString) -> Result<(Vault, VaultKey)> {
        vault_file::decode(bytes, passphrase).map_err(|e| self.format_error(e))
    }

    /// Reads the vault again and opens it with a key derived earlier (no second key
    /// derivation): to work on what another aspen saved meanwhile, or to show what
    /// is on disk after a failed save. A file re-keyed since (its passphrase changed)
    /// counts as changed outside: this key no longer opens it.
    pub fn reload(&self, key: &VaultKey) -> Result<(Vault, Fingerprint)> {
        let bytes = self.read()?;
        let vault = vault_file::decode_with_key(&bytes, key).map_err(|e| match e {
            FormatError::WrongPassphrase => Error::ChangedOutside {
                path: self.vault.clone(),
            },
            other => self.format_error(other),
        })?;
        Ok((vault, Fingerprint::of(&bytes)))
    }

    /// Turns a decoding failure into the error the user sees, naming the backup.
    pub fn format_error(&self, e: FormatError) -> Error {
        let path = self.vault.clone();
        match e {
            FormatError::NotAVault => Error::NotAVault { path },
            FormatError::NewerVersion(found) => Error::NewerFormat {
                path,
                found,
                supported: vault_file::FORMAT_VERSION,
                backup: self.existing_backup(),
            },
            FormatError::WrongPassphrase => Error::WrongPassphrase {
                path,
                backup: self.existing_backup(),
            },
            FormatError::Damaged(detail) => Error::Damaged {
                path,
                detail,
                backup: self.existing_backup(),
            },
        }
    }

    /// Takes the writer's lock, waiting up to `wait` for another aspen to finish.
    pub fn lock(&self, wait: Duration) -> Result<VaultLock> {
        self.ensure_dir()?;
        let path = self.lock_file();
        let mut file = files::open_lock_file(&path)?;
        let start = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(fs::TryLockError::WouldBlock) if start.elapsed() < wait => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(Error::Locked {
                        pid: files::read_lock_holder(&mut file),
                        lock: path,
                    });
                }
                Err(fs::TryLockError::Error(e)) => return Err(Error::io("lock", &path, e)),
            }
        }
        // Who holds it, for the other aspen's message; best effort only.
        let _ = file
            .set_len(0)
            .and_then(|()| write!(file, "{}", std::process::id()));
        Ok(VaultLock { _file: file })
    }

    fn ensure_dir(&self) -> Result<()> {
        let dir = self.dir();
        if !dir.exists() {
            fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(&dir)
                .map_err(|e| Error::io("create the folder", &dir, e))?;
        }
        Ok(())
    }

    /// Writes a new vault; refuses if one exists, or if a backup of an earlier one
    /// does (see [`VaultPaths::check_free_for_new_vault`]).
    pub fn create(&self, vault: &Vault, key: &VaultKey, _lock: &VaultLock) -> Result<Fingerprint> {
        self.check_free_for_new_vault()?;
        let bytes = vault_file::encode(vault, key).map_err(|e| Error::encode(&self.vault, e))?;
        self.write_atomic(&self.vault, &bytes, false)?;
        Ok(Fingerprint::of(&bytes))
    }

    /// Saves `vault` over the file read with `expected`, keeping that file as the
    /// backup. Refuses when the file changed since it was read.
    pub fn save(
        &self,
        vault: &Vault,
        key: &VaultKey,
        expected: &Fingerprint,
        _lock: &VaultLock,
    ) -> Result<Fingerprint> {
        let current = match self.read() {
            Ok(bytes) => bytes,
            Err(Error::VaultMissing { path, .. }) => return Err(Error::ChangedOutside { path }),
            Err(e) => return Err(e),
        };
        if &Fingerprint::of(&current) != expected {
            return Err(Error::ChangedOutside {
                path: self.vault.clone(),
            });
        }
        self.check_writable()?;
        self.remove_stale_temp_files();
        let bytes = vault_file::encode(vault, key).map_err(|e| Error::encode(&self.vault, e))?;
        self.write_backup(&current)?;
        self.write_atomic(&self.vault, &bytes, true)?;
        Ok(Fingerprint::of(&bytes))
    }

    /// Refuses when the user took the write permission off the vault (`chmod a-w`):
    /// a save would replace the file anyway, since only the folder's mode decides
    /// whether a rename may.
    pub fn check_writable(&self) -> Result<()> {
        match fs::metadata(&self.vault) {
            Ok(meta) if meta.permissions().mode() & 0o200 == 0 => Err(Error::VaultReadOnly {
                path: self.vault.clone(),
            }),
            _ => Ok(()),
        }
    }

    fn sync_dir(&self) -> Result<()> {
        let dir = self.dir();
        File::open(&dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| Error::io("sync the folder", &dir, e))
    }

    fn write_atomic(&self, target: &Path, bytes: &[u8], replace: bool) -> Result<()> {
        let exists = || Error::VaultExists {
            path: target.to_path_buf(),
        };
        write_via_temp(&self.dir(), &self.temp_prefix(), target, bytes, replace, exists)
    }

    /// Removes temp files a killed save left behind. Only called under the lock, when
    /// no other aspen can be writing one.
    fn remove_stale_temp_files(&self) {
        let prefix = self.temp_prefix();
        let Ok(entries) = fs::read_dir(self.dir()) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let ours = name
                .strip_prefix(&prefix)
                .and_then(|rest| rest.strip_suffix(".tmp"))
                .is_some_and(|random| random.len() == 6 && random.bytes().all(|b| b.is_ascii_alphanumeric()));
            if ours {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// Writes a file that must not exist yet (an export), atomically: it appears whole or
/// not at all, and an existing file is never replaced.
pub fn write_new_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let exists = || Error::OutputExists {
        path: path.to_path_buf(),
    };
    write_via_temp(&dir, ".aspen-export.", path, bytes, false, exists)
}

/// Replaces a file aspen does not own the name of (git's merge result, a
/// `.gitattributes`) atomically: whole or not at all, never written in place.
pub fn replace_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
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
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
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
