//! Opening files in a folder that others may write: never block on a FIFO, never
//! read a device or a folder, never read without a bound, and never let a planted
//! link redirect a write.

use std::fs::{File, Metadata, OpenOptions};
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};
use std::path::Path;

use rustix::fs::OFlags;

use crate::error::{Error, Result};

/// No vault comes near this: 10,000 entries take about 3 MiB.
pub const MAX_VAULT_BYTES: u64 = 64 * 1024 * 1024;
/// Config, theme and passphrase files are a few KiB at most.
pub const MAX_SMALL_FILE_BYTES: u64 = 1024 * 1024;

/// What kind of thing stands at a path, in words, when it is not a regular file.
fn kind_of(meta: &Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    Some(if t.is_file() {
        return None;
    } else if t.is_dir() {
        "a folder"
    } else if t.is_fifo() {
        "a named pipe (FIFO)"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else {
        "not a regular file"
    })
}

/// Refuses anything but a regular file at `path`.
pub fn require_regular(meta: &Metadata, path: &Path, what: &'static str) -> Result<()> {
    match kind_of(meta) {
        None => Ok(()),
        Some(found) => Err(Error::NotAFile {
            path: path.to_path_buf(),
            what,
            found,
        }),
    }
}

/// Reads a regular file of at most `max` bytes. Links are followed (a vault linked
/// into a sync folder on purpose still opens), but the open never blocks (a FIFO
/// planted at the path would hang aspen before any prompt) and nothing but a regular
/// file is read. `NotFound` is passed through for the caller to word.
pub fn read_regular(path: &Path, max: u64, what: &'static str) -> Result<Vec<u8>, ReadError> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(OFlags::NONBLOCK.bits() as i32)
        .open(path)
        .map_err(ReadError::Io)?;
    read_open(file, path, max, what)
}

/// Like [`read_regular`], but a link at `path` is refused rather than followed: for
/// files aspen itself writes beside the vault (its backups), where a link can only
/// have been planted.
pub fn read_regular_nofollow(path: &Path, max: u64, what: &'static str) -> Result<Vec<u8>, ReadError> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags((OFlags::NONBLOCK | OFlags::NOFOLLOW).bits() as i32)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(code) if code == rustix::io::Errno::LOOP.raw_os_error() => {
                ReadError::Refused(Error::NotAFile {
                    path: path.to_path_buf(),
                    what,
                    found: "a symbolic link",
                })
            }
            _ => ReadError::Io(e),
        })?;
    read_open(file, path, max, what)
}

fn read_open(file: File, path: &Path, max: u64, what: &'static str) -> Result<Vec<u8>, ReadError> {
    let meta = file.metadata().map_err(ReadError::Io)?;
    require_regular(&meta, path, what).map_err(ReadError::Refused)?;
    let too_large = || {
        ReadError::Refused(Error::TooLarge {
            path: path.to_path_buf(),
            what,
            max,
        })
    };
    if meta.len() > max {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // The file may grow between the size check and the read: read one byte past the
    // bound to notice.
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > max {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Why [`read_regular`] did not read: an I/O error the caller words (not found,
/// permission), or a refusal already worded.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    Refused(Error),
}

impl ReadError {
    /// The error as the user sees it, with `action` for I/O failures.
    pub fn into_error(self, action: &'static str, path: &Path) -> Error {
        match self {
            Self::Io(e) => Error::io(action, path, e),
            Self::Refused(e) => e,
        }
    }
}

/// Opens (creating if needed) the lock file without following a link, and checks it
/// is a regular file of this user's with one name: a lock file is truncated and
/// written, so a link planted there would make aspen overwrite its target.
pub fn open_lock_file(path: &Path) -> Result<File> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .custom_flags((OFlags::NOFOLLOW | OFlags::NONBLOCK).bits() as i32)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(code) if code == rustix::io::Errno::LOOP.raw_os_error() => Error::UnsafeLockFile {
                path: path.to_path_buf(),
                problem: "is a symbolic link".to_owned(),
            },
            _ => Error::io("open the lock file", path, e),
        })?;
    let meta = file
        .metadata()
        .map_err(|e| Error::io("inspect the lock file", path, e))?;
    let unsafe_because = |problem: String| Error::UnsafeLockFile {
        path: path.to_path_buf(),
        problem,
    };
    if let Some(found) = kind_of(&meta) {
        return Err(unsafe_because(format!("is {found}")));
    }
    let me = rustix::process::geteuid().as_raw();
    if meta.uid() != me {
        return Err(unsafe_because(format!(
            "belongs to another user (uid {}, you are {me})",
            meta.uid()
        )));
    }
    if meta.nlink() != 1 {
        return Err(unsafe_because(format!(
            "has {} names (hard links); another name could be any file",
            meta.nlink()
        )));
    }
    Ok(file)
}

/// Reads what another aspen wrote into the lock file: its pid, a few digits.
pub fn read_lock_holder(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.take(32).read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}
