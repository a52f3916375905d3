//! The copies sync tools leave beside a file both machines changed: aspen names them
//! so the user can merge them in, and moves a merged copy aside instead of deleting
//! it.
//!
//! For `vault.aspen`:
//! - Syncthing: `vault.sync-conflict-20261129-101500-ABCDEF1.aspen`
//! - Dropbox: `vault (Jane's conflicted copy 2026-11-29).aspen`
//! - Nextcloud and ownCloud: `vault (conflicted copy 2026-11-29 101500).aspen`
//! - iCloud Drive: `vault 2.aspen`

use std::ffi::OsString;
use std::fmt;
use std::fs::{self, Metadata, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use regex::Regex;
use rustix::fs::{AtFlags, OFlags};

use super::{VaultStore, files};
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

impl VaultStore<'_> {
    /// Conflict copies of the vault in its folder (regular files only, never
    /// followed through a link), in name order.
    pub fn conflict_copies(&self) -> Vec<ConflictCopy> {
        let (stem, ext) = self.paths.stem_and_ext();
        let Ok(dir) = fs::read_dir(self.paths.dir()) else {
            return Vec::new();
        };
        // Every command looks: the patterns are compiled only when some file could
        // be a copy (its name starts like the vault's and ends with its extension).
        let own = self.paths.file_name();
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

    /// Checks, before a merge saves anything, that [`VaultPaths::merged_dir`] can
    /// take a merged copy: nothing there yet (it is made, mode 0700, when the copy
    /// is moved), or a real folder of this user's that nobody else can write. A link
    /// there would send the copy, which holds every password (encrypted), wherever
    /// it points; a file there would make the move fail after the merge was saved.
    ///
    /// [`VaultPaths::merged_dir`]: super::VaultPaths::merged_dir
    pub fn check_merged_dir(&self) -> Result<()> {
        let dir = self.paths.merged_dir();
        match fs::symlink_metadata(&dir) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::io("inspect the folder", &dir, e)),
            Ok(meta) => refuse(&dir, merged_dir_problem(&meta, my_uid())),
        }
    }

    /// Moves a merged conflict copy into [`VaultPaths::merged_dir`] (never over a
    /// file already there); returns where it went. The folder is checked again
    /// through the handle the copy is moved by, so a name swapped for a link since
    /// [`VaultStore::check_merged_dir`] is refused, not followed.
    ///
    /// [`VaultPaths::merged_dir`]: super::VaultPaths::merged_dir
    pub fn set_aside(&self, copy: &Path) -> Result<PathBuf> {
        let dir = self.paths.merged_dir();
        match fs::DirBuilder::new().mode(0o700).create(&dir) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                return Err(Error::io("create the folder", &dir, e));
            }
            _ => {}
        }
        let folder = open_merged_dir(&dir)?;
        let name = copy.file_name().unwrap_or_default();
        for n in 0..1000 {
            let mut target = OsString::from(name);
            if n > 0 {
                target.push(format!(".{n}"));
            }
            if rustix::fs::statat(&folder, &target, AtFlags::SYMLINK_NOFOLLOW).is_ok() {
                continue;
            }
            rustix::fs::renameat(rustix::fs::CWD, copy, &folder, &target)
                .map_err(|e| Error::io("move", copy, e.into()))?;
            return Ok(dir.join(target));
        }
        Err(Error::TooManyBackups { path: dir })
    }
}

/// Why [`VaultPaths::merged_dir`] cannot take a merged copy.
///
/// [`VaultPaths::merged_dir`]: super::VaultPaths::merged_dir
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MergedDirProblem {
    /// A symbolic link: the copy would go wherever it points.
    Link,
    /// Something else than a folder: a file, a FIFO, a device.
    NotAFolder { found: &'static str },
    /// Another user's folder: its owner could read, swap or delete the copies.
    Owner { uid: u32 },
    /// Writable by the group, by everyone, or both (the words say which).
    Writable { by: &'static str },
}

impl fmt::Display for MergedDirProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Link => write!(
                f,
                "is a symbolic link: a copy moved there would go wherever it points"
            ),
            Self::NotAFolder { found } => write!(f, "is {found}, not a folder"),
            Self::Owner { uid } => write!(f, "belongs to another user (uid {uid})"),
            Self::Writable { by } => write!(f, "is writable by {by}, who could take or swap the copies"),
        }
    }
}

fn my_uid() -> u32 {
    rustix::process::geteuid().as_raw()
}

/// What is wrong with the folder for merged copies, from its `lstat` (or the
/// `fstat` of a handle opened without following a link), for the user `me`.
pub fn merged_dir_problem(meta: &Metadata, me: u32) -> Option<MergedDirProblem> {
    let kind = meta.file_type();
    if kind.is_symlink() {
        return Some(MergedDirProblem::Link);
    }
    if !kind.is_dir() {
        let found = files::kind_of(meta).unwrap_or("a regular file");
        return Some(MergedDirProblem::NotAFolder { found });
    }
    if meta.uid() != me {
        return Some(MergedDirProblem::Owner { uid: meta.uid() });
    }
    let by = match (meta.mode() & 0o020 != 0, meta.mode() & 0o002 != 0) {
        (true, true) => "its group and by everyone",
        (true, false) => "its group",
        (false, true) => "everyone",
        (false, false) => return None,
    };
    Some(MergedDirProblem::Writable { by })
}

fn refuse(dir: &Path, problem: Option<MergedDirProblem>) -> Result<()> {
    match problem {
        None => Ok(()),
        Some(problem) => Err(Error::UnsafeMergedFolder {
            path: dir.to_path_buf(),
            problem,
        }),
    }
}

/// Opens the folder for merged copies without following a link, and checks it.
fn open_merged_dir(dir: &Path) -> Result<fs::File> {
    let opened = OpenOptions::new()
        .read(true)
        .custom_flags((OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::NONBLOCK).bits() as i32)
        .open(dir);
    let folder = match opened {
        Ok(folder) => folder,
        // A link or a non-folder fails the open: say which it is, when it still is.
        Err(e) => {
            if let Ok(meta) = fs::symlink_metadata(dir) {
                refuse(dir, merged_dir_problem(&meta, my_uid()))?;
            }
            return Err(Error::io("open the folder", dir, e));
        }
    };
    let meta = folder
        .metadata()
        .map_err(|e| Error::io("inspect the folder", dir, e))?;
    refuse(dir, merged_dir_problem(&meta, my_uid()))?;
    Ok(folder)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_merged_folder_must_be_a_folder_of_ones_own_closed_to_others() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let me = my_uid();
        let meta = |p: &Path| fs::symlink_metadata(p).unwrap();
        let dir = tmp.path().join("vault.aspen.merged");
        fs::DirBuilder::new().mode(0o700).create(&dir).unwrap();
        assert_eq!(merged_dir_problem(&meta(&dir), me), None);
        assert_eq!(
            merged_dir_problem(&meta(&dir), me + 1),
            Some(MergedDirProblem::Owner { uid: me })
        );
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o720)).unwrap();
        assert_eq!(
            merged_dir_problem(&meta(&dir), me),
            Some(MergedDirProblem::Writable { by: "its group" })
        );
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&dir, &link).unwrap();
        assert_eq!(merged_dir_problem(&meta(&link), me), Some(MergedDirProblem::Link));
        let file = tmp.path().join("file");
        fs::File::create(&file).unwrap();
        assert_eq!(
            merged_dir_problem(&meta(&file), me),
            Some(MergedDirProblem::NotAFolder {
                found: "a regular file"
            })
        );
    }

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
