//! Where the vault lives and how it is written: a lock against a second writer, a
//! check for changes made outside, a backup of the previous version, and atomic
//! replacement (temp file, fsync, rename, fsync of the folder). Never in place.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
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

/// A hash of the vault file as it was read, to notice a replacement before saving.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fingerprint([u8; 32]);

impl Fingerprint {
    pub fn of(bytes: &[u8]) -> Self {
        Self(Blake2b::<U32>::digest(bytes).into())
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

/// The vault path and the files beside it.
#[derive(Clone, Debug)]
pub struct VaultPaths {
    vault: PathBuf,
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
        Self { vault }
    }

    pub fn vault(&self) -> &Path {
        &self.vault
    }

    fn sibling(&self, suffix: &str) -> PathBuf {
        let mut name = self.vault.file_name().unwrap_or_default().to_os_string();
        name.push(suffix);
        self.vault.with_file_name(name)
    }

    /// The previous version, kept at every save.
    pub fn backup(&self) -> PathBuf {
        self.sibling(".bak")
    }

    fn existing_backup(&self) -> Option<PathBuf> {
        Some(self.backup()).filter(|b| b.exists() && b != &self.vault)
    }

    pub fn lock_file(&self) -> PathBuf {
        self.sibling(".lock")
    }

    fn dir(&self) -> PathBuf {
        match self.vault.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }

    /// Temp files of an interrupted save are named PREFIX + 6 random characters +
    /// ".tmp"; the "aspen-tmp" part keeps a sibling vault's temp files apart.
    fn temp_prefix(&self) -> String {
        let name = self.vault.file_name().unwrap_or_default().to_string_lossy();
        format!(".{name}.aspen-tmp-")
    }

    pub fn exists(&self) -> bool {
        self.vault.exists()
    }

    /// Reads the vault file's bytes.
    pub fn read(&self) -> Result<Vec<u8>> {
        let mut bytes = Vec::new();
        File::open(&self.vault)
            .and_then(|mut f| f.read_to_end(&mut bytes))
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => Error::VaultMissing {
                    path: self.vault.clone(),
                },
                _ => Error::io("read", &self.vault, e),
            })?;
        Ok(bytes)
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
        let mut file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(&path)
            .map_err(|e| Error::io("open the lock file", &path, e))?;
        let start = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(fs::TryLockError::WouldBlock) if start.elapsed() < wait => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(fs::TryLockError::WouldBlock) => {
                    let mut text = String::new();
                    let _ = file.read_to_string(&mut text);
                    return Err(Error::Locked {
                        lock: path,
                        pid: text.trim().parse().ok(),
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

    /// Writes a new vault; refuses if one exists.
    pub fn create(&self, vault: &Vault, key: &VaultKey, _lock: &VaultLock) -> Result<Fingerprint> {
        if self.exists() {
            return Err(Error::VaultExists {
                path: self.vault.clone(),
            });
        }
        let bytes = vault_file::encode(vault, key).map_err(|e| Error::io("encrypt", &self.vault, e))?;
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
            Err(Error::VaultMissing { path }) => return Err(Error::ChangedOutside { path }),
            Err(e) => return Err(e),
        };
        if &Fingerprint::of(&current) != expected {
            return Err(Error::ChangedOutside {
                path: self.vault.clone(),
            });
        }
        self.remove_stale_temp_files();
        let bytes = vault_file::encode(vault, key).map_err(|e| Error::io("encrypt", &self.vault, e))?;
        self.write_atomic(&self.backup(), &current, true)?;
        self.write_atomic(&self.vault, &bytes, true)?;
        Ok(Fingerprint::of(&bytes))
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
    let mut tmp = tempfile::Builder::new()
        .prefix(prefix)
        .suffix(".tmp")
        .permissions(fs::Permissions::from_mode(0o600))
        .tempfile_in(dir)
        .map_err(|e| Error::io("create a temporary file in", dir, e))?;
    tmp.write_all(bytes)
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
