//! aspen's errors: each says what went wrong; [`Error::remedy`] (src/remedy.rs) says
//! what can be done about it, as data each front end words, and [`Error::exit_code`]
//! is the documented exit status (docs/cli.md).

use std::path::{Path, PathBuf};

use crate::model::ModelError;
use crate::text::shown_path;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("there is no vault at {}{}", shown_path(.path), backups_note(.backups))]
    VaultMissing { path: PathBuf, backups: Vec<PathBuf> },
    #[error(
        "there is no vault at {}, but a backup of one is there ({}); aspen will not create a \
         new vault beside it",
        shown_path(.path), .backups.first().map(|b| shown_path(b)).unwrap_or_default()
    )]
    BackupWithoutVault { path: PathBuf, backups: Vec<PathBuf> },
    #[error("{} is {found}; the {what} must be a regular file", shown_path(.path))]
    NotAFile {
        path: PathBuf,
        what: &'static str,
        found: &'static str,
    },
    #[error("{} is larger than any {what} ({} MiB at most); aspen did not read it", shown_path(.path), .max / (1024 * 1024))]
    TooLarge {
        path: PathBuf,
        what: &'static str,
        max: u64,
    },
    #[error("the lock file {} {problem}; aspen will not use it", shown_path(.path))]
    UnsafeLockFile { path: PathBuf, problem: String },
    #[error("the folder for merged copies {} {problem}; aspen will not move a copy there", shown_path(.path))]
    UnsafeMergedFolder {
        path: PathBuf,
        problem: crate::storage::MergedDirProblem,
    },
    #[error("aspen will not change {}: it {problem}", shown_path(.path))]
    CannotEdit { path: PathBuf, problem: EditProblem },
    #[error("the vault {} is read-only (its write permission is off); nothing was written", shown_path(.path))]
    VaultReadOnly { path: PathBuf },
    #[error("{} and 998 more kept backups exist; aspen keeps no more", shown_path(.path))]
    TooManyBackups { path: PathBuf },
    #[error("a vault already exists at {}", shown_path(.path))]
    VaultExists { path: PathBuf },
    #[error("wrong passphrase for {}", shown_path(.path))]
    WrongPassphrase { path: PathBuf, backup: Option<PathBuf> },
    #[error("this key does not open this vault ({})", shown_path(.path))]
    WrongRecoveryKey { path: PathBuf },
    #[error("the vault {} is damaged: {detail}", shown_path(.path))]
    Damaged {
        path: PathBuf,
        detail: String,
        backup: Option<PathBuf>,
    },
    #[error(
        "aspen did not write {}: the vault it would write is inconsistent ({detail}); the file on disk is unchanged",
        shown_path(.path)
    )]
    Inconsistent { path: PathBuf, detail: String },
    #[error(
        "{} is a copy of another vault (its vault id differs from this vault's); nothing was merged",
        shown_path(.path)
    )]
    OtherVault { path: PathBuf },
    #[error("{} is not an aspen vault", shown_path(.path))]
    NotAVault { path: PathBuf },
    #[error("{} was written by a newer aspen (vault format {found}, this aspen reads {supported})", shown_path(.path))]
    NewerFormat {
        path: PathBuf,
        found: u32,
        supported: u32,
        backup: Option<PathBuf>,
    },
    #[error("permission denied: cannot {action} {}", shown_path(.path))]
    PermissionDenied { action: &'static str, path: PathBuf },
    #[error("cannot {action} {}: the file system is read-only; the vault on disk is unchanged", shown_path(.path))]
    ReadOnly { action: &'static str, path: PathBuf },
    #[error("not enough space to {action} {} (disk full or file-size limit); the vault on disk is unchanged", shown_path(.path))]
    DiskFull { action: &'static str, path: PathBuf },
    #[error("the vault is in use by another aspen{}", holder(.pid))]
    Locked { lock: PathBuf, pid: Option<u32> },
    #[error("the vault {} was changed outside aspen since it was read; nothing was written", shown_path(.path))]
    ChangedOutside { path: PathBuf },
    /// The reader of standard output went away (`aspen list | head`). Not reported:
    /// the command stops quietly, like other filters.
    #[error("standard output was closed")]
    OutputClosed,
    #[error("could not {action} {}: {source}", shown_path(.path))]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error("{}:{line}:{column}: {message}", shown_path(.path))]
    Config {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("the environment variable {var} is \"{value}\": {problem}")]
    BadEnv {
        var: &'static str,
        value: String,
        problem: String,
    },
    #[error("no terminal to read the {what} from")]
    NoTerminal { what: &'static str },
    #[error("the two passphrases differ")]
    PassphraseMismatch,
    #[error("the {what} is empty")]
    Empty { what: &'static str },
    #[error("{} holds no PEM certificate (-----BEGIN CERTIFICATE-----)", shown_path(.path))]
    NoCertificates { path: PathBuf },
    #[error("Argon2id cost {cost} is below RFC 9106's recommendation (64 MiB, 3 passes, 4 lanes)")]
    WeakKdf { cost: String },
    #[error("{} already exists; aspen will not overwrite it", shown_path(.path))]
    OutputExists { path: PathBuf },
    #[error("aspen needs a home directory to find its default vault and config")]
    NoHome,
    #[error(transparent)]
    Refused(#[from] crate::refusal::Refusal),
    #[error("{} was not unlocked: {detail}", shown_path(.path))]
    CostlierKdf { path: PathBuf, detail: String },
    #[error(
        "{} is older than a version of it this machine has seen (it is at save {found}, this machine saw save {seen}); nothing was written",
        shown_path(.path)
    )]
    OlderVault { path: PathBuf, found: u64, seen: u64 },
    #[error("{what}: {problem}")]
    BadInput { what: String, problem: String },
    #[error("the system's random source failed: {detail}")]
    NoRandomness { detail: String },
    #[error("the key derivation (Argon2id) failed: {detail}")]
    KdfFailed { detail: String },
    #[error("the terminal failed: {source}")]
    Terminal { source: std::io::Error },
    /// `reveal` is the shell command that prints the password instead, for the hint.
    #[error("could not copy \"{}\": {source}", crate::text::escape_control(.label))]
    Clipboard {
        label: String,
        reveal: String,
        source: crate::clipboard::ClipboardError,
    },
}

/// Why aspen will not rewrite a text file it adds a line to but does not own (a
/// repository's `.gitattributes`): it would have to follow a link, block on a FIFO,
/// read without bound, or replace text it cannot read back as it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditProblem {
    /// A link, as a commit can bring: the file it points to would be read and
    /// copied into the one aspen writes.
    Link,
    NotAFile {
        found: &'static str,
    },
    TooLarge {
        max: u64,
    },
    NotUtf8,
}

impl std::fmt::Display for EditProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Link => write!(
                f,
                "is a symbolic link; aspen reads and writes only the file itself"
            ),
            Self::NotAFile { found } => write!(f, "is {found}, not a regular file"),
            Self::TooLarge { max } => write!(f, "is larger than {} MiB", max / (1024 * 1024)),
            Self::NotUtf8 => write!(f, "is not UTF-8 text, which aspen would have to rewrite"),
        }
    }
}

fn backups_note(backups: &[PathBuf]) -> String {
    match backups.first() {
        Some(b) => format!(" (its backup {} is there)", shown_path(b)),
        None => String::new(),
    }
}

fn holder(pid: &Option<u32>) -> String {
    pid.map(|p| format!(" (pid {p})")).unwrap_or_default()
}

impl Error {
    /// The process exit status for this error (0 and 1 are success and `check`'s
    /// "something needs attention"): 2 bad input, 3 no vault (or one already there),
    /// 4 wrong passphrase, 5 unreadable vault, 6 vault busy or changed outside,
    /// 7 file system (or the system: the key derivation ran out of memory), 8 no
    /// clipboard could be used, 9 the terminal failed.
    pub fn exit_code(&self) -> i32 {
        match self {
            Self::Model(_)
            | Self::Config { .. }
            | Self::BadEnv { .. }
            | Self::NoTerminal { .. }
            | Self::PassphraseMismatch
            | Self::Empty { .. }
            | Self::NoCertificates { .. }
            | Self::WeakKdf { .. }
            | Self::OutputExists { .. }
            | Self::Refused(_)
            | Self::BadInput { .. }
            | Self::OtherVault { .. }
            | Self::NoRandomness { .. } => 2,
            Self::VaultMissing { .. }
            | Self::VaultExists { .. }
            | Self::BackupWithoutVault { .. }
            | Self::NoHome => 3,
            Self::WrongPassphrase { .. } | Self::WrongRecoveryKey { .. } => 4,
            Self::Damaged { .. }
            | Self::Inconsistent { .. }
            | Self::NotAVault { .. }
            | Self::NewerFormat { .. }
            | Self::TooLarge { .. } => 5,
            Self::Locked { .. } | Self::ChangedOutside { .. } | Self::OlderVault { .. } => 6,
            Self::CostlierKdf { .. } => 5,
            Self::CannotEdit {
                problem: EditProblem::TooLarge { .. } | EditProblem::NotUtf8,
                ..
            } => 2,
            Self::PermissionDenied { .. }
            | Self::NotAFile { .. }
            | Self::CannotEdit { .. }
            | Self::UnsafeLockFile { .. }
            | Self::UnsafeMergedFolder { .. }
            | Self::KdfFailed { .. }
            | Self::VaultReadOnly { .. }
            | Self::TooManyBackups { .. }
            | Self::ReadOnly { .. }
            | Self::DiskFull { .. }
            | Self::Io { .. } => 7,
            Self::Clipboard { .. } => 8,
            Self::Terminal { .. } => 9,
            Self::OutputClosed => 0,
        }
    }

    /// An encryption that failed or was refused for `path`.
    pub fn encode(path: &Path, e: crate::vault_file::EncodeError) -> Self {
        match e {
            crate::vault_file::EncodeError::Inconsistent(detail) => Self::Inconsistent {
                path: path.to_path_buf(),
                detail,
            },
            crate::vault_file::EncodeError::Io(e) => Self::io("encrypt", path, e),
        }
    }

    /// Classifies an I/O error on `path` into the errors a user can act on.
    pub fn io(action: &'static str, path: &Path, source: std::io::Error) -> Self {
        use std::io::ErrorKind;
        let path = path.to_path_buf();
        match source.kind() {
            ErrorKind::PermissionDenied => Self::PermissionDenied { action, path },
            ErrorKind::ReadOnlyFilesystem => Self::ReadOnly { action, path },
            ErrorKind::StorageFull | ErrorKind::QuotaExceeded | ErrorKind::FileTooLarge => {
                Self::DiskFull { action, path }
            }
            _ => Self::Io { action, path, source },
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
