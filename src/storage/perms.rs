//! Who else can change the vault: a vault, backup or folder that another user can
//! write can be replaced, rolled back or deleted behind the user's back.

use std::fmt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::text::{quoted_path, shown_path};

/// One file or folder others can change, and how to stop them; or a folder standing
/// where the backup goes, which every save now steps around.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PermissionWarning {
    pub path: PathBuf,
    pub problem: PermissionProblem,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PermissionProblem {
    /// Writable by the group, others, or both (the words say which).
    Writable { by: &'static str, folder: bool },
    /// Owned by another user, who can change it whatever its mode.
    Owner { uid: u32, folder: bool },
    /// A folder stands at the backup's path: saves keep their backup as `.bak.N`.
    BackupIsFolder,
}

impl PermissionWarning {
    /// The shell command that fixes it, with the path quoted; `None` when only
    /// moving the vault does.
    pub fn fix(&self) -> Option<String> {
        match self.problem {
            PermissionProblem::Writable { .. } => Some(format!("chmod go-w {}", quoted_path(&self.path))),
            PermissionProblem::Owner { .. } | PermissionProblem::BackupIsFolder => None,
        }
    }

    /// Its kind in `check --json`.
    pub fn kind(&self) -> &'static str {
        match self.problem {
            PermissionProblem::BackupIsFolder => "backup-folder",
            _ => "permissions",
        }
    }
}

impl fmt::Display for PermissionWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = shown_path(&self.path);
        match self.problem {
            PermissionProblem::Writable { by, folder } => {
                let what = if folder { "the vault's folder" } else { "" };
                let sep = if folder { " " } else { "" };
                write!(
                    f,
                    "{what}{sep}{path} is writable by {by}: they could replace or delete it"
                )?;
            }
            PermissionProblem::Owner { uid, folder } => {
                let what = if folder { "the vault's folder " } else { "" };
                write!(
                    f,
                    "{what}{path} belongs to another user (uid {uid}), who can change it \
                     whatever its mode; keep the vault in a folder of your own"
                )?;
            }
            PermissionProblem::BackupIsFolder => {
                let mut kept = self.path.clone().into_os_string();
                kept.push(".N");
                write!(
                    f,
                    "{path} is a folder, not aspen's backup: each save keeps the version it \
                     replaces as {} instead; move or rename the folder",
                    shown_path(Path::new(&kept))
                )?;
            }
        }
        if let Some(fix) = self.fix() {
            write!(f, "; fix: {fix}")?;
        }
        Ok(())
    }
}

/// Checks one path; a missing path is no problem (the vault may not exist yet).
pub fn check(path: &Path, folder: bool, me: u32) -> Vec<PermissionWarning> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let warn = |problem| PermissionWarning {
        path: path.to_path_buf(),
        problem,
    };
    if meta.uid() != me && meta.uid() != 0 {
        found.push(warn(PermissionProblem::Owner {
            uid: meta.uid(),
            folder,
        }));
    }
    // In a sticky folder (/tmp) others may add files but not rename or delete ours,
    // and what they plant is refused on its own (docs/security.md); chmod go-w
    // there would break the folder for everyone.
    if folder && meta.mode() & 0o1000 != 0 {
        return found;
    }
    let by = match (meta.mode() & 0o020 != 0, meta.mode() & 0o002 != 0) {
        (true, true) => Some("its group and by everyone"),
        (true, false) => Some("its group"),
        (false, true) => Some("everyone"),
        (false, false) => None,
    };
    if let Some(by) = by {
        found.push(warn(PermissionProblem::Writable { by, folder }));
    }
    found
}
