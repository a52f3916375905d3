//! The backups beside the vault. Every save keeps the version it replaces as
//! `NAME.bak`; a `.bak` that version could not stand in for (written under another
//! key: another passphrase, salt or vault) is first kept as `NAME.bak.N`, since it
//! may be the last copy of passwords nothing else opens. When a folder stands at
//! `NAME.bak`, which no rename can replace, each save keeps the version it replaces
//! as the next `NAME.bak.N` and leaves the folder alone.

use std::fs;
use std::path::PathBuf;

use super::VaultStore;
use super::files::{self, MAX_VAULT_BYTES};
use crate::error::{Error, Result};
use crate::vault_file;

/// How many kept-aside backups aspen looks for and creates; past this it refuses to
/// save rather than lose one.
const MAX_KEPT: u32 = 999;

impl VaultStore<'_> {
    /// Every backup there is: the `.bak`, then the kept ones, last kept first.
    pub fn backups(&self) -> Vec<PathBuf> {
        let paths = self.paths;
        let is_file = |p: &PathBuf| fs::symlink_metadata(p).is_ok_and(|m| m.is_file());
        let mut found: Vec<PathBuf> = Some(paths.backup()).filter(is_file).into_iter().collect();
        let mut kept: Vec<(u32, PathBuf)> = fs::read_dir(paths.dir())
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|entry| {
                let n = paths.kept_number(entry.file_name().to_str()?)?;
                Some((n, entry.path())).filter(|(_, p)| is_file(p))
            })
            .collect();
        kept.sort_by_key(|k| std::cmp::Reverse(k.0));
        found.extend(kept.into_iter().map(|(_, p)| p));
        found.retain(|b| b != paths.vault());
        found
    }

    /// True when a folder stands at the `.bak` (planted, or made by mistake): no
    /// rename can replace it, and it is not ours to remove.
    pub fn backup_is_folder(&self) -> bool {
        fs::symlink_metadata(self.paths.backup()).is_ok_and(|m| m.is_dir())
    }

    /// Keeps `current`, the version a save replaces: as the `.bak` (first keeping
    /// aside a `.bak` it could not stand in for), or, past a folder at the `.bak`, as
    /// the first free `.bak.N`.
    pub(super) fn write_backup(&self, current: &[u8]) -> Result<()> {
        if !self.backup_is_folder() {
            self.keep_unreproducible_backup(current)?;
            return self.write_atomic(&self.paths.backup(), current, true);
        }
        for n in 1..=MAX_KEPT {
            let target = self.paths.kept(n);
            if fs::symlink_metadata(&target).is_ok() {
                continue;
            }
            match self.write_atomic(&target, current, false) {
                // Taken between the look and the write: the next number.
                Err(Error::VaultExists { .. }) => continue,
                other => return other,
            }
        }
        Err(Error::TooManyBackups {
            path: self.paths.kept(MAX_KEPT),
        })
    }

    pub(super) fn existing_backup(&self) -> Option<PathBuf> {
        // Not following a link: one planted at the .bak is not the previous version.
        Some(self.paths.backup())
            .filter(|b| fs::symlink_metadata(b).is_ok_and(|m| m.is_file()) && b != self.paths.vault())
    }

    /// Before `current` (the vault file as it is now) replaces the `.bak`: keeps the
    /// `.bak` under a new name unless `current` was written under the same key, so
    /// that whatever opened the old backup still opens the new one. A `.bak` that is
    /// not a regular file (a planted link) is not a backup of ours and is replaced.
    fn keep_unreproducible_backup(&self, current: &[u8]) -> Result<()> {
        let bak = self.paths.backup();
        let old = match files::read_regular_nofollow(&bak, MAX_VAULT_BYTES, "backup") {
            Ok(bytes) => bytes,
            Err(files::ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(files::ReadError::Refused(Error::NotAFile { .. })) => return Ok(()),
            // Too large or unreadable: not ours to judge; keep it.
            Err(_) => return self.keep_aside(),
        };
        let same_key = match (vault_file::split(&old), vault_file::split(current)) {
            (Ok((old, _)), Ok((new, _))) => old.kdf == new.kdf && old.key_check == new.key_check,
            _ => false,
        };
        if same_key { Ok(()) } else { self.keep_aside() }
    }

    /// Gives the `.bak` a second name, `.bak.N`, with the first free N. A hard link
    /// never replaces an existing file, and the `.bak` name is then free to replace.
    /// Where the file system has no hard links (FAT, some sync folders), the `.bak` is
    /// renamed instead, to a name found free under the writers' lock.
    fn keep_aside(&self) -> Result<()> {
        let bak = self.paths.backup();
        for n in 1..=MAX_KEPT {
            let target = self.paths.kept(n);
            let kept = match fs::hard_link(&bak, &target) {
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(_) if fs::symlink_metadata(&target).is_err() => fs::rename(&bak, &target),
                other => other,
            };
            return kept
                .map_err(|e| Error::io("keep the old backup as", &target, e))
                .and_then(|()| self.sync_dir());
        }
        Err(Error::TooManyBackups {
            path: self.paths.kept(MAX_KEPT),
        })
    }
}
