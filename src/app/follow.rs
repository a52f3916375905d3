//! Following the vault file while a front end keeps it open (the TUI): a stat, cheap
//! enough to take every second, notices that the file may have changed; reading it
//! with the key already derived tells whether another program saved and what that
//! brought. Nothing here writes.

use std::os::unix::fs::MetadataExt;

use super::guard;
use crate::error::{Error, Result};
use crate::model::{MergeReport, Vault, news};
use crate::storage::{Fingerprint, VaultPaths};
use crate::vault_file::{self, FormatError, VaultKey};

/// What a stat of the vault file says, without reading it. A save replaces the file
/// (a new inode); a sync tool may write in place (a new size, modification or change
/// time): either way this differs. Two stats that are equal mean nothing was written
/// in between, as far as the file system can tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileStat(Option<Meta>);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Meta {
    dev: u64,
    ino: u64,
    len: u64,
    modified: (i64, i64),
    changed: (i64, i64),
}

/// The vault file's stat now; a file that is gone (or cannot be looked at) has one
/// too, so that its return is noticed.
pub fn file_stat(paths: &VaultPaths) -> FileStat {
    FileStat(std::fs::metadata(paths.vault()).ok().map(|m| Meta {
        dev: m.dev(),
        ino: m.ino(),
        len: m.len(),
        modified: (m.mtime(), m.mtime_nsec()),
        changed: (m.ctime(), m.ctime_nsec()),
    }))
}

/// Another program's save, taken in.
pub struct Arrived {
    /// What the file holds now.
    pub vault: Vault,
    pub fingerprint: Fingerprint,
    /// What it brought compared with the version the front end read.
    pub news: MergeReport,
}

/// Reads the vault file again and, when it is no longer the version read at `read`
/// (the front end's last read or save), opens it with `key`. `None`: the file holds
/// that version still (it was only touched, or the stat changed with the front end's
/// own save). The front end shows what arrived in place of its copy, which is safe
/// because it keeps no unsaved change: each change it makes is saved at once.
///
/// Refused, so that the front end keeps what it shows: a file that is gone, does not
/// open with `key` (its passphrase was changed elsewhere), is damaged, or is older
/// than a version this machine saw (a stale sync copy put back: taking it in would
/// drop what the newer version held). Without the writers' lock: a save replaces the
/// file whole, so what is read is one version or the other.
pub fn follow(paths: &VaultPaths, key: &VaultKey, read: &Fingerprint) -> Result<Option<Arrived>> {
    let bytes = paths.read()?;
    if bytes == read.bytes() {
        return Ok(None);
    }
    let vault = decode(paths, &bytes, key)?;
    if let Some(older) = guard::older(paths, &vault) {
        return Err(Error::OlderVault {
            path: paths.vault().to_path_buf(),
            found: older.found,
            seen: older.seen,
        });
    }
    let base = decode(paths, read.bytes(), key)?;
    let news = news(&base, &vault);
    guard::remember(paths, &vault, key);
    Ok(Some(Arrived {
        vault,
        fingerprint: Fingerprint::of(&bytes),
        news,
    }))
}

fn decode(paths: &VaultPaths, bytes: &[u8], key: &VaultKey) -> Result<Vault> {
    vault_file::decode_with_key(bytes, key).map_err(|e| match e {
        // Saved under another passphrase since: for this session, changed outside.
        FormatError::WrongPassphrase => Error::ChangedOutside {
            path: paths.vault().to_path_buf(),
        },
        other => paths.format_error(other),
    })
}
