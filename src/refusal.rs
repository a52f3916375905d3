//! Requests aspen refuses outright, beyond the vault's rules (those are
//! [`crate::model::ModelError`]): each a variant with its facts, worded here without
//! naming a command or flag; what to do is its [`crate::remedy::Remedy`], which each
//! front end words.

use std::path::PathBuf;

use crate::text::{escape_control, shown_path};

#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("the terminal UI needs a terminal")]
    TuiNeedsTerminal,
    #[error("an audit asks questions on a terminal")]
    AuditNeedsTerminal,
    #[error("the merged copy's version of \"{}\" has no stored password", escape_control(.label))]
    OtherNotStored { label: String },
    #[error("\"{}\" holds no other password from a merge", escape_control(.label))]
    NoOtherPassword { label: String },
    #[error("the new passphrase is longer than {max_kib} KiB")]
    PassphraseTooLong { max_kib: usize },
    #[error(
        "Argon2id cost {cost} is out of range: at most 4096 MiB, 64 passes and 64 lanes, and at \
         least 1 pass, 1 lane and 8 KiB per lane"
    )]
    CostOutOfRange { cost: String },
    #[error("the unlock time must be between 0.1 and 60 seconds")]
    UnlockTimeOutOfRange,
    #[error("{} is the vault itself; name the other copy to merge in", shown_path(.path))]
    MergeWithItself { path: PathBuf },
    #[error("could not run git: {detail}")]
    GitMissing { detail: String },
    #[error("git {command} failed: {stderr}")]
    GitFailed { command: String, stderr: String },
    #[error("{} is not in a git repository", shown_path(.path))]
    NotInGitRepo { path: PathBuf },
    #[error("could not find aspen's own path: {detail}")]
    OwnPathUnknown { detail: String },
    #[error("git handed over an empty vault")]
    EmptyGitVersion,
    #[error("the man page could not be made: {detail}")]
    ManPage { detail: String },
    #[error("{} is not UTF-8 text", shown_path(.path))]
    NotUtf8Text { path: PathBuf },
    /// `question` is what would have been asked ("Delete \"Mail\"…?").
    #[error("{question} needs confirming")]
    NeedsConfirming { question: String },
    #[error("a new recovery key is shown once, on a terminal, and standard output is not one")]
    RecoveryKeyNeedsTerminal,
    #[error(
        "{} is a symbolic link; aspen writes an export only to a new file, never through a link",
        shown_path(.path)
    )]
    ExportThroughLink { path: PathBuf },
    #[error("{} is a folder; an export is written to a new file", shown_path(.path))]
    ExportToFolder { path: PathBuf },
    /// `found`: "does not exist", "is not a folder".
    #[error("the folder {} {found}; nothing was written", shown_path(.folder))]
    NoExportFolder { folder: PathBuf, found: &'static str },
}
