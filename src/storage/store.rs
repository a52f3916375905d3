//! The vault's file I/O, on the names [`VaultPaths`] gives: reading with the checks
//! made before any secret is asked, the writer's lock, and the save that refuses a
//! file changed since it was read and keeps the version it replaces. Backups are in
//! `backups.rs`, conflict copies in `copies.rs`.

use std::fs::{self, File};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::Path;
use std::time::{Duration, Instant};

use super::files::{self, MAX_VAULT_BYTES};
use super::perms::{self, PermissionProblem, PermissionWarning};
use super::{Fingerprint, Loaded, VaultLock, VaultPaths, write_via_temp};
use crate::error::{Error, Result};
use crate::model::Vault;
use crate::secret::SecretString;
use crate::vault_file::{self, FormatError, VaultKey};

/// The files of one vault, read and written; got from [`VaultPaths::store`]. It
/// borrows the paths rather than owning them: callers keep, clone and send the
/// paths (to threads, into options) and take a store only where they touch a file.
#[derive(Clone, Copy, Debug)]
pub struct VaultStore<'a> {
    pub(super) paths: &'a VaultPaths,
}

impl<'a> VaultStore<'a> {
    pub(super) fn new(paths: &'a VaultPaths) -> Self {
        Self { paths }
    }

    fn vault(&self) -> &'a Path {
        self.paths.vault()
    }

    /// True when something (a vault, or anything else) stands at the vault path.
    pub fn exists(&self) -> bool {
        fs::symlink_metadata(self.vault()).is_ok()
    }

    /// Reads the vault file's bytes: a regular file of at most [`MAX_VAULT_BYTES`].
    pub fn read(&self) -> Result<Vec<u8>> {
        files::read_regular(self.vault(), MAX_VAULT_BYTES, "vault").map_err(|e| match e {
            files::ReadError::Io(io) if io.kind() == std::io::ErrorKind::NotFound => self.missing(),
            other => other.into_error("read", self.vault()),
        })
    }

    /// The error for a vault that is not there, naming any backup left of it.
    pub fn missing(&self) -> Error {
        Error::VaultMissing {
            path: self.vault().to_path_buf(),
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
        if let Ok(meta) = fs::metadata(self.vault()) {
            files::require_regular(&meta, self.vault(), "vault")?;
            return Err(Error::VaultExists {
                path: self.vault().to_path_buf(),
            });
        }
        let backups = self.backups();
        if !backups.is_empty() {
            return Err(Error::BackupWithoutVault {
                path: self.vault().to_path_buf(),
                backups,
            });
        }
        Ok(())
    }

    /// Files and folders others could change the vault through, and a folder in the
    /// backup's way, for a warning.
    pub fn permission_warnings(&self) -> Vec<PermissionWarning> {
        let me = rustix::process::geteuid().as_raw();
        let mut found = perms::check(&self.paths.dir(), true, me);
        found.extend(perms::check(self.vault(), false, me));
        for backup in self.backups() {
            found.extend(perms::check(&backup, false, me));
        }
        if self.backup_is_folder() {
            found.push(PermissionWarning {
                path: self.paths.backup(),
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

    /// Decrypts bytes read from this vault's file (by [`VaultStore::read`]), with
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
                path: self.vault().to_path_buf(),
            },
            other => self.format_error(other),
        })?;
        Ok((vault, Fingerprint::of(&bytes)))
    }

    /// Turns a decoding failure into the error the user sees, naming the backup.
    pub fn format_error(&self, e: FormatError) -> Error {
        let path = self.vault().to_path_buf();
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
        let path = self.paths.lock_file();
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
        let dir = self.paths.dir();
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
    /// does (see [`VaultStore::check_free_for_new_vault`]).
    pub fn create(&self, vault: &Vault, key: &VaultKey, _lock: &VaultLock) -> Result<Fingerprint> {
        self.check_free_for_new_vault()?;
        let bytes = vault_file::encode(vault, key).map_err(|e| Error::encode(self.vault(), e))?;
        self.write_atomic(self.vault(), &bytes, false)?;
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
                path: self.vault().to_path_buf(),
            });
        }
        self.check_writable()?;
        self.remove_stale_temp_files();
        let bytes = vault_file::encode(vault, key).map_err(|e| Error::encode(self.vault(), e))?;
        self.write_backup(&current)?;
        self.write_atomic(self.vault(), &bytes, true)?;
        Ok(Fingerprint::of(&bytes))
    }

    /// Refuses when the user took the write permission off the vault (`chmod a-w`):
    /// a save would replace the file anyway, since only the folder's mode decides
    /// whether a rename may.
    pub fn check_writable(&self) -> Result<()> {
        match fs::metadata(self.vault()) {
            Ok(meta) if meta.permissions().mode() & 0o200 == 0 => Err(Error::VaultReadOnly {
                path: self.vault().to_path_buf(),
            }),
            _ => Ok(()),
        }
    }

    pub(super) fn sync_dir(&self) -> Result<()> {
        let dir = self.paths.dir();
        File::open(&dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| Error::io("sync the folder", &dir, e))
    }

    pub(super) fn write_atomic(&self, target: &Path, bytes: &[u8], replace: bool) -> Result<()> {
        let exists = || Error::VaultExists {
            path: target.to_path_buf(),
        };
        write_via_temp(
            &self.paths.dir(),
            &self.paths.temp_prefix(),
            target,
            bytes,
            replace,
            exists,
        )
    }

    /// Removes temp files a killed save left behind. Only called under the lock, when
    /// no other aspen can be writing one.
    fn remove_stale_temp_files(&self) {
        let Ok(entries) = fs::read_dir(self.paths.dir()) else {
            return;
        };
        for entry in entries.flatten() {
            if self.paths.is_temp_name(&entry.file_name().to_string_lossy()) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}
