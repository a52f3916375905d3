//! Following the vault file while a front end keeps it open (the TUI): a stat, cheap
//! enough to take every second, notices that the file may have changed; reading it
//! with the key already derived tells whether another program saved and what that
//! brought. Nothing here writes.

use std::os::unix::fs::MetadataExt;

use super::guard;
use crate::error::Result;
use crate::model::{MergeReport, Vault, news};
use crate::storage::{Fingerprint, VaultPaths};
use crate::vault_file::VaultKey;

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
    /// The file held a version without what the front end had read (an older copy
    /// put back, or a sync tool keeping another machine's concurrent save and
    /// renaming this one's): the two were merged and the result saved, so nothing
    /// of either is lost.
    pub merged_back: bool,
}

/// Reads the vault file again and, when it is no longer the version read at `read`
/// (the front end's last read or save), opens it with `key`. `None`: the file holds
/// that version still (it was only touched, or the stat changed with the front end's
/// own save). The front end shows what arrived in place of its copy, which is safe
/// because it keeps no unsaved change: each change it makes is saved at once.
///
/// A version that does not hold everything the front end read (`shown`, saved at
/// `read`) is not taken in as it is: taking it would drop what only the front end
/// has. It is merged with `shown` under the lock and the result saved, as a save of
/// the front end would ([`super::save`]).
///
/// Refused, so that the front end keeps what it shows: a file that is gone, does not
/// open with `key` (its passphrase was changed elsewhere), or is damaged. Without the
/// writers' lock for reading: a save replaces the file whole, so what is read is one
/// version or the other.
pub fn follow(
    paths: &VaultPaths,
    key: &VaultKey,
    (shown, read): (&Vault, &Fingerprint),
    today: jiff::civil::Date,
) -> Result<Option<Arrived>> {
    let bytes = paths.store().read()?;
    if bytes == read.bytes() {
        return Ok(None);
    }
    let vault = super::vault::decode(paths, &bytes, key)?;
    let base = super::vault::decode(paths, read.bytes(), key)?;
    if !vault.clock.dominates(&base.clock) || guard::older(paths, &vault).is_some() {
        let saved = super::save(paths, shown, key, read, today).map_err(|f| f.error)?;
        return Ok(Some(Arrived {
            vault: saved.vault,
            fingerprint: saved.fingerprint,
            news: saved.merged.unwrap_or_default(),
            merged_back: true,
        }));
    }
    let news = news(&base, &vault);
    guard::remember(paths, &vault, key);
    Ok(Some(Arrived {
        vault,
        fingerprint: Fingerprint::of(&bytes),
        news,
        merged_back: false,
    }))
}
