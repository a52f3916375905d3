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
        "that password is \"{holder}\"'s already, an active entry of {apple_id}: at Apple it is one \
         password in one slot, so \"{label}\" would be a second entry for it; nothing was added"
    )]
    PasswordHeld {
        /// The active entry that holds the password.
        holder: String,
        apple_id: String,
        /// The label the new entry was to have.
        label: String,
    },
    #[error(
        "\"{}\" holds the same password as \"{}\", an active entry of {}: at Apple it is one \
         password in one slot, so moved there it would be a second entry for it; nothing was \
         changed",
        .0.label,
        .0.holder,
        .0.apple_id
    )]
    MoveWouldDuplicate(Box<Fold>),
    #[error(
        "\"{label}\" was deleted in one copy and holds other values from a merge (a password, a \
         status): taking the merged copy's side would delete it with them; nothing was changed"
    )]
    ResolveWouldDropPassword { label: String },
    /// A change that adds entries was applied without the ids drawn for them: a bug
    /// in aspen, refused before anything changed.
    #[error("no id was drawn for a new entry; nothing was changed")]
    NoIdDrawn,
    #[error(
        "taking the merged copy's values would label \"{shown}\" \"{label}\", which another entry of \
         {apple_id} holds; nothing was changed"
    )]
    ResolveClash {
        label: String,
        apple_id: String,
        /// The label the entry shows now.
        shown: String,
        /// The entry that holds `label`.
        holder: String,
    },
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
    #[error(
        "the date {date} is before {earliest}, and app-specific passwords began in 2013 \
         (with Apple's two-step verification)"
    )]
    DateTooEarly { date: Date, earliest: Date },
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
    #[error("\"{}\" is not an Apple developer team id: {problem}", crate::text::escape_control(.given))]
    BadTeamId {
        /// What was given, at most 20 characters of it.
        given: String,
        problem: super::TeamIdProblem,
    },
    #[error("\"{label}\" is used for notarization, which needs the Apple developer team id")]
    NoTeamId { label: String },
    #[error("\"{label}\" is not used for notarization: a team id is only for notarizing")]
    TeamIdWithoutNotarization { label: String },
    #[error("the entry {id} is no longer in the vault")]
    UnknownEntry { id: String },
    #[error("nothing to change: give at least one of the options")]
    NothingToEdit,
    #[error(
        "none of the {offered} entries to import could be added (each is in the vault already or \
         breaks one of its rules); nothing was added"
    )]
    NothingImported { offered: usize },
    #[error("\"{label}\" is active: only a revoked entry can be retired")]
    RetireActive { label: String },
    #[error("\"{label}\" is already retired: no app waits for a new password")]
    AlreadyRetired { label: String },
    #[error("\"{label}\" is not retired")]
    NotRetired { label: String },
    #[error("\"{label}\" has no app named \"{app}\"; its apps: {}", .apps.join(", "))]
    UnknownApp {
        label: String,
        app: String,
        apps: Vec<String>,
    },
    #[error("nothing to withdraw: {what}")]
    NothingToWithdraw { what: String },
    #[error("the new Apple ID is the same as the old one, {apple_id}")]
    AppleIdUnchanged { apple_id: String },
    #[error("{apple_id} still has {entries} entr{}", if *.entries == 1 { "y" } else { "ies" })]
    AppleIdInUse { apple_id: String, entries: usize },
    #[error("{address} is not an iCloud Mail address: those end in @icloud.com, @me.com or @mac.com")]
    NotIcloudMail { address: String },
    #[error(
        "{apple_id} is an iCloud Mail address itself: mail apps sign in with it, so there is no \
         other address to record"
    )]
    OwnIcloudMail { apple_id: String },
    #[error("\"{label}\" has no old password still active at Apple")]
    NoOldPassword { label: String },
    #[error("\"{label}\" has no conflict to resolve")]
    NoConflict { label: String },
    #[error(
        "the vault lists no recovery key {given} ({listed} listed; give one's age1… recipient or its number)"
    )]
    UnknownRecoveryKey { given: String, listed: usize },
    #[error("the recovery key {recipient} is listed or was removed before; each key is made anew")]
    RecoveryKeyTaken { recipient: String },
    #[error("aspen does not hold the password of \"{label}\": it was recorded as listed at Apple only")]
    PasswordNotStored { label: String },
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

/// Two entries of one password that a move or a join would put under one Apple ID:
/// what folding them into one takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fold {
    pub label: String,
    /// The active entry of the target Apple ID that holds the password.
    pub holder: String,
    pub apple_id: String,
    /// The Apple ID the moving entry is filed under now.
    pub from: String,
    /// The holder's apps and then this entry's: what the one entry should list.
    pub apps: Vec<String>,
}
