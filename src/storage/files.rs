//! Opening files in a folder that others may write: never block on a FIFO, never
//! read a device or a folder, never read without a bound, and never let a planted
//! link redirect a write.

use std::fs::{File, Metadata, OpenOptions};
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};
use std::path::Path;

use rustix::fs::OFlags;

use crate::error::{Error, Result};

/// The largest vault file aspen reads: a bound against a planted huge file, derived
/// from what the format legitimately reaches. Format 2 takes about 1 KiB per entry
/// (stamps and history in full, armored): the benches' 100,000-entry vault, the
/// largest aspen is measured at, is 97 MiB. Two and a half times that, for longer
/// notes and histories, rounded up to a power of two.
pub const MAX_VAULT_BYTES: u64 = 256 * 1024 * 1024;
/// Config, theme and passphrase files are a few KiB at most.
pub const MAX_SMALL_FILE_BYTES: u64 = 1024 * 1024;

/// What a link is called where a file was expected.
pub const SYMLINK: &str = "a symbolic link";

/// What kind of thing stands at a path, in words, when it is not a regular file.
pub(crate) fn kind_of(meta: &Metadata) -> Option<&'static str> {
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
    read_open(open_nofollow(path, what)?, path, max, what)
}

/// Opens `path` for reading without following a link and without blocking.
fn open_nofollow(path: &Path, what: &'static str) -> Result<File, ReadError> {
    OpenOptions::new()
        .read(true)
        .custom_flags((OFlags::NONBLOCK | OFlags::NOFOLLOW).bits() as i32)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(code) if code == rustix::io::Errno::LOOP.raw_os_error() => {
                ReadError::Refused(Error::NotAFile {
                    path: path.to_path_buf(),
                    what,
                    found: SYMLINK,
                })
            }
            _ => ReadError::Io(e),
        })
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

/// A text file aspen adds to but does not own, as read: its text and its mode, to
/// write it back with the addition and the same permissions.
#[derive(Debug)]
pub struct OwnedText {
    pub text: String,
    pub mode: u32,
}

/// Reads a text file aspen is about to rewrite with a line added (a repository's
/// `.gitattributes`), or `None` when there is none yet. Read like the files beside
/// the vault ([`read_regular_nofollow`]): never through a link, which a commit can
/// bring and which would copy the file it points to into the one written; only a
/// regular file, without blocking; at most 1 MiB. Text that is not UTF-8 is refused:
/// rewriting it would replace what aspen could not read back as it was.
pub fn read_text_to_edit(path: &Path, what: &'static str) -> Result<Option<OwnedText>> {
    use crate::error::EditProblem;
    let refuse = |problem| Error::CannotEdit {
        path: path.to_path_buf(),
        problem,
    };
    let read = open_nofollow(path, what).and_then(|file| {
        // The mode of the very file read is the one kept; set-id bits are not (a
        // text file needs none, and a new file must not gain them).
        let mode = file.metadata().map_err(ReadError::Io)?.mode() & 0o777;
        Ok((read_open(file, path, MAX_SMALL_FILE_BYTES, what)?, mode))
    });
    let (bytes, mode) = match read {
        Ok(read) => read,
        Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(ReadError::Refused(Error::NotAFile { found, .. })) if found == SYMLINK => {
            return Err(refuse(EditProblem::Link));
        }
        Err(ReadError::Refused(Error::NotAFile { found, .. })) => {
            return Err(refuse(EditProblem::NotAFile { found }));
        }
        Err(ReadError::Refused(Error::TooLarge { max, .. })) => {
            return Err(refuse(EditProblem::TooLarge { max }));
        }
        Err(e) => return Err(e.into_error("read", path)),
    };
    let text = String::from_utf8(bytes).map_err(|_| refuse(EditProblem::NotUtf8))?;
    Ok(Some(OwnedText { text, mode }))
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
