use jiff::civil::Date;

use super::PasswordError;

/// A request the vault's rules refuse. Each says what was wrong; [`ModelError::hint`]
/// says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    #[error("the {field} {problem}")]
    InvalidField { field: &'static str, problem: String },
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error("no entry is labelled \"{label}\"{}", scope(.apple_id))]
    LabelNotFound {
        label: String,
        apple_id: Option<String>,
        similar: Vec<String>,
    },
    #[error("\"{label}\" is a label under several Apple IDs: {}", .apple_ids.join(", "))]
    AmbiguousLabel { label: String, apple_ids: Vec<String> },
    #[error("{apple_id} already has an entry labelled \"{label}\"")]
    DuplicateLabel { label: String, apple_id: String },
    #[error(
        "{apple_id} already has {limit} active app-specific passwords, Apple's limit: \
         Apple would not generate another"
    )]
    SlotsFull {
        apple_id: String,
        limit: usize,
        /// Oldest active entries first: the likeliest to revoke.
        candidates: Vec<(String, Date)>,
    },
    #[error("the vault has no entries for the Apple ID {apple_id}")]
    UnknownAppleId { apple_id: String, known: Vec<String> },
    #[error("the date {date} is in the future (today is {today})")]
    FutureDate { date: Date, today: Date },
    #[error("\"{label}\" is already revoked (on {on})")]
    AlreadyRevoked { label: String, on: Date },
    #[error("the revocation date {on} is before \"{label}\" was created ({created})")]
    RevokedBeforeCreated { label: String, on: Date, created: Date },
    #[error("{apple_id} has no active entries to revoke")]
    NothingActive { apple_id: String },
    #[error("{apple_id} had no active entries on {on}: its {later} active entries were created later")]
    AllCreatedAfter {
        apple_id: String,
        on: Date,
        later: usize,
    },
    #[error("an entry needs at least one app that uses it")]
    NoApps,
    #[error("the entry {id} is no longer in the vault")]
    UnknownEntry { id: String },
    #[error("nothing to change: give at least one of the options")]
    NothingToEdit,
    #[error(
        "that is {} password of \"{label}\"{}: Apple never issues the same password twice, so it is not the new one",
        if *.same_entry { "the current" } else { "the" },
        if *.revoked { ", which is revoked" } else { "" }
    )]
    PasswordNotNew {
        label: String,
        same_entry: bool,
        revoked: bool,
    },
}

fn scope(apple_id: &Option<String>) -> String {
    apple_id
        .as_ref()
        .map(|id| format!(" under {id}"))
        .unwrap_or_default()
}

/// The entries to consider revoking when the slots are full, as `"label" (created)`.
pub fn oldest_first(candidates: &[(String, Date)]) -> String {
    let list: Vec<String> = candidates
        .iter()
        .map(|(label, created)| format!("\"{label}\" ({created})"))
        .collect();
    list.join(", ")
}

impl ModelError {
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            Self::InvalidField { .. } | Self::Password(PasswordError::Empty) => return None,
            Self::Password(PasswordError::Shape(_)) => "copy the password exactly as Apple showed it; \
                to store another kind of password anyway, add --any-format"
                .to_owned(),
            Self::Password(PasswordError::Unusable) => {
                "paste the password alone, without line breaks".to_owned()
            }
            Self::LabelNotFound { similar, .. } if !similar.is_empty() => {
                format!("did you mean: {}?", similar.join(", "))
            }
            Self::LabelNotFound { .. } => "`aspen list` shows every label".to_owned(),
            Self::AmbiguousLabel { apple_ids, .. } => format!(
                "pick one with --apple-id, e.g. --apple-id {}",
                apple_ids.first().map(String::as_str).unwrap_or("ID")
            ),
            Self::DuplicateLabel { .. } => {
                "labels are how Apple's list names each password; choose another label, \
                 or `aspen regenerate` the existing entry"
                    .to_owned()
            }
            Self::SlotsFull { candidates, .. } => format!(
                "revoke one at account.apple.com, then `aspen revoke LABEL`; oldest first: {}",
                oldest_first(candidates)
            ),
            Self::UnknownAppleId { known, .. } if !known.is_empty() => {
                format!("the vault knows: {}", known.join(", "))
            }
            Self::UnknownAppleId { .. } => {
                "the vault is empty; `aspen add` stores the first entry".to_owned()
            }
            Self::FutureDate { .. } => "give a date on or before today, as YYYY-MM-DD".to_owned(),
            Self::AlreadyRevoked { .. } => "`aspen regenerate LABEL` stores a new password for it".to_owned(),
            Self::RevokedBeforeCreated { .. } => "check the date, as YYYY-MM-DD".to_owned(),
            Self::NothingActive { .. } => "`aspen list` shows each entry's status".to_owned(),
            Self::AllCreatedAfter { .. } => {
                "check the date: Apple's Revoke All only reaches passwords that existed that day".to_owned()
            }
            Self::NoApps => "name the app with --app, e.g. --app Thunderbird".to_owned(),
            Self::UnknownEntry { .. } => "it was deleted meanwhile; reload the list".to_owned(),
            Self::NothingToEdit => "see `aspen edit --help`".to_owned(),
            Self::PasswordNotNew { .. } => "paste the password Apple showed when you generated \
                the new one; if it is lost, generate another at account.apple.com"
                .to_owned(),
        })
    }
}
