//! What the user can do about an error, as data. The core decides *what* helps
//! (restore the backup at this path, wait for the other writer, paste the password
//! as Apple shows it); each front end words it with its own commands and keys
//! (`cli::hints`, `tui::hints`). The words here are only those that name neither.

use std::path::PathBuf;

use jiff::civil::Date;

use crate::error::Error;
use crate::model::{ModelError, PasswordError};
use crate::text::shown_path;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Remedy {
    // --- The vault file and its folder ---
    /// The vault is gone or damaged, and `backup` holds the last saved version: put
    /// it back at `vault` (or, to start afresh, move the backups away).
    RestoreBackup {
        backup: PathBuf,
        vault: PathBuf,
    },
    /// No vault and no backup: create one, or point aspen at the right file.
    CreateVault,
    /// Something is at the path already; a new vault needs another path.
    ChooseAnotherPath,
    /// The path does not lead to an aspen vault: check the path given.
    CheckVaultPath,
    /// Not a regular file (a folder, FIFO, device): point at the file itself.
    PointAtTheFile,
    /// A planted lock file: remove it, keep the vault in a folder of one's own.
    RemovePlantedLock {
        lock: PathBuf,
    },
    /// Something that is not a folder of the user's own stands where merged copies
    /// go (a link, a file, another user's folder): move it away, aspen makes the
    /// folder itself.
    MoveMergedFolderAway {
        folder: PathBuf,
    },
    /// The user's folder for merged copies is open to others: close it.
    CloseMergedFolder {
        folder: PathBuf,
    },
    /// A text file aspen adds a line to cannot be kept as it is: make it a regular
    /// UTF-8 file (after seeing where a link pointed).
    MakeRegularText {
        path: PathBuf,
    },
    /// The owner took the write permission off the vault.
    AllowWrites {
        vault: PathBuf,
    },
    /// 999 kept backups: move old ones away.
    MoveOldBackups,
    /// Wrong passphrase: try again; if sure, the file may have been replaced, and
    /// the backup (if any) is the previous version.
    RetryPassphrase {
        backup: Option<PathBuf>,
    },
    /// Damaged with no backup of aspen's.
    RestoreOwnBackup,
    /// Written by a newer aspen (or its version line is damaged).
    UpgradeAspen {
        backup: Option<PathBuf>,
    },
    FixOwnerAndMode,
    FreeSpace,
    RemountReadWrite,
    /// Another aspen holds the lock.
    WaitForOtherWriter {
        lock: PathBuf,
    },
    /// Another program replaced the file: work on the new version.
    WorkOnNewVersion,
    /// An older copy replaced the vault: merge the newer copy in, or accept this one.
    MergeNewerOrAcceptOlder,
    /// A far costlier key derivation than before: confirm it if the user raised the
    /// cost, else restore the vault.
    ConfirmCostOrRestore,
    // --- Settings and input ---
    FixConfig,
    FixEnvVar {
        var: &'static str,
    },
    /// No terminal to ask for this secret on: give it another way.
    SecretWithoutTerminal {
        what: &'static str,
    },
    TypeSamePassphraseTwice,
    RaiseKdfCost,
    ChooseAnotherOutput,
    /// A file to write is named in a folder that is not there.
    NameExistingFolder,
    /// A folder was named where a file to write was wanted.
    NameFileInFolder,
    SetHome,
    RetryLater,
    FreeMemory,
    UseTerminal,
    /// aspen itself was about to write a broken vault and stopped.
    ReportBug,
    /// Taking back a label another entry holds: rename that one first, or keep this
    /// vault's label.
    RenameHolderFirst {
        apple_id: String,
        shown: String,
        holder: String,
    },
    /// Keep this vault's side of a conflict, then delete or regenerate by hand.
    KeepOursThenDecide,
    /// Use the subcommands where no terminal is.
    UseSubcommands,
    /// Give the audit Apple's list in a file instead of answering questions.
    AuditFromFile,
    /// Choose an unlock time in the range.
    UnlockTimeInRange,
    /// Make the vault's folder part of a git repository first.
    InitGitRepository,
    /// git could not be run.
    InstallGit,
    /// A question only a person answers: ask it on a terminal, or answer it ahead.
    ConfirmOnTerminal,
    /// A new recovery key shown nowhere: write it to a new file instead.
    RecoveryKeyToFile,
    /// A key that opens nothing: it may be another vault's, or removed since; an
    /// older copy may still open with it.
    CheckRecoveryKey,
    /// A copy of another vault: merge it only on purpose.
    ConfirmOtherVault {
        path: PathBuf,
    },
    // --- The vault's rules ---
    /// The password is not in Apple's shape: paste it as Apple shows it (a front end
    /// that can store other shapes may offer that too).
    PasteAppleShape,
    PasteAlone,
    PickLabel {
        similar: Vec<String>,
    },
    ListLabels,
    PickAppleId {
        apple_ids: Vec<String>,
    },
    /// The label is taken: choose another, or regenerate the entry that has it.
    OtherLabelOrRegenerate,
    /// The password is the active entry `holder`'s: add the apps to that entry (one
    /// password at Apple is one entry, whatever apps use it).
    JoinHolder {
        holder: String,
        apple_id: String,
    },
    /// Two entries would hold one password under one Apple ID: give the holder
    /// both entries' apps, then delete the other.
    FoldInto(Box<crate::model::Fold>),
    /// The Apple ID is full: revoke one at Apple and record it; oldest first.
    RevokeOneOf {
        candidates: Vec<(String, Date)>,
    },
    KnownAppleIds {
        known: Vec<String>,
    },
    AddFirstEntry,
    DateOnOrBeforeToday,
    /// A date before app-specific passwords existed: a typo.
    DateFromEarliest {
        earliest: Date,
    },
    CheckDate,
    /// Already revoked: store a new password for it instead.
    RegenerateEntry,
    /// aspen never had this password: Apple shows it only once, so a new one must be
    /// generated and stored (or the old one revoked if no app uses it).
    StoreNewPassword,
    ListStatuses,
    CheckRevokeAllDate,
    NameAnApp,
    ReloadList,
    GiveAnEditOption,
    PasteNewPassword,
    /// An Apple ID still used by entries cannot be forgotten.
    MoveOrDeleteEntries,
    /// Only a revoked entry can be retired: revoke it at Apple, and record that.
    RevokeFirst,
    /// Not an iCloud Mail address: give the one at Apple's mail domains.
    GiveIcloudMail,
    /// A CA file must hold the CA's certificate in PEM form.
    GivePemCertificate,
    /// Not a team id: copy it as Apple's developer account shows it.
    TeamIdAsApple,
    /// Notarization needs the entry's team id: give it.
    GiveTeamId,
    /// A team id is for notarization: choose that use too, or give none.
    TeamIdOnlyForNotarization,
}

/// The entries to consider revoking when the slots are full, as `"label" (created)`.
pub fn oldest_first(candidates: &[(String, Date)]) -> String {
    let list: Vec<String> = candidates
        .iter()
        .map(|(label, created)| format!("\"{label}\" ({created})"))
        .collect();
    list.join(", ")
}

impl Remedy {
    /// The advice in words that name no command, flag or key; `None` for remedies
    /// each front end must word itself.
    pub fn plain(&self) -> Option<String> {
        Some(match self {
            Self::RetryPassphrase { backup: None } => "try again; the passphrase is case-sensitive".into(),
            Self::RestoreOwnBackup => "restore the vault from your own backup".into(),
            Self::UpgradeAspen { backup: None } => {
                "upgrade aspen to open it; this aspen will not modify it".into()
            }
            Self::UpgradeAspen { backup: Some(b) } => format!(
                "upgrade aspen to open it; this aspen will not modify it. If no newer aspen wrote it, \
                 the file is damaged: the previous version is at {}",
                shown_path(b)
            ),
            Self::RetryPassphrase { backup: Some(b) } => format!(
                "try again; the passphrase is case-sensitive. If you are sure of it, the file \
                 may have been replaced or its header edited: the previous version is at {}",
                shown_path(b)
            ),
            Self::FixOwnerAndMode => {
                "check the owner and mode of the file and its folder (aspen uses 0600 and 0700)".into()
            }
            Self::WaitForOtherWriter { lock } => format!(
                "wait for the other aspen to finish, or close it; the lock is held on {}",
                shown_path(lock)
            ),
            Self::MoveOldBackups => "move old .bak.N files you no longer need elsewhere".into(),
            Self::MoveMergedFolderAway { .. } => {
                "check what it is and move it away; aspen makes the folder itself".into()
            }
            Self::CloseMergedFolder { .. } => {
                "make it writable by you alone; the copies in it hold passwords (encrypted)".into()
            }
            Self::MakeRegularText { .. } => "make it a regular UTF-8 text file; if a commit brought a \
                link there, see where it points first"
                .into(),
            Self::FixEnvVar { var } => format!("set {var} to a valid value, or unset it"),
            Self::TypeSamePassphraseTwice => "type the same passphrase twice".into(),
            Self::ChooseAnotherOutput => "choose another file name, or remove the old file first".into(),
            Self::NameFileInFolder => "add a file name to it, e.g. …/aspen-export.csv".into(),
            Self::NameExistingFolder => {
                "name a file in a folder that exists, or create the folder first".into()
            }
            Self::KeepOursThenDecide => "keep this vault's side first, revoke at Apple the password no \
                app uses, then delete the entry if no app needs it"
                .into(),
            Self::ReportBug => "this is a bug in aspen, not in your vault: the file on disk is unchanged; \
                please report what you did"
                .into(),
            Self::RetryLater => {
                "the operating system could not provide random bytes; try again, and check the system's logs"
                    .into()
            }
            Self::PasteAlone => "paste the password alone, without line breaks".into(),
            Self::PickLabel { similar } => format!("did you mean: {}?", similar.join(", ")),
            Self::KnownAppleIds { known } => format!("the vault knows: {}", known.join(", ")),
            Self::DateOnOrBeforeToday => "give a date on or before today, as YYYY-MM-DD".into(),
            Self::DateFromEarliest { earliest } => format!(
                "check the year: give the date as YYYY-MM-DD, {earliest} or later (a created date as \
                 Apple's page shows it)"
            ),
            Self::CheckDate => "check the date, as YYYY-MM-DD".into(),
            Self::CheckRevokeAllDate => {
                "check the date: Apple's Revoke All only reaches passwords that existed that day".into()
            }
            Self::MoveOrDeleteEntries => "move its entries to another Apple ID, or delete them, first".into(),
            Self::GiveIcloudMail => "give the address iCloud Mail uses for this Apple ID, which \
                ends in @icloud.com, @me.com or @mac.com"
                .into(),
            Self::GivePemCertificate => "give the certificate of the CA that signed the server's \
                certificate, in PEM form"
                .into(),
            Self::PasteNewPassword => "paste the password Apple showed when you generated the new \
                one; if it is lost, generate another at account.apple.com"
                .into(),
            Self::CheckRecoveryKey => "check that it is a recovery key of this vault: a key removed \
                since opens only copies saved before its removal (a backup may)"
                .into(),
            _ => return None,
        })
    }
}

impl Error {
    /// What the user can do about it, if anything.
    pub fn remedy(&self) -> Option<Remedy> {
        Some(match self {
            Self::VaultMissing { path, backups } | Self::BackupWithoutVault { path, backups } => {
                match backups.first() {
                    Some(b) => Remedy::RestoreBackup {
                        backup: b.clone(),
                        vault: path.clone(),
                    },
                    None => Remedy::CreateVault,
                }
            }
            Self::Damaged {
                backup: Some(b),
                path,
                ..
            } => Remedy::RestoreBackup {
                backup: b.clone(),
                vault: path.clone(),
            },
            Self::Damaged { backup: None, .. } => Remedy::RestoreOwnBackup,
            Self::NotAFile { .. } => Remedy::PointAtTheFile,
            Self::TooLarge { .. } | Self::NotAVault { .. } => Remedy::CheckVaultPath,
            Self::Inconsistent { .. } => Remedy::ReportBug,
            Self::OtherVault { path } => Remedy::ConfirmOtherVault { path: path.clone() },
            Self::UnsafeLockFile { path, .. } => Remedy::RemovePlantedLock { lock: path.clone() },
            Self::UnsafeMergedFolder {
                path,
                problem: crate::storage::MergedDirProblem::Writable { .. },
            } => Remedy::CloseMergedFolder { folder: path.clone() },
            Self::UnsafeMergedFolder { path, .. } => Remedy::MoveMergedFolderAway { folder: path.clone() },
            Self::CannotEdit { path, .. } => Remedy::MakeRegularText { path: path.clone() },
            Self::VaultReadOnly { path } => Remedy::AllowWrites { vault: path.clone() },
            Self::TooManyBackups { .. } => Remedy::MoveOldBackups,
            Self::VaultExists { .. } => Remedy::ChooseAnotherPath,
            Self::WrongPassphrase { backup, .. } => Remedy::RetryPassphrase {
                backup: backup.clone(),
            },
            Self::WrongRecoveryKey { .. } => Remedy::CheckRecoveryKey,
            Self::NewerFormat { backup, .. } => Remedy::UpgradeAspen {
                backup: backup.clone(),
            },
            Self::PermissionDenied { .. } => Remedy::FixOwnerAndMode,
            Self::DiskFull { .. } => Remedy::FreeSpace,
            Self::ReadOnly { .. } => Remedy::RemountReadWrite,
            Self::Locked { lock, .. } => Remedy::WaitForOtherWriter { lock: lock.clone() },
            Self::ChangedOutside { .. } => Remedy::WorkOnNewVersion,
            Self::OlderVault { .. } => Remedy::MergeNewerOrAcceptOlder,
            Self::CostlierKdf { .. } => Remedy::ConfirmCostOrRestore,
            Self::Model(e) => return e.remedy(),
            Self::Config { .. } => Remedy::FixConfig,
            Self::BadEnv { var, .. } => Remedy::FixEnvVar { var },
            Self::NoTerminal { what } => Remedy::SecretWithoutTerminal { what },
            Self::PassphraseMismatch => Remedy::TypeSamePassphraseTwice,
            Self::WeakKdf { .. } => Remedy::RaiseKdfCost,
            Self::OutputExists { .. } => Remedy::ChooseAnotherOutput,
            Self::NoHome => Remedy::SetHome,
            Self::NoRandomness { .. } => Remedy::RetryLater,
            Self::KdfFailed { .. } => Remedy::FreeMemory,
            Self::Terminal { .. } => Remedy::UseTerminal,
            Self::NoCertificates { .. } => Remedy::GivePemCertificate,
            Self::Refused(r) => return r.remedy(),
            Self::Io { .. }
            | Self::OutputClosed
            | Self::Empty { .. }
            | Self::BadInput { .. }
            | Self::Clipboard { .. } => return None,
        })
    }
}

impl ModelError {
    /// What the user can do about a refusal of the vault's rules.
    pub fn remedy(&self) -> Option<Remedy> {
        Some(match self {
            Self::InvalidField { .. } | Self::Password(PasswordError::Empty) => return None,
            Self::NoIdDrawn => Remedy::ReportBug,
            Self::ResolveWouldDropPassword { .. } => Remedy::KeepOursThenDecide,
            Self::Password(PasswordError::Shape(_)) => Remedy::PasteAppleShape,
            Self::Password(PasswordError::Unusable) => Remedy::PasteAlone,
            Self::LabelNotFound { similar, .. } if !similar.is_empty() => Remedy::PickLabel {
                similar: similar.clone(),
            },
            Self::LabelNotFound { .. } => Remedy::ListLabels,
            Self::AmbiguousLabel { apple_ids, .. } => Remedy::PickAppleId {
                apple_ids: apple_ids.clone(),
            },
            Self::DuplicateLabel { .. } => Remedy::OtherLabelOrRegenerate,
            Self::MoveWouldDuplicate(fold) => Remedy::FoldInto(fold.clone()),
            Self::PasswordHeld { holder, apple_id, .. } => Remedy::JoinHolder {
                holder: holder.clone(),
                apple_id: apple_id.clone(),
            },
            Self::ResolveClash {
                apple_id,
                shown,
                holder,
                ..
            } => Remedy::RenameHolderFirst {
                apple_id: apple_id.clone(),
                shown: shown.clone(),
                holder: holder.clone(),
            },
            Self::SlotsFull { candidates, .. } => Remedy::RevokeOneOf {
                candidates: candidates.clone(),
            },
            Self::UnknownAppleId { known, .. } if !known.is_empty() => {
                Remedy::KnownAppleIds { known: known.clone() }
            }
            Self::UnknownAppleId { .. } => Remedy::AddFirstEntry,
            Self::FutureDate { .. } => Remedy::DateOnOrBeforeToday,
            Self::DateTooEarly { earliest, .. } => Remedy::DateFromEarliest { earliest: *earliest },
            Self::AlreadyRevoked { .. } => Remedy::RegenerateEntry,
            Self::RevokedBeforeCreated { .. } => Remedy::CheckDate,
            Self::NothingActive { .. } => Remedy::ListStatuses,
            Self::AllCreatedAfter { .. } => Remedy::CheckRevokeAllDate,
            Self::NoApps => Remedy::NameAnApp,
            Self::BadTeamId { .. } => Remedy::TeamIdAsApple,
            Self::NoTeamId { .. } => Remedy::GiveTeamId,
            Self::TeamIdWithoutNotarization { .. } => Remedy::TeamIdOnlyForNotarization,
            Self::UnknownEntry { .. } => Remedy::ReloadList,
            Self::NothingToEdit => Remedy::GiveAnEditOption,
            Self::NothingImported { .. } => return None,
            Self::PasswordNotNew { .. } => Remedy::PasteNewPassword,
            Self::NotIcloudMail { .. } => Remedy::GiveIcloudMail,
            Self::OwnIcloudMail { .. } => return None,
            Self::AppleIdUnchanged { .. } => return None,
            Self::AppleIdInUse { .. } => Remedy::MoveOrDeleteEntries,
            Self::RetireActive { .. } => Remedy::RevokeFirst,
            Self::AlreadyRetired { .. }
            | Self::NotRetired { .. }
            | Self::UnknownApp { .. }
            | Self::NothingToWithdraw { .. }
            | Self::NoConflict { .. }
            | Self::NoOldPassword { .. }
            | Self::UnknownRecoveryKey { .. }
            | Self::RecoveryKeyTaken { .. } => return None,
            Self::PasswordNotStored { .. } => Remedy::StoreNewPassword,
        })
    }
}

impl crate::refusal::Refusal {
    /// What the user can do about a refused request, if anything.
    pub fn remedy(&self) -> Option<Remedy> {
        use crate::refusal::Refusal as R;
        Some(match self {
            R::TuiNeedsTerminal => Remedy::UseSubcommands,
            R::AuditNeedsTerminal => Remedy::AuditFromFile,
            R::UnlockTimeOutOfRange => Remedy::UnlockTimeInRange,
            R::NotInGitRepo { .. } => Remedy::InitGitRepository,
            R::GitMissing { .. } => Remedy::InstallGit,
            R::NeedsConfirming { .. } => Remedy::ConfirmOnTerminal,
            R::RecoveryKeyNeedsTerminal => Remedy::RecoveryKeyToFile,
            R::ExportThroughLink { .. } => Remedy::ChooseAnotherOutput,
            R::NoExportFolder { .. } => Remedy::NameExistingFolder,
            R::ExportToFolder { .. } => Remedy::NameFileInFolder,
            R::OtherNotStored { .. }
            | R::NoOtherPassword { .. }
            | R::PassphraseTooLong { .. }
            | R::CostOutOfRange { .. }
            | R::MergeWithItself { .. }
            | R::GitFailed { .. }
            | R::OwnPathUnknown { .. }
            | R::EmptyGitVersion
            | R::ManPage { .. }
            | R::NotUtf8Text { .. } => return None,
        })
    }
}
