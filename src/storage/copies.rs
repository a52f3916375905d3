//! The copies sync tools leave beside a file both machines changed: aspen names them
//! so the user can merge them in, and moves a merged copy aside instead of deleting
//! it.
//!
//! For `vault.aspen`:
//! - Syncthing: `vault.sync-conflict-20261129-101500-ABCDEF1.aspen`
//! - Dropbox: `vault (Jane's conflicted copy 2026-11-29).aspen`
//! - Nextcloud and ownCloud: `vault (conflicted copy 2026-11-29 101500).aspen`
//! - iCloud Drive: `vault 2.aspen`

use std::fs;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

use regex::Regex;

use super::VaultPaths;
use crate::error::{Error, Result};

/// The sync tool whose naming a copy follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncTool {
    Syncthing,
    Dropbox,
    Nextcloud,
    ICloudDrive,
}

impl SyncTool {
    pub fn name(self) -> &'static str {
        match self {
            Self::Syncthing => "Syncthing",
            Self::Dropbox => "Dropbox",
            Self::Nextcloud => "Nextcloud or ownCloud",
            Self::ICloudDrive => "iCloud Drive",
        }
    }
}

/// A conflict copy of the vault found beside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConflictCopy {
    pub path: PathBuf,
    pub tool: SyncTool,
}

/// The names each tool gives a conflict copy of a vault called `stem` + `ext`.
struct Namings(Vec<(SyncTool, Regex)>);

impl Namings {
    /// Built once per folder listing: compiling a pattern costs far more than
    /// matching a name, and a folder may hold many files.
    fn of(stem: &str, ext: &str) -> Self {
        let (s, e) = (regex::escape(stem), regex::escape(ext));
        let patterns = [
            (
                SyncTool::Syncthing,
                format!(r"^{s}\.sync-conflict-[0-9]{{8}}-[0-9]{{6}}-[A-Z0-9]{{7}}{e}$"),
            ),
            (
                SyncTool::Dropbox,
                format!(r"^{s} \(.+'s conflicted copy [0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}( \([0-9]+\))?\){e}$"),
            ),
            (
                SyncTool::Nextcloud,
                format!(r"^{s} \(conflicted copy [0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}} [0-9]{{6}}\){e}$"),
            ),
            (SyncTool::ICloudDrive, format!(r"^{s} ([2-9]|[1-9][0-9]+){e}$")),
        ];
        Self(
            patterns
                .into_iter()
                .filter_map(|(tool, p)| Regex::new(&p).ok().map(|re| (tool, re)))
                .collect(),
        )
    }

    fn tool(&self, name: &str) -> Option<SyncTool> {
        self.0
            .iter()
            .find(|(_, re)| re.is_match(name))
            .map(|(tool, _)| *tool)
    }
}

/// Which tool's naming `name` follows for a vault called `stem` + `ext`.
pub fn conflict_copy_of(stem: &str, ext: &str, name: &str) -> Option<SyncTool> {
    Namings::of(stem, ext).tool(name)
}

impl VaultPaths {
    fn stem_and_ext(&self) -> (String, String) {
        let name = self
            .vault
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        match name.rfind('.') {
            Some(i) if i > 0 => (name[..i].to_owned(), name[i..].to_owned()),
            _ => (name, String::new()),
        }
    }

    /// Conflict copies of the vault in its folder (regular files only, never
    /// followed through a link), in name order.
    pub fn conflict_copies(&self) -> Vec<ConflictCopy> {
        let (stem, ext) = self.stem_and_ext();
        let Ok(dir) = fs::read_dir(self.dir()) else {
            return Vec::new();
        };
        // Every command looks: the patterns are compiled only when some file could
        // be a copy (its name starts like the vault's and ends with its extension).
        let own = self.file_name();
        let candidates: Vec<(String, PathBuf)> = dir
            .filter_map(|entry| entry.ok())
            .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
            .map(|entry| (entry.file_name().to_string_lossy().into_owned(), entry.path()))
            .filter(|(name, _)| name.starts_with(&stem) && name.ends_with(&ext) && *name != own)
            .collect();
        if candidates.is_empty() {
            return Vec::new();
        }
        let namings = Namings::of(&stem, &ext);
        let mut out: Vec<ConflictCopy> = candidates
            .into_iter()
            .filter_map(|(name, path)| namings.tool(&name).map(|tool| ConflictCopy { path, tool }))
            .collect();
        out.sort_by(|a, b| a.path.cmp(&b.path));
        out
    }

    /// Where merged copies are kept: a folder beside the vault.
    pub fn merged_dir(&self) -> PathBuf {
        self.sibling(".merged")
    }

    /// Moves a merged conflict copy into [`VaultPaths::merged_dir`] (never over a
    /// file already there); returns where it went.
    pub fn set_aside(&self, copy: &Path) -> Result<PathBuf> {
        let dir = self.merged_dir();
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
            .map_err(|e| Error::io("create the folder", &dir, e))?;
        let name = copy
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        for n in 0..1000 {
            let target = if n == 0 {
                dir.join(&name)
            } else {
                dir.join(format!("{name}.{n}"))
            };
            if fs::symlink_metadata(&target).is_ok() {
                continue;
            }
            fs::rename(copy, &target).map_err(|e| Error::io("move", copy, e))?;
            return Ok(target);
        }
        Err(Error::TooManyBackups { path: dir })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_tools_naming_is_recognised_and_nothing_else() {
        let tool = |name| conflict_copy_of("vault", ".aspen", name);
        assert_eq!(
            tool("vault.sync-conflict-20261129-101500-ABCDEF1.aspen"),
            Some(SyncTool::Syncthing)
        );
        assert_eq!(
            tool("vault (Jane's conflicted copy 2026-11-29).aspen"),
            Some(SyncTool::Dropbox)
        );
        assert_eq!(
            tool("vault (conflicted copy 2026-11-29 101500).aspen"),
            Some(SyncTool::Nextcloud)
        );
        assert_eq!(tool("vault 2.aspen"), Some(SyncTool::ICloudDrive));
        assert_eq!(tool("vault 10.aspen"), Some(SyncTool::ICloudDrive));
        assert_eq!(tool("vault 123.aspen"), Some(SyncTool::ICloudDrive));
        for other in [
            "vault.aspen",
            "vault.aspen.bak",
            "vault.aspen.bak.1",
            "vault 1.aspen",
            "vault 02.aspen",
            "vault2.aspen",
            "other 2.aspen",
            "vault.sync-conflict-2026-ABC.aspen",
            "vault 2.aspen.tmp",
        ] {
            assert_eq!(tool(other), None, "{other}");
        }
    }
}
